/**
 * torch.optim.lr_scheduler (PyTorch 1.13): the LRScheduler base (1.13's `_LRScheduler`) and StepLR, MultiStepLR,
 * ExponentialLR, CosineAnnealingLR. `step()` uses each scheduler's recursive ("chainable") get_lr exactly as 1.13
 * writes it (so lr sequences equal PyTorch's up to libm rounding of cos), `step(epoch)` the closed form.
 *
 * Porting: `StepLR(optimizer, step_size=30, gamma=0.1)` is `new StepLR(optimizer, 30, { gamma: 0.1 })` or
 * `new StepLR(optimizer, { step_size: 30, gamma: 0.1 })`.
 *
 * Writing your own scheduler: TypeScript cannot set fields before `super()`, so the base constructor does not take the
 * initial step. Set your fields after `super(optimizer, last_epoch, verbose)` and end your constructor with
 * `this._initial_step()` (the built-in classes do this when they are the class being constructed).
 */
import { describe, fail } from '../../core/errors';
import { Optimizer, parseArgs } from './optimizer';

const warned = new Set<string>();
/** Python's default warning filter: each message once per process. */
function warnOnce(msg: string): void {
  if (warned.has(msg)) return;
  warned.add(msg);
  console.warn(`UserWarning: ${msg}`);
}

const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use ' +
  '`scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is ' +
  'used instead of the new chainable form, where available.';

/** Python's '{:.4e}'. */
function sci4(x: number): string {
  const s = x.toExponential(4);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function checkInteger(fn: string, arg: string, x: unknown, min: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) fail(fn, arg, `an integer >= ${min}`, x);
  return x;
}

function checkNumber(fn: string, arg: string, x: unknown): number {
  if (typeof x !== 'number' || Number.isNaN(x)) fail(fn, arg, 'a number', x);
  return x;
}

type StepFn = ((...args: any[]) => any) & { _with_counter?: boolean };

export abstract class LRScheduler {
  optimizer: Optimizer<any>;
  base_lrs: number[];
  last_epoch: number;
  verbose: boolean;
  _step_count = 0;
  _get_lr_called_within_step = false;
  _last_lr: number[] = [];

  constructor(optimizer: Optimizer<any>, last_epoch = -1, verbose = false) {
    const fn = this._schedulerName();
    if (!(optimizer instanceof Optimizer)) throw new Error(`${fn}: optimizer must be an Optimizer, got ${describe(optimizer)}`);
    checkInteger(fn, 'last_epoch', last_epoch, -1);
    if (typeof verbose !== 'boolean') fail(fn, 'verbose', 'a boolean', verbose);
    this.optimizer = optimizer;
    if (last_epoch === -1) {
      for (const group of optimizer.param_groups) if (group.initial_lr === undefined) group.initial_lr = group.lr;
    } else {
      optimizer.param_groups.forEach((group, i) => {
        if (group.initial_lr === undefined) throw new Error(`${fn}: param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer (last_epoch=${last_epoch})`);
      });
    }
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr as number);
    this.last_epoch = last_epoch;

