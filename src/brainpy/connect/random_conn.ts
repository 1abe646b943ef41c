/**
 * brainpy.connect random connectors (brainpy/connect/random_conn.py): FixedProb.
 *
 * `FixedProb(prob, pre_ratio=1., include_self=True, allow_multi_conn=False, seed=None)` (TypeScript:
 * `new FixedProb(prob, { pre_ratio, include_self, allow_multi_conn, seed })`, `pre`/`post` as keyword options).
 *
 * What is exact (BrainPy 2.8.x, numba installed — the default `brainpy[cpu]` install):
 * - 'csr' / 'pre2post' / 'coo' / 'pre_ids' / 'post_ids' with allow_multi_conn=false and pre_ratio=1: FIXED
 *   OUT-DEGREE k = int(round(post_num * prob)) (Python's round-half-even), not Bernoulli. Per build:
 *   s = RandomState(seed).randint(0, 10**8) (the connector's persistent `_nprand`), numba's np.random.seed(s), then
 *   for each pre i in order `np.random.choice(post_num, k, replace=False)` = the first k of a full legacy
 *   permutation. Targets stay in draw order (not sorted). include_self=false drops the entries post == pre (that
 *   row keeps k - 1). Reproduced bit-exactly with NumpyRandomState (compared with numpy in the tests).
 *   Without numba BrainPy calls `_nprand.choice` directly (no intermediate seed): set
 *   `random_conn_config.support_numba = false` to reproduce that variant.
 * - Each build consumes `_nprand`, so requiring twice gives different graphs, as in BrainPy.
 *
 * What is not (JAX threefry cannot run here; these use a documented stand-in, a NumpyRandomState seeded with
 * [seed, 0x4a4158], so results are reproducible in spikeport but not equal to BrainPy's):
 * - pre_ratio < 1: the subset of pre neurons (`_jaxrand.choice(pre_num, int(pre_num * pre_ratio), replace=False)`);
 *   the targets of the selected rows are still numpy-exact (row r of the draws goes to the r-th selected pre).
 * - allow_multi_conn=true: targets `_jaxrand.randint(0, post_num, (pre, k))` (with replacement).
 * - 'conn_mat' (build_mat): Bernoulli(prob) per pair from `_jaxrand.uniform` — a DIFFERENT graph from 'csr', as in
 *   BrainPy; diagonal cleared when include_self=false; with pre_ratio < 1 rows kept with probability pre_ratio.
 * - seed=None: `format_seed` draws `np.random.randint(0, 10**7)` from numpy's global state; here from
 *   bm numpy_random's `random_state` (seed it with `numpy_random.seed(s)` as `np.random.seed(s)`).
 *
 * Version notes: BrainPy ≤ 2.7.x used k = int(post_num * prob) (truncation) and raised for include_self=false with
 * pre_num != post_num; 2.8.x rounds and allows it. spikeport follows 2.8.x. BrainPy's indptr is a float32 cumsum
 * (inexact past 2^24 connections); spikeport's is exact.
 */
import * as torch from '../../torch';
import { fail } from '../../torch/utils/checks';
import { NumpyRandomState, random_state } from '../math/numpy_random';
import { _coo2csr, type IndexArray } from '../math/sparse';
import { TwoEndConnector, ConnectorError, _kwargs, type Size } from './base';

type Tensor = torch.Tensor;

/** Module switches standing in for BrainPy's environment (`brainpy.tools.SUPPORT_NUMBA`). */
export const random_conn_config = { support_numba: true };

/** brainpy.tools.format_seed: None → np.random.randint(0, 10**7) from numpy's global state. */
export function format_seed(seed?: number | null): number {
  if (seed === undefined || seed === null) return random_state.randint(0, 10000000) as number;
  return seed;
}

/** Python's round(x) for a float: nearest integer, ties to even. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export interface FixedProbOptions {
  pre_ratio?: number;
  include_self?: boolean;
  allow_multi_conn?: boolean;
  seed?: number | null;
  pre?: Size | null;
  post?: Size | null;
}

/** brainpy.connect.FixedProb: each (selected) pre neuron connects to k = round(post_num * prob) post neurons. */
export class FixedProb extends TwoEndConnector {
  prob: number;
  pre_ratio: number;
  include_self: boolean;
  allow_multi_conn: boolean;
  seed: number;
  /** numpy's RandomState(seed): the exact stream. */
  _nprand: NumpyRandomState;
  /** Stand-in for BrainPy's JAX generator (see the file header). */
  _jaxrand: NumpyRandomState;

  constructor(prob: number, ...rest: [number?, boolean?, boolean?, (number | null)?, FixedProbOptions?] | [FixedProbOptions]) {
    const fn = 'FixedProb';
    const a = _kwargs(fn, ['pre_ratio', 'include_self', 'allow_multi_conn', 'seed'], ['pre', 'post'], rest);
    super(a.pre, a.post);
    if (typeof prob !== 'number' || !(prob >= 0 && prob <= 1)) fail(fn, 'prob', 'a number in [0, 1]', prob);
    const pre_ratio = a.pre_ratio ?? 1;
    if (typeof pre_ratio !== 'number' || !(pre_ratio >= 0 && pre_ratio <= 1)) fail(fn, 'pre_ratio', 'a number in [0, 1]', pre_ratio);
    const include_self = a.include_self ?? true;
    if (typeof include_self !== 'boolean') fail(fn, 'include_self', 'a boolean', include_self);
    const allow_multi_conn = a.allow_multi_conn ?? false;
    if (typeof allow_multi_conn !== 'boolean') fail(fn, 'allow_multi_conn', 'a boolean', allow_multi_conn);
    if (a.seed !== undefined && a.seed !== null && (typeof a.seed !== 'number' || !Number.isInteger(a.seed) || a.seed < 0 || a.seed > 0xffffffff)) {
      fail(fn, 'seed', 'an integer in [0, 2**32 - 1] or null', a.seed);
    }
    this.prob = prob;
    this.pre_ratio = pre_ratio;
    this.include_self = include_self;
    this.allow_multi_conn = allow_multi_conn;
    this.seed = format_seed(a.seed);
    this._nprand = new NumpyRandomState(this.seed);
    this._jaxrand = new NumpyRandomState([this.seed, 0x4a4158]);
  }

