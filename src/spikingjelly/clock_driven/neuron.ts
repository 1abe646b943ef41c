/**
 * spikingjelly.clock_driven.neuron (release 0.0.0.0.8, commit c14d8ac9): single-step spiking neurons (one call = one
 * time step; state in the memories `v` and `spike`) and their MultiStep twins (one call = a whole [T, N, …] sequence).
 *
 * Every step is charge → fire → reset:
 *  - neuronal_charge(x): the class's membrane equation updates `v`;
 *  - neuronal_fire(): spike = surrogate_function(v − v_threshold) (Heaviside forward, so v == v_threshold fires);
 *  - neuronal_reset(): hard reset v = (1 − spike)·v + spike·v_reset, or, with v_reset = null (Python's None), soft
 *    reset v = v − spike·v_threshold; with detach_reset the spike used here is detached from the graph.
 * `v` starts as the number v_reset (0 for soft reset) and becomes a tensor at the first step; reset() restores it.
 *
 * Constructors take Python's arguments in Python's order, positionally or in a trailing options object:
 * `new neuron.LIFNode(2.0, 1.0, null)`, `new neuron.LIFNode({ tau: 2.0, v_reset: null, detach_reset: true })`.
 * QUIRK: 0.0.0.0.8 asserts that these numbers are Python floats (`IFNode(v_threshold=1)` fails); TypeScript numbers
 * have no int/float split, so any number is accepted (the range checks Python makes, e.g. tau > 1, are kept).
 * QUIRK: the default surrogate of every class is 0.0.0.0.8's `surrogate.Sigmoid()` (alpha = 1.0), and like Python's
 * default argument it is one instance per class, shared by every node of that class built without one.
 * `monitor_state` belongs to older releases (0.0.0.0.4's BaseNode); 0.0.0.0.8 has no monitor in neuron.py.
 */
import { torch, nn } from '../../index';
import { fail } from '../../torch/utils/checks';
import { pyArgs, pyFloat, type PyRest } from '../../torch/nn/modules/module';
import { MemoryModule } from './base';
import { Sigmoid } from './surrogate';

type Tensor = torch.Tensor;
type Value = Tensor | number;

/** A surrogate spike function: a Module (a child of the neuron, as in Python) or a plain function x => spikes. */
export type SurrogateFn = nn.Module | ((x: Tensor) => Tensor);

// ---- Python arithmetic on float | Tensor (a Python float stays a double until it meets a tensor) ------------------------

const isT = (v: unknown): v is Tensor => v instanceof torch.Tensor;
const add = (a: Value, b: Value): Value => (isT(a) ? a.add(b) : isT(b) ? b.add(a) : a + b);
const sub = (a: Value, b: Value): Value => (isT(a) ? a.sub(b) : isT(b) ? b.rsub(a) : a - b);
const mul = (a: Value, b: Value): Value => (isT(a) ? a.mul(b) : isT(b) ? b.mul(a) : a * b);
// float / Tensor is Tensor.__rtruediv__: reciprocal(t) * float
const div = (a: Value, b: Value): Value => (isT(a) ? a.div(b) : isT(b) ? b.reciprocal().mul(a) : a / b);

const pyBool = (b: boolean): string => (b ? 'True' : 'False');
const pyOpt = (v: number | null): string => (v === null ? 'None' : pyFloat(v));

