/**
 * The align-post projections' in-place path: an event JIT or CSR layer writes its product into the synapse's own
 * array P (bp.dyn.Expon, beside g in the post group's arena) and add_current adds it in one SIMD pass. Every case
 * here is compared bit for bit with the same network whose comm is a plain function (which takes the general path: a
 * fresh output and a scattered add): g, V, spikes and the returned products.
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { DynamicalSystem } from '../../../src/brainpy/dynsys';
import { TouchList, setSparseHint } from '../../../src/core/sparse_hint';
import { SnnArena } from '../../../src/core/kernels/snn';

const bits = (t: torch.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.contiguous().toTypedArray() as Float32Array).buffer));

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/**
 * A pre group spiking at random (rate p per step); with `hint`, it publishes its spiking indices as the spike
 * Variable's nonzero hint, as a LIF group does (the layers then visit only those rows).
 */
class Src extends DynamicalSystem {
  spike: InstanceType<typeof bm.Variable>;
  private readonly list = new TouchList(0, true);
  constructor(readonly num: number, private readonly r: () => number, private readonly p: number, private readonly hint: boolean) {
    super();
    this.spike = new bm.Variable(torch.zeros(num).to('bool'));
  }
  override update(): torch.Tensor {
    const b = this.spike.buffer as Uint8Array, idx = this.list.begin(this.num);
    let c = 0;
    for (let k = 0; k < this.num; k++) { const s = this.r() < this.p ? 1 : 0; b[this.spike.offset + k] = s; if (s) idx[c++] = k; }
    this.list.count = c;
    this.spike._version.v++;
    if (this.hint) setSparseHint(this.spike, this.list);
    return this.spike;
  }
  override return_info(): torch.Tensor { return this.spike; }
}

type Kind = 'HalfMg' | 'FullMg' | 'Half' | 'Full';
type Layer = InstanceType<typeof bp.dnn.EventJitFPHomoLinear>;

/** pre → post with the given projection kind; `plain` hides the layer behind a function (the general path). */
function build(kind: Kind, plain: boolean, layers: (nIn: number, nOut: number, k: number) => Layer, nProj = 2, same = false, hint = true) {
  bm.set_dt(0.1);
  const pre = new Src(60, rng(5), 0.15, hint);
  const post = new bp.dyn.LifRef(50, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 2, V_initializer: new bp.init.Normal(-55, 2, 3) });
  const projs: DynamicalSystem[] = [];
  for (let k = 0; k < nProj; k++) {
    const layer = layers(60, 50, k);
    const comm = plain ? (x: torch.Tensor) => layer.call(x) : layer;
    const tau = same ? 5 : 5 + k, E = k % 2 && !same ? -80 : 0;
    const synD = bp.dyn.Expon.desc(50, { tau }), outD = bp.dyn.COBA.desc({ E });
    if (kind === 'HalfMg') projs.push(new bp.dyn.HalfProjAlignPostMg({ comm, syn: synD, out: outD, post }));
    else if (kind === 'FullMg') projs.push(new bp.dyn.FullProjAlignPostMg({ pre, delay: 0.2, comm, syn: synD, out: outD, post }));
    else if (kind === 'Half') projs.push(new bp.dyn.HalfProjAlignPost({ comm, syn: new bp.dyn.Expon(50, { tau }), out: new bp.dyn.COBA({ E }), post }));
    else projs.push(new bp.dyn.FullProjAlignPost({ pre, delay: 0.2, comm, syn: new bp.dyn.Expon(50, { tau }), out: new bp.dyn.COBA({ E }), post }));
  }
  return { pre, post, projs };
}

/**
 * Runs 60 steps (in bm.for_loop, as models do); per step: the products returned, every synapse's g, V and spikes.
 * `at(i)` runs before step i (to change a layer between steps).
 */
function run(net: ReturnType<typeof build>, kind: Kind, at: (i: number) => void = () => {}): number[][] {
  const out: number[][] = [];
  const syns = new Set(net.projs.map((p) => (p as unknown as { syn: { g: torch.Tensor } }).syn));
  bm.for_loop((i: number) => {
    at(i);
    bp.share.save({ i, t: Math.fround(i * 0.1) });
    const spk = net.pre.call();
    const cur = net.projs.map((p) => (kind === 'HalfMg' || kind === 'Half' ? p.call(spk) : p.call()) as torch.Tensor);
    net.post.call(60);
    out.push(cur.flatMap(bits));
    for (const s of syns) out.push(bits(s.g));
    out.push(bits(net.post.V), Array.from(net.post.spike.toTypedArray() as Uint8Array));
  }, Array.from({ length: 60 }, (_, i) => i));
  return out;
}

