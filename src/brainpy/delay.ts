/**
 * brainpy.delay (BrainPy 2.x): `VarDelay` (VariableDelay), a ring buffer of a Variable's past values read through
 * named entries, and `register_delay_by_return` (alias `register_delay_of_target`).
 *
 *     delay = bp.VarDelay(N.spike, entries={'I': None})     const delay = new bp.VarDelay(N.spike, { entries: { I: null } });
 *     spk = delay.at('I'); delay(N(inp))                     const spk = delay.at('I'); delay.call(N.call(inp));
 *
 * Semantics (rotation method, reference notes §6.1):
 * - An entry's delay step is `ceil(delay_time / dt)` (0.1 / 0.1 → 1); `null` / 0 means no delay: `at(entry)`
 *   returns a copy of the target's current value. Registering a longer entry re-allocates the buffer (its contents
 *   restart from `init`, as in BrainPy); registering a name twice raises.
 * - The buffer holds L = the longest step rows of the target's shape, initialized to `init` (0 unless given).
 * - `update(latest?)` (called once per step, after the target's update) writes `latest` (default: the target's
 *   value) into row `(−i) mod L`; `at(entry)` with step d reads row `(d − i − 1) mod L`, `i` being bp.share's
 *   step index. With d = 1 (L = 1) `at` before the write gives the value written on the previous step.
 * - `at` returns a snapshot copy (JAX arrays are immutable; the buffer row is overwritten later).
 * - Only the 'rotation' method is implemented (BrainPy's default outside TrainingMode).
 *
 * `register_delay_by_return(target)`: the target (a neuron group: `return_info()` is its spike Variable) gets one
 * VarDelay stored as its after-update hook under the key `'_*_delay_of_'`, fed with the target's update return value;
 * later calls return the same delay. Projections then `register_entry(name, delay_time)` and read `at(name)`.
 */
import { Tensor } from '../torch/index';
import { describe, fail } from '../torch/utils/checks';
import { share } from './context';
import { DynamicalSystem } from './dynsys';
import { checkKeys } from './dyn/_common';
import { get_dt } from './math/environment';
import { Variable } from './math/variables';
import type { Mode } from './math/modes';

export const delay_identifier = '_*_delay_of_';

type Buf = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface VarDelayOptions {
  time?: number | null;
  init?: number | null;
  entries?: Record<string, number | null> | null;
  method?: 'rotation' | null;
  name?: string | null;
  mode?: Mode | null;
}

function delayStep(fn: string, entry: string, delay_time: unknown): number | null {
  if (delay_time === null || delay_time === undefined) return null;
  if (delay_time instanceof Tensor && delay_time.numel() === 1) delay_time = Number(delay_time.item());
  if (typeof delay_time !== 'number' || !Number.isFinite(delay_time) || delay_time < 0) {
    return fail(fn, `the delay time of entry ${JSON.stringify(entry)}`, 'null or a non-negative finite number (per-neuron delays are not implemented)', delay_time);
  }
  return Math.ceil(delay_time / get_dt());
}

/** bp.VarDelay (BrainPy's VariableDelay). */
export class VarDelay extends DynamicalSystem {
  readonly target: Tensor;
  readonly method = 'rotation';
  /** The longest registered delay step (the buffer's row count). */
  max_length = 0;
  /** The delay time of the longest entry. */
  max_time = 0;
  /** The buffer, shape [max_length, ...target.shape], or null when no entry has a positive step. */
  data: Tensor | null = null;
  private readonly _init: number | null;
  private readonly _entries = new Map<string, number | null>();
  /** An after-update hook is fed update()'s return value. */

  constructor(target: Tensor, options?: VarDelayOptions) {
    const fn = 'bp.VarDelay';
    const o = checkKeys(fn, options, ['time', 'init', 'entries', 'method', 'name', 'mode']);
    super({ name: o.name, mode: o.mode });
    if (!(target instanceof Variable)) fail(fn, 'target', 'a bm.Variable', target);
    if (o.method !== undefined && o.method !== null && o.method !== 'rotation') fail(fn, 'method', "'rotation' or null (the 'concat' method is not implemented)", o.method);
    if (o.init !== undefined && o.init !== null && (typeof o.init !== 'number' || Number.isNaN(o.init))) fail(fn, 'init', 'a number or null', o.init);
    this.target = target;
    this._init = o.init ?? null;
    if (o.time !== undefined && o.time !== null) {
      if (typeof o.time !== 'number' || !Number.isFinite(o.time) || o.time < 0) fail(fn, 'time', 'a non-negative number or null', o.time);
      const L = Math.trunc(o.time / get_dt());
      if (L > 0) { this._alloc(L); this.max_length = L; this.max_time = o.time; }
    }
    if (o.entries !== undefined && o.entries !== null) {
      if (typeof o.entries !== 'object' || Array.isArray(o.entries)) fail(fn, 'entries', 'an object of entry name → delay time', o.entries);
      for (const [k, v] of Object.entries(o.entries as Record<string, unknown>)) this.register_entry(k, v as number | null);
    }
  }

