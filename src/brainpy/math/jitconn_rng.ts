/**
 * The random generators behind `bm.jitconn`, one per brainevent era (docs: /work/shared/reference/brainpy-semantics.md §1):
 *
 * - era B (brainevent 0.0.4/0.0.5, BrainPy 2.6.2–2.7.7): numba's `np.random`, i.e. NumPy's legacy MT19937
 *   (`RandomState`): `NumpyMT19937` reproduces `seed`, `randint`, `random`, `uniform`, `normal` (polar Box–Muller with
 *   the cached second value) bit for bit.
 * - era C (brainevent 0.0.6–0.1.2, BrainPy ≥ 2.7.8): LFSR88 as numba compiles brainevent's `_numba_random.py`, whose
 *   uint32 operands are widened to 64 bits before the shifts, so the intermediate `b` keeps bits a textbook 32-bit
 *   LFSR88 drops (`lfsr88Next` is the 32-bit-safe closed form of that widened step).
 * - era D (brainevent 0.2.0): the "light RNG" (xorshift32 + mix32 hash) of the chunk/lane walk.
 *
 * All 32-bit multiplications use Math.imul; 64-bit products are split so doubles stay exact.
 */

// ---- era C: LFSR88 with numba's integer widening ------------------------------------------------------------------------

/** 2^-32: brainevent's `lfsr88_rand` factor 2.3283064365386963e-10. */
export const TWO_POW_M32 = 2.3283064365386963e-10;

/**
 * One LFSR88 step on a 3-word int32 state (numba semantics), returning the uint32 output `s1 ^ s2 ^ s3`.
 * `lfsr88_seed(s)` is `[u32(s + 2), u32(s + 8), u32(s + 16)]`.
 */
export function lfsr88Next(st: Int32Array): number {
  const s1 = st[0], s2 = st[1], s3 = st[2];
  const n1 = ((s1 & 0xfffffffe) << 12) ^ ((s1 >>> 6) ^ (s1 >>> 19));
  const n2 = ((s2 & 0xfffffff8) << 4) ^ ((s2 >>> 23) ^ (s2 >>> 25));
  const n3 = ((s3 & 0xfffffff0) << 17) ^ ((s3 >>> 8) ^ (s3 >>> 11));
  st[0] = n1; st[1] = n2; st[2] = n3;
  return (n1 ^ n2 ^ n3) >>> 0;
}

/** `lfsr88_seed(seed)` into `st` (seed is any integer; the words wrap modulo 2^32 as numba's uint32 casts do). */
export function lfsr88Seed(st: Int32Array, seed: number): void {
  const base = seed >>> 0; // exact ToUint32 for integers below 2^53, negatives included
  st[0] = (base + 2) | 0;
  st[1] = (base + 8) | 0;
  st[2] = (base + 16) | 0;
}

/** The first `count` uint32 outputs of brainevent's numba LFSR88 seeded with `seed` (for tests and tools). */
export function lfsr88Stream(seed: number, count: number): number[] {
  const st = new Int32Array(3);
  lfsr88Seed(st, seed);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(lfsr88Next(st));
  return out;
}

// ---- era B: NumPy legacy MT19937 (what numba's np.random is) ---------------------------------------------------------------

const MT_N = 624;
const MT_M = 397;

/**
 * NumPy's legacy `RandomState` Mersenne Twister as numba's `np.random` implements it: `seed(s)` = `init_genrand(u32(s))`,
 * `randint(lo, hi)` = masked rejection on 32-bit draws (`hi - lo == 1` returns `lo` without a draw), `random()` = 53-bit
 * double from two draws, `uniform(lo, hi)` = `lo + (hi - lo) * random()`, `normal(mu, s)` = polar Box–Muller with the
 * second value cached (the cache is cleared by `seed`).
 */
