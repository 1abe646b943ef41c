/** Joining and integer indexing: cat, stack, split, chunk, unbind, index_select, gather, scatter(_add), nonzero, one_hot. */
import { promote } from '../dtype';
import { checkInt, fail } from '../errors';
import { defineOp, op1, run, type OpDef } from '../registry';
import { contiguousStrides, fmt, normDim, numel, sameShape } from '../shape';
import { hintedNonzeros, type HintSlice } from '../sparse_hint';
import { Tensor, type Operand } from '../tensor';
import { cast, checkTensor, gradAs, scalarTensor } from './elementwise';
import { copyInto, expand, narrow, reshape, select, unsqueeze } from './view';

// ---- cat / stack / split ------------------------------------------------------------------------------------------------

const catOp = defineOp<{ dim: number }>({
  name: 'cat',
  forward(xs, { dim }) {
    const dtype = xs.map((x) => x.dtype).reduce(promote);
    const ref = xs.find((x) => !(x.ndim === 1 && x.shape[0] === 0))!;
    const shape = ref.shape.slice();
    shape[dim] = 0;
    for (const x of xs) if (!(x.ndim === 1 && x.shape[0] === 0)) shape[dim] += x.shape[dim];
    const out = Tensor.empty(shape, dtype);
    let at = 0;
    for (const x of xs) {
      if (x.ndim === 1 && x.shape[0] === 0) continue; // torch skips legacy empty 1-d tensors
      copyInto(rawNarrow(out, dim, at, x.shape[dim]), x);
      at += x.shape[dim];
    }
    return out;
  },
  backward(gs, node) {
    const g = gs[0]!;
    let at = 0;
    return node.inputShapes.map((s, i) => {
      if (s.length === 1 && s[0] === 0) return null;
      const part = narrow(g, node.attrs.dim, at, s[node.attrs.dim]);
      at += s[node.attrs.dim];
      return gradAs(part, node.inputDtypes[i]); // a float32 input of a promoted float64 cat gets a float32 gradient
    });
  },
});

/** A narrowed view without autograd, for kernels writing into their own output. */
function rawNarrow(x: Tensor, dim: number, start: number, len: number): Tensor {
  const shape = x.shape.slice();
  shape[dim] = len;
  return x._view(shape, x._stride.slice(), x.offset + start * x._stride[dim]);
}

export function cat(tensors: Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) fail('torch.cat', 'tensors', 'a non-empty array of tensors', tensors);
  tensors.forEach((t, i) => checkTensor('torch.cat', `tensors[${i}]`, t));
  const ref = tensors.find((x) => !(x.ndim === 1 && x.shape[0] === 0));
  if (!ref) return tensors[0].clone();
  const d = normDim('torch.cat', dim, ref.ndim);
  for (const [i, x] of tensors.entries()) {
    if (x.ndim === 1 && x.shape[0] === 0) continue;
    if (x.ndim !== ref.ndim || x.shape.some((s, k) => k !== d && s !== ref.shape[k])) {
      throw new Error(`torch.cat: sizes of tensors must match except in dimension ${d}; got ${fmt(ref.shape)} and ${fmt(x.shape)} (tensor ${i})`);
    }
  }
  return op1(catOp, tensors, { dim: d });
}

export function stack(tensors: Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) fail('torch.stack', 'tensors', 'a non-empty array of tensors', tensors);
  tensors.forEach((t, i) => {
    checkTensor('torch.stack', `tensors[${i}]`, t);
    if (!sameShape(t.shape, tensors[0].shape)) throw new Error(`torch.stack: expects each tensor to be equal size, but got ${fmt(tensors[0].shape)} at entry 0 and ${fmt(t.shape)} at entry ${i}`);
  });
  const d = normDim('torch.stack', dim, tensors[0].ndim + 1);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

