/**
 * brainpy.algorithms.online (BrainPy 2.x): online fitting algorithms for layers with `online_fit` (bp.dnn.Dense).
 *
 *     rls = bp.algorithms.RLS(alpha=0.1)      const rls = new bp.algorithms.RLS({ alpha: 0.1 });
 *     dense.online_fit_by = rls               dense.online_fit_by = rls;
 *     dense.online_init()                     dense.online_init();
 *
 * RLS follows BrainPy's `RLS.call` (brainpy/algorithms/online.py). For a batch X (B×d), the layer's output Y and the
 * target T (B×o), with P the stored d×d matrix (registered as alpha·I — alpha times the identity, not I/alpha):
 *
 *     k = P Xᵀ                         (d×B)
 *     hPh = X k                        (B×B)
 *     gain = k (I_B + hPh)⁻¹           (d×B)     block RLS, BrainPy ≥ 2.8.0 (brainpy-semantics.md §5)
 *     P ← P − gain X P
 *     dW = −gain (Y − T)               (d×o)
 *
 * BrainPy ≤ 2.7.x computed the batch step differently: c = Σᵢⱼ 1/(1 + hPhᵢⱼ) (one scalar summed over the B×B
 * matrix), P ← P − c k kᵀ, dW = −c k (Y − T). Both agree for one sample per call (B = 1: the textbook RLS step) and
 * differ for B > 1; `new RLS({ batch_rule: 'sum' })` (a spikeport option) selects the ≤ 2.7.x rule.
 *
 * spikeport keeps P and does the algebra in float64 (BrainPy/JAX default to float32) and returns dW in the input's
 * floating dtype (float32 for non-float input). 1-D input, output and target are a batch of one, as in BrainPy.
 */
import { Tensor, eye, from_typed_array, no_grad } from '../../torch/index';
import { inverse } from './_linalg';

function fdtype(x: Tensor): 'float32' | 'float64' { return x.dtype === 'float64' ? 'float64' : 'float32'; }

function as2d(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${fn}: ${arg} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  const t = x.ndim === 1 ? x.unsqueeze(0) : x;
  if (t.ndim !== 2) throw new Error(`${fn}: ${arg} should be a 2D array with shape of (batch, feature), got shape [${x.shape.join(', ')}]`);
  return t;
}

/** Base class for online training algorithms: `call(target, input, output, identifier)` returns the weight change. */
export class OnlineAlgorithm {
  name: string | null;
  /** Per-target state (RLS: the P matrices, keyed by identifier + postfix). */
  implicit_vars: Record<string, Tensor> = {};

  constructor(name: string | null = null) { this.name = name; }

  register_target(_feature_in: number, _identifier = ''): void { /* nothing to register by default */ }

  call(_target: Tensor, _input: Tensor, _output: Tensor, _identifier = ''): Tensor {
    throw new Error(`${this.constructor.name}.call must be implemented by the subclass`);
  }

  toString(): string { return this.constructor.name; }
}

/** 'block': BrainPy ≥ 2.8.0 (gain = k (I + hPh)⁻¹); 'sum': BrainPy ≤ 2.7.x (c = Σ 1/(1 + hPh)). */
export type RlsBatchRule = 'block' | 'sum';

export interface RLSOptions { alpha?: number; name?: string | null; batch_rule?: RlsBatchRule }

/** The recursive least squares (RLS) algorithm, BrainPy's form (see the file comment). */
export class RLS extends OnlineAlgorithm {
  static readonly postfix = '.rls.P';
  alpha: number;
  batch_rule: RlsBatchRule;

