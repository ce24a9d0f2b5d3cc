"""Tests of ``nnlab.reference.activations`` that need no PyTorch.

Is every backward the derivative of its forward (numerical gradient checks, parameters
included)? Do the properties a teacher states hold (softmax is a distribution, invariant
to shifts; sigmoid is symmetric; kinks take PyTorch's branch)? Is every component stable
for every finite input, float64 whatever the input dtype, and strict about wrong input?
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from nnlab.graders.judging.strategies import SEEDS, arrays, dense_shapes, off_kinks, rng_array, shapes
from nnlab.reference.activations import (
    ELU,
    GELU,
    SELU,
    SELU_ALPHA,
    SELU_SCALE,
    Identity,
    LeakyReLU,
    LogSoftmax,
    Maxout,
    PReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Step,
    Tanh,
    erf,
    erfc,
)
from nnlab.reference.base import Module
from nnlab.reference.gradcheck import numerical_gradient, relative_error

# Central differences with h = 1e-5 are accurate to ~1e-10 relative (truncation) plus
# ~1e-10 absolute (round-off of f / 2h); the bars leave a wide margin above both.
GRAD_RTOL = 1e-6
GRAD_ATOL = 1e-8
# Identities that hold up to a few roundings of O(1) numbers.
EXACT_TOL = 1e-12
# Cody's approximation measures 6e-16 (erf) and 9e-16 (erfc) worst relative error.
ERF_RTOL = 1e-15


@dataclass(frozen=True)
class Case:
    """One activation: how to build it for an input shape, where its kinks are."""

    name: str
    make: Callable[[tuple[int, ...]], Module]
    kinks: tuple[float, ...] = ()
    min_dims: int = 0  # Softmax needs an axis; per-channel PReLU needs (N, C, ...)


def case(
    name: str, make: Callable[[tuple[int, ...]], Module], kinks: tuple[float, ...] = (), min_dims: int = 0
) -> pytest.param:
    return pytest.param(Case(name, make, kinks, min_dims), id=name)


CASES = [
    case("Identity", lambda s: Identity()),
    case("Step", lambda s: Step(), kinks=(0.0,)),
    case("Sigmoid", lambda s: Sigmoid()),
    case("Tanh", lambda s: Tanh()),
    case("ReLU", lambda s: ReLU(), kinks=(0.0,)),
    case("LeakyReLU", lambda s: LeakyReLU(), kinks=(0.0,)),
    case("LeakyReLU-0.3", lambda s: LeakyReLU(negative_slope=0.3), kinks=(0.0,)),
    case("PReLU", lambda s: PReLU(), kinks=(0.0,)),
    case("PReLU-channels", lambda s: PReLU(num_parameters=s[1]), kinks=(0.0,), min_dims=2),
    case("ELU", lambda s: ELU(), kinks=(0.0,)),
    case("ELU-0.5", lambda s: ELU(alpha=0.5), kinks=(0.0,)),
    case("SELU", lambda s: SELU(), kinks=(0.0,)),
    case("GELU", lambda s: GELU()),
    case("GELU-tanh", lambda s: GELU(approximate="tanh")),
    case("SiLU", lambda s: SiLU()),
    case("Softplus", lambda s: Softplus()),
    # beta * x > threshold switches to the identity at x = 0.5: a (small) jump there
    case("Softplus-beta2-threshold1", lambda s: Softplus(beta=2.0, threshold=1.0), kinks=(0.5,)),
    case("Softmax", lambda s: Softmax(), min_dims=1),
    case("Softmax-dim0", lambda s: Softmax(dim=0), min_dims=1),
    case("Softmax-dim1", lambda s: Softmax(dim=1), min_dims=2),
    case("LogSoftmax", lambda s: LogSoftmax(), min_dims=1),
    case("LogSoftmax-dim0", lambda s: LogSoftmax(dim=0), min_dims=1),
    case("LogSoftmax-dim-2", lambda s: LogSoftmax(dim=-2), min_dims=2),
]


def build(c: Case, shape: tuple[int, ...], seed: int) -> Module:
    """The module with every parameter set to random values (distinct PReLU slopes)."""
    module = c.make(shape)
    for i, p in enumerate(module.parameters()):
        p.data = rng_array(seed + i + 1, p.data.shape)
        p.grad = np.zeros_like(p.data)
    return module


def case_inputs(draw: st.DrawFn, c: Case) -> tuple[tuple[int, ...], int]:
    shape = draw(shapes(min_dims=c.min_dims, max_dims=4, max_side=4))
    return shape, draw(SEEDS)


def assert_gradient(analytic: np.ndarray, numeric: np.ndarray, what: str) -> None:
    assert analytic.shape == numeric.shape, f"{what}: shape {analytic.shape} vs {numeric.shape}"
    np.testing.assert_allclose(
        analytic,
        numeric,
        rtol=GRAD_RTOL,
        atol=GRAD_ATOL,
        err_msg=f"{what}: analytic vs numerical gradient (relative error {relative_error(analytic, numeric):.2e})",
    )


def check_gradients(module: Module, x: np.ndarray, grad_y: np.ndarray, name: str) -> None:
    """backward(grad_y) and every parameter gradient equal central differences of
    L = sum(grad_y * forward(x))."""
    module.forward(x)
    grad_x = module.backward(grad_y)
    params = module.parameters()

    def loss(_: np.ndarray) -> float:
        return float(np.sum(grad_y * module.forward(x)))

    assert_gradient(grad_x, numerical_gradient(loss, x), f"{name} input gradient")
    for index, p in enumerate(params):
        analytic = p.grad.copy()
        assert_gradient(analytic, numerical_gradient(loss, p.data), f"{name} parameter {index}")


# ----------------------------------------------------------------------------------------
# Gradients
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("c", CASES)
@given(data=st.data())
def test_backward_matches_numerical_gradient(c: Case, data: st.DataObject) -> None:
    """Every backward (and PReLU's weight gradient) is the derivative of its forward,
    away from kinks, on shapes from 0-d to 4-d."""
    shape, seed = case_inputs(data.draw, c)
    x = off_kinks(rng_array(seed, shape, scale=2.0), c.kinks)
    grad_y = rng_array(seed + 7, shape)
    check_gradients(build(c, shape, seed), x, grad_y, c.name)


@st.composite
def maxout_problems(draw: st.DrawFn) -> tuple[Maxout, np.ndarray, np.ndarray]:
    """A Maxout layer with random parameters, its input and an upstream gradient."""
    n, d = draw(dense_shapes())
    m, k = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    layer = Maxout(d, m, pieces=k)
    layer.weight.data = draw(arrays((k, m, d)))
    layer.bias.data = draw(arrays((k, m)))
    return layer, draw(arrays((n, d))), draw(arrays((n, m)))


def piece_gap(layer: Maxout, x: np.ndarray) -> float:
    """The smallest margin between the best and second-best piece over all outputs."""
    z = np.einsum("nd,kjd->nkj", x, layer.weight.data) + layer.bias.data
    if layer.pieces == 1:
        return math.inf
    top = np.sort(z, axis=1)
    return float(np.min(top[:, -1] - top[:, -2]))


@given(problem=maxout_problems())
def test_maxout_gradients_match_numerical(problem: tuple[Maxout, np.ndarray, np.ndarray]) -> None:
    """Maxout's input, weight and bias gradients are the derivatives of its forward
    wherever the winning piece is clear (a step of h cannot change the winner)."""
    layer, x, grad_y = problem
    assume(piece_gap(layer, x) > 1e-3)
    check_gradients(layer, x, grad_y, "Maxout")


# ----------------------------------------------------------------------------------------
# Properties a teacher states
# ----------------------------------------------------------------------------------------


@st.composite
def tensors_and_dims(draw: st.DrawFn, scale: float) -> tuple[np.ndarray, int]:
    shape = draw(shapes(min_dims=1, max_dims=4, max_side=5))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return draw(arrays(shape, scale=scale)), dim


@given(problem=tensors_and_dims(scale=100.0))
def test_softmax_is_a_distribution_along_dim(problem: tuple[np.ndarray, int]) -> None:
    """Softmax entries are in [0, 1] and sum to 1 along dim, even for logits of size 100."""
    x, dim = problem
    y = Softmax(dim=dim).forward(x)
    assert np.all((y >= 0) & (y <= 1)), "softmax left [0, 1]"
    np.testing.assert_allclose(y.sum(axis=dim), 1.0, rtol=0, atol=EXACT_TOL, err_msg=f"softmax sums along dim={dim}")


@given(problem=tensors_and_dims(scale=10.0), seed=SEEDS)
def test_softmax_and_log_softmax_are_shift_invariant(problem: tuple[np.ndarray, int], seed: int) -> None:
    """Adding a constant along dim (one per slice) changes neither softmax nor log-softmax."""
    x, dim = problem
    shift_shape = list(x.shape)
    shift_shape[dim] = 1
    shifted = x + rng_array(seed, tuple(shift_shape), scale=50.0)
    for module in (Softmax(dim=dim), LogSoftmax(dim=dim)):
        np.testing.assert_allclose(
            module.forward(shifted),
            module.forward(x),
            rtol=0,
            atol=1e-11,
            err_msg=f"{type(module).__name__} after a shift",
        )


@given(problem=tensors_and_dims(scale=10.0))
def test_log_softmax_is_log_of_softmax(problem: tuple[np.ndarray, int]) -> None:
    """LogSoftmax equals log(Softmax) where the probabilities are representable."""
    x, dim = problem
    expected = np.log(Softmax(dim=dim).forward(x))
    np.testing.assert_allclose(
        LogSoftmax(dim=dim).forward(x), expected, rtol=EXACT_TOL, atol=EXACT_TOL, err_msg="log_softmax vs log(softmax)"
    )


@given(x=arrays((50,), scale=20.0))
def test_sigmoid_is_symmetric(x: np.ndarray) -> None:
    """sigmoid(-x) = 1 - sigmoid(x), so tanh(x) = 2 sigmoid(2x) - 1."""
    np.testing.assert_allclose(
        Sigmoid().forward(-x), 1.0 - Sigmoid().forward(x), rtol=0, atol=1e-15, err_msg="sigmoid(-x) vs 1 - sigmoid(x)"
    )
    np.testing.assert_allclose(
        Tanh().forward(x),
        2.0 * Sigmoid().forward(2.0 * x) - 1.0,
        rtol=0,
        atol=EXACT_TOL,
        err_msg="tanh(x) vs 2 sigmoid(2x) - 1",
    )


@given(x=arrays((50,), scale=5.0))
def test_sigmoid_derivative_is_at_most_a_quarter(x: np.ndarray) -> None:
    """sigmoid' = y (1 - y) <= 1/4: the root of vanishing gradients in sigmoid nets."""
    sigmoid = Sigmoid()
    sigmoid.forward(np.append(x, 0.0))
    slopes = sigmoid.backward(np.ones(51))
    assert np.all(slopes <= 0.25) and slopes[-1] == 0.25, f"max slope {slopes.max()}"


@given(x=arrays((50,), scale=5.0), beta=st.sampled_from([0.5, 1.0, 4.0, 50.0]))
def test_softplus_is_a_smooth_relu(x: np.ndarray, beta: float) -> None:
    """0 <= softplus_beta(x) - relu(x) <= log(2)/beta: softplus tends to ReLU as beta grows."""
    gap = Softplus(beta=beta).forward(x) - np.maximum(x, 0.0)
    assert np.all(gap >= 0) and np.all(gap <= math.log(2.0) / beta + 1e-15), f"gap {gap}"


def test_gelu_tanh_approximation_is_close_to_exact() -> None:
    """PyTorch's tanh approximation stays within 5e-4 of the exact GELU."""
    x = np.linspace(-10, 10, 4001)
    error = np.max(np.abs(GELU().forward(x) - GELU(approximate="tanh").forward(x)))
    assert error < 5e-4, f"largest difference {error}"


def test_selu_is_scaled_elu() -> None:
    """SELU uses PyTorch's constants: scale * ELU(x, alpha)."""
    x = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(
        SELU().forward(x), SELU_SCALE * ELU(SELU_ALPHA).forward(x), rtol=1e-15, err_msg="SELU vs scale * ELU"
    )
    assert SELU_ALPHA == 1.6732632423543772848170429916717
    assert SELU_SCALE == 1.0507009873554804934193349852946


def test_maxout_is_the_max_of_linear_pieces(rng: np.random.Generator) -> None:
    """y[n, j] = max_k (x[n] . weight[k, j] + bias[k, j]), and with a zero second piece
    Maxout is ReLU of a linear layer."""
    layer = Maxout(4, 3, pieces=3)
    x = rng.standard_normal((5, 4))
    pieces = [x @ layer.weight.data[k].T + layer.bias.data[k] for k in range(3)]
    np.testing.assert_allclose(
        layer.forward(x), np.max(pieces, axis=0), rtol=0, atol=1e-14, err_msg="Maxout vs max of the pieces"
    )

    relu_like = Maxout(4, 3, pieces=2)
    relu_like.weight.data[1] = 0.0
    relu_like.bias.data[1] = 0.0
    linear = x @ relu_like.weight.data[0].T + relu_like.bias.data[0]
    np.testing.assert_allclose(
        relu_like.forward(x), np.maximum(linear, 0.0), rtol=0, atol=1e-14, err_msg="Maxout with a zero piece vs ReLU"
    )


def test_maxout_tie_sends_gradient_to_one_piece(rng: np.random.Generator) -> None:
    """When two pieces are identical, the gradient is not doubled: one piece gets it all."""
    layer = Maxout(4, 3, pieces=2)
    layer.weight.data[1] = layer.weight.data[0]
    layer.bias.data[1] = layer.bias.data[0]
    x, grad_y = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    layer.forward(x)
    grad_x = layer.backward(grad_y)
    np.testing.assert_allclose(grad_x, grad_y @ layer.weight.data[0], rtol=1e-12, err_msg="input gradient at a tie")
    np.testing.assert_allclose(
        layer.weight.grad.sum(axis=0), grad_y.T @ x, rtol=1e-12, err_msg="weight gradient summed over the tied pieces"
    )
    np.testing.assert_allclose(
        layer.bias.grad.sum(axis=0), grad_y.sum(axis=0), rtol=1e-12, err_msg="bias gradient summed over the tied pieces"
    )


# ----------------------------------------------------------------------------------------
# Kinks: PyTorch's x <= 0 branch, exactly
# ----------------------------------------------------------------------------------------

KINKS = [
    pytest.param(Step(), 0.0, 0.0, id="Step"),
    pytest.param(ReLU(), 0.0, 0.0, id="ReLU"),
    pytest.param(LeakyReLU(), 0.0, 0.01, id="LeakyReLU"),
    pytest.param(LeakyReLU(negative_slope=0.2), 0.0, 0.2, id="LeakyReLU-0.2"),
    pytest.param(PReLU(), 0.0, 0.25, id="PReLU"),
    pytest.param(PReLU(init=-0.5), 0.0, -0.5, id="PReLU-init"),
    pytest.param(ELU(), 0.0, 1.0, id="ELU"),
    pytest.param(ELU(alpha=0.5), 0.0, 0.5, id="ELU-0.5"),
    pytest.param(SELU(), 0.0, SELU_SCALE * SELU_ALPHA, id="SELU"),
    pytest.param(Softplus(beta=2.0, threshold=1.0), 0.5, 1.0 / (1.0 + math.exp(-1.0)), id="Softplus-threshold"),
]


@pytest.mark.parametrize(("module", "kink", "expected"), KINKS)
def test_derivative_at_the_kink(module: Module, kink: float, expected: float) -> None:
    """At the kink the derivative is PyTorch's choice: the x <= 0 (non-linear) branch."""
    x = np.full((2, 3), kink)
    module.forward(x)
    slope = module.backward(np.ones((2, 3)))
    np.testing.assert_allclose(slope, expected, rtol=1e-15, atol=0, err_msg=f"{type(module).__name__}'({kink})")


def test_step_and_relu_are_zero_at_zero() -> None:
    """Step(0) = 0 (1 only for x > 0), ReLU(0) = 0, and PReLU's slope gets no gradient at 0."""
    assert np.all(Step().forward(np.zeros(3)) == 0.0)
    assert np.all(ReLU().forward(np.zeros(3)) == 0.0)
    prelu = PReLU()
    prelu.forward(np.zeros(3))
    prelu.backward(np.ones(3))
    assert prelu.weight.grad[0] == 0.0


# ----------------------------------------------------------------------------------------
# Stability: every finite input, no warnings, no nan
# ----------------------------------------------------------------------------------------

EXTREMES = np.array([-1e300, -1e4, -1000.0, -30.0, -1e-300, 0.0, 1e-300, 30.0, 1000.0, 1e4, 1e300])


@pytest.mark.parametrize("c", CASES)
def test_stable_for_extreme_inputs(c: Case) -> None:
    """Inputs of +-1000, +-1e4 and +-1e300 give finite outputs and gradients, no warnings."""
    x = np.stack([EXTREMES, EXTREMES[::-1]])  # (2, 11): rows and columns both mix signs
    module = build(c, x.shape, seed=3)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        y = module.forward(x)
        grad_x = module.backward(np.ones_like(x))
    assert np.all(np.isfinite(y)), f"non-finite output {y}"
    assert np.all(np.isfinite(grad_x)), f"non-finite gradient {grad_x}"


LIMITS = [
    pytest.param(Sigmoid(), [-1000.0, 1000.0], [0.0, 1.0], id="Sigmoid"),
    pytest.param(Tanh(), [-1e300, 1e300], [-1.0, 1.0], id="Tanh"),
    pytest.param(ELU(), [-1e300, 1e300], [-1.0, 1e300], id="ELU"),
    pytest.param(GELU(), [-1e300, -40.0, 1e300], [0.0, 0.0, 1e300], id="GELU"),
    pytest.param(GELU(approximate="tanh"), [-1e300, 1e300], [0.0, 1e300], id="GELU-tanh"),
    pytest.param(SiLU(), [-1e300, 1e300], [0.0, 1e300], id="SiLU"),
    pytest.param(Softplus(), [-1000.0, 1000.0, 1e300], [0.0, 1000.0, 1e300], id="Softplus"),
    pytest.param(Softmax(), [1000.0, 0.0], [1.0, 0.0], id="Softmax"),
    pytest.param(Softmax(), [-1e300, 1e300], [0.0, 1.0], id="Softmax-1e300"),
    pytest.param(LogSoftmax(), [1000.0, 0.0], [0.0, -1000.0], id="LogSoftmax"),
    pytest.param(LogSoftmax(), [1e300, 0.0], [0.0, -1e300], id="LogSoftmax-1e300"),
    pytest.param(LogSoftmax(), [-1e300, 1e300], [-2e300, 0.0], id="LogSoftmax-2e300"),
]


@pytest.mark.parametrize(("module", "x", "expected"), LIMITS)
def test_values_in_the_limits(module: Module, x: list[float], expected: list[float]) -> None:
    """Saturated values come out right: probabilities 0 and 1, log-probabilities -1000."""
    np.testing.assert_allclose(module.forward(np.array(x)), expected, rtol=1e-15, atol=0, err_msg=type(module).__name__)


# ----------------------------------------------------------------------------------------
# Contract: dtypes, no in-place changes, accumulation, parameters, errors
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("c", CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_])
def test_results_are_float64_whatever_the_input_dtype(c: Case, dtype: type, rng: np.random.Generator) -> None:
    """float32, integer and boolean input give float64 results equal to float64 input's."""
    x = rng.integers(-3, 4, size=(2, 3)).astype(dtype)
    grad_y = rng.standard_normal((2, 3)).astype(np.float32)
    module, reference = build(c, x.shape, seed=5), build(c, x.shape, seed=5)
    y, grad_x = module.forward(x), module.backward(grad_y)
    assert y.dtype == np.float64 and grad_x.dtype == np.float64, f"{y.dtype}, {grad_x.dtype}"
    expected_y = reference.forward(x.astype(np.float64))
    expected_grad = reference.backward(grad_y.astype(np.float64))
    np.testing.assert_array_equal(y, expected_y, err_msg="output vs float64 input")
    np.testing.assert_array_equal(grad_x, expected_grad, err_msg="gradient vs float64 input")


