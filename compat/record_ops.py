#!/usr/bin/python3
"""Record op-parity fixtures from real PyTorch: fixtures/torch/ops/*.json.

Run from the repository root:  /usr/bin/python3 compat/record_ops.py
Needs only torch and numpy (Debian's python3-torch 1.13). Output is deterministic: inputs and loss weights come from
generators seeded per case (crc32 of the case name), torch runs single-threaded, JSON keys are sorted.

Each case records
  name      unique "<group>/<op>/<what>" label
  op        the op name; test/torch/ops_parity.test.ts maps it to the spikeport call (and OPS below to the torch call)
  args      positional arguments; a tensor is {"tensor": <input name>, "view": [[kind, ...params], ...]} (the view
            steps, e.g. ["transpose", 0, 1], ["index", ["::2", ":"]], ["expand", [3, 4]], are applied to the leaf
            before the call, so an op sees a non-contiguous input and gradients flow back to the leaf); a non-finite
            or negative-zero number is {"scalar": "nan" | "inf" | "-inf" | "-0"}; a dtype is {"dtype": "float64"}
  kwargs    keyword arguments, encoded the same way (spikeport takes them as its trailing options object)
  inputs    {name: encoded tensor}; float inputs listed in `requires_grad` are leaves requiring grad
  outputs   the op's output tensors in order (a single tensor, a tuple like max's (values, indices), or a list)
  weights   per output, the random weight w of the loss sum(out * w) (null for outputs without gradient)
  grads     {input name: d loss / d input} for every input in requires_grad (absent when the case records no gradient)
  exact     forward outputs must match bit for bit (NaN matching any NaN), for ops whose result is exactly representable
  tol       optional per-case forward tolerance override {"atol", "rtol"} (with the reason in `note`)
"""
import json
import math
import os
import sys
import zlib

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import dump  # noqa: E402
from tensorjson import encode as _encode  # noqa: E402


def encode(t):
    """tensorjson.encode, keeping 0-d shapes (np.ascontiguousarray turns a 0-d array into shape [1])."""
    d = _encode(t)
    d["shape"] = list(t.shape)
    return d

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "fixtures", "torch", "ops")

NAN, INF = float("nan"), float("inf")

# ---- value helpers --------------------------------------------------------------------------------------------------


class Gen:
    """A generator seeded from a string, so a case's inputs do not depend on which cases come before it."""

    def __init__(self, name):
        self.g = torch.Generator()
        self.g.manual_seed(zlib.crc32(name.encode()))

    def randn(self, *shape, dtype=torch.float32):
        return torch.randn(tuple(shape), generator=self.g, dtype=dtype)

    def uniform(self, lo, hi, *shape, dtype=torch.float32):
        return torch.rand(tuple(shape), generator=self.g, dtype=dtype) * (hi - lo) + lo

    def randint(self, lo, hi, *shape, dtype=torch.int64):
        return torch.randint(lo, hi, shape, generator=self.g, dtype=dtype)


def T(data, dtype=torch.float32):
    return torch.tensor(data, dtype=dtype)


def I(data):  # noqa: E743 — index tensors are int64 in torch (spikeport: int32)
    return torch.tensor(data, dtype=torch.int64)


def B(data):
    return torch.tensor(data, dtype=torch.bool)


class Ref:
    """A reference to a named input in args/kwargs, with optional view steps applied before the call."""

    def __init__(self, name, *view):
        self.name = name
        self.view = [list(v) for v in view]


def R(name, *view):
    return Ref(name, *view)


# ---- the torch side of each op (the TypeScript side is the table in test/torch/ops_parity.test.ts) -------------------


def _getitem(x, items):
    return x[tuple(_py_index(i) for i in items)]


def _py_index(i):
    if i is None:
        return None
    if i == "...":
        return Ellipsis
    if isinstance(i, str):
        parts = [p.strip() for p in i.split(":")]
        vals = [int(p) if p else None for p in parts]
        return slice(*vals)
    return i


def _max(x, *a, **k):
    return torch.max(x, *a, **k)


def prog_add_mul(x, z):
    y = x * 2
    y.add_(1)
    y.mul_(z)
    return y


def prog_sub_div(x, z, p):
    y = x.mul(1.5)
    y.sub_(z, alpha=2)
    y.div_(p)
    return y


def prog_mul_relu(x, z):
    y = x + 0
    y.mul_(z)
    y.relu_()
    return y


def prog_clamp_pow(x):
    y = x.clone()
    y.clamp_(-0.5, 0.5)
    y.pow_(2)
    return y


def prog_masked_fill_exp(x, mask):
    y = x * 1
    y.masked_fill_(mask, 0.0)
    y.exp_()
    return y


def prog_copy(x, z):
    y = x * 3
    y.copy_(z)
    return y + x


def prog_addcmul(x, a, b):
    y = x * 1
    y.addcmul_(a, b, value=0.5)
    return y


def prog_add_sigmoid(x):
    y = x.clone()
    y.add_(1)
    y.sigmoid_()
    return y


def prog_add_sqrt(x):
    y = x * 2
    y.add_(0.5)
    y.sqrt_()
    return y


def prog_two_outputs(x, z):
    y = x.mul(z)
    u = y.clone()
    y.add_(x)
    return [y, u]


def prog_view_chain(x):
    return x.transpose(0, 1)[::2].reshape(-1).unsqueeze(0).expand(3, -1)


def prog_view_chain2(x):
    return x.permute(2, 0, 1).flatten(1).narrow(1, 1, 4).t().select(1, 2)


def prog_view_reuse(x):
    # one leaf used through two views and directly: gradients from all three accumulate
    return x.t().mul(x) + x[:, :1]


OPS = {
    "leaky_relu": lambda a, k: F.leaky_relu(*a, **k),
    "masked_fill": lambda a, k: a[0].masked_fill(*a[1:], **k),
    "max": lambda a, k: _max(*a, **k),
    "index": lambda a, k: _getitem(a[0], a[1]),
    "expand": lambda a, k: a[0].expand(*a[1]),
    "view": lambda a, k: a[0].view(*a[1]),
    "t": lambda a, k: a[0].t(),
    "repeat": lambda a, k: a[0].repeat(*a[1]),
    "unflatten": lambda a, k: a[0].unflatten(a[1], a[2]),
    "one_hot": lambda a, k: F.one_hot(*a, **k),
    "contiguous": lambda a, k: a[0].contiguous(),
    "to": lambda a, k: a[0].to(*a[1:]),
    "prog_add_mul": lambda a, k: prog_add_mul(*a),
    "prog_sub_div": lambda a, k: prog_sub_div(*a),
    "prog_mul_relu": lambda a, k: prog_mul_relu(*a),
    "prog_clamp_pow": lambda a, k: prog_clamp_pow(*a),
    "prog_masked_fill_exp": lambda a, k: prog_masked_fill_exp(*a),
    "prog_copy": lambda a, k: prog_copy(*a),
    "prog_addcmul": lambda a, k: prog_addcmul(*a),
    "prog_add_sigmoid": lambda a, k: prog_add_sigmoid(*a),
    "prog_add_sqrt": lambda a, k: prog_add_sqrt(*a),
    "prog_two_outputs": lambda a, k: prog_two_outputs(*a),
    "prog_view_chain": lambda a, k: prog_view_chain(*a),
    "prog_view_chain2": lambda a, k: prog_view_chain2(*a),
    "prog_view_reuse": lambda a, k: prog_view_reuse(*a),
}


def torch_call(op, args, kwargs):
    if op in OPS:
        return OPS[op](args, kwargs)
    return getattr(torch, op)(*args, **kwargs)


# ---- encoding and running -------------------------------------------------------------------------------------------

DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int32: "int32", torch.int64: "int64", torch.bool: "bool"}


