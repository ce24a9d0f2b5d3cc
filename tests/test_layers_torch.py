"""PyTorch as the oracle for ``nnlab.reference.layers``.

Every layer runs on the same float64 input, with the same parameters and the same random
upstream gradient, in numpy and in ``torch.nn.functional``: outputs, input gradients and
every parameter gradient agree to rtol 1e-6; batch normalisation's running buffers agree
after several training steps, and evaluation mode agrees too. Configurations come from the
shared strategies: non-square images, batches of 1, strides up to 3, padding, rectangular
kernels, channel counts that differ. Dropout's masks come from a different random source,
so only its deterministic behaviour (evaluation, ``p = 0``) is compared here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch (the test-only oracle) is not installed: pip install torch==2.13.0")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402, N812 (torch's convention)
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from nnlab.graders.judging.strategies import (  # noqa: E402
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
from nnlab.reference.base import Module, Parameter  # noqa: E402
from nnlab.reference.layers import (  # noqa: E402
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
)
from oracle import assert_close, tensor, torch_forward_backward  # noqa: E402

pytestmark = pytest.mark.torch

BN_STEPS = 3  # training steps before the running buffers are compared


def named_parameters(module: Module) -> dict[str, Parameter]:
    """The module's parameters by attribute name (``weight``, ``bias``), as torch names them."""
    params = module.parameters()
    return {name: value for name, value in vars(module).items() if any(value is p for p in params)}


def compare(
    module: Module, fn: Callable[..., torch.Tensor], x: np.ndarray, name: str, seed: int, randomise: bool = True
) -> None:
    """Forward, input gradient and every parameter gradient agree with ``fn(x, **params)``."""
    params = named_parameters(module)
    if randomise:
        for index, p in enumerate(params.values()):
            p.data = rng_array(seed + index + 1, p.data.shape)
            p.grad = np.zeros_like(p.data)
    y = module.forward(x)
    grad_y = rng_array(seed + 99, y.shape)
    grad_x = module.backward(grad_y)
    t_y, t_grad_x, t_grads = torch_forward_backward(fn, x, grad_y, {key: p.data for key, p in params.items()})
    assert_close(y, t_y, f"{name} forward")
    assert_close(grad_x, t_grad_x, f"{name} input gradient")
    for key, p in params.items():
        assert_close(p.grad, t_grads[key], f"{name} {key} gradient")


# ----------------------------------------------------------------------------------------
# Linear, Conv2d, pooling, Flatten
# ----------------------------------------------------------------------------------------


@given(shape=dense_shapes(), out_features=st.integers(1, 6), bias=st.booleans(), seed=SEEDS)
def test_linear_matches_torch(shape: tuple[int, int], out_features: int, bias: bool, seed: int) -> None:
    """Linear: y, grad x, grad weight and grad bias equal F.linear's (with and without bias)."""
    n, d = shape
    compare(
        Linear(d, out_features, bias=bias),
        F.linear,
        rng_array(seed, shape),
        f"Linear({d}, {out_features}, bias={bias})",
        seed,
    )


@given(cfg=conv_configs(), seed=SEEDS)
def test_conv2d_matches_torch(cfg: ConvConfig, seed: int) -> None:
    """Conv2d: every stride, padding, rectangular kernel and channel count agrees with F.conv2d."""
    layer = Conv2d(cfg.C_in, cfg.C_out, cfg.kernel, stride=cfg.stride, padding=cfg.padding, bias=cfg.bias)
    compare(
        layer,
        lambda x, **p: F.conv2d(x, p["weight"], p.get("bias"), stride=cfg.stride, padding=cfg.padding),
        rng_array(seed, cfg.input_shape),
        repr(layer),
        seed,
    )


