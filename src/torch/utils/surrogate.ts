/**
 * The surrogate-gradient spike functions of brainstate.surrogate (brainstate 0.1.0), which BrainPy 2.8 also uses
 * (its neurons' default spk_fun is braintools' InvSquareGrad, the same classes). Shared by the upstream-API folders:
 * src/brainstate/surrogate.ts and src/brainpy/math/surrogate.ts (bm.surrogate) re-export this module.
 *
 *     import brainstate as bst                          (Python)
 *     bst.surrogate.sigmoid(v - v_th, 4.)
 *     spk_fun = bst.surrogate.ReluGrad(width=0.5)
 *
 *     import { surrogate } from 'spikeport/brainstate'; (TypeScript)
 *     surrogate.sigmoid(v.sub(v_th), 4.0)
 *     const spk_fun = new surrogate.ReluGrad({ width: 0.5 })
 *
 * Every class derives from Surrogate and has
 *  - `call(x)` (Python's `__call__`): the Heaviside step `x >= 0` (so 0 and -0 fire) in x's dtype, whose gradient is
 *    `cotangent * surrogate_grad(x)`: brainstate binds its `heaviside_p` primitive to (x, surrogate_grad(x)) with the
 *    JVP rule `dx * tx`; here a torch.autograd.Function does the same. surrogate_grad(x) is evaluated when call(x) runs,
 *    as in brainstate (so its parameter errors raise there); under `create_graph` the backward re-evaluates it with
 *    autograd on, so second derivatives see d(surrogate_grad)/dx as JAX's do. When no gradient can flow
 *    (torch.no_grad, or x not requiring grad) the built-in classes skip the elementwise work of surrogate_grad, as
 *    XLA's dead-code elimination does under jit, but still raise its parameter errors; user subclasses always run it;
 *  - `surrogate_grad(x)`: the gradient the backward uses;
 *  - `surrogate_fun(x)`: the smooth function behind it ("origin" in the docs) — not defined by ReluGrad, GaussianGrad,
 *    MultiGaussianGrad, InvSquareGrad, SlayerGrad (the base raises NotImplementedError, as upstream), and Arctan's
 *    raises TypeError, as upstream's does;
 *  - `__repr__()` / `toString()`: Python's repr, parameters as `__repr__` prints them (`Sigmoid(alpha=4.0)`).
 * The lowercase functions (`sigmoid(x, alpha = 4.)`, …) build the class and call it.
 *
 * The formulas are brainstate 0.1.0's exactly, including where surrogate_grad is NOT the derivative of surrogate_fun
 * (each such spot carries a "QUIRK:" comment): PiecewiseQuadratic, ERF, PiecewiseLeakyRelu, QPseudoSpike, and S2NN
 * (only through its epsilon). GaussianGrad's exponent is -(x²/2)·σ², not -x²/(2σ²).
 *
 * Arguments are Python's, positionally or by name in a trailing options object: `new S2NN(8.0, { epsilon: 1e-6 })`.
 * Parameters must be numbers (not NaN); SquarewaveFourierSeries' n an integer (Python's range() needs one). Where
 * brainstate divides two Python floats (1 / alpha, 2 / (alpha - 1), …) a zero divisor raises, naming Python's
 * ZeroDivisionError, in the method that divides; divisions of arrays give ±inf / NaN as in JAX.
 *
 * repr: float parameters print as Python floats (`alpha=4.0`, `epsilon=1e-08`); Python prints `alpha=4` when given the
 * int 4 — TypeScript numbers carry no int/float distinction. n prints as an int.
 *
 * dtypes: float32 and float64 inputs are computed in their own dtype, as JAX does with its weakly typed Python-float
 * parameters (float64 being JAX with jax_enable_x64). Surrogate is a plain class, as upstream's (`class Surrogate(object)`).
 */
import * as torch from '../index';
import { pyArgs, pyFloat, type PyRest } from '../nn/modules/module';
import { fail } from './checks';

type Tensor = torch.Tensor;
type Ctx = torch.autograd.FunctionCtx;

const MOD = 'brainstate.surrogate';

