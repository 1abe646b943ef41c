#!/usr/bin/env python3
"""Record the fixtures of the spikingjelly layer port from the REAL spikingjelly 0.0.0.0.8.

    PYTHONPATH=/tmp/sj /usr/bin/python3 compat/record_spikingjelly_layer.py [outdir]

outdir defaults to fixtures/spikingjelly/layer. spikingjelly 0.0.0.0.8 (commit c14d8ac93eed7d06a386edecdd31af5783176023)
must be on PYTHONPATH, extracted with `git archive … spikingjelly` into a temporary directory (its code never enters this
repository); the git blob sha1 of every upstream file used is checked first.

Written (module-level cases through compat/spikeport_recorder.py, so they replay with spikeport/fixtures' replay()):
  <Class>_<variant>.json   per-step outputs and memories, gradients of a weighted-sum loss (sum_t sum(y_t * w_t)) w.r.t.
        the inputs and every parameter, per-layer values for containers, BatchNorm buffers after the run, optimizer
        iterations where stated. Random layers (Dropout*, DropConnectLinear) are recorded after torch.manual_seed(seed):
        their masks (`mask` memories, DropConnectLinear's `dropped_w`/`dropped_b`) are in the fixture, and the port is
        expected to draw the same ones from the same seed (replay with inject_masks: false).
  facts_0.0.0.0.8.json     what is not a module-level run: repr strings, the DCT kernel, PrintShapeModule's printed line,
        fresh-init state_dicts, ConvBatchNorm2d's fused weight/bias/conv and scale_* methods, STDPLearner runs (it has no
        forward), and the errors 0.0.0.0.8 raises.

Tolerances: spikes and masks exact; forward values 1e-6 absolute (rtol 0); the scalar loss (a float32 sum over many
terms, summed in another order than torch's vectorised reduction) 1e-6 absolute + 1e-6 relative; gradients 1e-5
relative + 1e-6 absolute. The two cases running BatchNorm2d in training mode (ConvBatchNorm2d_train,
SeqToANNContainer_conv_bn) use bn_train (1e-5 absolute) and bn_train_gradient (1e-5 absolute + 1e-4 relative) for their
outputs, per-layer values and gradients: normalising by the batch std amplifies float32 rounding (see TOLERANCES).
The output is byte-identical from run to run.
"""
import contextlib
import io
import math
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spikeport_recorder as R  # noqa: E402
import tensorjson  # noqa: E402

ROOT = os.path.dirname(HERE)
REPO = "https://github.com/fangwei123456/spikingjelly"
COMMIT = "c14d8ac93eed7d06a386edecdd31af5783176023"
BLOBS = {
    "spikingjelly/clock_driven/base.py": "0572576559c1034e1324ea16303e058bcf17d949",
    "spikingjelly/clock_driven/neuron.py": "72da7fc7c4137f175133232846a323c46bfe426b",
    "spikingjelly/clock_driven/layer.py": "d7642f35844f69cb08af88268629fe689139e829",
    "spikingjelly/clock_driven/functional.py": "f6b80bfeeacc6a29bd2ded3a090bba22ddabefdf",
}
UPSTREAM = {"library": "spikingjelly", "version": "0.0.0.0.8", "commit": COMMIT, "repository": REPO}

TOLERANCES = {"forward": {"kind": "close", "atol": 1e-6, "rtol": 0.0}, "loss": {"kind": "close", "atol": 1e-6, "rtol": 1e-6},
              # BatchNorm in training mode divides by the batch std: float32 rounding is amplified. Measured on
              # ConvBatchNorm2d_train, real torch float32 itself is 1.1e-6 (outputs) and 1.3e-5 (conv weight gradient,
              # value 0.103) away from the float64 result; these cases get the engine's norm tolerances (compat/record_conv.py)
              "bn_train": {"kind": "close", "atol": 1e-5, "rtol": 0.0},
              "bn_train_gradient": {"kind": "close", "atol": 1e-5, "rtol": 1e-4}}


def check_release():
    R.check_spikingjelly_release("record_spikingjelly_layer.py", "0.0.0.0.8", COMMIT, BLOBS)

def enc(t):
    return tensorjson.encode_tensor(t.detach())


def gen(seed):
    return torch.Generator().manual_seed(seed)


def spikes(shape, g, p=0.5):
    return (torch.rand(shape, generator=g) < p).float()


def out_shapes(build, steps, training):
    """The output shape of every step (a dry run of a separately built instance; the recorder reseeds before its run)."""
    with R.capture_args():
        m = build()
    m.train(training)
    shapes = []
    with torch.no_grad():
        for x in steps:
            shapes.append(m(*(x if isinstance(x, tuple) else (x,))).shape)
    return shapes


