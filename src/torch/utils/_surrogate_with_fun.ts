/**
 * The brainstate surrogates that define a surrogate function beside their gradient (Sigmoid … LogTailedRelu), with
 * their lowercase functions. Re-exported by surrogate.ts.
 */
import * as torch from '../index';
import { pyArgs, pyFloat, type PyRest } from '../nn/modules/module';
import {
  type Tensor, type A1, MOD, checkX, num, int, pyDiv, given, fill, floats, BuiltinSurrogate, AlphaSurrogate, fnArgs,
} from './_surrogate_base';

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
