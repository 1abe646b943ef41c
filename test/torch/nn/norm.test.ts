/**
 * F.batch_norm / F.layer_norm / F.group_norm and nn.BatchNorm1d/2d, nn.LayerNorm, nn.GroupNorm against PyTorch 1.13
 * (fixtures/torch/conv/norm.json and init.json, compat/record_conv.py): BatchNorm trained for 3 steps then evaluated
 * (outputs, gradients, running stats, num_batches_tracked), float64 finite differences (first and second order) and
 * argument errors.
 *
 * Tolerances: BatchNorm outputs and running stats follow ATen's float32 arithmetic step by step and are compared
 * exactly; LayerNorm / GroupNorm outputs 1e-5 absolute (torch computes the row moments in float32 with its own
 * reduction order; outputs are O(1)); gradients 1e-5 relative + 1e-5 absolute.
 */
import * as torch from '../../../src/torch/index';
import { batch_norm, group_norm, layer_norm } from '../../../src/core/ops/norm';
import { BatchNorm1d, BatchNorm2d } from '../../../src/torch/nn/modules/batchnorm';
import { GroupNorm, LayerNorm } from '../../../src/torch/nn/modules/normalization';
import { Module } from '../../../src/torch/nn/modules/module';
import { Tensor } from '../../../src/core/tensor';
import { expectClose, loadFixture, maxAbsDiff, T } from './fixture_helpers';

const norm = loadFixture('norm');
const inits = loadFixture('init');

const MODULES: Record<string, () => Module> = {
  'BatchNorm2d': () => new BatchNorm2d(3),
  'BatchNorm2d momentum None': () => new BatchNorm2d(3, { momentum: null }),
  'BatchNorm2d momentum 0.3 eps 1e-3': () => new BatchNorm2d(3, { eps: 1e-3, momentum: 0.3 }),
  'BatchNorm2d affine False': () => new BatchNorm2d(3, { affine: false }),
  'BatchNorm2d track_running_stats False': () => new BatchNorm2d(3, { track_running_stats: false }),
  'BatchNorm2d default init': () => new BatchNorm2d(5),
  'BatchNorm1d 2-D input': () => new BatchNorm1d(6),
  'BatchNorm1d 3-D input': () => new BatchNorm1d(4),
  'BatchNorm1d momentum None affine False': () => new BatchNorm1d(4, undefined, null, false),
  'LayerNorm last dim': () => new LayerNorm(6),
  'LayerNorm last two dims': () => new LayerNorm([4, 5], { eps: 1e-3 }),
  'LayerNorm no affine': () => new LayerNorm(7, { elementwise_affine: false }),
  'GroupNorm 2 groups': () => new GroupNorm(2, 6),
  'GroupNorm 1 group (layer-norm like)': () => new GroupNorm(1, 4),
  'GroupNorm groups = channels (instance-norm like)': () => new GroupNorm(4, 4, { eps: 1e-3 }),
  'GroupNorm no affine 2-D input': () => new GroupNorm(3, 6, { affine: false }),
};

