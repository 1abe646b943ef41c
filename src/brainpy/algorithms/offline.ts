/**
 * brainpy.algorithms.offline (BrainPy 2.x): offline fitting algorithms for layers with `offline_fit` (bp.dnn.Dense).
 *
 *     ridge = bp.algorithms.RidgeRegression(alpha=1e-7)      new bp.algorithms.RidgeRegression({ alpha: 1e-7 })
 *     W = ridge(targets, inputs)                             const W = ridge.call(targets, inputs)
 *
 * RidgeRegression follows BrainPy's closed-form path: inputs and targets of 3 or more dimensions are flattened to 2-D
 * (num_sample·num_time, feature) and
 *
 *     W = pinv(XᵀX + alpha·I) · (Xᵀ T)          (alpha·I only when alpha > 0; the bias column, if any, is penalised too)
 *
 * spikeport computes in float64 and returns W in the inputs' floating dtype. The pseudo-inverse drops eigenvalues
 * below rcond·max|eigenvalue| with JAX's default rcond for the data dtype, 10·d·eps (eps of float32 = 2^-23 for
 * float32 data, which is what BrainPy runs in), so a nearly singular system is truncated as jnp.linalg.pinv truncates
 * it. The gradient-descent variants (gradient_descent=True) and the other regressions (lasso, logistic, polynomial,
 * elastic net) are not ported.
 */
import { Tensor, from_typed_array, no_grad } from '../../torch/index';
import { symmetricPinv } from './_linalg';

function fdtype(x: Tensor): 'float32' | 'float64' { return x.dtype === 'float64' ? 'float64' : 'float32'; }

/** BrainPy's _check_data_2d_atls: at least 2-D; more dimensions are flattened into the first. */
function check2d(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${fn}: ${arg} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.ndim < 2) throw new Error(`${fn}: ${arg} must be a 2d tensor, but got ${x.ndim}d: [${x.shape.join(', ')}]`);
  return x.ndim === 2 ? x : x.flatten(0, -2);
}

/** Base class for offline training algorithms: `call(targets, inputs, outputs?)` returns the fitted weights. */
export class OfflineAlgorithm {
  name: string | null;
  constructor(name: string | null = null) { this.name = name; }
  call(_targets: Tensor, _inputs: Tensor, _outputs?: Tensor | null): Tensor {
    throw new Error(`${this.constructor.name}.call must be implemented by the subclass`);
  }
  toString(): string { return this.constructor.name; }
}

export interface RidgeOptions { alpha?: number; beta?: number; name?: string | null }

/** Ridge regression, closed form (see the file comment). */
export class RidgeRegression extends OfflineAlgorithm {
  alpha: number;

  /** RidgeRegression(alpha = 1e-7), or RidgeRegression({ alpha, beta (deprecated alias of alpha), name }). */
  constructor(alpha: number | RidgeOptions = 1e-7) {
    const fn = 'bp.algorithms.RidgeRegression';
    let a: unknown = alpha;
    let name: string | null = null;
    if (typeof alpha === 'object' && alpha !== null) {
      for (const k of Object.keys(alpha)) if (!['alpha', 'beta', 'name'].includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of alpha, beta, name (gradient-descent options are not ported)`);
      a = alpha.beta ?? alpha.alpha ?? 1e-7;
      name = alpha.name ?? null;
    }
    if (typeof a !== 'number' || !Number.isFinite(a) || a < 0) throw new Error(`${fn}: alpha must be a finite number >= 0, got ${String(a)}`);
    super(name);
    this.alpha = a;
  }

  override call(targets: Tensor, inputs: Tensor, _outputs?: Tensor | null): Tensor {
    const fn = 'RidgeRegression.call';
    const X = check2d(fn, 'inputs', inputs);
    const T = check2d(fn, 'targets', targets);
    if (X.shape[0] !== T.shape[0]) throw new Error(`${fn}: inputs have ${X.shape[0]} samples, targets ${T.shape[0]} (shapes [${inputs.shape.join(', ')}] and [${targets.shape.join(', ')}])`);
    return no_grad(() => {
      const x = X.to('float64');
      const d = x.shape[1];
      const A = x.t().matmul(x).contiguous();
      const a = Float64Array.from(A.toTypedArray() as Float64Array);
      if (this.alpha > 0) for (let i = 0; i < d; i++) a[i * d + i] += this.alpha;
      const eps = X.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
      const pinv = from_typed_array(symmetricPinv(a, d, 10 * d * eps), [d, d]);
      return pinv.matmul(x.t().matmul(T.to('float64'))).to(fdtype(X));
    });
  }

  override toString(): string { return `RidgeRegression(beta=${this.alpha})`; }
}

const name2func: Record<string, new () => OfflineAlgorithm> = { ridge: RidgeRegression };

/** The names accepted by `get` (BrainPy also has linear/lstsq, lasso, logistic, polynomial, …: not ported). */
export function get_supported_offline_methods(): string[] { return Object.keys(name2func); }

export function get(name: string): new () => OfflineAlgorithm {
  const f = name2func[name];
  if (!f) throw new Error(`bp.algorithms.offline.get: all offline methods are [${get_supported_offline_methods().join(', ')}], but got ${JSON.stringify(name)}`);
  return f;
}
