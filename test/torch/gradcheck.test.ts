/**
 * Float64 finite-difference checks (torch.autograd.gradcheck: central differences vs. the backward rules) for every
 * differentiable op, at points away from kinks (|x| > 0.1 for abs/relu, distinct values for max/min, off the clamp bounds,
 * off the integers for floor/ceil/round, positive where a domain asks for it).
 */
import * as torch from '../../src/torch/index';
import { registered } from '../../src/core/registry';

type Tensor = torch.Tensor;

/** Deterministic uniform numbers (mulberry32), so the points do not depend on the torch generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = rng(1);

/** float64 leaf requiring grad, uniform in [lo, hi), optionally kept at least `gap` away from `away` points. */
function U(shape: number[], lo = -2, hi = 2, away: number[] = [], gap = 0.1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = lo + (hi - lo) * rand();
    while (away.some((p) => Math.abs(v - p) < gap));
    data[i] = v;
  }
  return torch.from_typed_array(data, shape).requires_grad_(true);
}
const intsAway = (k: number): number[] => Array.from({ length: 2 * k + 1 }, (_, i) => i - k);
const I = (data: number[] | number[][] | number[][][]): Tensor => torch.tensor(data, { dtype: 'int32' });
const B = (data: boolean[] | boolean[][]): Tensor => torch.tensor(data);

interface Check { fn: (...xs: Tensor[]) => Tensor | Tensor[]; inputs: () => Tensor[] }
const c = (fn: Check['fn'], inputs: Check['inputs']): Check => ({ fn, inputs });

