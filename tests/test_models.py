"""Tests for reference/models.py: the Sequential contract and the perceptron's exact rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nnlab.graders.judging.strategies import SEEDS, arrays, dense_shapes
from nnlab.reference.base import Module, Parameter
from nnlab.reference.datasets import blobs, logic_gate
from nnlab.reference.gradcheck import numerical_gradient, relative_error
from nnlab.reference.models import Perceptron, Sequential

# ----------------------------------------------------------------------------------------
# Sequential, exercised with small test doubles so it does not depend on layers.py.
# ----------------------------------------------------------------------------------------


class Affine(Module):
    """``y = scale * x + shift`` element-wise, with both as parameters; logs its calls."""

    def __init__(self, scale: float, shift: float, log: list[str] | None = None, name: str = ""):
        super().__init__()
        self.scale = Parameter(scale)
        self.shift = Parameter(shift)
        self.log = log if log is not None else []
        self.name = name

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.log.append(f"{self.name}.forward")
        self._x = x
        return self.scale.data * x + self.shift.data

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        self.log.append(f"{self.name}.backward")
        self.scale.grad += np.sum(grad_y * self._x)
        self.shift.grad += np.sum(grad_y)
        return self.scale.data * grad_y

    def train(self) -> Affine:
        self.log.append(f"{self.name}.train")
        return super().train()

    def eval(self) -> Affine:
        self.log.append(f"{self.name}.eval")
        return super().eval()


class Square(Module):
    """``y = x^2``: no parameters, a nonlinearity so the order of composition matters."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        return x**2

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        return 2 * self._x * grad_y


def three_layers(log: list[str] | None = None) -> Sequential:
    return Sequential(Affine(2.0, 1.0, log, "a"), Square(), Affine(-0.5, 0.25, log, "b"))


def test_sequential_keeps_its_layers_as_a_list_in_order():
    a, b = Affine(1.0, 0.0), Affine(2.0, 0.0)
    model = Sequential(a, b)
    assert isinstance(model.layers, list)
    assert model.layers[0] is a and model.layers[1] is b
    assert model.training is True


@given(dense_shapes(), SEEDS)
def test_sequential_forward_is_the_composition_of_its_layers(shape, seed):
    x = np.random.default_rng(seed).standard_normal(shape)
    expected = -0.5 * (2.0 * x + 1.0) ** 2 + 0.25
    np.testing.assert_allclose(three_layers().forward(x), expected, rtol=1e-12)


def test_sequential_backward_visits_layers_in_reverse_order():
    log: list[str] = []
    model = three_layers(log)
    y = model.forward(np.ones((2, 3)))
    model.backward(np.ones_like(y))
    assert log == ["a.forward", "b.forward", "b.backward", "a.backward"]


@settings(max_examples=10)
@given(dense_shapes().flatmap(lambda shape: st.tuples(arrays(shape), arrays(shape))))
def test_sequential_backward_matches_numerical_gradients(x_and_grad_y):
    """The chain rule through three layers: input gradient and every parameter gradient."""
    x, grad_y = x_and_grad_y
    model = three_layers()
    model.forward(x)
    grad_x = model.backward(grad_y)

    def objective(_: np.ndarray) -> float:
        return float(np.sum(model.forward(x) * grad_y))

    assert relative_error(grad_x, numerical_gradient(objective, x)) < 1e-6, "input gradient"
    for i, p in enumerate(model.parameters()):
        assert relative_error(p.grad, numerical_gradient(objective, p.data)) < 1e-6, f"param {i}"


def test_sequential_backward_adds_into_parameter_gradients():
    model = three_layers()
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    model.forward(x)
    model.backward(np.ones((2, 3)))
    once = [p.grad.copy() for p in model.parameters()]
    model.forward(x)
    model.backward(np.ones((2, 3)))
    for p, g in zip(model.parameters(), once, strict=True):
        np.testing.assert_allclose(p.grad, 2 * g, err_msg="a second backward must add (+=)")


def test_sequential_parameters_concatenate_in_layer_order():
    first, last = Affine(1.0, 0.0), Affine(2.0, 0.0)
    model = Sequential(first, Square(), last)
    assert model.parameters() == [first.scale, first.shift, last.scale, last.shift]
    assert Sequential().parameters() == []


def test_sequential_train_and_eval_propagate_and_return_self():
    log: list[str] = []
    model = three_layers(log)
    assert model.eval() is model
    assert model.training is False and all(layer.training is False for layer in model.layers)
    assert model.train() is model
    assert model.training is True and all(layer.training is True for layer in model.layers)
    assert log == ["a.eval", "b.eval", "a.train", "b.train"]


def test_sequential_nests():
    inner = Sequential(Affine(2.0, 0.0), Square())
    model = Sequential(inner, Affine(1.0, 1.0))
    np.testing.assert_allclose(model.forward(np.array([[3.0]])), [[37.0]])
    assert len(model.parameters()) == 4
    model.eval()
    assert inner.layers[0].training is False


