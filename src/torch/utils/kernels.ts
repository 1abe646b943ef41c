/**
 * The simulation kernels the upstream-API folders share (brainpy, brainstate), surfaced from core: the spiking-network
 * step kernels over SnnArena state (WebAssembly SIMD with a bit-identical JS fallback), the WebAssembly CSR products
 * and brainstate step loops (each false when WebAssembly is off: the caller's JS loop then runs, with the same bits),
 * and the nonzero-position hints of event-driven products.
 */
export { SnnArena, set_snn_backend, snn_backend, type SnnBackend } from '../../core/kernels/snn';
export { csrCountWasm, csrmvWasm, sameSource, sourceStamp, type CsrSource, type SourceStamp } from '../../core/kernels/csr';
export { exponDecayWasm, lifStepWasm, spikeOfWasm } from '../../core/kernels/brainstate_steps';
export { permutationWasm } from '../../core/kernels/mt19937';
export { TouchList, hintedNonzeros, setSparseHint, sparseHint, type HintSlice } from '../../core/sparse_hint';
export { StepScope, isScratch, scratch, withStepScope } from '../../core/step_scope';
export { flatnonzero } from '../../core/ops/join';
