/**
 * brainpy.dnn.linear (BrainPy 2.x; the file of BrainPy ≥ 2.7.8 that imports brainevent's plasticity kernels).
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
import { Tensor, arange, cat, eye, no_grad, ones, stack, tensor, zeros } from '../../torch/index';
import { Module } from '../../torch/nn/index';
import { share } from '../context';
import { Mode } from '../math/modes';
import { TrainVar, Variable } from '../math/variables';
import { random_state as numpyGlobalRandom } from '../math/numpy_random';
import * as sparse from '../math/sparse';
import * as event from '../math/event';
import * as jitconn from '../math/jitconn';
import {
  update_csr_on_binary_post, update_csr_on_binary_pre, update_dense_on_binary_post, update_dense_on_binary_pre,
} from '../math/plasticity';
import { TwoEndConnector, csr2csc } from '../connect/index';
import { Initializer, XavierNormal, ZeroInit, parameter } from '../initialize/index';
import type { OnlineAlgorithm } from '../algorithms/online';
import type { OfflineAlgorithm } from '../algorithms/offline';
import {
  Layer, asFloat, checkBool, checkNumber, checkSize, checkTensor, describe, fail, isPlainObject, pyArgs, shapeStr,
  type PyCall,
} from './base';

type Weight = number | Tensor;
/** What BrainPy accepts where it calls init.parameter: a number, a Tensor, an Initializer or a function of the shape. */
export type WeightInit = number | Tensor | Initializer | ((shape: number[]) => Tensor);

// The argument lists of the layers (PyCall: any prefix of required + optional parameters, then a keyword object)
type U<T> = T | undefined;
type MaskFun = Module | ((x: Tensor) => Tensor);
type LayerKw = { sharding?: null; mode?: Mode | null; name?: string | null };
type JitKw = LayerKw & { num_in?: number; num_out?: number; prob?: number; seed?: number | null; transpose?: boolean; atomic?: boolean };
type JitHomoOpt = [seed: U<number | null>, sharding: U<null>, mode: U<Mode | null>, name: U<string | null>, transpose: U<boolean>, atomic: U<boolean>];
type JitNormalOpt = [seed: U<number | null>, sharding: U<null>, transpose: U<boolean>, atomic: U<boolean>, mode: U<Mode | null>, name: U<string | null>];
type JitHomoCall = PyCall<[num_in: number, num_out: number, prob: number, weight: number | Tensor], JitHomoOpt, JitKw & { weight?: number | Tensor }>;
type JitUniformCall = PyCall<[num_in: number, num_out: number, prob: number, w_low: number, w_high: number], JitHomoOpt, JitKw & { w_low?: number; w_high?: number }>;
type JitNormalCall = PyCall<[num_in: number, num_out: number, prob: number, w_mu: number, w_sigma: number], JitNormalOpt, JitKw & { w_mu?: number; w_sigma?: number }>;

const isScalarWeight = (w: Weight): boolean => typeof w === 'number' || w.ndim === 0;
const weightDtype = (w: Weight): 'float32' | 'float64' => (w instanceof Tensor && w.dtype === 'float64' ? 'float64' : 'float32');

function checkSharding(fn: string, sharding: unknown): null {
  if (sharding !== undefined && sharding !== null) fail(fn, 'sharding', 'null (spikeport runs on a single device)', sharding);
  return null;
}

function checkMode(fn: string, mode: unknown): Mode | null {
  if (mode === undefined || mode === null) return null;
  if (!(mode instanceof Mode)) fail(fn, 'mode', 'a bm.Mode', mode);
  return mode;
}

function checkName(fn: string, name: unknown): string | null {
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string') fail(fn, 'name', 'a string', name);
  return name;
}

