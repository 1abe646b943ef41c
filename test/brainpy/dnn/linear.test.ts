/**
 * brainpy.dnn.linear: every layer in each mode on hand-derived cases, dense equivalence of the sparse and JIT layers,
 * STDP updates, online (RLS) / offline (ridge) fitting against fixtures/brainpy/fit (numpy following BrainPy's
 * algorithms, compat/brainpy_fit_reference.py — not BrainPy itself), gradients in training mode against finite
 * differences, and argument errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { seed as numpySeed } from '../../../src/brainpy/math/numpy_random';
import { tensorFromEncoded } from '../../../src/fixtures/index';

type Tensor = torch.Tensor;

const T = (data: any, dtype: torch.DType = 'float32'): Tensor => torch.tensor(data, { dtype });
const list = (t: Tensor): any => t.detach().tolist();

function expectClose(got: Tensor, want: Tensor | number[] | number[][] | number, atol = 1e-5, rtol = 1e-5): void {
  const w = want instanceof torch.Tensor ? want : T(want as any, 'float64');
  expect(got.shape).toEqual(w.shape);
  const g = got.detach().to('float64').contiguous().toTypedArray();
  const e = w.detach().to('float64').contiguous().toTypedArray();
  for (let i = 0; i < g.length; i++) {
    if (!(Math.abs(g[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
      throw new Error(`entry ${i}: expected ${e[i]}, got ${g[i]} (shape [${got.shape}])`);
    }
  }
}

/** Central finite differences of f() w.r.t. every entry of the float64 tensor t (perturbed in place). */
function fdGrad(f: () => number, t: Tensor, h = 1e-6): Float64Array {
  const buf = t.buffer as Float64Array;
  const out = new Float64Array(t.numel());
  for (let i = 0; i < out.length; i++) {
    const k = t.offset + i;
    const v = buf[k];
    buf[k] = v + h;
    const a = f();
    buf[k] = v - h;
    const b = f();
    buf[k] = v;
    out[i] = (a - b) / (2 * h);
  }
  return out;
}

function expectGrad(grad: Tensor | null, fd: Float64Array, atol = 1e-6, rtol = 1e-5): void {
  expect(grad).not.toBeNull();
  const g = grad!.to('float64').contiguous().toTypedArray();
  expect(g.length).toBe(fd.length);
  for (let i = 0; i < g.length; i++) {
    if (!(Math.abs(g[i] - fd[i]) <= atol + rtol * Math.abs(fd[i]))) throw new Error(`grad entry ${i}: autograd ${g[i]}, finite differences ${fd[i]}`);
  }
}

/** A fixed pseudo-random float64 tensor (deterministic, independent of any library generator). */
function det(shape: number[], seed: number, dtype: torch.DType = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 4294967296) * 2 - 1;
  }
  return torch.from_typed_array(a, shape).to(dtype);
}

/** The dense (pre, post) matrix of a CSR structure with weights w (a number or one value per entry). */
function csrDense(indices: Tensor, indptr: Tensor, w: number | Tensor, pre: number, post: number): Tensor {
  const idx = indices.toTypedArray(), ptr = indptr.toTypedArray();
  const wv = typeof w === 'number' ? null : w.detach().to('float64').toTypedArray();
  const M = new Float64Array(pre * post);
  for (let i = 0; i < pre; i++) for (let k = ptr[i]; k < ptr[i + 1]; k++) M[i * post + idx[k]] += wv ? wv[k] : (w as number);
  return torch.from_typed_array(M, [pre, post]);
}

const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/brainpy/fit', name), 'utf8'));
const dec = (x: any): Tensor => tensorFromEncoded(x);

beforeEach(() => {
  bm.clear_name_cache();
  bm.set_mode(bm.nonbatching_mode);
});

// =====================================================================================================================
describe('bm modes and environment', () => {
  test('classes, reprs and comparisons follow BrainPy', () => {
    expect(String(bm.nonbatching_mode)).toBe('NonBatchingMode');
    expect(String(bm.batching_mode)).toBe('BatchingMode(batch_size=1)');
    expect(String(new bm.TrainingMode(8))).toBe('TrainingMode(batch_size=8)');
    expect(String(new bm.BatchingMode({ batch_size: 3 }))).toBe('BatchingMode(batch_size=3)');
    expect(bm.training_mode.equals(new bm.TrainingMode(4))).toBe(true);
    expect(bm.training_mode.equals(bm.batching_mode)).toBe(false);
    expect(bm.training_mode.is_a(bm.TrainingMode)).toBe(true);
    expect(bm.training_mode.is_a(bm.BatchingMode)).toBe(false);
    expect(bm.training_mode.is_child_of(bm.BatchingMode)).toBe(true);
    expect(bm.batching_mode.is_parent_of(bm.TrainingMode)).toBe(true);
    expect(bm.training_mode.is_parent_of(bm.BatchingMode)).toBe(false);
    expect(bm.nonbatching_mode.is_one_of(bm.BatchingMode, bm.NonBatchingMode)).toBe(true);
    expect(bm.training_mode.is_batch_mode() && bm.training_mode.is_train_mode()).toBe(true);
    expect(bm.nonbatching_mode.is_nonbatch_mode()).toBe(true);
    expect(bm.nonbatching_mode.batch_size).toEqual([]);
    expect(String(bm.training_mode.to_batch_mode())).toBe('BatchingMode(batch_size=1)');
    expect(() => new bm.BatchingMode(0)).toThrow(/batch_size must be a positive integer/);
    expect(() => bm.training_mode.is_a(bm.training_mode as any)).toThrow(/Mode classes/);
  });

  test('default mode, set_mode and environment blocks restore the previous settings', () => {
    expect(bm.get_mode().is_a(bm.NonBatchingMode)).toBe(true);
    expect(bm.get_dt()).toBeCloseTo(0.1);
    const r = bm.environment({ mode: bm.batching_mode, dt: 0.05 }, () => [String(bm.get_mode()), bm.get_dt()]);
    expect(r).toEqual(['BatchingMode(batch_size=1)', 0.05]);
    expect(bm.get_mode().is_a(bm.NonBatchingMode)).toBe(true);
    expect(bm.get_dt()).toBeCloseTo(0.1);
    expect(() => bm.training_environment({ batch_size: 5 }, () => { expect(String(bm.get_mode())).toBe('TrainingMode(batch_size=5)'); throw new Error('inside'); })).toThrow('inside');
    expect(bm.get_mode().is_a(bm.NonBatchingMode)).toBe(true);
    bm.batching_environment(() => expect(bm.get_mode().is_a(bm.BatchingMode)).toBe(true));
    bm.set_mode(bm.training_mode);
    expect(bm.get_mode().is_train_mode()).toBe(true);
    expect(() => bm.environment({ x64: true } as any, () => 0)).toThrow(/unknown option "x64"/);
    expect(() => bm.set_mode('training' as any)).toThrow(/bm.Mode instance/);
    expect(() => bm.environment({ dt: -1 }, () => 0)).toThrow(/dt must be a positive/);
    bm.set({ dt: 0.2 });
    expect(bm.get_dt()).toBeCloseTo(0.2);
    bm.set_dt(0.1);
    expect(() => bp.share.load('no_such_key')).toThrow(/cannot find shared data of "no_such_key"/);
    expect(bp.share.load('no_such_key', 3)).toBe(3);
  });
});

