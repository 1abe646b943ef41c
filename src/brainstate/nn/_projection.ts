/**
 * brainstate.nn._projection (brainstate 0.1.10): AlignPostProj, ParamDescriber (`Expon.desc`), and the prefetch/delay
 * wiring (`pre.prefetch('V').delay.at(1.0)`).
 *
 *     proj = brainstate.nn.AlignPostProj(comm=brainstate.nn.EventFixedProb(3200, 4000, 0.02, 0.6),
 *                                        syn=brainstate.nn.Expon.desc(4000, tau=5.),
 *                                        out=brainstate.nn.COBA.desc(E=0.), post=N)            (Python, units dropped)
 *     const proj = new nn.AlignPostProj({ comm: new nn.EventFixedProb(3200, 4000, 0.02, 0.6),
 *                                         syn: nn.Expon.desc(4000, { tau: 5 }),
 *                                         out: nn.COBA.desc(0), post: N });                       (TypeScript)
 *     proj(spk)                                                                  →  proj.call(spk)
 *
 * Wiring (reference notes §6.2): with descriptors, the projection creates syn and out (or reuses those of an earlier
 * projection onto the same post whose descriptors have the same identity: class and arguments — then the two
 * projections share one conductance), registers `out` as a current input of `post` and a before-update hook of `post`
 * that runs `out.bind_cond(syn())`. `update(x)`: x passes through the leading modules (if any; with x omitted the first
 * module is called with no argument, e.g. a prefetch), then `syn.add_delta_input(name, comm(x))`. The delta input is
 * consumed when post's hook updates syn (once per post step, before post integrates), so
 *     g_n = g_{n−1}·e^(−dt/τ) + Δ_n      (Δ_n = comm(x) given at step n, NOT decayed within step n)
 * and post integrates step n with g_n. With syn/out instances instead of descriptors (no merging), `update` adds the
 * delta input and at once runs `out.bind_cond(syn())` itself (my reading of upstream; the notes document the
 * descriptor path), which gives the same g_n when the projection runs before post.
 *
 * DeltaProj(...prefetch, { comm, post, label }) and CurrentProj(...prefetch, { comm, out, post }) (also 0.1.10): the
 * input goes through the prefetch modules (a function is called, a State gives its value), then comm; DeltaProj adds
 * the result as a value delta input of post (used once, by post's next step: V += Σ delta), CurrentProj binds it to
 * `out`, a current input of post. CurrentProj's last prefetch module must be a Prefetch or PrefetchDelayAt.
 *
 * prefetch: `module.prefetch(item)` (item: a State attribute → its value, a method → its result, e.g. 'get_spike');
 * called with no argument it returns the current value; `.delay.at(time)` registers entry time on one Delay per
 * (module, item) (created on first use, updated by an after-update hook of module with the value after each update)
 * and returns a callable reading that entry. Delay: step = ceil(time/dt), rotation buffer indexed by environ `i`, so a
 * read at step i returns the value stored at step i − step (value before t0: 0). Registering a longer delay after the
 * first step raises.
 */
import * as torch from '../../torch/index';
import { fail, isPlainObject } from '../../torch/utils/checks';
import { State } from '../_state';
import { Delay } from './_delay';
import { Dynamics } from './_dynamics';
import { SynOut } from './_synouts';
import { _is_align_post } from './_synapse';
import { ParamDescriber } from './_describe';

export { ParamDescriber, describe } from './_describe';

type Tensor = torch.Tensor;
type Callable = ((...a: any[]) => any) | { call: (...a: any[]) => any };

const invoke = (m: Callable, args: unknown[]): any => (typeof m === 'function' ? m(...args) : m.call(...args));
const isCallable = (m: unknown): m is Callable =>
  typeof m === 'function' || (typeof m === 'object' && m !== null && typeof (m as { call?: unknown }).call === 'function');

// ---------------------------------------------------------------- prefetch / delay