function num(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

/** The one default surrogate per class (Python evaluates `surrogate.Sigmoid()` once, when the class is defined). */
const DEFAULT_SURROGATES = new Map<string, Sigmoid>();
function defaultSurrogate(cls: string): Sigmoid {
  let s = DEFAULT_SURROGATES.get(cls);
  if (!s) {
    s = new Sigmoid();
    DEFAULT_SURROGATES.set(cls, s);
  }
  return s;
}

function callSurrogate(node: BaseNode, x: Value): Tensor {
  const sf = node.surrogate_function;
  if (!isT(x)) throw new Error(`${node._get_name()}.neuronal_fire: v − v_threshold is the number ${x}, not a Tensor (did neuronal_charge leave v a number?)`);
  return sf instanceof nn.Module ? (sf.call(x) as Tensor) : sf(x);
}

// ---- BaseNode -----------------------------------------------------------------------------------------------------------

export interface BaseNodeOptions {
  v_threshold?: number;
  v_reset?: number | null;
  surrogate_function?: SurrogateFn;
  detach_reset?: boolean;
}

type BaseRest = PyRest<[v_threshold: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined], BaseNodeOptions>;
const BASE_NAMES = ['v_threshold', 'v_reset', 'surrogate_function', 'detach_reset'] as const;

/** The parsed BaseNode arguments; `cls` names the class whose default surrogate applies. */
function baseArgs(cls: string, o: Record<string, any>): Required<BaseNodeOptions> {
  return {
    v_threshold: o.v_threshold ?? 1.0,
    v_reset: o.v_reset === undefined ? 0.0 : o.v_reset,
    surrogate_function: o.surrogate_function ?? defaultSurrogate(cls),
    detach_reset: o.detach_reset ?? false,
  };
}

/**
 * BaseNode(v_threshold = 1., v_reset = 0., surrogate_function = Sigmoid(), detach_reset = false): the charge–fire–reset
 * step; subclasses define neuronal_charge. Memories: v (reset value v_reset, or 0 for soft reset) and spike (0).
 */
export class BaseNode extends MemoryModule {
  declare v: Value;
  declare spike: Value;
  v_threshold: number;
  v_reset: number | null;
  detach_reset: boolean;
  surrogate_function: SurrogateFn;

  constructor(...rest: BaseRest) {
    super();
    const fn = `neuron.${new.target.name}`;
    const a = baseArgs('BaseNode', pyArgs(fn, BASE_NAMES, rest));
    const v_reset = a.v_reset === null ? null : num(fn, 'v_reset', a.v_reset);
    const v_threshold = num(fn, 'v_threshold', a.v_threshold);
    if (typeof a.detach_reset !== 'boolean') fail(fn, 'detach_reset', 'a boolean', a.detach_reset);
    const sf = a.surrogate_function;
    if (!(sf instanceof nn.Module) && typeof sf !== 'function') fail(fn, 'surrogate_function', 'a Module or a function (x) => Tensor', sf);
    if (v_reset === null) {
      this.register_memory('v', 0.0);
      this.register_memory('spike', 0.0);
    } else {
      this.register_memory('v', v_reset);
      this.register_memory('spike', 0.0);
    }
    this.v_threshold = v_threshold;
    this.v_reset = v_reset;
    this.detach_reset = a.detach_reset;
    this.surrogate_function = sf;
  }

  /** The membrane equation (abstract in Python): updates this.v from the input x. */
  neuronal_charge(_x: Tensor): void {
    throw new Error(`${this._get_name()}.neuronal_charge is not implemented (BaseNode is abstract; use a subclass or define neuronal_charge)`);
  }

  /** spike = surrogate_function(v − v_threshold). */
  neuronal_fire(): void {
    this.spike = callSurrogate(this, sub(this.v, this.v_threshold));
  }

  /** Hard reset to v_reset, or soft reset (v_reset = null) by subtracting v_threshold; the spike detached when detach_reset. */
  neuronal_reset(): void {
    const spike = this.detach_reset && isT(this.spike) ? this.spike.detach() : this.spike;
    if (this.v_reset === null) this.v = sub(this.v, mul(spike, this.v_threshold));
    else this.v = add(mul(sub(1.0, spike), this.v), mul(spike, this.v_reset));
  }

  override extra_repr(): string {
    return `v_threshold=${pyFloat(this.v_threshold)}, v_reset=${pyOpt(this.v_reset)}, detach_reset=${pyBool(this.detach_reset)}`;
  }

  /** One time step: charge, fire, reset; returns the spikes. */
  override forward(x: Tensor): Tensor {
    if (!isT(x)) fail(`${this._get_name()}.forward`, 'x', 'a Tensor', x);
    this.neuronal_charge(x);
    this.neuronal_fire();
    this.neuronal_reset();
    return this.spike as Tensor;
  }
}

// ---- multi-step -------------------------------------------------------------------------------------------------------------

type Backend = 'torch' | 'cupy';

function checkBackend(fn: string, backend: unknown): Backend {
  if (backend === 'cupy') {
    throw new Error(`${fn}: backend 'cupy' runs spikingjelly's CUDA kernels through cupy, which spikeport does not have; use backend='torch' (the same results, step by step)`);
  }
  if (backend !== 'torch') fail(fn, 'backend', "'torch' (or 'cupy' in Python, unsupported here)", backend);
  return backend;
}

interface MultiStepNode extends BaseNode {
  v_seq: Tensor | null;
  spike_seq: Tensor | null;
  backend: Backend;
}

/** A value stored into row t of a [T, …] sequence shaped like x_t (Python's `seq[t] = value` broadcasts and casts). */
function rowLike(v: Value, x_t: Tensor): Tensor {
  let t = isT(v) ? v : torch.full_like(x_t.detach(), v);
  if (t.dtype !== x_t.dtype) t = t.to(x_t.dtype);
  if (t.shape.length !== x_t.shape.length || t.shape.some((s, i) => s !== x_t.shape[i])) t = t.expand(x_t.shape.slice());
  return t;
}

/**
 * The MultiStep forward of 0.0.0.0.8 (backend 'torch'): runs the single-step forward over x_seq[t], t = 0…T−1, and
 * keeps both sequences as memories (0.0.0.0.8 always keeps v_seq; there is no store_v_seq switch yet). Python writes
 * each step into zeros_like(x_seq) in place (`spike_seq[t] = …`); spikeport stacks the steps instead, which gives the
 * same values and the same gradients.
 */
function multiStepForward(node: MultiStepNode, x_seq: Tensor, step: (x: Tensor) => Tensor): Tensor {
  const fn = `${node._get_name()}.forward`;
  if (!isT(x_seq)) fail(fn, 'x_seq', 'a Tensor of shape [T, N, …]', x_seq);
  if (!(x_seq.dim() > 1)) fail(fn, 'x_seq', 'a Tensor with at least 2 dimensions [T, N, …]', x_seq);
  const T = x_seq.shape[0];
  const spikes: Tensor[] = [];
  const vs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const x_t = x_seq.select(0, t);
    spikes.push(rowLike(step(x_t), x_t));
    vs.push(rowLike(node.v, x_t));
  }
  node.spike_seq = T > 0 ? torch.stack(spikes, 0) : torch.zeros_like(x_seq.detach());
  node.v_seq = T > 0 ? torch.stack(vs, 0) : torch.zeros_like(x_seq.detach());
  return node.spike_seq;
}

