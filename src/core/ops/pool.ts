/**
 * Pooling (PyTorch 1.13 semantics): max_pool1d/2d (stride defaulting to kernel_size, padding, dilation, ceil_mode,
 * return_indices, NaN propagation), avg_pool1d/2d (count_include_pad, ceil_mode, divisor_override) and
 * adaptive_avg_pool2d. 1-D pooling is 2-D pooling with a height-1 window, as in ATen.
 *
 * Output size is torch's pooling_output_shape: floor((in + 2p − d(k−1) − 1 + (ceil ? s−1 : 0)) / s) + 1, and with
 * ceil_mode the last window must start inside the input or the left padding (otherwise it is dropped).
 *
 * Each forward is a registered op whose backward is another registered op (index scatter, window spread), and those
 * backwards are again the forwards (index gather, window sum), so gradients of any order exist.
 */
import { fail } from '../errors';
import { defineOp, op1, run, type OpDef } from '../registry';
import { fmt } from '../shape';
import { Tensor } from '../tensor';
import { checkTensor } from './elementwise';
import { copyInto, squeeze, unsqueeze } from './view';
import { intTuple, pyArgs, type IntOrTuple, type PyRest } from './conv';

type F = Float32Array | Float64Array;

function contiguousData(x: Tensor): { d: F; o: number } {
  if (x.is_contiguous()) return { d: x.buffer as F, o: x.offset };
  const c = Tensor.empty(x.shape, x.dtype);
  copyInto(c, x);
  return { d: c.buffer as F, o: 0 };
}

