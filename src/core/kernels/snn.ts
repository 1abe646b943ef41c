/**
 * Spiking-network step kernels over float32 state — LIF integration with an absolute refractory period,
 * conductance currents, exponential synapse decay — in two implementations with bit-identical results:
 * WebAssembly SIMD (snn.wat → snn_wasm.ts, used when the runtime validates it) and plain JS (the fallback, and the
 * reference a test compares the SIMD path against). Every operation is one float32 operation (Math.fround in JS).
 *
 * State lives in an SnnArena: one private WebAssembly.Memory per owner (a neuron group, a synapse), sized once and
 * never grown, so the typed-array views handed to Tensors and Variables stay valid for the owner's lifetime.
 * Arrays are padded to a multiple of 4 elements; kernels run over the padded length (padding of V is NaN, which
 * never spikes).
 */
import { SNN_WASM_BASE64 } from './snn_wasm';

const math = Math;
const fr = Math.fround;

export type SnnBackend = 'wasm' | 'js';

interface WasmExports {
  lif(n: number, pV: number, pI: number, pS: number, pT: number, pSp: number, pIdx: number, hasDelta: number, t: number, c: number,
    tau: number, Vrest: number, R: number, Vth: number, Vreset: number, tauRef: number, prev: number): number;
  lif_ltc(n: number, pV: number, pI: number, pB: number, pS: number, pT: number, pSp: number, pIdx: number, hasDelta: number, t: number,
    dt: number, tau: number, Vrest: number, R: number, Vth: number, Vreset: number, tauRef: number, prev: number): number;
  cond_acc(n: number, pI: number, pG: number, pV: number, E: number): void;
  scatter_add(n: number, pIds: number, pOut: number, w: number): void;
  add_clear(n: number, pI: number, pG: number, pZ: number): void;
  cond_set(n: number, pI: number, pG: number, pV: number, E: number, x: number): void;
  cond2_set(n: number, pI: number, pG1: number, pG2: number, pV: number, E1: number, E2: number, x: number): void;
  cond2_acc(n: number, pI: number, pG1: number, pG2: number, pV: number, E1: number, E2: number): void;
  sub(n: number, pI: number, pG: number): void;
  expf(n: number, pX: number, pY: number): void;
  add(n: number, pI: number, pG: number): void;
  exp_decay(n: number, pG: number, c: number, tau: number): void;
  add_decay(n: number, pG: number, pP: number, pZ: number, clear: number, c: number, tau: number): void;
}

let _module: WebAssembly.Module | null | undefined;
let _forced: SnnBackend | null = null;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A module compiled from base64 bytes, or null where WebAssembly (or its SIMD) is unavailable (old engines, strict CSP). */
function compileWasm(base64: string): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly === 'object') {
      const bytes = decodeBase64(base64);
      if (WebAssembly.validate(bytes)) return new WebAssembly.Module(bytes);
    }
  } catch { /* unavailable */ }
  return null;
}

/**
 * A getter of the module compiled (once) from base64: null while the kernels' backend is 'js' (set_snn_backend) or
 * where it cannot be compiled. What the other WebAssembly kernels (csr, brainstate_steps, mt19937) run through.
 */
export function kernelModule(base64: string): () => WebAssembly.Module | null {
  let m: WebAssembly.Module | null | undefined;
  return () => {
    if (snn_backend() !== 'wasm') return null;
    if (m === undefined) m = compileWasm(base64);
    return m;
  };
}

/** The compiled SIMD module, or null where it cannot be compiled. */
function wasmModule(): WebAssembly.Module | null {
  if (_module === undefined) _module = compileWasm(SNN_WASM_BASE64);
  return _module;
}

/**
 * Chooses the kernels of arenas created from now on, and of float CSR products (core/kernels/csr.ts): 'auto' (SIMD
 * when available; the default), 'wasm' (raises when unavailable) or 'js'. Existing arenas keep theirs.
 */
export function set_snn_backend(backend: 'auto' | SnnBackend): void {
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'js') {
    throw new Error(`set_snn_backend: backend must be 'auto', 'wasm' or 'js', got ${JSON.stringify(backend)}`);
  }
  if (backend === 'wasm' && !wasmModule()) throw new Error("set_snn_backend: 'wasm' requested but this runtime cannot compile WebAssembly SIMD");
  _forced = backend === 'auto' ? null : backend;
}

