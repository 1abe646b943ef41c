/**
 * brainpy.math.sparse (`bm.sparse`): CSR sparse matrix × dense vector, with BrainPy ≥ 2.7.8 names and semantics.
 *
 * Python (brainpy/math/sparse/csr_mv.py, brainevent 0.0.7 … 0.1.2 kernels):
 *   bm.sparse.csrmv(data, indices, indptr, vector, shape=(m, n), transpose=False)
 * TypeScript:
 *   bm.sparse.csrmv(data, indices, indptr, vector, { shape: [m, n], transpose: false })
 *
 * - The matrix M has `shape = (m, n)`: `indptr` has m + 1 entries, `indices` holds column ids (unsorted is fine).
 * - `data`: a number or a 0-d / 1-element tensor = one homogeneous weight for every entry; otherwise a tensor of
 *   length nnz in CSR order. Tensor data must be float32 or float64; the result has data's dtype (a number takes
 *   the vector's float dtype, as a weakly-typed JAX scalar does).
 * - transpose=false: `M @ vector` (vector length n → length m); transpose=true: `vector @ M` (length m → length n).
 *   A 2-D vector is a batch as in brainevent's `CSR @ B` / `B @ CSR`: (n, k) → (m, k), or with transpose (k, m) → (k, n).
 * - Float rounding follows brainevent's CPU kernels: the gather form (transpose=false) accumulates in float64 (per-entry
 *   products rounded to the data dtype), then stores; the scatter form (transpose=true) adds into the output array.
 * - Differentiable (torch.autograd.Function) w.r.t. `data` and `vector`, with brainevent's transpose rules:
 *   d/dvector = csrmv(data, ct, transpose=!transpose); d/ddata[k] = vector[row_k]·ct[col_k] (transpose) or
 *   vector[col_k]·ct[row_k], summed for a homogeneous weight. The vector gradient is itself differentiable;
 *   the data gradient is computed by a kernel (first order only).
 * - Indices are checked as they are used (an out-of-range column raises, naming the entry); indptr is checked in full.
 * - Float32 products on Tensor index arrays of ≥ 4096 entries run in WebAssembly (core/kernels/csr.ts), bit-identical to
 *   the JS kernel below (which set_snn_backend('js') keeps, and which runs everything else).
 *
 * Also here: csr_to_dense, csr_to_coo, coo_to_csr (brainpy/math/sparse/utils.py). The `_`-prefixed exports are
 * spikeport internals shared with bm.event, the plasticity kernels and bp.connect.
 */
import * as torch from '../../torch';
import { fail, checkOptions } from '../../torch/utils/checks';
import { csrmvWasm } from '../../torch/utils/kernels';

type Tensor = torch.Tensor;
type FArray = Float32Array | Float64Array;
type AnyArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Index arrays: an int32 Tensor, an Int32Array, or an array of integers. */
export type IndexArray = Tensor | Int32Array | readonly number[];

// ---- shared helpers (internal) -----------------------------------------------------------------------------------

/** @internal An index array as an Int32Array (no copy for a contiguous int32 Tensor or an Int32Array). */
export function _indexArray(fn: string, arg: string, x: unknown): Int32Array {
  if (x instanceof Int32Array) return x;
  if (x instanceof torch.Tensor) {
    if (x.dtype !== 'int32') fail(fn, arg, 'an int32 (integer) Tensor', x);
    if (x.ndim !== 1) fail(fn, arg, 'a 1-D Tensor', x);
    if (x.is_contiguous()) return (x.buffer as Int32Array).subarray(x.offset, x.offset + x.numel());
    return x.toTypedArray() as Int32Array;
  }
  if (Array.isArray(x)) {
    const out = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) fail(fn, `${arg}[${i}]`, 'an int32 integer', v);
      out[i] = v;
    }
    return out;
  }
  return fail(fn, arg, 'an int32 Tensor, an Int32Array or an array of integers', x);
}

