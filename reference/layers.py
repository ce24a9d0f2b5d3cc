"""Layers: the building blocks with parameters, and the ones that reshape or regularise.

A fully connected layer multiplies by a weight matrix: ``y = x @ W.T + b``. Its backward
pass is three more products with the same matrices, ``dW = grad_y.T @ x``,
``db = sum_n grad_y`` and ``grad_x = grad_y @ W``; every layer below is a variation on
that theme.

* A convolution is a fully connected layer applied to every image patch with the same
  weights. *im2col* copies the patches into the columns of one big matrix, so that the
  whole layer is one matrix product (fast BLAS) and its backward is the Linear backward,
  followed by *col2im*: adding each patch's gradient back where the patch came from.
* Pooling summarises each window by its maximum or mean; it has no parameters, and its
  backward routes each window's gradient to the maximal entry or spreads it evenly.
* Flatten only reshapes; its backward reshapes back.
* Dropout multiplies by a random mask in training and is the identity in evaluation.
* Batch normalisation standardises every channel with the statistics of the batch, so its
  backward must account for every sample's influence on the mean and variance.

Sizes follow PyTorch: an output side is ``H' = 1 + (H + 2*pad - kH) // stride`` (pooling
has ``pad = 0``); the remainder of an input that does not fill a window is ignored.
Every class accepts input of any real dtype and returns float64.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from .base import Module, Parameter, as_float_array, check_feature_size, check_ndim, default_generator, pair

__all__ = [
    "Linear",
    "Conv2d",
    "MaxPool2d",
    "AvgPool2d",
    "Flatten",
    "Dropout",
    "BatchNorm1d",
    "BatchNorm2d",
]


# ----------------------------------------------------------------------------------------
# Support (not an exercise): initialisation and checks shared by the layers.
# ----------------------------------------------------------------------------------------


def _positive_int(value: int, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _uniform(fan_in: int, shape: tuple[int, ...], rng: np.random.Generator) -> Parameter:
    """PyTorch's default for Linear and Conv2d: ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

    (``kaiming_uniform(a=sqrt(5))`` for the weight reduces to the same bound as the bias.)
    """
    bound = 1.0 / math.sqrt(fan_in)
    return Parameter(rng.uniform(-bound, bound, shape))


def _grad_array(grad_y: np.ndarray, shape: tuple[int, ...] | None, name: str) -> np.ndarray:
    """``grad_y`` as float64; an error unless it is shaped like the last forward's output."""
    if shape is None:
        raise RuntimeError(f"{name}.backward called before forward")
    grad_y = as_float_array(grad_y, f"{name} grad_y")
    if grad_y.shape != shape:
        raise ValueError(
            f"{name}.backward expects grad_y of shape {shape} (the output's), got {grad_y.shape}"
        )
    return grad_y


def _output_side(size: int, kernel: int, stride: int, pad: int) -> int:
    """``H' = 1 + (H + 2*pad - kH) // stride``: the number of whole windows along one axis."""
    return 1 + (size + 2 * pad - kernel) // stride


# ----------------------------------------------------------------------------------------
# Fully connected and convolutional layers
# ----------------------------------------------------------------------------------------


