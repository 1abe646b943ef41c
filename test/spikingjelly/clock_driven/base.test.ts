/**
 * spikingjelly.clock_driven.base.MemoryModule (0.0.0.0.8): memories registered by name with their reset value, read
 * and written as plain properties, outside state_dict; reset() restores copies; detach(); casts; the fixture kit's
 * duck typing (named_memories + reset).
 */
import { nn, torch } from '../../../src/index';
import { is_memory_module, reset_net, snapshot_memories } from '../../../src/fixtures/index';
import { base } from '../../../src/spikingjelly/index';

type Tensor = torch.Tensor;

class Counter extends base.MemoryModule {
  declare count: number;
  declare trace: Tensor | null;
  declare hist: base.MemoryValue;
  fc: nn.Linear;
  constructor() {
    super();
    this.fc = new nn.Linear(2, 2);
    this.register_memory('count', 0);
    this.register_memory('trace', null);
    this.register_memory('hist', []);
  }

  override forward(x: Tensor): Tensor {
    this.count = this.count + 1;
    this.trace = this.trace === null ? x : this.trace.mul(0.5).add(x);
    return this.fc.call(this.trace);
  }
}

describe('MemoryModule', () => {
  test('memories are plain properties, registered in order', () => {
    const m = new Counter();
    expect(m.count).toBe(0);
    expect(m.trace).toBeNull();
    m.call(torch.ones(2));
    m.call(torch.ones(2));
    expect(m.count).toBe(2);
    expect((m.trace as Tensor).tolist()).toEqual([1.5, 1.5]);
    expect(m.named_memories().map(([k]) => k)).toEqual(['count', 'trace', 'hist']);
    expect(m.memories()[0]).toBe(2);
  });

  test('memories are not in state_dict, parameters, buffers, children or Object.keys', () => {
    const m = new Counter();
    m.call(torch.ones(2));
    expect(Object.keys(m.state_dict())).toEqual(['fc.weight', 'fc.bias']);
    expect(m.named_parameters().map(([n]) => n)).toEqual(['fc.weight', 'fc.bias']);
    expect(m.buffers()).toEqual([]);
    expect(m.named_children().map(([n]) => n)).toEqual(['fc']);
    expect(Object.keys(m)).not.toContain('count');
    expect(Object.keys(m)).not.toContain('trace');
    // load_state_dict round trip ignores memories
    const m2 = new Counter();
    m2.load_state_dict(m.state_dict());
    expect(m2.trace).toBeNull();
  });

  test('reset() restores a fresh copy of the reset value (tensors are not aliased)', () => {
    class T extends base.MemoryModule {
      declare v: Tensor;
      constructor() { super(); this.register_memory('v', torch.zeros(3)); }
    }
    const m = new T();
    m.v.add_(1); // in place on the live memory
    expect(m.v.tolist()).toEqual([1, 1, 1]);
    m.reset();
    expect(m.v.tolist()).toEqual([0, 0, 0]);
    const first = m.v;
    m.reset();
    expect(m.v).not.toBe(first);
    m.set_reset_value('v', torch.full([3], 2));
    m.reset();
    expect(m.v.tolist()).toEqual([2, 2, 2]);
  });

  test('reset of numbers, null and arrays', () => {
    const m = new Counter();
    m.call(torch.ones(2));
    (m.hist as Tensor[]).push(torch.ones(1));
    m.reset();
    expect(m.count).toBe(0);
    expect(m.trace).toBeNull();
    expect(m.hist).toEqual([]);
  });

  test('register_memory refuses existing attributes and bad values', () => {
    const m = new Counter();
    expect(() => m.register_memory('count', 1)).toThrow(/count has been set as a member variable/);
    expect(() => m.register_memory('fc', 1)).toThrow(/fc has been set as a member variable/);
    expect(() => m.register_memory('forward', 1)).toThrow(/has been set as a member variable/);
    expect(() => m.register_memory('', 1)).toThrow(/name must be a non-empty string/);
    expect(() => m.register_memory('obj', { a: 1 } as never)).toThrow(/value of memory 'obj' must be a Tensor, a number/);
    expect(() => { (m as unknown as { count: unknown }).count = new nn.Linear(1, 1); }).toThrow(/value of memory 'count'/);
    const x = torch.ones(2).requires_grad_(true);
    expect(() => m.set_reset_value('trace', x.mul(2))).toThrow(/non-leaf tensor/);
  });

  test('detach() detaches tensor memories in place', () => {
    const m = new Counter();
    const x = torch.ones(2).requires_grad_(true);
    m.call(x);
    m.call(x);
    expect((m.trace as Tensor).requires_grad).toBe(true);
    const t = m.trace;
    m.detach();
    expect(m.trace).toBe(t);
    expect((m.trace as Tensor).requires_grad).toBe(false);
  });

  test('.double() casts tensor memories and reset values', () => {
    class T extends base.MemoryModule {
      declare v: Tensor;
      constructor() { super(); this.register_memory('v', torch.zeros(2)); }
    }
    const m = new T().double();
    expect(m.v.dtype).toBe('float64');
    m.reset();
    expect(m.v.dtype).toBe('float64');
  });

  test('the fixture kit sees it as a memory module (named_memories + reset)', () => {
    const m = new Counter();
    const seq = new nn.Sequential(m);
    expect(is_memory_module(m)).toBe(true);
    m.call(torch.ones(2));
    expect(snapshot_memories(seq).map(([p, n]) => `${p}.${n}`)).toEqual(['0.count', '0.trace', '0.hist']);
    reset_net(seq);
    expect(m.count).toBe(0);
  });
});
