/**
 * spikeport/spikingjelly: the spikingjelly port (release 0.0.0.0.8, commit c14d8ac9).
 *
 *     from spikingjelly.clock_driven import neuron, surrogate, base      (Python)
 *     import { neuron, surrogate, base } from 'spikeport/spikingjelly';  (TypeScript)
 *
 * The port's files mirror upstream's: spikingjelly/clock_driven/neuron.py is src/spikingjelly/clock_driven/neuron.ts.
 * Importing this entry registers the ported classes with the fixture kit (register_module_class), under their Python
 * names ('spikingjelly.clock_driven.neuron.LIFNode', …), so replay(fixture) can rebuild recorded spikingjelly models;
 * a bundle that tree-shakes that away calls register_spikingjelly_classes() once.
 */
export * as clock_driven from './clock_driven/index';
export { base, surrogate, neuron } from './clock_driven/index';
export { functional, encoding } from './clock_driven/index';
export { layer, register_layer_classes, LAYER_CLASS_NAMES } from './clock_driven/index';
// Added by their own ports: functional, layer, encoding (re-export them here from './clock_driven/index' too).
export { register_spikingjelly_classes, SPIKINGJELLY_CLASS_NAMES } from './clock_driven/index';
