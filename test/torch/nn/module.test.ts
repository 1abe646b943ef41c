/**
 * nn.Module, Parameter and the containers: the property walk (state_dict keys as PyTorch), print(model), hooks,
 * load_state_dict error reporting (fixtures/torch/nn/structure.json from real PyTorch 1.13), train/eval, conversions.
 */
import { nn, F, torch } from '../../../src/index';
import { loadNnFixture } from './nn_fixtures';

const fx = loadNnFixture('structure');

class Block extends nn.Module {
  fc = new nn.Linear(3, 3);
  declare steps: torch.Tensor;
  declare tmp: torch.Tensor;
  act: nn.GELU;
  gate: nn.Parameter;
  constructor() {
    super();
    this.register_buffer('steps', torch.zeros(1));
    this.register_buffer('tmp', torch.ones(2), { persistent: false });
    this.act = new nn.GELU({ approximate: 'tanh' });
    this.gate = new nn.Parameter(torch.ones(3));
  }
  override forward(x: torch.Tensor): torch.Tensor {
    return this.act.call(this.fc.call(x)).mul(this.gate);
  }
}

/** The recorder's Net, property for property (fields are declared in PyTorch's assignment order: the walk follows it). */
class Net extends nn.Module {
  features: nn.Sequential;
  blocks: nn.ModuleList;
  heads: nn.ModuleDict;
  emb: nn.Embedding;
  shared: nn.Module;
  scale: nn.Parameter;
  loss: nn.CrossEntropyLoss;
  flat: nn.Flatten;
  unflat: nn.Unflatten;
  extra: nn.Sequential;
  constructor() {
    super();
    const layers: nn.Module[] = [new nn.Linear(4, 8)];
    for (let i = 0; i < 5; i++) layers.push(new nn.ReLU(true), new nn.Linear(8, 8));
    layers.push(new nn.Dropout(0.1));
    this.features = new nn.Sequential(...layers);
    this.blocks = new nn.ModuleList([new Block(), new Block()]);
    this.heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
    this.emb = new nn.Embedding(5, 4, { padding_idx: 0 });
    this.shared = this.features.get(0);
    this.scale = new nn.Parameter(torch.ones(1));
    this.loss = new nn.CrossEntropyLoss({ weight: torch.ones(3) });
    this.flat = new nn.Flatten();
    this.unflat = new nn.Unflatten(1, [2, 4]);
    this.extra = new nn.Sequential(new nn.LeakyReLU(0.2, true), new nn.ELU({ alpha: 0.5 }), new nn.Softplus({ beta: 2, threshold: 10 }),
      new nn.Hardtanh(-2.0, 2.0), new nn.ReLU6(), new nn.SiLU(), new nn.Sigmoid(), new nn.Tanh(), new nn.Softmax({ dim: -1 }),
      new nn.LogSoftmax({ dim: 1 }), new nn.Softmax(), new nn.Identity(), new nn.Dropout({ p: 0.25, inplace: true }),
      new nn.Dropout2d(0.5), new nn.Embedding(10, 3, { padding_idx: 1, max_norm: 1.0 }), new nn.Bilinear(2, 3, 4, { bias: false }),
      new nn.Linear(2, 2, false), new nn.GELU());
  }
}

describe('the property walk gives PyTorch\'s names and order', () => {
  const net = new Net();

  test('print(model)', () => {
    expect(net.toString()).toBe(fx.repr);
  });

  test('state_dict keys (own parameters first, integer keys in order, shared modules under every name)', () => {
    expect(Object.keys(net.state_dict())).toEqual(fx.state_dict_keys);
  });

  test('named_parameters / named_buffers / named_modules / named_children (shared entries once)', () => {
    expect(net.named_parameters().map(([n]) => n)).toEqual(fx.named_parameters);
    expect(net.named_buffers().map(([n]) => n)).toEqual(fx.named_buffers);
    expect(net.named_modules().map(([n]) => n)).toEqual(fx.named_modules);
    expect(net.named_children().map(([n]) => n)).toEqual(fx.named_children);
    expect(net.parameters().length).toBe(fx.num_parameters);
  });

  test('slicing: Sequential keeps its keys, ModuleList renumbers', () => {
    const s = net.features.slice(1, 4);
    expect(s).toBeInstanceOf(nn.Sequential);
    expect(s.toString()).toBe(fx.slice_repr);
    expect(Object.keys(s.state_dict())).toEqual(fx.slice_keys);
    expect(Object.keys(net.blocks.slice(1).state_dict())).toEqual(fx.modulelist_slice_keys);
  });

  test('load_state_dict reports missing, unexpected and shape-mismatched keys exactly as PyTorch', () => {
    const sd = net.state_dict();
    const bad: Record<string, torch.Tensor> = { ...sd };
    delete bad['features.0.bias'];
    delete bad['blocks.1.steps'];
    bad['extra.weight'] = torch.zeros(2);
    bad['blocks.0.fc.nope'] = torch.zeros(2);
    bad['heads.cls.weight'] = torch.zeros(2, 8);
    expect(() => net.load_state_dict(bad)).toThrow(fx.load_errors.strict);
    const shapeOnly = { ...sd, 'emb.weight': torch.zeros(6, 4) };
    expect(() => net.load_state_dict(shapeOnly, false)).toThrow(fx.load_errors.shape_nonstrict);
    const partial: Record<string, torch.Tensor> = {};
    for (const [k, v] of Object.entries(sd)) if (!k.startsWith('heads.')) partial[k] = v;
    partial.zzz = torch.zeros(1);
    const r = net.load_state_dict(partial, { strict: false });
    expect(r.missing_keys).toEqual(fx.load_errors.nonstrict_missing);
    expect(r.unexpected_keys).toEqual(fx.load_errors.nonstrict_unexpected);
  });
});

