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
 *
 * The code lives in _surrogate_base.ts (Surrogate), _surrogate_with_fun.ts and _surrogate_grad_only.ts beside this file.
 */
export { Surrogate } from './_surrogate_base';
export {
  Sigmoid, sigmoid, PiecewiseQuadratic, piecewise_quadratic, PiecewiseExp, piecewise_exp, SoftSign, soft_sign, Arctan,
  arctan, NonzeroSignLog, nonzero_sign_log, ERF, erf, PiecewiseLeakyRelu, piecewise_leaky_relu, SquarewaveFourierSeries,
  squarewave_fourier_series, S2NN, s2nn, QPseudoSpike, q_pseudo_spike, LeakyRelu, leaky_relu, LogTailedRelu,
  log_tailed_relu,
} from './_surrogate_with_fun';
export {
  ReluGrad, relu_grad, GaussianGrad, gaussian_grad, MultiGaussianGrad, multi_gaussian_grad, InvSquareGrad,
  inv_square_grad, SlayerGrad, slayer_grad,
} from './_surrogate_grad_only';
