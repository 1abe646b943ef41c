/**
 * brainstate.nn._fixedprob (brainstate 0.1.10): EventFixedNumConn / EventFixedProb — an event-driven linear layer with
 * a fixed number of post targets per pre neuron and one homogeneous weight.
 *
 *     comm = brainstate.nn.EventFixedProb(3200, 4000, conn_num=0.02, conn_weight=0.6)     (Python, units dropped)
 *     const comm = new nn.EventFixedProb(3200, 4000, { conn_num: 0.02, conn_weight: 0.6, seed: 1 })  (TypeScript)
 *     current = comm(spk)                                                                  →  comm.call(spk)
 *
 * EventFixedNumConn(in_size, out_size, conn_num, conn_weight, allow_multi_conn=True, seed=None, name=None):
 *   conn_num a fraction (a non-integer number in [0, 1]) → int(n_post·conn_num) targets per pre; an integer → that count
 *   (Python tells 0.02 from 80 by type; here an integer-valued number is a count, so 1.0 means ONE target, not all).
 *   Targets: with allow_multi_conn (default) k draws with replacement from [0, n_post) per pre (np.random.randint
 *   upstream; a pre may hit the same post twice and then adds 2w there); without, k distinct targets per pre.
 *   update(spk): for every pre i with spk[i] ≠ 0, adds w·spk[i] to each of its targets (bool spikes count 1) — what
 *   `brainevent.EventArray(spk) @ FixedPostNumConn` computes. spk may carry leading batch axes ([…, n_pre] → […, n_post]).
 *
 * RNG: the indices are drawn with spikeport's torch generator (torch.randint; `seed` → a private
 * torch.Generator().manual_seed(seed), null → the global torch generator, so torch.manual_seed makes it reproducible).
 * The connectivity therefore CANNOT match brainstate's draws (numpy's global RandomState / RandomState(seed) in 0.1.10,
 * JAX keys in other versions): same statistics (k targets per pre, uniform with replacement), different matrix.
 * Forward only: gradients through the event matmul are not ported (a spike tensor requiring grad raises).
 */
import * as torch from '../../torch/index';
import { checkInt, fail, pyArgs, type PyRest } from '../../torch/utils/checks';
import { noGrad, toShape } from './_dynamics';

type Tensor = torch.Tensor;
type FPOpts = { conn_num?: number; conn_weight?: number; allow_multi_conn?: boolean; seed?: number | null; name?: string | null };
type FPRest = PyRest<[conn_num: number | undefined, conn_weight: number | undefined, allow_multi_conn: boolean | undefined,
  seed: number | null | undefined, name: string | null | undefined], FPOpts>;

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

export class EventFixedNumConn {
  in_size: number[];
  out_size: number[];
  n_pre: number;
  n_post: number;
  conn_num: number;
  weight: number;
  allow_multi_conn: boolean;
  seed: number | null;
  name: string | null;
  /** [n_pre, conn_num] post indices (row-major), as upstream's `indices`. */
  indices: Int32Array;

  constructor(in_size: number | number[], out_size: number | number[], ...rest: FPRest) {
    const fn = `brainstate.nn.${new.target.name}`;
    const o = pyArgs(fn, ['conn_num', 'conn_weight', 'allow_multi_conn', 'seed', 'name'], rest) as FPOpts;
    this.in_size = toShape(fn, in_size);
    this.out_size = toShape(fn, out_size);
    this.n_pre = this.in_size[this.in_size.length - 1];
    this.n_post = this.out_size[this.out_size.length - 1];
    const cn = o.conn_num;
    if (typeof cn !== 'number' || !Number.isFinite(cn) || cn < 0) fail(fn, 'conn_num', 'a fraction in [0, 1] or a non-negative integer count', cn);
    if (!Number.isInteger(cn)) {
      if (cn > 1) fail(fn, 'conn_num', 'a fraction in [0, 1] or a non-negative integer count', cn);
      this.conn_num = Math.trunc(this.n_post * cn); // Python int(n_post * conn_num)
    } else {
      this.conn_num = cn;
    }
    const w = o.conn_weight;
    if (typeof w !== 'number' || !Number.isFinite(w)) fail(fn, 'conn_weight', 'a finite number (a homogeneous weight)', w);
    this.weight = w;
    this.allow_multi_conn = o.allow_multi_conn ?? true;
    if (typeof this.allow_multi_conn !== 'boolean') fail(fn, 'allow_multi_conn', 'a boolean', this.allow_multi_conn);
    if (!this.allow_multi_conn && this.conn_num > this.n_post) throw new Error(`${fn}: conn_num (${this.conn_num}) > n_post (${this.n_post}) needs allow_multi_conn=true`);
    this.seed = o.seed ?? null;
    if (this.seed !== null) checkInt(fn, 'seed', this.seed, -Infinity);
    this.name = o.name ?? null;
    this.indices = this._draw();
  }

