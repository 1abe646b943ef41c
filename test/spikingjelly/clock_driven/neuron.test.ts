/**
 * spikingjelly.clock_driven.neuron (0.0.0.0.8) against fixtures recorded from the real library
 * (compat/record_spikingjelly_neuron.py through compat/spikeport_recorder.py): every node with hard and soft reset
 * and detach_reset both ways over 6 steps — spikes exact, v 1e-6 absolute, gradients w.r.t. the inputs and PLIF's w
 * 1e-5 relative + 1e-6 absolute — plus reset() behaviour, MultiStep == single-step, repr, arguments and quirks.
 */
import { nn, torch } from '../../../src/index';
import { install_matchers, loss_weighted_sum, record_fixture, replay, snapshot_memories } from '../../../src/fixtures/index';
import { neuron, surrogate } from '../../../src/spikingjelly/index';
import { expectReplay, facts, factTensor, fixtureFiles, loadFx, SJ_FIXTURES } from './helpers';
import { readFileSync } from 'fs';
import { join } from 'path';

install_matchers();

type Tensor = torch.Tensor;
type Node = neuron.BaseNode;

describe('neuron fixtures recorded from spikingjelly 0.0.0.0.8 (module rebuilt from the registry)', () => {
  const files = fixtureFiles('neuron');
  test('every node class with hard/soft reset and detach_reset both ways', () => {
    for (const c of ['IFNode', 'LIFNode', 'ParametricLIFNode', 'QIFNode', 'EIFNode', 'MultiStepIFNode', 'MultiStepLIFNode', 'MultiStepParametricLIFNode', 'MultiStepEIFNode']) {
      for (const v of ['hard', 'soft']) for (const d of ['detach', 'nodetach']) expect(files).toContain(`${c}_${v}_${d}.json`);
    }
    expect(files.length).toBe(44);
  });

  test.each(files)('%s', async (file) => {
    const fx = await loadFx('neuron', file);
    const r = expectReplay(fx);
    const multi = file.startsWith('MultiStep');
    expect(fx.steps.length).toBe(multi ? 1 : 6);
    const q = (s: string): number => r.checks.filter((c) => c.quantity === s).length;
    expect(q('output')).toBe(fx.steps.length);
    expect(q('memory v')).toBe(fx.steps.length);
    expect(q('memory spike')).toBe(fx.steps.length);
    if (multi) expect(q('memory v_seq')).toBe(1);
    expect(q('grad input[0]')).toBe(fx.steps.length);
    if (file.includes('ParametricLIF')) expect(q('grad w')).toBe(1);
    expect(r.checks.find((c) => c.quantity === 'output')!.category).toBe('spikes');
  });

  test('detach_reset changes the gradients (and only them)', async () => {
    for (const c of ['IFNode', 'LIFNode', 'ParametricLIFNode', 'QIFNode', 'EIFNode']) {
      for (const v of ['hard', 'soft']) {
        const a = await loadFx('neuron', `${c}_${v}_detach.json`);
        const b = await loadFx('neuron', `${c}_${v}_nodetach.json`);
        a.steps.forEach((s, t) => expect(s.output.value).toBeCloseToTensor(b.steps[t].output.value as Tensor, { tolerance: 'exact' }));
        const ga = torch.stack(a.gradients!.inputs.map((g) => g[0]!.value));
        const gb = torch.stack(b.gradients!.inputs.map((g) => g[0]!.value));
        expect(ga.sub(gb).abs().max().item()).toBeGreaterThan(1e-4);
      }
    }
  });

  test('the recorded inputs hit v == v_threshold exactly at one element, and it fired (x >= 0)', async () => {
    for (const f of ['IFNode_hard_nodetach.json', 'LIFNode_soft_nodetach.json', 'ParametricLIFNode_hard_detach.json']) {
      const fx = await loadFx('neuron', f);
      expect((fx.steps[0].output.value as Tensor).tolist()[0][0]).toBe(1);
    }
    const n = new neuron.IFNode();
    const x = torch.zeros(2);
    x.setitem(0, 1.0);
    expect(n.call(x).tolist()).toEqual([1, 0]);
  });

  test('replay resets the model first: a model used before replays the same (reset() restores the memories)', async () => {
    for (const [file, make] of [
      ['LIFNode_soft_detach.json', () => new neuron.LIFNode({ v_reset: null, detach_reset: true })],
      ['MultiStepEIFNode_hard_nodetach.json', () => new neuron.MultiStepEIFNode()],
      ['ParametricLIFNode_hard_nodetach.json', () => new neuron.ParametricLIFNode()],
    ] as [string, () => Node][]) {
      const m = make();
      const dirty = file.startsWith('MultiStep') ? torch.rand(3, 2, 5).mul(3) : torch.rand(2, 5).mul(3);
      m.call(dirty);
      m.call(dirty);
      expect(m.v).toBeInstanceOf(torch.Tensor);
      const fx = await loadFx('neuron', file);
      expectReplay(fx, { model: m });
    }
  });
});