const homo = (nIn: number, nOut: number, k: number): Layer => new bp.dnn.EventJitFPHomoLinear(nIn, nOut, { prob: 0.2, weight: 0.3 + 0.1 * k, seed: 10 + k });
const uniform = (nIn: number, nOut: number, k: number): Layer => new bp.dnn.EventJitFPUniformLinear(nIn, nOut, { prob: 0.2, w_low: 0.1, w_high: 0.4 + 0.1 * k, seed: 20 + k }) as unknown as Layer;
const csr = (nIn: number, nOut: number, k: number): Layer => new bp.dnn.EventCSRLinear(new bp.conn.FixedProb(0.2, { pre: nIn, post: nOut, seed: 30 + k }), 0.3 + 0.1 * k) as unknown as Layer;

afterEach(() => bp.share.clear_shargs());

describe.each(['HalfMg', 'FullMg', 'Half', 'Full'] as const)('%s', (kind) => {
  test.each([['homo', true, homo], ['homo', false, homo], ['uniform', true, uniform], ['csr', true, csr], ['csr', false, csr]] as const)('%s layers, spike list %s: bit-identical to the general path', (_name, hint, layers) => {
    const fast = build(kind, false, layers, 2, false, hint), slow = build(kind, true, layers, 2, false, hint);
    const a = run(fast, kind), b = run(slow, kind);
    expect(a.length).toBe(b.length);
    for (let s = 0; s < a.length; s++) expect(a[s]).toEqual(b[s]);
    // the network was active: some post neurons fired
    expect(a.filter((_, s) => s % 5 === 4).some((row) => row.some((v) => v === 1))).toBe(true);
  });
});

test('the synapses of a post group live in its arena (four slots; a fifth keeps its own) and all give the general path\'s values', () => {
  const fast = build('HalfMg', false, homo, 5), slow = build('HalfMg', true, homo, 5);
  const bufs = fast.projs.map((p) => ((p as unknown as { syn: { g: torch.Tensor } }).syn.g.buffer as Float32Array).buffer);
  expect(bufs.slice(0, 4).every((b) => b === (fast.post.V.buffer as Float32Array).buffer)).toBe(true);
  expect(bufs[4]).not.toBe((fast.post.V.buffer as Float32Array).buffer);
  const a = run(fast, 'HalfMg'), b = run(slow, 'HalfMg');
  for (let s = 0; s < a.length; s++) expect(a[s]).toEqual(b[s]);
});

test('merged Mg projections (one synapse): the second writes a fresh array, so the first one\'s product stays as returned', () => {
  const fast = build('HalfMg', false, homo, 2, true), slow = build('HalfMg', true, homo, 2, true);
  const syns = new Set(fast.projs.map((p) => (p as unknown as { syn: unknown }).syn));
  expect(syns.size).toBe(1);
  const a = run(fast, 'HalfMg'), b = run(slow, 'HalfMg');
  for (let s = 0; s < a.length; s++) expect(a[s]).toEqual(b[s]);
});

test('a layer\'s weight, seed, probability or atomic changed between steps: the next product uses them, as the general path does', () => {
  for (const kind of ['HalfMg', 'Half'] as const) {
    const made: Layer[][] = [[], []];
    const nets = [0, 1].map((j) => build(kind, j === 1, (nIn, nOut, k) => { const l = homo(nIn, nOut, k); made[j].push(l); return l; }));
    const change = (j: number) => (i: number): void => {
      const l = made[j][0];
      if (i === 15) l.weight = 0.9;
      if (i === 25) l.seed = 99;
      if (i === 35) l.prob = 0.35;
      if (i === 45) { l.weight = 0.25; l.atomic = false; }
    };
    const a = run(nets[0], kind, change(0)), b = run(nets[1], kind, change(1));
    for (let s = 0; s < a.length; s++) expect(a[s]).toEqual(b[s]);
    // each change showed: the first projection's product differs from what it would have been (the first network
    // again, unchanged)
    const same = build(kind, false, homo), c = run(same, kind);
    for (const i of [16, 26, 36, 46]) expect(a[i * 5]).not.toEqual(c[i * 5]);
  }
});

test('a layer with a forward hook is called as usual (the hook runs every step)', () => {
  const net = build('HalfMg', false, homo, 1);
  let calls = 0;
  ((net.projs[0] as unknown as { comm: { register_forward_hook(h: () => void): unknown } }).comm).register_forward_hook(() => { calls++; });
  run(net, 'HalfMg');
  expect(calls).toBe(60);
});

