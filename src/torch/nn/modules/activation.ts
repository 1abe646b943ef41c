/** Activation modules (PyTorch 1.13): ReLU, ReLU6, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Hardtanh, Softmax, LogSoftmax. */
import { checkInt, fail } from '../../../core/errors';
import { Tensor } from '../../../core/tensor';
import * as F from '../functional';
import { Module, pyArgs, pyFloat, pyNumber, type PyRest } from './module';

type InplaceRest = PyRest<[inplace: boolean | undefined], { inplace?: boolean }>;

function inplaceArg(fn: string, rest: readonly unknown[]): boolean {
  const o = pyArgs(fn, ['inplace'], rest);
  const v = o.inplace ?? false;
  if (typeof v !== 'boolean') fail(fn, 'inplace', 'a boolean', v);
  return v;
}

/** nn.ReLU(inplace=false). */
export class ReLU extends Module {
  inplace: boolean;
  constructor(...rest: InplaceRest) {
    super();
    this.inplace = inplaceArg('nn.ReLU', rest);
  }
  override forward(input: Tensor): Tensor { return F.relu(input, this.inplace); }
  override extra_repr(): string { return this.inplace ? 'inplace=True' : ''; }
}

/** nn.LeakyReLU(negative_slope=0.01, inplace=false). */
export class LeakyReLU extends Module {
  negative_slope: number;
  inplace: boolean;
  constructor(...rest: PyRest<[negative_slope: number | undefined, inplace: boolean | undefined], { negative_slope?: number; inplace?: boolean }>) {
    super();
    const o = pyArgs('nn.LeakyReLU', ['negative_slope', 'inplace'], rest);
    this.negative_slope = o.negative_slope ?? 0.01;
    this.inplace = o.inplace ?? false;
  }
  override forward(input: Tensor): Tensor { return F.leaky_relu(input, this.negative_slope, this.inplace); }
  override extra_repr(): string { return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.ELU(alpha=1.0, inplace=false). */
export class ELU extends Module {
  alpha: number;
  inplace: boolean;
  constructor(...rest: PyRest<[alpha: number | undefined, inplace: boolean | undefined], { alpha?: number; inplace?: boolean }>) {
    super();
    const o = pyArgs('nn.ELU', ['alpha', 'inplace'], rest);
    this.alpha = o.alpha ?? 1.0;
    this.inplace = o.inplace ?? false;
  }
  override forward(input: Tensor): Tensor { return F.elu(input, this.alpha, this.inplace); }
  override extra_repr(): string { return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.GELU(approximate='none' | 'tanh'). */
export class GELU extends Module {
  approximate: 'none' | 'tanh';
  constructor(...rest: PyRest<[approximate: 'none' | 'tanh' | undefined], { approximate?: 'none' | 'tanh' }>) {
    super();
    const o = pyArgs('nn.GELU', ['approximate'], rest);
    this.approximate = o.approximate ?? 'none';
    if (this.approximate !== 'none' && this.approximate !== 'tanh') fail('nn.GELU', 'approximate', "'none' or 'tanh'", this.approximate);
  }
  override forward(input: Tensor): Tensor { return F.gelu(input, { approximate: this.approximate }); }
  override extra_repr(): string { return `approximate='${this.approximate}'`; }
}

/** nn.SiLU(inplace=false): x·sigmoid(x). */
export class SiLU extends Module {
  inplace: boolean;
  constructor(...rest: InplaceRest) {
    super();
    this.inplace = inplaceArg('nn.SiLU', rest);
  }
  override forward(input: Tensor): Tensor { return F.silu(input, this.inplace); }
  override extra_repr(): string { return this.inplace ? 'inplace=True' : ''; }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor { return F.sigmoid(input); }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor { return F.tanh(input); }
}

/** nn.Softplus(beta=1, threshold=20). */
export class Softplus extends Module {
  beta: number;
  threshold: number;
  constructor(...rest: PyRest<[beta: number | undefined, threshold: number | undefined], { beta?: number; threshold?: number }>) {
    super();
    const o = pyArgs('nn.Softplus', ['beta', 'threshold'], rest);
    this.beta = o.beta ?? 1;
    this.threshold = o.threshold ?? 20;
  }
  override forward(input: Tensor): Tensor { return F.softplus(input, this.beta, this.threshold); }
  override extra_repr(): string { return `beta=${pyNumber(this.beta)}, threshold=${pyNumber(this.threshold)}`; }
}

/** nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=false). */
export class Hardtanh extends Module {
  min_val: number;
  max_val: number;
  inplace: boolean;
  constructor(...rest: PyRest<[min_val: number | undefined, max_val: number | undefined, inplace: boolean | undefined], { min_val?: number; max_val?: number; inplace?: boolean }>) {
    super();
    const o = pyArgs(new.target === Hardtanh ? 'nn.Hardtanh' : `nn.${new.target.name}`, ['min_val', 'max_val', 'inplace'], rest);
    this.min_val = o.min_val ?? -1.0;
    this.max_val = o.max_val ?? 1.0;
    this.inplace = o.inplace ?? false;
    if (this.max_val <= this.min_val) throw new Error(`nn.Hardtanh: max_val (${this.max_val}) must be greater than min_val (${this.min_val})`);
  }
  override forward(input: Tensor): Tensor { return F.hardtanh(input, this.min_val, this.max_val, this.inplace); }
  override extra_repr(): string { return `min_val=${pyFloat(this.min_val)}, max_val=${pyFloat(this.max_val)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.ReLU6(inplace=false) = Hardtanh(0, 6). */
export class ReLU6 extends Hardtanh {
  constructor(...rest: InplaceRest) {
    super(0, 6, inplaceArg('nn.ReLU6', rest));
  }
  override extra_repr(): string { return this.inplace ? 'inplace=True' : ''; }
}

/** nn.Softmax(dim=None). */
export class Softmax extends Module {
  dim: number | null;
  constructor(...rest: PyRest<[dim: number | null | undefined], { dim?: number | null }>) {
    super();
    const o = pyArgs('nn.Softmax', ['dim'], rest);
    this.dim = o.dim ?? null;
    if (this.dim !== null) checkInt('nn.Softmax', 'dim', this.dim);
  }
  override forward(input: Tensor): Tensor { return F.softmax(input, this.dim); }
  override extra_repr(): string { return `dim=${this.dim === null ? 'None' : this.dim}`; }
}

/** nn.LogSoftmax(dim=None). */
export class LogSoftmax extends Module {
  dim: number | null;
  constructor(...rest: PyRest<[dim: number | null | undefined], { dim?: number | null }>) {
    super();
    const o = pyArgs('nn.LogSoftmax', ['dim'], rest);
    this.dim = o.dim ?? null;
    if (this.dim !== null) checkInt('nn.LogSoftmax', 'dim', this.dim);
  }
  override forward(input: Tensor): Tensor { return F.log_softmax(input, this.dim); }
  override extra_repr(): string { return `dim=${this.dim === null ? 'None' : this.dim}`; }
}