class Recorder:
    def __init__(self, out):
        self.out = out
        self.count = 0
        self.fresh_init = []  # cases whose recorded state_dict is the constructor's initialisation after manual_seed(seed)

    def case(self, name, build, steps, seed, description, weights_seed=None, loss=True, training=True, spiking=False,
             optimizer=None, iterations=None, per_layer=False, categories=None, modify=None, loss_kind="weighted_sum",
             bn_train=False):
        cats = {"loss": "loss"}
        if spiking:
            cats["output"] = "spikes"
        if bn_train:
            with R.capture_args():
                probe = build()
            cats.update({"output": "bn_train", "loss": "bn_train", "gradient:input": "bn_train_gradient"})
            cats.update({f"gradient:{n}": "bn_train_gradient" for n, _ in probe.named_parameters()})
            cats.update({f"layer:{p}": "bn_train" for p, _ in probe.named_modules() if p})
        cats.update(categories or {})
        lspec = None
        if loss:
            g = gen(weights_seed if weights_seed is not None else seed + 1000)
            shapes = out_shapes(build, steps, training)
            if loss_kind == "weighted_sum":
                lspec = R.loss_weighted_sum([torch.randn(s, generator=g) for s in shapes])
            else:
                lspec = R.loss_mse(torch.rand(shapes[0], generator=g))
        module = build
        if modify is not None:
            torch.manual_seed(seed)
            with R.capture_args():
                module = build()
            modify(module)
        else:
            self.fresh_init.append(name)
        fx = R.record(module, steps, name=f"spikingjelly_layer_{name}", seed=seed, upstream=UPSTREAM,
                      description=f"spikingjelly 0.0.0.0.8 layer: {description}", loss=lspec, training=training,
                      categories=cats, tolerances=TOLERANCES, optimizer=optimizer, iterations=iterations, per_layer=per_layer)
        R.save(fx, os.path.join(self.out, name + ".json"))
        self.count += 1
        return fx


