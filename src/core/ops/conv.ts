/**
 * Convolutions (torch.nn.functional.conv1d / conv2d, PyTorch 1.13 semantics): stride, zero padding (ints, tuples,
 * 'same' with torch's extra right/bottom padding for even effective kernels, 'valid'), dilation, groups, bias, batched
 * (N, C, H, W) and unbatched (C, H, W) input.
 *
 * Kernel: im2col + the packed gemm (kernels/gemm.ts). Per block of images and per group, the input patches are
 * unrolled into a [Cg·kh·kw, nb·Ho·Wo] scratch matrix and multiplied by the [Og, Cg·kh·kw] weight matrix; 1×1
 * stride-1 unpadded convolutions read the input directly. conv1d is conv2d with a height-1 kernel.
 *
 * Backward is two more registered ops, each with its own backward rule, so gradients of any order exist:
 *   conv2d_input_grad(g, w)  = col2im(Wᵀ · g)          (a transposed convolution)
 *   conv2d_weight_grad(x, g) = Σ_n g · im2col(x)ᵀ      (accumulated in float64, rounded once)
 *   conv2d_bias_grad(g)      = Σ_{n,h,w} g
 * They are bilinear, so their own gradients are again conv2d / conv2d_input_grad / conv2d_weight_grad.
 *
 * Scratch (im2col columns, gradient blocks, float64 accumulators) lives in module-level typed arrays that grow to the
 * largest size used and are reused, so steady-state training allocates only the op outputs.
 */
import { describe, fail } from '../errors';
import { gemm } from '../kernels/gemm';
import { defineOp, op1, type OpDef } from '../registry';
import { fmt } from '../shape';
import { Tensor } from '../tensor';
import { checkTensor } from './elementwise';
import { copyInto, expand, reshape, squeeze, unsqueeze } from './view';

type F = Float32Array | Float64Array;

export { pyArgs, type PyRest } from '../args';
import { pyArgs, type PyRest } from '../args';

/** An int or a tuple of ints (torch's `_single` / `_pair`): returns `n` ints, each checked against `min`. */
export function intTuple(fn: string, arg: string, v: unknown, n: number, min: number): number[] {
  const list = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) && v.length === 1 && n > 1 ? new Array<number>(n).fill(v[0]) : v;
  if (!Array.isArray(list) || list.length !== n || !list.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    fail(fn, arg, `an int or a tuple of ${n} ints`, v);
  }
  for (const d of list as number[]) if (d < min) fail(fn, arg, `ints >= ${min}`, v);
  return (list as number[]).slice();
}

// ---- geometry ---------------------------------------------------------------------------------------------------------

/** Op attributes: stride, top/bottom/left/right zero padding, dilation, groups (all of a 2-D convolution). */
export interface ConvAttrs { sh: number; sw: number; pt: number; pb: number; pl: number; pr: number; dh: number; dw: number; groups: number }

interface Geo extends ConvAttrs {
  N: number; C: number; H: number; W: number; O: number; Cg: number; Og: number; kh: number; kw: number; Ho: number; Wo: number;
  L: number; Ck: number;
}

function geometry(xShape: readonly number[], wShape: readonly number[], a: ConvAttrs): Geo {
  const [N, C, H, W] = xShape;
  const [O, Cg, kh, kw] = wShape;
  const Ho = Math.floor((H + a.pt + a.pb - a.dh * (kh - 1) - 1) / a.sh) + 1;
  const Wo = Math.floor((W + a.pl + a.pr - a.dw * (kw - 1) - 1) / a.sw) + 1;
  return { ...a, N, C, H, W, O, Cg, Og: O / a.groups, kh, kw, Ho, Wo, L: Ho * Wo, Ck: Cg * kh * kw };
}

/** A 1×1, stride-1, unpadded convolution reads its input as the column matrix itself. */
const isPointwise = (g: Geo): boolean => g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pb === 0 && g.pl === 0 && g.pr === 0;

/** Images per gemm block: enough columns (nb·Ho·Wo ≥ 512) to amortise packing the weights on small feature maps. */
const blockImages = (g: Geo): number => Math.max(1, Math.min(g.N, Math.ceil(512 / Math.max(g.L, 1))));