def enc_arg(a):
    if isinstance(a, Ref):
        d = {"tensor": a.name}
        if a.view:
            d["view"] = a.view
        return d
    if isinstance(a, torch.dtype):
        return {"dtype": DTYPE_NAMES[a]}
    if isinstance(a, bool) or a is None or isinstance(a, str) or isinstance(a, int):
        return a
    if isinstance(a, float):
        if math.isnan(a):
            return {"scalar": "nan"}
        if math.isinf(a):
            return {"scalar": "inf" if a > 0 else "-inf"}
        if a == 0 and math.copysign(1.0, a) < 0:
            return {"scalar": "-0"}
        return a
    if isinstance(a, (list, tuple)):
        return [enc_arg(v) for v in a]
    raise TypeError(f"cannot encode argument {a!r}")


def apply_view(t, steps):
    for s in steps:
        kind, params = s[0], s[1:]
        if kind == "transpose":
            t = t.transpose(*params)
        elif kind == "permute":
            t = t.permute(*params[0])
        elif kind == "index":
            t = _getitem(t, params[0])
        elif kind == "expand":
            t = t.expand(*params[0])
        elif kind == "t":
            t = t.t()
        else:
            raise ValueError(f"unknown view step {kind}")
    return t


def resolve(a, leaves):
    if isinstance(a, Ref):
        return apply_view(leaves[a.name], a.view)
    if isinstance(a, (list, tuple)):
        return [resolve(v, leaves) for v in a]
    return a


def as_list(out):
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return list(out)
    raise TypeError(f"unexpected output {type(out)}")


GROUPS = {}
NAMES = set()


def case(group, name, op, args, kwargs=None, inputs=None, grad=True, exact=False, tol=None, note=None, wrt=None):
    """Runs one case in torch and stores it. grad=True records gradients w.r.t. every float input (or `wrt`)."""
    kwargs = kwargs or {}
    inputs = inputs or {}
    full = f"{group}/{name}"
    assert full not in NAMES, full
    NAMES.add(full)
    want = [n for n, t in inputs.items() if t.is_floating_point()] if wrt is None else list(wrt)
    if not grad:
        want = []
    leaves = {}
    for n, t in inputs.items():
        leaf = t.detach().clone()
        if n in want:
            leaf.requires_grad_(True)
        leaves[n] = leaf
    outs = as_list(torch_call(op, resolve(args, leaves), {k: resolve(v, leaves) for k, v in kwargs.items()}))
    g = Gen(full + "#w")
    weights, loss = [], None
    for o in outs:
        if want and o.is_floating_point() and o.requires_grad:
            w = g.randn(*o.shape, dtype=o.dtype)
            weights.append(encode(w))
            term = (o * w).sum()
            loss = term if loss is None else loss + term
        else:
            weights.append(None)
    rec = {
        "name": full,
        "op": op,
        "args": enc_arg(args),
        "kwargs": {k: enc_arg(v) for k, v in kwargs.items()},
        "inputs": {n: encode(t) for n, t in inputs.items()},
        "outputs": [encode(o) for o in outs],
        "weights": weights,
        "exact": exact,
    }
    if want and loss is None:
        want = []  # bool/int outputs only: nothing to differentiate
        rec["weights"] = [None for _ in outs]
    if want:
        gs = torch.autograd.grad(loss, [leaves[n] for n in want], allow_unused=True)
        rec["requires_grad"] = want
        rec["grads"] = {}
        for n, gr in zip(want, gs):
            if gr is None:
                gr = torch.zeros_like(leaves[n])
            assert torch.isfinite(gr).all(), f"{full}: gradient w.r.t. {n} is not finite; record it with grad=False"
            rec["grads"][n] = encode(gr)
    if tol:
        rec["tol"] = tol
    if note:
        rec["note"] = note
    GROUPS.setdefault(group, []).append(rec)


# ---- elementwise ----------------------------------------------------------------------------------------------------

UNARY = {
    # name: (domain lo, hi) for the random case
    "neg": (-3, 3), "abs": (-3, 3), "sign": (-3, 3), "exp": (-3, 3), "expm1": (-3, 3), "log": (0.1, 4), "log1p": (-0.9, 4),
    "sqrt": (0.1, 4), "rsqrt": (0.1, 4), "square": (-3, 3), "reciprocal": (0.2, 3), "sin": (-4, 4), "cos": (-4, 4),
    "tanh": (-3, 3), "atan": (-4, 4), "erf": (-3, 3), "sigmoid": (-6, 6), "relu": (-3, 3), "floor": (-3, 3),
    "ceil": (-3, 3), "round": (-3, 3),
}
EXACT_UNARY = {"neg", "abs", "sign", "relu", "floor", "ceil", "round", "square"}

# Edge values per op: inputs where torch defines the result; gradients kept where torch's are finite.
EDGE = {
    "neg": ([0.0, -0.0, INF, -INF, NAN, 1.5], False),
    "abs": ([0.0, -0.0, INF, -INF, NAN, -1.5], False),
    "sign": ([0.0, -0.0, INF, -INF, NAN, -1.5, 2.0], False),
    "exp": ([0.0, -0.0, INF, -INF, NAN, 88.0, -104.0], False),
    "expm1": ([0.0, -0.0, INF, -INF, NAN, 1e-7, -1e-7], False),
    "log": ([0.0, -0.0, INF, -1.0, NAN, 1.0], False),
    "log1p": ([0.0, -1.0, INF, -2.0, NAN, 1e-7], False),
    "sqrt": ([0.0, -0.0, INF, -1.0, NAN, 4.0], False),
    "rsqrt": ([0.0, -0.0, INF, -1.0, NAN, 4.0], False),
    "square": ([0.0, -0.0, INF, -INF, NAN, 1e20], False),
    "reciprocal": ([0.0, -0.0, INF, -INF, NAN, 4.0], False),
    "sin": ([0.0, -0.0, INF, NAN, 1e-20], False),
    "cos": ([0.0, -0.0, INF, NAN], False),
    "tanh": ([0.0, -0.0, INF, -INF, NAN, 20.0], False),
    "atan": ([0.0, -0.0, INF, -INF, NAN], False),
    "erf": ([0.0, -0.0, INF, -INF, NAN, 5.0], False),
    "sigmoid": ([0.0, INF, -INF, NAN, 100.0, -100.0], False),
    "relu": ([0.0, -0.0, INF, -INF, NAN], False),
    "floor": ([0.0, -0.0, INF, -INF, NAN, -0.5, 2.5], False),
    "ceil": ([0.0, -0.0, INF, -INF, NAN, -0.5, 2.5], False),
    "round": ([0.0, -0.0, INF, -INF, NAN, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997], False),
}
# Points where torch defines a finite gradient at a kink or boundary: recorded with gradients.
KINKS = {
    "relu": [0.0, -0.0, 1.0, -1.0],
    "abs": [0.0, -0.0, 2.0, -2.0],
    "sign": [0.0, 1.0, -1.0],
    "floor": [1.0, -1.0, 0.5],
    "round": [0.5, 1.5, -2.5],
    "sqrt": [1e-30, 4.0],
}