/** torch's pooling_output_shape (div_rtn, and the ceil_mode rule that the last window starts inside input or left padding). */
export function poolOutputSize(inSize: number, k: number, pad: number, s: number, d: number, ceil: boolean): number {
  let out = Math.floor((inSize + 2 * pad - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= inSize + pad) out--;
  return out;
}

/** Window geometry of a 2-D pool over (planes, H, W) → (planes, Ho, Wo). */
interface PoolAttrs { kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; Ho: number; Wo: number }

// ---- max pool ---------------------------------------------------------------------------------------------------------------------

function maxPoolKernel(x: Tensor, a: PoolAttrs): [Tensor, Tensor] {
  const shape = x.shape;
  const H = shape[shape.length - 2], W = shape[shape.length - 1];
  const planes = x.numel() / (H * W);
  const { kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo } = a;
  const outShape = [...shape.slice(0, -2), Ho, Wo];
  const out = Tensor.empty(outShape, x.dtype);
  const idx = Tensor.empty(outShape, 'int32');
  const o = out.buffer as F, ix = idx.buffer as Int32Array;
  const X = contiguousData(x), xd = X.d;
  let q = 0;
  for (let p = 0; p < planes; p++) {
    const base = X.o + p * H * W;
    for (let oh = 0; oh < Ho; oh++) {
      let h0 = oh * sh - ph;
      const h1 = Math.min(h0 + (kh - 1) * dh + 1, H);
      if (h0 < 0) h0 += Math.ceil(-h0 / dh) * dh;
      for (let ow = 0; ow < Wo; ow++, q++) {
        let w0 = ow * sw - pw;
        const w1 = Math.min(w0 + (kw - 1) * dw + 1, W);
        if (w0 < 0) w0 += Math.ceil(-w0 / dw) * dw;
        let best = -Infinity, bi = h0 * W + w0;
        for (let ih = h0; ih < h1; ih += dh) {
          const r = ih * W;
          for (let iw = w0; iw < w1; iw += dw) {
            const v = xd[base + r + iw];
            if (v > best || v !== v) { best = v; bi = r + iw; }
          }
        }
        o[q] = best;
        ix[q] = bi;
      }
    }
  }
  return [out, idx];
}

/** zeros of the input's shape with g[i] added at plane position idx[i] (the max pool gradient). */
const indexScatterOp: OpDef<{ idx: Tensor; inShape: readonly number[] }> = defineOp<{ idx: Tensor; inShape: readonly number[] }>({
  name: 'max_pool2d_backward',
  forward([g], { idx, inShape }) {
    const gx = Tensor.empty(inShape, g.dtype);
    const H = inShape[inShape.length - 2], W = inShape[inShape.length - 1], plane = H * W;
    const Ho = g.shape[g.ndim - 2], Wo = g.shape[g.ndim - 1], oplane = Ho * Wo;
    const planes = g.numel() / Math.max(oplane, 1);
    const G = contiguousData(g), gd = G.d, ix = idx.buffer as Int32Array, o = gx.buffer as F;
    for (let p = 0, q = 0; p < planes; p++) {
      const base = p * plane;
      for (let j = 0; j < oplane; j++, q++) {
        const i = ix[q];
        if (i >= 0 && i < plane) o[base + i] += gd[G.o + q];
      }
    }
    return gx;
  },
  backward: ([h], node) => [op1(indexGatherOp, [h!], { idx: node.attrs.idx })],
});

/** h read at the argmax positions: the max pool gradient's own gradient. */
const indexGatherOp: OpDef<{ idx: Tensor }> = defineOp<{ idx: Tensor }>({
  name: 'max_pool2d_gather',
  forward([h], { idx }) {
    const out = Tensor.empty(idx.shape, h.dtype);
    const H = h.shape[h.ndim - 2], W = h.shape[h.ndim - 1], plane = H * W;
    const oplane = idx.shape[idx.ndim - 2] * idx.shape[idx.ndim - 1];
    const planes = idx.numel() / Math.max(oplane, 1);
    const Hd = contiguousData(h), hd = Hd.d, ix = idx.buffer as Int32Array, o = out.buffer as F;
    for (let p = 0, q = 0; p < planes; p++) {
      const base = Hd.o + p * plane;
      for (let j = 0; j < oplane; j++, q++) {
        const i = ix[q];
        o[q] = i >= 0 && i < plane ? hd[base + i] : 0;
      }
    }
    return out;
  },
  backward: ([g], node) => [op1(indexScatterOp, [g!], { idx: node.attrs.idx, inShape: node.inputShapes[0] })],
});

const maxPoolOp: OpDef<PoolAttrs> = defineOp<PoolAttrs>({
  name: 'max_pool2d',
  savesOutputs: true,
  forward: ([x], a) => maxPoolKernel(x, a),
  backward: ([g], node) => [g ? op1(indexScatterOp, [g], { idx: node.output(1), inShape: node.inputShapes[0] }) : null],
});

// ---- average pool ---------------------------------------------------------------------------------------------------------------

interface AvgAttrs extends PoolAttrs { countIncludePad: boolean; divisor: number | null }

/**
 * Window tables of an average pool along one axis (torch's cpu_avg_pool): for output i the clipped input range
 * [lo, hi) and the padded extent (the window clipped to the padded input's end), which count_include_pad divides by.
 */
function avgAxis(n: number, out: number, k: number, s: number, p: number): { lo: Int32Array; hi: Int32Array; padded: Int32Array } {
  const lo = new Int32Array(out), hi = new Int32Array(out), padded = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    const start = i * s - p;
    const end = Math.min(start + k, n + p);
    padded[i] = end - start;
    lo[i] = Math.max(start, 0);
    hi[i] = Math.min(end, n);
  }
  return { lo, hi, padded };
}

/** The divisor of each output window (0 where the window holds no input: its output is 0). */
function avgDivisors(H: number, W: number, a: AvgAttrs): { hA: ReturnType<typeof avgAxis>; wA: ReturnType<typeof avgAxis>; div: Float64Array } {
  const hA = avgAxis(H, a.Ho, a.kh, a.sh, a.ph), wA = avgAxis(W, a.Wo, a.kw, a.sw, a.pw);
  const div = new Float64Array(a.Ho * a.Wo);
  for (let oh = 0, q = 0; oh < a.Ho; oh++) {
    for (let ow = 0; ow < a.Wo; ow++, q++) {
      const nh = hA.hi[oh] - hA.lo[oh], nw = wA.hi[ow] - wA.lo[ow];
      if (nh <= 0 || nw <= 0) continue;
      div[q] = a.divisor !== null ? a.divisor : a.countIncludePad ? hA.padded[oh] * wA.padded[ow] : nh * nw;
    }
  }
  return { hA, wA, div };
}

