/**
 * spikingjelly.clock_driven (release 0.0.0.0.8): `import { neuron, surrogate, base } from 'spikeport/spikingjelly'`,
 * the same module names as `from spikingjelly.clock_driven import neuron, surrogate, base`.
 */
export * as base from './base';
export * as surrogate from './surrogate';
export * as neuron from './neuron';
// Added by their own ports (one line each, same style): functional, layer, encoding.
export * as functional from './functional';
export * as layer from './layer';
export { register_layer_classes, LAYER_CLASS_NAMES } from './layer_registry';
export * as encoding from './encoding';

export { register_spikingjelly_classes, SPIKINGJELLY_CLASS_NAMES } from './registry';
