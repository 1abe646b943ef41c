/**
 * brainpy.dyn projections (BrainPy 2.x, brainpy/_src/dyn/projections/): align-post (align_post.ts), align-pre
 * (align_pre.ts), VanillaProj (vanilla.ts) and the delta projections (delta.ts). Their base, bp.Projection, lives in
 * dynsys.ts, as upstream's in dynsys.py.
 */
export { Projection } from '../../dynsys';
export { HalfProjAlignPostMg, FullProjAlignPostMg, HalfProjAlignPost, FullProjAlignPost, _AlignPost, type AlignPostSyn, type HalfProjArgs, type FullProjArgs } from './align_post';
export { FullProjAlignPreSDMg, FullProjAlignPreDSMg, FullProjAlignPreSD, FullProjAlignPreDS } from './align_pre';
export { VanillaProj } from './vanilla';
export { HalfProjDelta, FullProjDelta } from './delta';
