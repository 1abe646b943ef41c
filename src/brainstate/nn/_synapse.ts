/**
 * brainstate.nn._synapse (brainstate 0.1.10): Synapse, Expon, DualExpon, Alpha (AMPA, GABAa not ported yet).
 *
 *     syn = brainstate.nn.Expon(4000, tau=5.)           →  const syn = new nn.Expon(4000, { tau: 5 })
 *     g = syn(x)                                        →  g = syn.call(x)
 *
 * Expon(in_size, name=None, tau=8, g_initializer=0). One step (upstream's order):
 *   g = exp_euler(g ↦ (−g + Σ current inputs()) / tau, g)     (≈ g·e^(−dt/tau); J = −1/tau)
 *   g = g + Σ delta inputs ;  g = g + x (when x is given)
 * ⇒ g_n = g_{n−1}·e^(−dt/τ) + Δ_n: the input of step n is NOT decayed within step n (BrainPy 2.x's *Mg* projections
 * decay it). Returns g. Float32 state.
 */
import * as torch from '../../torch/index';
import { fail, pyArgs, type PyRest } from '../../torch/utils/checks';
import * as environ from '../environ';
import { HiddenState } from '../_state';
import { ParamDescriber } from './_describe';
import { Dynamics, f32, noGrad, values, valuesView } from './_dynamics';
import { exprel } from './_exp_euler';
import { initParam, type Initializer } from './_neuron';
import { exponDecayWasm } from '../../torch/utils/kernels';

type Tensor = torch.Tensor;
const math = Math; // a module binding: jest's vm context makes global lookups in hot loops slow

/** Synapse: the base of synapse dynamics. */
export class Synapse extends Dynamics {}

type ExponOpts = { name?: string | null; tau?: number | Tensor; g_initializer?: Initializer };
type ExponRest = PyRest<[name: string | null | undefined, tau: number | Tensor | undefined, g_initializer: Initializer | undefined], ExponOpts>;

export class Expon extends Synapse {
  /** Expon.desc(in_size, …): a ParamDescriber for AlignPostProj. */
  static desc(in_size: number | number[], ...rest: ExponRest): ParamDescriber<Expon> { return new ParamDescriber(Expon, in_size, ...rest); }

  tau: Float32Array;
  g_initializer: Initializer;
  g!: HiddenState;

  constructor(in_size: number | number[], ...rest: ExponRest) {
    const fn = 'brainstate.nn.Expon';
    const o = pyArgs(fn, ['name', 'tau', 'g_initializer'], rest) as ExponOpts;
    super(in_size, o.name ?? null);
    const tau = o.tau === undefined ? 8.0 : o.tau;
    noGrad(fn, 'tau', tau);
    this.tau = values(fn, 'tau', tau, this.varshape).slice();
    for (let k = 0; k < this.tau.length; k++) if (!(this.tau[k] > 0)) fail(fn, 'tau', 'positive', this.tau[k]);
    this.g_initializer = o.g_initializer === undefined ? 0 : o.g_initializer;
    if (typeof this.g_initializer !== 'number' && typeof this.g_initializer !== 'function' && !(this.g_initializer instanceof torch.Tensor)) {
      fail(fn, 'g_initializer', 'a number, a Tensor or a function (shape) => Tensor', this.g_initializer);
    }
  }

  override init_state(batch_size?: number | null): void {
    const shape = this._stateShape('Expon.init_state', batch_size);
    this.g = new HiddenState(f32(initParam('Expon.init_state', 'g_initializer', this.g_initializer, shape), shape));
  }

  override reset_state(batch_size?: number | null): void {
    const shape = this._stateShape('Expon.reset_state', batch_size);
    this.g.value = f32(initParam('Expon.reset_state', 'g_initializer', this.g_initializer, shape), shape);
  }

  override update(x?: number | Tensor | null): Tensor {
    const fn = 'Expon.update';
    if (!this.g) throw new Error(`${fn}: the state is not initialized; call init_state() first`);
    const shape = this.g.value.shape;
    const g0 = valuesView(fn, 'g', this.g.value, shape); // read only; the new g is a fresh array
    const len = g0.length;
    // no current inputs (the usual case): I stays 0, and −g + 0 below is what −g + I[k] computes with I[k] = 0
    let I: Float64Array | null = null;
    if (this._current_inputs !== null && this._current_inputs.size > 0) {
      I = new Float64Array(len);
      this._current_inputs_at(g0, shape, I, new Float64Array(len), false);
    }
    const dt = environ.get_dt();
    const n = this.tau.length;
    const out = new Float32Array(len);
    // one value delta input (what AlignPostProj adds each step) is added in the same pass: out[k] = fround(decayed)
    // + d[k], rounded again when stored — what _delta_inputs_into does — and then consumed as it would be
    const d = I === null ? this._oneDeltaValue(shape) : null;
    exponDecay(len, this.tau, n, dt, g0, I, d === null ? null : valuesView('Expon.sum_delta_inputs', `delta input "${d[0]}"`, d[1], shape), out);
    if (d !== null) this._delta_inputs!.delete(d[0]);
    this._delta_inputs_into(out, shape);
    if (x !== undefined && x !== null) {
      const xs = valuesView(fn, 'x', x, shape);
      for (let k = 0; k < len; k++) out[k] += xs[k];
    }
    this.g.value = f32(out, shape);
    return this.g.value;
  }
}

