/**
 * spikingjelly.clock_driven.surrogate (0.0.0.0.8, plus S2NN, QPseudoSpike, LeakyKReLU, FakeNumericalGradient and
 * LogTailedReLU from 0.0.0.0.14) against fixtures recorded from the real libraries on a grid holding 0, -0, ±1/alpha,
 * ±w, 1 and their float32 neighbours (compat/record_spikingjelly_neuron.py): spiking forward exact, primitive forward
 * 1e-6 absolute, gradients 1e-5 relative + 1e-6 absolute. Plus float64 gradchecks of every primitive and the
 * relation between each spiking backward and its primitive's derivative.
 */
import { nn, torch } from '../../../src/index';
import { install_matchers } from '../../../src/fixtures/index';
import { surrogate } from '../../../src/spikingjelly/index';
import { expectReplay, facts, factTensor, fixtureFiles, loadFx } from './helpers';

install_matchers();

type Tensor = torch.Tensor;
const F64 = { dtype: 'float64' as const };

function gradOf(m: nn.Module, xs: number[] | Tensor, dtype: 'float32' | 'float64' = 'float64', weights?: Tensor): Tensor {
  const x = (xs instanceof torch.Tensor ? xs.detach().clone() : torch.tensor(xs, { dtype })).requires_grad_(true);
  const y = m.call(x) as Tensor;
  (weights ? y.mul(weights) : y).sum().backward();
  return x.grad!;
}

describe('surrogate fixtures recorded from spikingjelly (module rebuilt from the registry)', () => {
  const files = fixtureFiles('surrogate');
  test('there is a fixture for every class, spiking and primitive', () => {
    expect(files.length).toBe(60);
    for (const c of ['PiecewiseQuadratic', 'PiecewiseExp', 'Sigmoid', 'SoftSign', 'ATan', 'NonzeroSignLogAbs', 'Erf', 'PiecewiseLeakyReLU',
      'SquarewaveFourierSeries', 'S2NN', 'QPseudoSpike', 'LeakyKReLU', 'LogTailedReLU']) {
      expect(files.filter((f) => f.startsWith(c + '_') && f.endsWith('_spiking.json')).length).toBeGreaterThanOrEqual(2);
      expect(files.filter((f) => f.startsWith(c + '_') && f.endsWith('_primitive.json')).length).toBeGreaterThanOrEqual(2);
    }
    expect(files.filter((f) => f.startsWith('FakeNumericalGradient_')).length).toBe(2);
  });

  test.each(files)('%s', async (file) => {
    const fx = await loadFx('surrogate', file);
    const r = expectReplay(fx);
    // the grid holds 0 and -0 (both fire) and, except where noted, the gradient is checked
    const x = fx.steps[0].inputs[0];
    expect(x.tolist()).toContain(0);
    const noGrad = file === 'PiecewiseQuadratic_default_spiking.json' || file === 'PiecewiseQuadratic_alpha1.5_spiking.json' || file === 'SquarewaveFourierSeries_n1_primitive.json';
    expect(r.checks.some((c) => c.group === 'gradient')).toBe(!noGrad);
    if (file.endsWith('_spiking.json')) expect(r.checks.find((c) => c.group === 'output')!.category).toBe('spikes');
  });
});

describe('heaviside and the spiking forward', () => {
  test('x >= 0 fires: 0 and -0 give 1', () => {
    const x = torch.from_typed_array(new Float32Array([-1, -1e-30, -0, 0, 1e-30, 2]), [6]);
    expect(surrogate.heaviside(x).tolist()).toEqual([0, 0, 1, 1, 1, 1]);
    expect(new surrogate.ATan().call(x).tolist()).toEqual([0, 0, 1, 1, 1, 1]);
    expect(surrogate.heaviside(x.double()).dtype).toBe('float64');
  });

  test('works on any shape and keeps the dtype', () => {
    const x = torch.randn(3, 4, 2);
    const y = new surrogate.Sigmoid(4.0).call(x);
    expect(y.shape).toEqual([3, 4, 2]);
    expect(y).toBeCloseToTensor(x.ge(0).float(), { tolerance: 'exact' });
    expect(gradOf(new surrogate.Sigmoid(), x, 'float32').shape).toEqual([3, 4, 2]);
  });
});

