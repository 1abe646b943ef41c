/**
 * spikingjelly.clock_driven.functional (release 0.0.0.0.8, commit c14d8ac9): network-level helpers (reset_net), spike
 * losses and kernels, multi-step wrappers, Conv2d–BatchNorm2d fusion and the TET loss.
 *
 *     functional.reset_net(net)                                    (Python: the same)
 *     functional.kernel_dot_product(x, y, 'gaussian', 2.0)         (*args stay positional)
 *     functional.set_threshold_margin(node, labels, { threshold1: 1.2 })
 *
 * Positional arguments stay positional; keyword arguments may instead go in a trailing options object with the same
 * names (unknown keys raise). Python's `None` is `null`; a Python list/tuple of modules is an array.
 *
 * Where 0.0.0.0.8 itself misbehaves the port decides, and says so here (each is tested against the recorded facts):
 * QUIRK reset_net: as upstream (`hasattr(m, 'reset')`), reset() is called on every submodule that has a reset method —
 *   every MemoryModule, and a user module defining reset(); a non-function `reset` attribute raises.
 * QUIRK spike_cluster: 0.0.0.0.8 raises IndexError for T = 1 (it reads v[1]); the port supports T = 1.
 * QUIRK kernel_dot_product 'gaussian': 0.0.0.0.8 is right only when x and y have the same number of rows (or x has
 *   one); the port always returns the [x rows, y rows] kernel matrix (identical wherever upstream works).
 * QUIRK scale_fused_conv2d_weight_of_convbn2d: as upstream, b is added to conv2d.weight, so the fused weight becomes
 *   (weight·k + b)·γ/σ, not (its docstring's) fused·k + b.
 * QUIRK fuse_convbn2d: as upstream, k and b are accepted and ignored; building the new Conv2d draws from the global
 *   RNG exactly as PyTorch's does.
 * spike_cluster needs a floating-point v (upstream's arithmetic on an integer v promotes unpredictably).
 */
import { torch, nn, F } from '../../index';
import { checkInt, describe, fail } from '../../torch/utils/checks';
import { isPlainObject, pyArgs, type PyRest } from '../../torch/nn/modules/module';
import { MemoryModule } from './base';

type Tensor = torch.Tensor;
type Module = nn.Module;

const isT = (v: unknown): v is Tensor => v instanceof torch.Tensor;

function tensorArg(fn: string, arg: string, v: unknown): Tensor {
  if (!isT(v)) fail(fn, arg, 'a Tensor', v);
  return v;
}