    // Count optimizer.step() calls, to warn when the scheduler is stepped first (pytorch/pytorch#20124).
    const opt = optimizer as unknown as { step: StepFn; _step_count?: number };
    if (!opt.step._with_counter) {
      const orig = opt.step;
      const wrapper: StepFn = function (this: unknown, ...args: unknown[]) {
        opt._step_count = (opt._step_count ?? 0) + 1;
        return orig.apply(optimizer, args);
      };
      wrapper._with_counter = true;
      opt.step = wrapper;
    }
    this.verbose = verbose;
  }

  /** The name used in messages (stable under minification); subclasses override. */
  protected _schedulerName(): string {
    return 'LRScheduler';
  }

  /** Resets the step counts and takes the first step (PyTorch's `_initial_step`, run at the end of construction). */
  _initial_step(): void {
    this.optimizer._step_count = 0;
    this._step_count = 0;
    this.step();
  }

  /** Every field except the optimizer (PyTorch: `self.__dict__` without 'optimizer'). */
  state_dict(): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer') continue;
      out[k] = Array.isArray(v) ? v.slice() : v !== null && typeof v === 'object' ? { ...v } : v;
    }
    return out;
  }

  load_state_dict(state_dict: Record<string, any>): void {
    if (state_dict === null || typeof state_dict !== 'object' || Array.isArray(state_dict)) fail(`${this._schedulerName()}.load_state_dict`, 'state_dict', 'an object', state_dict);
    for (const [k, v] of Object.entries(state_dict)) {
      if (k === 'optimizer') continue;
      (this as Record<string, any>)[k] = Array.isArray(v) ? v.slice() : v !== null && typeof v === 'object' ? { ...v } : v;
    }
  }

  /** The learning rates the last step() set, one per parameter group. */
  get_last_lr(): number[] {
    return this._last_lr;
  }

  /** The chainable form of the schedule, computed from the groups' current lrs. */
  abstract get_lr(): number[];

  /** The closed form, used by the deprecated `step(epoch)`; schedulers without one fall back to get_lr(). */
  _get_closed_form_lr?(): number[];

  print_lr(is_verbose: boolean, group: number, lr: number, epoch?: number): void {
    if (!is_verbose) return;
    if (epoch === undefined) console.log(`Adjusting learning rate of group ${group} to ${sci4(lr)}.`);
    else console.log(`Epoch ${Number.isInteger(epoch) ? String(epoch).padStart(5, '0') : epoch.toFixed(2)}: adjusting learning rate of group ${group} to ${sci4(lr)}.`);
  }

  step(epoch?: number): void {
    if (this._step_count === 1) {
      const opt = this.optimizer as unknown as { step: StepFn; _step_count?: number };
      if (!opt.step._with_counter) {
        warnOnce('Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate');
      } else if ((opt._step_count ?? 0) < 1) {
        warnOnce('Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate');
      }
    }
    this._step_count += 1;
    let values: number[];
    this._get_lr_called_within_step = true;
    try {
      if (epoch === undefined || epoch === null) {
        this.last_epoch += 1;
        values = this.get_lr();
      } else {
        checkInteger(`${this._schedulerName()}.step`, 'epoch', epoch, 0);
        warnOnce(EPOCH_DEPRECATION_WARNING);
        this.last_epoch = epoch;
        values = this._get_closed_form_lr ? this._get_closed_form_lr() : this.get_lr();
      }
    } finally {
      this._get_lr_called_within_step = false;
    }
    this.optimizer.param_groups.forEach((group, i) => {
      if (i >= values.length) return;
      group.lr = values[i];
      this.print_lr(this.verbose, i, values[i], epoch);
    });
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr as number);
  }

  protected _warnGetLr(): void {
    if (!this._get_lr_called_within_step) warnOnce('To get the last learning rate computed by the scheduler, please use `get_last_lr()`.');
  }

  protected _groupLrs(): number[] {
    return this.optimizer.param_groups.map((g) => g.lr as number);
  }
}

/** PyTorch 1.13's name for the base class. */
export { LRScheduler as _LRScheduler };

// ---- StepLR -----------------------------------------------------------------------------------------------------------

export interface StepLROptions { step_size?: number; gamma?: number; last_epoch?: number; verbose?: boolean }
export type StepLRArgs =
  | [options: StepLROptions & { step_size: number }]
  | [step_size: number, options?: StepLROptions]
  | [step_size: number, gamma: number, options?: StepLROptions]
  | [step_size: number, gamma: number, last_epoch: number, options?: StepLROptions]
  | [step_size: number, gamma: number, last_epoch: number, verbose: boolean, options?: StepLROptions];

/** Decays each group's lr by gamma every step_size epochs. */
export class StepLR extends LRScheduler {
  step_size: number;
  gamma: number;

