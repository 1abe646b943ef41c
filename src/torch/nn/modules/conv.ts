/**
 * nn.Conv1d, nn.Conv2d (PyTorch 1.13): constructor arguments as in PyTorch (positional, or a trailing options object
 * with the same names), reset_parameters exactly as PyTorch so that `torch.manual_seed(s); new nn.Conv2d(…)` gives
 * PyTorch's weights bit for bit, and extra_repr strings as PyTorch prints them. padding_mode 'zeros' only.
 */
import { type DType } from '../../../core/dtype';
import { fail } from '../../../core/errors';
import { conv1d, conv2d, intTuple, pyArgs, type ConvPadding, type IntOrTuple, type PyRest } from '../../../core/ops/conv';
import { Tensor } from '../../../core/tensor';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';

// ---- Python-style printing (shared by the conv, pooling and normalisation modules) ---------------------------------------

/** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16 ('1e-05', '0.1', '1.0'). */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const e = Number(expStr);
  if (e < -4 || e >= 16) return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const s = String(x);
  return s.includes('.') ? s : s + '.0';
}

/** What Python's str.format prints for a value: ints, tuples ('(3,)', '(3, 3)'), None, True/False, str unquoted. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map(pyRepr).join(', ')})`;
  return String(v);
}

/** Factory arguments of PyTorch modules: device must be 'cpu' (or null), dtype float32 (default) or float64. */
export function factoryDtype(fn: string, device: unknown, dtype: unknown): DType {
  if (device !== undefined && device !== null && device !== 'cpu') throw new Error(`${fn}: spikeport runs on the CPU; device must be 'cpu' or null, got ${JSON.stringify(device)}`);
  if (dtype === undefined || dtype === null) return 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') fail(fn, 'dtype', "'float32' or 'float64'", dtype);
  return dtype;
}

// ---- modules ------------------------------------------------------------------------------------------------------------------

export interface ConvModuleOptions {
  stride?: IntOrTuple; padding?: ConvPadding; dilation?: IntOrTuple; groups?: number; bias?: boolean;
  padding_mode?: 'zeros' | 'reflect' | 'replicate' | 'circular'; device?: string | null; dtype?: DType | null;
}
type ConvModulePos = [
  stride: IntOrTuple | undefined, padding: ConvPadding | undefined, dilation: IntOrTuple | undefined, groups: number | undefined,
  bias: boolean | undefined, padding_mode: ConvModuleOptions['padding_mode'] | undefined, device: string | null | undefined, dtype: DType | null | undefined,
];
const CONV_NAMES = ['stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode', 'device', 'dtype'] as const;

/** The common part of Conv1d / Conv2d (PyTorch's _ConvNd). */
export abstract class _ConvNd extends Module {
  declare in_channels: number;
  declare out_channels: number;
  declare kernel_size: number[];
  declare stride: number[];
  /** A tuple of ints, or the string 'same' / 'valid'. */
  declare padding: number[] | 'same' | 'valid';
  declare dilation: number[];
  declare transposed: boolean;
  declare output_padding: number[];
  declare groups: number;
  declare padding_mode: string;
  declare weight: Parameter;
  declare bias: Parameter | null;

  constructor(fn: string, d: 1 | 2, in_channels: number, out_channels: number, kernel_size: IntOrTuple, rest: readonly unknown[]) {
    super();
    const o = pyArgs<ConvModuleOptions>(fn, CONV_NAMES, rest);
    for (const [arg, v] of [['in_channels', in_channels], ['out_channels', out_channels]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(fn, arg, 'a non-negative integer', v);
    }
    const groups = o.groups ?? 1;
    if (typeof groups !== 'number' || !Number.isInteger(groups) || groups <= 0) fail(fn, 'groups', 'a positive integer', groups);
    if (in_channels % groups !== 0) throw new Error(`${fn}: in_channels must be divisible by groups, got in_channels=${in_channels}, groups=${groups}`);
    if (out_channels % groups !== 0) throw new Error(`${fn}: out_channels must be divisible by groups, got out_channels=${out_channels}, groups=${groups}`);
    const ks = intTuple(fn, 'kernel_size', kernel_size, d, 1);
    const stride = intTuple(fn, 'stride', o.stride ?? 1, d, 1);
    const dilation = intTuple(fn, 'dilation', o.dilation ?? 1, d, 1);
    const p = o.padding ?? 0;
    let padding: number[] | 'same' | 'valid';
    if (typeof p === 'string') {
      if (p !== 'same' && p !== 'valid') throw new Error(`${fn}: invalid padding string ${JSON.stringify(p)}, should be one of 'same', 'valid'`);
      if (p === 'same' && stride.some((s) => s !== 1)) throw new Error(`${fn}: padding='same' is not supported for strided convolutions (stride ${JSON.stringify(stride)})`);
      padding = p;
    } else padding = intTuple(fn, 'padding', p, d, 0);
    const mode = o.padding_mode ?? 'zeros';
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(mode)) {
      throw new Error(`${fn}: padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', got ${JSON.stringify(mode)}`);
    }
    if (mode !== 'zeros') throw new Error(`${fn}: padding_mode=${JSON.stringify(mode)} is not supported in spikeport (only 'zeros'); pad the input with F.pad before a convolution with padding=0 instead`);
    const bias = o.bias ?? true;
    if (typeof bias !== 'boolean') fail(fn, 'bias', 'a boolean', bias);
    const dtype = factoryDtype(fn, o.device, o.dtype);
    this.in_channels = in_channels;
    this.out_channels = out_channels;
    this.kernel_size = ks;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.transposed = false;
    this.output_padding = new Array<number>(d).fill(0);
    this.groups = groups;
    this.padding_mode = mode;
    this.weight = new Parameter(Tensor.empty([out_channels, in_channels / groups, ...ks], dtype));
    if (bias) this.bias = new Parameter(Tensor.empty([out_channels], dtype));
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }

  /** PyTorch 1.13: kaiming_uniform_(weight, a=√5), then bias ~ U(−1/√fan_in, 1/√fan_in). */
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  override extra_repr(): string {
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}`;
    if (typeof this.padding === 'string' || this.padding.some((p) => p !== 0)) s += `, padding=${pyRepr(this.padding)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.output_padding.some((v) => v !== 0)) s += `, output_padding=${pyRepr(this.output_padding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.padding_mode !== 'zeros') s += `, padding_mode=${this.padding_mode}`;
    return s;
  }
}

/**
 * nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=true,
 * padding_mode='zeros', device=null, dtype=null): input (N, C_in, L) or (C_in, L).
 */
export class Conv1d extends _ConvNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, ...rest: PyRest<ConvModulePos, ConvModuleOptions>) {
    super('nn.Conv1d', 1, in_channels, out_channels, kernel_size, rest);
  }

  override forward(input: Tensor): Tensor {
    return conv1d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/**
 * nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=true,
 * padding_mode='zeros', device=null, dtype=null): input (N, C_in, H, W) or (C_in, H, W).
 */
export class Conv2d extends _ConvNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, ...rest: PyRest<ConvModulePos, ConvModuleOptions>) {
    super('nn.Conv2d', 2, in_channels, out_channels, kernel_size, rest);
  }

  override forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}