class Linear(Module):
    """Fully connected layer ``y = x @ weight.T + bias``.

    Args:
        in_features: ``D``, the size of each input sample.
        out_features: ``M``, the size of each output sample.
        bias: whether to learn an additive bias (``self.bias`` is ``None`` otherwise).
        rng: the generator the initial weights are drawn from (keyword only; default:
            ``base.default_generator()``, seeded by ``manual_seed``).

    Parameters: ``weight (M, D)`` and ``bias (M,)``, both ``U(-1/sqrt(D), 1/sqrt(D))``.
    Shapes: ``x`` is ``(N, D)``, ``y`` is ``(N, M)``.
    Forward: ``y = x @ W.T + b``; saves the input ``self._x``.
    Backward: ``dL/dW = grad_y.T @ x`` (each weight collects input times output gradient
    over the batch), ``dL/db = sum_n grad_y[n]`` and ``grad_x = grad_y @ W``.

    The weight is stored ``(out, in)`` as in PyTorch: row ``j`` holds the weights *into*
    output unit ``j``, and the bound ``1/sqrt(D)`` keeps the output variance from growing
    with the number of inputs.
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, *, rng: np.random.Generator | None = None
    ) -> None:
        super().__init__()
        self.in_features = _positive_int(in_features, "Linear in_features")
        self.out_features = _positive_int(out_features, "Linear out_features")
        rng = default_generator() if rng is None else rng
        self.weight = _uniform(self.in_features, (self.out_features, self.in_features), rng)
        self.bias = _uniform(self.in_features, (self.out_features,), rng) if bias else None
        self._y_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "Linear input")
        check_ndim(x, 2, "Linear", f"(N, {self.in_features})")
        check_feature_size(x, 1, self.in_features, "Linear", "input features")
        self._y_shape = (x.shape[0], self.out_features)
        ### BEGIN SOLUTION
        self._x = x
        y = x @ self.weight.data.T
        if self.bias is not None:
            y += self.bias.data
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "Linear")
        ### BEGIN SOLUTION
        self.weight.grad += grad_y.T @ self._x
        if self.bias is not None:
            self.bias.grad += grad_y.sum(axis=0)
        grad_x = grad_y @ self.weight.data
        ### END SOLUTION
        return grad_x

    def __repr__(self) -> str:
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None})")


class Conv2d(Module):
    """2-D convolution as in PyTorch (a cross-correlation: the kernel is not flipped).

    Args:
        in_channels: ``C``. out_channels: ``F``, the number of filters.
        kernel_size: ``(kH, kW)``, or one int for a square kernel.
        stride: ``(sH, sW)`` or one int (default 1). padding: ``(pH, pW)`` or one int
            (default 0) rows/columns of zeros added on each side.
        bias: whether to learn one additive bias per filter.
        rng: the generator the initial weights are drawn from (keyword only; default:
            ``base.default_generator()``).

    Parameters: ``weight (F, C, kH, kW)`` and ``bias (F,)``, both
    ``U(-1/sqrt(C*kH*kW), 1/sqrt(C*kH*kW))`` (PyTorch's default).
    Shapes: ``x (N, C, H, W) -> y (N, F, H', W')`` with
    ``H' = 1 + (H + 2*pH - kH) // sH`` and ``W' = 1 + (W + 2*pW - kW) // sW``.
    Forward: with ``xp`` the zero-padded input,
    ``y[n, f, p, q] = b[f] + sum_{c, i, j} w[f, c, i, j] * xp[n, c, p*sH + i, q*sW + j]``.
    im2col lays every window out as one column of ``cols (C*kH*kW, N*H'*W')``; then
    ``y = w.reshape(F, -1) @ cols + b``, one matrix product. Forward saves ``self._cols``
    (needed for the weight gradient) and the padded shape ``self._xp_shape``.
    Backward: ``G = grad_y`` as ``(F, N*H'*W')``: ``dL/dw = G @ cols.T``,
    ``dL/db = G.sum(1)``, ``dcols = w.reshape(F, -1).T @ G``; col2im adds each column
    back onto the window it came from (one strided slice per kernel offset ``(i, j)``,
    overlapping windows accumulate) and drops the padding.

    A filter sees only a small window (local connectivity) and every window is processed
    with the same filter (weight sharing): ``C*kH*kW + 1`` numbers per filter however large
    the image, and a pattern is detected wherever it appears (translation equivariance).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        bias: bool = True,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.in_channels = _positive_int(in_channels, "Conv2d in_channels")
        self.out_channels = _positive_int(out_channels, "Conv2d out_channels")
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = pair(stride, "stride")
        self.padding = pair(padding, "padding")
        if min(self.kernel_size) < 1 or min(self.stride) < 1 or min(self.padding) < 0:
            raise ValueError(
                f"Conv2d needs kernel_size >= 1, stride >= 1 and padding >= 0, got "
                f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
            )
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        rng = default_generator() if rng is None else rng
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.weight = _uniform(fan_in, shape, rng)
        self.bias = _uniform(fan_in, (self.out_channels,), rng) if bias else None
        self._y_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "Conv2d input")
        check_ndim(x, 4, "Conv2d", "(N, C, H, W)")
        check_feature_size(x, 1, self.in_channels, "Conv2d", "input channels")
        N, C, H, W = x.shape
        (kH, kW), (sH, sW), (pH, pW) = self.kernel_size, self.stride, self.padding
        if H + 2 * pH < kH or W + 2 * pW < kW:
            raise ValueError(
                f"Conv2d kernel {self.kernel_size} is larger than the padded input "
                f"{(H + 2 * pH, W + 2 * pW)} (input shape {x.shape}, padding {self.padding})"
            )
        Ho, Wo = _output_side(H, kH, sH, pH), _output_side(W, kW, sW, pW)
        self._y_shape = (N, self.out_channels, Ho, Wo)
        ### BEGIN SOLUTION
        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))
        xp[:, :, pH:pH + H, pW:pW + W] = x
        windows = self._windows(xp, Ho, Wo)  # (C, kH, kW, N, H', W'), a view: no copy yet
        # im2col, the one copy: row (c, i, j), column (n, p, q)
        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)
        self._xp_shape = xp.shape
        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols
        if self.bias is not None:
            y += self.bias.data[:, None]
        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view
        ### END SOLUTION
        return y

    def _windows(self, xp: np.ndarray, Ho: int, Wo: int) -> np.ndarray:
        """Every window of the padded ``xp (N, C, Hp, Wp)`` as a strided view, no copy.

        Returns ``v`` of shape ``(C, kH, kW, N, H', W')`` with
        ``v[c, i, j, n, p, q] = xp[n, c, p*sH + i, q*sW + j]``: one step along ``p`` moves
        ``sH`` rows in memory, one step along ``i`` one row. The view shares ``xp``'s
        memory, so adding into ``v[:, i, j]`` adds into ``xp`` (col2im does); for one
        offset ``(i, j)`` those entries are distinct.
        """
        ### BEGIN SOLUTION
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        sN, sC, sR, sQ = xp.strides  # bytes per step along each axis
        return as_strided(
            xp, (xp.shape[1], kH, kW, xp.shape[0], Ho, Wo), (sC, sR, sQ, sN, sH * sR, sW * sQ)
        )
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "Conv2d")
        N, F, Ho, Wo = grad_y.shape
        (kH, kW), (pH, pW) = self.kernel_size, self.padding
        ### BEGIN SOLUTION
        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols
        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)
        if self.bias is not None:
            self.bias.grad += G.sum(axis=1)
        dcols = self.weight.data.reshape(F, -1).T @ G
        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)
        # col2im: the windows of forward, now a view of grad_xp. For one kernel offset
        # (i, j) they are disjoint; over all offsets they overlap and the sums accumulate.
        grad_xp = np.zeros(self._xp_shape)
        windows = self._windows(grad_xp, Ho, Wo)
        for i in range(kH):
            for j in range(kW):
                window = windows[:, i, j]
                window += dcols[:, i, j]
        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW
        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]
        ### END SOLUTION
        return grad_x

    def __repr__(self) -> str:
        return (f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, bias={self.bias is not None})")


