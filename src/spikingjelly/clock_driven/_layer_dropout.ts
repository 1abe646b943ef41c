/**
 * The Dropout family of spikingjelly.clock_driven.layer (0.0.0.0.8): Dropout, Dropout2d, MultiStepDropout,
 * MultiStepDropout2d. Re-exported by layer.ts.
 */
import { torch, F } from '../../index';
import { fail } from '../../torch/utils/checks';
import { pyArgs, pyFloat, type PyRest } from '../../torch/nn/modules/module';
import { MemoryModule } from './base';
import { type Tensor, tensorArg } from './_layer_args';

// ---- Dropout family -------------------------------------------------------------------------------------------------------

type DropoutRest = PyRest<[p: number | undefined], { p?: number }>;

/** The p of a Dropout-family constructor (its class default when not given); 0.0.0.0.8 asserts 0 <= p < 1. */
function dropoutP(fn: string, rest: readonly unknown[], dflt: number): number {
  const p = pyArgs<{ p?: number }>(fn, ['p'], rest).p ?? dflt;
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) fail(fn, 'p', 'a number with 0 <= p < 1 (spikingjelly asserts it)', p);
  return p;
}

/**
 * Dropout(p = 0.5): like nn.Dropout, but the mask drawn at the first step (memory `mask`, F.dropout of ones, so kept
 * elements are 1/(1 − p)) is kept for every step until reset(). In eval mode the input is returned as is.
 */
export class Dropout extends MemoryModule {
  declare mask: Tensor | null;
  p: number;

  constructor(...rest: DropoutRest) {
    super();
    const p = dropoutP(`layer.${new.target.name}`, rest, 0.5);
    this.register_memory('mask', null);
    this.p = p;
  }

  override extra_repr(): string {
    return `p=${pyFloat(this.p)}`;
  }

  create_mask(x: Tensor): void {
    this.mask = F.dropout(torch.ones_like(x.data), this.p, true);
  }

  override forward(x: Tensor): Tensor {
    tensorArg(`${this._get_name()}.forward`, 'x', x);
    if (this.training) {
      if (this.mask === null) this.create_mask(x);
      return x.mul(this.mask as Tensor);
    }
    return x;
  }
}

/** Dropout2d(p = 0.2): Dropout with F.dropout2d's whole-channel mask ([N, C, H, W]; 3-D input is (N, C, L), as torch 1.13). */
export class Dropout2d extends Dropout {
  constructor(...rest: DropoutRest) {
    super(dropoutP(`layer.${new.target.name}`, rest, 0.2));
  }

  override create_mask(x: Tensor): void {
    this.mask = F.dropout2d(torch.ones_like(x.data), this.p, true);
  }
}

function multiStepForward(m: Dropout, x_seq: Tensor): Tensor {
  tensorArg(`${m._get_name()}.forward`, 'x_seq', x_seq);
  if (m.training) {
    if (m.mask === null) {
      if (x_seq.ndim < 1 || x_seq.shape[0] === 0) fail(`${m._get_name()}.forward`, 'x_seq', 'a [T, ...] sequence with T >= 1', x_seq);
      m.create_mask(x_seq.index(0));
    }
    return x_seq.mul(m.mask as Tensor);
  }
  return x_seq;
}

/** MultiStepDropout(p = 0.5): Dropout over a [T, …] sequence; the mask of x_seq[0] applies at every t. */
export class MultiStepDropout extends Dropout {
  constructor(...rest: DropoutRest) {
    super(...rest);
  }

  override forward(x_seq: Tensor): Tensor {
    return multiStepForward(this, x_seq);
  }
}

/** MultiStepDropout2d(p = 0.5): Dropout2d over a [T, N, C, H, W] sequence; the mask of x_seq[0] applies at every t. */
export class MultiStepDropout2d extends Dropout2d {
  constructor(...rest: DropoutRest) {
    super(dropoutP(`layer.${new.target.name}`, rest, 0.5));
  }

  override forward(x_seq: Tensor): Tensor {
    return multiStepForward(this, x_seq);
  }
}
