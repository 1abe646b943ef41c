/**
 * General matrix multiply on typed arrays (BLAS `?gemm`, row-major): the kernel under the tensor
 * engine's matmul / mm / bmm / linear and im2col convolution. No Tensor class, no allocation in
 * steady state, one V8 thread.
 *
 *   C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C
 *
 * Row-major storage with leading dimensions, exactly as CBLAS with `CblasRowMajor`:
 * - `op(A)[i, p]` is `A[aOff + i·lda + p]`, or `A[aOff + p·lda + i]` when `transA` (A is then
 *   stored K×M, so lda ≥ M);
 * - `op(B)[p, j]` is `B[bOff + p·ldb + j]`, or `B[bOff + j·ldb + p]` when `transB` (B stored N×K);
 * - `C[i, j]` is `C[cOff + i·ldc + j]` (ldc ≥ N).
 *
 * A, B and C must all be Float32Array or all Float64Array. Products are accumulated in JS doubles
 * whatever the storage type. On the packed path C is first set to beta·C, then each KC = 256 deep
 * slice of K adds its double-precision partial product, so a float32 C sees one rounding per slice
 * (one in all for K ≤ 256); on the direct path (tiny and matrix-vector shapes) each entry is rounded
 * once. `beta === 0` overwrites C without reading it (NaN or garbage in C does not propagate);
 * `alpha === 0` or `K === 0` reads neither A nor B (C becomes beta·C, as in BLAS).
 * C must not overlap A or B (not checked: interleaved layouts sharing one buffer are legitimate).
 *
 * How it goes fast (the GotoBLAS / BLIS structure, in plain JS):
 * - op(B) is packed, KC×NC at a time, into contiguous Float64 micro-panels of NR columns, and
 *   op(A), MC×KC at a time, into micro-panels of MR rows; edges are zero-padded, so the
 *   micro-kernel never branches on shape and every trans / leading-dimension combination costs
 *   only the packing. Packing into Float64 also takes the float32→float64 conversion out of the
 *   inner loop (measured: Float32 panels make the micro-kernel ~25% slower).
 * - The micro-kernel keeps a 4×4 block of C in 16 local doubles and walks one packed A micro-panel
 *   against one packed B micro-panel: per k step 8 loads and 16 multiply-adds.
 * - The packed panels live in module-level Float64Arrays that grow to the largest size used (at
 *   most (MC + NC)·KC doubles = 2.25 MiB) and are reused: steady-state calls allocate nothing.
 * - Tiny products (M·N·K < SMALL_MNK) and matrix-vector shapes (M or N < 4, where zero padding
 *   would waste a quarter or more of the packed kernel's work) skip packing and use a direct loop:
 *   axpy over contiguous rows of B, or four dot products at a time when B is transposed (the
 *   problem is transposed first when N is the small side).
 *
 * Single-threaded and synchronous; the shared scratch is safe because nothing re-enters gemm while
 * it runs (each worker / realm has its own module instance).
 */

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

export type GemmArray = Float32Array | Float64Array;

/** Register block (micro-tile) height: rows of op(A) per micro-panel. */
const MR = 4;
/** Register block width: columns of op(B) per micro-panel. */
const NR = 4;
/**
 * Depth of a packed slice of K. One A micro-panel (KC·MR doubles = 8 KiB) plus one B micro-panel
 * (8 KiB) sit in L1 while the micro-kernel runs, and 256 k steps amortise the micro-tile
 * write-back. 128 and 512 measured the same within noise.
 */
const KC = 256;
/** Rows of op(A) packed at a time: MC·KC doubles = 256 KiB, kept in L2 across the NR loop. */
const MC = 128;
/**
 * Columns of op(B) packed at a time: KC·NC doubles = 2 MiB, L3-resident. Larger NC only saves
 * re-packing A (a 1/NC share of the work), which measured nothing; smaller would save scratch.
 */
