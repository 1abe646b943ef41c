/**
 * `brainpy.math.jitconn` (BrainPy ≥ 2.7.8 names): products with a just-in-time random connectivity matrix that is
 * regenerated from its seed instead of being stored, and the matching dense matrices.
 *
 *   y = bm.jitconn.mv_prob_homo(v, weight, conn_prob, seed, shape=(m, n), transpose=False, outdim_parallel=True)
 *   const y = jitconn.mv_prob_homo(v, weight, conn_prob, seed, { shape: [m, n], transpose: false, outdim_parallel: true })
 *
 * `shape = (m, n)` is the shape of the matrix M; `transpose=false` gives M v (v of length n), `transpose=true` Mᵀ v
 * (v of length m) for the same M; `outdim_parallel` chooses whether M is generated row by row (true, BrainPy's default)
 * or column by column — a different matrix. `get_*_weight_matrix(..., transpose=true)` is the transposed M.
 * A 2-D input follows brainevent's `@`: `transpose=false`: M @ V with V (n, k) → (m, k); `transpose=true`: V @ M with
 * V (k, m) → (k, n) (each column / row of V sees the same M as a vector would, except in era D whose matrix-matrix
 * kernels use 4 lanes and so another matrix, as in brainevent 0.2.0).
 *
 * Exactness: for the same seed the connectivity is exactly that of brainevent's CPU (numba) kernels, and the weights
 * equal them to float32 rounding, for the era chosen with `rng` (default `'lfsr88-c'`, or `set_default_rng`):
 * - `'lfsr88-c'`: brainevent 0.0.6–0.1.2 (BrainPy 2.7.8–2.8.x): per-line LFSR88 with numba's integer widening.
 * - `'mt19937-b'`: brainevent 0.0.4/0.0.5 (BrainPy 2.6.2–2.7.7): numba np.random (MT19937), one stream per call.
 * - `'light-d'`: brainevent 0.2.0: light-RNG chunk/lane walk. (brainevent 0.2.0's plain `todense()` raises; here
 *   `get_*_weight_matrix` returns the matrix of its matrix-vector kernels, `M.mv.todense()`, or with the spikeport
 *   option `matrix_mode: 'mm'` that of its matrix-matrix kernels.)
 * GPU kernels of eras B and C draw other matrices; spikeport reproduces the CPU ones.
 *
 * Events (`event_mv_prob_*`): a bool input is active where true; a numeric input where `> 0` (era B: `!= 0`); an active
 * input adds the weight, not weight × value (era B's homo gather quirk — the value is added — is reproduced).
 * Silent inputs skip their whole line in the scatter form (`outdim_parallel=false` with `transpose=false`, or
 * `outdim_parallel=true` with `transpose=true`), except in era B whose single stream must still be walked.
 *
 * Gradients (as brainevent defines them): w.r.t. the vector, the transposed product with the same M (also for the event
 * ops, which treat the event input as if it were the float vector); w.r.t. the homo weight, (w_low, w_high) and
 * (w_mu, w_sigma) when they are given as tensors that require grad.
 *
 * Outputs are float32, or float64 when the vector or a weight tensor is float64 (then nothing is rounded to float32,
 * which is what gradcheck needs). BrainPy's `seed=None` draws a seed from the host RNG at every call (JAX freezes it
 * under jit); here it draws `Math.floor(Math.random() * 1e9)` — pass a seed to get the same matrix every call.
 */
import * as torch from '../../torch/index';
import { isPlainObject } from '../../torch/nn/modules/module';
import { checkOptions, fail } from '../../torch/utils/checks';
import { TouchList, hintedNonzeros, setSparseHint, type HintSlice } from '../../torch/utils/kernels';
import { derivedOp, eventHomoListInto, geometry, jitDense, jitMatmul, type EventInput, type FloatArray, type JitOp } from './jitconn_kernels';
import { connLength, JITCONN_RNGS, type JitconnRng, type WeightKind } from './jitconn_walk';

