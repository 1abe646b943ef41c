/**
 * BrainPy sparse-layer benchmark: spikeport's bp.dnn.EventCSRLinear and bp.dnn.EventJitFPHomoLinear forward passes
 * vs scipy.sparse CSR matvec, in the same run.   `npm run bench -- brainpy`   (about a minute)
 *
 * Sizes: 4000 × 4000 with p = 0.02 and 40 000 × 40 000 with p = 0.002 (80 connections per neuron in both), inputs
 * with 2 % of the neurons spiking (a fixed random set, bool spikes).
 *
 * - EventCSRLinear(conn, weight=0.6): conn is bp.conn.FixedProb(p, pre=N, post=N, seed) for N = 4000 (BrainPy's
 *   exact fixed out-degree graph). For N = 40 000 FixedProb's numpy-exact construction (a full permutation of 40 000
 *   per row, 1.6·10⁹ draws) would dominate the run, so the bench builds the same kind of graph (fixed out-degree
 *   round(N·p), distinct targets, unsorted) with a bench-local connector and a xorshift generator.
 * - EventJitFPHomoLinear(N, N, p, weight=0.6, seed): BrainPy's defaults (atomic=True → outdim_parallel=False, the
 *   scatter walk that skips silent inputs); the connectivity is regenerated from the seed on every call.
 * - scipy: the same CSR matrix (indices, indptr, data) and the same input vector as float64 0/1 (scipy has no event
 *   form), timed as `x @ M` (the operation EventCSRLinear computes; scipy runs it as a CSC matvec over all nnz), as
 *   `Mt @ x` with Mt = M.T.tocsr() built beforehand (scipy's fastest dense-vector form), and as
 *   `csr_matrix(x) @ M` (the input made sparse inside the timed call, so only active rows are touched: the closest
 *   scipy has to an event product). scipy runs in /usr/bin/python3 (`apt-get install -y python3-scipy`); without it
 *   the ratio columns say n/a.
 *
 * - CSRLinear(conn, 0.6) on the same CSR with a float32 input (every stored entry multiplied: what a vanilla or an
 *   align-pre projection computes each step), with WebAssembly kernels (the default) and with the JS kernel
 *   (set_snn_backend('js')), vs scipy's `xf @ M` and `Mt @ xf` on the same vector in float64 (scipy's native dtype).
 *
 * Synaptic events per call = the connections leaving active inputs, counted exactly (the forward pass of the same
 * layer with weight 1, summed). events/s = events / time per call; ratio = spikeport events/s ÷ scipy events/s
 * for the same size (the JIT layer's random matrix differs from the CSR one but has the same size and density).
 * Each time is the median of repeated calls after a warm-up.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bp, bm } from '../src/brainpy/index';
import * as torch from '../src/torch/index';
import { set_snn_backend } from '../src/index';

type Tensor = torch.Tensor;

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median seconds per call of f (warm-up, then repeats until ~budget seconds or maxReps calls). */
function timeIt(f: () => unknown, budget = 1.5, maxReps = 2000): number {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  const t0 = performance.now();
  while (ts.length < 5 || (performance.now() - t0 < budget * 1000 && ts.length < maxReps)) {
    const s = performance.now();
    f();
    ts.push((performance.now() - s) / 1000);
  }
  return median(ts);
}

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** Fixed out-degree k, distinct targets per row in draw order (FixedProb's structure), from a xorshift stream. */
class BenchFixedOutDegree extends bp.connect.TwoEndConnector {
  constructor(private readonly k: number, n: number, private readonly seed: number) { super(n, n); }

  override build_csr(): [Int32Array, Int32Array] {
    const n = this.pre_num!, m = this.post_num!, k = this.k;
    const rnd = xorshift(this.seed);
    const indices = new Int32Array(n * k);
    const indptr = new Int32Array(n + 1);
    const seen = new Uint8Array(m);
    for (let i = 0; i < n; i++) {
      const row = indices.subarray(i * k, (i + 1) * k);
      for (let c = 0; c < k;) {
        const j = Math.floor(rnd() * m);
        if (seen[j]) continue;
        seen[j] = 1;
        row[c++] = j;
      }
      for (const j of row) seen[j] = 0;
      indptr[i + 1] = (i + 1) * k;
    }
    return [indices, indptr];
  }
}

function activeSpikes(n: number, frac: number, seed: number): Tensor {
  const rnd = xorshift(seed);
  const a = new Uint8Array(n);
  const want = Math.round(n * frac);
  for (let c = 0; c < want;) {
    const i = Math.floor(rnd() * n);
    if (!a[i]) { a[i] = 1; c++; }
  }
  return torch.from_typed_array(a, [n]).to('bool');
}

const PY = String.raw`
import json, sys, time
import numpy as np
try:
    import scipy.sparse as sp
except Exception as e:
    print(json.dumps({"error": "scipy not importable: %s" % e})); sys.exit(0)
d = sys.argv[1]
out = {}
for case in json.loads(sys.argv[2]):
    n, tag = case["n"], case["tag"]
    indices = np.fromfile(f"{d}/{tag}_indices.bin", dtype=np.int32)
    indptr = np.fromfile(f"{d}/{tag}_indptr.bin", dtype=np.int32)
    x = np.fromfile(f"{d}/{tag}_x.bin", dtype=np.uint8).astype(np.float64)
    xf = np.fromfile(f"{d}/{tag}_xf.bin", dtype=np.float32).astype(np.float64)
    M = sp.csr_matrix((np.full(indices.size, 0.6), indices, indptr), shape=(n, n))
    Mt = M.T.tocsr()
    def timeit(f, budget=1.5):
        for _ in range(3): f()
        ts = []; t0 = time.perf_counter()
        while len(ts) < 5 or (time.perf_counter() - t0 < budget and len(ts) < 2000):
            s = time.perf_counter(); f(); ts.append(time.perf_counter() - s)
        return float(np.median(ts))
    y = x @ M
    out[tag] = {"x_at_M": timeit(lambda: x @ M), "Mt_at_x": timeit(lambda: Mt @ x),
                "xs_at_M": timeit(lambda: sp.csr_matrix(x) @ M), "check": float(y.sum()),
                "xf_at_M": timeit(lambda: xf @ M), "Mt_at_xf": timeit(lambda: Mt @ xf), "check_f": float((xf @ M).sum())}
print(json.dumps(out))
`;

interface Row { label: string; n: number; events: number; seconds: number; tag: string }
type Peer = Record<string, { x_at_M: number; Mt_at_x: number; xs_at_M: number; check: number; xf_at_M: number; Mt_at_xf: number; check_f: number }>;
interface FloatRow { n: number; p: number; tag: string; nnz: number; wasm: number; js: number }

function main(): void {
  const cases = [
    { n: 4000, p: 0.02, tag: 'n4000' },
    { n: 40000, p: 0.002, tag: 'n40000' },
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spikeport-bench-brainpy-'));
  const rows: Row[] = [];
  const checks: Record<string, number> = {}, checksF: Record<string, number> = {};
  const frows: FloatRow[] = [];
  try {
    for (const { n, p, tag } of cases) {
      const k = Math.round(n * p);
      const x = activeSpikes(n, 0.02, 7 + n);
      let t0 = performance.now();
      const conn = n <= 4000 ? new bp.conn.FixedProb(p, { pre: n, post: n, seed: 2024 }) : new BenchFixedOutDegree(k, n, 2024);
      const csr = new bp.dnn.EventCSRLinear(conn, 0.6);
      const build = (performance.now() - t0) / 1000;
      const ones = new bp.dnn.EventCSRLinear(conn, 1.0);
      // the layer keeps the structure it required; hand the same arrays to the weight-1 twin and to scipy
      ones.indices = csr.indices;
      ones.indptr = csr.indptr;
      const csrEvents = torch.no_grad(() => ones.call(x).sum().item());
      checks[tag] = torch.no_grad(() => csr.call(x).to('float64').sum().item());
      writeFileSync(path.join(dir, `${tag}_indices.bin`), Buffer.from((csr.indices.contiguous().toTypedArray() as Int32Array).buffer));
      writeFileSync(path.join(dir, `${tag}_indptr.bin`), Buffer.from((csr.indptr.contiguous().toTypedArray() as Int32Array).buffer));
      writeFileSync(path.join(dir, `${tag}_x.bin`), Buffer.from((x.contiguous().toTypedArray() as Uint8Array).buffer));
      const tCsr = timeIt(() => torch.no_grad(() => csr.call(x)));
      rows.push({ label: `EventCSRLinear      ${n}×${n} p=${p}`, n, events: csrEvents, seconds: tCsr, tag });
      console.log(`  built ${n}×${n} CSR (${conn.constructor.name}, nnz ${csr.indices.shape[0]}) in ${build.toFixed(2)} s`);

      t0 = performance.now();
      const jit = new bp.dnn.EventJitFPHomoLinear(n, n, p, 0.6, { seed: 2024 });
      const jitOnes = new bp.dnn.EventJitFPHomoLinear(n, n, p, 1.0, { seed: 2024 });
      const jitEvents = torch.no_grad(() => jitOnes.call(x).sum().item());
      const tJit = timeIt(() => torch.no_grad(() => jit.call(x)));
      rows.push({ label: `EventJitFPHomoLinear ${n}×${n} p=${p}`, n, events: jitEvents, seconds: tJit, tag });

      // float products on the same CSR: WebAssembly kernels, then the JS kernel
      torch.manual_seed(n);
      const xf = torch.randn([n]);
      writeFileSync(path.join(dir, `${tag}_xf.bin`), Buffer.from((xf.contiguous().toTypedArray() as Float32Array).buffer));
      const lin = new bp.dnn.CSRLinear(conn, 0.6);
      lin.indices = csr.indices;
      lin.indptr = csr.indptr;
      checksF[tag] = torch.no_grad(() => lin.call(xf).to('float64').sum().item());
      const wasm = timeIt(() => torch.no_grad(() => lin.call(xf)));
      set_snn_backend('js');
      let js: number;
      try { js = timeIt(() => torch.no_grad(() => lin.call(xf))); } finally { set_snn_backend('auto'); }
      frows.push({ n, p, tag, nnz: csr.indices.shape[0], wasm, js });
    }

    const r = spawnSync('/usr/bin/python3', ['-c', PY, dir, JSON.stringify(cases)], { encoding: 'utf8', timeout: 300_000 });
    let peer: Peer | null = null;
    let note = '';
    if (r.status === 0 && r.stdout.trim()) {
      const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!);
      if (parsed.error) note = parsed.error; else peer = parsed;
    } else note = `python failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;

    console.log(`\nbm mode ${bm.get_mode()}; node ${process.version}; ${os.cpus()[0]?.model ?? 'cpu'}; inputs: 2 % active (bool)`);
    if (peer) {
      for (const { tag } of cases) {
        const rel = Math.abs(peer[tag].check - checks[tag]) / Math.max(1, Math.abs(checks[tag]));
        if (rel > 1e-5) throw new Error(`bench/brainpy: scipy and spikeport disagree on ${tag}: ${peer[tag].check} vs ${checks[tag]}`);
        // float32 sums against scipy's float64 ones: relative to the sum of magnitudes, which is ~nnz·0.6·0.8
        const relF = Math.abs(peer[tag].check_f - checksF[tag]) / (frows.find((f) => f.tag === tag)!.nnz * 0.6);
        if (relF > 1e-5) throw new Error(`bench/brainpy: scipy and CSRLinear disagree on ${tag} (float input): ${peer[tag].check_f} vs ${checksF[tag]}`);
      }
    } else console.log(`scipy: ${note}; ratio columns n/a (apt-get install -y python3-scipy)`);
    const pad = (s: string, w: number) => s.padEnd(w);
    console.log(`\n${pad('spikeport layer forward', 42)}${pad('events/call', 13)}${pad('µs/call', 10)}Mevents/s`);
    for (const row of rows) {
      console.log(`${pad(row.label, 42)}${pad(String(row.events), 13)}${pad((row.seconds * 1e6).toFixed(1), 10)}${(row.events / row.seconds / 1e6).toFixed(1)}`);
    }
    if (peer) {
      const forms = [['x_at_M', 'x @ M'], ['Mt_at_x', 'Mt @ x'], ['xs_at_M', 'csr_matrix(x) @ M']] as const;
      console.log(`\n${pad('scipy.sparse (same CSR, same input)', 42)}${pad('events/call', 13)}${pad('µs/call', 10)}Mevents/s`);
      for (const { n, p, tag } of cases) {
        const ev = rows.find((r) => r.tag === tag && r.label.startsWith('EventCSR'))!.events;
        for (const [k, name] of forms) {
          const t = peer[tag][k];
          console.log(`${pad(`${name} ${n}×${n} p=${p}`, 42)}${pad(String(ev), 13)}${pad((t * 1e6).toFixed(1), 10)}${(ev / t / 1e6).toFixed(1)}`);
        }
      }
      console.log(`\n${pad('ratio: spikeport events/s ÷ scipy events/s', 46)}${forms.map(([, name]) => pad(`vs ${name}`, 24)).join('')}`);
      for (const row of rows) {
        const eps = row.events / row.seconds;
        const ev = rows.find((r) => r.tag === row.tag && r.label.startsWith('EventCSR'))!.events;
        console.log(`${pad(row.label, 46)}${forms.map(([k]) => pad(`${(eps / (ev / peer![row.tag][k])).toFixed(2)}×`, 24)).join('')}`);
      }
      console.log('(x @ M and Mt @ x multiply every stored entry; the event layers and csr_matrix(x) @ M touch only active rows.');
      console.log(' The JIT layer regenerates its own random matrix of the same size and density on every call.)');
    }
    console.log(`\n${pad('float input (every stored entry)', 42)}${pad('entries', 11)}${pad('µs/call', 10)}${peer ? 'scipy ÷ spikeport time: vs xf @ M, vs Mt @ xf' : ''}`);
    for (const f of frows) {
      for (const [name, t] of [['CSRLinear (wasm)', f.wasm], ['CSRLinear (js kernel)', f.js]] as const) {
        const ratio = peer ? `${(peer[f.tag].xf_at_M / t).toFixed(2)}×, ${(peer[f.tag].Mt_at_xf / t).toFixed(2)}×` : '';
        console.log(`${pad(`${name} ${f.n}×${f.n} p=${f.p}`, 42)}${pad(String(f.nnz), 11)}${pad((t * 1e6).toFixed(1), 10)}${ratio}`);
      }
      if (peer) {
        for (const [k, name] of [['xf_at_M', 'scipy xf @ M'], ['Mt_at_xf', 'scipy Mt @ xf']] as const) {
          console.log(`${pad(`${name} ${f.n}×${f.n} p=${f.p}`, 42)}${pad(String(f.nnz), 11)}${(peer[f.tag][k] * 1e6).toFixed(1)}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
