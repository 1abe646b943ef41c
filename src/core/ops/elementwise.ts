/** Elementwise ops with NumPy/PyTorch broadcasting: unary math, binary arithmetic, comparisons, logic, where, clamp, cast. */
import { type DType, castScalar, isFloating, promote, promoteScalar } from '../dtype';
import { checkOptions, fail } from '../errors';
import { iter1, iter2, iter3, type Row1, type Row2, type Row3 } from '../iter';
import { defineOp, op1, type OpDef } from '../registry';
import { broadcastShapes, broadcastStrides, contiguousStrides, fmt, sameShape } from '../shape';
import { erf as erfScalar, erfc as erfcScalar } from '../special';
import { Tensor, type Operand } from '../tensor';
import { sum } from './reduce';
import { reshape } from './view';

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

type A = any;

// ---- operand handling -----------------------------------------------------------------------------------------------

export function scalarTensor(v: number, dtype: DType): Tensor {
  const t = Tensor.empty([], dtype);
  t.buffer[0] = dtype === 'bool' ? (v ? 1 : 0) : v;
  return t;
}

export function checkTensor(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) fail(fn, arg, 'a Tensor', x);
  return x;
}

/** Turns (Tensor | number | boolean) operands into tensors, numbers taking the dtype PyTorch's promotion gives them. */
function operands(fn: string, a: Operand, b: Operand): [Tensor, Tensor] {
  const ta = a instanceof Tensor, tb = b instanceof Tensor;
  if (ta && tb) return [a, b];
  if (ta) return [a, scalarTensor(scalarValue(fn, 'other', b), promoteScalar(a.dtype, b as number))];
  if (tb) return [scalarTensor(scalarValue(fn, 'input', a), promoteScalar(b.dtype, a as number)), b];
  fail(fn, 'input', 'a Tensor (at least one operand)', a);
}

function scalarValue(fn: string, arg: string, x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  fail(fn, arg, 'a Tensor or a number', x);
}

/** Sums a broadcast gradient back to an input's shape: the one place broadcasting is undone. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length ? sum(g, dims, { keepdim: true }) : g;
  return sameShape(s.shape, shape) ? s : reshape(s, shape.slice());
}

/** A gradient in its input's dtype (float32 + float64 computes in float64; the float32 input gets a float32 gradient, as in torch). */
export function gradAs(g: Tensor, dtype: DType): Tensor {
  return g.dtype === dtype || !isFloating(dtype) ? g : cast(g, dtype);
}

/** The name errors use: the torch function a kernel serves (div_trunc is torch.div, pow_scalar is torch.pow). */
const publicName = (op: string): string => `torch.${op.replace(/_(scalar|trunc|floor)$/, '')}`;

// ---- unary ----------------------------------------------------------------------------------------------------------

type UnaryGrad = (g: Tensor, x: () => Tensor, y: () => Tensor, attrs: { p0: number; p1: number }) => Tensor;

/** floatOut: int/bool inputs give float32 (exp of an int tensor is float); otherwise the dtype is kept. */
function unary(name: string, row: Row1<A>, grad: UnaryGrad | null, floatOut: boolean): (x: Tensor, p0?: number, p1?: number) => Tensor {
  const def: OpDef<{ p0: number; p1: number }> = defineOp({
    name,
    savesOutputs: true,
    forward([x], { p0, p1 }) {
      const dt: DType = floatOut && !isFloating(x.dtype) ? 'float32' : x.dtype;
      const out = Tensor.empty(x.shape, dt);
      if (x.is_contiguous()) row(out.buffer, 0, 1, x.buffer, x.offset, 1, out.buffer.length, p0, p1);
      else iter1(x.shape, out.buffer, contiguousStrides(x.shape), 0, x.buffer, x._stride.slice(), x.offset, row, p0, p1);
      return out;
    },
    backward: grad ? ([g], node) => [grad(g!, () => node.input(0), () => node.output(0), node.attrs)] : undefined,
  });
  const fn = publicName(name);
  return (x: Tensor, p0 = 0, p1 = 0) => op1(def, [checkTensor(fn, 'input', x)], { p0, p1 });
}

