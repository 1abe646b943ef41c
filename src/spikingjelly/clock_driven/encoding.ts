/**
 * spikingjelly.clock_driven.encoding (release 0.0.0.0.8, commit c14d8ac9): encoders turning values into spikes.
 *
 *  - StatelessEncoder (nn.Module): `encoder.call(x)` returns spikes shaped like x (PoissonEncoder).
 *  - StatefulEncoder (MemoryModule, memories `spike` = null and `t` = 0): the first call encodes x into
 *    spike [T, …x.shape]; the t-th call returns spike[t % T] (later inputs are ignored until reset()).
 *    PeriodicEncoder, LatencyEncoder, WeightedPhaseEncoder.
 *
 *     encoder = encoding.LatencyEncoder(T)          →  const encoder = new encoding.LatencyEncoder(T);
 *     for t in range(T): s = encoder(x)             →  for (let t = 0; t < T; t++) s = encoder.call(x);
 *
 * PoissonEncoder draws torch.rand_like(x) from the global generator, so after torch.manual_seed(s) it gives PyTorch's
 * spikes bit for bit.
 * QUIRK: 0.0.0.0.8's WeightedPhaseEncoder.encode reads `self.phase`, which nothing sets (AttributeError); the port uses
 *   T phases, as spikingjelly itself later did (encode over self.T).
 * QUIRK: after reset(), PeriodicEncoder's spike is null like any stateful encoder's, so its next call re-encodes from
 *   its argument: pass the spike sequence again (upstream fails on `encoder()` then, and the port raises a clear error).
 * QUIRK: 0.0.0.0.8 asserts T is a Python int (`LatencyEncoder(2.0)` fails); TypeScript accepts any integer number.
 */
import { torch, nn, F } from '../../index';
import { checkInt, describe, fail } from '../../torch/utils/checks';
import { pyArgs, type PyRest } from '../../torch/nn/modules/module';
import { MemoryModule } from './base';

type Tensor = torch.Tensor;

function tensorArg(fn: string, arg: string, v: unknown): Tensor {
  if (!(v instanceof torch.Tensor)) fail(fn, arg, 'a Tensor', v);
  return v;
}

/** The base class of stateless encoders: subclasses define forward(x) returning spikes shaped like x. */
export class StatelessEncoder extends nn.Module {
  constructor() {
    super();
  }

  override forward(_x: Tensor): Tensor {
    throw new Error(`${this._get_name()}.forward is not implemented (StatelessEncoder is abstract: subclass it and define forward)`);
  }
}

/**
 * The base class of stateful encoders: StatefulEncoder(T), T >= 1 the encoding period. Subclasses define encode(x),
 * which sets `this.spike` to a [T, …] tensor.
 */
export class StatefulEncoder extends MemoryModule {
  declare T: number;
  /** Memory: the encoded spikes [T, …], null until the first call (and after reset()). */
  declare spike: Tensor | null;
  /** Memory: the index of the next time step to output. */
  declare t: number;

  constructor(T: number) {
    super();
    checkInt(`${new.target.name}`, 'T', T, 1);
    this.T = T;
    this.register_memory('spike', null);
    this.register_memory('t', 0);
  }

  /** Encodes x on the first call (spike is null), then returns spike[t] and advances t modulo T. */
  override forward(x?: Tensor | null): Tensor {
    if (this.spike === null) this.encode(x as Tensor);
    const spike = this.spike as Tensor | null;
    if (!(spike instanceof torch.Tensor)) {
      throw new Error(`${this._get_name()}.forward: encode() left spike ${describe(spike)}; it must set this.spike to a [T, …] tensor`);
    }
    const t = this.t;
    this.t += 1;
    if (this.t >= this.T) this.t = 0;
    return spike.select(0, t);
  }

  encode(_x: Tensor): void {
    throw new Error(`${this._get_name()}.encode is not implemented (StatefulEncoder is abstract: subclass it and define encode)`);
  }

  override extra_repr(): string {
    return `T=${this.T}`;
  }
}

/** PeriodicEncoder(spike): outputs spike[t % T] at the t-th call, T = spike.shape[0]. */
export class PeriodicEncoder extends StatefulEncoder {
  constructor(spike: Tensor) {
    tensorArg('PeriodicEncoder', 'spike', spike);
    if (spike.ndim < 1) fail('PeriodicEncoder', 'spike', 'a tensor [T, …] (at least 1-D)', spike);
    super(spike.shape[0]);
    this.encode(spike);
  }