/** The backend new arenas get. */
export function snn_backend(): SnnBackend {
  if (_forced) return _forced;
  return wasmModule() ? 'wasm' : 'js';
}

type Layout = Record<string, 'f32' | 'i32' | 'u8'>;

const owners = new WeakMap<ArrayBufferLike, SnnArena>();

/** Float32/Uint8 arrays of one owner, padded to a multiple of 4 elements, with the kernels that run on them. */
export class SnnArena {
  readonly backend: SnnBackend;
  /** Logical length. */
  readonly n: number;
  /** Padded length (a multiple of 4): what the kernels process. */
  readonly n4: number;
  private readonly _f32 = new Map<string, Float32Array>();
  private readonly _u8 = new Map<string, Uint8Array>();
  private readonly _i32 = new Map<string, Int32Array>();
  private readonly _x: WasmExports | null = null;
  private readonly _buffer: ArrayBuffer;

  constructor(n: number, layout: Layout) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`SnnArena: n must be a non-negative integer, got ${n}`);
    this.n = n;
    this.n4 = (n + 3) & ~3;
    this.backend = snn_backend();
    const names = Object.keys(layout);
    let bytes = 0;
    for (const k of names) bytes += layout[k] === 'u8' ? (this.n4 + 15) & ~15 : this.n4 * 4;
    let buffer: ArrayBuffer;
    if (this.backend === 'wasm') {
      const memory = new WebAssembly.Memory({ initial: math.max(1, math.ceil(bytes / 65536)) });
      this._x = new WebAssembly.Instance(wasmModule()!, { env: { memory } }).exports as unknown as WasmExports;
      buffer = memory.buffer;
    } else buffer = new ArrayBuffer(math.max(16, bytes));
    this._buffer = buffer;
    owners.set(buffer, this);
    let off = 0;
    for (const k of names) {
      const kind = layout[k];
      if (kind === 'f32') { const a = new Float32Array(buffer, off, this.n4); this._f32.set(k, a); this._byOffset.set(off, a); off += this.n4 * 4; } else if (kind === 'i32') { this._i32.set(k, new Int32Array(buffer, off, this.n4)); off += this.n4 * 4; } else { this._u8.set(k, new Uint8Array(buffer, off, this.n4)); off += (this.n4 + 15) & ~15; }
    }
    this._stage = this._i32.get('X') ?? null;
  }

  /** The padded float32 array `name` (n4 elements). */
  f32(name: string): Float32Array {
    const a = this._f32.get(name);
    if (!a) throw new Error(`SnnArena: no float32 array ${JSON.stringify(name)}`);
    return a;
  }

  /** The padded int32 array `name` (n4 elements). */
  i32(name: string): Int32Array {
    const a = this._i32.get(name);
    if (!a) throw new Error(`SnnArena: no int32 array ${JSON.stringify(name)}`);
    return a;
  }

  private readonly _views = new Map<string, Float32Array | Uint8Array>();

  /** The first n elements of float32 array `name` (one view, made once): what a Variable adopts. */
  f32n(name: string): Float32Array {
    let v = this._views.get(name);
    if (v === undefined) { v = this.f32(name).subarray(0, this.n); this._views.set(name, v); }
    return v as Float32Array;
  }

  /** The first n elements of byte array `name` (one view, made once). */
  u8n(name: string): Uint8Array {
    let v = this._views.get(name);
    if (v === undefined) { v = this.u8(name).subarray(0, this.n); this._views.set(name, v); }
    return v as Uint8Array;
  }

  /** The padded float32 array of this arena that `view` (its first n elements) starts, or null. */
  padded(view: Float32Array): Float32Array | null {
    if (view.buffer !== this._buffer || view.length !== this.n) return null;
    return this._byOffset.get(view.byteOffset) ?? null;
  }
  private readonly _byOffset = new Map<number, Float32Array>();

  /** The padded byte array `name` (n4 elements). */
  u8(name: string): Uint8Array {
    const a = this._u8.get(name);
    if (!a) throw new Error(`SnnArena: no byte array ${JSON.stringify(name)}`);
    return a;
  }

  /**
   * One LIF step over the arena's arrays (see snn.wat): V (in/out), I (current), S (delta input, or null), T (time
   * of the last spike, in/out), SP (spike bytes, out), IDX (the spiking indices in ascending order, out).
   * tau_ref = −Infinity disables the refractory test. Returns the number of spikes. `prev` >= 0 promises that SP holds
   * the spikes listed in IDX by the previous call (prev of them): then only those bytes are cleared, not all of SP.
   */
  lif(V: Float32Array, I: Float32Array, S: Float32Array | null, T: Float32Array, SP: Uint8Array, IDX: Int32Array, t: number, c: number, tau: number,
    Vrest: number, R: number, Vth: number, Vreset: number, tauRef: number, prev = -1): number {
    const x = this._x;
    if (x) return x.lif(this.n4, V.byteOffset, I.byteOffset, S ? S.byteOffset : 0, T.byteOffset, SP.byteOffset, IDX.byteOffset, S ? 1 : 0, t, c, tau, Vrest, R, Vth, Vreset, tauRef, prev);
    return lifJs(this.n4, V, I, S, T, SP, IDX, t, c, tau, Vrest, R, Vth, Vreset, tauRef); // writes every byte of SP: prev not needed
  }

  /**
   * One LifLTC / LifRefLTC step (see snn.wat): as `lif`, with c = dt·exprel(dt·(−1 + R·B)/tau) per neuron, B the
   * summed slopes of the affine inputs (COBA: −g), exprel from the kernels' float32 exp (expf).
   */
  lifLtc(V: Float32Array, I: Float32Array, B: Float32Array, S: Float32Array | null, T: Float32Array, SP: Uint8Array, IDX: Int32Array,
    t: number, dt: number, tau: number, Vrest: number, R: number, Vth: number, Vreset: number, tauRef: number, prev = -1): number {
    const x = this._x;
    if (x) return x.lif_ltc(this.n4, V.byteOffset, I.byteOffset, B.byteOffset, S ? S.byteOffset : 0, T.byteOffset, SP.byteOffset, IDX.byteOffset, S ? 1 : 0, t, dt, tau, Vrest, R, Vth, Vreset, tauRef, prev);
    return lifLtcJs(this.n4, V, I, B, S, T, SP, IDX, t, dt, tau, Vrest, R, Vth, Vreset, tauRef);
  }

  /** I = I − G */
  sub(I: Float32Array, G: Float32Array): void {
    const x = this._x;
    if (x) x.sub(this.n4, I.byteOffset, G.byteOffset);
    else subJs(this.n4, I, G);
  }

  /** Y = expf(X) elementwise (the kernels' float32 exp). */
  expf(X: Float32Array, Y: Float32Array): void {
    const x = this._x;
    if (x) x.expf(this.n4, X.byteOffset, Y.byteOffset);
    else for (let k = 0; k < this.n4; k++) Y[k] = expfJs(X[k]);
  }

  /** I = I + G·(E − V) */
  condAcc(I: Float32Array, G: Float32Array, V: Float32Array, E: number): void {
    const x = this._x;
    if (x) x.cond_acc(this.n4, I.byteOffset, G.byteOffset, V.byteOffset, E);
    else condAccJs(this.n4, I, G, V, E);
  }

  /** I = x + G·(E − V) (I filled with x, then condAcc, in one pass) */
  condSet(I: Float32Array, x: number, G: Float32Array, V: Float32Array, E: number): void {
    const k = this._x;
    if (k) k.cond_set(this.n4, I.byteOffset, G.byteOffset, V.byteOffset, E, x);
    else condSetJs(this.n4, I, x, G, V, E);
  }

  /** I = (x + G1·(E1 − V)) + G2·(E2 − V): condSet and condAcc in one pass (two conductance outputs). */
  cond2Set(I: Float32Array, x: number, G1: Float32Array, E1: number, G2: Float32Array, E2: number, V: Float32Array): void {
    const k = this._x;
    if (k) k.cond2_set(this.n4, I.byteOffset, G1.byteOffset, G2.byteOffset, V.byteOffset, E1, E2, x);
    else cond2SetJs(this.n4, I, x, G1, E1, G2, E2, V);
  }

  /** I = (I + G1·(E1 − V)) + G2·(E2 − V): condAcc twice in one pass. */
  cond2Acc(I: Float32Array, G1: Float32Array, E1: number, G2: Float32Array, E2: number, V: Float32Array): void {
    const k = this._x;
    if (k) k.cond2_acc(this.n4, I.byteOffset, G1.byteOffset, G2.byteOffset, V.byteOffset, E1, E2);
    else cond2AccJs(this.n4, I, G1, E1, G2, E2, V);
  }

  /**
   * out[ids[k]] += w for k < count, in order, every add rounded to float32 (an event product with one weight, its rows
   * staged as one list of positions; ids and out are this arena's arrays, positions < out.length).
   */
  scatterAdd(ids: Int32Array, count: number, out: Float32Array, w: number): void {
    const x = this._x;
    if (x) x.scatter_add(count, ids.byteOffset, out.byteOffset, w);
    else scatterAddJs(ids, count, out, w);
  }

  /** The int32 array 'X' when the layout has one: where event scatters stage their positions for scatterAdd. */
  stage(): Int32Array | null { return this._stage; }
  private _stage: Int32Array | null = null;

  /** The arena whose memory `buffer` is (so a kernel given one of its arrays can run there), or null. */
  static owning(buffer: ArrayBufferLike): SnnArena | null {
    return owners.get(buffer) ?? null;
  }

  /** I = I + G, and Z = 0, in one pass (three distinct arrays of this arena). */
  addClear(I: Float32Array, G: Float32Array, Z: Float32Array): void {
    const x = this._x;
    if (x) x.add_clear(this.n4, I.byteOffset, G.byteOffset, Z.byteOffset);
    else { addJs(this.n4, I, G); Z.fill(0, 0, this.n4); }
  }

  /** I = I + G */
  add(I: Float32Array, G: Float32Array): void {
    const x = this._x;
    if (x) x.add(this.n4, I.byteOffset, G.byteOffset);
    else addJs(this.n4, I, G);
  }

  /** g = g + P, then expDecay's step, in one pass; Z = 0 in it too unless null (three distinct arrays of this arena). */
  addDecay(g: Float32Array, P: Float32Array, Z: Float32Array | null, c: number, tau: number): void {
    const x = this._x;
    if (x) x.add_decay(this.n4, g.byteOffset, P.byteOffset, Z ? Z.byteOffset : 0, Z ? 1 : 0, c, tau);
    else { addDecayJs(this.n4, g, P, c, tau); if (Z) Z.fill(0, 0, this.n4); }
  }

  /** g = g + c·((−g) / tau): exponential-Euler step of g' = −g/tau with c = dt·exprel(−dt/tau). */
  expDecay(g: Float32Array, c: number, tau: number): void {
    const x = this._x;
    if (x) x.exp_decay(this.n4, g.byteOffset, c, tau);
    else expDecayJs(this.n4, g, c, tau);
  }
}

