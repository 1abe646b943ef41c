/**
 * STDP kernels (brainevent's update_{dense,csr}_on_binary_{pre,post}, used by brainpy.dnn): hand-derived cases, the
 * reference fixtures (fixtures/brainpy/stdp/stdp.json, numpy following brainevent — compat/brainpy_reference.py,
 * compared bit-exactly: float32 adds then clipping), consistency dense == CSR, and argument errors.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as torch from '../../../src/torch/index';
import { decodeTensor, type EncodedTensor } from '../../../src/fixtures/tensorjson';
import {
  update_dense_on_binary_pre, update_dense_on_binary_post, update_csr_on_binary_pre, update_csr_on_binary_post,
} from '../../../src/brainpy/math/plasticity';
import { csr2csc } from '../../../src/brainpy/connect/base';
import { csr_to_dense } from '../../../src/brainpy/math/sparse';

type Tensor = torch.Tensor;
const FIX = join(__dirname, '..', '..', '..', 'fixtures', 'brainpy', 'stdp', 'stdp.json');

function fromFixture(e: EncodedTensor): Tensor {
  const { shape, data } = decodeTensor(e);
  if (data instanceof BigInt64Array) return torch.from_typed_array(Int32Array.from(data, (v) => Number(v)), shape);
  return torch.from_typed_array(data.slice() as torch.TypedArray, shape);
}

function expectBits(what: string, got: Tensor, want: Tensor): void {
  expect(got.dtype).toBe(want.dtype);
  if (got.shape.join() !== want.shape.join()) throw new Error(`${what}: shape [${got.shape}], expected [${want.shape}]`);
  const g = got.toTypedArray(), w = want.toTypedArray();
  for (let i = 0; i < w.length; i++) if (!Object.is(g[i], w[i])) throw new Error(`${what}[${i}]: expected ${w[i]}, got ${g[i]}`);
}

describe('STDP kernels: hand-derived', () => {
  const W = torch.tensor([[0, 1, 2], [3, 4, 5]]);
  test('dense pre: spiking rows get the post trace; float spikes count when != 0', () => {
    const r = update_dense_on_binary_pre(W, torch.tensor([true, false]), torch.tensor([0.5, -1, 10]));
    expect(r.tolist()).toEqual([[0.5, 0, 12], [3, 4, 5]]);
    const r2 = update_dense_on_binary_pre(W, torch.tensor([-1, 0.25]), torch.tensor([0.5, -1, 10]));
    expect(r2.tolist()).toEqual([[0.5, 0, 12], [3.5, 3, 15]]);
    expect(W.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]); // the input is not modified
  });

  test('dense post: spiking columns get the pre trace; clipping to [w_min, w_max]', () => {
    const r = update_dense_on_binary_post(W, torch.tensor([1, -10]), torch.tensor([false, true, true]), 0, 4);
    // before clipping: [[0, 2, 3], [3, -6, -5]]
    expect(r.tolist()).toEqual([[0, 2, 3], [3, 0, 0]]);
    expect(update_dense_on_binary_post(W, torch.tensor([1, -10]), torch.tensor([false, true, true]), { w_max: 2.5 }).tolist()).toEqual([[0, 2, 2.5], [2.5, -6, -5]]);
    expect(update_dense_on_binary_post(W, torch.tensor([1, -10]), torch.tensor([false, true, true]), null, 2.5).tolist()).toEqual([[0, 2, 2.5], [2.5, -6, -5]]);
  });

  test('csr pre / post with csr2csc, and w_min > w_max gives w_max everywhere (jnp.clip)', () => {
    // M = [[1, 0, 2], [0, 3, 0]] as CSR
    const ind = [0, 2, 1], ptr = [0, 2, 3];
    const w = torch.tensor([1, 2, 3]);
    expect(Array.from(update_csr_on_binary_pre(w, ind, ptr, torch.tensor([true, false]), torch.tensor([10, 20, 30]), { shape: [2, 3] }).toTypedArray())).toEqual([11, 32, 3]);
    const [pre_ids, post_ptr, w_idx] = csr2csc([ind, ptr], 3, torch.tensor([0, 1, 2], { dtype: 'int32' })) as Tensor[];
    expect(Array.from(pre_ids.toTypedArray())).toEqual([0, 1, 0]);
    expect(Array.from(post_ptr.toTypedArray())).toEqual([0, 1, 2, 3]);
    expect(Array.from(w_idx.toTypedArray())).toEqual([0, 2, 1]);
    const r = update_csr_on_binary_post(w, pre_ids, post_ptr, w_idx, torch.tensor([100, 200]), torch.tensor([false, true, true]), { shape: [2, 3] });
    expect(Array.from(r.toTypedArray())).toEqual([1, 102, 203]);
    expect(Array.from(update_csr_on_binary_pre(w, ind, ptr, torch.tensor([0, 0]), torch.tensor([1, 1, 1]), 5, 1, { shape: [2, 3] }).toTypedArray())).toEqual([1, 1, 1]);
  });

  test('tensor bounds broadcast (jnp.clip)', () => {
    const r = update_dense_on_binary_pre(W, torch.tensor([false, false]), torch.zeros([3]), torch.tensor([1, 1, 1]), torch.tensor([[2], [4]]));
    expect(r.tolist()).toEqual([[1, 1, 2], [3, 4, 4]]);
  });

  test('float64 weights stay float64; the dense and CSR forms agree on a full pattern', () => {
    const g = new torch.Generator().manual_seed(11);
    const Wd = torch.randn([4, 5], { dtype: 'float64', generator: g });
    const pre = torch.rand([4], { generator: g }).gt(0.5), post = torch.rand([5], { generator: g }).gt(0.5);
    const trPre = torch.randn([4], { dtype: 'float64', generator: g }), trPost = torch.randn([5], { dtype: 'float64', generator: g });
    const ind: number[] = [], ptr = [0];
    for (let i = 0; i < 4; i++) { for (let j = 0; j < 5; j++) ind.push(j); ptr.push(ind.length); }
    const dense = update_dense_on_binary_post(update_dense_on_binary_pre(Wd, pre, trPost, -0.5, 0.5), trPre, post, -0.5, 0.5);
    const [pid, pptr, widx] = csr2csc([ind, ptr], 5, torch.arange(20, { dtype: 'int32' })) as Tensor[];
    let w = Wd.reshape(-1);
    w = update_csr_on_binary_pre(w, ind, ptr, pre, trPost, -0.5, 0.5, { shape: [4, 5] });
    w = update_csr_on_binary_post(w, pid, pptr, widx, trPre, post, -0.5, 0.5, { shape: [4, 5] });
    expect(w.dtype).toBe('float64');
    expectBits('csr vs dense', csr_to_dense(w, ind, ptr, { shape: [4, 5] }), dense);
  });
});

interface Case {
  shape: [number, number]; w_min: number | null; w_max: number | null; spike_kind: string;
  W: EncodedTensor; pre_spike: EncodedTensor; post_spike: EncodedTensor; pre_trace: EncodedTensor; post_trace: EncodedTensor;
  dense_pre: EncodedTensor; dense_post: EncodedTensor; indices: EncodedTensor; indptr: EncodedTensor; w: EncodedTensor;
  csr_pre: EncodedTensor; csc_pre_ids: EncodedTensor; csc_indptr: EncodedTensor; csc_w_idx: EncodedTensor; csr_post: EncodedTensor;
}

describe('STDP kernels: reference fixtures (bit-exact)', () => {
  const cases = (JSON.parse(readFileSync(FIX, 'utf8')) as { cases: Case[] }).cases;
  cases.forEach((c, i) => {
    test(`${i}: shape [${c.shape}], ${c.spike_kind} spikes, clip [${c.w_min}, ${c.w_max}]`, () => {
      const f = fromFixture;
      expectBits('dense pre', update_dense_on_binary_pre(f(c.W), f(c.pre_spike), f(c.post_trace), c.w_min, c.w_max), f(c.dense_pre));
      expectBits('dense post', update_dense_on_binary_post(f(c.W), f(c.pre_trace), f(c.post_spike), { w_min: c.w_min, w_max: c.w_max }), f(c.dense_post));
      expectBits('csr pre', update_csr_on_binary_pre(f(c.w), f(c.indices), f(c.indptr), f(c.pre_spike), f(c.post_trace), c.w_min, c.w_max, { shape: c.shape }), f(c.csr_pre));
      const [pid, ptr, widx] = csr2csc([f(c.indices), f(c.indptr)], c.shape[1], { data: torch.arange(f(c.indices).shape[0], { dtype: 'int32' }) }) as Tensor[];
      expectBits('csc pre ids', pid, f(c.csc_pre_ids));
      expectBits('csc indptr', ptr, f(c.csc_indptr));
      expectBits('csc w_idx', widx, f(c.csc_w_idx));
      expectBits('csr post', update_csr_on_binary_post(f(c.w), pid, ptr, widx, f(c.pre_trace), f(c.post_spike), c.w_min, c.w_max, { shape: c.shape }), f(c.csr_post));
    });
  });
});

describe('STDP kernels: argument errors', () => {
  const W = torch.zeros([2, 3]);
  const ind = [0, 2, 1], ptr = [0, 2, 3];
  test.each([
    [() => update_dense_on_binary_pre(W, torch.tensor([true]), torch.zeros([3])), 'update_dense_on_binary_pre: pre_spike must have length weight.shape[0] = 2, got shape [1]'],
    [() => update_dense_on_binary_pre(W, torch.tensor([true, false]), torch.zeros([2])), 'update_dense_on_binary_pre: post_trace must have length weight.shape[1] = 3, got shape [2]'],
    [() => update_dense_on_binary_post(torch.zeros([6]), torch.zeros([2]), torch.tensor([true, false, true])), 'update_dense_on_binary_post: weight must be a 2-D Tensor, got a float32 Tensor of shape [6]'],
    [() => update_dense_on_binary_pre(W, torch.tensor([true, false]), torch.zeros([3]), 'a' as never), 'update_dense_on_binary_pre: w_min must be a number, a Tensor or null, got "a"'],
    [() => update_dense_on_binary_pre(W, torch.tensor([true, false]), torch.zeros([3]), { wmin: 0 } as never), 'update_dense_on_binary_pre: unknown option "wmin"'],
    [() => update_dense_on_binary_pre(W, torch.tensor([true, false]), torch.zeros([3]), 0, 1, 2 as never), 'update_dense_on_binary_pre: takes at most 2 optional positional arguments (w_min, w_max), got 3'],
    [() => update_csr_on_binary_pre(torch.zeros([3]), ind, ptr, torch.tensor([true, false]), torch.zeros([3]), 0, 1), 'update_csr_on_binary_pre: the keyword argument shape is required'],
    [() => update_csr_on_binary_pre(torch.zeros([1]), ind, ptr, torch.tensor([true, false]), torch.zeros([3]), { shape: [2, 3] }), 'update_csr_on_binary_pre: plasticity updates require per-synapse (heterogeneous) weights'],
    [() => update_csr_on_binary_pre(torch.zeros([4]), ind, ptr, torch.tensor([true, false]), torch.zeros([3]), { shape: [2, 3] }), 'update_csr_on_binary_pre: weight must be a 1-D Tensor of length len(indices) = 3, got a float32 Tensor of shape [4]'],
    [() => update_csr_on_binary_pre(torch.zeros([3]), ind, ptr, torch.tensor([true, false, true]), torch.zeros([3]), { shape: [2, 3] }), 'update_csr_on_binary_pre: pre_spike must have length shape[0] = 2, got shape [3]'],
    [() => update_csr_on_binary_pre(torch.zeros([3]), [0, 5, 1], ptr, torch.tensor([true, false]), torch.zeros([3]), { shape: [2, 3] }), 'update_csr_on_binary_pre: indices[1] must be in [0, 3), got 5'],
    [() => update_csr_on_binary_post(torch.zeros([3]), [0, 1, 0], [0, 1, 2], [0, 2, 1], torch.zeros([2]), torch.tensor([true, true, true]), { shape: [2, 3] }), 'update_csr_on_binary_post: indptr must have 4 entries, got 3'],
    [() => update_csr_on_binary_post(torch.zeros([3]), [0, 1, 0], [0, 1, 2, 3], [0, 2], torch.zeros([2]), torch.tensor([true, true, true]), { shape: [2, 3] }), 'update_csr_on_binary_post: weight_indices must have the same length as indices (3), got 2'],
    [() => update_csr_on_binary_post(torch.zeros([3]), [0, 1, 0], [0, 1, 2, 3], [0, 2, 9], torch.zeros([2]), torch.tensor([true, true, true]), { shape: [2, 3] }), 'update_csr_on_binary_post: weight_indices[2] must be in [0, 3), got 9'],
  ])('%#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
