/**
 * torch.optim.Optimizer (PyTorch 1.13): parameter groups with the defaults filled in, per-parameter state,
 * zero_grad, step(closure?), add_param_group, state_dict()/load_state_dict() in PyTorch's structure
 * `{state: {index: {...}}, param_groups: [{...options, params: [indices]}]}`.
 *
 * Porting: `optim.SGD(model.parameters(), lr=0.1, momentum=0.9)` is `new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`
 * (positional arguments stay positional: `new optim.SGD(params, 0.1)`); `optimizer.state[p]` is `optimizer.state.get(p)`.
 */
import { enable_grad, no_grad } from '../../core/autograd';
import { checkOptions, describe, fail } from '../../core/errors';
import { isFloating, type DType } from '../../core/dtype';
import { Tensor } from '../../core/tensor';

/** Marks an option without a default (SGD's lr), like `torch.optim.optimizer.required`. */
export const required: unique symbol = Symbol('required');
export type Required = typeof required;

/** One parameter group as given to a constructor or add_param_group: `{params, ...options}`. */
export type ParamGroupInput<O extends object = Record<string, unknown>> = { params: Tensor | Iterable<Tensor> } & O & Record<string, unknown>;
/** An iterable of Tensors or of parameter-group objects, as PyTorch accepts. */
export type Params<O extends object = Record<string, unknown>> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** A parameter group after add_param_group: its Tensors and every option (defaults filled in). Extra keys are kept. */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  [option: string]: any;
}

export type StateValue = Tensor | number | boolean | null | StateValue[] | { [key: string]: StateValue };
export type ParamState = Record<string, any>;

/** `optimizer.state`: per-parameter state. Like PyTorch's defaultdict(dict): `get(p)` creates an empty entry, `has(p)` does not. */
export class OptimizerState extends Map<Tensor, ParamState> {
  override get(p: Tensor): ParamState {
    let s = super.get(p);
    if (s === undefined) {
      s = {};
      this.set(p, s);
    }
    return s;
  }
}

export interface OptimizerStateDict {
  state: Record<string, ParamState>;
  param_groups: Record<string, any>[];
}

export type Closure = () => Tensor | number;