function checkX(fn: string, x: unknown): Tensor {
  if (!(x instanceof torch.Tensor)) fail(fn, 'x', 'a Tensor', x);
  if (!x.is_floating_point()) fail(fn, 'x', 'a floating point Tensor (float32 or float64)', x);
  return x;
}

function num(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

function int(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(fn, arg, 'an integer (Python range() needs an int)', v);
  return v;
}

/** Python's `a / b` for two Python floats: a zero divisor raises ZeroDivisionError there, so it does here. */
function pyDiv(fn: string, expr: string, a: number, b: number): number {
  if (b === 0) throw new Error(`${fn}: float division by zero in ${expr} (brainstate raises ZeroDivisionError)`);
  return a / b;
}

/** An argument's value, or its default when not given (null is a value: it fails the type check, as None would fail in Python). */
const given = (v: unknown, dflt: number): unknown => (v === undefined ? dflt : v);

/** A tensor like x holding v (jnp.where with a Python-float branch keeps x's dtype). */
const fill = (x: Tensor, v: number): Tensor => torch.full_like(x, v);

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
const floats = (pairs: [string, number][]): string => pairs.map(([k, v]) => `${k}=${pyFloat(v)}`).join(', ');

type A1 = PyRest<[alpha: number | undefined], { alpha?: number }>;

/** The built-in surrogates: surrogate_grad is elementwise in x (see Surrogate._check_grad_parameters). */
abstract class BuiltinSurrogate extends Surrogate {
  protected override _check_grad_parameters(): boolean {
    return true;
  }
}

/** A surrogate with the single float parameter alpha (most of them). */
abstract class AlphaSurrogate extends BuiltinSurrogate {
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
function fnArgs(name: string, names: readonly string[], x: unknown, rest: readonly unknown[]): Record<string, number> {
  const fn = `${MOD}.${name}`;
  checkX(fn, x);
  const o = pyArgs(fn, names, rest);
  const out: Record<string, number> = {};
  for (const k of names) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

// ---- Sigmoid ----------------------------------------------------------------------------------------------------------

/** Sigmoid(alpha = 4.): surrogate_fun σ(αx), surrogate_grad α·σ(αx)·(1 − σ(αx)). */
export class Sigmoid extends AlphaSurrogate {
  constructor(...rest: A1) { super('Sigmoid', 4.0, rest); }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('Sigmoid.surrogate_fun', x);
    return x.mul(this.alpha).sigmoid();
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('Sigmoid.surrogate_grad', x);
    const sgax = x.mul(this.alpha).sigmoid();
    return sgax.neg().add(1).mul(sgax).mul(this.alpha);
  }
}

/** sigmoid(x, alpha = 4.): Heaviside forward, sigmoid-shaped surrogate gradient. */
export function sigmoid(x: Tensor, ...rest: A1): Tensor {
  return new Sigmoid(fnArgs('sigmoid', ['alpha'], x, rest)).call(x);
}

// ---- PiecewiseQuadratic -----------------------------------------------------------------------------------------------

/** PiecewiseQuadratic(alpha = 1.): surrogate_fun 0 / −½α²|x|x + αx + ½ / 1 with pieces at ±1/α. */
export class PiecewiseQuadratic extends AlphaSurrogate {
  constructor(...rest: A1) { super('PiecewiseQuadratic', 1.0, rest); }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('PiecewiseQuadratic.surrogate_fun', x);
    const a = this.alpha;
    const inv = pyDiv('PiecewiseQuadratic.surrogate_fun', '1 / alpha', 1, a);
    const mid = x.abs().mul(-a).div(2).add(1).mul(a).mul(x).add(0.5);
    return torch.where(x.lt(-inv), 0, torch.where(x.gt(inv), 1, mid));
  }

  private _inv(): number {
    return pyDiv('PiecewiseQuadratic.surrogate_grad', '1 / alpha', 1, this.alpha);
  }

  protected override _check_grad_parameters(): boolean {
    this._inv();
    return true;
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('PiecewiseQuadratic.surrogate_grad', x);
    const a = this.alpha;
    const inv = this._inv();
    // QUIRK: α − (αx)² (upstream code), where d/dx surrogate_fun (and the docs) give α − α²|x|
    return torch.where(x.abs().gt(inv), 0, x.mul(a).square().neg().add(a));
  }
}

/** piecewise_quadratic(x, alpha = 1.). */
export function piecewise_quadratic(x: Tensor, ...rest: A1): Tensor {
  return new PiecewiseQuadratic(fnArgs('piecewise_quadratic', ['alpha'], x, rest)).call(x);
}

// ---- PiecewiseExp -----------------------------------------------------------------------------------------------------

/** PiecewiseExp(alpha = 1.): surrogate_fun ½e^{αx} (x < 0) / 1 − ½e^{−αx}; surrogate_grad (α/2)e^{−α|x|}. */
export class PiecewiseExp extends AlphaSurrogate {
  constructor(...rest: A1) { super('PiecewiseExp', 1.0, rest); }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('PiecewiseExp.surrogate_grad', x);
    return x.abs().mul(-this.alpha).exp().mul(this.alpha / 2);
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('PiecewiseExp.surrogate_fun', x);
    const a = this.alpha;
    return torch.where(x.lt(0), x.mul(a).exp().div(2), x.mul(-a).exp().div(2).neg().add(1));
  }
}

