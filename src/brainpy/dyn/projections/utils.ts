/**
 * What the bp.dyn projections share (BrainPy's brainpy/_src/dyn/projections/utils.py holds `_get_return`; the
 * argument checks are spikeport's): the comm call, argument parsing (Python's positional order or one keyword
 * object) and checks with clear errors.
 */
import { Tensor } from '../../../torch/index';
import { fail, isPlainObject } from '../../../torch/utils/checks';
import { DynamicalSystem } from '../../dynsys';
import type { Mode } from '../../math/modes';
import { Variable } from '../../math/variables';
import type { SynOut } from '../outs';

export type Comm = { call(x: Tensor): Tensor } | ((x: Tensor) => Tensor);

/** comm(x), which must give a Tensor (`who`: the projection class, for the error). */
export function callComm(who: string, comm: Comm, x: Tensor): Tensor {
  const r = typeof comm === 'function' ? comm(x) : comm.call(x);
  if (!(r instanceof Tensor)) throw new Error(`bp.dyn.${who}: comm must return a Tensor, got ${typeof r}`);
  return r;
}

export function checkComm(fn: string, comm: unknown): Comm {
  if (typeof comm === 'function') return comm as Comm;
  if (typeof comm === 'object' && comm !== null && typeof (comm as { call?: unknown }).call === 'function') return comm as Comm;
  return fail(fn, 'comm', 'a layer (an object with call(x)) or a function', comm);
}

export function checkDS(fn: string, arg: string, x: unknown): DynamicalSystem {
  if (!(x instanceof DynamicalSystem)) fail(fn, arg, 'a bp.DynamicalSystem', x);
  return x as DynamicalSystem;
}

export function checkLabel(fn: string, label: unknown): string | null {
  if (label === undefined || label === null) return null;
  if (typeof label !== 'string') fail(fn, 'out_label', 'a string or null', label);
  return label as string;
}

export function checkDelay(fn: string, delay: unknown): number | null {
  if (delay === undefined || delay === null) return null;
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) fail(fn, 'delay', 'null or a non-negative number (ms)', delay);
  return delay as number;
}

/** `out` as a synaptic output instance; `descOk`: the caller builds descriptors first (so the error mentions them). */
export function checkOutInstance(fn: string, out: unknown, descOk: boolean): SynOut {
  if (!(out instanceof DynamicalSystem) || typeof (out as { bind_cond?: unknown }).bind_cond !== 'function') {
    return fail(fn, 'out', descOk ? 'a synaptic output with bind_cond (bp.dyn.COBA / CUBA or its .desc(...))' : 'a synaptic output instance with bind_cond (bp.dyn.COBA / CUBA; not a .desc(...))', out);
  }
  return out as SynOut;
}

export interface ProjOptions { name?: string | null; mode?: Mode | null }

/** Positional (Python order) or one keyword object → the keyword object. */
export function parseArgs(fn: string, order: readonly string[], args: unknown[]): Record<string, unknown> {
  if (args.length === 1 && isPlainObject(args[0]) && 'comm' in (args[0] as object)) {
    const o = args[0] as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!order.includes(k)) throw new Error(`${fn}: unknown argument ${JSON.stringify(k)}; expected one of ${order.join(', ')}`);
    return o;
  }
  const positional = order.filter((k) => k !== 'name' && k !== 'mode');
  const o: Record<string, unknown> = {};
  let rest = args;
  if (rest.length > positional.length) {
    const last = rest[rest.length - 1];
    if (!isPlainObject(last) || rest.length > positional.length + 1) throw new Error(`${fn}: expected at most ${positional.length} positional arguments (${positional.join(', ')}) and an options object { name, mode }`);
    for (const k of Object.keys(last as object)) if (k !== 'name' && k !== 'mode') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected name, mode`);
    Object.assign(o, last);
    rest = rest.slice(0, -1);
  }
  rest.forEach((v, k) => { o[positional[k]] = v; });
  return o;
}

export function projOptions(o: Record<string, unknown>): ProjOptions {
  return { name: (o.name ?? null) as string | null, mode: (o.mode ?? null) as Mode | null };
}

/** `_get_return(return_info)`: the value a synapse's return_info() names (a bm.Variable; ReturnInfo is not ported). */
export function _get_return(fn: string, info: unknown): Tensor {
  if (!(info instanceof Variable)) fail(fn, 'syn.return_info()', 'a bm.Variable', info);
  return info as Tensor;
}
