"""Activations without the support module, pure duck typing: must score full marks.

No base class and no import of ``base``: an own ``Param`` class (``data`` and ``grad``),
an own ``_Layer`` mixin for ``training``/``train``/``eval``/``parameters`` that finds
parameters by attribute, every elementwise function defined by a (function, derivative)
pair, results written into preallocated arrays with ``out=``, parameter gradients added
in place with ``np.add(..., out=)``, private state under unusual names, and constructors
that accept extra keyword arguments with defaults.
"""

import math

import numpy as np

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class Param:
    def __init__(self, value):
        self.data = np.array(value, dtype=float)
        self.grad = np.zeros(self.data.shape)


class _Layer:
    training = True  # a class attribute until train()/eval() sets the instance's

    def parameters(self):
        return [v for v in self.__dict__.values() if isinstance(v, Param)]

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self


def _stable_sigmoid(x, out=None):
    out = np.empty(x.shape) if out is None else out
    z = np.exp(-np.abs(x))
    np.divide(np.where(x >= 0, 1.0, z), 1.0 + z, out=out)
    return out


class _Pointwise(_Layer):
    """y = f(x), grad_x = grad_y * f'(x): subclasses give ``_f`` and ``_df``."""

    def forward(self, x):
        self._cache_in = np.array(x, dtype=np.float64, copy=True)
        return self._f(self._cache_in)

    def backward(self, grad_y):
        grad = np.empty(self._cache_in.shape)
        np.multiply(grad_y, self._df(self._cache_in), out=grad)
        return grad


class Identity(_Pointwise):
    def _f(self, x):
        return x

    def _df(self, x):
        return np.ones(x.shape)


class Step(_Pointwise):
    def _f(self, x):
        return np.greater(x, 0).astype(np.float64)

    def _df(self, x):
        return np.zeros(x.shape)


class Sigmoid(_Pointwise):
    def _f(self, x):
        return _stable_sigmoid(x)

    def _df(self, x):
        s = _stable_sigmoid(x)
        return s * (1 - s)


class Tanh(_Pointwise):
    def _f(self, x):
        return np.tanh(x)

    def _df(self, x):
        return 1.0 / np.cosh(np.clip(x, -300, 300)) ** 2  # sech^2, cosh clipped below overflow


class ReLU(_Pointwise):
    def _f(self, x):
        out = np.zeros(x.shape)
        np.copyto(out, x, where=x > 0)
        return out

    def _df(self, x):
        return (x > 0).astype(float)


class LeakyReLU(_Pointwise):
    def __init__(self, negative_slope=0.01, inplace=False):  # PyTorch's extra flag, ignored
        self.negative_slope = negative_slope

    def _f(self, x):
        return np.where(x <= 0, self.negative_slope * x, x)

    def _df(self, x):
        return np.where(x <= 0, self.negative_slope, 1.0)


class ELU(_Pointwise):
    def __init__(self, alpha=1.0, inplace=False):
        self.alpha = alpha

    def _f(self, x):
        negative = x <= 0
        out = x.copy()
        out[negative] = self.alpha * np.expm1(x[negative])
        return out

    def _df(self, x):
        negative = x <= 0
        out = np.ones(x.shape)
        out[negative] = self.alpha * np.exp(x[negative])
        return out


class SELU(_Pointwise):
    def _f(self, x):
        return SELU_SCALE * ELU(SELU_ALPHA)._f(x)

    def _df(self, x):
        return SELU_SCALE * ELU(SELU_ALPHA)._df(x)


class GELU(_Pointwise):
    _erf = staticmethod(np.frompyfunc(math.erf, 1, 1))

    def __init__(self, approximate="none"):
        self.approximate = approximate

    def _cdf(self, x):
        if self.approximate == "tanh":
            c = math.sqrt(2 / math.pi)
            xc = np.clip(x, -50, 50)
            return 0.5 * (1 + np.tanh(c * (xc + 0.044715 * xc**3)))
        return 0.5 * (1 + self._erf(x / math.sqrt(2)).astype(np.float64))

    def _f(self, x):
        return x * self._cdf(x)

    def _df(self, x):
        xc = np.clip(x, -50, 50)
        if self.approximate == "tanh":
            c = math.sqrt(2 / math.pi)
            t = np.tanh(c * (xc + 0.044715 * xc**3))
            return 0.5 * (1 + t) + 0.5 * xc * (1 - t * t) * c * (1 + 0.134145 * xc * xc)
        return self._cdf(x) + xc * np.exp(-xc * xc / 2) / math.sqrt(2 * math.pi)