export function split(x: Tensor, size: number | number[], dim = 0): Tensor[] {
  checkTensor('torch.split', 'input', x);
  const d = normDim('torch.split', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof size === 'number') {
    checkInt('torch.split', 'split_size', size, 1);
    sizes = [];
    for (let at = 0; at < n; at += size) sizes.push(Math.min(size, n - at));
    if (n === 0) sizes = [0];
  } else {
    if (!Array.isArray(size) || size.some((s) => !Number.isInteger(s) || s < 0)) fail('torch.split', 'split_size_or_sections', 'an integer or a list of non-negative integers', size);
    if (size.reduce((a, b) => a + b, 0) !== n) throw new Error(`torch.split: split sizes ${fmt(size)} must sum to the size of dim ${d} (${n})`);
    sizes = size;
  }
  let at = 0;
  return sizes.map((s) => {
    const part = narrow(x, d, at, s);
    at += s;
    return part;
  });
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor('torch.chunk', 'input', x);
  checkInt('torch.chunk', 'chunks', chunks, 1);
  const d = normDim('torch.chunk', dim, x.ndim);
  return split(x, Math.max(Math.ceil(x.shape[d] / chunks), 1), d);
}

export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensor('torch.unbind', 'input', x);
  const d = normDim('torch.unbind', dim, x.ndim);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}

// ---- index_select ---------------------------------------------------------------------------------------------------------