const NC = 1024;
/** Below this many multiply-adds (M·N·K) the direct loop beats packing (measured crossover ~10³). */
const SMALL_MNK = 1000;
/** Fewer rows of op(A) than this: direct loop (measured: faster for M ≤ 3, equal at 4). */
const SMALL_M = 4;
/** Fewer columns of op(B) than this: direct loop on the transposed problem. */
const SMALL_N = 4;

let packA = new Float64Array(0);
let packB = new Float64Array(0);
/** One micro-tile of accumulators, handed from the micro-kernel to the write-back. */
const tile = new Float64Array(MR * NR);
/** Row accumulator for the direct (small / matrix-vector) path. */
let rowAcc = new Float64Array(0);

function fail(fn: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`${fn}: ${arg} must be ${expected}, got ${String(got)}`);
}

function checkDim(fn: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(fn, name, 'a non-negative integer', v);
}

function describe(x: unknown): string {
  if (x === null || typeof x !== 'object') return String(x);
  return (x as object).constructor?.name ?? Object.prototype.toString.call(x);
}

/** Checks the flags, sizes, scalars and array types shared by gemm and gemmStridedBatched. */
function checkCommon(
  fn: string, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: GemmArray, B: GemmArray, beta: number, C: GemmArray,
): void {
  if (typeof transA !== 'boolean') fail(fn, 'transA', 'a boolean', transA);
  if (typeof transB !== 'boolean') fail(fn, 'transB', 'a boolean', transB);
  checkDim(fn, 'M', M);
  checkDim(fn, 'N', N);
  checkDim(fn, 'K', K);
  if (typeof alpha !== 'number') fail(fn, 'alpha', 'a number', alpha);
  if (typeof beta !== 'number') fail(fn, 'beta', 'a number', beta);
  if (!(A instanceof Float32Array || A instanceof Float64Array)) fail(fn, 'A', 'a Float32Array or Float64Array', describe(A));
  if (!(B instanceof Float32Array || B instanceof Float64Array)) fail(fn, 'B', 'a Float32Array or Float64Array', describe(B));
  if (!(C instanceof Float32Array || C instanceof Float64Array)) fail(fn, 'C', 'a Float32Array or Float64Array', describe(C));
  if (B.constructor !== A.constructor) fail(fn, 'B', `a ${A.constructor.name} like A`, B.constructor.name);
  if (C.constructor !== A.constructor) fail(fn, 'C', `a ${A.constructor.name} like A`, C.constructor.name);
}

/**
 * Checks one operand: `off` and `ld` are non-negative integers, `ld ≥ max(1, cols)`, and the
 * stored `rows × cols` matrix fits in the array. `what` names the array ('A'), `offName` and
 * `ldName` its offset and leading-dimension arguments.
 */
function checkMatrix(
  fn: string, what: string, arr: GemmArray, offName: string, off: number, ldName: string, ld: number,
  rows: number, cols: number,
): void {
  if (typeof off !== 'number' || !Number.isInteger(off) || off < 0) fail(fn, offName, 'a non-negative integer', off);
  const minLd = math.max(1, cols);
  if (typeof ld !== 'number' || !Number.isInteger(ld) || ld < minLd) {
    fail(fn, ldName, `an integer >= ${minLd} (the stored row length of ${what})`, ld);
  }
  if (rows > 0 && cols > 0) {
    const need = off + (rows - 1) * ld + cols;
    if (need > arr.length) {
      fail(fn, `${what}.length`, `>= ${need} for a ${rows}x${cols} ${what} at ${offName}=${off} with ${ldName}=${ld}`, arr.length);
    }
  }
}

/**
 * Row-major BLAS gemm: `C = alpha·op(A)·op(B) + beta·C` with op(A) M×K, op(B) K×N, C M×N.
 * See the module comment for the storage convention. Throws `Error('gemm: <argument> must be
 * <expected>, got <value>')` on bad arguments: non-integer or negative sizes / offsets, leading
 * dimensions shorter than a stored row, arrays too short for the matrices they hold, element types
 * other than Float32Array / Float64Array or mixed between A, B and C.
 */
