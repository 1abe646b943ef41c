/**
 * bm.jitconn: just-in-time random connectivity (brainevent CPU kernels, eras B / C / D).
 *
 * - §1.7 reference vectors of brainpy-semantics.md (seed 42, shape (4, 16), p 0.25; era D (4, 100)): connectivity
 *   exact, weights equal to float32 rounding of the documented values.
 * - fixtures/brainpy/jitconn/*.json from compat/brainpy_jitconn_reference.py (a numpy port of the documented algorithm,
 *   NOT brainevent): M's connections exact, weights within 1 float32 ulp (era-D normal weights: 8 ulps, see below),
 *   products within 1e-5 relative + 1e-5 absolute (float32 accumulation).
 * - dense equivalence mv_prob_*(v) == M v / Mᵀ v for every era, kind, orientation, event / float, 1-D and 2-D.
 * - statistics (stated tests below), gradients (float64 finite differences via gradcheck), argument errors.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as torch from '../../../src/torch/index';
import * as jitconn from '../../../src/brainpy/math/jitconn';
import { tensorFromEncoded } from '../../../src/fixtures/index';
import { NumpyMT19937, lfsr88Stream, lightBounded, lightNormal01, lightUniform01 } from '../../../src/brainpy/math/jitconn_rng';

type Tensor = torch.Tensor;
type Rng = jitconn.JitconnRng;
const RNGS: Rng[] = ['lfsr88-c', 'mt19937-b', 'light-d'];
const KINDS = ['homo', 'uniform', 'normal'] as const;
type Kind = (typeof KINDS)[number];

const FIX = join(__dirname, '..', '..', '..', 'fixtures', 'brainpy', 'jitconn');

const PARAMS: Record<Kind, number[]> = { homo: [0.75], uniform: [-0.5, 1.25], normal: [0.25, 1.5] };

function matrixOf(kind: Kind, params: (number | Tensor)[], p: number, seed: number, opts: jitconn.JitconnMatrixOptions): Tensor {
  if (kind === 'homo') return jitconn.get_homo_weight_matrix(params[0], p, seed, opts);
  if (kind === 'uniform') return jitconn.get_uniform_weight_matrix(params[0], params[1], p, seed, opts);
  return jitconn.get_normal_weight_matrix(params[0], params[1], p, seed, opts);
}

function mvOf(kind: Kind, event: boolean, v: Tensor, params: (number | Tensor)[], p: number, seed: number, opts: jitconn.JitconnOptions): Tensor {
  if (kind === 'homo') return (event ? jitconn.event_mv_prob_homo : jitconn.mv_prob_homo)(v, params[0], p, seed, opts);
  if (kind === 'uniform') return (event ? jitconn.event_mv_prob_uniform : jitconn.mv_prob_uniform)(v, params[0], params[1], p, seed, opts);
  return (event ? jitconn.event_mv_prob_normal : jitconn.mv_prob_normal)(v, params[0], params[1], p, seed, opts);
}

/** Columns (ascending) of the connections of row r of a dense (m, n) matrix. */
function rowCols(M: Tensor, r: number): number[] {
  const n = M.shape[1];
  const d = M.toTypedArray();
  const out: number[] = [];
  for (let j = 0; j < n; j++) if (d[r * n + j] !== 0) out.push(j);
  return out;
}

function expectClose(got: Tensor | ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  const g = got instanceof torch.Tensor ? got.toTypedArray() : got;
  expect(g.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(g[i] - want[i]);
    if (!(err <= atol + rtol * Math.abs(want[i]))) throw new Error(`${what}: index ${i}: expected ${want[i]}, got ${g[i]} (|diff| ${err} > ${atol} + ${rtol}·|expected|)`);
  }
}

const f32 = Math.fround;
const rand64 = (n: number, seed: number): Float64Array => {
  const r = new NumpyMT19937(seed);
  return Float64Array.from({ length: n }, () => r.standard_normal());
};

// ---- §1.7 reference vectors -------------------------------------------------------------------------------------------------

