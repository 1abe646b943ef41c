/**
 * brainpy.math.event (`bm.event`): event-driven CSR matrix × spike vector, BrainPy ≥ 2.7.8 semantics
 * (brainpy/math/event/csr_matvec.py → `brainevent.BinaryArray(events) @ CSR` / `CSR @ BinaryArray(events)`,
 * brainevent 0.0.7 … 0.1.2).
 *
 * Python:     bm.event.csrmv(data, indices, indptr, events, shape=(m, n), transpose=False)
 * TypeScript: bm.event.csrmv(data, indices, indptr, events, { shape: [m, n], transpose: false })
 *
 * - An event counts when it is `true` (bool) or `> 0` (float/int; negative values and NaN do not count, as in
 *   brainevent ≥ 0.0.6). Its value is NOT multiplied in: each active input adds the weight `w` (homogeneous) or
 *   `w_k` (per entry).
 * - transpose=true (what CSRLinear/EventCSRLinear use): events of length m (pre), result of length n (post); the
 *   kernel visits only the rows of active events. transpose=false: events of length n, result of length m (every
 *   row is gathered; silent columns add nothing). 2-D events are a batch as in bm.sparse.csrmv.
 * - Output dtype: data's (a number data gives float32, or float64 for float64 events). The gather form accumulates
 *   in float64, the scatter form adds into the output, as brainevent's CPU kernels.
 * - Gradients (brainevent's rules, reproduced as jax.grad sees them): w.r.t. a float `events` tensor the op is
 *   treated as the dense product (straight through: d/devents = csrmv(data, ct, transpose=!transpose)); w.r.t.
 *   `data`: homogeneous → Σ ct · (binarised events product); heterogeneous → events[row]·ct[col] with the RAW event
 *   values (brainevent's transpose rule uses the unbinarised array, so a float event 0.5 contributes 0.5 to the
 *   weight gradient although the forward counts it as 1 — kept for parity).
 */
import * as torch from '../../torch';
import { SnnArena, hintedNonzeros, sameSource, sourceStamp, type HintSlice, type SourceStamp } from '../../torch/utils/kernels';
import { _badIndex, _csr, _csrmv, type CsrmvOptions, type IndexArray } from './sparse';

type Tensor = torch.Tensor;

export type { CsrmvOptions, IndexArray };

/**
 * `bm.event.csrmv(data, indices, indptr, events, {shape, transpose=false})`: event-driven CSR product (see the file
 * header). `events`: bool, float or int32 Tensor, 1-D (or 2-D batch).
 */
export function csrmv(data: Tensor | number, indices: IndexArray, indptr: IndexArray, events: Tensor, options: CsrmvOptions): Tensor {
  return _csrmv('bm.event.csrmv', 'events', true, data, indices, indptr, events, options);
}

const _active: HintSlice = { idx: new Int32Array(0), from: 0, to: 0, shift: 0 };
const UNIT = [1];

// a Tensor as a CSR source (a view with other geometry is another Tensor; new storage comes with a new version counter)
const seen = (t: Tensor): SourceStamp => sourceStamp(t.buffer, t.offset, t.shape[0], t._version);
const still = (t: Tensor, s: SourceStamp): boolean => sameSource(s, t.buffer, t.offset, t.shape[0], t._version);

/** The CSR arrays last checked for an indices Tensor (see _event_csr_homo_into). */
interface Checked { i: SourceStamp; p: SourceStamp; indptrT: Tensor; m: number; n: number; indices: Int32Array; indptr: Int32Array }
const checked = new WeakMap<Tensor, Checked>();

/**
 * @internal csrmv(w, indices, indptr, events, {shape: [m, n], transpose: true}) for bool events whose active inputs
 * are known (a neuron group's spike list, see hintedNonzeros) and one float32 weight w, written into `into` (float32,
 * n long, all zeros): only the active rows are visited, their positions staged in the SnnArena that owns `into` and
 * added there in one WebAssembly pass (a JS loop otherwise). The sums are the JS kernel's: each add is rounded to
 * float32, and with one weight their order does not change them. indptr and the indices are checked once per version
 * of their Tensors (bm.event.csrmv's errors, naming the entry). Null when the case does not apply: the caller then calls
 * bm.event.csrmv.
 */
export function _event_csr_homo_into(w: number, indices: Tensor, indptr: Tensor, shape: [number, number], events: Tensor, into: Float32Array): Tensor | null {
  const fn = 'bm.event.csrmv', [m, n] = shape;
  if (events.dtype !== 'bool' || events.ndim !== 1 || events.shape[0] !== m || into.length !== n) return null;
  if (!hintedNonzeros(events, _active) || events.buffer.length < events.offset + m) return null;
  let c = checked.get(indices);
  if (c === undefined || c.indptrT !== indptr || !still(indices, c.i) || !still(indptr, c.p) || c.m !== m || c.n !== n) {
    const csr = _csr(fn, indices, indptr, shape);
    for (let k = 0; k < csr.nnz; k++) { const j = csr.indices[k]; if ((j >>> 0) >= n) _badIndex(fn, 'indices', k, j, n); }
    c = { i: seen(indices), p: seen(indptr), indptrT: indptr, m, n, indices: csr.indices, indptr: csr.indptr };
    checked.set(indices, c);
  }
  const ar = SnnArena.owning(into.buffer), stage = ar !== null ? ar.stage() : null;
  const act = events.buffer as Uint8Array, w32 = Math.fround(w);
  if (ar !== null && stage !== null) csrRowsStaged(_active, act, events.offset, c.indices, c.indptr, into, w32, ar, stage);
  else csrRowsJs(_active, act, events.offset, c.indices, c.indptr, into, w32);
  return new torch.Tensor(into, [n], UNIT, 0, 'float32');
}

/** out[indices[k]] += w over the rows of the active inputs in `list`, in JS (every add rounded to float32 by the store). */
function csrRowsJs(list: HintSlice, act: Uint8Array, actOff: number, indices: Int32Array, indptr: Int32Array, out: Float32Array, w: number): void {
  const L = list.idx, sh = list.shift;
  for (let p = list.from; p < list.to; p++) {
    const i = L[p] - sh;
    if (!act[actOff + i]) continue;
    const e = indptr[i + 1];
    for (let k = indptr[i]; k < e; k++) out[indices[k]] += w;
  }
}

/** csrRowsJs's adds, with the rows' positions copied into `stage` and added by the arena's scatterAdd, a stage at a time. */
function csrRowsStaged(list: HintSlice, act: Uint8Array, actOff: number, indices: Int32Array, indptr: Int32Array, out: Float32Array, w: number,
  ar: SnnArena, stage: Int32Array): void {
  const L = list.idx, sh = list.shift, cap = stage.length;
  let s = 0;
  for (let p = list.from; p < list.to; p++) {
    const i = L[p] - sh;
    if (!act[actOff + i]) continue;
    const a = indptr[i], e = indptr[i + 1];
    if (s + (e - a) > cap) { if (s > 0) ar.scatterAdd(stage, s, out, w); s = 0; }
    if (e - a > cap) { for (let k = a; k < e; k++) out[indices[k]] += w; continue; } // a row with repeats, longer than the stage
    for (let k = a; k < e; k++) stage[s++] = indices[k];
  }
  if (s > 0) ar.scatterAdd(stage, s, out, w);
}
