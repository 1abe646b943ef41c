/**
 * Normalisation (PyTorch 1.13 semantics): batch_norm, layer_norm, group_norm.
 *
 * batch_norm in training normalises with the biased batch variance and updates the running stats in place with the
 * unbiased one (running = (1 − momentum)·running + momentum·batch); in evaluation it uses the running stats. For
 * contiguous float32 input its arithmetic follows ATen's CPU kernel step by step (float64 sums, float32 mean,
 * float32 squared deviations, y = x·α + β with α = invstd·w, β = b − mean·α), so outputs and running stats match
 * torch bit for bit.
 *
 * Backward is one fused pass per channel / row / group (two sums, then one write). With create_graph it is instead
 * expressed in differentiable ops, so double backward works too.
 */
import { is_grad_enabled } from '../autograd';
import { fail } from '../errors';
import { defineOp, op1 } from '../registry';
import { fmt, numel } from '../shape';
import { Tensor } from '../tensor';
import { add, checkTensor, mul, rsqrt, sub } from './elementwise';
import { mean, sum } from './reduce';
import { copyInto, reshape } from './view';
import { pyArgs, type PyRest } from './conv';

type F = Float32Array | Float64Array;

function contiguousData(x: Tensor): { d: F; o: number } {
  if (x.is_contiguous()) return { d: x.buffer as F, o: x.offset };
  const c = Tensor.empty(x.shape, x.dtype);
  copyInto(c, x);
  return { d: c.buffer as F, o: 0 };
}

const ident = (v: number): number => v;

/**
 * float32 fused multiply-add: a·b + c rounded once to float32, for float32 a, b, c (the product is exact in float64;
 * the sum is corrected where rounding it to float64 first would land on a float32 rounding midpoint).
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  const t = s - p;
  const e = (p - (s - t)) + (c - t); // s + e = p + c exactly (TwoSum)
  if (e === 0) return r;
  const other = r + 2 * (s - r); // the neighbouring float32 when s is exactly halfway between two
  if (Math.fround(other) !== other) return r;
  return (e > 0) === (other > r) ? other : r;
}

/** The (N, C, S) view of an (N, C, *) input. */
function ncs(shape: readonly number[]): [number, number, number] {
  const N = shape[0], C = shape[1];
  return [N, C, numel(shape.slice(2))];
}

// ---- batch_norm -----------------------------------------------------------------------------------------------------------------------

interface BNAttrs {
  training: boolean; momentum: number; eps: number; hasWeight: boolean; hasBias: boolean;
  runningMean: Tensor | null; runningVar: Tensor | null;
  /** Filled by forward: per-channel mean and inverse std used for normalisation. */
  mean?: Float64Array; invstd?: Float64Array;
}

