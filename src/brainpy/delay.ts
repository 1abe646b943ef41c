/**
 * brainpy.delay (BrainPy 2.x): `VarDelay` (VariableDelay), a buffer of a Variable's past values read through named
 * entries, and `register_delay_by_return` (alias `register_delay_of_target`).
 *
 *     delay = bp.VarDelay(N.spike, entries={'I': None})     const delay = new bp.VarDelay(N.spike, { entries: { I: null } });
 *     spk = delay.at('I'); delay(N(inp))                     const spk = delay.at('I'); delay.call(N.call(inp));
 *
 * Semantics: those of brainpy/delay.py in BrainPy 2.8.2 (a13eef5a; the line numbers below are that file's), checked
 * against fixtures/brainpy/delay/var_delay.json (compat/brainpy_delay_reference.py, a numpy transcription):
 * - `new VarDelay(target, time?, init?, { entries, method, name, mode })` (`entries` is a plain object, so it and the
 *   parameters after it go by keyword; time and init may too). `time` gives
 *   `max_length = trunc(time / dt)` rows at once (int(), not ceil: 0.3 ms → 2 rows) and `max_time = time` (128-133).
 * - `register_entry(entry, delay_time?, delay_step?)`: step `ceil(delay_time / dt)` (0.1 / 0.1 → 1, 0.3 / 0.1 → 3),
 *   or `delay_step` as given, or null for neither (60-71). A step above `max_length` re-allocates the buffer with
 *   that many rows, restarting it from `init`, and sets `max_time = delay_time` (339-343). A name twice raises.
 * - `at(entry)`: step null or 0 → (a copy of) the target's current value; else `retrieve(step)` (372-378).
 * - method 'rotation' (the default, and in NonBatchingMode/BatchingMode; 113-121), with i = bp.share's `i`:
 *   `update(latest?)` writes row `(−i) mod L` (442), `retrieve(d)` reads row `(d − i − 1) mod L` (409), L = max_length
 *   (the buffer has max_length rows, not max_length + 1). Read after the step's write (as BrainPy's delay_test.py
 *   does) every d in 1..L gives the value of step i − (d − 1). Read before it — a DynSysGroup updates projections
 *   before neuron groups, whose delay is an after-update hook — d in 2..L gives step i − (d − 1) and d = 1 gives step
 *   i − L: one step ago for a lone 0.1 ms entry, but L steps ago when a longer entry shares the buffer.
 * - method 'concat' (the default in TrainingMode): `update` puts the value in row 0 and shifts the others down
 *   (446-451); `retrieve(d)` reads row d − 1 (413): step i − (d − 1) after the write, i − d before it.
 * - `retrieve(d)` takes 0 ≤ d ≤ max_length (d > max_length raises, as brainpy.check's default jit_error does);
 *   retrieve(0) reads row (−i − 1) mod L (rotation) or the last row (concat: Python's index −1).
 * - `init`: a number, a Tensor broadcast to [L, ...target.shape], or `(shape, dtype) => Tensor`; null: zeros (487-492).
 * - `at` returns a snapshot copy (JAX arrays are immutable; the buffer row is overwritten later).
 * Not ported: `at(entry, ...indices)`, per-neuron (array) delays, DataDelay / ReturnInfo targets.
 * `init_delay_by_return(info)` makes a VarDelay of a Variable; `DelayAccess` reads one entry (the align-pre projections).
 *
 * `register_delay_by_return(target)` (621-637): the target (a neuron group: `return_info()` is its spike Variable) gets
 * one VarDelay stored as its after-update hook under the key `'_*_delay_of_'`, fed with the target's update return
 * value; later calls return the same delay. Upstream FullProjAlignPost* register an entry named after the projection
 * with their `delay` (even None) and read `at(name)` in `update()` (align_post.py 548-549, 565-566).
 */
import { Tensor } from '../torch/index';
import { TouchList, scratch, setSparseHint, sparseHint } from '../torch/utils/kernels';
import { describe, fail, pyArgs, type PyRest } from '../torch/utils/checks';
import { share } from './context';
import { DynamicalSystem, noBatch } from './dynsys';
import { get_dt } from './math/environment';
import { Variable } from './math/variables';
import { BatchingMode, NonBatchingMode, TrainingMode, type Mode } from './math/modes';

