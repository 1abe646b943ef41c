/**
 * spikeport/brainpy: the BrainPy 2.x port.
 *
 *     import brainpy as bp                    import { bp, bm } from 'spikeport/brainpy';
 *     import brainpy.math as bm
 *
 * `bp` holds dnn, connect (= conn), initialize (= init), math, algorithms and share; `bm` is brainpy.math. The files
 * mirror BrainPy's modules: brainpy/dnn/linear.py is src/brainpy/dnn/linear.ts.
 */
export * as bp from './bp';
export * as bm from './math/index';