  private _draw(): Int32Array {
    const { n_pre, n_post, conn_num: k } = this;
    const out = new Int32Array(n_pre * k);
    if (k === 0 || n_pre === 0) return out;
    const generator = this.seed === null ? torch.default_generator : new torch.Generator().manual_seed(this.seed);
    if (this.allow_multi_conn) {
      const r = torch.randint(0, n_post, [n_pre, k], { generator, dtype: 'int32' }).toTypedArray() as Int32Array;
      out.set(r);
      return out;
    }
    // k distinct targets per pre: draw batches with replacement and keep the first unseen ones (order of first draw)
    for (let i = 0; i < n_pre; i++) {
      const seen = new Set<number>();
      let m = 0;
      while (m < k) {
        const r = torch.randint(0, n_post, [k], { generator, dtype: 'int32' }).toTypedArray() as Int32Array;
        for (let j = 0; j < r.length && m < k; j++) if (!seen.has(r[j])) { seen.add(r[j]); out[i * k + m++] = r[j]; }
      }
    }
    return out;
  }

  /** update(spk): the summed weights of every spiking pre onto its targets, float32 […, n_post]. */
  update(spk: Tensor): Tensor {
    const fn = `${this.constructor.name}.update`;
    if (!(spk instanceof torch.Tensor)) fail(fn, 'spk', 'a Tensor of spikes (bool or float) with last axis n_pre', spk);
    noGrad(fn, 'spk', spk);
    const shape = spk.shape;
    if (shape.length === 0 || shape[shape.length - 1] !== this.n_pre) throw new Error(`${fn}: spk has shape [${shape.join(', ')}], expected last axis ${this.n_pre}`);
    // read the spikes in place (a contiguous bool/float32 tensor, e.g. a narrow() of the spikes, is not copied)
    const c = spk.dtype === 'bool' || spk.dtype === 'float32' ? spk.contiguous() : spk.detach().to('float32').contiguous();
    const s = c.buffer as ArrayLike<number>, s0 = c.offset;
    const B = prod(shape) / this.n_pre;
    const { n_pre, n_post, conn_num: k, indices: idx, weight: w } = this;
    const out = new Float32Array(B * n_post);
    // bool spikes scan their bytes in a loop of their own (one array type per loop: a shared one reads both slowly)
    if (spk.dtype === 'bool') addBoolRows(s as Uint8Array, s0, B, n_pre, n_post, k, idx, w, out);
    else {
      for (let b = 0; b < B; b++) {
        const so = s0 + b * n_pre, oo = b * n_post;
        for (let i = 0; i < n_pre; i++) {
          const v = s[so + i];
          if (!v) continue;
          const a = w * (v as number);
          const base = i * k;
          for (let j = 0; j < k; j++) out[oo + idx[base + j]] += a;
        }
      }
    }
    return torch.from_typed_array(out, [...shape.slice(0, -1), n_post]);
  }

  /** Python's `__call__`. */
  call(spk: Tensor): Tensor { return this.update(spk); }
}

/** The bool-spike rows of EventFixedNumConn.update: each spiking pre adds w to its k targets. */
function addBoolRows(s: Uint8Array, s0: number, B: number, n_pre: number, n_post: number, k: number, idx: Int32Array, w: number, out: Float32Array): void {
  for (let b = 0; b < B; b++) {
    const so = s0 + b * n_pre, oo = b * n_post;
    for (let i = 0; i < n_pre; i++) {
      if (!s[so + i]) continue;
      const base = i * k;
      for (let j = 0; j < k; j++) out[oo + idx[base + j]] += w;
    }
  }
}

/** brainstate 0.1.10's name for the same layer (`EventFixedProb = EventFixedNumConn` upstream; a subclass here). */
export class EventFixedProb extends EventFixedNumConn {}
