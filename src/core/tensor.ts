/**
 * Tensor: a strided view (typed-array storage, shape, stride, offset — the `ndarray` layout) plus dtype and autograd state.
 * Views share storage and a version counter; methods are thin wrappers over the op registry (ops/*).
 */
import ndarray from 'ndarray';
import { ownGrad, runBackward, type Node } from './autograd';
import { type DType, type TypedArray, allocate, checkDType, isFloating } from './dtype';
import { checkOptions, fail } from './errors';
import { contiguousStrides, fmt, normDim, numel } from './shape';
import * as E from './ops/elementwise';
import * as R from './ops/reduce';
import * as V from './ops/view';
import * as L from './ops/linalg';
import * as J from './ops/join';
import * as I from './ops/inplace';

export type Scalar = number | boolean;
export type Operand = Tensor | Scalar;
/** One entry of an index: integer, slice string ('1:3', '::2', ':'), Slice object, '...', null (new axis), or an index/mask tensor. */
import type { TouchList } from './sparse_hint';
export type IndexItem = number | string | V.Slice | null | Tensor;
export type Hook = (grad: Tensor) => Tensor | void;

export class Tensor {
  /** Storage (shared between views). Read it through toTypedArray() unless you handle strides yourself. */
  buffer: TypedArray;
  shape: readonly number[];
  _stride: readonly number[];
  offset: number;
  dtype: DType;
  grad: Tensor | null = null;
  grad_fn: Node | null = null;
  _requiresGrad = false;
  _outputNr = 0;
  /** Shared by a tensor and all its views: bumped by every in-place write. */
  _version: { v: number };
  /** The tensor this one is a view of (null for a tensor owning its storage). */
  _base: Tensor | null = null;
  /** Gradient hooks of a leaf (null until one is registered: one array fewer per tensor made). */
  _hooks: Hook[] | null = null;
  /** Positions that can be nonzero, recorded by an event kernel (see sparse_hint.ts). */
  _nz: TouchList | null = null;
  _nzGen = 0;
  _nzVersion = 0;

  constructor(buffer: TypedArray, shape: readonly number[], stride: readonly number[], offset: number, dtype: DType, version?: { v: number }) {
    this.buffer = buffer;
    this.shape = shape;
    this._stride = stride;
    this.offset = offset;
    this.dtype = dtype;
    this._version = version ?? { v: 0 };
  }

  /** A fresh contiguous tensor owning `buffer` (no copy). */
  static fromBuffer(buffer: TypedArray, shape: readonly number[], dtype: DType): Tensor {
    if (buffer.length !== numel(shape)) throw new Error(`Tensor.fromBuffer: buffer has ${buffer.length} elements, shape ${fmt(shape)} needs ${numel(shape)}`);
    return new Tensor(buffer, shape.slice(), contiguousStrides(shape), 0, dtype);
  }

  static empty(shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(allocate(dtype, numel(shape)), shape.slice(), contiguousStrides(shape), 0, dtype);
  }

  /** A view of this tensor's storage with another geometry (autograd is handled by the caller). */
  _view(shape: readonly number[], stride: readonly number[], offset: number): Tensor {
    const t = new Tensor(this.buffer, shape, stride, offset, this.dtype, this._version);
    t._base = this._base ?? this;
    return t;
  }

  // ---- properties -------------------------------------------------------------------------------------------------