describe('reference vectors (brainpy-semantics.md §1.7)', () => {
  const opts = (rng: Rng): jitconn.JitconnMatrixOptions => ({ shape: [4, 16], rng });

  test('generator streams', () => {
    const mt = new NumpyMT19937(42);
    expect([mt.next_u32(), mt.next_u32(), mt.next_u32()]).toEqual([1608637542, 3421126067, 4083286876]);
    expect(lfsr88Stream(42, 5)).toEqual([6472448, 738219776, 3624076749, 6930454, 2936014955]); // numba widening, not textbook
    expect(lightUniform01(42, 0, 0)).toBe(0.2929498553276062);
    expect(lightNormal01(42, 0, 0)).toBe(-0.5447874069213867);
    expect(lightUniform01(42, 0, 5)).toBe(0.6519007682800293);
    expect(lightNormal01(42, 0, 5)).toBe(0.39045724272727966);
    expect([0.02, 0.1, 0.3, 0.25, 1].map(jitconn.conn_length)).toEqual([100, 20, 7, 8, 2]);
    // era D's (r * b) >> 32 with doubles only, against BigInt
    const mt2 = new NumpyMT19937(5);
    for (let i = 0; i < 2000; i++) {
      const r = mt2.next_u32(), b = mt2.next_u32() >>> 1;
      expect(lightBounded(r, b)).toBe(Number((BigInt(r) * BigInt(b)) >> 32n));
    }
  });

  test('era B (mt19937-b): homo, uniform, normal rows', () => {
    const H = jitconn.get_homo_weight_matrix(1, 0.25, 42, opts('mt19937-b'));
    expect([0, 1, 2, 3].map((r) => rowCols(H, r))).toEqual([[6, 10, 15], [2, 7, 12], [1, 4, 11, 14], [7, 12]]);
    const U = jitconn.get_uniform_weight_matrix(0, 1, 0.25, 42, opts('mt19937-b'));
    expect(rowCols(U, 0)).toEqual([6, 13]);
    expect(rowCols(U, 1)).toEqual([4, 7, 10, 14]);
    const u = U.toTypedArray();
    expect([u[6], u[13], u[16 + 4], u[16 + 7], u[16 + 10], u[16 + 14]]).toEqual(
      [0.79654298686, 0.731993941811, 0.156018640442, 0.099974915818, 0.866176145775, 0.142866817922].map(f32));
    const N = jitconn.get_normal_weight_matrix(0, 1, 0.25, 42, opts('mt19937-b'));
    expect(rowCols(N, 0)).toEqual([6, 11]);
    expect(rowCols(N, 1)).toEqual([6, 9, 14]);
    const z = N.toTypedArray();
    expect([z[6], z[11], z[16 + 6], z[16 + 9], z[16 + 14]]).toEqual(
      [-0.550234489164, 0.51543307245, -0.916826843818, -0.124147180273, 1.579212815507].map(f32));
  });

  test('era C (lfsr88-c): homo, uniform, normal rows', () => {
    const H = jitconn.get_homo_weight_matrix(1, 0.25, 42, opts('lfsr88-c'));
    expect([0, 1, 2, 3].map((r) => rowCols(H, r))).toEqual([[0, 1, 8, 15], [0, 1, 6, 7, 12], [1, 2, 4, 5, 12], [1, 3, 8, 11, 13]]);
    const U = jitconn.get_uniform_weight_matrix(0, 1, 0.25, 42, opts('lfsr88-c'));
    expect(rowCols(U, 0)).toEqual([0, 7, 14]);
    const u = U.toTypedArray();
    expect([u[0], u[7], u[14]]).toEqual([0.171880185604, 0.001613622066, 0.206065515056].map(f32));
    const N = jitconn.get_normal_weight_matrix(0, 1, 0.25, 42, opts('lfsr88-c'));
    expect(rowCols(N, 0)).toEqual([0, 7, 9, 15]);
    const z = N.toTypedArray();
    expect([z[0], z[7], z[9], z[15]]).toEqual([-1.560097401628, 0.839205287052, 1.953096219346, 0.316462726869].map(f32));
    // the default generator is era C
    expect(jitconn.get_default_rng()).toBe('lfsr88-c');
    expect(jitconn.get_homo_weight_matrix(1, 0.25, 42, { shape: [4, 16] }).equal(H)).toBe(true);
  });

  test('era D (light-d): row 0 of shape (4, 100), hashed weights', () => {
    const H = jitconn.get_homo_weight_matrix(1, 0.25, 42, { shape: [4, 100], rng: 'light-d' });
    expect(rowCols(H, 0)).toEqual([0, 5, 6, 7, 14, 17, 28, 29, 30, 32, 36, 40, 43, 56, 58, 61, 64, 84, 86, 87, 92, 98]);
    const U = jitconn.get_uniform_weight_matrix(0, 1, 0.25, 42, { shape: [4, 100], rng: 'light-d' });
    const N = jitconn.get_normal_weight_matrix(0, 1, 0.25, 42, { shape: [4, 100], rng: 'light-d' });
    expect(rowCols(U, 0)).toEqual(rowCols(H, 0)); // era D: the same connectivity for all three kinds
    expect(U.toTypedArray()[0]).toBe(0.2929498553276062);
    expect(U.toTypedArray()[5]).toBe(0.6519007682800293);
    expect(N.toTypedArray()[0]).toBe(-0.5447874069213867);
    expect(N.toTypedArray()[5]).toBe(0.39045724272727966);
  });
});

