/**
 * Autograd semantics against hand-derived gradients: accumulation into .grad, retain_graph, no_grad/enable_grad, detach,
 * autograd.grad with create_graph (higher derivatives), custom autograd.Function with save_for_backward, retain_grad,
 * hooks, and gradients through views, broadcasting and reductions.
 */
import * as torch from '../../src/torch/index';
import { expectClose, T } from './helpers';

type Tensor = torch.Tensor;
const f64 = (d: number[] | number[][]): Tensor => T(d, 'float64').requires_grad_();
const vals = (t: Tensor | null): number[] => Array.from(t!.toTypedArray());

describe('.grad accumulation and retain_graph', () => {
  test('two backward calls on two graphs add into .grad; assigning null resets it', () => {
    const x = T([1, 2, 3]).requires_grad_();
    x.mul(2).sum().backward();
    expect(vals(x.grad)).toEqual([2, 2, 2]);
    x.square().sum().backward(); // + 2x
    expect(vals(x.grad)).toEqual([4, 6, 8]);
    x.grad = null;
    x.sum().backward();
    expect(vals(x.grad)).toEqual([1, 1, 1]);
  });

  test('retain_graph lets the same graph run backward twice (gradients add)', () => {
    const x = T([0.5, -1]).requires_grad_();
    const y = x.exp().mul(x).sum(); // d/dx x e^x = (1 + x) e^x
    y.backward(null, { retain_graph: true });
    y.backward();
    expectClose('grad', x.grad!, T([2 * 1.5 * Math.exp(0.5), 0]));
    expect(() => y.backward()).toThrow(/second time/);
  });

  test('a value used twice in one graph accumulates both paths (diamond)', () => {
    const x = f64([0.3, -0.7]);
    const y = x.mul(2);
    const z = y.add(y.exp()).sum(); // dz/dx = 2 + 2 e^{2x}
    z.backward();
    expectClose('grad', x.grad!, T([2 + 2 * Math.exp(0.6), 2 + 2 * Math.exp(-1.4)], 'float64'), false, { atol: 1e-12, rtol: 1e-12 });
  });

  test('torch.autograd.backward with several outputs and their gradients', () => {
    const x = T([1, 2]).requires_grad_();
    const [a, b] = [x.mul(3), x.square()];
    torch.autograd.backward([a, b], [T([1, 10]), T([2, 0.5])]); // 3·[1, 10] + 2x·[2, 0.5]
    expect(vals(x.grad)).toEqual([3 + 4, 30 + 2]);
  });

  test('backward(inputs) accumulates only into the listed leaves', () => {
    const a = T([1, 2]).requires_grad_(), b = T([3, 4]).requires_grad_();
    a.mul(b).sum().backward(null, { inputs: [a] });
    expect(vals(a.grad)).toEqual([3, 4]);
    expect(b.grad).toBeNull();
  });
});