type Tensor = torch.Tensor;
type TypedArray = torch.TypedArray;
type Param = number | Tensor;

export type { JitconnRng } from './jitconn_walk';

export interface JitconnOptions {
  /** The shape (m, n) of the random matrix M (required; keyword-only in BrainPy). */
  shape?: readonly number[];
  /** false: M v; true: Mᵀ v (the same M). */
  transpose?: boolean;
  /** true: M generated row by row (BrainPy's default); false: column by column (another matrix). */
  outdim_parallel?: boolean;
  /** The seed (may also be given positionally after conn_prob). */
  seed?: number | Tensor | null;
  /** Which brainevent era's CPU generator to reproduce; default `get_default_rng()`. */
  rng?: JitconnRng;
}

export interface JitconnMatrixOptions extends JitconnOptions {
  /** Era D only (spikeport option): 'mv' (default, brainevent 0.2.0's `M.mv.todense()`) or 'mm' (`M.mm.todense()`). */
  matrix_mode?: 'mv' | 'mm';
}

const MV_KEYS = ['shape', 'transpose', 'outdim_parallel', 'seed', 'rng'] as const;
const MATRIX_KEYS = [...MV_KEYS, 'matrix_mode'] as const;

// ---- the generator strategy ----------------------------------------------------------------------------------------------

let defaultRng: JitconnRng = 'lfsr88-c';

/** Sets the generator used when a call gives no `rng` option ('lfsr88-c' = brainevent 0.0.6–0.1.2, the default). */
export function set_default_rng(rng: JitconnRng): void {
  defaultRng = checkRng('bm.jitconn.set_default_rng', rng);
}

export function get_default_rng(): JitconnRng {
  return defaultRng;
}

function checkRng(fn: string, rng: unknown): JitconnRng {
  if (typeof rng !== 'string' || !(JITCONN_RNGS as readonly string[]).includes(rng)) fail(fn, 'rng', `one of ${JITCONN_RNGS.map((r) => `'${r}'`).join(', ')}`, rng);
  return rng as JitconnRng;
}

/** `ceil(2 / conn_prob)`: the mean hop between connections is clen / 2 (brainevent's `_initialize_conn_length`). */
export function conn_length(conn_prob: number): number {
  return connLength(checkProb('bm.jitconn.conn_length', conn_prob));
}

// ---- argument checking ----------------------------------------------------------------------------------------------------

function checkProb(fn: string, p: unknown): number {
  if (typeof p !== 'number' || !Number.isFinite(p)) fail(fn, 'conn_prob', 'a finite number in (0, 1]', p);
  if (!(p > 0 && p <= 1)) fail(fn, 'conn_prob', 'in (0, 1] (brainevent derives the mean hop 2 / conn_prob from it)', p);
  const clen = connLength(p);
  if (clen > 2147483647) fail(fn, 'conn_prob', `large enough that ceil(2 / conn_prob) fits an int32 (conn_prob >= ~1e-9)`, p);
  return p;
}

function checkSeed(fn: string, seed: unknown): number {
  if (seed === undefined || seed === null) return Math.floor(Math.random() * 1e9);
  let s = seed;
  if (s instanceof torch.Tensor) {
    if (s.numel() !== 1 || s.is_floating_point()) fail(fn, 'seed', 'an integer (or a one-element integer tensor)', s);
    s = s.item();
  }
  if (typeof s !== 'number' || !Number.isInteger(s) || s < -2147483648 || s > 2147483647) {
    fail(fn, 'seed', 'an integer in the int32 range [-2147483648, 2147483647] (brainevent stores it as int32)', seed);
  }
  return s as number;
}

function checkShape(fn: string, shape: unknown): [number, number] {
  if (shape === undefined) throw new Error(`${fn}: shape is required (the shape (m, n) of the random matrix; keyword-only in BrainPy: { shape: [m, n] })`);
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 2147483647)) {
    fail(fn, 'shape', 'an array [m, n] of two non-negative integers', shape);
  }
  return [shape[0], shape[1]];
}

