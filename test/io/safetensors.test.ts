import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Tensor } from '../../src/torch/index';
import {
  load_safetensors, load_safetensors_with_metadata, parse_safetensors, save_safetensors, write_safetensors,
} from '../../src/io/index';
import { expectBitExact, expectSameTensor, expected, fixture, fixturePath, rawSafetensors, t32 } from './helpers';

describe('safetensors written by compat/export_state_dict.py (torch 1.13)', () => {
  for (const file of ['model.safetensors', 'dtypes.safetensors', 'native.safetensors']) {
    test(`${file}: every tensor bit-exact, metadata equal`, async () => {
      const exp = expected.safetensors[file];
      const { tensors, metadata } = await load_safetensors_with_metadata(fixturePath(file));
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(exp.tensors).sort());
      for (const [name, e] of Object.entries(exp.tensors)) expectBitExact(tensors[name], e, `${file}:${name}`);
      expect(metadata).toEqual(exp.metadata);
    });
  }

  test('model state_dict: names as in PyTorch, int64 num_batches_tracked loads as int32', async () => {
    const sd = await load_safetensors(fixturePath('model.safetensors'));
    expect(Object.keys(sd).sort()).toEqual(['0.bias', '0.weight', '1.bias', '1.num_batches_tracked', '1.running_mean', '1.running_var', '1.weight']);
    expect(sd['0.weight'].shape).toEqual([3, 4]);
    expect(sd['1.num_batches_tracked'].dtype).toBe('int32');
    expect(sd['1.num_batches_tracked'].item()).toBe(1);
  });

  test('F16 / BF16 convert to float32, I64 / I16 / I8 / U8 / U16 / U32 to int32', async () => {
    const t = await load_safetensors(fixture('dtypes.safetensors'));
    expect(['f16', 'bf16', 'i64', 'i16', 'i8', 'u8', 'u16', 'u32'].map((k) => t[k].dtype))
      .toEqual(['float32', 'float32', 'int32', 'int32', 'int32', 'int32', 'int32', 'int32']);
    expect(Array.from(t.f16.toTypedArray())).toEqual([0, -0, 1, -2.5, 65504, 2 ** -24, Infinity, -Infinity, 0.333251953125]);
    expect(Array.from(t.u8.toTypedArray())).toEqual([0, 1, 254, 255]);
  });

  test('save_safetensors reproduces the Python writer byte for byte (native dtypes)', () => {
    const bytes = fixture('native.safetensors');
    const { tensors, metadata } = parse_safetensors(bytes);
    expect(Buffer.from(save_safetensors(tensors, metadata)).equals(Buffer.from(bytes))).toBe(true);
  });

  test('save_safetensors reproduces the reference safetensors package byte for byte (incl. name order by code point)', () => {
    const bytes = fixture('reference_native.safetensors');
    const { tensors, metadata } = parse_safetensors(bytes);
    expect(Object.keys(tensors)).toContain('\u{1F600}');
    expect(metadata).toEqual({ format: 'np' });
    expect(Buffer.from(save_safetensors(tensors, metadata)).equals(Buffer.from(bytes))).toBe(true);
  });

  test('int64 outside the int32 range is refused, naming the tensor and the value', async () => {
    await expect(load_safetensors(fixturePath('int64_overflow.safetensors'))).rejects.toThrow(
      /load_safetensors\(".*int64_overflow\.safetensors"\): tensor "steps": int64 element 1 = 2147483648 is outside the int32 range/,
    );
  });
});

