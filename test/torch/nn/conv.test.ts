/**
 * F.conv1d / F.conv2d and nn.Conv1d / nn.Conv2d against PyTorch 1.13 (fixtures/torch/conv/conv.json and init.json,
 * recorded by compat/record_conv.py), float64 finite-difference checks (first and second order) and argument errors.
 *
 * Tolerances: forward 1e-5 absolute. A conv output is a sum of Cg·kh·kw products (up to 288 here, weights at the
 * scale of the default init so outputs are O(1)); spikeport accumulates it in float64 and rounds once, torch (oneDNN)
 * in float32 in its own order, so the two differ by torch's rounding error: up to 3.6e-6 here, above the 1e-6 of
 * elementwise ops. The fixtures also hold the float64 result of the same inputs, and spikeport stays within 1e-6 of
 * it (3e-7 measured) where torch is 3.5e-6 away. Gradients: 1e-5 relative + 1e-5 absolute against torch (the weight
 * gradient sums N·Ho·Wo products; loss weights at the scale of a mean loss), 1e-6 absolute against float64.
 */
import * as torch from '../../../src/torch/index';
import { conv1d, conv2d } from '../../../src/core/ops/conv';
import { Conv1d, Conv2d } from '../../../src/torch/nn/modules/conv';
import { Tensor } from '../../../src/core/tensor';
import { expectClose, loadFixture, maxAbsDiff, T } from './fixture_helpers';

const conv = loadFixture('conv');
const inits = loadFixture('init');

describe('F.conv1d / F.conv2d replay PyTorch 1.13', () => {
  const worst = { output: 0, grad: 0, exact: 0, torchExact: 0, gradExact: 0, torchGradExact: 0 };
  afterAll(() => {
    // visible with --verbose; the bound is what the tests assert
    if (process.env.SPIKEPORT_REPORT) console.log(`conv replay: max |output - torch| ${worst.output}, max |grad - torch| ${worst.grad}, max |output - exact| ${worst.exact} (torch: ${worst.torchExact}), max |grad - exact| ${worst.gradExact} (torch: ${worst.torchGradExact})`);
  });
  test.each(conv.cases.map((c: any) => [c.name, c]) as [string, any][])('%s', (_name, c: any) => {
    const x = T(c.input, true), w = T(c.weight, true), b = c.bias ? T(c.bias, true) : null;
    const f = c.fn === 'conv1d' ? conv1d : conv2d;
    const y = f(x, w, b, c.args);
    expectClose(`${c.name}: output`, y, c.output, { atol: 1e-5 });
    worst.output = Math.max(worst.output, maxAbsDiff(y, c.output));
    worst.exact = Math.max(worst.exact, maxAbsDiff(y, c.float64.output));
    worst.torchExact = Math.max(worst.torchExact, maxAbsDiff(T(c.output), c.float64.output));
    y.backward(T(c.gout));
    const tol = { rtol: 1e-5, atol: 1e-5 };
    expectClose(`${c.name}: grad_input`, x.grad, c.grad_input, tol);
    expectClose(`${c.name}: grad_weight`, w.grad, c.grad_weight, tol);
    expectClose(`${c.name}: grad_bias`, b ? b.grad : null, c.grad_bias, tol);
    // against the exact (float64) values spikeport is within 1e-6: it accumulates in float64 and rounds once
    expectClose(`${c.name}: output vs float64`, y, c.float64.output, { atol: 1e-6 });
    expectClose(`${c.name}: grad_input vs float64`, x.grad, c.float64.grad_input, { atol: 1e-6 });
    expectClose(`${c.name}: grad_weight vs float64`, w.grad, c.float64.grad_weight, { atol: 1e-6 });
    worst.grad = Math.max(worst.grad, maxAbsDiff(x.grad!, c.grad_input), maxAbsDiff(w.grad!, c.grad_weight));
    worst.gradExact = Math.max(worst.gradExact, maxAbsDiff(x.grad!, c.float64.grad_input), maxAbsDiff(w.grad!, c.float64.grad_weight));
    worst.torchGradExact = Math.max(worst.torchGradExact, maxAbsDiff(T(c.grad_input), c.float64.grad_input), maxAbsDiff(T(c.grad_weight), c.float64.grad_weight));
  });

  test('positional arguments equal the options object (F.conv2d(x, w, b, stride, padding, dilation, groups))', () => {
    const c = conv.cases.find((k: any) => k.name === 'all options');
    const { stride, padding, dilation, groups } = c.args;
    const y = conv2d(T(c.input), T(c.weight), T(c.bias), stride, padding, dilation, groups);
    expectClose('positional', y, c.output, { atol: 1e-5 });
    const y2 = conv2d(T(c.input), T(c.weight), T(c.bias), stride, padding, { dilation, groups });
    expectClose('mixed', y2, c.output, { atol: 1e-5 });
  });

  test('non-contiguous input and weight give the same result as contiguous copies', () => {
    torch.manual_seed(3);
    const x = torch.randn([2, 6, 5, 3]).permute(0, 3, 2, 1); // (2, 3, 5, 6) with odd strides
    const w = torch.randn([3, 4, 3, 3]).transpose(0, 1); // (4, 3, 3, 3)
    const y = conv2d(x, w, null, { padding: 1, stride: [1, 2] });
    const yc = conv2d(x.contiguous(), w.contiguous(), null, { padding: 1, stride: [1, 2] });
    expect(y.equal(yc)).toBe(true);
  });

  test('batch size 0 gives an empty output', () => {
    const y = conv2d(torch.zeros([0, 3, 5, 5]), torch.zeros([4, 3, 3, 3]), torch.zeros([4]));
    expect(y.shape).toEqual([0, 4, 3, 3]);
  });
});

