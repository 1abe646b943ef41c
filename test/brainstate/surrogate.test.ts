/**
 * brainstate.surrogate (brainstate 0.1.0) against
 *  - fixtures/brainstate/surrogate.json, written by compat/brainstate_surrogate_reference.py: a numpy/scipy
 *    transcription of the seed's formulas (NOT brainstate/JAX, which cannot be installed here), on grids holding 0,
 *    -0, the boundaries of each function and their float neighbours, float32 and float64, default and non-default
 *    parameters: spikes exact, values 1e-6 absolute (float32), gradients 1e-5 relative + 1e-6 absolute;
 *  - hand-derived values, independent of that reference;
 *  - float64 finite differences of surrogate_fun, which equal surrogate_grad except for the documented quirks.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { torch } from '../../src/index';
import { install_matchers, tensorFromEncoded } from '../../src/fixtures/index';
import { surrogate } from '../../src/brainstate/index';

install_matchers();

type Tensor = torch.Tensor;
type S = surrogate.Surrogate;
const F64 = { dtype: 'float64' as const };

// ---- the reference file -----------------------------------------------------------------------------------------------

interface Case {
  name: string; class: string; variant: 'default' | 'custom'; dtype: 'float32' | 'float64';
  args: [string, number][]; params: [string, number][]; repr: string;
  x: unknown; cotangent: unknown; spike: unknown; surrogate_grad: unknown; vjp: unknown;
  surrogate_fun: unknown | null; surrogate_fun_error: 'TypeError' | 'NotImplementedError' | null;
}
const REF = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'brainstate', 'surrogate.json'), 'utf8'));
const CASES: Case[] = REF.cases;
const dec = (e: unknown): Tensor => tensorFromEncoded(e as Parameters<typeof tensorFromEncoded>[0]);

const CLASSES = ['Sigmoid', 'PiecewiseQuadratic', 'PiecewiseExp', 'SoftSign', 'Arctan', 'NonzeroSignLog', 'ERF',
  'PiecewiseLeakyRelu', 'SquarewaveFourierSeries', 'S2NN', 'QPseudoSpike', 'LeakyRelu', 'LogTailedRelu', 'ReluGrad',
  'GaussianGrad', 'MultiGaussianGrad', 'InvSquareGrad', 'SlayerGrad'] as const;
type ClassName = typeof CLASSES[number];

/** The lowercase twin of each class, with its Python parameter order. */
const FUNCTIONS: Record<ClassName, [string, string[]]> = {
  Sigmoid: ['sigmoid', ['alpha']],
  PiecewiseQuadratic: ['piecewise_quadratic', ['alpha']],
  PiecewiseExp: ['piecewise_exp', ['alpha']],
  SoftSign: ['soft_sign', ['alpha']],
  Arctan: ['arctan', ['alpha']],
  NonzeroSignLog: ['nonzero_sign_log', ['alpha']],
  ERF: ['erf', ['alpha']],
  PiecewiseLeakyRelu: ['piecewise_leaky_relu', ['c', 'w']],
  SquarewaveFourierSeries: ['squarewave_fourier_series', ['n', 't_period']],
  S2NN: ['s2nn', ['alpha', 'beta', 'epsilon']],
  QPseudoSpike: ['q_pseudo_spike', ['alpha']],
  LeakyRelu: ['leaky_relu', ['alpha', 'beta']],
  LogTailedRelu: ['log_tailed_relu', ['alpha']],
  ReluGrad: ['relu_grad', ['alpha', 'width']],
  GaussianGrad: ['gaussian_grad', ['sigma', 'alpha']],
  MultiGaussianGrad: ['multi_gaussian_grad', ['h', 's', 'sigma', 'scale']],
  InvSquareGrad: ['inv_square_grad', ['alpha']],
  SlayerGrad: ['slayer_grad', ['alpha']],
};

const make = (cls: string, opts: Record<string, number> = {}): S => new (surrogate as any)[cls](opts);
const fnOf = (cls: ClassName): ((x: Tensor, ...rest: unknown[]) => Tensor) => (surrogate as any)[FUNCTIONS[cls][0]];

/** d/dx sum(s.call(x)) weighted by cot. */
function backward(s: S, x: Tensor, cot?: Tensor): Tensor {
  const a = x.detach().clone().requires_grad_(true);
  const y = s.call(a);
  (cot ? y.mul(cot) : y).sum().backward();
  return a.grad!;
}

const tol = (dtype: string, kind: 'value' | 'grad') => (dtype === 'float32'
  ? (kind === 'value' ? { atol: 1e-6, rtol: 1e-6 } : { atol: 1e-6, rtol: 1e-5 })
  : { atol: 1e-13, rtol: 1e-12 });