function checkIndex(fn: string, index: Tensor, size: number, dim: number): Int32Array {
  checkTensor(fn, 'index', index);
  if (index.dtype !== 'int32') fail(fn, 'index', 'an int32 tensor', index);
  const idx = index.contiguous().toTypedArray() as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (v < -size || v >= size) throw new Error(`${fn}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
  return idx;
}

const indexSelectOp: OpDef<{ dim: number; idx: Int32Array }> = defineOp<{ dim: number; idx: Int32Array }>({
  name: 'index_select',
  forward([x], { dim, idx }) {
    const shape = x.shape.slice();
    shape[dim] = idx.length;
    const out = Tensor.empty(shape, x.dtype);
    const n = x.shape[dim];
    if (dim === 0 && x.is_contiguous()) {
      const row = numel(x.shape.slice(1));
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k] < 0 ? idx[k] + n : idx[k];
        out.buffer.set(x.buffer.subarray(x.offset + i * row, x.offset + (i + 1) * row), k * row);
      }
      return out;
    }
    for (let k = 0; k < idx.length; k++) copyInto(rawNarrow(out, dim, k, 1), rawNarrow(x, dim, idx[k] < 0 ? idx[k] + n : idx[k], 1));
    return out;
  },
  backward: ([g], node) => [op1(indexAddOp, [g!], { dim: node.attrs.dim, idx: node.attrs.idx, size: node.inputShapes[0][node.attrs.dim] })],
});

/** zeros with g's slices added at idx along dim: index_select's gradient (repeated indices accumulate). */
const indexAddOp: OpDef<{ dim: number; idx: Int32Array; size: number }> = defineOp<{ dim: number; idx: Int32Array; size: number }>({
  name: 'index_add',
  forward([g], { dim, idx, size }) {
    const shape = g.shape.slice();
    shape[dim] = size;
    const out = Tensor.empty(shape, g.dtype);
    const gc = g.contiguous();
    const outer = numel(shape.slice(0, dim)), inner = numel(shape.slice(dim + 1));
    const ob = out.buffer, gb = gc.buffer, go = gc.offset;
    for (let a = 0; a < outer; a++) {
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k] < 0 ? idx[k] + size : idx[k];
        const dst = (a * size + i) * inner, src = go + (a * idx.length + k) * inner;
        for (let j = 0; j < inner; j++) ob[dst + j] += gb[src + j];
      }
    }
    return out;
  },
  backward: ([gg], node) => [op1(indexSelectOp, [gg!], { dim: node.attrs.dim, idx: node.attrs.idx })],
});

export function index_select(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('torch.index_select', 'input', x);
  const d = normDim('torch.index_select', dim, x.ndim);
  if (index.ndim > 1) fail('torch.index_select', 'index', 'a 0-d or 1-d tensor', index);
  return op1(indexSelectOp, [x], { dim: d, idx: checkIndex('torch.index_select', index, x.ndim === 0 ? 1 : x.shape[d], d) });
}

// ---- gather / scatter -------------------------------------------------------------------------------------------------------

/** Visits every element of `index` with (linear position in index, offset into `t` along all dims but `dim`, index value). */
function eachIndexed(fn: string, t: Tensor, index: Tensor, dim: number, visit: (k: number, base: number, i: number) => void): void {
  if (index.ndim !== t.ndim) throw new Error(`${fn}: index tensor must have the same number of dimensions (${index.ndim}) as the input (${t.ndim})`);
  const n = t.shape[dim];
  const ic = index.contiguous();
  const iv = ic.buffer as Int32Array;
  const shape = index.shape;
  const nd = shape.length;
  const count = numel(shape);
  const pos = new Array<number>(nd).fill(0);
  let base = t.offset;
  for (let k = 0; k < count; k++) {
    const v = iv[ic.offset + k];
    if (v < -n || v >= n) throw new Error(`${fn}: index ${v} is out of bounds for dimension ${dim} with size ${n}`);
    visit(k, base, v < 0 ? v + n : v);
    for (let d = nd - 1; d >= 0; d--) {
      pos[d]++;
      if (d !== dim) base += t._stride[d];
      if (pos[d] < shape[d]) break;
      if (d !== dim) base -= t._stride[d] * shape[d];
      pos[d] = 0;
    }
  }
}

function checkGatherShapes(fn: string, x: Tensor, index: Tensor, dim: number): void {
  checkTensor(fn, 'index', index);
  if (index.dtype !== 'int32') fail(fn, 'index', 'an int32 tensor', index);
  if (index.ndim !== x.ndim) throw new Error(`${fn}: index tensor must have the same number of dimensions (${index.ndim}) as the input (${x.ndim})`);
  for (let d = 0; d < x.ndim; d++) {
    if (d !== dim && index.shape[d] > x.shape[d]) throw new Error(`${fn}: size of index ${fmt(index.shape)} must not exceed input ${fmt(x.shape)} in dimension ${d}`);
  }
}

const gatherOp = defineOp<{ dim: number; index: Tensor }>({
  name: 'gather',
  forward([x], { dim, index }) {
    const out = Tensor.empty(index.shape, x.dtype);
    const o = out.buffer, xb = x.buffer, s = x._stride[dim];
    eachIndexed('torch.gather', x, index, dim, (k, base, i) => { o[k] = xb[base + i * s]; });
    return out;
  },
  backward: ([g], node) => [scatter_add(Tensor.empty(node.inputShapes[0], g!.dtype), node.attrs.dim, node.attrs.index, g!)],
});

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('torch.gather', 'input', x);
  const d = normDim('torch.gather', dim, x.ndim);
  checkGatherShapes('torch.gather', x, index, d);
  return op1(gatherOp, [x], { dim: d, index });
}

const scatterOp = defineOp<{ dim: number; index: Tensor; add: boolean }>({
  name: 'scatter',
  forward([x, src], { dim, index, add }) {
    const out = x.clone();
    const o = out.buffer, s = out._stride[dim];
    const sc = expand(src, index.shape.slice()).contiguous();
    const sb = sc.buffer, so = sc.offset;
    // src is read at the index element's own position; only its leading index.shape block is used
    const srcAt = src.ndim === 0 ? (_k: number) => so : (k: number) => so + k;
    if (add) eachIndexed('torch.scatter_add', out, index, dim, (k, base, i) => { o[base + i * s] += sb[srcAt(k)]; });
    else eachIndexed('torch.scatter', out, index, dim, (k, base, i) => { o[base + i * s] = sb[srcAt(k)]; });
    return out;
  },
  backward([g], node) {
    const { dim, index, add } = node.attrs;
    const gx = node.next[0] ? (add ? g! : scatter(g!, dim, index, 0)) : null;
    const gs = node.next[1] ? gather(g!, dim, index) : null;
    return [gx, gs && node.inputShapes[1].length === 0 ? gs.sum() : gs];
  },
});

function scatterArgs(fn: string, x: Tensor, dim: number, index: Tensor, src: Operand): [number, Tensor] {
  checkTensor(fn, 'input', x);
  const d = normDim(fn, dim, x.ndim);
  checkGatherShapes(fn, x, index, d);
  let s: Tensor;
  if (src instanceof Tensor) {
    s = src.dtype === x.dtype ? src : cast(src, x.dtype);
    if (s.ndim !== 0) {
      if (s.ndim !== index.ndim || index.shape.some((v, k) => v > s.shape[k])) throw new Error(`${fn}: src of shape ${fmt(s.shape)} must be at least index's shape ${fmt(index.shape)} in every dim`);
      s = s.shape.every((v, k) => v === index.shape[k]) ? s : s.index(...index.shape.map((v) => `0:${v}`));
    }
  } else s = scalarTensor(typeof src === 'boolean' ? Number(src) : src, x.dtype);
  return [d, s];
}

