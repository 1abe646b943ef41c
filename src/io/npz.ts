/**
 * numpy's .npz: a ZIP archive of .npy files (np.savez: stored entries; np.savez_compressed: deflate). This is a minimal
 * ZIP reader (stored and deflate entries, ZIP64 sizes/offsets, UTF-8 or CP437 names) and writer (stored entries laid
 * out exactly as np.savez writes them).
 *
 * Deflate uses node:zlib when it can be imported and otherwise the web's DecompressionStream('deflate-raw'), so
 * reading is async. Before any allocation or decompression the reader checks the end record and central directory
 * (entries inside the file, no overlapping entries, no duplicate names, supported methods, stored sizes equal),
 * the declared uncompressed sizes against limits (zip bombs), and each entry's .npy header against its declared size;
 * decompression never produces more than the declared size, and every entry's CRC-32 is verified.
 */
import type { Tensor } from '../torch/index';
import { checkOptions } from '../torch/utils/checks';
import {
  asBytes, checkTensorArg, copyBytes, crc32, decodeUtf8, ioFail, plainEntries, readSource, readU64, setOwn, utf8, writeBytes,
} from './bytes';
import { npyBytes, parseNpyImpl, readNpyHeader } from './npy';

/** Default limit on one entry's declared uncompressed size. */
export const NPZ_MAX_ENTRY_BYTES = 2 ** 31;
/** Default limit on the sum of all entries' declared uncompressed sizes. */
export const NPZ_MAX_TOTAL_BYTES = 2 ** 32;

export interface NpzOptions {
  /** Refuse an entry whose declared uncompressed size exceeds this many bytes (default 2 GiB). */
  max_entry_bytes?: number;
  /** Refuse an archive whose entries together declare more than this many bytes (default 4 GiB). */
  max_total_bytes?: number;
  /** Which deflate implementation to use (default 'auto': node:zlib when available, else DecompressionStream). */
  decompressor?: 'auto' | 'node-zlib' | 'decompression-stream';
}
const OPTION_KEYS = ['max_entry_bytes', 'max_total_bytes', 'decompressor'] as const;

/** One file of a ZIP archive, as the central directory describes it (positions are offsets into the archive). */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  dataStart: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;

const CP437_HIGH =
  '\u00c7\u00fc\u00e9\u00e2\u00e4\u00e0\u00e5\u00e7\u00ea\u00eb\u00e8\u00ef\u00ee\u00ec\u00c4\u00c5\u00c9\u00e6\u00c6\u00f4\u00f6\u00f2\u00fb\u00f9\u00ff\u00d6\u00dc\u00a2\u00a3\u00a5\u20a7\u0192'
  + '\u00e1\u00ed\u00f3\u00fa\u00f1\u00d1\u00aa\u00ba\u00bf\u2310\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255d\u255c\u255b\u2510'
  + '\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580'
  + '\u03b1\u00df\u0393\u03c0\u03a3\u03c3\u00b5\u03c4\u03a6\u0398\u03a9\u03b4\u221e\u03c6\u03b5\u2229\u2261\u00b1\u2265\u2264\u2320\u2321\u00f7\u2248\u00b0\u2219\u00b7\u221a\u207f\u00b2\u25a0\u00a0';

