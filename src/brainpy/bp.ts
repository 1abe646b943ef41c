/**
 * The `bp` namespace of spikeport/brainpy (Python's `import brainpy as bp`): bp.dnn, bp.connect (also bp.conn),
 * bp.initialize (also bp.init), bp.math, bp.algorithms and bp.share.
 */
export * as dnn from './dnn/index';
export * as connect from './connect/index';
export * as conn from './connect/index';
export * as initialize from './initialize/index';
export * as init from './initialize/index';
export * as math from './math/index';
export * as algorithms from './algorithms/index';
export { share } from './context';
export * as dyn from './dyn/index';
export { DynamicalSystem } from './dynsys';
export { VarDelay, DelayAccess, init_delay_by_return, register_delay_by_return, register_delay_of_target } from './delay';
export { DynSysGroup } from './dyn/group';
export * as visualize from './visualize';
