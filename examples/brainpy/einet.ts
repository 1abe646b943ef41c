/**
 * The E/I balanced COBA network of BrainPy's align-post projection docs (reference notes §6.1), in two forms:
 *   --form half: one LifRef(4000) group, a VarDelay of its spikes (entry 'I', no delay: the previous step's spikes),
 *                E/I HalfProjAlignPostMg (EventJitFPHomoLinear prob 0.02, w 0.6 / 6.7; Expon τ 5 / 10 ms;
 *                COBA E 0 / −80 mV).
 *   --form full: LifRef(3200) E + LifRef(800) I and four FullProjAlignPost with delay 0.1 ms.
 * LifRef: V_rest −60, V_th −50, V_reset −60, tau 20, tau_ref 5, V0 ~ Normal(−55, 2); input 20; dt 0.1 ms.
 *
 *   npx tsx examples/brainpy/einet.ts --duration 1000 --form half [--seed 42] [--raster out.svg] [--voltages out.svg]
 * prints the spike count, the mean firing rate (Hz), the CV of the inter-spike intervals (mean over neurons with
 * ≥ 3 spikes, population std / mean, as compat/brian2_coba.py computes it) and the run time (ms per simulated second).
 * --raster writes a bp.visualize.raster_plot SVG of all neurons (for long runs only the first neurons, so that the
 * [T, N] matrix handed to raster_plot stays ≤ 40 M entries); --voltages writes a bp.visualize.line_plot SVG of the
 * membrane potential of a few neurons (ids 0, 1, 2, 3). The printed run time includes the per-step recording
 * (spike list, and the few voltages with --voltages).
 */
import { bp, bm } from '../../src/brainpy/index';
import type { Tensor } from '../../src/torch/index';
import { Tensor as CoreTensor } from '../../src/torch/index';

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

export interface EINetResult {
  rate_hz: number; spikes: number; steps: number; wall_ms: number; ms_per_sim_s: number; counts: Uint32Array;
  /** Mean CV of ISIs over neurons with ≥ 3 spikes (null if none); only when opts.record_spikes. */
  cv_isi?: number | null; cv_isi_neurons?: number;
  /** Spike (step, neuron) pairs in order of occurrence; only when opts.record_spikes. */
  spike_steps?: Int32Array; spike_ids?: Int32Array;
  /** [steps, voltage_ids.length] membrane potentials (row-major); only when opts.voltage_ids. */
  voltages?: Float64Array; voltage_ids?: number[];
}

export interface EINetOptions {
  ne?: number; ni?: number; seed?: number; prob?: number;
  /** Record every spike (step, neuron) and compute the CV of ISIs. */
  record_spikes?: boolean;
  /** Record V of these neurons (global index over E then I) every step. */
  voltage_ids?: number[];
}

/** Mean over neurons with ≥ 3 spikes of std(ISI) / mean(ISI) (population std, like numpy's default). */
export function cvISI(spike_steps: Int32Array, spike_ids: Int32Array, n: number, dt: number): { cv: number | null; neurons: number } {
  const cnt = new Int32Array(n + 1);
  for (let k = 0; k < spike_ids.length; k++) cnt[spike_ids[k] + 1]++;
  for (let i = 0; i < n; i++) cnt[i + 1] += cnt[i];
  const start = cnt.slice(0, n), pos = cnt.slice(0, n);
  const times = new Float64Array(spike_ids.length);
  for (let k = 0; k < spike_ids.length; k++) times[pos[spike_ids[k]]++] = spike_steps[k] * dt; // steps are in order
  let sum = 0, neurons = 0;
  for (let i = 0; i < n; i++) {
    const a = start[i], b = cnt[i + 1], m = b - a;
    if (m < 3) continue;
    let mean = 0;
    for (let k = a + 1; k < b; k++) mean += times[k] - times[k - 1];
    mean /= m - 1;
    if (!(mean > 0)) continue;
    let v = 0;
    for (let k = a + 1; k < b; k++) { const d = times[k] - times[k - 1] - mean; v += d * d; }
    sum += Math.sqrt(v / (m - 1)) / mean;
    neurons++;
  }
  return { cv: neurons ? sum / neurons : null, neurons };
}

