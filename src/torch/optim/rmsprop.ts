/**
 * torch.optim.RMSprop (PyTorch 1.13, single-tensor path): alpha, eps, weight_decay, momentum, centered, maximize.
 * Per parameter (state.step is a plain integer in 1.13, incremented before the update):
 *
 *   grad = maximize ? -grad : grad
 *   if weight_decay != 0: grad = grad.add(param, alpha=weight_decay)
 *   square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
 *   centered: grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha); avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
 *   else:     avg = square_avg.sqrt()
 *   avg = avg.add_(eps)
 *   momentum > 0: buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
 *   else:         param.addcdiv_(grad, avg, value=-lr)
 */
import { type Tensor } from '../../core/tensor';
import {
  checkBoolean, checkImplementationFlags, checkNonNegative, gradArray, Optimizer, paramArray, parseArgs, stateArray,
  zerosLikeParam, type ParamGroup, type Params,
} from './optimizer';

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
}

export interface RMSpropParamGroup extends ParamGroup {
  momentum: number;
  alpha: number;
  eps: number;
  centered: boolean;
  weight_decay: number;
  foreach: boolean | null;
  maximize: boolean;
  differentiable: boolean;
}

/** RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered, foreach, maximize, differentiable): 1.13 has no keyword-only arguments here. */
export type RMSpropArgs =
  | [options?: RMSpropOptions]
  | [lr: number, options?: RMSpropOptions]
  | [lr: number, alpha: number, options?: RMSpropOptions]
  | [lr: number, alpha: number, eps: number, options?: RMSpropOptions]
  | [lr: number, alpha: number, eps: number, weight_decay: number, options?: RMSpropOptions]
  | [lr: number, alpha: number, eps: number, weight_decay: number, momentum: number, options?: RMSpropOptions]
  | [lr: number, alpha: number, eps: number, weight_decay: number, momentum: number, centered: boolean, options?: RMSpropOptions];

const POSITIONAL = ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'foreach', 'maximize', 'differentiable'] as const;

function checkRMSprop(fn: string, g: Record<string, unknown>, where = ''): void {
  checkNonNegative(fn, `${where}lr`, g.lr);
  checkNonNegative(fn, `${where}eps`, g.eps);
  checkNonNegative(fn, `${where}momentum`, g.momentum);
  checkNonNegative(fn, `${where}weight_decay`, g.weight_decay);
  checkNonNegative(fn, `${where}alpha`, g.alpha);
  checkBoolean(fn, `${where}centered`, g.centered);
  checkBoolean(fn, `${where}maximize`, g.maximize);
  checkImplementationFlags(fn, g);
}

export class RMSprop extends Optimizer<RMSpropParamGroup> {
  constructor(params: Params<RMSpropOptions>, ...args: RMSpropArgs) {
    const o = parseArgs('RMSprop', POSITIONAL, args, POSITIONAL);
    const defaults: Record<string, unknown> = {
      lr: o.lr ?? 1e-2, momentum: o.momentum ?? 0, alpha: o.alpha ?? 0.99, eps: o.eps ?? 1e-8, centered: o.centered ?? false,
      weight_decay: o.weight_decay ?? 0, foreach: o.foreach ?? null, maximize: o.maximize ?? false, differentiable: o.differentiable ?? false,
    };
    checkRMSprop('RMSprop', defaults);
    super(params as Params, defaults, 'RMSprop');
  }

  protected override _checkGroup(group: RMSpropParamGroup, where: string): void {
    checkRMSprop('RMSprop', group, `${where}.`);
  }