/** piecewise_exp(x, alpha = 1.). */
export function piecewise_exp(x: Tensor, ...rest: A1): Tensor {
  return new PiecewiseExp(fnArgs('piecewise_exp', ['alpha'], x, rest)).call(x);
}

// ---- SoftSign ---------------------------------------------------------------------------------------------------------

/** SoftSign(alpha = 1.): surrogate_fun x / (2/α + 2|x|) + ½; surrogate_grad α / (2(1 + |αx|)²). */
export class SoftSign extends AlphaSurrogate {
  constructor(...rest: A1) { super('SoftSign', 1.0, rest); }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('SoftSign.surrogate_grad', x);
    return torch.div(this.alpha * 0.5, x.mul(this.alpha).abs().add(1).square());
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('SoftSign.surrogate_fun', x);
    const two_over_alpha = pyDiv('SoftSign.surrogate_fun', '2 / alpha', 2, this.alpha);
    return x.div(x.abs().mul(2).add(two_over_alpha)).add(0.5);
  }
}

/** soft_sign(x, alpha = 1.). */
export function soft_sign(x: Tensor, ...rest: A1): Tensor {
  return new SoftSign(fnArgs('soft_sign', ['alpha'], x, rest)).call(x);
}

// ---- Arctan -----------------------------------------------------------------------------------------------------------

/** Arctan(alpha = 1.): surrogate_grad α / (2(1 + (παx/2)²)); surrogate_fun raises TypeError (see there). */
export class Arctan extends AlphaSurrogate {
  constructor(...rest: A1) { super('Arctan', 1.0, rest); }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('Arctan.surrogate_grad', x);
    return torch.div(this.alpha * 0.5, x.mul((Math.PI / 2) * this.alpha).square().add(1));
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('Arctan.surrogate_fun', x);
    // QUIRK: upstream calls jnp.arctan2 with one argument, which raises TypeError; the documented arctan(παx/2)/π + ½ is never computed
    throw new TypeError("Arctan.surrogate_fun: brainstate 0.1.0 calls jnp.arctan2(pi / 2 * alpha * x) with one argument, which raises TypeError (arctan2() missing 1 required positional argument: 'x2')");
  }
}

/** arctan(x, alpha = 1.). */
export function arctan(x: Tensor, ...rest: A1): Tensor {
  return new Arctan(fnArgs('arctan', ['alpha'], x, rest)).call(x);
}

// ---- NonzeroSignLog ---------------------------------------------------------------------------------------------------

/** NonzeroSignLog(alpha = 1.): surrogate_fun NonzeroSign(x)·log(|αx| + 1) (sign +1 at 0); surrogate_grad 1 / (1/α + |x|). */
export class NonzeroSignLog extends AlphaSurrogate {
  constructor(...rest: A1) { super('NonzeroSignLog', 1.0, rest); }

