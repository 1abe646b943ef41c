/** dtypes: float32 (default), float64, int32 (indices; also what torch.int64/long maps to), bool (Uint8Array of 0/1). */

export type DType = 'float32' | 'float64' | 'int32' | 'bool';
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

export function checkDType(fn: string, arg: string, x: unknown): DType {
  if (!isDType(x)) throw new Error(`${fn}: ${arg} must be one of ${DTYPES.join(', ')}, got ${JSON.stringify(x)}`);
  return x;
}

export function allocate(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int32': return new Int32Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'bool';
}

export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** PyTorch type promotion between two tensors: the higher category wins (bool < int < float32 < float64). */
export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Promotion of a tensor with a JS number: a scalar never widens within its category, as in PyTorch.
 * JS cannot tell 2 from 2.0, so an integral number counts as an int scalar and a non-integral one as a float scalar. */
export function promoteScalar(t: DType, s: number | boolean): DType {
  if (typeof s === 'boolean') return t;
  if (t === 'bool') return Number.isInteger(s) ? 'int32' : 'float32';
  if (t === 'int32' && !Number.isInteger(s)) return 'float32';
  return t;
}

/** Value as stored by a dtype (what writing `v` into that typed array gives). */
export function castScalar(dtype: DType, v: number): number {
  switch (dtype) {
    case 'float32': return Math.fround(v);
    case 'float64': return v;
    case 'int32': return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
    case 'bool': return v !== 0 ? 1 : 0;
  }
}
