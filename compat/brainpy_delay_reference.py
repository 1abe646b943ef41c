"""Reference data for spikeport's bp.VarDelay (src/brainpy/delay.ts): the index arithmetic of BrainPy 2.8.2's delays.

THIS IS NOT BRAINPY. BrainPy needs JAX, which cannot be installed on these machines, so this script imports neither
brainpy nor jax. It is a plain Python/numpy transcription of `brainpy/delay.py` at BrainPy 2.8.2 (commit a13eef5a,
the file's line numbers below), read as a specification:

- `_get_delay` (60-71): a delay time gives `delay_step = math.ceil(delay_time / dt)`; a delay step (an int) is taken
  as is; neither gives None.
- `Delay.__init__` (110-141): method None -> 'rotation' in NonBatchingMode/BatchingMode (exact class), 'concat' in
  TrainingMode, else 'rotation'; `time` gives `max_length = int(time / dt)` (truncation, unlike the entries' ceil)
  and `max_time = time` (0. when None).
- `VarDelay.register_entry` (305-345): an entry whose step exceeds max_length re-allocates the buffer (`_init_data`,
  463-492: zeros, then `init` broadcast into it) and sets `max_length = step`, `max_time = delay_time` (None when the
  entry came by `delay_step`).
- `at` (347-378): step None or 0 -> the target's current value; otherwise `retrieve(step)`.
- `retrieve` (394-424): 'rotation' reads row `(delay_step - i - 1) % max_length`, 'concat' row `delay_step - 1`
  (Python indexing: -1 is the last row), i = share['i']. `delay_step > max_length` raises (jit_error while
  brainpy.check is on, its default).
- `update` (426-454): 'rotation' writes row `-i % max_length`; 'concat' puts the value in row 0 and shifts the rest
  down (`concat([latest, data[:-1]])`), or writes row 0 when max_length == 1. No buffer (max_length 0): nothing.

The buffer has max_length rows (not max_length + 1). Reading before the step's write (a Network updates projections
before neuron groups, and the group's delay is an after-update hook): rotation gives lag max(d - 1, 1) for a lone
entry but lag max_length for d = 1 next to a longer entry; concat gives lag d. Reading after the write (BrainPy's own
delay_test.py): lag d - 1 for both.

Run with Debian's interpreter (numpy 1.24):

    /usr/bin/python3 compat/brainpy_delay_reference.py

Writes fixtures/brainpy/delay/var_delay.json deterministically (sorted JSON keys).
"""
import json
import math
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "brainpy", "delay")
DT = 0.1
SHARE = {}


class Var:
    def __init__(self, value):
        self.value = np.asarray(value, dtype=np.float32)


def _get_delay(delay_time, delay_step):
    if delay_time is None:
        if delay_step is None:
            return None, None
        assert isinstance(delay_step, int)
        delay_time = delay_step * DT
    else:
        assert delay_step is None
        assert isinstance(delay_time, (int, float))
        delay_step = math.ceil(delay_time / DT)
    return delay_time, delay_step


class VarDelayRef:
    def __init__(self, target, time=None, init=None, entries=None, method=None, mode="NonBatchingMode"):
        if method is None:
            if mode in ("NonBatchingMode", "BatchingMode"):
                method = "rotation"
            elif mode == "TrainingMode":
                method = "concat"
            else:
                method = "rotation"
        assert method in ("rotation", "concat")
        self.method = method
        if time is None:
            length, time = 0, 0.
        else:
            length = int(time / DT)
        self.max_length = length
        self.max_time = time
        self._init = init
        self.entries = {}
        self.target = target
        self.data = None
        if self.max_length > 0:
            self._init_data(self.max_length)
        if entries is not None:
            for entry, delay_time in entries.items():
                self.register_entry(entry, delay_time)

    def register_entry(self, entry, delay_time=None, delay_step=None):
        if entry in self.entries:
            raise KeyError(entry)
        _, delay_step = _get_delay(delay_time, delay_step)
        if delay_step is not None:
            if self.max_length < delay_step:
                self._init_data(delay_step)
                self.max_length = delay_step
                self.max_time = delay_time
        self.entries[entry] = delay_step
        return self

    def at(self, entry):
        delay_step = self.entries[entry]
        if delay_step is None or delay_step == 0.:
            return self.target.value.copy()
        return self.retrieve(delay_step)

    def retrieve(self, delay_step):
        assert self.data is not None
        if delay_step > self.max_length:
            raise ValueError("The request delay length should be less than the maximum delay")
        if self.method == "rotation":
            i = SHARE["i"]
            delay_idx = (delay_step - i - 1) % self.max_length
        else:
            delay_idx = delay_step - 1
        return self.data[delay_idx].copy()

    def update(self, latest_value=None):
        if self.data is not None:
            if latest_value is None:
                latest_value = self.target.value
            if self.method == "rotation":
                i = SHARE["i"]
                self.data[-i % self.max_length] = latest_value
            else:
                if self.max_length > 1:
                    self.data = np.concatenate([np.expand_dims(latest_value, 0), self.data[:-1]], axis=0)
                else:
                    self.data[0] = latest_value

    def reset_state(self):
        if self.data is not None:
            self._init_data(self.max_length)

    def _init_data(self, length):
        data = np.zeros((length,) + self.target.value.shape, dtype=np.float32)
        if self._init is not None:
            data[:] = self._init
        self.data = data