const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || isTensor(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return x !== null && x !== undefined && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * Python's `f(a, b, k=v)` as `f(a, b, {k: v})`: maps the positional arguments onto `names`, merges the trailing options
 * object (unknown keys raise) and rejects an argument given twice. `undefined` counts as not given.
 */
export function parseArgs(fn: string, names: readonly string[], args: readonly unknown[], allowed: readonly string[]): Record<string, unknown> {
  let pos = args;
  let opts: Record<string, unknown> | undefined;
  if (args.length > 0 && isPlainObject(args[args.length - 1])) {
    opts = args[args.length - 1] as Record<string, unknown>;
    pos = args.slice(0, -1);
  }
  if (pos.length > names.length) {
    throw new Error(`${fn}: takes at most ${names.length} positional argument${names.length === 1 ? '' : 's'} (${names.join(', ')}) before the options object, got ${pos.length}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(checkOptions(fn, opts, allowed))) if (v !== undefined) out[k] = v;
  pos.forEach((v, i) => {
    if (v === undefined) return;
    if (names[i] in out) throw new Error(`${fn}: got multiple values for argument ${names[i]} (positionally and in the options object)`);
    out[names[i]] = v;
  });
  return out;
}

// ---- option checks shared by the optimizers --------------------------------------------------------------------------

export function checkNonNegative(fn: string, arg: string, x: unknown): number {
  if (typeof x !== 'number' || !(x >= 0)) fail(fn, arg, 'a number >= 0', x);
  return x;
}

export function checkBoolean(fn: string, arg: string, x: unknown): boolean {
  if (typeof x !== 'boolean') fail(fn, arg, 'a boolean', x);
  return x;
}

export function checkFiniteNumber(fn: string, arg: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(fn, arg, 'a finite number', x);
  return x;
}

/**
 * foreach / differentiable / capturable / fused: kept in the groups (so state_dict matches PyTorch's), but spikeport runs
 * the single-tensor CPU loop only. foreach=true selects the same algorithm in PyTorch (rounding may differ in the last bit),
 * so it is accepted; the others change what the update is or where it runs and raise.
 */
export function checkImplementationFlags(fn: string, g: Record<string, unknown>): void {
  if ('foreach' in g && g.foreach !== null && typeof g.foreach !== 'boolean') fail(fn, 'foreach', 'null or a boolean', g.foreach);
  for (const k of ['differentiable', 'capturable', 'fused']) {
    if (!(k in g)) continue;
    if (typeof g[k] !== 'boolean') fail(fn, k, 'a boolean', g[k]);
    if (g[k]) throw new Error(`${fn}: ${k}=true is not supported by spikeport (it runs the single-tensor CPU update outside autograd); got ${k}=true`);
  }
}

// ---- typed-array access for the update kernels ------------------------------------------------------------------------

export type FloatArray = Float32Array | Float64Array;

/** The gradient of `p` as a dense array of p's dtype: `.grad`'s own storage when it is contiguous (no copy). */
export function gradArray(fn: string, p: Tensor, index: number): { a: FloatArray; o: number } {
  let g = p.grad!;
  if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`${fn}: the gradient of parameter ${index} has shape [${g.shape.join(', ')}], but the parameter has shape [${p.shape.join(', ')}]`);
  }
  if (g.dtype !== p.dtype) g = g.to(p.dtype);
  if (!g.is_contiguous()) g = g.contiguous();
  return { a: g.buffer as FloatArray, o: g.offset };
}

/**
 * p's values as a dense array to update in place: its own storage when contiguous, else a contiguous copy that `commit()`
 * writes back. `commit()` also bumps p's version, so autograd notices the in-place change.
 */
export function paramArray(p: Tensor): { a: FloatArray; o: number; commit: () => void } {
  if (p.is_contiguous()) return { a: p.buffer as FloatArray, o: p.offset, commit: () => { p._version.v++; } };
  const c = p.detach().contiguous();
  return { a: c.buffer as FloatArray, o: 0, commit: () => { no_grad(() => p.detach().copy_(c)); } };
}

/** A state buffer of p (exp_avg, momentum_buffer, ...) as a dense array; made contiguous and of p's dtype if it is not. */
export function stateArray(fn: string, state: ParamState, key: string, p: Tensor): FloatArray {
  let t = state[key];
  if (!isTensor(t)) throw new Error(`${fn}: state.${key} of a parameter must be a Tensor, got ${describe(t)}`);
  if (t.numel() !== p.numel()) throw new Error(`${fn}: state.${key} has shape [${t.shape.join(', ')}], but its parameter has shape [${p.shape.join(', ')}]`);
  if (t.dtype !== p.dtype || !t.is_contiguous() || t.offset !== 0 || t.buffer.length !== t.numel()) {
    t = state[key] = t.detach().to(p.dtype).clone();
  }
  t._version.v++;
  return t.buffer as FloatArray;
}

export function zerosLikeParam(p: Tensor): Tensor {
  return Tensor.empty(p.shape, p.dtype); // typed arrays start zeroed
}

// ---- the base class ---------------------------------------------------------------------------------------------------

function deepCopy(v: unknown, castTo: DType | null, key?: string): any {
  if (isTensor(v)) {
    let t = v.detach();
    if (castTo !== null && key !== 'step' && isFloating(t.dtype)) t = t.to(castTo);
    return t.buffer === v.buffer ? t.clone() : t;
  }
  if (Array.isArray(v)) return v.map((x) => deepCopy(x, castTo));
  if (isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = deepCopy(x, castTo, k);
    return o;
  }
  return v;
}

export abstract class Optimizer<G extends ParamGroup = ParamGroup> {
  defaults: Record<string, unknown>;
  state: OptimizerState = new OptimizerState();
  param_groups: G[] = [];
  /** Counts step() calls once an lr scheduler is attached (PyTorch's `optimizer._step_count`). */
  _step_count?: number;
  /** The class name used in error messages (stable under minification). */
  protected readonly _name: string;

  constructor(params: Params, defaults: Record<string, unknown>, name?: string) {
    this._name = name ?? new.target.name;
    this.defaults = defaults;
    if (isTensor(params) || !isIterable(params) || typeof params === 'string') {
      fail(this._name, 'params', 'an iterable of Tensors or of parameter-group objects {params, ...options}', params);
    }
    const list = Array.from(params as Iterable<unknown>);
    if (list.length === 0) throw new Error(`${this._name}: optimizer got an empty parameter list`);
    const groups = isPlainObject(list[0]) ? list : [{ params: list }];
    for (const g of groups) this.add_param_group(g as ParamGroupInput);
  }

  /** Checks one filled-in group; subclasses validate their options here. */
  protected _checkGroup(_group: G, _where: string): void {}

  add_param_group(param_group: ParamGroupInput): void {
    const fn = `${this._name}.add_param_group`;
    if (!isPlainObject(param_group)) fail(fn, 'param_group', 'an object {params, ...options}', param_group);
    const raw = param_group.params;
    let params: unknown[];
    if (isTensor(raw)) params = [raw];
    else if (raw instanceof Set) throw new Error(`${fn}: optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs; use an array instead`);
    else if (isIterable(raw) && typeof raw !== 'string') params = Array.from(raw);
    else fail(fn, 'params', 'a Tensor or an iterable of Tensors', raw);
    params.forEach((p, i) => {
      if (!isTensor(p)) fail(fn, `params[${i}]`, 'a Tensor (optimizer can only optimize Tensors)', p);
      if (!p.is_leaf) throw new Error(`${fn}: can't optimize a non-leaf Tensor (params[${i}] has grad_fn ${p.grad_fn!.name})`);
      if (!isFloating(p.dtype)) fail(fn, `params[${i}]`, 'a floating point Tensor', p);
    });
    const group: Record<string, unknown> = { ...param_group, params };
    for (const [name, dflt] of Object.entries(this.defaults)) {
      if (group[name] !== undefined) continue;
      if (dflt === required) throw new Error(`${fn}: parameter group didn't specify a value of required optimization parameter ${name}`);
      group[name] = dflt;
    }
    const ps = params as Tensor[];
    if (new Set(ps).size !== ps.length) {
      console.warn(`${fn}: optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information`);
    }
    for (const g of this.param_groups) {
      for (const p of g.params) if (ps.includes(p)) throw new Error(`${fn}: some parameters appear in more than one parameter group`);
    }
    this._checkGroup(group as G, `param_groups[${this.param_groups.length}]`);
    this.param_groups.push(group as G);
  }

  /**
   * Sets the gradients of all optimized tensors to zero (1.13 default), or to null with `set_to_none: true`.
   * Accepts `zero_grad(true)` as well as `zero_grad({ set_to_none: true })`.
   */
  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = false): void {
    const fn = `${this._name}.zero_grad`;
    const toNone = typeof set_to_none === 'boolean' ? set_to_none : checkOptions(fn, set_to_none, ['set_to_none']).set_to_none ?? false;
    if (typeof toNone !== 'boolean') fail(fn, 'set_to_none', 'a boolean', toNone);
    for (const group of this.param_groups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        if (toNone) {
          p.grad = null;
          continue;
        }
        if (g.grad_fn !== null) g.detach_();
        else g.requires_grad_(false);
        if (g.is_contiguous()) g.buffer.fill(0, g.offset, g.offset + g.numel());
        else no_grad(() => g.zero_());
        g._version.v++;
      }
    }
  }

  /** One optimization step. `closure` re-evaluates the loss (with grad enabled) and its value is returned. */
  step(closure?: Closure): Tensor | number | undefined {
    let loss: Tensor | number | undefined;
    if (closure !== undefined && closure !== null) {
      if (typeof closure !== 'function') fail(`${this._name}.step`, 'closure', 'a function', closure);
      loss = enable_grad(closure);
    }
    no_grad(() => {
      for (const group of this.param_groups) this._updateGroup(group);
    });
    return loss;
  }

  /** The update of one group (the 1.13 single-tensor loop); parameters whose grad is null are skipped. */
  protected abstract _updateGroup(group: G): void;

  /** Index of each parameter across groups, in order (PyTorch's state_dict packing). */
  private _paramIndex(): Map<Tensor, number> {
    const m = new Map<Tensor, number>();
    let i = 0;
    for (const g of this.param_groups) for (const p of g.params) if (!m.has(p)) m.set(p, i++);
    return m;
  }

  /**
   * `{state: {index: {...}}, param_groups: [{...options, params: [indices]}]}`. As in PyTorch the state tensors are the
   * optimizer's own (later steps change them); load_state_dict copies.
   */
  state_dict(): OptimizerStateDict {
    const index = this._paramIndex();
    const param_groups = this.param_groups.map((g) => {
      const packed: Record<string, any> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = Array.isArray(v) ? v.slice() : v;
      packed.params = g.params.map((p) => index.get(p)!);
      return packed;
    });
    const state: Record<string, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = s;
    }
    return { state, param_groups };
  }

  load_state_dict(state_dict: OptimizerStateDict): void {
    const fn = `${this._name}.load_state_dict`;
    if (!isPlainObject(state_dict) || !isPlainObject(state_dict.state) || !Array.isArray(state_dict.param_groups)) {
      fail(fn, 'state_dict', 'an object {state: {index: {...}}, param_groups: [...]}', state_dict);
    }
    const saved = state_dict.param_groups;
    if (saved.length !== this.param_groups.length) {
      throw new Error(`${fn}: loaded state dict has a different number of parameter groups (${saved.length}, the optimizer has ${this.param_groups.length})`);
    }
    const idToParam = new Map<number, Tensor>();
    saved.forEach((sg, gi) => {
      if (!isPlainObject(sg) || !Array.isArray(sg.params)) fail(fn, `param_groups[${gi}]`, 'an object with a params array of indices', sg);
      const mine = this.param_groups[gi].params;
      if (sg.params.length !== mine.length) {
        throw new Error(`${fn}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${gi}: ${sg.params.length} saved, ${mine.length} here)`);
      }
      sg.params.forEach((id: unknown, j: number) => {
        if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) fail(fn, `param_groups[${gi}].params[${j}]`, 'a non-negative integer index', id);
        idToParam.set(id, mine[j]);
      });
    });
    const state = new OptimizerState();
    for (const [k, v] of Object.entries(state_dict.state)) {
      const p = idToParam.get(Number(k));
      if (p === undefined) throw new Error(`${fn}: state has an entry for parameter index ${k}, which no parameter group lists`);
      if (!isPlainObject(v)) fail(fn, `state[${k}]`, 'an object', v);
      state.set(p, deepCopy(v, p.dtype));
    }
    const groups = saved.map((sg, gi) => {
      const g = deepCopy(sg, null) as Record<string, unknown>;
      g.params = this.param_groups[gi].params;
      for (const [name, dflt] of Object.entries(this.defaults)) if (g[name] === undefined && dflt !== required) g[name] = dflt;
      return g as G;
    });
    groups.forEach((g, gi) => this._checkGroup(g, `param_groups[${gi}]`));
    this.state = state;
    this.param_groups = groups;
    this._setstate();
  }

  /** Hook after load_state_dict (PyTorch's __setstate__): subclasses upgrade old state formats here. */
  protected _setstate(): void {}

  toString(): string {
    let s = `${this._name} (`;
    this.param_groups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      for (const k of Object.keys(g).sort()) if (k !== 'params') s += `    ${k}: ${fmtOption(g[k])}\n`;
    });
    return s + ')';
  }
}

function fmtOption(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `(${v.map(fmtOption).join(', ')})`;
  return String(v);
}
