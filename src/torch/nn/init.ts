/**
 * torch.nn.init (PyTorch 1.13): every function fills its tensor in place under no_grad and consumes the random
 * generator exactly as PyTorch does (same calls, same order, same float32 arithmetic), so after `torch.manual_seed(s)`
 * the values equal PyTorch's bit for bit (orthogonal_ within float32 rounding: torch runs LAPACK in float32, spikeport
 * a float64 Householder QR).
 */
import { no_grad } from '../../core/autograd';
import { describe, fail } from '../../core/errors';
import { fma32 } from '../../core/random/fpmath';
import { erf } from '../../core/special';
import { Tensor } from '../../core/tensor';
import { pyArgs, type PyRest } from './modules/module';

function tensorArg(fn: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) fail(fn, 'tensor', 'a Tensor', t);
  return t;
}

function num(fn: string, arg: string, v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number') fail(fn, arg, 'a number', v);
  return v;
}

/** calculate_gain(nonlinearity, param?): the recommended gain for a nonlinearity (leaky_relu's param is its negative slope). */
export function calculate_gain(nonlinearity: string, param?: number | null): number {
  const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
  if (linear.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    let slope: number;
    if (param === undefined || param === null) slope = 0.01;
    else if (typeof param === 'number') slope = param;
    else throw new Error(`nn.init.calculate_gain: negative_slope ${describe(param)} not a valid number`);
    return Math.sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new Error(`nn.init.calculate_gain: Unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
}

/** [fan_in, fan_out] of a weight: (size(1), size(0)) times the receptive field (the product of the dims after the second). */
export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  tensorArg('nn.init._calculate_fan_in_and_fan_out', tensor);
  if (tensor.ndim < 2) throw new Error(`nn.init: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [${tensor.shape.join(', ')}])`);
  let receptive = 1;
  for (const s of tensor.shape.slice(2)) receptive *= s;
  return [tensor.shape[1] * receptive, tensor.shape[0] * receptive];
}

export function _calculate_correct_fan(tensor: Tensor, mode: string): number {
  const m = typeof mode === 'string' ? mode.toLowerCase() : mode;
  if (m !== 'fan_in' && m !== 'fan_out') throw new Error(`nn.init: Mode ${describe(mode)} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return m === 'fan_in' ? fanIn : fanOut;
}

/** uniform_(tensor, a=0, b=1). */
export function uniform_<T extends Tensor>(tensor: T, ...rest: PyRest<[a: number | undefined, b: number | undefined], { a?: number; b?: number }>): T {
  const fn = 'nn.init.uniform_';
  const o = pyArgs(fn, ['a', 'b'], rest);
  tensorArg(fn, tensor);
  return no_grad(() => tensor.uniform_(num(fn, 'a', o.a, 0), num(fn, 'b', o.b, 1)));
}

/** normal_(tensor, mean=0, std=1). */
export function normal_<T extends Tensor>(tensor: T, ...rest: PyRest<[mean: number | undefined, std: number | undefined], { mean?: number; std?: number }>): T {
  const fn = 'nn.init.normal_';
  const o = pyArgs(fn, ['mean', 'std'], rest);
  tensorArg(fn, tensor);
  return no_grad(() => tensor.normal_(num(fn, 'mean', o.mean, 0), num(fn, 'std', o.std, 1)));
}

/** constant_(tensor, val). */
export function constant_<T extends Tensor>(tensor: T, val: number): T {
  tensorArg('nn.init.constant_', tensor);
  if (typeof val !== 'number') fail('nn.init.constant_', 'val', 'a number', val);
  return no_grad(() => tensor.fill_(val));
}

export function ones_<T extends Tensor>(tensor: T): T {
  tensorArg('nn.init.ones_', tensor);
  return no_grad(() => tensor.fill_(1));
}

export function zeros_<T extends Tensor>(tensor: T): T {
  tensorArg('nn.init.zeros_', tensor);
  return no_grad(() => tensor.zero_());
}

/** eye_(tensor): the identity on a 2-D tensor. */
export function eye_<T extends Tensor>(tensor: T): T {
  tensorArg('nn.init.eye_', tensor);
  if (tensor.ndim !== 2) throw new Error(`nn.init.eye_: Only tensors with 2 dimensions are supported, got shape [${tensor.shape.join(', ')}]`);
  return no_grad(() => {
    tensor.zero_();
    for (let i = 0; i < Math.min(tensor.shape[0], tensor.shape[1]); i++) tensor.select(0, i).select(0, i).fill_(1);
    return tensor;
  });
}

/** dirac_(tensor, groups=1): the identity convolution kernel (3-, 4- or 5-D weights). */
export function dirac_<T extends Tensor>(tensor: T, ...rest: PyRest<[groups: number | undefined], { groups?: number }>): T {
  const fn = 'nn.init.dirac_';
  const o = pyArgs(fn, ['groups'], rest);
  tensorArg(fn, tensor);
  const groups = o.groups ?? 1;
  const d = tensor.ndim;
  if (d < 3 || d > 5) throw new Error(`${fn}: Only tensors with 3, 4, or 5 dimensions are supported, got shape [${tensor.shape.join(', ')}]`);
  if (!Number.isInteger(groups) || groups < 1 || tensor.shape[0] % groups !== 0) throw new Error(`${fn}: dim 0 must be divisible by groups (${describe(groups)}), got shape [${tensor.shape.join(', ')}]`);
  const outPerGroup = tensor.shape[0] / groups;
  const minDim = Math.min(outPerGroup, tensor.shape[1]);
  return no_grad(() => {
    tensor.zero_();
    for (let g = 0; g < groups; g++) {
      for (let k = 0; k < minDim; k++) {
        let v: Tensor = tensor.select(0, g * outPerGroup + k).select(0, k);
        for (let j = 2; j < d; j++) v = v.select(0, Math.floor(tensor.shape[j] / 2));
        v.fill_(1);
      }
    }
    return tensor;
  });
}

/** xavier_uniform_(tensor, gain=1): U(−a, a) with a = gain·sqrt(6 / (fan_in + fan_out)). */
export function xavier_uniform_<T extends Tensor>(tensor: T, ...rest: PyRest<[gain: number | undefined], { gain?: number }>): T {
  const fn = 'nn.init.xavier_uniform_';
  const o = pyArgs(fn, ['gain'], rest);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensorArg(fn, tensor));
  const std = num(fn, 'gain', o.gain, 1) * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return no_grad(() => tensor.uniform_(-a, a));
}