// ---- JS kernels (the reference of snn.wat: same float32 operations in the same order) -----------------------------

export function lifJs(n: number, V: Float32Array, I: Float32Array, S: Float32Array | null, T: Float32Array, SP: Uint8Array, IDX: Int32Array,
  t: number, c: number, tau: number, Vrest: number, R: number, Vth: number, Vreset: number, tauRef: number): number {
  t = fr(t); c = fr(c); tau = fr(tau); Vrest = fr(Vrest); R = fr(R); Vth = fr(Vth); Vreset = fr(Vreset); tauRef = fr(tauRef);
  let cnt = 0;
  for (let k = 0; k < n; k++) {
    const v = V[k];
    let vn = fr(v + fr(c * fr(fr(fr(Vrest - v) + fr(R * I[k])) / tau)));
    if (S !== null) vn = fr(vn + S[k]);
    if (fr(t - T[k]) <= tauRef) vn = v;
    if (vn >= Vth) { V[k] = Vreset; T[k] = t; SP[k] = 1; IDX[cnt++] = k; } else { V[k] = vn; SP[k] = 0; }
  }
  return cnt;
}

export function condAccJs(n: number, I: Float32Array, G: Float32Array, V: Float32Array, E: number): void {
  E = fr(E);
  for (let k = 0; k < n; k++) I[k] = I[k] + fr(G[k] * fr(E - V[k])); // the store rounds the sum to float32
}

