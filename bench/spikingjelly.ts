/**
 * Spiking-network benchmark: spikeport's spikingjelly port vs PyTorch + the real spikingjelly 0.0.0.0.8, in the same run.
 * `npm run bench -- spikingjelly [--channels C]`  (a couple of minutes)
 *
 * - the conv tutorial SNN (clock_driven/examples/conv_fashion_mnist.py's PythonNet, as ported in
 *   examples/spikingjelly/conv_mnist.ts): T=4, batch 32, 28×28 input, IFNode(ATan()); channels 16 by default (the
 *   example's scaled size; the tutorial's is 128 — `--channels 128` runs it, minutes per spikeport step)
 * - an MLP SNN 784-512-10 with LIFNode(tau=2.) after each Linear, T=8 steps of fixed input spikes, batch 64
 *
 * Training = zero_grad, T-step forward, mse_loss(firing rate, one-hot), backward, Adam step, functional.reset_net;
 * inference = the forward in eval mode under no_grad, then reset_net. Both print samples/s and the ratio
 * spikeport / PyTorch (PyTorch single-threaded, "1T", and with its default threads, "def"), and where spikeport's
 * training time goes (forward / backward / step, reset_net counted in step).
 *
 * The peer runs `/usr/bin/python3` with PYTHONPATH = $SPIKINGJELLY_PATH or /tmp/sj (an extracted spikingjelly
 * 0.0.0.0.8, see shared/reference/spikingjelly-setup.md); when that is missing or torch cannot be imported the peer
 * columns are skipped with a note. Each number is the median of repeated runs after a warm-up.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import os from 'os';
import { F, nn, optim, torch } from '../src/index';
import { functional, neuron } from '../src/spikingjelly/index';
import { PythonNet } from '../examples/spikingjelly/conv_mnist';

type Tensor = torch.Tensor;

function argValue(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench/spikingjelly: --${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
}

const CHANNELS = argValue('channels', 16);

/** The MLP SNN: T steps of Linear-LIF-Linear-LIF over the same [T, B, 784] input spikes, the mean output rate. */
class MlpSNN extends nn.Module {
  fc1 = new nn.Linear(784, 512);
  sn1 = new neuron.LIFNode({ tau: 2.0 });
  fc2 = new nn.Linear(512, 10);
  sn2 = new neuron.LIFNode({ tau: 2.0 });

  override forward(x_seq: Tensor): Tensor {
    const T = x_seq.shape[0];
    let counter: Tensor | null = null;
    for (let t = 0; t < T; t++) {
      const s = this.sn2.call(this.fc2.call(this.sn1.call(this.fc1.call(x_seq.index(t))))) as Tensor;
      counter = counter === null ? s : counter.add(s);
    }
    return counter!.div(T);
  }
}

interface Case { name: string; model: nn.Module; x: Tensor; y: Tensor; batch: number; reps: number }

