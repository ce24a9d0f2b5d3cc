"""Losses without PyTorch: gradient checks, the properties a teacher states, validation.

Every warning is an error in this module: a loss must be stable for every finite input
(``log 0``, ``exp(1000)``) without RuntimeWarnings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nnlab.graders.judging.strategies import SEEDS, arrays, dense_shapes, off_kinks, rng_array, shapes
from nnlab.reference.base import Loss
from nnlab.reference.gradcheck import numerical_gradient, relative_error
from nnlab.reference.losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    MSELoss,
)

pytestmark = pytest.mark.filterwarnings("error")

GRAD_RTOL = 1e-6  # central differences (h = 1e-5) on O(1) losses agree to ~1e-9 relative
GRAD_ATOL = 1e-9  # entries whose true value is ~0 only get round-off of O(eps / h)
CLOSE = {"rtol": 1e-9, "atol": 1e-12}  # identities that hold up to round-off


# ----------------------------------------------------------------------------------------
# Input strategies: (input, target) pairs kept away from the kinks and clamps, where a
# numerical derivative would straddle a corner.
# ----------------------------------------------------------------------------------------


@st.composite
def regression_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(shapes(max_dims=3))
    return draw(arrays(shape)), draw(arrays(shape))


@st.composite
def probability_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities in [0.05, 0.95] (off the clamps) and soft targets in [0, 1]."""
    shape = draw(shapes(max_dims=3))
    rng = np.random.default_rng(draw(SEEDS))
    return rng.uniform(0.05, 0.95, shape), rng.uniform(0.0, 1.0, shape)


