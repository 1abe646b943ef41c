/**
 * spikingjelly.clock_driven.surrogate (release 0.0.0.0.8, commit c14d8ac9), plus five surrogates of later releases.
 *
 * Every surrogate spike function is a Module with two modes:
 *  - spiking = true: the forward is the Heaviside step `heaviside(x) = (x >= 0)` (the boundary x = 0 fires) and the
 *    backward is the surrogate gradient, through a torch.autograd.Function (the lowercase twins below:
 *    `surrogate.sigmoid.apply(x, alpha)`, …);
 *  - spiking = false: the forward is the smooth primitive function whose derivative is the surrogate gradient, and
 *    autograd differentiates it.
 * Defaults are 0.0.0.0.8's (Sigmoid alpha = 1.0; later releases use 4.0). Constructors take Python's arguments in
 * Python's order, positionally or by name in a trailing options object: `new Sigmoid(4.0)`, `new ATan({ alpha: 3 })`.
 *
 * repr: `alpha` prints as a Python float (`Sigmoid(alpha=4.0, spiking=True)`); Python prints `alpha=4` when the user
 * passed the int 4 — TypeScript numbers carry no int/float distinction.
 */
import { torch, nn, F } from '../../index';
import { fail } from '../../torch/utils/checks';
import { pyArgs, pyFloat, type PyRest } from '../../torch/nn/modules/module';

type Tensor = torch.Tensor;
type Ctx = torch.autograd.FunctionCtx;
const AutogradFunction = torch.autograd.Function;

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

function checkX(fn: string, x: unknown): Tensor {
  if (!(x instanceof torch.Tensor)) fail(fn, 'x', 'a Tensor', x);
  if (!x.is_floating_point()) fail(fn, 'x', 'a floating point Tensor', x);
  return x;
}

function num(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

function bool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

/** Python's `s / t` for a float s and a tensor t: torch computes it as t.reciprocal() * s (Tensor.__rtruediv__). */
const rdiv = (s: number, t: Tensor): Tensor => t.reciprocal().mul(s);

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
type AlphaRest = PyRest<[alpha: number | undefined, spiking: boolean | undefined], { alpha?: number; spiking?: boolean }>;

function alphaArgs(fn: string, rest: readonly unknown[], alpha0: number): [number, boolean] {
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

// ---- PiecewiseQuadratic ---------------------------------------------------------------------------------------------------

/** The one-parameter spike functions share this forward: Heaviside, keeping x and alpha for the surrogate backward. */
abstract class AlphaSpikeFunction extends AutogradFunction {
  static override forward(ctx: Ctx, x: Tensor, alpha: number): Tensor {
    if (x.requires_grad) {
      ctx.save_for_backward(x);
      ctx.alpha = alpha;
    }
    return heaviside(x);
  }
}

/**
 * piecewise_quadratic: Heaviside forward; backward grad · (alpha − alpha²·|x|) for |x| <= 1/alpha, else 0.
 * QUIRK: 0.0.0.0.8's forward calls ctx.save_for_backward(x, alpha) with the float alpha, so any forward whose input
 * requires grad raises TypeError ("save_for_backward can only save variables, but argument 1 is of type float"), and
 * its backward reads ctx.alpha, which it never sets. spikeport implements the intended formula instead (saves x,
 * keeps alpha on ctx): the exact derivative of PiecewiseQuadratic's primitive, and what later releases (0.0.0.0.14's
 * piecewise_quadratic_backward) compute. Forward values are 0.0.0.0.8's.
 */
export class piecewise_quadratic extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) {
      const x_abs = ctx.saved_tensors[0].abs();
      const mask = x_abs.gt(1 / ctx.alpha);
      grad_x = grad_output.mul(x_abs.mul(-(ctx.alpha ** 2)).add(ctx.alpha)).masked_fill(mask, 0);
    }
    return [grad_x, null];
  }
}

/** PiecewiseQuadratic(alpha = 1.0, spiking = true): primitive 0 / −(α²/2)·x²·sign(x) + αx + ½ / 1, pieces at ±1/α. */
export class PiecewiseQuadratic extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.PiecewiseQuadratic', rest, 1.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return piecewise_quadratic.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    const mask0 = x.gt(1.0 / alpha).to(x.dtype);
    const mask1 = x.abs().le(1.0 / alpha).to(x.dtype);
    return mask0.add(mask1.mul(x.square().mul(-(alpha ** 2) / 2).mul(x.sign()).add(x.mul(alpha)).add(0.5)));
  }
}

