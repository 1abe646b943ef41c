/**
 * torch.nn.functional (the `F` namespace), PyTorch 1.13 semantics.
 *
 * `import { F } from 'spikeport'`. Python keyword arguments go in a trailing options object with the same names;
 * optional arguments that Python code commonly passes positionally may also be given positionally
 * (`F.leaky_relu(x, 0.2)`, `F.dropout(x, 0.5, self.training)`, `F.cross_entropy(x, t, { label_smoothing: 0.1 })`).
 *
 * Fused ops (linear, elu, gelu, softplus, hardtanh, binary_cross_entropy(_with_logits), embedding, constant pad) are
 * registered once here with their forward kernel and backward rule; their backward rules are written with engine ops,
 * so gradients of gradients exist. The other losses are compositions of engine ops following torch 1.13's formulas
 * (same weighting and normalisation rules).
 */
import { no_grad } from '../../core/autograd';
import { type DType, isDType, isFloating } from '../../core/dtype';
import { checkInt, describe, fail } from '../../core/errors';
import { gemm } from '../../core/kernels/gemm';
import { defineOp, op1, type OpDef } from '../../core/registry';
import { fmt, numel, sameShape } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import * as E from '../../core/ops/elementwise';
import { inplace } from '../../core/ops/inplace';
import { index_select, one_hot as oneHotKernel } from '../../core/ops/join';
import { matmul, mm } from '../../core/ops/linalg';
import { log_softmax as logSoftmaxOp, softmax as softmaxOp, sum } from '../../core/ops/reduce';
import { copyInto, reshape } from '../../core/ops/view';
import { erf as erfScalar } from '../../core/special';
import { pyArgs, type PyRest } from './modules/module';

// convolution, pooling and normalisation live in the engine (core/ops/{conv,pool,norm}.ts)
export { conv1d, conv2d } from '../../core/ops/conv';
export { max_pool1d, max_pool2d, max_pool1d_with_indices, max_pool2d_with_indices, avg_pool1d, avg_pool2d, adaptive_avg_pool2d } from '../../core/ops/pool';
export { batch_norm, layer_norm, group_norm } from '../../core/ops/norm';

type GemmArray = Float32Array | Float64Array;

// ---- helpers ------------------------------------------------------------------------------------------------------------

function tensorArg(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) fail(fn, arg, 'a Tensor', x);
  return x;
}

function floatArg(fn: string, arg: string, x: unknown): Tensor {
  const t = tensorArg(fn, arg, x);
  if (!isFloating(t.dtype)) fail(fn, arg, 'a floating point (float32 or float64) tensor', t);
  return t;
}

