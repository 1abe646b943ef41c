/**
 * brainstate.nn._synapse (brainstate 0.1.10): Synapse, Expon.
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
import { Dynamics, f32, noGrad, values } from './_dynamics';
import { exprel } from './_exp_euler';
import { initParam, type Initializer } from './_neuron';

type Tensor = torch.Tensor;

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
    const g0 = values(fn, 'g', this.g.value, shape);
    const len = g0.length;
    const I = new Float64Array(len);
    const J = new Float64Array(len);
    this._current_inputs_at(g0, shape, I, J, false);
    const dt = environ.get_dt();
    const n = this.tau.length;
    const out = new Float32Array(len);
    for (let k = 0; k < len; k++) {
      const tau = this.tau[k % n];
      out[k] = g0[k] + dt * exprel(-dt / tau) * ((-g0[k] + I[k]) / tau);
    }
    this._delta_inputs_into(out, shape);
    if (x !== undefined && x !== null) {
      const xs = values(fn, 'x', x, shape);
      for (let k = 0; k < len; k++) out[k] += xs[k];
    }
    this.g.value = f32(out, shape);
    return this.g.value;
  }
}
