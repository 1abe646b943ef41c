#!/usr/bin/env python3
"""Record the fixtures of the spikingjelly functional/encoding port from the REAL spikingjelly 0.0.0.0.8.

    PYTHONPATH=/tmp/sj /usr/bin/python3 compat/record_spikingjelly_functional.py [outdir]

outdir defaults to fixtures/spikingjelly. spikingjelly 0.0.0.0.8 (commit c14d8ac93eed7d06a386edecdd31af5783176023) is
a `git archive … spikingjelly` of fangwei123456/spikingjelly extracted into a temporary directory on PYTHONPATH; its
code never enters this repository. The git blob sha1 of every upstream file used is checked before recording. Runs
with torch.set_num_threads(1) and deterministic algorithms; the output is byte-identical from run to run.

Written:
  functional/<function>_<case>.json   one call of a clock_driven.functional function (format below).
  encoding/<Class>_<case>.json        an encoder run step by step through compat/spikeport_recorder.py (the spikeport
                                      fixture format of fixtures/README.md): per-step outputs and memories.
  encoding/facts_0.0.0.0.8.json       reprs, errors and the PeriodicEncoder-after-reset behaviour.

Function-case format ("spikeport-sj-functional", version 1; tensors as in fixtures/README.md, "Tensors"):
  {"format", "version", "upstream", "environment", "function", "case", "description",
   "inputs":  [[name, value], ...]            positional/keyword arguments and anything the case set up (state_dicts as
                                              [[key, tensor], ...], loss weights "w"),
   "outputs": [{"name", "value", "tol"}, ...] results (and module state after the call) with their tolerance category,
   "grads":   [{"name", "value", "tol"}, ...] gradients of the stated loss (inputs named as in "inputs", parameters as
                                              "<module>.<param>"),
   "loss":    null or a string saying which loss the gradients are of,
   "error":   null or {"type", "message"}     the exception 0.0.0.0.8 raised (the case then documents a quirk),
   "tolerances": {category: tolerance}}
Values: tensors, JSON numbers/strings/bools/null, lists of values; non-finite floats as {"$float": ...}.
"""
import math
import os
import platform
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spikeport_recorder as R  # noqa: E402
import tensorjson  # noqa: E402

ROOT = os.path.dirname(HERE)
VERSION = "0.0.0.0.8"
BLOBS = {
    "spikingjelly/clock_driven/functional.py": "f6b80bfeeacc6a29bd2ded3a090bba22ddabefdf",
    "spikingjelly/clock_driven/encoding.py": "36c877696197205f59bcb7aa8fedb3c27dab1a9d",
    "spikingjelly/clock_driven/base.py": "0572576559c1034e1324ea16303e058bcf17d949",
    "spikingjelly/clock_driven/neuron.py": "72da7fc7c4137f175133232846a323c46bfe426b",
}
TOLERANCES = {
    "exact": {"kind": "exact"},
    "spikes": {"kind": "exact"},
    "indices": {"kind": "exact"},
    "masks": {"kind": "exact"},
    "forward": {"kind": "close", "atol": 1e-6, "rtol": 1e-6},
    "gradient": {"kind": "close", "atol": 1e-6, "rtol": 1e-5},
}


def check_release():
    R.check_spikingjelly_release("record_spikingjelly_functional.py", "0.0.0.0.8", "c14d8ac93eed7d06a386edecdd31af5783176023", BLOBS)

def upstream(files=("spikingjelly/clock_driven/functional.py",)):
    up = dict(R.SPIKINGJELLY_0_0_0_0_8)
    up["source_files"] = [[f, BLOBS[f]] for f in sorted(files)]
    return up


def environment():
    return {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__}


def val(v):
    if isinstance(v, torch.Tensor):
        return tensorjson.encode_tensor(v.detach())
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return tensorjson.encode_float(v)
    if isinstance(v, (list, tuple)):
        return [val(x) for x in v]
    raise TypeError(f"record_spikingjelly_functional.py: cannot encode {type(v)}")


def sd(module):
    return [[k, tensorjson.encode_tensor(t)] for k, t in module.state_dict().items()]


class Case:
    def __init__(self, function, case, description, files=("spikingjelly/clock_driven/functional.py",)):
        self.m = {"format": "spikeport-sj-functional", "version": 1, "upstream": upstream(files),
                  "environment": environment(), "function": function, "case": case, "description": description,
                  "inputs": [], "outputs": [], "grads": [], "loss": None, "error": None, "tolerances": TOLERANCES}

    def input(self, name, v):
        self.m["inputs"].append([name, v if name.startswith("state_dict:") else val(v)])
        return self

    def state(self, name, module):
        self.m["inputs"].append([f"state_dict:{name}", sd(module)])
        return self

    def output(self, name, v, tol):
        self.m["outputs"].append({"name": name, "value": val(v), "tol": tol})
        return self

    def grad(self, name, g):
        self.m["grads"].append({"name": name, "value": None if g is None else val(g), "tol": "gradient"})
        return self

    def error(self, e):
        self.m["error"] = {"type": type(e).__name__, "message": str(e)}
        return self

    def save(self, out):
        path = os.path.join(out, "functional", f"{self.m['function']}_{self.m['case']}.json")
        with open(path, "w") as fh:
            fh.write(tensorjson.dumps(self.m))
        return 1


