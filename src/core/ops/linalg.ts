/** Matrix products: matmul (1-D, 2-D, batched with broadcasting), mm, bmm, mv, dot, outer — all over the packed gemm kernel. */
import { fail } from '../errors';
import { gemmStridedBatched } from '../kernels/gemm';
import { defineOp, op1 } from '../registry';
import { broadcastShapes, fmt, numel } from '../shape';
import { Tensor } from '../tensor';
import { cast, checkTensor, mul } from './elementwise';
import { sum } from './reduce';
import { expand, reshape, squeeze, transpose, unsqueeze } from './view';

type F = Float32Array | Float64Array;

/** How a 2-D matrix view reads for gemm: row-major with a leading dim, or transposed; null needs a contiguous copy. */
function gemmLayout(s0: number, s1: number, rows: number, cols: number): { trans: boolean; ld: number } | null {
  if (s1 === 1 || cols <= 1) {
    const ld = rows <= 1 ? Math.max(cols, 1) : s0;
    if (ld >= Math.max(cols, 1)) return { trans: false, ld };
  }
  if (s0 === 1 || rows <= 1) {
    const ld = cols <= 1 ? Math.max(rows, 1) : s1;
    if (ld >= Math.max(rows, 1)) return { trans: true, ld };
  }
  return null;
}

/** out[b] = a[b] @ c[b] for 3-D a (B, n, k), c (B, k, m); writes a fresh contiguous (B, n, m) tensor. */
function batchedProduct(a: Tensor, c: Tensor): Tensor {
  const [B, n, k] = a.shape, m = c.shape[2];
  const out = Tensor.empty([B, n, m], a.dtype);
  if (B === 0 || n === 0 || m === 0 || k === 0) return out; // empty, or an empty inner dim: zeros (as torch)
  let la = gemmLayout(a._stride[1], a._stride[2], n, k);
  let lc = gemmLayout(c._stride[1], c._stride[2], k, m);
  if (!la) { a = a.contiguous(); la = gemmLayout(a._stride[1], a._stride[2], n, k)!; }
  if (!lc) { c = c.contiguous(); lc = gemmLayout(c._stride[1], c._stride[2], k, m)!; }
  gemmStridedBatched(la.trans, lc.trans, B, n, m, k, 1, a.buffer as F, a.offset, la.ld, a._stride[0],
    c.buffer as F, c.offset, lc.ld, c._stride[0], 0, out.buffer as F, 0, m, n * m);
  return out;
}

const bmmOp = defineOp<Record<string, never>>({
  name: 'bmm',
  forward: ([a, c]) => batchedProduct(a, c),
  backward([g], node) {
    return [
      node.next[0] ? bmm(g!, transpose(node.input(1), 1, 2)) : null,
      node.next[1] ? bmm(transpose(node.input(0), 1, 2), g!) : null,
    ];
  },
});

function checkFloatPair(fn: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  checkTensor(fn, 'input', a);
  checkTensor(fn, 'mat2', b);
  if (a.dtype !== b.dtype) throw new Error(`${fn}: expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}`);
  if (a.dtype === 'bool') fail(fn, 'input', 'a numeric tensor', a);
  return [a, b];
}

/** Integer products run through float64 (exact below 2^53) and come back as int32. */
function viaFloat(a: Tensor, b: Tensor, f: (x: Tensor, y: Tensor) => Tensor): Tensor {
  return a.dtype === 'int32' ? cast(f(cast(a, 'float64'), cast(b, 'float64')), 'int32') : f(a, b);
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  checkFloatPair('torch.bmm', a, b);
  if (a.ndim !== 3 || b.ndim !== 3) throw new Error(`torch.bmm: expected 3-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) throw new Error(`torch.bmm: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (batch sizes and inner dims must match)`);
  return viaFloat(a, b, (x, y) => op1(bmmOp, [x, y], {}));
}

export function mm(a: Tensor, b: Tensor): Tensor {
  checkFloatPair('torch.mm', a, b);
  if (a.ndim !== 2 || b.ndim !== 2) throw new Error(`torch.mm: expected 2-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (a.shape[1] !== b.shape[0]) throw new Error(`torch.mm: mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  return squeeze(bmm(unsqueeze(a, 0), unsqueeze(b, 0)), 0);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  checkFloatPair('torch.matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0) throw new Error(`torch.matmul: both arguments need at least 1 dimension, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
  const [n, k] = a.shape.slice(-2), [k2, m] = b.shape.slice(-2);
  if (k !== k2) throw new Error(`torch.matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${n}x${k} and ${k2}x${m})`);
  const batch = broadcastShapes('torch.matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const B = numel(batch);
  // a 2-D right operand under a batched left one folds the batch into rows: one big gemm, no copy
  if (b.ndim === 2 && a.is_contiguous()) return reshape(mm(reshape(a, [B * n, k]), b), [...batch, n, m]);
  const a3 = reshape(expand(a, [...batch, n, k]), [B, n, k]);
  const b3 = reshape(expand(b, [...batch, k, m]), [B, k, m]);
  return reshape(bmm(a3, b3), [...batch, n, m]);
}

export function mv(a: Tensor, v: Tensor): Tensor {
  checkFloatPair('torch.mv', a, v);
  if (a.ndim !== 2 || v.ndim !== 1) throw new Error(`torch.mv: expected a 2-D matrix and a 1-D vector, got shapes ${fmt(a.shape)} and ${fmt(v.shape)}`);
  if (a.shape[1] !== v.shape[0]) throw new Error(`torch.mv: size mismatch, got matrix ${fmt(a.shape)} and vector ${fmt(v.shape)}`);
  return squeeze(mm(a, unsqueeze(v, 1)), 1);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  checkFloatPair('torch.dot', a, b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`torch.dot: expected 1-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new Error(`torch.dot: inconsistent tensor size, expected tensors of the same size, got ${a.shape[0]} and ${b.shape[0]}`);
  return sum(mul(a, b));
}

export function outer(a: Tensor, b: Tensor): Tensor {
  checkFloatPair('torch.outer', a, b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`torch.outer: expected 1-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  return mul(unsqueeze(a, 1), unsqueeze(b, 0));
}
