/**
 * nn.MaxPool1d, nn.MaxPool2d, nn.AvgPool1d, nn.AvgPool2d, nn.AdaptiveAvgPool2d (PyTorch 1.13): constructor arguments
 * as in PyTorch (positional, or a trailing options object with the same names; note the modules take return_indices
 * before ceil_mode, unlike F.max_pool2d), attributes stored as PyTorch stores them and extra_repr as it prints them.
 */
import { fail } from '../../../core/errors';
import { intTuple, pyArgs, type IntOrTuple, type PyRest } from '../../../core/ops/conv';
import { adaptive_avg_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d } from '../../../core/ops/pool';
import type { Tensor } from '../../../core/tensor';
import { pyRepr } from './conv';
import { Module } from './module';

function checkBool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

function checkIntOrTuple(fn: string, arg: string, v: unknown, d: number, min: number): IntOrTuple {
  intTuple(fn, arg, v, d, min); // validates
  return Array.isArray(v) ? v.slice() : (v as number);
}

// ---- max pooling --------------------------------------------------------------------------------------------------------------

export interface MaxPoolModuleOptions<R extends boolean = boolean> {
  stride?: IntOrTuple | null; padding?: IntOrTuple; dilation?: IntOrTuple; return_indices?: R; ceil_mode?: boolean;
}
type MaxPoolModulePos<R extends boolean> = [stride: IntOrTuple | null | undefined, padding: IntOrTuple | undefined, dilation: IntOrTuple | undefined, return_indices: R | undefined, ceil_mode: boolean | undefined];
/** What a max pool module returns: the output, or [output, indices] when built with return_indices: true. */
export type MaxPoolResult<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

/** PyTorch's _MaxPoolNd: kernel_size, stride (= kernel_size when not given), padding, dilation, return_indices, ceil_mode. */
export abstract class _MaxPoolNd<R extends boolean = false> extends Module {
  declare kernel_size: IntOrTuple;
  declare stride: IntOrTuple;
  declare padding: IntOrTuple;
  declare dilation: IntOrTuple;
  declare return_indices: R;
  declare ceil_mode: boolean;

  constructor(fn: string, d: 1 | 2, kernel_size: IntOrTuple, rest: readonly unknown[]) {
    super();
    const o = pyArgs<MaxPoolModuleOptions>(fn, ['stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'], rest);
    this.kernel_size = checkIntOrTuple(fn, 'kernel_size', kernel_size, d, 1);
    this.stride = o.stride === undefined || o.stride === null ? this.kernel_size : checkIntOrTuple(fn, 'stride', o.stride, d, 1);
    this.padding = checkIntOrTuple(fn, 'padding', o.padding ?? 0, d, 0);
    this.dilation = checkIntOrTuple(fn, 'dilation', o.dilation ?? 1, d, 1);
    this.return_indices = checkBool(fn, 'return_indices', o.return_indices ?? false) as R;
    this.ceil_mode = checkBool(fn, 'ceil_mode', o.ceil_mode ?? false);
  }