// ---- fixtures (numpy port of the documented algorithm) ---------------------------------------------------------------------

interface FixtureCase {
  rng: Rng; kind: Kind; shape: [number, number]; conn_prob: number; seed: number; outdim_parallel: boolean;
  matrix_mode: 'mv' | 'mm'; params: number[]; clen: number;
  indices: object; values: object; x_n: object; x_m: object; events_n: object; M_x: object; MT_x: object; M_events: object;
}

const dec = (e: object): Tensor => tensorFromEncoded(e as Parameters<typeof tensorFromEncoded>[0]);

describe.each(RNGS)('fixtures/brainpy/jitconn/%s.json', (rng) => {
  const doc = JSON.parse(readFileSync(join(FIX, `${rng}.json`), 'utf8')) as { produced_by: string; cases: FixtureCase[] };

  test('says what produced it', () => {
    expect(doc.produced_by).toMatch(/NOT brainevent/);
    expect(doc.cases.length).toBeGreaterThanOrEqual(24);
  });

  test.each(doc.cases.map((c, i) => [`${c.kind} ${c.shape.join('x')} p=${c.conn_prob} seed=${c.seed} outdim_parallel=${c.outdim_parallel} ${c.matrix_mode}`, i]))('%s', (_name, i) => {
    const c = doc.cases[i as number];
    const [m, n] = c.shape;
    expect(jitconn.conn_length(c.conn_prob)).toBe(c.clen);
    const M = matrixOf(c.kind, c.params, c.conn_prob, c.seed, { shape: [m, n], outdim_parallel: c.outdim_parallel, rng, matrix_mode: c.matrix_mode });
    const d = M.toTypedArray();
    const idx = dec(c.indices).toTypedArray() as Int32Array;
    const vals = dec(c.values).toTypedArray() as Float32Array;
    // connectivity: exactly the fixture's connections
    const got: number[] = [];
    for (let k = 0; k < d.length; k++) if (d[k] !== 0) got.push(k);
    expect(got).toEqual(Array.from(idx));
    // weights: within one float32 ulp; era-D normal weights within 8 ulps (their float32 log in the Acklam tails: the
    // port uses the C library's logf as numba does, spikeport the correctly rounded log; fastmath FMAs may differ too)
    const rel = rng === 'light-d' && c.kind === 'normal' ? 1e-6 : 1.2e-7;
    for (let k = 0; k < idx.length; k++) {
      const want = vals[k], have = d[idx[k]];
      if (Math.abs(have - want) > rel * Math.max(1, Math.abs(want))) throw new Error(`weight at flat ${idx[k]}: expected ${want}, got ${have}`);
    }
    const opts = { shape: [m, n], outdim_parallel: c.outdim_parallel, rng };
    const tol = (t: Tensor, want: object, what: string): void => expectClose(t, dec(want).toTypedArray(), 1e-5, 1e-5, what);
    const xn = dec(c.x_n), xm = dec(c.x_m), ev = dec(c.events_n);
    if (c.matrix_mode === 'mv') {
      tol(mvOf(c.kind, false, xn, c.params, c.conn_prob, c.seed, opts), c.M_x, 'M @ x');
      tol(mvOf(c.kind, false, xm, c.params, c.conn_prob, c.seed, { ...opts, transpose: true }), c.MT_x, 'x @ M');
      tol(mvOf(c.kind, true, ev, c.params, c.conn_prob, c.seed, opts), c.M_events, 'M @ events');
    }
    if (c.matrix_mode === 'mm' || rng !== 'light-d') {
      // 2-D inputs: every column of V (transpose=false) / row of V (transpose=true) sees the fixture's M
      const V = torch.stack([xn, xn.mul(2)], 1);
      const Y = mvOf(c.kind, false, V, c.params, c.conn_prob, c.seed, opts);
      expect(Y.shape).toEqual([m, 2]);
      tol(Y.index(':', 0), c.M_x, 'M @ V (column 0)');
      const YT = mvOf(c.kind, false, torch.stack([xm, xm], 0), c.params, c.conn_prob, c.seed, { ...opts, transpose: true });
      expect(YT.shape).toEqual([2, n]);
      tol(YT.index(1), c.MT_x, 'V @ M (row 1)');
      const E = mvOf(c.kind, true, torch.stack([ev, ev], 1), c.params, c.conn_prob, c.seed, opts);
      tol(E.index(':', 1), c.M_events, 'M @ events (2-D)');
    }
  });
});

