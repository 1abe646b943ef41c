import * as torch from '../../../src/torch/index';
import { environ, compile, nn, surrogate } from '../../../src/brainstate/index';

const arr = (t: torch.Tensor): number[] => Array.from(t.toTypedArray() as Float32Array);
const E = (z: number): number => Math.exp(z);

afterEach(() => environ._reset_for_tests());

describe('LIF (brainstate 0.1.10)', () => {
  test('constant input: V_n = x·(1 − e^(−n·dt/tau)); spike at step 3; soft reset happens at step 4', () => {
    const lif = new nn.LIF(1, { tau: 5, V_th: 1 });
    lif.init_state();
    const a = 1 - E(-0.1 / 5);
    const V1 = 20 * a, V2 = V1 + (20 - V1) * a, V3 = V2 + (20 - V2) * a;
    const spk = [lif.call(20), lif.call(20), lif.call(20)].map((s) => arr(s)[0]);
    expect(spk).toEqual([0, 0, 1]);
    expect(arr(lif.V.value)[0]).toBeCloseTo(V3, 5); // NOT reset within the spiking step (BrainPy 2.x would hold V_reset)
    const last = V3 - 1; // soft: V − (V_th − V_reset)·spk at the start of the next step
    lif.call(20);
    expect(arr(lif.V.value)[0]).toBeCloseTo(last + (20 - last) * a, 5);
  });

  test("'hard' reset sets V_reset at the start of the next step", () => {
    const lif = new nn.LIF(1, { tau: 5, V_th: 1, V_reset: -0.5, spk_reset: 'hard', V_initializer: 2 });
    lif.init_state();
    lif.call(0);
    const a = 1 - E(-0.02);
    expect(arr(lif.V.value)[0]).toBeCloseTo(-0.5 + (0 - -0.5) * a, 6);
  });

  test('COBA current is evaluated inside the integrand: exact exponential with the total conductance', () => {
    const lif = new nn.LIF(2, { tau: 10, V_th: 100, V_reset: -60, V_rest: -60, V_initializer: -60 });
    lif.init_state();
    const out = new nn.COBA(0);
    out.bind_cond(0.5);
    lif.add_current_input('coba', out);
    lif.call(0);
    // V∞ = (V_rest + g·E)/(1 + g) = −40, rate (1 + g)/tau
    expect(arr(lif.V.value)[0]).toBeCloseTo(-40 + (-60 + 40) * E(-0.1 * 1.5 / 10), 4);
  });

  test('value inputs are used once; delta inputs add after integration', () => {
    const lif = new nn.LIF(1, { tau: 5, V_th: 100 });
    lif.init_state();
    lif.add_current_input('once', 10);
    lif.add_delta_input('kick', 0.25);
    lif.call(0);
    const v1 = 10 * (1 - E(-0.02)) + 0.25;
    expect(arr(lif.V.value)[0]).toBeCloseTo(v1, 6);
    lif.call(0);
    expect(arr(lif.V.value)[0]).toBeCloseTo(v1 * E(-0.02), 6);
    expect(lif.current_inputs!.size).toBe(0);
  });

  test('batch and determinism', () => {
    const run = (): number[] => {
      const lif = new nn.LIF([3], { tau: 5, V_th: 1, V_initializer: torch.tensor([0, 0.5, 0.9]) });
      lif.init_state(2);
      const s: number[] = [];
      for (let k = 0; k < 20; k++) s.push(...arr(lif.call(torch.tensor([10, 12, 14]))));
      return s.concat(arr(lif.V.value));
    };
    const a = run();
    expect(a).toEqual(run());
    expect(a.length).toBe(20 * 6 + 6);
  });

  test('argument errors', () => {
    expect(() => new nn.LIF(0)).toThrow(/in_size/);
    expect(() => new nn.LIF(2, { spk_reset: 'zero' as 'soft' })).toThrow(/spk_reset/);
    expect(() => new nn.LIF(2, { taux: 1 } as object)).toThrow(/unknown option "taux"/);
    expect(() => new nn.LIF(2, { tau: -1 })).toThrow(/tau/);
    const lif = new nn.LIF(2);
    expect(() => lif.call(1)).toThrow(/init_state/);
    lif.init_state();
    expect(() => lif.call(torch.zeros(3))).toThrow(/shape \[3\].*\[2\]/);
    expect(() => lif.call(torch.zeros(2).requires_grad_())).toThrow(/gradients/);
    lif.add_current_input('k', 1);
    expect(() => lif.add_current_input('k', 2)).toThrow(/Key "k"/);
  });

  test('spk_fun is a surrogate: its forward is the Heaviside of (V − V_th)/(V_th − V_reset)', () => {
    const lif = new nn.LIF(2, { V_th: 1, spk_fun: new surrogate.Sigmoid() });
    lif.init_state();
    expect(arr(lif.get_spike(torch.tensor([1, 0.999])))).toEqual([1, 0]);
  });
});