describe('the reference file', () => {
  test('says plainly what produced it, and covers 18 classes x {default, custom} x {float32, float64}', () => {
    expect(REF.format).toBe('spikeport-brainstate-surrogate-reference');
    expect(REF.source).toMatch(/numpy\/scipy transcription/);
    expect(REF.source).toMatch(/NOT produced by brainstate or JAX/);
    expect(CASES.length).toBe(72);
    for (const c of CLASSES) {
      for (const v of ['default', 'custom']) {
        for (const d of ['float32', 'float64']) expect(CASES.filter((k) => k.class === c && k.variant === v && k.dtype === d).length).toBe(1);
      }
    }
  });

  test('every grid holds 0 and -0', () => {
    for (const c of CASES) {
      const xs = dec(c.x).tolist() as number[];
      expect(xs.some((v) => Object.is(v, 0))).toBe(true);
      expect(xs.some((v) => Object.is(v, -0))).toBe(true);
    }
  });
});

describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const x = dec(c.x);
  const opts = Object.fromEntries(c.args);
  const s = make(c.class, opts);

  test('constructor parameters and repr', () => {
    for (const [k, v] of c.params) expect((s as any)[k]).toBe(v);
    expect(s.__repr__()).toBe(c.repr);
    expect(String(s)).toBe(c.repr);
  });

  test('forward: the Heaviside step, exact, in the input dtype', () => {
    const y = s.call(x);
    expect(y.dtype).toBe(c.dtype);
    expect(y).toBeCloseToTensor(dec(c.spike), { tolerance: 'exact' });
    const xs = x.tolist() as number[];
    expect(y.tolist()).toEqual(xs.map((v) => (v >= 0 ? 1 : 0)));
  });

  test('surrogate_grad', () => {
    expect(s.surrogate_grad(x)).toBeCloseToTensor(dec(c.surrogate_grad), { ...tol(c.dtype, 'grad'), quantity: 'surrogate_grad' });
  });

  test('backward = cotangent * surrogate_grad (reference vjp and our own surrogate_grad)', () => {
    const cot = dec(c.cotangent);
    const g = backward(s, x, cot);
    expect(g.dtype).toBe(c.dtype);
    expect(g).toBeCloseToTensor(dec(c.vjp), { ...tol(c.dtype, 'grad'), quantity: 'x.grad' });
    expect(g).toBeCloseToTensor(s.surrogate_grad(x).mul(cot), { tolerance: 'exact' });
  });

  test('surrogate_fun (or the error upstream raises)', () => {
    if (c.surrogate_fun_error === null) {
      expect(s.surrogate_fun(x)).toBeCloseToTensor(dec(c.surrogate_fun), { ...tol(c.dtype, 'value'), quantity: 'surrogate_fun' });
    } else if (c.surrogate_fun_error === 'TypeError') {
      expect(() => s.surrogate_fun(x)).toThrow(TypeError);
    } else {
      expect(() => s.surrogate_fun(x)).toThrow(/NotImplementedError/);
    }
  });

  test('the lowercase function: positional and keyword parameters give the same spikes and gradients', () => {
    const cls = c.class as ClassName;
    const f = fnOf(cls);
    const positional = FUNCTIONS[cls][1].map((k) => (s as any)[k]);
    const a = x.detach().clone().requires_grad_(true);
    const y = f(a, ...positional);
    expect(y).toBeCloseToTensor(dec(c.spike), { tolerance: 'exact' });
    y.sum().backward();
    expect(a.grad!).toBeCloseToTensor(backward(s, x), { tolerance: 'exact' });
    expect(backward({ call: (t: Tensor) => f(t, opts) } as S, x)).toBeCloseToTensor(a.grad!, { tolerance: 'exact' });
  });
});

// ---- hand-derived values -----------------------------------------------------------------------------------------------

