import { gemm, gemmStridedBatched } from '../../src/core/kernels/gemm';

type FloatArray = Float32Array | Float64Array;
type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** xorshift32: a small deterministic generator so failures reproduce (no Math.* calls: see absArray). */
function rng(seed: number): () => number {
  let x = (seed | 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function randomArray(T: FloatCtor, n: number, next: () => number): FloatArray {
  const a = new T(n);
  for (let i = 0; i < n; i++) a[i] = next() * 2 - 1;
  return a;
}

interface Layout {
  /** stored rows and columns of A and B (after taking trans into account) */
  aRows: number; aCols: number; bRows: number; bCols: number;
}

function layout(transA: boolean, transB: boolean, M: number, N: number, K: number): Layout {
  return {
    aRows: transA ? K : M, aCols: transA ? M : K,
    bRows: transB ? N : K, bCols: transB ? K : N,
  };
}

/**
 * Naive float64 reference: returns alpha·op(A)·op(B) + beta·C0 on the M×N window and, per entry,
 * the error scale |alpha|·Σ|a||b| + |beta·c0|. beta = 0 ignores C0 (which may hold NaN).
 * op(A) and op(B)^T are first copied to contiguous rows so the triple loop stays cheap; no Math.*
 * calls in loops: under jest's node environment they run ~200× slower than plain arithmetic.
 */
function reference(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: FloatArray, aOff: number, lda: number, B: FloatArray, bOff: number, ldb: number,
  beta: number, C0: FloatArray, cOff: number, ldc: number,
): { value: Float64Array; scale: Float64Array } {
  const opA = new Float64Array(M * K);
  const opBt = new Float64Array(N * K);
  for (let i = 0; i < M; i++) {
    for (let p = 0; p < K; p++) opA[i * K + p] = transA ? A[aOff + p * lda + i] : A[aOff + i * lda + p];
  }
  for (let j = 0; j < N; j++) {
    for (let p = 0; p < K; p++) opBt[j * K + p] = transB ? B[bOff + j * ldb + p] : B[bOff + p * ldb + j];
  }
  const absA = opA.map((x) => (x < 0 ? -x : x));
  const absBt = opBt.map((x) => (x < 0 ? -x : x));
  const value = new Float64Array(M * N);
  const scale = new Float64Array(M * N);
  const absAlpha = alpha < 0 ? -alpha : alpha;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let sa = 0;
      for (let p = 0, ka = i * K, kb = j * K; p < K; p++, ka++, kb++) {
        s += opA[ka] * opBt[kb];
        sa += absA[ka] * absBt[kb];
      }
      const c0 = beta === 0 ? 0 : beta * C0[cOff + i * ldc + j];
      value[i * N + j] = alpha * s + c0;
      scale[i * N + j] = absAlpha * sa + (c0 < 0 ? -c0 : c0);
    }
  }
  return { value, scale };
}

interface Case {
  T: FloatCtor; transA: boolean; transB: boolean; M: number; N: number; K: number;
  alpha: number; beta: number;
  /** extra leading-dimension padding and offsets */
  padA?: number; padB?: number; padC?: number; aOff?: number; bOff?: number; cOff?: number;
  seed?: number;
}

const SENTINEL = 12345.5;

/** Element-wise identity check (jest's toEqual is far too slow on long typed arrays). */
function expectSame(got: FloatArray, want: FloatArray, what: string): void {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const g = got[k];
    const w = want[k];
    if (g !== w && !(g !== g && w !== w)) throw new Error(`${what}[${k}] = ${got[k]}, expected ${want[k]}`);
  }
}

/**
 * Runs one case against the reference. C lives inside a larger buffer filled with a sentinel:
 * entries outside the M×N window (offset prefix, leading-dimension padding, tail) must be untouched.
 * With beta = 0 the window starts as NaN, which must not leak into the result.
 */