// ---- scratch ------------------------------------------------------------------------------------------------------------

/** Reusable scratch arrays, one per (slot, element type); they only grow. */
const SCRATCH: { f32: Float32Array[]; f64: Float64Array[] } = { f32: [], f64: [] };

function scratch(slot: number, dtype: 'float32' | 'float64', n: number): F {
  const pool: F[] = dtype === 'float32' ? SCRATCH.f32 : SCRATCH.f64;
  const cur = pool[slot];
  if (cur && cur.length >= n) return cur;
  const size = Math.max(n, Math.ceil((cur?.length ?? 0) * 1.5));
  const a = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  pool[slot] = a;
  return a;
}

const scratch64 = (slot: number, n: number): Float64Array => scratch(slot, 'float64', n) as Float64Array;

/** The storage of x as a contiguous array (x itself when it is contiguous), without recording autograd. */
function contiguousData(x: Tensor): { d: F; o: number } {
  if (x.is_contiguous()) return { d: x.buffer as F, o: x.offset };
  const c = Tensor.empty(x.shape, x.dtype);
  copyInto(c, x);
  return { d: c.buffer as F, o: 0 };
}

// ---- im2col / col2im ------------------------------------------------------------------------------------------------------

/**
 * Valid output-column range [lo, hi) for kernel column kj: the ow with 0 <= ow·sw + kj·dw − pl < W.
 * Outside it the patch reads padding.
 */
function colRange(g: Geo, kj: number): [number, number, number] {
  const shift = kj * g.dw - g.pl; // iw = ow·sw + shift
  const lo = shift >= 0 ? 0 : Math.min(g.Wo, Math.ceil(-shift / g.sw));
  const hiRaw = g.W - 1 - shift < 0 ? 0 : Math.floor((g.W - 1 - shift) / g.sw) + 1;
  const hi = Math.max(lo, Math.min(g.Wo, hiRaw));
  return [lo, hi, shift];
}

/**
 * Unrolls the patches of one image's channel group (x from xo: Cg planes of H×W) into cols rows
 * (c, ki, kj) → cols[row·ld + co + (oh·Wo + ow)]; co and ld place images of a block side by side.
 */
function im2col(g: Geo, x: F, xo: number, cols: F | Float64Array, co: number, ld: number): void {
  const { H, W, Ho, Wo, kh, kw, sh, sw, pt, dh, Cg } = g;
  let row = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = xo + c * H * W;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const [lo, hi, shift] = colRange(g, kj);
        let d = row * ld + co;
        for (let oh = 0; oh < Ho; oh++, d += Wo) {
          const ih = oh * sh - pt + ki * dh;
          if (ih < 0 || ih >= H) {
            cols.fill(0, d, d + Wo);
            continue;
          }
          const s = plane + ih * W + shift;
          let ow = 0;
          for (; ow < lo; ow++) cols[d + ow] = 0;
          if (sw === 1) for (; ow < hi; ow++) cols[d + ow] = x[s + ow];
          else for (; ow < hi; ow++) cols[d + ow] = x[s + ow * sw];
          for (; ow < Wo; ow++) cols[d + ow] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each column entry back into the input position it was read from (padding dropped). */
function col2im(g: Geo, cols: F, co: number, ld: number, gx: F, xo: number): void {
  const { H, W, Ho, Wo, kh, kw, sh, sw, pt, dh, Cg } = g;
  let row = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = xo + c * H * W;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const [lo, hi, shift] = colRange(g, kj);
        let d = row * ld + co;
        for (let oh = 0; oh < Ho; oh++, d += Wo) {
          const ih = oh * sh - pt + ki * dh;
          if (ih < 0 || ih >= H) continue;
          const s = plane + ih * W + shift;
          if (sw === 1) for (let ow = lo; ow < hi; ow++) gx[s + ow] += cols[d + ow];
          else for (let ow = lo; ow < hi; ow++) gx[s + ow * sw] += cols[d + ow];
        }
      }
    }
  }
}

// ---- kernels ----------------------------------------------------------------------------------------------------------------

