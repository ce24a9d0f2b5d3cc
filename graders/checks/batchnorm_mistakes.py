"""Known mistakes of batch normalisation, computed: what a buggy BatchNorm1d or BatchNorm2d returns.

The reference's training step is spelled out below so that each classic mistake is one argument
away: the unbiased variance where the biased one normalises, eps left out or added outside the
square root, the statistics over the wrong axes, the affine map forgotten or swapped; in backward,
the terms for the batch mean and variance left out (or the batch statistics' terms kept in eval),
the scale gamma forgotten, sums where the formula has means.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..components import Case
from .window_mistakes import unique

Variants = dict[str, tuple[np.ndarray, str]]

NO_EPS = "eps was not added to the variance before the square root: x_hat = (x - mean) / sqrt(var + eps)"
EPS_OUTSIDE = (
    "eps was added after the square root, (x - mean) / (sqrt(var) + eps); it belongs inside: "
    "(x - mean) / sqrt(var + eps)"
)
RUNNING_IN_TRAIN = (
    "in training mode forward normalised with running_mean and running_var; training normalises with the "
    "batch's own mean and variance (the running statistics are only updated, for eval)"
)
UNBIASED = (
    "normalised with the unbiased variance (divide by n-1); training normalises with the biased one "
    "(divide by n) and *stores* the unbiased"
)


# The reference's training step, spelled out so that each classic mistake is one argument away.
def _bn_axes(x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Every axis but the channels, and the shape a (C,) vector broadcasts with."""
    return (0, *range(2, x.ndim)), (1, -1) + (1,) * (x.ndim - 2)


def _bn_statistics(case: Case, twin: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """The mean and (biased) variance forward normalises with, and whether they are the batch's."""
    axes, shape = _bn_axes(x)
    if case.mode == "train":
        return x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True), True
    return twin.ref.running_mean.reshape(shape), twin.ref.running_var.reshape(shape), False


def _bn_inv_std(var: np.ndarray, eps: float, mistake: str = "") -> np.ndarray:
    if mistake == "eps-outside":
        return 1.0 / (np.sqrt(var) + eps)
    if mistake == "no-eps":
        return 1.0 / np.sqrt(var)
    if mistake == "variance":
        return 1.0 / (var + eps)
    return 1.0 / np.sqrt(var + eps)


def forward_variants(case: Case, twin: Any, x: np.ndarray) -> Variants:
    axes, shape = _bn_axes(x)
    w, b = twin.params["weight"].reshape(shape), twin.params["bias"].reshape(shape)
    eps = case.kwargs.get("eps", 1e-5)
    mean, var, batch = _bn_statistics(case, twin, x)
    v: Variants = {}
    if batch:
        v["bn-unbiased-variance"] = (
            (x - mean) / np.sqrt(x.var(axis=axes, ddof=1, keepdims=True) + eps) * w + b,
            UNBIASED,
        )
    v["bn-no-eps"] = ((x - mean) * _bn_inv_std(var, eps, "no-eps") * w + b, NO_EPS)
    v["bn-eps-outside-sqrt"] = ((x - mean) * _bn_inv_std(var, eps, "eps-outside") * w + b, EPS_OUTSIDE)
    v["bn-divided-by-variance"] = (
        (x - mean) * _bn_inv_std(var, eps, "variance") * w + b,
        "x - mean was divided by the variance, not by the standard deviation sqrt(var + eps)",
    )
    v["bn-no-affine"] = (
        (x - mean) * _bn_inv_std(var, eps),
        "the result was not scaled by `weight` and shifted by `bias`: y = weight * x_hat + bias",
    )
    v["bn-affine-swapped"] = (
        (x - mean) * _bn_inv_std(var, eps) * b + w,
        "`weight` and `bias` were swapped: y = weight * x_hat + bias (weight is gamma, the scale)",
    )
    if batch:
        for wrong in _wrong_axes(x, axes):
            v[f"bn-wrong-axes#{wrong}"] = (
                (x - x.mean(axis=wrong, keepdims=True)) / np.sqrt(x.var(axis=wrong, keepdims=True) + eps) * w + b,
                f"the statistics were taken over axes {wrong}; BatchNorm takes one mean and variance per channel, "
                f"over axes {axes} (every axis but the channels)",
            )
        for which, (r_mean, r_var) in _running_in_training(case, twin, x).items():
            v[f"bn-running-stats-in-training#{which}"] = (
                (x - r_mean) * _bn_inv_std(r_var, eps) * w + b,
                RUNNING_IN_TRAIN,
            )
    else:
        batch_stats = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
        v["bn-batch-stats-in-eval"] = (
            batch_stats * w + b,
            "in eval mode the batch statistics were used; eval must normalise with running_mean and running_var",
        )
    return unique(v, copy.deepcopy(twin.ref).forward(x))


