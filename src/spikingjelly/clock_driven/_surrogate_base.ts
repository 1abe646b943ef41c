/**
 * The shared part of spikingjelly.clock_driven.surrogate (not a spikingjelly module): argument checks, heaviside,
 * check_manual_grad, the base classes SurrogateFunctionBase / MultiArgsSurrogateFunctionBase and the autograd
 * Function the one-parameter spike functions share. surrogate.ts re-exports the public names.
 */
import { torch, nn } from '../../index';
import { fail } from '../../torch/utils/checks';
import { pyArgs, pyFloat, type PyRest } from '../../torch/nn/modules/module';

export type Tensor = torch.Tensor;
export type Ctx = torch.autograd.FunctionCtx;
export const AutogradFunction = torch.autograd.Function;

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

export function checkX(fn: string, x: unknown): Tensor {
  if (!(x instanceof torch.Tensor)) fail(fn, 'x', 'a Tensor', x);
  if (!x.is_floating_point()) fail(fn, 'x', 'a floating point Tensor', x);
  return x;
}

export function num(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

export function bool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

/** Python's `s / t` for a float s and a tensor t: torch computes it as t.reciprocal() * s (Tensor.__rtruediv__). */
export const rdiv = (s: number, t: Tensor): Tensor => t.reciprocal().mul(s);

/** heaviside(x) = (x >= 0) as x's dtype: the spike; x = 0 gives 1. */
export function heaviside(x: Tensor): Tensor {
  checkX('surrogate.heaviside', x);
  return x.ge(0).to(x.dtype);
}

/**
 * check_manual_grad(primitive_function, spiking_function, eps = 1e-5): compares the gradient autograd gives for the
 * primitive with the hand-written surrogate gradient on x = arange(-16, 16, 32/8192), alpha = 1.0; throws
 * 'x.grad is wrong!' when they differ by more than eps and prints 'grad check pass' otherwise, as 0.0.0.0.8 does.
 */
export function check_manual_grad(primitive_function: (x: Tensor, alpha: number) => Tensor, spiking_function: (x: Tensor, alpha: number) => Tensor, eps = 1e-5): void {
  const alpha = 1.0;
  const x = torch.arange(-16, 16, 32 / 8192).requires_grad_(true);
  primitive_function(x, alpha).sum().backward();
  const auto = x.grad!.clone();
  x.grad!.zero_();
  spiking_function(x, alpha).sum().backward();
  const manual = x.grad!.clone();
  if (!(manual.sub(auto).abs().max().item() <= eps)) throw new Error('surrogate.check_manual_grad: x.grad is wrong!');
  console.log('grad check pass');
}

// ---- base classes -----------------------------------------------------------------------------------------------------

/** The constructor arguments (alpha = `alpha0`, spiking = true) of a one-parameter surrogate. */
export type AlphaRest = PyRest<[alpha: number | undefined, spiking: boolean | undefined], { alpha?: number; spiking?: boolean }>;

export function alphaArgs(fn: string, rest: readonly unknown[], alpha0: number): [number, boolean] {
  const o = pyArgs(fn, ['alpha', 'spiking'], rest);
  return [num(fn, 'alpha', o.alpha ?? alpha0), bool(fn, 'spiking', o.spiking ?? true)];
}

/**
 * SurrogateFunctionBase(alpha, spiking = true): a surrogate with one shape parameter `alpha`. Subclasses define the
 * static spiking_function(x, alpha) and primitive_function(x, alpha).
 */
export class SurrogateFunctionBase extends nn.Module {
  spiking: boolean;
  alpha: number;

  constructor(alpha: number, spiking: boolean = true) {
    super();
    const fn = `surrogate.${new.target.name}`;
    this.spiking = bool(fn, 'spiking', spiking);
    this.alpha = num(fn, 'alpha', alpha);
  }

  set_spiking_mode(spiking: boolean): void {
    this.spiking = bool(`${this._get_name()}.set_spiking_mode`, 'spiking', spiking);
  }

  override extra_repr(): string {
    return `alpha=${pyFloat(this.alpha)}, spiking=${pyBool(this.spiking)}`;
  }

  static spiking_function(_x: Tensor, _alpha: number): Tensor {
    throw new Error(`surrogate.${this.name}.spiking_function is not implemented`);
  }

  static primitive_function(_x: Tensor, _alpha: number): Tensor {
    throw new Error(`surrogate.${this.name}.primitive_function is not implemented`);
  }

  /** 0.0.0.0.8 generates CUDA source for its cupy neuron kernels; spikeport has no CUDA backend. */
  cuda_code(_x: string, _y: string, _dtype = 'fp32'): string {
    throw new Error(`${this._get_name()}.cuda_code: spikeport has no CUDA/cupy backend (MultiStep neurons run backend='torch')`);
  }

  cuda_code_start_comments(): string {
    return `// start: spikingjelly.clock_driven.surrogate.${this._get_name()}.cuda_code`;
  }

  cuda_code_end_comments(): string {
    return `// end: spikingjelly.clock_driven.surrogate.${this._get_name()}.cuda_code`;
  }

  override forward(x: Tensor): Tensor {
    const C = this.constructor as typeof SurrogateFunctionBase;
    checkX(`${this._get_name()}.forward`, x);
    return this.spiking ? C.spiking_function(x, this.alpha) : C.primitive_function(x, this.alpha);
  }
}

/**
 * MultiArgsSurrogateFunctionBase(spiking, ...args): a surrogate with several shape parameters; subclasses store them
 * and define forward. It has no extra_repr, so these print as `PiecewiseLeakyReLU()`, as in Python.
 */
export class MultiArgsSurrogateFunctionBase extends nn.Module {
  spiking: boolean;

  constructor(spiking: boolean, ..._args: unknown[]) {
    super();
    this.spiking = bool(`surrogate.${new.target.name}`, 'spiking', spiking);
  }

  set_spiking_mode(spiking: boolean): void {
    this.spiking = bool(`${this._get_name()}.set_spiking_mode`, 'spiking', spiking);
  }

  cuda_code(_x: string, _y: string, _dtype = 'fp32'): string {
    throw new Error(`${this._get_name()}.cuda_code: spikeport has no CUDA/cupy backend (MultiStep neurons run backend='torch')`);
  }

  cuda_code_start_comments(): string {
    return `// start: spikingjelly.clock_driven.surrogate.${this._get_name()}.cuda_code`;
  }

  cuda_code_end_comments(): string {
    return `// end: spikingjelly.clock_driven.surrogate.${this._get_name()}.cuda_code`;
  }
}

/** The one-parameter spike functions share this forward: Heaviside, keeping x and alpha for the surrogate backward. */
export abstract class AlphaSpikeFunction extends AutogradFunction {
  static override forward(ctx: Ctx, x: Tensor, alpha: number): Tensor {
    if (x.requires_grad) {
      ctx.save_for_backward(x);
      ctx.alpha = alpha;
    }
    return heaviside(x);
  }
}
