import * as torch from '../../../src/torch/index';
import { environ, nn } from '../../../src/brainstate/index';
import { State } from '../../../src/brainstate/_state';
import { runBrainstateEINet } from '../../../examples/brainstate/einet';

const arr = (t: torch.Tensor): number[] => Array.from(t.toTypedArray() as Float32Array);
afterEach(() => environ._reset_for_tests());

/** A dense hand-weighted comm: 2 pre → 3 post. */
const W = [[1, 0, 2], [0, 3, 1]];
const dense = (spk: torch.Tensor): torch.Tensor => {
  const s = arr(spk.to('float32'));
  return torch.tensor([0, 1, 2].map((j) => s[0] * W[0][j] + s[1] * W[1][j]));
};

describe('AlignPostProj (brainstate 0.1.10)', () => {
  test('g_n = g_{n-1}·e^(−dt/τ) + Δ_n, the delta consumed by the post step (reset next step)', () => {
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9, V_rest: 0, V_initializer: 0 });
    post.init_state();
    const proj = new nn.AlignPostProj({ comm: dense, syn: nn.Expon.desc(3, { tau: 5 }), out: nn.CUBA.desc(), post });
    const d = Math.exp(-0.1 / 5);
    const pre = [[1, 0], [0, 1], [0, 0], [1, 1]];
    let g = [0, 0, 0];
    for (let i = 0; i < pre.length; i++) {
      environ.context({ i, t: i * 0.1 }, () => {
        proj.call(torch.tensor(pre[i]));
        post.call(0);
      });
      const delta = [0, 1, 2].map((j) => pre[i][0] * W[0][j] + pre[i][1] * W[1][j]);
      g = g.map((x, j) => x * d + delta[j]); // brainstate order: decay the old g, then add Δ (not decayed this step)
      arr((proj.syn as InstanceType<typeof nn.Expon>).g.value).forEach((x, j) => expect(x).toBeCloseTo(g[j], 5));
      // the value delta input was consumed by this step's syn update: nothing is left for the next one
      expect(proj.syn.delta_inputs?.size ?? 0).toBe(0);
    }
    // step 0 by hand: Δ = [1, 0, 2] → g = [1, 0, 2] undecayed; step 1: g = [d, 3, 2d + 1]
  });

  test('hand values at steps 0 and 1, and the post integrates with g_n', () => {
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9, V_initializer: 0 });
    post.init_state();
    const proj = new nn.AlignPostProj({ comm: dense, syn: nn.Expon.desc(3, { tau: 5 }), out: nn.CUBA.desc(), post });
    const syn = proj.syn as InstanceType<typeof nn.Expon>;
    const d = Math.exp(-0.02);
    environ.context({ i: 0, t: 0 }, () => { proj.call(torch.tensor([1, 0])); post.call(0); });
    expect(arr(syn.g.value)).toEqual([1, 0, 2]);
    // V_1 = g·(1 − e^(−dt/τm)) with the CUBA current g (scale 1) evaluated in the integrand
    arr(post.V.value).forEach((v, j) => expect(v).toBeCloseTo([1, 0, 2][j] * (1 - Math.exp(-0.01)), 6));
    environ.context({ i: 1, t: 0.1 }, () => { proj.call(torch.tensor([0, 1])); post.call(0); });
    arr(syn.g.value).forEach((x, j) => expect(x).toBeCloseTo([d, 3, 2 * d + 1][j], 6));
    environ.context({ i: 2, t: 0.2 }, () => { post.call(0); }); // no projection input: pure decay
    arr(syn.g.value).forEach((x, j) => expect(x).toBeCloseTo([d * d, 3 * d, (2 * d + 1) * d][j], 6));
  });

  test('descriptors with the same identity merge into one conductance; different ones do not', () => {
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9 });
    post.init_state();
    const a = new nn.AlignPostProj({ comm: dense, syn: nn.Expon.desc(3, { tau: 5 }), out: nn.COBA.desc(0), post });
    const b = new nn.AlignPostProj({ comm: dense, syn: nn.Expon.desc(3, { tau: 5 }), out: nn.COBA.desc(0), post });
    const c = new nn.AlignPostProj({ comm: dense, syn: nn.Expon.desc(3, { tau: 10 }), out: nn.COBA.desc(-80), post });
    expect(a.syn).toBe(b.syn);
    expect(a.syn).not.toBe(c.syn);
    environ.context({ i: 0, t: 0 }, () => { a.call(torch.tensor([1, 0])); b.call(torch.tensor([0, 1])); post.call(0); });
    expect(arr((a.syn as InstanceType<typeof nn.Expon>).g.value)).toEqual([1, 3, 3]);
  });

  test('prefetch(...).delay.at(0.2): the pre value of two steps ago', () => {
    const pre = new nn.LIF(2, { tau: 5, V_th: 1e9 });
    pre.init_state();
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9 });
    post.init_state();
    const proj = new nn.AlignPostProj(pre.prefetch('V').delay.at(0.2), { comm: (v: torch.Tensor) => v.clone(), syn: nn.Expon.desc(2, { tau: 5 }), out: nn.CUBA.desc(), post: pre });
    const Vs: number[][] = [];
    const seen: number[][] = [];
    for (let i = 0; i < 5; i++) {
      environ.context({ i, t: i * 0.1 }, () => {
        seen.push(arr(proj.call()));
        pre.call(10);
        Vs.push(arr(pre.V.value));
      });
    }
    expect(seen[0]).toEqual([0, 0]);
    expect(seen[1]).toEqual([0, 0]);
    expect(seen[2]).toEqual(Vs[0]);
    expect(seen[4]).toEqual(Vs[2]);
    void post;
  });
});