const zerosGrad: UnaryGrad = (g) => zerosLike(g);

export const neg = unary('neg', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = -a[ao + i * as]; }, (g) => neg(g), false);
export const abs = unary('abs', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.abs(a[ao + i * as]); }, (g, x) => mul(g, sign(x())), false);
export const sign = unary('sign', (o, oo, os, a, ao, as, n) => {
  for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v > 0 ? 1 : v < 0 ? -1 : 0; } // sign(±0) = +0 and sign(NaN) = 0, as in torch
}, zerosGrad, false);
export const exp = unary('exp', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.exp(a[ao + i * as]); }, (g, _x, y) => mul(g, y()), true);
export const expm1 = unary('expm1', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.expm1(a[ao + i * as]); }, (g, _x, y) => mul(g, add(y(), 1)), true);
export const log = unary('log', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.log(a[ao + i * as]); }, (g, x) => div(g, x()), true);
export const log1p = unary('log1p', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.log1p(a[ao + i * as]); }, (g, x) => div(g, add(x(), 1)), true);
export const log2 = unary('log2', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.log2(a[ao + i * as]); }, (g, x) => div(g, mul(x(), math.LN2)), true);
export const log10 = unary('log10', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.log10(a[ao + i * as]); }, (g, x) => div(g, mul(x(), math.LN10)), true);
export const sqrt = unary('sqrt', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.sqrt(a[ao + i * as]); }, (g, _x, y) => div(g, mul(y(), 2)), true);
export const rsqrt = unary('rsqrt', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = 1 / math.sqrt(a[ao + i * as]); }, (g, _x, y) => mul(g, mul(pow(y(), 3), -0.5)), true);
export const square = unary('square', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v * v; } }, (g, x) => mul(g, mul(x(), 2)), false);
export const reciprocal = unary('reciprocal', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = 1 / a[ao + i * as]; }, (g, _x, y) => neg(mul(g, square(y()))), true);
export const sin = unary('sin', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.sin(a[ao + i * as]); }, (g, x) => mul(g, cos(x())), true);
export const cos = unary('cos', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.cos(a[ao + i * as]); }, (g, x) => neg(mul(g, sin(x()))), true);
export const tan = unary('tan', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.tan(a[ao + i * as]); }, (g, _x, y) => mul(g, add(square(y()), 1)), true);
export const tanh = unary('tanh', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.tanh(a[ao + i * as]); }, (g, _x, y) => mul(g, sub(1, square(y()))), true);
export const atan = unary('atan', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.atan(a[ao + i * as]); }, (g, x) => div(g, add(square(x()), 1)), true);
export const erf = unary('erf', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = erfScalar(a[ao + i * as]); }, (g, x) => mul(g, mul(exp(neg(square(x()))), 2 / math.sqrt(math.PI))), true);
export const erfc = unary('erfc', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = erfcScalar(a[ao + i * as]); }, (g, x) => mul(g, mul(exp(neg(square(x()))), -2 / math.sqrt(math.PI))), true);
/** float32 rounds after each step, as torch's CPU kernel computes 1 / (1 + expf(-x)) (matches torch bit for bit far more often). */
export const sigmoid = unary('sigmoid', (o, oo, os, a, ao, as, n) => {
  if (o instanceof Float32Array) for (let i = 0; i < n; i++) o[oo + i * os] = 1 / math.fround(1 + math.fround(math.exp(-a[ao + i * as])));
  else for (let i = 0; i < n; i++) o[oo + i * os] = 1 / (1 + math.exp(-a[ao + i * as]));
}, (g, _x, y) => { const s = y(); return mul(g, mul(s, sub(1, s))); }, true);
// v < 0 ? 0 : v keeps NaN and -0 (torch's clamp_min(x, 0) gives relu(-0) = -0)
export const relu = unary('relu', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v < 0 ? 0 : v; } }, (g, _x, y) => mul(g, gt(y(), 0)), false);
const leakyRelu = unary('leaky_relu', (o, oo, os, a, ao, as, n, slope) => { for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v > 0 ? v : v * slope; } },
  (g, x, _y, { p0 }) => where(gt(x(), 0), g, mul(g, p0)), false);
