/**
 * Containers: Sequential, ModuleList, ModuleDict (PyTorch 1.13). Each keeps its children in its own ordered Map
 * (JS objects would put integer-like keys such as "10" before "2"), exposed to Module through `_own_children()`.
 *
 * Python → TypeScript: `seq[i]` → `seq.get(i)` (negative i counts from the end), `seq[a:b]` → `seq.slice(a, b)`,
 * `seq[i] = m` → `seq.set(i, m)`, `del seq[i]` → `seq.delete(i)`, `len(seq)` → `seq.length` or `seq.len()`,
 * `for m in seq` → `for (const m of seq)`, `md['k']` → `md.get('k')`, `'k' in md` → `md.has('k')`.
 */
import { checkInt, describe, fail } from '../../../core/errors';
import { isPlainObject, Module } from './module';

/** The ordered storage shared by the three containers (non-enumerable, so Module's property walk ignores it). */
function storage(m: Module): Map<string, Module> {
  return (m as unknown as { _modules: Map<string, Module> })._modules;
}

function initStorage(m: Module): void {
  Object.defineProperty(m, '_modules', { value: new Map<string, Module>(), enumerable: false, writable: true, configurable: false });
}

function checkModule(fn: string, arg: string, m: unknown): Module {
  if (!(m instanceof Module)) throw new TypeError(`${fn}: ${arg} must be a Module, got ${describe(m)}`);
  return m;
}

function checkKey(fn: string, name: unknown): string {
  if (typeof name !== 'string') throw new TypeError(`${fn}: module name should be a string, got ${describe(name)}`);
  if (name.includes('.')) throw new Error(`${fn}: module name can't contain ".", got: ${name}`);
  if (name === '') throw new Error(`${fn}: module name can't be empty string ""`);
  return name;
}

