/**
 * spikingjelly.clock_driven.functional (0.0.0.0.8) against cases recorded from the real library
 * (compat/record_spikingjelly_functional.py → fixtures/spikingjelly/functional/*.json): values 1e-6 (absolute, plus
 * 1e-6 relative for large values), spikes / masks / indices exact, gradients 1e-5 relative + 1e-6 absolute.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { torch, nn, F } from '../../../src/index';
import { functional, neuron, encoding, base } from '../../../src/spikingjelly/index';
import { compareValues, describeComparison, tensorFromEncoded, type ToleranceLike } from '../../../src/fixtures/index';
import { SJ_FIXTURES } from './helpers';

type Tensor = torch.Tensor;

// ---- the case files ---------------------------------------------------------------------------------------------------

interface Checked { name: string; value: unknown; tol: string }
interface Case {
  file: string;
  function: string;
  case: string;
  inputs: Map<string, unknown>;
  outputs: Checked[];
  grads: Checked[];
  error: { type: string; message: string } | null;
  tolerances: Record<string, ToleranceLike>;
}

const DIR = join(SJ_FIXTURES, 'functional');

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('dtype' in o && 'shape' in o) return tensorFromEncoded(o as unknown as Parameters<typeof tensorFromEncoded>[0]);
    if ('$float' in o) return ({ nan: NaN, inf: Infinity, '-inf': -Infinity } as Record<string, number>)[o.$float as string];
    throw new Error(`unexpected value object ${JSON.stringify(o).slice(0, 80)}`);
  }
  return v;
}

function loadCase(file: string): Case {
  const m = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  if (m.format !== 'spikeport-sj-functional' || m.version !== 1) throw new Error(`${file}: not a spikeport-sj-functional v1 case`);
  if (m.upstream.version !== '0.0.0.0.8' || m.upstream.commit !== 'c14d8ac93eed7d06a386edecdd31af5783176023') throw new Error(`${file}: not recorded from 0.0.0.0.8`);
  const inputs = new Map<string, unknown>();
  for (const [k, v] of m.inputs as [string, unknown][]) {
    inputs.set(k, k.startsWith('state_dict:') ? new Map((v as [string, unknown][]).map(([n, t]) => [n, decode(t)])) : decode(v));
  }
  const dec = (c: Checked): Checked => ({ name: c.name, tol: c.tol, value: decode(c.value) });
  return { file, function: m.function, case: m.case, inputs, outputs: m.outputs.map(dec), grads: m.grads.map(dec), error: m.error, tolerances: m.tolerances };
}

const ALL: Case[] = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort().map(loadCase);
const casesOf = (fn: string): Case[] => ALL.filter((c) => c.function === fn);
const table = (fn: string): [string, Case][] => casesOf(fn).map((c) => [c.case, c]);

function input<T = Tensor>(c: Case, name: string): T {
  if (!c.inputs.has(name)) throw new Error(`${c.file}: no input ${name}`);
  return c.inputs.get(name) as T;
}

function stateDict(c: Case, name: string): Record<string, Tensor> {
  return Object.fromEntries(input<Map<string, Tensor>>(c, `state_dict:${name}`)) as Record<string, Tensor>;
}

function expectClose(quantity: string, expected: unknown, got: unknown, tol: ToleranceLike): void {
  const r = compareValues(expected, got, tol);
  if (!r.pass) throw new Error(describeComparison(quantity, r));
}

/** Compares `got` with the recorded output `name` under its category's tolerance. */
function check(c: Case, name: string, got: unknown, expected?: unknown): void {
  const o = c.outputs.find((x) => x.name === name);
  if (!o) throw new Error(`${c.file}: no output ${name}`);
  expectClose(`${c.file} ${name}`, expected ?? o.value, got, c.tolerances[o.tol]);
}

/** Compares every recorded gradient; `got(name)` returns the port's gradient (null where none). */
function checkGrads(c: Case, got: (name: string) => Tensor | null): void {
  expect(c.grads.length).toBeGreaterThan(0);
  for (const g of c.grads) expectClose(`${c.file} grad ${g.name}`, g.value, got(g.name), c.tolerances[g.tol]);
}

