/** Tensor creation: from data, constant fills, ranges, identity, *_like forms and random sampling. */
import { type DType, type TypedArray, allocate, castScalar, checkDType, dtypeOfArray, isFloating } from '../dtype';
import { checkInt, checkOptions, describe, fail } from '../errors';
import { sizeArgs } from '../shape';
import { Tensor } from '../tensor';
import { default_generator, Generator } from '../random/generator';
import { checkTensor } from './elementwise';
import { bernoulli_, normal_, random_, uniform_ } from './inplace';

export interface CreateOptions { dtype?: DType; requires_grad?: boolean }
export interface RandomOptions extends CreateOptions { generator?: Generator }

export type NestedArray = number | boolean | NestedArray[];

function finish(t: Tensor, fn: string, o: CreateOptions): Tensor {
  if (o.requires_grad) {
    if (!isFloating(t.dtype)) throw new Error(`${fn}: only tensors of floating point dtype can require gradients, got ${t.dtype}`);
    t._requiresGrad = true;
  }
  return t;
}

const CREATE_KEYS = ['dtype', 'requires_grad'] as const;
const RANDOM_KEYS = ['dtype', 'requires_grad', 'generator'] as const;

function isOptions(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Tensor);
}

/** Splits f(2, 3, {dtype}) / f([2, 3], {dtype}) into size and options. */
function sizeAndOptions<O extends object>(fn: string, args: unknown[], keys: readonly string[]): [number[], Partial<O>] {
  const last = args[args.length - 1];
  const opts = isOptions(last) ? (args.pop() as O) : undefined;
  return [sizeArgs(fn, args), checkOptions(fn, opts, keys) as Partial<O>];
}

function dtypeOpt(fn: string, o: CreateOptions, dflt: DType): DType {
  return o.dtype === undefined ? dflt : checkDType(fn, 'dtype', o.dtype);
}

// ---- from data -----------------------------------------------------------------------------------------------------------

/** torch.tensor: from nested arrays (numbers give float32: JS cannot tell 1 from 1.0), booleans (bool), typed arrays (their dtype), or a number. */
export function tensor(data: NestedArray | TypedArray | Tensor, options?: CreateOptions): Tensor {
  const o = checkOptions('torch.tensor', options, CREATE_KEYS);
  if (data instanceof Tensor) {
    const t = data.detach().clone();
    return finish(o.dtype && o.dtype !== t.dtype ? t.to(o.dtype) : t, 'torch.tensor', o);
  }
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint8Array)) {
      fail('torch.tensor', 'data', 'a Float32Array, Float64Array, Int32Array or Uint8Array', data);
    }
    const src = dtypeOfArray(data as TypedArray);
    const dtype = dtypeOpt('torch.tensor', o, src);
    const t = Tensor.fromBuffer((data as TypedArray).slice() as TypedArray, [data.length], src);
    return finish(dtype === src ? t : t.to(dtype), 'torch.tensor', o);
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (shape.length > 64) fail('torch.tensor', 'data', 'at most 64 levels of nesting', data);
    probe = probe[0];
  }
  const isBool = typeof probe === 'boolean';
  const dtype = dtypeOpt('torch.tensor', o, isBool ? 'bool' : 'float32');
  let n = 1;
  for (const s of shape) n *= s;
  const buf = allocate(dtype, n);
  let at = 0;
  const walk = (x: unknown, d: number): void => {
    if (d === shape.length) {
      if (typeof x === 'number') buf[at++] = castScalar(dtype, x);
      else if (typeof x === 'boolean') buf[at++] = x ? 1 : 0;
      else fail('torch.tensor', 'data', 'nested arrays of numbers or booleans', x);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[d]) {
      throw new Error(`torch.tensor: data is ragged: expected a sequence of length ${shape[d]} at dim ${d}, got ${describe(x)}`);
    }
    for (const v of x) walk(v, d + 1);
  };
  walk(data, 0);
  return finish(Tensor.fromBuffer(buf, shape, dtype), 'torch.tensor', o);
}

/** torch.from_numpy's role: wraps a typed array without copying (shape defaults to 1-D). */
export function from_typed_array(data: TypedArray, shape?: number[]): Tensor {
  if (!ArrayBuffer.isView(data)) fail('torch.from_typed_array', 'data', 'a typed array', data);
  return Tensor.fromBuffer(data, shape ?? [data.length], dtypeOfArray(data));
}

// ---- constant fills ------------------------------------------------------------------------------------------------------

type SizeArgs = (number | number[] | CreateOptions)[];