function avgPoolKernel(x: Tensor, a: AvgAttrs): Tensor {
  const shape = x.shape;
  const H = shape[shape.length - 2], W = shape[shape.length - 1];
  const planes = x.numel() / (H * W);
  const out = Tensor.empty([...shape.slice(0, -2), a.Ho, a.Wo], x.dtype);
  const o = out.buffer as F;
  const X = contiguousData(x), xd = X.d;
  const { hA, wA, div } = avgDivisors(H, W, a);
  const { Ho, Wo } = a;
  for (let p = 0, q = 0; p < planes; p++) {
    const base = X.o + p * H * W;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = hA.lo[oh], h1 = hA.hi[oh];
      for (let ow = 0; ow < Wo; ow++, q++) {
        const d = div[oh * Wo + ow];
        if (d === 0) { o[q] = 0; continue; }
        const w0 = wA.lo[ow], w1 = wA.hi[ow];
        let sum = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0, r = base + ih * W; iw < w1; iw++) sum += xd[r + iw];
        o[q] = sum / d;
      }
    }
  }
  return out;
}

function avgPoolBackwardKernel(g: Tensor, inShape: readonly number[], a: AvgAttrs): Tensor {
  const H = inShape[inShape.length - 2], W = inShape[inShape.length - 1];
  const gx = Tensor.empty(inShape, g.dtype);
  const planes = gx.numel() / (H * W);
  const o = gx.buffer as F;
  const G = contiguousData(g), gd = G.d;
  const { hA, wA, div } = avgDivisors(H, W, a);
  const { Ho, Wo } = a;
  for (let p = 0, q = G.o; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = hA.lo[oh], h1 = hA.hi[oh];
      for (let ow = 0; ow < Wo; ow++, q++) {
        const d = div[oh * Wo + ow];
        if (d === 0) continue;
        const v = gd[q] / d, w0 = wA.lo[ow], w1 = wA.hi[ow];
        for (let ih = h0; ih < h1; ih++) for (let iw = w0, r = base + ih * W; iw < w1; iw++) o[r + iw] += v;
      }
    }
  }
  return gx;
}

const avgPoolOp: OpDef<AvgAttrs> = defineOp<AvgAttrs>({
  name: 'avg_pool2d',
  forward: ([x], a) => avgPoolKernel(x, a),
  backward: ([g], node) => [op1(avgPoolBackwardOp, [g!], { ...node.attrs, inShape: node.inputShapes[0] })],
});

const avgPoolBackwardOp: OpDef<AvgAttrs & { inShape: readonly number[] }> = defineOp<AvgAttrs & { inShape: readonly number[] }>({
  name: 'avg_pool2d_backward',
  forward: ([g], a) => avgPoolBackwardKernel(g, a.inShape, a),
  backward: ([h], node) => [op1(avgPoolOp, [h!], node.attrs)],
});

// ---- adaptive average pool ---------------------------------------------------------------------------------------------------

interface AdaptiveAttrs { Ho: number; Wo: number }

const startIndex = (i: number, out: number, inp: number): number => Math.floor((i * inp) / out);
const endIndex = (i: number, out: number, inp: number): number => Math.ceil(((i + 1) * inp) / out);

function adaptiveKernel(x: Tensor, a: AdaptiveAttrs): Tensor {
  const shape = x.shape;
  const H = shape[shape.length - 2], W = shape[shape.length - 1];
  const planes = x.numel() / Math.max(H * W, 1);
  const { Ho, Wo } = a;
  const out = Tensor.empty([...shape.slice(0, -2), Ho, Wo], x.dtype);
  const o = out.buffer as F;
  const X = contiguousData(x), xd = X.d;
  for (let p = 0, q = 0; p < planes; p++) {
    const base = X.o + p * H * W;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = startIndex(oh, Ho, H), h1 = endIndex(oh, Ho, H);
      for (let ow = 0; ow < Wo; ow++, q++) {
        const w0 = startIndex(ow, Wo, W), w1 = endIndex(ow, Wo, W);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0, r = base + ih * W; iw < w1; iw++) s += xd[r + iw];
        o[q] = s / ((h1 - h0) * (w1 - w0));
      }
    }
  }
  return out;
}

