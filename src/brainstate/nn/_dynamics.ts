/**
 * brainstate.nn._dynamics (brainstate 0.1.10): Dynamics, the base of neurons and synapses, and its input handling.
 *
 *     neu.add_current_input('stim', 2.0)            →  neu.add_current_input('stim', 2.0)
 *     neu.add_current_input('coba', out)            →  neu.add_current_input('coba', out)    (a SynOut or a function)
 *     self.sum_current_inputs(x, v)                 →  this.sum_current_inputs(x, v)
 *
 * Inputs as upstream: a value (number or Tensor) is used once and then removed; a callable (a function, or an object
 * with `call`, such as COBA/CUBA) stays and is called every time with the arguments given to sum_*_inputs. A key may be
 * added again only with the very same object (Python's `id` check); otherwise it raises. `label` groups inputs as
 * upstream (`'label // key'`).
 *
 * spikeport runs these dynamics over float32 typed arrays for speed; gradients through them are not ported (a state or
 * input that requires grad while grad mode is on raises rather than silently dropping the gradient).
 * Python's `module(x)` is `module.call(x)`.
 */
import * as torch from '../../torch/index';
import { checkInt, fail, isPlainObject } from '../../torch/utils/checks';

type Tensor = torch.Tensor;

/** A value input (used once) or a callable input (kept). */
export type InputValue = number | Tensor;
export type InputFn = ((...args: any[]) => InputValue) | { call: (...args: any[]) => InputValue };
export type Input = InputValue | InputFn;

const fr = Math.fround;
const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** @internal Python's `in_size`: an int or a tuple of ints, all >= 1. */
export function toShape(fn: string, in_size: unknown): number[] {
  if (typeof in_size === 'number') return [checkInt(fn, 'in_size', in_size, 1)];
  if (Array.isArray(in_size) && in_size.length > 0) return in_size.map((d, k) => checkInt(fn, `in_size[${k}]`, d, 1));
  fail(fn, 'in_size', 'a positive integer or a non-empty array of positive integers', in_size);
}

/** @internal Refuses tensors that would need a gradient through the typed-array dynamics. */
export function noGrad(fn: string, arg: string, v: unknown): void {
  if (v instanceof torch.Tensor && v.requires_grad && torch.is_grad_enabled()) {
    throw new Error(`${fn}: ${arg} requires grad, but gradients through brainstate.nn dynamics are not ported to spikeport; use torch.no_grad(() => …) or detach()`);
  }
}

/**
 * @internal A number or Tensor as a float32 array of numel(shape) elements: a number or a one-element tensor fills it;
 * a tensor of the full shape or of a trailing part of it (the variable shape under a batch) broadcasts as JAX would.
 */
export function values(fn: string, arg: string, v: unknown, shape: readonly number[]): Float32Array {
  const n = numelOf(shape);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) fail(fn, arg, 'a number (not NaN) or a Tensor', v);
    return new Float32Array(n).fill(v);
  }
  if (typeof v === 'boolean') return new Float32Array(n).fill(v ? 1 : 0);
  if (!(v instanceof torch.Tensor)) fail(fn, arg, 'a number or a Tensor', v);
  noGrad(fn, arg, v);
  const src = v.dtype === 'float32' ? v.toTypedArray() : v.detach().to('float32').toTypedArray();
  if (src.length === 1) return new Float32Array(n).fill(src[0]);
  const s = v.shape;
  const tail = shape.slice(shape.length - s.length);
  if (s.length <= shape.length && s.every((d, k) => d === tail[k])) {
    if (src.length === n) return src as Float32Array;
    const out = new Float32Array(n);
    for (let o = 0; o < n; o += src.length) out.set(src, o);
    return out;
  }
  throw new Error(`${fn}: ${arg} has shape [${s.join(', ')}], which does not broadcast to the state's shape [${shape.join(', ')}]`);
}

/**
 * @internal values() for reading only: a float32 contiguous tensor of exactly `shape` is returned as a view of its own
 * storage (no copy) — the caller must neither write into it nor keep it past the current step; anything else goes
 * through values() (same checks, same errors).
 */
