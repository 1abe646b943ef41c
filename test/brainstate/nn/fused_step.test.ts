/**
 * LIF/LIFRef take a one-pass step (_onePass) or a fused step (_fusedStep) when their _reset/_integrate/get_spike are
 * their own; a subclass overriding _integrate takes the general path (_reset + _integrate). The three must give
 * bit-identical states and spikes, and the one-pass step gives the same bits in WebAssembly as in JS.
 */
import * as torch from '../../../src/torch/index';
import { environ, nn } from '../../../src/brainstate/index';
import { set_snn_backend } from '../../../src/index';
import { BRAINUNIT_WEIGHT_SCALE, EINet } from '../../../examples/brainstate/einet';

type Tensor = torch.Tensor;
const bits = (t: Tensor): string => Buffer.from(new Uint8Array((t.contiguous().toTypedArray() as Float32Array).buffer)).toString('hex');

class SlowLIFRef extends nn.LIFRef {
  protected override _integrate(fn: string, last: Float32Array, shape: readonly number[], x: unknown): Float32Array { return super._integrate(fn, last, shape, x); }
}
class SlowLIF extends nn.LIF {
  protected override _integrate(fn: string, last: Float32Array, shape: readonly number[], x: unknown): Float32Array { return super._integrate(fn, last, shape, x); }
}

type Case = { ref: boolean; hard?: boolean; vec?: boolean; fnInput?: boolean; delta?: boolean; tensorX?: boolean; cuba?: boolean; batch?: number };

function run(c: Case, slow: boolean): string[] {
  torch.manual_seed(7);
  environ._reset_for_tests();
  const n = 40;
  const opts: Record<string, unknown> = {
    V_rest: -60, V_reset: -60, spk_reset: c.hard ? 'hard' : 'soft',
    V_th: c.vec ? torch.randn([n]).mul(0.5).add(-50) : -50, tau: c.vec ? torch.rand([n]).add(15) : 20,
    V_initializer: (s: number[]) => torch.randn(s).mul(4).add(-54),
  };
  if (c.ref) opts.tau_ref = c.vec ? torch.rand([n]).mul(5) : 5;
  const Cls = c.ref ? (slow ? SlowLIFRef : nn.LIFRef) : (slow ? SlowLIF : nn.LIF);
  const N = new Cls(n, opts as never) as nn.LIF;
  const E = new nn.AlignPostProj({ comm: new nn.EventFixedProb(n, n, { conn_num: 0.2, conn_weight: 0.5, seed: 1 }), syn: nn.Expon.desc(n, { tau: 5 }), out: nn.COBA.desc(0), post: N });
  const I = new nn.AlignPostProj({ comm: new nn.EventFixedProb(n, n, { conn_num: 0.2, conn_weight: 2, seed: 2 }), syn: nn.Expon.desc(n, { tau: 10 }), out: c.cuba ? nn.CUBA.desc(-0.3) : nn.COBA.desc(-80), post: N });
  if (c.fnInput) N.add_current_input('fn', (v?: Tensor) => (v === undefined ? 0.5 : v.mul(-0.01)));
  N.init_state(c.batch ?? null);
  if (c.batch) { (E.syn as nn.Expon).init_state(c.batch); (I.syn as nn.Expon).init_state(c.batch); }
  const log: string[] = [];
  for (let i = 0; i < 200; i++) {
    environ.context({ i, t: Math.fround(i * Math.fround(0.1)) }, () => {
      const spk = N.get_spike().ne(0);
      if (!c.batch) { E.call(spk); I.call(spk); }
      if (c.delta && i % 7 === 0) N.add_delta_input(`d${i}`, 0.3);
      const x = c.tensorX ? torch.rand(c.batch ? [c.batch, n] : [n]).mul(40) : 21;
      log.push(bits(N.call(x)), bits(N.V.value));
      if (c.ref) log.push(bits((N as nn.LIFRef).last_spike_time.value));
    });
  }
  return log;
}

const cases: [string, Case][] = [
  ['LIFRef, COBA ×2 (one pass)', { ref: true }],
  ['LIFRef, hard reset, per-neuron parameters', { ref: true, hard: true, vec: true }],
  ['LIFRef, COBA + CUBA, tensor x', { ref: true, cuba: true, tensorX: true }],
  ['LIFRef, a function current input (fused step)', { ref: true, fnInput: true }],
  ['LIFRef, delta inputs (fused step)', { ref: true, delta: true, vec: true }],
  ['LIFRef, batch axis (fused step, k mod n)', { ref: true, batch: 2, tensorX: true }],
  ['LIF, COBA ×2 (one pass)', { ref: false }],
  ['LIF, a function current input and delta inputs', { ref: false, fnInput: true, delta: true, hard: true }],
];

describe('brainstate LIF/LIFRef fast steps equal the general path bit for bit', () => {
  afterAll(() => environ._reset_for_tests());
  test.each(cases)('%s', (_name, c) => {
    const fast = run(c, false), slow = run(c, true);
    expect(fast.length).toBe(slow.length);
    const k = fast.findIndex((v, i) => v !== slow[i]);
    expect(k).toBe(-1);
    // the run is not trivial: some neuron fired
    expect(fast.some((v, i) => i % (c.ref ? 3 : 2) === 0 && /3f800000|0000803f/.test(v))).toBe(true);
  });
});

describe('the one-pass step in WebAssembly (core/kernels/brainstate_steps.ts) and in JS give the same bits', () => {
  afterAll(() => environ._reset_for_tests());
  test.each(cases.filter(([, c]) => !c.fnInput && !c.delta && !c.batch))('%s', (_name, c) => {
    set_snn_backend('js');
    let js: string[];
    try { js = run(c, false); } finally { set_snn_backend('auto'); }
    const wasm = run(c, false);
    expect(wasm.findIndex((v, i) => v !== js[i])).toBe(-1);
  });

  test('the brainstate COBA network (1000 neurons, 300 steps, upstream-strength and unitless weights)', () => {
    for (const ws of [BRAINUNIT_WEIGHT_SCALE, 1]) {
      const runNet = (): string[] => {
        environ._reset_for_tests();
        environ.set({ dt: 0.1 });
        const net = new EINet(0.25, 5, ws), log: string[] = [];
        for (let i = 0; i < 300; i++) {
          environ.context({ i, t: Math.fround(i * Math.fround(0.1)) }, () => {
            log.push(bits(net.update(20)), bits(net.N.V.value), bits((net.N as nn.LIFRef).last_spike_time.value));
          });
        }
        return log;
      };
      set_snn_backend('js');
      let js: string[];
      try { js = runNet(); } finally { set_snn_backend('auto'); }
      const wasm = runNet();
      expect(wasm.findIndex((v, i) => v !== js[i])).toBe(-1);
      expect(wasm.some((v, i) => i % 3 === 0 && /0000803f/.test(v))).toBe(true); // neurons fired
    }
  });
});
