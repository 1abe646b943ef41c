/**
 * Nonzero-position hints. A kernel that produces a fresh dense float tensor from a few events (an event-driven
 * matrix-vector product) records which positions it wrote; a consumer that adds the tensor into a state (a synapse's
 * conductance) may then visit only those positions: the others hold +0, and g + 0 = g for every g but −0.
 * The positions live in the producer's reusable TouchList; a hint is valid while the list has not been refilled
 * (its generation) and the tensor has not been written in place (its version counter). Views carry no hint.
 */
import type { Tensor } from './tensor';

/**
 * A producer-owned list of distinct flat positions, refilled (and its generation bumped) on every use. `sorted` lists
 * (ascending, e.g. a neuron group's spikes) also give the positions of 1-D views of the tensor (hintedNonzeros).
 */
export class TouchList {
  idx: Int32Array;
  count = 0;
  gen = 0;
  constructor(capacity = 16, readonly sorted = false) { this.idx = new Int32Array(capacity); }
  /** Starts a new fill with room for n positions. */
  begin(n: number): Int32Array {
    if (this.idx.length < n) this.idx = new Int32Array(n);
    this.count = 0;
    this.gen++;
    return this.idx;
  }
  /** Publishes `count` positions already written in `idx` (a producer-owned array). */
  publish(idx: Int32Array, count: number): void {
    this.idx = idx;
    this.count = count;
    this.gen++;
  }
}

/** Records that only the positions in `list` (as filled now) of the contiguous tensor `t` can be nonzero. */
export function setSparseHint(t: Tensor, list: TouchList): void {
  t._nz = list;
  t._nzGen = list.gen;
  t._nzVersion = t._version.v;
}

/** The hint of `t` (read `list.idx[0 .. list.count)`), or null when there is none or it is stale. */
export function sparseHint(t: Tensor): TouchList | null {
  const l = t._nz;
  return l !== null && l.gen === t._nzGen && t._nzVersion === t._version.v ? l : null;
}

/** Positions `idx[from .. to)` minus `shift`: the known nonzero positions of a 1-D tensor (see hintedNonzeros). */
export interface HintSlice { idx: Int32Array; from: number; to: number; shift: number }

function lowerBound(a: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) { const m = (lo + hi) >>> 1; if (a[m] < x) lo = m + 1; else hi = m; }
  return lo;
}

/**
 * The positions of the 1-D contiguous tensor `t` that can be nonzero, written into `out`: its own hint, or, for a
 * view (narrow / slice) of a 1-D tensor with a sorted hint, that hint's entries inside the view. False when unknown.
 */
export function hintedNonzeros(t: Tensor, out: HintSlice): boolean {
  if (t.shape.length !== 1 || (t.shape[0] > 1 && t._stride[0] !== 1)) return false;
  const own = sparseHint(t);
  if (own !== null) { out.idx = own.idx; out.from = 0; out.to = own.count; out.shift = 0; return true; }
  const b = t._base;
  if (b === null || b.shape.length !== 1 || (b.shape[0] > 1 && b._stride[0] !== 1)) return false;
  const l = sparseHint(b);
  if (l === null || !l.sorted) return false;
  const lo = t.offset - b.offset, hi = lo + t.shape[0];
  out.idx = l.idx;
  out.from = lowerBound(l.idx, 0, l.count, lo);
  out.to = lowerBound(l.idx, out.from, l.count, hi);
  out.shift = lo;
  return true;
}