export class NumpyMT19937 {
  private readonly mt = new Int32Array(MT_N);
  private index = MT_N;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed: number) { this.seed(seed); }

  seed(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < MT_N; i++) {
      const prev = mt[i - 1] >>> 0;
      mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) | 0) + i) | 0;
    }
    this.index = MT_N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < MT_N - MT_M; kk++) {
      const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
      mt[kk] = mt[kk + MT_M] ^ (y >>> 1) ^ ((y & 1) ? 0x9908b0df : 0);
    }
    for (; kk < MT_N - 1; kk++) {
      const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
      mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >>> 1) ^ ((y & 1) ? 0x9908b0df : 0);
    }
    const y = (mt[MT_N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >>> 1) ^ ((y & 1) ? 0x9908b0df : 0);
    this.index = 0;
  }

  /** The next tempered 32-bit output as an unsigned number. */
  next_u32(): number {
    if (this.index >= MT_N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `np.random.random()`: a double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.next_u32() >>> 5, b = this.next_u32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `np.random.randint(lo, hi)` for 1 <= hi - lo <= 2^32 (masked rejection, as numpy's legacy bounded draw). */
  randint(lo: number, hi: number): number {
    const n = hi - lo;
    if (n === 1) return lo;
    const rng = n - 1;
    let mask = rng;
    mask |= mask >>> 1; mask |= mask >>> 2; mask |= mask >>> 4; mask |= mask >>> 8; mask |= mask >>> 16;
    mask >>>= 0;
    let r: number;
    do r = (this.next_u32() & mask) >>> 0; while (r > rng);
    return lo + r;
  }

  uniform(lo: number, hi: number): number { return lo + (hi - lo) * this.random(); }

  /** A standard normal value (`legacy_gauss`). */
  standard_normal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  normal(mu: number, sigma: number): number { return mu + sigma * this.standard_normal(); }
}

// ---- era D: brainevent 0.2.0 light RNG -------------------------------------------------------------------------------------

/** `mix32` finaliser (uint32 in, uint32 out). */
export function lightMix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** xorshift32 step; a zero state becomes 0x6d2b79f5. */
export function lightNext(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  return x === 0 ? 0x6d2b79f5 : x;
}

/** `light_rng_init(seed, row, chunk_id, lane)`. */
export function lightInit(seed: number, row: number, chunk: number, lane: number): number {
  let x = ((seed >>> 0) ^ 0xd1b54a35) >>> 0;
  x = (x ^ Math.imul(row >>> 0, 0x85ebca6b)) >>> 0;
  x = (x ^ Math.imul(chunk >>> 0, 0xc2b2ae35)) >>> 0;
  x = (x ^ Math.imul(lane >>> 0, 0x27d4eb2d)) >>> 0;
  x = lightMix32(x);
  return x === 0 ? 0x6d2b79f5 : x;
}

/** `(r * b) >> 32` for uint32 r and b (the high word of the 64-bit product, computed exactly in doubles). */
export function lightBounded(r: number, b: number): number {
  const hi = (r >>> 16) * b; // < 2^48
  const lo = (r & 0xffff) * b; // < 2^48
  return Math.floor((hi + Math.floor(lo / 65536)) / 65536);
}

/** `light_rng_uniform01(seed, row, col)`: a float32 multiple of 2^-24 in [0, 1). */
export function lightUniform01(seed: number, row: number, col: number): number {
  let h = ((seed >>> 0) ^ 0xa0761d65) >>> 0;
  h = (h ^ Math.imul(row >>> 0, 0xe7037ed1)) >>> 0;
  h = (h ^ Math.imul(col >>> 0, 0x8ebc6af1)) >>> 0;
  h = lightMix32(h);
  return (h & 0x00ffffff) * 5.9604644775390625e-8;
}

const f = Math.fround;
const A1 = f(-39.696830), A2 = f(220.94609), A3 = f(-275.92851), A4 = f(138.35775), A5 = f(-30.664799), A6 = f(2.5066283);
const B1 = f(-54.476099), B2 = f(161.58584), B3 = f(-155.69898), B4 = f(66.801312), B5 = f(-13.280681);
const C1 = f(-0.007784894), C2 = f(-0.32239646), C3 = f(-2.4007583), C4 = f(-2.5497325), C5 = f(4.3746641), C6 = f(2.9381640);
const D1 = f(0.007784696), D2 = f(0.32246713), D3 = f(2.4451342), D4 = f(3.7544087);
const U_LO = f(1e-10), U_HI = f(1 - 1e-10), P_LO = f(0.02425), P_HI = f(0.97575);

/** Horner evaluation in float32 arithmetic: ((c0 * x + c1) * x + ...) + cn, rounding after every operation. */
function horner32(x: number, c: readonly number[]): number {
  let acc = c[0];
  for (let i = 1; i < c.length; i++) acc = f(f(acc * x) + c[i]);
  return acc;
}
const A_NUM = [A1, A2, A3, A4, A5, A6], B_DEN = [B1, B2, B3, B4, B5, f(1)];
const C_NUM = [C1, C2, C3, C4, C5, C6], D_DEN = [D1, D2, D3, D4, f(1)];

/** Acklam's rational inverse normal CDF in float32 arithmetic (`light_rng_normal01`); up to an ulp from numba's libm. */
export function lightNormal01FromU(u: number): number {
  if (u < U_LO) u = U_LO;
  else if (u > U_HI) u = U_HI;
  if (u < P_LO) {
    const v = f(Math.sqrt(f(-2 * f(Math.log(u)))));
    return -f(horner32(v, C_NUM) / horner32(v, D_DEN));
  }
  if (u > P_HI) {
    const v = f(Math.sqrt(f(-2 * f(Math.log(f(1 - u))))));
    return f(horner32(v, C_NUM) / horner32(v, D_DEN));
  }
  const v = f(u - 0.5), r = f(v * v);
  return f(f(horner32(r, A_NUM) * v) / horner32(r, B_DEN));
}

export function lightNormal01(seed: number, row: number, col: number): number {
  return lightNormal01FromU(lightUniform01(seed, row, col));
}
