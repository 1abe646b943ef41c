/**
 * brainpy.connect base (brainpy/connect/base.py, BrainPy ≥ 2.7.8): the connector classes, the structure names, and
 * the format conversions (csr2csc, coo2csr, mat2coo, …).
 *
 * Python → TypeScript:
 *   conn = bp.connect.FixedProb(0.1)(pre_size, post_size)     →  conn = new bp.connect.FixedProb(0.1).call(pre_size, post_size)
 *   indices, indptr = conn.require('csr')                      →  const [indices, indptr] = conn.require('csr')
 *   mat = conn.require(10, 20, 'conn_mat')                     →  const mat = conn.require(10, 20, 'conn_mat')
 *   pre_ids, indptr, w_idx = bp.connect.csr2csc((indices, indptr), post_num, data=bm.arange(nnz))
 *                                                              →  bp.connect.csr2csc([indices, indptr], post_num, torch.arange(nnz, { dtype: 'int32' }))
 *
 * `require` follows BrainPy's dispatch exactly: a single 'csr'/'pre2post' calls build_csr, 'conn_mat' build_mat,
 * 'pre_ids'/'post_ids'/'coo' build_coo when the connector has them; a pair (csr|pre2post, coo) or (csr|pre2post,
 * conn_mat) or (coo, conn_mat) builds each separately (so for a random connector the two come from DIFFERENT draws,
 * as in BrainPy); everything else builds one format (coo, else csr, else mat) and derives the rest. Each build
 * consumes the connector's random state, so requiring twice gives two different graphs, as in BrainPy.
 * Results are int32 Tensors (IDX_DTYPE) and bool Tensors (MAT_DTYPE).
 *
 * Ordering: BrainPy sorts COO → CSR/CSC with `argsort`, which for numpy inputs is numpy's unstable quicksort; spikeport
 * always sorts stably (what jnp.argsort does, i.e. BrainPy's path for JAX arrays). The set of connections is the same;
 * the order of ids inside one row (CSR from a matrix or COO) may differ from a numpy-path BrainPy result.
 */
import * as torch from '../../torch';
import { fail, checkOptions } from '../../torch/utils/checks';
import { isPlainObject } from '../../torch/utils/checks';
import { _indexArray, _coo2csr, type IndexArray } from '../math/sparse';

type Tensor = torch.Tensor;

/** brainpy.errors.ConnectorError. */
export class ConnectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectorError';
  }
}

export const CONN_MAT = 'conn_mat';
export const PRE_IDS = 'pre_ids';
export const POST_IDS = 'post_ids';
export const PRE2POST = 'pre2post';
export const POST2PRE = 'post2pre';
export const PRE2SYN = 'pre2syn';
export const POST2SYN = 'post2syn';
export const PRE_SLICE = 'pre_slice';
export const POST_SLICE = 'post_slice';
export const COO = 'coo';
export const CSR = 'csr';
export const CSC = 'csc';

export const SUPPORTED_SYN_STRUCTURE = [CONN_MAT, PRE_IDS, POST_IDS, PRE2POST, POST2PRE, PRE2SYN, POST2SYN, PRE_SLICE, POST_SLICE, COO, CSR, CSC] as const;
export type SynStructure = (typeof SUPPORTED_SYN_STRUCTURE)[number];
/** Structures returned as one tensor. */
export type TensorStructure = 'conn_mat' | 'pre_ids' | 'post_ids';
/** Structures returned as a pair of tensors. */
export type PairStructure = 'pre2post' | 'post2pre' | 'pre2syn' | 'post2syn' | 'coo' | 'csr' | 'csc';
export type ConnData = Tensor | [Tensor, Tensor];
export type Size = number | readonly number[];

/** The connection matrix dtype (bool) and index dtype (int32), as bp.connect.MAT_DTYPE / IDX_DTYPE. */
export const MAT_DTYPE: torch.DType = 'bool';
export const IDX_DTYPE: torch.DType = 'int32';
export function get_idx_type(): torch.DType { return IDX_DTYPE; }

// ---- internal representations ------------------------------------------------------------------------------------

interface Csr { indices: Int32Array; indptr: Int32Array }
interface Coo { pre: Int32Array; post: Int32Array }
interface Mat { data: Uint8Array; rows: number; cols: number }

