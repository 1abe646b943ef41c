/**
 * brainpy.math.others (BrainPy 2.x): `bm.exprel`, the relative error exponential (exp(z) - 1) / z used by the
 * exponential Euler integrator (`method='exp_auto'`).
 *
 * BrainPy evaluates it in the dtype of its argument (float32 by default): `1 + z/2 + z²/6` when |z| <= 1e-5 (1e-8 for
 * float64), otherwise `(exp(z) - 1) / z` — with `exp`, not `expm1`, so in float32 the subtraction loses digits. The
 * float32 variant below reproduces that rounding step by step (each intermediate rounded with Math.fround).
 */

/** exprel(z) as BrainPy computes it in float32 (z is rounded to float32 first). */
export function exprel_f32(z: number): number {
  const zf = Math.fround(z);
  if (Math.abs(zf) <= 1e-5) return Math.fround(1 + zf / 2 + (zf * zf) / 6);
  const e = Math.fround(Math.exp(zf));
  return Math.fround(Math.fround(e - 1) / zf);
}

/** exprel(z) in float64 (threshold 1e-8, as BrainPy with x64 enabled). */
export function exprel_f64(z: number): number {
  if (Math.abs(z) <= 1e-8) return 1 + z / 2 + (z * z) / 6;
  return (Math.exp(z) - 1) / z;
}

/** bm.exprel(x) for a number (float32 semantics, BrainPy's default dtype). */
export function exprel(x: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new Error(`bm.exprel: x must be a number, got ${typeof x === 'number' ? 'NaN' : typeof x}`);
  return exprel_f32(x);
}
