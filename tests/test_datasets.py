"""Tests for reference/datasets.py: truth tables, guaranteed separability, the digits split."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nnlab.graders.judging.strategies import SEEDS
from nnlab.reference import datasets
from nnlab.reference.models import Perceptron

TRUTH_TABLES = [
    pytest.param("and", [0, 0, 0, 1], id="and"),
    pytest.param("OR", [0, 1, 1, 1], id="or-any-case"),
    pytest.param("nand", [1, 1, 1, 0], id="nand"),
    pytest.param("nor", [1, 0, 0, 0], id="nor"),
    pytest.param("xor", [0, 1, 1, 0], id="xor"),
    pytest.param("xnor", [1, 0, 0, 1], id="xnor"),
]


@pytest.mark.parametrize(("name", "outputs"), TRUTH_TABLES)
def test_logic_gate_truth_tables(name, outputs):
    X, y = datasets.logic_gate(name)
    assert X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, outputs)


def test_logic_gate_rejects_unknown_names():
    with pytest.raises(ValueError, match="xor"):
        datasets.logic_gate("implies")


@settings(max_examples=15)
@given(SEEDS, st.integers(2, 80), st.sampled_from([0.05, 0.5, 2.0]), st.integers(1, 4))
def test_blobs_are_linearly_separable_and_balanced(seed, n, margin, n_features):
    """The perceptron converging on them is a certificate of linear separability."""
    X, y = datasets.blobs(n, seed=seed, margin=margin, n_features=n_features)
    assert X.shape == (n, n_features) and X.dtype == np.float64
    assert y.dtype == np.int64 and abs(int(y.sum()) - n / 2) <= 0.5, "classes alternate"
    p = Perceptron(n_features)
    assert p.fit(X, y, max_epochs=20_000), "blobs are not linearly separable"


def test_blobs_respect_the_margin_along_the_generating_direction():
    """Rebuild the generator's (w, centre) from the seed: every point is >= margin/2 away."""
    n, seed, margin = 200, 3, 0.8
    X, y = datasets.blobs(n, seed=seed, margin=margin)
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(2)
    w /= np.linalg.norm(w)
    centre = rng.standard_normal(2)
    distance = (X - centre) @ w
    assert np.all(distance[y == 1] >= margin / 2 - 1e-12)
    assert np.all(distance[y == 0] <= -margin / 2 + 1e-12)


def _sorted_rows(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    rows = np.column_stack([X, y])
    return rows[np.lexsort(rows.T[::-1])]


@pytest.mark.parametrize("n", [2, 7, 100])
def test_moons_are_sklearns_moons_without_noise(n):
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.moons(n, noise=0.0, seed=0)
    X_sk, y_sk = sklearn_datasets.make_moons(n, shuffle=False, noise=0.0)
    assert X.shape == (n, 2) and y.dtype == np.int64
    np.testing.assert_allclose(_sorted_rows(X, y), _sorted_rows(X_sk, y_sk), atol=1e-12)


def test_moons_noise_and_seed():
    X, _ = datasets.moons(200, noise=0.1, seed=5)
    np.testing.assert_array_equal(X, datasets.moons(200, noise=0.1, seed=5)[0])
    assert not np.array_equal(X, datasets.moons(200, noise=0.1, seed=6)[0])


def test_spirals_follow_the_cs231n_recipe():
    n, classes = 50, 4
    X, y = datasets.spirals(n, classes, noise=0.0, seed=0)
    assert X.shape == (n * classes, 2) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [n] * classes)
    for j in range(classes):
        r = np.linspace(0, 1, n)
        t = np.linspace(4 * j, 4 * (j + 1), n)
        np.testing.assert_allclose(X[y == j], np.c_[r * np.sin(t), r * np.cos(t)], atol=1e-12)
    noisy = datasets.spirals(n, classes, noise=0.2, seed=1)[0]
    np.testing.assert_allclose(np.hypot(*noisy.T), np.hypot(*X.T), atol=1e-12, err_msg="radii")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: datasets.blobs(1), id="blobs-n"),
        pytest.param(lambda: datasets.blobs(10, margin=0.0), id="blobs-margin"),
        pytest.param(lambda: datasets.moons(1), id="moons-n"),
        pytest.param(lambda: datasets.spirals(0), id="spirals-n"),
        pytest.param(lambda: datasets.load_digits(test_fraction=1.0), id="digits-fraction"),
    ],
)
def test_generators_reject_invalid_sizes(call):
    with pytest.raises(ValueError):
        call()


# ----------------------------------------------------------------------------------------
# digits
# ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    pytest.importorskip("sklearn", reason="the digits ship with scikit-learn")
    return datasets.load_digits()


def test_digits_shapes_types_and_scale(digits):
    X_train, y_train, X_test, y_test = digits
    assert X_train.shape[1:] == (1, 8, 8) and X_test.shape[1:] == (1, 8, 8)
    assert len(X_train) + len(X_test) == 1797
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    np.testing.assert_array_equal(np.unique(X_train * 16), np.arange(17), err_msg="pixels / 16")
    assert set(np.unique(y_test)) == set(range(10))


def test_digits_split_is_stratified_and_partitions_the_data(digits):
    X_train, y_train, X_test, y_test = digits
    counts = np.bincount(y_train, minlength=10) + np.bincount(y_test, minlength=10)
    np.testing.assert_array_equal(np.bincount(y_test, minlength=10), np.round(0.2 * counts))
    assert abs(len(y_test) - 0.2 * 1797) < 6
    from sklearn.datasets import load_digits

    full = load_digits()
    together = np.concatenate([X_train, X_test]).reshape(-1, 64) * 16
    labels = np.concatenate([y_train, y_test])
    np.testing.assert_array_equal(_sorted_rows(together, labels), _sorted_rows(full.data, full.target))


def test_digits_split_is_fixed_by_the_seed_and_flatten_only_reshapes(digits):
    X_train, y_train, X_test, y_test = digits
    flat = datasets.load_digits(flatten=True)
    assert flat[0].shape == (len(X_train), 64)
    np.testing.assert_array_equal(flat[0], X_train.reshape(-1, 64))
    np.testing.assert_array_equal(flat[3], y_test)
    other = datasets.load_digits(seed=1)
    assert not np.array_equal(other[3], y_test) or not np.array_equal(other[2], X_test)


def test_sklearn_is_imported_only_when_the_digits_are_loaded():
    code = "import sys, nnlab.reference.datasets; assert 'sklearn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
