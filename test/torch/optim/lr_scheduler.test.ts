/**
 * lr schedulers against real torch 1.13 (fixtures/torch/optim/lr_scheduler.json): get_last_lr() after construction and
 * after each of 20 steps (two param groups) within 1e-12 relative, state_dict() fields, a resumed CosineAnnealingLR, and
 * SGD with momentum driven by a scheduler (parameters within 1e-6 abs + 1e-5 rel).
 */
import * as torch from '../../../src/torch/index';
import { lr_scheduler, Optimizer, SGD } from '../../../src/torch/optim/index';
import { buildProblem, loadFixture, LR_RTOL, mismatch, PARAM_ATOL, PARAM_RTOL, relClose, toTensor, type Problem } from './helpers';

const { CosineAnnealingLR, ExponentialLR, LRScheduler, MultiStepLR, StepLR } = lr_scheduler;

interface Sequence {
  name: string;
  scheduler: string;
  kwargs: Record<string, unknown>;
  group_lrs?: number[];
  groups?: { lr: number; initial_lr: number }[];
  lrs: number[][];
  state_dict: Record<string, unknown>;
}
interface Training {
  name: string;
  scheduler: string;
  kwargs: Record<string, unknown>;
  options: { lr: number; momentum: number };
  steps: { loss: number; lr: number[]; params: Record<string, never> }[];
}
interface SchedFixture { meta: Record<string, unknown>; problem: Problem; sequences: Sequence[]; training: Training[] }

const fx = loadFixture<SchedFixture>('lr_scheduler.json');
const CLASSES: Record<string, new (opt: Optimizer<any>, o: any) => InstanceType<typeof LRScheduler>> = {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
};

let warn: jest.SpyInstance;
beforeEach(() => { warn = jest.spyOn(console, 'warn').mockImplementation(() => {}); });
afterEach(() => warn.mockRestore());

function twoGroupSGD(seq: Sequence): SGD {
  const { params } = buildProblem(fx.problem);
  const groups = seq.groups ?? seq.group_lrs!.map((lr) => ({ lr }));
  return new SGD([{ params: [params.W1], ...groups[0] }, { params: [params.b1], ...groups[1] }], { lr: 0.1 });
}

function expectLrs(where: string, got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (!relClose(g, want[i], LR_RTOL)) throw new Error(`${where} group ${i}: lr ${g}, expected ${want[i]} (rtol ${LR_RTOL})`);
  });
}

describe(`lr_scheduler vs torch ${fx.meta.version}`, () => {
  test.each(fx.sequences.map((s) => [s.name, s] as const))('%s: lr sequence and state_dict', (_name, seq) => {
    const opt = twoGroupSGD(seq);
    const sched = new CLASSES[seq.scheduler](opt, seq.kwargs);
    expectLrs(`${seq.name} after construction`, sched.get_last_lr(), seq.lrs[0]);
    for (let s = 1; s < seq.lrs.length; s++) {
      sched.step();
      expectLrs(`${seq.name} step ${s}`, sched.get_last_lr(), seq.lrs[s]);
      expect(opt.param_groups.map((g) => g.lr)).toEqual(sched.get_last_lr());
    }
    const sd = sched.state_dict();
    expect(Object.keys(sd).sort()).toEqual(Object.keys(seq.state_dict).sort());
    for (const [k, v] of Object.entries(seq.state_dict)) {
      if (k === '_last_lr') expectLrs(`${seq.name} state_dict._last_lr`, sd[k], v as number[]);
      else expect([k, sd[k]]).toEqual([k, v]);
    }
  });

  test.each(fx.training.map((t) => [t.name, t] as const))('%s: SGD(momentum) + scheduler, params and lrs per step', (_name, t) => {
    const { params, loss } = buildProblem(fx.problem);
    const opt = new SGD(fx.problem.param_order.map((k) => params[k]), t.options);
    const sched = new CLASSES[t.scheduler](opt, t.kwargs);
    t.steps.forEach((rec, s) => {
      opt.zero_grad();
      const l = loss();
      l.backward();
      opt.step();
      sched.step();
      expectLrs(`${t.name} step ${s + 1}`, sched.get_last_lr(), rec.lr);
      for (const k of fx.problem.param_order) {
        const m = mismatch(`${t.name} step ${s + 1} param ${k}`, params[k], toTensor(rec.params[k]), PARAM_ATOL, PARAM_RTOL);
        if (m) throw new Error(m);
      }
    });
    expect(warn).not.toHaveBeenCalled(); // optimizer.step() came first
    expect(opt._step_count).toBe(t.steps.length);
  });
});

