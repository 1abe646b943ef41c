/**
 * numpy's .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): magic "\x93NUMPY",
 * version (1.0, 2.0, 3.0), a 2- (v1) or 4-byte (v2/3) little-endian header length, a Python-literal dict header
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` (latin-1 in v1/v2, UTF-8 in v3), then the raw data.
 *
 * Reading accepts '<f4' '<f8' '<i4' '|b1' natively (zero-copy views of the input when aligned), '<f2' → float32,
 * '<i8' '<u8' '<u4' → int32 with a range check, '|i1' '|u1' '<i2' '<u2' → int32, and big-endian '>…' of all of these
 * (converted). fortran_order True is transposed into C order. Everything is validated before the data is touched.
 * Writing produces exactly the bytes np.save writes for the same array.
 */
import { Tensor, type DType } from '../torch/index';
import {
  type ElemFormat, type PyValue, FORMAT_DTYPE, FORMAT_SIZE, asBytes, checkTensorArg, decodeElements, decodeLatin1,
  decodeUtf8, ioFail, parsePyLiteral, readSource, shapeNumel, tensorBytesLE, writeBytes,
} from './bytes';

/** Largest .npy header accepted (numpy itself refuses more than 10 000 bytes by default; headers of plain dtypes are ~128). */
export const NPY_MAX_HEADER_BYTES = 1 << 20;
export const NPY_MAX_RANK = 64;
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const KINDS: Record<string, ElemFormat> = {
  f2: 'f2', f4: 'f4', f8: 'f8', i1: 'i1', i2: 'i2', i4: 'i4', i8: 'i8', u1: 'u1', u2: 'u2', u4: 'u4', u8: 'u8', b1: 'b1',
};
const SUPPORTED = "'<f4' '<f8' '<f2' '<i4' '<i8' '<i2' '|i1' '<u4' '<u8' '<u2' '|u1' '|b1' (and big-endian '>…')";

/** What a .npy header declares. */
export interface NpyHeader {
  descr: string;
  fmt: ElemFormat;
  littleEndian: boolean;
  fortran_order: boolean;
  shape: number[];
  /** Byte offset of the data from the start of the file. */
  dataStart: number;
  /** dataStart + numel × itemsize: the exact size of a well-formed file. */
  totalBytes: number;
}

const pyRepr = (v: PyValue): string =>
  v === null ? 'None' : v === true ? 'True' : v === false ? 'False' : typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v)
    : v.kind === 'dict' ? 'a dict' : v.kind === 'list' ? `[${v.items.map(pyRepr).join(', ')}]` : `(${v.items.map(pyRepr).join(', ')}${v.items.length === 1 ? ',' : ''})`;

/**
 * Parses and validates the header. Returns null when `bytes` is a prefix that ends inside the header (used to check a
 * compressed .npz entry from its first bytes); with `complete` true, that is an error instead.
 */
export function readNpyHeader(fn: string, bytes: Uint8Array, complete: boolean): NpyHeader | null {
  const len = bytes.length;
  const short = (msg: string): null => { if (complete) ioFail(fn, msg); return null; };
  for (let k = 0; k < Math.min(len, 6); k++) {
    if (bytes[k] !== MAGIC[k]) ioFail(fn, 'not a .npy file (it does not start with the magic bytes "\\x93NUMPY")');
  }
  if (len < 10) return short(`the file is ${len} bytes, too short for a .npy magic, version and header length (truncated)`);
  const major = bytes[6];
  const minor = bytes[7];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) ioFail(fn, `unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  const prefix = major === 1 ? 10 : 12;
  if (len < prefix) return short(`the file is ${len} bytes, too short for a version ${major}.0 header length (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, len);
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (hlen > NPY_MAX_HEADER_BYTES) ioFail(fn, `the header length ${hlen} exceeds the ${NPY_MAX_HEADER_BYTES}-byte limit (corrupt file?)`);
  if (prefix + hlen > len) return short(`the header length ${hlen} runs past the end of the file (${len - prefix} bytes follow; truncated)`);
  const raw = bytes.subarray(prefix, prefix + hlen);
  const text = major === 3 ? decodeUtf8(fn, 'the header', raw) : decodeLatin1(raw);
  const lit = parsePyLiteral(fn, 'the header', text, 16);
  if (lit === null || typeof lit !== 'object' || lit.kind !== 'dict') ioFail(fn, `the header must be a dict literal, got ${pyRepr(lit)}`);
  const d = lit.map;
  const keys = [...d.keys()].sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    ioFail(fn, `the header must have exactly the keys 'descr', 'fortran_order', 'shape', got ${keys.map((k) => `'${k}'`).join(', ') || 'none'}`);
  }
  const descr = d.get('descr')!;
  if (typeof descr !== 'string') {
    ioFail(fn, `descr ${pyRepr(descr)} is a structured (record) dtype, which is not supported; supported: ${SUPPORTED}`);
  }
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const fmt = m ? KINDS[m[2] + m[3]] : undefined;
  if (!m || fmt === undefined || (m[1] === '|' && FORMAT_SIZE[fmt] > 1) || m[1] === '=') {
    const why = descr.includes('O') ? ' (object arrays hold pickled Python objects and are never loaded)' : m?.[1] === '=' ? " (byte order '=' depends on the writer's machine)" : '';
    ioFail(fn, `unsupported dtype '${descr}'${why}; supported: ${SUPPORTED}`);
  }
  const fortran = d.get('fortran_order')!;
  if (typeof fortran !== 'boolean') ioFail(fn, `fortran_order must be True or False, got ${pyRepr(fortran)}`);
  const shapeV = d.get('shape')!;
  if (shapeV === null || typeof shapeV !== 'object' || shapeV.kind !== 'tuple' || shapeV.items.length > NPY_MAX_RANK
    || !shapeV.items.every((x) => typeof x === 'number' && x >= 0)) {
    ioFail(fn, `shape must be a tuple of at most ${NPY_MAX_RANK} non-negative integers, got ${pyRepr(shapeV)}`);
  }
  const shape = shapeV.items as number[];
  const numel = shapeNumel(shape);
  const dataStart = prefix + hlen;
  const totalBytes = dataStart + numel * FORMAT_SIZE[fmt!];
  if (!Number.isSafeInteger(totalBytes)) ioFail(fn, `shape ${pyRepr(shapeV)} of '${descr}' declares more than 2^53 bytes`);
  return { descr, fmt: fmt!, littleEndian: m![1] !== '>', fortran_order: fortran as boolean, shape, dataStart, totalBytes };
}

