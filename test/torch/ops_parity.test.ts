/**
 * Op parity with PyTorch: replays every case recorded by compat/record_ops.py (real torch 1.13) from fixtures/torch/ops.
 * Forward outputs within 1e-6 absolute + 1e-6 relative (bit-exact for ops whose result is exactly representable, and
 * for bool/int outputs and indices); gradients of the recorded loss sum(out * w) within 1e-5 relative + 1e-6 absolute.
 * int64 results (indices, argmax, nonzero, one_hot, sums of bools/ints) are int32 in spikeport: dtype int32 is expected
 * there, with the same values.
 */
import * as torch from '../../src/torch/index';
import * as F from '../../src/torch/nn/functional';
import { FWD_TOL, GRAD_TOL, loadOpFixtures, mismatch, spikeportDtype, toTensor, type OpCase, type Tol } from './helpers';

type Tensor = torch.Tensor;
type Out = Tensor | Tensor[];
type Kw = Record<string, any>;
type OpFn = (a: any[], k: Kw) => Out;

// ---- the in-place and view programs (the same steps as compat/record_ops.py's prog_* functions) ------------------------

const programs: Record<string, OpFn> = {
  prog_add_mul: ([x, z]) => { const y = x.mul(2); y.add_(1); y.mul_(z); return y; },
  prog_sub_div: ([x, z, p]) => { const y = x.mul(1.5); y.sub_(z, { alpha: 2 }); y.div_(p); return y; },
  prog_mul_relu: ([x, z]) => { const y = x.add(0); y.mul_(z); y.relu_(); return y; },
  prog_clamp_pow: ([x]) => { const y = x.clone(); y.clamp_(-0.5, 0.5); y.pow_(2); return y; },
  prog_masked_fill_exp: ([x, m]) => { const y = x.mul(1); y.masked_fill_(m, 0); y.exp_(); return y; },
  prog_copy: ([x, z]) => { const y = x.mul(3); y.copy_(z); return y.add(x); },
  prog_addcmul: ([x, a, b]) => { const y = x.mul(1); y.addcmul_(a, b, { value: 0.5 }); return y; },
  prog_add_sigmoid: ([x]) => { const y = x.clone(); y.add_(1); y.sigmoid_(); return y; },
  prog_add_sqrt: ([x]) => { const y = x.mul(2); y.add_(0.5); y.sqrt_(); return y; },
  prog_two_outputs: ([x, z]) => { const y = x.mul(z); const u = y.clone(); y.add_(x); return [y, u]; },
  prog_view_chain: ([x]) => x.transpose(0, 1).index('::2').reshape(-1).unsqueeze(0).expand(3, -1),
  prog_view_chain2: ([x]) => x.permute(2, 0, 1).flatten(1).narrow(1, 1, 4).t().select(1, 2),
  prog_view_reuse: ([x]) => x.t().mul(x).add(x.index(':', ':1')),
};

// ---- op name -> spikeport call -----------------------------------------------------------------------------------------

const unary = (f: (x: Tensor) => Tensor): OpFn => ([x]) => f(x);
const binary = (f: (a: any, b: any, k?: any) => Tensor): OpFn => ([a, b], k) => f(a, b, k);

