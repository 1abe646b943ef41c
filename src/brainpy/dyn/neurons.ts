/**
 * brainpy.dyn.neurons (BrainPy 2.x, brainpy/_src/dyn/neurons/lif.py): Lif, LifLTC, LifRef, LifRefLTC in
 * NonBatchingMode, integrated with `method='exp_auto'` (exponential Euler):
 *
 *     x_next = x + dt·exprel(dt·J)·f(x),   f(V) = (−V + V_rest + R·I) / tau,   exprel in float32 (math/others.ts)
 *
 * - Lif / LifRef: the currents are evaluated once at the old potential, `I = x + Σ current inputs(V_old)` (COBA:
 *   g·(E − V_old)), and frozen: J = −1/tau.
 * - LifLTC / LifRefLTC: the current inputs are evaluated inside f(V), so J = (−1 + R·Σ b)/tau where an input is
 *   a + b·V (COBA: b = −g, CUBA: b = 0): exact exponential integration with the total conductance. Inputs that are
 *   plain functions (not COBA/CUBA outputs) are evaluated at V_old and taken as independent of V in J.
 * - then `V += Σ delta inputs`; LifRef*: `refractory = (t − t_last_spike) <= tau_ref` (float32, inclusive;
 *   t_last_spike starts at −1e7) keeps V_old; `spike = V >= V_th`; spiking neurons are set to V_reset and
 *   t_last_spike = t. update returns the `spike` Variable (bool); `refractory` is kept when `ref_var: true`.
 *
 * Defaults as BrainPy: V_rest 0, V_reset −5, V_th 20, R 1, tau 10, tau_ref 0, V_initializer ZeroInit.
 * Parameters are numbers (per-neuron arrays raise). All state is float32. In NonBatchingMode, Lif / LifRef keep their
 * state in an SnnArena and a step is the kernels of core/kernels/snn.ts (WebAssembly SIMD, or their bit-identical JS
 * twin): I = x, then I + g·(E − V) / I + g per output in registration order (upstream's sum order), then the LIF
 * kernel, every operation in float32; the kernel also lists the spikes, published as the spike Variable's nonzero
 * hint. LifLTC / LifRefLTC add B = Σ slopes and take one exprel per neuron, with the kernels' float32 exp (Cephes'
 * expf, ≤ 2 ulp; JAX's XLA uses its own float32 exp, so neither is bit-exact with upstream). TrainingMode (surrogate spikes spk_fun, soft/hard spk_reset, detach_spk) and BatchingMode (a leading
 * batch axis, reset_state(batch_size)) run as differentiable Tensor ops in _lif_training.ts.
 */
import { Tensor } from '../../torch/index';
import { fail } from '../../torch/utils/checks';
import { share } from '../context';
import { DynamicalSystem, _addInput, _fillInput, _f32, type InputFun } from '../dynsys';
import { ZeroInit } from '../initialize/regular_inits';
import { get_dt } from '../math/environment';
import { exprel_f32 } from '../math/others';
import { Variable } from '../math/variables';
import { SnnArena, TouchList, setSparseHint } from '../../torch/utils/kernels';
import { adoptStorage, checkInit, checkKeys, checkMethod, f32, num, toVarshape, u8, type StateInit } from './_common';
import { isCondCurrent } from './outs';
import { Expon } from './synapses';
import { assignState, checkBatchSize, checkLifMode, checkSpkFun, initStateV, lifTensorUpdate, modeBatch, stateShape, type SpkFun } from './_lif_training';

const LIF_KEYS = ['sharding', 'keep_size', 'mode', 'name', 'spk_fun', 'spk_dtype', 'spk_reset', 'detach_spk', 'method',
  'init_var', 'scaling', 'V_rest', 'V_reset', 'V_th', 'R', 'tau', 'V_initializer', 'noise'];
const REF_KEYS = [...LIF_KEYS, 'tau_ref', 'ref_var'];

/**
 * Arena slots a group keeps for the synapses projecting onto it: each a conductance g (read in place by the step) and
 * the two arrays their event layer writes into in alternate steps (added to g in one SIMD pass).
 */
const SYN_SLOTS = 4;

/** I = x + G1·(E1 − V) [+ G2·(E2 − V)] (x null: I + …): one pass for one or two conductance outputs. */
function condPass(ar: SnnArena, I: Float32Array, V: Float32Array, x: number | null, G1: Float32Array, E1: number, G2: Float32Array | null, E2: number): void {
  if (G2 === null) { if (x !== null) ar.condSet(I, x, G1, V, E1); else ar.condAcc(I, G1, V, E1); } else if (x !== null) ar.cond2Set(I, x, G1, E1, G2, E2, V);
  else ar.cond2Acc(I, G1, E1, G2, E2, V);
}

