/**
 * bm.sparse.csrmv's WebAssembly path (core/kernels/csr.ts): float32 products on Tensor-backed CSR arrays of ≥ 4096
 * entries. Each result is compared bit for bit with the JS kernel (set_snn_backend('js'), the kernel the fixture tests
 * of sparse.test.ts check) and with a float64 dense product; the structure copy follows in-place writes and new arrays.
 */
import * as torch from '../../../src/torch/index';
import { set_snn_backend } from '../../../src/index';
import { csrmv } from '../../../src/brainpy/math/sparse';
import { bp } from '../../../src/brainpy/index';

type Tensor = torch.Tensor;

/** A random (m, n) CSR with repeated columns, empty rows and ~deg entries per row (xorshift, so the test is fixed). */
function randomCsr(m: number, n: number, deg: number, seed: number): { indices: Tensor; indptr: Tensor; nnz: number } {
  let x = seed | 1;
  const rnd = (): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
  const ptr = new Int32Array(m + 1), idx: number[] = [];
  for (let i = 0; i < m; i++) {
    const k = i % 17 === 5 ? 0 : Math.floor(rnd() * 2 * deg);
    for (let j = 0; j < k; j++) idx.push(Math.floor(rnd() * n));
    ptr[i + 1] = idx.length;
  }
  return { indices: torch.from_typed_array(Int32Array.from(idx), [idx.length]), indptr: torch.from_typed_array(ptr, [m + 1]), nnz: idx.length };
}

function randn(n: number, seed: number): Tensor {
  torch.manual_seed(seed);
  return torch.randn([n]);
}

const bits = (t: Tensor): Float32Array => t.toTypedArray() as Float32Array;

/** Runs f with the JS kernels, then with WebAssembly; returns both results. */
function both(f: () => Tensor): [Float32Array, Float32Array] {
  set_snn_backend('js');
  let js: Float32Array;
  try { js = bits(f()); } finally { set_snn_backend('auto'); }
  return [js, bits(f())];
}

function expectSameBits(a: Float32Array, b: Float32Array): void {
  expect(b.length).toBe(a.length);
  let diff = -1;
  for (let k = 0; k < a.length && diff < 0; k++) if (!Object.is(a[k], b[k])) diff = k;
  expect(diff === -1 ? 'identical' : `element ${diff}: ${a[diff]} vs ${b[diff]}`).toBe('identical');
}

/** The float64 dense product M @ v (or v @ M) of a CSR with per-entry data w (or one weight). */
function dense(indices: Tensor, indptr: Tensor, w: Float32Array | number, v: Float32Array, m: number, n: number, transpose: boolean): Float64Array {
  const I = indices.toTypedArray() as Int32Array, P = indptr.toTypedArray() as Int32Array;
  const out = new Float64Array(transpose ? n : m);
  for (let i = 0; i < m; i++) {
    for (let k = P[i]; k < P[i + 1]; k++) {
      const wk = typeof w === 'number' ? w : w[k];
      if (transpose) out[I[k]] += wk * v[i]; else out[i] += wk * v[I[k]];
    }
  }
  return out;
}

