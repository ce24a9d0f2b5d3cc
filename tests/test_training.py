"""Tests for reference/training.py: batching, the order of the training loop, accuracy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nnlab.graders.judging.strategies import SEEDS
from nnlab.reference import training
from nnlab.reference.base import Module, Parameter, manual_seed
from nnlab.reference.training import accuracy, fit, minibatches

# ----------------------------------------------------------------------------------------
# minibatches
# ----------------------------------------------------------------------------------------

# (N, batch_size) -> sizes of the batches, in order
BATCH_CASES = [
    pytest.param(10, None, [10], id="None-is-one-batch"),
    pytest.param(4, 1, [1, 1, 1, 1], id="1-is-sgd"),
    pytest.param(10, 3, [3, 3, 3, 1], id="remainder-last"),
    pytest.param(9, 3, [3, 3, 3], id="exact"),
    pytest.param(5, 8, [5], id="larger-than-N"),
    pytest.param(1, None, [1], id="single-sample"),
    pytest.param(0, 4, [], id="empty"),
]


def paired(n: int) -> tuple[np.ndarray, np.ndarray]:
    """X row i holds 10*i and 10*i+1; y holds i, so pairing is checkable after shuffling."""
    y = np.arange(n)
    return np.stack([10 * y, 10 * y + 1], axis=1).astype(np.float64), y


@pytest.mark.parametrize(("n", "batch_size", "sizes"), BATCH_CASES)
@pytest.mark.parametrize("shuffle", [False, True], ids=["ordered", "shuffled"])
def test_minibatches_sizes_and_coverage(n, batch_size, sizes, shuffle):
    X, y = paired(n)
    batches = list(minibatches(X, y, batch_size, shuffle, np.random.default_rng(0)))
    assert [len(xb) for xb, _ in batches] == sizes, "batch sizes"
    assert [len(yb) for _, yb in batches] == sizes, "target batch sizes"
    seen = np.concatenate([yb for _, yb in batches]) if batches else np.array([], dtype=int)
    np.testing.assert_array_equal(np.sort(seen), y, err_msg="every sample exactly once")
    if not shuffle:
        np.testing.assert_array_equal(seen, y, err_msg="without shuffle the order is kept")
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], 10 * yb, err_msg="X and y must stay paired")


@given(st.integers(2, 40), st.integers(1, 7), SEEDS)
def test_minibatches_shuffle_is_one_permutation_from_the_generator(n, batch_size, seed):
    """The visiting order is ``rng.permutation(N)``: one draw per call, reproducible by seed."""
    X, y = paired(n)
    rng = np.random.default_rng(seed)
    order = np.concatenate([yb for _, yb in minibatches(X, y, batch_size, True, rng)])
    reference = np.random.default_rng(seed)
    np.testing.assert_array_equal(order, reference.permutation(n), err_msg="first call")
    again = np.concatenate([yb for _, yb in minibatches(X, y, batch_size, True, rng)])
    np.testing.assert_array_equal(again, reference.permutation(n), err_msg="second call")


def test_minibatches_shuffle_without_rng_uses_a_fresh_generator():
    X, y = paired(50)
    orders = [np.concatenate([yb for _, yb in minibatches(X, y, 7, shuffle=True)]) for _ in "ab"]
    assert all(np.array_equal(np.sort(o), y) for o in orders)
    assert not np.array_equal(orders[0], orders[1]), "two fresh generators drew the same order"


def test_minibatches_does_not_modify_its_arguments():
    X, y = paired(6)
    X_before, y_before = X.copy(), y.copy()
    list(minibatches(X, y, 4, True, np.random.default_rng(1)))
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        pytest.param({"y": np.zeros(4)}, ValueError, "same length", id="lengths"),
        pytest.param({"batch_size": 0}, ValueError, "positive int", id="zero"),
        pytest.param({"batch_size": -2}, ValueError, "positive int", id="negative"),
        pytest.param({"batch_size": 2.5}, TypeError, "positive int", id="float"),
        pytest.param({"batch_size": True}, TypeError, "positive int", id="bool"),
    ],
)
@pytest.mark.parametrize("function", ["minibatches", "fit"])
def test_invalid_arguments_raise_when_called(kwargs, error, message, function):
    X, y = paired(5)
    arguments = {"X": X, "y": y, **kwargs}
    with pytest.raises(error, match=message):
        if function == "minibatches":
            minibatches(**arguments)  # raises at the call, before any batch is requested
        else:
            fit(Recorder([]), RecordingLoss([]), RecordingOptimizer([]), **arguments)


# ----------------------------------------------------------------------------------------
# fit, with spies that record every call
# ----------------------------------------------------------------------------------------


class Recorder(Module):
    """The identity map; records its calls and the batches it sees."""

    def __init__(self, log: list):
        super().__init__()
        self.log = log
        self.batches: list[np.ndarray] = []
        self.weight = Parameter(np.zeros(1))

    def forward(self, x):
        self.log.append("model.forward")
        self.batches.append(x)
        self.output = x.copy()
        return self.output

    def backward(self, grad_y):
        self.log.append("model.backward")
        self.received = grad_y
        return grad_y


class RecordingLoss:
    """Loss = mean of the batch's targets, so the per-epoch figure is easy to predict."""

    def __init__(self, log: list, model: Recorder | None = None):
        self.log = log
        self.model = model

    def forward(self, input, target):  # noqa: A002 (PyTorch's name)
        self.log.append("loss.forward")
        if self.model is not None:
            assert input is self.model.output, "the loss must receive the model's output"
        self.target = target
        return float(np.mean(target))

    def backward(self):
        self.log.append("loss.backward")
        self.gradient = np.full((len(self.target), 2), 7.0)
        return self.gradient


