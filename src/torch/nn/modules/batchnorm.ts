/**
 * nn.BatchNorm1d, nn.BatchNorm2d (PyTorch 1.13 _NormBase / _BatchNorm): weight and bias parameters (affine),
 * running_mean / running_var / num_batches_tracked buffers (track_running_stats; num_batches_tracked is an int32 0-d
 * tensor where torch has int64), momentum (null: cumulative moving average with factor 1/num_batches_tracked),
 * train/eval. state_dict keys and order are PyTorch's.
 */
import { no_grad } from '../../../core/autograd';
import { type DType } from '../../../core/dtype';
import { fail } from '../../../core/errors';
import { pyArgs, type PyRest } from '../../../core/ops/conv';
import { batch_norm } from '../../../core/ops/norm';
import { Tensor } from '../../../core/tensor';
import { Parameter } from '../parameter';
import { factoryDtype, pyFloat, pyRepr } from './conv';
import { Module } from './module';

export interface NormBaseOptions { eps?: number; momentum?: number | null; affine?: boolean; track_running_stats?: boolean; device?: string | null; dtype?: DType | null }
type NormBasePos = [eps: number | undefined, momentum: number | null | undefined, affine: boolean | undefined, track_running_stats: boolean | undefined, device: string | null | undefined, dtype: DType | null | undefined];

/** PyTorch's _NormBase: parameters, running-stat buffers, reset and extra_repr. */
export abstract class _NormBase extends Module {
  declare num_features: number;
  declare eps: number;
  declare momentum: number | null;
  declare affine: boolean;
  declare track_running_stats: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(fn: string, num_features: number, rest: readonly unknown[]) {
    super();
    const o = pyArgs<NormBaseOptions>(fn, ['eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype'], rest);
    if (typeof num_features !== 'number' || !Number.isInteger(num_features) || num_features < 0) fail(fn, 'num_features', 'a non-negative integer', num_features);
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== 'number') fail(fn, 'eps', 'a number', eps);
    const momentum = o.momentum === undefined ? 0.1 : o.momentum;
    if (momentum !== null && typeof momentum !== 'number') fail(fn, 'momentum', 'a number or null', momentum);
    const affine = o.affine ?? true;
    if (typeof affine !== 'boolean') fail(fn, 'affine', 'a boolean', affine);
    const track = o.track_running_stats ?? true;
    if (typeof track !== 'boolean') fail(fn, 'track_running_stats', 'a boolean', track);
    const dtype = factoryDtype(fn, o.device, o.dtype);
    this.num_features = num_features;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.track_running_stats = track;
    if (affine) {
      this.weight = new Parameter(Tensor.empty([num_features], dtype));
      this.bias = new Parameter(Tensor.empty([num_features], dtype));
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    if (track) {
      this.register_buffer('running_mean', Tensor.empty([num_features], dtype));
      this.register_buffer('running_var', Tensor.empty([num_features], dtype).fill_(1));
      this.register_buffer('num_batches_tracked', Tensor.empty([], 'int32'));
    } else {
      this.register_buffer('running_mean', null);
      this.register_buffer('running_var', null);
      this.register_buffer('num_batches_tracked', null);
    }
    this.reset_parameters();
  }

  reset_running_stats(): void {
    if (!this.track_running_stats) return;
    no_grad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
  }

  reset_parameters(): void {
    this.reset_running_stats();
    if (this.affine) {
      no_grad(() => {
        this.weight!.fill_(1);
        this.bias!.zero_();
      });
    }
  }

  /** Subclasses check the input rank (PyTorch's _check_input_dim). */
  protected abstract _check_input_dim(input: Tensor): void;

  /** State dicts without num_batches_tracked (PyTorch's version < 2, or no metadata) load it as 0, as PyTorch does. */
  override _load_from_state_dict(state_dict: Record<string, any>, prefix: string, local_metadata: Record<string, any>, strict: boolean,
    missing_keys: string[], unexpected_keys: string[], error_msgs: string[]): void {
    const key = prefix + 'num_batches_tracked';
    if (this.track_running_stats && !Object.prototype.hasOwnProperty.call(state_dict, key)) state_dict[key] = Tensor.empty([], 'int32');
    super._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs);
  }

  override extra_repr(): string {
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, `
      + `affine=${pyRepr(this.affine)}, track_running_stats=${pyRepr(this.track_running_stats)}`;
  }
}

/** PyTorch's _BatchNorm.forward. */
export abstract class _BatchNorm extends _NormBase {
  override forward(input: Tensor): Tensor {
    this._check_input_dim(input);
    let factor = this.momentum ?? 0.0;
    if (this.training && this.track_running_stats && this.num_batches_tracked !== null) {
      const nbt = this.num_batches_tracked;
      no_grad(() => nbt.add_(1));
      factor = this.momentum === null ? 1.0 / nbt.item() : this.momentum;
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useStats = !this.training || this.track_running_stats;
    return batch_norm(input, useStats ? this.running_mean : null, useStats ? this.running_var : null,
      { weight: this.weight, bias: this.bias, training: bnTraining, momentum: factor, eps: this.eps });
  }
}

/**
 * nn.BatchNorm1d(num_features, eps=1e-5, momentum=0.1, affine=true, track_running_stats=true, device=null,
 * dtype=null): input (N, C) or (N, C, L).
 */
export class BatchNorm1d extends _BatchNorm {
  constructor(num_features: number, ...rest: PyRest<NormBasePos, NormBaseOptions>) {
    super('nn.BatchNorm1d', num_features, rest);
  }

  protected override _check_input_dim(input: Tensor): void {
    if (!(input instanceof Tensor)) fail('nn.BatchNorm1d', 'input', 'a Tensor', input);
    if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`nn.BatchNorm1d: expected 2D or 3D input (got ${input.ndim}D input of shape [${input.shape.join(', ')}])`);
  }
}

/**
 * nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=true, track_running_stats=true, device=null,
 * dtype=null): input (N, C, H, W).
 */
export class BatchNorm2d extends _BatchNorm {
  constructor(num_features: number, ...rest: PyRest<NormBasePos, NormBaseOptions>) {
    super('nn.BatchNorm2d', num_features, rest);
  }

  protected override _check_input_dim(input: Tensor): void {
    if (!(input instanceof Tensor)) fail('nn.BatchNorm2d', 'input', 'a Tensor', input);
    if (input.ndim !== 4) throw new Error(`nn.BatchNorm2d: expected 4D input (got ${input.ndim}D input of shape [${input.shape.join(', ')}])`);
  }
}
