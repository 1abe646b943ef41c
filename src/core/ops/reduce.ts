/** Reductions over all or given dims (keepdim), arg-reductions, norms, cumulative sums and softmax along a dim. */
import { type DType, type TypedArray, isFloating } from '../dtype';
import { checkOptions, fail } from '../errors';
import { defineOp, op1, run, type OpDef } from '../registry';
import { contiguousStrides, normDim, normDims, numel } from '../shape';
import { iter2, type Row2 } from '../iter';
import { Tensor } from '../tensor';
import { no_grad } from '../autograd';
import { abs, add, cast, checkTensor, div, eq, exp, log, mul, pow, sqrt, sub, where } from './elementwise';
import { copyInto, expand, permute, reshape } from './view';
import { scatter } from './join';

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

export interface KeepDim { keepdim?: boolean }
export interface ValuesIndices { values: Tensor; indices: Tensor; 0: Tensor; 1: Tensor }

/** Reduced layout: `rows` outputs, each reducing `R` consecutive elements of `data` from `off` (a contiguous copy when needed). */
interface Layout { data: TypedArray; off: number; rows: number; R: number; keptShape: number[]; outShape: number[] }

function layout(x: Tensor, dims: number[], keepdim: boolean): Layout {
  const reduced = new Set(dims);
  const kept = x.shape.map((_, i) => i).filter((i) => !reduced.has(i));
  const perm = [...kept, ...dims];
  const rows = numel(kept.map((i) => x.shape[i]));
  const R = numel(dims.map((i) => x.shape[i]));
  const keptShape = x.shape.map((s, i) => (reduced.has(i) ? 1 : s));
  const outShape = keepdim ? keptShape : kept.map((i) => x.shape[i]);
  const identity = perm.every((p, i) => p === i);
  if (identity && x.is_contiguous()) return { data: x.buffer, off: x.offset, rows, R, keptShape, outShape };
  const pv = x._view(perm.map((p) => x.shape[p]), perm.map((p) => x._stride[p]), x.offset);
  const c = Tensor.empty(pv.shape, x.dtype);
  copyInto(c, pv);
  return { data: c.buffer, off: 0, rows, R, keptShape, outShape };
}

function dimsArg(fn: string, x: Tensor, dim: number | number[] | null | undefined): number[] {
  if (dim === null || dim === undefined) return x.shape.map((_, i) => i);
  if (Array.isArray(dim) && dim.length === 0) return x.shape.map((_, i) => i); // torch 1.13: dim=[] reduces everything
  return normDims(fn, dim, x.ndim);
}

// ---- sum / mean ---------------------------------------------------------------------------------------------------------

/** Adds each input row into the output (stride 0 along reduced dims); an innermost reduced run is summed in a local first. */
const accumulateRow: Row2<any> = (o, oo, os, a, ao, as, _b, _bo, _bs, n) => {
  if (os === 0) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[ao + i * as];
    o[oo] += s;
  } else for (let i = 0; i < n; i++) o[oo + i * os] += a[ao + i * as];
};

const sumOp = defineOp<{ dims: number[]; keepdim: boolean; dtype: DType }>({
  name: 'sum',
  forward([x], { dims, keepdim, dtype }) {
    // strided accumulation straight from the input (no permuted copy), in float64 so long sums keep their precision
    const keptShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
    const acc = new Float64Array(numel(keptShape));
    const cs = contiguousStrides(keptShape);
    const os = x.shape.map((_, i) => (dims.includes(i) ? 0 : cs[i]));
    iter2(x.shape, acc, os, 0, x.buffer, x._stride.slice(), x.offset, x.buffer, os, 0, accumulateRow);
    const outShape = keepdim ? keptShape : x.shape.filter((_, i) => !dims.includes(i));
    const out = Tensor.empty(outShape, dtype);
    out.buffer.set(acc);
    return out;
  },
  backward([g], node) {
    const shape = node.inputShapes[0];
    const keptShape = shape.map((s, i) => (node.attrs.dims.includes(i) ? 1 : s));
    return [expand(reshape(g!, keptShape), shape.slice())];
  },
});

export function sum(x: Tensor, dim?: number | number[] | null, options?: KeepDim & { dtype?: DType }): Tensor {
  checkTensor('torch.sum', 'input', x);
  const o = checkOptions('torch.sum', options, ['keepdim', 'dtype']);
  const dtype = o.dtype ?? (isFloating(x.dtype) ? x.dtype : 'int32');
  const src = isFloating(dtype) && x.dtype !== dtype ? cast(x, dtype) : x;
  return op1(sumOp, [src], { dims: dimsArg('torch.sum', x, dim), keepdim: o.keepdim ?? false, dtype });
}

