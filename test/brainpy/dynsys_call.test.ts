/**
 * DynamicalSystem.call (`__call__`): with nothing hooked in it runs update directly; forward hooks, before/after
 * updates and an overridden forward are still honoured, in upstream's order.
 */
import { bp, bm } from '../../src/brainpy/index';

class Acc extends bp.DynamicalSystem {
  log: string[] = [];
  override update(x?: number): number { this.log.push(`update(${x})`); return (x ?? 0) + 1; }
}

beforeEach(() => bm.clear_name_cache());

test('plain call: update with the arguments given (0, 1 or 2 of them)', () => {
  const a = new Acc();
  expect(a.call()).toBe(1);
  expect(a.call(4)).toBe(5);
  expect((a as unknown as { call(...x: number[]): number }).call(2, 9)).toBe(3);
  expect(a.log).toEqual(['update(undefined)', 'update(4)', 'update(2)']);
});

test('forward hooks, before/after updates and an overridden forward all still run', () => {
  const a = new Acc();
  const seen: unknown[] = [];
  const h = a.register_forward_hook((_m, input, out) => { seen.push(['hook', input, out]); return (out as number) * 10; });
  expect(a.call(1)).toBe(20);
  h.remove();
  a.add_bef_update('b', { call: () => { a.log.push('before'); } } as never);
  a.add_aft_update('c', Object.assign((r: number) => { a.log.push(`after(${r})`); }, {}) as never);
  expect(a.call(2)).toBe(3);
  expect(a.log.slice(-3)).toEqual(['before', 'update(2)', 'after(3)']);
  class Fwd extends Acc { override forward(...args: number[]): number { return 100 + super.forward(...args); } }
  expect(new Fwd().call(1)).toBe(102);
  expect(seen).toEqual([['hook', [1], 2]]);
});

test('hook arguments: _receive_update_input hooks get the call\'s arguments, _not_receive_update_output hooks get nothing', () => {
  const a = new Acc();
  const got: unknown[] = [];
  a.add_bef_update('plain', { call: (...x: unknown[]) => { got.push(['plain', x]); } } as never);
  a.add_bef_update('input', { _receive_update_input: true, call: (...x: unknown[]) => { got.push(['input', x]); } } as never);
  a.add_bef_update('fninput', Object.assign((...x: unknown[]) => { got.push(['fninput', x]); }, { _receive_update_input: true }) as never);
  a.add_aft_update('out', { call: (...x: unknown[]) => { got.push(['out', x]); } } as never);
  a.add_aft_update('none', { _not_receive_update_output: true, call: (...x: unknown[]) => { got.push(['none', x]); } } as never);
  a.add_aft_update('fnnone', Object.assign((...x: unknown[]) => { got.push(['fnnone', x]); }, { _not_receive_update_output: true }) as never);
  expect((a as unknown as { call(...x: number[]): number }).call(4, 7)).toBe(5);
  expect(got).toEqual([['plain', []], ['input', [4, 7]], ['fninput', [4, 7]], ['out', [5]], ['none', []], ['fnnone', []]]);
  got.length = 0;
  class Fwd extends Acc { override forward(...args: number[]): number { return 100 + super.forward(...args); } }
  const f = new Fwd();
  f.add_bef_update('input', { _receive_update_input: true, call: (...x: unknown[]) => { got.push(['input', x]); } } as never);
  f.add_aft_update('out', (...x: unknown[]) => { got.push(['out', x]); });
  expect(f.call(1)).toBe(102);
  expect(got).toEqual([['input', [1]], ['out', [2]]]);
});
