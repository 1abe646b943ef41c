/**
 * brainpy.math.object_transform.controls.for_loop (BrainPy 2.x `bm.for_loop`): runs `body` once per element of the
 * operands' leading axis and stacks what it returns.
 *
 *     spks = bm.for_loop(lambda i: model.step_run(i, 20.), indices)
 *     const spks = bm.for_loop((i) => model.step_run(i, 20), indices);
 *
 * - `operands`: a Tensor, a JS array of numbers, or an array (tuple) of those; all with the same leading length T.
 *   The body receives one element of each: a 0-d (or lower-rank) Tensor view for Tensor operands, a number for
 *   number arrays (step_run accepts both).
 * - What the body returns each step is copied (a snapshot: models return their state variables, which the next step
 *   overwrites) and stacked along a new leading axis: a Tensor → a Tensor of shape [T, ...]; a number or boolean →
 *   a float32 / bool Tensor of shape [T]; arrays and plain objects of those → the same structure of stacked results;
 *   undefined / null → undefined. The shape and dtype must stay the same on every step.
 * - As in JAX, where the body runs as one traced scan step, values a step computes and does not return are temporaries:
 *   event-driven products (bm.jitconn / bp.dnn event layers) and delay reads inside the body reuse their arrays on
 *   the next step (core/step_scope.ts). Keep a value beyond its step by returning it (or copying it, `.clone()`), not by
 *   storing it aside — in BrainPy that is a leaked tracer. Steps that record an autograd graph reuse nothing.
 * - Options (BrainPy's keyword arguments): `reverse` (iterate from the last element; results keep their operand
 *   positions, as jax.lax.scan does), `progress_bar` (true, or a number of updates, prints progress to stderr),
 *   and `unroll`, `remat`, `jit`, `unroll_kwargs`, which only tune JAX compilation and are accepted and ignored.
 */
import { Tensor } from '../../torch/index';
import { describe, fail, isPlainObject } from '../../torch/utils/checks';
import { withStepScope } from '../../torch/utils/kernels';

export interface ForLoopOptions {
  reverse?: boolean;
  unroll?: number;
  remat?: boolean;
  jit?: boolean | null;
  progress_bar?: boolean | number;
  unroll_kwargs?: unknown;
}

const FOR_LOOP_KEYS = ['reverse', 'unroll', 'remat', 'jit', 'progress_bar', 'unroll_kwargs'];

type Operand = Tensor | readonly number[];

function lengthOf(fn: string, op: unknown, where: string): number {
  if (op instanceof Tensor) {
    if (op.ndim === 0) fail(fn, where, 'a Tensor with a leading (time) axis', op);
    return op.shape[0];
  }
  if (Array.isArray(op) && op.every((x) => typeof x === 'number')) return op.length;
  return fail(fn, where, 'a Tensor or an array of numbers', op);
}

/** A collector for one leaf of the body's output tree. */
class Stacker {
  private buf: Float32Array | Float64Array | Int32Array | Uint8Array | null = null;
  private shape: number[] = [];
  private dtype: Tensor['dtype'] = 'float32';
  private n = 0;
  constructor(private readonly T: number, private readonly path: string) {}

  put(k: number, v: unknown): void {
    let t: Tensor;
    if (v instanceof Tensor) t = v;
    else if (typeof v === 'number') t = Tensor.fromBuffer(Float32Array.of(v), [], 'float32');
    else if (typeof v === 'boolean') t = Tensor.fromBuffer(Uint8Array.of(v ? 1 : 0), [], 'bool');
    else return fail('bm.for_loop', `the body's output${this.path}`, 'a Tensor, a number, a boolean, or arrays/objects of them', v);
    if (this.buf === null) {
      this.shape = t.shape.slice();
      this.dtype = t.dtype;
      this.n = t.numel();
      const Ctor = (t.buffer as any).constructor as new (n: number) => Float32Array | Float64Array | Int32Array | Uint8Array;
      this.buf = new Ctor(this.T * this.n);
    } else if (t.dtype !== this.dtype || t.shape.length !== this.shape.length || t.shape.some((s, i) => s !== this.shape[i])) {
      throw new Error(`bm.for_loop: the body's output${this.path} must keep its shape and dtype across steps: step 0 gave ${this.dtype} [${this.shape.join(', ')}], step ${k} gave ${t.dtype} [${t.shape.join(', ')}]`);
    }
    const c = t.is_contiguous() ? t : t.contiguous();
    (this.buf as any).set(c.buffer.subarray(c.offset, c.offset + this.n), k * this.n);
  }

  result(): Tensor { return Tensor.fromBuffer(this.buf!, [this.T, ...this.shape], this.dtype); }
}

type Tree = { kind: 'leaf'; s: Stacker } | { kind: 'none' } | { kind: 'array'; items: Tree[] } | { kind: 'object'; keys: string[]; items: Tree[] };