def gen(seed):
    return torch.Generator().manual_seed(seed)


def weights(shape, seed):
    """Loss weights in [0.5, 1.5) so every output element gets a distinct nonzero weight."""
    return torch.rand(shape, generator=gen(seed)) + 0.5


# ---- functional ---------------------------------------------------------------------------------------------------------

def cases_reset_net(out):
    from spikingjelly.clock_driven import functional as Fn, neuron as N, encoding as E
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), N.LIFNode(), nn.Linear(4, 2), N.IFNode(v_reset=None), E.LatencyEncoder(4))
    x = torch.rand(3, 2, 3, generator=gen(1)) * 2
    c = Case("reset_net", "sequential", "Linear, LIFNode, Linear, IFNode(v_reset=None), LatencyEncoder(4) (fed the "
             "last spikes): 3 steps, then reset_net; memories of every MemoryModule after the steps and after reset",
             files=("spikingjelly/clock_driven/functional.py", "spikingjelly/clock_driven/neuron.py",
                    "spikingjelly/clock_driven/encoding.py", "spikingjelly/clock_driven/base.py"))
    c.state("net", net).input("x", x)
    with torch.no_grad():
        for t in range(3):
            net(x[t])
    mems = lambda: [[p, [[n, val(v)] for n, v in m.named_memories()]] for p, m in net.named_modules() if hasattr(m, "named_memories")]
    c.m["outputs"].append({"name": "memories_after_steps", "value": mems(), "tol": "forward"})
    Fn.reset_net(net)
    c.m["outputs"].append({"name": "memories_after_reset", "value": mems(), "tol": "forward"})
    return c.save(out)


def cases_spike_cluster(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0

    def one(case, desc, v, thr, T_in):
        c = Case("spike_cluster", case, desc).input("v", v).input("v_threshold", thr).input("T_in", T_in)
        try:
            N_o, kp, kn = Fn.spike_cluster(v, thr, T_in)
            c.output("N_o", N_o, "exact").output("k_positive", kp, "exact").output("k_negative", kn, "exact")
        except Exception as e:  # noqa: BLE001
            c.error(e)
        return c.save(out)

    v = torch.rand(12, 8, generator=gen(10)) * 1.6
    n += one("random_tin1", "random v [12, 8] in [0, 1.6), v_threshold 1.0, T_in 1", v, 1.0, 1)
    thr = torch.rand(8, generator=gen(11)) * 0.4 + 0.8
    n += one("random_tin2_tensor_threshold", "random v [12, 8], a per-neuron v_threshold tensor [8], T_in 2",
             torch.rand(12, 8, generator=gen(12)) * 1.6, thr, 2)
    # columns: the docstring's [1 0 1 1] (T_in 1), always firing, never firing, v equal to the global minimum and never
    # firing (the "case 2" correction), two far-apart clusters, a lone late spike, a cluster of three then a single spike
    cols = [
        [1.5, 0.2, 1.5, 1.5, 0.3, 0.4, 0.5, 0.6],
        [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9],
        [0.5, 0.4, 0.3, 0.6, 0.7, 0.2, 0.1, 0.9],
        [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0],
        [1.1, 0.3, 0.2, 0.1, 0.5, 0.6, 1.2, 0.4],
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.3],
        [1.1, 1.2, 0.9, 1.3, 0.2, 0.3, 0.4, 1.0],
    ]
    crafted = torch.tensor(cols, dtype=torch.float32).t().contiguous()
    n += one("crafted_tin1", "hand-made columns (dense clusters, always/never firing, v at the global minimum), T_in 1",
             crafted, 1.0, 1)
    n += one("crafted_tin3", "the same columns, T_in 3", crafted, 1.0, 3)
    n += one("float64_tin2", "random float64 v [9, 5], v_threshold 0.7, T_in 2",
             torch.rand(9, 5, generator=gen(13), dtype=torch.float64), 0.7, 2)
    n += one("all_zero", "v all zeros [5, 3], v_threshold 1.0: no spikes, every v equals v_min", torch.zeros(5, 3), 1.0, 1)
    n += one("T1_error", "T = 1: 0.0.0.0.8 indexes v[1] and raises (the port supports T = 1)",
             torch.tensor([[0.3, 1.2]]), 1.0, 1)
    return n