describe('bm.Variable / bm.TrainVar', () => {
  test('copies, snapshots, in-place assignment with shape and dtype checks', () => {
    const src = T([1, 2, 3]);
    const v = new bm.Variable(src);
    src.add_(1);
    expect(list(v)).toEqual([1, 2, 3]);
    const snap = v.value;
    v.value = T([4, 5, 6]);
    expect(list(snap)).toEqual([1, 2, 3]);
    expect(list(v)).toEqual([4, 5, 6]);
    expect(() => { v.value = T([1, 2]); }).toThrow(/shape of the original data is \[3\], while we got \[2\]/);
    expect(() => { v.value = T([1, 2, 3], 'float64'); }).toThrow(/dtype of the original data is float32, while we got float64/);
    const tv = new bm.TrainVar(T([1, 2]));
    expect(tv.requires_grad).toBe(true);
    expect(tv instanceof torch.Tensor && tv instanceof bm.Variable && tv instanceof bm.TrainVar).toBe(true);
    expect(v instanceof bm.TrainVar).toBe(false);
    tv.value = T([3, 4]);
    expect(list(tv)).toEqual([3, 4]);
    expect(() => new bm.TrainVar(T([1, 2], 'int32'))).toThrow(/floating point/);
  });
});

// =====================================================================================================================
describe('Dense', () => {
  const W0 = [[1, 2], [3, 4], [5, 6]];
  const b0 = [0.5, -1];

  test('y = x @ W + b, hand-derived, 1-D / N-D / bool input; Linear is Dense', () => {
    const l = new bp.dnn.Dense(3, 2, T(W0), T(b0));
    expect(l.name).toBe('Dense0');
    expect(list(l.call(T([1, 0, 2])))).toEqual([11.5, 13]);
    expect(list(l.update(T([true, false, true], 'bool')))).toEqual([6.5, 7]);
    const x = T([[[1, 0, 2], [0, 1, 0]], [[1, 1, 1], [0, 0, 0]]]);
    expect(list(l.call(x))).toEqual([[[11.5, 13], [3.5, 3]], [[9.5, 11], [0.5, -1]]]);
    const l2 = new bp.dnn.Linear(3, 2, { W_initializer: T(W0), b_initializer: null, name: 'fc' });
    expect(l2).toBeInstanceOf(bp.dnn.Dense);
    expect(l2.b).toBeNull();
    expect(list(l2.call(T([1, 0, 2])))).toEqual([11, 14]);
    expect(String(l2)).toBe('Dense(name=fc, num_in=3, num_out=2, mode=NonBatchingMode)');
  });

  test('default initializers: XavierNormal W of shape (num_in, num_out), zero bias', () => {
    const l = new bp.dnn.Dense(30, 20);
    expect(l.W.shape).toEqual([30, 20]);
    expect(list(l.b!)).toEqual(new Array(20).fill(0));
    const w = l.W.toTypedArray();
    const bound = (2 * Math.sqrt(2 / 50)) / 0.87962566103423978;
    let ss = 0;
    for (const v of w) { expect(Math.abs(v)).toBeLessThanOrEqual(bound + 1e-6); ss += v * v; }
    expect(Math.sqrt(ss / w.length)).toBeGreaterThan(0.5 * Math.sqrt(2 / 50));
    expect(Math.sqrt(ss / w.length)).toBeLessThan(1.5 * Math.sqrt(2 / 50));
  });

  test('modes: constant weights outside training; TrainVars (parameters) in TrainingMode or a training environment', () => {
    const a = new bp.dnn.Dense(3, 2, T(W0), T(b0));
    expect(a.W.requires_grad).toBe(false);
    expect(a.W instanceof bm.Variable).toBe(false);
    expect(a.parameters()).toHaveLength(0);
    const b = new bp.dnn.Dense(3, 2, T(W0), T(b0), bm.training_mode);
    expect(b.W).toBeInstanceOf(bm.TrainVar);
    expect(b.named_parameters().map(([k]) => k)).toEqual(['W', 'b']);
    const c = bm.training_environment(() => new bp.dnn.Dense(3, 2));
    expect(c.mode.is_train_mode()).toBe(true);
    expect(c.W.requires_grad && c.b!.requires_grad).toBe(true);
    // batching mode: batched input; weights stay constant
    const d = new bp.dnn.Dense(3, 2, T(W0), T(b0), { mode: new bm.BatchingMode(2) });
    expect(d.W.requires_grad).toBe(false);
    expect(list(d.call(T([[1, 0, 2], [0, 1, 0]])))).toEqual([[11.5, 13], [3.5, 3]]);
  });

  test('training mode: gradients w.r.t. W, b and x equal finite differences', () => {
    const l = new bp.dnn.Dense(4, 3, det([4, 3], 1), det([3], 2), { mode: bm.training_mode });
    const x = det([2, 5, 4], 3).requires_grad_();
    const g = det([2, 5, 3], 4);
    const loss = () => l.call(x).mul(g).sum();
    loss().backward();
    const f = () => torch.no_grad(() => loss().item());
    expectGrad(l.W.grad, fdGrad(f, l.W));
    expectGrad(l.b!.grad, fdGrad(f, l.b!));
    expectGrad(x.grad, fdGrad(f, x));
  });

  test('stdp_update: rows of spiking pre += post trace, columns of spiking post += pre trace, clipped', () => {
    // outside TrainingMode the constant W becomes a bm.Variable (BrainPy 2.8; 2.7.8 raised)
    const src = T(W0);
    const nb = new bp.dnn.Dense(3, 2, src, T(b0));
    nb.stdp_update({ spike: T([1, 0, 0]), trace: T([0.5, 0.5]) });
    expect(nb.W).toBeInstanceOf(bm.Variable);
    expect(list(nb.W)).toEqual([[1.5, 2.5], [3, 4], [5, 6]]);
    expect(list(src)).toEqual(W0); // the initializer's tensor is not written
    const l = new bp.dnn.Dense(3, 2, T(W0), T(b0), bm.training_mode);
    const W = l.W;
    l.stdp_update({ spike: T([1, 0, 1]), trace: T([0.25, 0.5]) }, { spike: T([false, true], 'bool'), trace: T([1, 2, 3]) });
    expect(l.W).toBe(W); // updated in place
    expectClose(l.W, [[1.25, 3.5], [3, 6], [5.25, 9.5]]);
    l.stdp_update({ on_pre: { spike: T([0, 1, 0]), trace: T([-10, 0.5]) }, w_min: 0, w_max: 9 });
    expectClose(l.W, [[1.25, 3.5], [0, 6.5], [5.25, 9]]);
    l.stdp_update({ spike: T([0, 0, 1]), trace: T([1, 1]) }, { w_max: 9.75 }); // on_pre positionally, bounds by name
    expectClose(l.W, [[1.25, 3.5], [0, 6.5], [6.25, 9.75]]);
    expect(() => l.stdp_update({ spike: T([1, 0, 1]) } as any)).toThrow(/on_pre must be an object \{ spike, trace \}/);
    expect(() => l.stdp_update({ on_pre: { spike: T([1, 0, 1]), trace: T([0, 0]) }, w_mn: 0 } as any)).toThrow(/unknown option "w_mn"/);
  });

  test('online_fit (RLS) matches the numpy reference of BrainPy\'s algorithm, step by step', () => {
    for (const c of fixture('online_rls.json').cases) {
      bm.clear_name_cache();
      const l = new bp.dnn.Dense(c.num_in, c.num_out, dec(c.W0), c.bias ? dec(c.b0) : null, { mode: bm.training_mode });
      l.online_fit_by = new bp.algorithms.RLS({ alpha: c.alpha, batch_rule: c.rule });
      l.online_init();
      const xs = dec(c.x), ts = dec(c.target), ys = dec(c.y), Ws = dec(c.W);
      const bs = c.bias ? dec(c.b) : null;
      for (let s = 0; s < xs.shape[0]; s++) {
        bp.share.save({ fit: true });
        const y = l.call(xs.select(0, s));
        expectClose(y, ys.select(0, s), 1e-6, 1e-5);
        l.online_fit(ts.select(0, s), l.fit_record);
        expectClose(l.W, Ws.select(0, s), 1e-5, 1e-4);
        if (bs) expectClose(l.b!, bs.select(0, s), 1e-5, 1e-4);
      }
      bp.share.clear_shargs();
    }
  });

  test('RLS batch rules: block (BrainPy >= 2.8) and sum (<= 2.7) agree for one sample, differ for a batch', () => {
    const x = T([[0.5, -1, 2], [1, 0.25, -0.5]], 'float64'), y = T([[1, 0], [0, 2]], 'float64'), t = T([[0, 1], [1, 1]], 'float64');
    const run = (rule: 'block' | 'sum', rows: number) => {
      const r = new bp.algorithms.RLS({ alpha: 0.5, batch_rule: rule });
      r.register_target(3);
      return r.call(t.narrow(0, 0, rows), x.narrow(0, 0, rows), y.narrow(0, 0, rows));
    };
    expectClose(run('block', 1), run('sum', 1), 1e-12, 1e-12);
    expect(run('block', 2).allclose(run('sum', 2), { atol: 1e-3 })).toBe(false);
    expect(() => new bp.algorithms.RLS({ batch_rule: 'inverse' } as any)).toThrow(/batch_rule must be 'block'/);
  });

  test('RLS with one sample per call is the textbook recursive least squares step', () => {
    const rls = new bp.algorithms.RLS(2.0);
    rls.register_target(3, 'x');
    const P0 = rls.implicit_vars['x.rls.P'].clone();
    const x = T([[0.5, -1, 2]], 'float64'), y = T([[1, 0]], 'float64'), t = T([[0, 1]], 'float64');
    const dW = rls.call(t, x, y, 'x');
    const Px = P0.matmul(x.t());
    const gain = Px.div(x.matmul(Px).add(1));
    expectClose(dW, gain.matmul(y.sub(t)).neg(), 1e-12, 1e-12);
    expectClose(rls.implicit_vars['x.rls.P'], P0.sub(gain.matmul(x).matmul(P0)), 1e-12, 1e-12);
  });

  test('offline_fit (ridge) matches the numpy reference, incl. a singular system solved by the pseudo-inverse', () => {
    for (const c of fixture('offline_ridge.json').cases) {
      bm.clear_name_cache();
      const l = new bp.dnn.Dense(c.num_in, c.num_out, { b_initializer: c.bias ? new bp.init.ZeroInit() : null, mode: bm.training_mode });
      l.offline_fit_by = new bp.algorithms.RidgeRegression(c.alpha);
      const W = l.W;
      l.offline_fit(dec(c.target), { input: dec(c.xs), output: dec(c.ys) });
      expect(l.W).toBe(W);
      expectClose(l.W, dec(c.W), 1e-4, 1e-4);
      if (c.bias) expectClose(l.b!, dec(c.b), 1e-4, 1e-4);
    }
  });

  test('fit_record is filled only while share.fit is true and a fitting algorithm is attached', () => {
    const l = new bp.dnn.Dense(3, 2, T(W0), T(b0), bm.training_mode);
    l.call(T([[1, 0, 2]]));
    expect(l.fit_record.input).toBeUndefined();
    l.offline_fit_by = new bp.algorithms.RidgeRegression();
    bp.share.save({ fit: true });
    l.call(T([[1, 0, 2]]));
    bp.share.clear_shargs();
    expect(list(l.fit_record.output!)).toEqual([[11.5, 13]]);
  });

  test('fitting argument errors', () => {
    const l = new bp.dnn.Dense(3, 2, T(W0), T(b0), bm.training_mode);
    l.online_fit_by = new bp.algorithms.RLS();
    l.online_init();
    const rec = { input: T([[1, 0, 2]]), output: T([[1, 1]]) };
    expect(() => l.online_fit([[1, 2]] as any, rec)).toThrow(/"target" must be a tensor/);
    expect(() => l.online_fit(T([1, 2]), rec)).toThrow(/"target" must be a 2D tensor/);
    expect(() => l.online_fit(T([[1, 2], [3, 4]]), rec)).toThrow(/Batch size|batch size/);
    expect(() => l.online_fit(T([[1, 2, 3]]), rec)).toThrow(/output dimension/);
    expect(() => l.online_fit(T([[1, 2]]), { input: T([1, 0, 2]), output: T([[1, 1]]) })).toThrow(/"ff" must be a 2D tensor/);
    l.offline_fit_by = new bp.algorithms.RidgeRegression();
    expect(() => l.offline_fit(T([[1, 2]]), rec)).toThrow(/"ffs" must be a 3D tensor/);
    const nt = new bp.dnn.Dense(3, 2, T(W0), T(b0));
    nt.offline_fit_by = new bp.algorithms.RidgeRegression();
    expect(() => nt.offline_fit(T([[[1, 2]]]), { input: T([[[1, 0, 2]]]), output: T([[[1, 1]]]) })).toThrow(/must be a bm.Variable/);
    expect(() => new bp.dnn.Dense(3, 2).online_init()).toThrow(/online_fit_by is not set/);
  });

  test('argument errors', () => {
    expect(() => new bp.dnn.Dense(-1, 2)).toThrow(/num_in must be a non-negative integer, got -1/);
    expect(() => new bp.dnn.Dense(3, 2.5)).toThrow(/num_out must be a non-negative integer, got 2.5/);
    expect(() => new bp.dnn.Dense(3, 2, 0.5 as any)).toThrow(/W_initializer must be an instance of bp.init.Initializer/);
    expect(() => new bp.dnn.Dense(3, 2, { W_init: 1 } as any)).toThrow(/unknown option "W_init"/);
    expect(() => new bp.dnn.Dense(3, 2, { mode: 'training' } as any)).toThrow(/mode must be a bm.Mode/);
    expect(() => new bp.dnn.Dense(3, 2, T([[1, 2]]))).toThrow(/shape/);
    expect(() => new bp.dnn.Dense(3, 2).call(T([1, 2]))).toThrow(/last axis of the input must have num_in = 3 entries, got input shape \[2\]/);
    new bp.dnn.Dense(3, 2, { name: 'taken' });
    expect(() => new bp.dnn.Dense(3, 2, { name: 'taken' })).toThrow(/UniqueNameError/);
    expect(() => new bp.dnn.Dense(3, 2, { name: 'not valid' })).toThrow(/valid identifier/);
  });
});

