/**
 * bm.jitconn throughput against scipy.sparse CSR matvec, measured in the same run.
 *
 *   npm run bench -- brainpy_jitconn            (< 1 min; scipy from /usr/bin/python3 if importable:
 *                                                apt-get install -y python3-scipy)
 *
 * Cases: 4000 x 4000 with p = 0.02 and 40000 x 40000 with p = 0.002, 2 % of the inputs active (a 0/1 float vector for
 * mv_prob_homo, a bool vector for event_mv_prob_homo). "Synaptic events" are the (active input, connection) pairs
 * delivered: the sum of event_mv_prob_homo(spikes, 1.0). Events/s = that count / median wall time of one call.
 * scipy multiplies an equivalent random CSR matrix (the same shape and expected number of connections, built
 * beforehand and not timed) by the same kind of 0/1 float32 vector; its events are counted the same way.
 * The JIT product needs no stored matrix (scipy's CSR holds nnz x 8 bytes + the row pointers): spikeport generates a
 * line (row or column) from the seed once and reads it back from a line cache after that, within a global budget
 * (jitconn_walk.ts; era B, one stream for all lines, is regenerated every call), so the median calls here read cached
 * lines. The gather form (BrainPy's default, outdim_parallel=true) still visits every connection of every output row;
 * the scatter form (outdim_parallel=false) visits only the lines of the active inputs.
 */
import { spawnSync } from 'child_process';
import * as torch from '../src/torch/index';
import * as jitconn from '../src/brainpy/math/jitconn';
import { NumpyMT19937 } from '../src/brainpy/math/jitconn_rng';

const ACTIVE = 0.02;
const SEED = 1234;
const CASES = [{ N: 4000, p: 0.02, reps: 15 }, { N: 40000, p: 0.002, reps: 7 }];

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(fn: () => unknown, reps: number): number {
  const w0 = performance.now(); // warm-up until optimised: at least 10 calls and 150 ms
  for (let i = 0; i < 10 || performance.now() - w0 < 150; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts) / 1e3;
}

interface ScipyResult { nnz: number; events: number; seconds: number; version: string }

const SCIPY = `
import json, sys, time
import numpy as np, scipy, scipy.sparse as sp
N, p, active, reps = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(7)
counts = rng.binomial(N, p, size=N)
indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
nnz = int(indptr[-1])
indices = rng.integers(0, N, size=nnz, dtype=np.int32)
A = sp.csr_matrix((np.full(nnz, 0.5, np.float32), indices, indptr), shape=(N, N))
A.sort_indices()
v = (rng.random(N) < active).astype(np.float32)
ones = sp.csr_matrix((np.ones(nnz, np.float32), A.indices, A.indptr), shape=(N, N))
events = float((ones @ v).sum())
for _ in range(3): A @ v
ts = []
for _ in range(reps):
    t0 = time.perf_counter(); A @ v; ts.append(time.perf_counter() - t0)
print(json.dumps({"nnz": nnz, "events": events, "seconds": float(np.median(ts)), "version": scipy.__version__}))
`;

function scipyBench(N: number, p: number, reps: number): ScipyResult | string {
  const py = '/usr/bin/python3';
  const r = spawnSync(py, ['-c', SCIPY, String(N), String(p), String(ACTIVE), String(reps * 3)], { encoding: 'utf8', timeout: 60000 });
  if (r.error) return `could not run ${py}: ${r.error.message}`;
  if (r.status !== 0) return /No module named/.test(r.stderr) ? 'scipy is not importable (apt-get install -y python3-scipy)' : `python failed: ${r.stderr.trim().split('\n').pop()}`;
  return JSON.parse(r.stdout) as ScipyResult;
}

const fmt = (x: number): string => (x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : `${(x / 1e3).toFixed(1)} k`);

function main(): void {
  console.log(`bm.jitconn vs scipy.sparse CSR matvec — ${ACTIVE * 100}% active inputs, seed ${SEED}, default rng '${jitconn.get_default_rng()}' (brainevent 0.0.6-0.1.2)`);
  for (const { N, p, reps } of CASES) {
    const rng = new NumpyMT19937(99);
    const spikes = new Uint8Array(N);
    const v = new Float32Array(N);
    for (let i = 0; i < N; i++) if (rng.random() < ACTIVE) { spikes[i] = 1; v[i] = 1; }
    const st = torch.Tensor.fromBuffer(spikes, [N], 'bool');
    const vt = torch.from_typed_array(v);
    const shape = [N, N];
    const events = jitconn.event_mv_prob_homo(st, 1, p, SEED, { shape }).sum().item();
    const nnzExpected = N * N * (2 / jitconn.conn_length(p));
    console.log(`\n${N} x ${N}, p = ${p}: ${spikes.reduce((a, b) => a + b, 0)} active inputs, ${events} synaptic events (of ~${fmt(nnzExpected)} connections)`);

    const rows: [string, () => unknown][] = [
      ['mv_prob_homo          outdim_parallel=true  (gather, default)', () => jitconn.mv_prob_homo(vt, 0.5, p, SEED, { shape })],
      ['mv_prob_homo          outdim_parallel=false (scatter)', () => jitconn.mv_prob_homo(vt, 0.5, p, SEED, { shape, outdim_parallel: false })],
      ['event_mv_prob_homo    outdim_parallel=true  (gather, default)', () => jitconn.event_mv_prob_homo(st, 0.5, p, SEED, { shape })],
      ['event_mv_prob_homo    outdim_parallel=false (scatter)', () => jitconn.event_mv_prob_homo(st, 0.5, p, SEED, { shape, outdim_parallel: false })],
    ];
    if (N <= 4000) {
      rows.push(['mv_prob_homo rng=mt19937-b (era B, gather)', () => jitconn.mv_prob_homo(vt, 0.5, p, SEED, { shape, rng: 'mt19937-b' })]);
      rows.push(['mv_prob_homo rng=light-d   (era D, gather)', () => jitconn.mv_prob_homo(vt, 0.5, p, SEED, { shape, rng: 'light-d' })]);
    }
    const sc = scipyBench(N, p, reps);
    const scipyRate = typeof sc === 'string' ? null : sc.events / sc.seconds;
    if (typeof sc === 'string') console.log(`  scipy: ${sc}`);
    else console.log(`  ${'scipy ' + sc.version + ' CSR @ v (float32, nnz ' + sc.nnz + ')'}`.padEnd(66) + `${(sc.seconds * 1e3).toFixed(3).padStart(9)} ms  ${fmt(scipyRate!).padStart(9)} events/s`);
    for (const [name, fn] of rows) {
      const s = time(fn, reps);
      const rate = events / s;
      const ratio = scipyRate ? `  ${(rate / scipyRate).toFixed(2)}x scipy` : '';
      console.log(`  ${name.padEnd(64)}${(s * 1e3).toFixed(3).padStart(9)} ms  ${fmt(rate).padStart(9)} events/s${ratio}`);
    }
  }
}

main();
