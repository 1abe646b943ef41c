/**
 * F.max_pool1d/2d, F.avg_pool1d/2d, F.adaptive_avg_pool2d and their modules against PyTorch 1.13
 * (fixtures/torch/conv/pool.json, compat/record_conv.py), float64 finite differences and argument errors.
 *
 * Tolerances: max pooling and its indices are exact (it selects values); average pools 1e-6 absolute (a window sum
 * of up to 9 values divided once; torch sums in float32, spikeport in float64); gradients 1e-5 relative + 1e-6 absolute.
 */
import * as torch from '../../../src/torch/index';
import { adaptive_avg_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool1d_with_indices, max_pool2d, max_pool2d_with_indices, poolOutputSize } from '../../../src/core/ops/pool';
import { AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d } from '../../../src/torch/nn/modules/pooling';
import { Tensor } from '../../../src/core/tensor';
import { expectClose, loadFixture, T } from './fixture_helpers';

const pool = loadFixture('pool');
const inits = loadFixture('init');
const FNS: Record<string, (...a: any[]) => any> = { max_pool2d, max_pool1d, avg_pool2d, avg_pool1d, adaptive_avg_pool2d };

describe('pooling replays PyTorch 1.13', () => {
  test.each(pool.cases.map((c: any) => [c.name, c]) as [string, any][])('%s', (_n, c: any) => {
    const f = FNS[c.fn];
    if (!f) throw new Error(`no spikeport function for ${c.fn}`);
    const x = T(c.input, true);
    const kw = Object.keys(c.kwargs).length ? [c.kwargs] : [];
    const r = f(x, ...c.args, ...kw);
    const [y, idx] = (Array.isArray(r) ? r : [r, null]) as [Tensor, Tensor | null];
    const exact = c.fn.includes('max');
    expectClose(`${c.name}: output`, y, c.output, { atol: exact ? 0 : 1e-6 });
    expectClose(`${c.name}: indices`, idx, c.indices);
    if (idx) expect(idx.dtype).toBe('int32');
    y.backward(T(c.gout));
    expectClose(`${c.name}: grad_input`, x.grad, c.grad_input, { rtol: 1e-5, atol: 1e-6 });
  });

  test('output size rule: with ceil_mode the last window must start inside the input or the left padding', () => {
    expect(poolOutputSize(5, 2, 0, 2, 1, false)).toBe(2);
    expect(poolOutputSize(5, 2, 0, 2, 1, true)).toBe(3);
    expect(poolOutputSize(5, 2, 1, 2, 1, true)).toBe(3); // a 4th window would start in the right padding
    expect(poolOutputSize(6, 3, 1, 3, 1, true)).toBe(3);
    expect(poolOutputSize(7, 3, 1, 2, 2, false)).toBe(3);
  });

  test('positional and options forms agree; module order (return_indices before ceil_mode) differs from F', () => {
    torch.manual_seed(0);
    const x = torch.randn([2, 3, 7, 7]);
    const a = max_pool2d(x, 3, 2, 1, 1, true);
    const b = max_pool2d(x, 3, { stride: 2, padding: 1, ceil_mode: true });
    expect(a.equal(b)).toBe(true);
    const m = new MaxPool2d(3, 2, 1, 1, false, true);
    expect(m.ceil_mode).toBe(true);
    expect(m.call(x).equal(a)).toBe(true);
    const mi = new MaxPool2d(3, { stride: 2, return_indices: true });
    const [v, i] = mi.call(x);
    const [v2, i2] = max_pool2d(x, 3, { stride: 2, return_indices: true });
    expect(v.equal(v2) && i.equal(i2)).toBe(true);
    expect(avg_pool2d(x, 3, 2, 1, false, false, 2).equal(avg_pool2d(x, 3, { stride: 2, padding: 1, count_include_pad: false, divisor_override: 2 }))).toBe(true);
  });

  test('non-contiguous input', () => {
    torch.manual_seed(1);
    const x = torch.randn([2, 6, 5, 3]).permute(0, 3, 2, 1);
    expect(max_pool2d(x, 2, 1).equal(max_pool2d(x.contiguous(), 2, 1))).toBe(true);
    expect(avg_pool2d(x, 2, 1, 1).equal(avg_pool2d(x.contiguous(), 2, 1, 1))).toBe(true);
    expect(adaptive_avg_pool2d(x, [2, 4]).equal(adaptive_avg_pool2d(x.contiguous(), [2, 4]))).toBe(true);
  });
});

