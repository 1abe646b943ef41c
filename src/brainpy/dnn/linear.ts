/**
 * brainpy.dnn.linear (BrainPy 2.x; the file of BrainPy ≥ 2.7.8 that imports brainevent's plasticity kernels).
 * The CSR and JIT layers live in _linear_csr.ts and _linear_jit.ts (re-exported here), shared helpers in _linear_args.ts.
 *
 *     import brainpy as bp, brainpy.math as bm               import { bp, bm } from 'spikeport/brainpy';
 *     fc = bp.dnn.Dense(100, 10, mode=bm.TrainingMode())     const fc = new bp.dnn.Dense(100, 10, { mode: new bm.TrainingMode() });
 *     y = fc(x)                                              const y = fc.call(x);
 *     syn = bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.02,    const syn = new bp.dnn.EventCSRLinear(new bp.conn.FixedProb(0.02,
 *               pre=4000, post=4000), weight=0.6)                       { pre: 4000, post: 4000 }), 0.6);
 *
 * Constructors take BrainPy's arguments in BrainPy's order, as Python does: positionally, by keyword in a trailing
 * object with the same names, or both — required ones included (`new bp.dnn.EventJitFPHomoLinear(3200, 4000,
 * { prob: 0.02, weight: 0.6 })`, `new bp.dnn.Dense({ num_in: 3, num_out: 4 })`). An argument given twice, a missing
 * required one and an unknown keyword raise, naming the layer (core/args.ts pyArgs with `required`). A plain object
 * is always the keyword object, so it must come last. `sharding` is accepted for line-by-line ports but must be null
 * (spikeport runs on one device).
 *
 * Modes (see math/modes.ts): the mode decides two things, as in BrainPy.
 *  - TrainingMode: the trainable weights (Dense W and b, AllToAll/OneToOne/MaskedLinear/CSR `weight`, the JIT homo
 *    `weight`) are bm.TrainVars = nn.Parameters with requires_grad, found by `parameters()`; forward passes are
 *    differentiable w.r.t. them and w.r.t. the input. The sparse and JIT products differentiate through
 *    bm.sparse / bm.event / bm.jitconn, whose backward rules are brainevent's: the input gradient is the transposed
 *    float product with the same matrix (for the event forms too), the weight gradient that of the product. Outside
 *    TrainingMode weights are constant tensors (a number stays a number), as BrainPy keeps plain arrays.
 *  - BatchingMode / TrainingMode: only AllToAll with a scalar weight reads the mode (it needs a 2-D (batch, num_pre)
 *    input there, a 1-D one otherwise). Every other layer acts on the last axis, and inputs of any rank ≥ 1 work in
 *    every mode (the sparse and JIT layers apply the same matrix to each row of the flattened leading axes, BrainPy's
 *    vmap, through the kernels' batched forms).
 *
 * STDP (`stdp_update`) writes the new weights in place through `W.value = …`; a constant tensor weight first becomes
 * a bm.Variable (OneToOne, MaskedLinear and the CSR layers in every version; Dense and AllToAll as in BrainPy 2.8 —
 * BrainPy 2.7.8, the seed of this port, raised "the weight must be a variable" for them instead, so every program that
 * ran there runs here). The JIT layers draw `seed=None` from numpy's global legacy RNG like BrainPy (defaultSeed).
 *
 * Deviations from BrainPy (each is where BrainPy itself misbehaves):
 *  - AllToAll, scalar weight, include_self=False, batching mode, num_pre ≠ num_post: BrainPy slices/pads the batch
 *    axis (its code is written for 1-D input) and returns a wrongly shaped result; spikeport removes the self term
 *    along the feature axis, the evident intent.
 *  - Shape mismatches that BrainPy would broadcast silently or report from deep inside JAX raise here with both shapes.
 */
