/**
 * brainpy.dnn.linear's CSR layers: CSRLinear and EventCSRLinear (bm.sparse.csrmv / bm.event.csrmv over the CSR matrix
 * of a connector). Not a BrainPy module: linear.ts re-exports them, as brainpy/dnn/linear.py defines them.
 */
import { Tensor, arange, is_grad_enabled } from '../../torch/index';
import { Module } from '../../torch/nn/index';
import { Mode } from '../math/modes';
import * as sparse from '../math/sparse';
import * as event from '../math/event';
import { update_csr_on_binary_post, update_csr_on_binary_pre } from '../math/plasticity';
import { TwoEndConnector, csr2csc } from '../connect/index';
import { Layer, asFloat, checkBool, checkTensor, describe, fail, pyArgs, shapeStr, type PyCall } from './base';
import {
  type LayerKw, type U, type Weight, type WeightInit, assignWeight, checkConn, checkLast, checkMode, checkName, checkSharding,
  initWeight, isScalarWeight, rowwise, stdpArgs, trainable, weightDtype,
} from './_linear_args';

// =====================================================================================================================
// CSR layers
// =====================================================================================================================

class _CSRLayer extends Layer {
  conn: TwoEndConnector;
  sharding: null;
  transpose: boolean;
  indices: Tensor;
  indptr: Tensor;
  weight: Weight;
  _pre_ids: Tensor | null = null;
  _post_indptr: Tensor | null = null;
  w_indices: Tensor | null = null;

  constructor(fn: string, conn: TwoEndConnector, weight: WeightInit, o: Record<string, any>) {
    super({ mode: checkMode(fn, o.mode), name: checkName(fn, o.name) });
    this.conn = checkConn(fn, conn);
    this.sharding = checkSharding(fn, o.sharding);
    this.transpose = checkBool(fn, 'transpose', o.transpose ?? true);
    const csr = conn.require('csr') as unknown;
    if (!Array.isArray(csr) || csr.length !== 2) fail(fn, "conn.require('csr')", 'a pair [indices, indptr]', csr);
    const [indices, indptr] = csr as [Tensor, Tensor];
    this.indices = indices;
    this.indptr = indptr;
    if (!(indices instanceof Tensor) || indices.ndim !== 1 || !(indptr instanceof Tensor) || indptr.ndim !== 1) {
      fail(fn, "conn.require('csr')", 'a pair of 1-D index Tensors [indices, indptr]', csr);
    }
    const nnz = indices.shape[0];
    const w = initWeight(fn, 'weight', weight, [nnz]);
    if (w instanceof Tensor && w.ndim !== 0 && w.shape.join() !== `${nnz}` && w.shape.join() !== '1') throw new Error(`${fn}: weight must be a scalar or of shape [${nnz}] (one value per connection), got ${describe(w)}`);
    this.weight = trainable(this.mode, w);
  }

  protected get _shape(): [number, number] { return [this.conn.pre_num as number, this.conn.post_num as number]; }

  /**
   * STDP on the per-connection weights: on_pre = {spike: pre spikes, trace: post trace}, on_post = {spike: post
   * spikes, trace: pre trace} (the CSC view of the connectivity is built on first use); clipped to [w_min, w_max]
   * after each. A scalar weight raises; a tensor weight that is not a variable becomes one.
   */
  stdp_update(...rest: unknown[]): void {
    const fn = `${this.constructor.name}.stdp_update`;
    const a = stdpArgs(fn, rest);
    const w = this.weight;
    if (isScalarWeight(w)) throw new Error(`${fn}: when using STDP to update synaptic weights, the weight cannot be a scalar`);
    const wt = w as Tensor;
    if (wt.shape.join() !== this.indices.shape.join()) throw new Error(`${fn}: the shape of weight should be the same as the shape of sparse weight ${shapeStr(this.indices.shape)}, got ${shapeStr(wt.shape)}`);
    this.tracing_variable('weight', wt, wt.shape);
    const cur = () => (this.weight as Tensor).detach();
    if (a.on_pre !== null) {
      const { spike, trace } = a.on_pre;
      assignWeight(this, 'weight', update_csr_on_binary_pre(cur(), this.indices, this.indptr, spike, trace, a.w_min, a.w_max, { shape: [spike.shape[0], trace.shape[0]] }));
    }
    if (a.on_post !== null) {
      if (this._pre_ids === null) {
        const nnz = this.indices.shape[0];
        const [pre_ids, post_indptr, w_idx] = csr2csc([this.indices, this.indptr], this.conn.post_num as number, arange(nnz, { dtype: 'int32' })) as [Tensor, Tensor, Tensor];
        this._pre_ids = pre_ids;
        this._post_indptr = post_indptr;
        this.w_indices = w_idx;
      }
      const { spike, trace } = a.on_post;
      assignWeight(this, 'weight', update_csr_on_binary_post(cur(), this._pre_ids, this._post_indptr!, this.w_indices!, trace, spike, a.w_min, a.w_max, { shape: [trace.shape[0], spike.shape[0]] }));
    }
  }