interface MultiStepOptions { backend?: Backend }

// ---- IF ---------------------------------------------------------------------------------------------------------------------

/** IFNode(v_threshold = 1., v_reset = 0., surrogate_function = Sigmoid(), detach_reset = false): v = v + x. */
export class IFNode extends BaseNode {
  constructor(...rest: BaseRest) {
    const fn = `neuron.${new.target.name}`;
    super(baseArgs('IFNode', pyArgs(fn, BASE_NAMES, rest)));
  }

  override neuronal_charge(x: Tensor): void {
    this.v = add(this.v, x);
  }
}

/** MultiStepIFNode(v_threshold, v_reset, surrogate_function, detach_reset, backend = 'torch'): IFNode over [T, N, …]. */
export class MultiStepIFNode extends IFNode implements MultiStepNode {
  declare v_seq: Tensor | null;
  declare spike_seq: Tensor | null;
  backend: Backend;

  constructor(...rest: PyRest<[v_threshold: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined, backend: Backend | undefined], BaseNodeOptions & MultiStepOptions>) {
    const fn = `neuron.${new.target.name}`;
    const o = pyArgs(fn, [...BASE_NAMES, 'backend'], rest);
    super(baseArgs('MultiStepIFNode', o));
    this.register_memory('v_seq', null);
    this.register_memory('spike_seq', null);
    this.backend = checkBackend(fn, o.backend ?? 'torch');
  }

  override forward(x_seq: Tensor): Tensor {
    return multiStepForward(this, x_seq, (x) => super.forward(x));
  }

  override extra_repr(): string {
    return `${super.extra_repr()}, backend=${this.backend}`;
  }
}

// ---- LIF ----------------------------------------------------------------------------------------------------------------------

export interface LIFNodeOptions extends BaseNodeOptions { tau?: number }
const LIF_NAMES = ['tau', ...BASE_NAMES] as const;
type LIFRest = PyRest<[tau: number | undefined, v_threshold: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined], LIFNodeOptions>;

function tauArg(fn: string, name: string, v: unknown): number {
  const tau = num(fn, name, v);
  if (!(tau > 1)) throw new Error(`${fn}: ${name} must be > 1, got ${tau}`);
  return tau;
}

/**
 * LIFNode(tau = 2., v_threshold = 1., v_reset = 0., surrogate_function = Sigmoid(), detach_reset = false):
 * v = v + (x − (v − v_reset))/tau (v + (x − v)/tau when v_reset is 0 or null).
 * QUIRK: 0.0.0.0.8 divides the whole input by tau (no decay_input switch; that came on 2021-12-28).
 */
