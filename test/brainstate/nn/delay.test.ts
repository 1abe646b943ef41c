/**
 * brainstate.nn.Delay (brainstate 0.1.10, brainstate/nn/_delay.py at 877fb865), hand-derived:
 * L = max step + 1 rows; 'rotation' writes row i mod L and reads row (i − d) mod L; 'concat' shifts rows down and
 * reads row d; max_time is set by every registration; retrieve_at_time interpolates in float32.
 */
import * as torch from '../../../src/torch/index';
import { environ, nn } from '../../../src/brainstate/index';

const arr = (t: torch.Tensor): number[] => Array.from(t.toTypedArray() as Float32Array);

/** Steps 0..T−1 write value 100 + i; returns per entry the values read before and after each step's write. */
function run(d: nn.Delay, entries: string[], T = 12): { before: Record<string, number[]>; after: Record<string, number[]> } {
  const before: Record<string, number[]> = {}, after: Record<string, number[]> = {};
  for (const e of entries) { before[e] = []; after[e] = []; }
  for (let i = 0; i < T; i++) {
    environ.context({ i }, () => {
      for (const e of entries) before[e].push(arr(d.at(e))[0]);
      d.update(torch.tensor([100 + i]));
      for (const e of entries) after[e].push(arr(d.at(e))[0]);
    });
  }
  return { before, after };
}
/** The value of step i − lag, or 0 before t0. */
const lagged = (lag: number, T = 12): number[] => Array.from({ length: T }, (_, i) => (i - lag >= 0 ? 100 + i - lag : 0));

describe('brainstate Delay: index arithmetic for delays of 0, 1, 2, 3 and 7 steps', () => {
  const entries = { e0: 0, e1: 0.1, e2: 0.2, e3: 0.3, e7: 0.7 };

  test("rotation (L = 8): lag d after the step's write; before it, lag d for d ≥ 1 and L for d = 0", () => {
    const d = new nn.Delay(torch.zeros(1), { entries });
    expect(d.max_length).toBe(8);
    d.init_state();
    const { before, after } = run(d, Object.keys(entries));
    expect(after).toEqual({ e0: lagged(0), e1: lagged(1), e2: lagged(2), e3: lagged(3), e7: lagged(7) });
    expect(before).toEqual({ e0: lagged(8), e1: lagged(1), e2: lagged(2), e3: lagged(3), e7: lagged(7) });
  });

  test('concat (L = 8): lag d after the write, d + 1 before it', () => {
    const d = new nn.Delay(torch.zeros(1), { entries, delay_method: 'concat' });
    d.init_state();
    const { before, after } = run(d, Object.keys(entries));
    expect(after).toEqual({ e0: lagged(0), e1: lagged(1), e2: lagged(2), e3: lagged(3), e7: lagged(7) });
    expect(before).toEqual({ e0: lagged(1), e1: lagged(2), e2: lagged(3), e3: lagged(4), e7: lagged(8) });
  });

  test('a lone entry of d steps (L = d + 1) reads the same as inside the mixed buffer', () => {
    for (const [e, t] of Object.entries(entries)) {
      if (t === 0) continue;
      const d = new nn.Delay(torch.zeros(1), { entries: { [e]: t } });
      expect(d.max_length).toBe(Math.round(t / 0.1) + 1);
      d.init_state();
      const lag = Math.round(t / 0.1);
      const { before, after } = run(d, [e]);
      expect([before[e], after[e]]).toEqual([lagged(lag), lagged(lag)]);
    }
  });

  test('max_time is set by every registration, even a shorter one (_delay.py 263); max_length only grows', () => {
    const d = new nn.Delay(torch.zeros(1), 0.5);
    expect([d.max_time, d.max_length]).toEqual([0.5, 6]);
    d.register_entry('a', 0.2);
    expect([d.max_time, d.max_length]).toEqual([0.2, 6]);
    d.register_entry('b', 0.7);
    expect([d.max_time, d.max_length]).toEqual([0.7, 8]);
    d.register_entry('none', null);
    expect(d.max_time).toBe(0.7);
  });
});

describe('brainstate Delay.retrieve_at_time', () => {
  function filled(interp: 'linear_interp' | 'round'): nn.Delay {
    const d = new nn.Delay(torch.zeros(1), 0.5, { interp_method: interp });
    d.init_state();
    for (let i = 0; i < 6; i++) environ.context({ i }, () => d.update(torch.tensor([10 * (i + 1)])));
    return d; // after step 5: step k holds 10 (k + 1)
  }

  test('linear: (t − delay_time)/dt = 2.5 → half of steps 3 and 2; 2.8 (float32 2.7999997) → 0.2 of step 3 + 0.8 of step 2', () => {
    const d = filled('linear_interp');
    environ.context({ i: 5, t: 1.0 }, () => {
      expect(arr(d.retrieve_at_time(0.75))).toEqual([35]);
      expect(arr(d.retrieve_at_time(0.72))[0]).toBeCloseTo(32, 4);
      expect(arr(d.retrieve_at_time(1.0))).toEqual([60]); // step 0: the newest row
    });
  });

  test('round: half to even (2.5 → 2), 2.8 → 3', () => {
    const d = filled('round');
    environ.context({ i: 5, t: 1.0 }, () => {
      expect(arr(d.retrieve_at_time(0.75))).toEqual([40]);
      expect(arr(d.retrieve_at_time(0.72))).toEqual([30]);
      expect(arr(d.retrieve_at_time(0.65))).toEqual([20]); // (1 − 0.65)/0.1 is 3.5000002 in float32 → 4 (step 1)
    });
  });

  test('errors: no t in the environment, a time beyond the buffer', () => {
    const d = filled('linear_interp');
    expect(() => environ.context({ i: 5 }, () => d.retrieve_at_time(0.5))).toThrow(/"t" is not set/);
    expect(() => environ.context({ i: 5, t: 1.0 }, () => d.retrieve_at_time(0.2))).toThrow(/maximum delay 5/);
  });
});
