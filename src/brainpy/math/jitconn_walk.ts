/**
 * Line walkers of the just-in-time connectivity: for one "line" of the logical matrix M (a row when it is generated
 * row by row, `outdim_parallel=True`; a column otherwise) they list the connected positions along the line, in the
 * order brainevent's CPU kernels visit them, and the weight drawn for each (uniform/normal). The matvec, matmat and
 * dense kernels (jitconn_kernels.ts) are written once over these lists.
 *
 * One walker per brainevent era (reference: brainpy-semantics.md §1.3–§1.5):
 * - `'lfsr88-c'` (brainevent 0.0.6–0.1.2): per-line LFSR88 stream seeded with `seed + line * lineLen`; first position
 *   `next % clen`, then per connection [weight draw(s)], hop `1 + next % (clen - 1)`.
 * - `'mt19937-b'` (brainevent 0.0.4/0.0.5): one MT19937 stream seeded once per kernel call and consumed line after line
 *   (lines must be visited in order, none skipped); first `randint(0, clen)`, [weight], hop `randint(1, clen)`.
 * - `'light-d'` (brainevent 0.2.0): chunk/lane walk with xorshift32 streams keyed by (seed, line, chunk, lane); chunk
 *   width `ceil(shape[1] / 4)`, 32 lanes for matrix-vector products ("mv") and 4 for matrix-matrix products ("mm":
 *   another matrix); weights hashed from (seed, line, position).
 *
 * The walkers write into caller-owned buffers (no allocation per line or per connection).
 */
import type { CsrSource } from '../../torch/utils/kernels';
import { NumpyMT19937, TWO_POW_M32, lightNormal01, lightUniform01 } from './jitconn_rng';

/** The generator strategy: which brainevent era's CPU kernels to reproduce. */
export type JitconnRng = 'lfsr88-c' | 'mt19937-b' | 'light-d';
export const JITCONN_RNGS: readonly JitconnRng[] = ['lfsr88-c', 'mt19937-b', 'light-d'];
export type WeightKind = 'homo' | 'uniform' | 'normal';

export interface WalkSpec {
  rng: JitconnRng;
  kind: WeightKind;
  /** The user's seed (an int32 as brainevent stores it). */
  seed: number;
  /** `ceil(2 / conn_prob)` as brainevent computes it (>= 2). */
  clen: number;
  /** Positions per line. */
  lineLen: number;
  /** shape[1] of the logical matrix (era D chunks every line by ceil(shape[1] / 4)). */
  cols: number;
  /** Era D only: 'mv' (32 lanes, matrix-vector kernels and `M.mv.todense()`) or 'mm' (4 lanes, matrix-matrix kernels). */
  mode: 'mv' | 'mm';
  /** Weight parameters as the kernel sees them: (w_low, w_high) or (w_mu, w_sigma); unused for homo. */
  a: number;
  b: number;
  /** float32 kernels (parameters are float32 and era C's `w_high - w_low` is a float32 subtraction). */
  f32: boolean;
}

export interface LineWalker {
  /** Era B: lines share one stream, so they must be filled in order 0, 1, 2, … and none may be skipped. */
  readonly sequential: boolean;
  /** Restarts the stream (era B re-seeds at every kernel call). */
  reset(): void;
  /** Writes the connected positions of `line` into idx (and their weights into w unless homo); returns the count. */
  fill(line: number, idx: Int32Array, w: Float64Array): number;
  /**
   * Optional fused fast paths for the homo gather (BrainPy's default orientation): the sum of x over the connected
   * positions of `line` (in float64, or rounding every add to float32 when acc32), and the number of connected
   * positions whose flag is set. Same visiting order as fill.
   */
  sumLine?(line: number, x: Float32Array | Float64Array, acc32: boolean): number;
  countLine?(line: number, act: Uint8Array): number;
}

const LN_EPS = 1e-10;
const TWO_PI = 2 * Math.PI;

/** Era C: LFSR88 (numba integer widening), one stream per line. */
class Lfsr88Walker implements LineWalker {
  readonly sequential = false;
  private readonly seed: number;
  private readonly clen: number;
  private readonly len: number;
  private readonly kind: number;
  private readonly a: number;
  private readonly b: number;

