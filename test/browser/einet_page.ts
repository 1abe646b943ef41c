/**
 * The page side of test/browser/einet_browser.test.ts (also run in Node by the test): a 1000-neuron EINet (the seed's
 * HalfProjAlignPostMg form) for 300 steps through bm.for_loop, its raster drawn with bp.visualize.
 */
import { bp, bm } from '../../src/brainpy/index';
import { set_snn_backend, snn_backend } from '../../src/index';

export interface PageResult { backend: string; counts: number[]; svgBytes: number; drawn: boolean }

export function runSmallEINet(backend: 'auto' | 'js' = 'auto'): PageResult {
  set_snn_backend(backend);
  bm.set_dt(0.1);
  bm.clear_name_cache();
  bp.share.clear_shargs();
  const N = new bp.dyn.LifRef(1000, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Normal(-55, 2, 7) });
  const delay = new bp.VarDelay(N.spike, { entries: { I: null } });
  const E = new bp.dyn.HalfProjAlignPostMg({ comm: new bp.dnn.EventJitFPHomoLinear(800, 1000, { prob: 0.08, weight: 0.6, seed: 8 }), syn: bp.dyn.Expon.desc(1000, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 0 }), post: N });
  const I = new bp.dyn.HalfProjAlignPostMg({ comm: new bp.dnn.EventJitFPHomoLinear(200, 1000, { prob: 0.08, weight: 6.7, seed: 9 }), syn: bp.dyn.Expon.desc(1000, { tau: 10 }), out: bp.dyn.COBA.desc({ E: -80 }), post: N });
  const steps = Array.from({ length: 300 }, (_, i) => i);
  const spks = bm.for_loop((i: number) => {
    bp.share.save({ i, t: Math.fround(i * 0.1) });
    const spk = delay.at('I');
    E.call(spk.narrow(0, 0, 800));
    I.call(spk.narrow(0, 800, 200));
    delay.call(N.call(20));
    return N.spike;
  }, steps);
  const sp = spks.buffer as Uint8Array;
  const counts = steps.map((i) => sp.subarray(i * 1000, i * 1000 + 1000).reduce((a, b) => a + b, 0));
  const svg = bp.visualize.raster_plot(Float64Array.from(steps, (i) => i * 0.1), spks, { title: 'EINet in a page' });
  let drawn = false;
  if (typeof document !== 'undefined') drawn = bp.visualize.draw(svg, '#plot').nodeName === 'svg';
  const used = snn_backend();
  set_snn_backend('auto');
  return { backend: used, counts, svgBytes: svg.length, drawn };
}
