/**
 * Helpers shared by the safetensors / .npy / .npz readers and writers: byte sources, a strict JSON parser and a
 * Python-literal parser (both with depth limits and duplicate-key detection), element decoding (zero-copy where the
 * data is aligned little-endian, otherwise a copy; float16/bfloat16 → float32, int64 → int32 with a range check),
 * little-endian encoding of tensors, CRC-32.
 */
import { Tensor, type DType, type TypedArray } from '../torch/index';
import { describe } from '../torch/utils/checks';

/** Throws `${fn}: ${msg}`. */
export function ioFail(fn: string, msg: string): never {
  throw new Error(`${fn}: ${msg}`);
}

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A plain Uint8Array view of a Uint8Array (a Node Buffer becomes a plain view: Buffer#slice does not copy), another
 * typed array / DataView, or an ArrayBuffer (no copy).
 */
export function asBytes(fn: string, arg: string, x: unknown): Uint8Array {
  if (x instanceof Uint8Array) return x.constructor === Uint8Array ? x : new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (x instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && x instanceof SharedArrayBuffer)) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  throw new Error(`${fn}: ${arg} must be a Uint8Array or an ArrayBuffer, got ${describe(x)}`);
}

/** Bytes of a source: a path (read with node:fs/promises, imported lazily so browser bundles need no fs) or bytes. */
export async function readSource(fn: string, source: unknown): Promise<Uint8Array> {
  if (typeof source !== 'string') return asBytes(fn, 'source', source);
  let fs: typeof import('node:fs/promises');
  try {
    fs = await import('node:fs/promises');
  } catch {
    ioFail(fn, `reading a path needs node:fs (not available here); pass the file's bytes (Uint8Array or ArrayBuffer) instead of ${JSON.stringify(source)}`);
  }
  try {
    const buf = await fs.readFile(source);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    ioFail(fn, `cannot read ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}

export async function writeBytes(fn: string, path: unknown, bytes: Uint8Array): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new Error(`${fn}: path must be a non-empty string, got ${describe(path)}`);
  let fs: typeof import('node:fs/promises');
  try {
    fs = await import('node:fs/promises');
  } catch {
    ioFail(fn, 'writing a file needs node:fs (not available here); use the save_* function and handle the bytes yourself');
  }
  try {
    await fs.writeFile(path, bytes);
  } catch (e) {
    ioFail(fn, `cannot write ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}

/** Defines an own enumerable property even for keys such as "__proto__" (plain assignment would set the prototype). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Own enumerable [key, value] pairs of a plain object argument (rejects null, arrays, Tensors, Maps). */
export function plainEntries(fn: string, arg: string, x: unknown, expected: string): [string, unknown][] {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || x instanceof Tensor || x instanceof Map || ArrayBuffer.isView(x)) {
    throw new Error(`${fn}: ${arg} must be ${expected}, got ${describe(x)}`);
  }
  return Object.keys(x).map((k) => [k, (x as Record<string, unknown>)[k]]);
}

export function decodeUtf8(fn: string, what: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    ioFail(fn, `${what} is not valid UTF-8`);
  }
}