  constructor(s: WalkSpec) {
    this.seed = s.seed;
    this.clen = s.clen;
    this.len = s.lineLen;
    this.kind = s.kind === 'homo' ? 0 : s.kind === 'uniform' ? 1 : 2;
    // uniform: rand * (w_high - w_low) + w_low, the difference in the parameters' precision; normal: mu + sigma * z
    this.a = s.a;
    this.b = s.kind === 'uniform' ? (s.f32 ? Math.fround(s.b - s.a) : s.b - s.a) : s.b;
  }

  reset(): void { /* per-line streams: nothing to do */ }

  fill(line: number, idx: Int32Array, w: Float64Array): number {
    const len = this.len, c0 = this.clen, c1 = c0 - 1, kind = this.kind, a = this.a, b = this.b;
    const inv0 = 1 / c0, inv1 = 1 / c1;
    const base = (this.seed + line * len) >>> 0; // numba: int64 seed + line * len, wrapped by the uint32 casts
    let s1 = (base + 2) | 0, s2 = (base + 8) | 0, s3 = (base + 16) | 0;
    let u: number, q: number, r: number;
    // first position: random_integers(0, clen - 1) = next % clen. The uint32 modulo avoids the slow floating-point `%`:
    // trunc(u * (1 / c)) (< 2^31 for c >= 2) is off by at most one, which the two corrections absorb (exact).
    s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
    s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
    s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
    u = (s1 ^ s2 ^ s3) >>> 0;
    q = (u * inv0) | 0;
    r = u - q * c0;
    if (r >= c0) r -= c0; else if (r < 0) r += c0;
    let k = r;
    let cnt = 0;
    while (k < len) {
      idx[cnt] = k;
      if (kind === 1) {
        s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
        s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
        s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
        w[cnt] = ((s1 ^ s2 ^ s3) >>> 0) * TWO_POW_M32 * b + a;
      } else if (kind === 2) {
        s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
        s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
        s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
        let u1 = ((s1 ^ s2 ^ s3) >>> 0) * TWO_POW_M32;
        s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
        s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
        s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
        const u2 = ((s1 ^ s2 ^ s3) >>> 0) * TWO_POW_M32;
        if (u1 < LN_EPS) u1 = LN_EPS;
        w[cnt] = a + b * (Math.sqrt(-2 * Math.log(u1)) * Math.sin(TWO_PI * u2));
      }
      cnt++;
      // hop: random_integers(1, clen - 1) = 1 + next % (clen - 1)
      s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
      s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
      s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
      if (c1 === 1) k += 1;
      else {
        u = (s1 ^ s2 ^ s3) >>> 0;
        q = (u * inv1) | 0;
        r = u - q * c1;
        if (r >= c1) r -= c1; else if (r < 0) r += c1;
        k += 1 + r;
      }
    }
    return cnt;
  }

  sumLine(line: number, x: Float32Array | Float64Array, acc32: boolean): number {
    const len = this.len, c0 = this.clen, c1 = c0 - 1, inv0 = 1 / c0, inv1 = 1 / c1;
    const base = (this.seed + line * len) >>> 0;
    let s1 = (base + 2) | 0, s2 = (base + 8) | 0, s3 = (base + 16) | 0;
    s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
    s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
    s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
    let u = (s1 ^ s2 ^ s3) >>> 0;
    let r = u - ((u * inv0) | 0) * c0;
    if (r >= c0) r -= c0; else if (r < 0) r += c0;
    let k = r, acc = 0;
    while (k < len) {
      acc = acc32 ? Math.fround(acc + x[k]) : acc + x[k];
      s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
      s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
      s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
      if (c1 === 1) { k += 1; continue; }
      u = (s1 ^ s2 ^ s3) >>> 0;
      r = u - ((u * inv1) | 0) * c1;
      if (r >= c1) r -= c1; else if (r < 0) r += c1;
      k += 1 + r;
    }
    return acc;
  }