/** Python's slice(start, stop, step).indices(n) (any nonzero step), as the list of positions it selects. */
function slicePositions(fn: string, n: number, start?: number | null, stop?: number | null, step?: number | null): number[] {
  const st = step ?? 1;
  if (!Number.isInteger(st) || st === 0) fail(fn, 'step', 'a nonzero integer', step);
  for (const [k, v] of [['start', start], ['stop', stop]] as const) if (v !== null && v !== undefined && !Number.isInteger(v)) fail(fn, k, 'an integer or null', v);
  const norm = (v: number | null | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === null || v === undefined) return dflt;
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, lo), hi);
  };
  const out: number[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, n), b = norm(stop, n, 0, n);
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    const a = norm(start, n - 1, -1, n - 1), b = norm(stop, -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

abstract class ModuleStore extends Module {
  constructor() {
    super();
    initStorage(this);
  }

  override _own_children(): [string, Module][] {
    return [...storage(this).entries(), ...super._own_children()];
  }

  override add_module(name: string, module: Module | null): void {
    const fn = `${this._get_name()}.add_module`;
    checkKey(fn, name);
    if (module === null || module === undefined) { storage(this).delete(name); return; }
    checkModule(fn, 'module', module);
    if (!storage(this).has(name) && name in this) throw new Error(`${fn}: attribute '${name}' already exists`);
    storage(this).set(name, module);
  }

  get length(): number { return storage(this).size; }
  len(): number { return storage(this).size; }

  /** The absolute position of index idx (negative counts from the end), with Python's IndexError message. */
  protected _abs(fn: string, idx: number): number {
    checkInt(fn, 'idx', idx);
    const n = storage(this).size;
    if (!(-n <= idx && idx < n)) throw new RangeError(`${fn}: index ${idx} is out of range`);
    return idx < 0 ? idx + n : idx;
  }

  /** Renumbers the keys 0..n-1 keeping the order (what PyTorch does after a deletion). */
  protected _renumber(): void {
    const vals = [...storage(this).values()];
    const m = storage(this);
    m.clear();
    vals.forEach((v, i) => m.set(String(i), v));
  }
}

export class Sequential extends ModuleStore {
  /** Sequential(m0, m1, …) or Sequential(orderedDict) with a Map<string, Module> (or a plain object with non-integer keys). */
  constructor(...args: (Module | Map<string, Module> | Record<string, Module>)[]) {
    super();
    if (args.length === 1 && (args[0] instanceof Map || isPlainObject(args[0]))) {
      const entries = args[0] instanceof Map ? [...args[0].entries()] : Object.entries(args[0] as Record<string, Module>);
      for (const [k, m] of entries) this.add_module(k, checkModule('nn.Sequential', `module ${JSON.stringify(k)}`, m));
    } else {
      args.forEach((m, i) => this.add_module(String(i), checkModule('nn.Sequential', `argument ${i}`, m)));
    }
  }

  /** seq[idx] (negative idx counts from the end). */
  get(idx: number): Module {
    const i = this._abs('Sequential.get', idx);
    return [...storage(this).values()][i];
  }

  /** seq[start:stop:step]: a new Sequential of the same class holding the same modules under their original keys (as PyTorch). */
  slice(start?: number | null, stop?: number | null, step?: number | null): this {
    const entries = [...storage(this).entries()];
    const picked = slicePositions('Sequential.slice', entries.length, start, stop, step).map((i) => entries[i]);
    const Ctor = this.constructor as new (...a: unknown[]) => this;
    return new Ctor(new Map(picked));
  }

  /** seq[idx] = module. */
  set(idx: number, module: Module): void {
    const i = this._abs('Sequential.set', idx);
    checkModule('Sequential.set', 'module', module);
    const key = [...storage(this).keys()][i];
    storage(this).set(key, module);
  }

  /** del seq[idx] or del seq[start:stop]; keys are renumbered 0..n-1 afterwards (as PyTorch). */
  delete(idx: number | { start?: number | null; stop?: number | null; step?: number | null }): void {
    const keys = [...storage(this).keys()];
    const drop = typeof idx === 'number' ? [this._abs('Sequential.delete', idx)] : slicePositions('Sequential.delete', keys.length, idx.start, idx.stop, idx.step);
    for (const i of drop) storage(this).delete(keys[i]);
    this._renumber();
  }

  pop(idx: number): Module {
    const m = this.get(idx);
    this.delete(idx);
    return m;
  }

  append(module: Module): this {
    this.add_module(String(this.length), checkModule('Sequential.append', 'module', module));
    return this;
  }

  insert(index: number, module: Module): this {
    checkModule('Sequential.insert', 'module', module);
    checkInt('Sequential.insert', 'index', index);
    const n = this.length;
    if (!(-n <= index && index <= n)) throw new RangeError(`Sequential.insert: Index out of range: ${index}`);
    const i = index < 0 ? index + n : index;
    const m = storage(this);
    for (let k = n; k > i; k--) m.set(String(k), m.get(String(k - 1))!);
    m.set(String(i), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return storage(this).values();
  }

  /** Chains call() through every module. */
  override forward(input: any): any {
    for (const m of storage(this).values()) input = m.call(input);
    return input;
  }
}

export class ModuleList extends ModuleStore {
  constructor(modules?: Iterable<Module> | null) {
    super();
    if (modules !== null && modules !== undefined) this.extend(modules);
  }

  get(idx: number): Module {
    return storage(this).get(String(this._abs('ModuleList.get', idx)))!;
  }

  /** list[start:stop:step] as a new ModuleList (renumbered from 0, as PyTorch). */
  slice(start?: number | null, stop?: number | null, step?: number | null): this {
    const vals = [...storage(this).values()];
    const Ctor = this.constructor as new (...a: unknown[]) => this;
    return new Ctor(slicePositions('ModuleList.slice', vals.length, start, stop, step).map((i) => vals[i]));
  }

  set(idx: number, module: Module): void {
    const i = this._abs('ModuleList.set', idx);
    storage(this).set(String(i), checkModule('ModuleList.set', 'module', module));
  }

  delete(idx: number | { start?: number | null; stop?: number | null; step?: number | null }): void {
    const drop = typeof idx === 'number' ? [this._abs('ModuleList.delete', idx)] : slicePositions('ModuleList.delete', this.length, idx.start, idx.stop, idx.step);
    for (const i of drop) storage(this).delete(String(i));
    this._renumber();
  }

  pop(idx: number): Module {
    const m = this.get(idx);
    this.delete(idx);
    return m;
  }

  append(module: Module): this {
    this.add_module(String(this.length), checkModule('ModuleList.append', 'module', module));
    return this;
  }

  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${describe(modules)}`);
    }
    const offset = this.length;
    let i = 0;
    for (const m of modules) this.add_module(String(offset + i++), checkModule('ModuleList.extend', `modules[${i - 1}]`, m));
    return this;
  }

  /** Inserts module before index (PyTorch 1.13 shifts the later entries up; negative indices as list.insert). */
  insert(index: number, module: Module): void {
    checkModule('ModuleList.insert', 'module', module);
    checkInt('ModuleList.insert', 'index', index);
    const n = this.length;
    const i = index < 0 ? Math.max(index + n, 0) : Math.min(index, n);
    const m = storage(this);
    for (let k = n; k > i; k--) m.set(String(k), m.get(String(k - 1))!);
    m.set(String(i), module);
  }

  [Symbol.iterator](): Iterator<Module> {
    return storage(this).values();
  }
}

export class ModuleDict extends ModuleStore {
  /** ModuleDict(Map | plain object | [key, module] pairs). */
  constructor(modules?: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]> | null) {
    super();
    if (modules !== null && modules !== undefined) this.update(modules);
  }

  get(key: string): Module {
    const m = storage(this).get(key);
    if (!m) throw new Error(`ModuleDict.get: KeyError: ${JSON.stringify(key)}`);
    return m;
  }

  set(key: string, module: Module): void {
    this.add_module(key, checkModule('ModuleDict.set', 'module', module));
  }

  delete(key: string): void {
    if (!storage(this).delete(key)) throw new Error(`ModuleDict.delete: KeyError: ${JSON.stringify(key)}`);
  }

  has(key: string): boolean { return storage(this).has(key); }
  clear(): void { storage(this).clear(); }

  pop(key: string): Module {
    const m = this.get(key);
    this.delete(key);
    return m;
  }

  keys(): string[] { return [...storage(this).keys()]; }
  values(): Module[] { return [...storage(this).values()]; }
  items(): [string, Module][] { return [...storage(this).entries()]; }

  update(modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]> | ModuleDict): void {
    let entries: Iterable<[string, Module]>;
    if (modules instanceof ModuleDict) entries = modules.items();
    else if (modules instanceof Map) entries = modules.entries();
    else if (isPlainObject(modules)) entries = Object.entries(modules as Record<string, Module>);
    else if (modules !== null && typeof (modules as Iterable<[string, Module]>)[Symbol.iterator] === 'function') entries = modules as Iterable<[string, Module]>;
    else throw new TypeError(`ModuleDict.update should be called with an iterable of key/value pairs, but got ${describe(modules)}`);
    let j = 0;
    for (const kv of entries) {
      if (!Array.isArray(kv) || kv.length !== 2) throw new TypeError(`ModuleDict update sequence element #${j} should be a [key, module] pair, got ${describe(kv)}`);
      this.set(kv[0], kv[1]);
      j++;
    }
  }

  /** Iterates over the keys, as Python's dict. */
  [Symbol.iterator](): Iterator<string> {
    return storage(this).keys();
  }
}
