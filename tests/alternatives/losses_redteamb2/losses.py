# ruff: noqa: F811, E402, B905, E731  (the alternatives redefine the reference's names, after its code)
# Correct-but-different implementations found by red-teaming the graders (round 2): the reference
# module first, then each alternative, whose classes and functions replace the reference's
# (later definitions win). Every component here must score full marks.
"""Loss functions: one number that says how wrong the network is, and its gradient.

Training minimises a scalar ``L(input, target)``. Backpropagation starts here: ``backward``
returns ``dL/dinput``, shaped like ``input``, and the network carries it back layer by layer.
Every loss below averages over the batch (PyTorch's ``reduction='mean'``), so the gradient
carries a factor ``1/N`` and the size of a step does not grow with the batch size.

Two lessons run through this page. First, a loss must be finite where the maths is not:
``log 0`` and ``exp(1000)`` appear as soon as a network becomes confident. Second, pairing a
loss with the last activation (sigmoid + binary cross-entropy, softmax + cross-entropy)
both removes those overflows and collapses the gradient to "prediction minus target".

``forward(input, target)`` returns a Python float; ``backward()`` returns a float64 array.
"""

from __future__ import annotations

import numpy as np

from .base import Loss, as_float_array, check_ndim

__all__ = ["MSELoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "HingeLoss"]

LOG_CLAMP = -100.0  # PyTorch's BCELoss floor for each log: -log(0) becomes 100, not inf
BCE_GRAD_EPS = 1e-12  # PyTorch's floor for p(1-p) in BCELoss's backward


def _same_shape(name: str, x: np.ndarray, target: np.ndarray) -> None:
    """Reject a target that does not match the input (PyTorch would broadcast, with a warning)."""
    if x.shape != target.shape:
        raise ValueError(
            f"{name} expects target of the same shape as input, got input {x.shape} and target {target.shape}"
        )
    if x.size == 0:
        raise ValueError(f"{name} needs a non-empty input (the mean of nothing is undefined)")


def _class_indices(name: str, target: object, x: np.ndarray) -> np.ndarray:
    """Validate integer class labels ``(N,)`` in ``0..C-1`` for logits ``x`` of shape ``(N, C)``.

    PyTorch requires an integer (long) tensor. We also accept a float array whose values are
    whole numbers (``np.array([0., 2.])``, common after loading data), but reject fractional
    values, booleans and non-numbers. PyTorch's ``ignore_index=-100`` is not supported: every
    label must be a valid class.
    """
    labels = np.asarray(target)
    N, C = x.shape
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError(
                f"{name} expects integer class indices as target, got non-integer values "
                f"{labels[~np.isfinite(labels) | (labels != np.round(labels))][:5]}"
            )
    elif labels.dtype.kind not in "iu":
        raise TypeError(f"{name} expects integer class indices as target, got dtype {labels.dtype}")
    if labels.shape != (N,):
        raise ValueError(
            f"{name} expects target of shape (N,) = ({N},) for input of shape {x.shape}, got shape {labels.shape}"
        )
    if N and (labels.min() < 0 or labels.max() >= C):
        bad = labels[(labels < 0) | (labels >= C)]
        raise ValueError(f"{name} expects class indices in 0..{C - 1} for {C} classes, got {bad[:5]}")
    return labels.astype(np.intp)


class MSELoss(Loss):
    """Mean squared error: the average of ``(input - target)^2`` over all entries.

    Shapes: ``input`` and ``target`` any shape, the same; ``M`` = number of entries.

    Forward:  ``L = (1/M) sum (x - t)^2``.
    Backward: ``dL/dx = 2 (x - t) / M``.

    The idea: the loss of regression, and the negative log-likelihood of a Gaussian with fixed
    variance. The gradient is proportional to the error itself, so big mistakes are
    corrected fast and outliers pull hard. Saved for backward: ``self._diff = x - t``.
    """

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        x = as_float_array(input, "MSELoss input")
        t = as_float_array(target, "MSELoss target")
        _same_shape("MSELoss", x, t)
        ### BEGIN SOLUTION
        self._diff = x - t
        loss = np.mean(self._diff**2)
        return float(loss)
        ### END SOLUTION

    def backward(self) -> np.ndarray:
        ### BEGIN SOLUTION
        return 2.0 * self._diff / self._diff.size
        ### END SOLUTION


class BCELoss(Loss):
    """Binary cross-entropy on probabilities.

    Shapes: ``input`` = probabilities ``p`` in [0, 1], ``target`` = ``t`` in [0, 1] (hard 0/1
    labels or soft ones), any shape, the same; ``M`` = number of entries.

    Forward:  ``L = -(1/M) sum [t * max(log p, -100) + (1 - t) * max(log(1 - p), -100)]``.
    Backward: ``dL/dp = (p - t) / max(p (1 - p), 1e-12) / M`` (PyTorch's formula).

    The idea: the negative log-likelihood of Bernoulli labels. A confident wrong answer
    (``p = 0`` for ``t = 1``) would cost ``-log 0 = inf`` and turn every weight into ``nan``;
    clamping each log at -100 caps the cost at 100 per entry. The backward formula is the
    derivative of the unclamped loss, ``-t/p + (1-t)/(1-p) = (p-t)/(p(1-p))``, with the
    denominator floored at 1e-12 so it stays finite (and huge) at ``p = 0`` or ``1``. Use
    ``log1p(-p)`` for ``log(1 - p)``: it keeps its accuracy when ``p`` is tiny.
    Saved for backward: ``self._p``, ``self._t``.
    """

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        p = as_float_array(input, "BCELoss input")
        t = as_float_array(target, "BCELoss target")
        _same_shape("BCELoss", p, t)
        for what, values in (("input (probabilities)", p), ("target", t)):
            if not np.all((values >= 0.0) & (values <= 1.0)):
                raise ValueError(f"BCELoss expects every entry of {what} in [0, 1]")
        ### BEGIN SOLUTION
        self._p, self._t = p, t
        with np.errstate(divide="ignore"):  # log(0) = -inf, which the clamp turns into -100
            log_p = np.maximum(np.log(p), LOG_CLAMP)
            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)
        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)
        return float(loss)
        ### END SOLUTION

    def backward(self) -> np.ndarray:
        ### BEGIN SOLUTION
        p, t = self._p, self._t
        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size
        ### END SOLUTION


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits: ``BCELoss(sigmoid(x), t)`` fused into one stable formula.

    Shapes: ``input`` = logits ``x`` (any real), ``target`` = ``t``, any shape, the same;
    ``M`` = number of entries.

    Forward:  ``L = (1/M) sum [max(x, 0) - x t + log(1 + exp(-|x|))]``.
    Backward: ``dL/dx = (sigmoid(x) - t) / M``.

    The idea: ``-t log sigmoid(x) - (1-t) log(1 - sigmoid(x))`` simplifies to
    ``log(1 + e^x) - x t``, and ``log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)`` never
    exponentiates a positive number, so no logit overflows and no probability rounds to
    exactly 0 or 1 before its log is taken (no clamp needed). The gradient collapses to
    "prediction minus target": the sigmoid's derivative ``s(1-s)`` cancels the ``1/(s(1-s))``
    of the log, so a confident wrong answer gets the largest gradient, not a vanishing one.
    The sigmoid is computed stably from ``z = exp(-|x|)``: ``1/(1+z)`` for ``x >= 0`` and
    ``z/(1+z)`` otherwise. Saved for backward: ``self._s = sigmoid(x)``, ``self._t``.
    """

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        x = as_float_array(input, "BCEWithLogitsLoss input")
        t = as_float_array(target, "BCEWithLogitsLoss target")
        _same_shape("BCEWithLogitsLoss", x, t)
        ### BEGIN SOLUTION
        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))
        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)
        self._t = t
        return float(loss)
        ### END SOLUTION

    def backward(self) -> np.ndarray:
        ### BEGIN SOLUTION
        return (self._s - self._t) / self._s.size
        ### END SOLUTION


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy on logits with integer class labels.

    Shapes: ``input`` = logits ``x`` of shape ``(N, C)``; ``target`` = labels ``y`` of shape
    ``(N,)`` with values in ``0..C-1`` (integers, or floats holding whole numbers).

    Forward:  ``L = -(1/N) sum_n log softmax(x_n)[y_n]``, with the stable log-softmax
    ``log softmax(x)_j = (x_j - m) - log sum_k exp(x_k - m)``, ``m = max_k x_k``.
    Backward: ``dL/dx = (softmax(x) - onehot(y)) / N``.

    The idea: softmax turns scores into a distribution, and the loss is the surprise of the
    true class. Subtracting the row maximum changes nothing (softmax is invariant to adding
    a constant to a row) but makes the largest exponent ``exp(0) = 1``: no overflow, and the
    sum is at least 1, so its log is safe. As with sigmoid + BCE, fusing the two makes the
    gradient simply "predicted probabilities minus the one-hot truth"; each row of the
    gradient sums to 0. Saved for backward: ``self._probs`` (softmax); the validated labels
    are already in ``self._labels``.
    """

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        x = as_float_array(input, "CrossEntropyLoss input")
        check_ndim(x, 2, "CrossEntropyLoss", "(N, C)")
        if x.size == 0:
            raise ValueError(f"CrossEntropyLoss needs N >= 1 and C >= 1, got shape {x.shape}")
        self._labels = _class_indices("CrossEntropyLoss", target, x)  # kept for backward
        ### BEGIN SOLUTION
        N = x.shape[0]
        # x - max is <= 0; it can overflow only to -inf (a logit 1e308 below the max),
        # whose softmax weight is exactly 0 anyway.
        with np.errstate(over="ignore"):
            shifted = x - x.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self._probs = np.exp(log_probs)
        loss = -np.mean(log_probs[np.arange(N), self._labels])
        return float(loss)
        ### END SOLUTION

    def backward(self) -> np.ndarray:
        ### BEGIN SOLUTION
        N = self._probs.shape[0]
        grad = self._probs.copy()
        grad[np.arange(N), self._labels] -= 1.0
        return grad / N
        ### END SOLUTION


