/**
 * brainstate.nn.DualExpon and brainstate.nn.Alpha (brainstate 0.1.10, brainstate/nn/_synapse.py at 877fb865), against
 * the equations derived by hand in float64 (units dropped: ms, mS):
 *   DualExpon: g_r' = g_r·D_r + Σδ (values consumed here), g_d' = g_d·D_d + Σδ (callables only), both += x;
 *              returns a·(g_d − g_r), a = (τd − τr)/(τr·τd)·A, A = τd/(τd − τr)·(τr/τd)^(τr/(τr − τd)) when None
 *   Alpha:     g' = g + dt·exprel(−dt/τ)·(−g/τ + h/τ) (old h);  h' = h·D + Σδ + x;  returns g
 *   with D = 1 + dt·exprel(−dt/τ)·(−1/τ) ≈ e^(−dt/τ).
 */
import * as torch from '../../../src/torch/index';
import { environ, nn } from '../../../src/brainstate/index';
import { close, peak } from '../../helpers/approx';

const arr = (t: torch.Tensor): number[] => Array.from(t.toTypedArray() as Float32Array);
const exprel = (z: number): number => (Math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : Math.expm1(z) / z);
const decay = (tau: number, dt = 0.1): number => 1 + dt * exprel(-dt / tau) * (-1 / tau);
const dualA = (tr: number, td: number): number => ((td - tr) / tr / td) * (td / (td - tr)) * Math.pow(tr / td, tr / (tr - td));

afterEach(() => environ._reset_for_tests());

