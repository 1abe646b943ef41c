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
import { checkInt, describe, fail } from '../../core/errors';
import { gemm } from '../../core/kernels/gemm';
import { defineOp, op1, type OpDef } from '../../core/registry';
import { fmt, numel, sameShape } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import * as E from '../../core/ops/elementwise';
import { index_select, one_hot as oneHotKernel } from '../../core/ops/join';
import { matmul, mm } from '../../core/ops/linalg';
import { sum } from '../../core/ops/reduce';
import { copyInto, reshape } from '../../core/ops/view';
import { boolArg, floatArg, maybeInplace, numArg, tensorArg } from './_functional_args';
import { pyArgs, type PyRest } from './modules/module';

// convolution, pooling and normalisation live in the engine (core/ops/{conv,pool,norm}.ts)
export { conv1d, conv2d } from '../../core/ops/conv';
export { max_pool1d, max_pool2d, max_pool1d_with_indices, max_pool2d_with_indices, avg_pool1d, avg_pool2d, adaptive_avg_pool2d } from '../../core/ops/pool';
export { batch_norm, layer_norm, group_norm } from '../../core/ops/norm';
// activations and losses live in _functional_activations.ts and _functional_losses.ts (shared argument checks: _functional_args.ts)
export { relu, leaky_relu, elu, gelu, sigmoid, tanh, silu, softplus, hardtanh, relu6, softmax, log_softmax } from './_functional_activations';
export { type Reduction, type LegacyReduction, mse_loss, l1_loss, smooth_l1_loss, huber_loss, nll_loss, cross_entropy, binary_cross_entropy, binary_cross_entropy_with_logits, kl_div } from './_functional_losses';

type GemmArray = Float32Array | Float64Array;

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