const paramGrads = (m: nn.Module) => (name: string): Tensor | null => {
  const p = m.named_parameters().find(([n]) => n === name);
  if (!p) throw new Error(`no parameter ${name}`);
  return p[1].grad;
};

const HANDLED = new Set<string>();
function handles(fn: string): void {
  HANDLED.add(fn);
}

const PUBLIC = [
  'reset_net', 'spike_cluster', 'spike_similar_loss', 'kernel_dot_product', 'set_threshold_margin', 'redundant_one_hot',
  'first_spike_index', 'multi_step_forward', 'seq_to_ann_forward', 'fused_conv2d_weight_of_convbn2d',
  'fused_conv2d_bias_of_convbn2d', 'scale_fused_conv2d_weight_of_convbn2d', 'scale_fused_conv2d_bias_of_convbn2d',
  'fuse_convbn2d', 'temporal_efficient_training_cross_entropy',
];

describe('the recorded cases', () => {
  test('every public function of 0.0.0.0.8 functional.py is ported and has recorded cases', () => {
    for (const fn of PUBLIC) {
      expect(typeof (functional as Record<string, unknown>)[fn]).toBe('function');
      expect(casesOf(fn).length).toBeGreaterThan(0);
    }
    expect(new Set(ALL.map((c) => c.function))).toEqual(new Set(PUBLIC));
    expect(ALL.length).toBeGreaterThanOrEqual(70);
  });
});

// ---- reset_net ----------------------------------------------------------------------------------------------------------

describe('reset_net', () => {
  handles('reset_net');
  const memories = (net: nn.Module): unknown[] => net.named_modules()
    .filter(([, m]) => m instanceof base.MemoryModule)
    .map(([p, m]) => [p, (m as base.MemoryModule).named_memories().map(([n, v]) => [n, v instanceof torch.Tensor ? v.detach().clone() : v])]);

  test.each(table('reset_net'))('%s: memories after the steps and after reset_net', (_n, c) => {
    const net = new nn.Sequential(new nn.Linear(3, 4), new neuron.LIFNode(), new nn.Linear(4, 2), new neuron.IFNode({ v_reset: null }), new encoding.LatencyEncoder(4));
    net.load_state_dict(stateDict(c, 'net'));
    const x = input(c, 'x');
    torch.no_grad(() => { for (let t = 0; t < 3; t++) net.call(x.select(0, t)); });
    check(c, 'memories_after_steps', memories(net));
    functional.reset_net(net);
    check(c, 'memories_after_reset', memories(net));
  });

  test('calls reset() of a user module that is not a MemoryModule (upstream: hasattr(m, "reset"))', () => {
    class Counter extends nn.Module {
      n = 0;
      reset(): void { this.n += 1; }
      override forward(x: Tensor): Tensor { return x; }
    }
    const c = new Counter();
    const lif = new neuron.LIFNode();
    lif.call(torch.ones(2).mul(3));
    const net = new nn.Sequential(c, new nn.Sequential(lif));
    functional.reset_net(net);
    functional.reset_net(c);
    expect(c.n).toBe(2);
    expect(lif.v).toBe(0);
  });

  test('argument errors', () => {
    expect(() => functional.reset_net({} as nn.Module)).toThrow(/reset_net: net must be an nn.Module/);
    class Bad extends nn.Module { reset = 3; }
    expect(() => functional.reset_net(new Bad())).toThrow(/reset_net: Bad has a 'reset' attribute that is not callable/);
  });
});

// ---- spike_cluster --------------------------------------------------------------------------------------------------------

