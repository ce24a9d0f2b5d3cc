"""Activation functions: the non-linearities between layers.

A stack of linear layers is still one linear map, however deep. What lets a network bend
is the function applied between the layers, and its *derivative* decides how well the
network trains: backpropagation multiplies the upstream gradient by ``f'(x)`` at every
layer, so a derivative that is often small (sigmoid, tanh in saturation) makes gradients
vanish in deep stacks, and a derivative that is often zero (ReLU for negative inputs)
switches units off for good.

Most activations here act entry by entry: ``y = f(x)`` and ``grad_x = grad_y * f'(x)``
(the Jacobian is diagonal). Softmax and log-softmax couple the entries along one axis;
their backward is a vector-Jacobian product that never builds the Jacobian. Maxout is a
layer with parameters whose output is the maximum of several linear pieces.

Numerics matter as much as the maths: ``exp`` of a large positive number overflows, and
``1 - something close to 1`` loses every digit. Each class shows the stable form.

Every class accepts input of any real dtype and returns float64; elementwise ones accept
any shape. At a kink the derivative is PyTorch's ``x <= 0`` branch.
"""

from __future__ import annotations

import math

import numpy as np

from .base import (  # erf and erfc are support code: numpy has none (see base.py)
    Module,
    Parameter,
    as_float_array,
    check_feature_size,
    check_ndim,
    default_generator,
    erf,
    erfc,
)

__all__ = [
    "Identity",
    "Step",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "PReLU",
    "ELU",
    "SELU",
    "GELU",
    "SiLU",
    "Softplus",
    "Softmax",
    "LogSoftmax",
    "Maxout",
    "erf",
    "erfc",
]

# PyTorch's SELU constants (Klambauer et al., 2017), to the digits PyTorch states them.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)  # GELU's tanh approximation
GELU_KAPPA = 0.044715
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)  # the standard normal density at 0


def _check_dim(x: np.ndarray, dim: int, name: str) -> None:
    """Raise a ValueError unless ``dim`` names an axis of ``x``."""
    if not -x.ndim <= dim < x.ndim:
        raise ValueError(f"{name}(dim={dim}) expects input with axis {dim}, got shape {x.shape}")


# ----------------------------------------------------------------------------------------
# Elementwise activations
# ----------------------------------------------------------------------------------------


class Identity(Module):
    """``y = x``: no activation at all (a linear model, or a placeholder).

    Shapes: any, ``y`` like ``x``. Backward: ``grad_x = grad_y``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        return x
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return grad_y
        ### END SOLUTION


class Step(Module):
    """The Heaviside step of the perceptron: ``y = 1.0 if x > 0 else 0.0``.

    Shapes: any, ``y`` like ``x``. Backward: zeros, because the step is flat everywhere
    except at 0, where it jumps. That is exactly why gradient descent cannot train a
    network of steps, and why smooth "squashing" functions (the sigmoid) replaced it.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        return (x > 0).astype(np.float64)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return np.zeros_like(grad_y)
        ### END SOLUTION


class Sigmoid(Module):
    """The logistic function ``y = 1 / (1 + e^-x)``, squashing any real into (0, 1).

    Shapes: any, ``y`` like ``x``. Forward saves ``self._y``.
    Backward: ``sigmoid'(x) = y (1 - y)``, so ``grad_x = grad_y * y * (1 - y)``.

    The derivative is at most 1/4 (at x = 0) and vanishes in both tails. Through ``L``
    sigmoid layers the gradient shrinks by at least ``4^L``: the *vanishing gradient*
    problem that kept deep sigmoid networks from training. Its outputs are also all
    positive (not zero-centred), which makes the next layer's weight updates zig-zag.

    Stability: ``e^-x`` overflows for ``x < -709``. With ``z = e^{-|x|}``, which lies in
    (0, 1], use ``1 / (1 + z)`` for ``x >= 0`` and the equal ``z / (1 + z)`` for ``x < 0``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        z = np.exp(-np.abs(x))
        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
        return self._y
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return grad_y * self._y * (1.0 - self._y)
        ### END SOLUTION


class Tanh(Module):
    """``y = tanh x = 2 sigmoid(2x) - 1``, squashing into (-1, 1).

    Shapes: any, ``y`` like ``x``. Forward saves ``self._y``.
    Backward: ``tanh'(x) = 1 - y^2``, so ``grad_x = grad_y * (1 - y^2)``.

    Tanh is zero-centred (outputs of both signs, mean near 0 for centred inputs), which
    keeps the next layer's updates from all sharing a sign, and its derivative peaks at 1
    rather than 1/4. It still saturates: for ``|x| > 3`` the gradient is nearly zero.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._y = np.tanh(x)
        return self._y
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return grad_y * (1.0 - self._y * self._y)
        ### END SOLUTION