export function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** "[2, 3]" */
export const fmtShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** An unsigned 64-bit little-endian value as an exact decimal string (for messages). */
export function u64String(lo: number, hi: number): string {
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Reads an unsigned 64-bit little-endian integer; returns Infinity when it is beyond 2^53 (always out of range here). */
export function readU64(view: DataView, pos: number): number {
  const lo = view.getUint32(pos, true);
  const hi = view.getUint32(pos + 4, true);
  return hi >= 0x200000 ? Infinity : hi * 0x100000000 + lo;
}

// ---- strict JSON -----------------------------------------------------------------------------------------------------

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** Objects parse to Maps: key order kept, no prototype pitfalls ("__proto__" is an ordinary key). */
export type JsonObject = Map<string, JsonValue>;

export interface JsonOptions {
  /** Deepest allowed nesting of objects/arrays (the root object is depth 1). */
  maxDepth: number;
  /** Message for a repeated key in an object at `depth` (default: `duplicate key "k"`). */
  duplicate?: (key: string, depth: number) => string;
}

/**
 * RFC 8259 JSON, parsed iteratively-safe (depth-limited recursion) and strictly: no duplicate keys, no trailing
 * commas, no comments; whitespace around the value is allowed. Errors say what was wrong and at which character.
 */
export function parseJson(fn: string, what: string, text: string, opts: JsonOptions): JsonValue {
  let i = 0;
  const n = text.length;
  const bad = (msg: string): never => ioFail(fn, `${what} is not valid JSON: ${msg} at character ${i}`);
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) bad('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) { out += text.slice(start, i); i++; return out; }
      if (c < 0x20) bad('control character in string');
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; }
        else if (e === 'u') {
          const h = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) bad('bad \\u escape');
          out += String.fromCharCode(parseInt(h, 16));
          i += 6;
        } else bad('bad escape');
        start = i;
      } else i++;
    }
  };
  const num = (): number => {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) bad('bad number');
    i += m![0].length;
    return Number(m![0]);
  };
  const value = (depth: number): JsonValue => {
    ws();
    if (i >= n) bad('unexpected end');
    const c = text[i];
    if (c === '{') {
      if (depth + 1 > opts.maxDepth) bad(`nesting deeper than ${opts.maxDepth} levels`);
      i++;
      const obj: JsonObject = new Map();
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') bad('expected a string key');
        const keyAt = i;
        const k = str();
        if (obj.has(k)) { i = keyAt; bad(opts.duplicate ? opts.duplicate(k, depth + 1) : `duplicate key ${JSON.stringify(k)}`); }
        ws();
        if (text[i] !== ':') bad('expected ":"');
        i++;
        obj.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        bad('expected "," or "}"');
      }
    }
    if (c === '[') {
      if (depth + 1 > opts.maxDepth) bad(`nesting deeper than ${opts.maxDepth} levels`);
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        bad('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    return bad(`unexpected character ${JSON.stringify(c)}`);
  };
  const v = value(0);
  ws();
  if (i < n) bad('unexpected data after the JSON value');
  return v;
}

// ---- Python literals (the .npy header) ------------------------------------------------------------------------------

export type PyValue = null | boolean | number | string | PyTuple | PyList | PyDict;
export interface PyTuple { kind: 'tuple'; items: PyValue[] }
export interface PyList { kind: 'list'; items: PyValue[] }
export interface PyDict { kind: 'dict'; map: Map<string, PyValue> }

/**
 * The subset of Python literal syntax that .npy headers use (what numpy's safe_eval accepts for them): dicts with
 * string keys, tuples, lists, strings, integers (optional Python 2 `L` suffix), True/False/None. Depth-limited,
 * duplicate keys rejected, integers beyond 2^53 rejected.
 */
export function parsePyLiteral(fn: string, what: string, text: string, maxDepth: number): PyValue {
  let i = 0;
  const n = text.length;
  const bad = (msg: string): never => ioFail(fn, `${what} is not a valid Python literal: ${msg} at character ${i}`);
  const ws = (): void => { while (i < n && ' \t\n\r'.includes(text[i])) i++; };
  const str = (): string => {
    const q = text[i++];
    let out = '';
    for (;;) {
      if (i >= n) bad('unterminated string');
      const c = text[i];
      if (c === q) { i++; return out; }
      if (c === '\n') bad('newline in string');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; continue; }
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 0;
        const h = text.slice(i + 2, i + 2 + len);
        if (len === 0 || !new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) bad('bad escape in string');
        out += String.fromCharCode(parseInt(h, 16));
        i += 2 + len;
        continue;
      }
      out += c;
      i++;
    }
  };
  const seq = (close: string, depth: number): { items: PyValue[]; comma: boolean } => {
    const items: PyValue[] = [];
    let comma = false;
    ws();
    if (text[i] === close) { i++; return { items, comma }; }
    for (;;) {
      items.push(value(depth));
      ws();
      if (text[i] === ',') {
        comma = true;
        i++;
        ws();
        if (text[i] === close) { i++; return { items, comma }; }
        continue;
      }
      if (text[i] === close) { i++; return { items, comma }; }
      bad(`expected "," or "${close}"`);
    }
  };
  const value = (depth: number): PyValue => {
    ws();
    if (i >= n) bad('unexpected end');
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') {
      if (depth + 1 > maxDepth) bad(`nesting deeper than ${maxDepth} levels`);
      i++;
      if (c === '(') {
        const { items, comma } = seq(')', depth + 1);
        return items.length === 1 && !comma ? items[0] : { kind: 'tuple', items };
      }
      if (c === '[') return { kind: 'list', items: seq(']', depth + 1).items };
      const map = new Map<string, PyValue>();
      ws();
      if (text[i] === '}') { i++; return { kind: 'dict', map }; }
      for (;;) {
        ws();
        if (text[i] !== "'" && text[i] !== '"') bad('expected a string key');
        const keyAt = i;
        const k = str();
        if (map.has(k)) { i = keyAt; bad(`duplicate key ${JSON.stringify(k)}`); }
        ws();
        if (text[i] !== ':') bad('expected ":"');
        i++;
        map.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') { i++; return { kind: 'dict', map }; }
          continue;
        }
        if (text[i] === '}') { i++; return { kind: 'dict', map }; }
        bad('expected "," or "}"');
      }
    }
    if (c === "'" || c === '"') return str();
    const m = /^[+-]?(?:0+|[1-9][0-9]*)[lL]?(?![0-9A-Za-z_.])/.exec(text.slice(i, i + 40));
    if (m) {
      const digits = m[0].replace(/[lL]$/, '');
      const v = Number(digits);
      if (!Number.isSafeInteger(v)) bad(`integer ${digits} is beyond 2^53`);
      i += m[0].length;
      return v;
    }
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (text.startsWith(word, i) && !/[0-9A-Za-z_]/.test(text[i + word.length] ?? '')) { i += word.length; return v; }
    }
    return bad(`unexpected ${JSON.stringify(text.slice(i, i + 12))}`);
  };
  const v = value(0);
  ws();
  if (i < n) bad('unexpected data after the literal');
  return v;
}

