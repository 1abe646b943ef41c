/**
 * The five surrogates spikeport adds from later spikingjelly releases (S2NN, QPseudoSpike, LeakyKReLU,
 * FakeNumericalGradient, LogTailedReLU; 0.0.0.0.14) with their spike functions. Re-exported by surrogate.ts.
 */
import { torch, F } from '../../index';
import { pyArgs, type PyRest } from '../../torch/nn/modules/module';
import {
  type Tensor, type Ctx, type AlphaRest, AutogradFunction, alphaArgs, checkX, num, bool, rdiv, heaviside,
  SurrogateFunctionBase, MultiArgsSurrogateFunctionBase, AlphaSpikeFunction,
} from './_surrogate_base';

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