interface Parsed { seed: number; m: number; n: number; transpose: boolean; corder: boolean; rng: JitconnRng; mode: 'mv' | 'mm' }

/** `(seed?, options?)` with keyword-only shape / transpose / outdim_parallel (and seed allowed in the options). */
function parseRest(fn: string, rest: unknown[], matrix: boolean): Parsed {
  const list = rest.slice();
  while (list.length && list[list.length - 1] === undefined) list.pop();
  let opts: Record<string, unknown> = {};
  if (list.length && isPlainObject(list[list.length - 1])) opts = checkOptions(fn, list.pop() as Record<string, unknown>, matrix ? MATRIX_KEYS : MV_KEYS) as Record<string, unknown>;
  if (list.length > 1) {
    throw new Error(`${fn}: takes at most one optional positional argument (seed) after conn_prob, got ${list.length}; shape, transpose and outdim_parallel are keyword-only: pass them in the options object`);
  }
  if (list.length === 1 && opts.seed !== undefined) throw new Error(`${fn}: got multiple values for argument 'seed' (positionally and in the options object)`);
  const seed = checkSeed(fn, list.length === 1 ? list[0] : opts.seed);
  const [m, n] = checkShape(fn, opts.shape);
  const transpose = opts.transpose ?? false;
  if (typeof transpose !== 'boolean') fail(fn, 'transpose', 'a boolean', transpose);
  const corder = opts.outdim_parallel ?? true;
  if (typeof corder !== 'boolean') fail(fn, 'outdim_parallel', 'a boolean', corder);
  const rng = opts.rng === undefined ? defaultRng : checkRng(fn, opts.rng);
  const mode = opts.matrix_mode ?? 'mv';
  if (mode !== 'mv' && mode !== 'mm') fail(fn, 'matrix_mode', "'mv' or 'mm'", mode);
  if (mode === 'mm' && rng !== 'light-d') fail(fn, 'matrix_mode', `'mv' unless rng is 'light-d' (only brainevent 0.2.0's matrix-matrix kernels draw another matrix; rng is '${rng}')`, mode);
  return { seed, m, n, transpose, corder, rng, mode };
}

function checkParam(fn: string, name: string, x: unknown): Param {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) fail(fn, name, 'a finite number', x);
    return x;
  }
  if (x instanceof torch.Tensor) {
    if (x.numel() !== 1 || !x.is_floating_point()) fail(fn, name, 'a number or a one-element float tensor', x);
    if (!Number.isFinite(x.item())) fail(fn, name, 'finite', x.item());
    return x;
  }
  return fail(fn, name, 'a number or a one-element float tensor', x);
}

const valueOf = (p: Param | null): number => (p === null ? 0 : typeof p === 'number' ? p : p.item());
const isF64 = (p: Param | null): boolean => p instanceof torch.Tensor && p.dtype === 'float64';

function contiguousData(t: Tensor): TypedArray {
  if (t.is_contiguous()) return t.offset === 0 && t.buffer.length === t.numel() ? t.buffer : t.buffer.subarray(t.offset, t.offset + t.numel());
  return t.toTypedArray();
}

