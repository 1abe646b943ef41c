/**
 * DropConnectLinear of spikingjelly.clock_driven.layer (0.0.0.0.8). Re-exported by layer.ts.
 */
import { torch, nn, F } from '../../index';
import { fail } from '../../torch/utils/checks';
import { pyArgs, pyFloat, type PyRest } from '../../torch/nn/modules/module';
import { MemoryModule } from './base';
import { type Tensor, pyBool, num, posInt, bool, tensorArg } from './_layer_args';

// ---- DropConnectLinear ------------------------------------------------------------------------------------------------

export interface DropConnectLinearOptions {
  bias?: boolean; p?: number; samples_num?: number; invariant?: boolean; activation?: nn.Module | null;
}

/** Python's default `activation=nn.ReLU()` is evaluated once: every layer built without one shares it. */
let DEFAULT_ACTIVATION: nn.ReLU | null = null;
function defaultActivation(): nn.ReLU {
  if (DEFAULT_ACTIVATION === null) DEFAULT_ACTIVATION = new nn.ReLU();
  return DEFAULT_ACTIVATION;
}

/**
 * DropConnectLinear(in_features, out_features, bias = true, p = 0.5, samples_num = 1024, invariant = false,
 * activation = ReLU()) (Wan et al. 2013). Training: every connection (and bias) is dropped with probability p, one
 * mask per sample of the batch (memories dropped_w [N, out, in], dropped_b [N, out]); new masks at every forward, or,
 * with invariant, at the first forward after reset(). Inference (Algorithm 2): u ~ N(mu, sigma²) with
 * mu = (1 − p)·(xWᵀ + b), sigma² = p(1 − p)·(x²(W²)ᵀ + b²), samples_num samples drawn with torch.normal (PyTorch's
 * order), activation, mean over the samples.
 */
export class DropConnectLinear extends MemoryModule {
  declare dropped_w: Tensor | null;
  declare dropped_b: Tensor | null;
  in_features: number;
  out_features: number;
  weight: nn.Parameter;
  bias: nn.Parameter | null;
  p: number;
  samples_num: number;
  invariant: boolean;
  activation: nn.Module | null;

  constructor(in_features: number, out_features: number,
    ...rest: PyRest<[bias: boolean | undefined, p: number | undefined, samples_num: number | undefined, invariant: boolean | undefined,
      activation: nn.Module | null | undefined], DropConnectLinearOptions>) {
    super();
    const fn = 'layer.DropConnectLinear';
    const o = pyArgs<DropConnectLinearOptions>(fn, ['bias', 'p', 'samples_num', 'invariant', 'activation'], rest);
    posInt(fn, 'in_features', in_features);
    posInt(fn, 'out_features', out_features);
    const bias = bool(fn, 'bias', o.bias ?? true);
    const p = num(fn, 'p', o.p ?? 0.5);
    if (!(p >= 0 && p <= 1)) fail(fn, 'p', 'a probability in [0, 1]', p);
    const samples_num = posInt(fn, 'samples_num', o.samples_num ?? 1024);
    const invariant = bool(fn, 'invariant', o.invariant ?? false);
    const activation = o.activation === undefined ? defaultActivation() : o.activation;
    if (activation !== null && !(activation instanceof nn.Module)) fail(fn, 'activation', 'an nn.Module or null', activation);
    this.in_features = in_features;
    this.out_features = out_features;
    this.weight = new nn.Parameter(torch.empty(out_features, in_features));
    this.bias = bias ? new nn.Parameter(torch.empty(out_features)) : null;
    this.reset_parameters();
    this.p = p; // the probability of dropping a connection
    this.register_memory('dropped_w', null);
    if (this.bias !== null) this.register_memory('dropped_b', null);
    this.samples_num = samples_num;
    this.invariant = invariant;
    this.activation = activation;
  }

