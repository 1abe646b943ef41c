/**
 * brainpy.mixin (BrainPy 2.x): `ParamDescriber`, the delayed constructor that `Cls.desc(...)` returns.
 *
 *     syn = bp.dyn.Expon.desc(4000, tau=5.)          const syn = bp.dyn.Expon.desc(4000, { tau: 5 });
 *     out = bp.dyn.COBA.desc(E=0.)                   const out = bp.dyn.COBA.desc({ E: 0 });
 *     syn()                                          syn.call()   // builds an Expon(4000, { tau: 5 })
 *
 * Merging projections (the *Mg* align-post projections) share one synapse/output instance per `identifier`: two
 * descriptors are merged when they describe the same class with equal arguments. Numbers, strings, booleans, null,
 * arrays and plain objects compare by value; anything else (Tensors, initializers, functions) by identity, so
 * `Expon.desc(n, { tau: 5 })` twice gives the same identifier, as BrainPy's `(cls, args, kwargs)` tuple does.
 */

const objectIds = new WeakMap<object, number>();
let nextId = 0;

function idOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) { id = nextId++; objectIds.set(o, id); }
  return id;
}

function key(x: unknown): string {
  if (x === undefined) return 'u';
  if (x === null) return 'n';
  if (typeof x === 'number') return Object.is(x, -0) ? 'd-0' : `d${String(x)}`;
  if (typeof x === 'string') return `s${JSON.stringify(x)}`;
  if (typeof x === 'boolean') return x ? 'T' : 'F';
  if (Array.isArray(x)) return `[${x.map(key).join(',')}]`;
  if (typeof x === 'object') {
    const p = Object.getPrototypeOf(x);
    if (p === Object.prototype || p === null) {
      const ks = Object.keys(x as object).filter((k) => (x as Record<string, unknown>)[k] !== undefined).sort();
      return `{${ks.map((k) => `${JSON.stringify(k)}:${key((x as Record<string, unknown>)[k])}`).join(',')}}`;
    }
    return `#${idOf(x as object)}`;
  }
  if (typeof x === 'function') return `f${idOf(x)}`;
  return `?${String(x)}`;
}

/** A class plus the arguments to build it later (BrainPy's ParamDescriber; Python's `describer()` is `.call()`). */
export class ParamDescriber<T = unknown> {
  readonly cls: new (...args: any[]) => T;
  readonly args: readonly unknown[];
  /** Equal for descriptors of the same class with equal arguments (the key *Mg* projections merge on). */
  readonly identifier: string;

  constructor(cls: new (...args: any[]) => T, ...args: unknown[]) {
    if (typeof cls !== 'function') throw new Error(`ParamDescriber: cls must be a class, got ${typeof cls}`);
    this.cls = cls;
    this.args = args;
    this.identifier = `${cls.name}#${idOf(cls)}(${args.map(key).join(',')})`;
  }

  /** Python's `describer(*args)`: builds an instance; extra arguments are appended to the described ones. */
  call(...extra: unknown[]): T { return new this.cls(...this.args, ...extra); }

  /** Same as call() (BrainPy's `init`). */
  init(...extra: unknown[]): T { return this.call(...extra); }

  toString(): string { return `ParamDescriber(${this.cls.name})`; }
}

/** Whether x is a ParamDescriber (optionally of a subclass of `cls`). */
export function is_desc(x: unknown, cls?: abstract new (...args: any[]) => unknown): x is ParamDescriber {
  if (!(x instanceof ParamDescriber)) return false;
  return cls === undefined || x.cls === cls || x.cls.prototype instanceof cls;
}
