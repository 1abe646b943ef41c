/**
 * spikingjelly.clock_driven.layer (release 0.0.0.0.8, commit c14d8ac9): the 17 layers of that file, computing what
 * 0.0.0.0.8 computes, in its operation order (so float32 results match the recorded fixtures).
 *
 *     from spikingjelly.clock_driven import layer                 (Python)
 *     import { layer } from 'spikeport/spikingjelly';              (TypeScript)
 *     layer.Dropout(0.3)                -> new layer.Dropout(0.3)
 *     layer.DropConnectLinear(5, 4, p=0.3, invariant=True)
 *                                       -> new layer.DropConnectLinear(5, 4, { p: 0.3, invariant: true })
 *
 * Constructors take the required arguments positionally, then Python's keyword arguments positionally or in a
 * trailing options object (unknown keys raise). Stateful layers are MemoryModules (their state is in memories, not in
 * the state_dict; functional.reset_net / reset() restores it); state_dict keys and extra_repr equal Python's.
 * Random layers draw from torch's generator in PyTorch's order, so after torch.manual_seed(s) the Dropout masks, the
 * DropConnect masks and DropConnectLinear's inference samples equal PyTorch's.
 *
 * Where 0.0.0.0.8 behaves surprisingly, the port does the same and says so (QUIRK); where 0.0.0.0.8 crashes, the port
 * throws an Error saying why (CRASH):
 *  - QUIRK Dropout*: one mask for the whole run (until reset()); eval mode returns the input itself.
 *  - QUIRK DropConnectLinear: the default activation is one ReLU instance shared by every layer built without one
 *    (Python's default argument); in eval mode the output is sampled (no gradient flows back through it).
 *  - CRASH DropConnectLinear in eval mode raises, like torch.distributions.Normal's argument check, when some
 *    sigma = sqrt(p(1-p)·(x²W² + b²)) is 0 (p = 0, or an all-zero input row without bias) or mu is NaN.
 *  - CRASH DCT/AXAT: the last two input dimensions must be multiples of kernel_size (DCT) / equal in_features (AXAT).
 *  - CRASH ConvBatchNorm2d.get_fused_*: need affine=True and track_running_stats=True (0.0.0.0.8: TypeError on None).
 *  - QUIRK ConvBatchNorm2d.scale_fused_weight(k, b) sets the *conv* weight to w·k + b, so the fused weight becomes
 *    (w·k + b)·γ/σ, not (the docstring's) fused·k + b, for b ≠ 0. ConvBatchNorm2d's padding_mode is 'zeros' only
 *    (spikeport's nn.Conv2d refuses the others).
 *  - QUIRK STDPLearner.stdp: the traces are updated but the weight update uses f_pre(w)·s_pre + f_post(w)·s_post
 *    (not the traces); only nn.Linear is supported (NotImplementedError upstream).
 *  - QUIRK ElementWiseRecurrentContainer calls element_wise_function(y[t-1], x[t]) (its docstring says f(x, y)).
 *  - QUIRK LinearRecurrentContainer's rc is Linear(in_features + out_features, in_features): sub_module maps
 *    in_features -> out_features.
 *
 * The Dropout family, DropConnectLinear and the containers live in the private modules _layer_*.ts beside this file.
 */
import { torch, nn } from '../../index';
import { describe, fail } from '../../torch/utils/checks';
import { pyArgs, pyFloat, type PyRest } from '../../torch/nn/modules/module';
import { MemoryModule } from './base';
import * as functional from './functional';
import {
  type Tensor, type Value, type Callable1, isT, pyBool, torchSize, num, posInt, bool, tensorArg, moduleArg, callableArg, call1,
} from './_layer_args';

export { type Callable1 } from './_layer_args';
export { Dropout, Dropout2d, MultiStepDropout, MultiStepDropout2d } from './_layer_dropout';
export { type DropConnectLinearOptions, DropConnectLinear } from './_layer_dropconnect';
export {
  MultiStepContainer, SeqToANNContainer, type ElementWiseFunction, ElementWiseRecurrentContainer, LinearRecurrentContainer,
} from './_layer_containers';

// ---- NeuNorm ------------------------------------------------------------------------------------------------------------

export interface NeuNormOptions { k?: number; shared_across_channels?: boolean }