function readItem(module: Dynamics, item: string): Tensor {
  const fn = `${module.constructor.name}.prefetch`;
  const v = (module as unknown as Record<string, unknown>)[item];
  if (v instanceof State) return v.value as Tensor;
  if (typeof v === 'function') return (v as () => Tensor).call(module);
  if (v instanceof torch.Tensor) return v;
  fail(fn, `item "${item}"`, 'the name of a State, a method or a Tensor attribute of the module', v);
}

/** StateWithDelay: the Delay of one (module, item), filled after each module update. */
export class StateWithDelay {
  delay: Delay | null = null;
  private entries = new Map<string, number | null>();
  constructor(readonly module: Dynamics, readonly item: string) {}

  register_entry(time: number | null): string {
    const key = `${time}`;
    if (!this.entries.has(key)) this.entries.set(key, time);
    if (this.delay !== null && !this.delay._registered_entries.has(key)) this.delay.register_entry(key, time);
    return key;
  }

  private ensure(): Delay {
    if (this.delay === null) {
      this.delay = new Delay(readItem(this.module, this.item));
      for (const [k, t] of this.entries) this.delay.register_entry(k, t);
      this.delay.init_state();
    }
    return this.delay;
  }

  /** The after-update hook: stores the item's value of this step. */
  update(): void { this.ensure().update(readItem(this.module, this.item)); }
  at(key: string): Tensor { return this.ensure().at(key); }
}

/** PrefetchDelayAt: `module.prefetch(item).delay.at(time)`; call() returns the value `time` ago. */
export class PrefetchDelayAt {
  key: string;
  state_delay: StateWithDelay;
  constructor(readonly module: Dynamics, readonly item: string, readonly time: number | null) {
    const hk = `${item}-prefetch-delay`;
    let sd = module._get_after_update(hk) as { owner?: StateWithDelay } | undefined;
    if (!sd) {
      const owner = new StateWithDelay(module, item);
      const hook = Object.assign(() => owner.update(), { owner });
      module._add_after_update(hk, hook);
      sd = hook;
    }
    this.state_delay = sd.owner!;
    this.key = this.state_delay.register_entry(time);
  }
  call(): Tensor { return this.state_delay.at(this.key); }
}

/** Prefetch: `module.prefetch(item)`; call() returns the current value, `.delay.at(time)` a delayed read. */
export class Prefetch {
  constructor(readonly module: Dynamics, readonly item: string) {
    if (typeof item !== 'string') fail(`${module.constructor.name}.prefetch`, 'item', 'a string', item);
  }
  get delay(): { at: (time: number | null) => PrefetchDelayAt } {
    return { at: (time: number | null) => new PrefetchDelayAt(this.module, this.item, time) };
  }
  call(): Tensor { return readItem(this.module, this.item); }
}

Dynamics._prefetch_impl = (module, item) => new Prefetch(module, item);

// ---------------------------------------------------------------- AlignPostProj

/** The before-update hook of post: `out.bind_cond(syn())`. */
class AlignPostHook {
  constructor(readonly syn: Dynamics, readonly out: SynOut) {}
  call(): void { this.out.bind_cond(this.syn.call() as Tensor); }
}

type ProjOpts = { comm: Callable; syn: ParamDescriber | Dynamics; out: ParamDescriber | SynOut; post: Dynamics; name?: string | null };
let projCount = 0;

/** AlignPostProj(...modules, { comm, syn, out, post, name }). */
export class AlignPostProj {
  modules: Callable[];
  comm: Callable;
  syn: Dynamics;
  out: SynOut;
  post: Dynamics;
  name: string;
  merging: boolean;

