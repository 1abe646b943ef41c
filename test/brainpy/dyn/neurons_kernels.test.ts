/**
 * bp.dyn Lif / LifRef on the step kernels (core/kernels/snn.ts): the SIMD and the JS kernels give the same bits with
 * every kind of input (COBA, CUBA, a plain function, a SynOut subclass with its own update, delta inputs), the sum
 * follows upstream's order (x first, then each input as registered), and state replaced from outside is taken up.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { set_snn_backend } from '../../../src/index';

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });
afterEach(() => set_snn_backend('auto'));

/** A SynOut with its own update (an Mg-block-like output): the neuron must call it, not treat it as COBA. */
class HalfCOBA extends bp.dyn.COBA {
  override update(g: torch.Tensor | number, V: torch.Tensor | number): torch.Tensor | number {
    return (super.update(g, V) as torch.Tensor).mul(0.5);
  }
}

function run(backend: 'wasm' | 'js'): { V: number[][]; spikes: number[][] } {
  set_snn_backend(backend);
  bm.clear_name_cache(); bp.share.clear_shargs();
  const n = 7;
  const N = new bp.dyn.LifRef(n, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, tau_ref: 2, V_initializer: torch.tensor([-55, -50.2, -60, -51, -52, -58, -49.9]) });
  const coba = new bp.dyn.COBA({ E: 0 }); coba.bind_cond(torch.tensor([0.1, 0.3, 0, 0.2, 0.05, 1, 0]));
  const cuba = new bp.dyn.CUBA(); cuba.bind_cond(torch.tensor([1, 0, 2, 0, 0.5, 0, 3]));
  const half = new HalfCOBA({ E: -80 }); half.bind_cond(0.2);
  N.add_inp_fun('a', coba);
  N.add_inp_fun('b', (V: torch.Tensor) => V.mul(-0.01));
  N.add_inp_fun('c', cuba);
  N.add_inp_fun('d', half);
  N.add_inp_fun('kick', () => 0.3, null, 'delta');
  const V: number[][] = [], spikes: number[][] = [];
  for (let i = 0; i < 40; i++) {
    N.step_run(i, 12);
    V.push(Array.from(N.V.buffer.subarray(N.V.offset, N.V.offset + n) as Float32Array));
    spikes.push(Array.from(N.spike.buffer.subarray(N.spike.offset, N.spike.offset + n) as Uint8Array));
  }
  return { V, spikes };
}

test('SIMD and JS kernels agree bit for bit with COBA, CUBA, function, subclassed-output and delta inputs', () => {
  const w = run('wasm'), j = run('js');
  expect(w.V).toEqual(j.V);
  expect(w.spikes).toEqual(j.spikes);
  expect(w.spikes.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
});

test('one step equals the formulas in upstream order: I = ((((x + g(E−V)) − 0.01V) + g_c) + ½·g(E_h − V)), float32', () => {
  const fr = Math.fround;
  const N = new bp.dyn.Lif(2, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, V_initializer: torch.tensor([-55, -58]) });
  const coba = new bp.dyn.COBA({ E: 0 }); coba.bind_cond(torch.tensor([0.1, 0.3]));
  const cuba = new bp.dyn.CUBA(); cuba.bind_cond(torch.tensor([1, 2]));
  const half = new HalfCOBA({ E: -80 }); half.bind_cond(0.2);
  N.add_inp_fun('a', coba); N.add_inp_fun('b', (V: torch.Tensor) => V.mul(-0.01)); N.add_inp_fun('c', cuba); N.add_inp_fun('d', half);
  N.step_run(0, 12);
  const dt = fr(0.1), tau = fr(20);
  const z = fr(dt * fr(-1 / tau));
  const c = fr(dt * fr(fr(fr(Math.exp(z)) - 1) / z));
  const want = [[-55, 0.1, 1], [-58, 0.3, 2]].map(([v, g, gc]) => {
    let I = fr(12);
    I = fr(I + fr(g * fr(0 - v)));
    I = fr(I + fr(v * fr(-0.01)));
    I = fr(I + gc);
    I = fr(I + fr(fr(fr(0.2) * fr(-80 - v)) * 0.5));
    return fr(v + fr(c * fr(fr(fr(-60 - v) + I) / tau)));
  });
  expect(Array.from(N.V.buffer.subarray(N.V.offset, N.V.offset + 2) as Float32Array)).toEqual(want);
});

test('V replaced from outside (V.data = …) is taken up by the next step', () => {
  const N = new bp.dyn.Lif(3, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, V_initializer: -60 });
  N.step_run(0, 0);
  N.V.data = torch.tensor([-49, -55, -60]);
  const spk = N.step_run(1, 0) as torch.Tensor;
  expect(Array.from(spk.buffer.subarray(spk.offset, spk.offset + 3) as Uint8Array)).toEqual([1, 0, 0]);
  N.step_run(2, 0);
  expect(Array.from(N.V.buffer.subarray(N.V.offset, N.V.offset + 3) as Float32Array)[0]).toBeCloseTo(-60 + 0, 0);
});

test('spike bytes: each step clears only the last step\'s spikes, unless the spike Variable was written in between', () => {
  // reference: the JS kernels write every byte each step
  const steps = (backend: 'wasm' | 'js'): number[][] => {
    set_snn_backend(backend);
    bm.clear_name_cache(); bp.share.clear_shargs();
    const N = new bp.dyn.LifRef(6, { V_rest: -60, V_reset: -60, V_th: -50, tau: 5, tau_ref: 0.3, V_initializer: torch.tensor([-50.5, -55, -51, -60, -50.1, -52]) });
    const out: number[][] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 7) N.spike.fill_(true); // written from outside: the next step must still give exact spike bytes
      if (i === 12) N.spike.value = torch.tensor([1, 0, 1, 0, 1, 0]).to('bool');
      N.step_run(i, 40);
      out.push(Array.from(N.spike.toTypedArray() as Uint8Array));
    }
    return out;
  };
  const w = steps('wasm'), j = steps('js');
  expect(w).toEqual(j);
  expect(w.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
});
