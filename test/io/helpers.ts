/** Shared helpers for the io tests: fixture paths, bit-exact comparison against compat/tensorjson encodings, ZIP crafting. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { Tensor } from '../../src/torch/index';
import { decodeTensor, type EncodedTensor } from '../../src/fixtures/tensorjson';
import { crc32 } from '../../src/io/bytes';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'io');
export const fixturePath = (name: string): string => path.join(FIXTURES, name);
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(name)));

export interface Expected {
  safetensors: Record<string, { metadata: Record<string, string>; tensors: Record<string, EncodedTensor> }>;
  npy: Record<string, EncodedTensor>;
  npz: Record<string, Record<string, EncodedTensor>>;
}
export const expected: Expected = JSON.parse(readFileSync(fixturePath('expected.json'), 'utf8'));

const rawBytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** dtype, shape and every stored byte equal (NaN payloads, -0 and subnormals included). */
export function expectBitExact(t: Tensor, e: EncodedTensor, label: string): void {
  const d = decodeTensor(e);
  expect({ label, dtype: t.dtype, shape: t.shape.slice() }).toEqual({ label, dtype: d.dtype, shape: d.shape });
  const got = rawBytes(t.toTypedArray());
  const want = rawBytes(d.data);
  if (!got.equals(want)) throw new Error(`${label}: bytes differ\n got  ${got.toString('hex')}\n want ${want.toString('hex')}`);
}

export function expectSameTensor(a: Tensor, b: Tensor, label = 'tensor'): void {
  expect({ label, dtype: a.dtype, shape: a.shape.slice() }).toEqual({ label, dtype: b.dtype, shape: b.shape.slice() });
  expect(rawBytes(a.toTypedArray()).equals(rawBytes(b.toTypedArray()))).toBe(true);
}

export const t32 = (values: number[], shape: number[] = [values.length]): Tensor => Tensor.fromBuffer(Float32Array.from(values), shape, 'float32');

/** A safetensors file from a header object/string and data bytes (no validation: for hostile inputs). */
export function rawSafetensors(header: string | object, data: Uint8Array | number = 0, headerLen?: bigint): Uint8Array {
  const h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const d = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + h.length + d.length);
  new DataView(out.buffer).setBigUint64(0, headerLen ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(d, 8 + h.length);
  return out;
}

/** A .npy file from a header string (padded like numpy) and data bytes; version 1 unless given. */
export function rawNpy(header: string, data: Uint8Array | number = 0, version = 1, headerLen?: number): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  let h = header;
  while ((prefix + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const hb = version === 3 ? new TextEncoder().encode(h) : Uint8Array.from(h, (c) => c.charCodeAt(0));
  const d = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(prefix + hb.length + d.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0], 0);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, headerLen ?? hb.length, true);
  else v.setUint32(8, headerLen ?? hb.length, true);
  out.set(hb, prefix);
  out.set(d, prefix + hb.length);
  return out;
}

export interface ZipSpec {
  name: string;
  /** The name's bytes as stored (default: UTF-8 of `name`). */
  rawName?: Uint8Array;
  data: Uint8Array;
  method?: number;
  /** Overrides of what the central directory declares. */
  size?: number;
  compressedSize?: number;
  crc?: number;
  flags?: number;
  localOffset?: number;
  /** Replace the stored/deflated payload with these bytes. */
  payload?: Uint8Array;
  /** Declare sizes through a ZIP64 extra field (0xffffffff in the 32-bit fields). */
  zip64?: boolean;
}

/** Builds a ZIP archive with optional lies in its central directory (for hostile-input tests). */
export function makeZip(specs: ZipSpec[], opts: { count?: number; cdOffset?: number; cdSize?: number; comment?: string } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let pos = 0;
  for (const s of specs) {
    const method = s.method ?? 0;
    const payload = s.payload ?? (method === 8 ? new Uint8Array(deflateRawSync(s.data)) : s.data);
    const name = s.rawName ?? new TextEncoder().encode(s.name);
    const crc = s.crc ?? crc32(s.data);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, s.flags ?? 0, true);
    lv.setUint16(8, method, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, payload.length, true);
    lv.setUint32(22, s.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const offset = pos;
    chunks.push(local, payload);
    pos += local.length + payload.length;
    const size = s.size ?? s.data.length;
    const csize = s.compressedSize ?? payload.length;
    const extra = s.zip64 ? new Uint8Array(4 + 16) : new Uint8Array(0);
    if (s.zip64) {
      const ev = new DataView(extra.buffer);
      ev.setUint16(0, 1, true);
      ev.setUint16(2, 16, true);
      ev.setBigUint64(4, BigInt(size), true);
      ev.setBigUint64(12, BigInt(csize), true);
    }
    const c = new Uint8Array(46 + name.length + extra.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 0x0314, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, s.flags ?? 0, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, s.zip64 ? 0xffffffff : csize, true);
    cv.setUint32(24, s.zip64 ? 0xffffffff : size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint32(42, s.localOffset ?? offset, true);
    c.set(name, 46);
    c.set(extra, 46 + name.length);
    central.push(c);
  }
  const cdOffset = pos;
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const comment = new TextEncoder().encode(opts.comment ?? '');
  const end = new Uint8Array(22 + comment.length);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, opts.count ?? specs.length, true);
  ev.setUint16(10, opts.count ?? specs.length, true);
  ev.setUint32(12, opts.cdSize ?? cdSize, true);
  ev.setUint32(16, opts.cdOffset ?? cdOffset, true);
  ev.setUint16(20, comment.length, true);
  end.set(comment, 22);
  return Buffer.concat([...chunks, ...central, end]);
}