  private _inv(): number {
    return pyDiv('NonzeroSignLog.surrogate_grad', '1 / alpha', 1, this.alpha);
  }

  protected override _check_grad_parameters(): boolean {
    this._inv();
    return true;
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('NonzeroSignLog.surrogate_grad', x);
    return torch.div(1, x.abs().add(this._inv()));
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('NonzeroSignLog.surrogate_fun', x);
    const sign = torch.where(x.lt(0), fill(x, -1), 1);
    return sign.mul(x.mul(this.alpha).abs().add(1).log());
  }
}

/** nonzero_sign_log(x, alpha = 1.). */
export function nonzero_sign_log(x: Tensor, ...rest: A1): Tensor {
  return new NonzeroSignLog(fnArgs('nonzero_sign_log', ['alpha'], x, rest)).call(x);
}

// ---- ERF --------------------------------------------------------------------------------------------------------------

/** ERF(alpha = 1.): surrogate_grad (α/√π)·e^{−α²x²}; surrogate_fun erf(−αx)/2 (see there). */
export class ERF extends AlphaSurrogate {
  constructor(...rest: A1) { super('ERF', 1.0, rest); }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('ERF.surrogate_grad', x);
    const a = this.alpha;
    return x.mul(-(a * a)).mul(x).exp().mul(a / Math.sqrt(Math.PI));
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('ERF.surrogate_fun', x);
    // QUIRK: erf(−αx)·½ (decreasing, in (−½, ½); its derivative is −surrogate_grad) where the docs have (1 − erf(−αx))/2
    return torch.erf(x.mul(-this.alpha)).mul(0.5);
  }
}

/** erf(x, alpha = 1.): the ERF spike function (not the error function; that is torch.erf). */
export function erf(x: Tensor, ...rest: A1): Tensor {
  return new ERF(fnArgs('erf', ['alpha'], x, rest)).call(x);
}

// ---- PiecewiseLeakyRelu -----------------------------------------------------------------------------------------------

type PLRRest = PyRest<[c: number | undefined, w: number | undefined], { c?: number; w?: number }>;

/** PiecewiseLeakyRelu(c = 0.01, w = 1.): surrogate_fun cx + cw / x/(2w) + ½ / cx − cw + 1 with pieces at ±w. */
export class PiecewiseLeakyRelu extends BuiltinSurrogate {
  c: number;
  w: number;

  constructor(...rest: PLRRest) {
    super();
    const fn = `${MOD}.PiecewiseLeakyRelu`;
    const o = pyArgs(fn, ['c', 'w'], rest);
    this.c = num(fn, 'c', given(o.c, 0.01));
    this.w = num(fn, 'w', given(o.w, 1.0));
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('PiecewiseLeakyRelu.surrogate_fun', x);
    const { c, w } = this;
    return torch.where(x.lt(-w), x.mul(c).add(c * w),
      torch.where(x.gt(w), x.mul(c).sub(c * w).add(1), x.mul(0.5).div(w).add(0.5)));
  }

  private _inv(): number {
    return pyDiv('PiecewiseLeakyRelu.surrogate_grad', '1 / w', 1, this.w);
  }

  protected override _check_grad_parameters(): boolean {
    this._inv();
    return true;
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('PiecewiseLeakyRelu.surrogate_grad', x);
    const inv = this._inv();
    // QUIRK: 1/w for |x| <= w, twice the slope 1/(2w) of surrogate_fun there (c outside matches)
    return torch.where(x.abs().gt(this.w), fill(x, this.c), inv);
  }

  override __repr__(): string {
    return `PiecewiseLeakyRelu(${floats([['c', this.c], ['w', this.w]])})`;
  }
}

/** piecewise_leaky_relu(x, c = 0.01, w = 1.). */
export function piecewise_leaky_relu(x: Tensor, ...rest: PLRRest): Tensor {
  return new PiecewiseLeakyRelu(fnArgs('piecewise_leaky_relu', ['c', 'w'], x, rest)).call(x);
}

