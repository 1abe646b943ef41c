/**
 * brainpy.math.compat_numpy (BrainPy 2.x): the NumPy-compatible functions of `bm` that spikeport ports.
 *
 *     ids, = bm.nonzero(spike)           const [ids] = bm.nonzero(spike);
 *
 * `nonzero(a)` returns one int32 index Tensor per dimension of `a` (jnp.nonzero's tuple), the positions in row-major
 * order. A neuron group's spike Variable knows its spiking indices (the LIF kernels list them), so recording spikes
 * this way costs the spikes, not the group size.
 */
import { Tensor, nonzero as torchNonzero } from '../../torch/index';
import { fail } from '../../torch/utils/checks';
import { flatnonzero } from '../../torch/utils/kernels';

/** jnp.nonzero(a): a tuple (array) of index Tensors, one per dimension of a. */
export function nonzero(a: Tensor): Tensor[] {
  if (!(a instanceof Tensor)) fail('bm.nonzero', 'a', 'a Tensor', a);
  if (a.ndim === 0) fail('bm.nonzero', 'a', 'a Tensor with at least one dimension (jnp.nonzero rejects 0-d arrays)', a);
  if (a.ndim === 1) { const f = flatnonzero(a); return [Tensor.fromBuffer(f, [f.length], 'int32')]; }
  const rc = torchNonzero(a); // [k, ndim]
  return Array.from({ length: a.ndim }, (_, d) => rc.select(1, d).contiguous());
}