export function gemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: GemmArray, aOff: number, lda: number,
  B: GemmArray, bOff: number, ldb: number,
  beta: number, C: GemmArray, cOff: number, ldc: number,
): void {
  const fn = 'gemm';
  checkCommon(fn, transA, transB, M, N, K, alpha, A, B, beta, C);
  checkMatrix(fn, 'A', A, 'aOff', aOff, 'lda', lda, transA ? K : M, transA ? M : K);
  checkMatrix(fn, 'B', B, 'bOff', bOff, 'ldb', ldb, transB ? N : K, transB ? K : N);
  checkMatrix(fn, 'C', C, 'cOff', cOff, 'ldc', ldc, M, N);
  gemmUnchecked(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
}

/**
 * Batched gemm over equally spaced matrices (cuBLAS `gemmStridedBatched`): for b in [0, batch)
 *
 *   C_b = alpha · op(A_b) · op(B_b) + beta · C_b,
 *
 * where A_b starts at `aOff + b·strideA`, B_b at `bOff + b·strideB` and C_b at `cOff + b·strideC`,
 * each with the leading dimension and trans flag of `gemm`. A stride of 0 broadcasts one matrix
 * over the batch (e.g. `strideB = 0` for a weight shared by every batch entry, as in
 * `linear` on a [batch, rows, features] input). The C_b must not overlap each other or any A_b /
 * B_b. When B is shared (`strideB = 0`), A is not transposed and the A and C batches lie back to
 * back (`strideA = M·lda`, `strideC = M·ldc`), the batch is folded into one gemm with batch·M rows,
 * so B is packed once. Errors read `gemmStridedBatched: <argument> must be …, got …`.
 */
export function gemmStridedBatched(
  transA: boolean, transB: boolean, batch: number, M: number, N: number, K: number, alpha: number,
  A: GemmArray, aOff: number, lda: number, strideA: number,
  B: GemmArray, bOff: number, ldb: number, strideB: number,
  beta: number, C: GemmArray, cOff: number, ldc: number, strideC: number,
): void {
  const fn = 'gemmStridedBatched';
  checkDim(fn, 'batch', batch);
  checkCommon(fn, transA, transB, M, N, K, alpha, A, B, beta, C);
  checkDim(fn, 'strideA', strideA);
  checkDim(fn, 'strideB', strideB);
  checkDim(fn, 'strideC', strideC);
  if (batch === 0) return;
  // The first and the last matrix of each operand; the ones between lie between them.
  const last = batch - 1;
  const aRows = transA ? K : M, aCols = transA ? M : K;
  const bRows = transB ? N : K, bCols = transB ? K : N;
  checkMatrix(fn, 'A', A, 'aOff', aOff, 'lda', lda, aRows, aCols);
  checkMatrix(fn, 'B', B, 'bOff', bOff, 'ldb', ldb, bRows, bCols);
  checkMatrix(fn, 'C', C, 'cOff', cOff, 'ldc', ldc, M, N);
  if (last > 0) {
    checkMatrix(fn, 'A', A, `aOff+${last}*strideA`, aOff + last * strideA, 'lda', lda, aRows, aCols);
    checkMatrix(fn, 'B', B, `bOff+${last}*strideB`, bOff + last * strideB, 'ldb', ldb, bRows, bCols);
    checkMatrix(fn, 'C', C, `cOff+${last}*strideC`, cOff + last * strideC, 'ldc', ldc, M, N);
  }
  if (last > 0 && strideB === 0 && !transA && strideA === M * lda && strideC === M * ldc) {
    gemmUnchecked(false, transB, batch * M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    return;
  }
  for (let b = 0; b < batch; b++) {
    gemmUnchecked(transA, transB, M, N, K, alpha, A, aOff + b * strideA, lda, B, bOff + b * strideB, ldb,
      beta, C, cOff + b * strideC, ldc);
  }
}

/** gemm without argument checks (callers have validated). */
function gemmUnchecked(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: GemmArray, aOff: number, lda: number,
  B: GemmArray, bOff: number, ldb: number,
  beta: number, C: GemmArray, cOff: number, ldc: number,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0 || alpha === 0) {
    scaleC(M, N, beta, C, cOff, ldc);
    return;
  }
  // Strides of op(A) (rows, cols) and op(B) (rows = k, cols = j) in their arrays.
  const aRs = transA ? 1 : lda;
  const aCs = transA ? lda : 1;
  const bRs = transB ? 1 : ldb;
  const bCs = transB ? ldb : 1;
  if (N < SMALL_N || (M >= SMALL_M && M * N * K < SMALL_MNK && N < M)) {
    // Few columns: work on the transpose, C^T = op(B)^T · op(A)^T, whose rows are long.
    direct(N, M, K, alpha, B, bOff, bCs, bRs, A, aOff, aCs, aRs, beta, C, cOff, 1, ldc);
    return;
  }
  if (M < SMALL_M || M * N * K < SMALL_MNK) {
    direct(M, N, K, alpha, A, aOff, aRs, aCs, B, bOff, bRs, bCs, beta, C, cOff, ldc, 1);
    return;
  }
  // C ← beta·C once; every packed K slice then adds alpha·(its partial product) into C.
  scaleC(M, N, beta, C, cOff, ldc);
  const kcMax = math.min(K, KC);
  const needA = roundUp(math.min(M, MC), MR) * kcMax;
  const needB = roundUp(math.min(N, NC), NR) * kcMax;
  if (packA.length < needA) packA = new Float64Array(needA);
  if (packB.length < needB) packB = new Float64Array(needB);
  const pa = packA;
  const pb = packB;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = math.min(KC, K - pc);
      packPanelsB(B, bOff + pc * bRs + jc * bCs, bRs, bCs, kc, nc, pb);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = math.min(MC, M - ic);
        packPanelsA(A, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc, pa);
        macroKernel(mc, nc, kc, alpha, pa, pb, C, cOff + ic * ldc + jc, ldc);
      }
    }
  }
}

