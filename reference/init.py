"""Weight initialisation: choosing the scale of the random starting weights.

A layer ``y = W x`` with ``fan_in`` inputs of unit variance and weights of variance
``s^2`` gives outputs of variance ``fan_in * s^2``. Repeated over many layers the signal
explodes when that factor is above 1 and vanishes when it is below, and so do the
gradients on the way back (where ``fan_out`` plays the same role). The initialisers below
pick ``s`` to keep the factor near 1:

* Xavier/Glorot (2010), for tanh/sigmoid nets: ``Var(W) = gain^2 * 2 / (fan_in + fan_out)``,
  a compromise between the forward (``fan_in``) and backward (``fan_out``) conditions.
* Kaiming/He (2015), for ReLU nets: ``Var(W) = gain^2 / fan``. ReLU zeroes half of its
  input, halving the variance, hence ``gain = sqrt(2)``.

A uniform distribution on ``[-b, b]`` has variance ``b^2 / 3``, so the uniform variants use
``b = sqrt(3) * std``. Names, gains and fan modes are PyTorch's (``torch.nn.init``); its
default for ``Linear`` and ``Conv2d`` is ``kaiming_uniform(a=sqrt(5))``, i.e.
``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

Every initialiser draws from its ``rng`` argument, or from ``base.default_generator()``
when it is None (so ``manual_seed`` makes the weights reproducible).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from .base import default_generator

__all__ = [
    "calculate_gain",
    "fan_in_and_fan_out",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
]

_LINEAR_GAIN_ONE = (
    "linear",
    "identity",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor the standard deviation is scaled by for a given nonlinearity (PyTorch's).

    ========================  ==========================================
    nonlinearity              gain
    ========================  ==========================================
    linear, conv*, sigmoid    1
    tanh                      5/3
    relu                      sqrt(2)
    leaky_relu                sqrt(2 / (1 + negative_slope^2)), slope ``param`` (default 0.01)
    selu                      3/4
    ========================  ==========================================
    """
    if nonlinearity in _LINEAR_GAIN_ONE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, bool) or not isinstance(param, numbers.Real):
            raise ValueError(f"negative_slope {param!r} is not a valid number")
        else:
            slope = float(param)
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(f"Unsupported nonlinearity {nonlinearity!r}")


def fan_in_and_fan_out(shape: Sequence[int]) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of shape ``(out, in)`` or ``(out, in, k1, k2, ...)``.

    A convolution weight ``(C_out, C_in, kH, kW)`` connects each output to
    ``C_in * kH * kW`` inputs (its receptive field), and each input reaches
    ``C_out * kH * kW`` outputs.

    Args:
        shape: the weight's shape (PyTorch's layout: outputs first, then inputs).

    Returns:
        ``(fan_in, fan_out)``, two ints.
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ValueError(f"fan in and fan out need a weight of at least 2 dimensions, got shape {shape}")
    ### BEGIN SOLUTION
    receptive_field = math.prod(shape[2:])
    fan_in = shape[1] * receptive_field
    fan_out = shape[0] * receptive_field
    ### END SOLUTION
    return fan_in, fan_out


def _weight_shape(shape: Sequence[int], where: str) -> tuple[int, ...]:
    """``shape`` as a tuple of positive ints with at least 2 dimensions, or a ValueError."""
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2 or min(shape) < 1:
        raise ValueError(f"{where} needs a weight shape of at least 2 positive dimensions, got {shape}")
    return shape


def _check_mode(mode: str) -> None:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")


def xavier_uniform(shape: Sequence[int], gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """A new float64 array drawn from ``U(-b, b)``, ``b = gain * sqrt(6 / (fan_in + fan_out))``.

    Args:
        shape: the weight's shape, ``(out, in)`` or ``(out, in, k1, k2, ...)``.
        gain: the nonlinearity's factor (``calculate_gain``).
        rng: the generator to draw from (default: ``base.default_generator()``).

    Returns:
        An array of ``shape`` whose entries have mean 0 and standard deviation
        ``gain * sqrt(2 / (fan_in + fan_out))`` (the bound is ``sqrt(3)`` times that).
    """
    shape = _weight_shape(shape, "xavier_uniform")
    rng = default_generator() if rng is None else rng
    ### BEGIN SOLUTION
    fan_in, fan_out = fan_in_and_fan_out(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3
    weight = rng.uniform(-bound, bound, size=shape)
    ### END SOLUTION
    return weight


def xavier_normal(shape: Sequence[int], gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """A new float64 array from ``N(0, std^2)``, ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Args and returns as ``xavier_uniform``, with normal entries.
    """
    shape = _weight_shape(shape, "xavier_normal")
    rng = default_generator() if rng is None else rng
    ### BEGIN SOLUTION
    fan_in, fan_out = fan_in_and_fan_out(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    weight = rng.normal(0.0, std, size=shape)
    ### END SOLUTION
    return weight


def kaiming_uniform(
    shape: Sequence[int],
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """A new float64 array from ``U(-b, b)``, ``b = sqrt(3) * gain / sqrt(fan)``.

    Args:
        shape: the weight's shape, ``(out, in)`` or ``(out, in, k1, k2, ...)``.
        a: the negative slope of the leaky ReLU that follows (only with ``leaky_relu``).
        mode: ``"fan_in"`` keeps the variance of the forward pass, ``"fan_out"`` that of
            the backward pass.
        nonlinearity: the activation that follows, a name ``calculate_gain`` knows.
        rng: the generator to draw from (default: ``base.default_generator()``).

    Returns:
        An array of ``shape`` with mean 0 and standard deviation ``gain / sqrt(fan)``, where
        ``gain = calculate_gain(nonlinearity, a)`` (with the default ``a = 0`` the gain is
        ReLU's ``sqrt(2)``) and ``fan`` is ``fan_in`` or ``fan_out`` as ``mode`` says.
    """
    shape = _weight_shape(shape, "kaiming_uniform")
    _check_mode(mode)
    rng = default_generator() if rng is None else rng
    ### BEGIN SOLUTION
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    weight = rng.uniform(-bound, bound, size=shape)
    ### END SOLUTION
    return weight


def kaiming_normal(
    shape: Sequence[int],
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """A new float64 array from ``N(0, std^2)``, ``std = gain / sqrt(fan)``.

    Args and returns as ``kaiming_uniform``, with normal entries.
    """
    shape = _weight_shape(shape, "kaiming_normal")
    _check_mode(mode)
    rng = default_generator() if rng is None else rng
    ### BEGIN SOLUTION
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    weight = rng.normal(0.0, std, size=shape)
    ### END SOLUTION
    return weight