/** [surrogate, x, surrogate_grad(x), surrogate_fun(x) or null], all derived by hand from the seed's formulas. */
const SQ2PI = Math.sqrt(2 * Math.PI);
const HAND: [string, S, number, number, number | null][] = [
  ['Sigmoid: α/4 at 0', new surrogate.Sigmoid(), 0, 1, 0.5],
  ['Sigmoid(2) at ln 3 / 2: σ = 3/4', new surrogate.Sigmoid(2), Math.log(3) / 2, 2 * 0.75 * 0.25, 0.75],
  ['PiecewiseQuadratic(1) at 0.5: grad 1 − 0.25 (quirk; fun slope 0.5)', new surrogate.PiecewiseQuadratic(), 0.5, 0.75, 0.875],
  ['PiecewiseQuadratic(2) at -0.25: grad 2 − 0.25', new surrogate.PiecewiseQuadratic(2), -0.25, 1.75, (-0.25 + 1) * 2 * -0.25 + 0.5],
  ['PiecewiseQuadratic(1) at 1 (boundary, inside): grad 0, fun 1', new surrogate.PiecewiseQuadratic(), 1, 0, 1],
  ['PiecewiseExp(1) at -ln 2', new surrogate.PiecewiseExp(), -Math.LN2, 0.25, 0.25],
  ['PiecewiseExp(1) at 0', new surrogate.PiecewiseExp(), 0, 0.5, 0.5],
  ['SoftSign(1) at 1', new surrogate.SoftSign(), 1, 0.125, 0.75],
  ['SoftSign(2) at -0.5', new surrogate.SoftSign(2), -0.5, 0.25, -0.5 / 2 + 0.5],
  ['Arctan(1) at 2/π', new surrogate.Arctan(), 2 / Math.PI, 0.25, null],
  ['NonzeroSignLog(1) at -(e - 1)', new surrogate.NonzeroSignLog(), -(Math.E - 1), 1 / Math.E, -1],
  ['NonzeroSignLog(1) at -0: sign +1', new surrogate.NonzeroSignLog(), -0, 1, 0],
  ['ERF(1) at 0: fun erf(0)/2 = 0 (quirk; documented 1/2)', new surrogate.ERF(), 0, 1 / Math.sqrt(Math.PI), 0],
  ['ERF(1) at 1: fun erf(-1)/2', new surrogate.ERF(), 1, Math.exp(-1) / Math.sqrt(Math.PI), -0.42135039647485734],
  ['PiecewiseLeakyRelu at 0.5: grad 1/w (quirk), fun 0.75', new surrogate.PiecewiseLeakyRelu(), 0.5, 1, 0.75],
  ['PiecewiseLeakyRelu at 2', new surrogate.PiecewiseLeakyRelu(), 2, 0.01, 1.01],
  ['PiecewiseLeakyRelu at -2', new surrogate.PiecewiseLeakyRelu(), -2, 0.01, -0.01],
  ['PiecewiseLeakyRelu at w = 1 (inside)', new surrogate.PiecewiseLeakyRelu(), 1, 1, 1],
  ['SquarewaveFourierSeries(2, 8) at 0', new surrogate.SquarewaveFourierSeries(), 0, 0.5, 0.5],
  ['SquarewaveFourierSeries(2, 8) at 2: one term', new surrogate.SquarewaveFourierSeries(), 2, 0.5 * Math.cos(Math.PI / 2), 0.5 + 2 / Math.PI],
  ['SquarewaveFourierSeries(4, 8) at 0: terms i = 1, 2, 3', new surrogate.SquarewaveFourierSeries(4), 0, 1.5, 0.5],
  ['SquarewaveFourierSeries(4, 8) at 2', new surrogate.SquarewaveFourierSeries(4), 2, 0.5 * (Math.cos(Math.PI / 2) + Math.cos(1.5 * Math.PI) + Math.cos(2.5 * Math.PI)),
    0.5 + (2 / Math.PI) * (1 - 1 / 3 + 1 / 5)],
  ['S2NN at 0: β/(x + 1)', new surrogate.S2NN(), 0, 1, 0.5 + Math.log(1 + 1e-8)],
  ['S2NN at e - 1', new surrogate.S2NN(), Math.E - 1, 1 / Math.E, 0.5 + Math.log(Math.E + 1e-8)],
  ['S2NN at -0.25: sigmoid branch', new surrogate.S2NN(), -0.25, 4 * (1 / (1 + Math.E)) * (Math.E / (1 + Math.E)), 1 / (1 + Math.E)],
  ['QPseudoSpike(2) at 1.5: (1 + (2/3)·1.5)^-2', new surrogate.QPseudoSpike(), 1.5, 0.25, 1 - 0.5 / (1 + 2 * 1.5)],
  ['QPseudoSpike(2) at -0.25: fun ½(1 − 0.5)^-1 = 1 (quirk)', new surrogate.QPseudoSpike(), -0.25, Math.pow(1 + (2 / 3) * 0.25, -2), 1],
  ['QPseudoSpike(2) at -0.5: pole', new surrogate.QPseudoSpike(), -0.5, Math.pow(4 / 3, -2), Infinity],
  ['QPseudoSpike(2) at -1: past the pole', new surrogate.QPseudoSpike(), -1, Math.pow(5 / 3, -2), -0.5],
  ['QPseudoSpike(2.5) at -1: NaN past the pole', new surrogate.QPseudoSpike(2.5), -1, Math.pow(1 + 2 / 3.5, -2.5), NaN],
  ['LeakyRelu at -2', new surrogate.LeakyRelu(), -2, 0.1, -0.2],
  ['LeakyRelu at 0: beta', new surrogate.LeakyRelu(0.1, 3), 0, 3, 0],
  ['LogTailedRelu at e', new surrogate.LogTailedRelu(), Math.E, 1 / Math.E, 1],
  ['LogTailedRelu at 1: linear piece', new surrogate.LogTailedRelu(), 1, 1, 1],
  ['LogTailedRelu(0.1) at -2', new surrogate.LogTailedRelu(0.1), -2, 0.1, -0.2],
  ['ReluGrad at 0', new surrogate.ReluGrad(), 0, 0.3, null],
  ['ReluGrad at 0.5', new surrogate.ReluGrad(), 0.5, 0.15, null],
  ['ReluGrad at 2', new surrogate.ReluGrad(), 2, 0, null],
  ['GaussianGrad at 0', new surrogate.GaussianGrad(), 0, 1 / SQ2PI, null],
  ['GaussianGrad at 2: exp(-(4/2)·0.25) (quirk; a N(0, 0.25) gives exp(-8))', new surrogate.GaussianGrad(), 2, Math.exp(-0.5) / SQ2PI, null],
  ['MultiGaussianGrad at 0', new surrogate.MultiGaussianGrad(), 0,
    0.5 * (1.15 / (SQ2PI * 0.5) - 2 * 0.15 * Math.exp(-0.25 / 18) / (SQ2PI * 3)), null],
  ['InvSquareGrad at 0.01', new surrogate.InvSquareGrad(), 0.01, 0.25, null],
  ['InvSquareGrad at 0', new surrogate.InvSquareGrad(), 0, 1, null],
  ['SlayerGrad at -ln 2', new surrogate.SlayerGrad(), -Math.LN2, 0.5, null],
];

