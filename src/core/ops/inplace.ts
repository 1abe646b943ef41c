/**
 * In-place ops. The new value is computed out of place (from a copy of the old one when autograd records), written into
 * the tensor's own storage, and the tensor's history is rebased onto it. Leaves that require grad refuse, as in PyTorch.
 */
import { is_grad_enabled } from '../autograd';
import { type DType, castScalar, isFloating } from '../dtype';
import { checkOptions, fail } from '../errors';
import { default_generator, Generator } from '../random/generator';
import { fmt, normDim, sameShape } from '../shape';
import { Tensor, type IndexItem, type Operand, type Scalar } from '../tensor';
import { cast, checkTensor, scalarTensor } from './elementwise';
import { copyInto, expand, index, clone } from './view';

const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/** Refuses in-place writes autograd cannot account for: into a leaf that requires grad, or into a view of one (as PyTorch). */
function refuseLeaf(self: Tensor, fn: string): void {
  if (!is_grad_enabled() || !self.requires_grad) return;
  if (self.grad_fn === null) {
    throw new Error(`${fn}: a leaf tensor that requires grad is being used in an in-place operation; do it inside torch.no_grad(() => …) or on a clone`);
  }
  const base = self._base;
  if (base !== null && base.requires_grad && base.grad_fn === null) {
    throw new Error(`${fn}: a view of a leaf tensor that requires grad is being used in an in-place operation; do it inside torch.no_grad(() => …) or on a clone`);
  }
}

export function inplace<T extends Tensor>(self: T, name: string, compute: (s: Tensor) => Tensor): T {
  refuseLeaf(self, `Tensor.${name}`);
  const recording = is_grad_enabled() && self.requires_grad;
  const r = compute(recording ? clone(self) : self); // the copy keeps the old values that backward may read
  return writeResult(self, name, r);
}

function writeResult<T extends Tensor>(self: T, name: string, r: Tensor): T {
  if (!sameShape(r.shape, self.shape)) {
    throw new Error(`Tensor.${name}: output with shape ${fmt(self.shape)} doesn't match the broadcast shape ${fmt(r.shape)}`);
  }
  if (CATEGORY[r.dtype] > CATEGORY[self.dtype]) throw new Error(`Tensor.${name}: result type ${r.dtype} can't be cast to the desired output type ${self.dtype}`);
  const tracks = is_grad_enabled() && r.requires_grad;
  if (tracks && self._base !== null) {
    throw new Error(`Tensor.${name}: in-place modification of a view with a result that requires grad is not supported in spikeport; build the tensor with torch.cat/stack/where instead`);
  }
  if (is_grad_enabled() && self._base !== null && self.requires_grad) {
    // the base's history cannot be rebased onto the written view: its gradient would silently stay the old one
    throw new Error(`Tensor.${name}: in-place modification of a view of a tensor that requires grad is not supported in spikeport; build the tensor with torch.cat/stack/where/masked_fill instead`);
  }
  copyInto(self, r);
  self._version.v++;
  if (tracks) {
    self.grad_fn = r.grad_fn;
    self._outputNr = r._outputNr;
    self._requiresGrad = true;
  } else if (self.grad_fn !== null && is_grad_enabled()) {
    self.grad_fn = null; // overwritten by a value that does not depend on anything requiring grad
    self._requiresGrad = false;
  }
  return self;
}

export function copy_<T extends Tensor>(self: T, src: Operand): T {
  const s = src instanceof Tensor ? src : scalarTensor(typeof src === 'boolean' ? Number(src) : src, self.dtype);
  refuseLeaf(self, 'Tensor.copy_');
  // copy_ casts any dtype, unlike arithmetic in-place ops
  const v = expand(s.dtype === self.dtype ? s : cast(s, self.dtype), self.shape.slice());
  return writeResult(self, 'copy_', v);
}

