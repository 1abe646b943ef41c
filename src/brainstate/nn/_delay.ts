/**
 * brainstate.nn._delay (brainstate 0.1.10): Delay — a ring buffer of past values with named read entries.
 *
 *     delay = brainstate.nn.Delay(jnp.zeros(n), time=1.0)       →  const delay = new nn.Delay(torch.zeros(n), 1.0)
 *     delay.register_entry('I', 0.5)                            →  delay.register_entry('I', 0.5)
 *     delay.init_state();  delay.update(x);  delay.at('I')      →  the same
 *
 * step = ceil(delay_time / dt), the quotient rounded to float32 first as jnp.ceil sees it (1.1/0.1 → 11, not 12);
 * buffer length max_length = max step + 1 (entries registered after init_state may not need a longer buffer: that
 * raises). 'rotation' (default): update writes slot i mod L, a read at step d returns slot (i − d) mod L, with
 * i = environ.get('i'); 'concat': update shifts the history and puts the value at 0, a read returns slot d.
 * An entry registered with no delay (null) reads step 0. Reading a step ≥ max_length raises (JAX would clamp
 * silently unless jit error checks are on). `init` fills the history before t0 (number, Tensor or (shape) => Tensor).
 * Every registered delay time sets max_time, the longest or not (brainstate's register_delay does so, _delay.py 263).
 * retrieve_at_time(delay_time): step (t − delay_time) / dt from environ 't', in float32 as JAX computes it; the
 * 'linear_interp' method (default) blends the rows at floor and ceil of that step, 'round' reads the row at
 * round-half-even of it (379-434).
 */
import * as torch from '../../torch/index';
import { checkInt, fail, pyArgs, type PyRest } from '../../torch/utils/checks';
import * as environ from '../environ';
import { ShortTermState } from '../_state';

type Tensor = torch.Tensor;
type DelayOpts = { init?: number | Tensor | ((shape: number[]) => Tensor) | null; entries?: Record<string, number | null> | null;
  delay_method?: 'rotation' | 'concat'; interp_method?: 'linear_interp' | 'round'; take_aware_unit?: boolean };
type DelayRest = PyRest<[time: number | null | undefined, init: DelayOpts['init'] | undefined, entries: DelayOpts['entries'] | undefined,
  delay_method: DelayOpts['delay_method'] | undefined, interp_method: DelayOpts['interp_method'] | undefined, take_aware_unit: boolean | undefined],
  DelayOpts & { time?: number | null }>;

function delayStep(fn: string, time: unknown): [number, number] {
  if (time === null || time === undefined) return [0, 0];
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) fail(fn, 'delay_time', 'a finite number >= 0 or null', time);
  return [time, Math.ceil(Math.fround(time / environ.get_dt()))];
}

export class Delay {
  target_shape: number[];
  target_dtype: torch.DType;
  delay_method: 'rotation' | 'concat';
  interp_method: 'linear_interp' | 'round';
  max_time: number;
  max_length: number;
  history: ShortTermState | null = null;
  _init: DelayOpts['init'];
  _registered_entries = new Map<string, number | null>();

  constructor(target_info: Tensor, ...rest: DelayRest) {
    const fn = 'brainstate.nn.Delay';
    if (!(target_info instanceof torch.Tensor)) fail(fn, 'target_info', 'a Tensor (its shape and dtype describe the delayed value)', target_info);
    const o = pyArgs(fn, ['time', 'init', 'entries', 'delay_method', 'interp_method', 'take_aware_unit'], rest) as DelayOpts & { time?: number | null };
    this.target_shape = target_info.shape.slice();
    this.target_dtype = target_info.dtype;
    this.delay_method = o.delay_method ?? 'rotation';
    if (this.delay_method !== 'rotation' && this.delay_method !== 'concat') fail(fn, 'delay_method', "'rotation' or 'concat'", this.delay_method);
    this.interp_method = o.interp_method ?? 'linear_interp';
    if (this.interp_method !== 'linear_interp' && this.interp_method !== 'round') fail(fn, 'interp_method', "'linear_interp' or 'round'", this.interp_method);
    if (o.take_aware_unit !== undefined && typeof o.take_aware_unit !== 'boolean') fail(fn, 'take_aware_unit', 'a boolean', o.take_aware_unit);
    const [t, step] = delayStep(fn, o.time);
    this.max_time = t;
    this.max_length = step + 1;
    const init = o.init ?? null;
    if (init !== null && typeof init !== 'number' && typeof init !== 'function' && !(init instanceof torch.Tensor)) fail(fn, 'init', 'a number, a Tensor, a function or null', init);
    this._init = init;
    if (o.entries != null) {
      if (typeof o.entries !== 'object') fail(fn, 'entries', 'an object { entry: delay_time }', o.entries);
      for (const [k, v] of Object.entries(o.entries)) this.register_entry(k, v);
    }
  }

  /** register_entry(entry, delay_time): returns the entry's delay step (null for no delay). */
  register_entry(entry: string, delay_time: number | null = null): number | null {
    const fn = 'Delay.register_entry';
    if (typeof entry !== 'string') fail(fn, 'entry', 'a string', entry);
    if (this._registered_entries.has(entry)) {
      throw new Error(`${fn}: Entry ${entry} has been registered. The existing delay for the key ${entry} is ${this._registered_entries.get(entry)}. You can use another key. (KeyError upstream)`);
    }
    if (delay_time === null || delay_time === undefined) {
      this._registered_entries.set(entry, null);
      return null;
    }
    const [t, step] = delayStep(fn, delay_time);
    this.max_time = t; // upstream sets max_time on every registration, even a shorter one (_delay.py 263)
    if (this.max_length <= step + 1) {
      if (this.history !== null && step + 1 > this.max_length) {
        throw new Error(`${fn}: entry ${entry} needs ${step + 1} history slots, but the history was allocated with ${this.max_length} by init_state(); register entries before init_state()`);
      }
      this.max_length = step + 1;
    }
    this._registered_entries.set(entry, step);
    return step;
  }

