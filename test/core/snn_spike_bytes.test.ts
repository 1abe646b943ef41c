/**
 * The LIF kernels write a spike byte only where a lane spikes: given `prev` (the previous call's spike count, its
 * indices still in IDX and its bytes in SP) they clear just those bytes first, else all of SP. Over many steps the
 * shortcut gives the same V, t_last, spike bytes and index lists as clearing everything, in the SIMD kernels, and the
 * same as the JS kernels (which write every byte).
 */
import { SnnArena, set_snn_backend } from '../../src/core/kernels/snn';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

const LAYOUT = { V: 'f32', I: 'f32', B: 'f32', T: 'f32', SP: 'u8', IDX: 'i32' } as const;

function run(backend: 'wasm' | 'js', n: number, ltc: boolean, shortcut: boolean): number[][] {
  set_snn_backend(backend);
  const a = new SnnArena(n, LAYOUT), r = rng(3 + n);
  const V = a.f32('V'), I = a.f32('I'), B = a.f32('B'), T = a.f32('T'), SP = a.u8('SP'), IDX = a.i32('IDX');
  for (let k = 0; k < a.n4; k++) { V[k] = k < n ? -60 + 10 * r() : NaN; T[k] = -1e7; B[k] = -0.1 * r(); } // padding V is NaN (never spikes), as in a group
  SP.fill(1); // garbage before the first step: prev = −1 clears it
  const out: number[][] = [];
  let prev = -1;
  for (let step = 0; step < 400; step++) {
    for (let k = 0; k < a.n4; k++) I[k] = 14 + 10 * r();
    const t = Math.fround(step * 0.1);
    const p = shortcut ? prev : -1;
    const cnt = ltc ? a.lifLtc(V, I, B, null, T, SP, IDX, t, 0.1, 20, -60, 1, -50, -60, 2, p) : a.lif(V, I, null, T, SP, IDX, t, 0.09975, 20, -60, 1, -50, -60, 2, p);
    prev = cnt;
    out.push(Array.from(SP.subarray(0, n)), Array.from(IDX.subarray(0, cnt)), Array.from(new Uint32Array(V.buffer, V.byteOffset, n)), Array.from(new Uint32Array(T.buffer, T.byteOffset, n)));
  }
  return out;
}

afterEach(() => set_snn_backend('auto'));

test.each([[5, false], [1001, false], [7, true], [403, true]] as const)('n = %i, LTC %s: clearing only the last spikes equals clearing all, SIMD and JS', (n, ltc) => {
  const fast = run('wasm', n, ltc, true), full = run('wasm', n, ltc, false), js = run('js', n, ltc, true);
  expect(JSON.stringify(fast) === JSON.stringify(full)).toBe(true);
  expect(JSON.stringify(fast) === JSON.stringify(js)).toBe(true);
  // the group spiked (more spikes than neurons), and the spike bytes agree with the lists every step
  const lists = fast.filter((_, i) => i % 4 === 1);
  expect(lists.reduce((x, l) => x + l.length, 0)).toBeGreaterThan(n);
  for (let s = 0; s < lists.length; s++) expect(fast[4 * s].reduce((x, y) => x + y, 0)).toBe(lists[s].length);
});