export const leaky_relu = (x: Tensor, negative_slope = 0.01): Tensor => leakyRelu(x, negative_slope);
export const floor = unary('floor', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.floor(a[ao + i * as]); }, zerosGrad, false);
export const ceil = unary('ceil', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.ceil(a[ao + i * as]); }, zerosGrad, false);
export const trunc = unary('trunc', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.trunc(a[ao + i * as]); }, zerosGrad, false);
/** Round half to even, as torch.round does (math.round rounds half up). */
export const round = unary('round', (o, oo, os, a, ao, as, n) => {
  for (let i = 0; i < n; i++) { const v = a[ao + i * as]; const r = math.round(v); o[oo + i * os] = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r; }
}, zerosGrad, false);
const powScalar = unary('pow_scalar', (o, oo, os, a, ao, as, n, e) => {
  if (e === 2) for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v * v; }
  else for (let i = 0; i < n; i++) o[oo + i * os] = cpow(a[ao + i * as], e);
}, (g, x, _y, { p0 }) => (p0 === 0 ? zerosLike(g) : mul(g, mul(powScalar(x(), p0 - 1), p0))), false);
const clampScalar = unary('clamp_scalar', (o, oo, os, a, ao, as, n, lo, hi) => {
  for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v < lo ? lo : v > hi ? hi : v; } // NaN passes through, as in torch
}, (g, x, _y, { p0, p1 }) => mul(g, logical_and(ge(x(), p0), le(x(), p1))), false);

const castOp = defineOp<{ dtype: DType }>({
  name: 'cast',
  forward([x], { dtype }) {
    const out = Tensor.empty(x.shape, dtype);
    const row: Row1<A> = dtype === 'bool'
      ? (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] !== 0 ? 1 : 0; } // NaN is true
      : (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as]; };
    iter1(x.shape, out.buffer, contiguousStrides(x.shape), 0, x.buffer, x._stride.slice(), x.offset, row);
    return out;
  },
  backward: ([g], node) => [isFloating(node.attrs.dtype) ? cast(g!, node.inputDtypes[0]) : null],
});

/** x.to(dtype): a copy in another dtype (the same tensor if the dtype already matches). */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('Tensor.to', 'input', x);
  if (x.dtype === dtype) return x;
  return op1(castOp, [x], { dtype });
}

// ---- binary ---------------------------------------------------------------------------------------------------------

type BinaryGrad = (g: Tensor, a: () => Tensor, b: () => Tensor, y: () => Tensor, needA: boolean, needB: boolean, attrs: { alpha: number }) => [Tensor | null, Tensor | null];

function binaryForward(name: string, a: Tensor, b: Tensor, dtype: DType, row: Row2<A>): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = Tensor.empty(shape, dtype);
  if (sameShape(a.shape, b.shape) && a.is_contiguous() && b.is_contiguous()) {
    row(out.buffer, 0, 1, a.buffer, a.offset, 1, b.buffer, b.offset, 1, out.buffer.length);
  } else {
    iter2(shape, out.buffer, contiguousStrides(shape), 0, a.buffer, broadcastStrides(a.shape, a._stride, shape), a.offset,
      b.buffer, broadcastStrides(b.shape, b._stride, shape), b.offset, row);
  }
  return out;
}

/** outDtype: 'promote' (PyTorch promotion), 'float' (promotion then at least float32), 'bool' (comparisons). */
function binary(name: string, row: Row2<A>, grad: BinaryGrad | null, outDtype: 'promote' | 'float' | 'bool') {
  const fn = publicName(name);
  const def = defineOp<{ alpha: number }>({
    name,
    savesOutputs: true,
    forward([a, b]) {
      let dt = promote(a.dtype, b.dtype);
      if (outDtype === 'bool') dt = 'bool';
      else if (outDtype === 'float' && !isFloating(dt)) dt = 'float32';
      const out = binaryForward(fn, a, b, dt, row);
      if (dt === 'bool' && outDtype === 'promote') { // bool arithmetic stays 0/1: add is or, mul is and (as in torch)
        const o = out.buffer;
        for (let i = 0; i < o.length; i++) o[i] = o[i] !== 0 ? 1 : 0;
      }
      return out;
    },
    backward: grad
      ? ([g], node) => {
        const [ga, gb] = grad(g!, () => node.input(0), () => node.input(1), () => node.output(0), node.next[0] !== null, node.next[1] !== null, node.attrs);
        return [ga && gradAs(sumToShape(ga, node.inputShapes[0]), node.inputDtypes[0]), gb && gradAs(sumToShape(gb, node.inputShapes[1]), node.inputDtypes[1])];
      }
      : undefined,
  });
  return (a: Operand, b: Operand, alpha = 1): Tensor => op1(def, operands(fn, a, b), { alpha });
}