export function mean(x: Tensor, dim?: number | number[] | null, options?: KeepDim): Tensor {
  checkTensor('torch.mean', 'input', x);
  if (!isFloating(x.dtype)) throw new Error(`torch.mean: could not infer output dtype; input dtype must be floating point, got ${x.dtype}`);
  const o = checkOptions('torch.mean', options, ['keepdim']);
  const dims = dimsArg('torch.mean', x, dim);
  const n = numel(dims.map((i) => x.shape[i]));
  return div(sum(x, dims, { keepdim: o.keepdim ?? false }), n);
}

export function var_(x: Tensor, dim?: number | number[] | null, options?: KeepDim & { unbiased?: boolean; correction?: number }): Tensor {
  checkTensor('torch.var', 'input', x);
  const o = checkOptions('torch.var', options, ['keepdim', 'unbiased', 'correction']);
  if (!isFloating(x.dtype)) fail('torch.var', 'input', 'a floating point tensor', x);
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  const dims = dimsArg('torch.var', x, dim);
  const n = numel(dims.map((i) => x.shape[i]));
  const mu = mean(x, dims, { keepdim: true });
  const dev = sub(x, mu);
  return div(sum(mul(dev, dev), dims, { keepdim: o.keepdim ?? false }), math.max(n - correction, 0));
}

export function std(x: Tensor, dim?: number | number[] | null, options?: KeepDim & { unbiased?: boolean; correction?: number }): Tensor {
  return sqrt(var_(x, dim, options));
}

// ---- prod ---------------------------------------------------------------------------------------------------------------

const prodOp = defineOp<{ dims: number[]; keepdim: boolean }>({
  name: 'prod',
  forward([x], { dims, keepdim }) {
    const L = layout(x, dims, keepdim);
    const out = Tensor.empty(L.outShape, isFloating(x.dtype) ? x.dtype : 'int32');
    for (let r = 0, p = L.off; r < L.rows; r++) {
      let s = 1;
      for (const end = p + L.R; p < end; p++) s *= L.data[p];
      out.buffer[r] = s;
    }
    return out;
  },
  backward([g], node) {
    // d prod / d x_i = product of the others, computed directly so zeros are handled (no prod / x_i)
    const x = node.input(0);
    const dims = node.attrs.dims;
    const L = layout(x, dims, true);
    const gk = reshape(g!, L.keptShape).contiguous();
    const gradPerm = new Float64Array(L.rows * L.R);
    for (let r = 0; r < L.rows; r++) {
      const base = L.off + r * L.R;
      let zeros = 0, zeroAt = -1, prodNz = 1;
      for (let j = 0; j < L.R; j++) { const v = L.data[base + j]; if (v === 0) { zeros++; zeroAt = j; } else prodNz *= v; }
      const gv = gk.buffer[gk.offset + r];
      for (let j = 0; j < L.R; j++) {
        const v = L.data[base + j];
        gradPerm[r * L.R + j] = zeros === 0 ? (gv * prodNz) / v : zeros === 1 && j === zeroAt ? gv * prodNz : 0;
      }
    }
    const reduced = new Set(dims);
    const kept = x.shape.map((_, i) => i).filter((i) => !reduced.has(i));
    const perm = [...kept, ...dims];
    const gp = Tensor.fromBuffer(x.dtype === 'float32' ? Float32Array.from(gradPerm) : gradPerm, perm.map((p) => x.shape[p]), x.dtype);
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [permute(gp, inv).contiguous()];
  },
});

export function prod(x: Tensor, dim?: number | null, options?: KeepDim): Tensor {
  checkTensor('torch.prod', 'input', x);
  const o = checkOptions('torch.prod', options, ['keepdim']);
  return op1(prodOp, [x], { dims: dimsArg('torch.prod', x, dim), keepdim: o.keepdim ?? false });
}

// ---- max / min / argmax / argmin -----------------------------------------------------------------------------------------

/** Index of the max (sign 1) or min (sign -1) of each row: first occurrence, NaN wins (as torch). */
function argReduce(L: Layout, sign: 1 | -1): Int32Array {
  const idx = new Int32Array(L.rows);
  const d = L.data;
  for (let r = 0; r < L.rows; r++) {
    const base = L.off + r * L.R;
    let best = d[base], bi = 0;
    if (best === best) {
      for (let j = 1; j < L.R; j++) {
        const v = d[base + j];
        if (v !== v) { bi = j; break; }
        if (sign > 0 ? v > best : v < best) { best = v; bi = j; }
      }
    }
    idx[r] = bi;
  }
  return idx;
}