function numArg(fn: string, arg: string, v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

function boolArg(fn: string, arg: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

/** A contiguous output of x's shape and dtype with out[i] = f(x[i]) (computed in double, stored in x's dtype). */
function mapUnary(x: Tensor, f: (v: number) => number): Tensor {
  const xc = x.contiguous();
  const out = Tensor.empty(x.shape, x.dtype);
  const o = out.buffer, b = xc.buffer, off = xc.offset, n = o.length;
  for (let i = 0; i < n; i++) o[i] = f(b[off + i]);
  return out;
}

/** Runs an in-place version through the engine's in-place machinery (autograd rebases onto the result). */
function maybeInplace(x: Tensor, name: string, inplaceFlag: boolean, f: (s: Tensor) => Tensor): Tensor {
  return inplaceFlag ? inplace(x, name, f) : f(x);
}

// ---- reductions of losses -----------------------------------------------------------------------------------------------

export type Reduction = 'none' | 'mean' | 'sum';
export interface LegacyReduction { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction }

/** torch's _Reduction: the legacy size_average / reduce flags override `reduction` when given. */
function reductionArg(fn: string, o: LegacyReduction, allowBatchmean = false): Reduction | 'batchmean' {
  const sa = o.size_average ?? null, rd = o.reduce ?? null;
  if (sa !== null || rd !== null) {
    const s = sa ?? true, r = rd ?? true;
    return s && r ? 'mean' : r ? 'sum' : 'none';
  }
  const red = o.reduction ?? 'mean';
  if (red === 'none' || red === 'mean' || red === 'sum' || (allowBatchmean && red === 'batchmean')) return red;
  throw new Error(`${fn}: ${JSON.stringify(red)} is not a valid value for reduction (expected 'none', 'mean'${allowBatchmean ? ", 'batchmean'" : ''} or 'sum')`);
}

function applyReduction(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? loss.sum() : loss.mean();
}

// ---- linear ---------------------------------------------------------------------------------------------------------------

/** Row-major view of a 2-D tensor for gemm: (trans, ld), or null when it needs a copy. */
function gemmView(t: Tensor): { trans: boolean; ld: number } | null {
  const [r, c] = t.shape;
  const [s0, s1] = t._stride;
  if ((s1 === 1 || c <= 1) && (r <= 1 || s0 >= Math.max(c, 1))) return { trans: false, ld: r <= 1 ? Math.max(c, 1) : s0 };
  if ((s0 === 1 || r <= 1) && (c <= 1 || s1 >= Math.max(r, 1))) return { trans: true, ld: c <= 1 ? Math.max(r, 1) : s1 };
  return null;
}

/** y = x Wᵀ + b in one gemm (bias preloaded into the output, beta = 1); backward is two gemms and a column sum. */
const linearOp = defineOp<Record<string, never>>({
  name: 'nn.linear',
  forward([x, w, b]) {
    const inF = w.shape[1], outF = w.shape[0];
    const N = numel(x.shape.slice(0, -1));
    const out = Tensor.empty([...x.shape.slice(0, -1), outF], x.dtype);
    const o = out.buffer as GemmArray;
    if (b) {
      const bc = b.contiguous();
      const bb = bc.buffer.subarray(bc.offset, bc.offset + outF);
      for (let r = 0; r < N; r++) o.set(bb as never, r * outF);
    }
    if (inF === 0 || N === 0 || outF === 0) return out;
    let x2 = x.ndim === 2 ? x : null;
    let lx = x2 ? gemmView(x2) : null;
    if (!lx) {
      const xc = x.contiguous();
      x2 = xc._view([N, inF], [inF, 1], xc.offset);
      lx = { trans: false, ld: Math.max(inF, 1) };
    }
    let wv = w, lw = gemmView(w);
    if (!lw) { wv = w.contiguous(); lw = gemmView(wv)!; }
    // op(B) = Wᵀ: W stored row-major (out × in) is read transposed
    gemm(lx.trans, !lw.trans, N, outF, inF, 1, x2!.buffer as GemmArray, x2!.offset, lx.ld, wv.buffer as GemmArray, wv.offset, lw.ld, b ? 1 : 0, o, 0, Math.max(outF, 1));
    return out;
  },
  backward([g], node) {
    const x = node.input(0), w = node.input(1);
    const inF = w.shape[1], outF = w.shape[0];
    const g2 = g!.ndim === 2 ? g! : reshape(g!, [-1, outF]);
    const gx = node.next[0] ? reshape(mm(g2, w), x.shape.slice()) : null;
    const gw = node.next[1] ? mm(g2.t(), x.ndim === 2 ? x : reshape(x, [-1, inF])) : null;
    const gb = node.next[2] ? sum(g2, 0) : null;
    return node.next.length === 3 ? [gx, gw, gb] : [gx, gw];
  },
});

/** F.linear(input, weight, bias?): input (*, in), weight (out, in), bias (out). */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const fn = 'F.linear';
  floatArg(fn, 'input', input);
  floatArg(fn, 'weight', weight);
  if (weight.ndim !== 2) {
    if (weight.ndim === 1 || weight.ndim === 0) {
      // torch allows a 1-D weight (a dot product); keep the generic path
      const y = matmul(input, weight);
      return bias ? y.add(bias) : y;
    }
    throw new Error(`${fn}: weight must be 2-D (out_features, in_features), got shape ${fmt(weight.shape)}`);
  }
  if (input.ndim === 0) throw new Error(`${fn}: input must have at least 1 dimension, got a 0-d tensor`);
  if (input.shape[input.ndim - 1] !== weight.shape[1]) {
    const rows = input.ndim === 1 ? 1 : numel(input.shape.slice(0, -1));
    throw new Error(`${fn}: mat1 and mat2 shapes cannot be multiplied (${rows}x${input.shape[input.ndim - 1]} and ${weight.shape[1]}x${weight.shape[0]}) (input ${fmt(input.shape)}, weight ${fmt(weight.shape)})`);
  }
  if (weight.dtype !== input.dtype) throw new Error(`${fn}: expected input and weight to have the same dtype, got ${input.dtype} and ${weight.dtype}`);
  if (bias !== null && bias !== undefined) {
    tensorArg(fn, 'bias', bias);
    if (bias.dtype !== input.dtype) throw new Error(`${fn}: expected bias to have dtype ${input.dtype}, got ${bias.dtype}`);
    if (bias.ndim > 1 || (bias.ndim === 1 && bias.shape[0] !== weight.shape[0] && bias.shape[0] !== 1)) {
      throw new Error(`${fn}: bias of shape ${fmt(bias.shape)} does not match out_features ${weight.shape[0]}`);
    }
    if (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]) return op1(linearOp, [input, weight], {}).add(bias);
    return op1(linearOp, [input, weight, bias], {});
  }
  return op1(linearOp, [input, weight], {});
}

/** F.bilinear(input1, input2, weight, bias?): y_k = x1ᵀ W_k x2 + b_k; input1 (*, in1), input2 (*, in2), weight (out, in1, in2). */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const fn = 'F.bilinear';
  floatArg(fn, 'input1', input1);
  floatArg(fn, 'input2', input2);
  floatArg(fn, 'weight', weight);
  if (weight.ndim !== 3) throw new Error(`${fn}: weight must be 3-D (out, in1, in2), got shape ${fmt(weight.shape)}`);
  const [O, I1, I2] = weight.shape;
  if (input1.shape[input1.ndim - 1] !== I1 || input2.shape[input2.ndim - 1] !== I2 || !sameShape(input1.shape.slice(0, -1), input2.shape.slice(0, -1))) {
    throw new Error(`${fn}: input1 ${fmt(input1.shape)} and input2 ${fmt(input2.shape)} must agree in their leading dims and match weight ${fmt(weight.shape)}`);
  }
  const lead = input1.shape.slice(0, -1);
  const x1 = reshape(input1, [-1, I1]), x2 = reshape(input2, [-1, I2]);
  // (N, I1) @ (I1, O·I2) -> (N, O, I2), then contract with x2
  const t = mm(x1, reshape(weight.permute(1, 0, 2), [I1, O * I2]));
  let y = reshape(t, [-1, O, I2]).mul(x2.unsqueeze(1)).sum(2);
  if (bias) y = y.add(bias);
  return reshape(y, [...lead, O]);
}

// ---- activations -----------------------------------------------------------------------------------------------------------

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

// ---- dropout ------------------------------------------------------------------------------------------------------------------

type DropoutPos = [p: number | undefined, training: boolean | undefined, inplace: boolean | undefined];
interface DropoutOpt { p?: number; training?: boolean; inplace?: boolean }