function adaptiveBackwardKernel(g: Tensor, inShape: readonly number[], a: AdaptiveAttrs): Tensor {
  const H = inShape[inShape.length - 2], W = inShape[inShape.length - 1];
  const gx = Tensor.empty(inShape, g.dtype);
  const planes = gx.numel() / Math.max(H * W, 1);
  const { Ho, Wo } = a;
  const o = gx.buffer as F;
  const G = contiguousData(g), gd = G.d;
  for (let p = 0, q = G.o; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = startIndex(oh, Ho, H), h1 = endIndex(oh, Ho, H);
      for (let ow = 0; ow < Wo; ow++, q++) {
        const w0 = startIndex(ow, Wo, W), w1 = endIndex(ow, Wo, W);
        const v = gd[q] / ((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++) for (let iw = w0, r = base + ih * W; iw < w1; iw++) o[r + iw] += v;
      }
    }
  }
  return gx;
}

const adaptiveOp: OpDef<AdaptiveAttrs> = defineOp<AdaptiveAttrs>({
  name: 'adaptive_avg_pool2d',
  forward: ([x], a) => adaptiveKernel(x, a),
  backward: ([g], node) => [op1(adaptiveBackwardOp, [g!], { ...node.attrs, inShape: node.inputShapes[0] })],
});

const adaptiveBackwardOp: OpDef<AdaptiveAttrs & { inShape: readonly number[] }> = defineOp<AdaptiveAttrs & { inShape: readonly number[] }>({
  name: 'adaptive_avg_pool2d_backward',
  forward: ([g], a) => adaptiveBackwardKernel(g, a.inShape, a),
  backward: ([h], node) => [op1(adaptiveOp, [h!], { Ho: node.attrs.Ho, Wo: node.attrs.Wo })],
});

// ---- argument checking -----------------------------------------------------------------------------------------------------------

function checkInput(fn: string, x: Tensor, d: 1 | 2): void {
  checkTensor(fn, 'input', x);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') fail(fn, 'input', 'a float32 or float64 tensor', x);
  const ok = x.ndim === d + 1 || x.ndim === d + 2;
  const nonBatch = x.shape.slice(x.ndim === d + 2 ? 1 : 0);
  if (!ok || nonBatch.some((s) => s === 0)) {
    const what = d === 1 ? '2D (unbatched) or 3D (batched)' : '3D (unbatched) or 4D (batched)';
    throw new Error(`${fn}: expected a ${what} input with non-zero channel and spatial sizes (batch size may be 0), got input of shape ${fmt(x.shape)}`);
  }
}

/** Geometry for a pool over the last d dims of x; all tuples have d entries (height first for 2-D). */
function poolGeometry(fn: string, x: Tensor, d: 1 | 2, k: number[], s: number[], p: number[], dil: number[], ceil: boolean): PoolAttrs {
  for (let i = 0; i < d; i++) {
    if (p[i] > Math.floor(k[i] / 2)) {
      throw new Error(`${fn}: pad should be at most half of kernel size, but got padding=${fmt(p)} for kernel_size=${fmt(k)}`);
    }
  }
  const spatial = x.shape.slice(-d);
  const outs = spatial.map((n, i) => poolOutputSize(n, k[i], p[i], s[i], dil[i], ceil));
  if (outs.some((o) => o < 1)) {
    throw new Error(`${fn}: given input of shape ${fmt(x.shape)}, the calculated output size ${fmt([...x.shape.slice(0, -d), ...outs])} is too small `
      + `(kernel_size=${fmt(k)}, stride=${fmt(s)}, padding=${fmt(p)}, dilation=${fmt(dil)}, ceil_mode=${ceil})`);
  }
  if (d === 1) return { kh: 1, kw: k[0], sh: 1, sw: s[0], ph: 0, pw: p[0], dh: 1, dw: dil[0], Ho: 1, Wo: outs[0] };
  return { kh: k[0], kw: k[1], sh: s[0], sw: s[1], ph: p[0], pw: p[1], dh: dil[0], dw: dil[1], Ho: outs[0], Wo: outs[1] };
}

function checkBool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

/** Runs a 2-D pool op on x viewed as (…, H, W): 1-D input gets a height-1 axis. */
function as2d(x: Tensor, d: 1 | 2): Tensor {
  return d === 1 ? unsqueeze(x, -2) : x;
}

// ---- max_pool -------------------------------------------------------------------------------------------------------------------

