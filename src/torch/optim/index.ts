/**
 * torch.optim (PyTorch 1.13 semantics, single-tensor "for-loop" updates): Optimizer, SGD, Adam, AdamW, RMSprop and
 * lr_scheduler (LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR).
 * Usage: `import { optim } from 'spikeport'`, then `new optim.Adam(model.parameters(), { lr: 1e-3 })` and
 * `new optim.lr_scheduler.StepLR(opt, 30, { gamma: 0.1 })`.
 */
export {
  Optimizer, OptimizerState, required, type Closure, type OptimizerStateDict, type ParamGroup, type ParamGroupInput, type Params,
  type ParamState,
} from './optimizer';
export { SGD, type SGDOptions, type SGDParamGroup } from './sgd';
export { Adam, type AdamOptions, type AdamParamGroup } from './adam';
export { AdamW, type AdamWOptions, type AdamWParamGroup } from './adamw';
export { RMSprop, type RMSpropOptions, type RMSpropParamGroup } from './rmsprop';
export * as lr_scheduler from './lr_scheduler';
