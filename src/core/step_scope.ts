/**
 * Step scopes: the temporaries of a simulation loop. Inside a JAX scan (BrainPy's bm.for_loop opens a scope) a value
 * that a step computes and does not return has no identity beyond that step — keeping one across steps is an
 * UnexpectedTracerError there. Kernels whose outputs are such temporaries (event-driven products, delay snapshots) take
 * their arrays from the innermost open scope; the loop calls `next()` when a step is over (after copying what the step
 * returned) and those arrays are handed out again, zeroed, instead of allocating fresh ones each step (which costs a
 * few microseconds and a share of every garbage collection).
 *
 * A step that recorded an autograd graph may have saved a temporary for its backward pass: its arrays are then left to
 * the garbage collector, never reused. Outside a scope `scratch` allocates.
 */
import { Node } from './autograd';

type Arr = Float32Array | Float64Array | Uint8Array;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor;

export class StepScope {
  private readonly free = new Map<Ctor, Map<number, Arr[]>>();
  // the arrays handed out this step: the first nUsed entries (a count, so that a step's end sets no array length)
  private readonly used: (Arr | null)[] = [];
  private nUsed = 0;
  private nodes = Node.created;

  /** An array from this scope's pool: zeroed, or with any contents when `zero` is false (the caller overwrites it). */
  take<C extends Ctor>(ctor: C, n: number, zero = true): InstanceType<C> {
    let byLen = this.free.get(ctor);
    if (byLen === undefined) { byLen = new Map(); this.free.set(ctor, byLen); }
    const list = byLen.get(n);
    let a: Arr;
    if (list !== undefined && list.length > 0) { a = list.pop()!; if (zero) a.fill(0); } else { a = new ctor(n); pooled.add(a); }
    this.used[this.nUsed++] = a;
    return a as InstanceType<C>;
  }

  /** The step is over: its arrays return to the pool (unless the step recorded an autograd graph). */
  next(): void {
    const used = this.used, m = this.nUsed;
    if (Node.created === this.nodes) {
      for (let k = 0; k < m; k++) {
        const a = used[k]!;
        const byLen = this.free.get(a.constructor as Ctor)!;
        const list = byLen.get(a.length);
        if (list === undefined) byLen.set(a.length, [a]); else list.push(a);
      }
    } else used.fill(null, 0, m); // left to the garbage collector: not held here either
    this.nUsed = 0;
    this.nodes = Node.created;
  }
}

const scopes: StepScope[] = [];
const pooled = new WeakSet<object>();

/**
 * Whether `buffer` is a step temporary's array, reused after its step: what keeps a value by reference across steps
 * (brainstate's State, which JAX makes a scan carry) copies such a value first.
 */
export function isScratch(buffer: object): boolean {
  return pooled.has(buffer);
}

/** Runs `body(scope)` with a new innermost step scope (closed when body returns or throws). */
export function withStepScope<T>(body: (scope: StepScope) => T): T {
  const s = new StepScope();
  scopes.push(s);
  try { return body(s); } finally { scopes.pop(); }
}

/**
 * An array of n elements from the innermost step scope's pool, or freshly allocated outside any scope: zeroed, or (with
 * `zero` false, for a caller that overwrites all of it) with any contents.
 */
export function scratch<C extends Ctor>(ctor: C, n: number, zero = true): InstanceType<C> {
  const s = scopes.length ? scopes[scopes.length - 1] : null;
  return s !== null ? s.take(ctor, n, zero) : (new ctor(n) as InstanceType<C>);
}