import { Tensor, cat, eye, no_grad, ones, zeros } from '../../torch/index';
import { Module } from '../../torch/nn/index';
import { share } from '../context';
import { Mode } from '../math/modes';
import { TrainVar, Variable } from '../math/variables';
import { update_dense_on_binary_post, update_dense_on_binary_pre } from '../math/plasticity';
import { TwoEndConnector } from '../connect/index';
import { Initializer, XavierNormal, ZeroInit, parameter } from '../initialize/index';
import type { OnlineAlgorithm } from '../algorithms/online';
import type { OfflineAlgorithm } from '../algorithms/offline';
import {
  Layer, asFloat, checkBool, checkSize, checkTensor, describe, fail, isPlainObject, pyArgs, shapeStr,
  type PyCall,
} from './base';
import {
  type LayerKw, type SpikeTrace, type U, type Weight, type WeightInit, assignWeight, checkConn, checkLast, checkMode, checkName,
  checkSharding, initWeight, isScalarWeight, stdpArgs, trainable, weightDtype,
} from './_linear_args';

export type { WeightInit } from './_linear_args';
export { CSRLinear, EventCSRLinear } from './_linear_csr';
export {
  EventJitFPHomoLinear, EventJitFPNormalLinear, EventJitFPUniformLinear, JitFPHomoLinear, JitFPNormalLinear, JitFPUniformLinear,
} from './_linear_jit';

// =====================================================================================================================
// Dense
// =====================================================================================================================

export interface DenseOptions {
  W_initializer?: Initializer | Tensor | ((shape: number[]) => Tensor);
  b_initializer?: Initializer | Tensor | ((shape: number[]) => Tensor) | null;
  mode?: Mode | null;
  name?: string | null;
}

/** The record Dense keeps for fitting: the last input and output seen while `share.load('fit')` is true. */
export interface FitRecord { input?: Tensor; output?: Tensor }

/**
 * Dense(num_in, num_out, W_initializer = XavierNormal(), b_initializer = ZeroInit(), mode = None, name = None):
 * y = x @ W + b over the last axis, W of shape (num_in, num_out), b of shape (num_out,) (b_initializer=null: no bias).
 * Supports STDP (`stdp_update`), online fitting (`online_init` / `online_fit`, e.g. with bp.algorithms.RLS) and
 * offline fitting (`offline_fit`, e.g. with bp.algorithms.RidgeRegression).
 */
export class Dense extends Layer {
  num_in: number;
  num_out: number;
  W_initializer: DenseOptions['W_initializer'];
  bias_initializer: DenseOptions['b_initializer'];
  W: Tensor;
  b: Tensor | null;
  /** The online fitting algorithm (set by a trainer or by hand), or null. */
  online_fit_by: OnlineAlgorithm | null = null;
  /** The offline fitting algorithm (an object with call(targets, inputs, outputs), or a function), or null. */
  offline_fit_by: OfflineAlgorithm | ((targets: Tensor, inputs: Tensor, outputs: Tensor) => Tensor) | null = null;
  fit_record: FitRecord = {};

  constructor(...args: PyCall<[num_in: number, num_out: number],
    [W_initializer: U<DenseOptions['W_initializer']>, b_initializer: U<DenseOptions['b_initializer']>, mode: U<Mode | null>, name: U<string | null>],
    DenseOptions & { num_in?: number; num_out?: number }>) {
    const fn = 'bp.dnn.Dense';
    const o = pyArgs(fn, ['num_in', 'num_out', 'W_initializer', 'b_initializer', 'mode', 'name'], args, 2);
    super({ mode: checkMode(fn, o.mode), name: checkName(fn, o.name) });
    this.num_in = checkSize(fn, 'num_in', o.num_in);
    this.num_out = checkSize(fn, 'num_out', o.num_out);
    const W_init = o.W_initializer === undefined ? new XavierNormal() : o.W_initializer;
    const b_init = 'b_initializer' in o && o.b_initializer !== undefined ? o.b_initializer : new ZeroInit();
    // brainpy.check.is_initializer: an Initializer, an array or a callable (numbers are refused)
    const isInit = (v: unknown) => v instanceof Initializer || v instanceof Tensor || typeof v === 'function';
    if (!isInit(W_init)) fail(fn, 'W_initializer', 'an instance of bp.init.Initializer, a Tensor or a function', W_init);
    if (b_init !== null && !isInit(b_init)) fail(fn, 'b_initializer', 'an instance of bp.init.Initializer, a Tensor, a function or null', b_init);
    this.W_initializer = W_init;
    this.bias_initializer = b_init;
    const W = parameter(W_init, [this.num_in, this.num_out]) as unknown;
    if (!(W instanceof Tensor) || W.shape.join() !== `${this.num_in},${this.num_out}`) {
      throw new Error(`${fn}: W_initializer must give a Tensor of shape [${this.num_in}, ${this.num_out}], got ${describe(W)}`);
    }
    let b: Tensor | null = null;
    if (b_init !== null) {
      const bv = parameter(b_init, [this.num_out]) as unknown;
      if (!(bv instanceof Tensor) || bv.shape.join() !== `${this.num_out}`) {
        throw new Error(`${fn}: b_initializer must give a Tensor of shape [${this.num_out}], got ${describe(bv)}`);
      }
      b = bv;
    }
    if (this.mode.is_train_mode()) {
      this.W = new TrainVar(W);
      this.b = b === null ? null : new TrainVar(b);
    } else {
      this.W = W;
      this.b = b;
    }
  }

