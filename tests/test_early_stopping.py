"""Tests for reference/early_stopping.py: when training stops, what is restored, weight decay."""

from __future__ import annotations

import math

import numpy as np
import pytest
from nnlab.reference import early_stopping, layers, training
from nnlab.reference.base import Module, Parameter
from nnlab.reference.builders import reset_parameters
from nnlab.reference.early_stopping import History, fit_early_stopping
from nnlab.reference.losses import MSELoss
from nnlab.reference.models import Sequential
from nnlab.reference.optimizers import SGD

# ----------------------------------------------------------------------------------------
# Scripted doubles: after epoch k the parameter and the buffer both hold k, and the
# validation losses follow a script, so every stopping decision is predictable.
# ----------------------------------------------------------------------------------------


class Counter(Module):
    """The identity, with a parameter the optimizer below bumps and a BatchNorm-like buffer."""

    def __init__(self):
        super().__init__()
        self.count = Parameter(np.zeros(1))
        self.running_mean = np.zeros(1)
        self.modes: list[bool] = []

    def forward(self, x):
        self.modes.append(self.training)
        if self.training:
            self.running_mean = self.running_mean + 1  # one training forward per epoch
        return x

    def backward(self, grad_y):
        return grad_y


class BumpOptimizer:
    def __init__(self, params):
        self.params = params

    def zero_grad(self):
        pass

    def step(self):
        for p in self.params:
            p.data = p.data + 1


class ScriptedLoss:
    """Training loss 1.0; validation losses (eval mode) taken from the script in order."""

    def __init__(self, counter: Counter, script: list[float]):
        self.counter, self.script = counter, iter(script)

    def forward(self, input, target):  # noqa: A002 (PyTorch's name)
        return 1.0 if self.counter.training else next(self.script)

    def backward(self):
        return np.zeros((1, 1))


def run(script, restore_best=True, **kwargs):
    counter = Counter()
    model = Sequential(counter)
    history = fit_early_stopping(
        model,
        ScriptedLoss(counter, script),
        BumpOptimizer(model.parameters()),
        np.zeros((1, 1)),
        np.zeros(1),
        np.zeros((1, 1)),
        np.zeros(1),
        restore_best=restore_best,
        **kwargs,
    )
    return history, model, counter


NAN = math.nan
# (validation losses, keyword arguments) -> (best_epoch, stopped_epoch, epochs run)
STOPPING_CASES = [
    pytest.param([5, 4, 3, 3.5, 3.2, 3.1, 0], {"patience": 3}, (3, 6, 6), id="patience-3"),
    pytest.param([5, 4, 3, 2], {"patience": 2, "max_epochs": 4}, (4, None, 4), id="ran-out"),
    pytest.param([3, 3, 1], {"patience": 1}, (1, 2, 2), id="equal-is-no-improvement"),
    pytest.param(
        [1.0, 0.95, 0.9, 0.85],
        {"patience": 2, "min_delta": 0.1},
        (1, 3, 3),
        id="min_delta",
    ),
    pytest.param([2, 3, 1.5, 4, 5], {"patience": 2}, (3, 5, 5), id="patience-resets"),
    pytest.param([2, NAN, NAN, 0], {"patience": 2}, (1, 3, 3), id="nan-is-no-improvement"),
    pytest.param([], {"max_epochs": 0}, (0, None, 0), id="no-epochs"),
]


@pytest.mark.parametrize(("script", "kwargs", "expected"), STOPPING_CASES)
def test_stopping_decisions_and_restored_state(script, kwargs, expected):
    best_epoch, stopped_epoch, epochs = expected
    history, model, counter = run(script, **kwargs)
    assert (history.best_epoch, history.stopped_epoch) == (best_epoch, stopped_epoch)
    assert history.train_losses == [1.0] * epochs
    np.testing.assert_array_equal(history.val_losses, script[:epochs])
    restored = best_epoch if best_epoch else epochs
    assert counter.count.data[0] == restored, "parameters of the best epoch must be restored"
    assert counter.running_mean[0] == restored, "BatchNorm-style buffers must be restored"
    assert model.training is True