function finiteNumber(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;

// ---- reset_net ------------------------------------------------------------------------------------------------------------

/**
 * reset_net(net): resets the whole network — reset() on every module of `net.modules()` (net included) that has a
 * reset method: every MemoryModule (neurons, stateful encoders, …) and any user module defining reset(), as upstream.
 */
export function reset_net(net: Module): void {
  const fn = 'reset_net';
  if (!(net instanceof nn.Module)) fail(fn, 'net', 'an nn.Module', net);
  for (const m of net.modules()) {
    if (m instanceof MemoryModule) {
      m.reset();
      continue;
    }
    if (!('reset' in m)) continue;
    const r = (m as unknown as { reset: unknown }).reset;
    if (typeof r !== 'function') throw new Error(`${fn}: ${m._get_name()} has a 'reset' attribute that is not callable (${describe(r)}); Python would call it and fail too`);
    r.call(m);
  }
}

// ---- spike_cluster --------------------------------------------------------------------------------------------------------

/**
 * spike_cluster(v, v_threshold, T_in): the spike clustering of STCA (Gu et al., IJCAI 2019). v: [T, N] membrane
 * potentials; v_threshold: a number or a tensor broadcastable to v (e.g. [N]); T_in: the distance threshold.
 * Returns [N_o, k_positive, k_negative]: N_o [N] (v's dtype) the number of clusters per neuron, and two bool [T, N]
 * masks (each may be all false for a neuron). Computed without gradients, as upstream.
 */
export function spike_cluster(v: Tensor, v_threshold: number | Tensor, T_in: number): [Tensor, Tensor, Tensor] {
  const fn = 'spike_cluster';
  tensorArg(fn, 'v', v);
  if (v.ndim !== 2) fail(fn, 'v', 'a 2-D tensor [T, N]', v);
  if (v.dtype !== 'float32' && v.dtype !== 'float64') fail(fn, 'v', 'a floating-point tensor (float32 or float64)', v);
  if (!isT(v_threshold) && typeof v_threshold !== 'number') fail(fn, 'v_threshold', 'a number or a Tensor', v_threshold);
  finiteNumber(fn, 'T_in', T_in);
  const [T, N] = v.shape;
  if (T < 1) fail(fn, 'v', 'a tensor with at least one time step (T >= 1)', v);
  const r = v.dtype === 'float32' ? Math.fround : (a: number): number => a;

  return torch.no_grad(() => {
    let spikeT: Tensor;
    try {
      spikeT = v.ge(v_threshold);
    } catch (e) {
      throw new Error(`${fn}: v_threshold ${describe(v_threshold)} does not broadcast against v of shape ${shapeStr(v.shape)}: ${(e as Error).message}`);
    }
    if (spikeT.shape.length !== 2 || spikeT.shape[0] !== T || spikeT.shape[1] !== N) {
      throw new Error(`${fn}: v_threshold of shape ${shapeStr((v_threshold as Tensor).shape)} broadcasts v ${shapeStr(v.shape)} to ${shapeStr(spikeT.shape)}; it must keep v's shape`);
    }
    const S = spikeT.toTypedArray() as Uint8Array;
    const V = Float64Array.from(v.toTypedArray() as Float32Array | Float64Array);
    const Tin = r(T_in);

    // phase 1: clusters per neuron, and where the smallest cluster starts (k_negative)
    const N_o = new Float64Array(N);
    const kNeg = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      let spikesNum = r(T * 2), minNum = r(T * 2), minNumT = r(T * 2);
      let last = r(-1 * Tin * 2);
      let count = 0;
      for (let t = 0; t < T; t++) {
        const s = S[t * N + n];
        const delta = s ? r(t - last) : 0;
        const mask0 = delta > Tin;
        const mask1 = delta <= Tin && s === 1;
        if (mask0 && minNum > spikesNum) {
          minNumT = last;
          minNum = spikesNum;
        }
        if (mask0) {
          spikesNum = 1;
          count += 1;
        }
        if (mask1) spikesNum = r(spikesNum + 1);
        if (s) last = t;
      }
      if (spikesNum < minNum) {
        minNum = spikesNum;
        minNumT = last;
      }
      N_o[n] = count;
      kNeg[n] = Math.trunc(minNumT);
    }

    // phase 2: v_ = v with spikes, and times within T_in of a spike, set to the global minimum (NaN propagates)
    let vMin = Infinity;
    for (let i = 0; i < V.length; i++) {
      if (Number.isNaN(V[i])) { vMin = NaN; break; }
      if (V[i] < vMin) vMin = V[i];
    }
    const W = V.slice();
    for (let i = 0; i < W.length; i++) if (S[i]) W[i] = vMin;
    for (let n = 0; n < N; n++) {
      let last = r(-1 * Tin * 2);
      for (let t = 0; t < T; t++) {
        const s = S[t * N + n];
        if (r(t - last) <= Tin && !s) W[t * N + n] = vMin;
        if (s) last = t;
      }
      let next = r(r(Tin * 2) + T);
      for (let t = T - 1; t >= 0; t--) {
        const s = S[t * N + n];
        if (r(next - t) <= Tin && !s) W[t * N + n] = vMin;
        if (s) next = t;
      }
    }
    // k_positive: the first maximum of v_ over time (NaN counts as the maximum, as torch.argmax), masked where v_ never
    // rises above v_min, unless v itself never does (a neuron sitting at the global minimum)
    const kPos = new Uint8Array(T * N);
    const kNegMask = new Uint8Array(T * N);
    const maxNaN = (A: Float64Array, n: number): number => {
      let m = -Infinity;
      for (let t = 0; t < T; t++) {
        const a = A[t * N + n];
        if (Number.isNaN(a)) return NaN;
        if (a > m) m = a;
      }
      return m;
    };
    for (let n = 0; n < N; n++) {
      let arg = 0, best = W[n];
      for (let t = 1; t < T && !Number.isNaN(best); t++) {
        const a = W[t * N + n];
        if (Number.isNaN(a) || a > best) { best = a; arg = t; }
      }
      let keep = maxNaN(W, n) !== vMin;
      if (maxNaN(V, n) === vMin) keep = true;
      if (keep) kPos[arg * N + n] = 1;
      const k = kNeg[n];
      if (k >= 0 && k < T) kNegMask[k * N + n] = 1;
    }
    const No = v.dtype === 'float32' ? Float32Array.from(N_o) : N_o;
    return [
      torch.from_typed_array(No, [N]),
      torch.from_typed_array(kPos, [T, N]),
      torch.from_typed_array(kNegMask, [T, N]),
    ];
  });
}