  override toString(): string {
    return `${this.constructor.name}(name=${this.name}, num_in=${this.num_in}, num_out=${this.num_out}, mode=${this.mode})`;
  }

  override update(x: Tensor): Tensor {
    const fn = `${this.constructor.name}.update`;
    checkTensor(fn, 'x', x);
    checkLast(fn, x, this.num_in, 'num_in');
    let res = asFloat(x, this.W.dtype).matmul(this.W);
    if (this.b !== null) res = res.add(this.b);
    // online / offline fitting data
    if (share.load('fit', false) && (this.online_fit_by !== null || this.offline_fit_by !== null)) {
      this.fit_record.input = x;
      this.fit_record.output = res;
    }
    return res;
  }

  /** Registers this layer with its online fitting algorithm (feature_in = num_in, + 1 with a bias). */
  online_init(): void {
    if (this.online_fit_by === null) throw new Error(`${this.constructor.name}.online_init: online_fit_by is not set (assign an online algorithm such as new bp.algorithms.RLS())`);
    const num_input = this.b === null ? this.num_in : this.num_in + 1;
    this.online_fit_by.register_target(num_input, this.name);
  }

  /**
   * One online fitting step: fit_record.input (num_sample, num_in), fit_record.output (num_sample, num_out) and
   * target (num_sample, num_out). With a bias a column of ones is prepended; dW from the algorithm updates W (and b
   * from its first row), as BrainPy's `W += dW`.
   */
  online_fit(target: Tensor, fit_record: FitRecord): void {
    const fn = `${this.constructor.name}.online_fit`;
    if (!(target instanceof Tensor)) throw new Error(`${fn}: "target" must be a tensor, but got ${describe(target)}`);
    if (this.online_fit_by === null) throw new Error(`${fn}: online_fit_by is not set (assign an online algorithm, then call online_init())`);
    if (!isPlainObject(fit_record)) fail(fn, 'fit_record', 'an object { input, output }', fit_record);
    let x = checkTensor(fn, 'fit_record.input', fit_record.input);
    const y = checkTensor(fn, 'fit_record.output', fit_record.output);
    if (x.ndim !== 2) throw new Error(`${fn}: "ff" must be a 2D tensor with shape of (num_sample, num_feature), but we got ${shapeStr(x.shape)}`);
    if (target.ndim !== 2) throw new Error(`${fn}: "target" must be a 2D tensor with shape of (num_sample, num_feature), but we got ${shapeStr(target.shape)}`);
    if (x.shape[0] !== target.shape[0]) throw new Error(`${fn}: batch size of the input and target data should be the same, while we got ${x.shape[0]} != ${target.shape[0]}`);
    if (y.ndim !== 2 || target.shape[1] !== y.shape[1]) throw new Error(`${fn}: the output dimension of output and target data should be the same, while we got target ${shapeStr(target.shape)} and output ${shapeStr(y.shape)}`);
    no_grad(() => {
      x = asFloat(x, this.W.dtype);
      if (this.b !== null) x = cat([ones([x.shape[0], 1], { dtype: x.dtype as 'float32' }), x], -1);
      const dW = this.online_fit_by!.call(target, x, y.detach(), this.name);
      if (!(dW instanceof Tensor) || dW.ndim !== 2 || dW.shape[0] !== x.shape[1] || dW.shape[1] !== this.num_out) {
        throw new Error(`${fn}: the online algorithm must return dW of shape [${x.shape[1]}, ${this.num_out}], got ${describe(dW)}`);
      }
      if (this.b === null) {
        assignWeight(this, 'W', this.W.detach().add(dW.to(this.W.dtype)));
      } else {
        assignWeight(this, 'b', this.b.detach().add(dW.select(0, 0).to(this.b.dtype)));
        assignWeight(this, 'W', this.W.detach().add(dW.narrow(0, 1, this.num_in).to(this.W.dtype)));
      }
    });
  }

