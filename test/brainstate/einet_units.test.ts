/**
 * brainstate COBA EINet (examples/brainstate/einet.ts) with upstream's brainunit physics.
 *
 * Upstream (brainstate 0.1.10 examples/103_COBA_2005.py, benchmark/COBA_2005.py) writes R = 1 Ω (LIFRef default),
 * input 20 mA, weights 0.6 / 6.7 mS, V in mV. brainunit multiplies units and converts the right operand of `+` into the
 * left one's unit, so in LIFRef's dV/dt = (−V + V_rest + R·(20 mA + Σ g·(E − V)))/tau the tonic term is
 * 1 Ω·20 mA = 20 mV and the synaptic term 1 Ω·mS·mV = 1e-3 mV per unit: the upstream network is the unitless one with
 * all conductances × 1e-3 (BRAINUNIT_WEIGHT_SCALE, the example's default). Upstream reports 50.61 Hz (10 s).
 *
 * The expected rate is bracketed by two scalar replays of one brainstate LIFRef neuron (soft reset at the step
 * after the spike, V held while fround(t − t_last) < 5 ms, exact exponential step of the linear ODE, which is what
 * exp_euler computes for it), averaged over V0 at 2000 quantiles of Normal(−55, 2):
 *   upper: no synapses (tonic drive only; V∞ = −40 mV, 49 held steps + 139 steps from −60 to −50 mV = 18.8 ms,
 *          53.2 Hz in the long run; 52.20 Hz over 100 ms: the population starts nearly synchronous, first
 *          volley at ≈ 8 ms, and window edges cut through volleys, so short-run rates are quantised). The synaptic drive
 *          is net inhibitory for V > −67.8 mV (g_I/g_E ≈ 5.6 at equal rates), so it can only delay spikes.
 *   lower: constant mean conductances from t = 0 at rate r = the tonic rate (the largest possible), in-degrees
 *          K_E = 3200·80/4000 = 64, K_I = 16: g_E = K_E·r·0.6·5 ms, g_I = K_I·r·6.7·10 ms (× 1e-3) ⇒ 50.06 Hz over
 *          100 ms. The network has no synaptic input before its first volley (~8 ms) and fires below r, so it
 *          receives less inhibition. Margin 0.5 Hz below: in-degree heterogeneity (binomial, ±8 / ±4) and shot noise
 *          act at second order (one E spike moves V by ≈ 0.6e-3·55·5/20 ≈ 0.008 mV, one I spike by ≈ 0.08 mV).
 * The self-consistent mean field gives 50.62 Hz over 10 s (upstream: 50.61 Hz) and 50.85 Hz over 1 s (this port,
 * seed 42: 50.71 Hz); over 100 ms the port gives 50.29 Hz (seed 42) / 50.24 Hz (seed 7). The bracket
 * [49.56, 51.20] Hz pins the conductance factor: over 100 ms the unitless strength (× 1) gives ≈ 21 Hz and × 2e-3
 * 49.44 Hz (below), × 1e-4 51.82 Hz and × 0 52.24 Hz (above). 100 ms keeps the file near 15 s under jest.
 * Under jest, `Math.*` on the vm context's global is ~10× slower than in node (nodejs/node#49283, jestjs/jest#5163),
 * hence the local alias below; the network run itself is ~4× slower under jest than under tsx for the same reason.
 * Statistical bounds only: spike-exact counts may change with kernel rewrites (float rounding).
 */
import { BRAINUNIT_WEIGHT_SCALE, runBrainstateEINet } from '../../examples/brainstate/einet';

jest.setTimeout(60000);
const { abs, ceil, exp, fround, log, sqrt } = Math; // module-level alias: see the note above

/** Acklam's inverse normal CDF (relative error < 1.2e-9). */
function invNorm(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549671664207302, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(sqrt(-2 * log(p)));
  if (p > 1 - 0.02425) return -tail(sqrt(-2 * log(1 - p)));
  const q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Spike count of one brainstate LIFRef neuron (COBA parameters, input 20) with constant conductances gE, gI. */
function lifrefCount(V0: number, steps: number, gE: number, gI: number): number {
  const dt = 0.1, tau = 20, Vth = -50, Vreset = -60, Vrest = -60, I = 20, tauRef = 5;
  const a = 1 + gE + gI;                                  // R = 1: −(1 + R·Σg)/tau is the exp-Euler Jacobian
  const Vinf = (Vrest + I + gE * 0 + gI * -80) / a;
  const decay = exp(-dt * a / tau);
  const fdt = fround(dt);
  let V = V0, tLast = -1e7, n = 0;
  for (let i = 0; i < steps; i++) {
    const t = fround(i * fdt);
    const last = V >= Vth ? V - (Vth - Vreset) : V;       // soft reset of the previous step's spike
    const Vnew = Vinf + (last - Vinf) * decay;
    V = fround(t - tLast) < tauRef ? last : Vnew;
    if (V >= Vth) { tLast = t; n++; }
  }
  return n;
}

/** Mean rate (Hz) over V0 ~ Normal(−55, 2) with the mean conductances of a network firing at r Hz (× scale). */
function replayRate(duration_ms: number, r_hz: number, scale: number, M = 2000): number {
  const steps = Math.round(duration_ms / 0.1);
  const gE = scale * 64 * (r_hz / 1000) * 0.6 * 5, gI = scale * 16 * (r_hz / 1000) * 6.7 * 10;
  let total = 0;
  for (let m = 0; m < M; m++) total += lifrefCount(-55 + 2 * invNorm((m + 0.5) / M), steps, gE, gI);
  return total / M / (duration_ms / 1000);
}

describe('brainstate EINet with brainunit physics (examples/brainstate/einet.ts)', () => {
  const D = 100;
  const tonic = replayRate(D, 0, BRAINUNIT_WEIGHT_SCALE);

  test('unit factor: 1 Ω · 1 mS · 1 mV = 1e-3 mV; the free-neuron replay has the analytic period', () => {
    expect(BRAINUNIT_WEIGHT_SCALE).toBeCloseTo(1e-3, 15);
    // period: 49 held steps, then ceil(200·ln 2) = 139 steps from ≈ −60 mV to −50 mV ⇒ 188 steps = 18.8 ms
    expect(ceil((20 / 0.1) * log(2))).toBe(139);
    expect(lifrefCount(-60, 188 * 20 + 1, 0, 0)).toBe(20);       // from −60: first spike after 139 steps, then every 188
    expect(replayRate(10000, 0, 1, 200)).toBeCloseTo(1000 / 18.8, 1);
    expect(tonic).toBeGreaterThan(52);
    expect(tonic).toBeLessThan(52.4);
  });

  test('without synapses the network fires at the analytic tonic rate', () => {
    const r = runBrainstateEINet(D, { seed: 3, scale: 0.1, weight_scale: 0 }); // 400 neurons; V0 sampling ±0.2 Hz
    expect(abs(r.rate_hz - tonic)).toBeLessThan(0.6);
  });

  test('4000 neurons, 100 ms: rate between the mean-field lower bound and the tonic rate, well below the latter', () => {
    const lower = replayRate(D, tonic, BRAINUNIT_WEIGHT_SCALE);
    expect(lower).toBeGreaterThan(49.8);
    expect(lower).toBeLessThan(50.3);
    const r = runBrainstateEINet(D, { seed: 42 });
    expect(r.weight_scale).toBe(BRAINUNIT_WEIGHT_SCALE);
    expect(r.rate_hz).toBeGreaterThan(lower - 0.5);
    expect(r.rate_hz).toBeLessThan(tonic - 1);
  });
});
