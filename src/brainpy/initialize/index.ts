/**
 * brainpy.initialize (`bp.init` / `bp.initialize`), BrainPy ≥ 2.7.8 names. Random initializers reproduce BrainPy's
 * arguments, fans and distributions but not its JAX random streams (see random_inits.ts).
 */
export { Initializer, _InterLayerInitializer, _IntraLayerInitializer, type Shape } from './base';
export { ZeroInit, Constant, OneInit, Identity } from './regular_inits';
export {
  Normal, TruncatedNormal, Uniform, VarianceScaling, KaimingUniform, KaimingNormal, XavierUniform, XavierNormal,
  LecunUniform, LecunNormal, calculate_gain, type FanMode, type Distribution, type VarianceScalingOptions,
} from './random_inits';
export { parameter, type ParamLike, type ParameterOptions } from './generic';
