import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Tensor } from '../../src/torch/index';
import { load_npy, parse_npy, save_npy, write_npy } from '../../src/io/index';
import { expectBitExact, expectSameTensor, expected, fixture, fixturePath, rawNpy, t32 } from './helpers';

describe('.npy written by np.save (numpy 1.24)', () => {
  for (const file of Object.keys(expected.npy)) {
    test(`${file} bit-exact`, async () => {
      expectBitExact(await load_npy(fixturePath(file)), expected.npy[file], file);
    });
  }

  test('fortran_order True is transposed into C order', () => {
    const t = parse_npy(fixture('f4_fortran.npy'));
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.is_contiguous()).toBe(true);
    expect(parse_npy(fixture('b1_fortran.npy')).dtype).toBe('bool');
    expect(parse_npy(fixture('f8_be_fortran.npy')).dtype).toBe('float64');
  });

  test('big-endian, int64, uint8, float16 convert; formats 2.0 and 3.0 read', () => {
    expect(parse_npy(fixture('i8_be.npy')).dtype).toBe('int32');
    expect(parse_npy(fixture('u1.npy')).dtype).toBe('int32');
    expect(parse_npy(fixture('f2.npy')).dtype).toBe('float32');
    expect(fixture('v2.npy')[6]).toBe(2);
    expect(fixture('v3.npy')[6]).toBe(3);
  });

  test('int64 outside the int32 range is refused with the element and value', async () => {
    await expect(load_npy(fixturePath('i8_overflow.npy'))).rejects.toThrow(
      /^load_npy\(".*i8_overflow\.npy"\): the array: int64 element 1 = 1099511627776 is outside the int32 range/,
    );
  });

  test('save_npy writes exactly what np.save writes', () => {
    for (const file of ['f4.npy', 'f8.npy', 'i4.npy', 'b1.npy', 'scalar.npy', 'empty.npy', 'i4_be.npy']) {
      const bytes = fixture(file);
      const t = parse_npy(bytes);
      const again = save_npy(t);
      if (file === 'i4_be.npy') {
        expectSameTensor(parse_npy(again), t, file); // big-endian input is written little-endian
        continue;
      }
      expect({ file, same: Buffer.from(again).equals(Buffer.from(bytes)) }).toEqual({ file, same: true });
    }
  });
});