/** xavier_normal_(tensor, gain=1): N(0, std²) with std = gain·sqrt(2 / (fan_in + fan_out)). */
export function xavier_normal_<T extends Tensor>(tensor: T, ...rest: PyRest<[gain: number | undefined], { gain?: number }>): T {
  const fn = 'nn.init.xavier_normal_';
  const o = pyArgs(fn, ['gain'], rest);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensorArg(fn, tensor));
  const std = num(fn, 'gain', o.gain, 1) * Math.sqrt(2.0 / (fanIn + fanOut));
  return no_grad(() => tensor.normal_(0, std));
}

type KaimingPos = [a: number | undefined, mode: 'fan_in' | 'fan_out' | undefined, nonlinearity: string | undefined];
interface KaimingOpt { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: string }

/** kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): U(−b, b), b = gain·sqrt(3 / fan). */
export function kaiming_uniform_<T extends Tensor>(tensor: T, ...rest: PyRest<KaimingPos, KaimingOpt>): T {
  const fn = 'nn.init.kaiming_uniform_';
  const o = pyArgs(fn, ['a', 'mode', 'nonlinearity'], rest);
  tensorArg(fn, tensor);
  if (tensor.shape.includes(0)) return tensor; // torch warns: initializing zero-element tensors is a no-op
  const fan = _calculate_correct_fan(tensor, o.mode ?? 'fan_in');
  const gain = calculate_gain(o.nonlinearity ?? 'leaky_relu', num(fn, 'a', o.a, 0));
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return no_grad(() => tensor.uniform_(-bound, bound));
}

/** kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): N(0, std²), std = gain / sqrt(fan). */
export function kaiming_normal_<T extends Tensor>(tensor: T, ...rest: PyRest<KaimingPos, KaimingOpt>): T {
  const fn = 'nn.init.kaiming_normal_';
  const o = pyArgs(fn, ['a', 'mode', 'nonlinearity'], rest);
  tensorArg(fn, tensor);
  if (tensor.shape.includes(0)) return tensor;
  const fan = _calculate_correct_fan(tensor, o.mode ?? 'fan_in');
  const gain = calculate_gain(o.nonlinearity ?? 'leaky_relu', num(fn, 'a', o.a, 0));
  const std = gain / Math.sqrt(fan);
  return no_grad(() => tensor.normal_(0, std));
}