const maxDimOp = defineOp<{ dim: number; keepdim: boolean; sign: 1 | -1 }>({
  name: 'max_dim',
  forward([x], { dim, keepdim, sign }) {
    if (x.shape[dim] === 0) throw new Error(`torch.${sign > 0 ? 'max' : 'min'}: cannot reduce over dimension ${dim} of size 0`);
    const L = layout(x, [dim], keepdim);
    const idx = argReduce(L, sign);
    const values = Tensor.empty(L.outShape, x.dtype);
    for (let r = 0; r < L.rows; r++) values.buffer[r] = L.data[L.off + r * L.R + idx[r]];
    return [values, Tensor.fromBuffer(idx, L.outShape, 'int32')];
  },
  savesOutputs: true,
  backward([g], node) {
    if (!g) return [null];
    const { dim, keepdim } = node.attrs;
    const shape = node.inputShapes[0];
    const idx = node.output(1);
    const gk = keepdim ? g : g.unsqueeze(dim);
    const ik = keepdim ? idx : idx.unsqueeze(dim);
    return [scatter(Tensor.empty(shape, g.dtype), dim, ik, gk)];
  },
});

export function max(x: Tensor, dim: number, options?: KeepDim): ValuesIndices {
  return maxMin('torch.max', x, dim, options, 1);
}
export function min(x: Tensor, dim: number, options?: KeepDim): ValuesIndices {
  return maxMin('torch.min', x, dim, options, -1);
}
function maxMin(fn: string, x: Tensor, dim: number, options: KeepDim | undefined, sign: 1 | -1): ValuesIndices {
  checkTensor(fn, 'input', x);
  const o = checkOptions(fn, options, ['keepdim']);
  const [values, indices] = run(maxDimOp, [x], { dim: normDim(fn, dim, x.ndim), keepdim: o.keepdim ?? false, sign });
  return Object.assign([values, indices], { values, indices }) as unknown as ValuesIndices;
}

const amaxOp = defineOp<{ dims: number[]; keepdim: boolean; sign: 1 | -1 }>({
  name: 'amax',
  savesOutputs: true,
  forward([x], { dims, keepdim, sign }) {
    for (const d of dims) if (x.shape[d] === 0) throw new Error(`torch.${sign > 0 ? 'amax' : 'amin'}: expected reduction dim ${d} to have non-zero size`);
    const L = layout(x, dims, keepdim);
    const idx = argReduce(L, sign);
    const out = Tensor.empty(L.outShape, x.dtype);
    for (let r = 0; r < L.rows; r++) out.buffer[r] = L.data[L.off + r * L.R + idx[r]];
    return out;
  },
  backward([g], node) {
    // the gradient is shared evenly between tied extrema (torch's evenly_distribute_backward)
    const x = node.input(0);
    const shape = node.inputShapes[0];
    const keptShape = shape.map((s, i) => (node.attrs.dims.includes(i) ? 1 : s));
    const y = reshape(node.output(0), keptShape);
    const mask = cast(eq(x, y), x.dtype);
    const count = sum(mask, node.attrs.dims, { keepdim: true });
    return [mul(div(reshape(g!, keptShape), count), mask)];
  },
});

export function amax(x: Tensor, dim?: number | number[] | null, options?: KeepDim): Tensor {
  checkTensor('torch.amax', 'input', x);
  const o = checkOptions('torch.amax', options, ['keepdim']);
  return op1(amaxOp, [x], { dims: dimsArg('torch.amax', x, dim), keepdim: o.keepdim ?? false, sign: 1 });
}
export function amin(x: Tensor, dim?: number | number[] | null, options?: KeepDim): Tensor {
  checkTensor('torch.amin', 'input', x);
  const o = checkOptions('torch.amin', options, ['keepdim']);
  return op1(amaxOp, [x], { dims: dimsArg('torch.amin', x, dim), keepdim: o.keepdim ?? false, sign: -1 });
}

