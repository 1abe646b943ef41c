/**
 * Nonzero-position hints. A kernel that produces a fresh dense float tensor from a few events (an event-driven
 * matrix-vector product) records which positions it wrote; a consumer that adds the tensor into a state (a synapse's
 * conductance) may then visit only those positions: the others hold +0, and g + 0 = g for every g but −0.
 * The positions live in the producer's reusable TouchList; a hint is valid while the list has not been refilled
 * (its generation) and the tensor has not been written in place (its version counter). Views carry no hint.
 */
import type { Tensor } from './tensor';

/** A producer-owned list of distinct flat positions, refilled (and its generation bumped) on every use. */
export class TouchList {
  idx: Int32Array;
  count = 0;
  gen = 0;
  constructor(capacity = 16) { this.idx = new Int32Array(capacity); }
  /** Starts a new fill with room for n positions. */
  begin(n: number): Int32Array {
    if (this.idx.length < n) this.idx = new Int32Array(n);
    this.count = 0;
    this.gen++;
    return this.idx;
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