class RecordingOptimizer:
    def __init__(self, log: list):
        self.log = log

    def zero_grad(self):
        self.log.append("optimizer.zero_grad")

    def step(self):
        self.log.append("optimizer.step")


ONE_STEP = [
    "optimizer.zero_grad",
    "model.forward",
    "loss.forward",
    "loss.backward",
    "model.backward",
    "optimizer.step",
]


@pytest.mark.parametrize(("n", "batch_size", "sizes"), BATCH_CASES[:-1])
def test_fit_runs_the_five_steps_for_every_batch_of_every_epoch(n, batch_size, sizes):
    log: list[str] = []
    model = Recorder(log)
    loss = RecordingLoss(log, model)
    X, y = paired(n)
    fit(model, loss, RecordingOptimizer(log), X, y, epochs=3, batch_size=batch_size)
    assert log == ONE_STEP * (3 * len(sizes))
    assert model.received is loss.gradient, "model.backward must get loss_fn.backward()"


def test_fit_returns_per_epoch_means_weighted_by_batch_size():
    """Batches of 2, 2, 1 with mean targets 0.5, 2.5, 4: the epoch mean is 2.0, not 7/3."""
    X, y = paired(5)
    losses = fit(Recorder([]), RecordingLoss([]), RecordingOptimizer([]), X, y, 2, batch_size=2)
    assert losses == pytest.approx([2.0, 2.0])
    assert all(isinstance(value, float) for value in losses)


def test_fit_with_zero_epochs_does_nothing():
    log: list[str] = []
    X, y = paired(3)
    assert fit(Recorder(log), RecordingLoss(log), RecordingOptimizer(log), X, y, epochs=0) == []
    assert log == []


def test_fit_shuffles_every_epoch_from_the_given_generator():
    X, y = paired(12)
    model = Recorder([])
    fit(model, RecordingLoss([]), RecordingOptimizer([]), X, y, 3, 5, True, np.random.default_rng(4))
    orders = [np.concatenate(model.batches[i : i + 3])[:, 0] / 10 for i in range(0, 9, 3)]
    reference = np.random.default_rng(4)
    for epoch, order in enumerate(orders):
        np.testing.assert_array_equal(order, reference.permutation(12), err_msg=f"epoch {epoch}")


