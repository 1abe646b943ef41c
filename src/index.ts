/** spikeport: `import { torch, nn, F, optim } from 'spikeport'` — the PyTorch subset spiking models are written in. */
export * as torch from './torch/index';
export * as nn from './torch/nn/index';
export * as F from './torch/nn/functional';
export * as optim from './torch/optim/index';
/** Which kernels new neuron/synapse state uses: 'auto' (WebAssembly SIMD where available), 'wasm' or 'js'. */
export { set_snn_backend, snn_backend, type SnnBackend } from './torch/utils/kernels';