/** Every primitive, as (x) => primitive(x), with the parameters of a non-default variant. */
const PRIMITIVES: [string, (x: Tensor) => Tensor][] = [
  ['PiecewiseQuadratic', (x) => surrogate.PiecewiseQuadratic.primitive_function(x, 1.5)],
  ['PiecewiseExp', (x) => surrogate.PiecewiseExp.primitive_function(x, 2.0)],
  ['Sigmoid', (x) => surrogate.Sigmoid.primitive_function(x, 4.0)],
  ['SoftSign', (x) => surrogate.SoftSign.primitive_function(x, 3.0)],
  ['ATan', (x) => surrogate.ATan.primitive_function(x, 3.0)],
  ['NonzeroSignLogAbs', (x) => surrogate.NonzeroSignLogAbs.primitive_function(x, 2.0)],
  ['Erf', (x) => surrogate.Erf.primitive_function(x, 1.5)],
  ['PiecewiseLeakyReLU', (x) => surrogate.PiecewiseLeakyReLU.primitive_function(x, 0.5, 0.1)],
  ['PiecewiseLeakyReLU c=0', (x) => surrogate.PiecewiseLeakyReLU.primitive_function(x, 1.0, 0.0)],
  ['SquarewaveFourierSeries', (x) => surrogate.SquarewaveFourierSeries.primitive_function(x, 4, 8)],
  ['S2NN', (x) => surrogate.S2NN.primitive_function(x, 2.0, 0.5)],
  ['QPseudoSpike', (x) => surrogate.QPseudoSpike.primitive_function(x, 3.0)],
  ['LeakyKReLU', (x) => surrogate.LeakyKReLU.primitive_function(x, 0.1, 2.0)],
  ['LogTailedReLU', (x) => surrogate.LogTailedReLU.primitive_function(x, 0.1)],
];

describe('gradcheck (float64) of every primitive function', () => {
  // points away from the kinks (±1/alpha, ±w, 0, 1); LogTailedReLU's primitive is NaN for x <= 0 (see below)
  const pts = [-2.3, -0.7, -0.2, 0.15, 0.45, 1.3, 2.6];
  test.each(PRIMITIVES)('%s', (name, f) => {
    const xs = name === 'LogTailedReLU' ? pts.filter((v) => v > 0) : pts;
    const x = torch.tensor(xs, F64).requires_grad_(true);
    expect(torch.autograd.gradcheck(f, [x], { eps: 1e-6, atol: 1e-7, rtol: 1e-5 })).toBe(true);
  });
});

