"""The support module: base classes and input checks shared by every component.

Students receive this file unchanged in their bundle. Nothing here is an exercise:
it fixes the interface (``Parameter``, ``Module``, ``Loss``, ``Optimizer``) so that a
student's code can concentrate on the maths, and it turns wrong input into an error
that says what was expected instead of a numpy broadcasting error three calls down.

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
