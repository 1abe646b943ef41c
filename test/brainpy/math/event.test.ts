/**
 * bm.event.csrmv: event semantics (bool truthiness, float `> 0`, values not multiplied in), hand-derived cases, the
 * reference fixtures (fixtures/brainpy/csr/csrmv.json, numpy following brainevent — compat/brainpy_reference.py),
 * equivalence with the float product on binarised events, brainevent's gradient rules, and argument errors.
 */
import { readFileSync } from 'fs';
import * as torch from '../../../src/torch/index';
import type { EncodedTensor } from '../../../src/fixtures/tensorjson';
import { expectClose, fromFixture, FIX, IND, PTR } from './csr_helpers';
import { csrmv } from '../../../src/brainpy/math/event';
import * as sparse from '../../../src/brainpy/math/sparse';

type Tensor = torch.Tensor;
describe('bm.event.csrmv: hand-derived', () => {
  const data = torch.tensor([1, 2, 3, 4, 5]);
  test('bool events pick rows (transpose) or columns (gather)', () => {
    const pre = torch.tensor([true, false, false, true]);
    expect(Array.from(csrmv(data, IND, PTR, pre, { shape: [4, 3], transpose: true }).toTypedArray())).toEqual([5, 0, 7]);
    const post = torch.tensor([false, true, true]);
    expect(Array.from(csrmv(data, IND, PTR, post, { shape: [4, 3] }).toTypedArray())).toEqual([2, 3, 0, 5]);
  });

  test('float events count when > 0 and their value is not multiplied in', () => {
    const pre = torch.tensor([0.5, -1, 2, 3]); // rows 0, 2, 3 active; -1 ignored; 0.5 and 3 count as 1
    expect(Array.from(csrmv(data, IND, PTR, pre, { shape: [4, 3], transpose: true }).toTypedArray())).toEqual([5, 0, 7]);
    expect(Array.from(csrmv(2, IND, PTR, pre, { shape: [4, 3], transpose: true }).toTypedArray())).toEqual([4, 0, 4]);
    const nan = torch.tensor([NaN, 0, 1]);
    expect(Array.from(csrmv(data, IND, PTR, nan, { shape: [4, 3] }).toTypedArray())).toEqual([2, 0, 0, 5]);
  });

  test('int32 events, a number weight, batches', () => {
    expect(Array.from(csrmv(1.5, IND, PTR, torch.tensor([1, 0, 7], { dtype: 'int32' }), { shape: [4, 3] }).toTypedArray())).toEqual([3, 0, 0, 3]);
    const E = torch.tensor([[true, false, false, true], [false, true, false, false]]);
    expect(csrmv(data, IND, PTR, E, { shape: [4, 3], transpose: true }).tolist()).toEqual([[5, 0, 7], [0, 3, 0]]);
    const F = torch.tensor([[1, 0], [0, 1], [1, 1]]);
    expect(csrmv(data, IND, PTR, F, { shape: [4, 3] }).tolist()).toEqual([[3, 2], [0, 3], [0, 0], [9, 5]]);
  });

  test('equals bm.sparse.csrmv on the binarised events', () => {
    const g = new torch.Generator().manual_seed(4);
    const m = 40, n = 30;
    const u = torch.rand([m, n], { generator: g }).toTypedArray();
    const ind: number[] = [], ptr = [0];
    for (let i = 0; i < m; i++) { for (let j = 0; j < n; j++) if (u[i * n + j] < 0.2) ind.push(j); ptr.push(ind.length); }
    const w = torch.randn([ind.length], { generator: g });
    for (const transpose of [false, true]) {
      const len = transpose ? m : n;
      const ev = torch.randn([len], { generator: g });
      const bin = ev.gt(0).float();
      expectClose(`transpose=${transpose}`, csrmv(w, ind, ptr, ev, { shape: [m, n], transpose }), sparse.csrmv(w, ind, ptr, bin, { shape: [m, n], transpose }), 1e-6, 1e-6);
      expectClose(`bool transpose=${transpose}`, csrmv(w, ind, ptr, ev.gt(0), { shape: [m, n], transpose }), sparse.csrmv(w, ind, ptr, bin, { shape: [m, n], transpose }), 1e-6, 1e-6);
    }
  });
});

interface Case {
  name: string; kind: 'float' | 'event'; indices: EncodedTensor; indptr: EncodedTensor; shape: [number, number];
  data: EncodedTensor; homo: boolean; transpose: boolean; vector: EncodedTensor; out: EncodedTensor; ct: EncodedTensor;
  grad_data: EncodedTensor; grad_vector: EncodedTensor | null;
}