def elementwise():
    grp = "elementwise"
    for op, (lo, hi) in UNARY.items():
        g = Gen(f"{grp}/{op}")
        case(grp, f"{op}/random", op, [R("x")], inputs={"x": g.uniform(lo, hi, 3, 4)}, exact=op in EXACT_UNARY)
        vals, _ = EDGE[op]
        case(grp, f"{op}/edge", op, [R("x")], inputs={"x": T(vals)}, grad=False, exact=op in EXACT_UNARY)
        if op in KINKS:
            case(grp, f"{op}/kinks", op, [R("x")], inputs={"x": T(KINKS[op])}, exact=op in EXACT_UNARY)
    # non-contiguous inputs for a few unary ops
    g = Gen("elementwise/unary-views")
    x = g.uniform(0.2, 3, 4, 6)
    case(grp, "exp/transposed", "exp", [R("x", ["t"])], inputs={"x": x})
    case(grp, "log/sliced_step", "log", [R("x", ["index", ["::2", "1::2"]])], inputs={"x": x})
    case(grp, "sigmoid/expanded", "sigmoid", [R("x", ["index", [":", "0:1"]], ["expand", [4, 5]])], inputs={"x": x})
    case(grp, "sqrt/permuted_3d", "sqrt", [R("x", ["permute", [2, 0, 1]])], inputs={"x": g.uniform(0.2, 3, 2, 3, 4)})

    # leaky_relu
    g = Gen("elementwise/leaky_relu")
    case(grp, "leaky_relu/default", "leaky_relu", [R("x")], inputs={"x": g.randn(3, 4)})
    case(grp, "leaky_relu/slope_0.2", "leaky_relu", [R("x"), 0.2], inputs={"x": g.randn(3, 4)})
    case(grp, "leaky_relu/kinks", "leaky_relu", [R("x"), 0.1], inputs={"x": T([0.0, -0.0, 1.0, -1.0])})
    case(grp, "leaky_relu/edge", "leaky_relu", [R("x")], inputs={"x": T([INF, -INF, NAN, 0.0])}, grad=False)

    # clamp
    g = Gen("elementwise/clamp")
    x = g.uniform(-2, 2, 3, 4)
    case(grp, "clamp/min_max", "clamp", [R("x")], {"min": -0.5, "max": 0.7}, inputs={"x": x}, exact=True)
    case(grp, "clamp/min_only", "clamp", [R("x")], {"min": 0.1}, inputs={"x": x}, exact=True)
    case(grp, "clamp/max_only", "clamp", [R("x")], {"max": -0.1}, inputs={"x": x}, exact=True)
    case(grp, "clamp/at_bounds", "clamp", [R("x")], {"min": -1.0, "max": 1.0},
         inputs={"x": T([-1.0, 1.0, 0.0, -2.0, 2.0, 1.0000001])}, exact=True)
    case(grp, "clamp/edge", "clamp", [R("x")], {"min": -1.0, "max": 1.0}, inputs={"x": T([NAN, INF, -INF, -0.0])},
         grad=False, exact=True)
    case(grp, "clamp/tensor_bounds", "clamp", [R("x")], {"min": R("lo"), "max": R("hi")},
         inputs={"x": g.uniform(-2, 2, 3, 4), "lo": g.uniform(-1, 0, 4), "hi": g.uniform(0, 1, 3, 1)}, exact=True)

    # binary arithmetic with broadcasting, scalars and non-contiguous operands
    bin_ops = ["add", "sub", "mul", "div", "maximum", "minimum"]
    for op in bin_ops:
        g = Gen(f"{grp}/{op}")
        ex = op in ("maximum", "minimum")
        case(grp, f"{op}/same_shape", op, [R("a"), R("b")], inputs={"a": g.randn(3, 4), "b": g.uniform(0.5, 2, 3, 4)}, exact=ex)
        case(grp, f"{op}/bcast_3x1_1x4", op, [R("a"), R("b")], inputs={"a": g.randn(3, 1), "b": g.uniform(0.5, 2, 1, 4)}, exact=ex)
        case(grp, f"{op}/bcast_2x3x4_4", op, [R("a"), R("b")], inputs={"a": g.randn(2, 3, 4), "b": g.uniform(0.5, 2, 4)}, exact=ex)
        case(grp, f"{op}/bcast_4_2x3x4", op, [R("a"), R("b")], inputs={"a": g.uniform(0.5, 2, 4), "b": g.uniform(0.5, 2, 2, 3, 4)}, exact=ex)
        case(grp, f"{op}/zero_dim", op, [R("a"), R("b")], inputs={"a": g.randn(3, 4), "b": g.uniform(0.5, 2)}, exact=ex)
        case(grp, f"{op}/transposed", op, [R("a", ["t"]), R("b")], inputs={"a": g.randn(4, 3), "b": g.uniform(0.5, 2, 3, 4)}, exact=ex)
        case(grp, f"{op}/sliced_step", op, [R("a", ["index", ["::2", "::3"]]), R("b", ["index", [":", "1:"]])],
             inputs={"a": g.randn(6, 9), "b": g.uniform(0.5, 2, 3, 4)}, exact=ex)
        case(grp, f"{op}/expanded", op, [R("a", ["expand", [3, 4]]), R("b", ["t"])],
             inputs={"a": g.randn(4), "b": g.uniform(0.5, 2, 4, 3)}, exact=ex)
        if op in ("add", "sub", "mul", "div"):
            case(grp, f"{op}/scalar", op, [R("a"), 2.5], inputs={"a": g.randn(3, 4)})
            case(grp, f"{op}/int_scalar", op, [R("a"), 3], inputs={"a": g.randn(2, 3)})
    case(grp, "add/alpha", "add", [R("a"), R("b")], {"alpha": 2.5}, inputs={"a": Gen("a1").randn(3, 4), "b": Gen("a2").randn(4)})
    case(grp, "sub/alpha", "sub", [R("a"), R("b")], {"alpha": -0.5}, inputs={"a": Gen("s1").randn(3, 1), "b": Gen("s2").randn(3, 4)})
    case(grp, "div/rounding_trunc", "div", [R("a"), R("b")], {"rounding_mode": "trunc"},
         inputs={"a": T([7.0, -7.0, 7.5, -7.5, 0.0]), "b": T([2.0, 2.0, -2.0, 2.0, 3.0])}, exact=True)
    case(grp, "div/rounding_floor", "div", [R("a"), R("b")], {"rounding_mode": "floor"},
         inputs={"a": T([7.0, -7.0, 7.5, -7.5, 0.0]), "b": T([2.0, 2.0, -2.0, 2.0, 3.0])}, exact=True)
    case(grp, "div/by_zero", "div", [R("a"), R("b")], inputs={"a": T([1.0, -1.0, 0.0, NAN, INF]), "b": T([0.0, 0.0, 0.0, 1.0, INF])},
         grad=False)
    case(grp, "add/edge", "add", [R("a"), R("b")], inputs={"a": T([INF, INF, NAN, -0.0, -0.0]), "b": T([-INF, 1.0, 1.0, 0.0, -0.0])},
         grad=False, exact=True)
    case(grp, "mul/edge", "mul", [R("a"), R("b")], inputs={"a": T([INF, 0.0, NAN, -0.0, -2.0]), "b": T([0.0, -1.0, 0.0, 5.0, 0.0])},
         grad=False, exact=True)
    case(grp, "add/inf_scalar", "add", [R("a"), -INF], inputs={"a": T([1.0, INF, NAN])}, grad=False, exact=True)
    case(grp, "mul/nan_scalar", "mul", [R("a"), NAN], inputs={"a": T([1.0, 0.0])}, grad=False, exact=True)
    # scalar on the left (torch.add(2, x) is not valid torch; rsub/pow take one)
    g = Gen("elementwise/pow")
    case(grp, "pow/tensor_tensor", "pow", [R("a"), R("b")], inputs={"a": g.uniform(0.5, 2, 3, 4), "b": g.uniform(-2, 2, 3, 4)})
    case(grp, "pow/bcast", "pow", [R("a"), R("b")], inputs={"a": g.uniform(0.5, 2, 3, 1), "b": g.uniform(-2, 2, 4)})
    case(grp, "pow/scalar_2", "pow", [R("a"), 2], inputs={"a": g.randn(3, 4)}, exact=True)
    case(grp, "pow/scalar_3", "pow", [R("a"), 3], inputs={"a": g.randn(3, 4)})
    case(grp, "pow/scalar_half", "pow", [R("a"), 0.5], inputs={"a": g.uniform(0.1, 3, 3, 4)})
    case(grp, "pow/scalar_neg", "pow", [R("a"), -1.5], inputs={"a": g.uniform(0.1, 3, 3, 4)})
    case(grp, "pow/scalar_0", "pow", [R("a"), 0], inputs={"a": g.randn(5)}, exact=True)
    case(grp, "pow/scalar_base", "pow", [2.0, R("b")], inputs={"b": g.randn(3, 4)})
    case(grp, "pow/zero_base", "pow", [R("a"), R("b")], inputs={"a": T([0.0, 0.0, 2.0]), "b": T([2.0, 0.0, 1.0])},
         note="d/db 0^b is taken as 0 for b >= 0")
    case(grp, "pow/edge", "pow", [R("a"), R("b")], inputs={"a": T([-2.0, 0.0, 0.0, INF, NAN, 1.0, -8.0, 1.0, -1.0, 0.5, 2.0]),
                                                     "b": T([0.5, -1.0, 0.0, -1.0, 0.0, NAN, 3.0, INF, -INF, INF, -INF])},
         grad=False)
    case(grp, "pow/scalar_edge", "pow", [R("a"), INF], inputs={"a": T([1.0, -1.0, 0.5, 2.0, NAN, 0.0])}, grad=False)
    case(grp, "pow/scalar_nan", "pow", [R("a"), NAN], inputs={"a": T([1.0, -1.0, 0.5])}, grad=False)
    case(grp, "pow/transposed", "pow", [R("a", ["t"]), 3], inputs={"a": g.randn(4, 3)})
    # maximum / minimum ties and NaN
    case(grp, "maximum/ties", "maximum", [R("a"), R("b")], inputs={"a": T([1.0, 2.0, -1.0, 0.0]), "b": T([1.0, 1.0, -1.0, -0.0])})
    case(grp, "minimum/ties", "minimum", [R("a"), R("b")], inputs={"a": T([1.0, 2.0, -1.0, 3.0]), "b": T([1.0, 1.0, -1.0, 3.0])})
    case(grp, "maximum/nan", "maximum", [R("a"), R("b")], inputs={"a": T([NAN, 1.0, NAN, INF]), "b": T([1.0, NAN, NAN, -INF])},
         grad=False, exact=True)
    case(grp, "minimum/nan", "minimum", [R("a"), R("b")], inputs={"a": T([NAN, 1.0, NAN, INF]), "b": T([1.0, NAN, NAN, -INF])},
         grad=False, exact=True)

    # where / masked_fill
    g = Gen("elementwise/where")
    c = g.randn(3, 4) > 0
    case(grp, "where/same_shape", "where", [R("c"), R("a"), R("b")], inputs={"c": c, "a": g.randn(3, 4), "b": g.randn(3, 4)}, exact=True)
    case(grp, "where/bcast", "where", [R("c"), R("a"), R("b")], inputs={"c": g.randn(3, 1) > 0, "a": g.randn(1, 4), "b": g.randn(3, 4)}, exact=True)
    case(grp, "where/scalar_other", "where", [R("c"), R("a"), 0.0], inputs={"c": c, "a": g.randn(3, 4)}, exact=True)
    case(grp, "where/transposed", "where", [R("c", ["t"]), R("a", ["t"]), R("b")],
         inputs={"c": g.randn(4, 3) > 0, "a": g.randn(4, 3), "b": g.randn(4)}, exact=True)
    case(grp, "where/nan_branch", "where", [R("c"), R("a"), R("b")],
         inputs={"c": B([True, False, True]), "a": T([1.0, NAN, INF]), "b": T([NAN, 2.0, 3.0])}, grad=False, exact=True)
    case(grp, "masked_fill/scalar", "masked_fill", [R("x"), R("m"), -1.5], inputs={"x": g.randn(3, 4), "m": c}, exact=True)
    case(grp, "masked_fill/bcast_mask", "masked_fill", [R("x"), R("m"), 2.0], inputs={"x": g.randn(2, 3, 4), "m": g.randn(4) > 0}, exact=True)
    case(grp, "masked_fill/inf", "masked_fill", [R("x"), R("m"), -INF], inputs={"x": g.randn(3, 4), "m": c}, exact=True)
    case(grp, "masked_fill/sliced", "masked_fill", [R("x", ["index", ["::2"]]), R("m"), 0.0], inputs={"x": g.randn(6, 4), "m": c}, exact=True)

    # comparisons, logic, predicates (bool outputs: exact)
    g = Gen("elementwise/cmp")
    a = T([[1.0, 2.0, NAN, INF], [-0.0, 0.0, -INF, 3.0], [5.0, -1.0, 2.0, NAN]])
    b = T([[1.0], [0.0], [NAN]])
    for op in ["gt", "ge", "lt", "le", "eq", "ne"]:
        case(grp, f"{op}/bcast_edge", op, [R("a"), R("b")], inputs={"a": a, "b": b}, exact=True)
        case(grp, f"{op}/scalar", op, [R("a"), 2.0], inputs={"a": a}, exact=True)
        case(grp, f"{op}/random_transposed", op, [R("a", ["t"]), R("b")], inputs={"a": g.randn(4, 3), "b": g.randn(3, 4)}, exact=True)
    for op in ["logical_and", "logical_or"]:
        case(grp, f"{op}/bool_bcast", op, [R("a"), R("b")], inputs={"a": B([[True, False, True]]), "b": B([[True], [False]])}, exact=True)
        case(grp, f"{op}/float", op, [R("a"), R("b")], inputs={"a": T([0.0, 1.5, NAN, -0.0]), "b": T([2.0, 0.0, 1.0, 1.0])}, exact=True)
    case(grp, "logical_not/bool", "logical_not", [R("a")], inputs={"a": B([True, False, True])}, exact=True)
    case(grp, "logical_not/float", "logical_not", [R("a")], inputs={"a": T([0.0, -0.0, 2.0, NAN, INF])}, exact=True)
    for op in ["isnan", "isfinite", "isinf"]:
        case(grp, f"{op}/edge", op, [R("a")], inputs={"a": T([0.0, -0.0, 1.0, NAN, INF, -INF, 3.4e38])}, exact=True)
        case(grp, f"{op}/sliced", op, [R("a", ["index", ["::2", "1:"]])], inputs={"a": a}, exact=True)


