/**
 * brainstate.nn (brainstate 0.1.10): the dynamics ported so far — Dynamics, Neuron, LIF, LIFRef, Synapse, Expon,
 * DualExpon, Alpha, SynOut, COBA, CUBA, Delay, exp_euler_step. Files mirror upstream's brainstate/nn/_*.py.
 */
export { Dynamics, type Input, type InputFn, type InputValue } from './_dynamics';
export { Neuron, LIF, LIFRef, type SpikeFn, type Initializer } from './_neuron';
export { Synapse, Expon, DualExpon, Alpha } from './_synapse';
export { SynOut, COBA, CUBA } from './_synouts';
export { Delay } from './_delay';
export { exp_euler_step } from './_exp_euler';
export { EventFixedNumConn, EventFixedProb } from './_fixedprob';
export { AlignPostProj, DeltaProj, CurrentProj, Prefetch, PrefetchDelayAt, StateWithDelay, ParamDescriber, describe } from './_projection';