describe('TypeScript round trip', () => {
  test('all dtypes, views, scalars, empty tensors', () => {
    const cases: Tensor[] = [
      t32([1, -0, NaN, Infinity, 1e-45, -3.5], [2, 3]),
      t32([1, 2, 3, 4, 5, 6], [2, 3]).t(),
      Tensor.fromBuffer(Float64Array.from([Math.E, -1e-310]), [2, 1], 'float64'),
      Tensor.fromBuffer(Int32Array.from([-(2 ** 31), 0, 2 ** 31 - 1]), [3], 'int32'),
      Tensor.fromBuffer(Uint8Array.from([0, 1, 1, 0]), [2, 1, 2], 'bool'),
      Tensor.fromBuffer(Float32Array.from([7]), [], 'float32'),
      Tensor.fromBuffer(new Float32Array(0), [3, 0], 'float32'),
    ];
    for (const t of cases) {
      const bytes = save_npy(t);
      expect(bytes.length % 64).toBe((t.numel() * t.element_size()) % 64); // header aligned to 64 like numpy
      expectSameTensor(parse_npy(bytes), t.contiguous());
    }
  });

  test('zero-copy when aligned, copy when not', () => {
    const bytes = save_npy(t32([1, 2, 3]));
    expect(parse_npy(bytes).buffer.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 2);
    shifted.set(bytes, 2);
    const t = parse_npy(shifted.subarray(2));
    expect(t.buffer.buffer).not.toBe(shifted.buffer);
    expect(Array.from(t.toTypedArray())).toEqual([1, 2, 3]);
  });

  test('write_npy → load_npy through the file system', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spikeport-io-'));
    try {
      await write_npy(path.join(dir, 'x.npy'), t32([3, 4], [1, 2]));
      const t = await load_npy(path.join(dir, 'x.npy'));
      expect(t.shape).toEqual([1, 2]);
      await expect(write_npy('', t)).rejects.toThrow('write_npy: path must be a non-empty string, got ""');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('argument errors', () => {
    expect(() => save_npy([1, 2] as never)).toThrow('save_npy: t must be a Tensor, got [1, 2]');
    expect(() => parse_npy(42 as never)).toThrow('parse_npy: bytes must be a Uint8Array or an ArrayBuffer, got 42');
  });
});

describe('hostile .npy files fail fast with clear errors', () => {
  const P = (b: Uint8Array) => () => parse_npy(b);
  const H = (descr: string, shape: string, fortran = 'False') => `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const good = save_npy(t32([1, 2, 3, 4], [2, 2]));

  test.each([
    [3, /not a \.npy file|too short/],
    [6, /the file is 6 bytes, too short for a \.npy magic, version and header length \(truncated\)/],
    [9, /the file is 9 bytes, too short/],
    [10, /the header length 118 runs past the end of the file \(0 bytes follow; truncated\)/],
    [70, /the header length 118 runs past the end of the file \(60 bytes follow/],
    [128, /the data is truncated: shape \(2, 2\) of '<f4' needs 16 bytes, the file has 0/],
    [141, /the data is truncated: shape \(2, 2\) of '<f4' needs 16 bytes, the file has 13/],
  ])('truncated to %d bytes', (cut, msg) => {
    expect(P(good.subarray(0, cut))).toThrow(msg);
    expect(P(good.subarray(0, cut))).toThrow(/^parse_npy: /);
  });

  test('magic, version and header length', () => {
    expect(P(new TextEncoder().encode('PK\x03\x04 not npy'))).toThrow('parse_npy: not a .npy file (it does not start with the magic bytes "\\x93NUMPY")');
    const v4 = good.slice();
    v4[6] = 4;
    expect(P(v4)).toThrow('parse_npy: unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)');
    expect(P(rawNpy(H("'<f4'", '(1,)'), 4, 2, 2 ** 31))).toThrow('parse_npy: the header length 2147483648 exceeds the 1048576-byte limit');
    expect(P(rawNpy(H("'<f4'", '(1,)'), 4, 1, 60000))).toThrow('the header length 60000 runs past the end of the file');
    expect(parse_npy(rawNpy(H("'<f4'", '(1,)'), 4, 2)).shape).toEqual([1]);
    expect(parse_npy(rawNpy(H("'<f4'", '(1,)'), 4, 3)).shape).toEqual([1]);
    const badUtf8 = rawNpy(H("'<f4'", '(1,)'), 4, 3);
    badUtf8[13] = 0xff;
    expect(P(badUtf8)).toThrow('parse_npy: the header is not valid UTF-8');
  });

  test('header literal syntax', () => {
    expect(P(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", 4))).toThrow(/parse_npy: the header is not a valid Python literal: expected "," or "}" at character \d+/);
    expect(P(rawNpy("{'descr': '<f4', 'fortran_order': false, 'shape': (1,)}", 4))).toThrow('the header is not a valid Python literal: unexpected "false, \'shap"');
    expect(P(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (1,)}", 4))).toThrow('not a valid Python literal: duplicate key "shape"');
    expect(P(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os')}", 4))).toThrow('not a valid Python literal: unexpected "__import__(');
    expect(P(rawNpy(`{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(5000)}${')'.repeat(5000)}}`, 4))).toThrow('nesting deeper than 16 levels');
    expect(P(rawNpy("[1, 2]", 4))).toThrow('parse_npy: the header must be a dict literal, got [1, 2]');
    expect(P(rawNpy("{'descr': '<f4', 'shape': (1,)}", 4))).toThrow("parse_npy: the header must have exactly the keys 'descr', 'fortran_order', 'shape', got 'descr', 'shape'");
    expect(P(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", 4))).toThrow("got 'descr', 'fortran_order', 'shape', 'x'");
    // numpy's own odd but legal spellings
    expect(parse_npy(rawNpy('{"descr": "<f4", "fortran_order": False, "shape": (1L, 2L)}', 8)).shape).toEqual([1, 2]);
    expect(parse_npy(rawNpy("{'descr':'<f4','fortran_order':False,'shape':()}", 4)).shape).toEqual([]);
  });

  test('dtypes', () => {
    expect(P(rawNpy(H("'<c8'", '(1,)'), 8))).toThrow("parse_npy: unsupported dtype '<c8'; supported: '<f4' '<f8'");
    expect(P(rawNpy(H("'|O'", '(1,)'), 8))).toThrow("unsupported dtype '|O' (object arrays hold pickled Python objects and are never loaded)");
    expect(P(rawNpy(H("'<U3'", '(1,)'), 12))).toThrow("unsupported dtype '<U3'");
    expect(P(rawNpy(H("'|f4'", '(1,)'), 4))).toThrow("unsupported dtype '|f4'");
    expect(P(rawNpy(H("'=f4'", '(1,)'), 4))).toThrow("unsupported dtype '=f4' (byte order '=' depends on the writer's machine)");
    expect(P(rawNpy(H("[('a', '<f4'), ('b', '<i4')]", '(1,)'), 8))).toThrow("descr [('a', '<f4'), ('b', '<i4')] is a structured (record) dtype, which is not supported");
    expect(P(rawNpy(H("'<f4'", '(1,)', "'yes'"), 4))).toThrow("parse_npy: fortran_order must be True or False, got 'yes'");
    expect(P(rawNpy(H("'|b1'", '(3,)'), Uint8Array.from([1, 0, 7])))).toThrow('parse_npy: the array: bool element 2 is stored as byte 7, expected 0 or 1');
    expect(parse_npy(rawNpy(H("'|i1'", '(2,)'), Uint8Array.from([255, 1]))).tolist()).toEqual([-1, 1]);
    expect(parse_npy(rawNpy(H("'>u2'", '(1,)'), Uint8Array.from([1, 2]))).tolist()).toEqual([258]);
    expect(P(rawNpy(H("'<u4'", '(1,)'), Uint8Array.from([255, 255, 255, 255])))).toThrow('uint32 element 0 = 4294967295 is outside the int32 range');
  });

  test('shapes and sizes, including a 2^40-element claim', () => {
    expect(P(rawNpy(H("'<f4'", '(-1,)'), 4))).toThrow('parse_npy: shape must be a tuple of at most 64 non-negative integers, got (-1,)');
    expect(P(rawNpy(H("'<f4'", '[2]'), 8))).toThrow('shape must be a tuple of at most 64 non-negative integers, got [2]');
    expect(P(rawNpy(H("'<f4'", "('2',)"), 8))).toThrow("got ('2',)");
    expect(P(rawNpy(H("'<f4'", '(99999999999999999999,)'), 8))).toThrow('integer 99999999999999999999 is beyond 2^53');
    expect(P(rawNpy(H("'<f4'", `(${new Array(65).fill(1).join(', ')})`), 4))).toThrow('shape must be a tuple of at most 64');
    const t0 = Date.now();
    expect(P(rawNpy(H("'<f4'", `(${2 ** 40},)`), 16))).toThrow("parse_npy: the data is truncated: shape (1099511627776,) of '<f4' needs 4398046511104 bytes, the file has 16");
    expect(P(rawNpy(H("'<f8'", `(${2 ** 30}, ${2 ** 30}, ${2 ** 30})`), 16))).toThrow('declares more than 2^53 bytes');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(P(rawNpy(H("'<f4'", '(2,)'), 12))).toThrow("parse_npy: the file has 12 bytes of data but shape (2,) of '<f4' needs 8 (trailing bytes)");
    expect(parse_npy(rawNpy(H("'<f4'", `(0, ${2 ** 40})`), 0)).shape).toEqual([0, 2 ** 40]);
  });
});