/** @internal A (rows, cols) shape. */
export function _shape2(fn: string, shape: unknown, arg = 'shape'): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) {
    fail(fn, arg, 'a pair of non-negative integers [rows, cols]', shape);
  }
  return [shape[0], shape[1]];
}

/**
 * @internal A validated CSR structure; `iver` / `pver` are the version counters of the Tensors whose storage indices and
 * indptr view (null for plain arrays and copies), which let the WebAssembly kernels keep a copy of them.
 */
export interface _Csr { indices: Int32Array; indptr: Int32Array; m: number; n: number; nnz: number; iver: { v: number } | null; pver: { v: number } | null }

/** @internal Checks indptr in full (length m + 1, starts at 0, non-decreasing, ends at nnz); indices are checked by the kernels. */
export function _csr(fn: string, indicesIn: unknown, indptrIn: unknown, shape: [number, number], names: [string, string] = ['indices', 'indptr']): _Csr {
  const indices = _indexArray(fn, names[0], indicesIn);
  const indptr = _indexArray(fn, names[1], indptrIn);
  const [m, n] = shape;
  if (indptr.length !== m + 1) throw new Error(`${fn}: ${names[1]} must have shape[0] + 1 = ${m + 1} entries, got ${indptr.length}`);
  if (indptr[0] !== 0) throw new Error(`${fn}: ${names[1]}[0] must be 0, got ${indptr[0]}`);
  for (let i = 0; i < m; i++) {
    if (indptr[i + 1] < indptr[i]) throw new Error(`${fn}: ${names[1]} must be non-decreasing, got ${names[1]}[${i}] = ${indptr[i]} > ${names[1]}[${i + 1}] = ${indptr[i + 1]}`);
  }
  if (indptr[m] !== indices.length) throw new Error(`${fn}: ${names[1]}[-1] must equal the number of entries len(${names[0]}) = ${indices.length}, got ${indptr[m]}`);
  // a version only for arrays that are views of a Tensor's storage (a strided Tensor's indices are a copy per call)
  const ver = (x: unknown): { v: number } | null => (x instanceof torch.Tensor && x.is_contiguous() ? x._version : null);
  return { indices, indptr, m, n, nnz: indices.length, iver: ver(indicesIn), pver: ver(indptrIn) };
}

/** @internal Thrown by kernels meeting an out-of-range column index. */
export function _badIndex(fn: string, arg: string, k: number, v: number, n: number): never {
  throw new Error(`${fn}: ${arg}[${k}] must be in [0, ${n}), got ${v}`);
}

/** @internal Contiguous values of a tensor (no copy when already contiguous and whole). */
export function _values(t: Tensor): AnyArray {
  if (t.is_contiguous() && t.offset === 0 && t.buffer.length === t.numel()) return t.buffer as AnyArray;
  return t.toTypedArray() as AnyArray;
}

const isFloatDtype = (d: string): boolean => d === 'float32' || d === 'float64';

// ---- the op -----------------------------------------------------------------------------------------------------

/** @internal Everything a csrmv call needs besides the two differentiable tensors. */
export interface _MvInfo {
  fn: string;
  csr: _Csr;
  transpose: boolean;
  /** event semantics: x counts when x > 0 (bool: when true), its value is not multiplied in */
  event: boolean;
  homo: boolean;
  /** the homogeneous weight when data is a JS number (else read from data) */
  w0: number;
  outDtype: 'float32' | 'float64';
}

/** Output shape for a vector shape; the vector shape has been checked. */
function outShape(info: _MvInfo, vshape: readonly number[]): number[] {
  const { m, n } = info.csr;
  if (vshape.length === 1) return [info.transpose ? n : m];
  return info.transpose ? [vshape[0], n] : [m, vshape[1]];
}

