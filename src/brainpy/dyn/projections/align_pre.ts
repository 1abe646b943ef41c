/**
 * brainpy.dyn projections with the align-pre reduction (BrainPy 2.x, brainpy/_src/dyn/projections/align_pre.py):
 * the synapse is sized like the pre group and comm maps its state (floats, so no event-driven products) to post.
 * FullProjAlignPreSDMg, FullProjAlignPreDSMg, FullProjAlignPreSD, FullProjAlignPreDS.
 *
 *     self.E2E = bp.dyn.FullProjAlignPreSDMg(pre=self.E, syn=bp.dyn.Expon.desc(size=ne, tau=5.), delay=0.1,
 *                  comm=bp.dnn.JitFPHomoLinear(ne, ne, prob=0.02, weight=0.6), out=bp.dyn.COBA(E=0.), post=self.E)
 *     this.E2E = new bp.dyn.FullProjAlignPreSDMg({ pre: this.E, syn: bp.dyn.Expon.desc(ne, { tau: 5 }), delay: 0.1,
 *                  comm: new bp.dnn.JitFPHomoLinear(ne, ne, { prob: 0.02, weight: 0.6 }), out: new bp.dyn.COBA({ E: 0 }), post: this.E });
 *
 * Where the synapse runs (all as upstream):
 * - *SD* (synapse, then delay): an after-update of pre, `_AlignPre`, computes g = syn(pre's output) and writes g into
 *   a VarDelay of g (init_delay_by_return); `update(x?)` reads that delay's entry named after the projection (unless
 *   x is given), current = comm(g_delayed), out.bind_cond(current).
 *   SDMg merges: projections from one pre with the same syn descriptor share the synapse and its delay (after-update
 *   key `'<syn identifier> // Delay'`), each with its own delay entry.
 * - *DS* (delay, then synapse): the pre group's spike VarDelay (register_delay_by_return) feeds the synapse.
 *   DSMg: the synapse is a before-update of that VarDelay, `_AlignPreMg`, so it runs when pre has updated and
 *   before the delay records the new spikes: g = syn(delay.at(entry)) (a DelayAccess: the entry is named after the
 *   first projection with that (delay, syn)); merged by the key `'Delay(<delay>) // <syn identifier>'`.
 *   `update()`: current = comm(syn.g), out.bind_cond(current).
 *   DS (non-merging) owns its synapse and calls it in `update()`: g = syn(delay.at(name)), current = comm(g).
 * `out` is an instance (upstream checks it); `syn` is a descriptor for the Mg forms and an instance otherwise.
 * The DSMg key prints the delay as JavaScript does (1, not Python's 1.0): merging is by equal delays either way.
 */
import type { Tensor } from '../../../torch/index';
import { fail } from '../../../torch/utils/checks';
import { DelayAccess, init_delay_by_return, register_delay_by_return, VarDelay } from '../../delay';
import { DynamicalSystem, Projection, type InputFun } from '../../dynsys';
import { ParamDescriber } from '../../mixin';
import type { SynOut } from '../outs';
import {
  _get_return, callComm, checkComm, checkDelay, checkDS, checkLabel, checkOutInstance, parseArgs, projOptions, type Comm,
} from './utils';

/** pre's after-update of the SD forms: `x >> syn >> delay`, i.e. delay(syn(x)). */
export class _AlignPre extends DynamicalSystem {
  constructor(readonly syn: DynamicalSystem, readonly delay: VarDelay) { super(); }
  override update(x: Tensor): void { this.delay.call(this.syn.call(x)); }
}

/** The pre VarDelay's before-update of FullProjAlignPreDSMg: syn(access()). */
export class _AlignPreMg extends DynamicalSystem {
  constructor(readonly access: DelayAccess, readonly syn: DynamicalSystem) { super(); }
  override update(): unknown { return this.syn.call(this.access.call()); }
}

function checkSynDesc(fn: string, syn: unknown): ParamDescriber {
  if (!(syn instanceof ParamDescriber)) fail(fn, 'syn', 'a synapse descriptor (bp.dyn.Expon.desc(...))', syn);
  return syn as ParamDescriber;
}

function checkSynInstance(fn: string, syn: unknown): DynamicalSystem {
  if (!(syn instanceof DynamicalSystem)) fail(fn, 'syn', 'a synapse instance (bp.dyn.Expon(...); not a .desc(...))', syn);
  return syn as DynamicalSystem;
}

const SD_KEYS = ['pre', 'syn', 'delay', 'comm', 'out', 'post', 'out_label', 'name', 'mode'];
const DS_KEYS = ['pre', 'delay', 'syn', 'comm', 'out', 'post', 'out_label', 'name', 'mode'];

/**
 * What the four share: the checked pre, comm, out, post and out_label, the output registered as a current input of
 * post (`_addOutput`, called by each once its synapse and delay are set up, as upstream orders it) and the bind.
 */
abstract class _AlignPreProj extends Projection {
  readonly pre: DynamicalSystem;
  readonly comm: Comm;
  readonly out: SynOut;
  readonly post: DynamicalSystem;
  readonly out_label: string | null;
  syn!: DynamicalSystem;

