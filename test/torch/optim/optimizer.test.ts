/**
 * Optimizer behaviour beyond the recorded trajectories: state_dict round trips (save after 2 steps, load into a fresh
 * optimizer, continue: equals the uninterrupted run bit for bit), zero_grad, param groups, closures, strided and float64
 * parameters, positional arguments, and argument errors.
 */
import * as torch from '../../../src/torch/index';
import { Adam, AdamW, Optimizer, RMSprop, SGD } from '../../../src/torch/optim/index';
import { buildOptimizer, buildProblem, loadFixture, mismatch, type OptimCase, type OptimFixture } from './helpers';

type Tensor = torch.Tensor;

const fixtures = Object.fromEntries(['sgd.json', 'adam.json', 'adamw.json', 'rmsprop.json'].map((f) => [f, loadFixture<OptimFixture>(f)]));
const problem = fixtures['sgd.json'].problem;
const order = problem.param_order;

function train(opt: Optimizer<any>, loss: () => Tensor, steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zero_grad();
    loss().backward();
    opt.step();
  }
}

describe('state_dict round trip', () => {
  const cases: [string, OptimCase][] = [];
  for (const [f, fx] of Object.entries(fixtures)) for (const c of fx.cases) cases.push([`${f} ${c.name}`, c]);

  test.each(cases)('%s: save after 2 steps, load into a fresh optimizer, continue = uninterrupted', (_name, c) => {
    const a = buildProblem(problem);
    const optA = buildOptimizer(c, a.params, order);
    train(optA, a.loss, 5);

    const b = buildProblem(problem);
    const optB = buildOptimizer(c, b.params, order);
    train(optB, b.loss, 2);
    const sd = optB.state_dict();

    // a fresh problem whose parameters hold B's values; a fresh optimizer built with different options (overwritten by the load)
    const fresh = buildProblem(problem);
    torch.no_grad(() => { for (const k of order) fresh.params[k].copy_(b.params[k]); });
    const optC = buildOptimizer({ ...c, options: { ...c.options, lr: 0.5 } }, fresh.params, order);
    optC.load_state_dict(sd);
    train(optB, b.loss, 1); // B moves on: C's state must be a copy, not B's tensors
    train(optC, fresh.loss, 3);
    for (const k of order) {
      const m = mismatch(`${c.optimizer} ${c.name} param ${k} after load + 3 steps`, fresh.params[k], a.params[k], 0, 0);
      if (m) throw new Error(m);
    }
    expect(JSON.stringify(optC.state_dict().param_groups)).toBe(JSON.stringify(optA.state_dict().param_groups));
  });

  test('state_dict structure: indices across groups, params listed last, live state tensors', () => {
    const { params, loss } = buildProblem(problem);
    const opt = new Adam([{ params: [params.W1, params.b1, params.z] }, { params: [params.W2, params.b2], lr: 0.1 }], { lr: 0.01 });
    train(opt, loss, 1);
    const sd = opt.state_dict();
    expect(sd.param_groups.map((g) => g.params)).toEqual([[0, 1, 2], [3, 4]]);
    expect(Object.keys(sd.param_groups[1])).toEqual(['lr', 'betas', 'eps', 'weight_decay', 'amsgrad', 'maximize', 'foreach', 'capturable', 'differentiable', 'fused', 'params']);
    expect(Object.keys(sd.state)).toEqual(['0', '1', '3', '4']); // z has no grad, no state
    expect(sd.state[0].exp_avg).toBe(opt.state.get(params.W1).exp_avg);
    expect(sd.state[0].step.shape).toEqual([]);
    expect(sd.state[0].step.item()).toBe(1);
  });

  test('load_state_dict accepts a pre-1.12 numeric Adam step and casts state to the parameter dtype', () => {
    const p = torch.tensor([1, 2, 3], { dtype: 'float64' }).requires_grad_();
    const opt = new Adam([p], { lr: 0.1 });
    opt.load_state_dict({
      state: { 0: { step: 3, exp_avg: torch.tensor([0.1, 0.2, 0.3]), exp_avg_sq: torch.tensor([0.01, 0.01, 0.01]) } },
      param_groups: [{ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, params: [0] }],
    });
    const s = opt.state.get(p);
    expect(s.step).toBeInstanceOf(torch.Tensor);
    expect(s.step.item()).toBe(3);
    expect(s.exp_avg.dtype).toBe('float64');
    expect(opt.param_groups[0].maximize).toBe(false); // missing keys filled from the defaults
    p.grad = torch.ones(3, { dtype: 'float64' });
    opt.step();
    expect(s.step.item()).toBe(4);
  });

  test('load_state_dict rejects mismatched structure', () => {
    const { params } = buildProblem(problem);
    const opt = new SGD([params.W1, params.b1], { lr: 0.1 });
    expect(() => opt.load_state_dict({ state: {}, param_groups: [] })).toThrow('SGD.load_state_dict: loaded state dict has a different number of parameter groups');
    expect(() => opt.load_state_dict({ state: {}, param_groups: [{ lr: 0.1, params: [0] }] })).toThrow("doesn't match the size of optimizer's group");
    expect(() => opt.load_state_dict({ state: { 7: {} }, param_groups: [{ lr: 0.1, params: [0, 1] }] })).toThrow('parameter index 7');
    expect(() => opt.load_state_dict(null as any)).toThrow('SGD.load_state_dict: state_dict must be');
  });
});

