/**
 * bp.VarDelay and register_delay_by_return: steps = ceil(time/dt); rotation buffer of L = longest step rows,
 * write row (−i) mod L, read row (d − i − 1) mod L (reference notes §6.1); entries without delay read the target.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';

const arr = (t: torch.Tensor): number[] => Array.from(t.contiguous().buffer.subarray(t.offset, t.offset + t.numel()) as Float32Array);

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });

describe('VarDelay', () => {
  test('delay 0.1 ms at dt 0.1 ms: at() reads the value written on the previous step; null reads the target', () => {
    const x = new bm.Variable(torch.zeros(2));
    const d = new bp.VarDelay(x, { entries: { I: 0.1, now: null } });
    expect(d.max_length).toBe(1);
    expect(d.entries.get('I')).toBe(1);
    for (let i = 0; i < 5; i++) {
      bp.share.save({ i });
      const before = arr(d.at('I'));
      expect(before).toEqual(i === 0 ? [0, 0] : [10 * (i - 1), 10 * (i - 1) + 1]);
      x.value = torch.tensor([10 * i, 10 * i + 1]);
      expect(arr(d.at('now'))).toEqual([10 * i, 10 * i + 1]);
      d.update();
    }
  });

  test('ceil(delay/dt) steps and the documented rotation index arithmetic (L = 3)', () => {
    const x = new bm.Variable(torch.zeros(1));
    const d = new bp.VarDelay(x, { init: -1 });
    d.register_entry('a', 0.1).register_entry('c', 0.3).register_entry('z', 0);
    expect(d.entries.get('a')).toBe(1);
    expect(d.entries.get('c')).toBe(3); // ceil(0.3 / 0.1) = ceil(2.9999999999999996)
    expect(d.entries.get('z')).toBe(0);
    expect(d.max_length).toBe(3);
    // hand-derived: step i writes value 100+i into row (−i) mod 3; entry with d reads row (d − i − 1) mod 3 before the write
    // rows after writes: i=0 → row0=100; i=1 → row2=101; i=2 → row1=102; i=3 → row0=103; i=4 → row2=104
    const wantA = [-1, -1, -1, 100, 101, 102]; // row (−i) mod 3: the value written 3 steps earlier
    const wantC = [-1, -1, 100, 101, 102, 103]; // row (2 − i) mod 3: the value written 2 steps earlier (d − 1)
    for (let i = 0; i < 6; i++) {
      bp.share.save({ i });
      expect([arr(d.at('a'))[0], arr(d.at('c'))[0]]).toEqual([wantA[i], wantC[i]]);
      d.update(torch.tensor([100 + i]));
      expect(arr(d.at('z'))).toEqual([0]); // no delay: the target itself (not written by update)
    }
    d.reset_state();
    bp.share.save({ i: 0 });
    expect(arr(d.at('c'))).toEqual([-1]);
  });

  test('at() returns snapshots; bool targets keep their dtype', () => {
    const s = new bm.Variable(torch.tensor([true, false]));
    const d = new bp.VarDelay(s, { entries: { e: 0.1 } });
    bp.share.save({ i: 0 });
    d.update(torch.tensor([true, true]));
    bp.share.save({ i: 1 });
    const got = d.at('e');
    expect(got.dtype).toBe('bool');
    expect(Array.from(got.buffer)).toEqual([1, 1]);
    d.update(torch.tensor([false, false]));
    expect(Array.from(got.buffer)).toEqual([1, 1]);
  });

  test('register_delay_by_return: one delay per neuron group, fed by its update as an after-update hook', () => {
    const N = new bp.dyn.LifRef(2, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, tau_ref: 5, V_initializer: torch.tensor([-50.01, -60]) });
    const d1 = bp.register_delay_of_target(N);
    const d2 = bp.register_delay_by_return(N);
    expect(d1).toBe(d2);
    expect(N.has_aft_update('_*_delay_of_')).toBe(true);
    d1.register_entry('proj', 0.1);
    bp.share.save({ i: 0, t: 0 });
    N.call(20); // spikes neuron 0; the hook records it
    bp.share.save({ i: 1, t: 0.1 });
    expect(Array.from(d1.at('proj').buffer)).toEqual([1, 0]);
    N.call(20);
    bp.share.save({ i: 2, t: 0.2 });
    expect(Array.from(d1.at('proj').buffer)).toEqual([0, 0]);
  });

  test('argument errors', () => {
    const x = new bm.Variable(torch.zeros(2));
    expect(() => new bp.VarDelay(torch.zeros(2))).toThrow(/target must be a bm.Variable/);
    expect(() => new bp.VarDelay(x, { method: 'concat' as any })).toThrow(/method must be 'rotation'/);
    expect(() => new bp.VarDelay(x, { entry: {} } as any)).toThrow(/unknown option "entry"/);
    const d = new bp.VarDelay(x, { entries: { a: 0.2 } });
    expect(() => d.register_entry('a', 0.1)).toThrow(/has been registered/);
    expect(() => d.register_entry('b', -1)).toThrow(/non-negative/);
    expect(() => d.at('nope')).toThrow(/does not find delay entry "nope"/);
    expect(() => d.at('a')).toThrow(/share/);
    bp.share.save({ i: 0 });
    expect(() => d.update(torch.zeros(3))).toThrow(/target's shape \[2\]/);
    class NoReturn extends bp.DynamicalSystem {}
    expect(() => bp.register_delay_by_return(new NoReturn())).toThrow(/return_info is not implemented/);
    expect(() => bp.register_delay_by_return({} as any)).toThrow(/target must be a bp.DynamicalSystem/);
  });
});

describe('DynamicalSystem and bm.for_loop', () => {
  test('call() runs before hooks, update, after hooks (with the return value); step_run sets i and float32 t', () => {
    const log: string[] = [];
    class M extends bp.DynamicalSystem {
      override update(x: number): number { log.push(`update ${x} t=${bp.share.load('t')} i=${bp.share.load('i')}`); return x * 2; }
    }
    const m = new M();
    bp.share.save({ i: 7, t: 0.5 });
    m.add_bef_update('b', () => { log.push('before'); });
    m.add_aft_update('a', (r: number) => { log.push(`after ${r}`); });
    expect(m.call(3)).toBe(6);
    expect(() => m.add_bef_update('b', () => 0)).toThrow(/has been registered/);
    expect(log).toEqual(['before', 'update 3 t=0.5 i=7', 'after 6']);
    log.length = 0;
    expect(m.step_run(3, 1)).toBe(2); // update only, no hooks
    expect(log).toEqual([`update 1 t=${Math.fround(3 * Math.fround(0.1))} i=3`]);
    expect(m.name).toBe('M0');
  });

  test('for_loop stacks Tensors, numbers, arrays and objects; reverse keeps positions; errors', () => {
    const xs = torch.tensor([1, 2, 3]);
    const r = bm.for_loop((x: torch.Tensor) => ({ a: x.mul(2), b: [Number(x.item()), x.gt(1)] }), xs);
    expect(arr(r.a)).toEqual([2, 4, 6]);
    expect(arr(r.b[0])).toEqual([1, 2, 3]);
    expect(Array.from(r.b[1].buffer)).toEqual([0, 1, 1]);
    const order: number[] = [];
    const rv = bm.for_loop((x: number) => { order.push(x); return x * 10; }, [1, 2, 3], { reverse: true, jit: true });
    expect(order).toEqual([3, 2, 1]);
    expect(arr(rv)).toEqual([10, 20, 30]);
    const two = bm.for_loop((a: torch.Tensor, b: torch.Tensor) => a.add(b), [torch.tensor([[1, 2], [3, 4]]), torch.tensor([[10, 20], [30, 40]])]);
    expect(two.shape).toEqual([2, 2]);
    expect(arr(two)).toEqual([11, 22, 33, 44]);
    expect(() => bm.for_loop(() => 0, xs, { progres_bar: true } as any)).toThrow(/unknown option "progres_bar"/);
    expect(() => bm.for_loop(() => 0, [torch.zeros(2), torch.zeros(3)])).toThrow(/same leading length/);
    let k = 0;
    expect(() => bm.for_loop(() => torch.zeros(++k), xs)).toThrow(/keep its shape and dtype/);
    expect(() => bm.for_loop(1 as any, xs)).toThrow(/body_fun must be a function/);
    expect(bm.exprel(0)).toBe(1);
    expect(Math.abs(bm.exprel(-0.005) - (Math.exp(-0.005) - 1) / -0.005)).toBeLessThan(2e-5);
  });
});
