/**
 * brainpy.dynsys.DynamicalSystem (BrainPy 2.x): the base of every bp.dyn model (neurons, synapses, outputs, delays).
 *
 *     class Net(bp.DynamicalSystem):                class Net extends bp.DynamicalSystem {
 *         def update(self, x): ...                      override update(x) { … }
 *     net.step_run(i, 20.)                          net.step_run(i, 20);
 *     net(x)                                        net.call(x);
 *
 * - `update(...)` is one time step; it reads the shared time from `bp.share`: `t`, `i` (saved by `step_run`) and
 *   `dt` (`share.load('dt', bm.get_dt())`, 0.1 ms unless changed).
 * - `call(...args)` (Python's `__call__`) runs the before-update hooks (each called with no argument, or with the
 *   call's arguments when the hook has `_receive_update_input`), then `update(...args)`, then the after-update hooks
 *   (each called with update's return value, or with nothing when it has `_not_receive_update_output`) and returns
 *   update's value. This is how align-post projections decay their synapse before the neuron integrates and how a
 *   delay registered on a neuron (`register_delay_by_return`) records its spikes after it.
 * - `step_run(i, ...args)`: `share.save({ i, t: i * dt })` then `this.update(...args)` (not `call`: the hooks of the
 *   top-level object are not run, as in BrainPy). `t` is rounded to float32, as JAX computes `i * dt` with an int32
 *   `i`; `i` may be a number or a 0-d Tensor (what `bm.for_loop` over `bm.arange` hands the body).
 * - Inputs: `add_inp_fun(key, fun, label?, category = 'current' | 'delta')`; `sum_current_inputs(...args, { init,
 *   label })` adds `fun(...args)` over the current inputs (neurons pass their membrane potential);
 *   `sum_delta_inputs({ init, label })` adds `fun()` over the delta inputs. A label prefixes the key as
 *   `label // key` and selects inputs in the sums.
 * - `reset_state(batch_size?)` re-initializes this object's state and that of the dynamical systems it holds in its
 *   own properties and hooks, passing batch_size on (BrainPy's reset_state propagation); `reset(...)` and
 *   `init_state(...)` are the same here. The LIF neurons take a batch size (BatchingMode / TrainingMode); the other
 *   bp.dyn pieces (synapses, delays) run in NonBatchingMode only and raise for one (`noBatch`).
 */
import { Tensor, tensor } from '../torch/index';
import { Module } from '../torch/nn/index';
import { describe, fail, isPlainObject } from '../torch/utils/checks';
import { share } from './context';
import { get_dt, get_mode } from './math/environment';
import { Mode } from './math/modes';
import { unique_name } from './math/naming';
import { ParamDescriber } from './mixin';

export interface DynSysOptions { name?: string | null; mode?: Mode | null }

/** Something that can be called: a function or an object with `call` (a DynamicalSystem). */
export type InputFun = ((...args: any[]) => unknown) | { call(...args: any[]): unknown };

function invoke(fun: InputFun, args: readonly unknown[]): unknown {
  if (args.length === 0) return typeof fun === 'function' ? fun() : fun.call();
  return typeof fun === 'function' ? fun(...args) : fun.call(...args);
}

const NO_ARGS: readonly unknown[] = [];

// DynamicalSystem.prototype.forward, set below the class (call's test for a forward left as is)
let dsForward: unknown = null;

function checkFun(fn: string, arg: string, fun: unknown): InputFun {
  if (typeof fun === 'function') return fun as InputFun;
  if (typeof fun === 'object' && fun !== null && typeof (fun as { call?: unknown }).call === 'function') return fun as InputFun;
  return fail(fn, arg, 'a function or a callable object (a DynamicalSystem)', fun);
}

function addValues(fn: string, a: Tensor | number, b: unknown): Tensor | number {
  if (typeof b === 'number') return typeof a === 'number' ? a + b : a.add(b);
  if (b instanceof Tensor) return typeof a === 'number' ? (a === 0 ? b.to(b.dtype === 'float64' ? 'float64' : 'float32') : b.add(a)) : a.add(b);
  return fail(fn, 'an input function\'s result', 'a Tensor or a number', b);
}

