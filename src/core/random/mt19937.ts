/**
 * The 32-bit Mersenne Twister exactly as PyTorch's CPU generator runs it (ATen `at::mt19937`,
 * aten/src/ATen/core/MT19937RNGEngine.h in PyTorch 1.13):
 *
 * - seeding keeps the whole 64-bit seed for `initial_seed()` but initialises the 624-word state from its
 *   low 32 bits with the reference recurrence `s[j] = 1812433253 * (s[j-1] ^ (s[j-1] >> 30)) + j`;
 * - after seeding `left = 1`, `next = 0`, so the first draw regenerates the whole state block;
 * - a draw decrements `left`, regenerates the block when it reaches 0, and tempers `state[next++]`;
 * - a 64-bit draw (`CPUGeneratorImpl::random64`) is two 32-bit draws, the first one the high word.
 *
 * Everything is 32-bit integer arithmetic (`math.imul`, `>>> 0`); no BigInt on the draw path.
 */

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

export const MERSENNE_STATE_N = 624;
export const MERSENNE_STATE_M = 397;
const MATRIX_A = 0x9908b0df | 0;
const UMASK = 0x80000000 | 0;
const LMASK = 0x7fffffff;

/** 2^32 as a number. */
const TWO32 = 4294967296;

export class MT19937 {
  /** The 624-word state vector (words stored as int32 bit patterns; read them with `>>> 0`). */
  readonly state = new Int32Array(MERSENNE_STATE_N);
  /** Low and high 32-bit words of the 64-bit seed this engine was last seeded with. */
  seedLo = 0;
  seedHi = 0;
  /** Draws left in the current block plus one (ATen's `left_`), 1..624. */
  left = 1;
  /** Index of the next state word to temper (ATen's `next_`), 0..624. */
  next = 0;

  /** Seeds from the 64-bit seed `hi * 2^32 + lo` (both unsigned 32-bit words). */
  constructor(seedLo = 5489, seedHi = 0) {
    this.seed(seedLo, seedHi);
  }

  /** ATen `init_with_uint32`: keeps the 64-bit seed, fills the state from its low word. */
  seed(seedLo: number, seedHi: number): void {
    if (!Number.isInteger(seedLo) || seedLo < 0 || seedLo >= TWO32 || !Number.isInteger(seedHi) || seedHi < 0 || seedHi >= TWO32) {
      throw new Error(`MT19937.seed: seedLo and seedHi must be unsigned 32-bit integers, got ${seedLo} and ${seedHi}`);
    }
    this.seedLo = seedLo >>> 0;
    this.seedHi = seedHi >>> 0;
    const s = this.state;
    let prev = this.seedLo | 0;
    s[0] = prev;
    for (let j = 1; j < MERSENNE_STATE_N; j++) {
      prev = (math.imul(1812433253, prev ^ (prev >>> 30)) + j) | 0;
      s[j] = prev;
    }
    this.left = 1;
    this.next = 0;
  }

  /** Regenerates the 624-word block (ATen `next_state`); branch-free twist on int32 words. */
  private nextState(): void {
    const s = this.state;
    this.left = MERSENNE_STATE_N;
    this.next = 0;
    const NM = MERSENNE_STATE_N - MERSENNE_STATE_M;
    let cur = s[0];
    let k = 0;
    for (; k < NM; k++) {
      const nx = s[k + 1];
      const y = (cur & UMASK) | (nx & LMASK);
      s[k] = s[k + MERSENNE_STATE_M] ^ (y >>> 1) ^ (-(nx & 1) & MATRIX_A);
      cur = nx;
    }
    for (; k < MERSENNE_STATE_N - 1; k++) {
      const nx = s[k + 1];
      const y = (cur & UMASK) | (nx & LMASK);
      s[k] = s[k - NM] ^ (y >>> 1) ^ (-(nx & 1) & MATRIX_A);
      cur = nx;
    }
    const nx = s[0];
    const y = (cur & UMASK) | (nx & LMASK);
    s[k] = s[k - NM] ^ (y >>> 1) ^ (-(nx & 1) & MATRIX_A);
  }

  /**
   * One 32-bit draw as its int32 bit pattern (the hot-path form: `& 0xffffff` and `>>> 0` on it are
   * free, and no heap number is made for values >= 2^31).
   */
  nextInt32(): number {
    if (--this.left === 0) this.nextState();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return y ^ (y >>> 18);
  }

  /** One 32-bit draw, as an unsigned integer in [0, 2^32). */
  random(): number {
    return this.nextInt32() >>> 0;
  }

  /**
   * The low 53 bits of a 64-bit draw as an exact integer in [0, 2^53): what `uniform_real_distribution<double>`
   * masks out of `random64()`. Consumes two 32-bit draws (high word first).
   */
  random53(): number {
    const hi = this.nextInt32();
    const lo = this.nextInt32();
    return (hi & 0x1fffff) * TWO32 + (lo >>> 0);
  }

  /** Copies another engine's full state (seed, block, position). */
  copyFrom(other: MT19937): void {
    this.state.set(other.state);
    this.seedLo = other.seedLo;
    this.seedHi = other.seedHi;
    this.left = other.left;
    this.next = other.next;
  }
}
