/**
 * brainpy.dnn (BrainPy 2.x): layers. Ported so far: the base Layer and brainpy.dnn.linear (Dense/Linear, Identity,
 * AllToAll, OneToOne, MaskedLinear, CSRLinear, EventCSRLinear, JitFP{Homo,Uniform,Normal}Linear and their Event forms).
 */
export { Layer, type LayerOptions } from './base';
export {
  Dense, Linear, Identity, AllToAll, OneToOne, MaskedLinear, CSRLinear, EventCSRLinear,
  JitFPHomoLinear, JitFPUniformLinear, JitFPNormalLinear, EventJitFPHomoLinear, EventJitFPUniformLinear, EventJitFPNormalLinear,
  type DenseOptions, type FitRecord, type WeightInit,
} from './linear';
export * as linear from './linear';
