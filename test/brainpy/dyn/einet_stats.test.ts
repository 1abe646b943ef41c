/**
 * Statistics of the BrainPy COBA EINet (examples/brainpy/einet.ts, 4000 neurons, 1 s) against Brian2's.
 *
 * Reference: fixtures/brian2/coba_4000_1s_seeds.json, written by compat/brian2_coba_seeds.py: the same network in
 * Brian2 2.5.1 (compat/brian2_coba.py, cpp_standalone, exponential_euler, Bernoulli(0.02) synapses) for seeds 1–8,
 * 1 s each: rate 21.66 ± 1.20 Hz, mean ISI CV 1.580 ± 0.030 (mean ± sample std over seeds). Brian2 is
 * deterministic for a seed (seed 42 reproduces fixtures/brian2/coba_4000_1s.json exactly; `--check` reruns).
 *
 * Statistic: the mean over 3 spikeport seeds (1, 2, 3; not chosen) of the rate and of the CV, per form, must lie in
 * Brian2's mean ± 3·std. Why 3: if spikeport's seeds were draws from Brian2's seed distribution, the difference of
 * a 3-seed mean and the 8-seed mean would have sd σ·√(1/3 + 1/8) = 0.68σ, so 3σ is 4.4 sd; we spend part of that on
 * differences that are real but small: spikeport draws BrainPy's JIT connectivity (a different realisation, same
 * Bernoulli(0.02) statistics) and integrates as BrainPy does (LifRef with the current frozen over the step, Mg
 * projections decay-then-add, `t − t_last <= 5` refractoriness in float32) where Brian2 integrates v with the total
 * conductance. Measured over 11 seeds (1–8, 42–44) here: half 21.03 ± 0.70 Hz, CV 1.552 ± 0.030; full
 * 21.4 ± 1.0 Hz, CV 1.561 ± 0.043, i.e. offsets ≤ 0.9σ, leaving ≥ 3 sd of the mean difference. (The 3-seed means:
 * half 21.2 Hz / 1.552, full 22.1 Hz / 1.577.) A single seed is not held to that band (full seed 1 has CV 1.487,
 * 3.1σ below), only to the coarse envelope below.
 *
 * Literature envelope (sanity only): Brette et al. 2007 (J Comput Neurosci 23:349, benchmark 1 "COBA") and Vogels &
 * Abbott 2005 (J Neurosci 25:10786) describe this network's activity as asynchronous and irregular, at rates of a
 * few to a few tens of Hz. Their networks are driven differently (no tonic 20 mV input, self-sustained after an
 * initial kick), so no exact number transfers, and the papers' figures could not be consulted here; per seed we
 * only require 5–40 Hz (as test/brainpy/dyn/einet.test.ts) and an irregular CV in 1–2.5 (above 1: the 1 s run
 * includes the synchronous start from V0 ~ N(−55, 2); the tonic, synapse-free regime would give CV ≈ 0).
 *
 * Statistical bounds only: the simulation kernels are being rewritten, which may change spike trains by float
 * rounding; no spike count is asserted exactly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runEINet, type EINetForm } from '../../../examples/brainpy/einet';

jest.setTimeout(120000);

interface SeedStats { rate_hz: { mean: number; std: number }; cv_isi: { mean: number; std: number }; N: number; duration_ms: number; per_seed: { seed: number }[] }
const fixture: SeedStats = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/brian2/coba_4000_1s_seeds.json'), 'utf8'));
const SEEDS = [1, 2, 3];
const K = 3;

describe('Brian2 seed fixture', () => {
  test('8 seeds, 4000 neurons, 1 s, sane spread', () => {
    expect(fixture.N).toBe(4000);
    expect(fixture.duration_ms).toBe(1000);
    expect(fixture.per_seed.length).toBe(8);
    expect(fixture.rate_hz.std).toBeGreaterThan(0);
    expect(fixture.rate_hz.std).toBeLessThan(0.1 * fixture.rate_hz.mean);
    expect(fixture.cv_isi.std).toBeGreaterThan(0);
    expect(fixture.cv_isi.std).toBeLessThan(0.1 * fixture.cv_isi.mean);
  });
});

describe.each(['half', 'full'] as EINetForm[])('EINet (%s form), 4000 neurons, 1 s, seeds 1–3, vs Brian2', (form) => {
  test(`mean rate and mean ISI CV within Brian2's mean ± ${K}·std over seeds`, () => {
    const rates: number[] = [], cvs: number[] = [];
    for (const seed of SEEDS) {
      const r = runEINet(form, 1000, { seed, record_spikes: true });
      expect(r.rate_hz).toBeGreaterThan(5);
      expect(r.rate_hz).toBeLessThan(40);
      expect(r.cv_isi).not.toBeNull();
      expect(r.cv_isi!).toBeGreaterThan(1);
      expect(r.cv_isi!).toBeLessThan(2.5);
      expect(r.cv_isi_neurons!).toBeGreaterThan(2000);   // most neurons fire ≥ 3 times (Brian2: 3012–3231)
      rates.push(r.rate_hz);
      cvs.push(r.cv_isi!);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rate = mean(rates), cv = mean(cvs);
    expect(Math.abs(rate - fixture.rate_hz.mean)).toBeLessThan(K * fixture.rate_hz.std);
    expect(Math.abs(cv - fixture.cv_isi.mean)).toBeLessThan(K * fixture.cv_isi.std);
  });
});