@pytest.mark.parametrize("c", CASES)
def test_arguments_are_not_modified(c: Case, rng: np.random.Generator) -> None:
    """forward and backward leave their argument arrays untouched."""
    x, grad_y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    x_copy, grad_copy = x.copy(), grad_y.copy()
    module = build(c, x.shape, seed=1)
    module.forward(x)
    module.backward(grad_y)
    np.testing.assert_array_equal(x, x_copy, err_msg="forward modified its input")
    np.testing.assert_array_equal(grad_y, grad_copy, err_msg="backward modified grad_y")


def test_maxout_arguments_are_not_modified(rng: np.random.Generator) -> None:
    layer = Maxout(4, 3)
    x, grad_y = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    x_copy, grad_copy = x.copy(), grad_y.copy()
    layer.forward(x)
    layer.backward(grad_y)
    np.testing.assert_array_equal(x, x_copy, err_msg="forward modified its input")
    np.testing.assert_array_equal(grad_y, grad_copy, err_msg="backward modified grad_y")


LEARNED = [
    pytest.param(lambda: PReLU(), (3, 4), id="PReLU"),
    pytest.param(lambda: PReLU(num_parameters=4), (3, 4, 2), id="PReLU-channels"),
    pytest.param(lambda: Maxout(4, 3, pieces=3), (5, 4), id="Maxout"),
]