describe('float64 finite differences (first and second order)', () => {
  const { gradcheck, grad } = torch.autograd;
  const opt = { eps: 1e-6, atol: 1e-7, rtol: 1e-6 };
  /** Distinct values (a shuffled ramp plus noise) so that max pooling has no ties within eps. */
  const distinct = (...shape: number[]): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) { const j = (i * 7919 + 13) % (i + 1); [p[i], p[j]] = [p[j], p[i]]; }
    return torch.tensor(p.map((k) => k * 0.1), { dtype: 'float64' }).reshape(shape).requires_grad_(true);
  };
  const secondOrder = (f: (x: Tensor) => Tensor, x: Tensor, g: Tensor): boolean =>
    gradcheck((xx: Tensor, gg: Tensor) => torch.enable_grad(() => grad(f(xx), [xx], gg, { create_graph: true })[0]!), [x, g], opt);

  test('max_pool2d with padding, dilation, ceil_mode', () => {
    const x = distinct(2, 2, 6, 7);
    expect(gradcheck((t) => max_pool2d(t, 3, 2, 1, [1, 2], true), [x], opt)).toBe(true);
    expect(gradcheck((t) => max_pool1d(t.reshape(4, 6, 7), 2, 1), [x], opt)).toBe(true);
    const g = torch.randn(max_pool2d(x, 2).size(), { dtype: 'float64', requires_grad: true });
    expect(secondOrder((t) => max_pool2d(t, 2), x, g)).toBe(true);
  });

  test('avg_pool2d / avg_pool1d with every option', () => {
    torch.manual_seed(2);
    const x = torch.randn([2, 2, 5, 6], { dtype: 'float64', requires_grad: true });
    expect(gradcheck((t) => avg_pool2d(t, 3, 2, 1, true, true), [x], opt)).toBe(true);
    expect(gradcheck((t) => avg_pool2d(t, [2, 3], [1, 2], [1, 1], true, false), [x], opt)).toBe(true);
    expect(gradcheck((t) => avg_pool2d(t, 2, { ceil_mode: true, divisor_override: 3 }), [x], opt)).toBe(true);
    expect(gradcheck((t) => avg_pool1d(t.reshape(4, 5, 6), 3, 2, 1, true, false), [x], opt)).toBe(true);
    const g = torch.randn(avg_pool2d(x, 3, 2, 1).size(), { dtype: 'float64', requires_grad: true });
    expect(secondOrder((t) => avg_pool2d(t, 3, 2, 1), x, g)).toBe(true);
  });

  test('adaptive_avg_pool2d with overlapping and non-divisible windows', () => {
    torch.manual_seed(3);
    const x = torch.randn([2, 3, 5, 7], { dtype: 'float64', requires_grad: true });
    expect(gradcheck((t) => adaptive_avg_pool2d(t, [3, 4]), [x], opt)).toBe(true);
    expect(gradcheck((t) => adaptive_avg_pool2d(t, [7, 9]), [x], opt)).toBe(true);
    const g = torch.randn([2, 3, 3, 4], { dtype: 'float64', requires_grad: true });
    expect(secondOrder((t) => adaptive_avg_pool2d(t, [3, 4]), x, g)).toBe(true);
  });
});

describe('argument errors', () => {
  const x = torch.zeros([2, 3, 4, 4]);
  test('wrong input rank or empty dims', () => {
    expect(() => max_pool2d(torch.zeros([4, 4]), 2)).toThrow(/F\.max_pool2d: expected a 3D \(unbatched\) or 4D \(batched\) input .* got input of shape \[4, 4\]/);
    expect(() => max_pool1d(x, 2)).toThrow(/F\.max_pool1d: expected a 2D \(unbatched\) or 3D \(batched\) input .* shape \[2, 3, 4, 4\]/);
    expect(() => avg_pool2d(torch.zeros([2, 0, 4, 4]), 2)).toThrow(/non-zero channel and spatial sizes/);
    expect(() => adaptive_avg_pool2d(torch.zeros([4]), 2)).toThrow(/expected a 3D or 4D input, got input of shape \[4\]/);
    expect(max_pool2d(torch.zeros([0, 3, 4, 4]), 2).shape).toEqual([0, 3, 2, 2]);
  });
  test('padding larger than half the kernel, output too small, bad options', () => {
    expect(() => max_pool2d(x, 2, 2, 2)).toThrow(/pad should be at most half of kernel size, but got padding=\[2, 2\] for kernel_size=\[2, 2\]/);
    expect(() => max_pool2d(x, 5)).toThrow(/given input of shape \[2, 3, 4, 4\], the calculated output size \[2, 3, 0, 0\] is too small/);
    expect(() => avg_pool2d(x, 2, { divisor_override: 0 })).toThrow(/divisor_override must be a non-zero integer/);
    expect(() => max_pool2d(x, 0)).toThrow(/kernel_size must be ints >= 1/);
    expect(() => max_pool2d(x, 2, { ceil: true } as never)).toThrow(/unknown option "ceil"/);
    expect(() => adaptive_avg_pool2d(x, [2, 2, 2])).toThrow(/output_size must be a non-negative int or a pair/);
  });
});

