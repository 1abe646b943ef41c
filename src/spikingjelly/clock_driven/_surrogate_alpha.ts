/**
 * The one-parameter surrogates of spikingjelly.clock_driven.surrogate 0.0.0.0.8 (PiecewiseQuadratic, PiecewiseExp,
 * Sigmoid, SoftSign, ATan, NonzeroSignLogAbs, Erf) with their spike functions. Re-exported by surrogate.ts.
 */
import { type Tensor, type Ctx, type AlphaRest, alphaArgs, heaviside, rdiv, SurrogateFunctionBase, AlphaSpikeFunction } from './_surrogate_base';

// ---- PiecewiseQuadratic ---------------------------------------------------------------------------------------------------

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
