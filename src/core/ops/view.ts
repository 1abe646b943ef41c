/**
 * View ops: zero-copy reinterpretations of a tensor's storage (reshape of compatible data, permute, narrow/select/slice,
 * expand, unsqueeze/squeeze, indexing). Their gradients scatter back through the same geometry.
 */
import { is_grad_enabled } from '../autograd';
import { checkInt, describe, fail } from '../errors';
import { iter2, type Row2 } from '../iter';
import { defineOp, op1 } from '../registry';
import { broadcastStrides, checkShape, contiguousStrides, fmt, normDim, numel, sameShape } from '../shape';
import { Tensor, type IndexItem } from '../tensor';
import { checkTensor, sumToShape } from './elementwise';
import { index_select, nonzero } from './join';

type A = any;
interface Geometry { shape: number[]; stride: number[]; offset: number }
/** A view as a pure function of the base's geometry, so the same view can be taken of the gradient buffer. */
type Geom = (shape: readonly number[], stride: readonly number[], offset: number) => Geometry;

const accumulateRow: Row2<A> = (o, oo, os, _a, _ao, _as, g, go, gs, n) => {
  for (let i = 0; i < n; i++) o[oo + i * os] += g[go + i * gs];
};

/** zeros(shape) with `g` added into its `geom` view (sequentially, so overlapping views accumulate). */
const viewScatter = defineOp<{ geom: Geom; shape: readonly number[] }>({
  name: 'view_scatter',
  forward([g], { geom, shape }) {
    const out = Tensor.empty(shape, g.dtype);
    const v = geom(shape, contiguousStrides(shape), 0);
    iter2(v.shape, out.buffer, v.stride, v.offset, out.buffer, v.stride, v.offset, g.buffer, g._stride.slice(), g.offset, accumulateRow);
    return out;
  },
  backward: ([gg], node) => [asView(gg!, node.attrs.geom, 'view_scatter_grad')],
});

const VIEW_DEFS = new Map<string, ReturnType<typeof defineView>>();
function defineView(name: string) {
  return defineOp<{ geom: Geom }>({
    name,
    forward([x], { geom }) {
      const v = geom(x.shape, x._stride, x.offset);
      return x._view(v.shape, v.stride, v.offset);
    },
    backward: ([g], node) => [op1(viewScatter, [g!], { geom: node.attrs.geom, shape: node.inputShapes[0] })],
  });
}

function asView(x: Tensor, geom: Geom, name: string): Tensor {
  let def = VIEW_DEFS.get(name);
  if (!def) VIEW_DEFS.set(name, (def = defineView(name)));
  return op1(def, [x], { geom });
}

// ---- reshape family: contiguous-compatible geometry, gradient reshaped back ---------------------------------------------