/**
 * torch 1.13's _dropout_impl: noise = empty_like (or the (N, C, 1, …) feature shape), noise.bernoulli_(1 − p),
 * noise.div_(1 − p), input · noise; so with torch.manual_seed the masks equal PyTorch's.
 */
function dropoutImpl(fn: string, input: Tensor, rest: readonly unknown[], feature: boolean): Tensor {
  const a = pyArgs(fn, ['p', 'training', 'inplace'], rest);
  floatArg(fn, 'input', input);
  const p = numArg(fn, 'p', a.p, 0.5);
  if (p < 0 || p > 1) throw new Error(`${fn}: dropout probability has to be between 0 and 1, but got ${p}`);
  const training = boolArg(fn, 'training', a.training, true);
  const inpl = boolArg(fn, 'inplace', a.inplace, false);
  if (p === 0 || !training || input.numel() === 0) return input;
  if (p === 1) return maybeInplace(input, 'dropout_', inpl, (s) => E.mul(s, E.scalarTensor(0, s.dtype)));
  let noiseShape = input.shape.slice();
  if (feature) {
    if (input.ndim < 2) throw new Error(`${fn}: Feature dropout requires at least 2 dimensions in the input, got shape ${fmt(input.shape)}`);
    noiseShape = [input.shape[0], input.shape[1], ...input.shape.slice(2).map(() => 1)];
  }
  const noise = no_grad(() => Tensor.empty(noiseShape, input.dtype).bernoulli_(1 - p).div_(1 - p));
  return maybeInplace(input, 'dropout_', inpl, (s) => E.mul(s, noise));
}

/** F.dropout(input, p=0.5, training=true, inplace=false). */
export function dropout(input: Tensor, ...rest: PyRest<DropoutPos, DropoutOpt>): Tensor {
  return dropoutImpl('F.dropout', input, rest, false);
}