export interface MaxPoolOptions {
  stride?: IntOrTuple | null; padding?: IntOrTuple; dilation?: IntOrTuple; ceil_mode?: boolean; return_indices?: boolean;
}
type MaxPos = [stride: IntOrTuple | null | undefined, padding: IntOrTuple | undefined, dilation: IntOrTuple | undefined, ceil_mode: boolean | undefined, return_indices: boolean | undefined];
const MAX_NAMES = ['stride', 'padding', 'dilation', 'ceil_mode', 'return_indices'] as const;

function maxPoolNd(fn: string, d: 1 | 2, input: Tensor, kernel_size: IntOrTuple, rest: readonly unknown[]): Tensor | [Tensor, Tensor] {
  const o = pyArgs<MaxPoolOptions>(fn, MAX_NAMES, rest);
  checkInput(fn, input, d);
  const k = intTuple(fn, 'kernel_size', kernel_size, d, 1);
  const s = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? k : intTuple(fn, 'stride', o.stride, d, 1);
  const p = intTuple(fn, 'padding', o.padding ?? 0, d, 0);
  const dil = intTuple(fn, 'dilation', o.dilation ?? 1, d, 1);
  const ceil = checkBool(fn, 'ceil_mode', o.ceil_mode ?? false);
  const withIdx = checkBool(fn, 'return_indices', o.return_indices ?? false);
  const attrs = poolGeometry(fn, input, d, k, s, p, dil, ceil);
  let [out, idx] = run(maxPoolOp, [as2d(input, d)], attrs);
  if (d === 1) {
    out = squeeze(out, -2);
    idx = idx.view(idx.shape.filter((_, i) => i !== idx.ndim - 2));
  }
  return withIdx ? [out, idx] : out;
}

/**
 * F.max_pool2d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=false, return_indices=false):
 * input (N, C, H, W) or (C, H, W). With return_indices, returns [output, indices] (int32 flat indices into each H×W
 * plane; torch gives int64). NaN in a window wins, as in torch.
 */
export function max_pool2d(input: Tensor, kernel_size: IntOrTuple, options: MaxPoolOptions & { return_indices: true }): [Tensor, Tensor];
export function max_pool2d(input: Tensor, kernel_size: IntOrTuple, ...rest: PyRest<MaxPos, MaxPoolOptions>): Tensor;
export function max_pool2d(input: Tensor, kernel_size: IntOrTuple, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPoolNd('F.max_pool2d', 2, input, kernel_size, rest);
}

/** F.max_pool1d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=false, return_indices=false): input (N, C, L) or (C, L). */
export function max_pool1d(input: Tensor, kernel_size: IntOrTuple, options: MaxPoolOptions & { return_indices: true }): [Tensor, Tensor];
export function max_pool1d(input: Tensor, kernel_size: IntOrTuple, ...rest: PyRest<MaxPos, MaxPoolOptions>): Tensor;
export function max_pool1d(input: Tensor, kernel_size: IntOrTuple, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPoolNd('F.max_pool1d', 1, input, kernel_size, rest);
}

/** F.max_pool2d_with_indices: max_pool2d that always returns [output, indices]. */
export function max_pool2d_with_indices(input: Tensor, kernel_size: IntOrTuple, ...rest: PyRest<MaxPos, MaxPoolOptions>): [Tensor, Tensor] {
  const o = pyArgs<MaxPoolOptions>('F.max_pool2d_with_indices', MAX_NAMES, rest);
  return maxPoolNd('F.max_pool2d_with_indices', 2, input, kernel_size, [{ ...o, return_indices: true }]) as [Tensor, Tensor];
}

/** F.max_pool1d_with_indices: max_pool1d that always returns [output, indices]. */
export function max_pool1d_with_indices(input: Tensor, kernel_size: IntOrTuple, ...rest: PyRest<MaxPos, MaxPoolOptions>): [Tensor, Tensor] {
  const o = pyArgs<MaxPoolOptions>('F.max_pool1d_with_indices', MAX_NAMES, rest);
  return maxPoolNd('F.max_pool1d_with_indices', 1, input, kernel_size, [{ ...o, return_indices: true }]) as [Tensor, Tensor];
}

// ---- avg_pool -------------------------------------------------------------------------------------------------------------------