  private _alloc(L: number): void {
    const n = this.target.numel();
    const Ctor = (this.target.buffer as Buf).constructor as new (n: number) => Buf;
    const buf = new Ctor(L * n);
    if (this._init !== null) buf.fill(this._init);
    this.data = Tensor.fromBuffer(buf, [L, ...this.target.shape], this.target.dtype);
  }

  /** register_entry(entry, delay_time): delay_time null/0 (no delay) or a time ≥ 0; steps = ceil(time / dt). */
  register_entry(entry: string, delay_time: number | null | undefined): this {
    const fn = 'VarDelay.register_entry';
    if (typeof entry !== 'string') fail(fn, 'entry', 'a string', entry);
    if (this._entries.has(entry)) throw new Error(`${fn}: entry ${JSON.stringify(entry)} has been registered in ${this.name}`);
    const step = delayStep(fn, entry, delay_time);
    if (step !== null && step > this.max_length) {
      this._alloc(step);
      this.max_length = step;
      this.max_time = delay_time as number;
    }
    this._entries.set(entry, step);
    return this;
  }

  /** The registered entries and their delay steps. */
  get entries(): ReadonlyMap<string, number | null> { return this._entries; }

  /** at(entry): the target's value `step` steps ago (a copy); entries without delay give its current value. */
  at(entry: string): Tensor {
    const fn = 'VarDelay.at';
    if (typeof entry !== 'string') fail(fn, 'entry', 'a string', entry);
    if (!this._entries.has(entry)) throw new Error(`${fn}: does not find delay entry ${JSON.stringify(entry)} in ${this.name}; registered: [${[...this._entries.keys()].join(', ')}]`);
    const step = this._entries.get(entry)!;
    if (step === null || step === 0 || this.data === null) return this.target.detach().clone();
    return this.retrieve(step);
  }

  /** retrieve(delay_step): row (delay_step − i − 1) mod max_length of the buffer (a copy). */
  retrieve(delay_step: number): Tensor {
    const fn = 'VarDelay.retrieve';
    if (this.data === null) throw new Error(`${fn}: ${this.name} has no delay buffer (no entry with a positive delay)`);
    if (!Number.isInteger(delay_step) || delay_step < 1 || delay_step > this.max_length) {
      fail(fn, 'delay_step', `an integer in [1, ${this.max_length}]`, delay_step);
    }
    const i = this._i(fn);
    const L = this.max_length, n = this.target.numel();
    const row = (((delay_step - i - 1) % L) + L) % L;
    const src = (this.data.buffer as Buf).subarray(row * n, row * n + n);
    return Tensor.fromBuffer(src.slice() as Buf, this.target.shape, this.target.dtype);
  }

  private _i(fn: string): number {
    const i = share.load<number>('i');
    if (typeof i !== 'number' || !Number.isInteger(i)) fail(fn, "bp.share's i", 'an integer step index (run the model with step_run(i, …))', i);
    return i;
  }

  /** update(latest?): writes latest (default: the target's value) into row (−i) mod max_length. */
  override update(latest_value?: Tensor | null): void {
    const fn = 'VarDelay.update';
    if (this.data === null) return;
    const v = latest_value ?? this.target;
    if (!(v instanceof Tensor)) fail(fn, 'latest_value', 'a Tensor', v);
    if (v.numel() !== this.target.numel()) throw new Error(`${fn}: latest_value must have the target's shape [${this.target.shape.join(', ')}], got ${describe(v)}`);
    const i = this._i(fn);
    const L = this.max_length, n = this.target.numel();
    const row = (((-i) % L) + L) % L;
    const c = v.dtype === this.target.dtype ? (v.is_contiguous() ? v : v.contiguous()) : v.to(this.target.dtype).contiguous();
    (this.data.buffer as Buf).set((c.buffer as Buf).subarray(c.offset, c.offset + n) as any, row * n);
  }

  /** Refills the buffer with init (0 unless given). */
  override reset_state(batch_size?: number | null): void {
    super.reset_state(batch_size);
    if (this.data !== null) (this.data.buffer as Buf).fill(this._init ?? 0);
  }

  override toString(): string { return `VarDelay(step=${this.max_length}, shape=[${this.target.shape.join(', ')}], method=${this.method})`; }
}

/** BrainPy's register_delay_by_return(target): the VarDelay of the target's return_info(), one per target. */
export function register_delay_by_return(target: DynamicalSystem): VarDelay {
  if (!(target instanceof DynamicalSystem)) fail('register_delay_by_return', 'target', 'a bp.DynamicalSystem', target);
  if (!target.has_aft_update(delay_identifier)) {
    const info = target.return_info();
    if (!(info instanceof Variable)) fail('register_delay_by_return', 'target.return_info()', 'a bm.Variable', info);
    target.add_aft_update(delay_identifier, new VarDelay(info));
  }
  const d = target.get_aft_update(delay_identifier);
  if (!(d instanceof VarDelay)) throw new Error(`register_delay_by_return: ${target.name}'s after-update ${JSON.stringify(delay_identifier)} is not a VarDelay`);
  return d;
}

export { register_delay_by_return as register_delay_of_target };
