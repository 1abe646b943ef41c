"""Encode tensors and values for spikeport fixtures.

Tensor encoding (fixtures/README.md, "Tensors"): {"dtype", "shape", "data"} where data is the base64 of the
little-endian C-order bytes, so float32 values (NaN payloads, -0, +-inf included) round-trip bit-exactly.
A large tensor may instead live in a sidecar .safetensors file: {"dtype", "shape", "sidecar": key}.

Value encoding (constructor arguments, memories, optimizer state; fixtures/README.md, "Values"): JSON null / bool /
int / str / finite float as themselves, lists as arrays, a tensor as a tensor object (the only objects with a
"dtype" key), and tagged objects with exactly one "$" key for the rest:
{"$float": "nan" | "inf" | "-inf"}, {"$dict": [[key, value], ...]}, {"$dtype": "float32"},
{"$object": {"class", "qualname", "args": [[name, value], ...], "repr"}}.

Uses only numpy (torch when given tensors). `dump` writes json with sorted keys and no NaN literals, so reruns
give the same bytes. `encode`/`decode`/`dump` keep their original behaviour for the fixtures under fixtures/torch/.
"""
import base64
import hashlib
import json
import math

import numpy as np

_DTYPES = {
    "float32": np.dtype("<f4"),
    "float64": np.dtype("<f8"),
    "int32": np.dtype("<i4"),
    "int64": np.dtype("<i8"),
    "bool": np.dtype("u1"),
}
# safetensors dtype codes of the sidecar file
SAFETENSORS_CODES = {"float32": "F32", "float64": "F64", "int32": "I32", "int64": "I64", "bool": "BOOL"}


def _torch():
    try:
        import torch
        return torch
    except ImportError:
        return None


def _dtype_name(x):
    torch = _torch()
    if torch is not None and isinstance(x, torch.Tensor):
        names = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32", torch.int64: "int64",
                 torch.bool: "bool", torch.uint8: "bool"}
        if x.dtype not in names:
            raise TypeError(f"tensorjson: unsupported tensor dtype {x.dtype} (supported: float32, float64, int32, int64, bool)")
        return names[x.dtype]
    a = np.asarray(x)
    if a.dtype == np.bool_:
        return "bool"
    if a.dtype == np.float64:
        return "float64"
    if a.dtype.kind == "f":
        return "float32"
    if a.dtype == np.int32:
        return "int32"
    return "int64"


def encode(x, dtype=None):
    """torch.Tensor / np.ndarray / python scalar -> JSON-able dict (original behaviour: a 0-d input gets shape [1])."""
    torch = _torch()
    if torch is not None and isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if dtype is None:
            dtype = _dtype_name(x)
        x = x.numpy()
    a = np.asarray(x)
    if dtype is None:
        dtype = {"f": "float32", "b": "bool"}.get(a.dtype.kind) or ("float64" if a.dtype == np.float64 else "int64")
        if a.dtype == np.float64:
            dtype = "float64"
        elif a.dtype == np.int32:
            dtype = "int32"
    a = np.array(a, dtype=_DTYPES[dtype], order="C")  # np.ascontiguousarray would turn a 0-d array into shape (1,)
    return {"dtype": dtype, "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode("ascii")}


def tensor_bytes(x, dtype=None):
    """(dtype name, shape, little-endian C-order bytes) of a tensor or array, keeping 0-d shapes."""
    torch = _torch()
    if torch is not None and isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if dtype is None:
            dtype = _dtype_name(x)
        if x.dtype == torch.bool:
            x = x.to(torch.uint8)
        x = x.contiguous().numpy()
    a = np.asarray(x)
    if dtype is None:
        dtype = _dtype_name(a)
    shape = list(a.shape)
    a = np.ascontiguousarray(a.astype(_DTYPES[dtype], copy=False)).reshape(-1)
    return dtype, shape, a.tobytes()


def encode_tensor(x, dtype=None):
    """Like encode, but a 0-d tensor keeps shape []. Used by the fixture recorder."""
    dtype, shape, raw = tensor_bytes(x, dtype)
    return {"dtype": dtype, "shape": shape, "data": base64.b64encode(raw).decode("ascii")}


def decode(d):
    a = np.frombuffer(base64.b64decode(d["data"]), dtype=_DTYPES[d["dtype"]])
    return a.reshape(d["shape"])


def encode_float(v):
    """A Python float as a JSON value: finite floats as numbers (-0.0 stays -0.0), the rest tagged."""
    if math.isnan(v):
        return {"$float": "nan"}
    if math.isinf(v):
        return {"$float": "inf" if v > 0 else "-inf"}
    return float(v)


def decode_float(v):
    if isinstance(v, dict):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[v["$float"]]
    return float(v)


def is_tensor_value(v):
    return isinstance(v, dict) and "dtype" in v and "shape" in v


def decode_value(v, sidecar=None):
    """Inverse of the value encoding: tensors become numpy arrays, tagged objects their Python meaning
    ($object becomes a dict {"class", "qualname", "args": {...}, "repr"}; $dtype a string)."""
    if isinstance(v, list):
        return [decode_value(x, sidecar) for x in v]
    if isinstance(v, dict):
        if is_tensor_value(v):
            if "sidecar" in v:
                return sidecar[v["sidecar"]]
            return decode(v)
        (tag, body), = v.items()
        if tag == "$float":
            return decode_float(v)
        if tag == "$dict":
            return {k: decode_value(x, sidecar) for k, x in body}
        if tag == "$dtype":
            return body
        if tag == "$object":
            return {"class": body["class"], "qualname": body.get("qualname"),
                    "args": {k: decode_value(x, sidecar) for k, x in body.get("args", [])}, "repr": body.get("repr")}
        raise ValueError(f"tensorjson.decode_value: unknown tag {tag!r}")
    return v


def safetensors_bytes(tensors, metadata=None):
    """dict key -> (dtype name, shape, raw little-endian bytes) -> bytes of a .safetensors file.
    Keys sorted, tensors laid out in key order, header padded with spaces to a multiple of 8 (deterministic)."""
    import struct
    header = {}
    if metadata:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    pos = 0
    chunks = []
    for key in sorted(tensors):
        dtype, shape, raw = tensors[key]
        header[key] = {"dtype": SAFETENSORS_CODES[dtype], "shape": list(shape), "data_offsets": [pos, pos + len(raw)]}
        pos += len(raw)
        chunks.append(raw)
    h = json.dumps(header, separators=(",", ":"), sort_keys=False, ensure_ascii=True).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    return b"".join([struct.pack("<Q", len(h)), h] + chunks)


def read_safetensors(data):
    """bytes of a .safetensors file -> dict key -> numpy array (the dtypes above only)."""
    import struct
    n, = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    codes = {v: k for k, v in SAFETENSORS_CODES.items()}
    out = {}
    base = 8 + n
    for key, e in header.items():
        b, end = e["data_offsets"]
        out[key] = np.frombuffer(data[base + b:base + end], dtype=_DTYPES[codes[e["dtype"]]]).reshape(e["shape"])
    return out


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def dumps(obj):
    """Deterministic JSON text: sorted keys, compact separators, NaN/Infinity refused (use the $float tag)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=True) + "\n"


def dump(obj, path):
    with open(path, "w") as f:
        json.dump(obj, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
