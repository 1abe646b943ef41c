/**
 * STDP weight-update kernels used by brainpy.dnn (Dense/AllToAll/MaskedLinear/CSRLinear `stdp_update`).
 *
 * Module path: BrainPy ≥ 2.7.8 has no public brainpy.math name for these; `brainpy/dnn/linear.py` imports them from
 * brainevent (`from brainevent import update_dense_on_binary_pre, update_dense_on_binary_post,
 * update_csr_on_binary_pre, update_csr_on_binary_post`). spikeport has no brainevent folder, so they live here,
 * with brainevent's names and signatures (0.0.7 … 0.1.2):
 *
 *   update_dense_on_binary_pre(weight, pre_spike, post_trace, w_min=None, w_max=None)
 *   update_dense_on_binary_post(weight, pre_trace, post_spike, w_min=None, w_max=None)
 *   update_csr_on_binary_pre(weight, indices, indptr, pre_spike, post_trace, w_min=None, w_max=None, *, shape)
 *   update_csr_on_binary_post(weight, indices, indptr, weight_indices, pre_trace, post_spike, w_min=None,
 *                             w_max=None, *, shape)
 *
 * Semantics (brainpy-semantics.md §3): a spike counts when true (bool) or `!= 0` (float/int — unlike the matvec
 * kernels' `> 0`); spiking pre i: `W[i, :] += post_trace` (dense) or `w[k] += post_trace[indices[k]]` for k in row
 * i (CSR); spiking post j: `W[:, j] += pre_trace` (dense) or `w[weight_indices[k]] += pre_trace[indices[k]]` for k in
 * CSC column j, where (indices, indptr, weight_indices) = csr2csc([indices, indptr], post_num, arange(nnz)) (CSC
 * pre ids, CSC indptr, CSR position of each CSC slot). Then the WHOLE weight array is clipped to
 * [w_min, w_max] (null = no bound on that side; a number or a broadcastable Tensor). Adds are in the weight's dtype.
 * A size-1 (homogeneous) CSR weight is rejected, as brainevent does. Results are new tensors (JAX is functional:
 * BrainPy assigns `self.W.value = update_…(…)`); autograd does not track them. The `backend` option is accepted for
 * porting and ignored (one CPU kernel).
 */
import * as torch from '../../torch';
import { fail, checkOptions } from '../../torch/utils/checks';
import { isPlainObject } from '../../torch/utils/checks';
import { _indexArray, _shape2, _values, type IndexArray } from './sparse';

type Tensor = torch.Tensor;
type FArray = Float32Array | Float64Array;
type Bound = number | Tensor | null | undefined;

interface Bounds { w_min?: Bound; w_max?: Bound }
export interface DenseUpdateOptions extends Bounds { backend?: string | null }
export interface CsrUpdateOptions extends Bounds { shape: [number, number] | number[]; backend?: string | null }

function floatTensor(fn: string, arg: string, x: unknown, ndim: number): Tensor {
  if (!(x instanceof torch.Tensor) || (x.dtype !== 'float32' && x.dtype !== 'float64')) fail(fn, arg, `a float32 or float64 ${ndim}-D Tensor`, x);
  if (x.ndim !== ndim) fail(fn, arg, `a ${ndim}-D Tensor`, x);
  return x;
}

function spikeTensor(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof torch.Tensor)) fail(fn, arg, 'a 1-D bool or float Tensor', x);
  if (x.ndim !== 1) fail(fn, arg, 'a 1-D Tensor', x);
  return x;
}

function checkBound(fn: string, arg: string, b: unknown): Bound {
  if (b === undefined || b === null || typeof b === 'number' || b instanceof torch.Tensor) return b as Bound;
  return fail(fn, arg, 'a number, a Tensor or null', b);
}