class SiLU(_Pointwise):
    def _f(self, x):
        return x * _stable_sigmoid(x)

    def _df(self, x):
        s = _stable_sigmoid(x)
        return s + x * s * (1 - s)


class Softplus(_Pointwise):
    def __init__(self, beta=1.0, threshold=20.0):
        self.beta, self.threshold = float(beta), float(threshold)

    def _f(self, x):
        bx = self.beta * x
        soft = (np.log1p(np.exp(-np.abs(bx))) + np.maximum(bx, 0)) / self.beta
        return np.where(bx > self.threshold, x, soft)

    def _df(self, x):
        bx = self.beta * x
        return np.where(bx > self.threshold, 1.0, _stable_sigmoid(bx))


class PReLU(_Layer):
    def __init__(self, num_parameters=1, init=0.25):
        self.weight = Param([init] * num_parameters)

    def _a(self, ndim):
        n = self.weight.data.size
        return self.weight.data if n == 1 else self.weight.data.reshape([1, n] + [1] * (ndim - 2))

    def forward(self, x):
        self._inp = np.array(x, dtype=np.float64)
        return np.where(self._inp > 0, self._inp, self._a(self._inp.ndim) * self._inp)

    def backward(self, grad_y):
        x = self._inp
        neg = np.where(x > 0, 0.0, x * grad_y)
        if self.weight.data.size == 1:
            np.add(self.weight.grad, neg.sum(), out=self.weight.grad)
        else:
            axes = tuple(i for i in range(x.ndim) if i != 1)
            np.add(self.weight.grad, neg.sum(axis=axes), out=self.weight.grad)
        return np.where(x > 0, grad_y, self._a(x.ndim) * grad_y)


class Softmax(_Layer):
    def __init__(self, dim=-1):
        self.dim = dim

    def forward(self, x):
        x = np.array(x, dtype=np.float64)
        x -= x.max(axis=self.dim, keepdims=True)  # our own copy: safe to modify
        np.exp(x, out=x)
        x /= x.sum(axis=self.dim, keepdims=True)
        self._probs = x
        return x

    def backward(self, grad_y):
        p = self._probs
        return p * grad_y - p * np.sum(p * grad_y, axis=self.dim, keepdims=True)


class LogSoftmax(_Layer):
    def __init__(self, dim=-1):
        self.dim = dim

    def forward(self, x):
        x = np.array(x, dtype=np.float64)
        shifted = x - x.max(axis=self.dim, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=self.dim, keepdims=True))
        self._out = out
        return out

    def backward(self, grad_y):
        total = np.sum(grad_y, axis=self.dim, keepdims=True)
        return grad_y - np.exp(self._out) * total


class Maxout(_Layer):
    def __init__(self, in_features, out_features, pieces=2, seed=None):
        rng = np.random.default_rng(seed)
        bound = in_features**-0.5
        self.weight = Param(rng.uniform(-bound, bound, size=(pieces, out_features, in_features)))
        self.bias = Param(rng.uniform(-bound, bound, size=(pieces, out_features)))

    def forward(self, x):
        self._inp = np.array(x, dtype=np.float64)
        z = np.tensordot(self._inp, self.weight.data, axes=([1], [2]))  # (N, K, M)
        z += self.bias.data[None]
        self._onehot = np.zeros(z.shape, dtype=bool)
        best = z.argmax(axis=1)
        n, m = np.indices(best.shape)
        self._onehot[n, best, m] = True
        return z[n, best, m]

    def backward(self, grad_y):
        gz = self._onehot * np.asarray(grad_y)[:, None, :]  # (N, K, M)
        np.add(self.weight.grad, np.tensordot(gz, self._inp, axes=([0], [0])), out=self.weight.grad)
        np.add(self.bias.grad, gz.sum(axis=0), out=self.bias.grad)
        return np.tensordot(gz, self.weight.data, axes=([1, 2], [0, 1]))
