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
