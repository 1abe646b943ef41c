/** Shape arithmetic: sizes, contiguous strides, dim normalisation, broadcasting. */
import { fail } from './errors';

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Wraps a possibly negative dim into [0, ndim); `ndim` 0 accepts dims -1 and 0 as PyTorch does. */
export function normDim(fn: string, dim: unknown, ndim: number, arg = 'dim'): number {
  const n = Math.max(ndim, 1);
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < -n || dim >= n) {
    fail(fn, arg, `an integer in [${-n}, ${n - 1}] for a ${ndim}-d tensor`, dim);
  }
  return dim < 0 ? dim + n : dim;
}

export function normDims(fn: string, dims: unknown, ndim: number): number[] {
  const list = Array.isArray(dims) ? dims : [dims];
  const out = list.map((d) => normDim(fn, d, ndim));
  if (new Set(out).size !== out.length) fail(fn, 'dim', 'distinct dims', dims);
  return out;
}

export function checkShape(fn: string, arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) fail(fn, arg, 'an array of non-negative integers', shape);
  for (const d of shape) if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) fail(fn, arg, 'an array of non-negative integers', shape);
  return shape.slice();
}

/** Size arguments as PyTorch takes them: f(2, 3) or f([2, 3]). */
export function sizeArgs(fn: string, args: readonly unknown[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return checkShape(fn, 'size', args[0]);
  return checkShape(fn, 'size', args);
}

export function broadcastShapes(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${fn}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a tensor of `shape`/`stride` as if it had the broadcast shape `to` (0 on broadcast dims). */
export function broadcastStrides(shape: readonly number[], stride: readonly number[], to: readonly number[]): number[] {
  const out = new Array<number>(to.length).fill(0);
  const off = to.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : stride[i];
  return out;
}
