/**
 * brainstate.compile (brainstate 0.1.10): for_loop.
 *
 *     outs = brainstate.compile.for_loop(step, indices, inputs, pbar=brainstate.compile.ProgressBar(10))   (Python)
 *     const outs = compile.for_loop(step, indices, inputs, { pbar: true })                                (TypeScript)
 *
 * Calls fn(xs_0[k], xs_1[k], …) for k = 0 … n−1 (xs: Tensors sliced along axis 0, arrays or typed arrays, all of the
 * same length; a trailing plain object is the options) and stacks what fn returns along a new axis 0: a Tensor → a
 * Tensor, a number → a float32 Tensor, an array (tuple) or plain object → the same structure of stacked leaves,
 * undefined/null → null. No compilation happens (spikeport runs eagerly); `pbar` (true, or a number of updates) prints progress to stderr.
 */
import * as torch from '../torch/index';
import { checkOptions, fail, isPlainObject } from '../torch/utils/checks';

type Tensor = torch.Tensor;
type Seq = Tensor | ArrayLike<unknown>;

function lengthOf(x: Seq, k: number): number {
  if (x instanceof torch.Tensor) {
    if (x.ndim === 0) fail('brainstate.compile.for_loop', `xs[${k}]`, 'a Tensor with at least one dimension', x);
    return x.shape[0];
  }
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return (x as ArrayLike<unknown>).length;
  fail('brainstate.compile.for_loop', `xs[${k}]`, 'a Tensor, an array or a typed array', x);
}

function stackTree(fn: string, outs: unknown[], path: string): unknown {
  const first = outs[0];
  if (first === undefined || first === null) return null;
  if (first instanceof torch.Tensor) {
    outs.forEach((o, k) => { if (!(o instanceof torch.Tensor) || o.shape.join() !== first.shape.join()) fail(fn, `the result${path} at step ${k}`, `a Tensor of shape [${first.shape.join(', ')}] like step 0`, o); });
    return torch.stack(outs as Tensor[]);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    outs.forEach((o, k) => { if (typeof o !== typeof first) fail(fn, `the result${path} at step ${k}`, `a ${typeof first} like step 0`, o); });
    return typeof first === 'number' ? torch.from_typed_array(Float32Array.from(outs as number[])) : torch.tensor(outs as boolean[]);
  }
  if (Array.isArray(first)) {
    return first.map((_, j) => stackTree(fn, outs.map((o, k) => {
      if (!Array.isArray(o) || o.length !== first.length) fail(fn, `the result${path} at step ${k}`, `an array of length ${first.length} like step 0`, o);
      return o[j];
    }), `${path}[${j}]`));
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = stackTree(fn, outs.map((o, k) => {
        if (!isPlainObject(o) || !(key in o)) fail(fn, `the result${path} at step ${k}`, `an object with key ${key} like step 0`, o);
        return (o as Record<string, unknown>)[key];
      }), `${path}.${key}`);
    }
    return out;
  }
  fail(fn, `the result${path}`, 'a Tensor, number, boolean, array, plain object or undefined', first);
}

/** for_loop(fn, ...xs, { pbar }?): runs fn over the leading axis of xs and stacks its results. */
export function for_loop(fn: (...args: any[]) => unknown, ...rest: unknown[]): any {
  const name = 'brainstate.compile.for_loop';
  if (typeof fn !== 'function') fail(name, 'f', 'a function', fn);
  let xs = rest;
  let updates = 0;
  if (xs.length && isPlainObject(xs[xs.length - 1])) {
    const o = checkOptions(name, xs[xs.length - 1] as Record<string, unknown>, ['pbar']);
    if (o.pbar !== undefined && o.pbar !== null && typeof o.pbar !== 'boolean' && !(typeof o.pbar === 'number' && Number.isInteger(o.pbar) && o.pbar > 0)) {
      fail(name, 'pbar', 'a boolean, a positive integer (the number of progress updates) or null', o.pbar);
    }
    updates = o.pbar === true ? 10 : typeof o.pbar === 'number' ? o.pbar : 0;
    xs = xs.slice(0, -1);
  }
  if (xs.length === 0) throw new Error(`${name}: needs at least one sequence to loop over (xs)`);
  const lens = xs.map((x, k) => lengthOf(x as Seq, k));
  if (lens.some((l) => l !== lens[0])) throw new Error(`${name}: all xs must have the same length along axis 0, got ${lens.join(', ')}`);
  const outs: unknown[] = [];
  for (let k = 0; k < lens[0]; k++) {
    const args = xs.map((x) => (x instanceof torch.Tensor ? x.select(0, k) : (x as ArrayLike<unknown>)[k]));
    outs.push(fn(...args));
    if (updates > 0 && ((k + 1) % Math.max(1, Math.floor(lens[0] / updates)) === 0 || k + 1 === lens[0])) {
      const line = `${name}: ${k + 1}/${lens[0]} (${Math.round((100 * (k + 1)) / lens[0])}%)`;
      if (typeof process !== 'undefined' && process.stderr) process.stderr.write(line + '\n');
      else console.error(line);
    }
  }
  if (outs.length === 0) return null;
  return stackTree(name, outs, '');
}