def test_without_restore_best_the_last_weights_stay():
    history, _, counter = run([5, 4, 6, 7], restore_best=False, patience=2)
    assert (history.best_epoch, history.stopped_epoch) == (2, 4)
    assert counter.count.data[0] == 4 and counter.running_mean[0] == 4


def test_validation_runs_in_eval_mode_and_training_in_train_mode():
    _, _, counter = run([3, 2, 1], max_epochs=3)
    assert counter.modes == [True, False] * 3


def test_history_best_val_loss():
    assert History(val_losses=[3.0, 1.0, 2.0], best_epoch=2).best_val_loss == 1.0
    assert History().best_val_loss == math.inf


def test_each_epoch_is_one_call_of_training_fit_with_one_shared_generator(monkeypatch):
    calls = []

    def spy_fit(*args, **kwargs):
        calls.append(args)
        return training.fit(*args, **kwargs)

    monkeypatch.setattr(early_stopping, "fit", spy_fit)
    run([3, 2, 1], max_epochs=3, shuffle=True)
    assert [args[5] for args in calls] == [1, 1, 1], "one epoch per call"
    generators = {id(args[-1]) for args in calls}
    assert len(generators) == 1 and calls[0][-1] is not None, "one generator for the whole run"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"patience": 0}, "patience", id="patience"),
        pytest.param({"min_delta": -0.1}, "min_delta", id="min_delta"),
        pytest.param({"y_val": np.zeros(3)}, "same length", id="validation-lengths"),
    ],
)
def test_invalid_arguments(kwargs, message):
    arguments = {
        "X": np.zeros((2, 1)),
        "y": np.zeros(2),
        "X_val": np.zeros((2, 1)),
        "y_val": np.zeros(2),
        **kwargs,
    }
    counter = Counter()
    with pytest.raises(ValueError, match=message):
        fit_early_stopping(counter, ScriptedLoss(counter, []), BumpOptimizer([counter.count]), **arguments)


# ----------------------------------------------------------------------------------------
# With the reference components: real training, weight decay.
# ----------------------------------------------------------------------------------------


@pytest.fixture
def regression():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 5))
    y = X @ rng.standard_normal((5, 1)) + 0.3 * rng.standard_normal((64, 1))
    return X[:48], y[:48], X[48:], y[48:]


def _linear_model(seed: int) -> Sequential:
    return reset_parameters(Sequential(layers.Linear(5, 1)), np.random.default_rng(seed))


def test_train_losses_are_those_of_training_fit_with_the_same_generator(regression):
    """Evaluating the validation set in between does not change the training run."""
    X, y, X_val, y_val = regression
    a, b = _linear_model(1), _linear_model(1)
    history = fit_early_stopping(
        a, MSELoss(), SGD(a.parameters(), lr=0.05), X, y, X_val, y_val, max_epochs=6,
        patience=10, batch_size=8, shuffle=True, rng=np.random.default_rng(2), restore_best=False,
    )  # fmt: skip
    losses = training.fit(b, MSELoss(), SGD(b.parameters(), lr=0.05), X, y, 6, 8, True, np.random.default_rng(2))
    np.testing.assert_allclose(history.train_losses, losses, rtol=1e-12)
    assert history.val_losses[-1] < history.val_losses[0]


def test_l2_regularisation_through_weight_decay_shrinks_the_weights(regression):
    """SGD(weight_decay=lambda) adds lambda * w to each gradient: smaller final weights."""
    X, y, X_val, y_val = regression
    norms = {}
    for decay in (0.0, 1.0):
        model = _linear_model(3)
        optimizer = SGD(model.parameters(), lr=0.05, weight_decay=decay)
        fit_early_stopping(
            model, MSELoss(), optimizer, X, y, X_val, y_val, max_epochs=30, patience=30,
            batch_size=16, rng=np.random.default_rng(0),
        )  # fmt: skip
        norms[decay] = np.linalg.norm(model.layers[0].weight.data)
    assert norms[1.0] < 0.8 * norms[0.0], f"weight norms {norms}"
