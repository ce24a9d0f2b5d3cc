"""Losses against PyTorch: value and input gradient agree in float64 to rtol 1e-6.

The cases include the places where a loss is easy to get wrong: probabilities of exactly
0 and 1 for BCE (clamped logs, floored gradient), huge logits for BCE-with-logits and
cross-entropy, and exact-margin ties for the hinge loss (both take the zero branch).
``HingeLoss`` sums over classes where ``torch.nn.MultiMarginLoss`` averages, so the
oracle is ``C * multi_margin_loss``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch (the test-only oracle) is not installed: pip install torch==2.13.0")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402, N812 (PyTorch's usual name)
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from nnlab.graders.judging.strategies import SEEDS, dense_shapes, shapes  # noqa: E402
from nnlab.reference.base import Loss  # noqa: E402
from nnlab.reference.losses import (  # noqa: E402
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    MSELoss,
)
from oracle import assert_close, torch_forward_backward  # noqa: E402

pytestmark = pytest.mark.torch

LOGIT_SCALES = (1.0, 30.0, 1e3, 1e8, 1e300)  # 1e300: differences still fit in a float64


@st.composite
def regression_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(shapes(max_dims=3))
    rng = np.random.default_rng(draw(SEEDS))
    return rng.standard_normal(shape), rng.standard_normal(shape)


@st.composite
def probabilities_with_extremes(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities with some entries exactly 0 or 1; hard or soft targets."""
    shape = draw(shapes(max_dims=3))
    rng = np.random.default_rng(draw(SEEDS))
    p = rng.uniform(0.0, 1.0, shape)
    p[rng.random(shape) < 0.3] = 0.0
    p[rng.random(shape) < 0.3] = 1.0
    hard = draw(st.booleans())
    t = rng.integers(0, 2, shape).astype(float) if hard else rng.uniform(0.0, 1.0, shape)
    return p, t


@st.composite
def logits_with_targets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(shapes(max_dims=3))
    rng = np.random.default_rng(draw(SEEDS))
    scale = draw(st.sampled_from(LOGIT_SCALES))
    hard = draw(st.booleans())
    t = rng.integers(0, 2, shape).astype(float) if hard else rng.uniform(0.0, 1.0, shape)
    return scale * rng.standard_normal(shape), t


@st.composite
def class_problems(draw: st.DrawFn, scales: tuple[float, ...] = LOGIT_SCALES):
    """Logits ``(N, C)`` at a drawn scale and integer labels ``(N,)``."""
    N, C = draw(dense_shapes())
    rng = np.random.default_rng(draw(SEEDS))
    scale = draw(st.sampled_from(scales))
    return scale * rng.standard_normal((N, C)), rng.integers(0, C, N)


@st.composite
def tied_class_problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Small integer scores: with margin 1, many slacks are exactly 0 (ties at the kink)."""
    N, C = draw(dense_shapes())
    rng = np.random.default_rng(draw(SEEDS))
    return rng.integers(-2, 3, (N, C)).astype(float), rng.integers(0, C, N)


def labels_tensor(labels: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(np.asarray(labels), dtype=torch.long)


def torch_hinge(margin: float) -> Callable[[torch.Tensor, np.ndarray], torch.Tensor]:
    def loss(x: torch.Tensor, labels: np.ndarray) -> torch.Tensor:
        return x.shape[1] * F.multi_margin_loss(x, labels_tensor(labels), margin=margin)

    return loss


@dataclass(frozen=True)
class TorchLossCase:
    """Our loss, PyTorch's equivalent ``(input tensor, target array) -> scalar`` and inputs."""

    name: str
    make: Callable[[], Loss]
    torch_loss: Callable[[torch.Tensor, np.ndarray], torch.Tensor]
    inputs: st.SearchStrategy

    def __str__(self) -> str:
        return self.name


def case(name: str, make, torch_loss, inputs) -> pytest.param:
    return pytest.param(TorchLossCase(name, make, torch_loss, inputs), id=name)


CASES = [
    case("mse", MSELoss, lambda x, t: F.mse_loss(x, torch.tensor(t)), regression_pairs()),
    case(
        "bce-with-exact-0-and-1",
        BCELoss,
        lambda x, t: F.binary_cross_entropy(x, torch.tensor(t)),
        probabilities_with_extremes(),
    ),
    case(
        "bce-with-logits-huge",
        BCEWithLogitsLoss,
        lambda x, t: F.binary_cross_entropy_with_logits(x, torch.tensor(t)),
        logits_with_targets(),
    ),
    case(
        "cross-entropy-huge",
        CrossEntropyLoss,
        lambda x, y: F.cross_entropy(x, labels_tensor(y)),
        class_problems(),
    ),
    case("hinge", HingeLoss, torch_hinge(1.0), class_problems(scales=(1.0, 10.0))),
    case("hinge-margin-2.5", lambda: HingeLoss(2.5), torch_hinge(2.5), class_problems((1.0,))),
    case("hinge-exact-ties", HingeLoss, torch_hinge(1.0), tied_class_problems()),
]


@pytest.mark.parametrize("loss_case", CASES)
@given(data=st.data())
def test_value_and_input_gradient_match_torch(loss_case: TorchLossCase, data) -> None:
    x, target = data.draw(loss_case.inputs)
    loss = loss_case.make()
    value = loss.forward(x, target)
    grad = loss.backward()
    expected_value, expected_grad, _ = torch_forward_backward(lambda tx: loss_case.torch_loss(tx, target), x)
    assert_close(value, expected_value, f"{loss_case}: loss value")
    assert_close(grad, expected_grad, f"{loss_case}: gradient wrt input")


@given(problem=tied_class_problems())
def test_hinge_ties_take_the_zero_branch_like_torch(problem) -> None:
    """At slack exactly 0 our documented subgradient (0) is also PyTorch's."""
    x, labels = problem
    loss = HingeLoss()
    loss.forward(x, labels)
    rows = np.arange(len(labels))
    slack = x - x[rows, labels][:, None] + 1.0
    slack[rows, labels] = -1.0
    ties = slack == 0.0
    _, torch_grad, _ = torch_forward_backward(lambda tx: torch_hinge(1.0)(tx, labels), x)
    assert not loss.backward()[ties].any(), "our gradient at a tie is not 0"
    assert not torch_grad[ties].any(), "PyTorch's gradient at a tie is not 0"


def test_cross_entropy_accepts_the_integer_dtypes_torch_accepts() -> None:
    """int32, int64 and unsigned labels give the same value as torch's long labels."""
    x = np.random.default_rng(3).standard_normal((4, 3))
    labels = np.array([2, 0, 1, 2])
    expected = F.cross_entropy(torch.tensor(x), labels_tensor(labels)).item()
    for dtype in (np.int32, np.int64, np.uint8):
        assert_close(CrossEntropyLoss().forward(x, labels.astype(dtype)), expected, str(dtype))
