/**
 * brainpy.dyn (BrainPy 2.x `bp.dyn`): neurons (Lif, LifLTC, LifRef, LifRefLTC), synapses (Expon, Alpha, DualExpon),
 * synaptic outputs (COBA, CUBA) and projections (align-post, align-pre, vanilla, delta; projections/). NonBatchingMode,
 * exponential Euler, float32 state.
 */
export { Lif, LifLTC, LifRef, LifRefLTC, type LifOptions, type LifRefOptions } from './neurons';
export { Expon, Alpha, DualExpon, type ExponOptions, type AlphaOptions, type DualExponOptions } from './synapses';
export { SynOut, COBA, CUBA } from './outs';
export {
  Projection, HalfProjAlignPostMg, FullProjAlignPostMg, HalfProjAlignPost, FullProjAlignPost, FullProjAlignPreSDMg, FullProjAlignPreDSMg,
  FullProjAlignPreSD, FullProjAlignPreDS, VanillaProj, HalfProjDelta, FullProjDelta,
} from './projections/index';
