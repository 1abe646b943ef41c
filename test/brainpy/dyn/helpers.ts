/**
 * Shared by the projection tests: BrainPy's exprel, the Expon decay factor of one step, reading a Tensor's values, and
 * a 2-neuron pre group whose spikes follow a schedule.
 */
import { bm } from '../../../src/brainpy/index';
import * as torch from '../../../src/torch/index';
import { DynamicalSystem } from '../../../src/brainpy/dynsys';

export const exprel = (z: number): number => (Math.abs(z) <= 1e-5 ? 1 + z / 2 + (z * z) / 6 : (Math.exp(z) - 1) / z);
/** c = 1 − dt·exprel(−dt/τ)/τ ≈ e^(−dt/τ) at dt 0.1. */
export const decay = (tau: number): number => 1 - (0.1 * exprel(-0.1 / tau)) / tau;
export const arr = (t: torch.Tensor): number[] => Array.from(t.contiguous().toTypedArray() as ArrayLike<number>);

/** A pre group whose spikes follow a schedule; update returns its spike Variable (what a delay records). */
export class Src extends DynamicalSystem {
  spike = new bm.Variable(torch.zeros(2).to('bool'));
  varshape = [2];
  override update(s: number[]): torch.Tensor {
    const b = this.spike.buffer as Uint8Array;
    s.forEach((v, k) => { b[this.spike.offset + k] = v; });
    return this.spike;
  }
  override return_info(): torch.Tensor { return this.spike; }
}