// =====================================================================================================================
describe('Identity', () => {
  test('returns its input whatever the arguments', () => {
    const x = T([1, 2]);
    expect(new bp.dnn.Identity().call(x)).toBe(x);
    expect(new bp.dnn.Identity(3, 'anything').update(x)).toBe(x);
    expect(new bp.dnn.Identity({ name: 'id' }).name).toBe('id');
  });
});

describe('AllToAll', () => {
  test('scalar weight, non-batching: a 0-d sum, or minus the own term without self connections', () => {
    const x = T([1, 2, 3]);
    const y = new bp.dnn.AllToAll(3, 3, 0.5).call(x);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(3);
    expect(list(new bp.dnn.AllToAll(3, 3, 0.5, { include_self: false }).call(x))).toEqual([2.5, 2, 1.5]);
    expect(list(new bp.dnn.AllToAll(3, 2, 0.5, { include_self: false }).call(x))).toEqual([2.5, 2]);
    expect(list(new bp.dnn.AllToAll(2, 3, 0.5, { include_self: false }).call(T([1, 2])))).toEqual([1, 0.5, 1.5]);
    expect(() => new bp.dnn.AllToAll(3, 3, 0.5).call(T([[1, 2, 3]]))).toThrow(/NonBatching mode, the input should be a 1D array/);
  });

  test('scalar weight, batching: (batch, 1) sums; self terms removed along the feature axis', () => {
    const x = T([[1, 2, 3], [0, 1, 0]]);
    const m = bm.batching_mode;
    expect(list(new bp.dnn.AllToAll(3, 3, 0.5, { mode: m }).call(x))).toEqual([[3], [0.5]]);
    expect(list(new bp.dnn.AllToAll(3, 3, 0.5, null, false, m).call(x))).toEqual([[2.5, 2, 1.5], [0.5, 0, 0.5]]);
    expect(list(new bp.dnn.AllToAll(3, 2, 0.5, { include_self: false, mode: m }).call(x))).toEqual([[2.5, 2], [0.5, 0]]);
    expect(list(new bp.dnn.AllToAll(3, 4, 0.5, { include_self: false, mode: m }).call(x))).toEqual([[2.5, 2, 1.5, 3], [0.5, 0, 0.5, 0.5]]);
    expect(() => new bp.dnn.AllToAll(3, 3, 0.5, { mode: m }).call(T([1, 2, 3]))).toThrow(/batching mode, the input should be a 2D array/);
  });

  test('matrix weight: x @ W, diagonal zeroed without self connections; N-D input', () => {
    const W = [[1, 2, 3], [4, 5, 6]];
    const x = T([[1, 1], [2, 0]]);
    expect(list(new bp.dnn.AllToAll(2, 3, T(W)).call(x))).toEqual([[5, 7, 9], [2, 4, 6]]);
    expect(list(new bp.dnn.AllToAll(2, 3, T(W), { include_self: false }).call(x))).toEqual([[4, 2, 9], [0, 4, 6]]);
    expect(list(new bp.dnn.AllToAll(2, 3, T(W)).call(T([[[1, 1]]])))).toEqual([[[5, 7, 9]]]);
    expect(() => new bp.dnn.AllToAll(2, 3, T([[1, 2]]))).toThrow(/shape/);
  });

  test('training mode: TrainVar weight (0-d for a scalar); gradients equal finite differences, zero on the removed diagonal', () => {
    const l = new bp.dnn.AllToAll(3, 3, det([3, 3], 7), { include_self: false, mode: bm.training_mode });
    expect(l.weight).toBeInstanceOf(bm.TrainVar);
    const x = det([2, 3], 8).requires_grad_();
    const g = det([2, 3], 9);
    const loss = () => l.call(x).mul(g).sum();
    loss().backward();
    const f = () => torch.no_grad(() => loss().item());
    const wGrad = (l.weight as Tensor).grad!;
    expectGrad(wGrad, fdGrad(f, l.weight as Tensor));
    expect([0, 4, 8].map((i) => Math.abs(wGrad.toTypedArray()[i]))).toEqual([0, 0, 0]);
    expectGrad(x.grad, fdGrad(f, x));
    const s = new bp.dnn.AllToAll(3, 3, 0.5, { mode: bm.training_mode });
    expect((s.weight as Tensor).shape).toEqual([]);
    s.call(T([[1, 2, 3]])).sum().backward();
    expect((s.weight as Tensor).grad!.item()).toBe(6);
  });

  test('stdp_update: dense rule with clipping; a constant matrix becomes a variable, a scalar weight raises', () => {
    expect(() => new bp.dnn.AllToAll(2, 2, 0.5).stdp_update({ spike: T([1, 0]), trace: T([1, 1]) })).toThrow(/cannot be a scalar/);
    const c = new bp.dnn.AllToAll(2, 2, T([[0, 0], [0, 0]]));
    c.stdp_update({ spike: T([1, 0]), trace: T([1, 2]) });
    expect(c.weight).toBeInstanceOf(bm.Variable);
    expect(list(c.weight as Tensor)).toEqual([[1, 2], [0, 0]]);
    const l = new bp.dnn.AllToAll(2, 2, T([[0, 0.5], [1, 1.5]]), { mode: bm.training_mode });
    l.stdp_update(null, { spike: T([1, 0]), trace: T([0.75, -2]) }, -1, 1);
    expectClose(l.weight as Tensor, [[0.75, 0.5], [-1, 1]]);
  });
});

