/**
 * brainpy.math.compat_numpy (BrainPy 2.x): the NumPy-compatible functions of `bm` that spikeport ports.
 *
 *     ids, = bm.nonzero(spike)           const [ids] = bm.nonzero(spike);
 *     indices = bm.arange(1000)          const indices = bm.arange(1000);
 *
 * `nonzero(a)` returns one int32 index Tensor per dimension of `a` (jnp.nonzero's tuple), the positions in row-major
 * order. A neuron group's spike Variable knows its spiking indices (the LIF kernels list them), so recording spikes
 * this way costs the spikes, not the group size.
 *
 * `arange(start, stop?, step?, { dtype })` is jnp.arange with JAX's default 32-bit types: int32 when every argument
 * is an integer, else float32 (a JavaScript number carries no int/float distinction, so Python's `bm.arange(10.)`,
 * a float32 range, is `bm.arange(10, { dtype: 'float32' })` here). As jnp: `arange(stop)` and `arange(0, stop)` are
 * iotas of ceil(stop) elements; otherwise numpy's arange in the target dtype: b0 = start and b1 = start + step cast to
 * the dtype, then `b0 + i·(b1 − b0)` in the dtype; an empty range is empty (no error, as numpy).
 */
import { Tensor, nonzero as torchNonzero } from '../../torch/index';
import { describe, fail, isPlainObject } from '../../torch/utils/checks';
import { flatnonzero } from '../../torch/utils/kernels';

/** jnp.nonzero(a): a tuple (array) of index Tensors, one per dimension of a. */
export function nonzero(a: Tensor): Tensor[] {
  if (!(a instanceof Tensor)) fail('bm.nonzero', 'a', 'a Tensor', a);
  if (a.ndim === 0) fail('bm.nonzero', 'a', 'a Tensor with at least one dimension (jnp.nonzero rejects 0-d arrays)', a);
  if (a.ndim === 1) { const f = flatnonzero(a); return [Tensor.fromBuffer(f, [f.length], 'int32')]; }
  const rc = torchNonzero(a); // [k, ndim]
  return Array.from({ length: a.ndim }, (_, d) => rc.select(1, d).contiguous());
}

type ArangeDtype = 'int32' | 'float32';

/** bm.arange(start, stop = null, step = null, { dtype }) — see the header. */
export function arange(start: number, ...rest: (number | null | undefined | { dtype?: ArangeDtype | null })[]): Tensor {
  const fn = 'bm.arange';
  const args = rest.slice();
  let dtype: ArangeDtype | null = null;
  if (args.length && isPlainObject(args[args.length - 1])) {
    const o = args.pop() as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== 'dtype') throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected dtype`);
    if (o.dtype !== undefined && o.dtype !== null && o.dtype !== 'int32' && o.dtype !== 'float32') fail(fn, 'dtype', "'int32', 'float32' or null", o.dtype);
    dtype = (o.dtype ?? null) as ArangeDtype | null;
  }
  if (args.length > 2) throw new Error(`${fn}: expected (start, stop?, step?, { dtype }), got ${args.length + 1} positional arguments`);
  const num = (k: string, v: unknown): number | null => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, k, 'a finite number or null', v);
    return v as number;
  };
  const a = num('start', start), stop = num('stop', args[0]), step = num('step', args[1]);
  if (a === null) fail(fn, 'start', 'a finite number', start);
  if (step === 0) throw new Error(`${fn}: step must not be zero, got ${describe(step)}`);
  const dt: ArangeDtype = dtype ?? ([a, stop, step].every((v) => v === null || Number.isInteger(v)) ? 'int32' : 'float32');
  const Arr = dt === 'int32' ? Int32Array : Float32Array;
  // jnp: an iota for arange(stop) and arange(0, stop)
  if (step === null && (stop === null || a === 0)) {
    const n = Math.max(0, Math.ceil(stop ?? a!));
    const b = new Arr(n);
    for (let i = 0; i < n; i++) b[i] = i;
    return Tensor.fromBuffer(b, [n], dt);
  }
  const s0 = stop === null ? 0 : a!, s1 = stop === null ? a! : stop, st = step ?? 1;
  const n = Math.max(0, Math.ceil((s1 - s0) / st));
  const b = new Arr(n);
  // numpy: the first two values (start, start + step) cast to the dtype, the rest filled from them in the dtype
  const cast = dt === 'int32' ? Math.trunc : Math.fround;
  const b0 = cast(s0), b1 = cast(s0 + st), delta = cast(b1 - b0);
  for (let i = 0; i < n; i++) b[i] = i === 1 ? b1 : cast(b0 + cast(i * delta));
  return Tensor.fromBuffer(b, [n], dt);
}
