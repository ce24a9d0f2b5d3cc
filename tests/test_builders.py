"""Tests for reference/builders.py: the CNN pattern, the MLP, sizes from the formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from nnlab.reference import activations, layers
from nnlab.reference.builders import (
    ACTIVATIONS,
    build_cnn,
    build_mlp,
    conv_output_size,
    reset_parameters,
)
from nnlab.reference.models import Sequential


def kinds(model: Sequential) -> list[str]:
    return [type(layer).__name__ for layer in model.layers]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((8, 3, 1, 1), 8, id="same-padding"),
        pytest.param((8, 3, 1, 0), 6, id="valid"),
        pytest.param((7, 2, 2, 0), 3, id="pool-odd"),
        pytest.param((8, 2, 2, 0), 4, id="pool-even"),
        pytest.param((5, 4, 1, 2), 6, id="even-kernel-grows"),
        pytest.param((9, 3, 3, 1), 3, id="strided"),
    ],
)
def test_conv_output_size(args, expected):
    assert conv_output_size(*args) == expected


def test_build_mlp_alternates_linear_and_activation():
    model = build_mlp([4, 16, 8, 3], activation="tanh")
    assert kinds(model) == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    shapes = [layer.weight.data.shape for layer in model.layers[::2]]
    assert shapes == [(16, 4), (8, 16), (3, 8)]
    assert model.forward(np.ones((5, 4))).shape == (5, 3)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_build_mlp_knows_every_listed_activation(name):
    model = build_mlp([2, 3, 1], activation=name)
    assert type(model.layers[1]) is getattr(activations, ACTIVATIONS[name])


def test_build_mlp_accepts_a_factory_and_rejects_unknown_names():
    model = build_mlp([2, 3, 1], activation=lambda: activations.LeakyReLU(0.2))
    assert model.layers[1].negative_slope == 0.2
    with pytest.raises(ValueError, match="relu"):
        build_mlp([2, 3, 1], activation="swishy")
    with pytest.raises(ValueError, match="two positive sizes"):
        build_mlp([5])


CNN_CASES = [
    pytest.param({}, (1, 8, 8), "CRP" + "CRP" + "F" + "LR" + "L", id="default"),
    pytest.param(
        {"conv_channels": (4,), "convs_per_block": 2, "hidden": ()},
        (1, 8, 8),
        "CRCRP" + "F" + "L",
        id="N2-M1-K0",
    ),
    pytest.param(
        {"conv_channels": (4, 6, 8), "pool": False, "hidden": (10, 7), "kernel_size": 5},
        (3, 9, 7),
        "CRCRCR" + "F" + "LRLR" + "L",
        id="no-pool-k5-rectangular",
    ),
    pytest.param(
        {"conv_channels": (2, 3), "hidden": (5,), "num_classes": 4},
        (2, 11, 6),
        "CRP" + "CRP" + "F" + "LR" + "L",
        id="odd-sides",
    ),
]
SYMBOLS = {"C": "Conv2d", "R": "ReLU", "P": "MaxPool2d", "F": "Flatten", "L": "Linear"}


@pytest.mark.parametrize(("kwargs", "input_shape", "pattern"), CNN_CASES)
def test_build_cnn_follows_the_pattern_and_its_sizes_fit(kwargs, input_shape, pattern):
    model = build_cnn(input_shape=input_shape, rng=np.random.default_rng(0), **kwargs)
    assert kinds(model) == [SYMBOLS[s] for s in pattern]
    out = model.forward(np.random.default_rng(1).standard_normal((2, *input_shape)))
    assert out.shape == (2, kwargs.get("num_classes", 10))
    grad = model.backward(np.ones_like(out))
    assert grad.shape == (2, *input_shape)


def test_build_cnn_computes_the_flattened_size_from_the_formulas():
    model = build_cnn(input_shape=(1, 11, 6), conv_channels=(3, 5), hidden=(7,))
    first_dense = next(layer for layer in model.layers if type(layer).__name__ == "Linear")
    # 11x6 -> pool 5x3 -> pool 2x1, with 5 channels
    assert first_dense.weight.data.shape == (7, 5 * 2 * 1)
    conv = model.layers[0]
    assert conv.weight.data.shape == (3, 1, 3, 3)


def test_build_cnn_refuses_to_pool_a_map_away():
    with pytest.raises(ValueError, match="pools a 1x1 map"):
        build_cnn(input_shape=(1, 8, 8), conv_channels=(2, 2, 2, 2))


@pytest.mark.parametrize("build", [lambda rng: build_mlp([6, 5, 2], rng=rng), lambda rng: build_cnn(rng=rng)])
def test_builders_with_a_seed_are_reproducible(build):
    a, b = build(np.random.default_rng(5)), build(np.random.default_rng(5))
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
    c = build(np.random.default_rng(6))
    assert not np.array_equal(a.parameters()[0].data, c.parameters()[0].data)


def test_reset_parameters_uses_pytorchs_default_bounds():
    model = reset_parameters(Sequential(layers.Linear(400, 300), layers.Conv2d(16, 8, 3)), np.random.default_rng(0))
    for layer, fan_in in zip(model.layers, (400, 16 * 9), strict=True):
        bound = 1 / math.sqrt(fan_in)
        for p in (layer.weight, layer.bias):
            assert p.data.dtype == np.float64
            assert np.abs(p.data).max() <= bound
        assert np.abs(layer.weight.data).max() > 0.95 * bound