# ---- dtype promotion ------------------------------------------------------------------------------------------------

def dtypes():
    grp = "dtype"
    g = Gen(grp)
    i32 = torch.tensor([[1, -2, 3], [4, 5, -6]], dtype=torch.int32)
    case(grp, "add/int32_float32", "add", [R("a"), R("b")], inputs={"a": i32, "b": g.randn(2, 3)})
    case(grp, "add/int32_int_scalar", "add", [R("a"), 2], inputs={"a": i32}, exact=True)
    case(grp, "add/int32_float_scalar", "add", [R("a"), 2.5], inputs={"a": i32}, exact=True)
    case(grp, "add/float32_float64", "add", [R("a"), R("b")], inputs={"a": g.randn(2, 3), "b": g.randn(3, dtype=torch.float64)})
    case(grp, "mul/float64_scalar", "mul", [R("a"), 0.1], inputs={"a": g.randn(2, 3, dtype=torch.float64)})
    case(grp, "div/int32_int32", "div", [R("a"), R("b")], inputs={"a": i32, "b": torch.tensor([2, 4, -5], dtype=torch.int32)})
    case(grp, "div/int32_floor", "div", [R("a"), R("b")], {"rounding_mode": "floor"},
         inputs={"a": i32, "b": torch.tensor([2, 4, -5], dtype=torch.int32)}, exact=True)
    case(grp, "exp/int32", "exp", [R("a")], inputs={"a": i32})
    case(grp, "neg/int32", "neg", [R("a")], inputs={"a": i32}, exact=True)
    case(grp, "abs/int32", "abs", [R("a")], inputs={"a": i32}, exact=True)
    case(grp, "gt/int32_float", "gt", [R("a"), 2.5], inputs={"a": i32}, exact=True)
    case(grp, "eq/int32_float32", "eq", [R("a"), R("b")], inputs={"a": i32, "b": T([1.0, -2.0, 3.5])}, exact=True)
    case(grp, "sum/bool", "sum", [R("a")], inputs={"a": B([[True, False, True], [True, True, False]])}, exact=True,
         note="torch gives int64; spikeport int32")
    case(grp, "sum/int32_dim", "sum", [R("a"), 1], inputs={"a": i32}, exact=True, note="torch gives int64; spikeport int32")
    case(grp, "sum/float32_to_float64", "sum", [R("a"), 1], {"dtype": torch.float64}, inputs={"a": g.randn(2, 3)})
    case(grp, "mean/float64", "mean", [R("a"), 0], inputs={"a": g.randn(4, 3, dtype=torch.float64)})
    case(grp, "softmax/float64", "softmax", [R("a"), 1], inputs={"a": g.randn(2, 5, dtype=torch.float64)})
    case(grp, "matmul/float64", "matmul", [R("a"), R("b")], inputs={"a": g.randn(3, 4, dtype=torch.float64), "b": g.randn(4, 2, dtype=torch.float64)})
    case(grp, "cumsum/int32", "cumsum", [R("a"), 1], inputs={"a": i32}, exact=True, note="torch gives int64; spikeport int32")
    case(grp, "where/int32_float32", "where", [R("c"), R("a"), R("b")],
         inputs={"c": B([True, False, True]), "a": torch.tensor([1, 2, 3], dtype=torch.int32), "b": T([0.5, 1.5, 2.5])}, exact=True)
    case(grp, "to/float32_int32", "to", [R("a"), torch.int32], inputs={"a": T([1.7, -1.7, 0.0, 2.5, -0.5])}, exact=True)
    case(grp, "to/float32_bool", "to", [R("a"), torch.bool], inputs={"a": T([1.7, 0.0, -0.0, NAN, INF])}, exact=True)
    case(grp, "to/float32_float64", "to", [R("a"), torch.float64], inputs={"a": g.randn(5)}, exact=True)
    case(grp, "to/float64_float32", "to", [R("a"), torch.float32], inputs={"a": g.randn(5, dtype=torch.float64)}, exact=True)
    case(grp, "to/bool_float32", "to", [R("a"), torch.float32], inputs={"a": B([True, False])}, exact=True)
    case(grp, "maximum/int32", "maximum", [R("a"), R("b")], inputs={"a": i32, "b": torch.tensor([0, 0, 0], dtype=torch.int32)}, exact=True)
    case(grp, "cat/float32_float64", "cat", [[R("a"), R("b")], 0], inputs={"a": g.randn(2, 3), "b": g.randn(1, 3, dtype=torch.float64)})
    case(grp, "where/float32_float64", "where", [R("c"), R("a"), R("b")],
         inputs={"c": B([True, False, True]), "a": g.randn(3), "b": g.randn(3, dtype=torch.float64)})
    case(grp, "add/bool_bool", "add", [R("a"), R("b")], inputs={"a": B([True, True, False, False]), "b": B([True, False, True, False])}, exact=True)
    case(grp, "mul/bool_bool", "mul", [R("a"), R("b")], inputs={"a": B([True, True, False, False]), "b": B([True, False, True, False])}, exact=True)
    case(grp, "add/bool_int_scalar", "add", [R("a"), 2], inputs={"a": B([True, False])}, exact=True)
    case(grp, "sum/float64_keepdim", "sum", [R("a"), 0], {"keepdim": True}, inputs={"a": g.randn(3, 2, dtype=torch.float64)})
    case(grp, "argmax/int32", "argmax", [R("a"), 1], inputs={"a": i32}, exact=True)


