"""Reference data for spikeport's BrainPy sparse, connectivity and plasticity ports.

THIS IS NOT BRAINPY. BrainPy 2.7.8+/2.8.x needs JAX (and brainevent, which needs JAX), and JAX cannot be installed
on these machines, so this script does not import brainpy, brainevent or jax. It is plain numpy that follows, step by
step, the algorithms documented in /work/shared/reference/brainpy-semantics.md (§2 CSR matvec, §3 STDP updates and
csr2csc, §4 connect.FixedProb), which were read from BrainPy V2.7.8 / V2.8.2 and brainevent v0.1.2 sources:

- bm.sparse.csrmv / bm.event.csrmv (brainevent.CSR @ v, v @ CSR; BinaryArray for events): float kernels accumulate
  the gather form (transpose=False) in float64 and store float32, the scatter form (transpose=True) adds into the
  float32 output; events count when `x > 0` (float) or truthy (bool) and their value is not multiplied in.
  Gradients are brainevent's transpose rules: d/dvector = csrmv(data, ct, transpose=not transpose);
  d/ddata = vector[row] * ct[col] (transpose) or vector[col] * ct[row], summed for a scalar (homogeneous) weight,
  where for events the heterogeneous rule uses the raw event values and the homogeneous one the binarised events.
- brainpy.connect.FixedProb(...).require('csr'): fixed out-degree k = int(round(post_num * prob)) (BrainPy 2.8.x;
  2.7.x truncates with int()); with numba installed: s = RandomState(seed).randint(0, 10**8), then numba's
  np.random.seed(s) and, per pre neuron in order, np.random.choice(post_num, k, replace=False) — numba's choice is
  numpy's (a full permutation, first k entries), so numpy.random.RandomState(s) stands in for numba's global state;
  without numba, the same choice calls go to RandomState(seed) directly. include_self=False drops post == pre.
- brainpy.connect.csr2csc: repeat/argsort; the stable order (jnp.argsort, what BrainPy's connectors use) is recorded.
- brainevent update_{dense,csr}_on_binary_{pre,post}: `spike != 0` (or truthy), float32 add, then clip to
  [w_min, w_max] (None = no bound).
- numpy.random.RandomState streams themselves (this part *is* the real numpy legacy generator).

Run with Debian's interpreter (numpy 1.24):

    /usr/bin/python3 compat/brainpy_reference.py

Writes fixtures/brainpy/{csr,connect,stdp}/*.json, deterministically (fixed seeds, sorted JSON keys).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import encode_tensor, dump  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "brainpy")

PRODUCER = {
    "script": "compat/brainpy_reference.py",
    "what": "numpy following the documented BrainPy/brainevent algorithms (not BrainPy itself: JAX cannot run here)",
    "numpy": np.__version__,
    "brainpy_semantics": "BrainPy >= 2.7.8 (2.8.x rounding of the FixedProb out-degree), brainevent 0.0.7 .. 0.1.2",
}


def t(x, dtype=None):
    return encode_tensor(np.asarray(x), dtype)


def write(sub, name, obj):
    d = os.path.join(OUT, sub)
    os.makedirs(d, exist_ok=True)
    obj = dict(obj)
    obj["producer"] = PRODUCER
    dump(obj, os.path.join(d, name + ".json"))


# ---------------------------------------------------------------------------------------------------------------
# numpy legacy RandomState streams (the real numpy)

def numpy_random_cases():
    cases = []

    def case(seed, calls):
        rs = np.random.RandomState(seed)
        out = []
        for method, args in calls:
            if method == "uint32":
                v = rs.randint(0, 2 ** 32, size=args["n"], dtype=np.uint64).astype(np.int64)
                out.append({"method": method, "args": args, "out": t(v, "int64")})
                continue
            kw = dict(args)
            v = rs.permutation(kw["x"]) if method == "permutation" else getattr(rs, method)(**kw)
            if isinstance(v, np.ndarray):
                enc = t(v, "float64" if v.dtype.kind == "f" else "int64")
            elif isinstance(v, (float, np.floating)):
                enc = t(np.float64(v), "float64")
            else:
                enc = t(np.int64(v), "int64")
            out.append({"method": method, "args": args, "out": enc})
        cases.append({"seed": seed, "calls": out})

    seq = [
        ("uint32", {"n": 8}),
        ("random_sample", {"size": 7}),
        ("standard_normal", {"size": 5}),  # odd: leaves a cached gaussian
        ("random_sample", {}),
        ("standard_normal", {}),  # the cached value
        ("randint", {"low": 0, "high": 1, "size": 3}),  # range of one: no draws
        ("randint", {"low": 0, "high": 2, "size": 6}),
        ("randint", {"low": -5, "high": 7, "size": 6}),
        ("randint", {"low": 0, "high": 100000000}),
        ("randint", {"low": 0, "high": 10000000}),
        ("randint", {"low": 3, "size": 4}),
        ("randint", {"low": 0, "high": 2 ** 32 + 5, "size": 4}),  # 64-bit words
        ("randint", {"low": 0, "high": 2 ** 40, "size": 3}),
        ("uniform", {"low": -2.0, "high": 3.0, "size": 5}),
        ("normal", {"loc": 1.5, "scale": 2.0, "size": 5}),
        ("permutation", {"x": 10}),
        ("choice", {"a": 20, "size": 5, "replace": False}),
        ("choice", {"a": 7, "size": 0, "replace": False}),  # still draws a whole permutation
        ("choice", {"a": 10, "size": 6}),
        ("choice", {"a": 4, "size": 8, "p": [0.1, 0.2, 0.3, 0.4]}),
        ("choice", {"a": 9}),
        ("uint32", {"n": 4}),
    ]
    for seed in [0, 1, 42, 12345, 2 ** 32 - 1]:
        case(seed, seq)
    case([1, 2, 3], [("uint32", {"n": 6}), ("random_sample", {"size": 3})])
    case([2 ** 32 - 1, 0, 77, 5, 9], [("uint32", {"n": 6}), ("standard_normal", {"size": 4})])
    # a long stream crosses several 624-word twists
    case(7, [("uint32", {"n": 2000}), ("permutation", {"x": 1000})])
    # Gaussians in bulk, with the draws whose value depends on a log(r2) that this machine's C library (glibc) does not
    # round correctly: spikeport's log is correctly rounded, so those (and only those) may differ in the last bits
    from decimal import Decimal, getcontext
    import math
    getcontext().prec = 40
    n = 20000
    rs = np.random.RandomState(3)
    ref = rs.standard_normal(n)
    rs = np.random.RandomState(3)
    vals, flags = [], []
    while len(vals) < n:
        while True:
            x1 = 2.0 * rs.random_sample() - 1.0
            x2 = 2.0 * rs.random_sample() - 1.0
            r2 = x1 * x1 + x2 * x2
            if r2 < 1.0 and r2 != 0.0:
                break
        lg = math.log(r2)
        f = math.sqrt(-2.0 * lg / r2)
        bad = lg != float(Decimal(r2).ln())
        vals += [f * x2, f * x1]
        flags += [bad, bad]
    vals, flags = np.asarray(vals[:n]), np.asarray(flags[:n])
    assert (vals == ref).all(), "the polar method replay must equal numpy"
    gauss = {"seed": 3, "n": n, "out": t(ref, "float64"), "libm_misrounded": t(flags)}
    write("connect", "numpy_random_state", {"cases": cases, "gauss_bulk": gauss})


# ---------------------------------------------------------------------------------------------------------------
# CSR matvec (bm.sparse.csrmv, bm.event.csrmv)

def random_csr(rng, m, n, density):
    mask = rng.random_sample((m, n)) < density
    indices, indptr = [], [0]
    for i in range(m):
        cols = np.nonzero(mask[i])[0]
        cols = rng.permutation(cols)  # unsorted columns inside a row are legal CSR
        indices.extend(cols.tolist())
        indptr.append(len(indices))
    return np.asarray(indices, np.int32), np.asarray(indptr, np.int32)


def csr_dense(data, indices, indptr, shape, dtype=np.float64):
    d = np.zeros(shape, dtype)
    homo = np.ndim(data) == 0 or np.size(data) == 1
    for i in range(shape[0]):
        for k in range(indptr[i], indptr[i + 1]):
            d[i, indices[k]] += (np.ravel(data)[0] if homo else data[k])
    return d


def csrmv_float(data, indices, indptr, v, shape, transpose):
    """brainevent float CSR kernels (numba): gather in float64, scatter into float32; 1-D or 2-D v."""
    m, n = shape
    homo = np.size(data) == 1
    w = np.float32(np.ravel(data)[0]) if homo else data.astype(np.float32)
    v = v.astype(np.float32)
    if v.ndim == 1:
        v2 = v[:, None] if not transpose else v[None, :]
    else:
        v2 = v
    if not transpose:  # (m, n) @ (n, k)
        out = np.zeros((m, v2.shape[1]), np.float32)
        for i in range(m):
            r = np.zeros(v2.shape[1], np.float64)
            for k in range(indptr[i], indptr[i + 1]):
                if homo:
                    r += v2[indices[k]].astype(np.float64)
                else:
                    r += (w[k] * v2[indices[k]]).astype(np.float64)  # float32 product, float64 sum
            out[i] = (np.float64(w) * r) if homo else r
        return out[:, 0] if v.ndim == 1 else out
    # (k, m) @ (m, n)
    out = np.zeros((v2.shape[0], n), np.float32)
    for b in range(v2.shape[0]):
        for i in range(m):
            for k in range(indptr[i], indptr[i + 1]):
                out[b, indices[k]] += (w if homo else w[k]) * v2[b, i]
    return out[0] if v.ndim == 1 else out


def csrmv_event(data, indices, indptr, ev, shape, transpose):
    m, n = shape
    homo = np.size(data) == 1
    w = np.float32(np.ravel(data)[0]) if homo else data.astype(np.float32)
    act = ev if ev.dtype == np.bool_ else (ev > 0)
    if act.ndim == 1:
        a2 = act[:, None] if not transpose else act[None, :]
    else:
        a2 = act
    if not transpose:
        out = np.zeros((m, a2.shape[1]), np.float32)
        for i in range(m):
            r = np.zeros(a2.shape[1], np.float64)
            for k in range(indptr[i], indptr[i + 1]):
                r += np.where(a2[indices[k]], np.float64(w if homo else w[k]), 0.0)
            out[i] = r
        return out[:, 0] if act.ndim == 1 else out
    out = np.zeros((a2.shape[0], n), np.float32)
    for b in range(a2.shape[0]):
        for i in range(m):
            if a2[b, i]:
                for k in range(indptr[i], indptr[i + 1]):
                    out[b, indices[k]] += (w if homo else w[k])
    return out[0] if act.ndim == 1 else out


def csr_grads(data, indices, indptr, v, ct, shape, transpose, event):
    """brainevent transpose rules (float64 math, compared with a tolerance)."""
    m, n = shape
    homo = np.size(data) == 1
    row = np.repeat(np.arange(m), np.diff(indptr))
    col = indices
    M = csr_dense(np.asarray(data, np.float64), indices, indptr, shape)
    ctd = ct.astype(np.float64)
    # d/dvector: csrmv(data, ct, transpose=not transpose)
    if v.ndim == 1:
        gv = (M.T @ ctd) if not transpose else (M @ ctd)
    else:
        gv = (M.T @ ctd) if not transpose else (ctd @ M.T)
    vv = v.astype(np.float64)
    if homo:
        ones = csr_dense(np.ones(1), indices, indptr, shape)
        vb = (v if v.dtype == np.bool_ else (v > 0)).astype(np.float64) if event else vv
        if v.ndim == 1:
            prod = (ones @ vb) if not transpose else (vb @ ones)
        else:
            prod = (ones @ vb) if not transpose else (vb @ ones)
        gd = np.asarray([np.sum(ctd * prod)])
    else:
        if v.ndim == 1:
            gd = vv[row] * ctd[col] if transpose else vv[col] * ctd[row]
        else:
            gd = (vv[:, row] * ctd[:, col]).sum(0) if transpose else (vv[col, :] * ctd[row, :]).sum(1)
    return gd, gv


def csr_cases():
    rng = np.random.RandomState(2024)
    cases = []
    # hand-checkable tiny matrix plus random ones (with empty rows / columns)
    tiny = (np.array([0, 2, 1, 0, 2], np.int32), np.array([0, 2, 3, 3, 5], np.int32), (4, 3))
    shapes = [(5, 7, 0.4), (8, 3, 0.5), (1, 6, 0.7), (6, 1, 0.6), (13, 11, 0.2)]
    mats = [tiny] + [random_csr(rng, m, n, d) + ((m, n),) for m, n, d in shapes]
    for mi, (indices, indptr, shape) in enumerate(mats):
        m, n = shape
        nnz = len(indices)
        het = rng.standard_normal(nnz).astype(np.float32)
        for homo in (True, False):
            data = np.asarray([np.float32(1.5)], np.float32) if homo else het
            for transpose in (False, True):
                vlen = m if transpose else n
                for batch in (None, 3):
                    vshape = (vlen,) if batch is None else ((batch, vlen) if transpose else (vlen, batch))
                    oshape = ((n,) if transpose else (m,)) if batch is None else ((batch, n) if transpose else (m, batch))
                    v = rng.standard_normal(vshape).astype(np.float32)
                    ct = rng.standard_normal(oshape).astype(np.float32)
                    out = csrmv_float(data, indices, indptr, v, shape, transpose)
                    gd, gv = csr_grads(data, indices, indptr, v, ct, shape, transpose, False)
                    cases.append({
                        "name": f"mat{mi}_{'homo' if homo else 'het'}_{'T' if transpose else 'N'}_{'b' if batch else 'v'}",
                        "kind": "float", "indices": t(indices), "indptr": t(indptr), "shape": list(shape),
                        "data": t(data), "homo": homo, "transpose": transpose, "vector": t(v), "out": t(out),
                        "ct": t(ct), "grad_data": t(gd, "float64"), "grad_vector": t(gv, "float64"),
                    })
                    for evkind in ("bool", "float"):
                        if evkind == "bool":
                            ev = rng.random_sample(vshape) < 0.5
                        else:
                            # spikes 1.0, silent 0.0, and values that must not be multiplied in or must not count
                            ev = rng.choice(np.array([0.0, 1.0, 0.5, -1.0, 2.0], np.float32), size=vshape)
                        out = csrmv_event(data, indices, indptr, ev, shape, transpose)
                        gd, gv = csr_grads(data, indices, indptr, ev, ct, shape, transpose, True)
                        cases.append({
                            "name": f"mat{mi}_{'homo' if homo else 'het'}_{'T' if transpose else 'N'}_{'b' if batch else 'v'}_ev{evkind}",
                            "kind": "event", "indices": t(indices), "indptr": t(indptr), "shape": list(shape),
                            "data": t(data), "homo": homo, "transpose": transpose, "vector": t(ev), "out": t(out),
                            "ct": t(ct), "grad_data": t(gd, "float64"),
                            "grad_vector": t(gv, "float64") if evkind == "float" else None,
                        })
    write("csr", "csrmv", {"cases": cases})


# ---------------------------------------------------------------------------------------------------------------
# connect: FixedProb csr, csr2csc

def py_round(x):
    return int(round(x))


def fixed_prob_posts(pre_sel, post_num, prob, seed, numba):
    k = py_round(post_num * prob)
    nprand = np.random.RandomState(seed)

    def build():
        if numba:
            rs = np.random.RandomState(nprand.randint(0, int(1e8)))
        else:
            rs = nprand
        posts = np.zeros((pre_sel, k), np.int32)
        for i in range(pre_sel):
            posts[i] = rs.choice(post_num, k, replace=False)
        return posts

    return k, build


def fixed_prob_csr(pre_num, post_num, prob, seed, include_self, numba, builds=1):
    k, build = fixed_prob_posts(pre_num, post_num, prob, seed, numba)
    out = []
    for _ in range(builds):
        posts = build()
        pre_ids = np.arange(pre_num)
        counts = np.full(pre_num, k)
        if not include_self:
            true_ids = posts == pre_ids.reshape(-1, 1)
            counts = counts - true_ids.sum(1)
            posts = posts.flatten()[np.logical_not(true_ids).flatten()]
        else:
            posts = posts.flatten()
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        out.append((posts.astype(np.int32), indptr))
    return k, out


def csr2csc(indices, indptr, post_num, data=None):
    pre_ids = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    order = np.argsort(indices, kind="stable")
    counts = np.bincount(indices, minlength=post_num) if len(indices) else np.zeros(post_num, np.int64)
    indptr_c = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    res = (pre_ids[order].astype(np.int32), indptr_c)
    if data is not None:
        res = res + (np.asarray(data)[order],)
    return res


def connect_cases():
    cases = []
    configs = [
        (10, 20, 0.1, 0, True), (10, 20, 0.25, 42, True), (20, 10, 0.3, 123, True), (50, 50, 0.1, 2024, False),
        (30, 30, 0.5, 7, False), (16, 40, 0.02, 99, True), (12, 12, 1.0, 5, False), (12, 12, 1.0, 5, True),
        (8, 9, 0.0, 3, True), (25, 17, 0.35, 11, False), (10, 10, 0.25, 1, True), (40, 100, 0.02, 31, True),
        (6, 10, 0.45, 8, True),  # 4.5 rounds half to even: k = 4
    ]
    for pre, post, prob, seed, include_self in configs:
        for numba in (True, False):
            k, builds = fixed_prob_csr(pre, post, prob, seed, include_self, numba, builds=2)
            (ind, ptr), (ind2, ptr2) = builds
            pid, ptrc, widx = csr2csc(ind, ptr, post, np.arange(len(ind), dtype=np.int32))
            cases.append({
                "pre": pre, "post": post, "prob": prob, "seed": seed, "include_self": include_self, "numba": numba,
                "k": k, "indices": t(ind), "indptr": t(ptr), "indices_2": t(ind2), "indptr_2": t(ptr2),
                "csc_pre_ids": t(pid), "csc_indptr": t(ptrc), "csc_w_idx": t(widx),
            })
    # pre_ratio < 1: the pre subset is JAX-random in BrainPy; the per-row targets are numpy's (rows in draw order)
    ratio_cases = []
    for pre, post, prob, ratio, seed in [(20, 30, 0.2, 0.5, 4), (10, 12, 0.5, 0.3, 9), (9, 9, 0.34, 0.75, 17)]:
        pre_sel = int(pre * ratio)
        k, build = fixed_prob_posts(pre_sel, post, prob, seed, True)
        ratio_cases.append({"pre": pre, "post": post, "prob": prob, "pre_ratio": ratio, "seed": seed, "k": k,
                            "pre_selected": pre_sel, "rows": t(build())})
    # csr2csc on random CSR with a data array
    rng = np.random.RandomState(5)
    csc_cases = []
    for m, n, d in [(6, 5, 0.4), (10, 3, 0.6), (4, 9, 0.2), (1, 4, 1.0)]:
        ind, ptr = random_csr(rng, m, n, d)
        data = rng.standard_normal(len(ind)).astype(np.float32)
        pid, ptrc, dc = csr2csc(ind, ptr, n, data)
        csc_cases.append({"shape": [m, n], "indices": t(ind), "indptr": t(ptr), "data": t(data),
                          "pre_ids": t(pid), "indptr_csc": t(ptrc), "data_csc": t(dc)})
    write("connect", "fixed_prob", {"cases": cases, "pre_ratio_cases": ratio_cases})
    write("connect", "csr2csc", {"cases": csc_cases})


# ---------------------------------------------------------------------------------------------------------------
# STDP (brainevent update_*_on_binary_*)

def clip(w, lo, hi):
    if lo is None and hi is None:
        return w
    return np.clip(w, -np.inf if lo is None else np.float32(lo), np.inf if hi is None else np.float32(hi)).astype(w.dtype)


def active(s):
    return s if s.dtype == np.bool_ else (s != 0)


def stdp_cases():
    rng = np.random.RandomState(77)
    cases = []
    bounds = [(None, None), (0.0, None), (None, 0.5), (-0.25, 0.75)]
    for n_pre, n_post in [(5, 4), (7, 9), (1, 3)]:
        for spike_kind in ("bool", "float"):
            for lo, hi in bounds:
                W = rng.standard_normal((n_pre, n_post)).astype(np.float32) * np.float32(0.5)
                if spike_kind == "bool":
                    pre_spk = rng.random_sample(n_pre) < 0.5
                    post_spk = rng.random_sample(n_post) < 0.5
                else:
                    pre_spk = rng.choice(np.array([0.0, 1.0, 0.5, -1.0], np.float32), n_pre)
                    post_spk = rng.choice(np.array([0.0, 1.0, 0.5, -1.0], np.float32), n_post)
                pre_tr = rng.standard_normal(n_pre).astype(np.float32) * np.float32(0.3)
                post_tr = rng.standard_normal(n_post).astype(np.float32) * np.float32(0.3)
                # dense
                Wp = W.copy()
                for i in range(n_pre):
                    if active(pre_spk)[i]:
                        Wp[i, :] += post_tr
                Wp = clip(Wp, lo, hi)
                Wq = W.copy()
                for j in range(n_post):
                    if active(post_spk)[j]:
                        Wq[:, j] += pre_tr
                Wq = clip(Wq, lo, hi)
                # csr with the same pattern as a random mask
                ind, ptr = random_csr(rng, n_pre, n_post, 0.6)
                w = rng.standard_normal(len(ind)).astype(np.float32) * np.float32(0.5)
                wp = w.copy()
                for i in range(n_pre):
                    if active(pre_spk)[i]:
                        for k in range(ptr[i], ptr[i + 1]):
                            wp[k] += post_tr[ind[k]]
                wp = clip(wp, lo, hi)
                pid, ptrc, widx = csr2csc(ind, ptr, n_post, np.arange(len(ind), dtype=np.int32))
                wq = w.copy()
                for j in range(n_post):
                    if active(post_spk)[j]:
                        for k in range(ptrc[j], ptrc[j + 1]):
                            wq[widx[k]] += pre_tr[pid[k]]
                wq = clip(wq, lo, hi)
                cases.append({
                    "shape": [n_pre, n_post], "w_min": lo, "w_max": hi, "spike_kind": spike_kind,
                    "W": t(W), "pre_spike": t(pre_spk), "post_spike": t(post_spk), "pre_trace": t(pre_tr),
                    "post_trace": t(post_tr), "dense_pre": t(Wp), "dense_post": t(Wq),
                    "indices": t(ind), "indptr": t(ptr), "w": t(w), "csr_pre": t(wp),
                    "csc_pre_ids": t(pid), "csc_indptr": t(ptrc), "csc_w_idx": t(widx), "csr_post": t(wq),
                })
    write("stdp", "stdp", {"cases": cases})


if __name__ == "__main__":
    numpy_random_cases()
    csr_cases()
    connect_cases()
    stdp_cases()
    print("wrote", OUT)