function runCase(c: Case): void {
  const { T, transA, transB, M, N, K, alpha, beta } = c;
  const next = rng(c.seed ?? (M * 7919 + N * 104729 + K * 1299709 + (transA ? 1 : 0) + (transB ? 2 : 0)));
  const L = layout(transA, transB, M, N, K);
  const lda = L.aCols + (c.padA ?? 0);
  const ldb = L.bCols + (c.padB ?? 0);
  const ldc = N + (c.padC ?? 0);
  const aOff = c.aOff ?? 0;
  const bOff = c.bOff ?? 0;
  const cOff = c.cOff ?? 0;
  const A = randomArray(T, aOff + L.aRows * lda + 3, next);
  const B = randomArray(T, bOff + L.bRows * ldb + 3, next);
  const C = new T(cOff + M * ldc + 5).fill(SENTINEL);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) C[cOff + i * ldc + j] = beta === 0 ? NaN : next() * 2 - 1;
  }
  const A0 = A.slice();
  const B0 = B.slice();
  const C0 = C.slice();
  const ref = reference(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C0, cOff, ldc);
  gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);

  expectSame(A, A0, 'A (must not be modified)');
  expectSame(B, B0, 'B (must not be modified)');
  const rel = T === Float32Array ? 1e-6 : 1e-13;
  const inWindow = new Uint8Array(C.length);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const k = cOff + i * ldc + j;
      inWindow[k] = 1;
      const got = C[k];
      const want = ref.value[i * N + j];
      const tol = rel * ref.scale[i * N + j] + 1e-30;
      const err = got > want ? got - want : want - got;
      if (!(err <= tol)) {
        throw new Error(`C[${i},${j}] = ${got}, expected ${want} (tolerance ${tol}) in ${describeCase(c)}`);
      }
    }
  }
  for (let k = 0; k < C.length; k++) {
    if (!inWindow[k] && C[k] !== SENTINEL) throw new Error(`C[${k}] outside the window was written in ${describeCase(c)}`);
  }
}

function describeCase(c: Case): string {
  return `${c.T.name} ${c.transA ? 'T' : 'N'}${c.transB ? 'T' : 'N'} M=${c.M} N=${c.N} K=${c.K} alpha=${c.alpha} beta=${c.beta}`
    + ` pads=${c.padA ?? 0},${c.padB ?? 0},${c.padC ?? 0} offs=${c.aOff ?? 0},${c.bOff ?? 0},${c.cOff ?? 0}`;
}

const TRANS: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];
const TYPES: FloatCtor[] = [Float32Array, Float64Array];