  /** weight: kaiming_uniform_(a = √5); bias: U(−1/√fan_in, 1/√fan_in) (nn.Linear's initialisation). */
  reset_parameters(): void {
    nn.init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fan_in] = nn.init._calculate_fan_in_and_fan_out(this.weight);
      const bound = 1 / Math.sqrt(fan_in);
      nn.init.uniform_(this.bias, -bound, bound);
    }
  }

  /** Back to fully connected (memories reset); the activation is reset too when it has reset(). */
  override reset(): void {
    super.reset();
    const act = this.activation as unknown as { reset?: unknown } | null;
    if (act !== null && typeof act.reset === 'function') (act.reset as () => void).call(act);
  }

  /** Draws the masks of a batch: rand > p per connection ([batch_size, out, in]), then per bias ([batch_size, out]). */
  drop(batch_size: number): void {
    posInt('DropConnectLinear.drop', 'batch_size', batch_size);
    // torch.rand_like(weight.unsqueeze(0).repeat([batch_size, 1, 1])) > p
    const mask_w = torch.rand([batch_size, ...this.weight.shape]).gt(this.p);
    this.dropped_w = this.weight.mul(mask_w);
    if (this.bias !== null) {
      const mask_b = torch.rand([batch_size, ...this.bias.shape]).gt(this.p);
      this.dropped_b = this.bias.mul(mask_b);
    }
  }

  override forward(input: Tensor): Tensor {
    const fn = 'DropConnectLinear.forward';
    tensorArg(fn, 'input', input);
    if (this.training) {
      if (input.ndim !== 2 || input.shape[1] !== this.in_features) {
        // 0.0.0.0.8 multiplies per-sample masked weights with torch.bmm, which needs [batch_size, in_features]
        throw new Error(`${fn}: in training mode input must have shape [batch_size, ${this.in_features}], got shape [${input.shape.join(', ')}]`);
      }
      if (this.invariant) {
        if (this.dropped_w === null) this.drop(input.shape[0]);
      } else {
        this.drop(input.shape[0]);
      }
      const dw = this.dropped_w as Tensor;
      if (dw.shape[0] !== input.shape[0]) {
        throw new Error(`${fn}: invariant masks were drawn for batch size ${dw.shape[0]}, got input of shape [${input.shape.join(', ')}] (reset() first)`);
      }
      let ret = torch.bmm(dw, input.unsqueeze(-1)).squeeze(-1);
      if (this.bias !== null) ret = ret.add(this.dropped_b as Tensor);
      return this.activation === null ? ret : (this.activation.call(ret) as Tensor);
    }
    if (input.ndim < 1 || input.shape[input.ndim - 1] !== this.in_features) {
      throw new Error(`${fn}: input must have shape [*, ${this.in_features}], got shape [${input.shape.join(', ')}]`);
    }
    const mu = F.linear(input, this.weight, this.bias).mul(1 - this.p); // shape = [batch_size, out_features]
    const sigma2 = F.linear(input.square(), this.weight.square(), this.bias === null ? null : this.bias.square()).mul(this.p * (1 - this.p));
    const scale = sigma2.sqrt();
    checkNormalArgs(mu, scale);
    const shape = [this.samples_num, ...mu.shape];
    // torch.distributions.Normal(mu, scale).sample([samples_num]): torch.normal(loc.expand(shape), scale.expand(shape))
    const samples = torch.no_grad(() => torch.normal(mu.expand(shape), scale.expand(shape)));
    const ret = this.activation === null ? samples : (this.activation.call(samples) as Tensor);
    return ret.mean(0);
  }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}, ` +
      `p=${pyFloat(this.p)}, invariant=${pyBool(this.invariant)}`;
  }
}

/** torch.distributions.Normal's argument validation (on by default): loc real (not NaN), scale > 0. */
function checkNormalArgs(loc: Tensor, scale: Tensor): void {
  const shape = `(Tensor of shape (${loc.shape.join(', ')}))`;
  if (loc.isnan().any().item()) {
    throw new Error(`DropConnectLinear.forward: Expected parameter loc ${shape} of distribution Normal to satisfy the constraint Real(), but found invalid values (NaN) — mu = (1 - p)·linear(input) has NaN`);
  }
  if (scale.le(0).logical_or(scale.isnan()).any().item()) {
    throw new Error(`DropConnectLinear.forward: Expected parameter scale ${shape} of distribution Normal to satisfy the constraint GreaterThan(lower_bound=0.0), but found invalid values — ` +
      'in eval mode sigma = sqrt(p·(1 - p)·(input²·weight²ᵀ + bias²)) must be > 0 everywhere (it is 0 for p = 0, or for an all-zero input row without bias); spikingjelly 0.0.0.0.8 raises the same ValueError');
  }
}
