/**
 * `Generator`: PyTorch 1.13's CPU generator (`torch.Generator()`, `torch.default_generator`), bit for bit.
 *
 * It owns a Mersenne Twister (./mt19937) and the cached second Box–Muller value that `normal_` keeps
 * between calls, and fills typed arrays the way ATen's CPU kernels fill contiguous tensors
 * (aten/src/ATen/native/cpu/DistributionTemplates.h, DistributionKernels.cpp, core/DistributionsHelper.h,
 * core/TransformationHelper.h, native/TensorFactories.cpp, CPUGeneratorImpl.cpp):
 *
 * | method | PyTorch | draws per element |
 * |---|---|---|
 * | `uniform_fill` Float32Array | `torch.rand`, `uniform_(a, b)` | one 32-bit, low 24 bits * 2^-24, then fmaf(x, b - a, a) |
 * | `uniform_fill` Float64Array | same, float64 | one 64-bit, low 53 bits * 2^-53, then fma(x, b - a, a) |
 * | `normal_fill`, < 16 elements | `torch.randn`, `normal_` | scalar Box–Muller in double (two 64-bit draws per pair; the sin half is cached in the generator) |
 * | `normal_fill` Float32Array, >= 16 | same | 24-bit uniforms, AVX2 `log256_ps`/`sincos256_ps` Box–Muller per block of 16, last block redrawn |
 * | `normal_fill` Float64Array, >= 16 | same | 53-bit uniforms, glibc `log`/`sincos` Box–Muller per block of 16, last block redrawn |
 * | `randint_fill` | `torch.randint` | one 32-bit draw mod range (range < 2^32) or one 64-bit draw mod range |
 * | `bernoulli_fill` tensor p | `torch.bernoulli(p)` | float32 p: 24-bit uniform < p; float64 p: 53-bit uniform < p |
 * | `bernoulli_fill` scalar p | `t.bernoulli_(p)`, dropout | 53-bit uniform < p (builds without MKL, AMD CPUs); `{ mkl: true }`: one 32-bit draw seeds MKL's MCG31 stream (official x86 wheels on Intel CPUs) |
 * | `randperm` | `torch.randperm` | Fisher–Yates, swap i with i + random() % (n - i), for every n (1.13 has no 64-bit path; later versions switch to one at n >= 214748364) |
 *
 * All fills write elements in the order PyTorch's kernels visit them: memory order for a contiguous
 * tensor (a non-contiguous one is visited in TensorIterator order, which the caller must map).
 *
 * The float arithmetic repeats what the shipped x86-64 binaries execute, fused multiply-adds included
 * (GCC contracts `x * (b - a) + a` and `val * std + mean` into FMA instructions in the AVX2 kernels), so
 * the streams equal PyTorch's on AVX2 machines (every x86-64 CPU since 2013), which is what the fixtures
 * in fixtures/torch/random.json were recorded on. On a CPU without AVX2 (or with ATEN_CPU_CAPABILITY=default)
 * PyTorch runs other code for `uniform_(a, b)` with (a, b) != (0, 1), `normal_` with (mean, std) != (0, 1)
 * (no FMA) and float32 `randn` of >= 16 elements (glibc logf/sincosf instead of avx_mathfun), whose last
 * bits can differ; `rand`, `randint`, `bernoulli`, `randperm`, float64 `randn` and float32 `randn` of < 16
 * elements do not depend on that.
 */

import { MT19937, MERSENNE_STATE_N } from './mt19937';
import { fma32, fma64, glibcLog, glibcSincos, normal16Avx2, sincosOut } from './fpmath';

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

/** `default_rng_seed_val` in c10: the seed of a fresh `torch.Generator()`. */
export const DEFAULT_SEED = 67280421310721n;

/** Byte size of PyTorch's `CPUGeneratorImplState` (what `get_state()` returns). */
export const STATE_SIZE = 5056;
/** Byte size of the legacy `CPUGeneratorImplStateLegacy`, which PyTorch 1.13's `set_state` also accepts. */
export const LEGACY_STATE_SIZE = 5048;

export type FloatArray = Float32Array | Float64Array;
export type RandintArray = Float32Array | Float64Array | Int32Array;
export type BernoulliArray = Float32Array | Float64Array | Uint8Array | Int32Array;