export function scatter(x: Tensor, dim: number, index: Tensor, src: Operand): Tensor {
  const [d, s] = scatterArgs('torch.scatter', x, dim, index, src);
  return run(scatterOp, [x, s], { dim: d, index, add: false })[0];
}

export function scatter_add(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('torch.scatter_add', 'src', src);
  const [d, s] = scatterArgs('torch.scatter_add', x, dim, index, src);
  return run(scatterOp, [x, s], { dim: d, index, add: true })[0];
}

// ---- nonzero / masked_select / one_hot ------------------------------------------------------------------------------------

/** The row-major (flat) positions of x's nonzero elements, ascending; a hinted 1-D tensor visits only its hint. */
export function flatnonzero(x: Tensor): Int32Array {
  checkTensor('torch.nonzero', 'input', x);
  // a 1-D tensor with a nonzero hint (a neuron group's spikes, an event product's output): only the listed positions
  if (hintedNonzeros(x, _hint)) {
    const { idx, from, to, shift } = _hint, b = x.buffer, o = x.offset;
    const out = new Int32Array(to - from);
    let k = 0, sorted = true;
    for (let p = from; p < to; p++) {
      const i = idx[p] - shift;
      if (b[o + i] !== 0) { if (k > 0 && out[k - 1] > i) sorted = false; out[k++] = i; }
    }
    const hits = k === out.length ? out : out.slice(0, k);
    return sorted ? hits : hits.sort();
  }
  const c = x.contiguous();
  const n = c.numel(), b = c.buffer, o = c.offset;
  let count = 0;
  for (let i = 0; i < n; i++) if (b[o + i] !== 0) count++;
  const out = new Int32Array(count);
  for (let i = 0, r = 0; i < n; i++) if (b[o + i] !== 0) out[r++] = i;
  return out;
}

export function nonzero(x: Tensor): Tensor {
  const flat = flatnonzero(x);
  const nd = x.ndim, k = flat.length;
  if (nd === 1) return Tensor.fromBuffer(flat, [k, 1], 'int32');
  const out = new Int32Array(k * nd);
  const st = contiguousStrides(x.shape);
  for (let r = 0; r < k; r++) {
    let lin = flat[r];
    for (let d = 0; d < nd; d++) { out[r * nd + d] = Math.floor(lin / st[d]); lin %= st[d]; }
  }
  return Tensor.fromBuffer(out, [k, nd], 'int32');
}
const _hint: HintSlice = { idx: new Int32Array(0), from: 0, to: 0, shift: 0 };

export function masked_select(x: Tensor, mask: Tensor): Tensor {
  checkTensor('torch.masked_select', 'input', x);
  checkTensor('torch.masked_select', 'mask', mask);
  if (mask.dtype !== 'bool') fail('torch.masked_select', 'mask', 'a bool tensor', mask);
  const shape = x.shape.length >= mask.shape.length ? x.shape : mask.shape;
  const bx = reshape(expand(x, shape.slice()), [-1]);
  const bm = reshape(expand(mask, shape.slice()), [-1]);
  return index_select(bx, 0, reshape(nonzero(bm), [-1]));
}

export function one_hot(x: Tensor, num_classes = -1): Tensor {
  checkTensor('F.one_hot', 'input', x);
  if (x.dtype !== 'int32') fail('F.one_hot', 'input', 'an int32 (class index) tensor', x);
  const v = x.contiguous().toTypedArray() as Int32Array;
  let k = num_classes;
  if (k === -1) k = v.length ? Math.max(...v) + 1 : 0;
  checkInt('F.one_hot', 'num_classes', k, 0);
  const out = new Int32Array(v.length * k);
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= k) throw new Error(`F.one_hot: class values must be in [0, ${k}), got ${v[i]}`);
    out[i * k + v[i]] = 1;
  }
  return Tensor.fromBuffer(out, [...x.shape, k], 'int32');
}
