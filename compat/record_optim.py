"""Record torch.optim trajectories and lr-scheduler sequences from REAL PyTorch for spikeport's optim tests.

Run with Debian's interpreter (python3-torch, PyTorch 1.13):

    /usr/bin/python3 compat/record_optim.py [outdir]      # default outdir: fixtures/torch/optim

Writes sgd.json, adam.json, adamw.json, rmsprop.json and lr_scheduler.json. Every optimizer case optimizes the same
deterministic problem from the same float32 initial values for 5 steps, through the ordinary single-tensor ("for-loop")
path that torch 1.13 takes by default (foreach=None):

    loss = sum((((X @ W1.T + b1) @ W2.T + b2) - T) ** 2)      X [8,4], T [8,3]
    params: W1 [5,4], b1 [5], z [4] (not in the loss: its grad stays None and the optimizers skip it), W2 [3,5], b2 [3]

Per step it records the loss, the gradients torch computed and the parameters after optimizer.step(), so a replay can
either rebuild the loss with its own autograd or feed torch's gradients to isolate the update arithmetic. It also records
optimizer.state_dict() after the last step (state tensors, param_groups with the defaults torch filled in).

The scheduler file records get_last_lr() after construction and after each of 20 scheduler.step() calls (two param
groups with different lrs), scheduler.state_dict() keys, a resumed CosineAnnealingLR (last_epoch != -1), and SGD with
momentum driven by a scheduler (params and lrs after every step). Output is deterministic (sorted keys, tensors as
base64 little-endian bytes via compat/tensorjson.py).
"""
import os
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import encode, dump  # noqa: E402

torch.set_num_threads(1)
warnings.simplefilter("ignore")  # lr_scheduler warns when stepped without optimizer.step(); that is intended here

STEPS = 5
PARAM_NAMES = ["W1", "b1", "z", "W2", "b2"]


def make_problem():
    rng = np.random.default_rng(20240613)
    f = lambda *shape, scale=1.0: (rng.standard_normal(shape) * scale).astype(np.float32)
    data = {"X": f(8, 4), "T": f(8, 3)}
    init = {"W1": f(5, 4, scale=0.5), "b1": f(5, scale=0.1), "z": f(4), "W2": f(3, 5, scale=0.5), "b2": f(3, scale=0.1)}
    return data, init


DATA, INIT = make_problem()
X = torch.from_numpy(DATA["X"])
T = torch.from_numpy(DATA["T"])


def fresh_params():
    return {k: torch.from_numpy(v.copy()).requires_grad_(True) for k, v in INIT.items()}


def loss_fn(p):
    return ((((X @ p["W1"].t() + p["b1"]) @ p["W2"].t() + p["b2"]) - T) ** 2).sum()


def plain(v):
    """JSON-able copy of a param_group / state value (tuples -> lists, tensors encoded)."""
    if isinstance(v, torch.Tensor):
        e = encode(v)
        e["shape"] = list(v.shape)  # tensorjson.encode turns 0-d into shape [1] (np.ascontiguousarray); keep Adam's 0-d step
        return e
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    return v


def build(cls, options, groups, params):
    if groups is None:
        return cls([params[k] for k in PARAM_NAMES], **options)
    return cls([dict(g, params=[params[k] for k in g["params"]]) for g in groups], **options)


def run_case(name, cls, options, groups=None):
    params = fresh_params()
    opt = build(cls, options, groups, params)
    steps = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(params)
        loss.backward()
        grads = {k: encode(p.grad) for k, p in params.items() if p.grad is not None}
        opt.step()
        steps.append({"loss": float(loss), "grads": grads, "params": {k: encode(p) for k, p in params.items()}})
    sd = opt.state_dict()
    return {
        "name": name,
        "optimizer": cls.__name__,
        "options": options,
        "groups": groups,
        "steps": steps,
        "state_dict": {"state": {str(i): plain(s) for i, s in sd["state"].items()}, "param_groups": plain(sd["param_groups"])},
    }