export interface LifOptions {
  sharding?: null; keep_size?: boolean; mode?: import('../math/modes').Mode | null; name?: string | null;
  spk_fun?: SpkFun; spk_dtype?: 'bool' | 'float32' | null; spk_reset?: 'soft' | 'hard'; detach_spk?: boolean;
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
  readonly spk_fun: SpkFun;
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

  // getters, not fields: the base constructor reads them (subclass fields are set after it returns)
  protected get _ltc(): boolean { return false; }
  protected get _ref(): boolean { return false; }
  private _S: Float32Array;
  /** Lif / LifRef state for the step kernels (V, t_last_spike, spike bytes, current, delta, conductance scratch). */
  private _ar: SnnArena | null = null;
  /** The arena's arrays (looked up once): padded, and the n-long views the Variables adopt (Vn, SPn, Tn). */
  private _k!: { V: Float32Array; I: Float32Array; In: Float32Array; G: Float32Array; T: Float32Array; B: Float32Array; S: Float32Array; SP: Uint8Array; IDX: Int32Array; Vn: Float32Array; SPn: Uint8Array; Tn: Float32Array };
  /** dt·exprel(−dt/tau) of the last (dt, tau). */
  private _c0 = { dt: NaN, tau: NaN, c: 0 };
  /** The spike count of the last arena step and the spike Variable's version after it (see _updateArena). */
  private _spPrev = -1;
  private _spVer = -1;
  // update's name in errors, made once (a template string per step showed in profiles)
  private readonly _fnUpdate = `${this.constructor.name}.update`;
  /** The spiking indices of the last step, published as the spike Variable's nonzero hint (consumers skip silence). */
  private readonly _spikeList = new TouchList(0, true);

  constructor(size: number | number[], options: LifRefOptions | undefined, isRef: boolean) {
    const fn = `bp.dyn.${new.target.name}`;
    const o = checkKeys(fn, options, isRef ? REF_KEYS : LIF_KEYS);
    super({ name: o.name, mode: o.mode });
    checkLifMode(fn, this.mode);
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
    this.spk_fun = checkSpkFun(fn, o.spk_fun);
    const sd = o.spk_dtype ?? (this.mode.is_train_mode() ? 'float32' : 'bool'); // GradNeuDyn.spk_dtype
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
    this._S = new Float32Array(this.num);
    this._init(isRef, modeBatch(this.mode));
    if (this.mode.is_nonbatch_mode()) this._adopt();
  }

  /** Moves V, spike and t_last_spike into an SnnArena (padding V is NaN, which never spikes). */
  private _adopt(): void {
    const n = this.num;
    // X: staging for the event scatters into the synapse slots' P arrays (SnnArena.scatterAdd)
    const layout: Record<string, 'f32' | 'u8' | 'i32'> = { V: 'f32', T: 'f32', I: 'f32', B: 'f32', S: 'f32', G: 'f32', SP: 'u8', IDX: 'i32', X: 'i32' };
    for (let k = 0; k < SYN_SLOTS; k++) { layout[`Y${k}`] = 'f32'; layout[`P${k}`] = 'f32'; layout[`Q${k}`] = 'f32'; }
    const ar = new SnnArena(n, layout);
    ar.f32('V').fill(NaN, n);
    ar.f32('T').fill(-1e7);
    this._ar = ar;
    this._k = { V: ar.f32('V'), I: ar.f32('I'), In: ar.f32('I').subarray(0, n), G: ar.f32('G'), T: ar.f32('T'), B: ar.f32('B'), S: ar.f32('S'), SP: ar.u8('SP'), IDX: ar.i32('IDX'), Vn: ar.f32n('V'), SPn: ar.u8n('SP'), Tn: ar.f32n('T') };
    this._sync();
  }

  /** Puts V, spike and t_last_spike on the arena (again, when their storage was replaced from outside: `V.data = …`). */
  private _sync(): void {
    const k = this._k;
    adoptStorage(this.V, k.Vn);
    if (this.spk_dtype === 'bool') adoptStorage(this.spike, k.SPn);
    if (this.t_last_spike) adoptStorage(this.t_last_spike, k.Tn);
  }

  private _slots = 0;

  /**
   * Moves the conductance of a synapse projecting onto this group (a bp.dyn.Expon of the group's size) into one of the
   * group's arena slots, so that each step reads it in place instead of copying it. The align-post projections call
   * it; without a free slot nothing changes.
   */
  _adopt_synapse(syn: unknown): void {
    const ar = this._ar;
    if (ar === null || !(syn instanceof Expon) || syn.num !== this.num || syn._homeIs(ar) || this._slots >= SYN_SLOTS) return;
    syn._rehome(ar, `Y${this._slots}`, [`P${this._slots}`, `Q${this._slots}`]);
    this._slots++;
  }

