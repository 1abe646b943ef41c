/**
 * brainpy.math.environment (BrainPy 2.x): the global default computing mode and time step.
 *
 *     bm.set_mode(bm.training_mode)                         bm.set_mode(bm.training_mode)
 *     with bm.environment(mode=bm.batching_mode, dt=0.05):  bm.environment({ mode: bm.batching_mode, dt: 0.05 }, () => {
 *         net = Net()                                           net = new Net();
 *                                                           });
 *     with bm.training_environment(batch_size=8): ...       bm.training_environment({ batch_size: 8 }, () => { … })
 *
 * A layer built with `mode=None` takes `bm.get_mode()` at construction time (NonBatchingMode unless changed), as in
 * BrainPy. Python's `with` blocks become callbacks: the settings hold while the callback runs (also when it throws,
 * they are restored afterwards) and the callback's return value is returned. spikeport keeps only the settings its
 * ported modules read (mode, dt); other BrainPy environment keys (x64, float_, int_, bool_, complex_, numpy_func_return)
 * raise, rather than being silently ignored.
 */
import { BatchingMode, Mode, NonBatchingMode, TrainingMode } from './modes';

interface Env { mode: Mode; dt: number }

const env: Env = { mode: new NonBatchingMode(), dt: 0.1 };

export interface EnvironmentOptions { mode?: Mode; dt?: number }

const ENV_KEYS = ['mode', 'dt'];

function checkEnv(fn: string, o: unknown): EnvironmentOptions {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object' || Array.isArray(o)) throw new Error(`${fn}: options must be an object with keys ${ENV_KEYS.join(', ')}, got ${String(o)}`);
  for (const k of Object.keys(o)) {
    if (!ENV_KEYS.includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of ${ENV_KEYS.join(', ')} (spikeport keeps only the settings its modules read)`);
  }
  const r = o as EnvironmentOptions;
  if (r.mode !== undefined && !(r.mode instanceof Mode)) throw new Error(`${fn}: mode must be a bm.Mode instance, got ${String(r.mode)}`);
  if (r.dt !== undefined && (typeof r.dt !== 'number' || !(r.dt > 0) || !Number.isFinite(r.dt))) {
    throw new Error(`${fn}: dt must be a positive finite number, got ${String(r.dt)}`);
  }
  return r;
}

/** The default mode for objects built with `mode = None`. */
export function get_mode(): Mode { return env.mode; }

/** Sets the default mode. */
export function set_mode(mode: Mode): void {
  if (!(mode instanceof Mode)) throw new Error(`bm.set_mode: mode must be a bm.Mode instance, got ${String(mode)}`);
  env.mode = mode;
}

/** The default numerical integration step (0.1 unless changed). */
export function get_dt(): number { return env.dt; }

export function set_dt(dt: number): void { set_environment({ dt }); }

/** bm.set_environment(mode=…, dt=…) / bm.set(…): changes the global defaults. */
export function set_environment(options: EnvironmentOptions): void {
  const o = checkEnv('bm.set_environment', options);
  if (o.mode !== undefined) env.mode = o.mode;
  if (o.dt !== undefined) env.dt = o.dt;
}

export { set_environment as set };

function withEnv<T>(fn: string, o: EnvironmentOptions, body: () => T): T {
  if (typeof body !== 'function') throw new Error(`${fn}: the last argument must be a function (the body of Python's with-block), got ${String(body)}`);
  const saved: Env = { ...env };
  if (o.mode !== undefined) env.mode = o.mode;
  if (o.dt !== undefined) env.dt = o.dt;
  try {
    return body();
  } finally {
    env.mode = saved.mode;
    env.dt = saved.dt;
  }
}

/** `with bm.environment(mode=…, dt=…): body` → `bm.environment({ mode, dt }, () => body)`. */
export function environment<T>(options: EnvironmentOptions | (() => T), body?: () => T): T {
  if (typeof options === 'function') return withEnv('bm.environment', {}, options);
  return withEnv('bm.environment', checkEnv('bm.environment', options), body as () => T);
}

type ModeEnvOptions = { dt?: number; batch_size?: number };

function modeEnv<T>(fn: string, make: (batch: number) => Mode, options: ModeEnvOptions | (() => T), body?: () => T): T {
  if (typeof options === 'function') { body = options; options = {}; }
  if (options === null || typeof options !== 'object') throw new Error(`${fn}: options must be an object with keys dt, batch_size, got ${String(options)}`);
  for (const k of Object.keys(options)) if (k !== 'dt' && k !== 'batch_size') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of dt, batch_size`);
  const o = checkEnv(fn, { dt: options.dt });
  return withEnv(fn, { ...o, mode: make(options.batch_size ?? 1) }, body as () => T);
}

/** `with bm.training_environment(dt=…, batch_size=1): body`: the mode is TrainingMode(batch_size) inside. */
export function training_environment<T>(options: ModeEnvOptions | (() => T), body?: () => T): T {
  return modeEnv('bm.training_environment', (b) => new TrainingMode(b), options, body);
}

/** `with bm.batching_environment(dt=…, batch_size=1): body`: the mode is BatchingMode(batch_size) inside. */
export function batching_environment<T>(options: ModeEnvOptions | (() => T), body?: () => T): T {
  return modeEnv('bm.batching_environment', (b) => new BatchingMode(b), options, body);
}
