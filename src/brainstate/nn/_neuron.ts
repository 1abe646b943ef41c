/**
 * brainstate.nn._neuron (brainstate 0.1.10): Neuron, LIF, LIFRef.
 *
 *     neu = brainstate.nn.LIFRef(4000, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
 *                                V_initializer=brainstate.init.Normal(-55., 2.))          (Python, units dropped)
 *     const neu = new nn.LIFRef(4000, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5,
 *                                       V_initializer: torch.randn(4000).mul(2).add(-55) })  (TypeScript)
 *     neu.init_state();  spk = neu.call(20.)
 *
 * Units: spikeport is unitless; write ms, mV, Ω, mA as plain numbers (upstream's defaults R=1, tau=5, V_th=1,
 * V_reset=0, V_rest=0, tau_ref=5). Conductances are then in siemens (brainunit turns mS·mV into µA = 1e-3 mA), so
 * upstream's `0.6 * u.mS` is 6e-4 here (examples/brainstate/einet.ts derives it). V_initializer: a number, a Tensor (of the variable shape, or with the batch axis), or
 * a function (shape) => Tensor. Parameters: numbers or Tensors broadcasting to the variable shape.
 *
 * One LIF step (upstream's order exactly):
 *   spk_prev = spk_fun((V - V_th) / (V_th - V_reset))
 *   last_v   = V - (V_th - V_reset)·spk_prev        ('soft')   |   V - (V - V_reset)·spk_prev   ('hard')
 *   V_new    = exp_euler(v ↦ (−v + V_rest + R·(x + Σ current inputs(v))) / tau, last_v) + Σ delta inputs
 * so a spike emitted at step n is reset at the start of step n+1 (BrainPy 2.x resets within step n), and the current
 * inputs are evaluated inside the integrand (COBA's g·(E − v) adds −R·g/tau to the exponent).
 * LIFRef then holds: V = (t − last_spike_time < tau_ref) ? last_v : V_new (STRICT <; BrainPy 2.x uses <=), and
 * last_spike_time = (V ≥ V_th) ? t : last_spike_time, starting at −1e7; t = environ.get('t') (required).
 * The time test is done in float32 as JAX does (t rounded to float32; write t as Math.fround(i * Math.fround(dt)) to
 * reproduce JAX's float32 `i * dt` exactly). The output is spk_fun((V − V_th)/(V_th − V_reset)) of the new V.
 *
 * Speed: update() takes a one-pass loop (_onePass) or a fused step (_fusedStep) when _reset/_integrate/get_spike are
 * LIF's own — the same operations per element, in the same order, as the general path (test/brainstate/nn/
 * fused_step.test.ts checks them bit for bit). The one-pass loop runs in WebAssembly for up to two current inputs
 * (core/kernels/brainstate_steps.ts; expm1 stays JS's Math.expm1), with the same bits. States are read in place and
 * every new state is a fresh array.
 */
import * as torch from '../../torch/index';
import { fail, pyArgs, type PyRest } from '../../torch/utils/checks';
import * as environ from '../environ';
import * as surrogates from '../surrogate';
import { ReluGrad, Surrogate } from '../surrogate';
import { HiddenState, ShortTermState } from '../_state';
import { Dynamics, f32, noGrad, sameShape, scalarValue, values, valuesView } from './_dynamics';
import { lifStepWasm, spikeOfWasm } from '../../torch/utils/kernels';
import { exprel } from './_exp_euler';
import { COBA, CUBA } from './_synouts';

type Tensor = torch.Tensor;
const math = Math; // a module binding: jest's vm context makes global lookups in hot loops slow
const fr = math.fround;
const NO_HOLD = new Float32Array(0);

/**
 * The built-in surrogate classes (exactly these classes, not user subclasses): their call(x), for an x that needs no
 * gradient, is `_check_grad_parameters()` (true, or its parameter error) and then the Heaviside step x >= 0 in x's
 * dtype — which the neurons below compute inline over float32 arrays (fastSpike).
 */
const BUILTIN_SURROGATES = new Set<unknown>(
  Object.values(surrogates).filter((c) => typeof c === 'function' && c !== Surrogate && (c as { prototype?: unknown }).prototype instanceof Surrogate),
);

