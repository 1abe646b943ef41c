/**
 * brainpy.math.surrogate (BrainPy 2.8: the braintools surrogates, the same classes as brainstate.surrogate):
 *
 *     bm.surrogate.InvSquareGrad()                     new bm.surrogate.InvSquareGrad()
 *
 * The implementation is shared with spikeport/brainstate's surrogate: src/torch/utils/surrogate.ts.
 */
export * from '../../torch/utils/surrogate';
