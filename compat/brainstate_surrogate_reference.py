#!/usr/bin/env python3
"""Reference values for spikeport's brainstate.surrogate port -- a NUMPY TRANSCRIPTION, NOT THE REAL BRAINSTATE.

    python3 compat/brainstate_surrogate_reference.py [out.json]      (default fixtures/brainstate/surrogate.json)

What produced these numbers: this file. It re-writes, with numpy and scipy.special, the formulas of the 18 surrogate
classes of brainstate 0.1.0's ``brainstate/surrogate.py`` as the seed document
``/work/shared/seeds/003_fcdb153a5a3c724f.txt`` gives them (Surrogate.__call__, surrogate_fun, surrogate_grad,
__repr__ and the constructor defaults). brainstate and JAX are not installable on these machines, so nothing here was
run through brainstate or JAX; an error in reading the seed would show up both here and in the TypeScript port. The
transcription is deliberately literal, upstream quirks included (each one is marked ``QUIRK`` below):

  * ERF.surrogate_fun is erf(-alpha*x)/2, not (1 - erf(-alpha*x))/2: it decreases and its derivative is -surrogate_grad;
  * Arctan.surrogate_fun calls arctan2 with ONE argument, which raises TypeError (numpy's arctan2 raises as jnp's does),
    so the file records the error type, not values;
  * GaussianGrad's exponent is -(x**2)/2 * sigma**2 (multiplies by sigma^2 instead of dividing by 2 sigma^2);
  * PiecewiseQuadratic.surrogate_grad is alpha - (alpha x)^2, the derivative of its surrogate_fun is alpha - alpha^2|x|;
  * PiecewiseLeakyRelu.surrogate_grad is 1/w inside [-w, w], the derivative of its surrogate_fun is 1/(2w);
  * QPseudoSpike.surrogate_grad uses 2/(alpha+1) where its surrogate_fun uses 2/(alpha-1), and the x < 0 branch of
    surrogate_fun uses 1 - 2|x|/(alpha-1) (its derivative is negative there);
  * S2NN.surrogate_grad ignores the epsilon its surrogate_fun adds inside the log;
  * ReluGrad, GaussianGrad, MultiGaussianGrad, InvSquareGrad and SlayerGrad define no surrogate_fun (the base class
    raises NotImplementedError).

dtype semantics follow JAX with its Python-float parameters being weakly typed: a float32 input is computed in float32
(parameters combined in Python floats first, as the seed's expressions do, then cast), a float64 input in float64 (that
is JAX with jax_enable_x64=True; without it JAX has no float64 arrays). Comparisons with a parameter (x > 1/alpha)
happen in the input's dtype. Forward values are the Heaviside step (x >= 0 -> 1, -0 and 0 included); the gradient of
Surrogate.__call__ is cotangent * surrogate_grad(x) (the heaviside_p JVP rule dx * tx).

Output (``tensorjson.dump``: sorted keys, compact): {"format": "spikeport-brainstate-surrogate-reference",
"version": 1, "producer", "source", "environment", "cases": [Case, ...]} where each Case is
{"name", "class", "variant" ("default" or "custom"), "dtype", "args": [[name, value], ...] (the constructor keyword
arguments as passed; [] for the defaults), "params": [[name, value], ...] (all attributes after construction),
"repr" (Python's repr of the instance), "x", "cotangent", "spike" (the forward), "surrogate_grad",
"vjp" (cotangent * surrogate_grad, what backward of Surrogate.__call__ gives), "surrogate_fun" (a tensor, or null),
"surrogate_fun_error" (null, or the Python exception type the call raises)} plus a top-level "derivative_check":
for every class, whether surrogate_grad equals a float64 central finite difference of surrogate_fun on a grid away from
kinks (true / false / null where there is no surrogate_fun). Tensors are encoded with compat/tensorjson.py. The run is
deterministic: rerunning gives the same bytes.
"""
import math
import os
import platform
import sys

import numpy as np
import scipy
import scipy.special as sps

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tensorjson import dump, encode_float, encode_tensor  # noqa: E402

ROOT = os.path.dirname(HERE)
SEED = "003_fcdb153a5a3c724f.txt (brainstate 0.0.2.post20241010 -> 0.1.0 wheel diff, brainstate/surrogate.py)"


