/** Shared by the bm.sparse and bm.event tests: fixture decoding, a tolerance check, and the hand-derived CSR matrix. */
import { join } from 'path';
import * as torch from '../../../src/torch/index';
import { decodeTensor, type EncodedTensor } from '../../../src/fixtures/tensorjson';

type Tensor = torch.Tensor;
export const FIX = join(__dirname, '..', '..', '..', 'fixtures', 'brainpy', 'csr', 'csrmv.json');

export function fromFixture(e: EncodedTensor): Tensor {
  const { shape, data } = decodeTensor(e);
  if (data instanceof BigInt64Array) return torch.from_typed_array(Int32Array.from(data, (v) => Number(v)), shape);
  return torch.from_typed_array(data.slice() as torch.TypedArray, shape);
}

export function expectClose(what: string, got: Tensor, want: Tensor, atol: number, rtol: number): void {
  if (got.shape.join() !== want.shape.join()) throw new Error(`${what}: shape [${got.shape}], expected [${want.shape}]`);
  const g = got.toTypedArray(), w = want.toTypedArray();
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs(g[i] - w[i]) <= atol + rtol * Math.abs(w[i]))) throw new Error(`${what}[${i}]: expected ${w[i]}, got ${g[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

// M = [[1, 0, 2], [0, 3, 0], [0, 0, 0], [4, 0, 5]]
export const IND = [0, 2, 1, 0, 2];
export const PTR = [0, 2, 3, 3, 5];