# ----------------------------------------------------------------------------------------
# Pooling
# ----------------------------------------------------------------------------------------


class _Pool2d(Module):
    """What max and average pooling share: the window sizes and the input checks."""

    def __init__(
        self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None
    ) -> None:
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride")
        if min(self.kernel_size) < 1 or min(self.stride) < 1:
            raise ValueError(
                f"{type(self).__name__} needs kernel_size >= 1 and stride >= 1, got "
                f"kernel_size={self.kernel_size}, stride={self.stride}"
            )
        self._y_shape: tuple[int, ...] | None = None

    def _check(self, x: np.ndarray) -> np.ndarray:
        """``x`` as float64 ``(N, C, H, W)`` holding at least one window; sets the output shape."""
        name = type(self).__name__
        x = as_float_array(x, f"{name} input")
        check_ndim(x, 4, name, "(N, C, H, W)")
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        if x.shape[2] < kH or x.shape[3] < kW:
            raise ValueError(
                f"{name} window {self.kernel_size} is larger than the input's (H, W) = "
                f"{x.shape[2:]} (input shape {x.shape})"
            )
        Ho, Wo = _output_side(x.shape[2], kH, sH, 0), _output_side(x.shape[3], kW, sW, 0)
        self._y_shape = (*x.shape[:2], Ho, Wo)
        return x

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool2d(_Pool2d):
    """Max pooling: the largest entry of each ``kH x kW`` window, channel by channel.

    Args:
        kernel_size: ``(kH, kW)`` or one int.
        stride: ``(sH, sW)`` or one int; defaults to ``kernel_size`` (disjoint windows).

    Shapes: ``x (N, C, H, W) -> y (N, C, H', W')`` with ``H' = 1 + (H - kH) // sH`` and
    ``W' = 1 + (W - kW) // sW``.
    Forward: ``y[n, c, p, q] = max_{i, j} x[n, c, p*sH + i, q*sW + j]``; saves the input
    shape and ``self._argmax (N, C, H', W')``, the flat offset ``i*kW + j`` of each
    window's maximum.
    Backward: the maximum is the only entry that moved ``y``, so the whole gradient of a
    window goes to it (to exactly one entry, even on a tie); the others get 0. Where
    windows overlap (stride < kernel), an entry collects the gradient of every window it
    is the maximum of.

    Pooling makes the representation smaller and a little invariant to small shifts; it
    has no parameters.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check(x)
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        ### BEGIN SOLUTION
        self._x_shape = x.shape
        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]
        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)
        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie
        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "MaxPool2d")
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        Ho, Wo = grad_y.shape[2:]
        ### BEGIN SOLUTION
        grad_x = np.zeros(self._x_shape)
        for i in range(kH):
            for j in range(kW):
                won = self._argmax == i * kW + j
                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)
        ### END SOLUTION
        return grad_x


class AvgPool2d(_Pool2d):
    """Average pooling: the mean of each ``kH x kW`` window, channel by channel.

    Args:
        kernel_size: ``(kH, kW)`` or one int.
        stride: ``(sH, sW)`` or one int; defaults to ``kernel_size`` (disjoint windows).

    Shapes: ``x (N, C, H, W) -> y (N, C, H', W')`` with ``H' = 1 + (H - kH) // sH`` and
    ``W' = 1 + (W - kW) // sW``.
    Forward: ``y[n, c, p, q] = 1/(kH*kW) * sum_{i, j} x[n, c, p*sH + i, q*sW + j]``; saves
    only the input shape (the mean is linear: its gradient does not depend on ``x``).
    Backward: every entry of a window receives ``grad_y / (kH*kW)`` of that window;
    overlapping windows accumulate, entries in no window get 0.

    Average pooling is a convolution with a fixed, uniform kernel applied to each channel
    separately.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check(x)
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        ### BEGIN SOLUTION
        self._x_shape = x.shape
        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]
        y = windows.mean(axis=(4, 5))
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "AvgPool2d")
        (kH, kW), (sH, sW) = self.kernel_size, self.stride
        Ho, Wo = grad_y.shape[2:]
        ### BEGIN SOLUTION
        share = grad_y / (kH * kW)
        grad_x = np.zeros(self._x_shape)
        for i in range(kH):
            for j in range(kW):
                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share
        ### END SOLUTION
        return grad_x


