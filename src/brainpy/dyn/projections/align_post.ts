/**
 * brainpy.dyn projections with the align-post reduction (BrainPy 2.x, brainpy/_src/dyn/projections/align_post.py,
 * aligns.py in earlier 2.x releases):
 * HalfProjAlignPostMg, FullProjAlignPostMg, HalfProjAlignPost, FullProjAlignPost.
 *
 *     bp.dyn.HalfProjAlignPostMg(comm=…, syn=bp.dyn.Expon.desc(4000, tau=5.), out=bp.dyn.COBA.desc(E=0.), post=N)
 *     new bp.dyn.HalfProjAlignPostMg({ comm, syn: bp.dyn.Expon.desc(4000, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 0 }), post: N })
 *     new bp.dyn.HalfProjAlignPostMg(comm, syn, out, post, out_label?, { name? })        // positional, as Python
 *
 * Update orders (reference notes §6.1):
 * - *Mg* (merging) projections take `syn` and `out` as descriptors (`Cls.desc(...)`). The first projection with a
 *   given `(out_label, syn.identifier, out.identifier)` builds the synapse and the output, registers the output as a
 *   current input of `post` (`post.add_inp_fun(proj.name, out, out_label)`) and a before-update hook on `post` that
 *   decays the synapse (`syn()`) and binds its g to the output. Later projections with identical descriptors reuse
 *   that synapse (one conductance). `update(spk)` adds `comm(spk)` to g at once; the post neuron's hook then decays
 *   it in the same step: **g_n = (g_{n−1} + Δ_n)·e^(−dt/τ)**.
 * - Non-Mg projections own their synapse and output (instances; a descriptor is also accepted and built):
 *   `update(spk)`: `g = syn(comm(spk))` (decay, then add), `out.bind_cond(g)`: **g_n = g_{n−1}·e^(−dt/τ) + Δ_n**.
 * - Full* projections read their pre-synaptic spikes themselves from the pre group's VarDelay
 *   (`register_delay_of_target(pre)`, entry = the projection's name, step ceil(delay/dt); a null / 0 delay reads the
 *   group's current spikes), as BrainPy 2.8.2 does for every delay. `update()` takes no argument.
 * - `out_label` prefixes the input key as `label // name` (so `post.sum_current_inputs(V, { label })` selects it).
 * `comm` is any callable layer (bp.dnn: Dense, EventJitFPHomoLinear, EventCSRLinear, …) mapping pre → post values.
 */
import { Tensor } from '../../../torch/index';
import { fail } from '../../../torch/utils/checks';
import { register_delay_of_target, type VarDelay } from '../../delay';
import { DynamicalSystem, Projection, type InputFun } from '../../dynsys';
import { ParamDescriber } from '../../mixin';
import type { Mode } from '../../math/modes';
import type { SynOut } from '../outs';
import {
  callComm, checkComm, checkDelay, checkDS, checkLabel, checkOutInstance, parseArgs, projOptions, type Comm,
} from './utils';

/** A synapse usable by align-post projections (bp.dyn.Expon): `call(x?)` decays (then adds x) and returns g. */
export interface AlignPostSyn extends DynamicalSystem {
  align_post_input_add(x: Tensor | number): void;
}

/** Python's `f'{out_label} // {syn.identifier} // {out.identifier}'` (None → 'None'). */
function postRepr(label: string | null, syn: ParamDescriber, out: ParamDescriber): string {
  return `${label ?? 'None'} // ${syn.identifier} // ${out.identifier}`;
}

/**
 * comm(x) for a synapse's add: written into the synapse's own array (bp.dyn.Expon's P, beside g) when both allow it
 * (an event JIT layer called plainly), so that the add is one SIMD pass; else called as usual.
 */
function commFor(who: string, comm: Comm, x: Tensor, syn: AlignPostSyn): Tensor {
  const c = comm as { _call_into?: (x: Tensor, into: Float32Array) => Tensor | null };
  if (typeof c._call_into === 'function') {
    const into = (syn as { _delta_buffer?: () => Float32Array | null })._delta_buffer?.() ?? null;
    const r = into !== null ? c._call_into(x, into) : null;
    if (r !== null) return r;
  }
  return callComm(who, comm, x);
}