function forwardKernel(x: Tensor, w: Tensor, b: Tensor | null, a: ConvAttrs): Tensor {
  const g = geometry(x.shape, w.shape, a);
  const { N, O, G, Cg, Og, L, Ck, H, W, C } = { ...g, G: g.groups };
  const out = Tensor.empty([N, O, g.Ho, g.Wo], x.dtype);
  if (out.numel() === 0) return out;
  const o = out.buffer as F;
  const X = contiguousData(x), Wt = contiguousData(w);
  if (b) {
    const B = contiguousData(b);
    for (let n = 0; n < N; n++) for (let oc = 0; oc < O; oc++) o.fill(B.d[B.o + oc], (n * O + oc) * L, (n * O + oc + 1) * L);
  }
  const beta = b ? 1 : 0;
  if (Ck === 0) { if (!b) o.fill(0); return out; }
  if (isPointwise(g)) {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < G; gi++) {
        gemm(false, false, Og, L, Ck, 1, Wt.d, Wt.o + gi * Og * Ck, Ck, X.d, X.o + (n * C + gi * Cg) * L, L, beta, o, (n * O + gi * Og) * L, L);
      }
    }
    return out;
  }
  const nb = blockImages(g);
  const dtype = x.dtype as 'float32' | 'float64';
  const cols = scratch(0, dtype, Ck * nb * L);
  const tmp = nb > 1 ? scratch(1, dtype, Og * nb * L) : null;
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    const ld = m * L;
    for (let gi = 0; gi < G; gi++) {
      for (let i = 0; i < m; i++) im2col(g, X.d, X.o + ((n0 + i) * C + gi * Cg) * H * W, cols, i * L, ld);
      if (m === 1) {
        gemm(false, false, Og, L, Ck, 1, Wt.d, Wt.o + gi * Og * Ck, Ck, cols, 0, L, beta, o, (n0 * O + gi * Og) * L, L);
        continue;
      }
      // the block result goes through tmp ([Og, m·L]), bias rows prefilled so rounding matches the m = 1 path
      if (b) for (let oc = 0; oc < Og; oc++) tmp!.fill(o[(n0 * O + gi * Og + oc) * L], oc * ld, (oc + 1) * ld);
      gemm(false, false, Og, ld, Ck, 1, Wt.d, Wt.o + gi * Og * Ck, Ck, cols, 0, ld, beta, tmp!, 0, ld);
      for (let oc = 0; oc < Og; oc++) {
        for (let i = 0; i < m; i++) {
          const dst = ((n0 + i) * O + gi * Og + oc) * L;
          const src = oc * ld + i * L;
          for (let l = 0; l < L; l++) o[dst + l] = tmp![src + l];
        }
      }
    }
  }
  return out;
}

/** Copies the gradient of images n0…n0+m−1, channels of group gi, into a [Og, m·L] block. */
function gatherGrad(g: Geo, gd: F, go: number, n0: number, m: number, gi: number, dst: F | Float64Array): void {
  const { O, Og, L } = g;
  const ld = m * L;
  for (let oc = 0; oc < Og; oc++) {
    for (let i = 0; i < m; i++) {
      const s = go + ((n0 + i) * O + gi * Og + oc) * L;
      const d = oc * ld + i * L;
      for (let l = 0; l < L; l++) dst[d + l] = gd[s + l];
    }
  }
}

