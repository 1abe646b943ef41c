/**
 * Error behaviour: every public function names itself, the argument, what it expected and what came (DESIGN §6).
 * Shape mismatches name both shapes; bad dtypes, out-of-range dims/indices, unknown option keys and wrong argument types
 * say what was expected; autograd misuse (second backward, in-place on a leaf, saved tensor modified) raises.
 */
import * as torch from '../../src/torch/index';
import * as F from '../../src/torch/nn/functional';

const x = torch.ones(2, 3);
const v4 = torch.ones(4);
const i32 = (d: number[] | number[][]): torch.Tensor => torch.tensor(d, { dtype: 'int32' });
const leaf = (): torch.Tensor => torch.ones(2, 3).requires_grad_();

/** The message must match every pattern (op name, both shapes, what was expected, …). */
function expectError(f: () => unknown, ...patterns: (RegExp | string)[]): void {
  let msg: string | null = null;
  try {
    f();
  } catch (e) {
    msg = (e as Error).message;
  }
  if (msg === null) throw new Error(`expected an error matching ${patterns.join(' and ')}, but nothing was thrown`);
  for (const p of patterns) {
    const ok = typeof p === 'string' ? msg.includes(p) : p.test(msg);
    if (!ok) throw new Error(`error message ${JSON.stringify(msg)} does not contain ${p}`);
  }
}

describe('shape mismatches name the op and both shapes', () => {
  const cases: [string, () => unknown, ...string[]][] = [
    ['add', () => x.add(v4), 'torch.add', '[2, 3]', '[4]'],
    ['sub', () => torch.sub(x, v4), 'torch.sub', '[2, 3]', '[4]'],
    ['mul', () => torch.mul(v4, x), 'torch.mul', '[4]', '[2, 3]'],
    ['div', () => x.div(torch.ones(3, 1)), 'torch.div', '[2, 3]', '[3, 1]'],
    ['pow', () => x.pow(v4), 'torch.pow', '[2, 3]', '[4]'],
    ['maximum', () => torch.maximum(x, v4), 'torch.maximum', '[2, 3]', '[4]'],
    ['gt', () => x.gt(v4), 'torch.gt', '[2, 3]', '[4]'],
    ['logical_and', () => torch.logical_and(x, v4), 'torch.logical_and', '[2, 3]', '[4]'],
    ['where', () => torch.where(x.gt(0), x, v4), 'torch.where', '[2, 3]', '[4]'],
    ['masked_fill', () => x.masked_fill(v4.gt(0), 1), 'masked_fill', '[4]', '[2, 3]'],
    ['matmul 2-D', () => x.matmul(torch.ones(4, 5)), 'torch.mm', '2x3', '4x5'],
    ['matmul batched', () => torch.ones(2, 2, 3).matmul(torch.ones(3, 4, 5)), 'torch.matmul', '[2, 2, 3]', '[3, 4, 5]'],
    ['matmul batch broadcast', () => torch.ones(2, 2, 3).matmul(torch.ones(3, 3, 5)), 'torch.matmul', '[2]', '[3]'],
    ['bmm', () => torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 5)), 'torch.bmm', '[2, 2, 3]', '[3, 3, 5]'],
    ['mv', () => torch.mv(x, v4), 'torch.mv', '[2, 3]', '[4]'],
    ['dot', () => torch.dot(torch.ones(3), v4), 'torch.dot', '3', '4'],
    ['cat', () => torch.cat([x, torch.ones(2, 4)], 0), 'torch.cat', '[2, 3]', '[2, 4]'],
    ['stack', () => torch.stack([x, torch.ones(3, 2)]), 'torch.stack', '[2, 3]', '[3, 2]'],
    ['reshape', () => x.reshape(4, 2), 'torch.reshape', '[4, 2]', 'size 6'],
    ['view', () => x.t().view(6), 'Tensor.view', '[6]', '[3, 2]'],
    ['expand', () => x.expand(3, 3), 'Tensor.expand', '[3, 3]', '[2, 3]'],
    ['gather', () => torch.gather(x, 1, i32([[0], [0], [0]])), 'torch.gather', '[3, 1]', '[2, 3]'],
    ['scatter src', () => torch.scatter(x, 1, i32([[0, 1]]), torch.ones(1, 1)), 'torch.scatter', '[1, 1]', '[1, 2]'],
    ['backward gradient', () => leaf().mul(2).backward(torch.ones(3)), 'Tensor.backward', '[3]', '[2, 3]'],
    ['in-place result', () => x.clone().add_(torch.ones(3, 2, 3)), 'Tensor.add_', '[2, 3]', '[3, 2, 3]'],
  ];
  for (const [name, f, ...patterns] of cases) test(name, () => expectError(f, ...patterns));
});

