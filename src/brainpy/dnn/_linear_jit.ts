/**
 * brainpy.dnn.linear's just-in-time connectivity layers: JitFP{Homo,Uniform,Normal}Linear and their Event forms
 * (bm.jitconn's mv_prob_* products, the matrix regenerated from a seed on every call). Not a BrainPy module: linear.ts
 * re-exports them, as brainpy/dnn/linear.py defines them.
 */
import { Tensor, stack } from '../../torch/index';
import { Module } from '../../torch/nn/index';
import { Mode } from '../math/modes';
import { random_state as numpyGlobalRandom } from '../math/numpy_random';
import * as jitconn from '../math/jitconn';
import { Layer, asFloat, checkBool, checkNumber, checkSize, checkTensor, fail, pyArgs, type PyCall } from './base';
import {
  type LayerKw, type U, type Weight, checkLast, checkMode, checkName, checkSharding, rawWeight, rowwise, trainable, weightDtype,
} from './_linear_args';

// =====================================================================================================================
// Just-in-time connectivity layers
// =====================================================================================================================

type JitKw = LayerKw & { num_in?: number; num_out?: number; prob?: number; seed?: number | null; transpose?: boolean; atomic?: boolean };
type JitHomoOpt = [seed: U<number | null>, sharding: U<null>, mode: U<Mode | null>, name: U<string | null>, transpose: U<boolean>, atomic: U<boolean>];
type JitNormalOpt = [seed: U<number | null>, sharding: U<null>, transpose: U<boolean>, atomic: U<boolean>, mode: U<Mode | null>, name: U<string | null>];
type JitHomoCall = PyCall<[num_in: number, num_out: number, prob: number, weight: number | Tensor], JitHomoOpt, JitKw & { weight?: number | Tensor }>;
type JitUniformCall = PyCall<[num_in: number, num_out: number, prob: number, w_low: number, w_high: number], JitHomoOpt, JitKw & { w_low?: number; w_high?: number }>;
type JitNormalCall = PyCall<[num_in: number, num_out: number, prob: number, w_mu: number, w_sigma: number], JitNormalOpt, JitKw & { w_mu?: number; w_sigma?: number }>;

/**
 * The default seed of the JIT layers: BrainPy draws `np.random.randint(0, high)` from numpy's global legacy RNG at
 * construction; spikeport draws the same way from its numpy-legacy global state (math/numpy_random.ts `random_state`,
 * MT19937 with numpy's masked-rejection randint), so after `np.random.seed(s)` ≡ numpy_random.seed(s) the seeds
 * agree with BrainPy's. Unseeded, that state starts from Math.random entropy, as numpy starts from OS entropy.
 */
function defaultSeed(high: number): number {
  return numpyGlobalRandom.randint(0, high) as number;
}

function checkProb(fn: string, p: unknown): number {
  if (typeof p !== 'number' || !(p > 0 && p <= 1)) fail(fn, 'prob', 'a number in (0, 1]', p);
  return p;
}

function checkSeed(fn: string, s: unknown, high: number): number {
  if (s === undefined || s === null) return defaultSeed(high);
  if (typeof s !== 'number' || !Number.isInteger(s)) fail(fn, 'seed', 'an integer or null', s);
  return s;
}

type JitKind = 'homo' | 'uniform' | 'normal';

abstract class JitLinear extends Layer {
  num_in: number;
  num_out: number;
  prob: number;
  seed: number;
  sharding: null;
  transpose: boolean;
  atomic: boolean;

  constructor(fn: string, num_in: number, num_out: number, prob: number, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super({ mode: checkMode(fn, o.mode), name: checkName(fn, o.name) });
    this.prob = checkProb(fn, prob);
    this.sharding = checkSharding(fn, o.sharding);
    this.transpose = checkBool(fn, 'transpose', o.transpose ?? false);
    this.num_in = checkSize(fn, 'num_in', num_in);
    this.num_out = checkSize(fn, 'num_out', num_out);
    this.atomic = checkBool(fn, 'atomic', o.atomic ?? atomicDefault);
    this.seed = checkSeed(fn, o.seed, seedHigh);
  }