export class LIFNode extends BaseNode {
  tau: number;

  constructor(...rest: LIFRest) {
    const fn = `neuron.${new.target.name}`;
    const o = pyArgs(fn, LIF_NAMES, rest);
    const tau = tauArg(fn, 'tau', o.tau ?? 2.0);
    super(baseArgs('LIFNode', o));
    this.tau = tau;
  }

  override extra_repr(): string {
    return `${super.extra_repr()}, tau=${pyFloat(this.tau)}`;
  }

  override neuronal_charge(x: Tensor): void {
    if (this.v_reset === null || this.v_reset === 0) this.v = add(this.v, div(sub(x, this.v), this.tau));
    else this.v = add(this.v, div(sub(x, sub(this.v, this.v_reset)), this.tau)); // divides by tau, input included
  }
}

/** MultiStepLIFNode(tau, v_threshold, v_reset, surrogate_function, detach_reset, backend = 'torch'): LIFNode over [T, N, …]. */
export class MultiStepLIFNode extends LIFNode implements MultiStepNode {
  declare v_seq: Tensor | null;
  declare spike_seq: Tensor | null;
  backend: Backend;

  constructor(...rest: PyRest<[tau: number | undefined, v_threshold: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined, backend: Backend | undefined], LIFNodeOptions & MultiStepOptions>) {
    const fn = `neuron.${new.target.name}`;
    const o = pyArgs(fn, [...LIF_NAMES, 'backend'], rest);
    const a = baseArgs('MultiStepLIFNode', o);
    super({ tau: o.tau ?? 2.0, ...a });
    this.register_memory('v_seq', null);
    this.register_memory('spike_seq', null);
    this.backend = checkBackend(fn, o.backend ?? 'torch');
  }

  override forward(x_seq: Tensor): Tensor {
    return multiStepForward(this, x_seq, (x) => super.forward(x));
  }

  override extra_repr(): string {
    return `${super.extra_repr()}, backend=${this.backend}`;
  }
}

// ---- Parametric LIF ------------------------------------------------------------------------------------------------------

export interface ParametricLIFNodeOptions extends BaseNodeOptions { init_tau?: number }
const PLIF_NAMES = ['init_tau', ...BASE_NAMES] as const;
type PLIFRest = PyRest<[init_tau: number | undefined, v_threshold: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined], ParametricLIFNodeOptions>;

/**
 * ParametricLIFNode(init_tau = 2.0, v_threshold = 1., v_reset = 0., surrogate_function = Sigmoid(), detach_reset = false):
 * LIF with a learnable time constant, 1/tau = sigmoid(w); the parameter `w` (state_dict key 'w', a 0-d float32
 * tensor) starts at −log(init_tau − 1). v = v + (x − (v − v_reset))·sigmoid(w) (v + (x − v)·sigmoid(w) for v_reset 0/null).
 */
export class ParametricLIFNode extends BaseNode {
  w: nn.Parameter;

  constructor(...rest: PLIFRest) {
    const fn = `neuron.${new.target.name}`;
    const o = pyArgs(fn, PLIF_NAMES, rest);
    const init_tau = tauArg(fn, 'init_tau', o.init_tau ?? 2.0);
    super(baseArgs('ParametricLIFNode', o));
    const init_w = -Math.log(init_tau - 1.0);
    this.w = new nn.Parameter(torch.tensor(init_w));
  }

  override extra_repr(): string {
    // Python formats the 0-d tensor 1/sigmoid(w) (float32) through .item()
    const tau = torch.no_grad(() => this.w.sigmoid().reciprocal().item());
    return `${super.extra_repr()}, tau=${pyFloat(tau)}`;
  }

  override neuronal_charge(x: Tensor): void {
    if (this.v_reset === null || this.v_reset === 0) this.v = add(this.v, mul(sub(x, this.v), this.w.sigmoid()));
    else this.v = add(this.v, mul(sub(x, sub(this.v, this.v_reset)), this.w.sigmoid()));
  }
}

/** MultiStepParametricLIFNode(init_tau, v_threshold, v_reset, surrogate_function, detach_reset, backend = 'torch'). */
export class MultiStepParametricLIFNode extends ParametricLIFNode implements MultiStepNode {
  declare v_seq: Tensor | null;
  declare spike_seq: Tensor | null;
  backend: Backend;

