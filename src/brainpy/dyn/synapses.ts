/**
 * brainpy.dyn.synapses (BrainPy 2.x, brainpy/_src/dyn/synapses/abstract_models.py): Expon, Alpha, DualExpon.
 *
 *     syn = bp.dyn.Expon(4000, tau=5.)               const syn = new bp.dyn.Expon(4000, { tau: 5 });
 *     bp.dyn.Expon.desc(4000, tau=5.)                bp.dyn.Expon.desc(4000, { tau: 5 })   // for *Mg* projections
 *
 * update(x?): `g = g + dt·exprel(−dt/tau)·(−g/tau)` (exponential Euler, float32, ≈ g·e^(−dt/tau)); then, when x is
 * given, `g += x`. Returns the `g` Variable. `add_current(x)` / `align_post_input_add(x)` add x to g (what
 * HalfProjAlignPostMg does before the post neuron's before-update hook decays g); an event product written into the
 * synapse's own array is added in the decay's pass, or before, when g is read first (`syn.g`, return_info).
 * Defaults as BrainPy: tau 8.0, g initialized to 0. NonBatchingMode only. g lives in an SnnArena and decays with the
 * core/kernels/snn.ts kernel (g + c·((−g)/tau), float32); an event layer's output is added only where it scattered.
 * Subclasses must not redeclare `g` (it is an accessor the constructor defines).
 *
 *     syn = bp.dyn.Alpha(100, tau_decay=5.)          const syn = new bp.dyn.Alpha(100, { tau_decay: 5 });
 *     syn = bp.dyn.DualExpon(100, tau_rise=1., tau_decay=5.)   new bp.dyn.DualExpon(100, { tau_rise: 1, tau_decay: 5 })
 *
 * Alpha and DualExpon (BrainPy 2.8.2, brainpy/dyn/synapses/abstract_models.py at a13eef5a) are align-PRE synapses:
 * `update(x)` (x required) integrates the JointEq (g, h) and then adds the input to h; they have no add_current, so
 * the align-post projections reject them, as upstream does. DualExponV2, NMDA, STD and STP are not ported yet.
 */
import { Tensor } from '../../torch/index';
import { fail } from '../../torch/utils/checks';
import { share } from '../context';
import { DynamicalSystem, _addInput, _fillInput, noBatch } from '../dynsys';
import { ZeroInit } from '../initialize/regular_inits';
import { get_dt } from '../math/environment';
import { exprel_f32 } from '../math/others';
import { Variable } from '../math/variables';
import type { Mode } from '../math/modes';
import { SnnArena, sparseHint } from '../../torch/utils/kernels';
import { adoptStorage, checkInit, checkKeys, checkMethod, f32, initVariable, num, requireNonBatching, toVarshape, type StateInit } from './_common';

const EXPON_KEYS = ['keep_size', 'sharding', 'method', 'name', 'mode', 'tau', 'g_initializer'];

export interface ExponOptions {
  keep_size?: boolean; sharding?: null; method?: 'exp_auto'; name?: string | null; mode?: Mode | null;
  tau?: number; g_initializer?: StateInit;
}

/** bp.dyn.Expon: single-exponential conductance. */
export class Expon extends DynamicalSystem {
  readonly size: number[];
  readonly varshape: number[];
  readonly num: number;
  readonly keep_size: boolean;
  readonly method: string;
  tau: number;
  readonly g_initializer: StateInit;
  /** The conductance: an own enumerable accessor (so the module walk still lists 'g') that first applies a pending add. */
  declare g: Variable;
  #g: Variable;
  private _S: Float32Array;
  /**
   * Where g lives for the kernels (src/core/kernels/snn.ts): its own arena, or a slot of its post group's; beside it
   * two arrays P an event layer writes its product into for add_current (one SIMD pass instead of a scattered add),
   * used in alternate steps: the add clears the other one, the previous step's, so that the next product needs no fill.
   */
  private _ar: SnnArena;
  private _gName = 'g';
  private _pNames: [string, string] = ['P', 'P2'];
  /** The arrays behind those names (looked up once per home): g padded and n-long, the P arrays padded and n-long. */
  private _a!: { g4: Float32Array; gn: Float32Array; P4: [Float32Array, Float32Array]; Pn: [Float32Array, Float32Array] };
  /** Which P this step's product went into, and which P are known to be all zeros. */
  private _pCur = 1;
  private readonly _pClean: [boolean, boolean] = [false, false];
  /**
   * The P (0 or 1) whose add into g waits for this step's decay, or −1: a *Mg* projection adds its product before the
   * post group's hook decays g, so the two run as one pass, g = (g + Δ) then the decay (the same float32 operations).
   * Whatever reads g in between (the g accessor, return_info, another add) applies the add first.
   */
  private _pend = -1;
  private _pendX: Tensor | null = null;