export const delay_identifier = '_*_delay_of_';

type Buf = Float32Array | Float64Array | Int32Array | Uint8Array;

/** What fills the buffer before t0: a number, a Tensor broadcast to [L, ...target.shape], or a function of (shape, dtype). */
export type DelayInit = number | Tensor | ((shape: number[], dtype: string) => Tensor);

export interface VarDelayOptions {
  time?: number | null;
  init?: DelayInit | null;
  entries?: Record<string, number | null> | null;
  method?: 'rotation' | 'concat' | null;
  name?: string | null;
  mode?: Mode | null;
}

type U<T> = T | undefined;
/** (time?, init?, options?): `entries` is a plain object, so it (and what follows it) goes in the options object. */
type VarDelayRest = PyRest<[time: U<number | null>, init: U<DelayInit | null>], VarDelayOptions>;

/** brainpy.delay._get_delay (60-71): the entry's step from a delay time (ceil(time / dt)) or a step; null for neither. */
function getDelayStep(fn: string, entry: string, delay_time: unknown, delay_step: unknown): number | null {
  if (delay_time instanceof Tensor) {
    if (delay_time.numel() !== 1 || delay_time.ndim !== 0) fail(fn, `the delay time of entry ${JSON.stringify(entry)}`, 'a number or a 0-d Tensor (per-neuron delays are not implemented)', delay_time);
    delay_time = Number(delay_time.item());
  }
  if (delay_time === null || delay_time === undefined) {
    if (delay_step === null || delay_step === undefined) return null;
    if (typeof delay_step !== 'number' || !Number.isInteger(delay_step) || delay_step < 0) fail(fn, 'delay_step', 'a non-negative integer', delay_step);
    return delay_step;
  }
  if (delay_step !== null && delay_step !== undefined) throw new Error(`${fn}: "delay_step" should be null if "delay_time" is given`);
  if (typeof delay_time !== 'number' || !Number.isFinite(delay_time) || delay_time < 0) {
    return fail(fn, `the delay time of entry ${JSON.stringify(entry)}`, 'null or a non-negative finite number (per-neuron delays are not implemented)', delay_time);
  }
  return Math.ceil(delay_time / get_dt());
}

/** A copy of src[off, off + n): a step temporary (recycled after the step inside bm.for_loop, core/step_scope.ts). */
function copyRow(src: Buf, off: number, n: number): Buf {
  // every element is written: a pooled array need not be zeroed first
  const dst = src instanceof Uint8Array ? scratch(Uint8Array, n, false) : src instanceof Float32Array ? scratch(Float32Array, n, false) : new (src.constructor as new (n: number) => Buf)(n);
  dst.set((off === 0 && n === src.length ? src : src.subarray(off, off + n)) as any); // a whole array needs no view
  return dst;
}

/** A copy of the target's value; a spike vector's nonzero hint goes with it (stale once the group steps again). */
function snapshot(target: Tensor): Tensor {
  // a contiguous target's geometry arrays are shared (never written in place), as a view shares them
  const t = target.is_contiguous() && (target.dtype === 'bool' || target.dtype === 'float32')
    ? new Tensor(copyRow(target.buffer as Buf, target.offset, target.numel()), target.shape, target._stride, 0, target.dtype)
    : target.detach().clone();
  const h = sparseHint(target);
  if (h !== null) setSparseHint(t, h);
  return t;
}

/** bp.VarDelay (BrainPy's VariableDelay). */
export class VarDelay extends DynamicalSystem {
  readonly target: Tensor;
  /** 'rotation' or 'concat' (null picks by mode: concat in TrainingMode, rotation otherwise). */
  readonly method: 'rotation' | 'concat';
  /** The buffer's row count: trunc(time / dt) from the constructor, raised by longer entries. */
  max_length = 0;
  /** The constructor's time, or the delay_time of the entry that last lengthened the buffer (null if given by step). */
  max_time: number | null = 0;
  /** The buffer, shape [max_length, ...target.shape], or null while max_length is 0. */
  data: Tensor | null = null;
  private readonly _init: DelayInit | null;
  private readonly _entries = new Map<string, number | null>();
  /**
   * Per buffer row, the positions that can be nonzero in it — a copy of the written value's sorted nonzero hint (a
   * neuron group's spike list) — or null; valid while the buffer's version is _hintVer (nothing wrote it from
   * outside). retrieve() hands a row's list on with its copy, so event layers fed through a delay visit only the
   * rows of spiking neurons.
   */
  private _rowHints: (TouchList | null)[] = [];
  private _hintVer = -1;

