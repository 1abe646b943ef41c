/**
 * The argument checks, weight helpers and shared types of brainpy.dnn.linear's layers (linear.ts, _linear_csr.ts,
 * _linear_jit.ts). Not a BrainPy module: BrainPy keeps these inside brainpy/dnn/linear.py; linear.ts re-exports
 * WeightInit.
 */
import { Tensor, tensor } from '../../torch/index';
import { Mode } from '../math/modes';
import { TrainVar, Variable } from '../math/variables';
import { TwoEndConnector } from '../connect/index';
import { Initializer, parameter } from '../initialize/index';
import { Layer, checkNumber, checkTensor, fail, isPlainObject, shapeStr } from './base';

export type Weight = number | Tensor;
/** What BrainPy accepts where it calls init.parameter: a number, a Tensor, an Initializer or a function of the shape. */
export type WeightInit = number | Tensor | Initializer | ((shape: number[]) => Tensor);

// The argument lists of the layers (PyCall: any prefix of required + optional parameters, then a keyword object)
export type U<T> = T | undefined;
export type LayerKw = { sharding?: null; mode?: Mode | null; name?: string | null };

export const isScalarWeight = (w: Weight): boolean => typeof w === 'number' || w.ndim === 0;
export const weightDtype = (w: Weight): 'float32' | 'float64' => (w instanceof Tensor && w.dtype === 'float64' ? 'float64' : 'float32');

export function checkSharding(fn: string, sharding: unknown): null {
  if (sharding !== undefined && sharding !== null) fail(fn, 'sharding', 'null (spikeport runs on a single device)', sharding);
  return null;
}

export function checkMode(fn: string, mode: unknown): Mode | null {
  if (mode === undefined || mode === null) return null;
  if (!(mode instanceof Mode)) fail(fn, 'mode', 'a bm.Mode', mode);
  return mode;
}

export function checkName(fn: string, name: unknown): string | null {
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string') fail(fn, 'name', 'a string', name);
  return name;
}

/** init.parameter(weight, shape) with BrainPy's scalar rule: a number stays a number (broadcast later). */
export function initWeight(fn: string, arg: string, w: unknown, shape: number[]): Weight {
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
export function trainable(mode: Mode, w: Weight): Weight {
  if (!mode.is_train_mode()) return w;
  return new TrainVar(typeof w === 'number' ? tensor(w) : w);
}

/** Writes a new weight value: through `.value` for a bm.Variable (in place, outside autograd), else by rebinding. */
export function assignWeight(layer: Layer, key: string, value: Tensor): void {
  const cur = (layer as any)[key] as Weight;
  if (cur instanceof Variable) {
    (cur as Variable).value = value.dtype === cur.dtype ? value : value.to(cur.dtype);
  } else {
    (layer as any)[key] = cur instanceof Tensor && value.dtype !== cur.dtype ? value.to(cur.dtype) : value;
  }
}

/** The data of a weight for a non-differentiable kernel call (a view; no copy). */
export const rawWeight = (w: Weight): Weight => (w instanceof Tensor ? w.detach() : w);

/** A dict like {spike, trace} (BrainPy's on_pre / on_post). */
export interface SpikeTrace { spike: Tensor; trace: Tensor }

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
export function stdpArgs(fn: string, rest: unknown[]): { on_pre: SpikeTrace | null; on_post: SpikeTrace | null; w_min: number | null; w_max: number | null } {
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

export function checkLast(fn: string, x: Tensor, n: number, what: string): void {
  if (x.ndim === 0) throw new Error(`${fn}: the input must have at least 1 dimension, got a 0-d Tensor`);
  if (x.shape[x.ndim - 1] !== n) throw new Error(`${fn}: the last axis of the input must have ${what} = ${n} entries, got input shape ${shapeStr(x.shape)}`);
}

export function checkConn(fn: string, conn: unknown): TwoEndConnector {
  if (!(conn instanceof TwoEndConnector)) fail(fn, 'conn', 'a bp.conn.TwoEndConnector (e.g. new bp.conn.FixedProb(0.1, { pre, post }))', conn);
  if (conn.pre_num === null || conn.post_num === null) {
    throw new Error(`${fn}: the connector's pre_num and post_num are not set; give the sizes (new bp.conn.FixedProb(0.1, { pre: 100, post: 100 })) or call conn.call(pre_size, post_size) first`);
  }
  return conn;
}

// =====================================================================================================================
// Row-wise products (BrainPy's vmap over the flattened leading axes)
// =====================================================================================================================

/**
 * Applies a product to x of shape (…, inLen): 1-D x goes straight to `mv1`; otherwise x is flattened to (N, inLen)
 * and `mvBatch` gets the (N, inLen) matrix and returns (N, outLen). The result is reshaped to (…, outLen).
 */
export function rowwise(x: Tensor, outLen: number, mv1: (v: Tensor) => Tensor, mvBatch: (X: Tensor) => Tensor): Tensor {
  if (x.ndim === 1) return mv1(x);
  const lead = x.shape.slice(0, -1);
  const X = x.reshape(-1, x.shape[x.ndim - 1]);
  return mvBatch(X).reshape([...lead, outLen]);
}
