"""Rubric, convergence family for modules: does a network with your layer learn?

The network is built twice from the same seed: once with the student's component (run in
its worker through :class:`~nnlab.graders.remote.RemoteModule`) and every other piece from
the reference, once entirely from the reference. Both are trained identically; the
student's must reach the reference's accuracy, less a small slack for legitimate
differences (rounding, Dropout's own random numbers). Sizes are small enough that correct
code written with plain Python loops finishes well within the time limit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from nnlab.exercises.components import component as lookup
from nnlab.reference import activations as ref_activations
from nnlab.reference import layers as ref_layers
from nnlab.reference import losses as ref_losses
from nnlab.reference import optimizers as ref_optimizers
from nnlab.reference.builders import reset_parameters
from nnlab.reference.datasets import load_digits, logic_gate, spirals
from nnlab.reference.models import Sequential
from nnlab.reference.training import accuracy, fit

from .. import settings
from ..catalogue import Context, check
from ..puppet import StudentError
from ..remote import RemoteLoss, RemoteModule
from ..results import Outcome, failed, passed
from .inputs import reference_class

Make = Callable[..., Any]  # make(qualname, **kwargs) -> a module (the student's or the reference's)


class NLLOfLogProbabilities:
    """``-mean(y[n, target_n])`` for log-probabilities: the loss after a LogSoftmax layer."""

    def forward(self, log_p: np.ndarray, target: np.ndarray) -> float:
        self._shape, self._target = log_p.shape, np.asarray(target)
        return float(-np.mean(log_p[np.arange(len(log_p)), self._target]))

    def backward(self) -> np.ndarray:
        grad = np.zeros(self._shape)
        grad[np.arange(self._shape[0]), self._target] = -1.0 / self._shape[0]
        return grad


class NLLOfProbabilities:
    """``-mean(log y[n, target_n])`` for probabilities: the loss after a Softmax layer."""

    def forward(self, p: np.ndarray, target: np.ndarray) -> float:
        self._p, self._target = np.maximum(p, 1e-300), np.asarray(target)
        return float(-np.mean(np.log(self._p[np.arange(len(p)), self._target])))

    def backward(self) -> np.ndarray:
        grad = np.zeros(self._p.shape)
        rows = np.arange(len(self._p))
        grad[rows, self._target] = -1.0 / (len(self._p) * self._p[rows, self._target])
        return grad


@dataclass(frozen=True)
class Scenario:
    """A network with one slot for the component under test, its data and its training."""

    data: str  # "spirals", "digits" (images) or "digits-flat"
    layers: Callable[[Make, str], list[Any]]
    epochs: int
    batch_size: int | None
    lr: float
    loss: Callable[[], Any] = ref_losses.CrossEntropyLoss
    description: str = ""
    targets: str = "class"  # "class" (int labels) or "column" (float (N, 1) targets)
    threshold: float = 0.0  # single-output predictions: class 1 above it (0.5 for probabilities)


def _hidden_activation(make: Make, name: str) -> list[Any]:
    return [make("layers.Linear", 2, 32), make(name), make("layers.Linear", 32, 3)]


def _output_activation(make: Make, name: str) -> list[Any]:
    return [make("layers.Linear", 2, 32), make("activations.Tanh"), make("layers.Linear", 32, 3), make(name)]


def _cnn(pool: str = "layers.MaxPool2d", batchnorm: bool = False) -> Callable[[Make, str], list[Any]]:
    def layers(make: Make, name: str) -> list[Any]:
        stack = [make("layers.Conv2d", 1, 4, 3, padding=1)]
        if batchnorm:
            stack.append(make("layers.BatchNorm2d", 4))
        return stack + [make("activations.ReLU"), make(pool, 2), make("layers.Flatten"), make("layers.Linear", 64, 10)]

    return layers


def _mlp_digits(middle: Callable[[Make], list[Any]]) -> Callable[[Make, str], list[Any]]:
    def layers(make: Make, name: str) -> list[Any]:
        return [make("layers.Linear", 64, 32), *middle(make), make("layers.Linear", 32, 10)]

    return layers


# Full-batch Adam on the 300 spiral points: 150 steps reach 75-99% (by activation), far above
# what a wrong gradient reaches, in a third of a second.
SPIRAL_STEPS, SPIRAL_LR = 150, 0.03
# XOR: the 4 corners, full batch; 300 Adam steps solve it from any reasonable start.
XOR_STEPS, XOR_LR = 300, 0.05


def _xor_net(output: str | None = None) -> Callable[[Make, str], list[Any]]:
    def layers(make: Make, name: str) -> list[Any]:
        stack = [make("layers.Linear", 2, 8), make("activations.Tanh"), make("layers.Linear", 8, 1)]
        return stack + ([make(output)] if output else [])

    return layers


def _spiral_classifier(make: Make, name: str) -> list[Any]:
    return [make("layers.Linear", 2, 32), make("activations.ReLU"), make("layers.Linear", 32, 3)]


# Losses are the component under test: the whole network is the reference's.
LOSS_SCENARIOS = {
    "losses.MSELoss": Scenario(
        "xor",
        _xor_net(),
        XOR_STEPS,
        None,
        XOR_LR,
        targets="column",
        threshold=0.5,
        description="an MLP on XOR with your loss (regression on 0/1 targets)",
    ),
    "losses.BCELoss": Scenario(
        "xor",
        _xor_net("activations.Sigmoid"),
        XOR_STEPS,
        None,
        XOR_LR,
        targets="column",
        threshold=0.5,
        description="an MLP with a sigmoid output on XOR with your loss",
    ),
    "losses.BCEWithLogitsLoss": Scenario(
        "xor",
        _xor_net(),
        XOR_STEPS,
        None,
        XOR_LR,
        targets="column",
        description="an MLP on XOR with your loss on its logits",
    ),
    "losses.CrossEntropyLoss": Scenario(
        "spirals", _spiral_classifier, SPIRAL_STEPS, None, SPIRAL_LR, description="an MLP on the spirals with your loss"
    ),
    "losses.HingeLoss": Scenario(
        "spirals", _spiral_classifier, SPIRAL_STEPS, None, SPIRAL_LR, description="an MLP on the spirals with your loss"
    ),
}
HIDDEN = ("Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "ELU", "SELU", "GELU", "SiLU", "Softplus")
SCENARIOS: dict[str, Scenario] = {
    **{
        f"activations.{a}": Scenario(
            "spirals",
            _hidden_activation,
            SPIRAL_STEPS,
            None,
            SPIRAL_LR,
            description="an MLP 2-32-3 with your activation on the spirals",
        )
        for a in HIDDEN
    },
    "activations.Softmax": Scenario(
        "spirals",
        _output_activation,
        SPIRAL_STEPS,
        None,
        SPIRAL_LR,
        NLLOfProbabilities,
        "an MLP on the spirals whose output is your Softmax",
    ),
    "activations.LogSoftmax": Scenario(
        "spirals",
        _output_activation,
        SPIRAL_STEPS,
        None,
        SPIRAL_LR,
        NLLOfLogProbabilities,
        "an MLP on the spirals whose output is your LogSoftmax",
    ),
    "activations.Maxout": Scenario(
        "spirals",
        lambda make, name: [make(name, 2, 16, 2), make("layers.Linear", 16, 3)],
        SPIRAL_STEPS,
        None,
        SPIRAL_LR,
        description="a Maxout(2, 16) network on the spirals",
    ),
    "layers.Linear": Scenario(
        "spirals",
        lambda make, name: [make(name, 2, 32), make("activations.Tanh"), make(name, 32, 3)],
        SPIRAL_STEPS,
        None,
        SPIRAL_LR,
        description="an MLP 2-32-3 of your Linear layers on the spirals",
    ),
    "layers.Conv2d": Scenario("digits", _cnn(), 4, 50, 0.01, description="a small CNN on 8x8 digits"),
    "layers.MaxPool2d": Scenario("digits", _cnn(), 4, 50, 0.01, description="a small CNN on 8x8 digits"),
    "layers.AvgPool2d": Scenario(
        "digits", _cnn("layers.AvgPool2d"), 4, 50, 0.01, description="a small CNN with average pooling on 8x8 digits"
    ),
    "layers.BatchNorm2d": Scenario(
        "digits", _cnn(batchnorm=True), 4, 50, 0.01, description="a small CNN with batch normalisation on 8x8 digits"
    ),
    "layers.BatchNorm1d": Scenario(
        "digits-flat",
        _mlp_digits(lambda make: [make("layers.BatchNorm1d", 32), make("activations.ReLU")]),
        4,
        50,
        0.01,
        description="an MLP with batch normalisation on 8x8 digits",
    ),
    "layers.Dropout": Scenario(
        "digits-flat",
        _mlp_digits(lambda make: [make("activations.ReLU"), make("layers.Dropout", 0.2)]),
        4,
        50,
        0.01,
        description="an MLP with dropout on 8x8 digits",
    ),
}


ALL_SCENARIOS = {**SCENARIOS, **LOSS_SCENARIOS}


@functools.lru_cache(maxsize=4)
def _data(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if name == "spirals":
        X, y = spirals(100, 3, 0.2, seed=0)
        return X, y, X, y  # can it fit the training data?
    if name == "xor":
        X, y = logic_gate("xor")
        return X, y, X, y
    X_train, y_train, X_test, y_test = load_digits(seed=0, flatten=name == "digits-flat")
    n_train, n_test = settings.CONVERGENCE_DIGITS_TRAIN, settings.CONVERGENCE_DIGITS_TEST
    return X_train[:n_train], y_train[:n_train], X_test[:n_test], y_test[:n_test]


def train(scenario: Scenario, make: Make, name: str, seed: int, loss: Any = None) -> tuple[float, list[float]]:
    """Train the scenario's network (with ``loss``, default the scenario's); returns (accuracy, per-epoch losses)."""
    model = Sequential(*scenario.layers(make, name))
    reset_parameters(model, np.random.default_rng(seed))
    X, y, X_test, y_test = _data(scenario.data)
    if scenario.targets == "column":
        y = y.astype(np.float64)[:, None]
    optimizer = ref_optimizers.Adam(model.parameters(), lr=scenario.lr)
    losses = fit(
        model,
        loss if loss is not None else scenario.loss(),
        optimizer,
        X,
        y,
        epochs=scenario.epochs,
        batch_size=scenario.batch_size,
        shuffle=True,
        rng=np.random.default_rng(seed),
    )
    if not np.all(np.isfinite(losses)):
        return float("nan"), losses
    return accuracy(model, X_test, y_test, threshold=scenario.threshold), losses


def _reference_make(qualname: str, *args: Any, **kwargs: Any) -> Any:
    return reference_class(qualname)(*args, **kwargs)


@functools.lru_cache(maxsize=64)
def reference_training(name: str, seed: int) -> tuple[float, tuple[float, ...]]:
    """The reference network's accuracy and per-epoch losses (computed once per process)."""
    scenario = ALL_SCENARIOS[name]
    loss = reference_class(name)() if name in LOSS_SCENARIOS else None
    accuracy_, losses = train(scenario, _reference_make, name, seed, loss)
    return accuracy_, tuple(float(v) for v in losses)


