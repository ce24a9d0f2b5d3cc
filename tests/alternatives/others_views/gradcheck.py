"""numerical_gradient through a flat view of x; relative_error with np.divide."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    flat = x.reshape(-1)  # a view of x: writing to it perturbs x itself
    out = np.zeros(flat.shape, dtype=np.float64)
    for i, value in enumerate(flat.copy()):
        flat[i] = value + h
        up = f(x)
        flat[i] = value - h
        down = f(x)
        flat[i] = value
        out[i] = (up - down) / h / 2
    return out.reshape(x.shape)


def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    denominator = np.maximum(np.abs(a) + np.abs(b), 1e-8)
    return float(np.divide(np.abs(b - a), denominator).max())