describe('DualExpon (brainstate 0.1.10)', () => {
  test('hand values over several steps: x to both, value delta → g_rise only, callable delta → both', () => {
    const tr = 2, td = 8;
    const syn = new nn.DualExpon(2, { tau_rise: tr, tau_decay: td });
    syn.init_state();
    const a = dualA(tr, td);
    close(Array.from(syn.a), [a, a]);
    const Dr = decay(tr), Dd = decay(td);
    let gr = [0, 0], gd = [0, 0];
    const step = (x: number[] | null, valueDelta: number[] | null, fnDelta: number[] | null): number[] => {
      gr = gr.map((v, k) => v * Dr + (valueDelta ? valueDelta[k] : 0) + (fnDelta ? fnDelta[k] : 0) + (x ? x[k] : 0));
      gd = gd.map((v, k) => v * Dd + (fnDelta ? fnDelta[k] : 0) + (x ? x[k] : 0));
      return gd.map((v, k) => a * (v - gr[k]));
    };
    // step 0: direct input; the output is a·(1 − 1) = 0 at once
    close(arr(syn.call(torch.tensor([1, 0.5]))), step([1, 0.5], null, null));
    close(arr(syn.call()), step(null, null, null));
    // a value delta input is consumed by the g_rise sum: g_decay never sees it (upstream sum_delta_inputs pops it)
    syn.add_delta_input('v', torch.tensor([0.25, 1]));
    close(arr(syn.call()), step(null, [0.25, 1], null));
    expect(syn.delta_inputs?.size).toBe(0);
    // a callable delta input is kept and called for both sums
    let calls = 0;
    syn.add_delta_input('f', () => { calls++; return torch.tensor([0.5, 0]); });
    close(arr(syn.call(2)), step([2, 2], null, [0.5, 0]));
    expect(calls).toBe(2);
    close(arr(syn.call()), step(null, null, [0.5, 0]));
    close(arr(syn.g_rise.value), gr);
    close(arr(syn.g_decay.value), gd);
  });

  test('impulse response a·(e^(−t/τd) − e^(−t/τr)): peak 1/τr − 1/τd at t* = τrτd/(τd − τr)·ln(τd/τr)', () => {
    // exp-Euler is exact for the two linear decays, so the steps sample the continuous solution; the step nearest t* is at
    // most dt/2 away, which costs at most |g''|·(dt/2)²/2 ≈ 1.2e-4 of the peak (defaults τr = 1, τd = 10)
    const syn = new nn.DualExpon(1);
    syn.init_state();
    const gs = [arr(syn.call(1))[0]];
    for (let i = 1; i < 200; i++) gs.push(arr(syn.call())[0]);
    const a = dualA(1, 10);
    gs.forEach((g, n) => expect(Math.abs(g - a * (Math.exp(-n * 0.01) - Math.exp(-n * 0.1)))).toBeLessThan(1e-5));
    const [n, gmax] = peak(gs);
    const tStar = (10 / 9) * Math.log(10);
    expect(Math.abs(n * 0.1 - tStar)).toBeLessThanOrEqual(0.05 + 1e-9);
    // upstream's a = (τd − τr)/(τrτd)·A with A the peak normalizer of g_d − g_r: the peak is 0.9 per unit of x, not 1
    expect(Math.abs(gmax - (1 / 1 - 1 / 10))).toBeLessThan(5e-4);
  });

  test('defaults, A, tau_rise = tau_decay (NaN upstream), init/reset_state, batch, desc', () => {
    const syn = new nn.DualExpon(3);
    expect(Array.from(syn.tau_decay)).toEqual([10, 10, 10]);
    expect(Array.from(syn.tau_rise)).toEqual([1, 1, 1]);
    close(Array.from(syn.a), [dualA(1, 10), dualA(1, 10), dualA(1, 10)]);
    close(Array.from(new nn.DualExpon(1, { tau_rise: 2, tau_decay: 6, A: 3 }).a), [((6 - 2) / 2 / 6) * 3]);
    // per-neuron taus (Tensor) broadcast like brainstate's init.param
    const het = new nn.DualExpon(2, { tau_rise: torch.tensor([1, 2]), tau_decay: 10 });
    close(Array.from(het.a), [dualA(1, 10), dualA(2, 10)]);
    // upstream surprise: A = None with τr = τd is ∞·(1^∞) and a = 0·∞ = NaN (BrainPy 2.8.2 special-cases this; 0.1.10 does not)
    expect(Number.isNaN(new nn.DualExpon(1, { tau_rise: 5, tau_decay: 5 }).a[0])).toBe(true);
    expect(Array.from(new nn.DualExpon(1, { tau_rise: 5, tau_decay: 5, A: 2 }).a)).toEqual([0]);
    syn.init_state();
    expect(arr(syn.g_rise.value)).toEqual([0, 0, 0]);
    expect(arr(syn.g_decay.value)).toEqual([0, 0, 0]);
    syn.call(1);
    syn.reset_state();
    expect(arr(syn.g_decay.value)).toEqual([0, 0, 0]);
    const b = new nn.DualExpon(3, { g_initializer: 0.5 });
    b.init_state(2);
    expect(b.g_rise.value.shape).toEqual([2, 3]);
    expect(arr(b.g_decay.value)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    close(arr(b.call()), new Array(6).fill(dualA(1, 10) * 0.5 * (decay(10) - decay(1)))); // the batch axis broadcasts
    const d1 = nn.DualExpon.desc(3, { tau_decay: 5 }), d2 = nn.DualExpon.desc(3, { tau_decay: 5 });
    expect(d1.identifier).toBe(d2.identifier);
    expect(d1.identifier).not.toBe(nn.DualExpon.desc(3, { tau_decay: 6 }).identifier);
    expect(d1.identifier).not.toBe(nn.Expon.desc(3, { tau: 5 }).identifier);
    const s = d1.call();
    expect(s).toBeInstanceOf(nn.DualExpon);
    expect(Array.from(s.tau_decay)).toEqual([5, 5, 5]);
    // positional arguments as Python: (in_size, name, tau_decay, tau_rise, A, g_initializer)
    expect(Array.from(new nn.DualExpon(1, null, 7, 3).tau_rise)).toEqual([3]);
  });
});

describe('Alpha (brainstate 0.1.10)', () => {
  test('hand values over several steps: g from the old h; delta inputs and x go to h', () => {
    const tau = 4;
    const syn = new nn.Alpha(2, { tau, g_initializer: torch.tensor([0.5, 0]) });
    syn.init_state();
    expect(arr(syn.h.value)).toEqual([0.5, 0]); // g_initializer initializes h too
    const c = 0.1 * exprel(-0.1 / tau);
    let g = [0.5, 0], h = [0.5, 0];
    const step = (extra: number[]): number[] => {
      const gNew = g.map((v, k) => v + c * (-v / tau + h[k] / tau));
      h = h.map((v, k) => v + c * (-v / tau) + extra[k]);
      g = gNew;
      return g;
    };
    close(arr(syn.call(torch.tensor([1, 2]))), step([1, 2]));
    close(arr(syn.call()), step([0, 0]));
    syn.add_delta_input('v', 0.25);
    close(arr(syn.call(torch.tensor([0, 1]))), step([0.25, 1.25]));
    syn.add_delta_input('f', () => torch.tensor([0, 0.5]));
    close(arr(syn.call()), step([0, 0.5]));
    close(arr(syn.call()), step([0, 0.5]));
    close(arr(syn.h.value), h);
    // from rest, the input of a step reaches g only at the next step
    const s2 = new nn.Alpha(1);
    s2.init_state();
    expect(arr(s2.call(1))).toEqual([0]);
    close(arr(s2.call()), [(0.1 * exprel(-0.1 / 8)) / 8]);
  });

  test('impulse response ≈ (t/τ)·e^(−t/τ): peak 1/e at t = τ (not 1, as the upstream docstring says)', () => {
    // g_n = n·(c/τ)·D^(n−1): the one-step lag of h costs O(dt/2τ) ≈ 0.6 % and puts the peak on the step nearest τ
    const syn = new nn.Alpha(1); // tau = 8
    syn.init_state();
    const gs = [arr(syn.call(1))[0]];
    for (let i = 1; i < 300; i++) gs.push(arr(syn.call())[0]);
    const [n, gmax] = peak(gs);
    expect(Math.abs(n * 0.1 - 8)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.abs(gmax - 1 / Math.E) / (1 / Math.E)).toBeLessThan(0.1 / 8); // < dt/τ
  });

  test('defaults (tau 8, g = h = 0), reset_state, desc', () => {
    const syn = new nn.Alpha(2);
    expect(Array.from(syn.tau)).toEqual([8, 8]);
    syn.init_state();
    expect(arr(syn.g.value)).toEqual([0, 0]);
    syn.call(1);
    syn.call();
    syn.reset_state();
    expect(arr(syn.g.value)).toEqual([0, 0]);
    expect(arr(syn.h.value)).toEqual([0, 0]);
    const d = nn.Alpha.desc(2, { tau: 3 });
    expect(d.identifier).toBe(nn.Alpha.desc(2, { tau: 3 }).identifier);
    expect(d.call()).toBeInstanceOf(nn.Alpha);
    expect(Array.from(new nn.Alpha(1, 'a', 3).tau)).toEqual([3]);
  });
});

describe('AlignPostProj with DualExpon / Alpha and a LIF', () => {
  const ident = (x: torch.Tensor): torch.Tensor => x.to('float32');

  test('DualExpon.desc merges; the delta reaches g_rise only, so the conductance is −a·g_rise (upstream)', () => {
    const tr = 1, td = 5, tm = 10;
    const post = new nn.LIF(2, { tau: tm, V_th: 1e9, V_rest: 0, V_initializer: 0 });
    post.init_state();
    const p1 = new nn.AlignPostProj({ comm: ident, syn: nn.DualExpon.desc(2, { tau_rise: tr, tau_decay: td }), out: nn.CUBA.desc(), post });
    const p2 = new nn.AlignPostProj({ comm: ident, syn: nn.DualExpon.desc(2, { tau_rise: tr, tau_decay: td }), out: nn.CUBA.desc(), post });
    expect(p1.syn).toBe(p2.syn);
    const syn = p1.syn as InstanceType<typeof nn.DualExpon>;
    const a = dualA(tr, td), Dr = decay(tr), cV = 0.1 * exprel(-0.1 / tm);
    let gr = [0, 0], V = [0, 0];
    const spikes = [[1, 0], [0, 0], [1, 1], [0, 0]];
    for (let i = 0; i < spikes.length; i++) {
      environ.context({ i, t: i * 0.1 }, () => {
        p1.call(torch.tensor(spikes[i]));
        if (i === 2) p2.call(torch.tensor([0, 1]));
        post.call(0);
      });
      const extra = i === 2 ? [0, 1] : [0, 0];
      gr = gr.map((v, k) => v * Dr + spikes[i][k] + extra[k]);
      const g = gr.map((v) => -a * v);
      V = V.map((v, k) => v + cV * (-v + g[k]) / tm); // LIF: (−V + V_rest + R·I)/τ with the CUBA current I = g
      close(arr(syn.g_rise.value), gr);
      expect(arr(syn.g_decay.value)).toEqual([0, 0]);
      close(arr(post.V.value), V);
    }
    expect(V[0]).toBeLessThan(0); // an "excitatory" DualExpon projection hyperpolarizes: the upstream ordering bug
  });

  test('Alpha.desc is rejected (not AlignPost); an Alpha instance works, its delta input going to h', () => {
    const post = new nn.LIF(1, { tau: 10, V_th: 1e9, V_rest: 0, V_initializer: 0 });
    post.init_state();
    expect(() => new nn.AlignPostProj({ comm: ident, syn: nn.Alpha.desc(1), out: nn.CUBA.desc(), post }))
      .toThrow(/brainstate.nn.AlignPostProj: syn must be a describer of an AlignPost synapse .*, got Alpha.desc\(...\)/);
    expect(post.before_updates.size).toBe(0);
    const syn = new nn.Alpha(1, { tau: 2 });
    syn.init_state();
    const proj = new nn.AlignPostProj({ comm: ident, syn, out: new nn.CUBA(), post });
    expect(proj.merging).toBe(false);
    const c = 0.1 * exprel(-0.1 / 2), cV = 0.1 * exprel(-0.1 / 10);
    let g = 0, h = 0, V = 0;
    const spikes = [1, 0, 0, 1, 0];
    for (let i = 0; i < spikes.length; i++) {
      environ.context({ i, t: i * 0.1 }, () => {
        proj.call(torch.tensor([spikes[i]]));
        post.call(0);
      });
      const gNew = g + c * (-g / 2 + h / 2);
      h = h + c * (-h / 2) + spikes[i];
      g = gNew;
      V = V + cV * (-V + g) / 10;
      close(arr(syn.g.value), [g]);
      close(arr(syn.h.value), [h]);
      close(arr(post.V.value), [V]);
    }
    expect(V).toBeGreaterThan(0);
  });
});

describe('argument errors', () => {
  test('constructors and update: function, argument, expected, got', () => {
    expect(() => new nn.DualExpon(2, { tau_rise: 0 })).toThrow(/^brainstate.nn.DualExpon: tau_rise must be positive, got 0$/);
    expect(() => new nn.DualExpon(2, { tau_decay: -1 })).toThrow(/brainstate.nn.DualExpon: tau_decay must be positive, got -1/);
    expect(() => new nn.DualExpon(2, { tau_decay: torch.tensor([1, 2, 3]) })).toThrow(/brainstate.nn.DualExpon: tau_decay has shape \[3\], which does not broadcast to the state's shape \[2\]/);
    expect(() => new nn.DualExpon(2, { A: NaN })).toThrow(/brainstate.nn.DualExpon: A must be a number \(not NaN\) or a Tensor, got/);
    expect(() => new nn.DualExpon(2, { A: 'x' as any })).toThrow(/brainstate.nn.DualExpon: A must be a number or a Tensor, got/);
    expect(() => new nn.DualExpon(2, { g_initializer: 'zero' as any })).toThrow(/brainstate.nn.DualExpon: g_initializer must be a number, a Tensor or a function/);
    expect(() => new nn.DualExpon(2, { tau: 5 } as any)).toThrow(/brainstate.nn.DualExpon: .*tau/);
    expect(() => new nn.Alpha(2, { tau: 0 })).toThrow(/^brainstate.nn.Alpha: tau must be positive, got 0$/);
    expect(() => new nn.Alpha(2, { tau_decay: 5 } as any)).toThrow(/brainstate.nn.Alpha: .*tau_decay/);
    expect(() => new nn.Alpha(0)).toThrow(/brainstate.nn.Alpha: in_size/);
    expect(() => new nn.Alpha(2).call(1)).toThrow(/Alpha.update: the state is not initialized; call init_state\(\) first/);
    expect(() => new nn.DualExpon(2).call(1)).toThrow(/DualExpon.update: the state is not initialized; call init_state\(\) first/);
    const syn = new nn.DualExpon(2);
    syn.init_state();
    expect(() => syn.call(torch.zeros(3))).toThrow(/DualExpon.update: x has shape \[3\], which does not broadcast to the state's shape \[2\]/);
    const al = new nn.Alpha(2);
    al.init_state();
    expect(() => al.call('1' as any)).toThrow(/Alpha.update: x must be a number or a Tensor, got/);
    const w = torch.tensor([1, 2]).requires_grad_(true);
    expect(() => new nn.Alpha(2, { tau: w })).toThrow(/brainstate.nn.Alpha: tau requires grad/);
  });
});
