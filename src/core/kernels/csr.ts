/**
 * Float CSR matrix × vector products in WebAssembly (csr.wat → csr_wasm.ts): the fast path of bm.sparse.csrmv for a
 * float32 vector and output, bit-identical to its JS kernel (the same float32 products, float32 sums in the scatter
 * form x @ M, one float64 sum per row in the gather form M @ x). The JS loop pays a float64 round trip per float32
 * add (~4 ns per stored entry at 4000 × 4000, p = 0.02); here an add is one f32.add.
 *
 * The structure is copied once into a WebAssembly memory of its own, kept per indices storage (a WeakMap, so the copy
 * goes with the arrays), and copied again only when a source changes: another array, or an in-place write (a
 * Tensor's version counter). Arrays without a version (plain Int32Arrays) are not copied: the caller keeps its JS
 * kernel for them, since nothing would tell a stale copy from a current one. Each call copies x in and out back out.
 * set_snn_backend('js') turns this path off (as it does the step kernels), which is how tests compare the two.
 */
import { CSR_WASM_BASE64 } from './csr_wasm';
import { kernelModule } from './snn';

interface CsrExports {
  scatter_homo(m: number, n: number, pPtr: number, pIdx: number, pX: number, pOut: number, w: number): void;
  scatter(m: number, n: number, pPtr: number, pIdx: number, pData: number, pX: number, pOut: number): void;
  gather_homo(m: number, pPtr: number, pIdx: number, pX: number, pOut: number, w: number): void;
  gather(m: number, pPtr: number, pIdx: number, pData: number, pX: number, pOut: number): void;
  gather_count(m: number, pPtr: number, pIdx: number, pAct: number, pOut: number, w: number): void;
}

const csrModule = kernelModule(CSR_WASM_BASE64);

/**
 * What a source array was when a copy was made of it (or it was checked): its storage, place, length and the version
 * counter of the Tensor it belongs to, with that counter's value. The copy is current while all of them are the same.
 */
export interface SourceStamp { buf: object; off: number; len: number; ver: { v: number }; v: number }

export const sourceStamp = (buf: object, off: number, len: number, ver: { v: number }): SourceStamp => ({ buf, off, len, ver, v: ver.v });

export const sameSource = (s: SourceStamp | null, buf: object, off: number, len: number, ver: { v: number }): boolean =>
  s !== null && s.buf === buf && s.off === off && s.len === len && s.ver === ver && s.v === ver.v;

const stamp = (a: Int32Array | Float32Array, ver: { v: number }): SourceStamp => sourceStamp(a.buffer, a.byteOffset, a.length, ver);
const same = (s: SourceStamp | null, a: Int32Array | Float32Array, ver: { v: number }): boolean => sameSource(s, a.buffer, a.byteOffset, a.length, ver);

const pad4 = (n: number): number => (n + 3) & ~3;

/** One CSR structure (and per-entry data, when used) in a memory of its own, with room for x and out. */
class CsrCopy {
  readonly x: WebAssembly.Exports & CsrExports;
  readonly ptr: Int32Array; readonly idx: Int32Array; readonly data: Float32Array | null; readonly xin: Float32Array; readonly out: Float32Array;
  readonly act: Uint8Array;
  sPtr: SourceStamp | null = null; sIdx: SourceStamp | null = null; sData: SourceStamp | null = null;

  constructor(module: WebAssembly.Module, readonly m: number, readonly n: number, readonly nnz: number, withData: boolean) {
    const lens = [pad4(m + 1), pad4(nnz), withData ? pad4(nnz) : 0, pad4(Math.max(m, n)), pad4(Math.max(m, n)), pad4(n) / 4];
    const bytes = lens.reduce((a, b) => a + b, 0) * 4;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    this.x = new WebAssembly.Instance(module, { env: { memory } }).exports as WebAssembly.Exports & CsrExports;
    const b = memory.buffer;
    let o = 0;
    this.ptr = new Int32Array(b, o, m + 1); o += lens[0] * 4;
    this.idx = new Int32Array(b, o, nnz); o += lens[1] * 4;
    this.data = withData ? new Float32Array(b, o, nnz) : null; o += lens[2] * 4;
    this.xin = new Float32Array(b, o, lens[3]); o += lens[3] * 4;
    this.out = new Float32Array(b, o, lens[4]); o += lens[4] * 4;
    this.act = new Uint8Array(b, o, n);
  }
}