  constructor(...args: [...modules: Callable[], opts: ProjOpts]) {
    const fn = 'brainstate.nn.AlignPostProj';
    const o = args[args.length - 1] as ProjOpts;
    if (!isPlainObject(o)) fail(fn, 'options', 'a trailing object { comm, syn, out, post }', o);
    for (const k of Object.keys(o)) if (!['comm', 'syn', 'out', 'post', 'name'].includes(k)) fail(fn, k, 'one of comm, syn, out, post, name', k);
    this.modules = args.slice(0, -1) as Callable[];
    this.modules.forEach((m, k) => { if (!isCallable(m)) fail(fn, `modules[${k}]`, 'a function or an object with call()', m); });
    if (!isCallable(o.comm)) fail(fn, 'comm', 'a function or an object with call()', o.comm);
    if (!(o.post instanceof Dynamics)) fail(fn, 'post', 'a brainstate.nn.Dynamics (a neuron group)', o.post);
    this.comm = o.comm;
    this.post = o.post;
    this.name = o.name ?? `AlignPostProj${projCount++}`;
    const synD = o.syn instanceof ParamDescriber, outD = o.out instanceof ParamDescriber;
    if (synD && !_is_align_post((o.syn as ParamDescriber).cls)) {
      // upstream: `is_instance(syn, ParamDescriber[AlignPost])` fails → TypeError (e.g. Alpha.desc; an Alpha instance is accepted)
      throw new TypeError(`${fn}: syn must be a describer of an AlignPost synapse (Expon.desc, DualExpon.desc) or a synapse instance, got ${(o.syn as ParamDescriber).cls.name}.desc(...)`);
    }
    if (synD !== outD) throw new Error(`${fn}: syn and out must both be descriptors (Expon.desc(...), COBA.desc(...)) or both instances`);
    this.merging = synD;
    if (synD) {
      const sd = o.syn as ParamDescriber, od = o.out as ParamDescriber;
      const key = `(${sd.identifier} // ${od.identifier})`;
      if (!this.post._has_before_update(key)) {
        const syn = sd.call() as unknown, out = od.call() as unknown;
        if (!(syn instanceof Dynamics)) fail(fn, 'syn', 'a descriptor of a brainstate.nn synapse (Dynamics)', syn);
        if (!(out instanceof SynOut)) fail(fn, 'out', 'a descriptor of a SynOut (COBA, CUBA)', out);
        syn.init_state();
        const hook = new AlignPostHook(syn, out);
        this.post.add_current_input(this.name, out);
        this.post._add_before_update(key, Object.assign(() => hook.call(), { hook }));
      }
      const h = (this.post._get_before_update(key) as { hook: AlignPostHook }).hook;
      this.syn = h.syn;
      this.out = h.out;
    } else {
      if (!(o.syn instanceof Dynamics)) fail(fn, 'syn', 'a brainstate.nn synapse (Dynamics) or a descriptor', o.syn);
      if (!(o.out instanceof SynOut)) fail(fn, 'out', 'a SynOut (COBA, CUBA) or a descriptor', o.out);
      this.syn = o.syn;
      this.out = o.out;
      this.post.add_current_input(this.name, this.out);
    }
  }

  /** update(x?): x through the modules, comm, then a delta input of syn (see the file header). */
  update(x?: unknown): Tensor {
    let v: unknown = x;
    if (this.modules.length) {
      let k = 0;
      if (v === undefined) { v = invoke(this.modules[0], []); k = 1; }
      for (; k < this.modules.length; k++) v = invoke(this.modules[k], [v]);
    }
    if (v === undefined) throw new Error('AlignPostProj.update: no input (give x, or a prefetch module)');
    const current = invoke(this.comm, [v]) as Tensor;
    this.syn.add_delta_input(this.name, current);
    if (!this.merging) this.out.bind_cond(this.syn.call() as Tensor);
    return current;
  }

  /** Python's `__call__`. */
  call(x?: unknown): Tensor { return this.update(x); }
}

// ---------------------------------------------------------------- DeltaProj, CurrentProj

/** upstream `call_module`: a callable is called with the arguments, a State gives its value. */
function callModule(m: Callable | State, args: unknown[]): unknown { return m instanceof State ? m.value : invoke(m, args); }

/** `_check_modules`: every prefetch module is a callable or a State. */
function checkModules(fn: string, mods: unknown[]): (Callable | State)[] {
  mods.forEach((m, k) => { if (!isCallable(m) && !(m instanceof State)) fail(fn, `prefetch[${k}]`, 'a function, an object with call() or a brainstate.State', m); });
  return mods as (Callable | State)[];
}