function argExt(fn: string, x: Tensor, dim: number | null | undefined, options: KeepDim | undefined, sign: 1 | -1): Tensor {
  checkTensor(fn, 'input', x);
  const o = checkOptions(fn, options, ['keepdim']);
  if (x.numel() === 0) throw new Error(`${fn}: expected a non-empty tensor`);
  if (dim === null || dim === undefined) {
    const flat = x.reshape([-1]);
    const idx = argReduce(layout(flat, [0], false), sign);
    return Tensor.fromBuffer(idx, o.keepdim ? x.shape.map(() => 1) : [], 'int32');
  }
  const d = normDim(fn, dim, x.ndim);
  const L = layout(x, [d], o.keepdim ?? false);
  return Tensor.fromBuffer(argReduce(L, sign), L.outShape, 'int32');
}
export const argmax = (x: Tensor, dim?: number | null, options?: KeepDim): Tensor => argExt('torch.argmax', x, dim, options, 1);
export const argmin = (x: Tensor, dim?: number | null, options?: KeepDim): Tensor => argExt('torch.argmin', x, dim, options, -1);

// ---- all / any / count_nonzero ---------------------------------------------------------------------------------------------

function boolReduce(fn: string, x: Tensor, dim: number | undefined, options: KeepDim | undefined, wantAll: boolean): Tensor {
  checkTensor(fn, 'input', x);
  const o = checkOptions(fn, options, ['keepdim']);
  const L = layout(x, dim === undefined ? dimsArg(fn, x, null) : [normDim(fn, dim, x.ndim)], o.keepdim ?? false);
  const out = Tensor.empty(L.outShape, 'bool');
  for (let r = 0; r < L.rows; r++) {
    let acc = wantAll;
    for (let j = 0; j < L.R; j++) {
      const nz = L.data[L.off + r * L.R + j] !== 0;
      if (wantAll ? !nz : nz) { acc = !wantAll; break; }
    }
    out.buffer[r] = acc ? 1 : 0;
  }
  return out;
}
export const all = (x: Tensor, dim?: number, options?: KeepDim): Tensor => boolReduce('torch.all', x, dim, options, true);
export const any = (x: Tensor, dim?: number, options?: KeepDim): Tensor => boolReduce('torch.any', x, dim, options, false);
export const count_nonzero = (x: Tensor, dim?: number): Tensor => sum(x.ne(0), dim === undefined ? null : dim);

// ---- norm / logsumexp ------------------------------------------------------------------------------------------------------

const norm2Op = defineOp<{ dims: number[]; keepdim: boolean }>({
  name: 'norm',
  savesOutputs: true,
  forward([x], { dims, keepdim }) {
    const L = layout(x, dims, keepdim);
    const out = Tensor.empty(L.outShape, x.dtype);
    for (let r = 0, p = L.off; r < L.rows; r++) {
      let s = 0;
      for (const end = p + L.R; p < end; p++) s += L.data[p] * L.data[p];
      out.buffer[r] = math.sqrt(s);
    }
    return out;
  },
  backward([g], node) {
    // x / ||x||, taken as 0 where the norm is 0 (torch masks it)
    const keptShape = node.inputShapes[0].map((s, i) => (node.attrs.dims.includes(i) ? 1 : s));
    const n = reshape(node.output(0), keptShape);
    const safe = where(eq(n, 0), 1, n);
    return [mul(reshape(g!, keptShape), where(eq(n, 0), 0, div(node.input(0), safe)))];
  },
});

export function norm(x: Tensor, p: number | 'fro' = 2, dim?: number | number[] | null, options?: KeepDim): Tensor {
  checkTensor('torch.norm', 'input', x);
  const o = checkOptions('torch.norm', options, ['keepdim']);
  if (!isFloating(x.dtype)) fail('torch.norm', 'input', 'a floating point tensor', x);
  const dims = dimsArg('torch.norm', x, dim);
  const keepdim = o.keepdim ?? false;
  if (p === 'fro' || p === 2) return op1(norm2Op, [x], { dims, keepdim });
  if (typeof p !== 'number') fail('torch.norm', 'p', "a number or 'fro'", p);
  if (p === Infinity) return amax(abs(x), dims, { keepdim });
  if (p === -Infinity) return amin(abs(x), dims, { keepdim });
  if (p === 0) return sum(cast(x.ne(0), x.dtype), dims, { keepdim });
  if (p === 1) return sum(abs(x), dims, { keepdim });
  return pow(sum(pow(abs(x), p), dims, { keepdim }), 1 / p);
}

export function logsumexp(x: Tensor, dim: number | number[], options?: KeepDim): Tensor {
  checkTensor('torch.logsumexp', 'input', x);
  const o = checkOptions('torch.logsumexp', options, ['keepdim']);
  const dims = normDims('torch.logsumexp', dim, x.ndim);
  const m = no_grad(() => {
    if (x.numel() === 0) return Tensor.empty([], x.dtype); // nothing to stabilise: the sum of no terms is 0, its log -inf
    const a = amax(x, dims, { keepdim: true });
    return where(a.isinf(), 0, a); // an all -inf row keeps -inf; +inf stays +inf through the sum
  });
  const s = add(log(sum(exp(sub(x, m)), dims, { keepdim: true })), m);
  return o.keepdim ? s : reshape(s, x.shape.filter((_, i) => !dims.includes(i)));
}