/** @internal Checks the vector's shape against the matrix and returns the batch size (0 for 1-D). */
export function _checkVector(fn: string, arg: string, v: Tensor, csr: _Csr, transpose: boolean): number {
  const { m, n } = csr;
  const want = transpose ? m : n;
  if (v.ndim === 1) {
    if (v.shape[0] !== want) throw new Error(`${fn}: ${arg} must have length ${transpose ? 'shape[0]' : 'shape[1]'} = ${want} (transpose=${transpose}), got shape [${v.shape.join(', ')}]`);
    return 0;
  }
  if (v.ndim === 2) {
    const got = transpose ? v.shape[1] : v.shape[0];
    if (got !== want) {
      throw new Error(`${fn}: a 2-D ${arg} must have shape ${transpose ? `[batch, ${want}]` : `[${want}, batch]`} (transpose=${transpose}), got shape [${v.shape.join(', ')}]`);
    }
    return transpose ? v.shape[0] : v.shape[1];
  }
  return fail(fn, arg, 'a 1-D or 2-D Tensor', v);
}

/** The forward kernel: out = M v (gather) or v M (scatter), float or event semantics, 1-D or batched. */
function mvForward(info: _MvInfo, d: FArray | null, v: AnyArray, vshape: readonly number[], out: FArray): void {
  const { fn, transpose, event, homo } = info;
  const { indices, indptr, m, n } = info.csr;
  const w0 = homo ? (d ? d[0] : info.w0) : 0;
  const f32 = out instanceof Float32Array;
  const fr = Math.fround;
  if (vshape.length === 1) {
    if (!transpose) {
      // gather: out[i] = sum_k w_k v[indices[k]], float64 accumulation
      for (let i = 0; i < m; i++) {
        let r = 0;
        const e = indptr[i + 1];
        if (event) {
          if (homo) {
            for (let k = indptr[i]; k < e; k++) {
              const c = indices[k];
              if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
              if (v[c] > 0) r += w0;
            }
          } else {
            for (let k = indptr[i]; k < e; k++) {
              const c = indices[k];
              if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
              if (v[c] > 0) r += d![k];
            }
          }
          out[i] = r;
        } else if (homo) {
          for (let k = indptr[i]; k < e; k++) {
            const c = indices[k];
            if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
            r += v[c];
          }
          out[i] = w0 * r;
        } else if (f32) {
          for (let k = indptr[i]; k < e; k++) {
            const c = indices[k];
            if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
            r += fr(d![k] * v[c]);
          }
          out[i] = r;
        } else {
          for (let k = indptr[i]; k < e; k++) {
            const c = indices[k];
            if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
            r += d![k] * v[c];
          }
          out[i] = r;
        }
      }
      return;
    }
    // scatter: out[indices[k]] += w_k v[i]; the event form skips silent rows
    out.fill(0);
    for (let i = 0; i < m; i++) {
      const x = v[i];
      const e = indptr[i + 1];
      if (event) {
        if (!(x > 0)) continue;
        if (homo) {
          for (let k = indptr[i]; k < e; k++) {
            const c = indices[k];
            if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
            out[c] += w0;
          }
        } else {
          for (let k = indptr[i]; k < e; k++) {
            const c = indices[k];
            if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
            out[c] += d![k];
          }
        }
      } else if (homo) {
        const wsp = f32 ? fr(w0 * x) : w0 * x;
        for (let k = indptr[i]; k < e; k++) {
          const c = indices[k];
          if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
          out[c] += wsp;
        }
      } else if (f32) {
        for (let k = indptr[i]; k < e; k++) {
          const c = indices[k];
          if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
          out[c] += fr(d![k] * x);
        }
      } else {
        for (let k = indptr[i]; k < e; k++) {
          const c = indices[k];
          if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
          out[c] += d![k] * x;
        }
      }
    }
    return;
  }
  if (!transpose) {
    // batched gather: B (n, K) -> out (m, K)
    const K = vshape[1];
    const acc = new Float64Array(K);
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      const e = indptr[i + 1];
      for (let k = indptr[i]; k < e; k++) {
        const c = indices[k];
        if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
        const base = c * K;
        if (event) {
          const w = homo ? w0 : d![k];
          for (let b = 0; b < K; b++) if (v[base + b] > 0) acc[b] += w;
        } else if (homo) {
          for (let b = 0; b < K; b++) acc[b] += v[base + b];
        } else if (f32) {
          const w = d![k];
          for (let b = 0; b < K; b++) acc[b] += fr(w * v[base + b]);
        } else {
          const w = d![k];
          for (let b = 0; b < K; b++) acc[b] += w * v[base + b];
        }
      }
      const o = i * K;
      if (!event && homo) for (let b = 0; b < K; b++) out[o + b] = w0 * acc[b];
      else for (let b = 0; b < K; b++) out[o + b] = acc[b];
    }
    return;
  }
  // batched scatter: V (K, m) -> out (K, n)
  const K = vshape[0];
  out.fill(0);
  for (let b = 0; b < K; b++) {
    const vo = b * m, oo = b * n;
    for (let i = 0; i < m; i++) {
      const x = v[vo + i];
      if (event && !(x > 0)) continue;
      const e = indptr[i + 1];
      for (let k = indptr[i]; k < e; k++) {
        const c = indices[k];
        if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
        const w = homo ? w0 : d![k];
        out[oo + c] += event ? w : (f32 ? fr(w * x) : w * x);
      }
    }
  }
}

