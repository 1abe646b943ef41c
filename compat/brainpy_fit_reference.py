"""Reference data for spikeport's bp.dnn.Dense online_fit / offline_fit (RLS and ridge regression).

THIS IS NOT BRAINPY. BrainPy needs JAX, which cannot be installed on these machines, so this script imports neither
brainpy nor jax. It is plain numpy that follows, step by step, the algorithms of BrainPy 2.x as documented in
/work/shared/reference/brainpy-semantics.md §5 and as written in brainpy/_src/algorithms/{online,offline}.py and
brainpy/_src/dnn/linear.py (Dense.update / online_fit / offline_fit):

- Dense forward: y = x @ W + b in float32 (what the layer records in fit_record).
- Online fit (RLS): with a bias, X = [1, x] (a column of ones prepended). P is registered as alpha * I. Per call,
  k = P X^T; hPh = X k; then the "block" rule of BrainPy >= 2.8.0 (the one the reference documents):
  gain = k (I_B + hPh)^-1, P <- P - gain X P, dW = -gain (Y - T); or the "sum" rule of BrainPy <= 2.7.x:
  c = sum(1 / (1 + hPh)) (one scalar over the whole B x B matrix), P <- P - c k k^T, dW = -c k (Y - T).
  Both are the textbook RLS step for B = 1. W += dW[1:], b += dW[0] (W += dW without a bias).
  spikeport keeps P and computes dW in float64, then adds dW (rounded to float32) to the float32 weights; this
  script does the same, so the two agree to float32 rounding of the forward pass (gemm summation order).
- Offline fit (RidgeRegression): xs (N, T, d) -> [1, xs] with a bias -> flattened to (N*T, d');
  W = pinv(X^T X + alpha I) (X^T Y_target) (alpha I only when alpha > 0; the bias row is penalised too), in float64,
  with the pseudo-inverse cutoff of jnp.linalg.pinv for float32 data: singular values <= 10 * d' * eps(float32) *
  s_max are dropped (BrainPy runs in float32). The weights are returned as float32; bias = row 0, W = rows 1..

Run with Debian's interpreter (numpy 1.24):

    /usr/bin/python3 compat/brainpy_fit_reference.py

Writes fixtures/brainpy/fit/{online_rls,offline_ridge}.json deterministically (fixed seeds, sorted JSON keys).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import encode_tensor, dump  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "brainpy", "fit")

F32 = np.float32
EPS32 = float(np.finfo(np.float32).eps)


def t32(a):
    return encode_tensor(np.asarray(a, dtype=F32), "float32")


def rls_case(name, rng, num_in, num_out, batch, steps, alpha, bias, rule="block"):
    W = (rng.standard_normal((num_in, num_out)) * 0.3).astype(F32)
    b = (rng.standard_normal(num_out) * 0.1).astype(F32) if bias else None
    W0, b0 = W.copy(), (None if b is None else b.copy())
    d = num_in + (1 if bias else 0)
    P = np.eye(d) * alpha
    xs, ts, Ws, bs, ys = [], [], [], [], []
    for _ in range(steps):
        x = rng.standard_normal((batch, num_in)).astype(F32)
        t = rng.standard_normal((batch, num_out)).astype(F32)
        y = x @ W
        if b is not None:
            y = y + b
        y = y.astype(F32)
        X = x.astype(np.float64)
        if bias:
            X = np.concatenate([np.ones((batch, 1)), X], axis=-1)
        k = P @ X.T
        hPh = X @ k
        e = y.astype(np.float64) - t.astype(np.float64)
        if rule == "block":
            gain = k @ np.linalg.inv(np.eye(batch) + hPh)
            P = P - gain @ (X @ P)
        else:
            gain = np.sum(1.0 / (1.0 + hPh)) * k
            P = P - gain @ k.T
        dW = (-(gain @ e)).astype(F32)
        if bias:
            b = (b + dW[0]).astype(F32)
            W = (W + dW[1:]).astype(F32)
        else:
            W = (W + dW).astype(F32)
        xs.append(x)
        ts.append(t)
        ys.append(y)
        Ws.append(W.copy())
        bs.append(None if b is None else b.copy())
    return {
        "name": name, "num_in": num_in, "num_out": num_out, "batch": batch, "alpha": alpha, "bias": bias, "rule": rule,
        "W0": t32(W0), "b0": None if b0 is None else t32(b0),
        "x": t32(np.stack(xs)), "target": t32(np.stack(ts)), "y": t32(np.stack(ys)),
        "W": t32(np.stack(Ws)), "b": None if not bias else t32(np.stack(bs)),
    }


def ridge_weights(X, T, alpha):
    A = X.T @ X
    if alpha > 0:
        A = A + alpha * np.eye(A.shape[0])
    rcond = 10 * A.shape[0] * EPS32
    return np.linalg.pinv(A, rcond=rcond) @ (X.T @ T)


def ridge_case(name, rng, num_in, num_out, n, T, alpha, bias, duplicate=False):
    xs = rng.standard_normal((n, T, num_in)).astype(F32)
    if duplicate:  # a repeated feature column: X^T X is singular, so alpha = 0 needs the pseudo-inverse
        xs[..., -1] = xs[..., 0]
    true_W = rng.standard_normal((num_in, num_out))
    target = (xs.astype(np.float64) @ true_W + 0.05 * rng.standard_normal((n, T, num_out)) + (0.7 if bias else 0)).astype(F32)
    ys = rng.standard_normal((n, T, num_out)).astype(F32)  # the layer's own outputs: only their shape matters
    X = xs.astype(np.float64)
    if bias:
        X = np.concatenate([np.ones((n, T, 1)), X], axis=-1)
    X = X.reshape(-1, X.shape[-1])
    w = ridge_weights(X, target.reshape(-1, num_out).astype(np.float64), alpha).astype(F32)
    return {
        "name": name, "num_in": num_in, "num_out": num_out, "alpha": alpha, "bias": bias,
        "xs": t32(xs), "ys": t32(ys), "target": t32(target),
        "W": t32(w[1:] if bias else w), "b": t32(w[0]) if bias else None,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20240611)
    online = [
        rls_case("bias_b1_alpha0.1", rng, 4, 3, 1, 12, 0.1, True),
        rls_case("nobias_b1_alpha1", rng, 3, 2, 1, 10, 1.0, False),
        rls_case("bias_b3_alpha0.5", rng, 5, 2, 3, 8, 0.5, True),
        rls_case("bias_b1_alpha1e-7", rng, 4, 2, 1, 6, 1e-7, True),
        rls_case("nobias_b4_alpha0.2", rng, 3, 2, 4, 6, 0.2, False),
        rls_case("bias_b3_alpha0.5_sum", rng, 5, 2, 3, 8, 0.5, True, rule="sum"),
    ]
    dump({
        "what": "numpy following BrainPy's documented RLS (not BrainPy); see compat/brainpy_fit_reference.py",
        "cases": online,
    }, os.path.join(OUT, "online_rls.json"))
    offline = [
        ridge_case("bias_alpha1e-7", rng, 5, 3, 2, 20, 1e-7, True),
        ridge_case("nobias_alpha0.5", rng, 4, 2, 3, 7, 0.5, False),
        ridge_case("bias_duplicate_alpha0", rng, 4, 2, 2, 10, 0.0, True, duplicate=True),
    ]
    dump({
        "what": "numpy following BrainPy's documented ridge regression (not BrainPy); see compat/brainpy_fit_reference.py",
        "cases": offline,
    }, os.path.join(OUT, "offline_ridge.json"))


if __name__ == "__main__":
    main()