// ---- along one dim: cumsum, softmax, log_softmax ---------------------------------------------------------------------------

/** Runs kernel on each row along `dim` (of a contiguous copy with `dim` last when needed), then moves `dim` back. */
function alongDim(x: Tensor, dim: number, dtype: DType, kernel: (inp: TypedArray, ioff: number, out: TypedArray, off: number, R: number) => void): Tensor {
  const last = math.max(x.ndim - 1, 0);
  const perm = x.shape.map((_, i) => i);
  perm[dim] = last;
  perm[last] = dim;
  let pv = dim === last ? x : x._view(perm.map((p) => x.shape[p]), perm.map((p) => x._stride[p]), x.offset);
  if (!pv.is_contiguous() || pv.dtype !== dtype) {
    const c = Tensor.empty(pv.shape, dtype);
    copyInto(c, pv);
    pv = c;
  }
  const out = Tensor.empty(pv.shape, dtype);
  const R = x.ndim === 0 ? 1 : x.shape[dim];
  const rows = R === 0 ? 0 : out.buffer.length / R;
  for (let r = 0; r < rows; r++) kernel(pv.buffer, pv.offset + r * R, out.buffer, r * R, R);
  if (dim === last) return out;
  const cs = contiguousStrides(out.shape);
  return out._view(perm.map((p) => out.shape[p]), perm.map((p) => cs[p]), 0).contiguous();
}

const cumsumOp: OpDef<{ dim: number; reverse: boolean }> = defineOp<{ dim: number; reverse: boolean }>({
  name: 'cumsum',
  forward([x], { dim, reverse }) {
    return alongDim(x, dim, isFloating(x.dtype) ? x.dtype : 'int32', reverse
      ? (a, ao, o, off, R) => { let s = 0; for (let j = R - 1; j >= 0; j--) { s += a[ao + j]; o[off + j] = s; } }
      : (a, ao, o, off, R) => { let s = 0; for (let j = 0; j < R; j++) { s += a[ao + j]; o[off + j] = s; } });
  },
  backward: ([g], node) => [op1(cumsumOp, [g!], { dim: node.attrs.dim, reverse: !node.attrs.reverse })],
});

export function cumsum(x: Tensor, dim: number): Tensor {
  checkTensor('torch.cumsum', 'input', x);
  return op1(cumsumOp, [x], { dim: normDim('torch.cumsum', dim, x.ndim), reverse: false });
}

const softmaxOp = defineOp<{ dim: number; log: boolean }>({
  name: 'softmax',
  savesOutputs: true,
  forward([x], { dim, log: isLog }) {
    return alongDim(x, dim, x.dtype, (a, ao, o, off, R) => {
      let m = -Infinity;
      for (let j = 0; j < R; j++) if (a[ao + j] > m) m = a[ao + j];
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let j = 0; j < R; j++) s += math.exp(a[ao + j] - m);
      if (isLog) { const ls = math.log(s) + m; for (let j = 0; j < R; j++) o[off + j] = a[ao + j] - ls; }
      else for (let j = 0; j < R; j++) o[off + j] = math.exp(a[ao + j] - m) / s;
    });
  },
  backward([g], node) {
    const y = node.output(0);
    const dim = node.attrs.dim;
    if (node.attrs.log) return [sub(g!, mul(exp(y), sum(g!, dim, { keepdim: true })))];
    return [mul(y, sub(g!, sum(mul(g!, y), dim, { keepdim: true })))];
  },
});

function softmaxArgs(fn: string, x: Tensor, dim: number): number {
  checkTensor(fn, 'input', x);
  if (dim === undefined || dim === null) throw new Error(`${fn}: dim must be given (implicit dim choice is deprecated in torch)`);
  if (!isFloating(x.dtype)) fail(fn, 'input', 'a floating point tensor', x);
  return normDim(fn, dim, x.ndim);
}
export const softmax = (x: Tensor, dim: number): Tensor => op1(softmaxOp, [x], { dim: softmaxArgs('torch.softmax', x, dim), log: false });
export const log_softmax = (x: Tensor, dim: number): Tensor => op1(softmaxOp, [x], { dim: softmaxArgs('torch.log_softmax', x, dim), log: true });

