/**
 * brainpy.dyn.outs (BrainPy 2.x, brainpy/_src/dyn/outs/outputs.py): synaptic outputs that turn a bound conductance
 * into a current for the post-synaptic neuron.
 *
 *     out = bp.dyn.COBA(E=0.)                        const out = new bp.dyn.COBA({ E: 0 });
 *     out.bind_cond(g); I = out(V)                   out.bind_cond(g); const I = out.call(V);
 *     bp.dyn.COBA.desc(E=-80.)                       bp.dyn.COBA.desc({ E: -80 })
 *
 * - `COBA(E)`: I = g·(E − V);  `CUBA()`: I = g.
 * - `bind_cond(g)` keeps a reference to g (a Tensor, usually the synapse's g Variable, or a number); calling the
 *   output without a bound conductance raises; `unbind_cond()` forgets it.
 * - Registered as a current input of a neuron (`post.add_inp_fun(key, out)`): the Lif kernels add I + g·(E − V) or
 *   I + g themselves; the *LTC* neurons also sum COBA's slope −g into the exponential-Euler Jacobian, so they
 *   integrate the conductance exactly.
 */
import { Tensor } from '../../torch/index';
import { describe, fail } from '../../torch/utils/checks';
import { DynamicalSystem } from '../dynsys';
import type { Mode } from '../math/modes';
import { checkKeys, num } from './_common';

/** bp.dyn.SynOut: the base of synaptic outputs (BrainPy's BindCondData mixin included). */
export abstract class SynOut extends DynamicalSystem {
  protected _conductance: Tensor | number | null = null;

  /** Binds the conductance used by the next calls. */
  bind_cond(conductance: Tensor | number): void {
    if (!(conductance instanceof Tensor) && typeof conductance !== 'number') fail(`${this.constructor.name}.bind_cond`, 'conductance', 'a Tensor or a number', conductance);
    this._conductance = conductance;
  }

  unbind_cond(): void { this._conductance = null; }

  /** `out(V)`: update(bound conductance, V). */
  override forward(...args: any[]): any {
    if (this._conductance === null) {
      throw new Error(`${this.constructor.name}: ${this.name} does not have the conductance data; please call bind_cond(g) first`);
    }
    return this.update(this._conductance, ...args);
  }

  /** The bound conductance as n float32 values (a view when it is a contiguous float32 Tensor). */
  protected _g(n: number): Float32Array | number {
    const g = this._conductance;
    if (g === null) throw new Error(`${this.constructor.name}: ${this.name} does not have the conductance data; please call bind_cond(g) first`);
    if (typeof g === 'number') return g;
    const m = g.numel();
    if (m === 1) return Number(g.item());
    if (m !== n) throw new Error(`${this.constructor.name}: the bound conductance has ${m} elements (${describe(g)}) but the neuron group has ${n}`);
    if (g.dtype === 'float32' && g.is_contiguous()) {
      const b = g.buffer as Float32Array;
      return g.offset === 0 && b.length === n ? b : b.subarray(g.offset, g.offset + n);
    }
    const c = g.contiguous().to('float32');
    return (c.buffer as Float32Array).subarray(c.offset, c.offset + n);
  }


  /** The bound conductance for the neurons' step kernels (see isCondCurrent). */
  _cond_g(n: number): Float32Array | number { return this._g(n); }

  /** The reversal potential of a conductance output (COBA's E), or null for a current output (CUBA: I = g). */
  abstract get _cond_E(): number | null;
}

/**
 * Outputs the Lif / LifRef kernels add themselves, in registration order: I + g·(E − V) (COBA) or I + g (CUBA),
 * with g = `_cond_g(n)` and E = `_cond_E`. Other outputs (and subclasses with their own update) are called.
 */
export function isCondCurrent(x: unknown): x is SynOut {
  return (x instanceof COBA && x.update === COBA.prototype.update) || (x instanceof CUBA && x.update === CUBA.prototype.update);
}

/** bp.dyn.COBA(E): conductance-based output, I = g·(E − V). */
export class COBA extends SynOut {
  E: number;

  constructor(options?: { E?: number; sharding?: null; name?: string | null; mode?: Mode | null }) {
    const fn = 'bp.dyn.COBA';
    const o = checkKeys(fn, options, ['E', 'sharding', 'name', 'mode']);
    super({ name: o.name, mode: o.mode });
    if (o.sharding !== undefined && o.sharding !== null) fail(fn, 'sharding', 'null (one CPU device)', o.sharding);
    this.E = num(fn, 'E', o.E, 0);
  }

  get _cond_E(): number { return this.E; }

  /** g·(E − V) */
  override update(conductance: Tensor | number, potential: Tensor | number): Tensor | number {
    const fn = 'COBA.update';
    if (!(potential instanceof Tensor) && typeof potential !== 'number') fail(fn, 'potential', 'a Tensor or a number', potential);
    if (!(conductance instanceof Tensor) && typeof conductance !== 'number') fail(fn, 'conductance', 'a Tensor or a number', conductance);
    const drive = typeof potential === 'number' ? this.E - potential : potential.neg().add(this.E);
    if (typeof conductance === 'number') return typeof drive === 'number' ? conductance * drive : drive.mul(conductance);
    return conductance.mul(drive);
  }
}

/** bp.dyn.CUBA(): current-based output, I = g. */
export class CUBA extends SynOut {
  constructor(options?: { name?: string | null; mode?: Mode | null }) {
    const o = checkKeys('bp.dyn.CUBA', options, ['name', 'mode']);
    super({ name: o.name, mode: o.mode });
  }

  get _cond_E(): null { return null; }

  /** g (the potential is ignored). */
  override update(conductance: Tensor | number, _potential?: Tensor | number): Tensor | number {
    if (!(conductance instanceof Tensor) && typeof conductance !== 'number') fail('CUBA.update', 'conductance', 'a Tensor or a number', conductance);
    return conductance;
  }
}