export function full(size: number[], fill_value: number | boolean, options?: CreateOptions): Tensor {
  const o = checkOptions('torch.full', options, CREATE_KEYS);
  const shape = sizeArgs('torch.full', [size]);
  if (typeof fill_value !== 'number' && typeof fill_value !== 'boolean') fail('torch.full', 'fill_value', 'a number or boolean', fill_value);
  const dtype = dtypeOpt('torch.full', o, typeof fill_value === 'boolean' ? 'bool' : 'float32');
  const t = Tensor.empty(shape, dtype);
  t.buffer.fill(castScalar(dtype, Number(fill_value)));
  return finish(t, 'torch.full', o);
}

export function zeros(...args: SizeArgs): Tensor {
  const [shape, o] = sizeAndOptions<CreateOptions>('torch.zeros', args, CREATE_KEYS);
  return finish(Tensor.empty(shape, dtypeOpt('torch.zeros', o, 'float32')), 'torch.zeros', o);
}

export function ones(...args: SizeArgs): Tensor {
  const [shape, o] = sizeAndOptions<CreateOptions>('torch.ones', args, CREATE_KEYS);
  return full(shape, 1, o);
}

/** Like torch.empty; spikeport's memory is always zero-filled (typed arrays are). */
export function empty(...args: SizeArgs): Tensor {
  const [shape, o] = sizeAndOptions<CreateOptions>('torch.empty', args, CREATE_KEYS);
  return finish(Tensor.empty(shape, dtypeOpt('torch.empty', o, 'float32')), 'torch.empty', o);
}

function likeOpts(fn: string, x: Tensor, options?: CreateOptions): [number[], CreateOptions] {
  checkTensor(fn, 'input', x);
  const o = checkOptions(fn, options, CREATE_KEYS);
  return [x.shape.slice(), { ...o, dtype: o.dtype ?? x.dtype }];
}
export const zeros_like = (x: Tensor, options?: CreateOptions): Tensor => { const [s, o] = likeOpts('torch.zeros_like', x, options); return zeros(s, o); };
export const ones_like = (x: Tensor, options?: CreateOptions): Tensor => { const [s, o] = likeOpts('torch.ones_like', x, options); return ones(s, o); };
export const empty_like = (x: Tensor, options?: CreateOptions): Tensor => { const [s, o] = likeOpts('torch.empty_like', x, options); return empty(s, o); };
export const full_like = (x: Tensor, v: number | boolean, options?: CreateOptions): Tensor => { const [s, o] = likeOpts('torch.full_like', x, options); return full(s, v, o); };

// ---- ranges ------------------------------------------------------------------------------------------------------------------

/** arange(end) / arange(start, end, step?): integer arguments give int32 (torch: int64), otherwise float32. */
export function arange(start: number, end?: number | CreateOptions, step?: number | CreateOptions, options?: CreateOptions): Tensor {
  let opts = options;
  if (isOptions(end)) { opts = end as CreateOptions; end = undefined; }
  if (isOptions(step)) { opts = step as CreateOptions; step = undefined; }
  const o = checkOptions('torch.arange', opts, CREATE_KEYS);
  let s = start, e = end as number | undefined, st = (step as number | undefined) ?? 1;
  if (e === undefined) { e = s; s = 0; }
  for (const [k, v] of [['start', s], ['end', e], ['step', st]] as const) if (typeof v !== 'number' || !Number.isFinite(v)) fail('torch.arange', k, 'a finite number', v);
  if (st === 0) throw new Error('torch.arange: step must be nonzero');
  if ((e - s) / st < 0) throw new Error(`torch.arange: upper bound and larger bound inconsistent with step sign (start=${s}, end=${e}, step=${st})`);
  const dtype = dtypeOpt('torch.arange', o, [s, e, st].every(Number.isInteger) ? 'int32' : 'float32');
  const n = Math.ceil((e - s) / st);
  const buf = allocate(dtype, n);
  for (let i = 0; i < n; i++) buf[i] = s + i * st;
  return finish(Tensor.fromBuffer(buf, [n], dtype), 'torch.arange', o);
}

/** Evaluated from both ends as torch 1.13's CPU kernel does (start + i·step for the first half, end - (n-1-i)·step after). */
export function linspace(start: number, end: number, steps: number, options?: CreateOptions): Tensor {
  const o = checkOptions('torch.linspace', options, CREATE_KEYS);
  checkInt('torch.linspace', 'steps', steps, 0);
  const dtype = dtypeOpt('torch.linspace', o, 'float32');
  const buf = allocate(dtype, steps);
  if (steps === 1) buf[0] = start;
  else if (steps > 1) {
    const step = (end - start) / (steps - 1);
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) buf[i] = i < half ? start + step * i : end - step * (steps - i - 1);
  }
  return finish(Tensor.fromBuffer(buf, [steps], dtype), 'torch.linspace', o);
}