const addOp = binary('add', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] + b[bo + i * bs]; },
  (g, _a, _b, _y, na, nb) => [na ? g : null, nb ? g : null], 'promote');
const subOp = binary('sub', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] - b[bo + i * bs]; },
  (g, _a, _b, _y, na, nb) => [na ? g : null, nb ? neg(g) : null], 'promote');
const mulOp = binary('mul', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] * b[bo + i * bs]; },
  (g, a, b, _y, na, nb) => [na ? mul(g, b()) : null, nb ? mul(g, a()) : null], 'promote');
const divOp = binary('div', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] / b[bo + i * bs]; },
  (g, a, b, _y, na, nb) => [na ? div(g, b()) : null, nb ? neg(div(mul(g, a()), square(b()))) : null], 'float');
const divTruncOp = binary('div_trunc', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.trunc(a[ao + i * as] / b[bo + i * bs]); },
  (g, _a, _b, _y, na, nb) => [na ? zerosLike(g) : null, nb ? zerosLike(g) : null], 'promote');
const divFloorOp = binary('div_floor', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.floor(a[ao + i * as] / b[bo + i * bs]); },
  (g, _a, _b, _y, na, nb) => [na ? zerosLike(g) : null, nb ? zerosLike(g) : null], 'promote');
/** Python-style modulo: the result takes the sign of the divisor. */
const remainderOp = binary('remainder', (o, oo, os, a, ao, as, b, bo, bs, n) => {
  for (let i = 0; i < n; i++) { const x = a[ao + i * as], y = b[bo + i * bs]; const r = x % y; o[oo + i * os] = r !== 0 && (r < 0) !== (y < 0) ? r + y : r; }
}, (g, a, b, _y, na, nb) => [na ? g : null, nb ? neg(mul(g, floor(div(a(), b())))) : null], 'promote');
const fmodOp = binary('fmod', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] % b[bo + i * bs]; },
  (g, a, b, _y, na, nb) => [na ? g : null, nb ? neg(mul(g, trunc(div(a(), b())))) : null], 'promote');
/** C's pow (what torch computes): unlike math.pow, pow(1, y) = 1 for any y (NaN too) and pow(-1, ±inf) = 1. */
function cpow(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return math.pow(x, y);
}
const powOp = binary('pow', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = cpow(a[ao + i * as], b[bo + i * bs]); },
  (g, a, b, y, na, nb) => [
    // b·a^(b-1), taken as 0 where b == 0 (torch's masking: no 0·inf at a == 0)
    na ? where(eq(b(), 0), 0, mul(g, mul(b(), pow(a(), sub(b(), 1))))) : null,
    // d/db a^b = a^b log a, taken as 0 where a == 0 and b >= 0 (torch's masking)
    nb ? mul(g, where(logical_and(eq(a(), 0), ge(b(), 0)), 0, mul(y(), log(a())))) : null,
  ], 'promote');
const maximumOp = binary('maximum', (o, oo, os, a, ao, as, b, bo, bs, n) => {
  for (let i = 0; i < n; i++) { const x = a[ao + i * as], y = b[bo + i * bs]; o[oo + i * os] = x !== x || y !== y ? NaN : x > y ? x : y; }
}, (g, a, b, _y, na, nb) => tieSplit(g, a(), b(), na, nb, gt), 'promote');
const minimumOp = binary('minimum', (o, oo, os, a, ao, as, b, bo, bs, n) => {
  for (let i = 0; i < n; i++) { const x = a[ao + i * as], y = b[bo + i * bs]; o[oo + i * os] = x !== x || y !== y ? NaN : x < y ? x : y; }
}, (g, a, b, _y, na, nb) => tieSplit(g, a(), b(), na, nb, lt), 'promote');
const atan2Op = binary('atan2', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = math.atan2(a[ao + i * as], b[bo + i * bs]); },
  (g, a, b, _y, na, nb) => {
    const d = add(square(a()), square(b()));
    return [na ? div(mul(g, b()), d) : null, nb ? neg(div(mul(g, a()), d)) : null];
  }, 'float');