# ---- reductions -----------------------------------------------------------------------------------------------------

def reductions():
    grp = "reduce"
    g = Gen(grp)
    x = g.randn(3, 4, 5)
    dim_variants = [
        ("all", [], {}),
        ("dim1", [1], {}),
        ("dim-1_keepdim", [-1], {"keepdim": True}),
        ("dims02", [[0, 2]], {}),
        ("dims12_keepdim", [[1, 2]], {"keepdim": True}),
        ("dims_all_keepdim", [[0, 1, 2]], {"keepdim": True}),
    ]
    for op in ["sum", "mean"]:
        for label, a, k in dim_variants:
            case(grp, f"{op}/{label}", op, [R("x")] + a, k, inputs={"x": x})
        case(grp, f"{op}/transposed", op, [R("x", ["transpose", 0, 2]), 1], inputs={"x": x})
    for op in ["var", "std"]:
        for label, a, k in dim_variants:
            case(grp, f"{op}/{label}", op, [R("x")] + a, k, inputs={"x": x})
            case(grp, f"{op}/{label}_biased", op, [R("x")] + a, dict(k, unbiased=False), inputs={"x": x})
        case(grp, f"{op}/sliced", op, [R("x", ["index", [":", "::2"]]), 1], inputs={"x": x})
    xt = g.randn(4, 6)
    case(grp, "var/constant_rows", "var", [R("x"), 1], inputs={"x": T([[2.0, 2.0, 2.0], [1.0, 2.0, 3.0]])})
    case(grp, "std/single_element_unbiased", "std", [R("x"), 1], inputs={"x": T([[2.0], [3.0]])}, grad=False,
         note="unbiased std of one element is NaN (0/0)")
    # max / min with values and indices, full reductions, ties
    for op in ["max", "min"]:
        case(grp, f"{op}/dim0", op, [R("x"), 0], inputs={"x": xt})
        case(grp, f"{op}/dim1_keepdim", op, [R("x"), 1], {"keepdim": True}, inputs={"x": xt})
        case(grp, f"{op}/dim-1_3d", op, [R("x"), -1], inputs={"x": x})
        case(grp, f"{op}/full", op, [R("x")], inputs={"x": xt})
        case(grp, f"{op}/transposed", op, [R("x", ["t"]), 1], inputs={"x": xt})
        case(grp, f"{op}/ties_dim", op, [R("x"), 1], inputs={"x": T([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 2.0], [-5.0, -5.0, 0.0, -5.0]])},
             note="ties: the index of the first occurrence gets the gradient")
        case(grp, f"{op}/ties_full", op, [R("x")], inputs={"x": T([[1.0, 3.0, 3.0], [3.0, -3.0, -3.0]])},
             note="ties: the full reduction shares the gradient evenly")
        case(grp, f"{op}/nan", op, [R("x"), 1], inputs={"x": T([[1.0, NAN, 3.0], [INF, 2.0, -INF], [-INF, -INF, -INF]])}, grad=False)
        case(grp, f"{op}/nan_full", op, [R("x")], inputs={"x": T([1.0, NAN, 3.0])}, grad=False)
    for op in ["amax", "amin"]:
        case(grp, f"{op}/dims", op, [R("x"), [0, 2]], inputs={"x": x})
        case(grp, f"{op}/ties_keepdim", op, [R("x"), 1], {"keepdim": True}, inputs={"x": T([[1.0, 3.0, 3.0], [-3.0, -3.0, 0.0]])})
    for op in ["argmax", "argmin"]:
        case(grp, f"{op}/full", op, [R("x")], inputs={"x": xt}, exact=True)
        case(grp, f"{op}/dim1", op, [R("x"), 1], inputs={"x": xt}, exact=True)
        case(grp, f"{op}/dim0_keepdim", op, [R("x"), 0], {"keepdim": True}, inputs={"x": x}, exact=True)
        case(grp, f"{op}/ties_nan", op, [R("x"), 1], inputs={"x": T([[1.0, 3.0, 3.0], [NAN, 2.0, NAN], [0.0, -0.0, 0.0]])}, exact=True)
    # prod (with zeros)
    case(grp, "prod/all", "prod", [R("x")], inputs={"x": g.uniform(0.5, 1.5, 3, 4)})
    case(grp, "prod/dim1", "prod", [R("x"), 1], inputs={"x": g.uniform(-2, 2, 3, 4)})
    case(grp, "prod/dim0_keepdim", "prod", [R("x"), 0], {"keepdim": True}, inputs={"x": g.uniform(-2, 2, 3, 4)})
    case(grp, "prod/one_zero", "prod", [R("x"), 1], inputs={"x": T([[2.0, 0.0, 3.0, -1.0], [1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 5.0, 1.0]])},
         note="rows with one and with two zeros")
    case(grp, "prod/all_one_zero", "prod", [R("x")], inputs={"x": T([[2.0, 0.5], [0.0, -3.0]])})
    case(grp, "prod/transposed", "prod", [R("x", ["t"]), 1], inputs={"x": g.uniform(-2, 2, 3, 4)})
    # norm
    for label, p in [("p1", 1), ("p2", 2), ("pinf", INF), ("fro", "fro"), ("p3", 3)]:
        case(grp, f"norm/{label}_all", "norm", [R("x"), p], inputs={"x": xt})
        if p != "fro":
            case(grp, f"norm/{label}_dim1", "norm", [R("x"), p, 1], inputs={"x": xt})
            case(grp, f"norm/{label}_dim0_keepdim", "norm", [R("x"), p, 0], {"keepdim": True}, inputs={"x": xt})
    case(grp, "norm/fro_dims", "norm", [R("x"), "fro", [1, 2]], inputs={"x": x})
    case(grp, "norm/p2_zero_row", "norm", [R("x"), 2, 1], inputs={"x": T([[0.0, 0.0, 0.0], [3.0, -4.0, 0.0]])},
         note="the gradient at a zero vector is 0")
    case(grp, "norm/p1_zeros", "norm", [R("x"), 1], inputs={"x": T([0.0, -2.0, 1.0, -0.0])})
    case(grp, "norm/pinf_ties", "norm", [R("x"), INF], inputs={"x": T([3.0, -3.0, 1.0, 2.0])}, note="ties share the gradient evenly")
    # logsumexp
    case(grp, "logsumexp/dim1", "logsumexp", [R("x"), 1], inputs={"x": xt})
    case(grp, "logsumexp/dims_keepdim", "logsumexp", [R("x"), [0, 2]], {"keepdim": True}, inputs={"x": x})
    case(grp, "logsumexp/large", "logsumexp", [R("x"), 0], inputs={"x": T([[100.0, -100.0], [101.0, -99.0], [99.0, -1e4]])})
    case(grp, "logsumexp/inf", "logsumexp", [R("x"), 1], inputs={"x": T([[-INF, -INF], [INF, 1.0], [-INF, 0.0]])}, grad=False)
    # cumsum
    case(grp, "cumsum/dim0", "cumsum", [R("x"), 0], inputs={"x": xt})
    case(grp, "cumsum/dim-1", "cumsum", [R("x"), -1], inputs={"x": x})
    case(grp, "cumsum/transposed", "cumsum", [R("x", ["t"]), 1], inputs={"x": xt})
    # empty tensors
    e = torch.zeros(0, 3)
    case(grp, "sum/empty_dim0", "sum", [R("x"), 0], inputs={"x": e}, exact=True)
    case(grp, "sum/empty_all", "sum", [R("x")], inputs={"x": e}, exact=True)
    case(grp, "mean/empty_dim0", "mean", [R("x"), 0], inputs={"x": e}, grad=False, note="mean of nothing is NaN")
    case(grp, "prod/empty_dim0", "prod", [R("x"), 0], inputs={"x": e}, exact=True)
    case(grp, "amax/empty_rows", "amax", [R("x"), 1], inputs={"x": e}, exact=True)
    case(grp, "cumsum/empty", "cumsum", [R("x"), 0], inputs={"x": e}, exact=True)
    case(grp, "logsumexp/empty_dim0", "logsumexp", [R("x"), 0], inputs={"x": e}, grad=False, note="log(0) = -inf")
    # softmax / log_softmax
    for op in ["softmax", "log_softmax"]:
        case(grp, f"{op}/dim1", op, [R("x"), 1], inputs={"x": xt})
        case(grp, f"{op}/dim0", op, [R("x"), 0], inputs={"x": xt})
        case(grp, f"{op}/dim1_3d", op, [R("x"), 1], inputs={"x": x})
        case(grp, f"{op}/transposed", op, [R("x", ["t"]), -1], inputs={"x": xt})
        case(grp, f"{op}/large", op, [R("x"), -1], inputs={"x": T([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]])})
        case(grp, f"{op}/neg_inf", op, [R("x"), -1], inputs={"x": T([[-INF, 0.0, 1.0], [2.0, -INF, -INF]])}, grad=False)


