#!/usr/bin/env python3
"""Write a PyTorch state_dict (or any dict of tensors / numpy arrays) as a .safetensors file, with only torch + numpy.

The safetensors format is written directly (no `safetensors` pip package): an 8-byte little-endian header length N,
N bytes of compact JSON  {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}
padded with spaces to a multiple of 8, then the raw little-endian bytes of each tensor. Tensors are laid out by
dtype (the reference writer's order: 8-byte types, then 4-, 2-, 1-byte, so every tensor is aligned) then name,
as the reference writer does; for the same tensors this script, the `safetensors` package and spikeport's
save_safetensors write the same bytes.

Library use (e.g. `sys.path.insert(0, "compat")`):

    from export_state_dict import export_state_dict
    export_state_dict(model, "model.safetensors", metadata={"arch": "my-snn"})   # a Module or a dict of tensors

then in TypeScript: `const sd = await load_safetensors('model.safetensors')`.
Tensors sharing storage (tied weights) are written once per name, as copies. int64 tensors (e.g. BatchNorm's
num_batches_tracked) are kept as I64; spikeport loads them as int32 with a range check.

Command line (run with Debian's /usr/bin/python3, which has torch):

    /usr/bin/python3 compat/export_state_dict.py                      # regenerate fixtures/io/ (deterministic)
    /usr/bin/python3 compat/export_state_dict.py ckpt.pt out.safetensors   # convert a torch.save'd state_dict
                                                                           # (loaded with weights_only=True)
"""
import json
import os
import struct
import sys

import numpy as np

try:
    import torch
except ImportError:  # numpy arrays can still be exported
    torch = None

_NP_CODES = {
    np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("float16"): "F16",
    np.dtype("int64"): "I64", np.dtype("int32"): "I32", np.dtype("int16"): "I16", np.dtype("int8"): "I8",
    np.dtype("uint64"): "U64", np.dtype("uint32"): "U32", np.dtype("uint16"): "U16", np.dtype("uint8"): "U8",
    np.dtype("bool"): "BOOL",
}


def _tensor_bytes(name, value):
    """(dtype code, shape, little-endian C-order bytes) of a torch tensor or numpy array."""
    if torch is not None and isinstance(value, torch.Tensor):
        t = value.detach().cpu().contiguous()
        if t.dtype == torch.bfloat16:  # numpy has no bfloat16: take the raw 16-bit patterns
            a = t.view(torch.int16).numpy()
            return "BF16", list(t.shape), a.astype("<i2", copy=False).tobytes()
        if t.is_quantized or t.is_complex() or t.layout != torch.strided:
            raise TypeError(f"export_state_dict: {name!r}: unsupported tensor {t.dtype} / {t.layout}")
        value = t.numpy()
    a = np.asarray(value)
    code = _NP_CODES.get(a.dtype.newbyteorder("="))
    if code is None:
        raise TypeError(f"export_state_dict: {name!r}: unsupported dtype {a.dtype} (supported: {sorted(_NP_CODES.values())})")
    le = a.dtype.newbyteorder("<")
    return code, list(a.shape), np.ascontiguousarray(a).astype(le, copy=False).tobytes()


def to_safetensors_bytes(tensors, metadata=None):
    """dict name -> torch.Tensor / np.ndarray (+ optional {str: str} metadata) -> bytes of a .safetensors file."""
    if not isinstance(tensors, dict):
        raise TypeError(f"export_state_dict: expected a dict of tensors, got {type(tensors).__name__}")
    items = []
    for name, value in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise ValueError(f"export_state_dict: invalid tensor name {name!r}")
        code, shape, data = _tensor_bytes(name, value)
        items.append((name, code, shape, data, _RANK[code]))
    items.sort(key=lambda it: (-it[4], it[0]))  # as the reference writer: by its Dtype enum (descending), then name
    header = {}
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise TypeError("export_state_dict: metadata must map str to str")
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    pos = 0
    for name, code, shape, data, _ in items:
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [pos, pos + len(data)]}
        pos += len(data)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    return b"".join([struct.pack("<Q", len(h)), h] + [it[3] for it in items])


# Order of the reference implementation's Dtype enum (larger items rank higher, so the layout keeps every tensor aligned).
_RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 3, "U16": 4, "F16": 5, "BF16": 6, "I32": 7, "U32": 8, "F32": 9,
         "F64": 10, "I64": 11, "U64": 12}