/** d(sum ct·out)/d(data): per entry (heterogeneous) or summed (homogeneous), float64. */
function mvDataGrad(info: _MvInfo, v: AnyArray, vshape: readonly number[], ct: AnyArray): Float64Array {
  const { transpose, event, homo } = info;
  const { indices, indptr, m, n, nnz } = info.csr;
  // brainevent: the homogeneous rule multiplies by the (binarised, for events) vector; the heterogeneous rule by
  // the raw vector values, events included
  if (homo) {
    let s = 0;
    if (vshape.length === 1) {
      for (let i = 0; i < m; i++) {
        const e = indptr[i + 1];
        if (!transpose) {
          let r = 0;
          for (let k = indptr[i]; k < e; k++) {
            const x = v[indices[k]];
            r += event ? (x > 0 ? 1 : 0) : x;
          }
          s += ct[i] * r;
        } else {
          const x = event ? (v[i] > 0 ? 1 : 0) : v[i];
          if (x === 0) continue;
          let r = 0;
          for (let k = indptr[i]; k < e; k++) r += ct[indices[k]];
          s += x * r;
        }
      }
    } else if (!transpose) {
      const K = vshape[1];
      for (let i = 0; i < m; i++) {
        for (let k = indptr[i]; k < indptr[i + 1]; k++) {
          const base = indices[k] * K;
          for (let b = 0; b < K; b++) {
            const x = v[base + b];
            s += ct[i * K + b] * (event ? (x > 0 ? 1 : 0) : x);
          }
        }
      }
    } else {
      const K = vshape[0];
      for (let b = 0; b < K; b++) {
        for (let i = 0; i < m; i++) {
          const x = event ? (v[b * m + i] > 0 ? 1 : 0) : v[b * m + i];
          if (x === 0) continue;
          for (let k = indptr[i]; k < indptr[i + 1]; k++) s += x * ct[b * n + indices[k]];
        }
      }
    }
    return Float64Array.of(s);
  }
  const g = new Float64Array(nnz);
  if (vshape.length === 1) {
    for (let i = 0; i < m; i++) {
      for (let k = indptr[i]; k < indptr[i + 1]; k++) g[k] = transpose ? v[i] * ct[indices[k]] : v[indices[k]] * ct[i];
    }
  } else if (!transpose) {
    const K = vshape[1];
    for (let i = 0; i < m; i++) {
      for (let k = indptr[i]; k < indptr[i + 1]; k++) {
        const base = indices[k] * K;
        let s = 0;
        for (let b = 0; b < K; b++) s += v[base + b] * ct[i * K + b];
        g[k] = s;
      }
    }
  } else {
    const K = vshape[0];
    for (let b = 0; b < K; b++) {
      for (let i = 0; i < m; i++) {
        const x = v[b * m + i];
        if (x === 0) continue;
        for (let k = indptr[i]; k < indptr[i + 1]; k++) g[k] += x * ct[b * n + indices[k]];
      }
    }
  }
  return g;
}