# ---- linear algebra -------------------------------------------------------------------------------------------------

def linalg():
    grp = "linalg"
    g = Gen(grp)
    mm_shapes = [
        ("1d_1d", [5], [5]),
        ("2d_2d", [3, 4], [4, 2]),
        ("1d_2d", [4], [4, 3]),
        ("2d_1d", [3, 4], [4]),
        ("3d_3d", [2, 3, 4], [2, 4, 5]),
        ("bcast_4d_3d", [2, 1, 3, 4], [5, 4, 2]),
        ("3d_2d", [2, 3, 4], [4, 5]),
        ("2d_3d", [3, 4], [2, 4, 5]),
        ("1d_3d", [4], [2, 4, 3]),
        ("3d_1d", [2, 3, 4], [4]),
        ("bcast_batch1", [1, 3, 4], [3, 4, 2]),
        ("k1", [3, 1], [1, 4]),
        ("larger", [17, 33], [33, 19]),
    ]
    for label, sa, sb in mm_shapes:
        case(grp, f"matmul/{label}", "matmul", [R("a"), R("b")], inputs={"a": g.randn(*sa), "b": g.randn(*sb)})
    case(grp, "matmul/transposed_operands", "matmul", [R("a", ["t"]), R("b", ["t"])], inputs={"a": g.randn(4, 3), "b": g.randn(5, 4)})
    case(grp, "matmul/sliced_operands", "matmul", [R("a", ["index", ["::2", ":"]]), R("b", ["index", [":", "1::2"]])],
         inputs={"a": g.randn(6, 4), "b": g.randn(4, 7)})
    case(grp, "matmul/expanded_3d", "matmul", [R("a", ["expand", [3, 2, 4]]), R("b")], inputs={"a": g.randn(1, 2, 4), "b": g.randn(3, 4, 2)})
    case(grp, "matmul/permuted_batch", "matmul", [R("a", ["permute", [1, 0, 2]]), R("b", ["transpose", 1, 2])],
         inputs={"a": g.randn(3, 2, 4), "b": g.randn(2, 5, 4)})
    case(grp, "mm/basic", "mm", [R("a"), R("b")], inputs={"a": g.randn(3, 5), "b": g.randn(5, 2)})
    case(grp, "mm/transposed", "mm", [R("a", ["t"]), R("b")], inputs={"a": g.randn(5, 3), "b": g.randn(5, 2)})
    case(grp, "bmm/basic", "bmm", [R("a"), R("b")], inputs={"a": g.randn(3, 2, 4), "b": g.randn(3, 4, 5)})
    case(grp, "bmm/transposed", "bmm", [R("a", ["transpose", 1, 2]), R("b")], inputs={"a": g.randn(3, 4, 2), "b": g.randn(3, 4, 5)})
    case(grp, "mv/basic", "mv", [R("a"), R("v")], inputs={"a": g.randn(3, 4), "v": g.randn(4)})
    case(grp, "mv/transposed", "mv", [R("a", ["t"]), R("v")], inputs={"a": g.randn(4, 3), "v": g.randn(4)})
    case(grp, "dot/basic", "dot", [R("a"), R("b")], inputs={"a": g.randn(6), "b": g.randn(6)})
    case(grp, "dot/strided", "dot", [R("a", ["index", ["::2"]]), R("b")], inputs={"a": g.randn(8), "b": g.randn(4)})
    case(grp, "outer/basic", "outer", [R("a"), R("b")], inputs={"a": g.randn(3), "b": g.randn(4)})
    case(grp, "matmul/empty_inner", "matmul", [R("a"), R("b")], inputs={"a": torch.zeros(2, 0), "b": torch.zeros(0, 3)}, exact=True)
    case(grp, "matmul/empty_rows", "matmul", [R("a"), R("b")], inputs={"a": torch.zeros(0, 4), "b": g.randn(4, 3)}, exact=True)
    case(grp, "matmul/inf_nan", "matmul", [R("a"), R("b")], inputs={"a": T([[1.0, INF], [NAN, 1.0], [1.0, 2.0]]), "b": T([[1.0, 2.0], [3.0, 4.0]])},
         grad=False)