const CHECKS: Record<string, Check> = {
  // unary
  neg: c((x) => x.neg(), () => [U([3, 4])]),
  abs: c((x) => x.abs(), () => [U([3, 4], -2, 2, [0])]),
  sign: c((x) => x.sign(), () => [U([3, 4], -2, 2, [0])]),
  exp: c((x) => x.exp(), () => [U([3, 4])]),
  expm1: c((x) => x.expm1(), () => [U([3, 4])]),
  log: c((x) => x.log(), () => [U([3, 4], 0.2, 3)]),
  log1p: c((x) => x.log1p(), () => [U([3, 4], -0.8, 3)]),
  log2: c((x) => x.log2(), () => [U([3, 4], 0.2, 3)]),
  log10: c((x) => x.log10(), () => [U([3, 4], 0.2, 3)]),
  sqrt: c((x) => x.sqrt(), () => [U([3, 4], 0.2, 3)]),
  rsqrt: c((x) => x.rsqrt(), () => [U([3, 4], 0.2, 3)]),
  square: c((x) => x.square(), () => [U([3, 4])]),
  reciprocal: c((x) => x.reciprocal(), () => [U([3, 4], 0.3, 3)]),
  sin: c((x) => x.sin(), () => [U([3, 4], -4, 4)]),
  cos: c((x) => x.cos(), () => [U([3, 4], -4, 4)]),
  tan: c((x) => x.tan(), () => [U([3, 4], -1.2, 1.2)]),
  tanh: c((x) => x.tanh(), () => [U([3, 4])]),
  atan: c((x) => x.atan(), () => [U([3, 4], -4, 4)]),
  erf: c((x) => x.erf(), () => [U([3, 4])]),
  erfc: c((x) => x.erfc(), () => [U([3, 4])]),
  sigmoid: c((x) => x.sigmoid(), () => [U([3, 4], -5, 5)]),
  relu: c((x) => x.relu(), () => [U([3, 4], -2, 2, [0])]),
  leaky_relu: c((x) => torch.leaky_relu(x, 0.2), () => [U([3, 4], -2, 2, [0])]),
  floor: c((x) => x.floor(), () => [U([3, 4], -3, 3, intsAway(3))]),
  ceil: c((x) => x.ceil(), () => [U([3, 4], -3, 3, intsAway(3))]),
  round: c((x) => x.round(), () => [U([3, 4], -3, 3, intsAway(3).map((v) => v + 0.5))]),
  trunc: c((x) => x.trunc(), () => [U([3, 4], -3, 3, intsAway(3))]),
  clamp_scalars: c((x) => x.clamp(-0.5, 0.7), () => [U([3, 4], -2, 2, [-0.5, 0.7])]),
  clamp_min_only: c((x) => x.clamp(0.1), () => [U([3, 4], -2, 2, [0.1])]),
  clamp_tensor_bounds: c((x, lo, hi) => torch.clamp(x, lo, hi), () => [U([3, 4], -2, 2), U([4], -1.5, -0.5), U([3, 1], 0.5, 1.5)]),
  // binary, with broadcasting
  add: c((a, b) => a.add(b), () => [U([3, 1]), U([1, 4])]),
  add_alpha: c((a, b) => a.add(b, { alpha: -1.5 }), () => [U([2, 3, 4]), U([4])]),
  add_scalar: c((a) => a.add(2.5), () => [U([3, 4])]),
  sub: c((a, b) => a.sub(b), () => [U([2, 3, 4]), U([4])]),
  sub_alpha: c((a, b) => a.sub(b, { alpha: 3 }), () => [U([3, 1]), U([3, 4])]),
  rsub: c((a) => a.rsub(2), () => [U([3, 4])]),
  mul: c((a, b) => a.mul(b), () => [U([3, 1]), U([1, 4])]),
  mul_scalar: c((a) => a.mul(-0.5), () => [U([3, 4])]),
  div: c((a, b) => a.div(b), () => [U([2, 3, 4]), U([4], 0.5, 2)]),
  div_scalar: c((a) => a.div(3), () => [U([3, 4])]),
  pow_tensor: c((a, b) => a.pow(b), () => [U([3, 4], 0.3, 2), U([4], -2, 2)]),
  pow_scalar: c((a) => a.pow(3), () => [U([3, 4])]),
  pow_fractional: c((a) => a.pow(-1.5), () => [U([3, 4], 0.3, 2)]),
  pow_scalar_base: c((b) => torch.pow(2.5, b), () => [U([3, 4])]),
  remainder: c((a, b) => a.remainder(b), () => [U([6], 0.1, 0.9), U([6], 1.1, 2)]),
  fmod: c((a, b) => a.fmod(b), () => [U([6], -0.9, 0.9, [0]), U([6], 1.1, 2)]),
  atan2: c((a, b) => a.atan2(b), () => [U([3, 4]), U([3, 4], 0.3, 2)]),
  maximum: c((a, b) => a.maximum(b), () => [U([3, 4]), U([4])]),
  minimum: c((a, b) => a.minimum(b), () => [U([3, 1]), U([3, 4])]),
  where: c((a, b) => torch.where(B([[true, false, true, false], [false, false, true, true], [true, true, true, false]]), a, b), () => [U([3, 4]), U([4])]),
  masked_fill: c((x) => x.masked_fill(B([true, false, false, true]), 0.5), () => [U([3, 4])]),
  div_trunc: c((a, b) => a.div(b, { rounding_mode: 'trunc' }), () => [U([6], 0.1, 0.9), U([6], 1.1, 2)]),
  div_floor: c((a, b) => a.div(b, { rounding_mode: 'floor' }), () => [U([6], -0.9, -0.1), U([6], 1.1, 2)]),
  // reductions
  sum_all: c((x) => x.sum(), () => [U([3, 4])]),
  sum_dims_keepdim: c((x) => x.sum([0, 2], { keepdim: true }), () => [U([2, 3, 4])]),
  mean_dim: c((x) => x.mean(1), () => [U([2, 3, 4])]),
  var_unbiased: c((x) => x.var(1), () => [U([3, 4])]),
  var_biased_all: c((x) => x.var(null, { unbiased: false }), () => [U([3, 4])]),
  std_dims: c((x) => x.std([0, 2], { keepdim: true }), () => [U([2, 3, 4])]),
  prod_dim: c((x) => x.prod(1), () => [U([3, 4], 0.5, 1.5)]),
  prod_all_with_zero: c((x) => x.prod(), () => {
    const x = U([2, 3], 0.5, 1.5);
    x.buffer[4] = 0;
    return [x];
  }),
  max_dim: c((x) => x.max(1).values, () => [U([3, 5])]),
  min_dim_keepdim: c((x) => x.min(0, { keepdim: true }).values, () => [U([3, 5])]),
  max_full: c((x) => x.max(), () => [U([3, 5])]),
  min_full: c((x) => x.min(), () => [U([3, 5])]),
  amax: c((x) => x.amax([0, 2]), () => [U([2, 3, 4])]),
  amin: c((x) => x.amin(1, { keepdim: true }), () => [U([2, 3, 4])]),
  norm_p1: c((x) => x.norm(1), () => [U([3, 4], -2, 2, [0])]),
  norm_p2_dim: c((x) => x.norm(2, 1), () => [U([3, 4])]),
  norm_pinf: c((x) => x.norm(Infinity, 0), () => [U([3, 4])]),
  norm_p3: c((x) => x.norm(3), () => [U([3, 4], -2, 2, [0])]),
  norm_fro: c((x) => x.norm('fro', [1, 2], { keepdim: true }), () => [U([2, 3, 4])]),
  logsumexp: c((x) => x.logsumexp(1), () => [U([3, 4])]),
  logsumexp_dims: c((x) => x.logsumexp([0, 2], { keepdim: true }), () => [U([2, 3, 4])]),
  cumsum: c((x) => x.cumsum(1), () => [U([3, 4])]),
  cumsum_dim0: c((x) => x.cumsum(0), () => [U([3, 2, 2])]),
  softmax: c((x) => x.softmax(1), () => [U([3, 4])]),
  softmax_dim0: c((x) => x.softmax(0), () => [U([3, 2, 2])]),
  log_softmax: c((x) => x.log_softmax(-1), () => [U([3, 4])]),
  // linear algebra
  matmul_1d_1d: c((a, b) => a.matmul(b), () => [U([4]), U([4])]),
  matmul_2d_2d: c((a, b) => a.matmul(b), () => [U([3, 4]), U([4, 2])]),
  matmul_1d_2d: c((a, b) => a.matmul(b), () => [U([4]), U([4, 3])]),
  matmul_2d_1d: c((a, b) => a.matmul(b), () => [U([3, 4]), U([4])]),
  matmul_batched_bcast: c((a, b) => a.matmul(b), () => [U([2, 1, 3, 4]), U([2, 4, 2])]),
  matmul_3d_2d: c((a, b) => a.matmul(b), () => [U([2, 3, 4]), U([4, 2])]),
  matmul_transposed: c((a, b) => a.t().matmul(b.t()), () => [U([4, 3]), U([2, 4])]),
  mm: c((a, b) => a.mm(b), () => [U([3, 4]), U([4, 2])]),
  bmm: c((a, b) => a.bmm(b), () => [U([2, 3, 4]), U([2, 4, 2])]),
  mv: c((a, v) => a.mv(v), () => [U([3, 4]), U([4])]),
  dot: c((a, b) => a.dot(b), () => [U([5]), U([5])]),
  outer: c((a, b) => a.outer(b), () => [U([3]), U([4])]),
  // joining and indexing
  cat: c((a, b) => torch.cat([a, b], 1), () => [U([2, 3]), U([2, 2])]),
  stack: c((a, b) => torch.stack([a, b], -1), () => [U([2, 3]), U([2, 3])]),
  split: c((x) => torch.split(x, [1, 3], 1), () => [U([2, 4])]),
  chunk: c((x) => torch.chunk(x, 2, 0), () => [U([3, 2])]),
  unbind: c((x) => torch.unbind(x, 1), () => [U([2, 3])]),
  index_select: c((x) => torch.index_select(x, 0, I([2, 0, 2])), () => [U([3, 4])]),
  gather: c((x) => torch.gather(x, 1, I([[0, 2, 2], [1, 0, 3], [3, 3, 1]])), () => [U([3, 4])]),
  scatter: c((x, s) => torch.scatter(x, 1, I([[0, 2], [1, 3]]), s), () => [U([2, 4]), U([2, 2])]),
  scatter_add: c((x, s) => torch.scatter_add(x, 0, I([[0, 1, 0], [0, 1, 1]]), s), () => [U([2, 3]), U([2, 3])]),
  masked_select: c((x) => torch.masked_select(x, B([true, false, true])), () => [U([2, 3])]),
  index_tensor: c((x) => x.index(I([2, 0, 2]), '1:'), () => [U([3, 4])]),
  index_mask: c((x) => x.index(B([[true, false], [false, true]])), () => [U([2, 2])]),
  // views
  reshape: c((x) => x.reshape(4, -1), () => [U([2, 3, 2])]),
  reshape_noncontiguous: c((x) => x.t().reshape(-1), () => [U([3, 4])]),
  view: c((x) => x.view(6, 2), () => [U([2, 3, 2])]),
  permute: c((x) => x.permute(2, 0, 1), () => [U([2, 3, 2])]),
  transpose: c((x) => x.transpose(0, 2), () => [U([2, 3, 2])]),
  t: c((x) => x.t(), () => [U([2, 3])]),
  T: c((x) => x.T, () => [U([2, 3, 2])]),
  narrow: c((x) => x.narrow(1, 1, 2), () => [U([2, 4])]),
  select: c((x) => x.select(-1, 1), () => [U([2, 3])]),
  index_slices: c((x) => x.index('::2', null, '1::2'), () => [U([5, 4])]),
  index_ellipsis: c((x) => x.index('...', 1), () => [U([2, 3, 2])]),
  expand: c((x) => x.expand(2, 3, 4), () => [U([3, 1])]),
  repeat: c((x) => x.repeat(2, 3), () => [U([2, 2])]),
  unsqueeze: c((x) => x.unsqueeze(1), () => [U([2, 3])]),
  squeeze: c((x) => x.squeeze(), () => [U([1, 3, 1])]),
  flatten: c((x) => x.flatten(1), () => [U([2, 2, 3])]),
  unflatten: c((x) => x.unflatten(1, [2, 3]), () => [U([2, 6])]),
  clone: c((x) => x.clone(), () => [U([2, 3])]),
  contiguous: c((x) => x.t().contiguous(), () => [U([2, 3])]),
  // backward-only ops, checked through a vector-Jacobian product built with create_graph: v ↦ vᵀ·J is linear in v,
  // and its own backward is the forward op again
  index_add_vjp: c((v) => vjp((x) => torch.index_select(x, 1, I([2, 0, 2])), [2, 3], v), () => [U([2, 3])]),
  view_scatter_vjp: c((v) => vjp((x) => x.narrow(1, 1, 2).select(0, 1), [3, 4], v), () => [U([2])]),
  // in-place ops on non-leaf tensors inside a graph
  inplace_add_mul: c((x, z) => { const y = x.mul(2); y.add_(1); y.mul_(z); return y; }, () => [U([3, 4]), U([4])]),
  inplace_sub_div: c((x, z) => { const y = x.mul(1.5); y.sub_(z, { alpha: 2 }); y.div_(z.abs().add(1)); return y; }, () => [U([3, 4]), U([3, 4])]),
  inplace_pow_clamp: c((x) => { const y = x.clone(); y.pow_(2); y.clamp_(0.1, 2); return y; }, () => [U([3, 4], -1.6, 1.6, [-1.414, -0.316, 0.316, 1.414], 0.05)]),
  inplace_unary: c((x) => { const y = x.add(0.5); y.abs_(); y.sqrt_(); y.exp_(); return y; }, () => [U([3, 4], -2, 2, [-0.5])]),
  inplace_masked_fill: c((x) => { const y = x.mul(3); y.masked_fill_(B([false, true, false]), 1); y.sigmoid_(); return y; }, () => [U([2, 3])]),
  inplace_copy: c((x, z) => { const y = x.mul(3); y.copy_(z); return y.mul(x); }, () => [U([2, 3]), U([3])]),
  inplace_addcmul_addcdiv: c((x, a, b) => { const y = x.mul(1); y.addcmul_(a, b, { value: 0.5 }); y.addcdiv_(a, b.abs().add(1), { value: -2 }); return y; }, () => [U([2, 3]), U([2, 3]), U([3])]),
  inplace_lerp_relu: c((x, e) => { const y = x.mul(1); y.lerp_(e, 0.25); y.relu_(); return y; }, () => [U([3, 4], 0.5, 2), U([3, 4], 0.5, 2)]),
  inplace_neg_pow: c((x, p) => { const y = x.add(0); y.neg_(); y.pow_(p); return y; }, () => [U([3, 4], -2, -0.3), U([4], -1, 2)]),
  inplace_scatter_add: c((x, s) => { const y = x.mul(2); y.scatter_add_(1, I([[0, 0], [2, 1]]), s); return y; }, () => [U([2, 3]), U([2, 2])]),
};

