/**
 * brainpy.dnn.base.Layer (BrainPy 2.x): the base of every bp.dnn layer, built on spikeport's nn.Module.
 *
 *     class MyLayer(bp.dnn.Layer):                  class MyLayer extends bp.dnn.Layer {
 *         def __init__(self, mode=None):                constructor(mode?: bm.Mode) {
 *             super().__init__(mode=mode)                   super({ mode });
 *         def update(self, x): ...                      }
 *                                                       override update(x: Tensor): Tensor { … }
 *     y = layer(x)                                  const y = layer.call(x);       // also layer.update(x)
 *
 * - `mode`: the layer's bm.Mode; `mode=None` takes `bm.get_mode()` (NonBatchingMode unless bm.set_mode /
 *   bm.environment changed it) when the layer is built. In TrainingMode the weights are bm.TrainVars (nn.Parameters),
 *   so `parameters()`, optimizers and autograd see them; otherwise they are constant tensors.
 * - `name`: a unique identifier; without one the layer is named `<ClassName><n>` (Dense0, Dense1, …).
 * - `layer.call(x)` runs nn.Module's hooks, then `forward(x)`, which is `update(x)`.
 */
import { Tensor, full } from '../../torch/index';
import { Module } from '../../torch/nn/index';
import { get_mode } from '../math/environment';
import { Mode } from '../math/modes';
import { unique_name } from '../math/naming';
import { Variable, TrainVar } from '../math/variables';

export interface LayerOptions { name?: string | null; mode?: Mode | null }

// ---- argument checks shared by the dnn layers (errors name the function, the argument, what was expected, what came) ---

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return String(x);
  if (typeof x === 'function') return `a function ${x.name || ''}`.trim();
  if (Array.isArray(x)) return x.length <= 8 ? `[${x.map(describe).join(', ')}]` : `an array of length ${x.length}`;
  if (x instanceof Tensor) return `a ${x.dtype} Tensor of shape [${x.shape.join(', ')}]`;
  const name = (x as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : typeof x;
}

export function fail(fn: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`${fn}: ${arg} must be ${expected}, got ${describe(got)}`);
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/**
 * Python-style arguments (DESIGN §3), the one shared implementation (core/args.ts): optional parameters positionally
 * and/or in a trailing options object; with `required` > 0 also the required ones, positionally or by keyword.
 */
export { pyArgs, type PyCall } from '../../torch/utils/checks';

export function checkSize(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(fn, arg, 'a non-negative integer', v);
  return v;
}

export function checkBool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

export function checkNumber(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

export function checkTensor(fn: string, arg: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) fail(fn, arg, 'a Tensor', v);
  return v;
}

export const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** A float view of x for arithmetic with weights of dtype `dtype` (spikes may come as bool or int32, as JAX promotes them). */
export function asFloat(x: Tensor, dtype: string): Tensor {
  if (x.dtype === dtype) return x;
  return x.to(dtype as 'float32' | 'float64');
}

// ---- Layer ---------------------------------------------------------------------------------------------------------------

export class Layer extends Module {
  /** The layer's unique name. */
  name: string;
  /** The computing mode (fixed at construction). */
  mode: Mode;

  constructor(options?: LayerOptions) {
    super();
    const fn = `bp.dnn.${new.target.name}`;
    if (options !== undefined && options !== null) {
      if (!isPlainObject(options)) fail(fn, 'options', 'an object with keys name, mode', options);
      for (const k of Object.keys(options)) if (k !== 'name' && k !== 'mode') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of name, mode`);
    }
    const o: LayerOptions = options ?? {};
    const mode = o.mode ?? get_mode();
    if (!(mode instanceof Mode)) fail(fn, 'mode', 'a bm.Mode (bm.NonBatchingMode, bm.BatchingMode, bm.TrainingMode)', mode);
    if (o.name !== undefined && o.name !== null && typeof o.name !== 'string') fail(fn, 'name', 'a string or null', o.name);
    this.name = unique_name(this, o.name ?? null, new.target.name);
    this.mode = mode;
  }

  /** The computation of one call; subclasses override it. */
  update(..._args: any[]): any {
    throw new Error(`${this.constructor.name}.update is not implemented`);
  }

  /** nn.Module's forward is BrainPy's update: `layer.call(x)` runs hooks, then `update(x)`. */
  override forward(...args: Parameters<this['update']>): ReturnType<this['update']> {
    return this.update(...args);
  }

  /** BrainPy's reset_state: layers of bp.dnn have no state to reset. */
  reset_state(..._args: any[]): void { /* stateless */ }

  /** Whether this layer's mode is a TrainingMode (weights become TrainVars). */
  protected get _trainable(): boolean { return this.mode.is_train_mode(); }

  /**
   * BrainPy's tracing_variable(name, init, shape): returns `this[name]` if it already is a bm.Variable; otherwise builds
   * a Variable from `init` (a Tensor of that shape, a number filled to the shape, or an initializer function called
   * with the shape), stores it as `this[name]` and returns it.
   */
  tracing_variable(name: string, init: Tensor | number | ((shape: number[]) => Tensor), shape: readonly number[]): Variable | TrainVar {
    const fn = `${this.constructor.name}.tracing_variable`;
    const cur = (this as any)[name];
    if (cur instanceof Variable) return cur as Variable | TrainVar;
    let value: Tensor;
    if (init instanceof Tensor) value = init;
    else if (typeof init === 'number') value = full(shape.slice(), init);
    else if (typeof init === 'function') value = init(shape.slice());
    else fail(fn, 'init', 'a Tensor, a number or an initializer function', init);
    if (!(value instanceof Tensor) || value.shape.join() !== shape.join()) {
      throw new Error(`${fn}: the value for ${JSON.stringify(name)} must have shape ${shapeStr(shape)}, got ${describe(value)}`);
    }
    const v = new Variable(value);
    (this as any)[name] = v;
    return v;
  }

  override toString(): string { return `${this.constructor.name}(name=${this.name}, mode=${this.mode})`; }
}
