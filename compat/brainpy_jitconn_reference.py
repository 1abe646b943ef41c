"""Reference matrices for spikeport's `bm.jitconn` (writes fixtures/brainpy/jitconn/*.json).

WHAT PRODUCED THESE NUMBERS — READ THIS FIRST
    This script is a plain numpy/Python port of the JIT-connectivity algorithms as documented in
    /work/shared/reference/brainpy-semantics.md §1 (brainevent's CPU kernels). It is NOT brainevent: JAX and
    brainevent cannot be installed on this machine, so nothing here ran through the real library.
    What backs the port:
      * era B (brainevent 0.0.4/0.0.5, numba np.random = NumPy legacy MT19937): the generator used here is
        numpy.random.RandomState itself, issuing the kernel's calls in the kernel's order; the reference notes
        verified numba's stream == numpy legacy == a pure-Python MT port for homo/uniform/normal (§1.3).
      * era C (brainevent 0.0.6-0.1.2, per-line LFSR88): ported with Python integers, which reproduces numba's
        widening of uint32 operands to 64 bits (§1.4); the reference notes verified that port against numba 0.56.4.
      * era D (brainevent 0.2.0, light RNG): the primitives (mix32, xorshift32, init, bounded, uniform01, normal01)
        were verified in the reference notes against brainevent's own Python functions; the full chunk/lane walk is
        ported from brainevent 0.2.0's numba kernels and was NOT run through brainevent. normal01 is float32
        arithmetic; its float32 log is the C library's logf (what numba calls), but numba's fastmath may contract
        the float32 Horner steps into FMAs, so era-D normal weights are only claimed to a few float32 ulps.
    Before writing anything the script asserts the reference vectors of §1.7 (seed 42, shape (4, 16), p 0.25;
    era D shape (4, 100)), so a port error stops it.

Each case stores the logical matrix M (shape (m, n)) sparsely: the row-major flat indices of its connections and
their float32 weights, plus float64 products M @ x, M.T @ x and M @ events computed from that float32 M.
Orientation (§1.2): `outdim_parallel=True` generates M row by row (row i: stream of line i, walking the n columns),
`False` column by column (column j walking the m rows); `transpose` never changes M.

Usage: python3 compat/brainpy_jitconn_reference.py   (numpy only; run from the repository root)
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import encode_tensor, dump  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "brainpy", "jitconn")
U32 = 0xFFFFFFFF
F32 = np.float32


def clen_of(p):
    """brainevent `_initialize_conn_length`: 2 / p in float64, ceil in float32, int32."""
    return int(math.ceil(float(F32(2.0 / p))))


# ---- era C: LFSR88 with numba's integer widening ---------------------------------------------------------------------------

class Lfsr88:
    def __init__(self, seed):
        s = seed & U32
        self.s = [(s + 2) & U32, (s + 8) & U32, (s + 16) & U32]

    def next(self):
        s1, s2, s3 = self.s
        b = ((s1 << 13) ^ s1) >> 19            # Python ints: the 64-bit-widened intermediate, nothing dropped
        s1 = (((s1 & 0xFFFFFFFE) << 12) ^ b) & U32
        b = ((s2 << 2) ^ s2) >> 25
        s2 = (((s2 & 0xFFFFFFF8) << 4) ^ b) & U32
        b = ((s3 << 3) ^ s3) >> 11
        s3 = (((s3 & 0xFFFFFFF0) << 17) ^ b) & U32
        self.s = [s1, s2, s3]
        return s1 ^ s2 ^ s3

    def random_integers(self, lo, hi):
        return self.next() % (hi + 1 - lo) + lo

    def rand(self):
        return float(self.next()) * 2.3283064365386963e-10

    def normal(self, mu, sigma):
        u1 = self.rand()
        u2 = self.rand()
        u1 = max(u1, 1e-10)
        return mu + sigma * (math.sqrt(-2.0 * math.log(u1)) * math.sin(2.0 * math.pi * u2))


def line_c(seed, line, length, clen, kind, a, b):
    st = Lfsr88(seed + line * length)          # int64 arithmetic in numba, wrapped to uint32 by the seed casts
    span = float(F32(F32(b) - F32(a)))         # w_high - w_low: a float32 subtraction in the numba kernel
    k = st.random_integers(0, clen - 1)
    out = []
    while k < length:
        if kind == "homo":
            w = None
        elif kind == "uniform":
            w = st.rand() * span + a
        else:
            w = st.normal(a, b)
        out.append((k, w))
        k += st.random_integers(1, clen - 1)
    return out


# ---- era B: numba np.random == numpy legacy RandomState, one stream per kernel call ------------------------------------------

def lines_b(seed, n_lines, length, clen, kind, a, b):
    rs = np.random.RandomState(seed & U32)
    res = []
    for _ in range(n_lines):
        k = rs.randint(0, clen)
        out = []
        while k < length:
            if kind == "homo":
                w = None
            elif kind == "uniform":
                w = rs.uniform(a, b)
            else:
                w = rs.normal(a, b)
            out.append((int(k), w))
            k += rs.randint(1, clen)            # clen == 2: randint(1, 2) returns 1 without a draw
        res.append(out)
    return res


# ---- era D: brainevent 0.2.0 light RNG ---------------------------------------------------------------------------------------

def mix32(x):
    x &= U32
    x ^= x >> 16
    x = (x * 0x7feb352d) & U32
    x ^= x >> 15
    x = (x * 0x846ca68b) & U32
    x ^= x >> 16
    return x


def lnext(x):
    x ^= (x << 13) & U32
    x ^= x >> 17
    x ^= (x << 5) & U32
    return x if x != 0 else 0x6d2b79f5


def linit(seed, row, chunk, lane):
    x = (seed & U32) ^ 0xd1b54a35
    x ^= (row * 0x85ebca6b) & U32
    x ^= (chunk * 0xc2b2ae35) & U32
    x ^= (lane * 0x27d4eb2d) & U32
    x = mix32(x)
    return x if x != 0 else 0x6d2b79f5


def bounded(r, bnd):
    return (r * bnd) >> 32


def uniform01(seed, row, col):
    h = (seed & U32) ^ 0xa0761d65
    h ^= (row * 0xe7037ed1) & U32
    h ^= (col * 0x8ebc6af1) & U32
    h = mix32(h)
    return F32((h & 0x00FFFFFF) * F32(1.0 / 16777216.0))


def _glibc_logf():
    """numba compiles np.log on float32 to a call of the C library's logf (glibc on Linux): use the same one."""
    try:
        import ctypes
        import ctypes.util
        libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        f = libm.logf
        f.restype = ctypes.c_float
        f.argtypes = [ctypes.c_float]
        return lambda x: F32(f(float(x)))
    except Exception:  # pragma: no cover - fall back to numpy's float32 log
        return lambda x: F32(np.log(F32(x)))


