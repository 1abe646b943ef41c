/**
 * brainpy.connect regular connectors (brainpy/connect/regular_conn.py): One2One, All2All and the ready-made
 * instances `one2one`, `all2all` (use `.call(pre_size, post_size)` or `require(pre, post, ...)` on a fresh one if
 * two groups of different sizes share them, as the Python instances are shared too).
 */
import * as torch from '../../torch';
import { fail } from '../../torch/utils/checks';
import { TwoEndConnector, ConnectorError, _kwargs, type Size } from './base';
import type { IndexArray } from '../math/sparse';

type Tensor = torch.Tensor;

function arange(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** brainpy.connect.One2One: neuron i connects to neuron i; both groups must have the same size. */
export class One2One extends TwoEndConnector {
  constructor(pre?: Size | null, post?: Size | null) {
    super(pre, post);
  }

  override call(pre_size: Size, post_size: Size): this {
    super.call(pre_size, post_size);
    this.checkSame();
    return this;
  }

  private checkSame(): void {
    if (this.pre_num !== this.post_num) {
      throw new ConnectorError(`One2One connection must be defined in two groups with the same size, but ${this.pre_num} != ${this.post_num}.`);
    }
  }

  override build_coo(): [IndexArray, IndexArray] {
    this.checkSame();
    return [arange(this.pre_num!), arange(this.post_num!)];
  }

  override build_csr(): [IndexArray, IndexArray] {
    this.checkSame();
    return [arange(this.pre_num!), arange(this.pre_num! + 1)];
  }

  override build_mat(): Tensor {
    this.checkSame();
    const n = this.pre_num!;
    const m = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) m[i * n + i] = 1;
    return torch.from_typed_array(m, [n, n]);
  }
}

export const one2one = new One2One();

export interface All2AllOptions { include_self?: boolean; pre?: Size | null; post?: Size | null }

/**
 * brainpy.connect.All2All(*, include_self=True): every pre neuron connects to every post neuron
 * (include_self=false clears the diagonal, min(pre, post) entries, as np.fill_diagonal).
 */
export class All2All extends TwoEndConnector {
  include_self: boolean;

  constructor(options?: All2AllOptions) {
    const a = _kwargs('All2All', [], ['include_self', 'pre', 'post'], [options]);
    super(a.pre, a.post);
    const inc = a.include_self ?? true;
    if (typeof inc !== 'boolean') fail('All2All', 'include_self', 'a boolean', inc);
    this.include_self = inc;
  }

  override toString(): string { return `All2All(include_self=${this.include_self ? 'True' : 'False'})`; }

  override build_mat(): Tensor {
    const m = this.pre_num!, n = this.post_num!;
    const mat = new Uint8Array(m * n).fill(1);
    if (!this.include_self) for (let i = 0; i < Math.min(m, n); i++) mat[i * n + i] = 0;
    return torch.from_typed_array(mat, [m, n]);
  }
}

export const all2all = new All2All({ include_self: true });