function roundUp(x: number, m: number): number {
  return math.ceil(x / m) * m;
}

/** C ← beta·C over an M×N block; beta = 0 writes zeros without reading. */
function scaleC(M: number, N: number, beta: number, C: GemmArray, cOff: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < M; i++) {
    const r = cOff + i * ldc;
    if (beta === 0) C.fill(0, r, r + N);
    else for (let j = r; j < r + N; j++) C[j] = beta * C[j];
  }
}

/**
 * Packs an mc×kc block of op(A) (element (i, p) at `base + i·rs + p·cs`) into micro-panels of MR
 * rows: panel r holds, for p = 0…kc-1, the MR values of rows r·MR…r·MR+MR-1 at column p, contiguous.
 * Rows past mc are zero.
 */
function packPanelsA(A: GemmArray, base: number, rs: number, cs: number, mc: number, kc: number, pa: Float64Array): void {
  let q = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const o = base + ir * rs;
    if (ir + MR <= mc) {
      let o0 = o;
      let o1 = o + rs;
      let o2 = o + 2 * rs;
      let o3 = o + 3 * rs;
      for (let p = 0; p < kc; p++) {
        pa[q] = A[o0];
        pa[q + 1] = A[o1];
        pa[q + 2] = A[o2];
        pa[q + 3] = A[o3];
        q += 4;
        o0 += cs;
        o1 += cs;
        o2 += cs;
        o3 += cs;
      }
    } else {
      const mr = mc - ir;
      for (let p = 0; p < kc; p++) {
        const op = o + p * cs;
        for (let ii = 0; ii < MR; ii++) pa[q++] = ii < mr ? A[op + ii * rs] : 0;
      }
    }
  }
}

/**
 * Packs a kc×nc block of op(B) (element (p, j) at `base + p·rs + j·cs`) into micro-panels of NR
 * columns: panel c holds, for p = 0…kc-1, the NR values of row p at columns c·NR…c·NR+NR-1.
 * Columns past nc are zero.
 */
