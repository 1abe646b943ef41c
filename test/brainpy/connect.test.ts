/**
 * bp.connect: FixedProb's CSR against the reference fixtures (fixtures/brainpy/connect/fixed_prob.json, numpy's
 * RandomState following BrainPy's algorithm — compat/brainpy_reference.py), exact; csr2csc fixtures; One2One /
 * All2All; require's dispatch; statistics of the JAX-drawn parts (stand-ins); argument errors.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as torch from '../../src/torch/index';
import { decodeTensor, type EncodedTensor } from '../../src/fixtures/tensorjson';
import * as connect from '../../src/brainpy/connect/index';
import { FixedProb, One2One, All2All, TwoEndConnector, ConnectorError, csr2csc, random_conn_config } from '../../src/brainpy/connect/index';
import { NumpyRandomState, seed as npSeed } from '../../src/brainpy/math/numpy_random';

type Tensor = torch.Tensor;
const DIR = join(__dirname, '..', '..', 'fixtures', 'brainpy', 'connect');

function ints(e: EncodedTensor): number[] {
  const { data } = decodeTensor(e);
  return Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
}
const arr = (t: Tensor): number[] => Array.from(t.toTypedArray());

interface FPCase {
  pre: number; post: number; prob: number; seed: number; include_self: boolean; numba: boolean; k: number;
  indices: EncodedTensor; indptr: EncodedTensor; indices_2: EncodedTensor; indptr_2: EncodedTensor;
  csc_pre_ids: EncodedTensor; csc_indptr: EncodedTensor; csc_w_idx: EncodedTensor;
}
interface RatioCase { pre: number; post: number; prob: number; pre_ratio: number; seed: number; k: number; pre_selected: number; rows: EncodedTensor }

describe('FixedProb csr == numpy reference (exact)', () => {
  const fx = JSON.parse(readFileSync(join(DIR, 'fixed_prob.json'), 'utf8')) as { cases: FPCase[]; pre_ratio_cases: RatioCase[] };
  afterEach(() => { random_conn_config.support_numba = true; });

  for (const c of fx.cases) {
    test(`pre=${c.pre} post=${c.post} prob=${c.prob} seed=${c.seed} include_self=${c.include_self} numba=${c.numba} (k=${c.k})`, () => {
      random_conn_config.support_numba = c.numba;
      const conn = new FixedProb(c.prob, { include_self: c.include_self, seed: c.seed });
      const [ind, ptr] = conn.require(c.pre, c.post, 'csr');
      expect(ind.dtype).toBe('int32');
      expect(arr(ind)).toEqual(ints(c.indices));
      expect(arr(ptr)).toEqual(ints(c.indptr));
      // the connector's numpy state carries on: the second build is the reference's second build
      const [ind2, ptr2] = conn.require('pre2post');
      expect(arr(ind2)).toEqual(ints(c.indices_2));
      expect(arr(ptr2)).toEqual(ints(c.indptr_2));
      // post2pre / post2syn of a fresh connector come from the same first draw (through build_coo)
      const [cpre, cptr] = new FixedProb(c.prob, { include_self: c.include_self, seed: c.seed }).require(c.pre, c.post, 'post2pre');
      expect(arr(cpre)).toEqual(ints(c.csc_pre_ids));
      expect(arr(cptr)).toEqual(ints(c.csc_indptr));
      const [syn, sptr] = new FixedProb(c.prob, c.include_self ? undefined : 1, c.include_self, false, c.seed).require(c.pre, c.post, 'post2syn');
      expect(arr(syn)).toEqual(ints(c.csc_w_idx));
      expect(arr(sptr)).toEqual(ints(c.csc_indptr));
    });
  }

  for (const c of fx.pre_ratio_cases) {
    test(`pre_ratio=${c.pre_ratio}: ${c.pre_selected} of ${c.pre} rows get numpy's target lists (the subset itself is JAX-random in BrainPy)`, () => {
      const conn = new FixedProb(c.prob, { pre_ratio: c.pre_ratio, seed: c.seed });
      const [ind, ptr] = conn.require(c.pre, c.post, 'csr');
      const I = arr(ind), P = arr(ptr);
      expect(P.length).toBe(c.pre + 1);
      const got: string[] = [];
      for (let i = 0; i < c.pre; i++) {
        const row = I.slice(P[i], P[i + 1]);
        if (row.length) { expect(row.length).toBe(c.k); got.push(row.join(',')); }
      }
      const R = ints(c.rows), want: string[] = [];
      for (let r = 0; r < c.pre_selected; r++) want.push(R.slice(r * c.k, (r + 1) * c.k).join(','));
      expect(got.sort()).toEqual(want.sort());
    });
  }
});

describe('FixedProb: semantics', () => {
  test('fixed out-degree k = round(post_num * prob), ties to even; distinct targets; include_self drops the diagonal', () => {
    const [, ptr] = new FixedProb(0.45, { seed: 1 }).require(6, 10, 'csr');
    expect(new Set(arr(ptr).slice(1).map((v, i) => v - arr(ptr)[i]))).toEqual(new Set([4]));
    const [ind2, ptr2] = new FixedProb(0.5, { include_self: false, seed: 2 }).require(20, 20, 'csr');
    const I = arr(ind2), P = arr(ptr2);
    for (let i = 0; i < 20; i++) {
      const row = I.slice(P[i], P[i + 1]);
      expect(row).not.toContain(i);
      expect(new Set(row).size).toBe(row.length);
      expect([9, 10]).toContain(row.length);
    }
  });

  test('seed=None draws np.random.randint(0, 10**7) from numpy\'s global state (seed it with numpy_random.seed)', () => {
    npSeed(5);
    const conn = new FixedProb(0.1);
    expect(conn.seed).toBe(new NumpyRandomState(5).randint(0, 10000000));
    expect(String(conn)).toBe(`FixedProb(prob=0.1, pre_ratio=1, include_self=True, allow_multi_conn=False, seed=${conn.seed})`);
  });

  test('allow_multi_conn: k targets per pre, drawn with replacement (JAX stand-in), in range', () => {
    const [ind, ptr] = new FixedProb(0.3, { allow_multi_conn: true, seed: 3 }).require(50, 10, 'csr');
    expect(arr(ptr)[50]).toBe(150);
    expect(arr(ind).every((v) => v >= 0 && v < 10)).toBe(true);
  });

  test("conn_mat is Bernoulli(prob) (JAX stand-in): density within 4 sigma, diagonal cleared without include_self", () => {
    const mat = new FixedProb(0.1, { include_self: false, seed: 7 }).require(200, 300, 'conn_mat');
    expect(mat.dtype).toBe('bool');
    expect(mat.shape).toEqual([200, 300]);
    const m = mat.toTypedArray();
    let ones = 0;
    for (let i = 0; i < m.length; i++) ones += m[i];
    const n = 200 * 300 - 200, p = 0.1;
    expect(Math.abs(ones / n - p)).toBeLessThan(4 * Math.sqrt(p * (1 - p) / n));
    for (let i = 0; i < 200; i++) expect(m[i * 300 + i]).toBe(0);
    const half = new FixedProb(1.0, { pre_ratio: 0.5, seed: 8 }).require(400, 5, 'conn_mat').toTypedArray();
    let rows = 0;
    for (let i = 0; i < 400; i++) rows += half[i * 5];
    expect(Math.abs(rows / 400 - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / 400));
  });

  test("require('csr', 'conn_mat') builds each separately, as BrainPy (different graphs); each build advances the state", () => {
    const conn = new FixedProb(0.2, { seed: 9 });
    const [csr, mat] = conn.require(10, 10, 'csr', 'conn_mat') as [[Tensor, Tensor], Tensor];
    expect(csr[1].shape).toEqual([11]);
    expect(mat.shape).toEqual([10, 10]);
    const a = arr(conn.require('csr')[0]), b = arr(conn.require('csr')[0]);
    expect(a).not.toEqual(b);
  });

  test('structures derived from one build agree with each other', () => {
    const conn = new FixedProb(0.3, { seed: 4, pre: 8, post: 6 });
    const [csr, coo, mat, preIds, postIds] = conn.require('csr', 'coo', 'conn_mat', 'pre_ids', 'post_ids') as [[Tensor, Tensor], [Tensor, Tensor], Tensor, Tensor, Tensor];
    expect(arr(coo[0])).toEqual(arr(preIds));
    expect(arr(coo[1])).toEqual(arr(postIds));
    expect(arr(csr[0])).toEqual(arr(postIds));
    expect(arr(connect.csr2mat(csr, 8, 6))).toEqual(arr(mat));
  });
});

describe('One2One and All2All', () => {
  test('One2One: every structure', () => {
    const c = new One2One().call(4, 4);
    expect(arr(c.require('conn_mat'))).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const [ind, ptr] = c.require('csr');
    expect([arr(ind), arr(ptr)]).toEqual([[0, 1, 2, 3], [0, 1, 2, 3, 4]]);
    const [pre, post] = c.require('coo');
    expect([arr(pre), arr(post)]).toEqual([[0, 1, 2, 3], [0, 1, 2, 3]]);
    const [p2, q2] = c.require('post2pre');
    expect([arr(p2), arr(q2)]).toEqual([[0, 1, 2, 3], [0, 1, 2, 3, 4]]);
    expect(() => new One2One().call(3, 4)).toThrow(new ConnectorError('One2One connection must be defined in two groups with the same size, but 3 != 4.'));
    expect(connect.one2one.require(3, 3, 'pre_ids').shape).toEqual([3]);
  });

  test('All2All: include_self, derived csr / csc / pre2syn / post2syn', () => {
    const c = new All2All({ include_self: false });
    const mat = c.require(3, 3, 'conn_mat');
    expect(mat.tolist()).toEqual([[false, true, true], [true, false, true], [true, true, false]]);
    const [ind, ptr] = c.require('csr');
    expect([arr(ind), arr(ptr)]).toEqual([[1, 2, 0, 2, 0, 1], [0, 2, 4, 6]]);
    const [cpre, cptr] = c.require('csc');
    expect([arr(cpre), arr(cptr)]).toEqual([[1, 2, 0, 2, 0, 1], [0, 2, 4, 6]]);
    const [syn, sptr] = c.require('post2syn');
    expect([arr(syn), arr(sptr)]).toEqual([[2, 4, 0, 5, 1, 3], [0, 2, 4, 6]]);
    const [seq, pptr] = c.require('pre2syn');
    expect([arr(seq), arr(pptr)]).toEqual([[0, 1, 2, 3, 4, 5], [0, 2, 4, 6]]);
    expect(new All2All().require(2, 3, 'conn_mat').tolist()).toEqual([[true, true, true], [true, true, true]]);
    expect(String(c)).toBe('All2All(include_self=False)');
  });

  test('a custom connector (build_coo only) gets every structure derived', () => {
    class Ring extends TwoEndConnector {
      override build_coo(): [Int32Array, Int32Array] {
        const n = this.pre_num!;
        return [Int32Array.from({ length: n }, (_, i) => i), Int32Array.from({ length: n }, (_, i) => (i + 1) % n)];
      }
    }
    const r = new Ring().call(4, 4);
    const [ind, ptr] = r.require('csr');
    expect([arr(ind), arr(ptr)]).toEqual([[1, 2, 3, 0], [0, 1, 2, 3, 4]]);
    expect(r.require('conn_mat').tolist()[3]).toEqual([true, false, false, false]);
  });
});

describe('csr2csc and conversions', () => {
  interface CscCase { shape: [number, number]; indices: EncodedTensor; indptr: EncodedTensor; data: EncodedTensor; pre_ids: EncodedTensor; indptr_csc: EncodedTensor; data_csc: EncodedTensor }
  const fx = JSON.parse(readFileSync(join(DIR, 'csr2csc.json'), 'utf8')) as { cases: CscCase[] };
  fx.cases.forEach((c, i) => {
    test(`fixture ${i}: shape [${c.shape}]`, () => {
      const { data, shape } = decodeTensor(c.data);
      const d = torch.from_typed_array((data as Float32Array).slice(), shape);
      const [pre, ptr, dc] = csr2csc([Int32Array.from(ints(c.indices)), Int32Array.from(ints(c.indptr))], c.shape[1], d) as Tensor[];
      expect(arr(pre)).toEqual(ints(c.pre_ids));
      expect(arr(ptr)).toEqual(ints(c.indptr_csc));
      const want = decodeTensor(c.data_csc).data as Float32Array;
      expect(dc.dtype).toBe('float32');
      expect(Array.from(dc.toTypedArray())).toEqual(Array.from(want));
    });
  });

  test('mat2csr / mat2csc / mat2coo / coo2csr / coo2csc / csr2coo', () => {
    const m = torch.tensor([[0, 1, 1], [1, 0, 0]]);
    expect(connect.mat2csr(m).map(arr)).toEqual([[1, 2, 0], [0, 2, 3]]);
    expect(connect.mat2csc(m).map(arr)).toEqual([[1, 0, 0], [0, 1, 2, 3]]);
    expect(connect.mat2coo(m).map(arr)).toEqual([[0, 0, 1], [1, 2, 0]]);
    expect(connect.coo2csr([[1, 0, 0], [0, 1, 2]], 2).map(arr)).toEqual([[1, 2, 0], [0, 2, 3]]);
    expect(connect.coo2csc([[0, 0, 1], [1, 2, 0]], 3, [10, 11, 12]).map(arr)).toEqual([[1, 0, 0], [0, 1, 2, 3], [12, 10, 11]]);
    expect(connect.csr2coo([[1, 2, 0], [0, 2, 3]]).map(arr)).toEqual([[0, 0, 1], [1, 2, 0]]);
  });
});

describe('bp.connect: argument errors', () => {
  test.each([
    [() => new FixedProb(1.5), 'FixedProb: prob must be a number in [0, 1], got 1.5'],
    [() => new FixedProb(0.1, { pre_ratio: -0.1 }), 'FixedProb: pre_ratio must be a number in [0, 1], got -0.1'],
    [() => new FixedProb(0.1, { includ_self: false } as never), 'FixedProb: unknown option "includ_self"'],
    [() => new FixedProb(0.1, { seed: -3 }), 'FixedProb: seed must be an integer in [0, 2**32 - 1] or null, got -3'],
    [() => new FixedProb(0.1, 1, true, false, 3, 4 as never), 'FixedProb: takes at most 4 optional positional arguments (pre_ratio, include_self, allow_multi_conn, seed), got 5'],
    [() => new FixedProb(0.1, { seed: 1 }).require('csr'), 'FixedProb.require: self.pre_num or self.post_num is not defined'],
    [() => new FixedProb(0.1, { seed: 1 }).require(3, 4, 'cs' as never), 'FixedProb.require: Unknown synapse structure "cs"'],
    [() => new FixedProb(0.1, { seed: 1 }).require(3, 4, 'ij' as never), 'FixedProb.require: Unknown synapse structure "ij"'], // a build_conn key, not a structure, in BrainPy too
    [() => new FixedProb(0.1, { seed: 1 }).require(3, 4, 'pre_slice'), 'the structure "pre_slice" cannot be built by FixedProb'],
    [() => new FixedProb(0.1, { seed: 1 }).call(-1, 3), 'FixedProb.call: pre_size must be a non-negative integer or an array of them, got -1'],
    [() => csr2csc([[0, 5], [0, 1, 2]], 3), 'bp.connect.csr2csc: post ids must lie in [0, 3), got 5 at position 1'],
    [() => csr2csc([[0, 1], [0, 1, 3]], 3), 'bp.connect.csr2csc: indptr must start at 0 and end at len(indices) = 2'],
    [() => csr2csc([[0, 1], [0, 1, 2]], 3, { dat: [1, 2] } as never), 'bp.connect.csr2csc: unknown option "dat"'],
    [() => csr2csc([[0, 1], [0, 1, 2]], 3, torch.zeros([3])), 'bp.connect.csr2csc: data must be a 1-D Tensor of length nnz = 2, got a float32 Tensor of shape [3]'],
    [() => new All2All({ include_self: 1 } as never), 'All2All: include_self must be a boolean, got 1'],
  ])('%#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