  private _fill(batch_size?: number | null): Tensor {
    const shape = [this.max_length, ...(batch_size == null ? [] : [checkInt('Delay.init_state', 'batch_size', batch_size, 1)]), ...this.target_shape];
    const init = this._init;
    if (init === null || init === undefined) return torch.zeros(shape, { dtype: this.target_dtype });
    if (typeof init === 'number') return torch.full(shape, init, { dtype: this.target_dtype });
    if (typeof init === 'function') {
      const t = init(shape.slice());
      if (!(t instanceof torch.Tensor) || t.shape.join() !== shape.join()) fail('Delay.init_state', 'the result of init', `a Tensor of shape [${shape.join(', ')}]`, t);
      return t.detach().to(this.target_dtype).contiguous();
    }
    return init.detach().to(this.target_dtype).expand(...shape).contiguous();
  }

  init_state(batch_size?: number | null): void { this.history = new ShortTermState(this._fill(batch_size)); }
  reset_state(batch_size?: number | null): void { this._hist('Delay.reset_state').value = this._fill(batch_size); }

  private _hist(fn: string): ShortTermState {
    if (this.history === null) throw new Error(`${fn}: The delay history is not initialized; call init_state() first`);
    return this.history;
  }

  /** at(entry): the value registered under entry, delay_step steps ago. */
  at(entry: string): Tensor {
    if (typeof entry !== 'string') fail('Delay.at', 'entry', 'a string', entry);
    if (!this._registered_entries.has(entry)) throw new Error(`Delay.at: Does not find delay entry "${entry}". (KeyError upstream)`);
    return this.retrieve_at_step(this._registered_entries.get(entry) ?? 0);
  }

  /** retrieve_at_step(delay_step): a copy of the stored row. */
  retrieve_at_step(delay_step: number): Tensor {
    const fn = 'Delay.retrieve_at_step';
    const h = this._hist(fn).value;
    checkInt(fn, 'delay_step', delay_step, 0);
    if (delay_step >= this.max_length) throw new Error(`${fn}: The request delay length should be less than the maximum delay ${this.max_length - 1}. But we got ${delay_step}`);
    let idx = delay_step;
    if (this.delay_method === 'rotation') {
      const i = checkInt(fn, "environ 'i'", environ.get('i'), -Infinity);
      idx = (((i - delay_step) % this.max_length) + this.max_length) % this.max_length;
    }
    return h.select(0, idx).clone();
  }

  /**
   * retrieve_at_time(delay_time): the value at time delay_time (≤ environ 't'), interpolated between steps. JAX runs
   * this in float32: step = (t − delay_time) / dt; 'linear_interp' gives row(floor)·(1 − frac) + row(ceil)·frac,
   * 'round' row(round-half-even(step)).
   */
  retrieve_at_time(delay_time: number): Tensor {
    const fn = 'Delay.retrieve_at_time';
    this._hist(fn);
    if (typeof delay_time !== 'number' || !Number.isFinite(delay_time)) fail(fn, 'delay_time', 'a finite number', delay_time);
    const now = environ.get(environ.T);
    if (typeof now !== 'number') fail(fn, "environ 't'", 'a number', now);
    const f = Math.fround;
    const step = f(f(f(now) - f(delay_time)) / f(environ.get_dt()));
    const asF = (x: Tensor): Tensor => (x.dtype === 'float32' || x.dtype === 'float64' ? x : x.to('float32'));
    if (this.interp_method === 'round') {
      const fl = Math.floor(step), frac = step - fl;
      const r = frac > 0.5 || (frac === 0.5 && fl % 2 !== 0) ? fl + 1 : fl; // jnp.round: half to even
      return this.retrieve_at_step(r);
    }
    const lo = Math.floor(step), hi = Math.ceil(step);
    const frac = f(step - lo);
    const a = asF(this.retrieve_at_step(lo)), b = asF(this.retrieve_at_step(hi));
    return a.mul(f(1 - frac)).add(b.mul(frac));
  }

  /** update(current): stores the value of this step. */
  update(current: Tensor): void {
    const fn = 'Delay.update';
    const hist = this._hist(fn);
    const h = hist.value;
    if (!(current instanceof torch.Tensor)) fail(fn, 'current', 'a Tensor', current);
    const rowShape = h.shape.slice(1);
    if (current.shape.join() !== rowShape.join()) throw new Error(`${fn}: current has shape [${current.shape.join(', ')}], expected [${rowShape.join(', ')}]`);
    const row = current.detach().to(this.target_dtype).toTypedArray();
    const m = row.length;
    const buf = h.toTypedArray();
    if (this.delay_method === 'rotation') {
      const i = checkInt(fn, "environ 'i'", environ.get('i'), -Infinity);
      const idx = ((i % this.max_length) + this.max_length) % this.max_length;
      buf.set(row, idx * m);
    } else {
      buf.copyWithin(m, 0, buf.length - m);
      buf.set(row, 0);
    }
    hist.value = torch.from_typed_array(buf, h.shape.slice());
  }

  /** Python's `__call__`. */
  call(current: Tensor): void { this.update(current); }
}