  /**
   * Offline fitting: fit_record.input (num_sample, num_time, num_in), fit_record.output and target (num_sample,
   * num_time, num_out). With a bias a column of ones is prepended; the algorithm's weights replace W (rows 1..) and
   * b (row 0). As in BrainPy, W must be a variable (build the layer in TrainingMode).
   */
  offline_fit(target: Tensor, fit_record: FitRecord): void {
    const fn = `${this.constructor.name}.offline_fit`;
    if (!(target instanceof Tensor)) throw new Error(`${fn}: "targets" must be a tensor, but got ${describe(target)}`);
    if (this.offline_fit_by === null) throw new Error(`${fn}: offline_fit_by is not set (assign an offline algorithm such as new bp.algorithms.RidgeRegression())`);
    if (!isPlainObject(fit_record)) fail(fn, 'fit_record', 'an object { input, output }', fit_record);
    let xs = checkTensor(fn, 'fit_record.input', fit_record.input);
    const ys = checkTensor(fn, 'fit_record.output', fit_record.output);
    if (xs.ndim !== 3) throw new Error(`${fn}: "ffs" must be a 3D tensor with shape of (num_sample, num_time, num_feature), but we got ${shapeStr(xs.shape)}`);
    if (target.ndim !== 3) throw new Error(`${fn}: "targets" must be a 3D tensor with shape of (num_sample, num_time, num_feature), but we got ${shapeStr(target.shape)}`);
    if (ys.shape.join() !== target.shape.join()) throw new Error(`${fn}: the shapes of output and target data should be the same, while we got ${shapeStr(ys.shape)} != ${shapeStr(target.shape)}`);
    if (xs.shape[0] !== target.shape[0]) throw new Error(`${fn}: batch size of the input and target data should be the same, while we got ${xs.shape[0]} != ${target.shape[0]}`);
    if (xs.shape[1] !== target.shape[1]) throw new Error(`${fn}: the time dimension of input and target data should be the same, while we got ${xs.shape[1]} != ${target.shape[1]}`);
    if (!(this.W instanceof Variable) || (this.b !== null && !(this.b instanceof Variable))) {
      throw new Error(`${fn}: W must be a bm.Variable to be fitted (BrainPy assigns W.value); build the layer with mode=bm.TrainingMode()`);
    }
    no_grad(() => {
      xs = asFloat(xs, this.W.dtype);
      if (this.b !== null) xs = cat([ones([xs.shape[0], xs.shape[1], 1], { dtype: xs.dtype as 'float32' }), xs], -1);
      const f = this.offline_fit_by!;
      const weights = typeof f === 'function' ? f(target, xs, ys.detach()) : f.call(target, xs, ys.detach());
      if (!(weights instanceof Tensor) || weights.ndim !== 2 || weights.shape[0] !== xs.shape[2] || weights.shape[1] !== this.num_out) {
        throw new Error(`${fn}: the offline algorithm must return weights of shape [${xs.shape[2]}, ${this.num_out}], got ${describe(weights)}`);
      }
      if (this.b === null) {
        assignWeight(this, 'W', weights);
      } else {
        assignWeight(this, 'W', weights.narrow(0, 1, this.num_in).contiguous());
        assignWeight(this, 'b', weights.select(0, 0).contiguous());
      }
    });
  }

