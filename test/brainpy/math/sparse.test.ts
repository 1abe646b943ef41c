/**
 * bm.sparse.csrmv: hand-derived cases, the reference fixtures (fixtures/brainpy/csr/csrmv.json, numpy following
 * brainevent's kernels and transpose rules — compat/brainpy_reference.py), dense equivalence, float64 gradcheck and
 * argument errors.
 */
import { readFileSync } from 'fs';
import * as torch from '../../../src/torch/index';
import type { EncodedTensor } from '../../../src/fixtures/tensorjson';
import { expectClose, fromFixture, FIX, IND, PTR } from './csr_helpers';
import { csrmv, csr_to_dense, csr_to_coo, coo_to_csr } from '../../../src/brainpy/math/sparse';

type Tensor = torch.Tensor;
describe('bm.sparse.csrmv: hand-derived', () => {
  const data = torch.tensor([1, 2, 3, 4, 5]);
  test('M @ v and v @ M with per-entry weights', () => {
    const y = csrmv(data, IND, PTR, torch.tensor([1, 2, 3]), { shape: [4, 3] });
    expect(Array.from(y.toTypedArray())).toEqual([7, 6, 0, 19]);
    const z = csrmv(data, IND, PTR, torch.tensor([1, 1, 1, 1]), { shape: [4, 3], transpose: true });
    expect(Array.from(z.toTypedArray())).toEqual([5, 3, 7]);
    expect(y.dtype).toBe('float32');
  });

  test('a homogeneous weight: a number, a 0-d or a 1-element tensor', () => {
    const v = torch.tensor([1, 2, 3]);
    for (const w of [2, torch.tensor(2), torch.tensor([2])]) {
      expect(Array.from(csrmv(w, IND, PTR, v, { shape: [4, 3] }).toTypedArray())).toEqual([8, 4, 0, 8]);
    }
    expect(Array.from(csrmv(0.5, IND, PTR, torch.tensor([1, 0, 0, 1]), { shape: [4, 3], transpose: true }).toTypedArray())).toEqual([1, 0, 1]);
  });

  test('int32 Tensor / Int32Array indices; unsorted columns; a batch of vectors', () => {
    const ind = torch.tensor([2, 0, 1, 2, 0], { dtype: 'int32' }), ptr = Int32Array.from(PTR);
    const d = torch.tensor([2, 1, 3, 5, 4]); // the same matrix, columns listed in another order
    const B = torch.tensor([[1, 10], [2, 20], [3, 30]]);
    const Y = csrmv(d, ind, ptr, B, { shape: [4, 3] });
    expect(Y.shape).toEqual([4, 2]);
    expect(Y.tolist()).toEqual([[7, 70], [6, 60], [0, 0], [19, 190]]);
    const V = torch.tensor([[1, 1, 1, 1], [1, 0, 0, 0]]);
    expect(csrmv(d, ind, ptr, V, { shape: [4, 3], transpose: true }).tolist()).toEqual([[5, 3, 7], [1, 0, 2]]);
  });

  test('float64 data gives float64; a number follows the vector dtype', () => {
    expect(csrmv(torch.tensor([1, 2, 3, 4, 5], { dtype: 'float64' }), IND, PTR, torch.tensor([1, 2, 3]), { shape: [4, 3] }).dtype).toBe('float64');
    expect(csrmv(1, IND, PTR, torch.tensor([1, 2, 3], { dtype: 'float64' }), { shape: [4, 3] }).dtype).toBe('float64');
  });

  test('csr_to_dense, csr_to_coo, coo_to_csr', () => {
    expect(csr_to_dense(data, IND, PTR, { shape: [4, 3] }).tolist()).toEqual([[1, 0, 2], [0, 3, 0], [0, 0, 0], [4, 0, 5]]);
    const [r, c] = csr_to_coo(IND, PTR);
    expect(Array.from(r.toTypedArray())).toEqual([0, 0, 1, 3, 3]);
    expect(Array.from(c.toTypedArray())).toEqual(IND);
    const [i2, p2] = coo_to_csr([3, 0, 1, 0, 3], [0, 0, 1, 2, 2], { num_row: 4 });
    expect(Array.from(i2.toTypedArray())).toEqual([0, 2, 1, 0, 2]);
    expect(Array.from(p2.toTypedArray())).toEqual(PTR);
  });
});

interface Case {
  name: string; kind: 'float' | 'event'; indices: EncodedTensor; indptr: EncodedTensor; shape: [number, number];
  data: EncodedTensor; homo: boolean; transpose: boolean; vector: EncodedTensor; out: EncodedTensor; ct: EncodedTensor;
  grad_data: EncodedTensor; grad_vector: EncodedTensor | null;
}