export function parseNpyImpl(fn: string, bytes: Uint8Array): Tensor {
  const h = readNpyHeader(fn, bytes, true)!;
  const shapeStr = `(${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''})`;
  if (bytes.length < h.totalBytes) {
    ioFail(fn, `the data is truncated: shape ${shapeStr} of '${h.descr}' needs ${h.totalBytes - h.dataStart} bytes, the file has ${bytes.length - h.dataStart}`);
  }
  if (bytes.length > h.totalBytes) {
    ioFail(fn, `the file has ${bytes.length - h.dataStart} bytes of data but shape ${shapeStr} of '${h.descr}' needs ${h.totalBytes - h.dataStart} (trailing bytes)`);
  }
  const numel = shapeNumel(h.shape);
  const data = decodeElements(fn, 'the array', bytes, h.dataStart, numel, h.fmt, h.littleEndian);
  const dtype = FORMAT_DTYPE[h.fmt];
  if (!h.fortran_order || h.shape.length < 2) return Tensor.fromBuffer(data, h.shape, dtype);
  // Column-major data: view it with Fortran strides, then copy into C order.
  const stride: number[] = [];
  let acc = 1;
  for (const d of h.shape) {
    stride.push(acc);
    acc *= d;
  }
  return new Tensor(data, h.shape.slice(), stride, 0, dtype).contiguous();
}

/** Parses .npy bytes into a Tensor (a zero-copy view of `bytes` when the data is aligned little-endian f4/f8/i4/b1 in C order). */
export function parse_npy(bytes: Uint8Array | ArrayBuffer): Tensor {
  return parseNpyImpl('parse_npy', asBytes('parse_npy', 'bytes', bytes));
}

/** Reads a .npy file (a path, read with node:fs, or its bytes). */
export async function load_npy(source: string | Uint8Array | ArrayBuffer): Promise<Tensor> {
  const fn = typeof source === 'string' ? `load_npy(${JSON.stringify(source)})` : 'load_npy';
  return parseNpyImpl(fn, await readSource('load_npy', source));
}

const DESCR: Record<DType, string> = { float32: '<f4', float64: '<f8', int32: '<i4', bool: '|b1' };

/** The bytes np.save writes for this tensor (format 1.0 unless the header needs 2.0; C order, little-endian). */
export function npyBytes(t: Tensor): Uint8Array {
  const shape = t.shape;
  let header = `{'descr': '${DESCR[t.dtype]}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // numpy leaves room to grow the first axis in place (GROWTH_AXIS_MAX_DIGITS = 21).
  if (shape.length > 0) header += ' '.repeat(Math.max(0, 21 - String(shape[0]).length));
  const hlen = header.length + 1;
  let prefix = 10;
  let padlen = 64 - ((prefix + hlen) % 64);
  if (hlen + padlen > 0xffff) {
    prefix = 12;
    padlen = 64 - ((prefix + hlen) % 64);
  }
  const data = tensorBytesLE(t);
  const out = new Uint8Array(prefix + hlen + padlen + data.length);
  out.set(MAGIC, 0);
  out[6] = prefix === 10 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (prefix === 10) view.setUint16(8, hlen + padlen, true);
  else view.setUint32(8, hlen + padlen, true);
  for (let k = 0; k < header.length; k++) out[prefix + k] = header.charCodeAt(k);
  out.fill(0x20, prefix + header.length, prefix + header.length + padlen);
  out[prefix + hlen + padlen - 1] = 0x0a;
  out.set(data, prefix + hlen + padlen);
  return out;
}

/** Serialises a tensor as .npy (byte-identical to np.save of the same array). */
export function save_npy(t: Tensor): Uint8Array {
  return npyBytes(checkTensorArg('save_npy', 't', t));
}

/** save_npy, written to a file (node:fs). */
export async function write_npy(path: string, t: Tensor): Promise<void> {
  await writeBytes('write_npy', path, save_npy(t));
}
