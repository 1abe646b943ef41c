"""spikeport_recorder: run a REAL PyTorch / spikingjelly module and record a spikeport fixture.

A fixture (fixtures/README.md) captures one case: the module tree (class + constructor arguments), its state_dict
before the run, the inputs of every step, per-step outputs, per-step memories of every memory module (spikingjelly
neuron state is not in the state_dict), optional per-layer inputs/outputs (forward hooks), a stated loss and its
value, the gradients w.r.t. the inputs and every parameter, and optionally K optimizer iterations (loss and
state_dict after each step). spikeport replays it in TypeScript (`spikeport/fixtures`: replay, toMatchFixture).

Usage (Debian's /usr/bin/python3 has torch 1.13; put spikingjelly on PYTHONPATH if the model uses it):

    import sys; sys.path.insert(0, "compat")
    import torch
    from spikeport_recorder import record, save, loss_mse, capture_args

    with capture_args():                       # optional: records the constructor arguments exactly as written
        net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    x = torch.randn(5, 4)
    fx = record(net, [x], name="my_mlp", loss=loss_mse(torch.randn(5, 3)),
                optimizer=lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9), iterations=3,
                per_layer=True)
    save(fx, "fixtures/mine/my_mlp.json")    # + my_mlp.safetensors when some tensor is above sidecar_threshold

`inputs` is a list with one entry per step (a tensor, or a tuple of tensors = the positional arguments of forward),
or one tensor whose first dimension is time (step t gets x[t]). Between runs every module with a `reset()` method is
reset (spikingjelly's functional.reset_net). Recording runs with torch.set_num_threads(1) and
torch.use_deterministic_algorithms(True); the same call gives the same bytes.
"""
import contextlib
import hashlib
import inspect
import math
import os
import platform
import sys
import weakref

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tensorjson  # noqa: E402

FORMAT = "spikeport-fixture"
VERSION = 1
RECORDER_VERSION = "1"

DEFAULT_TOLERANCES = {
    "spikes": {"kind": "exact"},
    "indices": {"kind": "exact"},
    "masks": {"kind": "exact"},
    "forward": {"kind": "close", "atol": 1e-6, "rtol": 1e-6},
    "gradient": {"kind": "close", "atol": 1e-6, "rtol": 1e-5},
    "statistical": {"kind": "statistical", "test": "mean", "z": 6.0},
}

# Pinned spikingjelly release used by compat/record_fixtures.py (see shared/reference/spikingjelly-setup.md).
SPIKINGJELLY_0_0_0_0_8 = {"library": "spikingjelly", "version": "0.0.0.0.8",
                          "commit": "c14d8ac93eed7d06a386edecdd31af5783176023",
                          "repository": "https://github.com/fangwei123456/spikingjelly"}


# ---- constructor arguments --------------------------------------------------------------------------------------------

_CAPTURED = weakref.WeakKeyDictionary()  # module -> {"args": [(name, value)], "func": __init__ function}



def check_spikingjelly_release(script, version, commit, blobs):
    """Exit unless the importable spikingjelly is `version`: each file's git blob sha1 must equal `blobs[path]`."""
    try:
        import spikingjelly
    except ImportError:
        sys.exit(f"{script}: spikingjelly {version} is not importable; extract it with "
                 f"`git archive {commit} spikingjelly | tar -x -C DIR` and put DIR on PYTHONPATH")
    root = os.path.dirname(os.path.dirname(os.path.abspath(spikingjelly.__file__)))
    for rel, blob in blobs.items():
        if not os.path.isfile(os.path.join(root, rel)):
            sys.exit(f"{script}: {rel} is missing under {root}: that is not spikingjelly {version}")
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read()
        got = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        if got != blob:
            sys.exit(f"{script}: {rel} is not spikingjelly {version} (git blob {got}, expected {blob})")


def _init_function(obj, code):
    for cls in type(obj).__mro__:
        f = cls.__dict__.get("__init__")
        if f is not None and getattr(f, "__code__", None) is code:
            return f
    return None