test('the fast path is taken: the product returned lives in the post group\'s memory, beside g', () => {
  const direct = jest.spyOn(bm.jitconn, '_event_homo_into');
  const staged = jest.spyOn(SnnArena.prototype, 'scatterAdd');
  for (const kind of ['HalfMg', 'Half'] as const) {
    const net = build(kind, false, homo, 1);
    bp.share.save({ i: 0, t: 0 });
    const c = net.projs[0].call(net.pre.call()) as torch.Tensor;
    expect((c.buffer as Float32Array).buffer).toBe((net.post.V.buffer as Float32Array).buffer);
    // from the second call on, a homo layer with a spike list skips the general call's set-up
    net.post.call(60);
    direct.mockClear(); staged.mockClear();
    bp.share.save({ i: 1, t: 0.1 });
    net.projs[0].call(net.pre.call());
    expect(direct).toHaveReturnedWith(expect.any(torch.Tensor));
    expect(staged).toHaveBeenCalled(); // and its adds run as the post group's WebAssembly scatter
    const slow = build(kind, true, homo, 1);
    const d = slow.projs[0].call(slow.pre.call()) as torch.Tensor;
    expect((d.buffer as Float32Array).buffer).not.toBe((slow.post.V.buffer as Float32Array).buffer);
  }
  direct.mockRestore(); staged.mockRestore();
});

test('through a delay (the Full forms): the delayed spikes keep their list, so the fast path is taken there too', () => {
  for (const kind of ['Full', 'FullMg'] as const) {
    const direct = jest.spyOn(bm.jitconn, '_event_homo_into');
    const net = build(kind, false, homo, 1);
    for (let i = 0; i < 4; i++) { bp.share.save({ i, t: Math.fround(i * 0.1) }); net.pre.call(); net.projs[0].call(); net.post.call(60); }
    expect(direct).toHaveReturnedWith(expect.any(torch.Tensor));
    direct.mockRestore();
  }
});

test('one Expon shared by two non-Mg projections: the second product does not overwrite the first within a step', () => {
  const make = (plain: boolean) => {
    bm.set_dt(0.1);
    const pre = new Src(60, rng(9), 0.2, true);
    const post = new bp.dyn.LifRef(50, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 2 });
    const syn = new bp.dyn.Expon(50, { tau: 5 });
    const projs = [0, 1].map((k) => {
      const layer = homo(60, 50, k);
      return new bp.dyn.HalfProjAlignPost({ comm: plain ? (x: torch.Tensor) => layer.call(x) : layer, syn, out: new bp.dyn.COBA({ E: 0 }), post });
    });
    return { pre, post, syn, projs };
  };
  const runShared = (net: ReturnType<typeof make>) => {
    const out: number[][] = [];
    bm.for_loop((i: number) => {
      bp.share.save({ i, t: Math.fround(i * 0.1) });
      const spk = net.pre.call();
      const cur = net.projs.map((p) => p.call(spk) as torch.Tensor);
      net.post.call(60);
      out.push(...cur.map(bits), bits(net.syn.g), bits(net.post.V));
    }, Array.from({ length: 30 }, (_, i) => i));
    return out;
  };
  const a = runShared(make(false)), b = runShared(make(true));
  for (let s = 0; s < a.length; s++) expect(a[s]).toEqual(b[s]);
});

describe('an Mg projection\'s add waits for the post group\'s decay (one pass: g + Δ, then the decay)', () => {
  const synOf = (net: ReturnType<typeof build>) => (net.projs[0] as unknown as { syn: InstanceType<typeof bp.dyn.Expon> }).syn;

  test('the fused pass runs, and g read between the projection and the post step already holds the add', () => {
    const fast = build('HalfMg', false, homo, 1), slow = build('HalfMg', true, homo, 1);
    const fused = jest.spyOn(SnnArena.prototype, 'addDecay');
    for (let i = 0; i < 40; i++) {
      bp.share.save({ i, t: Math.fround(i * 0.1) });
      const cf = fast.projs[0].call(fast.pre.call()) as torch.Tensor, cs = slow.projs[0].call(slow.pre.call()) as torch.Tensor;
      expect(bits(cf)).toEqual(bits(cs));
      if (i % 3 === 0) expect(bits(synOf(fast).g)).toEqual(bits(synOf(slow).g)); // reading g applies the add first
      fast.post.call(60); slow.post.call(60);
      expect(bits(fast.post.V)).toEqual(bits(slow.post.V));
      expect(bits(synOf(fast).g)).toEqual(bits(synOf(slow).g));
    }
    expect(fused.mock.calls.length).toBeGreaterThan(20); // the steps without a read in between took the fused pass
    fused.mockRestore();
  });

  test('a step without the post group (no decay): the waiting add is made before its array is handed out again', () => {
    const fast = build('HalfMg', false, homo, 1), slow = build('HalfMg', true, homo, 1);
    for (let i = 0; i < 12; i++) {
      bp.share.save({ i, t: Math.fround(i * 0.1) });
      fast.projs[0].call(fast.pre.call()); slow.projs[0].call(slow.pre.call());
      if (i % 4 !== 1) { fast.post.call(60); slow.post.call(60); }
    }
    expect(bits(synOf(fast).g)).toEqual(bits(synOf(slow).g));
    expect(bits(fast.post.V)).toEqual(bits(slow.post.V));
  });

  test('a product changed in place before the decay raises a clear error; g stays an own property for the module walk', () => {
    const net = build('HalfMg', false, homo, 1);
    expect(Object.keys(synOf(net))).toContain('g');
    bp.share.save({ i: 0, t: 0 });
    const c = net.projs[0].call(net.pre.call()) as torch.Tensor;
    c.mul_(2);
    expect(() => net.post.call(60)).toThrow("bp.dyn.Expon: the event product added by add_current was modified in place before the synapse's next update; copy it first (x.clone())");
  });
});