  constructor(target: Tensor, ...rest: VarDelayRest) {
    const fn = 'bp.VarDelay';
    const o = pyArgs(fn, ['time', 'init', 'entries', 'method', 'name', 'mode'], rest) as VarDelayOptions;
    super({ name: o.name, mode: o.mode });
    if (!(target instanceof Variable)) fail(fn, 'target', 'a bm.Variable', target);
    let method = o.method ?? null;
    if (method === null) {
      // Delay.__init__ 113-119: exact classes, so TrainingMode (a BatchingMode subclass) takes concat
      if (this.mode.is_one_of(NonBatchingMode, BatchingMode)) method = 'rotation';
      else if (this.mode.is_a(TrainingMode)) method = 'concat';
      else method = 'rotation';
    }
    if (method !== 'rotation' && method !== 'concat') fail(fn, 'method', "'rotation', 'concat' or null", method);
    this.method = method;
    const init = o.init ?? null;
    if (init !== null && !(typeof init === 'number' && !Number.isNaN(init)) && !(init instanceof Tensor) && typeof init !== 'function') {
      fail(fn, 'init', 'a number, a Tensor, a function (shape, dtype) => Tensor, or null', init);
    }
    this.target = target;
    this._init = init;
    if (o.time !== undefined && o.time !== null) {
      if (typeof o.time !== 'number' || !Number.isFinite(o.time) || o.time < 0) fail(fn, 'time', 'a non-negative number or null', o.time);
      // 128: int(time / dt) truncates where entries take ceil (upstream: time=0.3 at dt=0.1 gives 2 rows)
      this.max_length = Math.trunc(o.time / get_dt());
      this.max_time = o.time;
      if (this.max_length > 0) this._alloc(this.max_length);
    }
    if (o.entries !== undefined && o.entries !== null) {
      if (typeof o.entries !== 'object' || Array.isArray(o.entries)) fail(fn, 'entries', 'an object of entry name → delay time', o.entries);
      for (const [k, v] of Object.entries(o.entries as Record<string, unknown>)) this.register_entry(k, v as number | null);
    }
  }

  /** _init_data (463-492): a fresh [L, ...target.shape] buffer of zeros, then `init` written over all of it. */
  private _alloc(L: number): void {
    const fn = 'bp.VarDelay';
    const n = this.target.numel();
    const shape = [L, ...this.target.shape];
    const dtype = this.target.dtype;
    const Ctor = (this.target.buffer as Buf).constructor as new (n: number) => Buf;
    const buf = new Ctor(L * n);
    const init = this._init;
    if (typeof init === 'number') buf.fill(dtype === 'bool' ? (init !== 0 ? 1 : 0) : init);
    else if (init instanceof Tensor || typeof init === 'function') {
      let t: unknown = init;
      if (typeof init === 'function') {
        t = init(shape.slice(), dtype);
        if (!(t instanceof Tensor)) fail(fn, 'the result of init(shape, dtype)', `a Tensor of shape [${shape.join(', ')}]`, t);
      }
      let full: Tensor;
      try {
        full = (t as Tensor).detach().to(dtype).expand(...shape);
      } catch {
        throw new Error(`${fn}: init must broadcast to the delay buffer's shape [${shape.join(', ')}], got ${describe(t)}`);
      }
      buf.set(full.toTypedArray() as any);
    }
    this.data = Tensor.fromBuffer(buf, shape, dtype);
    this._rowHints = new Array<TouchList | null>(L).fill(null);
    this._hintVer = -1;
  }

