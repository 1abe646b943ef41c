/** Replays fixtures/torch/nn/losses.json: every loss, reduction and option combination against real PyTorch 1.13. */
import { nn, F, torch } from '../../../src/index';
import { decodeKwargs, expectTol, FWD_TOL, GRAD_TOL, loadNnFixture, rows, toTensor } from './nn_fixtures';

const fx = loadNnFixture('losses');

describe('F losses replay PyTorch 1.13 (forward 1e-6, grads 1e-5 rel + 1e-6 abs)', () => {
  test.each(rows(fx.cases))('%s', (_name: string, c: any) => {
    const x = toTensor(c.input).requires_grad_(true);
    const t = toTensor(c.target);
    if (c.target_grad) t.requires_grad_(true);
    const y: torch.Tensor = (F as any)[c.fn](x, t, decodeKwargs(c.kwargs));
    expectTol(`${c.name} output`, y, c.output, FWD_TOL);
    if (c.input_grad) {
      (c.grad_output ? y.mul(toTensor(c.grad_output)).sum() : y).backward();
      expectTol(`${c.name} input grad`, x.grad, c.input_grad, GRAD_TOL);
      if (c.target_grad) expectTol(`${c.name} target grad`, t.grad, c.target_grad, GRAD_TOL);
    }
  });
});

describe('loss modules', () => {
  test.each(rows(fx.modules, "ctor"))('nn.%s: repr, reduction, state_dict keys', (_n: string, c: any) => {
    const m = new (nn as any)[c.ctor](decodeKwargs(c.kwargs));
    expect(m.toString()).toBe(c.repr);
    expect(m.reduction).toBe(c.reduction);
    expect(Object.keys(m.state_dict())).toEqual(c.state_dict_keys);
  });

  test('module forms compute what the functional forms compute', () => {
    const x = torch.randn(4, 3), t = torch.tensor([0, 2, 1, 2], { dtype: 'int32' });
    const w = torch.tensor([0.5, 1, 2]);
    const ce = new nn.CrossEntropyLoss(w, { label_smoothing: 0.1 });
    expect(ce.call(x, t).item()).toBe(F.cross_entropy(x, t, w, { label_smoothing: 0.1 }).item());
    const bce = new nn.BCEWithLogitsLoss({ pos_weight: w, reduction: 'sum' });
    const tb = torch.rand(4, 3);
    expect(bce.call(x, tb).item()).toBe(F.binary_cross_entropy_with_logits(x, tb, { pos_weight: w, reduction: 'sum' }).item());
    expect(new nn.MSELoss({ size_average: false }).reduction).toBe('sum');
    expect(new nn.L1Loss({ reduce: false }).reduction).toBe('none');
  });

  test('bad arguments raise with names', () => {
    const x = torch.randn(4, 3);
    expect(() => F.cross_entropy(x, torch.tensor([0, 3, 1, 2], { dtype: 'int32' }))).toThrow(/Target 3 is out of bounds/);
    expect(() => F.cross_entropy(x, torch.tensor([0, 1], { dtype: 'int32' }))).toThrow(/Expected input batch_size \(4\) to match target batch_size \(2\)/);
    expect(() => F.cross_entropy(x, torch.tensor([0, 1, 1, 1], { dtype: 'int32' }), { label_smoothing: 1.5 })).toThrow(/label_smoothing/);
    expect(() => F.cross_entropy(x, torch.tensor([0, 1, 1, 1], { dtype: 'int32' }), { reduction: 'avg' as any })).toThrow(/not a valid value for reduction/);
    expect(() => F.cross_entropy(x, torch.tensor([0, 1, 1, 1], { dtype: 'int32' }), { redution: 'sum' } as any)).toThrow(/unknown option "redution"/);
    expect(() => F.nll_loss(x, torch.tensor([0, 1, 1, 1], { dtype: 'int32' }), torch.ones(4))).toThrow(/weight tensor should be defined either for all 3 classes/);
    expect(() => F.binary_cross_entropy(torch.tensor([0.5, 1.5]), torch.tensor([0, 1]))).toThrow(/between 0 and 1/);
    expect(() => F.binary_cross_entropy(torch.tensor([0.5, 0.5]), torch.tensor([[0, 1]]))).toThrow(/different to the input size/);
    expect(() => F.binary_cross_entropy_with_logits(torch.zeros(2, 3), torch.zeros(3))).toThrow(/Target size \(\[3\]\) must be the same as input size \(\[2, 3\]\)/);
    expect(() => F.smooth_l1_loss(x, x, { beta: -1 })).toThrow(/negative values for beta/);
  });
});
