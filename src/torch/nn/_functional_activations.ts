/**
 * torch.nn.functional activations (relu, leaky_relu, elu, gelu, sigmoid, tanh, silu, softplus, hardtanh, relu6, softmax,
 * log_softmax); re-exported by functional.ts, the public F.
 */
import { type DType, isDType, isFloating } from '../../core/dtype';
import { checkInt, describe, fail } from '../../core/errors';
import { defineOp, op1 } from '../../core/registry';
import { Tensor } from '../../core/tensor';
import * as E from '../../core/ops/elementwise';
import { log_softmax as logSoftmaxOp, softmax as softmaxOp } from '../../core/ops/reduce';
import { erf as erfScalar } from '../../core/special';
import { boolArg, floatArg, maybeInplace, numArg, tensorArg } from './_functional_args';
import { pyArgs, type PyRest } from './modules/module';

// ---- activations -----------------------------------------------------------------------------------------------------------

/** A contiguous output of x's shape and dtype with out[i] = f(x[i]) (computed in double, stored in x's dtype). */
function mapUnary(x: Tensor, f: (v: number) => number): Tensor {
  const xc = x.contiguous();
  const out = Tensor.empty(x.shape, x.dtype);
  const o = out.buffer, b = xc.buffer, off = xc.offset, n = o.length;
  for (let i = 0; i < n; i++) o[i] = f(b[off + i]);
  return out;
}

type InplacePos = [inplace: boolean | undefined];
interface InplaceOpt { inplace?: boolean }

/** F.relu(input, inplace=false). */
export function relu(input: Tensor, ...rest: PyRest<InplacePos, InplaceOpt>): Tensor {
  const a = pyArgs('F.relu', ['inplace'], rest);
  tensorArg('F.relu', 'input', input);
  return maybeInplace(input, 'relu_', boolArg('F.relu', 'inplace', a.inplace, false), (s) => E.relu(s));
}

/** F.leaky_relu(input, negative_slope=0.01, inplace=false). */
export function leaky_relu(input: Tensor, ...rest: PyRest<[negative_slope: number | undefined, inplace: boolean | undefined], { negative_slope?: number; inplace?: boolean }>): Tensor {
  const fn = 'F.leaky_relu';
  const a = pyArgs(fn, ['negative_slope', 'inplace'], rest);
  floatArg(fn, 'input', input);
  const slope = numArg(fn, 'negative_slope', a.negative_slope, 0.01);
  return maybeInplace(input, 'leaky_relu_', boolArg(fn, 'inplace', a.inplace, false), (s) => E.leaky_relu(s, slope));
}

const eluOp = defineOp<{ alpha: number }>({
  name: 'nn.elu',
  forward([x], { alpha }) {
    // torch computes (exp(x) − 1)·alpha in the tensor's dtype, rounding after each step
    if (x.dtype === 'float32') {
      const fa = Math.fround(alpha);
      return mapUnary(x, (v) => (v > 0 ? v : Math.fround(Math.fround(Math.fround(Math.exp(v)) - 1) * fa)));
    }
    return mapUnary(x, (v) => (v > 0 ? v : (Math.exp(v) - 1) * alpha));
  },
  backward([g], node) {
    const x = node.input(0);
    return [E.where(E.gt(x, 0), g!, E.mul(g!, E.mul(E.exp(x), node.attrs.alpha)))];
  },
});

/** F.elu(input, alpha=1.0, inplace=false): x > 0 ? x : alpha·(exp(x) − 1). */
export function elu(input: Tensor, ...rest: PyRest<[alpha: number | undefined, inplace: boolean | undefined], { alpha?: number; inplace?: boolean }>): Tensor {
  const fn = 'F.elu';
  const a = pyArgs(fn, ['alpha', 'inplace'], rest);
  floatArg(fn, 'input', input);
  const alpha = numArg(fn, 'alpha', a.alpha, 1.0);
  return maybeInplace(input, 'elu_', boolArg(fn, 'inplace', a.inplace, false), (s) => op1(eluOp, [s], { alpha }));
}

const SQRT1_2 = Math.SQRT1_2;
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5; // sqrt(2/pi)
const GELU_KAPPA = 0.044715;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const geluOp = defineOp<{ tanh: boolean }>({
  name: 'nn.gelu',
  forward([x], { tanh }) {
    return tanh
      ? mapUnary(x, (v) => 0.5 * v * (1 + Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v))))
      : mapUnary(x, (v) => v * 0.5 * (1 + erfScalar(v * SQRT1_2)));
  },
  backward([g], node) {
    const x = node.input(0);
    if (node.attrs.tanh) {
      const x2 = E.mul(x, x);
      const inner = E.mul(E.add(x, E.mul(E.mul(x2, x), GELU_KAPPA)), GELU_BETA);
      const t = E.tanh(inner);
      const left = E.mul(x, 0.5);
      const right = E.add(t, 1);
      const dLeft = E.mul(right, 0.5);
      const dRight = E.mul(E.mul(left, E.sub(1, E.mul(t, t))), E.mul(E.add(E.mul(x2, 3 * GELU_KAPPA), 1), GELU_BETA));
      return [E.mul(g!, E.add(dLeft, dRight))];
    }
    const cdf = E.mul(E.add(E.erf(E.mul(x, SQRT1_2)), 1), 0.5);
    const pdf = E.mul(E.exp(E.mul(E.mul(x, x), -0.5)), INV_SQRT_2PI);
    return [E.mul(g!, E.add(cdf, E.mul(x, pdf)))];
  },
});

