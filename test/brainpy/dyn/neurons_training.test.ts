/**
 * bp.dyn Lif / LifLTC / LifRef / LifRefLTC in TrainingMode and BatchingMode (BrainPy 2.8.2, brainpy/dyn/neurons/lif.py)
 * against a float64 reference written here from the equations, independently of the implementation:
 *   V' = V + dt·exprel(dt·J)·f(V),  f(V) = (−V + V_rest + R·I)/tau,  I = x + g·(E − V_old)
 *   Lif/LifRef: J = −1/tau;  *LTC (inputs inside f): J = −(1 + R·g)/tau
 *   Ref: refractory = (t − t_last_spike) <= tau_ref → V' = V_old
 *   TrainingMode: s = H(V' − V_th) with the surrogate gradient of InvSquareGrad(α): 1/(α|u| + 1)²;
 *     soft: V ← V' − (V_th − V_reset)·s;  hard: V ← V' + (V_reset − V')·s;  t_last_spike = t where s > 0.
 * Gradients are propagated forward in float64 (one tangent per input), i.e. the hand chain rule through every step.
 */
import { bp, bm } from '../../../src/brainpy/index';
import { traced } from '../../../src/brainpy/dyn/_lif_training';
import * as surrogate from '../../../src/brainpy/math/surrogate';
import * as torch from '../../../src/torch/index';
import * as optim from '../../../src/torch/optim/index';

type T = torch.Tensor;
const fr = Math.fround;
const exprel = (z: number): number => (Math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : (Math.exp(z) - 1) / z);
const dexprel = (z: number): number => (Math.abs(z) <= 1e-5 ? 0.5 + z / 3 : (z * Math.exp(z) - Math.exp(z) + 1) / (z * z));
const arr = (t: T): number[] => Array.from(t.contiguous().toTypedArray() as ArrayLike<number>);