  protected abstract get _kind(): JitKind;
  protected abstract get _event(): boolean;
  /** The weight parameters after the vector: [weight] or [w_low, w_high] or [w_mu, w_sigma]. */
  protected abstract _wargs(w: Weight | null): (number | Tensor)[];
  protected _weight(): Weight | null { return null; }

  protected get _opts() {
    return { shape: [this.num_out, this.num_in] as [number, number], transpose: this.transpose, outdim_parallel: !this.atomic };
  }

  /** The dense matrix these layers multiply by (bm.jitconn.get_*_weight_matrix with shape (num_out, num_in)). */
  get_conn_matrix(): Tensor {
    const o = this._opts;
    const w = this._weight();
    const args = this._wargs(w === null ? null : rawWeight(w));
    switch (this._kind) {
      case 'homo': return jitconn.get_homo_weight_matrix(args[0] as any, this.prob, this.seed, o);
      case 'uniform': return jitconn.get_uniform_weight_matrix(args[0] as number, args[1] as number, this.prob, this.seed, o);
      default: return jitconn.get_normal_weight_matrix(args[0] as number, args[1] as number, this.prob, this.seed, o);
    }
  }

  // the checked call of the last _mv, reused while the layer's numbers stay the same (number weights only)
  private _prep: jitconn.PreparedMv | null = null;
  private _prepKey: unknown[] = [];

  /** Whether _prep is the checked call for the layer's present numbers (read without making the weight arguments array). */
  private _prepFresh(): boolean {
    const key = this._prepKey;
    return this._prep !== null && key[0] === this._warg(0) && key[1] === this._warg(1) && key[2] === this.prob && key[3] === this.seed
      && key[4] === this.transpose && key[5] === this.atomic && key[6] === jitconn.get_default_rng() && key[7] === this.num_in && key[8] === this.num_out;
  }

  /** _wargs(_weight())[k] (undefined past its end), without the array. */
  protected abstract _warg(k: 0 | 1): number | Tensor | undefined;

  /** Makes _prep the checked call for the layer's present numbers unless it is; false when a weight is a Tensor (none made). */
  private _prepared(): boolean {
    if (this._prepFresh()) return true;
    const a = this._wargs(this._weight());
    if (typeof a[0] !== 'number' || (a.length > 1 && typeof a[1] !== 'number')) return false;
    const e = this._event;
    const fn = `bm.jitconn.${e ? 'event_' : ''}mv_prob_${this._kind}`;
    this._prep = jitconn._prepare_mv(fn, this._kind, e, a[0], a[1], this.prob, this.seed, this._opts);
    this._prepKey = [a[0], a[1], this.prob, this.seed, this.transpose, this.atomic, jitconn.get_default_rng(), this.num_in, this.num_out];
    return true;
  }

  protected _mv(v: Tensor, into: Float32Array | null = null): Tensor {
    if (this._prepared()) {
      if (into !== null) { const r = jitconn._event_homo_into(this._prep!, v, into); if (r !== null) return r; }
      return jitconn._run_mv(this._prep!, v, into);
    }
    const a = this._wargs(this._weight()), e = this._event, o = this._opts;
    switch (this._kind) {
      case 'homo': return (e ? jitconn.event_mv_prob_homo : jitconn.mv_prob_homo)(v, a[0], this.prob, this.seed, o);
      case 'uniform': return (e ? jitconn.event_mv_prob_uniform : jitconn.mv_prob_uniform)(v, a[0], a[1], this.prob, this.seed, o);
      default: return (e ? jitconn.event_mv_prob_normal : jitconn.mv_prob_normal)(v, a[0], a[1], this.prob, this.seed, o);
    }
  }

