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
import type * as torch from '../../torch';
import { _csrmv, type CsrmvOptions, type IndexArray } from './sparse';

type Tensor = torch.Tensor;

export type { CsrmvOptions, IndexArray };

/**
 * `bm.event.csrmv(data, indices, indptr, events, {shape, transpose=false})`: event-driven CSR product (see the file
 * header). `events`: bool, float or int32 Tensor, 1-D (or 2-D batch).
 */
export function csrmv(data: Tensor | number, indices: IndexArray, indptr: IndexArray, events: Tensor, options: CsrmvOptions): Tensor {
  return _csrmv('bm.event.csrmv', 'events', true, data, indices, indptr, events, options);
}