/** maximum/minimum backward: the gradient goes to the winner, split in half on ties (torch 1.13). */
function tieSplit(g: Tensor, a: Tensor, b: Tensor, na: boolean, nb: boolean, wins: (x: Tensor, y: Tensor) => Tensor): [Tensor | null, Tensor | null] {
  const half = mul(g, 0.5);
  const tie = eq(a, b);
  return [na ? where(tie, half, where(wins(a, b), g, 0)) : null, nb ? where(tie, half, where(wins(b, a), g, 0)) : null];
}

const cmp = (name: string, row: Row2<A>) => binary(name, row, null, 'bool');
const gtOp = cmp('gt', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] > b[bo + i * bs] ? 1 : 0; });
const geOp = cmp('ge', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] >= b[bo + i * bs] ? 1 : 0; });
const ltOp = cmp('lt', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] < b[bo + i * bs] ? 1 : 0; });
const leOp = cmp('le', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] <= b[bo + i * bs] ? 1 : 0; });
const eqOp = cmp('eq', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] === b[bo + i * bs] ? 1 : 0; });
const neOp = cmp('ne', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] !== b[bo + i * bs] ? 1 : 0; });
const andOp = cmp('logical_and', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] !== 0 && b[bo + i * bs] !== 0 ? 1 : 0; });
const orOp = cmp('logical_or', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] !== 0 || b[bo + i * bs] !== 0 ? 1 : 0; });
const xorOp = cmp('logical_xor', (o, oo, os, a, ao, as, b, bo, bs, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = (a[ao + i * as] !== 0) !== (b[bo + i * bs] !== 0) ? 1 : 0; });

