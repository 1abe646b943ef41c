/**
 * brainstate._state (brainstate 0.1.10): State, HiddenState, ShortTermState — a named box holding a value.
 *
 *     self.V = brainstate.HiddenState(jnp.zeros(n));  self.V.value          (Python)
 *     this.V = new HiddenState(torch.zeros(n));        this.V.value          (TypeScript)
 *
 * Assigning `.value` replaces the held value (JAX arrays are immutable; the dynamics here never write into a value they
 * handed out, so tensors a user kept from an earlier step stay as they were). A step temporary of bm.for_loop (an
 * array reused on the next step, core/step_scope.ts) is copied when assigned: a State is a scan carry.
 */
import * as torch from '../torch/index';
import { fail } from '../torch/utils/checks';
import { isScratch } from '../torch/utils/kernels';

export class State<T = torch.Tensor> {
  private _value: T;

  constructor(value: T) {
    if (value === undefined) fail(`${new.target.name}`, 'value', 'a value', value);
    this._value = (value instanceof torch.Tensor && isScratch(value.buffer) ? value.clone() : value) as T;
  }

  get value(): T { return this._value; }
  set value(v: T) {
    if (v === undefined) fail(`${this.constructor.name}.value`, 'the assigned value', 'a value', v);
    // a step temporary (inside bm.for_loop its array is reused next step) becomes a carry here: keep a copy
    this._value = (v instanceof torch.Tensor && isScratch(v.buffer) ? v.clone() : v) as T;
  }
}

/** A state carried across time steps (membrane potentials, conductances). */
export class HiddenState<T = torch.Tensor> extends State<T> {}

/** A short-lived state (spike times, delay buffers). */
export class ShortTermState<T = torch.Tensor> extends State<T> {}
