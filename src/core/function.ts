/**
 * torch.autograd.Function: a custom op with a user-written forward and backward (the surrogate spike functions are built on it).
 * Subclass it with static forward(ctx, ...args) and backward(ctx, ...grads), and call Sub.apply(...args).
 */
import { is_grad_enabled, no_grad, Node } from './autograd';
import { fail } from './errors';
import { Tensor } from './tensor';
import { gradAs, sumToShape } from './ops/elementwise';

export class FunctionCtx {
  /** needs_input_grad[i]: whether argument i is a tensor that requires grad (as in PyTorch). */
  needs_input_grad: boolean[] = [];
  [key: string]: any;
  private _saved: Tensor[] = [];
  private _versions: number[] = [];
  private _fnName = '';

  save_for_backward(...tensors: (Tensor | null | undefined)[]): void {
    for (const t of tensors) if (t !== null && t !== undefined && !(t instanceof Tensor)) fail(`${this._fnName}.save_for_backward`, 'each argument', 'a Tensor or null', t);
    this._saved = tensors.map((t) => t ?? null) as Tensor[];
    this._versions = this._saved.map((t) => (t ? t._version.v : 0));
  }

  get saved_tensors(): Tensor[] {
    this._saved.forEach((t, i) => {
      if (t && t._version.v !== this._versions[i]) {
        throw new Error(`${this._fnName}.backward: saved tensor ${i} has been modified by an in-place operation (version ${t._version.v}, expected ${this._versions[i]})`);
      }
    });
    return this._saved;
  }

  /** @internal */
  _setName(name: string): void { this._fnName = name; }
}

type Out = Tensor | Tensor[];

export class Function {
  static forward(_ctx: FunctionCtx, ..._args: any[]): Out {
    throw new Error(`${this.name}.forward must be implemented as a static method`);
  }

  static backward(_ctx: FunctionCtx, ..._grads: Tensor[]): Tensor | null | (Tensor | null)[] {
    throw new Error(`${this.name}.backward must be implemented as a static method`);
  }

  static apply(...args: any[]): any {
    const name = this.name || 'Function';
    const ctx = new FunctionCtx();
    ctx._setName(name);
    ctx.needs_input_grad = args.map((a) => a instanceof Tensor && a.requires_grad);
    const raw = no_grad(() => this.forward(ctx, ...args));
    const multi = Array.isArray(raw);
    const outs = (multi ? raw : [raw]).map((o, i) => {
      if (!(o instanceof Tensor)) fail(`${name}.forward`, `output ${i}`, 'a Tensor', o);
      return args.includes(o) ? o.detach() : o; // an input returned as-is gets its own identity
    });
    const tensorArgs: { pos: number; t: Tensor }[] = [];
    args.forEach((a, pos) => { if (a instanceof Tensor) tensorArgs.push({ pos, t: a }); });
    if (is_grad_enabled() && tensorArgs.some(({ t }) => t.requires_grad)) {
      const node = new Node(name, tensorArgs.map(({ t }) => t), outs.length, (grads) => {
        const full = grads.map((g, i) => g ?? Tensor.empty(outs[i].shape, outs[i].dtype)); // PyTorch materializes missing grads as zeros
        const res = this.backward(ctx, ...full);
        const list = Array.isArray(res) ? res : [res];
        if (list.length < tensorArgs.length && list.length !== args.length) {
          throw new Error(`${name}.backward returned ${list.length} gradients, expected ${args.length} (one per forward argument, null for non-tensors)`);
        }
        return tensorArgs.map(({ pos, t }, k) => {
          const g = list.length === args.length ? list[pos] : list[k];
          if (g === null || g === undefined) return null;
          if (!(g instanceof Tensor)) fail(`${name}.backward`, `gradient ${pos}`, 'a Tensor or null', g);
          if (g.shape.join() !== t.shape.join()) {
            // as torch's engine does: a gradient of a shape the input broadcasts to is summed back to the input's shape
            const lead = g.ndim - t.ndim;
            if (lead < 0 || t.shape.some((s, d) => s !== 1 && s !== g.shape[lead + d])) {
              throw new Error(`${name}.backward: gradient ${pos} has shape [${g.shape.join(', ')}], expected [${t.shape.join(', ')}] (or a shape it broadcasts to)`);
            }
            return gradAs(sumToShape(g, t.shape), t.dtype);
          }
          return gradAs(g, t.dtype);
        });
      }, {});
      outs.forEach((o, i) => {
        if (!o.isFloatingPoint()) return;
        o.grad_fn = node;
        o._outputNr = i;
        o._requiresGrad = true;
      });
    }
    return multi ? outs : outs[0];
  }
}
