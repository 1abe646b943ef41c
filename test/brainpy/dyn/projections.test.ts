/**
 * bp.dyn align-post projections and bp.DynSysGroup, against hand-derived few-step values (reference notes §6.1):
 *   Mg:     g_n = (g_{n−1} + Δ_n)·c      non-Mg: g_n = g_{n−1}·c + Δ_n,      c = 1 − dt·exprel(−dt/τ)/τ ≈ e^(−dt/τ)
 * with a tiny network: 2 pre neurons, 3 post neurons, dense comm Δ = W·spk.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { DynamicalSystem } from '../../../src/brainpy/dynsys';
import { close } from '../../helpers/approx';
import { Src, arr, decay, exprel } from './helpers';


// dense comm: Δ = W·spk, W is 3 post × 2 pre
const W = [[1, 0.5], [0, 2], [0.25, 0.25]];
const dense = (x: torch.Tensor): torch.Tensor => {
  const s = arr(x);
  return torch.tensor(W.map((row) => row[0] * s[0] + row[1] * s[1]));
};
const delta = (s: number[]): number[] => W.map((row) => row[0] * s[0] + row[1] * s[1]);
const SPK = [[1, 0], [0, 1], [1, 1], [0, 0]];
const boolT = (s: number[]): torch.Tensor => torch.tensor(s).to('bool');

const post = (): InstanceType<typeof bp.dyn.Lif> => new bp.dyn.Lif(3, { V_rest: 0, V_th: 1e9, tau: 10 });

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });

describe('HalfProjAlignPostMg', () => {
  test('g_n = (g_{n−1} + Δ_n)·c; the output is bound before the post neuron integrates', () => {
    const N = post();
    const P = new bp.dyn.HalfProjAlignPostMg({ comm: dense, syn: bp.dyn.Expon.desc(3, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 1 }), post: N });
    const c = decay(5), cV = 0.1 * exprel(-0.1 / 10);
    let g = [0, 0, 0], V = [0, 0, 0];
    SPK.forEach((s, i) => {
      bp.share.save({ i, t: i * 0.1 });
      P.call(boolT(s));
      N.call(0);
      const d = delta(s);
      g = g.map((v, k) => (v + d[k]) * c);
      V = V.map((v, k) => v + cV * (-v + g[k] * (1 - v)) / 10);
      close(arr((P.syn as unknown as { g: torch.Tensor }).g), g);
      close(arr(N.V), V);
    });
    expect(N.before_updates.size).toBe(1);
    expect([...N.current_inputs.keys()]).toEqual([P.name]);
  });

  test('projections with identical descriptors share one synapse; different ones do not', () => {
    const N = post();
    const mk = (tau: number, label?: string) => new bp.dyn.HalfProjAlignPostMg(dense, bp.dyn.Expon.desc(3, { tau }), bp.dyn.COBA.desc({ E: 1 }), N, label);
    const A = mk(5), B = mk(5), C = mk(10), D = mk(5, 'x');
    expect(A.syn).toBe(B.syn);
    expect(A.out).toBe(B.out);
    expect(C.syn).not.toBe(A.syn);
    expect(D.syn).not.toBe(A.syn);
    expect(N.before_updates.size).toBe(3);
    expect([...N.current_inputs.keys()]).toEqual([A.name, C.name, `x // ${D.name}`]);
    // both projections add into the shared g: g = (Δa + Δb)·c
    bp.share.save({ i: 0, t: 0 });
    A.call(boolT([1, 0]));
    B.call(boolT([0, 1]));
    N.call(0);
    const c = decay(5), d = delta([1, 1]);
    close(arr((A.syn as unknown as { g: torch.Tensor }).g), d.map((v) => v * c));
    close(arr((C.syn as unknown as { g: torch.Tensor }).g), [0, 0, 0]);
    // reset_state of the post group resets the merged synapse (it lives in the post group's hook)
    N.reset_state();
    close(arr((A.syn as unknown as { g: torch.Tensor }).g), [0, 0, 0]);
  });
});

describe('HalfProjAlignPost (non-Mg)', () => {
  test('g_n = g_{n−1}·c + Δ_n, computed by the projection', () => {
    const N = post();
    const syn = new bp.dyn.Expon(3, { tau: 5 });
    const P = new bp.dyn.HalfProjAlignPost({ comm: dense, syn, out: new bp.dyn.COBA({ E: 1 }), post: N });
    const c = decay(5), cV = 0.1 * exprel(-0.1 / 10);
    let g = [0, 0, 0], V = [0, 0, 0];
    SPK.forEach((s, i) => {
      bp.share.save({ i, t: i * 0.1 });
      P.call(boolT(s));
      N.call(0);
      const d = delta(s);
      g = g.map((v, k) => v * c + d[k]);
      V = V.map((v, k) => v + cV * (-v + g[k] * (1 - v)) / 10);
      close(arr(syn.g), g);
      close(arr(N.V), V);
    });
    expect(N.before_updates.size).toBe(0);
  });

  test('Mg vs non-Mg: the same spikes give g differing by the factor c on the newest input', () => {
    const N1 = post(), N2 = post();
    const M = new bp.dyn.HalfProjAlignPostMg(dense, bp.dyn.Expon.desc(3, { tau: 5 }), bp.dyn.COBA.desc({ E: 1 }), N1);
    const H = new bp.dyn.HalfProjAlignPost(dense, new bp.dyn.Expon(3, { tau: 5 }), new bp.dyn.COBA({ E: 1 }), N2);
    const c = decay(5);
    bp.share.save({ i: 0, t: 0 });
    M.call(boolT([1, 0])); N1.call(0);
    H.call(boolT([1, 0])); N2.call(0);
    // after one step: Mg g = Δ·c, non-Mg g = Δ; ratio exactly c (one decay)
    close(arr((M.syn as unknown as { g: torch.Tensor }).g), [c, 0, 0.25 * c]);
    close(arr((H.syn as unknown as { g: torch.Tensor }).g), [1, 0, 0.25]);
    // with no new input both decay identically afterwards: the ratio stays c
    for (let i = 1; i < 5; i++) { bp.share.save({ i, t: i * 0.1 }); M.call(boolT([0, 0])); N1.call(0); H.call(boolT([0, 0])); N2.call(0); }
    const gm = arr((M.syn as unknown as { g: torch.Tensor }).g), gh = arr((H.syn as unknown as { g: torch.Tensor }).g);
    expect(Math.abs(gm[0] / gh[0] - c)).toBeLessThan(1e-6);
    expect(gm[0]).toBeLessThan(gh[0]);
  });
});

class FullNet extends bp.DynSysGroup {
  pre = new Src();
  N = post();
  constructor(public kind: 'mg' | 'plain', delay: number | null) {
    super();
    const args = { pre: this.pre, delay, comm: dense, post: this.N };
    this.P = kind === 'mg'
      ? new bp.dyn.FullProjAlignPostMg({ ...args, syn: bp.dyn.Expon.desc(3, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 1 }) })
      : new bp.dyn.FullProjAlignPost({ ...args, syn: new bp.dyn.Expon(3, { tau: 5 }), out: new bp.dyn.COBA({ E: 1 }) });
  }
  P: InstanceType<typeof bp.dyn.FullProjAlignPostMg> | InstanceType<typeof bp.dyn.FullProjAlignPost>;
  override update(s: number[]): void { this.P.call(); this.pre.call(s); this.N.call(0); }
}

describe('FullProjAlignPost(Mg)', () => {
  test.each([['mg', 0.1], ['mg', null], ['plain', 0.1], ['plain', 0]] as const)('%s, delay %s: pre spikes of step n−1 act at step n', (kind, delay) => {
    const net = new FullNet(kind, delay);
    // as BrainPy 2.8.2: the pre group always gets its VarDelay hook, with an entry for the projection
    expect(net.P.delay).toBe(net.pre.get_aft_update('_*_delay_of_'));
    expect(net.P.delay.entries.get(net.P.name)).toBe(delay === 0.1 ? 1 : delay === 0 ? 0 : null);
    const c = decay(5);
    let g = [0, 0, 0], prev = [0, 0];
    SPK.forEach((s, i) => {
      net.step_run(i, s);
      const d = delta(prev);
      g = g.map((v, k) => (kind === 'mg' ? (v + d[k]) * c : v * c + d[k]));
      close(arr((net.P.syn as unknown as { g: torch.Tensor }).g), g);
      prev = s;
    });
  });

  test('a delay of 0.3 ms registers a 3-step VarDelay as an after-update of the pre group', () => {
    const net = new FullNet('plain', 0.3);
    expect(net.P.delay!.max_length).toBe(3);
    expect(net.pre.has_aft_update('_*_delay_of_')).toBe(true);
  });
});

describe('DynSysGroup', () => {
  test('default update: projections, then dynamics, then others', () => {
    const order: string[] = [];
    class Rec extends DynamicalSystem {
      constructor(public tag: string, public varshape?: number[]) { super(); }
      override update(): void { order.push(this.tag); }
    }
    class Proj extends bp.dyn.Projection { override update(): void { order.push('proj'); } }
    const g = new bp.DynSysGroup(new Rec('other'), new Rec('neuron', [3]), { p: new Proj() });
    g.step_run(0);
    expect(order).toEqual(['proj', 'neuron', 'other']);
    // own properties are children too
    class G extends bp.DynSysGroup { a = new Rec('other2'); b = new Rec('dyn2', [1]); c = new Proj(); }
    order.length = 0;
    new G().step_run(0);
    expect(order).toEqual(['proj', 'dyn2', 'other2']);
  });

  test('a group with a recurrent FullProjAlignPostMg (JIT conn, seeded) is deterministic', () => {
    const build = () => {
      bm.clear_name_cache();
      const E = new bp.dyn.LifRef(20, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Normal(-55, 2, 7) });
      const comm = new bp.dnn.EventJitFPHomoLinear(20, 20, 0.3, 0.6, 11);
      const P = new bp.dyn.FullProjAlignPostMg({ pre: E, delay: 0.1, comm, syn: bp.dyn.Expon.desc(20, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 0 }), post: E });
      class Net extends bp.DynSysGroup { E = E; P = P; override update(): torch.Tensor { this.P.call(); return this.E.call(20); } }
      return new Net();
    };
    const run = () => { const n = build(); const out: number[] = []; for (let i = 0; i < 300; i++) out.push(...arr(n.step_run(i))); return out; };
    const a = run(), b = run();
    expect(a).toEqual(b);
    expect(a.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
  });
});