def _c(x, v):
    """A value JAX computes from Python floats with a jnp function (jnp.sqrt(jnp.pi), jnp.power(sigma, 2)): weakly
    typed, so it lives in the input's dtype."""
    return np.asarray(v, dtype=x.dtype)


def _where(cond, a, b, x):
    """jnp.where with Python-float branches keeps the input's dtype (weak typing); numpy would give float64."""
    a = np.asarray(a, dtype=x.dtype) if not isinstance(a, np.ndarray) else a
    b = np.asarray(b, dtype=x.dtype) if not isinstance(b, np.ndarray) else b
    return np.where(cond, a, b)


class Surrogate:
    def __call__(self, x):
        dx = self.surrogate_grad(x)
        return (x >= 0).astype(x.dtype), dx

    def __repr__(self):
        return f'{self.__class__.__name__}()'

    def surrogate_fun(self, x):
        raise NotImplementedError

    def surrogate_grad(self, x):
        raise NotImplementedError


class Sigmoid(Surrogate):
    def __init__(self, alpha=4.):
        self.alpha = alpha

    def surrogate_fun(self, x):
        return sps.expit(self.alpha * x)

    def surrogate_grad(self, x):
        s = sps.expit(x * self.alpha)
        return (1. - s) * s * self.alpha

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class PiecewiseQuadratic(Surrogate):
    def __init__(self, alpha=1.):
        self.alpha = alpha

    def surrogate_fun(self, x):
        a = self.alpha
        mid = (-a * np.abs(x) / 2 + 1) * a * x + 0.5
        return _where(x < -1 / a, 0., _where(x > 1 / a, 1., mid, x), x)

    def surrogate_grad(self, x):
        a = self.alpha
        # QUIRK: -(alpha x)^2 + alpha; d/dx surrogate_fun is -alpha^2 |x| + alpha
        return _where(np.abs(x) > 1 / a, 0., -(a * x) ** 2 + a, x)

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class PiecewiseExp(Surrogate):
    def __init__(self, alpha=1.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        return (self.alpha / 2) * np.exp(-self.alpha * np.abs(x))

    def surrogate_fun(self, x):
        with np.errstate(over='ignore'):
            return np.where(x < 0, np.exp(self.alpha * x) / 2, 1 - np.exp(-self.alpha * x) / 2)

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class SoftSign(Surrogate):
    def __init__(self, alpha=1.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        return self.alpha * 0.5 / (1 + np.abs(self.alpha * x)) ** 2

    def surrogate_fun(self, x):
        return x / (2 / self.alpha + 2 * np.abs(x)) + 0.5

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class Arctan(Surrogate):
    def __init__(self, alpha=1.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        return self.alpha * 0.5 / (1 + (np.pi / 2 * self.alpha * x) ** 2)

    def surrogate_fun(self, x):
        # QUIRK: arctan2 with one argument raises TypeError (as jnp.arctan2 does in brainstate 0.1.0)
        return np.arctan2(np.pi / 2 * self.alpha * x) / np.pi + 0.5

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class NonzeroSignLog(Surrogate):
    def __init__(self, alpha=1.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        return 1. / (1 / self.alpha + np.abs(x))

    def surrogate_fun(self, x):
        return _where(x < 0, -1., 1., x) * np.log(np.abs(self.alpha * x) + 1)

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class ERF(Surrogate):
    def __init__(self, alpha=1.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        return (self.alpha / np.sqrt(_c(x, np.pi))) * np.exp(-np.power(_c(x, self.alpha), 2) * x * x)

    def surrogate_fun(self, x):
        # QUIRK: erf(-alpha x) / 2 (range (-1/2, 1/2), decreasing); the documented function is (1 - erf(-alpha x)) / 2
        return sps.erf(-self.alpha * x) * 0.5

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class PiecewiseLeakyRelu(Surrogate):
    def __init__(self, c=0.01, w=1.):
        self.c = c
        self.w = w

    def surrogate_fun(self, x):
        c, w = self.c, self.w
        return _where(x < -w, c * x + c * w, _where(x > w, c * x - c * w + 1, 0.5 * x / w + 0.5, x), x)

    def surrogate_grad(self, x):
        # QUIRK: 1/w inside [-w, w]; d/dx surrogate_fun there is 1/(2w)
        return _where(np.abs(x) > self.w, self.c, 1 / self.w, x)

    def __repr__(self):
        return f'{self.__class__.__name__}(c={self.c}, w={self.w})'


class SquarewaveFourierSeries(Surrogate):
    def __init__(self, n=2, t_period=8.):
        self.n = n
        self.t_period = t_period

    def surrogate_grad(self, x):
        w = np.pi * 2. / self.t_period
        dx = np.cos(w * x)
        for i in range(2, self.n):
            dx += np.cos((2 * i - 1.) * w * x)
        dx *= 4. / self.t_period
        return dx

    def surrogate_fun(self, x):
        w = np.pi * 2. / self.t_period
        ret = np.sin(w * x)
        for i in range(2, self.n):
            c = (2 * i - 1.)
            ret += np.sin(c * w * x) / c
        return 0.5 + 2. / np.pi * ret

    def __repr__(self):
        return f'{self.__class__.__name__}(n={self.n}, t_period={self.t_period})'


class S2NN(Surrogate):
    def __init__(self, alpha=4., beta=1., epsilon=1e-8):
        self.alpha = alpha
        self.beta = beta
        self.epsilon = epsilon

    def surrogate_fun(self, x):
        return np.where(x < 0., sps.expit(x * self.alpha), self.beta * np.log(np.abs((x + 1.)) + self.epsilon) + 0.5)

    def surrogate_grad(self, x):
        sg = sps.expit(self.alpha * x)
        with np.errstate(divide='ignore'):
            # QUIRK: beta / (x + 1) without the epsilon surrogate_fun adds inside the log
            return np.where(x < 0., self.alpha * sg * (1. - sg), self.beta / (x + 1.))

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha}, beta={self.beta}, epsilon={self.epsilon})'


class QPseudoSpike(Surrogate):
    def __init__(self, alpha=2.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        # QUIRK: 2 / (alpha + 1) here, 2 / (alpha - 1) in surrogate_fun
        return np.power(1 + 2 / (self.alpha + 1) * np.abs(x), -self.alpha)

    def surrogate_fun(self, x):
        a = self.alpha
        with np.errstate(divide='ignore', invalid='ignore'):
            # QUIRK: the x < 0 branch has 1 - 2|x|/(alpha-1) (the documented 1 - 2x/(alpha-1) is 1 + 2|x|/(alpha-1))
            return np.where(x < 0.,
                            0.5 * np.power(1 - 2 / (a - 1) * np.abs(x), 1 - a),
                            1. - 0.5 * np.power(1 + 2 / (a - 1) * np.abs(x), 1 - a))

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class LeakyRelu(Surrogate):
    def __init__(self, alpha=0.1, beta=1.):
        self.alpha = alpha
        self.beta = beta

    def surrogate_fun(self, x):
        return np.where(x < 0., self.alpha * x, self.beta * x)

    def surrogate_grad(self, x):
        return _where(x < 0., self.alpha, self.beta, x)

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha}, beta={self.beta})'


class LogTailedRelu(Surrogate):
    def __init__(self, alpha=0.):
        self.alpha = alpha

    def surrogate_fun(self, x):
        with np.errstate(divide='ignore', invalid='ignore'):
            return np.where(x > 1, np.log(x), np.where(x > 0, x, self.alpha * x))

    def surrogate_grad(self, x):
        with np.errstate(divide='ignore'):
            return np.where(x > 1, 1 / x, _where(x > 0, 1., self.alpha, x))

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class ReluGrad(Surrogate):
    def __init__(self, alpha=0.3, width=1.):
        self.alpha = alpha
        self.width = width

    def surrogate_grad(self, x):
        return np.maximum(self.alpha * self.width - np.abs(x) * self.alpha, 0)

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha}, width={self.width})'