const idx = (a: Int32Array): Tensor => torch.from_typed_array(a);
const pair = (a: Int32Array, b: Int32Array): [Tensor, Tensor] => [idx(a), idx(b)];
const matTensor = (m: Mat): Tensor => torch.from_typed_array(m.data, [m.rows, m.cols]);

/** @internal Python-style keyword handling for constructors: positional names, then keyword-only names. */
export function _kwargs(fn: string, positional: readonly string[], kwOnly: readonly string[], rest: readonly unknown[]): Record<string, any> {
  const list = rest.slice();
  while (list.length && list[list.length - 1] === undefined) list.pop();
  let opts: Record<string, any> = {};
  if (list.length && isPlainObject(list[list.length - 1])) opts = checkOptions(fn, list.pop() as Record<string, any>, [...positional, ...kwOnly]);
  if (list.length > positional.length) {
    throw new Error(`${fn}: takes at most ${positional.length} optional positional arguments (${positional.join(', ')}), got ${list.length}${kwOnly.length ? `; ${kwOnly.join(', ')} are keyword-only (options object)` : ''}`);
  }
  const out: Record<string, any> = { ...opts };
  positional.forEach((name, i) => {
    if (i < list.length && list[i] !== undefined) {
      if (isPlainObject(list[i])) throw new Error(`${fn}: the options object must be the last argument, got one in the position of ${name}`);
      if (opts[name] !== undefined) throw new Error(`${fn}: got multiple values for argument '${name}' (positionally and in the options object)`);
      out[name] = list[i];
    }
  });
  return out;
}

/** @internal brainpy.tools.size2num with checks. */
export function _size(fn: string, arg: string, s: unknown): [number[], number] {
  const shape = typeof s === 'number' ? [s] : Array.isArray(s) ? s.slice() : null;
  if (!shape || !shape.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) fail(fn, arg, 'a non-negative integer or an array of them', s);
  return [shape as number[], (shape as number[]).reduce((a, b) => a * b, 1)];
}

function matFrom(fn: string, x: unknown): Mat {
  if (x instanceof torch.Tensor) {
    if (x.ndim !== 2) fail(fn, 'the connection matrix', 'a 2-D Tensor', x);
    const v = x.toTypedArray();
    const data = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) data[i] = v[i] > 0 ? 1 : 0;
    return { data, rows: x.shape[0], cols: x.shape[1] };
  }
  return fail(fn, 'the connection matrix', 'a 2-D Tensor', x);
}

function csrFrom(fn: string, x: unknown): Csr {
  if (!Array.isArray(x) || x.length !== 2) fail(fn, 'csr', 'a pair [indices, indptr]', x);
  return { indices: _indexArray(fn, 'indices', x[0]), indptr: _indexArray(fn, 'indptr', x[1]) };
}

function cooFrom(fn: string, x: unknown): Coo {
  if (!Array.isArray(x) || x.length !== 2) fail(fn, 'coo', 'a pair [pre_ids, post_ids]', x);
  const pre = _indexArray(fn, 'pre_ids', x[0]), post = _indexArray(fn, 'post_ids', x[1]);
  if (pre.length !== post.length) throw new Error(`${fn}: pre_ids and post_ids must have the same length, got ${pre.length} and ${post.length}`);
  return { pre, post };
}

function _csr2coo(c: Csr): Coo {
  const m = c.indptr.length - 1;
  const pre = new Int32Array(c.indices.length);
  for (let i = 0; i < m; i++) pre.fill(i, c.indptr[i], c.indptr[i + 1]);
  return { pre, post: c.indices };
}

/** Stable sort of COO by post id: [pre ids in CSC order, CSC indptr (post_num + 1), permutation]. */
function _coo2csc(fn: string, coo: Coo, post_num: number): [Int32Array, Int32Array, Int32Array] {
  const nnz = coo.post.length;
  const indptr = new Int32Array(post_num + 1);
  for (let k = 0; k < nnz; k++) {
    const c = coo.post[k];
    if ((c >>> 0) >= post_num) throw new Error(`${fn}: post ids must lie in [0, ${post_num}), got ${c} at position ${k}`);
    indptr[c + 1]++;
  }
  for (let j = 0; j < post_num; j++) indptr[j + 1] += indptr[j];
  const pos = indptr.slice(0, post_num);
  const order = new Int32Array(nnz);
  const pre = new Int32Array(nnz);
  for (let k = 0; k < nnz; k++) {
    const p = pos[coo.post[k]]++;
    order[p] = k;
    pre[p] = coo.pre[k];
  }
  return [pre, indptr, order];
}

