/**
 * NumpyRandomState: numpy's legacy `numpy.random.RandomState` (MT19937), bit-exact.
 *
 * BrainPy draws its CSR connectivity with numpy's legacy generator (`brainpy.connect.FixedProb` seeds
 * `np.random.RandomState(seed)`, then — with numba installed — re-seeds numba's np.random, which is the same legacy
 * Mersenne Twister, see brainpy-semantics.md §4). This class reproduces, draw for draw, what numpy's legacy
 * RandomState gives for the same seed and the same calls:
 *
 * - seeding: an integer in [0, 2^32) → `init_genrand` (`RandomState(s)`, `np.random.seed(s)`); an array of such
 *   integers → `init_by_array`; the cached Gaussian is cleared.
 * - `random_sample` / `random` / `rand`: 53-bit doubles `((a >>> 5) * 2^26 + (b >>> 6)) / 2^53`.
 * - `randint(low, high)`: numpy's masked rejection (`next_uint32() & mask` until `<= high - 1 - low`; a range of one
 *   value draws nothing; ranges beyond 2^32 take 64-bit words `hi << 32 | lo`), exact up to 2^53.
 * - `standard_normal` / `normal` / `randn`: the legacy polar Box–Muller with its cached second value. numpy calls
 *   the C library's `log`; spikeport uses a correctly rounded log (V8's Math.log is off by an ulp for ~6% of
 *   arguments). glibc misrounds a few arguments itself (16 of 20000 Gaussians in the test fixture), and only there
 *   may a Gaussian differ from numpy's, in the last bits; the integer, uniform and permutation streams are exact.
 * - `uniform(low, high)`: `low + (high - low) * random_sample()`.
 * - `shuffle` / `permutation`: Fisher–Yates from the end, `j = random_interval(i)` (masked rejection in [0, i]).
 * - `choice(a, size, replace, p)`: `replace=false` without `p` is `permutation(n)[:size]` (the whole permutation
 *   is drawn even for a small sample, as numpy does); `replace=true` is `randint(0, n, size)`, or with `p` the
 *   inverse-CDF search of `random_sample` draws (`cdf.searchsorted(u, side='right')`).
 *
 * This is not PyTorch's generator (`torch.manual_seed` seeds MT19937 differently and draws floats differently).
 * `seed(s)` / `random_state` below play the role of numpy's global `np.random` state.
 */
import * as torch from '../../torch';
import { fail, checkOptions } from '../../torch/utils/checks';
import { permutationWasm } from '../../torch/utils/kernels';

type Tensor = torch.Tensor;

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const TWO32 = 4294967296;

/** Smallest all-ones mask >= max (numpy's gen_mask), for max < 2^32. */
function mask32(max: number): number {
  let m = max >>> 0;
  m |= m >>> 1; m |= m >>> 2; m |= m >>> 4; m |= m >>> 8; m |= m >>> 16;
  return m >>> 0;
}

// ---- a correctly rounded natural log ---------------------------------------------------------------------------
// numpy's polar Box–Muller calls the C library's log (glibc: correctly rounded in practice); V8's Math.log is
// fdlibm's and is off by one ulp for some inputs, which would change the Gaussians. This log works in double-double
// arithmetic (~1e-30 relative) and rounds once at the end.

const SPLIT = 134217729; // 2^27 + 1
const LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996e-17;

/** a * b as an exact double-double [hi, lo] (Dekker). */
function twoProd(a: number, b: number, out: Float64Array): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  out[0] = p;
  out[1] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

const TP = new Float64Array(2);

function ddMul(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  twoProd(ah, bh, TP);
  const p = TP[0], e = TP[1] + (ah * bl + al * bh);
  const hi = p + e;
  out[0] = hi;
  out[1] = e - (hi - p);
}

function ddAdd(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  const s = ah + bh;
  const v = s - ah;
  const e = (ah - (s - v)) + (bh - v) + al + bl;
  const hi = s + e;
  out[0] = hi;
  out[1] = e - (hi - s);
}

