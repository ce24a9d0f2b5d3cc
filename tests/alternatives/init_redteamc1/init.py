# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different initialisers found by red-teaming the release checker (round 3).


# xavier_uniform from rng.random scaled to [-b, b); xavier_normal from standard normals times std.
def xavier_uniform(shape, gain=1.0, rng=None):
    shape = _weight_shape(shape, "xavier_uniform")
    rng = default_generator() if rng is None else rng
    fan_in, fan_out = fan_in_and_fan_out(shape)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return (2.0 * rng.random(shape) - 1.0) * bound


def xavier_normal(shape, gain=1.0, rng=None):
    shape = _weight_shape(shape, "xavier_normal")
    rng = default_generator() if rng is None else rng
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return rng.standard_normal(shape) * (gain * math.sqrt(2.0 / (fan_in + fan_out)))


# kaiming_normal with the fan looked up in a dict; fans computed with np.prod.
def kaiming_normal(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    shape = _weight_shape(shape, "kaiming_normal")
    _check_mode(mode)
    rng = default_generator() if rng is None else rng
    fans = dict(zip(("fan_in", "fan_out"), fan_in_and_fan_out(shape)))
    return rng.standard_normal(shape) * (calculate_gain(nonlinearity, a) / math.sqrt(fans[mode]))


def fan_in_and_fan_out(shape):
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ValueError(f"fan in and fan out need a weight of at least 2 dimensions, got shape {shape}")
    field = int(np.prod(shape[2:], dtype=np.int64))
    return shape[1] * field, shape[0] * field