class GrowI32 {
  a = new Int32Array(1 << 16); n = 0;
  push(x: number): void { if (this.n === this.a.length) { const b = new Int32Array(this.a.length * 2); b.set(this.a); this.a = b; } this.a[this.n++] = x; }
  get(): Int32Array { return this.a.slice(0, this.n); }
}

/** Runs `duration` ms at dt 0.1 ms with input 20; rate = spikes / (neurons · duration). */
export function runEINet(form: EINetForm, duration: number, opts: EINetOptions = {}): EINetResult {
  bm.set_dt(0.1);
  bm.clear_name_cache();
  bp.share.clear_shargs();
  const ne = opts.ne ?? 3200, ni = opts.ni ?? 800, seed = opts.seed ?? 42, prob = opts.prob ?? 0.02;
  const net = form === 'half' ? new EINetHalf(ne, ni, seed, prob) : new EINetFull(ne, ni, seed, prob);
  const groups = form === 'half' ? [(net as EINetHalf).N] : [(net as EINetFull).E, (net as EINetFull).I];
  const n = ne + ni, steps = Math.round(duration / 0.1);
  const counts = new Uint32Array(n);
  let spikes = 0;
  const rec = !!opts.record_spikes;
  const sSteps = new GrowI32(), sIds = new GrowI32();
  const vids = opts.voltage_ids ?? [];
  for (const id of vids) if (!Number.isInteger(id) || id < 0 || id >= n) throw new Error(`runEINet: voltage id ${id} not in [0, ${n})`);
  const nv = vids.length;
  const volt = nv ? new Float64Array(steps * nv) : null;
  // voltage sources: (group, local index) per recorded id
  const vsrc = vids.map((id) => { let off = 0; for (const g of groups) { if (id < off + g.num) return { g, k: id - off }; off += g.num; } throw new Error('unreachable'); });
  const indices = Array.from({ length: steps }, (_, i) => i);
  const t0 = performance.now();
  // BrainPy: bm.for_loop(lambda i: model.step_run(i, 20.), indices); the body records spikes instead of returning
  // the [steps, neurons] spike matrix (a 5 s run would stack 50 000 × 4000 bytes)
  bm.for_loop((i: number) => {
    net.step_run(i, 20);
    let off = 0;
    for (const g of groups) {
      // the spiking indices (the LIF step lists them, so this costs the spikes, not the group size)
      const ids = bm.nonzero(g.spike)[0], b = ids.buffer as Int32Array, o = ids.offset, m = ids.numel();
      spikes += m;
      for (let q = 0; q < m; q++) { const k = off + b[o + q]; counts[k]++; if (rec) { sSteps.push(i); sIds.push(k); } }
      off += g.num;
    }
    if (volt) for (let j = 0; j < nv; j++) { const { g, k } = vsrc[j]; volt[i * nv + j] = (g.V.buffer as ArrayLike<number>)[g.V.offset + k]; }
  }, indices);
  const wall_ms = performance.now() - t0;
  const r: EINetResult = { rate_hz: spikes / n / (duration / 1000), spikes, steps, wall_ms, ms_per_sim_s: wall_ms / (duration / 1000), counts };
  if (rec) {
    r.spike_steps = sSteps.get(); r.spike_ids = sIds.get();
    const c = cvISI(r.spike_steps, r.spike_ids, n, 0.1);
    r.cv_isi = c.cv; r.cv_isi_neurons = c.neurons;
  }
  if (volt) { r.voltages = volt; r.voltage_ids = vids.slice(); }
  return r;
}