/** F.dropout1d(input, p, training, inplace): zeroes whole channels of (N, C, L) or (C, L) input. */
export function dropout1d(input: Tensor, ...rest: PyRest<DropoutPos, DropoutOpt>): Tensor {
  tensorArg('F.dropout1d', 'input', input);
  if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`F.dropout1d: Expected 2D or 3D input, but received a ${input.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  if (input.ndim === 2) return dropoutImpl('F.dropout1d', input.unsqueeze(0), rest, true).squeeze(0);
  return dropoutImpl('F.dropout1d', input, rest, true);
}

/**
 * F.dropout2d(input, p, training, inplace): zeroes whole channels (N, C, H, W). As in torch 1.13, 3-D input is read as
 * (N, C, L) (1-D channel-wise dropout), not as unbatched (C, H, W).
 */
export function dropout2d(input: Tensor, ...rest: PyRest<DropoutPos, DropoutOpt>): Tensor {
  return dropoutImpl('F.dropout2d', input, rest, true);
}

// ---- embedding, one_hot, pad ----------------------------------------------------------------------------------------------------

interface EmbAttrs { idx: Int32Array; shape: number[]; padding_idx: number; counts: Float64Array | null }

const embeddingBackwardOp: OpDef<EmbAttrs & { rows: number }> = defineOp<EmbAttrs & { rows: number }>({
  name: 'nn.embedding_backward',
  forward([g], { idx, padding_idx, counts, rows }) {
    const D = g.shape[g.ndim - 1];
    const gc = g.contiguous();
    const out = Tensor.empty([rows, D], g.dtype);
    const o = out.buffer, b = gc.buffer, off = gc.offset;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (i === padding_idx) continue;
      const s = counts ? 1 / counts[i] : 1;
      const dst = i * D, src = off + k * D;
      if (s === 1) for (let j = 0; j < D; j++) o[dst + j] += b[src + j];
      else for (let j = 0; j < D; j++) o[dst + j] += b[src + j] * s;
    }
    return out;
  },
  backward([gg], node) {
    const { idx, shape, padding_idx, counts } = node.attrs;
    return [op1(embeddingOp, [gg!], { idx, shape, padding_idx, counts, scaleRows: true })];
  },
});

const embeddingOp: OpDef<EmbAttrs & { scaleRows?: boolean }> = defineOp<EmbAttrs & { scaleRows?: boolean }>({
  name: 'nn.embedding',
  forward([w], { idx, shape, padding_idx, counts, scaleRows }) {
    const D = w.shape[1];
    const wc = w.contiguous();
    const out = Tensor.empty([...shape, D], w.dtype);
    const o = out.buffer, b = wc.buffer, off = wc.offset;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (scaleRows) {
        // the adjoint of embedding_backward (only reached by double backward)
        if (i === padding_idx) continue;
        const s = counts ? 1 / counts[i] : 1;
        for (let j = 0; j < D; j++) o[k * D + j] = b[off + i * D + j] * s;
      } else {
        o.set(b.subarray(off + i * D, off + (i + 1) * D) as never, k * D);
      }
    }
    return out;
  },
  backward([g], node) {
    const { idx, shape, padding_idx, counts, scaleRows } = node.attrs;
    if (scaleRows) throw new Error('F.embedding: third-order gradients are not supported');
    return [op1(embeddingBackwardOp, [g!], { idx, shape, padding_idx, counts, rows: node.inputShapes[0][0] })];
  },
});

interface EmbeddingOpt { padding_idx?: number | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean }
type EmbeddingPos = [padding_idx: number | null | undefined, max_norm: number | null | undefined, norm_type: number | undefined, scale_grad_by_freq: boolean | undefined, sparse: boolean | undefined];

/** torch.embedding_renorm_: rows looked up by `idx` whose norm exceeds max_norm are scaled (in place) to max_norm / (norm + 1e-7). */
export function _embedding_renorm_(weight: Tensor, idx: Int32Array, max_norm: number, norm_type: number): void {
  const uniq = [...new Set(idx)].sort((a, b) => a - b);
  no_grad(() => {
    for (const i of uniq) {
      const row = weight.select(0, i);
      const norm = row.norm(norm_type).item();
      if (norm > max_norm) {
        const scale = max_norm / (norm + 1e-7);
        row.copy_(row.mul(scale));
      }
    }
  });
}

/**
 * F.embedding(input, weight, padding_idx?, max_norm?, norm_type=2, scale_grad_by_freq=false, sparse=false): rows of weight
 * looked up by integer indices. The padding_idx row gets no gradient; max_norm renormalises looked-up rows in place first.
 */
export function embedding(input: Tensor, weight: Tensor, ...rest: PyRest<EmbeddingPos, EmbeddingOpt>): Tensor {
  const fn = 'F.embedding';
  const a = pyArgs(fn, ['padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse'], rest);
  tensorArg(fn, 'input', input);
  floatArg(fn, 'weight', weight);
  if (input.dtype !== 'int32') fail(fn, 'input', 'an int32 (index) tensor', input);
  if (weight.ndim !== 2) throw new Error(`${fn}: 'weight' must be 2-D, got shape ${fmt(weight.shape)}`);
  if (a.sparse) throw new Error(`${fn}: sparse gradients are not supported in spikeport (sparse=true)`);
  const V = weight.shape[0];
  let pad = -1;
  if (a.padding_idx !== undefined && a.padding_idx !== null) {
    checkInt(fn, 'padding_idx', a.padding_idx);
    if (a.padding_idx >= V || a.padding_idx < -V) throw new Error(`${fn}: Padding_idx must be within num_embeddings (${V}), got ${a.padding_idx}`);
    pad = a.padding_idx < 0 ? a.padding_idx + V : a.padding_idx;
  }
  const idx = input.contiguous().toTypedArray() as Int32Array;
  for (let k = 0; k < idx.length; k++) if (idx[k] < 0 || idx[k] >= V) throw new Error(`${fn}: index out of range in self (index ${idx[k]}, num_embeddings ${V})`);
  if (a.max_norm !== undefined && a.max_norm !== null) _embedding_renorm_(weight, idx, numArg(fn, 'max_norm', a.max_norm, 0), numArg(fn, 'norm_type', a.norm_type, 2));
  let counts: Float64Array | null = null;
  if (boolArg(fn, 'scale_grad_by_freq', a.scale_grad_by_freq, false)) {
    counts = new Float64Array(V);
    for (const i of idx) counts[i]++;
  }
  return op1(embeddingOp, [weight], { idx, shape: input.shape.slice(), padding_idx: pad, counts });
}

/** F.one_hot(tensor, num_classes=-1): int32 (torch: int64) of shape (*, num_classes). */
export function one_hot(input: Tensor, ...rest: PyRest<[num_classes: number | undefined], { num_classes?: number }>): Tensor {
  const a = pyArgs('F.one_hot', ['num_classes'], rest);
  return oneHotKernel(input, a.num_classes ?? -1);
}

const constantPadOp: OpDef<{ pads: number[]; value: number }> = defineOp<{ pads: number[]; value: number }>({
  name: 'nn.constant_pad',
  forward([x], { pads, value }) {
    const nd = x.ndim, k = pads.length / 2;
    const shape = x.shape.slice();
    for (let i = 0; i < k; i++) shape[nd - 1 - i] += pads[2 * i] + pads[2 * i + 1];
    const out = Tensor.empty(shape, x.dtype);
    if (value !== 0) out.buffer.fill(value);
    // the overlap: input [max(0, -l), s - max(0, -r)) -> output [max(0, l), …)
    let src = x, dst = out;
    for (let i = 0; i < k; i++) {
      const d = nd - 1 - i, l = pads[2 * i], r = pads[2 * i + 1];
      const s0 = Math.max(0, -l), len = x.shape[d] - s0 - Math.max(0, -r);
      const o0 = Math.max(0, l);
      if (len <= 0) return out;
      const ss = src.shape.slice(); ss[d] = len;
      src = src._view(ss, src._stride, src.offset + s0 * src._stride[d]);
      const ds = dst.shape.slice(); ds[d] = len;
      dst = dst._view(ds, dst._stride, dst.offset + o0 * dst._stride[d]);
    }
    copyInto(dst, src);
    return out;
  },
  backward([g], node) {
    return [op1(constantPadOp, [g!], { pads: node.attrs.pads.map((p: number) => -p), value: 0 })];
  },
});

/** Index map for reflect / replicate / circular padding of one dim of size n by (l, r). */
function padIndex(fn: string, mode: string, n: number, l: number, r: number, d: number): Tensor {
  const out = new Int32Array(n + l + r);
  if (mode === 'reflect' && (l >= n || r >= n)) {
    throw new Error(`${fn}: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${d} of input of size ${n}`);
  }
  if (mode === 'circular' && (l > n || r > n)) throw new Error(`${fn}: Padding value causes wrapping around more than once (padding (${l}, ${r}), size ${n})`);
  if (n === 0) throw new Error(`${fn}: ${mode} padding of an empty dimension (${d})`);
  for (let j = 0; j < out.length; j++) {
    let i = j - l;
    if (mode === 'reflect') { while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i; }
    else if (mode === 'replicate') i = Math.min(Math.max(i, 0), n - 1);
    else i = ((i % n) + n) % n;
    out[j] = i;
  }
  return Tensor.fromBuffer(out, [out.length], 'int32');
}

/**
 * F.pad(input, pad, mode='constant', value=0): pad = [left_last, right_last, left_prev, right_prev, …] (last dim first);
 * negative constant pads crop. Modes 'reflect', 'replicate' and 'circular' pad the last len(pad)/2 dims (non-negative pads).
 */
export function pad(input: Tensor, padArg: number[], ...rest: PyRest<[mode: string | undefined, value: number | null | undefined], { mode?: string; value?: number | null }>): Tensor {
  const fn = 'F.pad';
  const a = pyArgs(fn, ['mode', 'value'], rest);
  tensorArg(fn, 'input', input);
  if (!Array.isArray(padArg) || padArg.some((p) => !Number.isInteger(p))) fail(fn, 'pad', 'an array of integers', padArg);
  if (padArg.length % 2 !== 0) throw new Error(`${fn}: Padding length must be divisible by 2, got ${padArg.length}`);
  if (padArg.length / 2 > input.ndim) throw new Error(`${fn}: Padding length should be less than or equal to two times the input dimension, got pad of length ${padArg.length} for a ${input.ndim}-D input`);
  const mode = a.mode ?? 'constant';
  if (mode === 'constant') {
    const value = numArg(fn, 'value', a.value, 0);
    for (let i = 0; i < padArg.length / 2; i++) {
      const d = input.ndim - 1 - i;
      const size = input.shape[d] + padArg[2 * i] + padArg[2 * i + 1];
      if (size < 0) throw new Error(`${fn}: The input size ${input.shape[d]}, plus negative padding ${padArg[2 * i]} and ${padArg[2 * i + 1]} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`);
    }
    if (padArg.every((p) => p === 0)) return input.clone();
    return op1(constantPadOp, [input], { pads: padArg.slice(), value });
  }
  if (mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') throw new Error(`${fn}: mode must be 'constant', 'reflect', 'replicate' or 'circular', got ${describe(mode)}`);
  if (a.value !== undefined && a.value !== null && a.value !== 0) throw new Error(`${fn}: Padding mode "${mode}" doesn't take in value argument`);
  if (padArg.some((p) => p < 0)) throw new Error(`${fn}: negative padding is only supported in 'constant' mode here, got ${fmt(padArg)}`);
  let y = input;
  for (let i = 0; i < padArg.length / 2; i++) {
    const d = input.ndim - 1 - i;
    if (padArg[2 * i] === 0 && padArg[2 * i + 1] === 0) continue;
    y = index_select(y, d, padIndex(fn, mode, input.shape[d], padArg[2 * i], padArg[2 * i + 1], d));
  }
  return y;
}

