#!/usr/bin/env python3
"""Read a spikeport fixture written by TypeScript (record_fixture / save_fixture) with Python alone.

    /usr/bin/python3 compat/check_ts_fixture.py <fixture.json> [--rewrite out.json] [--replay]

Checks the manifest (format, version, required fields), the sidecar (size, sha256, safetensors header) and decodes
every tensor with numpy, checking its byte length against dtype and shape. Prints a JSON summary on stdout and exits
non-zero on any problem.

  --rewrite out.json  writes the manifest back with every tensor decoded by numpy and re-encoded inline
                      (compat/tensorjson.py), so a test can compare Python's reading bit for bit with what it wrote
  --replay            rebuilds a torch.nn module tree from the recorded classes and constructor arguments, loads the
                      recorded state_dict, runs the recorded steps in real PyTorch and compares outputs, the loss and
                      the gradients with the recorded values under the fixture's tolerances

Needs numpy; --replay needs torch (Debian's /usr/bin/python3).
"""
import base64
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tensorjson  # noqa: E402


class Problem(Exception):
    pass


def _walk(v, path, out):
    """Every tensor object of the manifest (in document order, keys sorted): [(path, dict)]."""
    if isinstance(v, dict):
        if "dtype" in v and "shape" in v:
            out.append((path, v))
            return
        for k in sorted(v):
            _walk(v[k], f"{path}.{k}" if path else k, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            _walk(x, f"{path}[{i}]", out)


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    man = json.loads(raw.decode("utf-8"))
    if man.get("format") != "spikeport-fixture":
        raise Problem(f"format is {man.get('format')!r}, expected 'spikeport-fixture'")
    if man.get("version") != 1:
        raise Problem(f"version {man.get('version')!r} is not 1")
    for k in ("case", "upstream", "environment", "settings", "tolerances", "module", "state_dict", "steps"):
        if k not in man:
            raise Problem(f"missing required field {k!r}")
    side = {}
    if "sidecar" in man:
        sp = os.path.join(os.path.dirname(path), man["sidecar"]["file"])
        with open(sp, "rb") as f:
            data = f.read()
        if len(data) != man["sidecar"]["nbytes"]:
            raise Problem(f"sidecar is {len(data)} bytes, manifest says {man['sidecar']['nbytes']}")
        if tensorjson.sha256_hex(data) != man["sidecar"]["sha256"]:
            raise Problem("sidecar sha256 differs from the manifest")
        side = tensorjson.read_safetensors(data)
    tensors = []
    _walk(man, "", tensors)
    arrays = {}
    for p, t in tensors:
        dt = tensorjson._DTYPES.get(t["dtype"])
        if dt is None:
            raise Problem(f"{p}: unknown dtype {t['dtype']!r}")
        n = int(np.prod(t["shape"], dtype=np.int64)) if t["shape"] else 1
        if "sidecar" in t:
            a = side.get(t["sidecar"])
            if a is None:
                raise Problem(f"{p}: sidecar key {t['sidecar']!r} missing")
            if list(a.shape) != list(t["shape"]) or a.dtype != dt:
                raise Problem(f"{p}: sidecar tensor is {a.dtype}{list(a.shape)}, manifest says {t['dtype']}{t['shape']}")
        else:
            b = base64.b64decode(t["data"], validate=True)
            if len(b) != n * dt.itemsize:
                raise Problem(f"{p}: {len(b)} bytes for {t['dtype']}{t['shape']}")
            a = np.frombuffer(b, dtype=dt).reshape(t["shape"])
        arrays[id(t)] = a
    return man, tensors, arrays


def rewrite(man, arrays, out):
    def conv(v):
        if isinstance(v, dict):
            if "dtype" in v and "shape" in v:
                return tensorjson.encode_tensor(arrays[id(v)], v["dtype"])
            return {k: conv(x) for k, x in v.items() if k != "sidecar"}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v
    m = conv(man)
    m.pop("sidecar", None)
    with open(out, "w") as f:
        f.write(tensorjson.dumps(m))


# ---- replay in real PyTorch -------------------------------------------------------------------------------------------

def _value(v, arrays, children):
    import torch
    if isinstance(v, list):
        return [_value(x, arrays, children) for x in v]
    if isinstance(v, dict):
        if "dtype" in v and "shape" in v:
            return torch.from_numpy(np.array(arrays[id(v)]))
        (tag, body), = v.items()
        if tag == "$float":
            return tensorjson.decode_float(v)
        if tag == "$module":
            return children[body]
        if tag == "$dtype":
            return getattr(torch, body)
        if tag == "$dict":
            return {k: _value(x, arrays, children) for k, x in body}
        raise Problem(f"cannot rebuild argument {v!r}")
    return v


def build(spec, arrays):
    import torch.nn as nn
    cls = spec["class"]
    if not cls.startswith("torch.nn."):
        raise Problem(f"--replay rebuilds torch.nn classes only, got {cls!r}")
    C = getattr(nn, cls[len("torch.nn."):], None)
    if C is None:
        raise Problem(f"torch.nn has no {cls!r}")
    children = {n: build(c, arrays) for n, c in spec["children"]}
    pos, kw = [], {}
    for name, v in spec["args"]:
        val = _value(v, arrays, children)
        if name == spec["varargs"]:
            pos.extend(val)
        elif name == spec["varkw"]:
            kw.update(val)
        elif name in spec["required"]:
            pos.append(val)
        elif name not in spec["defaults"]:
            kw[name] = tuple(val) if isinstance(val, list) else val
    if cls in ("torch.nn.Sequential",):
        return C(*[children[n] for n, _ in spec["children"]])
    return C(*pos, **kw)


def _close(exp, got, tol):
    exp = np.asarray(exp, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    if exp.shape != got.shape:
        return False, math.inf
    if tol["kind"] in ("exact", "bitwise"):
        ok = np.array_equal(exp, got, equal_nan=True)
        return ok, float(np.max(np.abs(exp - got))) if exp.size else 0.0
    if tol["kind"] == "close":
        ok = bool(np.all(np.isclose(got, exp, rtol=tol["rtol"], atol=tol["atol"], equal_nan=True)))
        return ok, float(np.max(np.abs(exp - got))) if exp.size else 0.0
    return True, 0.0


def replay(man, arrays):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    T = lambda t: torch.from_numpy(np.array(arrays[id(t)]))
    model = build(man["module"], arrays)
    if man["settings"].get("seed") is not None:
        torch.manual_seed(man["settings"]["seed"])
    model.train(man["settings"]["training"])
    sd = {n: T(t) for n, t in man["state_dict"]}
    model.load_state_dict({k: (v.long() if k.endswith("num_batches_tracked") else v) for k, v in sd.items()})
    tols = man["tolerances"]
    checks, failures = 0, []

    def check(name, exp_t, got, cat):
        nonlocal checks
        checks += 1
        ok, err = _close(arrays[id(exp_t)], got.detach().numpy(), tols[cat])
        if not ok:
            failures.append(f"{name}: max abs error {err}")

    outs, xs_all = [], []
    for t, st in enumerate(man["steps"]):
        xs = [T(x).requires_grad_(man["settings"]["input_grads"] and T(x).is_floating_point()) for x in st["inputs"]]
        y = model(*xs)
        outs.append(y)
        xs_all.append(xs)
        check(f"output (step {t})", st["output"]["value"], y, st["output"]["tol"])
    if "loss" in man:
        L = man["loss"]
        if L["kind"] == "weighted_sum":
            loss = (outs[0] * T(L["weights"][0])).sum()
            for t in range(1, len(outs)):
                loss = loss + (outs[t] * T(L["weights"][t])).sum()
        else:
            ym = torch.stack(outs, 0).mean(0)
            loss = F.mse_loss(ym, T(L["target"])) if L["kind"] == "mse" else F.cross_entropy(ym, T(L["labels"]).long())
        check("loss", L["value"]["value"], loss, L["value"]["tol"])
        loss.backward()
        params = dict(model.named_parameters())
        for g in man["gradients"]["parameters"]:
            if g["value"] is not None:
                check(f"grad {g['name']}", g["value"], params[g["name"]].grad, g["tol"])
        for t, row in enumerate(man["gradients"]["inputs"]):
            for i, g in enumerate(row):
                if g is not None:
                    check(f"grad input[{i}] (step {t})", g["value"], xs_all[t][i].grad, g["tol"])
    return {"pass": not failures, "checks": checks, "failures": failures}


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    path = argv[0]
    out = None
    do_replay = "--replay" in argv
    if "--rewrite" in argv:
        out = argv[argv.index("--rewrite") + 1]
    try:
        man, tensors, arrays = load(path)
        summary = {"ok": True, "case": man["case"]["name"], "tensors": len(tensors),
                   "bytes": int(sum(a.nbytes for a in arrays.values())), "sidecar": "sidecar" in man}
        if out:
            rewrite(man, arrays, out)
        if do_replay:
            summary["replay"] = replay(man, arrays)
            summary["ok"] = summary["replay"]["pass"]
    except (Problem, KeyError, ValueError, TypeError) as e:
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
        return 1
    print(json.dumps(summary, sort_keys=True))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