LOGF = _glibc_logf()


def normal01(seed, row, col):
    u = F32(uniform01(seed, row, col))
    lo, hi = F32(1e-10), F32(1.0 - 1e-10)
    if u < lo:
        u = lo
    elif u > hi:
        u = hi
    a = [F32(v) for v in (-39.696830, 220.94609, -275.92851, 138.35775, -30.664799, 2.5066283)]
    bb = [F32(v) for v in (-54.476099, 161.58584, -155.69898, 66.801312, -13.280681)]
    c = [F32(v) for v in (-0.007784894, -0.32239646, -2.4007583, -2.5497325, 4.3746641, 2.9381640)]
    d = [F32(v) for v in (0.007784696, 0.32246713, 2.4451342, 3.7544087)]
    one = F32(1.0)

    def tail(v):
        num = ((((c[0] * v + c[1]) * v + c[2]) * v + c[3]) * v + c[4]) * v + c[5]
        den = (((d[0] * v + d[1]) * v + d[2]) * v + d[3]) * v + one
        return F32(num / den)

    with np.errstate(all="ignore"):
        if u < F32(0.02425):
            v = F32(np.sqrt(F32(-2.0) * LOGF(u)))
            return F32(-tail(v))
        if u > F32(0.97575):
            v = F32(np.sqrt(F32(-2.0) * LOGF(F32(1.0) - u)))
            return tail(v)
        v = F32(u - F32(0.5))
        r = F32(v * v)
        num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * v
        den = ((((bb[0] * r + bb[1]) * r + bb[2]) * r + bb[3]) * r + bb[4]) * r + one
        return F32(num / den)