// ---- PiecewiseExp --------------------------------------------------------------------------------------------------------

/** piecewise_exp: backward grad · (α/2)·exp(−α|x|). */
export class piecewise_exp extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) grad_x = ctx.saved_tensors[0].abs().mul(-ctx.alpha).exp().mul(ctx.alpha / 2).mul(grad_output);
    return [grad_x, null];
  }
}

/** PiecewiseExp(alpha = 1.0, spiking = true): primitive ½·exp(αx) for x < 0, 1 − ½·exp(−αx) for x >= 0. */
export class PiecewiseExp extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.PiecewiseExp', rest, 1.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return piecewise_exp.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    const mask_nonnegative = heaviside(x);
    const mask_sign = mask_nonnegative.mul(2).sub(1);
    const exp_x = mask_sign.mul(x).mul(-alpha).exp().div(2);
    return mask_nonnegative.sub(exp_x.mul(mask_sign));
  }
}

// ---- Sigmoid -----------------------------------------------------------------------------------------------------------------

/** sigmoid: backward grad · (1 − σ(αx))·σ(αx)·α. */
export class sigmoid extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) {
      const sgax = ctx.saved_tensors[0].mul(ctx.alpha).sigmoid();
      grad_x = grad_output.mul(sgax.rsub(1)).mul(sgax).mul(ctx.alpha);
    }
    return [grad_x, null];
  }
}

/** Sigmoid(alpha = 1.0, spiking = true): primitive σ(αx). 0.0.0.0.8's default alpha is 1.0 (4.0 from 2021-12-21 on). */
export class Sigmoid extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.Sigmoid', rest, 1.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return sigmoid.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    return x.mul(alpha).sigmoid();
  }
}

// ---- SoftSign --------------------------------------------------------------------------------------------------------------------

/** soft_sign: backward grad / (2α·(1/α + |x|)²). */
export class soft_sign extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) grad_x = grad_output.div(ctx.saved_tensors[0].abs().add(1 / ctx.alpha).pow(2).mul(2 * ctx.alpha));
    return [grad_x, null];
  }
}

/** SoftSign(alpha = 2.0, spiking = true): primitive (softsign(αx) + 1)/2; alpha must be > 0 (Python asserts it). */
export class SoftSign extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) {
    super(...alphaArgs('surrogate.SoftSign', rest, 2.0));
    if (!(this.alpha > 0)) throw new Error(`surrogate.SoftSign: alpha must be lager than 0, got ${this.alpha}`);
  }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return soft_sign.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    const y = x.mul(alpha);
    // F.softsign(y) = y / (|y| + 1), as torch 1.13 composes it
    return y.div(y.abs().add(1)).add(1).div(2);
  }
}

// ---- ATan -------------------------------------------------------------------------------------------------------------------------

/** atan: backward (α/2) / (1 + (π/2·α·x)²) · grad. */
export class atan extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) {
      grad_x = rdiv(ctx.alpha / 2, ctx.saved_tensors[0].mul(Math.PI / 2 * ctx.alpha).pow(2).add(1)).mul(grad_output);
    }
    return [grad_x, null];
  }
}

/** ATan(alpha = 2.0, spiking = true): primitive atan(π/2·α·x)/π + ½. */
export class ATan extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.ATan', rest, 2.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return atan.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    return x.mul(Math.PI / 2 * alpha).atan().div(Math.PI).add(0.5);
  }
}

// ---- NonzeroSignLogAbs ------------------------------------------------------------------------------------------------------------

/** nonzero_sign_log_abs: backward grad / (1/α + |x|). */
export class nonzero_sign_log_abs extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) grad_x = grad_output.div(ctx.saved_tensors[0].abs().add(1 / ctx.alpha));
    return [grad_x, null];
  }
}

/**
 * NonzeroSignLogAbs(alpha = 1.0, spiking = true): primitive s·log(α·s·x + 1) with s = sign of x and sign(0) = +1
 * (written with the mask s rather than |x| so that autograd's derivative at x = 0 is alpha, as upstream notes).
 */
export class NonzeroSignLogAbs extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.NonzeroSignLogAbs', rest, 1.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return nonzero_sign_log_abs.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    const mask_p = heaviside(x).mul(2).sub(1);
    return mask_p.mul(mask_p.mul(alpha).mul(x).add(1).log());
  }
}

// ---- Erf ----------------------------------------------------------------------------------------------------------------------------

