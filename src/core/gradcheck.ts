/**
 * torch.autograd.gradcheck: compares the analytical Jacobian (from backward) with central finite differences.
 * Use float64 inputs, as in PyTorch; exported so users can check their own autograd.Functions.
 */
import { no_grad, runBackward } from './autograd';
import { checkOptions, fail } from './errors';
import { Tensor } from './tensor';
import { accumulateGrad } from './ops/elementwise';

export interface GradcheckOptions { eps?: number; atol?: number; rtol?: number; raise_exception?: boolean }

function outputsOf(fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[]): Tensor[] {
  const r = fn(...inputs);
  return Array.isArray(r) ? r : [r];
}

/** Storage position of element k in a tensor's logical (row-major) order. */
function storageIndex(t: Tensor, k: number): number {
  let off = t.offset;
  for (let d = t.ndim - 1; d >= 0; d--) {
    const i = k % t.shape[d];
    k = (k - i) / t.shape[d];
    off += i * t._stride[d];
  }
  return off;
}

const at = (t: Tensor, k: number): number => t.buffer[storageIndex(t, k)];

export function gradcheck(fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor | Tensor[], options?: GradcheckOptions): boolean {
  const o = checkOptions('torch.autograd.gradcheck', options, ['eps', 'atol', 'rtol', 'raise_exception']);
  const eps = o.eps ?? 1e-6, atol = o.atol ?? 1e-5, rtol = o.rtol ?? 1e-3;
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  ins.forEach((x, i) => { if (!(x instanceof Tensor)) fail('torch.autograd.gradcheck', `inputs[${i}]`, 'a Tensor', x); });
  const diff = ins.filter((x) => x.requires_grad);
  if (diff.length === 0) throw new Error('torch.autograd.gradcheck: at least one input tensor must require grad');
  for (const x of diff) if (x.dtype !== 'float64') throw new Error(`torch.autograd.gradcheck: inputs that require grad should be float64 for a meaningful check, got ${x.dtype}`);

  const outs = outputsOf(fn, ins);
  const report = (msg: string): boolean => {
    if (o.raise_exception === false) return false;
    throw new Error(`torch.autograd.gradcheck: ${msg}`);
  };
  for (const [oi, out] of outs.entries()) {
    if (!out.isFloatingPoint()) continue;
    const nOut = out.numel();
    // analytical: one backward per output element
    const analytical = diff.map((x) => new Float64Array(x.numel() * nOut));
    for (let k = 0; k < nOut; k++) {
      const g = Tensor.empty(out.shape, out.dtype);
      g.buffer[k] = 1;
      if (!out.requires_grad) continue;
      const gs = runBackward([out], [g], { retain_graph: true, create_graph: false, inputs: diff, allow_unused: true }, accumulateGrad);
      gs.forEach((gi, j) => { if (gi) for (let e = 0; e < diff[j].numel(); e++) analytical[j][e * nOut + k] = at(gi, e); });
    }
    // numerical: central differences, perturbing the input storage in place
    for (const [j, x] of diff.entries()) {
      for (let e = 0; e < x.numel(); e++) {
        const si = storageIndex(x, e);
        const orig = x.buffer[si];
        // read the outputs before restoring the input: a view output (reshape, select, …) shares the input's storage
        const evalAt = (v: number): Float64Array => {
          x.buffer[si] = v;
          const r = no_grad(() => outputsOf(fn, ins)[oi]);
          const vals = new Float64Array(nOut);
          for (let k = 0; k < nOut; k++) vals[k] = at(r, k);
          x.buffer[si] = orig;
          return vals;
        };
        const plus = evalAt(orig + eps), minus = evalAt(orig - eps);
        for (let k = 0; k < nOut; k++) {
          const num = (plus[k] - minus[k]) / (2 * eps);
          const ana = analytical[j][e * nOut + k];
          if (!(Math.abs(num - ana) <= atol + rtol * Math.abs(num))) {
            return report(`Jacobian mismatch for output ${oi} with respect to input ${ins.indexOf(x)}, element ${e} of the input and ${k} of the output: numerical ${num}, analytical ${ana} (atol ${atol}, rtol ${rtol})`);
          }
        }
      }
    }
  }
  return true;
}