// ---- element formats --------------------------------------------------------------------------------------------------

/** How elements are stored in a file (kind + byte size), independent of the container format. */
export type ElemFormat = 'f2' | 'bf2' | 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1';

export const FORMAT_SIZE: Record<ElemFormat, number> = {
  f2: 2, bf2: 2, f4: 4, f8: 8, i1: 1, i2: 2, i4: 4, i8: 8, u1: 1, u2: 2, u4: 4, u8: 8, b1: 1,
};

/** The spikeport dtype each stored format loads as. */
export const FORMAT_DTYPE: Record<ElemFormat, DType> = {
  f2: 'float32', bf2: 'float32', f4: 'float32', f8: 'float64', i1: 'int32', i2: 'int32', i4: 'int32', i8: 'int32',
  u1: 'int32', u2: 'int32', u4: 'int32', u8: 'int32', b1: 'bool',
};

/** Element count of a validated shape, or Infinity beyond 2^53 (a zero dimension gives 0 whatever the others are). */
export function shapeNumel(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  let p = 1;
  for (const d of shape) {
    p *= d;
    if (p > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return p;
}

const INT32_RANGE = 'the int32 range [-2147483648, 2147483647]';

function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24; // zero / subnormal (exact in float32)
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** A fresh copy of bytes [start, end) (explicit: `slice` on a Node Buffer would return a view). */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

/**
 * Reads `count` elements of format `fmt` starting at `start` in `bytes` into the typed array of the dtype they load as.
 * Little-endian float32/float64/int32/bool data on a little-endian host whose absolute offset is aligned is returned
 * as a view of `bytes` (zero-copy: it shares memory with the input); everything else is copied/converted.
 * Callers have already checked that the range lies inside `bytes`. `what` names the tensor in errors.
 */
export function decodeElements(fn: string, what: string, bytes: Uint8Array, start: number, count: number, fmt: ElemFormat, littleEndian: boolean): TypedArray {
  const size = FORMAT_SIZE[fmt];
  const abs = bytes.byteOffset + start;
  const nbytes = count * size;
  const native = littleEndian === HOST_LITTLE_ENDIAN || size === 1;
  if (fmt === 'b1' || fmt === 'f4' || fmt === 'f8' || fmt === 'i4') {
    if (native) {
      const src = abs % size === 0 ? bytes : copyBytes(bytes, start, start + nbytes);
      const off = abs % size === 0 ? abs : 0;
      const buf = src.buffer as ArrayBuffer;
      if (fmt === 'b1') {
        const a = new Uint8Array(buf, off, count);
        for (let k = 0; k < count; k++) if (a[k] > 1) ioFail(fn, `${what}: bool element ${k} is stored as byte ${a[k]}, expected 0 or 1`);
        return a;
      }
      return fmt === 'f4' ? new Float32Array(buf, off, count) : fmt === 'f8' ? new Float64Array(buf, off, count) : new Int32Array(buf, off, count);
    }
  }
  const view = new DataView(bytes.buffer, abs, nbytes);
  const le = littleEndian;
  switch (fmt) {
    case 'f4': { const o = new Float32Array(count); for (let k = 0; k < count; k++) o[k] = view.getFloat32(4 * k, le); return o; }
    case 'f8': { const o = new Float64Array(count); for (let k = 0; k < count; k++) o[k] = view.getFloat64(8 * k, le); return o; }
    case 'i4': { const o = new Int32Array(count); for (let k = 0; k < count; k++) o[k] = view.getInt32(4 * k, le); return o; }
    case 'f2': {
      // Bit-level conversion keeps NaN payloads and signed zeros exactly as numpy/torch do.
      const o = new Float32Array(count);
      const bits = new Uint32Array(o.buffer);
      for (let k = 0; k < count; k++) {
        const h = view.getUint16(2 * k, le);
        const e = (h >> 10) & 0x1f;
        if (e === 0x1f) bits[k] = ((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13);
        else o[k] = halfBitsToFloat(h);
      }
      return o;
    }
    case 'bf2': {
      const o = new Float32Array(count);
      const bits = new Uint32Array(o.buffer);
      for (let k = 0; k < count; k++) bits[k] = view.getUint16(2 * k, le) << 16;
      return o;
    }
    case 'i1': { const o = new Int32Array(count); for (let k = 0; k < count; k++) o[k] = view.getInt8(k); return o; }
    case 'u1': { const o = new Int32Array(count); for (let k = 0; k < count; k++) o[k] = view.getUint8(k); return o; }
    case 'i2': { const o = new Int32Array(count); for (let k = 0; k < count; k++) o[k] = view.getInt16(2 * k, le); return o; }
    case 'u2': { const o = new Int32Array(count); for (let k = 0; k < count; k++) o[k] = view.getUint16(2 * k, le); return o; }
    case 'u4': {
      const o = new Int32Array(count);
      for (let k = 0; k < count; k++) {
        const v = view.getUint32(4 * k, le);
        if (v > 0x7fffffff) ioFail(fn, `${what}: uint32 element ${k} = ${v} is outside ${INT32_RANGE} (integers load as int32)`);
        o[k] = v;
      }
      return o;
    }
    case 'i8':
    case 'u8': {
      const o = new Int32Array(count);
      for (let k = 0; k < count; k++) {
        const lo = view.getInt32(8 * k + (le ? 0 : 4), le);
        const hi = view.getInt32(8 * k + (le ? 4 : 0), le);
        if (hi !== lo >> 31 || (fmt === 'u8' && hi !== 0)) {
          const v = fmt === 'u8' ? view.getBigUint64(8 * k, le) : view.getBigInt64(8 * k, le);
          ioFail(fn, `${what}: ${fmt === 'u8' ? 'uint64' : 'int64'} element ${k} = ${v} is outside ${INT32_RANGE} (spikeport loads 64-bit integers as int32)`);
        }
        o[k] = lo;
      }
      return o;
    }
    default:
      return ioFail(fn, `${what}: internal error: format ${fmt} with byte order ${le ? 'little' : 'big'}-endian`);
  }
}

/** The bytes of a tensor's values in C order, little-endian (a view of its storage when it is contiguous on an LE host). */
export function tensorBytesLE(t: Tensor): Uint8Array {
  const n = t.numel();
  const a: TypedArray = t.is_contiguous() ? (t.buffer.subarray(t.offset, t.offset + n) as TypedArray) : t.toTypedArray();
  const size = a.BYTES_PER_ELEMENT;
  if (HOST_LITTLE_ENDIAN || size === 1) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(n * size);
  const view = new DataView(out.buffer);
  for (let k = 0; k < n; k++) {
    if (a instanceof Float32Array) view.setFloat32(4 * k, a[k], true);
    else if (a instanceof Float64Array) view.setFloat64(8 * k, a[k], true);
    else view.setInt32(4 * k, a[k], true);
  }
  return out;
}

/** Validates a value to be saved: it must be a Tensor. */
export function checkTensorArg(fn: string, arg: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${fn}: ${arg} must be a Tensor, got ${describe(t)}`);
  return t;
}

// ---- CRC-32 (ZIP) ------------------------------------------------------------------------------------------------------

let CRC_TABLES: Int32Array | null = null;

/** CRC-32 (ISO-HDLC, as in ZIP), slicing-by-8. */
export function crc32(bytes: Uint8Array): number {
  if (CRC_TABLES === null) {
    const t = new Int32Array(8 * 256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c;
    }
    for (let k = 1; k < 8; k++) {
      for (let n = 0; n < 256; n++) {
        const prev = t[(k - 1) * 256 + n];
        t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff];
      }
    }
    CRC_TABLES = t;
  }
  const t = CRC_TABLES;
  const len = bytes.length;
  let c = -1;
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    const a = c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    c = t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)]
      ^ t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^ t[256 + bytes[i + 6]] ^ t[bytes[i + 7]];
  }
  for (; i < len; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
