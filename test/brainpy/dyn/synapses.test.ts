/**
 * bp.dyn.Expon, bp.dyn.COBA / CUBA and ParamDescriber (`.desc`), against the BrainPy 2.x equations (reference §6.1):
 *   Expon: g' = g + dt·exprel(−dt/tau)·(−g/tau), then g' += x;   COBA: g·(E − V);   CUBA: g.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { close } from '../../helpers/approx';

const exprel = (z: number): number => (Math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : (Math.exp(z) - 1) / z);
const arr = (t: torch.Tensor): number[] => Array.from(t.contiguous().buffer.subarray(t.offset, t.offset + t.numel()) as Float32Array);

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });

describe('Expon', () => {
  test('decays by exponential Euler, then adds the input', () => {
    const syn = new bp.dyn.Expon(3, { tau: 5, g_initializer: torch.tensor([1, 2, 0]) });
    const c = 0.1 * exprel(-0.1 / 5);
    let g = [1, 2, 0];
    const xs = [torch.tensor([0, 1, 0.5]), undefined, torch.tensor([0.25, 0, 0])];
    xs.forEach((x, i) => {
      const out = syn.step_run(i, x) as torch.Tensor;
      g = g.map((v, k) => v + c * (-v / 5) + (x ? arr(x)[k] : 0));
      close(arr(out), g);
    });
    // ≈ g·e^(−dt/tau)
    expect(Math.abs(c * (-1 / 5) + 1 - Math.exp(-0.02))).toBeLessThan(1e-6);
  });

  test('defaults tau = 8, g = 0; add_current / align_post_input_add; reset_state', () => {
    const syn = new bp.dyn.Expon(2);
    expect(syn.tau).toBe(8);
    expect(arr(syn.g)).toEqual([0, 0]);
    syn.align_post_input_add(torch.tensor([1, 3]));
    syn.add_current(1);
    expect(arr(syn.g)).toEqual([2, 4]);
    syn.step_run(0);
    close(arr(syn.g), [2, 4].map((v) => v - 0.1 * exprel(-0.1 / 8) * v / 8));
    syn.reset_state();
    expect(arr(syn.g)).toEqual([0, 0]);
    expect(syn.return_info()).toBe(syn.g);
  });

  test('HalfProjAlignPostMg order through hooks: g_n = (g_{n−1} + Δ_n)·decay, the neuron sees the decayed g', () => {
    // what an align-post *Mg* projection wires: syn.g += Δ now; the post neuron's before-update hook decays g and binds it
    const N = new bp.dyn.Lif(1, { V_rest: -60, V_reset: -60, V_th: -50, tau: 20, V_initializer: -60 });
    const syn = new bp.dyn.Expon(1, { tau: 5 });
    const out = new bp.dyn.COBA({ E: 0 });
    N.add_inp_fun('e', out);
    N.add_bef_update('syn', () => { out.bind_cond(syn.call()); });
    const d = 1 + 0.1 * exprel(-0.02) * (-1 / 5);
    const c = 0.1 * exprel(-0.1 / 20);
    let g = 0, V = -60;
    for (let i = 0; i < 3; i++) {
      bp.share.save({ i, t: i * 0.1 });
      syn.align_post_input_add(1);
      N.call(0);
      g = (g + 1) * d;
      V = V + (c * (-V - 60 + g * (0 - V))) / 20;
      close(arr(syn.g), [g]);
      close(arr(N.V), [V], 1e-6);
    }
  });

  test('argument errors', () => {
    expect(() => new bp.dyn.Expon(2, { tau: -1 })).toThrow(/bp.dyn.Expon: tau must be a positive number, got -1/);
    expect(() => new bp.dyn.Expon(2, { taus: 1 } as any)).toThrow(/unknown option "taus"/);
    const syn = new bp.dyn.Expon(2);
    expect(() => syn.add_current(torch.zeros(3))).toThrow(/x must be a number or a Tensor of shape \[2\]/);
  });
});

describe('COBA / CUBA', () => {
  test('COBA(E): g·(E − V); CUBA: g; unbound outputs raise', () => {
    const out = new bp.dyn.COBA({ E: -80 });
    expect(() => out.call(torch.tensor([0]))).toThrow(/bind_cond/);
    out.bind_cond(torch.tensor([0.5, 2]));
    close(arr(out.call(torch.tensor([-60, -70])) as torch.Tensor), [0.5 * -20, 2 * -10]);
    expect(out.update(2, -70)).toBe(-20);
    out.unbind_cond();
    expect(() => out.call(torch.tensor([0, 0]))).toThrow(/does not have the conductance/);
    const cu = new bp.dyn.CUBA();
    cu.bind_cond(torch.tensor([1, 2]));
    expect(arr(cu.call(torch.tensor([5, 5])) as torch.Tensor)).toEqual([1, 2]);
    expect(new bp.dyn.COBA().E).toBe(0);
    expect(() => new bp.dyn.COBA({ E: 'x' as any })).toThrow(/E must be a number/);
    expect(() => new bp.dyn.CUBA({ E: 1 } as any)).toThrow(/unknown option "E"/);
    expect(() => out.bind_cond('g' as any)).toThrow(/conductance must be a Tensor or a number/);
  });

  test('a bound conductance of the wrong size raises in the neuron step', () => {
    const N = new bp.dyn.Lif(3);
    const out = new bp.dyn.COBA({ E: 0 });
    out.bind_cond(torch.zeros(2));
    N.add_inp_fun('e', out);
    expect(() => N.step_run(0, 0)).toThrow(/2 elements .* has 3/);
  });
});

describe('desc (ParamDescriber)', () => {
  test('equal arguments give equal identifiers; call() builds an instance', () => {
    const a = bp.dyn.Expon.desc(10, { tau: 5 });
    const b = bp.dyn.Expon.desc(10, { tau: 5 });
    const c = bp.dyn.Expon.desc(10, { tau: 10 });
    const o1 = bp.dyn.COBA.desc({ E: 0 }), o2 = bp.dyn.COBA.desc({ E: 0 }), o3 = bp.dyn.COBA.desc({ E: -80 });
    expect(a.identifier).toBe(b.identifier);
    expect(a.identifier).not.toBe(c.identifier);
    expect(o1.identifier).toBe(o2.identifier);
    expect(o1.identifier).not.toBe(o3.identifier);
    expect(a.identifier).not.toBe(bp.dyn.CUBA.desc().identifier);
    const syn = a.call();
    expect(syn).toBeInstanceOf(bp.dyn.Expon);
    expect(syn.tau).toBe(5);
    expect(syn.num).toBe(10);
    expect(o3.call().E).toBe(-80);
  });
});