function inputGradKernel(gy: Tensor, w: Tensor, xShape: readonly number[], a: ConvAttrs): Tensor {
  const g = geometry(xShape, w.shape, a);
  const { N, C, H, W, Og, Cg, L, Ck, O } = g;
  const G = g.groups;
  const gx = Tensor.empty(xShape, gy.dtype);
  if (gx.numel() === 0 || L === 0 || Og === 0) return gx;
  const gxd = gx.buffer as F;
  const Gy = contiguousData(gy), Wt = contiguousData(w);
  if (isPointwise(g)) {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < G; gi++) {
        gemm(true, false, Ck, L, Og, 1, Wt.d, Wt.o + gi * Og * Ck, Ck, Gy.d, Gy.o + (n * O + gi * Og) * L, L, 0, gxd, (n * C + gi * Cg) * L, L);
      }
    }
    return gx;
  }
  const nb = blockImages(g);
  const dtype = gy.dtype as 'float32' | 'float64';
  const dcols = scratch(0, dtype, Ck * nb * L);
  const gblock = nb > 1 ? scratch(1, dtype, Og * nb * L) : null;
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    const ld = m * L;
    for (let gi = 0; gi < G; gi++) {
      if (m === 1) {
        gemm(true, false, Ck, L, Og, 1, Wt.d, Wt.o + gi * Og * Ck, Ck, Gy.d, Gy.o + (n0 * O + gi * Og) * L, L, 0, dcols, 0, L);
      } else {
        gatherGrad(g, Gy.d, Gy.o, n0, m, gi, gblock!);
        gemm(true, false, Ck, ld, Og, 1, Wt.d, Wt.o + gi * Og * Ck, Ck, gblock!, 0, ld, 0, dcols, 0, ld);
      }
      for (let i = 0; i < m; i++) col2im(g, dcols, i * L, ld, gxd, ((n0 + i) * C + gi * Cg) * H * W);
    }
  }
  return gx;
}

function weightGradKernel(x: Tensor, gy: Tensor, wShape: readonly number[], a: ConvAttrs): Tensor {
  const g = geometry(x.shape, wShape, a);
  const { N, C, H, W, Og, Cg, L, Ck, O } = g;
  const G = g.groups;
  const gw = Tensor.empty(wShape, x.dtype);
  if (gw.numel() === 0 || N === 0 || L === 0) return gw;
  const X = contiguousData(x), Gy = contiguousData(gy);
  const nb = blockImages(g);
  // float64 throughout: columns, gradient block and the accumulator; the result is rounded once.
  const cols = scratch64(2, Ck * nb * L);
  const gblock = scratch64(3, Og * nb * L);
  const acc = scratch64(4, O * Ck);
  acc.fill(0, 0, O * Ck);
  const pointwise = isPointwise(g);
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    const ld = m * L;
    for (let gi = 0; gi < G; gi++) {
      if (pointwise) {
        for (let i = 0; i < m; i++) {
          const s = X.o + ((n0 + i) * C + gi * Cg) * L;
          for (let c = 0; c < Cg; c++) for (let l = 0; l < L; l++) cols[c * ld + i * L + l] = X.d[s + c * L + l];
        }
      } else {
        for (let i = 0; i < m; i++) im2col(g, X.d, X.o + ((n0 + i) * C + gi * Cg) * H * W, cols, i * L, ld);
      }
      gatherGrad(g, Gy.d, Gy.o, n0, m, gi, gblock);
      gemm(false, true, Og, Ck, ld, 1, gblock, 0, ld, cols, 0, ld, 1, acc, gi * Og * Ck, Ck);
    }
  }
  const gwd = gw.buffer as F;
  for (let i = 0; i < O * Ck; i++) gwd[i] = acc[i];
  return gw;
}

function biasGradKernel(gy: Tensor): Tensor {
  const [N, O] = gy.shape;
  const L = gy.numel() / Math.max(N * O, 1);
  const gb = Tensor.empty([O], gy.dtype);
  const Gy = contiguousData(gy);
  const d = Gy.d;
  for (let oc = 0; oc < O; oc++) {
    let s = 0;
    for (let n = 0; n < N; n++) {
      const base = Gy.o + (n * O + oc) * L;
      for (let l = 0; l < L; l++) s += d[base + l];
    }
    gb.buffer[oc] = s;
  }
  return gb;
}

// ---- ops ----------------------------------------------------------------------------------------------------------------------

const convOp: OpDef<ConvAttrs> = defineOp<ConvAttrs>({
  name: 'conv2d',
  forward: ([x, w, b], attrs) => forwardKernel(x, w, b ?? null, attrs),
  backward([g], node) {
    const a = node.attrs;
    return [
      node.next[0] ? op1(inputGradOp, [g!, node.input(1)], { ...a, xShape: node.inputShapes[0] }) : null,
      node.next[1] ? op1(weightGradOp, [node.input(0), g!], { ...a, wShape: node.inputShapes[1] }) : null,
      node.inputShapes.length > 2 && node.next[2] ? op1(biasGradOp, [g!], {}) : null,
    ];
  },
});

