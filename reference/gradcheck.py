"""Gradient checking: is my backward the derivative of my forward?

Backpropagation code is easy to get almost right. The cure is to compare it with the
definition of the derivative. For a scalar function ``f`` and a tiny step ``h``,
the *central difference*

    df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / 2h

has error O(h^2) (the one-sided difference has O(h)), so with ``h = 1e-5`` in float64 it
agrees with a correct analytic gradient to about 1e-8 relative error. Check small inputs
entry by entry: a bug confined to a few entries (a border pixel, one bias) hides in a
random projection of a large tensor.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f`` at ``x``.

    Args:
        f: called with ``x`` itself (perturbed in place), returns a float.
        x: float array of any shape; every entry is restored exactly after its probe.
        h: the step.

    Returns:
        A new array shaped like ``x`` with ``d f / d x[i]`` in each entry.
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    ### BEGIN SOLUTION
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = float(f(x))
        x[index] = original - h
        f_minus = float(f(x))
        x[index] = original  # restore exactly: no accumulated round-off
        grad[index] = (f_plus - f_minus) / (2 * h)
    ### END SOLUTION
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """The largest entry-wise relative error ``|a - b| / max(1e-8, |a| + |b|)``.

    Relative, so it means the same for gradients of size 1e-3 and 1e3; the floor of 1e-8
    keeps entries where both are (nearly) zero from dividing by zero.
    """
    ### BEGIN SOLUTION
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size == 0 and b.size == 0:
        return 0.0
    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))
    return float(np.max(ratio))
    ### END SOLUTION
