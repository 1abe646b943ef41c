/**
 * brainpy.dyn.neurons (BrainPy 2.x, brainpy/_src/dyn/neurons/lif.py): Lif, LifLTC, LifRef, LifRefLTC in
 * NonBatchingMode, integrated with `method='exp_auto'` (exponential Euler):
 *
 *     x_next = x + dt·exprel(dt·J)·f(x),   f(V) = (−V + V_rest + R·I) / tau,   exprel in float32 (math/others.ts)
 *
 * - Lif / LifRef: the currents are evaluated once at the old potential, `I = x + Σ current inputs(V_old)` (COBA:
 *   g·(E − V_old)), and frozen: J = −1/tau.
 * - LifLTC / LifRefLTC: the current inputs are evaluated inside f(V), so J = (−1 + R·Σ b)/tau where an input is
 *   a + b·V (COBA: b = −g): exact exponential integration with the total conductance. Inputs that are plain
 *   functions (not COBA/CUBA outputs) are evaluated at V_old and taken as independent of V in J.
 * - then `V += Σ delta inputs`; LifRef*: `refractory = (t − t_last_spike) <= tau_ref` (float32, inclusive;
 *   t_last_spike starts at −1e7) keeps V_old; `spike = V >= V_th`; spiking neurons are set to V_reset and
 *   t_last_spike = t. update returns the `spike` Variable (bool); `refractory` is kept when `ref_var: true`.
 *
 * Defaults as BrainPy: V_rest 0, V_reset −5, V_th 20, R 1, tau 10, tau_ref 0, V_initializer ZeroInit.
 * Parameters are numbers (per-neuron arrays raise). TrainingMode (surrogate spikes, soft/hard reset) and
 * BatchingMode are not implemented: they raise at construction. All state is float32; one step is one loop over
 * typed arrays.
 */
import { Tensor } from '../../torch/index';
import { fail } from '../../torch/utils/checks';
import { share } from '../context';
import { DynamicalSystem, _addInput, _fillInput, _f32, isLinearCurrent, type InputFun } from '../dynsys';
import { ZeroInit } from '../initialize/regular_inits';
import { get_dt } from '../math/environment';
import { exprel_f32 } from '../math/others';
import { Variable } from '../math/variables';
import { checkInit, checkKeys, checkMethod, f32, initVariable, num, requireNonBatching, toVarshape, u8, type StateInit } from './_common';

const LIF_KEYS = ['sharding', 'keep_size', 'mode', 'name', 'spk_fun', 'spk_dtype', 'spk_reset', 'detach_spk', 'method',
  'init_var', 'scaling', 'V_rest', 'V_reset', 'V_th', 'R', 'tau', 'V_initializer', 'noise'];
const REF_KEYS = [...LIF_KEYS, 'tau_ref', 'ref_var'];

export interface LifOptions {
  sharding?: null; keep_size?: boolean; mode?: import('../math/modes').Mode | null; name?: string | null;
  spk_fun?: unknown; spk_dtype?: 'bool' | 'float32' | null; spk_reset?: 'soft' | 'hard'; detach_spk?: boolean;
  method?: 'exp_auto'; init_var?: boolean; scaling?: null; noise?: null;
  V_rest?: number; V_reset?: number; V_th?: number; R?: number; tau?: number; V_initializer?: StateInit;
}
export interface LifRefOptions extends LifOptions { tau_ref?: number; ref_var?: boolean }

/** Shared implementation of the four LIF variants. */
abstract class _LifBase extends DynamicalSystem {
  readonly size: number[];
  readonly varshape: number[];
  readonly num: number;
  readonly keep_size: boolean;
  readonly method: string;
  readonly spk_fun: unknown;
  readonly spk_dtype: 'bool' | 'float32';
  readonly spk_reset: 'soft' | 'hard';
  readonly detach_spk: boolean;
  V_rest: number;
  V_reset: number;
  V_th: number;
  R: number;
  tau: number;
  tau_ref = 0;
  readonly ref_var: boolean = false;
  readonly V_initializer: StateInit;
  V!: Variable;
  spike!: Variable;
  t_last_spike?: Variable;
  refractory?: Variable;

  protected abstract readonly _ltc: boolean;
  protected abstract readonly _ref: boolean;
  private _A: Float32Array;
  private _B: Float32Array;
  private _S: Float32Array;