describe('OneToOne', () => {
  test('x * weight (vector or scalar), N-D input, modes', () => {
    expect(list(new bp.dnn.OneToOne(3, T([1, 2, 3])).call(T([[1, 1, 1], [2, 0, 1]])))).toEqual([[1, 2, 3], [2, 0, 3]]);
    expect(list(new bp.dnn.OneToOne(3, 2).call(T([1, 2, 3])))).toEqual([2, 4, 6]);
    const t = new bp.dnn.OneToOne(3, T([1, 2, 3], 'float64'), { mode: bm.training_mode });
    const x = det([2, 3], 5).requires_grad_();
    const g = det([2, 3], 6);
    const loss = () => t.call(x).mul(g).sum();
    loss().backward();
    const f = () => torch.no_grad(() => loss().item());
    expectGrad((t.weight as Tensor).grad, fdGrad(f, t.weight as Tensor));
    expectGrad(x.grad, fdGrad(f, x));
    expect(() => new bp.dnn.OneToOne(3, T([1, 2]))).toThrow(/shape/);
  });

  test('stdp_update: weight += spike * trace for pre and post, no clipping; a number weight is constant', () => {
    expect(() => new bp.dnn.OneToOne(2, 0.5).stdp_update({ spike: T([1, 0]), trace: T([1, 1]) })).toThrow(/constant node/);
    const l = new bp.dnn.OneToOne(3, T([1, 2, 3]));
    l.stdp_update({ spike: T([1, 0, 1]), trace: T([0.5, 0.5, 0.5]) }, { spike: T([1, 1, 0]), trace: T([2, -5, 1]) }, 0, 1);
    expect(l.weight).toBeInstanceOf(bm.Variable);
    expectClose(l.weight as Tensor, [3.5, -3, 3.5]);
  });
});