describe('hand-derived values (float64)', () => {
  test.each(HAND)('%s', (_n, s, x, grad, fun) => {
    const t = torch.tensor([x], F64);
    expect(s.surrogate_grad(t).item()).toBeCloseTo(grad, 12);
    expect(backward(s, t).item()).toBeCloseTo(grad, 12);
    if (fun === null) expect(() => s.surrogate_fun(t)).toThrow();
    else if (Number.isNaN(fun)) expect(s.surrogate_fun(t).item()).toBeNaN();
    else if (!Number.isFinite(fun)) expect(s.surrogate_fun(t).item()).toBe(fun);
    else expect(s.surrogate_fun(t).item()).toBeCloseTo(fun, 12);
  });
});

describe('the Heaviside forward', () => {
  test('x >= 0 fires: 0 and -0 give 1, the smallest negatives 0, NaN 0 (NaN >= 0 is false)', () => {
    const x = torch.from_typed_array(new Float32Array([-1, -1.4e-45, -0, 0, 1.4e-45, 3, NaN, -Infinity, Infinity]), [9]);
    for (const cls of CLASSES) {
      const y = make(cls).call(x);
      expect(y.tolist()).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 1]);
      expect(y.dtype).toBe('float32');
    }
  });

  test('any shape; float64 stays float64; no grad needed -> output does not require grad', () => {
    const x = torch.randn(3, 4, 2);
    const y = new surrogate.Sigmoid().call(x);
    expect(y.shape).toEqual([3, 4, 2]);
    expect(y).toBeCloseToTensor(x.ge(0).float(), { tolerance: 'exact' });
    expect(y.requires_grad).toBe(false);
    expect(new surrogate.Sigmoid().call(x.double()).dtype).toBe('float64');
    const a = x.clone().requires_grad_(true);
    expect(torch.no_grad(() => new surrogate.Sigmoid().call(a)).requires_grad).toBe(false);
    expect(new surrogate.Sigmoid().call(a).requires_grad).toBe(true);
  });
});

describe('when no gradient can flow', () => {
  test('the built-ins skip the elementwise surrogate_grad (as XLA drops it under jit); user subclasses run it, as upstream', () => {
    const x = torch.tensor([-1, 0, 1]);
    for (const cls of CLASSES) {
      const s = make(cls);
      const spy = jest.spyOn(s, 'surrogate_grad');
      expect(s.call(x).tolist()).toEqual([0, 1, 1]);
      expect(torch.no_grad(() => s.call(x.clone().requires_grad_(true))).tolist()).toEqual([0, 1, 1]);
      expect(spy).not.toHaveBeenCalled();
      s.call(x.clone().requires_grad_(true));
      expect(spy).toHaveBeenCalledTimes(1);
    }
    let n = 0;
    class Counting extends surrogate.Surrogate {
      override surrogate_grad(t: Tensor): Tensor { n++; return t.mul(0); }
    }
    new Counting().call(x);
    expect(n).toBe(1);
  });
});

describe('backward', () => {
  test('chains through the graph: d/dx call(2x - 1) = 2·surrogate_grad(2x - 1)', () => {
    const x = torch.tensor([-1, -0.2, 0.3, 0.5, 1.4], F64).requires_grad_(true);
    const s = new surrogate.PiecewiseQuadratic(1.5);
    s.call(x.mul(2).sub(1)).sum().backward();
    expect(x.grad!).toBeCloseToTensor(s.surrogate_grad(x.detach().mul(2).sub(1)).mul(2), { atol: 0, rtol: 0 });
  });

  test('surrogate_grad is evaluated at call time (brainstate binds it to the primitive then)', () => {
    const s = new surrogate.Sigmoid(4);
    const x = torch.tensor([0.25], F64).requires_grad_(true);
    const y = s.call(x);
    s.alpha = 1;
    y.sum().backward();
    expect(x.grad!.item()).toBeCloseTo(new surrogate.Sigmoid(4).surrogate_grad(x.detach()).item(), 14);
  });

  test('second derivative (create_graph) is d/dx surrogate_grad, as JAX differentiates dx = surrogate_grad(x)', () => {
    const x = torch.tensor([-0.7, -0.1, 0, 0.2, 0.9], F64).requires_grad_(true);
    const a = 4;
    const [g] = torch.autograd.grad(new surrogate.Sigmoid(a).call(x).sum(), x, null, { create_graph: true });
    const [h] = torch.autograd.grad(g!.sum(), x);
    const sg = x.detach().mul(a).sigmoid();
    const expected = sg.mul(sg.neg().add(1)).mul(sg.mul(-2).add(1)).mul(a * a); // d/dx α·σ(αx)(1 − σ(αx))
    expect(h!).toBeCloseToTensor(expected, { atol: 1e-12, rtol: 1e-10 });
    expect(g!).toBeCloseToTensor(new surrogate.Sigmoid(a).surrogate_grad(x.detach()), { atol: 0, rtol: 0 });
  });
});

