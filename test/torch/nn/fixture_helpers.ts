/** Shared by the conv / pooling / norm tests: loading fixtures/torch/conv/*.json and comparing tensors with clear messages. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { decodeTensor, type EncodedTensor } from '../../../src/fixtures/tensorjson';
import { Tensor } from '../../../src/core/tensor';

export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'torch', 'conv', name + '.json'), 'utf8'));
}

/** A fixture tensor as a spikeport Tensor (int64 becomes int32, as spikeport's one integer dtype). */
export function T(e: EncodedTensor, requires_grad = false): Tensor {
  const d = decodeTensor(e);
  let t: Tensor;
  if (d.data instanceof BigInt64Array) t = Tensor.fromBuffer(Int32Array.from(d.data, (v) => Number(v)), d.shape, 'int32');
  else t = Tensor.fromBuffer(d.data, d.shape, d.dtype === 'bool' ? 'bool' : (d.dtype as 'float32' | 'float64' | 'int32'));
  if (requires_grad) t.requires_grad_(true);
  return t;
}

export interface Tol { atol?: number; rtol?: number }

/**
 * Throws unless |got − want| <= atol + rtol·|want| elementwise (NaN matches NaN, ±inf must be equal). The message
 * names the quantity, the case, the worst index, both values and the tolerance.
 */
export function expectClose(what: string, got: Tensor | null, want: EncodedTensor | Tensor | null, tol: Tol = {}): void {
  const atol = tol.atol ?? 0, rtol = tol.rtol ?? 0;
  if (want === null) {
    if (got !== null) throw new Error(`${what}: expected null, got a tensor of shape [${got.shape}]`);
    return;
  }
  const w = want instanceof Tensor ? want : T(want);
  if (got === null) throw new Error(`${what}: expected a tensor of shape [${w.shape}], got null`);
  if (got.shape.length !== w.shape.length || got.shape.some((s, i) => s !== w.shape[i])) {
    throw new Error(`${what}: shape [${got.shape}] differs from expected [${w.shape}]`);
  }
  const g = got.contiguous().toTypedArray(), e = w.contiguous().toTypedArray();
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const a = g[i], b = e[i];
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    if (!Number.isFinite(b) || !Number.isFinite(a)) {
      if (a !== b) { worst = i; worstExcess = Infinity; break; }
      continue;
    }
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) { worst = i; worstExcess = excess; }
  }
  if (worst >= 0) {
    throw new Error(`${what}: mismatch at flat index ${worst} of shape [${w.shape}]: expected ${e[worst]}, got ${g[worst]} `
      + `(|diff| ${Math.abs(g[worst] - e[worst])}, tolerance atol ${atol} + rtol ${rtol})`);
  }
}

/** Largest |got − want| over all elements (for reporting how close a replay is). */
export function maxAbsDiff(got: Tensor, want: EncodedTensor): number {
  const g = got.contiguous().toTypedArray(), e = T(want).toTypedArray();
  let m = 0;
  for (let i = 0; i < e.length; i++) if (!(Number.isNaN(e[i]) && Number.isNaN(g[i]))) m = Math.max(m, Math.abs(g[i] - e[i]));
  return m;
}