TWO_GROUPS = [{"params": ["W1", "b1", "z"], "lr": 0.02}, {"params": ["W2", "b2"]}]


def sgd_cases():
    S = torch.optim.SGD
    return [
        run_case("plain", S, {"lr": 0.01}),
        run_case("momentum", S, {"lr": 0.01, "momentum": 0.9}),
        run_case("dampening", S, {"lr": 0.01, "momentum": 0.9, "dampening": 0.3}),
        run_case("nesterov", S, {"lr": 0.004, "momentum": 0.9, "nesterov": True}),
        run_case("weight_decay", S, {"lr": 0.01, "weight_decay": 0.1}),
        run_case("weight_decay_momentum", S, {"lr": 0.01, "momentum": 0.5, "weight_decay": 0.05}),
        run_case("maximize", S, {"lr": 0.002, "maximize": True}),
        run_case("nesterov_weight_decay_maximize", S, {"lr": 0.001, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05, "maximize": True}),
        run_case("two_groups", S, {"lr": 0.005, "momentum": 0.9},
                 [{"params": ["W1", "b1", "z"], "lr": 0.02}, {"params": ["W2", "b2"], "momentum": 0.5, "dampening": 0.1}]),
    ]


def adam_cases(cls):
    cases = [
        run_case("default", cls, {}),
        run_case("amsgrad", cls, {"lr": 0.01, "amsgrad": True}),
        # fast second-moment decay so max_exp_avg_sq really differs from exp_avg_sq
        run_case("amsgrad_fast_beta2", cls, {"lr": 0.05, "betas": [0.9, 0.6], "amsgrad": True}),
        run_case("weight_decay", cls, {"lr": 0.01, "weight_decay": 0.1}),
        run_case("maximize", cls, {"lr": 0.01, "maximize": True}),
        run_case("betas_eps", cls, {"lr": 0.02, "betas": [0.8, 0.95], "eps": 1e-6}),
        run_case("two_groups", cls, {"lr": 0.01}, [{"params": ["W1", "b1", "z"], "lr": 0.03, "amsgrad": True}, {"params": ["W2", "b2"], "weight_decay": 0.2}]),
    ]
    if cls is torch.optim.AdamW:
        cases.append(run_case("amsgrad_weight_decay_maximize", cls, {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True, "maximize": True}))
    return cases


def rmsprop_cases():
    R = torch.optim.RMSprop
    return [
        run_case("default", R, {}),
        run_case("momentum", R, {"lr": 0.01, "momentum": 0.9}),
        run_case("centered", R, {"lr": 0.01, "centered": True}),
        run_case("weight_decay", R, {"lr": 0.01, "weight_decay": 0.1}),
        run_case("centered_momentum", R, {"lr": 0.005, "centered": True, "momentum": 0.7}),
        run_case("alpha_eps", R, {"lr": 0.01, "alpha": 0.9, "eps": 1e-6}),
        run_case("maximize", R, {"lr": 0.01, "maximize": True}),
        run_case("two_groups", R, {"lr": 0.01}, [{"params": ["W1", "b1", "z"], "lr": 0.003, "centered": True}, {"params": ["W2", "b2"], "momentum": 0.5}]),
    ]


# ---- lr schedulers ------------------------------------------------------------------------------------------------------

SCHED_STEPS = 20
SCHEDULERS = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("StepLR_default_gamma", {"step_size": 4}),
    ("MultiStepLR", {"milestones": [2, 5, 5, 9, 15], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}),
    ("CosineAnnealingLR_eta0", {"T_max": 5}),
]


def sched_class(name):
    return getattr(torch.optim.lr_scheduler, name.split("_")[0])


def sched_state(s):
    out = {}
    for k, v in s.state_dict().items():
        out[k] = {str(m): c for m, c in sorted(v.items())} if k == "milestones" else plain(v)
    return out