# ---- joining and indexing -------------------------------------------------------------------------------------------

def joining():
    grp = "join"
    g = Gen(grp)
    case(grp, "cat/dim0", "cat", [[R("a"), R("b")], 0], inputs={"a": g.randn(2, 3), "b": g.randn(4, 3)}, exact=True)
    case(grp, "cat/dim1_three", "cat", [[R("a"), R("b"), R("c")], 1], inputs={"a": g.randn(2, 3), "b": g.randn(2, 1), "c": g.randn(2, 2)}, exact=True)
    case(grp, "cat/dim-1_3d_transposed", "cat", [[R("a", ["transpose", 0, 1]), R("b")], -1],
         inputs={"a": g.randn(3, 2, 4), "b": g.randn(2, 3, 2)}, exact=True)
    case(grp, "cat/same_tensor_twice", "cat", [[R("a"), R("a")], 0], inputs={"a": g.randn(2, 3)}, exact=True)
    case(grp, "stack/dim0", "stack", [[R("a"), R("b")]], inputs={"a": g.randn(2, 3), "b": g.randn(2, 3)}, exact=True)
    case(grp, "stack/dim2", "stack", [[R("a"), R("b"), R("c")], 2], inputs={"a": g.randn(2, 3), "b": g.randn(2, 3), "c": g.randn(2, 3)}, exact=True)
    case(grp, "stack/dim-1_sliced", "stack", [[R("a", ["index", ["::2"]]), R("b")], -1], inputs={"a": g.randn(4, 3), "b": g.randn(2, 3)}, exact=True)
    x = g.randn(5, 4)
    case(grp, "cat/with_empty", "cat", [[R("a"), R("e"), R("b")], 0], inputs={"a": g.randn(2, 3), "e": torch.zeros(0, 3), "b": g.randn(1, 3)}, exact=True)
    case(grp, "split/size2", "split", [R("x"), 2], inputs={"x": x}, exact=True)
    case(grp, "split/sections_dim1", "split", [R("x"), [1, 3], 1], inputs={"x": x}, exact=True)
    case(grp, "chunk/3", "chunk", [R("x"), 3], inputs={"x": x}, exact=True)
    case(grp, "chunk/dim1", "chunk", [R("x"), 2, 1], inputs={"x": x}, exact=True)
    case(grp, "unbind/dim0", "unbind", [R("x")], inputs={"x": g.randn(3, 2)}, exact=True)
    case(grp, "unbind/dim1", "unbind", [R("x"), 1], inputs={"x": g.randn(2, 3, 2)}, exact=True)
    case(grp, "index_select/dim0_repeats", "index_select", [R("x"), 0, R("i")], inputs={"x": x, "i": I([4, 0, 4, 2])}, exact=True)
    case(grp, "index_select/dim1", "index_select", [R("x"), 1, R("i")], inputs={"x": x, "i": I([3, 1])}, exact=True)
    case(grp, "index_select/transposed", "index_select", [R("x", ["t"]), 0, R("i")], inputs={"x": x, "i": I([1, 1, 0])}, exact=True)
    case(grp, "gather/dim1", "gather", [R("x"), 1, R("i")], inputs={"x": g.randn(3, 4), "i": I([[0, 3, 3], [1, 1, 0], [2, 0, 1]])}, exact=True)
    case(grp, "gather/dim0_smaller", "gather", [R("x"), 0, R("i")], inputs={"x": g.randn(3, 4), "i": I([[2, 0], [1, 2]])}, exact=True)
    case(grp, "gather/3d", "gather", [R("x"), 2, R("i")], inputs={"x": g.randn(2, 3, 4), "i": g.randint(0, 4, 2, 3, 5)}, exact=True)
    case(grp, "scatter/src", "scatter", [R("x"), 1, R("i"), R("s")],
         inputs={"x": g.randn(3, 5), "i": I([[0, 4, 2], [1, 0, 3], [4, 3, 2]]), "s": g.randn(3, 3)}, exact=True)
    case(grp, "scatter/dim0", "scatter", [R("x"), 0, R("i"), R("s")],
         inputs={"x": g.randn(3, 4), "i": I([[2, 0, 1, 1], [0, 1, 2, 0]]), "s": g.randn(2, 4)}, exact=True)
    case(grp, "scatter/value", "scatter", [R("x"), 1, R("i"), 7.5], inputs={"x": g.randn(2, 4), "i": I([[0, 3], [2, 1]])}, exact=True)
    case(grp, "scatter/larger_src", "scatter", [R("x"), 1, R("i"), R("s")],
         inputs={"x": g.randn(2, 4), "i": I([[0, 3], [2, 1]]), "s": g.randn(3, 5)}, exact=True, wrt=["x"],
         note="only src's leading index-shaped block is read; torch 1.13 cannot differentiate w.r.t. such a src")
    case(grp, "scatter_add/dups", "scatter_add", [R("x"), 1, R("i"), R("s")],
         inputs={"x": g.randn(3, 5), "i": I([[0, 0, 2, 4], [1, 1, 1, 0], [3, 4, 3, 4]]), "s": g.randn(3, 4)})
    case(grp, "scatter_add/dim0", "scatter_add", [R("x"), 0, R("i"), R("s")],
         inputs={"x": g.randn(3, 2), "i": I([[0, 2], [0, 2], [1, 1], [2, 0]]), "s": g.randn(4, 2)})
    case(grp, "nonzero/2d", "nonzero", [R("x")], inputs={"x": T([[0.0, 1.0, 0.0], [NAN, -0.0, 2.0]])}, exact=True)
    case(grp, "nonzero/bool_3d", "nonzero", [R("x")], inputs={"x": g.randn(2, 3, 2) > 0.3}, exact=True)
    case(grp, "nonzero/transposed", "nonzero", [R("x", ["t"])], inputs={"x": T([[0.0, 1.0, 0.0], [3.0, 0.0, 2.0]])}, exact=True)
    case(grp, "nonzero/empty", "nonzero", [R("x")], inputs={"x": torch.zeros(2, 3)}, exact=True)
    case(grp, "one_hot/inferred", "one_hot", [R("i")], inputs={"i": I([0, 3, 1, 1])}, exact=True)
    case(grp, "one_hot/num_classes", "one_hot", [R("i"), 5], inputs={"i": I([[0, 4], [2, 1]])}, exact=True)
    case(grp, "masked_select/bcast", "masked_select", [R("x"), R("m")], inputs={"x": g.randn(3, 4), "m": g.randn(4) > 0}, exact=True)


# ---- views ----------------------------------------------------------------------------------------------------------