// ---- losses -------------------------------------------------------------------------------------------------------------------------

interface LossOpt extends LegacyReduction {}

function checkSameSize(fn: string, input: Tensor, target: Tensor): [Tensor, Tensor] {
  // torch warns and broadcasts; spikeport broadcasts too (the warning is about a likely bug, not an error)
  if (sameShape(input.shape, target.shape)) return [input, target];
  const shape = broadcastShape(fn, input.shape, target.shape);
  return [input.expand(shape), target.expand(shape)];
}

function broadcastShape(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`${fn}: The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i} (input ${fmt(a)}, target ${fmt(b)})`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** F.mse_loss(input, target, { reduction }): (input − target)². */
export function mse_loss(input: Tensor, target: Tensor, options?: LossOpt): Tensor {
  const fn = 'F.mse_loss';
  const o = pyArgs(fn, ['size_average', 'reduce', 'reduction'], [options]);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const [x, t] = checkSameSize(fn, input, target);
  const d = E.sub(x, t);
  return applyReduction(E.mul(d, d), reductionArg(fn, o) as Reduction);
}

/** F.l1_loss(input, target, { reduction }): |input − target|. */
export function l1_loss(input: Tensor, target: Tensor, options?: LossOpt): Tensor {
  const fn = 'F.l1_loss';
  const o = pyArgs(fn, ['size_average', 'reduce', 'reduction'], [options]);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const [x, t] = checkSameSize(fn, input, target);
  return applyReduction(E.abs(E.sub(x, t)), reductionArg(fn, o) as Reduction);
}

const smoothL1Op = defineOp<{ beta: number }>({
  name: 'nn.smooth_l1_loss',
  forward([x, t], { beta }) {
    const xc = x.contiguous(), tc = t.contiguous();
    const out = Tensor.empty(x.shape, x.dtype);
    const o = out.buffer, xb = xc.buffer, tb = tc.buffer, xo = xc.offset, to = tc.offset;
    const r = x.dtype === 'float32' ? Math.fround : (v: number) => v;
    const halfBeta = r(0.5 * beta);
    for (let i = 0; i < o.length; i++) {
      const z = Math.abs(r(xb[xo + i] - tb[to + i]));
      o[i] = z < beta ? r(r(r(0.5 * z) * z) / beta) : z - halfBeta;
    }
    return out;
  },
  backward([g], node) {
    // torch 1.13's smooth_l1_backward: d <= −beta → −g, d >= beta → g, else g·d/beta (so beta = 0 gives −g at d = 0)
    const d = E.sub(node.input(0), node.input(1));
    const beta = node.attrs.beta;
    const inner = beta === 0 ? E.zerosLike(d) : E.div(E.mul(d, g!), beta);
    const gx = E.where(E.le(d, -beta), E.neg(g!), E.where(E.ge(d, beta), g!, inner));
    return [node.next[0] ? gx : null, node.next[1] ? E.neg(gx) : null];
  },
});

/** F.smooth_l1_loss(input, target, { reduction, beta = 1.0 }): 0.5·d²/beta where |d| < beta, else |d| − 0.5·beta. */
export function smooth_l1_loss(input: Tensor, target: Tensor, options?: LossOpt & { beta?: number }): Tensor {
  const fn = 'F.smooth_l1_loss';
  const o = pyArgs(fn, ['size_average', 'reduce', 'reduction', 'beta'], [options]);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const beta = numArg(fn, 'beta', o.beta, 1.0);
  if (beta < 0) throw new Error(`${fn}: smooth_l1_loss does not support negative values for beta, got ${beta}`);
  const reduction = reductionArg(fn, o) as Reduction;
  const [x, t] = checkSameSize(fn, input, target);
  return applyReduction(op1(smoothL1Op, [x, t.dtype === x.dtype ? t : t.to(x.dtype)], { beta }), reduction);
}

/** F.huber_loss(input, target, { reduction, delta = 1.0 }): 0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta). */
export function huber_loss(input: Tensor, target: Tensor, options?: { reduction?: Reduction; delta?: number }): Tensor {
  const fn = 'F.huber_loss';
  const o = pyArgs(fn, ['reduction', 'delta'], [options]);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const delta = numArg(fn, 'delta', o.delta, 1.0);
  if (!(delta > 0)) throw new Error(`${fn}: huber_loss does not support non-positive values for delta, got ${delta}`);
  const [x, t] = checkSameSize(fn, input, target);
  const z = E.abs(E.sub(x, t));
  return applyReduction(E.where(E.lt(z, delta), E.mul(E.mul(z, z), 0.5), E.mul(E.sub(z, 0.5 * delta), delta)), reductionArg(fn, o) as Reduction);
}

interface NllOpt extends LossOpt { weight?: Tensor | null; ignore_index?: number }
const NLL_NAMES = ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'];

/** Validates class-index targets; returns (C, class dim). */
function checkClassTarget(fn: string, input: Tensor, target: Tensor, weight: Tensor | null, ignore: number): { C: number; cdim: number } {
  if (input.ndim < 1) throw new Error(`${fn}: Expected 1 or more dimensions (got ${input.ndim})`);
  if (target.dtype !== 'int32') fail(fn, 'target', 'an int32 tensor of class indices (or, for cross_entropy, float class probabilities of the input\'s shape)', target);
  if (input.ndim !== 1 && input.shape[0] !== target.shape[0]) {
    throw new Error(`${fn}: Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.ndim ? target.shape[0] : 'a 0-d target'}).`);
  }
  const cdim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[cdim];
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (!sameShape(target.shape, expected)) throw new Error(`${fn}: Expected target size ${fmt(expected)}, got ${fmt(target.shape)} (input ${fmt(input.shape)})`);
  if (weight && (weight.ndim !== 1 || weight.numel() !== C)) {
    throw new Error(`${fn}: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${fmt(weight.shape)}`);
  }
  const tv = target.contiguous().toTypedArray() as Int32Array;
  for (const v of tv) if (v !== ignore && (v < 0 || v >= C)) throw new Error(`${fn}: Target ${v} is out of bounds (${C} classes).`);
  return { C, cdim };
}

/** The per-element negative log-likelihood and the per-element weight (0 where ignored). */
function nllParts(input: Tensor, target: Tensor, weight: Tensor | null, ignore: number, cdim: number): { loss: Tensor; w: Tensor | null; mask: Tensor } {
  const mask = E.ne(target, ignore);
  const safe = E.where(mask, target, 0);
  const picked = input.gather(cdim, safe.unsqueeze(cdim)).squeeze(cdim);
  if (!weight) return { loss: E.where(mask, E.neg(picked), 0), w: null, mask };
  const wt = E.where(mask, reshape(index_select(weight, 0, reshape(safe, [-1])), target.shape.slice()), 0);
  return { loss: E.where(mask, E.neg(E.mul(picked, wt)), 0), w: wt, mask };
}

function nllReduce(loss: Tensor, w: Tensor | null, mask: Tensor, reduction: Reduction, dtype: DType): Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return loss.sum();
  const total = w ? w.sum() : E.cast(mask, dtype).sum();
  return E.div(loss.sum(), total);
}

