/**
 * Define-by-run reverse mode. Every differentiable op that sees an input requiring grad (with grad mode on)
 * records a Node; backward() walks the nodes in reverse topological order once, accumulating into `.grad`.
 */
import type { DType } from './dtype';
import type { Tensor } from './tensor';

let gradEnabled = true;

export function is_grad_enabled(): boolean {
  return gradEnabled;
}

export function set_grad_enabled(mode: boolean): void {
  gradEnabled = mode;
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new Error(`torch.${mode ? 'enable_grad' : 'no_grad'}: fn must be a function, got ${typeof fn}`);
  const prev = gradEnabled;
  gradEnabled = mode;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** `with torch.no_grad(): …` is `torch.no_grad(() => { … })`; returns what fn returns. */
export const no_grad = <T>(fn: () => T): T => withGradMode(false, fn);
export const enable_grad = <T>(fn: () => T): T => withGradMode(true, fn);

/** Where a gradient flowing out of a node goes: another node's output, or a leaf tensor's `.grad`. */
export type Edge = { node: Node; nr: number } | { leaf: Tensor } | null;

export type BackwardFn = (grads: (Tensor | null)[], node: Node) => (Tensor | null)[];

export class Node {
  readonly name: string;
  readonly next: Edge[];
  readonly numOutputs: number;
  /** Op attributes the backward rule reads. */
  readonly attrs: Record<string, any>;
  /** Input shapes and dtypes, readable after in-place changes (no version check needed). */
  readonly inputShapes: (readonly number[])[];
  readonly inputDtypes: DType[];
  released = false;
  /** Non-leaf outputs whose `.grad` is kept (Tensor.retain_grad). */
  retained: Map<number, Tensor> | null = null;
  private backwardFn: BackwardFn | null;
  private saved: Tensor[] = [];
  private savedVersions: number[] = [];
  private nIn: number;

  /** Nodes created so far (a step scope recycles its temporaries only when its step recorded no graph). */
  static created = 0;

  constructor(name: string, inputs: readonly Tensor[], numOutputs: number, backward: BackwardFn, attrs: Record<string, any>) {
    Node.created++;
    this.name = name;
    this.numOutputs = numOutputs;
    this.backwardFn = backward;
    this.attrs = attrs;
    this.nIn = inputs.length;
    this.inputShapes = inputs.map((t) => t.shape);
    this.inputDtypes = inputs.map((t) => t.dtype);
    this.next = inputs.map((t) => {
      if (!t.requires_grad) return null;
      return t.grad_fn ? { node: t.grad_fn, nr: t._outputNr } : { leaf: t };
    });
    this.save(inputs);
  }

  /** Saves tensors for backward together with their versions; inputs first, then outputs (see op()). */
  save(ts: readonly Tensor[]): void {
    for (const t of ts) {
      this.saved.push(t);
      this.savedVersions.push(t._version.v);
    }
  }

  /** The i-th input as the op saw it; raises if it was modified in place since (PyTorch's version counter). */
  input(i: number): Tensor {
    return this.savedTensor(i);
  }

  output(i: number): Tensor {
    return this.savedTensor(this.nIn + i);
  }

  private savedTensor(i: number): Tensor {
    if (this.released) throw new Error(`${this.name}: its saved tensors were freed after backward; pass { retain_graph: true } to backward the graph a second time`);
    const t = this.saved[i];
    if (t._version.v !== this.savedVersions[i]) {
      throw new Error(`backward of ${this.name}: one of the tensors needed for gradient computation has been modified by an in-place operation (version ${t._version.v}, expected ${this.savedVersions[i]})`);
    }
    return t;
  }

  apply(grads: (Tensor | null)[]): (Tensor | null)[] {
    if (this.released || this.backwardFn === null) {
      throw new Error(`Trying to backward through the graph a second time (node ${this.name}): its saved tensors were freed after the first backward; pass { retain_graph: true } to the first backward`);
    }
    return this.backwardFn(grads, this);
  }

  release(): void {
    this.released = true;
    this.backwardFn = null;
    this.saved = [];
  }
}

/** Reverse topological order of the nodes reachable from `roots` (each node after every node that feeds gradient into it). */
function topoOrder(roots: Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, number][] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < node.next.length) {
        top[1]++;
        const e = node.next[i];
        if (e && 'node' in e && !seen.has(e.node)) {
          seen.add(e.node);
          stack.push([e.node, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

export interface RunBackwardOptions {
  retain_graph: boolean;
  create_graph: boolean;
  /** For autograd.grad: collect the gradients of these tensors instead of accumulating into leaves' `.grad`. */
  inputs?: Tensor[];
  allow_unused?: boolean;
}

type Accumulate = (a: Tensor, b: Tensor) => Tensor;

/** A `.grad` gets storage of its own: the incoming gradient may be shared with other leaves or be a view (as PyTorch never lets two leaves share a grad buffer). */
export function ownGrad(g: Tensor, keepGraph: boolean): Tensor {
  return keepGraph ? g.clone() : g.detach().clone();
}

/** The engine. `accumulate` adds two gradients (passed in so this file needs no op import). */
export function runBackward(outputs: Tensor[], grads: Tensor[], opts: RunBackwardOptions, accumulate: Accumulate): (Tensor | null)[] {
  const captured = new Map<Tensor, Tensor | null>();
  const capturedByNode = new Map<Node, Map<number, Tensor>>();
  if (opts.inputs) {
    for (const t of opts.inputs) {
      captured.set(t, null);
      if (t.grad_fn) {
        let m = capturedByNode.get(t.grad_fn);
        if (!m) capturedByNode.set(t.grad_fn, (m = new Map()));
        m.set(t._outputNr, t);
      }
    }
  }
  const pending = new Map<Node, (Tensor | null)[]>();
  const addTo = (node: Node, nr: number, g: Tensor): void => {
    let slot = pending.get(node);
    if (!slot) pending.set(node, (slot = new Array(node.numOutputs).fill(null)));
    slot[nr] = slot[nr] === null ? g : accumulate(slot[nr]!, g);
  };
  const toLeaf = (leaf: Tensor, g: Tensor): void => {
    if (leaf._hooks !== null) for (const h of leaf._hooks) {
      const r = h(g);
      if (r) g = r;
    }
    if (opts.inputs) {
      if (captured.has(leaf)) captured.set(leaf, captured.get(leaf) ? accumulate(captured.get(leaf)!, g) : g);
      return;
    }
    leaf.grad = leaf.grad === null ? ownGrad(g, opts.create_graph) : accumulate(leaf.grad, g);
  };

  const roots: Node[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const t = outputs[i];
    if (t.grad_fn) {
      addTo(t.grad_fn, t._outputNr, grads[i]);
      roots.push(t.grad_fn);
    } else if (t.requires_grad) {
      toLeaf(t, grads[i]);
    } else {
      throw new Error('backward: element ' + i + ' of tensors does not require grad and does not have a grad_fn');
    }
  }

  const prevMode = gradEnabled;
  gradEnabled = opts.create_graph;
  try {
    for (const node of topoOrder(roots)) {
      const gin = pending.get(node);
      if (!gin) continue;
      pending.delete(node);
      const caps = capturedByNode.get(node);
      if (caps) for (const [nr, t] of caps) if (gin[nr]) captured.set(t, gin[nr]);
      if (node.retained && !opts.inputs) {
        for (const [nr, t] of node.retained) if (gin[nr]) t.grad = t.grad === null ? ownGrad(gin[nr]!, false) : accumulate(t.grad, gin[nr]!);
      }
      const gout = node.apply(gin);
      if (!opts.retain_graph) node.release();
      for (let i = 0; i < node.next.length; i++) {
        const e = node.next[i];
        const g = gout[i];
        if (!e || !g) continue;
        if ('node' in e) addTo(e.node, e.nr, g);
        else toLeaf(e.leaf, g);
      }
    }
  } finally {
    gradEnabled = prevMode;
  }
  if (!opts.inputs) return [];
  return opts.inputs.map((t, i) => {
    const g = captured.get(t) ?? null;
    if (g === null && !opts.allow_unused) {
      throw new Error(`autograd.grad: input ${i} was not used in the graph of outputs; pass { allow_unused: true } to get null for it`);
    }
    return g;
  });
}