def views():
    grp = "view"
    g = Gen(grp)
    x = g.randn(2, 3, 4)
    case(grp, "reshape/flat", "reshape", [R("x"), [-1]], inputs={"x": x}, exact=True)
    case(grp, "reshape/infer", "reshape", [R("x"), [4, -1]], inputs={"x": x}, exact=True)
    case(grp, "reshape/noncontiguous", "reshape", [R("x", ["transpose", 0, 2]), [6, 4]], inputs={"x": x}, exact=True)
    case(grp, "view/basic", "view", [R("x"), [6, 4]], inputs={"x": x}, exact=True)
    case(grp, "permute/201", "permute", [R("x"), [2, 0, 1]], inputs={"x": x}, exact=True)
    case(grp, "permute/negative", "permute", [R("x"), [-1, -3, -2]], inputs={"x": x}, exact=True)
    case(grp, "transpose/02", "transpose", [R("x"), 0, 2], inputs={"x": x}, exact=True)
    case(grp, "t/2d", "t", [R("x")], inputs={"x": g.randn(3, 5)}, exact=True)
    case(grp, "narrow/dim1", "narrow", [R("x"), 1, 1, 2], inputs={"x": x}, exact=True)
    case(grp, "narrow/negative_start", "narrow", [R("x"), -1, -3, 2], inputs={"x": x}, exact=True)
    case(grp, "select/dim0", "select", [R("x"), 0, 1], inputs={"x": x}, exact=True)
    case(grp, "select/negative", "select", [R("x"), -1, -2], inputs={"x": x}, exact=True)
    case(grp, "index/step_slices", "index", [R("x"), [":", "::2", "1::2"]], inputs={"x": x}, exact=True)
    case(grp, "index/int_and_slice", "index", [R("x"), [1, "0:2"]], inputs={"x": x}, exact=True)
    case(grp, "index/ellipsis_newaxis", "index", [R("x"), ["...", None, "1:3"]], inputs={"x": x}, exact=True)
    case(grp, "index/negative_bounds", "index", [R("x"), ["-1:", "-2:", "1:-1"]], inputs={"x": x}, exact=True)
    case(grp, "index/step_beyond", "index", [R("x"), [":", "::5", "3:100:3"]], inputs={"x": x}, exact=True)
    case(grp, "expand/leading", "expand", [R("x"), [2, 3, 4]], inputs={"x": g.randn(3, 1)}, exact=True)
    case(grp, "expand/minus_one", "expand", [R("x"), [2, -1, 5]], inputs={"x": g.randn(1, 4, 1)}, exact=True)
    case(grp, "unsqueeze/dim1", "unsqueeze", [R("x"), 1], inputs={"x": x}, exact=True)
    case(grp, "unsqueeze/last", "unsqueeze", [R("x"), -1], inputs={"x": x}, exact=True)
    y = g.randn(1, 3, 1, 2)
    case(grp, "squeeze/all", "squeeze", [R("y")], inputs={"y": y}, exact=True)
    case(grp, "squeeze/dim2", "squeeze", [R("y"), 2], inputs={"y": y}, exact=True)
    case(grp, "squeeze/non_unit_dim", "squeeze", [R("y"), 1], inputs={"y": y}, exact=True)
    case(grp, "flatten/all", "flatten", [R("x")], inputs={"x": x}, exact=True)
    case(grp, "flatten/1_2", "flatten", [R("x"), 1, 2], inputs={"x": x}, exact=True)
    case(grp, "flatten/transposed", "flatten", [R("x", ["transpose", 1, 2]), 0, 1], inputs={"x": x}, exact=True)
    case(grp, "unflatten/dim1", "unflatten", [R("x"), 2, [2, 2]], inputs={"x": x}, exact=True)
    case(grp, "unflatten/infer", "unflatten", [R("x"), 0, [1, -1]], inputs={"x": x}, exact=True)
    case(grp, "repeat/2d", "repeat", [R("x"), [2, 1, 3]], inputs={"x": g.randn(2, 3)}, exact=True)
    case(grp, "clone/transposed", "clone", [R("x", ["t"])], inputs={"x": g.randn(2, 3)}, exact=True)
    case(grp, "contiguous/sliced", "contiguous", [R("x", ["index", ["::2", "1:"]])], inputs={"x": g.randn(4, 3)}, exact=True)
    case(grp, "chain/transpose_step_reshape_expand", "prog_view_chain", [R("x")], inputs={"x": g.randn(4, 5)}, exact=True)
    case(grp, "chain/permute_flatten_narrow_t_select", "prog_view_chain2", [R("x")], inputs={"x": g.randn(2, 3, 4)}, exact=True)
    case(grp, "chain/reuse_views", "prog_view_reuse", [R("x")], inputs={"x": g.randn(3, 3)})


# ---- in-place ops inside a graph ------------------------------------------------------------------------------------

def inplace():
    grp = "inplace"
    g = Gen(grp)
    case(grp, "add_mul", "prog_add_mul", [R("x"), R("z")], inputs={"x": g.randn(3, 4), "z": g.randn(3, 4)},
         note="y = x*2; y.add_(1); y.mul_(z)")
    case(grp, "add_mul_bcast", "prog_add_mul", [R("x"), R("z")], inputs={"x": g.randn(3, 4), "z": g.randn(4)},
         note="y = x*2; y.add_(1); y.mul_(z) with z broadcast")
    case(grp, "sub_div", "prog_sub_div", [R("x"), R("z"), R("p")], inputs={"x": g.randn(3, 4), "z": g.randn(3, 4), "p": g.uniform(0.5, 2, 3, 4)},
         note="y = x*1.5; y.sub_(z, alpha=2); y.div_(p)")
    case(grp, "mul_relu", "prog_mul_relu", [R("x"), R("z")], inputs={"x": g.randn(3, 4), "z": g.randn(3, 4)}, note="y = x+0; y.mul_(z); y.relu_()")
    case(grp, "clamp_pow", "prog_clamp_pow", [R("x")], inputs={"x": g.randn(3, 4)}, note="y = x.clone(); y.clamp_(-0.5, 0.5); y.pow_(2)")
    case(grp, "masked_fill_exp", "prog_masked_fill_exp", [R("x"), R("m")], inputs={"x": g.randn(3, 4), "m": g.randn(3, 4) > 0},
         note="y = x*1; y.masked_fill_(m, 0); y.exp_()")
    case(grp, "copy", "prog_copy", [R("x"), R("z")], inputs={"x": g.randn(3, 4), "z": g.randn(4)}, note="y = x*3; y.copy_(z); y + x")
    case(grp, "addcmul", "prog_addcmul", [R("x"), R("a"), R("b")], inputs={"x": g.randn(3, 4), "a": g.randn(3, 4), "b": g.randn(4)},
         note="y = x*1; y.addcmul_(a, b, value=0.5)")
    case(grp, "add_sigmoid", "prog_add_sigmoid", [R("x")], inputs={"x": g.randn(3, 4)}, note="y = x.clone(); y.add_(1); y.sigmoid_()")
    case(grp, "add_sqrt", "prog_add_sqrt", [R("x")], inputs={"x": g.uniform(0.2, 2, 3, 4)}, note="y = x*2; y.add_(0.5); y.sqrt_()")
    case(grp, "two_outputs", "prog_two_outputs", [R("x"), R("z")], inputs={"x": g.randn(3, 4), "z": g.randn(3, 4)},
         note="y = x*z; u = y.clone(); y.add_(x); outputs [y, u]")


def main():
    elementwise()
    dtypes()
    reductions()
    linalg()
    joining()
    views()
    inplace()
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for group, cases in GROUPS.items():
        cases.sort(key=lambda c: c["name"])
        doc = {
            "format": "spikeport op-parity fixture v1 (see compat/record_ops.py)",
            "library": "torch",
            "version": torch.__version__,
            "recorder": "compat/record_ops.py",
            "cases": cases,
        }
        dump(doc, os.path.join(OUT_DIR, f"{group}.json"))
        total += len(cases)
    size = sum(os.path.getsize(os.path.join(OUT_DIR, f)) for f in os.listdir(OUT_DIR))
    print(f"{total} cases in {len(GROUPS)} files, {size} bytes under {os.path.relpath(OUT_DIR, ROOT)}")


if __name__ == "__main__":
    main()
