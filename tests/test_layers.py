"""Tests of ``nnlab.reference.layers`` that need no PyTorch.

Is every backward the derivative of its forward (numerical gradients of the input and of
every parameter, for every layer)? Is it the adjoint of the linearised forward? Do the
properties a teacher states hold: convolution is linear and translation equivariant,
pooled sizes follow ``1 + (H - k) // s``, dropout keeps the expectation, batch norm
normalises in training and uses its running statistics in evaluation? And the contract:
gradients accumulate, inputs are never modified, float64 out whatever comes in, wrong
shapes are clear errors, no RuntimeWarnings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nnlab.graders.judging.strategies import (
    SEEDS,
    ConvConfig,
    PoolConfig,
    conv_configs,
    dense_shapes,
    pool_configs,
    rng_array,
    shapes,
    untied,
)
from nnlab.reference.base import Module
from nnlab.reference.gradcheck import numerical_gradient, relative_error
from nnlab.reference.layers import (
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
)

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

# Central differences with h = 1e-5 are accurate to ~1e-10 relative (truncation) plus
# ~1e-10 absolute (round-off of f / 2h, f = <y, g> of order 10); wide margins above both.
GRAD_RTOL = 1e-6
GRAD_ATOL = 1e-8
# Identities that hold up to a few roundings of O(1) numbers summed over a few hundred terms.
EXACT_TOL = 1e-10
# <J v, u> with J v by central differences (h = 1e-6): error ~1e-10 per entry, summed.
ADJOINT_TOL = 1e-6
# Numerical gradients of whole layers cost 2 forward passes per entry: fewer examples.
GRADCHECK_EXAMPLES = 12
# Dropout's sample mean over DROPOUT_SAMPLES entries has standard deviation
# sqrt(p / (1 - p) / DROPOUT_SAMPLES) <= 0.0035 for p <= 0.7; the bar is about 6 of those.
DROPOUT_SAMPLES = 200_000
DROPOUT_MEAN_TOL = 0.02


# ----------------------------------------------------------------------------------------
# The case catalogue: every layer, built on a drawn configuration with random parameters
# ----------------------------------------------------------------------------------------


@dataclass
class Case:
    """A layer ready to run and an input for it."""

    name: str
    layer: Module
    x: np.ndarray


def randomise(layer: Module, seed: int) -> Module:
    """Every parameter set to random values, every gradient to zero."""
    for index, p in enumerate(layer.parameters()):
        p.data = rng_array(seed + index + 1, p.data.shape)
        p.grad = np.zeros_like(p.data)
    return layer


def conv_layer(cfg: ConvConfig) -> Conv2d:
    return Conv2d(cfg.C_in, cfg.C_out, cfg.kernel, stride=cfg.stride, padding=cfg.padding, bias=cfg.bias)


@st.composite
def linear_cases(draw: st.DrawFn) -> Case:
    (n, d), m, seed = draw(dense_shapes()), draw(st.integers(1, 5)), draw(SEEDS)
    layer = randomise(Linear(d, m, bias=draw(st.booleans())), seed)
    return Case(repr(layer), layer, rng_array(seed, (n, d)))


@st.composite
def conv_cases(draw: st.DrawFn) -> Case:
    cfg, seed = draw(conv_configs(max_side=6)), draw(SEEDS)
    layer = randomise(conv_layer(cfg), seed)
    return Case(repr(layer), layer, rng_array(seed, cfg.input_shape))


@st.composite
def maxpool_cases(draw: st.DrawFn) -> Case:
    cfg, seed = draw(pool_configs(max_side=6)), draw(SEEDS)
    layer = MaxPool2d(cfg.kernel, stride=cfg.stride)
    return Case(repr(layer), layer, untied(rng_array(seed, cfg.input_shape)))


@st.composite
def avgpool_cases(draw: st.DrawFn) -> Case:
    cfg, seed = draw(pool_configs(max_side=6)), draw(SEEDS)
    layer = AvgPool2d(cfg.kernel, stride=cfg.stride)
    return Case(repr(layer), layer, rng_array(seed, cfg.input_shape))


@st.composite
def flatten_cases(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=2, max_dims=4, max_side=4))
    return Case("Flatten", Flatten(), rng_array(draw(SEEDS), shape))


class SeededDropout(Dropout):
    """Dropout that redraws the same mask at every forward: a differentiable function."""

    def __init__(self, p: float, seed: int) -> None:
        super().__init__(p)
        self.seed = seed

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.rng = np.random.default_rng(self.seed)
        return super().forward(x)


@st.composite
def dropout_cases(draw: st.DrawFn) -> Case:
    shape, seed = draw(shapes(min_dims=1, max_dims=4, max_side=4)), draw(SEEDS)
    layer = SeededDropout(draw(st.sampled_from([0.0, 0.3, 0.5, 1.0])), seed)
    if draw(st.booleans()):
        layer.eval()
    return Case(f"Dropout(p={layer.p}, training={layer.training})", layer, rng_array(seed, shape))


@st.composite
def batchnorm_cases(draw: st.DrawFn) -> Case:
    two_d, training, seed = draw(st.booleans()), draw(st.booleans()), draw(SEEDS)
    n, c = draw(st.integers(2, 4)), draw(st.integers(1, 3))  # N >= 2: training needs it
    shape = (n, c, draw(st.integers(1, 3)), draw(st.integers(1, 3))) if two_d else (n, c)
    layer = randomise((BatchNorm2d if two_d else BatchNorm1d)(c), seed)
    if not training:
        layer.running_mean = rng_array(seed + 10, (c,))
        layer.running_var = np.exp(rng_array(seed + 11, (c,)))
        layer.eval()
    return Case(f"{layer!r} training={training}", layer, rng_array(seed, shape, scale=2.0))


CASES = [
    pytest.param(linear_cases, id="Linear"),
    pytest.param(conv_cases, id="Conv2d"),
    pytest.param(maxpool_cases, id="MaxPool2d"),
    pytest.param(avgpool_cases, id="AvgPool2d"),
    pytest.param(flatten_cases, id="Flatten"),
    pytest.param(dropout_cases, id="Dropout"),
    pytest.param(batchnorm_cases, id="BatchNorm"),
]
PARAMETRIC = [c for c in CASES if c.id in ("Linear", "Conv2d", "BatchNorm")]


def assert_gradient(analytic: np.ndarray, numeric: np.ndarray, what: str) -> None:
    assert analytic.shape == numeric.shape, f"{what}: shape {analytic.shape} vs {numeric.shape}"
    np.testing.assert_allclose(
        analytic,
        numeric,
        rtol=GRAD_RTOL,
        atol=GRAD_ATOL,
        err_msg=f"{what}: analytic vs numerical gradient (relative error {relative_error(analytic, numeric):.2e})",
    )


# ----------------------------------------------------------------------------------------
# Gradients
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cases", CASES)
@settings(max_examples=GRADCHECK_EXAMPLES)
@given(data=st.data())
def test_backward_matches_numerical_gradient(cases: Callable, data: st.DataObject) -> None:
    """grad_x and every parameter gradient equal central differences of <forward(x), g>."""
    case = data.draw(cases())
    layer, x = case.layer, case.x.copy()
    grad_y = rng_array(data.draw(SEEDS), layer.forward(x).shape)
    grad_x = layer.backward(grad_y)

    def loss(_: np.ndarray) -> float:
        return float(np.sum(layer.forward(x) * grad_y))

    assert_gradient(grad_x, numerical_gradient(loss, x), f"{case.name} input")
    for index, p in enumerate(layer.parameters()):
        assert_gradient(p.grad, numerical_gradient(loss, p.data), f"{case.name} parameter {index}")


def jvp(layer: Module, x: np.ndarray, v: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """The directional derivative ``J v`` of ``forward`` at ``x``, by central differences."""
    return (layer.forward(x + h * v) - layer.forward(x - h * v)) / (2 * h)


@pytest.mark.parametrize("cases", CASES)
@given(data=st.data())
def test_backward_is_the_adjoint_of_the_linearised_forward(cases: Callable, data: st.DataObject) -> None:
    """<J v, u> == <v, J^T u> for random directions v and upstream gradients u."""
    case = data.draw(cases())
    layer, x = case.layer, case.x
    seed = data.draw(SEEDS)
    v = rng_array(seed, x.shape)
    Jv = jvp(layer, x, v)
    u = rng_array(seed + 1, Jv.shape)
    layer.forward(x)
    JTu = layer.backward(u)
    lhs, rhs = float(np.sum(Jv * u)), float(np.sum(v * JTu))
    assert abs(lhs - rhs) <= ADJOINT_TOL * (1 + abs(lhs)), f"{case.name}: <J v, u> = {lhs} but <v, J^T u> = {rhs}"


@pytest.mark.parametrize("cases", PARAMETRIC)
@given(data=st.data())
def test_parameter_gradients_accumulate(cases: Callable, data: st.DataObject) -> None:
    """Two backward calls add up: every p.grad is twice the gradient of one call."""
    case = data.draw(cases())
    layer = case.layer
    grad_y = rng_array(data.draw(SEEDS), layer.forward(case.x).shape)
    layer.backward(grad_y)
    once = [p.grad.copy() for p in layer.parameters()]
    layer.backward(grad_y)
    for index, (p, g) in enumerate(zip(layer.parameters(), once, strict=True)):
        np.testing.assert_allclose(
            p.grad, 2 * g, rtol=EXACT_TOL, atol=EXACT_TOL, err_msg=f"{case.name} parameter {index} after two backwards"
        )


@pytest.mark.parametrize("cases", CASES)
@given(data=st.data())
def test_inputs_are_never_modified(cases: Callable, data: st.DataObject) -> None:
    """forward(x) and backward(grad_y) leave both argument arrays as they were."""
    case = data.draw(cases())
    x = case.x.copy()
    y = case.layer.forward(x)
    grad_y = rng_array(data.draw(SEEDS), y.shape)
    grad_y_copy = grad_y.copy()
    case.layer.backward(grad_y)
    np.testing.assert_array_equal(x, case.x, err_msg=f"{case.name} modified its input")
    np.testing.assert_array_equal(grad_y, grad_y_copy, err_msg=f"{case.name} modified grad_y")


@pytest.mark.parametrize("cases", CASES)
@given(data=st.data())
def test_float32_input_gives_float64(cases: Callable, data: st.DataObject) -> None:
    """Output, input gradient and parameter gradients are float64 for float32 arguments."""
    case = data.draw(cases())
    y = case.layer.forward(case.x.astype(np.float32))
    grad_x = case.layer.backward(np.ones(y.shape, dtype=np.float32))
    assert y.dtype == np.float64, f"{case.name} forward returned {y.dtype}"
    assert grad_x.dtype == np.float64, f"{case.name} backward returned {grad_x.dtype}"
    for p in case.layer.parameters():
        assert p.grad.dtype == np.float64, f"{case.name} parameter gradient is {p.grad.dtype}"


# ----------------------------------------------------------------------------------------
# Convolution
# ----------------------------------------------------------------------------------------


@given(cfg=conv_configs(), seed=SEEDS, a=st.floats(-3, 3), b=st.floats(-3, 3))
def test_conv_is_linear_in_input_and_in_weights(cfg: ConvConfig, seed: int, a: float, b: float) -> None:
    """Without bias, conv(a x1 + b x2) = a conv(x1) + b conv(x2), and likewise in the weights."""
    layer = conv_layer(ConvConfig(**{**vars(cfg), "bias": False}))
    x1, x2 = rng_array(seed, cfg.input_shape), rng_array(seed + 1, cfg.input_shape)
    w1, w2 = rng_array(seed + 2, cfg.weight_shape), rng_array(seed + 3, cfg.weight_shape)
    layer.weight.data = w1
    np.testing.assert_allclose(
        layer.forward(a * x1 + b * x2),
        a * layer.forward(x1) + b * layer.forward(x2),
        rtol=EXACT_TOL,
        atol=EXACT_TOL,
        err_msg="linearity in the input",
    )
    outputs = []
    for w in (a * w1 + b * w2, w1, w2):
        layer.weight.data = w
        outputs.append(layer.forward(x1))
    np.testing.assert_allclose(
        outputs[0], a * outputs[1] + b * outputs[2], rtol=EXACT_TOL, atol=EXACT_TOL, err_msg="linearity in the weights"
    )


@given(cfg=conv_configs(max_side=9), seed=SEEDS, dy=st.integers(0, 2), dx=st.integers(0, 2))
def test_conv_is_translation_equivariant(cfg: ConvConfig, seed: int, dy: int, dx: int) -> None:
    """Stride 1, no padding: shifting the image shifts the output (away from the border)."""
    cfg = ConvConfig(
        **{
            **vars(cfg),
            "stride": (1, 1),
            "padding": (0, 0),
            "H": max(cfg.H, cfg.kernel[0] + dy),
            "W": max(cfg.W, cfg.kernel[1] + dx),
        }
    )
    layer = randomise(conv_layer(cfg), seed)
    x = rng_array(seed, cfg.input_shape)
    y = layer.forward(x)
    y_shifted = layer.forward(np.roll(x, (dy, dx), axis=(2, 3)))
    Ho, Wo = cfg.output_hw
    np.testing.assert_allclose(
        y_shifted[:, :, dy:, dx:],
        y[:, :, : Ho - dy, : Wo - dx],
        rtol=EXACT_TOL,
        atol=EXACT_TOL,
        err_msg=f"shift by {(dy, dx)} of input {cfg.input_shape}",
    )


@given(cfg=conv_configs(), seed=SEEDS)
def test_conv_output_shape_follows_the_formula(cfg: ConvConfig, seed: int) -> None:
    """y has shape (N, F, 1 + (H + 2p - k) // s, 1 + (W + 2p - k) // s)."""
    y = conv_layer(cfg).forward(rng_array(seed, cfg.input_shape))
    assert y.shape == (cfg.N, cfg.C_out, *cfg.output_hw), f"{cfg}: got {y.shape}"


def test_conv_with_a_one_by_one_kernel_is_a_linear_map_of_channels() -> None:
    """A 1x1 convolution applies the same (F, C) matrix at every pixel."""
    layer = Conv2d(3, 2, 1)
    x = rng_array(1, (2, 3, 4, 5))
    expected = np.einsum("fc,nchw->nfhw", layer.weight.data[:, :, 0, 0], x)
    expected += layer.bias.data[None, :, None, None]
    np.testing.assert_allclose(layer.forward(x), expected, rtol=EXACT_TOL, atol=EXACT_TOL)


# ----------------------------------------------------------------------------------------
# Pooling
# ----------------------------------------------------------------------------------------

POOLS = [pytest.param(MaxPool2d, id="MaxPool2d"), pytest.param(AvgPool2d, id="AvgPool2d")]


@pytest.mark.parametrize("cls", POOLS)
@given(cfg=pool_configs(), seed=SEEDS)
def test_pooled_shape_follows_the_formula(cls: type, cfg: PoolConfig, seed: int) -> None:
    """y has shape (N, C, 1 + (H - kH) // sH, 1 + (W - kW) // sW)."""
    y = cls(cfg.kernel, stride=cfg.stride).forward(rng_array(seed, cfg.input_shape))
    assert y.shape == (cfg.N, cfg.C, *cfg.output_hw), f"{cfg}: got {y.shape}"


@pytest.mark.parametrize("cls", POOLS)
def test_stride_defaults_to_the_kernel_size(cls: type) -> None:
    assert cls(3).stride == (3, 3)
    assert cls((2, 3)).stride == (2, 3)
    assert cls(2, stride=1).stride == (1, 1)


@pytest.mark.parametrize("cls", POOLS)
@given(cfg=pool_configs(), value=st.floats(-100, 100))
def test_pooling_a_constant_gives_the_constant(cls: type, cfg: PoolConfig, value: float) -> None:
    """The maximum and the mean of a constant window are that constant."""
    y = cls(cfg.kernel, stride=cfg.stride).forward(np.full(cfg.input_shape, value))
    np.testing.assert_allclose(y, value, rtol=EXACT_TOL, atol=EXACT_TOL)


@given(cfg=pool_configs())
def test_maxpool_tie_sends_each_window_gradient_to_exactly_one_entry(cfg: PoolConfig) -> None:
    """On a constant input (all tied) the gradient is conserved, window by window."""
    layer = MaxPool2d(cfg.kernel, stride=cfg.stride)
    y = layer.forward(np.zeros(cfg.input_shape))
    grad_x = layer.backward(np.ones(y.shape))
    assert grad_x.sum() == pytest.approx(y.size), "every window passes on exactly its gradient"
    if cfg.stride[0] >= cfg.kernel[0] and cfg.stride[1] >= cfg.kernel[1]:  # disjoint windows
        assert np.count_nonzero(grad_x) == y.size, "one entry per window"
        assert set(np.unique(grad_x)) <= {0.0, 1.0}


def test_maxpool_overlapping_windows_accumulate_at_a_shared_maximum() -> None:
    """An entry that is the maximum of several overlapping windows collects all their gradients."""
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0  # the maximum of all four 2x2 windows (stride 1)
    layer = MaxPool2d(2, stride=1)
    layer.forward(x)
    grad_x = layer.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    expected = np.zeros((1, 1, 3, 3))
    expected[0, 0, 1, 1] = 10.0
    np.testing.assert_array_equal(grad_x, expected)


def test_pooling_ignores_the_remainder_that_fills_no_window() -> None:
    """Entries outside every window (H = 5, k = s = 2) get no output and a zero gradient."""
    for layer in (MaxPool2d(2), AvgPool2d(2)):
        y = layer.forward(untied(rng_array(3, (1, 1, 5, 5))))
        grad_x = layer.backward(np.ones(y.shape))
        assert y.shape == (1, 1, 2, 2)
        assert not grad_x[..., 4, :].any() and not grad_x[..., :, 4].any(), repr(layer)


# ----------------------------------------------------------------------------------------
# Dropout
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.1, 0.5, 0.7])
def test_dropout_keeps_the_expectation(p: float) -> None:
    """E[y] = x: the mean output over many entries is the input, and about p are dropped."""
    layer = Dropout(p)
    layer.rng = np.random.default_rng(0)
    y = layer.forward(np.full(DROPOUT_SAMPLES, 3.0))
    assert abs(y.mean() / 3.0 - 1.0) < DROPOUT_MEAN_TOL, f"mean {y.mean()} for p={p}"
    assert abs(np.mean(y == 0.0) - p) < DROPOUT_MEAN_TOL, f"dropped {np.mean(y == 0.0)}, p={p}"
    np.testing.assert_allclose(y[y != 0.0], 3.0 / (1 - p), rtol=EXACT_TOL)