// ---- kernels and the similarity loss ---------------------------------------------------------------------------------------

export type KernelType = 'linear' | 'polynomial' | 'sigmoid' | 'gaussian';
export type SimilarLossType = 'mse' | 'l1' | 'bce';
const KERNELS: readonly string[] = ['linear', 'polynomial', 'sigmoid', 'gaussian'];
const LOSSES: readonly string[] = ['mse', 'l1', 'bce'];
const KERNEL_ARG: Record<string, string> = { polynomial: 'd', sigmoid: 'alpha', gaussian: 'sigma' };

function kernelImpl(fn: string, x: Tensor, y: Tensor, kernel: unknown, args: unknown[]): Tensor {
  if (typeof kernel !== 'string' || !KERNELS.includes(kernel)) fail(fn, 'kernel', `one of ${KERNELS.map((k) => `'${k}'`).join(', ')}`, kernel);
  let a = 0;
  if (kernel !== 'linear') {
    if (args.length < 1) throw new Error(`${fn}: the '${kernel}' kernel needs its ${KERNEL_ARG[kernel]} as the first extra argument (args[0]), got none`);
    a = finiteNumber(fn, `args[0] (${KERNEL_ARG[kernel]})`, args[0]);
  }
  const xy = x.mm(y.t());
  switch (kernel) {
    case 'linear':
      return xy;
    case 'polynomial':
      return xy.pow(a);
    case 'sigmoid':
      return torch.sigmoid(xy.mul(a));
    default: {
      // ||x_i - y_j||^2 = |x_i|^2 + |y_j|^2 - 2 x_i.y_j (broadcast; upstream's repeat(…, N) needs equal row counts)
      const x2 = x.square().sum(1);
      const y2 = y.square().sum(1);
      const d_xy = x2.unsqueeze(1).add(y2.unsqueeze(0)).sub(xy.mul(2));
      return torch.exp(d_xy.neg().div(2 * a * a));
    }
  }
}

function check2d(fn: string, x: Tensor, y: Tensor): void {
  tensorArg(fn, 'x', x);
  tensorArg(fn, 'y', y);
  if (x.ndim !== 2) fail(fn, 'x', 'a 2-D tensor [N, M]', x);
  if (y.ndim !== 2) fail(fn, 'y', 'a 2-D tensor [N, M]', y);
  if (x.shape[1] !== y.shape[1]) throw new Error(`${fn}: x ${shapeStr(x.shape)} and y ${shapeStr(y.shape)} must have the same number of columns M`);
}

type KernelRest = [options?: { kernel?: KernelType }] | [kernel: KernelType, ...args: number[]];

/**
 * kernel_dot_product(x, y, kernel = 'linear', ...args): ret[i][j] = κ(x[i], y[j]) for x [N, M], y [N', M]:
 * 'linear' x·y; 'polynomial' (x·y)^d with d = args[0]; 'sigmoid' sigmoid(α x·y) with α = args[0]; 'gaussian'
 * exp(−|x − y|² / (2σ²)) with σ = args[0].
 */
