/**
 * brainstate.environ (brainstate 0.1.10): the global simulation environment (dt, the step index i, the time t).
 *
 *     brainstate.environ.set(dt=0.1)                                (Python)
 *     with brainstate.environ.context(i=i, t=i * dt): net(inp)
 *
 *     environ.set({ dt: 0.1 })                                      (TypeScript)
 *     environ.context({ i, t: i * dt }, () => net.call(inp))
 *
 * `dt` defaults to 0.1 (ms; spikeport is unitless: brainunit quantities become plain numbers in their base unit as
 * the model writes them, ms for time, mV for voltage). `context(settings, fn)` is Python's `with context(**settings)`:
 * the settings hold while fn runs (also when it throws) and fn's result is returned. Settings nest; the innermost wins.
 * Only `dt` (a positive finite number), `i` (an integer) and `t` (a finite number) are checked; other keys are stored as
 * given, as upstream stores any keyword.
 */
import { fail, isPlainObject } from '../torch/utils/checks';

const MOD = 'brainstate.environ';

/** The names brainstate.environ uses for the step index and the time. */
export const I = 'i';
export const T = 't';
export const DT = 'dt';

const globals: Record<string, unknown> = { dt: 0.1 };
const stack: Record<string, unknown>[] = [];

function checkSettings(fn: string, s: unknown): Record<string, unknown> {
  if (!isPlainObject(s)) fail(fn, 'settings', 'an object of settings ({ dt, i, t, … })', s);
  const o = s as Record<string, unknown>;
  if (o.dt !== undefined && (typeof o.dt !== 'number' || !Number.isFinite(o.dt) || o.dt <= 0)) fail(fn, 'dt', 'a positive finite number', o.dt);
  if (o.i !== undefined && (typeof o.i !== 'number' || !Number.isInteger(o.i))) fail(fn, 'i', 'an integer', o.i);
  if (o.t !== undefined && (typeof o.t !== 'number' || !Number.isFinite(o.t))) fail(fn, 't', 'a finite number', o.t);
  return o;
}

/** environ.set({ dt, … }): sets global defaults (outside any context). */
export function set(settings: Record<string, unknown>): void {
  const o = checkSettings(`${MOD}.set`, settings);
  for (const [k, v] of Object.entries(o)) if (v !== undefined) globals[k] = v;
}

const NOT_GIVEN = Symbol('not given');

/** environ.get(key, default?): the innermost value of key; a missing key without default raises (KeyError upstream). */
export function get(key: string, dflt: unknown = NOT_GIVEN): any {
  if (typeof key !== 'string') fail(`${MOD}.get`, 'key', 'a string', key);
  for (let k = stack.length - 1; k >= 0; k--) if (key in stack[k]) return stack[k][key];
  if (key in globals) return globals[key];
  if (dflt !== NOT_GIVEN) return dflt;
  throw new Error(`${MOD}.get: "${key}" is not set in the environment (KeyError upstream); set it with environ.set({ ${key}: … }) or environ.context({ ${key}: … }, fn)`);
}

/** environ.get_dt(): the numerical integration step. */
export function get_dt(): number {
  return get('dt') as number;
}

/** environ.all(): every setting now in force, innermost winning. */
export function all(): Record<string, unknown> {
  return Object.assign({}, globals, ...stack);
}

/** environ.context(settings, fn): Python's `with environ.context(**settings): fn()`. Returns fn's result. */
export function context<R>(settings: Record<string, unknown>, fn: () => R): R {
  const o = checkSettings(`${MOD}.context`, settings);
  if (typeof fn !== 'function') fail(`${MOD}.context`, 'fn', 'a function to run inside the context', fn);
  const layer: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) layer[k] = v;
  stack.push(layer);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

/** @internal Tests only: clears contexts and restores the defaults. */
export function _reset_for_tests(): void {
  stack.length = 0;
  for (const k of Object.keys(globals)) delete globals[k];
  globals.dt = 0.1;
}