describe('MaskedLinear', () => {
  const conn = () => new bp.conn.FixedProb(0.4, { pre: 5, post: 4, seed: 123 });

  test('x @ mask_fun(weight * mask) equals the dense masked product; mask_fun as a function', () => {
    const c = conn();
    const W = det([5, 4], 11, 'float32');
    const l = new bp.dnn.MaskedLinear(c, W);
    const mask = l.mask;
    expect(mask.shape).toEqual([5, 4]);
    const x = det([3, 5], 12, 'float32');
    expectClose(l.call(x), x.matmul(W.mul(mask.to('float32'))));
    const s = new bp.dnn.MaskedLinear(conn(), 0.5, (m: Tensor) => m.mul(2));
    expectClose(s.call(x), x.matmul(s.mask.to('float32')));
  });

  test('training mode gradient and stdp', () => {
    const l = new bp.dnn.MaskedLinear(conn(), det([5, 4], 13), { mode: bm.training_mode });
    const x = det([2, 5], 14).requires_grad_();
    const g = det([2, 4], 15);
    const loss = () => l.call(x).mul(g).sum();
    loss().backward();
    const f = () => torch.no_grad(() => loss().item());
    expectGrad((l.weight as Tensor).grad, fdGrad(f, l.weight as Tensor));
    expectGrad(x.grad, fdGrad(f, x));
    const m = new bp.dnn.MaskedLinear(conn(), torch.zeros(5, 4));
    m.stdp_update({ spike: T([0, 1, 0, 0, 0]), trace: T([1, 2, 3, 4]) }, null, null, 2.5);
    expect(m.weight).toBeInstanceOf(bm.Variable);
    expectClose(m.weight as Tensor, [[0, 0, 0, 0], [1, 2, 2.5, 2.5], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    expect(() => new bp.dnn.MaskedLinear(conn(), 0.5).stdp_update({ spike: T([1, 0, 0, 0, 0]), trace: T([1, 2, 3, 4]) })).toThrow(/constant node/);
  });
});

// =====================================================================================================================
describe('CSRLinear / EventCSRLinear', () => {
  const pre = 6, post = 5;
  const conn = () => new bp.conn.FixedProb(0.4, { pre, post, seed: 42 });

  test.each([true, false])('float product equals the dense matrix (transpose=%s), scalar and per-entry weights, N-D input', (transpose) => {
    const l = new bp.dnn.CSRLinear(conn(), 0.5, { transpose });
    const M = csrDense(l.indices, l.indptr, 0.5, pre, post);
    const inLen = transpose ? pre : post;
    const x = det([2, 3, inLen], 21);
    const want = transpose ? x.matmul(M) : x.matmul(M.t());
    expectClose(l.call(x.float()), want, 1e-5);
    expectClose(l.call(x.select(0, 0).select(0, 1).float()), want.select(0, 0).select(0, 1), 1e-5);
    const nnz = l.indices.shape[0];
    const w = det([nnz], 22, 'float32');
    const h = new bp.dnn.CSRLinear(conn(), w, null, null, null, null, transpose);
    const Mh = csrDense(h.indices, h.indptr, w, pre, post);
    expectClose(h.call(x.float()), transpose ? x.matmul(Mh) : x.matmul(Mh.t()), 1e-5);
  });

  test('event product: active inputs (true, or > 0) add their weights; values are not multiplied in', () => {
    const nnz = new bp.dnn.EventCSRLinear(conn(), 1).indices.shape[0];
    const w = det([nnz], 23, 'float32');
    const l = new bp.dnn.EventCSRLinear(conn(), w);
    const M = csrDense(l.indices, l.indptr, w, pre, post);
    const spikes = T([[1, 0, 0, 1, 1, 0], [0, 1, 0, 0, 0, 1]]);
    expectClose(l.call(spikes.bool()), spikes.to('float64').matmul(M));
    expectClose(l.call(spikes.mul(0.5)), spikes.to('float64').matmul(M));
    expectClose(l.call(spikes.mul(-1)), torch.zeros(2, post, { dtype: 'float64' }));
  });

  test('training mode: TrainVar weight, gradients w.r.t. weight and input equal finite differences', () => {
    const nnz = new bp.dnn.CSRLinear(conn(), 1).indices.shape[0];
    for (const transpose of [true, false]) {
      const l = new bp.dnn.CSRLinear(conn(), det([nnz], 24), { mode: bm.training_mode, transpose });
      expect(l.weight).toBeInstanceOf(bm.TrainVar);
      const x = det([3, transpose ? pre : post], 25).requires_grad_();
      const g = det([3, transpose ? post : pre], 26);
      const loss = () => l.call(x).mul(g).sum();
      loss().backward();
      const f = () => torch.no_grad(() => loss().item());
      expectGrad((l.weight as Tensor).grad, fdGrad(f, l.weight as Tensor));
      expectGrad(x.grad, fdGrad(f, x));
    }
  });

  test('EventCSRLinear in training mode: the weight gradient counts active inputs (finite differences)', () => {
    const nnz = new bp.dnn.EventCSRLinear(conn(), 1).indices.shape[0];
    const l = new bp.dnn.EventCSRLinear(conn(), det([nnz], 27), { mode: bm.training_mode });
    const spikes = det([4, pre], 28).gt(0).to('float64');
    const g = det([4, post], 29);
    const loss = () => l.call(spikes).mul(g).sum();
    loss().backward();
    expectGrad((l.weight as Tensor).grad, fdGrad(() => torch.no_grad(() => loss().item()), l.weight as Tensor));
  });

  test('stdp_update: pre rows += post trace, post columns += pre trace (CSC view), clipped; scalar weight refused', () => {
    expect(() => new bp.dnn.CSRLinear(conn(), 0.5).stdp_update({ spike: torch.ones(pre), trace: torch.ones(post) })).toThrow(/cannot be a scalar/);
    const l0 = new bp.dnn.EventCSRLinear(conn(), 1);
    const nnz = l0.indices.shape[0];
    const l = new bp.dnn.EventCSRLinear(conn(), torch.zeros(nnz));
    const idx = l.indices.toTypedArray(), ptr = l.indptr.toTypedArray();
    const preSpike = T([1, 0, 0, 1, 0, 0]), postTrace = T([0.1, 0.2, 0.3, 0.4, 0.5]);
    const postSpike = T([0, 1, 0, 0, 1]), preTrace = T([1, 2, 3, 4, 5, 6]);
    l.stdp_update({ spike: preSpike, trace: postTrace }, { spike: postSpike, trace: preTrace }, null, 5);
    expect(l.weight).toBeInstanceOf(bm.Variable);
    const want = new Float64Array(nnz);
    for (let i = 0; i < pre; i++) {
      for (let k = ptr[i]; k < ptr[i + 1]; k++) {
        const j = idx[k];
        if (preSpike.toTypedArray()[i]) want[k] += postTrace.toTypedArray()[j];
        if (postSpike.toTypedArray()[j]) want[k] += preTrace.toTypedArray()[i];
        want[k] = Math.min(want[k], 5);
      }
    }
    expectClose(l.weight as Tensor, torch.from_typed_array(want, [nnz]), 1e-6);
    expect(l.w_indices).not.toBeNull();
  });

  test('argument errors', () => {
    expect(() => new bp.dnn.CSRLinear(5 as any, 0.5)).toThrow(/conn must be a bp.conn.TwoEndConnector/);
    // a plain object is the keyword object (Python's **kwargs), so it must come last
    expect(() => new bp.dnn.CSRLinear({} as any, 0.5)).toThrow(/options object must be the last argument, got one in the position of conn/);
    expect(() => new bp.dnn.CSRLinear(new bp.conn.FixedProb(0.4), 0.5)).toThrow(/pre_num and post_num are not set/);
    expect(() => new bp.dnn.CSRLinear(conn(), 0.5, { sharding: 'x' } as any)).toThrow(/sharding must be null/);
    expect(() => new bp.dnn.CSRLinear(conn(), 0.5, { transpos: true } as any)).toThrow(/unknown option "transpos"/);
    expect(() => new bp.dnn.CSRLinear(conn(), T([1, 2]))).toThrow(/shape/);
    expect(() => new bp.dnn.EventCSRLinear(conn(), 0.5).call(torch.ones(post))).toThrow(/conn.pre_num = 6 entries, got input shape \[5\]/);
  });
});

// =====================================================================================================================
describe('JIT connectivity layers', () => {
  test('the era-C reference matrix (seed 42, (4, 16), p = 0.25) and y = M x without materialising M', () => {
    const l = new bp.dnn.JitFPHomoLinear(16, 4, 0.25, 1.0, { seed: 42 });
    const M = l.get_conn_matrix();
    expect(M.shape).toEqual([4, 16]);
    const rows = list(M).map((r: number[]) => r.flatMap((v, j) => (v ? [j] : [])));
    expect(rows).toEqual([[0, 1, 8, 15], [0, 1, 6, 7, 12], [1, 2, 4, 5, 12], [1, 3, 8, 11, 13]]);
    const x = det([16], 31, 'float32');
    expectClose(l.call(x), M.matmul(x));
  });

  const cases: [string, (o: Record<string, unknown>) => any, boolean][] = [
    ['JitFPHomoLinear', (o) => new bp.dnn.JitFPHomoLinear(20, 12, 0.3, 0.7, o), false],
    ['JitFPUniformLinear', (o) => new bp.dnn.JitFPUniformLinear(20, 12, 0.3, -0.5, 1.5, o), false],
    ['JitFPNormalLinear', (o) => new bp.dnn.JitFPNormalLinear(20, 12, 0.3, 0.2, 0.8, o), false],
    ['EventJitFPHomoLinear', (o) => new bp.dnn.EventJitFPHomoLinear(20, 12, 0.3, 0.7, o), true],
    ['EventJitFPUniformLinear', (o) => new bp.dnn.EventJitFPUniformLinear(20, 12, 0.3, -0.5, 1.5, o), true],
    ['EventJitFPNormalLinear', (o) => new bp.dnn.EventJitFPNormalLinear(20, 12, 0.3, 0.2, 0.8, o), true],
  ];

  test.each(cases)('%s: output equals get_conn_matrix() products for 1-D, 2-D and 3-D inputs, both transposes and atomic', (_n, make, isEvent) => {
    for (const transpose of [false, true]) {
      for (const atomic of [false, true]) {
        const l = make({ seed: 1234, transpose, atomic });
        expect(l.atomic).toBe(atomic);
        const M: Tensor = l.get_conn_matrix(); // transpose=True gives Mᵀ, as BrainPy's get_*_weight_matrix
        expect(M.shape).toEqual(transpose ? [20, 12] : [12, 20]);
        const inLen = transpose ? 12 : 20;
        const x = isEvent ? det([2, 3, inLen], 32).gt(0.2).float() : det([2, 3, inLen], 32, 'float32');
        const want = x.matmul(M.t());
        expectClose(l.call(x), want, 1e-5);
        expectClose(l.call(x.select(0, 1)), want.select(0, 1), 1e-5);
        expectClose(l.call(x.select(0, 1).select(0, 2)), want.select(0, 1).select(0, 2), 1e-5);
      }
    }
    const a = make({ seed: 1234, atomic: false }).get_conn_matrix(), b = make({ seed: 1234, atomic: true }).get_conn_matrix();
    expect(a.equal(b)).toBe(false); // outdim_parallel picks another matrix
  });

  test('brainevent 0.2.0 generator: batched inputs still see the matrix-vector kernels\' matrix', () => {
    const prev = bm.jitconn.get_default_rng();
    bm.jitconn.set_default_rng('light-d');
    try {
      const l = new bp.dnn.JitFPUniformLinear(30, 9, 0.2, 0, 1, { seed: 5 });
      const x = det([4, 30], 36, 'float32');
      expectClose(l.call(x), x.matmul(l.get_conn_matrix().t()), 1e-5);
    } finally {
      bm.jitconn.set_default_rng(prev);
    }
  });

  test('defaults: atomic False (True for the Event forms); seed=None draws numpy\'s global randint like BrainPy', () => {
    expect(new bp.dnn.JitFPHomoLinear(4, 3, 0.5, 1, { seed: 1 }).atomic).toBe(false);
    expect(new bp.dnn.EventJitFPHomoLinear(4, 3, 0.5, 1, { seed: 1 }).atomic).toBe(true);
    expect(new bp.dnn.EventJitFPNormalLinear(4, 3, 0.5, 0, 1, { seed: 1 }).atomic).toBe(true);
    numpySeed(42);
    // numpy.random.RandomState(42).randint(0, 100000) twice: 15795, 860; RandomState(42).randint(0, 1000000): 121958
    expect(new bp.dnn.JitFPHomoLinear(4, 3, 0.5, 1).seed).toBe(15795);
    expect(new bp.dnn.JitFPUniformLinear(4, 3, 0.5, 0, 1).seed).toBe(860);
    numpySeed(42);
    expect(new bp.dnn.EventJitFPHomoLinear(4, 3, 0.5, 1).seed).toBe(121958);
  });

  test('training mode: the homo weight is a 0-d TrainVar; gradients w.r.t. weight and input equal finite differences', () => {
    for (const transpose of [false, true]) {
      const l = new bp.dnn.JitFPHomoLinear(10, 7, 0.4, T(0.3, 'float64'), { seed: 7, transpose, mode: bm.training_mode });
      const w = l.weight as Tensor;
      expect(w).toBeInstanceOf(bm.TrainVar);
      expect(w.shape).toEqual([]);
      const x = det([3, transpose ? 7 : 10], 33).requires_grad_();
      const g = det([3, transpose ? 10 : 7], 34);
      const loss = () => l.call(x).mul(g).sum();
      loss().backward();
      expect(w.grad).not.toBeNull();
      // the homo product is linear in the weight: d/dw = Σ g · (M₁ x) with M₁ the unit-weight matrix
      const M1 = new bp.dnn.JitFPHomoLinear(10, 7, 0.4, 1, { seed: 7, transpose }).get_conn_matrix().to('float64');
      expect(w.grad!.item()).toBeCloseTo(x.detach().matmul(M1.t()).mul(g).sum().item(), 5);
      expectGrad(x.grad, fdGrad(() => torch.no_grad(() => loss().item()), x), 1e-5);
    }
    const u = new bp.dnn.JitFPNormalLinear(6, 4, 0.5, 0, 1, { seed: 3, mode: bm.training_mode });
    expect(u.parameters()).toHaveLength(0); // BrainPy trains only the homo weight
    const x = det([2, 6], 35).requires_grad_();
    u.call(x).sum().backward();
    expectClose(x.grad!, torch.ones(2, 4, { dtype: 'float64' }).matmul(u.get_conn_matrix().to('float64')), 1e-5);
  });

  test('argument errors', () => {
    expect(() => new bp.dnn.JitFPHomoLinear(4, 3, 0, 1)).toThrow(/prob must be a number in \(0, 1\]/);
    expect(() => new bp.dnn.JitFPHomoLinear(4, 3, 0.5, 1, { seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => new bp.dnn.JitFPHomoLinear(4, 3, 0.5, T([1, 2]))).toThrow(/weight must be a number/);
    expect(() => new bp.dnn.JitFPNormalLinear(4, 3, 0.5, 0, 1, { mode: bm.training_mode, atomc: true } as any)).toThrow(/unknown option "atomc"/);
    expect(() => new bp.dnn.JitFPHomoLinear(4, 3, 0.5, 1, { seed: 1 }).call(torch.ones(3))).toThrow(/num_in = 4 entries, got input shape \[3\]/);
    expect(() => new bp.dnn.JitFPHomoLinear(4, 3, 0.5, 1, { seed: 1, transpose: true }).call(torch.ones(4))).toThrow(/num_out \(transpose=True\) = 3 entries/);
  });
});

describe('spikeport/brainpy entry', () => {
  test('bp holds dnn, connect/conn, initialize/init, math, algorithms, share; bm is bp.math', () => {
    expect(bp.math).toBe(bm);
    expect(bp.conn.FixedProb).toBe(bp.connect.FixedProb);
    expect(bp.init.ZeroInit).toBe(bp.initialize.ZeroInit);
    expect(typeof bm.sparse.csrmv).toBe('function');
    expect(typeof bm.event.csrmv).toBe('function');
    expect(typeof bm.jitconn.mv_prob_homo).toBe('function');
  });
});
