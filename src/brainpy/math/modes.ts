/**
 * brainpy.math.modes (BrainPy 2.x): the computing mode of a dynamical system or layer.
 *
 *     bp.dnn.Dense(3, 4, mode=bm.TrainingMode())        (Python)
 *     new bp.dnn.Dense(3, 4, { mode: new bm.TrainingMode() })   (TypeScript)
 *
 * - `NonBatchingMode`: inputs carry no batch axis (the default: see `bm.get_mode()` in environment.ts).
 * - `BatchingMode(batch_size = 1)`: inputs carry a leading batch axis.
 * - `TrainingMode(batch_size = 1)`: a BatchingMode whose layers hold their weights as `bm.TrainVar`s (spikeport
 *   tensors with requires_grad, registered as parameters), so autograd and optimizers see them.
 *
 * Python compares modes by class (`mode == bm.TrainingMode()`); TypeScript has no operator overloading, so that is
 * `mode.equals(other)`. `is_a`, `is_one_of`, `is_parent_of`, `is_child_of` take classes, as in Python.
 */

/** A mode class (what Python passes as `type`). */
export type ModeClass = abstract new (...args: any[]) => Mode;

function checkClasses(fn: string, modes: unknown[]): ModeClass[] {
  for (const m of modes) {
    if (typeof m !== 'function') throw new TypeError(`${fn}: the supported type must be a list of Mode classes, but got ${String(m)}`);
  }
  return modes as ModeClass[];
}

/** Base class of computation modes. */
export class Mode {
  toString(): string { return this.constructor.name; }

  /** Python's `mode == other`: true when both are instances of the same class. */
  equals(other: unknown): boolean {
    return other instanceof Mode && other.constructor === this.constructor;
  }

  /** Whether this mode's class is exactly one of `modes`. */
  is_one_of(...modes: ModeClass[]): boolean {
    return checkClasses('Mode.is_one_of', modes).some((m) => m === this.constructor);
  }

  /** Whether this mode's class is exactly `mode`. */
  is_a(mode: ModeClass): boolean {
    checkClasses('Mode.is_a', [mode]);
    return this.constructor === mode;
  }

  /** Whether this mode's class is a parent of (or equal to) at least one of `modes`. */
  is_parent_of(...modes: ModeClass[]): boolean {
    const cls = this.constructor;
    return checkClasses('Mode.is_parent_of', modes).some((m) => m === cls || m.prototype instanceof cls);
  }

  /** Whether this mode is an instance of one of `modes` (Python's isinstance). */
  is_child_of(...modes: ModeClass[]): boolean {
    return checkClasses('Mode.is_child_of', modes).some((m) => this instanceof m);
  }

  is_batch_mode(): boolean { return this instanceof BatchingMode; }
  is_train_mode(): boolean { return this instanceof TrainingMode; }
  is_nonbatch_mode(): boolean { return this instanceof NonBatchingMode; }
}

/** Normal non-batching mode (traditional computational-neuroscience models). */
export class NonBatchingMode extends Mode {
  /** BrainPy returns an empty tuple: no batch axis. */
  get batch_size(): number[] { return []; }
}

function checkBatchSize(fn: string, batch_size: unknown): number {
  if (typeof batch_size !== 'number' || !Number.isInteger(batch_size) || batch_size < 1) {
    throw new Error(`${fn}: batch_size must be a positive integer, got ${typeof batch_size === 'string' ? JSON.stringify(batch_size) : String(batch_size)}`);
  }
  return batch_size;
}

/** Batching mode: data carry a leading batch axis of size `batch_size`. */
export class BatchingMode extends Mode {
  batch_size: number;

  /** BatchingMode(batch_size = 1) or BatchingMode({ batch_size }). */
  constructor(batch_size: number | { batch_size?: number } = 1) {
    super();
    const fn = `${new.target.name}`;
    if (typeof batch_size === 'object' && batch_size !== null) {
      for (const k of Object.keys(batch_size)) if (k !== 'batch_size') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of batch_size`);
      batch_size = batch_size.batch_size ?? 1;
    }
    this.batch_size = checkBatchSize(fn, batch_size);
  }

  override toString(): string { return `${this.constructor.name}(batch_size=${this.batch_size})`; }
}

/** Training mode: batching, and the layers' weights are trainable variables (TrainVar). */
export class TrainingMode extends BatchingMode {
  to_batch_mode(): BatchingMode { return new BatchingMode(this.batch_size); }
}

/** Default instance of the non-batching computation mode. */
export const nonbatching_mode = new NonBatchingMode();
/** Default instance of the batching computation mode. */
export const batching_mode = new BatchingMode();
/** Default instance of the training computation mode. */
export const training_mode = new TrainingMode();