// ---- SquarewaveFourierSeries ------------------------------------------------------------------------------------------

type SFSRest = PyRest<[n: number | undefined, t_period: number | undefined], { n?: number; t_period?: number }>;

/**
 * SquarewaveFourierSeries(n = 2, t_period = 8.): with ω = 2π/T, surrogate_fun ½ + (2/π)·Σ sin((2i−1)ωx)/(2i−1) and
 * surrogate_grad (4/T)·Σ cos((2i−1)ωx), the sums over i = 1 and i = 2 … n−1 (upstream's range(2, n): n terms in
 * the docs, n − 1 in the code; n = 1 and n = 2 both give one term).
 */
export class SquarewaveFourierSeries extends BuiltinSurrogate {
  n: number;
  t_period: number;

  constructor(...rest: SFSRest) {
    super();
    const fn = `${MOD}.SquarewaveFourierSeries`;
    const o = pyArgs(fn, ['n', 't_period'], rest);
    this.n = int(fn, 'n', given(o.n, 2));
    this.t_period = num(fn, 't_period', given(o.t_period, 8.0));
  }

  /** ω = 2π/T and 4/T, as surrogate_grad computes them in Python floats. */
  private _grad_constants(): [number, number] {
    const fn = 'SquarewaveFourierSeries.surrogate_grad';
    return [pyDiv(fn, 'pi * 2. / t_period', Math.PI * 2, this.t_period), pyDiv(fn, '4. / t_period', 4, this.t_period)];
  }

  protected override _check_grad_parameters(): boolean {
    this._grad_constants();
    return true;
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('SquarewaveFourierSeries.surrogate_grad', x);
    const [w, scale] = this._grad_constants();
    let dx = x.mul(w).cos();
    for (let i = 2; i < this.n; i++) dx = dx.add(x.mul((2 * i - 1) * w).cos());
    return dx.mul(scale);
  }

  override surrogate_fun(x: Tensor): Tensor {
    const fn = 'SquarewaveFourierSeries.surrogate_fun';
    checkX(fn, x);
    const w = pyDiv(fn, 'pi * 2. / t_period', Math.PI * 2, this.t_period);
    let ret = x.mul(w).sin();
    for (let i = 2; i < this.n; i++) {
      const c = 2 * i - 1;
      ret = ret.add(x.mul(c * w).sin().div(c));
    }
    return ret.mul(2 / Math.PI).add(0.5);
  }

  override __repr__(): string {
    return `SquarewaveFourierSeries(n=${this.n}, t_period=${pyFloat(this.t_period)})`;
  }
}

/** squarewave_fourier_series(x, n = 2, t_period = 8.). */
export function squarewave_fourier_series(x: Tensor, ...rest: SFSRest): Tensor {
  return new SquarewaveFourierSeries(fnArgs('squarewave_fourier_series', ['n', 't_period'], x, rest)).call(x);
}

// ---- S2NN -------------------------------------------------------------------------------------------------------------

type S2NNRest = PyRest<[alpha: number | undefined, beta: number | undefined, epsilon: number | undefined], { alpha?: number; beta?: number; epsilon?: number }>;

/** S2NN(alpha = 4., beta = 1., epsilon = 1e-8): surrogate_fun σ(αx) for x < 0, β·log(|x + 1| + ε) + ½ for x >= 0. */
export class S2NN extends BuiltinSurrogate {
  alpha: number;
  beta: number;
  epsilon: number;

  constructor(...rest: S2NNRest) {
    super();
    const fn = `${MOD}.S2NN`;
    const o = pyArgs(fn, ['alpha', 'beta', 'epsilon'], rest);
    this.alpha = num(fn, 'alpha', given(o.alpha, 4.0));
    this.beta = num(fn, 'beta', given(o.beta, 1.0));
    this.epsilon = num(fn, 'epsilon', given(o.epsilon, 1e-8));
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('S2NN.surrogate_fun', x);
    return torch.where(x.lt(0), x.mul(this.alpha).sigmoid(), x.add(1).abs().add(this.epsilon).log().mul(this.beta).add(0.5));
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('S2NN.surrogate_grad', x);
    const sg = x.mul(this.alpha).sigmoid();
    // QUIRK: β/(x + 1) for x >= 0 leaves out the ε surrogate_fun adds inside the log (its derivative is β/(x + 1 + ε))
    return torch.where(x.lt(0), sg.mul(this.alpha).mul(sg.neg().add(1)), torch.div(this.beta, x.add(1)));
  }

