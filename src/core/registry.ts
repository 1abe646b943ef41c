/**
 * The op registry: each differentiable op is defined once, with its forward kernel and its backward rule side by side
 * (and, when accel lands, its ONNX lowering). Tensor methods and torch.* functions are thin wrappers over `op()`.
 */
import { is_grad_enabled, Node, type BackwardFn } from './autograd';
import type { Tensor } from './tensor';

export interface OpDef<A extends Record<string, any>> {
  name: string;
  /** Computes the outputs from the inputs without recording anything. */
  forward(inputs: Tensor[], attrs: A): Tensor | Tensor[];
  /** Gradients w.r.t. each input (null where none) from gradients w.r.t. each output (null where none flowed). */
  backward?: (grads: (Tensor | null)[], node: Node & { attrs: A }) => (Tensor | null)[];
  /** Whether backward reads the outputs (saving them costs nothing but lets in-place changes be detected). */
  savesOutputs?: boolean;
}

const REGISTRY = new Map<string, OpDef<any>>();

export function registered(name: string): OpDef<any> | undefined {
  return REGISTRY.get(name);
}

export function registeredNames(): string[] {
  return [...REGISTRY.keys()];
}

export function defineOp<A extends Record<string, any>>(def: OpDef<A>): OpDef<A> {
  if (REGISTRY.has(def.name)) throw new Error(`defineOp: op ${JSON.stringify(def.name)} is already registered`);
  REGISTRY.set(def.name, def);
  return def;
}

/** Runs an op and, if grad mode is on and an input requires grad, records its node on the outputs. */
export function run<A extends Record<string, any>>(def: OpDef<A>, inputs: Tensor[], attrs: A): Tensor[] {
  const raw = def.forward(inputs, attrs);
  const outs = Array.isArray(raw) ? raw : [raw];
  if (def.backward && is_grad_enabled()) {
    let needs = false;
    for (const t of inputs) if (t.requires_grad) needs = true;
    if (needs) {
      const node = new Node(def.name, inputs, outs.length, def.backward as BackwardFn, attrs);
      if (def.savesOutputs) node.save(outs);
      for (let i = 0; i < outs.length; i++) {
        if (!outs[i].isFloatingPoint()) continue;
        outs[i].grad_fn = node;
        outs[i]._outputNr = i;
        outs[i]._requiresGrad = true;
      }
    }
  }
  return outs;
}

export function op1<A extends Record<string, any>>(def: OpDef<A>, inputs: Tensor[], attrs: A): Tensor {
  return run(def, inputs, attrs)[0];
}