// ---- erfinv ------------------------------------------------------------------------------------------------------------

const f = Math.fround;
const EA = [0.886226899, -1.645349621, 0.914624893, -0.140543331];
const EB = [-2.118377725, 1.442710462, -0.329097515, 0.012229801];
const EC = [-1.970840454, -1.624906493, 3.429567803, 1.641345311];
const ED = [3.543889200, 1.637067800];
const EA32 = EA.map(f), EB32 = EB.map(f), EC32 = EC.map(f), ED32 = ED.map(f);
const TWO_OVER_SQRTPI_32 = f(2 / f(Math.sqrt(Math.PI)));

/*
 * erff as glibc 2.36 computes it (its sysdeps/ieee754/flt-32/s_erff.c: the float version of fdlibm's s_erf.c, every
 * operation in float32), which torch's float erfinv calls in its Newton steps. The coefficients are fdlibm's:
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunPro, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 */
const PP = [1.2837916613e-01, -3.2504209876e-01, -2.8481749818e-02, -5.7702702470e-03, -2.3763017452e-05].map(f);
const QQ = [3.9791721106e-01, 6.5022252500e-02, 5.0813062117e-03, 1.3249473704e-04, -3.9602282413e-06].map(f);
const PA = [-2.3621185683e-03, 4.1485610604e-01, -3.7220788002e-01, 3.1834661961e-01, -1.1089469492e-01, 3.5478305072e-02, -2.1663755178e-03].map(f);
const QA = [1.0642088205e-01, 5.4039794207e-01, 7.1828655899e-02, 1.2617121637e-01, 1.3637083583e-02, 1.1984500103e-02].map(f);
const RA = [-9.8649440333e-03, -6.9385856390e-01, -1.0558626175e+01, -6.2375331879e+01, -1.6239666748e+02, -1.8460508728e+02, -8.1287437439e+01, -9.8143291473e+00].map(f);
const SA = [1.9651271820e+01, 1.3765776062e+02, 4.3456588745e+02, 6.4538726807e+02, 4.2900814819e+02, 1.0863500214e+02, 6.5702495575e+00, -6.0424413532e-02].map(f);
const RB = [-9.8649431020e-03, -7.9928326607e-01, -1.7757955551e+01, -1.6063638306e+02, -6.3756646729e+02, -1.0250950928e+03, -4.8351919556e+02].map(f);
const SB = [3.0338060379e+01, 3.2579251099e+02, 1.5367296143e+03, 3.1998581543e+03, 2.5530502930e+03, 4.7452853394e+02, -2.2440952301e+01].map(f);
const ERX = f(8.4506291151e-01), EFX = f(1.2837916613e-01), TINY = f(1e-30);
const F32 = new Float32Array(1), U32 = new Uint32Array(F32.buffer);

/** c0 + s·(c1 + s·(c2 + …)) in float32. */
function hornerF(s: number, c: readonly number[]): number {
  let acc = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) acc = f(c[i] + f(s * acc));
  return acc;
}

/** 1 + s·(c1 + s·(c2 + …)) in float32. */
function hornerF1(s: number, c: readonly number[]): number {
  return f(1 + f(s * hornerF(s, c)));
}

/** glibc's erff (see above), bit for bit on float32 inputs; expf as the correctly rounded float32 of exp. */
export function erff(xIn: number): number {
  let x = f(xIn);
  F32[0] = x;
  const hx = U32[0], ix = hx & 0x7fffffff, neg = hx >>> 31 === 1;
  if (ix >= 0x7f800000) return x !== x ? x : neg ? -1 : 1;
  if (ix < 0x3f580000) { // |x| < 0.84375
    if (ix < 0x31800000) return f(x + f(EFX * x));
    const z = f(x * x);
    const y = f(hornerF(z, PP) / hornerF1(z, QQ));
    return f(x + f(x * y));
  }
  if (ix < 0x3fa00000) { // 0.84375 <= |x| < 1.25
    const s = f(Math.abs(x) - 1);
    const pq = f(hornerF(s, PA) / hornerF1(s, QA));
    return neg ? f(-ERX - pq) : f(ERX + pq);
  }
  if (ix >= 0x40c00000) return neg ? f(TINY - 1) : f(1 - TINY); // |x| >= 6
  x = Math.abs(x);
  const s = f(1 / f(x * x));
  const [R, S] = ix < 0x4036db6e ? [hornerF(s, RA), hornerF1(s, SA)] : [hornerF(s, RB), hornerF1(s, SB)];
  F32[0] = x;
  U32[0] &= 0xfffff000;
  const z = F32[0];
  const r = f(f(Math.exp(f(f(-z * z) - 0.5625))) * f(Math.exp(f(f(f(z - x) * f(z + x)) + f(R / S)))));
  return neg ? f(f(r / x) - 1) : f(1 - f(r / x));
}