const copies = new WeakMap<ArrayBufferLike, CsrCopy>();

/** The CSR arrays of a product with the version counters of the Tensors they came from. */
export interface CsrSource { indices: Int32Array; indptr: Int32Array; m: number; n: number; nnz: number; iver: { v: number }; pver: { v: number } }

/**
 * out = x @ M (transpose) or M @ x, M the (m, n) CSR matrix `src` holding `data` (one float32 per entry, version
 * `dver`) or, with data null, the homogeneous weight w (float32-representable). x and out are float32 (lengths m and n
 * for the scatter form, n and m for the gather form). Returns false, with nothing done, when WebAssembly is off or
 * unavailable. An out-of-range column index is reported through bad(k, value) (which must throw) before anything runs.
 */
export function csrmvWasm(src: CsrSource, data: Float32Array | null, dver: { v: number } | null, w: number, transpose: boolean,
  x: Float32Array, out: Float32Array, bad: (k: number, v: number) => never): boolean {
  const c = copyOf(src, data, dver, bad);
  if (c === null) return false;
  const { m, n } = src;
  const lenX = transpose ? m : n, lenOut = transpose ? n : m;
  c.xin.set(x.length === lenX ? x : x.subarray(0, lenX));
  const k = c.x, pPtr = c.ptr.byteOffset, pIdx = c.idx.byteOffset, pX = c.xin.byteOffset, pOut = c.out.byteOffset;
  if (transpose) {
    if (data === null) k.scatter_homo(m, n, pPtr, pIdx, pX, pOut, w);
    else k.scatter(m, n, pPtr, pIdx, c.data!.byteOffset, pX, pOut);
  } else if (data === null) k.gather_homo(m, pPtr, pIdx, pX, pOut, w);
  else k.gather(m, pPtr, pIdx, c.data!.byteOffset, pX, pOut);
  out.set(c.out.subarray(0, lenOut));
  return true;
}

/**
 * out[i] = f32(w · the number of active columns of row i) for 0/1 bytes `act` (n long): the gather form of an event
 * product with one weight, as csrmvWasm (the same copy of src; false when WebAssembly is off).
 */
export function csrCountWasm(src: CsrSource, w: number, act: Uint8Array, out: Float32Array, bad: (k: number, v: number) => never): boolean {
  const c = copyOf(src, null, null, bad);
  if (c === null) return false;
  c.act.set(act.length === src.n ? act : act.subarray(0, src.n));
  c.x.gather_count(src.m, c.ptr.byteOffset, c.idx.byteOffset, c.act.byteOffset, c.out.byteOffset, w);
  out.set(c.out.subarray(0, src.m));
  return true;
}

/** src's copy (made, or refreshed where a source changed), or null when WebAssembly is off or unavailable. */
function copyOf(src: CsrSource, data: Float32Array | null, dver: { v: number } | null, bad: (k: number, v: number) => never): CsrCopy | null {
  const module = csrModule();
  if (module === null) return null;
  const { indices, indptr, m, n, nnz } = src;
  const key = indices.buffer;
  let c = copies.get(key);
  if (c === undefined || c.m !== m || c.n !== n || c.nnz !== nnz || (data !== null && c.data === null)) {
    c = new CsrCopy(module, m, n, nnz, data !== null);
    copies.set(key, c);
  }
  if (!same(c.sIdx, indices, src.iver)) {
    // checked once per copy (the JS kernel checks every entry of every call: the same entry raises first)
    c.sIdx = null;
    for (let k = 0; k < nnz; k++) { const v = indices[k]; if ((v >>> 0) >= n) bad(k, v); }
    c.idx.set(indices);
    c.sIdx = stamp(indices, src.iver);
  }
  if (!same(c.sPtr, indptr, src.pver)) { c.ptr.set(indptr); c.sPtr = stamp(indptr, src.pver); }
  if (data !== null && !same(c.sData, data, dver!)) { c.data!.set(data); c.sData = stamp(data, dver!); }
  return c;
}