// ---- dense equivalence --------------------------------------------------------------------------------------------------------

describe('dense equivalence: mv_prob_*(v) == M v (same M for transpose, per the orientation rules)', () => {
  const m = 29, n = 41, p = 0.2, seed = 1234;
  const cases: [Rng, Kind, boolean, boolean][] = [];
  for (const rng of RNGS) for (const kind of KINDS) for (const corder of [true, false]) for (const transpose of [false, true]) cases.push([rng, kind, corder, transpose]);

  test.each(cases)('%s %s outdim_parallel=%s transpose=%s', (rng, kind, corder, transpose) => {
    const params = PARAMS[kind];
    const Mt = matrixOf(kind, params, p, seed, { shape: [m, n], outdim_parallel: corder, rng, transpose });
    expect(Mt.shape).toEqual(transpose ? [n, m] : [m, n]);
    const M = matrixOf(kind, params, p, seed, { shape: [m, n], outdim_parallel: corder, rng });
    expect(Mt.equal(transpose ? M.t().contiguous() : M)).toBe(true); // transpose never changes M
    const len = transpose ? m : n;
    const v = torch.from_typed_array(Float32Array.from(rand64(len, 7)));
    const W = Mt.double();
    const opts = { shape: [m, n], outdim_parallel: corder, transpose, rng };
    // float
    const y = mvOf(kind, false, v, params, p, seed, opts);
    expect(y.dtype).toBe('float32');
    expectClose(y, W.matmul(v.double()).toTypedArray(), 1e-5, 1e-5, 'float');
    // events: bool (truthiness) and float (> 0; era B: != 0, and its homo gather adds the value)
    const spikes = v.gt(0.3);
    expectClose(mvOf(kind, true, spikes, params, p, seed, opts), W.matmul(spikes.double()).toTypedArray(), 1e-5, 1e-5, 'bool events');
    const gather = corder !== transpose;
    const active = rng === 'mt19937-b' ? (kind === 'homo' && gather ? v.mul(v.ne(0)) : v.ne(0)) : v.gt(0);
    expectClose(mvOf(kind, true, v, params, p, seed, opts), W.matmul(active.double()).toTypedArray(), 1e-5, 1e-5, 'float events');
    // float64 in, float64 out, nothing rounded to float32
    const v64 = torch.from_typed_array(rand64(len, 8));
    const y64 = mvOf(kind, false, v64, params.map((x) => torch.tensor(x, { dtype: 'float64' })), p, seed, opts);
    expect(y64.dtype).toBe('float64');
    const M64 = matrixOf(kind, params.map((x) => torch.tensor(x, { dtype: 'float64' })), p, seed, { shape: [m, n], outdim_parallel: corder, rng, transpose });
    expect(M64.dtype).toBe('float64');
    expectClose(y64, M64.matmul(v64).toTypedArray(), 1e-12, 1e-12, 'float64');
  });

  test.each(RNGS)('%s: 2-D inputs follow brainevent @ (M @ V, V @ M)', (rng) => {
    const mode = rng === 'light-d' ? 'mm' : 'mv'; // brainevent 0.2.0's matrix-matrix kernels draw the 4-lane matrix
    for (const kind of KINDS) for (const corder of [true, false]) {
      const M = matrixOf(kind, PARAMS[kind], p, seed, { shape: [m, n], outdim_parallel: corder, rng, matrix_mode: mode }).double();
      const V = torch.randn([n, 3], { dtype: 'float64' });
      const opts = { shape: [m, n], outdim_parallel: corder, rng };
      expectClose(mvOf(kind, false, V, PARAMS[kind], p, seed, opts), M.matmul(V).toTypedArray(), 1e-5, 1e-5, 'M @ V');
      const U = torch.randn([4, m], { dtype: 'float64' });
      expectClose(mvOf(kind, false, U, PARAMS[kind], p, seed, { ...opts, transpose: true }), U.matmul(M).toTypedArray(), 1e-5, 1e-5, 'V @ M');
      const S = U.gt(0);
      expectClose(mvOf(kind, true, S, PARAMS[kind], p, seed, { ...opts, transpose: true }), S.double().matmul(M).toTypedArray(), 1e-5, 1e-5, 'events @ M');
    }
  });

  test('era D: the vector and matrix kernels draw different matrices (as in brainevent 0.2.0)', () => {
    const mv = jitconn.get_homo_weight_matrix(1, 0.2, 5, { shape: [20, 64], rng: 'light-d' });
    const mm = jitconn.get_homo_weight_matrix(1, 0.2, 5, { shape: [20, 64], rng: 'light-d', matrix_mode: 'mm' });
    expect(mv.equal(mm)).toBe(false);
  });

  test('outdim_parallel changes M; the seed selects it; the same seed gives the same M every call', () => {
    const a = jitconn.get_homo_weight_matrix(1, 0.1, 3, { shape: [50, 60] });
    expect(jitconn.get_homo_weight_matrix(1, 0.1, 3, { shape: [50, 60] }).equal(a)).toBe(true);
    expect(jitconn.get_homo_weight_matrix(1, 0.1, 3, { shape: [50, 60], outdim_parallel: false }).equal(a)).toBe(false);
    expect(jitconn.get_homo_weight_matrix(1, 0.1, 4, { shape: [50, 60] }).equal(a)).toBe(false);
    // seed=None draws a fresh seed (as BrainPy's np.random.randint(0, 1e9))
    expect(jitconn.get_homo_weight_matrix(1, 0.1, null, { shape: [50, 60] }).equal(jitconn.get_homo_weight_matrix(1, 0.1, { shape: [50, 60] }))).toBe(false);
    // the seed in the options object, the int32 wrap of line seeds with a negative seed
    expect(jitconn.get_homo_weight_matrix(1, 0.1, { shape: [50, 60], seed: 3 }).equal(a)).toBe(true);
    expect(jitconn.get_homo_weight_matrix(1, 0.1, -2147483648, { shape: [50, 60] }).sum().item()).toBeGreaterThan(0);
  });

  test('set_default_rng selects the era when no rng option is given', () => {
    const b = jitconn.get_homo_weight_matrix(1, 0.25, 42, { shape: [4, 16], rng: 'mt19937-b' });
    try {
      jitconn.set_default_rng('mt19937-b');
      expect(jitconn.get_homo_weight_matrix(1, 0.25, 42, { shape: [4, 16] }).equal(b)).toBe(true);
    } finally {
      jitconn.set_default_rng('lfsr88-c');
    }
    expect(jitconn.get_homo_weight_matrix(1, 0.25, 42, { shape: [4, 16] }).equal(b)).toBe(false);
  });

  test('the matrix is never materialised: a 100000 x 200000 product', () => {
    const v = torch.zeros(200000);
    v.buffer[7] = 1;
    v.buffer[199999] = 2;
    const y = jitconn.mv_prob_homo(v, 0.5, 1e-4, 11, { shape: [100000, 200000] });
    expect(y.shape).toEqual([100000]);
    const ev = jitconn.event_mv_prob_homo(v.gt(0), 1, 1e-4, 11, { shape: [100000, 200000], outdim_parallel: false });
    expect(ev.shape).toEqual([100000]);
    expect(y.sum().item()).toBeGreaterThanOrEqual(0);
  });
});