/** init.parameter(weight, shape) with BrainPy's scalar rule: a number stays a number (broadcast later). */
function initWeight(fn: string, arg: string, w: unknown, shape: number[]): Weight {
  if (w === undefined || w === null) fail(fn, arg, 'a number, a Tensor, an Initializer or a function', w);
  if (typeof w !== 'number' && !(w instanceof Tensor) && !(w instanceof Initializer) && typeof w !== 'function') {
    fail(fn, arg, 'a number, a Tensor, an Initializer or a function', w);
  }
  const r = parameter(w as WeightInit, shape) as unknown;
  if (typeof r === 'number') return r;
  if (!(r instanceof Tensor)) fail(fn, arg, `an initial value of shape ${shapeStr(shape)}`, r);
  return r;
}

/** BrainPy: `if isinstance(self.mode, bm.TrainingMode): weight = bm.TrainVar(weight)`. */
function trainable(mode: Mode, w: Weight): Weight {
  if (!mode.is_train_mode()) return w;
  return new TrainVar(typeof w === 'number' ? tensor(w) : w);
}

/** Writes a new weight value: through `.value` for a bm.Variable (in place, outside autograd), else by rebinding. */
function assignWeight(layer: Layer, key: string, value: Tensor): void {
  const cur = (layer as any)[key] as Weight;
  if (cur instanceof Variable) {
    (cur as Variable).value = value.dtype === cur.dtype ? value : value.to(cur.dtype);
  } else {
    (layer as any)[key] = cur instanceof Tensor && value.dtype !== cur.dtype ? value.to(cur.dtype) : value;
  }
}

/** The data of a weight for a non-differentiable kernel call (a view; no copy). */
const rawWeight = (w: Weight): Weight => (w instanceof Tensor ? w.detach() : w);

function callMaskFun(f: Module | ((x: Tensor) => Tensor), x: Tensor): Tensor {
  return f instanceof Module ? (f as any).call(x) : f(x);
}

/** A dict like {spike, trace} (BrainPy's on_pre / on_post). */
interface SpikeTrace { spike: Tensor; trace: Tensor }

function spikeTrace(fn: string, arg: string, v: unknown): SpikeTrace | null {
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v) || !('spike' in v) || !('trace' in v)) fail(fn, arg, "an object { spike, trace } or null", v);
  for (const k of Object.keys(v)) if (k !== 'spike' && k !== 'trace') throw new Error(`${fn}: ${arg} has the unknown key ${JSON.stringify(k)}; expected spike and trace`);
  checkTensor(fn, `${arg}.spike`, v.spike);
  checkTensor(fn, `${arg}.trace`, v.trace);
  return v as unknown as SpikeTrace;
}

const STDP_KEYS = ['on_pre', 'on_post', 'w_min', 'w_max'];

/**
 * stdp_update(on_pre = None, on_post = None, w_min = None, w_max = None): the arguments positionally or in a trailing
 * options object. A trailing object with keys spike/trace is a positional on_pre/on_post, not the options object.
 */
