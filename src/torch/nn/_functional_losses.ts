/**
 * torch.nn.functional losses (mse, l1, smooth_l1, huber, nll, cross_entropy, binary_cross_entropy(_with_logits), kl_div)
 * and the Reduction / LegacyReduction types; re-exported by functional.ts, the public F.
 */
import { no_grad } from '../../core/autograd';
import { type DType, isFloating } from '../../core/dtype';
import { checkInt, fail } from '../../core/errors';
import { defineOp, op1 } from '../../core/registry';
import { fmt, sameShape } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import * as E from '../../core/ops/elementwise';
import { index_select } from '../../core/ops/join';
import { log_softmax as logSoftmaxOp } from '../../core/ops/reduce';
import { reshape } from '../../core/ops/view';
import { boolArg, floatArg, numArg, tensorArg } from './_functional_args';
import { pyArgs, type PyRest } from './modules/module';

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