def line_d(seed, line, length, clen, kind, a, b, cols, mode):
    stride = 32 if mode == "mv" else 4
    chunk = max(1, (cols + 3) // 4)          # always from shape[1] of M
    cl = max(clen, 2)
    n = cl - 1
    out = []
    n_chunks = (length + chunk - 1) // chunk
    for cid in range(n_chunks):
        start = cid * chunk
        width = min(chunk, length - start)
        for lane in range(stride):
            st = linit(seed, line, cid, lane)
            while True:                        # stationary initial residual, two draws per round
                st = lnext(st)
                q = bounded(st, n)
                st = lnext(st)
                gate = bounded(st, n)
                if gate < n - q:
                    break
            j = lane + stride * q
            while j < width:
                pos = start + j
                if kind == "homo":
                    w = None
                elif kind == "uniform":
                    w = F32(F32(a) + F32(uniform01(seed, line, pos) * F32(F32(b) - F32(a))))
                else:
                    w = F32(F32(a) + F32(normal01(seed, line, pos) * F32(b)))
                out.append((pos, w))
                st = lnext(st)
                q = q + 1 + bounded(st, n)
                j = lane + stride * q
    return out


# ---- the logical matrix --------------------------------------------------------------------------------------------------------

def lines(rng, kind, m, n, p, seed, corder, a, b, mode="mv"):
    clen = clen_of(p)
    n_lines, length = (m, n) if corder else (n, m)
    if rng == "mt19937-b":
        return lines_b(seed, n_lines, length, clen, kind, a, b)
    if rng == "lfsr88-c":
        return [line_c(seed, L, length, clen, kind, a, b) for L in range(n_lines)]
    return [line_d(seed, L, length, clen, kind, a, b, n, mode) for L in range(n_lines)]


def dense(rng, kind, m, n, p, seed, corder, a, b, mode="mv"):
    M = np.zeros((m, n), dtype=np.float32)
    homo_w = F32(a)
    for L, conns in enumerate(lines(rng, kind, m, n, p, seed, corder, a, b, mode)):
        for pos, w in conns:
            val = homo_w if w is None else F32(w)
            if corder:
                M[L, pos] = val
            else:
                M[pos, L] = val
    return M


# ---- §1.7 reference vectors ----------------------------------------------------------------------------------------------------

def check_reference_vectors():
    def cols(rng, kind, row, m=4, n=16, a=1.0, b=1.0):
        return lines(rng, kind, m, n, 0.25, 42, True, a, b)[row]

    assert clen_of(0.02) == 100 and clen_of(0.1) == 20 and clen_of(0.3) == 7 and clen_of(0.25) == 8 and clen_of(1.0) == 2
    assert [c for c, _ in cols("mt19937-b", "homo", 0)] == [6, 10, 15]
    assert [c for c, _ in cols("mt19937-b", "homo", 1)] == [2, 7, 12]
    assert [c for c, _ in cols("mt19937-b", "homo", 2)] == [1, 4, 11, 14]
    assert [c for c, _ in cols("mt19937-b", "homo", 3)] == [7, 12]
    ub = lines("mt19937-b", "uniform", 4, 16, 0.25, 42, True, 0.0, 1.0)
    assert [c for c, _ in ub[0]] == [6, 13] and abs(ub[0][0][1] - 0.79654298686) < 1e-10 and abs(ub[0][1][1] - 0.731993941811) < 1e-11
    assert [c for c, _ in ub[1]] == [4, 7, 10, 14] and abs(ub[1][3][1] - 0.142866817922) < 1e-11
    nb = lines("mt19937-b", "normal", 4, 16, 0.25, 42, True, 0.0, 1.0)
    assert [c for c, _ in nb[0]] == [6, 11] and abs(nb[0][0][1] + 0.550234489164) < 1e-11
    assert [c for c, _ in nb[1]] == [6, 9, 14] and abs(nb[1][2][1] - 1.579212815507) < 1e-11
    assert [[c for c, _ in cols("lfsr88-c", "homo", r)] for r in range(4)] == [[0, 1, 8, 15], [0, 1, 6, 7, 12], [1, 2, 4, 5, 12], [1, 3, 8, 11, 13]]
    uc = lines("lfsr88-c", "uniform", 4, 16, 0.25, 42, True, 0.0, 1.0)[0]
    assert [c for c, _ in uc] == [0, 7, 14] and abs(uc[0][1] - 0.171880185604) < 1e-11 and abs(uc[2][1] - 0.206065515056) < 1e-11
    nc = lines("lfsr88-c", "normal", 4, 16, 0.25, 42, True, 0.0, 1.0)[0]
    assert [c for c, _ in nc] == [0, 7, 9, 15] and abs(nc[0][1] + 1.560097401628) < 1e-11 and abs(nc[3][1] - 0.316462726869) < 1e-11
    st = Lfsr88(42)
    assert [st.next() for _ in range(5)] == [6472448, 738219776, 3624076749, 6930454, 2936014955]
    d0 = sorted(c for c, _ in lines("light-d", "homo", 4, 100, 0.25, 42, True, 1.0, 1.0)[0])
    assert d0 == [0, 5, 6, 7, 14, 17, 28, 29, 30, 32, 36, 40, 43, 56, 58, 61, 64, 84, 86, 87, 92, 98], d0
    assert float(uniform01(42, 0, 0)) == 0.2929498553276062 and float(normal01(42, 0, 0)) == -0.5447874069213867
    assert float(uniform01(42, 0, 5)) == 0.6519007682800293 and float(normal01(42, 0, 5)) == 0.39045724272727966
    assert np.random.RandomState(42).randint(0, 2 ** 32, size=3, dtype=np.uint64).tolist() == [1608637542, 3421126067, 4083286876]


# ---- cases ----------------------------------------------------------------------------------------------------------------------

SHAPES = [((37, 53), 0.1, 42), ((37, 53), 0.3, -7), ((23, 19), 1.0, 5), ((40, 300), 0.02, 123456789)]
PARAMS = {"homo": (0.75, None), "uniform": (-0.5, 1.25), "normal": (0.25, 1.5)}


def case(rng, kind, shape, p, seed, corder, mode, rs):
    m, n = shape
    a, b = PARAMS[kind]
    M = dense(rng, kind, m, n, p, seed, corder, a, 0.0 if b is None else b, mode)
    flat = np.flatnonzero(M.reshape(-1) != 0)
    if kind != "homo":                      # a drawn weight can be exactly 0 only with probability ~0; make sure
        assert np.count_nonzero(M) == sum(len(c) for c in lines(rng, kind, m, n, p, seed, corder, a, b, mode))
    x_n = rs.standard_normal(n).astype(np.float32)
    x_m = rs.standard_normal(m).astype(np.float32)
    ev = rs.random_sample(n) < 0.3
    M64 = M.astype(np.float64)
    return {
        "rng": rng, "kind": kind, "shape": [m, n], "conn_prob": p, "seed": seed, "outdim_parallel": corder,
        "matrix_mode": mode, "params": [a] if b is None else [a, b], "clen": clen_of(p),
        "indices": encode_tensor(flat.astype(np.int32)),
        "values": encode_tensor(M.reshape(-1)[flat].astype(np.float32)),
        "x_n": encode_tensor(x_n), "x_m": encode_tensor(x_m), "events_n": encode_tensor(ev),
        "M_x": encode_tensor(M64 @ x_n.astype(np.float64)),
        "MT_x": encode_tensor(M64.T @ x_m.astype(np.float64)),
        "M_events": encode_tensor(M64 @ ev.astype(np.float64)),
    }


def main():
    check_reference_vectors()
    os.makedirs(OUT, exist_ok=True)
    for rng in ("lfsr88-c", "mt19937-b", "light-d"):
        rs = np.random.RandomState(2024)
        cases = []
        modes = ("mv", "mm") if rng == "light-d" else ("mv",)
        for shape, p, seed in SHAPES:
            for kind in ("homo", "uniform", "normal"):
                for corder in (True, False):
                    for mode in modes:
                        cases.append(case(rng, kind, shape, p, seed, corder, mode, rs))
        doc = {
            "generator": "compat/brainpy_jitconn_reference.py",
            "produced_by": "numpy port of the documented brainevent CPU algorithm (brainpy-semantics.md §1); NOT brainevent itself",
            "rng": rng,
            "brainevent": {"mt19937-b": "0.0.4-0.0.5", "lfsr88-c": "0.0.6-0.1.2", "light-d": "0.2.0"}[rng],
            "numpy": np.__version__,
            "cases": cases,
        }
        path = os.path.join(OUT, f"{rng}.json")
        dump(doc, path)
        print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