export interface AvgPool2dOptions { stride?: IntOrTuple | null; padding?: IntOrTuple; ceil_mode?: boolean; count_include_pad?: boolean; divisor_override?: number | null }
export type AvgPool1dOptions = Omit<AvgPool2dOptions, 'divisor_override'>;
type Avg2Pos = [stride: IntOrTuple | null | undefined, padding: IntOrTuple | undefined, ceil_mode: boolean | undefined, count_include_pad: boolean | undefined, divisor_override: number | null | undefined];
type Avg1Pos = [stride: IntOrTuple | null | undefined, padding: IntOrTuple | undefined, ceil_mode: boolean | undefined, count_include_pad: boolean | undefined];

function avgPoolNd(fn: string, d: 1 | 2, input: Tensor, kernel_size: IntOrTuple, rest: readonly unknown[]): Tensor {
  const names = d === 2 ? ['stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'] as const : ['stride', 'padding', 'ceil_mode', 'count_include_pad'] as const;
  const o = pyArgs<AvgPool2dOptions>(fn, names, rest);
  checkInput(fn, input, d);
  const k = intTuple(fn, 'kernel_size', kernel_size, d, 1);
  const s = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? k : intTuple(fn, 'stride', o.stride, d, 1);
  const p = intTuple(fn, 'padding', o.padding ?? 0, d, 0);
  const ceil = checkBool(fn, 'ceil_mode', o.ceil_mode ?? false);
  const cip = checkBool(fn, 'count_include_pad', o.count_include_pad ?? true);
  const div = o.divisor_override ?? null;
  if (div !== null && (typeof div !== 'number' || !Number.isInteger(div) || div === 0)) fail(fn, 'divisor_override', 'a non-zero integer or null', div);
  const geo = poolGeometry(fn, input, d, k, s, p, d === 1 ? [1] : [1, 1], ceil);
  const y = op1(avgPoolOp, [as2d(input, d)], { ...geo, countIncludePad: cip, divisor: div });
  return d === 1 ? squeeze(y, -2) : y;
}

/**
 * F.avg_pool2d(input, kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true,
 * divisor_override=null): input (N, C, H, W) or (C, H, W).
 */
export function avg_pool2d(input: Tensor, kernel_size: IntOrTuple, ...rest: PyRest<Avg2Pos, AvgPool2dOptions>): Tensor {
  return avgPoolNd('F.avg_pool2d', 2, input, kernel_size, rest);
}

/** F.avg_pool1d(input, kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true): input (N, C, L) or (C, L). */
export function avg_pool1d(input: Tensor, kernel_size: IntOrTuple, ...rest: PyRest<Avg1Pos, AvgPool1dOptions>): Tensor {
  return avgPoolNd('F.avg_pool1d', 1, input, kernel_size, rest);
}

// ---- adaptive_avg_pool2d ------------------------------------------------------------------------------------------------------------

/**
 * F.adaptive_avg_pool2d(input, output_size): output_size an int or [H, W] where null keeps the input's size. Window i
 * covers [floor(i·in/out), ceil((i+1)·in/out)).
 */
export function adaptive_avg_pool2d(input: Tensor, output_size: number | (number | null)[]): Tensor {
  const fn = 'F.adaptive_avg_pool2d';
  checkTensor(fn, 'input', input);
  if (input.dtype !== 'float32' && input.dtype !== 'float64') fail(fn, 'input', 'a float32 or float64 tensor', input);
  if (input.ndim !== 3 && input.ndim !== 4) throw new Error(`${fn}: expected a 3D or 4D input, got input of shape ${fmt(input.shape)}`);
  for (let i = input.ndim - 3; i < input.ndim; i++) {
    if (input.shape[i] === 0) throw new Error(`${fn}: expected input to have non-zero size for non-batch dimensions, but input has shape ${fmt(input.shape)} with dimension ${i} being empty`);
  }
  const list = typeof output_size === 'number' ? [output_size, output_size] : output_size;
  if (!Array.isArray(list) || list.length !== 2 || !list.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0))) {
    fail(fn, 'output_size', 'a non-negative int or a pair of non-negative ints (or null)', output_size);
  }
  const H = input.shape[input.ndim - 2], W = input.shape[input.ndim - 1];
  const Ho = list[0] ?? H, Wo = list[1] ?? W;
  return op1(adaptiveOp, [input], { Ho, Wo });
}
