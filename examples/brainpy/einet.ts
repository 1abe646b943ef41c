/**
 * The E/I balanced COBA network of BrainPy's align-post projection docs (reference notes §6.1), in two forms:
 *   --form half: one LifRef(4000) group, a VarDelay of its spikes (entry 'I', no delay: the previous step's spikes),
 *                E/I HalfProjAlignPostMg (EventJitFPHomoLinear prob 0.02, w 0.6 / 6.7; Expon τ 5 / 10 ms;
 *                COBA E 0 / −80 mV).
 *   --form full: LifRef(3200) E + LifRef(800) I and four FullProjAlignPost with delay 0.1 ms.
 * LifRef: V_rest −60, V_th −50, V_reset −60, tau 20, tau_ref 5, V0 ~ Normal(−55, 2); input 20; dt 0.1 ms.
 *
 *   npx tsx examples/brainpy/einet.ts --duration 1000 --form half [--seed 42]
 * prints the mean firing rate (Hz) and the run time (ms per simulated second).
 */
import { bp, bm } from '../../src/brainpy/index';
import type { Tensor } from '../../src/torch/index';

export type EINetForm = 'half' | 'full';

/** The HalfProjAlignPostMg form (one group of ne + ni neurons). */
export class EINetHalf extends bp.DynSysGroup {
  N: InstanceType<typeof bp.dyn.LifRef>;
  delay: InstanceType<typeof bp.VarDelay>;
  E: InstanceType<typeof bp.dyn.HalfProjAlignPostMg>;
  I: InstanceType<typeof bp.dyn.HalfProjAlignPostMg>;
  constructor(readonly ne = 3200, readonly ni = 800, seed = 42, readonly prob = 0.02) {
    super();
    const n = ne + ni;
    this.N = new bp.dyn.LifRef(n, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Normal(-55, 2, seed) });
    this.delay = new bp.VarDelay(this.N.spike, { entries: { I: null } });
    this.E = new bp.dyn.HalfProjAlignPostMg({ comm: new bp.dnn.EventJitFPHomoLinear(ne, n, prob, 0.6, seed + 1), syn: bp.dyn.Expon.desc(n, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 0 }), post: this.N });
    this.I = new bp.dyn.HalfProjAlignPostMg({ comm: new bp.dnn.EventJitFPHomoLinear(ni, n, prob, 6.7, seed + 2), syn: bp.dyn.Expon.desc(n, { tau: 10 }), out: bp.dyn.COBA.desc({ E: -80 }), post: this.N });
  }
  override update(inp: number): Tensor {
    const spk = this.delay.at('I');
    this.E.call(spk.narrow(0, 0, this.ne));
    this.I.call(spk.narrow(0, this.ne, this.ni));
    this.delay.call(this.N.call(inp));
    return this.N.spike;
  }
}

/** The FullProjAlignPost form (separate E and I groups, delay 0.1 ms). */
export class EINetFull extends bp.DynSysGroup {
  E: InstanceType<typeof bp.dyn.LifRef>;
  I: InstanceType<typeof bp.dyn.LifRef>;
  projs: InstanceType<typeof bp.dyn.FullProjAlignPost>[];
  constructor(readonly ne = 3200, readonly ni = 800, seed = 42, readonly prob = 0.02) {
    super();
    const lif = (n: number, s: number) => new bp.dyn.LifRef(n, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Normal(-55, 2, s) });
    this.E = lif(ne, seed);
    this.I = lif(ni, seed + 100);
    const proj = (pre: InstanceType<typeof bp.dyn.LifRef>, post: InstanceType<typeof bp.dyn.LifRef>, w: number, tau: number, Erev: number, s: number) =>
      new bp.dyn.FullProjAlignPost({ pre, delay: 0.1, comm: new bp.dnn.EventJitFPHomoLinear(pre.num, post.num, prob, w, s), syn: new bp.dyn.Expon(post.num, { tau }), out: new bp.dyn.COBA({ E: Erev }), post });
    this.projs = [
      proj(this.E, this.E, 0.6, 5, 0, seed + 1), proj(this.E, this.I, 0.6, 5, 0, seed + 2),
      proj(this.I, this.E, 6.7, 10, -80, seed + 3), proj(this.I, this.I, 6.7, 10, -80, seed + 4),
    ];
  }
  override update(inp: number): Tensor {
    for (const p of this.projs) p.call();
    this.E.call(inp);
    this.I.call(inp);
    return this.E.spike;
  }
}

export interface EINetResult { rate_hz: number; spikes: number; steps: number; wall_ms: number; ms_per_sim_s: number; counts: Uint32Array }

/** Runs `duration` ms at dt 0.1 ms with input 20; rate = spikes / (neurons · duration). */
export function runEINet(form: EINetForm, duration: number, opts: { ne?: number; ni?: number; seed?: number; prob?: number } = {}): EINetResult {
  bm.set_dt(0.1);
  bm.clear_name_cache();
  bp.share.clear_shargs();
  const ne = opts.ne ?? 3200, ni = opts.ni ?? 800, seed = opts.seed ?? 42, prob = opts.prob ?? 0.02;
  const net = form === 'half' ? new EINetHalf(ne, ni, seed, prob) : new EINetFull(ne, ni, seed, prob);
  const groups = form === 'half' ? [(net as EINetHalf).N] : [(net as EINetFull).E, (net as EINetFull).I];
  const n = ne + ni, steps = Math.round(duration / 0.1);
  const counts = new Uint32Array(n);
  let spikes = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    net.step_run(i, 20);
    let off = 0;
    for (const g of groups) {
      const s = g.spike.buffer as Uint8Array, o = g.spike.offset;
      for (let k = 0; k < g.num; k++) if (s[o + k]) { counts[off + k]++; spikes++; }
      off += g.num;
    }
  }
  const wall_ms = performance.now() - t0;
  return { rate_hz: spikes / n / (duration / 1000), spikes, steps, wall_ms, ms_per_sim_s: wall_ms / (duration / 1000), counts };
}

function main(argv: string[]): void {
  const get = (k: string, d: string): string => { const i = argv.indexOf(`--${k}`); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
  const duration = Number(get('duration', '1000'));
  const form = get('form', 'half');
  const seed = Number(get('seed', '42'));
  if (!(duration > 0) || (form !== 'half' && form !== 'full') || !Number.isInteger(seed)) {
    console.error('usage: einet.ts --duration <ms> --form half|full [--seed <int>]');
    process.exit(2);
  }
  const r = runEINet(form, duration, { seed });
  console.log(`EINet (${form}): ${duration} ms, ${r.steps} steps, ${r.spikes} spikes`);
  console.log(`mean firing rate: ${r.rate_hz.toFixed(2)} Hz`);
  console.log(`run time: ${r.wall_ms.toFixed(0)} ms (${r.ms_per_sim_s.toFixed(0)} ms per simulated second)`);
}

if (process.argv[1] && /einet\.ts$/.test(process.argv[1])) main(process.argv.slice(2));