// ---- statistics ----------------------------------------------------------------------------------------------------------------

describe('statistics', () => {
  // The connections of a line form a renewal process: hops uniform on [1, clen-1] (mean clen/2), so far from the line's
  // start the density is 2/clen (= conn_prob when 2/conn_prob is an integer; p = 0.3 gives brainevent's 2/7).
  // Eras B/C start at a position uniform on [0, clen-1], later on average than the stationary start, so a line of
  // length L has E[N(L)] = Σ_k u_k connections with u_k = [k < clen]/clen + Σ_h u_{k-h}/(clen-1) — about 0.35 fewer
  // than 2L/clen for clen = 40, i.e. 1.7 % fewer on lines of 400. Era D draws its start from the stationary
  // distribution (P(q) ∝ n - q), so E[N(L)] = 2L/clen exactly. Test: |nnz - E| <= 5·sqrt(N·d·(1-d)), the binomial
  // bound, which is conservative (renewal counts vary less than Bernoulli draws: L·Var(H)/E[H]³ = 0.016·L vs 0.048·L).
  const m = 400, n = 2500, N = m * n;

  function expectedPerLine(L: number, clen: number, rng: Rng): number {
    if (rng === 'light-d') return (2 * L) / clen;
    const u = new Float64Array(L);
    let window = 0, total = 0; // window = Σ_{h=1}^{clen-1} u[k-h]
    for (let k = 0; k < L; k++) {
      u[k] = (k < clen ? 1 / clen : 0) + window / (clen - 1);
      window += u[k];
      if (k - (clen - 1) >= 0) window -= u[k - (clen - 1)];
      total += u[k];
    }
    return total;
  }

  test.each(RNGS.flatMap((rng) => [[rng, 0.05, true], [rng, 0.05, false], [rng, 0.3, true], [rng, 0.3, false]] as [Rng, number, boolean][]))('%s: density for p=%s (outdim_parallel=%s)', (rng, p, corder) => {
    const M = jitconn.get_homo_weight_matrix(1, p, 99, { shape: [m, n], rng, outdim_parallel: corder });
    const nnz = M.sum().item();
    const clen = jitconn.conn_length(p);
    const d = 2 / clen;
    const E = corder ? m * expectedPerLine(n, clen, rng) : n * expectedPerLine(m, clen, rng);
    expect(Math.abs(nnz - E)).toBeLessThanOrEqual(5 * Math.sqrt(N * d * (1 - d)));
    if (p === 0.05) expect(d).toBe(0.05);
    else expect(d).toBeCloseTo(2 / 7, 12);
    if (rng !== 'light-d' && !corder && p === 0.05) expect(E / N).toBeLessThan(0.0492); // the start effect is real
  });

  function drawn(M: Tensor): Float64Array {
    const d = M.toTypedArray();
    const out: number[] = [];
    for (let k = 0; k < d.length; k++) if (d[k] !== 0) out.push(d[k]);
    return Float64Array.from(out);
  }
  const meanVar = (x: Float64Array): [number, number] => {
    let s = 0;
    for (const v of x) s += v;
    const mu = s / x.length;
    let q = 0;
    for (const v of x) q += (v - mu) ** 2;
    return [mu, q / (x.length - 1)];
  };

  test.each(RNGS)('%s: uniform weights in [w_low, w_high), mean (lo+hi)/2 and variance (hi-lo)²/12 within 5 standard errors', (rng) => {
    const lo = 0.5, hi = 2.5;
    const M = jitconn.get_uniform_weight_matrix(torch.tensor(lo, { dtype: 'float64' }), torch.tensor(hi, { dtype: 'float64' }), 0.05, 7, { shape: [m, n], rng });
    const w = drawn(M);
    expect(w.length).toBeGreaterThan(40000);
    for (const v of w) if (!(v >= lo && v < hi)) throw new Error(`uniform weight ${v} outside [${lo}, ${hi})`);
    const [mu, v] = meanVar(w);
    const K = w.length, s2 = (hi - lo) ** 2 / 12, m4 = (hi - lo) ** 4 / 80;
    expect(Math.abs(mu - (lo + hi) / 2)).toBeLessThan(5 * Math.sqrt(s2 / K));
    expect(Math.abs(v - s2)).toBeLessThan(5 * Math.sqrt((m4 - s2 * s2) / K));
  });

  test.each(RNGS)('%s: normal weights: mean w_mu (5σ/√K) and variance w_sigma² (5·σ²·√(2/K)); ~68.3% within one σ', (rng) => {
    const mu0 = 1, sd = 0.5;
    const M = jitconn.get_normal_weight_matrix(torch.tensor(mu0, { dtype: 'float64' }), torch.tensor(sd, { dtype: 'float64' }), 0.05, 8, { shape: [m, n], rng });
    const w = drawn(M);
    const K = w.length;
    const [mu, v] = meanVar(w);
    expect(Math.abs(mu - mu0)).toBeLessThan(5 * sd / Math.sqrt(K));
    expect(Math.abs(v - sd * sd)).toBeLessThan(5 * sd * sd * Math.sqrt(2 / K));
    let inside = 0;
    for (const x of w) if (Math.abs(x - mu0) < sd) inside++;
    const p1 = 0.6826894921370859; // P(|Z| < 1); binomial 5-sigma bound
    expect(Math.abs(inside / K - p1)).toBeLessThan(5 * Math.sqrt(p1 * (1 - p1) / K));
  });
});