function _coo2mat(fn: string, coo: Coo, rows: number, cols: number): Mat {
  const data = new Uint8Array(rows * cols);
  for (let k = 0; k < coo.pre.length; k++) {
    const i = coo.pre[k], j = coo.post[k];
    if ((i >>> 0) >= rows || (j >>> 0) >= cols) throw new Error(`${fn}: connection ${k} = (${i}, ${j}) lies outside the (${rows}, ${cols}) matrix`);
    data[i * cols + j] = 1;
  }
  return { data, rows, cols };
}

function _mat2coo(m: Mat): Coo {
  let nnz = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) nnz++;
  const pre = new Int32Array(nnz), post = new Int32Array(nnz);
  let k = 0;
  for (let i = 0; i < m.rows; i++) {
    const base = i * m.cols;
    for (let j = 0; j < m.cols; j++) if (m.data[base + j]) { pre[k] = i; post[k] = j; k++; }
  }
  return { pre, post };
}

function gatherData(fn: string, data: Tensor | ArrayLike<number>, order: Int32Array): Tensor {
  if (data instanceof torch.Tensor) {
    if (data.ndim !== 1 || data.shape[0] !== order.length) fail(fn, 'data', `a 1-D Tensor of length nnz = ${order.length}`, data);
    const v = data.toTypedArray();
    const out = torch.empty([order.length], { dtype: data.dtype });
    const o = out.buffer;
    for (let k = 0; k < order.length; k++) o[k] = v[order[k]];
    return out;
  }
  const arr = _indexArray(fn, 'data', data);
  if (arr.length !== order.length) fail(fn, 'data', `an array of length nnz = ${order.length}`, data);
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = arr[order[k]];
  return idx(out);
}

// ---- public conversions (brainpy.connect.*) ---------------------------------------------------------------------

/** `csr2coo(csr)` → [pre_ids, post_ids]. */
export function csr2coo(csr: [IndexArray, IndexArray]): [Tensor, Tensor] {
  const c = _csr2coo(csrFrom('bp.connect.csr2coo', csr));
  return pair(c.pre, c.post.slice());
}

/**
 * `csr2csc(csr, post_num, data=None)` → [pre_ids, indptr_csc] or [pre_ids, indptr_csc, data_csc]: the entries
 * ordered by post id (stably: inside a column in CSR order), `indptr_csc` with post_num + 1 entries. With
 * `data = arange(nnz)` the third array maps each CSC slot to its CSR position (what CSRLinear.stdp_update uses).
 */
export function csr2csc(csr: [IndexArray, IndexArray], post_num: number, data?: DataArg | { data?: DataArg }): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
  const fn = 'bp.connect.csr2csc';
  if (typeof post_num !== 'number' || !Number.isInteger(post_num) || post_num < 0) fail(fn, 'post_num', 'a non-negative integer', post_num);
  const c = csrFrom(fn, csr);
  checkIndptr(fn, c);
  return coo2cscImpl(fn, _csr2coo(c), post_num, dataArg(fn, data));
}

type DataArg = Tensor | ArrayLike<number> | null;

/** `data` positionally or as `{ data }` (Python's data=...). */
function dataArg(fn: string, data: DataArg | { data?: DataArg } | undefined): DataArg | undefined {
  if (isPlainObject(data)) return checkOptions(fn, data as { data?: DataArg }, ['data']).data;
  return data as DataArg | undefined;
}

function checkIndptr(fn: string, c: Csr): void {
  const p = c.indptr;
  if (p.length < 1 || p[0] !== 0 || p[p.length - 1] !== c.indices.length) {
    throw new Error(`${fn}: indptr must start at 0 and end at len(indices) = ${c.indices.length}, got [${p.length ? `${p[0]} … ${p[p.length - 1]}` : ''}]`);
  }
  for (let i = 0; i + 1 < p.length; i++) if (p[i + 1] < p[i]) throw new Error(`${fn}: indptr must be non-decreasing, got indptr[${i}] = ${p[i]} > indptr[${i + 1}] = ${p[i + 1]}`);
}

