"""Small training runs built only from the student's own code, the doubles and a plain loop.

Does it learn? A module with parameters learns a target made by another instance of itself
(teacher and student, the same class); an activation, once a Linear layer is available (the
release ships it, or the student wrote it), trains a two-layer network on XOR-like data; a
loss is minimised over its own input. Every loop is plain gradient descent written here.
Step counts and learning rates come from the manifest, where the fixtures writer checked
that the reference reaches the required ratio with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .compare import as_array, fmt
from .core import Check, Failed, Skipped, Subject
from .doubles import LogCosh
from .manifest import CaseSpec
from .modules import setup


def descend(
    forward: Callable[[np.ndarray], Any],
    backward: Callable[[np.ndarray], Any],
    params: list[Any],
    X: np.ndarray,
    target: np.ndarray,
    lr: float,
    steps: int,
) -> tuple[float, float]:
    """Full-batch gradient descent on a log-cosh loss; the first and the last loss."""
    loss, values = LogCosh(), []
    for _ in range(steps):
        for p in params:
            p.grad = np.zeros_like(p.data)
        values.append(loss.forward(np.asarray(forward(X), dtype=np.float64), target))
        backward(loss.backward())
        for p in params:
            p.data = p.data - lr * np.asarray(p.grad, dtype=np.float64)
    values.append(loss.forward(np.asarray(forward(X), dtype=np.float64), target))
    return values[0], values[-1] if np.isfinite(values[-1]) else float("inf")


def _verdict(what: str, first: float, last: float, ratio: float, steps: int) -> None:
    if not last <= ratio * first:
        raise Failed(
            f"{what}: {steps} steps of gradient descent took the loss from {fmt(first)} to {fmt(last)}; a correct "
            f"implementation gets it below {fmt(ratio * first)}. Forward and backward disagree, or a parameter's "
            "gradient is wrong"
        )


def teacher_student(sub: Subject, case: CaseSpec | None) -> None:
    plan = sub.spec.convergence["teacher"]
    case = sub.spec.cases[plan["case"]]
    teacher = setup(sub, case, "teacher")
    X = sub.fixture["teacher/x"]
    target = np.asarray(teacher.forward(X.copy()), dtype=np.float64)
    student = setup(sub, case)
    params = [getattr(student, p) for p in sub.spec.params_for(case)]
    first, last = descend(student.forward, student.backward, params, X, target, plan["lr"], plan["steps"])
    _verdict(
        f"{sub.label(case)} learning the outputs of another {sub.spec.class_name} (teacher and student)",
        first,
        last,
        plan["ratio"],
        plan["steps"],
    )


def two_layer(sub: Subject, case: CaseSpec | None) -> None:
    plan = sub.spec.convergence["xor"]
    linear = sub.available("layers.Linear")
    if linear is None:
        raise Skipped("needs layers.Linear (not implemented yet)")
    fx = sub.fixture
    first_layer, second_layer = linear(2, fx["xor/w1"].shape[0]), linear(fx["xor/w1"].shape[0], 1)
    first_layer.weight.data, first_layer.bias.data = fx["xor/w1"], fx["xor/b1"]
    second_layer.weight.data, second_layer.bias.data = fx["xor/w2"], fx["xor/b2"]
    activation = setup(sub, sub.spec.cases[0])
    params = [first_layer.weight, first_layer.bias, second_layer.weight, second_layer.bias]
    params += [getattr(activation, p) for p in sub.spec.params_for(sub.spec.cases[0])]

    def forward(x: np.ndarray) -> np.ndarray:
        return second_layer.forward(activation.forward(first_layer.forward(x)))

    def backward(g: np.ndarray) -> np.ndarray:
        return first_layer.backward(activation.backward(second_layer.backward(g)))

    first, last = descend(forward, backward, params, fx["xor/X"], fx["xor/y"], plan["lr"], plan["steps"])
    _verdict(
        f"Linear(2, {fx['xor/w1'].shape[0]}) -> {sub.spec.class_name} -> Linear on XOR-like data",
        first,
        last,
        plan["ratio"],
        plan["steps"],
    )


def input_descent(
    loss: Any, z: np.ndarray, t: np.ndarray, lr: float, steps: int, positive: bool
) -> tuple[float, float]:
    """Gradient descent on a loss's input (probabilities kept inside (0, 1)); the first and last value."""
    first = None
    for _ in range(steps):
        value = float(np.asarray(loss.forward(z.copy(), t), dtype=np.float64))
        first = value if first is None else first
        grad = as_array(loss.backward())
        if grad is None or grad.shape != z.shape:
            raise Failed(
                f"backward returned {'no array' if grad is None else f'shape {grad.shape}'}; expected the input's "
                f"shape {z.shape}"
            )
        z = z - lr * grad
        if positive:
            z = np.clip(z, 1e-3, 1 - 1e-3)
    last = float(np.asarray(loss.forward(z.copy(), t), dtype=np.float64))
    return float(first), last if np.isfinite(last) else float("inf")


def loss_descent(sub: Subject, case: CaseSpec | None) -> None:
    plan = sub.spec.convergence["input"]
    z, t = sub.fixture["c0/input"], sub.fixture["c0/target"]
    first, last = input_descent(sub.build(sub.spec.cases[0]), z, t, plan["lr"], plan["steps"], sub.spec.positive_input)
    if not last <= plan["ratio"] * first:
        raise Failed(
            f"{plan['steps']} steps of gradient descent on the input (lr {plan['lr']}) took the loss from "
            f"{fmt(first)} to {fmt(last)}; following a correct gradient gets it below {fmt(plan['ratio'] * first)}"
        )


CHECKS = (
    Check(
        "convergence",
        "learns a target made by another instance (teacher and student)",
        ("activation", "layer"),
        teacher_student,
        when=lambda s: "teacher" in s.convergence,
    ),
    Check(
        "convergence",
        "a two-layer network with it fits XOR-like data",
        ("activation",),
        two_layer,
        when=lambda s: "xor" in s.convergence,
    ),
    Check(
        "convergence",
        "gradient descent on its input lowers it",
        ("loss",),
        loss_descent,
        when=lambda s: "input" in s.convergence,
    ),
)
