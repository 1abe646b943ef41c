/**
 * Strided iteration: walks k operands of one (broadcast) shape and hands each innermost row to a row kernel.
 * Dims are coalesced first, so contiguous tensors are a single row: kernels loop over typed arrays directly.
 */

/** Merges adjacent dims that are contiguous in every operand and drops size-1 dims. */
export function coalesce(shape: readonly number[], strides: number[][]): { shape: number[]; strides: number[][] } {
  const k = strides.length;
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    for (let j = 0; j < k && merge; j++) if (outStrides[j][last] !== strides[j][d] * shape[d]) merge = false;
    if (merge) {
      outShape[last] *= shape[d];
      for (let j = 0; j < k; j++) outStrides[j][last] = strides[j][d];
    } else {
      outShape.push(shape[d]);
      for (let j = 0; j < k; j++) outStrides[j].push(strides[j][d]);
    }
  }
  return { shape: outShape, strides: outStrides };
}

export type Row1<A> = (o: A, oo: number, os: number, a: A, ao: number, as: number, n: number, p0: number, p1: number) => void;
export type Row2<A> = (o: A, oo: number, os: number, a: A, ao: number, as: number, b: A, bo: number, bs: number, n: number) => void;
export type Row3<A> = (o: A, oo: number, os: number, a: A, ao: number, as: number, b: A, bo: number, bs: number, c: A, co: number, cs: number, n: number) => void;

/** Calls visit(offsets, n, innerStrides) once per innermost row; offsets is reused between calls. */
function walk(shape: readonly number[], strides: number[][], offsets: number[], visit: (offs: number[], n: number, inner: number[]) => void): void {
  const c = coalesce(shape, strides);
  const nd = c.shape.length;
  const k = strides.length;
  for (const d of shape) if (d === 0) return;
  if (nd === 0) {
    visit(offsets.slice(), 1, new Array(k).fill(0));
    return;
  }
  const n = c.shape[nd - 1];
  const inner = c.strides.map((s) => s[nd - 1]);
  const offs = offsets.slice();
  const idx = new Array<number>(nd - 1).fill(0);
  for (;;) {
    visit(offs, n, inner);
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let j = 0; j < k; j++) offs[j] += c.strides[j][d];
      if (idx[d] < c.shape[d]) break;
      for (let j = 0; j < k; j++) offs[j] -= c.strides[j][d] * c.shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

export function iter1<A>(shape: readonly number[], o: A, so: number[], oo: number, a: A, sa: number[], ao: number, row: Row1<A>, p0 = 0, p1 = 0): void {
  walk(shape, [so, sa], [oo, ao], (f, n, s) => row(o, f[0], s[0], a, f[1], s[1], n, p0, p1));
}

export function iter2<A>(shape: readonly number[], o: A, so: number[], oo: number, a: A, sa: number[], ao: number, b: A, sb: number[], bo: number, row: Row2<A>): void {
  walk(shape, [so, sa, sb], [oo, ao, bo], (f, n, s) => row(o, f[0], s[0], a, f[1], s[1], b, f[2], s[2], n));
}

export function iter3<A>(shape: readonly number[], o: A, so: number[], oo: number, a: A, sa: number[], ao: number, b: A, sb: number[], bo: number, c: A, sc: number[], co: number, row: Row3<A>): void {
  walk(shape, [so, sa, sb, sc], [oo, ao, bo, co], (f, n, s) => row(o, f[0], s[0], a, f[1], s[1], b, f[2], s[2], c, f[3], s[3], n));
}
