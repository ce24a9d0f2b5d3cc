"""The support module: base classes and input checks shared by every component.

Students receive this file unchanged in their bundle. Nothing here is an exercise:
it fixes the interface (``Parameter``, ``Module``, ``Loss``, ``Optimizer``) so that a
student's code can concentrate on the maths, and it turns wrong input into an error
that says what was expected instead of a numpy broadcasting error three calls down.
It also gives the error function numpy lacks (``erf``, ``erfc``: GELU's Phi), which
``activations`` re-exports.

Library code and graders rely on the names below only (duck typing), never on
``isinstance``: a submission may define its own classes as long as they have the same
attributes and methods.

Randomness has one source, as in PyTorch: every constructor that draws random numbers
(initial weights, dropout masks, shuffles) takes an optional keyword-only ``rng`` and
otherwise draws from ``default_generator()``. ``manual_seed(0)`` at the top of a script
or notebook makes the whole run reproducible: the same weights, the same masks, the same
batches, the same plots.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "manual_seed",
    "default_generator",
    "Parameter",
    "Module",
    "Loss",
    "Optimizer",
    "as_float_array",
    "check_ndim",
    "check_feature_size",
    "pair",
    "erf",
    "erfc",
]

DTYPE = np.float64

# ----------------------------------------------------------------------------------------
# Random numbers: one module-level generator, seeded by manual_seed (torch.manual_seed).
# ----------------------------------------------------------------------------------------

_GENERATOR = np.random.default_rng()  # unseeded until manual_seed is called


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the default generator (``torch.manual_seed``); returns it.

    The generator is re-seeded in place, so objects that kept it (a ``Dropout`` built
    before the call) follow the new seed too. Explicit ``rng`` arguments are unaffected.

    Args:
        seed: a non-negative int.

    Returns:
        The default generator, ``default_generator()``.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed expects a non-negative int, got {seed!r}")
    _GENERATOR.bit_generator.state = type(_GENERATOR.bit_generator)(int(seed)).state
    return _GENERATOR


def default_generator() -> np.random.Generator:
    """The ``numpy.random.Generator`` that components draw from when given no ``rng``."""
    return _GENERATOR


class Parameter:
    """A learnable array and the gradient of the loss with respect to it.

    Attributes:
        data: the value, a float64 array.
        grad: an array shaped like ``data``; starts at zero and is *added to* by every
            ``backward`` call, so it must be reset with ``Optimizer.zero_grad()``.
    """

    def __init__(self, data: np.ndarray | float | Sequence[float]) -> None:
        self.data = np.array(data, dtype=DTYPE)
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape})"


class Module:
    """A differentiable function with optional parameters.

    ``forward(x)`` computes the output and keeps what ``backward`` will need;
    ``backward(grad_y)`` receives dL/dy (shaped like y), returns dL/dx and *adds*
    the parameter gradients into ``p.grad``.
    """

    def __init__(self) -> None:
        self.training = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__}.forward")

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__}.backward")

    def parameters(self) -> list[Parameter]:
        """The module's parameters, in the order their attributes were created."""
        return [value for value in vars(self).values() if isinstance(value, Parameter)]

    def train(self) -> Module:
        self.training = True
        return self

    def eval(self) -> Module:
        self.training = False
        return self

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Loss:
    """A scalar objective: ``forward(input, target) -> float`` then ``backward() -> dL/dinput``."""

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002 (PyTorch's name)
        raise NotImplementedError(f"{type(self).__name__}.forward")

    def backward(self) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__}.backward")

    def __call__(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        return self.forward(input, target)


class Optimizer:
    """Updates a list of parameters from their gradients, keeping per-parameter state."""

    def __init__(self, params: Iterable[Parameter]) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")

    def zero_grad(self) -> None:
        """Reset every gradient to zero (in place, so views held elsewhere see it)."""
        for p in self.params:
            p.grad[...] = 0.0

    def step(self) -> None:
        raise NotImplementedError(f"{type(self).__name__}.step")


# ----------------------------------------------------------------------------------------
# Input checks. Components call these *outside* the student's solution region, so a
# student never has to write them and cannot break them.
# ----------------------------------------------------------------------------------------


def as_float_array(x: object, name: str = "input") -> np.ndarray:
    """Return ``x`` as a float64 array, or raise a TypeError that says what was expected.

    Integers and booleans are converted (results are float64 whatever the input dtype);
    strings, objects and complex numbers are rejected.
    """
    array = np.asarray(x)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    return array.astype(DTYPE, copy=False)


def check_ndim(x: np.ndarray, ndim: int | Sequence[int], name: str, layout: str) -> None:
    """Raise a ValueError unless ``x.ndim`` is ``ndim`` (or one of them).

    ``layout`` names the axes for the message, for example ``"(N, C, H, W)"``.
    """
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if x.ndim not in allowed:
        raise ValueError(f"{name} expects input of shape {layout}, got shape {x.shape}")


def check_feature_size(x: np.ndarray, axis: int, size: int, name: str, what: str) -> None:
    """Raise a ValueError unless ``x.shape[axis] == size``."""
    if x.shape[axis] != size:
        raise ValueError(f"{name} expects {size} {what} on axis {axis % x.ndim}, got input of shape {x.shape}")


def pair(value: int | Sequence[int], name: str) -> tuple[int, int]:
    """``3 -> (3, 3)``; ``(3, 5) -> (3, 5)``: the int-or-pair sizes of Conv2d and pooling."""
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    values = tuple(int(v) for v in value)
    if len(values) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    return values  # type: ignore[return-value]


# ----------------------------------------------------------------------------------------
# The error function (GELU's Phi needs it; activations.py re-exports erf and erfc).
# numpy has no erf, math.erf takes one float at a time, and np.vectorize(math.erf) is a
# Python loop. W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev
# approximations for the error function", Math. Comp. 23, 1969, 631-638; netlib specfun
# CALERF) are accurate to double precision in three intervals of |x|; here they are
# evaluated on whole arrays at once.
# ----------------------------------------------------------------------------------------

# erf(x) = x P(x^2) / Q(x^2) for |x| <= 0.46875
_ERF_SMALL = 0.46875
_A = (
    3.16112374387056560e00,
    1.13864154151050156e02,
    3.77485237685302021e02,
    3.20937758913846947e03,
    1.85777706184603153e-1,
)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
# erfc(y) = exp(-y^2) P(y) / Q(y) for 0.46875 < y <= 4
_C = (
    5.64188496988670089e-1,
    8.88314979438837594e00,
    6.61191906371416295e01,
    2.98635138197400131e02,
    8.81952221241769090e02,
    1.71204761263407058e03,
    2.05107837782607147e03,
    1.23033935479799725e03,
    2.15311535474403846e-8,
)
_D = (
    1.57449261107098347e01,
    1.17693950891312499e02,
    5.37181101862009858e02,
    1.62138957456669019e03,
    3.29079923573345963e03,
    4.36261909014324716e03,
    3.43936767414372164e03,
    1.23033935480374942e03,
)
# erfc(y) = exp(-y^2) / y (1/sqrt(pi) + R(1/y^2)) for y > 4
_P = (
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
    1.63153871373020978e-2,
)
_Q = (
    2.56852019228982242e00,
    1.87295284992346047e00,
    5.27905102951428412e-1,
    6.05183413124413191e-2,
    2.33520497626869185e-3,
)
_ERFC_UNDERFLOW = 26.543  # erfc(y) is below the smallest double from here on


def _erf_small(x: np.ndarray) -> np.ndarray:
    """erf(x) for |x| <= 0.46875."""
    z = x * x
    num, den = _A[4] * z, z
    for a, b in zip(_A[:3], _B[:3], strict=True):
        num, den = (num + a) * z, (den + b) * z
    return x * (num + _A[3]) / (den + _B[3])


def _erfc_large(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y > 0.46875 (nan stays nan)."""
    result = np.where(y >= _ERFC_UNDERFLOW, 0.0, np.nan)
    mid = y <= 4.0
    far = (y > 4.0) & (y < _ERFC_UNDERFLOW)
    ym = y[mid]
    num, den = _C[8] * ym, ym
    for c, d in zip(_C[:7], _D[:7], strict=True):
        num, den = (num + c) * ym, (den + d) * ym
    result[mid] = (num + _C[7]) / (den + _D[7])
    yf = y[far]
    z = 1.0 / (yf * yf)
    num, den = _P[5] * z, z
    for p, q in zip(_P[:4], _Q[:4], strict=True):
        num, den = (num + p) * z, (den + q) * z
    result[far] = (1.0 / math.sqrt(math.pi) - z * (num + _P[4]) / (den + _Q[4])) / yf
    # Multiply by exp(-y^2). y*y is rounded, and exp magnifies an absolute error of y^2
    # into the same relative error of the result (1e-13 at y = 26), so split
    # y^2 = s^2 + (y - s)(y + s) with s = y truncated to sixteenths: s^2 is exact.
    inside = mid | far
    yi = y[inside]
    s = np.trunc(16.0 * yi) / 16.0
    result[inside] *= np.exp(-s * s) * np.exp(-(yi - s) * (yi + s))
    return result


def erf(x: np.ndarray) -> np.ndarray:
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t^2) dt``, elementwise, float64.

    Agrees with ``math.erf`` to within a few units in the last place for every float.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    small = y <= _ERF_SMALL
    result = np.empty_like(x)
    result[small] = _erf_small(x[small])
    large = ~small
    # (0.5 - erfc) + 0.5 as Cody writes it: exact when erfc is close to 1/2 or tiny
    result[large] = np.copysign(0.5 - _erfc_large(y[large]) + 0.5, x[large])
    return result


def erfc(x: np.ndarray) -> np.ndarray:
    """The complementary error function ``1 - erf(x)``, accurate also where it is tiny.

    ``1 - erf(x)`` would lose every digit for large x (erf rounds to 1 from x ~ 6); this
    evaluates erfc directly, so ``erfc(10) = 2.1e-45`` keeps full relative precision.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    small = y <= _ERF_SMALL
    result = np.empty_like(x)
    result[small] = 1.0 - _erf_small(x[small])
    large = ~small
    tail = _erfc_large(y[large])
    result[large] = np.where(x[large] < 0, 2.0 - tail, tail)  # erfc(-y) = 2 - erfc(y)
    return result