export function fill_<T extends Tensor>(self: T, value: Scalar | Tensor): T {
  if (value instanceof Tensor) {
    if (value.ndim !== 0) fail('Tensor.fill_', 'value', 'a number or a 0-d tensor', value);
    return copy_(self, value);
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') fail('Tensor.fill_', 'value', 'a number', value);
  return copy_(self, scalarTensor(castScalar(self.dtype, Number(value)), self.dtype));
}

export function setitem(self: Tensor, items: IndexItem[], value: Operand): void {
  const masks = items.filter((it) => it instanceof Tensor);
  if (masks.length) {
    const m = masks[0] as Tensor;
    if (items.length === 1 && m.dtype === 'bool' && !(value instanceof Tensor && value.ndim > 0)) {
      inplace(self, 'setitem', (s) => s.masked_fill(m, value));
      return;
    }
    throw new Error('Tensor.setitem: tensor indices are supported as a single bool mask with a scalar value (x[mask] = v); use index_fill_/scatter_ for integer indices');
  }
  copy_(index(self, items), value);
}

export function index_fill_<T extends Tensor>(self: T, dim: number, idx: Tensor, value: number): T {
  checkTensor('Tensor.index_fill_', 'index', idx);
  if (idx.dtype !== 'int32') fail('Tensor.index_fill_', 'index', 'an int32 tensor', idx);
  const d = normDim('Tensor.index_fill_', dim, self.ndim);
  const n = self.ndim === 0 ? 1 : self.shape[d];
  for (const i of idx.contiguous().toTypedArray() as Int32Array) {
    if (i < -n || i >= n) throw new Error(`Tensor.index_fill_: index ${i} is out of bounds for dimension ${d} with size ${n}`);
    fill_(self.ndim === 0 ? self : self.select(d, i < 0 ? i + n : i), value);
  }
  return self;
}

// ---- random in-place fills --------------------------------------------------------------------------------------------

export interface GenOpt { generator?: Generator }

function gen(fn: string, options: GenOpt | undefined): Generator {
  const o = checkOptions(fn, options, ['generator']);
  if (o.generator !== undefined && !(o.generator instanceof Generator)) fail(fn, 'generator', 'a torch.Generator', o.generator);
  return o.generator ?? default_generator;
}

/**
 * Fills a scratch buffer with `fill` in the order PyTorch's TensorIterator visits the tensor — memory order, i.e. dims
 * sorted by decreasing stride — then writes it into the (maybe strided) tensor.
 */
function randomFill<T extends Tensor>(self: T, fn: string, floatOnly: boolean, fill: (buf: Float32Array | Float64Array | Int32Array | Uint8Array, contiguous: boolean) => void): T {
  if (floatOnly && !isFloating(self.dtype)) fail(fn, 'self', 'a floating point tensor', self);
  if (is_grad_enabled() && self.requires_grad && self.grad_fn === null) {
    throw new Error(`${fn}: a leaf tensor that requires grad is being used in an in-place operation; do it inside torch.no_grad(() => …)`);
  }
  const contiguous = self.is_contiguous();
  const perm = self.shape.map((_, i) => i);
  if (!contiguous) perm.sort((a, b) => self._stride[b] - self._stride[a] || a - b);
  const target = contiguous ? self : self._view(perm.map((d) => self.shape[d]), perm.map((d) => self._stride[d]), self.offset);
  const tmp = Tensor.empty(target.shape, self.dtype);
  fill(tmp.buffer, contiguous);
  copyInto(target, tmp);
  self._version.v++;
  return self;
}

export function uniform_<T extends Tensor>(self: T, from: number, to: number, options?: GenOpt): T {
  const g = gen('Tensor.uniform_', options);
  if (!(from <= to)) throw new Error(`Tensor.uniform_: expects from <= to, got from=${from}, to=${to}`);
  return randomFill(self, 'Tensor.uniform_', true, (b) => g.uniform_fill(b as Float32Array | Float64Array, from, to));
}

export function normal_<T extends Tensor>(self: T, mean: number, std: number, options?: GenOpt): T {
  const g = gen('Tensor.normal_', options);
  if (!(std >= 0)) throw new Error(`Tensor.normal_: expects std >= 0.0, got std=${std}`);
  return randomFill(self, 'Tensor.normal_', true, (b, contiguous) => g.normal_fill(b as Float32Array | Float64Array, mean, std, { contiguous }));
}

export function bernoulli_<T extends Tensor>(self: T, p: number | Tensor, options?: GenOpt): T {
  const g = gen('Tensor.bernoulli_', options);
  if (p instanceof Tensor) {
    const pv = expand(p.dtype === 'float64' ? p : cast(p, 'float32'), self.shape.slice()).contiguous().toTypedArray() as Float32Array | Float64Array;
    for (const v of pv) if (!(v >= 0 && v <= 1)) throw new Error(`Tensor.bernoulli_: expects 0 <= p <= 1, got ${v}`);
    return randomFill(self, 'Tensor.bernoulli_', false, (b) => g.bernoulli_fill(b, pv));
  }
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail('Tensor.bernoulli_', 'p', 'a number in [0, 1]', p);
  return randomFill(self, 'Tensor.bernoulli_', false, (b) => g.bernoulli_fill(b, p));
}

/** random_(from, to): integers uniform in [from, to); random_(to): in [0, to). */
export function random_<T extends Tensor>(self: T, from: number, to?: number, options?: GenOpt): T {
  const g = gen('Tensor.random_', options);
  const [lo, hi] = to === undefined ? [0, from] : [from, to];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo >= hi) throw new Error(`Tensor.random_: expects integers from < to, got from=${lo}, to=${hi}`);
  return randomFill(self, 'Tensor.random_', false, (b) => g.randint_fill(b as Float32Array | Float64Array | Int32Array, lo, hi));
}