/**
 * F.nll_loss(input, target, weight?, { ignore_index = -100, reduction = 'mean' }): input (C), (N, C) or (N, C, d1, …) of
 * log-probabilities, target (), (N) or (N, d1, …) int32 class indices. 'mean' divides by the summed weights of the
 * non-ignored targets (NaN when all are ignored), as torch does.
 */
export function nll_loss(input: Tensor, target: Tensor, ...rest: PyRest<[weight: Tensor | null | undefined], NllOpt>): Tensor {
  const fn = 'F.nll_loss';
  const o = pyArgs(fn, NLL_NAMES, rest);
  floatArg(fn, 'input', input);
  tensorArg(fn, 'target', target);
  const weight: Tensor | null = o.weight ?? null;
  if (weight) floatArg(fn, 'weight', weight);
  const ignore = o.ignore_index ?? -100;
  checkInt(fn, 'ignore_index', ignore);
  const reduction = reductionArg(fn, o) as Reduction;
  const { cdim } = checkClassTarget(fn, input, target, weight, ignore);
  const { loss, w, mask } = nllParts(input, target, weight, ignore, cdim);
  return nllReduce(loss, w, mask, reduction, input.dtype);
}

interface CrossEntropyOpt extends NllOpt { label_smoothing?: number }

/**
 * F.cross_entropy(input, target, weight?, { ignore_index = -100, reduction = 'mean', label_smoothing = 0 }).
 * target is either int32 class indices (shape of input without the class dim) or float class probabilities (the
 * input's shape). Follows torch 1.13 exactly: class indices go through log_softmax + nll_loss, and with label smoothing
 * mix in the (weighted) mean of −log p over classes, normalised like nll_loss; probability targets are smoothed as
 * t·(1 − ε) + ε/C and 'mean' divides by the batch size (numel / C).
 */
