/**
 * spikingjelly.clock_driven.base (release 0.0.0.0.8): MemoryModule, the base class of every stateful module.
 *
 * A memory is a named state variable that lives outside the state_dict (a neuron's membrane potential `v`, its last
 * `spike`). `register_memory(name, value)` creates it and records a copy of `value` as its reset value; afterwards
 * it is read and written as a plain property (`this.v`, `this.v = …`), as in Python, and `reset()` puts every memory
 * back to a fresh copy of its reset value. Memories are never parameters, buffers or children: they do not appear in
 * state_dict(), parameters() or named_modules().
 *
 * Porting a MemoryModule subclass: declare the memory's type with `declare` (a TypeScript class field would shadow
 * the memory with an own property), then register it in the constructor:
 *
 *     class MyNode extends base.MemoryModule {
 *       declare v: Tensor | number;
 *       constructor() { super(); this.register_memory('v', 0.); }
 *     }
 *
 * Python's generators memories()/named_memories() return arrays here, as Module.parameters() does.
 */
import { torch, nn } from '../../index';
import { fail } from '../../torch/utils/checks';

type Tensor = torch.Tensor;

/** What a memory may hold: a tensor, a number, a boolean, a string, null (Python's None), or arrays of these. */
export type MemoryValue = Tensor | number | boolean | string | null | MemoryValue[];

function checkValue(fn: string, name: string, v: unknown, depth = 0): MemoryValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || v instanceof torch.Tensor) return v as MemoryValue;
  if (Array.isArray(v) && depth < 32) {
    v.forEach((x, i) => checkValue(fn, `${name}[${i}]`, x, depth + 1));
    return v as MemoryValue;
  }
  fail(fn, `value of memory '${name}'`, 'a Tensor, a number, a boolean, a string, null or an array of these', v);
}

/** Python's copy.deepcopy of a memory value: tensors are copied (a leaf keeps requires_grad), numbers and null kept. */
function deepcopy(fn: string, name: string, v: MemoryValue): MemoryValue {
  if (v instanceof torch.Tensor) {
    if (v.grad_fn !== null) {
      // torch: "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol"
      throw new Error(`${fn}: the value of memory '${name}' is a non-leaf tensor (it has a grad_fn); only graph leaves can be deep-copied as reset values — detach it first`);
    }
    const c = v.detach().clone();
    return v.requires_grad ? c.requires_grad_(true) : c;
  }
  if (Array.isArray(v)) return v.map((x) => deepcopy(fn, name, x));
  return v;
}

export class MemoryModule extends nn.Module {
  /** @internal memory name -> current value (registration order). Non-enumerable: invisible to the property walk. */
  declare readonly _memories: Map<string, MemoryValue>;
  /** @internal memory name -> reset value. */
  declare readonly _memories_rv: Map<string, MemoryValue>;

  constructor() {
    super();
    Object.defineProperty(this, '_memories', { value: new Map(), enumerable: false, writable: false, configurable: false });
    Object.defineProperty(this, '_memories_rv', { value: new Map(), enumerable: false, writable: false, configurable: false });
  }

  /**
   * register_memory(name, value): stores `value` as the memory `name` and a copy of it as its reset value. The memory
   * is then the property `this[name]`. As in Python, the name must not already be an attribute.
   */
  register_memory(name: string, value: MemoryValue): void {
    const fn = `${this._get_name()}.register_memory`;
    if (typeof name !== 'string' || name === '') fail(fn, 'name', 'a non-empty string', name);
    if (name in this) throw new Error(`${fn}: ${name} has been set as a member variable`);
    const v = checkValue(fn, name, value);
    const memories = this._memories;
    this._memories.set(name, v);
    this.set_reset_value(name, v);
    Object.defineProperty(this, name, {
      get: () => memories.get(name),
      set: (x: unknown) => { memories.set(name, checkValue(`${this._get_name()}.${name}`, name, x)); },
      enumerable: false,
      configurable: false,
    });
  }

  /** reset(): every memory becomes a fresh copy of its reset value. */
  reset(): void {
    const fn = `${this._get_name()}.reset`;
    for (const key of this._memories.keys()) this._memories.set(key, deepcopy(fn, key, this._memories_rv.get(key) as MemoryValue));
  }

  /** set_reset_value(name, value): the value reset() restores (a copy of `value` is kept). */
  set_reset_value(name: string, value: MemoryValue): void {
    const fn = `${this._get_name()}.set_reset_value`;
    if (typeof name !== 'string' || name === '') fail(fn, 'name', 'a non-empty string', name);
    this._memories_rv.set(name, deepcopy(fn, name, checkValue(fn, name, value)));
  }

  /** The current values of the memories, in registration order (Python yields them). */
  memories(): MemoryValue[] {
    return [...this._memories.values()];
  }

  /** [name, value] of every memory, in registration order. */
  named_memories(): [string, MemoryValue][] {
    return [...this._memories.entries()];
  }

  /** detach(): detaches every tensor memory from the graph in place (for truncated BPTT). */
  detach(): void {
    for (const v of this._memories.values()) if (v instanceof torch.Tensor) v.detach_();
  }

  /** Applies fn (a cast, in spikeport) to tensor memories and reset values too, then to parameters and buffers. */
  override _apply(fn: (t: Tensor) => Tensor): this {
    for (const [k, v] of this._memories) if (v instanceof torch.Tensor) this._memories.set(k, fn(v));
    for (const [k, v] of this._memories_rv) if (v instanceof torch.Tensor) this._memories_rv.set(k, fn(v));
    return super._apply(fn);
  }
}