/**
 * NeuNorm(in_channels, height, width, k = 0.9, shared_across_channels = false) (Wu et al. 2018): for [N, C, H, W]
 * spikes, x = k0·x + k1·sum_c(spikes) with k1 = (1 − k0)/C², output spikes − w·x. Memory x (reset value 0.);
 * parameter w of shape [C, H, W] ([1, H, W] when shared), kaiming_uniform_(a = √5).
 */
export class NeuNorm extends MemoryModule {
  declare x: Value;
  k0: number;
  k1: number;
  w: nn.Parameter;

  constructor(in_channels: number, height: number, width: number,
    ...rest: PyRest<[k: number | undefined, shared_across_channels: boolean | undefined], NeuNormOptions>) {
    super();
    const fn = 'layer.NeuNorm';
    const o = pyArgs<NeuNormOptions>(fn, ['k', 'shared_across_channels'], rest);
    posInt(fn, 'in_channels', in_channels);
    posInt(fn, 'height', height);
    posInt(fn, 'width', width);
    const k = num(fn, 'k', o.k ?? 0.9);
    const shared = bool(fn, 'shared_across_channels', o.shared_across_channels ?? false);
    this.register_memory('x', 0.0);
    this.k0 = k;
    this.k1 = (1.0 - this.k0) / in_channels ** 2;
    this.w = new nn.Parameter(torch.empty(shared ? [1, height, width] : [in_channels, height, width]));
    nn.init.kaiming_uniform_(this.w, { a: Math.sqrt(5) });
  }

  override forward(in_spikes: Tensor): Tensor {
    tensorArg('NeuNorm.forward', 'in_spikes', in_spikes);
    const s = in_spikes.sum(1, { keepdim: true }).mul(this.k1); // x.shape = [batch_size, 1, height, width]
    const x = this.x;
    // k0 * x + k1 * sum: with x the number 0. (first step) Python adds the float k0 * 0. to the tensor
    this.x = isT(x) ? x.mul(this.k0).add(s) : s.add(this.k0 * x);
    return in_spikes.sub(this.w.mul(this.x as Tensor));
  }

  override extra_repr(): string {
    return `shape=${torchSize(this.w.shape)}`;
  }
}

// ---- DCT, AXAT ------------------------------------------------------------------------------------------------------------

/**
 * DCT(kernel_size): blockwise 2-D discrete cosine transform over the last two dimensions of [*, H, W] input
 * (kernel · block · kernelᵀ for every kernel_size × kernel_size block). `kernel` is a plain tensor attribute, not in
 * the state_dict (as in Python). CRASH: H and W must be multiples of kernel_size (0.0.0.0.8 fails in matmul).
 */
export class DCT extends nn.Module {
  kernel: Tensor;

  constructor(kernel_size: number) {
    super();
    const fn = 'layer.DCT';
    posInt(fn, 'kernel_size', kernel_size);
    const k = kernel_size;
    const data = new Float32Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        data[i * k + j] = (i === 0 ? Math.sqrt(1 / k) : Math.sqrt(2 / k)) * Math.cos(((j + 0.5) * Math.PI * i) / k);
      }
    }
    this.kernel = torch.from_typed_array(data, [k, k]);
  }

  override forward(x: Tensor): Tensor {
    const fn = 'DCT.forward';
    tensorArg(fn, 'x', x);
    const k = this.kernel.shape[0];
    if (x.ndim < 2) throw new Error(`${fn}: x must have at least 2 dimensions [*, H, W], got shape [${x.shape.join(', ')}]`);
    const x_shape = x.shape.slice();
    const H = x_shape[x_shape.length - 2], W = x_shape[x_shape.length - 1];
    if (H % k !== 0 || W % k !== 0 || H === 0 || W === 0) {
      throw new Error(`${fn}: the last two dimensions of x (${H}, ${W}) must be positive multiples of kernel_size ${k} ` +
        `(spikingjelly 0.0.0.0.8 fails in matmul on a partial block), got shape [${x_shape.join(', ')}]`);
    }
    const xv = x.view(-1, H, W);
    const kt = this.kernel.t();
    // Python writes each block into ret = zeros_like(x) by slice assignment; the same blocks are joined here with cat
    const rows: Tensor[] = [];
    for (let i = 0; i < H; i += k) {
      const blocks: Tensor[] = [];
      for (let j = 0; j < W; j += k) {
        blocks.push(this.kernel.matmul(xv.index(':', `${i}:${i + k}`, `${j}:${j + k}`)).matmul(kt));
      }
      rows.push(blocks.length === 1 ? blocks[0] : torch.cat(blocks, 2));
    }
    const ret = rows.length === 1 ? rows[0] : torch.cat(rows, 1);
    return ret.view(x_shape);
  }
}