def export_state_dict(module_or_dict, path, metadata=None):
    """Write `module.state_dict()` (or a dict of tensors/arrays) to `path` as safetensors. Returns the path."""
    sd = module_or_dict.state_dict() if hasattr(module_or_dict, "state_dict") else module_or_dict
    data = to_safetensors_bytes(dict(sd), metadata)
    with open(path, "wb") as f:
        f.write(data)
    return path


# ---- fixtures/io ------------------------------------------------------------------------------------------------------

def _expected(x, dtype=None):
    """What spikeport should load: float16/bfloat16 -> float32, 64-bit and small ints -> int32 (range-checked)."""
    from tensorjson import encode
    if torch is not None and isinstance(x, torch.Tensor):
        x = x.detach().float() if x.dtype in (torch.float16, torch.bfloat16) else x.detach()
        x = x.numpy()
    a = np.asarray(x)
    if dtype is None:
        if a.dtype == np.bool_:
            dtype = "bool"
        elif a.dtype.kind == "f":
            dtype = "float64" if a.dtype.itemsize == 8 else "float32"
        else:
            assert a.size == 0 or (a.min() >= -2**31 and a.max() < 2**31), "out of int32 range"
            dtype = "int32"
    if dtype == "float32" and a.dtype.kind == "f" and a.dtype.itemsize == 2:
        a = a.astype(np.float32)
    if dtype == "int32":
        a = a.astype(np.int64).astype(np.int32)
    d = encode(a, dtype)
    d["shape"] = list(a.shape)  # tensorjson.encode goes through np.ascontiguousarray, which makes 0-d arrays 1-d
    return d