def cases_spike_similar_loss(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0
    spikes = (torch.rand(4, 3, 5, generator=gen(20)) > 0.6).float()
    spikes[3] = 0.0  # one sample without spikes: its norm is 0
    labels = torch.tensor([[1, 0, 0], [0, 1, 1], [1, 0, 1], [0, 0, 1]])
    combos = [("linear", ()), ("sigmoid", (0.5,)), ("gaussian", (2.0,)), ("polynomial", (2,))]
    for kernel, args in combos:
        for loss_type in ("mse", "l1", "bce"):
            if kernel == "polynomial" and loss_type == "bce":
                continue  # the polynomial kernel is unbounded: bce needs values in [0, 1]
            s = spikes.clone().requires_grad_(True)
            c = Case("spike_similar_loss", f"{kernel}_{loss_type}",
                     f"binary spikes [4, 3, 5] (sample 3 silent), multi-hot int64 labels [4, 3], kernel {kernel}{args}, "
                     f"loss {loss_type}; gradient of the loss w.r.t. spikes")
            c.input("spikes", spikes).input("labels", labels).input("kernel_type", kernel).input("loss_type", loss_type)
            c.input("args", list(args))
            L = Fn.spike_similar_loss(s, labels, kernel, loss_type, *args)
            L.backward()
            c.output("loss", L, "forward").grad("spikes", s.grad)
            c.m["loss"] = "the returned loss"
            n += c.save(out)
    # real-valued (smoothed) spikes, bool labels, keyword arguments only
    xs = torch.rand(5, 2, 4, generator=gen(21))
    lab = torch.rand(5, 4, generator=gen(22)) > 0.6
    for kernel, loss_type, args in (("linear", "mse", ()), ("gaussian", "bce", (1.5,)), ("sigmoid", "l1", (0.25,))):
        s = xs.clone().requires_grad_(True)
        c = Case("spike_similar_loss", f"smooth_{kernel}_{loss_type}",
                 f"real-valued spikes [5, 2, 4] in [0, 1), bool labels [5, 4], kernel {kernel}{args}, loss {loss_type}")
        c.input("spikes", xs).input("labels", lab).input("kernel_type", kernel).input("loss_type", loss_type).input("args", list(args))
        L = Fn.spike_similar_loss(s, lab, kernel, loss_type, *args)
        L.backward()
        c.output("loss", L, "forward").grad("spikes", s.grad)
        c.m["loss"] = "the returned loss"
        n += c.save(out)
    return n


def cases_kernel_dot_product(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0
    x0 = torch.randn(4, 6, generator=gen(30))
    y0 = torch.randn(4, 6, generator=gen(31))
    y3 = torch.randn(3, 6, generator=gen(32))
    x1 = torch.randn(1, 6, generator=gen(33))
    cases = [
        ("linear", "linear", x0, y0, ()),
        ("polynomial_d2", "polynomial", x0, y0, (2,)),
        ("polynomial_d3", "polynomial", x0, y0, (3,)),
        ("sigmoid", "sigmoid", x0, y0, (0.3,)),
        ("gaussian", "gaussian", x0, y0, (1.5,)),
        ("linear_4x3", "linear", x0, y3, ()),
        ("sigmoid_4x3", "sigmoid", x0, y3, (0.7,)),
        ("gaussian_1x3", "gaussian", x1, y3, (0.8,)),
        ("gaussian_3x1_quirk", "gaussian", y3, x1, (0.8,)),
    ]
    for case, kernel, x, y, args in cases:
        xr, yr = x.clone().requires_grad_(True), y.clone().requires_grad_(True)
        c = Case("kernel_dot_product", case, f"x {list(x.shape)}, y {list(y.shape)}, kernel {kernel}{args}; "
                 "gradients of sum(ret * w) w.r.t. x and y"
                 + ("; 0.0.0.0.8 returns [3, 3] here (each column the true column 0), the port returns [3, 1]"
                    if case.endswith("quirk") else ""))
        c.input("x", x).input("y", y).input("kernel", kernel).input("args", list(args))
        r = Fn.kernel_dot_product(xr, yr, kernel, *args)
        w = weights(r.shape, 34)
        (r * w).sum().backward()
        c.input("w", w).output("ret", r, "forward").grad("x", xr.grad).grad("y", yr.grad)
        c.m["loss"] = "sum(ret * w)"
        n += c.save(out)
    return n


def cases_set_threshold_margin(out):
    from spikingjelly.clock_driven import functional as Fn, neuron as N
    n = 0
    files = ("spikingjelly/clock_driven/functional.py", "spikingjelly/clock_driven/neuron.py")
    x = torch.rand(3, 4, generator=gen(40)) * 0.8 + 1.6  # one LIF step: v = x / 2 in [0.8, 1.2)
    for case, desc, label, kwargs, training in (
        ("train_int_labels", "training, int64 one-hot labels [3, 4] (F.one_hot), default thresholds",
         F.one_hot(torch.tensor([0, 3, 1]), 4), {}, True),
        ("train_float_labels_custom", "training, float32 one-hot labels, eval 0.8 / threshold0 0.95 / threshold1 1.05",
         F.one_hot(torch.tensor([2, 2, 0]), 4).float(), {"eval_threshold": 0.8, "threshold0": 0.95, "threshold1": 1.05}, True),
        ("eval", "eval mode: v_threshold becomes eval_threshold (a float)", F.one_hot(torch.tensor([1, 0, 2]), 4),
         {"eval_threshold": 0.9}, False),
    ):
        lif = N.LIFNode()
        lif.train(training)
        c = Case("set_threshold_margin", case, desc + "; then one LIFNode step on x", files=files)
        c.input("label_one_hot", label).input("training", training).input("x", x)
        for k, v in kwargs.items():
            c.input(k, v)
        Fn.set_threshold_margin(lif, label, **kwargs)
        c.output("v_threshold", lif.v_threshold, "forward")
        with torch.no_grad():
            s = lif(x)
        c.output("spike", s, "spikes").output("v", lif.v, "forward")
        n += c.save(out)
    return n


def cases_redundant_one_hot(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0
    for C, k, seed in ((3, 1, 50), (3, 2, 51), (3, 3, 52), (5, 4, 53)):
        labels = torch.randint(0, C, [6], generator=gen(seed))
        labels[0] = C - 1
        labels[1] = 0
        c = Case("redundant_one_hot", f"C{C}_n{k}", f"labels [6] in [0, {C}), num_classes {C}, n {k}")
        c.input("labels", labels).input("num_classes", C).input("n", k)
        c.output("codes", Fn.redundant_one_hot(labels, C, k), "exact")
        n += c.save(out)
    return n


def cases_first_spike_index(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0
    s3 = (torch.rand(2, 3, 8, generator=gen(60)) >= 0.7).float()
    s3[0, 0] = 0.0
    cases = [
        ("binary_3d", "binary spikes [2, 3, 8], one neuron silent", s3),
        ("binary_1d", "binary spikes [10]", (torch.rand(10, generator=gen(61)) >= 0.8).float()),
        ("no_spikes", "all zeros [3, 5]: no True anywhere", torch.zeros(3, 5)),
        ("int64", "int64 spikes [3, 6]", (torch.rand(3, 6, generator=gen(62)) >= 0.6).long()),
        ("bool", "bool spikes [2, 7]", torch.rand(2, 7, generator=gen(63)) >= 0.6),
        ("non_binary", "real values [2, 6]: where the running sum of running sums equals 1",
         torch.tensor([[0.5, 0.5, 0.25, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 2.0, 0.0, 1.0]])),
        ("scalar", "a 0-d tensor", torch.tensor(1.0)),
        ("float64", "float64 binary spikes [4, 5]", (torch.rand(4, 5, generator=gen(64), dtype=torch.float64) >= 0.5).double()),
    ]
    for case, desc, s in cases:
        c = Case("first_spike_index", case, desc).input("spikes", s)
        c.output("index", Fn.first_spike_index(s), "exact")
        n += c.save(out)
    return n


def cases_multi_step_forward(out):
    from spikingjelly.clock_driven import functional as Fn, neuron as N
    n = 0
    files = ("spikingjelly/clock_driven/functional.py", "spikingjelly/clock_driven/neuron.py")
    x_seq = torch.randn(4, 2, 3, generator=gen(70))

    def one(case, desc, build, as_tuple=False):
        torch.manual_seed(71)
        mods = build()
        c = Case("multi_step_forward", case, desc, files=files).input("x_seq", x_seq)
        holder = nn.ModuleList([m for m in mods if isinstance(m, nn.Module)]) if isinstance(mods, list) else nn.ModuleList([mods])
        c.state("modules", holder)
        arg = (tuple(mods) if as_tuple else mods)
        xr = x_seq.clone().requires_grad_(True)
        y = Fn.multi_step_forward(xr, arg)
        w = weights(y.shape, 72)
        (y * w).sum().backward()
        c.input("w", w).output("y_seq", y, "forward").grad("x_seq", xr.grad)
        for name, p in holder.named_parameters():
            c.grad(name, p.grad)
        c.m["loss"] = "sum(y_seq * w)"
        return c.save(out)

    n += one("linear", "one nn.Linear(3, 5) applied at every step", lambda: nn.Linear(3, 5))
    n += one("list_if", "[nn.Linear(3, 4), IFNode(), nn.Linear(4, 2)] (IFNode keeps its v across steps)",
             lambda: [nn.Linear(3, 4), N.IFNode(), nn.Linear(4, 2)])
    n += one("tuple_function", "(nn.Linear(3, 4), torch.tanh): a tuple holding a plain function",
             lambda: [nn.Linear(3, 4), torch.tanh], as_tuple=True)
    return n


def cases_seq_to_ann_forward(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0

    def one(case, desc, x_seq, build):
        torch.manual_seed(80)
        mods = build()
        holder = nn.ModuleList(mods if isinstance(mods, list) else [mods])
        c = Case("seq_to_ann_forward", case, desc).input("x_seq", x_seq).state("modules", holder)
        xr = x_seq.clone().requires_grad_(True)
        y = Fn.seq_to_ann_forward(xr, mods)
        w = weights(y.shape, 81)
        (y * w).sum().backward()
        c.input("w", w).output("y_seq", y, "forward").grad("x_seq", xr.grad)
        for name, p in holder.named_parameters():
            c.grad(name, p.grad)
        for name, b in holder.named_buffers():
            c.output(f"buffer:{name}", b, "forward" if b.is_floating_point() else "exact")
        c.m["loss"] = "sum(y_seq * w)"
        return c.save(out)

    n += one("conv", "nn.Conv2d(2, 3, 3, padding=1) on x_seq [3, 2, 2, 5, 5]", torch.randn(3, 2, 2, 5, 5, generator=gen(82)),
             lambda: nn.Conv2d(2, 3, 3, padding=1))
    n += one("conv_bn_list", "[nn.Conv2d(2, 3, 3, bias=False), nn.BatchNorm2d(3)] (training: batch statistics over "
             "T * N) on x_seq [3, 2, 2, 5, 5]; running statistics after", torch.randn(3, 2, 2, 5, 5, generator=gen(83)),
             lambda: [nn.Conv2d(2, 3, 3, bias=False), nn.BatchNorm2d(3)])
    n += one("linear", "nn.Linear(3, 5) on x_seq [4, 2, 3]", torch.randn(4, 2, 3, generator=gen(84)), lambda: nn.Linear(3, 5))
    return n


def make_convbn(seed, conv_kwargs, C, eps):
    torch.manual_seed(seed)
    conv = nn.Conv2d(**conv_kwargs)
    bn = nn.BatchNorm2d(C, eps=eps)
    g = gen(seed + 1)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(C, generator=g) + 0.5)
        bn.bias.copy_(torch.randn(C, generator=g))
        bn.running_mean.copy_(torch.randn(C, generator=g))
        bn.running_var.copy_(torch.rand(C, generator=g) + 0.5)
    return conv, bn


CONVS = {
    "k3x2": ({"in_channels": 3, "out_channels": 4, "kernel_size": (3, 2), "bias": False}, 4, 1e-3),
    "grouped": ({"in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 2, "padding": 1, "groups": 2,
                 "bias": False}, 6, 1e-5),
}


def cases_fuse(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0
    for cname, (kw, C, eps) in CONVS.items():
        for fname, f, grads in (("fused_conv2d_weight_of_convbn2d", Fn.fused_conv2d_weight_of_convbn2d, ("0.weight", "1.weight")),
                                ("fused_conv2d_bias_of_convbn2d", Fn.fused_conv2d_bias_of_convbn2d, ("1.weight", "1.bias"))):
            conv, bn = make_convbn(90, kw, C, eps)
            holder = nn.Sequential(conv, bn)
            c = Case(fname, cname, f"Conv2d({kw}) and BatchNorm2d({C}, eps={eps}) with random affine parameters and "
                     "running statistics; gradients of sum(ret * w)")
            c.input("conv_args", [[k, list(v) if isinstance(v, tuple) else v] for k, v in kw.items()]).input("eps", eps)
            c.state("modules", holder)
            r = f(conv, bn)
            w = weights(r.shape, 91)
            (r * w).sum().backward()
            c.input("w", w).output("ret", r, "forward")
            for name, p in holder.named_parameters():
                c.grad(name, p.grad)
            c.m["loss"] = "sum(ret * w)"
            n += c.save(out)
        # fuse_convbn2d: the fused module (a new nn.Conv2d, whose construction draws from the global RNG)
        conv, bn = make_convbn(92, kw, C, eps)
        holder = nn.Sequential(conv, bn)
        c = Case("fuse_convbn2d", cname, f"fuse_convbn2d(Conv2d({kw}), BatchNorm2d({C}, eps={eps})) after "
                 "torch.manual_seed(7); the fused weight and bias, torch.rand(5) drawn after it (the RNG the new Conv2d "
                 "consumed), the fused module on x and the eval-mode conv+bn on x")
        c.input("conv_args", [[k, list(v) if isinstance(v, tuple) else v] for k, v in kw.items()]).input("eps", eps)
        c.state("modules", holder)
        x = torch.randn(2, kw["in_channels"], 7, 6, generator=gen(93))
        c.input("x", x)
        torch.manual_seed(7)
        fused = Fn.fuse_convbn2d(conv, bn, k=2.0, b=1.0)  # k and b are accepted and ignored by 0.0.0.0.8
        c.output("rand_after", torch.rand(5), "exact")
        c.output("weight", fused.weight, "forward").output("bias", fused.bias, "forward")
        c.output("fused_requires_grad", bool(fused.weight.requires_grad and fused.bias.requires_grad), "exact")
        c.output("fused_repr", repr(fused), "exact")
        bn.eval()
        with torch.no_grad():
            c.output("y_fused", fused(x), "forward").output("y_conv_bn", bn(conv(x)), "forward")
        n += c.save(out)
    conv, bn = make_convbn(94, {"in_channels": 2, "out_channels": 3, "kernel_size": 3, "bias": True}, 3, 1e-5)
    c = Case("fused_conv2d_weight_of_convbn2d", "conv_bias_error", "a Conv2d with a bias: 0.0.0.0.8 asserts bias is None")
    try:
        Fn.fused_conv2d_weight_of_convbn2d(conv, bn)
    except AssertionError as e:
        c.error(e)
    n += c.save(out)
    return n


def cases_scale(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0
    kw, C, eps = CONVS["k3x2"]
    for case, k, b in (("k", 1.5, None), ("b", None, 0.25), ("k_b", 0.5, -0.125),
                       ("k_tensor", torch.tensor([0.5, 1.0, 2.0, -1.0]).reshape(4, 1, 1, 1), None)):
        conv, bn = make_convbn(95, kw, C, eps)
        c = Case("scale_fused_conv2d_weight_of_convbn2d", case, "scales conv2d.weight in place (k first, then adds b); "
                 "the fused weight after it is (weight * k + b) * gamma / sqrt(var + eps), not fused * k + b")
        c.input("conv_args", [[kk, list(v) if isinstance(v, tuple) else v] for kk, v in kw.items()]).input("eps", eps)
        c.state("modules", nn.Sequential(conv, bn)).input("k", k).input("b", b)
        r = Fn.scale_fused_conv2d_weight_of_convbn2d(conv, bn, k=k, b=b)
        c.output("returned", r, "exact").output("conv.weight", conv.weight, "forward")
        c.output("conv.weight.requires_grad", conv.weight.requires_grad, "exact")
        c.output("fused_weight_after", Fn.fused_conv2d_weight_of_convbn2d(conv, bn), "forward")
        n += c.save(out)
    for case, k, b in (("k", 2.0, None), ("b", None, -0.5), ("k_b", 0.75, 0.3), ("k_tensor", torch.tensor([1.0, -2.0, 0.5, 3.0]), None)):
        conv, bn = make_convbn(96, kw, C, eps)
        c = Case("scale_fused_conv2d_bias_of_convbn2d", case, "scales bn2d.bias and bn2d.running_mean by k, then adds b to "
                 "bn2d.bias: the fused bias becomes fused * k + b")
        c.input("conv_args", [[kk, list(v) if isinstance(v, tuple) else v] for kk, v in kw.items()]).input("eps", eps)
        c.state("modules", nn.Sequential(conv, bn)).input("k", k).input("b", b)
        fb = Fn.fused_conv2d_bias_of_convbn2d(conv, bn).detach()
        r = Fn.scale_fused_conv2d_bias_of_convbn2d(conv, bn, k=k, b=b)
        c.output("returned", r, "exact").output("bn.bias", bn.bias, "forward").output("bn.running_mean", bn.running_mean, "forward")
        c.output("fused_bias_before", fb, "forward").output("fused_bias_after", Fn.fused_conv2d_bias_of_convbn2d(conv, bn), "forward")
        n += c.save(out)
    return n


def cases_tet(out):
    from spikingjelly.clock_driven import functional as Fn
    n = 0
    for case, shape, tshape, seed in (("TNC", (4, 3, 5), (3,), 100), ("TNCL", (3, 2, 4, 5), (2, 5), 101),
                                      ("TNCHW", (2, 2, 3, 2, 2), (2, 2, 2), 102)):
        x = torch.randn(*shape, generator=gen(seed)) * 2
        C = shape[2]
        target = torch.randint(0, C, tshape, generator=gen(seed + 10))
        xr = x.clone().requires_grad_(True)
        c = Case("temporal_efficient_training_cross_entropy", case, f"x_seq {list(shape)}, int64 target {list(tshape)}; "
                 "gradient of the loss w.r.t. x_seq; loop_loss is the docstring's per-step loop")
        c.input("x_seq", x).input("target", target)
        L = Fn.temporal_efficient_training_cross_entropy(xr, target)
        L.backward()
        with torch.no_grad():
            loop = sum(F.cross_entropy(x[t], target) for t in range(shape[0])) / shape[0]
        c.output("loss", L, "forward").output("loop_loss", loop, "forward").grad("x_seq", xr.grad)
        c.m["loss"] = "the returned loss"
        n += c.save(out)
    return n


# ---- encoding -------------------------------------------------------------------------------------------------------------

def enc_upstream():
    up = dict(R.SPIKINGJELLY_0_0_0_0_8)
    return up


def record_encoder(out, case, build, x, steps, seed, description, reset=True):
    fx = R.record(build, [x] * steps, name=f"spikingjelly_encoding_{case}", description=description, seed=seed,
                  upstream=enc_upstream(), categories={"output": "spikes"}, reset=reset)
    R.save(fx, os.path.join(out, "encoding", case + ".json"))
    return 1


def cases_encoding(out):
    from spikingjelly.clock_driven import encoding as E
    n = 0
    x = torch.rand(4, 5, generator=gen(110))
    x[0, 0], x[0, 1], x[0, 2] = 0.0, 1.0, 0.5
    n += record_encoder(out, "PoissonEncoder_2d", lambda: E.PoissonEncoder(), x, 6, 11,
                        "PoissonEncoder on x [4, 5] in [0, 1] (0 and 1 included), 6 steps after torch.manual_seed(11): "
                        "spike = rand_like(x) <= x")
    n += record_encoder(out, "PoissonEncoder_1d", lambda: E.PoissonEncoder(), torch.rand(20, generator=gen(111)), 4, 12,
                        "PoissonEncoder on x [20], 4 steps after torch.manual_seed(12)")
    n += record_encoder(out, "PoissonEncoder_float64", lambda: E.PoissonEncoder(),
                        torch.rand(3, 4, generator=gen(112), dtype=torch.float64), 3, 13,
                        "PoissonEncoder on float64 x [3, 4] (53-bit uniforms), 3 steps after torch.manual_seed(13)")
    xl = torch.tensor([[0.0, 0.1, 0.3, 0.5, 0.7], [0.9, 1.0, 0.2, 0.6, 0.8]])
    n += record_encoder(out, "LatencyEncoder_linear_T6", lambda: E.LatencyEncoder(6), xl, 8, 0,
                        "LatencyEncoder(6) linear on x [2, 5] with exact .5 ties of (T - 1)(1 - x) (round half to "
                        "even), 8 steps (wraps after T)")
    n += record_encoder(out, "LatencyEncoder_linear_T4_3d", lambda: E.LatencyEncoder(4, 'linear'),
                        torch.rand(2, 3, 2, generator=gen(113)), 4, 0, "LatencyEncoder(4, 'linear') on x [2, 3, 2]")
    xg = torch.tensor([[0.0, 0.001, 0.01, 0.05, 0.1], [0.2, 0.4, 0.6, 0.8, 1.0]])
    n += record_encoder(out, "LatencyEncoder_log_T5", lambda: E.LatencyEncoder(5, enc_function='log'), xg, 5, 0,
                        "LatencyEncoder(5, enc_function='log') on x [2, 5]: t_f = round(T - 1 - ln(alpha x + 1))")
    n += record_encoder(out, "LatencyEncoder_log_T8", lambda: E.LatencyEncoder(8, 'log'), torch.rand(3, 4, generator=gen(114)), 9, 0,
                        "LatencyEncoder(8, 'log') on random x [3, 4], 9 steps")

    def wpe(T):
        e = E.WeightedPhaseEncoder(T)
        e.phase = T  # 0.0.0.0.8's encode reads self.phase, which nothing sets (facts: weighted_phase_error)
        return e

    xw = torch.tensor([[192 / 256, 1 / 256, 128 / 256, 255 / 256], [0.0, 85 / 256, 170 / 256, 17 / 256]])
    n += record_encoder(out, "WeightedPhaseEncoder_T8", lambda: wpe(8), xw, 8, 0,
                        "WeightedPhaseEncoder(8) on the paper's examples and more (phase set to T on the instance: "
                        "0.0.0.0.8 never sets it)")
    xw4 = torch.randint(0, 16, (3, 3), generator=gen(115)).float() / 16
    n += record_encoder(out, "WeightedPhaseEncoder_T4", lambda: wpe(4), xw4, 5, 0,
                        "WeightedPhaseEncoder(4) on multiples of 1/16 in [0, 15/16], 5 steps (wraps)")
    sp = (torch.rand(5, 2, 3, generator=gen(116)) > 0.5).float()
    n += record_encoder(out, "PeriodicEncoder_T5", lambda: E.PeriodicEncoder(sp), torch.zeros(2, 3), 7, 0,
                        "PeriodicEncoder(spike [5, 2, 3]), 7 steps (the input is ignored once spike is set); no "
                        "reset before the run (reset would clear spike)", reset=False)
    return n


def facts_encoding(out):
    from spikingjelly.clock_driven import encoding as E
    facts = {"upstream": upstream(("spikingjelly/clock_driven/encoding.py", "spikingjelly/clock_driven/base.py"))}
    sp = (torch.rand(3, 2, generator=gen(120)) > 0.5).float()
    facts["reprs"] = {"LatencyEncoder(5)": repr(E.LatencyEncoder(5)), "LatencyEncoder(3, 'log')": repr(E.LatencyEncoder(3, 'log')),
                      "PeriodicEncoder(spike [3, 2])": repr(E.PeriodicEncoder(sp)), "PoissonEncoder()": repr(E.PoissonEncoder()),
                      "WeightedPhaseEncoder(4)": repr(E.WeightedPhaseEncoder(4)), "StatelessEncoder()": repr(E.StatelessEncoder())}
    try:
        E.WeightedPhaseEncoder(4)(torch.tensor([0.5]))
        facts["weighted_phase_error"] = None
    except AttributeError as e:
        facts["weighted_phase_error"] = f"AttributeError: {e}"
    # PeriodicEncoder after reset(): spike is None again, so forward(x) encodes x (and forward() fails)
    p = E.PeriodicEncoder(sp)
    p(None)
    p(None)
    p.reset()
    facts["periodic_memories_after_reset"] = [[n, val(v)] for n, v in p.named_memories()]
    try:
        p(None)
        facts["periodic_forward_none_after_reset_error"] = None
    except AttributeError as e:
        facts["periodic_forward_none_after_reset_error"] = f"AttributeError: {e}"
    p.reset()
    sp2 = (torch.rand(4, 2, generator=gen(121)) > 0.5).float()
    facts["periodic_after_reset_spike2"] = val(sp2)
    facts["periodic_after_reset_outputs"] = [val(p(sp2)) for _ in range(5)]
    facts["periodic_after_reset_T"] = p.T
    errs = {}
    for key, f in (("LatencyEncoder(4, 'exp')", lambda: E.LatencyEncoder(4, 'exp')), ("LatencyEncoder(0)", lambda: E.LatencyEncoder(0)),
                   ("LatencyEncoder(2.0)", lambda: E.LatencyEncoder(2.0)),
                   ("LatencyEncoder(4)(x = 1.5)", lambda: E.LatencyEncoder(4)(torch.tensor([1.5]))),
                   ("LatencyEncoder(4)(x = -0.5)", lambda: E.LatencyEncoder(4)(torch.tensor([-0.5]))),
                   ("StatelessEncoder()(x)", lambda: E.StatelessEncoder()(torch.zeros(1))),
                   ("StatefulEncoder(3)(x)", lambda: E.StatefulEncoder(3)(torch.zeros(1)))):
        try:
            f()
            errs[key] = None
        except Exception as e:  # noqa: BLE001
            errs[key] = f"{type(e).__name__}: {e}"
    facts["errors"] = errs
    e = E.LatencyEncoder(3)
    facts["latency_memories_initial"] = [[n, val(v)] for n, v in e.named_memories()]
    facts["latency_T4_0.5"] = val(E.LatencyEncoder(4)(torch.tensor([0.5])))  # (T-1)(1-x) = 1.5 -> 2
    with open(os.path.join(out, "encoding", "facts_0.0.0.0.8.json"), "w") as fh:
        fh.write(tensorjson.dumps(facts))


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fixtures", "spikingjelly"))
    check_release()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(os.path.join(out, "functional"), exist_ok=True)
    os.makedirs(os.path.join(out, "encoding"), exist_ok=True)
    n = 0
    for f in (cases_reset_net, cases_spike_cluster, cases_spike_similar_loss, cases_kernel_dot_product,
              cases_set_threshold_margin, cases_redundant_one_hot, cases_first_spike_index, cases_multi_step_forward,
              cases_seq_to_ann_forward, cases_fuse, cases_scale, cases_tet):
        n += f(out)
    ne = cases_encoding(out)
    facts_encoding(out)
    print(f"spikingjelly 0.0.0.0.8: {n} functional fixtures, {ne} encoding fixtures (+ encoding/facts_0.0.0.0.8.json)")


if __name__ == "__main__":
    main()
