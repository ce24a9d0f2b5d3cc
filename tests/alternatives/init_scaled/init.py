"""Initialisers from rng.random and rng.standard_normal, scaled by hand; gains from a table."""

import math

import numpy as np
from base import default_generator

_GAINS = {
    "linear": lambda slope: 1.0,
    "identity": lambda slope: 1.0,
    "conv1d": lambda slope: 1.0,
    "conv2d": lambda slope: 1.0,
    "conv3d": lambda slope: 1.0,
    "sigmoid": lambda slope: 1.0,
    "tanh": lambda slope: 5.0 / 3.0,
    "relu": lambda slope: math.sqrt(2.0),
    "leaky_relu": lambda slope: math.sqrt(2.0 / (1.0 + (0.01 if slope is None else slope) ** 2)),
    "selu": lambda slope: 0.75,
}


def calculate_gain(nonlinearity, param=None):
    if nonlinearity not in _GAINS:
        raise ValueError(f"Unsupported nonlinearity {nonlinearity!r}")
    return _GAINS[nonlinearity](param)


def fan_in_and_fan_out(shape):
    dims = [int(s) for s in shape]
    if len(dims) < 2:
        raise ValueError(f"need at least 2 dimensions, got {dims}")
    field = int(np.prod(dims[2:])) if len(dims) > 2 else 1
    return dims[1] * field, dims[0] * field


def _uniform(rng, shape, bound):
    return bound * (2.0 * rng.random(tuple(shape)) - 1.0)  # U(-b, b) from U(0, 1)


def _normal(rng, shape, std):
    return std * rng.standard_normal(tuple(shape))


def xavier_uniform(shape, gain=1.0, rng=None):
    rng = rng if rng is not None else default_generator()
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return _uniform(rng, shape, gain * math.sqrt(6.0 / (fan_in + fan_out)))


def xavier_normal(shape, gain=1.0, rng=None):
    rng = rng if rng is not None else default_generator()
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return _normal(rng, shape, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def _kaiming_std(shape, a, mode, nonlinearity):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fans = dict(zip(("fan_in", "fan_out"), fan_in_and_fan_out(shape), strict=True))
    return calculate_gain(nonlinearity, a) / math.sqrt(fans[mode])


def kaiming_uniform(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    rng = rng if rng is not None else default_generator()
    return _uniform(rng, shape, math.sqrt(3.0) * _kaiming_std(shape, a, mode, nonlinearity))


def kaiming_normal(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    rng = rng if rng is not None else default_generator()
    return _normal(rng, shape, _kaiming_std(shape, a, mode, nonlinearity))