function decodeName(fn: string, raw: Uint8Array, utf8Flag: boolean): string {
  if (utf8Flag) return decodeUtf8(fn, 'a ZIP entry name', raw);
  let s = '';
  for (const b of raw) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/** Reads and validates a ZIP archive's directory (no entry data is read or decompressed). */
export function readZipDirectory(fn: string, bytes: Uint8Array): ZipEntry[] {
  const len = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, len);
  if (len >= 4 && view.getUint32(0, true) !== SIG_LOCAL && view.getUint32(0, true) !== SIG_END) {
    if (bytes[0] === 0x93 && bytes[1] === 0x4e) ioFail(fn, 'this is a .npy file, not a .npz archive (use load_npy)');
  }
  // End of central directory record: the last signature whose comment length reaches exactly the end of the file.
  let eocd = -1;
  for (let p = len - 22; p >= Math.max(0, len - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === SIG_END && p + 22 + view.getUint16(p + 20, true) === len) { eocd = p; break; }
  }
  if (eocd < 0) ioFail(fn, `no ZIP end-of-central-directory record found (the file is ${len} bytes; not a .npz/ZIP archive, or truncated)`);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) ioFail(fn, 'multi-disk ZIP archives are not supported');
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (view.getUint16(eocd + 8, true) !== count) ioFail(fn, 'the end record\'s entry counts disagree (multi-disk or corrupt archive)');
  let cdLimit = eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== SIG_LOCATOR64) ioFail(fn, 'the end record needs ZIP64 values but the ZIP64 locator is missing (corrupt archive)');
    const e64 = readU64(view, loc + 8);
    if (e64 + 56 > loc || view.getUint32(e64, true) !== SIG_END64) ioFail(fn, `the ZIP64 end record offset ${e64} points outside the file or to something else`);
    const c64 = readU64(view, e64 + 32);
    count = c64;
    cdSize = readU64(view, e64 + 40);
    cdOffset = readU64(view, e64 + 48);
    cdLimit = e64;
  }
  if (cdOffset + cdSize > cdLimit) {
    ioFail(fn, `the central directory [${cdOffset}, ${cdOffset + cdSize}) lies outside the file (it must end before the end record at byte ${cdLimit}; truncated or corrupt)`);
  }
  if (count * 46 > cdSize) ioFail(fn, `the central directory of ${cdSize} bytes cannot hold the ${count} entries the end record declares`);

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = cdOffset;
  const cdEnd = cdOffset + cdSize;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdEnd || view.getUint32(p, true) !== SIG_CENTRAL) ioFail(fn, `central directory entry ${k} at byte ${p} is missing or malformed`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cdEnd) ioFail(fn, `central directory entry ${k} runs past the end of the central directory`);
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = decodeName(fn, rawName, (flags & 0x800) !== 0);
    const what = `ZIP entry ${JSON.stringify(name)}`;
    // ZIP64 extended information replaces the fields saturated at 0xffffffff, in this order.
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      let q = p + 46 + nameLen;
      const qEnd = q + extraLen;
      let found = false;
      while (q + 4 <= qEnd) {
        const id = view.getUint16(q, true);
        const sz = view.getUint16(q + 2, true);
        if (q + 4 + sz > qEnd) break;
        if (id === 0x0001) {
          let r = q + 4;
          const take = (): number => {
            if (r + 8 > q + 4 + sz) ioFail(fn, `${what}: the ZIP64 extra field is too short`);
            const v = readU64(view, r);
            r += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
          found = true;
          break;
        }
        q += 4 + sz;
      }
      if (!found) ioFail(fn, `${what}: sizes need a ZIP64 extra field, which is missing`);
    }
    if (flags & 0x41) ioFail(fn, `${what} is encrypted, which is not supported`);
    if (method !== 0 && method !== 8) ioFail(fn, `${what} uses compression method ${method}; only stored (0) and deflate (8) are supported`);
    if (method === 0 && compressedSize !== size) {
      ioFail(fn, `${what} is stored uncompressed but declares a compressed size of ${compressedSize} and an uncompressed size of ${size}`);
    }
    if (names.has(name)) ioFail(fn, `duplicate ZIP entry name ${JSON.stringify(name)}`);
    names.add(name);
    if (localHeaderOffset + 30 > cdOffset) {
      ioFail(fn, `${what}: its local header offset ${localHeaderOffset} points outside the entry data (bytes [0, ${cdOffset}) before the central directory)`);
    }
    if (view.getUint32(localHeaderOffset, true) !== SIG_LOCAL) ioFail(fn, `${what}: no local file header at byte ${localHeaderOffset}`);
    const lNameLen = view.getUint16(localHeaderOffset + 26, true);
    const lExtraLen = view.getUint16(localHeaderOffset + 28, true);
    const dataStart = localHeaderOffset + 30 + lNameLen + lExtraLen;
    if (dataStart + compressedSize > cdOffset) {
      ioFail(fn, `${what}: its data [${dataStart}, ${dataStart + compressedSize}) runs outside the entry data (bytes [0, ${cdOffset}) before the central directory)`);
    }
    if (!sameBytes(bytes.subarray(localHeaderOffset + 30, localHeaderOffset + 30 + lNameLen), rawName)) {
      ioFail(fn, `${what}: the local header names a different file (corrupt archive)`);
    }
    entries.push({ name, method, crc, compressedSize, size, localHeaderOffset, dataStart });
    p = next;
  }
  const byOffset = entries.slice().sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let k = 1; k < byOffset.length; k++) {
    const a = byOffset[k - 1];
    const b = byOffset[k];
    if (a.dataStart + a.compressedSize > b.localHeaderOffset) {
      ioFail(fn, `ZIP entries ${JSON.stringify(a.name)} and ${JSON.stringify(b.name)} overlap (a known zip-bomb construction)`);
    }
  }
  return entries;
}

