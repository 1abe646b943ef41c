/**
 * bp.dyn align-pre, vanilla and delta projections, against hand-derived few-step values (upstream align_pre.py,
 * vanilla.py, delta.py). A tiny network: 2 pre neurons with scheduled spikes, 3 post neurons (a Lif that never
 * fires), dense comm W (3 × 2). The pre-side synapse is an Expon: after its update with input x at step n,
 *   g_n = g_{n−1}·c + x_n,   c = 1 − dt·exprel(−dt/τ)/τ ≈ e^(−dt/τ).
 * A DynSysGroup updates projections first, then the neuron groups, so a projection at step i reads what the pre
 * group's hooks wrote at step i − 1 (or earlier, through a delay).
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { DynamicalSystem } from '../../../src/brainpy/dynsys';
import { close } from '../../helpers/approx';
import { Src, arr, decay, exprel } from './helpers';

const cV = 0.1 * exprel(-0.1 / 10); // the post Lif's (tau 10) dt·exprel(−dt/τ)

const W = [[1, 0.5], [0, 2], [0.25, 0.25]]; // post × pre
const mulW = (v: number[]): number[] => W.map((row) => row[0] * v[0] + row[1] * v[1]);
const dense = (x: torch.Tensor): torch.Tensor => torch.tensor(mulW(arr(x.to('float32'))));
const SPK = [[1, 0], [0, 1], [1, 1], [0, 0], [0, 1], [0, 0], [0, 0]];

const post = (): InstanceType<typeof bp.dyn.Lif> => new bp.dyn.Lif(3, { V_rest: 0, V_th: 1e9, tau: 10 });
/** One post step with a CUBA current I: V + cV·(−V + I)/τ. */
const stepV = (V: number[], I: number[]): number[] => V.map((v, k) => v + (cV * (-v + I[k])) / 10);

type Proj = { call(...a: unknown[]): unknown };

/** projections first, then pre (its hooks run after it), then post — as a DynSysGroup orders them */
class Net extends bp.DynSysGroup {
  pre = new Src();
  N = post();
  projs: Proj[] = [];
  override update(s: number[]): void {
    for (const p of this.projs) p.call();
    this.pre.call(s);
    this.N.call(0);
  }
}

/** The Expon state g_n = g_{n−1}·c + x_n over a schedule of inputs x (vectors of 2). */
function synTrace(xs: number[][], tau: number): number[][] {
  const c = decay(tau);
  let g = [0, 0];
  return xs.map((x) => (g = g.map((v, k) => v * c + x[k])));
}
const at = (tr: number[][], n: number): number[] => (n >= 0 ? tr[n] : [0, 0]);

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });

describe('FullProjAlignPreSDMg / SD: synapse, then delay', () => {
  test.each([['SDMg', 0.1], ['SDMg', null], ['SD', 0.1], ['SD', null]] as const)('%s, delay %s: the current at step i is W·g_{i−1}', (kind, delay) => {
    const net = new Net();
    const common = { pre: net.pre, delay, comm: dense, out: new bp.dyn.CUBA(), post: net.N };
    const P = kind === 'SDMg'
      ? new bp.dyn.FullProjAlignPreSDMg({ ...common, syn: bp.dyn.Expon.desc(2, { tau: 5 }) })
      : new bp.dyn.FullProjAlignPreSD({ ...common, syn: new bp.dyn.Expon(2, { tau: 5 }) });
    net.projs.push(P);
    const g = synTrace(SPK, 5);
    let V = [0, 0, 0];
    SPK.forEach((s, i) => {
      net.step_run(i, s);
      V = stepV(V, mulW(at(g, i - 1)));
      close(arr((P.syn as unknown as { g: torch.Tensor }).g), g[i]); // the pre-side synapse, updated after pre
      close(arr(net.N.V), V);
    });
    // the synapse and its delay run as one after-update of pre
    expect(net.pre.after_updates.size).toBe(1);
    expect([...net.N.current_inputs.keys()]).toEqual([P.name]);
  });

  test('a 0.3 ms delay: W·g_{i−2} (rotation buffer of 3 rows read before the write: d − 1 steps, reference §6.1)', () => {
    const net = new Net();
    const P = new bp.dyn.FullProjAlignPreSD(net.pre, new bp.dyn.Expon(2, { tau: 5 }), 0.3, dense, new bp.dyn.CUBA(), net.N);
    net.projs.push(P);
    expect(P.delay.max_length).toBe(3);
    const g = synTrace(SPK, 5);
    let V = [0, 0, 0];
    SPK.forEach((s, i) => {
      net.step_run(i, s);
      V = stepV(V, mulW(at(g, i - 2)));
      close(arr(net.N.V), V);
    });
  });

  test('SDMg: one synapse and one delay per (pre, syn descriptor), an entry per projection; SD never merges', () => {
    const net = new Net();
    const mk = (tau: number, delay: number | null) => new bp.dyn.FullProjAlignPreSDMg(net.pre, bp.dyn.Expon.desc(2, { tau }), delay, dense, new bp.dyn.CUBA(), net.N);
    const A = mk(5, 0.1), B = mk(5, null), C = mk(10, 0.1);
    expect(B.syn).toBe(A.syn);
    expect(B.delay).toBe(A.delay);
    expect(C.syn).not.toBe(A.syn);
    expect([...A.delay.entries]).toEqual([[A.name, 1], [B.name, null]]);
    expect(net.pre.after_updates.size).toBe(2);
    const syn = new bp.dyn.Expon(2, { tau: 5 });
    const D = new bp.dyn.FullProjAlignPreSD(net.pre, syn, 0.1, dense, new bp.dyn.CUBA(), net.N);
    expect(D.syn).toBe(syn);
    expect(net.pre.get_aft_update(D.name)).toBeInstanceOf(DynamicalSystem);
    expect(net.pre.after_updates.size).toBe(3);
  });

  test('update(x) with x given skips the delay read (upstream: `if x is None`)', () => {
    const net = new Net();
    const P = new bp.dyn.FullProjAlignPreSDMg(net.pre, bp.dyn.Expon.desc(2, { tau: 5 }), 0.1, dense, new bp.dyn.CUBA(), net.N);
    bp.share.save({ i: 0, t: 0 });
    close(arr(P.call(torch.tensor([2, 4]))), mulW([2, 4]));
  });

  test('resetting the network resets the pre-side synapse and its delay buffer', () => {
    const net = new Net();
    const P = new bp.dyn.FullProjAlignPreSDMg(net.pre, bp.dyn.Expon.desc(2, { tau: 5 }), 0.3, dense, new bp.dyn.CUBA(), net.N);
    net.projs.push(P);
    SPK.slice(0, 3).forEach((s, i) => net.step_run(i, s));
    expect(arr((P.syn as unknown as { g: torch.Tensor }).g).some((v) => v !== 0)).toBe(true);
    net.reset_state();
    expect(arr((P.syn as unknown as { g: torch.Tensor }).g)).toEqual([0, 0]);
    expect(arr(P.delay.data!).every((v) => v === 0)).toBe(true);
  });
});

