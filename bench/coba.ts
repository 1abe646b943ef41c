/**
 * COBA E/I network benchmark: spikeport's EINet (examples/brainpy/einet.ts, the HalfProjAlignPostMg form: LifRef,
 * EventJitFPHomoLinear, Expon + COBA) vs Brian2 (compat/brian2_coba.py, the same model with Brian2's own connectivity
 * realisation), both single-threaded, in the same run.
 *
 *   npm run bench -- coba                # 4000 neurons × 5 s and 40 000 neurons × 1 s (several minutes)
 *   npm run bench -- coba --quick        # 4000 neurons × 0.5 s
 *   npm run bench -- coba --repeats 9    # timed runs per side (default 5, 3 with --quick)
 *   npm run bench -- coba --kernels      # also one run timing each WebAssembly kernel call (the rest of a step is JS)
 *   npm run bench -- coba --blocks       # also one run timed in blocks of 250 steps: the spread of µs per step within a run
 *   npm run bench -- coba --brainstate   # also the brainstate form at 4000 neurons (examples/brainstate/einet.ts,
 *                                        # unitless weights: the same network), once, against the same Brian2 median
 * (scripts/bench.mjs bundles this file with the library into one module, as dist/ ships it; run directly through tsx,
 * every source file is a separate module with getter imports and the step is ~1.3× slower: the bench says so.)
 *
 * Cases: N = 4000 (3200 E + 800 I), p = 0.02; N = 40 000 (32 000 E + 8000 I), p = 0.002 (≈ 80 inputs per neuron in
 * both); weights 0.6 / 6.7, Expon τ 5 / 10 ms, COBA E 0 / −80 mV, input 20, dt 0.1 ms (the seed's parameters).
 *
 * Brian2 runs as `/usr/bin/python3 compat/brian2_coba.py --target cpp_standalone …` (openmp_threads = 0); if that
 * fails the bench falls back to cython, then runtime (numpy), and says which target ran. Brian2's run time is the
 * main-loop time measured inside the simulation; its code generation + compilation + initialisation time is
 * reported separately ("build"), as are Python/Brian2 import and network setup. spikeport's time is the wall time of
 * the step loop (including recording the spikes, needed for the CV, and generating the JIT connectivity: each timed
 * run starts without line caches) after a 100 ms warm-up run of the same network with another seed (V8's JIT
 * tier-up, reported apart like Brian2's build); network construction is reported separately. Both sides run
 * `--repeats` times (default 5; Brian2 re-runs its compiled binary): a shared machine's speed varies by tens of per
 * cent from one second to the next, so medians and minima are printed and compared, never a single run. The run is
 * then repeated once with the plain-JS kernels (set_snn_backend('js')), which must give the same spike count.
 *
 * Published anchor (BrainPy paper, eLife 2023, fig. 8, COBA 4000 neurons, 5 s, CPU): BrainPy 0.89 s vs Brian2 2.69 s,
 * Brian2 / BrainPy = 3.0. "speed-up" below is Brian2 run time / spikeport run time (> 1: spikeport faster).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { EINetHalf, runEINet } from '../examples/brainpy/einet';
import { runBrainstateEINet } from '../examples/brainstate/einet';
import { bp, bm } from '../src/brainpy/index';
import { set_snn_backend, snn_backend } from '../src/index';
import { clear_line_caches } from '../src/brainpy/math/jitconn_walk';
import { SnnArena } from '../src/core/kernels/snn';

interface Case { label: string; ne: number; ni: number; prob: number; duration_ms: number }

interface Brian2Result {
  target: string; build_time_s: number; run_time_s: number; build_dir: string | null; run_cmd: string[]; setup_time_s: number; import_time_s: number;
  total_time_s: number; spike_count: number; mean_rate_hz: number; cv_isi: number | null; cv_isi_neurons: number;
  brian2_version: string; synapses_e: number; synapses_i: number;
}

function runBrian2(c: Case, seed: number): { r: Brian2Result | null; tried: string[]; wall_s: number } {
  const tried: string[] = [];
  for (const target of ['cpp_standalone', 'cython', 'runtime']) {
    const args = ['compat/brian2_coba.py', '--duration-ms', String(c.duration_ms), '--N', String(c.ne + c.ni), '--prob', String(c.prob), '--target', target, '--seed', String(seed), '--keep-build'];
    const t0 = performance.now();
    const p = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 30 * 60_000 });
    const wall_s = (performance.now() - t0) / 1000;
    const out = p.stdout ?? '';
    const start = out.indexOf('\n{') >= 0 ? out.indexOf('\n{') + 1 : out.indexOf('{');
    if (p.status === 0 && start >= 0) {
      try {
        const r = JSON.parse(out.slice(start)) as Brian2Result;
        return { r, tried, wall_s };
      } catch { /* fall through */ }
    }
    const why = p.error ? String(p.error) : `exit ${p.status}: ${(p.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
    tried.push(`${target} failed (${why})`);
    console.log(`  Brian2 --target ${target} failed: ${why}; trying the next target`);
  }
  return { r: null, tried, wall_s: 0 };
}

/** One more run of Brian2's compiled simulation (same network and seed): its main-loop time, measured inside the binary. */
function rerunBrian2(r: Brian2Result): number {
  const p = spawnSync(r.run_cmd[0], r.run_cmd.slice(1), { cwd: r.build_dir!, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 30 * 60_000 });
  if (p.status !== 0) throw new Error(`bench/coba: Brian2's binary failed (exit ${p.status}): ${(p.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  const info = fs.readFileSync(path.join(r.build_dir!, 'results', 'last_run_info.txt'), 'utf8').trim().split(/\s+/);
  const t = Number(info[0]);
  if (!(t > 0) || Number(info[1]) !== 1) throw new Error(`bench/coba: unexpected results/last_run_info.txt: ${JSON.stringify(info)}`);
  return t;
}