export function add(a: Operand, b: Operand, options?: { alpha?: number }): Tensor {
  const alpha = checkOptions('torch.add', options, ['alpha']).alpha ?? 1;
  return alpha === 1 ? addOp(a, b) : addOp(a, mulScalarLike(b, alpha));
}
export function sub(a: Operand, b: Operand, options?: { alpha?: number }): Tensor {
  const alpha = checkOptions('torch.sub', options, ['alpha']).alpha ?? 1;
  if (a instanceof Tensor && b instanceof Tensor && a.dtype === 'bool' && b.dtype === 'bool') {
    throw new Error('torch.sub: subtraction with two bool tensors is not supported; use logical_xor or ~ (logical_not) instead');
  }
  return alpha === 1 ? subOp(a, b) : subOp(a, mulScalarLike(b, alpha));
}
function mulScalarLike(b: Operand, alpha: number): Operand {
  return b instanceof Tensor ? mulOp(b, alpha) : scalarValue('torch.add', 'other', b) * alpha;
}
export const mul = (a: Operand, b: Operand): Tensor => mulOp(a, b);
export function div(a: Operand, b: Operand, options?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor {
  const mode = checkOptions('torch.div', options, ['rounding_mode']).rounding_mode ?? null;
  if (mode === null) return divOp(a, b);
  if (mode === 'trunc') return divTruncOp(a, b);
  if (mode === 'floor') return divFloorOp(a, b);
  fail('torch.div', 'rounding_mode', "null, 'trunc' or 'floor'", mode);
}
export const remainder = (a: Operand, b: Operand): Tensor => remainderOp(a, b);
export const fmod = (a: Operand, b: Operand): Tensor => fmodOp(a, b);
export function pow(a: Operand, b: Operand): Tensor {
  if (a instanceof Tensor && typeof b === 'number') return powScalar(promoteScalar(a.dtype, b) !== a.dtype ? cast(a, 'float32') : a, b);
  return powOp(a, b);
}
export const maximum = (a: Tensor, b: Tensor): Tensor => maximumOp(checkTensor('torch.maximum', 'input', a), checkTensor('torch.maximum', 'other', b));
export const minimum = (a: Tensor, b: Tensor): Tensor => minimumOp(checkTensor('torch.minimum', 'input', a), checkTensor('torch.minimum', 'other', b));
export const atan2 = (a: Tensor, b: Tensor): Tensor => atan2Op(checkTensor('torch.atan2', 'input', a), checkTensor('torch.atan2', 'other', b));
export const gt = (a: Operand, b: Operand): Tensor => gtOp(a, b);
export const ge = (a: Operand, b: Operand): Tensor => geOp(a, b);
export const lt = (a: Operand, b: Operand): Tensor => ltOp(a, b);
export const le = (a: Operand, b: Operand): Tensor => leOp(a, b);
export const eq = (a: Operand, b: Operand): Tensor => eqOp(a, b);
export const ne = (a: Operand, b: Operand): Tensor => neOp(a, b);
export const logical_and = (a: Operand, b: Operand): Tensor => andOp(a, b);
export const logical_or = (a: Operand, b: Operand): Tensor => orOp(a, b);
export const logical_xor = (a: Operand, b: Operand): Tensor => xorOp(a, b);

const notOp = unary('logical_not', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] === 0 ? 1 : 0; }, null, false);
const isnanOp = unary('isnan', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v !== v ? 1 : 0; } }, null, false);
const isinfOp = unary('isinf', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) { const v = a[ao + i * as]; o[oo + i * os] = v === Infinity || v === -Infinity ? 1 : 0; } }, null, false);
const isfiniteOp = unary('isfinite', (o, oo, os, a, ao, as, n) => { for (let i = 0; i < n; i++) o[oo + i * os] = Number.isFinite(a[ao + i * as]) ? 1 : 0; }, null, false);
/** Predicates give bool tensors: the unary kernel writes 0/1 into a float buffer, then a cheap cast. */
const predicate = (f: (x: Tensor) => Tensor) => (x: Tensor): Tensor => cast(f(x), 'bool');
export const logical_not = predicate(notOp);
export const isnan = predicate(isnanOp);
export const isinf = predicate(isinfOp);
export const isfinite = predicate(isfiniteOp);

// ---- where, masked_fill, clamp ----------------------------------------------------------------------------------------

const whereRow: Row3<A> = (o, oo, os, c, co, cs, a, ao, as, b, bo, bs, n) => {
  for (let i = 0; i < n; i++) o[oo + i * os] = c[co + i * cs] !== 0 ? a[ao + i * as] : b[bo + i * bs];
};
const whereOp = defineOp<Record<string, never>>({
  name: 'where',
  forward([c, a, b]) {
    const shape = broadcastShapes('torch.where', broadcastShapes('torch.where', c.shape, a.shape), b.shape);
    const out = Tensor.empty(shape, promote(a.dtype, b.dtype));
    iter3(shape, out.buffer, contiguousStrides(shape), 0, c.buffer, broadcastStrides(c.shape, c._stride, shape), c.offset,
      a.buffer, broadcastStrides(a.shape, a._stride, shape), a.offset, b.buffer, broadcastStrides(b.shape, b._stride, shape), b.offset, whereRow);
    return out;
  },
  backward([g], node) {
    const c = node.input(0);
    return [null,
      node.next[1] ? gradAs(sumToShape(where(c, g!, 0), node.inputShapes[1]), node.inputDtypes[1]) : null,
      node.next[2] ? gradAs(sumToShape(where(c, 0, g!), node.inputShapes[2]), node.inputDtypes[2]) : null];
  },
});

export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  checkTensor('torch.where', 'condition', condition);
  if (condition.dtype !== 'bool') fail('torch.where', 'condition', 'a bool tensor', condition);
  const [ta, tb] = operands('torch.where', a, b);
  return op1(whereOp, [condition, ta, tb], {});
}