function coo2cscImpl(fn: string, coo: Coo, post_num: number, data?: Tensor | ArrayLike<number> | null): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
  const [pre, indptr, order] = _coo2csc(fn, coo, post_num);
  if (data === undefined || data === null) return [idx(pre), idx(indptr)];
  return [idx(pre), idx(indptr), gatherData(fn, data, order)];
}

/** `coo2csc(coo, post_num, data=None)`. */
export function coo2csc(coo: [IndexArray, IndexArray], post_num: number, data?: DataArg | { data?: DataArg }): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
  const fn = 'bp.connect.coo2csc';
  if (typeof post_num !== 'number' || !Number.isInteger(post_num) || post_num < 0) fail(fn, 'post_num', 'a non-negative integer', post_num);
  return coo2cscImpl(fn, cooFrom(fn, coo), post_num, dataArg(fn, data));
}

/** `coo2csr(coo, num_pre)` → [indices, indptr] (stable by pre id). */
export function coo2csr(coo: [IndexArray, IndexArray], num_pre: number): [Tensor, Tensor] {
  const fn = 'bp.connect.coo2csr';
  if (typeof num_pre !== 'number' || !Number.isInteger(num_pre) || num_pre < 0) fail(fn, 'num_pre', 'a non-negative integer', num_pre);
  const c = cooFrom(fn, coo);
  const [indices, indptr] = _coo2csr(fn, c.pre, c.post, num_pre);
  return pair(indices, indptr);
}

/** `csr2mat(csr, num_pre, num_post)` → bool Tensor. */
export function csr2mat(csr: [IndexArray, IndexArray], num_pre: number, num_post: number): Tensor {
  const fn = 'bp.connect.csr2mat';
  const c = csrFrom(fn, csr);
  checkIndptr(fn, c);
  return matTensor(_coo2mat(fn, _csr2coo(c), num_pre, num_post));
}

/** `coo2mat(ij, num_pre, num_post)` → bool Tensor. */
export function coo2mat(ij: [IndexArray, IndexArray], num_pre: number, num_post: number): Tensor {
  const fn = 'bp.connect.coo2mat';
  return matTensor(_coo2mat(fn, cooFrom(fn, ij), num_pre, num_post));
}

/** `mat2coo(dense)` → [pre_ids, post_ids] of entries > 0, row-major. */
export function mat2coo(dense: Tensor): [Tensor, Tensor] {
  const c = _mat2coo(matFrom('bp.connect.mat2coo', dense));
  return pair(c.pre, c.post);
}

/** `mat2csr(dense)` → [indices, indptr]. */
export function mat2csr(dense: Tensor): [Tensor, Tensor] {
  const fn = 'bp.connect.mat2csr';
  const m = matFrom(fn, dense);
  const c = _mat2coo(m);
  const [indices, indptr] = _coo2csr(fn, c.pre, c.post, m.rows);
  return pair(indices, indptr);
}

/** `mat2csc(dense)` → [pre ids, indptr over posts]. */
export function mat2csc(dense: Tensor): [Tensor, Tensor] {
  const fn = 'bp.connect.mat2csc';
  const m = matFrom(fn, dense);
  const c = _mat2coo(m);
  const [indices, indptr] = _coo2csr(fn, c.post, c.pre, m.cols);
  return pair(indices, indptr);
}

// ---- connectors -------------------------------------------------------------------------------------------------

/** What a custom build_conn() may return: a dict of formats or a ['csr' | 'mat' | 'coo' | 'ij', data] pair. */
export type BuildConnResult =
  | { csr?: [IndexArray, IndexArray] | null; mat?: Tensor | null; coo?: [IndexArray, IndexArray] | null; ij?: [IndexArray, IndexArray] | null }
  | ['csr' | 'coo' | 'ij', [IndexArray, IndexArray]]
  | ['mat', Tensor];

/** brainpy.connect.Connector. */
export abstract class Connector {}

/**
 * brainpy.connect.TwoEndConnector(pre=None, post=None). Subclasses implement build_csr() → [indices, indptr],
 * build_coo() → [pre_ids, post_ids] and/or build_mat() → a (pre_num, post_num) Tensor (entries > 0 connect), or
 * the older build_conn().
 */
export class TwoEndConnector extends Connector {
  pre_size: number[] | null = null;
  post_size: number[] | null = null;
  pre_num: number | null = null;
  post_num: number | null = null;