const OPS: Record<string, OpFn> = {
  // elementwise
  neg: unary(torch.neg), abs: unary(torch.abs), sign: unary(torch.sign), exp: unary(torch.exp), expm1: unary(torch.expm1),
  log: unary(torch.log), log1p: unary(torch.log1p), sqrt: unary(torch.sqrt), rsqrt: unary(torch.rsqrt),
  square: unary(torch.square), reciprocal: unary(torch.reciprocal), sin: unary(torch.sin), cos: unary(torch.cos),
  tanh: unary(torch.tanh), atan: unary(torch.atan), erf: unary(torch.erf), sigmoid: unary(torch.sigmoid),
  relu: unary(torch.relu), floor: unary(torch.floor), ceil: unary(torch.ceil), round: unary(torch.round),
  logical_not: unary(torch.logical_not), isnan: unary(torch.isnan), isfinite: unary(torch.isfinite), isinf: unary(torch.isinf),
  leaky_relu: ([x, slope]) => F.leaky_relu(x, slope),
  clamp: ([x], k) => torch.clamp(x, k.min, k.max),
  add: binary(torch.add), sub: binary(torch.sub), mul: binary(torch.mul), div: binary(torch.div), pow: binary(torch.pow),
  maximum: binary(torch.maximum), minimum: binary(torch.minimum),
  gt: binary(torch.gt), ge: binary(torch.ge), lt: binary(torch.lt), le: binary(torch.le), eq: binary(torch.eq), ne: binary(torch.ne),
  logical_and: binary(torch.logical_and), logical_or: binary(torch.logical_or),
  where: ([c, a, b]) => torch.where(c, a, b),
  masked_fill: ([x, m, v]) => torch.masked_fill(x, m, v),
  to: ([x, dtype]) => x.to(dtype),
  // reductions
  sum: ([x, d], k) => torch.sum(x, d, k),
  mean: ([x, d], k) => torch.mean(x, d, k),
  var: ([x, d], k) => torch.var(x, d, k),
  std: ([x, d], k) => torch.std(x, d, k),
  prod: ([x, d], k) => torch.prod(x, d, k),
  max: ([x, d], k) => (d === undefined ? x.max() : torch.max(x, d, k)) as unknown as Out,
  min: ([x, d], k) => (d === undefined ? x.min() : torch.min(x, d, k)) as unknown as Out,
  amax: ([x, d], k) => torch.amax(x, d, k),
  amin: ([x, d], k) => torch.amin(x, d, k),
  argmax: ([x, d], k) => torch.argmax(x, d, k),
  argmin: ([x, d], k) => torch.argmin(x, d, k),
  norm: ([x, p, d], k) => torch.norm(x, p, d, k),
  logsumexp: ([x, d], k) => torch.logsumexp(x, d, k),
  cumsum: ([x, d]) => torch.cumsum(x, d),
  softmax: ([x, d]) => torch.softmax(x, d),
  log_softmax: ([x, d]) => torch.log_softmax(x, d),
  // linear algebra
  matmul: binary(torch.matmul), mm: binary(torch.mm), bmm: binary(torch.bmm), mv: binary(torch.mv),
  dot: binary(torch.dot), outer: binary(torch.outer),
  // joining and indexing
  cat: ([ts, d]) => torch.cat(ts, d),
  stack: ([ts, d]) => torch.stack(ts, d),
  split: ([x, s, d]) => torch.split(x, s, d),
  chunk: ([x, n, d]) => torch.chunk(x, n, d),
  unbind: ([x, d]) => torch.unbind(x, d),
  index_select: ([x, d, i]) => torch.index_select(x, d, i),
  gather: ([x, d, i]) => torch.gather(x, d, i),
  scatter: ([x, d, i, s]) => torch.scatter(x, d, i, s),
  scatter_add: ([x, d, i, s]) => torch.scatter_add(x, d, i, s),
  nonzero: ([x]) => torch.nonzero(x),
  one_hot: ([i, n]) => F.one_hot(i, n),
  masked_select: ([x, m]) => torch.masked_select(x, m),
  // views
  reshape: ([x, s]) => torch.reshape(x, s),
  view: ([x, s]) => x.view(s),
  permute: ([x, dims]) => torch.permute(x, dims),
  transpose: ([x, a, b]) => torch.transpose(x, a, b),
  t: ([x]) => x.t(),
  narrow: ([x, d, s, n]) => torch.narrow(x, d, s, n),
  select: ([x, d, i]) => torch.select(x, d, i),
  index: ([x, items]) => x.index(...items),
  expand: ([x, s]) => x.expand(s),
  unsqueeze: ([x, d]) => torch.unsqueeze(x, d),
  squeeze: ([x, d]) => torch.squeeze(x, d),
  flatten: ([x, s, e]) => torch.flatten(x, s, e),
  unflatten: ([x, d, s]) => torch.unflatten(x, d, s),
  repeat: ([x, s]) => x.repeat(s),
  clone: ([x]) => torch.clone(x),
  contiguous: ([x]) => x.contiguous(),
  ...programs,
};