/**
 * AXAT(in_features, out_features): A·X·Aᵀ over the last two dimensions of [*, in_features, in_features] input, with
 * the parameter A of shape [out_features, in_features] (kaiming_uniform_(a = √5)); output [*, out_features, out_features].
 */
export class AXAT extends nn.Module {
  A: nn.Parameter;

  constructor(in_features: number, out_features: number) {
    super();
    const fn = 'layer.AXAT';
    posInt(fn, 'in_features', in_features);
    posInt(fn, 'out_features', out_features);
    this.A = new nn.Parameter(torch.empty(out_features, in_features));
    nn.init.kaiming_uniform_(this.A, { a: Math.sqrt(5) });
  }

  override forward(x: Tensor): Tensor {
    const fn = 'AXAT.forward';
    tensorArg(fn, 'x', x);
    const n = this.A.shape[1];
    const x_shape = x.shape.slice();
    if (x.ndim < 2 || x_shape[x.ndim - 2] !== n || x_shape[x.ndim - 1] !== n) {
      throw new Error(`${fn}: x must have shape [*, ${n}, ${n}] (in_features = ${n}), got shape [${x_shape.join(', ')}]`);
    }
    let y = x.view(-1, x_shape[x.ndim - 2], x_shape[x.ndim - 1]);
    y = this.A.matmul(y).matmul(this.A.t());
    x_shape[x_shape.length - 1] = y.shape[y.ndim - 1];
    x_shape[x_shape.length - 2] = y.shape[y.ndim - 2];
    return y.view(x_shape);
  }
}

// ---- SynapseFilter --------------------------------------------------------------------------------------------------------

export interface SynapseFilterOptions { tau?: number; learnable?: boolean }

/**
 * SynapseFilter(tau = 100.0, learnable = false): out_i = out_i − (1 − s)·out_i/τ + s (memory out_i, reset value 0.).
 * learnable: the parameter w = −log(τ − 1) (a 0-d tensor) and 1/τ = sigmoid(w); otherwise the attribute tau.
 */
export class SynapseFilter extends MemoryModule {
  declare out_i: Value;
  learnable: boolean;
  declare w: nn.Parameter;
  declare tau: number;

  constructor(...rest: PyRest<[tau: number | undefined, learnable: boolean | undefined], SynapseFilterOptions>) {
    super();
    const fn = 'layer.SynapseFilter';
    const o = pyArgs<SynapseFilterOptions>(fn, ['tau', 'learnable'], rest);
    const tau = num(fn, 'tau', o.tau ?? 100.0);
    const learnable = bool(fn, 'learnable', o.learnable ?? false);
    this.learnable = learnable;
    if (!(tau > 1)) fail(fn, 'tau', 'a number > 1 (spikingjelly asserts tau > 1)', tau);
    if (learnable) {
      const init_w = -Math.log(tau - 1);
      this.w = new nn.Parameter(torch.tensor(init_w));
    } else {
      this.tau = tau;
    }
    this.register_memory('out_i', 0.0);
  }

  override extra_repr(): string {
    let tau: number;
    if (this.learnable) tau = torch.no_grad(() => this.w.sigmoid().reciprocal().mul(1.0).item()); // 1. / w.sigmoid()
    else tau = this.tau;
    return `tau=${pyFloat(tau)}, learnable=${pyBool(this.learnable)}`;
  }

  override forward(in_spikes: Tensor): Tensor {
    tensorArg('SynapseFilter.forward', 'in_spikes', in_spikes);
    const inv_tau: Value = this.learnable ? this.w.sigmoid() : 1.0 / this.tau;
    const out_i = this.out_i;
    // out_i - (1 - in_spikes) * out_i * inv_tau + in_spikes, evaluated left to right as Python does
    const decay = in_spikes.rsub(1).mul(out_i).mul(inv_tau);
    this.out_i = (isT(out_i) ? out_i.sub(decay) : decay.rsub(out_i)).add(in_spikes);
    return this.out_i as Tensor;
  }
}

// ---- ChannelsPool ---------------------------------------------------------------------------------------------------------

/**
 * ChannelsPool(pool): pools over the channel dimension of [N, C, *] input with a 1-d pooling module
 * (nn.MaxPool1d / nn.AvgPool1d): [N, C, H, W] -> [N, C', H, W].
 */
