/**
 * torch.optim.Adam (PyTorch 1.13, single-tensor path, capturable=False): amsgrad, weight_decay (L2, added to the
 * gradient), maximize. Per parameter, in this order:
 *
 *   grad = maximize ? -grad : grad;  step += 1  (state.step is a 0-d float32 tensor, as in 1.13)
 *   if weight_decay != 0: grad = grad.add(param, alpha=weight_decay)
 *   exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
 *   exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
 *   bias_correction1 = 1 - beta1 ** step;  bias_correction2 = 1 - beta2 ** step      (float64, as Python floats)
 *   step_size = lr / bias_correction1;  bias_correction2_sqrt = sqrt(bias_correction2)
 *   amsgrad: max_exp_avg_sq = maximum(max_exp_avg_sq, exp_avg_sq), used in place of exp_avg_sq below
 *   denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
 *   param.addcdiv_(exp_avg, denom, value=-step_size)
 *
 * float32 rounding follows ATen's CPU kernels: add(alpha) and addcmul fuse (FMA), mul/div/sqrt/addcdiv round each op.
 */
import { Tensor } from '../../core/tensor';
import { fail } from '../../core/errors';
import {
  checkBoolean, checkImplementationFlags, checkNonNegative, gradArray, Optimizer, paramArray, parseArgs, stateArray,
  zerosLikeParam, type ParamGroup, type Params, type ParamState,
} from './optimizer';

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

export interface AdamOptions {
  lr?: number;
  betas?: [number, number] | number[];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  capturable?: boolean;
  differentiable?: boolean;
  fused?: boolean;
}

export interface AdamParamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
  foreach: boolean | null;
  capturable: boolean;
}

/** Adam(params, lr, betas, eps, weight_decay, amsgrad, {maximize, foreach, capturable, differentiable, fused}). */
export type AdamArgs<O> =
  | [options?: O]
  | [lr: number, options?: O]
  | [lr: number, betas: [number, number], options?: O]
  | [lr: number, betas: [number, number], eps: number, options?: O]
  | [lr: number, betas: [number, number], eps: number, weight_decay: number, options?: O]
  | [lr: number, betas: [number, number], eps: number, weight_decay: number, amsgrad: boolean, options?: O];

export const ADAM_POSITIONAL = ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'] as const;

/** The option checks of Adam and AdamW (1.13 checks lr, eps, betas, weight_decay; the types are checked too). */
export function checkAdam(fn: string, g: Record<string, unknown>, where = ''): void {
  checkNonNegative(fn, `${where}lr`, g.lr);
  checkNonNegative(fn, `${where}eps`, g.eps);
  const b = g.betas;
  if (!Array.isArray(b) || b.length !== 2 || typeof b[0] !== 'number' || typeof b[1] !== 'number') {
    fail(fn, `${where}betas`, 'a pair [beta1, beta2] of numbers in [0, 1)', b);
  }
  for (let i = 0; i < 2; i++) {
    if (!(b[i] >= 0 && b[i] < 1)) fail(fn, `${where}betas`, `a pair [beta1, beta2] with 0 <= beta < 1 (betas[${i}] = ${b[i]} is out of range)`, b);
  }
  checkNonNegative(fn, `${where}weight_decay`, g.weight_decay);
  checkBoolean(fn, `${where}amsgrad`, g.amsgrad);
  checkBoolean(fn, `${where}maximize`, g.maximize);
  checkImplementationFlags(fn, g);
}

/** state.step as 1.13 keeps it: a 0-d float32 tensor (older state dicts hold a number). */
function stepTensor(v: number): Tensor {
  const t = Tensor.empty([], 'float32');
  t.buffer[0] = v;
  return t;
}

/** Upgrades loaded state whose step is a plain number (PyTorch < 1.12) to the 0-d tensor form, like Adam.__setstate__. */
export function upgradeAdamState(states: Iterable<ParamState>): void {
  for (const s of states) if (typeof s.step === 'number') s.step = stepTensor(s.step);
}

/** The Adam / AdamW single-tensor update of one group. `decoupled`: AdamW's param.mul_(1 - lr * weight_decay). */
export function adamGroupUpdate(fn: string, opt: Optimizer<AdamParamGroup>, group: AdamParamGroup, decoupled: boolean): void {
  const { lr, eps, weight_decay, amsgrad, maximize } = group;
  const [beta1, beta2] = group.betas;
  group.params.forEach((p: Tensor, index: number) => {
    if (p.grad === null) return;
    const state = opt.state.get(p);
    if (Object.keys(state).length === 0) {
      state.step = stepTensor(0);
      state.exp_avg = zerosLikeParam(p);
      state.exp_avg_sq = zerosLikeParam(p);
      if (amsgrad) state.max_exp_avg_sq = zerosLikeParam(p);
    }
    const { a: G, o: go } = gradArray(`${fn}.step`, p, index);
    const M = stateArray(`${fn}.step`, state, 'exp_avg', p);
    const V = stateArray(`${fn}.step`, state, 'exp_avg_sq', p);
    if (amsgrad && !(state.max_exp_avg_sq instanceof Tensor)) state.max_exp_avg_sq = zerosLikeParam(p);
    const VM = amsgrad ? stateArray(`${fn}.step`, state, 'max_exp_avg_sq', p) : null;
    if (!(state.step instanceof Tensor)) state.step = stepTensor(Number(state.step));
    const stepT: Tensor = state.step;
    stepT.buffer[stepT.offset] += 1; // step_t += 1 (a float32 tensor)
    stepT._version.v++;
    const step = stepT.item();

    const bias_correction1 = 1 - beta1 ** step;
    const bias_correction2 = 1 - beta2 ** step;
    const step_size = lr / bias_correction1;
    const bias_correction2_sqrt = math.sqrt(bias_correction2);
    const P = paramArray(p);
    const n = p.numel();
    if (P.a instanceof Float32Array) {
      const f = math.fround;
      adamF32(P.a, P.o, G as Float32Array, go, M as Float32Array, V as Float32Array, VM as Float32Array | null, n, maximize, decoupled,
        f(1 - lr * weight_decay), weight_decay !== 0, f(weight_decay), f(beta1), f(1 - beta1), f(beta2), f(1 - beta2),
        f(bias_correction2_sqrt), f(eps), f(-step_size));
    } else {
      adamF64(P.a, P.o, G as Float64Array, go, M as Float64Array, V as Float64Array, VM as Float64Array | null, n, maximize, decoupled,
        1 - lr * weight_decay, weight_decay !== 0, weight_decay, beta1, 1 - beta1, beta2, 1 - beta2, bias_correction2_sqrt, eps, -step_size);
    }
    P.commit();
  });
}

