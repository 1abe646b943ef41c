/**
 * A line-by-line port of BrainPy's examples/dynamics_simulation/ei_nets.py: the E/I balanced network (LifRefLTC,
 * 3200 E + 800 I, COBA E 0 / −80 mV, input 20) wired six ways —
 *   model1        one group, VarDelay, HalfProjAlignPost (event JIT comm, Expon on post)
 *   model2        E and I groups, four FullProjAlignPost (delay 0.1 ms)
 *   model3        one group, VarDelay, Expon synapses on the pre side, VanillaProj (JIT comm of g)
 *   model4        E and I groups, four FullProjAlignPreSDMg (pre synapse → delay → comm)
 *   model5        E and I groups, four FullProjAlignPreDSMg (delay → pre synapse → comm)
 *   vanilla_proj  as model3 with CSRLinear over bp.conn.FixedProb(0.02) and V0 ~ Normal(−55, 1), 10 000 steps
 * Each runs `bm.for_loop(i => model.step_run(i, 20), indices)` (1000 steps; vanilla_proj 10 000) and draws the
 * raster of the returned spikes. Upstream leaves the JIT layers' and initializers' seeds to numpy's global state; here
 * they are given (`seed`, and `seed + k` per layer) so that a run repeats.
 *
 *   npx tsx examples/brainpy/ei_nets.ts --model model4 [--steps 1000] [--seed 42] [--raster out.svg]
 */
import { bp, bm } from '../../src/brainpy/index';
import type { Tensor } from '../../src/torch/index';

type Lif = InstanceType<typeof bp.dyn.LifRefLTC>;
const lif = (n: number, seed: number, sigma = 2): Lif =>
  new bp.dyn.LifRefLTC(n, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Normal(-55, sigma, seed) });

/** model1: HalfProjAlignPost (non-merging), the delay of the group's spikes read with no delay (the last step's). */
export class Model1 extends bp.DynSysGroup {
  N: Lif;
  delay: InstanceType<typeof bp.VarDelay>;
  E: InstanceType<typeof bp.dyn.HalfProjAlignPost>;
  I: InstanceType<typeof bp.dyn.HalfProjAlignPost>;
  constructor(seed: number) {
    super();
    this.N = lif(4000, seed);
    this.delay = new bp.VarDelay(this.N.spike, { entries: { I: null } });
    this.E = new bp.dyn.HalfProjAlignPost({ comm: new bp.dnn.EventJitFPHomoLinear(3200, 4000, { prob: 0.02, weight: 0.6, seed: seed + 1 }), syn: new bp.dyn.Expon(4000, { tau: 5 }), out: new bp.dyn.COBA({ E: 0 }), post: this.N });
    this.I = new bp.dyn.HalfProjAlignPost({ comm: new bp.dnn.EventJitFPHomoLinear(800, 4000, { prob: 0.02, weight: 6.7, seed: seed + 2 }), syn: new bp.dyn.Expon(4000, { tau: 10 }), out: new bp.dyn.COBA({ E: -80 }), post: this.N });
  }
  override update(input: number): Tensor {
    const spk = this.delay.at('I');
    this.E.call(spk.narrow(0, 0, 3200));
    this.I.call(spk.narrow(0, 3200, 800));
    this.delay.call(this.N.call(input));
    return this.N.spike;
  }
}

type FullProj = typeof bp.dyn.FullProjAlignPost | typeof bp.dyn.FullProjAlignPreSDMg | typeof bp.dyn.FullProjAlignPreDSMg;

/**
 * model2, model4, model5: separate E and I groups and four full projections of the given kind. `atomic` is the
 * align-pre comm's (upstream's default false); true gives it the same matrix as model2's event layers (atomic by
 * default), under which model2 and model4 compute the same currents (see test/brainpy/dyn/ei_nets.test.ts).
 */
export class TwoGroupNet extends bp.DynSysGroup {
  E: Lif; I: Lif;
  E2E: InstanceType<FullProj>; E2I: InstanceType<FullProj>; I2E: InstanceType<FullProj>; I2I: InstanceType<FullProj>;
  constructor(kind: 'align_post' | 'align_pre_sd' | 'align_pre_ds', seed: number, atomic = false) {
    super();
    const ne = 3200, ni = 800;
    this.E = lif(ne, seed);
    this.I = lif(ni, seed + 100);
    const proj = (pre: Lif, post: Lif, nPre: number, nPost: number, w: number, tau: number, Erev: number, s: number): InstanceType<FullProj> => {
      const a = { pre, delay: 0.1, out: new bp.dyn.COBA({ E: Erev }), post };
      if (kind === 'align_post') return new bp.dyn.FullProjAlignPost({ ...a, comm: new bp.dnn.EventJitFPHomoLinear(nPre, nPost, { prob: 0.02, weight: w, seed: s }), syn: new bp.dyn.Expon(nPost, { tau }) });
      const b = { ...a, syn: bp.dyn.Expon.desc(nPre, { tau }), comm: new bp.dnn.JitFPHomoLinear(nPre, nPost, { prob: 0.02, weight: w, seed: s, atomic }) };
      return kind === 'align_pre_sd' ? new bp.dyn.FullProjAlignPreSDMg(b) : new bp.dyn.FullProjAlignPreDSMg(b);
    };
    this.E2E = proj(this.E, this.E, ne, ne, 0.6, 5, 0, seed + 1);
    this.E2I = proj(this.E, this.I, ne, ni, 0.6, 5, 0, seed + 2);
    this.I2E = proj(this.I, this.E, ni, ne, 6.7, 10, -80, seed + 3);
    this.I2I = proj(this.I, this.I, ni, ni, 6.7, 10, -80, seed + 4);
  }
  override update(inp: number): Tensor {
    this.E2E.call();
    this.E2I.call();
    this.I2E.call();
    this.I2I.call();
    this.E.call(inp);
    this.I.call(inp);
    return this.E.spike;
  }
}