def record_all(out):
    from spikingjelly.clock_driven import layer as L, neuron as N
    rec = Recorder(out)

    # ---- NeuNorm ----
    g = gen(1)
    rec.case("NeuNorm_default", lambda: L.NeuNorm(4, 3, 3), [spikes((2, 4, 3, 3), g) for _ in range(4)], 1,
             "NeuNorm(4, 3, 3) over T=4 steps of [2, 4, 3, 3] spikes; memory x per step")
    g = gen(2)
    rec.case("NeuNorm_shared_k0.5", lambda: L.NeuNorm(3, 2, 4, k=0.5, shared_across_channels=True),
             [torch.rand(2, 3, 2, 4, generator=g) for _ in range(3)], 2,
             "NeuNorm(3, 2, 4, k=0.5, shared_across_channels=True) over T=3 steps of float inputs")

    # ---- DCT / AXAT ----
    g = gen(3)
    rec.case("DCT_k4", lambda: L.DCT(4), [torch.rand(2, 3, 8, 8, generator=g) for _ in range(2)], 3,
             "DCT(4) on [2, 3, 8, 8] inputs (2x2 blocks of 4x4), T=2")
    g = gen(4)
    rec.case("DCT_k2_3d", lambda: L.DCT(2), [torch.rand(5, 4, 6, generator=g) * 2 - 1 for _ in range(2)], 4,
             "DCT(2) on [5, 4, 6] inputs, T=2")
    g = gen(5)
    rec.case("AXAT_4_3", lambda: L.AXAT(4, 3), [torch.rand(2, 5, 4, 4, generator=g) for _ in range(2)], 5,
             "AXAT(4, 3) on [2, 5, 4, 4] inputs, T=2; gradients w.r.t. A")
    g = gen(6)
    rec.case("AXAT_3_5", lambda: L.AXAT(3, 5), [torch.rand(7, 3, 3, generator=g) for _ in range(1)], 6,
             "AXAT(3, 5) on [7, 3, 3] inputs")

    # ---- Dropout family ----
    g = gen(7)
    rec.case("Dropout_p0.3", lambda: L.Dropout(0.3), [torch.rand(4, 10, generator=g) for _ in range(3)], 7,
             "Dropout(0.3) in training mode over T=3 steps: one mask (memory `mask`) drawn at the first step and kept")
    g = gen(8)
    rec.case("Dropout_eval", lambda: L.Dropout(0.3), [torch.rand(4, 10, generator=g) for _ in range(2)], 8,
             "Dropout(0.3) in eval mode: the identity, no mask", training=False)
    g = gen(9)
    rec.case("Dropout2d_p0.4", lambda: L.Dropout2d(0.4), [torch.rand(3, 6, 2, 2, generator=g) for _ in range(3)], 9,
             "Dropout2d(0.4) in training mode on [3, 6, 2, 2] over T=3 steps: whole channels, one mask kept")
    g = gen(10)
    rec.case("Dropout2d_default_3d", lambda: L.Dropout2d(), [torch.rand(4, 8, 5, generator=g) for _ in range(2)], 10,
             "Dropout2d() (p=0.2) on 3-D [4, 8, 5] inputs: torch 1.13 reads them as (N, C, L)")
    g = gen(11)
    rec.case("MultiStepDropout_p0.5", lambda: L.MultiStepDropout(0.5), [torch.rand(4, 3, 8, generator=g) for _ in range(2)], 11,
             "MultiStepDropout(0.5) over two calls with [T=4, 3, 8] sequences: the mask of x_seq[0] is used for every t and kept")
    g = gen(12)
    rec.case("MultiStepDropout2d_p0.5", lambda: L.MultiStepDropout2d(), [torch.rand(4, 2, 6, 3, 3, generator=g) for _ in range(2)], 12,
             "MultiStepDropout2d() (p=0.5) over two calls with [T=4, 2, 6, 3, 3] sequences")
    g = gen(13)
    rec.case("Dropout_in_mlp_sgd", lambda: nn.Sequential(nn.Linear(6, 8), L.Dropout(0.5), nn.Linear(8, 3)),
             [torch.rand(5, 6, generator=g) for _ in range(3)], 13,
             "Sequential(Linear(6, 8), Dropout(0.5), Linear(8, 3)) over T=3 steps, mse of the time-mean, SGD(lr=0.1) "
             "3 iterations: reset_net between iterations draws a new mask", loss_kind="mse",
             optimizer=lambda ps: torch.optim.SGD(ps, lr=0.1), iterations=3, per_layer=True)

    # ---- SynapseFilter ----
    g = gen(14)
    rec.case("SynapseFilter_tau10", lambda: L.SynapseFilter(10.0), [spikes((2, 5), g, 0.3) for _ in range(8)], 14,
             "SynapseFilter(10.0) over T=8 steps of [2, 5] spikes; memory out_i")
    g = gen(15)
    rec.case("SynapseFilter_default_float", lambda: L.SynapseFilter(), [torch.rand(3, 4, generator=g) for _ in range(5)], 15,
             "SynapseFilter() (tau=100) over T=5 steps of float inputs")
    g = gen(16)
    rec.case("SynapseFilter_learnable_adam", lambda: L.SynapseFilter(5.0, learnable=True), [spikes((2, 5), g, 0.4) for _ in range(8)], 16,
             "SynapseFilter(5.0, learnable=True) over T=8 steps; gradient w.r.t. w; Adam(lr=0.1) 2 iterations",
             optimizer=lambda ps: torch.optim.Adam(ps, lr=0.1), iterations=2)

    # ---- ChannelsPool ----
    g = gen(17)
    rec.case("ChannelsPool_max", lambda: L.ChannelsPool(nn.MaxPool1d(2, 2)), [torch.rand(2, 8, 3, 3, generator=g) for _ in range(2)], 17,
             "ChannelsPool(MaxPool1d(2, 2)) on [2, 8, 3, 3]")
    g = gen(18)
    rec.case("ChannelsPool_avg", lambda: L.ChannelsPool(nn.AvgPool1d(3, 1)), [torch.rand(2, 6, 2, 4, generator=g) for _ in range(2)], 18,
             "ChannelsPool(AvgPool1d(3, 1)) on [2, 6, 2, 4]")

    # ---- DropConnectLinear ----
    g = gen(19)
    rec.case("DropConnectLinear_train", lambda: L.DropConnectLinear(5, 4), [torch.rand(3, 5, generator=g) for _ in range(3)], 19,
             "DropConnectLinear(5, 4) (p=0.5, ReLU) in training mode over T=3 steps: new weight/bias masks every step "
             "(memories dropped_w, dropped_b)")
    g = gen(20)
    rec.case("DropConnectLinear_train_invariant_sgd", lambda: L.DropConnectLinear(5, 4, p=0.3, invariant=True),
             [torch.rand(3, 5, generator=g) for _ in range(3)], 20,
             "DropConnectLinear(5, 4, p=0.3, invariant=True) over T=3 steps: masks drawn once; SGD(lr=0.5) 2 iterations "
             "(reset_net redraws them)", optimizer=lambda ps: torch.optim.SGD(ps, lr=0.5), iterations=2)
    g = gen(21)
    rec.case("DropConnectLinear_train_nobias_noact", lambda: L.DropConnectLinear(6, 3, bias=False, p=0.6, activation=None),
             [torch.rand(2, 6, generator=g) * 2 - 1 for _ in range(2)], 21,
             "DropConnectLinear(6, 3, bias=False, p=0.6, activation=None) in training mode, T=2")
    g = gen(22)
    rec.case("DropConnectLinear_eval", lambda: L.DropConnectLinear(5, 4), [torch.rand(3, 5, generator=g) for _ in range(2)], 22,
             "DropConnectLinear(5, 4) in eval mode: Gaussian sampling (Algorithm 2) with samples_num=1024 after "
             "torch.manual_seed, ReLU, mean over samples; forward only (the samples are drawn under no_grad)",
             loss=False, training=False)
    g = gen(23)
    rec.case("DropConnectLinear_eval_s16_noact_1d", lambda: L.DropConnectLinear(4, 3, p=0.25, samples_num=16, activation=None),
             [torch.rand(4, generator=g) + 0.1 for _ in range(2)], 23,
             "DropConnectLinear(4, 3, p=0.25, samples_num=16, activation=None) in eval mode on 1-D inputs", loss=False,
             training=False)

    # ---- containers ----
    g = gen(24)
    rec.case("MultiStepContainer_linear_if", lambda: L.MultiStepContainer(nn.Linear(4, 3), N.IFNode()),
             [torch.rand(4, 2, 4, generator=g) * 1.5 for _ in range(2)], 24,
             "MultiStepContainer(Linear(4, 3), IFNode()) over two calls with [T=4, 2, 4] sequences; per-layer values",
             spiking=True, per_layer=True)
    g = gen(25)
    rec.case("MultiStepContainer_conv_lif_flatten", lambda: L.MultiStepContainer(nn.Conv2d(1, 2, 3), N.LIFNode(), nn.Flatten()),
             [torch.rand(3, 2, 1, 5, 5, generator=g) * 2 for _ in range(1)], 25,
             "MultiStepContainer(Conv2d(1, 2, 3), LIFNode(), Flatten()) on a [T=3, 2, 1, 5, 5] sequence", spiking=True)
    g = gen(26)
    rec.case("SeqToANNContainer_conv_bn", lambda: L.SeqToANNContainer(nn.Conv2d(2, 3, 3, padding=1, bias=False), nn.BatchNorm2d(3)),
             [torch.rand(3, 2, 2, 5, 5, generator=g) for _ in range(2)], 26,
             "SeqToANNContainer(Conv2d(2, 3, 3, padding=1, bias=False), BatchNorm2d(3)) in training mode over two calls "
             "with [T=3, 2, 2, 5, 5] sequences; BatchNorm running statistics after the run", per_layer=True, bn_train=True)
    g = gen(27)
    rec.case("SeqToANNContainer_linear_linear", lambda: L.SeqToANNContainer(nn.Linear(4, 2), nn.Linear(2, 3)),
             [torch.rand(4, 3, 4, generator=g) for _ in range(2)], 27,
             "SeqToANNContainer(Linear(4, 2), Linear(2, 3)) over two calls with [T=4, 3, 4] sequences")
    g = gen(28)
    rec.case("multistep_net_adam", lambda: nn.Sequential(
        L.SeqToANNContainer(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4)),
        N.MultiStepLIFNode(), L.MultiStepDropout(0.5),
        L.SeqToANNContainer(L.ChannelsPool(nn.MaxPool1d(2, 2)), nn.Flatten(), nn.Linear(2 * 4 * 4, 3)), N.MultiStepLIFNode()),
        [torch.rand(4, 2, 1, 4, 4, generator=g) * 3 for _ in range(1)], 28,
        "a multi-step convnet: SeqToANN(Conv2d, BatchNorm2d), MultiStepLIFNode, MultiStepDropout(0.5), "
        "SeqToANN(ChannelsPool(MaxPool1d(2, 2)), Flatten, Linear), MultiStepLIFNode on a [T=4, 2, 1, 4, 4] sequence; "
        "mse of the time-mean; Adam(lr=0.05) 2 iterations",
        spiking=True, loss_kind="mse", optimizer=lambda ps: torch.optim.Adam(ps, lr=0.05), iterations=2,
        categories={"memory:1.spike_seq": "spikes", "memory:4.spike_seq": "spikes"})

    # ---- ConvBatchNorm2d ----
    def randomize_bn(seed):
        def f(m):
            gg = gen(seed)
            with torch.no_grad():
                m.bn.weight.copy_(torch.rand(m.bn.weight.shape, generator=gg) + 0.5)
                m.bn.bias.copy_(torch.randn(m.bn.bias.shape, generator=gg) * 0.3)
                m.bn.running_mean.copy_(torch.randn(m.bn.running_mean.shape, generator=gg) * 0.2)
                m.bn.running_var.copy_(torch.rand(m.bn.running_var.shape, generator=gg) + 0.5)
                m.bn.num_batches_tracked.fill_(3)
        return f
    g = gen(29)
    rec.case("ConvBatchNorm2d_train", lambda: L.ConvBatchNorm2d(3, 4, 3, padding=1), [torch.rand(2, 3, 5, 5, generator=g) for _ in range(2)], 29,
             "ConvBatchNorm2d(3, 4, 3, padding=1) in training mode over T=2 steps (BatchNorm with random affine "
             "parameters and running statistics); buffers after the run", modify=randomize_bn(129), bn_train=True)
    g = gen(30)
    rec.case("ConvBatchNorm2d_eval_groups", lambda: L.ConvBatchNorm2d(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2, eps=1e-3, momentum=0.2),
             [torch.rand(2, 4, 6, 5, generator=g) for _ in range(2)], 30,
             "ConvBatchNorm2d(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2, eps=1e-3, momentum=0.2) in eval mode",
             training=False, modify=randomize_bn(130))

    # ---- recurrent containers ----
    def ew_half(a, b):
        # spikingjelly calls element_wise_function(self.y, x): a is the previous output, b the input
        return a * 0.5 + b
    g = gen(31)
    rec.case("ElementWiseRecurrentContainer_if", lambda: L.ElementWiseRecurrentContainer(N.IFNode(v_reset=None), ew_half),
             [torch.rand(2, 5, generator=g) * 0.8 for _ in range(6)], 31,
             "ElementWiseRecurrentContainer(IFNode(v_reset=None), f) with f(a, b) = a * 0.5 + b, called as "
             "f(y[t-1], x[t]), over T=6 steps of [2, 5]", spiking=True)

    def ew_sub(a, b):
        return b - a
    g = gen(32)
    rec.case("ElementWiseRecurrentContainer_lif_sub", lambda: L.ElementWiseRecurrentContainer(N.LIFNode(tau=1.5), ew_sub),
             [torch.rand(3, 4, generator=g) * 2 for _ in range(5)], 32,
             "ElementWiseRecurrentContainer(LIFNode(tau=1.5), f) with f(a, b) = b - a (called f(y[t-1], x[t])) over T=5",
             spiking=True)
    g = gen(33)
    rec.case("LinearRecurrentContainer_lif", lambda: L.LinearRecurrentContainer(nn.Sequential(nn.Linear(4, 2), N.LIFNode()), 4, 2),
             [torch.rand(3, 4, generator=g) * 2 for _ in range(6)], 33,
             "LinearRecurrentContainer(Sequential(Linear(4, 2), LIFNode()), 4, 2) over T=6 steps of [3, 4]; rc is "
             "Linear(6, 4)", spiking=True, per_layer=True)
    g = gen(34)
    rec.case("LinearRecurrentContainer_3d_nobias", lambda: L.LinearRecurrentContainer(nn.Sequential(nn.Linear(3, 5), N.IFNode()), 3, 5, bias=False),
             [torch.rand(2, 4, 3, generator=g) * 2 for _ in range(4)], 34,
             "LinearRecurrentContainer(Sequential(Linear(3, 5), IFNode()), 3, 5, bias=False) over T=4 steps of 3-D [2, 4, 3] "
             "inputs", spiking=True)

    # ---- PrintShapeModule ----
    g = gen(35)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rec.case("PrintShapeModule_identity", lambda: L.PrintShapeModule("shape of x:"), [torch.rand(2, 3, generator=g) for _ in range(2)], 35,
                 "PrintShapeModule('shape of x:'): prints and returns its input")
    return rec, buf.getvalue()


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"
    return None