/**
 * Whether spk_fun(x) of a float32 x that needs no gradient is the Heaviside step (x >= 0 → 1, NaN → 0): a built-in
 * surrogate whose call and _check_grad_parameters are its class's. Runs _check_grad_parameters as call(x) would (its
 * parameter errors raise here, as from call).
 */
function fastSpike(f: SpikeFn): boolean {
  return isFastSpikeClass(f) && (f as unknown as { _check_grad_parameters(): boolean })._check_grad_parameters() === true;
}

/** fastSpike without running the parameter check. */
function isFastSpikeClass(f: SpikeFn): boolean {
  if (!(f instanceof Surrogate) || !BUILTIN_SURROGATES.has(Object.getPrototypeOf(f)?.constructor)) return false;
  return f.call === Surrogate.prototype.call && !Object.prototype.hasOwnProperty.call(f, '_check_grad_parameters');
}

/** A float32 contiguous tensor of exactly `shape` that does not require grad (read in place by the fused steps). */
function plainF32(t: unknown, shape: readonly number[]): t is Tensor {
  return t instanceof torch.Tensor && t.dtype === 'float32' && !t.requires_grad && sameShape(t.shape, shape) && t.is_contiguous();
}

const numelOf = (shape: readonly number[]): number => { let n = 1; for (const d of shape) n *= d; return n; };

export type SpikeFn = Surrogate | ((x: Tensor) => Tensor);
export type Initializer = number | Tensor | ((shape: number[]) => Tensor);