describe('LIFRef: strict refractory test (t − t_spike < tau_ref), unlike BrainPy 2.x (<=)', () => {
  const runRef = (tau_ref: number): number[] => {
    environ.set({ dt: 0.5 });
    const n = new nn.LIFRef(1, { tau: 5, V_th: 1, tau_ref, spk_reset: 'hard' });
    n.init_state();
    const V: number[] = [];
    for (let i = 1; i <= 3; i++) environ.context({ i, t: i * 0.5 }, () => { n.call(100); V.push(arr(n.V.value)[0]); });
    return V;
  };
  test('held while t − t_spike < tau_ref, integrates at exactly tau_ref', () => {
    const a = 1 - E(-0.5 / 5);
    const V = runRef(1.0);
    expect(V[0]).toBeCloseTo(100 * a, 4); // spikes at t = 0.5
    expect(V[1]).toBe(0); // t = 1.0: reset to V_reset and held (0.5 < 1)
    expect(V[2]).toBeCloseTo(100 * a, 4); // t = 1.5: 1.0 < 1.0 is false → integrates (BrainPy 2.x would still hold)
    expect(runRef(1.25)[2]).toBe(0);
  });
  test('needs environ t', () => {
    const n = new nn.LIFRef(1);
    n.init_state();
    expect(() => n.call(0)).toThrow(/"t" is not set/);
  });
});

describe('Expon, COBA, CUBA', () => {
  test('g_n = g_{n−1}·e^(−dt/tau) + Δ_n', () => {
    const syn = new nn.Expon(2, { tau: 5 });
    syn.init_state();
    expect(arr(syn.call(torch.tensor([1, 2])))).toEqual([1, 2]);
    syn.add_delta_input('d', 0.5);
    const g2 = arr(syn.call());
    expect(g2[0]).toBeCloseTo(E(-0.02) + 0.5, 6);
    expect(g2[1]).toBeCloseTo(2 * E(-0.02) + 0.5, 6);
    expect(() => new nn.Expon(2, { tau: 0 })).toThrow(/tau/);
  });
  test('COBA g·(E − V), CUBA g·scale, unbound raises', () => {
    const c = new nn.COBA(-80);
    expect(() => c.call(torch.tensor([0]))).toThrow(/bind_cond/);
    c.bind_cond(torch.tensor([2, 3]));
    expect(arr(c.call(torch.tensor([-60, -70])) as torch.Tensor)).toEqual([-40, -30]);
    const u = new nn.CUBA(2);
    u.bind_cond(3);
    expect(u.call()).toBe(6);
    const lif = new nn.LIF(1, { tau: 5, V_th: 100 });
    lif.init_state();
    lif.add_current_input('cuba', u);
    lif.call(0);
    expect(arr(lif.V.value)[0]).toBeCloseTo(6 * (1 - E(-0.02)), 6);
  });
});