/** model3 and vanilla_proj: Expon synapses on the pre side, VanillaProj with a JIT (model3) or CSR (vanilla) comm. */
export class VanillaNet extends bp.DynSysGroup {
  N: Lif;
  delay: InstanceType<typeof bp.VarDelay>;
  syn1 = new bp.dyn.Expon(3200, { tau: 5 });
  syn2 = new bp.dyn.Expon(800, { tau: 10 });
  E: InstanceType<typeof bp.dyn.VanillaProj>;
  I: InstanceType<typeof bp.dyn.VanillaProj>;
  constructor(readonly comm: 'jit' | 'csr', seed: number) {
    super();
    this.N = lif(4000, seed, comm === 'csr' ? 1 : 2);
    this.entry = comm === 'csr' ? 'delay' : 'I';
    this.delay = new bp.VarDelay(this.N.spike, { entries: { [this.entry]: comm === 'csr' ? 0 : null } });
    const layer = (nPre: number, w: number, s: number) => comm === 'jit'
      ? new bp.dnn.JitFPHomoLinear(nPre, 4000, { prob: 0.02, weight: w, seed: s })
      : new bp.dnn.CSRLinear(new bp.conn.FixedProb(0.02, { pre: nPre, post: 4000, seed: s }), w);
    this.E = new bp.dyn.VanillaProj({ comm: layer(3200, 0.6, seed + 1), out: new bp.dyn.COBA({ E: 0 }), post: this.N });
    this.I = new bp.dyn.VanillaProj({ comm: layer(800, 6.7, seed + 2), out: new bp.dyn.COBA({ E: -80 }), post: this.N });
  }
  private readonly entry: string;
  override update(input: number): Tensor {
    const spk = this.delay.at(this.entry);
    this.E.call(this.syn1.call(spk.narrow(0, 0, 3200)));
    this.I.call(this.syn2.call(spk.narrow(0, 3200, 800)));
    this.delay.call(this.N.call(input));
    return this.N.spike;
  }
}

export const MODELS = ['model1', 'model2', 'model3', 'model4', 'model5', 'vanilla_proj'] as const;
export type ModelName = typeof MODELS[number];

export function buildModel(name: ModelName, seed = 42): InstanceType<typeof bp.DynSysGroup> {
  switch (name) {
    case 'model1': return new Model1(seed);
    case 'model2': return new TwoGroupNet('align_post', seed);
    case 'model3': return new VanillaNet('jit', seed);
    case 'model4': return new TwoGroupNet('align_pre_sd', seed);
    case 'model5': return new TwoGroupNet('align_pre_ds', seed);
    case 'vanilla_proj': return new VanillaNet('csr', seed);
  }
}

/** `spks = bm.for_loop(lambda i: model.step_run(i, 20.), indices)`: the [steps, neurons] spikes the model returns. */
export function runModel(name: ModelName | InstanceType<typeof bp.DynSysGroup>, steps: number, seed = 42): Tensor {
  bm.set_dt(0.1);
  bp.share.clear_shargs();
  let model: InstanceType<typeof bp.DynSysGroup>;
  if (typeof name === 'string') { bm.clear_name_cache(); model = buildModel(name, seed); } else model = name;
  const indices = bm.arange(steps);
  return bm.for_loop((i: Tensor) => model.step_run(i, 20), indices) as Tensor;
}

async function main(argv: string[]): Promise<void> {
  const get = (k: string, d: string): string => { const i = argv.indexOf(`--${k}`); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
  const name = get('model', 'model1') as ModelName;
  const steps = Number(get('steps', name === 'vanilla_proj' ? '10000' : '1000'));
  const seed = Number(get('seed', '42'));
  const raster = get('raster', '');
  if (!MODELS.includes(name) || !Number.isInteger(steps) || steps < 1 || !Number.isInteger(seed) || raster.startsWith('--')) {
    console.error(`usage: ei_nets.ts --model ${MODELS.join('|')} [--steps <n>] [--seed <int>] [--raster out.svg]`);
    process.exit(2);
  }
  const t0 = performance.now();
  const spks = runModel(name, steps, seed);
  const ms = performance.now() - t0;
  const total = Number(spks.sum().item()), n = spks.shape[1];
  console.log(`${name}: ${steps} steps (${steps / 10} ms), ${n} neurons returned, ${total} spikes, ${(total / n / (steps / 10000)).toFixed(2)} Hz, ${ms.toFixed(0)} ms`);
  if (raster) {
    const indices = bm.arange(steps);
    await bp.visualize.save_svg(raster, bp.visualize.raster_plot(indices, spks, { title: `ei_nets ${name}` }));
    console.log(`raster: ${raster}`);
  }
}

if (process.argv[1] && /ei_nets\.ts$/.test(process.argv[1])) main(process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
