/**
 * bp.init: shapes, fans and variances exactly (BrainPy's _format_shape/_compute_fans/VarianceScaling formulas);
 * distributions by stated statistical tests (BrainPy's JAX streams cannot be reproduced here):
 *   - Kolmogorov–Smirnov: D = sup|F_n − F| < 1.95/√n (the α = 0.001 critical value), against the exact target CDF;
 *   - moments: |sample std / target std − 1| < 3% (n ≥ 30000: the standard error of the std is < 0.5%);
 *   - bounds: every truncated value strictly inside its truncation interval.
 * Seeds are fixed, so these tests are deterministic.
 */
import * as torch from '../../src/torch/index';
import * as init from '../../src/brainpy/initialize/index';
import { _compute_fans } from '../../src/brainpy/initialize/random_inits';

type Tensor = torch.Tensor;

const erf = (x: number): number => torch.tensor([x], { dtype: 'float64' }).erf().item();
const Phi = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));

/** KS statistic of the sample against a CDF. */
function ks(values: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(values).sort();
  const n = xs.length;
  let d = 0;
  // evaluate the CDF on a subsample of order statistics plus both ends of each step (exact enough at this n)
  const step = Math.max(1, Math.floor(n / 4000));
  for (let i = 0; i < n; i += step) {
    const f = cdf(xs[i]);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d;
}

function std(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return Math.sqrt(s / v.length);
}

const tnCdf = (a: number, b: number, loc: number, scale: number) => (x: number): number => {
  const lo = Phi((a - loc) / scale), hi = Phi((b - loc) / scale);
  return Math.min(1, Math.max(0, (Phi((x - loc) / scale) - lo) / (hi - lo)));
};
const uCdf = (a: number, b: number) => (x: number): number => Math.min(1, Math.max(0, (x - a) / (b - a)));

function expectKs(what: string, t: Tensor, cdf: (x: number) => number): void {
  const v = t.toTypedArray();
  const d = ks(v, cdf), crit = 1.95 / Math.sqrt(v.length);
  if (!(d < crit)) throw new Error(`${what}: KS statistic ${d} >= ${crit}`);
}

describe('fans and variances (exact)', () => {
  test('_compute_fans', () => {
    expect(_compute_fans([3, 4])).toEqual([3, 4]);
    expect(_compute_fans([2, 3, 4, 5])).toEqual([24, 30]); // receptive field 2·3
    expect(_compute_fans([2, 3, 4, 5], 0, 1)).toEqual([40, 60]);
    expect(_compute_fans([7])).toEqual([7, 7]);
    expect(_compute_fans([])).toEqual([1, 1]);
  });

  test('variance for (num_in, num_out) shapes', () => {
    expect(new init.XavierNormal().variance([200, 300])).toBe(1 / 250);
    expect(new init.XavierUniform().variance([200, 300])).toBe(1 / 250);
    expect(new init.KaimingNormal().variance([200, 300])).toBe(2 / 200);
    expect(new init.KaimingUniform({ mode: 'fan_out' }).variance([200, 300])).toBe(2 / 300);
    expect(new init.LecunNormal().variance([200, 300])).toBe(1 / 200);
    expect(new init.XavierNormal(2.0).variance([[10, 30]])).toBe(2 / 20); // BrainPy's _format_shape unwraps [[...]]
    expect(new init.VarianceScaling(1, 'fan_in', 'normal', { in_axis: 0 }).variance([4, 5, 6])).toBe(1 / 20); // fan_in = shape[0]·(120/(4·6))
    expect(init.calculate_gain('relu')).toBe(Math.SQRT2);
    expect(init.calculate_gain('leaky_relu', 0.2)).toBe(Math.sqrt(2 / 1.04));
  });

  test('constructor arguments as BrainPy (positional or by name) and repr', () => {
    const x = new init.XavierNormal({ seed: 3 });
    expect([x.scale, x.mode, x.distribution, x.in_axis, x.out_axis]).toEqual([1, 'fan_avg', 'truncated_normal', -2, -1]);
    const k = new init.KaimingUniform(1.5, 'fan_out');
    expect([k.scale, k.mode, k.distribution]).toEqual([1.5, 'fan_out', 'uniform']);
    expect(String(new init.KaimingNormal())).toBe('KaimingNormal(scale=2, mode=fan_in, in_axis=-2, out_axis=-1, distribution=truncated_normal, rng=default_generator)');
    const n = new init.Normal(-55, 2);
    expect([n.mean, n.scale]).toEqual([-55, 2]);
    const t = new init.TruncatedNormal({ lower: null });
    expect([t.loc, t.scale, t.lower, t.upper]).toEqual([0, 1, -Infinity, 2]);
  });
});

describe('distributions (stated statistical tests)', () => {
  test('XavierNormal: TN(-2, 2)·sqrt(2/(fan_in + fan_out))/0.8796…, std = sqrt(variance), bounded', () => {
    const W = new init.XavierNormal({ seed: 1 }).call([200, 300]);
    expect(W.shape).toEqual([200, 300]);
    expect(W.dtype).toBe('float32');
    const sd = Math.sqrt(1 / 250), stddev = sd / 0.87962566103423978;
    expectKs('XavierNormal', W, tnCdf(-2 * stddev, 2 * stddev, 0, stddev));
    expect(Math.abs(std(W.toTypedArray()) / sd - 1)).toBeLessThan(0.03);
    expect(W.abs().max().item()).toBeLessThan(2 * stddev);
  });

  test('KaimingNormal and LecunNormal (truncated) match their targets', () => {
    for (const [I, v] of [[new init.KaimingNormal({ seed: 2 }), 2 / 150], [new init.LecunNormal({ seed: 3 }), 1 / 150]] as const) {
      const W = I.call([150, 250]);
      const stddev = Math.sqrt(v) / 0.87962566103423978;
      expectKs(I.constructor.name, W, tnCdf(-2 * stddev, 2 * stddev, 0, stddev));
      expect(Math.abs(std(W.toTypedArray()) / Math.sqrt(v) - 1)).toBeLessThan(0.03);
    }
  });

  test("XavierUniform / KaimingUniform: U(-sqrt(3 var), sqrt(3 var)); distribution='normal': N(0, var)", () => {
    const W = new init.XavierUniform({ seed: 4 }).call([200, 300]);
    const lim = Math.sqrt(3 / 250);
    expectKs('XavierUniform', W, uCdf(-lim, lim));
    expect(W.abs().max().item()).toBeLessThanOrEqual(lim);
    const K = new init.KaimingUniform({ seed: 5 }).call([300, 100]);
    const lk = Math.sqrt(3 * 2 / 300);
    expectKs('KaimingUniform', K, uCdf(-lk, lk));
    const N = new init.VarianceScaling(1.0, 'fan_in', 'normal', { seed: 6 }).call([100, 400]);
    expectKs('VarianceScaling normal', N, (x) => Phi(x / Math.sqrt(1 / 100)));
  });

  test('Normal(mean, scale), Uniform(min_val, max_val), TruncatedNormal(loc, scale, lower, upper)', () => {
    expectKs('Normal', new init.Normal(-55, 2, 7).call(40000), (x) => Phi((x + 55) / 2));
    expectKs('Uniform', new init.Uniform({ min_val: -3, max_val: 5, seed: 8 }).call([200, 200]), uCdf(-3, 5));
    const T = new init.TruncatedNormal({ loc: 1, scale: 2, lower: 0, upper: 3, seed: 9 }).call([40000], 'float64');
    expect(T.dtype).toBe('float64');
    expectKs('TruncatedNormal', T, tnCdf(0, 3, 1, 2));
    const v = T.toTypedArray();
    expect(v.every((x) => x > 0 && x < 3)).toBe(true);
    // one-sided: lower=null is -inf
    expectKs('TruncatedNormal(lower=None)', new init.TruncatedNormal({ lower: null, upper: 0.5, seed: 10 }).call(40000), tnCdf(-Infinity, 0.5, 0, 1));
  });

  test('seeds: a seeded initializer is reproducible and advances; seed=None follows torch.manual_seed', () => {
    const a = new init.XavierUniform({ seed: 42 }), b = new init.XavierUniform({ seed: 42 });
    const a1 = a.call([5, 6]), b1 = b.call([5, 6]);
    expect(a1.equal(b1)).toBe(true);
    expect(a.call([5, 6]).equal(a1)).toBe(false);
    torch.manual_seed(3);
    const c = new init.Normal().call([10]);
    torch.manual_seed(3);
    expect(new init.Normal().call([10]).equal(c)).toBe(true);
  });
});

describe('regular initializers and parameter()', () => {
  test('ZeroInit, OneInit, Constant, Identity', () => {
    expect(new init.ZeroInit().call([2, 3]).tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(new init.OneInit().call([2]).tolist()).toEqual([1, 1]);
    expect(new init.OneInit(2.5).call(3, 'float64').dtype).toBe('float64');
    expect(new init.Constant(torch.tensor([1, 2])).call([2, 2]).tolist()).toEqual([[1, 2], [1, 2]]);
    expect(new init.ZeroInit().call([[2, 3], 4]).shape).toEqual([6, 4]);
    expect(new init.Identity(3).call([2, 3]).tolist()).toEqual([[3, 0, 0], [0, 3, 0]]);
    expect(new init.Identity().call(2).tolist()).toEqual([[1, 0], [0, 1]]);
  });

  test('parameter: scalars pass, null allowed or refused, initializers and functions called, tensors shape-checked', () => {
    expect(init.parameter(0.5, [3, 4])).toBe(0.5);
    expect(init.parameter(null, [3])).toBeNull();
    expect(() => init.parameter(null, [3], false)).toThrow('bp.init.parameter: Expect a parameter with type of float, ArrayType, Initializer, or Callable function, but we got None.');
    expect((init.parameter(new init.ZeroInit(), [3, 4]) as Tensor).shape).toEqual([3, 4]);
    expect((init.parameter((s: number[]) => torch.ones(s), 5) as Tensor).shape).toEqual([5]);
    const t = torch.zeros([3, 4]);
    expect(init.parameter(t, [3, 4])).toBe(t);
    expect(init.parameter(torch.tensor([2]), [3, 4])).toBeInstanceOf(torch.Tensor);
    expect(() => init.parameter(torch.zeros([4, 3]), [3, 4])).toThrow('bp.init.parameter: The shape of the parameters should be [3, 4], but we got [4, 3]');
    expect(() => init.parameter(torch.tensor([2]), [3, 4], { allow_scalar: false })).toThrow('should be [3, 4], but we got [1]');
    expect(() => init.parameter(2 as never, [3], true, false)).toThrow('bp.init.parameter: param must be null, a number, a Tensor, an Initializer or a function of the shape, got 2');
  });
});

describe('bp.init: argument errors', () => {
  test.each([
    [() => new init.VarianceScaling(1, 'fan_sum' as never, 'normal'), "VarianceScaling: mode must be one of 'fan_in', 'fan_out', 'fan_avg', got \"fan_sum\""],
    [() => new init.XavierNormal({ distribution: 'cauchy' as never }), "XavierNormal: distribution must be one of 'truncated_normal', 'normal', 'uniform', got \"cauchy\""],
    [() => new init.XavierNormal({ sed: 1 } as never), 'XavierNormal: unknown option "sed"'],
    [() => new init.XavierNormal().call([]), 'XavierNormal.call: Please provide shape.'],
    [() => new init.XavierNormal().call([3, -1]), 'XavierNormal.call: shape must be non-negative integers, got [3, -1]'],
    [() => new init.XavierNormal({ in_axis: 5 }).call([3, 4]), '_compute_fans: axis 5 is out of range for a 2-D shape [3, 4]'],
    [() => new init.TruncatedNormal({ scale: 0 }), 'TruncatedNormal: scale must be a positive number, got 0'],
    [() => new init.Normal({ seed: 1.5 }), 'Normal: seed must be an integer or null, got 1.5'],
    [() => new init.ZeroInit().call([2], 'float16' as never), "ZeroInit.call: dtype must be one of 'float32', 'float64', 'int32', 'bool' or null, got \"float16\""],
    [() => new init.Identity().call([2, 2, 2]), 'Identity.call: Only support initialize 2D weights for Identity, got shape [2, 2, 2]'],
    [() => init.calculate_gain('swish'), 'calculate_gain: Unsupported nonlinearity "swish"'],
  ])('%#', (f, msg) => {
    expect(f).toThrow(msg);
  });
});