function bnForward(inputs: Tensor[], a: BNAttrs): Tensor {
  const x = inputs[0];
  const w = a.hasWeight ? contiguousData(inputs[1]) : null;
  const b = a.hasBias ? contiguousData(inputs[a.hasWeight ? 2 : 1]) : null;
  const [N, C, S] = ncs(x.shape);
  const n = N * S;
  const f32 = x.dtype === 'float32';
  const r = f32 ? Math.fround : ident;
  const X = contiguousData(x), xd = X.d;
  const out = Tensor.empty(x.shape, x.dtype);
  const o = out.buffer as F;
  const meanA = new Float64Array(C), invA = new Float64Array(C);
  if (a.training) {
    const rm = a.runningMean ? contiguousData(a.runningMean) : null;
    const rv = a.runningVar ? contiguousData(a.runningVar) : null;
    const m = r(a.momentum), m1 = r(1 - m);
    for (let c = 0; c < C; c++) {
      let mu: number, varSum: number;
      if (S === 1 && f32) {
        // ATen's channels-last reduction (an (N, C) input has stride 1 on C): float32 running sums, fused d·d + acc
        let sf = 0;
        for (let i = 0; i < N; i++) sf = Math.fround(sf + xd[X.o + i * C + c]);
        mu = Math.fround(sf / n);
        let vf = 0;
        for (let i = 0; i < N; i++) { const d = Math.fround(xd[X.o + i * C + c] - mu); vf = fmaf(d, d, vf); }
        varSum = vf;
      } else {
        // ATen's contiguous reduction: float64 sums, float32 mean and squared deviations
        let sd = 0;
        for (let i = 0; i < N; i++) for (let j = 0, p = X.o + (i * C + c) * S; j < S; j++) sd += xd[p + j];
        mu = r(sd / n);
        let vs = 0;
        for (let i = 0; i < N; i++) {
          for (let j = 0, p = X.o + (i * C + c) * S; j < S; j++) { const d = r(xd[p + j] - mu); vs += r(d * d); }
        }
        varSum = r(vs);
      }
      meanA[c] = mu;
      invA[c] = r(1 / Math.sqrt(r(varSum / n) + a.eps));
      if (rm) rm.d[rm.o + c] = r(r(m * mu) + r(m1 * rm.d[rm.o + c]));
      if (rv) rv.d[rv.o + c] = r(m * r(varSum / (n - 1)) + r(m1 * rv.d[rv.o + c]));
    }
    if (a.runningMean) { writeBack(a.runningMean, rm!); a.runningMean._version.v++; }
    if (a.runningVar) { writeBack(a.runningVar, rv!); a.runningVar._version.v++; }
  } else {
    const rm = contiguousData(a.runningMean!), rv = contiguousData(a.runningVar!);
    const eps = r(a.eps);
    for (let c = 0; c < C; c++) {
      meanA[c] = rm.d[rm.o + c];
      invA[c] = r(1 / r(Math.sqrt(r(rv.d[rv.o + c] + eps))));
    }
  }
  // y = x·α + β with α = invstd·w, β = b − mean·α; ATen's AVX2 kernels fuse both multiply-adds (one rounding each)
  for (let c = 0; c < C; c++) {
    const alpha = r(invA[c] * (w ? w.d[w.o + c] : 1));
    const bc = b ? b.d[b.o + c] : 0;
    const beta = f32 ? fmaf(-meanA[c], alpha, bc) : bc - meanA[c] * alpha;
    for (let i = 0; i < N; i++) {
      const p = (i * C + c) * S;
      if (f32) for (let j = 0; j < S; j++) o[p + j] = fmaf(xd[X.o + p + j], alpha, beta);
      else for (let j = 0; j < S; j++) o[p + j] = xd[X.o + p + j] * alpha + beta;
    }
  }
  a.mean = meanA;
  a.invstd = invA;
  return out;
}

/** Copies a contiguous scratch back into a running-stat tensor when it was not contiguous (contiguousData copied it). */
function writeBack(t: Tensor, s: { d: F; o: number }): void {
  if (s.d !== t.buffer) copyInto(t, Tensor.fromBuffer(s.d, t.shape, t.dtype));
}

/** Gradients of batch_norm: one pass for Σg and Σ(x−mean)·g per channel, one for grad_input. */
function bnBackwardFused(g: Tensor, node: { input(i: number): Tensor; next: readonly unknown[] }, a: BNAttrs): (Tensor | null)[] {
  const x = node.input(0);
  const [N, C, S] = ncs(x.shape);
  const n = N * S;
  const X = contiguousData(x), G = contiguousData(g), xd = X.d, gd = G.d;
  const w = a.hasWeight ? contiguousData(node.input(1)) : null;
  const meanA = a.mean!, invA = a.invstd!;
  const needX = !!node.next[0];
  const needW = a.hasWeight && !!node.next[1];
  const needB = a.hasBias && !!node.next[a.hasWeight ? 2 : 1];
  const gx = needX ? Tensor.empty(x.shape, x.dtype) : null;
  const gw = needW ? Tensor.empty([C], x.dtype) : null;
  const gb = needB ? Tensor.empty([C], x.dtype) : null;
  for (let c = 0; c < C; c++) {
    const mu = meanA[c], inv = invA[c];
    let sg = 0, dot = 0;
    for (let i = 0; i < N; i++) {
      const p = (i * C + c) * S;
      for (let j = 0; j < S; j++) { const gv = gd[G.o + p + j]; sg += gv; dot += (xd[X.o + p + j] - mu) * gv; }
    }
    if (gw) gw.buffer[c] = dot * inv;
    if (gb) gb.buffer[c] = sg;
    if (gx) {
      const wc = w ? w.d[w.o + c] : 1;
      const o = gx.buffer as F;
      if (a.training) {
        const k = (dot * inv * inv) / n, gm = sg / n, sc = inv * wc;
        for (let i = 0; i < N; i++) {
          const p = (i * C + c) * S;
          for (let j = 0; j < S; j++) o[p + j] = (gd[G.o + p + j] - gm - (xd[X.o + p + j] - mu) * k) * sc;
        }
      } else {
        const sc = inv * wc;
        for (let i = 0; i < N; i++) {
          const p = (i * C + c) * S;
          for (let j = 0; j < S; j++) o[p + j] = gd[G.o + p + j] * sc;
        }
      }
    }
  }
  const out: (Tensor | null)[] = [gx];
  if (a.hasWeight) out.push(gw);
  if (a.hasBias) out.push(gb);
  return out;
}