/** Strides for viewing (shape, stride) as newShape without copying, or null when impossible (PyTorch's computeStride). */
function viewStrides(shape: readonly number[], stride: readonly number[], newShape: readonly number[]): number[] | null {
  const n = numel(shape);
  if (n === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = stride[stride.length - 1] ?? 1;
  let tensorNumel = 1, viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d];
    if (d === 0 || (shape[d - 1] !== 1 && stride[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = stride[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}

/** Resolves one -1 entry and checks the element count. */
function inferShape(fn: string, x: Tensor, shape: number[]): number[] {
  const out = shape.slice();
  let infer = -1, known = 1;
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (d === -1) {
      if (infer >= 0) throw new Error(`${fn}: only one dimension can be inferred (-1), got ${fmt(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) fail(fn, 'shape', 'non-negative integers or one -1', shape);
    else known *= d;
  }
  const n = x.numel();
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new Error(`${fn}: shape ${fmt(shape)} is invalid for input of size ${n}`);
    out[infer] = n / known;
  } else if (known !== n) throw new Error(`${fn}: shape ${fmt(shape)} is invalid for input of size ${n}`);
  return out;
}

const viewOp = defineOp<{ shape: number[]; stride: number[] }>({
  name: 'view',
  forward: ([x], { shape, stride }) => x._view(shape, stride, x.offset),
  backward: ([g], node) => [reshape(g!, node.inputShapes[0].slice())],
});

export function view(x: Tensor, shape: number[]): Tensor {
  checkTensor('Tensor.view', 'input', x);
  const s = inferShape('Tensor.view', x, shape);
  const st = viewStrides(x.shape, x._stride, s);
  if (st === null) throw new Error(`Tensor.view: view size ${fmt(s)} is not compatible with input of shape ${fmt(x.shape)} and stride ${fmt(x._stride)} (at least one dimension spans across two contiguous subspaces); use .reshape(...) instead`);
  return op1(viewOp, [x], { shape: s, stride: st });
}

export function reshape(x: Tensor, shape: number[]): Tensor {
  checkTensor('torch.reshape', 'input', x);
  const s = inferShape('torch.reshape', x, shape);
  if (sameShape(s, x.shape)) return x;
  const st = viewStrides(x.shape, x._stride, s);
  if (st !== null) return op1(viewOp, [x], { shape: s, stride: st });
  const c = clone(x);
  return op1(viewOp, [c], { shape: s, stride: contiguousStrides(s) });
}

/** Accepts f(2, 3), f([2, 3]) and, for permute/expand, negative entries. */
export function shapeArgs(fn: string, args: (number | number[])[], allowNegative = false): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  for (const d of flat) if (typeof d !== 'number' || !Number.isInteger(d) || (!allowNegative && d < -1)) fail(fn, 'shape', 'integers', flat);
  return (flat as number[]).slice();
}

export function flatten(x: Tensor, start_dim = 0, end_dim = -1): Tensor {
  checkTensor('torch.flatten', 'input', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('torch.flatten', start_dim, x.ndim, 'start_dim'), e = normDim('torch.flatten', end_dim, x.ndim, 'end_dim');
  if (s > e) throw new Error(`torch.flatten: start_dim (${start_dim}) cannot come after end_dim (${end_dim})`);
  const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: number[]): Tensor {
  checkTensor('torch.unflatten', 'input', x);
  const d = normDim('torch.unflatten', dim, x.ndim);
  checkShape('torch.unflatten', 'sizes', sizes.map((v) => (v === -1 ? 0 : v)));
  const known = sizes.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
  const resolved = sizes.map((v) => (v === -1 ? x.shape[d] / known : v));
  if (numel(resolved) !== x.shape[d] || !resolved.every(Number.isInteger)) {
    throw new Error(`torch.unflatten: sizes ${fmt(sizes)} do not multiply to dim ${d} of size ${x.shape[d]}`);
  }
  return view(x, [...x.shape.slice(0, d), ...resolved, ...x.shape.slice(d + 1)]);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('torch.unsqueeze', 'input', x);
  const d = normDim('torch.unsqueeze', dim, x.ndim + 1);
  return asView(x, (shape, stride, offset) => {
    const st = d < shape.length ? shape[d] * stride[d] : 1;
    return { shape: [...shape.slice(0, d), 1, ...shape.slice(d)], stride: [...stride.slice(0, d), st, ...stride.slice(d)], offset };
  }, 'unsqueeze');
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  checkTensor('torch.squeeze', 'input', x);
  const drop = dim === undefined ? x.shape.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0) : [normDim('torch.squeeze', dim, x.ndim)].filter((i) => x.shape[i] === 1);
  if (drop.length === 0) return x;
  return asView(x, (shape, stride, offset) => ({
    shape: shape.filter((_, i) => !drop.includes(i)), stride: stride.filter((_, i) => !drop.includes(i)), offset,
  }), 'squeeze');
}

// ---- permute -----------------------------------------------------------------------------------------------------------

const permuteOp = defineOp<{ dims: number[] }>({
  name: 'permute',
  forward: ([x], { dims }) => x._view(dims.map((d) => x.shape[d]), dims.map((d) => x._stride[d]), x.offset),
  backward([g], node) {
    const inv = new Array<number>(node.attrs.dims.length);
    node.attrs.dims.forEach((d: number, i: number) => (inv[d] = i));
    return [permute(g!, inv)];
  },
});

export function permute(x: Tensor, dims: number[]): Tensor {
  checkTensor('torch.permute', 'input', x);
  if (dims.length !== x.ndim) throw new Error(`torch.permute: number of dims ${dims.length} does not match input's ${x.ndim} dims`);
  const d = dims.map((v) => normDim('torch.permute', v, x.ndim));
  if (new Set(d).size !== d.length) fail('torch.permute', 'dims', 'a permutation (each dim once)', dims);
  return op1(permuteOp, [x], { dims: d });
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor('torch.transpose', 'input', x);
  const a = normDim('torch.transpose', dim0, x.ndim, 'dim0'), b = normDim('torch.transpose', dim1, x.ndim, 'dim1');
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return a === b ? x : op1(permuteOp, [x], { dims });
}

export function t(x: Tensor): Tensor {
  checkTensor('Tensor.t', 'input', x);
  if (x.ndim > 2) throw new Error(`Tensor.t: expects a tensor with <= 2 dimensions, got ${x.ndim}; use transpose(dim0, dim1)`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

// ---- expand / repeat ------------------------------------------------------------------------------------------------------

const expandOp = defineOp<{ shape: number[] }>({
  name: 'expand',
  forward: ([x], { shape }) => x._view(shape, broadcastStrides(x.shape, x._stride, shape), x.offset),
  backward: ([g], node) => [sumToShape(g!, node.inputShapes[0])],
});

export function expand(x: Tensor, sizes: number[]): Tensor {
  checkTensor('Tensor.expand', 'input', x);
  if (sizes.length < x.ndim) throw new Error(`Tensor.expand: the number of sizes (${sizes.length}) must be >= the number of dims (${x.ndim}) of shape ${fmt(x.shape)}`);
  const lead = sizes.length - x.ndim;
  const shape = sizes.map((s, i) => {
    const cur = i >= lead ? x.shape[i - lead] : -2;
    if (s === -1) {
      if (cur === -2) throw new Error(`Tensor.expand: -1 is not allowed in a leading, non-existing dimension (${fmt(sizes)})`);
      return cur;
    }
    if (cur !== -2 && cur !== 1 && cur !== s) throw new Error(`Tensor.expand: the expanded size ${s} must match the existing size ${cur} at non-singleton dimension ${i}; target ${fmt(sizes)}, tensor ${fmt(x.shape)}`);
    if (!Number.isInteger(s) || s < 0) fail('Tensor.expand', 'sizes', 'non-negative integers or -1', sizes);
    return s;
  });
  if (sameShape(shape, x.shape)) return x;
  return op1(expandOp, [x], { shape });
}

export function repeat(x: Tensor, sizes: number[]): Tensor {
  checkTensor('Tensor.repeat', 'input', x);
  if (sizes.length < x.ndim) throw new Error(`Tensor.repeat: number of repeat dims (${sizes.length}) can not be smaller than number of tensor dims (${x.ndim})`);
  const padded = [...new Array(sizes.length - x.ndim).fill(1), ...x.shape];
  const inter: number[] = [], big: number[] = [];
  padded.forEach((s, i) => { inter.push(1, s); big.push(sizes[i], s); });
  return reshape(expand(reshape(x, inter), big).contiguous(), padded.map((s, i) => s * sizes[i]));
}

// ---- narrow / select / index ---------------------------------------------------------------------------------------------

export interface Slice { start?: number | null; stop?: number | null; step?: number | null }

/** Python's slice(start, stop, step) for x.index(...). */
export const slice = (start: number | null = null, stop: number | null = null, step: number | null = null): Slice => ({ start, stop, step });

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor('torch.narrow', 'input', x);
  const d = normDim('torch.narrow', dim, x.ndim);
  const n = x.shape[d];
  checkInt('torch.narrow', 'start', start);
  checkInt('torch.narrow', 'length', length, 0);
  const s = start < 0 ? start + n : start;
  if (s < 0 || s + length > n) throw new Error(`torch.narrow: start (${start}) + length (${length}) exceeds dimension ${d} of size ${n}`);
  return sliceDim(x, d, s, length, 1, 'narrow');
}

function sliceDim(x: Tensor, d: number, start: number, len: number, step: number, name: string): Tensor {
  // nothing to record (what run() would return then): the view itself, without the op's closure and arrays
  if (!x._requiresGrad || !is_grad_enabled()) {
    const sh = x.shape.slice(), st = x._stride.slice(), s = x._stride[d];
    sh[d] = len;
    st[d] = s * step;
    return x._view(sh, st, x.offset + start * s);
  }
  return asView(x, (shape, stride, offset) => {
    const sh = shape.slice(), st = stride.slice();
    sh[d] = len;
    st[d] = stride[d] * step;
    return { shape: sh, stride: st, offset: offset + start * stride[d] };
  }, name);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor('torch.select', 'input', x);
  if (x.ndim === 0) throw new Error('torch.select: cannot be applied to a 0-dim tensor');
  const d = normDim('torch.select', dim, x.ndim);
  const n = x.shape[d];
  if (typeof index !== 'number' || !Number.isInteger(index) || index < -n || index >= n) {
    throw new Error(`torch.select: index ${describe(index)} is out of bounds for dimension ${d} with size ${n}`);
  }
  const i = index < 0 ? index + n : index;
  return asView(x, (shape, stride, offset) => ({
    shape: shape.filter((_, k) => k !== d), stride: stride.filter((_, k) => k !== d), offset: offset + i * stride[d],
  }), 'select');
}

function parseSlice(item: string | Slice): Slice {
  if (typeof item !== 'string') return item;
  const parts = item.split(':');
  if (parts.length < 2 || parts.length > 3) fail('Tensor.index', 'a slice string', "'start:stop' or 'start:stop:step'", item);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p.trim() === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) fail('Tensor.index', 'a slice bound', 'an integer', item);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** Python's slice.indices(n) for positive steps. */
function resolveSlice(s: Slice, n: number): [number, number, number] {
  const step = s.step ?? 1;
  if (!Number.isInteger(step) || step <= 0) fail('Tensor.index', 'slice step', 'a positive integer (as in PyTorch)', step);
  const clampIdx = (v: number | null | undefined, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, 0), n);
  };
  const start = clampIdx(s.start, 0), stop = clampIdx(s.stop, n);
  const len = stop > start ? Math.ceil((stop - start) / step) : 0;
  return [start, len, step];
}

export function index(x: Tensor, items: IndexItem[]): Tensor {
  checkTensor('Tensor.index', 'input', x);
  const consumed = items.filter((it) => it !== null && it !== '...').reduce((n: number, it) => n + (it instanceof Tensor && it.dtype === 'bool' ? Math.max(it.ndim, 1) : 1), 0);
  const ellipses = items.filter((it) => it === '...').length;
  if (ellipses > 1) throw new Error('Tensor.index: an index can only have a single ellipsis ("...")');
  if (consumed > x.ndim) throw new Error(`Tensor.index: too many indices for tensor of dimension ${x.ndim} (got ${consumed})`);
  let y = x;
  let d = 0; // current dim in y
  let tensorItem: { dim: number; t: Tensor } | null = null;
  for (const it of items) {
    if (it === '...') {
      d += x.ndim - consumed;
    } else if (it === null) {
      y = unsqueeze(y, d);
      d++;
    } else if (typeof it === 'number') {
      y = select(y, d, it);
    } else if (typeof it === 'string' || (typeof it === 'object' && !(it instanceof Tensor))) {
      const [start, len, step] = resolveSlice(parseSlice(it as string | Slice), y.shape[d]);
      if (!(start === 0 && len === y.shape[d] && step === 1)) y = sliceDim(y, d, start, len, step, 'slice');
      d++;
    } else if (it instanceof Tensor) {
      if (tensorItem) throw new Error('Tensor.index: spikeport supports one index tensor per indexing call; index again for the next one');
      tensorItem = { dim: d, t: it };
      d += it.dtype === 'bool' ? Math.max(it.ndim, 1) : 1;
    } else {
      fail('Tensor.index', 'each index', "an integer, a slice string like '1:3', '...', null or a Tensor", it);
    }
  }
  if (!tensorItem) return y;
  const { dim, t: idx } = tensorItem;
  if (idx.dtype === 'bool') {
    const k = Math.max(idx.ndim, 1);
    const covered = y.shape.slice(dim, dim + k);
    if (!sameShape(covered, idx.ndim === 0 ? [1] : idx.shape) && idx.ndim !== 0) {
      throw new Error(`Tensor.index: the mask of shape ${fmt(idx.shape)} does not match the indexed dims ${fmt(covered)}`);
    }
    const flat = reshape(y, [...y.shape.slice(0, dim), numel(covered), ...y.shape.slice(dim + k)]);
    return index_select(flat, dim, nonzero(reshape(idx, [-1])).reshape([-1]));
  }
  if (idx.dtype !== 'int32') fail('Tensor.index', 'an index tensor', 'an int32 or bool tensor', idx);
  const picked = index_select(y, dim, reshape(idx, [-1]));
  return reshape(picked, [...y.shape.slice(0, dim), ...idx.shape, ...y.shape.slice(dim + 1)]);
}

// ---- copies ------------------------------------------------------------------------------------------------------------

const copyRow: Row2<A> = (o, oo, os, a, ao, as, _b, _bo, _bs, n) => {
  for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as];
};

/** Writes src (broadcast to dst's shape) into dst's strided storage, casting as a typed-array store does (bool: != 0). */
export function copyInto(dst: Tensor, src: Tensor): void {
  const st = broadcastStrides(src.shape, src._stride, dst.shape);
  if (dst.dtype === 'bool' && src.dtype !== 'bool') src = src.ne(0);
  const sst = dst.dtype === 'bool' ? broadcastStrides(src.shape, src._stride, dst.shape) : st;
  iter2(dst.shape, dst.buffer, dst._stride.slice(), dst.offset, src.buffer, sst, src.offset, src.buffer, sst, src.offset, copyRow);
}

const cloneOp = defineOp<Record<string, never>>({
  name: 'clone',
  forward([x]) {
    const out = Tensor.empty(x.shape, x.dtype);
    if (x.is_contiguous()) out.buffer.set(x.buffer.subarray(x.offset, x.offset + out.buffer.length));
    else copyInto(out, x);
    return out;
  },
  backward: ([g]) => [g],
});

export function clone(x: Tensor): Tensor {
  return op1(cloneOp, [checkTensor('torch.clone', 'input', x)], {});
}