/**
 * Expon's decay for per-element taus (k mod n): out[k] = g0[k] + c·((−g0[k] + I[k]) / τ) with c = dt·exprel(−dt/τ),
 * computed again only where τ changes (the same value for the same τ); I null means no current inputs (I[k] = 0, and
 * −g + 0 is what −g + I[k] gives). With d, out[k] = fround(that) + d[k] (a value delta input added in the same pass).
 */
function exponDecay(len: number, taus: Float32Array, n: number, dt: number, g0: Float32Array, I: Float64Array | null, d: Float32Array | null, out: Float32Array): void {
  // one tau everywhere and no current inputs (the usual case): in WebAssembly when it can (the same bits)
  if (I === null && n === len && len > 0) {
    const t0 = taus[0];
    let one = true;
    for (let j = 1; j < n && one; j++) one = taus[j] === t0;
    if (one && exponDecayWasm(len, g0, d, t0, dt * exprel(-dt / t0), out)) return;
  }
  let tp = NaN, c = NaN;
  for (let b = 0; b < len; b += n) {
    const m = math.min(n, len - b);
    for (let j = 0, k = b; j < m; j++, k++) { // j = k mod n
      const tau = taus[j];
      if (tau !== tp) { tp = tau; c = dt * exprel(-dt / tau); }
      const g = g0[k];
      const o = g + c * ((-g + (I === null ? 0 : I[k])) / tau);
      out[k] = d === null ? o : math.fround(o) + d[k];
    }
  }
}

// ---------------------------------------------------------------- DualExpon, Alpha (brainstate 0.1.10, 877fb865)

/** The taus of a synapse: number or Tensor, broadcast to the varshape, float32, each > 0 (as Expon checks tau). */
function taus(fn: string, arg: string, v: number | Tensor, varshape: readonly number[]): Float32Array {
  noGrad(fn, arg, v);
  const t = values(fn, arg, v, varshape).slice();
  for (let k = 0; k < t.length; k++) if (!(t[k] > 0)) fail(fn, arg, 'positive', t[k]);
  return t;
}

function checkStateInit(fn: string, init: unknown): Initializer {
  if (typeof init !== 'number' && typeof init !== 'function' && !(init instanceof torch.Tensor)) {
    fail(fn, 'g_initializer', 'a number, a Tensor or a function (shape) => Tensor', init);
  }
  return init as Initializer;
}

type DualExponOpts = { name?: string | null; tau_decay?: number | Tensor; tau_rise?: number | Tensor; A?: number | Tensor | null; g_initializer?: Initializer };
type DualExponRest = PyRest<[name: string | null | undefined, tau_decay: number | Tensor | undefined, tau_rise: number | Tensor | undefined,
  A: number | Tensor | null | undefined, g_initializer: Initializer | undefined], DualExponOpts>;

/**
 * DualExpon(in_size, name=None, tau_decay=10, tau_rise=1, A=None, g_initializer=0): an AlignPost synapse.
 *
 *   g_rise  = exp_euler(−g_rise/τ_r) ;  g_decay = exp_euler(−g_decay/τ_d)      (≈ ·e^(−dt/τ))
 *   g_rise  = g_rise + Σ delta inputs ; g_decay = g_decay + Σ delta inputs       (two calls, in this order)
 *   g_rise += x ; g_decay += x  (when x is given) ;  returns a·(g_decay − g_rise)  (a new Tensor, not a state)
 *
 * a = (τ_d − τ_r)/(τ_r·τ_d)·A with, for A = None, A = τ_d/(τ_d − τ_r)·(τ_r/τ_d)^(τ_r/(τ_r − τ_d)) (A·(g_decay − g_rise)
 * peaks at 1, so the returned g peaks at 1/τ_r − 1/τ_d per unit of x: 0.9 with the defaults, not 1).
 * Upstream surprises kept as they are: τ_r = τ_d with A = None gives a = 0·∞ = NaN; and since sum_delta_inputs
 * consumes value inputs, a value delta input (what AlignPostProj adds) reaches g_rise only — g_decay only gets
 * callable delta inputs and x — so through AlignPostProj the conductance is −a·g_rise ≤ 0.
 */