@pytest.mark.parametrize(("make", "shape"), LEARNED)
def test_parameter_gradients_accumulate(
    make: Callable[[], Module], shape: tuple[int, ...], rng: np.random.Generator
) -> None:
    """backward adds into p.grad: two identical backward calls give twice the gradient."""
    module = make()
    x = rng.standard_normal(shape)
    y = module.forward(x)
    grad_y = rng.standard_normal(y.shape)
    module.backward(grad_y)
    once = [p.grad.copy() for p in module.parameters()]
    assert any(np.any(g != 0) for g in once), "no parameter gradient at all"
    module.forward(x)
    module.backward(grad_y)
    for index, (p, g) in enumerate(zip(module.parameters(), once, strict=True)):
        np.testing.assert_allclose(p.grad, 2 * g, rtol=1e-14, err_msg=f"parameter {index}")


def test_module_contract() -> None:
    """training is True after construction; train()/eval() return the module; parameters
    are float64 with zero gradients and PyTorch's initial values."""
    for module in (Identity(), Sigmoid(), PReLU(), Softmax(), Maxout(3, 2)):
        assert module.training is True
        assert module.eval() is module and module.training is False
        assert module.train() is module and module.training is True
    assert Sigmoid().parameters() == [] and SELU().parameters() == [] and SiLU().parameters() == []

    prelu = PReLU(num_parameters=3, init=0.1)
    [weight] = prelu.parameters()
    assert weight is prelu.weight and weight.data.shape == (3,) and weight.data.dtype == np.float64
    np.testing.assert_array_equal(weight.data, 0.1)
    np.testing.assert_array_equal(weight.grad, 0.0)

    maxout = Maxout(9, 4, pieces=3)
    assert maxout.parameters() == [maxout.weight, maxout.bias]
    assert maxout.weight.data.shape == (3, 4, 9) and maxout.bias.data.shape == (3, 4)
    for p in maxout.parameters():
        assert p.data.dtype == np.float64 and np.all(p.grad == 0)
        assert np.all(np.abs(p.data) <= 1 / 3) and np.unique(p.data).size == p.data.size
    assert Maxout(9, 4).forward(np.zeros((2, 9))).shape == (2, 4)


