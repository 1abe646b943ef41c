/** Scalar special functions. erf comes from mathjs (W. J. Cody's rational Chebyshev approximations, double precision). */
import { create, erfDependencies } from 'mathjs';

const math = create({ erfDependencies });
const mathErf = math.erf as (x: number) => number;

export function erf(x: number): number {
  return x !== x ? NaN : mathErf(x);
}

/** 1 - erf(x); absolute (not relative) double accuracy for large positive x, far below float32 resolution. */
export function erfc(x: number): number {
  return x !== x ? NaN : 1 - mathErf(x);
}