class ReLU(Module):
    """The rectified linear unit ``y = max(0, x)``.

    Shapes: any, ``y`` like ``x``. Forward saves the mask ``self._mask = x > 0``.
    Backward: ``grad_x = grad_y`` where ``x > 0``, else 0 (ReLU'(0) = 0, as PyTorch).

    The derivative is exactly 1 for every active unit, so gradients pass through many
    layers undiminished, and it costs one comparison. The price: a unit whose input is
    negative for every example gets no gradient at all, so its weights never change
    again. Such *dead ReLUs* appear after a too-large learning rate step.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._mask = x > 0
        return np.where(self._mask, x, 0.0)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return np.where(self._mask, grad_y, 0.0)
        ### END SOLUTION


class LeakyReLU(Module):
    """``y = x if x > 0 else negative_slope * x``.

    Args:
        negative_slope: the slope for negative inputs (PyTorch's default 0.01).

    Shapes: any, ``y`` like ``x``. Forward saves ``self._x``.
    Backward: ``grad_x = grad_y`` where ``x > 0``, else ``negative_slope * grad_y``
    (the slope also at 0).

    The small negative slope keeps a gradient flowing for negative inputs, so a unit
    that drifted into the negative range can recover: leaky ReLUs do not die.
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = float(negative_slope)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._x = x
        return np.where(x > 0, x, self.negative_slope * x)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)
        ### END SOLUTION