# ----------------------------------------------------------------------------------------
# Perceptron
# ----------------------------------------------------------------------------------------


def test_perceptron_starts_at_zero():
    p = Perceptron(3)
    assert p.weight.shape == (3,) and p.weight.dtype == np.float64
    assert not np.any(p.weight)
    assert isinstance(p.bias, float) and p.bias == 0.0
    assert p.lr == 1.0


def test_perceptron_predicts_one_only_where_the_score_is_positive():
    p = Perceptron(2)
    p.weight = np.array([1.0, -1.0])
    p.bias = 0.0
    X = np.array([[2.0, 1.0], [1.0, 1.0], [1.0, 2.0]])  # scores 1, 0, -1
    prediction = p.predict(X)
    assert prediction.dtype == np.float64
    np.testing.assert_array_equal(prediction, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(Perceptron(2).predict(X), [0.0, 0.0, 0.0])


# (weight, bias, lr, x, target) -> (error, new weight, new bias)
UPDATE_CASES = [
    pytest.param(([1.0, 0.0], 0.0, 1.0, [2.0, 3.0], 1), (0.0, [1.0, 0.0], 0.0), id="correct-1"),
    pytest.param(([1.0, 0.0], 0.0, 1.0, [-2.0, 3.0], 0), (0.0, [1.0, 0.0], 0.0), id="correct-0"),
    pytest.param(([0.0, 0.0], 0.0, 1.0, [2.0, 3.0], 1), (1.0, [2.0, 3.0], 1.0), id="score-0-is-0"),
    pytest.param(([1.0, 0.0], 0.5, 1.0, [2.0, 3.0], 0), (-1.0, [-1.0, -3.0], -0.5), id="false-1"),
    pytest.param(([1.0, 1.0], -9.0, 0.1, [2.0, 3.0], 1), (1.0, [1.2, 1.3], -8.9), id="lr"),
]


@pytest.mark.parametrize(("state", "expected"), UPDATE_CASES)
def test_perceptron_update_applies_the_rule_and_returns_the_error(state, expected):
    weight, bias, lr, x, target = state
    error, new_weight, new_bias = expected
    p = Perceptron(2, lr=lr)
    p.weight, p.bias = np.array(weight), bias
    x = np.array(x)
    x_before = x.copy()
    returned = p.update(x, target)
    assert isinstance(returned, float) and returned == error, f"error {returned}, want {error}"
    np.testing.assert_allclose(p.weight, new_weight, err_msg="weight after update")
    assert p.bias == pytest.approx(new_bias), f"bias {p.bias}, want {new_bias}"
    np.testing.assert_array_equal(x, x_before, err_msg="update modified its input")


class CountingPerceptron(Perceptron):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.errors: list[float] = []

    def update(self, x, target):
        error = super().update(x, target)
        self.errors.append(error)
        return error


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
def test_perceptron_fit_stops_after_the_first_epoch_without_mistakes(gate):
    X, y = logic_gate(gate)
    p = CountingPerceptron(2)
    assert p.fit(X, y) is True
    epochs = np.array(p.errors).reshape(-1, 4)  # update called once per sample, in order
    assert not np.any(epochs[-1]), "the last epoch must be the first without a mistake"
    assert all(np.any(epoch) for epoch in epochs[:-1]), "fit kept going after a clean epoch"
    np.testing.assert_array_equal(p.predict(X), y)


@pytest.mark.parametrize("max_epochs", [0, 1, 7, 100])
def test_perceptron_fit_returns_false_on_xor_after_max_epochs(max_epochs):
    X, y = logic_gate("xor")
    p = CountingPerceptron(2)
    assert p.fit(X, y, max_epochs=max_epochs) is False
    assert len(p.errors) == 4 * max_epochs


def test_perceptron_fit_visits_samples_in_order():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    seen = []
    p = Perceptron(2)
    p.update = lambda x, target: seen.append((tuple(x), target)) or 0.0  # never a mistake
    assert p.fit(X, np.array([1, 0, 1])) is True
    assert seen == [((1.0, 0.0), 1), ((0.0, 1.0), 0), ((1.0, 1.0), 1)]


@settings(max_examples=10)
@given(SEEDS, st.integers(2, 60))
def test_perceptron_converges_on_separable_blobs(seed, n):
    X, y = blobs(n, seed=seed, margin=1.0)
    p = Perceptron(2)
    assert p.fit(X, y, max_epochs=1000) is True
    np.testing.assert_array_equal(p.predict(X), y)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda p: p.predict(np.ones((4, 2))), "3 features", id="predict-features"),
        pytest.param(lambda p: p.predict(np.ones(3)), r"\(N, 3\)", id="predict-ndim"),
        pytest.param(lambda p: p.update(np.ones(2), 1.0), "3 features", id="update-features"),
        pytest.param(lambda p: p.fit(np.ones((4, 3)), np.ones(3)), "4 samples", id="fit-lengths"),
    ],
)
def test_perceptron_rejects_wrong_shapes_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call(Perceptron(3))