  /**
   * STDP on W (pre = rows, post = columns): on_pre = {spike: pre spikes, trace: post trace} adds the trace to the
   * rows of spiking pre neurons; on_post = {spike: post spikes, trace: pre trace} adds it to the columns of spiking
   * post neurons; W is clipped to [w_min, w_max] after each (null = unbounded). W is updated in place; a constant W
   * (outside TrainingMode) first becomes a bm.Variable, as in BrainPy 2.8 (2.7.8 raised instead).
   */
  stdp_update(...rest: unknown[]): void {
    const fn = `${this.constructor.name}.stdp_update`;
    const a = stdpArgs(fn, rest);
    this.tracing_variable('W', this.W, this.W.shape);
    denseStdp(this, 'W', a);
  }
}

function denseStdp(layer: Layer, key: string, a: ReturnType<typeof stdpArgs>): void {
  const w = () => ((layer as any)[key] as Tensor).detach();
  if (a.on_pre !== null) assignWeight(layer, key, update_dense_on_binary_pre(w(), a.on_pre.spike, a.on_pre.trace, a.w_min, a.w_max));
  if (a.on_post !== null) assignWeight(layer, key, update_dense_on_binary_post(w(), a.on_post.trace, a.on_post.spike, a.w_min, a.w_max));
}

/** BrainPy: `Linear = Dense`. */
export const Linear = Dense;
export type Linear = Dense;

// =====================================================================================================================
// Identity
// =====================================================================================================================

/**
 * Identity(...): a placeholder returning its input. BrainPy forwards its arguments to Layer(name, mode); here an
 * options object { name, mode } is honoured and anything else is ignored ("argument-insensitive").
 */
export class Identity extends Layer {
  constructor(...args: unknown[]) {
    const last = args[args.length - 1];
    let opts: { name?: string | null; mode?: Mode | null } | undefined;
    if (isPlainObject(last) && Object.keys(last).every((k) => k === 'name' || k === 'mode')) {
      opts = { name: checkName('bp.dnn.Identity', last.name), mode: checkMode('bp.dnn.Identity', last.mode) };
    }
    super(opts);
  }

  override update(x: Tensor): Tensor { return x; }
}

// =====================================================================================================================
// AllToAll, OneToOne, MaskedLinear
// =====================================================================================================================

/**
 * AllToAll(num_pre, num_post, weight, sharding = None, include_self = True, mode = None, name = None).
 * Matrix weight (num_pre, num_post): y = x @ W (with its diagonal zeroed when include_self=False).
 * Scalar weight: y = weight · Σ x (minus the own term of each post neuron when include_self=False): a 0-d result for
 * 1-D input in non-batching mode (a scalar that broadcasts, as BrainPy returns), (batch, 1) or (batch, num_post) in
 * batching mode, where the input must be 2-D.
 */
export class AllToAll extends Layer {
  num_pre: number;
  num_post: number;
  include_self: boolean;
  sharding: null;
  weight: Weight;

  constructor(...args: PyCall<[num_pre: number, num_post: number, weight: WeightInit],
    [sharding: U<null>, include_self: U<boolean>, mode: U<Mode | null>, name: U<string | null>],
    LayerKw & { num_pre?: number; num_post?: number; weight?: WeightInit; include_self?: boolean }>) {
    const fn = 'bp.dnn.AllToAll';
    const o = pyArgs(fn, ['num_pre', 'num_post', 'weight', 'sharding', 'include_self', 'mode', 'name'], args, 3);
    const weight = o.weight as WeightInit;
    super({ mode: checkMode(fn, o.mode), name: checkName(fn, o.name) });
    this.num_pre = checkSize(fn, 'num_pre', o.num_pre);
    this.num_post = checkSize(fn, 'num_post', o.num_post);
    this.include_self = checkBool(fn, 'include_self', o.include_self ?? true);
    this.sharding = checkSharding(fn, o.sharding);
    const w = initWeight(fn, 'weight', weight, [this.num_pre, this.num_post]);
    if (w instanceof Tensor && w.ndim !== 0 && w.shape.join() !== `${this.num_pre},${this.num_post}`) {
      throw new Error(`${fn}: weight must be a scalar or of shape [${this.num_pre}, ${this.num_post}], got ${describe(w)}`);
    }
    this.weight = trainable(this.mode, w);
  }

