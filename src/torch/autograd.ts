/** torch.autograd: grad, backward, Function (custom ops), gradcheck, and the grad-mode switches. */
import { runBackward } from '../core/autograd';
import { checkOptions, fail } from '../core/errors';
import { accumulateGrad, onesLike } from '../core/ops/elementwise';
import { Tensor } from '../core/tensor';

export { Function, FunctionCtx } from '../core/function';
export { gradcheck, type GradcheckOptions } from '../core/gradcheck';
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled } from '../core/autograd';

interface GradOptions { retain_graph?: boolean; create_graph?: boolean; allow_unused?: boolean }

function tensors(fn: string, arg: string, x: Tensor | Tensor[]): Tensor[] {
  const list = Array.isArray(x) ? x : [x];
  list.forEach((t, i) => { if (!(t instanceof Tensor)) fail(fn, `${arg}[${i}]`, 'a Tensor', t); });
  return list;
}

function defaultGrads(fn: string, outs: Tensor[], grads: Tensor | (Tensor | null)[] | null | undefined): Tensor[] {
  const list = grads === null || grads === undefined ? outs.map(() => null) : Array.isArray(grads) ? grads : [grads];
  if (list.length !== outs.length) throw new Error(`${fn}: got ${list.length} grad_outputs for ${outs.length} outputs`);
  return outs.map((o, i) => {
    const g = list[i];
    if (g) {
      if (!(g instanceof Tensor)) fail(fn, `grad_outputs[${i}]`, 'a Tensor or null', g);
      if (g.shape.join() !== o.shape.join()) throw new Error(`${fn}: grad_outputs[${i}] has shape [${g.shape}], but output ${i} has shape [${o.shape}]`);
      return g;
    }
    if (o.numel() !== 1) throw new Error(`${fn}: grad can be implicitly created only for scalar outputs; output ${i} has shape [${o.shape}]`);
    return onesLike(o);
  });
}

/** torch.autograd.grad(outputs, inputs, grad_outputs?, {retain_graph, create_graph, allow_unused}): gradients without touching `.grad`. */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], grad_outputs?: Tensor | (Tensor | null)[] | null, options?: GradOptions): (Tensor | null)[] {
  const o = checkOptions('torch.autograd.grad', options, ['retain_graph', 'create_graph', 'allow_unused']);
  const outs = tensors('torch.autograd.grad', 'outputs', outputs);
  const ins = tensors('torch.autograd.grad', 'inputs', inputs);
  for (const [i, t] of ins.entries()) if (!t.requires_grad) throw new Error(`torch.autograd.grad: input ${i} does not require grad`);
  const create = o.create_graph ?? false;
  return runBackward(outs, defaultGrads('torch.autograd.grad', outs, grad_outputs), {
    retain_graph: o.retain_graph ?? create, create_graph: create, inputs: ins, allow_unused: o.allow_unused ?? false,
  }, accumulateGrad);
}

/** torch.autograd.backward(tensors, grad_tensors?, {retain_graph, create_graph}). */
export function backward(outputs: Tensor | Tensor[], grad_tensors?: Tensor | (Tensor | null)[] | null, options?: { retain_graph?: boolean; create_graph?: boolean }): void {
  const o = checkOptions('torch.autograd.backward', options, ['retain_graph', 'create_graph']);
  const outs = tensors('torch.autograd.backward', 'tensors', outputs);
  const create = o.create_graph ?? false;
  runBackward(outs, defaultGrads('torch.autograd.backward', outs, grad_tensors), { retain_graph: o.retain_graph ?? create, create_graph: create }, accumulateGrad);
}
