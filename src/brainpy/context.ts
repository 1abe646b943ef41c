/**
 * brainpy.context.share (BrainPy 2.x): data shared across one step of a model (`t`, `i`, `dt`, `fit`, …).
 *
 *     bp.share.save(fit=True)            bp.share.save({ fit: true })
 *     share.load('fit', False)           share.load('fit', false)
 *
 * bp.dnn.Dense records its input and output into `fit_record` when `share.load('fit', false)` is true and an online
 * or offline fitting algorithm is attached (what BrainPy's trainers set up).
 */

const NOT_PROVIDED: unique symbol = Symbol('NOT_PROVIDED');

class ShareContext {
  private data = new Map<string, unknown>();

  /** save({ key: value, … }): stores shared values (Python: share.save(key=value, …)). */
  save(values: Record<string, unknown>): void {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new Error(`share.save: expected an object of key/value pairs, got ${values === null ? 'null' : typeof values}`);
    }
    for (const k in values) if (Object.prototype.hasOwnProperty.call(values, k)) this.data.set(k, values[k]); // no entries array per step
  }

  /** load(key, default?): the stored value; without a default a missing key raises. */
  load<T = unknown>(key: string, value: T | typeof NOT_PROVIDED = NOT_PROVIDED): T {
    if (typeof key !== 'string') throw new Error(`share.load: key must be a string, got ${typeof key}`);
    const v = this.data.get(key); // one lookup in the usual case (a step reads t, i and dt several times)
    if (v !== undefined || this.data.has(key)) return v as T;
    if (value !== NOT_PROVIDED) return value;
    throw new Error(`share.load: cannot find shared data of ${JSON.stringify(key)}; saved keys are [${[...this.data.keys()].join(', ')}]`);
  }

  /** All shared values as a plain object. */
  get_shargs(): Record<string, unknown> { return Object.fromEntries(this.data); }

  /** clear_shargs(...keys): removes the given keys, or everything when none is given. */
  clear_shargs(...keys: string[]): void {
    if (keys.length === 0) this.data.clear();
    else for (const k of keys) this.data.delete(k);
  }
}

export type { ShareContext };

/** The global shared-data context (`bp.share`). */
export const share = new ShareContext();