describe('zero_grad', () => {
  test('default (1.13) zeroes the gradients in place; set_to_none sets them to null', () => {
    const { params, loss } = buildProblem(problem);
    const opt = new SGD(order.map((k) => params[k]), { lr: 0.01 });
    loss().backward();
    const g = params.W1.grad!;
    opt.zero_grad();
    expect(params.W1.grad).toBe(g);
    expect(Array.from(g.toTypedArray()).every((v) => v === 0)).toBe(true);
    expect(params.z.grad).toBeNull();
    loss().backward();
    opt.zero_grad({ set_to_none: true });
    expect(order.every((k) => params[k].grad === null)).toBe(true);
    loss().backward();
    opt.zero_grad(true);
    expect(params.b2.grad).toBeNull();
    expect(() => opt.zero_grad({ set_to_nothing: true } as any)).toThrow('SGD.zero_grad: unknown option "set_to_nothing"');
  });

  test('a gradient that carries a graph is detached, then zeroed', () => {
    const p = torch.tensor([1, 2]).requires_grad_();
    const opt = new SGD([p], { lr: 0.1 });
    p.pow(3).sum().backward(undefined, { create_graph: true });
    expect(p.grad!.grad_fn).not.toBeNull();
    opt.zero_grad();
    expect(p.grad!.grad_fn).toBeNull();
    expect(p.grad!.requires_grad).toBe(false);
    expect(p.grad!.tolist()).toEqual([0, 0]);
  });

  test('a zero gradient still steps (weight decay, momentum), a null one is skipped', () => {
    const p = torch.tensor([1, 2]).requires_grad_(), q = torch.tensor([3]).requires_grad_();
    const opt = new SGD([p, q], { lr: 0.1, weight_decay: 0.5 });
    p.grad = torch.zeros(2);
    opt.step();
    expect(p.tolist()).toEqual([Math.fround(1 - 0.05), Math.fround(2 - 0.1)]);
    expect(q.tolist()).toEqual([3]);
    expect(opt.state.has(q)).toBe(false);
  });
});