/** Stored entries from which a float product runs in WebAssembly (below, copying the structure costs more than it saves). */
const WASM_MIN_NNZ = 4096;

/**
 * mvForward's float32 1-D products on Tensor-backed CSR arrays, in WebAssembly (core/kernels/csr.ts: the same sums,
 * the structure copied once per version). False when the case does not apply or WebAssembly is off.
 */
function wasmForward(info: _MvInfo, data: Tensor | number, d: FArray | null, v: AnyArray, vshape: readonly number[], out: FArray): boolean {
  const csr = info.csr;
  if (info.event || vshape.length !== 1 || !(out instanceof Float32Array) || !(v instanceof Float32Array) || csr.nnz < WASM_MIN_NNZ) return false;
  if (csr.iver === null || csr.pver === null || (d !== null && !(d instanceof Float32Array))) return false;
  const hetero = !info.homo;
  const src = { indices: csr.indices, indptr: csr.indptr, m: csr.m, n: csr.n, nnz: csr.nnz, iver: csr.iver, pver: csr.pver };
  return csrmvWasm(src, hetero ? (d as Float32Array) : null, hetero ? (data as Tensor)._version : null, info.homo ? (d ? d[0] : info.w0) : 0,
    info.transpose, v, out, (k, c) => _badIndex(info.fn, 'indices', k, c, csr.n));
}

function allocF(dtype: 'float32' | 'float64', n: number): FArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** The autograd op behind bm.sparse.csrmv and bm.event.csrmv. */
class CsrMatVec extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, data: Tensor | number, vector: Tensor, info: _MvInfo): Tensor {
    ctx.info = info;
    ctx.save_for_backward(data instanceof torch.Tensor ? data : null, vector);
    const d = data instanceof torch.Tensor ? (_values(data) as FArray) : null;
    const v = _values(vector);
    const shape = outShape(info, vector.shape);
    const out = allocF(info.outDtype, shape.reduce((a, b) => a * b, 1));
    if (!wasmForward(info, data, d, v, vector.shape, out)) mvForward(info, d, v, vector.shape, out);
    return torch.from_typed_array(out, shape);
  }

  static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
    const info = ctx.info as _MvInfo;
    const [data, vector] = ctx.saved_tensors;
    let gData: Tensor | null = null, gVec: Tensor | null = null;
    if (ctx.needs_input_grad[0] && data) {
      const gd = mvDataGrad(info, _values(vector), vector.shape, _values(g.detach()));
      gData = torch.from_typed_array(data.dtype === 'float32' ? Float32Array.from(gd) : gd, data.shape.slice());
    }
    if (ctx.needs_input_grad[1]) {
      // d/dvector = csrmv(data, ct, transpose = !transpose) with float semantics (events: straight through)
      const flipped: _MvInfo = { ...info, event: false, transpose: !info.transpose, outDtype: isFloatDtype(vector.dtype) ? (vector.dtype as 'float32' | 'float64') : info.outDtype };
      const dArg = data ?? info.w0;
      if (g.ndim === 1) {
        gVec = CsrMatVec.apply(dArg, g, flipped) as Tensor;
      } else {
        // (n,k)-batch <-> (k,m)-batch layouts: M^T G = (G^T M)^T, G M^T = (M G^T)^T
        gVec = (CsrMatVec.apply(dArg, g.t(), flipped) as Tensor).t();
      }
    }
    return [gData, gVec, null];
  }
}