/** erf: backward grad · exp(−(αx)²) · α/√π. */
export class erf extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) grad_x = grad_output.mul(ctx.saved_tensors[0].mul(ctx.alpha).pow(2).neg().exp()).mul(ctx.alpha / Math.sqrt(Math.PI));
    return [grad_x, null];
  }
}

/** Erf(alpha = 2.0, spiking = true): primitive erfc(−αx)/2. */
export class Erf extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.Erf', rest, 2.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return erf.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    return x.mul(-alpha).erfc().div(2);
  }
}

// ---- PiecewiseLeakyReLU ----------------------------------------------------------------------------------------------------------------

/**
 * piecewise_leaky_relu(x, w = 1, c = 0.01): backward grad · (1/w for |x| < w, c otherwise).
 * QUIRK (kept): the primitive's slope inside [−w, w] is 1/(2w), so this gradient is twice the primitive's derivative
 * there, and at |x| = w exactly it is c while the primitive's autograd derivative is 1/(2w). 0.0.0.0.8 (and
 * 0.0.0.0.14) compute exactly this; the fixtures record both.
 */
export class piecewise_leaky_relu extends AutogradFunction {
  static override forward(ctx: Ctx, x: Tensor, w: number = 1, c: number = 0.01): Tensor {
    if (x.requires_grad) {
      ctx.save_for_backward(x);
      ctx.w = w;
      ctx.c = c;
    }
    return heaviside(x);
  }

  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    if (ctx.needs_input_grad[0]) {
      const x = ctx.saved_tensors[0];
      const mask_width = x.abs().lt(ctx.w);
      const mask_c = mask_width.logical_not();
      grad_x = grad_output.mul(x.masked_fill(mask_width, 1 / ctx.w).masked_fill(mask_c, ctx.c));
    }
    return [grad_x, null, null];
  }
}

/**
 * PiecewiseLeakyReLU(w = 1., c = 0.01, spiking = true): primitive c·x + c·w for x < −w, x/(2w) + ½ on [−w, w],
 * c·x + 1 − c·w for x > w (without the outer pieces when c == 0); w must be > 0.
 * QUIRK (kept): the function is chosen once, in the constructor (`self.f`), so set_spiking_mode() changes the
 * `spiking` flag but not what forward computes, exactly as in 0.0.0.0.8.
 */
export class PiecewiseLeakyReLU extends MultiArgsSurrogateFunctionBase {
  w: number;
  c: number;
  f: (x: Tensor, w: number, c: number) => Tensor;

  constructor(...rest: PyRest<[w: number | undefined, c: number | undefined, spiking: boolean | undefined], { w?: number; c?: number; spiking?: boolean }>) {
    const fn = 'surrogate.PiecewiseLeakyReLU';
    const o = pyArgs(fn, ['w', 'c', 'spiking'], rest);
    const spiking = bool(fn, 'spiking', o.spiking ?? true);
    super(spiking);
    const w = num(fn, 'w', o.w ?? 1.0);
    if (!(w > 0)) throw new Error(`${fn}: w must be > 0, got ${w}`);
    this.w = w;
    this.c = num(fn, 'c', o.c ?? 0.01);
    this.spiking = spiking;
    this.f = spiking ? PiecewiseLeakyReLU.spiking_function : PiecewiseLeakyReLU.primitive_function;
  }

  override forward(x: Tensor): Tensor {
    checkX('PiecewiseLeakyReLU.forward', x);
    return this.f(x, this.w, this.c);
  }

  static spiking_function(x: Tensor, w: number, c: number): Tensor {
    return piecewise_leaky_relu.apply(x, w, c);
  }

  static primitive_function(x: Tensor, w: number, c: number): Tensor {
    const mask0 = x.lt(-w).to(x.dtype);
    const mask1 = x.gt(w).to(x.dtype);
    const mask2 = torch.ones_like(x.detach()).sub(mask0).sub(mask1);
    if (c === 0) return mask2.mul(x.div(2 * w).add(1 / 2)).add(mask1);
    const cw = c * w;
    return mask0.mul(x.mul(c).add(cw)).add(mask1.mul(x.mul(c).add(-cw + 1))).add(mask2.mul(x.div(2 * w).add(1 / 2)));
  }
}

// ---- SquarewaveFourierSeries ---------------------------------------------------------------------------------------------------------------