  constructor(size: number | number[], options: LifRefOptions | undefined, isRef: boolean) {
    const fn = `bp.dyn.${new.target.name}`;
    const o = checkKeys(fn, options, isRef ? REF_KEYS : LIF_KEYS);
    super({ name: o.name, mode: o.mode });
    requireNonBatching(fn, this.mode);
    this.varshape = toVarshape(fn, size);
    this.size = this.varshape.slice();
    this.num = this.varshape.reduce((a, b) => a * b, 1);
    if (o.sharding !== undefined && o.sharding !== null) fail(fn, 'sharding', 'null (one CPU device)', o.sharding);
    if (o.scaling !== undefined && o.scaling !== null) fail(fn, 'scaling', 'null (spikeport has no bm.Scaling)', o.scaling);
    if (o.noise !== undefined && o.noise !== null) fail(fn, 'noise', 'null (noisy LIF is not implemented)', o.noise);
    if (o.init_var !== undefined && o.init_var !== true) fail(fn, 'init_var', 'true', o.init_var);
    this.keep_size = o.keep_size ?? false;
    if (typeof this.keep_size !== 'boolean') fail(fn, 'keep_size', 'a boolean', this.keep_size);
    this.method = checkMethod(fn, o.method);
    this.spk_fun = o.spk_fun ?? null;
    const sd = o.spk_dtype ?? 'bool';
    if (sd !== 'bool' && sd !== 'float32') fail(fn, 'spk_dtype', "'bool', 'float32' or null", sd);
    this.spk_dtype = sd;
    const sr = o.spk_reset ?? 'soft';
    if (sr !== 'soft' && sr !== 'hard') fail(fn, 'spk_reset', "'soft' or 'hard'", sr);
    this.spk_reset = sr;
    this.detach_spk = o.detach_spk ?? false;
    if (typeof this.detach_spk !== 'boolean') fail(fn, 'detach_spk', 'a boolean', this.detach_spk);
    this.V_rest = num(fn, 'V_rest', o.V_rest, 0);
    this.V_reset = num(fn, 'V_reset', o.V_reset, -5);
    this.V_th = num(fn, 'V_th', o.V_th, 20);
    this.R = num(fn, 'R', o.R, 1);
    this.tau = num(fn, 'tau', o.tau, 10, { positive: true });
    if (isRef) {
      this.tau_ref = num(fn, 'tau_ref', o.tau_ref, 0, { nonneg: true });
      const rv = o.ref_var ?? false;
      if (typeof rv !== 'boolean') fail(fn, 'ref_var', 'a boolean', rv);
      this.ref_var = rv;
    }
    this.V_initializer = checkInit(fn, 'V_initializer', o.V_initializer, new ZeroInit());
    this._A = new Float32Array(this.num);
    this._B = new Float32Array(this.num);
    this._S = new Float32Array(this.num);
    this._init(isRef);
  }

  private _init(isRef: boolean): void {
    const fn = `bp.dyn.${this.constructor.name}`;
    this.V = initVariable(fn, 'V_initializer', this.V_initializer, this.varshape);
    this.spike = new Variable(Tensor.fromBuffer(this.spk_dtype === 'bool' ? new Uint8Array(this.num) : new Float32Array(this.num), this.varshape, this.spk_dtype));
    if (isRef) {
      this.t_last_spike = new Variable(Tensor.fromBuffer(new Float32Array(this.num).fill(-1e7), this.varshape, 'float32'));
      if (this.ref_var) this.refractory = new Variable(Tensor.fromBuffer(new Uint8Array(this.num), this.varshape, 'bool'));
    }
  }

  /** Re-initializes V (V_initializer), spike (false) and, for LifRef*, t_last_spike (−1e7) and refractory. */
  override reset_state(batch_size?: number | null): void {
    super.reset_state(batch_size);
    const fresh = (v: Variable, w: Variable): void => { v.value = w; };
    const old = { V: this.V, spike: this.spike, t: this.t_last_spike, r: this.refractory };
    this._init(this.t_last_spike !== undefined);
    // keep the same Variable objects (delays and projections hold references to them)
    fresh(old.V, this.V); this.V = old.V;
    fresh(old.spike, this.spike); this.spike = old.spike;
    if (old.t && this.t_last_spike) { fresh(old.t, this.t_last_spike); this.t_last_spike = old.t; }
    if (old.r && this.refractory) { fresh(old.r, this.refractory); this.refractory = old.r; }
  }

  /** The spike Variable (what a delay of this neuron group records). */
  override return_info(): Tensor { return this.spike; }