  /**
   * One step on the arena: I = x + Σ current inputs(V_old) in registration order (COBA g·(E − V), CUBA g, other
   * functions evaluated at V_old), for *LTC* also B = Σ slopes (COBA −g; functions count as independent of V), then
   * the LIF kernel (src/core/kernels/snn.ts), all float32.
   */
  private _updateArena(fn: string, ar: SnnArena, x: Tensor | number | null | undefined, t: number, dt: number): Variable {
    const n = this.num;
    const { V, I, In, G, T, SP, B, IDX } = this._k;
    // SP still holds the last step's spikes (listed in IDX) unless the spike Variable was written or replaced since:
    // then the kernel clears only those bytes
    const spk = this.spike;
    const prev = this.spk_dtype !== 'bool' || (spk.buffer === this._k.SPn && spk.offset === 0 && spk._version.v === this._spVer) ? this._spPrev : -1;
    this._sync();
    const Sn = this._S;
    const ltc = this._ltc;
    // a number x is folded into the first conductance output's pass (x + g·(E − V)); else I is filled with x first
    let xs = typeof x === 'number' ? x : null;
    if (xs === null) _fillInput(fn, 'x', x, In, this.varshape);
    if (ltc) B.fill(0);
    if (this.current_inputs.size) {
      let Vt: Tensor | null = null;
      // a conductance output whose g lives in this arena waits for the next one, so that two (COBA E and I) run as
      // one pass over I and V: the same float32 operations in the same order
      let pG: Float32Array | null = null, pE = 0;
      for (const f of this.current_inputs.values()) {
        const cond = isCondCurrent(f);
        const g = cond ? f._cond_g(n) : 0, E = cond ? f._cond_E : null;
        // a conductance living in this arena (an adopted synapse's g) is read in place, others are copied in
        const Ga = cond && typeof g !== 'number' ? ar.padded(g) : null;
        if (Ga !== null && E !== null) {
          if (pG === null) { pG = Ga; pE = E; } else { condPass(ar, I, V, xs, pG, pE, Ga, E); xs = null; pG = null; }
          if (ltc) ar.sub(B, Ga);
          continue;
        }
        if (pG !== null) { condPass(ar, I, V, xs, pG, pE, null, 0); xs = null; pG = null; }
        if (xs !== null && !(cond && E !== null)) { In.fill(xs); xs = null; }
        if (cond) {
          let Gk = Ga;
          if (Gk === null) { Gk = G; if (typeof g === 'number') G.fill(g, 0, n); else G.set(g); }
          if (E === null) ar.add(I, Gk);
          else {
            condPass(ar, I, V, xs, Gk, E, null, 0); xs = null;
            if (ltc) ar.sub(B, Gk);
          }
        } else {
          Vt ??= _f32(V.subarray(0, n), this.varshape);
          const r = typeof f === 'function' ? f(Vt) : (f as Exclude<InputFun, Function>).call(Vt);
          _addInput(fn, 'a current input', r, In, this.varshape, Sn);
        }
      }
      if (pG !== null) { condPass(ar, I, V, xs, pG, pE, null, 0); xs = null; }
    }
    if (xs !== null) In.fill(xs);
    let S: Float32Array | null = null;
    if (this.delta_inputs.size) {
      const d = this.sum_delta_inputs();
      if (d !== 0) { S = this._k.S; _fillInput(fn, 'the delta inputs', d, S.subarray(0, n), this.varshape); }
    }
    const dt32 = Math.fround(dt), tau = Math.fround(this.tau);
    const t32 = Math.fround(t);
    const tauRef = this._ref ? Math.fround(this.tau_ref) : -Infinity;
    let cnt: number;
    if (ltc) cnt = ar.lifLtc(V, I, B, S, T, SP, IDX, t32, dt32, tau, this.V_rest, this.R, this.V_th, this.V_reset, tauRef, prev);
    else {
      // frozen-current coefficient dt·exprel(−dt/tau), the float32 way (J = −1/tau by autodiff)
      const k = this._c0;
      if (k.dt !== dt32 || k.tau !== tau) { k.dt = dt32; k.tau = tau; k.c = Math.fround(dt32 * exprel_f32(Math.fround(dt32 * Math.fround(-1 / tau)))); }
      const c0 = k.c;
      cnt = ar.lif(V, I, S, T, SP, IDX, t32, c0, tau, this.V_rest, this.R, this.V_th, this.V_reset, tauRef, prev);
    }
    this._spPrev = cnt; this._spVer = spk._version.v;
    this._spikeList.publish(IDX, cnt);
    if (this.refractory) {
      const rf = u8(this.refractory);
      for (let k = 0; k < n; k++) rf[k] = SP[k] !== 0 || Math.fround(t32 - T[k]) <= tauRef ? 1 : 0;
    }
    if (this.spk_dtype !== 'bool') { const sp = f32(this.spike); for (let k = 0; k < n; k++) sp[k] = SP[k]; }
    setSparseHint(this.spike, this._spikeList);
    return this.spike;
  }

