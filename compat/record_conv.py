"""Records PyTorch reference fixtures for spikeport's convolution, pooling and normalisation ops and modules.

Runs the real torch (Debian's python3-torch 1.13, single thread) and writes fixtures/torch/conv/*.json:

  conv.json  F.conv1d / F.conv2d: forward and the gradients (input, weight, bias) of the weighted-sum loss
             sum(output * gout) over stride / padding (ints, tuples, 'same', 'valid') / dilation / groups
             (depthwise too) / no bias / unbatched combinations
  pool.json  F.max_pool1d/2d (ceil_mode edge cases, padding, dilation, return_indices, NaN, ties),
             F.avg_pool1d/2d (count_include_pad, ceil_mode, divisor_override), F.adaptive_avg_pool2d
  norm.json  nn.BatchNorm1d/2d trained for 3 steps then evaluated (outputs, grads, running stats,
             num_batches_tracked; momentum 0.1 and None, affine=False, track_running_stats=False),
             nn.LayerNorm, nn.GroupNorm (with random affine parameters)
  init.json  torch.manual_seed(s) then the default initialisation of Conv1d / Conv2d / BatchNorm (bit-exact),
             and str(module) of every module configuration used by the tests

Usage:  /usr/bin/python3 compat/record_conv.py [outdir]     (default fixtures/torch/conv)
Every case seeds torch itself and json is written with sorted keys, so reruns give identical files.
"""
import math
import os
import sys
import warnings
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import encode, dump  # noqa: E402

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
warnings.filterwarnings("ignore", message="Using padding=.same. with even kernel")

HEADER = {
    "library": "torch",
    "version": torch.__version__,
    "recorder": "compat/record_conv.py",
    "threads": 1,
    "loss": "sum(output * gout): the gradients recorded are those of this weighted sum",
}


def enc(t):
    if t is None:
        return None
    e = encode(t)
    if t.dim() == 0:
        e["shape"] = []  # tensorjson.encode's np.ascontiguousarray turns 0-d into shape [1]
    return e


def randn(seed, *shape):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=torch.float32)


# ---- conv ---------------------------------------------------------------------------------------------------------------


def conv_case(name, dim, x_shape, w_shape, bias=True, seed=0, **kwargs):
    x = randn(seed, *x_shape).requires_grad_(True)
    fan_in = math.prod(w_shape[1:])  # weights at the scale of PyTorch's default init, so outputs are O(1)
    w = (randn(seed + 1, *w_shape) / math.sqrt(fan_in)).requires_grad_(True)
    b = randn(seed + 2, w_shape[0]).requires_grad_(True) if bias else None
    fn = F.conv1d if dim == 1 else F.conv2d
    y = fn(x, w, b, **kwargs)
    # loss weights at the scale of a mean loss over batch and positions, so that weight gradients are O(1)
    gout = randn(seed + 3, *y.shape) / math.sqrt(y.shape[0] * math.prod(y.shape[2:]) if x.dim() == dim + 2 else math.prod(y.shape[1:]))
    (y * gout).sum().backward()
    # the exact results (float64 arithmetic on the same float32 values), to show where torch's own float32 rounding lies
    xd, wd = x.detach().double().requires_grad_(True), w.detach().double().requires_grad_(True)
    bd = b.detach().double().requires_grad_(True) if b is not None else None
    exact = fn(xd, wd, bd, **kwargs)
    (exact * gout.double()).sum().backward()
    args = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()}
    return {
        "name": name, "fn": fn.__name__, "args": args,
        "input": enc(x), "weight": enc(w), "bias": enc(b), "gout": enc(gout), "output": enc(y),
        "grad_input": enc(x.grad), "grad_weight": enc(w.grad), "grad_bias": enc(b.grad if b is not None else None),
        "float64": {"output": enc(exact), "grad_input": enc(xd.grad), "grad_weight": enc(wd.grad), "grad_bias": enc(bd.grad if bd is not None else None)},
    }