def facts(out, rec, printed_by_recorder):
    from spikingjelly.clock_driven import layer as L, neuron as N
    f = {"upstream": UPSTREAM}

    # repr strings
    reprs = {}
    torch.manual_seed(0)
    builds = [
        ("NeuNorm(4, 3, 3)", lambda: L.NeuNorm(4, 3, 3)),
        ("NeuNorm(3, 2, 4, shared_across_channels=True)", lambda: L.NeuNorm(3, 2, 4, shared_across_channels=True)),
        ("DCT(4)", lambda: L.DCT(4)), ("AXAT(3, 2)", lambda: L.AXAT(3, 2)),
        ("Dropout(0.3)", lambda: L.Dropout(0.3)), ("Dropout()", lambda: L.Dropout()), ("Dropout2d()", lambda: L.Dropout2d()),
        ("MultiStepDropout()", lambda: L.MultiStepDropout()), ("MultiStepDropout2d()", lambda: L.MultiStepDropout2d()),
        ("SynapseFilter()", lambda: L.SynapseFilter()), ("SynapseFilter(10.0)", lambda: L.SynapseFilter(10.0)),
        ("SynapseFilter(10.0, learnable=True)", lambda: L.SynapseFilter(10.0, learnable=True)),
        ("SynapseFilter(100.0, learnable=True)", lambda: L.SynapseFilter(100.0, learnable=True)),
        ("ChannelsPool(nn.MaxPool1d(2, 2))", lambda: L.ChannelsPool(nn.MaxPool1d(2, 2))),
        ("DropConnectLinear(3, 4)", lambda: L.DropConnectLinear(3, 4)),
        ("DropConnectLinear(3, 4, bias=False, p=0.25, invariant=True, activation=None)",
         lambda: L.DropConnectLinear(3, 4, bias=False, p=0.25, invariant=True, activation=None)),
        ("MultiStepContainer(nn.Linear(2, 3), neuron.IFNode())", lambda: L.MultiStepContainer(nn.Linear(2, 3), N.IFNode())),
        ("SeqToANNContainer(nn.Linear(2, 3))", lambda: L.SeqToANNContainer(nn.Linear(2, 3))),
        ("STDPLearner(2.0, 3.0, f, f)", lambda: L.STDPLearner(2.0, 3.0, None, None)),
        ("PrintShapeModule()", lambda: L.PrintShapeModule()),
        ("ConvBatchNorm2d(3, 4, 3)", lambda: L.ConvBatchNorm2d(3, 4, 3)),
        ("ConvBatchNorm2d(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2, eps=1e-3, momentum=0.2)",
         lambda: L.ConvBatchNorm2d(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2, eps=1e-3, momentum=0.2)),
        ("LinearRecurrentContainer(neuron.IFNode(), 3, 2)", lambda: L.LinearRecurrentContainer(N.IFNode(), 3, 2)),
    ]
    for key, build in builds:
        reprs[key] = repr(build())
    f["reprs"] = reprs
    # ElementWiseRecurrentContainer's repr holds the function's Python repr (`<function f at 0x…>`), not reproducible
    r = repr(L.ElementWiseRecurrentContainer(N.IFNode(), lambda x, y: x + y))
    f["ewrc_repr_first_line"] = r.split("\n")[1].split(" at 0x")[0].strip()

    # state_dict keys
    f["state_dict_keys"] = {
        "NeuNorm(4, 3, 3)": list(L.NeuNorm(4, 3, 3).state_dict().keys()),
        "DCT(4)": list(L.DCT(4).state_dict().keys()),
        "SynapseFilter(10.0)": list(L.SynapseFilter(10.0).state_dict().keys()),
        "SynapseFilter(10.0, learnable=True)": list(L.SynapseFilter(10.0, learnable=True).state_dict().keys()),
        "DropConnectLinear(3, 4)": list(L.DropConnectLinear(3, 4).state_dict().keys()),
        "DropConnectLinear(3, 4, bias=False)": list(L.DropConnectLinear(3, 4, bias=False).state_dict().keys()),
        "ConvBatchNorm2d(3, 4, 3)": list(L.ConvBatchNorm2d(3, 4, 3).state_dict().keys()),
        "LinearRecurrentContainer(nn.Sequential(nn.Linear(3, 2), neuron.IFNode()), 3, 2)":
            list(L.LinearRecurrentContainer(nn.Sequential(nn.Linear(3, 2), N.IFNode()), 3, 2).state_dict().keys()),
    }
    f["memories"] = {
        "NeuNorm": [[k, v] for k, v in L.NeuNorm(2, 2, 2).named_memories()],
        "Dropout": [[k, v] for k, v in L.Dropout().named_memories()],
        "SynapseFilter": [[k, v] for k, v in L.SynapseFilter().named_memories()],
        "DropConnectLinear": [[k, v] for k, v in L.DropConnectLinear(2, 2).named_memories()],
        "DropConnectLinear(bias=False)": [[k, v] for k, v in L.DropConnectLinear(2, 2, bias=False).named_memories()],
        "STDPLearner": [[k, v] for k, v in L.STDPLearner(2., 2., None, None).named_memories()],
        "ElementWiseRecurrentContainer": [[k, v] for k, v in L.ElementWiseRecurrentContainer(N.IFNode(), None).named_memories()],
        "LinearRecurrentContainer": [[k, v] for k, v in L.LinearRecurrentContainer(N.IFNode(), 2, 2).named_memories()],
    }

    f["dct_kernel_4"] = enc(L.DCT(4).kernel)
    f["dct_kernel_3"] = enc(L.DCT(3).kernel)
    f["fresh_init_cases"] = sorted(rec.fresh_init)

    # PrintShapeModule: what print(ext_str, x.shape) writes
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        x = torch.zeros(2, 3, 4)
        y = L.PrintShapeModule()(x)
        L.PrintShapeModule("hello")(torch.zeros(5))
        L.PrintShapeModule("scalar")(torch.tensor(1.0))
    f["print_shape_output"] = buf.getvalue()
    f["print_shape_returns_input"] = y is x
    f["print_shape_recorder_output"] = printed_by_recorder

    # Dropout in eval mode returns the very input object
    x = torch.rand(2, 3)
    f["dropout_eval_returns_input"] = L.Dropout().eval()(x) is x

    # ---- ConvBatchNorm2d fusion ----
    def convbn_case(build, seed, xshape):
        torch.manual_seed(seed)
        m = build()
        gg = gen(seed + 1)
        with torch.no_grad():
            m.bn.weight.copy_(torch.rand(m.bn.weight.shape, generator=gg) + 0.5)
            m.bn.bias.copy_(torch.randn(m.bn.bias.shape, generator=gg) * 0.3)
            m.bn.running_mean.copy_(torch.randn(m.bn.running_mean.shape, generator=gg) * 0.2)
            m.bn.running_var.copy_(torch.rand(m.bn.running_var.shape, generator=gg) + 0.5)
        m.eval()
        x = torch.rand(xshape, generator=gg)
        gw = torch.randn(m.conv.weight.shape, generator=gg)
        gb = torch.randn(m.bn.bias.shape, generator=gg)
        c = {"state_dict": [[k, enc(v)] for k, v in m.state_dict().items()], "x": enc(x), "gw": enc(gw), "gb": enc(gb)}
        fw = m.get_fused_weight()
        fb = m.get_fused_bias()
        c["fused_weight"] = enc(fw)
        c["fused_bias"] = enc(fb)
        # gradients of sum(fused_weight * gw) + sum(fused_bias * gb) (get_fused_* are differentiable)
        ((fw * gw).sum() + (fb * gb).sum()).backward()
        c["grad_conv_weight"] = enc(m.conv.weight.grad)
        c["grad_bn_weight"] = enc(m.bn.weight.grad)
        c["grad_bn_bias"] = enc(m.bn.bias.grad)
        with torch.no_grad():
            c["convbn_out"] = enc(m(x))
            conv = m.get_fused_conv()
            conv.eval()
            c["fused_conv_repr"] = repr(conv)
            c["fused_conv_out"] = enc(conv(x))
            # the docstring's experiment: scale the fused conv's weight and bias by k, b, then call scale_fused_*
            k_w, b_w, k_b, b_b = 1.5, 0.4, 0.8, 0.1
            conv.weight.data *= k_w
            conv.weight.data += b_w
            conv.bias.data *= k_b
            conv.bias.data += b_b
            m.scale_fused_weight(k_w, b_w)
            m.scale_fused_bias(k_b, b_b)
            c["scaled_conv_out"] = enc(conv(x))
            c["scaled_convbn_out"] = enc(m(x))
            c["scaled_state_dict"] = [[k, enc(v)] for k, v in m.state_dict().items()]
            c["scaled_fused_weight"] = enc(m.get_fused_weight())
            c["scaled_fused_bias"] = enc(m.get_fused_bias())
            m.scale_fused_weight()  # k = b = None: no change
            m.scale_fused_bias(k=2.0)
            c["scaled_twice_state_dict"] = [[k, enc(v)] for k, v in m.state_dict().items()]
        return c
    f["convbn"] = {
        "ConvBatchNorm2d(3, 4, 3, padding=1)": convbn_case(lambda: L.ConvBatchNorm2d(3, 4, 3, padding=1), 40, (2, 3, 6, 6)),
        "ConvBatchNorm2d(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2, eps=1e-3, momentum=0.2)":
            convbn_case(lambda: L.ConvBatchNorm2d(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2, eps=1e-3, momentum=0.2), 41, (2, 4, 6, 5)),
    }

    # ---- STDPLearner (no forward: stdp() per step) ----
    def stdp_case(seed, tau_pre, tau_post, n_in, n_out, T, lr, bias, fname):
        fns = {
            "abs_plus_0.1": (lambda w: w.abs() + 0.1, lambda w: -(w.abs() + 0.1)),
            "soft_bound": (lambda w: (1.0 - w) * 0.5, lambda w: -(w + 1.0) * 0.25),
        }
        f_pre, f_post = fns[fname]
        torch.manual_seed(seed)
        fc = nn.Linear(n_in, n_out, bias=bias)
        gg = gen(seed + 1)
        s_pre = spikes((T, n_in), gg, 0.4)
        s_post = spikes((T, n_out), gg, 0.3)
        w0 = fc.weight.detach().clone()
        b0 = None if fc.bias is None else fc.bias.detach().clone()
        learner = L.STDPLearner(tau_pre, tau_post, f_pre, f_post)
        steps = []
        for t in range(T):
            learner.stdp(s_pre[t], s_post[t], fc, lr)
            steps.append({"trace_pre": enc(learner.trace_pre), "trace_post": enc(learner.trace_post), "weight": enc(fc.weight)})
        c = {"tau_pre": tau_pre, "tau_post": tau_post, "learning_rate": lr, "functions": fname, "bias": bias,
             "weight0": enc(w0), "bias0": None if b0 is None else enc(b0), "s_pre": enc(s_pre), "s_post": enc(s_post), "steps": steps,
             "bias_after": None if fc.bias is None else enc(fc.bias), "weight_requires_grad_after": fc.weight.requires_grad,
             "weight_grad_fn_after": fc.weight.grad_fn is not None}
        learner.reset()
        c["after_reset"] = [[k, v] for k, v in learner.named_memories()]
        return c
    f["stdp"] = [
        stdp_case(50, 2.0, 5.0, 4, 3, 10, 0.01, False, "abs_plus_0.1"),
        stdp_case(51, 100.0, 20.0, 3, 2, 8, 0.1, True, "soft_bound"),
    ]

    # ---- errors 0.0.0.0.8 raises ----
    def dcl_eval(**kw):
        m = L.DropConnectLinear(3, 2, **kw)
        m.eval()
        return m
    f["errors"] = {
        "Dropout(1.0)": error_of(lambda: L.Dropout(1.0)),
        "Dropout(-0.1)": error_of(lambda: L.Dropout(-0.1)),
        "SynapseFilter(1.0)": error_of(lambda: L.SynapseFilter(1.0)),
        "DCT(4)(rand(2, 6, 8))": error_of(lambda: L.DCT(4)(torch.rand(2, 6, 8))),
        "DCT(4)(rand(2, 8, 6))": error_of(lambda: L.DCT(4)(torch.rand(2, 8, 6))),
        "DropConnectLinear(3, 2, p=0.0).eval()(rand(2, 3))": error_of(lambda: dcl_eval(p=0.0)(torch.rand(2, 3))),
        "DropConnectLinear(3, 2, bias=False).eval()(zero row)": error_of(lambda: dcl_eval(bias=False)(torch.tensor([[0., 0., 0.], [1., 0., 1.]]))),
        "DropConnectLinear(3, 2)(rand(3)) training": error_of(lambda: L.DropConnectLinear(3, 2)(torch.rand(3))),
        "ConvBatchNorm2d(3, 4, 3, affine=False).get_fused_weight()": error_of(lambda: L.ConvBatchNorm2d(3, 4, 3, affine=False).get_fused_weight()),
        "ConvBatchNorm2d(3, 4, 3, affine=False).get_fused_bias()": error_of(lambda: L.ConvBatchNorm2d(3, 4, 3, affine=False).get_fused_bias()),
        "ConvBatchNorm2d(3, 4, 3, track_running_stats=False).get_fused_weight()":
            error_of(lambda: L.ConvBatchNorm2d(3, 4, 3, track_running_stats=False).get_fused_weight()),
        "STDPLearner.stdp(module=Conv2d)": error_of(lambda: L.STDPLearner(2., 2., None, None).stdp(torch.ones(1), torch.ones(1), nn.Conv2d(1, 1, 1), 0.1)),
        "LinearRecurrentContainer(Linear(3, 2), 3, 2)(rand(3))": error_of(lambda: L.LinearRecurrentContainer(nn.Linear(3, 2), 3, 2)(torch.rand(3))),
    }
    with open(os.path.join(out, "facts_0.0.0.0.8.json"), "w") as fh:
        fh.write(tensorjson.dumps(f))


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fixtures", "spikingjelly", "layer"))
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    check_release()
    rec, printed = record_all(out)
    facts(out, rec, printed)
    print(f"spikingjelly 0.0.0.0.8 layer: {rec.count} fixtures + facts_0.0.0.0.8.json in {out}")


if __name__ == "__main__":
    main()
