/**
 * Training-step benchmark: forward + backward + Adam step, spikeport vs PyTorch CPU in the same run.  `npm run bench -- nn`
 *
 * - MLP 784-512-10 (ReLU), batch 64, cross_entropy
 * - a small MNIST-sized conv net, batch 32: Conv2d(1,32,3,p1)-BN-ReLU-MaxPool2-Conv2d(32,32,3,p1)-BN-ReLU-MaxPool2-Flatten-Linear(1568,10)
 *
 * Prints samples/s and the ratio spikeport/torch (torch single-threaded and with its default threads), and where
 * spikeport's time goes (forward / backward / optimiser step).
 */
import { spawnSync } from 'child_process';
import os from 'os';
import { F, nn, optim, torch } from '../src/index';

type Model = { model: nn.Module; x: torch.Tensor; y: torch.Tensor; batch: number };

function mlp(): Model {
  const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 10));
  return { model, x: torch.randn(64, 784), y: torch.randint(0, 10, [64]), batch: 64 };
}

function convnet(): Model {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(32 * 7 * 7, 10),
  );
  return { model, x: torch.randn(32, 1, 28, 28), y: torch.randint(0, 10, [32]), batch: 32 };
}

/** Seconds per training step (median after a warm-up), split into forward, backward and step. */
function timeSteps({ model, x, y }: Model, minTime = 2, minReps = 5): { total: number; fwd: number; bwd: number; opt: number } {
  const opt = new optim.Adam(model.parameters(), 1e-3);
  const rows: number[][] = [];
  const start = performance.now();
  for (let i = 0; i < 200 && (i < minReps + 1 || (performance.now() - start) / 1000 < minTime); i++) {
    const t0 = performance.now();
    opt.zero_grad();
    const loss = F.cross_entropy(model.call(x), y);
    const t1 = performance.now();
    loss.backward();
    const t2 = performance.now();
    opt.step();
    const t3 = performance.now();
    if (i > 0) rows.push([t3 - t0, t1 - t0, t2 - t1, t3 - t2]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const m = rows[Math.floor(rows.length / 2)].map((v) => v / 1000);
  return { total: m[0], fwd: m[1], bwd: m[2], opt: m[3] };
}

const PY = String.raw`
import json, sys, time
import torch, torch.nn as nn, torch.nn.functional as F
threads = int(sys.argv[1])
if threads > 0:
    torch.set_num_threads(threads)
torch.manual_seed(0)
def run(model, x, y, min_time=2.0, min_reps=5):
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    times = []
    start = time.perf_counter()
    i = 0
    while i < 200 and (i < min_reps + 1 or time.perf_counter() - start < min_time):
        t0 = time.perf_counter()
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
        if i > 0:
            times.append(time.perf_counter() - t0)
        i += 1
    times.sort()
    return times[len(times) // 2]
mlp = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
conv = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                     nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                     nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
out = {"version": torch.__version__, "threads": torch.get_num_threads(),
       "times": [run(mlp, torch.randn(64, 784), torch.randint(0, 10, (64,))),
                 run(conv, torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,)))]}
print(json.dumps(out))
`;

function torchTimings(threads: number): { version: string; threads: number; times: number[] } | string {
  const env = { ...process.env };
  if (threads === 1) Object.assign(env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  const r = spawnSync('/usr/bin/python3', ['-c', PY, String(threads)], { env, encoding: 'utf8', timeout: 300_000 });
  if (r.error) return `could not run /usr/bin/python3 (${r.error.message})`;
  if (r.status !== 0) return /No module named 'torch'/.test(r.stderr) ? 'torch is not importable by /usr/bin/python3' : `python exited with ${r.status}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function main(): void {
  torch.manual_seed(0);
  const cases: [string, Model][] = [['MLP 784-512-10, batch 64', mlp()], ['conv net (MNIST-sized), batch 32', convnet()]];
  const ours = cases.map(([, m]) => timeSteps(m));
  const one = torchTimings(1), dflt = torchTimings(0);
  console.log(`spikeport training-step benchmark (forward + backward + Adam) — Node ${process.version}`);
  if (typeof one === 'string' || typeof dflt === 'string') console.log(`peer: skipped — ${typeof one === 'string' ? one : dflt}`);
  else console.log(`peer: PyTorch ${one.version} CPU, "1T" single-threaded, "def" default threads (${dflt.threads})`);
  console.log('');
  const head = ['case'.padEnd(34), 'spikeport'.padStart(10), 'torch 1T'.padStart(10), 'torch def'.padStart(10), 'sp/1T'.padStart(7), 'sp/def'.padStart(7), '  spikeport time split fwd / bwd / step'];
  console.log(head.join('  '));
  cases.forEach(([name, m], i) => {
    const sps = m.batch / ours[i].total;
    const row = [name.padEnd(34), sps.toFixed(0).padStart(10)];
    if (typeof one !== 'string' && typeof dflt !== 'string') {
      const t1 = m.batch / one.times[i], tn = m.batch / dflt.times[i];
      row.push(t1.toFixed(0).padStart(10), tn.toFixed(0).padStart(10), (sps / t1).toFixed(2).padStart(7), (sps / tn).toFixed(2).padStart(7));
    }
    const o = ours[i];
    row.push(`  ${(100 * o.fwd / o.total).toFixed(0)}% / ${(100 * o.bwd / o.total).toFixed(0)}% / ${(100 * o.opt / o.total).toFixed(0)}%`);
    console.log(row.join('  '));
  });
  console.log('\nsamples/s (higher is better); ratio = spikeport / torch');
  console.log(`timed on ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine skews both columns)`);
}

main();