/** The before-update hook of the post group: decay the merged synapse and bind its g to the output. */
export class _AlignPost extends DynamicalSystem {
  constructor(readonly syn: AlignPostSyn, readonly out: SynOut) { super(); }
  override update(): void {
    const g = this.syn.call();
    if (!(g instanceof Tensor)) throw new Error(`_AlignPost: the synapse ${this.syn.name} must return its conductance (a Tensor)`);
    this.out.bind_cond(g);
  }
}

/** Lets a neuron group keep the synapse's g in its own arena (bp.dyn LIFs: its step then reads g in place). */
function attachSyn(post: DynamicalSystem, syn: AlignPostSyn): void {
  (post as { _adopt_synapse?: (s: unknown) => void })._adopt_synapse?.(syn);
}

function checkSynInstance(fn: string, syn: unknown): AlignPostSyn {
  if (!(syn instanceof DynamicalSystem) || typeof (syn as { align_post_input_add?: unknown }).align_post_input_add !== 'function') {
    return fail(fn, 'syn', 'an align-post synapse (bp.dyn.Expon or its .desc(...))', syn);
  }
  return syn as AlignPostSyn;
}

/** The shared synapse/output of `post` for these descriptors (built and registered on first use). */
function alignPostAddBefUpdate(fn: string, label: string | null, synDesc: unknown, outDesc: unknown, post: DynamicalSystem, projName: string): _AlignPost {
  if (!(synDesc instanceof ParamDescriber)) fail(fn, 'syn', 'a descriptor (bp.dyn.Expon.desc(...))', synDesc);
  if (!(outDesc instanceof ParamDescriber)) fail(fn, 'out', 'a descriptor (bp.dyn.COBA.desc(...))', outDesc);
  const key = postRepr(label, synDesc as ParamDescriber, outDesc as ParamDescriber);
  if (!post.has_bef_update(key)) {
    const syn = checkSynInstance(fn, (synDesc as ParamDescriber).call());
    const out = checkOutInstance(fn, (outDesc as ParamDescriber).call(), true);
    post.add_inp_fun(projName, out as InputFun, label);
    post.add_bef_update(key, new _AlignPost(syn, out));
    attachSyn(post, syn);
  }
  const hook = post.get_bef_update(key);
  if (!(hook instanceof _AlignPost)) throw new Error(`${fn}: ${post.name}'s before-update ${JSON.stringify(key)} is not an align-post hook`);
  return hook;
}

export interface HalfProjArgs { comm: unknown; syn: unknown; out: unknown; post: DynamicalSystem; out_label?: string | null; name?: string | null; mode?: Mode | null }
export interface FullProjArgs extends HalfProjArgs { pre: DynamicalSystem; delay?: number | null }

const HALF_KEYS = ['comm', 'syn', 'out', 'post', 'out_label', 'name', 'mode'];
const FULL_KEYS = ['pre', 'delay', ...HALF_KEYS];

/** Sets up the delay of a Full* projection: the pre group's VarDelay with an entry named after the projection. */
function setupDelay(proj: DynamicalSystem, pre: DynamicalSystem, delay: number | null): VarDelay {
  // as upstream, always: a null / 0 entry reads the pre group's current value (delay.at gives it)
  const d = register_delay_of_target(pre);
  d.register_entry(proj.name, delay);
  return d;
}

/** bp.dyn.HalfProjAlignPostMg(comm, syn: desc, out: desc, post, out_label = null): merging half projection. */
export class HalfProjAlignPostMg extends Projection {
  static override readonly _invisible_nodes = ['syn', 'out', 'post'];
  readonly comm: Comm;
  readonly syn: AlignPostSyn;
  readonly out: SynOut;
  readonly post: DynamicalSystem;
  readonly out_label: string | null;

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.HalfProjAlignPostMg';
    const o = parseArgs(fn, HALF_KEYS, args);
    super(projOptions(o));
    this.comm = checkComm(fn, o.comm);
    this.post = checkDS(fn, 'post', o.post);
    this.out_label = checkLabel(fn, o.out_label);
    const hook = alignPostAddBefUpdate(fn, this.out_label, o.syn, o.out, this.post, this.name);
    this.syn = hook.syn;
    this.out = hook.out;
  }

  /** g += comm(x) now (decayed later in this step by the post group's hook); returns comm(x). */
  override update(x: Tensor): Tensor {
    const current = commFor(this.constructor.name, this.comm, x, this.syn);
    this.syn.align_post_input_add(current);
    return current;
  }
}