// ---- gradients -----------------------------------------------------------------------------------------------------------------

describe('gradients (float64 finite differences)', () => {
  const m = 6, n = 9, p = 0.4, seed = 21;
  const t64 = (x: number): Tensor => torch.tensor(x, { dtype: 'float64', requires_grad: true });

  test.each(RNGS.flatMap((rng) => [[rng, true, false], [rng, false, true], [rng, true, true]] as [Rng, boolean, boolean][]))('%s outdim_parallel=%s transpose=%s: vector and weight gradients', (rng, corder, transpose) => {
    const opts = { shape: [m, n], outdim_parallel: corder, transpose, rng };
    const len = transpose ? m : n;
    const v = torch.from_typed_array(rand64(len, 3)).requires_grad_();
    expect(torch.autograd.gradcheck((x, w) => jitconn.mv_prob_homo(x, w, p, seed, opts), [v, t64(0.7)])).toBe(true);
    expect(torch.autograd.gradcheck((x, a, b) => jitconn.mv_prob_uniform(x, a, b, p, seed, opts), [v, t64(-0.3), t64(1.1)])).toBe(true);
    expect(torch.autograd.gradcheck((x, a, b) => jitconn.mv_prob_normal(x, a, b, p, seed, opts), [v, t64(0.2), t64(0.9)])).toBe(true);
    // 2-D input
    const V = torch.from_typed_array(rand64(len * 2, 4), transpose ? [2, len] : [len, 2]).requires_grad_();
    expect(torch.autograd.gradcheck((x, a, b) => jitconn.mv_prob_uniform(x, a, b, p, seed, opts), [V, t64(-0.3), t64(1.1)])).toBe(true);
    // event ops: weight gradients by finite differences; the vector gradient is brainevent's (the float transposed product)
    const s = torch.from_typed_array(rand64(len, 5)).gt(0);
    expect(torch.autograd.gradcheck((w) => jitconn.event_mv_prob_homo(s, w, p, seed, opts), [t64(0.7)])).toBe(true);
    expect(torch.autograd.gradcheck((a, b) => jitconn.event_mv_prob_uniform(s, a, b, p, seed, opts), [t64(-0.3), t64(1.1)])).toBe(true);
    expect(torch.autograd.gradcheck((a, b) => jitconn.event_mv_prob_normal(s, a, b, p, seed, opts), [t64(0.2), t64(0.9)])).toBe(true);
    const sf = s.double().requires_grad_();
    const g = torch.from_typed_array(rand64(transpose ? n : m, 6));
    jitconn.event_mv_prob_normal(sf, 0.2, 0.9, p, seed, opts).mul(g).sum().backward();
    const want = jitconn.mv_prob_normal(g, 0.2, 0.9, p, seed, { ...opts, transpose: !transpose });
    expectClose(sf.grad!, want.toTypedArray(), 1e-12, 1e-12, 'event vector grad');
  });

  test('weight matrices: gradients w.r.t. weight, (w_low, w_high), (w_mu, w_sigma)', () => {
    for (const transpose of [false, true]) {
      const opts = { shape: [m, n], transpose };
      expect(torch.autograd.gradcheck((w) => jitconn.get_homo_weight_matrix(w, p, seed, opts), [t64(0.7)])).toBe(true);
      expect(torch.autograd.gradcheck((a, b) => jitconn.get_uniform_weight_matrix(a, b, p, seed, opts), [t64(-0.3), t64(1.1)])).toBe(true);
      expect(torch.autograd.gradcheck((a, b) => jitconn.get_normal_weight_matrix(a, b, p, seed, opts), [t64(0.2), t64(0.9)])).toBe(true);
    }
  });

  test('an in-place change of the vector between forward and backward raises', () => {
    const v = torch.randn(n);
    const w = torch.tensor(0.5, { requires_grad: true });
    const y = jitconn.mv_prob_homo(v, w, p, seed, { shape: [m, n] });
    v.add_(1);
    expect(() => y.sum().backward()).toThrow(/modified by an in-place operation/);
  });

  test('float32 gradients flow too', () => {
    const v = torch.randn(n, { requires_grad: true });
    const w = torch.tensor(0.5, { requires_grad: true });
    jitconn.mv_prob_homo(v, w, p, seed, { shape: [m, n] }).sum().backward();
    const ones = torch.ones(m);
    expectClose(v.grad!, jitconn.mv_prob_homo(ones, 0.5, p, seed, { shape: [m, n], transpose: true }).toTypedArray(), 1e-6, 1e-6, 'dv');
    expect(w.grad!.item()).toBeCloseTo(jitconn.mv_prob_homo(v.detach(), 1, p, seed, { shape: [m, n] }).sum().item(), 5);
  });
});

