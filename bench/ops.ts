/**
 * Op benchmarks: spikeport vs PyTorch (CPU), measured in the same run.  `npm run bench -- ops`  (< 1 min)
 *
 * - matmul 512³ and 1024³ float32, in GFLOP/s (2·n³ flops per product)
 * - a broadcasting elementwise chain ((x*w + b).sigmoid() * y) on x, y [1024, 1024] and w, b [1024], in GB/s moved
 *   (the minimum traffic of a fused kernel: x, y, w, b read once and the output written once)
 * - a reduction x.sum(1) of x [4096, 1024], in GB/s read
 *
 * PyTorch runs in a child `/usr/bin/python3` twice: single-threaded (torch.set_num_threads(1), OMP/OpenBLAS limited to
 * one thread) and with its default threads. Without an importable torch the peer columns are skipped with a note.
 * Each number is the median of repeated runs after a warm-up (at least 3 runs and ~0.4 s per measurement).
 */
import { spawnSync } from 'child_process';
import os from 'os';
import { torch } from '../src/index';

interface Bench { name: string; unit: string; work: number; setup: () => () => unknown }

const F32 = 4;
const MiB = 1024 * 1024;

const BENCHES: Bench[] = [
  {
    name: 'matmul 512x512 @ 512x512 f32', unit: 'GFLOP/s', work: (2 * 512 ** 3) / 1e9,
    setup: () => { const a = torch.randn(512, 512), b = torch.randn(512, 512); return () => a.matmul(b); },
  },
  {
    name: 'matmul 1024x1024 @ 1024x1024 f32', unit: 'GFLOP/s', work: (2 * 1024 ** 3) / 1e9,
    setup: () => { const a = torch.randn(1024, 1024), b = torch.randn(1024, 1024); return () => a.matmul(b); },
  },
  {
    name: '((x*w + b).sigmoid() * y) [1024,1024]x[1024]', unit: 'GB/s', work: ((3 * MiB + 2 * 1024) * F32) / 1e9,
    setup: () => {
      const x = torch.randn(1024, 1024), y = torch.randn(1024, 1024), w = torch.randn(1024), b = torch.randn(1024);
      return () => x.mul(w).add(b).sigmoid().mul(y);
    },
  },
  {
    name: 'x.sum(1) of [4096,1024] f32', unit: 'GB/s', work: (4096 * 1024 * F32) / 1e9,
    setup: () => { const x = torch.randn(4096, 1024); return () => x.sum(1); },
  },
];

/** Median seconds per call: one warm-up, then at least `minReps` runs and `minTime` seconds. */
function measure(fn: () => unknown, minTime = 0.4, minReps = 3, maxReps = 200): number {
  fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length < minReps || (performance.now() - start) / 1000 < minTime)) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const PY = String.raw`
import json, sys, time
import torch
threads = int(sys.argv[1])
if threads > 0:
    torch.set_num_threads(threads)
torch.manual_seed(0)

def measure(fn, min_time=0.4, min_reps=3, max_reps=200):
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < max_reps and (len(times) < min_reps or time.perf_counter() - start < min_time):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]

out = {"version": torch.__version__, "threads": torch.get_num_threads(), "times": []}
with torch.no_grad():
    a, b = torch.randn(512, 512), torch.randn(512, 512)
    out["times"].append(measure(lambda: a @ b))
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    out["times"].append(measure(lambda: a @ b))
    x, y, w, bb = torch.randn(1024, 1024), torch.randn(1024, 1024), torch.randn(1024), torch.randn(1024)
    out["times"].append(measure(lambda: ((x * w + bb).sigmoid() * y)))
    x = torch.randn(4096, 1024)
    out["times"].append(measure(lambda: x.sum(1)))
print(json.dumps(out))
`;

interface PeerResult { version: string; threads: number; times: number[] }

/** Runs the torch timings in a child python; `threads` 1 pins every thread pool to one thread, 0 keeps torch's default. */
function torchTimings(threads: number): PeerResult | string {
  const env = { ...process.env };
  if (threads === 1) Object.assign(env, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  const r = spawnSync('/usr/bin/python3', ['-c', PY, String(threads)], { env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `could not run /usr/bin/python3 (${r.error.message})`;
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    return /No module named 'torch'/.test(r.stderr) ? 'torch is not importable by /usr/bin/python3' : `python exited with ${r.status}: ${last}`;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerResult;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function main(): void {
  torch.manual_seed(0);
  const ours = torch.no_grad(() => BENCHES.map((b) => measure(b.setup())));
  const one = torchTimings(1);
  const dflt = torchTimings(0);
  const peers = [one, dflt].filter((p): p is PeerResult => typeof p !== 'string');

  const rate = (b: Bench, secs: number): number => b.work / secs;
  const f = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  console.log(`spikeport ops benchmark — Node ${process.version}, ${process.platform}/${process.arch}`);
  if (peers.length === 2) {
    console.log(`peer: PyTorch ${(one as PeerResult).version} CPU in the same run: "1T" single-threaded (torch.set_num_threads(1), OMP/OpenBLAS/MKL`);
    console.log(`      limited to 1 thread), "def" with torch's default settings (torch.get_num_threads() = ${(dflt as PeerResult).threads}; its BLAS keeps its own pool)`);
  }
  else console.log(`peer: skipped — ${typeof one === 'string' ? one : dflt}`);
  console.log('');
  const head = [pad('benchmark', 46), pad('unit', 8), pad('spikeport', 10, true)];
  if (peers.length === 2) head.push(pad('torch 1T', 10, true), pad('torch def', 10, true), pad('sp/1T', 7, true), pad('sp/def', 7, true));
  console.log(head.join('  '));
  console.log('-'.repeat(head.join('  ').length));
  BENCHES.forEach((b, i) => {
    const mine = rate(b, ours[i]);
    const row = [pad(b.name, 46), pad(b.unit, 8), pad(f(mine), 10, true)];
    if (peers.length === 2) {
      const t1 = rate(b, (one as PeerResult).times[i]), tn = rate(b, (dflt as PeerResult).times[i]);
      row.push(pad(f(t1), 10, true), pad(f(tn), 10, true), pad((mine / t1).toFixed(2), 7, true), pad((mine / tn).toFixed(2), 7, true));
    }
    console.log(row.join('  '));
  });
  console.log('');
  console.log('ratio = spikeport rate / torch rate (1.00 = as fast as torch; higher is better for spikeport)');
  console.log(`timed on ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine skews both columns)`);
}

main();

