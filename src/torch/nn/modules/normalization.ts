/**
 * nn.LayerNorm, nn.GroupNorm (PyTorch 1.13): weight initialised to ones and bias to zeros, extra_repr as PyTorch prints it.
 */
import { no_grad } from '../../../core/autograd';
import { type DType } from '../../../core/dtype';
import { fail } from '../../../core/errors';
import { pyArgs, type PyRest } from '../../../core/ops/conv';
import { group_norm, layer_norm } from '../../../core/ops/norm';
import { Tensor } from '../../../core/tensor';
import { Parameter } from '../parameter';
import { factoryDtype, pyFloat, pyRepr } from './conv';
import { Module } from './module';

export interface LayerNormModuleOptions { eps?: number; elementwise_affine?: boolean; device?: string | null; dtype?: DType | null }
type LNPos = [eps: number | undefined, elementwise_affine: boolean | undefined, device: string | null | undefined, dtype: DType | null | undefined];

/**
 * nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=true, device=null, dtype=null): normalises over the
 * trailing normalized_shape dims (an int or a list), stored as a tuple.
 */
export class LayerNorm extends Module {
  declare normalized_shape: number[];
  declare eps: number;
  declare elementwise_affine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;

  constructor(normalized_shape: number | number[], ...rest: PyRest<LNPos, LayerNormModuleOptions>) {
    super();
    const fn = 'nn.LayerNorm';
    const o = pyArgs<LayerNormModuleOptions>(fn, ['eps', 'elementwise_affine', 'device', 'dtype'], rest);
    const shape = typeof normalized_shape === 'number' ? [normalized_shape] : normalized_shape;
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
      fail(fn, 'normalized_shape', 'an int or a list of non-negative ints', normalized_shape);
    }
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== 'number') fail(fn, 'eps', 'a number', eps);
    const affine = o.elementwise_affine ?? true;
    if (typeof affine !== 'boolean') fail(fn, 'elementwise_affine', 'a boolean', affine);
    const dtype = factoryDtype(fn, o.device, o.dtype);
    this.normalized_shape = shape.slice();
    this.eps = eps;
    this.elementwise_affine = affine;
    if (affine) {
      this.weight = new Parameter(Tensor.empty(shape, dtype));
      this.bias = new Parameter(Tensor.empty(shape, dtype));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    this.reset_parameters();
  }

  reset_parameters(): void {
    if (!this.elementwise_affine) return;
    no_grad(() => {
      this.weight!.fill_(1);
      this.bias!.zero_();
    });
  }

  override forward(input: Tensor): Tensor {
    return layer_norm(input, this.normalized_shape, this.weight, this.bias, this.eps);
  }

  override extra_repr(): string {
    return `${pyRepr(this.normalized_shape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyRepr(this.elementwise_affine)}`;
  }
}

export interface GroupNormModuleOptions { eps?: number; affine?: boolean; device?: string | null; dtype?: DType | null }
type GNPos = [eps: number | undefined, affine: boolean | undefined, device: string | null | undefined, dtype: DType | null | undefined];

/** nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=true, device=null, dtype=null): input (N, C, *). */
export class GroupNorm extends Module {
  declare num_groups: number;
  declare num_channels: number;
  declare eps: number;
  declare affine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;

  constructor(num_groups: number, num_channels: number, ...rest: PyRest<GNPos, GroupNormModuleOptions>) {
    super();
    const fn = 'nn.GroupNorm';
    const o = pyArgs<GroupNormModuleOptions>(fn, ['eps', 'affine', 'device', 'dtype'], rest);
    if (typeof num_groups !== 'number' || !Number.isInteger(num_groups) || num_groups < 1) fail(fn, 'num_groups', 'a positive integer', num_groups);
    if (typeof num_channels !== 'number' || !Number.isInteger(num_channels) || num_channels < 0) fail(fn, 'num_channels', 'a non-negative integer', num_channels);
    if (num_channels % num_groups !== 0) throw new Error(`${fn}: num_channels must be divisible by num_groups, got num_channels=${num_channels}, num_groups=${num_groups}`);
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== 'number') fail(fn, 'eps', 'a number', eps);
    const affine = o.affine ?? true;
    if (typeof affine !== 'boolean') fail(fn, 'affine', 'a boolean', affine);
    const dtype = factoryDtype(fn, o.device, o.dtype);
    this.num_groups = num_groups;
    this.num_channels = num_channels;
    this.eps = eps;
    this.affine = affine;
    if (affine) {
      this.weight = new Parameter(Tensor.empty([num_channels], dtype));
      this.bias = new Parameter(Tensor.empty([num_channels], dtype));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    this.reset_parameters();
  }

  reset_parameters(): void {
    if (!this.affine) return;
    no_grad(() => {
      this.weight!.fill_(1);
      this.bias!.zero_();
    });
  }

  override forward(input: Tensor): Tensor {
    return group_norm(input, this.num_groups, this.weight, this.bias, this.eps);
  }

  override extra_repr(): string {
    return `${this.num_groups}, ${this.num_channels}, eps=${pyFloat(this.eps)}, affine=${pyRepr(this.affine)}`;
  }
}
