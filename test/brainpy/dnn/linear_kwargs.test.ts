/**
 * bp.dnn layers take Python's call forms: positional, positional + a trailing keyword object, and keyword-only for any
 * argument, required ones included (`bp.dnn.EventJitFPHomoLinear(3200, 4000, prob=0.02, weight=0.6)`), with Python's
 * errors for an argument given twice, a missing required argument, an unknown keyword and too many positional ones
 * (core/args.ts pyArgs with `required`).
 */
import { bp, bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';

type Tensor = torch.Tensor;

const list = (t: Tensor): any => t.detach().tolist();

beforeEach(() => { bm.clear_name_cache(); });

describe('EventJitFPHomoLinear: the four call forms build the same layer', () => {
  const x = torch.tensor([1, 0, 1, 1, 0, 0, 1, 0, 1, 1]);
  const forms: [string, () => bp.dnn.EventJitFPHomoLinear][] = [
    ['positional', () => new bp.dnn.EventJitFPHomoLinear(10, 8, 0.3, 0.6, 7)],
    ['positional + keywords', () => new bp.dnn.EventJitFPHomoLinear(10, 8, 0.3, 0.6, { seed: 7 })],
    ['required by keyword: (10, 8, prob=0.3, weight=0.6, seed=7)', () => new bp.dnn.EventJitFPHomoLinear(10, 8, { prob: 0.3, weight: 0.6, seed: 7 })],
    ['keyword-only', () => new bp.dnn.EventJitFPHomoLinear({ num_in: 10, num_out: 8, prob: 0.3, weight: 0.6, seed: 7 })],
    ['keywords in another order', () => new bp.dnn.EventJitFPHomoLinear({ seed: 7, weight: 0.6, prob: 0.3, num_out: 8, num_in: 10 })],
  ];
  const ref = list(new bp.dnn.EventJitFPHomoLinear(10, 8, 0.3, 0.6, 7).call(x));

  test.each(forms)('%s', (_name, make) => {
    const l = make();
    expect([l.num_in, l.num_out, l.prob, l.weight, l.seed, l.atomic, l.transpose]).toEqual([10, 8, 0.3, 0.6, 7, true, false]);
    expect(list(l.call(x))).toEqual(ref);
  });

  test('optional arguments keep their defaults and positions (seed, sharding, mode, name, transpose, atomic)', () => {
    const l = new bp.dnn.EventJitFPHomoLinear(10, 8, 0.3, 0.6, 7, null, null, 'syn', true, false);
    expect([l.name, l.transpose, l.atomic]).toEqual(['syn', true, false]);
    const k = new bp.dnn.EventJitFPHomoLinear({ num_in: 10, num_out: 8, prob: 0.3, weight: 0.6, seed: 7, name: 'syn2', transpose: true, atomic: false });
    expect([k.name, k.transpose, k.atomic]).toEqual(['syn2', true, false]);
    expect(list(k.get_conn_matrix())).toEqual(list(l.get_conn_matrix()));
  });

  test("Python's errors, naming the layer", () => {
    const C = bp.dnn.EventJitFPHomoLinear;
    expect(() => new C(10, 8, 0.3, 0.6, { prob: 0.1 } as any))
      .toThrow("bp.dnn.EventJitFPHomoLinear: got multiple values for argument 'prob' (positionally and in the options object)");
    expect(() => new C(10, 8, { num_in: 10, prob: 0.1, weight: 1 } as any)).toThrow(/EventJitFPHomoLinear: got multiple values for argument 'num_in'/);
    expect(() => new C(10, 8, { weight: 0.6 })).toThrow("bp.dnn.EventJitFPHomoLinear: missing required argument 'prob'");
    expect(() => new C({ num_in: 10, num_out: 8 })).toThrow("bp.dnn.EventJitFPHomoLinear: missing 2 required arguments: 'prob' and 'weight'");
    expect(() => new (C as any)()).toThrow("bp.dnn.EventJitFPHomoLinear: missing 4 required arguments: 'num_in', 'num_out', 'prob' and 'weight'");
    expect(() => new C(10, 8, { prb: 0.3, weight: 0.6 } as any)).toThrow(/bp.dnn.EventJitFPHomoLinear: unknown option "prb"; expected one of num_in, num_out, prob, weight, seed/);
    expect(() => new (C as any)(10, 8, 0.3, 0.6, 7, null, null, null, false, true, 'extra'))
      .toThrow('bp.dnn.EventJitFPHomoLinear: takes at most 10 positional arguments (num_in, num_out, prob, weight, seed, sharding, mode, name, transpose, atomic), got 11');
    expect(() => new (C as any)(10, { prob: 0.3 }, 8, 0.6)).toThrow(/options object must be the last argument, got one in the position of num_out/);
    // null is Python's None: given, and then checked
    expect(() => new C(10, 8, { prob: null as any, weight: 0.6 })).toThrow(/prob must be a number in \(0, 1\], got null/);
  });
});

describe('every bp.dnn layer in linear.ts: keyword-only equals positional', () => {
  const conn = () => new bp.conn.FixedProb(0.4, { pre: 5, post: 4, seed: 123 });
  const W = torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20]]);
  const x5 = torch.tensor([1, 0, 2, 0, 1]);

  test('Dense(num_in, num_out, W_initializer, b_initializer, mode, name)', () => {
    const a = new bp.dnn.Dense(5, 4, W, null);
    const b = new bp.dnn.Dense({ num_in: 5, num_out: 4, W_initializer: W, b_initializer: null });
    const c = new bp.dnn.Dense(5, { num_out: 4, W_initializer: W, b_initializer: null, name: 'fc' });
    expect(b.b).toBeNull();
    expect(c.name).toBe('fc');
    for (const l of [b, c]) expect(list(l.call(x5))).toEqual(list(a.call(x5)));
    expect(new bp.dnn.Linear({ num_in: 3, num_out: 2 }).W.shape).toEqual([3, 2]);
    expect(() => new bp.dnn.Dense({ num_in: 5 })).toThrow("bp.dnn.Dense: missing required argument 'num_out'");
    expect(() => new bp.dnn.Dense(5, 4, { num_out: 4 } as any)).toThrow("bp.dnn.Dense: got multiple values for argument 'num_out'");
    expect(() => new bp.dnn.Dense({ num_in: 5, num_out: 4, W_init: W } as any)).toThrow(/bp.dnn.Dense: unknown option "W_init"/);
  });

  test('AllToAll(num_pre, num_post, weight, sharding, include_self, mode, name)', () => {
    const a = new bp.dnn.AllToAll(5, 4, W, null, true);
    const b = new bp.dnn.AllToAll({ num_pre: 5, num_post: 4, weight: W, include_self: true });
    const c = new bp.dnn.AllToAll(4, 4, { weight: 2, include_self: false });
    expect(list(b.call(x5))).toEqual(list(a.call(x5)));
    expect(c.include_self).toBe(false);
    expect(list(c.call(torch.tensor([1, 2, 0, 0])))).toEqual([4, 2, 6, 6]);
    expect(() => new bp.dnn.AllToAll(5, 4)).toThrow("bp.dnn.AllToAll: missing required argument 'weight'");
  });

  test('OneToOne(num, weight, sharding, mode, name)', () => {
    const a = new bp.dnn.OneToOne(3, 2);
    const b = new bp.dnn.OneToOne({ num: 3, weight: 2 });
    const c = new bp.dnn.OneToOne(3, { weight: 2, name: 'o' });
    const v = torch.tensor([1, 2, 3]);
    for (const l of [b, c]) expect(list(l.call(v))).toEqual(list(a.call(v)));
    expect(() => new bp.dnn.OneToOne({ weight: 2 })).toThrow("bp.dnn.OneToOne: missing required argument 'num'");
  });

  test('MaskedLinear(conn, weight, mask_fun, sharding, mode, name)', () => {
    const a = new bp.dnn.MaskedLinear(conn(), W);
    const b = new bp.dnn.MaskedLinear({ conn: conn(), weight: W });
    const c = new bp.dnn.MaskedLinear(conn(), { weight: W, mask_fun: (m: Tensor) => m.mul(2) });
    expect(list(b.call(x5))).toEqual(list(a.call(x5)));
    expect(list(c.call(x5))).toEqual(list(a.call(x5).mul(2)));
    expect(() => new bp.dnn.MaskedLinear({ weight: W })).toThrow("bp.dnn.MaskedLinear: missing required argument 'conn'");
  });

  test('CSRLinear(conn, weight, sharding, mode, name, method, transpose) and EventCSRLinear', () => {
    const a = new bp.dnn.CSRLinear(conn(), 0.5);
    const b = new bp.dnn.CSRLinear({ conn: conn(), weight: 0.5, method: 'cusparse' });
    expect(b.method).toBe('cusparse');
    expect(list(b.call(x5))).toEqual(list(a.call(x5)));
    const e = new bp.dnn.EventCSRLinear(conn(), 0.5);
    const f = new bp.dnn.EventCSRLinear(conn(), { weight: 0.5, transpose: true });
    const s = torch.tensor([true, false, true, true, false]);
    expect(list(f.call(s))).toEqual(list(e.call(s)));
    expect(() => new bp.dnn.EventCSRLinear({ conn: conn() })).toThrow("bp.dnn.EventCSRLinear: missing required argument 'weight'");
    expect(() => new bp.dnn.CSRLinear(conn(), 0.5, { weight: 1 } as any)).toThrow("bp.dnn.CSRLinear: got multiple values for argument 'weight'");
  });

  test.each([
    ['JitFPHomoLinear', bp.dnn.JitFPHomoLinear, 'weight', [0.6], { weight: 0.6 }],
    ['EventJitFPHomoLinear', bp.dnn.EventJitFPHomoLinear, 'weight', [0.6], { weight: 0.6 }],
    ['JitFPUniformLinear', bp.dnn.JitFPUniformLinear, 'w_low', [0.1, 0.4], { w_low: 0.1, w_high: 0.4 }],
    ['EventJitFPUniformLinear', bp.dnn.EventJitFPUniformLinear, 'w_low', [0.1, 0.4], { w_low: 0.1, w_high: 0.4 }],
    ['JitFPNormalLinear', bp.dnn.JitFPNormalLinear, 'w_mu', [0.5, 0.1], { w_mu: 0.5, w_sigma: 0.1 }],
    ['EventJitFPNormalLinear', bp.dnn.EventJitFPNormalLinear, 'w_mu', [0.5, 0.1], { w_mu: 0.5, w_sigma: 0.1 }],
  ] as [string, any, string, number[], Record<string, number>][])('%s', (name, C, first, wpos, wkw) => {
    const v = torch.tensor([1, 0, 1, 1, 0, 1]);
    const ref = list(new C(6, 5, 0.5, ...wpos, 3).call(v));
    expect(list(new C(6, 5, 0.5, ...wpos, { seed: 3 }).call(v))).toEqual(ref);
    expect(list(new C(6, 5, { prob: 0.5, ...wkw, seed: 3 }).call(v))).toEqual(ref);
    expect(list(new C({ num_in: 6, num_out: 5, prob: 0.5, ...wkw, seed: 3 }).call(v))).toEqual(ref);
    const l = new C(6, 5, { prob: 0.5, ...wkw, seed: 3, name: `${name}_x`, atomic: false });
    expect([l.name, l.atomic]).toEqual([`${name}_x`, false]);
    expect(() => new C(6, 5, { ...wkw })).toThrow(`bp.dnn.${name}: missing required argument 'prob'`);
    expect(() => new C(6, 5, 0.5, ...wpos, { [first]: 1 })).toThrow(`bp.dnn.${name}: got multiple values for argument '${first}'`);
    expect(() => new C(6, 5, 0.5, ...wpos, { sead: 1 })).toThrow(`bp.dnn.${name}: unknown option "sead"`);
  });
});
