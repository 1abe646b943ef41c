/**
 * spikingjelly.clock_driven.encoding (0.0.0.0.8) against fixtures recorded from the real library
 * (compat/record_spikingjelly_functional.py → fixtures/spikingjelly/encoding/): per-step spikes exact, memories
 * (`spike` exact, `t` by value), PoissonEncoder bit for bit after torch.manual_seed; facts for reprs, errors and the
 * PeriodicEncoder-after-reset behaviour.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { torch, nn } from '../../../src/index';
import { encoding, base, functional } from '../../../src/spikingjelly/index';
import { compareValues, describeComparison, type Fixture } from '../../../src/fixtures/index';
import { SJ_FIXTURES, expectReplay, factTensor, loadFx } from './helpers';

type Tensor = torch.Tensor;

const FOLDER = 'encoding';
const FILES = readdirSync(join(SJ_FIXTURES, FOLDER)).filter((f) => f.endsWith('.json') && !f.startsWith('facts')).sort();
const FACTS = JSON.parse(readFileSync(join(SJ_FIXTURES, FOLDER, 'facts_0.0.0.0.8.json'), 'utf8'));

/** The port of the recorded module: class name and constructor arguments from the fixture's module spec. */
function build(fx: Fixture): nn.Module {
  const cls = fx.module.class.split('.').pop()!;
  const args = new Map(fx.module.args);
  switch (cls) {
    case 'PoissonEncoder': return new encoding.PoissonEncoder();
    case 'LatencyEncoder': return new encoding.LatencyEncoder(args.get('T') as number, { enc_function: args.get('enc_function') as encoding.LatencyFunction });
    case 'WeightedPhaseEncoder': return new encoding.WeightedPhaseEncoder(args.get('T') as number);
    case 'PeriodicEncoder': return new encoding.PeriodicEncoder((args.get('spike') as Tensor).clone());
    default: throw new Error(`no port for ${fx.module.class}`);
  }
}

function expectSame(quantity: string, expected: unknown, got: unknown, tol: 'exact' | { atol: number; rtol: number } = 'exact'): void {
  const r = compareValues(expected, got, tol);
  if (!r.pass) throw new Error(describeComparison(quantity, r));
}

describe('encoder fixtures (replayed through the fixture kit)', () => {
  test('every encoder class of 0.0.0.0.8 encoding.py with an encode rule has fixtures', () => {
    const classes = new Set(FILES.map((f) => f.split('_')[0]));
    expect(classes).toEqual(new Set(['PoissonEncoder', 'LatencyEncoder', 'WeightedPhaseEncoder', 'PeriodicEncoder']));
    expect(FILES.length).toBe(10);
  });

  test.each(FILES)('%s', async (file) => {
    const fx = await loadFx(FOLDER, file);
    expect(fx.upstream.version).toBe('0.0.0.0.8');
    expect(fx.tolerances[fx.steps[0].output.tol].kind).toBe('exact');
    const model = build(fx);
    const r = expectReplay(fx, { model });
    // outputs of every step, and for stateful encoders the memories spike and t
    expect(r.checks.filter((c) => c.group === 'output').length).toBe(fx.steps.length);
    if (model instanceof base.MemoryModule) expect(r.checks.filter((c) => c.group === 'memory').length).toBe(2 * fx.steps.length);
  });
});

describe('PoissonEncoder', () => {
  test("after torch.manual_seed the spikes equal PyTorch's bit for bit (rand_like(x) <= x)", async () => {
    const fx = await loadFx(FOLDER, 'PoissonEncoder_2d.json');
    const enc = new encoding.PoissonEncoder();
    torch.manual_seed(fx.settings.seed as number);
    const x = fx.steps[0].inputs[0];
    for (const [t, st] of fx.steps.entries()) {
      const s = enc.call(x);
      expect(s.dtype).toBe('float32');
      expectSame(`step ${t}`, st.output.value, s, 'exact');
    }
    // x = 0 never fires, x = 1 always does
    expect(fx.steps.every((st) => (st.output.value as Tensor).index(0, 1).item() === 1)).toBe(true);
    expect(enc).not.toBeInstanceOf(base.MemoryModule);
  });

  test('float64 input gives float64 spikes; argument errors', () => {
    torch.manual_seed(0);
    expect(new encoding.PoissonEncoder().call(torch.rand(3, { dtype: 'float64' })).dtype).toBe('float64');
    expect(() => new encoding.PoissonEncoder().call([0.5] as never)).toThrow(/PoissonEncoder.forward: x must be a Tensor/);
  });
});