class HingeLoss(Loss):
    """Multiclass SVM (Weston-Watkins) hinge loss.

    Shapes: ``input`` = scores ``x`` of shape ``(N, C)``; ``target`` = labels ``y`` of shape
    ``(N,)`` in ``0..C-1``. ``margin`` (default 1.0) is the required lead of the true class.

    Forward:  ``L = (1/N) sum_n sum_{j != y_n} max(0, x[n, j] - x[n, y_n] + margin)``.
    Backward: with ``a[n, j] = 1`` where ``j != y_n`` and ``x[n, j] - x[n, y_n] + margin > 0``
    (else 0): ``dL/dx[n, j] = a[n, j] / N`` and ``dL/dx[n, y_n] = -sum_j a[n, j] / N``.

    The idea: the true class must beat every other class by at least ``margin``; classes
    already beaten by that much cost nothing and get no gradient, so (unlike cross-entropy)
    the loss stops pushing once the margin is met. At exactly zero slack the kink takes the
    ``<= 0`` branch: gradient 0. Unlike ``torch.nn.MultiMarginLoss``, the sum over classes is
    not divided by ``C`` (this loss is ``C`` times PyTorch's). Saved for backward:
    ``self._active`` (the 0/1 array ``a``); the validated labels are already in
    ``self._labels``.
    """

    def __init__(self, margin: float = 1.0) -> None:
        self.margin = float(margin)

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002
        x = as_float_array(input, "HingeLoss input")
        check_ndim(x, 2, "HingeLoss", "(N, C)")
        if x.size == 0:
            raise ValueError(f"HingeLoss needs N >= 1 and C >= 1, got shape {x.shape}")
        self._labels = _class_indices("HingeLoss", target, x)  # kept for backward
        ### BEGIN SOLUTION
        rows = np.arange(x.shape[0])
        slack = x - x[rows, self._labels][:, None] + self.margin
        slack[rows, self._labels] = 0.0  # the true class is not compared with itself
        self._active = (slack > 0).astype(np.float64)
        loss = np.maximum(slack, 0.0).sum() / x.shape[0]
        return float(loss)
        ### END SOLUTION

    def backward(self) -> np.ndarray:
        ### BEGIN SOLUTION
        N = self._active.shape[0]
        grad = self._active.copy()
        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)
        return grad / N
        ### END SOLUTION

    def __repr__(self) -> str:
        return f"HingeLoss(margin={self.margin})"