describe('reset() and memories, against the real library', () => {
  const rec = JSON.parse(readFileSync(join(SJ_FIXTURES, 'neuron', 'reset.json'), 'utf8')) as { cases: any[] };
  const decode = (v: unknown): unknown => (v !== null && typeof v === 'object' ? factTensor(v) : v);
  const show = (m: Node): [string, unknown][] => m.named_memories().map(([k, v]) => [k, v instanceof torch.Tensor ? v.tolist() : v]);

  test.each(rec.cases.map((c) => [`${c.class} v_reset=${c.v_reset === null ? 'None' : 'default'}`, c]))('%s', (_name, c) => {
    const C = (neuron as unknown as Record<string, new (o?: object) => Node>)[c.class];
    const m = c.v_reset === null ? new C({ v_reset: null }) : new C();
    const expected = (list: [string, unknown][]): [string, unknown][] => list.map(([k, v]) => [k, decode(v) instanceof torch.Tensor ? (decode(v) as Tensor).tolist() : v]);
    expect(show(m)).toEqual(expected(c.initial));
    const x = torch.rand(6, 2, 5).mul(2);
    if (c.class.startsWith('MultiStep')) m.call(x.narrow(0, 0, 3));
    else for (let t = 0; t < 3; t++) m.call(x.select(0, t));
    expect(m.named_memories().map(([k, v]) => [k, v instanceof torch.Tensor ? 'Tensor' : typeof v === 'number' ? 'float' : v === null ? 'NoneType' : typeof v])).toEqual(c.after_run_types);
    m.reset();
    expect(show(m)).toEqual(expected(c.after_reset));
    expect(Object.keys(m.state_dict())).toEqual(c.state_dict_keys);
  });

  test('memories are plain properties, outside state_dict, parameters, buffers and children', () => {
    const m = new neuron.MultiStepParametricLIFNode();
    m.call(torch.rand(4, 3));
    expect(m.v).toBeInstanceOf(torch.Tensor);
    expect(m.v_seq!.shape).toEqual([4, 3]);
    expect(Object.keys(m.state_dict())).toEqual(['w']);
    expect(m.named_parameters().map(([n]) => n)).toEqual(['w']);
    expect(m.named_buffers()).toEqual([]);
    expect(m.named_children().map(([n]) => n)).toEqual(['surrogate_function']);
    expect(m.named_memories().map(([n]) => n)).toEqual(['v', 'spike', 'v_seq', 'spike_seq']);
    expect(snapshot_memories(m).map(([p, n]) => `${p}.${n}`)).toEqual(['.v', '.spike', '.v_seq', '.spike_seq']);
    m.v = 0.5;
    expect(m.named_memories()[0]).toEqual(['v', 0.5]);
  });
});