export function kernel_dot_product(x: Tensor, y: Tensor, ...rest: KernelRest): Tensor {
  const fn = 'kernel_dot_product';
  let kernel: unknown = 'linear';
  let args: unknown[] = [];
  if (rest.length === 1 && isPlainObject(rest[0])) {
    kernel = pyArgs(fn, ['kernel'], rest).kernel ?? 'linear';
  } else if (rest.length) {
    if (rest.slice(1).some(isPlainObject)) throw new Error(`${fn}: extra kernel arguments (*args) are positional only; an options object may only hold 'kernel' and only without them`);
    kernel = rest[0] === undefined ? 'linear' : rest[0];
    args = rest.slice(1);
  }
  check2d(fn, x, y);
  return kernelImpl(fn, x, y, kernel, args);
}

interface SimilarLossOptions { kernel_type?: KernelType; loss_type?: SimilarLossType }
type SimilarLossRest =
  | [options?: SimilarLossOptions]
  | [kernel_type: KernelType, options?: Omit<SimilarLossOptions, 'kernel_type'>]
  | [kernel_type: KernelType, loss_type: SimilarLossType, ...args: number[]];

/**
 * spike_similar_loss(spikes, labels, kernel_type = 'linear', loss_type = 'mse', ...args): spikes [N, M, T] (any
 * [N, …]), labels [N, C] (multi-hot). sim[i][j] = 1 when labels i and j share a class; sim_p[i][j] the kernel inner
 * product of the flattened spikes (normalised by the norms for 'linear'); returns mse / l1 / bce(sim_p, sim).
 */
export function spike_similar_loss(spikes: Tensor, labels: Tensor, ...rest: SimilarLossRest): Tensor {
  const fn = 'spike_similar_loss';
  let kernel_type: unknown = 'linear', loss_type: unknown = 'mse';
  let args: unknown[] = [];
  const list: unknown[] = [...rest];
  if (list.length && isPlainObject(list[list.length - 1])) {
    const o = pyArgs(fn, ['kernel_type', 'loss_type'], list);
    kernel_type = o.kernel_type ?? 'linear';
    loss_type = o.loss_type ?? 'mse';
  } else {
    if (list.length > 0 && list[0] !== undefined) kernel_type = list[0];
    if (list.length > 1 && list[1] !== undefined) loss_type = list[1];
    args = list.slice(2);
  }
  tensorArg(fn, 'spikes', spikes);
  tensorArg(fn, 'labels', labels);
  if (spikes.ndim < 2) fail(fn, 'spikes', 'a tensor [N, M, T] (at least 2-D)', spikes);
  if (labels.ndim !== 2) fail(fn, 'labels', 'a 2-D tensor [N, C]', labels);
  if (labels.shape[0] !== spikes.shape[0]) throw new Error(`${fn}: spikes ${shapeStr(spikes.shape)} and labels ${shapeStr(labels.shape)} must hold the same number N of samples`);
  if (typeof kernel_type !== 'string' || !KERNELS.includes(kernel_type)) fail(fn, 'kernel_type', `one of ${KERNELS.map((k) => `'${k}'`).join(', ')}`, kernel_type);
  if (typeof loss_type !== 'string' || !LOSSES.includes(loss_type)) fail(fn, 'loss_type', `one of ${LOSSES.map((k) => `'${k}'`).join(', ')}`, loss_type);

  const s = spikes.flatten(1);
  let sim_p = kernelImpl(fn, s, s, kernel_type, args);
  if (kernel_type === 'linear') {
    const len = s.norm(2, 1, { keepdim: true });
    sim_p = sim_p.div(len.mm(len.t()).add(1e-8));
  }
  const lab = labels.float();
  const sim = lab.mm(lab.t()).clamp_max(1);
  if (loss_type === 'mse') return F.mse_loss(sim_p, sim);
  if (loss_type === 'l1') return F.l1_loss(sim_p, sim);
  return F.binary_cross_entropy(sim_p, sim);
}

// ---- thresholds, labels, first spikes ---------------------------------------------------------------------------------------