def record_conv():
    C = []
    c2 = lambda name, xs, ws, **kw: C.append(conv_case(name, 2, xs, ws, seed=len(C) * 10, **kw))
    c1 = lambda name, xs, ws, **kw: C.append(conv_case(name, 1, xs, ws, seed=len(C) * 10, **kw))
    c2("basic 3x3", (2, 3, 7, 6), (4, 3, 3, 3))
    c2("padding 1", (2, 3, 7, 6), (4, 3, 3, 3), padding=1)
    c2("stride 2", (2, 3, 9, 8), (4, 3, 3, 3), stride=2)
    c2("stride (2,1) padding (1,0)", (2, 3, 9, 8), (4, 3, 3, 3), stride=(2, 1), padding=(1, 0))
    c2("stride 3 padding 2 (windows past the end)", (2, 2, 8, 7), (3, 2, 3, 3), stride=3, padding=2)
    c2("dilation 2", (2, 3, 9, 9), (4, 3, 3, 3), dilation=2)
    c2("dilation (2,1) padding (2,1)", (2, 3, 8, 7), (4, 3, 3, 3), dilation=(2, 1), padding=(2, 1))
    c2("all options", (2, 4, 9, 8), (6, 2, 3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)
    c2("groups 2", (2, 4, 6, 6), (6, 2, 3, 3), groups=2, padding=1)
    c2("depthwise", (2, 4, 6, 6), (4, 1, 3, 3), groups=4, padding=1)
    c2("depthwise multiplier 2", (2, 3, 6, 5), (6, 1, 3, 3), groups=3)
    c2("no bias", (2, 3, 6, 6), (4, 3, 3, 3), bias=False, padding=1)
    c2("same odd kernel", (2, 3, 6, 7), (4, 3, 3, 3), padding="same")
    c2("same even kernel (extra right/bottom)", (2, 3, 6, 7), (4, 3, 4, 2), padding="same")
    c2("same with dilation", (2, 3, 7, 6), (4, 3, 2, 3), padding="same", dilation=(3, 2))
    c2("valid", (2, 3, 6, 7), (4, 3, 3, 2), padding="valid")
    c2("pointwise 1x1", (2, 5, 4, 3), (6, 5, 1, 1))
    c2("pointwise 1x1 groups", (2, 6, 4, 3), (4, 3, 1, 1), groups=2)
    c2("1x1 stride 2", (2, 3, 5, 5), (4, 3, 1, 1), stride=2)
    c2("1x1 padding 1", (2, 3, 3, 3), (2, 3, 1, 1), padding=1)
    c2("rectangular kernel", (2, 2, 5, 8), (3, 2, 2, 4), padding=(1, 1))
    c2("kernel equals input", (2, 3, 4, 4), (5, 3, 4, 4))
    c2("unbatched", (3, 6, 5), (4, 3, 3, 3), padding=1)
    c2("unbatched same", (3, 6, 5), (4, 3, 2, 2), padding="same")
    c2("batch of 1", (1, 3, 6, 6), (4, 3, 3, 3), stride=2, padding=1)
    c2("many images, small maps (blocked gemm)", (9, 3, 4, 4), (5, 3, 3, 3), padding=1)
    c2("larger (packed gemm path)", (3, 8, 12, 12), (16, 8, 3, 3), padding=1)
    c2("snn layer 2 shape, small batch", (2, 32, 14, 14), (32, 32, 3, 3), padding=1)
    c1("conv1d basic", (2, 3, 10), (4, 3, 3))
    c1("conv1d stride padding", (2, 3, 11), (4, 3, 3), stride=2, padding=1)
    c1("conv1d dilation", (2, 3, 12), (4, 3, 3), dilation=3, padding=2)
    c1("conv1d groups", (2, 4, 9), (6, 2, 3), groups=2)
    c1("conv1d depthwise", (2, 4, 9), (4, 1, 5), groups=4, padding=2)
    c1("conv1d same even kernel", (2, 3, 9), (4, 3, 4), padding="same")
    c1("conv1d same dilation", (2, 3, 9), (4, 3, 3), padding="same", dilation=2)
    c1("conv1d valid", (2, 3, 9), (4, 3, 4), padding="valid")
    c1("conv1d no bias", (2, 3, 9), (4, 3, 3), bias=False)
    c1("conv1d unbatched", (3, 9), (4, 3, 3), padding=1)
    c1("conv1d tuple args", (2, 3, 12), (4, 3, 3), stride=(2,), padding=(1,), dilation=(2,))
    return {**HEADER, "tolerances": {"output": {"atol": 1e-5}, "grads": {"rtol": 1e-5, "atol": 1e-5}}, "cases": C}


# ---- pooling --------------------------------------------------------------------------------------------------------------


def pool_case(name, fn, x, *args, **kwargs):
    x = x.clone().requires_grad_(True)
    r = fn(x, *args, **kwargs)
    y, idx = (r if isinstance(r, tuple) else (r, None))
    gout = randn(zlib.crc32(name.encode()) % 100000, *y.shape)
    (y * gout).sum().backward()
    return {
        "name": name, "fn": fn.__name__, "args": list(args), "kwargs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()},
        "input": enc(x), "gout": enc(gout), "output": enc(y), "indices": enc(idx), "grad_input": enc(x.grad),
    }


def record_pool():
    C = []
    torch.manual_seed(0)
    x4 = randn(1, 2, 3, 7, 8)
    x5 = randn(2, 2, 2, 5, 5)
    ties = torch.round(randn(3, 2, 2, 6, 6))
    nan = randn(4, 1, 2, 6, 6)
    nan[0, 0, 1, 1] = float("nan")
    nan[0, 1, 4, 4] = float("nan")
    nan[0, 1, 4, 5] = float("nan")
    ninf = torch.full((1, 1, 4, 4), float("-inf"))
    ninf[0, 0, 3, 3] = 1.0
    x3 = randn(5, 3, 6, 7)
    l3 = randn(6, 2, 3, 11)
    mp2, mp1 = F.max_pool2d, F.max_pool1d
    C.append(pool_case("max2d k2", mp2, x4, 2))
    C.append(pool_case("max2d k3 s2", mp2, x4, 3, 2))
    C.append(pool_case("max2d k3 s2 p1", mp2, x4, 3, 2, 1))
    C.append(pool_case("max2d k(2,3) s(1,2) p(1,1)", mp2, x4, (2, 3), (1, 2), (1, 1)))
    C.append(pool_case("max2d dilation 2", mp2, x4, 2, stride=1, dilation=2))
    C.append(pool_case("max2d dilation (2,3) padding 1", mp2, x4, 3, stride=2, padding=1, dilation=(2, 3)))
    C.append(pool_case("max2d ceil_mode", mp2, x5, 2, ceil_mode=True))
    C.append(pool_case("max2d ceil_mode last window starts in padding is dropped", mp2, x5, 2, 2, 1, ceil_mode=True))
    C.append(pool_case("max2d ceil_mode k3 s2", mp2, x4, 3, 2, ceil_mode=True))
    C.append(pool_case("max2d ceil_mode stride 3 p1", mp2, x4, 3, 3, 1, ceil_mode=True))
    C.append(pool_case("max2d return_indices", mp2, x4, 3, 2, 1, return_indices=True))
    C.append(pool_case("max2d ties", mp2, ties, 2, 1, return_indices=True))
    C.append(pool_case("max2d nan", mp2, nan, 2, return_indices=True))
    C.append(pool_case("max2d nan overlapping", mp2, nan, 3, 1, 1))
    C.append(pool_case("max2d -inf", mp2, ninf, 2, 1, 1, return_indices=True))
    C.append(pool_case("max2d unbatched", mp2, x3, 2, return_indices=True))
    C.append(pool_case("max1d k2", mp1, l3, 2))
    C.append(pool_case("max1d k3 s2 p1", mp1, l3, 3, 2, 1))
    C.append(pool_case("max1d dilation ceil", mp1, l3, 3, 2, 1, 2, True))
    C.append(pool_case("max1d ceil dropped window", mp1, randn(7, 1, 2, 5), 2, 2, 1, ceil_mode=True))
    C.append(pool_case("max1d return_indices", mp1, l3, 3, 2, return_indices=True))
    C.append(pool_case("max1d unbatched", mp1, randn(8, 3, 9), 2, return_indices=True))
    ap2, ap1 = F.avg_pool2d, F.avg_pool1d
    C.append(pool_case("avg2d k2", ap2, x4, 2))
    C.append(pool_case("avg2d k3 s2 p1", ap2, x4, 3, 2, 1))
    C.append(pool_case("avg2d k3 s2 p1 exclude pad", ap2, x4, 3, 2, 1, count_include_pad=False))
    C.append(pool_case("avg2d ceil_mode", ap2, x5, 2, ceil_mode=True))
    C.append(pool_case("avg2d ceil_mode pad include", ap2, x4, 3, 2, 1, ceil_mode=True))
    C.append(pool_case("avg2d ceil_mode pad exclude", ap2, x4, 3, 2, 1, ceil_mode=True, count_include_pad=False))
    C.append(pool_case("avg2d ceil_mode dropped window", ap2, x5, 2, 2, 1, ceil_mode=True))
    C.append(pool_case("avg2d divisor_override", ap2, x4, 3, 2, 1, divisor_override=3))
    C.append(pool_case("avg2d divisor_override ceil", ap2, x5, 2, ceil_mode=True, divisor_override=2))
    C.append(pool_case("avg2d rect", ap2, x4, (2, 3), (1, 2), (1, 0)))
    C.append(pool_case("avg2d unbatched", ap2, x3, 2))
    C.append(pool_case("avg1d k2", ap1, l3, 2))
    C.append(pool_case("avg1d k3 s2 p1", ap1, l3, 3, 2, 1))
    C.append(pool_case("avg1d exclude pad ceil", ap1, l3, 3, 2, 1, True, False))
    C.append(pool_case("avg1d unbatched", ap1, randn(9, 3, 9), 3))
    aap = F.adaptive_avg_pool2d
    C.append(pool_case("adaptive 7x8 -> 3", aap, x4, 3))
    C.append(pool_case("adaptive 7x8 -> (4,5)", aap, x4, (4, 5)))
    C.append(pool_case("adaptive 7x8 -> (None,3)", aap, x4, (None, 3)))
    C.append(pool_case("adaptive -> 1", aap, x4, 1))
    C.append(pool_case("adaptive upsample 5x5 -> 7", aap, x5, 7))
    C.append(pool_case("adaptive unbatched", aap, x3, (4, 3)))
    return {**HEADER, "tolerances": {"output": {"atol": 1e-6}, "grad_input": {"rtol": 1e-5, "atol": 1e-6}, "indices": "exact"}, "cases": C}


# ---- normalisation ------------------------------------------------------------------------------------------------------------


def state(m):
    return {k: enc(v) for k, v in m.state_dict().items()}



def module_steps(name, make, shapes, eval_shape, seed, randomize=True):
    torch.manual_seed(seed)
    m = make()
    if randomize:  # affine parameters away from ones/zeros, so that their use is tested
        with torch.no_grad():
            for i, (n, p) in enumerate(m.named_parameters()):
                p.copy_(randn(seed + 100 + i, *p.shape) * 0.5 + 1.0 if n == "weight" else randn(seed + 100 + i, *p.shape) * 0.3)
    init = state(m)
    steps = []
    modes = [True] * len(shapes) + [False]
    for i, (train, shape) in enumerate(zip(modes, shapes + [eval_shape])):
        m.train(train)
        x = (randn(seed + 10 * i, *shape) * 2 + 0.5).requires_grad_(True)
        y = m(x)
        gout = randn(seed + 10 * i + 5, *y.shape)
        for p in m.parameters():
            p.grad = None
        (y * gout).sum().backward()
        steps.append({
            "training": train, "input": enc(x), "gout": enc(gout), "output": enc(y), "grad_input": enc(x.grad),
            "grads": {n: enc(p.grad) for n, p in m.named_parameters()},
            "state": state(m),
        })
    # json keys are sorted on disk: the state_dict order is kept in state_keys
    return {"name": name, "module": type(m).__name__, "repr": str(m), "init_state": init, "state_keys": list(m.state_dict().keys()), "steps": steps}


def record_norm():
    C = []
    s = lambda: len(C) * 1000 + 7
    four = [(4, 3, 5, 5)] * 3
    C.append(module_steps("BatchNorm2d", lambda: nn.BatchNorm2d(3), four, (4, 3, 5, 5), s()))
    C.append(module_steps("BatchNorm2d momentum None", lambda: nn.BatchNorm2d(3, momentum=None), four, (2, 3, 4, 6), s()))
    C.append(module_steps("BatchNorm2d momentum 0.3 eps 1e-3", lambda: nn.BatchNorm2d(3, eps=1e-3, momentum=0.3), four, (4, 3, 5, 5), s()))
    C.append(module_steps("BatchNorm2d affine False", lambda: nn.BatchNorm2d(3, affine=False), four, (4, 3, 5, 5), s()))
    C.append(module_steps("BatchNorm2d track_running_stats False", lambda: nn.BatchNorm2d(3, track_running_stats=False), four, (4, 3, 5, 5), s()))
    C.append(module_steps("BatchNorm2d default init", lambda: nn.BatchNorm2d(5), [(8, 5, 6, 6)] * 3, (3, 5, 6, 6), s(), randomize=False))
    C.append(module_steps("BatchNorm1d 2-D input", lambda: nn.BatchNorm1d(6), [(8, 6)] * 3, (5, 6), s()))
    C.append(module_steps("BatchNorm1d 3-D input", lambda: nn.BatchNorm1d(4), [(3, 4, 7)] * 3, (2, 4, 7), s()))
    C.append(module_steps("BatchNorm1d momentum None affine False", lambda: nn.BatchNorm1d(4, momentum=None, affine=False), [(3, 4, 7)] * 3, (2, 4, 7), s()))
    C.append(module_steps("LayerNorm last dim", lambda: nn.LayerNorm(6), [(3, 4, 6)], (2, 6), s()))
    C.append(module_steps("LayerNorm last two dims", lambda: nn.LayerNorm([4, 5], eps=1e-3), [(3, 4, 5)], (2, 3, 4, 5), s()))
    C.append(module_steps("LayerNorm no affine", lambda: nn.LayerNorm(7, elementwise_affine=False), [(5, 7)], (7,), s()))
    C.append(module_steps("GroupNorm 2 groups", lambda: nn.GroupNorm(2, 6), [(3, 6, 4, 5)], (2, 6, 3, 3), s()))
    C.append(module_steps("GroupNorm 1 group (layer-norm like)", lambda: nn.GroupNorm(1, 4), [(3, 4, 5)], (2, 4, 5), s()))
    C.append(module_steps("GroupNorm groups = channels (instance-norm like)", lambda: nn.GroupNorm(4, 4, eps=1e-3), [(3, 4, 3, 3)], (2, 4, 3, 3), s()))
    C.append(module_steps("GroupNorm no affine 2-D input", lambda: nn.GroupNorm(3, 6, affine=False), [(4, 6)], (3, 6), s()))
    return {**HEADER, "tolerances": {"output": {"atol": 1e-5}, "grads": {"rtol": 1e-5, "atol": 1e-5}, "state": {"atol": 1e-6}}, "cases": C}


# ---- default initialisation and reprs -------------------------------------------------------------------------------------------


def record_init():
    inits = []
    for seed, ctor, make in [
        (0, "Conv2d(3, 8, 3)", lambda: nn.Conv2d(3, 8, 3)),
        (1, "Conv2d(1, 32, 3, padding=1)", lambda: nn.Conv2d(1, 32, 3, padding=1)),
        (2, "Conv2d(32, 32, 3, padding=1, bias=False)", lambda: nn.Conv2d(32, 32, 3, padding=1, bias=False)),
        (3, "Conv2d(4, 8, (3, 2), stride=2, groups=2)", lambda: nn.Conv2d(4, 8, (3, 2), stride=2, groups=2)),
        (4, "Conv1d(4, 6, 5)", lambda: nn.Conv1d(4, 6, 5)),
        (5, "Conv1d(2, 4, 3, groups=2, bias=False)", lambda: nn.Conv1d(2, 4, 3, groups=2, bias=False)),
        (6, "BatchNorm2d(5)", lambda: nn.BatchNorm2d(5)),
        (7, "BatchNorm1d(3, affine=False)", lambda: nn.BatchNorm1d(3, affine=False)),
        (8, "conv, bn, conv in sequence", None),
    ]:
        torch.manual_seed(seed)
        if make is None:
            mods = [nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Conv2d(4, 2, 3)]
            inits.append({"seed": seed, "ctor": ctor, "states": [state(m) for m in mods], "state_keys": [list(m.state_dict().keys()) for m in mods], "after": encode(torch.rand(3))})
        else:
            m = make()
            inits.append({"seed": seed, "ctor": ctor, "states": [state(m)], "state_keys": [list(m.state_dict().keys())], "after": encode(torch.rand(3))})
    reprs = {}
    for expr in [
        "nn.Conv2d(1, 32, 3)", "nn.Conv2d(1, 32, 3, padding=1)", "nn.Conv2d(4, 8, (3, 2), stride=(2, 1), padding=(1, 0), dilation=2, groups=2, bias=False)",
        "nn.Conv2d(3, 3, 3, padding='same')", "nn.Conv2d(3, 3, 3, padding='valid')", "nn.Conv1d(4, 6, 5)", "nn.Conv1d(4, 6, 5, stride=2, padding=2, dilation=1, groups=2)",
        "nn.MaxPool2d(2)", "nn.MaxPool2d(2, 2)", "nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=2, ceil_mode=True)", "nn.MaxPool2d(3, return_indices=True)",
        "nn.MaxPool1d(3)", "nn.MaxPool1d(3, 2, 1, ceil_mode=True)",
        "nn.AvgPool2d(2)", "nn.AvgPool2d((3, 2), stride=1, padding=(1, 0), ceil_mode=True, count_include_pad=False, divisor_override=4)",
        "nn.AvgPool1d(3)", "nn.AvgPool1d(3, 2, 1)",
        "nn.AdaptiveAvgPool2d(1)", "nn.AdaptiveAvgPool2d((5, 7))", "nn.AdaptiveAvgPool2d((None, 7))",
        "nn.BatchNorm2d(32)", "nn.BatchNorm2d(3, eps=0.001, momentum=None, affine=False, track_running_stats=False)", "nn.BatchNorm1d(6, momentum=0.3)",
        "nn.LayerNorm(6)", "nn.LayerNorm([4, 5], eps=1e-3, elementwise_affine=False)", "nn.GroupNorm(2, 6)", "nn.GroupNorm(3, 6, eps=1e-6, affine=False)",
    ]:
        reprs[expr] = str(eval(expr))
    return {**HEADER, "init": inits, "reprs": reprs}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "torch", "conv")
    os.makedirs(out, exist_ok=True)
    for name, fn in [("conv", record_conv), ("pool", record_pool), ("norm", record_norm), ("init", record_init)]:
        dump(fn(), os.path.join(out, name + ".json"))
        print("wrote", os.path.join(out, name + ".json"))


if __name__ == "__main__":
    main()
