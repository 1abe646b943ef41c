/**
 * nn.Dropout, nn.Dropout1d, nn.Dropout2d (PyTorch 1.13): active in training mode, the identity in eval mode.
 * Masks are drawn as torch does (bernoulli_(1 − p) on an empty_like, divided by 1 − p), so after torch.manual_seed
 * they equal PyTorch's.
 */
import { fail } from '../../../core/errors';
import { Tensor } from '../../../core/tensor';
import * as F from '../functional';
import { Module, pyArgs, pyFloat, type PyRest } from './module';

type DropoutRest = PyRest<[p: number | undefined, inplace: boolean | undefined], { p?: number; inplace?: boolean }>;

abstract class _DropoutNd extends Module {
  p: number;
  inplace: boolean;

  constructor(rest: readonly unknown[]) {
    super();
    const fn = `nn.${new.target.name}`;
    const o = pyArgs(fn, ['p', 'inplace'], rest);
    const p = o.p ?? 0.5;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`${fn}: dropout probability has to be between 0 and 1, but got ${p}`);
    const inplace = o.inplace ?? false;
    if (typeof inplace !== 'boolean') fail(fn, 'inplace', 'a boolean', inplace);
    this.p = p;
    this.inplace = inplace;
  }

  override extra_repr(): string {
    return `p=${pyFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}

/** nn.Dropout(p=0.5, inplace=false). */
export class Dropout extends _DropoutNd {
  constructor(...rest: DropoutRest) { super(rest); }
  override forward(input: Tensor): Tensor { return F.dropout(input, this.p, this.training, this.inplace); }
}

/** nn.Dropout1d(p=0.5, inplace=false): whole channels of (N, C, L) or (C, L). */
export class Dropout1d extends _DropoutNd {
  constructor(...rest: DropoutRest) { super(rest); }
  override forward(input: Tensor): Tensor { return F.dropout1d(input, this.p, this.training, this.inplace); }
}

/** nn.Dropout2d(p=0.5, inplace=false): whole channels of (N, C, H, W) (3-D input is read as (N, C, L), as torch 1.13). */
export class Dropout2d extends _DropoutNd {
  constructor(...rest: DropoutRest) { super(rest); }
  override forward(input: Tensor): Tensor { return F.dropout2d(input, this.p, this.training, this.inplace); }
}
