/**
 * Replays fixtures/torch/nn/{init,dropout}.json: after torch.manual_seed(s), nn.init functions, default layer
 * initialisation and dropout masks equal PyTorch 1.13's bit for bit, and leave the generator where PyTorch leaves it.
 */
import { nn, F, torch } from '../../../src/index';
import { expectExact, expectTol, FWD_TOL, loadNnFixture, rows, toTensor } from './nn_fixtures';

const fx = loadNnFixture('init');
const dx = loadNnFixture('dropout');

function label(c: any): string {
  return `${c.fn}(${c.dtype} [${c.shape}]${c.args.length ? ', ' + c.args.join(', ') : ''}${Object.keys(c.kwargs).length ? ', ' + JSON.stringify(c.kwargs) : ''}) seed ${c.seed}`;
}

describe('nn.init matches PyTorch 1.13 bit for bit', () => {
  const initRows: [string, any][] = fx.cases.map((c: any) => [label(c), c]);
  test.each(initRows)('%s', (_n: string, c: any) => {
    torch.manual_seed(c.seed);
    const t = torch.empty(c.shape, { dtype: c.dtype });
    const r = (nn.init as any)[c.fn](t, ...c.args, c.kwargs);
    expect(r).toBe(t);
    if (c.fn === 'orthogonal_') {
      // torch's QR runs LAPACK in float32; spikeport's Householder QR runs in float64
      expectTol(`${c.fn} result`, t, c.result, { atol: 2e-6, rtol: 1e-5 });
    } else if (c.fn === 'trunc_normal_' && c.dtype === 'float64') {
      // float64 erfinv: torch's Newton steps call glibc's double erf, spikeport's Cody erf (both ~1 ulp)
      expectTol(`${c.fn} result`, t, c.result, { atol: 1e-15, rtol: 1e-13 });
    } else {
      expectExact(`${c.fn} result`, t, c.result);
    }
    expectExact(`${c.fn}: torch.rand(3) after`, torch.rand(3), c.rand_after);
  });

  test('calculate_gain', () => {
    for (const [k, v] of Object.entries(fx.gains)) {
      const m = /^(\w+)\((.+)\)$/.exec(k);
      const got = m ? nn.init.calculate_gain(m[1], m[2] === 'sqrt5' ? Math.sqrt(5) : Number(m[2])) : nn.init.calculate_gain(k);
      expect([k, got]).toEqual([k, v]);
    }
    expect(() => nn.init.calculate_gain('swish')).toThrow(/Unsupported nonlinearity "swish"/);
  });

  test('fan computation and argument errors', () => {
    expect(nn.init._calculate_fan_in_and_fan_out(torch.empty(8, 4, 3, 3))).toEqual([36, 72]);
    expect(() => nn.init._calculate_fan_in_and_fan_out(torch.empty(3))).toThrow(/fewer than 2 dimensions/);
    expect(() => nn.init.kaiming_uniform_(torch.empty(3, 3), { mode: 'fan_avg' as any })).toThrow(/Mode "fan_avg" not supported/);
    expect(() => nn.init.kaiming_uniform_(torch.empty(3, 3), { nonlinearty: 'relu' } as any)).toThrow(/unknown option "nonlinearty"/);
    expect(() => nn.init.eye_(torch.empty(3))).toThrow(/Only tensors with 2 dimensions/);
    // parameters that require grad are filled under no_grad
    const p = new nn.Parameter(torch.empty(4, 4));
    expect(() => nn.init.normal_(p)).not.toThrow();
    expect(p.requires_grad).toBe(true);
  });

  test('erfinvFloat32 reproduces torch.erfinv on float32 (all but a few 1e-4 of values bit for bit, the rest within 3 ulp)', () => {
    const y = toTensor(fx.erfinv.y).toTypedArray() as Float32Array, want = toTensor(fx.erfinv.x).toTypedArray() as Float32Array;
    const f = new Float32Array(2), u = new Int32Array(f.buffer);
    let differ = 0;
    for (let i = 0; i < y.length; i++) {
      f[0] = nn.init.erfinvFloat32(y[i]);
      f[1] = want[i];
      if (u[0] !== u[1]) {
        differ++;
        expect(Math.abs(u[0] - u[1])).toBeLessThanOrEqual(3);
      }
    }
    // the rare differences come from V8's exp/log versus glibc's expf/logf in the |y| > 0.7 branch
    expect(differ).toBeLessThanOrEqual(y.length * 5e-4);
  });

  test('erfinv: float64 version is accurate, float32 version within 2 ulp of erfinv', () => {
    for (const y of [-0.999, -0.7, -0.3, 0, 1e-8, 0.2, 0.69, 0.71, 0.9, 0.9999]) {
      const x = nn.init.erfinvFloat64(y);
      expect(Math.abs(torch.erf(torch.tensor([x], { dtype: 'float64' })).item() - y)).toBeLessThan(1e-15);
    }
    expect(nn.init.erfinvFloat32(1)).toBe(Infinity);
    expect(nn.init.erfinvFloat32(-1)).toBe(-Infinity);
    expect(nn.init.erfinvFloat32(1.5)).toBeNaN();
  });
});