describe('bad dtypes say what was expected', () => {
  const ints = torch.zeros([2], { dtype: 'int32' });
  const cases: [string, () => unknown, ...(string | RegExp)[]][] = [
    ['where condition', () => torch.where(x, x, x), 'torch.where', 'condition must be a bool tensor', 'float32'],
    ['masked_fill mask', () => x.masked_fill(x, 1), 'masked_fill', 'mask must be a bool tensor'],
    ['index_select index', () => torch.index_select(x, 0, torch.zeros(1)), 'torch.index_select', 'int32 tensor', 'float32'],
    ['gather index', () => torch.gather(x, 0, torch.zeros(1, 1)), 'torch.gather', 'int32 tensor'],
    ['mean of int', () => ints.mean(), 'torch.mean', 'floating point', 'int32'],
    ['softmax of int', () => torch.softmax(ints, 0), 'torch.softmax', 'floating point'],
    ['var of int', () => ints.var(), 'torch.var', 'floating point'],
    ['norm of int', () => ints.norm(), 'torch.norm', 'floating point'],
    ['matmul mixed', () => x.matmul(torch.ones([3, 2], { dtype: 'float64' })), 'torch.matmul', 'same dtype', 'float32', 'float64'],
    ['matmul bool', () => x.gt(0).matmul(x.t().gt(0)), 'torch.matmul', 'numeric'],
    ['requires_grad on int', () => ints.requires_grad_(), 'requires_grad_', 'floating point', 'int32'],
    ['unknown dtype name', () => torch.zeros([2], { dtype: 'int64' as torch.DType }), 'torch.zeros', 'dtype must be one of', '"int64"'],
    ['to unknown dtype', () => x.to('half' as torch.DType), 'Tensor.to', 'dtype must be one of'],
    ['in-place float into int', () => torch.zeros([2], { dtype: 'int32' }).add_(1.5), 'Tensor.add_', 'float32', 'int32'],
    ['one_hot of float', () => F.one_hot(torch.zeros(2)), 'F.one_hot', 'int32'],
    ['sub of bools', () => x.gt(0).sub(x.gt(1)), 'torch.sub', 'bool', 'logical_xor'],
  ];
  for (const [name, f, ...patterns] of cases) test(name, () => expectError(f, ...patterns));
});

