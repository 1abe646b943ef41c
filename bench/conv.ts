/**
 * conv2d throughput: spikeport's F.conv2d (im2col + packed gemm, src/core/ops/conv.ts) against PyTorch's
 * F.conv2d (oneDNN) on the two layers of a small MNIST conv SNN, forward and forward+backward, in the same run.
 *
 *   npm run bench -- conv          # well under a minute
 *
 * Cases: [32, 1, 28, 28] → 32 channels, 3×3, padding 1 (the first layer: its input is data and needs no gradient,
 * so forward+backward computes the weight and bias gradients only), and [32, 32, 14, 14] → 32, 3×3, padding 1
 * (a hidden layer: input, weight and bias gradients). Each figure is the best of repeated runs within a short time
 * budget (shared machines are noisy; the best run is the least disturbed), reported as samples per second (batch 32).
 * torch runs in a child process via /usr/bin/python3 with torch.set_num_threads(1) and with its default thread
 * count (the same column twice when that count is 1); without a working `import torch` its columns read "n/a".
 * Backward here is gemm-bound: spikeport's conv time is within a few percent of the gemm kernel's time for the same
 * products, so its speed follows src/core/kernels/gemm.ts.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import * as torch from '../src/torch/index';
import { conv2d } from '../src/core/ops/conv';
import type { Tensor } from '../src/core/tensor';

interface Case { name: string; x: number[]; cout: number; k: number; padding: number; inputGrad: boolean }
const CASES: Case[] = [
  { name: 'conv1 [32,1,28,28]→32 3×3 p1', x: [32, 1, 28, 28], cout: 32, k: 3, padding: 1, inputGrad: false },
  { name: 'conv2 [32,32,14,14]→32 3×3 p1', x: [32, 32, 14, 14], cout: 32, k: 3, padding: 1, inputGrad: true },
];
const BUDGET_S = 1.5;
const MIN_RUNS = 3;

/** Best seconds per call of `run` within the budget (after a warm-up call). */
function best(run: () => void): number {
  run();
  let b = Infinity;
  const start = performance.now();
  let runs = 0;
  while (runs < MIN_RUNS || performance.now() - start < BUDGET_S * 1000) {
    const t0 = performance.now();
    run();
    b = Math.min(b, (performance.now() - t0) / 1000);
    runs++;
  }
  return b;
}

function spikeport(c: Case): { fwd: number; fb: number } {
  torch.manual_seed(0);
  const x = torch.randn(c.x).requires_grad_(c.inputGrad);
  const w = torch.randn([c.cout, c.x[1], c.k, c.k]).mul(0.1).requires_grad_(true);
  const b = torch.zeros([c.cout]).requires_grad_(true);
  const fwd = best(() => { torch.no_grad(() => conv2d(x, w, b, { padding: c.padding })); });
  let g: Tensor | null = null;
  const fb = best(() => {
    const y = conv2d(x, w, b, { padding: c.padding });
    g ??= torch.randn(y.size());
    x.grad = null; w.grad = null; b.grad = null;
    y.backward(g);
  });
  return { fwd, fb };
}

const PY = `
import json, sys, time, torch
import torch.nn.functional as F
cases = json.loads(sys.argv[1]); budget = float(sys.argv[2]); min_runs = int(sys.argv[3])
def best(run):
    run(); b = float('inf'); start = time.perf_counter(); n = 0
    while n < min_runs or time.perf_counter() - start < budget:
        t0 = time.perf_counter(); run(); b = min(b, time.perf_counter() - t0); n += 1
    return b
default_threads = torch.get_num_threads()
out = {"version": torch.__version__, "default_threads": default_threads, "results": []}
for threads in sorted({1, default_threads}):
    torch.set_num_threads(threads)
    for c in cases:
        torch.manual_seed(0)
        x = torch.randn(*c["x"]).requires_grad_(c["inputGrad"])
        w = (torch.randn(c["cout"], c["x"][1], c["k"], c["k"]) * 0.1).requires_grad_(True)
        b = torch.zeros(c["cout"], requires_grad=True)
        def fwd():
            with torch.no_grad():
                F.conv2d(x, w, b, padding=c["padding"])
        g = torch.randn(F.conv2d(x, w, b, padding=c["padding"]).shape)
        def fb():
            y = F.conv2d(x, w, b, padding=c["padding"])
            x.grad = None; w.grad = None; b.grad = None
            y.backward(g)
        out["results"].append({"threads": threads, "name": c["name"], "fwd": best(fwd), "fb": best(fb)})
print(json.dumps(out))
`;

function torchTimes(): { version: string; default_threads: number; results: { threads: number; name: string; fwd: number; fb: number }[] } | null {
  const r = spawnSync('/usr/bin/python3', ['-c', PY, JSON.stringify(CASES), String(BUDGET_S), String(MIN_RUNS)], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    console.error(`torch unavailable (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const sps = (batch: number, s: number): string => (batch / s).toFixed(0).padStart(8);
const ratio = (torchS: number, ours: number): string => (torchS / ours).toFixed(3).padStart(6);

console.log(`conv2d samples/s (batch 32; best of runs within ${BUDGET_S}s) — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`);
const th = torchTimes();
const tname = th ? `torch ${th.version}` : 'torch';
console.log(`${'case'.padEnd(32)} ${'pass'.padEnd(9)} ${'spikeport'.padStart(9)} ${'torch×1'.padStart(8)} ${'ratio'.padStart(6)} ${`torch×${th?.default_threads ?? '?'}`.padStart(8)} ${'ratio'.padStart(6)}`);
for (const c of CASES) {
  const s = spikeport(c);
  const t1 = th?.results.find((r) => r.name === c.name && r.threads === 1);
  const tn = th?.results.find((r) => r.name === c.name && r.threads === th.default_threads);
  for (const pass of ['fwd', 'fb'] as const) {
    const label = pass === 'fwd' ? 'forward' : 'fwd+bwd';
    const cols = [
      c.name.padEnd(32), label.padEnd(9), sps(c.x[0], s[pass]).padStart(9),
      t1 ? sps(c.x[0], t1[pass]) : '     n/a', t1 ? ratio(t1[pass], s[pass]) : '   n/a',
      tn ? sps(c.x[0], tn[pass]) : '     n/a', tn ? ratio(tn[pass], s[pass]) : '   n/a',
    ];
    console.log(cols.join(' '));
  }
}
console.log(`ratio = spikeport samples/s ÷ torch samples/s (1.000 = parity, 0.100 = spikeport 10× slower); ${tname}`);
