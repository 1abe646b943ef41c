/**
 * COBA E/I network benchmark: spikeport's EINet (examples/brainpy/einet.ts, the HalfProjAlignPostMg form: LifRef,
 * EventJitFPHomoLinear, Expon + COBA) vs Brian2 (compat/brian2_coba.py, the same model with Brian2's own connectivity
 * realisation), both single-threaded, in the same run.
 *
 *   npx tsx bench/coba.ts            # 4000 neurons × 5 s and 40 000 neurons × 1 s (a few minutes)
 *   npx tsx bench/coba.ts --quick    # 4000 neurons × 0.5 s
 *
 * Cases: N = 4000 (3200 E + 800 I), p = 0.02; N = 40 000 (32 000 E + 8000 I), p = 0.002 (≈ 80 inputs per neuron in
 * both); weights 0.6 / 6.7, Expon τ 5 / 10 ms, COBA E 0 / −80 mV, input 20, dt 0.1 ms (the seed's parameters).
 *
 * Brian2 runs as `/usr/bin/python3 compat/brian2_coba.py --target cpp_standalone …` (openmp_threads = 0); if that
 * fails the bench falls back to cython, then runtime (numpy), and says which target ran. Brian2's run time is the
 * main-loop time measured inside the simulation; its code generation + compilation + initialisation time is
 * reported separately ("build"), as are Python/Brian2 import and network setup. spikeport's time is the wall time of
 * the step loop (including recording the spikes, needed for the CV) after a 100 ms warm-up run of the same network
 * (V8's JIT tier-up, reported apart like Brian2's build); network construction is reported separately. The same run
 * is then repeated with the plain-JS kernels (set_snn_backend('js')), which must give the same spike count.
 *
 * Published anchor (BrainPy paper, eLife 2023, fig. 8, COBA 4000 neurons, 5 s, CPU): BrainPy 0.89 s vs Brian2 2.69 s,
 * Brian2 / BrainPy = 3.0. "speed-up" below is Brian2 run time / spikeport run time (> 1: spikeport faster).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { runEINet } from '../examples/brainpy/einet';
import { set_snn_backend, snn_backend } from '../src/index';

interface Case { label: string; ne: number; ni: number; prob: number; duration_ms: number }

interface Brian2Result {
  target: string; build_time_s: number; run_time_s: number; setup_time_s: number; import_time_s: number;
  total_time_s: number; spike_count: number; mean_rate_hz: number; cv_isi: number | null; cv_isi_neurons: number;
  brian2_version: string; synapses_e: number; synapses_i: number;
}

function runBrian2(c: Case, seed: number): { r: Brian2Result | null; tried: string[]; wall_s: number } {
  const tried: string[] = [];
  for (const target of ['cpp_standalone', 'cython', 'runtime']) {
    const args = ['compat/brian2_coba.py', '--duration-ms', String(c.duration_ms), '--N', String(c.ne + c.ni), '--prob', String(c.prob), '--target', target, '--seed', String(seed)];
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

function fmt(x: number | null | undefined, d = 2): string {
  return x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d);
}

function main(argv: string[]): void {
  const quick = argv.includes('--quick');
  const seed = 42;
  const cases: Case[] = quick
    ? [{ label: '4000 neurons, 0.5 s', ne: 3200, ni: 800, prob: 0.02, duration_ms: 500 }]
    : [
      { label: '4000 neurons, 5 s', ne: 3200, ni: 800, prob: 0.02, duration_ms: 5000 },
      { label: '40 000 neurons, 1 s', ne: 32000, ni: 8000, prob: 0.002, duration_ms: 1000 },
    ];
  console.log(`COBA E/I benchmark${quick ? ' (--quick)' : ''}: spikeport EINet (half form) vs Brian2, single-threaded, dt 0.1 ms, seed ${seed}`);
  console.log(`machine: ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
  console.log('published anchor (BrainPy eLife 2023, 4000 neurons, 5 s, CPU): BrainPy 0.89 s vs Brian2 2.69 s, Brian2/BrainPy = 3.0');
  const rows: string[] = [];
  for (const c of cases) {
    const n = c.ne + c.ni, dur_s = c.duration_ms / 1000;
    console.log(`\n== ${c.label} (p = ${c.prob}, ~${Math.round(n * c.prob)} inputs per neuron) ==`);
    // warm-up: V8 compiles the step functions on their first ~thousand calls (Brian2's code generation and build are
    // likewise reported apart from its run time); 100 ms of the same network, another seed
    const w0 = performance.now();
    runEINet('half', 100, { ne: c.ne, ni: c.ni, prob: c.prob, seed: seed + 1000 });
    console.log(`  spikeport warm-up (JIT tier-up, 100 ms simulated): ${fmt((performance.now() - w0) / 1000, 3)} s`);
    // spikeport (construction time = whole call minus the step loop)
    const t0 = performance.now();
    const sp = runEINet('half', c.duration_ms, { ne: c.ne, ni: c.ni, prob: c.prob, seed, record_spikes: true });
    const sp_total_s = (performance.now() - t0) / 1000, sp_run_s = sp.wall_ms / 1000;
    console.log(`  spikeport (${snn_backend()} kernels): run ${fmt(sp_run_s, 3)} s (${fmt(sp.ms_per_sim_s, 0)} ms per simulated s), setup+CV ${fmt(sp_total_s - sp_run_s, 3)} s; ` +
      `${sp.spikes} spikes, ${fmt(sp.rate_hz)} Hz, CV ${fmt(sp.cv_isi ?? null, 3)} (${sp.cv_isi_neurons} neurons)`);
    // the plain-JS kernels (browsers without WebAssembly SIMD, strict CSP): same spikes, bit for bit
    set_snn_backend('js');
    const js = runEINet('half', c.duration_ms, { ne: c.ne, ni: c.ni, prob: c.prob, seed });
    set_snn_backend('auto');
    console.log(`  spikeport (js kernels): run ${fmt(js.wall_ms / 1000, 3)} s; ${js.spikes} spikes${js.spikes === sp.spikes ? ' (identical count)' : ' (DIFFERENT count: a bug)'}`);
    // Brian2
    const b = runBrian2(c, seed);
    if (!b.r) {
      console.log(`  Brian2: no target ran (${b.tried.join('; ')})`);
      rows.push(`${c.label.padEnd(22)} spikeport ${fmt(sp_run_s, 3).padStart(8)} s (js ${fmt(js.wall_ms / 1000, 3)} s)  ${fmt(sp.rate_hz).padStart(6)} Hz  CV ${fmt(sp.cv_isi ?? null, 3)} | Brian2 n/a`);
      continue;
    }
    const r = b.r;
    console.log(`  Brian2 ${r.brian2_version} (${r.target}${b.tried.length ? `; fallback after: ${b.tried.join('; ')}` : ''}): run ${fmt(r.run_time_s, 3)} s (${fmt(r.run_time_s / dur_s * 1000, 0)} ms per simulated s); ` +
      `code generation + build ${fmt(r.build_time_s, 2)} s, import ${fmt(r.import_time_s, 2)} s, setup ${fmt(r.setup_time_s, 2)} s (process wall ${fmt(b.wall_s, 1)} s); ` +
      `${r.spike_count} spikes, ${fmt(r.mean_rate_hz)} Hz, CV ${fmt(r.cv_isi, 3)} (${r.cv_isi_neurons} neurons); synapses ${r.synapses_e + r.synapses_i}`);
    const ratio = sp_run_s / r.run_time_s;
    console.log(`  spikeport / Brian2 run time = ${fmt(ratio, 2)} (Brian2 / spikeport = ${fmt(1 / ratio, 3)}; anchor Brian2 / BrainPy = 3.0)`);
    rows.push(`${c.label.padEnd(22)} spikeport ${fmt(sp_run_s, 3).padStart(8)} s  ${String(sp.spikes).padStart(8)} spk  ${fmt(sp.rate_hz).padStart(6)} Hz  CV ${fmt(sp.cv_isi ?? null, 3)} | ` +
      `Brian2[${r.target}] ${fmt(r.run_time_s, 3).padStart(7)} s (+build ${fmt(r.build_time_s, 1)} s)  ${String(r.spike_count).padStart(8)} spk  ${fmt(r.mean_rate_hz).padStart(6)} Hz  CV ${fmt(r.cv_isi, 3)} | ` +
      `spikeport/Brian2 ${fmt(ratio, 2)}× (js kernels ${fmt(js.wall_ms / 1000 / r.run_time_s, 2)}×)`);
  }
  console.log('\nsummary:');
  for (const row of rows) console.log('  ' + row);
}

main(process.argv.slice(2));