/** The same gradients in differentiable ops (for create_graph). */
function bnBackwardComposite(g: Tensor, node: { input(i: number): Tensor; next: readonly unknown[] }, a: BNAttrs): (Tensor | null)[] {
  const x = node.input(0);
  const C = x.shape[1];
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const bshape = x.shape.map((s, i) => (i === 1 ? s : 1));
  let mu: Tensor, inv: Tensor;
  if (a.training) {
    mu = mean(x, dims, { keepdim: true });
    const xc = sub(x, mu);
    inv = rsqrt(add(mean(mul(xc, xc), dims, { keepdim: true }), a.eps));
  } else {
    mu = reshape(Tensor.fromBuffer(Float64Array.from(a.mean!), [C], 'float64').to(x.dtype), bshape);
    inv = reshape(Tensor.fromBuffer(Float64Array.from(a.invstd!), [C], 'float64').to(x.dtype), bshape);
  }
  const xhat = mul(sub(x, mu), inv);
  const w = a.hasWeight ? reshape(node.input(1), bshape) : null;
  let gx: Tensor | null = null;
  if (node.next[0]) {
    const sc = w ? mul(inv, w) : inv;
    gx = a.training
      ? mul(sub(sub(g, mean(g, dims, { keepdim: true })), mul(xhat, mean(mul(g, xhat), dims, { keepdim: true }))), sc)
      : mul(g, sc);
  }
  const out: (Tensor | null)[] = [gx];
  if (a.hasWeight) out.push(node.next[1] ? sum(mul(g, xhat), dims) : null);
  if (a.hasBias) out.push(node.next[a.hasWeight ? 2 : 1] ? sum(g, dims) : null);
  return out;
}

const batchNormOp = defineOp<BNAttrs>({
  name: 'batch_norm',
  forward: (inputs, a) => bnForward(inputs, a),
  backward: ([g], node) => (is_grad_enabled() ? bnBackwardComposite(g!, node, node.attrs) : bnBackwardFused(g!, node, node.attrs)),
});

export interface BatchNormOptions { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number }
type BNPos = [weight: Tensor | null | undefined, bias: Tensor | null | undefined, training: boolean | undefined, momentum: number | undefined, eps: number | undefined];

function checkChannelVector(fn: string, arg: string, t: Tensor | null | undefined, C: number, x: Tensor): Tensor | null {
  if (t === null || t === undefined) return null;
  checkTensor(fn, arg, t);
  if (t.numel() !== C) throw new Error(`${fn}: ${arg} should contain ${C} elements (the channels of input ${fmt(x.shape)}), got shape ${fmt(t.shape)}`);
  if (t.dtype !== x.dtype) throw new Error(`${fn}: ${arg} must have the dtype of input (${x.dtype}), got ${t.dtype}`);
  return t.ndim === 1 ? t : reshape(t, [C]);
}

function checkFloatInput(fn: string, x: Tensor): void {
  checkTensor(fn, 'input', x);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') fail(fn, 'input', 'a float32 or float64 tensor', x);
}