  get ndim(): number { return this.shape.length; }
  dim(): number { return this.shape.length; }
  numel(): number { return numel(this.shape); }
  get device(): string { return 'cpu'; }
  get is_leaf(): boolean { return this.grad_fn === null; }
  get requires_grad(): boolean { return this._requiresGrad; }
  set requires_grad(v: boolean) { this.requires_grad_(v); }

  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    return this.shape[normDim('Tensor.size', dim, this.ndim)];
  }

  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return this._stride.slice();
    return this._stride[normDim('Tensor.stride', dim, this.ndim)];
  }

  storage_offset(): number { return this.offset; }
  element_size(): number { return this.buffer.BYTES_PER_ELEMENT; }
  isFloatingPoint(): boolean { return isFloating(this.dtype); }
  is_floating_point(): boolean { return isFloating(this.dtype); }

  is_contiguous(): boolean {
    let acc = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this._stride[i] !== acc) return false;
      acc *= this.shape[i];
    }
    return true;
  }

  /** PyTorch's `.data`: a tensor sharing this storage, detached from autograd. Assigning replaces this tensor's contents. */
  get data(): Tensor { return this.detach(); }
  set data(t: Tensor) {
    if (!(t instanceof Tensor)) fail('Tensor.data', 'the assigned value', 'a Tensor', t);
    this.buffer = t.buffer;
    this.shape = t.shape.slice();
    this._stride = t._stride.slice();
    this.offset = t.offset;
    this.dtype = t.dtype;
    this._version = t._version;
  }

  /** The same view as an `ndarray` (for the scijs ecosystem). */
  get nd(): ndarray.NdArray<TypedArray> { return ndarray(this.buffer, this.shape.slice(), this._stride.slice(), this.offset); }

  /** The values as a fresh contiguous typed array of this dtype (bool is Uint8Array of 0/1). */
  toTypedArray(): TypedArray {
    const c = this.is_contiguous() ? this : this.contiguous();
    return c.buffer.slice(c.offset, c.offset + c.numel()) as TypedArray;
  }

  // ---- autograd ---------------------------------------------------------------------------------------------------

  requires_grad_(requires_grad = true): this {
    if (typeof requires_grad !== 'boolean') fail('Tensor.requires_grad_', 'requires_grad', 'a boolean', requires_grad);
    if (this.grad_fn !== null && !requires_grad) throw new Error('Tensor.requires_grad_: you can only change requires_grad flags of leaf tensors; use detach() to get a tensor that does not require grad');
    if (requires_grad && !this.isFloatingPoint()) throw new Error(`Tensor.requires_grad_: only tensors of floating point dtype can require gradients, got ${this.dtype}`);
    if (this.grad_fn === null) this._requiresGrad = requires_grad;
    return this;
  }

  detach(): Tensor {
    const t = new Tensor(this.buffer, this.shape, this._stride, this.offset, this.dtype, this._version);
    t._base = this._base ?? this;
    return t;
  }

  detach_(): this {
    this.grad_fn = null;
    this._requiresGrad = false;
    return this;
  }

  retain_grad(): void {
    if (!this._requiresGrad) throw new Error("Tensor.retain_grad: can't retain_grad on a tensor that has requires_grad=False");
    if (this.grad_fn === null) return;
    (this.grad_fn.retained ??= new Map()).set(this._outputNr, this);
  }

  /** Registers fn(grad) to run when this leaf's gradient is computed; it may return a replacement gradient. */
  register_hook(fn: Hook): { remove(): void } {
    if (typeof fn !== 'function') fail('Tensor.register_hook', 'fn', 'a function', fn);
    if (this.grad_fn !== null) throw new Error('Tensor.register_hook: hooks are supported on leaf tensors only in spikeport');
    (this._hooks ??= []).push(fn);
    return { remove: () => { if (this._hooks !== null) this._hooks = this._hooks.filter((h) => h !== fn); } };
  }

  backward(gradient?: Tensor | null, options?: { retain_graph?: boolean; create_graph?: boolean; inputs?: Tensor[] }): void {
    const o = checkOptions('Tensor.backward', options, ['retain_graph', 'create_graph', 'inputs']);
    if (!this._requiresGrad) throw new Error('Tensor.backward: element 0 of tensors does not require grad and does not have a grad_fn');
    let g = gradient ?? null;
    if (g === null) {
      if (this.numel() !== 1) throw new Error(`Tensor.backward: grad can be implicitly created only for scalar outputs; got shape ${fmt(this.shape)}, pass a gradient`);
      g = E.onesLike(this);
    } else if (!(g instanceof Tensor)) {
      fail('Tensor.backward', 'gradient', 'a Tensor', g);
    } else if (fmt(g.shape) !== fmt(this.shape)) {
      throw new Error(`Tensor.backward: gradient has shape ${fmt(g.shape)}, expected ${fmt(this.shape)}`);
    }
    const create = o.create_graph ?? false;
    const retain = o.retain_graph ?? create;
    if (o.inputs) {
      const gs = runBackward([this], [g], { retain_graph: retain, create_graph: create, inputs: o.inputs, allow_unused: true }, E.accumulateGrad);
      o.inputs.forEach((t, i) => { if (gs[i]) t.grad = t.grad ? E.accumulateGrad(t.grad, gs[i]!) : ownGrad(gs[i]!, false); });
      return;
    }
    runBackward([this], [g], { retain_graph: retain, create_graph: create }, E.accumulateGrad);
  }

  // ---- conversion -------------------------------------------------------------------------------------------------

  item(): number {
    if (this.numel() !== 1) throw new Error(`Tensor.item: only one-element tensors can be converted to a number, got shape ${fmt(this.shape)}`);
    return this.buffer[this.offset];
  }

  tolist(): any {
    const rec = (d: number, off: number): any => {
      if (d === this.ndim) return this.dtype === 'bool' ? this.buffer[off] !== 0 : this.buffer[off];
      const out = new Array(this.shape[d]);
      for (let i = 0; i < this.shape[d]; i++) out[i] = rec(d + 1, off + i * this._stride[d]);
      return out;
    };
    return rec(0, this.offset);
  }

  to(dtype: DType): Tensor { return E.cast(this, checkDType('Tensor.to', 'dtype', dtype)); }
  type(dtype: DType): Tensor { return this.to(dtype); }
  float(): Tensor { return E.cast(this, 'float32'); }
  double(): Tensor { return E.cast(this, 'float64'); }
  /** int32: spikeport's one integer dtype, also what long() gives. */
  int(): Tensor { return E.cast(this, 'int32'); }
  long(): Tensor { return E.cast(this, 'int32'); }
  bool(): Tensor { return E.cast(this, 'bool'); }
  cpu(): Tensor { return this; }

  toString(): string {
    const body = JSON.stringify(this.tolist());
    const extra = this.dtype !== 'float32' ? `, dtype=${this.dtype}` : '';
    const gradInfo = this.grad_fn ? `, grad_fn=<${this.grad_fn.name}Backward>` : this._requiresGrad ? ', requires_grad=True' : '';
    return `tensor(${body}${extra}${gradInfo})`;
  }

  // ---- elementwise ------------------------------------------------------------------------------------------------

  add(other: Operand, options?: { alpha?: number }): Tensor { return E.add(this, other, options); }
  sub(other: Operand, options?: { alpha?: number }): Tensor { return E.sub(this, other, options); }
  rsub(other: Operand): Tensor { return E.sub(other, this); }
  mul(other: Operand): Tensor { return E.mul(this, other); }
  div(other: Operand, options?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor { return E.div(this, other, options); }
  true_divide(other: Operand): Tensor { return E.div(this, other); }
  floor_divide(other: Operand): Tensor { return E.div(this, other, { rounding_mode: 'floor' }); }
  remainder(other: Operand): Tensor { return E.remainder(this, other); }
  fmod(other: Operand): Tensor { return E.fmod(this, other); }
  pow(exponent: Operand): Tensor { return E.pow(this, exponent); }
  maximum(other: Tensor): Tensor { return E.maximum(this, other); }
  minimum(other: Tensor): Tensor { return E.minimum(this, other); }
  atan2(other: Tensor): Tensor { return E.atan2(this, other); }
  neg(): Tensor { return E.neg(this); }
  abs(): Tensor { return E.abs(this); }
  sign(): Tensor { return E.sign(this); }
  exp(): Tensor { return E.exp(this); }
  expm1(): Tensor { return E.expm1(this); }
  log(): Tensor { return E.log(this); }
  log1p(): Tensor { return E.log1p(this); }
  log2(): Tensor { return E.log2(this); }
  log10(): Tensor { return E.log10(this); }
  sqrt(): Tensor { return E.sqrt(this); }
  rsqrt(): Tensor { return E.rsqrt(this); }
  square(): Tensor { return E.square(this); }
  reciprocal(): Tensor { return E.reciprocal(this); }
  sin(): Tensor { return E.sin(this); }
  cos(): Tensor { return E.cos(this); }
  tan(): Tensor { return E.tan(this); }
  tanh(): Tensor { return E.tanh(this); }
  atan(): Tensor { return E.atan(this); }
  erf(): Tensor { return E.erf(this); }
  erfc(): Tensor { return E.erfc(this); }
  sigmoid(): Tensor { return E.sigmoid(this); }
  relu(): Tensor { return E.relu(this); }
  floor(): Tensor { return E.floor(this); }
  ceil(): Tensor { return E.ceil(this); }
  round(): Tensor { return E.round(this); }
  trunc(): Tensor { return E.trunc(this); }
  clamp(min?: number | Tensor | null, max?: number | Tensor | null): Tensor { return E.clamp(this, min, max); }
  clip(min?: number | Tensor | null, max?: number | Tensor | null): Tensor { return E.clamp(this, min, max); }
  clamp_min(min: number | Tensor): Tensor { return E.clamp(this, min, null); }
  clamp_max(max: number | Tensor): Tensor { return E.clamp(this, null, max); }
  masked_fill(mask: Tensor, value: Operand): Tensor { return E.masked_fill(this, mask, value); }
  where(condition: Tensor, other: Operand): Tensor { return E.where(condition, this, other); }
  gt(other: Operand): Tensor { return E.gt(this, other); }
  ge(other: Operand): Tensor { return E.ge(this, other); }
  lt(other: Operand): Tensor { return E.lt(this, other); }
  le(other: Operand): Tensor { return E.le(this, other); }
  eq(other: Operand): Tensor { return E.eq(this, other); }
  ne(other: Operand): Tensor { return E.ne(this, other); }
  logical_and(other: Operand): Tensor { return E.logical_and(this, other); }
  logical_or(other: Operand): Tensor { return E.logical_or(this, other); }
  logical_xor(other: Operand): Tensor { return E.logical_xor(this, other); }
  logical_not(): Tensor { return E.logical_not(this); }
  isnan(): Tensor { return E.isnan(this); }
  isinf(): Tensor { return E.isinf(this); }
  isfinite(): Tensor { return E.isfinite(this); }
  equal(other: Tensor): boolean { return E.equal(this, other); }
  allclose(other: Tensor, options?: { rtol?: number; atol?: number; equal_nan?: boolean }): boolean { return E.allclose(this, other, options); }

  // ---- reductions -------------------------------------------------------------------------------------------------

  sum(dim?: number | number[] | null, options?: R.KeepDim & { dtype?: DType }): Tensor { return R.sum(this, dim, options); }
  mean(dim?: number | number[] | null, options?: R.KeepDim): Tensor { return R.mean(this, dim, options); }
  prod(dim?: number | null, options?: R.KeepDim): Tensor { return R.prod(this, dim, options); }
  var(dim?: number | number[] | null, options?: R.KeepDim & { unbiased?: boolean; correction?: number }): Tensor { return R.var_(this, dim, options); }
  std(dim?: number | number[] | null, options?: R.KeepDim & { unbiased?: boolean; correction?: number }): Tensor { return R.std(this, dim, options); }
  max(): Tensor;
  max(dim: number, options?: R.KeepDim): R.ValuesIndices;
  max(dim?: number, options?: R.KeepDim): Tensor | R.ValuesIndices { return dim === undefined ? R.amax(this) : R.max(this, dim, options); }
  min(): Tensor;
  min(dim: number, options?: R.KeepDim): R.ValuesIndices;
  min(dim?: number, options?: R.KeepDim): Tensor | R.ValuesIndices { return dim === undefined ? R.amin(this) : R.min(this, dim, options); }
  amax(dim?: number | number[] | null, options?: R.KeepDim): Tensor { return R.amax(this, dim, options); }
  amin(dim?: number | number[] | null, options?: R.KeepDim): Tensor { return R.amin(this, dim, options); }
  argmax(dim?: number | null, options?: R.KeepDim): Tensor { return R.argmax(this, dim, options); }
  argmin(dim?: number | null, options?: R.KeepDim): Tensor { return R.argmin(this, dim, options); }
  norm(p?: number | 'fro', dim?: number | number[] | null, options?: R.KeepDim): Tensor { return R.norm(this, p, dim, options); }
  logsumexp(dim: number | number[], options?: R.KeepDim): Tensor { return R.logsumexp(this, dim, options); }
  cumsum(dim: number): Tensor { return R.cumsum(this, dim); }
  softmax(dim: number): Tensor { return R.softmax(this, dim); }
  log_softmax(dim: number): Tensor { return R.log_softmax(this, dim); }
  all(dim?: number, options?: R.KeepDim): Tensor { return R.all(this, dim, options); }
  any(dim?: number, options?: R.KeepDim): Tensor { return R.any(this, dim, options); }
  count_nonzero(dim?: number): Tensor { return R.count_nonzero(this, dim); }

  // ---- linear algebra ---------------------------------------------------------------------------------------------

  matmul(other: Tensor): Tensor { return L.matmul(this, other); }
  mm(other: Tensor): Tensor { return L.mm(this, other); }
  bmm(other: Tensor): Tensor { return L.bmm(this, other); }
  mv(vec: Tensor): Tensor { return L.mv(this, vec); }
  dot(other: Tensor): Tensor { return L.dot(this, other); }
  outer(other: Tensor): Tensor { return L.outer(this, other); }

  // ---- views and shape --------------------------------------------------------------------------------------------

  view(...shape: (number | number[])[]): Tensor { return V.view(this, V.shapeArgs('Tensor.view', shape)); }
  view_as(other: Tensor): Tensor { return V.view(this, other.shape.slice()); }
  reshape(...shape: (number | number[])[]): Tensor { return V.reshape(this, V.shapeArgs('Tensor.reshape', shape)); }
  reshape_as(other: Tensor): Tensor { return V.reshape(this, other.shape.slice()); }
  permute(...dims: (number | number[])[]): Tensor { return V.permute(this, V.shapeArgs('Tensor.permute', dims, true)); }
  transpose(dim0: number, dim1: number): Tensor { return V.transpose(this, dim0, dim1); }
  swapaxes(dim0: number, dim1: number): Tensor { return V.transpose(this, dim0, dim1); }
  t(): Tensor { return V.t(this); }
  get T(): Tensor { return V.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); }
  narrow(dim: number, start: number, length: number): Tensor { return V.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return V.select(this, dim, index); }
  expand(...sizes: (number | number[])[]): Tensor { return V.expand(this, V.shapeArgs('Tensor.expand', sizes, true)); }
  expand_as(other: Tensor): Tensor { return V.expand(this, other.shape.slice()); }
  broadcast_to(shape: number[]): Tensor { return V.expand(this, shape); }
  repeat(...sizes: (number | number[])[]): Tensor { return V.repeat(this, V.shapeArgs('Tensor.repeat', sizes)); }
  unsqueeze(dim: number): Tensor { return V.unsqueeze(this, dim); }
  squeeze(dim?: number): Tensor { return V.squeeze(this, dim); }
  flatten(start_dim = 0, end_dim = -1): Tensor { return V.flatten(this, start_dim, end_dim); }
  unflatten(dim: number, sizes: number[]): Tensor { return V.unflatten(this, dim, sizes); }
  contiguous(): Tensor { return this.is_contiguous() ? this : V.clone(this); }
  clone(): Tensor { return V.clone(this); }
  /** Python's x[i, j:k, ..., None]: `x.index(i, 'j:k', '...', null)`. Integers and slices give views. */
  index(...items: IndexItem[]): Tensor { return V.index(this, items); }
  /** Python's x[items] = value (in place). */
  setitem(items: IndexItem | IndexItem[], value: Operand): this { I.setitem(this, Array.isArray(items) ? items : [items], value); return this; }
  split(split_size_or_sections: number | number[], dim = 0): Tensor[] { return J.split(this, split_size_or_sections, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return J.chunk(this, chunks, dim); }
  unbind(dim = 0): Tensor[] { return J.unbind(this, dim); }
  index_select(dim: number, index: Tensor): Tensor { return J.index_select(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return J.gather(this, dim, index); }
  scatter(dim: number, index: Tensor, src: Operand): Tensor { return J.scatter(this, dim, index, src); }
  scatter_add(dim: number, index: Tensor, src: Tensor): Tensor { return J.scatter_add(this, dim, index, src); }
  masked_select(mask: Tensor): Tensor { return J.masked_select(this, mask); }
  nonzero(): Tensor { return J.nonzero(this); }

  // ---- in place ---------------------------------------------------------------------------------------------------

  add_(other: Operand, options?: { alpha?: number }): this { return I.inplace(this, 'add_', (s) => E.add(s, other, options)); }
  sub_(other: Operand, options?: { alpha?: number }): this { return I.inplace(this, 'sub_', (s) => E.sub(s, other, options)); }
  mul_(other: Operand): this { return I.inplace(this, 'mul_', (s) => E.mul(s, other)); }
  div_(other: Operand, options?: { rounding_mode?: 'trunc' | 'floor' | null }): this { return I.inplace(this, 'div_', (s) => E.div(s, other, options)); }
  pow_(exponent: Operand): this { return I.inplace(this, 'pow_', (s) => E.pow(s, exponent)); }
  neg_(): this { return I.inplace(this, 'neg_', (s) => E.neg(s)); }
  abs_(): this { return I.inplace(this, 'abs_', (s) => E.abs(s)); }
  exp_(): this { return I.inplace(this, 'exp_', (s) => E.exp(s)); }
  sqrt_(): this { return I.inplace(this, 'sqrt_', (s) => E.sqrt(s)); }
  sigmoid_(): this { return I.inplace(this, 'sigmoid_', (s) => E.sigmoid(s)); }
  relu_(): this { return I.inplace(this, 'relu_', (s) => E.relu(s)); }
  clamp_(min?: number | Tensor | null, max?: number | Tensor | null): this { return I.inplace(this, 'clamp_', (s) => E.clamp(s, min, max)); }
  clip_(min?: number | Tensor | null, max?: number | Tensor | null): this { return this.clamp_(min, max); }
  masked_fill_(mask: Tensor, value: Operand): this { return I.inplace(this, 'masked_fill_', (s) => E.masked_fill(s, mask, value)); }
  addcmul_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    const v = checkOptions('Tensor.addcmul_', options, ['value']).value ?? 1;
    return I.inplace(this, 'addcmul_', (s) => E.add(s, E.mul(t1, t2), { alpha: v }));
  }
  addcdiv_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    const v = checkOptions('Tensor.addcdiv_', options, ['value']).value ?? 1;
    return I.inplace(this, 'addcdiv_', (s) => E.add(s, E.div(t1, t2), { alpha: v }));
  }
  lerp_(end: Tensor, weight: number): this { return I.inplace(this, 'lerp_', (s) => E.add(s, E.sub(end, s), { alpha: weight })); }
  copy_(src: Operand): this { return I.copy_(this, src); }
  fill_(value: Scalar | Tensor): this { return I.fill_(this, value); }
  zero_(): this { return I.fill_(this, 0); }
  uniform_(from = 0, to = 1, options?: I.GenOpt): this { return I.uniform_(this, from, to, options); }
  normal_(mean = 0, std = 1, options?: I.GenOpt): this { return I.normal_(this, mean, std, options); }
  bernoulli_(p: number | Tensor = 0.5, options?: I.GenOpt): this { return I.bernoulli_(this, p, options); }
  random_(from: number, to?: number, options?: I.GenOpt): this { return I.random_(this, from, to, options); }
  scatter_(dim: number, index: Tensor, src: Operand): this { return I.inplace(this, 'scatter_', (s) => J.scatter(s, dim, index, src)); }
  scatter_add_(dim: number, index: Tensor, src: Tensor): this { return I.inplace(this, 'scatter_add_', (s) => J.scatter_add(s, dim, index, src)); }
  index_fill_(dim: number, index: Tensor, value: number): this { return I.index_fill_(this, dim, index, value); }
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