  /**
   * `call(x)` writing a 1-D event product into `into` (a float32 array of the output length, all zeros; see jitconn._run_mv), for
   * a projection that adds it into a synapse in the same memory. Null when calling this layer is more than its
   * update (hooks, an override) or x is not a 1-D vector: the caller then calls it as usual.
   */
  _call_into(x: Tensor, into: Float32Array): Tensor | null {
    if (!(x instanceof Tensor) || x.ndim !== 1 || this._m.preHooks.size !== 0 || this._m.hooks.size !== 0 || this.call !== Module.prototype.call
      || this.forward !== Layer.prototype.forward || this.update !== JitLinear.prototype.update) return null;
    const inLen = this.transpose ? this.num_out : this.num_in;
    if (x.shape[0] !== inLen) checkLast(`${this.constructor.name}.update`, x, inLen, this.transpose ? 'num_out (transpose=True)' : 'num_in');
    const w = this._weight();
    return this._mv(this._event ? x : asFloat(x, w === null ? 'float32' : weightDtype(w)), into);
  }

  override update(x: Tensor): Tensor {
    const fn = `${this.constructor.name}.update`;
    checkTensor(fn, 'x', x);
    // y = M x with M (num_out, num_in); with transpose=True, y = Mᵀ x
    const inLen = this.transpose ? this.num_out : this.num_in;
    const outLen = this.transpose ? this.num_in : this.num_out;
    checkLast(fn, x, inLen, this.transpose ? 'num_out (transpose=True)' : 'num_in');
    const w = this._weight();
    const xin = this._event ? x : asFloat(x, w === null ? 'float32' : weightDtype(w));
    if (xin.ndim === 1) return this._mv(xin);
    return rowwise(xin, outLen, (v) => this._mv(v), (X) => {
      // brainevent 0.2.0's matrix-matrix kernels walk another matrix than its matrix-vector ones: there, apply the
      // vector product row by row (BrainPy's vmap of the vector op); the other eras give the same M either way
      if (jitconn.get_default_rng() === 'light-d') return stack(X.unbind(0).map((v) => this._mv(v)), 0);
      return this.transpose ? this._mv(X) : this._mv(X.t()).t();
    });
  }
}

abstract class JitFPHomoLayer extends JitLinear {
  weight: Weight;

  constructor(fn: string, num_in: number, num_out: number, prob: number, weight: number | Tensor, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super(fn, num_in, num_out, prob, o, atomicDefault, seedHigh);
    if (typeof weight !== 'number' && !(weight instanceof Tensor && weight.ndim === 0)) fail(fn, 'weight', 'a number (or a 0-d Tensor)', weight);
    this.weight = trainable(this.mode, weight);
  }

  protected get _kind(): JitKind { return 'homo'; }
  protected override _weight(): Weight { return this.weight; }
  protected _wargs(w: Weight | null): (number | Tensor)[] { return [w ?? this.weight]; }
  protected _warg(k: 0 | 1): number | Tensor | undefined { return k === 0 ? this.weight : undefined; }
}

abstract class JitFPUniformLayer extends JitLinear {
  w_low: number;
  w_high: number;

  constructor(fn: string, num_in: number, num_out: number, prob: number, w_low: number, w_high: number, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super(fn, num_in, num_out, prob, o, atomicDefault, seedHigh);
    this.w_low = checkNumber(fn, 'w_low', w_low);
    this.w_high = checkNumber(fn, 'w_high', w_high);
  }

  protected get _kind(): JitKind { return 'uniform'; }
  protected _wargs(): (number | Tensor)[] { return [this.w_low, this.w_high]; }
  protected _warg(k: 0 | 1): number { return k === 0 ? this.w_low : this.w_high; }
}

abstract class JitFPNormalLayer extends JitLinear {
  w_mu: number;
  w_sigma: number;

  constructor(fn: string, num_in: number, num_out: number, prob: number, w_mu: number, w_sigma: number, o: Record<string, any>, atomicDefault: boolean, seedHigh: number) {
    super(fn, num_in, num_out, prob, o, atomicDefault, seedHigh);
    this.w_mu = checkNumber(fn, 'w_mu', w_mu);
    this.w_sigma = checkNumber(fn, 'w_sigma', w_sigma);
  }

  protected get _kind(): JitKind { return 'normal'; }
  protected _wargs(): (number | Tensor)[] { return [this.w_mu, this.w_sigma]; }
  protected _warg(k: 0 | 1): number { return k === 0 ? this.w_mu : this.w_sigma; }
}