class PReLU(Module):
    """Parametric ReLU: a leaky ReLU whose negative slope ``a`` is learned.

    Args:
        num_parameters: 1 (one slope shared by every entry) or the number of channels
            ``C`` (slope ``i`` for channel ``i`` = axis 1; input ``(N, C, ...)``).
        init: the initial slope (PyTorch's default 0.25).

    Parameters: ``weight`` of shape ``(num_parameters,)``.
    Shapes: any (``(N, C, ...)`` when ``num_parameters > 1``), ``y`` like ``x``.
    Forward: ``y = x if x > 0 else a * x``; saves ``self._x`` and the broadcast slopes.
    Backward: ``grad_x = grad_y`` where ``x > 0``, else ``a * grad_y`` (also at 0);
    ``dL/da = sum of grad_y * x over the entries with x <= 0`` that use slope ``a``:
    a shared parameter collects the gradient of every place it is used.
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        super().__init__()
        if int(num_parameters) != num_parameters or num_parameters < 1:
            raise ValueError(f"PReLU num_parameters must be a positive int, got {num_parameters!r}")
        self.num_parameters = int(num_parameters)
        self.weight = Parameter(np.full(self.num_parameters, float(init)))

    def _check_input(self, x: np.ndarray) -> None:
        if self.num_parameters > 1:
            layout = f"(N, {self.num_parameters}, ...)"
            check_ndim(x, tuple(range(2, 33)), "PReLU", layout)
            check_feature_size(x, 1, self.num_parameters, "PReLU", "channels")

    def _slope_shape(self, ndim: int) -> tuple[int, ...]:
        """The shape that broadcasts the weight over the input: ``(1, C, 1, ..., 1)``."""
        if self.num_parameters == 1:
            return ()
        return (1, self.num_parameters) + (1,) * (ndim - 2)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        self._check_input(x)
        ### BEGIN SOLUTION
        self._x = x
        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))
        return np.where(x > 0, x, self._a * x)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        negative = self._x <= 0
        contribution = np.where(negative, grad_y * self._x, 0.0)
        if self.num_parameters == 1:
            self.weight.grad += contribution.sum()
        else:  # sum over every axis but the channel axis
            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))
        return np.where(negative, self._a * grad_y, grad_y)
        ### END SOLUTION


class ELU(Module):
    """Exponential linear unit: ``y = x if x > 0 else alpha (e^x - 1)``.

    Args:
        alpha: the negative saturation value is ``-alpha`` (default 1.0).

    Shapes: any, ``y`` like ``x``. Forward saves ``self._x``.
    Backward: ``grad_x = grad_y`` where ``x > 0``, else ``alpha e^x grad_y``
    (``alpha`` at 0).

    Like leaky ReLU it keeps a gradient for negative inputs, but smoothly: the negative
    part curves towards ``-alpha``, so mean activations move towards zero and large
    negative inputs saturate instead of growing without bound. With ``alpha = 1`` the
    derivative is continuous at 0.

    Stability: ``expm1`` is accurate near 0, and taking it of ``min(x, 0)`` keeps the
    branch that ``where`` throws away from overflowing for large positive ``x``.
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._x = x
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))
        return np.where(self._x > 0, grad_y, slope * grad_y)
        ### END SOLUTION


class SELU(Module):
    """Scaled ELU: ``y = scale * ELU(x, alpha)`` with PyTorch's constants.

    ``alpha = 1.6732632423543772848170429916717``,
    ``scale = 1.0507009873554804934193349852946``.

    Shapes: any, ``y`` like ``x``. Backward: ``scale`` times ELU's backward.

    The constants are chosen so that for a layer with standard-normal inputs and
    LeCun-normal weights (variance ``1/fan_in``) the outputs again have mean 0 and
    variance 1: a stack of SELU layers is *self-normalising*, keeping activations
    from exploding or vanishing without batch normalisation.
    """

    alpha = SELU_ALPHA
    scale = SELU_SCALE

    def __init__(self) -> None:
        super().__init__()
        self._elu = ELU(alpha=SELU_ALPHA)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        return self.scale * self._elu.forward(x)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return self._elu.backward(self.scale * grad_y)
        ### END SOLUTION