# ---- correct alternative (los_ce_onehot_buffer) ----
# MODULE: losses
# COMPONENTS: CrossEntropyLoss
# CrossEntropyLoss with a per-instance one-hot buffer reused while (N, C) stays the same
# (cleared and refilled each forward, reallocated on a new shape); the gradient
# (softmax - onehot) / N is computed at forward time into a new array and returned by backward.
class CrossEntropyLoss(Loss):
    def __init__(self):
        self._onehot = None

    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        labels = np.asarray(target).astype(np.int64)
        N = x.shape[0]
        if self._onehot is None or self._onehot.shape != x.shape:
            self._onehot = np.zeros(x.shape)
        else:
            self._onehot.fill(0.0)
        self._onehot[np.arange(N), labels] = 1.0
        z = x - x.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1, keepdims=True))
        logp = z - log_norm
        self._grad = (np.exp(logp) - self._onehot) / N
        return float(-(logp * self._onehot).sum() / N)

    def backward(self):
        return self._grad


# ---- correct alternative (los_mse_gradbuffer) ----
# MODULE: losses
# COMPONENTS: MSELoss
# MSELoss with a per-instance buffer (reused while the shape stays, reallocated otherwise):
# forward writes input - target into it with np.subtract(out=), takes the mean square, then
# scales the buffer in place into the gradient 2 d / n; backward returns that buffer itself
# (a returned array may be internal state: callers never modify it).
class MSELoss(Loss):
    def __init__(self):
        self._buf = None

    def forward(self, input, target):
        x = np.asarray(input, dtype=np.float64)
        t = np.asarray(target, dtype=np.float64)
        if self._buf is None or self._buf.shape != x.shape:
            self._buf = np.empty(x.shape)
        np.subtract(x, t, out=self._buf)
        loss = float(np.mean(np.square(self._buf)))
        self._buf *= 2.0 / self._buf.size
        return loss

    def backward(self):
        return self._buf