describe('FullProjAlignPreDSMg / DS: delay, then synapse', () => {
  test.each([[0.1, 2], [null, 1]] as const)('DSMg, delay %s: the synapse runs in the pre delay\'s before-update; the current at step i is W·g_{i−1}, g fed %s step(s) late', (delay, lag) => {
    const net = new Net();
    const P = new bp.dyn.FullProjAlignPreDSMg({ pre: net.pre, delay, syn: bp.dyn.Expon.desc(2, { tau: 5 }), comm: dense, out: new bp.dyn.CUBA(), post: net.N });
    net.projs.push(P);
    // at step n the synapse reads the delay before it records s_n: 0.1 ms (one row) gives s_{n−1}; no delay gives s_n
    const fed = SPK.map((_, n) => (lag === 2 ? (n >= 1 ? SPK[n - 1] : [0, 0]) : SPK[n]));
    const g = synTrace(fed, 5);
    let V = [0, 0, 0];
    SPK.forEach((s, i) => {
      net.step_run(i, s);
      V = stepV(V, mulW(at(g, i - 1)));
      close(arr((P.syn as unknown as { g: torch.Tensor }).g), g[i]);
      close(arr(net.N.V), V);
    });
    const d = net.pre.get_aft_update('_*_delay_of_') as unknown as InstanceType<typeof bp.VarDelay>;
    expect(d.before_updates.size).toBe(1);
    expect([...d.before_updates.keys()][0]).toMatch(new RegExp(`^Delay\\(${delay === null ? 'None' : '0.1'}\\) // `));
  });

  test('DSMg merges by (delay, syn descriptor); the delay entry is named after the first projection', () => {
    const net = new Net();
    const mk = (delay: number | null, tau: number) => new bp.dyn.FullProjAlignPreDSMg(net.pre, delay, bp.dyn.Expon.desc(2, { tau }), dense, new bp.dyn.CUBA(), net.N);
    const A = mk(0.1, 5), B = mk(0.1, 5), C = mk(0.2, 5), D = mk(0.1, 10);
    expect(B.syn).toBe(A.syn);
    expect(C.syn).not.toBe(A.syn);
    expect(D.syn).not.toBe(A.syn);
    const d = net.pre.get_aft_update('_*_delay_of_') as unknown as InstanceType<typeof bp.VarDelay>;
    expect([...d.entries.keys()]).toEqual([A.name, C.name, D.name]);
    expect(d.before_updates.size).toBe(3);
  });

  test('DS: the projection owns the synapse and calls it in update: g_i = g_{i−1}·c + s_{i−1}, current W·g_i', () => {
    const net = new Net();
    const syn = new bp.dyn.Expon(2, { tau: 5 });
    const P = new bp.dyn.FullProjAlignPreDS(net.pre, 0.1, syn, dense, new bp.dyn.CUBA(), net.N);
    net.projs.push(P);
    const g = synTrace(SPK.map((_, n) => (n >= 1 ? SPK[n - 1] : [0, 0])), 5);
    let V = [0, 0, 0];
    SPK.forEach((s, i) => {
      net.step_run(i, s);
      V = stepV(V, mulW(g[i]));
      close(arr(syn.g), g[i]);
      close(arr(net.N.V), V);
    });
    expect(P.syn).toBe(syn);
  });
});