function toFloat(a: TypedArray, dtype: 'float32' | 'float64'): FloatArray {
  if (dtype === 'float32') return a instanceof Float32Array ? a : Float32Array.from(a);
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/** (K, len) row-major → (len, K) row-major, or back. */
function transpose2d<T extends TypedArray>(a: T, rows: number, cols: number): T {
  const out = new (a.constructor as { new (n: number): T })(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

// ---- the op and its layouts -----------------------------------------------------------------------------------------------

interface Call {
  fn: string;
  op: JitOp;
  /** Input shape [lenIn] or 2-D (see batchFirst). */
  inShape: number[];
  K: number;
  /** 2-D input with transpose=true: V is (K, lenIn) and the output (K, lenOut); otherwise (lenIn, K) / (lenOut, K). */
  batchFirst: boolean;
  /** The weight parameters as given (tensors get gradients). */
  params: [Param, Param | null];
}

function canonical(call: Call, data: TypedArray, lenIn: number): TypedArray {
  return call.batchFirst ? transpose2d(data, call.K, lenIn) : data;
}

function outTensor(call: Call, out: FloatArray, lenOut: number): Tensor {
  if (call.inShape.length === 1) return torch.from_typed_array(out, [lenOut]);
  if (call.batchFirst) return torch.from_typed_array(transpose2d(out, lenOut, call.K), [call.K, lenOut]);
  return torch.from_typed_array(out, [lenOut, call.K]);
}

function eventInput(op: JitOp, raw: TypedArray, isBool: boolean, K: number, list: HintSlice | null = null): EventInput {
  const n = raw.length;
  // a bool vector's bytes already are the flags of the scatter kernel, which only tests them for nonzero
  if (isBool && K === 1 && raw instanceof Uint8Array && !geometry(op).gather) return { active: raw, values: null, list };
  const active = new Uint8Array(n);
  if (isBool || op.rng === 'mt19937-b') for (let i = 0; i < n; i++) active[i] = raw[i] !== 0 ? 1 : 0; // NaN counts (numba's != 0)
  else for (let i = 0; i < n; i++) active[i] = raw[i] > 0 ? 1 : 0;
  const quirk = op.rng === 'mt19937-b' && op.kind === 'homo' && !isBool && K === 1 && geometry(op).gather;
  return { active, values: quirk ? toFloat(raw, op.dtype) : null, list: null };
}

/** Runs op on raw input data in the call's layout; returns the output data in canonical layout (lenOut, K). */
function runCanonical(op: JitOp, x: TypedArray, isBool: boolean, K: number, touched: TouchList | null = null, list: HintSlice | null = null,
  into: Float32Array | null = null): FloatArray {
  if (op.event) return jitMatmul(op, null, K, eventInput(op, x, isBool, K, list), touched, into);
  return jitMatmul(op, toFloat(x, op.dtype), K, null);
}

function dot(a: FloatArray, b: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function scalarGrad(p: Param | null, v: number): Tensor | null {
  if (!(p instanceof torch.Tensor)) return null;
  return torch.full(p.shape.slice(), v, { dtype: p.dtype });
}

// the outputs written by the last event scatter (one list for all calls: a hint goes stale when it is refilled)
const _touched = new TouchList();

// the known active inputs of a spike vector (a neuron group's spike list), reused across calls
const _active: HintSlice = { idx: new Int32Array(0), from: 0, to: 0, shift: 0 };

/** The product itself; `x` is the vector's data in canonical layout. */
function matmulForward(call: Call, x: TypedArray, isBool: boolean, vector: Tensor, into: Float32Array | null = null): Tensor {
  const g = geometry(call.op);
  const scatterVec = call.op.event && call.K === 1 && call.inShape.length === 1 && !g.gather;
  // a spike vector whose active positions are known is not scanned (era B must walk every line: not used there)
  const list = scatterVec && isBool && call.op.rng !== 'mt19937-b' && hintedNonzeros(vector, _active) ? _active : null;
  // the caller's array takes the output (see _run_mv); else an event vector's scatter output is nonzero only where its
  // active inputs scattered: consumers may add just those
  const dst = scatterVec && into !== null && into.length === g.lenOut && call.op.dtype === 'float32' ? into : null;
  const hint = scatterVec && dst === null;
  const out = outTensor(call, runCanonical(call.op, x, isBool, call.K, hint ? _touched : null, list, dst), g.lenOut);
  if (hint) setSparseHint(out, _touched);
  return out;
}

class JitconnMatmul extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, vector: Tensor, a: Param, b: Param | null, call: Call): Tensor {
    const x = canonical(call, contiguousData(vector), geometry(call.op).lenIn);
    ctx.call = call;
    ctx.x = x; // canonical input data, kept for the weight gradients
    ctx.isBool = vector.dtype === 'bool';
    ctx.save_for_backward(vector); // so that an in-place change of the vector before backward raises
    return matmulForward(call, x, ctx.isBool, vector);
  }

  static override backward(ctx: torch.autograd.FunctionCtx, gOut: Tensor): (Tensor | null)[] {
    const call = ctx.call as Call;
    const op = call.op;
    const g = geometry(op);
    const gc = toFloat(canonical(call, contiguousData(gOut), g.lenOut), op.dtype);
    const out: (Tensor | null)[] = [null, null, null, null];
    if (ctx.needs_input_grad[0]) {
      // brainevent's transpose rule: the float product with Mᵀ (the same M), also for the event ops
      const t: JitOp = derivedOp(op, { transpose: !op.transpose, event: false });
      const gx = jitMatmul(t, gc, call.K, null);
      const shape = call.inShape;
      const data = call.batchFirst ? transpose2d(gx, g.lenIn, call.K) : gx;
      out[0] = torch.from_typed_array(data, shape.slice());
    }
    if (ctx.needs_input_grad[1] || ctx.needs_input_grad[2]) {
      void ctx.saved_tensors; // version check
      const x = ctx.x as TypedArray;
      const basis = (a: number, b: number): FloatArray => runCanonical(derivedOp(op, { a, b }), x, ctx.isBool, call.K);
      const [pa, pb] = call.params;
      if (op.kind === 'homo') out[1] = scalarGrad(pa, dot(gc, basis(1, 0)));
      else if (op.kind === 'uniform') {
        // w = w_low + (w_high - w_low) u  ⇒  y = w_low·C(v) + (w_high - w_low)·U(v)
        const U = basis(0, 1), C = basis(1, 1);
        const gU = dot(gc, U), gC = dot(gc, C);
        out[1] = scalarGrad(pa, gC - gU);
        out[2] = scalarGrad(pb, gU);
      } else {
        // w = mu + sigma z  ⇒  y = mu·C(v) + sigma·Z(v)
        out[1] = scalarGrad(pa, dot(gc, basis(1, 0)));
        out[2] = scalarGrad(pb, dot(gc, basis(0, 1)));
      }
    }
    return out;
  }
}

/** A product whose arguments were checked once: what bp.dnn's JIT layers call every step (_prepare_mv / _run_mv). */
export interface PreparedMv {
  fn: string; kind: WeightKind; event: boolean; a: Param; b: Param | null; clen: number; p: Parsed;
  /** The call of 1-D float32 vectors, built on first use. */
  call1: Call | null;
}

function matmulCall(fn: string, kind: WeightKind, event: boolean, vector: unknown, a: Param, b: Param | null, clen: number, rest: unknown[]): Tensor {
  return matmulRun({ fn, kind, event, a, b, clen, p: parseRest(fn, rest, false), call1: null }, vector);
}

function matmulRun(prep: PreparedMv, vector: unknown, into: Float32Array | null = null): Tensor {
  const { fn, kind, event, a, b, clen, p } = prep;
  const arg = event ? 'events' : 'vector'; // BrainPy's parameter names
  if (!(vector instanceof torch.Tensor)) fail(fn, arg, 'a Tensor', vector);
  if (vector.ndim !== 1 && vector.ndim !== 2) fail(fn, arg, 'a 1-D vector (or a 2-D matrix)', vector);
  const grad = torch.is_grad_enabled() && (vector.requires_grad || (a instanceof torch.Tensor && a.requires_grad) || (b instanceof torch.Tensor && b.requires_grad));
  // the common case (a spike vector, number weights) reuses the call built the first time
  const c1 = prep.call1;
  if (c1 !== null && !grad && vector.ndim === 1 && vector.dtype !== 'float64' && vector.shape[0] === c1.inShape[0]) {
    return matmulForward(c1, contiguousData(vector), vector.dtype === 'bool', vector, into);
  }
  // any dtype: a bool / int32 vector multiplies as its 0/1 / integer values (float32 output), as the numba kernels do
  const dtype = vector.dtype === 'float64' || isF64(a) || isF64(b) ? 'float64' : 'float32';
  const f32 = dtype === 'float32';
  const av = valueOf(a), bv = valueOf(b);
  const K = vector.ndim === 1 ? 1 : p.transpose ? vector.shape[0] : vector.shape[1];
  const op: JitOp = {
    rng: p.rng, kind, event, m: p.m, n: p.n, corder: p.corder, transpose: p.transpose, seed: p.seed,
    clen, a: f32 ? Math.fround(av) : av, b: f32 ? Math.fround(bv) : bv, dtype, mode: vector.ndim === 2 && p.rng === 'light-d' ? 'mm' : 'mv',
  };
  const g = geometry(op);
  const inLen = vector.ndim === 1 ? vector.shape[0] : p.transpose ? vector.shape[1] : vector.shape[0];
  if (inLen !== g.lenIn) {
    const what = vector.ndim === 1
      ? (p.transpose ? `v @ M needs a vector of length m = ${p.m}` : `M @ v needs a vector of length n = ${p.n}`)
      : (p.transpose ? `V @ M needs V of shape [k, ${p.m}]` : `M @ V needs V of shape [${p.n}, k]`);
    throw new Error(`${fn}: ${arg} has shape [${vector.shape.join(', ')}], but shape=[${p.m}, ${p.n}] with transpose=${p.transpose}: ${what}`);
  }
  const call: Call = { fn, op, inShape: vector.shape.slice(), K, batchFirst: vector.ndim === 2 && p.transpose, params: [a, b] };
  if (vector.ndim === 1 && f32 && !(a instanceof torch.Tensor) && !(b instanceof torch.Tensor)) prep.call1 = call;
  // nothing to differentiate (spike vectors, number weights): skip the autograd Function's bookkeeping
  if (!grad) return matmulForward(call, canonical(call, contiguousData(vector), g.lenIn), vector.dtype === 'bool', vector, into);
  return JitconnMatmul.apply(vector, a, b, call);
}

// ---- public: matrix-vector products ---------------------------------------------------------------------------------------

type Rest = [seed?: number | Tensor | null | JitconnOptions, options?: JitconnOptions];

function mv(fn: string, kind: WeightKind, event: boolean, vector: Tensor, a: unknown, b: unknown, conn_prob: unknown, rest: unknown[], names: [string, string?]): Tensor {
  const pa = checkParam(fn, names[0], a);
  const pb = names[1] ? checkParam(fn, names[1], b) : null;
  checkWeights(fn, kind, pa, pb);
  const clen = connLength(checkProb(fn, conn_prob));
  return matmulCall(fn, kind, event, vector, pa, pb, clen, rest);
}

function checkWeights(fn: string, kind: WeightKind, pa: Param, pb: Param | null): void {
  if (kind === 'uniform' && valueOf(pa) > valueOf(pb)) throw new Error(`${fn}: w_low (${valueOf(pa)}) must not exceed w_high (${valueOf(pb)})`);
  if (kind === 'normal' && valueOf(pb) < 0) fail(fn, 'w_sigma', 'non-negative', valueOf(pb));
}

/**
 * Checks the arguments of an (event_)mv_prob_* call once; `_run_mv(prep, vector)` then computes it like the public
 * function would (same results and errors) with less per-call work. spikeport-internal (bp.dnn's JIT layers).
 */
export function _prepare_mv(fn: string, kind: WeightKind, event: boolean, a: unknown, b: unknown, conn_prob: unknown, seed: unknown, options: JitconnOptions): PreparedMv {
  const pa = checkParam(fn, kind === 'homo' ? 'weight' : kind === 'uniform' ? 'w_low' : 'w_mu', a);
  const pb = kind === 'homo' ? null : checkParam(fn, kind === 'uniform' ? 'w_high' : 'w_sigma', b);
  checkWeights(fn, kind, pa, pb);
  const clen = connLength(checkProb(fn, conn_prob));
  return { fn, kind, event, a: pa, b: pb, clen, p: parseRest(fn, [seed, options], false), call1: null };
}

const UNIT = [1]; // the stride of a contiguous 1-D product (shared, never written in place)

/**
 * `_run_mv(prep, spikes, into)` for the common step of a JIT layer in an align-post projection — a 1-D bool spike
 * vector whose active positions are known (a neuron group's spike list), a homo number weight, the scatter form in
 * eras C/D — without the general call's set-up; null when any of that does not hold (then call _run_mv).
 */
export function _event_homo_into(prep: PreparedMv, vector: Tensor, into: Float32Array): Tensor | null {
  const c1 = prep.call1;
  if (c1 === null || vector.dtype !== 'bool' || vector.ndim !== 1 || vector.shape[0] !== c1.inShape[0]) return null;
  const op = c1.op, g = geometry(op);
  if (!op.event || op.kind !== 'homo' || g.gather || op.rng === 'mt19937-b' || op.dtype !== 'float32' || into.length !== g.lenOut) return null;
  if (vector.requires_grad && torch.is_grad_enabled()) return null;
  if (!hintedNonzeros(vector, _active) || vector.buffer.length < vector.offset + vector.shape[0]) return null;
  if (!eventHomoListInto(op, _active, vector.buffer as Uint8Array, vector.offset, into)) return null;
  return new torch.Tensor(into, g.shape1, UNIT, 0, 'float32'); // into.length === lenOut (checked above)
}

/**
 * With `into` (a float32 array of the output length, all zeros), an event vector's scatter product is written there
 * (the result is a Tensor over it, without a nonzero hint); other products ignore it and return a fresh output.
 */
export function _run_mv(prep: PreparedMv, vector: Tensor, into: Float32Array | null = null): Tensor { return matmulRun(prep, vector, into); }

/** y = M v (transpose=false) or Mᵀ v, M (shape) with weight `weight` at each connection (probability conn_prob). */
export function mv_prob_homo(vector: Tensor, weight: Param, conn_prob: number, ...rest: Rest): Tensor {
  return mv('bm.jitconn.mv_prob_homo', 'homo', false, vector, weight, null, conn_prob, rest, ['weight']);
}

/** Like mv_prob_homo with each connection's weight drawn uniformly from [w_low, w_high). */
export function mv_prob_uniform(vector: Tensor, w_low: Param, w_high: Param, conn_prob: number, ...rest: Rest): Tensor {
  return mv('bm.jitconn.mv_prob_uniform', 'uniform', false, vector, w_low, w_high, conn_prob, rest, ['w_low', 'w_high']);
}

/** Like mv_prob_homo with each connection's weight drawn from N(w_mu, w_sigma²). */
export function mv_prob_normal(vector: Tensor, w_mu: Param, w_sigma: Param, conn_prob: number, ...rest: Rest): Tensor {
  return mv('bm.jitconn.mv_prob_normal', 'normal', false, vector, w_mu, w_sigma, conn_prob, rest, ['w_mu', 'w_sigma']);
}

/** Event form of mv_prob_homo: each active input (true, or > 0) adds `weight` to its connected outputs. */
export function event_mv_prob_homo(events: Tensor, weight: Param, conn_prob: number, ...rest: Rest): Tensor {
  return mv('bm.jitconn.event_mv_prob_homo', 'homo', true, events, weight, null, conn_prob, rest, ['weight']);
}

export function event_mv_prob_uniform(events: Tensor, w_low: Param, w_high: Param, conn_prob: number, ...rest: Rest): Tensor {
  return mv('bm.jitconn.event_mv_prob_uniform', 'uniform', true, events, w_low, w_high, conn_prob, rest, ['w_low', 'w_high']);
}

export function event_mv_prob_normal(events: Tensor, w_mu: Param, w_sigma: Param, conn_prob: number, ...rest: Rest): Tensor {
  return mv('bm.jitconn.event_mv_prob_normal', 'normal', true, events, w_mu, w_sigma, conn_prob, rest, ['w_mu', 'w_sigma']);
}

// ---- public: dense matrices -----------------------------------------------------------------------------------------------

interface DenseCall { op: JitOp; transpose: boolean; params: [Param, Param | null] }

function denseTensor(op: JitOp, transpose: boolean): FloatArray {
  const M = jitDense(op);
  return transpose ? transpose2d(M, op.m, op.n) : M;
}

class JitconnDense extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, a: Param, b: Param | null, call: DenseCall): Tensor {
    ctx.call = call;
    const { op, transpose } = call;
    return torch.from_typed_array(denseTensor(op, transpose), transpose ? [op.n, op.m] : [op.m, op.n]);
  }

  static override backward(ctx: torch.autograd.FunctionCtx, gOut: Tensor): (Tensor | null)[] {
    const { op, transpose, params } = ctx.call as DenseCall;
    const gc = toFloat(contiguousData(gOut), op.dtype);
    const basis = (a: number, b: number): FloatArray => denseTensor(derivedOp(op, { a, b }), transpose);
    const [pa, pb] = params;
    if (op.kind === 'homo') return [scalarGrad(pa, dot(gc, basis(1, 0))), null, null];
    if (op.kind === 'uniform') {
      const gU = dot(gc, basis(0, 1)), gC = dot(gc, basis(1, 1));
      return [scalarGrad(pa, gC - gU), scalarGrad(pb, gU), null];
    }
    return [scalarGrad(pa, dot(gc, basis(1, 0))), scalarGrad(pb, dot(gc, basis(0, 1))), null];
  }
}