const KERNELS = ['lif', 'lifLtc', 'condSet', 'condAcc', 'cond2Set', 'cond2Acc', 'sub', 'add', 'addClear', 'expDecay', 'addDecay', 'scatterAdd'] as const;

/**
 * µs per step spent in each SnnArena kernel call (WebAssembly plus its JS call, timed with performance.now around
 * each, which adds ~0.1 µs per call) and in the rest of the step (JavaScript), for one run of `run`.
 */
function kernelSplit(run: () => { wall_ms: number; steps: number }): string {
  const proto = SnnArena.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const orig = KERNELS.map((m) => proto[m]), spent = KERNELS.map(() => 0);
  KERNELS.forEach((m, j) => {
    proto[m] = function (this: unknown, ...a: unknown[]) { const t = performance.now(); const r = orig[j].apply(this, a); spent[j] += performance.now() - t; return r; };
  });
  let r: { wall_ms: number; steps: number };
  try { r = run(); } finally { KERNELS.forEach((m, j) => { proto[m] = orig[j]; }); }
  const us = (ms: number): string => fmt(ms / r.steps * 1000, 2);
  const total = spent.reduce((a, b) => a + b, 0);
  const parts = KERNELS.map((m, j) => [m, spent[j]] as const).filter(([, v]) => v > 0).map(([m, v]) => `${m} ${us(v)}`);
  return `${us(r.wall_ms)} µs: kernels ${us(total)} (${parts.join(', ')}), the rest ${us(r.wall_ms - total)}`;
}

/**
 * One more run of the network, timed in blocks of 250 steps (25 ms simulated): µs per step at the 10th, 50th and 90th
 * percentile of the blocks, with the spikes per step of the fastest and slowest tenth. A shared machine alternates
 * between faster and slower phases lasting tens to hundreds of milliseconds at the same network activity; this shows
 * how much of a run's time is the machine's phase rather than the work.
 */
function blockSplit(ne: number, ni: number, prob: number, duration_ms: number, seed: number): string {
  bm.set_dt(0.1); bm.clear_name_cache(); bp.share.clear_shargs();
  const net = new EINetHalf(ne, ni, seed, prob);
  const B = 250, blocks = Math.max(1, Math.floor(duration_ms / 0.1 / B));
  const rows: { us: number; spk: number }[] = [];
  let spikes = 0;
  const body = (i: number): void => { net.step_run(i, 20); spikes += bm.nonzero(net.N.spike)[0].numel(); };
  for (let k = 0; k < blocks; k++) {
    const idx = Array.from({ length: B }, (_, j) => k * B + j);
    spikes = 0;
    const t0 = performance.now();
    bm.for_loop(body, idx);
    rows.push({ us: (performance.now() - t0) / B * 1000, spk: spikes / B });
  }
  rows.sort((a, b) => a.us - b.us);
  const at = (q: number): number => rows[Math.min(rows.length - 1, Math.floor(q * rows.length))].us;
  const tenth = Math.max(1, Math.floor(rows.length / 10));
  const spk = (r: { spk: number }[]): string => fmt(r.reduce((a, b) => a + b.spk, 0) / r.length, 1);
  return `${blocks} blocks of ${B} steps: p10 ${fmt(at(0.1))}, p50 ${fmt(at(0.5))}, p90 ${fmt(at(0.9))} µs per step; ` +
    `spikes per step ${spk(rows.slice(0, tenth))} in the fastest tenth, ${spk(rows.slice(-tenth))} in the slowest`;
}

function fmt(x: number | null | undefined, d = 2): string {
  return x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d);
}