describe('TypeScript round trip', () => {
  const sample = (): Record<string, Tensor> => {
    const base = t32([1, 2, 3, 4, 5, 6], [2, 3]);
    return {
      'layer.weight': base.t(), // non-contiguous view: written in C order of the view
      'layer.bias': t32([NaN, -0, Infinity]),
      f64: Tensor.fromBuffer(Float64Array.from([Math.PI, -1e-310]), [2], 'float64'),
      idx: Tensor.fromBuffer(Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 7]), [3], 'int32'),
      mask: Tensor.fromBuffer(Uint8Array.from([1, 0, 1, 1]), [2, 2], 'bool'),
      scalar: Tensor.fromBuffer(Float32Array.from([2.5]), [], 'float32'),
      empty: Tensor.fromBuffer(new Float32Array(0), [0, 4], 'float32'),
      'ünïcode ✓': t32([1]),
      __proto__x: t32([2]),
    };
  };

  test('save → parse keeps names, dtypes, shapes, bits and metadata', () => {
    const src = sample();
    const bytes = save_safetensors(src, { format: 'pt', note: 'é ✓' });
    expect(bytes.length % 8).toBe(0); // header padded to 8, tensors laid out largest itemsize first
    const { tensors, metadata } = parse_safetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', note: 'é ✓' });
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(src).sort());
    for (const k of Object.keys(src)) expectSameTensor(tensors[k], src[k].contiguous(), k);
    expect(tensors['layer.weight'].shape).toEqual([3, 2]);
    expect(Array.from(tensors['layer.weight'].toTypedArray())).toEqual([1, 4, 2, 5, 3, 6]);
  });

  test('a tensor named "__proto__" is an ordinary own key', () => {
    const src: Record<string, Tensor> = {};
    Object.defineProperty(src, '__proto__', { value: t32([1, 2]), enumerable: true });
    const out = parse_safetensors(save_safetensors(src)).tensors;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Array.from(out['__proto__'].toTypedArray())).toEqual([1, 2]);
  });

  test('no metadata → no __metadata__ key; parse gives {}', () => {
    const bytes = save_safetensors({ a: t32([1]) });
    expect(new TextDecoder().decode(bytes.subarray(8, 40))).toMatch(/^\{"a":/);
    expect(parse_safetensors(bytes).metadata).toEqual({});
  });

  test('zero-copy when aligned, a copy when not, same values either way', () => {
    const bytes = save_safetensors({ w: t32([1, 2, 3]), d: Tensor.fromBuffer(Float64Array.from([4]), [1], 'float64') });
    const aligned = parse_safetensors(bytes).tensors;
    expect(aligned.w.buffer.buffer).toBe(bytes.buffer);
    expect(aligned.d.buffer.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const view = shifted.subarray(1);
    const copied = parse_safetensors(view).tensors;
    expect(copied.w.buffer.buffer).not.toBe(shifted.buffer);
    expect(Array.from(copied.w.toTypedArray())).toEqual([1, 2, 3]);
    expect(Array.from(copied.d.toTypedArray())).toEqual([4]);
    // ArrayBuffer and Node Buffer inputs work too
    expect(Array.from(parse_safetensors(bytes.slice().buffer).tensors.w.toTypedArray())).toEqual([1, 2, 3]);
    expect(Array.from(parse_safetensors(Buffer.from(bytes)).tensors.w.toTypedArray())).toEqual([1, 2, 3]);
  });

  test('write_safetensors → load_safetensors through the file system', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spikeport-io-'));
    try {
      const p = path.join(dir, 'm.safetensors');
      await write_safetensors(p, { a: t32([1.5, -2]) }, { k: 'v' });
      const { tensors, metadata } = await load_safetensors_with_metadata(p);
      expect(Array.from(tensors.a.toTypedArray())).toEqual([1.5, -2]);
      expect(metadata).toEqual({ k: 'v' });
      await expect(load_safetensors(path.join(dir, 'missing.safetensors'))).rejects.toThrow(/load_safetensors: cannot read ".*missing\.safetensors"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('save_safetensors argument errors', () => {
    expect(() => save_safetensors(null as never)).toThrow('save_safetensors: tensors must be an object mapping names to Tensors, got null');
    expect(() => save_safetensors(t32([1]) as never)).toThrow(/save_safetensors: tensors must be an object/);
    expect(() => save_safetensors({ a: [1, 2] } as never)).toThrow('save_safetensors: tensors["a"] must be a Tensor, got [1, 2]');
    expect(() => save_safetensors({ __metadata__: t32([1]) })).toThrow(/"__metadata__" is reserved/);
    expect(() => save_safetensors({ a: t32([1]) }, { k: 1 } as never)).toThrow('save_safetensors: metadata["k"] must be a string, got number');
    expect(() => save_safetensors({ a: t32([1]) }, 'x' as never)).toThrow(/save_safetensors: metadata must be an object/);
    expect(() => parse_safetensors('file.safetensors' as never)).toThrow('parse_safetensors: bytes must be a Uint8Array or an ArrayBuffer, got "file.safetensors"');
  });
});

describe('hostile safetensors files fail fast with clear errors', () => {
  const P = (b: Uint8Array) => () => parse_safetensors(b);
  const good = save_safetensors({ a: t32([1, 2, 3]), b: t32([4]) }, { m: 'x' });
  const headerLen = Number(new DataView(good.buffer).getBigUint64(0, true));

  test.each([
    [0, /the file is 0 bytes; a safetensors file starts with an 8-byte header length/],
    [5, /the file is 5 bytes/],
    [8, /the header length \d+ runs past the end of the file \(0 bytes follow/],
    [9, /the header length \d+ runs past the end of the file \(1 bytes follow/],
    [8 + Math.floor(headerLen / 2), /runs past the end of the file/],
    [8 + headerLen, /tensor "[ab]": data_offsets \[\d+, \d+\] run past the end of the data section \(0 bytes; truncated file\?\)/],
    [good.length - 1, /tensor "b": data_offsets \[12, 16\] run past the end of the data section \(15 bytes/],
  ])('truncated to %d bytes', (cut, msg) => {
    expect(P(good.subarray(0, cut))).toThrow(msg);
    expect(P(good.subarray(0, cut))).toThrow(/^parse_safetensors: /);
  });

  test('absurd header lengths are refused before reading anything', () => {
    expect(P(rawSafetensors('{}', 0, 2n ** 40n))).toThrow('parse_safetensors: the header length 1099511627776 exceeds the 100000000-byte limit');
    expect(P(rawSafetensors('{}', 0, 2n ** 64n - 1n))).toThrow('the header length 18446744073709551615 exceeds');
    expect(P(rawSafetensors('{}', 0, 100_000_001n))).toThrow('the header length 100000001 exceeds the 100000000-byte limit');
    expect(P(rawSafetensors('{}', 0, 5000n))).toThrow('the header length 5000 runs past the end of the file (2 bytes follow');
  });

  test('header syntax', () => {
    expect(P(rawSafetensors('{"a": {'))).toThrow(/parse_safetensors: the header is not valid JSON: .* at character \d+/);
    expect(P(rawSafetensors('{"a": 1,}'))).toThrow('the header is not valid JSON: expected a string key at character 8');
    expect(P(rawSafetensors("{'a': 1}"))).toThrow('not valid JSON: expected a string key');
    expect(P(rawSafetensors('{} x'))).toThrow('not valid JSON: unexpected data after the JSON value');
    expect(P(rawSafetensors('[1, 2]'))).toThrow('the header must be a JSON object starting with "{" (got byte 0x5b)');
    expect(P(rawSafetensors(' {}'))).toThrow('must be a JSON object starting with "{"');
    expect(P(rawSafetensors(''))).toThrow('(got an empty header)');
    const bad = rawSafetensors('{"a":"xx"}');
    bad[14] = 0xff;
    expect(P(bad)).toThrow('parse_safetensors: the header is not valid UTF-8');
  });

  test('deep nesting is cut off at a few levels, without recursion trouble', () => {
    const deep = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(P(rawSafetensors(deep))).toThrow('the header is not valid JSON: nesting deeper than 8 levels at character');
    const objs = `{"a":${'{"b":'.repeat(50)}1${'}'.repeat(50)}}`;
    expect(P(rawSafetensors(objs))).toThrow('nesting deeper than 8 levels');
  });

  test('duplicate tensor names and duplicate keys', () => {
    const e = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    expect(P(rawSafetensors(`{"a":${e},"a":${e}}`, 4))).toThrow('parse_safetensors: the header is not valid JSON: duplicate tensor name "a" at character');
    expect(P(rawSafetensors('{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4))).toThrow('duplicate key "dtype"');
  });

  test('entry structure, dtypes and shapes', () => {
    const one = (info: unknown, data = 4) => P(rawSafetensors({ t: info }, data));
    expect(one(5)).toThrow('parse_safetensors: tensor "t": expected an object {dtype, shape, data_offsets}, got 5');
    expect(one({ dtype: 'F32', shape: [1] })).toThrow('tensor "t": missing "data_offsets"');
    expect(one({ dtype: 'F128', shape: [1], data_offsets: [0, 4] })).toThrow('tensor "t": unsupported dtype "F128" (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)');
    expect(one({ dtype: 7, shape: [1], data_offsets: [0, 4] })).toThrow('tensor "t": unsupported dtype 7');
    expect(one({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] })).toThrow('tensor "t": shape must be an array of at most 64 non-negative integers, got [-1]');
    expect(one({ dtype: 'F32', shape: [1.5], data_offsets: [0, 4] })).toThrow('got [1.5]');
    expect(one({ dtype: 'F32', shape: '4', data_offsets: [0, 4] })).toThrow('shape must be an array of at most 64 non-negative integers, got "4"');
    expect(one({ dtype: 'F32', shape: new Array(65).fill(1), data_offsets: [0, 4] })).toThrow('shape must be an array of at most 64');
    expect(one({ dtype: 'F32', shape: [1], data_offsets: [0] })).toThrow('tensor "t": data_offsets must be [begin, end] with non-negative integers, got [0]');
    expect(one({ dtype: 'F32', shape: [1], data_offsets: [-4, 0] })).toThrow('data_offsets must be [begin, end]');
    expect(one({ dtype: 'F32', shape: [1], data_offsets: [4, 0] })).toThrow('tensor "t": data_offsets [4, 0] end before they begin');
    expect(P(rawSafetensors({ __metadata__: { k: 1 } }))).toThrow('parse_safetensors: __metadata__["k"] must be a string, got 1');
    expect(P(rawSafetensors({ __metadata__: [] }))).toThrow('__metadata__ must be an object of strings, got an array');
  });

  test('a header claiming a 2^40-element tensor fails without allocating', () => {
    const n = 2 ** 40;
    const t0 = Date.now();
    expect(P(rawSafetensors({ big: { dtype: 'F32', shape: [n], data_offsets: [0, 4 * n] } }, 16)))
      .toThrow('tensor "big": data_offsets [0, 4398046511104] run past the end of the data section (16 bytes; truncated file?)');
    expect(P(rawSafetensors({ big: { dtype: 'F32', shape: [n], data_offsets: [0, 16] } }, 16)))
      .toThrow('tensor "big": shape [1099511627776] of F32 needs 4398046511104 bytes but data_offsets [0, 16] hold 16');
    expect(P(rawSafetensors({ big: { dtype: 'F64', shape: [2 ** 30, 2 ** 30, 2 ** 30], data_offsets: [0, 16] } }, 16)))
      .toThrow('shape [1073741824, 1073741824, 1073741824] of F64 needs more than 2^53 bytes');
    expect(P(rawSafetensors({ z: { dtype: 'F32', shape: [0, n], data_offsets: [0, 0] } }, 0))().tensors.z.shape).toEqual([0, n]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('offsets: outside the file, overlapping, gaps, trailing bytes, size mismatch', () => {
    const f = (dtype: string, shape: number[], offs: number[]) => ({ dtype, shape, data_offsets: offs });
    expect(P(rawSafetensors({ a: f('F32', [250], [0, 1000]) }, 12))).toThrow('tensor "a": data_offsets [0, 1000] run past the end of the data section (12 bytes');
    expect(P(rawSafetensors({ a: f('F32', [2], [0, 8]), b: f('F32', [2], [4, 12]) }, 12)))
      .toThrow('parse_safetensors: tensor "b": data_offsets [4, 12] overlap tensor "a" [0, 8]');
    expect(P(rawSafetensors({ a: f('F32', [1], [0, 4]), b: f('F32', [1], [8, 12]) }, 12)))
      .toThrow('data bytes [4, 8) belong to no tensor (gap before tensor "b"); offsets are inconsistent');
    expect(P(rawSafetensors({ a: f('F32', [3], [0, 12]) }, 16))).toThrow('the data section has 16 bytes but the header\'s tensors cover 12 (4 unexplained trailing bytes)');
    expect(P(rawSafetensors({ a: f('F32', [3], [0, 8]) }, 8))).toThrow('tensor "a": shape [3] of F32 needs 12 bytes but data_offsets [0, 8] hold 8');
    expect(P(rawSafetensors({ a: f('F16', [3], [0, 8]) }, 8))).toThrow('shape [3] of F16 needs 6 bytes');
    // out-of-order in the header is fine as long as the bytes are tiled exactly
    const ok = parse_safetensors(rawSafetensors({ b: f('F32', [1], [4, 8]), a: f('F32', [1], [0, 4]) }, Uint8Array.from([0, 0, 128, 63, 0, 0, 0, 64]))).tensors;
    expect([ok.a.item(), ok.b.item()]).toEqual([1, 2]);
  });

  test('bool bytes other than 0/1 are refused', () => {
    expect(P(rawSafetensors({ m: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] } }, Uint8Array.from([1, 0, 2]))))
      .toThrow('parse_safetensors: tensor "m": bool element 2 is stored as byte 2, expected 0 or 1');
  });

  test('I64 / U64 / U32 range checks name the tensor and element', () => {
    const i64 = new Uint8Array(16);
    new DataView(i64.buffer).setBigInt64(8, -(2n ** 31n) - 1n, true);
    expect(P(rawSafetensors({ x: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, i64)))
      .toThrow('tensor "x": int64 element 1 = -2147483649 is outside the int32 range [-2147483648, 2147483647]');
    const u64 = new Uint8Array(8).fill(0xff);
    expect(P(rawSafetensors({ x: { dtype: 'U64', shape: [1], data_offsets: [0, 8] } }, u64))).toThrow('uint64 element 0 = 18446744073709551615 is outside');
    expect(P(rawSafetensors({ x: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, u64.subarray(0, 4)))).toThrow('uint32 element 0 = 4294967295 is outside');
  });
});