@settings(max_examples=5)
@given(seed=SEEDS)
def test_conv2d_matches_torch_on_benchmark_shapes(seed: int) -> None:
    """Conv2d agrees with torch on a larger problem of the benchmark's kind (3x3, padding 1)."""
    layer = Conv2d(4, 6, 3, padding=1)
    compare(
        layer,
        lambda x, weight, bias: F.conv2d(x, weight, bias, padding=1),
        rng_array(seed, (5, 4, 12, 9)),
        repr(layer),
        seed,
    )


@given(cfg=pool_configs(), seed=SEEDS)
def test_maxpool2d_matches_torch(cfg: PoolConfig, seed: int) -> None:
    """MaxPool2d agrees with F.max_pool2d on untied inputs, overlapping and gapped windows."""
    x = untied(rng_array(seed, cfg.input_shape))
    layer = MaxPool2d(cfg.kernel, stride=cfg.stride)
    compare(layer, lambda t: F.max_pool2d(t, cfg.kernel, stride=cfg.stride), x, repr(layer), seed)


@given(cfg=pool_configs(), seed=SEEDS)
def test_avgpool2d_matches_torch(cfg: PoolConfig, seed: int) -> None:
    """AvgPool2d agrees with F.avg_pool2d, overlapping and gapped windows."""
    layer = AvgPool2d(cfg.kernel, stride=cfg.stride)
    compare(
        layer,
        lambda t: F.avg_pool2d(t, cfg.kernel, stride=cfg.stride),
        rng_array(seed, cfg.input_shape),
        repr(layer),
        seed,
    )


@given(shape=shapes(min_dims=2, max_dims=5, max_side=4), seed=SEEDS)
def test_flatten_matches_torch(shape: tuple[int, ...], seed: int) -> None:
    """Flatten agrees with torch.flatten(x, 1): the same row-major order."""
    compare(Flatten(), lambda t: torch.flatten(t, 1), rng_array(seed, shape), "Flatten", seed)


# ----------------------------------------------------------------------------------------
# Dropout: the deterministic cases
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
@given(shape=shapes(min_dims=1, max_dims=4, max_side=5), seed=SEEDS)
def test_dropout_in_eval_matches_torch(p: float, shape: tuple[int, ...], seed: int) -> None:
    """In evaluation mode Dropout is the identity, as F.dropout(training=False)."""
    compare(
        Dropout(p).eval(),
        lambda t: F.dropout(t, p, training=False),
        rng_array(seed, shape),
        f"Dropout({p}).eval()",
        seed,
    )


@given(shape=shapes(min_dims=1, max_dims=4, max_side=5), seed=SEEDS)
def test_dropout_p0_in_training_matches_torch(shape: tuple[int, ...], seed: int) -> None:
    """With p = 0 training-mode dropout keeps everything, as torch's."""
    compare(Dropout(0.0), lambda t: F.dropout(t, 0.0, training=True), rng_array(seed, shape), "Dropout(0.0)", seed)


@given(shape=shapes(min_dims=1, max_dims=4, max_side=5), seed=SEEDS)
def test_dropout_p1_in_training_matches_torch(shape: tuple[int, ...], seed: int) -> None:
    """With p = 1 training-mode dropout zeroes everything and its gradient, as torch's."""
    compare(Dropout(1.0), lambda t: F.dropout(t, 1.0, training=True), rng_array(seed, shape), "Dropout(1.0)", seed)


# ----------------------------------------------------------------------------------------
# Batch normalisation
# ----------------------------------------------------------------------------------------


@st.composite
def bn_shapes(draw: st.DrawFn, ndim: int) -> tuple[int, ...]:
    """``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)`` with more than one value per channel."""
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 4)), *(draw(st.integers(1, 4)) for _ in range(ndim - 2)))
    if shape[0] * int(np.prod(shape[2:])) == 1:
        shape = (2, *shape[1:])
    return shape


BN_CASES = [
    pytest.param(BatchNorm1d, 2, id="BatchNorm1d-(N,C)"),
    pytest.param(BatchNorm1d, 3, id="BatchNorm1d-(N,C,L)"),
    pytest.param(BatchNorm2d, 4, id="BatchNorm2d"),
]