describe('align-pre vs align-post (linearity)', () => {
  test('FullProjAlignPreSD and FullProjAlignPost (Expon τ 5, delay 0.1, COBA) give the same post trajectory', () => {
    const a = new Net(), b = new Net();
    a.projs.push(new bp.dyn.FullProjAlignPreSD(a.pre, new bp.dyn.Expon(2, { tau: 5 }), 0.1, dense, new bp.dyn.COBA({ E: 1 }), a.N));
    b.projs.push(new bp.dyn.FullProjAlignPost(b.pre, 0.1, dense, new bp.dyn.Expon(3, { tau: 5 }), new bp.dyn.COBA({ E: 1 }), b.N));
    // W·(Σ_k c^(i−1−k) s_k) either way: the pre-side sum mapped by W, or the mapped spikes summed post-side
    SPK.forEach((s, i) => { a.step_run(i, s); b.step_run(i, s); close(arr(a.N.V), arr(b.N.V), 1e-6); });
    expect(arr(a.N.V).some((v) => v !== 0)).toBe(true);
  });
});

describe('VanillaProj', () => {
  test('binds comm(x) to its output each call: the synaptic state is the model\'s own', () => {
    const N = post();
    const P = new bp.dyn.VanillaProj({ comm: dense, out: new bp.dyn.COBA({ E: 1 }), post: N });
    const syn = new bp.dyn.Expon(2, { tau: 5 });
    const g = synTrace(SPK, 5);
    let V = [0, 0, 0];
    SPK.forEach((s, i) => {
      bp.share.save({ i, t: i * 0.1 });
      const current = P.call(syn.call(torch.tensor(s)));
      close(arr(current), mulW(g[i]));
      N.call(0);
      const G = mulW(g[i]);
      V = V.map((v, k) => v + (cV * (-v + G[k] * (1 - v))) / 10);
      close(arr(N.V), V);
    });
    expect([...N.current_inputs.keys()]).toEqual([P.name]);
  });

  test('bad arguments raise naming the class and the argument', () => {
    const N = post();
    expect(() => new bp.dyn.VanillaProj(dense, bp.dyn.COBA.desc({ E: 0 }), N)).toThrow(/bp\.dyn\.VanillaProj: out must be a synaptic output instance/);
    expect(() => new bp.dyn.VanillaProj(dense, new bp.dyn.COBA({ E: 0 }), 3)).toThrow(/bp\.dyn\.VanillaProj: post must be a bp\.DynamicalSystem/);
    expect(() => new bp.dyn.VanillaProj(42, new bp.dyn.COBA({ E: 0 }), N)).toThrow(/bp\.dyn\.VanillaProj: comm must be a layer/);
    const P = new bp.dyn.VanillaProj(() => 7 as unknown as torch.Tensor, new bp.dyn.COBA({ E: 0 }), N);
    expect(() => P.call(torch.tensor([1, 0]))).toThrow(/bp\.dyn\.VanillaProj: comm must return a Tensor, got number/);
  });
});

describe('HalfProjDelta / FullProjDelta', () => {
  test('Half: comm(x) is a delta input, added to V after the integration; a step without the projection adds the last one again', () => {
    const N = post();
    const P = new bp.dyn.HalfProjDelta(dense, N);
    expect([...N.delta_inputs.keys()]).toEqual([P.name]);
    let V = [0, 0, 0];
    SPK.forEach((s, i) => {
      bp.share.save({ i, t: i * 0.1 });
      if (i !== 4) P.call(torch.tensor(s).to('bool'));
      N.call(0);
      const d = mulW(i === 4 ? SPK[3] : s); // step 4 skips the projection: step 3's value is bound still
      V = stepV(V, [0, 0, 0]).map((v, k) => v + d[k]);
      close(arr(N.V), V);
    });
  });

  test('Half: the post group stepped before the projection ever ran raises a clear error', () => {
    const N = post();
    new bp.dyn.HalfProjDelta(dense, N);
    bp.share.save({ i: 0, t: 0 });
    expect(() => N.call(0)).toThrow(/delta input was read before the projection ran/);
  });

  test.each([0.1, null] as const)('Full, delay %s: W·s_{i−1} is added to V at step i', (delay) => {
    const net = new Net();
    const P = new bp.dyn.FullProjDelta(net.pre, delay, dense, net.N);
    net.projs.push(P);
    expect(P.delay).toBe(net.pre.get_aft_update('_*_delay_of_'));
    let V = [0, 0, 0];
    SPK.forEach((s, i) => {
      net.step_run(i, s);
      const d = mulW(i >= 1 ? SPK[i - 1] : [0, 0]);
      V = stepV(V, [0, 0, 0]).map((v, k) => v + d[k]);
      close(arr(net.N.V), V);
    });
  });
});