/** vᵀ·∂f/∂x at a fixed point, differentiable in v (the cotangent) through create_graph. */
function vjp(f: (x: Tensor) => Tensor, shape: number[], v: Tensor): Tensor {
  // enable_grad: gradcheck evaluates the numerical side under no_grad, and this function needs a graph of f
  return torch.enable_grad(() => {
    const x = torch.ones(shape, { dtype: 'float64', requires_grad: true });
    return torch.autograd.grad(f(x), [x], [v], { create_graph: true })[0]!;
  });
}

/** Casting: float64 → float32 → float64 is the identity up to float32 rounding, so a wide step and tolerance suit it. */
const castCheck = (): boolean => torch.autograd.gradcheck((x) => x.to('float32').mul(2).to('float64'), [U([4])], { eps: 1e-2, atol: 1e-4 });

/** The ops of src/core/ops that have a backward rule: every one must appear in some checked graph below. */
const CORE_DIFFERENTIABLE = [
  'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sin', 'cos',
  'tan', 'tanh', 'atan', 'erf', 'erfc', 'sigmoid', 'relu', 'leaky_relu', 'floor', 'ceil', 'trunc', 'round', 'pow_scalar',
  'clamp_scalar', 'cast', 'add', 'sub', 'mul', 'div', 'div_trunc', 'div_floor', 'remainder', 'fmod', 'pow', 'maximum', 'minimum',
  'atan2', 'where', 'sum', 'prod', 'max_dim', 'amax', 'norm', 'cumsum', 'softmax', 'bmm', 'cat', 'index_select', 'index_add',
  'gather', 'scatter', 'view_scatter', 'view', 'permute', 'expand', 'clone', 'unsqueeze', 'squeeze', 'narrow', 'select', 'slice',
];