export interface CsrmvOptions { shape: [number, number] | number[]; transpose?: boolean }

/** @internal Shared front end of bm.sparse.csrmv and bm.event.csrmv. */
export function _csrmv(fn: string, vecArg: string, event: boolean, data: Tensor | number, indices: IndexArray, indptr: IndexArray, vector: Tensor, options: CsrmvOptions): Tensor {
  if (options === undefined || options === null) throw new Error(`${fn}: the keyword argument shape is required: ${fn}(data, indices, indptr, ${vecArg}, { shape: [rows, cols], transpose })`);
  const o = checkOptions(fn, options, ['shape', 'transpose']);
  const shape = _shape2(fn, o.shape);
  const transpose = o.transpose ?? false;
  if (typeof transpose !== 'boolean') fail(fn, 'transpose', 'a boolean', transpose);
  const csr = _csr(fn, indices, indptr, shape);
  if (!(vector instanceof torch.Tensor)) fail(fn, vecArg, 'a Tensor', vector);
  if (!event && !isFloatDtype(vector.dtype)) fail(fn, vecArg, 'a float32 or float64 Tensor (use bm.event.csrmv for spikes)', vector);
  _checkVector(fn, vecArg, vector, csr, transpose);

  let homo: boolean;
  let w0 = 0;
  let outDtype: 'float32' | 'float64';
  if (typeof data === 'number') {
    homo = true;
    w0 = data;
    outDtype = vector.dtype === 'float64' ? 'float64' : 'float32';
    if (outDtype === 'float32') w0 = Math.fround(w0);
  } else if (data instanceof torch.Tensor) {
    if (!isFloatDtype(data.dtype)) fail(fn, 'data', 'a float32 or float64 Tensor (the weights must be floating point)', data);
    outDtype = data.dtype as 'float32' | 'float64';
    if (data.numel() === 1 && data.ndim <= 1) homo = true;
    else if (data.ndim === 1 && data.shape[0] === csr.nnz) homo = false;
    else fail(fn, 'data', `a number, a 1-element Tensor (homogeneous weight) or a 1-D Tensor of length nnz = ${csr.nnz}`, data);
  } else {
    return fail(fn, 'data', 'a number or a float Tensor', data);
  }
  const info: _MvInfo = { fn, csr, transpose, event, homo, w0, outDtype };
  return CsrMatVec.apply(data, vector, info) as Tensor;
}

/**
 * `bm.sparse.csrmv(data, indices, indptr, vector, {shape, transpose=false})`: product of a CSR matrix (`shape`
 * = (rows, cols)) and a dense vector (or a batch, see the file header). Differentiable w.r.t. `data` and `vector`.
 */
export function csrmv(data: Tensor | number, indices: IndexArray, indptr: IndexArray, vector: Tensor, options: CsrmvOptions): Tensor {
  return _csrmv('bm.sparse.csrmv', 'vector', false, data, indices, indptr, vector, options);
}

// ---- utils (brainpy/math/sparse/utils.py) ------------------------------------------------------------------------

