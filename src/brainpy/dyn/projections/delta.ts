/**
 * bp.dyn.HalfProjDelta / FullProjDelta (BrainPy 2.x, brainpy/_src/dyn/projections/delta.py): delta synapses. The
 * comm output is a *delta* input of post (added to V in the step, not integrated as a current):
 * I_syn(t) = Σ_j g_max·δ(t − t_j − D).
 *
 *     self.syn = bp.dyn.HalfProjDelta(bp.dnn.Linear(10, 1, bp.init.OneInit(2.)), self.post);  self.syn(self.pre())
 *     this.syn = new bp.dyn.HalfProjDelta(new bp.dnn.Linear(10, 1, new bp.init.OneInit(2)), this.post);  this.syn.call(this.pre.call())
 *
 * `update(x)` (Half) / `update()` (Full, x = the pre group's VarDelay entry named after the projection):
 * current = comm(x), bound to the delta input, returned. As upstream, the bound value stays until the next update:
 * a step that does not call the projection adds the last one again.
 */
import type { Tensor } from '../../../torch/index';
import { register_delay_by_return, type VarDelay } from '../../delay';
import { Projection, type DynamicalSystem } from '../../dynsys';
import { callComm, checkComm, checkDelay, checkDS, parseArgs, projOptions, type Comm } from './utils';

/** The delta input a Delta projection registers on post: returns the last bound comm output. */
export class _Delta {
  private _cond: Tensor | null = null;
  bind_cond(cond: Tensor): void { this._cond = cond; }
  call(): Tensor {
    // upstream returns None here and fails later, adding None to V
    if (this._cond === null) throw new Error('bp.dyn delta projection: the delta input was read before the projection ran (call it before its post group)');
    return this._cond;
  }
}

/** bp.dyn.HalfProjDelta(comm, post, { name, mode }). */
export class HalfProjDelta extends Projection {
  static override readonly _invisible_nodes = ['out', 'post'];
  readonly comm: Comm;
  readonly post: DynamicalSystem;
  readonly out = new _Delta();

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.HalfProjDelta';
    const o = parseArgs(fn, ['comm', 'post', 'name', 'mode'], args);
    super(projOptions(o));
    this.comm = checkComm(fn, o.comm);
    this.post = checkDS(fn, 'post', o.post);
    this.post.add_inp_fun(this.name, this.out, null, 'delta');
  }

  override update(x: Tensor): Tensor {
    const current = callComm(this.constructor.name, this.comm, x);
    this.out.bind_cond(current);
    return current;
  }
}

/** bp.dyn.FullProjDelta(pre, delay, comm, post, { name, mode }). */
export class FullProjDelta extends Projection {
  static override readonly _invisible_nodes = ['out', 'post', 'pre', 'delay'];
  readonly pre: DynamicalSystem;
  readonly delay: VarDelay;
  readonly comm: Comm;
  readonly post: DynamicalSystem;
  readonly out = new _Delta();

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.FullProjDelta';
    const o = parseArgs(fn, ['pre', 'delay', 'comm', 'post', 'name', 'mode'], args);
    super(projOptions(o));
    this.pre = checkDS(fn, 'pre', o.pre);
    this.comm = checkComm(fn, o.comm);
    this.post = checkDS(fn, 'post', o.post);
    this.delay = register_delay_by_return(this.pre);
    this.delay.register_entry(this.name, checkDelay(fn, o.delay));
    this.post.add_inp_fun(this.name, this.out, null, 'delta');
  }

  override update(): Tensor {
    const current = callComm(this.constructor.name, this.comm, this.delay.at(this.name));
    this.out.bind_cond(current);
    return current;
  }
}