@check("convergence", "trains a network", components=tuple(SCENARIOS) + tuple(LOSS_SCENARIOS))
def trains_a_network(ctx: Context) -> Outcome:
    scenario = ALL_SCENARIOS[ctx.component.name]
    name = f"trains {scenario.description} to the reference's accuracy"

    def make(qualname: str, *args: Any, **kwargs: Any) -> Any:
        if qualname != ctx.component.name:
            return _reference_make(qualname, *args, **kwargs)
        handle = ctx.session.new(qualname, *args, **kwargs)
        return RemoteModule(ctx.session, handle, lookup(qualname).params_for(kwargs))

    seed = ctx.seed % 1000
    expected, reference_losses = reference_training(ctx.component.name, seed)
    loss = RemoteLoss(ctx.session, ctx.session.new(ctx.component.name)) if ctx.component.kind == "loss" else None
    try:
        got, losses = train(scenario, make, ctx.component.name, seed, loss)
    except StudentError:
        raise
    except (ValueError, TypeError, IndexError, FloatingPointError) as error:
        # The reference layers around the student's one refused what it produced.
        return failed(
            name,
            f"the network could not run with your component: {error}. Check the shape of "
            "what forward and backward return.",
            "wrong-shape",
        )
    figures = {
        "loss_curves": {
            "title": f"training loss: {scenario.description}",
            "yours": [float(v) for v in losses],
            "reference": list(reference_losses),
        }
    }
    if not np.isfinite(got):
        return failed(
            name,
            f"the training loss became nan or inf (per-epoch losses: "
            f"{', '.join(f'{v:.4g}' for v in losses[:6])}...). This is what the component does to a whole "
            "network; where its forward or backward tests fail too, they say which value is wrong.",
            "diverges",
            figures,
        )
    if got < expected - settings.CONVERGENCE_SLACK:
        return failed(
            name,
            f"reached {100 * got:.1f}% accuracy; the same network with the reference component "
            f"reaches {100 * expected:.1f}% (loss went {losses[0]:.4g} -> {losses[-1]:.4g}). This is what the "
            "component does to a whole network; where its forward or backward tests fail too, they say which "
            "value is wrong.",
            "does-not-train",
            figures,
        )
    return passed(name)


_ = ref_activations, ref_layers  # the reference modules the scenarios construct by name