/** `csr_to_dense(data, indices, indptr, {shape})`: the dense matrix (duplicates add up). Not differentiable. */
export function csr_to_dense(data: Tensor | number, indices: IndexArray, indptr: IndexArray, options: { shape: [number, number] | number[] }): Tensor {
  const fn = 'bm.sparse.csr_to_dense';
  if (options === undefined || options === null) throw new Error(`${fn}: the keyword argument shape is required`);
  const o = checkOptions(fn, options, ['shape']);
  const shape = _shape2(fn, o.shape);
  const csr = _csr(fn, indices, indptr, shape);
  let dtype: 'float32' | 'float64' = 'float32';
  let d: AnyArray | null = null;
  let w0 = 0;
  if (typeof data === 'number') w0 = data;
  else if (data instanceof torch.Tensor && isFloatDtype(data.dtype)) {
    dtype = data.dtype as 'float32' | 'float64';
    if (data.numel() === 1 && data.ndim <= 1) w0 = data.item();
    else if (data.ndim === 1 && data.shape[0] === csr.nnz) d = _values(data);
    else fail(fn, 'data', `a number, a 1-element Tensor or a 1-D Tensor of length nnz = ${csr.nnz}`, data);
  } else fail(fn, 'data', 'a number or a float Tensor', data);
  const [m, n] = shape;
  const out = allocF(dtype, m * n);
  for (let i = 0; i < m; i++) {
    for (let k = csr.indptr[i]; k < csr.indptr[i + 1]; k++) {
      const c = csr.indices[k];
      if ((c >>> 0) >= n) _badIndex(fn, 'indices', k, c, n);
      out[i * n + c] += d ? d[k] : w0;
    }
  }
  return torch.from_typed_array(out, [m, n]);
}

/** `csr_to_coo(indices, indptr)` → [row, col] (int32 Tensors). */
export function csr_to_coo(indices: IndexArray, indptr: IndexArray): [Tensor, Tensor] {
  const fn = 'bm.sparse.csr_to_coo';
  const ind = _indexArray(fn, 'indices', indices);
  const ptr = _indexArray(fn, 'indptr', indptr);
  const csr = _csr(fn, ind, ptr, [Math.max(ptr.length - 1, 0), 0]);
  const rows = new Int32Array(csr.nnz);
  for (let i = 0; i < csr.m; i++) rows.fill(i, csr.indptr[i], csr.indptr[i + 1]);
  return [torch.from_typed_array(rows), torch.from_typed_array(ind.slice())];
}

/** `coo_to_csr(pre_ids, post_ids, {num_row})` → [indices, indptr], rows in ascending order (stable within a row). */
export function coo_to_csr(pre_ids: IndexArray, post_ids: IndexArray, options: { num_row: number }): [Tensor, Tensor] {
  const fn = 'bm.sparse.coo_to_csr';
  if (options === undefined || options === null) throw new Error(`${fn}: the keyword argument num_row is required`);
  const o = checkOptions(fn, options, ['num_row']);
  const m = o.num_row;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 0) fail(fn, 'num_row', 'a non-negative integer', m);
  const pre = _indexArray(fn, 'pre_ids', pre_ids);
  const post = _indexArray(fn, 'post_ids', post_ids);
  if (pre.length !== post.length) throw new Error(`${fn}: pre_ids and post_ids must have the same length, got ${pre.length} and ${post.length}`);
  const [indices, indptr] = _coo2csr(fn, pre, post, m);
  return [torch.from_typed_array(indices), torch.from_typed_array(indptr)];
}

/** @internal Stable counting sort of COO by row: [indices, indptr]; rows must lie in [0, m). */
export function _coo2csr(fn: string, pre: Int32Array, post: Int32Array, m: number, data?: AnyArray): [Int32Array, Int32Array, AnyArray?] {
  const indptr = new Int32Array(m + 1);
  for (let k = 0; k < pre.length; k++) {
    const r = pre[k];
    if ((r >>> 0) >= m) throw new Error(`${fn}: pre_ids must lie in [0, ${m}), got pre_ids[${k}] = ${r}`);
    indptr[r + 1]++;
  }
  for (let i = 0; i < m; i++) indptr[i + 1] += indptr[i];
  const pos = indptr.slice(0, m);
  const indices = new Int32Array(pre.length);
  const dout = data ? new (data.constructor as { new(n: number): AnyArray })(pre.length) : undefined;
  for (let k = 0; k < pre.length; k++) {
    const p = pos[pre[k]]++;
    indices[p] = post[k];
    if (dout) dout[p] = data![k];
  }
  return [indices, indptr, dout];
}