// ---- surrogate_grad against d/dx surrogate_fun ----------------------------------------------------------------------------

/** Central differences of surrogate_fun in float64. */
function fd(s: S, xs: number[], h = 1e-6): number[] {
  const p = s.surrogate_fun(torch.tensor(xs.map((v) => v + h), F64)).tolist() as number[];
  const m = s.surrogate_fun(torch.tensor(xs.map((v) => v - h), F64)).tolist() as number[];
  return p.map((v, i) => (v - m[i]) / (2 * h));
}

/** A float64 grid on [-2.95, 2.95] without the points within 1e-3 of the given kinks. */
function gridAway(kinks: number[]): number[] {
  return Array.from({ length: 119 }, (_, i) => -2.95 + i * 0.05).filter((v) => kinks.every((k) => Math.abs(v - k) > 1e-3));
}

/** Surrogates whose surrogate_grad IS d/dx surrogate_fun (kinks of surrogate_fun excluded from the grid). */
const DERIVATIVE: [string, S, number[]][] = [
  ['Sigmoid()', new surrogate.Sigmoid(), []],
  ['Sigmoid(1.5)', new surrogate.Sigmoid(1.5), []],
  ['PiecewiseExp()', new surrogate.PiecewiseExp(), [0]],
  ['PiecewiseExp(2.5)', new surrogate.PiecewiseExp(2.5), [0]],
  ['SoftSign()', new surrogate.SoftSign(), [0]],
  ['SoftSign(3)', new surrogate.SoftSign(3), [0]],
  ['NonzeroSignLog()', new surrogate.NonzeroSignLog(), [0]],
  ['NonzeroSignLog(2)', new surrogate.NonzeroSignLog(2), [0]],
  ['SquarewaveFourierSeries()', new surrogate.SquarewaveFourierSeries(), []],
  ['SquarewaveFourierSeries(5, 4)', new surrogate.SquarewaveFourierSeries(5, 4), []],
  ['LeakyRelu()', new surrogate.LeakyRelu(), [0]],
  ['LeakyRelu(0.05, 2)', new surrogate.LeakyRelu(0.05, 2), [0]],
  ['LogTailedRelu()', new surrogate.LogTailedRelu(), [0, 1]],
  ['LogTailedRelu(0.1)', new surrogate.LogTailedRelu(0.1), [0, 1]],
  // S2NN only up to its epsilon (1e-8 by default: relative 1e-8, below the tolerance); see the quirks below
  ['S2NN() (epsilon 1e-8)', new surrogate.S2NN(), [0, -1]],
];

describe('surrogate_grad = d/dx surrogate_fun (float64 finite differences) where upstream makes it so', () => {
  test.each(DERIVATIVE)('%s', (_n, s, kinks) => {
    const xs = gridAway(kinks);
    const g = s.surrogate_grad(torch.tensor(xs, F64));
    expect(g).toBeCloseToTensor(torch.tensor(fd(s, xs), F64), { atol: 1e-7, rtol: 1e-6 });
    // and autograd of surrogate_fun (the composed torch ops) agrees with surrogate_grad
    const x = torch.tensor(xs, F64).requires_grad_(true);
    s.surrogate_fun(x).sum().backward();
    // (S2NN: autograd differentiates log(|x + 1| + ε), so it is β/(x + 1 + ε): relative 1e-8 off)
    expect(x.grad!).toBeCloseToTensor(g, { atol: 1e-10, rtol: s instanceof surrogate.S2NN ? 2e-8 : 1e-9 });
  });
});

