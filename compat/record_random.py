"""Record PyTorch's CPU random streams into fixtures/torch/random.json.

Run with Debian's interpreter, which has torch 1.13 (python3-torch):

    /usr/bin/python3 compat/record_random.py

Every case seeds a fresh ``torch.Generator`` (or the default generator through ``torch.manual_seed``)
and replays a list of calls; each call's output is stored bit-exactly (compat/tensorjson.py), so
test/core/random.test.ts can replay the same calls on spikeport's ``Generator`` and compare bits.
Consecutive calls on one generator are part of the record because the cached Box-Muller value and the
position in the Mersenne Twister block carry over between calls.

The MKL cases (``bernoulli_(p)`` on official x86 wheels running on Intel CPUs) cannot come from Debian's
torch, which is built without MKL. When MKL's runtime (libmkl_rt.so, Debian package libmkl-rt in
non-free) is loadable they are recorded from MKL itself, exactly as ATen's MKL kernel calls it: the
32-bit seed is the high word of the first 64-bit draw of the seeded torch generator (what
``generator->random()`` returns), then vslNewStream(VSL_BRNG_MCG31, seed) and
viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF). Without MKL the previously recorded MKL section is kept.

The output is deterministic: single thread, fixed seeds, sorted JSON keys.
"""
import base64
import ctypes
import json
import os
import re
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import encode, dump  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "torch", "random.json")

torch.set_num_threads(1)

SEEDS = [0, 42, 2**32 + 5, 67280421310721, -1, 2**63 + 12345]
SIZES = [1, 2, 7, 15, 16, 17, 31, 33, 100, 1000]
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def dt(name):
    return DTYPES[name]


def run_call(g, call):
    """Executes one call on generator g (None: the default generator) and returns its outputs."""
    op = call["op"]
    kw = {} if g is None else {"generator": g}
    if op == "rand":
        return encode(torch.rand(call["size"], dtype=dt(call["dtype"]), **kw))
    if op == "randn":
        return encode(torch.randn(call["size"], dtype=dt(call["dtype"]), **kw))
    if op == "uniform":
        t = torch.empty(call["size"], dtype=dt(call["dtype"]))
        return encode(t.uniform_(call["from"], call["to"], **kw))
    if op == "normal":
        t = torch.empty(call["size"], dtype=dt(call["dtype"]))
        return encode(t.normal_(call["mean"], call["std"], **kw))
    if op == "normal_noncontig":
        # every other element of a (size, 2) tensor: a non-contiguous 1-D view, visited in order
        t = torch.empty(call["size"], 2, dtype=dt(call["dtype"]))[:, 0]
        t.normal_(call["mean"], call["std"], **kw)
        return encode(t.contiguous())
    if op == "randint":
        return encode(torch.randint(call["low"], call["high"], (call["size"],), dtype=getattr(torch, call["dtype"]), **kw))
    if op == "bernoulli_tensor":
        p = torch.from_numpy(np.array(call["p_values"], dtype=np.float32 if call["dtype"] == "float32" else np.float64))
        return encode(torch.bernoulli(p, **kw))
    if op == "bernoulli_scalar":
        t = torch.empty(call["size"], dtype=dt(call["dtype"]))
        return encode(t.bernoulli_(call["p"], **kw))
    if op == "randperm":
        return encode(torch.randperm(call["n"], **kw))
    if op == "get_state":
        s = (torch.get_rng_state() if g is None else g.get_state())
        return encode(s, "bool")  # uint8 bytes; "bool" is tensorjson's one-byte encoding
    raise ValueError(op)


def seed_str(s):
    return None if s is None else str(s)


def record_case(name, seed, calls, default_generator=False):
    if default_generator:
        torch.manual_seed(seed)
        g = None
    else:
        g = torch.Generator()
        if seed is not None:
            g.manual_seed(seed)
    outs = []
    for c in calls:
        c = dict(c)
        if c["op"] == "set_state":
            # restore the state recorded by an earlier get_state call of this case
            src = outs[c["from_call"]]["out"]
            state = torch.from_numpy(np.frombuffer(base64.b64decode(src["data"]), dtype=np.uint8).copy())
            if g is None:
                torch.set_rng_state(state)
            else:
                g.set_state(state)
            outs.append(c)
            continue
        c["out"] = run_call(g, c)
        outs.append(c)
    initial = torch.initial_seed() if g is None else g.initial_seed()
    return {"name": name, "seed": seed_str(seed), "default_generator": default_generator,
            "initial_seed": str(initial), "calls": outs}


def p_values(n, dtype, seed):
    """Probabilities for torch.bernoulli(p): uniform values plus the edges 0, 1 and 0.5."""
    g = torch.Generator().manual_seed(seed)
    p = torch.rand(n, generator=g, dtype=dt(dtype))
    p[0] = 0.0
    p[1] = 1.0
    p[2] = 0.5
    return [float(v) for v in p.tolist()]


