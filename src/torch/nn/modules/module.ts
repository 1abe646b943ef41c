/**
 * torch.nn.Module (PyTorch 1.13 semantics).
 *
 * Submodules, parameters and buffers are found by walking the object's own properties in insertion order (class
 * fields, or `this.fc = …` in the constructor), so `state_dict()` keys equal PyTorch's:
 *  - a property holding a Module is a child; one holding a Parameter is a parameter;
 *  - buffers are registered by name with `register_buffer(name, tensor | null, { persistent })` and then read and
 *    written as plain properties (`this.running_mean = …`);
 *  - a property holding null (e.g. `this.bias = null`) registers nothing, like None in PyTorch;
 *  - other properties (numbers, plain tensors, arrays of modules) are plain attributes, as in PyTorch.
 * Order within a module is PyTorch's: own parameters, own persistent buffers, then children recursively.
 * Property order is the order of first definition: a field declared without an initializer (`fc: nn.Linear;`) is
 * defined (as undefined) right after super() returns, so declared fields count in declaration order. A subclass must
 * not re-declare a field its parent's constructor already set (ES2022 class fields would reset it to undefined): use
 * `declare fc: nn.Linear;` there, and for buffers registered with register_buffer.
 * Containers (Sequential, ModuleList, ModuleDict) keep their own ordered storage and override `_own_children()`.
 *
 * Python's `m(x)` is `m.call(x)`: forward pre-hooks, forward, forward hooks.
 * Methods returning iterators in PyTorch (parameters(), named_parameters(), …) return arrays here.
 */
import { no_grad } from '../../../core/autograd';
import { type DType, isDType, isFloating } from '../../../core/dtype';
import { checkOptions, describe, fail } from '../../../core/errors';
import { Tensor } from '../../../core/tensor';
import { Parameter } from '../parameter';

export type StateDict = Record<string, Tensor>;
/** hook(module, inputs): return undefined to keep the inputs, an array to replace the argument list, or one value to replace it by that single argument. */
export type ForwardPreHook = (module: any, inputs: any[]) => any;
/** hook(module, inputs, output): return undefined to keep the output, anything else to replace it. */
export type ForwardHook = (module: any, inputs: any[], output: any) => any;

let nextHookId = 0;

/** What register_*_hook returns: `handle.remove()` unregisters the hook. */
export class RemovableHandle {
  readonly id: number;
  private dict: Map<number, unknown> | null;

  constructor(dict: Map<number, unknown>) {
    this.id = nextHookId++;
    this.dict = dict;
  }

  remove(): void {
    this.dict?.delete(this.id);
    this.dict = null;
  }
}

interface ModuleState {
  training: boolean;
  /** Own property names in PyTorch insertion order (JS would put integer-like names first). */
  order: string[];
  known: Set<string>;
  /** Registered buffer names (registration order) -> persistent. */
  buffers: Map<string, boolean>;
  preHooks: Map<number, ForwardPreHook>;
  hooks: Map<number, ForwardHook>;
}

export interface IncompatibleKeys { missing_keys: string[]; unexpected_keys: string[] }

export { isPlainObject, pyArgs, type PyRest } from '../../../core/args';
import { isPlainObject, pyArgs } from '../../../core/args';

function checkName(fn: string, kind: string, name: unknown): string {
  if (typeof name !== 'string') throw new TypeError(`${fn}: ${kind} name should be a string, got ${describe(name)}`);
  if (name.includes('.')) throw new Error(`${fn}: ${kind} name can't contain ".", got: ${name}`);
  if (name === '') throw new Error(`${fn}: ${kind} name can't be empty string ""`);
  return name;
}

const torchSize = (s: readonly number[]): string => `torch.Size([${s.join(', ')}])`;

export class Module {
  /** @internal non-enumerable, so the property walk never sees it. */
  declare readonly _m: ModuleState;

  constructor() {
    Object.defineProperty(this, '_m', {
      value: { training: true, order: [], known: new Set(), buffers: new Map(), preHooks: new Map(), hooks: new Map() } satisfies ModuleState,
      enumerable: false, writable: false, configurable: false,
    });
  }

  get training(): boolean { return this._m.training; }
  set training(mode: boolean) { this._m.training = mode; }

  // ---- forward and hooks --------------------------------------------------------------------------------------------