describe('bm.event.csrmv: reference fixtures (numpy following brainevent)', () => {
  const cases = (JSON.parse(readFileSync(FIX, 'utf8')) as { cases: Case[] }).cases.filter((c) => c.kind === 'event');
  for (const c of cases) {
    test(c.name, () => {
      const data = fromFixture(c.data).requires_grad_(true);
      const ev = fromFixture(c.vector);
      if (c.grad_vector) ev.requires_grad_(true);
      const y = csrmv(data, fromFixture(c.indices), fromFixture(c.indptr), ev, { shape: c.shape, transpose: c.transpose });
      expectClose('out', y, fromFixture(c.out), 1e-6, 1e-6);
      y.mul(fromFixture(c.ct)).sum().backward();
      expectClose('grad data', data.grad!.double(), fromFixture(c.grad_data), 1e-6, 1e-5);
      if (c.grad_vector) expectClose('grad events', ev.grad!.double(), fromFixture(c.grad_vector), 1e-6, 1e-5);
    });
  }
});

describe('bm.event.csrmv: gradients', () => {
  test('w.r.t. float events: straight through (the dense product), checked by finite differences of the float op', () => {
    const data = torch.tensor([1, 2, 3, 4, 5], { dtype: 'float64' });
    const ev = torch.tensor([0.5, -1, 2, 3], { dtype: 'float64' }).requires_grad_(true);
    const y = csrmv(data, IND, PTR, ev, { shape: [4, 3], transpose: true });
    const ct = torch.tensor([1, 10, 100], { dtype: 'float64' });
    y.mul(ct).sum().backward();
    // M ct = [1 + 200, 30, 0, 4 + 500]
    expect(Array.from(ev.grad!.toTypedArray())).toEqual([201, 30, 0, 504]);
  });

  test('w.r.t. data: raw event values for per-entry weights, binarised for a homogeneous weight (brainevent)', () => {
    const ev = torch.tensor([0.5, -1, 2, 3]);
    const ct = torch.tensor([1, 10, 100]);
    const w = torch.tensor([1, 2, 3, 4, 5]).requires_grad_(true);
    csrmv(w, IND, PTR, ev, { shape: [4, 3], transpose: true }).mul(ct).sum().backward();
    // entry k (row r, col c): ev[r] * ct[c]
    expect(Array.from(w.grad!.toTypedArray())).toEqual([0.5 * 1, 0.5 * 100, -1 * 10, 3 * 1, 3 * 100]);
    const h = torch.tensor([2]).requires_grad_(true);
    csrmv(h, IND, PTR, ev, { shape: [4, 3], transpose: true }).mul(ct).sum().backward();
    // active rows 0, 2, 3: sum of ct over their columns = (1 + 100) + 0 + (1 + 100)
    expect(Array.from(h.grad!.toTypedArray())).toEqual([202]);
  });

  test('float64 gradcheck of the data gradient for bool events', () => {
    const data = torch.randn([5], { dtype: 'float64' }).requires_grad_(true);
    for (const transpose of [false, true]) {
      const ev = transpose ? torch.tensor([true, false, true, true]) : torch.tensor([false, true, true]);
      expect(torch.autograd.gradcheck((d: Tensor) => csrmv(d, IND, PTR, ev, { shape: [4, 3], transpose }), [data])).toBe(true);
    }
  });
});

describe('bm.event.csrmv: argument errors', () => {
  const d = torch.tensor([1, 2, 3, 4, 5]);
  test.each([
    [() => csrmv(d, IND, PTR, torch.tensor([true, false]), { shape: [4, 3] }), 'bm.event.csrmv: events must have length shape[1] = 3 (transpose=false), got shape [2]'],
    [() => csrmv(d, IND, PTR, [true, false, true] as never, { shape: [4, 3] }), 'bm.event.csrmv: events must be a Tensor, got [true, false, true]'],
    [() => csrmv(d, IND, PTR, torch.tensor([true, false, true]), {} as never), 'bm.event.csrmv: shape must be a pair of non-negative integers [rows, cols], got undefined'],
    [() => csrmv(d, IND, PTR, torch.tensor([true, false, true, false]), { shape: [4, 3], transpose: true, method: 'x' } as never), 'bm.event.csrmv: unknown option "method"'],
    [() => csrmv(d, [0, 2, 1, 0, 3], PTR, torch.tensor([true, true, true]), { shape: [4, 3] }), 'bm.event.csrmv: indices[4] must be in [0, 3), got 3'],
  ])('%#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
