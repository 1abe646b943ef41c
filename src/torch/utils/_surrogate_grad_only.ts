/**
 * The brainstate surrogates that define only a surrogate gradient (ReluGrad, GaussianGrad, MultiGaussianGrad,
 * InvSquareGrad, SlayerGrad), with their lowercase functions. Re-exported by surrogate.ts.
 */
import * as torch from '../index';
import { pyArgs, type PyRest } from '../nn/modules/module';
import { type Tensor, type A1, MOD, checkX, num, given, floats, BuiltinSurrogate, AlphaSurrogate, fnArgs } from './_surrogate_base';

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