export interface NormalOptions {
  /**
   * Whether the tensor being filled is contiguous (default true). PyTorch's blocked 16-at-a-time
   * Box–Muller only runs on contiguous tensors; false selects the scalar path at any size.
   */
  contiguous?: boolean;
}

export interface BernoulliOptions {
  /**
   * Reproduce PyTorch builds linked with MKL running on an Intel CPU (the official x86-64 wheels there):
   * `bernoulli_(p)` with a scalar p then draws one 32-bit seed from the generator and fills the tensor from
   * MKL's VSL_BRNG_MCG31 stream with viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF). Default false:
   * PyTorch without MKL, or with MKL on a non-Intel CPU.
   */
  mkl?: boolean;
}

const TWO32 = 4294967296;
const TWO_M24 = 1 / 16777216;
const TWO_M53 = 1 / 9007199254740992;
const FLT_MAX = 3.4028234663852886e38;
/** 2 * pi in double: `2.0f * c10::pi<double>` and `static_cast<double>(2.0) * c10::pi<double>`. */
const TWO_PI = 2 * math.PI;
/** MKL MCG31m1: x <- a * x mod (2^31 - 1). */
const MCG31_M = 2147483647;
const MCG31_A_HI = 17280; // 1132489760 = 17280 * 2^16 + 27680
const MCG31_A_LO = 27680;

/** A description of what came that is already text (not a user value to quote). */
class Said {
  constructor(readonly text: string) {}
}
const said = (text: string) => new Said(text);

function describe(v: unknown): string {
  if (v instanceof Said) return v.text;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined || typeof v !== 'object') return String(v);
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  if (ArrayBuffer.isView(v) && 'length' in v) return `${name ?? 'typed array'} of length ${(v as { length: number }).length}`;
  return name ?? 'object';
}

function fail(fn: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`Generator.${fn}: ${arg} must be ${expected}, got ${describe(got)}`);
}

function isFloatArray(a: unknown): a is FloatArray {
  return a instanceof Float32Array || a instanceof Float64Array;
}

export class Generator {
  private readonly engine = new MT19937();
  private nextDoubleNormal = 0;
  private hasNextDoubleNormal = false;
  private nextFloatNormal = 0;
  private hasNextFloatNormal = false;

  /** A generator seeded with 67280421310721, like `torch.Generator()`. */
  constructor() {
    this.seedFrom(DEFAULT_SEED);
  }

  private seedFrom(seed: bigint): void {
    const u = BigInt.asUintN(64, seed);
    this.engine.seed(Number(u & 0xffffffffn), Number(u >> 32n));
    this.hasNextDoubleNormal = false;
    this.hasNextFloatNormal = false;
    this.nextDoubleNormal = 0;
    this.nextFloatNormal = 0;
  }

  /**
   * `Generator.manual_seed(seed)`: any integer in [-2^63, 2^64) as a number (safe integer) or a bigint;
   * negative seeds are taken as their 64-bit two's complement, as PyTorch does. Clears the cached normal.
   */
  manual_seed(seed: number | bigint): this {
    let s: bigint;
    if (typeof seed === 'number') {
      if (!Number.isSafeInteger(seed)) {
        fail('manual_seed', 'seed', 'an integer (a safe-integer number, or a bigint for larger seeds) in [-2^63, 2^64)', seed);
      }
      s = BigInt(seed);
    } else if (typeof seed === 'bigint') {
      if (seed < -(1n << 63n) || seed >= 1n << 64n) fail('manual_seed', 'seed', 'an integer in [-2^63, 2^64)', seed);
      s = seed;
    } else {
      fail('manual_seed', 'seed', 'a number or a bigint', seed);
    }
    this.seedFrom(s);
    return this;
  }

  /** `Generator.seed()`: seeds from a non-deterministic 64-bit value and returns it. */
  seed(): bigint {
    const w = new Uint32Array(2);
    const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
    if (c && typeof c.getRandomValues === 'function') {
      c.getRandomValues(w);
    } else {
      w[0] = math.floor(math.random() * TWO32);
      w[1] = math.floor(math.random() * TWO32);
    }
    const s = (BigInt(w[1]) << 32n) | BigInt(w[0]);
    this.seedFrom(s);
    return s;
  }

  /** `Generator.initial_seed()`: the 64-bit seed last set, as an unsigned bigint. */
  initial_seed(): bigint {
    return (BigInt(this.engine.seedHi) << 32n) | BigInt(this.engine.seedLo);
  }