/**
 * F.batch_norm(input, running_mean, running_var, weight?, bias?, training=false, momentum=0.1, eps=1e-5): input
 * (N, C, *). In training the batch statistics normalise and, when given, running_mean/running_var are updated in
 * place (running_var with the unbiased variance). The module computes momentum (1/num_batches_tracked for a
 * cumulative average when its momentum is null).
 */
export function batch_norm(input: Tensor, running_mean: Tensor | null, running_var: Tensor | null, ...rest: PyRest<BNPos, BatchNormOptions>): Tensor {
  const fn = 'F.batch_norm';
  const o = pyArgs<BatchNormOptions>(fn, ['weight', 'bias', 'training', 'momentum', 'eps'], rest);
  checkFloatInput(fn, input);
  if (input.ndim < 2) throw new Error(`${fn}: expected input with at least 2 dims (N, C, *), got input of shape ${fmt(input.shape)}`);
  const training = o.training ?? false;
  if (typeof training !== 'boolean') fail(fn, 'training', 'a boolean', training);
  const momentum = o.momentum ?? 0.1;
  if (typeof momentum !== 'number') fail(fn, 'momentum', 'a number', momentum);
  const eps = o.eps ?? 1e-5;
  if (typeof eps !== 'number') fail(fn, 'eps', 'a number', eps);
  const C = input.shape[1];
  const rm = checkChannelVector(fn, 'running_mean', running_mean, C, input);
  const rv = checkChannelVector(fn, 'running_var', running_var, C, input);
  const w = checkChannelVector(fn, 'weight', o.weight, C, input);
  const b = checkChannelVector(fn, 'bias', o.bias, C, input);
  if (training) {
    const per = input.shape[0] * numel(input.shape.slice(2));
    if (per <= 1) throw new Error(`${fn}: expected more than 1 value per channel when training, got input of shape ${fmt(input.shape)}`);
  } else if (!rm || !rv) {
    throw new Error(`${fn}: running_mean and running_var must be given in evaluation mode (training=false)`);
  }
  if (rm?.requires_grad || rv?.requires_grad) {
    if (training) throw new Error(`${fn}: running_mean and running_var are updated in place and must not require grad`);
  }
  const inputs = [input];
  if (w) inputs.push(w);
  if (b) inputs.push(b);
  // running stats are not differentiated (torch's native_batch_norm does not either); they ride in attrs
  return op1(batchNormOp, inputs, {
    training, momentum, eps, hasWeight: !!w, hasBias: !!b,
    runningMean: training ? rm : rm && rm.detach(), runningVar: training ? rv : rv && rv.detach(),
  });
}

// ---- layer_norm / group_norm ---------------------------------------------------------------------------------------------------------

/**
 * Shared kernel: rows of R consecutive elements are normalised with their own mean/rstd; the affine parameters are
 * indexed by `affineIndex(row, k)` where k is the position in the row: for layer_norm the element of
 * normalized_shape (k), for group_norm the channel ((row mod G)·Cg + k div S).
 */
interface RowNormAttrs {
  eps: number; hasWeight: boolean; hasBias: boolean;
  /** rows of R elements; layer_norm: period = R, group_norm: channels per group Cg and spatial S. */
  kind: 'layer' | 'group'; R: number; G: number; S: number;
  mean?: Float64Array; rstd?: Float64Array;
}

/** The affine parameters as arrays (ones / zeros where absent), with their offsets, for branch-free loops. */
function affineArrays(inputs: Tensor[], a: RowNormAttrs, n: number): { W: F; wo: number; B: F; bo: number } {
  const w = a.hasWeight ? contiguousData(inputs[1]) : { d: new Float64Array(n).fill(1), o: 0 };
  const b = a.hasBias ? contiguousData(inputs[a.hasWeight ? 2 : 1]) : { d: new Float64Array(n), o: 0 };
  return { W: w.d, wo: w.o, B: b.d, bo: b.o };
}

/** Number of affine entries: normalized_shape's size (layer) or channels (group). */
const affineSize = (a: RowNormAttrs): number => (a.kind === 'layer' ? a.R : a.G * (a.R / a.S));

