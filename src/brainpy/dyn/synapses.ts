/**
 * brainpy.dyn.synapses (BrainPy 2.x, brainpy/_src/dyn/synapses/abstract_models.py): Expon.
 *
 *     syn = bp.dyn.Expon(4000, tau=5.)               const syn = new bp.dyn.Expon(4000, { tau: 5 });
 *     bp.dyn.Expon.desc(4000, tau=5.)                bp.dyn.Expon.desc(4000, { tau: 5 })   // for *Mg* projections
 *
 * update(x?): `g = g + dt·exprel(−dt/tau)·(−g/tau)` (exponential Euler, float32, ≈ g·e^(−dt/tau)); then, when x is
 * given, `g += x`. Returns the `g` Variable. `add_current(x)` / `align_post_input_add(x)` add x to g at once (what
 * HalfProjAlignPostMg does before the post neuron's before-update hook decays g).
 * Defaults as BrainPy: tau 8.0, g initialized to 0. NonBatchingMode only. Alpha and DualExpon are not ported yet.
 */
import { Tensor } from '../../torch/index';
import { fail } from '../../torch/utils/checks';
import { share } from '../context';
import { DynamicalSystem, _addInput } from '../dynsys';
import { ZeroInit } from '../initialize/regular_inits';
import { get_dt } from '../math/environment';
import { exprel_f32 } from '../math/others';
import { Variable } from '../math/variables';
import type { Mode } from '../math/modes';
import { checkInit, checkKeys, checkMethod, f32, initVariable, num, requireNonBatching, toVarshape, type StateInit } from './_common';

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
  g: Variable;
  private _S: Float32Array;

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
    this.g = initVariable(fn, 'g_initializer', this.g_initializer, this.varshape);
    this._S = new Float32Array(this.num);
  }

  override reset_state(batch_size?: number | null): void {
    super.reset_state(batch_size);
    this.g.value = initVariable('bp.dyn.Expon.reset_state', 'g_initializer', this.g_initializer, this.varshape);
  }

  /** g ← exponential-Euler decay of g; then g += x when x is given. Returns the g Variable. */
  override update(x?: Tensor | number | null): Variable {
    const dt = Math.fround(share.load<number>('dt', get_dt()));
    const tau = this.tau;
    const c = Math.fround(dt * exprel_f32(Math.fround(dt * Math.fround(-1 / Math.fround(tau)))));
    const g = f32(this.g);
    for (let k = 0; k < g.length; k++) {
      const v = g[k];
      g[k] = Math.fround(v + c * Math.fround(-v / tau));
    }
    if (x !== undefined && x !== null) this.add_current(x);
    return this.g;
  }

  /** g += x (x a number or a Tensor of the synapse's shape). */
  add_current(x: Tensor | number): void {
    _addInput('Expon.add_current', 'x', x, f32(this.g), this.varshape, this._S);
  }

  /** The align-post projections' entry point: the same as add_current. */
  align_post_input_add(x: Tensor | number): void { this.add_current(x); }

  /** The g Variable. */
  override return_info(): Tensor { return this.g; }
}