describe('lr_scheduler behaviour', () => {
  const opt = (lr = 0.1) => new SGD([torch.zeros(3).requires_grad_()], { lr });

  test('positional and keyword forms agree; closed form via step(epoch)', () => {
    const a = new StepLR(opt(), 3, 0.5), b = new StepLR(opt(), { step_size: 3, gamma: 0.5 });
    for (let i = 0; i < 7; i++) { a.step(); b.step(); }
    expect(a.get_last_lr()).toEqual(b.get_last_lr());
    expect(a.last_epoch).toBe(7);
    a.step(9); // deprecated epoch argument: closed form 0.1 * 0.5 ** 3
    expect(a.get_last_lr()[0]).toBeCloseTo(0.0125, 15);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('The epoch parameter in `scheduler.step()`'));
    const m = new MultiStepLR(opt(), [2, 4, 4], { gamma: 0.1 });
    m.step(5);
    expect(m.get_last_lr()[0]).toBeCloseTo(1e-4, 15);
    const c = new CosineAnnealingLR(opt(), 10, 0.01);
    c.step(5);
    expect(c.get_last_lr()[0]).toBeCloseTo(0.01 + 0.09 * 0.5, 15);
    const e = new ExponentialLR(opt(), 0.5);
    e.step(3);
    expect(e.get_last_lr()[0]).toBeCloseTo(0.0125, 15);
  });

  test('warns once when scheduler.step() precedes optimizer.step()', () => {
    const o = opt();
    const s = new ExponentialLR(o, 0.9);
    s.step();
    s.step();
    const msgs = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('before `optimizer.step()`'));
    expect(msgs.length).toBeLessThanOrEqual(1);
  });

  test('state_dict round trip resumes the schedule', () => {
    const o1 = opt(), o2 = opt();
    const s1 = new CosineAnnealingLR(o1, { T_max: 6, eta_min: 0.001 });
    for (let i = 0; i < 3; i++) s1.step();
    const s2 = new CosineAnnealingLR(o2, { T_max: 6, eta_min: 0.001 });
    s2.load_state_dict(s1.state_dict());
    o2.param_groups[0].lr = o1.param_groups[0].lr;
    for (let i = 0; i < 5; i++) { s1.step(); s2.step(); }
    expect(s2.get_last_lr()).toEqual(s1.get_last_lr());
    expect(s2.last_epoch).toBe(8);
    expect(s1.state_dict()).not.toHaveProperty('optimizer');
  });

  test('a user-defined scheduler sets its fields, then calls _initial_step()', () => {
    class HalveEvery2 extends LRScheduler {
      factor: number;
      constructor(o: Optimizer<any>, factor: number) {
        super(o);
        this.factor = factor;
        this._initial_step();
      }
      get_lr(): number[] {
        return this.optimizer.param_groups.map((g) => (this.last_epoch > 0 && this.last_epoch % 2 === 0 ? g.lr * this.factor : g.lr));
      }
    }
    const s = new HalveEvery2(opt(), 0.5);
    expect(s.get_last_lr()).toEqual([0.1]);
    s.step(); s.step();
    expect(s.get_last_lr()).toEqual([0.05]);
  });

  test('argument errors', () => {
    expect(() => new (StepLR as any)(opt())).toThrow('StepLR: missing required argument step_size');
    expect(() => new StepLR(opt(), 0)).toThrow('StepLR: step_size must be an integer >= 1, got 0');
    expect(() => new StepLR(opt(), 2, { gama: 0.5 } as any)).toThrow('StepLR: unknown option "gama"');
    expect(() => new StepLR(opt(), 2, { step_size: 3 } as any)).toThrow('StepLR: got multiple values for argument step_size');
    expect(() => new CosineAnnealingLR(opt(), { T_max: 5, last_epoch: 3 })).toThrow("param 'initial_lr' is not specified in param_groups[0]");
    expect(() => new MultiStepLR(opt(), [1.5] as any)).toThrow('MultiStepLR: milestones must be an array of integers');
    expect(() => new ExponentialLR({} as any, 0.9)).toThrow('ExponentialLR: optimizer must be an Optimizer');
  });

  test('_LRScheduler is 1.13\'s name for the base class', () => {
    expect(lr_scheduler._LRScheduler).toBe(LRScheduler);
  });
});
