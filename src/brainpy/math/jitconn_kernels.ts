/**
 * Kernels of `bm.jitconn` over typed arrays: matrix-vector / matrix-matrix products with a just-in-time random matrix
 * (never materialised: memory is the output plus one line buffer) and the dense materialisation.
 *
 * Orientation (brainpy-semantics.md §1.2): the logical matrix M has shape (m, n). With `corder` (BrainPy's
 * `outdim_parallel`) it is generated row by row (line i = row i, walking the n columns), otherwise column by column
 * (line j = column j, walking the m rows). `transpose=false` computes M x (x of length n), `transpose=true` Mᵀ x (x of
 * length m) — for the same M. When the lines are the outputs the kernel gathers (one line per output element); when
 * they are the inputs it scatters (one line per input element, so an input that is zero / silent skips its whole line,
 * except in era B whose single stream must still be consumed).
 *
 * Batched inputs use the canonical layout (lenIn, K) → (lenOut, K): each position of a line touches K contiguous values.
 *
 * Float rounding follows brainevent's numba kernels (float32 outputs): the accumulator of a gathered output is float64
 * or float32 as the kernel declares it, scattered sums round to float32 at every add (the output array is float32).
 * With float64 data everything stays float64.
 */
import { SnnArena, csrCountWasm, csrmvWasm, scratch, type HintSlice, type TouchList } from '../../torch/utils/kernels';
import { lineCacheFor, makeWalker, type LineCache, type WalkSpec, type JitconnRng, type LineWalker, type WeightKind } from './jitconn_walk';

export type FloatArray = Float32Array | Float64Array;

export interface JitOp {
  rng: JitconnRng;
  kind: WeightKind;
  /** event (binary) kernel: only active inputs contribute, with the weight alone (not weight × value). */
  event: boolean;
  m: number;
  n: number;
  /** outdim_parallel: true = row-walk, false = column-walk. */
  corder: boolean;
  transpose: boolean;
  seed: number;
  clen: number;
  /** homo: a = weight; uniform: (a, b) = (w_low, w_high); normal: (a, b) = (w_mu, w_sigma). In the kernel precision. */
  a: number;
  b: number;
  dtype: 'float32' | 'float64';
  /** Era D lane count: 'mv' (32) for vectors, 'mm' (4) for matrices. */
  mode: 'mv' | 'mm';
  /** Derived once per op object (a layer reuses its op every step): geometry, walk spec, walker. */
  _geom?: Geometry;
  _spec?: WalkSpec;
  _walker?: LineWalker;
  /** The output buffer of the last eventHomoListInto and the SnnArena owning it (or null). */
  _outBuf?: ArrayBufferLike;
  _outAr?: SnnArena | null;
}

export interface Geometry {
  gather: boolean;
  nLines: number;
  lineLen: number;
  lenIn: number;
  lenOut: number;
  /** [lenOut]: the shape of a 1-D product (shared by the products' tensors: shapes are never written in place). */
  shape1: number[];
}

/** A copy of op with some fields changed (without op's derived memo fields, which would be stale). */
export function derivedOp(op: JitOp, changes: Partial<JitOp>): JitOp {
  const { _geom, _spec, _walker, _outBuf, _outAr, ...plain } = op;
  return { ...plain, ...changes };
}

export function geometry(op: JitOp): Geometry {
  if (op._geom !== undefined) return op._geom;
  return op._geom = {
    gather: op.corder !== op.transpose,
    nLines: op.corder ? op.m : op.n,
    lineLen: op.corder ? op.n : op.m,
    lenIn: op.transpose ? op.m : op.n,
    lenOut: op.transpose ? op.n : op.m,
    shape1: [op.transpose ? op.n : op.m],
  };
}

function specOf(op: JitOp, lineLen: number): WalkSpec {
  if (op._spec !== undefined && op._spec.lineLen === lineLen) return op._spec;
  return op._spec = { rng: op.rng, kind: op.kind, seed: op.seed, clen: op.clen, lineLen, cols: op.n, mode: op.mode, a: op.a, b: op.b, f32: op.dtype === 'float32' };
}

