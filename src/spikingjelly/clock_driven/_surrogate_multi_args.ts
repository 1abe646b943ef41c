/**
 * The multi-argument surrogates of spikingjelly.clock_driven.surrogate 0.0.0.0.8 (PiecewiseLeakyReLU,
 * SquarewaveFourierSeries) with their spike functions. Re-exported by surrogate.ts.
 */
import { torch } from '../../index';
import { fail } from '../../torch/utils/checks';
import { pyArgs, type PyRest } from '../../torch/nn/modules/module';
import { type Tensor, type Ctx, AutogradFunction, checkX, num, bool, heaviside, MultiArgsSurrogateFunctionBase } from './_surrogate_base';

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