function ddDiv(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl, out);
  ddAdd(ah, al, -out[0], -out[1], out); // r1 = a - q1 b
  const r1h = out[0], r1l = out[1];
  const q2 = r1h / bh;
  ddMul(q2, 0, bh, bl, out);
  ddAdd(r1h, r1l, -out[0], -out[1], out); // r2 = r1 - q2 b
  const q3 = out[0] / bh;
  ddAdd(q1, 0, q2, 0, out);
  ddAdd(out[0], out[1], q3, 0, out);
}

const INV_ODD: Float64Array[] = [];
for (let j = 0; j < 24; j++) {
  const d = new Float64Array(2);
  ddDiv(1, 0, 2 * j + 1, 0, d);
  INV_ODD.push(d);
}

const DD = new Float64Array(2), S = new Float64Array(2), S2 = new Float64Array(2), T = new Float64Array(2);

/** log(x) for finite x > 0, correctly rounded except in astronomically rare cases. */
function logCR(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  if (x === 1) return 0;
  let k = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) { m *= 18014398509481984; k -= 54; } // subnormals: scale by 2^54
  const e = Math.floor(Math.log2(m));
  m /= Math.pow(2, e);
  k += e;
  while (m >= 2) { m /= 2; k++; }
  while (m < 1) { m *= 2; k--; }
  if (m > Math.SQRT2) { m /= 2; k++; }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.1716
  const den = m + 1, bb = den - m, denLo = (m - (den - bb)) + (1 - bb);
  ddDiv(m - 1, 0, den, denLo, S);
  ddMul(S[0], S[1], S[0], S[1], S2);
  T[0] = INV_ODD[23][0]; T[1] = INV_ODD[23][1];
  for (let j = 22; j >= 0; j--) {
    ddMul(T[0], T[1], S2[0], S2[1], T);
    ddAdd(T[0], T[1], INV_ODD[j][0], INV_ODD[j][1], T);
  }
  ddMul(T[0], T[1], S[0], S[1], T);
  ddAdd(T[0], T[1], T[0], T[1], T); // × 2
  ddMul(k, 0, LN2_HI, LN2_LO, DD);
  ddAdd(DD[0], DD[1], T[0], T[1], DD);
  return DD[0] + DD[1];
}

/** @internal exported for the tests */
export const _logCR = logCR;

export type SeedLike = number | readonly number[] | Uint32Array | Int32Array | null | undefined;

