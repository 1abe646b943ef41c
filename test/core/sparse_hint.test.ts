/**
 * Nonzero-position hints (src/core/sparse_hint.ts) and their one producer/consumer pair: bm.jitconn's event scatter
 * records the outputs it wrote, bp.dyn.Expon.add_current adds only those — with the same float32 result as adding
 * the whole dense tensor, and falling back to the dense add when the hint is stale.
 */
import { TouchList, hintedNonzeros, setSparseHint, sparseHint } from '../../src/core/sparse_hint';
import { bp, bm } from '../../src/brainpy/index';
import * as torch from '../../src/torch/index';

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });

test('a hint is valid until its list is refilled or the tensor is written in place', () => {
  const t = torch.zeros(5);
  const l = new TouchList(2);
  const idx = l.begin(3); idx[0] = 4; idx[1] = 1; l.count = 2;
  setSparseHint(t, l);
  expect(sparseHint(t)).toBe(l);
  expect(Array.from(l.idx.subarray(0, l.count))).toEqual([4, 1]);
  t.add_(1); // in-place write: the version moves
  expect(sparseHint(t)).toBeNull();
  const u = torch.zeros(5);
  setSparseHint(u, l);
  l.begin(5); // refilled for another output
  expect(sparseHint(u)).toBeNull();
  expect(sparseHint(torch.zeros(2))).toBeNull();
});

test('event jitconn outputs carry the positions they scattered to, exactly the nonzero ones here', () => {
  const spk = new Uint8Array(300); spk[3] = 1; spk[77] = 1; spk[200] = 1;
  const x = torch.Tensor.fromBuffer(spk, [300], 'bool');
  const y = bm.jitconn.event_mv_prob_homo(x, 0.5, 0.1, 7, { shape: [400, 300], outdim_parallel: false });
  const h = sparseHint(y)!;
  expect(h).not.toBeNull();
  const listed = new Set(Array.from(h.idx.subarray(0, h.count)));
  expect(listed.size).toBe(h.count); // distinct
  const data = y.buffer as Float32Array;
  for (let j = 0; j < 400; j++) expect(listed.has(j)).toBe(data[j] !== 0); // weights 0.5: no cancellation
  expect(h.count).toBeGreaterThan(30); // ~3 · 400 · 0.1 targets
  // the gather orientation (outdim_parallel=True) writes every output: no hint
  expect(sparseHint(bm.jitconn.event_mv_prob_homo(x, 0.5, 0.1, 7, { shape: [400, 300] }))).toBeNull();
});

test('Expon.add_current with a hinted output equals the dense float32 add, and falls back when stale', () => {
  const n = 400;
  const syn = new bp.dyn.Expon(n, { tau: 5, g_initializer: torch.rand(n) });
  const ref = Float32Array.from(syn.g.buffer as Float32Array);
  const spk = new Uint8Array(300); for (const i of [5, 6, 150, 299]) spk[i] = 1;
  const y = bm.jitconn.event_mv_prob_homo(torch.Tensor.fromBuffer(spk, [300], 'bool'), 0.3, 0.2, 3, { shape: [n, 300], outdim_parallel: false });
  expect(sparseHint(y)).not.toBeNull();
  syn.add_current(y);
  const yd = y.buffer as Float32Array;
  for (let j = 0; j < n; j++) ref[j] = Math.fround(ref[j] + yd[j]);
  expect(Array.from(syn.g.buffer as Float32Array)).toEqual(Array.from(ref));
  // stale hint (the output changed in place): every position is added
  y.mul_(2);
  expect(sparseHint(y)).toBeNull();
  syn.add_current(y);
  for (let j = 0; j < n; j++) ref[j] = Math.fround(ref[j] + yd[j]);
  expect(Array.from(syn.g.buffer as Float32Array)).toEqual(Array.from(ref));
});

test('a neuron group publishes its spikes as a sorted hint; delay reads and narrowed views of it skip the scan with the same products', () => {
  const N = new bp.dyn.LifRef(300, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Uniform(-60, -49, 9) });
  const delay = new bp.VarDelay(N.spike, { entries: { I: null } });
  const comm = new bp.dnn.EventJitFPHomoLinear(100, 500, { prob: 0.3, weight: 0.5, seed: 2 });
  bp.share.save({ i: 0, t: 0 });
  N.call(15);
  const h = sparseHint(N.spike)!;
  const spikes = Array.from(N.spike.buffer as Uint8Array).flatMap((b, k) => (b ? [k] : []));
  expect(spikes.length).toBeGreaterThan(5);
  expect(Array.from(h.idx.subarray(0, h.count))).toEqual(spikes);
  const spk = delay.at('I');
  expect(sparseHint(spk)).toBe(h); // the snapshot carries the hint
  const view = spk.narrow(0, 200, 100);
  const slice = { idx: new Int32Array(0), from: 0, to: 0, shift: 0 };
  expect(hintedNonzeros(view, slice)).toBe(true);
  expect(Array.from(slice.idx.subarray(slice.from, slice.to), (p) => p - slice.shift)).toEqual(spikes.filter((k) => k >= 200).map((k) => k - 200));
  // the product from the hinted view equals the product from an unhinted copy (which is scanned)
  const copy = torch.Tensor.fromBuffer((view.contiguous().buffer as Uint8Array).slice(view.offset, view.offset + 100), [100], 'bool');
  expect(hintedNonzeros(copy, slice)).toBe(false);
  expect(Array.from(comm.call(view).buffer as Float32Array)).toEqual(Array.from(comm.call(copy).buffer as Float32Array));
  // the next step refills the list: the old snapshot's hint is stale
  bp.share.save({ i: 1, t: Math.fround(0.1) });
  N.call(15);
  expect(sparseHint(spk)).toBeNull();
});

test('a zero homo weight writes nothing and lists nothing; negative weights are listed like positive ones', () => {
  const spk = new Uint8Array(300); spk[10] = 1; spk[20] = 1;
  const x = torch.Tensor.fromBuffer(spk, [300], 'bool');
  const opts = { shape: [400, 300] as [number, number], outdim_parallel: false };
  const z = bm.jitconn.event_mv_prob_homo(x, 0, 0.1, 5, opts);
  expect(sparseHint(z)!.count).toBe(0);
  expect((z.buffer as Float32Array).every((v) => v === 0)).toBe(true);
  const neg = bm.jitconn.event_mv_prob_homo(x, -0.25, 0.1, 5, opts);
  const h = sparseHint(neg)!;
  const listed = new Set(Array.from(h.idx.subarray(0, h.count)));
  for (let j = 0; j < 400; j++) expect(listed.has(j)).toBe((neg.buffer as Float32Array)[j] !== 0);
  expect(listed.size).toBe(h.count);
});