describe('modules replay PyTorch 1.13 (BatchNorm: 3 training steps, then eval)', () => {
  const worst = { output: 0, grad: 0, state: 0 };
  afterAll(() => {
    if (process.env.SPIKEPORT_REPORT) console.log(`norm replay: max |output diff| ${worst.output}, max |grad diff| ${worst.grad}, max |state diff| ${worst.state}`);
  });

  test.each(norm.cases.map((c: any) => [c.name, c]) as [string, any][])('%s', (_n, c: any) => {
    const make = MODULES[c.name];
    if (!make) throw new Error(`no module for fixture case ${c.name}`);
    const m = make();
    expect(m.toString()).toBe(c.repr);
    const init: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.init_state)) init[k] = T(v as any);
    expect(Object.keys(m.state_dict())).toEqual(c.state_keys);
    m.load_state_dict(init);
    const isBN = c.module.startsWith('BatchNorm');
    c.steps.forEach((s: any, i: number) => {
      const where = `${c.name} step ${i} (${s.training ? 'train' : 'eval'})`;
      m.train(s.training);
      const x = T(s.input, true);
      const y = m.call(x) as Tensor;
      expectClose(`${where}: output`, y, s.output, { atol: isBN ? 0 : 1e-5 });
      worst.output = Math.max(worst.output, maxAbsDiff(y, s.output));
      for (const p of m.parameters()) p.grad = null;
      y.backward(T(s.gout));
      const tol = { rtol: 1e-5, atol: 1e-5 };
      expectClose(`${where}: grad_input`, x.grad, s.grad_input, tol);
      worst.grad = Math.max(worst.grad, maxAbsDiff(x.grad!, s.grad_input));
      const params = Object.fromEntries(m.named_parameters());
      expect(Object.keys(params).sort()).toEqual(Object.keys(s.grads).sort());
      for (const [k, g] of Object.entries(s.grads)) {
        expectClose(`${where}: grad of ${k}`, params[k].grad, g as any, tol);
        worst.grad = Math.max(worst.grad, maxAbsDiff(params[k].grad!, g as any));
      }
      const sd = m.state_dict();
      expect(Object.keys(sd)).toEqual(c.state_keys);
      for (const [k, v] of Object.entries(s.state)) {
        expectClose(`${where}: state ${k}`, sd[k], v as any, { atol: isBN ? 0 : 1e-6 });
        if (sd[k].is_floating_point()) worst.state = Math.max(worst.state, maxAbsDiff(sd[k], v as any));
      }
    });
  });

  test('num_batches_tracked is an int32 0-d buffer counting training steps; eval does not count', () => {
    const m = new BatchNorm2d(2);
    expect(m.num_batches_tracked!.dtype).toBe('int32');
    expect(m.num_batches_tracked!.shape).toEqual([]);
    const x = torch.randn([3, 2, 4, 4]);
    m.call(x);
    m.call(x);
    m.eval();
    m.call(x);
    expect(m.num_batches_tracked!.item()).toBe(2);
    expect(Object.keys(m.state_dict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(m.buffers().length).toBe(3);
  });

  test('a state dict without num_batches_tracked loads it as 0 (PyTorch < 1.x checkpoints)', () => {
    const m = new BatchNorm2d(2);
    m.call(torch.randn([3, 2, 4, 4]));
    const sd = m.state_dict();
    const old: Record<string, Tensor> = { weight: sd.weight, bias: sd.bias, running_mean: sd.running_mean, running_var: sd.running_var };
    const m2 = new BatchNorm2d(2);
    m2.load_state_dict(old);
    expect(m2.num_batches_tracked!.item()).toBe(0);
    expect(m2.running_mean!.equal(m.running_mean!)).toBe(true);
  });

  test('default initialisation: torch.manual_seed(s); BatchNorm draws nothing from the generator', () => {
    for (const c of inits.init.filter((k: any) => k.ctor.startsWith('BatchNorm'))) {
      torch.manual_seed(c.seed);
      const m = c.ctor === 'BatchNorm2d(5)' ? new BatchNorm2d(5) : new BatchNorm1d(3, { affine: false });
      const sd = m.state_dict();
      expect(Object.keys(sd)).toEqual(c.state_keys[0]);
      for (const [k, v] of Object.entries(c.states[0])) expectClose(`${c.ctor} ${k}`, sd[k], v as any);
      expectClose(`${c.ctor}: next draws`, torch.rand(3), c.after);
    }
  });

  const reprs: Record<string, () => Module> = {
    'nn.BatchNorm2d(32)': () => new BatchNorm2d(32),
    'nn.BatchNorm2d(3, eps=0.001, momentum=None, affine=False, track_running_stats=False)': () => new BatchNorm2d(3, { eps: 0.001, momentum: null, affine: false, track_running_stats: false }),
    'nn.BatchNorm1d(6, momentum=0.3)': () => new BatchNorm1d(6, { momentum: 0.3 }),
    'nn.LayerNorm(6)': () => new LayerNorm(6),
    'nn.LayerNorm([4, 5], eps=1e-3, elementwise_affine=False)': () => new LayerNorm([4, 5], 1e-3, false),
    'nn.GroupNorm(2, 6)': () => new GroupNorm(2, 6),
    'nn.GroupNorm(3, 6, eps=1e-6, affine=False)': () => new GroupNorm(3, 6, { eps: 1e-6, affine: false }),
  };
  test.each(Object.keys(reprs))('str(%s) is PyTorch\'s', (expr) => {
    expect(reprs[expr]().toString()).toBe(inits.reprs[expr]);
  });
});

describe('conv → BatchNorm sequence initialised from one seed', () => {
  test('torch.manual_seed(8); Conv2d(1, 4, 3), BatchNorm2d(4), Conv2d(4, 2, 3) give PyTorch\'s weights', () => {
    // kept here because it needs both module kinds
    const c = inits.init.find((k: any) => k.seed === 8);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { Conv2d } = require('../../../src/torch/nn/modules/conv');
    torch.manual_seed(8);
    const mods = [new Conv2d(1, 4, 3), new BatchNorm2d(4), new Conv2d(4, 2, 3)];
    mods.forEach((m, i) => {
      const sd = m.state_dict();
      for (const [k, v] of Object.entries(c.states[i])) expectClose(`module ${i} ${k}`, sd[k], v as any);
    });
    expectClose('next draws', torch.rand(3), c.after);
  });
});

