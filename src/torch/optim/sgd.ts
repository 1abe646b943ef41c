/**
 * torch.optim.SGD (PyTorch 1.13, single-tensor path): momentum, dampening, nesterov, weight_decay, maximize.
 *
 *   d_p = maximize ? -grad : grad
 *   if weight_decay != 0: d_p = d_p.add(param, alpha=weight_decay)
 *   if momentum != 0:
 *       buf = clone(d_p) on the first step, else buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
 *       d_p = nesterov ? d_p.add(buf, alpha=momentum) : buf
 *   param.add_(d_p, alpha=-lr)
 *
 * The loop runs over the typed arrays and rounds (float32) where PyTorch's CPU kernels round: `a.add(b, alpha)` is one
 * fused multiply-add (ATen's vectorized and AVX2 scalar paths both fuse), `mul_` by a scalar is one rounding.
 */
import { type Tensor } from '../../core/tensor';
import {
  checkBoolean, checkFiniteNumber, checkImplementationFlags, checkNonNegative, gradArray, Optimizer, parseArgs, required,
  paramArray, stateArray, zerosLikeParam, type FloatArray, type ParamGroup, type Params, type Required,
} from './optimizer';

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  differentiable?: boolean;
}

export interface SGDParamGroup extends ParamGroup {
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
  foreach: boolean | null;
  differentiable: boolean;
}

/** SGD(params, lr, momentum, dampening, weight_decay, nesterov, {maximize, foreach, differentiable}) — any suffix of the positionals may go in the options object. */
export type SGDArgs =
  | [options?: SGDOptions]
  | [lr: number, options?: SGDOptions]
  | [lr: number, momentum: number, options?: SGDOptions]
  | [lr: number, momentum: number, dampening: number, options?: SGDOptions]
  | [lr: number, momentum: number, dampening: number, weight_decay: number, options?: SGDOptions]
  | [lr: number, momentum: number, dampening: number, weight_decay: number, nesterov: boolean, options?: SGDOptions];

const POSITIONAL = ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'] as const;
const KEYS = [...POSITIONAL, 'maximize', 'foreach', 'differentiable'] as const;

function checkSGD(fn: string, g: Record<string, unknown>, where = ''): void {
  if (g.lr !== required) checkNonNegative(fn, `${where}lr`, g.lr);
  checkNonNegative(fn, `${where}momentum`, g.momentum);
  checkFiniteNumber(fn, `${where}dampening`, g.dampening);
  checkNonNegative(fn, `${where}weight_decay`, g.weight_decay);
  checkBoolean(fn, `${where}nesterov`, g.nesterov);
  checkBoolean(fn, `${where}maximize`, g.maximize);
  checkImplementationFlags(fn, g);
  if (g.nesterov && ((g.momentum as number) <= 0 || g.dampening !== 0)) {
    throw new Error(`${fn}: nesterov momentum requires a momentum > 0 and zero dampening, got ${where}momentum=${g.momentum}, ${where}dampening=${g.dampening}`);
  }
}

export class SGD extends Optimizer<SGDParamGroup> {
  constructor(params: Params<SGDOptions>, ...args: SGDArgs) {
    const o = parseArgs('SGD', POSITIONAL, args, KEYS);
    const defaults: Record<string, unknown> = {
      lr: o.lr ?? (required as Required), momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, weight_decay: o.weight_decay ?? 0,
      nesterov: o.nesterov ?? false, maximize: o.maximize ?? false, foreach: o.foreach ?? null, differentiable: o.differentiable ?? false,
    };
    checkSGD('SGD', defaults);
    super(params as Params, defaults, 'SGD');
  }

  protected override _checkGroup(group: SGDParamGroup, where: string): void {
    checkSGD('SGD', group, `${where}.`);
  }

  protected override _setstate(): void {
    for (const g of this.param_groups) {
      g.nesterov ??= false;
      g.maximize ??= false;
      g.foreach ??= null;
      g.differentiable ??= false;
    }
  }

  protected _updateGroup(group: SGDParamGroup): void {
    const { lr, momentum, dampening, weight_decay, nesterov, maximize } = group;
    group.params.forEach((p: Tensor, index: number) => {
      if (p.grad === null) return;
      const state = this.state.get(p);
      if (!('momentum_buffer' in state)) state.momentum_buffer = null;
      const { a: G, o: go } = gradArray('SGD.step', p, index);
      let B: FloatArray | null = null;
      let first = false;
      if (momentum !== 0) {
        if (state.momentum_buffer === null) {
          state.momentum_buffer = zerosLikeParam(p); // filled by the kernel with d_p: torch.clone(d_p).detach()
          first = true;
        }
        B = stateArray('SGD.step', state, 'momentum_buffer', p);
      }
      const P = paramArray(p);
      const n = p.numel();
      if (P.a instanceof Float32Array) {
        const f = math.fround;
        sgdF32(P.a, P.o, G as Float32Array, go, B as Float32Array | null, n, maximize, weight_decay !== 0, f(weight_decay), f(momentum),
          f(1 - dampening), f(-lr), nesterov, first);
      } else {
        sgdF64(P.a, P.o, G as Float64Array, go, B as Float64Array | null, n, maximize, weight_decay !== 0, weight_decay, momentum,
          1 - dampening, -lr, nesterov, first);
      }
      P.commit();
    });
  }
}

/**
 * The float32 loop: values are rounded where ATen rounds. `x + c * y` of float32 values is exact in float64 before the
 * store/fround, i.e. the fused multiply-add ATen's add(alpha) performs.
 */
function sgdF32(P: Float32Array, po: number, G: Float32Array, go: number, B: Float32Array | null, n: number, maximize: boolean,
  hasWd: boolean, wd: number, mom: number, damp: number, negLr: number, nesterov: boolean, first: boolean): void {
  for (let i = 0; i < n; i++) {
    const pv = P[po + i];
    let d = maximize ? -G[go + i] : G[go + i];
    if (hasWd) d = math.fround(d + wd * pv); // d_p.add(param, alpha=weight_decay)
    if (B !== null) {
      const b = first ? d : math.fround(math.fround(B[i] * mom) + damp * d); // buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
      B[i] = b;
      d = nesterov ? math.fround(d + mom * b) : b; // d_p.add(buf, alpha=momentum)
    }
    P[po + i] = pv + negLr * d; // param.add_(d_p, alpha=-lr)
  }
}

/** The same loop in float64 (no intermediate rounding to float32). */
function sgdF64(P: Float64Array, po: number, G: Float64Array, go: number, B: Float64Array | null, n: number, maximize: boolean,
  hasWd: boolean, wd: number, mom: number, damp: number, negLr: number, nesterov: boolean, first: boolean): void {
  for (let i = 0; i < n; i++) {
    const pv = P[po + i];
    let d = maximize ? -G[go + i] : G[go + i];
    if (hasWd) d = d + wd * pv;
    if (B !== null) {
      const b = first ? d : B[i] * mom + damp * d;
      B[i] = b;
      d = nesterov ? d + mom * b : b;
    }
    P[po + i] = pv + negLr * d;
  }
}
