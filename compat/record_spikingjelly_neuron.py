#!/usr/bin/env python3
"""Record the fixtures of the spikingjelly surrogate/neuron port from the REAL spikingjelly.

    PYTHONPATH=/tmp/sj /usr/bin/python3 compat/record_spikingjelly_neuron.py [--sj14 DIR] [outdir]

outdir defaults to fixtures/spikingjelly. Two releases are used, each a `git archive … spikingjelly` of
fangwei123456/spikingjelly extracted into a temporary directory (spikingjelly's code never enters this repository):

  * 0.0.0.0.8  (c14d8ac93eed7d06a386edecdd31af5783176023) on PYTHONPATH: clock_driven.base/surrogate/neuron;
  * 0.0.0.0.14 (294133011f4897756db6d1cd4a617a00bfb8d7f8) in --sj14 (default /tmp/sj14): the five later surrogates
    S2NN, QPseudoSpike, LeakyKReLU, FakeNumericalGradient, LogTailedReLU (activation_based.surrogate). It imports with
    torch 1.13; this script re-runs itself in a subprocess with --part later and that directory on PYTHONPATH.

The git blob sha1 of every upstream file used is checked before recording. Module-level cases go through
compat/spikeport_recorder.py (record/save), which sets torch.set_num_threads(1) and deterministic algorithms; the output
is byte-identical from run to run.

Written:
  surrogate/<Class>_<variant>_{spiking,primitive}.json  one 1-D grid (0, -0, +-1/alpha, +-w, 1 and their float32
        neighbours included) through the surrogate module; weighted-sum loss, gradient w.r.t. the grid.
        PiecewiseQuadratic spiking=True is forward-only: its 0.0.0.0.8 backward cannot run (see facts).
  neuron/<Class>_{hard,soft}_{nodetach,detach}.json     T = 6 steps of [2, 5] inputs (MultiStep: one [6, 2, 5] input
        holding the same numbers), per-step spikes and memories, gradients of a weighted-sum loss w.r.t. the inputs
        and parameters (PLIF's w); plus *_custom cases with non-default arguments and surrogates.
  neuron/reset.json        memories of every neuron class at construction, after 3 steps, and after reset().
  {surrogate,neuron}/facts_<release>.json   repr strings and behaviours the port reproduces (or documents), measured
        on the real library (e.g. the error 0.0.0.0.8's PiecewiseQuadratic raises on backward).
"""
import argparse
import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spikeport_recorder as R  # noqa: E402
import tensorjson  # noqa: E402

ROOT = os.path.dirname(HERE)
REPO = "https://github.com/fangwei123456/spikingjelly"

RELEASES = {
    "0.0.0.0.8": {
        "commit": "c14d8ac93eed7d06a386edecdd31af5783176023",
        "blobs": {
            "spikingjelly/clock_driven/base.py": "0572576559c1034e1324ea16303e058bcf17d949",
            "spikingjelly/clock_driven/neuron.py": "72da7fc7c4137f175133232846a323c46bfe426b",
            "spikingjelly/clock_driven/surrogate.py": "edeb54accc9258e4c7bf5e6beb269a73c3865ece",
        },
    },
    "0.0.0.0.14": {
        "commit": "294133011f4897756db6d1cd4a617a00bfb8d7f8",
        "blobs": {"spikingjelly/activation_based/surrogate.py": "3546acd567ea079faaaa26b57870c2bb410fa458"},
    },
}

T_STEPS = 6
SHAPE = (2, 5)


def upstream(version):
    return {"library": "spikingjelly", "version": version, "commit": RELEASES[version]["commit"], "repository": REPO}


def check_release(version):
    R.check_spikingjelly_release("record_spikingjelly_neuron.py", version, RELEASES[version]["commit"], RELEASES[version]["blobs"])

