/**
 * bp.DynSysGroup (BrainPy 2.x, brainpy/_src/dynsys.py): a container of dynamical systems.
 *
 *     class EINet(bp.DynSysGroup):                   class EINet extends bp.DynSysGroup {
 *         def __init__(self):                            constructor() {
 *             super().__init__()                             super();
 *             self.N = bp.dyn.LifRef(...)                    this.N = new bp.dyn.LifRef(…);
 *     bp.DynSysGroup(a, b, proj=p)                   new bp.DynSysGroup(a, b, { proj: p })
 *
 * The default `update()` follows BrainPy: among the group's direct children (the DynamicalSystems held in its own
 * properties or given to the constructor, each once, in insertion order), it calls (1) the projections, then
 * (2) the dynamics (neuron groups and synapses: bp.dyn's Lif*, Expon, anything with `varshape`), then (3) all the
 * others (delays, nested groups, …), each with no argument. Children listed in a projection's `_invisible_nodes`
 * are references, not children of the group, so they are not reached through the projection. Subclasses usually
 * override `update` (the EINet examples do).
 */
import { fail, isPlainObject } from '../../torch/utils/checks';
import { DynamicalSystem } from '../dynsys';
import type { Mode } from '../math/modes';
import { Projection } from '../dynsys';

/** BrainPy's `Dynamic`: a model with state of its own shape (neuron groups, synapses). */
export function _isDynamic(x: DynamicalSystem): boolean {
  return !(x instanceof Projection) && !(x instanceof DynSysGroup) && Array.isArray((x as { varshape?: unknown }).varshape);
}

export class DynSysGroup extends DynamicalSystem {
  /** Children given to the constructor (positional ones keyed by their name). */
  readonly _group_children = new Map<string, DynamicalSystem>();

  constructor(...args: unknown[]) {
    let options: { name?: string | null; mode?: Mode | null } | undefined;
    const kids: [string | null, DynamicalSystem][] = [];
    for (const a of args) {
      if (a instanceof DynamicalSystem) kids.push([null, a]);
      else if (isPlainObject(a)) {
        const o = a as Record<string, unknown>;
        for (const [k, v] of Object.entries(o)) {
          if (k === 'name' || k === 'mode') { options ??= {}; (options as Record<string, unknown>)[k] = v; }
          else if (v instanceof DynamicalSystem) kids.push([k, v]);
          else fail('bp.DynSysGroup', `child ${JSON.stringify(k)}`, 'a bp.DynamicalSystem', v);
        }
      } else fail('bp.DynSysGroup', 'a child', 'a bp.DynamicalSystem or an object of them', a);
    }
    super(options);
    for (const [k, v] of kids) this._group_children.set(k ?? v.name, v);
  }

  /** The direct children: own DynamicalSystem properties, then the constructor's children, each once. */
  nodes(): DynamicalSystem[] {
    const seen = new Set<DynamicalSystem>([this]);
    const out: DynamicalSystem[] = [];
    const add = (v: unknown): void => {
      if (v instanceof DynamicalSystem && !seen.has(v)) { seen.add(v); out.push(v); }
    };
    for (const v of Object.values(this)) add(v);
    for (const v of this._group_children.values()) add(v);
    return out;
  }

  /** Projections, then dynamics, then the others (BrainPy's DynSysGroup.update); each called with no argument. */
  override update(..._args: any[]): any {
    const nodes = this.nodes();
    for (const n of nodes) if (n instanceof Projection) n.call();
    for (const n of nodes) if (_isDynamic(n)) n.call();
    for (const n of nodes) if (!(n instanceof Projection) && !_isDynamic(n)) n.call();
  }

  override reset_state(batch_size?: number | null): void {
    super.reset_state(batch_size);
    for (const v of this._group_children.values()) v.reset_state(batch_size);
  }
}