  /** RLS(alpha = 0.1, name = null), or RLS({ alpha, name, batch_rule = 'block' }). */
  constructor(alpha: number | RLSOptions = 0.1, name: string | null = null) {
    const fn = 'bp.algorithms.RLS';
    let a: unknown = alpha;
    let rule: unknown = 'block';
    if (typeof alpha === 'object' && alpha !== null) {
      for (const k of Object.keys(alpha)) if (!['alpha', 'name', 'batch_rule'].includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of alpha, name, batch_rule`);
      a = alpha.alpha ?? 0.1;
      name = alpha.name ?? null;
      rule = alpha.batch_rule ?? 'block';
    }
    if (typeof a !== 'number' || !Number.isFinite(a)) throw new Error(`${fn}: alpha must be a finite number, got ${String(a)}`);
    if (rule !== 'block' && rule !== 'sum') throw new Error(`${fn}: batch_rule must be 'block' (BrainPy >= 2.8) or 'sum' (BrainPy <= 2.7), got ${JSON.stringify(rule)}`);
    super(name);
    this.alpha = a;
    this.batch_rule = rule;
  }

  /** Creates P = alpha·I (feature_in × feature_in, float64) for `identifier`. */
  override register_target(feature_in: number, identifier = ''): void {
    if (!Number.isInteger(feature_in) || feature_in < 1) throw new Error(`RLS.register_target: feature_in must be a positive integer, got ${String(feature_in)}`);
    this.implicit_vars[identifier + RLS.postfix] = eye(feature_in, { dtype: 'float64' }).mul(this.alpha);
  }

  /** One RLS step; returns dW (num_input × num_output). */
  override call(target: Tensor, input: Tensor, output: Tensor, identifier = ''): Tensor {
    const fn = 'RLS.call';
    const key = identifier + RLS.postfix;
    const P = this.implicit_vars[key];
    if (!P) throw new Error(`${fn}: no P matrix registered for ${JSON.stringify(identifier)}; call register_target(feature_in, identifier) first (layer.online_init())`);
    const X = as2d(fn, 'input', input);
    const Y = as2d(fn, 'output', output);
    const T = as2d(fn, 'target', target);
    if (X.shape[1] !== P.shape[0]) throw new Error(`${fn}: input has ${X.shape[1]} features, but P was registered for ${P.shape[0]}`);
    if (Y.shape[0] !== T.shape[0] || Y.shape[1] !== T.shape[1]) throw new Error(`${fn}: output shape [${Y.shape.join(', ')}] and target shape [${T.shape.join(', ')}] differ`);
    if (X.shape[0] !== Y.shape[0]) throw new Error(`${fn}: input batch ${X.shape[0]} and output batch ${Y.shape[0]} differ`);
    return no_grad(() => {
      const x = X.to('float64');
      const B = x.shape[0];
      const k = P.matmul(x.t()); // (d, B)
      const hPh = x.matmul(k); // (B, B)
      const e = Y.to('float64').sub(T.to('float64')); // (B, o)
      let gain: Tensor;
      if (this.batch_rule === 'sum') {
        gain = k.mul(hPh.add(1).reciprocal().sum().item());
        this.implicit_vars[key] = P.sub(gain.matmul(k.t()));
      } else {
        const m = Float64Array.from(hPh.contiguous().toTypedArray() as Float64Array);
        for (let i = 0; i < B; i++) m[i * B + i] += 1;
        gain = k.matmul(from_typed_array(inverse(m, B), [B, B])); // (d, B)
        this.implicit_vars[key] = P.sub(gain.matmul(x.matmul(P)));
      }
      return gain.matmul(e).neg().to(fdtype(X));
    });
  }
}

const name2func: Record<string, new () => OnlineAlgorithm> = { rls: RLS };

/** The names accepted by `get` (BrainPy: 'rls'; 'lms' and 'force' are not ported). */
export function get_supported_online_methods(): string[] { return Object.keys(name2func); }

/** get(name): the algorithm class registered under `name`. */
export function get(name: string): new () => OnlineAlgorithm {
  const f = name2func[name];
  if (!f) throw new Error(`bp.algorithms.online.get: all online methods are [${get_supported_online_methods().join(', ')}], but got ${JSON.stringify(name)}`);
  return f;
}