describe('the spiking backward is the derivative of the primitive', () => {
  // float64 grid with 0 and the kinks ±0.5, ±1, ±2/3 on it
  const xs = Array.from({ length: 121 }, (_, i) => -3 + i * 0.05).map((v) => Math.round(v * 1e6) / 1e6).concat([2 / 3, -2 / 3]);
  const X = torch.tensor(xs, F64);
  const pairs: [string, (s: boolean) => nn.Module][] = [
    ['PiecewiseQuadratic', (s) => new surrogate.PiecewiseQuadratic(1.5, s)],
    ['PiecewiseExp', (s) => new surrogate.PiecewiseExp(2.0, s)],
    ['Sigmoid', (s) => new surrogate.Sigmoid(4.0, s)],
    ['SoftSign', (s) => new surrogate.SoftSign(3.0, s)],
    ['ATan', (s) => new surrogate.ATan(3.0, s)],
    ['NonzeroSignLogAbs', (s) => new surrogate.NonzeroSignLogAbs(2.0, s)],
    ['Erf', (s) => new surrogate.Erf(1.5, s)],
    ['SquarewaveFourierSeries', (s) => new surrogate.SquarewaveFourierSeries(4, 8, s)],
    ['QPseudoSpike', (s) => new surrogate.QPseudoSpike(3.0, s)],
    ['LeakyKReLU', (s) => new surrogate.LeakyKReLU(s, 0.1, 2.0)],
  ];
  test.each(pairs)('%s: equal on the whole grid (0 and boundaries included)', (_name, make) => {
    expect(gradOf(make(true), X)).toBeCloseToTensor(gradOf(make(false), X), { atol: 1e-12, rtol: 1e-12 });
  });

  test('PiecewiseLeakyReLU (kept quirk): twice the primitive slope inside |x| < w, c at |x| = w where the primitive has 1/(2w)', () => {
    const w = 0.5, c = 0.1;
    const sg = gradOf(new surrogate.PiecewiseLeakyReLU(w, c, true), X);
    const pg = gradOf(new surrogate.PiecewiseLeakyReLU(w, c, false), X);
    const expected = xs.map((v, i) => (Math.abs(v) < w ? 2 * pg.tolist()[i] : Math.abs(v) === w ? c : pg.tolist()[i]));
    expect(sg).toBeCloseToTensor(torch.tensor(expected, F64), { atol: 1e-12, rtol: 1e-12 });
    expect(pg.tolist()[xs.indexOf(0.5)]).toBeCloseTo(1 / (2 * w), 12);
    // the same numbers from the real 0.0.0.0.8 (w = 1, c = 0.01 on [-2, -1, -0.5, 0, 0.5, 1, 2])
    const f = facts('surrogate/facts_0.0.0.0.8.json');
    const g = factTensor(f.piecewise_leaky_relu_grid);
    expect(gradOf(new surrogate.PiecewiseLeakyReLU(), g, 'float32')).toBeCloseToTensor(factTensor(f.piecewise_leaky_relu_spiking_grad), { atol: 1e-6, rtol: 1e-5 });
    expect(gradOf(new surrogate.PiecewiseLeakyReLU({ spiking: false }), g, 'float32')).toBeCloseToTensor(factTensor(f.piecewise_leaky_relu_primitive_grad), { atol: 1e-6, rtol: 1e-5 });
  });

  test('S2NN: equal for x < 0; for x >= 0 the primitive has beta/(x + 1 + 1e-5), the backward beta/(x + 1)', () => {
    const sg = gradOf(new surrogate.S2NN(2.0, 0.5, true), X).tolist() as number[];
    const pg = gradOf(new surrogate.S2NN(2.0, 0.5, false), X).tolist() as number[];
    xs.forEach((v, i) => {
      if (v < 0) expect(sg[i]).toBeCloseTo(pg[i], 12);
      else expect(sg[i]).toBeCloseTo(pg[i] * (v + 1 + 1e-5) / (v + 1), 12);
    });
  });

  test('LogTailedReLU: equal for x > 0; the primitive is NaN for x <= 0 (upstream blends log(x) with a 0 mask), the backward alpha', () => {
    const sg = gradOf(new surrogate.LogTailedReLU(0.1, true), X).tolist() as number[];
    const pg = gradOf(new surrogate.LogTailedReLU(0.1, false), X).tolist() as number[];
    const y = new surrogate.LogTailedReLU(0.1, false).call(X).tolist() as number[];
    xs.forEach((v, i) => {
      if (v > 0) expect(sg[i]).toBeCloseTo(pg[i], 12);
      else {
        expect(sg[i]).toBe(0.1);
        expect(y[i]).toBeNaN();
      }
    });
  });

  test('FakeNumericalGradient has no primitive: backward min(sign(x)/x, alpha)', () => {
    const g = gradOf(new surrogate.FakeNumericalGradient(0.5), [-4, -1, -0.5, 0, 0.25, 2, 4]).tolist();
    expect(g).toEqual([0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25]);
    const m = new surrogate.FakeNumericalGradient();
    m.set_spiking_mode(false);
    expect(() => m.call(torch.zeros(2))).toThrow(/primitive_function is not implemented/);
    expect(facts('surrogate/facts_0.0.0.0.14.json').fake_numerical_gradient_primitive_error).toMatch(/^NotImplementedError/);
  });
});