export class DualExpon extends Synapse {
  /** DualExpon.desc(in_size, …): a ParamDescriber for AlignPostProj. */
  static desc(in_size: number | number[], ...rest: DualExponRest): ParamDescriber<DualExpon> { return new ParamDescriber(DualExpon, in_size, ...rest); }

  tau_decay: Float32Array;
  tau_rise: Float32Array;
  a: Float32Array;
  g_initializer: Initializer;
  g_rise!: HiddenState;
  g_decay!: HiddenState;

  constructor(in_size: number | number[], ...rest: DualExponRest) {
    const fn = 'brainstate.nn.DualExpon';
    const o = pyArgs(fn, ['name', 'tau_decay', 'tau_rise', 'A', 'g_initializer'], rest) as DualExponOpts;
    super(in_size, o.name ?? null);
    this.tau_decay = taus(fn, 'tau_decay', o.tau_decay === undefined ? 10.0 : o.tau_decay, this.varshape);
    this.tau_rise = taus(fn, 'tau_rise', o.tau_rise === undefined ? 1.0 : o.tau_rise, this.varshape);
    let A: Float32Array | null = null;
    if (o.A !== undefined && o.A !== null) {
      noGrad(fn, 'A', o.A);
      A = values(fn, 'A', o.A, this.varshape);
    }
    const n = this.tau_decay.length;
    this.a = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const td = this.tau_decay[k], tr = this.tau_rise[k];
      // upstream _format_dual_exp_A; τ_r = τ_d gives ∞·NaN there (JAX: 1^∞ = 1, ∞·0 = NaN) — NaN here as well
      const Ak = A !== null ? A[k] : (td / (td - tr)) * Math.pow(tr / td, tr / (tr - td));
      this.a[k] = ((td - tr) / tr / td) * Ak;
    }
    this.g_initializer = checkStateInit(fn, o.g_initializer === undefined ? 0 : o.g_initializer);
  }

  override init_state(batch_size?: number | null): void {
    const shape = this._stateShape('DualExpon.init_state', batch_size);
    this.g_rise = new HiddenState(f32(initParam('DualExpon.init_state', 'g_initializer', this.g_initializer, shape), shape));
    this.g_decay = new HiddenState(f32(initParam('DualExpon.init_state', 'g_initializer', this.g_initializer, shape), shape));
  }

  override reset_state(batch_size?: number | null): void {
    const shape = this._stateShape('DualExpon.reset_state', batch_size);
    this.g_rise.value = f32(initParam('DualExpon.reset_state', 'g_initializer', this.g_initializer, shape), shape);
    this.g_decay.value = f32(initParam('DualExpon.reset_state', 'g_initializer', this.g_initializer, shape), shape);
  }

  override update(x?: number | Tensor | null): Tensor {
    const fn = 'DualExpon.update';
    if (!this.g_rise) throw new Error(`${fn}: the state is not initialized; call init_state() first`);
    const shape = this.g_rise.value.shape;
    const r0 = valuesView(fn, 'g_rise', this.g_rise.value, shape);
    const d0 = valuesView(fn, 'g_decay', this.g_decay.value, shape);
    const len = r0.length;
    const dt = environ.get_dt();
    const n = this.a.length;
    const gr = new Float32Array(len), gd = new Float32Array(len);
    let trp = NaN, cr = NaN, tdp = NaN, cd = NaN; // dt·exprel(−dt/τ) recomputed only where τ changes
    for (let k = 0; k < len; k++) {
      const tr = this.tau_rise[k % n], td = this.tau_decay[k % n];
      if (tr !== trp) { trp = tr; cr = dt * exprel(-dt / tr); }
      if (td !== tdp) { tdp = td; cd = dt * exprel(-dt / td); }
      gr[k] = r0[k] + cr * (-r0[k] / tr);
      gd[k] = d0[k] + cd * (-d0[k] / td);
    }
    this._delta_inputs_into(gr, shape); // consumes the value delta inputs (upstream's sum_delta_inputs pops them) …
    this._delta_inputs_into(gd, shape); // … so this one only sees the callable ones
    if (x !== undefined && x !== null) {
      const xs = valuesView(fn, 'x', x, shape);
      for (let k = 0; k < len; k++) { gr[k] += xs[k]; gd[k] += xs[k]; }
    }
    this.g_rise.value = f32(gr, shape);
    this.g_decay.value = f32(gd, shape);
    const out = new Float32Array(len);
    for (let k = 0; k < len; k++) out[k] = this.a[k % n] * (gd[k] - gr[k]);
    return f32(out, shape);
  }
}

type AlphaOpts = { name?: string | null; tau?: number | Tensor; g_initializer?: Initializer };
type AlphaRest = PyRest<[name: string | null | undefined, tau: number | Tensor | undefined, g_initializer: Initializer | undefined], AlphaOpts>;

