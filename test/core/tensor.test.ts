/** Tensor basics: creation, dtypes and promotion, views sharing storage, indexing, in-place semantics, conversion. */
import { torch } from '../../src/index';

const { tensor } = torch;

describe('creation', () => {
  test('tensor infers shape and dtype; typed arrays keep theirs', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float32');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Float64Array([1.5])).dtype).toBe('float64');
    expect(tensor(3).shape).toEqual([]);
    expect(tensor([1.5, 2.5], { dtype: 'int32' }).tolist()).toEqual([1, 2]);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => tensor([1], { dtyp: 'float32' } as never)).toThrow(/unknown option "dtyp"/);
  });

  test('constant fills, ranges and eye', () => {
    expect(torch.zeros(2, 3).tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(torch.ones([2], { dtype: 'int32' }).tolist()).toEqual([1, 1]);
    expect(torch.full([2], 7).tolist()).toEqual([7, 7]);
    expect(torch.arange(5).tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(torch.arange(5).dtype).toBe('int32');
    expect(torch.arange(1, 2, 0.25).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(torch.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(torch.eye(2, 3).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(torch.zeros_like(torch.eye(2), { dtype: 'bool' }).dtype).toBe('bool');
    expect(() => torch.arange(0, 5, -1)).toThrow(/inconsistent with step sign/);
    expect(() => torch.zeros(2, -1)).toThrow(/torch.zeros: size must be an array of non-negative integers/);
  });

  test('requires_grad only on floating tensors', () => {
    expect(() => torch.zeros([2], { dtype: 'int32', requires_grad: true })).toThrow(/floating point/);
    expect(torch.zeros([2], { requires_grad: true }).requires_grad).toBe(true);
  });
});

describe('dtype promotion', () => {
  test('tensor-tensor and tensor-scalar follow PyTorch categories', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    const f = tensor([1, 2]);
    const d = tensor([1, 2], { dtype: 'float64' });
    const b = tensor([true, false]);
    expect(i.add(f).dtype).toBe('float32');
    expect(f.add(d).dtype).toBe('float64');
    expect(i.add(2).dtype).toBe('int32');
    expect(i.add(2.5).dtype).toBe('float32');
    expect(f.mul(2).dtype).toBe('float32'); // a scalar never widens within its category
    expect(b.add(b).dtype).toBe('bool');
    expect(b.add(1).dtype).toBe('int32');
    expect(i.div(2).dtype).toBe('float32'); // true division
    expect(i.div(2, { rounding_mode: 'floor' }).tolist()).toEqual([0, 1]);
    expect(i.gt(1).dtype).toBe('bool');
  });
});

describe('views share storage', () => {
  const base = () => torch.arange(12, { dtype: 'float32' }).reshape(3, 4);

  test('reshape of contiguous data, transpose, narrow, select, expand are views', () => {
    const x = base();
    const views = [x.view(4, 3), x.t(), x.narrow(1, 1, 2), x.select(0, 1), x.index(':', 0).unsqueeze(1).expand(3, 5), x.index('...', '1:4:2')];
    for (const v of views) expect(v.buffer).toBe(x.buffer);
    x.select(0, 1).fill_(-1);
    expect(x.t().tolist()[0]).toEqual([0, -1, 8]);
    expect(x.index(1, '1:3').tolist()).toEqual([-1, -1]);
  });

  test('narrow and stepped slices: the same view whether or not autograd records them', () => {
    const x = base(), xg = base().requires_grad_();
    const cut = [(t: typeof x) => t.narrow(1, 1, 2), (t: typeof x) => t.narrow(0, 1, 2), (t: typeof x) => t.index('0:3:2', '1::2'), (t: typeof x) => t.t().narrow(0, 2, 1)];
    for (const f of cut) {
      const v = f(x), vg = f(xg);
      expect([v.shape, v.stride(), v.offset]).toEqual([vg.shape, vg.stride(), vg.offset]);
      expect(v._base === (x._base ?? x)).toBe(true);
      expect(v.tolist()).toEqual(vg.tolist());
      expect(v.grad_fn).toBeNull();
      expect(vg.grad_fn).not.toBeNull();
      expect(torch.no_grad(() => f(xg)).grad_fn).toBeNull();
    }
    x.narrow(1, 1, 2).fill_(-1); // a view: written through
    expect(x.tolist()[2]).toEqual([8, -1, -1, 11]);
  });

  test('strides and contiguity', () => {
    const x = base();
    expect(x.stride()).toEqual([4, 1]);
    expect(x.t().stride()).toEqual([1, 4]);
    expect(x.t().is_contiguous()).toBe(false);
    expect(x.t().contiguous().is_contiguous()).toBe(true);
    expect(x.t().contiguous().tolist()).toEqual(x.t().tolist());
    expect(() => x.t().view(12)).toThrow(/use .reshape/);
    expect(x.t().reshape(12).tolist()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(x.index('::2', '1::2').stride()).toEqual([8, 2]);
  });

  test('squeeze, unsqueeze, flatten, unflatten, permute', () => {
    const x = torch.zeros(2, 1, 3);
    expect(x.squeeze().shape).toEqual([2, 3]);
    expect(x.squeeze(1).shape).toEqual([2, 3]);
    expect(x.squeeze(0).shape).toEqual([2, 1, 3]);
    expect(x.unsqueeze(-1).shape).toEqual([2, 1, 3, 1]);
    expect(x.flatten().shape).toEqual([6]);
    expect(torch.zeros(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(torch.zeros(2, 12).unflatten(1, [3, -1]).shape).toEqual([2, 3, 4]);
    expect(torch.zeros(2, 3, 4).permute(2, 0, 1).shape).toEqual([4, 2, 3]);
  });
});

describe('indexing', () => {
  const x = torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4);

  test('integers, slices, ellipsis and new axes as in Python', () => {
    expect(x.index(1, 2, 3).item()).toBe(23);
    expect(x.index(-1, -1, -1).item()).toBe(23);
    expect(x.index(0, ':', 0).tolist()).toEqual([0, 4, 8]);
    expect(x.index('...', 1).tolist()).toEqual([[1, 5, 9], [13, 17, 21]]);
    expect(x.index(0, '1:', '::3').tolist()).toEqual([[4, 7], [8, 11]]);
    expect(x.index(null, 0).shape).toEqual([1, 3, 4]);
    expect(x.index(0, '-2:').shape).toEqual([2, 4]);
    expect(x.index(0, '5:9').shape).toEqual([0, 4]); // out-of-range slices clamp like Python
    expect(x.index(torch.slice(null, null, 2)).shape).toEqual([1, 3, 4]);
    expect(() => x.index(0, 0, 0, 0)).toThrow(/too many indices/);
    expect(() => x.index(2)).toThrow(/out of bounds/);
    expect(() => x.index(0, '::-1')).toThrow(/positive integer/);
  });

  test('index and mask tensors', () => {
    const idx = tensor([2, 0], { dtype: 'int32' });
    expect(x.index(0, idx, 0).tolist()).toEqual([8, 0]);
    const m = x.index(0).gt(9);
    expect(x.index(0).index(m).tolist()).toEqual([10, 11]);
  });

  test('setitem writes through views', () => {
    const y = torch.zeros(2, 3);
    y.setitem([':', 1], 5);
    y.setitem([1, '0:2'], tensor([7, 8]));
    expect(y.tolist()).toEqual([[0, 5, 0], [7, 8, 0]]);
    y.setitem(y.gt(6), -1);
    expect(y.tolist()).toEqual([[0, 5, 0], [-1, -1, 0]]);
  });
});

describe('in place', () => {
  test('modifies storage, bumps the version, refuses leaves that require grad', () => {
    const x = torch.ones(3);
    const v0 = x._version.v;
    x.add_(1).mul_(3);
    expect(x.tolist()).toEqual([6, 6, 6]);
    expect(x._version.v).toBe(v0 + 2);
    const w = torch.ones(3, { requires_grad: true });
    expect(() => w.add_(1)).toThrow(/leaf tensor that requires grad/);
    torch.no_grad(() => w.add_(1));
    expect(w.tolist()).toEqual([2, 2, 2]);
    expect(() => torch.ones(2, { dtype: 'int32' }).add_(0.5)).toThrow(/can't be cast/);
    expect(() => torch.ones(2).add_(torch.ones(3))).toThrow(/cannot be broadcast/);
  });

  test('copy_ casts and broadcasts', () => {
    const x = torch.zeros([2, 2], { dtype: 'int32' });
    x.copy_(tensor([1.7, -2.7]));
    expect(x.tolist()).toEqual([[1, -2], [1, -2]]);
  });
});

describe('conversion', () => {
  test('item, tolist, toTypedArray, to', () => {
    const x = torch.arange(6, { dtype: 'float32' }).reshape(2, 3).t();
    expect(Array.from(x.toTypedArray())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(x.toTypedArray()).toBeInstanceOf(Float32Array);
    expect(x.to('float64').dtype).toBe('float64');
    expect(tensor([0.5, 0, -1]).bool().tolist()).toEqual([true, false, true]);
    expect(tensor([2.9, -2.9]).int().tolist()).toEqual([2, -2]);
    expect(() => x.item()).toThrow(/one-element/);
    expect(x.nd.get(1, 0)).toBe(1); // the same view as an ndarray
    expect(String(tensor([1, 2]))).toBe('tensor([1,2])');
  });

  test('.data is a detached alias; assigning replaces contents', () => {
    const p = torch.ones(2, { requires_grad: true });
    const d = p.data;
    expect(d.requires_grad).toBe(false);
    d.fill_(3);
    expect(p.tolist()).toEqual([3, 3]);
    p.data = torch.zeros(4);
    expect(p.shape).toEqual([4]);
  });
});
