/**
 * spikeport's Generator against PyTorch 1.13's CPU generator: every stream recorded by
 * compat/record_random.py in fixtures/torch/random.json must come out bit for bit.
 */
import * as fs from 'fs';
import * as path from 'path';

import { decodeTensor, type EncodedTensor } from '../../src/fixtures/tensorjson';
import { default_generator, Generator, LEGACY_STATE_SIZE, STATE_SIZE } from '../../src/core/random/generator';
import { MT19937 } from '../../src/core/random/mt19937';
import { fma32, fma64, glibcLog, glibcSincos, sincosOut } from '../../src/core/random/fpmath';

interface Call {
  op: string;
  dtype?: string;
  size?: number;
  from?: number;
  to?: number;
  mean?: number;
  std?: number;
  low?: number;
  high?: number;
  p?: number;
  p_values?: number[];
  n?: number;
  from_call?: number;
  out?: EncodedTensor;
}
interface Case { name: string; seed: string | null; default_generator: boolean; initial_seed: string; calls: Call[] }
interface MklCase { name: string; seed: string; p: number; n: number; seed32: number; out: EncodedTensor }
interface Fixture { torch_version: string; cases: Case[]; mkl_bernoulli: MklCase[] }

const fixture: Fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/torch/random.json'), 'utf8'));

type Arr = Float32Array | Float64Array | Int32Array | Uint8Array | BigInt64Array;

/** Byte-exact comparison (float bits, -0 and NaN payloads included); reports the first differing element. */
function expectSameBits(got: Arr, want: Arr, what: string): void {
  if (got.constructor !== want.constructor || got.length !== want.length) {
    throw new Error(`${what}: expected ${want.constructor.name}[${want.length}], got ${got.constructor.name}[${got.length}]`);
  }
  const a = new Uint8Array(got.buffer, got.byteOffset, got.byteLength);
  const b = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      const k = Math.floor(i / got.BYTES_PER_ELEMENT);
      throw new Error(`${what}: element ${k} differs: expected ${String(want[k])}, got ${String(got[k])}`);
    }
  }
}