describe('out-of-range dims and indices', () => {
  const cases: [string, () => unknown, ...(string | RegExp)[]][] = [
    ['sum dim', () => x.sum(2), 'torch.sum', 'dim', '[-2, 1]', 'got 2'],
    ['sum negative dim', () => x.sum(-3), 'torch.sum', 'got -3'],
    ['repeated dims', () => x.sum([0, -2]), 'torch.sum', 'distinct'],
    ['transpose', () => x.transpose(0, 5), 'torch.transpose', 'dim1', 'got 5'],
    ['softmax', () => x.softmax(2), 'torch.softmax', 'got 2'],
    ['unsqueeze', () => x.unsqueeze(4), 'torch.unsqueeze', '[-3, 2]', 'got 4'],
    ['max dim', () => x.max(2), 'torch.max', 'got 2'],
    ['cumsum', () => x.cumsum(-3), 'torch.cumsum', 'got -3'],
    ['size', () => x.size(2), 'Tensor.size', 'got 2'],
    ['permute', () => x.permute(0, 0), 'torch.permute', 'permutation'],
    ['select', () => x.select(1, 3), 'torch.select', 'index 3', 'size 3'],
    ['index integer', () => x.index(5), 'index 5', 'out of bounds', 'size 2'],
    ['too many indices', () => x.index(0, 0, 0), 'Tensor.index', 'too many indices'],
    ['negative slice step', () => x.index('::-1'), 'Tensor.index', 'positive integer'],
    ['index_select', () => torch.index_select(x, 1, i32([0, 3])), 'torch.index_select', 'index 3', 'size 3'],
    ['gather', () => torch.gather(x, 1, i32([[0, 3]])), 'torch.gather', 'index 3', 'size 3'],
    ['scatter', () => torch.scatter(x, 1, i32([[0, -4]]), 1), 'torch.scatter', 'index -4'],
    ['narrow', () => x.narrow(1, 2, 2), 'torch.narrow', 'exceeds', 'size 3'],
    ['split sizes', () => x.split([1, 1], 1), 'torch.split', 'sum', '(3)'],
    ['one_hot classes', () => F.one_hot(i32([0, 3]), 3), 'F.one_hot', '[0, 3)', 'got 3'],
    ['item of many', () => x.item(), 'Tensor.item', 'one-element', '[2, 3]'],
    ['amax over an empty dim', () => torch.amax(torch.zeros(0, 3), 0), 'torch.amax', 'dim 0', 'non-zero size'],
    ['max over an empty dim', () => torch.max(torch.zeros(2, 0), 1), 'torch.max', 'dimension 1', 'size 0'],
  ];
  for (const [name, f, ...patterns] of cases) test(name, () => expectError(f, ...patterns));
});

describe('unknown option keys raise (a typo must not pass silently)', () => {
  const cases: [string, () => unknown, ...string[]][] = [
    ['sum keepdims', () => x.sum(0, { keepdims: true } as never), 'torch.sum', 'unknown option "keepdims"', 'keepdim'],
    ['add alfa', () => torch.add(x, x, { alfa: 2 } as never), 'torch.add', 'unknown option "alfa"', 'alpha'],
    ['zeros dtpye', () => torch.zeros(2, { dtpye: 'float32' } as never), 'torch.zeros', 'unknown option "dtpye"'],
    ['tensor', () => torch.tensor([1], { requires_grads: true } as never), 'torch.tensor', '"requires_grads"'],
    ['var unbias', () => x.var(0, { unbias: false } as never), 'torch.var', '"unbias"', 'unbiased'],
    ['max keep', () => x.max(0, { keep: true } as never), 'torch.max', '"keep"'],
    ['div mode', () => x.div(2, { mode: 'floor' } as never), 'torch.div', '"mode"', 'rounding_mode'],
    ['backward retain', () => leaf().sum().backward(null, { retain: true } as never), 'Tensor.backward', '"retain"', 'retain_graph'],
    ['autograd.grad create', () => torch.autograd.grad(leaf().sum(), [leaf()], null, { create: true } as never), 'torch.autograd.grad', '"create"'],
    ['gradcheck', () => torch.autograd.gradcheck((t) => t, [leaf()], { epsilon: 1 } as never), 'gradcheck', '"epsilon"'],
  ];
  for (const [name, f, ...patterns] of cases) test(name, () => expectError(f, ...patterns));
});