describe('EventCSRLinear writing into the synapse (bm.event\'s _event_csr_homo_into)', () => {
  /** A connector handing out a fixed CSR (rows may repeat a target, as allow_multi_conn draws do). */
  class Given extends bp.connect.TwoEndConnector {
    constructor(pre: number, post: number, private readonly ind: Int32Array, private readonly ptr: Int32Array) { super(pre, post); }
    override build_csr(): [Int32Array, Int32Array] { return [this.ind.slice(), this.ptr.slice()]; }
  }
  /** 60 pre → 6 post: rows of 0 to 14 targets with repeats, so some rows are longer than the post group's stage (8). */
  function given(): Given {
    const r = rng(17), ptr = new Int32Array(61), ind: number[] = [];
    for (let i = 0; i < 60; i++) { const k = i % 7 === 3 ? 14 : Math.floor(r() * 7); for (let j = 0; j < k; j++) ind.push(Math.floor(r() * 6)); ptr[i + 1] = ind.length; }
    return new Given(60, 6, Int32Array.from(ind), ptr);
  }
  function small(plain: boolean, w: number | torch.Tensor = 0.4) {
    bm.set_dt(0.1);
    const pre = new Src(60, rng(23), 0.3, true);
    const post = new bp.dyn.LifRef(6, { V_rest: -60, V_th: -50, V_reset: -60, tau: 20, tau_ref: 2, V_initializer: new bp.init.Normal(-55, 2, 4) });
    const layer = new bp.dnn.EventCSRLinear(given(), w);
    const proj = new bp.dyn.HalfProjAlignPostMg({ comm: plain ? (x: torch.Tensor) => layer.call(x) : layer, syn: bp.dyn.Expon.desc(6, { tau: 5 }), out: bp.dyn.COBA.desc({ E: 0 }), post });
    return { pre, post, projs: [proj as DynamicalSystem], layer };
  }

  test('rows with repeated targets, longer than the stage: the same products, g, V and spikes as the general path', () => {
    const into = jest.spyOn(bm.event, '_event_csr_homo_into');
    const a = run(small(false), 'HalfMg'), b = run(small(true), 'HalfMg');
    for (let s = 0; s < a.length; s++) expect(a[s]).toEqual(b[s]);
    expect(into).toHaveReturnedWith(expect.any(torch.Tensor)); // the fast path ran
    into.mockRestore();
  });

  test('a 0-d float32 weight takes it too; a per-connection weight takes the general path, with the same values', () => {
    for (const w of [torch.tensor(0.4), torch.full([given().require('csr')[0].shape[0]], 0.4)]) {
      const a = run(small(false, w), 'HalfMg'), b = run(small(true, w), 'HalfMg');
      for (let s = 0; s < a.length; s++) expect(a[s]).toEqual(b[s]);
    }
  });

  test('indices written in place are checked again: an out-of-range target raises bm.event.csrmv\'s error', () => {
    const net = small(false);
    const step = (i: number): void => { bp.share.save({ i, t: Math.fround(i * 0.1) }); net.projs[0].call(net.pre.call()); net.post.call(60); };
    step(0); step(1);
    const ind = net.layer.indices, bad = (ind.toTypedArray() as Int32Array).slice();
    bad[5] = 6;
    ind.copy_(torch.from_typed_array(bad, [bad.length]));
    expect(() => step(2)).toThrow('bm.event.csrmv: indices[5] must be in [0, 6), got 6');
  });
});