def write_fixtures(out_dir):
    from tensorjson import dump
    os.makedirs(out_dir, exist_ok=True)
    P = lambda name: os.path.join(out_dir, name)
    expected = {"safetensors": {}, "npy": {}, "npz": {}}

    # A small model's state_dict, after one training-mode forward so the BatchNorm buffers are not trivial.
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
    model.train()
    model(torch.randn(5, 4))
    meta = {"format": "pt", "producer": "compat/export_state_dict.py"}
    export_state_dict(model, P("model.safetensors"), metadata=meta)
    expected["safetensors"]["model.safetensors"] = {
        "metadata": meta, "tensors": {k: _expected(v) for k, v in model.state_dict().items()}}
    # the same model's eval-mode output, so a port that loads model.safetensors can be checked end to end
    model.eval()
    with torch.no_grad():
        x = torch.randn(6, 4)
        expected["model_forward"] = {"input": _expected(x), "output": _expected(model(x))}

    # Every safetensors dtype spikeport reads (numpy arrays for the unsigned types torch 1.13 lacks).
    f32 = np.array([0.0, -0.0, 1.5, np.inf, -np.inf, np.nan, 1e-45, 3.4e38, -1 / 3], dtype=np.float32).reshape(3, 3)
    f16 = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, np.inf, -np.inf, 1 / 3], dtype=np.float16)
    dtypes = {
        "f32": torch.from_numpy(f32),
        "f64": torch.tensor([[1 / 3, -0.0, 1e-310], [2.0**60, -np.inf, 7.25]], dtype=torch.float64),
        "f16": torch.from_numpy(f16),
        "bf16": torch.tensor([0.0, -0.0, 1.0, -2.5, 3.0e38, 1e-40, float("inf"), 1 / 3], dtype=torch.bfloat16),
        "i64": torch.tensor([-2**31, 2**31 - 1, 0, -1, 123456789], dtype=torch.int64),
        "i32": torch.tensor([[-2**31, 2**31 - 1], [0, -7]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767, -1], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, -1, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 1, 254, 255], dtype=torch.uint8),
        "u16": np.array([0, 65535, 1234], dtype=np.uint16),
        "u32": np.array([0, 2**31 - 1, 77], dtype=np.uint32),
        "bool": torch.tensor([[True, False, True], [False, False, True]]),
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 3),
    }
    export_state_dict(dtypes, P("dtypes.safetensors"))
    expected["safetensors"]["dtypes.safetensors"] = {"metadata": {}, "tensors": {k: _expected(v) for k, v in dtypes.items()}}
    # Only the dtypes spikeport writes (F32, F64, I32, BOOL): save_safetensors must reproduce this file byte for byte.
    native = {"w": torch.from_numpy(f32.copy()), "d": dtypes["f64"], "idx": dtypes["i32"], "mask": dtypes["bool"],
              "s": dtypes["scalar"], "e": dtypes["empty"], "b": torch.tensor([0.5, -1.0], dtype=torch.float32)}
    native_meta = {"z": "last", "a": "first", "unicode": "\u00e9\u2713"}
    export_state_dict(native, P("native.safetensors"), metadata=native_meta)
    expected["safetensors"]["native.safetensors"] = {
        "metadata": native_meta, "tensors": {k: _expected(v) for k, v in native.items()}}
    # int64 beyond int32: spikeport must refuse it, naming the tensor.
    export_state_dict({"ok": torch.zeros(2), "steps": torch.tensor([1, 2**31], dtype=torch.int64)}, P("int64_overflow.safetensors"))

    # .npy: dtypes, byte orders, Fortran order, format versions.
    rng = np.random.RandomState(0)
    g = rng.standard_normal((2, 3, 4))
    arrays = {
        "f4": np.array([[0.0, -0.0, np.nan], [np.inf, 1e-45, -1 / 3]], dtype="<f4"),
        "f8": np.array([1 / 3, -0.0, 1e-310, 2.0**70], dtype="<f8"),
        "f2": f16.reshape(3, 3),
        "i4": np.array([[-2**31, 2**31 - 1], [0, -5]], dtype="<i4"),
        "i8": np.array([-2**31, 2**31 - 1, 0, 42], dtype="<i8"),
        "i2": np.array([-32768, 32767], dtype="<i2"),
        "u1": np.array([0, 1, 200, 255], dtype="|u1"),
        "b1": np.array([[True, False, True], [False, True, True]]),
        "f4_be": g[0].astype(">f4"),
        "f8_be": g[1].astype(">f8"),
        "i4_be": np.array([-2**31, 1, 2**31 - 1], dtype=">i4"),
        "i8_be": np.array([[-5, 2**31 - 1], [-2**31, 9]], dtype=">i8"),
        "f4_fortran": np.asfortranarray(g.astype("<f4")),
        "f8_be_fortran": np.asfortranarray(g[:, :, 0].astype(">f8")),
        "b1_fortran": np.asfortranarray(g > 0),
        "scalar": np.array(1.5, dtype="<f4"),
        "empty": np.zeros((0, 3), dtype="<f4"),
    }
    for name, a in arrays.items():
        np.save(P(f"{name}.npy"), a)
        expected["npy"][f"{name}.npy"] = _expected(a)
    v_arr = np.arange(6, dtype="<f4").reshape(2, 3) / 7
    for major in (2, 3):
        with open(P(f"v{major}.npy"), "wb") as f:
            np.lib.format.write_array(f, v_arr, version=(major, 0))
        expected["npy"][f"v{major}.npy"] = _expected(v_arr)
    np.save(P("i8_overflow.npy"), np.array([0, 2**40], dtype="<i8"))

    # .npz: stored (np.savez) and deflate (np.savez_compressed); "native" holds only dtypes spikeport writes,
    # so save_npz must reproduce it byte for byte.
    mixed = {"weight": g.astype("<f4"), "steps": np.array([3, 2**31 - 1], dtype="<i8"), "mask": g[0] > 0,
             "fortran": np.asfortranarray(g[1].astype("<f8")), "big": np.arange(5000, dtype="<f4") % 7}
    np.savez(P("savez.npz"), np.arange(3, dtype="<i4"), **mixed)
    np.savez_compressed(P("savez_compressed.npz"), np.arange(3, dtype="<i4"), **mixed)
    exp_mixed = {"arr_0": _expected(np.arange(3, dtype="<i4")), **{k: _expected(v) for k, v in mixed.items()}}
    expected["npz"]["savez.npz"] = exp_mixed
    expected["npz"]["savez_compressed.npz"] = exp_mixed
    native = {"w": g.astype("<f4"), "d": g[0].astype("<f8"), "i": np.array([1, -2, 3], dtype="<i4"),
              "m": g[1] > 0, "s": np.array(2.5, dtype="<f4"), "e": np.zeros((0, 2), dtype="<f4")}
    np.savez(P("native.npz"), **native)
    expected["npz"]["native.npz"] = {k: _expected(v) for k, v in native.items()}

    dump(expected, P("expected.json"))
    return sorted(os.listdir(out_dir))


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    if len(argv) == 0:
        files = write_fixtures(os.path.join(os.path.dirname(here), "fixtures", "io"))
        print(f"wrote fixtures/io: {', '.join(files)}")
    elif len(argv) == 2:
        try:  # weights_only (torch >= 1.13) refuses arbitrary pickled code in an untrusted checkpoint
            sd = torch.load(argv[0], map_location="cpu", weights_only=True)
        except TypeError:
            sd = torch.load(argv[0], map_location="cpu")
        if hasattr(sd, "state_dict"):
            sd = sd.state_dict()
        export_state_dict(sd, argv[1])
        print(f"wrote {argv[1]} ({len(sd)} tensors)")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