// walkers hold no state across calls but era B's stream, which reset() restarts
function walkerOf(op: JitOp, lineLen: number): LineWalker {
  if (op._walker !== undefined && op._spec !== undefined && op._spec.lineLen === lineLen) return op._walker;
  op._spec = undefined;
  return op._walker = makeWalker(specOf(op, lineLen));
}

function alloc(dtype: 'float32' | 'float64', n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

// per-call scratch (walker line indices / weights), reused across calls: the kernels are synchronous and only read
// entries they have just filled, so a longer reused array gives the same results as a fresh one
let _idx = new Int32Array(1);
let _w = new Float64Array(1);
function scratchIdx(n: number): Int32Array { if (_idx.length < n) _idx = new Int32Array(n); return _idx; }
function scratchW(n: number): Float64Array { if (_w.length < n) _w = new Float64Array(n); return _w; }

// first-touch stamps of the scatter event kernel (which outputs it wrote), reused across calls
let _stamp = new Int32Array(1);
let _gen = 0;
function stampsFor(n: number): Int32Array {
  if (_stamp.length < n) { _stamp = new Int32Array(n); _gen = 0; }
  if (++_gen === 0x7fffffff) { _stamp.fill(0); _gen = 1; }
  return _stamp;
}

/**
 * What the event kernels see of an input: active flags, (era B's homo gather quirk) the values themselves, and
 * optionally the positions that can be active in ascending order (the scatter form then visits only those).
 */
export interface EventInput {
  active: Uint8Array;
  list?: HintSlice | null;
  /** Era B, float input, homo weight, gather form: the kernel adds the value of an active input, not 1. */
  values: FloatArray | null;
}

/**
 * y = M x or Mᵀ x (op.transpose) for x in the canonical layout (lenIn, K); returns (lenOut, K), in `into` when given
 * (a float32 array of that size, all zeros). For event ops pass `ev` (x is then ignored).
 */
export function jitMatmul(op: JitOp, x: FloatArray | null, K: number, ev: EventInput | null, touched: TouchList | null = null,
  into: Float32Array | null = null): FloatArray {
  const g = geometry(op);
  // the caller's array (all zeros), or a step temporary: inside bm.for_loop its array is recycled when the step is
  // over (core/step_scope.ts)
  let out: FloatArray;
  if (into !== null && into.length === g.lenOut * K && op.dtype === 'float32') out = into;
  else out = op.dtype === 'float32' ? scratch(Float32Array, g.lenOut * K) : scratch(Float64Array, g.lenOut * K);
  if (g.lenOut === 0 || K === 0) return out;
  const walker = walkerOf(op, g.lineLen);
  walker.reset();
  const idx = scratchIdx(Math.max(1, g.lineLen));
  const w = scratchW(op.kind === 'homo' ? 1 : Math.max(1, g.lineLen));
  if (op.event) {
    if (!ev) throw new Error('jitMatmul: an event op needs its event input');
    if (K === 1) eventVec(op, g, walker, idx, w, ev, out, touched);
    else eventMat(op, g, walker, idx, w, ev, K, out);
  } else {
    if (!x) throw new Error('jitMatmul: a float op needs its input');
    if (K === 1) floatVec(op, g, walker, idx, w, x, out);
    else floatMat(op, g, walker, idx, w, x, K, out);
  }
  return out;
}

// ---- float matrix-vector ----------------------------------------------------------------------------------------------------

/** Never called: a cached line holds positions below its length (the walker draws them so). */
function badLine(k: number, v: number): never {
  throw new Error(`bm.jitconn: a cached line holds position ${v} at ${k}, outside the line (a bug)`);
}

function floatVec(op: JitOp, g: Geometry, walker: LineWalker, idx: Int32Array, w: Float64Array, x: FloatArray, out: FloatArray): void {
  const f32 = op.dtype === 'float32';
  const fr = Math.fround;
  if (g.gather) {
    if (op.kind === 'homo') {
      // eras C/D sum the inputs in float64 then multiply; era B sums in float32 (the vector dtype)
      const weight = op.a;
      const acc32 = f32 && op.rng === 'mt19937-b';
      // lines met again are read back from the cache: the same positions in the same order, so the same sums (era B
      // walks one stream in order and is never cached, so its float32 accumulation does not arise here)
      const cache = walker.sequential ? null : lineCacheFor(specOf(op, g.lineLen), g.nLines);
      if (cache !== null) {
        // every line cached and float32 data: the same sums as one WebAssembly CSR gather (an f32.add chain in JS pays
        // a float64 round trip per load)
        const csr = f32 && x instanceof Float32Array && out instanceof Float32Array ? cache.csr(g.lineLen) : null;
        if (csr !== null && csrmvWasm(csr, null, null, weight, false, x as Float32Array, out as Float32Array, badLine)) return;
        for (let o = 0; o < g.nLines; o++) {
          const r = cachedLine(o, walker, cache, idx, w), ids = r.ids, end = r.at + r.cnt;
          let acc = 0;
          for (let t = r.at; t < end; t++) acc += x[ids[t]];
          out[o] = acc * weight;
        }
        return;
      }
      if (walker.sumLine) {
        for (let o = 0; o < g.nLines; o++) out[o] = walker.sumLine(o, x, acc32) * weight;
        return;
      }
      for (let o = 0; o < g.nLines; o++) {
        const cnt = walker.fill(o, idx, w);
        let acc = 0;
        if (acc32) for (let t = 0; t < cnt; t++) acc = fr(acc + x[idx[t]]);
        else for (let t = 0; t < cnt; t++) acc += x[idx[t]];
        out[o] = acc * weight;
      }
    } else {
      // eras B/C: float32 accumulator (vector dtype), float64 products; era D: float32 products, float64 (uniform)
      // or float32 (normal) accumulator
      const light = op.rng === 'light-d';
      const acc32 = f32 && (!light || op.kind === 'normal');
      const prod32 = f32 && light;
      for (let o = 0; o < g.nLines; o++) {
        const cnt = walker.fill(o, idx, w);
        let acc = 0;
        if (prod32) {
          if (acc32) for (let t = 0; t < cnt; t++) acc = fr(acc + fr(x[idx[t]] * w[t]));
          else for (let t = 0; t < cnt; t++) acc += fr(x[idx[t]] * w[t]);
        } else if (acc32) for (let t = 0; t < cnt; t++) acc = fr(acc + x[idx[t]] * w[t]);
        else for (let t = 0; t < cnt; t++) acc += x[idx[t]] * w[t];
        out[o] = acc;
      }
    }
    return;
  }
  // scatter: one line per input element; the output array rounds every add to its dtype
  const seq = walker.sequential;
  if (op.kind === 'homo') {
    const weight = op.a;
    const cache = seq ? null : lineCacheFor(specOf(op, g.lineLen), g.nLines);
    for (let i = 0; i < g.nLines; i++) {
      const xi = x[i];
      if (xi === 0 && !seq) continue; // adds exact zeros (finite weight)
      const vw = f32 ? fr(xi * weight) : xi * weight;
      if (cache !== null) {
        const r = cachedLine(i, walker, cache, idx, w), ids = r.ids, end = r.at + r.cnt;
        for (let t = r.at; t < end; t++) out[ids[t]] += vw;
        continue;
      }
      const cnt = walker.fill(i, idx, w);
      for (let t = 0; t < cnt; t++) out[idx[t]] += vw;
    }
  } else {
    const prod32 = f32 && op.rng === 'light-d';
    for (let i = 0; i < g.nLines; i++) {
      const xi = x[i];
      if (xi === 0 && !seq) continue;
      const cnt = walker.fill(i, idx, w);
      if (prod32) for (let t = 0; t < cnt; t++) out[idx[t]] += fr(xi * w[t]);
      else for (let t = 0; t < cnt; t++) out[idx[t]] += xi * w[t];
    }
  }
}

// ---- event matrix-vector ----------------------------------------------------------------------------------------------------

/**
 * Adds line i of the scatter form into out (its weight, or the homo weight, at each position), from the cache or
 * generated (and cached); with stamps, lists first-touched outputs in touched. Returns the new touched count.
 */
function scatterLine(i: number, walker: LineWalker, cache: LineCache | null, idx: Int32Array, w: Float64Array, out: FloatArray,
  homo: boolean, weight: number, stamp: Int32Array | null, gen: number, touched: Int32Array | null, nt: number): number {
  let ids = idx, ws = w, o = 0, cnt: number;
  const at = cache !== null ? cache.start[i] : -1;
  if (at >= 0) { ids = cache!.idx; ws = cache!.w ?? w; o = at; cnt = cache!.len[i]; } else {
    cnt = walker.fill(i, idx, w);
    if (cache !== null) cache.put(i, idx, w, cnt);
  }
  if (homo) {
    // one nonzero weight: an output is first touched exactly when it is still 0 (sums only move away from 0)
    const list = touched !== null && weight !== 0;
    for (let t = 0; t < cnt; t++) {
      const j = ids[o + t];
      if (list && out[j] === 0) touched![nt++] = j;
      out[j] += weight;
    }
    return nt;
  }
  for (let t = 0; t < cnt; t++) {
    const j = ids[o + t];
    if (stamp !== null && stamp[j] !== gen) { stamp[j] = gen; touched![nt++] = j; }
    out[j] += ws[o + t];
  }
  return nt;
}

/** Where a line's positions are: `ids[at … at + cnt)`. */
interface LineRef { ids: Int32Array; at: number; cnt: number }
const _line: LineRef = { ids: new Int32Array(0), at: 0, cnt: 0 };

/** Line i from the cache, generated and stored there on first use (read from `idx` when the cache budget is spent). */
function cachedLine(i: number, walker: LineWalker, cache: LineCache, idx: Int32Array, w: Float64Array): LineRef {
  const r = _line, at = cache.start[i];
  if (at >= 0) { r.ids = cache.idx; r.at = at; r.cnt = cache.len[i]; return r; }
  const cnt = walker.fill(i, idx, w);
  if (cache.put(i, idx, w, cnt)) { r.ids = cache.idx; r.at = cache.start[i]; } else { r.ids = idx; r.at = 0; }
  r.cnt = cnt;
  return r;
}

/**
 * The common event case — one homo weight, the active inputs listed (a neuron group's spikes), lines cached — as one
 * loop per line: out[j] += weight at each position, and (with a TouchList) j listed when out[j] was still 0 (the
 * first touch: sums of one nonzero weight never return to 0), written branch-free.
 */
function homoListScatter(list: HintSlice, act: Uint8Array, actOff: number, walker: LineWalker, cache: LineCache, idx: Int32Array, w: Float64Array,
  out: FloatArray, weight: number, tl: TouchList | null): void {
  const L = list.idx, sh = list.shift;
  const touched = tl !== null && weight !== 0 ? tl.idx : null;
  let nt = 0;
  for (let p = list.from; p < list.to; p++) {
    const i = L[p] - sh;
    if (!act[actOff + i]) continue;
    const r = cachedLine(i, walker, cache, idx, w), ids = r.ids, at = r.at, end = at + r.cnt;
    if (touched !== null) {
      for (let t = at; t < end; t++) { const j = ids[t], v = out[j]; touched[nt] = j; nt += v === 0 ? 1 : 0; out[j] = v + weight; }
    } else for (let t = at; t < end; t++) out[ids[t]] += weight;
  }
  if (tl !== null) tl.count = nt;
}

/**
 * The event product of a homo-weight scatter op (eras C/D, float32) for spikes `act[actOff …]` whose possibly active
 * positions are `list` (ascending), added into `out` (all zeros on entry; lenOut long): the same sums as jitMatmul, with
 * none of its per-call set-up (false, nothing written, when no line cache can be had). What a JIT layer of an
 * align-post projection calls every step.
 */
export function eventHomoListInto(op: JitOp, list: HintSlice, act: Uint8Array, actOff: number, out: Float32Array): boolean {
  const g = geometry(op);
  const cache = lineCacheFor(specOf(op, g.lineLen), g.nLines);
  if (cache === null) return false; // the cache budget is spent: the general kernel regenerates lines
  const walker = walkerOf(op, g.lineLen);
  walker.reset();
  const idx = scratchIdx(Math.max(1, g.lineLen)), w = scratchW(1);
  // out in an SnnArena with a staging array (a neuron group's synapse slot): the adds run as one WebAssembly pass
  // (the arena of the op's last output buffer is kept on the op: a projection writes into the same arena every step)
  if (op._outBuf !== out.buffer) { op._outBuf = out.buffer; op._outAr = SnnArena.owning(out.buffer); }
  const ar = op._outAr!, stage = ar !== null ? ar.stage() : null;
  if (stage !== null && stage.length >= out.length) homoListStaged(list, act, actOff, walker, cache, idx, w, out, op.a, ar!, stage);
  else homoListScatter(list, act, actOff, walker, cache, idx, w, out, op.a, null);
  return true;
}

/**
 * homoListScatter's adds, with the positions of the active lines copied into `stage` and added by the arena's
 * scatterAdd kernel (a stage full of positions at a time): the same adds in the same order.
 */
function homoListStaged(list: HintSlice, act: Uint8Array, actOff: number, walker: LineWalker, cache: LineCache, idx: Int32Array, w: Float64Array,
  out: Float32Array, weight: number, ar: SnnArena, stage: Int32Array): void {
  const L = list.idx, sh = list.shift, cap = stage.length;
  let n = 0;
  for (let p = list.from; p < list.to; p++) {
    const i = L[p] - sh;
    if (!act[actOff + i]) continue;
    const r = cachedLine(i, walker, cache, idx, w), cnt = r.cnt;
    if (n + cnt > cap) { ar.scatterAdd(stage, n, out, weight); n = 0; } // a line holds at most out.length <= cap positions
    stage.set(r.ids === cache.idx ? cache.view(i) : r.ids.subarray(r.at, r.at + cnt), n);
    n += cnt;
  }
  if (n > 0) ar.scatterAdd(stage, n, out, weight);
}

/**
 * Event matrix-vector product. Given a TouchList, the scatter form also lists there the outputs it wrote (distinct, in
 * first-touch order); the gather form writes every output and leaves the list untouched.
 */
function eventVec(op: JitOp, g: Geometry, walker: LineWalker, idx: Int32Array, w: Float64Array, ev: EventInput, out: FloatArray, tl: TouchList | null): void {
  const act = ev.active;
  const f32 = op.dtype === 'float32';
  const fr = Math.fround;
  if (g.gather) {
    if (op.kind === 'homo') {
      const weight = op.a;
      const vals = ev.values;
      // era B (values, sequential) aside, the rows are read back from the line cache: the same counts
      const cache = vals || walker.sequential ? null : lineCacheFor(specOf(op, g.lineLen), g.nLines);
      if (cache !== null) {
        // every line cached: the same counts as one WebAssembly CSR pass
        const csr = out instanceof Float32Array ? cache.csr(g.lineLen) : null;
        if (csr !== null && csrCountWasm(csr, weight, act, out as Float32Array, badLine)) return;
        for (let o = 0; o < g.nLines; o++) {
          const r = cachedLine(o, walker, cache, idx, w), ids = r.ids, end = r.at + r.cnt;
          let c = 0;
          for (let t = r.at; t < end; t++) c += act[ids[t]];
          out[o] = c * weight;
        }
        return;
      }
      if (walker.countLine && !vals) {
        for (let o = 0; o < g.nLines; o++) out[o] = walker.countLine(o, act) * weight;
        return;
      }
      for (let o = 0; o < g.nLines; o++) {
        const cnt = walker.fill(o, idx, w);
        let acc = 0;
        if (vals) { // era B float input: the (float32) sum of the active values
          for (let t = 0; t < cnt; t++) { const j = idx[t]; if (act[j]) acc = f32 ? fr(acc + vals[j]) : acc + vals[j]; }
        } else for (let t = 0; t < cnt; t++) acc += act[idx[t]];
        out[o] = acc * weight;
      }
    } else {
      // the weight is drawn for every connection (stream in sync); only active inputs add it
      const acc32 = f32 && op.rng !== 'light-d';
      for (let o = 0; o < g.nLines; o++) {
        const cnt = walker.fill(o, idx, w);
        let acc = 0;
        if (acc32) { for (let t = 0; t < cnt; t++) if (act[idx[t]]) acc = fr(acc + w[t]); } else for (let t = 0; t < cnt; t++) if (act[idx[t]]) acc += w[t];
        out[o] = acc;
      }
    }
    return;
  }
  const seq = walker.sequential;
  const stamp = tl !== null && op.kind !== 'homo' ? stampsFor(g.lenOut) : null, gen = _gen;
  const touched = tl !== null ? tl.begin(g.lenOut + 1) : null; // + 1: homoListScatter's branch-free list writes one ahead
  let nt = 0;
  const homo = op.kind === 'homo', weight = op.a;
  const n = g.nLines;
  // lines met again are read back from the cache (same positions and weights as regenerating them)
  const cache = seq ? null : lineCacheFor(specOf(op, g.lineLen), n);
  // a sorted list of the possibly active inputs replaces the scan (same lines, same ascending order)
  const list = !seq && ev.list ? ev.list : null;
  if (list !== null && homo && cache !== null) {
    homoListScatter(list, act, 0, walker, cache, idx, w, out, weight, tl);
    return;
  }
  if (list !== null) {
    const L = list.idx, sh = list.shift;
    for (let p = list.from; p < list.to; p++) {
      const i = L[p] - sh;
      if (!act[i]) continue;
      nt = scatterLine(i, walker, cache, idx, w, out, homo, weight, stamp, gen, touched, nt);
    }
    if (tl !== null) tl.count = nt;
    return;
  }
  // most inputs are silent: when the flags are 4-byte aligned, whole zero words are skipped
  const nw = !seq && act.byteOffset % 4 === 0 ? n >>> 2 : 0;
  const words = nw > 0 ? new Uint32Array(act.buffer, act.byteOffset, nw) : null;
  for (let q = 0; q <= nw; q++) {
    let i0: number, i1: number;
    if (q < nw) {
      if (words![q] === 0) continue;
      i0 = q << 2; i1 = i0 + 4;
    } else { i0 = nw << 2; i1 = n; }
    for (let i = i0; i < i1; i++) {
      if (!act[i]) {
        if (seq) walker.fill(i, idx, w); // era B: the shared stream must advance past this line
        continue;
      }
      nt = scatterLine(i, walker, cache, idx, w, out, homo, weight, stamp, gen, touched, nt);
    }
  }
  if (tl !== null) tl.count = nt;
}

// ---- batched (matrix-matrix) ------------------------------------------------------------------------------------------------

function floatMat(op: JitOp, g: Geometry, walker: LineWalker, idx: Int32Array, w: Float64Array, x: FloatArray, K: number, out: FloatArray): void {
  const homo = op.kind === 'homo';
  const f32 = op.dtype === 'float32';
  const prod32 = f32 && op.rng === 'light-d' && !homo;
  const fr = Math.fround;
  if (g.gather) {
    const acc = alloc(op.dtype, K); // brainevent's matmat kernels accumulate in the input dtype
    for (let o = 0; o < g.nLines; o++) {
      const cnt = walker.fill(o, idx, w);
      acc.fill(0);
      for (let t = 0; t < cnt; t++) {
        const base = idx[t] * K;
        if (homo) for (let c = 0; c < K; c++) acc[c] += x[base + c];
        else {
          const wt = w[t];
          if (prod32) for (let c = 0; c < K; c++) acc[c] += fr(x[base + c] * wt);
          else for (let c = 0; c < K; c++) acc[c] += x[base + c] * wt;
        }
      }
      const ob = o * K;
      if (homo) for (let c = 0; c < K; c++) out[ob + c] = acc[c] * op.a;
      else for (let c = 0; c < K; c++) out[ob + c] = acc[c];
    }
    return;
  }
  const seq = walker.sequential;
  const row = alloc(op.dtype, K);
  for (let i = 0; i < g.nLines; i++) {
    const ib = i * K;
    let any = false;
    for (let c = 0; c < K; c++) if (x[ib + c] !== 0) { any = true; break; }
    if (!any && !seq) continue;
    const cnt = walker.fill(i, idx, w);
    if (homo) {
      for (let c = 0; c < K; c++) row[c] = x[ib + c] * op.a; // float32 product when the row array is float32
      for (let t = 0; t < cnt; t++) {
        const ob = idx[t] * K;
        for (let c = 0; c < K; c++) out[ob + c] += row[c];
      }
    } else {
      for (let t = 0; t < cnt; t++) {
        const ob = idx[t] * K, wt = w[t];
        if (prod32) for (let c = 0; c < K; c++) out[ob + c] += fr(x[ib + c] * wt);
        else for (let c = 0; c < K; c++) out[ob + c] += x[ib + c] * wt;
      }
    }
  }
}

function eventMat(op: JitOp, g: Geometry, walker: LineWalker, idx: Int32Array, w: Float64Array, ev: EventInput, K: number, out: FloatArray): void {
  const act = ev.active;
  const homo = op.kind === 'homo';
  if (g.gather) {
    const acc = alloc(op.dtype, K);
    const vals = homo ? ev.values : null;
    for (let o = 0; o < g.nLines; o++) {
      const cnt = walker.fill(o, idx, w);
      acc.fill(0);
      for (let t = 0; t < cnt; t++) {
        const base = idx[t] * K;
        const add = homo ? 1 : w[t];
        if (vals) { for (let c = 0; c < K; c++) if (act[base + c]) acc[c] += vals[base + c]; } else for (let c = 0; c < K; c++) if (act[base + c]) acc[c] += add;
      }
      const ob = o * K;
      if (homo) for (let c = 0; c < K; c++) out[ob + c] = acc[c] * op.a;
      else for (let c = 0; c < K; c++) out[ob + c] = acc[c];
    }
    return;
  }
  const seq = walker.sequential;
  for (let i = 0; i < g.nLines; i++) {
    const ib = i * K;
    let any = false;
    for (let c = 0; c < K; c++) if (act[ib + c]) { any = true; break; }
    if (!any) {
      if (seq) walker.fill(i, idx, w);
      continue;
    }
    const cnt = walker.fill(i, idx, w);
    for (let t = 0; t < cnt; t++) {
      const ob = idx[t] * K, add = homo ? op.a : w[t];
      for (let c = 0; c < K; c++) if (act[ib + c]) out[ob + c] += add;
    }
  }
}

// ---- dense materialisation ---------------------------------------------------------------------------------------------------

/** The logical matrix M (m × n, row-major) in op.dtype; transpose/event are ignored. */
export function jitDense(op: JitOp): FloatArray {
  const { m, n } = op;
  const M = alloc(op.dtype, m * n);
  const lineLen = op.corder ? n : m;
  const nLines = op.corder ? m : n;
  const walker = walkerOf(op, lineLen);
  walker.reset();
  const idx = new Int32Array(Math.max(1, lineLen));
  const w = new Float64Array(op.kind === 'homo' ? 1 : Math.max(1, lineLen));
  const homo = op.kind === 'homo';
  for (let L = 0; L < nLines; L++) {
    const cnt = walker.fill(L, idx, w);
    if (op.corder) {
      const rb = L * n;
      for (let t = 0; t < cnt; t++) M[rb + idx[t]] = homo ? op.a : w[t];
    } else {
      for (let t = 0; t < cnt; t++) M[idx[t] * n + L] = homo ? op.a : w[t];
    }
  }
  return M;
}