class GaussianGrad(Surrogate):
    def __init__(self, sigma=0.5, alpha=0.5):
        self.sigma = sigma
        self.alpha = alpha

    def surrogate_grad(self, x):
        # QUIRK: exp(-(x^2)/2 * sigma^2): multiplies by sigma^2 where a Gaussian divides by 2 sigma^2
        dx = np.exp(-(x ** 2) / 2 * np.power(_c(x, self.sigma), 2)) / (np.sqrt(_c(x, 2 * np.pi)) * self.sigma)
        return self.alpha * dx

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha}, sigma={self.sigma})'


class MultiGaussianGrad(Surrogate):
    def __init__(self, h=0.15, s=6.0, sigma=0.5, scale=0.5):
        self.h = h
        self.s = s
        self.sigma = sigma
        self.scale = scale

    def surrogate_grad(self, x):
        s2pi = np.sqrt(_c(x, 2 * np.pi))
        g1 = np.exp(-x ** 2 / (2 * np.power(_c(x, self.sigma), 2))) / (s2pi * self.sigma)
        g2 = np.exp(-(x - self.sigma) ** 2 / (2 * np.power(_c(x, self.s * self.sigma), 2))) / (s2pi * self.s * self.sigma)
        g3 = np.exp(-(x + self.sigma) ** 2 / (2 * np.power(_c(x, self.s * self.sigma), 2))) / (s2pi * self.s * self.sigma)
        dx = g1 * (1. + self.h) - g2 * self.h - g3 * self.h
        return self.scale * dx

    def __repr__(self):
        return f'{self.__class__.__name__}(h={self.h}, s={self.s}, sigma={self.sigma}, scale={self.scale})'


