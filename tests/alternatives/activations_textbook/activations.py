"""Activations as a textbook writes them, overflow warnings and all: must score full marks.

API.md allows warnings (overflow in ``exp``) and forbids only nan or inf where the true
value is finite. ``1 / (1 + exp(-x))`` overflows to ``1 / inf = 0`` for very negative x,
which is the right limit; ELU and Softplus evaluate ``exp`` on the branch ``np.where``
throws away. Backward passes use the input (never the output), Softmax's backward builds
each row's Jacobian explicitly, and parameters live in a plain class of their own.
"""

import math

import numpy as np

from .base import Module


class Parameter:
    def __init__(self, data):
        self.data = np.array(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))  # exp(1000) = inf (a warning), 1 / inf = 0: right


class Identity(Module):
    def forward(self, x):
        return np.array(x, dtype=float)

    def backward(self, grad_y):
        return np.array(grad_y, dtype=float)


class Step(Module):
    def forward(self, x):
        return np.where(np.asarray(x) > 0, 1.0, 0.0)

    def backward(self, grad_y):
        return 0.0 * np.asarray(grad_y, dtype=float)


class Sigmoid(Module):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return sigmoid(self.x)

    def backward(self, grad_y):
        s = sigmoid(self.x)
        return grad_y * s * (1 - s)


class Tanh(Module):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return np.tanh(self.x)

    def backward(self, grad_y):
        return grad_y * (1 - np.tanh(self.x) ** 2)


class ReLU(Module):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return self.x * (self.x > 0)

    def backward(self, grad_y):
        return grad_y * (self.x > 0)


class LeakyReLU(Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return np.where(self.x > 0, self.x, self.negative_slope * self.x)

    def backward(self, grad_y):
        return np.where(self.x > 0, 1.0, self.negative_slope) * grad_y


class PReLU(Module):
    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        self.weight = Parameter(np.full((num_parameters,), init))

    def parameters(self):  # base.Module's looks for base.Parameter, not this class
        return [self.weight]

    def _shape(self, x):
        if self.weight.data.size == 1:
            return (1,) * x.ndim
        return (1, -1) + (1,) * (x.ndim - 2)

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        a = self.weight.data.reshape(self._shape(self.x))
        return np.where(self.x > 0, self.x, a * self.x)

    def backward(self, grad_y):
        a = self.weight.data.reshape(self._shape(self.x))
        d_a = np.where(self.x > 0, 0.0, self.x) * grad_y
        axes = tuple(range(self.x.ndim)) if self.weight.data.size == 1 else (0, *range(2, self.x.ndim))
        self.weight.grad = self.weight.grad + d_a.sum(axis=axes).reshape(self.weight.grad.shape)
        return np.where(self.x > 0, 1.0, a) * grad_y


class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return np.where(self.x > 0, self.x, self.alpha * (np.exp(self.x) - 1))

    def backward(self, grad_y):
        return grad_y * np.where(self.x > 0, 1.0, self.alpha * np.exp(self.x))


class SELU(Module):
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return self.scale * np.where(self.x > 0, self.x, self.alpha * (np.exp(self.x) - 1))

    def backward(self, grad_y):
        return self.scale * grad_y * np.where(self.x > 0, 1.0, self.alpha * np.exp(self.x))


class GELU(Module):
    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return self.x * self._phi(self.x)

    def _phi(self, x):
        if self.approximate == "tanh":
            return 0.5 * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
        return np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x.ravel()]).reshape(x.shape)

    def backward(self, grad_y):
        x = self.x
        if self.approximate == "tanh":
            t = np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))
            dt = (1 - t**2) * math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * x**2)
            dt = np.where(np.abs(x) > 20, 0.0, dt)  # 0 * inf where tanh has long saturated
            return grad_y * (0.5 * (1 + t) + 0.5 * np.where(np.abs(x) > 20, 0.0, x) * dt)
        pdf = np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
        return grad_y * (self._phi(x) + x * pdf)


class SiLU(Module):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        return self.x / (1 + np.exp(-self.x))

    def backward(self, grad_y):
        s = sigmoid(self.x)
        return grad_y * (s + self.x * s * (1 - s))


class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        bx = self.beta * self.x
        return np.where(bx > self.threshold, self.x, np.log(1 + np.exp(bx)) / self.beta)

    def backward(self, grad_y):
        bx = self.beta * self.x
        return grad_y * np.where(bx > self.threshold, 1.0, sigmoid(bx))


class Softmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        e = np.exp(x - x.max(axis=self.dim, keepdims=True))
        self.y = e / e.sum(axis=self.dim, keepdims=True)
        return self.y

    def backward(self, grad_y):
        y = np.moveaxis(self.y, self.dim, -1)
        g = np.moveaxis(np.asarray(grad_y, dtype=float), self.dim, -1)
        out = np.empty(y.shape)
        for index in np.ndindex(*y.shape[:-1]):
            row = y[index]
            jacobian = np.diag(row) - np.outer(row, row)  # dy_i/dx_j = y_i (delta_ij - y_j)
            out[index] = jacobian.T @ g[index]
        return np.moveaxis(out, -1, self.dim)


class LogSoftmax(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        m = x.max(axis=self.dim, keepdims=True)
        self.y = x - m - np.log(np.exp(x - m).sum(axis=self.dim, keepdims=True))
        return self.y

    def backward(self, grad_y):
        softmax = np.exp(self.y)
        return grad_y - softmax * np.sum(grad_y, axis=self.dim, keepdims=True)


class Maxout(Module):
    def __init__(self, in_features, out_features, pieces=2):
        super().__init__()
        self.weight = Parameter(np.random.randn(pieces, out_features, in_features) / math.sqrt(in_features))
        self.bias = Parameter(np.zeros((pieces, out_features)))

    def parameters(self):
        return [self.weight, self.bias]

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        z = np.einsum("nd,kmd->nmk", self.x, self.weight.data) + self.bias.data.T
        self.k = z.argmax(axis=-1)  # (N, M)
        return z.max(axis=-1)

    def backward(self, grad_y):
        K = self.weight.data.shape[0]
        onehot = np.eye(K)[self.k] * np.asarray(grad_y)[..., None]  # (N, M, K)
        self.weight.grad = self.weight.grad + np.einsum("nmk,nd->kmd", onehot, self.x)
        self.bias.grad = self.bias.grad + onehot.sum(axis=0).T
        return np.einsum("nmk,kmd->nd", onehot, self.weight.data)