  constructor(...rest: PyRest<[init_tau: number | undefined, v_threshold: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined, backend: Backend | undefined], ParametricLIFNodeOptions & MultiStepOptions>) {
    const fn = `neuron.${new.target.name}`;
    const o = pyArgs(fn, [...PLIF_NAMES, 'backend'], rest);
    const a = baseArgs('MultiStepParametricLIFNode', o);
    super({ init_tau: o.init_tau ?? 2.0, ...a });
    this.register_memory('v_seq', null);
    this.register_memory('spike_seq', null);
    this.backend = checkBackend(fn, o.backend ?? 'torch');
  }

  override forward(x_seq: Tensor): Tensor {
    return multiStepForward(this, x_seq, (x) => super.forward(x));
  }

  override extra_repr(): string {
    return `${super.extra_repr()}, backend=${this.backend}`;
  }
}

// ---- QIF -------------------------------------------------------------------------------------------------------------------

export interface QIFNodeOptions extends BaseNodeOptions { tau?: number; v_c?: number; a0?: number; v_rest?: number }
type QIFRest = PyRest<[tau: number | undefined, v_c: number | undefined, a0: number | undefined, v_threshold: number | undefined, v_rest: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined], QIFNodeOptions>;

/**
 * QIFNode(tau = 2., v_c = 0.8, a0 = 1., v_threshold = 1., v_rest = 0., v_reset = -0.1, surrogate_function = Sigmoid(),
 * detach_reset = false): v = v + (x + a0·(v − v_rest)·(v − v_c))/tau. Requires tau > 1, a0 > 0 and, with a hard
 * reset, v_threshold > v_reset and v_rest >= v_reset.
 */
export class QIFNode extends BaseNode {
  tau: number;
  v_c: number;
  v_rest: number;
  a0: number;

  constructor(...rest: QIFRest) {
    const fn = `neuron.${new.target.name}`;
    const o = pyArgs(fn, ['tau', 'v_c', 'a0', 'v_threshold', 'v_rest', 'v_reset', 'surrogate_function', 'detach_reset'], rest);
    const tau = tauArg(fn, 'tau', o.tau ?? 2.0);
    const v_c = num(fn, 'v_c', o.v_c ?? 0.8);
    const a0 = num(fn, 'a0', o.a0 ?? 1.0);
    const v_rest = num(fn, 'v_rest', o.v_rest ?? 0.0);
    const a = baseArgs('QIFNode', { ...o, v_reset: o.v_reset === undefined ? -0.1 : o.v_reset });
    const v_threshold = num(fn, 'v_threshold', a.v_threshold);
    if (a.v_reset !== null) {
      const v_reset = num(fn, 'v_reset', a.v_reset);
      if (!(v_threshold > v_reset)) throw new Error(`${fn}: v_threshold must be > v_reset, got v_threshold=${v_threshold}, v_reset=${v_reset}`);
      if (!(v_rest >= v_reset)) throw new Error(`${fn}: v_rest must be >= v_reset, got v_rest=${v_rest}, v_reset=${v_reset}`);
    }
    if (!(a0 > 0)) throw new Error(`${fn}: a0 must be > 0, got ${a0}`);
    super(a);
    this.tau = tau;
    this.v_c = v_c;
    this.v_rest = v_rest;
    this.a0 = a0;
  }

  override extra_repr(): string {
    return `${super.extra_repr()}, tau=${pyFloat(this.tau)}, v_c=${pyFloat(this.v_c)}, a0=${pyFloat(this.a0)}, v_rest=${pyFloat(this.v_rest)}`;
  }

  override neuronal_charge(x: Tensor): void {
    // while v is still the number v_reset, a0·(v − v_rest)·(v − v_c) is computed in double precision, as in Python
    this.v = add(this.v, div(add(x, mul(mul(this.a0, sub(this.v, this.v_rest)), sub(this.v, this.v_c))), this.tau));
  }
}

// ---- EIF --------------------------------------------------------------------------------------------------------------------

export interface EIFNodeOptions extends BaseNodeOptions { tau?: number; delta_T?: number; theta_rh?: number; v_rest?: number }
const EIF_NAMES = ['tau', 'delta_T', 'theta_rh', 'v_threshold', 'v_rest', 'v_reset', 'surrogate_function', 'detach_reset'] as const;
type EIFRest = PyRest<[tau: number | undefined, delta_T: number | undefined, theta_rh: number | undefined, v_threshold: number | undefined, v_rest: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined], EIFNodeOptions>;