/** squarewave_fourier_series(x, n, T_period): backward grad · (4/T)·Σ_{i=1}^{n−1} cos((2i−1)·(2π/T)·x). */
export class squarewave_fourier_series extends AutogradFunction {
  static override forward(ctx: Ctx, x: Tensor, n: number, T_period: number): Tensor {
    if (x.requires_grad) {
      ctx.save_for_backward(x);
      ctx.n = n;
      ctx.T_period = T_period;
    }
    return heaviside(x);
  }

  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    const x = ctx.saved_tensors[0];
    const w = Math.PI * 2 / ctx.T_period;
    let grad_x: Tensor | null = null; // Python starts from the float 0.
    for (let i = 1; i < ctx.n; i++) {
      const term = x.mul((2 * i - 1) * w).cos();
      grad_x = grad_x === null ? term : grad_x.add(term);
    }
    if (grad_x === null) return [grad_output.mul(0), null, null]; // n <= 1: 0. * grad_output
    return [grad_x.mul(4 / ctx.T_period).mul(grad_output), null, null];
  }
}

/**
 * SquarewaveFourierSeries(n = 2, T_period = 8, spiking = true): primitive ½ + (2/π)·Σ_{i=1}^{n−1} sin((2i−1)ωx)/(2i−1),
 * ω = 2π/T_period. n must be an integer and T_period > 0. Like PiecewiseLeakyReLU, the function is fixed at
 * construction (set_spiking_mode does not switch it).
 */
export class SquarewaveFourierSeries extends MultiArgsSurrogateFunctionBase {
  n: number;
  T_period: number;
  f: (x: Tensor, n: number, T_period: number) => Tensor;

  constructor(...rest: PyRest<[n: number | undefined, T_period: number | undefined, spiking: boolean | undefined], { n?: number; T_period?: number; spiking?: boolean }>) {
    const fn = 'surrogate.SquarewaveFourierSeries';
    const o = pyArgs(fn, ['n', 'T_period', 'spiking'], rest);
    const spiking = bool(fn, 'spiking', o.spiking ?? true);
    super(spiking);
    const n = o.n ?? 2;
    if (typeof n !== 'number' || !Number.isInteger(n)) fail(fn, 'n', 'an integer', n);
    const T = num(fn, 'T_period', o.T_period ?? 8);
    if (!(T > 0)) throw new Error(`${fn}: T_period must be > 0, got ${T}`);
    this.n = n;
    this.T_period = T;
    this.spiking = spiking;
    this.f = spiking ? SquarewaveFourierSeries.spiking_function : SquarewaveFourierSeries.primitive_function;
  }

  override forward(x: Tensor): Tensor {
    checkX('SquarewaveFourierSeries.forward', x);
    return this.f(x, this.n, this.T_period);
  }

  static spiking_function(x: Tensor, n: number, T_period: number): Tensor {
    return squarewave_fourier_series.apply(x, n, T_period);
  }

  static primitive_function(x: Tensor, n: number, T_period: number): Tensor {
    const w = Math.PI * 2 / T_period;
    let ret = torch.zeros_like(x.detach());
    for (let i = 1; i < n; i++) {
      const c = 2 * i - 1;
      ret = ret.add(x.mul(c * w).sin().div(c));
    }
    return ret.mul(2 / Math.PI).add(0.5);
  }
}

// ---- surrogates of later releases -------------------------------------------------------------------------------------------------------
// Not in 0.0.0.0.8. Formulas from spikingjelly release 0.0.0.0.14 (commit 29413301, 2023-03-19,
// spikingjelly/activation_based/surrogate.py), the first release holding all five; defaults are that release's.

/** s2nn (from 0.0.0.0.14): backward grad · (α·σ(αx)·(1 − σ(αx)) for x < 0, β/(x + 1) for x >= 0). */
export class s2nn extends AutogradFunction {
  static override forward(ctx: Ctx, x: Tensor, alpha: number, beta: number): Tensor {
    if (x.requires_grad) {
      ctx.save_for_backward(x);
      ctx.alpha = alpha;
      ctx.beta = beta;
    }
    return heaviside(x);
  }

  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    const x = ctx.saved_tensors[0];
    const sgax = x.mul(ctx.alpha).sigmoid();
    const grad_x = torch.where(x.lt(0), sgax.mul(ctx.alpha).mul(sgax.rsub(1)), rdiv(ctx.beta, x.add(1)));
    return [grad_x.mul(grad_output), null, null];
  }
}

/**
 * S2NN(alpha = 4., beta = 1., spiking = true) (from 0.0.0.0.14): primitive σ(αx) for x < 0, β·log(|x + 1| + 1e-5) + ½
 * for x >= 0. The spiking flag is read at every call (unlike 0.0.0.0.8's multi-argument surrogates).
 */