describe('stateful encoders', () => {
  test('memories spike (null) and t (0) at construction, after steps, after reset (and reset_net)', () => {
    const e = new encoding.LatencyEncoder(3);
    expectSame('initial', FACTS.latency_memories_initial, e.named_memories());
    expect(e).toBeInstanceOf(base.MemoryModule);
    e.call(torch.tensor([0.0, 1.0]));
    e.call(torch.tensor([0.0, 1.0]));
    expect(e.t).toBe(2);
    expect(e.spike!.shape).toEqual([3, 2]);
    e.reset();
    expect(e.named_memories()).toEqual([['spike', null], ['t', 0]]);
    e.call(torch.tensor([0.5]));
    functional.reset_net(new nn.Sequential(e));
    expect(e.named_memories()).toEqual([['spike', null], ['t', 0]]);
    expect(e.state_dict()).toEqual({});
  });

  test('LatencyEncoder rounds half to even (torch.round): (T - 1)(1 - x) = 1.5 fires at t = 2', () => {
    const e = new encoding.LatencyEncoder(4);
    const outs = [0, 1, 2, 3].map(() => e.call(torch.tensor([0.5])).item());
    expect(outs).toEqual([0, 0, 1, 0]);
    expectSame('first step', factTensor(FACTS['latency_T4_0.5']), torch.tensor([outs[0]]));
  });

  test('LatencyEncoder keeps x dtype; later inputs are ignored until reset', () => {
    const e = new encoding.LatencyEncoder(3, 'log');
    expect(e.alpha).toBeCloseTo(Math.exp(2) - 1, 12);
    const s0 = e.call(torch.tensor([[1.0, 0.0]], { dtype: 'float64' }));
    expect(s0.dtype).toBe('float64');
    expect(s0.tolist()).toEqual([[1, 0]]);
    expect(e.call(torch.tensor([[0.0, 1.0]], { dtype: 'float64' })).tolist()).toEqual([[0, 0]]);
    expect(e.call().tolist()).toEqual([[0, 1]]);
    expect(e.t).toBe(0);
  });

  test('WeightedPhaseEncoder: 0.0.0.0.8 cannot encode (self.phase is never set); the port uses T phases', () => {
    expect(FACTS.weighted_phase_error).toBe("AttributeError: 'WeightedPhaseEncoder' object has no attribute 'phase'");
    const e = new encoding.WeightedPhaseEncoder(8);
    // the paper's table: 192/256 = 11000000, 1/256 = 00000001, 128/256 = 10000000, 255/256 = 11111111
    const x = torch.tensor([192 / 256, 1 / 256, 128 / 256, 255 / 256]);
    const bits = Array.from({ length: 8 }, () => e.call(x).tolist() as number[]);
    const col = (j: number): string => bits.map((b) => b[j]).join('');
    expect([col(0), col(1), col(2), col(3)]).toEqual(['11000000', '00000001', '10000000', '11111111']);
    expect(e.spike!.dtype).toBe('float32');
  });

  test('PeriodicEncoder after reset: spike is null, so the next call encodes its argument (upstream: the same)', () => {
    const sp = torch.tensor([[1, 0], [0, 1], [1, 1]]);
    const p = new encoding.PeriodicEncoder(sp);
    p.call();
    p.call();
    p.reset();
    expectSame('memories after reset', FACTS.periodic_memories_after_reset, p.named_memories());
    // upstream: forward(None) -> AttributeError; the port raises a clear error
    expect(FACTS.periodic_forward_none_after_reset_error).toMatch(/AttributeError/);
    expect(() => p.call()).toThrow(/PeriodicEncoder.encode: spike must be a Tensor \[T, …\] \(after reset\(\) the spike sequence is gone: pass it to the encoder again\), got undefined/);
    p.reset();
    const sp2 = factTensor(FACTS.periodic_after_reset_spike2);
    const outs = (FACTS.periodic_after_reset_outputs as unknown[]).map(() => p.call(sp2));
    expectSame('outputs', (FACTS.periodic_after_reset_outputs as unknown[]).map(factTensor), outs);
    expect(p.T).toBe(FACTS.periodic_after_reset_T);
  });

  test('reprs', () => {
    const sp = torch.ones(3, 2);
    const got: Record<string, string> = {
      'LatencyEncoder(5)': new encoding.LatencyEncoder(5).toString(),
      "LatencyEncoder(3, 'log')": new encoding.LatencyEncoder(3, 'log').toString(),
      'PeriodicEncoder(spike [3, 2])': new encoding.PeriodicEncoder(sp).toString(),
      'PoissonEncoder()': new encoding.PoissonEncoder().toString(),
      'WeightedPhaseEncoder(4)': new encoding.WeightedPhaseEncoder(4).toString(),
      'StatelessEncoder()': new encoding.StatelessEncoder().toString(),
    };
    expect(got).toEqual(FACTS.reprs);
  });
});

