/**
 * brainpy.math.Variable and brainpy.math.TrainVar (BrainPy 2.x), as spikeport tensors.
 *
 *     self.W = bm.TrainVar(W)            this.W = new bm.TrainVar(W);
 *     self.W.value = new_w               this.W.value = new_w;
 *
 * - `Variable(value)` is a Tensor that owns a copy of `value` (BrainPy's Variable wraps an immutable JAX array, so it
 *   never aliases the data it was built from). It does not require grad.
 * - `TrainVar(value)` is an `nn.Parameter` (requires_grad = true) holding a copy of `value`: a layer that stores one
 *   in a property exposes it through `parameters()` / `state_dict()`, so spikeport autograd and optimizers train it.
 *   `x instanceof bm.Variable` is true for TrainVars too, as in BrainPy (TrainVar subclasses Variable there).
 * - `.value` reads a detached snapshot (a copy, as BrainPy's `.value` gives an immutable array); assigning `.value`
 *   writes new data in place, outside autograd. The new value must have the same shape and dtype (BrainPy raises
 *   MathError otherwise; spikeport raises an Error naming both).
 */
import { type DType, Tensor, no_grad, tensor } from '../../torch/index';
import { Parameter } from '../../torch/nn/index';

type NestedArray = number | boolean | NestedArray[];
export type VariableInit = Tensor | NestedArray;

function toOwnedTensor(fn: string, value: unknown, dtype?: DType): Tensor {
  let t: Tensor;
  if (value instanceof Tensor) t = value.detach().clone();
  else if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value)) t = tensor(value as NestedArray);
  else throw new Error(`${fn}: value must be a Tensor, a number or a nested array, got ${value === null ? 'null' : typeof value}`);
  if (dtype !== undefined && t.dtype !== dtype) t = t.to(dtype);
  return t.contiguous();
}

function assign(fn: string, self: Tensor, v: unknown): void {
  if (!(v instanceof Tensor)) {
    if (typeof v === 'number' && self.ndim === 0) v = tensor(v).to(self.dtype);
    else throw new Error(`${fn}: the new value must be a Tensor, got ${v === null ? 'null' : typeof v}`);
  }
  const t = v as Tensor;
  if (t.shape.length !== self.shape.length || t.shape.some((s, i) => s !== self.shape[i])) {
    throw new Error(`${fn}: the shape of the original data is [${self.shape.join(', ')}], while we got [${t.shape.join(', ')}]`);
  }
  if (t.dtype !== self.dtype) throw new Error(`${fn}: the dtype of the original data is ${self.dtype}, while we got ${t.dtype}`);
  if (t === self) return;
  no_grad(() => { self.copy_(t); });
}

/** brainpy.math.Variable: a mutable array state. */
export class Variable extends Tensor {
  /** Variable(value, { dtype }): owns a contiguous copy of value. */
  constructor(value: VariableInit, options?: { dtype?: DType }) {
    if (options !== undefined && (typeof options !== 'object' || options === null || Object.keys(options).some((k) => k !== 'dtype'))) {
      throw new Error('bm.Variable: options must be an object with the key dtype');
    }
    const t = toOwnedTensor('bm.Variable', value, options?.dtype);
    super(t.buffer, t.shape.slice(), t._stride.slice(), t.offset, t.dtype);
  }

  /** A detached copy of the current data. */
  get value(): Tensor { return this.detach().clone(); }
  set value(v: Tensor) { assign('bm.Variable.value', this, v); }

  /** BrainPy's `var.update(value)`: the same as assigning `.value`. */
  update(value: Tensor): void { assign('bm.Variable.update', this, value); }

  /** `x instanceof bm.Variable` also holds for TrainVars (BrainPy: TrainVar is a Variable subclass). */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, x) || (this === Variable && x instanceof TrainVar);
  }
}

/** brainpy.math.TrainVar: a trainable variable; here an nn.Parameter (requires_grad) holding a copy of value. */
export class TrainVar extends Parameter {
  constructor(value: VariableInit, options?: { dtype?: DType }) {
    if (options !== undefined && (typeof options !== 'object' || options === null || Object.keys(options).some((k) => k !== 'dtype'))) {
      throw new Error('bm.TrainVar: options must be an object with the key dtype');
    }
    const t = toOwnedTensor('bm.TrainVar', value, options?.dtype);
    if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new Error(`bm.TrainVar: only floating point values can be trained, got dtype ${t.dtype}`);
    super(t, true);
  }

  get value(): Tensor { return this.detach().clone(); }
  set value(v: Tensor) { assign('bm.TrainVar.value', this, v); }

  update(value: Tensor): void { assign('bm.TrainVar.update', this, value); }

  override toString(): string { return `TrainVar containing:\n${Tensor.prototype.toString.call(this)}`; }
}

/** Whether x is a bm.Variable (TrainVars included). */
export function is_variable(x: unknown): x is Variable | TrainVar {
  return x instanceof Variable || x instanceof TrainVar;
}