  private _init(isRef: boolean, batch: number | null): void {
    const fn = `bp.dyn.${this.constructor.name}`;
    const shape = stateShape(this.varshape, batch), m = shape.reduce((a, b) => a * b, 1);
    this.V = initStateV(fn, this.V_initializer, this.varshape, batch);
    this.spike = new Variable(Tensor.fromBuffer(this.spk_dtype === 'bool' ? new Uint8Array(m) : new Float32Array(m), shape, this.spk_dtype));
    if (isRef) {
      this.t_last_spike = new Variable(Tensor.fromBuffer(new Float32Array(m).fill(-1e7), shape, 'float32'));
      if (this.ref_var) this.refractory = new Variable(Tensor.fromBuffer(new Uint8Array(m), shape, 'bool'));
    }
  }

  /**
   * Re-initializes V (V_initializer), spike (false) and, for LifRef*, t_last_spike (−1e7) and refractory; with
   * `batch_size` the state gets a leading batch axis of that size, without it none (BrainPy's variable_). Cuts the
   * autograd history of TrainingMode state.
   */
  override reset_state(batch_size?: number | null): void {
    const batch = checkBatchSize(`${this.constructor.name}.reset_state`, batch_size);
    super.reset_state(batch ?? undefined); // its hooks (merged synapses, delays) get the batch size too
    const fresh = assignState;
    const old = { V: this.V, spike: this.spike, t: this.t_last_spike, r: this.refractory };
    this._init(this.t_last_spike !== undefined, batch);
    // keep the same Variable objects (delays and projections hold references to them)
    fresh(old.V, this.V); this.V = old.V;
    fresh(old.spike, this.spike); this.spike = old.spike;
    if (old.t && this.t_last_spike) { fresh(old.t, this.t_last_spike); this.t_last_spike = old.t; }
    if (old.r && this.refractory) { fresh(old.r, this.refractory); this.refractory = old.r; }
  }

  /** The spike Variable (what a delay of this neuron group records). */
  override return_info(): Tensor { return this.spike; }

  /**
   * One step; `x` is the external current (a number or a Tensor of the state's shape; default 0). Returns the spike
   * Variable, or in TrainingMode the float32 surrogate spike tensor with its autograd history (_lif_training.ts).
   */
  override update(x?: Tensor | number | null): Tensor {
    if (!this.mode.is_nonbatch_mode() || this.V.ndim !== this.varshape.length) return lifTensorUpdate(this, x, this._ltc, this._ref);
    const fn = this._fnUpdate;
    const t = share.load<number>('t');
    if (typeof t !== 'number') fail(fn, "bp.share's t", 'a number (run the model with step_run(i, …))', t);
    const dt = share.load<number>('dt', get_dt());
    return this._updateArena(fn, this._ar!, x, t, dt);
  }
}

/** bp.dyn.LifLTC: leaky integrate-and-fire, current inputs evaluated inside the integrator. */
export class LifLTC extends _LifBase {
  protected override get _ltc(): boolean { return true; }
  protected override get _ref(): boolean { return false; }
  constructor(size: number | number[], options?: LifOptions) { super(size, options, false); }
}

/** bp.dyn.Lif: leaky integrate-and-fire, current inputs evaluated at the old potential. */
export class Lif extends _LifBase {
  protected override get _ltc(): boolean { return false; }
  protected override get _ref(): boolean { return false; }
  constructor(size: number | number[], options?: LifOptions) { super(size, options, false); }
}

/** bp.dyn.LifRefLTC: LifLTC with an absolute refractory period tau_ref. */
export class LifRefLTC extends _LifBase {
  protected override get _ltc(): boolean { return true; }
  protected override get _ref(): boolean { return true; }
  constructor(size: number | number[], options?: LifRefOptions) { super(size, options, true); }
}

/** bp.dyn.LifRef: Lif with an absolute refractory period tau_ref. */
export class LifRef extends _LifBase {
  protected override get _ltc(): boolean { return false; }
  protected override get _ref(): boolean { return true; }
  constructor(size: number | number[], options?: LifRefOptions) { super(size, options, true); }
}