function loadCases(kind: 'float' | 'event'): Case[] {
  return (JSON.parse(readFileSync(FIX, 'utf8')) as { cases: Case[] }).cases.filter((c) => c.kind === kind);
}

describe('bm.sparse.csrmv: reference fixtures (numpy following brainevent)', () => {
  for (const c of loadCases('float')) {
    test(c.name, () => {
      const data = fromFixture(c.data).requires_grad_(true);
      const v = fromFixture(c.vector).requires_grad_(true);
      const ind = fromFixture(c.indices), ptr = fromFixture(c.indptr);
      const y = csrmv(data, ind, ptr, v, { shape: c.shape, transpose: c.transpose });
      expectClose('out', y, fromFixture(c.out), 1e-6, 1e-6);
      y.mul(fromFixture(c.ct)).sum().backward();
      expectClose('grad data', data.grad!.double(), fromFixture(c.grad_data), 1e-6, 1e-5);
      expectClose('grad vector', v.grad!.double(), fromFixture(c.grad_vector!), 1e-6, 1e-5);
      if (c.homo) {
        // a JS number as the weight gives the same product
        const y2 = csrmv(fromFixture(c.data).item(), ind, ptr, fromFixture(c.vector), { shape: c.shape, transpose: c.transpose });
        expectClose('out (number weight)', y2, fromFixture(c.out), 1e-6, 1e-6);
      }
    });
  }
});

/** A random CSR (unsorted columns, empty rows) as plain arrays. */
function randomCsr(m: number, n: number, density: number, seed: number): { indices: Int32Array; indptr: Int32Array } {
  const g = new torch.Generator().manual_seed(seed);
  const u = torch.rand([m, n], { generator: g }).toTypedArray();
  const ind: number[] = [], ptr = [0];
  for (let i = 0; i < m; i++) {
    const cols: number[] = [];
    for (let j = 0; j < n; j++) if (u[i * n + j] < density) cols.push(j);
    cols.reverse();
    ind.push(...cols);
    ptr.push(ind.length);
  }
  return { indices: Int32Array.from(ind), indptr: Int32Array.from(ptr) };
}

describe('bm.sparse.csrmv: dense equivalence', () => {
  for (const [m, n, dens] of [[30, 20, 0.2], [7, 50, 0.5], [40, 40, 0.05]] as const) {
    test(`${m}x${n}, density ${dens}`, () => {
      const { indices, indptr } = randomCsr(m, n, dens, m * 100 + n);
      const nnz = indices.length;
      const data = torch.randn([nnz], { dtype: 'float64' });
      const D = csr_to_dense(data, indices, indptr, { shape: [m, n] });
      const v = torch.randn([n], { dtype: 'float64' }), u = torch.randn([m], { dtype: 'float64' });
      expectClose('M v', csrmv(data, indices, indptr, v, { shape: [m, n] }), D.matmul(v), 1e-12, 1e-12);
      expectClose('u M', csrmv(data, indices, indptr, u, { shape: [m, n], transpose: true }), u.matmul(D), 1e-12, 1e-12);
      const B = torch.randn([n, 4], { dtype: 'float64' }), U = torch.randn([3, m], { dtype: 'float64' });
      expectClose('M B', csrmv(data, indices, indptr, B, { shape: [m, n] }), D.matmul(B), 1e-12, 1e-12);
      expectClose('U M', csrmv(data, indices, indptr, U, { shape: [m, n], transpose: true }), U.matmul(D), 1e-12, 1e-12);
      expectClose('homo M v', csrmv(0.25, indices, indptr, v, { shape: [m, n] }), csr_to_dense(0.25, indices, indptr, { shape: [m, n] }).double().matmul(v), 1e-12, 1e-12);
    });
  }
});

describe('bm.sparse.csrmv: gradients by finite differences (float64)', () => {
  const { indices, indptr } = randomCsr(6, 5, 0.4, 3);
  const nnz = indices.length;
  for (const transpose of [false, true]) {
    for (const batch of [false, true]) {
      for (const homo of [false, true]) {
        test(`transpose=${transpose} batch=${batch} homo=${homo}`, () => {
          const data = (homo ? torch.randn([1], { dtype: 'float64' }) : torch.randn([nnz], { dtype: 'float64' })).requires_grad_(true);
          const len = transpose ? 6 : 5;
          const vshape = batch ? (transpose ? [3, len] : [len, 3]) : [len];
          const v = torch.randn(vshape, { dtype: 'float64' }).requires_grad_(true);
          const f = (d: Tensor, x: Tensor): Tensor => csrmv(d, indices, indptr, x, { shape: [6, 5], transpose });
          expect(torch.autograd.gradcheck(f, [data, v])).toBe(true);
        });
      }
    }
  }

  test('the vector gradient is differentiable again (double backward)', () => {
    const data = torch.randn([nnz], { dtype: 'float64' });
    const v = torch.randn([5], { dtype: 'float64' }).requires_grad_(true);
    const ct = torch.randn([6], { dtype: 'float64' }).requires_grad_(true);
    const y = csrmv(data, indices, indptr, v, { shape: [6, 5] });
    const [gv] = torch.autograd.grad(y, v, ct, { create_graph: true });
    // gv = M^T ct, so d(sum gv * w)/d ct = M w
    const w = torch.randn([5], { dtype: 'float64' });
    const [gct] = torch.autograd.grad(gv!.mul(w).sum(), ct);
    expectClose('M w', gct!, csrmv(data, indices, indptr, w, { shape: [6, 5] }), 1e-12, 1e-12);
  });
});