describe('state_dict / load_state_dict semantics', () => {
  test('state_dict shares storage, is detached; keep_vars keeps the Parameters; load copies in place', () => {
    const m = new nn.Linear(3, 2);
    const sd = m.state_dict();
    expect(sd.weight).not.toBeInstanceOf(nn.Parameter);
    expect(sd.weight.requires_grad).toBe(false);
    torch.no_grad(() => m.weight.fill_(3));
    expect(sd.weight.index(0, 0).item()).toBe(3);
    expect(m.state_dict({ keep_vars: true }).weight).toBe(m.weight);
    const w = m.weight;
    m.load_state_dict({ weight: torch.full([2, 3], 7), bias: torch.tensor([1, 2]) });
    expect(m.weight).toBe(w); // same Parameter object, values copied in
    expect(m.weight.index(1, 2).item()).toBe(7);
    expect(m.weight.requires_grad).toBe(true);
    expect(m.bias!.tolist()).toEqual([1, 2]);
    // a Map works too; a 0-d parameter accepts a 1-element 1-d tensor (PyTorch's 0.3 compatibility rule)
    const s = new (class extends nn.Module { a = new nn.Parameter(torch.tensor(1)); })();
    s.load_state_dict(new Map([['a', torch.tensor([5])]]));
    expect(s.a.item()).toBe(5);
    expect(() => m.load_state_dict({ weight: torch.zeros(2, 3), bias: 3 as any })).toThrow(/While copying the parameter named "bias", expected torch.Tensor/);
  });

  test('bias=null registers nothing; a key for it is unexpected', () => {
    const m = new nn.Linear(3, 2, false);
    expect(Object.keys(m.state_dict())).toEqual(['weight']);
    expect(m.parameters().length).toBe(1);
    expect(() => m.load_state_dict({ weight: torch.zeros(2, 3), bias: torch.zeros(2) })).toThrow(/Unexpected key\(s\) in state_dict: "bias"/);
  });

  test('buffers: registration order, persistent flag, null buffers, reassignment as a plain property', () => {
    class M extends nn.Module {
      declare b: torch.Tensor | null;
      declare a: torch.Tensor;
      declare n: torch.Tensor;
      w = new nn.Parameter(torch.zeros(1));
      constructor() {
        super();
        this.register_buffer('b', null);
        this.register_buffer('a', torch.zeros(2));
        this.register_buffer('n', torch.zeros(1), false);
      }
    }
    const m = new M();
    expect(Object.keys(m.state_dict())).toEqual(['w', 'a']);
    m.b = torch.ones(3); // now a tensor: the buffer appears, in registration order
    expect(Object.keys(m.state_dict())).toEqual(['w', 'b', 'a']);
    expect(m.named_buffers().map(([k]) => k)).toEqual(['b', 'a', 'n']);
    m.to('float64');
    expect(m.a.dtype).toBe('float64');
    expect(m.w.dtype).toBe('float64');
    expect(() => m.register_buffer('w', torch.zeros(1))).toThrow(/attribute 'w' already exists/);
    expect(() => m.register_buffer('x.y', torch.zeros(1))).toThrow(/can't contain "\."/);
    expect(() => m.register_buffer('forward', torch.zeros(1))).toThrow(/already exists/);
    expect(() => m.register_parameter('q', torch.zeros(1) as any)).toThrow(/torch.nn.Parameter or None required/);
  });

  test('integer-like names registered through the API keep PyTorch\'s insertion order', () => {
    const m = new nn.Module();
    m.add_module('b', new nn.ReLU());
    m.add_module('10', new nn.Linear(1, 1));
    m.add_module('2', new nn.Linear(1, 1));
    expect(m.named_children().map(([n]) => n)).toEqual(['b', '10', '2']);
    expect(Object.keys(m.state_dict())).toEqual(['10.weight', '10.bias', '2.weight', '2.bias']);
    expect(m.get_submodule('10')).toBeInstanceOf(nn.Linear);
  });
});

describe('forward hooks and call()', () => {
  test('pre-hooks replace inputs, forward hooks replace outputs, handles remove them', () => {
    const m = new nn.Linear(2, 2);
    const seen: string[] = [];
    const h1 = m.register_forward_pre_hook((mod, inputs) => {
      seen.push(`pre ${mod === m} ${inputs.length}`);
      return inputs[0].mul(0);
    });
    const h2 = m.register_forward_hook((_mod, inputs, out) => {
      seen.push(`post ${inputs[0].sum().item()}`);
      return out.add(1);
    });
    const y = m.call(torch.ones(1, 2));
    expect(seen).toEqual(['pre true 1', 'post 0']);
    expect(y.sub(m.bias!.add(1)).abs().sum().item()).toBeLessThan(1e-6);
    h1.remove();
    h2.remove();
    h2.remove(); // removing twice is harmless
    const z = m.call(torch.ones(1, 2));
    expect(z.allclose(F.linear(torch.ones(1, 2), m.weight, m.bias))).toBe(true);
    expect(seen.length).toBe(2);
  });

  test('a hook returning undefined keeps values; an array from a pre-hook is the new argument list', () => {
    const bil = new nn.Bilinear(2, 2, 1);
    const a = torch.ones(1, 2), b = torch.zeros(1, 2);
    bil.register_forward_pre_hook((_m, [x, y]) => [y, x]);
    bil.register_forward_hook(() => undefined);
    expect(bil.call(a, b).allclose(bil.forward(b, a))).toBe(true);
  });

  test('Sequential.forward chains call(), so submodule hooks run', () => {
    const relu = new nn.ReLU();
    const s = new nn.Sequential(new nn.Identity(), relu);
    let calls = 0;
    relu.register_forward_hook(() => { calls++; });
    s.call(torch.ones(2));
    expect(calls).toBe(1);
    expect(() => new nn.Module().call(1)).toThrow(/Module \[Module\] is missing the required "forward" function/);
  });
});

describe('modes, gradients, conversions', () => {
  test('train/eval recurse; zero_grad zeroes in place by default (1.13) or sets null', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.blocks.get(1).training).toBe(true);
    expect(() => net.train('yes' as any)).toThrow(/training mode is expected to be boolean/);
    const m = new nn.Linear(3, 2);
    m.call(torch.randn(4, 3)).sum().backward();
    const g = m.weight.grad!;
    m.zero_grad();
    expect(m.weight.grad).toBe(g);
    expect(g.abs().sum().item()).toBe(0);
    m.zero_grad({ set_to_none: true });
    expect(m.weight.grad).toBeNull();
  });

  test('apply visits children first, requires_grad_, double()/float() keep Parameter identity', () => {
    const s = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU()));
    const order: string[] = [];
    s.apply((m) => { order.push(m._get_name()); });
    expect(order).toEqual(['Linear', 'ReLU', 'Sequential', 'Sequential']);
    const w = (s.get(0) as nn.Linear).weight;
    s.double();
    expect(w.dtype).toBe('float64');
    expect((s.get(0) as nn.Linear).weight).toBe(w);
    expect(s.call(torch.ones(1, 2, { dtype: 'float64' })).dtype).toBe('float64');
    s.float();
    expect(w.dtype).toBe('float32');
    s.requires_grad_(false);
    expect(s.parameters().every((p) => !p.requires_grad)).toBe(true);
    expect(() => s.to('int32')).toThrow(/only accepts floating point dtypes/);
    expect(() => s.to('cuda')).toThrow(/spikeport runs on the CPU/);
  });

  test('get_submodule / get_parameter / get_buffer', () => {
    const net = new Net();
    expect(net.get_submodule('blocks.1.fc')).toBe((net.blocks.get(1) as Block).fc);
    expect(net.get_parameter('blocks.0.gate')).toBe((net.blocks.get(0) as Block).gate);
    expect(net.get_buffer('blocks.0.steps')).toBe((net.blocks.get(0) as Block).steps);
    expect(() => net.get_submodule('blocks.7')).toThrow(/ModuleList has no attribute `7`/);
    expect(() => net.get_submodule('scale')).toThrow(/`scale` is not an nn.Module/);
    expect(() => net.get_parameter('blocks.0.steps')).toThrow(/`steps` is not an nn.Parameter/);
  });

  test('Parameter: shares storage, requires grad, prints like PyTorch', () => {
    const t = torch.zeros(2);
    const p = new nn.Parameter(t);
    expect(p.requires_grad).toBe(true);
    expect(p.is_leaf).toBe(true);
    torch.no_grad(() => p.fill_(2));
    expect(t.tolist()).toEqual([2, 2]);
    expect(String(p).startsWith('Parameter containing:\n')).toBe(true);
    expect(new nn.Parameter(t, false).requires_grad).toBe(false);
    expect(() => new nn.Parameter(torch.zeros(2, { dtype: 'int32' }))).toThrow(/floating point/);
    expect(new nn.Parameter().shape).toEqual([0]);
  });
});