  constructor(pre?: Size | null, post?: Size | null) {
    super();
    const fn = `${new.target.name}`;
    if (pre !== undefined && pre !== null) [this.pre_size, this.pre_num] = _size(fn, 'pre', pre);
    if (post !== undefined && post !== null) [this.post_size, this.post_num] = _size(fn, 'post', post);
  }

  override toString(): string { return this.constructor.name; }

  /** Python's `conn(pre_size, post_size)`: sets the group sizes and returns this. */
  call(pre_size: Size, post_size: Size): this {
    const fn = `${this.constructor.name}.call`;
    [this.pre_size, this.pre_num] = _size(fn, 'pre_size', pre_size);
    [this.post_size, this.post_num] = _size(fn, 'post_size', post_size);
    return this;
  }

  // build_* are "not customized" unless a subclass overrides them (BrainPy's tools.not_customized)
  build_conn(): BuildConnResult { throw new ConnectorError(`${this.constructor.name}: build_conn is not implemented`); }
  build_mat(): Tensor { throw new ConnectorError(`${this.constructor.name}: build_mat is not implemented`); }
  build_csr(): [IndexArray, IndexArray] { throw new ConnectorError(`${this.constructor.name}: build_csr is not implemented`); }
  build_coo(): [IndexArray, IndexArray] { throw new ConnectorError(`${this.constructor.name}: build_coo is not implemented`); }

  private has(name: 'build_conn' | 'build_mat' | 'build_csr' | 'build_coo'): boolean {
    return this[name] !== TwoEndConnector.prototype[name];
  }

  get is_version2_style(): boolean {
    return this.has('build_coo') || this.has('build_csr') || this.has('build_mat');
  }

  /** `require([pre_size, [post_size,]] *structures)`: the connection data in the requested formats. */
  require(s: TensorStructure): Tensor;
  require(pre_size: Size, s: TensorStructure): Tensor;
  require(pre_size: Size, post_size: Size, s: TensorStructure): Tensor;
  require(s: PairStructure): [Tensor, Tensor];
  require(pre_size: Size, s: PairStructure): [Tensor, Tensor];
  require(pre_size: Size, post_size: Size, s: PairStructure): [Tensor, Tensor];
  require(...args: (Size | SynStructure)[]): ConnData | ConnData[];
  require(...args: (Size | string)[]): ConnData | ConnData[] {
    const fn = `${this.constructor.name}.require`;
    if (args.length === 0) return [];
    let structures = args.slice();
    let pre: Size | null = null, post: Size | null = null;
    if (typeof structures[0] !== 'string') {
      pre = structures[0] as Size;
      structures = structures.slice(1);
      if (structures.length > 0 && typeof structures[0] !== 'string') {
        post = structures[0] as Size;
        structures = structures.slice(1);
      }
    }
    if (pre !== null) this.call(pre, post as Size); // BrainPy calls __call__(pre_size, None) when only one size is given
    if (this.pre_num === null || this.post_num === null) {
      throw new ConnectorError(`${fn}: self.pre_num or self.post_num is not defined. Please use "conn.require(pre_size, post_size, DATA1, DATA2, ...)" or conn.call(pre_size, post_size) first`);
    }
    const names = structures as string[];
    if (names.length === 0) throw new ConnectorError(`${fn}: No synaptic structure is received.`);
    for (const n of names) {
      if (typeof n !== 'string' || !(SUPPORTED_SYN_STRUCTURE as readonly string[]).includes(n)) {
        throw new ConnectorError(`${fn}: Unknown synapse structure ${JSON.stringify(n)}. Only ${SUPPORTED_SYN_STRUCTURE.join(', ')} are supported.`);
      }
    }
    const hasCoo = this.has('build_coo'), hasCsr = this.has('build_csr'), hasMat = this.has('build_mat');
    const csr = (): Csr => csrFrom(`${this.constructor.name}.build_csr`, this.build_csr());
    const coo = (): Coo => cooFrom(`${this.constructor.name}.build_coo`, this.build_coo());
    const mat = (): Mat => matFrom(`${this.constructor.name}.build_mat`, this.build_mat());
    let data: { csr?: Csr; mat?: Mat; coo?: Coo };
    if (hasCoo || hasCsr || hasMat) {
      const has = (s: string): boolean => names.includes(s);
      if (names.length === 1) {
        if (has(PRE2POST) && hasCsr) { const r = csr(); return pair(r.indices, r.indptr); }
        if (has(CSR) && hasCsr) { const r = csr(); return pair(r.indices, r.indptr); }
        if (has(CONN_MAT) && hasMat) return matTensor(mat());
        if (has(PRE_IDS) && hasCoo) return idx(coo().pre);
        if (has(POST_IDS) && hasCoo) return idx(coo().post);
        if (has(COO) && hasCoo) { const r = coo(); return pair(r.pre, r.post); }
      } else if (names.length === 2) {
        if (has(PRE_IDS) && has(POST_IDS) && hasCoo) {
          const r = coo();
          return names[0] === PRE_IDS ? [idx(r.pre), idx(r.post)] : [idx(r.post), idx(r.pre)];
        }
        if ((has(CSR) || has(PRE2POST)) && hasCsr && has(COO) && hasCoo) {
          const a = csr(), b = coo();
          const cs: [Tensor, Tensor] = pair(a.indices, a.indptr), co: [Tensor, Tensor] = pair(b.pre, b.post);
          return names[0] === COO ? [co, cs] : [cs, co];
        }
        if ((has(CSR) || has(PRE2POST)) && hasCsr && has(CONN_MAT) && hasMat) {
          const a = csr();
          const cs: [Tensor, Tensor] = pair(a.indices, a.indptr);
          const mt = matTensor(mat());
          return names[0] === CONN_MAT ? [mt, cs] : [cs, mt];
        }
        if (has(COO) && hasCoo && has(CONN_MAT) && hasMat) {
          const b = coo();
          const co: [Tensor, Tensor] = pair(b.pre, b.post);
          const mt = matTensor(mat());
          return names[0] === COO ? [co, mt] : [mt, co];
        }
      }
      if (hasCoo) data = { coo: coo() };
      else if (hasCsr) data = { csr: csr() };
      else data = { mat: mat() };
    } else {
      data = this.fromBuildConn(fn);
    }
    return this.makeReturns(fn, names, data);
  }

