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
 *
 * The code lives in the private modules _surrogate_*.ts beside this file (base classes, one file per family).
 */
export { heaviside, check_manual_grad, SurrogateFunctionBase, MultiArgsSurrogateFunctionBase } from './_surrogate_base';
export {
  piecewise_quadratic, PiecewiseQuadratic, piecewise_exp, PiecewiseExp, sigmoid, Sigmoid, soft_sign, SoftSign, atan,
  ATan, nonzero_sign_log_abs, NonzeroSignLogAbs, erf, Erf,
} from './_surrogate_alpha';
export {
  piecewise_leaky_relu, PiecewiseLeakyReLU, squarewave_fourier_series, SquarewaveFourierSeries,
} from './_surrogate_multi_args';
export {
  s2nn, S2NN, q_pseudo_spike, QPseudoSpike, leaky_k_relu, LeakyKReLU, fake_numerical_gradient, FakeNumericalGradient,
  log_tailed_relu, LogTailedReLU,
} from './_surrogate_later_releases';
