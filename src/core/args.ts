/**
 * Python-style argument lists (DESIGN §3): positional arguments stay positional, keyword arguments go in a trailing
 * options object with the same names. Shared by every ported function and module constructor.
 */
import { checkOptions } from './errors';

/** Options given as a plain object (not a Tensor, Module, Map, Set, array or typed array). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** All prefixes of a tuple type: [] | [A] | [A, B] | … */
type Prefixes<P extends unknown[]> = P extends [...infer H, unknown] ? Prefixes<H> | P : [];
type WithOpts<Q, O> = Q extends unknown[] ? Q | [...Q, O] : never;
/**
 * The trailing arguments of a ported Python function: any prefix of its optional positional parameters, then
 * optionally an options object holding any of them by name (`f(x, 0.2)`, `f(x, 0.2, { inplace: true })`, `f(x, { … })`).
 */
export type PyRest<P extends unknown[], O> = WithOpts<Prefixes<P>, O>;

/**
 * The whole argument list of a ported Python function whose `R` parameters are required and `O` optional: any prefix
 * of [...R, ...O], then optionally an object holding any parameter by name, required ones included (Python's
 * `f(1, 2, prob=0.1)`, `f(num_in=1, num_out=2, prob=0.1)`). Missing required ones raise at run time.
 */
export type PyCall<R extends unknown[], O extends unknown[], K> = PyRest<[...R, ...O], K>;

/**
 * Python-style arguments: leading positional values, then an optional trailing options object with the same names.
 * pyArgs('f', ['prefix', 'recurse'], rest) -> { prefix, recurse } (undefined where not given). Unknown keys, too many
 * positional values and an argument given twice raise.
 *
 * With `required` > 0 the first `required` names are required parameters and `rest` is the whole argument list
 * (type it with PyCall): each required one may come positionally or by keyword, and one given neither way raises
 * Python's "missing required argument 'prob'". `undefined` counts as not given, `null` (Python's None) as given.
 */
export function pyArgs<T extends object = Record<string, any>>(
  fn: string, names: readonly string[], rest: readonly unknown[], required = 0,
): Partial<T> & Record<string, any> {
  const list = rest.slice();
  while (list.length && list[list.length - 1] === undefined) list.pop();
  let opts: Record<string, unknown> = {};
  if (list.length && isPlainObject(list[list.length - 1])) opts = checkOptions(fn, list.pop() as Record<string, unknown>, names) as Record<string, unknown>;
  if (list.length > names.length) {
    throw new Error(required > 0
      ? `${fn}: takes at most ${names.length} positional arguments (${names.join(', ')}), got ${list.length}`
      : `${fn}: takes at most ${names.length} optional positional arguments (${names.join(', ')}), got ${list.length}`);
  }
  const out: Record<string, any> = {};
  names.forEach((n, i) => {
    if (i < list.length && list[i] !== undefined) {
      if (isPlainObject(list[i])) throw new Error(`${fn}: the options object must be the last argument, got one in the position of ${n}`);
      if (opts[n] !== undefined) throw new Error(`${fn}: got multiple values for argument '${n}' (positionally and in the options object)`);
      out[n] = list[i];
    } else out[n] = opts[n];
  });
  const missing = names.slice(0, required).filter((n) => out[n] === undefined);
  if (missing.length === 1) throw new Error(`${fn}: missing required argument '${missing[0]}'`);
  if (missing.length > 1) {
    const q = missing.map((n) => `'${n}'`);
    throw new Error(`${fn}: missing ${missing.length} required arguments: ${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`);
  }
  return out as Partial<T> & Record<string, any>;
}