function build(v: unknown, T: number, path: string): Tree {
  if (v === undefined || v === null) return { kind: 'none' };
  if (Array.isArray(v)) return { kind: 'array', items: v.map((x, i) => build(x, T, `${path}[${i}]`)) };
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    return { kind: 'object', keys, items: keys.map((key) => build((v as Record<string, unknown>)[key], T, `${path}.${key}`)) };
  }
  return { kind: 'leaf', s: new Stacker(T, path) };
}

/** Row k of a for_loop operand. */
function slice(op: Tensor | readonly number[], k: number): Tensor | number {
  return op instanceof Tensor ? op.select(0, k) : op[k];
}

function put(tree: Tree, v: unknown, k: number, path: string): void {
  switch (tree.kind) {
    case 'leaf': tree.s.put(k, v); return;
    case 'none':
      if (v !== undefined && v !== null) throw new Error(`bm.for_loop: the body's output${path} was undefined on the first step but ${describe(v)} on step ${k}`);
      return;
    case 'array':
      if (!Array.isArray(v) || v.length !== tree.items.length) throw new Error(`bm.for_loop: the body's output${path} must keep its structure across steps (an array of length ${tree.items.length}), got ${describe(v)} on step ${k}`);
      tree.items.forEach((t, i) => put(t, v[i], k, `${path}[${i}]`));
      return;
    case 'object':
      if (!isPlainObject(v)) throw new Error(`bm.for_loop: the body's output${path} must keep its structure across steps, got ${describe(v)} on step ${k}`);
      tree.items.forEach((t, i) => put(t, (v as Record<string, unknown>)[tree.keys[i]], k, `${path}.${tree.keys[i]}`));
      return;
  }
}

function finish(tree: Tree): unknown {
  switch (tree.kind) {
    case 'leaf': return tree.s.result();
    case 'none': return undefined;
    case 'array': return tree.items.map(finish);
    case 'object': return Object.fromEntries(tree.keys.map((k, i) => [k, finish(tree.items[i])]));
  }
}

/** bm.for_loop(body_fun, operands, { reverse, progress_bar, … }). */
export function for_loop(body: (...args: any[]) => any, operands: Operand | readonly Operand[], options?: ForLoopOptions): any {
  const fn = 'bm.for_loop';
  if (typeof body !== 'function') fail(fn, 'body_fun', 'a function', body);
  if (options !== undefined && options !== null) {
    if (!isPlainObject(options)) fail(fn, 'options', `an object with keys ${FOR_LOOP_KEYS.join(', ')}`, options);
    for (const k of Object.keys(options)) if (!FOR_LOOP_KEYS.includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of ${FOR_LOOP_KEYS.join(', ')}`);
  }
  const o = options ?? {};
  const reverse = o.reverse ?? false;
  if (typeof reverse !== 'boolean') fail(fn, 'reverse', 'a boolean', reverse);
  const pb = o.progress_bar ?? false;
  if (!(typeof pb === 'boolean' || (typeof pb === 'number' && Number.isInteger(pb) && pb > 0))) fail(fn, 'progress_bar', 'a boolean or a positive integer', pb);

  // a single Tensor or number array, or a tuple (JS array) of them
  const isTuple = Array.isArray(operands) && !(operands as unknown[]).every((x) => typeof x === 'number');
  const ops: Operand[] = isTuple ? (operands as Operand[]).slice() : [operands as Operand];
  if (isTuple && ops.length === 0) fail(fn, 'operands', 'a non-empty tuple of Tensors', operands);
  const T = lengthOf(fn, ops[0], isTuple ? 'operands[0]' : 'operands');
  ops.forEach((op, j) => {
    const L = lengthOf(fn, op, isTuple ? `operands[${j}]` : 'operands');
    if (L !== T) throw new Error(`${fn}: all operands must have the same leading length; operands[0] has ${T}, operands[${j}] has ${L}`);
  });

  const updates = pb === true ? 10 : pb === false ? 0 : pb;
  const report = (done: number): void => {
    const line = `bm.for_loop: ${done}/${T} (${Math.round((100 * done) / Math.max(T, 1))}%)\n`;
    if (typeof process !== 'undefined' && process.stderr) process.stderr.write(line);
    else console.error(line.trimEnd());
  };

  let tree: Tree | null = null;
  withStepScope((scope) => {
    for (let s = 0; s < T; s++) {
      const k = reverse ? T - 1 - s : s;
      const out = ops.length === 1 ? body(slice(ops[0], k)) : body(...ops.map((op) => slice(op, k))); // one operand: no array per step
      if (tree === null) tree = build(out, T, '');
      put(tree, out, k, '');
      scope.next(); // the step's results are copied: its temporaries may be reused (see the header)
      if (updates > 0 && ((s + 1) % Math.max(1, Math.floor(T / updates)) === 0 || s + 1 === T)) report(s + 1);
    }
  });
  if (tree === null) return undefined;
  return finish(tree);
}