  override update(pre_val: Tensor): Tensor {
    const fn = `${this.constructor.name}.update`;
    checkTensor(fn, 'pre_val', pre_val);
    const w = this.weight;
    const x = asFloat(pre_val, weightDtype(w));
    if (isScalarWeight(w)) {
      let post: Tensor;
      if (this.mode.is_batch_mode()) {
        if (x.ndim !== 2) throw new Error(`${fn}: under the batching mode, the input should be a 2D array, got shape ${shapeStr(x.shape)}`);
        checkLast(fn, x, this.num_pre, 'num_pre');
        post = x.sum(1, { keepdim: true });
      } else {
        if (x.ndim !== 1) throw new Error(`${fn}: under the NonBatching mode, the input should be a 1D array, got shape ${shapeStr(x.shape)}`);
        checkLast(fn, x, this.num_pre, 'num_pre');
        post = x.sum();
      }
      if (!this.include_self) {
        if (this.num_pre === this.num_post) post = post.sub(x);
        else if (this.num_pre > this.num_post) post = post.sub(x.narrow(-1, 0, this.num_post));
        else post = post.sub(cat([x, zeros([...x.shape.slice(0, -1), this.num_post - this.num_pre], { dtype: x.dtype as 'float32' })], -1));
      }
      return post.mul(w);
    }
    const wt = w as Tensor;
    if (wt.ndim !== 2) throw new Error(`${fn}: "weight" must be a 2D matrix, got shape ${shapeStr(wt.shape)}`);
    checkLast(fn, x, this.num_pre, 'num_pre');
    let W = wt;
    if (!this.include_self) {
      const n = Math.min(this.num_pre, this.num_post);
      const offDiag = eye(this.num_pre, this.num_post, { dtype: wt.dtype }).mul(-1).add(1);
      W = n > 0 ? wt.mul(offDiag) : wt;
    }
    return x.matmul(W);
  }

  /**
   * STDP on the (num_pre, num_post) weight matrix, as Dense.stdp_update. A scalar weight raises; a constant matrix
   * first becomes a bm.Variable (BrainPy 2.8; 2.7.8 raised for it).
   */
  stdp_update(...rest: unknown[]): void {
    const fn = `${this.constructor.name}.stdp_update`;
    const a = stdpArgs(fn, rest);
    if (isScalarWeight(this.weight)) throw new Error(`${fn}: when using STDP to update synaptic weights, the weight cannot be a scalar`);
    this.tracing_variable('weight', this.weight, (this.weight as Tensor).shape);
    denseStdp(this, 'weight', a);
  }
}

/** OneToOne(num, weight, sharding = None, mode = None, name = None): y = x * weight (weight scalar or of shape (num,)). */
export class OneToOne extends Layer {
  num: number;
  sharding: null;
  weight: Weight;

  constructor(...args: PyCall<[num: number, weight: WeightInit], [sharding: U<null>, mode: U<Mode | null>, name: U<string | null>],
    LayerKw & { num?: number; weight?: WeightInit }>) {
    const fn = 'bp.dnn.OneToOne';
    const o = pyArgs(fn, ['num', 'weight', 'sharding', 'mode', 'name'], args, 2);
    const weight = o.weight as WeightInit;
    super({ mode: checkMode(fn, o.mode), name: checkName(fn, o.name) });
    this.num = checkSize(fn, 'num', o.num);
    this.sharding = checkSharding(fn, o.sharding);
    const w = initWeight(fn, 'weight', weight, [this.num]);
    if (w instanceof Tensor && w.ndim !== 0 && w.shape.join() !== `${this.num}` && w.shape.join() !== '1') throw new Error(`${fn}: weight must be a scalar or of shape [${this.num}], got ${describe(w)}`);
    this.weight = trainable(this.mode, w);
  }

  override update(pre_val: Tensor): Tensor {
    const fn = `${this.constructor.name}.update`;
    checkTensor(fn, 'pre_val', pre_val);
    const w = this.weight;
    if (w instanceof Tensor && w.ndim > 0) checkLast(fn, pre_val, this.num, 'num');
    return asFloat(pre_val, weightDtype(w)).mul(w);
  }