const inputGradOp: OpDef<ConvAttrs & { xShape: readonly number[] }> = defineOp<ConvAttrs & { xShape: readonly number[] }>({
  name: 'conv2d_input_grad',
  forward: ([g, w], attrs) => inputGradKernel(g, w, attrs.xShape, attrs),
  backward([h], node) {
    // gx = D(g, w) is bilinear: d/dg is conv2d(h, w); d/dw is the weight gradient with h as input
    const a = node.attrs;
    return [
      node.next[0] ? op1(convOp, [h!, node.input(1)], a) : null,
      node.next[1] ? op1(weightGradOp, [h!, node.input(0)], { ...a, wShape: node.inputShapes[1] }) : null,
    ];
  },
});

const weightGradOp: OpDef<ConvAttrs & { wShape: readonly number[] }> = defineOp<ConvAttrs & { wShape: readonly number[] }>({
  name: 'conv2d_weight_grad',
  forward: ([x, g], attrs) => weightGradKernel(x, g, attrs.wShape, attrs),
  backward([h], node) {
    const a = node.attrs;
    return [
      node.next[0] ? op1(inputGradOp, [node.input(1), h!], { ...a, xShape: node.inputShapes[0] }) : null,
      node.next[1] ? op1(convOp, [node.input(0), h!], a) : null,
    ];
  },
});

const biasGradOp: OpDef<Record<string, never>> = defineOp<Record<string, never>>({
  name: 'conv2d_bias_grad',
  forward: ([g]) => biasGradKernel(g),
  backward([h], node) {
    const s = node.inputShapes[0];
    return [expand(reshape(h!, [1, s[1], ...s.slice(2).map(() => 1)]), s.slice())];
  },
});

// ---- public API ----------------------------------------------------------------------------------------------------------------

export type IntOrTuple = number | number[];
export type ConvPadding = number | number[] | 'same' | 'valid';
export interface ConvOptions { stride?: IntOrTuple; padding?: ConvPadding; dilation?: IntOrTuple; groups?: number }
type ConvPos = [stride: IntOrTuple | undefined, padding: ConvPadding | undefined, dilation: IntOrTuple | undefined, groups: number | undefined];
const CONV_NAMES = ['stride', 'padding', 'dilation', 'groups'] as const;

function checkFloat(fn: string, arg: string, t: Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') fail(fn, arg, 'a float32 or float64 tensor', t);
}