/** Runs a single-step node over x[t] and returns the spikes, v's and gradients of sum(spikes * w). */
function runSingle(m: Node, x: Tensor, w: Tensor): { s: Tensor; v: Tensor; gx: Tensor } {
  const xs = x.clone().requires_grad_(true);
  const s: Tensor[] = [];
  const v: Tensor[] = [];
  for (let t = 0; t < x.shape[0]; t++) {
    s.push(m.call(xs.select(0, t)));
    v.push(m.v as Tensor);
  }
  const S = torch.stack(s);
  S.mul(w).sum().backward();
  return { s: S.detach(), v: torch.stack(v).detach(), gx: xs.grad! };
}

describe('MultiStep nodes equal their single-step counterparts over T', () => {
  const pairs: [string, (o: object) => Node, (o: object) => Node & { v_seq: Tensor | null; spike_seq: Tensor | null }][] = [
    ['IF', (o) => new neuron.IFNode(o), (o) => new neuron.MultiStepIFNode(o)],
    ['LIF', (o) => new neuron.LIFNode({ tau: 3.0, ...o }), (o) => new neuron.MultiStepLIFNode({ tau: 3.0, ...o })],
    ['PLIF', (o) => new neuron.ParametricLIFNode({ init_tau: 2.5, ...o }), (o) => new neuron.MultiStepParametricLIFNode({ init_tau: 2.5, ...o })],
    ['EIF', (o) => new neuron.EIFNode(o), (o) => new neuron.MultiStepEIFNode(o)],
  ];
  const variants: [string, object][] = [['hard', {}], ['soft', { v_reset: null }], ['hard detach', { detach_reset: true }], ['soft detach', { v_reset: null, detach_reset: true }]];
  for (const [name, single, multi] of pairs) {
    test.each(variants)(`${name} %s`, (_v, o) => {
      torch.manual_seed(3);
      const x = torch.rand(8, 3, 4).mul(2).sub(0.2);
      const w = torch.randn(8, 3, 4);
      const a = single(o);
      const r = runSingle(a, x, w);
      const b = multi(o);
      const xm = x.clone().requires_grad_(true);
      const sm = b.call(xm);
      sm.mul(w).sum().backward();
      expect(sm).toBe(b.spike_seq);
      expect(sm.detach()).toBeCloseToTensor(r.s, { tolerance: 'exact' });
      expect(b.v_seq!).toBeCloseToTensor(r.v, { tolerance: 'exact' });
      expect(xm.grad!).toBeCloseToTensor(r.gx, { atol: 1e-6, rtol: 1e-5 });
      expect(b.v).toBeCloseToTensor(a.v as Tensor, { tolerance: 'exact' });
      if (a instanceof neuron.ParametricLIFNode && b instanceof neuron.ParametricLIFNode) expect(b.w.grad!).toBeCloseToTensor(a.w.grad!, { atol: 1e-6, rtol: 1e-5 });
      expect(r.s.sum().item()).toBeGreaterThan(0);
    });
  }

  test('the recorded MultiStep fixtures equal the recorded single-step ones (the real library agrees)', async () => {
    for (const c of ['IFNode', 'LIFNode', 'ParametricLIFNode', 'EIFNode']) {
      for (const v of ['hard_detach', 'soft_nodetach']) {
        const s = await loadFx('neuron', `${c}_${v}.json`);
        const m = await loadFx('neuron', `MultiStep${c}_${v}.json`);
        const ss = torch.stack(s.steps.map((st) => st.output.value as Tensor));
        expect(m.steps[0].output.value as Tensor).toBeCloseToTensor(ss, { tolerance: 'exact' });
        const gs = torch.stack(s.gradients!.inputs.map((g) => g[0]!.value));
        expect(m.gradients!.inputs[0][0]!.value).toBeCloseToTensor(gs, { atol: 1e-6, rtol: 1e-5 });
      }
    }
  });

  test('x_seq must be [T, N, …]; T = 0 gives empty sequences', () => {
    const m = new neuron.MultiStepLIFNode();
    expect(() => m.call(torch.rand(5))).toThrow(/MultiStepLIFNode\.forward: x_seq must be a Tensor with at least 2 dimensions/);
    expect(m.call(torch.zeros(0, 3)).shape).toEqual([0, 3]);
  });
});