export function eye(n: number, m?: number | CreateOptions, options?: CreateOptions): Tensor {
  if (isOptions(m)) { options = m as CreateOptions; m = undefined; }
  const o = checkOptions('torch.eye', options, CREATE_KEYS);
  checkInt('torch.eye', 'n', n, 0);
  const cols = (m as number | undefined) ?? n;
  checkInt('torch.eye', 'm', cols, 0);
  const t = Tensor.empty([n, cols], dtypeOpt('torch.eye', o, 'float32'));
  for (let i = 0; i < Math.min(n, cols); i++) t.buffer[i * cols + i] = 1;
  return finish(t, 'torch.eye', o);
}

// ---- random ----------------------------------------------------------------------------------------------------------------

function randomTensor(fn: string, args: unknown[], fill: (t: Tensor, g: Generator) => void): Tensor {
  const [shape, o] = sizeAndOptions<RandomOptions>(fn, args, RANDOM_KEYS);
  const t = Tensor.empty(shape, dtypeOpt(fn, o, 'float32'));
  fill(t, o.generator ?? default_generator);
  return finish(t, fn, o);
}

type RandArgs = (number | number[] | RandomOptions)[];
export const rand = (...args: RandArgs): Tensor => randomTensor('torch.rand', args, (t, g) => uniform_(t, 0, 1, { generator: g }));
export const randn = (...args: RandArgs): Tensor => randomTensor('torch.randn', args, (t, g) => normal_(t, 0, 1, { generator: g }));
export const rand_like = (x: Tensor, options?: RandomOptions): Tensor => rand(x.shape.slice(), { dtype: x.dtype, ...options });
export const randn_like = (x: Tensor, options?: RandomOptions): Tensor => randn(x.shape.slice(), { dtype: x.dtype, ...options });

/** randint(high, size) or randint(low, high, size); int32 by default (torch: int64). */
export function randint(a: number, b: number | number[], c?: number[] | RandomOptions, options?: RandomOptions): Tensor {
  let low = 0, high: number, size: number[];
  if (Array.isArray(b)) { high = a; size = b; options = c as RandomOptions | undefined; }
  else { low = a; high = b; size = c as number[]; }
  if (!Array.isArray(size)) fail('torch.randint', 'size', 'an array of sizes', size);
  const o = checkOptions('torch.randint', options, RANDOM_KEYS);
  const t = Tensor.empty(sizeArgs('torch.randint', [size]), dtypeOpt('torch.randint', o, 'int32'));
  random_(t, low, high, { generator: o.generator ?? default_generator });
  return finish(t, 'torch.randint', o);
}

/** torch.bernoulli(p): one draw per element of the probability tensor. */
export function bernoulli(p: Tensor, options?: { generator?: Generator }): Tensor {
  checkTensor('torch.bernoulli', 'input', p);
  const o = checkOptions('torch.bernoulli', options, ['generator']);
  if (!isFloating(p.dtype)) fail('torch.bernoulli', 'input', 'a floating point tensor of probabilities', p);
  return bernoulli_(Tensor.empty(p.shape, p.dtype), p, o);
}

/** torch.normal(mean, std, size) with numbers, or elementwise with tensors of means/stds. */
export function normal(mean: number | Tensor, std: number | Tensor, size?: number[], options?: RandomOptions): Tensor {
  if (typeof mean === 'number' && typeof std === 'number') {
    if (!Array.isArray(size)) fail('torch.normal', 'size', 'an array of sizes when mean and std are numbers', size);
    const o = checkOptions('torch.normal', options, RANDOM_KEYS);
    const t = Tensor.empty(sizeArgs('torch.normal', [size]), dtypeOpt('torch.normal', o, 'float32'));
    return finish(normal_(t, mean, std, { generator: o.generator }), 'torch.normal', o);
  }
  const o = checkOptions('torch.normal', (isOptions(size) ? size : options) as RandomOptions | undefined, ['generator']);
  const like = mean instanceof Tensor ? mean : (std as Tensor);
  const z = normal_(Tensor.empty(like.shape, like.dtype), 0, 1, o);
  return z.mul(std).add(mean);
}