@st.composite
def logit_pairs(draw: st.DrawFn, scale: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(shapes(max_dims=3))
    rng = np.random.default_rng(draw(SEEDS))
    return scale * rng.standard_normal(shape), rng.uniform(0.0, 1.0, shape)


@st.composite
def class_problems(draw: st.DrawFn, scale: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``(N, C)`` and integer labels ``(N,)``."""
    N, C = draw(dense_shapes())
    rng = np.random.default_rng(draw(SEEDS))
    return scale * rng.standard_normal((N, C)), rng.integers(0, C, N)


def hinge_off_kinks(x: np.ndarray, labels: np.ndarray, margin: float) -> np.ndarray:
    """``x`` moved so that no slack ``x[n, j] - x[n, y_n] + margin`` is within 1e-3 of 0."""
    true_scores = x[np.arange(len(labels)), labels][:, None]
    slack = off_kinks(x - true_scores + margin, margin=1e-3)
    return slack + true_scores - margin


@st.composite
def hinge_problems(draw: st.DrawFn, margin: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    x, labels = draw(class_problems())
    return hinge_off_kinks(x, labels, margin), labels


@dataclass(frozen=True)
class LossCase:
    """A loss under test and the (input, target) pairs it is checked on."""

    name: str
    make: Callable[[], Loss]
    inputs: st.SearchStrategy

    def __str__(self) -> str:
        return self.name


def case(name: str, make: Callable[[], Loss], inputs: st.SearchStrategy) -> pytest.param:
    return pytest.param(LossCase(name, make, inputs), id=name)


CASES = [
    case("mse", MSELoss, regression_pairs()),
    case("bce", BCELoss, probability_pairs()),
    case("bce-with-logits", BCEWithLogitsLoss, logit_pairs()),
    case("cross-entropy", CrossEntropyLoss, class_problems()),
    case("hinge", HingeLoss, hinge_problems()),
    case("hinge-margin-0.3", lambda: HingeLoss(margin=0.3), hinge_problems(margin=0.3)),
]


# ----------------------------------------------------------------------------------------
# Every loss: gradient and contract
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss_case", CASES)
@given(data=st.data())
def test_backward_is_the_numerical_gradient_of_forward(loss_case: LossCase, data) -> None:
    """backward() agrees entry by entry with central differences of forward()."""
    x, t = data.draw(loss_case.inputs)
    loss = loss_case.make()
    loss.forward(x, t)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda z: loss_case.make().forward(z, t), x.copy())
    close = np.abs(analytic - numeric) <= GRAD_ATOL + GRAD_RTOL * np.abs(numeric)
    assert close.all(), (
        f"{loss_case}: backward differs from the numerical gradient "
        f"(relative error {relative_error(analytic, numeric):.2e}) at {np.argwhere(~close)[:3]}"
    )


@pytest.mark.parametrize("loss_case", CASES)
@given(data=st.data())
def test_forward_returns_float_backward_float64_and_inputs_untouched(loss_case: LossCase, data) -> None:
    """forward -> Python float; backward -> float64 shaped like input; arguments unchanged."""
    x, t = data.draw(loss_case.inputs)
    x_before, t_before = x.copy(), t.copy()
    loss = loss_case.make()
    value = loss.forward(x, t)
    grad = loss.backward()
    assert type(value) is float, f"{loss_case}: forward returned {type(value).__name__}"
    assert grad.dtype == np.float64 and grad.shape == x.shape, (
        f"{loss_case}: backward gave {grad.dtype} {grad.shape}, expected float64 {x.shape}"
    )
    np.testing.assert_array_equal(x, x_before, err_msg=f"{loss_case} modified its input")
    np.testing.assert_array_equal(t, t_before, err_msg=f"{loss_case} modified its target")


@pytest.mark.parametrize("loss_case", CASES)
@given(data=st.data())
def test_float32_input_gives_float64_gradient(loss_case: LossCase, data) -> None:
    """Results are float64 whatever the input dtype."""
    x, t = data.draw(loss_case.inputs)
    loss = loss_case.make()
    loss.forward(x.astype(np.float32), t)
    assert loss.backward().dtype == np.float64


# ----------------------------------------------------------------------------------------
# MSE
# ----------------------------------------------------------------------------------------


@given(shape=shapes(max_dims=3), seed=SEEDS)
def test_mse_is_zero_exactly_when_input_equals_target(shape, seed) -> None:
    x = rng_array(seed, shape)
    loss = MSELoss()
    assert loss.forward(x, x) == 0.0
    assert not loss.backward().any(), "MSE gradient at input == target must be 0"
    moved = x.copy()
    moved.flat[seed % x.size] += 1e-3
    assert loss.forward(moved, x) > 0.0, "MSE must be positive when input != target"


def test_mse_value_by_hand() -> None:
    loss = MSELoss()
    assert loss.forward(np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))) == 7.5
    np.testing.assert_allclose(loss.backward(), [[0.5, 1.0], [1.5, 2.0]])


# ----------------------------------------------------------------------------------------
# BCE and BCE with logits
# ----------------------------------------------------------------------------------------

EXTREMES = np.array([0.0, 1.0, 0.0, 1.0, 1e-300, 1.0 - 1e-16])
EXTREME_TARGETS = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.3])


def test_bce_is_finite_at_probabilities_zero_and_one() -> None:
    """log 0 is clamped at -100: a confident wrong answer costs 100, not inf."""
    loss = BCELoss()
    value = loss.forward(EXTREMES, EXTREME_TARGETS)
    grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert loss.forward(np.array([0.0]), np.array([1.0])) == 100.0
    assert loss.forward(np.array([1.0]), np.array([0.0])) == 100.0
    assert loss.forward(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0.0


def test_bce_gradient_at_extremes_is_pytorchs_floored_formula() -> None:
    """dL/dp = (p - t) / max(p (1 - p), 1e-12) / M: huge but finite at p = 0 or 1."""
    loss = BCELoss()
    loss.forward(EXTREMES, EXTREME_TARGETS)
    expected = (EXTREMES - EXTREME_TARGETS) / np.maximum(EXTREMES * (1 - EXTREMES), 1e-12) / 6
    np.testing.assert_allclose(loss.backward(), expected, rtol=1e-12)
    assert loss.backward()[0] == -1e12 / 6, "p = 0, t = 1 must give -1e12 / M"


@given(pair=logit_pairs(scale=5.0))
def test_bce_with_logits_equals_bce_of_sigmoid(pair) -> None:
    """The fused loss is BCE(sigmoid(x)); its gradient is BCE's times sigmoid' (chain rule)."""
    x, t = pair
    s = 1.0 / (1.0 + np.exp(-x))
    fused, plain = BCEWithLogitsLoss(), BCELoss()
    np.testing.assert_allclose(fused.forward(x, t), plain.forward(s, t), **CLOSE)
    np.testing.assert_allclose(fused.backward(), plain.backward() * s * (1 - s), rtol=1e-8)


@pytest.mark.parametrize(
    "logit, target, value, grad",
    [
        pytest.param(1e300, 1.0, 0.0, 0.0, id="huge-right"),
        pytest.param(-1e300, 0.0, 0.0, 0.0, id="huge-negative-right"),
        pytest.param(1e300, 0.0, 1e300, 1.0, id="huge-wrong"),
        pytest.param(-1000.0, 1.0, 1000.0, -1.0, id="large-negative-wrong"),
        pytest.param(800.0, 0.5, 400.0, 0.5, id="large-soft"),
        pytest.param(0.0, 1.0, np.log(2.0), -0.5, id="zero"),
    ],
)
def test_bce_with_logits_is_stable_for_any_logit(logit, target, value, grad) -> None:
    loss = BCEWithLogitsLoss()
    np.testing.assert_allclose(loss.forward(np.array([logit]), np.array([target])), value)
    np.testing.assert_allclose(loss.backward(), [grad])


# ----------------------------------------------------------------------------------------
# Cross-entropy
# ----------------------------------------------------------------------------------------


@given(problem=class_problems(), shift=arrays((6, 1), scale=100.0))
def test_cross_entropy_is_invariant_to_adding_a_constant_to_a_row(problem, shift) -> None:
    """softmax(x + c) = softmax(x): the value and the gradient do not change."""
    x, labels = problem
    loss = CrossEntropyLoss()
    value, grad = loss.forward(x, labels), loss.backward()
    shifted_value = loss.forward(x + shift[: len(x)], labels)
    np.testing.assert_allclose(shifted_value, value, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(loss.backward(), grad, rtol=1e-9, atol=1e-12)


@given(problem=class_problems())
def test_cross_entropy_gradient_is_softmax_minus_onehot(problem) -> None:
    """Each gradient row sums to 0; the true class gets (p - 1)/N, the others p/N."""
    x, labels = problem
    loss = CrossEntropyLoss()
    loss.forward(x, labels)
    grad = loss.backward()
    N, C = x.shape
    probs = np.exp(x - x.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(grad, (probs - np.eye(C)[labels]) / N, **CLOSE)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@pytest.mark.parametrize("C", [1, 2, 7])
def test_cross_entropy_of_uniform_logits_is_log_c(C: int) -> None:
    assert np.isclose(CrossEntropyLoss().forward(np.zeros((3, C)), np.zeros(3, int)), np.log(C))


@pytest.mark.parametrize(
    "logits",
    [
        pytest.param([[1e4, 0.0, -1e4]], id="1e4"),
        pytest.param([[1e300, -1e300, 0.0]], id="1e300"),
        pytest.param([[1.7e308, -1.7e308, 3.0]], id="difference-overflows"),
    ],
)
def test_cross_entropy_of_a_huge_correct_logit_is_zero_without_warnings(logits) -> None:
    loss = CrossEntropyLoss()
    assert loss.forward(np.array(logits), np.array([0])) == 0.0
    grad = loss.backward()
    assert np.all(np.isfinite(grad)) and np.allclose(grad, 0.0)


def test_cross_entropy_of_a_huge_wrong_logit_is_the_logit_gap() -> None:
    loss = CrossEntropyLoss()
    np.testing.assert_allclose(loss.forward(np.array([[1e4, 0.0]]), np.array([1])), 1e4)
    np.testing.assert_allclose(loss.backward(), [[1.0, -1.0]])


def test_cross_entropy_accepts_integral_floats_as_labels() -> None:
    """Documented choice: float labels holding whole numbers are accepted like integers."""
    x = rng_array(0, (3, 4))
    as_int = CrossEntropyLoss().forward(x, np.array([0, 3, 1]))
    assert CrossEntropyLoss().forward(x, np.array([0.0, 3.0, 1.0])) == as_int


# ----------------------------------------------------------------------------------------
# Hinge
# ----------------------------------------------------------------------------------------


def test_hinge_value_and_subgradient_by_hand() -> None:
    """Scores [1, 0, 2, 3], label 2, margin 1: slacks 0 (a tie), -1, -, 2."""
    loss = HingeLoss()
    assert loss.forward(np.array([[1.0, 0.0, 2.0, 3.0]]), np.array([2])) == 2.0
    # the exact tie (slack 0) takes the <= 0 branch: no gradient for class 0
    np.testing.assert_array_equal(loss.backward(), [[0.0, 0.0, -1.0, 1.0]])


@given(problem=class_problems(), seed=SEEDS)
def test_hinge_at_exact_margin_ties_has_zero_loss_and_gradient(problem, seed) -> None:
    """Every wrong class exactly ``margin`` behind: loss 0, and the documented subgradient 0."""
    x, labels = problem
    rows = np.arange(len(labels))
    tied = np.repeat(np.round(x[rows, labels] * 8) / 8, x.shape[1]).reshape(x.shape) - 0.5
    tied[rows, labels] += 0.5  # multiples of 1/8: every slack is exactly 0
    loss = HingeLoss(margin=0.5)
    assert loss.forward(tied, labels) == 0.0
    assert not loss.backward().any(), "the kink at zero slack must take the zero branch"


@given(problem=hinge_problems())
def test_hinge_gradient_rows_sum_to_zero_and_count_violations(problem) -> None:
    """The true class gets minus the number of violating classes, each violator +1 (over N)."""
    x, labels = problem
    loss = HingeLoss()
    loss.forward(x, labels)
    grad = loss.backward() * len(labels)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)
    assert set(np.unique(np.delete(grad, labels + x.shape[1] * np.arange(len(x))))) <= {0.0, 1.0}


def test_hinge_stops_pushing_once_the_margin_is_met() -> None:
    loss = HingeLoss(margin=1.0)
    assert loss.forward(np.array([[5.0, 3.9, -2.0]]), np.array([0])) == 0.0
    assert not loss.backward().any()


# ----------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------

X34 = rng_array(1, (3, 4))
P34 = np.full((3, 4), 0.5)


@pytest.mark.parametrize(
    "make, x, target, error, match",
    [
        pytest.param(MSELoss, X34, X34[:2], ValueError, "same shape", id="mse-shape"),
        pytest.param(MSELoss, X34, X34.T, ValueError, "same shape", id="mse-transposed"),
        pytest.param(BCELoss, P34, P34[:, :3], ValueError, "same shape", id="bce-shape"),
        pytest.param(BCEWithLogitsLoss, X34, X34[0], ValueError, "same shape", id="bcel-shape"),
        pytest.param(MSELoss, np.zeros(0), np.zeros(0), ValueError, "non-empty", id="mse-empty"),
        pytest.param(BCELoss, P34 + 0.6, P34, ValueError, r"in \[0, 1\]", id="bce-p-above-1"),
        pytest.param(BCELoss, P34 - 0.6, P34, ValueError, r"in \[0, 1\]", id="bce-p-negative"),
        pytest.param(BCELoss, P34 * np.nan, P34, ValueError, r"in \[0, 1\]", id="bce-p-nan"),
        pytest.param(BCELoss, P34, P34 * 3, ValueError, r"target in \[0, 1\]", id="bce-t-range"),
        pytest.param(MSELoss, np.array(["a"]), np.array([1.0]), TypeError, "real", id="str"),
        pytest.param(CrossEntropyLoss, X34[0], [0], ValueError, r"\(N, C\)", id="ce-1d"),
        pytest.param(CrossEntropyLoss, X34, [0, 1], ValueError, r"\(N,\) = \(3,\)", id="ce-len"),
        pytest.param(CrossEntropyLoss, X34, [[0], [1], [2]], ValueError, r"shape \(N,\)", id="ce-2d-target"),
        pytest.param(CrossEntropyLoss, X34, [0, 4, 1], ValueError, r"0\.\.3", id="ce-too-large"),
        pytest.param(CrossEntropyLoss, X34, [0, -1, 1], ValueError, r"0\.\.3", id="ce-negative"),
        pytest.param(CrossEntropyLoss, X34, [0.0, 1.5, 1.0], ValueError, "non-integer", id="ce-fraction"),
        pytest.param(CrossEntropyLoss, X34, [0.0, np.nan, 1.0], ValueError, "integer", id="ce-nan"),
        pytest.param(CrossEntropyLoss, X34, [True, False, True], TypeError, "integer", id="ce-bool"),
        pytest.param(CrossEntropyLoss, X34, ["a", "b", "c"], TypeError, "integer", id="ce-str"),
        pytest.param(HingeLoss, X34, [0, 9, 1], ValueError, r"0\.\.3", id="hinge-range"),
        pytest.param(HingeLoss, X34, [0, 1], ValueError, r"\(N,\)", id="hinge-len"),
        pytest.param(HingeLoss, X34[None], [0], ValueError, r"\(N, C\)", id="hinge-3d"),
    ],
)
def test_wrong_input_raises_a_clear_error(make, x, target, error, match) -> None:
    with pytest.raises(error, match=match):
        make().forward(x, np.asarray(target))