export function condSetJs(n: number, I: Float32Array, x: number, G: Float32Array, V: Float32Array, E: number): void {
  x = fr(x); E = fr(E);
  for (let k = 0; k < n; k++) I[k] = x + fr(G[k] * fr(E - V[k])); // the store rounds the sum to float32
}

export function cond2SetJs(n: number, I: Float32Array, x: number, G1: Float32Array, E1: number, G2: Float32Array, E2: number, V: Float32Array): void {
  x = fr(x); E1 = fr(E1); E2 = fr(E2);
  for (let k = 0; k < n; k++) { const v = V[k]; I[k] = fr(x + fr(G1[k] * fr(E1 - v))) + fr(G2[k] * fr(E2 - v)); } // the store rounds the last sum
}

export function cond2AccJs(n: number, I: Float32Array, G1: Float32Array, E1: number, G2: Float32Array, E2: number, V: Float32Array): void {
  E1 = fr(E1); E2 = fr(E2);
  for (let k = 0; k < n; k++) { const v = V[k]; I[k] = fr(I[k] + fr(G1[k] * fr(E1 - v))) + fr(G2[k] * fr(E2 - v)); }
}

export function scatterAddJs(ids: Int32Array, count: number, out: Float32Array, w: number): void {
  w = fr(w);
  for (let k = 0; k < count; k++) out[ids[k]] += w; // the store rounds the sum to float32
}