/** Validates the arguments and runs conv2d on 4-D (N, C, H, W) input with a 4-D weight: `d` is the user-facing dimensionality. */
function convNd(fn: string, d: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, rest: readonly unknown[]): Tensor {
  checkTensor(fn, 'input', input);
  checkTensor(fn, 'weight', weight);
  if (bias !== undefined && bias !== null) checkTensor(fn, 'bias', bias);
  const o = pyArgs<ConvOptions>(fn, CONV_NAMES, rest);
  const stride = intTuple(fn, 'stride', o.stride ?? 1, d, 1);
  const dilation = intTuple(fn, 'dilation', o.dilation ?? 1, d, 1);
  const groups = o.groups ?? 1;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) fail(fn, 'groups', 'a positive integer', groups);
  checkFloat(fn, 'input', input);
  if (weight.dtype !== input.dtype) throw new Error(`${fn}: weight must have the dtype of input (${input.dtype}), got ${weight.dtype} (weight ${fmt(weight.shape)}, input ${fmt(input.shape)})`);
  if (bias && bias.dtype !== input.dtype) throw new Error(`${fn}: bias must have the dtype of input (${input.dtype}), got ${bias.dtype}`);
  const sizeNames = d === 1 ? '(out_channels, in_channels/groups, kW)' : '(out_channels, in_channels/groups, kH, kW)';
  if (weight.ndim !== d + 2) throw new Error(`${fn}: weight must be ${d + 2}-D ${sizeNames}, got weight of shape ${fmt(weight.shape)} (input ${fmt(input.shape)})`);
  if (input.ndim !== d + 1 && input.ndim !== d + 2) {
    const what = d === 1 ? '2D (unbatched) or 3D (batched)' : '3D (unbatched) or 4D (batched)';
    throw new Error(`${fn}: expected ${what} input, but got input of shape ${fmt(input.shape)} (weight ${fmt(weight.shape)})`);
  }
  const batched = input.ndim === d + 2;
  const xs = batched ? input.shape : [1, ...input.shape];
  const O = weight.shape[0], Cg = weight.shape[1];
  if (O % groups !== 0) throw new Error(`${fn}: given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of shape ${fmt(weight.shape)} (input ${fmt(input.shape)})`);
  if (xs[1] !== Cg * groups) {
    throw new Error(`${fn}: given groups=${groups}, weight of shape ${fmt(weight.shape)}, expected input ${fmt(input.shape)} to have ${Cg * groups} channels, but got ${xs[1]} channels instead`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new Error(`${fn}: given weight of shape ${fmt(weight.shape)}, expected bias to be 1-dimensional with ${O} elements, but got bias of shape ${fmt(bias.shape)}`);
  }
  const ks = weight.shape.slice(2);
  const spatial = xs.slice(2);
  // padding per spatial dim as [before, after]
  let pads: [number, number][];
  const p = o.padding ?? 0;
  if (p === 'valid') pads = ks.map(() => [0, 0]);
  else if (p === 'same') {
    if (stride.some((s) => s !== 1)) throw new Error(`${fn}: padding='same' is not supported for strided convolutions (stride ${describe(o.stride)})`);
    pads = ks.map((k, i) => { const total = dilation[i] * (k - 1); return [Math.floor(total / 2), total - Math.floor(total / 2)]; });
  } else if (typeof p === 'string') {
    throw new Error(`${fn}: padding must be an int, a tuple of ints, 'same' or 'valid', got ${JSON.stringify(p)}`);
  } else {
    pads = intTuple(fn, 'padding', p, d, 0).map((v) => [v, v]);
  }
  for (let i = 0; i < d; i++) {
    const padded = spatial[i] + pads[i][0] + pads[i][1];
    const eff = dilation[i] * (ks[i] - 1) + 1;
    if (padded < eff) {
      throw new Error(`${fn}: calculated padded input size per channel: (${spatial.map((s, j) => s + pads[j][0] + pads[j][1]).join(' x ')}); `
        + `kernel size: (${ks.map((k, j) => dilation[j] * (k - 1) + 1).join(' x ')}); kernel size can't be greater than actual input size `
        + `(input ${fmt(input.shape)}, weight ${fmt(weight.shape)})`);
    }
  }
  const attrs: ConvAttrs = d === 1
    ? { sh: 1, sw: stride[0], pt: 0, pb: 0, pl: pads[0][0], pr: pads[0][1], dh: 1, dw: dilation[0], groups }
    : { sh: stride[0], sw: stride[1], pt: pads[0][0], pb: pads[0][1], pl: pads[1][0], pr: pads[1][1], dh: dilation[0], dw: dilation[1], groups };
  let x = batched ? input : unsqueeze(input, 0);
  let w = weight;
  if (d === 1) {
    x = unsqueeze(x, 2);
    w = unsqueeze(w, 2);
  }
  let y = op1(convOp, bias ? [x, w, bias] : [x, w], attrs);
  if (d === 1) y = squeeze(y, 2);
  return batched ? y : squeeze(y, 0);
}

/**
 * F.conv2d(input, weight, bias?, stride=1, padding=0, dilation=1, groups=1): input (N, C, H, W) or (C, H, W),
 * weight (O, C/groups, kH, kW), bias (O). Trailing arguments positionally or as `{ stride, padding, dilation, groups }`;
 * padding is an int, [padH, padW], 'valid' or 'same' (stride 1 only; an odd total pads one more at the bottom/right).
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, ...rest: PyRest<ConvPos, ConvOptions>): Tensor {
  return convNd('F.conv2d', 2, input, weight, bias, rest);
}

/** F.conv1d(input, weight, bias?, stride=1, padding=0, dilation=1, groups=1): input (N, C, L) or (C, L), weight (O, C/groups, k). */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, ...rest: PyRest<ConvPos, ConvOptions>): Tensor {
  return convNd('F.conv1d', 1, input, weight, bias, rest);
}
