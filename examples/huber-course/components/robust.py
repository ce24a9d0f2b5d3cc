"""Robust regression: a loss that is quadratic for small errors and linear for large ones.

The mean squared error's gradient grows with the error, so one outlier can dominate a batch.
The Huber loss keeps MSE's smooth bowl near zero and MAE's constant slope past ``delta``.

This module belongs to an example course (examples/huber-course), not to nnlab: an instructor's
own component is written like nnlab's reference, with the student's part between the solution
markers, and imports the support module as ``from .base import ...``.
"""

from __future__ import annotations

import numpy as np

from .base import Loss, as_float_array

__all__ = ["HuberLoss"]


class HuberLoss(Loss):
    """The Huber loss, as PyTorch's ``HuberLoss(delta=1.0)`` with ``reduction='mean'``.

    Shapes: ``input`` and ``target`` any shape, the same; ``M`` = number of entries;
    ``d = input - target``.

    Forward:  ``L = (1/M) sum l(d)``, with ``l(d) = 0.5 d^2`` where ``|d| < delta`` and
    ``l(d) = delta (|d| - 0.5 delta)`` elsewhere.
    Backward: ``dL/dx = d / M`` where ``|d| < delta``, ``delta sign(d) / M`` elsewhere: the
    error clipped to ``[-delta, delta]``, over ``M``.

    The idea: the two pieces meet at ``|d| = delta`` with the same value and the same slope,
    so the loss is smooth; past ``delta`` an outlier pulls with a fixed force ``delta``
    instead of one proportional to its error. Saved for backward: ``self._diff = x - t``
    and ``self._small``, where ``|d| < delta``.
    """

    def __init__(self, delta: float = 1.0) -> None:
        if not delta > 0:
            raise ValueError(f"HuberLoss expects delta > 0, got {delta}")
        self.delta = float(delta)

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        x = as_float_array(input, "HuberLoss input")
        t = as_float_array(target, "HuberLoss target")
        if x.shape != t.shape:
            raise ValueError(
                f"HuberLoss expects target of the same shape as input, got input {x.shape} and target {t.shape}"
            )
        if x.size == 0:
            raise ValueError("HuberLoss needs a non-empty input (the mean of nothing is undefined)")
        ### BEGIN SOLUTION
        self._diff = x - t
        self._small = np.abs(self._diff) < self.delta
        quadratic = 0.5 * self._diff**2
        linear = self.delta * (np.abs(self._diff) - 0.5 * self.delta)
        return float(np.mean(np.where(self._small, quadratic, linear)))
        ### END SOLUTION

    def backward(self) -> np.ndarray:
        ### BEGIN SOLUTION
        grad = np.where(self._small, self._diff, self.delta * np.sign(self._diff))
        return grad / self._diff.size
        ### END SOLUTION