class GELU(Module):
    """Gaussian error linear unit: ``y = x Phi(x)``, Phi the standard normal CDF.

    Args:
        approximate: ``"none"`` for the exact ``Phi(x) = erfc(-x / sqrt 2) / 2``, or
            ``"tanh"`` for PyTorch's approximation
            ``y = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``.

    Shapes: any, ``y`` like ``x``. Forward saves ``self._x`` (and ``Phi`` or the tanh).
    Backward (exact): ``dy/dx = Phi(x) + x phi(x)``, ``phi(x) = e^{-x^2/2} / sqrt(2 pi)``;
    (tanh): with ``u = sqrt(2/pi) (x + 0.044715 x^3)`` and ``t = tanh u``,
    ``dy/dx = (1 + t)/2 + x/2 (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)``.

    GELU is a smooth ReLU: it weights ``x`` by the probability that a standard normal
    variable is below it, so it is ~x for large x and ~0 for very negative x, but has a
    gradient everywhere and a small dip below zero. Transformers (BERT, GPT) use it.

    Stability: ``erfc`` keeps ``Phi`` accurate in the left tail. ``x^2`` and ``x^3``
    overflow for huge ``|x|``, so the derivative terms use ``x`` clipped where they have
    long since reached their limits (``phi(40) = 0`` and ``tanh u = +-1`` for
    ``|x| >= 10`` in float64).
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._x = x
        if self.approximate == "tanh":
            xc = np.clip(x, -10.0, 10.0)
            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))
            return 0.5 * x * (1.0 + self._t)
        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))
        return x * self._cdf
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        if self.approximate == "tanh":
            xc, t = np.clip(self._x, -10.0, 10.0), self._t
            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)
            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)
        xc = np.clip(self._x, -40.0, 40.0)
        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)
        return grad_y * (self._cdf + xc * pdf)
        ### END SOLUTION


class SiLU(Module):
    """Sigmoid linear unit (Swish): ``y = x sigmoid(x)``.

    Shapes: any, ``y`` like ``x``. Forward saves ``self._x`` and ``s = sigmoid(x)``
    (through a ``Sigmoid`` module).
    Backward (product rule): ``dy/dx = s + x s (1 - s)``.

    Like GELU a smooth, non-monotonic ReLU (minimum about -0.28 at x ~ -1.28); found by
    automated search and used in EfficientNet and many modern networks.
    """

    def __init__(self) -> None:
        super().__init__()
        self._sigmoid = Sigmoid()

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._x = x
        self._s = self._sigmoid.forward(x)
        return x * self._s
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        s = self._s
        return grad_y * (s + self._x * s * (1.0 - s))
        ### END SOLUTION


class Softplus(Module):
    """``y = log(1 + e^{beta x}) / beta``, and ``y = x`` where ``beta x > threshold``.

    Args:
        beta: sharpness; as ``beta`` grows, softplus approaches ReLU.
        threshold: above it (in ``beta x``) the function is ``x`` to double precision,
            and PyTorch switches to the identity.

    Shapes: any, ``y`` like ``x``. Forward saves ``self._linear`` (the mask where it is
    the identity) and ``sigmoid(beta x)``.
    Backward: ``dy/dx = sigmoid(beta x)``, or 1 where ``beta x > threshold``.

    A smooth ReLU whose derivative is the sigmoid; its output is always positive, so it
    is used where a value must be positive (a standard deviation, a rate).

    Stability: ``log(1 + e^z) = max(z, 0) + log1p(e^{-|z|})`` never exponentiates a
    positive number and keeps the precision of ``log1p`` for very negative ``z``.
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = float(beta)
        self.threshold = float(threshold)
        self._sigmoid = Sigmoid()

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        ### BEGIN SOLUTION
        z = self.beta * x
        self._linear = z > self.threshold
        self._s = self._sigmoid.forward(z)
        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta
        return np.where(self._linear, x, soft)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return np.where(self._linear, grad_y, grad_y * self._s)
        ### END SOLUTION


# ----------------------------------------------------------------------------------------
# Normalised exponentials
# ----------------------------------------------------------------------------------------


class Softmax(Module):
    """``y_i = e^{x_i} / sum_j e^{x_j}`` along axis ``dim``: logits to probabilities.

    Args:
        dim: the axis that is normalised (default the last one).

    Shapes: any with at least one axis, ``y`` like ``x``. Forward saves ``self._y``.
    Backward: the Jacobian is ``dy_i/dx_j = y_i (delta_ij - y_j)``; its product with the
    upstream gradient is ``grad_x = y * (grad_y - sum(grad_y * y, dim))`` (no matrix).

    Shift invariance: ``softmax(x - c) = softmax(x)`` for any ``c`` constant along
    ``dim``, because ``e^{-c}`` cancels. Subtracting the maximum makes every exponent
    ``<= 0``: ``exp`` cannot overflow (``e^{1000}`` is inf, and inf/inf is nan) and the
    largest term is exactly 1, so the sum never underflows to 0 either.
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = int(dim)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        _check_dim(x, self.dim, "Softmax")
        ### BEGIN SOLUTION
        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))
        self._y = e / np.sum(e, axis=self.dim, keepdims=True)
        return self._y
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        y = self._y
        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))
        ### END SOLUTION


class LogSoftmax(Module):
    """``y = log softmax(x) = x - logsumexp(x)`` along axis ``dim``.

    Args:
        dim: the axis that is normalised (default the last one).

    Shapes: any with at least one axis, ``y`` like ``x``. Forward saves the softmax
    ``self._p = e^y``.
    Backward: ``dy_i/dx_j = delta_ij - p_j``, so ``grad_x = grad_y - p * sum(grad_y, dim)``.

    ``log(softmax(x))`` computed literally fails: a probability that underflows to 0
    gives ``log 0 = -inf``. Through the *logsumexp* trick,
    ``logsumexp(x) = m + log sum_j e^{x_j - m}`` with ``m = max x``, every term stays
    finite: log-probabilities of -1000 come out as -1000. Cross-entropy is built on this.
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = int(dim)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        _check_dim(x, self.dim, "LogSoftmax")
        ### BEGIN SOLUTION
        shifted = x - np.max(x, axis=self.dim, keepdims=True)
        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))
        self._p = np.exp(y)
        return y
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)
        ### END SOLUTION