@given(shape=shapes(min_dims=1, max_dims=4, max_side=6), seed=SEEDS, p=st.floats(0.0, 0.95))
def test_dropout_backward_reuses_the_forward_mask(shape: tuple[int, ...], seed: int, p: float) -> None:
    """grad_x = grad_y * mask with the mask of the last forward: y / x, entry by entry."""
    layer = Dropout(p)
    layer.rng = np.random.default_rng(seed)
    x = rng_array(seed, shape) + 10.0  # no zeros: y / x recovers the mask
    mask = layer.forward(x) / x
    assert set(np.round(np.unique(mask) * (1 - p), 9)) <= {0.0, 1.0}, "mask is 0 or 1/(1-p)"
    grad_y = rng_array(seed + 1, shape)
    np.testing.assert_allclose(layer.backward(grad_y), grad_y * mask, rtol=EXACT_TOL, atol=EXACT_TOL)


@given(shape=shapes(min_dims=1, max_dims=4, max_side=6), seed=SEEDS, p=st.floats(0.0, 1.0))
def test_dropout_is_the_identity_in_eval(shape: tuple[int, ...], seed: int, p: float) -> None:
    layer = Dropout(p).eval()
    x, grad_y = rng_array(seed, shape), rng_array(seed + 1, shape)
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(grad_y), grad_y)