// ---- replay -------------------------------------------------------------------------------------------------------------

const SCALARS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };

function applyView(t: Tensor, steps: any[][]): Tensor {
  for (const [kind, ...p] of steps) {
    if (kind === 'transpose') t = t.transpose(p[0], p[1]);
    else if (kind === 'permute') t = t.permute(p[0]);
    else if (kind === 'index') t = t.index(...p[0]);
    else if (kind === 'expand') t = t.expand(p[0]);
    else if (kind === 't') t = t.t();
    else throw new Error(`unknown view step ${kind}`);
  }
  return t;
}

function resolve(a: unknown, leaves: Record<string, Tensor>): any {
  if (Array.isArray(a)) return a.map((v) => resolve(v, leaves));
  if (a !== null && typeof a === 'object') {
    const o = a as Record<string, any>;
    if ('tensor' in o) return applyView(leaves[o.tensor], o.view ?? []);
    if ('scalar' in o) return SCALARS[o.scalar];
    if ('dtype' in o) return spikeportDtype(o.dtype);
    throw new Error(`cannot resolve argument ${JSON.stringify(a)}`);
  }
  return a;
}

function runCase(c: OpCase): void {
  const fn = OPS[c.op];
  if (!fn) throw new Error(`no spikeport mapping for op ${c.op}`);
  const want = new Set(c.requires_grad ?? []);
  const leaves: Record<string, Tensor> = {};
  for (const [n, e] of Object.entries(c.inputs)) {
    const t = toTensor(e, `${c.name} input ${n}`);
    leaves[n] = want.has(n) ? t.requires_grad_(true) : t;
  }
  const args = resolve(c.args, leaves) as any[];
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, resolve(v, leaves)]));
  const raw = fn(args, kwargs);
  const outs = Array.isArray(raw) ? [...raw] : [raw];
  const errors: string[] = [];
  if (outs.length !== c.outputs.length) throw new Error(`${c.name}: ${outs.length} outputs, expected ${c.outputs.length}`);
  const tol: Tol = { ...FWD_TOL, ...(c.tol ?? {}) };
  outs.forEach((o, i) => {
    const m = mismatch(`output ${i}`, o, toTensor(c.outputs[i]), c.exact, tol);
    if (m) errors.push(m);
  });
  if (c.grads) {
    let loss: Tensor | null = null;
    c.weights.forEach((w, i) => {
      if (!w) return;
      const term = outs[i].mul(toTensor(w)).sum();
      loss = loss === null ? term : loss.add(term);
    });
    if (loss === null) throw new Error(`${c.name}: grads recorded but no weighted output`);
    (loss as Tensor).backward();
    for (const [n, e] of Object.entries(c.grads)) {
      const expected = toTensor(e);
      const g = leaves[n].grad;
      if (g === null) {
        if (expected.toTypedArray().some((v) => v !== 0)) errors.push(`grad ${n}: null, expected a nonzero gradient`);
        continue;
      }
      const m = mismatch(`grad ${n}`, g, expected, false, GRAD_TOL);
      if (m) errors.push(m);
    }
  }
  if (errors.length) throw new Error(`${c.name} (${c.op}${c.note ? `; ${c.note}` : ''}):\n  ${errors.join('\n  ')}`);
}

const fixtures = loadOpFixtures();

test('fixtures cover every op in the table and nothing unmapped', () => {
  const used = new Set(fixtures.flatMap(({ fixture }) => fixture.cases.map((c) => c.op)));
  expect([...used].filter((op) => !(op in OPS))).toEqual([]);
  expect(Object.keys(OPS).filter((op) => !used.has(op))).toEqual([]);
  expect(fixtures.reduce((n, f) => n + f.fixture.cases.length, 0)).toBeGreaterThan(400);
});

for (const { file, fixture } of fixtures) {
  describe(`${file} (torch ${fixture.version})`, () => {
    for (const c of fixture.cases) {
      test(c.name, () => runCase(c));
    }
  });
}
