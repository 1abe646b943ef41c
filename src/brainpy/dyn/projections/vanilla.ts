/**
 * bp.dyn.VanillaProj (BrainPy 2.x, brainpy/_src/dyn/projections/vanilla.py): a projection whose synaptic state, if
 * any, the model computes itself (sized like the pre group); the projection only calls comm and binds the result to
 * the output, which is a current input of post.
 *
 *     self.E = bp.dyn.VanillaProj(comm=bp.dnn.JitFPHomoLinear(3200, 4000, prob=0.02, weight=0.6),
 *                                 out=bp.dyn.COBA(E=0.), post=self.N)
 *     self.E(self.syn1(spk[:3200]))
 *     this.E = new bp.dyn.VanillaProj({ comm: new bp.dnn.JitFPHomoLinear(3200, 4000, { prob: 0.02, weight: 0.6 }),
 *                                       out: new bp.dyn.COBA({ E: 0 }), post: this.N });
 *     this.E.call(this.syn1.call(spk.narrow(0, 0, 3200)));
 *
 * `update(x)`: current = comm(x); out.bind_cond(current); returns current. `out` is an instance (as upstream checks);
 * post and out are references (not reset by the projection), comm is its child.
 */
import type { Tensor } from '../../../torch/index';
import { Projection, type DynamicalSystem, type InputFun } from '../../dynsys';
import type { SynOut } from '../outs';
import { callComm, checkComm, checkDS, checkOutInstance, parseArgs, projOptions, type Comm } from './utils';

const KEYS = ['comm', 'out', 'post', 'name', 'mode'];

/** bp.dyn.VanillaProj(comm, out, post, { name, mode }). */
export class VanillaProj extends Projection {
  static override readonly _invisible_nodes = ['out', 'post'];
  readonly comm: Comm;
  readonly out: SynOut;
  readonly post: DynamicalSystem;

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.VanillaProj';
    const o = parseArgs(fn, KEYS, args);
    super(projOptions(o));
    this.comm = checkComm(fn, o.comm);
    this.out = checkOutInstance(fn, o.out, false);
    this.post = checkDS(fn, 'post', o.post);
    this.post.add_inp_fun(this.name, this.out as InputFun);
  }

  override update(x: Tensor): Tensor {
    const current = callComm(this.constructor.name, this.comm, x);
    this.out.bind_cond(current);
    return current;
  }
}