function stdpArgs(fn: string, rest: unknown[]): { on_pre: SpikeTrace | null; on_post: SpikeTrace | null; w_min: number | null; w_max: number | null } {
  const list = rest.slice();
  while (list.length && list[list.length - 1] === undefined) list.pop();
  const last = list[list.length - 1];
  let opts: Record<string, unknown> = {};
  // a trailing object naming the arguments is the options object; a {spike, trace} object is itself an argument
  if (isPlainObject(last) && Object.keys(last).length > 0 && !('spike' in last) && !('trace' in last)) {
    opts = list.pop() as Record<string, unknown>;
    for (const k of Object.keys(opts)) if (!STDP_KEYS.includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of ${STDP_KEYS.join(', ')}`);
  }
  if (list.length > 4) throw new Error(`${fn}: takes at most 4 arguments (on_pre, on_post, w_min, w_max), got ${list.length}`);
  const o: Record<string, any> = {};
  STDP_KEYS.forEach((n, i) => {
    if (i < list.length && list[i] !== undefined) {
      if (opts[n] !== undefined) throw new Error(`${fn}: got multiple values for argument '${n}' (positionally and in the options object)`);
      o[n] = list[i];
    } else o[n] = opts[n];
  });
  const bound = (k: string): number | null => {
    const v = o[k];
    if (v === undefined || v === null) return null;
    return checkNumber(fn, k, v);
  };
  return { on_pre: spikeTrace(fn, 'on_pre', o.on_pre), on_post: spikeTrace(fn, 'on_post', o.on_post), w_min: bound('w_min'), w_max: bound('w_max') };
}

function checkLast(fn: string, x: Tensor, n: number, what: string): void {
  if (x.ndim === 0) throw new Error(`${fn}: the input must have at least 1 dimension, got a 0-d Tensor`);
  if (x.shape[x.ndim - 1] !== n) throw new Error(`${fn}: the last axis of the input must have ${what} = ${n} entries, got input shape ${shapeStr(x.shape)}`);
}

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

function checkConn(fn: string, conn: unknown): TwoEndConnector {
  if (!(conn instanceof TwoEndConnector)) fail(fn, 'conn', 'a bp.conn.TwoEndConnector (e.g. new bp.conn.FixedProb(0.1, { pre, post }))', conn);
  if (conn.pre_num === null || conn.post_num === null) {
    throw new Error(`${fn}: the connector's pre_num and post_num are not set; give the sizes (new bp.conn.FixedProb(0.1, { pre: 100, post: 100 })) or call conn.call(pre_size, post_size) first`);
  }
  return conn;
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

// =====================================================================================================================
// Row-wise products (BrainPy's vmap over the flattened leading axes)
// =====================================================================================================================

/**
 * Applies a product to x of shape (…, inLen): 1-D x goes straight to `mv1`; otherwise x is flattened to (N, inLen)
 * and `mvBatch` gets the (N, inLen) matrix and returns (N, outLen). The result is reshaped to (…, outLen).
 */
function rowwise(x: Tensor, outLen: number, mv1: (v: Tensor) => Tensor, mvBatch: (X: Tensor) => Tensor): Tensor {
  if (x.ndim === 1) return mv1(x);
  const lead = x.shape.slice(0, -1);
  const X = x.reshape(-1, x.shape[x.ndim - 1]);
  return mvBatch(X).reshape([...lead, outLen]);
}

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
}

// =====================================================================================================================
// Just-in-time connectivity layers
// =====================================================================================================================

/**
 * The default seed of the JIT layers: BrainPy draws `np.random.randint(0, high)` from numpy's global legacy RNG at
 * construction; spikeport draws the same way from its numpy-legacy global state (math/numpy_random.ts `random_state`,
 * MT19937 with numpy's masked-rejection randint), so after `np.random.seed(s)` ≡ numpy_random.seed(s) the seeds
 * agree with BrainPy's. Unseeded, that state starts from Math.random entropy, as numpy starts from OS entropy.
 */
function defaultSeed(high: number): number {
  return numpyGlobalRandom.randint(0, high) as number;
}

function checkProb(fn: string, p: unknown): number {
  if (typeof p !== 'number' || !(p > 0 && p <= 1)) fail(fn, 'prob', 'a number in (0, 1]', p);
  return p;
}

function checkSeed(fn: string, s: unknown, high: number): number {
  if (s === undefined || s === null) return defaultSeed(high);
  if (typeof s !== 'number' || !Number.isInteger(s)) fail(fn, 'seed', 'an integer or null', s);
  return s;
}

type JitKind = 'homo' | 'uniform' | 'normal';

abstract class JitLinear extends Layer {
  num_in: number;
  num_out: number;
  prob: number;
  seed: number;
  sharding: null;
  transpose: boolean;
  atomic: boolean;

  constructor(fn: string, num_in: number, num_out: number, prob: number, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super({ mode: checkMode(fn, o.mode), name: checkName(fn, o.name) });
    this.prob = checkProb(fn, prob);
    this.sharding = checkSharding(fn, o.sharding);
    this.transpose = checkBool(fn, 'transpose', o.transpose ?? false);
    this.num_in = checkSize(fn, 'num_in', num_in);
    this.num_out = checkSize(fn, 'num_out', num_out);
    this.atomic = checkBool(fn, 'atomic', o.atomic ?? atomicDefault);
    this.seed = checkSeed(fn, o.seed, seedHigh);
  }

  protected abstract get _kind(): JitKind;
  protected abstract get _event(): boolean;
  /** The weight parameters after the vector: [weight] or [w_low, w_high] or [w_mu, w_sigma]. */
  protected abstract _wargs(w: Weight | null): (number | Tensor)[];
  protected _weight(): Weight | null { return null; }

  protected get _opts() {
    return { shape: [this.num_out, this.num_in] as [number, number], transpose: this.transpose, outdim_parallel: !this.atomic };
  }

  /** The dense matrix these layers multiply by (bm.jitconn.get_*_weight_matrix with shape (num_out, num_in)). */
  get_conn_matrix(): Tensor {
    const o = this._opts;
    const w = this._weight();
    const args = this._wargs(w === null ? null : rawWeight(w));
    switch (this._kind) {
      case 'homo': return jitconn.get_homo_weight_matrix(args[0] as any, this.prob, this.seed, o);
      case 'uniform': return jitconn.get_uniform_weight_matrix(args[0] as number, args[1] as number, this.prob, this.seed, o);
      default: return jitconn.get_normal_weight_matrix(args[0] as number, args[1] as number, this.prob, this.seed, o);
    }
  }

  // the checked call of the last _mv, reused while the layer's numbers stay the same (number weights only)
  private _prep: jitconn.PreparedMv | null = null;
  private _prepKey: unknown[] = [];

  /** Whether _prep is the checked call for the layer's present numbers (read without making the weight arguments array). */
  private _prepFresh(): boolean {
    const key = this._prepKey;
    return this._prep !== null && key[0] === this._warg(0) && key[1] === this._warg(1) && key[2] === this.prob && key[3] === this.seed
      && key[4] === this.transpose && key[5] === this.atomic && key[6] === jitconn.get_default_rng() && key[7] === this.num_in && key[8] === this.num_out;
  }

  /** _wargs(_weight())[k] (undefined past its end), without the array. */
  protected abstract _warg(k: 0 | 1): number | Tensor | undefined;

  /** Makes _prep the checked call for the layer's present numbers unless it is; false when a weight is a Tensor (none made). */
  private _prepared(): boolean {
    if (this._prepFresh()) return true;
    const a = this._wargs(this._weight());
    if (typeof a[0] !== 'number' || (a.length > 1 && typeof a[1] !== 'number')) return false;
    const e = this._event;
    const fn = `bm.jitconn.${e ? 'event_' : ''}mv_prob_${this._kind}`;
    this._prep = jitconn._prepare_mv(fn, this._kind, e, a[0], a[1], this.prob, this.seed, this._opts);
    this._prepKey = [a[0], a[1], this.prob, this.seed, this.transpose, this.atomic, jitconn.get_default_rng(), this.num_in, this.num_out];
    return true;
  }

  protected _mv(v: Tensor, into: Float32Array | null = null): Tensor {
    if (this._prepared()) {
      if (into !== null) { const r = jitconn._event_homo_into(this._prep!, v, into); if (r !== null) return r; }
      return jitconn._run_mv(this._prep!, v, into);
    }
    const a = this._wargs(this._weight()), e = this._event, o = this._opts;
    switch (this._kind) {
      case 'homo': return (e ? jitconn.event_mv_prob_homo : jitconn.mv_prob_homo)(v, a[0], this.prob, this.seed, o);
      case 'uniform': return (e ? jitconn.event_mv_prob_uniform : jitconn.mv_prob_uniform)(v, a[0], a[1], this.prob, this.seed, o);
      default: return (e ? jitconn.event_mv_prob_normal : jitconn.mv_prob_normal)(v, a[0], a[1], this.prob, this.seed, o);
    }
  }

  /**
   * `call(x)` writing a 1-D event product into `into` (a float32 array of the output length, all zeros; see jitconn._run_mv), for
   * a projection that adds it into a synapse in the same memory. Null when calling this layer is more than its
   * update (hooks, an override) or x is not a 1-D vector: the caller then calls it as usual.
   */
  _call_into(x: Tensor, into: Float32Array): Tensor | null {
    if (!(x instanceof Tensor) || x.ndim !== 1 || this._m.preHooks.size !== 0 || this._m.hooks.size !== 0 || this.call !== Module.prototype.call
      || this.forward !== Layer.prototype.forward || this.update !== JitLinear.prototype.update) return null;
    const inLen = this.transpose ? this.num_out : this.num_in;
    if (x.shape[0] !== inLen) checkLast(`${this.constructor.name}.update`, x, inLen, this.transpose ? 'num_out (transpose=True)' : 'num_in');
    const w = this._weight();
    return this._mv(this._event ? x : asFloat(x, w === null ? 'float32' : weightDtype(w)), into);
  }

  override update(x: Tensor): Tensor {
    const fn = `${this.constructor.name}.update`;
    checkTensor(fn, 'x', x);
    // y = M x with M (num_out, num_in); with transpose=True, y = Mᵀ x
    const inLen = this.transpose ? this.num_out : this.num_in;
    const outLen = this.transpose ? this.num_in : this.num_out;
    checkLast(fn, x, inLen, this.transpose ? 'num_out (transpose=True)' : 'num_in');
    const w = this._weight();
    const xin = this._event ? x : asFloat(x, w === null ? 'float32' : weightDtype(w));
    if (xin.ndim === 1) return this._mv(xin);
    return rowwise(xin, outLen, (v) => this._mv(v), (X) => {
      // brainevent 0.2.0's matrix-matrix kernels walk another matrix than its matrix-vector ones: there, apply the
      // vector product row by row (BrainPy's vmap of the vector op); the other eras give the same M either way
      if (jitconn.get_default_rng() === 'light-d') return stack(X.unbind(0).map((v) => this._mv(v)), 0);
      return this.transpose ? this._mv(X) : this._mv(X.t()).t();
    });
  }
}

abstract class JitFPHomoLayer extends JitLinear {
  weight: Weight;

  constructor(fn: string, num_in: number, num_out: number, prob: number, weight: number | Tensor, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super(fn, num_in, num_out, prob, o, atomicDefault, seedHigh);
    if (typeof weight !== 'number' && !(weight instanceof Tensor && weight.ndim === 0)) fail(fn, 'weight', 'a number (or a 0-d Tensor)', weight);
    this.weight = trainable(this.mode, weight);
  }

  protected get _kind(): JitKind { return 'homo'; }
  protected override _weight(): Weight { return this.weight; }
  protected _wargs(w: Weight | null): (number | Tensor)[] { return [w ?? this.weight]; }
  protected _warg(k: 0 | 1): number | Tensor | undefined { return k === 0 ? this.weight : undefined; }
}

abstract class JitFPUniformLayer extends JitLinear {
  w_low: number;
  w_high: number;

  constructor(fn: string, num_in: number, num_out: number, prob: number, w_low: number, w_high: number, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super(fn, num_in, num_out, prob, o, atomicDefault, seedHigh);
    this.w_low = checkNumber(fn, 'w_low', w_low);
    this.w_high = checkNumber(fn, 'w_high', w_high);
  }

  protected get _kind(): JitKind { return 'uniform'; }
  protected _wargs(): (number | Tensor)[] { return [this.w_low, this.w_high]; }
  protected _warg(k: 0 | 1): number { return k === 0 ? this.w_low : this.w_high; }
}

abstract class JitFPNormalLayer extends JitLinear {
  w_mu: number;
  w_sigma: number;

  constructor(fn: string, num_in: number, num_out: number, prob: number, w_mu: number, w_sigma: number, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super(fn, num_in, num_out, prob, o, atomicDefault, seedHigh);
    this.w_mu = checkNumber(fn, 'w_mu', w_mu);
    this.w_sigma = checkNumber(fn, 'w_sigma', w_sigma);
  }

  protected get _kind(): JitKind { return 'normal'; }
  protected _wargs(): (number | Tensor)[] { return [this.w_mu, this.w_sigma]; }
  protected _warg(k: 0 | 1): number { return k === 0 ? this.w_mu : this.w_sigma; }
}

const HOMO_KEYS = ['seed', 'sharding', 'mode', 'name', 'transpose', 'atomic'];
const NORMAL_KEYS = ['seed', 'sharding', 'transpose', 'atomic', 'mode', 'name'];
// the required parameters of the three families, then their optional ones
const HOMO_ARGS = ['num_in', 'num_out', 'prob', 'weight', ...HOMO_KEYS];
const UNIFORM_ARGS = ['num_in', 'num_out', 'prob', 'w_low', 'w_high', ...HOMO_KEYS];
const NORMAL_ARGS = ['num_in', 'num_out', 'prob', 'w_mu', 'w_sigma', ...NORMAL_KEYS];

/**
 * JitFPHomoLinear(num_in, num_out, prob, weight, seed = None, sharding = None, mode = None, name = None,
 * transpose = False, atomic = False): y = M x, M (num_out, num_in) with connection probability `prob` and the same
 * `weight` on every connection, regenerated from `seed` by bm.jitconn.mv_prob_homo on every call (never stored).
 * transpose=True computes Mᵀ x (x of length num_out); atomic decides outdim_parallel = !atomic.
 */
export class JitFPHomoLinear extends JitFPHomoLayer {
  constructor(...args: JitHomoCall) {
    const fn = 'bp.dnn.JitFPHomoLinear';
    const o = pyArgs(fn, HOMO_ARGS, args, 4);
    super(fn, o.num_in, o.num_out, o.prob, o.weight, o, false, 100000);
  }
  protected get _event(): boolean { return false; }
}

/** JitFPUniformLinear(num_in, num_out, prob, w_low, w_high, seed, sharding, mode, name, transpose = False, atomic = False): weights ~ U(w_low, w_high). */
export class JitFPUniformLinear extends JitFPUniformLayer {
  constructor(...args: JitUniformCall) {
    const fn = 'bp.dnn.JitFPUniformLinear';
    const o = pyArgs(fn, UNIFORM_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_low, o.w_high, o, false, 100000);
  }
  protected get _event(): boolean { return false; }
}

/** JitFPNormalLinear(num_in, num_out, prob, w_mu, w_sigma, seed, sharding, transpose = False, atomic = False, mode, name): weights ~ N(w_mu, w_sigma). */
export class JitFPNormalLinear extends JitFPNormalLayer {
  constructor(...args: JitNormalCall) {
    const fn = 'bp.dnn.JitFPNormalLinear';
    const o = pyArgs(fn, NORMAL_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_mu, o.w_sigma, o, false, 100000);
  }
  protected get _event(): boolean { return false; }
}

/** EventJitFPHomoLinear(num_in, num_out, prob, weight, seed, sharding, mode, name, transpose = False, atomic = True): the event form (bm.jitconn.event_mv_prob_homo). */
export class EventJitFPHomoLinear extends JitFPHomoLayer {
  constructor(...args: JitHomoCall) {
    const fn = 'bp.dnn.EventJitFPHomoLinear';
    const o = pyArgs(fn, HOMO_ARGS, args, 4);
    super(fn, o.num_in, o.num_out, o.prob, o.weight, o, true, 1000000);
  }
  protected get _event(): boolean { return true; }
}

/** EventJitFPUniformLinear(num_in, num_out, prob, w_low, w_high, seed, sharding, mode, name, transpose = False, atomic = True). */
export class EventJitFPUniformLinear extends JitFPUniformLayer {
  constructor(...args: JitUniformCall) {
    const fn = 'bp.dnn.EventJitFPUniformLinear';
    const o = pyArgs(fn, UNIFORM_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_low, o.w_high, o, true, 100000);
  }
  protected get _event(): boolean { return true; }
}

/** EventJitFPNormalLinear(num_in, num_out, prob, w_mu, w_sigma, seed, sharding, transpose = False, atomic = True, mode, name). */
export class EventJitFPNormalLinear extends JitFPNormalLayer {
  constructor(...args: JitNormalCall) {
    const fn = 'bp.dnn.EventJitFPNormalLinear';
    const o = pyArgs(fn, NORMAL_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_mu, o.w_sigma, o, true, 100000);
  }
  protected get _event(): boolean { return true; }
}
