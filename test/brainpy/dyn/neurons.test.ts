/**
 * bp.dyn neurons (Lif, LifLTC, LifRef, LifRefLTC) against values derived by hand from the BrainPy 2.x equations
 * (reference notes §6.1), computed here in float64 independently of the implementation:
 *   V' = V + dt·exprel(dt·J)·(−V + V_rest + R·I)/tau,  exprel(z) = (e^z − 1)/z,
 *   Lif/LifRef: I = x + Σ g(E − V_old), J = −1/tau;  *LTC: J = −(1 + R·Σg)/tau.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';

const exprel = (z: number): number => (Math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : (Math.exp(z) - 1) / z);
const TOL = 2e-5;

function close(got: ArrayLike<number>, want: number[], tol = TOL): void {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    if (!(Math.abs(got[k] - want[k]) <= tol)) throw new Error(`index ${k}: expected ${want[k]}, got ${got[k]} (tol ${tol})`);
  }
}
const arr = (t: torch.Tensor): number[] => Array.from(t.contiguous().buffer.subarray(t.offset, t.offset + t.numel()) as Float32Array);

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });

describe('Lif', () => {
  test('integrates with exponential Euler, spikes at V >= V_th and resets in the same step', () => {
    const V0 = [-55, -50.3, -60];
    const n = new bp.dyn.Lif(3, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, V_initializer: torch.tensor(V0) });
    const dt = 0.1, tau = 20, I = 20;
    const c = dt * exprel(-dt / tau);
    let V = V0.slice();
    for (let i = 0; i < 6; i++) {
      const spk = n.step_run(i, I) as torch.Tensor;
      const want: number[] = [], wantSpk: number[] = [];
      V = V.map((v) => {
        let vn = v + (c * (-v - 60 + I)) / tau;
        const s = vn >= -50;
        if (s) vn = -60;
        wantSpk.push(s ? 1 : 0);
        want.push(vn);
        return vn;
      });
      close(arr(n.V), want);
      expect(spk.dtype).toBe('bool');
      expect(Array.from(spk.buffer)).toEqual(wantSpk);
    }
    // neuron 1 crossed the threshold on step 0 ((-50.3) + 0.1·0.9975·(50.3 − 60 + 20)/20 ≈ −49.786)
    expect(V[1]).toBeLessThan(-59);
  });

  test('defaults: V_rest 0, V_reset −5, V_th 20, R 1, tau 10, V starts at 0', () => {
    const n = new bp.dyn.Lif(2);
    expect([n.V_rest, n.V_reset, n.V_th, n.R, n.tau]).toEqual([0, -5, 20, 1, 10]);
    n.step_run(0, torch.tensor([1, 300]));
    const c = 0.1 * exprel(-0.01);
    close(arr(n.V), [(c * 1) / 10, (c * 300) / 10]);
    n.step_run(1, 2000); // V ≈ 2.985 + c·(−2.985 + 2000)/10 ≈ 22.9 >= 20 → reset to −5
    expect(arr(n.V)[1]).toBe(-5);
    expect(Array.from(n.spike.buffer)).toEqual([0, 1]);
  });

  test('current inputs are evaluated at the old V (COBA), delta inputs are added after integration', () => {
    const g = torch.tensor([0.5, 2]);
    const n = new bp.dyn.Lif(2, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, V_initializer: -55 });
    const out = new bp.dyn.COBA({ E: 0 });
    out.bind_cond(g);
    n.add_inp_fun('exc', out);
    n.add_inp_fun('kick', () => 0.25, null, 'delta');
    const c = 0.1 * exprel(-0.1 / 20);
    let V = [-55, -55];
    for (let i = 0; i < 3; i++) {
      n.step_run(i, 1);
      V = V.map((v, k) => {
        const I = 1 + [0.5, 2][k] * (0 - v);
        let vn = v + (c * (-v - 60 + I)) / 20 + 0.25;
        if (vn >= -50) vn = -60;
        return vn;
      });
      close(arr(n.V), V);
    }
  });

  test('sum_current_inputs and labels', () => {
    const n = new bp.dyn.Lif(2);
    n.add_inp_fun('a', (v: torch.Tensor) => v.add(1), 'L1');
    n.add_inp_fun('b', () => 10, { label: 'L2' });
    expect(n.current_inputs.has('L1 // a')).toBe(true);
    const V = torch.tensor([1, 2]);
    expect(arr(n.sum_current_inputs(V) as torch.Tensor)).toEqual([12, 13]);
    expect(arr(n.sum_current_inputs(V, { label: 'L1' }) as torch.Tensor)).toEqual([2, 3]);
    expect(n.sum_current_inputs(V, { label: 'L2', init: 1 })).toBe(11);
    expect(() => n.add_inp_fun('a', () => 0, 'L1')).toThrow(/has been defined/);
    expect(() => n.sum_current_inputs(V, { lable: 'x' } as any)).toThrow(/unknown option "lable"/);
  });
});

describe('LifLTC', () => {
  test('COBA conductance enters the Jacobian: J = −(1 + R·g)/tau', () => {
    const gs = [0.5, 2];
    const n = new bp.dyn.LifLTC(2, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, R: 1.5, V_initializer: -55 });
    const out = new bp.dyn.COBA({ E: -80 });
    out.bind_cond(torch.tensor(gs));
    n.add_inp_fun('inh', out);
    let V = [-55, -55];
    for (let i = 0; i < 4; i++) {
      n.step_run(i, 30);
      V = V.map((v, k) => {
        const g = gs[k];
        const J = -(1 + 1.5 * g) / 20;
        const f = (-v - 60 + 1.5 * (30 + g * (-80 - v))) / 20;
        return v + 0.1 * exprel(0.1 * J) * f;
      });
      close(arr(n.V), V);
    }
    // differs from Lif (frozen current) by more than rounding
    const m = new bp.dyn.Lif(2, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, R: 1.5, V_initializer: -55 });
    const o2 = new bp.dyn.COBA({ E: -80 }); o2.bind_cond(torch.tensor(gs)); m.add_inp_fun('inh', o2);
    m.step_run(0, 30);
    expect(Math.abs(arr(m.V)[1] - (-55 + 0.1 * exprel(-0.005) * (55 - 60 + 1.5 * (30 + 2 * -25)) / 20))).toBeLessThan(TOL);
  });
});

describe('LifRef / LifRefLTC', () => {
  test('refractory test is inclusive in float32 time, V is held at its old value, reset at the spike step', () => {
    // spike on step 0 (t = 0); with tau_ref = 0.3 steps 1, 2, 3 (t − 0 = 0.1, 0.2, 0.3 in float32 ≤ 0.3) hold V;
    // step 4 integrates again from −60
    const n = new bp.dyn.LifRef(1, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, tau_ref: 0.3, V_initializer: -50.5, ref_var: true });
    const c = 0.1 * exprel(-0.005);
    n.step_run(0, 200);
    expect(arr(n.V)).toEqual([-60]);
    expect(Array.from(n.spike.buffer)).toEqual([1]);
    expect(arr(n.t_last_spike!)).toEqual([0]);
    for (let i = 1; i <= 3; i++) {
      n.step_run(i, 200);
      expect(arr(n.V)).toEqual([-60]);
      expect(Array.from(n.refractory!.buffer)).toEqual([1]);
      expect(Array.from(n.spike.buffer)).toEqual([0]);
    }
    n.step_run(4, 200);
    close(arr(n.V), [-60 + (c * (60 - 60 + 200)) / 20]);
    expect(Array.from(n.refractory!.buffer)).toEqual([0]);
    // t_last_spike starts at −1e7: never refractory before the first spike
    const m = new bp.dyn.LifRef(1, { tau_ref: 5 });
    expect(arr(m.t_last_spike!)).toEqual([-1e7]);
  });

  test('tau_ref = 5 ms at dt = 0.1: held 49 or 50 steps depending on float32 time', () => {
    const n = new bp.dyn.LifRef(1, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, tau_ref: 5, V_initializer: -60 });
    const spikes: number[] = [];
    for (let i = 0; i < 400; i++) { n.step_run(i, 1e4); if (n.spike.buffer[0]) spikes.push(i); }
    // independent float32 rule: held while fround(t_i − t_s) <= 5, t_i = fround(i · fround(0.1))
    const f = Math.fround, T = (i: number): number => f(f(i) * f(0.1));
    const want: number[] = [];
    let last = -Infinity;
    for (let i = 0; i < 400; i++) {
      if (last !== -Infinity && f(T(i) - T(last)) <= 5) continue;
      want.push(i); last = i; // the huge input makes every free step spike
    }
    expect(spikes).toEqual(want);
    const gaps = want.slice(1).map((s, k) => s - want[k]);
    expect(gaps.every((d) => d === 50 || d === 51)).toBe(true);
  });

  test('LifRefLTC: refractory hold + LTC Jacobian', () => {
    const n = new bp.dyn.LifRefLTC(2, { V_rest: -60, V_reset: -60, V_th: -50, tau: 10, tau_ref: 1, V_initializer: torch.tensor([-50.01, -58]) });
    const out = new bp.dyn.COBA({ E: 0 }); out.bind_cond(torch.tensor([1, 1])); n.add_inp_fun('e', out);
    n.step_run(0, 0);
    // neuron 0: f = (50.01 − 60 + (−1)(−50.01)·1)/10 > 0 → crosses −50 → spike + reset
    const J = -(1 + 1) / 10, e = 0.1 * exprel(0.1 * J);
    const v1 = -58 + (e * (58 - 60 + 58)) / 10;
    close(arr(n.V), [-60, v1]);
    n.step_run(1, 0);
    close(arr(n.V), [-60, v1 + (e * (-v1 - 60 - v1)) / 10]);
  });

  test('determinism and reset_state', () => {
    const run = (): number[] => {
      bm.clear_name_cache();
      const n = new bp.dyn.LifRef(4, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, tau_ref: 5, V_initializer: torch.tensor([-55, -52, -51, -59]) });
      const out: number[] = [];
      for (let i = 0; i < 300; i++) { n.step_run(i, 20); out.push(...arr(n.V)); }
      return out;
    };
    expect(run()).toEqual(run());
    const n = new bp.dyn.LifRef(2, { tau_ref: 5, V_initializer: 3 });
    const V = n.V;
    n.step_run(0, 1000);
    n.reset_state();
    expect(n.V).toBe(V);
    expect(arr(n.V)).toEqual([3, 3]);
    expect(arr(n.t_last_spike!)).toEqual([-1e7, -1e7]);
    expect(Array.from(n.spike.buffer)).toEqual([0, 0]);
  });

  test('bm.for_loop over step_run collects snapshots of the spikes', () => {
    const n = new bp.dyn.LifRef(2, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, tau_ref: 5, V_initializer: torch.tensor([-50.02, -60]) });
    const spks = bm.for_loop((i: torch.Tensor) => n.step_run(i, 20), torch.arange(0, 5, { dtype: 'int32' }));
    expect(spks.shape).toEqual([5, 2]);
    expect(spks.dtype).toBe('bool');
    expect(Array.from(spks.buffer)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('argument errors', () => {
  test('unknown options, bad sizes, tensors as parameters, unsupported modes and methods', () => {
    expect(() => new bp.dyn.Lif(3, { taus: 1 } as any)).toThrow(/bp.dyn.Lif: unknown option "taus"/);
    expect(() => new bp.dyn.Lif(-1)).toThrow(/size must be/);
    expect(() => new bp.dyn.Lif(3, { tau: 0 })).toThrow(/tau must be a positive number, got 0/);
    expect(() => new bp.dyn.Lif(3, { tau: torch.tensor([1, 2, 3]) as any })).toThrow(/scalar parameters/);
    expect(() => new bp.dyn.LifRef(3, { tau_ref: -1 })).toThrow(/tau_ref must be a non-negative number/);
    expect(() => new bp.dyn.Lif(3, { method: 'rk4' as any })).toThrow(/method must be 'exp_auto'/);
    expect(() => new bp.dyn.Lif(3, { mode: new bm.Mode() })).toThrow(/mode must be bm.NonBatchingMode, bm.BatchingMode or bm.TrainingMode .*got Mode/);
    expect(() => new bp.dyn.Lif(3, { V_initializer: torch.zeros(4) })).toThrow(/shape \[3\]/);
    const n = new bp.dyn.Lif(3);
    expect(() => n.update(1)).toThrow(/share|t/);
    bp.share.save({ t: 0 });
    expect(() => n.update(torch.zeros(4))).toThrow(/x must be a number or a Tensor of shape \[3\]/);
    expect(() => n.step_run(0.5 as any, 1)).toThrow(/integer step index/);
  });
});