@pytest.mark.parametrize(("cls", "ndim"), BN_CASES)
@given(data=st.data(), momentum=st.sampled_from([0.1, 0.5, 1.0]), seed=SEEDS)
def test_batchnorm_training_matches_torch(
    cls: type, ndim: int, data: st.DataObject, momentum: float, seed: int
) -> None:
    """Training mode: output, gradients and, after several steps, running buffers agree."""
    shape = data.draw(bn_shapes(ndim))
    layer = cls(shape[1], momentum=momentum)
    module = getattr(torch.nn, cls.__name__)(shape[1], momentum=momentum, dtype=torch.float64)
    for step in range(BN_STEPS):
        x = rng_array(seed + step, shape, scale=2.0) + step  # the mean moves between steps
        running_mean = tensor(layer.running_mean)
        running_var = tensor(layer.running_var)
        compare(
            layer,
            lambda t, weight, bias, mean=running_mean, var=running_var: F.batch_norm(
                t, mean, var, weight, bias, training=True, momentum=momentum, eps=layer.eps
            ),
            x,
            f"{cls.__name__} step {step}",
            seed + 7 * step,
        )
        module(tensor(x))
        assert_close(layer.running_mean, module.running_mean.numpy(), f"running_mean, step {step}")
        assert_close(layer.running_var, module.running_var.numpy(), f"running_var, step {step}")


@pytest.mark.parametrize(("cls", "ndim"), BN_CASES)
@given(data=st.data(), seed=SEEDS)
def test_batchnorm_eval_matches_torch(cls: type, ndim: int, data: st.DataObject, seed: int) -> None:
    """Evaluation mode (batch of 1 allowed): the buffers normalise and are constants."""
    shape = data.draw(shapes(min_dims=ndim, max_dims=ndim, max_side=4))
    layer = cls(shape[1], eps=1e-3).eval()
    layer.running_mean = rng_array(seed + 50, (shape[1],))
    layer.running_var = np.exp(rng_array(seed + 51, (shape[1],)))
    running_mean, running_var = tensor(layer.running_mean), tensor(layer.running_var)
    compare(
        layer,
        lambda t, weight, bias: F.batch_norm(t, running_mean, running_var, weight, bias, training=False, eps=1e-3),
        rng_array(seed, shape),
        f"{cls.__name__}.eval()",
        seed,
    )


@pytest.mark.parametrize("cls", [BatchNorm1d, BatchNorm2d])
def test_batchnorm_single_value_per_channel_fails_like_torch(cls: type) -> None:
    """One value per channel in training is an error in both, with torch's message."""
    shape = (1, 3) if cls is BatchNorm1d else (1, 3, 1, 1)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel") as ours:
        cls(3).forward(np.ones(shape))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel") as theirs:
        getattr(torch.nn, cls.__name__)(3, dtype=torch.float64)(tensor(np.ones(shape)))
    assert type(ours.value) is type(theirs.value)


def test_default_initialisation_matches_torch_bounds() -> None:
    """Linear and Conv2d draw from PyTorch's U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    for ours, theirs in [
        (Linear(50, 40), torch.nn.Linear(50, 40)),
        (Conv2d(3, 40, (3, 5)), torch.nn.Conv2d(3, 40, (3, 5))),
    ]:
        for key, p in named_parameters(ours).items():
            bound = float(getattr(theirs, key).detach().abs().max())
            fan_bound = 1.0 / np.sqrt(50 if isinstance(ours, Linear) else 45)
            assert np.abs(p.data).max() <= fan_bound, f"{ours!r} {key} exceeds 1/sqrt(fan_in)"
            assert bound <= fan_bound
            assert np.abs(p.data).max() > 0.8 * fan_bound, f"{ours!r} {key} is too narrow"