# ----------------------------------------------------------------------------------------
# A learned activation
# ----------------------------------------------------------------------------------------


class Maxout(Module):
    """Maxout (Goodfellow et al., 2013): the maximum of ``pieces`` linear functions.

    Args:
        in_features: ``D``, the size of each input sample.
        out_features: ``M``, the number of output units.
        pieces: ``K``, the number of linear pieces per unit (default 2).
        rng: the generator the initial weights are drawn from (keyword only; default:
            ``base.default_generator()``).

    Parameters: ``weight`` of shape ``(K, M, D)`` and ``bias`` of shape ``(K, M)``, both
    initialised uniformly in ``[-1/sqrt(D), 1/sqrt(D)]`` (PyTorch's ``Linear`` default).
    Shapes: ``x`` is ``(N, D)``, ``y`` is ``(N, M)``.
    Forward: ``z[n, k, j] = x[n] . weight[k, j] + bias[k, j]`` and
    ``y[n, j] = max_k z[n, k, j]``; saves ``self._x`` and the winning piece
    ``self._argmax`` of shape ``(N, M)``.
    Backward: the gradient of a max flows only to the winner (one piece, even on a tie):
    ``grad_z[n, k, j] = grad_y[n, j]`` if ``k`` won, else 0; then as for ``K`` linear
    layers, ``dL/dweight[k] = grad_z[:, k].T @ x``, ``dL/dbias[k] = sum_n grad_z[n, k]``,
    ``grad_x = sum_k grad_z[:, k] @ weight[k]``.

    A maximum of linear functions is convex and piecewise linear, so a maxout unit
    learns its own activation: with two pieces it can be ReLU (``max(w.x, 0)``), leaky
    ReLU or the absolute value. Every unit always has one active piece, so it never dies.
    """

    def __init__(
        self, in_features: int, out_features: int, pieces: int = 2, *, rng: np.random.Generator | None = None
    ) -> None:
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features), ("pieces", pieces)):
            if int(value) != value or value < 1:
                raise ValueError(f"Maxout {name} must be a positive int, got {value!r}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.pieces = int(pieces)
        bound = 1.0 / math.sqrt(self.in_features)
        rng = default_generator() if rng is None else rng
        self.weight = Parameter(rng.uniform(-bound, bound, (self.pieces, self.out_features, self.in_features)))
        self.bias = Parameter(rng.uniform(-bound, bound, (self.pieces, self.out_features)))

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x)
        check_ndim(x, 2, "Maxout", f"(N, {self.in_features})")
        check_feature_size(x, 1, self.in_features, "Maxout", "features")
        ### BEGIN SOLUTION
        self._x = x
        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data
        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece
        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]
        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)
        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)
        self.bias.grad += grad_z.sum(axis=0)
        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)
        ### END SOLUTION