describe('constructors, arguments and quirks', () => {
  test('defaults of 0.0.0.0.8 (surrogate Sigmoid(alpha=1.0); QIF/EIF v_reset = -0.1)', () => {
    const l = new neuron.LIFNode();
    expect([l.tau, l.v_threshold, l.v_reset, l.detach_reset]).toEqual([2.0, 1.0, 0.0, false]);
    expect(l.surrogate_function).toBeInstanceOf(surrogate.Sigmoid);
    expect((l.surrogate_function as surrogate.Sigmoid).alpha).toBe(1.0);
    const q = new neuron.QIFNode();
    expect([q.tau, q.v_c, q.a0, q.v_threshold, q.v_rest, q.v_reset]).toEqual([2.0, 0.8, 1.0, 1.0, 0.0, -0.1]);
    const e = new neuron.EIFNode();
    expect([e.tau, e.delta_T, e.theta_rh, e.v_threshold, e.v_rest, e.v_reset]).toEqual([2.0, 1.0, 0.8, 1.0, 0.0, -0.1]);
    expect(e.v).toBe(-0.1);
    expect(new neuron.MultiStepIFNode().backend).toBe('torch');
  });

  test('QUIRK: the default surrogate is one instance per class, as Python\'s default argument', () => {
    const f = facts('neuron/facts_0.0.0.0.8.json');
    expect(f.default_surrogate_shared_within_class).toBe(true);
    expect(f.default_surrogate_shared_across_classes).toBe(false);
    expect(new neuron.IFNode().surrogate_function).toBe(new neuron.IFNode().surrogate_function);
    expect(new neuron.IFNode().surrogate_function).not.toBe(new neuron.LIFNode().surrogate_function);
    expect(new neuron.LIFNode().surrogate_function).not.toBe(new neuron.MultiStepLIFNode().surrogate_function);
  });

  test('QUIRK: Python asserts float arguments (IFNode(v_threshold=1) fails); TypeScript numbers are accepted', () => {
    expect(facts('neuron/facts_0.0.0.0.8.json').neuron_int_argument_asserts).toBe(true);
    expect(new neuron.IFNode(1).v_threshold).toBe(1);
  });

  test('positional and keyword arguments in Python order', () => {
    const sg = new surrogate.ATan();
    const a = new neuron.LIFNode(3.0, 0.5, null, sg, true);
    expect([a.tau, a.v_threshold, a.v_reset, a.surrogate_function, a.detach_reset]).toEqual([3.0, 0.5, null, sg, true]);
    const b = new neuron.EIFNode(3.0, { v_reset: null, theta_rh: 0.7 });
    expect([b.tau, b.v_reset, b.theta_rh]).toEqual([3.0, null, 0.7]);
    const c = new neuron.MultiStepIFNode(1.0, 0.0, sg, false, 'torch');
    expect(c.surrogate_function).toBe(sg);
    // a plain function works as a surrogate (Python's Callable), it is then not a child module
    const d = new neuron.IFNode({ surrogate_function: (x: Tensor) => x.ge(0).float() });
    expect(d.call(torch.tensor([0.5, 1.5])).tolist()).toEqual([0, 1]);
    expect(d.named_children()).toEqual([]);
  });

  test('bad arguments raise with the class and argument named', () => {
    expect(() => new neuron.LIFNode({ tua: 2 } as never)).toThrow(/neuron\.LIFNode: unknown option "tua"/);
    expect(() => new neuron.LIFNode(1.0)).toThrow(/neuron\.LIFNode: tau must be > 1, got 1/);
    expect(() => new neuron.ParametricLIFNode(0.5)).toThrow(/init_tau must be > 1/);
    expect(() => new neuron.IFNode('1' as never)).toThrow(/neuron\.IFNode: v_threshold must be a number, got "1"/);
    expect(() => new neuron.IFNode({ detach_reset: 1 } as never)).toThrow(/detach_reset must be a boolean/);
    expect(() => new neuron.IFNode({ surrogate_function: 3 } as never)).toThrow(/surrogate_function must be a Module or a function/);
    expect(() => new neuron.QIFNode({ v_threshold: -0.2 })).toThrow(/v_threshold must be > v_reset/);
    expect(() => new neuron.QIFNode({ v_rest: -0.5 })).toThrow(/v_rest must be >= v_reset/);
    expect(() => new neuron.QIFNode({ a0: 0 })).toThrow(/a0 must be > 0/);
    expect(() => new neuron.EIFNode({ delta_T: 0 })).toThrow(/delta_T must be > 0/);
    expect(new neuron.QIFNode({ v_reset: null, v_threshold: -1 }).v_reset).toBeNull(); // no check for soft reset
    expect(() => new neuron.MultiStepLIFNode({ backend: 'cupy' })).toThrow(/backend 'cupy' runs spikingjelly's CUDA kernels through cupy, which spikeport does not have; use backend='torch'/);
    expect(() => new neuron.MultiStepIFNode({ backend: 'jax' as never })).toThrow(/backend must be 'torch'/);
    expect(() => new neuron.IFNode().call([1, 2] as never)).toThrow(/IFNode\.forward: x must be a Tensor/);
    expect(() => new neuron.BaseNode().call(torch.zeros(2))).toThrow(/BaseNode\.neuronal_charge is not implemented/);
  });

  test('ParametricLIFNode: parameter w = -log(init_tau - 1), a 0-d float32 tensor under the key "w"', () => {
    const f = facts('neuron/facts_0.0.0.0.8.json');
    const p = new neuron.ParametricLIFNode();
    expect(Object.keys(p.state_dict())).toEqual(f.plif_state_dict_keys);
    expect(Object.keys(new neuron.LIFNode().state_dict())).toEqual(f.lif_state_dict_keys);
    expect(p.w.shape).toEqual([]);
    expect(p.w.dtype).toBe('float32');
    expect(Object.is(p.w.item(), -0)).toBe(true); // -log(1) = -0.0, as Python's tensor(-0.)
    expect(new neuron.ParametricLIFNode(3.0).w.item()).toBeCloseTo(-Math.log(2), 6);
    expect(p.w.requires_grad).toBe(true);
  });

  test('LIF divides the whole input by tau (no decay_input in 0.0.0.0.8): v = v + (x - (v - v_reset)) / tau', () => {
    const m = new neuron.LIFNode(4.0, 10.0, -0.5);
    m.call(torch.tensor([2.0]));
    expect((m.v as Tensor).item()).toBeCloseTo(-0.5 + (2.0 - 0.0) / 4.0, 6);
    m.call(torch.tensor([2.0]));
    expect((m.v as Tensor).item()).toBeCloseTo(0.0 + (2.0 - 0.5) / 4.0, 6);
  });

  test('detach_reset detaches the spike in the reset only', () => {
    const run = (detach: boolean): number[] => {
      const m = new neuron.IFNode({ detach_reset: detach });
      const x = torch.tensor([1.2, 0.3]).requires_grad_(true);
      m.call(x);
      (m.v as Tensor).sum().backward();
      return x.grad!.tolist() as number[];
    };
    // v = (1 - s)·v + s·0 with v = x: dv/dx = (1 - s) - v·s' ; detached: 1 - s
    expect(run(true)).toEqual([0, 1]);
    const g = run(false);
    const sg = (z: number): number => 1 / (1 + Math.exp(-z));
    expect(g[0]).toBeCloseTo(0 - 1.2 * sg(0.2) * (1 - sg(0.2)), 6);
  });

  test('repr strings as Python prints them', () => {
    const reprs = facts('neuron/facts_0.0.0.0.8.json').reprs as Record<string, string>;
    const build: Record<string, () => nn.Module> = {
      'IFNode()': () => new neuron.IFNode(), 'IFNode(v_reset=None, detach_reset=True)': () => new neuron.IFNode({ v_reset: null, detach_reset: true }),
      'MultiStepIFNode()': () => new neuron.MultiStepIFNode(), 'LIFNode()': () => new neuron.LIFNode(),
      'LIFNode(tau=3.0, surrogate_function=ATan())': () => new neuron.LIFNode({ tau: 3.0, surrogate_function: new surrogate.ATan() }),
      'MultiStepLIFNode()': () => new neuron.MultiStepLIFNode(), 'ParametricLIFNode()': () => new neuron.ParametricLIFNode(),
      'ParametricLIFNode(init_tau=3.0)': () => new neuron.ParametricLIFNode({ init_tau: 3.0 }),
      'MultiStepParametricLIFNode()': () => new neuron.MultiStepParametricLIFNode(), 'QIFNode()': () => new neuron.QIFNode(),
      'EIFNode()': () => new neuron.EIFNode(), 'MultiStepEIFNode(v_reset=None)': () => new neuron.MultiStepEIFNode({ v_reset: null }),
    };
    for (const [k, make] of Object.entries(build)) expect(make().toString()).toBe(reprs[k]);
  });

  test('EIF turns the number v into a 0-d float32 tensor at the first step (no graph through it)', () => {
    const m = new neuron.EIFNode();
    expect(m.v).toBe(-0.1);
    m.neuronal_charge(torch.tensor([0.3, 0.2]).double());
    // a 0-d float32 v meets a float64 input: the result is float64 of the input's shape
    expect((m.v as Tensor).dtype).toBe('float64');
    expect((m.v as Tensor).shape).toEqual([2]);
  });

  test('memories and .double(): tensor memories are cast with the parameters', () => {
    const m = new neuron.ParametricLIFNode();
    m.call(torch.rand(3));
    m.double();
    expect(m.w.dtype).toBe('float64');
    expect((m.v as Tensor).dtype).toBe('float64');
    expect((m.spike as Tensor).dtype).toBe('float64');
  });

  test('TBPTT: detach() cuts the graph through the memories', () => {
    const m = new neuron.LIFNode();
    const x = torch.rand(3).requires_grad_(true);
    m.call(x);
    expect((m.v as Tensor).requires_grad).toBe(true);
    m.detach();
    expect((m.v as Tensor).requires_grad).toBe(false);
    expect((m.spike as Tensor).requires_grad).toBe(false);
  });
});

describe('registration with the fixture kit', () => {
  test('the TypeScript recorder names the classes and arguments as Python does, and replay rebuilds them', () => {
    torch.manual_seed(5);
    const cases: [Node, string][] = [
      [new neuron.LIFNode({ tau: 3.0, v_reset: null, detach_reset: true, surrogate_function: new surrogate.ATan(3.0) }), 'LIFNode'],
      [new neuron.ParametricLIFNode({ init_tau: 3.0, surrogate_function: new surrogate.PiecewiseLeakyReLU(0.5, 0.1) }), 'ParametricLIFNode'],
      [new neuron.EIFNode({ delta_T: 0.5, v_reset: -0.2 }), 'EIFNode'],
      [new neuron.MultiStepIFNode({ surrogate_function: new surrogate.S2NN() }), 'MultiStepIFNode'],
    ];
    for (const [m, cls] of cases) {
      const multi = cls.startsWith('MultiStep');
      const x = torch.rand(4, 2, 3).mul(2);
      const w = torch.randn(4, 2, 3);
      const fx = record_fixture(m, multi ? [x] : x, { name: `ts_${cls}`, loss: loss_weighted_sum(multi ? [w] : w) });
      expect(fx.module.class).toBe(`spikingjelly.clock_driven.neuron.${cls}`);
      expect(fx.module.args_complete).toBe(true);
      const sfClass = fx.module.children[0][1].class;
      expect(sfClass).toBe(`spikingjelly.clock_driven.surrogate.${(m.surrogate_function as nn.Module)._get_name()}`);
      const r = replay(fx);
      if (!r.pass) throw new Error(r.failures.map((f) => f.message).join('\n') + (r.unsupported ?? ''));
    }
  });
});