/**
 * torch's calc_erfinv (a rational first guess refined by two Newton steps) as PyTorch 1.13's x86-64 float kernel runs
 * it: float32 arithmetic, the polynomial multiply-adds fused (GCC contracts them in the AVX2 build), glibc's erff.
 */
export function erfinvFloat32(yIn: number): number {
  const y = f(yIn);
  const ya = Math.abs(y);
  if (ya > 1 || y !== y) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ya <= f(0.7)) {
    const z = f(y * y);
    const num = fma32(fma32(fma32(EA32[3], z, EA32[2]), z, EA32[1]), z, EA32[0]);
    const dem = fma32(fma32(fma32(fma32(EB32[3], z, EB32[2]), z, EB32[1]), z, EB32[0]), z, 1);
    x = f(f(y * num) / dem);
  } else {
    const z = f(Math.sqrt(f(-f(Math.log(f(f(1 - ya) / 2))))));
    const num = fma32(fma32(fma32(EC32[3], z, EC32[2]), z, EC32[1]), z, EC32[0]);
    const dem = fma32(fma32(ED32[1], z, ED32[0]), z, 1);
    x = f((y < 0 ? -Math.abs(num) : Math.abs(num)) / dem);
  }
  for (let k = 0; k < 2; k++) {
    const num = f(erff(x) - y);
    const den = f(TWO_OVER_SQRTPI_32 * f(Math.exp(-f(x * x))));
    x = f(x - f(num / den));
  }
  return x;
}