  /** `requires(*structures)`: alias of require. */
  requires(...args: (Size | SynStructure)[]): ConnData | ConnData[] { return this.require(...args); }

  private fromBuildConn(fn: string): { csr?: Csr; mat?: Mat; coo?: Coo } {
    const r = this.build_conn() as unknown;
    const where = `${this.constructor.name}.build_conn`;
    if (Array.isArray(r)) {
      const [kind, body] = r as [string, unknown];
      if (kind === 'csr') return { csr: csrFrom(where, body) };
      if (kind === 'mat') return { mat: matFrom(where, body) };
      if (kind === 'coo' || kind === 'ij') return { coo: cooFrom(where, body) };
      throw new ConnectorError(`${fn}: Must provide one of "csr", "mat" or "coo". Got ${JSON.stringify(kind)} instead.`);
    }
    if (isPlainObject(r)) {
      const d = r as Record<string, unknown>;
      const out: { csr?: Csr; mat?: Mat; coo?: Coo } = {};
      if (d.csr !== undefined && d.csr !== null) out.csr = csrFrom(where, d.csr);
      if (d.mat !== undefined && d.mat !== null) out.mat = matFrom(where, d.mat);
      const c = (d.coo ?? null) !== null ? d.coo : d.ij;
      if (c !== undefined && c !== null) out.coo = cooFrom(where, c);
      if (!out.csr && !out.mat && !out.coo) throw new ConnectorError(`${fn}: Must provide one of "csr", "mat" or "coo".`);
      return out;
    }
    throw new ConnectorError(`${fn}: build_conn must return a dict of formats or a [kind, data] pair, got ${typeof r}`);
  }

