/**
 * The one-pass step of brainstate's LIF / LIFRef (src/brainstate/nn/_neuron.ts onePassKernel) with its float32 and
 * float64 arithmetic in WebAssembly (lif64.wat): pass A (reset, hold, the integrand f and z = dt·J) and pass C (the
 * exponential-Euler update, last_spike_time, the spikes) there, exprel(z) = expm1(z)/z between them in JS, with
 * Math.expm1 as the JS kernel calls it. Bit-identical to the JS kernel (a test runs both); ~4× faster at 4000 neurons,
 * where the JS loop pays for Math.fround round trips and five divisions per neuron in scalar code.
 *
 * brainstate's states are fresh arrays every step (JAX arrays), so each call copies its inputs into one memory per
 * group size (reused by every group of that size: nothing is kept between calls) and the new states back out.
 * set_snn_backend('js') turns it off, as it does the other kernels.
 */
import { LIF64_WASM_BASE64 } from './lif64_wasm';
import { compileWasm, snn_backend } from './snn';

interface Lif64Exports {
  pass_a(n: number, flags: number, pV: number, pTh: number, pRs: number, pR: number, pTau: number, pVr: number, pTref: number, pLst: number,
    pXs: number, pG0: number, pG1: number, tf: number, dt: number, xc: number, c0: number, c1: number, pLk: number, pHeld: number, pF: number, pZ: number): void;
  pass_c(n: number, flags: number, pTh: number, pRs: number, pLst: number, tf: number, dt: number, pLk: number, pHeld: number, pF: number,
    pE: number, pOutV: number, pOutT: number, pSp: number): void;
}

const F32 = ['V', 'th', 'rs', 'R', 'tau', 'Vr', 'tref', 'lst', 'xs', 'g0', 'g1', 'lk', 'outV', 'outT', 'sp'] as const;
type F32Name = typeof F32[number];

/** The arrays of one group size in a memory of their own. */
class Lif64Memory {
  readonly x: WebAssembly.Exports & Lif64Exports;
  readonly f: Record<F32Name, Float32Array>;
  readonly F: Float64Array; readonly Z: Float64Array; readonly E: Float64Array; readonly held: Uint8Array;

  constructor(readonly n: number) {
    const n8 = (n + 1) & ~1; // float64 arrays start 8-byte aligned
    const bytes = F32.length * n8 * 4 + 3 * n8 * 8 + n8;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    this.x = new WebAssembly.Instance(_module!, { env: { memory } }).exports as WebAssembly.Exports & Lif64Exports;
    const b = memory.buffer;
    let o = 0;
    const f = {} as Record<F32Name, Float32Array>;
    for (const k of F32) { f[k] = new Float32Array(b, o, n); o += n8 * 4; }
    this.f = f;
    this.F = new Float64Array(b, o, n); o += n8 * 8;
    this.Z = new Float64Array(b, o, n); o += n8 * 8;
    this.E = new Float64Array(b, o, n); o += n8 * 8;
    this.held = new Uint8Array(b, o, n);
  }
}

let _module: WebAssembly.Module | null | undefined;
const memories = new Map<number, Lif64Memory>();

/**
 * onePassKernel's step for at most two current inputs (g0 / g1 with their E or scale c0 / c1, COBA when k0 / k1),
 * written into outV, outT (LIFRef, when tref is given) and spk. False, with nothing done, when WebAssembly is off.
 */
export function lif64Step(len: number, v0: Float32Array, th: Float32Array, rs: Float32Array, R: Float32Array, tau: Float32Array, Vr: Float32Array,
  hard: boolean, tref: Float32Array | null, lst: Float32Array | null, tf: number, dt: number, xc: number, xs: Float32Array | null,
  g0: Float32Array | null, c0: number, k0: boolean, g1: Float32Array | null, c1: number, k1: boolean,
  outV: Float32Array, outT: Float32Array | null, spk: Float32Array): boolean {
  if (snn_backend() !== 'wasm') return false;
  if (_module === undefined) _module = compileWasm(LIF64_WASM_BASE64);
  if (_module === null) return false;
  let m = memories.get(len);
  if (m === undefined) { m = new Lif64Memory(len); memories.set(len, m); }
  const f = m.f;
  f.V.set(v0); f.th.set(th); f.rs.set(rs); f.R.set(R); f.tau.set(tau); f.Vr.set(Vr);
  const hold = tref !== null;
  if (hold) { f.tref.set(tref); f.lst.set(lst!); }
  if (xs !== null) f.xs.set(xs);
  if (g0 !== null) f.g0.set(g0);
  if (g1 !== null) f.g1.set(g1);
  const flags = (hard ? 1 : 0) | (hold ? 2 : 0) | (xs !== null ? 4 : 0) | (g0 !== null ? 8 : 0) | (k0 ? 16 : 0) | (g1 !== null ? 32 : 0) | (k1 ? 64 : 0);
  const x = m.x, p = (a: ArrayBufferView): number => a.byteOffset;
  x.pass_a(len, flags, p(f.V), p(f.th), p(f.rs), p(f.R), p(f.tau), p(f.Vr), p(f.tref), p(f.lst), p(f.xs), p(f.g0), p(f.g1), tf, dt, xc, c0, c1,
    p(f.lk), p(m.held), p(m.F), p(m.Z));
  // exprel(z) (brainunit's float32 threshold), only where the neuron integrates
  const Z = m.Z, E = m.E, held = m.held, math = Math;
  for (let k = 0; k < len; k++) {
    if (held[k]) continue;
    const z = Z[k];
    E[k] = math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : math.expm1(z) / z;
  }
  x.pass_c(len, flags, p(f.th), p(f.rs), p(f.lst), tf, dt, p(f.lk), p(m.held), p(m.F), p(E), p(f.outV), p(f.outT), p(f.sp));
  outV.set(f.outV);
  if (outT !== null) outT.set(f.outT);
  spk.set(f.sp);
  return true;
}