export function masked_fill(x: Tensor, mask: Tensor, value: Operand): Tensor {
  checkTensor('Tensor.masked_fill', 'input', x);
  checkTensor('Tensor.masked_fill', 'mask', mask);
  if (mask.dtype !== 'bool') fail('Tensor.masked_fill', 'mask', 'a bool tensor', mask);
  if (value instanceof Tensor && value.ndim !== 0) fail('Tensor.masked_fill', 'value', 'a number or a 0-d tensor', value);
  const v = value instanceof Tensor ? (value.dtype === x.dtype ? value : cast(value, x.dtype)) : scalarTensor(castScalar(x.dtype, scalarValue('Tensor.masked_fill', 'value', value)), x.dtype);
  let bad = mask.ndim > x.ndim;
  for (let i = 1; i <= mask.ndim && !bad; i++) if (mask.shape[mask.ndim - i] !== 1 && mask.shape[mask.ndim - i] !== x.shape[x.ndim - i]) bad = true;
  if (bad) throw new Error(`Tensor.masked_fill: mask of shape ${fmt(mask.shape)} does not broadcast to input shape ${fmt(x.shape)}`);
  return where(mask, v, x);
}

export function clamp(x: Tensor, min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
  checkTensor('torch.clamp', 'input', x);
  for (const [arg, v] of [['min', min], ['max', max]] as const) {
    if (v !== undefined && v !== null && typeof v !== 'number' && !(v instanceof Tensor)) fail('torch.clamp', arg, 'a number, a Tensor or null', v);
  }
  const lo = min ?? null, hi = max ?? null;
  if (lo === null && hi === null) throw new Error('torch.clamp: at least one of min or max must not be None');
  if ((lo === null || typeof lo === 'number') && (hi === null || typeof hi === 'number')) {
    if (lo !== null && hi !== null && lo > hi) return fullLike(x, hi); // torch: min > max sets everything to max
    return clampScalar(x, lo ?? -Infinity, hi ?? Infinity);
  }
  let y = x;
  if (lo !== null) y = maximum(y, lo instanceof Tensor ? lo : scalarTensor(lo, x.dtype));
  if (hi !== null) y = minimum(y, hi instanceof Tensor ? hi : scalarTensor(hi, x.dtype));
  return y;
}

// ---- small creators the rules above need (exported through torch.* from creation.ts) ---------------------------------

export function fullLike(x: Tensor, value: number, dtype: DType = x.dtype): Tensor {
  const t = Tensor.empty(x.shape, dtype);
  t.buffer.fill(castScalar(dtype, value));
  return t;
}
export const zerosLike = (x: Tensor, dtype: DType = x.dtype): Tensor => Tensor.empty(x.shape, dtype);
export const onesLike = (x: Tensor, dtype: DType = x.dtype): Tensor => fullLike(x, 1, dtype);

/** How the backward engine adds two gradient contributions. */
export const accumulateGrad = (a: Tensor, b: Tensor): Tensor => addOp(a, b);

// ---- whole-tensor predicates -----------------------------------------------------------------------------------------

export function equal(a: Tensor, b: Tensor): boolean {
  checkTensor('torch.equal', 'input', a);
  checkTensor('torch.equal', 'other', b);
  if (!sameShape(a.shape, b.shape)) return false;
  const e = eq(a, b).buffer;
  for (let i = 0; i < e.length; i++) if (!e[i]) return false;
  return true;
}

export function allclose(a: Tensor, b: Tensor, options?: { rtol?: number; atol?: number; equal_nan?: boolean }): boolean {
  const o = checkOptions('torch.allclose', options, ['rtol', 'atol', 'equal_nan']);
  const rtol = o.rtol ?? 1e-5, atol = o.atol ?? 1e-8, eqNan = o.equal_nan ?? false;
  const shape = broadcastShapes('torch.allclose', a.shape, b.shape);
  const ea = a.expand(shape).contiguous().buffer, eb = b.expand(shape).contiguous().buffer;
  for (let i = 0; i < ea.length; i++) {
    const x = ea[i], y = eb[i];
    if (x !== x || y !== y) { if (!(eqNan && x !== x && y !== y)) return false; continue; }
    if (x === y) continue;
    if (!(math.abs(x - y) <= atol + rtol * math.abs(y))) return false;
  }
  return true;
}
