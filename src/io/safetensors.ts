/**
 * safetensors (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
 * header `{"__metadata__": {str: str}?, name: {"dtype", "shape", "data_offsets": [begin, end]}, …}` (offsets relative to
 * the byte after the header), then the raw little-endian tensor bytes.
 *
 * Reading validates everything the reference implementation does before touching tensor data: header size (at most
 * 100 MB, within the file), UTF-8 + strict JSON (no duplicate names, bounded nesting), dtypes, shapes, offsets inside
 * the data section and equal to shape × itemsize, tensors tiling the data section with no overlap, gap or trailing
 * bytes. F32/F64/I32/BOOL load natively (zero-copy views of the input when aligned); F16/BF16 convert to float32;
 * I64/U64/U32 to int32 with a range check; I8/U8/I16/U16 to int32.
 */
import { Tensor, type DType } from '../torch/index';
import {
  type ElemFormat, type JsonObject, type JsonValue, FORMAT_DTYPE, FORMAT_SIZE, asBytes, checkTensorArg, decodeElements,
  decodeUtf8, fmtShape, ioFail, parseJson, plainEntries, readSource, setOwn, shapeNumel, tensorBytesLE, u64String,
  utf8, writeBytes,
} from './bytes';

/** Largest header accepted (the reference implementation's limit). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;
/** Deepest JSON nesting accepted in a header (a valid header needs 3: root, tensor entry, shape). */
export const SAFETENSORS_MAX_HEADER_DEPTH = 8;
/** Most dimensions a tensor may declare. */
export const MAX_RANK = 64;

const FORMATS: Record<string, ElemFormat> = {
  F64: 'f8', F32: 'f4', F16: 'f2', BF16: 'bf2', I64: 'i8', I32: 'i4', I16: 'i2', I8: 'i1', U64: 'u8', U32: 'u4', U16: 'u2',
  U8: 'u1', BOOL: 'b1',
};
const WRITE_DTYPE: Record<DType, string> = { float64: 'F64', float32: 'F32', int32: 'I32', bool: 'BOOL' };
/** The reference writer orders tensors by its Dtype enum (descending), then by name: larger items first, so all align. */
const WRITE_RANK: Record<DType, number> = { float64: 10, float32: 9, int32: 7, bool: 0 };