/** The trailing options object of (...prefetch, options), its keys checked. */
function trailing(fn: string, args: unknown[], keys: string[]): [unknown[], Record<string, unknown>] {
  const o = args[args.length - 1];
  if (!isPlainObject(o)) fail(fn, 'options', `a trailing object { ${keys.join(', ')} }`, o);
  for (const k of Object.keys(o as object)) if (!keys.includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of ${keys.join(', ')}`);
  return [args.slice(0, -1), o as Record<string, unknown>];
}

/** x through the prefetch modules, each taking the previous result (the first one the call's arguments). */
function throughModules(mods: (Callable | State)[], x: unknown[]): unknown[] {
  for (const m of mods) x = [callModule(m, x)];
  return x;
}

/** DeltaProj(...prefetch, { comm, post, label, name }): comm(x) becomes a delta input of post. */
export class DeltaProj {
  prefetches: (Callable | State)[];
  comm: Callable;
  post: Dynamics;
  label: string | null;
  name: string;

  constructor(...args: [...prefetch: (Callable | State)[], opts: { comm: Callable; post: Dynamics; label?: string | null; name?: string | null }]) {
    const fn = 'brainstate.nn.DeltaProj';
    const [mods, o] = trailing(fn, args, ['comm', 'post', 'label', 'name']);
    this.prefetches = checkModules(fn, mods);
    if (!isCallable(o.comm)) fail(fn, 'comm', 'a function or an object with call()', o.comm);
    if (!(o.post instanceof Dynamics)) fail(fn, 'post', 'a brainstate.nn.Dynamics (a neuron group)', o.post);
    if (o.label != null && typeof o.label !== 'string') fail(fn, 'label', 'a string or null', o.label);
    this.comm = o.comm as Callable;
    this.post = o.post;
    this.label = (o.label ?? null) as string | null;
    this.name = (o.name as string | null | undefined) ?? `DeltaProj${projCount++}`;
  }

  update(...x: unknown[]): void {
    const v = throughModules(this.prefetches, x);
    if (v.length !== 1) throw new Error(`${this.constructor.name}.update: the prefetch modules' output must be a single value, got ${v.length} (AssertionError upstream)`);
    this.post.add_delta_input(this.name, invoke(this.comm, v) as Tensor, this.label);
  }

  /** Python's `__call__`. */
  call(...x: unknown[]): void { this.update(...x); }
}

/** CurrentProj(...prefetch, { comm, out, post, name }): comm(x) is bound to out, a current input of post. */
export class CurrentProj {
  prefetch: (Callable | State)[];
  comm: Callable;
  out: SynOut;
  post: Dynamics;
  name: string;

  constructor(...args: [...prefetch: (Callable | State)[], opts: { comm: Callable; out: SynOut; post: Dynamics; name?: string | null }]) {
    const fn = 'brainstate.nn.CurrentProj';
    const [mods, o] = trailing(fn, args, ['comm', 'out', 'post', 'name']);
    this.prefetch = checkModules(fn, mods);
    const last = mods[mods.length - 1];
    if (mods.length > 0 && !(last instanceof Prefetch) && !(last instanceof PrefetchDelayAt)) {
      fail(fn, 'the last prefetch module', 'a Prefetch or PrefetchDelayAt (module.prefetch(item), .delay.at(time))', last);
    }
    if (!(o.out instanceof SynOut)) fail(fn, 'out', 'a SynOut (COBA, CUBA)', o.out);
    if (!(o.post instanceof Dynamics)) fail(fn, 'post', 'a brainstate.nn.Dynamics (a neuron group)', o.post);
    if (!isCallable(o.comm)) fail(fn, 'comm', 'a function or an object with call()', o.comm);
    this.out = o.out;
    this.post = o.post;
    this.comm = o.comm as Callable;
    this.name = (o.name as string | null | undefined) ?? `CurrentProj${projCount++}`;
    this.post.add_current_input(this.name, this.out);
  }

  update(...x: unknown[]): void { this.out.bind_cond(invoke(this.comm, throughModules(this.prefetch, x)) as Tensor); }

  /** Python's `__call__`. */
  call(...x: unknown[]): void { this.update(...x); }
}
