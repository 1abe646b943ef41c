/**
 * brainpy.initialize base classes (brainpy/initialize/base.py): Initializer and the two marker subclasses.
 * Python's `init(shape, dtype=None)` (`__call__`) is `init.call(shape, dtype?)` here (DESIGN §3).
 */
import type * as torch from '../../torch';

/** A weight shape: an int, or a sequence of ints (BrainPy also accepts a sequence holding one tuple). */
export type Shape = number | readonly (number | readonly number[])[];

/** brainpy.initialize.Initializer: `call(shape, dtype?)` returns a new Tensor (float32 unless dtype says otherwise). */
export abstract class Initializer {
  abstract call(shape: Shape, dtype?: torch.DType | null): torch.Tensor;

  toString(): string { return this.constructor.name; }
}

/** Initializers of the weights between two layers. */
export abstract class _InterLayerInitializer extends Initializer {}

/** Initializers of the weights within a layer. */
export abstract class _IntraLayerInitializer extends Initializer {}