describe('float64 finite differences', () => {
  const { gradcheck, grad } = torch.autograd;
  const rnd = (...shape: number[]): Tensor => torch.randn(shape, { dtype: 'float64', requires_grad: true });

  test.each([
    ['plain', {}],
    ['stride/padding/dilation', { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }],
    ['same even kernel', { padding: 'same' }],
    ['groups', { groups: 2, padding: 1 }],
  ] as [string, any][])('conv2d %s: input, weight and bias gradients', (_n, opts) => {
    torch.manual_seed(11);
    const cin = opts.groups ? 4 : 2;
    const x = rnd(2, cin, 5, 4), w = rnd(4, cin / (opts.groups ?? 1), 2, 3), b = rnd(4);
    expect(gradcheck((xx, ww, bb) => conv2d(xx, ww, bb, opts), [x, w, b], { eps: 1e-6, atol: 1e-7, rtol: 1e-6 })).toBe(true);
  });

  test('conv2d: 1×1 pointwise and many images per gemm block', () => {
    torch.manual_seed(12);
    const x = rnd(5, 3, 2, 3), w = rnd(2, 3, 1, 1), b = rnd(2);
    expect(gradcheck((xx, ww, bb) => conv2d(xx, ww, bb), [x, w, b], { eps: 1e-6, atol: 1e-7, rtol: 1e-6 })).toBe(true);
    const w3 = rnd(2, 3, 2, 2);
    expect(gradcheck((xx, ww) => conv2d(xx, ww, null, { padding: 1 }), [x, w3], { eps: 1e-6, atol: 1e-7, rtol: 1e-6 })).toBe(true);
  });

  test('conv1d: stride, padding, dilation, groups, unbatched', () => {
    torch.manual_seed(13);
    const x = rnd(2, 4, 9), w = rnd(6, 2, 3), b = rnd(6);
    expect(gradcheck((xx, ww, bb) => conv1d(xx, ww, bb, { stride: 2, padding: 2, dilation: 2, groups: 2 }), [x, w, b], { eps: 1e-6, atol: 1e-7, rtol: 1e-6 })).toBe(true);
    const xu = rnd(2, 7), wu = rnd(3, 2, 4);
    expect(gradcheck((xx, ww) => conv1d(xx, ww, null, { padding: 'same' }), [xu, wu], { eps: 1e-6, atol: 1e-7, rtol: 1e-6 })).toBe(true);
  });

  test('second order: the gradients of conv2d are differentiable (create_graph)', () => {
    torch.manual_seed(14);
    const x = rnd(2, 2, 4, 4), w = rnd(2, 2, 2, 2), b = rnd(2);
    const g = rnd(2, 2, 3, 2); // the output shape
    const opts = { stride: [2, 1], padding: [1, 0], dilation: [1, 2] };
    // enable_grad: gradcheck evaluates fn under no_grad for its finite differences
    const fn = (xx: Tensor, ww: Tensor, bb: Tensor, gg: Tensor): Tensor[] => torch.enable_grad(() =>
      grad(conv2d(xx, ww, bb, opts), [xx, ww, bb], gg, { create_graph: true }) as Tensor[]);
    expect(gradcheck(fn, [x, w, b, g], { eps: 1e-6, atol: 1e-6, rtol: 1e-5 })).toBe(true);
  });
});

