/** Shared by the nn replay tests: loading fixtures/torch/nn/*.json (recorded by compat/record_nn.py) into spikeport values. */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as torch from '../../../src/torch/index';
import { type EncodedTensor } from '../../../src/fixtures/tensorjson';
import { expectClose, toTensor, type Tol } from '../helpers';

export { expectClose, toTensor, FWD_TOL, GRAD_TOL, type Tol } from '../helpers';

export function loadNnFixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'torch', 'nn', name + '.json'), 'utf8'));
}

function isEncoded(v: unknown): v is EncodedTensor {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v && 'data' in v;
}

/** Recorded kwargs: {"tensor": encoded} becomes a Tensor, everything else stays as recorded. */
export function decodeKwargs(kw: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(kw)) out[k] = v && typeof v === 'object' && 'tensor' in v ? toTensor(v.tensor, k) : v;
  return out;
}

/** A recorded tensor (or a {sha256, shape, head} digest of a big one) compared bit for bit. */
export function expectExact(what: string, got: torch.Tensor, want: any): void {
  if (isEncoded(want)) {
    expectClose(what, got, toTensor(want, what), true);
    return;
  }
  if (got.shape.join(',') !== want.shape.join(',')) throw new Error(`${what}: shape [${got.shape}], expected [${want.shape}]`);
  expectClose(`${what} (first values)`, got.reshape(-1).index('0:64'), toTensor(want.head, what), true);
  const bytes = got.contiguous().toTypedArray();
  const digest = createHash('sha256').update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).digest('hex');
  if (digest !== want.sha256) throw new Error(`${what}: sha256 of the values differs from PyTorch's (first 64 values match)`);
}

export function expectTol(what: string, got: torch.Tensor | null, want: EncodedTensor | null, tol: Tol): void {
  if (want === null || want === undefined) {
    if (got !== null && got !== undefined) throw new Error(`${what}: expected no gradient, got one of shape [${got.shape}]`);
    return;
  }
  if (got === null || got === undefined) throw new Error(`${what}: expected a gradient, got none`);
  expectClose(what, got, toTensor(want, what), false, tol);
}

/** test.each rows [label, case] from a fixture list. */
export function rows(list: any[], key = 'name'): [string, any][] {
  return list.map((c) => [String(c[key]), c] as [string, any]);
}
