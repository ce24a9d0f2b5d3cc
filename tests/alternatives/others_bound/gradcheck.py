"""numerical_gradient over flat positions with np.unravel_index, probing x itself;
relative_error with np.divide(where=...)."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for position in range(x.size):
        index = np.unravel_index(position, x.shape)
        saved = x[index]
        x[index] = saved + h
        plus = f(x)
        x[index] = saved - h
        minus = f(x)
        x[index] = saved
        grad[index] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denominator = np.maximum(np.abs(a) + np.abs(b), 1e-8)
    ratio = np.divide(np.abs(a - b), denominator, out=np.zeros(np.broadcast(a, b).shape), where=denominator > 0)
    return float(ratio.max()) if ratio.size else 0.0