describe('argument errors name both shapes', () => {
  const x = torch.zeros([2, 3, 5, 5]);
  const w = torch.zeros([4, 3, 3, 3]);

  test('wrong input rank', () => {
    expect(() => conv2d(torch.zeros([3, 5]), w)).toThrow(/F\.conv2d: expected 3D \(unbatched\) or 4D \(batched\) input, but got input of shape \[3, 5\] \(weight \[4, 3, 3, 3\]\)/);
    expect(() => conv1d(torch.zeros([1, 2, 3, 5]), torch.zeros([4, 2, 3]))).toThrow(/F\.conv1d: expected 2D .* input of shape \[1, 2, 3, 5\] \(weight \[4, 2, 3\]\)/);
    expect(() => conv2d(x, torch.zeros([4, 3, 3]))).toThrow(/weight must be 4-D .* got weight of shape \[4, 3, 3\] \(input \[2, 3, 5, 5\]\)/);
  });

  test('channel mismatch with groups', () => {
    expect(() => conv2d(x, torch.zeros([4, 2, 3, 3]))).toThrow(/groups=1, weight of shape \[4, 2, 3, 3\], expected input \[2, 3, 5, 5\] to have 2 channels, but got 3 channels instead/);
    expect(() => conv2d(torch.zeros([2, 4, 5, 5]), torch.zeros([4, 1, 3, 3]), null, { groups: 2 })).toThrow(/groups=2, weight of shape \[4, 1, 3, 3\], expected input \[2, 4, 5, 5\] to have 2 channels, but got 4/);
    expect(() => conv2d(torch.zeros([2, 4, 5, 5]), torch.zeros([3, 2, 3, 3]), null, { groups: 2 })).toThrow(/expected weight to be divisible by 2 at dimension 0, but got weight of shape \[3, 2, 3, 3\] \(input \[2, 4, 5, 5\]\)/);
  });

  test('kernel larger than the padded input', () => {
    expect(() => conv2d(torch.zeros([2, 3, 2, 5]), w)).toThrow(/padded input size per channel: \(2 x 5\); kernel size: \(3 x 3\); kernel size can't be greater than actual input size \(input \[2, 3, 2, 5\], weight \[4, 3, 3, 3\]\)/);
    expect(() => conv2d(x, w, null, { dilation: 3 })).toThrow(/kernel size: \(7 x 7\)/);
    expect(conv2d(torch.zeros([2, 3, 2, 5]), w, null, { padding: [1, 0] }).shape).toEqual([2, 4, 2, 3]);
  });

  test('padding, stride, bias and dtype checks', () => {
    expect(() => conv2d(x, w, null, { padding: 'same', stride: 2 })).toThrow(/padding='same' is not supported for strided convolutions/);
    expect(() => conv2d(x, w, null, { padding: 'full' as never })).toThrow(/padding must be an int, a tuple of ints, 'same' or 'valid', got "full"/);
    expect(() => conv2d(x, w, null, { padding: -1 })).toThrow(/padding must be ints >= 0/);
    expect(() => conv2d(x, w, null, { stride: 0 })).toThrow(/stride must be ints >= 1/);
    expect(() => conv2d(x, w, null, { stride: [1, 2, 3] })).toThrow(/stride must be an int or a tuple of 2 ints/);
    expect(() => conv2d(x, w, torch.zeros([3]))).toThrow(/expected bias to be 1-dimensional with 4 elements, but got bias of shape \[3\]/);
    expect(() => conv2d(x, w.double())).toThrow(/weight must have the dtype of input \(float32\), got float64/);
    expect(() => conv2d(x, w, null, { strides: 1 } as never)).toThrow(/unknown option "strides"/);
    expect(() => conv2d(x, w, null, 1, 0, 1, 1, 5 as never)).toThrow(/at most 4 optional positional arguments/);
  });
});

describe('nn.Conv1d / nn.Conv2d', () => {
  const ctors: Record<string, () => (Conv1d | Conv2d)[]> = {
    'Conv2d(3, 8, 3)': () => [new Conv2d(3, 8, 3)],
    'Conv2d(1, 32, 3, padding=1)': () => [new Conv2d(1, 32, 3, { padding: 1 })],
    'Conv2d(32, 32, 3, padding=1, bias=False)': () => [new Conv2d(32, 32, 3, { padding: 1, bias: false })],
    'Conv2d(4, 8, (3, 2), stride=2, groups=2)': () => [new Conv2d(4, 8, [3, 2], { stride: 2, groups: 2 })],
    'Conv1d(4, 6, 5)': () => [new Conv1d(4, 6, 5)],
    'Conv1d(2, 4, 3, groups=2, bias=False)': () => [new Conv1d(2, 4, 3, { groups: 2, bias: false })],
  };

  test.each(inits.init.filter((c: any) => c.ctor in ctors).map((c: any) => [c.ctor, c]) as [string, any][])(
    'torch.manual_seed(s); nn.%s gives PyTorch\'s weights bit for bit', (_n, c: any) => {
      torch.manual_seed(c.seed);
      const [m] = ctors[c.ctor]();
      const sd = m.state_dict();
      expect(Object.keys(sd)).toEqual(c.state_keys[0]);
      for (const [k, v] of Object.entries(c.states[0])) expectClose(`${c.ctor} ${k}`, sd[k], v as any);
      expectClose(`${c.ctor}: the generator's next draws`, torch.rand(3), c.after); // same number of draws consumed
    });

  const reprs: Record<string, () => Conv1d | Conv2d> = {
    'nn.Conv2d(1, 32, 3)': () => new Conv2d(1, 32, 3),
    'nn.Conv2d(1, 32, 3, padding=1)': () => new Conv2d(1, 32, 3, { padding: 1 }),
    "nn.Conv2d(4, 8, (3, 2), stride=(2, 1), padding=(1, 0), dilation=2, groups=2, bias=False)":
      () => new Conv2d(4, 8, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: 2, groups: 2, bias: false }),
    "nn.Conv2d(3, 3, 3, padding='same')": () => new Conv2d(3, 3, 3, { padding: 'same' }),
    "nn.Conv2d(3, 3, 3, padding='valid')": () => new Conv2d(3, 3, 3, { padding: 'valid' }),
    'nn.Conv1d(4, 6, 5)': () => new Conv1d(4, 6, 5),
    'nn.Conv1d(4, 6, 5, stride=2, padding=2, dilation=1, groups=2)': () => new Conv1d(4, 6, 5, 2, 2, 1, 2),
  };
  test.each(Object.keys(reprs))('str(%s) is PyTorch\'s', (expr) => {
    expect(reprs[expr]().toString()).toBe(inits.reprs[expr]);
  });

  test('forward is F.conv2d with the module\'s parameters; unbatched input works', () => {
    torch.manual_seed(0);
    const m = new Conv2d(2, 3, 3, { padding: 1, stride: 2 });
    const x = torch.randn([2, 2, 6, 5]);
    expect(m.call(x).equal(conv2d(x, m.weight, m.bias, { padding: 1, stride: 2 }))).toBe(true);
    expect(m.call(x.index(0)).allclose(m.call(x).index(0), { rtol: 0, atol: 1e-6 })).toBe(true);
    const m1 = new Conv1d(2, 3, 3, 1, 'same');
    expect(m1.call(torch.randn([4, 2, 7])).shape).toEqual([4, 3, 7]);
  });

  test('parameters, state_dict and training step', () => {
    torch.manual_seed(0);
    const m = new Conv2d(1, 2, 3, { bias: false });
    expect(m.parameters().length).toBe(1);
    expect(Object.keys(m.state_dict())).toEqual(['weight']);
    const y = m.call(torch.randn([3, 1, 5, 5]));
    y.square().sum().backward();
    expect(m.weight.grad!.shape).toEqual([2, 1, 3, 3]);
    expect(new Conv2d(2, 4, 3, { dtype: 'float64' }).weight.dtype).toBe('float64');
  });

  test('constructor errors', () => {
    expect(() => new Conv2d(3, 4, 3, { padding_mode: 'reflect' })).toThrow(/padding_mode="reflect" is not supported in spikeport \(only 'zeros'\)/);
    expect(() => new Conv2d(3, 4, 3, { padding_mode: 'mirror' as never })).toThrow(/padding_mode must be one of/);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/in_channels must be divisible by groups/);
    expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow(/out_channels must be divisible by groups/);
    expect(() => new Conv2d(3, 4, 3, { padding: 'same', stride: 2 })).toThrow(/padding='same' is not supported for strided convolutions/);
    expect(() => new Conv2d(3, 4, 3, { padding: 'full' as never })).toThrow(/invalid padding string "full"/);
    expect(() => new Conv2d(3, 4, 3, { device: 'cuda' })).toThrow(/runs on the CPU/);
    expect(() => new Conv2d(3, 4, 3, { kernel: 3 } as never)).toThrow(/unknown option "kernel"/);
  });
});
