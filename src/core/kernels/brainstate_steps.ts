/**
 * brainstate's per-step loops with their float32 and float64 arithmetic in WebAssembly (brainstate_steps.wat), each
 * bit-identical to the JS loop it stands in for (tests run both):
 * - lifStepWasm: the LIF / LIFRef one-pass step (src/brainstate/nn/_neuron.ts onePassKernel): pass A (reset, hold, the
 *   integrand f and z = dt·J) and pass C (the exponential-Euler update, last_spike_time, the spikes) in WebAssembly,
 *   exprel(z) = expm1(z)/z between them in JS with Math.expm1 as the JS kernel calls it; ~4× faster at 4000 neurons,
 *   where the JS loop pays for Math.fround round trips and five divisions per neuron in scalar code.
 * - exponDecayWasm: Expon's decay (src/brainstate/nn/_synapse.ts exponDecay) with one tau and no current inputs.
 * - spikeOfWasm: the Heaviside step of spk_fun's argument (Neuron._spikeInput), four neurons at a time.
 *
 * brainstate's states are fresh arrays every step (JAX arrays), so each call copies its inputs into one memory per
 * group size (reused by every group of that size: nothing is kept between calls) and its results back out.
 * set_snn_backend('js') turns these off, as it does the other kernels.
 */
import { BRAINSTATE_STEPS_WASM_BASE64 } from './brainstate_steps_wasm';
import { kernelModule } from './snn';

interface StepExports {
  pass_a(n: number, flags: number, pV: number, pTh: number, pRs: number, pR: number, pTau: number, pVr: number, pTref: number, pLst: number,
    pXs: number, pG0: number, pG1: number, tf: number, dt: number, xc: number, c0: number, c1: number, pLk: number, pHeld: number, pF: number, pZ: number): void;
  pass_c(n: number, flags: number, pTh: number, pRs: number, pLst: number, tf: number, dt: number, pLk: number, pHeld: number, pF: number,
    pE: number, pOutV: number, pOutT: number, pSp: number): void;
  expon_decay(n: number, pG: number, pD: number, hasD: number, tau: number, c: number, pOut: number): void;
  spike_of(n: number, pV: number, pTh: number, pRs: number, pOut: number): void;
}

const F32 = ['V', 'th', 'rs', 'R', 'tau', 'Vr', 'tref', 'lst', 'xs', 'g0', 'g1', 'lk', 'outV', 'outT', 'sp'] as const;
type F32Name = typeof F32[number];

/** The arrays of one group size in a memory of their own (float32 arrays padded to 4 elements for spike_of). */
class StepMemory {
  readonly x: WebAssembly.Exports & StepExports;
  readonly f: Record<F32Name, Float32Array>;
  readonly F: Float64Array; readonly Z: Float64Array; readonly E: Float64Array; readonly held: Uint8Array;

  constructor(module: WebAssembly.Module, readonly n: number) {
    const n4 = (n + 3) & ~3;
    const bytes = F32.length * n4 * 4 + 3 * n4 * 8 + n4;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    this.x = new WebAssembly.Instance(module, { env: { memory } }).exports as WebAssembly.Exports & StepExports;
    const b = memory.buffer;
    let o = 0;
    const f = {} as Record<F32Name, Float32Array>;
    for (const k of F32) { f[k] = new Float32Array(b, o, n); o += n4 * 4; }
    this.f = f;
    this.F = new Float64Array(b, o, n); o += n4 * 8;
    this.Z = new Float64Array(b, o, n); o += n4 * 8;
    this.E = new Float64Array(b, o, n); o += n4 * 8;
    this.held = new Uint8Array(b, o, n);
  }
}

const stepsModule = kernelModule(BRAINSTATE_STEPS_WASM_BASE64);
const memories = new Map<number, StepMemory>();

/** The memory for groups of len elements, or null when WebAssembly is off or unavailable. */
function stepMemory(len: number): StepMemory | null {
  const module = stepsModule();
  if (module === null) return null;
  let m = memories.get(len);
  if (m === undefined) { m = new StepMemory(module, len); memories.set(len, m); }
  return m;
}

/**
 * onePassKernel's step for at most two current inputs (g0 / g1 with their E or scale c0 / c1, COBA when k0 / k1),
 * written into outV, outT (LIFRef, when tref is given) and spk. False, with nothing done, when WebAssembly is off.
 */
export function lifStepWasm(len: number, v0: Float32Array, th: Float32Array, rs: Float32Array, R: Float32Array, tau: Float32Array, Vr: Float32Array,
  hard: boolean, tref: Float32Array | null, lst: Float32Array | null, tf: number, dt: number, xc: number, xs: Float32Array | null,
  g0: Float32Array | null, c0: number, k0: boolean, g1: Float32Array | null, c1: number, k1: boolean,
  outV: Float32Array, outT: Float32Array | null, spk: Float32Array): boolean {
  const m = stepMemory(len);
  if (m === null) return false;
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

/**
 * exponDecay's loop for one tau (every element's) and no current inputs: out[k] = f32(g + c·((−g + 0)/tau)), or with a
 * value delta input d, f32(f32(that) + d[k]). False, with nothing done, when WebAssembly is off.
 */
export function exponDecayWasm(len: number, g0: Float32Array, d: Float32Array | null, tau: number, c: number, out: Float32Array): boolean {
  const m = stepMemory(len);
  if (m === null) return false;
  const f = m.f;
  f.V.set(g0);
  if (d !== null) f.xs.set(d);
  m.x.expon_decay(len, f.V.byteOffset, f.xs.byteOffset, d !== null ? 1 : 0, tau, c, f.outV.byteOffset);
  out.set(f.outV);
  return true;
}

/** out[k] = ((v[k] − th[k]) / (th[k] − rs[k]) >= 0) ? 1 : 0, float32 (false, nothing done, when WebAssembly is off). */
export function spikeOfWasm(len: number, v: ArrayLike<number>, th: Float32Array, rs: Float32Array, out: Float32Array): boolean {
  if (!(v instanceof Float32Array)) return false;
  const m = stepMemory(len);
  if (m === null) return false;
  const f = m.f;
  f.V.set(v); f.th.set(th); f.rs.set(rs);
  m.x.spike_of(len, f.V.byteOffset, f.th.byteOffset, f.rs.byteOffset, f.sp.byteOffset);
  out.set(f.sp);
  return true;
}