export function valuesView(fn: string, arg: string, v: unknown, shape: readonly number[]): Float32Array {
  if (v instanceof torch.Tensor && v.dtype === 'float32' && sameShape(v.shape, shape) && v.is_contiguous()) {
    noGrad(fn, arg, v);
    const b = v.buffer as Float32Array, n = numelOf(shape), o = v.offset;
    return o === 0 && b.length === n ? b : b.subarray(o, o + n);
  }
  return values(fn, arg, v, shape);
}

/** @internal Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * @internal A value input as a float32 scalar (what values() would fill the array with) when it is a number (not NaN)
 * or a boolean; null otherwise (then use values()/valuesView()).
 */
export function scalarValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : fr(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** @internal A float32 tensor of the given shape owning `data`. */
export const f32 = (data: Float32Array, shape: readonly number[]): Tensor => torch.from_typed_array(data, shape.slice());

/** dst[k] += values(fn, arg, v, shape)[k], without materializing a scalar or copying a float32 tensor. */
function addInto(dst: Float32Array | Float64Array, v: unknown, fn: string, arg: string, shape: readonly number[]): void {
  const c = scalarValue(v);
  const len = dst.length;
  if (c !== null) {
    for (let k = 0; k < len; k++) dst[k] += c;
    return;
  }
  const a = valuesView(fn, arg, v, shape);
  for (let k = 0; k < len; k++) dst[k] += a[k];
}

function isCallable(x: unknown): x is InputFn {
  return typeof x === 'function' || (typeof x === 'object' && x !== null && !(x instanceof torch.Tensor) && typeof (x as { call?: unknown }).call === 'function');
}

function callInput(inp: InputFn, args: unknown[]): InputValue {
  return typeof inp === 'function' ? inp(...args) : inp.call(...args);
}

const labelStart = (label: string): string => `${label} // `;
const labelRepr = (name: string, label?: string | null): string => (label == null ? name : labelStart(label) + name);

/** Splits a trailing `{ label }` options object off `...args`. */
function splitLabel(fn: string, args: unknown[]): [unknown[], string | null] {
  const last = args[args.length - 1];
  if (args.length && isPlainObject(last) && Object.keys(last).every((k) => k === 'label')) {
    const label = (last as { label?: unknown }).label;
    if (label != null && typeof label !== 'string') fail(fn, 'label', 'a string or null', label);
    return [args.slice(0, -1), (label as string | undefined) ?? null];
  }
  return [args, null];
}

function addAny(a: InputValue, b: InputValue): InputValue {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  return torch.add(a as Tensor, b as Tensor);
}

export class Dynamics {
  in_size: number[];
  varshape: number[];
  name: string | null;
  _current_inputs: Map<string, Input> | null = null;
  _delta_inputs: Map<string, Input> | null = null;

  constructor(in_size: number | number[], name: string | null = null) {
    const fn = `brainstate.nn.${new.target.name}`;
    this.in_size = toShape(fn, in_size);
    this.varshape = this.in_size.slice();
    if (name !== null && name !== undefined && typeof name !== 'string') fail(fn, 'name', 'a string or null', name);
    this.name = name ?? null;
  }

  /** The state shape for a batch size (undefined: no batch axis). */
  protected _stateShape(fn: string, batch_size?: number | null): number[] {
    if (batch_size === undefined || batch_size === null) return this.varshape.slice();
    return [checkInt(fn, 'batch_size', batch_size, 1), ...this.varshape];
  }

  get current_inputs(): Map<string, Input> | null { return this._current_inputs; }
  get delta_inputs(): Map<string, Input> | null { return this._delta_inputs; }

  private _add(kind: 'current' | 'delta', key: unknown, inp: unknown, label?: string | null): void {
    const fn = `${this.constructor.name}.add_${kind}_input`;
    if (typeof key !== 'string') fail(fn, 'key', 'a string', key);
    if (label != null && typeof label !== 'string') fail(fn, 'label', 'a string or null', label);
    if (!isCallable(inp) && typeof inp !== 'number' && !(inp instanceof torch.Tensor)) fail(fn, 'inp', 'a number, a Tensor, a function or an object with call()', inp);
    const k = labelRepr(key, label);
    const field = kind === 'current' ? '_current_inputs' : '_delta_inputs';
    const map = (this[field] ??= new Map());
    if (map.has(k) && map.get(k) !== inp) throw new Error(`${fn}: Key "${k}" has been defined and used in the ${kind} inputs of ${this.constructor.name} (ValueError upstream)`);
    map.set(k, inp as Input);
  }

  add_current_input(key: string, inp: Input, label: string | null = null): void { this._add('current', key, inp, label); }
  add_delta_input(key: string, inp: Input, label: string | null = null): void { this._add('delta', key, inp, label); }

  get_input(key: string): Input {
    if (this._current_inputs?.has(key)) return this._current_inputs.get(key)!;
    if (this._delta_inputs?.has(key)) return this._delta_inputs.get(key)!;
    throw new Error(`${this.constructor.name}.get_input: Input key ${key} is not in current/delta inputs of the module ${this.constructor.name} (ValueError upstream)`);
  }

  private _sum(kind: 'current' | 'delta', init: InputValue, rest: unknown[]): InputValue {
    const fn = `${this.constructor.name}.sum_${kind}_inputs`;
    const [args, label] = splitLabel(fn, rest);
    const map = kind === 'current' ? this._current_inputs : this._delta_inputs;
    if (!map) return init;
    const prefix = label === null ? null : labelStart(label);
    for (const key of [...map.keys()]) {
      if (prefix !== null && !key.startsWith(prefix)) continue;
      const out = map.get(key)!;
      if (isCallable(out)) {
        init = addAny(init, callInput(out, args));
      } else {
        init = addAny(init, out);
        map.delete(key);
      }
    }
    return init;
  }

  /** sum_current_inputs(init, ...args, { label }?): init plus every current input (callables called with args). */
  sum_current_inputs(init: InputValue, ...args: unknown[]): InputValue { return this._sum('current', init, args); }
  /** sum_delta_inputs(init, ...args, { label }?): init plus every delta input (callables called with args). */
  sum_delta_inputs(init: InputValue, ...args: unknown[]): InputValue { return this._sum('delta', init, args); }

  /**
   * @internal The typed-array form of `sum_current_inputs(x, v)` for an integrand in v: adds every current input at v
   * into I and its elementwise derivative dI/dv into J (what brainstate's vector_grad sees). SynOuts answer directly;
   * other callables are differentiated with autograd.
   */
  _current_inputs_at(v: Float32Array, shape: readonly number[], I: Float64Array, J: Float64Array, withV: boolean): void {
    const fn = `${this.constructor.name}.sum_current_inputs`;
    const map = this._current_inputs;
    if (!map) return;
    for (const key of [...map.keys()]) {
      const out = map.get(key)!;
      if (!isCallable(out)) {
        addInto(I, out, fn, `current input "${key}"`, shape);
        map.delete(key);
        continue;
      }
      const fast = (out as { _current_and_slope?: unknown })._current_and_slope;
      if (withV && typeof fast === 'function') {
        (fast as (v: Float32Array, s: readonly number[], I: Float64Array, J: Float64Array) => void).call(out, v, shape, I, J);
        continue;
      }
      if (!withV) {
        addInto(I, callInput(out, []), fn, `current input "${key}"`, shape);
        continue;
      }
      const vt = f32(v.slice(), shape).requires_grad_(true);
      torch.enable_grad(() => {
        const r = callInput(out, [vt]);
        const a = values(fn, `current input "${key}"`, r instanceof torch.Tensor ? r.detach() : r, shape);
        for (let k = 0; k < I.length; k++) I[k] += a[k];
        if (r instanceof torch.Tensor && r.requires_grad) {
          const g = torch.autograd.grad(r.sum(), vt, null, { allow_unused: true })[0];
          if (g) {
            const d = g.toTypedArray();
            for (let k = 0; k < J.length; k++) J[k] += d[k];
          }
        }
      });
    }
  }

  /**
   * @internal [key, tensor] when the delta inputs are exactly one value (not callable) input that is a float32
   * contiguous tensor of `shape` needing no grad — the caller adds it in its own pass and deletes the key, which is
   * what _delta_inputs_into would do; null otherwise.
   */
  _oneDeltaValue(shape: readonly number[]): [string, Tensor] | null {
    const map = this._delta_inputs;
    if (map === null || map.size !== 1) return null;
    for (const [key, v] of map) {
      if (v instanceof torch.Tensor && v.dtype === 'float32' && !v.requires_grad && sameShape(v.shape, shape) && v.is_contiguous()) return [key, v];
    }
    return null;
  }

  /** @internal The typed-array form of `sum_delta_inputs(V)`: adds every delta input into V (callables get no arguments). */
  _delta_inputs_into(V: Float32Array, shape: readonly number[]): void {
    const fn = `${this.constructor.name}.sum_delta_inputs`;
    const map = this._delta_inputs;
    if (!map) return;
    for (const key of [...map.keys()]) {
      const out = map.get(key)!;
      addInto(V, isCallable(out) ? callInput(out, []) : out, fn, `delta input "${key}"`, shape);
      if (!isCallable(out)) map.delete(key);
    }
  }

  init_state(_batch_size?: number | null): void {}
  reset_state(_batch_size?: number | null): void {}

  update(..._args: unknown[]): unknown {
    throw new Error(`${this.constructor.name}.update: NotImplementedError (subclasses of Dynamics implement update)`);
  }

  /** @internal Set by _projection.ts (avoids an import cycle): builds the Prefetch of `prefetch(item)`. */
  static _prefetch_impl: ((module: Dynamics, item: string) => any) | null = null;

  /** prefetch(item): a handle on the state/method `item` of this module; `.delay.at(time)` reads it with a delay. */
  prefetch(item: string): any {
    if (!Dynamics._prefetch_impl) throw new Error(`${this.constructor.name}.prefetch: import brainstate.nn (its _projection module) first`);
    return Dynamics._prefetch_impl(this, item);
  }

  /** @internal before_updates / after_updates (brainstate 0.1.10 Dynamics): hooks run around update() by call(). */
  _before_updates: Map<string, (...args: unknown[]) => unknown> | null = null;
  _after_updates: Map<string, (ret: unknown) => unknown> | null = null;

  get before_updates(): Map<string, (...args: unknown[]) => unknown> { return (this._before_updates ??= new Map()); }
  get after_updates(): Map<string, (ret: unknown) => unknown> { return (this._after_updates ??= new Map()); }

  /** _add_before_update(key, fn): fn() runs before every update (a key may be added once; KeyError upstream). */
  _add_before_update(key: string, fn: () => unknown): void {
    if (this.before_updates.has(key)) throw new Error(`${this.constructor.name}._add_before_update: '${key}' has been registered in before_updates (KeyError upstream)`);
    this.before_updates.set(key, fn);
  }
  /** _add_after_update(key, fn): fn(ret) runs after every update with update's result. */
  _add_after_update(key: string, fn: (ret: unknown) => unknown): void {
    if (this.after_updates.has(key)) throw new Error(`${this.constructor.name}._add_after_update: '${key}' has been registered in after_updates (KeyError upstream)`);
    this.after_updates.set(key, fn);
  }
  _has_before_update(key: string): boolean { return this._before_updates?.has(key) ?? false; }
  _get_before_update(key: string): unknown { return this._before_updates?.get(key); }
  _has_after_update(key: string): boolean { return this._after_updates?.has(key) ?? false; }
  _get_after_update(key: string): unknown { return this._after_updates?.get(key); }

  /** Python's `__call__`: the before-update hooks, update(...args), then the after-update hooks with its result. */
  call(...args: unknown[]): any {
    if (this._before_updates) for (const f of this._before_updates.values()) f();
    const ret = this.update(...args);
    if (this._after_updates) for (const f of this._after_updates.values()) f(ret);
    return ret;
  }
}
