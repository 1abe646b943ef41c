/**
 * brainstate.surrogate (brainstate 0.1.0): surrogate-gradient spike functions.
 *
 *     import brainstate as bst                          (Python)
 *     bst.surrogate.sigmoid(v - v_th, 4.)
 *     spk_fun = bst.surrogate.ReluGrad(width=0.5)
 *
 *     import { surrogate } from 'spikeport/brainstate'; (TypeScript)
 *     surrogate.sigmoid(v.sub(v_th), 4.0)
 *     const spk_fun = new surrogate.ReluGrad({ width: 0.5 })
 *
 * The implementation (and its notes on upstream's quirks) is shared with BrainPy's bm.surrogate:
 * src/torch/utils/surrogate.ts.
 */
export * from '../torch/utils/surrogate';