  constructor(optimizer: Optimizer<any>, ...args: StepLRArgs) {
    const o = parseArgs('StepLR', ['step_size', 'gamma', 'last_epoch', 'verbose'], args, ['step_size', 'gamma', 'last_epoch', 'verbose']);
    if (o.step_size === undefined) throw new Error('StepLR: missing required argument step_size');
    super(optimizer, (o.last_epoch as number | undefined) ?? -1, (o.verbose as boolean | undefined) ?? false);
    this.step_size = checkInteger('StepLR', 'step_size', o.step_size, 1);
    this.gamma = checkNumber('StepLR', 'gamma', o.gamma ?? 0.1);
    if (new.target === StepLR) this._initial_step();
  }

  protected override _schedulerName(): string { return 'StepLR'; }

  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return this._groupLrs();
    return this._groupLrs().map((lr) => lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * this.gamma ** Math.floor(this.last_epoch / this.step_size));
  }
}

// ---- MultiStepLR ------------------------------------------------------------------------------------------------------

export interface MultiStepLROptions { milestones?: number[]; gamma?: number; last_epoch?: number; verbose?: boolean }
export type MultiStepLRArgs =
  | [options: MultiStepLROptions & { milestones: number[] }]
  | [milestones: number[], options?: MultiStepLROptions]
  | [milestones: number[], gamma: number, options?: MultiStepLROptions]
  | [milestones: number[], gamma: number, last_epoch: number, options?: MultiStepLROptions]
  | [milestones: number[], gamma: number, last_epoch: number, verbose: boolean, options?: MultiStepLROptions];

/** Decays each group's lr by gamma (gamma**k for a milestone listed k times) when the epoch reaches a milestone. */
export class MultiStepLR extends LRScheduler {
  /** PyTorch's Counter(milestones): milestone -> how many times it was listed. */
  milestones: Record<number, number>;
  gamma: number;

  constructor(optimizer: Optimizer<any>, ...args: MultiStepLRArgs) {
    const o = parseArgs('MultiStepLR', ['milestones', 'gamma', 'last_epoch', 'verbose'], args, ['milestones', 'gamma', 'last_epoch', 'verbose']);
    if (o.milestones === undefined) throw new Error('MultiStepLR: missing required argument milestones');
    const ms = o.milestones;
    if (!Array.isArray(ms) || ms.some((m) => typeof m !== 'number' || !Number.isInteger(m))) fail('MultiStepLR', 'milestones', 'an array of integers', ms);
    super(optimizer, (o.last_epoch as number | undefined) ?? -1, (o.verbose as boolean | undefined) ?? false);
    const counter: Record<number, number> = {};
    for (const m of ms as number[]) counter[m] = (counter[m] ?? 0) + 1;
    this.milestones = counter;
    this.gamma = checkNumber('MultiStepLR', 'gamma', o.gamma ?? 0.1);
    if (new.target === MultiStepLR) this._initial_step();
  }

  protected override _schedulerName(): string { return 'MultiStepLR'; }

  get_lr(): number[] {
    this._warnGetLr();
    const k = this.milestones[this.last_epoch];
    if (k === undefined) return this._groupLrs();
    return this._groupLrs().map((lr) => lr * this.gamma ** k);
  }

  override _get_closed_form_lr(): number[] {
    let passed = 0; // bisect_right(sorted(milestones.elements()), last_epoch)
    for (const [m, c] of Object.entries(this.milestones)) if (Number(m) <= this.last_epoch) passed += c;
    return this.base_lrs.map((base_lr) => base_lr * this.gamma ** passed);
  }
}

// ---- ExponentialLR ----------------------------------------------------------------------------------------------------

export interface ExponentialLROptions { gamma?: number; last_epoch?: number; verbose?: boolean }
export type ExponentialLRArgs =
  | [options: ExponentialLROptions & { gamma: number }]
  | [gamma: number, options?: ExponentialLROptions]
  | [gamma: number, last_epoch: number, options?: ExponentialLROptions]
  | [gamma: number, last_epoch: number, verbose: boolean, options?: ExponentialLROptions];

