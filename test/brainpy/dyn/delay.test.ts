/**
 * bp.VarDelay and register_delay_by_return, with BrainPy 2.8.2's semantics (brainpy/delay.py at a13eef5a):
 * steps = ceil(time/dt); 'rotation' buffer of L = longest step rows, write row (−i) mod L, read row (d − i − 1) mod L;
 * 'concat' (TrainingMode's default) shifts rows down and reads row d − 1; entries without delay read the target.
 * Against fixtures/brainpy/delay/var_delay.json (compat/brainpy_delay_reference.py: a numpy transcription of
 * delay.py, not BrainPy itself) and hand-derived arrival steps through bp.dyn.FullProjAlignPost in a DynSysGroup.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { DynamicalSystem } from '../../../src/brainpy/dynsys';
import { TouchList, setSparseHint, sparseHint } from '../../../src/core/sparse_hint';

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
    expect(() => new bp.VarDelay(x, { method: 'rotate' as any })).toThrow(/method must be 'rotation', 'concat' or null/);
    expect(() => new bp.VarDelay(x, { init: 'zero' as any })).toThrow(/init must be a number, a Tensor, a function/);
    expect(() => new bp.VarDelay(x, { init: torch.zeros(3), entries: { a: 0.2 } })).toThrow(/init must broadcast to the delay buffer's shape \[2, 2\]/);
    expect(() => new (bp.VarDelay as any)(x, 0.1, 0, null, 'rotation', null, null, 1)).toThrow(/takes at most 6 optional positional arguments/);
    expect(() => new bp.VarDelay(x, 0.1, 0, { a: 0.1 } as any)).toThrow(/unknown option "a"; expected one of time, init, entries/);
    expect(() => new bp.VarDelay(x, { entry: {} } as any)).toThrow(/unknown option "entry"/);
    const d = new bp.VarDelay(x, { entries: { a: 0.2 } });
    expect(() => d.register_entry('a', 0.1)).toThrow(/Entry a has been registered. The existing delay for the key a is 2. The new delay for the key a is 0.1/);
    expect(() => d.register_entry('b', -1)).toThrow(/non-negative/);
    expect(() => d.register_entry('b', 0.1, 1)).toThrow(/"delay_step" should be null if "delay_time" is given/);
    expect(() => d.register_entry('b', null, 1.5)).toThrow(/delay_step must be a non-negative integer/);
    expect(() => d.register_entry('b', torch.tensor([0.1, 0.2]))).toThrow(/per-neuron delays are not implemented/);
    expect(() => d.retrieve(3)).toThrow(/The request delay length should be less than the maximum delay 2. But we got 3/);
    expect(() => d.at('nope')).toThrow(/does not find delay entry "nope"/);
    expect(() => d.at('a')).toThrow(/share/);
    bp.share.save({ i: 0 });
    expect(() => d.update(torch.zeros(3))).toThrow(/target's shape \[2\]/);
    class NoReturn extends bp.DynamicalSystem {}
    expect(() => bp.register_delay_by_return(new NoReturn())).toThrow(/return_info is not implemented/);
    expect(() => bp.register_delay_by_return({} as any)).toThrow(/target must be a bp.DynamicalSystem/);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// fixtures/brainpy/delay/var_delay.json: every step of delays of 0, 1, 2, 3, 7 steps (alone and mixed), both methods
// ---------------------------------------------------------------------------------------------------------------------

interface FxStep { i: number; reads_before: Record<string, number[]>; value: number[]; fed: 'arg' | 'target'; reads_after: Record<string, number[]>; retrieve_after: number[][] }
interface FxCase {
  name: string; dt: number; method: 'rotation' | 'concat'; method_arg: 'rotation' | 'concat' | null; mode: string; time: number | null;
  init: number | null; i0: number; target_before: number[]; entries: [string, number | null, number | null][];
  entry_steps: Record<string, number | null>; max_length: number; max_time: number | null; steps: FxStep[];
}
interface FxArrival { entries: [string, number | null, number | null][]; method: string; mode: string; spike_step: number; first_seen: Record<string, number | null>; max_length: number }
const FX = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/brainpy/delay/var_delay.json'), 'utf8')) as { cases: FxCase[]; arrivals: FxArrival[] };

const modeOf = (m: string): bm.Mode | undefined => (m === 'TrainingMode' ? new bm.TrainingMode() : m === 'BatchingMode' ? new bm.BatchingMode() : undefined);

describe('VarDelay hands a written value\'s spike list on with the rows it reads (event layers then visit only those rows)', () => {
  /** A bool target whose writes publish their nonzero positions (sorted), as a neuron group's spike Variable does. */
  function spiking(n: number) {
    const x = new bm.Variable(torch.zeros(n).to('bool'));
    const list = new TouchList(0, true);
    const set = (ids: number[]): void => {
      const b = x.buffer as Uint8Array;
      b.fill(0, x.offset, x.offset + n);
      const idx = list.begin(ids.length);
      ids.forEach((k, q) => { b[x.offset + k] = 1; idx[q] = k; });
      list.count = ids.length;
      x._version.v++;
      setSparseHint(x, list);
    };
    return { x, set };
  }
  const hinted = (t: torch.Tensor): number[] | null => { const h = sparseHint(t); return h === null ? null : Array.from(h.idx.subarray(0, h.count)); };
  const ones = (t: torch.Tensor): number[] => (Array.from(t.toTypedArray() as Uint8Array)).flatMap((v, k) => (v ? [k] : []));

  test.each(['rotation', 'concat'] as const)('%s: each read carries the list of the step it reads, equal to its nonzeros', (method) => {
    const { x, set } = spiking(12);
    const d = new bp.VarDelay(x, { entries: { a: 0.1, c: 0.3 }, method });
    for (let i = 0; i < 9; i++) {
      bp.share.save({ i });
      for (const e of ['a', 'c']) {
        const t = d.at(e), h = hinted(t);
        if (i >= 3) expect(h).not.toBeNull(); // from here on every row read was written with a list
        if (h === null) expect(ones(t)).toEqual([]); // init's zeros
        else expect(h).toEqual(ones(t));
      }
      const ids = [(i * 5) % 12, (i * 5 + 3) % 12].sort((p, q) => p - q);
      set(ids);
      d.update();
    }
  });

  test('a copy\'s list goes stale when its row is written again; rows of init or of values without a list carry none', () => {
    const { x, set } = spiking(6);
    const d = new bp.VarDelay(x, { entries: { a: 0.1 } });
    bp.share.save({ i: 0 });
    expect(hinted(d.at('a'))).toBeNull(); // init's row
    set([1, 4]); d.update();
    bp.share.save({ i: 1 });
    const old = d.at('a');
    expect(hinted(old)).toEqual([1, 4]);
    set([2]); d.update();
    expect(hinted(old)).toBeNull(); // its row was overwritten (its list refilled)
    bp.share.save({ i: 2 });
    expect(hinted(d.at('a'))).toEqual([2]);
    x.value = torch.tensor([0, 0, 1, 0, 0, 0]).to('bool'); // no list
    d.update();
    bp.share.save({ i: 3 });
    const t = d.at('a');
    expect(hinted(t)).toBeNull();
    expect(ones(t)).toEqual([2]);
  });

  test('the buffer written from outside (delay.data in place) drops every list', () => {
    const { x, set } = spiking(6);
    const d = new bp.VarDelay(x, { entries: { c: 0.2 } });
    for (let i = 0; i < 2; i++) { bp.share.save({ i }); set([i, 5]); d.update(); }
    bp.share.save({ i: 2 });
    expect(hinted(d.at('c'))).toEqual([1, 5]); // row (2 − 2 − 1) mod 2 = 1: step 1's value
    d.data!.fill_(1);
    const t = d.at('c');
    expect(hinted(t)).toBeNull();
    expect(ones(t)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('VarDelay against fixtures/brainpy/delay/var_delay.json (BrainPy 2.8.2 delay.py, numpy transcription)', () => {
  test('the fixture covers delays of 0, 1, 2, 3 and 7 steps with both methods', () => {
    const steps = new Set(FX.cases.flatMap((c) => Object.values(c.entry_steps)));
    for (const s of [0, 1, 2, 3, 7]) expect(steps.has(s)).toBe(true);
    expect(new Set(FX.cases.map((c) => c.method))).toEqual(new Set(['rotation', 'concat']));
  });

  test.each(FX.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    bm.set_dt(c.dt);
    const x = new bm.Variable(torch.tensor(c.target_before));
    const d = new bp.VarDelay(x, { time: c.time, init: c.init, method: c.method_arg, mode: modeOf(c.mode) });
    for (const [e, t, s] of c.entries) d.register_entry(e, t, s);
    expect(d.method).toBe(c.method);
    expect(Object.fromEntries(d.entries)).toEqual(c.entry_steps);
    expect(d.max_length).toBe(c.max_length);
    expect(d.max_time).toBe(c.max_time);
    for (const st of c.steps) {
      bp.share.save({ i: st.i });
      for (const [e] of c.entries) expect([st.i, 'before', e, arr(d.at(e))]).toEqual([st.i, 'before', e, st.reads_before[e]]);
      if (st.fed === 'arg') { d.update(torch.tensor(st.value)); x.value = torch.tensor(st.value); } else { x.value = torch.tensor(st.value); d.update(); }
      for (const [e] of c.entries) expect([st.i, 'after', e, arr(d.at(e))]).toEqual([st.i, 'after', e, st.reads_after[e]]);
      st.retrieve_after.forEach((want, k) => expect([st.i, 'retrieve', k, arr(d.retrieve(k))]).toEqual([st.i, 'retrieve', k, want]));
    }
  });

  test.each(FX.arrivals.map((a) => [`${a.method}: ${a.entries.map((e) => `${e[0]}=${e[1]} ms`).join(', ')}`, a] as const))(
    'arrival steps of a spike at step 4 (reads before the write): %s', (_name, a) => {
      const s = new bm.Variable(torch.zeros(1));
      const d = new bp.VarDelay(s, { method: a.method as 'rotation' | 'concat' });
      for (const [e, t, st] of a.entries) d.register_entry(e, t, st);
      const first: Record<string, number | null> = Object.fromEntries(a.entries.map(([e]) => [e, null]));
      for (let i = 0; i < 20; i++) {
        bp.share.save({ i });
        for (const [e] of a.entries) if (first[e] === null && arr(d.at(e))[0] !== 0) first[e] = i;
        s.value = torch.tensor([i === a.spike_step ? 1 : 0]);
        d.update(s);
      }
      expect(first).toEqual(a.first_seen);
    });
});

// ---------------------------------------------------------------------------------------------------------------------
// hand-derived: when a pre spike reaches a FullProjAlignPost (upstream order: projections, then neuron groups, whose
// delay is an after-update hook; rotation: row (−i) mod L written after the read of row (d − i − 1) mod L)
// ---------------------------------------------------------------------------------------------------------------------

/** A pre group that spikes at the steps in `at`; update returns its spike Variable (what its delay records). */
class Pulse extends DynamicalSystem {
  spike = new bm.Variable(torch.zeros(1).to('bool'));
  varshape = [1];
  constructor(private readonly steps: number[]) { super(); }
  override update(): torch.Tensor {
    const i = bp.share.load<number>('i');
    this.spike.value = torch.tensor([this.steps.includes(i)]).to('bool');
    return this.spike;
  }
  override return_info(): torch.Tensor { return this.spike; }
}

/** pre → FullProjAlignPost(delay) for each delay → post, updated by DynSysGroup's default order; logs what each projection reads. */
class DelayNet extends bp.DynSysGroup {
  pre: Pulse;
  post = new bp.dyn.Lif(1, { V_rest: 0, V_th: 1e9, tau: 10 });
  seen: number[][];
  constructor(spike_steps: number[], delays: (number | null)[]) {
    super();
    this.pre = new Pulse(spike_steps);
    this.seen = delays.map(() => []);
    delays.forEach((delay, k) => {
      (this as any)[`proj${k}`] = new bp.dyn.FullProjAlignPost({
        pre: this.pre, delay, post: this.post,
        comm: (x: torch.Tensor) => { this.seen[k].push(arr(x.to('float32'))[0]); return x.to('float32'); },
        syn: new bp.dyn.Expon(1, { tau: 5 }), out: new bp.dyn.CUBA(),
      });
    });
  }
}

/** The steps (0..T−1) at which each projection read a spike. */
function arrivalSteps(spike_steps: number[], delays: (number | null)[], T = 20): number[][] {
  const net = new DelayNet(spike_steps, delays);
  for (let i = 0; i < T; i++) net.step_run(i);
  return net.seen.map((xs) => xs.flatMap((v, i) => (v !== 0 ? [i] : [])));
}

describe('FullProjAlignPost: the step at which a pre spike emitted at step n is read, as BrainPy 2.8.2 (rotation)', () => {
  const n = 4;
  test.each([
    [null, 'n + 1 (no delay: the pre spike Variable, not yet updated this step)', n + 1],
    [0, 'n + 1 (0 steps: as no delay)', n + 1],
    [0.1, 'n + 1 (1 step, L = 1)', n + 1],
    [0.2, 'n + 1 (2 steps: lag d − 1)', n + 1],
    [0.3, 'n + 2 (3 steps: lag d − 1)', n + 2],
    [0.7, 'n + 6 (7 steps: lag d − 1)', n + 6],
  ] as const)('lone delay %s ms: a spike at step n reaches the projection at step %s', (delay, _what, want) => {
    expect(arrivalSteps([n], [delay])).toEqual([[want]]);
  });

  test('delays 0.1 and 0.2 ms from one pre group (L = 2): the 0.1 ms projection reads it at n + 2, the 0.2 ms one at n + 1 (upstream quirk)', () => {
    expect(arrivalSteps([n], [0.1, 0.2])).toEqual([[n + 2], [n + 1]]);
  });

  test('delays 0, 0.1, 0.3, 0.7 ms from one pre group (L = 7): read at n + 1, n + 7, n + 2, n + 6', () => {
    expect(arrivalSteps([n], [0, 0.1, 0.3, 0.7])).toEqual([[n + 1], [n + 7], [n + 2], [n + 6]]);
  });

  test('a spike at step n drives the post conductance from the step it is read: g jumps by the weight at n + 2 for 0.3 ms', () => {
    const net = new DelayNet([n], [0.3]);
    const g: number[] = [];
    for (let i = 0; i < 10; i++) { net.step_run(i); g.push(arr((net as any).proj0.syn.g)[0]); }
    expect(g.slice(0, n + 2)).toEqual(new Array(n + 2).fill(0));
    expect(g[n + 2]).toBe(1);
    expect(g[n + 3]).toBeLessThan(1);
  });

  test('a spike train keeps its spacing: spikes at 2, 3, 9 through 0.7 ms arrive at 8, 9, 15', () => {
    expect(arrivalSteps([2, 3, 9], [0.7])).toEqual([[8, 9, 15]]);
  });

  test('the same arrivals as the fixture table (spike at step 4, lone entries 0, 0.1, 0.2, 0.3, 0.7 ms)', () => {
    const lone = FX.arrivals.filter((a) => a.method === 'rotation' && a.entries.length === 1);
    expect(lone.map((a) => a.first_seen.p)).toEqual([0, 0.1, 0.2, 0.3, 0.7].map((t) => arrivalSteps([4], [t])[0][0]));
  });
});

describe('VarDelay: concat, init, delay_step, time, retrieve(0)', () => {
  test("method 'concat' (TrainingMode's default): row 0 newest, at(d) reads row d − 1: lag d before the write, d − 1 after", () => {
    const x = new bm.Variable(torch.zeros(1));
    const d = new bp.VarDelay(x, { entries: { a: 0.1, c: 0.3 }, mode: new bm.TrainingMode() });
    expect(d.method).toBe('concat');
    expect(new bp.VarDelay(x, { mode: new bm.BatchingMode() }).method).toBe('rotation');
    for (let i = 0; i < 6; i++) {
      bp.share.save({ i });
      expect([arr(d.at('a'))[0], arr(d.at('c'))[0]]).toEqual([i >= 1 ? 100 + i - 1 : 0, i >= 3 ? 100 + i - 3 : 0]);
      d.update(torch.tensor([100 + i]));
      expect([arr(d.at('a'))[0], arr(d.at('c'))[0]]).toEqual([100 + i, i >= 2 ? 100 + i - 2 : 0]);
    }
    expect(arr(d.retrieve(0))).toEqual([103]); // Python's row −1: the oldest row
    const one = new bp.VarDelay(x, { entries: { a: 0.1 }, method: 'concat' });
    bp.share.save({ i: 0 });
    one.update(torch.tensor([7]));
    expect(arr(one.at('a'))).toEqual([7]);
  });

  test('init: a number, a Tensor broadcast to every row, a function (shape, dtype); re-allocation and reset_state restart from it', () => {
    const x = new bm.Variable(torch.zeros(2));
    const shapes: [number[], string][] = [];
    const d = new bp.VarDelay(x, { init: (shape: number[], dtype: string) => { shapes.push([shape, dtype]); return torch.full(shape, 3); }, entries: { a: 0.2 } });
    expect(shapes).toEqual([[[2, 2], 'float32']]);
    bp.share.save({ i: 0 });
    expect(arr(d.at('a'))).toEqual([3, 3]);
    const t = new bp.VarDelay(x, { init: torch.tensor([1, 2]), entries: { a: 0.1 } });
    expect(arr(t.at('a'))).toEqual([1, 2]);
    t.update(torch.tensor([9, 9]));
    t.register_entry('b', 0.3); // longer: a fresh buffer from init
    expect(t.max_length).toBe(3);
    expect(arr(t.data!)).toEqual([1, 2, 1, 2, 1, 2]);
    t.update(torch.tensor([9, 9]));
    t.reset_state();
    expect(arr(t.data!)).toEqual([1, 2, 1, 2, 1, 2]);
    const b = new bp.VarDelay(new bm.Variable(torch.zeros(1).to('bool')), { init: 0.5, entries: { a: 0.1 } });
    expect(Array.from(b.data!.buffer)).toEqual([1]); // bool(0.5) is True
  });

  test('register_entry(entry, delay_time, delay_step): by step, max_time follows the entry that lengthened the buffer (null by step)', () => {
    const x = new bm.Variable(torch.zeros(1));
    const d = new bp.VarDelay(x);
    expect([d.max_length, d.max_time, d.data]).toEqual([0, 0, null]);
    d.register_entry('s', null, 4);
    expect([d.entries.get('s'), d.max_length, d.max_time]).toEqual([4, 4, null]);
    d.register_entry('t', 0.7);
    expect([d.max_length, d.max_time]).toEqual([7, 0.7]);
    d.register_entry('u', 0.2).register_entry('v', { delay_step: 2 }).register_entry('w');
    expect([d.entries.get('u'), d.entries.get('v'), d.entries.get('w'), d.max_length, d.max_time]).toEqual([2, 2, null, 7, 0.7]);
    d.register_entry('z', torch.tensor(0.3, { dtype: 'float64' }));
    expect(d.entries.get('z')).toBe(3);
    d.register_entry('f32', torch.tensor(0.3)); // float32 0.3 is 0.30000001192…: ceil gives 4, as jnp.array(0.3).item() does
    expect(d.entries.get('f32')).toBe(4);
  });

  test('time=: trunc(time / dt) rows (0.3 ms → 2 rows, where an entry of 0.3 ms takes ceil → 3); positional constructor', () => {
    const x = new bm.Variable(torch.zeros(1));
    const d = new bp.VarDelay(x, 0.3);
    expect([d.max_length, d.max_time, d.data!.shape]).toEqual([2, 0.3, [2, 1]]);
    d.register_entry('e', 0.3);
    expect([d.max_length, d.max_time]).toEqual([3, 0.3]);
    const e = new bp.VarDelay(x, 0.05, -1, { entries: { a: 0.1 }, method: 'concat' });
    expect([e.max_length, e.max_time, e.method, arr(e.data!)]).toEqual([1, 0.1, 'concat', [-1]]);
    expect(new bp.VarDelay(x, 0.05).data).toBeNull(); // 0 rows: nothing to store, max_time 0.05
  });

  test('rotation retrieve(0) reads row (−i − 1) mod L; update with no buffer does nothing', () => {
    const x = new bm.Variable(torch.zeros(1));
    const d = new bp.VarDelay(x, { entries: { c: 0.3 } });
    for (let i = 0; i < 4; i++) { bp.share.save({ i }); d.update(torch.tensor([10 + i])); }
    // rows: i=0 → 0, i=1 → 2, i=2 → 1, i=3 → 0; (−3 − 1) mod 3 = 2 holds step 1
    expect(arr(d.retrieve(0))).toEqual([11]);
    const z = new bp.VarDelay(x, { entries: { now: null } });
    z.update(torch.tensor([5]));
    expect(z.data).toBeNull();
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
