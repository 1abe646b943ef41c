/**
 * The `torch` namespace: Tensor, dtypes, creation, math, reductions, linear algebra, joining/indexing, autograd and random.
 * Usage: `import { torch } from 'spikeport'`, then `torch.zeros(2, 3)`, `x.add(y)`, `torch.no_grad(() => …)`.
 */
import type { DType } from '../core/dtype';

export { Tensor, isTensor as is_tensor, type Operand, type Scalar, type IndexItem } from '../core/tensor';
export type { DType, TypedArray } from '../core/dtype';
export { slice, type Slice } from '../core/ops/view';

export const float32: DType = 'float32';
export const float: DType = 'float32';
export const float64: DType = 'float64';
export const double: DType = 'float64';
export const int32: DType = 'int32';
export const int: DType = 'int32';
/** spikeport has one integer dtype: torch.long / int64 map to int32 (indices beyond 2^31 are not supported). */
export const int64: DType = 'int32';
export const long: DType = 'int32';
export const bool: DType = 'bool';

export {
  tensor, from_typed_array, zeros, ones, empty, full, zeros_like, ones_like, empty_like, full_like, arange, linspace, eye,
  rand, randn, randint, rand_like, randn_like, bernoulli, normal, type CreateOptions, type RandomOptions,
} from '../core/ops/creation';
export {
  add, sub, mul, div, remainder, fmod, pow, neg, abs, sign, exp, expm1, log, log1p, log2, log10, sqrt, rsqrt, square,
  reciprocal, sin, cos, tan, tanh, atan, atan2, erf, erfc, sigmoid, relu, leaky_relu, floor, ceil, round, trunc, clamp,
  clamp as clip, maximum, minimum, where, masked_fill, gt, ge, lt, le, eq, ne, logical_and, logical_or, logical_xor,
  logical_not, isnan, isinf, isfinite, equal, allclose,
} from '../core/ops/elementwise';
export {
  sum, mean, var_ as var, std, prod, max, min, amax, amin, argmax, argmin, norm, logsumexp, cumsum, softmax, log_softmax,
  all, any, count_nonzero,
} from '../core/ops/reduce';
export { matmul, mm, bmm, mv, dot, outer } from '../core/ops/linalg';
export { reshape, permute, transpose, flatten, unflatten, unsqueeze, squeeze, narrow, select, clone } from '../core/ops/view';
export { cat, cat as concat, stack, split, chunk, unbind, index_select, gather, scatter, scatter_add, nonzero, masked_select } from '../core/ops/join';

export { conv1d, conv2d } from '../core/ops/conv';
export { max_pool1d, max_pool2d, avg_pool1d, avg_pool2d, adaptive_avg_pool2d } from '../core/ops/pool';
export { batch_norm, layer_norm, group_norm } from '../core/ops/norm';

export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled } from '../core/autograd';
export * as autograd from './autograd';
export { manual_seed, seed, initial_seed, get_rng_state, set_rng_state, Generator, default_generator } from './random';

import type { Tensor } from '../core/tensor';
/** torch.t, torch.detach, torch.numel as functions. */
export const t = (x: Tensor): Tensor => x.t();
export const numel = (x: Tensor): number => x.numel();
export const detach = (x: Tensor): Tensor => x.detach();