/** `u.math.clip(weight, w_min, w_max)`: nothing when both are null; numbers in the kernel; tensors broadcast. */
function clipWeights(out: Tensor, wmin: Bound, wmax: Bound): Tensor {
  const lo = wmin ?? null, hi = wmax ?? null;
  if (lo === null && hi === null) return out;
  if ((lo === null || typeof lo === 'number') && (hi === null || typeof hi === 'number')) {
    const a = out.buffer as FArray;
    const l = lo === null ? -Infinity : lo, h = hi === null ? Infinity : hi;
    // jnp.clip(x, lo, hi) = minimum(maximum(x, lo), hi); NaN stays NaN
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v < l) a[i] = l;
      if (a[i] > h) a[i] = h;
    }
    return out;
  }
  // tensor bounds: as jnp.clip = minimum(maximum(x, lo), hi)
  let r = out;
  if (lo !== null) r = torch.maximum(r, lo instanceof torch.Tensor ? lo.to(out.dtype) : torch.full([], lo, { dtype: out.dtype }));
  if (hi !== null) r = torch.minimum(r, hi instanceof torch.Tensor ? hi.to(out.dtype) : torch.full([], hi, { dtype: out.dtype }));
  if (r.shape.join() !== out.shape.join()) throw new Error(`w_min/w_max must broadcast to the weight's shape [${out.shape.join(', ')}], got a result of shape [${r.shape.join(', ')}]`);
  return r.contiguous();
}

function copyOf(w: Tensor): Tensor {
  return torch.from_typed_array(w.toTypedArray(), w.shape.slice());
}

/** (w_min, w_max) positional or by name, then keyword-only options (`shape`, `backend`). */
function parseRest(fn: string, rest: readonly unknown[], kwOnly: readonly string[]): Record<string, any> {
  const list = rest.slice();
  while (list.length && list[list.length - 1] === undefined) list.pop();
  let opts: Record<string, any> = {};
  if (list.length && isPlainObject(list[list.length - 1])) opts = checkOptions(fn, list.pop() as Record<string, any>, ['w_min', 'w_max', ...kwOnly]);
  if (list.length > 2) throw new Error(`${fn}: takes at most 2 optional positional arguments (w_min, w_max), got ${list.length}; ${kwOnly.join(', ')} go in the options object`);
  const out: Record<string, any> = { ...opts };
  ['w_min', 'w_max'].forEach((name, i) => {
    if (i < list.length && list[i] !== undefined) {
      if (opts[name] !== undefined) throw new Error(`${fn}: got multiple values for argument '${name}' (positionally and in the options object)`);
      out[name] = list[i];
    }
  });
  out.w_min = checkBound(fn, 'w_min', out.w_min);
  out.w_max = checkBound(fn, 'w_max', out.w_max);
  if (out.backend !== undefined && out.backend !== null && typeof out.backend !== 'string') fail(fn, 'backend', 'a string or null', out.backend);
  return out;
}

function parseDense(fn: string, rest: readonly unknown[]): Bounds {
  return parseRest(fn, rest, ['backend']);
}

/**
 * `update_dense_on_binary_pre(weight, pre_spike, post_trace, w_min=None, w_max=None)`: for each spiking pre i,
 * `W[i, :] += post_trace`; then clip. weight: (n_pre, n_post).
 */
export function update_dense_on_binary_pre(weight: Tensor, pre_spike: Tensor, post_trace: Tensor, ...rest: [Bound?, Bound?, DenseUpdateOptions?] | [DenseUpdateOptions?] | [Bound?, DenseUpdateOptions?]): Tensor {
  const fn = 'update_dense_on_binary_pre';
  const b = parseDense(fn, rest);
  const W = floatTensor(fn, 'weight', weight, 2);
  const s = spikeTensor(fn, 'pre_spike', pre_spike);
  const tr = floatTensor(fn, 'post_trace', post_trace, 1);
  const [np_, nq] = W.shape;
  if (s.shape[0] !== np_) throw new Error(`${fn}: pre_spike must have length weight.shape[0] = ${np_}, got shape [${s.shape.join(', ')}]`);
  if (tr.shape[0] !== nq) throw new Error(`${fn}: post_trace must have length weight.shape[1] = ${nq}, got shape [${tr.shape.join(', ')}]`);
  const out = copyOf(W);
  const o = out.buffer as FArray, sp = _values(s), t = _values(tr);
  for (let i = 0; i < np_; i++) {
    if (sp[i] === 0) continue; // bool: truthiness; float: != 0 (NaN counts, as in the kernel)
    const base = i * nq;
    for (let j = 0; j < nq; j++) o[base + j] += t[j];
  }
  return clipWeights(out, b.w_min, b.w_max);
}

