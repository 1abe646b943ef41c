/** torch's global random state: manual_seed and friends drive the default CPU generator (PyTorch's Mersenne Twister). */
import { default_generator, Generator } from '../core/random/generator';

export { Generator, default_generator };

/** torch.manual_seed(seed): seeds the default generator; returns it, as PyTorch does. */
export function manual_seed(seed: number | bigint): Generator {
  return default_generator.manual_seed(seed);
}

export const seed = (): bigint => default_generator.seed();
export const initial_seed = (): bigint => default_generator.initial_seed();
export const get_rng_state = (): Uint8Array => default_generator.get_state();
export const set_rng_state = (state: Uint8Array): void => { default_generator.set_state(state); };