# ----------------------------------------------------------------------------------------
# Reshaping and regularisation
# ----------------------------------------------------------------------------------------


class Flatten(Module):
    """Flatten every sample into a vector: ``(N, d1, d2, ...) -> (N, d1*d2*...)``.

    Forward: a row-major (C-order) reshape, as PyTorch's ``Flatten()``; saves the input
    shape ``self._x_shape``. Backward: reshape the gradient back to that shape.

    The bridge from convolutional feature maps to fully connected layers; it moves no
    numbers, so its gradient is the identity up to the shape.
    """

    def __init__(self) -> None:
        super().__init__()
        self._y_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "Flatten input")
        if x.ndim < 2:
            raise ValueError(
                f"Flatten expects input of shape (N, d1, ...) with at least 2 dimensions, "
                f"got shape {x.shape}"
            )
        self._y_shape = (x.shape[0], math.prod(x.shape[1:]))
        ### BEGIN SOLUTION
        self._x_shape = x.shape
        y = x.reshape(self._y_shape)
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "Flatten")
        ### BEGIN SOLUTION
        grad_x = grad_y.reshape(self._x_shape)
        ### END SOLUTION
        return grad_x


class Dropout(Module):
    """Inverted dropout (Srivastava et al., 2014): in training, zero each entry with probability
    ``p`` and scale the survivors by ``1/(1-p)``; in evaluation, the identity.

    Args:
        p: the probability of dropping an entry, ``0 <= p <= 1``.
        rng: the generator the masks are drawn from (keyword only; default:
            ``base.default_generator()``, so ``manual_seed`` makes the masks reproducible).

    Attributes:
        rng: the ``numpy.random.Generator`` that draws the masks (may be reassigned).

    Shapes: any; ``y`` is shaped like ``x``.
    Forward (training): ``mask = (u >= p) / (1 - p)`` with ``u ~ U[0, 1)`` entry-wise
    (all zeros when ``p = 1``), ``y = x * mask``; saves ``self._mask``. In evaluation
    ``y = x`` and ``self._mask`` is ``None``.
    Backward: ``grad_x = grad_y * mask``, the same mask: the dropped entries did not
    influence the output.

    Scaling at training time ("inverted") keeps the expected output equal to ``x``
    (``E[mask] = 1``), so evaluation needs no rescaling. A unit cannot rely on any
    particular other unit being present, which discourages co-adaptation.
    """

    def __init__(self, p: float = 0.5, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if isinstance(p, bool) or not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p!r}")
        self.p = float(p)
        self.rng = default_generator() if rng is None else rng
        self._y_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "Dropout input")
        self._y_shape = x.shape
        ### BEGIN SOLUTION
        if self.training:
            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1
            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf
            self._mask = keep * scale
            y = x * self._mask
        else:
            self._mask = None
            y = x
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "Dropout")
        ### BEGIN SOLUTION
        grad_x = grad_y if self._mask is None else grad_y * self._mask
        ### END SOLUTION
        return grad_x

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


