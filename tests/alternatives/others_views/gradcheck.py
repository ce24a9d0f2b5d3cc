"""numerical_gradient through 0-d views of x's entries; relative_error with np.divide."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    out = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        cell = x[index + (Ellipsis,)]  # a 0-d view of one entry: writing to it perturbs x itself
        value = cell.item()
        cell[()] = value + h
        up = f(x)
        cell[()] = value - h
        down = f(x)
        cell[()] = value
        out[index] = (up - down) / h / 2
    return out


def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    denominator = np.maximum(np.abs(a) + np.abs(b), 1e-8)
    return float(np.divide(np.abs(b - a), denominator).max())