describe('wrong argument types say what was expected and what came', () => {
  const cases: [string, () => unknown, ...string[]][] = [
    ['add string', () => x.add('2' as never), 'torch.add', 'other', 'a Tensor or a number', '"2"'],
    ['exp array', () => torch.exp([1, 2] as never), 'torch.exp', 'input must be a Tensor', '[1, 2]'],
    ['sum string dim', () => x.sum('1' as never), 'torch.sum', 'dim', '"1"'],
    ['cat non-array', () => torch.cat(x as never), 'torch.cat', 'non-empty array of tensors', 'float32 Tensor of shape [2, 3]'],
    ['requires_grad_ string', () => x.requires_grad_('yes' as never), 'requires_grad_', 'boolean', '"yes"'],
    ['reshape fraction', () => x.reshape(2.5), 'Tensor.reshape', 'integers', '2.5'],
    ['tensor string', () => torch.tensor('abc' as never), 'torch.tensor', 'nested arrays of numbers or booleans', '"abc"'],
    ['tensor ragged', () => torch.tensor([[1, 2], [3]]), 'torch.tensor', 'ragged'],
    ['matmul number', () => x.matmul(3 as never), 'torch.matmul', 'must be a Tensor', 'got 3'],
    ['clamp string', () => x.clamp('1' as never), 'torch.clamp', 'min', 'a number, a Tensor or null', '"1"'],
    ['full string', () => torch.full([2], 'a' as never), 'torch.full', 'fill_value', '"a"'],
    ['where string', () => torch.where(x.gt(0), 'a' as never, x), 'torch.where', '"a"'],
    ['no_grad number', () => torch.no_grad(3 as never), 'torch.no_grad', 'function'],
    ['index boolean', () => x.index(true as never), 'Tensor.index', 'integer', 'slice'],
    ['div rounding mode', () => x.div(2, { rounding_mode: 'round' as never }), 'torch.div', "'trunc' or 'floor'", '"round"'],
    ['norm p', () => x.norm('nuc' as never), 'torch.norm', "a number or 'fro'", '"nuc"'],
    ['backward gradient', () => leaf().sum().backward(3 as never), 'Tensor.backward', 'gradient', 'Tensor'],
    ['options as a tensor', () => x.sum(0, x as never), 'torch.sum', 'options object'],
  ];
  for (const [name, f, ...patterns] of cases) test(name, () => expectError(f, ...patterns));
});