  override extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, `
      + `dilation=${pyRepr(this.dilation)}, ceil_mode=${pyRepr(this.ceil_mode)}`;
  }
}

/** nn.MaxPool1d(kernel_size, stride=null, padding=0, dilation=1, return_indices=false, ceil_mode=false). */
export class MaxPool1d<R extends boolean = false> extends _MaxPoolNd<R> {
  constructor(kernel_size: IntOrTuple, ...rest: PyRest<MaxPoolModulePos<R>, MaxPoolModuleOptions<R>>) {
    super('nn.MaxPool1d', 1, kernel_size, rest);
  }

  override forward(input: Tensor): MaxPoolResult<R> {
    return max_pool1d(input, this.kernel_size, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, ceil_mode: this.ceil_mode, return_indices: this.return_indices,
    }) as MaxPoolResult<R>;
  }
}

/** nn.MaxPool2d(kernel_size, stride=null, padding=0, dilation=1, return_indices=false, ceil_mode=false). */
export class MaxPool2d<R extends boolean = false> extends _MaxPoolNd<R> {
  constructor(kernel_size: IntOrTuple, ...rest: PyRest<MaxPoolModulePos<R>, MaxPoolModuleOptions<R>>) {
    super('nn.MaxPool2d', 2, kernel_size, rest);
  }

  override forward(input: Tensor): MaxPoolResult<R> {
    return max_pool2d(input, this.kernel_size, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, ceil_mode: this.ceil_mode, return_indices: this.return_indices,
    }) as MaxPoolResult<R>;
  }
}

// ---- average pooling ------------------------------------------------------------------------------------------------------------

export interface AvgPool2dModuleOptions { stride?: IntOrTuple | null; padding?: IntOrTuple; ceil_mode?: boolean; count_include_pad?: boolean; divisor_override?: number | null }
export type AvgPool1dModuleOptions = Omit<AvgPool2dModuleOptions, 'divisor_override'>;
type Avg2Pos = [stride: IntOrTuple | null | undefined, padding: IntOrTuple | undefined, ceil_mode: boolean | undefined, count_include_pad: boolean | undefined, divisor_override: number | null | undefined];
type Avg1Pos = [stride: IntOrTuple | null | undefined, padding: IntOrTuple | undefined, ceil_mode: boolean | undefined, count_include_pad: boolean | undefined];

/** nn.AvgPool1d(kernel_size, stride=null, padding=0, ceil_mode=false, count_include_pad=true): stores 1-tuples, as PyTorch. */
export class AvgPool1d extends Module {
  declare kernel_size: number[];
  declare stride: number[];
  declare padding: number[];
  declare ceil_mode: boolean;
  declare count_include_pad: boolean;

  constructor(kernel_size: IntOrTuple, ...rest: PyRest<Avg1Pos, AvgPool1dModuleOptions>) {
    super();
    const fn = 'nn.AvgPool1d';
    const o = pyArgs<AvgPool1dModuleOptions>(fn, ['stride', 'padding', 'ceil_mode', 'count_include_pad'], rest);
    this.kernel_size = intTuple(fn, 'kernel_size', kernel_size, 1, 1);
    this.stride = o.stride === undefined || o.stride === null ? this.kernel_size.slice() : intTuple(fn, 'stride', o.stride, 1, 1);
    this.padding = intTuple(fn, 'padding', o.padding ?? 0, 1, 0);
    this.ceil_mode = checkBool(fn, 'ceil_mode', o.ceil_mode ?? false);
    this.count_include_pad = checkBool(fn, 'count_include_pad', o.count_include_pad ?? true);
  }

  override forward(input: Tensor): Tensor {
    return avg_pool1d(input, this.kernel_size, { stride: this.stride, padding: this.padding, ceil_mode: this.ceil_mode, count_include_pad: this.count_include_pad });
  }

  override extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

/** nn.AvgPool2d(kernel_size, stride=null, padding=0, ceil_mode=false, count_include_pad=true, divisor_override=null). */
export class AvgPool2d extends Module {
  declare kernel_size: IntOrTuple;
  declare stride: IntOrTuple;
  declare padding: IntOrTuple;
  declare ceil_mode: boolean;
  declare count_include_pad: boolean;
  declare divisor_override: number | null;

  constructor(kernel_size: IntOrTuple, ...rest: PyRest<Avg2Pos, AvgPool2dModuleOptions>) {
    super();
    const fn = 'nn.AvgPool2d';
    const o = pyArgs<AvgPool2dModuleOptions>(fn, ['stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'], rest);
    this.kernel_size = checkIntOrTuple(fn, 'kernel_size', kernel_size, 2, 1);
    this.stride = o.stride === undefined || o.stride === null ? this.kernel_size : checkIntOrTuple(fn, 'stride', o.stride, 2, 1);
    this.padding = checkIntOrTuple(fn, 'padding', o.padding ?? 0, 2, 0);
    this.ceil_mode = checkBool(fn, 'ceil_mode', o.ceil_mode ?? false);
    this.count_include_pad = checkBool(fn, 'count_include_pad', o.count_include_pad ?? true);
    const div = o.divisor_override ?? null;
    if (div !== null && (typeof div !== 'number' || !Number.isInteger(div) || div === 0)) fail(fn, 'divisor_override', 'a non-zero integer or null', div);
    this.divisor_override = div;
  }

  override forward(input: Tensor): Tensor {
    return avg_pool2d(input, this.kernel_size, {
      stride: this.stride, padding: this.padding, ceil_mode: this.ceil_mode, count_include_pad: this.count_include_pad, divisor_override: this.divisor_override,
    });
  }

  override extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}

// ---- adaptive average pooling ------------------------------------------------------------------------------------------------------

/** nn.AdaptiveAvgPool2d(output_size): an int or [H, W], null keeping that input size. */
export class AdaptiveAvgPool2d extends Module {
  declare output_size: number | (number | null)[];

  constructor(output_size: number | (number | null)[]) {
    super();
    const ok = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
    if (!(typeof output_size === 'number' ? ok(output_size) : Array.isArray(output_size) && output_size.length === 2 && output_size.every(ok))) {
      fail('nn.AdaptiveAvgPool2d', 'output_size', 'a non-negative int or a pair of non-negative ints (or null)', output_size);
    }
    this.output_size = Array.isArray(output_size) ? output_size.slice() : output_size;
  }

  override forward(input: Tensor): Tensor {
    return adaptive_avg_pool2d(input, this.output_size);
  }

  override extra_repr(): string {
    return `output_size=${pyRepr(this.output_size)}`;
  }
}