export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  /** `numpy.random.RandomState(seed)`; without a seed, one is taken from Math.random (numpy uses OS entropy). */
  constructor(seed?: SeedLike) {
    this.seed(seed);
  }

  /** `RandomState.seed(seed)`: int in [0, 2^32) or a non-empty array of them; null/undefined = fresh entropy. */
  seed(seed?: SeedLike): void {
    const fn = 'NumpyRandomState.seed';
    if (seed === null || seed === undefined) {
      const key = new Uint32Array(N);
      for (let i = 0; i < N; i++) key[i] = Math.floor(Math.random() * TWO32) >>> 0;
      this.initByArray(key);
    } else if (typeof seed === 'number') {
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(fn, 'seed', 'an integer in [0, 2**32 - 1] or an array of them', seed);
      this.initGenrand(seed);
    } else if (Array.isArray(seed) || seed instanceof Uint32Array || seed instanceof Int32Array) {
      if (seed.length === 0) fail(fn, 'seed', 'a non-empty array', seed);
      const key = new Uint32Array(seed.length);
      for (let i = 0; i < seed.length; i++) {
        const v = seed[i];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) fail(fn, `seed[${i}]`, 'an integer in [0, 2**32 - 1]', v);
        key[i] = v;
      }
      this.initByArray(key);
    } else {
      fail(fn, 'seed', 'an integer in [0, 2**32 - 1], an array of them, or null', seed);
    }
    this.hasGauss = false;
    this.gauss = 0;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
    this.pos = N;
  }

  private initByArray(key: Uint32Array): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1, j = 0;
    const len = key.length;
    for (let k = Math.max(N, len); k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = ((mt[i] ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1664525)) + key[j] + j) >>> 0;
      i++; j++;
      if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = ((mt[i] ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
    }
    mt[0] = 0x80000000;
    this.pos = N;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = (mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = (mt[kk + M - N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    }
    const y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = (mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    this.pos = 0;
  }

  /** The next raw 32-bit output (numpy's `next_uint32`). */
  next_uint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy's `next_double` / legacy_double: a 53-bit double in [0, 1). */
  next_double(): number {
    const a = this.next_uint32() >>> 5, b = this.next_uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** numpy's random_interval(max): uniform integer in [0, max] by masked rejection (max < 2^53). */
  private interval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = mask32(max);
      let v: number;
      do { v = (this.next_uint32() & mask) >>> 0; } while (v > max);
      return v;
    }
    // 64-bit words hi << 32 | lo, masked with the smallest all-ones mask >= max
    const maskHi = mask32(Math.floor(max / TWO32));
    let v: number;
    do {
      const hi = (this.next_uint32() & maskHi) >>> 0;
      const lo = this.next_uint32();
      v = hi * TWO32 + lo;
    } while (v > max);
    return v;
  }

  /** numpy's legacy_gauss: polar Box–Muller, the second value cached for the next call. */
  private gaussian(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const t = this.gauss;
      this.gauss = 0;
      return t;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.next_double() - 1;
      x2 = 2 * this.next_double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt(-2 * logCR(r2) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  // ---- public, numpy-named ------------------------------------------------------------------------------------

  /** `random_sample(size=None)`: a float, or a float64 Tensor of shape `size`. */
  random_sample(size?: number | number[] | null): number | Tensor {
    if (size === undefined || size === null) return this.next_double();
    const shape = sizeOf('NumpyRandomState.random_sample', size);
    const out = new Float64Array(prod(shape));
    for (let i = 0; i < out.length; i++) out[i] = this.next_double();
    return torch.from_typed_array(out, shape);
  }

  /** `random(size=None)`: alias of random_sample. */
  random(size?: number | number[] | null): number | Tensor { return this.random_sample(size); }

  /** `rand(d0, d1, …)`: random_sample with the shape given as arguments. */
  rand(...dims: number[]): number | Tensor { return this.random_sample(dims.length ? dims : null); }

  /**
   * `randint(low, high=None, size=None)`: integers in [low, high) (or [0, low) without high), numpy's masked
   * rejection. A number without `size`, else an int32 Tensor (numpy's default is int64: a range beyond int32 gives a
   * float64 Tensor of the exact integers).
   */
  randint(low: number, high?: number | null, size?: number | number[] | null): number | Tensor {
    const fn = 'NumpyRandomState.randint';
    if (high === undefined || high === null) { high = low; low = 0; }
    if (typeof low !== 'number' || !Number.isSafeInteger(low)) fail(fn, 'low', 'a safe integer', low);
    if (typeof high !== 'number' || !Number.isSafeInteger(high)) fail(fn, 'high', 'a safe integer', high);
    if (low >= high) throw new Error(`${fn}: low >= high (low=${low}, high=${high})`);
    const rng = high - 1 - low;
    if (size === undefined || size === null) return low + this.interval(rng);
    const shape = sizeOf(fn, size);
    // numpy gives int64; spikeport's integer tensors are int32, so wider ranges come back as float64 holding the
    // exact integers (all below 2^53)
    const out = low < -2147483648 || high - 1 > 2147483647 ? new Float64Array(prod(shape)) : new Int32Array(prod(shape));
    for (let i = 0; i < out.length; i++) out[i] = low + this.interval(rng);
    return torch.from_typed_array(out, shape);
  }

  /** `standard_normal(size=None)`: legacy polar Box–Muller (float64). */
  standard_normal(size?: number | number[] | null): number | Tensor {
    if (size === undefined || size === null) return this.gaussian();
    const shape = sizeOf('NumpyRandomState.standard_normal', size);
    const out = new Float64Array(prod(shape));
    for (let i = 0; i < out.length; i++) out[i] = this.gaussian();
    return torch.from_typed_array(out, shape);
  }

  /** `randn(d0, d1, …)`. */
  randn(...dims: number[]): number | Tensor { return this.standard_normal(dims.length ? dims : null); }

  /** `normal(loc=0.0, scale=1.0, size=None)`: `loc + scale * gauss` (scalar loc and scale). */
  normal(loc = 0, scale = 1, size?: number | number[] | null): number | Tensor {
    const fn = 'NumpyRandomState.normal';
    if (typeof loc !== 'number') fail(fn, 'loc', 'a number', loc);
    if (typeof scale !== 'number' || !(scale >= 0)) fail(fn, 'scale', 'a non-negative number', scale);
    if (size === undefined || size === null) return loc + scale * this.gaussian();
    const shape = sizeOf(fn, size);
    const out = new Float64Array(prod(shape));
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.gaussian();
    return torch.from_typed_array(out, shape);
  }

  /** `uniform(low=0.0, high=1.0, size=None)`: `low + (high - low) * random_sample()`. */
  uniform(low = 0, high = 1, size?: number | number[] | null): number | Tensor {
    const fn = 'NumpyRandomState.uniform';
    if (typeof low !== 'number') fail(fn, 'low', 'a number', low);
    if (typeof high !== 'number') fail(fn, 'high', 'a number', high);
    const range = high - low;
    if (!Number.isFinite(range)) throw new Error(`${fn}: range exceeds valid bounds (high - low = ${range})`);
    if (size === undefined || size === null) return low + range * this.next_double();
    const shape = sizeOf(fn, size);
    const out = new Float64Array(prod(shape));
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.next_double();
    return torch.from_typed_array(out, shape);
  }

  /** `shuffle(x)`: in place along the first (only) axis, Fisher–Yates from the end as numpy's legacy shuffle. */
  shuffle(x: Int32Array | Float64Array | Float32Array | Uint8Array | number[]): void {
    if (!(Array.isArray(x) || ArrayBuffer.isView(x))) fail('NumpyRandomState.shuffle', 'x', 'an array or typed array', x);
    for (let i = x.length - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = x[i]; x[i] = x[j]; x[j] = t;
    }
  }

  /**
   * Fills `out` with a permutation of 0..out.length-1 (numpy's `permutation(n)`), reusing the buffer; from 64 elements
   * in WebAssembly (core/kernels/mt19937.ts: the same draws and swaps, ~2.5× faster).
   */
  permutation_into(out: Int32Array): Int32Array {
    const n = out.length;
    if (n >= 64) {
      const pos = permutationWasm(this.mt, this.pos, out);
      if (pos >= 0) { this.pos = pos; return out; }
    }
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      let j: number;
      if (i <= 0xffffffff) {
        const mask = mask32(i);
        do { j = (this.next_uint32() & mask) >>> 0; } while (j > i);
      } else {
        j = this.interval(i);
      }
      const t = out[i]; out[i] = out[j]; out[j] = t;
    }
    return out;
  }

  /** `permutation(x)`: an int n → a shuffled arange(n) (int32 Tensor); a 1-D Tensor → a shuffled copy. */
  permutation(x: number | Tensor): Tensor {
    const fn = 'NumpyRandomState.permutation';
    if (typeof x === 'number') {
      if (!Number.isInteger(x) || x < 0 || x > 2147483647) fail(fn, 'x', 'a non-negative int32 integer or a 1-D Tensor', x);
      return torch.from_typed_array(this.permutation_into(new Int32Array(x)), [x]);
    }
    if (!(x instanceof torch.Tensor) || x.ndim !== 1) fail(fn, 'x', 'a non-negative integer or a 1-D Tensor', x);
    const a = x.toTypedArray();
    this.shuffle(a);
    return torch.from_typed_array(a, [a.length]);
  }

  /**
   * `choice(a, size=None, replace=True, p=None)` as numpy's legacy RandomState does it. `a`: an int (population
   * arange(a)) or a 1-D Tensor. Returns a number (size None) or a Tensor. `replace=false` with `p` is not supported.
   */
  choice(a: number | Tensor, size?: number | number[] | null | ChoiceOptions, replace?: boolean | ChoiceOptions, p?: Tensor | number[] | null | ChoiceOptions, options?: ChoiceOptions): number | Tensor {
    const fn = 'NumpyRandomState.choice';
    // positional-or-keyword: (a, size, replace, p) then an options object
    const rest: unknown[] = [size, replace, p, options];
    while (rest.length && rest[rest.length - 1] === undefined) rest.pop();
    let opts: ChoiceOptions = {};
    if (rest.length && isOpts(rest[rest.length - 1])) opts = checkOptions(fn, rest.pop() as ChoiceOptions, ['size', 'replace', 'p']);
    const sz = (rest[0] ?? opts.size ?? null) as number | number[] | null;
    const rep = (rest[1] ?? opts.replace ?? true) as boolean;
    const probs = (rest[2] ?? opts.p ?? null) as Tensor | number[] | null;
    if (typeof rep !== 'boolean') fail(fn, 'replace', 'a boolean', rep);

    let pop: number;
    let values: ArrayLike<number> | null = null;
    let vdtype: torch.DType = 'int32';
    if (typeof a === 'number') {
      if (!Number.isInteger(a)) fail(fn, 'a', 'an integer or a 1-D Tensor', a);
      if (a < 0) throw new Error(`${fn}: a must be a positive integer unless no samples are taken, got ${a}`);
      pop = a;
    } else if (a instanceof torch.Tensor) {
      if (a.ndim !== 1) fail(fn, 'a', 'a 1-D Tensor', a);
      values = a.toTypedArray();
      vdtype = a.dtype;
      pop = a.shape[0];
    } else {
      fail(fn, 'a', 'an integer or a 1-D Tensor', a);
    }
    const shape = sz === null ? [] : sizeOf(fn, sz);
    const count = prod(shape);
    if (pop === 0 && count !== 0) throw new Error(`${fn}: 'a' cannot be empty unless no samples are taken`);

    let cdf: Float64Array | null = null;
    if (probs !== null) {
      const pa = probs instanceof torch.Tensor ? probs.toTypedArray() : Float64Array.from(probs as number[]);
      if (pa.length !== pop) throw new Error(`${fn}: 'a' and 'p' must have same size (got ${pop} and ${pa.length})`);
      let total = 0;
      for (let i = 0; i < pa.length; i++) {
        if (!(pa[i] >= 0)) throw new Error(`${fn}: probabilities are not non-negative (p[${i}] = ${pa[i]})`);
        total += pa[i];
      }
      if (Math.abs(total - 1) > Math.sqrt(2.220446049250313e-16)) throw new Error(`${fn}: probabilities do not sum to 1 (sum ${total})`);
      cdf = new Float64Array(pop);
      let acc = 0;
      for (let i = 0; i < pop; i++) { acc += pa[i]; cdf[i] = acc; }
      const last = cdf[pop - 1];
      for (let i = 0; i < pop; i++) cdf[i] /= last;
    }

    const idx = new Int32Array(count);
    if (rep) {
      if (cdf) {
        for (let i = 0; i < count; i++) idx[i] = searchsortedRight(cdf, this.next_double());
      } else {
        for (let i = 0; i < count; i++) idx[i] = this.interval(pop - 1);
      }
    } else {
      if (count > pop) throw new Error(`${fn}: Cannot take a larger sample than population when 'replace=False'`);
      if (cdf) throw new Error(`${fn}: replace=false together with p is not supported by spikeport`);
      const perm = this.permutation_into(new Int32Array(pop));
      for (let i = 0; i < count; i++) idx[i] = perm[i];
    }
    if (sz === null) return values ? values[idx[0]] : idx[0];
    if (!values) return torch.from_typed_array(idx, shape);
    const outArr = torch.empty(shape, { dtype: vdtype });
    const ob = outArr.buffer;
    for (let i = 0; i < count; i++) ob[i] = values[idx[i]];
    return outArr;
  }
}

export interface ChoiceOptions { size?: number | number[] | null; replace?: boolean; p?: Tensor | number[] | null }

function isOpts(x: unknown): x is ChoiceOptions {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof torch.Tensor) && Object.getPrototypeOf(x) === Object.prototype;
}

function searchsortedRight(cdf: Float64Array, u: number): number {
  let lo = 0, hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= u) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function sizeOf(fn: string, size: number | number[]): number[] {
  const shape = typeof size === 'number' ? [size] : size;
  if (!Array.isArray(shape)) fail(fn, 'size', 'an integer or an array of integers', size);
  for (const s of shape) if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) fail(fn, 'size', 'non-negative integers', size);
  return shape.slice();
}

function prod(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** numpy's global legacy state (`np.random.*`), used where BrainPy calls `np.random.randint` (format_seed). */
export const random_state = new NumpyRandomState();

/** `np.random.seed(seed)`: seeds the global legacy state. */
export function seed(s?: SeedLike): void {
  random_state.seed(s);
}