def build_cases():
    cases = []
    # single calls: rand / randn for every seed, dtype and size (fresh generator each)
    for seed in SEEDS:
        for dname in DTYPES:
            for op in ("rand", "randn"):
                for n in SIZES:
                    cases.append(record_case(f"{op} {dname} n={n} seed={seed}", seed, [{"op": op, "dtype": dname, "size": n}]))
    # uniform_(a, b)
    for seed in (0, 42):
        for dname in DTYPES:
            for (a, b) in ((-2.5, 3.25), (0.1, 0.2), (-1000.0, 1000.0), (1e-3, 7.0)):
                for n in (7, 100):
                    cases.append(record_case(f"uniform_({a}, {b}) {dname} n={n} seed={seed}", seed,
                                             [{"op": "uniform", "dtype": dname, "size": n, "from": a, "to": b}]))
    # normal_(mean, std): scalar path (< 16) and blocked path (>= 16)
    for seed in (0, 42):
        for dname in DTYPES:
            for (m, s) in ((0.3, 1.7), (-2.0, 0.01), (5.0, 0.0), (1e3, 123.456)):
                for n in (1, 7, 15, 16, 17, 100):
                    cases.append(record_case(f"normal_({m}, {s}) {dname} n={n} seed={seed}", seed,
                                             [{"op": "normal", "dtype": dname, "size": n, "mean": m, "std": s}]))
    # normal_ on a non-contiguous view takes the scalar path at any size
    for dname in DTYPES:
        for n in (16, 40):
            cases.append(record_case(f"normal_(0.5, 2.0) non-contiguous {dname} n={n} seed=42", 42,
                                     [{"op": "normal_noncontig", "dtype": dname, "size": n, "mean": 0.5, "std": 2.0}]))
    # randint: int64 (PyTorch's default), plus float and int32 outputs
    for seed in (0, 42, 2**32 + 5):
        for (lo, hi) in ((0, 10), (-5, 5), (-100, 3), (0, 2**31), (0, 2**32), (-2**40, 2**40), (7, 8)):
            for n in (7, 100):
                cases.append(record_case(f"randint({lo}, {hi}) n={n} seed={seed}", seed,
                                         [{"op": "randint", "dtype": "int64", "size": n, "low": lo, "high": hi}]))
        for dname, (lo, hi) in (("float32", (-1000, 1000)), ("float64", (-2**40, 2**40)), ("int32", (-2**31, 2**31 - 1))):
            cases.append(record_case(f"randint({lo}, {hi}) {dname} n=33 seed={seed}", seed,
                                     [{"op": "randint", "dtype": dname, "size": 33, "low": lo, "high": hi}]))
    # bernoulli with a probability tensor, and bernoulli_ with a scalar p
    for seed in (0, 42, 67280421310721):
        for dname in DTYPES:
            for n in (3, 100):
                cases.append(record_case(f"bernoulli(p tensor) {dname} n={n} seed={seed}", seed,
                                         [{"op": "bernoulli_tensor", "dtype": dname, "p_values": p_values(n, dname, seed + 1)}]))
            for p in (0.0, 0.3, 0.5, 1.0):
                for n in (7, 100):
                    cases.append(record_case(f"bernoulli_({p}) {dname} n={n} seed={seed}", seed,
                                             [{"op": "bernoulli_scalar", "dtype": dname, "size": n, "p": p}]))
    # randperm
    for seed in (0, 42, 2**32 + 5):
        for n in (0, 1, 2, 7, 16, 100, 1000):
            cases.append(record_case(f"randperm({n}) seed={seed}", seed, [{"op": "randperm", "n": n}]))
    # sequences on one generator: cached normal, block position, state round trips
    seq1 = [
        {"op": "randn", "dtype": "float32", "size": 3},
        {"op": "randn", "dtype": "float32", "size": 20},
        {"op": "rand", "dtype": "float32", "size": 5},
        {"op": "randn", "dtype": "float32", "size": 1},
        {"op": "randn", "dtype": "float64", "size": 1},
        {"op": "randn", "dtype": "float64", "size": 2},
        {"op": "normal", "dtype": "float64", "size": 3, "mean": 2.0, "std": 0.5},
        {"op": "randint", "dtype": "int64", "size": 4, "low": -3, "high": 9},
        {"op": "randn", "dtype": "float32", "size": 1},
        {"op": "randn", "dtype": "float64", "size": 700},
        {"op": "rand", "dtype": "float64", "size": 700},
        {"op": "randperm", "n": 50},
        {"op": "bernoulli_scalar", "dtype": "float32", "size": 30, "p": 0.25},
        {"op": "get_state"},
    ]
    for seed in (0, 42, 2**32 + 5, 67280421310721):
        cases.append(record_case(f"sequence A seed={seed}", seed, seq1))
    seq2 = [  # the cached normal is in the saved state and comes back with set_state
        {"op": "randn", "dtype": "float64", "size": 1},
        {"op": "get_state"},
        {"op": "randn", "dtype": "float64", "size": 1},
        {"op": "rand", "dtype": "float32", "size": 650},
        {"op": "set_state", "from_call": 1},
        {"op": "randn", "dtype": "float64", "size": 1},
        {"op": "randn", "dtype": "float32", "size": 3},
        {"op": "get_state"},
    ]
    for seed in (0, 42):
        cases.append(record_case(f"sequence B (state round trip) seed={seed}", seed, seq2))
    seq3 = [  # odd sizes around the 624-word block boundary and the 16-element tail recompute
        {"op": "rand", "dtype": "float32", "size": 623},
        {"op": "randn", "dtype": "float32", "size": 17},
        {"op": "randn", "dtype": "float64", "size": 31},
        {"op": "uniform", "dtype": "float64", "size": 9, "from": -1.5, "to": 2.5},
        {"op": "randn", "dtype": "float32", "size": 5},
        {"op": "randn", "dtype": "float32", "size": 5},
        {"op": "bernoulli_tensor", "dtype": "float64", "p_values": [0.1, 0.9, 0.5, 0.5, 0.0, 1.0, 0.33]},
        {"op": "get_state"},
    ]
    cases.append(record_case("sequence C seed=12345", 12345, seq3))
    # the default generator through torch.manual_seed, and an unseeded torch.Generator()
    cases.append(record_case("default generator torch.manual_seed(7)", 7, seq1, default_generator=True))
    cases.append(record_case("torch.Generator() default seed", None, [
        {"op": "rand", "dtype": "float32", "size": 5}, {"op": "randn", "dtype": "float32", "size": 5}, {"op": "get_state"}]))
    return cases