describe('containers', () => {
  test('Sequential: get, negative index, set, delete (renumbers), insert, append, extend, pop, len, iteration', () => {
    const a = new nn.ReLU(), b = new nn.Tanh(), c = new nn.Sigmoid();
    const s = new nn.Sequential(a, b);
    expect(s.length).toBe(2);
    expect(s.len()).toBe(2);
    expect(s.get(-1)).toBe(b);
    expect(() => s.get(2)).toThrow(/index 2 is out of range/);
    s.append(c);
    expect([...s]).toEqual([a, b, c]);
    s.delete(0);
    expect(s.named_children().map(([n, m]) => [n, m])).toEqual([['0', b], ['1', c]]);
    s.insert(0, a);
    expect([...s]).toEqual([a, b, c]);
    s.set(-1, a);
    expect(s.get(2)).toBe(a);
    expect(s.pop(1)).toBe(b);
    s.extend([b, c]);
    expect(s.length).toBe(4);
    s.delete({ start: 1, stop: 3 });
    expect([...s]).toEqual([a, c]);
    expect(s.slice(null, null, -1).named_children().map(([n]) => n)).toEqual(['1', '0']);
    const named = new nn.Sequential(new Map<string, nn.Module>([['conv', a], ['act', b]]));
    expect(named.toString()).toBe('Sequential(\n  (conv): ReLU()\n  (act): Tanh()\n)');
    expect(() => new nn.Sequential(3 as any)).toThrow(/must be a Module/);
  });

  test('ModuleList and ModuleDict', () => {
    const l = new nn.ModuleList();
    l.append(new nn.Linear(1, 1)).extend([new nn.Linear(1, 2)]);
    l.insert(0, new nn.ReLU());
    expect(l.named_children().map(([n, m]) => `${n}:${m._get_name()}`)).toEqual(['0:ReLU', '1:Linear', '2:Linear']);
    expect(Object.keys(l.state_dict())).toEqual(['1.weight', '1.bias', '2.weight', '2.bias']);
    expect(() => l.call(1)).toThrow(/missing the required "forward"/);
    const d = new nn.ModuleDict([['b', new nn.ReLU()], ['a', new nn.Tanh()]]);
    d.set('c', new nn.Linear(1, 1));
    expect(d.keys()).toEqual(['b', 'a', 'c']);
    expect([...d]).toEqual(['b', 'a', 'c']);
    expect(d.has('a')).toBe(true);
    expect(d.pop('a')._get_name()).toBe('Tanh');
    expect(d.length).toBe(2);
    expect(() => d.get('zz')).toThrow(/KeyError/);
    expect(Object.keys(d.state_dict())).toEqual(['c.weight', 'c.bias']);
  });

  test('many layers: keys 0..11 stay in numeric order', () => {
    const s = new nn.Sequential(...Array.from({ length: 12 }, () => new nn.Linear(1, 1, false)));
    expect(Object.keys(s.state_dict())).toEqual(Array.from({ length: 12 }, (_, i) => `${i}.weight`));
  });
});

describe('Linear is one gemm each way and trains', () => {
  test('transposed-view input and create_graph double backward', () => {
    const m = new nn.Linear(3, 2);
    const x = torch.randn(3, 4).t().requires_grad_(true);
    const y = m.call(x);
    const ref = x.matmul(m.weight.t()).add(m.bias!);
    expect(y.allclose(ref, { atol: 1e-6 })).toBe(true);
    const [gx] = torch.autograd.grad(y.square().sum(), [x], null, { create_graph: true });
    const [gx2] = torch.autograd.grad(gx!.sum(), [x]);
    const want = torch.autograd.grad(torch.autograd.grad(ref.square().sum(), [x], null, { create_graph: true })[0]!.sum(), [x])[0]!;
    expect(gx2!.allclose(want, { atol: 1e-5 })).toBe(true);
    expect(m.weight.grad).toBeNull();
  });

  test('weight gradients come out contiguous', () => {
    const m = new nn.Linear(5, 3);
    m.call(torch.randn(7, 5)).sum().backward();
    expect(m.weight.grad!.is_contiguous()).toBe(true);
    expect(m.weight.grad!.shape).toEqual([3, 5]);
  });
});
