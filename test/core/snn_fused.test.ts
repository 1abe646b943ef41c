/**
 * The fused passes, bit-identical to the passes they replace, in the SIMD kernels and in their JS twins, on random
 * states with NaN / ±0 / infinity / denormal corners: cond2Set / cond2Acc (two conductance outputs: condSet then
 * condAcc) and addDecay (an Mg projection's add, then the synapse's decay: add then expDecay, and the clear).
 */
import { SnnArena, set_snn_backend } from '../../src/core/kernels/snn';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

const LAYOUT = { V: 'f32', G1: 'f32', G2: 'f32', A: 'f32', B: 'f32', Z: 'f32' } as const;

function fill(a: SnnArena, seed: number): void {
  const r = rng(seed), V = a.f32('V'), G1 = a.f32('G1'), G2 = a.f32('G2'), A = a.f32('A');
  for (let k = 0; k < a.n4; k++) { V[k] = -80 + 40 * r(); G1[k] = r() < 0.5 ? 0 : 3 * r(); G2[k] = r() < 0.5 ? -0 : 2 * r(); A[k] = 30 * r() - 10; }
  const c: [Float32Array, number, number][] = [[V, 0, NaN], [G1, 1, Infinity], [G2, 2, 1e-41], [V, 3, -0], [G2, 4, -Infinity], [A, 5, -0]];
  for (const [arr, k, v] of c) if (k < a.n4) arr[k] = v;
}

const bits = (x: Float32Array): number[] => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
// a NaN made by an operation (∞ − ∞) has an unspecified sign in WebAssembly: compared across backends as one NaN
const nanBits = (b: number[]): number[] => b.map((u) => ((u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0 ? 0x7fc00000 : u));

afterEach(() => set_snn_backend('auto'));

/** Runs `body` on a fresh arena of n filled elements with the SIMD and with the JS kernels; what each returned. */
function bothBackends(n: number, seed: number, body: (a: SnnArena) => number[][]): { wasm: number[][]; js: number[][] } {
  const run = (backend: 'wasm' | 'js'): number[][] => {
    set_snn_backend(backend);
    const a = new SnnArena(n, LAYOUT);
    fill(a, seed);
    return body(a);
  };
  return { wasm: run('wasm'), js: run('js') };
}

test.each([1, 4, 7, 4000, 4003])('cond2Set and cond2Acc equal condSet + condAcc bit for bit, SIMD and JS (n = %i)', (n) => {
  const out = bothBackends(n, 7 + n, (a) => {
    const V = a.f32('V'), G1 = a.f32('G1'), G2 = a.f32('G2'), A = a.f32('A'), B = a.f32('B');
    // scalar input x: two passes into B, one pass into A
    a.condSet(B, 20, G1, V, 0); a.condAcc(B, G2, V, -80);
    const two = bits(B);
    a.cond2Set(A, 20, G1, 0, G2, -80, V);
    expect(bits(A)).toEqual(two);
    // accumulating into an existing I
    B.set(A); a.condAcc(B, G1, V, 10); a.condAcc(B, G2, V, -70);
    a.cond2Acc(A, G1, 10, G2, -70, V);
    expect(bits(A)).toEqual(bits(B));
    return [two, bits(A)];
  });
  expect(out.wasm).toEqual(out.js);
});

test('cond2Set follows the formula: hand-derived float32 values', () => {
  const a = new SnnArena(1, LAYOUT);
  a.f32('V')[0] = -65; a.f32('G1')[0] = 0.5; a.f32('G2')[0] = 0.25;
  a.cond2Set(a.f32('A'), 20, a.f32('G1'), 0, a.f32('G2'), -80, a.f32('V'));
  // 20 + 0.5·(0 − (−65)) + 0.25·(−80 − (−65)) = 20 + 32.5 − 3.75 = 48.75 (exact in float32)
  expect(a.f32('A')[0]).toBe(48.75);
});

test.each([1, 4, 7, 4000, 4003])('addDecay equals add then expDecay bit for bit, and clears Z, SIMD and JS (n = %i)', (n) => {
  const out = bothBackends(n, 11 + n, (a) => {
    const G1 = a.f32('G1'), G2 = a.f32('G2'), A = a.f32('A'), B = a.f32('B'), Z = a.f32('Z');
    A.set(G1); B.set(G1); Z.fill(3);
    a.add(B, G2); a.expDecay(B, 0.0980199, 5);
    a.addDecay(A, G2, Z, 0.0980199, 5);
    expect(bits(A)).toEqual(bits(B));
    expect(Array.from(Z).every((v) => Object.is(v, 0))).toBe(true);
    Z.fill(3); a.addDecay(A, G2, null, 0.0980199, 5); // no clear
    expect(Array.from(Z).every((v) => v === 3)).toBe(true);
    return [bits(A)];
  });
  expect(out.wasm.map(nanBits)).toEqual(out.js.map(nanBits));
});

test('addDecay follows the formula: hand-derived float32 values', () => {
  const a = new SnnArena(2, LAYOUT), G = a.f32('A'), P = a.f32('G1');
  G[0] = 1; P[0] = 0.5; G[1] = -0; P[1] = 0;
  const c = Math.fround(0.1), tau = Math.fround(5), fr = Math.fround;
  a.addDecay(G, P, null, c, tau);
  const v = fr(1 + 0.5);
  expect(G[0]).toBe(fr(v + fr(c * fr(-v / tau))));
  expect(Object.is(G[1], 0)).toBe(true); // −0 + 0 = +0, and the decay keeps +0
});