function packPanelsB(B: GemmArray, base: number, rs: number, cs: number, kc: number, nc: number, pb: Float64Array): void {
  let q = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const o = base + jr * cs;
    if (jr + NR <= nc) {
      if (cs === 1) {
        for (let p = 0, op = o; p < kc; p++, op += rs) {
          pb[q] = B[op];
          pb[q + 1] = B[op + 1];
          pb[q + 2] = B[op + 2];
          pb[q + 3] = B[op + 3];
          q += 4;
        }
      } else {
        let o0 = o;
        let o1 = o + cs;
        let o2 = o + 2 * cs;
        let o3 = o + 3 * cs;
        for (let p = 0; p < kc; p++) {
          pb[q] = B[o0];
          pb[q + 1] = B[o1];
          pb[q + 2] = B[o2];
          pb[q + 3] = B[o3];
          q += 4;
          o0 += rs;
          o1 += rs;
          o2 += rs;
          o3 += rs;
        }
      }
    } else {
      const nr = nc - jr;
      for (let p = 0; p < kc; p++) {
        const op = o + p * rs;
        for (let jj = 0; jj < NR; jj++) pb[q++] = jj < nr ? B[op + jj * cs] : 0;
      }
    }
  }
}

/**
 * C[0:mc, 0:nc] (at cBase, leading dimension ldc) += alpha · Apacked · Bpacked for one packed
 * mc×kc block of A and kc×nc block of B. B micro-panels outer (each stays in L1 across the A loop),
 * A micro-panels inner (the packed A block stays in L2).
 */
function macroKernel(
  mc: number, nc: number, kc: number, alpha: number, pa: Float64Array, pb: Float64Array,
  C: GemmArray, cBase: number, ldc: number,
): void {
  const t = tile;
  for (let jr = 0; jr < nc; jr += NR) {
    const ib = jr * kc;
    const nr = nc - jr < NR ? nc - jr : NR;
    for (let ir = 0; ir < mc; ir += MR) {
      microKernel4x4(kc, pa, ir * kc, pb, ib, t);
      const mr = mc - ir < MR ? mc - ir : MR;
      let o = cBase + ir * ldc + jr;
      if (mr === MR && nr === NR) {
        C[o] += alpha * t[0]; C[o + 1] += alpha * t[1]; C[o + 2] += alpha * t[2]; C[o + 3] += alpha * t[3];
        o += ldc;
        C[o] += alpha * t[4]; C[o + 1] += alpha * t[5]; C[o + 2] += alpha * t[6]; C[o + 3] += alpha * t[7];
        o += ldc;
        C[o] += alpha * t[8]; C[o + 1] += alpha * t[9]; C[o + 2] += alpha * t[10]; C[o + 3] += alpha * t[11];
        o += ldc;
        C[o] += alpha * t[12]; C[o + 1] += alpha * t[13]; C[o + 2] += alpha * t[14]; C[o + 3] += alpha * t[15];
      } else {
        for (let ii = 0; ii < mr; ii++, o += ldc) {
          for (let jj = 0; jj < nr; jj++) C[o + jj] += alpha * t[ii * NR + jj];
        }
      }
    }
  }
}

/**
 * The register-blocked inner loop: t[4·i + j] = Σ_p pa[ia + 4p + i] · pb[ib + 4p + j] for a 4×4
 * tile, the 16 sums kept in locals. Loads one A column (4 values), then each B value and its 4
 * multiply-adds in turn. (Loading all 4 B values first measured the same; 2×4, 3×4, 2×6, 4×6 and
 * 4×8 tiles measured within noise of 4×4 — V8 spills beyond ~12 accumulators and every typed-array
 * load carries a bounds check, so the kernel is instruction-bound at roughly 1 flop per cycle.)
 */
function microKernel4x4(kc: number, pa: Float64Array, ia: number, pb: Float64Array, ib: number, t: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
    let b = pb[ib];
    c00 += a0 * b; c10 += a1 * b; c20 += a2 * b; c30 += a3 * b;
    b = pb[ib + 1];
    c01 += a0 * b; c11 += a1 * b; c21 += a2 * b; c31 += a3 * b;
    b = pb[ib + 2];
    c02 += a0 * b; c12 += a1 * b; c22 += a2 * b; c32 += a3 * b;
    b = pb[ib + 3];
    c03 += a0 * b; c13 += a1 * b; c23 += a2 * b; c33 += a3 * b;
    ia += 4;
    ib += 4;
  }
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
}