/**
 * `update_dense_on_binary_post(weight, pre_trace, post_spike, w_min=None, w_max=None)`: for each spiking post j,
 * `W[:, j] += pre_trace`; then clip. weight: (n_pre, n_post).
 */
export function update_dense_on_binary_post(weight: Tensor, pre_trace: Tensor, post_spike: Tensor, ...rest: [Bound?, Bound?, DenseUpdateOptions?] | [DenseUpdateOptions?] | [Bound?, DenseUpdateOptions?]): Tensor {
  const fn = 'update_dense_on_binary_post';
  const b = parseDense(fn, rest);
  const W = floatTensor(fn, 'weight', weight, 2);
  const tr = floatTensor(fn, 'pre_trace', pre_trace, 1);
  const s = spikeTensor(fn, 'post_spike', post_spike);
  const [np_, nq] = W.shape;
  if (tr.shape[0] !== np_) throw new Error(`${fn}: pre_trace must have length weight.shape[0] = ${np_}, got shape [${tr.shape.join(', ')}]`);
  if (s.shape[0] !== nq) throw new Error(`${fn}: post_spike must have length weight.shape[1] = ${nq}, got shape [${s.shape.join(', ')}]`);
  const out = copyOf(W);
  const o = out.buffer as FArray, sp = _values(s), t = _values(tr);
  for (let i = 0; i < np_; i++) {
    const base = i * nq, ti = t[i];
    for (let j = 0; j < nq; j++) if (sp[j] !== 0) o[base + j] += ti;
  }
  return clipWeights(out, b.w_min, b.w_max);
}

function parseCsr(fn: string, rest: unknown[]): Bounds & { shape: [number, number] } {
  const a = parseRest(fn, rest, ['shape', 'backend']);
  if (a.shape === undefined) throw new Error(`${fn}: the keyword argument shape is required ({ shape: [n_pre, n_post] })`);
  return { w_min: checkBound(fn, 'w_min', a.w_min), w_max: checkBound(fn, 'w_max', a.w_max), shape: _shape2(fn, a.shape) };
}

function csrWeight(fn: string, weight: unknown, nnz: number): Tensor {
  if (!(weight instanceof torch.Tensor) || (weight.dtype !== 'float32' && weight.dtype !== 'float64')) fail(fn, 'weight', `a float32 or float64 Tensor of shape [${nnz}]`, weight);
  if (weight.numel() === 1 && nnz > 1) {
    throw new Error(`${fn}: plasticity updates require per-synapse (heterogeneous) weights, but received a homogeneous (size-1) weight; materialize per-synapse weights first (e.g. broadcast to the connectivity shape)`);
  }
  if (weight.ndim !== 1 || weight.shape[0] !== nnz) fail(fn, 'weight', `a 1-D Tensor of length len(indices) = ${nnz}`, weight);
  return weight;
}

/**
 * `update_csr_on_binary_pre(weight, indices, indptr, pre_spike, post_trace, w_min=None, w_max=None, {shape})`:
 * for each spiking pre i and k in indptr[i]..indptr[i+1]: `w[k] += post_trace[indices[k]]`; then clip.
 */
export function update_csr_on_binary_pre(weight: Tensor, indices: IndexArray, indptr: IndexArray, pre_spike: Tensor, post_trace: Tensor, ...rest: [Bound?, Bound?, CsrUpdateOptions?] | [CsrUpdateOptions] | [Bound?, CsrUpdateOptions?]): Tensor {
  const fn = 'update_csr_on_binary_pre';
  const b = parseCsr(fn, rest);
  const [m, n] = b.shape;
  const ind = _indexArray(fn, 'indices', indices);
  const ptr = _indexArray(fn, 'indptr', indptr);
  const w = csrWeight(fn, weight, ind.length);
  const s = spikeTensor(fn, 'pre_spike', pre_spike);
  const tr = floatTensor(fn, 'post_trace', post_trace, 1);
  if (s.shape[0] !== m) throw new Error(`${fn}: pre_spike must have length shape[0] = ${m}, got shape [${s.shape.join(', ')}]`);
  if (tr.shape[0] !== n) throw new Error(`${fn}: post_trace must have length shape[1] = ${n}, got shape [${tr.shape.join(', ')}]`);
  checkPtr(fn, 'indptr', ptr, m, ind.length);
  const out = copyOf(w);
  const o = out.buffer as FArray, sp = _values(s), t = _values(tr);
  for (let i = 0; i < m; i++) {
    if (sp[i] === 0) continue;
    for (let k = ptr[i]; k < ptr[i + 1]; k++) {
      const c = ind[k];
      if ((c >>> 0) >= n) throw new Error(`${fn}: indices[${k}] must be in [0, ${n}), got ${c}`);
      o[k] += t[c];
    }
  }
  return clipWeights(out, b.w_min, b.w_max);
}

