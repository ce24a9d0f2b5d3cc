"""reference/init.py against torch.nn.init: the same gains, fans, bounds and standard deviations."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="PyTorch (the test-only oracle) is not installed: pip install torch==2.13.0"
)

from nnlab.reference import init  # noqa: E402

pytestmark = pytest.mark.torch

GAINS = [
    pytest.param(name, param, id=f"{name}-{param}")
    for name, param in [
        ("linear", None),
        ("conv1d", None),
        ("conv2d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.3),
        ("leaky_relu", math.sqrt(5)),
        ("selu", None),
    ]
]


@pytest.mark.parametrize(("nonlinearity", "param"), GAINS)
def test_gain_matches_torch(nonlinearity, param):
    expected = torch.nn.init.calculate_gain(nonlinearity, param)
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(expected, rel=1e-15)


SHAPES = [(3, 5), (7, 1), (4, 3, 2, 5), (6, 2, 3), (2, 3, 1, 1)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_fans_match_torch(shape):
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert init.fan_in_and_fan_out(shape) == tuple(expected)


CASES = [
    pytest.param("xavier_uniform_", "xavier_uniform", {"gain": 5 / 3}, id="xavier_uniform"),
    pytest.param("xavier_normal_", "xavier_normal", {"gain": 1.0}, id="xavier_normal"),
    pytest.param("kaiming_uniform_", "kaiming_uniform", {"a": math.sqrt(5)}, id="kaiming_uniform"),
    pytest.param(
        "kaiming_normal_",
        "kaiming_normal",
        {"mode": "fan_out", "nonlinearity": "relu"},
        id="kaiming_normal-fan_out",
    ),
]


@pytest.mark.parametrize(("torch_name", "name", "kwargs"), CASES)
@pytest.mark.parametrize("shape", [(256, 384), (48, 24, 3, 3)], ids=["dense", "conv"])
def test_statistics_match_torch(torch_name, name, kwargs, shape):
    """Same distribution: sample std (and uniform bound) agree with torch's draws to ~2%."""
    torch.manual_seed(0)
    expected = getattr(torch.nn.init, torch_name)(torch.empty(shape), **kwargs).numpy()
    actual = getattr(init, name)(shape, rng=np.random.default_rng(0), **kwargs)
    assert actual.std() == pytest.approx(expected.std(), rel=0.03), "standard deviation"
    if name.endswith("uniform"):
        assert np.abs(actual).max() == pytest.approx(np.abs(expected).max(), rel=1e-3), "bound"