// ---- argument errors -----------------------------------------------------------------------------------------------------------

describe('argument errors', () => {
  const v = torch.ones(16);
  const o = { shape: [4, 16] };
  test.each([
    ['missing shape', () => jitconn.mv_prob_homo(v, 1, 0.1, 1), /shape is required/],
    ['conn_prob 0', () => jitconn.mv_prob_homo(v, 1, 0, 1, o), /conn_prob must be in \(0, 1\].*got 0/],
    ['conn_prob > 1', () => jitconn.mv_prob_homo(v, 1, 1.5, 1, o), /conn_prob must be in \(0, 1\]/],
    ['conn_prob NaN', () => jitconn.mv_prob_homo(v, 1, NaN, 1, o), /conn_prob must be a finite number/],
    ['conn_prob too small', () => jitconn.mv_prob_homo(v, 1, 1e-12, 1, o), /int32/],
    ['vector length', () => jitconn.mv_prob_homo(torch.ones(5), 1, 0.1, 1, o), /vector has shape \[5\], but shape=\[4, 16\] with transpose=false: M @ v needs a vector of length n = 16/],
    ['vector length (transpose)', () => jitconn.mv_prob_homo(v, 1, 0.1, 1, { ...o, transpose: true }), /vector has shape \[16\].*v @ M needs a vector of length m = 4/],
    ['2-D shape', () => jitconn.mv_prob_homo(torch.ones(4, 3), 1, 0.1, 1, o), /M @ V needs V of shape \[16, k\]/],
    ['3-D vector', () => jitconn.mv_prob_homo(torch.ones(2, 2, 2), 1, 0.1, 1, o), /vector must be a 1-D vector/],
    ['not a tensor', () => jitconn.mv_prob_homo([1, 2] as unknown as Tensor, 1, 0.1, 1, o), /vector must be a Tensor/],
    ['unknown option', () => jitconn.mv_prob_homo(v, 1, 0.1, 1, { ...o, outdim_paralel: true } as jitconn.JitconnOptions), /unknown option "outdim_paralel"/],
    ['shape positionally', () => (jitconn.mv_prob_homo as (...a: unknown[]) => Tensor)(v, 1, 0.1, 1, [4, 16]), /at most one optional positional argument \(seed\)/],
    ['seed twice', () => jitconn.mv_prob_homo(v, 1, 0.1, 1, { ...o, seed: 2 }), /multiple values for argument 'seed'/],
    ['seed float', () => jitconn.mv_prob_homo(v, 1, 0.1, 1.5, o), /seed must be an integer in the int32 range/],
    ['seed range', () => jitconn.mv_prob_homo(v, 1, 0.1, 2 ** 31, o), /seed must be an integer in the int32 range/],
    ['bad shape', () => jitconn.mv_prob_homo(v, 1, 0.1, 1, { shape: [4, -16] }), /shape must be an array \[m, n\] of two non-negative integers/],
    ['bad transpose', () => jitconn.mv_prob_homo(v, 1, 0.1, 1, { ...o, transpose: 1 as unknown as boolean }), /transpose must be a boolean/],
    ['bad rng', () => jitconn.mv_prob_homo(v, 1, 0.1, 1, { ...o, rng: 'lfsr113' as Rng }), /rng must be one of 'lfsr88-c', 'mt19937-b', 'light-d'/],
    ['bad weight', () => jitconn.mv_prob_homo(v, torch.ones(2), 0.1, 1, o), /weight must be a number or a one-element float tensor/],
    ['w_low > w_high', () => jitconn.mv_prob_uniform(v, 2, 1, 0.1, 1, o), /w_low \(2\) must not exceed w_high \(1\)/],
    ['w_sigma < 0', () => jitconn.mv_prob_normal(v, 0, -1, 0.1, 1, o), /w_sigma must be non-negative/],
    ['matrix_mode outside era D', () => jitconn.get_homo_weight_matrix(1, 0.1, 1, { ...o, matrix_mode: 'mm' }), /matrix_mode must be 'mv' unless rng is 'light-d'/],
    ['matrix_mode on a product', () => jitconn.mv_prob_homo(v, 1, 0.1, 1, { ...o, matrix_mode: 'mm' } as jitconn.JitconnOptions), /unknown option "matrix_mode"/],
    ['set_default_rng', () => jitconn.set_default_rng('numpy' as Rng), /set_default_rng: rng must be one of/],
    ['events length', () => jitconn.event_mv_prob_homo(torch.ones(3).gt(0), 1, 0.1, 1, o), /event_mv_prob_homo: events has shape \[3\]/],
  ] as [string, () => unknown, RegExp][])('%s', (_name, fn, msg) => {
    expect(fn).toThrow(msg);
  });

  test('errors name the function', () => {
    expect(() => jitconn.event_mv_prob_uniform(v, 0, 1, 2, 1, o)).toThrow(/^bm\.jitconn\.event_mv_prob_uniform: conn_prob/);
    expect(() => jitconn.get_normal_weight_matrix(0, 1, 0.1, 1)).toThrow(/^bm\.jitconn\.get_normal_weight_matrix: shape is required/);
  });
});
