/** nn.Embedding (PyTorch 1.13): weight ~ N(0, 1), the padding_idx row zeroed and excluded from gradients. */
import { no_grad } from '../../../core/autograd';
import { checkInt, fail } from '../../../core/errors';
import { fmt } from '../../../core/shape';
import { Tensor } from '../../../core/tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { factoryDtype, type FactoryOptions } from './linear';
import { Module, pyArgs, pyFloat, type PyRest } from './module';

export interface EmbeddingOptions extends FactoryOptions {
  padding_idx?: number | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean; _weight?: Tensor | null;
}
type EmbeddingPos = [padding_idx: number | null | undefined, max_norm: number | null | undefined, norm_type: number | undefined, scale_grad_by_freq: boolean | undefined, sparse: boolean | undefined, _weight: Tensor | null | undefined];
const NAMES = ['padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse', '_weight', 'device', 'dtype'];

/** nn.Embedding(num_embeddings, embedding_dim, { padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight, dtype }). */
export class Embedding extends Module {
  num_embeddings: number;
  embedding_dim: number;
  padding_idx: number | null;
  max_norm: number | null;
  norm_type: number;
  scale_grad_by_freq: boolean;
  weight: Parameter;
  sparse: boolean;

  constructor(num_embeddings: number, embedding_dim: number, ...rest: PyRest<EmbeddingPos, EmbeddingOptions>) {
    super();
    const fn = 'nn.Embedding';
    const o = pyArgs(fn, NAMES, rest);
    checkInt(fn, 'num_embeddings', num_embeddings, 0);
    checkInt(fn, 'embedding_dim', embedding_dim, 0);
    const dtype = factoryDtype(fn, o);
    this.num_embeddings = num_embeddings;
    this.embedding_dim = embedding_dim;
    let pad: number | null = o.padding_idx ?? null;
    if (pad !== null) {
      checkInt(fn, 'padding_idx', pad);
      if (pad >= num_embeddings || pad < -num_embeddings) throw new Error(`${fn}: Padding_idx must be within num_embeddings (${num_embeddings}), got ${pad}`);
      if (pad < 0) pad += num_embeddings;
    }
    this.padding_idx = pad;
    this.max_norm = o.max_norm ?? null;
    this.norm_type = o.norm_type ?? 2;
    this.scale_grad_by_freq = o.scale_grad_by_freq ?? false;
    if (o.sparse) fail(fn, 'sparse', 'false (sparse gradients are not supported in spikeport)', o.sparse);
    if (o._weight === undefined || o._weight === null) {
      this.weight = new Parameter(Tensor.empty([num_embeddings, embedding_dim], dtype));
      this.reset_parameters();
    } else {
      if (!(o._weight instanceof Tensor) || o._weight.ndim !== 2 || o._weight.shape[0] !== num_embeddings || o._weight.shape[1] !== embedding_dim) {
        throw new Error(`${fn}: Shape of weight does not match num_embeddings and embedding_dim (expected [${num_embeddings}, ${embedding_dim}], got ${o._weight instanceof Tensor ? fmt(o._weight.shape) : String(o._weight)})`);
      }
      this.weight = new Parameter(o._weight);
    }
    this.sparse = false;
  }

  reset_parameters(): void {
    init.normal_(this.weight);
    this._fill_padding_idx_with_zero();
  }

  _fill_padding_idx_with_zero(): void {
    if (this.padding_idx !== null) no_grad(() => this.weight.select(0, this.padding_idx!).fill_(0));
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, this.padding_idx, this.max_norm, this.norm_type, this.scale_grad_by_freq, this.sparse);
  }

  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${pyFloat(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${pyFloat(this.norm_type)}`;
    if (this.scale_grad_by_freq) s += ', scale_grad_by_freq=True';
    return s;
  }

  /** nn.Embedding.from_pretrained(embeddings, { freeze = true, padding_idx, max_norm, norm_type, scale_grad_by_freq }). */
  static from_pretrained(embeddings: Tensor, options?: { freeze?: boolean; padding_idx?: number | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean }): Embedding {
    const o = pyArgs('nn.Embedding.from_pretrained', ['freeze', 'padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse'], [options]);
    if (!(embeddings instanceof Tensor) || embeddings.ndim !== 2) throw new Error('nn.Embedding.from_pretrained: Embeddings parameter is expected to be 2-dimensional');
    const [rows, cols] = embeddings.shape;
    const e = new Embedding(rows, cols, { _weight: embeddings, padding_idx: o.padding_idx, max_norm: o.max_norm, norm_type: o.norm_type, scale_grad_by_freq: o.scale_grad_by_freq, sparse: o.sparse });
    e.weight.requires_grad = !(o.freeze ?? true);
    return e;
  }
}