/**
 * The float32 loop, rounding where ATen rounds: `x + c * y` of float32 values is exact in float64 before the fround
 * (the FMA of add(alpha) and addcmul); mul, div, sqrt and each step of addcdiv round on their own.
 */
function adamF32(P: Float32Array, po: number, G: Float32Array, go: number, M: Float32Array, V: Float32Array, VM: Float32Array | null,
  n: number, maximize: boolean, decoupled: boolean, decay: number, hasWd: boolean, wd: number, b1: number, omb1: number, b2: number,
  omb2: number, bc2sqrt: number, eps: number, negStep: number): void {
  for (let i = 0; i < n; i++) {
    let pv = P[po + i];
    let g = maximize ? -G[go + i] : G[go + i];
    if (decoupled) pv = math.fround(pv * decay); // AdamW: param.mul_(1 - lr * weight_decay)
    else if (hasWd) g = math.fround(g + wd * pv); // grad.add(param, alpha=weight_decay)
    const m = math.fround(math.fround(M[i] * b1) + omb1 * g); // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
    M[i] = m;
    let v = math.fround(math.fround(V[i] * b2) + math.fround(omb2 * g) * g); // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    V[i] = v;
    if (VM !== null) {
      v = math.max(VM[i], v); // torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq); NaN propagates
      VM[i] = v;
    }
    const denom = math.fround(math.fround(math.fround(math.sqrt(v)) / bc2sqrt) + eps); // (sqrt / bias_correction2_sqrt).add_(eps)
    P[po + i] = pv + math.fround(math.fround(negStep * m) / denom); // param.addcdiv_(exp_avg, denom, value=-step_size)
  }
}

/** The same loop in float64 (no intermediate rounding to float32). */
function adamF64(P: Float64Array, po: number, G: Float64Array, go: number, M: Float64Array, V: Float64Array, VM: Float64Array | null,
  n: number, maximize: boolean, decoupled: boolean, decay: number, hasWd: boolean, wd: number, b1: number, omb1: number, b2: number,
  omb2: number, bc2sqrt: number, eps: number, negStep: number): void {
  for (let i = 0; i < n; i++) {
    let pv = P[po + i];
    let g = maximize ? -G[go + i] : G[go + i];
    if (decoupled) pv = pv * decay;
    else if (hasWd) g = g + wd * pv;
    const m = M[i] * b1 + omb1 * g;
    M[i] = m;
    let v = V[i] * b2 + omb2 * g * g;
    V[i] = v;
    if (VM !== null) {
      v = math.max(VM[i], v);
      VM[i] = v;
    }
    const denom = math.sqrt(v) / bc2sqrt + eps;
    P[po + i] = pv + (negStep * m) / denom;
  }
}

const KEYS = [...ADAM_POSITIONAL, 'maximize', 'foreach', 'capturable', 'differentiable', 'fused'] as const;

export class Adam extends Optimizer<AdamParamGroup> {
  constructor(params: Params<AdamOptions>, ...args: AdamArgs<AdamOptions>) {
    const o = parseArgs('Adam', ADAM_POSITIONAL, args, KEYS);
    const defaults: Record<string, unknown> = {
      lr: o.lr ?? 1e-3, betas: Array.isArray(o.betas) ? o.betas.slice() : o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8,
      weight_decay: o.weight_decay ?? 0, amsgrad: o.amsgrad ?? false, maximize: o.maximize ?? false, foreach: o.foreach ?? null,
      capturable: o.capturable ?? false, differentiable: o.differentiable ?? false, fused: o.fused ?? false,
    };
    checkAdam('Adam', defaults);
    super(params as Params, defaults, 'Adam');
  }

  protected override _checkGroup(group: AdamParamGroup, where: string): void {
    if (Array.isArray(group.betas)) group.betas = group.betas.slice() as [number, number];
    checkAdam('Adam', group, `${where}.`);
  }

  protected override _setstate(): void {
    upgradeAdamState(this.state.values());
  }

  protected _updateGroup(group: AdamParamGroup): void {
    adamGroupUpdate('Adam', this, group, false);
  }
}
