/**
 * Loss modules (PyTorch 1.13): thin wrappers over the functional forms. `weight` and `pos_weight` are buffers, so they
 * appear in state_dict() as in PyTorch. The legacy size_average / reduce flags are honoured.
 */
import { fail } from '../../../core/errors';
import { Tensor } from '../../../core/tensor';
import * as F from '../functional';
import { Module, pyArgs, type PyRest } from './module';

type Reduction = F.Reduction;
interface LegacyOpt { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction }

function reductionOf(fn: string, o: LegacyOpt, extra: readonly string[] = []): string {
  const sa = o.size_average ?? null, rd = o.reduce ?? null;
  if (sa !== null || rd !== null) {
    const s = sa ?? true, r = rd ?? true;
    return s && r ? 'mean' : r ? 'sum' : 'none';
  }
  const red = o.reduction ?? 'mean';
  if (!['none', 'mean', 'sum', ...extra].includes(red)) throw new Error(`${fn}: ${JSON.stringify(red)} is not a valid value for reduction`);
  return red;
}

abstract class _Loss extends Module {
  reduction: Reduction;

  constructor(fn: string, o: LegacyOpt, extra: readonly string[] = []) {
    super();
    this.reduction = reductionOf(fn, o, extra) as Reduction;
  }
}

abstract class _WeightedLoss extends _Loss {
  declare weight: Tensor | null;

  constructor(fn: string, o: LegacyOpt & { weight?: Tensor | null }) {
    super(fn, o);
    if (o.weight !== undefined && o.weight !== null && !(o.weight instanceof Tensor)) fail(fn, 'weight', 'a Tensor or null', o.weight);
    this.register_buffer('weight', o.weight ?? null);
  }
}

const LEGACY = ['size_average', 'reduce', 'reduction'];

/** nn.L1Loss({ reduction }). */
export class L1Loss extends _Loss {
  constructor(...rest: PyRest<[size_average: boolean | null | undefined, reduce: boolean | null | undefined, reduction: Reduction | undefined], LegacyOpt>) {
    super('nn.L1Loss', pyArgs('nn.L1Loss', LEGACY, rest));
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.l1_loss(input, target, { reduction: this.reduction }); }
}

/** nn.MSELoss({ reduction }). */
export class MSELoss extends _Loss {
  constructor(...rest: PyRest<[size_average: boolean | null | undefined, reduce: boolean | null | undefined, reduction: Reduction | undefined], LegacyOpt>) {
    super('nn.MSELoss', pyArgs('nn.MSELoss', LEGACY, rest));
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.mse_loss(input, target, { reduction: this.reduction }); }
}

/** nn.SmoothL1Loss({ reduction, beta = 1.0 }). */
export class SmoothL1Loss extends _Loss {
  beta: number;
  constructor(...rest: PyRest<[size_average: boolean | null | undefined, reduce: boolean | null | undefined, reduction: Reduction | undefined, beta: number | undefined], LegacyOpt & { beta?: number }>) {
    const o = pyArgs('nn.SmoothL1Loss', [...LEGACY, 'beta'], rest);
    super('nn.SmoothL1Loss', o);
    this.beta = o.beta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta }); }
}

/** nn.HuberLoss({ reduction, delta = 1.0 }). */
export class HuberLoss extends _Loss {
  delta: number;
  constructor(...rest: PyRest<[reduction: Reduction | undefined, delta: number | undefined], { reduction?: Reduction; delta?: number }>) {
    const o = pyArgs('nn.HuberLoss', ['reduction', 'delta'], rest);
    super('nn.HuberLoss', o);
    this.delta = o.delta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.huber_loss(input, target, { reduction: this.reduction, delta: this.delta }); }
}

interface NllOpt extends LegacyOpt { weight?: Tensor | null; ignore_index?: number }
const NLL = ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'];

/** nn.NLLLoss(weight?, { ignore_index = -100, reduction }). */
export class NLLLoss extends _WeightedLoss {
  ignore_index: number;
  constructor(...rest: PyRest<[weight: Tensor | null | undefined], NllOpt>) {
    const o = pyArgs('nn.NLLLoss', NLL, rest);
    super('nn.NLLLoss', o);
    this.ignore_index = o.ignore_index ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nll_loss(input, target, this.weight, { ignore_index: this.ignore_index, reduction: this.reduction });
  }
}

/** nn.CrossEntropyLoss(weight?, { ignore_index = -100, reduction, label_smoothing = 0 }). */
export class CrossEntropyLoss extends _WeightedLoss {
  ignore_index: number;
  label_smoothing: number;
  constructor(...rest: PyRest<[weight: Tensor | null | undefined], NllOpt & { label_smoothing?: number }>) {
    const o = pyArgs('nn.CrossEntropyLoss', [...NLL, 'label_smoothing'], rest);
    super('nn.CrossEntropyLoss', o);
    this.ignore_index = o.ignore_index ?? -100;
    this.label_smoothing = o.label_smoothing ?? 0.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.cross_entropy(input, target, this.weight, { ignore_index: this.ignore_index, reduction: this.reduction, label_smoothing: this.label_smoothing });
  }
}

/** nn.BCELoss(weight?, { reduction }). */
export class BCELoss extends _WeightedLoss {
  constructor(...rest: PyRest<[weight: Tensor | null | undefined], LegacyOpt & { weight?: Tensor | null }>) {
    super('nn.BCELoss', pyArgs('nn.BCELoss', ['weight', ...LEGACY], rest));
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy(input, target, this.weight, { reduction: this.reduction });
  }
}

/** nn.BCEWithLogitsLoss(weight?, { reduction, pos_weight }). */
export class BCEWithLogitsLoss extends _Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  constructor(...rest: PyRest<[weight: Tensor | null | undefined], LegacyOpt & { weight?: Tensor | null; pos_weight?: Tensor | null }>) {
    const o = pyArgs('nn.BCEWithLogitsLoss', ['weight', ...LEGACY, 'pos_weight'], rest);
    super('nn.BCEWithLogitsLoss', o);
    this.register_buffer('weight', o.weight ?? null);
    this.register_buffer('pos_weight', o.pos_weight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(input, target, this.weight, { reduction: this.reduction, pos_weight: this.pos_weight });
  }
}

/** nn.KLDivLoss({ reduction = 'mean', log_target = false }); reduction may be 'batchmean'. */
export class KLDivLoss extends Module {
  reduction: Reduction | 'batchmean';
  log_target: boolean;
  constructor(...rest: PyRest<[size_average: boolean | null | undefined, reduce: boolean | null | undefined, reduction: Reduction | 'batchmean' | undefined, log_target: boolean | undefined], { size_average?: boolean | null; reduce?: boolean | null; reduction?: Reduction | 'batchmean'; log_target?: boolean }>) {
    super();
    const o = pyArgs('nn.KLDivLoss', [...LEGACY, 'log_target'], rest);
    this.reduction = reductionOf('nn.KLDivLoss', o, ['batchmean']) as Reduction | 'batchmean';
    this.log_target = o.log_target ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.kl_div(input, target, { reduction: this.reduction, log_target: this.log_target });
  }
}