  /** Subclasses override forward(...). */
  forward(..._args: any[]): any {
    throw new Error(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  /** Python's `module(*args)`: forward pre-hooks, forward, forward hooks (hooks may replace inputs and output). */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    const m = this._m;
    if (m.preHooks.size === 0 && m.hooks.size === 0) {
      // plain calls for the usual arities: a spread call goes through a builtin on every call
      const f = this.forward as (...a: any[]) => any, n = args.length;
      return n === 1 ? f.call(this, args[0]) : n === 0 ? f.call(this) : f.apply(this, args);
    }
    let input: any[] = args;
    for (const hook of [...m.preHooks.values()]) {
      const r = hook(this, input);
      if (r !== undefined && r !== null) input = Array.isArray(r) ? r : [r];
    }
    let result = (this.forward as (...a: any[]) => any)(...input);
    for (const hook of [...m.hooks.values()]) {
      const r = hook(this, input, result);
      if (r !== undefined && r !== null) result = r;
    }
    return result;
  }

  register_forward_pre_hook(hook: ForwardPreHook): RemovableHandle {
    if (typeof hook !== 'function') fail('Module.register_forward_pre_hook', 'hook', 'a function', hook);
    const h = new RemovableHandle(this._m.preHooks as Map<number, unknown>);
    this._m.preHooks.set(h.id, hook);
    return h;
  }

  register_forward_hook(hook: ForwardHook): RemovableHandle {
    if (typeof hook !== 'function') fail('Module.register_forward_hook', 'hook', 'a function', hook);
    const h = new RemovableHandle(this._m.hooks as Map<number, unknown>);
    this._m.hooks.set(h.id, hook);
    return h;
  }

  // ---- the property walk -----------------------------------------------------------------------------------------------

  /** Own property names in insertion order (names registered through the API keep their place even when integer-like). */
  protected _own_keys(): string[] {
    const m = this._m;
    for (const k of Object.keys(this)) {
      if (!m.known.has(k)) {
        m.known.add(k);
        m.order.push(k);
      }
    }
    let stale = false;
    for (const k of m.order) if (!Object.prototype.hasOwnProperty.call(this, k)) { stale = true; break; }
    if (stale) {
      m.order = m.order.filter((k) => Object.prototype.hasOwnProperty.call(this, k));
      m.known = new Set(m.order);
    }
    return m.order;
  }

  private _note_key(name: string): void {
    const m = this._m;
    this._own_keys();
    if (!m.known.has(name)) {
      m.known.add(name);
      m.order.push(name);
    }
  }

  /** This module's own parameters (not null), in insertion order. */
  _own_parameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const self = this as any;
    for (const k of this._own_keys()) {
      const v = self[k];
      if (v instanceof Parameter) out.push([k, v]);
    }
    return out;
  }