  countLine(line: number, act: Uint8Array): number {
    const len = this.len, c0 = this.clen, c1 = c0 - 1, inv0 = 1 / c0, inv1 = 1 / c1;
    const base = (this.seed + line * len) >>> 0;
    let s1 = (base + 2) | 0, s2 = (base + 8) | 0, s3 = (base + 16) | 0;
    s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
    s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
    s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
    let u = (s1 ^ s2 ^ s3) >>> 0;
    let r = u - ((u * inv0) | 0) * c0;
    if (r >= c0) r -= c0; else if (r < 0) r += c0;
    let k = r, cnt = 0;
    while (k < len) {
      cnt += act[k];
      s1 = ((s1 & -2) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
      s2 = ((s2 & -8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
      s3 = ((s3 & -16) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
      if (c1 === 1) { k += 1; continue; }
      u = (s1 ^ s2 ^ s3) >>> 0;
      r = u - ((u * inv1) | 0) * c1;
      if (r >= c1) r -= c1; else if (r < 0) r += c1;
      k += 1 + r;
    }
    return cnt;
  }
}

/** Era B: numba np.random (NumPy legacy MT19937), one stream for the whole kernel call. */
class Mt19937Walker implements LineWalker {
  readonly sequential = true;
  private readonly rng: NumpyMT19937;
  private readonly seed: number;
  private readonly clen: number;
  private readonly len: number;
  private readonly kind: number;
  private readonly a: number;
  private readonly b: number;
  private next = 0;

  constructor(s: WalkSpec) {
    this.seed = s.seed;
    this.rng = new NumpyMT19937(s.seed);
    this.clen = s.clen;
    this.len = s.lineLen;
    this.kind = s.kind === 'homo' ? 0 : s.kind === 'uniform' ? 1 : 2;
    this.a = s.a;
    this.b = s.b;
  }

  reset(): void {
    this.rng.seed(this.seed);
    this.next = 0;
  }

  fill(line: number, idx: Int32Array, w: Float64Array): number {
    if (line !== this.next) throw new Error(`jitconn (mt19937-b): lines must be generated in order; expected line ${this.next}, got ${line}`);
    this.next++;
    const rng = this.rng, len = this.len, c0 = this.clen, kind = this.kind, a = this.a, b = this.b;
    let k = rng.randint(0, c0);
    let cnt = 0;
    while (k < len) {
      idx[cnt] = k;
      if (kind === 1) w[cnt] = rng.uniform(a, b);
      else if (kind === 2) w[cnt] = rng.normal(a, b);
      cnt++;
      k += rng.randint(1, c0);
    }
    return cnt;
  }
}

/** Era D: brainevent 0.2.0 light RNG chunk/lane walk (jitconn_rng.ts's light* functions, inlined on int32 states). */
class LightWalker implements LineWalker {
  readonly sequential = false;
  private readonly seed: number;
  private readonly cl: number;
  private readonly len: number;
  private readonly chunk: number;
  private readonly stride: number;
  private readonly kind: number;
  private readonly a: number;
  private readonly b: number;
  private readonly f32: boolean;

  constructor(s: WalkSpec) {
    this.seed = s.seed | 0;
    this.cl = Math.max(s.clen, 2);
    this.len = s.lineLen;
    this.chunk = Math.max(1, Math.ceil(s.cols / 4));
    this.stride = s.mode === 'mm' ? 4 : 32;
    this.kind = s.kind === 'homo' ? 0 : s.kind === 'uniform' ? 1 : 2;
    this.f32 = s.f32;
    this.a = s.a;
    // uniform: w_low + u01 * (w_high - w_low) (span in the parameters' precision); normal: mu + n01 * sigma
    this.b = s.kind === 'uniform' ? (s.f32 ? Math.fround(s.b - s.a) : s.b - s.a) : s.b;
  }

  reset(): void { /* per-line streams */ }

  fill(line: number, idx: Int32Array, w: Float64Array): number {
    const len = this.len, chunk = this.chunk, stride = this.stride, cl = this.cl, kind = this.kind;
    const a = this.a, b = this.b, f32 = this.f32, seed = this.seed;
    const n = cl - 1;
    const P16 = 1.52587890625e-5; // 2^-16
    const lineKey = (seed ^ 0xd1b54a35 ^ Math.imul(line, 0x85ebca6b)) | 0;
    const nChunks = Math.ceil(len / chunk);
    let cnt = 0;
    for (let c = 0; c < nChunks; c++) {
      const start = c * chunk;
      const width = Math.min(chunk, len - start);
      const chunkKey = lineKey ^ Math.imul(c, 0xc2b2ae35);
      for (let lane = 0; lane < stride; lane++) {
        // light_rng_init: mix32 of the key; 0 maps to 0x6d2b79f5
        let x = chunkKey ^ Math.imul(lane, 0x27d4eb2d);
        x ^= x >>> 16; x = Math.imul(x, 0x7feb352d); x ^= x >>> 15; x = Math.imul(x, 0x846ca68b); x ^= x >>> 16;
        if (x === 0) x = 0x6d2b79f5;
        // stationary initial residual q in [0, n): two xorshift32 draws per rejection round
        let q: number;
        for (;;) {
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5; if (x === 0) x = 0x6d2b79f5;
          q = Math.floor(((x >>> 16) * n + Math.floor((x & 0xffff) * n * P16)) * P16);
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5; if (x === 0) x = 0x6d2b79f5;
          const gate = Math.floor(((x >>> 16) * n + Math.floor((x & 0xffff) * n * P16)) * P16);
          if (gate < n - q) break;
        }
        let j = lane + stride * q;
        while (j < width) {
          const pos = start + j;
          idx[cnt] = pos;
          if (kind === 1) {
            const u = lightUniform01(seed, line, pos);
            w[cnt] = f32 ? Math.fround(a + Math.fround(u * b)) : a + u * b;
          } else if (kind === 2) {
            const z = lightNormal01(seed, line, pos);
            w[cnt] = f32 ? Math.fround(a + Math.fround(z * b)) : a + z * b;
          }
          cnt++;
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5; if (x === 0) x = 0x6d2b79f5;
          q = q + 1 + Math.floor(((x >>> 16) * n + Math.floor((x & 0xffff) * n * P16)) * P16);
          j = lane + stride * q;
        }
      }
    }
    return cnt;
  }
}

export function makeWalker(spec: WalkSpec): LineWalker {
  switch (spec.rng) {
    case 'lfsr88-c': return new Lfsr88Walker(spec);
    case 'mt19937-b': return new Mt19937Walker(spec);
    case 'light-d': return new LightWalker(spec);
  }
}

/** `clen = int32(ceil(float32(2 / conn_prob)))` (brainevent `_initialize_conn_length`: 2/p in float64, ceil in float32). */
export function connLength(conn_prob: number): number {
  return Math.ceil(Math.fround(2 / conn_prob));
}

// ---- generated-line cache ---------------------------------------------------------------------------------------------------

/** Positions all line caches together may hold (64 MB of indices, plus the weights of non-homo lines). */
const LINE_CACHE_BUDGET = 1 << 24;
let lineCacheUsed = 0;

/**
 * Lines already generated, kept for reuse. In eras C and D a line's positions and weights depend only on the walk spec
 * and the line index (one stream per line), so a kernel that meets the same line again (an event scatter, the same
 * active input; a homo gather or float scatter, every line of every call) reads it back instead of regenerating it:
 * the same numbers, trading JIT connectivity's zero memory for speed, up to a global budget (past it, lines are
 * regenerated as before). Era B shares one stream across lines and is never cached.
 */
export class LineCache {
  /** Start of each line in `idx` / `w`, or −1 when not cached. */
  readonly start: Int32Array;
  readonly len: Int32Array;
  idx = new Int32Array(1024);
  w: Float64Array | null;
  used = 0;
  /** Per cached line, a view of its positions (made on first use: a view made per copy cost more than the copy). */
  private views: (Int32Array | undefined)[];

  constructor(nLines: number, homo: boolean) {
    this.start = new Int32Array(nLines).fill(-1);
    this.len = new Int32Array(nLines);
    this.w = homo ? null : new Float64Array(1024);
    this.views = new Array(nLines);
  }

  /** The positions of cached line `line` (start[line] >= 0) as one Int32Array. */
  view(line: number): Int32Array {
    let v = this.views[line];
    if (v === undefined) { const at = this.start[line]; v = this.views[line] = this.idx.subarray(at, at + this.len[line]); }
    return v;
  }

  /**
   * Every line, once all are cached, as a CSR structure in line order (built once: cached lines never change, and
   * nothing is added to a full cache), for the WebAssembly products (core/kernels/csr.ts); null while a line is
   * missing. Lines stored in order (a gather's first call makes them so) are a view of `idx`, others a copy.
   */
  csr(lineLen: number): CsrSource | null {
    if (this._csr !== undefined) return this._csr;
    const n = this.start.length, indptr = new Int32Array(n + 1);
    let inOrder = true;
    for (let o = 0; o < n; o++) {
      if (this.start[o] < 0) return null;
      inOrder &&= this.start[o] === indptr[o];
      indptr[o + 1] = indptr[o] + this.len[o];
    }
    let indices = this.idx.subarray(0, indptr[n]);
    if (!inOrder) {
      indices = new Int32Array(indptr[n]);
      for (let o = 0; o < n; o++) indices.set(this.idx.subarray(this.start[o], this.start[o] + this.len[o]), indptr[o]);
    }
    return this._csr = { indices, indptr, m: n, n: lineLen, nnz: indptr[n], iver: { v: 0 }, pver: { v: 0 } };
  }
  private _csr: CsrSource | undefined;

  /** Stores `cnt` positions (and weights) of `line`; false when the budget is spent. */
  put(line: number, idx: Int32Array, w: Float64Array, cnt: number): boolean {
    if (lineCacheUsed + cnt > LINE_CACHE_BUDGET) return false;
    if (this.used + cnt > this.idx.length) {
      const cap = Math.max(this.used + cnt, this.idx.length * 2);
      const ni = new Int32Array(cap); ni.set(this.idx.subarray(0, this.used)); this.idx = ni;
      this.views = new Array(this.start.length); // views of the old array: dropped with it
      if (this.w) { const nw = new Float64Array(cap); nw.set(this.w.subarray(0, this.used)); this.w = nw; }
    }
    this.idx.set(idx.subarray(0, cnt), this.used);
    if (this.w) this.w.set(w.subarray(0, cnt), this.used);
    this.start[line] = this.used;
    this.len[line] = cnt;
    this.used += cnt;
    lineCacheUsed += cnt;
    return true;
  }
}

interface CacheEntry { spec: WalkSpec; from: WalkSpec; nLines: number; cache: LineCache }
const MAX_LINE_CACHES = 16;
const lineCaches: CacheEntry[] = [];

function sameSpec(a: WalkSpec, b: WalkSpec): boolean {
  return a.rng === b.rng && a.kind === b.kind && a.seed === b.seed && a.clen === b.clen && a.lineLen === b.lineLen
    && a.cols === b.cols && a.mode === b.mode && Object.is(a.a, b.a) && Object.is(a.b, b.b) && a.f32 === b.f32;
}

/** The line cache of this walk (null for era B). Caches are found by comparing specs (a few live at a time). */
export function lineCacheFor(spec: WalkSpec, nLines: number): LineCache | null {
  if (spec.rng === 'mt19937-b') return null;
  // an op asks with the same (memoized) spec object every call: found by identity first, then by value
  for (let k = 0; k < lineCaches.length; k++) if (lineCaches[k].from === spec && lineCaches[k].nLines === nLines) return lineCaches[k].cache;
  for (let k = 0; k < lineCaches.length; k++) {
    const e = lineCaches[k];
    if (e.nLines === nLines && sameSpec(e.spec, spec)) { e.from = spec; return e.cache; }
  }
  if (lineCaches.length >= MAX_LINE_CACHES) lineCacheUsed -= lineCaches.shift()!.cache.used; // drop the oldest
  if (lineCacheUsed >= LINE_CACHE_BUDGET) return null;
  const cache = new LineCache(nLines, spec.kind === 'homo');
  lineCaches.push({ spec: { ...spec }, from: spec, nLines, cache });
  return cache;
}

/** Drops every line cache (the next products regenerate their lines): what a benchmark timing generation calls. */
export function clear_line_caches(): void {
  lineCaches.length = 0;
  lineCacheUsed = 0;
}
