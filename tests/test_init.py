"""Tests for reference/init.py: PyTorch's gains, fans and the initialisers' statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from nnlab.reference import init

GAIN_CASES = [
    pytest.param("linear", None, 1.0, id="linear"),
    pytest.param("conv2d", None, 1.0, id="conv2d"),
    pytest.param("conv_transpose3d", None, 1.0, id="conv_transpose3d"),
    pytest.param("sigmoid", None, 1.0, id="sigmoid"),
    pytest.param("tanh", None, 5 / 3, id="tanh"),
    pytest.param("relu", None, math.sqrt(2), id="relu"),
    pytest.param("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2)), id="leaky_relu-default"),
    pytest.param("leaky_relu", 0.2, math.sqrt(2 / 1.04), id="leaky_relu-0.2"),
    pytest.param("leaky_relu", 0, math.sqrt(2), id="leaky_relu-0-is-relu"),
    pytest.param("leaky_relu", math.sqrt(5), math.sqrt(1 / 3), id="leaky_relu-sqrt5"),
    pytest.param("selu", None, 0.75, id="selu"),
]


@pytest.mark.parametrize(("nonlinearity", "param", "gain"), GAIN_CASES)
def test_calculate_gain_matches_pytorch_table(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-15)


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [
        pytest.param("softmax", None, id="unknown"),
        pytest.param("leaky_relu", True, id="bool-slope"),
        pytest.param("leaky_relu", "0.1", id="string-slope"),
    ],
)
def test_calculate_gain_rejects_what_pytorch_rejects(nonlinearity, param):
    with pytest.raises(ValueError):
        init.calculate_gain(nonlinearity, param)


FAN_CASES = [
    pytest.param((3, 5), (5, 3), id="linear-(out,in)"),
    pytest.param((7, 1), (1, 7), id="linear-1-input"),
    pytest.param((4, 3, 2, 5), (30, 40), id="conv2d-rectangular"),
    pytest.param((6, 2, 3), (6, 18), id="conv1d"),
    pytest.param((2, 3, 1, 1), (3, 2), id="conv-1x1"),
]


@pytest.mark.parametrize(("shape", "fans"), FAN_CASES)
def test_fan_in_and_fan_out(shape, fans):
    assert init.fan_in_and_fan_out(shape) == fans


@pytest.mark.parametrize("shape", [(), (5,)])
def test_fans_need_two_dimensions(shape):
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.fan_in_and_fan_out(shape)


def _std(name: str, shape, **kwargs) -> float:
    """The standard deviation each initialiser promises, from the formulas in the docstrings."""
    fan_in, fan_out = init.fan_in_and_fan_out(shape)
    if name.startswith("xavier"):
        return kwargs.get("gain", 1.0) * math.sqrt(2 / (fan_in + fan_out))
    fan = fan_in if kwargs.get("mode", "fan_in") == "fan_in" else fan_out
    gain = init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0.0))
    return gain / math.sqrt(fan)


INIT_CASES = [
    pytest.param("xavier_uniform", (400, 300), {}, id="xavier_uniform"),
    pytest.param("xavier_uniform", (64, 32, 3, 3), {"gain": 5 / 3}, id="xavier_uniform-conv-tanh"),
    pytest.param("xavier_normal", (300, 500), {}, id="xavier_normal"),
    pytest.param("xavier_normal", (32, 16, 5, 5), {"gain": 2.0}, id="xavier_normal-conv-gain"),
    pytest.param("kaiming_uniform", (500, 200), {}, id="kaiming_uniform-relu"),
    pytest.param("kaiming_uniform", (256, 300), {"a": math.sqrt(5)}, id="kaiming_uniform-pytorch-default"),
    pytest.param("kaiming_uniform", (64, 16, 3, 3), {"mode": "fan_out"}, id="kaiming_uniform-fan_out"),
    pytest.param("kaiming_normal", (400, 300), {}, id="kaiming_normal"),
    pytest.param(
        "kaiming_normal",
        (300, 400),
        {"mode": "fan_out", "nonlinearity": "relu"},
        id="kaiming_normal-fan_out-relu",
    ),
    pytest.param("kaiming_normal", (200, 500), {"nonlinearity": "tanh"}, id="kaiming_normal-tanh"),
]


@pytest.mark.parametrize(("name", "shape", "kwargs"), INIT_CASES)
def test_initialiser_statistics_match_the_formulas(name, shape, kwargs):
    """Large draws: zero mean, the promised std, and (uniform) the bound sqrt(3) * std."""
    weight = getattr(init, name)(shape, rng=np.random.default_rng(0), **kwargs)
    assert weight.shape == shape and weight.dtype == np.float64
    std = _std(name, shape, **kwargs)
    # Over >= 1e5 draws the sample std is within ~0.5% of the true one; allow 2%.
    assert weight.std() == pytest.approx(std, rel=0.02), f"{name}: std"
    assert abs(weight.mean()) < 0.02 * std, f"{name}: mean"
    if name.endswith("uniform"):
        bound = math.sqrt(3) * std
        assert np.abs(weight).max() <= bound, f"{name}: a draw beyond the bound {bound}"
        assert np.abs(weight).max() > 0.999 * bound, f"{name}: the draws do not reach the bound"


def test_pytorch_default_linear_init_is_one_over_sqrt_fan_in():
    """kaiming_uniform(a=sqrt(5)) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's Linear init."""
    weight = init.kaiming_uniform((50, 400), a=math.sqrt(5), rng=np.random.default_rng(1))
    assert np.abs(weight).max() == pytest.approx(1 / math.sqrt(400), rel=1e-3)


@pytest.mark.parametrize("name", ["xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"])
def test_initialisers_are_reproducible_and_fresh(name):
    make = getattr(init, name)
    first = make((3, 4), rng=np.random.default_rng(7))
    np.testing.assert_array_equal(first, make((3, 4), rng=np.random.default_rng(7)))
    assert not np.array_equal(make((3, 4)), make((3, 4))), "rng=None must give a fresh generator"


@pytest.mark.parametrize("name", ["kaiming_uniform", "kaiming_normal"])
def test_kaiming_rejects_an_unknown_mode(name):
    with pytest.raises(ValueError, match="fan_in"):
        getattr(init, name)((3, 4), mode="fan_avg")