/**
 * `update_csr_on_binary_post(weight, indices, indptr, weight_indices, pre_trace, post_spike, w_min=None,
 * w_max=None, {shape})` with CSC arrays (indices = pre ids per CSC slot, indptr of length n_post + 1,
 * weight_indices = CSR position per slot, from bp.connect.csr2csc): for each spiking post j and k in
 * indptr[j]..indptr[j+1]: `w[weight_indices[k]] += pre_trace[indices[k]]`; then clip.
 */
export function update_csr_on_binary_post(weight: Tensor, indices: IndexArray, indptr: IndexArray, weight_indices: IndexArray, pre_trace: Tensor, post_spike: Tensor, ...rest: [Bound?, Bound?, CsrUpdateOptions?] | [CsrUpdateOptions] | [Bound?, CsrUpdateOptions?]): Tensor {
  const fn = 'update_csr_on_binary_post';
  const b = parseCsr(fn, rest);
  const [m, n] = b.shape;
  const ind = _indexArray(fn, 'indices', indices);
  const ptr = _indexArray(fn, 'indptr', indptr);
  const widx = _indexArray(fn, 'weight_indices', weight_indices);
  const w = csrWeight(fn, weight, ind.length);
  if (widx.length !== ind.length) throw new Error(`${fn}: weight_indices must have the same length as indices (${ind.length}), got ${widx.length}`);
  const tr = floatTensor(fn, 'pre_trace', pre_trace, 1);
  const s = spikeTensor(fn, 'post_spike', post_spike);
  if (tr.shape[0] !== m) throw new Error(`${fn}: pre_trace must have length shape[0] = ${m}, got shape [${tr.shape.join(', ')}]`);
  if (s.shape[0] !== n) throw new Error(`${fn}: post_spike must have length shape[1] = ${n}, got shape [${s.shape.join(', ')}]`);
  checkPtr(fn, 'indptr', ptr, n, ind.length);
  const out = copyOf(w);
  const o = out.buffer as FArray, sp = _values(s), t = _values(tr);
  const nnz = ind.length;
  for (let j = 0; j < n; j++) {
    if (sp[j] === 0) continue;
    for (let k = ptr[j]; k < ptr[j + 1]; k++) {
      const r = ind[k], wi = widx[k];
      if ((r >>> 0) >= m) throw new Error(`${fn}: indices[${k}] must be in [0, ${m}), got ${r}`);
      if ((wi >>> 0) >= nnz) throw new Error(`${fn}: weight_indices[${k}] must be in [0, ${nnz}), got ${wi}`);
      o[wi] += t[r];
    }
  }
  return clipWeights(out, b.w_min, b.w_max);
}

function checkPtr(fn: string, arg: string, ptr: Int32Array, rows: number, nnz: number): void {
  if (ptr.length !== rows + 1) throw new Error(`${fn}: ${arg} must have ${rows + 1} entries, got ${ptr.length}`);
  if (ptr[0] !== 0) throw new Error(`${fn}: ${arg}[0] must be 0, got ${ptr[0]}`);
  for (let i = 0; i < rows; i++) if (ptr[i + 1] < ptr[i]) throw new Error(`${fn}: ${arg} must be non-decreasing, got ${arg}[${i}] = ${ptr[i]} > ${arg}[${i + 1}] = ${ptr[i + 1]}`);
  if (ptr[rows] !== nnz) throw new Error(`${fn}: ${arg}[-1] must equal len(indices) = ${nnz}, got ${ptr[rows]}`);
}