class InvSquareGrad(Surrogate):
    def __init__(self, alpha=100.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        return 1. / (self.alpha * np.abs(x) + 1.0) ** 2

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


class SlayerGrad(Surrogate):
    def __init__(self, alpha=1.):
        self.alpha = alpha

    def surrogate_grad(self, x):
        return np.exp(-self.alpha * np.abs(x))

    def __repr__(self):
        return f'{self.__class__.__name__}(alpha={self.alpha})'


# (class, {custom keyword arguments}, [boundary points], [kinks to keep out of the finite-difference grid])
CASES = [
    (Sigmoid, {"alpha": 1.5}, [], []),
    (PiecewiseQuadratic, {"alpha": 1.5}, ["1/alpha"], ["1/alpha"]),
    (PiecewiseExp, {"alpha": 2.5}, [], [0.]),
    (SoftSign, {"alpha": 3.}, [], [0.]),
    (Arctan, {"alpha": 2.}, [], []),
    (NonzeroSignLog, {"alpha": 2.}, [], [0.]),
    (ERF, {"alpha": 1.5}, [], []),
    (PiecewiseLeakyRelu, {"c": 0.1, "w": 0.5}, ["w"], ["w"]),
    (SquarewaveFourierSeries, {"n": 5, "t_period": 4.}, [], []),
    (S2NN, {"alpha": 8., "beta": 2., "epsilon": 0.5}, [-1.], [0., -1.]),
    (QPseudoSpike, {"alpha": 3.}, ["pole"], [0., "pole"]),
    (LeakyRelu, {"alpha": 0.05, "beta": 2.}, [], [0.]),
    (LogTailedRelu, {"alpha": 0.1}, [1.], [0., 1.]),
    (ReluGrad, {"alpha": 0.5, "width": 2.}, ["width"], []),
    (GaussianGrad, {"sigma": 2., "alpha": 1.}, [], []),
    (MultiGaussianGrad, {"h": 0.3, "s": 4., "sigma": 1., "scale": 1.}, [], []),
    (InvSquareGrad, {"alpha": 10.}, [], []),
    (SlayerGrad, {"alpha": 2.}, [], []),
]

BASE_GRID = [i * 0.25 for i in range(-12, 13)] + [-0.0, 1e-7, -1e-7, 0.1, -0.1, 0.05, 2 / 3, -2 / 3,
                                                   7.5, -7.5, 10., -10., 100., -100.]


def boundaries(obj, spec):
    """The points named in CASES for this instance (both signs where the boundary is symmetric)."""
    out = []
    for b in spec:
        if b == "1/alpha":
            out += [1 / obj.alpha, -1 / obj.alpha]
        elif b == "w":
            out += [obj.w, -obj.w]
        elif b == "width":
            out += [obj.width, -obj.width]
        elif b == "pole":  # where QPseudoSpike's x < 0 branch has base 0
            out += [-(obj.alpha - 1) / 2]
        else:
            out += [b]
    return out


def grid(obj, spec, dtype):
    """The base grid, the boundaries and their float neighbours in dtype, in a fixed order (duplicates dropped, -0 kept)."""
    pts = [dtype(v) for v in BASE_GRID]
    for b in boundaries(obj, spec):
        b = dtype(b)
        pts += [b, np.nextafter(b, dtype(np.inf)), np.nextafter(b, dtype(-np.inf))]
    seen, out = set(), []
    for p in pts:
        key = (float(p), math.copysign(1.0, float(p)))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return np.array(out, dtype=dtype)


def params_of(obj):
    return [[k, encode_float(v) if isinstance(v, float) else v] for k, v in vars(obj).items()]


def run_case(cls, kwargs, variant, dtype, spec):
    obj = cls(**kwargs)
    x = grid(obj, spec, dtype)
    cot = np.linspace(0.5, 1.5, x.size).astype(dtype)
    spike, dx = obj(x)
    assert spike.dtype == dtype and dx.dtype == dtype, (cls.__name__, spike.dtype, dx.dtype)
    fun, err = None, None
    try:
        fun = obj.surrogate_fun(x)
        assert fun.dtype == dtype, (cls.__name__, fun.dtype)
    except (TypeError, NotImplementedError) as e:
        err = type(e).__name__
    return {
        "name": f"{cls.__name__}_{variant}_{np.dtype(dtype).name}",
        "class": cls.__name__,
        "variant": variant,
        "dtype": np.dtype(dtype).name,
        "args": [[k, encode_float(v) if isinstance(v, float) else v] for k, v in kwargs.items()],
        "params": params_of(obj),
        "repr": repr(obj),
        "x": encode_tensor(x),
        "cotangent": encode_tensor(cot),
        "spike": encode_tensor(spike),
        "surrogate_grad": encode_tensor(dx),
        "vjp": encode_tensor((cot * dx).astype(dtype)),
        "surrogate_fun": None if fun is None else encode_tensor(fun),
        "surrogate_fun_error": err,
    }


def derivative_check(cls, kwargs, spec):
    """Is surrogate_grad d/dx surrogate_fun? Central differences in float64 on [-3, 3] away from the kinks."""
    obj = cls(**kwargs)
    kinks = [float(b) for b in boundaries(obj, spec)]
    xs = np.array([v for v in np.linspace(-2.95, 2.95, 119) if all(abs(v - k) > 1e-3 for k in kinks)])
    try:
        obj.surrogate_fun(xs)
    except (TypeError, NotImplementedError):
        return None
    h = 1e-6
    with np.errstate(all='ignore'):
        fd = (obj.surrogate_fun(xs + h) - obj.surrogate_fun(xs - h)) / (2 * h)
        g = obj.surrogate_grad(xs)
    ok = np.isfinite(fd) & np.isfinite(g)
    return bool(np.all(ok) and np.allclose(fd, g, rtol=1e-5, atol=1e-6))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fixtures", "brainstate", "surrogate.json")
    cases, check = [], {}
    for cls, custom, spec, kinks in CASES:
        for variant, kwargs in (("default", {}), ("custom", custom)):
            for dtype in (np.float32, np.float64):
                cases.append(run_case(cls, kwargs, variant, dtype, spec))
            check.setdefault(cls.__name__, {})[variant] = derivative_check(cls, kwargs, kinks)
    doc = {
        "format": "spikeport-brainstate-surrogate-reference",
        "version": 1,
        "producer": "compat/brainstate_surrogate_reference.py",
        "source": ("numpy/scipy transcription of the formulas of brainstate 0.1.0 surrogate.py as given by the seed "
                   f"{SEED}; NOT produced by brainstate or JAX (not installable here)"),
        "environment": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
        "derivative_check": [[k, [["default", v["default"]], ["custom", v["custom"]]]] for k, v in check.items()],
        "cases": cases,
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    dump(doc, out)
    print(f"wrote {out}: {len(cases)} cases")
    for k, v in check.items():
        print(f"  {k:26s} grad == d/dx fun: default={v['default']} custom={v['custom']}")


if __name__ == "__main__":
    main()
