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

test('the committed snn_wasm.ts is what snn.wat compiles to (npm run build:wasm -- --check)', () => {
  const root = path.join(__dirname, '../..');
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  expect(r.stdout).toContain('ok   src/core/kernels/snn_wasm.ts');
  expect(r.status).toBe(0);
});

test('bad input: backend names and arena lookups raise clear errors', () => {
  expect(() => set_snn_backend('gpu' as never)).toThrow("set_snn_backend: backend must be 'auto', 'wasm' or 'js', got \"gpu\"");
  const a = new SnnArena(3, { V: 'f32' });
  expect(() => a.f32('W')).toThrow('SnnArena: no float32 array "W"');
  expect(() => a.u8('V')).toThrow('SnnArena: no byte array "V"');
  expect(() => new SnnArena(-1, {})).toThrow('SnnArena: n must be a non-negative integer, got -1');
});
