/**
 * BrainPy object naming (brainpy.math.object_transform.naming, 2.x): objects built without a name get
 * `<ClassName><n>` with a per-class counter starting at 0 (Dense0, Dense1, …); an explicit name must be a valid
 * identifier and may be used by one living object only (BrainPy raises UniqueNameError otherwise) until
 * `bm.clear_name_cache()`. As in BrainPy 2.8 the registry holds its objects weakly, so the name of an object that has
 * been garbage-collected is free again (in JS that happens whenever the collector runs, not at once as with Python's
 * reference counting).
 */

const name2id = new Map<string, number>();
const name2obj = new Map<string, WeakRef<object>>();

/** The next automatic name for a class: `${type}${n}`. */
export function get_unique_name(type: string): string {
  const n = name2id.get(type) ?? 0;
  name2id.set(type, n + 1);
  return `${type}${n}`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks that `name` is an identifier not already taken by another object, and records it for `obj`. */
export function check_name_uniqueness(name: string, obj: object): void {
  if (typeof name !== 'string' || !IDENT.test(name)) {
    throw new Error(`${JSON.stringify(name)} isn't a valid identifier according to Python language definition. Please choose another name.`);
  }
  const other = name2obj.get(name)?.deref();
  if (other !== undefined && other !== obj) {
    throw new Error(`UniqueNameError: in BrainPy, each object should have a unique name. However, we detect that ${String(obj.constructor.name)} has a used name "${name}". If you try to run multiple trials, you may need\n\n>>> bm.clear_name_cache()\n\nto clear all cached names.`);
  }
  name2obj.set(name, new WeakRef(obj));
}

/** `unique_name(name, type)`: `name` checked for uniqueness, or an automatic name for `type`. */
export function unique_name(obj: object, name: string | null | undefined, type: string): string {
  if (name === null || name === undefined) return get_unique_name(type);
  check_name_uniqueness(name, obj);
  return name;
}

/** bm.clear_name_cache(ignore_warn = true): forgets every recorded name and resets the counters. */
export function clear_name_cache(_ignore_warn = true): void {
  name2id.clear();
  name2obj.clear();
}