function rowNormForward(inputs: Tensor[], a: RowNormAttrs): Tensor {
  const x = inputs[0];
  const { W, wo, B, bo } = affineArrays(inputs, a, affineSize(a));
  const X = contiguousData(x), xd = X.d, xo = X.o;
  const out = Tensor.empty(x.shape, x.dtype);
  const o = out.buffer as F;
  const R = a.R, rows = R === 0 ? 0 : x.numel() / R;
  const S = a.S, Cg = R / S, G = a.G;
  const meanA = new Float64Array(rows), rstdA = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const base = xo + row * R, ob = row * R;
    let s = 0;
    for (let k = 0; k < R; k++) s += xd[base + k];
    const mu = s / R;
    let v = 0;
    for (let k = 0; k < R; k++) { const d = xd[base + k] - mu; v += d * d; }
    const rstd = 1 / Math.sqrt(v / R + a.eps);
    meanA[row] = mu;
    rstdA[row] = rstd;
    if (a.kind === 'layer') {
      for (let k = 0; k < R; k++) o[ob + k] = (xd[base + k] - mu) * rstd * W[wo + k] + B[bo + k];
    } else {
      const c0 = (row % G) * Cg;
      for (let cc = 0; cc < Cg; cc++) {
        const sc = rstd * W[wo + c0 + cc];
        const sh = B[bo + c0 + cc] - mu * sc;
        const p0 = cc * S;
        for (let j = 0; j < S; j++) o[ob + p0 + j] = xd[base + p0 + j] * sc + sh;
      }
    }
  }
  a.mean = meanA;
  a.rstd = rstdA;
  return out;
}

/**
 * Gradients of layer_norm / group_norm in one pass per row for the sums and one for grad_input:
 * gi = rstd · (gŵ − mean(gŵ) − x̂ · mean(gŵ · x̂)) with gŵ = g · w; grad_w = Σ g · x̂, grad_b = Σ g.
 */
function rowNormBackwardFused(g: Tensor, node: { input(i: number): Tensor; next: readonly unknown[]; inputShapes: (readonly number[])[] }, a: RowNormAttrs): (Tensor | null)[] {
  const x = node.input(0);
  const X = contiguousData(x), G_ = contiguousData(g), xd = X.d, gd = G_.d, xo = X.o, go = G_.o;
  const inputs = [x];
  if (a.hasWeight) inputs.push(node.input(1));
  const nP = affineSize(a);
  const { W, wo } = affineArrays(inputs, { ...a, hasBias: false }, nP);
  const R = a.R, rows = R === 0 ? 0 : x.numel() / R;
  const S = a.S, Cg = R / S, G = a.G;
  const needX = !!node.next[0];
  const needW = a.hasWeight && !!node.next[1];
  const needB = a.hasBias && !!node.next[a.hasWeight ? 2 : 1];
  const gw = new Float64Array(nP), gb = new Float64Array(nP);
  const gx = needX ? Tensor.empty(x.shape, x.dtype) : null;
  const o = gx ? (gx.buffer as F) : null;
  for (let row = 0; row < rows; row++) {
    const xb = xo + row * R, gbase = go + row * R, ob = row * R;
    const mu = a.mean![row], rstd = a.rstd![row];
    let s1 = 0, s2 = 0;
    if (a.kind === 'layer') {
      for (let k = 0; k < R; k++) {
        const gv = gd[gbase + k], xh = (xd[xb + k] - mu) * rstd, gwv = gv * W[wo + k];
        s1 += gwv;
        s2 += gwv * xh;
        gw[k] += gv * xh;
        gb[k] += gv;
      }
    } else {
      const c0 = (row % G) * Cg;
      for (let cc = 0; cc < Cg; cc++) {
        const wc = W[wo + c0 + cc], p0 = cc * S;
        let sg = 0, sgx = 0;
        for (let j = 0; j < S; j++) {
          const gv = gd[gbase + p0 + j];
          sg += gv;
          sgx += gv * (xd[xb + p0 + j] - mu);
        }
        sgx *= rstd;
        s1 += sg * wc;
        s2 += sgx * wc;
        gw[c0 + cc] += sgx;
        gb[c0 + cc] += sg;
      }
    }
    if (!o) continue;
    const m1 = s1 / R, m2 = s2 / R;
    if (a.kind === 'layer') {
      for (let k = 0; k < R; k++) o[ob + k] = rstd * (gd[gbase + k] * W[wo + k] - m1 - (xd[xb + k] - mu) * rstd * m2);
    } else {
      const c0 = (row % G) * Cg;
      for (let cc = 0; cc < Cg; cc++) {
        const wc = W[wo + c0 + cc], p0 = cc * S;
        for (let j = 0; j < S; j++) o[ob + p0 + j] = rstd * (gd[gbase + p0 + j] * wc - m1 - (xd[xb + p0 + j] - mu) * rstd * m2);
      }
    }
  }
  const P = a.hasWeight ? node.inputShapes[1] : a.hasBias ? node.inputShapes[1] : [nP];
  const asTensor = (acc: Float64Array): Tensor => Tensor.fromBuffer(x.dtype === 'float32' ? Float32Array.from(acc) : acc, P, x.dtype);
  const out: (Tensor | null)[] = [gx];
  if (a.hasWeight) out.push(needW ? asTensor(gw) : null);
  if (a.hasBias) out.push(needB ? asTensor(gb) : null);
  return out;
}

