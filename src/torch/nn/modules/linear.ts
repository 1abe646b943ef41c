/** nn.Identity, nn.Linear, nn.Bilinear (PyTorch 1.13), with PyTorch's default initialisation and RNG consumption. */
import { type DType, isDType, isFloating } from '../../../core/dtype';
import { checkInt, fail } from '../../../core/errors';
import { Tensor } from '../../../core/tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module, pyArgs, type PyRest } from './module';

export interface FactoryOptions { device?: string; dtype?: DType }

/** The dtype of device/dtype factory kwargs (device must be 'cpu'). */
export function factoryDtype(fn: string, o: { device?: unknown; dtype?: unknown }): DType {
  if (o.device !== undefined && o.device !== null && o.device !== 'cpu') fail(fn, 'device', "'cpu' (spikeport runs on the CPU)", o.device);
  if (o.dtype === undefined || o.dtype === null) return 'float32';
  if (!isDType(o.dtype) || !isFloating(o.dtype)) fail(fn, 'dtype', 'a floating point dtype', o.dtype);
  return o.dtype;
}

/** nn.Identity(...args): returns its input (constructor arguments are accepted and ignored, as PyTorch). */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: any): any {
    return input;
  }
}

/**
 * nn.Linear(in_features, out_features, bias=true, { device, dtype }): y = x Wᵀ + b with W (out, in).
 * Initialised as PyTorch: kaiming_uniform_(W, a=√5), then b ~ U(−1/√fan_in, 1/√fan_in).
 */
export class Linear extends Module {
  in_features: number;
  out_features: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(in_features: number, out_features: number, ...rest: PyRest<[bias: boolean | undefined], { bias?: boolean } & FactoryOptions>) {
    super();
    const fn = 'nn.Linear';
    const o = pyArgs(fn, ['bias', 'device', 'dtype'], rest);
    checkInt(fn, 'in_features', in_features, 0);
    checkInt(fn, 'out_features', out_features, 0);
    const dtype = factoryDtype(fn, o);
    this.in_features = in_features;
    this.out_features = out_features;
    this.weight = new Parameter(Tensor.empty([out_features, in_features], dtype));
    if (o.bias ?? true) this.bias = new Parameter(Tensor.empty([out_features], dtype));
    else {
      this.bias = null;
      this.register_parameter('bias', null);
    }
    this.reset_parameters();
  }

  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/**
 * nn.Bilinear(in1_features, in2_features, out_features, bias=true): y = x1ᵀ W x2 + b with W (out, in1, in2);
 * weight and bias ~ U(−1/√in1, 1/√in1).
 */
export class Bilinear extends Module {
  in1_features: number;
  in2_features: number;
  out_features: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(in1_features: number, in2_features: number, out_features: number, ...rest: PyRest<[bias: boolean | undefined], { bias?: boolean } & FactoryOptions>) {
    super();
    const fn = 'nn.Bilinear';
    const o = pyArgs(fn, ['bias', 'device', 'dtype'], rest);
    for (const [k, v] of [['in1_features', in1_features], ['in2_features', in2_features], ['out_features', out_features]] as const) checkInt(fn, k, v, 0);
    const dtype = factoryDtype(fn, o);
    this.in1_features = in1_features;
    this.in2_features = in2_features;
    this.out_features = out_features;
    this.weight = new Parameter(Tensor.empty([out_features, in1_features, in2_features], dtype));
    if (o.bias ?? true) this.bias = new Parameter(Tensor.empty([out_features], dtype));
    else {
      this.bias = null;
      this.register_parameter('bias', null);
    }
    this.reset_parameters();
  }

  reset_parameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias !== null) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return F.bilinear(input1, input2, this.weight, this.bias);
  }

  override extra_repr(): string {
    return `in1_features=${this.in1_features}, in2_features=${this.in2_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}