export class ChannelsPool extends nn.Module {
  pool: nn.Module;

  constructor(pool: nn.Module) {
    super();
    this.pool = moduleArg('layer.ChannelsPool', 'pool', pool);
  }

  override forward(x: Tensor): Tensor {
    const fn = 'ChannelsPool.forward';
    tensorArg(fn, 'x', x);
    if (x.ndim < 3) throw new Error(`${fn}: x must have at least 3 dimensions [N, C, *], got shape [${x.shape.join(', ')}]`);
    const x_shape = x.shape.slice();
    const y = (this.pool.call(x.flatten(2).permute(0, 2, 1)) as Tensor).permute(0, 2, 1);
    return y.view([x_shape[0], -1, ...x_shape.slice(2)]);
  }
}

// ---- STDPLearner --------------------------------------------------------------------------------------------------------

/**
 * STDPLearner(tau_pre, tau_post, f_pre, f_post) (0.0.0.0.8): call stdp(s_pre, s_post, module, learning_rate) once per
 * step (no forward). Under no_grad it updates the traces (memories trace_pre, trace_post, reset value 0.),
 * tr = tr − tr/τ + s, and then — QUIRK: without using the traces — the weight of an nn.Linear:
 * W += (f_pre(W)·s_pre + f_post(W)·s_post[:, None])·learning_rate, for 1-D spikes s_pre [in], s_post [out].
 */
export class STDPLearner extends MemoryModule {
  declare trace_pre: Value;
  declare trace_post: Value;
  tau_pre: number;
  tau_post: number;
  f_pre: Callable1;
  f_post: Callable1;

  constructor(tau_pre: number, tau_post: number, f_pre: Callable1, f_post: Callable1) {
    super();
    const fn = 'layer.STDPLearner';
    this.tau_pre = num(fn, 'tau_pre', tau_pre);
    this.tau_post = num(fn, 'tau_post', tau_post);
    this.register_memory('trace_pre', 0.0);
    this.register_memory('trace_post', 0.0);
    this.f_pre = callableArg(fn, 'f_pre', f_pre);
    this.f_post = callableArg(fn, 'f_post', f_post);
  }

  stdp(s_pre: Tensor, s_post: Tensor, module: nn.Module, learning_rate: number): void {
    const fn = 'STDPLearner.stdp';
    tensorArg(fn, 's_pre', s_pre);
    tensorArg(fn, 's_post', s_post);
    num(fn, 'learning_rate', learning_rate);
    if (!(module instanceof nn.Linear)) {
      throw new Error(`${fn}: module must be an nn.Linear (spikingjelly 0.0.0.0.8 raises NotImplementedError for anything else), got ${describe(module)}`);
    }
    torch.no_grad(() => {
      // update traces: trace += -trace / tau + s
      this.trace_pre = traceStep(this.trace_pre, this.tau_pre, s_pre);
      this.trace_post = traceStep(this.trace_post, this.tau_post, s_post);
      // update weight
      const weight = module.weight;
      const delta_w_pre = call1(this.f_pre, weight).mul(s_pre);
      const delta_w_post = call1(this.f_post, weight).mul(s_post.unsqueeze(1));
      weight.add_(delta_w_pre.add(delta_w_post).mul(learning_rate));
    });
  }
}

/** Python's `trace += -trace / tau + s`: a float trace becomes a new tensor; a tensor trace is updated in place. */
function traceStep(trace: Value, tau: number, s: Tensor): Tensor {
  if (isT(trace)) return trace.add_(trace.neg().div(tau).add(s));
  return s.add(-trace / tau).add(trace);
}

// ---- PrintShapeModule ---------------------------------------------------------------------------------------------------

/** PrintShapeModule(ext_str = 'PrintShapeModule'): prints `ext_str torch.Size([…])` (console.log) and returns its input. */
export class PrintShapeModule extends nn.Module {
  ext_str: string;

  constructor(...rest: PyRest<[ext_str: string | undefined], { ext_str?: string }>) {
    super();
    const o = pyArgs<{ ext_str?: string }>('layer.PrintShapeModule', ['ext_str'], rest);
    this.ext_str = o.ext_str ?? 'PrintShapeModule';
  }

  override forward(x: Tensor): Tensor {
    tensorArg('PrintShapeModule.forward', 'x', x);
    console.log(`${String(this.ext_str)} ${torchSize(x.shape)}`);
    return x;
  }
}