describe('Delay', () => {
  test('step = ceil(float32(delay/dt)); rotation read (i − step) mod L', () => {
    const d = new nn.Delay(torch.zeros(2), 0.3);
    expect(d.max_length).toBe(4);
    expect(d.register_entry('a', 0.2)).toBe(2);
    expect(d.register_entry('now')).toBeNull();
    expect(new nn.Delay(torch.zeros(1), 1.1).max_length).toBe(12); // 1.1/0.1 = 11.000000000000002 → f32 11
    d.init_state();
    const got: number[] = [];
    for (let i = 0; i < 5; i++) environ.context({ i }, () => { got.push(arr(d.at('a'))[0]); d.update(torch.tensor([i + 1, i + 1])); });
    expect(got).toEqual([0, 0, 1, 2, 3]);
    expect(() => d.register_entry('a', 0.1)).toThrow(/registered/);
    expect(() => d.register_entry('far', 5)).toThrow(/before init_state/);
    expect(() => d.at('zz')).toThrow(/Does not find/);
    expect(() => d.retrieve_at_step(4)).toThrow(/maximum delay 3/);
  });
  test('concat method', () => {
    const d = new nn.Delay(torch.zeros(1), 0.2, { delay_method: 'concat' });
    d.init_state();
    d.update(torch.tensor([1]));
    d.update(torch.tensor([2]));
    expect(arr(d.retrieve_at_step(1))).toEqual([1]);
    expect(() => new nn.Delay(torch.zeros(1), 0.2, { delay_method: 'x' as 'concat' })).toThrow(/delay_method/);
  });
});

describe('environ, compile.for_loop, exp_euler_step', () => {
  test('environ dt default, context nesting and restore', () => {
    expect(environ.get_dt()).toBe(0.1);
    const r = environ.context({ dt: 0.2 }, () => environ.context({ t: 1 }, () => [environ.get_dt(), environ.get('t')]));
    expect(r).toEqual([0.2, 1]);
    expect(environ.get('t', null)).toBeNull();
    expect(() => environ.context({ dt: -1 }, () => 0)).toThrow(/dt/);
  });
  test('for_loop stacks outputs of a LIFRef run', () => {
    const n = new nn.LIFRef(2, { tau: 5, V_th: 1 });
    n.init_state();
    const out = compile.for_loop((i: number) => environ.context({ i, t: i * 0.1 }, () => [n.call(20), n.V.value]), [0, 1, 2, 3], { pbar: true });
    expect(out[0].shape).toEqual([4, 2]);
    expect(arr(out[0])).toEqual([0, 0, 0, 0, 1, 1, 0, 0]);
    expect(() => compile.for_loop(() => 0, [1, 2], [1])).toThrow(/same length/);
  });
  test('for_loop pbar reports progress on stderr (true: 10 updates; a number: that many)', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
    try {
      compile.for_loop((i: number) => i, Array.from({ length: 20 }, (_, i) => i), { pbar: true });
      expect(lines.length).toBe(10);
      expect(lines[9]).toBe('brainstate.compile.for_loop: 20/20 (100%)\n');
      lines.length = 0;
      compile.for_loop((i: number) => i, [0, 1, 2, 3], { pbar: 2 });
      expect(lines).toEqual(['brainstate.compile.for_loop: 2/4 (50%)\n', 'brainstate.compile.for_loop: 4/4 (100%)\n']);
      lines.length = 0;
      compile.for_loop((i: number) => i, [0, 1]);
      expect(lines).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(() => compile.for_loop((i: number) => i, [0], { pbar: 1.5 })).toThrow(/pbar must be/);
  });
  test('exp_euler_step is exact for linear ODEs', () => {
    const x = torch.tensor([1, 2]);
    const y = nn.exp_euler_step((v: torch.Tensor) => v.mul(-0.5).add(1), x);
    const z = (v: number): number => 2 + (v - 2) * E(-0.05);
    expect(arr(y)[0]).toBeCloseTo(z(1), 6);
    expect(arr(y)[1]).toBeCloseTo(z(2), 6);
  });
});