  /** One step; `x` is the external current (a number or a Tensor of the group's shape; default 0). */
  override update(x?: Tensor | number | null): Variable {
    const fn = `${this.constructor.name}.update`;
    const n = this.num;
    const t = share.load<number>('t');
    if (typeof t !== 'number') fail(fn, "bp.share's t", 'a number (run the model with step_run(i, …))', t);
    const dt = share.load<number>('dt', get_dt());
    const A = this._A, B = this._B, S = this._S;
    _fillInput(fn, 'x', x, A, this.varshape);
    B.fill(0);
    const V = f32(this.V);
    // current inputs at V_old: affine outputs accumulate a + b·V; other functions are called with V_old
    if (this.current_inputs.size) {
      let Vt: Tensor | null = null;
      for (const f of this.current_inputs.values()) {
        if (isLinearCurrent(f)) f._add_linear_current(A, B, n);
        else {
          Vt ??= _f32(V, this.varshape);
          const r = typeof f === 'function' ? f(Vt) : (f as Exclude<InputFun, Function>).call(Vt);
          _addInput(fn, 'a current input', r, A, this.varshape, S);
        }
      }
    }
    // delta inputs, added after the integration
    let hasDelta = false;
    if (this.delta_inputs.size) {
      const d = this.sum_delta_inputs();
      if (d !== 0) { _fillInput(fn, 'the delta inputs', d, S, this.varshape); hasDelta = true; }
    }
    const ltc = this._ltc, ref = this._ref;
    const tau = this.tau, R = this.R, Vrest = this.V_rest, Vth = this.V_th, Vreset = this.V_reset;
    const dt32 = Math.fround(dt);
    // frozen-current coefficient dt·exprel(−dt/tau), the float32 way (J = −1/tau by autodiff)
    const J0 = Math.fround(-1 / Math.fround(tau));
    const c0 = Math.fround(dt32 * exprel_f32(Math.fround(dt32 * J0)));
    const spk = this.spike;
    const spkBool = this.spk_dtype === 'bool';
    const sp: Uint8Array | Float32Array = spkBool ? u8(spk) : f32(spk);
    const tls = ref ? f32(this.t_last_spike!) : null;
    const rf = ref && this.refractory ? u8(this.refractory) : null;
    const tauRef = Math.fround(this.tau_ref);
    const t32 = Math.fround(t);
    for (let k = 0; k < n; k++) {
      const v = V[k];
      let c = c0;
      if (ltc && B[k] !== 0) {
        const J = Math.fround(Math.fround(-1 + Math.fround(R * B[k])) / tau);
        c = Math.fround(dt32 * exprel_f32(Math.fround(dt32 * J)));
      }
      const I = A[k] + B[k] * v;
      let vn = Math.fround(v + c * Math.fround((-v + Vrest + R * I) / tau));
      if (hasDelta) vn = Math.fround(vn + S[k]);
      let inRef = false;
      if (ref) {
        inRef = Math.fround(t32 - tls![k]) <= tauRef;
        if (inRef) vn = v;
      }
      const s = vn >= Vth;
      if (s) {
        vn = Vreset;
        if (ref) tls![k] = t32;
      }
      V[k] = vn;
      sp[k] = s ? 1 : 0;
      if (rf) rf[k] = inRef || s ? 1 : 0;
    }
    return spk;
  }
}

/** bp.dyn.LifLTC: leaky integrate-and-fire, current inputs evaluated inside the integrator. */
export class LifLTC extends _LifBase {
  protected readonly _ltc: boolean = true;
  protected readonly _ref: boolean = false;
  constructor(size: number | number[], options?: LifOptions) { super(size, options, false); }
}

/** bp.dyn.Lif: leaky integrate-and-fire, current inputs evaluated at the old potential. */
export class Lif extends _LifBase {
  protected readonly _ltc: boolean = false;
  protected readonly _ref: boolean = false;
  constructor(size: number | number[], options?: LifOptions) { super(size, options, false); }
}

/** bp.dyn.LifRefLTC: LifLTC with an absolute refractory period tau_ref. */
export class LifRefLTC extends _LifBase {
  protected readonly _ltc: boolean = true;
  protected readonly _ref: boolean = true;
  constructor(size: number | number[], options?: LifRefOptions) { super(size, options, true); }
}

/** bp.dyn.LifRef: Lif with an absolute refractory period tau_ref. */
export class LifRef extends _LifBase {
  protected readonly _ltc: boolean = false;
  protected readonly _ref: boolean = true;
  constructor(size: number | number[], options?: LifRefOptions) { super(size, options, true); }
}