describe('EventFixedProb', () => {
  test('k = int(n_post·p) targets per pre, weight per spike, deterministic with a seed', () => {
    const c = new nn.EventFixedProb(10, 50, { conn_num: 0.1, conn_weight: 0.5, seed: 3 });
    expect(c.conn_num).toBe(5);
    expect(c.indices.length).toBe(50);
    const c2 = new nn.EventFixedProb(10, 50, { conn_num: 0.1, conn_weight: 0.5, seed: 3 });
    expect(Array.from(c2.indices)).toEqual(Array.from(c.indices));
    const spk = torch.zeros(10, { dtype: 'bool' });
    const s = torch.tensor([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]).ne(0);
    const out = arr(c.call(s));
    const exp = new Array(50).fill(0);
    for (const i of [0, 9]) for (let j = 0; j < 5; j++) exp[c.indices[i * 5 + j]] += 0.5;
    out.forEach((x, j) => expect(x).toBeCloseTo(exp[j], 6));
    expect(arr(c.call(spk)).every((x) => x === 0)).toBe(true);
    const u = new nn.EventFixedProb(4, 6, { conn_num: 6, conn_weight: 1, allow_multi_conn: false, seed: 1 });
    for (let i = 0; i < 4; i++) expect(new Set(u.indices.slice(i * 6, i * 6 + 6)).size).toBe(6);
  });
});

describe('brainstate EINet (COBA, examples/brainstate/einet.ts)', () => {
  test('4000 neurons, 60 ms, unitless (BrainPy 2.x strength): rate in 5–40 Hz (Brette et al. 2007 COBA; Brian2 fixtures/brian2/coba_4000_1s.json: 20.69 Hz) and deterministic', () => {
    const a = runBrainstateEINet(60, { seed: 7, units: 'unitless' });
    expect(a.rate_hz).toBeGreaterThan(5);
    expect(a.rate_hz).toBeLessThan(40);
    const b = runBrainstateEINet(60, { seed: 7, units: 'unitless' });
    expect(b.spikes).toBe(a.spikes);
    expect(Array.from(b.per_step)).toEqual(Array.from(a.per_step));
  });
});

