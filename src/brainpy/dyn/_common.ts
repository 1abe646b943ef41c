/**
 * Shared helpers of spikeport's bp.dyn (not a BrainPy module): option checks, sizes and state initialization.
 */
import { Tensor } from '../../torch/index';
import { describe, fail, isPlainObject } from '../../torch/utils/checks';
import { Initializer } from '../initialize/base';
import { Variable } from '../math/variables';
import type { Mode } from '../math/modes';

export function checkKeys(fn: string, options: unknown, allowed: readonly string[]): Record<string, any> {
  if (options === undefined || options === null) return {};
  if (!isPlainObject(options)) fail(fn, 'options', `an object with keys ${allowed.join(', ')}`, options);
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of ${allowed.join(', ')}`);
  }
  return options;
}

/** BrainPy's size: an int or a sequence of ints → varshape. */
export function toVarshape(fn: string, size: unknown): number[] {
  const s = typeof size === 'number' ? [size] : Array.isArray(size) ? size.slice() : null;
  if (!s || s.length === 0 || !s.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    return fail(fn, 'size', 'a non-negative integer or a non-empty array of them', size);
  }
  return s as number[];
}

export function num(fn: string, arg: string, v: unknown, def: number, opts: { positive?: boolean; nonneg?: boolean } = {}): number {
  if (v === undefined) return def;
  if (v instanceof Tensor) {
    throw new Error(`${fn}: ${arg} must be a number (spikeport's bp.dyn takes scalar parameters), got ${describe(v)}`);
  }
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  if (opts.positive && !(v > 0)) fail(fn, arg, 'a positive number', v);
  if (opts.nonneg && !(v >= 0)) fail(fn, arg, 'a non-negative number', v);
  return v;
}

export function requireNonBatching(fn: string, mode: Mode): void {
  if (!mode.is_nonbatch_mode()) {
    throw new Error(`${fn}: mode must be bm.NonBatchingMode (spikeport's bp.dyn does not support ${String(mode)} yet), got ${String(mode)}`);
  }
}

export function checkMethod(fn: string, method: unknown): string {
  if (method === undefined) return 'exp_auto';
  if (method !== 'exp_auto') fail(fn, 'method', "'exp_auto' (the only integrator spikeport's bp.dyn implements)", method);
  return method;
}

export type StateInit = Initializer | Tensor | number | ((shape: number[]) => Tensor);

export function checkInit(fn: string, arg: string, v: unknown, def: StateInit): StateInit {
  if (v === undefined) return def;
  if (v instanceof Initializer || v instanceof Tensor || typeof v === 'number' || typeof v === 'function') return v as StateInit;
  return fail(fn, arg, 'an Initializer, a Tensor, a number or a function of the shape', v);
}

/** A float32 Variable of `shape` from an initializer (BrainPy's variable_(init, shape)). */
export function initVariable(fn: string, arg: string, init: StateInit, shape: readonly number[]): Variable {
  let t: Tensor;
  if (typeof init === 'number') t = Tensor.fromBuffer(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(init), shape, 'float32');
  else if (init instanceof Initializer) t = init.call(shape.slice());
  else if (init instanceof Tensor) t = init;
  else t = init(shape.slice());
  if (!(t instanceof Tensor)) fail(fn, arg, 'to give a Tensor', t);
  if (t.numel() === 1 && shape.reduce((a, b) => a * b, 1) !== 1) {
    t = Tensor.fromBuffer(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(Number(t.item())), shape, 'float32');
  }
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new Error(`${fn}: ${arg} must give a value of shape [${shape.join(', ')}], got ${describe(t)}`);
  }
  return new Variable(t.dtype === 'float32' ? t : t.to('float32'));
}

/** The typed array behind a contiguous Variable, from its offset. */
export function f32(v: Tensor): Float32Array {
  return (v.buffer as Float32Array).subarray(v.offset, v.offset + v.numel());
}
export function u8(v: Tensor): Uint8Array {
  return (v.buffer as Uint8Array).subarray(v.offset, v.offset + v.numel());
}

/**
 * Makes a contiguous Variable use `view` (same length) as its storage, copying its current data there: neuron and
 * synapse state lives in an SnnArena so that the step kernels update it in place.
 */
export function adoptStorage(v: Tensor, view: Float32Array | Uint8Array): void {
  if (v.buffer === view && v.offset === 0) return; // already there (every step takes this path)
  const n = v.numel();
  if (view.length !== n || !v.is_contiguous() || v.buffer.BYTES_PER_ELEMENT !== view.BYTES_PER_ELEMENT) {
    throw new Error(`adoptStorage: expected a contiguous ${n}-element Variable with ${view.BYTES_PER_ELEMENT}-byte elements, got ${describe(v)}`);
  }
  view.set(v.buffer.subarray(v.offset, v.offset + n) as Float32Array & Uint8Array);
  v.buffer = view;
  v.offset = 0;
}
