"""Rubric, convergence family for modules: does a network with your layer learn?

The network is built twice from the same seed: once with the student's component (run in
its worker through :class:`~nnlab.graders.running.remote.RemoteModule`) and every other piece from
the reference, once entirely from the reference. Both are trained identically; the
student's must reach the reference's accuracy, less a small slack for legitimate
differences (rounding, Dropout's own random numbers). Sizes are small enough that correct
code written with plain Python loops finishes well within the time limit. The network, data
and training are the component's ``convergence`` scenario in its catalogue entry.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from nnlab.exercises.components import Component, Scenario
from nnlab.graders import settings
from nnlab.graders.results import ERROR, Outcome, failed, passed
from nnlab.graders.running.puppet import StudentError
from nnlab.graders.running.remote import Fed, RemoteLoss, RemoteModule
from nnlab.reference import losses as ref_losses
from nnlab.reference import optimizers as ref_optimizers
from nnlab.reference.builders import reset_parameters
from nnlab.reference.datasets import load_digits, logic_gate, spirals
from nnlab.reference.models import Sequential
from nnlab.reference.training import accuracy, fit

from ..catalogue import Context, check
from .inputs import reference_class


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


# The losses a scenario's network may end in (a loss under test is its own).
LOSSES: dict[str, type] = {
    "cross-entropy": ref_losses.CrossEntropyLoss,
    "nll-of-probabilities": NLLOfProbabilities,
    "nll-of-log-probabilities": NLLOfLogProbabilities,
}


DATASETS = ("spirals", "xor", "digits", "digits-flat")  # what a scenario's ``data`` may be


@functools.lru_cache(maxsize=4)
def _data(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if name not in DATASETS:
        raise ValueError(f"unknown convergence data {name!r}; expected one of {', '.join(DATASETS)}")
    if name == "spirals":
        X, y = spirals(100, 3, 0.2, seed=0)
        return X, y, X, y  # can it fit the training data?
    if name == "xor":
        X, y = logic_gate("xor")
        return X, y, X, y
    X_train, y_train, X_test, y_test = load_digits(seed=0, flatten=name == "digits-flat")
    n_train, n_test = settings.CONVERGENCE_DIGITS_TRAIN, settings.CONVERGENCE_DIGITS_TEST
    return X_train[:n_train], y_train[:n_train], X_test[:n_test], y_test[:n_test]


def train(scenario: Scenario, make: Any, seed: int, loss: Any = None) -> tuple[float, list[float]]:
    """Train the scenario's network (with ``loss``, default the scenario's); returns (accuracy, per-epoch losses).

    ``make(qualname, *args, **kwargs)`` builds each layer: the submission's or the reference's.
    """
    model = Sequential(*(make(layer.name, *layer.args, **dict(layer.kwargs)) for layer in scenario.network))
    reset_parameters(model, np.random.default_rng(seed))
    X, y, X_test, y_test = _data(scenario.data)
    if scenario.targets == "column":
        y = y.astype(np.float64)[:, None]
    optimizer = ref_optimizers.Adam(model.parameters(), lr=scenario.lr)
    losses = fit(
        model,
        loss if loss is not None else LOSSES[scenario.loss](),
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
def reference_training(scenario: Scenario, loss: str | None, seed: int) -> tuple[float, tuple[float, ...]]:
    """The reference network's accuracy and per-epoch losses (computed once per process);
    ``loss`` names the loss under test, if any."""
    accuracy_, losses = train(scenario, _reference_make, seed, reference_class(loss)() if loss else None)
    return accuracy_, tuple(float(v) for v in losses)


def _invalid(component: Component, fed: Fed) -> str:
    """What makes the arrays of a call made in training invalid input (nan or inf anywhere; a probability loss's
    input outside [0, 1]), as a phrase; "" when they are valid."""
    for name, array in fed.arrays.items():
        if array.dtype.kind not in "biuf" or array.size == 0:
            continue
        values = array.astype(np.float64, copy=False)
        finite = np.isfinite(values)
        if not finite.all():
            kinds = " and ".join(
                word for word, found in (("nan", np.isnan(values).any()), ("inf", np.isinf(values).any())) if found
            )
            return f"{_count(int((~finite).sum()), values.size)} of {name} were {kinds}"
        if component.kind == "loss" and component.positive_input and name == "input":
            outside = (values < 0.0) | (values > 1.0)
            if outside.any():
                worst = values[outside][np.argmax(np.abs(values[outside] - 0.5))]
                return f"{_count(int(outside.sum()), values.size)} of input were outside [0, 1] ({worst:.6g})"
    return ""


def _count(wrong: int, size: int) -> str:
    return f"all {size} entries" if wrong == size else f"{wrong} of the {size} entries"


def _refused_what_training_made(component: Component, error: StudentError) -> str | None:
    """The row's text when the student's own check (a ``raise`` or ``assert`` line) refused, after the first call,
    input the training had made invalid (nan, or a probability outside [0, 1]): the network trained with the
    student's component produced it, and refusing it is right, so no crash reader may read the refusal as a
    refusal of valid input; the row says what it observed. None when the refused call was the first (nothing the
    student's code did could have spoiled its input yet) or its input was valid: then the crash is read as usual."""
    fed = error.fed
    if not isinstance(fed, Fed) or fed.number < 2 or error.not_implemented:
        return None
    if not error.source.strip().startswith(("raise", "assert")):
        return None
    invalid = _invalid(component, fed)
    if not invalid:
        return None
    return (
        f"raised {error.describe().rstrip()}. Observed: your own check refused call {fed.number} of {fed.method} in "
        f"the training (the {fed.number - 1} before it ran), where {invalid}: what it was given came out of the "
        "network trained with your component, so the training had gone wrong before the check, which was right to "
        "refuse it. This is what the component does to a whole network; where its forward or backward tests fail "
        "too, they say which value is wrong."
    )


def _scenario_line(component: Component) -> str:
    assert component.convergence is not None
    return f"trains {component.convergence.description} to the reference's accuracy"


@check(
    "convergence",
    "trains a network",
    ("activation", "layer", "loss"),
    when=lambda c: c.convergence is not None,
    line=_scenario_line,
)
def trains_a_network(ctx: Context) -> Outcome:
    scenario = ctx.component.convergence
    assert scenario is not None
    name = _scenario_line(ctx.component)
    is_loss = ctx.component.kind == "loss"

    def make(qualname: str, *args: Any, **kwargs: Any) -> Any:
        if qualname != ctx.component.name:
            return _reference_make(qualname, *args, **kwargs)
        handle = ctx.session.new(qualname, *args, **kwargs)
        return RemoteModule(ctx.session, handle, ctx.component.params_for(kwargs))

    seed = ctx.seed % 1000
    expected, reference_losses = reference_training(scenario, ctx.component.name if is_loss else None, seed)
    loss = RemoteLoss(ctx.session, ctx.session.new(ctx.component.name)) if is_loss else None
    try:
        got, losses = train(scenario, make, seed, loss)
    except StudentError as error:
        refused = _refused_what_training_made(ctx.component, error)
        if refused is None:
            raise  # the runner reads the crash (crashes.py): the call refused was valid, or the first one
        return Outcome(name, ERROR, refused, "diverges")
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