/** Orders strings as Rust/Python do (by code point, i.e. UTF-8 byte order), not by UTF-16 code unit. */
function cmpCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    const d = x[k].codePointAt(0)! - y[k].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export interface SafetensorsFile {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

interface Entry { name: string; fmt: ElemFormat; shape: number[]; begin: number; end: number }

const kindOf = (v: JsonValue): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : v instanceof Map ? 'an object' : typeof v === 'string' ? JSON.stringify(v) : String(v);

function parseImpl(fn: string, bytes: Uint8Array): SafetensorsFile {
  const len = bytes.length;
  if (len < 8) ioFail(fn, `the file is ${len} bytes; a safetensors file starts with an 8-byte header length (truncated or not a safetensors file)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, len);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (hi !== 0 || lo > SAFETENSORS_MAX_HEADER_BYTES) {
    ioFail(fn, `the header length ${u64String(lo, hi)} exceeds the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit (corrupt or not a safetensors file)`);
  }
  const n = lo;
  if (8 + n > len) ioFail(fn, `the header length ${n} runs past the end of the file (${len - 8} bytes follow the length prefix; truncated file?)`);
  if (n < 2 || bytes[8] !== 0x7b) ioFail(fn, `the header must be a JSON object starting with "{" (got ${n === 0 ? 'an empty header' : `byte 0x${bytes[8].toString(16)}`})`);
  const text = decodeUtf8(fn, 'the header', bytes.subarray(8, 8 + n));
  const root = parseJson(fn, 'the header', text, {
    maxDepth: SAFETENSORS_MAX_HEADER_DEPTH,
    duplicate: (k, depth) => (depth === 1 ? `duplicate tensor name ${JSON.stringify(k)}` : `duplicate key ${JSON.stringify(k)}`),
  }) as JsonObject;
  const dataStart = 8 + n;
  const dataLen = len - dataStart;

  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of root) {
    if (name === '__metadata__') {
      if (!(info instanceof Map)) ioFail(fn, `__metadata__ must be an object of strings, got ${kindOf(info)}`);
      for (const [k, v] of info as JsonObject) {
        if (typeof v !== 'string') ioFail(fn, `__metadata__[${JSON.stringify(k)}] must be a string, got ${kindOf(v)}`);
        setOwn(metadata, k, v as string);
      }
      continue;
    }
    const what = `tensor ${JSON.stringify(name)}`;
    if (!(info instanceof Map)) ioFail(fn, `${what}: expected an object {dtype, shape, data_offsets}, got ${kindOf(info)}`);
    const o = info as JsonObject;
    for (const key of ['dtype', 'shape', 'data_offsets']) if (!o.has(key)) ioFail(fn, `${what}: missing "${key}"`);
    const dtype = o.get('dtype')!;
    if (typeof dtype !== 'string' || !(dtype in FORMATS)) {
      ioFail(fn, `${what}: unsupported dtype ${kindOf(dtype)} (supported: ${Object.keys(FORMATS).join(', ')})`);
    }
    const fmt = FORMATS[dtype as string];
    const shape = o.get('shape')!;
    if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      ioFail(fn, `${what}: shape must be an array of at most ${MAX_RANK} non-negative integers, got ${Array.isArray(shape) ? JSON.stringify(shape.map((d) => (d instanceof Map ? {} : d))) : kindOf(shape)}`);
    }
    const offs = o.get('data_offsets')!;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      ioFail(fn, `${what}: data_offsets must be [begin, end] with non-negative integers, got ${Array.isArray(offs) ? JSON.stringify(offs.map((d) => (d instanceof Map ? {} : d))) : kindOf(offs)}`);
    }
    const [begin, end] = offs as number[];
    if (end < begin) ioFail(fn, `${what}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLen) ioFail(fn, `${what}: data_offsets [${begin}, ${end}] run past the end of the data section (${dataLen} bytes; truncated file?)`);
    const numel = shapeNumel(shape as number[]);
    const need = numel * FORMAT_SIZE[fmt];
    if (need !== end - begin) {
      ioFail(fn, `${what}: shape ${fmtShape(shape as number[])} of ${dtype} needs ${numel === Infinity ? 'more than 2^53' : need} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    entries.push({ name, fmt, shape: shape as number[], begin, end });
  }

  // The tensors must tile the data section exactly, as the reference implementation requires.
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let prev: Entry | null = null;
  for (const e of sorted) {
    if (e.begin < covered) {
      ioFail(fn, `tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] overlap tensor ${JSON.stringify(prev!.name)} [${prev!.begin}, ${prev!.end}]`);
    }
    if (e.begin > covered) ioFail(fn, `data bytes [${covered}, ${e.begin}) belong to no tensor (gap before tensor ${JSON.stringify(e.name)}); offsets are inconsistent`);
    covered = e.end;
    prev = e;
  }
  if (covered !== dataLen) {
    ioFail(fn, `the data section has ${dataLen} bytes but the header's tensors cover ${covered} (${dataLen - covered} unexplained trailing bytes)`);
  }

  const tensors: Record<string, Tensor> = {};
  for (const e of entries) {
    const data = decodeElements(fn, `tensor ${JSON.stringify(e.name)}`, bytes, dataStart + e.begin, shapeNumel(e.shape), e.fmt, true);
    setOwn(tensors, e.name, Tensor.fromBuffer(data, e.shape, FORMAT_DTYPE[e.fmt]));
  }
  return { tensors, metadata };
}

/**
 * Parses safetensors bytes. Tensors whose data is aligned (float32/int32 at a 4-byte, float64 at an 8-byte boundary)
 * are views of `bytes` (zero-copy: they share memory with it); the rest are copies.
 */
export function parse_safetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsFile {
  return parseImpl('parse_safetensors', asBytes('parse_safetensors', 'bytes', bytes));
}

/** Reads a safetensors file (a path, read with node:fs, or its bytes) and returns its tensors by name. */
export async function load_safetensors(source: string | Uint8Array | ArrayBuffer): Promise<Record<string, Tensor>> {
  const fn = typeof source === 'string' ? `load_safetensors(${JSON.stringify(source)})` : 'load_safetensors';
  return parseImpl(fn, await readSource('load_safetensors', source)).tensors;
}

/** Like load_safetensors, with the header's __metadata__ too. */
export async function load_safetensors_with_metadata(source: string | Uint8Array | ArrayBuffer): Promise<SafetensorsFile> {
  const fn = typeof source === 'string' ? `load_safetensors_with_metadata(${JSON.stringify(source)})` : 'load_safetensors_with_metadata';
  return parseImpl(fn, await readSource('load_safetensors_with_metadata', source));
}

/**
 * Serialises tensors (float32 → F32, float64 → F64, int32 → I32, bool → BOOL) with optional string metadata.
 * Layout as the reference writer (byte-identical to safetensors' save for the same tensors and at most one metadata
 * key): tensors ordered by dtype (F64, F32, I32, BOOL: so every tensor is aligned) then name, compact JSON header with
 * `__metadata__` first (keys sorted), padded with spaces to a multiple of 8 bytes.
 */
export function save_safetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string> | null): Uint8Array {
  const fn = 'save_safetensors';
  const items = plainEntries(fn, 'tensors', tensors, 'an object mapping names to Tensors').map(([name, t]) => {
    if (name === '__metadata__') ioFail(fn, 'tensors: "__metadata__" is reserved for the metadata and cannot name a tensor');
    return { name, t: checkTensorArg(fn, `tensors[${JSON.stringify(name)}]`, t) };
  });
  let meta: [string, string][] | null = null;
  if (metadata !== undefined && metadata !== null) {
    meta = plainEntries(fn, 'metadata', metadata, 'an object mapping strings to strings').map(([k, v]) => {
      if (typeof v !== 'string') throw new Error(`${fn}: metadata[${JSON.stringify(k)}] must be a string, got ${v === null ? 'null' : typeof v}`);
      return [k, v];
    });
    meta.sort((a, b) => cmpCodePoints(a[0], b[0]));
  }
  items.sort((a, b) => WRITE_RANK[b.t.dtype] - WRITE_RANK[a.t.dtype] || cmpCodePoints(a.name, b.name));

  const parts: string[] = [];
  if (meta) parts.push(`"__metadata__":{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  let pos = 0;
  const blobs: Uint8Array[] = [];
  for (const { name, t } of items) {
    const data = tensorBytesLE(t);
    parts.push(`${JSON.stringify(name)}:{"dtype":"${WRITE_DTYPE[t.dtype]}","shape":[${t.shape.join(',')}],"data_offsets":[${pos},${pos + data.length}]}`);
    pos += data.length;
    blobs.push(data);
  }
  const header = utf8(`{${parts.join(',')}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  const out = new Uint8Array(8 + padded + pos);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 0x100000000), true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + padded);
  let at = 8 + padded;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** save_safetensors, written to a file (node:fs). */
export async function write_safetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string> | null): Promise<void> {
  await writeBytes('write_safetensors', path, save_safetensors(tensors, metadata));
}