// ---- inflate ------------------------------------------------------------------------------------------------------------

type Zlib = typeof import('node:zlib');
let zlibPromise: Promise<Zlib | null> | null = null;

function nodeZlib(): Promise<Zlib | null> {
  zlibPromise ??= import('node:zlib').then(
    (m) => (typeof m.inflateRawSync === 'function' ? m : ((m as { default?: Zlib }).default ?? null)),
    () => null,
  );
  return zlibPromise;
}

/** How many decompressed bytes are inspected before the rest (enough for any plain .npy header). */
const PEEK_BYTES = 4096;

/**
 * Inflates raw deflate data that must decompress to exactly `size` bytes; never produces more. `peek` sees the first
 * decompressed bytes (up to PEEK_BYTES) before the rest is decompressed and may throw.
 */
export async function inflateRaw(
  fn: string, what: string, comp: Uint8Array, size: number, peek: (head: Uint8Array) => void,
  decompressor: NpzOptions['decompressor'] = 'auto',
): Promise<Uint8Array> {
  const tooBig = (): never => ioFail(fn, `${what}: the compressed data inflates to more than the declared ${size} bytes (corrupt archive or zip bomb)`);
  const corrupt = (e: unknown): never => ioFail(fn, `${what}: the deflate data is corrupt (${(e as Error).message})`);
  const zlib = decompressor === 'decompression-stream' ? null : await nodeZlib();
  if (zlib) {
    const headCap = Math.min(size, 1 << 20);
    let head: Uint8Array | null = null;
    try {
      head = zlib.inflateRawSync(comp.subarray(0, Math.min(comp.length, PEEK_BYTES)), {
        finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, headCap),
      });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') corrupt(e);
      if (headCap === size) tooBig();
    }
    if (head !== null) {
      if (head.length > size) tooBig();
      peek(head.subarray(0, PEEK_BYTES));
    }
    let out: Uint8Array;
    try {
      out = zlib.inflateRawSync(comp, { maxOutputLength: Math.max(1, size) });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') tooBig();
      return corrupt(e);
    }
    if (out.length !== size) ioFail(fn, `${what}: the compressed data inflates to ${out.length} bytes, but the ZIP directory declares ${size}`);
    return out;
  }
  if (decompressor === 'node-zlib') ioFail(fn, 'decompressor "node-zlib" was requested but node:zlib is not available here');
  if (typeof DecompressionStream === 'undefined') {
    ioFail(fn, `${what} is deflate-compressed, and neither node:zlib nor DecompressionStream('deflate-raw') is available to inflate it`);
  }
  let ds: DecompressionStream;
  try {
    ds = new DecompressionStream('deflate-raw' as CompressionFormat);
  } catch (e) {
    return ioFail(fn, `${what} is deflate-compressed, and this DecompressionStream does not support 'deflate-raw' (${(e as Error).message})`);
  }
  const writer = ds.writable.getWriter();
  const input = (comp.buffer instanceof ArrayBuffer ? comp : copyBytes(comp, 0, comp.length)) as Uint8Array<ArrayBuffer>; // not a SharedArrayBuffer view
  writer.write(input).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = ds.readable.getReader();
  const headChunks: Uint8Array[] = [];
  let out: Uint8Array | null = null;
  let pos = 0;
  const startOutput = (): void => {
    const head = new Uint8Array(pos);
    let q = 0;
    for (const c of headChunks) { head.set(c, q); q += c.length; }
    peek(head.subarray(0, PEEK_BYTES));
    out = new Uint8Array(size);
    out.set(head);
  };
  for (;;) {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await reader.read();
    } catch (e) {
      return corrupt(e);
    }
    if (r.done) break;
    const chunk = r.value;
    if (pos + chunk.length > size) {
      await reader.cancel().catch(() => undefined);
      tooBig();
    }
    if (out === null) {
      headChunks.push(chunk);
      pos += chunk.length;
      if (pos >= PEEK_BYTES) startOutput();
    } else {
      (out as Uint8Array).set(chunk, pos);
      pos += chunk.length;
    }
  }
  if (out === null) startOutput();
  if (pos !== size) ioFail(fn, `${what}: the compressed data inflates to ${pos} bytes, but the ZIP directory declares ${size}`);
  return out!;
}