/** Integer results recorded as int64: compare values. */
function expectSameInts(got: Float32Array | Float64Array | Int32Array, want: BigInt64Array | Int32Array | Float32Array | Float64Array, what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: expected ${want.length} values, got ${got.length}`);
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== Number(want[i])) throw new Error(`${what}: element ${i} differs: expected ${String(want[i])}, got ${got[i]}`);
  }
}

function floatArray(dtype: string | undefined, n: number): Float32Array | Float64Array {
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'float64') return new Float64Array(n);
  throw new Error(`unexpected dtype ${dtype}`);
}

function replay(c: Case): void {
  let g: Generator;
  if (c.default_generator) {
    g = default_generator;
    g.manual_seed(BigInt(c.seed as string));
  } else {
    g = new Generator();
    if (c.seed !== null) g.manual_seed(BigInt(c.seed));
  }
  const states: (Uint8Array | null)[] = [];
  c.calls.forEach((call, idx) => {
    const what = `${c.name}, call ${idx} (${call.op})`;
    const want = call.out ? decodeTensor(call.out).data : null;
    let state: Uint8Array | null = null;
    switch (call.op) {
      case 'rand': {
        const out = floatArray(call.dtype, call.size!);
        g.uniform_fill(out);
        expectSameBits(out, want!, what);
        break;
      }
      case 'randn': {
        const out = floatArray(call.dtype, call.size!);
        g.normal_fill(out);
        expectSameBits(out, want!, what);
        break;
      }
      case 'uniform': {
        const out = floatArray(call.dtype, call.size!);
        g.uniform_fill(out, call.from, call.to);
        expectSameBits(out, want!, what);
        break;
      }
      case 'normal': {
        const out = floatArray(call.dtype, call.size!);
        g.normal_fill(out, call.mean, call.std);
        expectSameBits(out, want!, what);
        break;
      }
      case 'normal_noncontig': {
        const out = floatArray(call.dtype, call.size!);
        g.normal_fill(out, call.mean, call.std, { contiguous: false });
        expectSameBits(out, want!, what);
        break;
      }
      case 'randint': {
        const n = call.size!;
        if (call.dtype === 'int64') {
          // same stream whatever the output type: check float64 and, where the range fits, int32
          const fits = call.low! >= -2147483648 && call.high! - 1 <= 2147483647;
          const st = fits ? g.get_state() : null;
          const out = new Float64Array(n);
          g.randint_fill(out, call.low!, call.high!);
          expectSameInts(out, want as BigInt64Array, what + ' [Float64Array]');
          if (fits) {
            const g2 = new Generator().set_state(st!);
            const o32 = new Int32Array(n);
            g2.randint_fill(o32, call.low!, call.high!);
            expectSameInts(o32, want as BigInt64Array, what + ' [Int32Array]');
            expectSameBits(g2.get_state(), g.get_state(), 'state');
          }
        } else {
          const out = call.dtype === 'int32' ? new Int32Array(n) : floatArray(call.dtype, n);
          g.randint_fill(out, call.low!, call.high!);
          expectSameBits(out, want!, what);
        }
        break;
      }
      case 'bernoulli_tensor': {
        const p = call.dtype === 'float32' ? new Float32Array(call.p_values!) : new Float64Array(call.p_values!);
        const out = floatArray(call.dtype, p.length);
        g.bernoulli_fill(out, p);
        expectSameBits(out, want!, what);
        break;
      }
      case 'bernoulli_scalar': {
        const out = floatArray(call.dtype, call.size!);
        g.bernoulli_fill(out, call.p!);
        expectSameBits(out, want!, what);
        break;
      }
      case 'randperm': {
        const out = g.randperm(call.n!);
        expectSameInts(out, want as BigInt64Array, what);
        break;
      }
      case 'get_state': {
        state = g.get_state();
        expect(state.length).toBe(STATE_SIZE);
        expectSameBits(state, want as Uint8Array, what);
        break;
      }
      case 'set_state': {
        const s = states[call.from_call!];
        if (!s) throw new Error(`${what}: call ${call.from_call} recorded no state`);
        g.set_state(s);
        break;
      }
      default:
        throw new Error(`${what}: unknown op`);
    }
    states.push(state);
  });
  expect(g.initial_seed()).toBe(BigInt(c.initial_seed));
}

describe(`Generator vs torch ${fixture.torch_version} (fixtures/torch/random.json)`, () => {
  test('the fixture has the recorded cases', () => {
    expect(fixture.cases.length).toBeGreaterThan(400);
    const ops = new Set(fixture.cases.flatMap((c) => c.calls.map((k) => k.op)));
    for (const op of ['rand', 'randn', 'uniform', 'normal', 'randint', 'bernoulli_tensor', 'bernoulli_scalar', 'randperm', 'get_state', 'set_state']) {
      expect(ops.has(op)).toBe(true);
    }
  });
  for (const c of fixture.cases) {
    test(c.name, () => replay(c));
  }
});

describe('bernoulli_fill { mkl: true } vs MKL VSL MCG31 + viRngBernoulli (fixture mkl_bernoulli)', () => {
  test('the fixture has MKL cases', () => {
    expect(fixture.mkl_bernoulli.length).toBeGreaterThan(0);
  });
  for (const c of fixture.mkl_bernoulli) {
    test(c.name, () => {
      expect(new Generator().manual_seed(BigInt(c.seed)).random()).toBe(c.seed32);
      const g = new Generator().manual_seed(BigInt(c.seed));
      const out = new Int32Array(c.n);
      g.bernoulli_fill(out, c.p, { mkl: true });
      expectSameBits(out, decodeTensor(c.out).data, c.name);
      // exactly one 32-bit draw was consumed
      const ref = new Generator().manual_seed(BigInt(c.seed));
      ref.random();
      expectSameBits(g.get_state(), ref.get_state(), 'state');
    });
  }
});

describe('Generator state and seeding', () => {
  test('a fresh Generator and default_generator start from 67280421310721', () => {
    expect(new Generator().initial_seed()).toBe(67280421310721n);
    expect(default_generator).toBeInstanceOf(Generator);
  });

  test('negative seeds are 64-bit two\'s complement; numbers and bigints agree', () => {
    const a = new Generator().manual_seed(-1);
    expect(a.initial_seed()).toBe(18446744073709551615n);
    const b = new Generator().manual_seed(18446744073709551615n);
    expectSameBits(a.get_state(), b.get_state(), 'state');
    expectSameBits(new Generator().manual_seed(42).get_state(), new Generator().manual_seed(42n).get_state(), 'state');
    expect(new Generator().manual_seed(-(2n ** 63n)).initial_seed()).toBe(2n ** 63n);
    // only the low 32 bits seed the twister
    const c = new Generator().manual_seed(2 ** 32 + 5);
    const d = new Generator().manual_seed(5);
    expect(c.random()).toBe(d.random());
    expect(c.initial_seed()).toBe(4294967301n);
  });

  test('manual_seed returns the generator and clears the cached normal', () => {
    const g = new Generator();
    expect(g.manual_seed(3)).toBe(g);
    const x = new Float64Array(1);
    g.normal_fill(x); // caches the second value
    g.manual_seed(3);
    const y = new Float64Array(1);
    g.normal_fill(y);
    expect(y[0]).toBe(x[0]);
  });

  test('get_state / set_state restore the stream and the cached normal exactly', () => {
    const g = new Generator().manual_seed(9);
    const a = new Float32Array(3);
    g.normal_fill(a); // 3 normals: one left in the cache
    const st = g.get_state();
    const next1 = new Float64Array(700);
    const next2 = new Float32Array(5);
    g.normal_fill(next2);
    g.uniform_fill(next1);
    const h = new Generator().set_state(st);
    const again2 = new Float32Array(5);
    const again1 = new Float64Array(700);
    h.normal_fill(again2);
    h.uniform_fill(again1);
    expectSameBits(again2, next2, 'normal after set_state');
    expectSameBits(again1, next1, 'uniform after set_state');
    expectSameBits(h.get_state(), g.get_state(), 'state');
    // the legacy 5048-byte layout (no float cache) is accepted too
    const legacy = st.slice(0, LEGACY_STATE_SIZE);
    const k = new Generator().set_state(legacy);
    const again3 = new Float32Array(5);
    k.normal_fill(again3);
    expectSameBits(again3, next2, 'normal after legacy set_state');
  });

  test('seed() seeds from a non-deterministic 64-bit value and returns it', () => {
    const g = new Generator();
    const s = g.seed();
    expect(typeof s).toBe('bigint');
    expect(s >= 0n && s < 2n ** 64n).toBe(true);
    expect(g.initial_seed()).toBe(s);
    expectSameBits(new Generator().manual_seed(s).get_state(), g.get_state(), 'state');
  });

  test('random() and random64(): 32-bit draws, the first one the high word of a 64-bit draw', () => {
    const a = new Generator().manual_seed(42);
    const b = new Generator().manual_seed(42);
    const hi = b.random();
    const lo = b.random();
    expect(a.random64()).toBe((BigInt(hi) << 32n) | BigInt(lo));
    expect(hi).toBe(1608637542); // std::mt19937(42)()
  });

  test('MT19937 matches the reference Mersenne Twister (10000th output of seed 5489 is 4123659995)', () => {
    const e = new MT19937();
    let v = 0;
    for (let i = 0; i < 10000; i++) v = e.random();
    expect(v).toBe(4123659995);
  });

  test('empty outputs draw nothing (except the MKL scalar bernoulli, which always takes its seed)', () => {
    const g = new Generator().manual_seed(1);
    const s0 = g.get_state();
    g.uniform_fill(new Float32Array(0));
    g.normal_fill(new Float64Array(0));
    g.randint_fill(new Int32Array(0), 0, 5);
    g.bernoulli_fill(new Uint8Array(0), 0.5);
    expect(g.randperm(0).length).toBe(0);
    expect(g.randperm(1)).toEqual(new Int32Array([0]));
    expectSameBits(g.get_state(), s0, 'state');
    g.bernoulli_fill(new Uint8Array(0), 0.5, { mkl: true });
    expect(Buffer.compare(g.get_state(), s0)).not.toBe(0);
  });

  test('bernoulli_fill: length-1 p broadcasts; integer and byte outputs', () => {
    const p = new Float64Array([0.4]);
    const a = new Float64Array(50);
    const b = new Uint8Array(50);
    new Generator().manual_seed(5).bernoulli_fill(a, p);
    new Generator().manual_seed(5).bernoulli_fill(b, new Float64Array(50).fill(0.4));
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = new Int32Array(50);
    new Generator().manual_seed(5).bernoulli_fill(c, 0.4);
    for (const v of c) expect(v === 0 || v === 1).toBe(true);
  });
});

describe('fpmath kernels', () => {
  test('fma64 / fma32 round once', () => {
    // (1 + 2^-52)^2 - 1 - 2^-51 = 2^-104 exactly; a separate multiply would lose it
    expect(fma64(1 + 2 ** -52, 1 + 2 ** -52, -(1 + 2 ** -51))).toBe(2 ** -104);
    const a = Math.fround(1 + 2 ** -23);
    expect(fma32(a, a, -Math.fround(1 + 2 ** -22))).toBe(2 ** -46);
    expect(Object.is(fma64(-0, 1, 0), 0)).toBe(true);
  });
  test('glibc log / sincos special points', () => {
    expect(glibcLog(1)).toBe(0);
    expect(glibcLog(Math.E)).toBe(1);
    expect(glibcLog(0.5)).toBe(-0.6931471805599453);
    expect(glibcLog(0)).toBe(-Infinity);
    expect(Number.isNaN(glibcLog(-1))).toBe(true);
    glibcSincos(0);
    expect([sincosOut[0], sincosOut[1]]).toEqual([0, 1]);
    glibcSincos(Math.PI / 2);
    expect(sincosOut[0]).toBe(1);
    expect(sincosOut[1]).toBe(6.123233995736766e-17);
    expect(() => glibcSincos(1e9)).toThrow(/glibcSincos: x must be a finite number with \|x\| < 105414350, got 1000000000/);
  });
});

describe('argument errors name the function, the argument, the expectation and what came', () => {
  const g = new Generator();
  const bad = (f: () => unknown, re: RegExp) => expect(f).toThrow(re);

  test('manual_seed', () => {
    bad(() => g.manual_seed(1.5), /Generator\.manual_seed: seed must be an integer .*got 1\.5/);
    bad(() => g.manual_seed(2 ** 53), /Generator\.manual_seed: seed must be an integer .*got 9007199254740992/);
    bad(() => g.manual_seed(2n ** 64n), /Generator\.manual_seed: seed must be an integer in \[-2\^63, 2\^64\), got 18446744073709551616n/);
    bad(() => g.manual_seed(-(2n ** 63n) - 1n), /Generator\.manual_seed: seed must be an integer in \[-2\^63, 2\^64\), got -9223372036854775809n/);
    bad(() => g.manual_seed('7' as unknown as number), /Generator\.manual_seed: seed must be a number or a bigint, got "7"/);
    bad(() => g.manual_seed(NaN), /Generator\.manual_seed: seed must be .*got NaN/);
  });

  test('set_state', () => {
    bad(() => g.set_state(new Uint8Array(10)), /Generator\.set_state: state must be 5056 bytes \(or 5048, the legacy layout\), got 10 bytes/);
    bad(() => g.set_state([1, 2] as unknown as Uint8Array), /Generator\.set_state: state must be a Uint8Array of 5056 bytes, got Array/);
    const s = new Generator().get_state();
    const badLeft = s.slice();
    new DataView(badLeft.buffer).setInt32(8, 0, true);
    bad(() => g.set_state(badLeft), /Generator\.set_state: state must be a state with 0 < left <= 624, got left = 0/);
    const badWord = s.slice();
    badWord[24 + 8 * 3 + 4] = 1;
    bad(() => g.set_state(badWord), /Generator\.set_state: state must be state words below 2\^32, got word 3 = /);
  });

  test('uniform_fill', () => {
    bad(() => g.uniform_fill(new Int32Array(3) as unknown as Float32Array), /Generator\.uniform_fill: out must be a Float32Array or Float64Array, got Int32Array of length 3/);
    bad(() => g.uniform_fill(new Float32Array(3), 2, 1), /Generator\.uniform_fill: from must be <= to \(1\), got 2/);
    bad(() => g.uniform_fill(new Float32Array(3), NaN, 1), /Generator\.uniform_fill: from must be a finite number within the float32 range, got NaN/);
    bad(() => g.uniform_fill(new Float32Array(3), 0, 1e39), /Generator\.uniform_fill: to must be a finite number within the float32 range, got 1e\+39/);
    bad(() => g.uniform_fill(new Float32Array(3), -3e38, 3e38), /Generator\.uniform_fill: to - from must be <= the float32 maximum .*got 6e\+38/);
  });

  test('normal_fill', () => {
    bad(() => g.normal_fill(new Float32Array(3), 0, -1), /Generator\.normal_fill: std must be a finite number >= 0, got -1/);
    bad(() => g.normal_fill(new Float32Array(3), NaN, 1), /Generator\.normal_fill: mean must be a finite number, got NaN/);
    bad(() => g.normal_fill([0] as unknown as Float32Array), /Generator\.normal_fill: out must be a Float32Array or Float64Array, got Array/);
  });

  test('randint_fill', () => {
    bad(() => g.randint_fill(new Int32Array(3), 5, 5), /Generator\.randint_fill: low must be less than high \(5\), got 5/);
    bad(() => g.randint_fill(new Int32Array(3), 0.5, 5), /Generator\.randint_fill: low must be a safe integer, got 0\.5/);
    bad(() => g.randint_fill(new Int32Array(3), 0, 2 ** 31 + 1), /Generator\.randint_fill: high - 1 must be within the exact integer range of int32, got 2147483648/);
    bad(() => g.randint_fill(new Float32Array(3), -(2 ** 24) - 1, 0), /Generator\.randint_fill: low must be within the exact integer range of float32 \(\+-2\^24\), got -16777217/);
    bad(() => g.randint_fill(new Uint8Array(3) as unknown as Int32Array, 0, 2), /Generator\.randint_fill: out must be a Float32Array, Float64Array or Int32Array, got Uint8Array of length 3/);
  });

  test('bernoulli_fill', () => {
    bad(() => g.bernoulli_fill(new Float32Array(3), 1.5), /Generator\.bernoulli_fill: p must be a number in \[0, 1\], got 1\.5/);
    bad(() => g.bernoulli_fill(new Float32Array(3), NaN), /Generator\.bernoulli_fill: p must be a number in \[0, 1\], got NaN/);
    bad(() => g.bernoulli_fill(new Float32Array(3), new Float32Array([0.5, -0.1, 0.5])), /Generator\.bernoulli_fill: p\[1\] must be in \[0, 1\], got -0\.1/);
    bad(() => g.bernoulli_fill(new Float32Array(3), new Float64Array(2)), /Generator\.bernoulli_fill: p must be of length 3 \(out's length\) or 1, got Float64Array of length 2/);
    bad(() => g.bernoulli_fill(new Float32Array(3), 0.5, { mlk: true } as unknown as { mkl: boolean }), /Generator\.bernoulli_fill: options must be an object with only the key "mkl", got key "mlk"/);
    bad(() => g.bernoulli_fill(new Float32Array(3), new Float32Array(3), { mkl: true }), /Generator\.bernoulli_fill: options\.mkl must be false or absent with a tensor p/);
    bad(() => g.bernoulli_fill(new Int16Array(3) as unknown as Int32Array, 0.5), /Generator\.bernoulli_fill: out must be a Float32Array, Float64Array, Uint8Array or Int32Array, got Int16Array of length 3/);
  });

  test('randperm', () => {
    bad(() => g.randperm(-1), /Generator\.randperm: n must be an integer in \[0, 2\^31 - 1\], got -1/);
    bad(() => g.randperm(2.5), /Generator\.randperm: n must be an integer in \[0, 2\^31 - 1\], got 2\.5/);
  });

  test('a failed call leaves the generator untouched', () => {
    const h = new Generator().manual_seed(11);
    const s = h.get_state();
    expect(() => h.bernoulli_fill(new Float32Array(3), new Float32Array([0.5, 0.5, 2]))).toThrow();
    expect(() => h.randint_fill(new Int32Array(3), 3, 1)).toThrow();
    expectSameBits(h.get_state(), s, 'state');
  });
});

describe('normal_fill { contiguous: false }', () => {
  test('takes the scalar path at any size (same stream as sixteen single-element calls)', () => {
    const a = new Float32Array(40);
    new Generator().manual_seed(21).normal_fill(a, 0.5, 2, { contiguous: false });
    const g = new Generator().manual_seed(21);
    const one = new Float32Array(1);
    for (let i = 0; i < 40; i++) {
      g.normal_fill(one, 0.5, 2);
      expect(one[0]).toBe(a[i]);
    }
    const b = new Float32Array(40);
    new Generator().manual_seed(21).normal_fill(b, 0.5, 2, { contiguous: true });
    expect(Array.from(b)).not.toEqual(Array.from(a));
  });
  test('options are checked', () => {
    expect(() => new Generator().normal_fill(new Float32Array(2), 0, 1, { contigous: false } as unknown as { contiguous: boolean }))
      .toThrow(/Generator\.normal_fill: options must be an object with only the key "contiguous", got key "contigous"/);
  });
});