  /** Records the nonzero hint of the value just written to `row` (null when it has no sorted one). */
  private _noteRow(row: number, h: TouchList | null): void {
    if (h === null || !h.sorted) { this._rowHints[row] = null; return; }
    const l = this._rowHints[row] ?? new TouchList(h.count, true);
    l.begin(h.count).set(h.idx.subarray(0, h.count)); // a new generation: copies handed out before lose the old list
    l.count = h.count;
    this._rowHints[row] = l;
  }

  /** register_entry(entry, delay_time = null, delay_step = null) (305-345); returns this. */
  register_entry(entry: string, ...rest: PyRest<[delay_time: U<number | Tensor | null>, delay_step: U<number | null>],
    { delay_time?: number | Tensor | null; delay_step?: number | null }>): this {
    const fn = 'VarDelay.register_entry';
    const o = pyArgs(fn, ['delay_time', 'delay_step'], rest);
    if (typeof entry !== 'string') fail(fn, 'entry', 'a string', entry);
    if (this._entries.has(entry)) {
      throw new Error(`${fn}: Entry ${entry} has been registered. The existing delay for the key ${entry} is ${this._entries.get(entry)}. The new delay for the key ${entry} is ${o.delay_time ?? null}. You can use another key. (KeyError upstream; in ${this.name})`);
    }
    const step = getDelayStep(fn, entry, o.delay_time, o.delay_step);
    const delay_time = o.delay_time instanceof Tensor ? Number(o.delay_time.item()) : (o.delay_time ?? null);
    if (step !== null && this.max_length < step) {
      this._alloc(step);
      this.max_length = step;
      this.max_time = delay_time; // 343: null when the entry came by delay_step (upstream keeps the argument)
    }
    this._entries.set(entry, step);
    return this;
  }

  /** The registered entries and their delay steps. */
  get entries(): ReadonlyMap<string, number | null> { return this._entries; }

  /** at(entry): the target's value `step` steps ago (a copy); entries with no delay (null / 0) give its current value. */
  at(entry: string): Tensor {
    const fn = 'VarDelay.at';
    if (typeof entry !== 'string') fail(fn, 'entry', 'a string', entry);
    if (!this._entries.has(entry)) throw new Error(`${fn}: does not find delay entry ${JSON.stringify(entry)} in ${this.name}; registered: [${[...this._entries.keys()].join(', ')}]`);
    const step = this._entries.get(entry)!;
    if (step === null || step === 0) return snapshot(this.target);
    return this.retrieve(step);
  }

  /** retrieve(delay_step): rotation row (delay_step − i − 1) mod max_length, concat row delay_step − 1 (a copy). */
  retrieve(delay_step: number): Tensor {
    const fn = 'VarDelay.retrieve';
    if (this.data === null) throw new Error(`${fn}: ${this.name} has no delay buffer (no entry with a positive delay)`);
    if (!Number.isInteger(delay_step) || delay_step < 0) fail(fn, 'delay_step', 'a non-negative integer', delay_step);
    if (delay_step > this.max_length) throw new Error(`${fn}: The request delay length should be less than the maximum delay ${this.max_length}. But we got ${delay_step}`);
    const L = this.max_length, n = this.target.numel();
    let row: number;
    if (this.method === 'rotation') {
      const i = this._i(fn);
      // delay.py 409, reproduced: read before this step's write, d = 1 gives the value of L steps ago when L > 1
      row = (((delay_step - i - 1) % L) + L) % L;
    } else {
      row = delay_step - 1;
      if (row < 0) row += L; // Python indexing: retrieve(0) reads the last row
    }
    const t = Tensor.fromBuffer(copyRow(this.data.buffer as Buf, row * n, n), this.target.shape, this.target.dtype);
    const h = this._hintVer === this.data._version.v ? this._rowHints[row] : null;
    if (h) setSparseHint(t, h);
    return t;
  }

  private _i(fn: string): number {
    const i = share.load<number>('i');
    if (typeof i !== 'number' || !Number.isInteger(i)) fail(fn, "bp.share's i", 'an integer step index (run the model with step_run(i, …))', i);
    return i;
  }