describe('spike_cluster', () => {
  handles('spike_cluster');
  test.each(table('spike_cluster').filter(([, c]) => c.error === null))('%s', (_n, c) => {
    const [N_o, kp, kn] = functional.spike_cluster(input(c, 'v'), input<number | Tensor>(c, 'v_threshold'), input<number>(c, 'T_in'));
    check(c, 'N_o', N_o);
    check(c, 'k_positive', kp);
    check(c, 'k_negative', kn);
    expect(kp.dtype).toBe('bool');
  });

  test('T = 1: 0.0.0.0.8 raises IndexError (it reads v[1]); the port computes the clusters', () => {
    const c = casesOf('spike_cluster').find((x) => x.case === 'T1_error')!;
    expect(c.error).toEqual({ type: 'IndexError', message: 'index 1 is out of bounds for dimension 0 with size 1' });
    // v = [[0.3, 1.2]], threshold 1, T_in 1: neuron 0 never fires (it sits at the global minimum, so its only step is
    // k_positive); neuron 1 fires once: one cluster, k_negative at t = 0, no k_positive
    const [N_o, kp, kn] = functional.spike_cluster(input(c, 'v'), 1.0, 1);
    expect(N_o.tolist()).toEqual([0, 1]);
    expect(kp.tolist()).toEqual([[true, false]]);
    expect(kn.tolist()).toEqual([[false, true]]);
  });

  test('argument errors', () => {
    expect(() => functional.spike_cluster(torch.zeros(4), 1.0, 1)).toThrow(/spike_cluster: v must be a 2-D tensor \[T, N\], got a float32 Tensor of shape \[4\]/);
    expect(() => functional.spike_cluster(torch.zeros(3, 2, { dtype: 'int32' }), 1.0, 1)).toThrow(/v must be a floating-point tensor/);
    expect(() => functional.spike_cluster(torch.zeros(3, 2), torch.ones(2, 1, 1), 1)).toThrow(/broadcasts v \[3, 2\] to \[2, 3, 2\]; it must keep v's shape/);
    expect(() => functional.spike_cluster(torch.zeros(3, 2), torch.ones(4), 1)).toThrow(/does not broadcast/);
    expect(() => functional.spike_cluster(torch.zeros(3, 2), '1' as unknown as number, 1)).toThrow(/v_threshold must be a number or a Tensor/);
    expect(() => functional.spike_cluster(torch.zeros(3, 2), 1, NaN)).toThrow(/T_in must be a number/);
  });
});

// ---- spike_similar_loss, kernel_dot_product -------------------------------------------------------------------------------------

describe('spike_similar_loss', () => {
  handles('spike_similar_loss');
  test.each(table('spike_similar_loss'))('%s: loss and its gradient w.r.t. spikes', (_n, c) => {
    const s = input(c, 'spikes').clone().requires_grad_(true);
    const args = input<number[]>(c, 'args');
    const L = functional.spike_similar_loss(s, input(c, 'labels'), input<functional.KernelType>(c, 'kernel_type'), input<functional.SimilarLossType>(c, 'loss_type'), ...args);
    L.backward();
    check(c, 'loss', L);
    checkGrads(c, () => s.grad);
  });

  test('keyword arguments in an options object give the same losses', () => {
    const c = casesOf('spike_similar_loss').find((x) => x.case === 'linear_l1')!;
    check(c, 'loss', functional.spike_similar_loss(input(c, 'spikes'), input(c, 'labels'), { loss_type: 'l1' }));
    check(c, 'loss', functional.spike_similar_loss(input(c, 'spikes'), input(c, 'labels'), 'linear', { loss_type: 'l1' }));
    const m = casesOf('spike_similar_loss').find((x) => x.case === 'linear_mse')!;
    check(m, 'loss', functional.spike_similar_loss(input(m, 'spikes'), input(m, 'labels')));
  });

  test('argument errors', () => {
    const s = torch.ones(3, 2, 4), l = torch.eye(3);
    expect(() => functional.spike_similar_loss(s, l, 'linear', 'hinge' as 'mse')).toThrow(/spike_similar_loss: loss_type must be one of 'mse', 'l1', 'bce', got "hinge"/);
    expect(() => functional.spike_similar_loss(s, l, 'cosine' as 'linear')).toThrow(/kernel_type must be one of 'linear', 'polynomial', 'sigmoid', 'gaussian'/);
    expect(() => functional.spike_similar_loss(s, l, 'gaussian', 'mse')).toThrow(/the 'gaussian' kernel needs its sigma as the first extra argument/);
    expect(() => functional.spike_similar_loss(s, l, { kernel: 'linear' } as never)).toThrow(/unknown option "kernel"/);
    expect(() => functional.spike_similar_loss(s, torch.eye(4), 'linear')).toThrow(/same number N of samples/);
    expect(() => functional.spike_similar_loss(torch.ones(3), l)).toThrow(/spikes must be a tensor \[N, M, T\]/);
  });
});

describe('kernel_dot_product', () => {
  handles('kernel_dot_product');
  test.each(table('kernel_dot_product').filter(([n]) => !n.endsWith('quirk')))('%s: ret and the gradients of sum(ret * w)', (_n, c) => {
    const x = input(c, 'x').clone().requires_grad_(true), y = input(c, 'y').clone().requires_grad_(true);
    const r = functional.kernel_dot_product(x, y, input<functional.KernelType>(c, 'kernel'), ...input<number[]>(c, 'args'));
    r.mul(input(c, 'w')).sum().backward();
    check(c, 'ret', r);
    checkGrads(c, (n) => (n === 'x' ? x.grad : y.grad));
  });

  test('gaussian with x [3, M], y [1, M]: 0.0.0.0.8 returns [3, 3] (its column repeated); the port returns [3, 1]', () => {
    const c = casesOf('kernel_dot_product').find((x) => x.case === 'gaussian_3x1_quirk')!;
    const x = input(c, 'x').clone().requires_grad_(true), y = input(c, 'y').clone().requires_grad_(true);
    const r = functional.kernel_dot_product(x, y, 'gaussian', ...input<number[]>(c, 'args'));
    expect(r.shape).toEqual([3, 1]);
    const up = c.outputs[0].value as Tensor;
    expect(up.shape).toEqual([3, 3]);
    for (let j = 0; j < 3; j++) check(c, 'ret', r, up.narrow(1, j, 1).contiguous());
    // upstream's sum(ret * w) is the port's sum(ret * w.sum(1)): the same gradients
    r.mul(input(c, 'w').sum(1, { keepdim: true })).sum().backward();
    checkGrads(c, (n) => (n === 'x' ? x.grad : y.grad));
  });

  test('the kernel by keyword; argument errors', () => {
    const c = casesOf('kernel_dot_product').find((x) => x.case === 'linear')!;
    check(c, 'ret', functional.kernel_dot_product(input(c, 'x'), input(c, 'y'), { kernel: 'linear' }));
    check(c, 'ret', functional.kernel_dot_product(input(c, 'x'), input(c, 'y')));
    const x = torch.ones(2, 3);
    expect(() => functional.kernel_dot_product(x, x, 'rbf' as 'linear')).toThrow(/kernel_dot_product: kernel must be one of/);
    expect(() => functional.kernel_dot_product(x, x, 'polynomial')).toThrow(/'polynomial' kernel needs its d/);
    expect(() => functional.kernel_dot_product(x, x, 'sigmoid', 'a' as unknown as number)).toThrow(/args\[0\] \(alpha\) must be a number/);
    expect(() => functional.kernel_dot_product(x, torch.ones(2, 4))).toThrow(/same number of columns M/);
    expect(() => functional.kernel_dot_product(torch.ones(3), x)).toThrow(/x must be a 2-D tensor/);
    expect(() => functional.kernel_dot_product(x, x, { kernel: 'linear', d: 2 } as never)).toThrow(/unknown option "d"/);
  });
});

// ---- set_threshold_margin, redundant_one_hot, first_spike_index -------------------------------------------------------------------

describe('set_threshold_margin', () => {
  handles('set_threshold_margin');
  test.each(table('set_threshold_margin'))('%s: v_threshold, then one LIFNode step', (_n, c) => {
    const lif = new neuron.LIFNode();
    lif.train(input<boolean>(c, 'training'));
    const opts: Record<string, number> = {};
    for (const k of ['eval_threshold', 'threshold0', 'threshold1']) if (c.inputs.has(k)) opts[k] = input<number>(c, k);
    functional.set_threshold_margin(lif, input(c, 'label_one_hot'), opts);
    check(c, 'v_threshold', lif.v_threshold);
    const s = torch.no_grad(() => lif.call(input(c, 'x')));
    check(c, 'spike', s);
    check(c, 'v', lif.v);
  });

  test('positional thresholds; argument errors', () => {
    const c = casesOf('set_threshold_margin').find((x) => x.case === 'train_float_labels_custom')!;
    const lif = new neuron.LIFNode();
    functional.set_threshold_margin(lif, input(c, 'label_one_hot'), 0.8, 0.95, 1.05);
    check(c, 'v_threshold', lif.v_threshold);
    expect(() => functional.set_threshold_margin(lif, null)).toThrow(/set_threshold_margin: label_one_hot must be a Tensor, got null/);
    expect(() => functional.set_threshold_margin(new nn.Linear(2, 2) as never, torch.eye(2))).toThrow(/output_layer must be a neuron module with v_threshold/);
    expect(() => functional.set_threshold_margin(lif, torch.eye(2), { threshold2: 1 } as never)).toThrow(/unknown option "threshold2"/);
    lif.eval();
    functional.set_threshold_margin(lif, null);
    expect(lif.v_threshold).toBe(1.0);
  });
});

describe('redundant_one_hot', () => {
  handles('redundant_one_hot');
  test.each(table('redundant_one_hot'))('%s', (_n, c) => {
    const codes = functional.redundant_one_hot(input(c, 'labels'), input<number>(c, 'num_classes'), input<number>(c, 'n'));
    expect(codes.dtype).toBe('float32');
    check(c, 'codes', codes);
  });

  test('argument errors', () => {
    const l = torch.tensor([0, 2], { dtype: 'int32' });
    expect(() => functional.redundant_one_hot(l, 2, 2)).toThrow(/redundant_one_hot: labels must lie in \[0, 1\] \(num_classes = 2\), got 2 at index 1/);
    expect(() => functional.redundant_one_hot(torch.tensor([-1], { dtype: 'int32' }), 3, 1)).toThrow(/got -1 at index 0/);
    expect(() => functional.redundant_one_hot(torch.tensor([0, 1]), 3, 1)).toThrow(/labels must be an integer/);
    expect(() => functional.redundant_one_hot(l, 3, 0)).toThrow(/n must be an integer >= 1, got 0/);
    expect(() => functional.redundant_one_hot(l, 2.5, 1)).toThrow(/num_classes must be an integer >= 1/);
    expect(() => functional.redundant_one_hot(torch.zeros(2, 2, { dtype: 'int32' }), 3, 1)).toThrow(/labels must be a 1-D tensor/);
  });
});

describe('first_spike_index', () => {
  handles('first_spike_index');
  test.each(table('first_spike_index'))('%s', (_n, c) => {
    const idx = functional.first_spike_index(input(c, 'spikes'));
    expect(idx.dtype).toBe('bool');
    check(c, 'index', idx);
  });

  test('argument errors', () => {
    expect(() => functional.first_spike_index([1, 0] as never)).toThrow(/first_spike_index: spikes must be a Tensor/);
  });
});

// ---- multi_step_forward, seq_to_ann_forward ---------------------------------------------------------------------------------------

describe('multi_step_forward', () => {
  handles('multi_step_forward');
  const builds: Record<string, () => [functional.StepFn | functional.StepFn[], nn.Module[]]> = {
    linear: () => { const l = new nn.Linear(3, 5); return [l, [l]]; },
    list_if: () => { const m = [new nn.Linear(3, 4), new neuron.IFNode(), new nn.Linear(4, 2)]; return [m, m]; },
    tuple_function: () => { const l = new nn.Linear(3, 4); return [[l, (x: Tensor) => torch.tanh(x)], [l]]; },
  };
  test.each(table('multi_step_forward'))('%s: y_seq and the gradients of sum(y_seq * w)', (n, c) => {
    const [arg, mods] = builds[n]();
    const holder = new nn.ModuleList(mods);
    holder.load_state_dict(stateDict(c, 'modules'));
    const x = input(c, 'x_seq').clone().requires_grad_(true);
    const y = functional.multi_step_forward(x, arg);
    y.mul(input(c, 'w')).sum().backward();
    check(c, 'y_seq', y);
    checkGrads(c, (name) => (name === 'x_seq' ? x.grad : paramGrads(holder)(name)));
  });

  test('argument errors', () => {
    expect(() => functional.multi_step_forward(torch.zeros(0, 2), new nn.Identity())).toThrow(/multi_step_forward: x_seq must be a tensor \[T, batch_size, …\] with T >= 1/);
    expect(() => functional.multi_step_forward(torch.zeros(2, 2), [new nn.Identity(), 3 as never])).toThrow(/multi_step_module\[1\] must be an nn.Module or a function, got 3/);
    expect(() => functional.multi_step_forward(torch.zeros(2, 2), 'relu' as never)).toThrow(/multi_step_module must be an nn.Module, a function or an array of them/);
    expect(() => functional.multi_step_forward(torch.zeros(2, 2), (() => 1) as never)).toThrow(/multi_step_module returned 1, not a Tensor/);
  });
});

describe('seq_to_ann_forward', () => {
  handles('seq_to_ann_forward');
  const builds: Record<string, () => [functional.StepFn | functional.StepFn[], nn.Module[]]> = {
    conv: () => { const m = new nn.Conv2d(2, 3, 3, { padding: 1 }); return [m, [m]]; },
    conv_bn_list: () => { const m = [new nn.Conv2d(2, 3, 3, { bias: false }), new nn.BatchNorm2d(3)]; return [m, m]; },
    linear: () => { const m = new nn.Linear(3, 5); return [m, [m]]; },
  };
  test.each(table('seq_to_ann_forward'))('%s: y_seq, gradients of sum(y_seq * w), running statistics', (n, c) => {
    const [arg, mods] = builds[n]();
    const holder = new nn.ModuleList(mods);
    holder.load_state_dict(stateDict(c, 'modules'));
    const x = input(c, 'x_seq').clone().requires_grad_(true);
    const y = functional.seq_to_ann_forward(x, arg);
    y.mul(input(c, 'w')).sum().backward();
    check(c, 'y_seq', y);
    checkGrads(c, (name) => (name === 'x_seq' ? x.grad : paramGrads(holder)(name)));
    for (const [name, b] of holder.named_buffers()) check(c, `buffer:${name}`, b);
  });

  test('argument errors', () => {
    expect(() => functional.seq_to_ann_forward(torch.zeros(3), new nn.Identity())).toThrow(/seq_to_ann_forward: x_seq must be a tensor \[T, batch_size, …\] \(at least 2-D\)/);
    expect(() => functional.seq_to_ann_forward(torch.zeros(2, 3, 4), (x: Tensor) => x.sum(0))).toThrow(/the first dimension must be kept/);
  });
});

// ---- Conv2d + BatchNorm2d ----------------------------------------------------------------------------------------------------

function convBN(c: Case): [nn.Conv2d, nn.BatchNorm2d, nn.Sequential] {
  const a = Object.fromEntries(input<[string, unknown][]>(c, 'conv_args')) as Record<string, any>;
  const conv = new nn.Conv2d(a.in_channels, a.out_channels, a.kernel_size, {
    stride: a.stride ?? 1, padding: a.padding ?? 0, groups: a.groups ?? 1, bias: a.bias,
  });
  const bn = new nn.BatchNorm2d(a.out_channels, { eps: input<number>(c, 'eps') });
  const holder = new nn.Sequential(conv, bn);
  holder.load_state_dict(stateDict(c, 'modules'));
  return [conv, bn, holder];
}

describe('fused_conv2d_weight_of_convbn2d / fused_conv2d_bias_of_convbn2d', () => {
  handles('fused_conv2d_weight_of_convbn2d');
  handles('fused_conv2d_bias_of_convbn2d');
  const cases = [...table('fused_conv2d_weight_of_convbn2d'), ...table('fused_conv2d_bias_of_convbn2d')].filter(([, c]) => c.error === null);
  test.each(cases.map(([n, c]) => [`${c.function} ${n}`, c] as [string, Case]))('%s: ret and the gradients of sum(ret * w)', (_n, c) => {
    const [conv, bn, holder] = convBN(c);
    const f = c.function === 'fused_conv2d_weight_of_convbn2d' ? functional.fused_conv2d_weight_of_convbn2d : functional.fused_conv2d_bias_of_convbn2d;
    const r = f(conv, bn);
    r.mul(input(c, 'w')).sum().backward();
    check(c, 'ret', r);
    checkGrads(c, paramGrads(holder));
  });

  test('a Conv2d with a bias: upstream asserts, the port raises', () => {
    const c = casesOf('fused_conv2d_weight_of_convbn2d').find((x) => x.case === 'conv_bias_error')!;
    expect(c.error?.type).toBe('AssertionError');
    const conv = new nn.Conv2d(2, 3, 3), bn = new nn.BatchNorm2d(3);
    expect(() => functional.fused_conv2d_weight_of_convbn2d(conv, bn)).toThrow(/fused_conv2d_weight_of_convbn2d: conv2d.bias must be null/);
    expect(() => functional.fused_conv2d_bias_of_convbn2d(conv, bn)).toThrow(/fused_conv2d_bias_of_convbn2d: conv2d.bias must be null/);
  });

  test('argument errors', () => {
    const conv = new nn.Conv2d(2, 3, 3, { bias: false });
    expect(() => functional.fused_conv2d_weight_of_convbn2d(new nn.Linear(2, 2) as never, new nn.BatchNorm2d(3))).toThrow(/conv2d must be an nn.Conv2d/);
    expect(() => functional.fused_conv2d_weight_of_convbn2d(conv, new nn.BatchNorm1d(3) as never)).toThrow(/bn2d must be an nn.BatchNorm2d/);
    expect(() => functional.fused_conv2d_weight_of_convbn2d(conv, new nn.BatchNorm2d(4))).toThrow(/bn2d.num_features \(4\) must equal conv2d.out_channels \(3\)/);
    expect(() => functional.fused_conv2d_bias_of_convbn2d(conv, new nn.BatchNorm2d(3, { affine: false }))).toThrow(/bn2d must be affine/);
    expect(() => functional.fused_conv2d_bias_of_convbn2d(conv, new nn.BatchNorm2d(3, { track_running_stats: false }))).toThrow(/bn2d must track running statistics/);
  });
});

describe('fuse_convbn2d', () => {
  handles('fuse_convbn2d');
  test.each(table('fuse_convbn2d'))('%s: the fused Conv2d, the RNG it consumed, its output', (_n, c) => {
    const [conv, bn] = convBN(c);
    torch.manual_seed(7);
    const fused = functional.fuse_convbn2d(conv, bn, { k: 2.0, b: 1.0 }); // ignored, as upstream
    check(c, 'rand_after', torch.rand(5));
    expect(fused).toBeInstanceOf(nn.Conv2d);
    check(c, 'weight', fused.weight);
    check(c, 'bias', fused.bias);
    check(c, 'fused_requires_grad', fused.weight.requires_grad && fused.bias!.requires_grad);
    expect(fused.weight.is_leaf && fused.bias!.is_leaf).toBe(true);
    check(c, 'fused_repr', fused.toString());
    const x = input(c, 'x');
    bn.eval();
    torch.no_grad(() => {
      check(c, 'y_fused', fused.call(x));
      check(c, 'y_conv_bn', bn.call(conv.call(x)));
      // and the fused module agrees with conv + bn
      expectClose('fused vs conv+bn', bn.call(conv.call(x)), fused.call(x), { atol: 1e-5, rtol: 1e-5 });
    });
  });

  test('argument errors', () => {
    const conv = new nn.Conv2d(2, 3, 3, { bias: false }), bn = new nn.BatchNorm2d(3);
    expect(() => functional.fuse_convbn2d(conv, bn, { k: 1, c: 2 } as never)).toThrow(/fuse_convbn2d: unknown option "c"/);
    expect(() => functional.fuse_convbn2d(conv, bn, 'x' as never)).toThrow(/fuse_convbn2d: k must be a number/);
    expect(() => functional.fuse_convbn2d(new nn.Conv2d(2, 3, 3), bn)).toThrow(/conv2d.bias must be null/);
  });
});

describe('scale_fused_conv2d_weight_of_convbn2d / scale_fused_conv2d_bias_of_convbn2d', () => {
  handles('scale_fused_conv2d_weight_of_convbn2d');
  handles('scale_fused_conv2d_bias_of_convbn2d');
  test.each(table('scale_fused_conv2d_weight_of_convbn2d'))('weight %s (b goes into conv2d.weight: the fused weight is (w·k + b)·γ/σ)', (_n, c) => {
    const [conv, bn] = convBN(c);
    const r = functional.scale_fused_conv2d_weight_of_convbn2d(conv, bn, { k: input<number | Tensor | null>(c, 'k'), b: input<number | Tensor | null>(c, 'b') });
    check(c, 'returned', r ?? null);
    check(c, 'conv.weight', conv.weight);
    check(c, 'conv.weight.requires_grad', conv.weight.requires_grad);
    expect(conv.weight.grad_fn).toBeNull();
    check(c, 'fused_weight_after', functional.fused_conv2d_weight_of_convbn2d(conv, bn));
  });

  test.each(table('scale_fused_conv2d_bias_of_convbn2d'))('bias %s (the fused bias becomes fused·k + b)', (_n, c) => {
    const [conv, bn] = convBN(c);
    check(c, 'fused_bias_before', functional.fused_conv2d_bias_of_convbn2d(conv, bn));
    const r = functional.scale_fused_conv2d_bias_of_convbn2d(conv, bn, input<number | Tensor | null>(c, 'k'), input<number | Tensor | null>(c, 'b'));
    check(c, 'returned', r ?? null);
    check(c, 'bn.bias', bn.bias);
    check(c, 'bn.running_mean', bn.running_mean);
    check(c, 'fused_bias_after', functional.fused_conv2d_bias_of_convbn2d(conv, bn));
  });

  test('argument errors', () => {
    const conv = new nn.Conv2d(2, 3, 3, { bias: false }), bn = new nn.BatchNorm2d(3);
    expect(() => functional.scale_fused_conv2d_weight_of_convbn2d(new nn.Conv2d(2, 3, 3), bn, 2)).toThrow(/scale_fused_conv2d_weight_of_convbn2d: conv2d.bias must be null/);
    expect(() => functional.scale_fused_conv2d_bias_of_convbn2d(conv, bn, { kk: 2 } as never)).toThrow(/unknown option "kk"/);
    expect(() => functional.scale_fused_conv2d_bias_of_convbn2d(conv, bn, 2, { k: 3 })).toThrow(/multiple values for argument 'k'/);
    expect(() => functional.scale_fused_conv2d_weight_of_convbn2d(conv, bn, NaN)).toThrow(/k must be a number/);
  });
});

// ---- TET --------------------------------------------------------------------------------------------------------------------

describe('temporal_efficient_training_cross_entropy', () => {
  handles('temporal_efficient_training_cross_entropy');
  test.each(table('temporal_efficient_training_cross_entropy'))('%s: loss, the per-step loop, the gradient', (_n, c) => {
    const x = input(c, 'x_seq').clone().requires_grad_(true);
    const target = input(c, 'target');
    const L = functional.temporal_efficient_training_cross_entropy(x, target);
    L.backward();
    check(c, 'loss', L);
    let loop = F.cross_entropy(x.select(0, 0).detach(), target);
    for (let t = 1; t < x.shape[0]; t++) loop = loop.add(F.cross_entropy(x.select(0, t).detach(), target));
    check(c, 'loop_loss', loop.div(x.shape[0]));
    checkGrads(c, () => x.grad);
  });

  test('argument errors', () => {
    const x = torch.zeros(2, 3, 4);
    expect(() => functional.temporal_efficient_training_cross_entropy(torch.zeros(2, 3), torch.zeros(3, { dtype: 'int32' }))).toThrow(/x_seq must be a tensor \[T, N, C, \*\] \(at least 3-D\)/);
    expect(() => functional.temporal_efficient_training_cross_entropy(x, torch.zeros(3))).toThrow(/target must be an integer/);
    expect(() => functional.temporal_efficient_training_cross_entropy(x, torch.zeros(2, { dtype: 'int32' }))).toThrow(/target must have shape \[3\] .* got \[2\]/);
  });
});

afterAll(() => {
  // every function that has recorded cases was replayed above
  for (const c of ALL) if (!HANDLED.has(c.function)) throw new Error(`${c.file}: no test replays ${c.function}`);
});