const median = (x: number[]): number => { const y = x.slice().sort((p, q) => p - q), m = y.length >> 1; return y.length % 2 ? y[m] : (y[m - 1] + y[m]) / 2; };

function main(argv: string[]): void {
  const quick = argv.includes('--quick');
  const ri = argv.indexOf('--repeats');
  const repeats = ri >= 0 ? Number(argv[ri + 1]) : quick ? 3 : 5;
  if (!Number.isInteger(repeats) || repeats < 1) { console.error('usage: coba.ts [--quick] [--repeats <n >= 1>] [--kernels] [--blocks] [--brainstate]'); process.exit(2); }
  const kernels = argv.includes('--kernels'), blocks = argv.includes('--blocks'), brainstate = argv.includes('--brainstate');
  const seed = 42;
  const cases: Case[] = quick
    ? [{ label: '4000 neurons, 0.5 s', ne: 3200, ni: 800, prob: 0.02, duration_ms: 500 }]
    : [
      { label: '4000 neurons, 5 s', ne: 3200, ni: 800, prob: 0.02, duration_ms: 5000 },
      { label: '40 000 neurons, 1 s', ne: 32000, ni: 8000, prob: 0.002, duration_ms: 1000 },
    ];
  console.log(`COBA E/I benchmark${quick ? ' (--quick)' : ''}: spikeport EINet (half form) vs Brian2, single-threaded, dt 0.1 ms, seed ${seed}, ${repeats} timed runs each`);
  console.log(`machine: ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
  if (/\.ts$/.test(process.argv[1] ?? '')) console.log('note: running from TypeScript sources (tsx), not bundled as the library ships: `npm run bench -- coba` measures what users run');
  console.log('published anchor (BrainPy eLife 2023, 4000 neurons, 5 s, CPU): BrainPy 0.89 s vs Brian2 2.69 s, Brian2/BrainPy = 3.0');
  const rows: string[] = [];
  for (const c of cases) {
    const n = c.ne + c.ni, dur_s = c.duration_ms / 1000;
    const o = { ne: c.ne, ni: c.ni, prob: c.prob };
    console.log(`\n== ${c.label} (p = ${c.prob}, ~${Math.round(n * c.prob)} inputs per neuron) ==`);
    // warm-up: V8 compiles the step functions on their first ~thousand calls (Brian2's code generation and build are
    // likewise reported apart from its run time); 100 ms of the same network, another seed
    const w0 = performance.now();
    runEINet('half', 100, { ...o, seed: seed + 1000 });
    console.log(`  spikeport warm-up (JIT tier-up, 100 ms simulated): ${fmt((performance.now() - w0) / 1000, 3)} s`);
    // Brian2: code generation, build and a first run; then its binary runs again between spikeport's runs, so that
    // both sides meet the same machine (a shared machine's speed drifts by tens of per cent over minutes)
    const b = runBrian2(c, seed);
    const r = b.r;
    if (r) {
      console.log(`  Brian2 ${r.brian2_version} (${r.target}${b.tried.length ? `; fallback after: ${b.tried.join('; ')}` : ''}): first run ${fmt(r.run_time_s, 3)} s; ` +
        `code generation + build ${fmt(r.build_time_s, 2)} s, import ${fmt(r.import_time_s, 2)} s, setup ${fmt(r.setup_time_s, 2)} s (process wall ${fmt(b.wall_s, 1)} s); ` +
        `${r.spike_count} spikes, ${fmt(r.mean_rate_hz)} Hz, CV ${fmt(r.cv_isi, 3)} (${r.cv_isi_neurons} neurons); synapses ${r.synapses_e + r.synapses_i}`);
    } else console.log(`  Brian2: no target ran (${b.tried.join('; ')})`);
    // timed runs, alternating: spikeport (each builds the network and generates its connectivity anew: the line caches
    // are dropped first), then Brian2's binary (cpp_standalone only; the other targets ran once above)
    const times: number[] = [], btimes: number[] = [];
    let sp: ReturnType<typeof runEINet> | null = null, setup_s = 0;
    try {
      for (let k = 0; k < repeats; k++) {
        clear_line_caches();
        const t0 = performance.now();
        const run = runEINet('half', c.duration_ms, { ...o, seed, record_spikes: true });
        times.push(run.wall_ms / 1000);
        if (sp === null) { sp = run; setup_s = (performance.now() - t0) / 1000 - run.wall_ms / 1000; } else if (run.spikes !== sp.spikes) throw new Error(`bench/coba: run ${k + 1} gave ${run.spikes} spikes, run 1 ${sp.spikes}: not deterministic`);
        if (r && r.build_dir) btimes.push(rerunBrian2(r));
      }
    } finally {
      if (r && r.build_dir) fs.rmSync(r.build_dir, { recursive: true, force: true });
    }
    if (r && btimes.length === 0) btimes.push(r.run_time_s);
    sp = sp!;
    const spMed = median(times), spMin = Math.min(...times);
    console.log(`  spikeport (${snn_backend()} kernels): run ${times.map((x) => fmt(x, 3)).join(' / ')} s: median ${fmt(spMed, 3)} s (${fmt(spMed / dur_s * 1000, 0)} ms per simulated s), min ${fmt(spMin, 3)} s; ` +
      `setup+CV ${fmt(setup_s, 3)} s; ${sp.spikes} spikes, ${fmt(sp.rate_hz)} Hz, CV ${fmt(sp.cv_isi ?? null, 3)} (${sp.cv_isi_neurons} neurons)`);
    // the plain-JS kernels (browsers without WebAssembly SIMD, strict CSP): same spikes, bit for bit
    set_snn_backend('js');
    const js = runEINet('half', c.duration_ms, { ...o, seed });
    set_snn_backend('auto');
    console.log(`  spikeport (js kernels): run ${fmt(js.wall_ms / 1000, 3)} s; ${js.spikes} spikes${js.spikes === sp.spikes ? ' (identical count)' : ' (DIFFERENT count: a bug)'}`);
    if (kernels) console.log(`  spikeport step, one more run: ${kernelSplit(() => runEINet('half', c.duration_ms, { ...o, seed, record_spikes: true }))}`);
    if (blocks) console.log(`  spikeport step, one more run in blocks: ${blockSplit(c.ne, c.ni, c.prob, c.duration_ms, seed)}`);
    if (!r) {
      rows.push(`${c.label.padEnd(22)} spikeport median ${fmt(spMed, 3).padStart(7)} s (js ${fmt(js.wall_ms / 1000, 3)} s)  ${fmt(sp.rate_hz).padStart(6)} Hz  CV ${fmt(sp.cv_isi ?? null, 3)} | Brian2 n/a`);
      continue;
    }
    const bMed = median(btimes), bMin = Math.min(...btimes);
    if (brainstate && n === 4000) { // the example draws conn_num 0.02 of the post group: 80 inputs only at 4000
      // brainstate 0.1.10's form of the network (LIFRef, AlignPostProj, EventFixedProb: its own connectivity draw),
      // with the BrainPy 2.x / Brian2 weights; one run after a warm-up, against Brian2's median
      runBrainstateEINet(100, { seed: seed + 1000, units: 'unitless' });
      const bs = runBrainstateEINet(c.duration_ms, { seed, units: 'unitless' });
      console.log(`  spikeport brainstate form: run ${fmt(bs.wall_ms / 1000, 3)} s (${fmt(bs.wall_ms / dur_s, 0)} ms per simulated s); ${bs.spikes} spikes, ${fmt(bs.rate_hz)} Hz; ` +
        `Brian2 / brainstate form ${fmt(bMed / (bs.wall_ms / 1000), 2)} (Brian2's median)`);
    }
    const pairs = btimes.length === times.length ? median(btimes.map((x, k) => x / times[k])) : bMed / spMed;
    console.log(`  Brian2 (${r.target}): run ${btimes.map((x) => fmt(x, 3)).join(' / ')} s: median ${fmt(bMed, 3)} s (${fmt(bMed / dur_s * 1000, 0)} ms per simulated s), min ${fmt(bMin, 3)} s`);
    console.log(`  Brian2 / spikeport: ${fmt(pairs, 3)} (median over the ${btimes.length} back-to-back pairs), ${fmt(bMed / spMed, 3)} (medians), ${fmt(bMin / spMin, 3)} (minima); anchor Brian2 / BrainPy = 3.0`);
    rows.push(`${c.label.padEnd(22)} spikeport ${fmt(spMed, 3).padStart(7)} s (min ${fmt(spMin, 3)})  ${String(sp.spikes).padStart(8)} spk  ${fmt(sp.rate_hz).padStart(6)} Hz  CV ${fmt(sp.cv_isi ?? null, 3)} | ` +
      `Brian2[${r.target}] ${fmt(bMed, 3).padStart(7)} s (min ${fmt(bMin, 3)}; +build ${fmt(r.build_time_s, 1)} s)  ${String(r.spike_count).padStart(8)} spk  ${fmt(r.mean_rate_hz).padStart(6)} Hz  CV ${fmt(r.cv_isi, 3)} | ` +
      `Brian2/spikeport ${fmt(pairs, 2)}× pairs, ${fmt(bMed / spMed, 2)}× medians, ${fmt(bMin / spMin, 2)}× minima (js kernels ${fmt(bMed / (js.wall_ms / 1000), 2)}×)`);
  }
  console.log('\nsummary (medians and minima of the timed runs; the anchor is Brian2 / BrainPy = 3.0):');
  for (const row of rows) console.log('  ' + row);
}

main(process.argv.slice(2));
