/**
 * torch.nn.Parameter: a Tensor that a Module registers as a parameter when it is assigned to one of its properties.
 * `new nn.Parameter(t)` shares `t`'s storage (and version counter), is a leaf, and requires grad unless told otherwise.
 */
import { isFloating } from '../../core/dtype';
import { checkOptions, fail } from '../../core/errors';
import { Tensor } from '../../core/tensor';

export class Parameter extends Tensor {
  /**
   * Parameter(data?, requires_grad = true): `data` defaults to an empty float32 tensor of shape [0], as in PyTorch.
   * requires_grad may be given positionally or as `{ requires_grad }`.
   */
  constructor(data?: Tensor | null, requires_grad: boolean | { requires_grad?: boolean } = true) {
    const src = data ?? Tensor.empty([0], 'float32');
    if (!(src instanceof Tensor)) fail('nn.Parameter', 'data', 'a Tensor or null', data);
    super(src.buffer, src.shape.slice(), src._stride.slice(), src.offset, src.dtype, src._version);
    let rg: boolean;
    if (typeof requires_grad === 'object' && requires_grad !== null) {
      rg = checkOptions('nn.Parameter', requires_grad, ['requires_grad']).requires_grad ?? true;
    } else rg = requires_grad as boolean;
    if (typeof rg !== 'boolean') fail('nn.Parameter', 'requires_grad', 'a boolean', rg);
    if (rg && !isFloating(src.dtype)) {
      throw new Error(`nn.Parameter: only Tensors of floating point dtype can require gradients, got ${src.dtype}`);
    }
    this._requiresGrad = rg;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

export function isParameter(x: unknown): x is Parameter {
  return x instanceof Parameter;
}