// ---- ConvBatchNorm2d ----------------------------------------------------------------------------------------------------

type Size2 = number | number[];
export interface ConvBatchNorm2dOptions {
  stride?: Size2; padding?: Size2 | string; dilation?: Size2; groups?: number; padding_mode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
  eps?: number; momentum?: number | null; affine?: boolean; track_running_stats?: boolean;
}
const CONVBN_NAMES = ['stride', 'padding', 'dilation', 'groups', 'padding_mode', 'eps', 'momentum', 'affine', 'track_running_stats'] as const;

/**
 * ConvBatchNorm2d(in_channels, out_channels, kernel_size, stride = 1, padding = 0, dilation = 1, groups = 1,
 * padding_mode = 'zeros', eps = 1e-5, momentum = 0.1, affine = true, track_running_stats = true): conv (Conv2d without
 * bias) then bn (BatchNorm2d), with the fused Conv2d's weight/bias (get_fused_weight/get_fused_bias, differentiable),
 * get_fused_conv() and the scale_fused_* adjustments of spikingjelly.clock_driven.functional.
 */
export class ConvBatchNorm2d extends nn.Module {
  conv: nn.Conv2d;
  bn: nn.BatchNorm2d;

  constructor(in_channels: number, out_channels: number, kernel_size: Size2,
    ...rest: PyRest<[stride: Size2 | undefined, padding: Size2 | string | undefined, dilation: Size2 | undefined, groups: number | undefined,
      padding_mode: ConvBatchNorm2dOptions['padding_mode'] | undefined, eps: number | undefined, momentum: number | null | undefined,
      affine: boolean | undefined, track_running_stats: boolean | undefined], ConvBatchNorm2dOptions>) {
    super();
    const o = pyArgs<ConvBatchNorm2dOptions>('layer.ConvBatchNorm2d', CONVBN_NAMES, rest);
    this.conv = new nn.Conv2d(in_channels, out_channels, kernel_size, {
      stride: o.stride ?? 1, padding: (o.padding ?? 0) as Size2, dilation: o.dilation ?? 1, groups: o.groups ?? 1, bias: false,
      padding_mode: o.padding_mode ?? 'zeros',
    });
    this.bn = new nn.BatchNorm2d(out_channels, {
      eps: o.eps ?? 1e-5, momentum: o.momentum === undefined ? 0.1 : o.momentum, affine: o.affine ?? true,
      track_running_stats: o.track_running_stats ?? true,
    });
  }

  override forward(x: Tensor): Tensor {
    return this.bn.call(this.conv.call(x)) as Tensor;
  }

  /** The weight of the fused Conv2d: conv.weight·γ/√(running_var + eps) per output channel. */
  get_fused_weight(): Tensor {
    return functional.fused_conv2d_weight_of_convbn2d(this.conv, this.bn);
  }

  /** The bias of the fused Conv2d: β − running_mean·γ/√(running_var + eps). */
  get_fused_bias(): Tensor {
    return functional.fused_conv2d_bias_of_convbn2d(this.conv, this.bn);
  }

  /** Sets conv.weight to conv.weight·k + b (k, b: null or undefined = no change); see the QUIRK in the header. */
  scale_fused_weight(...rest: PyRest<[k: number | null | undefined, b: number | null | undefined], { k?: number | null; b?: number | null }>): void {
    const o = pyArgs<{ k?: number | null; b?: number | null }>('ConvBatchNorm2d.scale_fused_weight', ['k', 'b'], rest);
    torch.no_grad(() => functional.scale_fused_conv2d_weight_of_convbn2d(this.conv, this.bn, o.k ?? null, o.b ?? null));
  }

  /** Sets the fused bias to bias·k + b (bn.bias and bn.running_mean scaled by k, b added to bn.bias). */
  scale_fused_bias(...rest: PyRest<[k: number | null | undefined, b: number | null | undefined], { k?: number | null; b?: number | null }>): void {
    const o = pyArgs<{ k?: number | null; b?: number | null }>('ConvBatchNorm2d.scale_fused_bias', ['k', 'b'], rest);
    torch.no_grad(() => functional.scale_fused_conv2d_bias_of_convbn2d(this.conv, this.bn, o.k ?? null, o.b ?? null));
  }

  /** A new nn.Conv2d (with bias) computing conv → bn as bn computes in eval mode. */
  get_fused_conv(): nn.Conv2d {
    return functional.fuse_convbn2d(this.conv, this.bn);
  }
}