describe('grad mode and detach', () => {
  test('no_grad records nothing and returns the callback value; enable_grad re-enables inside it', () => {
    const x = T([1, 2]).requires_grad_();
    const y = torch.no_grad(() => x.mul(2));
    expect(y.requires_grad).toBe(false);
    expect(y.grad_fn).toBeNull();
    expect(vals(y)).toEqual([2, 4]);
    const z = torch.no_grad(() => {
      expect(torch.is_grad_enabled()).toBe(false);
      return torch.enable_grad(() => x.mul(3));
    });
    expect(z.requires_grad).toBe(true);
    z.sum().backward();
    expect(vals(x.grad)).toEqual([3, 3]);
    expect(torch.is_grad_enabled()).toBe(true);
  });

  test('grad mode is restored when the callback throws; set_grad_enabled switches it', () => {
    expect(() => torch.no_grad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(torch.is_grad_enabled()).toBe(true);
    torch.set_grad_enabled(false);
    try {
      expect(T([1]).requires_grad_().mul(2).requires_grad).toBe(false);
    } finally {
      torch.set_grad_enabled(true);
    }
    expect(T([1]).requires_grad_().mul(2).requires_grad).toBe(true);
  });

  test('detach shares storage, stops the gradient and does not require grad', () => {
    const x = T([1, 2, 3]).requires_grad_();
    const d = x.detach();
    expect(d.requires_grad).toBe(false);
    expect(d.grad_fn).toBeNull();
    x.mul(d).sum().backward(); // d/dx (x · const) = const = x
    expect(vals(x.grad)).toEqual([1, 2, 3]);
    d.mul_(10); // the same storage
    expect(vals(x)).toEqual([10, 20, 30]);
  });

  test('a graph built from tensors that do not require grad has no grad_fn', () => {
    const y = T([1, 2]).mul(2).exp();
    expect(y.requires_grad).toBe(false);
    expect(y.grad_fn).toBeNull();
    expect(y.is_leaf).toBe(true);
  });
});

describe('torch.autograd.grad and higher derivatives', () => {
  test('second and third derivative of x**3 with create_graph', () => {
    const x = f64([1, 2, -0.5]);
    const [g1] = torch.autograd.grad(x.pow(3).sum(), [x], null, { create_graph: true });
    expectClose('d/dx', g1!, T([3, 12, 0.75], 'float64'), true);
    expect(g1!.requires_grad).toBe(true);
    const [g2] = torch.autograd.grad(g1!.sum(), [x], null, { create_graph: true });
    expectClose('d2/dx2', g2!, T([6, 12, -3], 'float64'), true);
    const [g3] = torch.autograd.grad(g2!.sum(), [x]);
    expectClose('d3/dx3', g3!, T([6, 6, 6], 'float64'), true);
    expect(x.grad).toBeNull(); // autograd.grad does not touch .grad
  });

  test('mixed second derivative of sin(x·y) and a Hessian-vector product', () => {
    const x = f64([0.3]), y = f64([1.2]);
    const [gx] = torch.autograd.grad(x.mul(y).sin().sum(), [x], null, { create_graph: true }); // y cos(xy)
    const [gxy] = torch.autograd.grad(gx!.sum(), [y]); // cos(xy) - xy sin(xy)
    expectClose('d2/dxdy', gxy!, T([Math.cos(0.36) - 0.36 * Math.sin(0.36)], 'float64'), false, { atol: 1e-12, rtol: 1e-12 });
    // f = sum(x^2 * y) over vectors: H_xx = 2 diag(y); H·v = 2 y v
    const a = f64([1, 2]), b = T([3, 5], 'float64'), vec = T([0.5, -1], 'float64');
    const [ga] = torch.autograd.grad(a.square().mul(b).sum(), [a], null, { create_graph: true });
    const [hv] = torch.autograd.grad(ga!, [a], [vec]);
    expectClose('Hv', hv!, T([3, -10], 'float64'), true);
  });

  test('backward with create_graph leaves a differentiable .grad', () => {
    const x = f64([2]);
    x.pow(3).sum().backward(null, { create_graph: true });
    expect(x.grad!.requires_grad).toBe(true);
    const [h] = torch.autograd.grad(x.grad!.sum(), [x]);
    expectClose('d2', h!, T([12], 'float64'), true);
  });

  test('retain_graph on autograd.grad', () => {
    const x = f64([1, 2]);
    const y = x.exp().sum();
    const [a] = torch.autograd.grad(y, [x], null, { retain_graph: true });
    const [b] = torch.autograd.grad(y, [x]);
    expect(vals(a)).toEqual(vals(b));
    expect(() => torch.autograd.grad(y, [x])).toThrow(/second time/);
  });
});

describe('torch.autograd.Function', () => {
  /** y = scale · x² · w with a non-tensor argument; saves both inputs. */
  class ScaledSquareMul extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.FunctionCtx, x: Tensor, w: Tensor, scale: number): Tensor {
      ctx.save_for_backward(x, w);
      ctx.scale = scale;
      return x.square().mul(w).mul(scale);
    }
    static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
      const [x, w] = ctx.saved_tensors;
      const s = ctx.scale as number;
      return [
        ctx.needs_input_grad[0] ? g.mul(x).mul(w).mul(2 * s) : null,
        ctx.needs_input_grad[1] ? g.mul(x.square()).mul(s) : null,
        null,
      ];
    }
  }

  test('forward runs without recording, backward gives the hand-derived gradients', () => {
    const x = T([1, -2, 3]).requires_grad_(), w = T([0.5, 1, 2]).requires_grad_();
    const y = ScaledSquareMul.apply(x, w, 3) as Tensor;
    expect(vals(y)).toEqual([1.5, 12, 54]);
    expect(y.grad_fn!.name).toBe('ScaledSquareMul');
    y.sum().backward();
    expect(vals(x.grad)).toEqual([3, -12, 36]); // 2·3·x·w
    expect(vals(w.grad)).toEqual([3, 12, 27]); // 3·x²
  });

  test('gradcheck passes, with broadcasting inside and one input not requiring grad', () => {
    const x = f64([[0.3, -1.1, 0.7], [1.5, 0.2, -0.4]]), w = f64([0.9, -0.6, 1.3]);
    expect(torch.autograd.gradcheck((a, b) => ScaledSquareMul.apply(a, b, -1.5), [x, w])).toBe(true);
    // needs_input_grad: w does not require grad, so backward is asked for x only
    let seen: boolean[] = [];
    class Spy extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, a: Tensor, b: Tensor): Tensor { seen = ctx.needs_input_grad.slice(); return a.mul(b); }
      static override backward(_ctx: torch.autograd.FunctionCtx, g: Tensor): (Tensor | null)[] { return [g, null]; }
    }
    (Spy.apply(x, T([1, 2, 3], 'float64')) as Tensor).sum().backward();
    expect(seen).toEqual([true, false]);
  });

  test('a Function with two outputs, one of them unused, inside a larger graph', () => {
    class SinCos extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, x: Tensor): Tensor[] {
        ctx.save_for_backward(x);
        return [x.sin(), x.cos()];
      }
      static override backward(ctx: torch.autograd.FunctionCtx, gs: Tensor, gc: Tensor): Tensor {
        const [x] = ctx.saved_tensors;
        return gs.mul(x.cos()).sub(gc.mul(x.sin())); // a missing output gradient arrives as zeros
      }
    }
    const x = f64([0.4, -1.3]);
    expect(torch.autograd.gradcheck((t) => SinCos.apply(t.mul(2)), [x])).toBe(true);
    const [s] = SinCos.apply(x) as Tensor[];
    s.mul(3).sum().backward();
    expectClose('grad', x.grad!, T([3 * Math.cos(0.4), 3 * Math.cos(-1.3)], 'float64'), false, { atol: 1e-15, rtol: 1e-15 });
  });

  test('a surrogate-gradient spike (Heaviside forward, sigmoid-derivative backward), as spikingjelly builds them', () => {
    class Spike extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, v: Tensor, alpha: number): Tensor {
        ctx.save_for_backward(v);
        ctx.alpha = alpha;
        return v.ge(0).to(v.dtype);
      }
      static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
        const [v] = ctx.saved_tensors;
        const s = v.mul(ctx.alpha).sigmoid();
        return [g.mul(s).mul(s.rsub(1)).mul(ctx.alpha), null];
      }
    }
    const v = T([-1, 0, 0.5]).requires_grad_();
    const out = Spike.apply(v, 4) as Tensor;
    expect(vals(out)).toEqual([0, 1, 1]);
    out.sum().backward();
    const sg = (u: number): number => { const s = 1 / (1 + Math.exp(-4 * u)); return 4 * s * (1 - s); };
    expectClose('surrogate grad', v.grad!, T([sg(-1), sg(0), sg(0.5)]));
  });
});