function dense(fn: string, kind: WeightKind, a: unknown, b: unknown, conn_prob: unknown, rest: unknown[], names: [string, string?]): Tensor {
  const pa = checkParam(fn, names[0], a);
  const pb = names[1] ? checkParam(fn, names[1], b) : null;
  checkWeights(fn, kind, pa, pb);
  const clen = connLength(checkProb(fn, conn_prob));
  const p = parseRest(fn, rest, true);
  const dtype = isF64(pa) || isF64(pb) ? 'float64' : 'float32';
  const f32 = dtype === 'float32';
  const av = valueOf(pa), bv = valueOf(pb);
  const op: JitOp = {
    rng: p.rng, kind, event: false, m: p.m, n: p.n, corder: p.corder, transpose: false, seed: p.seed, clen,
    a: f32 ? Math.fround(av) : av, b: f32 ? Math.fround(bv) : bv, dtype, mode: p.mode,
  };
  if (p.m * p.n > 2 ** 31) throw new Error(`${fn}: shape=[${p.m}, ${p.n}] has ${p.m * p.n} entries, too many to materialise (use the mv_prob_* products)`);
  return JitconnDense.apply(pa, pb, { op, transpose: p.transpose, params: [pa, pb] } satisfies DenseCall);
}

type MatrixRest = [seed?: number | Tensor | null | JitconnMatrixOptions, options?: JitconnMatrixOptions];

/** The dense M (shape (m, n); its transpose with transpose=true) that mv_prob_homo multiplies by for the same arguments. */
export function get_homo_weight_matrix(weight: Param, conn_prob: number, ...rest: MatrixRest): Tensor {
  return dense('bm.jitconn.get_homo_weight_matrix', 'homo', weight, null, conn_prob, rest, ['weight']);
}

export function get_uniform_weight_matrix(w_low: Param, w_high: Param, conn_prob: number, ...rest: MatrixRest): Tensor {
  return dense('bm.jitconn.get_uniform_weight_matrix', 'uniform', w_low, w_high, conn_prob, rest, ['w_low', 'w_high']);
}

export function get_normal_weight_matrix(w_mu: Param, w_sigma: Param, conn_prob: number, ...rest: MatrixRest): Tensor {
  return dense('bm.jitconn.get_normal_weight_matrix', 'normal', w_mu, w_sigma, conn_prob, rest, ['w_mu', 'w_sigma']);
}