describe('where surrogate_grad is NOT d/dx surrogate_fun (upstream quirks, reproduced)', () => {
  const xs = gridAway([-1 / 1.5, 1 / 1.5, -0.5, 0.5, -1, 0, 1]);
  const X = torch.tensor(xs, F64);
  const close = (a: number[], b: number[], atol = 1e-6) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(atol + 1e-6 * Math.abs(b[i])));

  test('exactly these surrogates: PiecewiseQuadratic, ERF, PiecewiseLeakyRelu, QPseudoSpike, S2NN (epsilon); no surrogate_fun: Arctan (TypeError), ReluGrad, GaussianGrad, MultiGaussianGrad, InvSquareGrad, SlayerGrad', () => {
    const classify = (cls: ClassName, opts: Record<string, number> = {}): boolean | null => {
      const s = make(cls, opts);
      const pts = gridAway([-1, -0.5, 0, 0.5, 1, -1 / 1.5, 1 / 1.5, -2 / 3, 2 / 3]);
      try { s.surrogate_fun(torch.tensor([0.5], F64)); } catch { return null; }
      const d = fd(s, pts);
      const g = s.surrogate_grad(torch.tensor(pts, F64)).tolist() as number[];
      return g.every((v, i) => Number.isFinite(d[i]) && Math.abs(v - d[i]) <= 1e-6 + 1e-5 * Math.abs(d[i]));
    };
    const derivative = CLASSES.filter((c) => classify(c) === true);
    const notDerivative = CLASSES.filter((c) => classify(c) === false);
    const noFun = CLASSES.filter((c) => classify(c) === null);
    expect(derivative).toEqual(['Sigmoid', 'PiecewiseExp', 'SoftSign', 'NonzeroSignLog', 'SquarewaveFourierSeries', 'S2NN', 'LeakyRelu', 'LogTailedRelu']);
    expect(notDerivative).toEqual(['PiecewiseQuadratic', 'ERF', 'PiecewiseLeakyRelu', 'QPseudoSpike']);
    expect(noFun).toEqual(['Arctan', 'ReluGrad', 'GaussianGrad', 'MultiGaussianGrad', 'InvSquareGrad', 'SlayerGrad']);
    expect(classify('S2NN', { epsilon: 0.5 })).toBe(false);
    // the reference transcription's own finite-difference check says the same
    const ref = Object.fromEntries((REF.derivative_check as [string, [string, boolean | null][]][]).map(([k, v]) => [k, Object.fromEntries(v)]));
    for (const c of CLASSES) expect([c, ref[c].default]).toEqual([c, classify(c)]);
    expect(ref.S2NN.custom).toBe(false);
  });

  test('PiecewiseQuadratic: grad α − (αx)², the derivative of surrogate_fun α − α²|x| (|x| < 1/α)', () => {
    const a = 1.5;
    const s = new surrogate.PiecewiseQuadratic(a);
    const inside = (v: number) => Math.abs(v) < 1 / a;
    close(s.surrogate_grad(X).tolist() as number[], xs.map((v) => (inside(v) ? a - a * a * v * v : 0)), 1e-12);
    close(fd(s, xs), xs.map((v) => (inside(v) ? a - a * a * Math.abs(v) : 0)));
  });

  test('ERF: d/dx surrogate_fun = −surrogate_grad (surrogate_fun is erf(−αx)/2)', () => {
    const s = new surrogate.ERF(1.5);
    close(fd(s, xs), (s.surrogate_grad(X).tolist() as number[]).map((v) => -v));
  });

  test('PiecewiseLeakyRelu: grad 1/w inside [-w, w], twice the slope 1/(2w) of surrogate_fun; c outside matches', () => {
    const c = 0.1, w = 0.5;
    const s = new surrogate.PiecewiseLeakyRelu(c, w);
    close(s.surrogate_grad(X).tolist() as number[], xs.map((v) => (Math.abs(v) > w ? c : 1 / w)), 1e-12);
    close(fd(s, xs), xs.map((v) => (Math.abs(v) > w ? c : 1 / (2 * w))));
  });

  test('QPseudoSpike: grad (1 + 2|x|/(α+1))^−α; surrogate_fun slopes (1 + 2x/(α−1))^−α for x > 0 and −(1 − 2|x|/(α−1))^−α for x < 0', () => {
    const a = 3; // pole of the x < 0 branch at -1, excluded from xs
    const s = new surrogate.QPseudoSpike(a);
    close(s.surrogate_grad(X).tolist() as number[], xs.map((v) => Math.pow(1 + (2 * Math.abs(v)) / (a + 1), -a)), 1e-12);
    close(fd(s, xs), xs.map((v) => (v > 0 ? Math.pow(1 + (2 * v) / (a - 1), -a) : -Math.pow(1 - (2 * Math.abs(v)) / (a - 1), -a))), 1e-4);
  });

  test('S2NN: for x >= 0 grad β/(x + 1), surrogate_fun slopes β/(x + 1 + ε); for x < 0 they agree', () => {
    const b = 2, eps = 0.5;
    const s = new surrogate.S2NN(8, b, eps);
    const g = s.surrogate_grad(X).tolist() as number[];
    close(g, xs.map((v, i) => (v >= 0 ? b / (v + 1) : g[i])), 1e-12);
    close(fd(s, xs), xs.map((v, i) => (v >= 0 ? b / (v + 1 + eps) : g[i])));
  });

  test('GaussianGrad is a N(0, σ²) density only for σ = 1 (exponent −(x²/2)·σ²)', () => {
    const gauss = (sigma: number) => xs.map((v) => Math.exp(-(v * v) / (2 * sigma * sigma)) / (SQ2PI * sigma));
    close(new surrogate.GaussianGrad(1, 1).surrogate_grad(X).tolist() as number[], gauss(1), 1e-12);
    close(new surrogate.GaussianGrad(2, 1).surrogate_grad(X).tolist() as number[], xs.map((v) => Math.exp(-(v * v) / 2 * 4) / (SQ2PI * 2)), 1e-12);
    // at x = 1, σ = 2: exp(−2)/(2√(2π)) = 0.0270 where the N(0, 4) density is exp(−1/8)/(2√(2π)) = 0.1760
    expect(new surrogate.GaussianGrad(2, 1).surrogate_grad(torch.tensor([1], F64)).item()).toBeCloseTo(Math.exp(-2) / (2 * SQ2PI), 14);
  });

  test('Arctan.surrogate_fun raises TypeError (one-argument arctan2), as upstream', () => {
    expect(() => new surrogate.Arctan().surrogate_fun(X)).toThrow(TypeError);
    expect(() => new surrogate.Arctan().surrogate_fun(X)).toThrow(/arctan2/);
  });
});