  override __repr__(): string {
    return `S2NN(${floats([['alpha', this.alpha], ['beta', this.beta], ['epsilon', this.epsilon]])})`;
  }
}

/** s2nn(x, alpha = 4., beta = 1., epsilon = 1e-8). */
export function s2nn(x: Tensor, ...rest: S2NNRest): Tensor {
  return new S2NN(fnArgs('s2nn', ['alpha', 'beta', 'epsilon'], x, rest)).call(x);
}

// ---- QPseudoSpike -----------------------------------------------------------------------------------------------------

/** QPseudoSpike(alpha = 2.): surrogate_grad (1 + 2|x|/(α + 1))^(−α); surrogate_fun see there. */
export class QPseudoSpike extends AlphaSurrogate {
  constructor(...rest: A1) { super('QPseudoSpike', 2.0, rest); }

  private _k(): number {
    // QUIRK: 2/(α + 1) here, 2/(α − 1) in surrogate_fun and in the docs
    return pyDiv('QPseudoSpike.surrogate_grad', '2 / (alpha + 1)', 2, this.alpha + 1);
  }

  protected override _check_grad_parameters(): boolean {
    this._k();
    return true;
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('QPseudoSpike.surrogate_grad', x);
    return x.abs().mul(this._k()).add(1).pow(-this.alpha);
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('QPseudoSpike.surrogate_fun', x);
    const a = this.alpha;
    const k = pyDiv('QPseudoSpike.surrogate_fun', '2 / (alpha - 1)', 2, a - 1);
    // QUIRK: the x < 0 branch is ½(1 − 2|x|/(α − 1))^(1−α), not the docs' ½(1 − 2x/(α − 1))^(1−α): its slope is
    // negative, it has a pole at x = −(α − 1)/2 and is NaN beyond it for non-integer α
    const neg = x.abs().mul(k).neg().add(1).pow(1 - a).mul(0.5);
    const pos = x.abs().mul(k).add(1).pow(1 - a).mul(0.5).neg().add(1);
    return torch.where(x.lt(0), neg, pos);
  }
}

/** q_pseudo_spike(x, alpha = 2.). */
export function q_pseudo_spike(x: Tensor, ...rest: A1): Tensor {
  return new QPseudoSpike(fnArgs('q_pseudo_spike', ['alpha'], x, rest)).call(x);
}

// ---- LeakyRelu --------------------------------------------------------------------------------------------------------

type LRRest = PyRest<[alpha: number | undefined, beta: number | undefined], { alpha?: number; beta?: number }>;

/** LeakyRelu(alpha = 0.1, beta = 1.): surrogate_fun αx (x < 0) / βx; surrogate_grad α / β. */
export class LeakyRelu extends BuiltinSurrogate {
  alpha: number;
  beta: number;

  constructor(...rest: LRRest) {
    super();
    const fn = `${MOD}.LeakyRelu`;
    const o = pyArgs(fn, ['alpha', 'beta'], rest);
    this.alpha = num(fn, 'alpha', given(o.alpha, 0.1));
    this.beta = num(fn, 'beta', given(o.beta, 1.0));
  }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('LeakyRelu.surrogate_fun', x);
    return torch.where(x.lt(0), x.mul(this.alpha), x.mul(this.beta));
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('LeakyRelu.surrogate_grad', x);
    return torch.where(x.lt(0), fill(x, this.alpha), this.beta);
  }

  override __repr__(): string {
    return `LeakyRelu(${floats([['alpha', this.alpha], ['beta', this.beta]])})`;
  }
}

/** leaky_relu(x, alpha = 0.1, beta = 1.). */
export function leaky_relu(x: Tensor, ...rest: LRRest): Tensor {
  return new LeakyRelu(fnArgs('leaky_relu', ['alpha', 'beta'], x, rest)).call(x);
}