BAD_INPUTS = [
    pytest.param(
        lambda: PReLU(num_parameters=3),
        np.zeros((2, 4, 5)),
        ValueError,
        r"PReLU expects 3 channels on axis 1, got input of shape \(2, 4, 5\)",
        id="PReLU-channel-count",
    ),
    pytest.param(
        lambda: PReLU(num_parameters=3),
        np.zeros(3),
        ValueError,
        r"PReLU expects input of shape \(N, 3, \.\.\.\), got shape \(3,\)",
        id="PReLU-1d",
    ),
    pytest.param(
        lambda: Maxout(3, 2),
        np.zeros((4, 5)),
        ValueError,
        r"Maxout expects 3 features on axis 1, got input of shape \(4, 5\)",
        id="Maxout-feature-count",
    ),
    pytest.param(
        lambda: Maxout(3, 2),
        np.zeros(3),
        ValueError,
        r"Maxout expects input of shape \(N, 3\), got shape \(3,\)",
        id="Maxout-1d",
    ),
    pytest.param(
        lambda: Softmax(dim=2),
        np.zeros((2, 3)),
        ValueError,
        r"Softmax\(dim=2\) expects input with axis 2",
        id="Softmax-dim",
    ),
    pytest.param(
        lambda: LogSoftmax(),
        np.zeros(()),
        ValueError,
        r"LogSoftmax\(dim=-1\) expects input with axis -1",
        id="LogSoftmax-0d",
    ),
    pytest.param(
        lambda: Maxout(3, 2), np.full((2, 3), "a"), TypeError, "must be an array of real numbers", id="Maxout-strings"
    ),
]