/** The same algorithm in float64. */
export function erfinvFloat64(y: number): number {
  const ya = Math.abs(y);
  if (ya > 1 || y !== y) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ya <= 0.7) {
    const z = y * y;
    x = (y * (((EA[3] * z + EA[2]) * z + EA[1]) * z + EA[0])) / ((((EB[3] * z + EB[2]) * z + EB[1]) * z + EB[0]) * z + 1);
  } else {
    const z = Math.sqrt(-Math.log((1 - ya) / 2));
    const numr = ((EC[3] * z + EC[2]) * z + EC[1]) * z + EC[0];
    x = (y < 0 ? -Math.abs(numr) : Math.abs(numr)) / ((ED[1] * z + ED[0]) * z + 1);
  }
  for (let k = 0; k < 2; k++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/** In place erfinv of a float tensor (no autograd: init runs under no_grad). */
function erfinvInplace(t: Tensor): void {
  const c = t.contiguous();
  const vals = c === t ? t.buffer.subarray(t.offset, t.offset + t.numel()) : c.buffer.slice(c.offset, c.offset + c.numel());
  const fn = t.dtype === 'float32' ? erfinvFloat32 : erfinvFloat64;
  for (let i = 0; i < vals.length; i++) vals[i] = fn(vals[i]);
  if (c !== t) t.copy_(Tensor.fromBuffer(vals as Float32Array, t.shape, t.dtype));
  t._version.v++;
}

/**
 * trunc_normal_(tensor, mean=0, std=1, a=-2, b=2): torch 1.13's inverse-CDF method: uniform_(2·Φ(a')−1, 2·Φ(b')−1),
 * erfinv, ·std·√2, +mean, clamp to [a, b] (a' and b' standardised).
 */
export function trunc_normal_<T extends Tensor>(tensor: T, ...rest: PyRest<[mean: number | undefined, std: number | undefined, a: number | undefined, b: number | undefined], { mean?: number; std?: number; a?: number; b?: number }>): T {
  const fn = 'nn.init.trunc_normal_';
  const o = pyArgs(fn, ['mean', 'std', 'a', 'b'], rest);
  tensorArg(fn, tensor);
  if (!tensor.is_floating_point()) fail(fn, 'tensor', 'a floating point tensor', tensor);
  const mean = num(fn, 'mean', o.mean, 0), std = num(fn, 'std', o.std, 1), a = num(fn, 'a', o.a, -2), b = num(fn, 'b', o.b, 2);
  const normCdf = (x: number): number => (1 + erf(x / Math.sqrt(2))) / 2;
  return no_grad(() => {
    const l = normCdf((a - mean) / std);
    const u = normCdf((b - mean) / std);
    tensor.uniform_(2 * l - 1, 2 * u - 1);
    erfinvInplace(tensor);
    tensor.mul_(std * Math.sqrt(2));
    tensor.add_(mean);
    tensor.clamp_(a, b);
    return tensor;
  });
}

// ---- orthogonal -------------------------------------------------------------------------------------------------------

/** Reduced QR of an m×n (m ≥ n) row-major float64 matrix by Householder reflections: returns Q (m×n) and diag(R). */
function householderQR(A: Float64Array, m: number, n: number): { Q: Float64Array; rdiag: Float64Array } {
  const R = A.slice();
  const vs: Float64Array[] = [];
  const betas: number[] = [];
  const rdiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm = Math.hypot(norm, R[i * n + k]);
    const x0 = R[k * n + k];
    const alpha = x0 >= 0 ? -norm : norm; // reflect onto −sign(x0)·‖x‖ e1 (no cancellation)
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = R[i * n + k];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    const beta = vv === 0 ? 0 : 2 / vv;
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * R[i * n + j];
      s *= beta;
      for (let i = k; i < m; i++) R[i * n + j] -= s * v[i - k];
    }
    rdiag[k] = vv === 0 ? x0 : alpha;
    vs.push(v);
    betas.push(beta);
  }
  // Q = H_0 H_1 … H_{n-1} applied to the first n columns of I
  const Q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) Q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k], beta = betas[k];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * Q[i * n + j];
      s *= beta;
      for (let i = k; i < m; i++) Q[i * n + j] -= s * v[i - k];
    }
  }
  return { Q, rdiag };
}

/**
 * orthogonal_(tensor, gain=1): a (semi-)orthogonal matrix from the QR of a normal_(0, 1) draw of shape
 * (rows, numel/rows), transposed when rows < cols, Q's columns multiplied by sign(diag R) as torch does.
 */
export function orthogonal_<T extends Tensor>(tensor: T, ...rest: PyRest<[gain: number | undefined], { gain?: number }>): T {
  const fn = 'nn.init.orthogonal_';
  const o = pyArgs(fn, ['gain'], rest);
  tensorArg(fn, tensor);
  if (tensor.ndim < 2) throw new Error(`${fn}: Only tensors with 2 or more dimensions are supported, got shape [${tensor.shape.join(', ')}]`);
  if (!tensor.is_floating_point()) fail(fn, 'tensor', 'a floating point tensor', tensor);
  if (tensor.numel() === 0) return tensor;
  const gain = num(fn, 'gain', o.gain, 1);
  const rows = tensor.shape[0];
  const cols = tensor.numel() / rows;
  return no_grad(() => {
    const flat = Tensor.empty([rows, cols], tensor.dtype).normal_(0, 1);
    const tr = rows < cols;
    const m = tr ? cols : rows, n = tr ? rows : cols;
    const src = (tr ? flat.t() : flat).contiguous().toTypedArray();
    const { Q, rdiag } = householderQR(Float64Array.from(src), m, n);
    // q *= sign(diag(R)) (column-wise); sign(0) = 0 as torch
    for (let j = 0; j < n; j++) {
      const s = rdiag[j] > 0 ? 1 : rdiag[j] < 0 ? -1 : 0;
      for (let i = 0; i < m; i++) Q[i * n + j] *= s;
    }
    let q = Tensor.fromBuffer(tensor.dtype === 'float32' ? Float32Array.from(Q) : Q, [m, n], tensor.dtype);
    if (tr) q = q.t();
    tensor.view(q.shape.slice()).copy_(q);
    tensor.mul_(gain);
    return tensor;
  });
}