function eifArgs(fn: string, cls: string, o: Record<string, any>): Required<EIFNodeOptions> {
  const tau = tauArg(fn, 'tau', o.tau ?? 2.0);
  const delta_T = num(fn, 'delta_T', o.delta_T ?? 1.0);
  const theta_rh = num(fn, 'theta_rh', o.theta_rh ?? 0.8);
  const v_rest = num(fn, 'v_rest', o.v_rest ?? 0.0);
  const a = baseArgs(cls, { ...o, v_reset: o.v_reset === undefined ? -0.1 : o.v_reset });
  const v_threshold = num(fn, 'v_threshold', a.v_threshold);
  if (a.v_reset !== null) {
    const v_reset = num(fn, 'v_reset', a.v_reset);
    if (!(v_threshold > v_reset)) throw new Error(`${fn}: v_threshold must be > v_reset, got v_threshold=${v_threshold}, v_reset=${v_reset}`);
    if (!(v_rest >= v_reset)) throw new Error(`${fn}: v_rest must be >= v_reset, got v_rest=${v_rest}, v_reset=${v_reset}`);
  }
  if (!(delta_T > 0)) throw new Error(`${fn}: delta_T must be > 0, got ${delta_T}`);
  return { ...a, tau, delta_T, theta_rh, v_rest };
}

/**
 * EIFNode(tau = 2., delta_T = 1., theta_rh = .8, v_threshold = 1., v_rest = 0., v_reset = -0.1,
 * surrogate_function = Sigmoid(), detach_reset = false):
 * v = v + (x + v_rest − v + delta_T·exp((v − theta_rh)/delta_T))/tau. At the first step the number v becomes a 0-d
 * float32 tensor first (Python's torch.as_tensor), so the whole update runs in float32.
 */
export class EIFNode extends BaseNode {
  tau: number;
  delta_T: number;
  v_rest: number;
  theta_rh: number;

  constructor(...rest: EIFRest) {
    const fn = `neuron.${new.target.name}`;
    const a = eifArgs(fn, 'EIFNode', pyArgs(fn, EIF_NAMES, rest));
    super({ v_threshold: a.v_threshold, v_reset: a.v_reset, surrogate_function: a.surrogate_function, detach_reset: a.detach_reset });
    this.tau = a.tau;
    this.delta_T = a.delta_T;
    this.v_rest = a.v_rest;
    this.theta_rh = a.theta_rh;
  }

  override extra_repr(): string {
    return `${super.extra_repr()}, tau=${pyFloat(this.tau)}, delta_T=${pyFloat(this.delta_T)}, theta_rh=${pyFloat(this.theta_rh)}`;
  }

  override neuronal_charge(x: Tensor): void {
    torch.no_grad(() => {
      if (!isT(this.v)) this.v = torch.tensor(this.v);
    });
    const v = this.v;
    this.v = add(v, div(add(sub(add(x, this.v_rest), v), mul(this.delta_T, torch.exp(div(sub(v, this.theta_rh), this.delta_T) as Tensor))), this.tau));
  }
}

/** MultiStepEIFNode(tau, delta_T, theta_rh, v_threshold, v_rest, v_reset, surrogate_function, detach_reset, backend = 'torch'). */
export class MultiStepEIFNode extends EIFNode implements MultiStepNode {
  declare v_seq: Tensor | null;
  declare spike_seq: Tensor | null;
  backend: Backend;

  constructor(...rest: PyRest<[tau: number | undefined, delta_T: number | undefined, theta_rh: number | undefined, v_threshold: number | undefined, v_rest: number | undefined, v_reset: number | null | undefined, surrogate_function: SurrogateFn | undefined, detach_reset: boolean | undefined, backend: Backend | undefined], EIFNodeOptions & MultiStepOptions>) {
    const fn = `neuron.${new.target.name}`;
    const o = pyArgs(fn, [...EIF_NAMES, 'backend'], rest);
    super(eifArgs(fn, 'MultiStepEIFNode', o));
    this.register_memory('v_seq', null);
    this.register_memory('spike_seq', null);
    this.backend = checkBackend(fn, o.backend ?? 'torch');
  }

  override forward(x_seq: Tensor): Tensor {
    return multiStepForward(this, x_seq, (x) => super.forward(x));
  }

  override extra_repr(): string {
    return `${super.extra_repr()}, backend=${this.backend}`;
  }
}
