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
