/**
 * Shared argument checks and helpers of spikingjelly.clock_driven.layer (not a spikingjelly module); layer.ts and its
 * private _layer_*.ts modules import them.
 */
import { torch, nn } from '../../index';
import { fail } from '../../torch/utils/checks';

export type Tensor = torch.Tensor;
export type Value = Tensor | number;

export const isT = (v: unknown): v is Tensor => v instanceof torch.Tensor;
export const pyBool = (b: boolean): string => (b ? 'True' : 'False');
export const torchSize = (s: readonly number[]): string => `torch.Size([${s.join(', ')}])`;

export function num(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, arg, 'a number', v);
  return v;
}

export function posInt(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(fn, arg, 'a positive integer', v);
  return v;
}

export function bool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(fn, arg, 'a boolean', v);
  return v;
}

export function tensorArg(fn: string, arg: string, v: unknown): Tensor {
  if (!isT(v)) fail(fn, arg, 'a Tensor', v);
  return v;
}

export function moduleArg(fn: string, arg: string, v: unknown): nn.Module {
  if (!(v instanceof nn.Module)) fail(fn, arg, 'an nn.Module', v);
  return v;
}

/** A callable layer argument: a Module (called with .call, as Python's module(x)) or a plain function. */
export type Callable1 = nn.Module | ((x: Tensor) => Tensor);

export function callableArg(fn: string, arg: string, v: unknown): Callable1 {
  if (!(v instanceof nn.Module) && typeof v !== 'function') fail(fn, arg, 'an nn.Module or a function', v);
  return v as Callable1;
}

export function call1(f: Callable1, x: Tensor): Tensor {
  return f instanceof nn.Module ? (f.call(x) as Tensor) : f(x);
}