def lst(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def run_case(name, entries, method=None, mode="NonBatchingMode", time=None, init=None, i0=0, steps=16, width=2):
    """entries: [[name, delay_time, delay_step], ...] in registration order. The target changes every step."""
    target = Var(np.full(width, -5.0))  # the target's value before step 0 (what a step-0 entry reads first)
    d = VarDelayRef(target, time=time, init=init, method=method, mode=mode)
    for e, t, s in entries:
        d.register_entry(e, t, s)
    rec = []
    for k in range(steps):
        i = i0 + k
        SHARE["i"] = i
        before = {e: lst(d.at(e)) for e, _, _ in entries}
        value = np.array([100 * (k + 1) + j for j in range(width)], dtype=np.float32)
        if k % 3 == 2:
            d.update(value)  # the after-update hook is fed the update's return value
            target.value = value
        else:
            target.value = value
            d.update()  # default: the target's value
        after = {e: lst(d.at(e)) for e, _, _ in entries}
        retrieve = [lst(d.retrieve(s)) for s in range(0, d.max_length + 1)] if d.data is not None else []
        rec.append({"i": i, "reads_before": before, "value": lst(value), "fed": "arg" if k % 3 == 2 else "target",
                    "reads_after": after, "retrieve_after": retrieve})
    return {
        "name": name, "dt": DT, "method": d.method, "method_arg": method, "mode": mode, "time": time, "init": init, "i0": i0,
        "target_before": [-5.0] * width, "entries": entries,
        "entry_steps": {e: d.entries[e] for e, _, _ in entries},
        "max_length": d.max_length, "max_time": d.max_time, "steps": rec,
    }


def arrivals(entries, method=None, mode="NonBatchingMode", n=4, steps=20):
    """A pre group spikes at step n only; its delay is updated after it, projections read before it (Network order).
    Returns, per entry, the first step at which the projection's read is nonzero (None if never)."""
    spike = Var(np.zeros(1))
    d = VarDelayRef(spike, method=method, mode=mode)
    for e, t, s in entries:
        d.register_entry(e, t, s)
    first = {e: None for e, _, _ in entries}
    for i in range(steps):
        SHARE["i"] = i
        for e, _, _ in entries:  # projections
            if first[e] is None and d.at(e)[0] != 0:
                first[e] = i
        spike.value = np.array([1.0 if i == n else 0.0], dtype=np.float32)  # pre group update
        d.update(spike.value)  # its after-update hook
    return {"entries": entries, "method": d.method, "mode": mode, "spike_step": n, "first_seen": first,
            "max_length": d.max_length}


def main():
    times = [(0, 0.0), (1, 0.1), (2, 0.2), (3, 0.3), (7, 0.7)]
    cases = []
    for method in ("rotation", "concat"):
        for steps_, t in times:
            cases.append(run_case(f"{method}: one entry, delay {t} ms ({steps_} steps)", [["e", t, None]], method=method))
        mixed = [["none", None, None], ["e0", 0.0, None], ["e1", 0.1, None], ["e2", 0.2, None], ["e3", 0.3, None],
                 ["e7", 0.7, None]]
        cases.append(run_case(f"{method}: mixed entries 0, 0.1, 0.2, 0.3, 0.7 ms", mixed, method=method))
        cases.append(run_case(f"{method}: mixed entries registered longest first", [["e7", 0.7, None], ["e1", 0.1, None],
                                                                                   ["e3", 0.3, None]], method=method))
        cases.append(run_case(f"{method}: by delay_step 3 and 1, init -1, i from 5",
                              [["s3", None, 3], ["s1", None, 1]], method=method, init=-1.0, i0=5))
        cases.append(run_case(f"{method}: time=0.3 (int(0.3/0.1) = 2 rows) with entry 0.1", [["e1", 0.1, None]],
                              method=method, time=0.3))
        cases.append(run_case(f"{method}: time=0.5 longer than the entries 0.1, 0.2", [["e1", 0.1, None], ["e2", 0.2, None]],
                              method=method, time=0.5))
    cases.append(run_case("default method in TrainingMode is concat", [["e1", 0.1, None], ["e3", 0.3, None]],
                          mode="TrainingMode"))
    cases.append(run_case("default method in BatchingMode is rotation", [["e1", 0.1, None], ["e3", 0.3, None]],
                          mode="BatchingMode"))
    arr = []
    for method in ("rotation", "concat"):
        for _, t in times:
            arr.append(arrivals([["p", t, None]], method=method))
        arr.append(arrivals([["p0", 0.0, None], ["p1", 0.1, None], ["p2", 0.2, None], ["p3", 0.3, None],
                             ["p7", 0.7, None]], method=method))
        arr.append(arrivals([["p1", 0.1, None], ["p2", 0.2, None]], method=method))
    out = {
        "producer": {
            "what": "numpy transcription of brainpy/delay.py VarDelay (not BrainPy itself: JAX cannot run here)",
            "brainpy": "2.8.2 (a13eef5a)",
            "script": "compat/brainpy_delay_reference.py",
            "numpy": np.__version__,
        },
        "cases": cases,
        "arrivals": arr,
    }
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "var_delay.json")
    with open(path, "w") as f:
        json.dump(out, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases, {len(arr)} arrival tables")
    for a in arr:
        print(a["method"], [(e[0], e[1]) for e in a["entries"]], "spike at", a["spike_step"], "->", a["first_seen"])


if __name__ == "__main__":
    main()
