/**
 * Step scopes (src/core/step_scope.ts): inside bm.for_loop the arrays of step temporaries are reused on the next step
 * (zeroed), never while their step runs, not after a step that recorded an autograd graph, and a run through
 * bm.for_loop gives the same spikes as the same run stepped by hand.
 */
import { StepScope, scratch, withStepScope } from '../../src/core/step_scope';
import { bp, bm } from '../../src/brainpy/index';
import * as torch from '../../src/torch/index';

test('arrays come back zeroed on the next step, not within a step', () => {
  withStepScope((scope: StepScope) => {
    const a = scratch(Float32Array, 8), b = scratch(Float32Array, 8);
    expect(a).not.toBe(b);
    a[3] = 5;
    scope.next();
    const c = scratch(Float32Array, 8), d = scratch(Float32Array, 8);
    expect(new Set([c, d])).toEqual(new Set([a, b]));
    expect(Array.from(c)).toEqual(new Array(8).fill(0));
    expect(scratch(Uint8Array, 8)).toBeInstanceOf(Uint8Array); // pools are per type and length
  });
  // outside a scope: fresh arrays
  expect(scratch(Float32Array, 4)).not.toBe(scratch(Float32Array, 4));
});

test('a step that recorded an autograd graph gives nothing back to the pool', () => {
  withStepScope((scope) => {
    const a = scratch(Float32Array, 4);
    const w = torch.ones(2, { requires_grad: true });
    w.mul(2).sum(); // records a graph
    scope.next();
    expect(scratch(Float32Array, 4)).not.toBe(a);
  });
});

test('EINet stepped by bm.for_loop (recycled temporaries) spikes exactly as stepped by hand', () => {
  const run = (useLoop: boolean): number[] => {
    bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1);
    const N = new bp.dyn.LifRef(400, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 5, V_initializer: new bp.init.Normal(-55, 2, 3) });
    const delay = new bp.VarDelay(N.spike, { entries: { I: null } });
    const E = new bp.dyn.HalfProjAlignPostMg({ comm: new bp.dnn.EventJitFPHomoLinear(320, 400, { prob: 0.2, weight: 0.6, seed: 4 }), syn: bp.dyn.Expon.desc(400, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 0 }), post: N });
    const I = new bp.dyn.HalfProjAlignPostMg({ comm: new bp.dnn.EventJitFPHomoLinear(80, 400, { prob: 0.2, weight: 6.7, seed: 5 }), syn: bp.dyn.Expon.desc(400, { tau: 10 }), out: bp.dyn.COBA.desc({ E: -80 }), post: N });
    const counts: number[] = [];
    const step = (i: number): void => {
      bp.share.save({ i, t: Math.fround(i * 0.1) });
      const spk = delay.at('I');
      E.call(spk.narrow(0, 0, 320));
      I.call(spk.narrow(0, 320, 80));
      delay.call(N.call(20));
      counts.push((N.spike.buffer as Uint8Array).reduce((s, x) => s + x, 0));
    };
    if (useLoop) bm.for_loop(step, Array.from({ length: 600 }, (_, i) => i));
    else for (let i = 0; i < 600; i++) step(i);
    return counts;
  };
  const a = run(false), b = run(true);
  expect(a.reduce((s, x) => s + x, 0)).toBeGreaterThan(100);
  expect(b).toEqual(a);
});

test('a brainstate State keeps a copy of a step temporary assigned to it (a scan carry, not a temporary)', () => {
  const { HiddenState } = require('../../src/brainstate/_state');
  const kept: { value: torch.Tensor }[] = [];
  withStepScope((scope) => {
    for (let s = 0; s < 3; s++) {
      const a = scratch(Float32Array, 4);
      a.fill(s + 1);
      const st = new HiddenState(torch.zeros(4));
      st.value = torch.Tensor.fromBuffer(a, [4], 'float32');
      expect(st.value.buffer).not.toBe(a);
      kept.push(st);
      scope.next();
    }
  });
  expect(kept.map((st) => Array.from(st.value.buffer as Float32Array))).toEqual([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
});