describe('PiecewiseQuadratic backward (0.0.0.0.8 cannot run it; spikeport implements the intended formula)', () => {
  test('0.0.0.0.8 raises on a forward whose input requires grad; spikeport does not', () => {
    expect(facts('surrogate/facts_0.0.0.0.8.json').piecewise_quadratic_forward_with_grad_error).toBe('TypeError: save_for_backward can only save variables, but argument 1 is of type float');
    const x = torch.tensor([-1, 0, 0.5, 1]).requires_grad_(true);
    expect(() => new surrogate.PiecewiseQuadratic().call(x).sum().backward()).not.toThrow();
  });

  test.each([['default', 1.0], ['alpha1.5', 1.5]] as const)('%s: backward = alpha - alpha²·|x| for |x| <= 1/alpha, else 0 (hand-derived)', async (variant, alpha) => {
    const fx = await loadFx('surrogate', `PiecewiseQuadratic_${variant}_spiking.json`);
    const x = fx.steps[0].inputs[0];
    const g = gradOf(new surrogate.PiecewiseQuadratic(alpha), x, 'float32');
    const xv = x.tolist() as number[];
    const hand = xv.map((v) => (Math.abs(v) <= 1 / alpha ? alpha - alpha * alpha * Math.abs(v) : 0));
    expect(g).toBeCloseToTensor(torch.tensor(hand), { atol: 1e-6, rtol: 1e-5 });
    // on the boundary ±1/alpha (as float32) the gradient is 0 on both sides; 0 gives alpha
    expect(g.tolist()[xv.indexOf(0)]).toBe(alpha);
  });

  test.each(['default', 'alpha1.5'])('%s: equals the gradient the real library gives its primitive (recorded)', async (variant) => {
    const fx = await loadFx('surrogate', `PiecewiseQuadratic_${variant}_primitive.json`);
    if (fx.loss?.kind !== 'weighted_sum') throw new Error('expected a weighted-sum loss');
    const alpha = variant === 'default' ? 1.0 : 1.5;
    const g = gradOf(new surrogate.PiecewiseQuadratic(alpha, true), fx.steps[0].inputs[0], 'float32', fx.loss.weights[0]);
    expect(g).toBeCloseToTensor(fx.gradients!.inputs[0][0]!.value, { atol: 1e-6, rtol: 1e-5 });
  });
});

describe('the lowercase autograd functions', () => {
  const x = torch.tensor([-2, -0.75, -0.25, 0, 0.3, 0.9, 1.7]);
  const cases: [string, (x: Tensor) => Tensor, nn.Module][] = [
    ['piecewise_quadratic', (x) => surrogate.piecewise_quadratic.apply(x, 1.5), new surrogate.PiecewiseQuadratic(1.5)],
    ['piecewise_exp', (x) => surrogate.piecewise_exp.apply(x, 2), new surrogate.PiecewiseExp(2)],
    ['sigmoid', (x) => surrogate.sigmoid.apply(x, 4), new surrogate.Sigmoid(4)],
    ['soft_sign', (x) => surrogate.soft_sign.apply(x, 3), new surrogate.SoftSign(3)],
    ['atan', (x) => surrogate.atan.apply(x, 3), new surrogate.ATan(3)],
    ['nonzero_sign_log_abs', (x) => surrogate.nonzero_sign_log_abs.apply(x, 2), new surrogate.NonzeroSignLogAbs(2)],
    ['erf', (x) => surrogate.erf.apply(x, 1.5), new surrogate.Erf(1.5)],
    ['piecewise_leaky_relu', (x) => surrogate.piecewise_leaky_relu.apply(x, 0.5, 0.1), new surrogate.PiecewiseLeakyReLU(0.5, 0.1)],
    ['squarewave_fourier_series', (x) => surrogate.squarewave_fourier_series.apply(x, 4, 8), new surrogate.SquarewaveFourierSeries(4, 8)],
    ['s2nn', (x) => surrogate.s2nn.apply(x, 2, 0.5), new surrogate.S2NN(2, 0.5)],
    ['q_pseudo_spike', (x) => surrogate.q_pseudo_spike.apply(x, 3), new surrogate.QPseudoSpike(3)],
    ['leaky_k_relu', (x) => surrogate.leaky_k_relu.apply(x, 0.1, 2), new surrogate.LeakyKReLU(true, 0.1, 2)],
    ['fake_numerical_gradient', (x) => surrogate.fake_numerical_gradient.apply(x, 0.5), new surrogate.FakeNumericalGradient(0.5)],
    ['log_tailed_relu', (x) => surrogate.log_tailed_relu.apply(x, 0.1), new surrogate.LogTailedReLU(0.1)],
  ];
  test.each(cases)('%s.apply equals the module (forward and gradient)', (_n, f, m) => {
    const a = x.clone().requires_grad_(true);
    const y = f(a);
    expect(y).toBeCloseToTensor(surrogate.heaviside(x), { tolerance: 'exact' });
    y.sum().backward();
    expect(a.grad!).toBeCloseToTensor(gradOf(m, x, 'float32'), { tolerance: 'exact' });
    // no grad needed: forward only, nothing saved
    expect(f(x).requires_grad).toBe(false);
  });

  test('the static backward helpers of 0.0.0.0.14 equal the autograd backward', () => {
    const go = torch.tensor([1, 2, 0.5, 1, 3, 1, 2]);
    const run = (m: nn.Module): Tensor => gradOf(m, x, 'float32', go);
    expect(surrogate.LeakyKReLU.backward(go, x, 0.1, 2)).toBeCloseToTensor(run(new surrogate.LeakyKReLU(true, 0.1, 2)), { tolerance: 'exact' });
    expect(surrogate.FakeNumericalGradient.backward(go, x, 0.5)).toBeCloseToTensor(run(new surrogate.FakeNumericalGradient(0.5)), { tolerance: 'exact' });
    expect(surrogate.LogTailedReLU.backward(go, x, 0.1)).toBeCloseToTensor(run(new surrogate.LogTailedReLU(0.1)), { tolerance: 'exact' });
  });
});

