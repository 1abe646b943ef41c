/**
 * The spiking-network kernels (src/core/kernels/snn.ts): the WebAssembly SIMD path gives bit-identical results to the
 * float32 JS reference on random states (spiking, refractory, delta inputs, NaN/−0/denormal corners), the JS
 * reference matches a float64 evaluation of the formulas within float32 rounding, and the committed module bytes are
 * what snn.wat compiles to.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SnnArena, set_snn_backend, snn_backend, lifJs } from '../../src/core/kernels/snn';

// deterministic generator (xorshift32)
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

const LAYOUT = { V: 'f32', I: 'f32', S: 'f32', T: 'f32', G: 'f32', SP: 'u8', IDX: 'i32' } as const;

function fillState(a: SnnArena, seed: number): void {
  const r = rng(seed);
  const V = a.f32('V'), I = a.f32('I'), S = a.f32('S'), T = a.f32('T'), G = a.f32('G');
  for (let k = 0; k < a.n4; k++) {
    V[k] = -60 + 12 * r(); I[k] = 40 * r() - 5; S[k] = r() < 0.1 ? r() : 0; G[k] = 2 * r();
    T[k] = r() < 0.3 ? 10 * r() : -1e7;
  }
  // corners: NaN, −0, a denormal, exactly at threshold, exactly tau_ref ago
  V[0] = NaN; V[1] = -0; I[2] = 1e-40; V[3] = -50; T[4] = 5; V[5] = -49.999996;
}

function bits(a: Float32Array | Uint8Array): number[] {
  return Array.from(a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : a);
}

afterEach(() => set_snn_backend('auto'));

test('WebAssembly SIMD is available in this Node and is the default backend', () => {
  expect(snn_backend()).toBe('wasm');
});

test.each([1, 4, 7, 4000, 4001])('SIMD kernels are bit-identical to the JS reference (n = %i)', (n) => {
  set_snn_backend('wasm');
  const w = new SnnArena(n, LAYOUT);
  set_snn_backend('js');
  const j = new SnnArena(n, LAYOUT);
  expect([w.backend, j.backend]).toEqual(['wasm', 'js']);
  fillState(w, 7 + n); fillState(j, 7 + n);
  for (let step = 0; step < 40; step++) {
    for (const a of [w, j]) {
      const t = Math.fround(step * 0.1 + 5);
      a.expDecay(a.f32('G'), 0.0199, 5);
      if (step % 2) a.condSet(a.f32('I'), 20.3, a.f32('G'), a.f32('V'), 0); // x + g·(E − V)
      a.condAcc(a.f32('I'), a.f32('G'), a.f32('V'), -80);
      a.add(a.f32('I'), a.f32('S'));
      const cnt = a.lif(a.f32('V'), a.f32('I'), step % 3 === 0 ? a.f32('S') : null, a.f32('T'), a.u8('SP'), a.i32('IDX'), t, 0.09975, 20, -60, 1, -50, -60, step % 2 ? 5 : -Infinity);
      (a as unknown as { cnt: number }).cnt = cnt;
    }
    expect((w as unknown as { cnt: number }).cnt).toBe((j as unknown as { cnt: number }).cnt);
    for (const k of ['V', 'I', 'T', 'G'] as const) expect(bits(w.f32(k))).toEqual(bits(j.f32(k)));
    expect(bits(w.u8('SP'))).toEqual(bits(j.u8('SP')));
    // the spike list: the indices of the set spike bytes, ascending
    const cnt = (w as unknown as { cnt: number }).cnt;
    const want = Array.from(w.u8('SP')).flatMap((b, k) => (b ? [k] : []));
    expect(Array.from(w.i32('IDX').subarray(0, cnt))).toEqual(want);
    expect(Array.from(j.i32('IDX').subarray(0, cnt))).toEqual(want);
  }
});

test('the JS LIF step matches the formulas evaluated in float64 (within float32 rounding)', () => {
  const n = 8;
  const V = new Float32Array([-55, -50.05, -60, -51, -49, -58, -50.2, -70]);
  const I = new Float32Array([20, 20, 0, 35, 0, -3, 20, 100]);
  const T = new Float32Array([-1e7, -1e7, -1e7, 1.5, -1e7, 2, -1e7, -1e7]);
  const S = new Float32Array([0, 0, 0, 0, 0, 0, 0.5, 0]);
  const SP = new Uint8Array(n), IDX = new Int32Array(n);
  const t = 6, c = 0.1 * ((Math.exp(-0.1 / 20) - 1) / (-0.1 / 20)), tau = 20, tauRef = 5;
  const want = Array.from(V, (v, k) => {
    let vn = v + (c * (-v - 60 + I[k])) / tau + S[k];
    if (t - T[k] <= tauRef) vn = v;
    return vn >= -50 ? -60 : vn;
  });
  const spikes = lifJs(n, V, I, S, T, SP, IDX, t, c, tau, -60, 1, -50, -60, tauRef);
  for (let k = 0; k < n; k++) expect(Math.abs(V[k] - want[k])).toBeLessThanOrEqual(1e-5);
  // neuron 1 crosses (−50.05 + 0.1·(10.05 + 20)/20 ≈ −49.9), neuron 3 is held (t − 1.5 = 4.5 ≤ 5), neuron 4 spikes
  // from −49, neuron 6 crosses with its delta input (−50.2 + 0.0049 + 0.5)
  expect(Array.from(SP)).toEqual([0, 1, 0, 0, 1, 0, 1, 0]);
  expect(spikes).toBe(3);
  expect(Array.from(IDX.subarray(0, 3))).toEqual([1, 4, 6]);
  expect(Array.from(T)).toEqual([-1e7, 6, -1e7, 1.5, 6, 2, 6, -1e7].map(Math.fround));
});

test('the committed *_wasm.ts files are what their .wat files compile to (npm run build:wasm -- --check)', () => {
  const root = path.join(__dirname, '../..');
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  expect(r.stdout).toContain('ok   src/core/kernels/snn_wasm.ts');
  expect(r.stdout).toContain('ok   src/core/kernels/csr_wasm.ts');
  expect(r.stdout).toContain('ok   src/core/kernels/brainstate_steps_wasm.ts');
  expect(r.stdout).toContain('ok   src/core/kernels/mt19937_wasm.ts');
  expect(r.status).toBe(0);
});

test('bad input: backend names and arena lookups raise clear errors', () => {
  expect(() => set_snn_backend('gpu' as never)).toThrow("set_snn_backend: backend must be 'auto', 'wasm' or 'js', got \"gpu\"");
  const a = new SnnArena(3, { V: 'f32' });
  expect(() => a.f32('W')).toThrow('SnnArena: no float32 array "W"');
  expect(() => a.u8('V')).toThrow('SnnArena: no byte array "V"');
  expect(() => new SnnArena(-1, {})).toThrow('SnnArena: n must be a non-negative integer, got -1');
});

test('expf (the kernels\' float32 exp) is within 2 ulp of the correctly rounded exp over its whole range, SIMD and JS bit-identical', () => {
  const n = 60000;
  set_snn_backend('wasm');
  const w = new SnnArena(n, { X: 'f32', Y: 'f32' });
  set_snn_backend('js');
  const j = new SnnArena(n, { X: 'f32', Y: 'f32' });
  const r = rng(3);
  const X = w.f32('X');
  for (let k = 0; k < n; k++) X[k] = k < 50000 ? -103.9 + 192.6 * r() : (r() - 0.5) * 0.02; // all of it, and exprel's range
  const special = [0, -0, 1e-30, -1e-30, 88.72, 88.73, -104, Infinity, -Infinity, NaN];
  X.set(special, 0);
  j.f32('X').set(X);
  w.expf(X, w.f32('Y'));
  j.expf(j.f32('X'), j.f32('Y'));
  expect(bits(w.f32('Y'))).toEqual(bits(j.f32('Y')));
  const Y = w.f32('Y');
  expect(Array.from(Y.subarray(0, 4))).toEqual([1, 1, 1, 1]);
  expect(Y[4]).toBeGreaterThan(3.3e38); // exp(88.72) ≈ 3.39e38 is still finite
  expect(Array.from(Y.subarray(5, 10))).toEqual([Infinity, 0, Infinity, 0, NaN]);
  // error in units of the last place of the correctly rounded value (denormals: of 2^-149)
  const ulp = (y: number): number => { const b = new Float32Array([y]); const u = new Uint32Array(b.buffer); u[0] += 1; return b[0] - y; };
  let worst = 0;
  for (let k = special.length; k < n; k++) {
    const want = Math.fround(Math.exp(X[k]));
    worst = Math.max(worst, Math.abs(Y[k] - want) / ulp(want));
  }
  expect(worst).toBeLessThanOrEqual(2);
});

test('lif_ltc: SIMD and JS bit-identical; one step matches exp-Euler with J = (−1 + R·B)/tau in float64 within rounding', () => {
  for (const n of [5, 4001]) {
    set_snn_backend('wasm');
    const w = new SnnArena(n, { ...LAYOUT, B: 'f32' });
    set_snn_backend('js');
    const j = new SnnArena(n, { ...LAYOUT, B: 'f32' });
    fillState(w, n); fillState(j, n);
    // B = 1 gives z = 0, B within ~2e-3 of 1 gives |z| <= 1e-5: exprel's series (in lanes beside exp's)
    for (const a of [w, j]) { const B = a.f32('B'); const r = rng(9); for (let k = 0; k < a.n4; k++) B[k] = k % 11 === 2 ? 1 + (r() - 0.5) * 4e-3 : k % 11 === 7 ? 1 : -3 * r(); B[0] = 0; }
    for (let step = 0; step < 20; step++) {
      const cw = w.lifLtc(w.f32('V'), w.f32('I'), w.f32('B'), step % 4 === 1 ? w.f32('S') : null, w.f32('T'), w.u8('SP'), w.i32('IDX'), Math.fround(5 + step * 0.1), 0.1, 20, -60, 1, -50, -60, 5);
      const cj = j.lifLtc(j.f32('V'), j.f32('I'), j.f32('B'), step % 4 === 1 ? j.f32('S') : null, j.f32('T'), j.u8('SP'), j.i32('IDX'), Math.fround(5 + step * 0.1), 0.1, 20, -60, 1, -50, -60, 5);
      expect(cw).toBe(cj);
      expect(bits(w.f32('V'))).toEqual(bits(j.f32('V')));
      expect(bits(w.u8('SP'))).toEqual(bits(j.u8('SP')));
    }
  }
  // float64 reference of one step
  set_snn_backend('js');
  const a = new SnnArena(3, { ...LAYOUT, B: 'f32' });
  a.f32('V').set([-55, -52, -58]); a.f32('I').set([20, 30, -5]); a.f32('B').set([-0.5, -2, 0]); a.f32('T').fill(-1e7);
  a.lifLtc(a.f32('V'), a.f32('I'), a.f32('B'), null, a.f32('T'), a.u8('SP'), a.i32('IDX'), 1, 0.1, 20, -60, 1, -50, -60, 5);
  [[-55, 20, -0.5], [-52, 30, -2], [-58, -5, 0]].forEach(([v, I, B], k) => {
    const J = (-1 + B) / 20, z = 0.1 * J, c = 0.1 * ((Math.exp(z) - 1) / z);
    expect(Math.abs(a.f32('V')[k] - (v + (c * (-60 - v + I)) / 20))).toBeLessThan(1e-5);
  });
});

test('condSet: I = x + g·(E − V) in one pass, the same as filling I with x and then condAcc', () => {
  for (const backend of ['wasm', 'js'] as const) {
    set_snn_backend(backend);
    const a = new SnnArena(5, { I: 'f32', J: 'f32', G: 'f32', V: 'f32' });
    a.f32('G').set([2, 0.5, 0, 1e-3, 3]); a.f32('V').set([-60, -50, -70, -55.5, 1]);
    a.condSet(a.f32('I'), 20, a.f32('G'), a.f32('V'), -80);
    expect(Array.from(a.f32('I').subarray(0, 5))).toEqual([20 - 40, 20 - 15, 20, Math.fround(20 + Math.fround(1e-3 * -24.5)), 20 - 243]);
    a.f32('J').fill(20);
    a.condAcc(a.f32('J'), a.f32('G'), a.f32('V'), -80);
    expect(bits(a.f32('J'))).toEqual(bits(a.f32('I')));
  }
});

test('scatterAdd: out[ids[k]] += w in order, float32 adds, SIMD module and JS bit-identical; owning() finds the arena', () => {
  const n = 300, m = 2000;
  const res: number[][] = [];
  for (const backend of ['wasm', 'js'] as const) {
    set_snn_backend(backend);
    const a = new SnnArena(n, { out: 'f32', X: 'i32' });
    expect(SnnArena.owning(a.f32('out').buffer)).toBe(a);
    expect(a.stage()).toBe(a.i32('X'));
    const ids = new Int32Array(m), want = new Float64Array(n);
    const rr = rng(5);
    for (let k = 0; k < m; k++) ids[k] = Math.floor(rr() * n);
    a.f32('out').fill(0.1);
    for (let chunk = 0; chunk < m; chunk += a.n4) {
      const c = Math.min(a.n4, m - chunk);
      a.i32('X').set(ids.subarray(chunk, chunk + c));
      a.scatterAdd(a.i32('X'), c, a.f32('out'), 0.3);
    }
    const out = a.f32('out');
    for (let j = 0; j < n; j++) want[j] = Math.fround(0.1);
    for (let k = 0; k < m; k++) want[ids[k]] = Math.fround(want[ids[k]] + Math.fround(0.3));
    expect(Array.from(out.subarray(0, n))).toEqual(Array.from(want));
    res.push(bits(out));
  }
  expect(res[0]).toEqual(res[1]);
  expect(SnnArena.owning(new ArrayBuffer(8))).toBeNull();
});

test('addClear: I = I + G and Z = 0 in one pass, the same sums as add, SIMD and JS', () => {
  const res: number[][] = [];
  for (const backend of ['wasm', 'js'] as const) {
    set_snn_backend(backend);
    const a = new SnnArena(7, { I: 'f32', G: 'f32', Z: 'f32', J: 'f32' });
    const r = rng(21);
    for (let k = 0; k < a.n4; k++) { a.f32('I')[k] = 10 * r() - 5; a.f32('G')[k] = r(); a.f32('Z')[k] = r() + 1; }
    a.f32('J').set(a.f32('I'));
    a.addClear(a.f32('I'), a.f32('G'), a.f32('Z'));
    a.add(a.f32('J'), a.f32('G'));
    expect(bits(a.f32('I'))).toEqual(bits(a.f32('J')));
    expect(Array.from(a.f32('Z'))).toEqual(new Array(a.n4).fill(0));
    res.push(bits(a.f32('I')));
  }
  expect(res[0]).toEqual(res[1]);
});