/** BrainPy's label prefix: `label // key`. */
export function _get_label(label: string | null | undefined): string { return label === null || label === undefined ? '' : `${label} // `; }

const DS_KEYS = ['name', 'mode'];

/** Checks { name, mode } options and the mode (non-batching only). */
export function dynsysOptions(fn: string, options: unknown): { name: string | null; mode: Mode } {
  if (options !== undefined && options !== null) {
    if (!isPlainObject(options)) fail(fn, 'options', 'an object with keys name, mode', options);
  }
  const o = (options ?? {}) as DynSysOptions;
  const mode = o.mode ?? get_mode();
  if (!(mode instanceof Mode)) fail(fn, 'mode', 'a bm.Mode', mode);
  if (o.name !== undefined && o.name !== null && typeof o.name !== 'string') fail(fn, 'name', 'a string or null', o.name);
  return { name: o.name ?? null, mode };
}

export class DynamicalSystem extends Module {
  /** The object's unique name (`<ClassName><n>` unless given). */
  name: string;
  /** The computing mode. */
  mode: Mode;
  /** Hooks run before update (key → callable). */
  readonly before_updates = new Map<string, InputFun>();
  /** Hooks run after update with its return value (key → callable). */
  readonly after_updates = new Map<string, InputFun>();
  /** Current inputs (key → fun(...args)). */
  readonly current_inputs = new Map<string, InputFun>();
  /** Delta inputs (key → fun()). */
  readonly delta_inputs = new Map<string, InputFun>();

