/**
 * brainstate.nn._exp_euler (brainstate 0.1.10): exp_euler_step, the exponential Euler step brainstate integrates with.
 *
 *     V = brainstate.nn.exp_euler_step(lambda v: (-v + I) / tau, V)        (Python)
 *     V = nn.exp_euler_step((v) => v.neg().add(I).div(tau), V)            (TypeScript)
 *
 * x_next = x + dt · exprel(dt · J) · f(x), with J = ∂f/∂x taken elementwise (brainstate's vector_grad: the gradient
 * of sum(f(x)), which is the diagonal of the Jacobian when f is elementwise) and dt = environ.get('dt').
 * exprel(z) = 1 + z/2 + z²/6 when |z| ≤ 1e-5 (float32; 1e-8 for float64), otherwise expm1(z)/z (brainunit).
 * The neurons and synapses of this folder inline the same step over typed arrays with J written out analytically.
 * The stochastic form (a diffusion function as the second argument) is not ported: a function there raises.
 */
import * as torch from '../../torch/index';
import { fail } from '../../torch/utils/checks';
import * as environ from '../environ';

const math = Math; // a module binding: jest's vm context makes global lookups in hot loops slow

type Tensor = torch.Tensor;

/** exprel(z) as brainunit computes it, with the float32 threshold (1e-8 when f64 is true). */
export function exprel(z: number, f64 = false): number {
  if (math.abs(z) <= (f64 ? 1e-8 : 1e-5)) return 1 + z / 2 + (z * z) / 6;
  return math.expm1(z) / z;
}

/** exp_euler_step(fn, x, ...args): one exponential Euler step of dx/dt = fn(x, ...args). */
export function exp_euler_step(fn: (x: Tensor, ...args: any[]) => Tensor, x: Tensor, ...args: unknown[]): Tensor {
  const name = 'brainstate.nn.exp_euler_step';
  if (typeof fn !== 'function') fail(name, 'fn', 'a function (the drift)', fn);
  if (typeof x === 'function') throw new Error(`${name}: the stochastic form (a diffusion function before the state) is not ported to spikeport`);
  if (!(x instanceof torch.Tensor)) fail(name, 'x', 'a Tensor', x);
  if (!x.is_floating_point()) {
    throw new Error(`${name}: The input data type should be float64, float32, float16, or bfloat16 when using Exponential Euler method. But we got ${x.dtype}.`);
  }
  const dt = environ.get_dt();
  const xv = x.detach().requires_grad_(true);
  let J: Tensor;
  let f: Tensor;
  torch.enable_grad(() => {
    f = fn(xv, ...args);
    if (!(f instanceof torch.Tensor)) fail(name, 'the result of fn', 'a Tensor', f);
    if (f.shape.join() !== x.shape.join()) throw new Error(`${name}: fn returned shape [${f.shape}], expected the state's shape [${x.shape}]`);
    if (f.requires_grad) {
      const g = torch.autograd.grad(f.sum(), xv, null, { allow_unused: true })[0];
      J = g ?? torch.zeros_like(x);
    } else {
      J = torch.zeros_like(x);
    }
  });
  const f64 = x.dtype === 'float64';
  const Jv = J!.toTypedArray();
  const fv = f!.detach().to(x.dtype).toTypedArray();
  const x0 = x.toTypedArray();
  const out = f64 ? new Float64Array(x0.length) : new Float32Array(x0.length);
  for (let k = 0; k < out.length; k++) out[k] = x0[k] + dt * exprel(dt * Jv[k], f64) * fv[k];
  return torch.from_typed_array(out, x.shape.slice());
}