export class S2NN extends MultiArgsSurrogateFunctionBase {
  alpha: number;
  beta: number;

  constructor(...rest: PyRest<[alpha: number | undefined, beta: number | undefined, spiking: boolean | undefined], { alpha?: number; beta?: number; spiking?: boolean }>) {
    const fn = 'surrogate.S2NN';
    const o = pyArgs(fn, ['alpha', 'beta', 'spiking'], rest);
    const spiking = bool(fn, 'spiking', o.spiking ?? true);
    super(spiking);
    this.alpha = num(fn, 'alpha', o.alpha ?? 4.0);
    this.beta = num(fn, 'beta', o.beta ?? 1.0);
    this.spiking = spiking;
  }

  override forward(x: Tensor): Tensor {
    checkX('S2NN.forward', x);
    const f = this.spiking ? S2NN.spiking_function : S2NN.primitive_function;
    return f(x, this.alpha, this.beta);
  }

  static spiking_function(x: Tensor, alpha: number, beta: number): Tensor {
    return s2nn.apply(x, alpha, beta);
  }

  static primitive_function(x: Tensor, alpha: number, beta: number): Tensor {
    return torch.where(x.lt(0), x.mul(alpha).sigmoid(), x.add(1).abs().add(1e-5).log().mul(beta).add(0.5));
  }
}

/** q_pseudo_spike (from 0.0.0.0.14): backward grad · (1 + 2|x|/(α − 1))^(−α). */
export class q_pseudo_spike extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    let grad_x: Tensor | null = null;
    const x = ctx.saved_tensors[0];
    if (ctx.needs_input_grad[0]) grad_x = x.abs().mul(2 / (ctx.alpha - 1)).add(1).pow(-ctx.alpha).mul(grad_output);
    return [grad_x, null];
  }
}

/** QPseudoSpike(alpha = 2.0, spiking = true) (from 0.0.0.0.14): primitive H(x) − s·½·(1 + 2·s·x/(α − 1))^(1 − α), s = ±1. */
export class QPseudoSpike extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.QPseudoSpike', rest, 2.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return q_pseudo_spike.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    const mask_nonnegative = heaviside(x);
    const mask_sign = mask_nonnegative.mul(2).sub(1);
    return mask_nonnegative.sub(mask_sign.mul(x.mul(2 / (alpha - 1)).mul(mask_sign).add(1).pow(1 - alpha).mul(0.5)));
  }
}

/** leaky_k_relu (from 0.0.0.0.14): backward grad · (k for x >= 0, leak for x < 0). */
export class leaky_k_relu extends AutogradFunction {
  static override forward(ctx: Ctx, x: Tensor, leak: number, k: number): Tensor {
    if (x.requires_grad) {
      ctx.save_for_backward(x);
      ctx.leak = leak;
      ctx.k = k;
    }
    return heaviside(x);
  }

  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    const x = ctx.saved_tensors[0];
    const mask1 = x.ge(0).to(x.dtype);
    const grad_x = mask1.mul(ctx.k).add(mask1.rsub(1).mul(ctx.leak));
    return [grad_output.mul(grad_x), null, null];
  }
}

/**
 * LeakyKReLU(spiking = true, leak = 0., k = 1.) (from 0.0.0.0.14; note `spiking` comes first): primitive
 * (leak for x < 0, k for x >= 0)·x — a leaky ReLU, not a smoothed step.
 */
export class LeakyKReLU extends MultiArgsSurrogateFunctionBase {
  leak: number;
  k: number;

  constructor(...rest: PyRest<[spiking: boolean | undefined, leak: number | undefined, k: number | undefined], { spiking?: boolean; leak?: number; k?: number }>) {
    const fn = 'surrogate.LeakyKReLU';
    const o = pyArgs(fn, ['spiking', 'leak', 'k'], rest);
    const spiking = bool(fn, 'spiking', o.spiking ?? true);
    const leak = num(fn, 'leak', o.leak ?? 0.0);
    const k = num(fn, 'k', o.k ?? 1.0);
    super(spiking, leak, k);
    this.leak = leak;
    this.k = k;
  }

  static spiking_function(x: Tensor, leak: number, k: number): Tensor {
    return leaky_k_relu.apply(x, leak, k);
  }