def test_fit_without_rng_draws_every_epoch_from_the_default_generator(monkeypatch):
    """rng=None: the default generator (base.default_generator()) serves the whole run, no new one
    is made, the epochs get different orders, and manual_seed makes the orders reproducible."""
    created = []
    real = np.random.default_rng

    def counting_default_rng(*args, **kwargs):
        created.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(np.random, "default_rng", counting_default_rng)
    X, y = paired(30)
    runs = []
    for _ in range(2):
        manual_seed(11)
        model = Recorder([])
        fit(model, RecordingLoss([]), RecordingOptimizer([]), X, y, epochs=4, batch_size=30, shuffle=True)
        runs.append([batch[:, 0] for batch in model.batches])
    assert created == [], f"{len(created)} generators created; the default generator should serve the run"
    first, second = runs[0][:2]
    assert not np.array_equal(first, second), "epochs must get different orders"
    for a, b in zip(*runs, strict=True):
        np.testing.assert_array_equal(a, b, err_msg="manual_seed(11) twice: the same orders")


class Line(Module):
    """``y = x @ w``; with MSE and plain gradient descent below, a least-squares problem."""

    def __init__(self, d: int):
        super().__init__()
        self.w = Parameter(np.zeros((d, 1)))

    def forward(self, x):
        self._x = x
        return x @ self.w.data

    def backward(self, grad_y):
        self.w.grad += self._x.T @ grad_y
        return grad_y @ self.w.data.T


class MSE:
    def forward(self, input, target):  # noqa: A002
        self._diff = input - target
        return float(np.mean(self._diff**2))

    def backward(self):
        return 2 * self._diff / self._diff.size


class GD:
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def zero_grad(self):
        for p in self.params:
            p.grad[...] = 0

    def step(self):
        for p in self.params:
            p.data = p.data - self.lr * p.grad


@pytest.mark.parametrize("batch_size", [None, 1, 8])
def test_fit_decreases_the_loss_and_is_reproducible_with_a_seed(batch_size):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]])

    def run() -> tuple[list[float], np.ndarray]:
        model = Line(3)
        optimizer = GD(model.parameters(), lr=0.1)
        losses = fit(model, MSE(), optimizer, X, y, 30, batch_size, True, np.random.default_rng(3))
        return losses, model.w.data

    losses, w = run()
    assert losses[-1] < 0.05 * losses[0], f"loss went from {losses[0]} to {losses[-1]}"
    losses_again, w_again = run()
    assert losses == losses_again and np.array_equal(w, w_again), "same seed, same run"


# ----------------------------------------------------------------------------------------
# accuracy
# ----------------------------------------------------------------------------------------


class FixedScores(Module):
    """Returns preset scores; records whether it was in training mode when called."""

    def __init__(self, scores):
        super().__init__()
        self.scores = np.asarray(scores, dtype=np.float64)
        self.modes: list[bool] = []

    def forward(self, x):
        self.modes.append(self.training)
        return self.scores[x[:, 0].astype(int)]


@pytest.mark.parametrize(
    ("scores", "y", "threshold", "expected"),
    [
        pytest.param([[0.1, 0.9], [2.0, -1.0], [0.0, 3.0]], [1, 0, 0], 0.0, 2 / 3, id="argmax"),
        pytest.param([[0.3], [-0.2], [0.1]], [1, 0, 0], 0.0, 2 / 3, id="logit-column"),
        pytest.param([0.7, 0.4, 0.6], [1, 0, 0], 0.5, 2 / 3, id="probabilities"),
    ],
)
def test_accuracy_counts_correct_predictions(scores, y, threshold, expected):
    model = FixedScores(scores)
    X = np.arange(3.0)[:, None]
    assert accuracy(model, X, np.array(y), batch_size=2, threshold=threshold) == pytest.approx(expected)


@pytest.mark.parametrize("start_in_training", [True, False])
def test_accuracy_evaluates_in_eval_mode_and_restores_the_mode(start_in_training):
    model = FixedScores([[1.0, 0.0]] * 4)
    model.train() if start_in_training else model.eval()
    accuracy(model, np.zeros((4, 1)), np.zeros(4, dtype=int), batch_size=3)
    assert model.modes == [False, False], "forward must run in eval mode, batch by batch"
    assert model.training is start_in_training


def test_training_exports():
    assert set(training.__all__) == {"minibatches", "fit", "accuracy"}
