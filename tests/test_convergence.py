"""End-to-end: the reference components, put together, learn what the course says they learn.

Each case is one claim of the course: a perceptron learns a linearly separable problem and
not XOR; one hidden layer is enough for XOR and for the spirals, where a linear classifier
fails; a small CNN reads handwritten digits. Seeds are fixed, so these are deterministic.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from nnlab.reference import datasets
from nnlab.reference.builders import build_cnn, build_mlp
from nnlab.reference.losses import CrossEntropyLoss
from nnlab.reference.models import Perceptron
from nnlab.reference.optimizers import Adam
from nnlab.reference.training import accuracy, fit


@pytest.mark.parametrize(
    ("data", "separable"),
    [
        pytest.param(lambda: datasets.blobs(200, seed=0, margin=0.3), True, id="blobs"),
        pytest.param(lambda: datasets.logic_gate("and"), True, id="and"),
        pytest.param(lambda: datasets.logic_gate("or"), True, id="or"),
        pytest.param(lambda: datasets.logic_gate("xor"), False, id="xor"),
        pytest.param(lambda: datasets.logic_gate("xnor"), False, id="xnor"),
    ],
)
def test_perceptron_converges_exactly_on_linearly_separable_data(data, separable):
    X, y = data()
    p = Perceptron(X.shape[1])
    assert p.fit(X, y, max_epochs=500) is separable
    correct = np.mean(p.predict(X) == y)
    assert bool(correct == 1.0) is separable, f"training accuracy {correct}"


def train(model, X, y, schedule, batch_size=None, seed=0):
    """Adam on cross-entropy; ``schedule`` lists ``(learning rate, epochs)`` phases."""
    optimizer = Adam(model.parameters())
    rng = np.random.default_rng(seed)
    losses = []
    for lr, epochs in schedule:
        optimizer.lr = lr
        losses += fit(model, CrossEntropyLoss(), optimizer, X, y, epochs, batch_size, True, rng)
    return losses


def one_blas_thread():
    """Batch-32 products gain nothing from BLAS threads, and under ``pytest -n 2`` spinning
    OpenBLAS threads made the CNN 5-10x slower (measured); threadpoolctl comes with sklearn."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


@pytest.mark.slow
def test_one_hidden_layer_learns_xor():
    X, y = datasets.logic_gate("xor")
    model = build_mlp([2, 8, 2], activation="tanh", rng=np.random.default_rng(0))
    losses = train(model, X, y, [(0.05, 300)])
    assert losses[-1] < 0.05, f"final loss {losses[-1]}"
    assert accuracy(model, X, y) == 1.0


@pytest.mark.slow
def test_mlp_learns_the_spirals_where_a_linear_classifier_cannot():
    X, y = datasets.spirals(100, 3, noise=0.2, seed=0)
    linear = build_mlp([2, 3], rng=np.random.default_rng(0))
    train(linear, X, y, [(0.05, 300)])
    assert accuracy(linear, X, y) < 0.65, "a linear classifier should fail on spirals"
    mlp = build_mlp([2, 64, 64, 3], activation="relu", rng=np.random.default_rng(0))
    train(mlp, X, y, [(0.01, 600)])
    assert accuracy(mlp, X, y) >= 0.95


@pytest.mark.slow
def test_mlp_separates_the_moons():
    X, y = datasets.moons(200, noise=0.1, seed=0)
    model = build_mlp([2, 16, 2], activation="tanh", rng=np.random.default_rng(0))
    train(model, X, y, [(0.02, 400)])
    assert accuracy(model, X, y) >= 0.98


@pytest.mark.slow
def test_cnn_reads_the_digits():
    """INPUT -> [CONV -> ReLU -> POOL] * 2 -> FC -> ReLU -> FC, ten epochs: >= 95% held out.

    Measured: 97.5-98.6% over seeds 0-5, about 1 s of training on one core.
    """
    pytest.importorskip("sklearn", reason="the digits ship with scikit-learn")
    X_train, y_train, X_test, y_test = datasets.load_digits()
    model = build_cnn(conv_channels=(16, 32), hidden=(64,), rng=np.random.default_rng(0))
    with one_blas_thread():
        losses = train(model, X_train, y_train, [(2e-3, 8), (2e-4, 2)], batch_size=32)
        test_accuracy = accuracy(model, X_test, y_test)
    assert losses[-1] < 0.2 * losses[0], f"training loss {losses[0]} -> {losses[-1]}"
    assert test_accuracy >= 0.95, f"test accuracy {test_accuracy:.3f}"
