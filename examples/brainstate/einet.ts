/**
 * The COBA E/I network in brainstate form (brainstate 0.1.10 `examples/103_COBA_2005.py`, reference notes §6.2):
 * one LIFRef(4000) group (V_rest −60, V_th −50, V_reset −60, tau 20, tau_ref 5, V0 ~ Normal(−55, 2)), the first 3200
 * excitatory, and two AlignPostProj onto it:
 *   E: EventFixedProb(3200, 4000, conn_num 0.02, weight 0.6 mS), Expon.desc(tau 5), COBA.desc(E 0)
 *   I: EventFixedProb(800, 4000, conn_num 0.02, weight 6.7 mS), Expon.desc(tau 10), COBA.desc(E −80)
 * input 20 mA every step, dt 0.1 ms; step: spk = N.get_spike() != 0 (last step's spikes); E(spk[:3200]);
 * I(spk[3200:]); N(20) — run with compile.for_loop. The connectivity is drawn with spikeport's torch RNG
 * (torch.manual_seed(seed)), so it cannot match brainstate's (numpy/JAX) draws.
 *
 * Units (settled from brainstate 0.1.10 `_neuron.py`/`_synouts.py`/`_synapse.py` and brainunit 0.1.x `Quantity`):
 * LIFRef integrates dV/dt = (−V + V_rest + R·(x + Σ g·(E − V)))/tau with R = 1 Ω (default), x = 20 mA, g in mS
 * (Expon, weights 0.6 / 6.7 mS), V, E in mV. brainunit multiplies units (mS·mV = 1e-6 A = µA; Ω·mA = mV) and `a + b`
 * converts b's mantissa into a's unit, so `20 mA + g·(E − V)` adds the COBA mantissa × 1e-3 (µA → mA). In the mV/ms
 * mantissas the integrator sees: tonic R·x = 1 Ω·20 mA = 20 mV (factor 1), synaptic R·g·(E − V) = 1 Ω·mS·mV =
 * 1e-3 mV per unit (factor 1e-3; the exp-Euler Jacobian is −(1 + 1e-3·Σg)/tau). Upstream's network is therefore
 * the unitless one with every conductance × 1e-3 (g in siemens while V is in mV, R in Ω, I in mA), which is the
 * default here (`--units brainunit`, weight scale 1e-3); `--units unitless` gives the BrainPy 2.x / Brian2-strength
 * network (weight scale 1); `--weight-scale x` sets any other factor. With 1e-3 the synapses add ≈ −1 mV of net
 * inhibition to a 20 mV tonic drive: free neuron 53.2 Hz (49 held steps + 139 steps from −60 to −50 mV = 18.8 ms,
 * soft reset); mean field with the network's own mean conductances 50.62 Hz over 10 s. Upstream's benchmark reports
 * 50.61 Hz (10 s); this port gives 50.61 Hz over 10 s and 50.71 Hz over 1 s (seed 42), 21.84 Hz with `--units unitless`.
 * (test/brainstate/einet_units.test.ts checks the rate against these bounds.)
 *
 *   npx tsx examples/brainstate/einet.ts --duration 1000 [--seed 42] [--scale 1] [--units brainunit|unitless] [--weight-scale x]
 * prints the spike count, the mean firing rate (Hz) and the run time.
 */
import * as torch from '../../src/torch/index';
import { compile, environ, nn } from '../../src/brainstate/index';

type Tensor = torch.Tensor;

/** Conductance factor of upstream's brainunit physics: R·g·(E − V) = 1 Ω · 1 mS · 1 mV = 1e-3 mV (see above). */
export const BRAINUNIT_WEIGHT_SCALE = (1 /* Ω */ * 1e-3 /* mS in S */ * 1e-3 /* mV in V */) / 1e-3 /* result in mV */;
/** The unitless BrainPy 2.x / Brian2 benchmark strength (weights 0.6 / 6.7 in units of 1/R). */
export const UNITLESS_WEIGHT_SCALE = 1;
export type EINetUnits = 'brainunit' | 'unitless';
const unitScale = (u: EINetUnits): number => (u === 'brainunit' ? BRAINUNIT_WEIGHT_SCALE : UNITLESS_WEIGHT_SCALE);

export class EINet {
  n_exc: number; n_inh: number; num: number;
  N: InstanceType<typeof nn.LIFRef>;
  E: InstanceType<typeof nn.AlignPostProj>;
  I: InstanceType<typeof nn.AlignPostProj>;
  constructor(scale = 1, seed = 42, weight_scale = BRAINUNIT_WEIGHT_SCALE) {
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

export interface BSEINetResult { rate_hz: number; spikes: number; steps: number; wall_ms: number; weight_scale: number; counts: Float32Array; per_step: Float32Array }

/**
 * Runs `duration` ms (dt 0.1) with compile.for_loop; rate = spikes / (neurons · duration). Synaptic strength:
 * `weight_scale` if given, else by `units` ('brainunit', upstream's physics, the default: 1e-3; 'unitless': 1).
 */
export function runBrainstateEINet(duration: number, opts: { scale?: number; seed?: number; units?: EINetUnits; weight_scale?: number } = {}): BSEINetResult {
  environ.set({ dt: 0.1 });
  const dt = environ.get_dt();
  const units = opts.units ?? 'brainunit';
  if (units !== 'brainunit' && units !== 'unitless') throw new Error(`runBrainstateEINet: units must be 'brainunit' or 'unitless', got ${String(units)}`);
  const weight_scale = opts.weight_scale ?? unitScale(units);
  const net = new EINet(opts.scale ?? 1, opts.seed ?? 42, weight_scale);
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
  return { rate_hz: spikes / net.num / (duration / 1000), spikes, steps, wall_ms, weight_scale, counts, per_step: ps };
}

function main(argv: string[]): void {
  const get = (k: string, d: string): string => { const i = argv.indexOf(`--${k}`); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
  const duration = Number(get('duration', '1000')), seed = Number(get('seed', '42'));
  const units = get('units', 'brainunit');
  const wsArg = get('weight-scale', '');
  const scale = Number(get('scale', '1')), ws = wsArg === '' ? undefined : Number(wsArg);
  if (!(duration > 0) || !Number.isInteger(seed) || !(scale > 0) || (units !== 'brainunit' && units !== 'unitless') || (ws !== undefined && !(ws >= 0))) {
    console.error('usage: einet.ts --duration <ms> [--seed <int>] [--scale <x>] [--units brainunit|unitless] [--weight-scale <x>]');
    process.exit(2);
  }
  const r = runBrainstateEINet(duration, { seed, scale, units, weight_scale: ws });
  const phys = ws !== undefined ? `weight scale ${ws}` : units === 'brainunit'
    ? `brainunit physics (upstream: R = 1 Ω, g in mS ⇒ synaptic term × ${BRAINUNIT_WEIGHT_SCALE})` : 'unitless BrainPy 2.x strength (weight scale 1)';
  console.log(`brainstate EINet: ${Math.round(4000 * scale)} neurons, ${duration} ms, ${r.steps} steps, ${phys}`);
  console.log(`spike count: ${r.spikes}`);
  console.log(`mean firing rate: ${r.rate_hz.toFixed(2)} Hz`);
  console.log(`run time: ${r.wall_ms.toFixed(0)} ms (${(r.wall_ms / (duration / 1000)).toFixed(0)} ms per simulated second)`);
}

if (process.argv[1] && /examples[\\/]brainstate[\\/]einet\.ts$/.test(process.argv[1])) main(process.argv.slice(2));