// ---- classes, defaults, arguments, errors --------------------------------------------------------------------------------

describe('defaults, repr and arguments', () => {
  test('constructor defaults as in the seed', () => {
    const d = (cls: ClassName) => Object.fromEntries(Object.entries(make(cls)));
    expect(d('Sigmoid')).toEqual({ alpha: 4 });
    for (const c of ['PiecewiseQuadratic', 'PiecewiseExp', 'SoftSign', 'Arctan', 'NonzeroSignLog', 'ERF', 'SlayerGrad'] as const) expect(d(c)).toEqual({ alpha: 1 });
    expect(d('PiecewiseLeakyRelu')).toEqual({ c: 0.01, w: 1 });
    expect(d('SquarewaveFourierSeries')).toEqual({ n: 2, t_period: 8 });
    expect(d('S2NN')).toEqual({ alpha: 4, beta: 1, epsilon: 1e-8 });
    expect(d('QPseudoSpike')).toEqual({ alpha: 2 });
    expect(d('LeakyRelu')).toEqual({ alpha: 0.1, beta: 1 });
    expect(d('LogTailedRelu')).toEqual({ alpha: 0 });
    expect(d('ReluGrad')).toEqual({ alpha: 0.3, width: 1 });
    expect(d('GaussianGrad')).toEqual({ sigma: 0.5, alpha: 0.5 });
    expect(d('MultiGaussianGrad')).toEqual({ h: 0.15, s: 6, sigma: 0.5, scale: 0.5 });
    expect(d('InvSquareGrad')).toEqual({ alpha: 100 });
  });

  test("repr as the seed's __repr__ prints it (GaussianGrad prints alpha before sigma)", () => {
    expect(String(new surrogate.Sigmoid())).toBe('Sigmoid(alpha=4.0)');
    expect(String(new surrogate.S2NN())).toBe('S2NN(alpha=4.0, beta=1.0, epsilon=1e-08)');
    expect(String(new surrogate.GaussianGrad(0.25))).toBe('GaussianGrad(alpha=0.5, sigma=0.25)');
    expect(String(new surrogate.SquarewaveFourierSeries(3, 1e16))).toBe('SquarewaveFourierSeries(n=3, t_period=1e+16)');
    expect(String(new surrogate.PiecewiseLeakyRelu({ w: 0.00001 }))).toBe('PiecewiseLeakyRelu(c=0.01, w=1e-05)');
    expect(String(new surrogate.Surrogate())).toBe('Surrogate()');
    expect(`${new surrogate.MultiGaussianGrad()}`).toBe('MultiGaussianGrad(h=0.15, s=6.0, sigma=0.5, scale=0.5)');
  });

  test('positional and keyword arguments as in Python', () => {
    expect(new surrogate.GaussianGrad(2).sigma).toBe(2);
    expect(new surrogate.GaussianGrad({ alpha: 2 }).sigma).toBe(0.5);
    expect(new surrogate.S2NN(8, { epsilon: 0.1 })).toMatchObject({ alpha: 8, beta: 1, epsilon: 0.1 });
    expect(new surrogate.MultiGaussianGrad(0.2, 5, { scale: 1 })).toMatchObject({ h: 0.2, s: 5, sigma: 0.5, scale: 1 });
    const x = torch.tensor([-0.5, 0.5], F64).requires_grad_(true);
    surrogate.gaussian_grad(x, 2, { alpha: 1 }).sum().backward();
    expect(x.grad!).toBeCloseToTensor(new surrogate.GaussianGrad(2, 1).surrogate_grad(x.detach()), { atol: 0, rtol: 0 });
  });

  test('a user subclass (the docstring example: sin / cos)', () => {
    class MySurrogate extends surrogate.Surrogate {
      constructor(public alpha = 1.0) { super(); }
      override surrogate_fun(x: Tensor): Tensor { return x.sin().mul(this.alpha); }
      override surrogate_grad(x: Tensor): Tensor { return x.cos().mul(this.alpha); }
    }
    const x = torch.tensor([-1, 0, 2], F64);
    const s = new MySurrogate(2);
    expect(s.call(x).tolist()).toEqual([0, 1, 1]);
    expect(backward(s, x)).toBeCloseToTensor(x.cos().mul(2), { atol: 0, rtol: 0 });
    expect(String(s)).toBe('MySurrogate()');
    expect(() => new surrogate.Surrogate().call(x)).toThrow(/NotImplementedError/);
  });
});