describe('param groups and step', () => {
  test('defaults are filled in per group; extra keys are kept; add_param_group', () => {
    const a = torch.zeros(2).requires_grad_(), b = torch.zeros(3).requires_grad_(), c = torch.zeros(1).requires_grad_();
    const opt = new SGD([{ params: [a] }, { params: b, lr: 0.5, name: 'head' }], { lr: 0.1, momentum: 0.9 });
    expect(opt.param_groups[0]).toMatchObject({ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false });
    expect(opt.param_groups[1]).toMatchObject({ params: [b], lr: 0.5, momentum: 0.9, name: 'head' });
    opt.add_param_group({ params: [c], momentum: 0 });
    expect(opt.param_groups[2]).toMatchObject({ lr: 0.1, momentum: 0 });
    expect(() => opt.add_param_group({ params: [a] })).toThrow('some parameters appear in more than one parameter group');
    expect(() => opt.add_param_group({ params: new Set([torch.zeros(1)]) as any })).toThrow('ordered collections');
    expect(String(opt)).toContain('Parameter Group 1\n    dampening: 0');
  });

  test('step(closure) evaluates the loss with grad enabled and returns it', () => {
    const { params, loss } = buildProblem(problem);
    const opt = new RMSprop(order.map((k) => params[k]));
    let calls = 0;
    const l = torch.no_grad(() => opt.step(() => {
      calls++;
      opt.zero_grad();
      const v = loss();
      v.backward();
      return v;
    }));
    expect(calls).toBe(1);
    expect((l as Tensor).item()).toBeCloseTo(fixtures['rmsprop.json'].cases[0].steps[0].loss, 3);
    expect(opt.step()).toBeUndefined();
  });

  test('parameters stay leaves and their version moves (autograd sees the in-place update)', () => {
    const p = torch.tensor([1, 2]).requires_grad_();
    const y = p.mul(p);
    const opt = new Adam([p], { lr: 0.1 });
    p.grad = torch.ones(2);
    opt.step();
    expect(p.is_leaf).toBe(true);
    expect(p.requires_grad).toBe(true);
    expect(() => y.sum().backward()).toThrow('modified by an in-place operation');
  });

  test('strided (non-contiguous) parameters and gradients update like contiguous ones', () => {
    const base = torch.arange(12).reshape(3, 4).float().mul(0.1);
    const pc = base.clone().requires_grad_();
    const ps = base.t().contiguous().t().detach().requires_grad_(); // same values, column-major storage
    expect(ps.is_contiguous()).toBe(false);
    const g = torch.arange(12).reshape(3, 4).float().sub(5).mul(0.3);
    const oc = new Adam([pc], { lr: 0.05, amsgrad: true }), os = new Adam([ps], { lr: 0.05, amsgrad: true });
    for (let i = 0; i < 3; i++) {
      pc.grad = g.clone();
      ps.grad = g.t().contiguous().t(); // strided gradient
      oc.step();
      os.step();
    }
    expect(ps.is_contiguous()).toBe(false);
    expect(ps.tolist()).toEqual(pc.tolist());
  });

  test('float64 parameters are updated in float64', () => {
    const p = torch.tensor([1, -2, 3], { dtype: 'float64' }).requires_grad_();
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    const g = [0.3, -0.7, 1.1];
    let buf = [0, 0, 0];
    const want = [1, -2, 3];
    for (let s = 0; s < 3; s++) {
      p.grad = torch.tensor(g, { dtype: 'float64' });
      opt.step();
      buf = s === 0 ? g.slice() : buf.map((b, i) => b * 0.9 + g[i]);
      for (let i = 0; i < 3; i++) want[i] -= 0.1 * buf[i];
    }
    p.tolist().forEach((v: number, i: number) => expect(v).toBeCloseTo(want[i], 14));
    expect(opt.state.get(p).momentum_buffer.dtype).toBe('float64');
  });

  test('positional arguments map as in Python', () => {
    const mk = () => [torch.zeros(2).requires_grad_()];
    expect(new SGD(mk(), 0.1, 0.9, 0, 0.01, true).param_groups[0]).toMatchObject({ lr: 0.1, momentum: 0.9, weight_decay: 0.01, nesterov: true });
    expect(new Adam(mk(), 0.01, [0.8, 0.9], 1e-6, 0.1, true, { maximize: true }).param_groups[0])
      .toMatchObject({ lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weight_decay: 0.1, amsgrad: true, maximize: true });
    expect(new AdamW(mk()).param_groups[0]).toMatchObject({ lr: 1e-3, weight_decay: 1e-2 });
    expect(new RMSprop(mk(), 0.02, 0.9).param_groups[0]).toMatchObject({ lr: 0.02, alpha: 0.9 });
    expect(() => new SGD(mk(), 0.1, { lr: 0.2 })).toThrow('SGD: got multiple values for argument lr');
    expect(() => new (SGD as any)(mk(), 0.1, 0.9, 0, 0, false, true)).toThrow('SGD: takes at most 5 positional arguments');
  });
});