/** @internal init.param(initializer, varshape, batch_size) as float32. */
export function initParam(fn: string, arg: string, init: unknown, shape: readonly number[]): Float32Array {
  if (typeof init === 'function') {
    const t = (init as (s: number[]) => unknown)(shape.slice());
    if (!(t instanceof torch.Tensor)) fail(fn, `the result of ${arg}`, 'a Tensor', t);
    if (t.shape.join() !== shape.join()) throw new Error(`${fn}: ${arg} returned shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    return values(fn, arg, t.detach(), shape).slice();
  }
  return values(fn, arg, init, shape).slice();
}

/**
 * The loop of LIF._onePass (a separate function so that V8 optimizes it on its own): per element, _reset, _integrate
 * (I = x + Σ inputs, J = 0 − Σ g over COBA; inputs 0 and 1 unrolled, the rest in `gs`), LIFRef's hold when tref is
 * given, and get_spike of the new V. See _onePass for the arithmetic's provenance.
 */
function onePassKernel(len: number, v0: Float32Array, th: Float32Array, rs: Float32Array, R: Float32Array, tau: Float32Array, Vr: Float32Array,
  hard: boolean, tref: Float32Array | null, lst: Float32Array | null, tf: number, dt: number, xc: number, xs: Float32Array | null,
  g0: Float32Array | null, c0: number, k0: boolean, g1: Float32Array | null, c1: number, k1: boolean,
  gs: Float32Array[], cs: number[], coba: boolean[], outV: Float32Array, outT: Float32Array | null, spk: Float32Array): void {
  const nIn = gs.length;
  for (let k = 0; k < len; k++) {
    const vk = v0[k], thk = th[k], rsk = rs[k];
    // _reset: last_v = V − h·spk_fun((V − V_th)/(V_th − V_reset)), stored as float32
    const sk = fr(fr(vk - thk) / fr(thk - rsk)) >= 0 ? 1 : 0;
    const h = hard ? fr(vk - rsk) : fr(thk - rsk);
    const lk = fr(vk - fr(h * sk));
    let v: number;
    if (tref !== null && fr(tf - lst![k]) < tref[k]) {
      v = lk; // held: last_v (V_new would be discarded)
    } else {
      // _integrate: I = x + Σ current inputs(last_v), J = Σ their slopes (float64, in the inputs' order)
      let Ik = xs === null ? xc : xs[k], Jk = 0;
      if (g0 !== null) { const g = g0[k]; if (k0) { Ik += g * (c0 - lk); Jk -= g; } else Ik += g * c0; }
      if (g1 !== null) { const g = g1[k]; if (k1) { Ik += g * (c1 - lk); Jk -= g; } else Ik += g * c1; }
      for (let q = 2; q < nIn; q++) { const g = gs[q][k]; if (coba[q]) { Ik += g * (cs[q] - lk); Jk -= g; } else Ik += g * cs[q]; }
      const Rk = R[k], tk = tau[k];
      const f = (-lk + Vr[k] + Rk * Ik) / tk;
      const z = dt * ((-1 + Rk * Jk) / tk);
      v = fr(lk + dt * (math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : math.expm1(z) / z) * f); // exprel(z), inlined
    }
    outV[k] = v;
    if (outT !== null) outT[k] = v >= thk ? tf : lst![k];
    spk[k] = fr(fr(v - thk) / fr(thk - rsk)) >= 0 ? 1 : 0; // get_spike of the new V
  }
}

/** Neuron: Dynamics with a spike function and a reset mode. */
export class Neuron extends Dynamics {
  spk_fun: SpikeFn;
  spk_reset: 'soft' | 'hard';

  constructor(in_size: number | number[], spk_fun: SpikeFn, spk_reset: string, name: string | null) {
    super(in_size, name);
    const fn = `brainstate.nn.${new.target.name}`;
    if (!(spk_fun instanceof Surrogate) && typeof spk_fun !== 'function') fail(fn, 'spk_fun', 'a surrogate (e.g. surrogate.ReluGrad()) or a function', spk_fun);
    if (spk_reset !== 'soft' && spk_reset !== 'hard') fail(fn, 'spk_reset', "'soft' or 'hard'", spk_reset);
    this.spk_fun = spk_fun;
    this.spk_reset = spk_reset;
  }

  protected _spike(x: Tensor): Tensor {
    const out = this.spk_fun instanceof Surrogate ? this.spk_fun.call(x) : this.spk_fun(x);
    if (!(out instanceof torch.Tensor)) fail(`${this.constructor.name}.get_spike`, 'the result of spk_fun', 'a Tensor', out);
    return out;
  }

  get_spike(..._args: unknown[]): Tensor {
    throw new Error(`${this.constructor.name}.get_spike: NotImplementedError`);
  }
}

type LIFOpts = {
  R?: number | Tensor; tau?: number | Tensor; V_th?: number | Tensor; V_reset?: number | Tensor; V_rest?: number | Tensor;
  V_initializer?: Initializer; spk_fun?: SpikeFn; spk_reset?: 'soft' | 'hard'; name?: string | null;
};
const LIF_NAMES = ['R', 'tau', 'V_th', 'V_reset', 'V_rest', 'V_initializer', 'spk_fun', 'spk_reset', 'name'] as const;
type LIFRest = PyRest<[R: number | Tensor | undefined, tau: number | Tensor | undefined, V_th: number | Tensor | undefined, V_reset: number | Tensor | undefined, V_rest: number | Tensor | undefined,
  V_initializer: Initializer | undefined, spk_fun: SpikeFn | undefined, spk_reset: 'soft' | 'hard' | undefined, name: string | null | undefined], LIFOpts>;

type LIFRefOpts = LIFOpts & { tau_ref?: number | Tensor };
const LIFREF_NAMES = ['R', 'tau', 'tau_ref', 'V_th', 'V_reset', 'V_rest', 'V_initializer', 'spk_fun', 'spk_reset', 'name'] as const;
type LIFRefRest = PyRest<[R: number | Tensor | undefined, tau: number | Tensor | undefined, tau_ref: number | Tensor | undefined, V_th: number | Tensor | undefined, V_reset: number | Tensor | undefined,
  V_rest: number | Tensor | undefined, V_initializer: Initializer | undefined, spk_fun: SpikeFn | undefined, spk_reset: 'soft' | 'hard' | undefined, name: string | null | undefined], LIFRefOpts>;

const dflt = <T>(v: T | undefined, d: T): T => (v === undefined ? d : v);

/** LIF(in_size, R=1, tau=5, V_th=1, V_reset=0, V_rest=0, V_initializer=0, spk_fun=ReluGrad(), spk_reset='soft', name=None). */
export class LIF extends Neuron {
  /** @internal Python's parameter order, after in_size. */
  static _ARG_NAMES: readonly string[] = LIF_NAMES;
  R: Float32Array;
  tau: Float32Array;
  V_th: Float32Array;
  V_reset: Float32Array;
  V_rest: Float32Array;
  V_initializer: Initializer;
  V!: HiddenState;

  constructor(in_size: number | number[], ...rest: LIFRest);
  constructor(in_size: number | number[], ...rest: unknown[]) {
    const cls = new.target.name;
    const names = (new.target as unknown as { _ARG_NAMES: readonly string[] })._ARG_NAMES;
    const o = pyArgs(`brainstate.nn.${cls}`, names, rest) as LIFRefOpts;
    super(in_size, dflt<SpikeFn>(o.spk_fun, new ReluGrad()), dflt<string>(o.spk_reset, 'soft'), o.name ?? null);
    const fn = `brainstate.nn.${cls}`;
    const p = (k: keyof LIFRefOpts, d: number): Float32Array => {
      const v = dflt(o[k] as number | Tensor | undefined, d);
      noGrad(fn, k, v);
      return values(fn, k, v, this.varshape).slice();
    };
    this.R = p('R', 1);
    this.tau = p('tau', 5);
    this.V_th = p('V_th', 1);
    this.V_reset = p('V_reset', 0);
    this.V_rest = p('V_rest', 0);
    for (let k = 0; k < this.tau.length; k++) if (!(this.tau[k] > 0)) fail(fn, 'tau', 'positive', this.tau[k]);
    this.V_initializer = dflt<Initializer>(o.V_initializer, 0);
    if (typeof this.V_initializer !== 'number' && typeof this.V_initializer !== 'function' && !(this.V_initializer instanceof torch.Tensor)) {
      fail(fn, 'V_initializer', 'a number, a Tensor or a function (shape) => Tensor', this.V_initializer);
    }
    this._tau_ref_opt = o.tau_ref;
  }

  /** @internal LIFRef reads tau_ref from the shared argument parsing. */
  protected _tau_ref_opt: unknown;

  override init_state(batch_size?: number | null): void {
    const shape = this._stateShape(`${this.constructor.name}.init_state`, batch_size);
    this.V = new HiddenState(f32(initParam(`${this.constructor.name}.init_state`, 'V_initializer', this.V_initializer, shape), shape));
  }

  override reset_state(batch_size?: number | null): void {
    const shape = this._stateShape(`${this.constructor.name}.reset_state`, batch_size);
    this.V.value = f32(initParam(`${this.constructor.name}.reset_state`, 'V_initializer', this.V_initializer, shape), shape);
  }

  protected _checkState(fn: string): void {
    if (!this.V) throw new Error(`${fn}: the state is not initialized; call init_state() first`);
  }

  /** spk_fun((V − V_th) / (V_th − V_reset)), float32 arithmetic; V defaults to the state. */
  override get_spike(V?: Tensor): Tensor {
    const fn = `${this.constructor.name}.get_spike`;
    if (V === undefined) { this._checkState(fn); V = this.V.value; }
    if (!(V instanceof torch.Tensor)) fail(fn, 'V', 'a Tensor', V);
    noGrad(fn, 'V', V);
    const v = valuesView(fn, 'V', V, V.shape); // read only
    const out = new Float32Array(v.length);
    if (this._spikeInput(v, out)) return f32(out, V.shape); // out holds spk_fun's Heaviside step already
    return this._spike(f32(out, V.shape));
  }

  /**
   * @internal out[k] = (v[k] − V_th)/(V_th − V_reset) as float32 (the argument of spk_fun). When spk_fun is a built-in
   * surrogate (fastSpike) it writes spk_fun's result, the Heaviside step of that value, instead and returns true.
   * Parameters are indexed k mod V_th.length, as get_spike always has.
   */
  _spikeInput(v: ArrayLike<number>, out: Float32Array): boolean {
    const len = v.length, th = this.V_th, rs = this.V_reset, n = th.length;
    const heav = fastSpike(this.spk_fun);
    if (heav && n === len) { // one parameter per element (no batch axis); in WebAssembly when it can (the same bits)
      if (!spikeOfWasm(len, v, th, rs, out)) for (let k = 0; k < len; k++) out[k] = fr(fr(v[k] - th[k]) / fr(th[k] - rs[k])) >= 0 ? 1 : 0;
      return true;
    }
    for (let k = 0, j = 0; k < len; k++, j = j + 1 === n ? 0 : j + 1) { // j = k mod n
      const x = fr(v[k] - th[j]) / fr(th[j] - rs[j]);
      out[k] = heav ? (fr(x) >= 0 ? 1 : 0) : x;
    }
    return heav;
  }

  /** @internal Whether update() may take the fused step: _reset, _integrate and get_spike are LIF's own. */
  protected _fusable(): boolean {
    const p = LIF.prototype as unknown as Record<string, unknown>, me = this as unknown as Record<string, unknown>;
    return me._reset === p._reset && me._integrate === p._integrate && me.get_spike === p.get_spike;
  }

  /** @internal Scratch arrays of the fused step (never handed out; a re-entrant step allocates its own). */
  private _scratch: { len: number; last: Float32Array; s: Float32Array; I: Float64Array; J: Float64Array; vn: Float32Array } | null = null;
  private _inStep = false;

  /**
   * @internal The fused step of LIF/LIFRef: _reset, _integrate and (with hold, LIFRef's) the refractory choice, with
   * the same float32/float64 arithmetic element by element and the same parameter indexing (k mod V_th.length for the
   * reset, k mod tau.length for the integrand, k mod tau_ref.length for the hold), reading the states in place and
   * allocating only the new states. LIFRef: when no user code can run between the reset and the hold (current inputs
   * are only COBA/CUBA, no delta inputs), the neurons that will keep last_v are not integrated (V_new is discarded for
   * them). Returns [V, last_spike_time or null].
   */
  protected _fusedStep(fn: string, V: Tensor, x: unknown, hold: boolean, tf: number): [Float32Array, Float32Array | null] {
    const shape = V.shape;
    const v0 = valuesView(fn, 'V', V, shape); // read only
    const len = v0.length;
    const own = !this._inStep;
    let sc = own ? this._scratch : null;
    if (sc === null || sc.len !== len) {
      sc = { len, last: new Float32Array(len), s: new Float32Array(len), I: new Float64Array(len), J: new Float64Array(len), vn: new Float32Array(len) };
      if (own) this._scratch = sc;
    }
    this._inStep = true;
    try {
      const { last, I, J } = sc;
      // _reset: s = spk_fun((v0 − V_th)/(V_th − V_reset)); last_v = v0 − h·s
      let s: ArrayLike<number> = sc.s;
      if (!this._spikeInput(v0, sc.s)) {
        s = valuesView(`${this.constructor.name}.get_spike`, 'spk_fun result', this._spike(f32(sc.s.slice(), shape)), shape);
      }
      {
        const hard = this.spk_reset === 'hard', th = this.V_th, rs = this.V_reset, n = th.length;
        if (!hard && n === len) for (let k = 0; k < len; k++) last[k] = v0[k] - fr(fr(th[k] - rs[k]) * s[k]);
        else for (let k = 0, j = 0; k < len; k++, j = j + 1 === n ? 0 : j + 1) {
          const h = hard ? fr(v0[k] - rs[j]) : fr(th[j] - rs[j]);
          last[k] = v0[k] - fr(h * s[k]);
        }
      }
      // _integrate: I = x + Σ current inputs(last_v), J = their slope
      const xc = scalarValue(x);
      if (xc !== null) I.fill(xc);
      else {
        const xs = valuesView(fn, 'x', x, shape);
        for (let k = 0; k < len; k++) I[k] = xs[k];
      }
      J.fill(0);
      // LIFRef: which neurons keep last_v can be known now when nothing below runs user code
      let lstEarly: Float32Array | null = null;
      if (hold && this._plainInputs()) {
        const L = (this as unknown as LIFRef).last_spike_time.value;
        if (L instanceof torch.Tensor && L.dtype === 'float32' && !L.requires_grad && sameShape(L.shape, shape) && L.is_contiguous()) lstEarly = valuesView(fn, 'last_spike_time', L, shape);
      }
      this._current_inputs_at(last, shape, I, J, true);
      const dt = environ.get_dt();
      // LIF: V_new is the new state (a fresh array); LIFRef: V_new goes to scratch and the new state is chosen below
      const vn = hold ? sc.vn : new Float32Array(len);
      {
        const R = this.R, tau = this.tau, Vr = this.V_rest, n = tau.length;
        const tref = this.tau_ref_arr(), nr = tref.length;
        if (n === len && (lstEarly === null || nr === len)) { // one parameter per element (no batch axis)
          for (let k = 0; k < len; k++) {
            if (lstEarly !== null && fr(tf - lstEarly[k]) < tref[k]) continue; // held below: V_new is not used
            const Rk = R[k], tk = tau[k], lk = last[k];
            const f = (-lk + Vr[k] + Rk * I[k]) / tk;
            const z = dt * ((-1 + Rk * J[k]) / tk);
            vn[k] = lk + dt * (math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : math.expm1(z) / z) * f; // exprel(z), inlined
          }
        } else for (let k = 0, j = 0, i = 0; k < len; k++, j = j + 1 === n ? 0 : j + 1, i = i + 1 === nr ? 0 : i + 1) {
          if (lstEarly !== null && fr(tf - lstEarly[k]) < tref[i]) continue; // held below: V_new is not used
          const Rj = R[j], tj = tau[j], lk = last[k];
          const f = (-lk + Vr[j] + Rj * I[k]) / tj;
          const z = dt * ((-1 + Rj * J[k]) / tj);
          vn[k] = lk + dt * (math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : math.expm1(z) / z) * f; // exprel(z), inlined
        }
      }
      this._delta_inputs_into(vn, shape);
      if (!hold) return [vn, null];
      // LIFRef: V = (t − last_spike_time < tau_ref) ? last_v : V_new; last_spike_time = (V >= V_th) ? t : last_spike_time
      const lst = lstEarly ?? valuesView(fn, 'last_spike_time', (this as unknown as LIFRef).last_spike_time.value, shape);
      const tref = this.tau_ref_arr(), nr = tref.length, th = this.V_th;
      const outV = new Float32Array(len);
      const outT = new Float32Array(len);
      if (nr === len) {
        for (let k = 0; k < len; k++) {
          const lk = lst[k];
          const v = fr(tf - lk) < tref[k] ? last[k] : vn[k];
          outV[k] = v;
          outT[k] = v >= th[k] ? tf : lk;
        }
        return [outV, outT];
      }
      for (let k = 0, j = 0; k < len; k++, j = j + 1 === nr ? 0 : j + 1) {
        const v = fr(tf - lst[k]) < tref[j] ? last[k] : vn[k];
        outV[k] = v;
        outT[k] = v >= th[j] ? tf : lst[k]; // V_th indexed k mod tau_ref.length, as LIFRef.update always has
      }
      return [outV, outT];
    } finally {
      if (own) this._inStep = false;
    }
  }

  /**
   * @internal The one-pass step, for the common case where everything is plain float32 data read in place: spk_fun a
   * built-in surrogate, one parameter per element (no batch axis), x a number or a float32 tensor of the state's
   * shape, current inputs only COBA(E: number)/CUBA(scale: number) with bound float32 conductances of that shape, no
   * delta inputs, and (LIFRef) a float32 last_spike_time of that shape. Per element it does exactly what
   * _reset, _integrate, LIFRef's hold and get_spike do (same operations in the same order: I = x + Σ inputs in the
   * inputs' order, J = 0 − Σ g), skipping V_new of held neurons. Nothing in between can run user code; the surrogate's
   * parameter check runs where spk_fun would (before the reset, and in get_spike after the states are set).
   * Returns the spikes of the new V, or null when the case does not apply (then nothing has been done).
   */
  protected _onePass(fn: string, V: Tensor, x: unknown, hold: boolean, tf: number): Tensor | null {
    const shape = V.shape;
    const len = numelOf(shape);
    const th = this.V_th, rs = this.V_reset, R = this.R, tau = this.tau, Vr = this.V_rest, tref = this.tau_ref_arr();
    if (th.length !== len || rs.length !== len || R.length !== len || tau.length !== len || Vr.length !== len || (hold && tref.length !== len)) return null;
    if (!isFastSpikeClass(this.spk_fun) || !this._plainInputs()) return null;
    const xc = scalarValue(x);
    if (xc === null && !plainF32(x, shape)) return null;
    let lst: Float32Array | null = null;
    if (hold) {
      const L = (this as unknown as LIFRef).last_spike_time.value;
      if (!plainF32(L, shape)) return null;
      lst = valuesView(fn, 'last_spike_time', L, shape);
    }
    const gt: Tensor[] = [], cs: number[] = [], coba: boolean[] = [];
    if (this._current_inputs !== null) {
      for (const out of this._current_inputs.values()) {
        const o = out as COBA | CUBA;
        const g = o._conductance, c = scalarValue(o instanceof COBA ? o.E : (o as CUBA).scale);
        if (c === null || !plainF32(g, shape)) return null;
        gt.push(g); cs.push(c); coba.push(o instanceof COBA);
      }
    }
    // from here on the step is taken: spk_fun's check (as in _reset's get_spike), then the pass
    if (!fastSpike(this.spk_fun)) return null; // a built-in always answers true (or raises its parameter error)
    const v0 = valuesView(fn, 'V', V, shape);
    const xs = xc === null ? valuesView(fn, 'x', x, shape) : null;
    const gs = gt.map((g, q) => valuesView(coba[q] ? 'COBA.call' : 'CUBA.call', 'conductance', g, shape));
    const nIn = gs.length;
    const dt = environ.get_dt();
    const outV = new Float32Array(len), outT = hold ? new Float32Array(len) : null, spk = new Float32Array(len);
    const hard = this.spk_reset === 'hard', g0 = nIn > 0 ? gs[0] : null, c0 = nIn > 0 ? cs[0] : 0, k0 = nIn > 0 && coba[0];
    const g1 = nIn > 1 ? gs[1] : null, c1 = nIn > 1 ? cs[1] : 0, k1 = nIn > 1 && coba[1];
    const tr = hold ? tref : null, x0 = xc === null ? 0 : xc;
    // up to two inputs: the same step in WebAssembly (core/kernels/brainstate_steps.ts), bit for bit; else in JS
    if (nIn > 2 || !lifStepWasm(len, v0, th, rs, R, tau, Vr, hard, tr, lst, tf, dt, x0, xs, g0, c0, k0, g1, c1, k1, outV, outT, spk)) {
      onePassKernel(len, v0, th, rs, R, tau, Vr, hard, tr, lst, tf, dt, x0, xs, g0, c0, k0, g1, c1, k1, gs, cs, coba, outV, outT, spk);
    }
    this.V.value = f32(outV, shape);
    if (hold) (this as unknown as LIFRef).last_spike_time.value = f32(outT!, shape);
    // get_spike(): its spk_fun check, then the spikes computed above (of the V just stored)
    const Vs = this.V.value;
    if (Vs instanceof torch.Tensor && Vs.buffer === outV && Vs.offset === 0 && sameShape(Vs.shape, shape) && !Vs.requires_grad && fastSpike(this.spk_fun)) return f32(spk, shape);
    return this.get_spike();
  }

  /** @internal LIFRef's tau_ref (an empty array for LIF: no hold). */
  protected tau_ref_arr(): Float32Array { return NO_HOLD; }

  /** @internal Whether the current inputs are only COBA/CUBA (their typed-array path runs no user code) and there are no delta inputs. */
  private _plainInputs(): boolean {
    if (this._delta_inputs !== null && this._delta_inputs.size > 0) return false;
    if (this._current_inputs === null) return true;
    for (const out of this._current_inputs.values()) {
      const p = typeof out === 'object' && out !== null ? Object.getPrototypeOf(out) : null;
      if (p !== COBA.prototype && p !== CUBA.prototype) return false;
      if (Object.prototype.hasOwnProperty.call(out, '_current_and_slope') || Object.prototype.hasOwnProperty.call(out, '_cond')) return false;
    }
    return true;
  }

  /** The reset of the previous spike, at the start of this step: last_v (see the file header). */
  protected _reset(v0: Float32Array, shape: readonly number[]): Float32Array {
    const s = values(`${this.constructor.name}.get_spike`, 'spk_fun result', this.get_spike(f32(v0, shape)), shape);
    const n = this.V_th.length;
    const last = new Float32Array(v0.length);
    const hard = this.spk_reset === 'hard';
    for (let k = 0; k < v0.length; k++) {
      const j = k % n;
      const h = hard ? fr(v0[k] - this.V_reset[j]) : fr(this.V_th[j] - this.V_reset[j]);
      last[k] = v0[k] - fr(h * s[k]);
    }
    return last;
  }

  /** exp_euler of (−v + V_rest + R·(x + Σ current inputs(v)))/tau from last_v, plus the delta inputs. */
  protected _integrate(fn: string, last: Float32Array, shape: readonly number[], x: unknown): Float32Array {
    const xs = values(fn, 'x', x, shape);
    const len = last.length;
    const I = new Float64Array(len);
    const J = new Float64Array(len);
    for (let k = 0; k < len; k++) I[k] = xs[k];
    this._current_inputs_at(last, shape, I, J, true);
    const dt = environ.get_dt();
    const n = this.tau.length;
    const out = new Float32Array(len);
    for (let k = 0; k < len; k++) {
      const j = k % n;
      const R = this.R[j], tau = this.tau[j];
      const f = (-last[k] + this.V_rest[j] + R * I[k]) / tau;
      const lin = (-1 + R * J[k]) / tau;
      out[k] = last[k] + dt * exprel(dt * lin) * f;
    }
    this._delta_inputs_into(out, shape);
    return out;
  }

  /** update(x = 0): one step; returns the spikes of the new V. */
  override update(x: number | Tensor = 0): Tensor {
    const fn = `${this.constructor.name}.update`;
    this._checkState(fn);
    const V = this.V.value;
    noGrad(fn, 'V', V);
    const shape = V.shape;
    if (this._fusable() && V.dtype === 'float32' && V.is_contiguous()) {
      const spk = this._onePass(fn, V, x, false, 0);
      if (spk !== null) return spk;
      this.V.value = f32(this._fusedStep(fn, V, x, false, 0)[0], shape);
      return this.get_spike();
    }
    const last = this._reset(values(fn, 'V', V, shape), shape);
    this.V.value = f32(this._integrate(fn, last, shape, x), shape);
    return this.get_spike();
  }
}

/** LIFRef(in_size, R=1, tau=5, tau_ref=5, V_th=1, V_reset=0, V_rest=0, V_initializer=0, spk_fun=ReluGrad(), spk_reset='soft', name=None). */
export class LIFRef extends LIF {
  static override _ARG_NAMES: readonly string[] = LIFREF_NAMES;
  tau_ref: Float32Array;
  last_spike_time!: ShortTermState;

  constructor(in_size: number | number[], ...rest: LIFRefRest);
  constructor(in_size: number | number[], ...rest: unknown[]) {
    super(in_size, ...(rest as LIFRest));
    const fn = 'brainstate.nn.LIFRef';
    const v = dflt(this._tau_ref_opt as number | Tensor | undefined, 5);
    noGrad(fn, 'tau_ref', v);
    this.tau_ref = values(fn, 'tau_ref', v, this.varshape).slice();
  }

  /** @internal The hold of the fused step. */
  protected override tau_ref_arr(): Float32Array { return this.tau_ref; }

  override init_state(batch_size?: number | null): void {
    super.init_state(batch_size);
    const shape = this.V.value.shape;
    this.last_spike_time = new ShortTermState(f32(new Float32Array(this.V.value.numel()).fill(-1e7), shape));
  }

  override reset_state(batch_size?: number | null): void {
    super.reset_state(batch_size);
    const shape = this.V.value.shape;
    this.last_spike_time.value = f32(new Float32Array(this.V.value.numel()).fill(-1e7), shape);
  }

  override update(x: number | Tensor = 0): Tensor {
    const fn = 'LIFRef.update';
    this._checkState(fn);
    const t = environ.get('t');
    if (typeof t !== 'number') fail(fn, "environ 't'", 'a number', t);
    const tf = fr(t);
    const V = this.V.value;
    noGrad(fn, 'V', V);
    const shape = V.shape;
    if (this._fusable() && V.dtype === 'float32' && V.is_contiguous()) {
      const spk = this._onePass(fn, V, x, true, tf);
      if (spk !== null) return spk;
      const [outV, outT] = this._fusedStep(fn, V, x, true, tf);
      this.V.value = f32(outV, shape);
      this.last_spike_time.value = f32(outT!, shape);
      return this.get_spike();
    }
    const last = this._reset(values(fn, 'V', V, shape), shape);
    const Vn = this._integrate(fn, last, shape, x);
    const lst = values(fn, 'last_spike_time', this.last_spike_time.value, shape);
    const n = this.tau_ref.length;
    const outV = new Float32Array(Vn.length);
    const outT = new Float32Array(Vn.length);
    for (let k = 0; k < Vn.length; k++) {
      const j = k % n;
      const v = fr(tf - lst[k]) < this.tau_ref[j] ? last[k] : Vn[k];
      outV[k] = v;
      outT[k] = v >= this.V_th[j] ? tf : lst[k];
    }
    this.V.value = f32(outV, shape);
    this.last_spike_time.value = f32(outT, shape);
    return this.get_spike();
  }
}