/** F.gelu(input, approximate='none'): the exact erf form, or approximate='tanh'. */
export function gelu(input: Tensor, ...rest: PyRest<[approximate: 'none' | 'tanh' | undefined], { approximate?: 'none' | 'tanh' }>): Tensor {
  const fn = 'F.gelu';
  const a = pyArgs(fn, ['approximate'], rest);
  floatArg(fn, 'input', input);
  const approx = a.approximate ?? 'none';
  if (approx !== 'none' && approx !== 'tanh') throw new Error(`${fn}: approximate must be 'none' or 'tanh', got ${describe(approx)}`);
  return op1(geluOp, [input], { tanh: approx === 'tanh' });
}

export function sigmoid(input: Tensor): Tensor {
  return E.sigmoid(tensorArg('F.sigmoid', 'input', input));
}

export function tanh(input: Tensor): Tensor {
  return E.tanh(tensorArg('F.tanh', 'input', input));
}

/** F.silu(input, inplace=false): x·sigmoid(x). */
export function silu(input: Tensor, ...rest: PyRest<InplacePos, InplaceOpt>): Tensor {
  const a = pyArgs('F.silu', ['inplace'], rest);
  floatArg('F.silu', 'input', input);
  return maybeInplace(input, 'silu_', boolArg('F.silu', 'inplace', a.inplace, false), (s) => E.mul(s, E.sigmoid(s)));
}

const softplusOp = defineOp<{ beta: number; threshold: number }>({
  name: 'nn.softplus',
  forward([x], { beta, threshold }) {
    return mapUnary(x, (v) => (v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta));
  },
  backward([g], node) {
    const x = node.input(0);
    const { beta, threshold } = node.attrs;
    const xb = E.mul(x, beta);
    return [E.where(E.gt(xb, threshold), g!, E.mul(g!, E.sigmoid(xb)))];
  },
});

/** F.softplus(input, beta=1, threshold=20): log(1 + exp(beta·x)) / beta, linear where beta·x > threshold. */
export function softplus(input: Tensor, ...rest: PyRest<[beta: number | undefined, threshold: number | undefined], { beta?: number; threshold?: number }>): Tensor {
  const fn = 'F.softplus';
  const a = pyArgs(fn, ['beta', 'threshold'], rest);
  floatArg(fn, 'input', input);
  return op1(softplusOp, [input], { beta: numArg(fn, 'beta', a.beta, 1), threshold: numArg(fn, 'threshold', a.threshold, 20) });
}

const hardtanhOp = defineOp<{ lo: number; hi: number }>({
  name: 'nn.hardtanh',
  forward([x], { lo, hi }) {
    return mapUnary(x, (v) => (v < lo ? lo : v > hi ? hi : v));
  },
  backward([g], node) {
    // torch's hardtanh_backward: zero gradient on and beyond the edges
    const x = node.input(0);
    return [E.where(E.logical_and(E.gt(x, node.attrs.lo), E.lt(x, node.attrs.hi)), g!, 0)];
  },
});

/** F.hardtanh(input, min_val=-1.0, max_val=1.0, inplace=false). */
export function hardtanh(input: Tensor, ...rest: PyRest<[min_val: number | undefined, max_val: number | undefined, inplace: boolean | undefined], { min_val?: number; max_val?: number; inplace?: boolean }>): Tensor {
  const fn = 'F.hardtanh';
  const a = pyArgs(fn, ['min_val', 'max_val', 'inplace'], rest);
  floatArg(fn, 'input', input);
  const lo = numArg(fn, 'min_val', a.min_val, -1), hi = numArg(fn, 'max_val', a.max_val, 1);
  if (lo > hi) throw new Error(`${fn}: min_val cannot be greater than max_val, got min_val=${lo}, max_val=${hi}`);
  return maybeInplace(input, 'hardtanh_', boolArg(fn, 'inplace', a.inplace, false), (s) => op1(hardtanhOp, [s], { lo, hi }));
}

/** F.relu6(input, inplace=false) = hardtanh(input, 0, 6). */
export function relu6(input: Tensor, ...rest: PyRest<InplacePos, InplaceOpt>): Tensor {
  const a = pyArgs('F.relu6', ['inplace'], rest);
  return hardtanh(input, 0, 6, a.inplace ?? false);
}

/** torch's implicit softmax dim (deprecated there): 0 for 0-, 1- and 3-d input, else 1. */
function softmaxDim(fn: string, x: Tensor, dim: unknown): number {
  if (dim === undefined || dim === null) return x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1;
  checkInt(fn, 'dim', dim);
  return dim as number;
}

type SoftmaxPos = [dim: number | null | undefined, _stacklevel: number | undefined, dtype: DType | null | undefined];
interface SoftmaxOpt { dim?: number | null; _stacklevel?: number; dtype?: DType | null }

function softmaxLike(fn: string, input: Tensor, rest: readonly unknown[], log: boolean): Tensor {
  const a = pyArgs(fn, ['dim', '_stacklevel', 'dtype'], rest);
  tensorArg(fn, 'input', input);
  let x = input;
  if (a.dtype !== undefined && a.dtype !== null) {
    if (!isDType(a.dtype) || !isFloating(a.dtype)) fail(fn, 'dtype', 'a floating point dtype', a.dtype);
    x = x.to(a.dtype);
  }
  const dim = softmaxDim(fn, x, a.dim);
  return log ? logSoftmaxOp(x, dim) : softmaxOp(x, dim);
}

/** F.softmax(input, dim, _stacklevel, dtype): dim should be given (without it, torch's deprecated implicit choice). */
export function softmax(input: Tensor, ...rest: PyRest<SoftmaxPos, SoftmaxOpt>): Tensor {
  return softmaxLike('F.softmax', input, rest, false);
}

/** F.log_softmax(input, dim, _stacklevel, dtype). */
export function log_softmax(input: Tensor, ...rest: PyRest<SoftmaxPos, SoftmaxOpt>): Tensor {
  return softmaxLike('F.log_softmax', input, rest, true);
}