  override encode(spike: Tensor): void {
    const fn = 'PeriodicEncoder.encode';
    if (!(spike instanceof torch.Tensor)) {
      fail(fn, 'spike', 'a Tensor [T, …] (after reset() the spike sequence is gone: pass it to the encoder again)', spike);
    }
    if (spike.ndim < 1 || spike.shape[0] < 1) fail(fn, 'spike', 'a tensor [T, …] with T >= 1', spike);
    this.spike = spike;
    this.T = spike.shape[0];
  }
}

export type LatencyFunction = 'linear' | 'log';

/**
 * LatencyEncoder(T, enc_function = 'linear'): x in [0, 1] fires once, at t_f = round((T − 1)(1 − x)) ('linear') or
 * t_f = round(T − 1 − ln(αx + 1)) with α = e^(T−1) − 1 ('log'); larger x fires earlier. round is half to even
 * (torch.round), so (T − 1)(1 − x) = 1.5 fires at 2 and 2.5 at 2.
 */
export class LatencyEncoder extends StatefulEncoder {
  declare enc_function: LatencyFunction;
  /** e^(T−1) − 1 (only with enc_function 'log', as upstream). */
  declare alpha: number;

  constructor(T: number, ...rest: PyRest<[enc_function: LatencyFunction | undefined], { enc_function?: LatencyFunction }>) {
    super(T);
    const enc_function = pyArgs('LatencyEncoder', ['enc_function'], rest).enc_function ?? 'linear';
    if (enc_function === 'log') this.alpha = Math.exp(T - 1) - 1;
    else if (enc_function !== 'linear') fail('LatencyEncoder', 'enc_function', "'linear' or 'log'", enc_function);
    this.enc_function = enc_function;
  }

  override encode(x: Tensor): void {
    const fn = 'LatencyEncoder.encode';
    tensorArg(fn, 'x', x);
    const T = this.T;
    const t_f = torch.no_grad(() => (this.enc_function === 'log'
      ? x.mul(this.alpha).add(1).log().rsub(T - 1)
      : x.rsub(1).mul(T - 1)).round());
    const tf = t_f.toTypedArray();
    const idx = new Int32Array(tf.length);
    for (let i = 0; i < tf.length; i++) {
      const v = tf[i];
      if (!(v >= 0 && v <= T - 1)) {
        const xv = x.detach().contiguous().toTypedArray()[i];
        throw new Error(`${fn}: x must lie in [0, 1]: the firing time t_f = ${v} computed from x = ${xv} (flat index ${i}) is outside [0, ${T - 1}]`);
      }
      idx[i] = v;
    }
    // one_hot(t_f, T) in x's dtype: [*, T], then [T, *]
    const spike = F.one_hot(torch.from_typed_array(idx, t_f.shape.slice()), { num_classes: T }).to(x.dtype);
    const nd = spike.ndim;
    this.spike = spike.permute([nd - 1, ...Array.from({ length: nd - 1 }, (_, i) => i)]);
  }
}

/**
 * PoissonEncoder(): spike = (rand_like(x) <= x) in x's dtype, so x in [0, 1] is the firing probability. Draws from the
 * global generator (torch.manual_seed).
 */
export class PoissonEncoder extends StatelessEncoder {
  constructor() {
    super();
  }

  override forward(x: Tensor): Tensor {
    tensorArg('PoissonEncoder.forward', 'x', x);
    return torch.rand_like(x).le(x).to(x.dtype);
  }
}

/**
 * WeightedPhaseEncoder(T) (Kim et al., Neurocomputing 2018): x in [0, 1 − 2^−T] written in binary, phase i firing for
 * bit i (weight 2^−(i+1)), most significant first. spike is float32 [T, …x.shape].
 */
export class WeightedPhaseEncoder extends StatefulEncoder {
  constructor(T: number) {
    super(T);
  }

  override encode(x: Tensor): void {
    const fn = 'WeightedPhaseEncoder.encode';
    tensorArg(fn, 'x', x);
    const K = this.T;
    // x <= 1 - 2^-K compares in x's precision, as torch does with a Python float
    const hi = x.dtype === 'float32' ? Math.fround(1 - 2 ** -K) : 1 - 2 ** -K;
    torch.no_grad(() => {
      if (!x.ge(0).all().item() || !x.le(hi).all().item()) {
        throw new Error(`${fn}: x must lie in [0, 1 - 2^-${K}] = [0, ${hi}] for ${K} phases, got values in [${x.min().item()}, ${x.max().item()}]`);
      }
      const inputs = x.clone();
      const spike = torch.empty([K, ...x.shape]);
      let w = 0.5;
      for (let i = 0; i < K; i++) {
        const s = spike.select(0, i);
        s.copy_(inputs.ge(w));
        inputs.sub_(s.mul(w));
        w *= 0.5;
      }
      this.spike = spike;
    });
  }
}