def _running_in_training(case: Case, twin: Any, x: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The running statistics a training forward would normalise with by mistake: as they were before
    this batch's update and after it. ``twin.ref`` has run this forward already (its buffers are updated)."""
    axes, shape = _bn_axes(x)
    m = case.kwargs.get("momentum", 0.1)
    count = x.size // x.shape[1]
    after = twin.ref.running_mean.reshape(shape), twin.ref.running_var.reshape(shape)
    found = {"after-update": after}
    if m < 1 and count > 1:
        var = x.var(axis=axes, keepdims=True) * count / (count - 1)
        before_mean = (after[0] - m * x.mean(axis=axes, keepdims=True)) / (1 - m)
        found["before-update"] = (before_mean, (after[1] - m * var) / (1 - m))
    return found


def _wrong_axes(x: np.ndarray, axes: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The axes a student reduces over instead: the batch only, or the channels as well."""
    wrong = [(0,)] if len(axes) > 1 else []
    wrong.append(tuple(range(x.ndim)) if x.ndim > 2 else (1,))
    return [a for a in wrong if a != axes and np.prod([x.shape[i] for i in a]) > 1]


def _bn_backward(
    g: np.ndarray,
    w: np.ndarray,
    x_hat: np.ndarray,
    inv_std: np.ndarray,
    axes: tuple[int, ...],
    batch: bool,
    **terms: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """grad_x, grad_weight, grad_bias of the reference's formula, with terms left out on request."""
    g_hat = g * w if terms.get("gamma", True) else g
    reduce = np.sum if terms.get("sum", False) else np.mean
    grad_x = g_hat
    if batch:
        if terms.get("mean", True):
            grad_x = grad_x - reduce(g_hat, axis=axes, keepdims=True)
        if terms.get("variance", True):
            grad_x = grad_x - x_hat * reduce(g_hat * x_hat, axis=axes, keepdims=True)
    return grad_x * inv_std, (g * x_hat).sum(axis=axes), g.sum(axis=axes)


def backward_variants(case: Case, twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    axes, shape = _bn_axes(x)
    w = twin.params["weight"].reshape(shape)
    eps = case.kwargs.get("eps", 1e-5)
    mean, var, batch = _bn_statistics(case, twin, x)
    inv_std = _bn_inv_std(var, eps)
    x_hat = (x - mean) * inv_std
    v: dict[str, Variants] = {"input": {}, "weight": {}, "bias": {}}

    def add(tag: str, text: str, parts: tuple[np.ndarray, np.ndarray, np.ndarray], params: bool = True) -> None:
        for key, value in zip(("input", "weight", "bias") if params else ("input",), parts, strict=False):
            v[key][tag] = (value, text)

    if batch:
        add(
            "bn-constant-statistics",
            "the batch mean and variance were treated as constants in backward; in training they depend on every "
            "input, which adds two more terms",
            _bn_backward(g, w, x_hat, inv_std, axes, False),
            params=False,
        )
        add(
            "bn-backward-missing-mean-term",
            "the term for the batch mean is missing: grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * "
            "mean(g_hat * x_hat)), g_hat = grad_y * weight, means per channel; the mean depends on every input",
            _bn_backward(g, w, x_hat, inv_std, axes, True, mean=False),
            params=False,
        )
        add(
            "bn-backward-missing-variance-term",
            "the term for the batch variance is missing: grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * "
            "mean(g_hat * x_hat)), g_hat = grad_y * weight; the variance depends on every input",
            _bn_backward(g, w, x_hat, inv_std, axes, True, variance=False),
            params=False,
        )
        add(
            "bn-sum-not-mean",
            "the two correction terms used sums over the batch where the formula has means (a factor 1/m, "
            "m values per channel, is missing): grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat))",
            _bn_backward(g, w, x_hat, inv_std, axes, True, sum=True),
            params=False,
        )
        for which, (r_mean, r_var) in _running_in_training(case, twin, x).items():
            r_inv = _bn_inv_std(r_var, eps)
            add(
                f"bn-running-stats-in-training#{which}",
                RUNNING_IN_TRAIN,
                _bn_backward(g, w, (x - r_mean) * r_inv, r_inv, axes, True),
            )
            add(
                f"bn-running-stats-in-training#{which}-constant",
                RUNNING_IN_TRAIN,
                _bn_backward(g, w, (x - r_mean) * r_inv, r_inv, axes, False),
            )
        unbiased_inv = _bn_inv_std(x.var(axis=axes, ddof=1, keepdims=True), eps)
        add(
            "bn-unbiased-variance",
            UNBIASED,
            _bn_backward(g, w, (x - mean) * unbiased_inv, unbiased_inv, axes, True),
        )
    else:
        add(
            "bn-eval-backward-batch-terms",
            "in eval mode the running statistics are constants, so grad_x = grad_y * weight / sqrt(running_var "
            "+ eps); the terms for the batch mean and variance belong to training only",
            _bn_backward(g, w, x_hat, inv_std, axes, True),
            params=False,
        )
        batch_inv = _bn_inv_std(x.var(axis=axes, keepdims=True), eps)
        add(
            "bn-batch-stats-in-eval",
            "in eval mode the batch statistics were used; eval must normalise with running_mean and running_var",
            _bn_backward(g, w, (x - x.mean(axis=axes, keepdims=True)) * batch_inv, batch_inv, axes, False),
        )
    if eps != 1e-5:
        default_inv = _bn_inv_std(var, 1e-5)
        add(
            "hyperparameter-ignored",
            f"the result is what eps=1e-05 (the default) gives, not eps={eps!r}: use self.eps rather than a "
            "number written in the code",
            _bn_backward(g, w, (x - mean) * default_inv, default_inv, axes, batch),
        )
    add(
        "bn-backward-missing-gamma",
        "backward forgot the scale: the gradient reaching x_hat is grad_y * weight, not grad_y",
        _bn_backward(g, w, x_hat, inv_std, axes, batch, gamma=False),
        params=False,
    )
    for mistake, tag, text in (
        (
            "eps-outside",
            "bn-eps-outside-sqrt",
            EPS_OUTSIDE,
        ),
        (
            "no-eps",
            "bn-no-eps",
            NO_EPS,
        ),
    ):
        wrong_inv = _bn_inv_std(var, eps, mistake)
        add(tag, text, _bn_backward(g, w, (x - mean) * wrong_inv, wrong_inv, axes, batch))
    v["weight"]["bn-weight-grad-uses-x"] = (
        (g * x).sum(axis=axes),
        "the gradient of `weight` multiplies grad_y by x; weight scales x_hat, so it is sum(grad_y * x_hat)",
    )
    expected = _bn_backward(g, w, x_hat, inv_std, axes, batch)
    return {key: unique(value, right) for (key, value), right in zip(v.items(), expected, strict=True)}
