"""Initialisers written the way torch.nn.init spells them: bounds first, fans by a loop."""

from __future__ import annotations

import math

import numpy as np

from .base import default_generator


def calculate_gain(nonlinearity, param=None):
    if nonlinearity in ("linear", "identity", "sigmoid") or nonlinearity.startswith("conv"):
        return 1
    if nonlinearity == "tanh":
        return 5 / 3
    if nonlinearity == "relu":
        return 2**0.5
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return (2 / (1 + slope * slope)) ** 0.5
    if nonlinearity == "selu":
        return 3 / 4
    raise ValueError(nonlinearity)


def fan_in_and_fan_out(shape):
    receptive_field = 1
    for side in list(shape)[2:]:
        receptive_field *= side
    return int(shape[1]) * int(receptive_field), int(shape[0]) * int(receptive_field)


def _generator(rng):
    return default_generator() if rng is None else rng


def xavier_uniform(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    a = gain * math.sqrt(6.0 / float(fan_in + fan_out))
    return np.asarray(_generator(rng).uniform(low=-a, high=a, size=[int(s) for s in shape]), dtype=np.float64)


def xavier_normal(shape, gain=1.0, rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _generator(rng).normal(loc=0.0, scale=std, size=[int(s) for s in shape])


def kaiming_uniform(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = {"fan_in": fan_in, "fan_out": fan_out}[mode]
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return _generator(rng).uniform(-bound, bound, [int(s) for s in shape])


def kaiming_normal(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    fan_in, fan_out = fan_in_and_fan_out(shape)
    fan = {"fan_in": fan_in, "fan_out": fan_out}[mode]
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return np.float64(std) * _generator(rng).normal(size=[int(s) for s in shape])