describe('argument errors (0.0.0.0.8 raises in the same places)', () => {
  test.each([
    ["LatencyEncoder(4, 'exp')", () => new encoding.LatencyEncoder(4, 'exp' as 'log'), /LatencyEncoder: enc_function must be 'linear' or 'log', got "exp"/],
    ['LatencyEncoder(0)', () => new encoding.LatencyEncoder(0), /LatencyEncoder: T must be an integer >= 1, got 0/],
    ['LatencyEncoder(2.0)', () => new encoding.LatencyEncoder(2.5), /LatencyEncoder: T must be an integer >= 1, got 2.5/],
    ['LatencyEncoder(4)(x = 1.5)', () => new encoding.LatencyEncoder(4).call(torch.tensor([1.5])), /LatencyEncoder.encode: x must lie in \[0, 1\]: the firing time t_f = -2 computed from x = 1.5/],
    ['LatencyEncoder(4)(x = -0.5)', () => new encoding.LatencyEncoder(4).call(torch.tensor([-0.5])), /t_f = 4 computed from x = -0.5 \(flat index 0\) is outside \[0, 3\]/],
    ['StatelessEncoder()(x)', () => new encoding.StatelessEncoder().call(torch.zeros(1)), /StatelessEncoder.forward is not implemented/],
    ['StatefulEncoder(3)(x)', () => new encoding.StatefulEncoder(3).call(torch.zeros(1)), /StatefulEncoder.encode is not implemented/],
  ] as [string, () => unknown, RegExp][])('%s', (key, f, re) => {
    expect(FACTS.errors[key]).not.toBeNull(); // upstream raised too
    expect(f).toThrow(re);
  });

  test('more', () => {
    expect(() => new encoding.WeightedPhaseEncoder(4).call(torch.tensor([0.95]))).toThrow(/WeightedPhaseEncoder.encode: x must lie in \[0, 1 - 2\^-4\] = \[0, 0.9375\] for 4 phases, got values in \[0.94999/);
    expect(() => new encoding.WeightedPhaseEncoder(4).call(torch.tensor([-0.1]))).toThrow(/x must lie in/);
    expect(() => new encoding.LatencyEncoder(4, { enc_fn: 'log' } as never)).toThrow(/LatencyEncoder: unknown option "enc_fn"/);
    expect(() => new encoding.LatencyEncoder(4).call(null)).toThrow(/LatencyEncoder.encode: x must be a Tensor, got null/);
    expect(() => new encoding.PeriodicEncoder(torch.tensor(1))).toThrow(/PeriodicEncoder: spike must be a tensor \[T, …\] \(at least 1-D\)/);
    expect(() => new encoding.PeriodicEncoder(torch.zeros(0, 2))).toThrow(/PeriodicEncoder: T must be an integer >= 1, got 0/);
  });
});