const HOMO_KEYS = ['seed', 'sharding', 'mode', 'name', 'transpose', 'atomic'];
const NORMAL_KEYS = ['seed', 'sharding', 'transpose', 'atomic', 'mode', 'name'];
// the required parameters of the three families, then their optional ones
const HOMO_ARGS = ['num_in', 'num_out', 'prob', 'weight', ...HOMO_KEYS];
const UNIFORM_ARGS = ['num_in', 'num_out', 'prob', 'w_low', 'w_high', ...HOMO_KEYS];
const NORMAL_ARGS = ['num_in', 'num_out', 'prob', 'w_mu', 'w_sigma', ...NORMAL_KEYS];

/**
 * JitFPHomoLinear(num_in, num_out, prob, weight, seed = None, sharding = None, mode = None, name = None,
 * transpose = False, atomic = False): y = M x, M (num_out, num_in) with connection probability `prob` and the same
 * `weight` on every connection, regenerated from `seed` by bm.jitconn.mv_prob_homo on every call (never stored).
 * transpose=True computes Mᵀ x (x of length num_out); atomic decides outdim_parallel = !atomic.
 */
export class JitFPHomoLinear extends JitFPHomoLayer {
  constructor(...args: JitHomoCall) {
    const fn = 'bp.dnn.JitFPHomoLinear';
    const o = pyArgs(fn, HOMO_ARGS, args, 4);
    super(fn, o.num_in, o.num_out, o.prob, o.weight, o, false, 100000);
  }
  protected get _event(): boolean { return false; }
}

/** JitFPUniformLinear(num_in, num_out, prob, w_low, w_high, seed, sharding, mode, name, transpose = False, atomic = False): weights ~ U(w_low, w_high). */
export class JitFPUniformLinear extends JitFPUniformLayer {
  constructor(...args: JitUniformCall) {
    const fn = 'bp.dnn.JitFPUniformLinear';
    const o = pyArgs(fn, UNIFORM_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_low, o.w_high, o, false, 100000);
  }
  protected get _event(): boolean { return false; }
}

/** JitFPNormalLinear(num_in, num_out, prob, w_mu, w_sigma, seed, sharding, transpose = False, atomic = False, mode, name): weights ~ N(w_mu, w_sigma). */
export class JitFPNormalLinear extends JitFPNormalLayer {
  constructor(...args: JitNormalCall) {
    const fn = 'bp.dnn.JitFPNormalLinear';
    const o = pyArgs(fn, NORMAL_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_mu, o.w_sigma, o, false, 100000);
  }
  protected get _event(): boolean { return false; }
}

/** EventJitFPHomoLinear(num_in, num_out, prob, weight, seed, sharding, mode, name, transpose = False, atomic = True): the event form (bm.jitconn.event_mv_prob_homo). */
export class EventJitFPHomoLinear extends JitFPHomoLayer {
  constructor(...args: JitHomoCall) {
    const fn = 'bp.dnn.EventJitFPHomoLinear';
    const o = pyArgs(fn, HOMO_ARGS, args, 4);
    super(fn, o.num_in, o.num_out, o.prob, o.weight, o, true, 1000000);
  }
  protected get _event(): boolean { return true; }
}

/** EventJitFPUniformLinear(num_in, num_out, prob, w_low, w_high, seed, sharding, mode, name, transpose = False, atomic = True). */
export class EventJitFPUniformLinear extends JitFPUniformLayer {
  constructor(...args: JitUniformCall) {
    const fn = 'bp.dnn.EventJitFPUniformLinear';
    const o = pyArgs(fn, UNIFORM_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_low, o.w_high, o, true, 100000);
  }
  protected get _event(): boolean { return true; }
}

/** EventJitFPNormalLinear(num_in, num_out, prob, w_mu, w_sigma, seed, sharding, transpose = False, atomic = True, mode, name). */
export class EventJitFPNormalLinear extends JitFPNormalLayer {
  constructor(...args: JitNormalCall) {
    const fn = 'bp.dnn.EventJitFPNormalLinear';
    const o = pyArgs(fn, NORMAL_ARGS, args, 5);
    super(fn, o.num_in, o.num_out, o.prob, o.w_mu, o.w_sigma, o, true, 100000);
  }
  protected get _event(): boolean { return true; }
}
