"""Encode tensors for spikeport fixtures: {"dtype", "shape", "data": base64 of little-endian bytes}.

Bytes, not decimal text, so float32 values (NaN payloads, -0, +-inf included) round-trip bit-exactly.
Uses only numpy and torch (Debian's python3-torch); json dumps with sorted keys so reruns give the same bytes.
"""
import base64
import json

import numpy as np

_DTYPES = {
    "float32": np.dtype("<f4"),
    "float64": np.dtype("<f8"),
    "int32": np.dtype("<i4"),
    "int64": np.dtype("<i8"),
    "bool": np.dtype("u1"),
}


def encode(x, dtype=None):
    """torch.Tensor / np.ndarray / python scalar -> JSON-able dict."""
    try:
        import torch
        if isinstance(x, torch.Tensor):
            x = x.detach().cpu()
            if dtype is None:
                dtype = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32",
                         torch.int64: "int64", torch.bool: "bool", torch.uint8: "bool"}[x.dtype]
            x = x.numpy()
    except ImportError:
        pass
    a = np.asarray(x)
    if dtype is None:
        dtype = {"f": "float32", "b": "bool"}.get(a.dtype.kind) or ("float64" if a.dtype == np.float64 else "int64")
        if a.dtype == np.float64:
            dtype = "float64"
        elif a.dtype == np.int32:
            dtype = "int32"
    a = np.ascontiguousarray(a.astype(_DTYPES[dtype], copy=False))
    return {"dtype": dtype, "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode("ascii")}


def decode(d):
    a = np.frombuffer(base64.b64decode(d["data"]), dtype=_DTYPES[d["dtype"]])
    return a.reshape(d["shape"])


def dump(obj, path):
    with open(path, "w") as f:
        json.dump(obj, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
