# ruff: noqa: F811, F821, E402  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different initialisers: the tests append this file to the reference module; later
# definitions win. Every component must score full marks.

# ---- fans as numpy ints, in a list ----
def fan_in_and_fan_out(shape):
    shape = np.asarray(shape, dtype=np.int64)
    if shape.size < 2:
        raise ValueError("at least 2 dimensions")
    return [np.prod(shape[1:]), shape[0] * np.prod(shape[2:])]


# ---- normal entries by Box-Muller from two uniform draws ----
def xavier_normal(shape, gain=1.0, rng=None):
    shape = tuple(int(s) for s in shape)
    rng = default_generator() if rng is None else rng
    fan_in, fan_out = fan_in_and_fan_out(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    u1 = 1.0 - rng.random(shape)  # in (0, 1]: log is finite
    u2 = rng.random(shape)
    return std * np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


# ---- uniform entries from random integers, the bound computed from the variance ----
def kaiming_uniform(shape, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    shape = tuple(int(s) for s in shape)
    _check_mode(mode)
    rng = default_generator() if rng is None else rng
    fan_in, fan_out = fan_in_and_fan_out(shape)
    variance = calculate_gain(nonlinearity, a) ** 2 / (fan_in if mode == "fan_in" else fan_out)
    bound = math.sqrt(3.0 * variance)
    steps = 2**53
    return bound * (2.0 * rng.integers(0, steps, size=shape) / steps - 1.0)