def sequence_case(name, kwargs):
    p = fresh_params()
    opt = torch.optim.SGD([{"params": [p["W1"]], "lr": 0.1}, {"params": [p["b1"]], "lr": 0.05}], lr=0.1)
    s = sched_class(name)(opt, **kwargs)
    lrs = [s.get_last_lr()]
    for _ in range(SCHED_STEPS):
        s.step()
        lrs.append(s.get_last_lr())
    return {"name": name, "scheduler": sched_class(name).__name__, "kwargs": kwargs, "group_lrs": [0.1, 0.05],
            "lrs": lrs, "state_dict": sched_state(s)}


def resumed_case():
    """CosineAnnealingLR constructed with last_epoch=4 on groups that carry initial_lr: the closed-form first step."""
    p = fresh_params()
    opt = torch.optim.SGD([{"params": [p["W1"]], "lr": 0.07, "initial_lr": 0.1}, {"params": [p["b1"]], "lr": 0.03, "initial_lr": 0.05}], lr=0.1)
    s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6, eta_min=0.002, last_epoch=4)
    lrs = [s.get_last_lr()]
    for _ in range(10):
        s.step()
        lrs.append(s.get_last_lr())
    return {"name": "CosineAnnealingLR_resumed", "scheduler": "CosineAnnealingLR", "kwargs": {"T_max": 6, "eta_min": 0.002, "last_epoch": 4},
            "groups": [{"lr": 0.07, "initial_lr": 0.1}, {"lr": 0.03, "initial_lr": 0.05}], "lrs": lrs, "state_dict": sched_state(s)}


def training_case(name, sched_name, kwargs, steps=8):
    params = fresh_params()
    opt = torch.optim.SGD([params[k] for k in PARAM_NAMES], lr=0.01, momentum=0.9)
    s = sched_class(sched_name)(opt, **kwargs)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(params)
        loss.backward()
        opt.step()
        s.step()
        out.append({"loss": float(loss), "lr": s.get_last_lr(), "params": {k: encode(p) for k, p in params.items()}})
    return {"name": name, "scheduler": sched_class(sched_name).__name__, "kwargs": kwargs,
            "optimizer": "SGD", "options": {"lr": 0.01, "momentum": 0.9}, "steps": out}


def meta():
    return {
        "library": "torch",
        "version": torch.__version__,
        "producer": "compat/record_optim.py (real torch.optim, single-tensor path, torch.set_num_threads(1))",
        "problem": "loss = sum((((X @ W1.T + b1) @ W2.T + b2) - T) ** 2); z is optimized but unused (grad None)",
        "tolerance": {"params_abs": 1e-6, "params_rel": 1e-5, "lr_rel": 1e-12},
    }


def problem():
    return {"data": {k: encode(v) for k, v in DATA.items()}, "init": {k: encode(v) for k, v in INIT.items()},
            "param_order": PARAM_NAMES, "steps": STEPS}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "torch", "optim")
    os.makedirs(out, exist_ok=True)
    files = {
        "sgd.json": sgd_cases(),
        "adam.json": adam_cases(torch.optim.Adam),
        "adamw.json": adam_cases(torch.optim.AdamW),
        "rmsprop.json": rmsprop_cases(),
    }
    for fname, cases in files.items():
        dump({"meta": meta(), "problem": problem(), "cases": cases}, os.path.join(out, fname))
    sched = {
        "meta": meta(), "problem": problem(),
        "sequences": [sequence_case(n, k) for n, k in SCHEDULERS] + [resumed_case()],
        "training": [training_case("SGD_StepLR", "StepLR", {"step_size": 2, "gamma": 0.5}),
                     training_case("SGD_CosineAnnealingLR", "CosineAnnealingLR", {"T_max": 4, "eta_min": 0.001})],
    }
    dump(sched, os.path.join(out, "lr_scheduler.json"))
    n = sum(len(c) for c in files.values()) + len(sched["sequences"]) + len(sched["training"])
    print(f"wrote {n} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