describe('bm.sparse.csrmv: argument errors', () => {
  const d = torch.tensor([1, 2, 3, 4, 5]);
  const v = torch.tensor([1, 2, 3]);
  test.each([
    [() => csrmv(d, IND, PTR, v, undefined as never), 'bm.sparse.csrmv: the keyword argument shape is required'],
    [() => csrmv(d, IND, PTR, v, { shape: [4, 3], tranpose: true } as never), 'bm.sparse.csrmv: unknown option "tranpose"'],
    [() => csrmv(d, IND, PTR, v, { shape: [4] }), 'bm.sparse.csrmv: shape must be a pair of non-negative integers [rows, cols], got [4]'],
    [() => csrmv(d, IND, PTR, torch.tensor([1, 2]), { shape: [4, 3] }), 'bm.sparse.csrmv: vector must have length shape[1] = 3 (transpose=false), got shape [2]'],
    [() => csrmv(d, IND, PTR, v, { shape: [4, 3], transpose: true }), 'bm.sparse.csrmv: vector must have length shape[0] = 4 (transpose=true), got shape [3]'],
    [() => csrmv(d, IND, [0, 2, 3, 5], v, { shape: [4, 3] }), 'bm.sparse.csrmv: indptr must have shape[0] + 1 = 5 entries, got 4'],
    [() => csrmv(d, IND, [0, 2, 1, 3, 5], v, { shape: [4, 3] }), 'bm.sparse.csrmv: indptr must be non-decreasing, got indptr[1] = 2 > indptr[2] = 1'],
    [() => csrmv(d, IND, [0, 2, 3, 3, 4], v, { shape: [4, 3] }), 'bm.sparse.csrmv: indptr[-1] must equal the number of entries len(indices) = 5, got 4'],
    [() => csrmv(d, [0, 2, 7, 0, 2], PTR, v, { shape: [4, 3] }), 'bm.sparse.csrmv: indices[2] must be in [0, 3), got 7'],
    [() => csrmv(d, [0, 2, -1, 0, 2], PTR, v, { shape: [4, 3] }), 'bm.sparse.csrmv: indices[2] must be in [0, 3), got -1'],
    [() => csrmv(torch.tensor([1, 2, 3]), IND, PTR, v, { shape: [4, 3] }), 'bm.sparse.csrmv: data must be a number, a 1-element Tensor (homogeneous weight) or a 1-D Tensor of length nnz = 5, got a float32 Tensor of shape [3]'],
    [() => csrmv(torch.tensor([1, 2, 3, 4, 5], { dtype: 'int32' }), IND, PTR, v, { shape: [4, 3] }), 'bm.sparse.csrmv: data must be a float32 or float64 Tensor (the weights must be floating point), got a int32 Tensor of shape [5]'],
    [() => csrmv(d, IND, PTR, torch.tensor([true, false, true]), { shape: [4, 3] }), 'bm.sparse.csrmv: vector must be a float32 or float64 Tensor (use bm.event.csrmv for spikes), got a bool Tensor of shape [3]'],
    [() => csrmv(d, torch.tensor([0, 2, 1, 0, 2]), PTR, v, { shape: [4, 3] }), 'bm.sparse.csrmv: indices must be an int32 (integer) Tensor, got a float32 Tensor of shape [5]'],
    [() => csrmv(d, [0, 2, 1.5, 0, 2], PTR, v, { shape: [4, 3] }), 'bm.sparse.csrmv: indices[2] must be an int32 integer, got 1.5'],
    [() => csrmv(d, IND, PTR, torch.zeros([3, 2, 1]), { shape: [4, 3] }), 'bm.sparse.csrmv: vector must be a 1-D or 2-D Tensor, got a float32 Tensor of shape [3, 2, 1]'],
    [() => csrmv(d, IND, PTR, v, { shape: [4, 3], transpose: 1 as never }), 'bm.sparse.csrmv: transpose must be a boolean, got 1'],
  ])('%#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
