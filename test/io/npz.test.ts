import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { Tensor } from '../../src/torch/index';
import { load_npz, parse_npz, save_npy, save_npz, write_npz } from '../../src/io/index';
import { inflateRaw } from '../../src/io/npz';
import { expectBitExact, expectSameTensor, expected, fixture, fixturePath, makeZip, t32 } from './helpers';

const DECOMPRESSORS = ['node-zlib', 'decompression-stream'] as const;

describe('.npz written by np.savez / np.savez_compressed (numpy 1.24)', () => {
  for (const file of Object.keys(expected.npz)) {
    for (const decompressor of DECOMPRESSORS) {
      test(`${file} bit-exact (${decompressor})`, async () => {
        const exp = expected.npz[file];
        const z = await load_npz(fixturePath(file), { decompressor });
        expect(Object.keys(z).sort()).toEqual(Object.keys(exp).sort());
        for (const [name, e] of Object.entries(exp)) expectBitExact(z[name], e, `${file}:${name}`);
      });
    }
  }

  test('save_npz writes exactly what np.savez writes', async () => {
    const bytes = fixture('native.npz');
    const again = save_npz(await parse_npz(bytes));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('TypeScript round trip', () => {
  test('names (unicode, __proto__), dtypes, views', async () => {
    const src: Record<string, Tensor> = {
      w: t32([1, 2, 3, 4, 5, 6], [2, 3]).t(),
      'ünï/cødé': Tensor.fromBuffer(Int32Array.from([-1, 2]), [2], 'int32'),
      m: Tensor.fromBuffer(Uint8Array.from([1, 0]), [2], 'bool'),
      d: Tensor.fromBuffer(Float64Array.from([0.1]), [], 'float64'),
    };
    Object.defineProperty(src, '__proto__', { value: t32([9]), enumerable: true });
    const z = await parse_npz(save_npz(src));
    expect(Object.keys(z)).toEqual(Object.keys(src));
    for (const k of Object.keys(src)) expectSameTensor(z[k], src[k].contiguous(), k);
  });

  test('empty archive', async () => {
    expect(await parse_npz(save_npz({}))).toEqual({});
  });

  test('deflate entries written by another zip tool (data descriptor-free, CP437 name)', async () => {
    const npy = save_npy(t32([1, 2, 3]));
    const zip = makeZip([{ name: 'x.npy', data: npy, method: 8 }, { name: 'caf?.npy', rawName: Uint8Array.from([...'caf'].map((c) => c.charCodeAt(0)).concat([0x82], [...'.npy'].map((c) => c.charCodeAt(0)))), data: npy }]);
    const z = await parse_npz(zip);
    expect(Object.keys(z)).toEqual(['x', 'caf\u00e9']); // byte 0x82 is é in CP437
  });

  test('ZIP64 sizes in the central directory', async () => {
    const npy = save_npy(t32([5]));
    const z = await parse_npz(makeZip([{ name: 'a.npy', data: npy, zip64: true }]));
    expect(z.a.item()).toBe(5);
  });

  test('write_npz → load_npz through the file system', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spikeport-io-'));
    try {
      await write_npz(path.join(dir, 'a.npz'), { a: t32([1]) });
      expect((await load_npz(path.join(dir, 'a.npz'))).a.item()).toBe(1);
      await expect(load_npz(path.join(dir, 'nope.npz'))).rejects.toThrow(/^load_npz: cannot read ".*nope\.npz": ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('argument and option errors', async () => {
    expect(() => save_npz({ a: 1 } as never)).toThrow('save_npz: tensors["a"] must be a Tensor, got 1');
    expect(() => save_npz({ '': t32([1]) })).toThrow('save_npz: tensors: an array name must not be empty');
    const ok = save_npz({ a: t32([1]) });
    await expect(parse_npz(ok, { max_bytes: 1 } as never)).rejects.toThrow('parse_npz: unknown option "max_bytes"; expected one of max_entry_bytes, max_total_bytes, decompressor');
    await expect(parse_npz(ok, { max_entry_bytes: -1 })).rejects.toThrow('parse_npz: options.max_entry_bytes must be a non-negative integer number of bytes, got -1');
    await expect(parse_npz(ok, { decompressor: 'gzip' as never })).rejects.toThrow('options.decompressor must be one of');
    await expect(parse_npz('a.npz' as never)).rejects.toThrow('parse_npz: bytes must be a Uint8Array or an ArrayBuffer, got "a.npz"');
  });
});

describe('hostile .npz files fail fast with clear errors', () => {
  const P = (b: Uint8Array, opts?: object) => parse_npz(b, opts);
  const npy = save_npy(t32([1, 2, 3, 4], [2, 2])); // 144 bytes
  const good = save_npz({ a: t32([1, 2]), b: t32([3]) });

  test('not a ZIP archive', async () => {
    await expect(P(new Uint8Array(100))).rejects.toThrow('parse_npz: no ZIP end-of-central-directory record found (the file is 100 bytes; not a .npz/ZIP archive, or truncated)');
    await expect(P(npy)).rejects.toThrow('parse_npz: this is a .npy file, not a .npz archive (use load_npy)');
    await expect(P(new Uint8Array(0))).rejects.toThrow('no ZIP end-of-central-directory record found (the file is 0 bytes');
  });

  test.each([10, 100, 200, 300, 320, 340])('truncated to %d bytes', async (cut) => {
    await expect(P(good.subarray(0, cut))).rejects.toThrow(/^parse_npz: no ZIP end-of-central-directory record found/);
  });

  test('truncated in the middle with the end record kept (data cut out)', async () => {
    const cut = new Uint8Array([...good.subarray(0, 150), ...good.subarray(200)]);
    await expect(P(cut)).rejects.toThrow(/parse_npz: the central directory \[\d+, \d+\) lies outside the file/);
  });

  test('central directory pointing outside the file', async () => {
    await expect(P(makeZip([{ name: 'a.npy', data: npy }], { cdOffset: 10_000_000 }))).rejects.toThrow('parse_npz: the central directory [10000000, 10000051) lies outside the file (it must end before the end record at byte 230; truncated or corrupt)');
    await expect(P(makeZip([{ name: 'a.npy', data: npy }], { count: 60000 }))).rejects.toThrow('the central directory of 51 bytes cannot hold the 60000 entries the end record declares');
    await expect(P(makeZip([{ name: 'a.npy', data: npy }], { count: 0xffff }))).rejects.toThrow('the end record needs ZIP64 values but the ZIP64 locator is missing');
  });

  test('entries pointing outside the file or overlapping', async () => {
    await expect(P(makeZip([{ name: 'a.npy', data: npy, localOffset: 5_000_000 }]))).rejects.toThrow('parse_npz: ZIP entry "a.npy": its local header offset 5000000 points outside the entry data (bytes [0, 179) before the central directory)');
    await expect(P(makeZip([{ name: 'a.npy', data: npy, size: 2 ** 31, compressedSize: 2 ** 31 }]))).rejects.toThrow('ZIP entry "a.npy": its data [35, 2147483683) runs outside the entry data (bytes [0, 179) before the central directory)');
    await expect(P(makeZip([{ name: 'a.npy', data: npy, localOffset: 1 }]))).rejects.toThrow('ZIP entry "a.npy": no local file header at byte 1');
    const two = makeZip([{ name: 'a.npy', data: npy, size: 200, compressedSize: 200 }, { name: 'b.npy', data: npy }]);
    await expect(P(two)).rejects.toThrow('ZIP entries "a.npy" and "b.npy" overlap (a known zip-bomb construction)');
    const same = makeZip([{ name: 'a.npy', data: npy }, { name: 'a.npy', data: npy }]);
    await expect(P(same)).rejects.toThrow('parse_npz: duplicate ZIP entry name "a.npy"');
    const renamed = makeZip([{ name: 'a.npy', data: npy }]);
    renamed.set(new TextEncoder().encode('b'), 30); // local header name differs from the directory's
    await expect(P(renamed)).rejects.toThrow('ZIP entry "a.npy": the local header names a different file (corrupt archive)');
  });

  test('methods, flags, names', async () => {
    await expect(P(makeZip([{ name: 'a.npy', data: npy, method: 12, payload: npy }]))).rejects.toThrow('ZIP entry "a.npy" uses compression method 12; only stored (0) and deflate (8) are supported');
    await expect(P(makeZip([{ name: 'a.npy', data: npy, flags: 1 }]))).rejects.toThrow('ZIP entry "a.npy" is encrypted, which is not supported');
    await expect(P(makeZip([{ name: 'notes.txt', data: npy }]))).rejects.toThrow('parse_npz: entry "notes.txt" is not a .npy array (an .npz holds only NAME.npy entries)');
    await expect(P(makeZip([{ name: 'a.npy', data: npy, size: 100 }]))).rejects.toThrow('ZIP entry "a.npy" is stored uncompressed but declares a compressed size of 144 and an uncompressed size of 100');
  });

  test('declared sizes above the limits are refused before decompressing', async () => {
    const big = makeZip([{ name: 'a.npy', data: npy, method: 8, size: 2 ** 31 + 1 }]);
    await expect(P(big)).rejects.toThrow('parse_npz: entry "a.npy" declares 2147483649 uncompressed bytes, more than the 2147483648-byte limit (options.max_entry_bytes)');
    const z64 = makeZip([{ name: 'a.npy', data: npy, method: 8, size: 2 ** 40, zip64: true }]);
    await expect(P(z64)).rejects.toThrow('entry "a.npy" declares 1099511627776 uncompressed bytes, more than the 2147483648-byte limit');
    await expect(P(makeZip([{ name: 'a.npy', data: npy }]), { max_entry_bytes: 100 })).rejects.toThrow('declares 144 uncompressed bytes, more than the 100-byte limit');
    await expect(P(makeZip([{ name: 'a.npy', data: npy }, { name: 'b.npy', data: npy }]), { max_total_bytes: 200 })).rejects.toThrow('parse_npz: the entries declare 288 uncompressed bytes in total, more than the 200-byte limit (options.max_total_bytes)');
  });

  for (const decompressor of DECOMPRESSORS) {
    describe(`deflate (${decompressor})`, () => {
      test('zip bomb: inflates to more than declared', async () => {
        // A valid .npy of 10 floats (168 bytes) followed by 50 MB of zeros in the same deflate stream.
        const head = save_npy(t32(new Array(10).fill(1)));
        const bomb = new Uint8Array(head.length + 50_000_000);
        bomb.set(head);
        const zip = makeZip([{ name: 'a.npy', data: head, method: 8, payload: deflateRawSync(bomb), crc: 0 }]);
        expect(zip.length).toBeLessThan(100_000);
        await expect(P(zip, { decompressor })).rejects.toThrow('parse_npz: entry "a.npy": the compressed data inflates to more than the declared 168 bytes (corrupt archive or zip bomb)');
      });

      test('the .npy header inside must agree with the declared size (checked from the first bytes)', async () => {
        const claim = save_npy(t32([0]));
        // the header says 2^40 floats; the directory says 1000 bytes
        const hdr = new TextDecoder().decode(claim.subarray(10, 128)).replace("'shape': (1,), ", `'shape': (${2 ** 40},),`);
        const lie = new Uint8Array(1000);
        lie.set(claim.subarray(0, 10));
        lie.set(new TextEncoder().encode(hdr), 10);
        const zip = makeZip([{ name: 'a.npy', data: lie, method: 8 }]);
        await expect(P(zip, { decompressor })).rejects.toThrow(`parse_npz: entry "a.npy": its .npy header declares shape (1099511627776,) of '<f4', 4398046511232 bytes in all, but the ZIP directory declares 1000 bytes`);
        await expect(P(makeZip([{ name: 'a.npy', data: lie }]), { decompressor })).rejects.toThrow('its .npy header declares shape (1099511627776,)');
      });

      test('inflates to fewer bytes than declared', async () => {
        const full = save_npy(t32(new Array(100).fill(2))); // 528 bytes
        const zip = makeZip([{ name: 'a.npy', data: full, method: 8, payload: deflateRawSync(full.subarray(0, 300)) }]);
        await expect(P(zip, { decompressor })).rejects.toThrow('parse_npz: entry "a.npy": the compressed data inflates to 300 bytes, but the ZIP directory declares 528');
      });

      test('corrupt deflate data and CRC mismatches', async () => {
        const garbage = makeZip([{ name: 'a.npy', data: npy, method: 8, payload: Uint8Array.from([0xff, 0xff, 0xff, 0, 1, 2]) }]);
        await expect(P(garbage, { decompressor })).rejects.toThrow(/^parse_npz: entry "a\.npy": the deflate data is corrupt \(/);
        const crc = makeZip([{ name: 'a.npy', data: npy, method: 8, crc: 1234 }]);
        await expect(P(crc, { decompressor })).rejects.toThrow(/^parse_npz: entry "a\.npy": CRC-32 [0-9a-f]{8} does not match the directory's 000004d2 \(corrupt data\)/);
      });
    });
  }

  test('stored entries: CRC and npy errors name the entry', async () => {
    await expect(P(makeZip([{ name: 'a.npy', data: npy, crc: 7 }]))).rejects.toThrow(/parse_npz: entry "a\.npy": CRC-32 .* does not match/);
    const bad = npy.slice();
    bad[6] = 9;
    await expect(P(makeZip([{ name: 'a.npy', data: bad }]))).rejects.toThrow('parse_npz: entry "a.npy": unsupported .npy format version 9.0');
  });

  test('inflateRaw never returns more than the declared size', async () => {
    const data = deflateRawSync(new Uint8Array(5000));
    for (const d of DECOMPRESSORS) {
      await expect(inflateRaw('f', 'x', data, 4999, () => undefined, d)).rejects.toThrow('f: x: the compressed data inflates to more than the declared 4999 bytes');
      expect((await inflateRaw('f', 'x', data, 5000, () => undefined, d)).length).toBe(5000);
    }
  });
});