describe('gemm correctness against a naive float64 triple loop', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1], [2, 3, 4], [4, 4, 4], [5, 7, 3], [9, 9, 9], [10, 10, 10], [13, 17, 11],
    [65, 129, 33], [128, 128, 1], [33, 64, 300],
    // tall / skinny and matrix-vector shapes
    [513, 4, 9], [700, 1, 300], [600, 2, 50], [300, 3, 70], [1, 500, 700], [2, 333, 40], [3, 250, 81],
    [4, 300, 100], [257, 5, 260], [16, 100, 1],
    // crossing the blocking: M > MC = 128, K > KC = 256, N > NC = 1024
    [200, 300, 257], [130, 20, 520], [9, 1100, 30],
  ];
  for (const T of TYPES) {
    for (const [transA, transB] of TRANS) {
      const name = `${T.name} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      test(`${name}: shapes from 1x1x1 to 200x300x257, alpha=1, beta=0 over NaN`, () => {
        for (const [M, N, K] of shapes) runCase({ T, transA, transB, M, N, K, alpha: 1, beta: 0 });
      });
      test(`${name}: alpha/beta variants`, () => {
        const ab: [number, number][] = [[0.5, 1], [-2, 0.25], [1.5, -1], [0, 2], [0, 0], [3, 0]];
        for (const [M, N, K] of [[5, 7, 3], [37, 41, 29], [70, 90, 270], [1, 9, 20], [20, 2, 20]] as const) {
          for (const [alpha, beta] of ab) runCase({ T, transA, transB, M, N, K, alpha, beta });
        }
      });
      test(`${name}: offsets and leading dimensions larger than the row`, () => {
        for (const [M, N, K] of [[1, 1, 1], [5, 7, 3], [2, 40, 9], [66, 35, 300], [140, 9, 17], [40, 3, 33]] as const) {
          runCase({ T, transA, transB, M, N, K, alpha: 1, beta: 0, padA: 3, padB: 5, padC: 2, aOff: 7, bOff: 1, cOff: 11 });
          runCase({ T, transA, transB, M, N, K, alpha: -0.75, beta: 0.5, padA: 1, padB: 0, padC: 4, aOff: 0, bOff: 9, cOff: 3 });
        }
      });
    }
  }

  test('float64 results match the naive loop to rounding on a large case', () => {
    runCase({ T: Float64Array, transA: false, transB: false, M: 200, N: 300, K: 257, alpha: 1, beta: 0 });
  });

  test('K = 0 gives C = beta·C and reads neither A nor B', () => {
    for (const T of TYPES) {
      const C = T.from([1, 2, 3, 4, 5, 6]);
      gemm(false, false, 2, 3, 0, 1, new T(0), 0, 1, new T(0), 0, 3, 2, C, 0, 3);
      expect(Array.from(C)).toEqual([2, 4, 6, 8, 10, 12]);
      const D = new T(6).fill(NaN);
      gemm(true, true, 2, 3, 0, 1, new T(0), 0, 2, new T(0), 0, 1, 0, D, 0, 3);
      expect(Array.from(D)).toEqual([0, 0, 0, 0, 0, 0]);
      const E = T.from([1, 2, 3]);
      gemm(false, false, 1, 3, 0, 5, new T(0), 0, 1, new T(0), 0, 3, 1, E, 0, 3);
      expect(Array.from(E)).toEqual([1, 2, 3]);
    }
  });

  test('alpha = 0 does not read A or B (NaN there does not propagate)', () => {
    const A = new Float64Array(12).fill(NaN);
    const B = new Float64Array(12).fill(NaN);
    const C = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    gemm(false, false, 3, 3, 4, 0, A, 0, 4, B, 0, 3, 0.5, C, 0, 3);
    expect(Array.from(C)).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
  });

  test('M = 0 or N = 0 is a no-op, even with empty arrays', () => {
    const C = Float32Array.from([7, 7]);
    gemm(false, false, 0, 2, 3, 1, new Float32Array(0), 0, 3, new Float32Array(6), 0, 2, 0, new Float32Array(0), 0, 2);
    gemm(false, false, 2, 0, 3, 1, new Float32Array(6), 0, 3, new Float32Array(0), 0, 1, 0, C, 0, 1);
    gemm(true, true, 0, 0, 0, 1, new Float32Array(0), 0, 1, new Float32Array(0), 0, 1, 0, new Float32Array(0), 0, 1);
    expect(Array.from(C)).toEqual([7, 7]);
  });

  test('NaN and Inf in the inputs propagate as in a plain loop', () => {
    const A = Float64Array.from({ length: 8 * 8 }, (_, i) => i % 5);
    const B = Float64Array.from({ length: 8 * 8 }, (_, i) => (i % 3) - 1);
    A[2 * 8 + 3] = NaN;
    B[5 * 8 + 6] = Infinity;
    const C = new Float64Array(64);
    gemm(false, false, 8, 8, 8, 1, A, 0, 8, B, 0, 8, 0, C, 0, 8);
    const ref = reference(false, false, 8, 8, 8, 1, A, 0, 8, B, 0, 8, 0, C, 0, 8).value;
    expectSame(C, ref, 'C');
    expect(C.some(Number.isNaN)).toBe(true);
    expect(C.some((x) => x === Infinity || x === -Infinity)).toBe(true);
  });

  test('a 1x1x1 product is exact, and identities come back unchanged', () => {
    const C = new Float64Array(1);
    gemm(false, false, 1, 1, 1, 1, Float64Array.of(3), 0, 1, Float64Array.of(-4), 0, 1, 0, C, 0, 1);
    expect(C[0]).toBe(-12);
    const n = 37;
    const I = new Float32Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    const X = randomArray(Float32Array, n * n, rng(5));
    const Y = new Float32Array(n * n);
    gemm(false, false, n, n, n, 1, X, 0, n, I, 0, n, 0, Y, 0, n);
    expectSame(Y, X, 'X·I');
    gemm(false, true, n, n, n, 1, I, 0, n, X, 0, n, 0, Y, 0, n);
    const Xt = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Xt[i * n + j] = X[j * n + i];
    expectSame(Y, Xt, 'I·X^T');
  });

  test('the reused scratch leaves no stale values between calls of different shapes', () => {
    const next = rng(99);
    const A = randomArray(Float64Array, 300 * 300, next);
    const B = randomArray(Float64Array, 300 * 300, next);
    const first = new Float64Array(150 * 170);
    gemm(false, true, 150, 170, 290, 1, A, 0, 290, B, 0, 290, 0, first, 0, 170);
    const other = new Float64Array(300 * 300);
    gemm(true, false, 300, 300, 300, 1, A, 0, 300, B, 0, 300, 0, other, 0, 300);
    gemm(false, false, 5, 6, 7, 1, A, 0, 7, B, 0, 6, 0, other, 0, 6);
    const again = new Float64Array(150 * 170);
    gemm(false, true, 150, 170, 290, 1, A, 0, 290, B, 0, 290, 0, again, 0, 170);
    expectSame(again, first, 'repeated product');
  });

  test('float32 storage: results are the float32 rounding of a double accumulation', () => {
    // Products of small integers are exact in doubles; a float32 accumulation would lose them.
    const K = 600;
    const A = new Float32Array(4 * K);
    const B = new Float32Array(K * 4);
    for (let i = 0; i < A.length; i++) A[i] = 4097 + (i % 3);
    for (let i = 0; i < B.length; i++) B[i] = 4099 - (i % 5);
    const C = new Float32Array(16);
    gemm(false, false, 4, 4, K, 1, A, 0, K, B, 0, 4, 0, C, 0, 4);
    const ref = reference(false, false, 4, 4, K, 1, A, 0, K, B, 0, 4, 0, C, 0, 4).value;
    for (let k = 0; k < 16; k++) expect(Math.abs(C[k] - ref[k])).toBeLessThanOrEqual(Math.abs(ref[k]) * 3 * 2 ** -24);
  });
});

describe('gemm argument checks', () => {
  const f32 = (n: number) => new Float32Array(n);
  const ok = () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3);

  test('valid arguments pass', () => {
    expect(ok).not.toThrow();
  });

  const cases: [string, () => void, RegExp][] = [
    ['negative M', () => gemm(false, false, -1, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: M must be a non-negative integer, got -1$/],
    ['fractional N', () => gemm(false, false, 2, 2.5, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: N must be a non-negative integer, got 2.5$/],
    ['NaN K', () => gemm(false, false, 2, 3, NaN, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: K must be a non-negative integer, got NaN$/],
    ['lda shorter than a row', () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 3, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: lda must be an integer >= 4 \(the stored row length of A\), got 3$/],
    ['lda shorter than a transposed row', () => gemm(true, false, 2, 3, 4, 1, f32(8), 0, 1, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: lda must be an integer >= 2/],
    ['ldb shorter than a row', () => gemm(false, true, 2, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: ldb must be an integer >= 4/],
    ['ldc shorter than a row', () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 2), /^gemm: ldc must be an integer >= 3/],
    ['ld of 0', () => gemm(false, false, 0, 0, 0, 1, f32(0), 0, 0, f32(0), 0, 1, 0, f32(0), 0, 1), /^gemm: lda must be an integer >= 1/],
    ['A too short', () => gemm(false, false, 2, 3, 4, 1, f32(7), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: A.length must be >= 8 for a 2x4 A at aOff=0 with lda=4, got 7$/],
    ['A too short for its offset', () => gemm(false, false, 2, 3, 4, 1, f32(8), 1, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: A.length must be >= 9/],
    ['B too short', () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 4, 0, f32(6), 0, 3), /^gemm: B.length must be >= 15/],
    ['C too short', () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 2, 3), /^gemm: C.length must be >= 8/],
    ['negative offset', () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 4, f32(12), -1, 3, 0, f32(6), 0, 3), /^gemm: bOff must be a non-negative integer, got -1$/],
    ['mixed element types', () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 4, new Float64Array(12), 0, 3, 0, f32(6), 0, 3), /^gemm: B must be a Float32Array like A, got Float64Array$/],
    ['C of another type', () => gemm(false, false, 2, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, new Float64Array(6), 0, 3), /^gemm: C must be a Float32Array like A, got Float64Array$/],
    ['integer arrays', () => gemm(false, false, 2, 3, 4, 1, new Int32Array(8) as unknown as Float32Array, 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: A must be a Float32Array or Float64Array, got Int32Array$/],
    ['non-boolean trans', () => gemm(0 as unknown as boolean, false, 2, 3, 4, 1, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: transA must be a boolean, got 0$/],
    ['non-number alpha', () => gemm(false, false, 2, 3, 4, '1' as unknown as number, f32(8), 0, 4, f32(12), 0, 3, 0, f32(6), 0, 3), /^gemm: alpha must be a number, got 1$/],
  ];
  for (const [name, call, message] of cases) {
    test(`rejects ${name}`, () => {
      expect(call).toThrow(message);
    });
  }
});

describe('gemmStridedBatched', () => {
  function batchedCase(
    transA: boolean, transB: boolean, batch: number, M: number, N: number, K: number,
    strideA: number, strideB: number, strideC: number, lda: number, ldb: number, ldc: number, T: FloatCtor,
  ): void {
    const next = rng(batch * 31 + M * 17 + N * 13 + K);
    const L = layout(transA, transB, M, N, K);
    const A = randomArray(T, (batch - 1) * strideA + L.aRows * lda + 2, next);
    const B = randomArray(T, (batch - 1) * strideB + L.bRows * ldb + 2, next);
    const C = randomArray(T, (batch - 1) * strideC + M * ldc + 2, next);
    const expected = C.slice();
    for (let b = 0; b < batch; b++) {
      gemm(transA, transB, M, N, K, 0.5, A, b * strideA, lda, B, b * strideB, ldb, 0.25, expected, b * strideC, ldc);
    }
    gemmStridedBatched(transA, transB, batch, M, N, K, 0.5, A, 0, lda, strideA, B, 0, ldb, strideB, 0.25, C, 0, ldc, strideC);
    const tol = T === Float32Array ? 1e-5 : 1e-12;
    for (let k = 0; k < C.length; k++) {
      const e = expected[k];
      const err = C[k] > e ? C[k] - e : e - C[k];
      if (!(err <= tol * (1 + (e < 0 ? -e : e)))) {
        throw new Error(`C[${k}] = ${C[k]}, expected ${expected[k]} (batch ${batch}, ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'})`);
      }
    }
  }

  test('matches a loop of gemm calls (separate matrices, gaps between them)', () => {
    for (const T of TYPES) {
      for (const [transA, transB] of TRANS) {
        const L = layout(transA, transB, 13, 11, 9);
        batchedCase(transA, transB, 3, 13, 11, 9, L.aRows * L.aCols + 5, L.bRows * L.bCols + 1, 13 * 11 + 2, L.aCols, L.bCols, 11, T);
      }
    }
  });

  test('a shared B (strideB = 0) folded into one gemm gives the same result', () => {
    for (const T of TYPES) {
      for (const transB of [false, true]) {
        const L = layout(false, transB, 20, 30, 40);
        // back to back: folded path
        batchedCase(false, transB, 4, 20, 30, 40, 20 * L.aCols, 0, 20 * 30, L.aCols, L.bCols, 30, T);
        // not back to back, or transposed A: per-batch path
        batchedCase(false, transB, 4, 20, 30, 40, 20 * L.aCols + 3, 0, 20 * 30, L.aCols, L.bCols, 30, T);
        const LT = layout(true, transB, 20, 30, 40);
        batchedCase(true, transB, 4, 20, 30, 40, LT.aRows * LT.aCols, 0, 20 * 30, LT.aCols, LT.bCols, 30, T);
      }
    }
  });

  test('batch = 0 is a no-op; bad arguments name gemmStridedBatched', () => {
    const f = (n: number) => new Float64Array(n);
    expect(() => gemmStridedBatched(false, false, 0, 2, 2, 2, 1, f(0), 0, 2, 4, f(0), 0, 2, 4, 0, f(0), 0, 2, 4)).not.toThrow();
    expect(() => gemmStridedBatched(false, false, -1, 2, 2, 2, 1, f(8), 0, 2, 4, f(8), 0, 2, 4, 0, f(8), 0, 2, 4))
      .toThrow(/^gemmStridedBatched: batch must be a non-negative integer, got -1$/);
    expect(() => gemmStridedBatched(false, false, 2, 2, 2, 2, 1, f(8), 0, 2, 4, f(8), 0, 2, 4, 0, f(8), 0, 2, 1.5))
      .toThrow(/^gemmStridedBatched: strideC must be a non-negative integer, got 1.5$/);
    expect(() => gemmStridedBatched(false, false, 3, 2, 2, 2, 1, f(8), 0, 2, 4, f(12), 0, 2, 4, 0, f(12), 0, 2, 4))
      .toThrow(/^gemmStridedBatched: A.length must be >= 12 for a 2x2 A at aOff\+2\*strideA=8 with lda=2, got 8$/);
  });
});