function rowNormBackwardComposite(g: Tensor, node: { input(i: number): Tensor; next: readonly unknown[]; inputShapes: (readonly number[])[] }, a: RowNormAttrs): (Tensor | null)[] {
  const x = node.input(0);
  const shape = x.shape.slice();
  const R = a.R, rows = R === 0 ? 0 : x.numel() / R;
  const xr = reshape(x, [rows, R]);
  const mu = mean(xr, 1, { keepdim: true });
  const xc = sub(xr, mu);
  const rstd = rsqrt(add(mean(mul(xc, xc), 1, { keepdim: true }), a.eps));
  const xhat = reshape(mul(xc, rstd), shape);
  // the affine parameters broadcast against x
  let wb: Tensor | null = null;
  let paramDims: number[] = [];
  let pshape: number[] = [];
  if (a.kind === 'layer') {
    const P = a.hasWeight ? node.inputShapes[1] : a.hasBias ? node.inputShapes[1] : [];
    pshape = P.slice();
    paramDims = shape.map((_, i) => i).slice(0, shape.length - P.length);
    if (a.hasWeight) wb = node.input(1);
  } else {
    const bs = shape.map((s, i) => (i === 1 ? s : 1));
    pshape = [shape[1]];
    paramDims = shape.map((_, i) => i).filter((i) => i !== 1);
    if (a.hasWeight) wb = reshape(node.input(1), bs);
  }
  let gx: Tensor | null = null;
  if (node.next[0]) {
    const gw = reshape(wb ? mul(g, wb) : g, [rows, R]);
    const xh = reshape(xhat, [rows, R]);
    gx = reshape(mul(sub(sub(gw, mean(gw, 1, { keepdim: true })), mul(xh, mean(mul(gw, xh), 1, { keepdim: true }))), rstd), shape);
  }
  const out: (Tensor | null)[] = [gx];
  const reduceTo = (t: Tensor): Tensor => reshape(paramDims.length ? sum(t, paramDims) : t, pshape);
  if (a.hasWeight) out.push(node.next[1] ? reduceTo(mul(g, xhat)) : null);
  if (a.hasBias) out.push(node.next[a.hasWeight ? 2 : 1] ? reduceTo(g) : null);
  return out;
}

const rowNormOp = defineOp<RowNormAttrs>({
  name: 'row_norm',
  forward: (inputs, a) => rowNormForward(inputs, a),
  backward: ([g], node) => (is_grad_enabled() ? rowNormBackwardComposite(g!, node, node.attrs) : rowNormBackwardFused(g!, node, node.attrs)),
});

export interface LayerNormOptions { weight?: Tensor | null; bias?: Tensor | null; eps?: number }
type LNPos = [weight: Tensor | null | undefined, bias: Tensor | null | undefined, eps: number | undefined];

