/**
 * bp.dyn.Alpha and bp.dyn.DualExpon (BrainPy 2.8.2, brainpy/dyn/synapses/abstract_models.py at a13eef5a), against the
 * equations derived by hand in float64:
 *   exp_auto on the JointEq (g, h): every equation is evaluated at the OLD values, each with its own J:
 *     Alpha:     g' = g + dt·exprel(−dt/τ)·(−g/τ + h/τ);   h' = h + dt·exprel(−dt/τ)·(−h/τ);   then h' += x
 *     DualExpon: g' = g + dt·exprel(−dt/τd)·(−g/τd + h);   h' = h + dt·exprel(−dt/τr)·(−h/τr);  then h' += a·x
 *   a = (τr/τd)^(τr/(τr−τd))/τr (A null), e/τ (τr = τd), (τd − τr)/(τr·τd)·A (A given).
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { close, peak } from '../../helpers/approx';

const exprel = (z: number): number => (Math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : (Math.exp(z) - 1) / z);
const arr = (t: torch.Tensor): number[] => Array.from(t.contiguous().buffer.subarray(t.offset, t.offset + t.numel()) as Float32Array);

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });
afterAll(() => { bm.set_dt(0.1); });

describe('bp.dyn.Alpha', () => {
  test('JointEq exp-Euler (dg reads the old h), then h += x, over several steps', () => {
    const tau = 5, dt = 0.1;
    const syn = new bp.dyn.Alpha(3, { tau_decay: tau });
    syn.g.value = torch.tensor([0.5, 0, 2]);
    syn.h.value = torch.tensor([1, 0.25, 0]);
    const c = dt * exprel(-dt / tau);
    let g = [0.5, 0, 2], h = [1, 0.25, 0];
    const xs: (torch.Tensor | number)[] = [torch.tensor([1, 0, 0.5]), 0, torch.tensor([0, 2, 0]), 0.75, 0];
    xs.forEach((x, i) => {
      const out = syn.step_run(i, x) as torch.Tensor;
      const xv = typeof x === 'number' ? [x, x, x] : arr(x);
      const gNew = g.map((v, k) => v + c * (-v / tau + h[k] / tau));
      h = h.map((v, k) => v + c * (-v / tau) + xv[k]);
      g = gNew;
      expect(out).toBe(syn.g);
      close(arr(out), g);
      close(arr(syn.h), h);
    });
    // the input of a step reaches g only at the next step: from rest, one input leaves g at 0
    const s2 = new bp.dyn.Alpha(1, { tau_decay: tau });
    s2.step_run(0, 1);
    expect(arr(s2.g)).toEqual([0]);
    expect(arr(s2.h)).toEqual([1]);
    s2.step_run(1, 0);
    close(arr(s2.g), [c / tau]);
  });

  test('impulse response ≈ (t/τ)·e^(−t/τ): peak 1/e at t = τ', () => {
    // g_n = n·(c/τ)·d^(n−1) exactly (d = 1 − c/τ ≈ e^(−dt/τ)); vs the continuous solution the one-step lag of h costs
    // O(dt/2τ) = 0.5 % in amplitude and the peak lands on the step nearest τ (τ/dt = 100 steps)
    const syn = new bp.dyn.Alpha(1); // tau_decay = 10
    const gs: number[] = [];
    for (let i = 0; i < 300; i++) gs.push(arr(syn.step_run(i, i === 0 ? 1 : 0) as torch.Tensor)[0]);
    const [n, gmax] = peak(gs);
    expect(Math.abs(n * 0.1 - 10)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.abs(gmax - 1 / Math.E) / (1 / Math.E)).toBeLessThan(0.1 / 10); // < dt/τ
    // the whole curve follows the analytic solution within the same relative error (times its peak)
    gs.forEach((gv, i) => { const t = i * 0.1; expect(Math.abs(gv - (t / 10) * Math.exp(-t / 10))).toBeLessThan(0.01 / Math.E); });
  });

  test('defaults (tau_decay 10, g = h = 0), reset_state, return_info, desc', () => {
    const syn = new bp.dyn.Alpha([2, 2]);
    expect(syn.tau_decay).toBe(10);
    expect(syn.varshape).toEqual([2, 2]);
    expect(syn.num).toBe(4);
    expect(syn.method).toBe('exp_auto');
    expect(arr(syn.g)).toEqual([0, 0, 0, 0]);
    expect(arr(syn.h)).toEqual([0, 0, 0, 0]);
    syn.step_run(0, 1);
    syn.step_run(1, 0);
    expect(arr(syn.g).every((v) => v > 0)).toBe(true);
    syn.reset_state();
    expect(arr(syn.g)).toEqual([0, 0, 0, 0]);
    expect(arr(syn.h)).toEqual([0, 0, 0, 0]);
    expect(syn.return_info()).toBe(syn.g);
    const a = bp.dyn.Alpha.desc(10, { tau_decay: 5 }), b = bp.dyn.Alpha.desc(10, { tau_decay: 5 });
    expect(a.identifier).toBe(b.identifier);
    expect(a.identifier).not.toBe(bp.dyn.Alpha.desc(10, { tau_decay: 6 }).identifier);
    expect(a.identifier).not.toBe(bp.dyn.DualExpon.desc(10, { tau_decay: 5 }).identifier);
    const s = a.call();
    expect(s).toBeInstanceOf(bp.dyn.Alpha);
    expect(s.tau_decay).toBe(5);
    expect(s.num).toBe(10);
  });
});

describe('bp.dyn.DualExpon', () => {
  test('JointEq exp-Euler (dg reads the old h), then h += a·x, over several steps', () => {
    const tr = 2, td = 8, dt = 0.1;
    const syn = new bp.dyn.DualExpon(2, { tau_rise: tr, tau_decay: td });
    const a = Math.pow(tr / td, tr / (tr - td)) / tr;
    close([syn.a], [a]);
    syn.g.value = torch.tensor([0.3, 0]);
    syn.h.value = torch.tensor([0, 1]);
    const cg = dt * exprel(-dt / td), ch = dt * exprel(-dt / tr);
    let g = [0.3, 0], h = [0, 1];
    const xs: (torch.Tensor | number)[] = [torch.tensor([1, 0]), 0, torch.tensor([0, 1], { dtype: 'bool' }), 2, 0];
    xs.forEach((x, i) => {
      const out = syn.step_run(i, x) as torch.Tensor;
      const xv = typeof x === 'number' ? [x, x] : arr(x.to('float32'));
      const gNew = g.map((v, k) => v + cg * (-v / td + h[k]));
      h = h.map((v, k) => v + ch * (-v / tr) + a * xv[k]);
      g = gNew;
      expect(out).toBe(syn.g);
      close(arr(out), g);
      close(arr(syn.h), h);
    });
  });

  test('the normalization a: default, tau_rise = tau_decay (e/τ), explicit A', () => {
    close([new bp.dyn.DualExpon(1).a], [Math.pow(0.1, 1 / (1 - 10)) / 1]); // tau_decay 10, tau_rise 1 → ≈ 1.2915
    close([new bp.dyn.DualExpon(1, { tau_rise: 5, tau_decay: 5 }).a], [Math.E / 5]);
    close([new bp.dyn.DualExpon(1, { tau_rise: 2, tau_decay: 6, A: 3 }).a], [((6 - 2) / 2 / 6) * 3]);
    expect(new bp.dyn.DualExpon(1, { tau_rise: 4, tau_decay: 4, A: 3 }).a).toBe(0); // (τd − τr)·A = 0
    expect(new bp.dyn.DualExpon(1, { A: null }).a).toBe(new bp.dyn.DualExpon(1).a);
  });

  test('impulse response: peak 1 at t* = τrτd/(τd − τr)·ln(τd/τr); error shrinks with dt', () => {
    // continuous: g(t) = a·τrτd/(τd−τr)·(e^(−t/τd) − e^(−t/τr)), normalized by a to peak at 1. Discretely
    // g_n = c_d·a·(d_d^n − d_r^n)/(d_d − d_r): the one-step lag of h costs ≈ dt/(2τr) (5 % at dt = 0.1, τr = 1).
    const run = (dt: number, tr: number, td: number, T: number): number[] => {
      bm.set_dt(dt);
      const syn = new bp.dyn.DualExpon(1, { tau_rise: tr, tau_decay: td });
      const gs: number[] = [];
      for (let i = 0; i < Math.round(T / dt); i++) gs.push(arr(syn.step_run(i, i === 0 ? 1 : 0) as torch.Tensor)[0]);
      return gs;
    };
    const tStar = ((1 * 10) / 9) * Math.log(10); // ≈ 2.558 ms (defaults τr = 1, τd = 10)
    const coarse = peak(run(0.1, 1, 10, 20));
    expect(Math.abs(coarse[0] * 0.1 - tStar)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(coarse[1] - 1)).toBeLessThan(0.1 / 1); // < dt/τr
    const fine = peak(run(0.01, 1, 10, 20));
    expect(Math.abs(fine[0] * 0.01 - tStar)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(fine[1] - 1)).toBeLessThan(Math.abs(coarse[1] - 1) / 5); // first order in dt
    // τr = τd = τ: the normalized alpha function a·t·e^(−t/τ), a = e/τ: peak 1 at t = τ
    const eq = peak(run(0.1, 4, 4, 20));
    expect(Math.abs(eq[0] * 0.1 - 4)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.abs(eq[1] - 1)).toBeLessThan(0.1 / 4);
  });

  test('defaults (tau_decay 10, tau_rise 1, A null, g = h = 0), reset_state, desc', () => {
    const syn = new bp.dyn.DualExpon(3);
    expect(syn.tau_decay).toBe(10);
    expect(syn.tau_rise).toBe(1);
    expect(arr(syn.g)).toEqual([0, 0, 0]);
    expect(arr(syn.h)).toEqual([0, 0, 0]);
    syn.step_run(0, torch.tensor([1, 0, 1]));
    expect(arr(syn.h)).toEqual([syn.a, 0, syn.a]);
    syn.reset_state();
    expect(arr(syn.h)).toEqual([0, 0, 0]);
    expect(syn.return_info()).toBe(syn.g);
    const d = bp.dyn.DualExpon.desc(3, { tau_decay: 5, tau_rise: 0.5 });
    expect(d.identifier).toBe(bp.dyn.DualExpon.desc(3, { tau_decay: 5, tau_rise: 0.5 }).identifier);
    expect(d.identifier).not.toBe(bp.dyn.DualExpon.desc(3, { tau_decay: 5, tau_rise: 1 }).identifier);
    const s = d.call();
    expect(s).toBeInstanceOf(bp.dyn.DualExpon);
    expect(s.tau_rise).toBe(0.5);
  });
});

describe('projections and a neuron', () => {
  test('the align-post projections reject Alpha / DualExpon (not AlignPost in BrainPy 2.8.2), as upstream', () => {
    const post = new bp.dyn.Lif(2);
    const comm = (x: torch.Tensor): torch.Tensor => x;
    for (const syn of [bp.dyn.Alpha.desc(2), bp.dyn.DualExpon.desc(2)]) {
      expect(() => new bp.dyn.HalfProjAlignPostMg({ comm, syn, out: bp.dyn.COBA.desc({ E: 0 }), post }))
        .toThrow(/bp.dyn.HalfProjAlignPostMg: syn must be an align-post synapse .*, got/);
    }
    expect(() => new bp.dyn.HalfProjAlignPost({ comm, syn: new bp.dyn.DualExpon(2), out: new bp.dyn.COBA({ E: 0 }), post }))
      .toThrow(/bp.dyn.HalfProjAlignPost: syn must be an align-post synapse/);
    expect(() => new bp.dyn.HalfProjAlignPost({ comm, syn: new bp.dyn.Alpha(2), out: new bp.dyn.CUBA(), post }))
      .toThrow(/bp.dyn.HalfProjAlignPost: syn must be an align-post synapse/);
    // nothing was registered on post by the failed merging projections
    expect(post.before_updates.size).toBe(0);
    expect(post.current_inputs.size).toBe(0);
  });

  test('align-pre wiring (what ProjAlignPre*Mg2 does, comm = identity): syn(spk) → COBA → Lif', () => {
    const N = new bp.dyn.Lif(1, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, V_initializer: -60 });
    const syn = new bp.dyn.DualExpon(1, { tau_rise: 1, tau_decay: 5 });
    const out = new bp.dyn.COBA({ E: 0 });
    N.add_inp_fun('e', out);
    const a = Math.pow(1 / 5, 1 / (1 - 5)) / 1;
    const cg = 0.1 * exprel(-0.1 / 5), ch = 0.1 * exprel(-0.1 / 1), cV = 0.1 * exprel(-0.1 / 20);
    let g = 0, h = 0, V = -60;
    for (let i = 0; i < 6; i++) {
      bp.share.save({ i, t: i * 0.1 });
      const spk = i === 0 || i === 2 ? 1 : 0;
      out.bind_cond(syn.call(spk) as torch.Tensor); // syn on the pre side; its g is what comm would carry to post
      N.call(0);
      const gNew = g + cg * (-g / 5 + h);
      h = h + ch * (-h) + a * spk;
      g = gNew;
      V = V + (cV * (-V - 60 + g * (0 - V))) / 20;
      close(arr(syn.g), [g]);
      close(arr(N.V), [V]);
    }
    expect(V).toBeGreaterThan(-60);
  });
});

describe('argument errors', () => {
  test('constructors: function, argument, expected, got', () => {
    expect(() => new bp.dyn.Alpha(2, { tau_decay: -1 })).toThrow(/^bp.dyn.Alpha: tau_decay must be a positive number, got -1$/);
    expect(() => new bp.dyn.Alpha(2, { tau: 5 } as any)).toThrow(/bp.dyn.Alpha: unknown option "tau"; expected one of .*tau_decay/);
    expect(() => new bp.dyn.Alpha(2, { method: 'euler' } as any)).toThrow(/bp.dyn.Alpha: method must be 'exp_auto'.*, got/);
    expect(() => new bp.dyn.Alpha(-2)).toThrow(/bp.dyn.Alpha: size must be a non-negative integer/);
    expect(() => new bp.dyn.Alpha(2, { tau_decay: torch.tensor([1, 2]) } as any)).toThrow(/bp.dyn.Alpha: tau_decay must be a number/);
    expect(() => new bp.dyn.DualExpon(2, { tau_rise: 0 })).toThrow(/^bp.dyn.DualExpon: tau_rise must be a positive number, got 0$/);
    expect(() => new bp.dyn.DualExpon(2, { tau_decay: 'x' as any })).toThrow(/bp.dyn.DualExpon: tau_decay must be a number, got/);
    expect(() => new bp.dyn.DualExpon(2, { A: 'x' as any })).toThrow(/bp.dyn.DualExpon: A must be a finite number or null, got/);
    expect(() => new bp.dyn.DualExpon(2, { A: Infinity })).toThrow(/bp.dyn.DualExpon: A must be a finite number or null, got/);
    expect(() => new bp.dyn.DualExpon(2, { g_initializer: 0 } as any)).toThrow(/bp.dyn.DualExpon: unknown option "g_initializer"/);
    expect(() => new bp.dyn.DualExpon(2, { sharding: ['x'] } as any)).toThrow(/bp.dyn.DualExpon: sharding must be null/);
  });

  test('update: x is required and must fit the shape', () => {
    const al = new bp.dyn.Alpha(2), de = new bp.dyn.DualExpon(2);
    expect(() => (al as any).update()).toThrow(/bp.dyn.Alpha.update: x must be a number or a Tensor .*, got undefined/);
    expect(() => (de as any).update(null)).toThrow(/bp.dyn.DualExpon.update: x must be a number or a Tensor .*, got null/);
    expect(() => al.update(torch.zeros(3))).toThrow(/bp.dyn.Alpha.update: x must be a number or a Tensor of shape \[2\]/);
    expect(() => de.update(torch.zeros(3))).toThrow(/bp.dyn.DualExpon.update: x must be a number or a Tensor of shape \[2\]/);
    expect(() => de.update('1' as any)).toThrow(/bp.dyn.DualExpon.update: x must be a number or a Tensor, got/);
  });
});
