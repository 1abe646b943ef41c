/**
 * The COBA E/I network in brainstate form (brainstate 0.1.10 `examples/103_COBA_2005.py`, reference notes §6.2):
 * one LIFRef(4000) group (V_rest −60, V_th −50, V_reset −60, tau 20, tau_ref 5, V0 ~ Normal(−55, 2)), the first 3200
 * excitatory, and two AlignPostProj onto it:
 *   E: EventFixedProb(3200, 4000, conn_num 0.02, weight 0.6), Expon.desc(tau 5), COBA.desc(E 0)
 *   I: EventFixedProb(800, 4000, conn_num 0.02, weight 6.7), Expon.desc(tau 10), COBA.desc(E −80)
 * input 20 every step, dt 0.1 ms; step: spk = N.get_spike() != 0 (last step's spikes); E(spk[:3200]);
 * I(spk[3200:]); N(20) — run with compile.for_loop. The connectivity is drawn with spikeport's torch RNG
 * (torch.manual_seed(seed)), so it cannot match brainstate's (numpy/JAX) draws.
 *
 * Units: spikeport is unitless, so the weights act at full strength (R·g·(E − V) with g in the same units as V/R),
 * as in the unitless BrainPy 2.x / Brian2 COBA benchmark. Upstream's brainunit version uses R = 1 Ω with g in mS,
 * which makes the synapses ~1000× weaker (notes §6.2, medium confidence) and fires ≈ 50 Hz;
 * `--weight-scale 0.001` reproduces that reading.
 *
 *   npx tsx examples/brainstate/einet.ts --duration 1000 [--seed 42] [--scale 1] [--weight-scale 1]
 * prints the spike count, the mean firing rate (Hz) and the run time.
 */
import * as torch from '../../src/torch/index';
import { compile, environ, nn } from '../../src/brainstate/index';

type Tensor = torch.Tensor;

export class EINet {
  n_exc: number; n_inh: number; num: number;
  N: InstanceType<typeof nn.LIFRef>;
  E: InstanceType<typeof nn.AlignPostProj>;
  I: InstanceType<typeof nn.AlignPostProj>;
  constructor(scale = 1, seed = 42, weight_scale = 1) {
    torch.manual_seed(seed);
    this.n_exc = Math.round(3200 * scale);
    this.n_inh = Math.round(800 * scale);
    this.num = this.n_exc + this.n_inh;
    const n = this.num;
    this.N = new nn.LIFRef(n, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: (shape: number[]) => torch.randn(shape).mul(2).add(-55) });
    this.E = new nn.AlignPostProj({ comm: new nn.EventFixedProb(this.n_exc, n, { conn_num: 0.02, conn_weight: 0.6 * weight_scale }), syn: nn.Expon.desc(n, { tau: 5 }), out: nn.COBA.desc(0), post: this.N });
    this.I = new nn.AlignPostProj({ comm: new nn.EventFixedProb(this.n_inh, n, { conn_num: 0.02, conn_weight: 6.7 * weight_scale }), syn: nn.Expon.desc(n, { tau: 10 }), out: nn.COBA.desc(-80), post: this.N });
    this.N.init_state();
  }
  update(inp: number): Tensor {
    const spk = this.N.get_spike().ne(0);
    this.E.call(spk.narrow(0, 0, this.n_exc));
    this.I.call(spk.narrow(0, this.n_exc, this.n_inh));
    return this.N.call(inp);
  }
}

export interface BSEINetResult { rate_hz: number; spikes: number; steps: number; wall_ms: number; counts: Float32Array; per_step: Float32Array }

/** Runs `duration` ms (dt 0.1) with compile.for_loop; rate = spikes / (neurons · duration). */
export function runBrainstateEINet(duration: number, opts: { scale?: number; seed?: number; weight_scale?: number } = {}): BSEINetResult {
  environ.set({ dt: 0.1 });
  const dt = environ.get_dt();
  const net = new EINet(opts.scale ?? 1, opts.seed ?? 42, opts.weight_scale ?? 1);
  const steps = Math.round(duration / dt);
  const counts = new Float32Array(net.num);
  const idx = Int32Array.from({ length: steps }, (_, i) => i);
  const t0 = performance.now();
  const per_step = compile.for_loop((i: number) => environ.context({ i, t: Math.fround(i * Math.fround(dt)) }, () => {
    const s = net.update(20).toTypedArray() as Float32Array;
    let c = 0;
    for (let k = 0; k < s.length; k++) if (s[k]) { counts[k]++; c++; }
    return c;
  }), idx) as Tensor;
  const wall_ms = performance.now() - t0;
  const ps = per_step.toTypedArray() as Float32Array;
  let spikes = 0;
  for (let k = 0; k < ps.length; k++) spikes += ps[k];
  return { rate_hz: spikes / net.num / (duration / 1000), spikes, steps, wall_ms, counts, per_step: ps };
}

function main(argv: string[]): void {
  const get = (k: string, d: string): string => { const i = argv.indexOf(`--${k}`); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
  const duration = Number(get('duration', '1000')), seed = Number(get('seed', '42'));
  const scale = Number(get('scale', '1')), ws = Number(get('weight-scale', '1'));
  if (!(duration > 0) || !Number.isInteger(seed) || !(scale > 0) || !(ws >= 0)) {
    console.error('usage: einet.ts --duration <ms> [--seed <int>] [--scale <x>] [--weight-scale <x>]');
    process.exit(2);
  }
  const r = runBrainstateEINet(duration, { seed, scale, weight_scale: ws });
  console.log(`brainstate EINet: ${Math.round(4000 * scale)} neurons, ${duration} ms, ${r.steps} steps`);
  console.log(`spike count: ${r.spikes}`);
  console.log(`mean firing rate: ${r.rate_hz.toFixed(2)} Hz`);
  console.log(`run time: ${r.wall_ms.toFixed(0)} ms (${(r.wall_ms / (duration / 1000)).toFixed(0)} ms per simulated second)`);
}

if (process.argv[1] && /examples[\\/]brainstate[\\/]einet\.ts$/.test(process.argv[1])) main(process.argv.slice(2));