describe('bm.sparse.csrmv in WebAssembly: bit-identical to the JS kernel', () => {
  const m = 700, n = 900;
  const { indices, indptr, nnz } = randomCsr(m, n, 12, 7);
  test('the test matrix is large enough for the WebAssembly path', () => expect(nnz).toBeGreaterThanOrEqual(4096));

  for (const transpose of [false, true]) {
    const lenIn = transpose ? m : n;
    test(`per-entry float32 weights, transpose=${transpose}`, () => {
      const data = randn(nnz, 1), v = randn(lenIn, 2);
      const [js, wasm] = both(() => csrmv(data, indices, indptr, v, { shape: [m, n], transpose }));
      expectSameBits(js, wasm);
      const ref = dense(indices, indptr, bits(data), bits(v), m, n, transpose);
      for (let k = 0; k < ref.length; k++) expect(Math.abs(wasm[k] - ref[k])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(ref[k])));
    });

    test(`one weight (a number, a 1-element tensor), transpose=${transpose}`, () => {
      const v = randn(lenIn, 3);
      for (const w of [0.6, torch.tensor([-6.7])]) {
        const [js, wasm] = both(() => csrmv(w, indices, indptr, v, { shape: [m, n], transpose }));
        expectSameBits(js, wasm);
        const ref = dense(indices, indptr, typeof w === 'number' ? Math.fround(w) : -6.7, bits(v), m, n, transpose);
        for (let k = 0; k < ref.length; k++) expect(Math.abs(wasm[k] - ref[k])).toBeLessThanOrEqual(1e-3 * (1 + Math.abs(ref[k])));
      }
    });

    test(`NaN, ±Infinity, −0 and huge values pass through as in JS, transpose=${transpose}`, () => {
      const v = bits(randn(lenIn, 4)).slice();
      v[3] = NaN; v[10] = Infinity; v[11] = -Infinity; v[12] = -0; v[13] = 3e38; v[14] = -3e38;
      const data = bits(randn(nnz, 5)).slice();
      data[0] = 0; data[1] = -0; data[2] = 1e-45;
      const vt = torch.from_typed_array(v, [lenIn]), dt = torch.from_typed_array(data, [nnz]);
      const [js, wasm] = both(() => csrmv(dt, indices, indptr, vt, { shape: [m, n], transpose }));
      expectSameBits(js, wasm);
      const [js1, wasm1] = both(() => csrmv(-0, indices, indptr, vt, { shape: [m, n], transpose }));
      expectSameBits(js1, wasm1);
    });
  }

  test('in-place writes to the data, the indices or indptr are seen by the next call', () => {
    const { indices: I, indptr: P } = randomCsr(m, n, 12, 11);
    const N = I.shape[0];
    const data = randn(N, 6), v = randn(m, 7);
    const run = (): Tensor => csrmv(data, I, P, v, { shape: [m, n], transpose: true });
    run(); // the copy is made
    data.mul_(2);
    const [js, wasm] = both(run);
    expectSameBits(js, wasm);
    I.copy_(torch.from_typed_array((I.toTypedArray() as Int32Array).map((c) => (c + 1) % n), [N]));
    const [js2, wasm2] = both(run);
    expectSameBits(js2, wasm2);
    // rows 0 and 1 swap their ends: the same entries, another row split
    const p = P.toTypedArray() as Int32Array;
    p[1] = p[2];
    P.copy_(torch.from_typed_array(p, [m + 1]));
    const [js3, wasm3] = both(run);
    expectSameBits(js3, wasm3);
  });

  test('a new data Tensor on the same structure, then a narrower vector dtype, are handled per call', () => {
    const v = randn(m, 8);
    for (let s = 0; s < 3; s++) {
      const data = randn(nnz, 20 + s);
      const [js, wasm] = both(() => csrmv(data, indices, indptr, v, { shape: [m, n], transpose: true }));
      expectSameBits(js, wasm);
    }
    const v64 = v.to('float64');
    const y = csrmv(randn(nnz, 9).to('float64'), indices, indptr, v64, { shape: [m, n], transpose: true });
    expect(y.dtype).toBe('float64'); // float64 stays on the JS kernel
  });

  test('an out-of-range column raises the JS kernel\'s error, naming the entry', () => {
    const { indices: I, indptr: P, nnz: N } = randomCsr(m, n, 12, 13);
    const bad = (I.toTypedArray() as Int32Array).slice();
    bad[N - 3] = n;
    const Ib = torch.from_typed_array(bad, [N]);
    const msg = `bm.sparse.csrmv: indices[${N - 3}] must be in [0, ${n}), got ${n}`;
    expect(() => csrmv(1, Ib, P, randn(m, 1), { shape: [m, n], transpose: true })).toThrow(msg);
    set_snn_backend('js');
    try { expect(() => csrmv(1, Ib, P, randn(m, 1), { shape: [m, n], transpose: true })).toThrow(msg); } finally { set_snn_backend('auto'); }
    // fixed in place: the next call copies again and runs
    bad[N - 3] = 0;
    Ib.copy_(torch.from_typed_array(bad, [N]));
    const [js, wasm] = both(() => csrmv(1, Ib, P, randn(m, 1), { shape: [m, n], transpose: true }));
    expectSameBits(js, wasm);
  });

  test('gradients through the WebAssembly forward equal the JS ones', () => {
    const grads = (): [Float32Array, Float32Array] => {
      const data = randn(nnz, 30).requires_grad_(true), v = randn(m, 31).requires_grad_(true);
      csrmv(data, indices, indptr, v, { shape: [m, n], transpose: true }).mul(randn(n, 32)).sum().backward();
      return [bits(data.grad!), bits(v.grad!)];
    };
    set_snn_backend('js');
    let js: [Float32Array, Float32Array];
    try { js = grads(); } finally { set_snn_backend('auto'); }
    const wasm = grads();
    expectSameBits(js[0], wasm[0]);
    expectSameBits(js[1], wasm[1]);
  });

  test('bp.dnn.CSRLinear on a FixedProb graph (what a vanilla or align-pre projection calls each step)', () => {
    const conn = new bp.conn.FixedProb(0.05, { pre: 400, post: 300, seed: 3 });
    const lin = new bp.dnn.CSRLinear(conn, 0.6);
    const g = randn(400, 40);
    const [js, wasm] = both(() => lin.call(g) as Tensor);
    expectSameBits(js, wasm);
    const ref = dense(lin.indices, lin.indptr, Math.fround(0.6), bits(g), 400, 300, true);
    for (let k = 0; k < ref.length; k++) expect(Math.abs(wasm[k] - ref[k])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(ref[k])));
  });
});