  constructor(options?: DynSysOptions) {
    super();
    const fn = `bp.${new.target.name}`;
    if (options !== undefined && options !== null && isPlainObject(options)) {
      for (const k of Object.keys(options)) if (!DS_KEYS.includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of ${DS_KEYS.join(', ')}`);
    }
    const o = dynsysOptions(fn, options);
    this.name = unique_name(this, o.name, new.target.name);
    this.mode = o.mode;
  }

  /** BrainPy's ParamDesc mixin: `Cls.desc(...args)` describes an instance to build later (see mixin.ts). */
  static desc<T>(this: new (...args: any[]) => T, ...args: unknown[]): ParamDescriber<T> {
    return new ParamDescriber<T>(this, ...args);
  }

  /** One time step; subclasses override it. */
  update(..._args: any[]): any {
    throw new Error(`${this.constructor.name}.update is not implemented`);
  }

  /**
   * `__call__` in one frame when nothing hooks in (no forward hooks, no before/after updates, forward as here): a step
   * makes several such calls. Otherwise Module.call (forward hooks) and forward.
   */
  override call(...args: any[]): any {
    const m = this._m;
    if (m.preHooks.size === 0 && m.hooks.size === 0 && this.forward === dsForward) {
      const n = args.length;
      if (this.before_updates.size === 0 && this.after_updates.size === 0) return n === 1 ? this.update(args[0]) : n === 0 ? this.update() : this.update(...args);
      return this._hooked(args);
    }
    return super.call(...(args as Parameters<this['forward']>));
  }

  /** forward's body with hooks: before-update hooks, update, after-update hooks (plain calls for no or one argument). */
  private _hooked(args: any[]): any {
    const n = args.length;
    for (const hook of this.before_updates.values()) invoke(hook, (hook as { _receive_update_input?: boolean })._receive_update_input ? args : NO_ARGS);
    const ret = n === 0 ? this.update() : n === 1 ? this.update(args[0]) : this.update(...args);
    for (const hook of this.after_updates.values()) {
      if ((hook as { _not_receive_update_output?: boolean })._not_receive_update_output) invoke(hook, NO_ARGS);
      else if (typeof hook === 'function') hook(ret); else hook.call(ret); // no array for the one output
    }
    return ret;
  }

  /** `__call__`: before-update hooks, update, after-update hooks. */
  override forward(...args: any[]): any {
    // plain calls for the usual arities: a spread call goes through a builtin every step
    const n = args.length;
    if (this.before_updates.size === 0 && this.after_updates.size === 0) return n === 0 ? this.update() : n === 1 ? this.update(args[0]) : this.update(...args);
    return this._hooked(args);
  }

  /** step_run(i, ...args): saves `i` and `t = i·dt` (float32) in bp.share, then runs update(...args). */
  step_run(i: number | Tensor, ...args: any[]): any {
    let ii: number;
    if (typeof i === 'number') ii = i;
    else if (i instanceof Tensor && i.numel() === 1) ii = i.item() as number;
    else return fail(`${this.constructor.name}.step_run`, 'i', 'an integer step index (a number or a one-element Tensor)', i);
    if (!Number.isInteger(ii)) fail(`${this.constructor.name}.step_run`, 'i', 'an integer step index', ii);
    const dt = share.load<number>('dt', get_dt());
    share.save({ i: ii, t: Math.fround(Math.fround(ii) * Math.fround(dt)) });
    return args.length === 1 ? this.update(args[0]) : this.update(...args); // a plain call for the usual one input
  }

  // ---- hooks ---------------------------------------------------------------------------------------------------------

  add_bef_update(key: string, fun: InputFun): void {
    const fn = `${this.constructor.name}.add_bef_update`;
    if (typeof key !== 'string') fail(fn, 'key', 'a string', key);
    if (this.before_updates.has(key)) throw new Error(`${fn}: ${JSON.stringify(key)} has been registered in ${this.name}'s before updates`);
    this.before_updates.set(key, checkFun(fn, 'fun', fun));
  }

  add_aft_update(key: string, fun: InputFun): void {
    const fn = `${this.constructor.name}.add_aft_update`;
    if (typeof key !== 'string') fail(fn, 'key', 'a string', key);
    if (this.after_updates.has(key)) throw new Error(`${fn}: ${JSON.stringify(key)} has been registered in ${this.name}'s after updates`);
    this.after_updates.set(key, checkFun(fn, 'fun', fun));
  }

  get_bef_update(key: string): InputFun {
    const f = this.before_updates.get(key);
    if (f === undefined) throw new Error(`${this.constructor.name}.get_bef_update: ${JSON.stringify(key)} is not registered in ${this.name}'s before updates`);
    return f;
  }

  get_aft_update(key: string): InputFun {
    const f = this.after_updates.get(key);
    if (f === undefined) throw new Error(`${this.constructor.name}.get_aft_update: ${JSON.stringify(key)} is not registered in ${this.name}'s after updates`);
    return f;
  }

  has_bef_update(key: string): boolean { return this.before_updates.has(key); }
  has_aft_update(key: string): boolean { return this.after_updates.has(key); }

  // ---- inputs --------------------------------------------------------------------------------------------------------

  /** add_inp_fun(key, fun, label = null, category = 'current'); also add_inp_fun(key, fun, { label, category }). */
  add_inp_fun(key: string, fun: InputFun, label?: string | null | { label?: string | null; category?: 'current' | 'delta' }, category?: 'current' | 'delta'): void {
    const fn = `${this.constructor.name}.add_inp_fun`;
    if (isPlainObject(label)) {
      for (const k of Object.keys(label)) if (k !== 'label' && k !== 'category') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of label, category`);
      if (category !== undefined) throw new Error(`${fn}: the options object must be the last argument`);
      category = (label as { category?: 'current' | 'delta' }).category;
      label = (label as { label?: string | null }).label;
    }
    if (typeof key !== 'string') fail(fn, 'key', 'a string', key);
    if (label !== undefined && label !== null && typeof label !== 'string') fail(fn, 'label', 'a string or null', label);
    const cat = category ?? 'current';
    if (cat !== 'current' && cat !== 'delta') fail(fn, 'category', "'current' or 'delta'", cat);
    const f = checkFun(fn, 'fun', fun);
    const k = _get_label(label as string | null | undefined) + key;
    const map = cat === 'current' ? this.current_inputs : this.delta_inputs;
    if (map.has(k)) throw new Error(`${fn}: key ${JSON.stringify(k)} has been defined and used in ${this.name}'s ${cat} inputs`);
    map.set(k, f);
  }

  /** The input function registered under `key` (current or delta). */
  get_inp_fun(key: string): InputFun {
    const f = this.current_inputs.get(key) ?? this.delta_inputs.get(key);
    if (f === undefined) throw new Error(`${this.constructor.name}.get_inp_fun: input ${JSON.stringify(key)} is not registered in ${this.name}`);
    return f;
  }

  /** sum_current_inputs(...args, { init = 0, label = null }): init + Σ fun(...args) over the (labelled) current inputs. */
  sum_current_inputs(...args: any[]): Tensor | number {
    const fn = `${this.constructor.name}.sum_current_inputs`;
    let init: Tensor | number = 0, label: string | null = null;
    if (args.length && isPlainObject(args[args.length - 1])) {
      const o = args.pop() as Record<string, unknown>;
      for (const k of Object.keys(o)) if (k !== 'init' && k !== 'label') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of init, label`);
      if (o.init !== undefined) { if (!(typeof o.init === 'number' || o.init instanceof Tensor)) fail(fn, 'init', 'a number or a Tensor', o.init); init = o.init as Tensor | number; }
      if (o.label !== undefined && o.label !== null) { if (typeof o.label !== 'string') fail(fn, 'label', 'a string', o.label); label = o.label; }
    }
    let acc: Tensor | number = init;
    for (const [k, f] of this.current_inputs) {
      if (label !== null && !k.startsWith(_get_label(label))) continue;
      acc = addValues(fn, acc, invoke(f, args));
    }
    return acc;
  }

  /** sum_delta_inputs({ init = 0, label = null }): init + Σ fun() over the (labelled) delta inputs. */
  sum_delta_inputs(options?: { init?: Tensor | number; label?: string | null }): Tensor | number {
    const fn = `${this.constructor.name}.sum_delta_inputs`;
    if (options !== undefined && options !== null) {
      if (!isPlainObject(options)) fail(fn, 'options', 'an object with keys init, label', options);
      for (const k of Object.keys(options)) if (k !== 'init' && k !== 'label') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of init, label`);
    }
    const init = options?.init ?? 0;
    if (!(typeof init === 'number' || init instanceof Tensor)) fail(fn, 'init', 'a number or a Tensor', init);
    const label = options?.label ?? null;
    if (label !== null && typeof label !== 'string') fail(fn, 'label', 'a string', label);
    let acc: Tensor | number = init;
    for (const [k, f] of this.delta_inputs) {
      if (label !== null && !k.startsWith(_get_label(label))) continue;
      acc = addValues(fn, acc, invoke(f, NO_ARGS));
    }
    return acc;
  }

  // ---- state ---------------------------------------------------------------------------------------------------------

  /** Re-initializes the state of this object and of the dynamical systems held in its own properties and hooks. */
  reset_state(batch_size?: number | null): void {
    if (batch_size !== undefined && batch_size !== null && !(Number.isInteger(batch_size) && batch_size >= 1)) {
      fail(`${this.constructor.name}.reset_state`, 'batch_size', 'null or a positive integer', batch_size);
    }
    const seen = new Set<unknown>([this]);
    const visit = (x: unknown): void => {
      if (x instanceof DynamicalSystem && !seen.has(x)) { seen.add(x); x.reset_state(batch_size); }
    };
    for (const v of Object.values(this)) visit(v);
    for (const v of this.before_updates.values()) visit(v);
    for (const v of this.after_updates.values()) visit(v);
  }

  /** BrainPy's reset(...): the same as reset_state here. */
  reset(batch_size?: number | null): void { this.reset_state(batch_size); }

  /** brainstate's init_state(...): the same as reset_state here. */
  init_state(batch_size?: number | null): void { this.reset_state(batch_size); }

  /** The value a delay of this object records (neurons: their spike variable); see delay.ts. */
  return_info(): Tensor {
    throw new Error(`${this.constructor.name}.return_info is not implemented: ${this.name} cannot be the target of an automatic delay`);
  }

  override toString(): string { return `${this.constructor.name}(name=${this.name}, mode=${this.mode})`; }
}
dsForward = DynamicalSystem.prototype.forward;

/** BrainPy's Projection: the base of all projections (DynSysGroup updates them first). */
export abstract class Projection extends DynamicalSystem {
  /** Properties that are references to other models (not children of the projection). */
  static readonly _invisible_nodes: readonly string[] = [];

  /** Resets the dynamical systems the projection owns, not the ones it references (`_invisible_nodes`). */
  override reset_state(batch_size?: number | null): void {
    noBatch(this, batch_size);
    const invisible = (this.constructor as typeof Projection)._invisible_nodes;
    for (const [k, v] of Object.entries(this)) {
      if (invisible.includes(k)) continue;
      if (v instanceof DynamicalSystem && v !== this) v.reset_state();
    }
  }
}

/** For the pieces that run in NonBatchingMode only: a batch size given to their reset_state raises. */
export function noBatch(self: DynamicalSystem, batch_size: number | null | undefined): void {
  if (batch_size !== undefined && batch_size !== null) {
    throw new Error(`${self.constructor.name}.reset_state: batch_size must be null/undefined (${self.constructor.name} runs in NonBatchingMode only in spikeport), got ${describe(batch_size)}`);
  }
}

/** Turns a number or Tensor input into a Float32Array of length n (broadcasting a scalar / one-element Tensor). */
export function _fillInput(fn: string, arg: string, x: unknown, out: Float32Array, varshape: readonly number[]): void {
  const n = out.length;
  if (x === undefined || x === null) { out.fill(0); return; }
  if (typeof x === 'number') { out.fill(x); return; }
  if (typeof x === 'boolean') { out.fill(x ? 1 : 0); return; }
  if (!(x instanceof Tensor)) fail(fn, arg, 'a number or a Tensor', x);
  if (x.numel() === 1) { out.fill(Number(x.item())); return; }
  if (x.numel() !== n || (x.ndim !== varshape.length && x.ndim !== 1) || (x.ndim === varshape.length && x.shape.some((s, i) => s !== varshape[i]))) {
    throw new Error(`${fn}: ${arg} must be a number or a Tensor of shape [${varshape.join(', ')}], got ${describe(x)}`);
  }
  const c = x.is_contiguous() ? x : x.contiguous();
  const b = c.buffer, o = c.offset;
  // same values as the element loop (TypedArray.set converts like assignment), without a polymorphic per-element read
  if (b instanceof Float32Array || b instanceof Float64Array || b instanceof Uint8Array || b instanceof Int32Array) { out.set(b.subarray(o, o + n)); return; }
  for (let k = 0; k < n; k++) out[k] = b[o + k] as number;
}

/** Adds a number or Tensor (broadcastable to n elements) into `out`. */
export function _addInput(fn: string, arg: string, x: unknown, out: Float32Array, varshape: readonly number[], scratch: Float32Array): void {
  if (x === 0) return;
  // fast path: a contiguous float32 Tensor of the group's shape is added straight from its buffer (same float32 sums)
  if (x instanceof Tensor && x.dtype === 'float32' && x.buffer instanceof Float32Array && x.is_contiguous() && x.numel() === out.length
    && (x.ndim === 1 || (x.ndim === varshape.length && x.shape.every((s, i) => s === varshape[i])))) {
    const b = x.buffer, o = x.offset, n = out.length;
    for (let k = 0; k < n; k++) out[k] += b[o + k];
    return;
  }
  _fillInput(fn, arg, x, scratch, varshape);
  for (let k = 0; k < out.length; k++) out[k] += scratch[k];
}

/** A float32 Tensor over a copy of `data` with shape `shape`. */
export function _f32(data: Float32Array, shape: readonly number[]): Tensor {
  return tensor(data).reshape(shape.slice());
}