// ---- .npz ---------------------------------------------------------------------------------------------------------------

function checkLimit(fn: string, name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= 0) || !Number.isSafeInteger(v)) throw new Error(`${fn}: ${name} must be a non-negative integer number of bytes, got ${String(v)}`);
  return v;
}

async function parseNpzImpl(fn: string, bytes: Uint8Array, options: NpzOptions | undefined): Promise<Record<string, Tensor>> {
  const opts = checkOptions(fn, options, OPTION_KEYS);
  const maxEntry = checkLimit(fn, 'options.max_entry_bytes', opts.max_entry_bytes, NPZ_MAX_ENTRY_BYTES);
  const maxTotal = checkLimit(fn, 'options.max_total_bytes', opts.max_total_bytes, NPZ_MAX_TOTAL_BYTES);
  const decompressor = opts.decompressor ?? 'auto';
  if (!['auto', 'node-zlib', 'decompression-stream'].includes(decompressor)) {
    throw new Error(`${fn}: options.decompressor must be one of "auto", "node-zlib", "decompression-stream", got ${JSON.stringify(decompressor)}`);
  }
  const entries = readZipDirectory(fn, bytes);
  let total = 0;
  for (const e of entries) {
    const what = `entry ${JSON.stringify(e.name)}`;
    if (!e.name.endsWith('.npy')) ioFail(fn, `${what} is not a .npy array (an .npz holds only NAME.npy entries)`);
    if (e.size > maxEntry) ioFail(fn, `${what} declares ${e.size} uncompressed bytes, more than the ${maxEntry}-byte limit (options.max_entry_bytes)`);
    total += e.size;
  }
  if (total > maxTotal) ioFail(fn, `the entries declare ${total} uncompressed bytes in total, more than the ${maxTotal}-byte limit (options.max_total_bytes)`);

  const out: Record<string, Tensor> = {};
  for (const e of entries) {
    const what = `entry ${JSON.stringify(e.name)}`;
    const efn = `${fn}: ${what}`;
    const checkHead = (head: Uint8Array): void => {
      const h = readNpyHeader(efn, head, false);
      if (h !== null && h.totalBytes !== e.size) {
        const shape = `(${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''})`;
        ioFail(fn, `${what}: its .npy header declares shape ${shape} of '${h.descr}', ${h.totalBytes} bytes in all, but the ZIP directory declares ${e.size} bytes`);
      }
    };
    const comp = bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) {
      checkHead(comp);
      data = comp;
    } else {
      data = await inflateRaw(fn, what, comp, e.size, checkHead, decompressor);
    }
    const crc = crc32(data);
    if (crc !== e.crc) ioFail(fn, `${what}: CRC-32 ${crc.toString(16).padStart(8, '0')} does not match the directory's ${e.crc.toString(16).padStart(8, '0')} (corrupt data)`);
    setOwn(out, e.name.slice(0, -4), parseNpyImpl(efn, data));
  }
  return out;
}

/** Parses .npz bytes (np.savez or np.savez_compressed) into tensors named by their entry names without ".npy". */
export function parse_npz(bytes: Uint8Array | ArrayBuffer, options?: NpzOptions): Promise<Record<string, Tensor>> {
  return Promise.resolve().then(() => parseNpzImpl('parse_npz', asBytes('parse_npz', 'bytes', bytes), options));
}

/** Reads a .npz file (a path, read with node:fs, or its bytes). */
export async function load_npz(source: string | Uint8Array | ArrayBuffer, options?: NpzOptions): Promise<Record<string, Tensor>> {
  const fn = typeof source === 'string' ? `load_npz(${JSON.stringify(source)})` : 'load_npz';
  return parseNpzImpl(fn, await readSource('load_npz', source), options);
}

