/**
 * spikeport/io: weight import/export.
 *
 * - safetensors: `load_safetensors(pathOrBytes)`, `parse_safetensors(bytes)` → {tensors, metadata},
 *   `save_safetensors(tensors, metadata?)` → bytes, `write_safetensors(path, tensors, metadata?)`.
 * - numpy: `load_npy` / `parse_npy` / `save_npy` / `write_npy`, `load_npz` / `parse_npz` / `save_npz` / `write_npz`.
 *
 * Paths are read with node:fs (imported lazily); in a browser pass the bytes (e.g. from `fetch(url).then(r => r.arrayBuffer())`).
 * 64-bit integers load as int32 (spikeport's integer dtype) with a range check; float16/bfloat16 load as float32.
 * Loaded float32/float64/int32/bool tensors may be zero-copy views of the input bytes (share memory with them).
 * Python side: compat/export_state_dict.py writes a PyTorch state_dict as safetensors with only torch + numpy.
 */
export {
  load_safetensors, load_safetensors_with_metadata, parse_safetensors, save_safetensors, write_safetensors,
  SAFETENSORS_MAX_HEADER_BYTES, SAFETENSORS_MAX_HEADER_DEPTH, type SafetensorsFile,
} from './safetensors';
export { load_npy, parse_npy, save_npy, write_npy, NPY_MAX_HEADER_BYTES } from './npy';
export {
  load_npz, parse_npz, save_npz, write_npz, NPZ_MAX_ENTRY_BYTES, NPZ_MAX_TOTAL_BYTES, type NpzOptions,
} from './npz';
