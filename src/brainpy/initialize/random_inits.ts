/**
 * brainpy.initialize random initializers (brainpy/initialize/random_inits.py, BrainPy ≥ 2.7.8): Normal,
 * TruncatedNormal, Uniform, VarianceScaling and its Kaiming/Xavier/Lecun presets, calculate_gain.
 *
 * Constructor arguments, defaults, shape handling (`_format_shape`) and the fan computation (`_compute_fans`:
 * fan_in = shape[in_axis]·rf, fan_out = shape[out_axis]·rf, rf = prod(shape)/(shape[in_axis]·shape[out_axis]);
 * a 1-D shape (n,) has fan_in = fan_out = n, a 0-D shape 1) are BrainPy's, as are the formulas:
 *   variance = scale / {fan_in | fan_out | (fan_in + fan_out)/2}
 *   truncated_normal: TN(-2, 2) · sqrt(variance) / 0.87962566103423978  (std(W) = sqrt(variance))
 *   normal:           N(0, 1) · sqrt(variance)
 *   uniform:          U(-1, 1) · sqrt(3 · variance)
 * and TN is drawn as brainstate does it: u uniform in (2Φ(l)−1, 2Φ(u)−1), x = √2·erfinv(u)·scale + loc, clipped
 * strictly inside (lower, upper).
 *
 * NOT reproduced: the random STREAM. BrainPy draws from JAX (`bm.random.default_rng(seed)`, threefry), and JAX cannot
 * be installed here, so the values for a given seed differ from BrainPy's. spikeport draws from PyTorch's generator:
 * `seed=None` uses torch's default generator (seed it with torch.manual_seed, the role bm.random.seed plays), a seed
 * gives the initializer its own `torch.Generator().manual_seed(seed)`, advanced by every call (like BrainPy's
 * per-initializer RandomState). The tests check the distributions statistically (stated tests) and shapes/fans exactly.
 */
import * as torch from '../../torch';
import { fail } from '../../torch/utils/checks';
import { pyArgs, type PyRest } from '../../torch/utils/checks';
import { _InterLayerInitializer, type Shape } from './base';
import { _dtype } from './regular_inits';

type Tensor = torch.Tensor;

