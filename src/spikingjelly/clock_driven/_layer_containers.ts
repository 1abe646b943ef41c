/**
 * The containers of spikingjelly.clock_driven.layer (0.0.0.0.8): MultiStepContainer, SeqToANNContainer and the
 * recurrent ElementWiseRecurrentContainer, LinearRecurrentContainer. Re-exported by layer.ts.
 */
import { torch, nn } from '../../index';
import { fail } from '../../torch/utils/checks';
import { pyArgs, type PyRest } from '../../torch/nn/modules/module';
import { MemoryModule } from './base';
import { type Tensor, type Callable1, posInt, bool, tensorArg, callableArg, call1 } from './_layer_args';

// ---- containers ---------------------------------------------------------------------------------------------------------

/** MultiStepContainer(...modules): runs a Sequential of single-step modules over a [T, N, …] sequence, step by step. */
export class MultiStepContainer extends nn.Sequential {
  constructor(...args: (nn.Module | Map<string, nn.Module> | Record<string, nn.Module>)[]) {
    super(...args);
  }

  override forward(x_seq: Tensor): Tensor {
    tensorArg('MultiStepContainer.forward', 'x_seq', x_seq);
    if (x_seq.ndim < 1) fail('MultiStepContainer.forward', 'x_seq', 'a [T, batch_size, ...] sequence', x_seq);
    const y_seq: Tensor[] = [];
    for (let t = 0; t < x_seq.shape[0]; t++) y_seq.push(super.forward(x_seq.index(t)) as Tensor);
    for (let t = 0; t < y_seq.length; t++) y_seq[t] = y_seq[t].unsqueeze(0);
    return torch.cat(y_seq, 0);
  }
}

/** SeqToANNContainer(...modules): runs stateless modules once on a [T, N, …] sequence flattened to [T·N, …]. */
export class SeqToANNContainer extends nn.Sequential {
  constructor(...args: (nn.Module | Map<string, nn.Module> | Record<string, nn.Module>)[]) {
    super(...args);
  }

  override forward(x_seq: Tensor): Tensor {
    tensorArg('SeqToANNContainer.forward', 'x_seq', x_seq);
    if (x_seq.ndim < 2) fail('SeqToANNContainer.forward', 'x_seq', 'a [T, batch_size, ...] sequence', x_seq);
    const y_shape = [x_seq.shape[0], x_seq.shape[1]];
    const y_seq = super.forward(x_seq.flatten(0, 1)) as Tensor;
    y_shape.push(...y_seq.shape.slice(1));
    return y_seq.view(y_shape);
  }
}

// ---- recurrent containers -----------------------------------------------------------------------------------------------

/** The element-wise function of ElementWiseRecurrentContainer, called f(y[t-1], x[t]). */
export type ElementWiseFunction = (y: Tensor, x: Tensor) => Tensor;

/**
 * ElementWiseRecurrentContainer(sub_module, element_wise_function): y[t] = sub_module(f(y[t-1], x[t])), y[-1] = 0
 * (memory y, reset value null). QUIRK: f receives the previous output first, as 0.0.0.0.8 calls it. extra_repr prints
 * the function as `<function name>` (Python adds its memory address).
 */
export class ElementWiseRecurrentContainer extends MemoryModule {
  declare y: Tensor | null;
  sub_module: Callable1;
  element_wise_function: ElementWiseFunction;

  constructor(sub_module: Callable1, element_wise_function: ElementWiseFunction) {
    super();
    const fn = 'layer.ElementWiseRecurrentContainer';
    this.sub_module = callableArg(fn, 'sub_module', sub_module);
    if (typeof element_wise_function !== 'function') fail(fn, 'element_wise_function', 'a function (y, x) => Tensor', element_wise_function);
    this.element_wise_function = element_wise_function;
    this.register_memory('y', null);
  }

  override forward(x: Tensor): Tensor {
    tensorArg('ElementWiseRecurrentContainer.forward', 'x', x);
    if (this.y === null) this.y = torch.zeros_like(x.data);
    this.y = call1(this.sub_module, this.element_wise_function(this.y as Tensor, x));
    return this.y as Tensor;
  }

  override extra_repr(): string {
    return `element-wise function=<function ${this.element_wise_function.name || '<lambda>'}>`;
  }
}

/**
 * LinearRecurrentContainer(sub_module, in_features, out_features, bias = true): i[t] = rc(cat(x[t], y[t-1])),
 * y[t] = sub_module(i[t]), y[-1] = 0 (memory y, reset value null), with rc = Linear(in_features + out_features,
 * in_features, bias). x[t]: [N, *, in_features]; y[t]: [N, *, out_features].
 */
export class LinearRecurrentContainer extends MemoryModule {
  declare y: Tensor | null;
  sub_module_out_features: number;
  rc: nn.Linear;
  sub_module: Callable1;

  constructor(sub_module: Callable1, in_features: number, out_features: number,
    ...rest: PyRest<[bias: boolean | undefined], { bias?: boolean }>) {
    super();
    const fn = 'layer.LinearRecurrentContainer';
    const o = pyArgs<{ bias?: boolean }>(fn, ['bias'], rest);
    posInt(fn, 'in_features', in_features);
    posInt(fn, 'out_features', out_features);
    const bias = bool(fn, 'bias', o.bias ?? true);
    callableArg(fn, 'sub_module', sub_module);
    this.sub_module_out_features = out_features;
    this.rc = new nn.Linear(in_features + out_features, in_features, bias);
    this.sub_module = sub_module;
    this.register_memory('y', null);
  }

  override forward(x: Tensor): Tensor {
    const fn = 'LinearRecurrentContainer.forward';
    tensorArg(fn, 'x', x);
    if (x.ndim < 2) {
      // 0.0.0.0.8: torch.cat fails ("Tensors must have same number of dimensions: got 1 and 2")
      throw new Error(`${fn}: x must have shape [N, *, in_features] (at least 2 dimensions), got shape [${x.shape.join(', ')}]`);
    }
    if (this.y === null) {
      if (x.ndim === 2) {
        this.y = torch.zeros([x.shape[0], this.sub_module_out_features], { dtype: x.dtype });
      } else {
        const out_shape = [x.shape[0], ...x.shape.slice(1, -1), this.sub_module_out_features];
        this.y = torch.zeros(out_shape, { dtype: x.dtype });
      }
    }
    const xy = torch.cat([x, this.y as Tensor], -1);
    this.y = call1(this.sub_module, this.rc.call(xy) as Tensor);
    return this.y as Tensor;
  }
}