  /** This module's own buffers (not null), in registration order; persistent only if asked. */
  _own_buffers(persistentOnly = false): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const self = this as any;
    for (const [k, persistent] of this._m.buffers) {
      if (persistentOnly && !persistent) continue;
      if (!Object.prototype.hasOwnProperty.call(this, k)) continue;
      const v = self[k];
      if (v instanceof Tensor && !(v instanceof Parameter)) out.push([k, v]);
    }
    return out;
  }

  /** The hook for "own children in order": containers override it to list their own ordered storage. */
  _own_children(): [string, Module][] {
    const out: [string, Module][] = [];
    const self = this as any;
    for (const k of this._own_keys()) {
      const v = self[k];
      if (v instanceof Module) out.push([k, v]);
    }
    return out;
  }

  // ---- registration -------------------------------------------------------------------------------------------------------

  private _check_slot(fn: string, name: string, ok: (v: unknown) => boolean): void {
    if (Object.prototype.hasOwnProperty.call(this, name)) {
      const v = (this as any)[name];
      if (v !== undefined && v !== null && !ok(v)) throw new Error(`${fn}: attribute '${name}' already exists`);
    } else if (name in this) throw new Error(`${fn}: attribute '${name}' already exists`);
  }

  /** register_buffer(name, tensor | null, persistent = true | { persistent }); the buffer is then the property `this[name]`. */
  register_buffer(name: string, tensor: Tensor | null, persistent: boolean | { persistent?: boolean } = true): void {
    const fn = 'Module.register_buffer';
    checkName(fn, 'buffer', name);
    const p = typeof persistent === 'object' && persistent !== null ? checkOptions(fn, persistent, ['persistent']).persistent ?? true : persistent;
    if (typeof p !== 'boolean') fail(fn, 'persistent', 'a boolean', p);
    if (!this._m.buffers.has(name)) this._check_slot(fn, name, () => false);
    if (tensor !== null && tensor !== undefined && !(tensor instanceof Tensor)) {
      throw new TypeError(`${fn}: cannot assign ${describe(tensor)} to buffer '${name}' (torch Tensor or None required)`);
    }
    if (tensor instanceof Parameter) throw new TypeError(`${fn}: cannot register the Parameter '${name}' as a buffer; use register_parameter`);
    this._note_key(name);
    this._m.buffers.set(name, p);
    (this as any)[name] = tensor ?? null;
  }

  register_parameter(name: string, param: Parameter | null): void {
    const fn = 'Module.register_parameter';
    checkName(fn, 'parameter', name);
    this._check_slot(fn, name, (v) => v instanceof Parameter);
    if (param !== null && param !== undefined) {
      if (!(param instanceof Parameter)) throw new TypeError(`${fn}: cannot assign ${describe(param)} to parameter '${name}' (torch.nn.Parameter or None required)`);
      if (param.grad_fn !== null) {
        throw new Error(`${fn}: Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`);
      }
    }
    this._note_key(name);
    (this as any)[name] = param ?? null;
  }

  add_module(name: string, module: Module | null): void {
    const fn = 'Module.add_module';
    if (module !== null && module !== undefined && !(module instanceof Module)) throw new TypeError(`${fn}: ${describe(module)} is not a Module subclass`);
    checkName(fn, 'module', name);
    this._check_slot(fn, name, (v) => v instanceof Module);
    this._note_key(name);
    (this as any)[name] = module ?? null;
  }

  register_module(name: string, module: Module | null): void {
    this.add_module(name, module);
  }

  get_submodule(target: string): Module {
    if (typeof target !== 'string') fail('Module.get_submodule', 'target', 'a string', target);
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      const child = mod._own_children().find(([n]) => n === item);
      if (child) { mod = child[1]; continue; }
      if (!(item in mod)) throw new Error(`${mod._get_name()} has no attribute \`${item}\``);
      throw new Error(`\`${item}\` is not an nn.Module`);
    }
    return mod;
  }

  get_parameter(target: string): Parameter {
    const i = target.lastIndexOf('.');
    const mod = this.get_submodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    if (!(name in mod)) throw new Error(`${mod._get_name()} has no attribute \`${name}\``);
    const p = (mod as any)[name];
    if (!(p instanceof Parameter)) throw new Error(`\`${name}\` is not an nn.Parameter`);
    return p;
  }

  get_buffer(target: string): Tensor {
    const i = target.lastIndexOf('.');
    const mod = this.get_submodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    if (!(name in mod)) throw new Error(`${mod._get_name()} has no attribute \`${name}\``);
    const b = mod._own_buffers().find(([n]) => n === name);
    if (!b) throw new Error(`\`${name}\` is not a buffer`);
    return b[1];
  }

  // ---- iteration -----------------------------------------------------------------------------------------------------------

  /** named_modules(memo?, prefix = '', remove_duplicate = true): [name, module] pairs, this module first. */
  named_modules(memo?: Set<Module> | null | { memo?: Set<Module> | null; prefix?: string; remove_duplicate?: boolean }, prefix?: string, remove_duplicate?: boolean): [string, Module][] {
    const a = pyArgs('Module.named_modules', ['memo', 'prefix', 'remove_duplicate'], [memo, prefix, remove_duplicate]);
    const out: [string, Module][] = [];
    this._named_modules_into(out, a.memo ?? new Set(), a.prefix ?? '', a.remove_duplicate ?? true);
    return out;
  }

  private _named_modules_into(out: [string, Module][], memo: Set<Module>, prefix: string, dedupe: boolean): void {
    if (dedupe) {
      if (memo.has(this)) return;
      memo.add(this);
    }
    out.push([prefix, this]);
    for (const [name, child] of this._own_children()) {
      child._named_modules_into(out, memo, prefix + (prefix ? '.' : '') + name, dedupe);
    }
  }

  modules(): Module[] {
    return this.named_modules().map(([, m]) => m);
  }

  named_children(): [string, Module][] {
    const memo = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, m] of this._own_children()) {
      if (memo.has(m)) continue;
      memo.add(m);
      out.push([name, m]);
    }
    return out;
  }

  children(): Module[] {
    return this.named_children().map(([, m]) => m);
  }

  private _named_members<T>(get: (m: Module) => [string, T][], prefix: string, recurse: boolean): [string, T][] {
    const memo = new Set<T>();
    const out: [string, T][] = [];
    const mods: [string, Module][] = recurse ? this.named_modules(null, prefix) : [[prefix, this]];
    for (const [mp, mod] of mods) {
      for (const [k, v] of get(mod)) {
        if (v === null || memo.has(v)) continue;
        memo.add(v);
        out.push([mp + (mp ? '.' : '') + k, v]);
      }
    }
    return out;
  }

  /** named_parameters(prefix = '', recurse = true), shared parameters listed once. */
  named_parameters(prefix?: string | { prefix?: string; recurse?: boolean }, recurse?: boolean): [string, Parameter][] {
    const a = pyArgs('Module.named_parameters', ['prefix', 'recurse'], [prefix, recurse]);
    return this._named_members((m) => m._own_parameters(), a.prefix ?? '', a.recurse ?? true);
  }

  parameters(recurse?: boolean | { recurse?: boolean }): Parameter[] {
    const a = pyArgs('Module.parameters', ['recurse'], [recurse]);
    return this.named_parameters('', a.recurse ?? true).map(([, p]) => p);
  }

  /** named_buffers(prefix = '', recurse = true), non-persistent buffers included (as PyTorch). */
  named_buffers(prefix?: string | { prefix?: string; recurse?: boolean }, recurse?: boolean): [string, Tensor][] {
    const a = pyArgs('Module.named_buffers', ['prefix', 'recurse'], [prefix, recurse]);
    return this._named_members((m) => m._own_buffers(), a.prefix ?? '', a.recurse ?? true);
  }

  buffers(recurse?: boolean | { recurse?: boolean }): Tensor[] {
    const a = pyArgs('Module.buffers', ['recurse'], [recurse]);
    return this.named_buffers('', a.recurse ?? true).map(([, b]) => b);
  }

  // ---- state_dict -----------------------------------------------------------------------------------------------------------

  /** Writes this module's own parameters and persistent buffers (detached unless keep_vars) into destination. */
  _save_to_state_dict(destination: StateDict, prefix: string, keep_vars: boolean): void {
    for (const [name, p] of this._own_parameters()) destination[prefix + name] = keep_vars ? p : p.detach();
    for (const [name, b] of this._own_buffers(true)) destination[prefix + name] = keep_vars ? b : b.detach();
  }

  /**
   * state_dict({ destination, prefix, keep_vars }): an ordered record of detached tensors sharing storage with the
   * parameters and persistent buffers. Shared submodules appear under every name, as in PyTorch.
   */
  state_dict(options?: { destination?: StateDict; prefix?: string; keep_vars?: boolean }): StateDict {
    const o = checkOptions('Module.state_dict', options, ['destination', 'prefix', 'keep_vars']);
    const dest: StateDict = o.destination ?? {};
    const prefix = o.prefix ?? '';
    const keep = o.keep_vars ?? false;
    this._save_to_state_dict(dest, prefix, keep);
    for (const [name, child] of this._own_children()) child.state_dict({ destination: dest, prefix: prefix + name + '.', keep_vars: keep });
    return dest;
  }

  /**
   * Copies this module's own entries from state_dict (PyTorch's _load_from_state_dict; overridable with the same
   * arguments). state_dict is this module's (filtered) copy, so overrides may add or rename keys in it.
   */
  _load_from_state_dict(state_dict: Record<string, any>, prefix: string, _local_metadata: Record<string, any>, strict: boolean,
    missing_keys: string[], unexpected_keys: string[], error_msgs: string[]): void {
    const local = new Map<string, Tensor>([...this._own_parameters(), ...this._own_buffers(true)]);
    for (const [name, param] of local) {
      const key = prefix + name;
      if (Object.prototype.hasOwnProperty.call(state_dict, key)) {
        let input = state_dict[key];
        if (!(input instanceof Tensor)) {
          error_msgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${describe(input)}`);
          continue;
        }
        if (param.ndim === 0 && input.ndim === 1 && input.shape[0] > 0) input = input.select(0, 0);
        if (input.shape.length !== param.shape.length || input.shape.some((s: number, i: number) => s !== param.shape[i])) {
          error_msgs.push(`size mismatch for ${key}: copying a param with shape ${torchSize(input.shape)} from checkpoint, the shape in current model is ${torchSize(param.shape)}.`);
          continue;
        }
        try {
          no_grad(() => param.copy_(input));
        } catch (ex) {
          error_msgs.push(`While copying the parameter named "${key}", whose dimensions in the model are ${torchSize(param.shape)} and whose dimensions in the checkpoint are ${torchSize(input.shape)}, an exception occurred : ${(ex as Error).message}.`);
        }
      } else if (strict) {
        missing_keys.push(key);
      }
    }
    if (strict) {
      const children = new Set(this._own_children().map(([n]) => n));
      for (const key of Object.keys(state_dict)) {
        if (!key.startsWith(prefix)) continue;
        const inputName = key.slice(prefix.length).split('.', 1)[0];
        if (!children.has(inputName) && !local.has(inputName)) unexpected_keys.push(key);
      }
    }
  }

  /**
   * load_state_dict(state_dict, strict = true | { strict }): copies values in place (under no_grad) and returns
   * { missing_keys, unexpected_keys }. With strict, missing or unexpected keys raise; shape mismatches always raise,
   * with one message listing every problem, as PyTorch does.
   */
  load_state_dict(state_dict: StateDict | Map<string, Tensor>, strict: boolean | { strict?: boolean } = true): IncompatibleKeys {
    const fn = 'Module.load_state_dict';
    const s = typeof strict === 'object' && strict !== null ? checkOptions(fn, strict, ['strict']).strict ?? true : strict;
    if (typeof s !== 'boolean') fail(fn, 'strict', 'a boolean', s);
    let sd: Record<string, any>;
    if (state_dict instanceof Map) sd = Object.fromEntries(state_dict);
    else if (typeof state_dict === 'object' && state_dict !== null && !(state_dict instanceof Tensor) && !Array.isArray(state_dict)) sd = { ...state_dict };
    else throw new TypeError(`${fn}: Expected state_dict to be dict-like, got ${describe(state_dict)}.`);
    const missing: string[] = [], unexpected: string[] = [], errors: string[] = [];
    const load = (mod: Module, local: Record<string, any>, prefix: string): void => {
      mod._load_from_state_dict(local, prefix, {}, true, missing, unexpected, errors);
      for (const [name, child] of mod._own_children()) {
        const cp = prefix + name + '.';
        const sub: Record<string, any> = {};
        for (const k of Object.keys(local)) if (k.startsWith(cp)) sub[k] = local[k];
        load(child, sub, cp);
      }
    };
    load(this, sd, '');
    if (s) {
      if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
      if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    return { missing_keys: missing, unexpected_keys: unexpected };
  }

  // ---- modes, conversion, gradients -----------------------------------------------------------------------------------------

  train(mode: boolean = true): this {
    if (typeof mode !== 'boolean') throw new Error(`Module.train: training mode is expected to be boolean, got ${describe(mode)}`);
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  requires_grad_(requires_grad: boolean = true): this {
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  /** zero_grad(set_to_none = false | { set_to_none }): the 1.13 default zeroes gradients in place. */
  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = false): void {
    const s = typeof set_to_none === 'object' && set_to_none !== null ? checkOptions('Module.zero_grad', set_to_none, ['set_to_none']).set_to_none ?? false : set_to_none;
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (s) { p.grad = null; continue; }
      if (p.grad.grad_fn !== null) p.grad.detach_();
      else p.grad.requires_grad_(false);
      p.grad.zero_();
    }
  }

  /** Applies fn to every submodule (children first) and to this module. */
  apply(fn: (m: Module) => void): this {
    if (typeof fn !== 'function') fail('Module.apply', 'fn', 'a function', fn);
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /** Applies fn to every parameter (in place: `param.data = fn(param)`, the Parameter object is kept), its grad, and every buffer. */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const m of this.children()) m._apply(fn);
    const self = this as any;
    for (const [, p] of this._own_parameters()) {
      const applied = no_grad(() => fn(p));
      if (applied !== p) p.data = applied;
      if (p.grad !== null) {
        const g = no_grad(() => fn(p.grad!));
        if (g !== p.grad) p.grad.data = g;
      }
    }
    for (const [name] of this._own_buffers()) self[name] = fn(self[name]);
    return this;
  }

  /** to(dtype) / to('cpu') / to(tensor) / to({ device, dtype }): floating point parameters and buffers are cast. */
  to(...args: (DType | string | Tensor | { device?: string; dtype?: DType; non_blocking?: boolean } | boolean)[]): this {
    const fn = 'Module.to';
    let dtype: DType | undefined;
    const device = (d: unknown): void => {
      if (d !== 'cpu' && d !== null && d !== undefined) throw new Error(`${fn}: spikeport runs on the CPU; device must be 'cpu', got ${describe(d)}`);
    };
    for (const a of args) {
      if (isDType(a)) dtype = a;
      else if (a instanceof Tensor) dtype = a.dtype;
      else if (typeof a === 'boolean') continue; // non_blocking
      else if (isPlainObject(a)) {
        const o = checkOptions(fn, a, ['device', 'dtype', 'non_blocking']);
        device(o.device);
        if (o.dtype !== undefined) {
          if (!isDType(o.dtype)) fail(fn, 'dtype', 'a dtype', o.dtype);
          dtype = o.dtype;
        }
      } else device(a);
    }
    if (dtype === undefined) return this;
    if (!isFloating(dtype)) throw new Error(`${fn}: nn.Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
    const d = dtype;
    return this._apply((t) => (t.is_floating_point() ? t.to(d) : t));
  }

  float(): this { return this._apply((t) => (t.is_floating_point() ? t.to('float32') : t)); }
  double(): this { return this._apply((t) => (t.is_floating_point() ? t.to('float64') : t)); }
  /** Casts all parameters and buffers to dst_type. */
  type(dst_type: DType): this {
    if (!isDType(dst_type)) fail('Module.type', 'dst_type', 'a dtype', dst_type);
    return this._apply((t) => t.to(dst_type));
  }
  cpu(): this { return this; }
  cuda(): this { throw new Error('Module.cuda: spikeport runs on the CPU (offload lives in spikeport/accel)'); }
  share_memory(): this { return this; }

  // ---- printing -------------------------------------------------------------------------------------------------------------

  _get_name(): string {
    return this.constructor.name;
  }

  /** The one-line description inside the parentheses (override in subclasses, as in PyTorch). */
  extra_repr(): string {
    return '';
  }

  /** PyTorch's print(model). */
  toString(): string {
    const extra = this.extra_repr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this._own_children().map(([key, m]) => `(${key}): ${addIndent(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = this._get_name() + '(';
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += '\n  ' + lines.join('\n  ') + '\n';
    }
    return main + ')';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const first = lines.shift()!;
  return first + '\n' + lines.map((l) => ' '.repeat(n) + l).join('\n');
}

/** Python's repr(float) (what extra_repr prints for float hyper-parameters): 1.0, 0.01, 1e-05, 1e+16, nan, inf. */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  const [mant, expStr] = v.toExponential().split('e');
  const e = Number(expStr);
  if (e >= -4 && e < 16) {
    const s = String(v);
    if (s.includes('e')) {
      // JS switches to exponent form below 1e-6; expand the shortest digits by hand
      const digits = mant.replace('-', '').replace('.', '');
      return (v < 0 ? '-' : '') + '0.' + '0'.repeat(-e - 1) + digits;
    }
    return s.includes('.') ? s : s + '.0';
  }
  const sign = e < 0 ? '-' : '+';
  const ae = Math.abs(e);
  return `${mant}e${sign}${ae < 10 ? '0' : ''}${ae}`;
}

/** How extra_repr prints a Python hyper-parameter whose default is an int (integral values print without '.0'). */
export function pyNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : pyFloat(v);
}

/** Python's repr of a tuple of ints: (2, 5), (3,). */
export function pyTuple(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;
}
