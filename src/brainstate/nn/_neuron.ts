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
 */
import * as torch from '../../torch/index';
import { fail, pyArgs, type PyRest } from '../../torch/utils/checks';
import * as environ from '../environ';
import { ReluGrad, Surrogate } from '../surrogate';
import { HiddenState, ShortTermState } from '../_state';
import { Dynamics, f32, noGrad, values } from './_dynamics';
import { exprel } from './_exp_euler';

type Tensor = torch.Tensor;
const fr = Math.fround;

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
    const v = values(fn, 'V', V, V.shape);
    const n = this.V_th.length;
    const out = new Float32Array(v.length);
    for (let k = 0; k < v.length; k++) {
      const j = k % n;
      out[k] = fr(v[k] - this.V_th[j]) / fr(this.V_th[j] - this.V_reset[j]);
    }
    return this._spike(f32(out, V.shape));
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