/** F.layer_norm(input, normalized_shape, weight?, bias?, eps=1e-5): normalises over the trailing normalized_shape dims. */
export function layer_norm(input: Tensor, normalized_shape: number | number[], ...rest: PyRest<LNPos, LayerNormOptions>): Tensor {
  const fn = 'F.layer_norm';
  const o = pyArgs<LayerNormOptions>(fn, ['weight', 'bias', 'eps'], rest);
  checkFloatInput(fn, input);
  const P = typeof normalized_shape === 'number' ? [normalized_shape] : normalized_shape;
  if (!Array.isArray(P) || P.length === 0 || !P.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    fail(fn, 'normalized_shape', 'an int or a non-empty list of ints', normalized_shape);
  }
  const tail = input.shape.slice(input.ndim - P.length);
  if (input.ndim < P.length || tail.some((s, i) => s !== P[i])) {
    throw new Error(`${fn}: given normalized_shape=${fmt(P)}, expected input with shape [*, ${P.join(', ')}], but got input of shape ${fmt(input.shape)}`);
  }
  const eps = o.eps ?? 1e-5;
  if (typeof eps !== 'number') fail(fn, 'eps', 'a number', eps);
  const inputs = [input];
  for (const [arg, t] of [['weight', o.weight], ['bias', o.bias]] as const) {
    if (t === null || t === undefined) continue;
    checkTensor(fn, arg, t);
    if (t.ndim !== P.length || t.shape.some((s, i) => s !== P[i])) throw new Error(`${fn}: expected ${arg} of shape ${fmt(P)} (normalized_shape), got ${fmt(t.shape)}`);
    if (t.dtype !== input.dtype) throw new Error(`${fn}: ${arg} must have the dtype of input (${input.dtype}), got ${t.dtype}`);
    inputs.push(t);
  }
  return op1(rowNormOp, inputs, { eps, hasWeight: !!o.weight, hasBias: !!o.bias, kind: 'layer', R: numel(P), G: 1, S: 1 });
}

export interface GroupNormOptions { weight?: Tensor | null; bias?: Tensor | null; eps?: number }
type GNPos = [weight: Tensor | null | undefined, bias: Tensor | null | undefined, eps: number | undefined];

/** F.group_norm(input, num_groups, weight?, bias?, eps=1e-5): input (N, C, *), statistics per sample over each group of C/num_groups channels. */
export function group_norm(input: Tensor, num_groups: number, ...rest: PyRest<GNPos, GroupNormOptions>): Tensor {
  const fn = 'F.group_norm';
  const o = pyArgs<GroupNormOptions>(fn, ['weight', 'bias', 'eps'], rest);
  checkFloatInput(fn, input);
  if (input.ndim < 2) throw new Error(`${fn}: expected input with at least 2 dims (N, C, *), got input of shape ${fmt(input.shape)}`);
  if (typeof num_groups !== 'number' || !Number.isInteger(num_groups) || num_groups < 1) fail(fn, 'num_groups', 'a positive integer', num_groups);
  const C = input.shape[1];
  if (C % num_groups !== 0) throw new Error(`${fn}: expected number of channels in input to be divisible by num_groups, but got input of shape ${fmt(input.shape)} and num_groups=${num_groups}`);
  const eps = o.eps ?? 1e-5;
  if (typeof eps !== 'number') fail(fn, 'eps', 'a number', eps);
  const inputs = [input];
  for (const [arg, t] of [['weight', o.weight], ['bias', o.bias]] as const) {
    if (t === null || t === undefined) continue;
    checkTensor(fn, arg, t);
    if (t.ndim !== 1 || t.shape[0] !== C) throw new Error(`${fn}: expected ${arg} of shape [${C}] (the channels of input ${fmt(input.shape)}), got ${fmt(t.shape)}`);
    if (t.dtype !== input.dtype) throw new Error(`${fn}: ${arg} must have the dtype of input (${input.dtype}), got ${t.dtype}`);
    inputs.push(t);
  }
  const S = numel(input.shape.slice(2));
  return op1(rowNormOp, inputs, { eps, hasWeight: !!o.weight, hasBias: !!o.bias, kind: 'group', R: (C / num_groups) * S, G: num_groups, S });
}
