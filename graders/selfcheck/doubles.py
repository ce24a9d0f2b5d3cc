"""Test doubles: tiny deterministic stand-ins the checker drives the student's code with.

None of them is the solution of a course component: a parameter holder, an elementwise
scale-and-shift layer, a cubic layer, a log-cosh loss and a plain gradient-descent step,
each logging its calls so that a check can see in which order the student's code used them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np


class Param:
    """A parameter (docs/api.md): ``.data`` and ``.grad`` of the same shape."""

    def __init__(self, data: Any) -> None:
        self.data = np.array(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)


class CallLog(list):
    """The names of the calls made, in order (shared by the doubles of one rig)."""


class ScaleShift:
    """``y = x * a + b`` per feature (a, b of shape (D,)): a layer with two parameters."""

    def __init__(self, a: Any, b: Any, log: CallLog | None = None, name: str = "layer") -> None:
        self.a, self.b = Param(a), Param(b)
        self.log, self.name, self.training = log if log is not None else CallLog(), name, True

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.log.append(f"{self.name}.forward")
        self._x = np.asarray(x, dtype=np.float64)
        return self._x * self.a.data + self.b.data

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        self.log.append(f"{self.name}.backward")
        grad_y = np.asarray(grad_y, dtype=np.float64)
        self.a.grad += (grad_y * self._x).reshape(-1, self.a.data.size).sum(axis=0).reshape(self.a.data.shape)
        self.b.grad += grad_y.reshape(-1, self.b.data.size).sum(axis=0).reshape(self.b.data.shape)
        return grad_y * self.a.data

    def parameters(self) -> list[Param]:
        return [self.a, self.b]

    def train(self) -> ScaleShift:
        self.training = True
        return self

    def eval(self) -> ScaleShift:
        self.training = False
        return self


class Cube:
    """``y = x + x^3 / 3``: a smooth nonlinearity without parameters (derivative 1 + x^2)."""

    def __init__(self, log: CallLog | None = None, name: str = "cube") -> None:
        self.log, self.name, self.training = log if log is not None else CallLog(), name, True

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.log.append(f"{self.name}.forward")
        self._x = np.asarray(x, dtype=np.float64)
        return self._x + self._x**3 / 3

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        self.log.append(f"{self.name}.backward")
        return np.asarray(grad_y, dtype=np.float64) * (1 + self._x**2)

    def parameters(self) -> list[Param]:
        return []

    def train(self) -> Cube:
        self.training = True
        return self

    def eval(self) -> Cube:
        self.training = False
        return self


class LogCosh:
    """``mean(log cosh(y - t))``: a smooth regression loss (not one of the course's).

    ``strict``: predictions and targets must have one shape, as the course's losses ask (a fit
    that squeezes or reshapes the model's output before the loss is told so).
    """

    def __init__(self, log: CallLog | None = None, strict: bool = False) -> None:
        self.log, self.strict = log if log is not None else CallLog(), strict

    def forward(self, y: np.ndarray, t: np.ndarray) -> float:
        self.log.append("loss.forward")
        if self.strict and np.shape(y) != np.shape(t):
            raise ValueError(
                f"the loss was given predictions of shape {np.shape(y)} for targets of shape {np.shape(t)}: "
                "give it the model's output and the batch's targets as they are"
            )
        self._d = np.asarray(y, dtype=np.float64) - np.asarray(t, dtype=np.float64).reshape(np.shape(y))
        a = np.abs(self._d)
        return float(np.mean(a + np.log1p(np.exp(-2 * a)) - np.log(2.0)))

    def backward(self) -> np.ndarray:
        self.log.append("loss.backward")
        return np.tanh(self._d) / self._d.size


class GradientDescent:
    """``p.data -= lr * p.grad``: the plain step of a gradient-descent loop, logged."""

    def __init__(self, params: list[Param], lr: float, log: CallLog | None = None) -> None:
        self.params, self.lr = list(params), lr
        self.log = log if log is not None else CallLog()

    def zero_grad(self) -> None:
        self.log.append("zero_grad")
        for p in self.params:
            p.grad = np.zeros_like(p.data)

    def step(self) -> None:
        self.log.append("step")
        for p in self.params:
            p.data = p.data - self.lr * p.grad


class TableMinibatches:
    """``minibatches`` as a table, swapped in while fit runs, logging how it is called.

    The table holds the batches (as sample indices) the reference's minibatches gave fit for
    these arguments, one epoch per call (the same one every call without shuffling). A call
    with other arguments, or beyond the table, goes to ``fallback`` (the module's own
    minibatches): fit is judged on its own code, with nothing of minibatches' in the checker.
    """

    def __init__(self, log: CallLog, plan: list[list[np.ndarray]], expected: dict[str, Any], fallback: Any) -> None:
        self.log, self.plan, self.expected, self.fallback = log, plan, expected, fallback
        self.calls: list[dict[str, Any]] = []

    def __call__(self, X: Any, y: Any, batch_size: Any = None, shuffle: Any = False, rng: Any = None) -> Iterator:
        self.log.append("minibatches")
        self.calls.append({"batch_size": batch_size, "shuffle": shuffle, "rng": rng})
        epoch = len(self.calls) - 1 if self.expected["shuffle"] else 0
        same = batch_size == self.expected["batch_size"] and bool(shuffle) == self.expected["shuffle"]
        if not same or epoch >= len(self.plan):
            return self.fallback(X, y, batch_size, shuffle, rng)
        X, y = np.asarray(X), np.asarray(y)
        return iter([(X[rows], y[rows]) for rows in self.plan[epoch]])


def fit_rig(features: int, lr: float, seed: int) -> tuple[ScaleShift, LogCosh, GradientDescent, CallLog]:
    """A model, loss and optimizer sharing one call log, with seeded starting parameters."""
    rng = np.random.default_rng(seed)
    log = CallLog()
    model = ScaleShift(1.0 + 0.3 * rng.standard_normal(features), 0.3 * rng.standard_normal(features), log, "model")
    return model, LogCosh(log, strict=True), GradientDescent(model.parameters(), lr, log), log