  protected _csrUpdate(fn: string, x: Tensor, eventKernel: boolean): Tensor {
    checkTensor(fn, 'x', x);
    const [pre, post] = this._shape;
    const t = this.transpose;
    const inLen = t ? pre : post;
    const outLen = t ? post : pre;
    checkLast(fn, x, inLen, t ? 'conn.pre_num' : 'conn.post_num');
    // the event kernel takes spikes as they come (bool or float); the float kernel gets the weight's float dtype
    const xin = eventKernel ? x : asFloat(x, weightDtype(this.weight));
    const kernel = eventKernel ? event.csrmv : sparse.csrmv;
    const w = this.weight;
    const opts = { shape: [pre, post] as [number, number], transpose: t };
    return rowwise(xin, outLen,
      (v) => kernel(w, this.indices, this.indptr, v, opts),
      // brainevent's batched forms: V @ M for (N, pre) with transpose, M @ Vᵀ for (post, N) without
      (X) => (t ? kernel(w, this.indices, this.indptr, X, opts) : kernel(w, this.indices, this.indptr, X.t(), opts).t()));
  }
}

/**
 * CSRLinear(conn, weight, sharding = None, mode = None, name = None, method = None, transpose = True):
 * y = x @ M with M the (pre_num, post_num) CSR matrix of conn.require('csr') holding `weight` (a scalar for every
 * connection, or one value per connection in CSR order); bm.sparse.csrmv. transpose=False computes M @ x instead.
 */
export class CSRLinear extends _CSRLayer {
  method: string | null;

  constructor(...args: PyCall<[conn: TwoEndConnector, weight: WeightInit],
    [sharding: U<null>, mode: U<Mode | null>, name: U<string | null>, method: U<string | null>, transpose: U<boolean>],
    LayerKw & { conn?: TwoEndConnector; weight?: WeightInit; method?: string | null; transpose?: boolean }>) {
    const fn = 'bp.dnn.CSRLinear';
    const o = pyArgs(fn, ['conn', 'weight', 'sharding', 'mode', 'name', 'method', 'transpose'], args, 2);
    super(fn, o.conn, o.weight, o);
    if (o.method !== undefined && o.method !== null && typeof o.method !== 'string') fail(fn, 'method', 'a string or null', o.method);
    this.method = o.method ?? null;
  }

  override update(x: Tensor): Tensor { return this._csrUpdate(`${this.constructor.name}.update`, x, false); }
}

/**
 * EventCSRLinear(conn, weight, sharding = None, mode = None, name = None, transpose = True): as CSRLinear with
 * bm.event.csrmv — each active input (true, or a float > 0 / ≠ 0 per the event kernel) adds its row of weights.
 */
export class EventCSRLinear extends _CSRLayer {
  constructor(...args: PyCall<[conn: TwoEndConnector, weight: WeightInit],
    [sharding: U<null>, mode: U<Mode | null>, name: U<string | null>, transpose: U<boolean>],
    LayerKw & { conn?: TwoEndConnector; weight?: WeightInit; transpose?: boolean }>) {
    const fn = 'bp.dnn.EventCSRLinear';
    const o = pyArgs(fn, ['conn', 'weight', 'sharding', 'mode', 'name', 'transpose'], args, 2);
    super(fn, o.conn, o.weight, o);
  }

  override update(x: Tensor): Tensor { return this._csrUpdate(`${this.constructor.name}.update`, x, true); }

  /**
   * `call(x)` writing the product of a 1-D bool spike vector with a known spike list into `into` (float32, post_num
   * long, all zeros), for a projection that adds it into a synapse in the same memory (bm.event's
   * _event_csr_homo_into: the rows of the spiking inputs only, the same sums). Null when that does not apply (hooks or
   * an override, transpose=False, a per-connection or trainable weight, x not such a vector): the caller calls the layer.
   */
  _call_into(x: Tensor, into: Float32Array): Tensor | null {
    if (!(x instanceof Tensor) || x.ndim !== 1 || !this.transpose || this._m.preHooks.size !== 0 || this._m.hooks.size !== 0 || this.call !== Module.prototype.call
      || this.forward !== Layer.prototype.forward || this.update !== EventCSRLinear.prototype.update) return null;
    const w = this.weight;
    let w0: number;
    if (typeof w === 'number') w0 = w;
    else if (w.numel() === 1 && w.dtype === 'float32' && !(w.requires_grad && is_grad_enabled())) w0 = Number(w.item());
    else return null;
    const [pre, post] = this._shape;
    if (x.shape[0] !== pre) checkLast(`${this.constructor.name}.update`, x, pre, 'conn.pre_num');
    return event._event_csr_homo_into(w0, this.indices, this.indptr, [pre, post], x, into);
  }
}