  /**
   * `Generator.get_state()`: PyTorch's 5056-byte `CPUGeneratorImplState`, byte for byte (little-endian):
   * seed u64, left i32, seeded i32, next u64, state 624 x u64, normal_x f64, normal_y f64 (the cached
   * double normal), normal_rho f64, normal_is_valid i32, padding, float normal f32, its valid flag u8, padding.
   * `torch.Generator().set_state(torch.tensor(list(bytes), dtype=torch.uint8))` accepts it and vice versa.
   */
  get_state(): Uint8Array {
    const buf = new Uint8Array(STATE_SIZE);
    const dv = new DataView(buf.buffer);
    const e = this.engine;
    dv.setUint32(0, e.seedLo, true);
    dv.setUint32(4, e.seedHi, true);
    dv.setInt32(8, e.left, true);
    dv.setInt32(12, 1, true);
    dv.setUint32(16, e.next, true);
    for (let i = 0; i < MERSENNE_STATE_N; i++) dv.setUint32(24 + 8 * i, e.state[i] >>> 0, true);
    if (this.hasNextDoubleNormal) {
      dv.setFloat64(5024, this.nextDoubleNormal, true);
      dv.setInt32(5040, 1, true);
    }
    if (this.hasNextFloatNormal) {
      dv.setFloat32(5048, this.nextFloatNormal, true);
      buf[5052] = 1;
    }
    return buf;
  }

  /**
   * `Generator.set_state(state)`: restores a state from {@link get_state} or from PyTorch
   * (`bytes(g.get_state().tolist())`); the 5048-byte legacy layout is accepted as PyTorch 1.13 does.
   */
  set_state(state: Uint8Array): this {
    if (!(state instanceof Uint8Array)) fail('set_state', 'state', `a Uint8Array of ${STATE_SIZE} bytes`, state);
    if (state.length !== STATE_SIZE && state.length !== LEGACY_STATE_SIZE) {
      fail('set_state', 'state', `${STATE_SIZE} bytes (or ${LEGACY_STATE_SIZE}, the legacy layout)`, said(`${state.length} bytes`));
    }
    const dv = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const left = dv.getInt32(8, true);
    const seeded = dv.getInt32(12, true);
    const nextLo = dv.getUint32(16, true);
    const nextHi = dv.getUint32(20, true);
    if (seeded === 0) fail('set_state', 'state', 'a seeded Mersenne Twister state (seeded != 0)', said('seeded = 0'));
    if (!(left > 0 && left <= MERSENNE_STATE_N)) fail('set_state', 'state', 'a state with 0 < left <= 624', said(`left = ${left}`));
    if (nextHi !== 0 || nextLo > MERSENNE_STATE_N) fail('set_state', 'state', 'a state with next <= 624', said(`next = ${nextHi * TWO32 + nextLo}`));
    for (let i = 0; i < MERSENNE_STATE_N; i++) {
      if (dv.getUint32(28 + 8 * i, true) !== 0) {
        fail('set_state', 'state', 'state words below 2^32', said(`word ${i} = ${dv.getUint32(28 + 8 * i, true) * TWO32 + dv.getUint32(24 + 8 * i, true)}`));
      }
    }
    const e = this.engine;
    for (let i = 0; i < MERSENNE_STATE_N; i++) e.state[i] = dv.getInt32(24 + 8 * i, true);
    e.seedLo = dv.getUint32(0, true);
    e.seedHi = dv.getUint32(4, true);
    e.left = left;
    e.next = nextLo;
    this.hasNextDoubleNormal = dv.getInt32(5040, true) !== 0;
    this.nextDoubleNormal = this.hasNextDoubleNormal ? dv.getFloat64(5024, true) : 0;
    if (state.length === STATE_SIZE) {
      this.hasNextFloatNormal = state[5052] !== 0;
      this.nextFloatNormal = this.hasNextFloatNormal ? dv.getFloat32(5048, true) : 0;
    } else {
      this.hasNextFloatNormal = false;
      this.nextFloatNormal = 0;
    }
    return this;
  }

  /** One raw 32-bit draw (`CPUGeneratorImpl::random()`), in [0, 2^32). */
  random(): number {
    return this.engine.random();
  }

