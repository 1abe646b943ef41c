/**
 * The shared part of the brainstate.surrogate port (surrogate.ts re-exports its public name, Surrogate): argument
 * checks, the heaviside_p autograd Function, the base class Surrogate and the built-in bases the families extend.
 */
import * as torch from '../index';
import { pyArgs, pyFloat, type PyRest } from '../nn/modules/module';
import { fail } from './checks';

export type Tensor = torch.Tensor;
type Ctx = torch.autograd.FunctionCtx;

export const MOD = 'brainstate.surrogate';

export function checkX(fn: string, x: unknown): Tensor {
  if (!(x instanceof torch.Tensor)) fail(fn, 'x', 'a Tensor', x);
  if (!x.is_floating_point()) fail(fn, 'x', 'a floating point Tensor (float32 or float64)', x);
  return x;
}

export function num(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

export function int(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(fn, arg, 'an integer (Python range() needs an int)', v);
  return v;
}

/** Python's `a / b` for two Python floats: a zero divisor raises ZeroDivisionError there, so it does here. */
export function pyDiv(fn: string, expr: string, a: number, b: number): number {
  if (b === 0) throw new Error(`${fn}: float division by zero in ${expr} (brainstate raises ZeroDivisionError)`);
  return a / b;
}

/** An argument's value, or its default when not given (null is a value: it fails the type check, as None would fail in Python). */
export const given = (v: unknown, dflt: number): unknown => (v === undefined ? dflt : v);

/** A tensor like x holding v (jnp.where with a Python-float branch keeps x's dtype). */
export const fill = (x: Tensor, v: number): Tensor => torch.full_like(x, v);

/** (x >= 0) in x's dtype (NaN → 0, −0 → 1): one loop for contiguous float data, the tensor ops otherwise. */
function heaviside(x: Tensor): Tensor {
  if (x.is_contiguous() && (x.dtype === 'float32' || x.dtype === 'float64')) {
    const n = x.numel(), b = x.buffer, o = x.offset;
    const out = x.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = b[o + k] >= 0 ? 1 : 0;
    return torch.Tensor.fromBuffer(out, x.shape, x.dtype);
  }
  return x.ge(0).to(x.dtype);
}

/**
 * heaviside_p: forward (x >= 0) as x's dtype; backward cotangent · dx, where dx = surrogate_grad(x) was evaluated by
 * Surrogate.call (brainstate's JVP rule `dx * tx`; dx itself gets no gradient).
 */
class heaviside_p extends torch.autograd.Function {
  static override forward(ctx: Ctx, x: Tensor, dx: Tensor, sg: Surrogate): Tensor {
    if (ctx.needs_input_grad[0]) {
      ctx.save_for_backward(x, dx);
      ctx.surrogate = sg;
    }
    return heaviside(x);
  }

  static override backward(ctx: Ctx, grad: Tensor): (Tensor | null)[] {
    const [x, dx] = ctx.saved_tensors;
    // create_graph (grad mode on during backward): recompute dx with autograd so higher derivatives flow through it
    const d = torch.is_grad_enabled() ? (ctx.surrogate as Surrogate).surrogate_grad(x) : dx;
    return [grad.mul(d), null, null];
  }
}

// ---- the base class -------------------------------------------------------------------------------------------------

/**
 * Surrogate: the base of the surrogate spike functions. Subclass it and implement surrogate_fun and surrogate_grad:
 *
 *     class MySurrogate extends surrogate.Surrogate {
 *       constructor(public alpha = 1.0) { super(); }
 *       override surrogate_fun(x: Tensor) { return x.sin().mul(this.alpha); }
 *       override surrogate_grad(x: Tensor) { return x.cos().mul(this.alpha); }
 *     }
 */
export class Surrogate {
  /** Python's `__call__`: the spike (x >= 0) with surrogate_grad(x) as its gradient. */
  call(x: Tensor): Tensor {
    checkX(`${this.constructor.name}.call`, x);
    if (!(torch.is_grad_enabled() && x.requires_grad) && this._check_grad_parameters()) {
      // no gradient can flow: a built-in skips the elementwise work of surrogate_grad (XLA drops it under jit too)
      return heaviside(x);
    }
    const dx = torch.no_grad(() => this.surrogate_grad(x));
    if (!(dx instanceof torch.Tensor)) fail(`${this.constructor.name}.surrogate_grad`, 'the result', 'a Tensor', dx);
    return heaviside_p.apply(x, dx, this) as Tensor;
  }

  /**
   * @internal Built-in surrogates return true after doing the Python-float arithmetic of their surrogate_grad (so its
   * ZeroDivisionError still raises): their gradient is elementwise in x, and call() may skip it when no gradient can
   * flow. Subclasses written by users keep false: their surrogate_grad always runs, as upstream's __call__ runs it.
   */
  protected _check_grad_parameters(): boolean {
    return false;
  }

  __repr__(): string {
    return `${this.constructor.name}()`;
  }

  toString(): string {
    return this.__repr__();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.__repr__();
  }

  /** The surrogate function (raises NotImplementedError in the base, as upstream). */
  surrogate_fun(x: Tensor): Tensor {
    checkX(`${this.constructor.name}.surrogate_fun`, x);
    throw new Error(`${this.constructor.name}.surrogate_fun: NotImplementedError (brainstate's ${this.constructor.name} defines no surrogate function, only surrogate_grad)`);
  }

  /** The gradient of the surrogate function (raises NotImplementedError in the base, as upstream). */
  surrogate_grad(x: Tensor): Tensor {
    checkX(`${this.constructor.name}.surrogate_grad`, x);
    throw new Error(`${this.constructor.name}.surrogate_grad: NotImplementedError (subclasses of Surrogate implement surrogate_grad)`);
  }
}

/** `alpha=4.0, beta=1.0`: the parameters as brainstate's f-strings print floats. */
export const floats = (pairs: [string, number][]): string => pairs.map(([k, v]) => `${k}=${pyFloat(v)}`).join(', ');

export type A1 = PyRest<[alpha: number | undefined], { alpha?: number }>;

/** The built-in surrogates: surrogate_grad is elementwise in x (see Surrogate._check_grad_parameters). */
export abstract class BuiltinSurrogate extends Surrogate {
  protected override _check_grad_parameters(): boolean {
    return true;
  }
}

/** A surrogate with the single float parameter alpha (most of them). */
export abstract class AlphaSurrogate extends BuiltinSurrogate {
  alpha: number;

  constructor(cls: string, alpha0: number, rest: readonly unknown[]) {
    super();
    const fn = `${MOD}.${cls}`;
    const o = pyArgs(fn, ['alpha'], rest);
    this.alpha = num(fn, 'alpha', given(o.alpha, alpha0));
  }

  override __repr__(): string {
    return `${this.constructor.name}(${floats([['alpha', this.alpha]])})`;
  }
}

/** Constructor arguments of a lowercase function: (x, ...rest) -> the options object for its class. */
export function fnArgs(name: string, names: readonly string[], x: unknown, rest: readonly unknown[]): Record<string, number> {
  const fn = `${MOD}.${name}`;
  checkX(fn, x);
  const o = pyArgs(fn, names, rest);
  const out: Record<string, number> = {};
  for (const k of names) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