describe('autograd misuse', () => {
  test('a second backward without retain_graph raises, and works with it', () => {
    const w = leaf();
    const y = w.exp().sum();
    y.backward();
    expectError(() => y.backward(), 'backward through the graph a second time', 'retain_graph');
    const w2 = leaf();
    const y2 = w2.exp().sum();
    y2.backward(null, { retain_graph: true });
    y2.backward();
    expect(Array.from(w2.grad!.toTypedArray())).toEqual(new Array(6).fill(Math.fround(2 * Math.E)));
  });

  test('in-place on a leaf that requires grad raises (and is allowed under no_grad)', () => {
    const w = leaf();
    for (const f of [() => w.add_(1), () => w.mul_(2), () => w.relu_(), () => w.clamp_(0, 1), () => w.copy_(x), () => w.fill_(0), () => w.zero_(), () => w.uniform_()]) {
      expectError(f, 'leaf tensor that requires grad', 'in-place');
    }
    // writing through a view of the leaf is refused too, and the leaf's values stay untouched
    expectError(() => w.setitem(0, 5), 'Tensor.copy_', 'a view of a leaf tensor that requires grad');
    expectError(() => w.index(':', 1).fill_(5), 'a view of a leaf tensor that requires grad');
    expectError(() => w.narrow(1, 0, 2).mul_(2), 'Tensor.mul_', 'a view of a leaf tensor that requires grad');
    expect(Array.from(w.toTypedArray())).toEqual([1, 1, 1, 1, 1, 1]);
    torch.no_grad(() => w.add_(1));
    torch.no_grad(() => w.setitem(0, 5));
    expect(Array.from(w.toTypedArray())).toEqual([5, 5, 5, 2, 2, 2]);
    expect(w.grad_fn).toBeNull();
    // a detached alias does not require grad: writing through it is allowed, as with torch's p.data / p.detach()
    w.detach().zero_();
    expect(Array.from(w.toTypedArray())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('writing a constant into a view of a non-leaf that requires grad raises instead of keeping a stale gradient', () => {
    const w = leaf();
    const y = w.mul(2);
    expectError(() => y.index(0).copy_(torch.zeros(3)), 'Tensor.copy_', 'view of a tensor that requires grad', 'not supported');
    expectError(() => y.index(':', '1:').add_(w.index(':', '1:')), 'view with a result that requires grad', 'not supported');
    // the whole-tensor forms work: masked_fill_ rebases y's history, so the filled row gets no gradient
    y.masked_fill_(torch.tensor([[true, true, true], [false, false, false]]), 0);
    y.sum().backward();
    expect(Array.from(w.grad!.toTypedArray())).toEqual([0, 0, 0, 2, 2, 2]);
  });

  test('a saved input modified in place raises at backward', () => {
    const w = leaf();
    const h = w.mul(1);
    const y = h.sin(); // sin saves its input h
    h.add_(1);
    expectError(() => y.sum().backward(), 'modified by an in-place operation', 'version 1', 'expected 0');
  });

  test('a saved output modified in place raises at backward', () => {
    const w = leaf();
    const y = w.exp(); // exp saves its output y
    y.mul_(2);
    expectError(() => y.sum().backward(), 'modified by an in-place operation');
  });

  test('a tensor saved by an autograd.Function modified in place raises at backward', () => {
    class Cube extends torch.autograd.Function {
      static override forward(ctx: torch.autograd.FunctionCtx, t: torch.Tensor): torch.Tensor {
        ctx.save_for_backward(t);
        return t.pow(3);
      }
      static override backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor {
        const [t] = ctx.saved_tensors;
        return g.mul(t.square()).mul(3);
      }
    }
    const w = leaf();
    const h = w.mul(1);
    const y = Cube.apply(h) as torch.Tensor;
    h.add_(1);
    expectError(() => y.sum().backward(), 'Cube', 'modified by an in-place operation');
  });

  test('an autograd.Function backward returning a gradient of the wrong shape raises, naming the Function', () => {
    class Bad extends torch.autograd.Function {
      static override forward(_ctx: torch.autograd.FunctionCtx, t: torch.Tensor): torch.Tensor { return t.mul(2); }
      static override backward(_ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor { return g.sum(1); }
    }
    expectError(() => (Bad.apply(leaf()) as torch.Tensor).sum().backward(), 'Bad.backward', 'gradient 0', '[2]', '[2, 3]');
  });

  test('in-place on a non-leaf whose old value nobody saved is fine', () => {
    // spikeport's in-place ops record on a copy of the old value, so unlike torch (which raises for
    // y = x + 0; y.relu_(); y.mul_(z)) a later in-place op never invalidates an earlier one's saved output
    const w = leaf();
    const y = w.add(0);
    y.relu_();
    y.mul_(3);
    y.sum().backward();
    expect(Array.from(w.grad!.toTypedArray())).toEqual([3, 3, 3, 3, 3, 3]);
  });

  test('backward on a tensor that does not require grad, and implicit gradient of a non-scalar', () => {
    expectError(() => x.sum().backward(), 'does not require grad');
    expectError(() => leaf().mul(2).backward(), 'scalar outputs', '[2, 3]');
  });

  test('autograd.grad: an unused input raises unless allow_unused', () => {
    const a = leaf(), b = leaf();
    expectError(() => torch.autograd.grad(a.sum(), [a, b]), 'input 1', 'allow_unused');
    const [ga, gb] = torch.autograd.grad(a.sum(), [a, b], null, { allow_unused: true });
    expect(Array.from(ga!.toTypedArray())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(gb).toBeNull();
  });

  test('requires_grad_(false) on a non-leaf raises', () => {
    expectError(() => leaf().mul(2).requires_grad_(false), 'leaf', 'detach');
  });
});
