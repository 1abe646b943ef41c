/**
 * numpy's legacy MT19937 permutation(n) in WebAssembly (mt19937.wat): the state is copied in, the shuffle runs there
 * (the same words, rejections and swaps as src/brainpy/math/numpy_random.ts's JS loop), and the state and the
 * permutation come back. A JS MT19937 word costs ~10 ns here (the twist and tempering in scalar JS); the 16 million
 * draws of bp.conn.FixedProb(0.02) at 4000 × 4000 are its build time. set_snn_backend('js') turns it off.
 */
import { MT19937_WASM_BASE64 } from './mt19937_wasm';
import { kernelModule } from './snn';

const STATE = 0, POS = 2496, ARRAY = 2560; // byte offsets, as mt19937.wat lays its memory out

const mtModule = kernelModule(MT19937_WASM_BASE64);
let _inst: { memory: WebAssembly.Memory; permutation(n: number): void } | null = null;

/**
 * Writes numpy's permutation(out.length) of the generator (mt, pos) into `out` and returns the generator's new
 * position, with mt advanced in place; −1, with nothing done, when WebAssembly is off or unavailable.
 */
export function permutationWasm(mt: Uint32Array, pos: number, out: Int32Array): number {
  const module = mtModule();
  if (module === null) return -1;
  const n = out.length, bytes = ARRAY + 4 * n;
  if (_inst === null || _inst.memory.buffer.byteLength < bytes) {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const x = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as { permutation(n: number): void };
    _inst = { memory, permutation: x.permutation };
  }
  const b = _inst.memory.buffer;
  new Uint32Array(b, STATE, 624).set(mt);
  new Int32Array(b, POS, 1)[0] = pos;
  _inst.permutation(n);
  mt.set(new Uint32Array(b, STATE, 624));
  out.set(new Int32Array(b, ARRAY, n));
  return new Int32Array(b, POS, 1)[0];
}