/**
 * Alpha(in_size, name=None, tau=8, g_initializer=0): NOT an AlignPost synapse in brainstate 0.1.10.
 *
 *   h' = exp_euler(−h/τ, h) ;  g = exp_euler(g ↦ −g/τ + h/τ, g, h)   (J = −1/τ for both; g's step uses the OLD h)
 *   h = h' + Σ delta inputs ;  h += x (when x is given) ;  returns g
 *
 * A unit impulse gives g(t) ≈ (t/τ)·e^(−t/τ): the peak is 1/e at t = τ (upstream's docstring says (t/τ)·e^(1−t/τ),
 * i.e. a peak of 1; the code gives 1/e). g_initializer initializes both g and h. AlignPostProj rejects Alpha.desc(...)
 * (it wants a describer of an AlignPost class) but takes an Alpha instance (no merging), whose delta input goes to h.
 */
export class Alpha extends Synapse {
  /** Alpha.desc(in_size, …): a ParamDescriber (AlignPostProj rejects it, as upstream). */
  static desc(in_size: number | number[], ...rest: AlphaRest): ParamDescriber<Alpha> { return new ParamDescriber(Alpha, in_size, ...rest); }

  tau: Float32Array;
  g_initializer: Initializer;
  g!: HiddenState;
  h!: HiddenState;

  constructor(in_size: number | number[], ...rest: AlphaRest) {
    const fn = 'brainstate.nn.Alpha';
    const o = pyArgs(fn, ['name', 'tau', 'g_initializer'], rest) as AlphaOpts;
    super(in_size, o.name ?? null);
    this.tau = taus(fn, 'tau', o.tau === undefined ? 8.0 : o.tau, this.varshape);
    this.g_initializer = checkStateInit(fn, o.g_initializer === undefined ? 0 : o.g_initializer);
  }

  override init_state(batch_size?: number | null): void {
    const shape = this._stateShape('Alpha.init_state', batch_size);
    this.g = new HiddenState(f32(initParam('Alpha.init_state', 'g_initializer', this.g_initializer, shape), shape));
    this.h = new HiddenState(f32(initParam('Alpha.init_state', 'g_initializer', this.g_initializer, shape), shape));
  }

  override reset_state(batch_size?: number | null): void {
    const shape = this._stateShape('Alpha.reset_state', batch_size);
    this.g.value = f32(initParam('Alpha.reset_state', 'g_initializer', this.g_initializer, shape), shape);
    this.h.value = f32(initParam('Alpha.reset_state', 'g_initializer', this.g_initializer, shape), shape);
  }

  override update(x?: number | Tensor | null): Tensor {
    const fn = 'Alpha.update';
    if (!this.g) throw new Error(`${fn}: the state is not initialized; call init_state() first`);
    const shape = this.g.value.shape;
    const g0 = valuesView(fn, 'g', this.g.value, shape);
    const h0 = valuesView(fn, 'h', this.h.value, shape);
    const len = g0.length;
    const dt = environ.get_dt();
    const n = this.tau.length;
    const g = new Float32Array(len), h = new Float32Array(len);
    let tp = NaN, c = NaN; // dt·exprel(−dt/τ) recomputed only where τ changes
    for (let k = 0; k < len; k++) {
      const tau = this.tau[k % n];
      if (tau !== tp) { tp = tau; c = dt * exprel(-dt / tau); }
      h[k] = h0[k] + c * (-h0[k] / tau);
      g[k] = g0[k] + c * (-g0[k] / tau + h0[k] / tau);
    }
    this.g.value = f32(g, shape);
    this._delta_inputs_into(h, shape);
    if (x !== undefined && x !== null) {
      const xs = valuesView(fn, 'x', x, shape);
      for (let k = 0; k < len; k++) h[k] += xs[k];
    }
    this.h.value = f32(h, shape);
    return this.g.value;
  }
}

// ---------------------------------------------------------------- AlignPost (brainstate.mixin.AlignPost)

const alignPostClasses = new WeakSet<object>([Expon, DualExpon]);

/**
 * @internal brainstate's `issubclass(cls, AlignPost)`: true for Expon, DualExpon, their subclasses and classes given
 * to `_register_align_post` (a user synapse that adds AlignPost to its bases upstream). AlignPostProj merges only
 * descriptors of such classes.
 */
export function _is_align_post(cls: unknown): boolean {
  for (let c = cls; typeof c === 'function'; c = Object.getPrototypeOf(c)) if (alignPostClasses.has(c)) return true;
  return false;
}

/** @internal Marks a synapse class as AlignPost (Python: `class MySyn(Synapse, AlignPost)`). */
export function _register_align_post(cls: new (...args: any[]) => Dynamics): void {
  if (typeof cls !== 'function') fail('brainstate.nn._register_align_post', 'cls', 'a class', cls);
  alignPostClasses.add(cls);
}