  protected _updateGroup(group: RMSpropParamGroup): void {
    const { lr, alpha, eps, weight_decay, momentum, centered, maximize } = group;
    group.params.forEach((p: Tensor, index: number) => {
      if (p.grad === null) return;
      const state = this.state.get(p);
      if (Object.keys(state).length === 0) {
        state.step = 0;
        state.square_avg = zerosLikeParam(p);
        if (momentum > 0) state.momentum_buffer = zerosLikeParam(p);
        if (centered) state.grad_avg = zerosLikeParam(p);
      }
      // 1.13 would fail with a KeyError when momentum/centered is switched on after the state exists; start the buffer at zero instead
      if (momentum > 0 && state.momentum_buffer == null) state.momentum_buffer = zerosLikeParam(p);
      if (centered && state.grad_avg == null) state.grad_avg = zerosLikeParam(p);
      state.step = Number(state.step) + 1;

      const { a: G, o: go } = gradArray('RMSprop.step', p, index);
      const S = stateArray('RMSprop.step', state, 'square_avg', p);
      const A = centered ? stateArray('RMSprop.step', state, 'grad_avg', p) : null;
      const B = momentum > 0 ? stateArray('RMSprop.step', state, 'momentum_buffer', p) : null;
      const P = paramArray(p);
      const n = p.numel();
      if (P.a instanceof Float32Array) {
        const f = math.fround;
        rmspropF32(P.a, P.o, G as Float32Array, go, S as Float32Array, A as Float32Array | null, B as Float32Array | null, n, maximize,
          weight_decay !== 0, f(weight_decay), f(alpha), f(1 - alpha), f(eps), f(momentum), f(-lr));
      } else {
        rmspropF64(P.a, P.o, G as Float64Array, go, S as Float64Array, A as Float64Array | null, B as Float64Array | null, n, maximize,
          weight_decay !== 0, weight_decay, alpha, 1 - alpha, eps, momentum, -lr);
      }
      P.commit();
    });
  }
}

/** The float32 loop: `x + c * y` of float32 values is exact in float64 before the fround (ATen's fused add(alpha)/addcmul). */
function rmspropF32(P: Float32Array, po: number, G: Float32Array, go: number, S: Float32Array, A: Float32Array | null, B: Float32Array | null,
  n: number, maximize: boolean, hasWd: boolean, wd: number, al: number, oma: number, eps: number, mom: number, negLr: number): void {
  for (let i = 0; i < n; i++) {
    const pv = P[po + i];
    let g = maximize ? -G[go + i] : G[go + i];
    if (hasWd) g = math.fround(g + wd * pv); // grad.add(param, alpha=weight_decay)
    const sq = math.fround(math.fround(S[i] * al) + math.fround(oma * g) * g); // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    S[i] = sq;
    let avg: number;
    if (A !== null) {
      const ga = math.fround(math.fround(A[i] * al) + oma * g); // grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
      A[i] = ga;
      avg = math.fround(math.sqrt(math.fround(sq - ga * ga))); // square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
    } else {
      avg = math.fround(math.sqrt(sq));
    }
    avg = math.fround(avg + eps); // avg.add_(eps)
    if (B !== null) {
      const b = math.fround(math.fround(B[i] * mom) + math.fround(g / avg)); // buf.mul_(momentum).addcdiv_(grad, avg)
      B[i] = b;
      P[po + i] = pv + negLr * b; // param.add_(buf, alpha=-lr)
    } else {
      P[po + i] = pv + math.fround(math.fround(negLr * g) / avg); // param.addcdiv_(grad, avg, value=-lr)
    }
  }
}

/** The same loop in float64 (no intermediate rounding to float32). */
function rmspropF64(P: Float64Array, po: number, G: Float64Array, go: number, S: Float64Array, A: Float64Array | null, B: Float64Array | null,
  n: number, maximize: boolean, hasWd: boolean, wd: number, al: number, oma: number, eps: number, mom: number, negLr: number): void {
  for (let i = 0; i < n; i++) {
    const pv = P[po + i];
    let g = maximize ? -G[go + i] : G[go + i];
    if (hasWd) g = g + wd * pv;
    const sq = S[i] * al + oma * g * g;
    S[i] = sq;
    let avg: number;
    if (A !== null) {
      const ga = A[i] * al + oma * g;
      A[i] = ga;
      avg = math.sqrt(sq - ga * ga);
    } else {
      avg = math.sqrt(sq);
    }
    avg = avg + eps;
    if (B !== null) {
      const b = B[i] * mom + g / avg;
      B[i] = b;
      P[po + i] = pv + negLr * b;
    } else {
      P[po + i] = pv + (negLr * g) / avg;
    }
  }
}