# values: 1e-6 absolute; the scalar loss (a float32 sum of up to ~50 terms, summed in a different order than torch's
# vectorised reduction) gets its own category with a relative term as well
FORWARD_ABS = {"forward": {"kind": "close", "atol": 1e-6, "rtol": 0.0}, "loss": {"kind": "close", "atol": 1e-6, "rtol": 1e-6}}


def f32(v):
    return float(torch.tensor(v, dtype=torch.float32))


def neighbours(v):
    """v (rounded to float32) and its two float32 neighbours."""
    t = torch.tensor([v], dtype=torch.float32)
    return [float(torch.nextafter(t, torch.tensor([-1e30]))), float(t), float(torch.nextafter(t, torch.tensor([1e30])))]


def grid(specials):
    pts = [i * 0.25 for i in range(-12, 13)] + [1e-7, -1e-7, 0.1, -0.1]
    for s in specials:
        pts += neighbours(s) + neighbours(-s)
    vals = sorted({f32(p) for p in pts})
    x = torch.tensor(vals, dtype=torch.float32)
    return torch.cat([x, torch.tensor([-0.0])])  # -0.0 last: heaviside(-0.) is 1


def weights_for(x, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(x.shape, generator=g) + 0.5


def record_surrogate(out, version, name, variant, build, specials, spiking, seed, grads=True, description=""):
    x = grid(specials)
    w = weights_for(x, seed)
    kind = "spiking" if spiking else "primitive"
    case = f"{name}_{variant}_{kind}"
    fx = R.record(build, [x], name=f"spikingjelly_surrogate_{case}", seed=seed, upstream=upstream(version),
                  description=description or f"spikingjelly {version} surrogate.{name} ({variant}), spiking={spiking}, on a 1-D grid; "
                  f"loss sum(output * w)",
                  loss=R.loss_weighted_sum([w]) if grads else None,
                  categories={"output": "spikes" if spiking else "forward", "loss": "loss"}, tolerances=FORWARD_ABS)
    R.save(fx, os.path.join(out, "surrogate", case + ".json"))
    return 1


# ---- 0.0.0.0.8 surrogates ---------------------------------------------------------------------------------------------------

def surrogates_08(out):
    from spikingjelly.clock_driven import surrogate as S
    n = 0
    cases = [
        ("PiecewiseQuadratic", [("default", {}), ("alpha1.5", {"alpha": 1.5})]),
        ("PiecewiseExp", [("default", {}), ("alpha2", {"alpha": 2.0})]),
        ("Sigmoid", [("default", {}), ("alpha4", {"alpha": 4.0})]),
        ("SoftSign", [("default", {}), ("alpha3", {"alpha": 3.0})]),
        ("ATan", [("default", {}), ("alpha3", {"alpha": 3.0})]),
        ("NonzeroSignLogAbs", [("default", {}), ("alpha2", {"alpha": 2.0})]),
        ("Erf", [("default", {}), ("alpha1.5", {"alpha": 1.5})]),
    ]
    seed = 100
    for cls, variants in cases:
        C = getattr(S, cls)
        for variant, kw in variants:
            alpha = kw.get("alpha", C().alpha)
            for spiking in (True, False):
                seed += 1
                # 0.0.0.0.8's piecewise_quadratic cannot backpropagate (facts: pq_backward_error): forward only
                grads = not (cls == "PiecewiseQuadratic" and spiking)
                n += record_surrogate(out, "0.0.0.0.8", cls, variant, lambda C=C, kw=kw, s=spiking: C(**kw, spiking=s),
                                      [1.0 / alpha, 1.0], spiking, seed, grads=grads)
    for variant, kw in [("default", {}), ("w0.5_c0.1", {"w": 0.5, "c": 0.1}), ("c0", {"w": 1.0, "c": 0.0})]:
        w = kw.get("w", 1.0)
        for spiking in (True, False):
            seed += 1
            n += record_surrogate(out, "0.0.0.0.8", "PiecewiseLeakyReLU", variant,
                                  lambda kw=kw, s=spiking: S.PiecewiseLeakyReLU(**kw, spiking=s), [w, 1.0], spiking, seed)
    for variant, kw in [("default", {}), ("n4", {"n": 4, "T_period": 8.}), ("n8_T4", {"n": 8, "T_period": 4.}), ("n1", {"n": 1})]:
        for spiking in (True, False):
            seed += 1
            # n = 1: the primitive is the constant 0.5, which does not depend on x (no gradient): forward only
            n += record_surrogate(out, "0.0.0.0.8", "SquarewaveFourierSeries", variant,
                                  lambda kw=kw, s=spiking: S.SquarewaveFourierSeries(**kw, spiking=s), [1.0, 2.0], spiking, seed,
                                  grads=spiking or variant != "n1")
    return n


# ---- later surrogates (run under 0.0.0.0.14) ------------------------------------------------------------------------------------

def surrogates_14(out):
    from spikingjelly.activation_based import surrogate as S
    n = 0
    seed = 500
    for variant, kw in [("default", {}), ("alpha2_beta0.5", {"alpha": 2.0, "beta": 0.5})]:
        for spiking in (True, False):
            seed += 1
            n += record_surrogate(out, "0.0.0.0.14", "S2NN", variant, lambda kw=kw, s=spiking: S.S2NN(**kw, spiking=s),
                                  [1.0, 0.5], spiking, seed)
    for variant, kw in [("default", {}), ("alpha3", {"alpha": 3.0})]:
        for spiking in (True, False):
            seed += 1
            n += record_surrogate(out, "0.0.0.0.14", "QPseudoSpike", variant, lambda kw=kw, s=spiking: S.QPseudoSpike(**kw, spiking=s),
                                  [1.0, 0.5], spiking, seed)
    for variant, kw in [("default", {}), ("leak0.1_k2", {"leak": 0.1, "k": 2.0})]:
        for spiking in (True, False):
            seed += 1
            n += record_surrogate(out, "0.0.0.0.14", "LeakyKReLU", variant, lambda kw=kw, s=spiking: S.LeakyKReLU(spiking=s, **kw),
                                  [1.0], spiking, seed)
    for variant, kw in [("default", {}), ("alpha0.5", {"alpha": 0.5})]:
        seed += 1
        a = kw.get("alpha", 0.3)
        n += record_surrogate(out, "0.0.0.0.14", "FakeNumericalGradient", variant, lambda kw=kw: S.FakeNumericalGradient(**kw),
                              [1.0 / a, 1.0], True, seed)
    for variant, kw in [("default", {}), ("alpha0.1", {"alpha": 0.1})]:
        for spiking in (True, False):
            seed += 1
            n += record_surrogate(out, "0.0.0.0.14", "LogTailedReLU", variant, lambda kw=kw, s=spiking: S.LogTailedReLU(**kw, spiking=s),
                                  [1.0], spiking, seed)
    return n


def facts_14(out):
    from spikingjelly.activation_based import surrogate as S
    reprs = {}
    for key, build in [("S2NN()", lambda: S.S2NN()), ("QPseudoSpike()", lambda: S.QPseudoSpike()),
                       ("QPseudoSpike(alpha=3.0)", lambda: S.QPseudoSpike(alpha=3.0)), ("LeakyKReLU()", lambda: S.LeakyKReLU()),
                       ("FakeNumericalGradient()", lambda: S.FakeNumericalGradient()),
                       ("LogTailedReLU()", lambda: S.LogTailedReLU()), ("LogTailedReLU(alpha=0.1, spiking=False)", lambda: S.LogTailedReLU(0.1, False))]:
        reprs[key] = repr(build())
    f = S.FakeNumericalGradient()
    f.set_spiking_mode(False)
    try:
        f(torch.zeros(2))
        fng = None
    except NotImplementedError as e:
        fng = f"NotImplementedError{(': ' + str(e)) if str(e) else ''}"
    facts = {"upstream": upstream("0.0.0.0.14"), "reprs": reprs, "fake_numerical_gradient_primitive_error": fng}
    with open(os.path.join(out, "surrogate", "facts_0.0.0.0.14.json"), "w") as fh:
        fh.write(tensorjson.dumps(facts))


# ---- neurons ---------------------------------------------------------------------------------------------------------------------

def neuron_inputs(cls, seed):
    g = torch.Generator().manual_seed(seed)
    u = torch.rand((T_STEPS,) + SHAPE, generator=g)
    base = cls.replace("MultiStep", "")
    if base == "IFNode":
        x = u * 1.0 - 0.2
        x[0, 0, 0] = 1.0  # v = 0 + 1 = v_threshold exactly: fires (x >= 0)
    elif base in ("LIFNode", "ParametricLIFNode"):
        x = u * 2.5
        x[0, 0, 0] = 2.0  # v = (2 - 0) / 2 = v_threshold exactly: fires
    elif base == "QIFNode":
        x = u * 1.5
    else:  # EIFNode
        x = u * 1.5 - 0.3
    w = torch.randn((T_STEPS,) + SHAPE, generator=g)
    return x, w


def build_neuron(cls, kw):
    from spikingjelly.clock_driven import neuron as N
    return getattr(N, cls)(**kw)


def record_neuron(out, case, cls, kw, seed, description, optimizer=None):
    from spikingjelly.clock_driven import neuron as N  # noqa: F401
    x, w = neuron_inputs(cls, seed)
    multi = cls.startswith("MultiStep")
    if multi:
        inputs, weights = [x], [w]
        cats = {"memory:.spike_seq": "spikes", "loss": "loss"}
    else:
        inputs, weights = [x[t] for t in range(T_STEPS)], [w[t] for t in range(T_STEPS)]
        cats = {"loss": "loss"}
    fx = R.record(lambda: build_neuron(cls, kw), inputs, name=f"spikingjelly_neuron_{case}", seed=seed,
                  upstream=upstream("0.0.0.0.8"), description=description, loss=R.loss_weighted_sum(weights),
                  categories=cats, tolerances=FORWARD_ABS, optimizer=optimizer, iterations=2 if optimizer else None)
    R.save(fx, os.path.join(out, "neuron", case + ".json"))
    return fx


def run_single_vs_multi(cls, kw, seed):
    """Asserts, on the real library, that MultiStep<cls> equals <cls> stepped over T (spikes, v, gradients)."""
    from spikingjelly.clock_driven import neuron as N
    x, w = neuron_inputs(cls, seed)
    torch.manual_seed(0)
    single = getattr(N, cls)(**kw)
    multi = getattr(N, "MultiStep" + cls)(**kw)
    if hasattr(single, "w"):
        with torch.no_grad():
            multi.w.copy_(single.w)
    xs = x.clone().requires_grad_(True)
    spikes, vs = [], []
    for t in range(T_STEPS):
        spikes.append(single(xs[t]))
        vs.append(single.v)
    (torch.stack(spikes) * w).sum().backward()
    xm = x.clone().requires_grad_(True)
    sm = multi(xm)
    (sm * w).sum().backward()
    assert torch.equal(torch.stack(spikes), sm), f"{cls}: multi-step spikes differ"
    assert torch.allclose(torch.stack(vs), multi.v_seq, atol=1e-6, rtol=0), f"{cls}: multi-step v differs"
    assert torch.allclose(xs.grad, xm.grad, atol=1e-6, rtol=1e-5), f"{cls}: multi-step input grads differ"
    if hasattr(single, "w"):
        assert torch.allclose(single.w.grad, multi.w.grad, atol=1e-6, rtol=1e-5), f"{cls}: multi-step w grads differ"


def neurons(out):
    from spikingjelly.clock_driven import surrogate as S
    n = 0
    seeds = {"IFNode": 11, "LIFNode": 12, "ParametricLIFNode": 13, "QIFNode": 14, "EIFNode": 15}
    for base, seed in seeds.items():
        for cls in (base, "MultiStep" + base) if base != "QIFNode" else (base,):
            for reset in ("hard", "soft"):
                for detach in (False, True):
                    kw = {"detach_reset": detach}
                    if reset == "soft":
                        kw["v_reset"] = None
                    case = f"{cls}_{reset}_{'detach' if detach else 'nodetach'}"
                    desc = (f"spikingjelly 0.0.0.0.8 neuron.{cls}({', '.join(f'{k}={v}' for k, v in kw.items())}) over T={T_STEPS} "
                            f"steps of {list(SHAPE)} inputs{' (one [T, 2, 5] sequence)' if cls.startswith('MultiStep') else ''}; "
                            f"loss sum_t sum(spike_t * w_t)")
                    record_neuron(out, case, cls, kw, seed, desc)
                    n += 1
                    if base != "QIFNode" and not cls.startswith("MultiStep"):
                        run_single_vs_multi(base, kw, seed)
    customs = [
        ("LIFNode_custom", "LIFNode", lambda: {"tau": 3.0, "v_threshold": 0.8, "v_reset": -0.2, "surrogate_function": S.ATan(alpha=3.0)}, 21, None),
        ("MultiStepLIFNode_custom", "MultiStepLIFNode", lambda: {"tau": 3.0, "v_threshold": 0.8, "v_reset": -0.2, "surrogate_function": S.ATan(alpha=3.0)}, 21, None),
        ("ParametricLIFNode_custom_sgd", "ParametricLIFNode",
         lambda: {"init_tau": 3.0, "v_threshold": 0.9, "v_reset": -0.2, "surrogate_function": S.PiecewiseExp(alpha=2.0)}, 22,
         lambda params: torch.optim.SGD(params, lr=0.5)),
        ("QIFNode_custom", "QIFNode", lambda: {"tau": 3.0, "v_c": 0.7, "a0": 1.5, "v_threshold": 1.2, "v_rest": 0.1, "v_reset": -0.2,
                                               "surrogate_function": S.Erf()}, 23, None),
        ("EIFNode_custom", "EIFNode", lambda: {"tau": 3.0, "delta_T": 0.5, "theta_rh": 0.6, "v_threshold": 1.1, "v_rest": 0.1,
                                               "v_reset": -0.3, "surrogate_function": S.SoftSign()}, 24, None),
        ("IFNode_plrelu", "IFNode", lambda: {"surrogate_function": S.PiecewiseLeakyReLU(w=0.5, c=0.1)}, 25, None),
        ("MultiStepIFNode_squarewave", "MultiStepIFNode", lambda: {"v_reset": None, "surrogate_function": S.SquarewaveFourierSeries(n=4, T_period=8.)}, 26, None),
    ]
    for case, cls, kwf, seed, opt in customs:
        with R.capture_args():
            kw = kwf()
        desc = f"spikingjelly 0.0.0.0.8 neuron.{cls} with non-default arguments over T={T_STEPS}; loss sum_t sum(spike_t * w_t)"
        record_neuron(out, case, cls, kw, seed, desc + ("; SGD(lr=0.5) 2 iterations" if opt else ""), optimizer=opt)
        n += 1
    # a [T, N, C, H, W] sequence
    g = torch.Generator().manual_seed(27)
    x = torch.rand(4, 2, 3, 2, 2, generator=g) * 1.2 - 0.1
    w = torch.randn(4, 2, 3, 2, 2, generator=g)
    fx = R.record(lambda: build_neuron("MultiStepIFNode", {}), [x], name="spikingjelly_neuron_MultiStepIFNode_5d", seed=27,
                  upstream=upstream("0.0.0.0.8"), loss=R.loss_weighted_sum([w]), categories={"memory:.spike_seq": "spikes", "loss": "loss"},
                  tolerances=FORWARD_ABS, description="spikingjelly 0.0.0.0.8 neuron.MultiStepIFNode() on a [4, 2, 3, 2, 2] sequence")
    R.save(fx, os.path.join(out, "neuron", "MultiStepIFNode_5d.json"))
    return n + 1


def encode_memory(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, float):
        return tensorjson.encode_float(v)
    if isinstance(v, torch.Tensor):
        return tensorjson.encode_tensor(v.detach())
    raise TypeError(f"unexpected memory value {type(v).__name__}")


def reset_cases(out):
    from spikingjelly.clock_driven import neuron as N
    cases = []
    for cls in ["IFNode", "MultiStepIFNode", "LIFNode", "MultiStepLIFNode", "ParametricLIFNode", "MultiStepParametricLIFNode",
                "QIFNode", "EIFNode", "MultiStepEIFNode"]:
        for kw in ({}, {"v_reset": None}):
            m = getattr(N, cls)(**kw)
            rec = {"class": cls, "v_reset": "default" if not kw else None,
                   "initial": [[k, encode_memory(v)] for k, v in m.named_memories()]}
            x, _ = neuron_inputs(cls, 31)
            if cls.startswith("MultiStep"):
                m(x[:3])
            else:
                for t in range(3):
                    m(x[t])
            rec["after_run_types"] = [[k, type(v).__name__ if not isinstance(v, torch.Tensor) else "Tensor"] for k, v in m.named_memories()]
            m.reset()
            rec["after_reset"] = [[k, encode_memory(v)] for k, v in m.named_memories()]
            rec["state_dict_keys"] = list(m.state_dict().keys())
            cases.append(rec)
    with open(os.path.join(out, "neuron", "reset.json"), "w") as fh:
        fh.write(tensorjson.dumps({"upstream": upstream("0.0.0.0.8"), "cases": cases}))


def facts_08(out):
    from spikingjelly.clock_driven import neuron as N, surrogate as S
    reprs = {}
    builds = [
        ("PiecewiseQuadratic()", lambda: S.PiecewiseQuadratic()), ("PiecewiseExp()", lambda: S.PiecewiseExp()),
        ("Sigmoid()", lambda: S.Sigmoid()), ("Sigmoid(alpha=4.0, spiking=False)", lambda: S.Sigmoid(4.0, False)),
        ("SoftSign()", lambda: S.SoftSign()), ("ATan()", lambda: S.ATan()), ("NonzeroSignLogAbs()", lambda: S.NonzeroSignLogAbs()),
        ("Erf()", lambda: S.Erf()), ("PiecewiseLeakyReLU()", lambda: S.PiecewiseLeakyReLU()),
        ("SquarewaveFourierSeries()", lambda: S.SquarewaveFourierSeries()),
        ("IFNode()", lambda: N.IFNode()), ("IFNode(v_reset=None, detach_reset=True)", lambda: N.IFNode(v_reset=None, detach_reset=True)),
        ("MultiStepIFNode()", lambda: N.MultiStepIFNode()), ("LIFNode()", lambda: N.LIFNode()),
        ("LIFNode(tau=3.0, surrogate_function=ATan())", lambda: N.LIFNode(tau=3.0, surrogate_function=S.ATan())),
        ("MultiStepLIFNode()", lambda: N.MultiStepLIFNode()), ("ParametricLIFNode()", lambda: N.ParametricLIFNode()),
        ("ParametricLIFNode(init_tau=3.0)", lambda: N.ParametricLIFNode(init_tau=3.0)),
        ("MultiStepParametricLIFNode()", lambda: N.MultiStepParametricLIFNode()), ("QIFNode()", lambda: N.QIFNode()),
        ("EIFNode()", lambda: N.EIFNode()), ("MultiStepEIFNode(v_reset=None)", lambda: N.MultiStepEIFNode(v_reset=None)),
    ]
    for key, build in builds:
        reprs[key] = repr(build())
    x = torch.tensor([-1.0, 0.0, 0.5, 1.0], requires_grad=True)
    try:
        S.PiecewiseQuadratic()(x)
        pq = None
    except TypeError as e:
        pq = f"TypeError: {e}"
    int_assert = False
    try:
        N.IFNode(v_threshold=1)
    except AssertionError:
        int_assert = True
    plr = S.PiecewiseLeakyReLU()
    plr.set_spiking_mode(False)
    xx = torch.linspace(-2, 2, 9)
    plr_still_heaviside = bool(torch.equal(plr(xx), S.heaviside(xx)))
    # the surrogate-gradient vs primitive-derivative relation of PiecewiseLeakyReLU, measured
    xg = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
    S.PiecewiseLeakyReLU(spiking=True)(xg).sum().backward()
    sg = xg.grad.clone()
    xg.grad = None
    S.PiecewiseLeakyReLU(spiking=False)(xg).sum().backward()
    sur_keys = [k for k in reprs if not k.split("(")[0].endswith("Node")]
    surrogate_facts = {
        "upstream": upstream("0.0.0.0.8"),
        "reprs": {k: reprs[k] for k in sur_keys},
        "piecewise_quadratic_forward_with_grad_error": pq,
        "piecewise_leaky_relu_set_spiking_mode_false_still_heaviside": plr_still_heaviside,
        "piecewise_leaky_relu_grid": tensorjson.encode_tensor(xg.detach()),
        "piecewise_leaky_relu_spiking_grad": tensorjson.encode_tensor(sg),
        "piecewise_leaky_relu_primitive_grad": tensorjson.encode_tensor(xg.grad),
    }
    neuron_facts = {
        "upstream": upstream("0.0.0.0.8"),
        "reprs": {k: v for k, v in reprs.items() if k not in sur_keys},
        "neuron_int_argument_asserts": int_assert,
        "default_surrogate_shared_within_class": N.IFNode().surrogate_function is N.IFNode().surrogate_function,
        "default_surrogate_shared_across_classes": N.IFNode().surrogate_function is N.LIFNode().surrogate_function,
        "plif_state_dict_keys": list(N.ParametricLIFNode().state_dict().keys()),
        "lif_state_dict_keys": list(N.LIFNode().state_dict().keys()),
    }
    with open(os.path.join(out, "surrogate", "facts_0.0.0.0.8.json"), "w") as fh:
        fh.write(tensorjson.dumps(surrogate_facts))
    with open(os.path.join(out, "neuron", "facts_0.0.0.0.8.json"), "w") as fh:
        fh.write(tensorjson.dumps(neuron_facts))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", nargs="?", default=os.path.join(ROOT, "fixtures", "spikingjelly"))
    ap.add_argument("--sj14", default="/tmp/sj14", help="directory holding release 0.0.0.0.14's spikingjelly/ package")
    ap.add_argument("--part", choices=["all", "08", "later"], default="all")
    a = ap.parse_args()
    out = os.path.abspath(a.outdir)
    os.makedirs(os.path.join(out, "surrogate"), exist_ok=True)
    os.makedirs(os.path.join(out, "neuron"), exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    if a.part == "later":
        check_release("0.0.0.0.14")
        n = surrogates_14(out)
        facts_14(out)
        print(f"0.0.0.0.14: {n} surrogate fixtures")
        return
    check_release("0.0.0.0.8")
    ns = surrogates_08(out)
    nn_ = neurons(out)
    reset_cases(out)
    facts_08(out)
    print(f"0.0.0.0.8: {ns} surrogate fixtures, {nn_} neuron fixtures")
    if a.part == "all":
        env = dict(os.environ, PYTHONPATH=os.path.abspath(a.sj14))
        subprocess.run([sys.executable, os.path.abspath(__file__), out, "--part", "later"], env=env, check=True)


if __name__ == "__main__":
    main()
