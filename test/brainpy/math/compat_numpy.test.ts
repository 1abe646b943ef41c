/**
 * bm.nonzero (jnp.nonzero) and torch.nonzero, including their fast path over a tensor's nonzero hint (a LIF group's
 * spike list, an event product's written positions): the same indices as scanning a plain copy.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';

const ints = (t: torch.Tensor): number[] => Array.from(t.contiguous().toTypedArray() as Int32Array);

test('bm.nonzero: one index tensor per dimension, row-major order (as jnp.nonzero)', () => {
  const a = torch.tensor([[0, 1.5, 0], [-2, 0, NaN]]);
  const [r, c] = bm.nonzero(a);
  expect(ints(r)).toEqual([0, 1, 1]);
  expect(ints(c)).toEqual([1, 0, 2]);
  expect(r.dtype).toBe('int32');
  const [i] = bm.nonzero(torch.tensor([0, -0, 3, 0, 1]).to('float32'));
  expect(ints(i)).toEqual([2, 4]); // −0 is zero
  expect(ints(bm.nonzero(torch.zeros(4))[0])).toEqual([]);
  expect(() => bm.nonzero(torch.tensor(1))).toThrow('bm.nonzero: a must be a Tensor with at least one dimension (jnp.nonzero rejects 0-d arrays), got a float32 Tensor of shape []');
  expect(() => bm.nonzero([1, 2] as never)).toThrow('bm.nonzero: a must be a Tensor, got [1, 2]');
});

test('a LIF group\'s spikes (and views of them): the hinted indices equal a scan of a copy', () => {
  bm.set_dt(0.1);
  const N = new bp.dyn.LifRef(300, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Normal(-52, 3, 1) });
  let total = 0;
  for (let i = 0; i < 40; i++) {
    bp.share.save({ i, t: Math.fround(i * 0.1) });
    const spk = N.call(30);
    const scan = (t: torch.Tensor) => { const b = Array.from(t.contiguous().toTypedArray() as Uint8Array); return b.flatMap((v, k) => (v ? [k] : [])); };
    const copy = spk.clone(); // no hint: the scan path
    expect(ints(bm.nonzero(spk)[0])).toEqual(scan(copy));
    expect(ints(torch.nonzero(spk))).toEqual(scan(copy));
    const view = spk.narrow(0, 100, 150);
    expect(ints(bm.nonzero(view)[0])).toEqual(scan(view.clone()));
    total += scan(copy).length;
  }
  expect(total).toBeGreaterThan(20);
  bp.share.clear_shargs();
});

test('an event product\'s hint (positions in first-touch order) gives ascending indices; an in-place write drops the hint', () => {
  const layer = new bp.dnn.EventJitFPHomoLinear(50, 80, { prob: 0.1, weight: 0.5, seed: 3 });
  const x = torch.zeros(50).to('bool');
  (x.buffer as Uint8Array).set([1, 0, 0, 1, 0, 1], 7);
  const y = layer.call(x);
  const want = (t: torch.Tensor) => Array.from(t.contiguous().toTypedArray() as Float32Array).flatMap((v, k) => (v !== 0 ? [k] : []));
  expect(want(y).length).toBeGreaterThan(5);
  expect(ints(bm.nonzero(y)[0])).toEqual(want(y));
  y.mul_(0);
  expect(ints(bm.nonzero(y)[0])).toEqual([]);
});

describe('bm.arange (jnp.arange, 32-bit types)', () => {
  const vals = (t: torch.Tensor): number[] => Array.from(t.contiguous().toTypedArray() as ArrayLike<number>);
  test('integer arguments: int32; arange(stop) and arange(0, stop) are iotas of ceil(stop)', () => {
    const a = bm.arange(5);
    expect(a.dtype).toBe('int32');
    expect(vals(a)).toEqual([0, 1, 2, 3, 4]);
    expect(vals(bm.arange(0, 3))).toEqual([0, 1, 2]);
    expect(vals(bm.arange(2, 10, 3))).toEqual([2, 5, 8]);
    expect(vals(bm.arange(10, 0, -3))).toEqual([10, 7, 4, 1]);
    expect(vals(bm.arange(5, 0))).toEqual([]); // empty, as numpy
    const f = bm.arange(2.5);
    expect(f.dtype).toBe('float32');
    expect(vals(f)).toEqual([0, 1, 2]);
  });

  // numpy 1.24.2 `np.arange(*args, dtype=np.float32)` (jnp.arange hands concrete arguments to numpy in the target dtype)
  test.each([
    [[0, 1, 0.1], [0.0, 0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645, 0.5, 0.6000000238418579, 0.699999988079071, 0.800000011920929, 0.9000000357627869]],
    [[0.5, 3.2, 0.7], [0.5, 1.2000000476837158, 1.9000000953674316, 2.6000001430511475]],
    [[-1, 1, 0.3], [-1.0, -0.699999988079071, -0.3999999761581421, -0.09999996423721313, 0.20000004768371582, 0.5, 0.8000000715255737]],
    [[1, 0, -0.25], [1.0, 0.75, 0.5, 0.25]],
    [[0.1, 0.5, 0.1], [0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645]],
  ])('float range %j: numpy\'s float32 values', (args, want) => {
    const [a, b, c] = args as [number, number, number];
    const t = bm.arange(a, b, c);
    expect(t.dtype).toBe('float32');
    expect(vals(t)).toEqual(want);
  });

  test('dtype, and what the seed does with it: for_loop over the indices, raster_plot against them', () => {
    expect(vals(bm.arange(0.5, 5, 1.5, { dtype: 'int32' }))).toEqual([0, 2, 4]); // numpy: [0, 2, 4]
    expect(bm.arange(3, { dtype: 'float32' }).dtype).toBe('float32');
    expect(() => bm.arange(3, { dtype: 'float64' as never })).toThrow('bm.arange: dtype must be \'int32\', \'float32\' or null, got "float64"');
    expect(() => bm.arange(0, 3, 0)).toThrow('bm.arange: step must not be zero');
    expect(() => bm.arange(0, 3, { dtpye: 'int32' } as never)).toThrow('bm.arange: unknown option "dtpye"; expected dtype');
    expect(() => bm.arange(Number.NaN)).toThrow('bm.arange: start must be a finite number');
    const seen: number[] = [];
    bm.for_loop((i: torch.Tensor) => { seen.push(Number(i.item())); }, bm.arange(4));
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(bp.visualize.raster_plot(bm.arange(3), torch.tensor([[1, 0], [0, 0], [0, 1]]))).toContain('<svg');
  });
});
