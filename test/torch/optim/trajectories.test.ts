/**
 * Optimizer trajectories against real torch 1.13 (fixtures/torch/optim/{sgd,adam,adamw,rmsprop}.json, recorded by
 * compat/record_optim.py). Each case runs 5 steps on the recorded problem in two ways:
 *  - end to end: spikeport's autograd computes the gradients; parameters after each step within 1e-6 abs + 1e-5 rel;
 *  - update only: torch's recorded gradients are fed to the optimizer; parameters after each step must be bit-identical
 *    (this isolates the update arithmetic from autograd rounding), and so must the final state_dict.
 */
import * as torch from '../../../src/torch/index';
import {
  buildOptimizer, buildProblem, loadFixture, mismatch, PARAM_ATOL, PARAM_RTOL, toTensor, type OptimCase, type OptimFixture,
} from './helpers';

type Tensor = torch.Tensor;

const FILES = ['sgd.json', 'adam.json', 'adamw.json', 'rmsprop.json'];

function compareState(c: OptimCase, got: ReturnType<ReturnType<typeof buildOptimizer>['state_dict']>): string[] {
  const errs: string[] = [];
  const want = c.state_dict;
  const gotGroups = JSON.parse(JSON.stringify(got.param_groups));
  try {
    expect(gotGroups).toEqual(want.param_groups);
  } catch {
    errs.push(`param_groups: got ${JSON.stringify(gotGroups)}, expected ${JSON.stringify(want.param_groups)}`);
  }
  const gotKeys = Object.keys(got.state).sort(), wantKeys = Object.keys(want.state).sort();
  if (gotKeys.join() !== wantKeys.join()) errs.push(`state has entries for params [${gotKeys}], expected [${wantKeys}]`);
  for (const k of wantKeys) {
    const g = got.state[k] ?? {}, w = want.state[k];
    if (Object.keys(g).sort().join() !== Object.keys(w).sort().join()) errs.push(`state[${k}] keys [${Object.keys(g)}], expected [${Object.keys(w)}]`);
    for (const [key, wv] of Object.entries(w)) {
      const gv = g[key];
      if (wv !== null && typeof wv === 'object') {
        if (!(gv instanceof torch.Tensor)) { errs.push(`state[${k}].${key}: expected a tensor, got ${String(gv)}`); continue; }
        const m = mismatch(`state[${k}].${key}`, gv, toTensor(wv as never), 0, 0);
        if (m) errs.push(m);
      } else if (gv !== wv) {
        errs.push(`state[${k}].${key}: got ${String(gv)}, expected ${String(wv)}`);
      }
    }
  }
  return errs;
}

for (const file of FILES) {
  const fx = loadFixture<OptimFixture>(file);
  const order = fx.problem.param_order;

  describe(`optim vs torch ${fx.meta.version}: ${file}`, () => {
    test.each(fx.cases.map((c) => [c.name, c] as const))('%s: end to end with spikeport autograd', (_name, c) => {
      const { params, loss } = buildProblem(fx.problem);
      const opt = buildOptimizer(c, params, order);
      c.steps.forEach((rec, s) => {
        opt.zero_grad();
        const l = loss();
        expect(Math.abs(l.item() - rec.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(rec.loss) + 1e-6);
        l.backward();
        opt.step();
        for (const k of order) {
          const m = mismatch(`${c.optimizer} ${c.name} step ${s + 1} param ${k}`, params[k], toTensor(rec.params[k]), PARAM_ATOL, PARAM_RTOL);
          if (m) throw new Error(m);
        }
      });
      expect(params.z.grad).toBeNull(); // never in the loss: skipped, no state
    });

    test.each(fx.cases.map((c) => [c.name, c] as const))('%s: update with torch\'s gradients is bit-exact, state_dict matches', (_name, c) => {
      const { params } = buildProblem(fx.problem);
      const opt = buildOptimizer(c, params, order);
      c.steps.forEach((rec, s) => {
        for (const k of order) params[k].grad = rec.grads[k] ? toTensor(rec.grads[k]) : null;
        opt.step();
        for (const k of order) {
          const m = mismatch(`${c.optimizer} ${c.name} step ${s + 1} param ${k} (bit-exact)`, params[k], toTensor(rec.params[k]), 0, 0);
          if (m) throw new Error(m);
        }
      });
      const errs = compareState(c, opt.state_dict());
      if (errs.length) throw new Error(errs.join('\n'));
    });
  });
}

test('the fixtures cover every option the brief lists', () => {
  const names = (f: string) => loadFixture<OptimFixture>(f).cases.map((c) => c.name);
  expect(names('sgd.json')).toEqual(expect.arrayContaining(['plain', 'momentum', 'dampening', 'nesterov', 'weight_decay', 'maximize', 'two_groups']));
  expect(names('adam.json')).toEqual(expect.arrayContaining(['default', 'amsgrad', 'weight_decay', 'maximize', 'two_groups']));
  expect(names('adamw.json')).toEqual(expect.arrayContaining(['default', 'amsgrad', 'two_groups']));
  expect(names('rmsprop.json')).toEqual(expect.arrayContaining(['default', 'momentum', 'centered', 'weight_decay', 'two_groups']));
});

export type { Tensor };