describe('retain_grad and hooks', () => {
  test('retain_grad keeps the gradient of a non-leaf; other non-leaves keep none', () => {
    const x = T([1, 2]).requires_grad_();
    const h = x.mul(2);
    h.retain_grad();
    const k = h.add(1);
    k.square().sum().backward(); // d/dh (h+1)² = 2(h+1)
    expect(vals(h.grad)).toEqual([6, 10]);
    expect(k.grad).toBeNull();
    expect(vals(x.grad)).toEqual([12, 20]);
  });

  test('a leaf hook sees and may replace the gradient', () => {
    const x = T([1, 2]).requires_grad_();
    const seen: number[][] = [];
    const handle = x.register_hook((g) => { seen.push(vals(g)); return g.mul(10); });
    x.mul(3).sum().backward();
    expect(seen).toEqual([[3, 3]]);
    expect(vals(x.grad)).toEqual([30, 30]);
    handle.remove();
    x.grad = null;
    x.mul(3).sum().backward();
    expect(vals(x.grad)).toEqual([3, 3]);
  });
});

describe('gradients through views, broadcasting and reductions', () => {
  test('broadcasting sums the gradient back to each input shape', () => {
    const a = T([1, 2, 3]).requires_grad_(), b = T([[10], [20]]).requires_grad_();
    a.mul(b).sum().backward(); // [2,3]: d/da = sum over rows of b, d/db = sum of a
    expect(vals(a.grad)).toEqual([30, 30, 30]);
    expect(vals(b.grad)).toEqual([6, 6]);
    expect(b.grad!.shape).toEqual([2, 1]);
    const s = T([2]).reshape([]).requires_grad_(); // a 0-d operand
    T([[1, 2], [3, 4]]).mul(s).sum().backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(10);
  });

  test('expand, transpose, select and step slices route the gradient to the viewed elements', () => {
    const x = T([[1, 2, 3], [4, 5, 6]]).requires_grad_();
    x.t().index(1).mul(T([10, 100])).sum().backward(); // x.t()[1] = x[:, 1]
    expect(vals(x.grad)).toEqual([0, 10, 0, 0, 100, 0]);
    const v = T([1, 2, 3, 4, 5]).requires_grad_();
    v.index('::2').sum().backward();
    expect(vals(v.grad)).toEqual([1, 0, 1, 0, 1]);
    const e = T([1, 2]).requires_grad_();
    e.unsqueeze(1).expand(2, 4).mul(T([[1, 2, 3, 4], [5, 6, 7, 8]])).sum().backward();
    expect(vals(e.grad)).toEqual([10, 26]);
  });

  test('overlapping views of one leaf accumulate', () => {
    const x = T([1, 2, 3, 4]).requires_grad_();
    const y = x.narrow(0, 0, 3).add(x.narrow(0, 1, 3)).add(x.reshape(2, 2).t().reshape(-1).narrow(0, 0, 3));
    y.sum().backward(); // narrow(0..2) + narrow(1..3) + [x0, x2, x1]
    expect(vals(x.grad)).toEqual([2, 3, 3, 1]);
  });

  test('mean, var and max distribute the gradient as derived by hand', () => {
    const x = T([[1, 2, 3, 6], [0, 0, 5, 5]]).requires_grad_();
    x.mean(1).sum().backward();
    expect(vals(x.grad)).toEqual(new Array(8).fill(0.25));
    x.grad = null;
    x.var(1, { unbiased: false }).index(0).backward(); // d/dx_i mean((x-μ)²) = 2(x_i - μ)/n, μ = 3
    expectClose('var grad', x.grad!, T([[-1, -0.5, 0, 1.5], [0, 0, 0, 0]]));
    x.grad = null;
    x.max(1).values.sum().backward(); // first maximum gets it (row 1 ties at index 2)
    expect(vals(x.grad)).toEqual([0, 0, 0, 1, 0, 0, 1, 0]);
    x.grad = null;
    x.amax(1).sum().backward(); // amax shares ties evenly
    expect(vals(x.grad)).toEqual([0, 0, 0, 1, 0, 0, 0.5, 0.5]);
  });

  test('softmax rows: the gradient of a weighted sum is s ⊙ (w - s·w)', () => {
    const x = T([[0.2, -0.4, 1.0]]).requires_grad_();
    const w = [1, 2, 3];
    const s = x.softmax(1);
    s.mul(T([w])).sum().backward();
    const sv = vals(s);
    const dot = sv.reduce((acc, si, i) => acc + si * w[i], 0);
    expectClose('softmax grad', x.grad!, T([sv.map((si, i) => si * (w[i] - dot))]));
  });
});