def test_dropout_p0_is_the_identity_and_p1_gives_zeros() -> None:
    x = rng_array(5, (4, 6))
    np.testing.assert_array_equal(Dropout(0.0).forward(x), x)
    layer = Dropout(1.0)
    y = layer.forward(x)
    grad_x = layer.backward(np.ones_like(x))
    assert not y.any() and not grad_x.any(), "p = 1 drops everything"
    assert np.isfinite(y).all() and np.isfinite(grad_x).all()


def test_dropout_masks_are_reproducible_with_a_seeded_rng() -> None:
    a, b = Dropout(0.5), Dropout(0.5)
    a.rng, b.rng = np.random.default_rng(7), np.random.default_rng(7)
    x = np.ones((3, 5))
    np.testing.assert_array_equal(a.forward(x), b.forward(x))


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_dropout_rejects_a_probability_outside_0_1(p: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Dropout(p)


# ----------------------------------------------------------------------------------------
# Batch normalisation
# ----------------------------------------------------------------------------------------

BN_SHAPES = [
    pytest.param(BatchNorm1d, (6, 3), (0,), id="BatchNorm1d"),
    pytest.param(BatchNorm1d, (4, 3, 5), (0, 2), id="BatchNorm1d-(N,C,L)"),
    pytest.param(BatchNorm2d, (3, 2, 4, 5), (0, 2, 3), id="BatchNorm2d"),
]


@pytest.mark.parametrize(("cls", "shape", "axes"), BN_SHAPES)
def test_batchnorm_normalises_each_channel_in_training(
    cls: type, shape: tuple[int, ...], axes: tuple[int, ...]
) -> None:
    """With weight 1 and bias 0 each channel comes out with mean 0 and variance ~1."""
    layer = cls(shape[1])
    x = rng_array(1, shape, scale=5.0) + 3.0
    y = layer.forward(x)
    np.testing.assert_allclose(y.mean(axis=axes), 0.0, atol=EXACT_TOL)
    var = x.var(axis=axes)
    np.testing.assert_allclose(y.var(axis=axes), var / (var + layer.eps), rtol=EXACT_TOL)


@pytest.mark.parametrize(("cls", "shape", "axes"), BN_SHAPES)
def test_batchnorm_running_statistics_follow_the_momentum_rule(
    cls: type, shape: tuple[int, ...], axes: tuple[int, ...]
) -> None:
    """running = (1 - m) running + m batch, with the unbiased batch variance."""
    layer = cls(shape[1], momentum=0.3)
    x1, x2 = rng_array(1, shape) + 1.0, rng_array(2, shape, scale=2.0)
    layer.forward(x1)
    layer.forward(x2)
    mean = 0.7 * (0.3 * x1.mean(axis=axes)) + 0.3 * x2.mean(axis=axes)
    var = 0.7 * (0.7 + 0.3 * x1.var(axis=axes, ddof=1)) + 0.3 * x2.var(axis=axes, ddof=1)
    np.testing.assert_allclose(layer.running_mean, mean, rtol=EXACT_TOL)
    np.testing.assert_allclose(layer.running_var, var, rtol=EXACT_TOL)


@pytest.mark.parametrize(("cls", "shape", "axes"), BN_SHAPES)
def test_batchnorm_uses_the_running_statistics_in_eval(
    cls: type, shape: tuple[int, ...], axes: tuple[int, ...]
) -> None:
    """Evaluation normalises with the buffers, which stay unchanged; batch of 1 is fine."""
    c = shape[1]
    layer = cls(c, eps=0.1)
    layer.weight.data, layer.bias.data = np.arange(1.0, c + 1), np.full(c, 0.5)
    layer.running_mean, layer.running_var = np.linspace(-1, 1, c), np.linspace(1, 2, c)
    layer.eval()
    x = rng_array(4, (1, *shape[1:]))
    b = (1, c) + (1,) * (len(shape) - 2)
    expected = (x - layer.running_mean.reshape(b)) / np.sqrt(
        layer.running_var.reshape(b) + 0.1
    ) * layer.weight.data.reshape(b) + 0.5
    np.testing.assert_allclose(layer.forward(x), expected, rtol=EXACT_TOL)
    np.testing.assert_array_equal(layer.running_mean, np.linspace(-1, 1, c))
    np.testing.assert_array_equal(layer.running_var, np.linspace(1, 2, c))


@pytest.mark.parametrize("cls", [BatchNorm1d, BatchNorm2d])
def test_batchnorm_starts_at_the_identity_affine_map(cls: type) -> None:
    layer = cls(4)
    np.testing.assert_array_equal(layer.weight.data, np.ones(4))
    np.testing.assert_array_equal(layer.bias.data, np.zeros(4))
    np.testing.assert_array_equal(layer.running_mean, np.zeros(4))
    np.testing.assert_array_equal(layer.running_var, np.ones(4))
    assert layer.parameters() == [layer.weight, layer.bias]


@pytest.mark.parametrize(
    ("cls", "shape"), [(BatchNorm1d, (1, 3)), (BatchNorm1d, (1, 3, 1)), (BatchNorm2d, (1, 3, 1, 1))]
)
def test_batchnorm_needs_more_than_one_value_per_channel_in_training(cls: type, shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        cls(3).forward(np.ones(shape))
    assert cls(3).eval().forward(np.ones(shape)).shape == shape


def test_batchnorm_constant_channel_is_finite() -> None:
    """A channel with zero variance gives x_hat = 0 and finite gradients (eps > 0)."""
    layer = BatchNorm2d(2)
    y = layer.forward(np.full((3, 2, 2, 2), 4.0))
    grad_x = layer.backward(rng_array(1, y.shape))
    assert np.isfinite(y).all() and np.isfinite(grad_x).all()


# ----------------------------------------------------------------------------------------
# API and validation
# ----------------------------------------------------------------------------------------


def test_linear_without_bias_has_only_a_weight() -> None:
    layer = Linear(3, 2, bias=False)
    assert layer.bias is None
    assert layer.parameters() == [layer.weight]
    x = rng_array(1, (4, 3))
    np.testing.assert_allclose(layer.forward(x), x @ layer.weight.data.T, rtol=EXACT_TOL)


def test_conv_without_bias_has_only_a_weight() -> None:
    layer = Conv2d(2, 3, 2, bias=False)
    assert layer.bias is None
    assert layer.parameters() == [layer.weight]


@pytest.mark.parametrize(
    ("layer", "shapes_"),
    [
        pytest.param(Linear(5, 3), {"weight": (3, 5), "bias": (3,)}, id="Linear"),
        pytest.param(Conv2d(2, 4, (3, 1)), {"weight": (4, 2, 3, 1), "bias": (4,)}, id="Conv2d"),
    ],
)
def test_parameter_shapes_and_default_init(layer: Module, shapes_: dict) -> None:
    """PyTorch's layout and init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = 5 and 6 here."""
    fan_in = 5 if isinstance(layer, Linear) else 6
    for name, shape in shapes_.items():
        p = getattr(layer, name)
        assert p.data.shape == shape and p.grad.shape == shape, name
        assert not p.grad.any(), f"{name}.grad starts at zero"
        assert np.abs(p.data).max() <= 1 / np.sqrt(fan_in), f"{name} outside the init bound"


def test_every_layer_starts_in_training_and_switches_mode() -> None:
    for layer in (
        Linear(2, 2),
        Conv2d(1, 1, 1),
        MaxPool2d(2),
        AvgPool2d(2),
        Flatten(),
        Dropout(),
        BatchNorm1d(2),
        BatchNorm2d(2),
    ):
        assert layer.training is True, repr(layer)
        assert layer.eval() is layer and layer.training is False, repr(layer)
        assert layer.train() is layer and layer.training is True, repr(layer)


WRONG_INPUTS = [
    pytest.param(Linear(3, 2), np.zeros((4, 5)), "Linear expects 3 input features", id="Linear-D"),
    pytest.param(Linear(3, 2), np.zeros(3), r"Linear expects input of shape \(N, 3\)", id="Linear-1d"),
    pytest.param(Conv2d(3, 2, 2), np.zeros((1, 2, 5, 5)), "Conv2d expects 3 input channels", id="Conv2d-C"),
    pytest.param(Conv2d(3, 2, 2), np.zeros((3, 5, 5)), r"Conv2d expects input of shape \(N, C, H, W\)", id="Conv2d-3d"),
    pytest.param(Conv2d(1, 1, 4, padding=1), np.zeros((1, 1, 1, 5)), "larger than the padded", id="Conv2d-small"),
    pytest.param(
        MaxPool2d(2), np.zeros((2, 5, 5)), r"MaxPool2d expects input of shape \(N, C, H, W\)", id="MaxPool2d-3d"
    ),
    pytest.param(AvgPool2d(3), np.zeros((1, 1, 2, 5)), "larger than the input", id="AvgPool2d-small"),
    pytest.param(Flatten(), np.zeros(4), "at least 2 dimensions", id="Flatten-1d"),
    pytest.param(BatchNorm1d(3), np.zeros((4, 2)), "BatchNorm1d expects 3 channels", id="BatchNorm1d-C"),
    pytest.param(BatchNorm2d(3), np.zeros((4, 3)), r"BatchNorm2d expects input of shape", id="BatchNorm2d-2d"),
]


@pytest.mark.parametrize(("layer", "x", "message"), WRONG_INPUTS)
def test_wrong_input_shapes_are_clear_errors(layer: Module, x: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        layer.forward(x)


@pytest.mark.parametrize(
    ("layer", "x"),
    [
        pytest.param(Linear(3, 2), np.zeros((4, 3)), id="Linear"),
        pytest.param(Conv2d(1, 2, 2), np.zeros((1, 1, 3, 3)), id="Conv2d"),
        pytest.param(MaxPool2d(2), np.zeros((1, 1, 4, 4)), id="MaxPool2d"),
        pytest.param(BatchNorm1d(2), np.zeros((3, 2)), id="BatchNorm1d"),
        pytest.param(Flatten(), np.zeros((2, 3, 4)), id="Flatten"),
        pytest.param(Dropout(), np.zeros((2, 3)), id="Dropout"),
    ],
)
def test_wrong_gradient_shape_and_backward_before_forward_are_errors(layer: Module, x: np.ndarray) -> None:
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros(1))
    y = layer.forward(x)
    with pytest.raises(ValueError, match="expects grad_y of shape"):
        layer.backward(np.zeros((*y.shape, 1)))


@pytest.mark.parametrize("layer", [Linear(2, 2), Conv2d(1, 1, 1), MaxPool2d(1), Flatten(), Dropout(), BatchNorm1d(2)])
def test_non_numeric_input_is_a_type_error(layer: Module) -> None:
    with pytest.raises(TypeError, match="real numbers"):
        layer.forward(np.array([["a", "b"], ["c", "d"]]))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: Conv2d(1, 1, 0), id="Conv2d-kernel0"),
        pytest.param(lambda: Conv2d(1, 1, 3, stride=0), id="Conv2d-stride0"),
        pytest.param(lambda: Conv2d(1, 1, 3, padding=-1), id="Conv2d-padding-1"),
        pytest.param(lambda: Conv2d(0, 1, 3), id="Conv2d-channels0"),
        pytest.param(lambda: Conv2d(1, 1, (1, 2, 3)), id="Conv2d-triple"),
        pytest.param(lambda: MaxPool2d(2, stride=0), id="MaxPool2d-stride0"),
        pytest.param(lambda: Linear(0, 3), id="Linear-0"),
        pytest.param(lambda: BatchNorm1d(0), id="BatchNorm1d-0"),
    ],
)
def test_invalid_hyper_parameters_are_rejected(make: Callable[[], Module]) -> None:
    with pytest.raises(ValueError):
        make()
