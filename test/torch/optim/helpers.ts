/** Shared by the optim suites: fixture loading (compat/record_optim.py), the recorded problem, optimizer construction, comparisons. */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as torch from '../../../src/torch/index';
import * as optim from '../../../src/torch/optim/index';
import { decodeTensor, type EncodedTensor } from '../../../src/fixtures/tensorjson';

type Tensor = torch.Tensor;

/** jest runs these as CommonJS (__dirname); under an ESM runner (tsx scripts) fall back to the repository root as cwd. */
export const FIXTURE_DIR = typeof __dirname === 'string'
  ? join(__dirname, '..', '..', '..', 'fixtures', 'torch', 'optim')
  : join(process.cwd(), 'fixtures', 'torch', 'optim');
export const PARAM_ATOL = 1e-6;
export const PARAM_RTOL = 1e-5;
export const LR_RTOL = 1e-12;

export interface Problem {
  data: { X: EncodedTensor; T: EncodedTensor };
  init: Record<string, EncodedTensor>;
  param_order: string[];
  steps: number;
}

export interface StepRecord { loss: number; grads: Record<string, EncodedTensor>; params: Record<string, EncodedTensor> }

export interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  options: Record<string, unknown>;
  groups: ({ params: string[] } & Record<string, unknown>)[] | null;
  steps: StepRecord[];
  state_dict: { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] };
}

export interface OptimFixture { meta: Record<string, unknown>; problem: Problem; cases: OptimCase[] }

export function loadFixture<T = OptimFixture>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as T;
}

export function toTensor(e: EncodedTensor): Tensor {
  const { shape, data } = decodeTensor(e);
  if (!(data instanceof Float32Array || data instanceof Float64Array)) throw new Error(`expected a float tensor, got ${e.dtype}`);
  return torch.from_typed_array(data.slice(), shape);
}

export const OPTIMIZERS = { SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop } as const;

/** The recorded problem in spikeport: fresh leaf parameters and loss(). */
export function buildProblem(problem: Problem): { params: Record<string, Tensor>; loss: () => Tensor } {
  const X = toTensor(problem.data.X), T = toTensor(problem.data.T);
  const params: Record<string, Tensor> = {};
  for (const k of problem.param_order) params[k] = toTensor(problem.init[k]).requires_grad_();
  const p = params;
  const loss = (): Tensor => X.matmul(p.W1.t()).add(p.b1).matmul(p.W2.t()).add(p.b2).sub(T).pow(2).sum();
  return { params, loss };
}

export function buildOptimizer(c: Pick<OptimCase, 'optimizer' | 'options' | 'groups'>, params: Record<string, Tensor>, order: string[]): optim.Optimizer<any> {
  const Cls = OPTIMIZERS[c.optimizer] as unknown as new (p: unknown, o: unknown) => optim.Optimizer<any>;
  if (c.groups === null) return new Cls(order.map((k) => params[k]), c.options);
  return new Cls(c.groups.map((g) => ({ ...g, params: g.params.map((k) => params[k]) })), c.options);
}

function flatIndex(shape: readonly number[], k: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

/** null when every element satisfies |got - want| <= atol + rtol |want| (atol = rtol = 0: bit-exact), else a message. */
export function mismatch(what: string, got: Tensor, want: Tensor, atol: number, rtol: number): string | null {
  if (got.shape.join(',') !== want.shape.join(',')) return `${what}: shape [${got.shape}], expected [${want.shape}]`;
  if (got.dtype !== want.dtype) return `${what}: dtype ${got.dtype}, expected ${want.dtype}`;
  const g = got.toTypedArray(), w = want.toTypedArray();
  for (let i = 0; i < w.length; i++) {
    const a = g[i], b = w[i];
    const ok = atol === 0 && rtol === 0 ? Object.is(a, b) || (a !== a && b !== b) : Math.abs(a - b) <= atol + rtol * Math.abs(b);
    if (!ok) return `${what} at ${flatIndex(want.shape, i)}: expected ${b}, got ${a} (|diff| ${Math.abs(a - b)}, tolerance ${atol} + ${rtol}·|expected|)`;
  }
  return null;
}

/** Largest distance in float32 ulps between two float32 tensors of one shape. */
export function maxUlp(got: Tensor, want: Tensor): number {
  const a = new Int32Array(new Float32Array(got.toTypedArray()).buffer), b = new Int32Array(new Float32Array(want.toTypedArray()).buffer);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] < 0 ? -2147483648 - a[i] : a[i], y = b[i] < 0 ? -2147483648 - b[i] : b[i];
    m = Math.max(m, Math.abs(x - y));
  }
  return m;
}

export function relClose(got: number, want: number, rtol: number): boolean {
  return got === want || Math.abs(got - want) <= rtol * Math.abs(want);
}
