/** Replays fixtures/torch/nn/layers.json: every layer's forward and input/parameter gradients against real PyTorch 1.13. */
import { nn, F, torch } from '../../../src/index';
import { decodeKwargs, expectTol, FWD_TOL, GRAD_TOL, loadNnFixture, rows, toTensor } from './nn_fixtures';

const fx = loadNnFixture('layers');

describe('nn layers replay PyTorch 1.13 (forward 1e-6, grads 1e-5 rel + 1e-6 abs)', () => {
  test.each(rows(fx.modules))('%s', (_name: string, c: any) => {
    const Ctor = (nn as any)[c.ctor];
    const m = new Ctor(...c.args, decodeKwargs(c.kwargs));
    const sd: Record<string, torch.Tensor> = {};
    for (const [k, v] of Object.entries(c.state_dict)) sd[k] = toTensor(v as any, k);
    m.load_state_dict(sd);
    expect(m.toString()).toBe(c.repr);
    const xs = c.inputs.map((e: any, i: number) => {
      const t = toTensor(e, `input ${i}`);
      return t.is_floating_point() ? t.requires_grad_(true) : t;
    });
    const y = m.call(...xs);
    expectTol(`${c.name} output`, y, c.output, FWD_TOL);
    y.mul(toTensor(c.grad_output)).sum().backward();
    xs.forEach((x: torch.Tensor, i: number) => expectTol(`${c.name} input ${i} grad`, x.is_floating_point() ? x.grad : null, c.input_grads[i], GRAD_TOL));
    const params = Object.fromEntries(m.named_parameters());
    expect(Object.keys(c.param_grads).sort()).toEqual(Object.keys(params).filter((k) => params[k].grad !== null).sort());
    for (const [k, g] of Object.entries(c.param_grads)) expectTol(`${c.name} ${k}.grad`, params[k].grad, g as any, GRAD_TOL);
  });
});

describe('F replays PyTorch 1.13', () => {
  test.each(rows(fx.functional))('%s', (_name: string, c: any) => {
    const xs = c.inputs.map((e: any, i: number) => {
      const t = toTensor(e, `input ${i}`);
      return t.is_floating_point() ? t.requires_grad_(true) : t;
    });
    const kw = decodeKwargs(c.kwargs);
    let y: torch.Tensor;
    if (c.fn === 'pad') {
      const { pad, ...rest } = kw;
      y = F.pad(xs[0], pad, rest);
    } else y = (F as any)[c.fn](...xs, ...c.args, kw);
    expectTol(`${c.name} output`, y, c.output, FWD_TOL);
    if (c.grad_output) {
      y.mul(toTensor(c.grad_output)).sum().backward();
      xs.forEach((x: torch.Tensor, i: number) => expectTol(`${c.name} input ${i} grad`, x.is_floating_point() ? x.grad : null, c.input_grads[i], GRAD_TOL));
    }
  });
});