describe('argument errors', () => {
  const x = torch.tensor([-1, 0, 1]);

  test('unknown option keys, too many positional arguments', () => {
    expect(() => new surrogate.Sigmoid({ alhpa: 2 } as never)).toThrow(/brainstate\.surrogate\.Sigmoid: unknown option "alhpa"/);
    expect(() => surrogate.sigmoid(x, { alhpa: 2 } as never)).toThrow(/brainstate\.surrogate\.sigmoid: unknown option "alhpa"/);
    expect(() => new surrogate.GaussianGrad({ mu: 0 } as never)).toThrow(/unknown option "mu"; expected one of sigma, alpha/);
    expect(() => new (surrogate.Sigmoid as any)(1, 2)).toThrow(/at most 1 optional positional/);
    expect(() => new surrogate.S2NN(1, { alpha: 2 })).toThrow(/multiple values for argument 'alpha'/);
  });

  test('parameters must be numbers; n an integer', () => {
    expect(() => new surrogate.Sigmoid('2' as never)).toThrow(/Sigmoid: alpha must be a number, got "2"/);
    expect(() => new surrogate.ReluGrad(0.3, NaN)).toThrow(/width must be a number, got NaN/);
    expect(() => new surrogate.SquarewaveFourierSeries(2.5)).toThrow(/n must be an integer/);
    expect(() => surrogate.leaky_relu(x, 0.1, null as never)).toThrow(/beta must be a number, got null/);
  });

  test('x must be a floating point Tensor', () => {
    expect(() => new surrogate.Sigmoid().call([0, 1] as never)).toThrow(/Sigmoid\.call: x must be a Tensor/);
    expect(() => new surrogate.Sigmoid().call(torch.tensor([0, 1], { dtype: 'int32' }))).toThrow(/floating point/);
    expect(() => surrogate.erf(3 as never)).toThrow(/brainstate\.surrogate\.erf: x must be a Tensor, got 3/);
    expect(() => new surrogate.ERF().surrogate_fun(undefined as never)).toThrow(/ERF\.surrogate_fun: x must be a Tensor/);
  });

  test("Python float division by zero (ZeroDivisionError) where upstream divides two Python floats, and only there", () => {
    // surrogate_grad runs in call(), so these raise on the forward, as brainstate's __call__ does, with or without grad
    for (const input of [x, x.clone().requires_grad_(true)]) {
      expect(() => new surrogate.PiecewiseQuadratic(0).call(input)).toThrow(/PiecewiseQuadratic\.surrogate_grad: float division by zero in 1 \/ alpha.*ZeroDivisionError/);
      expect(() => new surrogate.NonzeroSignLog(0).call(input)).toThrow(/ZeroDivisionError/);
      expect(() => new surrogate.PiecewiseLeakyRelu({ w: 0 }).call(input)).toThrow(/1 \/ w/);
      expect(() => new surrogate.SquarewaveFourierSeries({ t_period: 0 }).call(input)).toThrow(/t_period/);
      expect(() => new surrogate.QPseudoSpike(-1).call(input)).toThrow(/2 \/ \(alpha \+ 1\)/);
    }
    // surrogate_fun only
    expect(new surrogate.SoftSign(0).call(x).tolist()).toEqual([0, 1, 1]);
    expect(() => new surrogate.SoftSign(0).surrogate_fun(x)).toThrow(/2 \/ alpha/);
    expect(new surrogate.QPseudoSpike(1).call(x).tolist()).toEqual([0, 1, 1]);
    expect(() => new surrogate.QPseudoSpike(1).surrogate_fun(x)).toThrow(/2 \/ \(alpha - 1\)/);
    expect(() => new surrogate.SquarewaveFourierSeries({ t_period: 0 }).surrogate_fun(x)).toThrow(/ZeroDivisionError/);
    // array divisions give inf/NaN, as jnp's do
    expect(new surrogate.PiecewiseLeakyRelu({ w: 0 }).surrogate_fun(torch.tensor([0, 0.5], F64)).tolist()).toEqual([NaN, 1.005]); // 0.5·0/0
    expect(new surrogate.GaussianGrad(0).surrogate_grad(torch.tensor([1])).tolist()).toEqual([Infinity]);
  });
});

describe('the package entry', () => {
  test('spikeport/brainstate exports surrogate; package.json maps it, types first', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const e = pkg.exports['./brainstate'];
    expect(Object.keys(e)).toEqual(['types', 'import', 'require']);
    expect(e).toEqual({ types: './dist/types/brainstate/index.d.ts', import: './dist/esm/brainstate.js', require: './dist/cjs/brainstate.cjs' });
    for (const c of CLASSES) expect(typeof (surrogate as any)[c]).toBe('function');
    for (const [f] of Object.values(FUNCTIONS)) expect(typeof (surrogate as any)[f]).toBe('function');
  });
});