@pytest.mark.parametrize(("make", "x", "error", "message"), BAD_INPUTS)
def test_wrong_input_is_rejected_with_a_message(
    make: Callable[[], Module], x: np.ndarray, error: type, message: str
) -> None:
    """Wrong shapes and dtypes raise an error that says what was expected."""
    with pytest.raises(error, match=message):
        make().forward(x)


@pytest.mark.parametrize("c", CASES)
@pytest.mark.parametrize("bad", [np.full((2, 3), "1.0"), np.ones((2, 3), dtype=complex)], ids=["strings", "complex"])
def test_non_real_input_is_a_type_error(c: Case, bad: np.ndarray) -> None:
    """Strings and complex numbers are not silently converted."""
    with pytest.raises(TypeError, match="must be an array of real numbers"):
        c.make(bad.shape).forward(bad)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: GELU(approximate="fast"), id="GELU-approximate"),
        pytest.param(lambda: PReLU(num_parameters=0), id="PReLU-0"),
        pytest.param(lambda: Maxout(0, 2), id="Maxout-0-features"),
        pytest.param(lambda: Maxout(3, 2, pieces=0), id="Maxout-0-pieces"),
    ],
)
def test_bad_hyper_parameters_are_rejected(make: Callable[[], Module]) -> None:
    with pytest.raises(ValueError):
        make()