describe('modules', () => {
  const reprs: Record<string, () => { toString(): string }> = {
    'nn.MaxPool2d(2)': () => new MaxPool2d(2),
    'nn.MaxPool2d(2, 2)': () => new MaxPool2d(2, 2),
    'nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=2, ceil_mode=True)': () => new MaxPool2d([3, 2], { stride: [2, 1], padding: 1, dilation: 2, ceil_mode: true }),
    'nn.MaxPool2d(3, return_indices=True)': () => new MaxPool2d(3, { return_indices: true }),
    'nn.MaxPool1d(3)': () => new MaxPool1d(3),
    'nn.MaxPool1d(3, 2, 1, ceil_mode=True)': () => new MaxPool1d(3, 2, 1, { ceil_mode: true }),
    'nn.AvgPool2d(2)': () => new AvgPool2d(2),
    'nn.AvgPool2d((3, 2), stride=1, padding=(1, 0), ceil_mode=True, count_include_pad=False, divisor_override=4)':
      () => new AvgPool2d([3, 2], { stride: 1, padding: [1, 0], ceil_mode: true, count_include_pad: false, divisor_override: 4 }),
    'nn.AvgPool1d(3)': () => new AvgPool1d(3),
    'nn.AvgPool1d(3, 2, 1)': () => new AvgPool1d(3, 2, 1),
    'nn.AdaptiveAvgPool2d(1)': () => new AdaptiveAvgPool2d(1),
    'nn.AdaptiveAvgPool2d((5, 7))': () => new AdaptiveAvgPool2d([5, 7]),
    'nn.AdaptiveAvgPool2d((None, 7))': () => new AdaptiveAvgPool2d([null, 7]),
  };
  test.each(Object.keys(reprs))('str(%s) is PyTorch\'s', (expr) => {
    expect(reprs[expr]().toString()).toBe(inits.reprs[expr]);
  });

  test('forward equals the functional form; no parameters', () => {
    torch.manual_seed(4);
    const x = torch.randn([2, 3, 9, 8]);
    expect(new AvgPool2d(3, 2, 1, true, false, 2).call(x).equal(avg_pool2d(x, 3, 2, 1, true, false, 2))).toBe(true);
    expect(new AvgPool1d(3, 2).call(x.flatten(2)).equal(avg_pool1d(x.flatten(2), 3, 2))).toBe(true);
    expect(new AdaptiveAvgPool2d([null, 3]).call(x).shape).toEqual([2, 3, 9, 3]);
    const [out, idx] = new MaxPool1d(2, { return_indices: true }).call(x.flatten(2));
    expect(out.shape).toEqual([2, 3, 36]);
    expect(idx.shape).toEqual([2, 3, 36]);
    expect(new MaxPool2d(2).parameters()).toEqual([]);
    expect(Object.keys(new MaxPool2d(2).state_dict())).toEqual([]);
  });
});

test('max_pool*_with_indices always return [output, indices]', () => {
  torch.manual_seed(5);
  const x = torch.randn([2, 3, 6, 6]);
  const [a, ia] = max_pool2d_with_indices(x, 2);
  const [b, ib] = max_pool2d(x, 2, { return_indices: true });
  expect(a.equal(b) && ia.equal(ib)).toBe(true);
  const [c, ic] = max_pool1d_with_indices(x.flatten(2), 3, 2);
  expect(c.shape).toEqual([2, 3, 17]);
  expect(ic.dtype).toBe('int32');
});
