/** nn.Flatten and nn.Unflatten (PyTorch 1.13). */
import { checkInt, fail } from '../../../core/errors';
import { Tensor } from '../../../core/tensor';
import { Module, pyArgs, pyTuple, type PyRest } from './module';

/** nn.Flatten(start_dim=1, end_dim=-1). */
export class Flatten extends Module {
  start_dim: number;
  end_dim: number;

  constructor(...rest: PyRest<[start_dim: number | undefined, end_dim: number | undefined], { start_dim?: number; end_dim?: number }>) {
    super();
    const o = pyArgs('nn.Flatten', ['start_dim', 'end_dim'], rest);
    this.start_dim = checkInt('nn.Flatten', 'start_dim', o.start_dim ?? 1);
    this.end_dim = checkInt('nn.Flatten', 'end_dim', o.end_dim ?? -1);
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.start_dim, this.end_dim);
  }

  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}

/** nn.Unflatten(dim, unflattened_size): dim is an integer (named tensors are not supported). */
export class Unflatten extends Module {
  dim: number;
  unflattened_size: number[];

  constructor(dim: number, unflattened_size: number[]) {
    super();
    checkInt('nn.Unflatten', 'dim', dim);
    if (!Array.isArray(unflattened_size) || !unflattened_size.every((v) => Number.isInteger(v))) {
      fail('nn.Unflatten', 'unflattened_size', 'an array of integers', unflattened_size);
    }
    this.dim = dim;
    this.unflattened_size = unflattened_size.slice();
  }

  override forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattened_size);
  }

  override extra_repr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattened_size)}`;
  }
}