  override toString(): string {
    const py = (b: boolean): string => (b ? 'True' : 'False');
    return `FixedProb(prob=${this.prob}, pre_ratio=${this.pre_ratio}, include_self=${py(this.include_self)}, allow_multi_conn=${py(this.allow_multi_conn)}, seed=${this.seed})`;
  }

  /** BrainPy's _iii: [pre_num_to_select, k, targets (row-major pre_sel × k), pre_ids]. */
  private draw(): [number, number, Int32Array, Int32Array] {
    const pre_num = this.pre_num!, post_num = this.post_num!;
    let pre_sel: number;
    let pre_ids: Int32Array;
    if (this.pre_ratio < 1) {
      pre_sel = Math.trunc(pre_num * this.pre_ratio);
      pre_ids = (this._jaxrand.choice(pre_num, pre_sel, false) as Tensor).toTypedArray() as Int32Array;
    } else {
      pre_sel = pre_num;
      pre_ids = new Int32Array(pre_num);
      for (let i = 0; i < pre_num; i++) pre_ids[i] = i;
    }
    const k = pyRound(post_num * this.prob);
    const posts = new Int32Array(pre_sel * k);
    if (this.allow_multi_conn) {
      if (posts.length > 0) posts.set((this._jaxrand.randint(0, post_num, [pre_sel * k]) as Tensor).toTypedArray() as Int32Array);
    } else {
      const rng = random_conn_config.support_numba ? new NumpyRandomState(this._nprand.randint(0, 100000000) as number) : this._nprand;
      const perm = new Int32Array(post_num);
      for (let i = 0; i < pre_sel; i++) {
        rng.permutation_into(perm); // choice(post_num, k, replace=False) = permutation(post_num)[:k]
        posts.set(perm.subarray(0, k), i * k);
      }
    }
    return [pre_sel, k, posts, pre_ids];
  }

  private requireSizes(): void {
    if (this.pre_num === null || this.post_num === null) throw new ConnectorError('FixedProb: pre_num/post_num are not defined; call conn.call(pre_size, post_size) or pass the sizes to require');
  }

  override build_coo(): [IndexArray, IndexArray] {
    this.requireSizes();
    const [, k, posts, pre_ids] = this.draw();
    const n = posts.length;
    const pre = new Int32Array(n);
    for (let r = 0; r < pre_ids.length; r++) pre.fill(pre_ids[r], r * k, (r + 1) * k);
    if (this.include_self) return [pre, posts];
    let m = 0;
    for (let q = 0; q < n; q++) if (pre[q] !== posts[q]) m++;
    const p2 = new Int32Array(m), q2 = new Int32Array(m);
    let w = 0;
    for (let q = 0; q < n; q++) if (pre[q] !== posts[q]) { p2[w] = pre[q]; q2[w] = posts[q]; w++; }
    return [p2, q2];
  }

  override build_csr(): [IndexArray, IndexArray] {
    this.requireSizes();
    if (this.pre_ratio < 1) {
      // BrainPy 2.8: the subset case goes through coo2csr over the full pre range
      const [pre, post] = this.build_coo() as [Int32Array, Int32Array];
      const [indices, indptr] = _coo2csr('FixedProb.build_csr', pre, post, this.pre_num!);
      return [indices, indptr];
    }
    const [pre_sel, k, posts, pre_ids] = this.draw();
    const indptr = new Int32Array(pre_sel + 1);
    if (this.include_self) {
      for (let i = 0; i < pre_sel; i++) indptr[i + 1] = indptr[i] + k;
      return [posts, indptr];
    }
    const kept = new Int32Array(posts.length);
    let w = 0;
    for (let i = 0; i < pre_sel; i++) {
      const self = pre_ids[i];
      for (let q = i * k; q < (i + 1) * k; q++) if (posts[q] !== self) kept[w++] = posts[q];
      indptr[i + 1] = w;
    }
    return [kept.slice(0, w), indptr];
  }

  override build_mat(): Tensor {
    this.requireSizes();
    const pre_num = this.pre_num!, post_num = this.post_num!;
    let rowKeep: Uint8Array | null = null;
    if (this.pre_ratio < 1) {
      rowKeep = new Uint8Array(pre_num);
      for (let i = 0; i < pre_num; i++) rowKeep[i] = this._jaxrand.next_double() < this.pre_ratio ? 1 : 0;
    }
    const mat = new Uint8Array(pre_num * post_num);
    for (let i = 0; i < pre_num; i++) {
      for (let j = 0; j < post_num; j++) {
        const u = this._jaxrand.next_double();
        mat[i * post_num + j] = u < this.prob && (!rowKeep || rowKeep[i]) ? 1 : 0;
      }
    }
    if (!this.include_self) for (let i = 0; i < Math.min(pre_num, post_num); i++) mat[i * post_num + i] = 0;
    return torch.from_typed_array(mat, [pre_num, post_num]);
  }
}