@contextlib.contextmanager
def capture_args():
    """Inside this block, every nn.Module constructed records the arguments its outermost __init__ received
    (defaults filled in), so a fixture names the constructor call exactly as written."""
    prev = sys.getprofile()

    def prof(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "__init__":
            code = frame.f_code
            if code.co_argcount >= 1:
                obj = frame.f_locals.get(code.co_varnames[0])
                if isinstance(obj, nn.Module):
                    try:
                        known = obj in _CAPTURED
                    except TypeError:
                        known = True
                    if not known:
                        func = _init_function(obj, code)
                        if func is not None:
                            names = list(inspect.signature(func).parameters)[1:]
                            _CAPTURED[obj] = {"args": [(n, frame.f_locals.get(n)) for n in names], "func": func}
        if prev is not None:
            prev(frame, event, arg)

    sys.setprofile(prof)
    try:
        yield
    finally:
        sys.setprofile(prev)


def public_class_name(cls):
    """torch.nn.modules.linear.Linear -> torch.nn.Linear; spikingjelly.clock_driven.neuron.LIFNode stays."""
    mod = cls.__module__ or ""
    if mod.startswith("torch.nn.modules") and getattr(nn, cls.__name__, None) is cls:
        return "torch.nn." + cls.__name__
    if mod.startswith("torch.optim") and getattr(torch.optim, cls.__name__, None) is cls:
        return "torch.optim." + cls.__name__
    return f"{mod}.{cls.__qualname__}"


def _qualname(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_default(value, default):
    if default is inspect.Parameter.empty:
        return False
    if value is default:
        return True
    if isinstance(value, (torch.Tensor, np.ndarray)) or isinstance(default, (torch.Tensor, np.ndarray)):
        return False
    try:
        return type(value) is type(default) and bool(value == default)
    except Exception:
        return False


def _introspect_args(m):
    """Constructor arguments read back from the instance's attributes (for modules built outside capture_args).
    Returns (pairs, func, unknown): unknown lists parameters not found on the instance (their default is assumed)."""
    func = type(m).__init__
    try:
        params = list(inspect.signature(func).parameters.values())[1:]
    except (TypeError, ValueError):
        return [], None, []
    pairs, unknown = [], []
    children = dict(m.named_children())
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            if children and isinstance(m, (nn.Sequential, nn.ModuleList)):
                pairs.append((p.name, list(children.values())))
            else:
                pairs.append((p.name, []))
            continue
        if p.kind == p.VAR_KEYWORD:
            pairs.append((p.name, {}))
            continue
        if hasattr(m, p.name):
            v = getattr(m, p.name)
            if isinstance(p.default, bool) and (v is None or isinstance(v, torch.Tensor)):
                v = v is not None  # bias=True/False stored as a Parameter or None
            pairs.append((p.name, v))
        elif p.default is not inspect.Parameter.empty:
            pairs.append((p.name, p.default))
            unknown.append(p.name)
        else:
            unknown.append(p.name)
    return pairs, func, unknown


# ---- value encoding ---------------------------------------------------------------------------------------------------

class _Encoder:
    """Encodes tensors inline or into the sidecar (tensors larger than `threshold` bytes), and values."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.sidecar = {}

    def tensor(self, t, key):
        dtype, shape, raw = tensorjson.tensor_bytes(t)
        if self.threshold is not None and len(raw) > self.threshold:
            if key in self.sidecar:
                raise ValueError(f"spikeport_recorder: duplicate sidecar key {key!r}")
            self.sidecar[key] = (dtype, shape, raw)
            return {"dtype": dtype, "shape": shape, "sidecar": key}
        import base64
        return {"dtype": dtype, "shape": shape, "data": base64.b64encode(raw).decode("ascii")}

    def value(self, v, key, owner=None, depth=0):
        if depth > 24:
            raise ValueError(f"spikeport_recorder: value at {key!r} nests too deeply")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            return int(v)
        if isinstance(v, (float, np.floating)):
            return tensorjson.encode_float(float(v))
        if isinstance(v, torch.Tensor):
            return self.tensor(v, key)
        if isinstance(v, np.ndarray):
            return self.tensor(v, key)
        if isinstance(v, torch.dtype):
            return {"$dtype": str(v).replace("torch.", "")}
        if isinstance(v, torch.Size):
            return [int(s) for s in v]
        if isinstance(v, (list, tuple)):
            return [self.value(x, f"{key}/{i}", owner, depth + 1) for i, x in enumerate(v)]
        if isinstance(v, dict):
            return {"$dict": [[str(k), self.value(x, f"{key}/{k}", owner, depth + 1)] for k, x in v.items()]}
        if isinstance(v, nn.Module) and owner is not None:
            for n, c in owner.named_children():
                if c is v:
                    return {"$module": n}
        if isinstance(v, nn.Module):
            return {"$object": self.object_spec(v, key, depth + 1)}
        if inspect.isfunction(v) or inspect.isbuiltin(v) or inspect.isclass(v):
            return {"$object": {"class": "function" if not inspect.isclass(v) else "class",
                                "qualname": f"{getattr(v, '__module__', '')}.{getattr(v, '__qualname__', repr(v))}"}}
        r = repr(v)
        spec = {"class": public_class_name(type(v)), "qualname": _qualname(type(v))}
        if " at 0x" not in r:
            spec["repr"] = r
        return {"$object": spec}

    def object_spec(self, m, key, depth=0):
        """class, constructor arguments and how they were found, for one module (children not included)."""
        cap = _CAPTURED.get(m)
        if cap is not None:
            pairs, func, unknown, source = cap["args"], cap["func"], [], "captured"
        else:
            pairs, func, unknown = _introspect_args(m)
            source = "introspected"
        sig = {}
        if func is not None:
            try:
                sig = dict(list(inspect.signature(func).parameters.items())[1:])
            except (TypeError, ValueError):
                sig = {}
        args, required, defaults, varargs, varkw = [], [], [], None, None
        for name, v in pairs:
            p = sig.get(name)
            if p is not None and p.kind == p.VAR_POSITIONAL:
                varargs = name
            elif p is not None and p.kind == p.VAR_KEYWORD:
                varkw = name
            elif p is not None and p.default is inspect.Parameter.empty:
                required.append(name)
            elif p is not None and _is_default(v, p.default):
                defaults.append(name)
            args.append([name, self.value(v, f"{key}/args/{name}", m, depth + 1)])
        spec = {"class": public_class_name(type(m)), "qualname": _qualname(type(m)), "args": args,
                "required": required, "defaults": defaults, "varargs": varargs, "varkw": varkw,
                "args_source": source, "args_complete": not any(n in required for n in unknown) and func is not None,
                "unknown_args": unknown}
        return spec


def module_spec(enc, m, path=""):
    spec = enc.object_spec(m, f"module/{path}")
    spec["training"] = bool(m.training)
    spec["children"] = [[n, module_spec(enc, c, f"{path}.{n}" if path else n)] for n, c in m.named_children()]
    return spec


# ---- memories, reset, categories --------------------------------------------------------------------------------------

def memory_modules(module):
    """[(path, module)] of every submodule with named_memories() (spikingjelly's MemoryModule), duck-typed."""
    return [(p, m) for p, m in module.named_modules() if callable(getattr(m, "named_memories", None))]


def reset_net(module):
    """spikingjelly's functional.reset_net when spikingjelly is importable; else the same walk: reset() every module
    that has one."""
    try:
        from spikingjelly.clock_driven import functional as sjf
        sjf.reset_net(module)
        return
    except ImportError:
        pass
    for m in module.modules():
        if callable(getattr(m, "reset", None)):
            m.reset()


def _is_spiking(m):
    if hasattr(m, "v_threshold") and callable(getattr(m, "named_memories", None)):
        return True
    kids = list(m.children())
    if isinstance(m, nn.Sequential) and kids:
        return _is_spiking(kids[-1])
    return False


def _binary(t):
    return t.numel() > 0 and bool(((t == 0) | (t == 1)).all())


def _category_of(value, spiking):
    if isinstance(value, torch.Tensor):
        if value.dtype in (torch.int32, torch.int64):
            return "indices"
        if value.dtype == torch.bool:
            return "masks"
        if spiking and _binary(value):
            return "spikes"
    if isinstance(value, (list, tuple)):
        cats = {_category_of(v, spiking) for v in value}
        return cats.pop() if len(cats) == 1 else "forward"
    return "forward"


def _snapshot(v):
    if isinstance(v, torch.Tensor):
        return v.detach().clone()
    if isinstance(v, (list, tuple)):
        return [_snapshot(x) for x in v]
    return v


# ---- losses -----------------------------------------------------------------------------------------------------------

def loss_weighted_sum(weights):
    """loss = sum_t sum(output_t * weights[t]) (weights: a list per step, or a tensor with a leading time dim)."""
    return {"kind": "weighted_sum", "weights": list(weights)}


def loss_mse(target):
    """loss = F.mse_loss(stack(outputs).mean(0), target) (mean reduction)."""
    return {"kind": "mse", "target": target}


def loss_cross_entropy(labels):
    """loss = F.cross_entropy(stack(outputs).mean(0), labels) (mean reduction; labels are class indices)."""
    return {"kind": "cross_entropy", "labels": labels}


def compute_loss(spec, outputs):
    kind = spec["kind"]
    if kind == "weighted_sum":
        ws = spec["weights"]
        if len(ws) != len(outputs):
            raise ValueError(f"loss_weighted_sum: {len(ws)} weights for {len(outputs)} steps")
        loss = (outputs[0] * ws[0]).sum()
        for t in range(1, len(outputs)):
            loss = loss + (outputs[t] * ws[t]).sum()
        return loss
    y = torch.stack(list(outputs), 0).mean(0)
    if kind == "mse":
        return F.mse_loss(y, spec["target"])
    if kind == "cross_entropy":
        return F.cross_entropy(y, spec["labels"])
    raise ValueError(f"spikeport_recorder: unknown loss kind {kind!r} (weighted_sum, mse, cross_entropy)")


def _encode_loss(enc, spec):
    kind = spec["kind"]
    if kind == "weighted_sum":
        return {"kind": kind, "weights": [enc.tensor(w, f"loss/weights/{t}") for t, w in enumerate(spec["weights"])]}
    if kind == "mse":
        return {"kind": kind, "reduction": "mean", "time_reduction": "mean", "target": enc.tensor(spec["target"], "loss/target")}
    return {"kind": kind, "reduction": "mean", "time_reduction": "mean", "labels": enc.tensor(spec["labels"], "loss/labels")}


# ---- the run ----------------------------------------------------------------------------------------------------------

def _normalize_inputs(inputs):
    if isinstance(inputs, torch.Tensor):
        steps = [inputs[t] for t in range(inputs.shape[0])]
    else:
        steps = list(inputs)
    out = []
    for s in steps:
        args = tuple(s) if isinstance(s, (list, tuple)) else (s,)
        for a in args:
            if not isinstance(a, torch.Tensor):
                raise TypeError(f"spikeport_recorder.record: every step input must be a tensor, got {type(a).__name__}")
        out.append(args)
    if not out:
        raise ValueError("spikeport_recorder.record: inputs must hold at least one step")
    return out


class _Run:
    def __init__(self):
        self.inputs, self.outputs, self.memories, self.layers, self.masks = [], [], [], [], []


def _masks_of(module, mask_attrs):
    out = []
    for p, m in module.named_modules():
        for a in mask_attrs:
            v = getattr(m, a, None) if (a in getattr(m, "_memories", {}) or a in m.__dict__) else None
            if isinstance(v, torch.Tensor):
                out.append((p, a, v.detach().clone()))
    return out


def _run(module, steps, per_layer, mask_attrs, input_grads):
    run = _Run()
    handles = []
    current = []
    if per_layer:
        for path, m in module.named_modules():
            if path == "":
                continue

            def pre(mod, inp, path=path):
                current.append({"module": path, "class": public_class_name(type(mod)), "inputs": _snapshot(list(inp)),
                                "spiking": _is_spiking(mod), "output": None})

            def post(mod, inp, out, path=path):
                for rec in reversed(current):
                    if rec["module"] == path and rec["output"] is None:
                        rec["output"] = _snapshot(out)
                        break

            handles.append(m.register_forward_pre_hook(pre))
            handles.append(m.register_forward_hook(post))
    try:
        for args in steps:
            xs = tuple(a.detach().clone().requires_grad_(input_grads and a.is_floating_point()) for a in args)
            current.clear()
            y = module(*xs)
            run.inputs.append(xs)
            run.outputs.append(y)
            mems = []
            for path, m in memory_modules(module):
                for name, v in m.named_memories():
                    mems.append((path, name, _snapshot(v)))
            run.memories.append(mems)
            run.layers.append(list(current))
            run.masks.append(_masks_of(module, mask_attrs))
    finally:
        for h in handles:
            h.remove()
    return run


def _source_hashes(module):
    """git blob sha1 of the upstream (non-torch) source files defining the classes used, so anyone can check which
    code produced the fixture against the upstream repository."""
    files = {}
    for m in module.modules():
        mod = type(m).__module__ or ""
        if mod.startswith("torch") or mod == "__main__":
            continue
        try:
            path = inspect.getsourcefile(type(m))
        except TypeError:
            continue
        if not path:
            continue
        top = mod.split(".")[0]
        pkg = sys.modules.get(top)
        root = os.path.dirname(os.path.dirname(os.path.abspath(pkg.__file__))) if pkg and getattr(pkg, "__file__", None) else None
        rel = os.path.relpath(path, root) if root else os.path.basename(path)
        with open(path, "rb") as f:
            data = f.read()
        files[rel.replace(os.sep, "/")] = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    return [[k, files[k]] for k in sorted(files)]


def _detect_upstream(module, upstream):
    mods = {(type(m).__module__ or "").split(".")[0] for m in module.modules()}
    if upstream is not None:
        up = dict(upstream)
    elif "spikingjelly" in mods:
        up = {"library": "spikingjelly", "version": None, "commit": None}
    else:
        git = getattr(torch.version, "git_version", None)
        up = {"library": "torch", "version": torch.__version__, "commit": git if git and git != "Unknown" else None}
    up.setdefault("version", None)
    up.setdefault("commit", None)
    files = _source_hashes(module)
    if files:
        up["source_files"] = files
    return up


class Fixture:
    """A recorded fixture: `manifest` (JSON-able dict) and `sidecar` (key -> (dtype, shape, bytes))."""

    def __init__(self, manifest, sidecar):
        self.manifest = manifest
        self.sidecar = sidecar


def _param_names(module):
    return {id(p): n for n, p in module.named_parameters()}


def _state_list(enc, module, key, cat_of):
    return [{"name": n, "value": enc.tensor(v, f"{key}/{n}"), "tol": cat_of(v)} for n, v in module.state_dict().items()]


def record(module, inputs, *, name, description="", loss=None, optimizer=None, iterations=None, per_layer=False,
           seed=0, training=True, mask_attrs=("mask",), categories=None, tolerances=None, sidecar_threshold=65536,
           upstream=None, input_grads=True, reset=True):
    """Runs `module` (an nn.Module, or a zero-argument callable building one; it is then built after
    torch.manual_seed(seed) inside capture_args()) over `inputs` and returns a Fixture.

    loss: loss_weighted_sum / loss_mse / loss_cross_entropy (or the same dicts); None records no gradients.
    optimizer: a callable params -> torch.optim.Optimizer (or a (class, kwargs) pair); `iterations` (default 1)
        training iterations are recorded: iteration 1 steps with the recorded gradients, each later one resets the
        memory modules, re-runs every step, computes the loss, backpropagates and steps.
    per_layer: forward pre-hooks and hooks on every submodule record its inputs and output at every step.
    mask_attrs: attributes (e.g. spikingjelly Dropout's `mask`) recorded after every step as random masks.
    categories: overrides of the tolerance category per quantity: "output", "memory:<path>.<name>",
        "layer:<path>", "gradient:input", "gradient:<param>", "loss".
    tolerances: overrides/additions to DEFAULT_TOLERANCES.
    sidecar_threshold: tensors with more bytes go to the sidecar .safetensors file (None: always inline).
    """
    if loss is None and optimizer is not None:
        raise ValueError("spikeport_recorder.record: an optimizer needs a loss")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    categories = dict(categories or {})
    if not isinstance(module, nn.Module):
        if not callable(module):
            raise TypeError("spikeport_recorder.record: module must be an nn.Module or a callable building one")
        torch.manual_seed(seed)
        with capture_args():
            module = module()
    enc = _Encoder(sidecar_threshold)
    tol = dict(DEFAULT_TOLERANCES)
    tol.update(tolerances or {})

    torch.manual_seed(seed)
    module.train(training)
    module.zero_grad(set_to_none=True)  # the recording starts without gradients
    spec = module_spec(enc, module)
    state_before = [[n, enc.tensor(v, f"state_dict/{n}")] for n, v in module.state_dict().items()]
    steps = _normalize_inputs(inputs)
    root_spiking = _is_spiking(module)
    model_spiking = any(_is_spiking(m) for m in module.modules())

    def cat(key, value, spiking=False, default=None):
        if key in categories:
            return categories[key]
        return default or _category_of(value, spiking)

    def mem_cat(path, mname, v):
        key = f"memory:{path}.{mname}"
        if key in categories:
            return categories[key]
        if mname in mask_attrs:
            return "masks"
        return _category_of(v, mname == "spike")

    if reset:
        reset_net(module)
    run = _run(module, steps, per_layer, mask_attrs, input_grads and loss is not None)

    step_recs = []
    for t in range(len(steps)):
        rec = {"inputs": [enc.tensor(x, f"steps/{t}/inputs/{i}") for i, x in enumerate(run.inputs[t])]}
        y = _snapshot(run.outputs[t])
        rec["output"] = {"value": enc.value(y, f"steps/{t}/output"), "tol": cat("output", y, root_spiking)}
        rec["memories"] = [{"module": p, "name": n, "value": enc.value(v, f"steps/{t}/memories/{p}/{n}"),
                            "tol": mem_cat(p, n, v)} for p, n, v in run.memories[t]]
        if per_layer:
            layers = []
            for k, L in enumerate(run.layers[t]):
                lc = cat(f"layer:{L['module']}", L["output"], L["spiking"] or model_spiking)
                layers.append({"module": L["module"], "class": L["class"],
                               "inputs": [{"value": enc.value(v, f"steps/{t}/layers/{k}/inputs/{i}"),
                                           "tol": _category_of(v, model_spiking)} for i, v in enumerate(L["inputs"])],
                               "output": {"value": enc.value(L["output"], f"steps/{t}/layers/{k}/output"), "tol": lc}})
            rec["layers"] = layers
        if run.masks[t]:
            rec["masks"] = [{"module": p, "attr": a, "value": enc.tensor(v, f"steps/{t}/masks/{p}/{a}"), "tol": "masks"}
                            for p, a, v in run.masks[t]]
        step_recs.append(rec)

    man = {
        "format": FORMAT,
        "version": VERSION,
        "case": {"name": name, "description": description},
        "producer": {"tool": "compat/spikeport_recorder.py", "tool_version": RECORDER_VERSION, "language": "python"},
        "upstream": _detect_upstream(module, upstream),
        "environment": {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__},
        "settings": {"seed": seed, "num_threads": 1, "deterministic_algorithms": True, "training": bool(training),
                     "reset": "reset_net" if reset else "none", "input_grads": bool(input_grads and loss is not None),
                     "mask_attrs": list(mask_attrs)},
        "tolerances": tol,
        "module": spec,
        "state_dict": state_before,
        "steps": step_recs,
    }

    if loss is not None:
        loss = dict(loss)
        if loss["kind"] == "weighted_sum" and isinstance(loss["weights"], torch.Tensor):
            loss["weights"] = list(loss["weights"])
        L = compute_loss(loss, run.outputs)
        L.backward()
        man["loss"] = _encode_loss(enc, loss)
        man["loss"]["value"] = {"value": enc.tensor(L.detach(), "loss/value"), "tol": categories.get("loss", "forward")}
        grads = {"inputs": [], "parameters": []}
        for t, xs in enumerate(run.inputs):
            grads["inputs"].append([None if x.grad is None else
                                    {"value": enc.tensor(x.grad, f"gradients/inputs/{t}/{i}"),
                                     "tol": categories.get("gradient:input", "gradient")} for i, x in enumerate(xs)])
        for n, p in module.named_parameters():
            grads["parameters"].append({"name": n, "value": None if p.grad is None else enc.tensor(p.grad, f"gradients/parameters/{n}"),
                                        "tol": categories.get(f"gradient:{n}", "gradient")})
        man["gradients"] = grads

    bufs = [(n, b) for n, b in module.named_buffers()]
    sd_names = set(module.state_dict().keys())
    bufs = [(n, b) for n, b in bufs if n in sd_names]
    if bufs:
        man["buffers_after_run"] = [{"name": n, "value": enc.tensor(b, f"buffers_after_run/{n}"),
                                     "tol": "indices" if not b.is_floating_point() else "forward"} for n, b in bufs]

    if optimizer is not None:
        man["optimizer"] = _record_optimizer(enc, module, optimizer, iterations or 1, loss, steps, run, mask_attrs,
                                             input_grads, reset, categories)

    return Fixture(man, enc.sidecar)


def _make_optimizer(optimizer, params):
    if isinstance(optimizer, tuple):
        cls, kwargs = optimizer
        return cls(params, **kwargs)
    return optimizer(params)


def _record_optimizer(enc, module, optimizer, iterations, loss, steps, run, mask_attrs, input_grads, reset, categories):
    names = _param_names(module)
    opt = _make_optimizer(optimizer, module.parameters())
    cls = type(opt)
    sig = dict(list(inspect.signature(cls.__init__).parameters.items())[2:])
    kwargs = []
    for k in sorted(opt.defaults):
        p = sig.get(k)
        if p is None or not _is_default(opt.defaults[k], p.default):
            kwargs.append([k, enc.value(opt.defaults[k], f"optimizer/kwargs/{k}")])
    groups = []
    for g in opt.param_groups:
        groups.append({"params": [names[id(p)] for p in g["params"]],
                       "options": [[k, enc.value(g[k], f"optimizer/groups/{k}")] for k in sorted(g) if k != "params"]})
    rec = {"class": public_class_name(cls), "qualname": _qualname(cls), "kwargs": kwargs,
           "defaults": [[k, enc.value(opt.defaults[k], f"optimizer/defaults/{k}")] for k in sorted(opt.defaults)],
           "param_groups": groups, "iterations": []}

    def cat_of(v):
        return "gradient" if v.is_floating_point() else "indices"

    L = None
    for it in range(1, iterations + 1):
        masks = None
        if it == 1:
            L = compute_loss(loss, run.outputs).detach()
        else:
            opt.zero_grad()
            if reset:
                reset_net(module)
            r = _run(module, steps, False, mask_attrs, input_grads)
            Lg = compute_loss(loss, r.outputs)
            Lg.backward()
            L = Lg.detach()
            masks = r.masks
        opt.step()
        entry = {"iteration": it, "loss": {"value": enc.tensor(L, f"optimizer/iterations/{it}/loss"), "tol": "gradient"},
                 "state_dict": _state_list(enc, module, f"optimizer/iterations/{it}/state_dict", cat_of)}
        if masks is not None and any(masks):
            entry["masks"] = [[{"module": p, "attr": a, "value": enc.tensor(v, f"optimizer/iterations/{it}/masks/{t}/{p}/{a}"),
                                "tol": "masks"} for p, a, v in ms] for t, ms in enumerate(masks)]
        rec["iterations"].append(entry)
    state = []
    for p, s in opt.state.items():
        n = names[id(p)]
        state.append({"param": n, "state": [[k, enc.value(s[k], f"optimizer/state/{n}/{k}")] for k in sorted(s)],
                      "tol": "gradient"})
    rec["state"] = state
    return rec


def save(fx, path):
    """Writes the manifest (deterministic JSON) to `path`; when tensors went to the sidecar, writes
    <path without .json>.safetensors beside it and records its file name, size and sha256 in the manifest."""
    man = dict(fx.manifest)
    base = path[:-5] if path.endswith(".json") else path
    side_path = base + ".safetensors"
    if fx.sidecar:
        data = tensorjson.safetensors_bytes(fx.sidecar, {"format": "spikeport-fixture-sidecar", "case": man["case"]["name"]})
        with open(side_path, "wb") as f:
            f.write(data)
        man["sidecar"] = {"file": os.path.basename(side_path), "nbytes": len(data), "sha256": tensorjson.sha256_hex(data)}
    elif os.path.exists(side_path):
        os.remove(side_path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write(tensorjson.dumps(man))
    return path


def load(path):
    """Reads a fixture back: (manifest dict, sidecar dict key -> numpy array or {})."""
    import json
    with open(path) as f:
        man = json.load(f)
    side = {}
    if "sidecar" in man:
        with open(os.path.join(os.path.dirname(path), man["sidecar"]["file"]), "rb") as f:
            data = f.read()
        if len(data) != man["sidecar"]["nbytes"] or tensorjson.sha256_hex(data) != man["sidecar"]["sha256"]:
            raise ValueError(f"spikeport_recorder.load: {path}: the sidecar does not match its recorded size/sha256")
        side = tensorjson.read_safetensors(data)
    return man, side