// ---- LogTailedRelu ----------------------------------------------------------------------------------------------------

/** LogTailedRelu(alpha = 0.): surrogate_fun αx (x <= 0) / x (0 < x <= 1) / log x (x > 1); surrogate_grad α / 1 / 1/x. */
export class LogTailedRelu extends AlphaSurrogate {
  constructor(...rest: A1) { super('LogTailedRelu', 0.0, rest); }

  override surrogate_fun(x: Tensor): Tensor {
    checkX('LogTailedRelu.surrogate_fun', x);
    return torch.where(x.gt(1), x.log(), torch.where(x.gt(0), x, x.mul(this.alpha)));
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('LogTailedRelu.surrogate_grad', x);
    return torch.where(x.gt(1), torch.div(1, x), torch.where(x.gt(0), fill(x, 1), this.alpha));
  }
}

/** log_tailed_relu(x, alpha = 0.). */
export function log_tailed_relu(x: Tensor, ...rest: A1): Tensor {
  return new LogTailedRelu(fnArgs('log_tailed_relu', ['alpha'], x, rest)).call(x);
}

// ---- ReluGrad ---------------------------------------------------------------------------------------------------------

type RGRest = PyRest<[alpha: number | undefined, width: number | undefined], { alpha?: number; width?: number }>;

/** ReluGrad(alpha = 0.3, width = 1.): surrogate_grad max(α·width − α|x|, 0); no surrogate_fun. */
export class ReluGrad extends BuiltinSurrogate {
  alpha: number;
  width: number;

  constructor(...rest: RGRest) {
    super();
    const fn = `${MOD}.ReluGrad`;
    const o = pyArgs(fn, ['alpha', 'width'], rest);
    this.alpha = num(fn, 'alpha', given(o.alpha, 0.3));
    this.width = num(fn, 'width', given(o.width, 1.0));
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('ReluGrad.surrogate_grad', x);
    const t = x.abs().mul(this.alpha).neg().add(this.alpha * this.width);
    return torch.maximum(t, torch.zeros_like(t));
  }

  override __repr__(): string {
    return `ReluGrad(${floats([['alpha', this.alpha], ['width', this.width]])})`;
  }
}

/** relu_grad(x, alpha = 0.3, width = 1.). */
export function relu_grad(x: Tensor, ...rest: RGRest): Tensor {
  return new ReluGrad(fnArgs('relu_grad', ['alpha', 'width'], x, rest)).call(x);
}

// ---- GaussianGrad -----------------------------------------------------------------------------------------------------

type GGRest = PyRest<[sigma: number | undefined, alpha: number | undefined], { sigma?: number; alpha?: number }>;

/** GaussianGrad(sigma = 0.5, alpha = 0.5): surrogate_grad α·exp(−(x²/2)·σ²)/(√(2π)σ) (see there); no surrogate_fun. */
export class GaussianGrad extends BuiltinSurrogate {
  sigma: number;
  alpha: number;

  constructor(...rest: GGRest) {
    super();
    const fn = `${MOD}.GaussianGrad`;
    const o = pyArgs(fn, ['sigma', 'alpha'], rest);
    this.sigma = num(fn, 'sigma', given(o.sigma, 0.5));
    this.alpha = num(fn, 'alpha', given(o.alpha, 0.5));
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('GaussianGrad.surrogate_grad', x);
    const s = this.sigma;
    // QUIRK: the exponent is −(x²)/2·σ² (upstream's operator precedence), not the Gaussian's −x²/(2σ²); equal only for σ = 1
    const dx = x.square().neg().div(2).mul(s * s).exp().div(Math.sqrt(2 * Math.PI) * s);
    return dx.mul(this.alpha);
  }

  override __repr__(): string {
    return `GaussianGrad(${floats([['alpha', this.alpha], ['sigma', this.sigma]])})`;
  }
}

