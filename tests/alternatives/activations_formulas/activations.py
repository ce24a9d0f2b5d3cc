"""Activations through other, equally stable formulas: must score full marks.

sigmoid via tanh, tanh via exp of -2|x|, softplus via logaddexp, softmax via logsumexp,
GELU's Phi via ``math.erfc`` (vectorised), SiLU's derivative from its output, SELU
written out, Maxout breaking ties towards the *last* maximal piece. Backward passes that
can be written from the output store only the output. Relative imports (``from .base``).
"""

import math

import numpy as np

from .base import Module, Parameter

ALPHA = 1.6732632423543772848170429916717
LAMBDA = 1.0507009873554804934193349852946

_erfc = np.vectorize(math.erfc, otypes=[float])


def sigmoid(x):
    return 0.5 + 0.5 * np.tanh(0.5 * x)  # tanh never overflows


def logsumexp(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    return m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


class Identity(Module):
    def forward(self, x):
        return np.asarray(x, dtype=np.float64)  # the input itself when it is float64: allowed

    def backward(self, grad_y):
        return np.asarray(grad_y, dtype=np.float64)


class Step(Module):
    def forward(self, x):
        return np.heaviside(np.asarray(x, dtype=np.float64), 0.0)

    def backward(self, grad_y):
        return np.zeros_like(grad_y, dtype=np.float64)


class Sigmoid(Module):
    def forward(self, x):
        self.y = sigmoid(np.asarray(x, dtype=np.float64))
        return self.y

    def backward(self, grad_y):
        return grad_y * (self.y - self.y**2)


class Tanh(Module):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        e = np.exp(-2.0 * np.abs(x))  # in (0, 1]: no overflow
        self.y = np.sign(x) * (1.0 - e) / (1.0 + e)
        return self.y

    def backward(self, grad_y):
        return grad_y * (1.0 - self.y) * (1.0 + self.y)


class ReLU(Module):
    def forward(self, x):
        self.y = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
        return self.y

    def backward(self, grad_y):
        return grad_y * (self.y > 0)  # y > 0 exactly where x > 0


class LeakyReLU(Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.slope = np.where(x > 0, 1.0, self.negative_slope)
        return x * self.slope

    def backward(self, grad_y):
        return grad_y * self.slope


class PReLU(Module):
    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        self.weight = Parameter(init * np.ones(num_parameters))

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        # Channels last, so the (C,) weight broadcasts; moved back at the end.
        self.channels_last = np.moveaxis(x, 1, -1) if self.weight.data.size > 1 else x
        self.negative = np.minimum(self.channels_last, 0.0)
        y = np.maximum(self.channels_last, 0.0) + self.weight.data * self.negative
        return np.moveaxis(y, -1, 1) if self.weight.data.size > 1 else y

    def backward(self, grad_y):
        g = np.moveaxis(grad_y, 1, -1) if self.weight.data.size > 1 else np.asarray(grad_y)
        contribution = (g * self.negative).reshape(-1, self.weight.data.size)
        self.weight.grad += contribution.sum(axis=0)
        grad = np.where(self.channels_last > 0, g, self.weight.data * g)
        return np.moveaxis(grad, -1, 1) if self.weight.data.size > 1 else grad


class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.positive = x > 0
        self.y = np.where(self.positive, x, self.alpha * (np.exp(np.where(self.positive, 0.0, x)) - 1.0))
        return self.y

    def backward(self, grad_y):
        return grad_y * np.where(self.positive, 1.0, self.y + self.alpha)  # y' = y + alpha for x <= 0


class SELU(Module):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.positive = x > 0
        self.y = LAMBDA * np.where(self.positive, x, ALPHA * np.expm1(np.where(self.positive, 0.0, x)))
        return self.y

    def backward(self, grad_y):
        return grad_y * np.where(self.positive, LAMBDA, self.y + LAMBDA * ALPHA)


class GELU(Module):
    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        if self.approximate == "tanh":
            u = math.sqrt(2.0 / math.pi) * (self.x + 0.044715 * np.clip(self.x, -1e3, 1e3) ** 3)
            self.s = sigmoid(2.0 * u)  # (1 + tanh u) / 2 = sigmoid(2u)
            self.du = math.sqrt(2.0 / math.pi) * (1.0 + 3 * 0.044715 * np.clip(self.x, -1e3, 1e3) ** 2)
            return self.x * self.s
        self.cdf = 0.5 * _erfc(-self.x / math.sqrt(2.0))
        return self.x * self.cdf

    def backward(self, grad_y):
        if self.approximate == "tanh":
            # d/dx [x sigmoid(2u)] = s + x * 2 s (1 - s) u'
            return grad_y * (self.s + self.x * 2.0 * self.s * (1.0 - self.s) * self.du)
        density = np.exp(-0.5 * np.minimum(self.x**2, 1e4)) / math.sqrt(2.0 * math.pi)
        return grad_y * (self.cdf + self.x * density)


class SiLU(Module):
    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        self.s = sigmoid(self.x)
        self.y = self.x * self.s
        return self.y

    def backward(self, grad_y):
        return grad_y * (self.y + self.s * (1.0 - self.y))  # s + x s (1 - s) = y + s (1 - y)


class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        z = self.beta * x
        self.linear = z > self.threshold
        self.z = z
        return np.where(self.linear, x, np.logaddexp(0.0, z) / self.beta)

    def backward(self, grad_y):
        return np.where(self.linear, 1.0, sigmoid(self.z)) * grad_y


class Softmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.y = np.exp(x - logsumexp(x, self.dim))
        return self.y

    def backward(self, grad_y):
        inner = np.einsum("...,...->...", grad_y, self.y).sum(axis=self.dim, keepdims=True)
        return self.y * grad_y - self.y * inner


class LogSoftmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.y = x - logsumexp(x, self.dim)
        return self.y

    def backward(self, grad_y):
        return grad_y - np.exp(self.y) * grad_y.sum(axis=self.dim, keepdims=True)


class Maxout(Module):
    def __init__(self, in_features, out_features, pieces=2):
        super().__init__()
        k = 1.0 / math.sqrt(in_features)
        rng = np.random.default_rng()
        self.weight = Parameter(rng.uniform(-k, k, (pieces, out_features, in_features)))
        self.bias = Parameter(rng.uniform(-k, k, (pieces, out_features)))

    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        # one (N, M) array per piece
        pieces = [self.x @ w.T + b for w, b in zip(self.weight.data, self.bias.data, strict=True)]
        z = np.stack(pieces)  # (K, N, M)
        K = z.shape[0]
        self.winner = K - 1 - np.argmax(z[::-1], axis=0)  # on a tie, the last maximal piece
        return np.max(z, axis=0)

    def backward(self, grad_y):
        grad_x = np.zeros_like(self.x)
        for k in range(self.weight.data.shape[0]):
            g = np.where(self.winner == k, grad_y, 0.0)  # (N, M)
            self.weight.grad[k] += g.T @ self.x
            self.bias.grad[k] += g.sum(axis=0)
            grad_x += g @ self.weight.data[k]
        return grad_x