/** What set_threshold_margin needs of the output layer: a module with v_threshold (a neuron.BaseNode). */
export type ThresholdLayer = Module & { v_threshold: number | Tensor };
interface ThresholdMarginOptions { eval_threshold?: number; threshold0?: number; threshold1?: number }

/**
 * set_threshold_margin(output_layer, label_one_hot, eval_threshold = 1.0, threshold0 = 0.9, threshold1 = 1.1): in
 * training, output_layer.v_threshold becomes a tensor shaped like label_one_hot holding threshold1 where the label is
 * 1 and threshold0 elsewhere; in eval mode it becomes the number eval_threshold.
 */
export function set_threshold_margin(output_layer: ThresholdLayer, label_one_hot: Tensor | null,
  ...rest: PyRest<[eval_threshold: number | undefined, threshold0: number | undefined, threshold1: number | undefined], ThresholdMarginOptions>): void {
  const fn = 'set_threshold_margin';
  const o = pyArgs(fn, ['eval_threshold', 'threshold0', 'threshold1'], rest);
  if (!(output_layer instanceof nn.Module) || !('v_threshold' in output_layer)) fail(fn, 'output_layer', 'a neuron module with v_threshold (e.g. a neuron.BaseNode)', output_layer);
  const eval_threshold = finiteNumber(fn, 'eval_threshold', o.eval_threshold ?? 1.0);
  const threshold0 = finiteNumber(fn, 'threshold0', o.threshold0 ?? 0.9);
  const threshold1 = finiteNumber(fn, 'threshold1', o.threshold1 ?? 1.1);
  if (output_layer.training) {
    const label = tensorArg(fn, 'label_one_hot', label_one_hot);
    // torch.ones_like(label) * threshold0: the thresholds are Python floats, so an integer label gives float32
    const dtype = label.dtype === 'float64' ? 'float64' : 'float32';
    const vt = torch.full(label.shape.slice(), threshold0, { dtype });
    vt.masked_fill_(label.eq(1), threshold1);
    output_layer.v_threshold = vt;
  } else {
    output_layer.v_threshold = eval_threshold;
  }
}

/**
 * redundant_one_hot(labels, num_classes, n): float32 codes [batch, num_classes·n], class c encoded by n ones at
 * columns c·n … c·n + n − 1.
 */
export function redundant_one_hot(labels: Tensor, num_classes: number, n: number): Tensor {
  const fn = 'redundant_one_hot';
  tensorArg(fn, 'labels', labels);
  if (labels.dtype !== 'int32') fail(fn, 'labels', 'an integer (int64/int32) tensor', labels);
  if (labels.ndim !== 1) fail(fn, 'labels', 'a 1-D tensor [batch_size]', labels);
  checkInt(fn, 'num_classes', num_classes, 1);
  checkInt(fn, 'n', n, 1);
  const width = num_classes * n;
  const L = labels.toTypedArray() as Int32Array;
  const out = new Float32Array(L.length * width);
  L.forEach((c, b) => {
    if (c < 0 || c >= num_classes) throw new Error(`${fn}: labels must lie in [0, ${num_classes - 1}] (num_classes = ${num_classes}), got ${c} at index ${b}`);
    out.fill(1, b * width + c * n, b * width + c * n + n);
  });
  return torch.from_typed_array(out, [L.length, width]);
}

/**
 * first_spike_index(spikes): a bool tensor shaped like spikes [*, T], true where a neuron fires for the first time
 * (upstream: spikes.cumsum(-1).cumsum(-1) == 1, so for real values: where the running sum of running sums is 1).
 */
export function first_spike_index(spikes: Tensor): Tensor {
  const fn = 'first_spike_index';
  tensorArg(fn, 'spikes', spikes);
  // torch's CPU cumsum accumulates floats in double and stores each running value in the tensor's dtype
  const r = spikes.dtype === 'float32' ? Math.fround : (a: number): number => a;
  const A = spikes.toTypedArray();
  const T = spikes.ndim === 0 ? 1 : spikes.shape[spikes.ndim - 1];
  const out = new Uint8Array(A.length);
  for (let base = 0; base < A.length; base += T) {
    let c1 = 0, c2 = 0;
    for (let t = 0; t < T; t++) {
      c1 += A[base + t];
      c2 += r(c1);
      out[base + t] = r(c2) === 1 ? 1 : 0;
    }
  }
  return torch.from_typed_array(out, spikes.shape.slice());
}