interface Timing { train: number; fwd: number; bwd: number; opt: number; infer: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seconds per training step (median after a warm-up, split into forward/backward/step) and per inference batch. */
function timeCase({ model, x, y, reps }: Case, minTime = 2): Timing {
  const opt = new optim.Adam(model.parameters(), 1e-3);
  const rows: number[][] = [];
  const start = performance.now();
  model.train();
  for (let i = 0; i < 100 && (i < reps + 1 || (performance.now() - start) / 1000 < minTime); i++) {
    const t0 = performance.now();
    opt.zero_grad();
    const loss = F.mse_loss(model.call(x) as Tensor, y);
    const t1 = performance.now();
    loss.backward();
    const t2 = performance.now();
    opt.step();
    functional.reset_net(model);
    const t3 = performance.now();
    if (i > 0) rows.push([t3 - t0, t1 - t0, t2 - t1, t3 - t2]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const m = rows[Math.floor(rows.length / 2)].map((v) => v / 1000);
  model.eval();
  const inf: number[] = [];
  const s2 = performance.now();
  for (let i = 0; i < 100 && (i < reps + 1 || (performance.now() - s2) / 1000 < minTime / 2); i++) {
    const t0 = performance.now();
    torch.no_grad(() => model.call(x));
    functional.reset_net(model);
    if (i > 0) inf.push((performance.now() - t0) / 1000);
  }
  return { train: m[0], fwd: m[1], bwd: m[2], opt: m[3], infer: median(inf) };
}

const PY = String.raw`
import json, sys, time
import torch, torch.nn as nn, torch.nn.functional as F
from spikingjelly.clock_driven import neuron, surrogate, functional
threads, channels = int(sys.argv[1]), int(sys.argv[2])
if threads > 0:
    torch.set_num_threads(threads)
torch.manual_seed(0)

class PythonNet(nn.Module):   # conv_fashion_mnist.py's PythonNet, channels as a parameter (128 in the tutorial)
    def __init__(self, T, c):
        super().__init__()
        self.T = T
        self.static_conv = nn.Sequential(nn.Conv2d(1, c, kernel_size=3, padding=1, bias=False), nn.BatchNorm2d(c))
        self.conv = nn.Sequential(
            neuron.IFNode(surrogate_function=surrogate.ATan()), nn.MaxPool2d(2, 2),
            nn.Conv2d(c, c, kernel_size=3, padding=1, bias=False), nn.BatchNorm2d(c),
            neuron.IFNode(surrogate_function=surrogate.ATan()), nn.MaxPool2d(2, 2))
        self.fc = nn.Sequential(
            nn.Flatten(), nn.Linear(c * 7 * 7, c * 4 * 4, bias=False), neuron.IFNode(surrogate_function=surrogate.ATan()),
            nn.Linear(c * 4 * 4, 10, bias=False), neuron.IFNode(surrogate_function=surrogate.ATan()))
    def forward(self, x):
        x = self.static_conv(x)
        out = self.fc(self.conv(x))
        for t in range(1, self.T):
            out = out + self.fc(self.conv(x))
        return out / self.T

class MlpSNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 512); self.sn1 = neuron.LIFNode(tau=2.)
        self.fc2 = nn.Linear(512, 10); self.sn2 = neuron.LIFNode(tau=2.)
    def forward(self, x_seq):
        out = 0.
        for t in range(x_seq.shape[0]):
            out = out + self.sn2(self.fc2(self.sn1(self.fc1(x_seq[t]))))
        return out / x_seq.shape[0]

def run(model, x, y, reps, min_time=2.0):
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    model.train()
    tr, start, i = [], time.perf_counter(), 0
    while i < 100 and (i < reps + 1 or time.perf_counter() - start < min_time):
        t0 = time.perf_counter()
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        opt.step()
        functional.reset_net(model)
        if i > 0: tr.append(time.perf_counter() - t0)
        i += 1
    model.eval()
    inf, start, i = [], time.perf_counter(), 0
    with torch.no_grad():
        while i < 100 and (i < reps + 1 or time.perf_counter() - start < min_time / 2):
            t0 = time.perf_counter()
            model(x)
            functional.reset_net(model)
            if i > 0: inf.append(time.perf_counter() - t0)
            i += 1
    tr.sort(); inf.sort()
    return [tr[len(tr) // 2], inf[len(inf) // 2]]

conv_x = torch.rand(32, 1, 28, 28); conv_y = F.one_hot(torch.randint(0, 10, (32,)), 10).float()
mlp_x = (torch.rand(8, 64, 784) < 0.2).float(); mlp_y = F.one_hot(torch.randint(0, 10, (64,)), 10).float()
import spikingjelly
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "sj": spikingjelly.__file__,
                  "times": [run(PythonNet(4, channels), conv_x, conv_y, 5), run(MlpSNN(), mlp_x, mlp_y, 5)]}))
`;

interface Peer { version: string; threads: number; sj: string; times: number[][] }

function peerTimings(threads: number, sjPath: string): Peer | string {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: sjPath };
  if (threads === 1) Object.assign(env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  const r = spawnSync('/usr/bin/python3', ['-c', PY, String(threads), String(CHANNELS)], { env, encoding: 'utf8', timeout: 600_000 });
  if (r.error) return `could not run /usr/bin/python3 (${r.error.message})`;
  if (r.status !== 0) {
    if (/No module named 'torch'/.test(r.stderr)) return 'torch is not importable by /usr/bin/python3';
    if (/No module named 'spikingjelly'/.test(r.stderr)) return `spikingjelly is not importable from ${sjPath}`;
    return `python exited with ${r.status}: ${r.stderr.trim().split('\n').pop()}`;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function main(): void {
  torch.manual_seed(0);
  const cases: Case[] = [
    {
      name: `conv tutorial SNN C=${CHANNELS}, T=4, batch 32`, model: new PythonNet(4, CHANNELS), batch: 32, reps: 3,
      x: torch.rand(32, 1, 28, 28), y: F.one_hot(torch.randint(0, 10, [32]), 10).float(),
    },
    {
      name: 'MLP SNN 784-512-10 LIF, T=8, batch 64', model: new MlpSNN(), batch: 64, reps: 5,
      x: torch.rand(8, 64, 784).lt(0.2).float(), y: F.one_hot(torch.randint(0, 10, [64]), 10).float(),
    },
  ];
  const ours = cases.map((c) => timeCase(c));

  const sjPath = process.env.SPIKINGJELLY_PATH ?? '/tmp/sj';
  let one: Peer | string, dflt: Peer | string;
  if (!existsSync(`${sjPath}/spikingjelly/clock_driven/neuron.py`)) {
    one = dflt = `no spikingjelly at ${sjPath} (set SPIKINGJELLY_PATH to an extracted 0.0.0.0.8, see shared/reference/spikingjelly-setup.md)`;
  } else {
    one = peerTimings(1, sjPath);
    dflt = typeof one === 'string' ? one : peerTimings(0, sjPath);
  }
  const peer = typeof one !== 'string' && typeof dflt !== 'string';

  console.log(`spikeport spikingjelly benchmark (training: forward + backward + Adam + reset_net; inference: no_grad forward) — Node ${process.version}`);
  if (typeof one === 'string' || typeof dflt === 'string') console.log(`peer: skipped — ${typeof one === 'string' ? one : dflt}`);
  else console.log(`peer: PyTorch ${one.version} CPU + spikingjelly 0.0.0.0.8 (${one.sj.replace(/\/spikingjelly\/__init__\.py$/, '')}), "1T" single-threaded, "def" default threads (${dflt.threads})`);
  console.log('');
  const head = ['case'.padEnd(40), 'mode'.padEnd(6), 'spikeport'.padStart(10), 'torch 1T'.padStart(10), 'torch def'.padStart(10), 'sp/1T'.padStart(7), 'sp/def'.padStart(7)];
  console.log(head.join('  '));
  cases.forEach((c, i) => {
    const o = ours[i];
    for (const [mode, secs, k] of [['train', o.train, 0], ['infer', o.infer, 1]] as const) {
      const sps = c.batch / secs;
      const row = [(k === 0 ? c.name : '').padEnd(40), mode.padEnd(6), sps.toFixed(1).padStart(10)];
      if (peer) {
        const t1 = c.batch / (one as Peer).times[i][k], tn = c.batch / (dflt as Peer).times[i][k];
        row.push(t1.toFixed(1).padStart(10), tn.toFixed(1).padStart(10), (sps / t1).toFixed(3).padStart(7), (sps / tn).toFixed(3).padStart(7));
      }
      console.log(row.join('  '));
    }
  });
  console.log('\nwhere spikeport\'s training step goes (forward incl. loss / backward / Adam step + reset_net):');
  cases.forEach((c, i) => {
    const o = ours[i];
    console.log(`  ${c.name.padEnd(40)}  ${(1000 * o.train).toFixed(0).padStart(6)} ms = ${(100 * o.fwd / o.train).toFixed(0)}% / ${(100 * o.bwd / o.train).toFixed(0)}% / ${(100 * o.opt / o.train).toFixed(0)}%`);
  });
  console.log('\nsamples/s (higher is better); ratio = spikeport / torch');
  console.log(`timed on ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine skews both columns)`);
}

main();
