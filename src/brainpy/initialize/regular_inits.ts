/**
 * brainpy.initialize regular initializers (brainpy/initialize/regular_inits.py): ZeroInit, Constant, OneInit,
 * Identity. Shapes: each entry may itself be a sequence, multiplied out (brainpy.tools.size2num).
 */
import * as torch from '../../torch';
import { fail } from '../../torch/utils/checks';
import { _InterLayerInitializer, type Shape } from './base';

type Tensor = torch.Tensor;

/** @internal `[size2num(d) for d in shape]` (an int shape is taken as (int,)). */
export function _sizeList(fn: string, shape: unknown): number[] {
  const list = typeof shape === 'number' ? [shape] : Array.isArray(shape) ? shape : null;
  if (list === null) return fail(fn, 'shape', 'an integer or a sequence of integers', shape);
  return list.map((d: unknown) => {
    if (typeof d === 'number' && Number.isInteger(d) && d >= 0) return d;
    if (Array.isArray(d) && d.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) return d.reduce((a: number, b: number) => a * b, 1);
    return fail(fn, 'shape', 'non-negative integers (or sequences of them)', shape);
  });
}

/** @internal dtype argument: null/undefined → float32 (BrainPy's default float). */
export function _dtype(fn: string, dtype: unknown): torch.DType {
  if (dtype === undefined || dtype === null) return 'float32';
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32' && dtype !== 'bool') fail(fn, 'dtype', "one of 'float32', 'float64', 'int32', 'bool' or null", dtype);
  return dtype as torch.DType;
}

/** brainpy.init.ZeroInit(): zeros. */
export class ZeroInit extends _InterLayerInitializer {
  call(shape: Shape, dtype?: torch.DType | null): Tensor {
    const fn = 'ZeroInit.call';
    return torch.zeros(_sizeList(fn, shape), { dtype: _dtype(fn, dtype) });
  }
}

/** brainpy.init.Constant(value=1.): every entry `value` (a number, or a Tensor broadcast to the shape). */
export class Constant extends _InterLayerInitializer {
  value: number | Tensor;

  constructor(value: number | Tensor = 1.0) {
    super();
    if (typeof value !== 'number' && !(value instanceof torch.Tensor)) fail(this.constructor.name, 'value', 'a number or a Tensor', value);
    this.value = value;
  }

  call(shape: Shape, dtype?: torch.DType | null): Tensor {
    const fn = `${this.constructor.name}.call`;
    const s = _sizeList(fn, shape);
    const dt = _dtype(fn, dtype);
    if (typeof this.value === 'number') return torch.full(s, this.value, { dtype: dt });
    let v: Tensor;
    try {
      v = this.value.detach().expand(s);
    } catch {
      return fail(fn, 'value', `a Tensor broadcastable to [${s.join(', ')}]`, this.value);
    }
    return v.to(dt).contiguous().clone();
  }

  override toString(): string { return `${this.constructor.name}(value=${typeof this.value === 'number' ? this.value : 'Tensor'})`; }
}

/** brainpy.init.OneInit(value=1.): a Constant. */
export class OneInit extends Constant {}

/** brainpy.init.Identity(value=1.): value × the identity matrix (an int shape n gives (n, n)). */
export class Identity extends _InterLayerInitializer {
  value: number;

  constructor(value = 1.0) {
    super();
    if (typeof value !== 'number') fail('Identity', 'value', 'a number', value);
    this.value = value;
  }

  call(shape: Shape, dtype?: torch.DType | null): Tensor {
    const fn = 'Identity.call';
    if (Array.isArray(shape) && shape.length > 2) throw new Error(`${fn}: Only support initialize 2D weights for Identity, got shape [${shape.join(', ')}]`);
    const s = _sizeList(fn, shape);
    const [r, c] = s.length === 1 ? [s[0], s[0]] : s;
    if (s.length === 0) fail(fn, 'shape', 'one or two dimensions', shape);
    const out = torch.zeros([r, c], { dtype: _dtype(fn, dtype) });
    for (let i = 0; i < Math.min(r, c); i++) out.buffer[i * c + i] = this.value;
    return out;
  }

  override toString(): string { return `Identity(value=${this.value})`; }
}