/** bp.dyn.FullProjAlignPostMg(pre, delay, comm, syn: desc, out: desc, post, out_label = null): merging full projection. */
export class FullProjAlignPostMg extends Projection {
  static override readonly _invisible_nodes = ['syn', 'out', 'post', 'pre', 'delay'];
  readonly pre: DynamicalSystem;
  readonly delay: VarDelay;
  readonly comm: Comm;
  readonly syn: AlignPostSyn;
  readonly out: SynOut;
  readonly post: DynamicalSystem;
  readonly out_label: string | null;

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.FullProjAlignPostMg';
    const o = parseArgs(fn, FULL_KEYS, args);
    super(projOptions(o));
    this.pre = checkDS(fn, 'pre', o.pre);
    this.comm = checkComm(fn, o.comm);
    this.post = checkDS(fn, 'post', o.post);
    this.out_label = checkLabel(fn, o.out_label);
    this.delay = setupDelay(this, this.pre, checkDelay(fn, o.delay));
    const hook = alignPostAddBefUpdate(fn, this.out_label, o.syn, o.out, this.post, this.name);
    this.syn = hook.syn;
    this.out = hook.out;
  }

  /** x = delayed (or current) pre spikes; g += comm(x); returns comm(x). */
  override update(): Tensor {
    const x = this.delay.at(this.name);
    const current = commFor(this.constructor.name, this.comm, x, this.syn);
    this.syn.align_post_input_add(current);
    return current;
  }
}

function buildOrUse<T>(x: unknown): T { return (x instanceof ParamDescriber ? x.call() : x) as T; }

/** bp.dyn.HalfProjAlignPost(comm, syn, out, post, out_label = null): non-merging half projection. */
export class HalfProjAlignPost extends Projection {
  static override readonly _invisible_nodes = ['post'];
  readonly comm: Comm;
  readonly syn: AlignPostSyn;
  readonly out: SynOut;
  readonly post: DynamicalSystem;
  readonly out_label: string | null;

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.HalfProjAlignPost';
    const o = parseArgs(fn, HALF_KEYS, args);
    super(projOptions(o));
    this.comm = checkComm(fn, o.comm);
    this.syn = checkSynInstance(fn, buildOrUse(o.syn));
    this.out = checkOutInstance(fn, buildOrUse(o.out), true);
    this.post = checkDS(fn, 'post', o.post);
    this.out_label = checkLabel(fn, o.out_label);
    this.post.add_inp_fun(this.name, this.out as InputFun, this.out_label);
    attachSyn(this.post, this.syn);
  }

  /** g = syn(comm(x)) (decay, then add); out.bind_cond(g); returns comm(x). */
  override update(x: Tensor): Tensor {
    const current = commFor(this.constructor.name, this.comm, x, this.syn);
    const g = this.syn.call(current);
    this.out.bind_cond(g);
    return current;
  }
}

/** bp.dyn.FullProjAlignPost(pre, delay, comm, syn, out, post, out_label = null): non-merging full projection. */
export class FullProjAlignPost extends Projection {
  static override readonly _invisible_nodes = ['post', 'pre', 'delay'];
  readonly pre: DynamicalSystem;
  readonly delay: VarDelay;
  readonly comm: Comm;
  readonly syn: AlignPostSyn;
  readonly out: SynOut;
  readonly post: DynamicalSystem;
  readonly out_label: string | null;

  constructor(...args: unknown[]) {
    const fn = 'bp.dyn.FullProjAlignPost';
    const o = parseArgs(fn, FULL_KEYS, args);
    super(projOptions(o));
    this.pre = checkDS(fn, 'pre', o.pre);
    this.comm = checkComm(fn, o.comm);
    this.syn = checkSynInstance(fn, buildOrUse(o.syn));
    this.out = checkOutInstance(fn, buildOrUse(o.out), true);
    this.post = checkDS(fn, 'post', o.post);
    this.out_label = checkLabel(fn, o.out_label);
    this.delay = setupDelay(this, this.pre, checkDelay(fn, o.delay));
    this.post.add_inp_fun(this.name, this.out as InputFun, this.out_label);
    attachSyn(this.post, this.syn);
  }

  /** x = delayed (or current) pre spikes; g = syn(comm(x)); out.bind_cond(g); returns g. */
  override update(): Tensor {
    const x = this.delay.at(this.name);
    const g = this.syn.call(commFor(this.constructor.name, this.comm, x, this.syn));
    this.out.bind_cond(g);
    return g;
  }
}
