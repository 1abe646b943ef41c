/**
 * The generated-line cache of the JIT-connectivity kernels (jitconn_walk.ts LineCache; the event products and the float
 * homo products read it): a line read back from the cache gives exactly the positions and weights of regenerating it,
 * for every era and weight kind, and a kernel call over lines met before equals the same call on a fresh cache.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { LineCache, clear_line_caches, lineCacheFor, makeWalker, type WalkSpec } from '../../../src/brainpy/math/jitconn_walk';
import { set_snn_backend } from '../../../src/index';

const specs: WalkSpec[] = [
  { rng: 'lfsr88-c', kind: 'homo', seed: 11, clen: 40, lineLen: 500, cols: 300, mode: 'mv', a: 0.5, b: 0, f32: true },
  { rng: 'lfsr88-c', kind: 'uniform', seed: 12, clen: 40, lineLen: 500, cols: 300, mode: 'mv', a: -1, b: 2, f32: true },
  { rng: 'light-d', kind: 'normal', seed: 13, clen: 40, lineLen: 500, cols: 300, mode: 'mv', a: 0.1, b: 0.3, f32: true },
];

test.each(specs.map((s) => [`${s.rng} ${s.kind}`, s] as const))('%s: cached lines equal regenerated ones', (_name, spec) => {
  const cache = lineCacheFor(spec, 300)!;
  expect(cache).toBeInstanceOf(LineCache);
  expect(lineCacheFor({ ...spec }, 300)).toBe(cache); // found again by comparing specs
  const walker = makeWalker(spec);
  const idx = new Int32Array(500), w = new Float64Array(500);
  for (const line of [0, 7, 299, 7]) {
    const cnt = walker.fill(line, idx, w);
    if (cache.start[line] < 0) expect(cache.put(line, idx, w, cnt)).toBe(true);
    const at = cache.start[line];
    expect(cache.len[line]).toBe(cnt);
    expect(Array.from(cache.idx.subarray(at, at + cnt))).toEqual(Array.from(idx.subarray(0, cnt)));
    if (spec.kind !== 'homo') expect(Array.from(cache.w!.subarray(at, at + cnt))).toEqual(Array.from(w.subarray(0, cnt)));
  }
});

test('era B shares one stream across lines: no cache', () => {
  expect(lineCacheFor({ ...specs[0], rng: 'mt19937-b' }, 300)).toBeNull();
});

test('event products over lines met before equal the first call, bit for bit', () => {
  const x = new Uint8Array(300);
  for (const i of [1, 50, 51, 52, 200, 299]) x[i] = 1;
  const v = torch.Tensor.fromBuffer(x, [300], 'bool');
  for (const f of [
    () => bm.jitconn.event_mv_prob_homo(v, 0.7, 0.05, 21, { shape: [500, 300], outdim_parallel: false }),
    () => bm.jitconn.event_mv_prob_uniform(v, -0.5, 1.5, 0.05, 22, { shape: [500, 300], outdim_parallel: false }),
    () => bm.jitconn.event_mv_prob_normal(v, 0.2, 0.4, 0.05, 23, { shape: [500, 300], outdim_parallel: false }),
  ]) {
    const first = Array.from(f().buffer as Float32Array);
    expect(first.some((y) => y !== 0)).toBe(true);
    const again = Array.from(f().buffer as Float32Array); // every line now comes from the cache
    expect(again).toEqual(first);
  }
});

test('clear_line_caches drops every cache: lines are generated again, with the same numbers', () => {
  const spec = specs[0];
  const cache = lineCacheFor(spec, 300)!;
  const walker = makeWalker(spec), idx = new Int32Array(500), w = new Float64Array(500);
  cache.put(5, idx, w, walker.fill(5, idx, w));
  clear_line_caches();
  const fresh = lineCacheFor(spec, 300)!;
  expect(fresh).not.toBe(cache);
  expect(fresh.start[5]).toBe(-1);
  const x = new Uint8Array(300); x[5] = 1; x[77] = 1;
  const v = torch.Tensor.fromBuffer(x, [300], 'bool');
  const f = () => Array.from(bm.jitconn.event_mv_prob_homo(v, 0.7, 0.05, 21, { shape: [500, 300], outdim_parallel: false }).buffer as Float32Array);
  const before = f();
  clear_line_caches();
  expect(f()).toEqual(before);
});

test('a JIT layer reuses its checked call only while its numbers stay the same', () => {
  const x = new Uint8Array(300); for (const i of [3, 30, 130]) x[i] = 1;
  const v = torch.Tensor.fromBuffer(x, [300], 'bool');
  const layer = new bp.dnn.EventJitFPHomoLinear(300, 500, { prob: 0.05, weight: 0.7, seed: 31 });
  const ref = (w: number, seed: number) => Array.from(bm.jitconn.event_mv_prob_homo(v, w, 0.05, seed, { shape: [500, 300], outdim_parallel: false }).buffer as Float32Array);
  expect(Array.from(layer.call(v).buffer as Float32Array)).toEqual(ref(0.7, 31));
  expect(Array.from(layer.call(v).buffer as Float32Array)).toEqual(ref(0.7, 31));
  (layer as unknown as { weight: number }).weight = 1.5;
  expect(Array.from(layer.call(v).buffer as Float32Array)).toEqual(ref(1.5, 31));
  layer.seed = 32;
  expect(Array.from(layer.call(v).buffer as Float32Array)).toEqual(ref(1.5, 32));
  // errors still name the function and the argument
  expect(() => layer.call(torch.Tensor.fromBuffer(new Uint8Array(7), [7], 'bool'))).toThrow(/num_in = 300/);
});

test.each([['lfsr88-c', true], ['lfsr88-c', false], ['light-d', true], ['light-d', false]] as const)(
  'float homo products (%s, outdim_parallel %s) read cached lines: the sums of the dense matrix, in its order, on every call', (rng, outdim_parallel) => {
    clear_line_caches();
    const x = new Float32Array(300);
    for (let k = 0; k < 300; k++) x[k] = Math.fround(Math.sin(k) * 3); // dense input: every line is visited
    const v = torch.Tensor.fromBuffer(x, [300], 'float32');
    const opts = { shape: [500, 300] as [number, number], outdim_parallel, rng };
    const M = bm.jitconn.get_homo_weight_matrix(0.7, 0.05, 41, opts).contiguous().toTypedArray() as Float32Array;
    // reference from the dense matrix: gather rows sum x over their columns in float64, then × weight; scatter columns
    // add f32(x·weight) into a float32 output, column after column
    const want = new Float32Array(500);
    if (outdim_parallel) {
      for (let o = 0; o < 500; o++) { let acc = 0; for (let k = 0; k < 300; k++) if (M[o * 300 + k] !== 0) acc += x[k]; want[o] = acc * Math.fround(0.7); }
    } else {
      for (let k = 0; k < 300; k++) { const vw = Math.fround(x[k] * Math.fround(0.7)); for (let o = 0; o < 500; o++) if (M[o * 300 + k] !== 0) want[o] += vw; }
    }
    const f = () => Array.from(bm.jitconn.mv_prob_homo(v, 0.7, 0.05, 41, opts).buffer as Float32Array);
    expect(f()).toEqual(Array.from(want)); // lines generated and cached
    expect(f()).toEqual(Array.from(want)); // lines read back (the gather form: as one WebAssembly CSR gather)
    set_snn_backend('js');
    try { expect(f()).toEqual(Array.from(want)); } finally { set_snn_backend('auto'); } // and by the JS loop
  });

test.each(['lfsr88-c', 'light-d'] as const)('event homo products in the gather form (%s) count active inputs over cached rows: the dense matrix\'s counts', (rng) => {
  clear_line_caches();
  const x = new Uint8Array(300);
  for (let k = 0; k < 300; k += 7) x[k] = 1;
  const v = torch.Tensor.fromBuffer(x, [300], 'bool');
  const opts = { shape: [500, 300] as [number, number], outdim_parallel: true, rng };
  const M = bm.jitconn.get_homo_weight_matrix(0.7, 0.05, 43, opts).contiguous().toTypedArray() as Float32Array;
  const want = new Float32Array(500);
  for (let o = 0; o < 500; o++) { let c = 0; for (let k = 0; k < 300; k++) if (M[o * 300 + k] !== 0 && x[k]) c++; want[o] = c * Math.fround(0.7); }
  const f = () => Array.from(bm.jitconn.event_mv_prob_homo(v, 0.7, 0.05, 43, opts).buffer as Float32Array);
  expect(f()).toEqual(Array.from(want));
  expect(f()).toEqual(Array.from(want)); // every line cached: one WebAssembly CSR pass
  set_snn_backend('js');
  try { expect(f()).toEqual(Array.from(want)); } finally { set_snn_backend('auto'); } // and the JS loop
  expect(want.some((y) => y !== 0)).toBe(true);
});

test('LineCache.csr(): null until every line is cached, then the lines in line order (a view when stored in order)', () => {
  const spec = { ...specs[0], seed: 99, lineLen: 50 };
  const walker = makeWalker(spec), idx = new Int32Array(50), w = new Float64Array(50);
  const lines = (c: LineCache): number[][] => Array.from({ length: 6 }, (_, o) => Array.from(c.idx.subarray(c.start[o], c.start[o] + c.len[o])));
  for (const order of [[0, 1, 2, 3, 4, 5], [4, 0, 5, 2, 1, 3]]) {
    clear_line_caches();
    const cache = lineCacheFor(spec, 6)!;
    for (const [q, o] of order.entries()) {
      if (q > 0) expect(cache.csr(50)).toBeNull();
      cache.put(o, idx, w, walker.fill(o, idx, w));
    }
    const csr = cache.csr(50)!;
    expect(cache.csr(50)).toBe(csr); // built once
    expect([csr.m, csr.n]).toEqual([6, 50]);
    const want = lines(cache);
    for (let o = 0; o < 6; o++) expect(Array.from(csr.indices.subarray(csr.indptr[o], csr.indptr[o + 1]))).toEqual(want[o]);
    expect(csr.indices.buffer === cache.idx.buffer).toBe(order[1] === 1); // in order: a view of the cache
  }
});