# ----------------------------------------------------------------------------------------
# The erf support helper
# ----------------------------------------------------------------------------------------


def erf_grid() -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.concatenate(
        [
            rng.uniform(-6, 6, 20000),
            rng.uniform(-27, 27, 5000),
            np.linspace(-1, 1, 2001),  # the interval boundary at 0.46875
            np.geomspace(1e-300, 1e-3, 200),
            -np.geomspace(1e-300, 1e-3, 200),
            [0.0, 0.46875, -0.46875, 4.0, -4.0, 26.0, 30.0, -30.0, 1e300, -1e300],
        ]
    )


def test_erf_matches_math_erf() -> None:
    """The vectorised erf agrees with math.erf to 1e-15 relative, tails included."""
    x = erf_grid()
    expected = np.array([math.erf(v) for v in x])
    error = np.abs(erf(x) - expected) / np.maximum(np.abs(expected), 1e-300)
    assert error.max() < ERF_RTOL, f"erf({x[error.argmax()]}): relative error {error.max():.2e}"


def test_erfc_matches_math_erfc() -> None:
    """erfc keeps full relative precision in the tail (erfc(26) = 5.7e-296), where
    1 - erf would be 0."""
    x = erf_grid()
    expected = np.array([math.erfc(v) for v in x])
    normal = expected > 1e-300  # subnormal results have fewer digits by definition
    error = np.abs(erfc(x) - expected)[normal] / expected[normal]
    assert error.max() < ERF_RTOL, f"erfc({x[normal][error.argmax()]}): {error.max():.2e}"


def test_erf_special_values_and_shapes() -> None:
    """erf is odd, keeps the shape (0-d included), and handles inf and nan."""
    x = erf_grid()
    np.testing.assert_array_equal(erf(-x), -erf(x), err_msg="erf(-x) vs -erf(x)")
    assert erf(np.float64(0.5)).shape == () and erf(np.zeros((2, 0, 3))).shape == (2, 0, 3)
    np.testing.assert_array_equal(erf(np.array([-np.inf, np.inf])), [-1.0, 1.0])
    np.testing.assert_array_equal(erfc(np.array([-np.inf, np.inf])), [2.0, 0.0])
    assert np.isnan(erf(np.array([np.nan]))).all() and np.isnan(erfc(np.array([np.nan]))).all()


@settings(max_examples=10)
@given(x=arrays((1000,), scale=3.0))
def test_gelu_uses_the_normal_cdf(x: np.ndarray) -> None:
    """GELU(x) = x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2."""
    phi = np.array([0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x])
    np.testing.assert_allclose(GELU().forward(x), x * phi, rtol=1e-12, atol=1e-15)