// ---- multi-step helpers -----------------------------------------------------------------------------------------------------

/** A module (called through .call, so hooks run) or a plain function x => y (Python accepts any callable). */
export type StepFn = Module | ((x: Tensor) => Tensor);

function callStep(fn: string, m: StepFn, x: Tensor, where: string): Tensor {
  let y: unknown;
  if (m instanceof nn.Module) y = (m as unknown as { call(x: Tensor): unknown }).call(x);
  else if (typeof m === 'function') y = m(x);
  else fail(fn, where, 'an nn.Module or a function', m);
  if (!isT(y)) throw new Error(`${fn}: ${where} returned ${describe(y)}, not a Tensor`);
  return y;
}

function stepList(fn: string, arg: string, m: unknown): StepFn[] | null {
  if (Array.isArray(m)) {
    m.forEach((x, i) => { if (!(x instanceof nn.Module) && typeof x !== 'function') fail(fn, `${arg}[${i}]`, 'an nn.Module or a function', x); });
    return m as StepFn[];
  }
  if (!(m instanceof nn.Module) && typeof m !== 'function') fail(fn, arg, 'an nn.Module, a function or an array of them', m);
  return null;
}

/**
 * multi_step_forward(x_seq, multi_step_module): y_seq[t] = module(x_seq[t]) for every t (modules of an array applied
 * in order), stacked to [T, …]. x_seq: [T, batch_size, …].
 */
export function multi_step_forward(x_seq: Tensor, multi_step_module: StepFn | StepFn[]): Tensor {
  const fn = 'multi_step_forward';
  tensorArg(fn, 'x_seq', x_seq);
  if (x_seq.ndim < 1 || x_seq.shape[0] < 1) fail(fn, 'x_seq', 'a tensor [T, batch_size, …] with T >= 1', x_seq);
  const list = stepList(fn, 'multi_step_module', multi_step_module);
  const y_seq: Tensor[] = [];
  for (let t = 0; t < x_seq.shape[0]; t++) {
    let y = x_seq.select(0, t);
    if (list) list.forEach((m, i) => { y = callStep(fn, m, y, `multi_step_module[${i}]`); });
    else y = callStep(fn, multi_step_module as StepFn, y, 'multi_step_module');
    y_seq.push(y.unsqueeze(0));
  }
  return torch.cat(y_seq, 0);
}

/**
 * seq_to_ann_forward(x_seq, stateless_module): runs stateless module(s) once over x_seq [T, batch_size, …] flattened
 * to [T·batch_size, …], and views the result back as [T, batch_size, …].
 */
export function seq_to_ann_forward(x_seq: Tensor, stateless_module: StepFn | StepFn[]): Tensor {
  const fn = 'seq_to_ann_forward';
  tensorArg(fn, 'x_seq', x_seq);
  if (x_seq.ndim < 2) fail(fn, 'x_seq', 'a tensor [T, batch_size, …] (at least 2-D)', x_seq);
  const list = stepList(fn, 'stateless_module', stateless_module);
  const y_shape = [x_seq.shape[0], x_seq.shape[1]];
  let y = x_seq.flatten(0, 1);
  if (list) list.forEach((m, i) => { y = callStep(fn, m, y, `stateless_module[${i}]`); });
  else y = callStep(fn, stateless_module as StepFn, y, 'stateless_module');
  if (y.ndim < 1 || y.shape[0] !== y_shape[0] * y_shape[1]) {
    throw new Error(`${fn}: the module turned the [T·batch_size = ${y_shape[0] * y_shape[1]}, …] input into ${shapeStr(y.shape)}; the first dimension must be kept`);
  }
  return y.view([...y_shape, ...y.shape.slice(1)]);
}