def mkl_cases():
    os.environ.setdefault("MKL_THREADING_LAYER", "SEQUENTIAL")
    try:
        mkl = ctypes.CDLL("libmkl_rt.so")
    except OSError:
        return None
    out = []
    for seed in (0, 42, 2**32 + 5, 67280421310721):
        g = torch.Generator().manual_seed(seed)
        v = torch.empty(1, dtype=torch.int64).random_(-2**63, None, generator=g).item()
        seed32 = (v % 2**64) >> 32  # the first 32-bit draw (high word of the first 64-bit draw)
        for p in (0.0, 0.3, 0.5, 0.9, 1.0):
            for n in (7, 100, 2000):
                stream = ctypes.c_void_p()
                assert mkl.vslNewStream(ctypes.byref(stream), ctypes.c_int(1 << 20), ctypes.c_uint(seed32)) == 0
                r = np.zeros(n, dtype=np.int32)
                assert mkl.viRngBernoulli(ctypes.c_int(0), stream, ctypes.c_int(n), r.ctypes.data_as(ctypes.c_void_p), ctypes.c_double(p)) == 0
                mkl.vslDeleteStream(ctypes.byref(stream))
                out.append({"name": f"mkl bernoulli_({p}) n={n} seed={seed}", "seed": str(seed), "p": p, "n": n,
                            "seed32": int(seed32), "out": encode(r, "int32")})
    return out


def cpu_capability():
    m = re.search(r"CPU capability usage: (\w+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def main():
    doc = {
        "format": "spikeport random fixture v1",
        "generated_by": "compat/record_random.py",
        "torch_version": torch.__version__,
        "cpu_capability": cpu_capability(),
        "mkl_in_torch": bool(torch.backends.mkl.is_available()),
        "notes": ("Each case: fresh generator seeded with `seed` (a decimal string; null = unseeded "
                  "torch.Generator()), then `calls` in order; `out` is the call's result. randint results are "
                  "int64 unless dtype says otherwise; get_state bytes are stored with dtype 'bool' (one byte "
                  "each). mkl_bernoulli: outputs of MKL's VSL MCG31 + viRngBernoulli ICDF seeded with seed32."),
        "cases": build_cases(),
    }
    mk = mkl_cases()
    if mk is None:
        if os.path.exists(OUT):
            with open(OUT) as f:
                old = json.load(f)
            mk = old.get("mkl_bernoulli")
            print("MKL runtime not found: keeping the recorded mkl_bernoulli section", file=sys.stderr)
        if mk is None:
            mk = []
            print("MKL runtime not found: no mkl_bernoulli section", file=sys.stderr)
    doc["mkl_bernoulli"] = mk
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    dump(doc, OUT)
    print(f"wrote {OUT}: {len(doc['cases'])} cases, {len(mk)} MKL cases")


if __name__ == "__main__":
    main()
