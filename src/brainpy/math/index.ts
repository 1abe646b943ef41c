/**
 * brainpy.math (`bm`, BrainPy 2.x names): computing modes and the environment that holds the default one, variables,
 * object naming, and the sparse (`bm.sparse`), event (`bm.event`) and just-in-time connectivity (`bm.jitconn`)
 * operators.
 *
 *     import brainpy.math as bm          import { bm } from 'spikeport/brainpy';
 *     bm.set_mode(bm.training_mode)      bm.set_mode(bm.training_mode);
 *     bm.sparse.csrmv(...)               bm.sparse.csrmv(...)
 *
 * The STDP kernels (update_dense_on_binary_pre/post, update_csr_on_binary_pre/post) are brainevent functions that
 * BrainPy ≥ 2.7.8 imports but does not expose in brainpy.math; spikeport has them in src/brainpy/math/plasticity.ts
 * and reaches them through the layers' `stdp_update`.
 */
export { Mode, NonBatchingMode, BatchingMode, TrainingMode, nonbatching_mode, batching_mode, training_mode, type ModeClass } from './modes';
export {
  get_mode, set_mode, get_dt, set_dt, set_environment, set, environment, training_environment, batching_environment,
  type EnvironmentOptions,
} from './environment';
export { Variable, TrainVar, is_variable } from './variables';
export { clear_name_cache } from './naming';
export * as modes from './modes';
export * as sparse from './sparse';
export * as event from './event';
export * as jitconn from './jitconn';
export * as surrogate from './surrogate';
export { for_loop, type ForLoopOptions } from './object_transform';
export { exprel } from './others';
export { nonzero, arange } from './compat_numpy';
