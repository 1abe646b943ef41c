/**
 * torch.optim.AdamW (PyTorch 1.13, single-tensor path): Adam with decoupled weight decay. Per parameter, first
 * `param.mul_(1 - lr * weight_decay)`, then Adam's moment updates and `param.addcdiv_(exp_avg, denom, value=-step_size)`
 * without adding weight_decay * param to the gradient. Default weight_decay is 1e-2. The groups carry 1.13's AdamW keys
 * (lr, betas, eps, weight_decay, amsgrad, foreach, maximize, capturable).
 */
import { adamGroupUpdate, ADAM_POSITIONAL, checkAdam, upgradeAdamState, type AdamArgs, type AdamParamGroup } from './adam';
import { Optimizer, parseArgs, type Params } from './optimizer';

export interface AdamWOptions {
  lr?: number;
  betas?: [number, number] | number[];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  capturable?: boolean;
}

export type AdamWParamGroup = AdamParamGroup;

const KEYS = [...ADAM_POSITIONAL, 'maximize', 'foreach', 'capturable'] as const;

export class AdamW extends Optimizer<AdamWParamGroup> {
  constructor(params: Params<AdamWOptions>, ...args: AdamArgs<AdamWOptions>) {
    const o = parseArgs('AdamW', ADAM_POSITIONAL, args, KEYS);
    const defaults: Record<string, unknown> = {
      lr: o.lr ?? 1e-3, betas: Array.isArray(o.betas) ? o.betas.slice() : o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8,
      weight_decay: o.weight_decay ?? 1e-2, amsgrad: o.amsgrad ?? false, foreach: o.foreach ?? null, maximize: o.maximize ?? false,
      capturable: o.capturable ?? false,
    };
    checkAdam('AdamW', defaults);
    super(params as Params, defaults, 'AdamW');
  }

  protected override _checkGroup(group: AdamWParamGroup, where: string): void {
    if (Array.isArray(group.betas)) group.betas = group.betas.slice() as [number, number];
    checkAdam('AdamW', group, `${where}.`);
  }

  protected override _setstate(): void {
    upgradeAdamState(this.state.values());
  }

  protected _updateGroup(group: AdamWParamGroup): void {
    adamGroupUpdate('AdamW', this, group, true);
  }
}