  /** BrainPy's _make_returns / _return_by_csr / _return_by_coo / _return_by_mat. */
  private makeReturns(fn: string, names: string[], data: { csr?: Csr; mat?: Mat; coo?: Coo }): ConnData | ConnData[] {
    const all = new Map<string, ConnData>();
    const pre_num = this.pre_num!, post_num = this.post_num!;
    const want = (s: string): boolean => names.includes(s) && !all.has(s);

    const byCsr = (c: Csr): void => {
      if (c.indptr.length - 1 !== pre_num) throw new ConnectorError(`${fn}: the CSR indptr has ${c.indptr.length} entries, expected pre_num + 1 = ${pre_num + 1}`);
      checkIndptr(fn, c);
      if (want(CONN_MAT)) all.set(CONN_MAT, matTensor(_coo2mat(fn, _csr2coo(c), pre_num, post_num)));
      if (want(PRE_IDS)) all.set(PRE_IDS, idx(_csr2coo(c).pre));
      if (want(POST_IDS)) all.set(POST_IDS, idx(c.indices.slice()));
      if (want(COO)) all.set(COO, pair(_csr2coo(c).pre, c.indices.slice()));
      if (want(PRE2POST)) all.set(PRE2POST, pair(c.indices.slice(), c.indptr.slice()));
      if (want(CSR)) all.set(CSR, pair(c.indices.slice(), c.indptr.slice()));
      if (want(POST2PRE) || want(CSC)) {
        const [pre, ptr] = _coo2csc(fn, _csr2coo(c), post_num);
        if (want(POST2PRE)) all.set(POST2PRE, pair(pre, ptr.slice()));
        if (want(CSC)) all.set(CSC, pair(pre.slice(), ptr.slice()));
      }
      if (want(PRE2SYN)) {
        const seq = new Int32Array(c.indices.length);
        for (let k = 0; k < seq.length; k++) seq[k] = k;
        all.set(PRE2SYN, pair(seq, c.indptr.slice()));
      }
      if (want(POST2SYN)) {
        const [, ptr, order] = _coo2csc(fn, _csr2coo(c), post_num);
        all.set(POST2SYN, pair(order, ptr));
      }
    };
    const byCoo = (c: Coo): void => {
      if (want(CONN_MAT)) all.set(CONN_MAT, matTensor(_coo2mat(fn, c, pre_num, post_num)));
      if (want(PRE_IDS)) all.set(PRE_IDS, idx(c.pre.slice()));
      if (want(POST_IDS)) all.set(POST_IDS, idx(c.post.slice()));
      if (want(COO)) all.set(COO, pair(c.pre.slice(), c.post.slice()));
      if (want(CSC) || want(POST2PRE)) {
        const [pre, ptr] = _coo2csc(fn, c, post_num);
        if (want(CSC)) all.set(CSC, pair(pre, ptr));
        if (want(POST2PRE)) all.set(POST2PRE, pair(pre.slice(), ptr.slice()));
      }
      if (names.some((s) => ![CONN_MAT, PRE_IDS, POST_IDS, COO, CSC, POST2PRE].includes(s))) {
        const [indices, indptr] = _coo2csr(fn, c.pre, c.post, pre_num);
        byCsr({ indices, indptr });
      }
    };
    const byMat = (m: Mat): void => {
      if (want(CONN_MAT)) all.set(CONN_MAT, matTensor(m));
      if (names.some((s) => s !== CONN_MAT)) byCoo(_mat2coo(m));
    };

    if (data.csr) {
      if (want(PRE2POST)) all.set(PRE2POST, pair(data.csr.indices.slice(), data.csr.indptr.slice()));
      byCsr(data.csr);
    }
    if (data.mat) {
      if (want(CONN_MAT)) all.set(CONN_MAT, matTensor(data.mat));
      byMat(data.mat);
    }
    if (data.coo) byCoo(data.coo);

    const get = (s: string): ConnData => {
      const v = all.get(s);
      if (v === undefined) throw new ConnectorError(`${fn}: the structure ${JSON.stringify(s)} cannot be built by ${this.constructor.name} (BrainPy does not derive it either)`);
      return v;
    };
    return names.length === 1 ? get(names[0]) : names.map(get);
  }
}

/** brainpy.connect.OneEndConnector: connections within one population (pre_size == post_size). */
export class OneEndConnector extends TwoEndConnector {
  override call(pre_size: Size, post_size?: Size | null): this {
    const fn = `${this.constructor.name}.call`;
    const post = post_size ?? pre_size;
    const [a] = _size(fn, 'pre_size', pre_size), [b] = _size(fn, 'post_size', post);
    if (a.join() !== b.join()) {
      throw new ConnectorError(`${fn}: The shape of pre-synaptic group should be the same with the post group. But we got [${a}] != [${b}].`);
    }
    return super.call(pre_size, post);
  }
}