describe('argument errors', () => {
  const ps = () => [torch.zeros(2).requires_grad_()];

  test('invalid hyper-parameters name the optimizer, the argument and the value', () => {
    expect(() => new SGD(ps(), { lr: -0.1 })).toThrow('SGD: lr must be a number >= 0, got -0.1');
    expect(() => new Adam(ps(), { lr: -1 })).toThrow('Adam: lr must be a number >= 0, got -1');
    expect(() => new Adam(ps(), { betas: [0.9, 1.0] })).toThrow('Adam: betas must be a pair [beta1, beta2] with 0 <= beta < 1 (betas[1] = 1 is out of range), got [0.9, 1]');
    expect(() => new AdamW(ps(), { betas: [-0.1, 0.9] })).toThrow('AdamW: betas must be a pair [beta1, beta2] with 0 <= beta < 1 (betas[0] = -0.1 is out of range), got [-0.1, 0.9]');
    expect(() => new Adam(ps(), { betas: 0.9 as any })).toThrow('Adam: betas must be a pair [beta1, beta2] of numbers in [0, 1), got 0.9');
    expect(() => new Adam(ps(), { eps: -1e-8 })).toThrow('Adam: eps must be a number >= 0, got -1e-8');
    expect(() => new SGD(ps(), { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov momentum requires a momentum > 0 and zero dampening, got momentum=0, dampening=0');
    expect(() => new SGD(ps(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow('nesterov momentum requires');
    expect(() => new SGD(ps(), { lr: 0.1, momentum: -0.9 })).toThrow('SGD: momentum must be a number >= 0, got -0.9');
    expect(() => new SGD(ps(), { lr: 0.1, weight_decay: -1 })).toThrow('SGD: weight_decay must be a number >= 0, got -1');
    expect(() => new RMSprop(ps(), { alpha: -0.5 })).toThrow('RMSprop: alpha must be a number >= 0, got -0.5');
    expect(() => new SGD(ps(), { lr: 0.1, maximize: 1 as any })).toThrow('SGD: maximize must be a boolean, got 1');
  });

  test('unknown option keys raise', () => {
    expect(() => new Adam(ps(), { lr: 0.1, beta: [0.9, 0.99] } as any)).toThrow('Adam: unknown option "beta"; expected one of lr, betas, eps, weight_decay, amsgrad, maximize, foreach, capturable, differentiable, fused');
    expect(() => new SGD(ps(), { lr: 0.1, momentun: 0.9 } as any)).toThrow('SGD: unknown option "momentun"');
    expect(() => new AdamW(ps(), { fused: false } as any)).toThrow('AdamW: unknown option "fused"');
  });

  test('per-group values are checked too', () => {
    expect(() => new SGD([{ params: ps(), lr: -1 }], { lr: 0.1 })).toThrow('SGD: param_groups[0].lr must be a number >= 0, got -1');
    expect(() => new Adam([{ params: ps() }, { params: ps(), betas: [0.9, 2] }])).toThrow('Adam: param_groups[1].betas must be');
  });

  test('required lr, bad params, unsupported implementation flags', () => {
    expect(() => new SGD(ps())).toThrow("SGD.add_param_group: parameter group didn't specify a value of required optimization parameter lr");
    expect(new SGD([{ params: ps(), lr: 0.3 }]).param_groups[0].lr).toBe(0.3);
    expect(() => new SGD(torch.zeros(2) as any, { lr: 0.1 })).toThrow('SGD: params must be an iterable of Tensors or of parameter-group objects');
    expect(() => new SGD([], { lr: 0.1 })).toThrow('SGD: optimizer got an empty parameter list');
    expect(() => new SGD([1, 2] as any, { lr: 0.1 })).toThrow('SGD.add_param_group: params[0] must be a Tensor');
    const leaf = torch.zeros(2).requires_grad_();
    expect(() => new SGD([leaf.mul(2)], { lr: 0.1 })).toThrow("can't optimize a non-leaf Tensor");
    expect(() => new Adam(ps(), { capturable: true })).toThrow('Adam: capturable=true is not supported by spikeport');
    expect(() => new SGD(ps(), { lr: 0.1, differentiable: true })).toThrow('SGD: differentiable=true is not supported');
    expect(new SGD(ps(), { lr: 0.1, foreach: true }).param_groups[0].foreach).toBe(true);
  });

  test('a gradient of the wrong shape is reported', () => {
    const p = torch.zeros(2, 2).requires_grad_();
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = torch.zeros(4);
    expect(() => opt.step()).toThrow('SGD.step: the gradient of parameter 0 has shape [4], but the parameter has shape [2, 2]');
  });
});