  /** update(latest?): rotation writes row (−i) mod max_length; concat shifts the rows down and writes row 0. */
  override update(latest_value?: Tensor | null): void {
    const fn = 'VarDelay.update';
    if (this.data === null) return;
    const v = latest_value ?? this.target;
    if (!(v instanceof Tensor)) fail(fn, 'latest_value', 'a Tensor', v);
    if (v.numel() !== this.target.numel()) throw new Error(`${fn}: latest_value must have the target's shape [${this.target.shape.join(', ')}], got ${describe(v)}`);
    const L = this.max_length, n = this.target.numel();
    const buf = this.data.buffer as Buf;
    // the buffer written from outside since the last update: no row's list can be trusted
    if (this._hintVer !== this.data._version.v) this._rowHints.fill(null);
    let row = 0;
    if (this.method === 'rotation') {
      const i = this._i(fn);
      row = (((-i) % L) + L) % L;
    } else if (L > 1) {
      buf.copyWithin(n, 0, (L - 1) * n);
      this._rowHints.unshift(this._rowHints.pop()!); // the lists move with their rows (the last one's is reused)
    }
    const c = v.dtype === this.target.dtype ? (v.is_contiguous() ? v : v.contiguous()) : v.to(this.target.dtype).contiguous();
    buf.set((c.buffer as Buf).subarray(c.offset, c.offset + n) as any, row * n);
    this._noteRow(row, c === v && v.is_contiguous() && v.ndim === 1 ? sparseHint(v) : null);
    this._hintVer = this.data._version.v;
  }

  /** Re-creates the buffer from init (zeros unless given). */
  override reset_state(batch_size?: number | null): void {
    noBatch(this, batch_size);
    super.reset_state();
    if (this.data !== null) this._alloc(this.max_length);
  }

  override toString(): string { return `VarDelay(step=${this.max_length}, shape=[${this.target.shape.join(', ')}], method=${this.method})`; }
}

/** BrainPy's init_delay_by_return(info, initial_delay_data = null): a VarDelay of the Variable `info` (ReturnInfo is not ported). */
export function init_delay_by_return(info: unknown, initial_delay_data: DelayInit | null = null): VarDelay {
  if (!(info instanceof Variable)) fail('init_delay_by_return', 'info', 'a bm.Variable (a return_info())', info);
  return new VarDelay(info as Variable, { init: initial_delay_data });
}

/** BrainPy's register_delay_by_return(target): the VarDelay of the target's return_info(), one per target. */
export function register_delay_by_return(target: DynamicalSystem): VarDelay {
  if (!(target instanceof DynamicalSystem)) fail('register_delay_by_return', 'target', 'a bp.DynamicalSystem', target);
  if (!target.has_aft_update(delay_identifier)) target.add_aft_update(delay_identifier, init_delay_by_return(target.return_info()));
  const d = target.get_aft_update(delay_identifier);
  if (!(d instanceof VarDelay)) throw new Error(`register_delay_by_return: ${target.name}'s after-update ${JSON.stringify(delay_identifier)} is not a VarDelay`);
  return d;
}

/**
 * BrainPy's DelayAccess(delay, time, delay_entry = null): registers the entry `delay_entry` (its own name when null)
 * with `time` on `delay`; calling it reads `delay.at(entry)`. Its reset_state does nothing, as upstream's.
 */
export class DelayAccess extends DynamicalSystem {
  readonly delay: VarDelay;
  readonly delay_entry: string;
  constructor(delay: VarDelay, time: number | null, delay_entry: string | null = null) {
    if (!(delay instanceof VarDelay)) fail('bp.DelayAccess', 'delay', 'a bp.VarDelay', delay);
    if (delay_entry !== null && typeof delay_entry !== 'string') fail('bp.DelayAccess', 'delay_entry', 'a string or null', delay_entry);
    super({ mode: delay.mode });
    this.delay = delay;
    this.delay_entry = delay_entry ?? this.name;
    delay.register_entry(this.delay_entry, time);
  }
  override update(): Tensor { return this.delay.at(this.delay_entry); }
  override reset_state(): void { /* upstream: pass (the delay is reset by its owner) */ }
}

export { register_delay_by_return as register_delay_of_target };