const BUILD: Record<string, () => nn.Module> = {
  'Linear(20, 10)': () => new nn.Linear(20, 10),
  'Linear(784, 512)': () => new nn.Linear(784, 512),
  'Linear(7, 3, bias=False)': () => new nn.Linear(7, 3, false),
  'Linear(5, 3) float64': () => new nn.Linear(5, 3, { dtype: 'float64' }),
  'Bilinear(3, 4, 2)': () => new nn.Bilinear(3, 4, 2),
  'Embedding(10, 4)': () => new nn.Embedding(10, 4),
  'Embedding(6, 3, padding_idx=2)': () => new nn.Embedding(6, 3, { padding_idx: 2 }),
  'Embedding(100, 16)': () => new nn.Embedding(100, 16),
  'Sequential MLP': () => new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(128, 64), new nn.ReLU(), new nn.Linear(64, 10)),
};

describe('default initialisation: torch.manual_seed(s); new nn.X(…) gives PyTorch\'s state_dict bit for bit', () => {
  test.each(rows(fx.defaults))('%s', (name: string, c: any) => {
    torch.manual_seed(c.seed);
    const m = BUILD[name]();
    const sd = m.state_dict();
    expect(Object.keys(sd)).toEqual(c.keys);
    for (const k of c.keys) expectExact(`${name} ${k}`, sd[k], c.state_dict[k]);
    expectExact(`${name}: torch.rand(3) after`, torch.rand(3), c.rand_after);
  });
});

describe('dropout masks match PyTorch 1.13 for a seed', () => {
  test.each(rows(dx.cases))('%s', (_n: string, c: any) => {
    torch.manual_seed(c.seed);
    const x = torch.ones(c.shape, { dtype: c.dtype });
    const y = (F as any)[c.fn](x, c.p, c.training);
    expectExact(`${c.name} output`, y, c.output);
    expectExact(`${c.name}: torch.rand(3) after`, torch.rand(3), c.rand_after);
    if (!c.training) expect(y).toBe(x);
  });

  test('a Sequential with Dropout and Dropout2d in training mode', () => {
    const s = dx.sequential;
    torch.manual_seed(s.seed);
    const m = new nn.Sequential(new nn.Linear(6, 6), new nn.Dropout(0.5), new nn.Linear(6, 6), new nn.Dropout2d(0.3));
    for (const [k, v] of Object.entries(m.state_dict())) expectExact(`state_dict ${k}`, v, s.state_dict[k]);
    expectTol('output', m.call(toTensor(s.input)), s.output, FWD_TOL);
  });

  test('eval mode is the identity; module and p checks', () => {
    const d = new nn.Dropout(0.5);
    const x = torch.randn(3, 3);
    d.eval();
    expect(d.call(x)).toBe(x);
    d.train();
    expect(d.call(x).equal(x)).toBe(false);
    expect(() => new nn.Dropout(1.5)).toThrow(/dropout probability has to be between 0 and 1, but got 1.5/);
    expect(() => F.dropout(x, -0.1)).toThrow(/between 0 and 1/);
    // gradients flow through the kept units, scaled by 1/(1-p)
    const xg = torch.ones(50).requires_grad_(true);
    const y = F.dropout(xg, 0.2);
    y.sum().backward();
    expect(xg.grad!.equal(y.detach())).toBe(true);
  });
});