// ---- Conv2d + BatchNorm2d fusion -------------------------------------------------------------------------------------------

interface BNParts { weight: Tensor; bias: Tensor; running_mean: Tensor; running_var: Tensor; eps: number }

function checkConv(fn: string, conv2d: unknown): nn.Conv2d {
  if (!(conv2d instanceof nn.Conv2d)) fail(fn, 'conv2d', 'an nn.Conv2d', conv2d);
  if (conv2d.bias !== null) {
    throw new Error(`${fn}: conv2d.bias must be null (upstream asserts conv2d.bias is None: build the Conv2d with bias=false before a BatchNorm2d), got ${describe(conv2d.bias)}`);
  }
  return conv2d;
}

function checkBN(fn: string, bn2d: unknown, conv2d: nn.Conv2d): BNParts {
  if (!(bn2d instanceof nn.BatchNorm2d)) fail(fn, 'bn2d', 'an nn.BatchNorm2d', bn2d);
  const { weight, bias, running_mean, running_var, eps } = bn2d;
  if (weight === null || bias === null) throw new Error(`${fn}: bn2d must be affine (weight and bias), got BatchNorm2d(affine=false)`);
  if (running_mean === null || running_var === null) throw new Error(`${fn}: bn2d must track running statistics (running_mean and running_var), got BatchNorm2d(track_running_stats=false)`);
  if (bn2d.num_features !== conv2d.out_channels) {
    throw new Error(`${fn}: bn2d.num_features (${bn2d.num_features}) must equal conv2d.out_channels (${conv2d.out_channels})`);
  }
  return { weight, bias, running_mean, running_var, eps };
}

/** The weight of the Conv2d that {conv2d → bn2d} fuses into: weight·γ/√(running_var + eps) per output channel. */
export function fused_conv2d_weight_of_convbn2d(conv2d: nn.Conv2d, bn2d: nn.BatchNorm2d): Tensor {
  const fn = 'fused_conv2d_weight_of_convbn2d';
  const conv = checkConv(fn, conv2d);
  const bn = checkBN(fn, bn2d, conv);
  return conv.weight.transpose(0, 3).mul(bn.weight).div(bn.running_var.add(bn.eps).sqrt()).transpose(0, 3);
}

/** The bias of the fused Conv2d: β − running_mean·γ/√(running_var + eps). */
export function fused_conv2d_bias_of_convbn2d(conv2d: nn.Conv2d, bn2d: nn.BatchNorm2d): Tensor {
  const fn = 'fused_conv2d_bias_of_convbn2d';
  const conv = checkConv(fn, conv2d);
  const bn = checkBN(fn, bn2d, conv);
  return bn.bias.sub(bn.running_mean.mul(bn.weight).div(bn.running_var.add(bn.eps).sqrt()));
}

interface ScaleOptions { k?: number | Tensor | null; b?: number | Tensor | null }
type ScaleRest = PyRest<[k: number | Tensor | null | undefined, b: number | Tensor | null | undefined], ScaleOptions>;

function scaleArgs(fn: string, rest: readonly unknown[]): { k: number | Tensor | null; b: number | Tensor | null } {
  const o = pyArgs(fn, ['k', 'b'], rest);
  const k = o.k ?? null, b = o.b ?? null;
  if (k !== null && !isT(k)) finiteNumber(fn, 'k', k);
  if (b !== null && !isT(b)) finiteNumber(fn, 'b', b);
  return { k, b };
}

/**
 * scale_fused_conv2d_weight_of_convbn2d(conv2d, bn2d, k = null, b = null): in place, without gradients,
 * conv2d.weight ← conv2d.weight·k, then + b. (The fused weight then is (weight·k + b)·γ/σ: see QUIRK above.)
 */