function graphNames(outs: Tensor | Tensor[], into: Set<string>): void {
  const seen = new Set<unknown>();
  const stack = (Array.isArray(outs) ? outs : [outs]).map((t) => t.grad_fn).filter((n) => n !== null);
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    into.add(node.name);
    for (const e of node.next) if (e && 'node' in e) stack.push(e.node);
  }
}

describe('torch.autograd.gradcheck, float64 central differences', () => {
  beforeAll(() => { rand = rng(20240601); });
  for (const [name, { fn, inputs }] of Object.entries(CHECKS)) {
    test(name, () => {
      expect(torch.autograd.gradcheck(fn, inputs())).toBe(true);
    });
  }
  test('cast', () => expect(castCheck()).toBe(true));

  test('every differentiable core op is in some checked graph', () => {
    const names = new Set<string>(['cast']); // checked by the cast test above
    for (const { fn, inputs } of Object.values(CHECKS)) graphNames(fn(...inputs()), names);
    expect(CORE_DIFFERENTIABLE.filter((n) => !names.has(n))).toEqual([]);
    for (const n of CORE_DIFFERENTIABLE) expect(registered(n)?.backward).toBeInstanceOf(Function);
  });
});

describe('gradcheck itself', () => {
  test('catches a wrong backward rule', () => {
    class BadSquare extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, x: Tensor): Tensor {
        ctx.save_for_backward(x);
        return x.mul(x);
      }
      static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor): Tensor {
        const [x] = ctx.saved_tensors;
        return g.mul(x).mul(3); // should be 2x
      }
    }
    const x = U([3], 0.5, 1.5);
    expect(() => torch.autograd.gradcheck((t) => BadSquare.apply(t), [x])).toThrow(/Jacobian mismatch/);
    expect(torch.autograd.gradcheck((t) => BadSquare.apply(t), [x], { raise_exception: false })).toBe(false);
  });

  test('asks for float64 inputs', () => {
    const x = torch.ones([2], { requires_grad: true });
    expect(() => torch.autograd.gradcheck((t) => t.mul(2), [x])).toThrow(/float64/);
  });
});
