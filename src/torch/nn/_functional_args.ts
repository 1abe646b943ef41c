/**
 * Argument checks shared by the torch.nn.functional modules (functional.ts, _functional_activations.ts,
 * _functional_losses.ts), and the `inplace=True` switch. Not a torch module; functional.ts is the public F.
 */
import { isFloating } from '../../core/dtype';
import { fail } from '../../core/errors';
import { Tensor } from '../../core/tensor';
import { inplace } from '../../core/ops/inplace';

// ---- helpers ------------------------------------------------------------------------------------------------------------

export function tensorArg(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) fail(fn, arg, 'a Tensor', x);
  return x;
}

export function floatArg(fn: string, arg: string, x: unknown): Tensor {
  const t = tensorArg(fn, arg, x);
  if (!isFloating(t.dtype)) fail(fn, arg, 'a floating point (float32 or float64) tensor', t);
  return t;
}

export function numArg(fn: string, arg: string, v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

export function boolArg(fn: string, arg: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

/** Runs an in-place version through the engine's in-place machinery (autograd rebases onto the result). */
export function maybeInplace(x: Tensor, name: string, inplaceFlag: boolean, f: (s: Tensor) => Tensor): Tensor {
  return inplaceFlag ? inplace(x, name, f) : f(x);
}