function close(what: string, got: number[], want: number[], rtol: number, atol: number): void {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    if (!(Math.abs(got[k] - want[k]) <= atol + rtol * Math.abs(want[k]))) {
      throw new Error(`${what}, index ${k}: expected ${want[k]}, got ${got[k]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

// ---- the float64 reference: one neuron, one tangent -----------------------------------------------------------------

interface Cfg {
  ltc: boolean; ref: boolean; reset: 'soft' | 'hard'; detach: boolean; alpha: number;
  Vrest: number; Vreset: number; Vth: number; R: number; tau: number; tauRef: number; dt: number; E: number;
}
interface Run { V: number[]; s: number[]; ds: number[]; minU: number }

/** One neuron over xs (tangents dxs), with a COBA conductance g (tangent dg; g = 0: no input). */
function refRun(c: Cfg, V0: number, xs: number[], dxs: number[], g = 0, dg = 0): Run {
  let V = V0, dV = 0, tls = -1e7, minU = Infinity;
  const out: Run = { V: [], s: [], ds: [], minU: 0 };
  for (let i = 0; i < xs.length; i++) {
    const t = fr(fr(i) * fr(c.dt));
    const I = xs[i] + g * (c.E - V), dI = dxs[i] + dg * (c.E - V) - g * dV; // at the old V in both variants
    const f = (-V + c.Vrest + c.R * I) / c.tau, df = (-dV + c.R * dI) / c.tau;
    const J = c.ltc ? (-1 - c.R * g) / c.tau : -1 / c.tau, dJ = c.ltc ? (-c.R * dg) / c.tau : 0;
    const z = c.dt * J, phi = exprel(z), dphi = dexprel(z) * c.dt * dJ;
    let Vn = V + c.dt * phi * f, dVn = dV + c.dt * (dphi * f + phi * df);
    if (c.ref && fr(t - tls) <= fr(c.tauRef)) { Vn = V; dVn = dV; }
    const u = Vn - c.Vth;
    minU = Math.min(minU, Math.abs(u));
    const s = u >= 0 ? 1 : 0, ds = dVn / (c.alpha * Math.abs(u) + 1) ** 2;
    const dsr = c.detach ? 0 : ds;
    if (c.reset === 'soft') { V = Vn - (c.Vth - c.Vreset) * s; dV = dVn - (c.Vth - c.Vreset) * dsr; }
    else { V = Vn + (c.Vreset - Vn) * s; dV = dVn - dVn * s + (c.Vreset - Vn) * dsr; }
    if (c.ref && s > 0) tls = t;
    out.V.push(V); out.s.push(s); out.ds.push(c.ref ? ds : dsr); // Lif returns the detached spike, LifRef not
  }
  out.minU = minU;
  return out;
}

const BASE: Cfg = { ltc: false, ref: false, reset: 'soft', detach: false, alpha: 100, Vrest: 0.1, Vreset: -0.2, Vth: 1, R: 1.5, tau: 2, tauRef: 1, dt: 0.5, E: 2 };
const CLASSES = { Lif: { ltc: false, ref: false }, LifLTC: { ltc: true, ref: false }, LifRef: { ltc: false, ref: true }, LifRefLTC: { ltc: true, ref: true } } as const;
type Name = keyof typeof CLASSES;

function make(name: Name, c: Cfg, batch: number, n: number, V0: T, extra: Record<string, unknown> = {}): any {
  const Cls = (bp.dyn as any)[name];
  const o: Record<string, unknown> = {
    mode: new bm.TrainingMode(batch), V_rest: c.Vrest, V_reset: c.Vreset, V_th: c.Vth, R: c.R, tau: c.tau,
    spk_reset: c.reset, detach_spk: c.detach, V_initializer: V0, ...extra,
  };
  if (c.alpha !== 100) o.spk_fun = new surrogate.InvSquareGrad(c.alpha);
  if (CLASSES[name].ref) o.tau_ref = c.tauRef;
  return new Cls(n, o);
}

// inputs (T steps × batch 2 × 3 neurons), chosen so V crosses V_th = 1 several times and stays ≥ 1e-3 away from it
const V0s = [0.3, 0.9, -0.1];
const XS = [
  [[1.4, 0.9, 2.2], [0.2, 1.8, 1.1]],
  [[1.6, 1.2, 2.5], [0.6, 1.3, 1.9]],
  [[1.3, 0.4, 2.6], [1.9, 2.4, 0.8]],
  [[2.1, 1.7, 0.3], [1.2, 0.7, 2.3]],
  [[1.5, 2.2, 1.4], [2.4, 1.6, 1.7]],
  [[0.9, 1.9, 2.7], [1.1, 2.6, 0.5]],
];
const W_LOSS = XS.map((_, t) => [[0.7, -0.4, 1.1], [0.5, 0.9, -0.8]].map((r) => r.map((w) => w + 0.1 * t)));
const Tn = XS.length, B = 2, N = 3;

/** Runs the spikeport neuron over XS with x requiring grad; returns V, spikes per step and d(Σ w·s)/dx. */
function runTs(name: Name, c: Cfg, extra: Record<string, unknown> = {}, g?: T) {
  const neu = make(name, c, B, N, torch.tensor(V0s), extra);
  if (g) { const out = new bp.dyn.COBA({ E: c.E }); out.bind_cond(g); neu.add_inp_fun('coba', out); }
  const xs = XS.map((x) => torch.tensor(x).requires_grad_());
  const Vs: number[][] = [], Ss: number[][] = [];
  let loss: T = torch.zeros([]);
  for (let i = 0; i < Tn; i++) {
    const s = neu.step_run(i, xs[i]) as T;
    expect(s.shape).toEqual([B, N]);
    expect(s.dtype).toBe('float32');
    Vs.push(arr(neu.V)); Ss.push(arr(s));
    loss = loss.add(s.mul(torch.tensor(W_LOSS[i])).sum());
  }
  if (loss.requires_grad) loss.backward();
  return { neu, xs, Vs, Ss, loss };
}

/** The reference: V and spikes per step (t, b, k) and d(Σ w·s)/dx[t0][b][k], d/dg[k]. */
function runRef(c: Cfg, g: number[] | null) {
  const Vs = Array.from({ length: Tn }, () => new Array(B * N).fill(0));
  const Ss = Array.from({ length: Tn }, () => new Array(B * N).fill(0));
  const dx = Array.from({ length: Tn }, () => new Array(B * N).fill(0));
  const dg = new Array(N).fill(0);
  let minU = Infinity;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < N; k++) {
      const xs = XS.map((x) => x[b][k]);
      const gk = g ? g[k] : 0;
      const base = refRun(c, V0s[k], xs, xs.map(() => 0), gk, 0);
      minU = Math.min(minU, base.minU);
      for (let t = 0; t < Tn; t++) { Vs[t][b * N + k] = base.V[t]; Ss[t][b * N + k] = base.s[t]; }
      for (let t0 = 0; t0 < Tn; t0++) {
        const r = refRun(c, V0s[k], xs, xs.map((_, t) => (t === t0 ? 1 : 0)), gk, 0);
        dx[t0][b * N + k] = r.ds.reduce((a, d, t) => a + W_LOSS[t][b][k] * d, 0);
      }
      if (g) {
        const r = refRun(c, V0s[k], xs, xs.map(() => 0), gk, 1);
        dg[k] += r.ds.reduce((a, d, t) => a + W_LOSS[t][b][k] * d, 0);
      }
    }
  }
  return { Vs, Ss, dx, dg, minU };
}

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.5); });
afterAll(() => { bm.set_dt(0.1); });

describe('TrainingMode: forward values and surrogate gradients vs the float64 reference', () => {
  for (const name of Object.keys(CLASSES) as Name[]) {
    for (const reset of ['soft', 'hard'] as const) {
      test(`${name}, spk_reset '${reset}': V, spikes and d(Σ w·spike)/dx over ${Tn} steps, batch ${B}`, () => {
        const c: Cfg = { ...BASE, ...CLASSES[name], reset, alpha: 10 };
        const ref = runRef(c, null);
        expect(ref.minU).toBeGreaterThan(1e-3); // no spike decision is within float32 noise of the threshold
        const ts = runTs(name, c);
        for (let t = 0; t < Tn; t++) {
          expect(ts.Ss[t]).toEqual(ref.Ss[t]);
          close(`V at step ${t}`, ts.Vs[t], ref.Vs[t], 0, 2e-5);
        }
        expect(ref.Ss.flat().filter((s) => s === 1).length).toBeGreaterThan(4);
        for (let t = 0; t < Tn; t++) close(`dL/dx[${t}]`, arr(ts.xs[t].grad!), ref.dx[t], 1e-3, 1e-7);
        // gradients reach inputs several steps back
        expect(ref.dx[0].some((d) => Math.abs(d) > 1e-3)).toBe(true);
      });
    }
  }

  test('refractory is inclusive ((t − t_last_spike) <= tau_ref holds V) and soft reset keeps the overshoot', () => {
    const c: Cfg = { ...BASE, ref: true, tauRef: 1 }; // dt 0.5: held for the 2 steps after a spike (0.5 and 1.0 <= 1)
    const neu = make('LifRef', c, 1, 1, torch.tensor([0.95]));
    const Vs: number[] = [], Ss: number[] = [];
    for (let i = 0; i < 5; i++) { Ss.push(arr(neu.step_run(i, 3))[0]); Vs.push(arr(neu.V)[0]); }
    const r = refRun(c, 0.95, [3, 3, 3, 3, 3], [0, 0, 0, 0, 0]);
    expect(Ss).toEqual([1, 0, 0, 1, 0]);
    expect(r.s).toEqual(Ss);
    close('V', Vs, r.V, 0, 1e-5);
    expect(Vs[1]).toBe(Vs[0]); // held
    expect(Vs[2]).toBe(Vs[0]);
    // soft reset: V' − (V_th − V_reset), not V_reset
    const c0 = 0.5 * exprel(-0.25);
    const V1 = 0.95 + (c0 * (-0.95 + 0.1 + 1.5 * 3)) / 2;
    expect(Vs[0]).toBeCloseTo(V1 - 1.2, 5);
    expect(arr(neu.t_last_spike)).toEqual([1.5]);
  });

  test('default spk_fun is InvSquareGrad(alpha=100) (BrainPy 2.8.2 GradNeuDyn default)', () => {
    const c: Cfg = { ...BASE, alpha: 100 };
    const ref = runRef(c, null);
    const ts = runTs('Lif', c);
    expect(ts.neu.spk_fun).toBeInstanceOf(surrogate.InvSquareGrad);
    expect(ts.neu.spk_fun.alpha).toBe(100);
    for (let t = 0; t < Tn; t++) close(`dL/dx[${t}]`, arr(ts.xs[t].grad!), ref.dx[t], 2e-3, 1e-8);
  });

  test('detach_spk: Lif returns a detached spike; LifRef detaches only the reset path', () => {
    for (const name of ['Lif', 'LifRef'] as Name[]) {
      const c: Cfg = { ...BASE, ...CLASSES[name], detach: true, alpha: 10 };
      const ref = runRef(c, null);
      const ts = runTs(name, c);
      for (let t = 0; t < Tn; t++) expect(ts.Ss[t]).toEqual(ref.Ss[t]);
      if (name === 'Lif') {
        expect(ts.loss.requires_grad).toBe(false);
        expect(ts.xs[0].grad).toBeNull();
      } else {
        for (let t = 0; t < Tn; t++) close(`dL/dx[${t}]`, arr(ts.xs[t].grad!), ref.dx[t], 1e-3, 1e-7);
        // and it differs from the non-detached gradient
        const full = runRef({ ...c, detach: false }, null);
        expect(Math.abs(full.dx[0][0] - ref.dx[0][0]) + Math.abs(full.dx[0][2] - ref.dx[0][2])).toBeGreaterThan(1e-4);
      }
    }
  });

  test('COBA current input: d/dg through I (Lif) and through the exponential-Euler J = −(1 + R·g)/tau (LifLTC)', () => {
    const gv = [0.3, 0.8, 0.5];
    for (const name of ['Lif', 'LifLTC', 'LifRefLTC'] as Name[]) {
      const c: Cfg = { ...BASE, ...CLASSES[name], alpha: 10, E: 2 };
      const ref = runRef(c, gv);
      expect(ref.minU).toBeGreaterThan(1e-3);
      const g = torch.tensor(gv).requires_grad_();
      const ts = runTs(name, c, {}, g);
      for (let t = 0; t < Tn; t++) {
        expect(ts.Ss[t]).toEqual(ref.Ss[t]);
        close(`${name} V at step ${t}`, ts.Vs[t], ref.Vs[t], 0, 2e-5);
        close(`${name} dL/dx[${t}]`, arr(ts.xs[t].grad!), ref.dx[t], 1e-3, 1e-7);
      }
      close(`${name} dL/dg`, arr(g.grad!), ref.dg, 1e-3, 1e-7);
    }
  });

  test('bp.dnn.Linear → Lif: d/dW and d/db equal Σ_t,b x_in·dL/dI from the reference', () => {
    const c: Cfg = { ...BASE, alpha: 10, R: 1 };
    // I = x_in @ W + b must equal XS: pick W, b and x_in so that holds exactly enough, then compare
    const Wv = [[0.5, 0.25, 0.75], [0.25, 0.5, 0.5]];
    const bv = [0.1, -0.1, 0.2];
    const xin = XS.map((_, t) => [[1 + 0.1 * t, 0.8], [0.6, 1.2 - 0.05 * t]]);
    const I = xin.map((xt) => xt.map((row) => bv.map((bj, j) => bj + row[0] * Wv[0][j] + row[1] * Wv[1][j])));
    const fc = new bp.dnn.Linear(2, 3, { W_initializer: torch.tensor(Wv), b_initializer: torch.tensor(bv), mode: bm.training_mode });
    const neu = make('Lif', c, B, N, torch.tensor(V0s));
    let loss: T = torch.zeros([]);
    for (let i = 0; i < Tn; i++) {
      const s = neu.step_run(i, fc.call(torch.tensor(xin[i]))) as T;
      loss = loss.add(s.mul(torch.tensor(W_LOSS[i])).sum());
    }
    loss.backward();
    // reference with the same currents
    const saved = XS.map((x) => x.map((r) => r.slice()));
    for (let t = 0; t < Tn; t++) for (let b = 0; b < B; b++) for (let k = 0; k < N; k++) XS[t][b][k] = I[t][b][k];
    let ref: ReturnType<typeof runRef>;
    try { ref = runRef(c, null); } finally { for (let t = 0; t < Tn; t++) for (let b = 0; b < B; b++) XS[t][b] = saved[t][b]; }
    expect(ref.minU).toBeGreaterThan(1e-3);
    const dW = [0, 1].map((i) => [0, 1, 2].map((j) => {
      let a = 0;
      for (let t = 0; t < Tn; t++) for (let b = 0; b < B; b++) a += xin[t][b][i] * ref.dx[t][b * N + j];
      return a;
    }));
    const db = [0, 1, 2].map((j) => { let a = 0; for (let t = 0; t < Tn; t++) for (let b = 0; b < B; b++) a += ref.dx[t][b * N + j]; return a; });
    expect(ref.dx.flat().some((d) => Math.abs(d) > 1e-3)).toBe(true);
    close('dL/dW', arr(fc.W.grad!), dW.flat(), 2e-3, 1e-7);
    close('dL/db', arr(fc.b!.grad!), db, 2e-3, 1e-7);
  });

  test('finite differences: a smooth spk_fun makes the loss differentiable; autograd matches central differences', () => {
    const smooth = (u: T): T => u.mul(3).sigmoid();
    for (const name of ['LifRef', 'LifLTC'] as Name[]) {
      for (const reset of ['soft', 'hard'] as const) {
        const W = torch.tensor([[0.6, -0.3, 0.4], [0.2, 0.5, -0.6], [-0.4, 0.3, 0.7]]).requires_grad_();
        const g = torch.tensor([0.2, 0.4, 0.1]);
        const lossOf = (Wt: T): T => {
          bp.share.clear_shargs(); bm.clear_name_cache();
          // tau_ref 0: with a smooth spk_fun every step counts as a spike (spike > 0), and (t − t_last) = dt > 0
          const neu = make(name, { ...BASE, ...CLASSES[name], reset, tauRef: 0 }, B, N, torch.tensor(V0s), { spk_fun: smooth });
          if (CLASSES[name].ltc) { const out = new bp.dyn.COBA({ E: 2 }); out.bind_cond(g); neu.add_inp_fun('coba', out); }
          let L: T = torch.zeros([]);
          for (let i = 0; i < Tn; i++) {
            const s = neu.step_run(i, torch.tensor(XS[i]).matmul(Wt)) as T;
            L = L.add(s.mul(torch.tensor(W_LOSS[i])).sum());
          }
          return L;
        };
        lossOf(W).backward();
        const an = arr(W.grad!);
        const h = 1e-2, w0 = arr(W);
        const fd = w0.map((_, k) => {
          const p = w0.slice(), m = w0.slice();
          p[k] += h; m[k] -= h;
          const lp = torch.no_grad(() => lossOf(torch.tensor(p).reshape([3, 3])).item() as number);
          const lm = torch.no_grad(() => lossOf(torch.tensor(m).reshape([3, 3])).item() as number);
          return (lp - lm) / (2 * h);
        });
        close(`${name} ${reset} dL/dW vs finite differences`, an, fd, 2e-3, 5e-4);
      }
    }
  });
});

describe('state, batch axis and graph cuts', () => {
  test('TrainingMode defaults: batch 1 from the mode, float32 spikes; reset_state(b) / reset_state() set the batch axis', () => {
    const n = new bp.dyn.LifRef(4, { mode: bm.training_mode, ref_var: true });
    expect(n.V.shape).toEqual([1, 4]);
    expect(n.spk_dtype).toBe('float32');
    expect(n.spike.dtype).toBe('float32');
    expect(n.t_last_spike!.shape).toEqual([1, 4]);
    expect(n.refractory!.dtype).toBe('bool');
    n.reset_state(3);
    expect(n.V.shape).toEqual([3, 4]);
    expect(n.spike.shape).toEqual([3, 4]);
    expect(arr(n.t_last_spike!)).toEqual(new Array(12).fill(-1e7));
    expect(n.refractory!.shape).toEqual([3, 4]);
    n.reset_state();
    expect(n.V.shape).toEqual([4]);
    const s = n.step_run(0, torch.full([4], 1000)) as torch.Tensor; // no batch axis, as BrainPy's reset_state(None)
    expect(s.shape).toEqual([4]);
    expect(arr(s)).toEqual([1, 1, 1, 1]);
    expect(Array.from(n.refractory!.toTypedArray())).toEqual([1, 1, 1, 1]);
  });

  test('V_initializer: a Tensor of the group shape is repeated along the batch axis; an Initializer gets the batched shape', () => {
    const a = new bp.dyn.Lif(3, { mode: new bm.TrainingMode(2), V_initializer: torch.tensor([1, 2, 3]) });
    expect(arr(a.V)).toEqual([1, 2, 3, 1, 2, 3]);
    const shapes: number[][] = [];
    const b = new bp.dyn.Lif(3, { mode: new bm.BatchingMode(4), V_initializer: (s: number[]) => { shapes.push(s); return torch.full(s, -1); } });
    expect(shapes).toEqual([[4, 3]]);
    expect(b.V.shape).toEqual([4, 3]);
    expect(b.spk_dtype).toBe('bool');
  });

  test('BatchingMode (not training): each batch row equals a NonBatchingMode run; bool spikes; hard threshold', () => {
    for (const name of Object.keys(CLASSES) as Name[]) {
      const opts = { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, ...(CLASSES[name].ref ? { tau_ref: 2 } : {}) };
      bm.set_dt(0.1);
      const bat = new (bp.dyn as any)[name](3, { ...opts, mode: new bm.BatchingMode(2), V_initializer: torch.tensor([-55, -50.3, -60]) });
      const rows = [0, 1].map(() => new (bp.dyn as any)[name](3, { ...opts, V_initializer: torch.tensor([-55, -50.3, -60]) }));
      const g = torch.tensor([0.1, 0.2, 0.05]);
      if (CLASSES[name].ltc) {
        for (const m of [bat, ...rows]) { const o = new bp.dyn.COBA({ E: 0 }); o.bind_cond(g); m.add_inp_fun('c', o); }
      }
      for (let i = 0; i < 40; i++) {
        const x = [[20 + i, 15, 30], [5, 40, 25 - i / 2]];
        const s = bat.step_run(i, torch.tensor(x)) as torch.Tensor;
        expect(s).toBe(bat.spike);
        expect(s.dtype).toBe('bool');
        const rs = rows.map((r, b) => Array.from((r.step_run(i, torch.tensor(x[b])) as torch.Tensor).toTypedArray()));
        expect(Array.from(s.toTypedArray())).toEqual(rs.flat());
        close(`${name} V at step ${i}`, arr(bat.V), rows.flatMap((r) => arr(r.V)), 0, 2e-4);
        if (CLASSES[name].ref) expect(arr(bat.t_last_spike)).toEqual(rows.flatMap((r) => arr(r.t_last_spike)));
      }
      expect(Array.from(bat.spike.toTypedArray()).length).toBe(6);
    }
  });

  test('NonBatchingMode with reset_state(batch_size) runs the batched tensor path, and back', () => {
    const n = new bp.dyn.Lif(2);
    n.reset_state(3);
    expect(n.V.shape).toEqual([3, 2]);
    n.step_run(0, torch.tensor([[1, 3000], [3000, 1], [0, 0]]));
    expect(Array.from(n.spike.toTypedArray())).toEqual([0, 1, 1, 0, 0, 0]);
    n.reset_state();
    expect(n.V.shape).toEqual([2]);
    n.step_run(1, torch.tensor([1, 3000]));
    expect(Array.from(n.spike.toTypedArray())).toEqual([0, 1]);
  });

  test('the autograd history runs across steps until reset_state or a write to V; the Variables hold detached copies', () => {
    const n = new bp.dyn.Lif(2, { mode: new bm.TrainingMode(1), V_th: 1, V_reset: 0, tau: 2 });
    const x = torch.tensor([[0.5, 0.7]]).requires_grad_();
    n.step_run(0, x);
    n.step_run(1, 0.1);
    expect(n.V.requires_grad).toBe(false);
    const V = traced(n.V);
    expect(V.requires_grad).toBe(true);
    V.sum().backward();
    expect(arr(x.grad!).every((g) => g > 0)).toBe(true);
    // backward freed that graph: the next step starts from the values (JAX: every gradient starts from constants)
    n.step_run(2, 0.1);
    expect(() => traced(n.V).sum().backward()).toThrow(/does not require grad/);
    const y = torch.tensor([[0.5, 0.7]]).requires_grad_();
    n.step_run(3, y);
    n.V.value = torch.zeros([1, 2]); // a write cuts the graph
    expect(traced(n.V).requires_grad).toBe(false);
    n.step_run(4, y);
    n.reset_state(1);
    expect(traced(n.V).requires_grad).toBe(false);
    expect(arr(n.V)).toEqual([0, 0]);
  });
});

describe('BPTT end to end', () => {
  test('Linear → LifRef readout: a few Adam steps reduce the spike-count loss', () => {
    torch.manual_seed(0);
    bm.set_dt(1);
    const Bsz = 8, Tsteps = 10;
    const fc = new bp.dnn.Linear(5, 4, { mode: bm.training_mode });
    const neu = new bp.dyn.LifRef(4, { mode: new bm.TrainingMode(Bsz), V_th: 1, V_reset: 0, tau: 2, tau_ref: 1, spk_fun: new surrogate.Sigmoid(4) });
    const xs = torch.rand([Tsteps, Bsz, 5]).mul(2);
    const target = torch.tensor(Array.from({ length: Bsz }, (_, b) => [1, 3, 0, 2].map((v) => (v + b) % 4)));
    const opt = new optim.Adam(fc.parameters(), { lr: 0.05 });
    const lossOf = (): T => {
      neu.reset_state(Bsz);
      let count: T = torch.zeros([Bsz, 4]);
      for (let i = 0; i < Tsteps; i++) count = count.add(neu.step_run(i, fc.call(xs.select(0, i))) as T);
      return count.sub(target).square().mean();
    };
    const losses: number[] = [];
    for (let it = 0; it < 30; it++) {
      opt.zero_grad();
      const L = lossOf();
      losses.push(L.item() as number);
      L.backward();
      opt.step();
    }
    expect(fc.W.grad).not.toBeNull();
    // spike counts are integers, so the loss is noisy from step to step: compare the last five with the first
    const last5 = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(last5).toBeLessThan(0.6 * losses[0]);
    expect(Math.min(...losses)).toBeLessThan(0.5 * losses[0]);
  });
});

describe('bad input', () => {
  test('errors name the function, the argument, what was expected and what came', () => {
    expect(() => new bp.dyn.Lif(3, { spk_fun: 5 as any })).toThrow(/bp.dyn.Lif: spk_fun must be a callable.*got 5/);
    expect(() => new bp.dyn.LifRef(3, { spk_fun: null as any })).toThrow(/bp.dyn.LifRef: spk_fun must be a callable.*got null/);
    expect(() => new bp.dyn.Lif(3, { mode: new bm.TrainingMode(2), V_initializer: torch.zeros(2) })).toThrow(/bp.dyn.Lif: V_initializer must be a Tensor of the group's shape \[3\].*got a float32 Tensor of shape \[2\]/);
    const n = new bp.dyn.Lif(3, { mode: new bm.TrainingMode(2) });
    expect(() => n.reset_state(0)).toThrow(/Lif.reset_state: batch_size must be a positive integer or null \(no batch axis\), got 0/);
    expect(() => n.reset_state(1.5)).toThrow(/batch_size must be a positive integer.*got 1.5/);
    bp.share.save({ t: 0 });
    expect(() => n.update(torch.zeros([3, 3]))).toThrow(/Lif.update: x must be a number or a Tensor broadcasting to the state shape \[2, 3\], got a float32 Tensor of shape \[3, 3\]/);
    expect(() => n.update(torch.zeros([1, 2, 3]))).toThrow(/state shape \[2, 3\], got a float32 Tensor of shape \[1, 2, 3\]/);
    expect(() => n.update(torch.zeros([2, 3], { dtype: 'float64' } as any))).toThrow(/Lif.update: x must be a float32 Tensor .*got a float64 Tensor of shape \[2, 3\]/);
    expect(() => n.update('1' as any)).toThrow(/Lif.update: x must be a number or a Tensor broadcasting to the state shape \[2, 3\], got "1"/);
    const b = new bp.dyn.Lif(3, { mode: new bm.TrainingMode(2), spk_dtype: 'bool' });
    expect(() => b.update(1)).toThrow(/Lif.update: spk_dtype must be 'float32' or null in TrainingMode .*got 'bool'/);
    const f = new bp.dyn.LifRef(3, { mode: new bm.TrainingMode(2), spk_fun: (u: T) => u.ge(0) });
    expect(() => f.update(1)).toThrow(/LifRef.update: spk_fun must return a float32 Tensor of the state shape \[2, 3\], got a bool Tensor of shape \[2, 3\]/);
    bp.share.clear_shargs();
    expect(() => n.update(1)).toThrow(/"t"/);
  });
});