  constructor(size: number | number[], options?: ExponOptions) {
    const fn = 'bp.dyn.Expon';
    const o = checkKeys(fn, options, EXPON_KEYS);
    super({ name: o.name, mode: o.mode });
    requireNonBatching(fn, this.mode);
    this.varshape = toVarshape(fn, size);
    this.size = this.varshape.slice();
    this.num = this.varshape.reduce((a, b) => a * b, 1);
    if (o.sharding !== undefined && o.sharding !== null) fail(fn, 'sharding', 'null (one CPU device)', o.sharding);
    this.keep_size = o.keep_size ?? false;
    if (typeof this.keep_size !== 'boolean') fail(fn, 'keep_size', 'a boolean', this.keep_size);
    this.method = checkMethod(fn, o.method);
    this.tau = num(fn, 'tau', o.tau, 8.0, { positive: true });
    this.g_initializer = checkInit(fn, 'g_initializer', o.g_initializer, new ZeroInit());
    this.#g = initVariable(fn, 'g_initializer', this.g_initializer, this.varshape);
    Object.defineProperty(this, 'g', {
      enumerable: true, configurable: true,
      get: () => { this._flush(); return this.#g; },
      set: (v: Variable) => { this._flush(); this.#g = v; },
    });
    this._S = new Float32Array(this.num);
    this._ar = new SnnArena(this.num, { g: 'f32', P: 'f32', P2: 'f32' });
    this._lookup();
    adoptStorage(this.#g, this._a.gn);
  }

  override reset_state(batch_size?: number | null): void {
    noBatch(this, batch_size);
    super.reset_state();
    this._pend = -1; this._pendX = null;
    this.#g.value = initVariable('bp.dyn.Expon.reset_state', 'g_initializer', this.g_initializer, this.varshape);
    this._pStep = null;
    this._pClean[0] = this._pClean[1] = false;
  }

  /** Moves g (and the P arrays) into arrays `gName` (`pNames`) of `ar`: a neuron group's arena, whose step then reads g in place. */
  _rehome(ar: SnnArena, gName: string, pNames: [string, string]): void {
    this._flush();
    this._ar = ar;
    this._gName = gName;
    this._pNames = pNames;
    this._pClean[0] = this._pClean[1] = false;
    this._lookup();
    adoptStorage(this.#g, this._a.gn);
  }

  private _lookup(): void {
    const ar = this._ar, [p0, p1] = this._pNames;
    this._a = { g4: ar.f32(this._gName), gn: ar.f32n(this._gName), P4: [ar.f32(p0), ar.f32(p1)], Pn: [ar.f32n(p0), ar.f32n(p1)] };
  }

  /**
   * A P array (all zeros) where a projection has its event layer write the product it then adds with add_current (see
   * there); handed out once per step (bp.share's i), so that the product returned to one projection is not
   * overwritten by another's before the step is over. Null otherwise, or without a step index: the layer then writes
   * a fresh array.
   */
  _delta_buffer(): Float32Array | null {
    const i = share.load<unknown>('i', null);
    if (typeof i !== 'number' || i === this._pStep) return null;
    this._flush(); // a product still waiting for its add (no decay ran since): added before its P is reused
    this._pStep = i;
    const k = this._pCur ^= 1;
    const P = this._a.Pn[k];
    if (!this._pClean[k]) P.fill(0);
    this._pClean[k] = false;
    return P;
  }
  private _pStep: number | null = null;

  /** Whether g lives in `ar` (so `ar`'s kernels may decay it), after putting it back there if g.value was replaced. */
  _homeIs(ar: SnnArena): boolean {
    if (this._ar !== ar) return false;
    adoptStorage(this.#g, this._a.gn);
    return true;
  }

  /** The exponential-Euler factor dt·exprel(−dt/tau) of one decay step, float32. */
  _coef(dt: number): number {
    const tau = Math.fround(this.tau), k = this._c;
    if (k.dt !== dt || k.tau !== tau) { k.dt = dt; k.tau = tau; k.c = Math.fround(dt * exprel_f32(Math.fround(dt * Math.fround(-1 / tau)))); }
    return k.c;
  }
  private readonly _c = { dt: NaN, tau: NaN, c: 0 };

  /** g ← exponential-Euler decay of g; then g += x when x is given. Returns the g Variable. */
  override update(x?: Tensor | number | null): Variable {
    const dt = Math.fround(share.load<number>('dt', get_dt()));
    const ar = this._ar, A = this._a, k = this._takePend();
    adoptStorage(this.#g, A.gn); // again if g's storage was replaced from outside
    // with a pending add: the add, then the decay, in one pass
    if (k >= 0) ar.addDecay(A.g4, A.P4[k], this._stale(k), this._coef(dt), Math.fround(this.tau));
    else ar.expDecay(A.g4, this._coef(dt), Math.fround(this.tau)); // g + c·((−g)/tau) per element, float32
    if (x !== undefined && x !== null) { this.add_current(x); this._flush(); } // g·decay + x: added now
    return this.#g;
  }

  /** Applies a pending add (see _pend) on its own. */
  private _flush(): void {
    const k = this._takePend();
    if (k < 0) return;
    const A = this._a, Z = this._stale(k);
    adoptStorage(this.#g, A.gn);
    if (Z === null) this._ar.add(A.g4, A.P4[k]); else this._ar.addClear(A.g4, A.P4[k], Z);
  }

  /** The P whose add is pending (its product checked, and no longer pending), or −1. */
  private _takePend(): number {
    const k = this._pend;
    if (k >= 0) { checkPending(this._pendX!); this._pend = -1; this._pendX = null; }
    return k;
  }

  /** The other P than `k` when it still holds an earlier step's product (a dead temporary by now), for the caller's pass to clear; else null. */
  private _stale(k: number): Float32Array | null {
    const o = k ^ 1;
    if (this._pClean[o]) return null;
    this._pClean[o] = true;
    return this._a.P4[o];
  }

  /** g += x (x a number or a Tensor of the synapse's shape). */
  add_current(x: Tensor | number): void {
    this._flush(); // an earlier add of this step first
    // a product written into P (and not changed since): added by a SIMD pass g + P over all elements — the same sums as
    // adding only where it scattered, as P is +0 elsewhere (only a g of −0 would read +0 until the decay, which gives +0
    // anyway) — when g is next read or decayed (see _pend)
    const k = this._pCur, A = this._a;
    if (x instanceof Tensor && x.buffer === A.Pn[k] && x.offset === 0 && x._version.v === 0 && x.numel() === this.num) {
      this._pend = k; this._pendX = x;
      return;
    }
    const g = f32(this.#g);
    // an event-driven product's output (bm.jitconn / bm.event): add only where it can be nonzero (+0 elsewhere)
    const hint = x instanceof Tensor && x.dtype === 'float32' && x.numel() === g.length && x.is_contiguous() ? sparseHint(x) : null;
    if (hint !== null) {
      const b = (x as Tensor).buffer as Float32Array, o = (x as Tensor).offset, idx = hint.idx;
      for (let t = 0; t < hint.count; t++) { const j = idx[t]; g[j] = g[j] + b[o + j]; }
      return;
    }
    _addInput('Expon.add_current', 'x', x, g, this.varshape, this._S);
  }

  /** The align-post projections' entry point: the same as add_current. */
  align_post_input_add(x: Tensor | number): void { this.add_current(x); }

  /** The g Variable. */
  override return_info(): Tensor { return this.g; }
}

/** A product whose add waited must be as it was handed over (JAX arrays are immutable; a BrainPy port never writes one). */
function checkPending(x: Tensor): void {
  if (x._version.v !== 0) {
    throw new Error('bp.dyn.Expon: the event product added by add_current was modified in place before the synapse\'s next update; copy it first (x.clone())');
  }
}

// ---------------------------------------------------------------- Alpha, DualExpon (BrainPy 2.8.2, a13eef5a)

const math = Math;
const fround = math.fround;

const ALPHA_KEYS = ['keep_size', 'sharding', 'method', 'name', 'mode', 'tau_decay'];
const DUAL_EXPON_KEYS = ['keep_size', 'sharding', 'method', 'name', 'mode', 'tau_decay', 'tau_rise', 'A'];

export interface AlphaOptions {
  keep_size?: boolean; sharding?: null; method?: 'exp_auto'; name?: string | null; mode?: Mode | null;
  tau_decay?: number;
}

export interface DualExponOptions {
  keep_size?: boolean; sharding?: null; method?: 'exp_auto'; name?: string | null; mode?: Mode | null;
  tau_decay?: number; tau_rise?: number; A?: number | null;
}

/** The size / keep_size / sharding / method / mode checks shared by Alpha and DualExpon (as Expon does them). */
function synBase(self: DynamicalSystem, fn: string, size: number | number[], o: Record<string, any>): { varshape: number[]; num: number; keep_size: boolean; method: string } {
  requireNonBatching(fn, self.mode);
  const varshape = toVarshape(fn, size);
  if (o.sharding !== undefined && o.sharding !== null) fail(fn, 'sharding', 'null (one CPU device)', o.sharding);
  const keep_size = o.keep_size ?? false;
  if (typeof keep_size !== 'boolean') fail(fn, 'keep_size', 'a boolean', keep_size);
  return { varshape, num: varshape.reduce((a, b) => a * b, 1), keep_size, method: checkMethod(fn, o.method) };
}

/** The x of `update(x)`: upstream's Alpha/DualExpon.update(x) has no default, so a missing x raises there too. */
function requireX(fn: string, x: unknown): void {
  if (x === undefined || x === null) {
    throw new Error(`${fn}: x must be a number or a Tensor (the pre-synaptic input; BrainPy's update(x) has no default), got ${x === null ? 'null' : 'undefined'}`);
  }
}

/** One exponential-Euler step of x' = f (J = ∂f/∂x) in float32, as BrainPy's exp_auto: x + (dt·exprel(dt·J))·f. */
const expEulerCoef = (dt: number, J: number): number => fround(dt * exprel_f32(fround(dt * J)));

/** What Alpha and DualExpon share: the size checks and the state g, h (upstream's reset_state creates h before g). */
abstract class _GHSynapse extends DynamicalSystem {
  readonly size: number[];
  readonly varshape: number[];
  readonly num: number;
  readonly keep_size: boolean;
  readonly method: string;
  h: Variable;
  g: Variable;
  protected _S: Float32Array;

  constructor(fn: string, size: number | number[], o: Record<string, any>) {
    super({ name: o.name, mode: o.mode });
    const b = synBase(this, fn, size, o);
    this.varshape = b.varshape;
    this.size = b.varshape.slice();
    this.num = b.num;
    this.keep_size = b.keep_size;
    this.method = b.method;
    this.h = initVariable(fn, 'h', 0, this.varshape);
    this.g = initVariable(fn, 'g', 0, this.varshape);
    this._S = new Float32Array(this.num);
  }

  override reset_state(batch_size?: number | null): void {
    noBatch(this, batch_size);
    super.reset_state();
    f32(this.h).fill(0);
    f32(this.g).fill(0);
  }

  /** The g Variable. */
  override return_info(): Tensor { return this.g; }
}

/**
 * bp.dyn.Alpha(size, { tau_decay = 10 }): alpha-function conductance, an align-PRE synapse.
 *
 *   dh/dt = −h/τ ;  dg/dt = −g/τ + h/τ   (τ = tau_decay; one JointEq integrated with exp_auto)
 *   update(x): g, h ← exp-Euler step (both from the OLD g, h); then h ← h + x. Returns g.
 *
 * BrainPy's ExponentialEuler integrates a JointEq equation by equation, each from the input values
 * (`params_in`, built before any equation runs), so dg sees the OLD h: the input of step n first reaches g at step
 * n + 1. Each variable uses its own Jacobian diagonal: J_g = J_h = −1/τ.
 * A unit impulse gives g(t) ≈ (t/τ)·e^(−t/τ) (peak 1/e at t = τ). Alpha is not an AlignPost synapse in BrainPy 2.8.2
 * (no add_current / align_post_input_add), so the align-post projections (HalfProjAlignPostMg, …) reject it, as
 * upstream's `check.is_instance(syn, ParamDescriber[JointType[DynamicalSystem, AlignPost]])` does.
 * Defaults as BrainPy 2.8.2: tau_decay 10.0, g = h = 0. NonBatchingMode only.
 */
export class Alpha extends _GHSynapse {
  tau_decay: number;

  constructor(size: number | number[], options?: AlphaOptions) {
    const fn = 'bp.dyn.Alpha';
    const o = checkKeys(fn, options, ALPHA_KEYS);
    super(fn, size, o);
    this.tau_decay = num(fn, 'tau_decay', o.tau_decay, 10.0, { positive: true });
  }

  /** g, h ← one exp-Euler step (dg uses the old h); h += x. Returns the g Variable. */
  override update(x: Tensor | number): Variable {
    const fn = 'bp.dyn.Alpha.update';
    requireX(fn, x);
    const dt = fround(share.load<number>('dt', get_dt()));
    const tau = fround(this.tau_decay);
    const c = expEulerCoef(dt, fround(-1 / tau));
    const g = f32(this.g), h = f32(this.h);
    for (let k = 0; k < g.length; k++) {
      const g0 = g[k], h0 = h[k];
      g[k] = fround(g0 + fround(c * fround(fround(-g0 / tau) + fround(h0 / tau))));
      h[k] = fround(h0 + fround(c * fround(-h0 / tau)));
    }
    _addInput(fn, 'x', x, h, this.varshape, this._S);
    return this.g;
  }
}

/**
 * bp.dyn.DualExpon(size, { tau_decay = 10, tau_rise = 1, A = null }): dual-exponential conductance, an align-PRE
 * synapse (BrainPy 2.8.2's note: "can only be used in AlignPre projections"; DualExponV2 is the align-post one).
 *
 *   dh/dt = −h/τ_r ;  dg/dt = −g/τ_d + h   (one JointEq, exp_auto: dg sees the OLD h, J_g = −1/τ_d, J_h = −1/τ_r)
 *   update(x): g, h ← exp-Euler step; then h ← h + a·x. Returns g.
 *
 * a (BrainPy 2.8.2's `_dual_exp_a`): with A null, a = (τ_r/τ_d)^(τ_r/(τ_r − τ_d)) / τ_r, so a unit impulse peaks at
 * g = 1 at t* = τ_r·τ_d/(τ_d − τ_r)·ln(τ_d/τ_r); with τ_r = τ_d, the limit a = e/τ (the normalized alpha function);
 * with A given, a = (τ_d − τ_r)/(τ_r·τ_d)·A. `a` is stored in float32 (≈ 1 ulp from upstream's XLA pow).
 * Defaults as BrainPy 2.8.2: tau_decay 10.0, tau_rise 1.0, A null, g = h = 0. NonBatchingMode only. Rejected by the
 * align-post projections, as upstream (not an AlignPost synapse).
 */
export class DualExpon extends _GHSynapse {
  tau_rise: number;
  tau_decay: number;
  readonly a: number;

  constructor(size: number | number[], options?: DualExponOptions) {
    const fn = 'bp.dyn.DualExpon';
    const o = checkKeys(fn, options, DUAL_EXPON_KEYS);
    super(fn, size, o);
    this.tau_rise = num(fn, 'tau_rise', o.tau_rise, 1.0, { positive: true });
    this.tau_decay = num(fn, 'tau_decay', o.tau_decay, 10.0, { positive: true });
    const A = o.A === null ? undefined : o.A;
    if (A !== undefined && (typeof A !== 'number' || !Number.isFinite(A))) fail(fn, 'A', 'a finite number or null', A);
    this.a = dualExpA(this.tau_rise, this.tau_decay, A as number | undefined);
  }

  /** g, h ← one exp-Euler step (dg uses the old h); h += a·x. Returns the g Variable. */
  override update(x: Tensor | number): Variable {
    const fn = 'bp.dyn.DualExpon.update';
    requireX(fn, x);
    const dt = fround(share.load<number>('dt', get_dt()));
    const td = fround(this.tau_decay), tr = fround(this.tau_rise);
    const cg = expEulerCoef(dt, fround(-1 / td));
    const ch = expEulerCoef(dt, fround(-1 / tr));
    const g = f32(this.g), h = f32(this.h);
    for (let k = 0; k < g.length; k++) {
      const g0 = g[k], h0 = h[k];
      g[k] = fround(g0 + fround(cg * fround(fround(-g0 / td) + h0)));
      h[k] = fround(h0 + fround(ch * fround(-h0 / tr)));
    }
    const S = this._S, a = this.a;
    _fillInput(fn, 'x', x, S, this.varshape);
    for (let k = 0; k < h.length; k++) h[k] = fround(h[k] + fround(a * S[k]));
    return this.g;
  }
}

/** BrainPy 2.8.2's `_dual_exp_a` (float32 result). */
function dualExpA(tr: number, td: number, A: number | undefined): number {
  if (A !== undefined) return fround(((td - tr) / tr / td) * A);
  if (tr === td) return fround(fround(math.E) / fround(tr)); // the L'Hôpital limit e/τ that 2.8.2 special-cases
  const ratio = fround(tr / td);
  const exponent = fround(tr / fround(tr - td));
  return fround(fround(math.pow(ratio, exponent)) / fround(tr));
}