export function addJs(n: number, I: Float32Array, G: Float32Array): void {
  for (let k = 0; k < n; k++) I[k] = I[k] + G[k];
}

export function subJs(n: number, I: Float32Array, G: Float32Array): void {
  for (let k = 0; k < n; k++) I[k] = I[k] - G[k];
}

export function expDecayJs(n: number, g: Float32Array, c: number, tau: number): void {
  c = fr(c); tau = fr(tau);
  for (let k = 0; k < n; k++) { const v = g[k]; g[k] = v + fr(c * fr(-v / tau)); }
}

export function addDecayJs(n: number, g: Float32Array, P: Float32Array, c: number, tau: number): void {
  c = fr(c); tau = fr(tau);
  for (let k = 0; k < n; k++) { const v = fr(g[k] + P[k]); g[k] = v + fr(c * fr(-v / tau)); }
}

// Cephes' expf constants, as float32 (snn.wat's $expf)
const OVER = fr(88.72284), UNDER = fr(-103.972), LOG2E = fr(1.44269504088896341), C1 = fr(0.693359375), C2 = fr(-2.12194440e-4);
const P0 = fr(1.9875691500e-4), P1 = fr(1.3981999507e-3), P2 = fr(8.3334519073e-3), P3 = fr(4.1665795894e-2);
const P4 = fr(1.6666665459e-1), P5 = fr(5.0000001201e-1), SMALL = fr(1e-5);

/** exp in float32, operation for operation as snn.wat's $expf (Cephes' single-precision algorithm, no FMA). */
export function expfJs(x: number): number {
  x = fr(x);
  if (x !== x) return x;
  if (x > OVER) return Infinity;
  if (x < UNDER) return 0;
  const fx = math.floor(fr(fr(x * LOG2E) + 0.5));
  const r = fr(fr(x - fr(fx * C1)) - fr(fx * C2));
  let p = P0;
  p = fr(fr(p * r) + P1); p = fr(fr(p * r) + P2); p = fr(fr(p * r) + P3); p = fr(fr(p * r) + P4); p = fr(fr(p * r) + P5);
  p = fr(fr(fr(p * fr(r * r)) + r) + 1);
  const a = fx > 127 ? 1 : fx < -126 ? -126 : 0; // 2^n in two exact-or-once-rounded steps, as the kernel
  return fr(fr(p * 2 ** (fx - a)) * 2 ** a);
}

export function lifLtcJs(n: number, V: Float32Array, I: Float32Array, B: Float32Array, S: Float32Array | null, T: Float32Array, SP: Uint8Array,
  IDX: Int32Array, t: number, dt: number, tau: number, Vrest: number, R: number, Vth: number, Vreset: number, tauRef: number): number {
  t = fr(t); dt = fr(dt); tau = fr(tau); Vrest = fr(Vrest); R = fr(R); Vth = fr(Vth); Vreset = fr(Vreset); tauRef = fr(tauRef);
  let cnt = 0;
  for (let k = 0; k < n; k++) {
    const v = V[k];
    const z = fr(dt * fr(fr(-1 + fr(R * B[k])) / tau));
    const ex = math.abs(z) <= SMALL ? fr(fr(1 + fr(z / 2)) + fr(fr(z * z) / 6)) : fr(fr(expfJs(z) - 1) / z);
    const c = fr(dt * ex);
    let vn = fr(v + fr(c * fr(fr(fr(Vrest - v) + fr(R * I[k])) / tau)));
    if (S !== null) vn = fr(vn + S[k]);
    if (fr(t - T[k]) <= tauRef) vn = v;
    if (vn >= Vth) { V[k] = Vreset; T[k] = t; SP[k] = 1; IDX[cnt++] = k; } else { V[k] = vn; SP[k] = 0; }
  }
  return cnt;
}
