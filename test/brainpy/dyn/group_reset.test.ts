/**
 * reset_state(batch_size) on a network passes the batch size to what it holds (BrainPy's propagation): the LIF
 * neurons take it (a leading batch axis), the NonBatchingMode-only pieces (synapses, delays) refuse it by name.
 */
import { bp, bm } from '../../../src/brainpy/index';

beforeEach(() => { bm.clear_name_cache(); bp.share.clear_shargs(); bm.set_dt(0.1); });

test('a DynSysGroup passes batch_size to its neurons', () => {
  class Net extends bp.DynSysGroup {
    a = new bp.dyn.LifRef(5, { mode: bm.training_mode, V_initializer: -1 });
    b = new bp.dyn.Lif(3, { mode: bm.training_mode });
    override update(x: number) { this.a.call(x); return this.b.call(x); }
  }
  const net = new Net();
  net.reset_state(4);
  expect(net.a.V.shape).toEqual([4, 5]);
  expect(net.b.V.shape).toEqual([4, 3]);
  expect(net.a.t_last_spike!.shape).toEqual([4, 5]);
  net.reset_state();
  expect(net.a.V.shape).toEqual([5]);
  expect(() => net.reset_state(0)).toThrow(/batch_size.*null or a positive integer/);
  expect(() => net.reset_state(1.5)).toThrow(/batch_size.*null or a positive integer/);
});

test('synapses and delays run in NonBatchingMode only: a batch size reaching them raises, naming them', () => {
  const N = new bp.dyn.LifRef(4);
  const syn = new bp.dyn.Expon(4, { tau: 5 });
  const delay = new bp.VarDelay(N.spike, { entries: { d: 0.3 } });
  expect(() => syn.reset_state(2)).toThrow('Expon.reset_state: batch_size must be null/undefined (Expon runs in NonBatchingMode only in spikeport), got 2');
  expect(() => delay.reset_state(2)).toThrow(/VarDelay.reset_state: batch_size must be null\/undefined/);
  expect(() => new bp.dyn.Alpha(4).reset_state(3)).toThrow(/Alpha.reset_state/);
  // a merged align-post synapse hangs off the neuron's hooks: the neuron's group reset reaches it
  new bp.dyn.HalfProjAlignPostMg({ comm: new bp.dnn.EventJitFPHomoLinear(4, 4, { prob: 0.5, weight: 1 }), syn: bp.dyn.Expon.desc(4, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 0 }), post: N });
  expect(() => N.reset_state(2)).toThrow(/Expon.reset_state: batch_size/); // its hooks get the batch size too
  class G extends bp.DynSysGroup { n = N; }
  expect(() => new G().reset_state(2)).toThrow(/Expon.reset_state: batch_size/);
  expect(() => new G().reset_state()).not.toThrow();
});