describe('float64 finite differences (first and second order)', () => {
  const { gradcheck, grad } = torch.autograd;
  const opt = { eps: 1e-6, atol: 1e-6, rtol: 1e-5 };
  const rnd = (...shape: number[]): Tensor => torch.randn(shape, { dtype: 'float64', requires_grad: true });
  const secondOrder = (f: (...xs: Tensor[]) => Tensor, xs: Tensor[], g: Tensor): boolean =>
    gradcheck((...a: Tensor[]) => torch.enable_grad(() => grad(f(...a.slice(0, -1)), a.slice(0, -1), a[a.length - 1], { create_graph: true }) as Tensor[]), [...xs, g], opt);

  test('batch_norm training (batch statistics) and evaluation (running statistics)', () => {
    torch.manual_seed(21);
    const x = rnd(3, 2, 2, 3), w = rnd(2), b = rnd(2);
    expect(gradcheck((xx, ww, bb) => batch_norm(xx, null, null, ww, bb, true), [x, w, b], opt)).toBe(true);
    const rm = torch.randn([2], { dtype: 'float64' }), rv = torch.rand([2], { dtype: 'float64' }).add(0.5);
    expect(gradcheck((xx, ww, bb) => batch_norm(xx, rm, rv, ww, bb, false), [x, w, b], opt)).toBe(true);
    expect(gradcheck((xx) => batch_norm(xx, null, null, null, null, true, 0.1, 1e-3), [rnd(4, 3)], opt)).toBe(true);
    expect(secondOrder((xx, ww, bb) => batch_norm(xx, null, null, ww, bb, true), [x, w, b], rnd(3, 2, 2, 3))).toBe(true);
  });

  test('layer_norm over one and two trailing dims', () => {
    torch.manual_seed(22);
    const x = rnd(2, 3, 4), w = rnd(3, 4), b = rnd(3, 4);
    expect(gradcheck((xx, ww, bb) => layer_norm(xx, [3, 4], ww, bb), [x, w, b], opt)).toBe(true);
    expect(gradcheck((xx, ww) => layer_norm(xx, 4, ww, null, 1e-3), [x, rnd(4)], opt)).toBe(true);
    expect(gradcheck((xx, bb) => layer_norm(xx, 4, null, bb), [x, rnd(4)], opt)).toBe(true);
    expect(secondOrder((xx, ww, bb) => layer_norm(xx, [4], ww, bb), [x, rnd(4), rnd(4)], rnd(2, 3, 4))).toBe(true);
  });

  test('group_norm', () => {
    torch.manual_seed(23);
    const x = rnd(2, 6, 2, 2), w = rnd(6), b = rnd(6);
    expect(gradcheck((xx, ww, bb) => group_norm(xx, 3, ww, bb), [x, w, b], opt)).toBe(true);
    expect(gradcheck((xx) => group_norm(xx, 2), [rnd(3, 4, 3)], opt)).toBe(true);
    expect(secondOrder((xx, ww, bb) => group_norm(xx, 2, ww, bb), [x, w, b], rnd(2, 6, 2, 2))).toBe(true);
  });
});

describe('argument errors', () => {
  test('BatchNorm input rank and channel count', () => {
    expect(() => new BatchNorm2d(3).call(torch.zeros([2, 3, 4]))).toThrow(/nn\.BatchNorm2d: expected 4D input \(got 3D input of shape \[2, 3, 4\]\)/);
    expect(() => new BatchNorm1d(3).call(torch.zeros([2, 3, 4, 4]))).toThrow(/expected 2D or 3D input \(got 4D input/);
    expect(() => new BatchNorm2d(4).call(torch.zeros([2, 3, 4, 4]))).toThrow(/running_mean should contain 3 elements \(the channels of input \[2, 3, 4, 4\]\), got shape \[4\]/);
    expect(() => new BatchNorm1d(3).call(torch.zeros([1, 3]))).toThrow(/expected more than 1 value per channel when training, got input of shape \[1, 3\]/);
    expect(() => batch_norm(torch.zeros([2, 3]), null, null)).toThrow(/running_mean and running_var must be given in evaluation mode/);
    expect(() => batch_norm(torch.zeros([2, 3]), null, null, { trainig: true } as never)).toThrow(/unknown option "trainig"/);
  });

  test('layer_norm / group_norm shapes', () => {
    expect(() => layer_norm(torch.zeros([2, 3, 5]), [4])).toThrow(/given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of shape \[2, 3, 5\]/);
    expect(() => layer_norm(torch.zeros([2, 4]), [4], torch.ones([3]))).toThrow(/expected weight of shape \[4\] \(normalized_shape\), got \[3\]/);
    expect(() => group_norm(torch.zeros([2, 5, 3]), 2)).toThrow(/expected number of channels in input to be divisible by num_groups, but got input of shape \[2, 5, 3\] and num_groups=2/);
    expect(() => group_norm(torch.zeros([2, 4, 3]), 2, torch.ones([3]))).toThrow(/expected weight of shape \[4\] \(the channels of input \[2, 4, 3\]\), got \[3\]/);
    expect(() => new GroupNorm(4, 6)).toThrow(/num_channels must be divisible by num_groups/);
  });
});
