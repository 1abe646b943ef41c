/**
 * spikeport/brainstate: the brainstate port (brainstate 0.1.0).
 *
 *     import brainstate as bst; bst.surrogate.sigmoid(x)          (Python)
 *     import { surrogate } from 'spikeport/brainstate';           (TypeScript)
 *     surrogate.sigmoid(x)
 *
 * Files mirror upstream's modules: brainstate/surrogate.py is src/brainstate/surrogate.ts.
 */
export * as surrogate from './surrogate';
export * as environ from './environ';
export * as compile from './compile';
export * as nn from './nn/index';
export { State, HiddenState, ShortTermState } from './_state';
