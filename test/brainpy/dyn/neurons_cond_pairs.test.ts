/**
 * Conductance outputs whose g lives in the group's arena (adopted synapses, as the align-post projections arrange) run
 * two at a time (one pass over I and V); the sum keeps upstream's order — x first, then each input as registered —
 * whatever the pairing: checked against a float32 evaluation of the formula, with a plain function input between the
 * outputs and an odd count of them, in the SIMD and the JS kernels.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { set_snn_backend } from '../../../src/index';
import { SnnArena } from '../../../src/core/kernels/snn';

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });
afterEach(() => set_snn_backend('auto'));

const fr = Math.fround;
const V0 = [-55, -58, -51, -62, -50.5];
const GS = [[0.1, 0.3, 0, 1e-3, 2], [0.5, 0, 0.25, 0.125, 1], [0.2, 0.7, 0.05, 0, 0.3]];
const ES = [0, -80, 10];

function step(withFn: boolean, backend: 'wasm' | 'js'): number[] {
  set_snn_backend(backend);
  bm.clear_name_cache(); bp.share.clear_shargs();
  const N = new bp.dyn.Lif(5, { V_rest: -60, V_reset: -60, V_th: -40, tau: 20, V_initializer: torch.tensor(V0) });
  GS.forEach((g, k) => {
    const syn = new bp.dyn.Expon(5, { tau: 5 });
    N._adopt_synapse(syn);
    syn.g.value = torch.tensor(g);
    const out = new bp.dyn.COBA({ E: ES[k] });
    out.bind_cond(syn.g);
    N.add_inp_fun(`g${k}`, out);
    if (k === 0 && withFn) N.add_inp_fun('f', (V: torch.Tensor) => V.mul(-0.01));
  });
  N.step_run(0, 12);
  return Array.from(N.V.buffer.subarray(N.V.offset, N.V.offset + 5) as Float32Array);
}

function want(withFn: boolean): number[] {
  const dt = fr(0.1), tau = fr(20), z = fr(dt * fr(-1 / tau));
  const c = fr(dt * fr(fr(fr(Math.exp(z)) - 1) / z));
  return V0.map((v, j) => {
    let I = fr(12);
    I = fr(I + fr(fr(GS[0][j]) * fr(ES[0] - v)));
    if (withFn) I = fr(I + fr(v * fr(-0.01)));
    I = fr(I + fr(fr(GS[1][j]) * fr(ES[1] - v)));
    I = fr(I + fr(fr(GS[2][j]) * fr(ES[2] - v)));
    return fr(v + fr(c * fr(fr(fr(-60 - v) + I) / tau)));
  });
}

test.each([true, false])('three arena conductances (function input between: %s) sum in registration order, float32', (withFn) => {
  const w = want(withFn);
  const pair = jest.spyOn(SnnArena.prototype, withFn ? 'cond2Acc' : 'cond2Set'); // the paired pass ran
  expect(step(withFn, 'wasm')).toEqual(w);
  expect(step(withFn, 'js')).toEqual(w);
  expect(pair).toHaveBeenCalledTimes(2);
  pair.mockRestore();
});