/**
 * Direct loop for tiny and matrix-vector shapes (no packing), accumulating in doubles. Works on
 * general strides: op(A)(i, p) = A[aOff + i·ars + p·acs], op(B)(p, j) = B[bOff + p·brs + j·bcs],
 * C(i, j) = C[cOff + i·crs + j·ccs]; one of brs, bcs must be 1.
 * With bcs = 1, each row of C is an axpy over contiguous rows of op(B), four rows per pass over the
 * accumulator row; with brs = 1, four entries of a row of C are dot products over four contiguous
 * columns of op(B), sharing each load of A.
 */
function direct(
  M: number, N: number, K: number, alpha: number,
  A: GemmArray, aOff: number, ars: number, acs: number,
  B: GemmArray, bOff: number, brs: number, bcs: number,
  beta: number, C: GemmArray, cOff: number, crs: number, ccs: number,
): void {
  if (bcs === 1) {
    if (rowAcc.length < N) rowAcc = new Float64Array(math.max(N, 2 * rowAcc.length));
    const acc = rowAcc;
    const K4 = K - (K & 3);
    for (let i = 0; i < M; i++) {
      acc.fill(0, 0, N);
      const ai = aOff + i * ars;
      let p = 0;
      for (; p < K4; p += 4) {
        const a0 = A[ai + p * acs], a1 = A[ai + (p + 1) * acs], a2 = A[ai + (p + 2) * acs], a3 = A[ai + (p + 3) * acs];
        const r0 = bOff + p * brs, r1 = r0 + brs, r2 = r1 + brs, r3 = r2 + brs;
        for (let j = 0; j < N; j++) acc[j] += a0 * B[r0 + j] + a1 * B[r1 + j] + a2 * B[r2 + j] + a3 * B[r3 + j];
      }
      for (; p < K; p++) {
        const a = A[ai + p * acs];
        const r = bOff + p * brs;
        for (let j = 0; j < N; j++) acc[j] += a * B[r + j];
      }
      const cr = cOff + i * crs;
      if (beta === 0) for (let j = 0; j < N; j++) C[cr + j * ccs] = alpha * acc[j];
      else for (let j = 0; j < N; j++) C[cr + j * ccs] = alpha * acc[j] + beta * C[cr + j * ccs];
    }
  } else {
    const N4 = N - (N & 3);
    for (let i = 0; i < M; i++) {
      const ai = aOff + i * ars;
      const cr = cOff + i * crs;
      let j = 0;
      for (; j < N4; j += 4) {
        const b0 = bOff + j * bcs, b1 = b0 + bcs, b2 = b1 + bcs, b3 = b2 + bcs;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0, ap = ai; p < K; p++, ap += acs) {
          const a = A[ap];
          s0 += a * B[b0 + p];
          s1 += a * B[b1 + p];
          s2 += a * B[b2 + p];
          s3 += a * B[b3 + p];
        }
        const c0 = cr + j * ccs, c1 = c0 + ccs, c2 = c1 + ccs, c3 = c2 + ccs;
        if (beta === 0) {
          C[c0] = alpha * s0; C[c1] = alpha * s1; C[c2] = alpha * s2; C[c3] = alpha * s3;
        } else {
          C[c0] = alpha * s0 + beta * C[c0];
          C[c1] = alpha * s1 + beta * C[c1];
          C[c2] = alpha * s2 + beta * C[c2];
          C[c3] = alpha * s3 + beta * C[c3];
        }
      }
      for (; j < N; j++) {
        const bj = bOff + j * bcs;
        let s = 0;
        for (let p = 0, ap = ai; p < K; p++, ap += acs) s += A[ap] * B[bj + p];
        const c = cr + j * ccs;
        C[c] = beta === 0 ? alpha * s : alpha * s + beta * C[c];
      }
    }
  }
}
