/** Shared by the test/torch suites: fixture decoding into spikeport tensors and tolerance comparisons with clear messages. */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import * as torch from '../../src/torch/index';
import { decodeTensor, type EncodedTensor } from '../../src/fixtures/tensorjson';

type Tensor = torch.Tensor;

export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'torch', 'ops');

/** spikeport has one integer dtype: torch's int64 (indices, argmax, nonzero, sum of bools) maps to int32. */
export function spikeportDtype(d: string): torch.DType {
  return (d === 'int64' ? 'int32' : d) as torch.DType;
}

/** A fixture tensor as a fresh contiguous spikeport tensor (int64 narrowed to int32, checking the range). */
export function toTensor(e: EncodedTensor, where = 'tensor'): Tensor {
  const { dtype, shape, data } = decodeTensor(e);
  if (data instanceof BigInt64Array) {
    const out = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = Number(data[i]);
      if (v !== (v | 0)) throw new Error(`${where}: int64 value ${v} does not fit spikeport's int32`);
      out[i] = v;
    }
    return torch.from_typed_array(out, shape);
  }
  if (dtype === 'bool' && !(data instanceof Uint8Array)) throw new Error(`${where}: bool data must be bytes`);
  return torch.from_typed_array(data.slice() as torch.TypedArray, shape);
}

export interface Tol { atol: number; rtol: number }
export const FWD_TOL: Tol = { atol: 1e-6, rtol: 1e-6 };
export const GRAD_TOL: Tol = { atol: 1e-6, rtol: 1e-5 };

function fmtNum(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function flatIndex(shape: readonly number[], k: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

/**
 * Compares a spikeport tensor with an expected one. `exact`: bit-for-bit (Object.is; any NaN matches any NaN);
 * otherwise NaN must match NaN, ±inf must match exactly, and finite values |got - want| <= atol + rtol·|want|.
 * Returns null when equal, else a message naming the quantity, the index, expected, got and the tolerance.
 */
export function mismatch(what: string, got: Tensor, want: Tensor, exact: boolean, tol: Tol): string | null {
  if (got.dtype !== want.dtype) return `${what}: dtype ${got.dtype}, expected ${want.dtype}`;
  if (got.shape.join(',') !== want.shape.join(',')) return `${what}: shape [${got.shape}], expected [${want.shape}]`;
  const g = got.toTypedArray(), w = want.toTypedArray();
  const isFloat = want.dtype === 'float32' || want.dtype === 'float64';
  for (let i = 0; i < w.length; i++) {
    const a = g[i], b = w[i];
    let ok: boolean;
    if (b !== b) ok = a !== a;
    else if (exact || !isFloat) ok = Object.is(a, b);
    else if (!Number.isFinite(b)) ok = a === b;
    else ok = Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b);
    if (!ok) {
      const how = exact || !isFloat ? 'exact' : `atol ${tol.atol}, rtol ${tol.rtol}`;
      return `${what}: at ${flatIndex(want.shape, i)} expected ${fmtNum(b)}, got ${fmtNum(a)} (${how})`;
    }
  }
  return null;
}

export function expectClose(what: string, got: Tensor, want: Tensor, exact = false, tol: Tol = FWD_TOL): void {
  const m = mismatch(what, got, want, exact, tol);
  if (m !== null) throw new Error(m);
}

/** Builds a tensor from nested numbers for hand-derived expectations. */
export function T(data: number[] | number[][] | number[][][], dtype: torch.DType = 'float32'): Tensor {
  return torch.tensor(data, { dtype });
}

export interface OpCase {
  name: string;
  op: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  inputs: Record<string, EncodedTensor>;
  outputs: EncodedTensor[];
  weights: (EncodedTensor | null)[];
  requires_grad?: string[];
  grads?: Record<string, EncodedTensor>;
  exact: boolean;
  tol?: Partial<Tol>;
  note?: string;
}

export interface OpFixture { format: string; library: string; version: string; recorder: string; cases: OpCase[] }

export function loadOpFixtures(): { file: string; fixture: OpFixture }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as OpFixture }));
}