  /** One raw 64-bit draw (`CPUGeneratorImpl::random64()`: first 32-bit draw is the high word). */
  random64(): bigint {
    const hi = this.engine.random();
    const lo = this.engine.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  // ------------------------------------------------------------------------------------------ uniform

  /**
   * `uniform_(from, to)` / `torch.rand` (from = 0, to = 1) on a contiguous float32 or float64 tensor.
   * Checks as PyTorch: from and to finite and within the dtype's range, from <= to, to - from <= dtype max.
   */
  uniform_fill(out: FloatArray, from = 0, to = 1): void {
    if (!isFloatArray(out)) fail('uniform_fill', 'out', 'a Float32Array or Float64Array', out);
    const f32 = out instanceof Float32Array;
    const max = f32 ? FLT_MAX : Number.MAX_VALUE;
    const dt = f32 ? 'float32' : 'float64';
    if (typeof from !== 'number' || !Number.isFinite(from) || math.abs(from) > max) fail('uniform_fill', 'from', `a finite number within the ${dt} range`, from);
    if (typeof to !== 'number' || !Number.isFinite(to) || math.abs(to) > max) fail('uniform_fill', 'to', `a finite number within the ${dt} range`, to);
    if (!(from <= to)) fail('uniform_fill', 'from', `<= to (${to})`, from);
    if (!(to - from <= max)) fail('uniform_fill', 'to - from', `<= the ${dt} maximum ${max}`, to - from);
    const e = this.engine;
    const n = out.length;
    if (f32) {
      const a = math.fround(from);
      const range = math.fround(math.fround(to) - a);
      if (a === 0 && range === 1) {
        for (let i = 0; i < n; i++) out[i] = (e.nextInt32() & 0xffffff) * TWO_M24;
      } else {
        for (let i = 0; i < n; i++) out[i] = fma32((e.nextInt32() & 0xffffff) * TWO_M24, range, a);
      }
    } else {
      const range = to - from;
      if (from === 0 && range === 1) {
        for (let i = 0; i < n; i++) out[i] = e.random53() * TWO_M53;
      } else {
        for (let i = 0; i < n; i++) out[i] = fma64(e.random53() * TWO_M53, range, from);
      }
    }
  }

  // ------------------------------------------------------------------------------------------- normal

  /** `at::normal_distribution<double>` with the generator's cached second value. */
  private normalDouble(mean: number, std: number): number {
    if (this.hasNextDoubleNormal) {
      this.hasNextDoubleNormal = false;
      return fma64(this.nextDoubleNormal, std, mean);
    }
    const e = this.engine;
    const u1 = e.random53() * TWO_M53;
    const u2 = e.random53() * TWO_M53;
    const r = math.sqrt(-2 * glibcLog(1 - u2));
    glibcSincos(TWO_PI * u1);
    this.nextDoubleNormal = r * sincosOut[0];
    this.hasNextDoubleNormal = true;
    return fma64(r * sincosOut[1], std, mean);
  }

  /**
   * `normal_(mean, std)` / `torch.randn` (mean 0, std 1) on a float32 or float64 tensor.
   * Fewer than 16 elements, or `{ contiguous: false }`: the scalar path (uses and refills the cached
   * normal; PyTorch takes it for every non-contiguous tensor, visiting elements in TensorIterator order,
   * so pass them in that order). 16 or more contiguous elements: the blocked path, which neither reads nor
   * changes the cache. std must be >= 0 (PyTorch's check); mean and std must also be finite here.
   */
  normal_fill(out: FloatArray, mean = 0, std = 1, options?: NormalOptions): void {
    if (!isFloatArray(out)) fail('normal_fill', 'out', 'a Float32Array or Float64Array', out);
    if (typeof mean !== 'number' || !Number.isFinite(mean)) fail('normal_fill', 'mean', 'a finite number', mean);
    if (typeof std !== 'number' || !Number.isFinite(std) || !(std >= 0)) fail('normal_fill', 'std', 'a finite number >= 0', std);
    let contiguous = true;
    if (options !== undefined) {
      if (options === null || typeof options !== 'object') fail('normal_fill', 'options', 'an object { contiguous?: boolean }', options);
      for (const k of Object.keys(options)) if (k !== 'contiguous') fail('normal_fill', 'options', 'an object with only the key "contiguous"', said(`key ${JSON.stringify(k)}`));
      if (options.contiguous !== undefined && typeof options.contiguous !== 'boolean') fail('normal_fill', 'options.contiguous', 'a boolean', options.contiguous);
      contiguous = options.contiguous !== false;
    }
    const n = out.length;
    if (n < 16 || !contiguous) {
      for (let i = 0; i < n; i++) out[i] = this.normalDouble(mean, std);
      return;
    }
    if (out instanceof Float32Array) this.normalFillFloat(out, math.fround(mean), math.fround(std));
    else this.normalFillDouble(out, mean, std);
  }

  /** `normal_fill_AVX2`: float32, n >= 16. */
  private normalFillFloat(out: Float32Array, mean: number, std: number): void {
    const e = this.engine;
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = (e.nextInt32() & 0xffffff) * TWO_M24;
    for (let i = 0; i + 16 <= n; i += 16) normal16Avx2(out, i, mean, std);
    if (n % 16 !== 0) {
      const off = n - 16;
      for (let i = 0; i < 16; i++) out[off + i] = (e.nextInt32() & 0xffffff) * TWO_M24;
      normal16Avx2(out, off, mean, std);
    }
  }

  /** `normal_fill<double>`: float64, n >= 16. */
  private normalFillDouble(out: Float64Array, mean: number, std: number): void {
    const e = this.engine;
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = e.random53() * TWO_M53;
    for (let i = 0; i + 16 <= n; i += 16) normal16Double(out, i, mean, std);
    if (n % 16 !== 0) {
      const off = n - 16;
      for (let i = 0; i < 16; i++) out[off + i] = e.random53() * TWO_M53;
      normal16Double(out, off, mean, std);
    }
  }

  // ------------------------------------------------------------------------------------------ randint

  /**
   * `torch.randint(low, high)` / `random_(low, high)`: integers in [low, high). low and high must be safe
   * integers with low < high, and low and high - 1 must fit the output type (int32; float32: +-2^24;
   * float64: +-2^53; PyTorch only warns for floats out of that range).
   */
  randint_fill(out: RandintArray, low: number, high: number): void {
    if (!(out instanceof Float32Array || out instanceof Float64Array || out instanceof Int32Array)) {
      fail('randint_fill', 'out', 'a Float32Array, Float64Array or Int32Array', out);
    }
    if (typeof low !== 'number' || !Number.isSafeInteger(low)) fail('randint_fill', 'low', 'a safe integer', low);
    if (typeof high !== 'number' || !Number.isSafeInteger(high)) fail('randint_fill', 'high', 'a safe integer', high);
    if (!(low < high)) fail('randint_fill', 'low', `less than high (${high})`, low);
    let lo: number, hi: number, dt: string;
    if (out instanceof Int32Array) [lo, hi, dt] = [-2147483648, 2147483647, 'int32'];
    else if (out instanceof Float32Array) [lo, hi, dt] = [-16777216, 16777216, 'float32 (+-2^24)'];
    else [lo, hi, dt] = [-9007199254740992, 9007199254740992, 'float64 (+-2^53)'];
    if (low < lo || low > hi) fail('randint_fill', 'low', `within the exact integer range of ${dt}`, low);
    if (high - 1 < lo || high - 1 > hi) fail('randint_fill', 'high - 1', `within the exact integer range of ${dt}`, high - 1);
    const e = this.engine;
    const n = out.length;
    const bigRange = BigInt(high) - BigInt(low);
    if (bigRange < 1n << 32n) {
      const range = Number(bigRange);
      for (let i = 0; i < n; i++) out[i] = low + ((e.nextInt32() >>> 0) % range);
    } else {
      // 64-bit draws modulo a range >= 2^32 (rare: only float64 or the full int32 range); BigInt is used
      // only on this path.
      const bl = BigInt(low);
      for (let i = 0; i < n; i++) {
        const h = e.random();
        const l = e.random();
        out[i] = Number(bl + (((BigInt(h) << 32n) | BigInt(l)) % bigRange));
      }
    }
  }

  // ---------------------------------------------------------------------------------------- bernoulli

  /**
   * `torch.bernoulli(p)` (p a float32/float64 array of out's length, or of length 1) and `bernoulli_(p)`
   * with a scalar p; every p must be in [0, 1]. out receives 0 or 1.
   */
  bernoulli_fill(out: BernoulliArray, p: number | FloatArray, options?: BernoulliOptions): void {
    if (!(out instanceof Float32Array || out instanceof Float64Array || out instanceof Uint8Array || out instanceof Int32Array)) {
      fail('bernoulli_fill', 'out', 'a Float32Array, Float64Array, Uint8Array or Int32Array', out);
    }
    let mkl = false;
    if (options !== undefined) {
      if (options === null || typeof options !== 'object') fail('bernoulli_fill', 'options', 'an object { mkl?: boolean }', options);
      for (const k of Object.keys(options)) if (k !== 'mkl') fail('bernoulli_fill', 'options', 'an object with only the key "mkl"', said(`key ${JSON.stringify(k)}`));
      if (options.mkl !== undefined && typeof options.mkl !== 'boolean') fail('bernoulli_fill', 'options.mkl', 'a boolean', options.mkl);
      mkl = options.mkl === true;
    }
    const e = this.engine;
    const n = out.length;
    if (typeof p === 'number') {
      if (!(p >= 0 && p <= 1)) fail('bernoulli_fill', 'p', 'a number in [0, 1]', p);
      if (mkl) {
        // MKL VSL_BRNG_MCG31 seeded with one 32-bit draw; viRngBernoulli ICDF compares the stream's
        // single-precision uniform x / (2^31 - 1) with (float)p.
        let x = e.random() % MCG31_M;
        if (x === 0) x = 1;
        const pf = math.fround(p);
        for (let i = 0; i < n; i++) {
          out[i] = math.fround(x / MCG31_M) < pf ? 1 : 0;
          x = (((MCG31_A_HI * x) % MCG31_M) * 65536 + MCG31_A_LO * x) % MCG31_M;
        }
        return;
      }
      for (let i = 0; i < n; i++) out[i] = e.random53() * TWO_M53 < p ? 1 : 0;
      return;
    }
    if (!isFloatArray(p)) fail('bernoulli_fill', 'p', 'a number or a Float32Array/Float64Array', p);
    if (mkl) fail('bernoulli_fill', 'options.mkl', 'false or absent with a tensor p (MKL is only used for a scalar p)', true);
    if (p.length !== n && p.length !== 1) fail('bernoulli_fill', 'p', `of length ${n} (out's length) or 1`, p);
    const pn = p.length;
    for (let i = 0; i < pn; i++) {
      const v = p[i];
      if (!(v >= 0 && v <= 1)) fail('bernoulli_fill', `p[${i}]`, 'in [0, 1]', v);
    }
    const step = pn === 1 ? 0 : 1;
    if (p instanceof Float32Array) {
      for (let i = 0, j = 0; i < n; i++, j += step) out[i] = (e.nextInt32() & 0xffffff) * TWO_M24 < p[j] ? 1 : 0;
    } else {
      for (let i = 0, j = 0; i < n; i++, j += step) out[i] = e.random53() * TWO_M53 < p[j] ? 1 : 0;
    }
  }

  // ------------------------------------------------------------------------------------------ randperm

  /** `torch.randperm(n)`: a permutation of 0..n-1 (n an integer in [0, 2^31 - 1]). */
  randperm(n: number): Int32Array {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2147483647) {
      fail('randperm', 'n', 'an integer in [0, 2^31 - 1]', n);
    }
    const r = new Int32Array(n);
    const e = this.engine;
    for (let i = 0; i < n; i++) r[i] = i;
    for (let i = 0; i < n - 1; i++) {
      const z = (e.nextInt32() >>> 0) % (n - i);
      const t = r[i];
      r[i] = r[i + z];
      r[i + z] = t;
    }
    return r;
  }
}

/** ATen `normal_fill_16<double>` on `data[off .. off + 16)`. */
function normal16Double(data: Float64Array, off: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[off + j];
    const u2 = data[off + 8 + j];
    const radius = math.sqrt(-2 * glibcLog(u1));
    glibcSincos(TWO_PI * u2);
    data[off + j] = fma64(radius * sincosOut[1], std, mean);
    data[off + 8 + j] = fma64(radius * sincosOut[0], std, mean);
  }
}

/**
 * The process-wide generator (`torch.default_generator`). It starts from 67280421310721 like
 * `torch.Generator()`; PyTorch 1.13 itself seeds its default generator from /dev/urandom at start-up
 * (`torch.initial_seed()` differs per process), so only streams after `manual_seed` are comparable.
 */
export const default_generator = new Generator();