/** Raster SVG of a recorded run (rows = steps; neurons limited so that steps · neurons ≤ 40 M). */
export function einetRasterSVG(r: EINetResult, n: number, title = 'EINet raster'): { svg: string; neurons: number } {
  if (!r.spike_steps || !r.spike_ids) throw new Error('einetRasterSVG: run with record_spikes');
  const T = r.steps, N = Math.max(1, Math.min(n, Math.floor(40e6 / T)));
  const sp = new Uint8Array(T * N);
  for (let k = 0; k < r.spike_ids.length; k++) if (r.spike_ids[k] < N) sp[r.spike_steps[k] * N + r.spike_ids[k]] = 1;
  const ts = new Float64Array(T);
  for (let i = 0; i < T; i++) ts[i] = i * 0.1;
  const spm = CoreTensor.fromBuffer(sp, [T, N], 'bool');
  const svg = bp.visualize.raster_plot(ts, spm as unknown as Tensor, { title: N < n ? `${title} (neurons 0–${N - 1})` : title, markersize: 1 });
  return { svg, neurons: N };
}

/** Line plot SVG of the recorded membrane potentials. */
export function einetVoltageSVG(r: EINetResult, title = 'EINet membrane potentials'): string {
  if (!r.voltages || !r.voltage_ids) throw new Error('einetVoltageSVG: run with voltage_ids');
  const T = r.steps, k = r.voltage_ids.length;
  const ts = new Float64Array(T);
  for (let i = 0; i < T; i++) ts[i] = i * 0.1;
  const vm = CoreTensor.fromBuffer(r.voltages, [T, k], 'float64');
  // line_plot labels traces `${legend}-${column}`; the columns are the recorded ids in order
  return bp.visualize.line_plot(ts, vm as unknown as Tensor, { plot_ids: Array.from({ length: k }, (_, j) => j), xlabel: 'Time (ms)', ylabel: 'V (mV)', legend: 'V', title: `${title} (neurons ${r.voltage_ids.join(', ')})` });
}

async function main(argv: string[]): Promise<void> {
  const get = (k: string, d: string): string => { const i = argv.indexOf(`--${k}`); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
  const duration = Number(get('duration', '1000'));
  const form = get('form', 'half');
  const seed = Number(get('seed', '42'));
  const raster = get('raster', ''), voltages = get('voltages', '');
  if (!(duration > 0) || (form !== 'half' && form !== 'full') || !Number.isInteger(seed) || raster.startsWith('--') || voltages.startsWith('--')) {
    console.error('usage: einet.ts --duration <ms> --form half|full [--seed <int>] [--raster out.svg] [--voltages out.svg]');
    process.exit(2);
  }
  const r = runEINet(form, duration, { seed, record_spikes: true, voltage_ids: voltages ? [0, 1, 2, 3] : undefined });
  console.log(`EINet (${form}): ${duration} ms, ${r.steps} steps`);
  console.log(`spike count: ${r.spikes}`);
  console.log(`mean firing rate: ${r.rate_hz.toFixed(2)} Hz`);
  console.log(`CV of ISIs: ${r.cv_isi == null ? 'n/a' : r.cv_isi.toFixed(3)} (mean over ${r.cv_isi_neurons} neurons with >= 3 spikes)`);
  console.log(`run time: ${r.wall_ms.toFixed(0)} ms (${r.ms_per_sim_s.toFixed(0)} ms per simulated second)`);
  if (raster) {
    const { svg, neurons } = einetRasterSVG(r, r.counts.length, `EINet (${form}) raster`);
    await bp.visualize.save_svg(raster, svg);
    console.log(`raster (${neurons} neurons): ${raster} (${(svg.length / 1024).toFixed(0)} KiB)`);
  }
  if (voltages) {
    const svg = einetVoltageSVG(r, `EINet (${form}) membrane potentials`);
    await bp.visualize.save_svg(voltages, svg);
    console.log(`voltages: ${voltages} (${(svg.length / 1024).toFixed(0)} KiB)`);
  }
}

if (process.argv[1] && /einet\.ts$/.test(process.argv[1])) main(process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