/** Decays each group's lr by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer<any>, ...args: ExponentialLRArgs) {
    const o = parseArgs('ExponentialLR', ['gamma', 'last_epoch', 'verbose'], args, ['gamma', 'last_epoch', 'verbose']);
    if (o.gamma === undefined) throw new Error('ExponentialLR: missing required argument gamma');
    super(optimizer, (o.last_epoch as number | undefined) ?? -1, (o.verbose as boolean | undefined) ?? false);
    this.gamma = checkNumber('ExponentialLR', 'gamma', o.gamma);
    if (new.target === ExponentialLR) this._initial_step();
  }

  protected override _schedulerName(): string { return 'ExponentialLR'; }

  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch === 0) return this._groupLrs();
    return this._groupLrs().map((lr) => lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * this.gamma ** this.last_epoch);
  }
}

// ---- CosineAnnealingLR ------------------------------------------------------------------------------------------------

export interface CosineAnnealingLROptions { T_max?: number; eta_min?: number; last_epoch?: number; verbose?: boolean }
export type CosineAnnealingLRArgs =
  | [options: CosineAnnealingLROptions & { T_max: number }]
  | [T_max: number, options?: CosineAnnealingLROptions]
  | [T_max: number, eta_min: number, options?: CosineAnnealingLROptions]
  | [T_max: number, eta_min: number, last_epoch: number, options?: CosineAnnealingLROptions]
  | [T_max: number, eta_min: number, last_epoch: number, verbose: boolean, options?: CosineAnnealingLROptions];

/**
 * Cosine annealing from each group's initial lr down to eta_min over T_max epochs (SGDR without restarts; past T_max
 * the recursive form climbs back up). The recursion is 1.13's, so lrs changed from outside are followed.
 */
export class CosineAnnealingLR extends LRScheduler {
  T_max: number;
  eta_min: number;

  constructor(optimizer: Optimizer<any>, ...args: CosineAnnealingLRArgs) {
    const o = parseArgs('CosineAnnealingLR', ['T_max', 'eta_min', 'last_epoch', 'verbose'], args, ['T_max', 'eta_min', 'last_epoch', 'verbose']);
    if (o.T_max === undefined) throw new Error('CosineAnnealingLR: missing required argument T_max');
    super(optimizer, (o.last_epoch as number | undefined) ?? -1, (o.verbose as boolean | undefined) ?? false);
    this.T_max = checkInteger('CosineAnnealingLR', 'T_max', o.T_max, 1);
    this.eta_min = checkNumber('CosineAnnealingLR', 'eta_min', o.eta_min ?? 0);
    if (new.target === CosineAnnealingLR) this._initial_step();
  }

  protected override _schedulerName(): string { return 'CosineAnnealingLR'; }

  get_lr(): number[] {
    this._warnGetLr();
    const { last_epoch, T_max, eta_min } = this;
    if (last_epoch === 0) return this._groupLrs();
    if (this._step_count === 1 && last_epoch > 0) {
      return this.base_lrs.map((base_lr) => eta_min + (base_lr - eta_min) * (1 + Math.cos((last_epoch * Math.PI) / T_max)) / 2);
    }
    if ((last_epoch - 1 - T_max) % (2 * T_max) === 0) {
      return this.optimizer.param_groups.map((g, i) => g.lr + (this.base_lrs[i] - eta_min) * (1 - Math.cos(Math.PI / T_max)) / 2);
    }
    return this._groupLrs().map((lr) =>
      ((1 + Math.cos((Math.PI * last_epoch) / T_max)) / (1 + Math.cos((Math.PI * (last_epoch - 1)) / T_max))) * (lr - eta_min) + eta_min);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => this.eta_min + (base_lr - this.eta_min) * (1 + Math.cos((Math.PI * this.last_epoch) / this.T_max)) / 2);
  }
}