/** gaussian_grad(x, sigma = 0.5, alpha = 0.5). */
export function gaussian_grad(x: Tensor, ...rest: GGRest): Tensor {
  return new GaussianGrad(fnArgs('gaussian_grad', ['sigma', 'alpha'], x, rest)).call(x);
}

// ---- MultiGaussianGrad ------------------------------------------------------------------------------------------------

type MGGRest = PyRest<[h: number | undefined, s: number | undefined, sigma: number | undefined, scale: number | undefined],
  { h?: number; s?: number; sigma?: number; scale?: number }>;

/**
 * MultiGaussianGrad(h = 0.15, s = 6.0, sigma = 0.5, scale = 0.5): surrogate_grad
 * scale·((1 + h)·N(x; 0, σ²) − h·N(x; σ, (sσ)²) − h·N(x; −σ, (sσ)²)); no surrogate_fun.
 */
export class MultiGaussianGrad extends BuiltinSurrogate {
  h: number;
  s: number;
  sigma: number;
  scale: number;

  constructor(...rest: MGGRest) {
    super();
    const fn = `${MOD}.MultiGaussianGrad`;
    const o = pyArgs(fn, ['h', 's', 'sigma', 'scale'], rest);
    this.h = num(fn, 'h', given(o.h, 0.15));
    this.s = num(fn, 's', given(o.s, 6.0));
    this.sigma = num(fn, 'sigma', given(o.sigma, 0.5));
    this.scale = num(fn, 'scale', given(o.scale, 0.5));
  }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('MultiGaussianGrad.surrogate_grad', x);
    const { h, s, sigma } = this;
    const r = Math.sqrt(2 * Math.PI);
    const ss = s * sigma;
    const g1 = x.square().neg().div(2 * sigma * sigma).exp().div(r * sigma);
    const g2 = x.sub(sigma).square().neg().div(2 * ss * ss).exp().div(r * s * sigma);
    const g3 = x.add(sigma).square().neg().div(2 * ss * ss).exp().div(r * s * sigma);
    return g1.mul(1 + h).sub(g2.mul(h)).sub(g3.mul(h)).mul(this.scale);
  }

  override __repr__(): string {
    return `MultiGaussianGrad(${floats([['h', this.h], ['s', this.s], ['sigma', this.sigma], ['scale', this.scale]])})`;
  }
}

/** multi_gaussian_grad(x, h = 0.15, s = 6.0, sigma = 0.5, scale = 0.5). */
export function multi_gaussian_grad(x: Tensor, ...rest: MGGRest): Tensor {
  return new MultiGaussianGrad(fnArgs('multi_gaussian_grad', ['h', 's', 'sigma', 'scale'], x, rest)).call(x);
}

// ---- InvSquareGrad ----------------------------------------------------------------------------------------------------

/** InvSquareGrad(alpha = 100.): surrogate_grad 1/(α|x| + 1)²; no surrogate_fun. */
export class InvSquareGrad extends AlphaSurrogate {
  constructor(...rest: A1) { super('InvSquareGrad', 100.0, rest); }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('InvSquareGrad.surrogate_grad', x);
    return torch.div(1, x.abs().mul(this.alpha).add(1).square());
  }
}

/** inv_square_grad(x, alpha = 100.). */
export function inv_square_grad(x: Tensor, ...rest: A1): Tensor {
  return new InvSquareGrad(fnArgs('inv_square_grad', ['alpha'], x, rest)).call(x);
}

// ---- SlayerGrad -------------------------------------------------------------------------------------------------------

/** SlayerGrad(alpha = 1.): surrogate_grad e^{−α|x|}; no surrogate_fun. */
export class SlayerGrad extends AlphaSurrogate {
  constructor(...rest: A1) { super('SlayerGrad', 1.0, rest); }

  override surrogate_grad(x: Tensor): Tensor {
    checkX('SlayerGrad.surrogate_grad', x);
    return x.abs().mul(-this.alpha).exp();
  }
}

/** slayer_grad(x, alpha = 1.). */
export function slayer_grad(x: Tensor, ...rest: A1): Tensor {
  return new SlayerGrad(fnArgs('slayer_grad', ['alpha'], x, rest)).call(x);
}