export function scale_fused_conv2d_weight_of_convbn2d(conv2d: nn.Conv2d, bn2d: nn.BatchNorm2d, ...rest: ScaleRest): void {
  const fn = 'scale_fused_conv2d_weight_of_convbn2d';
  const { k, b } = scaleArgs(fn, rest);
  const conv = checkConv(fn, conv2d);
  if (!(bn2d instanceof nn.BatchNorm2d)) fail(fn, 'bn2d', 'an nn.BatchNorm2d', bn2d);
  torch.no_grad(() => {
    if (k !== null) conv.weight.data.mul_(k);
    if (b !== null) conv.weight.data.add_(b);
  });
}

/**
 * scale_fused_conv2d_bias_of_convbn2d(conv2d, bn2d, k = null, b = null): in place, without gradients,
 * bn2d.bias and bn2d.running_mean ← ·k, then bn2d.bias + b, so the fused bias becomes fused·k + b.
 */
export function scale_fused_conv2d_bias_of_convbn2d(conv2d: nn.Conv2d, bn2d: nn.BatchNorm2d, ...rest: ScaleRest): void {
  const fn = 'scale_fused_conv2d_bias_of_convbn2d';
  const { k, b } = scaleArgs(fn, rest);
  const conv = checkConv(fn, conv2d);
  const bn = checkBN(fn, bn2d, conv);
  torch.no_grad(() => {
    if (k !== null) {
      bn.bias.data.mul_(k);
      bn.running_mean.mul_(k);
    }
    if (b !== null) bn.bias.data.add_(b);
  });
}

/**
 * fuse_convbn2d(conv2d, bn2d, k = null, b = null): a new nn.Conv2d (same geometry, with a bias) computing
 * bn2d(conv2d(x)) of bn2d in eval mode. k and b are ignored, as upstream.
 */
export function fuse_convbn2d(conv2d: nn.Conv2d, bn2d: nn.BatchNorm2d, ...rest: ScaleRest): nn.Conv2d {
  const fn = 'fuse_convbn2d';
  scaleArgs(fn, rest);
  const conv = checkConv(fn, conv2d);
  checkBN(fn, bn2d, conv);
  return torch.no_grad(() => {
    const fused = new nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size.slice(), {
      stride: conv.stride.slice(), padding: typeof conv.padding === 'string' ? conv.padding : conv.padding.slice(),
      dilation: conv.dilation.slice(), groups: conv.groups, bias: true,
      padding_mode: conv.padding_mode as 'zeros',
    });
    fused.weight.data = fused_conv2d_weight_of_convbn2d(conv2d, bn2d);
    (fused.bias as nn.Parameter).data = fused_conv2d_bias_of_convbn2d(conv2d, bn2d);
    return fused;
  });
}

// ---- TET -------------------------------------------------------------------------------------------------------------------

/**
 * temporal_efficient_training_cross_entropy(x_seq, target): the TET loss (Deng et al., ICLR 2022), the mean over
 * time steps of F.cross_entropy(x_seq[t], target). x_seq: [T, N, C, *]; target: integer class indices [N, *].
 */
export function temporal_efficient_training_cross_entropy(x_seq: Tensor, target: Tensor): Tensor {
  const fn = 'temporal_efficient_training_cross_entropy';
  tensorArg(fn, 'x_seq', x_seq);
  tensorArg(fn, 'target', target);
  if (x_seq.ndim < 3) fail(fn, 'x_seq', 'a tensor [T, N, C, *] (at least 3-D)', x_seq);
  if (target.dtype !== 'int32') fail(fn, 'target', 'an integer (int64/int32) tensor of class indices', target);
  const want = [x_seq.shape[1], ...x_seq.shape.slice(3)];
  if (target.ndim !== want.length || target.shape.some((s, i) => s !== want[i])) {
    throw new Error(`${fn}: target must have shape ${shapeStr(want)} ([N, *] of x_seq ${shapeStr(x_seq.shape)} = [T, N, C, *]), got ${shapeStr(target.shape)}`);
  }
  const x = x_seq.transpose(0, 1).transpose(1, 2); // [N, C, T, *]
  const T = x.shape[2];
  const rep = [1, T, ...new Array<number>(x.ndim - 3).fill(1)];
  const tgt = target.unsqueeze(1).repeat(rep); // [N, T, *]
  return F.cross_entropy(x, tgt);
}