  constructor(fn: string, o: Record<string, unknown>) {
    super(projOptions(o));
    this.pre = checkDS(fn, 'pre', o.pre);
    this.comm = checkComm(fn, o.comm);
    this.out = checkOutInstance(fn, o.out, false);
    this.post = checkDS(fn, 'post', o.post);
    this.out_label = checkLabel(fn, o.out_label);
  }

  protected _addOutput(): void { this.post.add_inp_fun(this.name, this.out as InputFun, this.out_label); }

  /** current = comm(x); out.bind_cond(current); returns current. */
  protected _bind(x: Tensor): Tensor {
    const current = callComm(this.constructor.name, this.comm, x);
    this.out.bind_cond(current);
    return current;
  }
}

/** The SD forms: `update(x?)` maps x, or else the synapse's g read from its delay at the projection's entry. */
abstract class _AlignPreSD extends _AlignPreProj {
  delay!: VarDelay;
  override update(x?: Tensor | null): Tensor { return this._bind(x ?? this.delay.at(this.name)); }
}

/** bp.dyn.FullProjAlignPreSDMg(pre, syn: desc, delay, comm, out, post, out_label = null, { name, mode }). */
export class FullProjAlignPreSDMg extends _AlignPreSD {
  static override readonly _invisible_nodes = ['pre', 'post', 'out', 'delay', 'syn'];

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.FullProjAlignPreSDMg';
    const o = parseArgs(fn, SD_KEYS, args);
    super(fn, o);
    const desc = checkSynDesc(fn, o.syn);
    const delay = checkDelay(fn, o.delay);
    const key = `${desc.identifier} // Delay`;
    if (!this.pre.has_aft_update(key)) {
      const syn = checkSynInstance(fn, desc.call());
      this.pre.add_aft_update(key, new _AlignPre(syn, init_delay_by_return(syn.return_info())));
    }
    const hook = this.pre.get_aft_update(key);
    if (!(hook instanceof _AlignPre)) throw new Error(`${fn}: ${this.pre.name}'s after-update ${JSON.stringify(key)} is not an align-pre hook`);
    this.syn = hook.syn;
    this.delay = hook.delay;
    this.delay.register_entry(this.name, delay);
    this._addOutput();
  }
}

/** bp.dyn.FullProjAlignPreDSMg(pre, delay, syn: desc, comm, out, post, out_label = null, { name, mode }). */
export class FullProjAlignPreDSMg extends _AlignPreProj {
  static override readonly _invisible_nodes = ['pre', 'post', 'out', 'syn'];

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.FullProjAlignPreDSMg';
    const o = parseArgs(fn, DS_KEYS, args);
    super(fn, o);
    const desc = checkSynDesc(fn, o.syn);
    const delay = checkDelay(fn, o.delay);
    const delayCls = register_delay_by_return(this.pre);
    const key = `Delay(${delay === null ? 'None' : delay}) // ${desc.identifier}`;
    if (!delayCls.has_bef_update(key)) {
      const access = new DelayAccess(delayCls, delay, this.name);
      delayCls.add_bef_update(key, new _AlignPreMg(access, checkSynInstance(fn, desc.call())));
    }
    const hook = delayCls.get_bef_update(key);
    if (!(hook instanceof _AlignPreMg)) throw new Error(`${fn}: ${delayCls.name}'s before-update ${JSON.stringify(key)} is not an align-pre hook`);
    this.syn = hook.syn;
    this._addOutput();
  }

  /** current = comm(the synapse's return_info value); out.bind_cond(current); returns current. */
  override update(): Tensor { return this._bind(_get_return(`${this.constructor.name}.update`, this.syn.return_info())); }
}

/** bp.dyn.FullProjAlignPreSD(pre, syn, delay, comm, out, post, out_label = null, { name, mode }). */
export class FullProjAlignPreSD extends _AlignPreSD {
  static override readonly _invisible_nodes = ['pre', 'post', 'out', 'delay', 'syn'];

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.FullProjAlignPreSD';
    const o = parseArgs(fn, SD_KEYS, args);
    super(fn, o);
    this.syn = checkSynInstance(fn, o.syn);
    this.delay = init_delay_by_return(this.syn.return_info());
    this.delay.register_entry(this.name, checkDelay(fn, o.delay));
    this.pre.add_aft_update(this.name, new _AlignPre(this.syn, this.delay));
    this._addOutput();
  }
}

/** bp.dyn.FullProjAlignPreDS(pre, delay, syn, comm, out, post, out_label = null, { name, mode }). */
export class FullProjAlignPreDS extends _AlignPreProj {
  static override readonly _invisible_nodes = ['pre', 'post', 'out', 'delay'];
  readonly delay: VarDelay;

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.FullProjAlignPreDS';
    const o = parseArgs(fn, DS_KEYS, args);
    super(fn, o);
    this.syn = checkSynInstance(fn, o.syn);
    this.delay = register_delay_by_return(this.pre);
    this.delay.register_entry(this.name, checkDelay(fn, o.delay));
    this._addOutput();
  }

  /** g = comm(syn(delay.at(name))); out.bind_cond(g); returns g. */
  override update(): Tensor { return this._bind(this.syn.call(this.delay.at(this.name))); }
}