export function cross_entropy(input: Tensor, target: Tensor, ...rest: PyRest<[weight: Tensor | null | undefined], CrossEntropyOpt>): Tensor {
  const fn = 'F.cross_entropy';
  const o = pyArgs(fn, [...NLL_NAMES, 'label_smoothing'], rest);
  floatArg(fn, 'input', input);
  tensorArg(fn, 'target', target);
  const weight: Tensor | null = o.weight ?? null;
  if (weight) floatArg(fn, 'weight', weight);
  const ignore = o.ignore_index ?? -100;
  checkInt(fn, 'ignore_index', ignore);
  const ls = numArg(fn, 'label_smoothing', o.label_smoothing, 0);
  if (!(ls >= 0 && ls <= 1)) throw new Error(`${fn}: label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
  const reduction = reductionArg(fn, o) as Reduction;
  if (input.ndim < 1) throw new Error(`${fn}: Expected 1 or more dimensions (got ${input.ndim})`);
  const cdim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[cdim];

  if (sameShape(input.shape, target.shape)) {
    // class probabilities
    if (!isFloating(target.dtype)) throw new Error(`${fn}: Expected floating point type for target with class probabilities, got ${target.dtype}`);
    if (ignore >= 0) throw new Error(`${fn}: ignore_index is not supported for floating point target`);
    if (weight && (weight.ndim !== 1 || weight.numel() !== C)) {
      throw new Error(`${fn}: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${fmt(weight.shape)}`);
    }
    const logp = logSoftmaxOp(input, cdim);
    const t = ls > 0 ? E.add(E.mul(target, 1 - ls), ls / C) : target;
    let prod = E.mul(logp, t);
    if (weight) prod = E.mul(prod, input.ndim > 1 ? reshape(weight, input.shape.map((_, i) => (i === 1 ? C : 1))) : weight);
    if (reduction === 'none') return E.neg(prod.sum(cdim));
    if (reduction === 'sum') return E.neg(prod.sum());
    if (input.numel() === 0) return E.mul(prod.sum(), NaN);
    return E.div(E.neg(prod.sum()), Math.floor(input.numel() / C));
  }

  checkClassTarget(fn, input, target, weight, ignore);
  const logp = logSoftmaxOp(input, cdim);
  const { loss, w, mask } = nllParts(logp, target, weight, ignore, cdim);
  const nll = nllReduce(loss, w, mask, reduction, input.dtype);
  if (ls === 0) return nll;
  // torch 1.13 cross_entropy_loss_label_smoothing
  const smooth = E.where(mask, E.neg(weight ? E.mul(logp, input.ndim > 1 ? reshape(weight, input.shape.map((_, i) => (i === 1 ? C : 1))) : weight).sum(cdim) : logp.sum(cdim)), 0);
  let ret: Tensor;
  if (reduction === 'mean') ret = E.div(smooth.sum(), w ? w.sum() : E.cast(mask, input.dtype).sum());
  else ret = reduction === 'sum' ? smooth.sum() : smooth;
  return E.add(E.mul(nll, 1 - ls), E.mul(ret, ls / C));
}

const bceOp = defineOp<Record<string, never>>({
  name: 'nn.binary_cross_entropy',
  forward([x, t]) {
    const xc = x.contiguous(), tc = t.contiguous();
    const out = Tensor.empty(x.shape, x.dtype);
    const o = out.buffer, xb = xc.buffer, tb = tc.buffer, xo = xc.offset, to = tc.offset;
    const f32 = x.dtype === 'float32';
    for (let i = 0; i < o.length; i++) {
      const xv = xb[xo + i], tv = tb[to + i];
      if (!(xv >= 0 && xv <= 1)) throw new Error(`F.binary_cross_entropy: all elements of input should be between 0 and 1, got ${xv}`);
      let l1 = Math.log1p(-xv), l0 = Math.log(xv);
      if (f32) { l1 = Math.fround(l1); l0 = Math.fround(l0); }
      o[i] = (tv - 1) * Math.max(l1, -100) - tv * Math.max(l0, -100);
    }
    return out;
  },
  backward([g], node) {
    const x = node.input(0), t = node.input(1);
    // torch: grad · (x − t) / max((1 − x)·x, 1e-12); target: −grad · logit(x)
    const gx = node.next[0] ? E.div(E.mul(g!, E.sub(x, t)), E.clamp(E.mul(E.sub(1, x), x), 1e-12, null)) : null;
    const gt = node.next[1] ? E.neg(E.mul(g!, E.log(E.div(x, E.sub(1, x))))) : null;
    return [gx, gt];
  },
});

/**
 * F.binary_cross_entropy(input, target, weight?, { reduction }): −w·(t·log x + (1 − t)·log(1 − x)), each log clamped
 * at −100 as torch does; input must lie in [0, 1] and have the target's size.
 */
export function binary_cross_entropy(input: Tensor, target: Tensor, ...rest: PyRest<[weight: Tensor | null | undefined], LossOpt & { weight?: Tensor | null }>): Tensor {
  const fn = 'F.binary_cross_entropy';
  const o = pyArgs(fn, ['weight', 'size_average', 'reduce', 'reduction'], rest);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const reduction = reductionArg(fn, o) as Reduction;
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(`${fn}: Using a target size (${fmt(target.shape)}) that is different to the input size (${fmt(input.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  let loss = op1(bceOp, [input, target.dtype === input.dtype ? target : target.to(input.dtype)], {});
  if (o.weight) loss = E.mul(loss, floatArg(fn, 'weight', o.weight).expand(broadcastShape(fn, target.shape, o.weight.shape)));
  return applyReduction(loss, reduction);
}

const bceLogitsOp = defineOp<Record<string, never>>({
  name: 'nn.binary_cross_entropy_with_logits',
  forward([x, t, pw]) {
    // torch 1.13's formula, op for op (each step rounded to the tensor dtype)
    return no_grad(() => {
      const lse = softplusNeg(x);
      if (pw) {
        const logWeight = E.add(E.mul(E.sub(pw, 1), t), 1);
        return E.add(E.mul(E.sub(1, t), x), E.mul(logWeight, lse));
      }
      return E.add(E.mul(E.sub(1, t), x), lse);
    });
  },
  backward([g], node) {
    // torch 1.13: d/dx = (σ(x)·(1 + (pw − 1)·t) − pw·t)·g, or (σ(x) − t)·g; d/dt = (log σ(−x) − pw·log σ(x))·g
    const x = node.input(0), t = node.input(1);
    const pw = node.next.length > 2 ? node.input(2) : null;
    let gx: Tensor | null = null, gt: Tensor | null = null, gpw: Tensor | null = null;
    if (node.next[0]) {
      if (pw) {
        const pt = E.mul(pw, t);
        gx = E.mul(E.sub(E.mul(E.sub(E.add(pt, 1), t), E.sigmoid(x)), pt), g!);
      } else gx = E.mul(E.sub(E.sigmoid(x), t), g!);
    }
    const spNeg = (): Tensor => softplusNeg(x); // −log σ(x)
    if (node.next[1]) gt = pw ? E.mul(E.sub(E.mul(E.sub(pw, 1), spNeg()), x), g!) : E.mul(E.neg(x), g!);
    if (pw && node.next[2]) gpw = E.sumToShape(E.mul(E.mul(t, spNeg()), g!), pw.shape);
    return pw ? [gx, gt, gpw] : [gx, gt];
  },
});

/** log(1 + exp(−x)) = −log σ(x), computed as torch's BCE-with-logits does (max_val stabilised). */
function softplusNeg(x: Tensor): Tensor {
  const maxVal = E.clamp(E.neg(x), 0, null);
  return E.add(E.log(E.add(E.exp(E.neg(maxVal)), E.exp(E.sub(E.neg(x), maxVal)))), maxVal);
}

/**
 * F.binary_cross_entropy_with_logits(input, target, weight?, { reduction, pos_weight }): the numerically stable
 * sigmoid + BCE of torch 1.13, pos_weight (broadcast along the last dims) weighting the positive term.
 */
export function binary_cross_entropy_with_logits(input: Tensor, target: Tensor, ...rest: PyRest<[weight: Tensor | null | undefined], LossOpt & { weight?: Tensor | null; pos_weight?: Tensor | null }>): Tensor {
  const fn = 'F.binary_cross_entropy_with_logits';
  const o = pyArgs(fn, ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'], rest);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const reduction = reductionArg(fn, o) as Reduction;
  if (!sameShape(input.shape, target.shape)) throw new Error(`${fn}: Target size (${fmt(target.shape)}) must be the same as input size (${fmt(input.shape)})`);
  const pw: Tensor | null = o.pos_weight ?? null;
  if (pw) {
    floatArg(fn, 'pos_weight', pw);
    broadcastShape(fn, input.shape, pw.shape);
  }
  const t = target.dtype === input.dtype ? target : target.to(input.dtype);
  let loss = op1(bceLogitsOp, pw ? [input, t, pw] : [input, t], {});
  if (!sameShape(loss.shape, input.shape)) throw new Error(`${fn}: pos_weight of shape ${fmt(pw!.shape)} must broadcast to the input's shape ${fmt(input.shape)}`);
  if (o.weight) loss = E.mul(loss, floatArg(fn, 'weight', o.weight));
  return applyReduction(loss, reduction);
}

/** torch.xlogy(x, y) = x·log(y), 0 where x == 0 (unless y is NaN), with torch's gradients (x: log y where x != 0; y: x / y). */
const xlogyOp = defineOp<Record<string, never>>({
  name: 'nn.xlogy',
  forward([x, y]) {
    return no_grad(() => E.where(E.logical_and(E.eq(x, 0), E.logical_not(E.isnan(y))), 0, E.mul(x, E.log(y))));
  },
  backward([g], node) {
    const x = node.input(0), y = node.input(1);
    const gx = node.next[0] ? E.sumToShape(E.mul(g!, E.where(E.ne(x, 0), E.log(y), 0)), node.inputShapes[0]) : null;
    const gy = node.next[1] ? E.sumToShape(E.div(E.mul(g!, x), y), node.inputShapes[1]) : null;
    return [gx, gy];
  },
});

/**
 * F.kl_div(input, target, { reduction = 'mean', log_target = false }): input holds log-probabilities; pointwise
 * target·(log target − input) (0 where target is 0), or exp(target)·(target − input) with log_target.
 * 'batchmean' divides the sum by the batch size (input.size(0)), which is the mathematically correct KL divergence.
 */
export function kl_div(input: Tensor, target: Tensor, options?: Omit<LegacyReduction, 'reduction'> & { reduction?: Reduction | 'batchmean'; log_target?: boolean }): Tensor {
  const fn = 'F.kl_div';
  const o = pyArgs(fn, ['size_average', 'reduce', 'reduction', 'log_target'], [options]);
  floatArg(fn, 'input', input);
  floatArg(fn, 'target', target);
  const reduction = reductionArg(fn, o, true);
  const logTarget = boolArg(fn, 'log_target', o.log_target, false);
  const out = logTarget ? E.mul(E.exp(target), E.sub(target, input)) : E.sub(op1(xlogyOp, [target, target], {}), E.mul(target, input));
  if (reduction === 'batchmean') {
    const s = out.sum();
    return input.ndim !== 0 ? E.div(s, input.shape[0]) : s;
  }
  return applyReduction(out, reduction);
}