/** brainpy.init.calculate_gain(nonlinearity, param=None) (PyTorch's table). */
export function calculate_gain(nonlinearity: string, param?: number | null): number {
  const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
  if (linear.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== 'number') throw new Error(`calculate_gain: negative_slope ${String(param)} not a valid number`);
      slope = param;
    }
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new Error(`calculate_gain: Unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
}

/** BrainPy's _format_shape: int → [int]; [[a, b]] → [a, b]; [] raises. */
export function _format_shape(fn: string, shape: Shape): number[] {
  let s: unknown = shape;
  if (typeof s === 'number') s = [s];
  if (!Array.isArray(s)) return fail(fn, 'shape', 'an integer or a sequence of integers', shape);
  if (s.length === 0) throw new Error(`${fn}: Please provide shape.`);
  if (s.length === 1 && Array.isArray(s[0])) s = s[0];
  const list = s as unknown[];
  if (!list.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) fail(fn, 'shape', 'non-negative integers', shape);
  return (list as number[]).slice();
}

/** BrainPy's _compute_fans(shape, in_axis=-2, out_axis=-1) → [fan_in, fan_out]. */
export function _compute_fans(shape: readonly number[], in_axis = -2, out_axis = -1): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const ax = (a: number): number => {
    const d = a < 0 ? a + shape.length : a;
    if (!Number.isInteger(a) || d < 0 || d >= shape.length) throw new Error(`_compute_fans: axis ${a} is out of range for a ${shape.length}-D shape [${shape.join(', ')}]`);
    return d;
  };
  const i = ax(in_axis), o = ax(out_axis);
  const rf = shape.reduce((a, b) => a * b, 1) / shape[i] / shape[o];
  return [shape[i] * rf, shape[o] * rf];
}

/** seed → a generator: null = torch's default (global) generator; a number = its own seeded Generator. */
function generatorFor(fn: string, seed: unknown): torch.Generator {
  if (seed === undefined || seed === null) return torch.default_generator;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) return fail(fn, 'seed', 'an integer or null', seed);
  return new torch.Generator().manual_seed(seed);
}

const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** float64 uniforms in [0, 1) from the generator. */
function uniforms(g: torch.Generator, shape: number[]): Float64Array {
  return torch.rand(shape, { dtype: 'float64', generator: g }).toTypedArray() as Float64Array;
}

/** Giles' erfinv approximation refined by one Newton step in float64 (|x| < 1). */
function erfinvInPlace(y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    const x = y[i];
    let w = -Math.log((1 - x) * (1 + x));
    let p: number;
    if (w < 5) {
      w -= 2.5;
      p = 2.81022636e-08;
      p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w; p = 0.00021858087 + p * w;
      p = -0.00125372503 + p * w; p = -0.00417768164 + p * w; p = 0.246640727 + p * w; p = 1.50140941 + p * w;
    } else {
      w = Math.sqrt(w) - 3;
      p = -0.000200214257;
      p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w; p = 0.00573950773 + p * w;
      p = -0.0076224613 + p * w; p = 0.00943887047 + p * w; p = 1.00167406 + p * w; p = 2.83297682 + p * w;
    }
    y[i] = p * x;
  }
}

function refineErfinv(z: Float64Array, target: Float64Array): void {
  // one Newton step on erf(z) = target, with erf from torch (double precision)
  const e = torch.from_typed_array(z.slice(), [z.length]).erf().toTypedArray() as Float64Array;
  const c = 2 / Math.sqrt(Math.PI);
  for (let i = 0; i < z.length; i++) {
    const d = c * Math.exp(-z[i] * z[i]);
    if (d > 1e-300 && Number.isFinite(e[i])) z[i] -= (e[i] - target[i]) / d;
  }
}

const erfScalar = (x: number): number => (x === Infinity ? 1 : x === -Infinity ? -1 : (torch.from_typed_array(Float64Array.of(x)).erf().item()));

/** Truncated normal, brainstate's algorithm (float64 values). */
function truncatedNormal(g: torch.Generator, shape: number[], lower: number, upper: number, loc: number, scale: number): Float64Array {
  const sqrt2 = Math.SQRT2;
  // 2Φ(a) − 1 = erf(a/√2)
  const lo = erfScalar((lower - loc) / scale / sqrt2), hi = erfScalar((upper - loc) / scale / sqrt2);
  const a = nextUp(lo), b = nextDown(hi);
  const u = uniforms(g, shape);
  for (let i = 0; i < u.length; i++) u[i] = a + (b - a) * u[i];
  const target = u.slice();
  erfinvInPlace(u);
  refineErfinv(u, target);
  const clipLo = nextUp(lower), clipHi = nextDown(upper);
  for (let i = 0; i < u.length; i++) {
    let x = u[i] * scale * sqrt2 + loc;
    if (x < clipLo) x = clipLo;
    if (x > clipHi) x = clipHi;
    u[i] = x;
  }
  return u;
}

const F64 = new Float64Array(1);
const U64 = new BigInt64Array(F64.buffer);
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  F64[0] = x;
  U64[0] += x > 0 ? 1n : -1n;
  return F64[0];
}
function nextDown(x: number): number { return -nextUp(-x); }

function finish(values: Float64Array, shape: number[], dtype: torch.DType): Tensor {
  const t = torch.from_typed_array(values, shape);
  return dtype === 'float64' ? t : t.to(dtype);
}

/** brainpy.init.Normal(mean=0., scale=1., seed=None): N(mean, scale²). */
export class Normal extends _InterLayerInitializer {
  mean: number;
  scale: number;
  rng: torch.Generator;

  constructor(...rest: PyRest<[number, number, number | null], { mean?: number; scale?: number; seed?: number | null }>) {
    super();
    const a = pyArgs('Normal', ['mean', 'scale', 'seed'], rest);
    const mean = a.mean ?? 0.0, scale = a.scale ?? 1.0, seed = a.seed ?? null;
    if (typeof mean !== 'number') fail('Normal', 'mean', 'a number', mean);
    if (typeof scale !== 'number') fail('Normal', 'scale', 'a number', scale);
    this.mean = mean;
    this.scale = scale;
    this.rng = generatorFor('Normal', seed);
  }

  call(shape: Shape, dtype?: torch.DType | null): Tensor {
    const fn = 'Normal.call';
    const s = _format_shape(fn, shape);
    const z = torch.randn(s, { dtype: 'float64', generator: this.rng }).toTypedArray() as Float64Array;
    for (let i = 0; i < z.length; i++) z[i] = this.mean + this.scale * z[i];
    return finish(z, s, _dtype(fn, dtype));
  }

  override toString(): string { return `Normal(scale=${this.scale}, rng=${rngName(this.rng)})`; }
}

/** brainpy.init.TruncatedNormal(loc=0., scale=1., lower=-2., upper=2., seed=None); null bounds are ∓inf. */
export class TruncatedNormal extends _InterLayerInitializer {
  loc: number;
  scale: number;
  lower: number;
  upper: number;
  rng: torch.Generator;

  constructor(...rest: PyRest<[number, number, number | null, number | null, number | null], { loc?: number; scale?: number; lower?: number | null; upper?: number | null; seed?: number | null }>) {
    super();
    const fn = 'TruncatedNormal';
    const a = pyArgs(fn, ['loc', 'scale', 'lower', 'upper', 'seed'], rest);
    const loc = a.loc ?? 0.0, scale = a.scale ?? 1.0, seed = a.seed ?? null;
    // an explicit null bound means unbounded; an absent one is ±2
    const lower: number | null = a.lower === undefined ? -2.0 : a.lower;
    const upper: number | null = a.upper === undefined ? 2.0 : a.upper;
    if (typeof loc !== 'number') fail(fn, 'loc', 'a number', loc);
    if (typeof scale !== 'number' || !(scale > 0)) fail(fn, 'scale', 'a positive number', scale);
    if (lower !== null && typeof lower !== 'number') fail(fn, 'lower', 'a number or null', lower);
    if (upper !== null && typeof upper !== 'number') fail(fn, 'upper', 'a number or null', upper);
    this.loc = loc;
    this.scale = scale;
    this.lower = lower === null ? -Infinity : lower;
    this.upper = upper === null ? Infinity : upper;
    if (!(this.lower < this.upper)) throw new Error(`${fn}: lower must be smaller than upper, got ${this.lower} and ${this.upper}`);
    this.rng = generatorFor(fn, seed);
  }

  call(shape: Shape, dtype?: torch.DType | null): Tensor {
    const fn = 'TruncatedNormal.call';
    const s = _format_shape(fn, shape);
    return finish(truncatedNormal(this.rng, s, this.lower, this.upper, this.loc, this.scale), s, _dtype(fn, dtype));
  }

  override toString(): string {
    return `TruncatedNormal(loc=${this.loc}, scale=${this.scale}, lower=${this.lower}, upper=${this.upper}, rng=${rngName(this.rng)})`;
  }
}

/** brainpy.init.Uniform(min_val=0., max_val=1., seed=None): U(min_val, max_val). */
export class Uniform extends _InterLayerInitializer {
  min_val: number;
  max_val: number;
  rng: torch.Generator;

  constructor(...rest: PyRest<[number, number, number | null], { min_val?: number; max_val?: number; seed?: number | null }>) {
    super();
    const a = pyArgs('Uniform', ['min_val', 'max_val', 'seed'], rest);
    const min_val = a.min_val ?? 0.0, max_val = a.max_val ?? 1.0, seed = a.seed ?? null;
    if (typeof min_val !== 'number') fail('Uniform', 'min_val', 'a number', min_val);
    if (typeof max_val !== 'number') fail('Uniform', 'max_val', 'a number', max_val);
    this.min_val = min_val;
    this.max_val = max_val;
    this.rng = generatorFor('Uniform', seed);
  }

  call(shape: Shape, dtype?: torch.DType | null): Tensor {
    const fn = 'Uniform.call';
    const s = _format_shape(fn, shape);
    const u = uniforms(this.rng, s);
    for (let i = 0; i < u.length; i++) u[i] = this.min_val + (this.max_val - this.min_val) * u[i];
    return finish(u, s, _dtype(fn, dtype));
  }

  override toString(): string { return `Uniform(min_val=${this.min_val}, max_val=${this.max_val}, rng=${rngName(this.rng)})`; }
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'normal' | 'uniform';

/** brainpy.init.VarianceScaling(scale, mode, distribution, in_axis=-2, out_axis=-1, seed=None). */
export class VarianceScaling extends _InterLayerInitializer {
  scale: number;
  mode: FanMode;
  distribution: Distribution;
  in_axis: number;
  out_axis: number;
  rng: torch.Generator;

  constructor(scale: number, mode: FanMode, distribution: Distribution, ...rest: PyRest<[number, number, number | null], { in_axis?: number; out_axis?: number; seed?: number | null }>) {
    super();
    const fn = new.target.name;
    const a = pyArgs(fn, ['in_axis', 'out_axis', 'seed'], rest);
    const in_axis = a.in_axis ?? -2, out_axis = a.out_axis ?? -1, seed = a.seed ?? null;
    if (typeof scale !== 'number') fail(fn, 'scale', 'a number', scale);
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(mode)) fail(fn, 'mode', "one of 'fan_in', 'fan_out', 'fan_avg'", mode);
    if (!['truncated_normal', 'normal', 'uniform'].includes(distribution)) fail(fn, 'distribution', "one of 'truncated_normal', 'normal', 'uniform'", distribution);
    if (!Number.isInteger(in_axis)) fail(fn, 'in_axis', 'an integer', in_axis);
    if (!Number.isInteger(out_axis)) fail(fn, 'out_axis', 'an integer', out_axis);
    this.scale = scale;
    this.mode = mode;
    this.distribution = distribution;
    this.in_axis = in_axis;
    this.out_axis = out_axis;
    this.rng = generatorFor(fn, seed);
  }

  /** The variance this initializer targets for `shape` (scale over the chosen fan). */
  variance(shape: Shape): number {
    const s = _format_shape(`${this.constructor.name}.variance`, shape);
    const [fan_in, fan_out] = _compute_fans(s, this.in_axis, this.out_axis);
    const denominator = this.mode === 'fan_in' ? fan_in : this.mode === 'fan_out' ? fan_out : (fan_in + fan_out) / 2;
    return this.scale / denominator;
  }

  call(shape: Shape, dtype?: torch.DType | null): Tensor {
    const fn = `${this.constructor.name}.call`;
    const s = _format_shape(fn, shape);
    const dt = _dtype(fn, dtype);
    const variance = this.variance(s);
    let v: Float64Array;
    if (this.distribution === 'truncated_normal') {
      const stddev = Math.sqrt(variance) / 0.87962566103423978;
      v = truncatedNormal(this.rng, s, -2, 2, 0, 1);
      for (let i = 0; i < v.length; i++) v[i] *= stddev;
    } else if (this.distribution === 'normal') {
      const sd = Math.sqrt(variance);
      v = torch.randn(s, { dtype: 'float64', generator: this.rng }).toTypedArray() as Float64Array;
      for (let i = 0; i < v.length; i++) v[i] *= sd;
    } else {
      const lim = Math.sqrt(3 * variance);
      v = uniforms(this.rng, s);
      for (let i = 0; i < v.length; i++) v[i] = (-1 + 2 * v[i]) * lim;
    }
    if (numel(s) !== v.length) throw new Error(`${fn}: internal size mismatch`);
    return finish(v, s, dt);
  }

  override toString(): string {
    const name = this.constructor.name;
    return `${name}(scale=${this.scale}, mode=${this.mode}, in_axis=${this.in_axis}, out_axis=${this.out_axis}, distribution=${this.distribution}, rng=${rngName(this.rng)})`;
  }
}

export interface VarianceScalingOptions { scale?: number; mode?: FanMode; distribution?: Distribution; in_axis?: number; out_axis?: number; seed?: number | null }

type VSRest = PyRest<[number, FanMode, Distribution, number, number, number | null], VarianceScalingOptions>;

function vsArgs(fn: string, defaults: [number, FanMode, Distribution], rest: readonly unknown[]): [number, FanMode, Distribution, number, number, number | null] {
  const a = pyArgs(fn, ['scale', 'mode', 'distribution', 'in_axis', 'out_axis', 'seed'], rest);
  return [a.scale ?? defaults[0], a.mode ?? defaults[1], a.distribution ?? defaults[2], a.in_axis ?? -2, a.out_axis ?? -1, a.seed ?? null];
}

/** brainpy.init.KaimingUniform(scale=2.0, mode='fan_in', distribution='uniform', in_axis=-2, out_axis=-1, seed=None). */
export class KaimingUniform extends VarianceScaling {
  constructor(...rest: VSRest) { super(...vsArgs('KaimingUniform', [2.0, 'fan_in', 'uniform'], rest)); }
}

/** brainpy.init.KaimingNormal(scale=2.0, mode='fan_in', distribution='truncated_normal', …). */
export class KaimingNormal extends VarianceScaling {
  constructor(...rest: VSRest) { super(...vsArgs('KaimingNormal', [2.0, 'fan_in', 'truncated_normal'], rest)); }
}

/** brainpy.init.XavierUniform(scale=1.0, mode='fan_avg', distribution='uniform', …). */
export class XavierUniform extends VarianceScaling {
  constructor(...rest: VSRest) { super(...vsArgs('XavierUniform', [1.0, 'fan_avg', 'uniform'], rest)); }
}

/** brainpy.init.XavierNormal(scale=1.0, mode='fan_avg', distribution='truncated_normal', …): Dense's default W. */
export class XavierNormal extends VarianceScaling {
  constructor(...rest: VSRest) { super(...vsArgs('XavierNormal', [1.0, 'fan_avg', 'truncated_normal'], rest)); }
}

/** brainpy.init.LecunUniform(scale=1.0, mode='fan_in', distribution='uniform', …). */
export class LecunUniform extends VarianceScaling {
  constructor(...rest: VSRest) { super(...vsArgs('LecunUniform', [1.0, 'fan_in', 'uniform'], rest)); }
}

/** brainpy.init.LecunNormal(scale=1.0, mode='fan_in', distribution='truncated_normal', …). */
export class LecunNormal extends VarianceScaling {
  constructor(...rest: VSRest) { super(...vsArgs('LecunNormal', [1.0, 'fan_in', 'truncated_normal'], rest)); }
}

function rngName(g: torch.Generator): string {
  return g === torch.default_generator ? 'default_generator' : 'Generator';
}
