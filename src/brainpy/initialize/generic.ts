/**
 * brainpy.initialize.generic: `parameter(param, sizes, allow_none=True, allow_scalar=True, sharding=None)`.
 *
 * - null → null (allow_none) or an error;
 * - a number or boolean → returned as is when allow_scalar (BrainPy broadcasts it later);
 * - an Initializer → `param.call(sizes)`; a function → `param(sizes)` (BrainPy jit-compiles it; here it is called),
 *   returned without a shape check, as BrainPy does;
 * - a Tensor → returned when its shape equals `sizes` (or, with allow_scalar, when it is 0-d or has shape [1]),
 *   otherwise an error naming both shapes.
 * `sharding` is accepted for porting and ignored (one CPU device).
 */
import * as torch from '../../torch';
import { fail } from '../../torch/utils/checks';
import { pyArgs, type PyRest } from '../../torch/utils/checks';
import { Initializer } from './base';

type Tensor = torch.Tensor;

export type ParamLike = Initializer | Tensor | number | boolean | ((shape: number[]) => Tensor) | null | undefined;

export interface ParameterOptions { allow_none?: boolean; allow_scalar?: boolean; sharding?: unknown }

/** brainpy.tools.to_size: int → [int], sequence → array. */
function toSize(fn: string, sizes: unknown): number[] {
  const s = typeof sizes === 'number' ? [sizes] : Array.isArray(sizes) ? sizes.slice() : null;
  if (!s || !s.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) return fail(fn, 'sizes', 'a non-negative integer or a sequence of them', sizes);
  return s as number[];
}

export function parameter(param: ParamLike, sizes: number | readonly number[], ...rest: PyRest<[boolean, boolean, unknown], ParameterOptions>): Tensor | number | boolean | null {
  const fn = 'bp.init.parameter';
  const a = pyArgs(fn, ['allow_none', 'allow_scalar', 'sharding'], rest);
  const allow_none = a.allow_none ?? true, allow_scalar = a.allow_scalar ?? true;
  if (typeof allow_none !== 'boolean') fail(fn, 'allow_none', 'a boolean', allow_none);
  if (typeof allow_scalar !== 'boolean') fail(fn, 'allow_scalar', 'a boolean', allow_scalar);
  if (param === null || param === undefined) {
    if (allow_none) return null;
    throw new Error(`${fn}: Expect a parameter with type of float, ArrayType, Initializer, or Callable function, but we got None.`);
  }
  const shape = toSize(fn, sizes);
  if (allow_scalar && (typeof param === 'number' || typeof param === 'boolean')) return param;
  // BrainPy returns what an initializer or function gives without checking its shape
  if (param instanceof Initializer) return param.call(shape);
  if (typeof param === 'function') return param(shape.slice());
  if (!(param instanceof torch.Tensor)) return fail(fn, 'param', 'null, a number, a Tensor, an Initializer or a function of the shape', param);
  const out = param;
  if (allow_scalar && (out.ndim === 0 || (out.ndim === 1 && out.shape[0] === 1))) return out;
  if (out.shape.join() !== shape.join() || out.ndim !== shape.length) {
    throw new Error(`${fn}: The shape of the parameters should be [${shape.join(', ')}], but we got [${out.shape.join(', ')}]`);
  }
  return out;
}