describe('DeltaProj and CurrentProj (brainstate 0.1.10)', () => {
  const e = Math.exp(-0.1 / 10); // the post LIF's (tau 10) decay over one step
  const pre = [[1, 0], [0, 1], [1, 1]];
  const delta = (s: number[]): number[] => [0, 1, 2].map((j) => s[0] * W[0][j] + s[1] * W[1][j]);

  test('DeltaProj: comm(x) is added to V after the integration, once (a value delta input, used by the next step)', () => {
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9, V_rest: 0, V_initializer: 0 });
    post.init_state();
    const proj = new nn.DeltaProj({ comm: dense, post });
    let V = [0, 0, 0];
    pre.forEach((s, i) => {
      environ.context({ i, t: i * 0.1 }, () => { proj.call(torch.tensor(s)); post.call(0); });
      V = V.map((v, j) => v * e + delta(s)[j]); // V_new = V·e^(−dt/τ) (no current), then += Σ delta
      arr(post.V.value).forEach((v, j) => expect(v).toBeCloseTo(V[j], 5));
      expect(post.delta_inputs?.size ?? 0).toBe(0);
    });
    environ.context({ i: 3, t: 0.3 }, () => { post.call(0); }); // no projection call: nothing is added again
    arr(post.V.value).forEach((v, j) => expect(v).toBeCloseTo(V[j] * e, 5));
    // twice before post consumes it: the key is taken (ValueError upstream)
    environ.context({ i: 4, t: 0.4 }, () => { proj.call(torch.tensor([1, 0])); expect(() => proj.call(torch.tensor([0, 1]))).toThrow(/has been defined and used in the delta inputs/); });
  });

  test('DeltaProj with a label and a State as its prefetch (its value is the input)', () => {
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9, V_initializer: 0 });
    post.init_state();
    const st = new State(torch.tensor([0, 1]));
    const proj = new nn.DeltaProj(st, { comm: dense, post, label: 'exc' });
    environ.context({ i: 0, t: 0 }, () => { proj.call(); expect([...post.delta_inputs!.keys()]).toEqual([`exc // ${proj.name}`]); post.call(0); });
    arr(post.V.value).forEach((v, j) => expect(v).toBeCloseTo(delta([0, 1])[j], 6));
    expect(() => new nn.DeltaProj({ comm: dense, post }).call()).toThrow(/output must be a single value, got 0/);
  });

  test('CurrentProj: comm(x) bound to a CUBA current input, integrated inside the step: V = (V − I)·e^(−dt/τ) + I', () => {
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9, V_rest: 0, V_initializer: 0 });
    post.init_state();
    const proj = new nn.CurrentProj({ comm: dense, out: new nn.CUBA(), post });
    expect([...post.current_inputs!.keys()]).toEqual([proj.name]);
    let V = [0, 0, 0];
    pre.forEach((s, i) => {
      environ.context({ i, t: i * 0.1 }, () => { proj.call(torch.tensor(s)); post.call(0); });
      const I = delta(s);
      V = V.map((v, j) => (v - I[j]) * e + I[j]);
      arr(post.V.value).forEach((v, j) => expect(v).toBeCloseTo(V[j], 5));
    });
  });

  test('CurrentProj reads a prefetch (with a delay): the pre potential of two steps ago', () => {
    const src = new nn.LIF(3, { tau: 5, V_th: 1e9 });
    src.init_state();
    const post = new nn.LIF(3, { tau: 10, V_th: 1e9 });
    post.init_state();
    const seen: number[][] = [], Vs: number[][] = [];
    const proj = new nn.CurrentProj(src.prefetch('V').delay.at(0.2), { comm: (v: torch.Tensor) => { seen.push(arr(v)); return v.clone(); }, out: new nn.CUBA(), post });
    for (let i = 0; i < 4; i++) environ.context({ i, t: i * 0.1 }, () => { proj.call(); src.call(10); Vs.push(arr(src.V.value)); post.call(0); });
    expect(seen[0]).toEqual([0, 0, 0]);
    expect(seen[2]).toEqual(Vs[0]);
    expect(seen[3]).toEqual(Vs[1]);
    expect(() => new nn.CurrentProj((x: torch.Tensor) => x, { comm: dense, out: new nn.CUBA(), post })).toThrow(/the last prefetch module must be a Prefetch or PrefetchDelayAt/);
    expect(() => new nn.CurrentProj({ comm: dense, out: nn.CUBA.desc(), post } as never)).toThrow(/out must be a SynOut/);
  });
});