  /**
   * BrainPy's OneToOne rule: weight += spike * trace for on_pre and for on_post (no clipping: w_min / w_max are
   * accepted and ignored, as in BrainPy). A number weight is a constant node and raises; a tensor weight that is not a
   * variable becomes one.
   */
  stdp_update(...rest: unknown[]): void {
    const fn = `${this.constructor.name}.stdp_update`;
    const a = stdpArgs(fn, rest);
    if (typeof this.weight === 'number') throw new Error(`${fn}: cannot update the weight of a constant node (the weight is a number)`);
    const v = this.tracing_variable('weight', this.weight, this.weight.shape);
    const add = (st: SpikeTrace) => {
      const d = asFloat(st.spike, v.dtype).mul(asFloat(st.trace, v.dtype));
      v.value = v.detach().add(d);
    };
    if (a.on_pre !== null) add(a.on_pre);
    if (a.on_post !== null) add(a.on_post);
  }
}

type MaskFun = Module | ((x: Tensor) => Tensor);

function callMaskFun(f: Module | ((x: Tensor) => Tensor), x: Tensor): Tensor {
  return f instanceof Module ? (f as any).call(x) : f(x);
}

/**
 * MaskedLinear(conn, weight, mask_fun = Identity(), sharding = None, mode = None, name = None):
 * y = x @ mask_fun(weight * mask), mask = conn.require('conn_mat') (pre_num, post_num).
 */
export class MaskedLinear extends Layer {
  conn: TwoEndConnector;
  sharding: null;
  mask_fun: Module | ((x: Tensor) => Tensor);
  weight: Weight;
  mask: Tensor;
  private _maskF: Tensor | null = null;

  constructor(...args: PyCall<[conn: TwoEndConnector, weight: WeightInit],
    [mask_fun: U<MaskFun>, sharding: U<null>, mode: U<Mode | null>, name: U<string | null>],
    LayerKw & { conn?: TwoEndConnector; weight?: WeightInit; mask_fun?: MaskFun }>) {
    const fn = 'bp.dnn.MaskedLinear';
    const o = pyArgs(fn, ['conn', 'weight', 'mask_fun', 'sharding', 'mode', 'name'], args, 2);
    const conn = o.conn as TwoEndConnector, weight = o.weight as WeightInit;
    super({ mode: checkMode(fn, o.mode), name: checkName(fn, o.name) });
    this.conn = checkConn(fn, conn);
    this.sharding = checkSharding(fn, o.sharding);
    const mf = o.mask_fun ?? new Identity();
    if (!(mf instanceof Module) && typeof mf !== 'function') fail(fn, 'mask_fun', 'a function or a Module/Layer', mf);
    this.mask_fun = mf;
    const pre = conn.pre_num as number, post = conn.post_num as number;
    const w = initWeight(fn, 'weight', weight, [pre, post]);
    if (w instanceof Tensor && w.ndim !== 0 && w.shape.join() !== `${pre},${post}` && w.shape.join() !== '1') throw new Error(`${fn}: weight must be a scalar or of shape [${pre}, ${post}], got ${describe(w)}`);
    this.weight = trainable(this.mode, w);
    const mask = conn.require('conn_mat') as unknown;
    if (!(mask instanceof Tensor) || mask.shape.join() !== `${pre},${post}`) throw new Error(`${fn}: conn.require('conn_mat') must give a [${pre}, ${post}] Tensor, got ${describe(mask)}`);
    this.mask = mask;
  }

  override update(x: Tensor): Tensor {
    const fn = `${this.constructor.name}.update`;
    checkTensor(fn, 'x', x);
    const pre = this.conn.pre_num as number;
    checkLast(fn, x, pre, 'conn.pre_num');
    const w = this.weight;
    const dtype = weightDtype(w);
    if (this._maskF === null || this._maskF.dtype !== dtype) this._maskF = this.mask.to(dtype);
    const M = callMaskFun(this.mask_fun, this._maskF.mul(w));
    return asFloat(x, dtype).matmul(M);
  }

  /** STDP on the (pre, post) weight matrix (as Dense.stdp_update; the mask is not applied to the update, as in BrainPy). */
  stdp_update(...rest: unknown[]): void {
    const fn = `${this.constructor.name}.stdp_update`;
    const a = stdpArgs(fn, rest);
    if (typeof this.weight === 'number') throw new Error(`${fn}: cannot update the weight of a constant node (the weight is a number)`);
    this.tracing_variable('weight', this.weight, this.weight.shape);
    denseStdp(this, 'weight', a);
  }
}