/**
 * Serialises tensors as an .npz of stored (uncompressed) NAME.npy entries, byte-identical to np.savez of the same
 * arrays (fixed 1980-01-01 timestamps, ZIP64 size fields in the local headers as numpy forces).
 */
export function save_npz(tensors: Record<string, Tensor>): Uint8Array {
  const fn = 'save_npz';
  const items = plainEntries(fn, 'tensors', tensors, 'an object mapping names to Tensors').map(([name, t]) => {
    if (name === '') ioFail(fn, 'tensors: an array name must not be empty');
    const rawName = utf8(`${name}.npy`);
    if (rawName.length > 0xffff) ioFail(fn, `tensors: the name ${JSON.stringify(name.slice(0, 40))}… is too long for a ZIP entry`);
    return { rawName, ascii: /^[\x00-\x7f]*$/.test(name), data: npyBytes(checkTensorArg(fn, `tensors[${JSON.stringify(name)}]`, t)) };
  });
  if (items.length >= 0xffff) ioFail(fn, `${items.length} arrays need ZIP64, which save_npz does not write`);
  let localTotal = 0;
  let cdTotal = 0;
  for (const it of items) {
    localTotal += 30 + it.rawName.length + 20 + it.data.length;
    cdTotal += 46 + it.rawName.length;
  }
  if (localTotal + cdTotal > 0xfffffffe) ioFail(fn, `the archive would be ${localTotal + cdTotal} bytes; more than 4 GiB needs ZIP64, which save_npz does not write`);
  const out = new Uint8Array(localTotal + cdTotal + 22);
  const view = new DataView(out.buffer);
  let p = 0;
  const offsets: number[] = [];
  const crcs: number[] = [];
  for (const it of items) {
    const crc = crc32(it.data);
    crcs.push(crc);
    offsets.push(p);
    const n = it.data.length;
    view.setUint32(p, SIG_LOCAL, true);
    view.setUint16(p + 4, 20, true); // version needed
    view.setUint16(p + 6, it.ascii ? 0 : 0x800, true);
    view.setUint16(p + 8, 0, true); // stored
    view.setUint16(p + 10, 0, true); // 00:00:00
    view.setUint16(p + 12, 0x21, true); // 1980-01-01
    view.setUint32(p + 14, crc, true);
    view.setUint32(p + 18, n, true);
    view.setUint32(p + 22, n, true);
    view.setUint16(p + 26, it.rawName.length, true);
    view.setUint16(p + 28, 20, true);
    out.set(it.rawName, p + 30);
    p += 30 + it.rawName.length;
    view.setUint16(p, 0x0001, true); // ZIP64 extra: uncompressed, compressed size
    view.setUint16(p + 2, 16, true);
    view.setUint32(p + 4, n, true);
    view.setUint32(p + 12, n, true);
    p += 20;
    out.set(it.data, p);
    p += n;
  }
  const cdOffset = p;
  items.forEach((it, k) => {
    const n = it.data.length;
    view.setUint32(p, SIG_CENTRAL, true);
    view.setUint16(p + 4, 0x0314, true); // made by: Unix, 2.0
    view.setUint16(p + 6, 20, true);
    view.setUint16(p + 8, it.ascii ? 0 : 0x800, true);
    view.setUint16(p + 10, 0, true);
    view.setUint16(p + 12, 0, true);
    view.setUint16(p + 14, 0x21, true);
    view.setUint32(p + 16, crcs[k], true);
    view.setUint32(p + 20, n, true);
    view.setUint32(p + 24, n, true);
    view.setUint16(p + 28, it.rawName.length, true);
    view.setUint32(p + 38, 0o600 << 16, true); // -rw-------
    view.setUint32(p + 42, offsets[k], true);
    out.set(it.rawName, p + 46);
    p += 46 + it.rawName.length;
  });
  view.setUint32(p, SIG_END, true);
  view.setUint16(p + 8, items.length, true);
  view.setUint16(p + 10, items.length, true);
  view.setUint32(p + 12, p - cdOffset, true);
  view.setUint32(p + 16, cdOffset, true);
  return out;
}

/** save_npz, written to a file (node:fs). */
export async function write_npz(path: string, tensors: Record<string, Tensor>): Promise<void> {
  await writeBytes('write_npz', path, save_npz(tensors));
}