# ----------------------------------------------------------------------------------------
# Batch normalisation
# ----------------------------------------------------------------------------------------


class _BatchNorm(Module):
    """Batch normalisation over every axis but the channel axis 1 (shared by 1d and 2d).

    Subclasses only say which input layouts they accept (``_ndims``, ``_layout``).
    """

    _ndims: tuple[int, ...] = ()
    _layout = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        name = type(self).__name__
        self.num_features = _positive_int(num_features, f"{name} num_features")
        if momentum is None:  # PyTorch's cumulative average: not part of the exercise API
            raise ValueError(f"{name} supports a float momentum only, got None")
        if not eps > 0.0 or not 0.0 <= momentum <= 1.0:
            raise ValueError(
                f"{name} needs eps > 0 and 0 <= momentum <= 1, got eps={eps}, momentum={momentum}"
            )
        self.eps = float(eps)
        self.momentum = float(momentum)
        self.weight = Parameter(np.ones(self.num_features))
        self.bias = Parameter(np.zeros(self.num_features))
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)
        self._y_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        name = type(self).__name__
        x = as_float_array(x, f"{name} input")
        check_ndim(x, self._ndims, name, self._layout)
        check_feature_size(x, 1, self.num_features, name, "channels")
        count = x.size // self.num_features  # values per channel: N (* H * W)
        if self.training and count == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {x.shape}"
            )
        self._y_shape = x.shape
        axes = (0, *range(2, x.ndim))  # every axis but the channels
        shape = (1, -1) + (1,) * (x.ndim - 2)  # a (C,) vector broadcast along axis 1
        ### BEGIN SOLUTION
        if self.training:
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch
            m = self.momentum
            self.running_mean *= 1.0 - m
            self.running_mean += m * mean
            self.running_var *= 1.0 - m
            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate
        else:
            mean, var = self.running_mean, self.running_var
        self._batch_stats = self.training
        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)
        self._x_hat = (x - mean.reshape(shape)) * self._inv_std
        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, type(self).__name__)
        axes = (0, *range(2, grad_y.ndim))
        shape = (1, -1) + (1,) * (grad_y.ndim - 2)
        ### BEGIN SOLUTION
        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)
        self.bias.grad += grad_y.sum(axis=axes)
        grad_x_hat = grad_y * self.weight.data.reshape(shape)
        if self._batch_stats:
            # The mean and variance depend on every sample: subtract the gradient's
            # component along the constant direction and along x_hat.
            grad_x = self._inv_std * (
                grad_x_hat
                - grad_x_hat.mean(axis=axes, keepdims=True)
                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)
            )
        else:
            grad_x = grad_x_hat * self._inv_std  # running statistics are constants
        ### END SOLUTION
        return grad_x

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.num_features}, eps={self.eps}, "
                f"momentum={self.momentum})")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation (Ioffe & Szegedy, 2015) of features ``(N, C)`` (or ``(N, C, L)``).

    Args:
        num_features: ``C``.
        eps: added to the variance before the square root.
        momentum: weight of the newest batch in the running statistics.

    Parameters: ``weight`` (``gamma``, ones) and ``bias`` (``beta``, zeros), shape ``(C,)``.
    Buffers: ``running_mean`` (zeros) and ``running_var`` (ones), shape ``(C,)``.
    Forward (training): per channel, over the batch (and ``L``), ``mu`` and the biased
    variance ``var``; ``x_hat = (x - mu) / sqrt(var + eps)``, ``y = gamma * x_hat + beta``.
    The buffers move towards the batch: ``running = (1 - momentum) * running +
    momentum * batch``, storing the *unbiased* variance ``var * m/(m-1)`` (``m`` values
    per channel), as PyTorch. (Evaluation): ``mu, var`` are the buffers instead.
    Forward saves ``self._x_hat``, ``self._inv_std = 1/sqrt(var + eps)`` and whether the
    batch statistics were used.
    Backward: ``dL/dgamma = sum grad_y * x_hat``, ``dL/dbeta = sum grad_y``; with
    ``g = grad_y * gamma``, in training
    ``grad_x = inv_std * (g - mean(g) - x_hat * mean(g * x_hat))`` (means per channel);
    in evaluation ``grad_x = g * inv_std``, the buffers being constants.

    Normalising keeps each layer's input distribution steady while the earlier layers
    learn, which allows larger learning rates; ``gamma`` and ``beta`` give the layer back
    the freedom to choose any scale and offset. A training batch needs more than one
    value per channel, or every ``x_hat`` would be 0.
    """

    _ndims = (2, 3)
    _layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of images ``(N, C, H, W)``: statistics per channel over N, H, W.

    Args, parameters, buffers, forward and backward as ``BatchNorm1d``, with the means
    taken over the ``N*H*W`` values of each channel: a feature map is normalised as a
    whole, so the layer stays a convolution (the same affine map at every position).
    """

    _ndims = (4,)
    _layout = "(N, C, H, W)"