  static primitive_function(x: Tensor, leak: number, k: number): Tensor {
    const mask1 = x.ge(0).to(x.dtype);
    return mask1.rsub(1).mul(leak).add(mask1.mul(k)).mul(x);
  }

  /** The surrogate gradient as a plain function (0.0.0.0.14's LeakyKReLU.backward). */
  static backward(grad_output: Tensor, x: Tensor, leak: number, k: number): Tensor {
    const mask1 = x.ge(0).to(x.dtype);
    return grad_output.mul(mask1.mul(k).add(mask1.rsub(1).mul(leak)));
  }

  override forward(x: Tensor): Tensor {
    checkX('LeakyKReLU.forward', x);
    const f = this.spiking ? LeakyKReLU.spiking_function : LeakyKReLU.primitive_function;
    return f(x, this.leak, this.k);
  }
}

/** The gradient of fake_numerical_gradient: grad · min(s/x, α), s = +1 for x >= 0, −1 for x < 0. */
function fakeNumericalGrad(grad_output: Tensor, x: Tensor, alpha: number): Tensor {
  const grad_x = x.ge(0).to(x.dtype).mul(2).sub(1).div(x).clamp_max(alpha);
  return grad_output.mul(grad_x);
}

/** fake_numerical_gradient (from 0.0.0.0.14): backward grad · min(sign(x)/x, α) (x = 0 gives α). */
export class fake_numerical_gradient extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    return [fakeNumericalGrad(grad_output, ctx.saved_tensors[0], ctx.alpha), null];
  }
}

/**
 * FakeNumericalGradient(alpha = 0.3) (from 0.0.0.0.14; experimental upstream): spiking only — it has no primitive
 * function, so set_spiking_mode(false) makes forward throw, as upstream raises NotImplementedError.
 */
export class FakeNumericalGradient extends SurrogateFunctionBase {
  constructor(...rest: PyRest<[alpha: number | undefined], { alpha?: number }>) {
    const fn = 'surrogate.FakeNumericalGradient';
    const o = pyArgs(fn, ['alpha'], rest);
    super(num(fn, 'alpha', o.alpha ?? 0.3), true);
  }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return fake_numerical_gradient.apply(x, alpha);
  }

  /** The surrogate gradient as a plain function (0.0.0.0.14's FakeNumericalGradient.backward). */
  static backward(grad_output: Tensor, x: Tensor, alpha: number): Tensor {
    return fakeNumericalGrad(grad_output, x, alpha);
  }
}

/** The gradient of log_tailed_relu: grad · (α for x <= 0, 1 on (0, 1], 1/x for x > 1). */
function logTailedGrad(grad_output: Tensor, x: Tensor, alpha: number): Tensor {
  const grad_x = torch.where(x.gt(1), x.reciprocal(), torch.ones_like(grad_output)).masked_fill(x.le(0), alpha);
  return grad_output.mul(grad_x);
}

/** log_tailed_relu (from 0.0.0.0.14): backward grad · (α for x <= 0, 1 on (0, 1], 1/x for x > 1). */
export class log_tailed_relu extends AlphaSpikeFunction {
  static override backward(ctx: Ctx, grad_output: Tensor): (Tensor | null)[] {
    return [logTailedGrad(grad_output, ctx.saved_tensors[0], ctx.alpha), null];
  }
}

/**
 * LogTailedReLU(alpha = 0., spiking = true) (from 0.0.0.0.14): primitive leaky_relu(x, α) for x <= 1, log(x) + 1 for
 * x > 1. QUIRK (kept): upstream blends the pieces with masks, mask·(log(x) + 1), so the primitive is NaN for x <= 0
 * (0·NaN, 0·−inf); the recorded fixtures hold those NaNs.
 */
export class LogTailedReLU extends SurrogateFunctionBase {
  constructor(...rest: AlphaRest) { super(...alphaArgs('surrogate.LogTailedReLU', rest, 0.0)); }

  static override spiking_function(x: Tensor, alpha: number): Tensor {
    return log_tailed_relu.apply(x, alpha);
  }

  static override primitive_function(x: Tensor, alpha: number): Tensor {
    const mask_ge1 = x.gt(1).to(x.dtype);
    return mask_ge1.rsub(1).mul(F.leaky_relu(x, alpha)).add(mask_ge1.mul(x.log().add(1)));
  }

  /** The surrogate gradient as a plain function (0.0.0.0.14's LogTailedReLU.backward). */
  static backward(grad_output: Tensor, x: Tensor, alpha: number): Tensor {
    return logTailedGrad(grad_output, x, alpha);
  }
}
