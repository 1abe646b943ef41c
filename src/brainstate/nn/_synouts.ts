/**
 * brainstate.nn._synouts (brainstate 0.1.10): SynOut, COBA, CUBA — how a conductance becomes a current.
 *
 *     out = brainstate.nn.COBA(E=0.);  out.bind_cond(g);  I = out(V)
 *     const out = new nn.COBA(0);      out.bind_cond(g);  I = out.call(V)
 *
 * COBA(E): g·(E − V).  CUBA(scale=1): g·scale (upstream's default scale is 1 volt; unitless here).
 * Calling before bind_cond raises (ValueError upstream). Registered as a current input of a neuron
 * (`neu.add_current_input('coba', out)`), the neuron evaluates it inside its integrand at the reset potential, and its
 * derivative −g (COBA) enters the exponential Euler exponent, as brainstate's vector_grad does.
 */
import * as torch from '../../torch/index';
import { fail } from '../../torch/utils/checks';
import { ParamDescriber } from './_describe';
import { noGrad, scalarValue, valuesView } from './_dynamics';

type Tensor = torch.Tensor;

export class SynOut {
  _conductance: Tensor | number | null = null;

  /** BindCondData.bind_cond: the conductance used by the next calls. */
  bind_cond(conductance: Tensor | number): void {
    if (typeof conductance !== 'number' && !(conductance instanceof torch.Tensor)) fail(`${this.constructor.name}.bind_cond`, 'conductance', 'a number or a Tensor', conductance);
    this._conductance = conductance;
  }

  unbind_cond(): void {
    this._conductance = null;
  }

  protected _cond(fn: string): Tensor | number {
    if (this._conductance === null) {
      throw new Error(`${fn}: Please first pack conductance data at the current step using ".bind_cond(data)". ${this.constructor.name} (ValueError upstream)`);
    }
    return this._conductance;
  }

  /** Python's `__call__(potential)`. */
  call(potential?: Tensor | number): Tensor | number {
    return this.update(this._cond(`${this.constructor.name}.call`), potential);
  }

  update(_conductance: Tensor | number, _potential?: Tensor | number): Tensor | number {
    throw new Error(`${this.constructor.name}.update: NotImplementedError`);
  }

  /** @internal Adds the current at v into I and its derivative d/dv into J (typed-array path of the neurons). */
  _current_and_slope(_v: Float32Array, _shape: readonly number[], _I: Float64Array, _J: Float64Array): void {
    throw new Error(`${this.constructor.name}: no typed-array path`);
  }
}

export class COBA extends SynOut {
  /** COBA.desc(E): a ParamDescriber for AlignPostProj. */
  static desc(E: number | Tensor): ParamDescriber<COBA> { return new ParamDescriber(COBA, E); }

  E: number | Tensor;

  constructor(E: number | Tensor) {
    super();
    if (typeof E !== 'number' && !(E instanceof torch.Tensor)) fail('brainstate.nn.COBA', 'E', 'a number or a Tensor', E);
    noGrad('brainstate.nn.COBA', 'E', E);
    this.E = E;
  }

  override update(conductance: Tensor | number, potential?: Tensor | number): Tensor | number {
    if (potential === undefined) fail('COBA.update', 'potential', 'a number or a Tensor', potential);
    const drive = typeof this.E === 'number' && typeof potential === 'number' ? this.E - potential : torch.sub(this.E as Tensor, potential as Tensor);
    return typeof conductance === 'number' && typeof drive === 'number' ? conductance * drive : torch.mul(conductance as Tensor, drive as Tensor);
  }

  override _current_and_slope(v: Float32Array, shape: readonly number[], I: Float64Array, J: Float64Array): void {
    const fn = 'COBA.call';
    const g = valuesView(fn, 'conductance', this._cond(fn), shape);
    const e = scalarValue(this.E);
    const len = v.length;
    if (e !== null) { // a number E: values() would fill every element with fround(E)
      for (let k = 0; k < len; k++) {
        const gk = g[k];
        I[k] += gk * (e - v[k]);
        J[k] -= gk;
      }
      return;
    }
    const E = valuesView(fn, 'E', this.E, shape);
    for (let k = 0; k < len; k++) {
      I[k] += g[k] * (E[k] - v[k]);
      J[k] -= g[k];
    }
  }
}

export class CUBA extends SynOut {
  /** CUBA.desc(scale): a ParamDescriber for AlignPostProj. */
  static desc(...scale: [] | [number | Tensor]): ParamDescriber<CUBA> { return new ParamDescriber(CUBA, ...scale); }

  scale: number | Tensor;

  constructor(scale: number | Tensor = 1.0) {
    super();
    if (typeof scale !== 'number' && !(scale instanceof torch.Tensor)) fail('brainstate.nn.CUBA', 'scale', 'a number or a Tensor', scale);
    noGrad('brainstate.nn.CUBA', 'scale', scale);
    this.scale = scale;
  }

  override update(conductance: Tensor | number, _potential?: Tensor | number): Tensor | number {
    return typeof conductance === 'number' && typeof this.scale === 'number' ? conductance * this.scale : torch.mul(conductance as Tensor, this.scale as Tensor);
  }

  override _current_and_slope(v: Float32Array, shape: readonly number[], I: Float64Array, _J: Float64Array): void {
    const fn = 'CUBA.call';
    const g = valuesView(fn, 'conductance', this._cond(fn), shape);
    const c = scalarValue(this.scale);
    if (c !== null) {
      for (let k = 0; k < v.length; k++) I[k] += g[k] * c;
      return;
    }
    const s = valuesView(fn, 'scale', this.scale, shape);
    for (let k = 0; k < v.length; k++) I[k] += g[k] * s[k];
  }
}