describe('modules: arguments, defaults, repr, quirks', () => {
  test('0.0.0.0.8 defaults (Sigmoid alpha = 1.0) and later-release defaults', () => {
    expect(new surrogate.PiecewiseQuadratic().alpha).toBe(1.0);
    expect(new surrogate.PiecewiseExp().alpha).toBe(1.0);
    expect(new surrogate.Sigmoid().alpha).toBe(1.0);
    expect(new surrogate.SoftSign().alpha).toBe(2.0);
    expect(new surrogate.ATan().alpha).toBe(2.0);
    expect(new surrogate.NonzeroSignLogAbs().alpha).toBe(1.0);
    expect(new surrogate.Erf().alpha).toBe(2.0);
    const p = new surrogate.PiecewiseLeakyReLU();
    expect([p.w, p.c, p.spiking]).toEqual([1.0, 0.01, true]);
    const s = new surrogate.SquarewaveFourierSeries();
    expect([s.n, s.T_period, s.spiking]).toEqual([2, 8, true]);
    const s2 = new surrogate.S2NN();
    expect([s2.alpha, s2.beta, s2.spiking]).toEqual([4.0, 1.0, true]);
    expect(new surrogate.QPseudoSpike().alpha).toBe(2.0);
    const k = new surrogate.LeakyKReLU();
    expect([k.spiking, k.leak, k.k]).toEqual([true, 0.0, 1.0]);
    expect(new surrogate.FakeNumericalGradient().alpha).toBe(0.3);
    expect(new surrogate.LogTailedReLU().alpha).toBe(0.0);
  });

  test('positional and keyword arguments as in Python', () => {
    expect(new surrogate.ATan(3.0, false).spiking).toBe(false);
    expect(new surrogate.ATan({ spiking: false }).alpha).toBe(2.0);
    expect(new surrogate.ATan(3.0, { spiking: false }).alpha).toBe(3.0);
    expect(new surrogate.LeakyKReLU(false, 0.2).leak).toBe(0.2);
    expect(new surrogate.SquarewaveFourierSeries({ T_period: 4 }).T_period).toBe(4);
  });

  test('bad arguments raise with the function and argument named', () => {
    expect(() => new surrogate.Sigmoid({ alhpa: 2 } as never)).toThrow(/surrogate\.Sigmoid: unknown option "alhpa"/);
    expect(() => new surrogate.Sigmoid('2' as never)).toThrow(/surrogate\.Sigmoid: alpha must be a number, got "2"/);
    expect(() => new surrogate.ATan(2, 1 as never)).toThrow(/spiking must be a boolean/);
    expect(() => new surrogate.SoftSign(0)).toThrow(/alpha must be lager than 0/);
    expect(() => new surrogate.PiecewiseLeakyReLU(0)).toThrow(/w must be > 0/);
    expect(() => new surrogate.SquarewaveFourierSeries(2.5)).toThrow(/n must be an integer/);
    expect(() => new surrogate.SquarewaveFourierSeries(2, 0)).toThrow(/T_period must be > 0/);
    expect(() => new surrogate.FakeNumericalGradient({ spiking: true } as never)).toThrow(/unknown option "spiking"/);
    expect(() => new surrogate.Sigmoid().call(torch.tensor([1, 2], { dtype: 'int32' }))).toThrow(/x must be a floating point Tensor/);
    expect(() => surrogate.heaviside([1, 2] as never)).toThrow(/heaviside: x must be a Tensor/);
  });

  test('repr strings as Python prints them (recorded from both releases)', () => {
    const build: Record<string, () => nn.Module> = {
      'PiecewiseQuadratic()': () => new surrogate.PiecewiseQuadratic(), 'PiecewiseExp()': () => new surrogate.PiecewiseExp(),
      'Sigmoid()': () => new surrogate.Sigmoid(), 'Sigmoid(alpha=4.0, spiking=False)': () => new surrogate.Sigmoid(4.0, false),
      'SoftSign()': () => new surrogate.SoftSign(), 'ATan()': () => new surrogate.ATan(), 'NonzeroSignLogAbs()': () => new surrogate.NonzeroSignLogAbs(),
      'Erf()': () => new surrogate.Erf(), 'PiecewiseLeakyReLU()': () => new surrogate.PiecewiseLeakyReLU(),
      'SquarewaveFourierSeries()': () => new surrogate.SquarewaveFourierSeries(),
      'S2NN()': () => new surrogate.S2NN(), 'QPseudoSpike()': () => new surrogate.QPseudoSpike(), 'QPseudoSpike(alpha=3.0)': () => new surrogate.QPseudoSpike(3.0),
      'LeakyKReLU()': () => new surrogate.LeakyKReLU(), 'FakeNumericalGradient()': () => new surrogate.FakeNumericalGradient(),
      'LogTailedReLU()': () => new surrogate.LogTailedReLU(), 'LogTailedReLU(alpha=0.1, spiking=False)': () => new surrogate.LogTailedReLU(0.1, false),
    };
    const reprs = { ...facts('surrogate/facts_0.0.0.0.8.json').reprs, ...facts('surrogate/facts_0.0.0.0.14.json').reprs } as Record<string, string>;
    let n = 0;
    for (const [key, make] of Object.entries(build)) {
      expect(reprs[key]).toBeDefined();
      expect(make().toString()).toBe(reprs[key]);
      n++;
    }
    expect(n).toBe(17);
  });

  test('QUIRK (kept): PiecewiseLeakyReLU / SquarewaveFourierSeries fix their function at construction', () => {
    expect(facts('surrogate/facts_0.0.0.0.8.json').piecewise_leaky_relu_set_spiking_mode_false_still_heaviside).toBe(true);
    const x = torch.linspace(-2, 2, 9);
    const p = new surrogate.PiecewiseLeakyReLU();
    p.set_spiking_mode(false);
    expect(p.spiking).toBe(false);
    expect(p.call(x)).toBeCloseToTensor(surrogate.heaviside(x), { tolerance: 'exact' });
    const q = new surrogate.SquarewaveFourierSeries();
    q.set_spiking_mode(false);
    expect(q.call(x)).toBeCloseToTensor(surrogate.heaviside(x), { tolerance: 'exact' });
    // the one-alpha surrogates and 0.0.0.0.14's multi-argument ones switch at call time
    const s = new surrogate.Sigmoid();
    s.set_spiking_mode(false);
    expect(s.call(x)).toBeCloseToTensor(x.sigmoid(), { atol: 1e-7 });
    const t = new surrogate.S2NN();
    t.set_spiking_mode(false);
    expect(t.call(torch.tensor([-1])).item()).toBeCloseTo(1 / (1 + Math.exp(4)), 6);
  });

  test('surrogates hold no state: empty state_dict, no parameters', () => {
    for (const m of [new surrogate.Sigmoid(), new surrogate.PiecewiseLeakyReLU(), new surrogate.S2NN()]) {
      expect(Object.keys(m.state_dict())).toEqual([]);
      expect(m.parameters()).toEqual([]);
    }
  });

  test('check_manual_grad (0.0.0.0.8 helper) passes for matching pairs and throws otherwise', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      for (const C of [surrogate.Sigmoid, surrogate.ATan, surrogate.PiecewiseExp, surrogate.Erf, surrogate.SoftSign, surrogate.NonzeroSignLogAbs, surrogate.PiecewiseQuadratic]) {
        surrogate.check_manual_grad(C.primitive_function, C.spiking_function);
      }
      expect(log).toHaveBeenCalledWith('grad check pass');
      expect(() => surrogate.check_manual_grad(surrogate.Sigmoid.primitive_function, surrogate.ATan.spiking_function)).toThrow(/x\.grad is wrong!/);
    } finally {
      log.mockRestore();
    }
  });

  test('cuda_code is not available (no CUDA backend); the comment helpers are', () => {
    const s = new surrogate.Sigmoid();
    expect(() => s.cuda_code('x', 'y')).toThrow(/no CUDA\/cupy backend/);
    expect(s.cuda_code_start_comments()).toBe('// start: spikingjelly.clock_driven.surrogate.Sigmoid.cuda_code');
    expect(s.cuda_code_end_comments()).toBe('// end: spikingjelly.clock_driven.surrogate.Sigmoid.cuda_code');
  });
});
