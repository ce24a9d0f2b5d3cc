"""Optimizers against torch.optim: the same trajectory, step after step, in float64.

Three parameters of different shapes receive the same fixed sequence of random gradients
(with a different scale at every step, so AMSGrad's running maximum and the adaptive
denominators matter) in our optimizer and in PyTorch's. After each of the separate
``step()`` calls every parameter must agree to rtol 1e-6: state has to persist between
steps exactly as PyTorch keeps it.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch (the test-only oracle) is not installed: pip install torch==2.13.0")

import torch  # noqa: E402
from nnlab.reference import optimizers  # noqa: E402
from nnlab.reference.base import Parameter  # noqa: E402
from oracle import assert_close, tensor  # noqa: E402

pytestmark = pytest.mark.torch

PARAM_SHAPES = [(3,), (2, 4), (2, 1, 3)]
STEPS = 8
NAMES = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW"]


def opt(name: str, case_id: str, **hyper) -> pytest.param:
    return pytest.param(name, hyper, id=f"{name.lower()}-{case_id}")


CASES = [
    opt("SGD", "defaults"),
    opt("SGD", "plain", lr=0.1),
    opt("SGD", "momentum", lr=0.05, momentum=0.9),
    opt("SGD", "dampening", lr=0.05, momentum=0.9, dampening=0.3),
    opt("SGD", "nesterov", lr=0.05, momentum=0.9, nesterov=True),
    opt("SGD", "weight_decay", lr=0.05, weight_decay=0.1),
    opt("SGD", "nesterov-weight_decay", lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.2),
    opt("Adagrad", "defaults"),
    opt("Adagrad", "lr_decay", lr=0.1, lr_decay=0.3),
    opt("Adagrad", "initial_accumulator_value", lr=0.1, initial_accumulator_value=0.5),
    opt("Adagrad", "weight_decay", lr=0.1, weight_decay=0.1, eps=1e-3),
    opt("RMSprop", "defaults"),
    opt("RMSprop", "alpha", lr=0.01, alpha=0.5),
    opt("RMSprop", "centered", lr=0.01, centered=True),
    opt("RMSprop", "momentum", lr=0.01, momentum=0.9),
    opt("RMSprop", "centered-momentum-weight_decay", centered=True, momentum=0.5, weight_decay=0.1),
    opt("Adadelta", "defaults"),
    opt("Adadelta", "rho-lr", lr=0.5, rho=0.5, eps=1e-4),
    opt("Adadelta", "weight_decay", weight_decay=0.1),
    opt("Adam", "defaults"),
    opt("Adam", "betas", lr=0.01, betas=(0.5, 0.9)),
    opt("Adam", "amsgrad", lr=0.01, amsgrad=True),
    opt("Adam", "weight_decay", lr=0.01, weight_decay=0.1),
    opt("Adam", "eps", lr=0.01, eps=0.1),
    opt("AdamW", "defaults"),
    opt("AdamW", "weight_decay", lr=0.01, weight_decay=0.5),
    opt("AdamW", "amsgrad", lr=0.01, amsgrad=True, weight_decay=0.1),
]


def gradient_sequence(seed: int) -> list[list[np.ndarray]]:
    """``STEPS`` gradients per parameter, each step at its own scale (0.01 to 10)."""
    rng = np.random.default_rng(seed)
    return [[10.0 ** rng.uniform(-2, 1) * rng.standard_normal(shape) for shape in PARAM_SHAPES] for _ in range(STEPS)]


@pytest.mark.parametrize("name, hyper", CASES)
def test_trajectory_matches_torch_after_every_step(name: str, hyper: dict) -> None:
    rng = np.random.default_rng(7)
    initial = [rng.standard_normal(shape) for shape in PARAM_SHAPES]
    ours = [Parameter(value) for value in initial]
    theirs = [tensor(value, requires_grad=True) for value in initial]
    optimizer = getattr(optimizers, name)(ours, **hyper)
    reference = getattr(torch.optim, name)(theirs, **hyper)
    for step, grads in enumerate(gradient_sequence(seed=11), start=1):
        for p, t, g in zip(ours, theirs, grads, strict=True):
            p.grad = g.copy()
            t.grad = tensor(g)
        optimizer.step()
        reference.step()
        for index, (p, t) in enumerate(zip(ours, theirs, strict=True)):
            what = f"{name}({hyper}): parameter {index} {p.data.shape} after step {step}"
            assert_close(p.data, t.detach().numpy(), what)


@pytest.mark.parametrize("name", NAMES)
def test_defaults_are_torchs(name: str) -> None:
    """Every hyper-parameter has PyTorch's name and default value."""
    ours = inspect.signature(getattr(optimizers, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    for hyper, parameter in ours.items():
        assert hyper in theirs, f"{name}: torch.optim.{name} has no argument {hyper!r}"
        if hyper != "params":
            assert parameter.default == theirs[hyper].default, (
                f"{name}({hyper}=...): default {parameter.default!r}, PyTorch's is {theirs[hyper].default!r}"
            )


@pytest.mark.parametrize(
    "name, hyper",
    [
        opt("SGD", "negative-lr", lr=-0.1),
        opt("SGD", "negative-momentum", momentum=-0.5),
        opt("SGD", "negative-weight_decay", weight_decay=-1.0),
        opt("SGD", "nesterov-without-momentum", nesterov=True),
        opt("SGD", "nesterov-with-dampening", momentum=0.9, dampening=0.1, nesterov=True),
        opt("Adagrad", "negative-lr_decay", lr_decay=-0.1),
        opt("Adagrad", "negative-initial_accumulator_value", initial_accumulator_value=-1.0),
        opt("Adagrad", "negative-eps", eps=-1e-10),
        opt("RMSprop", "negative-alpha", alpha=-0.1),
        opt("RMSprop", "negative-momentum", momentum=-0.1),
        opt("Adadelta", "rho-above-1", rho=1.5),
        opt("Adadelta", "negative-lr", lr=-1.0),
        opt("Adam", "beta1-is-1", betas=(1.0, 0.999)),
        opt("Adam", "negative-beta2", betas=(0.9, -0.1)),
        opt("Adam", "negative-eps", eps=-1.0),
        opt("AdamW", "negative-weight_decay", weight_decay=-0.1),
    ],
)
def test_rejects_what_torch_rejects(name: str, hyper: dict) -> None:
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([tensor(np.zeros(2), requires_grad=True)], **hyper)
    with pytest.raises(ValueError):
        getattr(optimizers, name)([Parameter(np.zeros(2))], **hyper)
