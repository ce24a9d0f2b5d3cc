"""numerical_gradient through x.flat (writes into x itself, contiguous or not); relative_error with clip."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.empty(x.shape)
    for i in range(x.size):
        saved = x.flat[i]
        x.flat[i] = saved + h
        plus = f(x)
        x.flat[i] = saved - h
        minus = f(x)
        x.flat[i] = saved
        grad.flat[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), 1e-8, None))
