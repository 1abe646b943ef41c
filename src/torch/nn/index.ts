/**
 * The `nn` namespace (torch.nn, PyTorch 1.13): Module, Parameter, containers, layers, losses, `init` and `functional`.
 * `import { nn, F } from 'spikeport'`; `nn.functional` is the same namespace as `F`.
 */
export { Parameter } from './parameter';
export { Module, RemovableHandle, type StateDict, type IncompatibleKeys, type ForwardHook, type ForwardPreHook } from './modules/module';
export { Sequential, ModuleList, ModuleDict } from './modules/container';
export { Identity, Linear, Bilinear } from './modules/linear';
export { Flatten, Unflatten } from './modules/flatten';
export { ReLU, ReLU6, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Hardtanh, Softmax, LogSoftmax } from './modules/activation';
export { Dropout, Dropout1d, Dropout2d } from './modules/dropout';
export { Embedding } from './modules/sparse';
export { L1Loss, MSELoss, SmoothL1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss } from './modules/loss';
export { Conv1d, Conv2d } from './modules/conv';
export { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool2d } from './modules/pooling';
export { BatchNorm1d, BatchNorm2d } from './modules/batchnorm';
export { LayerNorm, GroupNorm } from './modules/normalization';
export * as init from './init';
export * as functional from './functional';
