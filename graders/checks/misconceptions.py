"""Known mistakes, computed: what a buggy version of a component would return.

When a student's array is wrong, the diagnosis compares it with these variants; a match
names the misconception precisely ("Tanh backward used the input, not the output"). Each
variant is a one-line formula next to the sentence a teaching assistant would write.
Generic mistakes (a factor N, a transpose, a sign) are recognised in diagnose.py for every
component and need no entry here.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from ..components import Case, Component

Variants = dict[str, tuple[np.ndarray, str]]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def pair(value: Any) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)  # type: ignore[return-value]


def _phi(x: np.ndarray) -> np.ndarray:
    """The standard normal CDF, elementwise (math.erf is exact enough for a variant)."""
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def scatter_windows(
    pieces: Any, shape: tuple[int, ...], out_hw: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int]
) -> np.ndarray:
    """Add ``pieces(i, j)`` (N, C, H', W') onto the entries at kernel offset (i, j) of each window.

    The backward of every sliding-window layer; a variant calls it with a wrong stride.
    """
    grad = np.zeros(shape)
    (Ho, Wo), (sH, sW) = out_hw, stride
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            grad[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW] += pieces(i, j)
    return grad


def pool_windows(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """Every pooling window, (N, C, H', W', kH*kW)."""
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))[:, :, :: stride[0], :: stride[1]]
    return windows.reshape(*windows.shape[:4], -1)


def _upstream_ignored(twin: Any, x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """What backward returns when it forgets to multiply by grad_y: the local derivative."""
    reference = copy.deepcopy(twin.ref)
    reference.forward(x)
    return reference.backward(np.ones_like(g))


def _defaults_ignored(component: Component, case: Case, twin: Any, x: np.ndarray) -> Variants:
    """For each number the case sets away from its default in docs/api.md: the output with the default."""
    v: Variants = {}
    for param, default in component.signature:
        given = case.kwargs.get(param, default)
        if type(default) is not float or given == default or not hasattr(twin.ref, param):
            continue
        reference = copy.deepcopy(twin.ref)
        setattr(reference, param, default)
        try:
            v[f"hyperparameter-ignored#{param}"] = (
                reference.forward(x),
                f"the result is what {param}={default!r} (the default) gives, not {param}={given!r}: "
                f"use self.{param} rather than a number written in the code",
            )
        except Exception:  # noqa: BLE001  (a default the reference cannot run with: no variant)
            continue
    return v


def forward_variants(component: Component, case: Case, twin: Any, x: np.ndarray) -> Variants:
    name = component.name
    v: Variants = _defaults_ignored(component, case, twin, x)
    if name == "layers.Conv2d":
        flipped = copy.deepcopy(twin.ref)
        flipped.weight.data = twin.ref.weight.data[:, :, ::-1, ::-1].copy()
        v["flipped-kernel"] = (
            flipped.forward(x),
            "the kernel was flipped (true convolution); PyTorch's Conv2d, "
            "like ours, is a cross-correlation: slide the kernel without flipping it",
        )
    if name.startswith("layers.BatchNorm"):
        axes = (0, *range(2, x.ndim))  # every axis but the channels: (N, C), (N, C, L), (N, C, H, W)
        shape = (1, -1) + (1,) * (x.ndim - 2)
        w, b = twin.params["weight"].reshape(shape), twin.params["bias"].reshape(shape)
        eps = case.kwargs.get("eps", 1e-5)
        if case.mode == "train" and np.prod([x.shape[a] for a in axes]) > 1:
            mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
            unbiased = (x - mean) / np.sqrt(x.var(axis=axes, ddof=1, keepdims=True) + eps)
            v["bn-unbiased-variance"] = (
                unbiased * w + b,
                "normalised with the unbiased variance (divide by n-1); "
                "training normalises with the biased one (divide by n) and *stores* the unbiased",
            )
        else:
            mean, var = twin.ref.running_mean.reshape(shape), twin.ref.running_var.reshape(shape)
        v["bn-no-eps"] = (
            (x - mean) / np.sqrt(var) * w + b,
            "eps was not added to the variance before the square root: x_hat = (x - mean) / sqrt(var + eps)",
        )
        v["bn-no-affine"] = (
            (x - mean) / np.sqrt(var + eps),
            "the result was not scaled by `weight` and shifted by `bias`: y = weight * x_hat + bias",
        )
        if case.mode == "eval":
            batch = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
            v["bn-batch-stats-in-eval"] = (
                batch * w + b,
                "in eval mode the batch statistics were used; eval must normalise with running_mean and running_var",
            )
    if name == "activations.GELU" and case.kwargs.get("approximate", "none") == "none":
        tanh = x * 0.5 * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
        v["gelu-tanh-approximation"] = (
            tanh,
            "the tanh approximation was used for approximate='none' (exact GELU is x * Phi(x), with Phi from erf)",
        )
    if name == "activations.SELU":
        elu = np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
        v["selu-constants"] = (
            elu,
            "SELU is scale * ELU(x, alpha) with PyTorch's constants "
            "alpha = 1.6732632423543772, scale = 1.0507009873554805",
        )
        v["selu-missing-scale"] = (
            twin.ref.forward(x) / twin.ref.scale,
            "the output was not multiplied by scale = 1.0507009873554805: SELU is scale * ELU(x, alpha)",
        )
    if name in ("activations.Softmax", "activations.LogSoftmax"):
        dim = case.kwargs.get("dim", -1) % x.ndim
        for other in range(x.ndim):  # "tag#k": one variant per wrong axis (diagnose drops "#k")
            if other != dim and x.shape[other] > 1 and x.shape[dim] > 1:
                wrong = _softmax(x, other)
                if name.endswith("LogSoftmax"):
                    wrong = np.log(wrong)
                v[f"softmax-wrong-axis#{other}"] = (
                    wrong,
                    f"normalised along axis {other} instead of dim={case.kwargs.get('dim', -1)}",
                )
    if name == "layers.AvgPool2d":
        k = pair(case.kwargs["kernel_size"])
        v["avgpool-sum-not-mean"] = (
            twin.ref.forward(x) * k[0] * k[1],
            f"each window was summed, not averaged: divide by the window size {k[0]}x{k[1]} = {k[0] * k[1]}",
        )
    if name == "activations.LeakyReLU" and case.kwargs.get("negative_slope", 0.01) > 1:
        slope = case.kwargs["negative_slope"]
        v["leaky-relu-maximum"] = (
            np.maximum(x, slope * x),
            f"max(x, slope * x) is leaky ReLU only for slopes up to 1; with slope {slope} it picks slope * x "
            "for positive x: use np.where(x > 0, x, slope * x)",
        )
    if name == "layers.Flatten":
        v["flatten-column-major"] = (
            x.reshape(x.shape[0], -1, order="F"),
            "flattened in column-major (Fortran, order='F') order; PyTorch flattens row-major: x.reshape(N, -1)",
        )
    return v


def backward_variants(component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    name = component.name
    v: dict[str, Variants] = {"input": {}}
    inp = v["input"]
    if component.kind == "activation" and name not in ("activations.Step", "activations.Softmax"):
        inp["ignores-upstream-gradient"] = (
            _upstream_ignored(twin, x, g),
            "backward returned the local derivative "
            "alone: the chain rule multiplies it by the upstream gradient grad_y",
        )
    if name == "activations.Sigmoid":
        y = _sigmoid(x)
        inp["sigmoid-derivative-of-input"] = (
            g * x * (1 - x),
            "the derivative y(1-y) was evaluated at the input x instead of at the output y = sigmoid(x)",
        )
        inp["sigmoid-missing-factor"] = (g * y, "the derivative of sigmoid is y * (1 - y); a factor is missing")
    if name == "activations.Tanh":
        inp["tanh-derivative-of-input"] = (
            g * (1 - x**2),
            "tanh' = 1 - y^2 uses the output y = tanh(x), not the input x",
        )
    if name in ("activations.LeakyReLU", "activations.PReLU", "activations.ELU", "activations.SELU"):
        inp["negative-branch-ignored"] = (
            g * (x > 0),
            "the gradient for negative inputs is missing (the negative branch has a nonzero slope)",
        )
    if name == "activations.PReLU":
        reference = copy.deepcopy(twin.ref)
        reference.weight.grad[...] = 0.0
        reference.forward(x)
        reference.backward(g)
        count = x.size // reference.weight.data.size  # entries that share one slope
        v["weight"] = {
            "prelu-grad-mean-not-sum": (
                reference.weight.grad / count,
                "the slope's gradient was "
                "averaged; a shared parameter *sums* the gradient of every "
                "entry it is used for",
            )
        }
    if name == "activations.SELU":
        reference = copy.deepcopy(twin.ref)
        reference.forward(x)
        inp["selu-missing-scale"] = (
            reference.backward(g) / reference.scale,
            "backward forgot the factor scale = 1.0507009873554805 that forward applies",
        )
    if name == "activations.GELU":
        if case.kwargs.get("approximate", "none") == "tanh":
            local = 0.5 * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
        else:
            local = _phi(x)
        inp["product-rule-missing"] = (
            g * local,
            "the derivative of x * Phi(x) was taken as Phi(x); by the product rule it is Phi(x) + x * phi(x)",
        )
    if name == "activations.SiLU":
        inp["product-rule-missing"] = (
            g * _sigmoid(x),
            "the derivative of x * sigmoid(x) was taken as sigmoid(x); by the product rule it is s + x * s * (1 - s)",
        )
    if name == "activations.Maxout":
        w = twin.params["weight"]
        text = "every piece received grad_y; only the winning (maximal) piece of each unit gets it"
        inp["maxout-grad-to-every-piece"] = (np.einsum("nj,kjd->nd", g, w), text)
        v["weight"] = {"maxout-grad-to-every-piece": (np.broadcast_to(g.T @ x, w.shape), text)}
        v["bias"] = {"maxout-grad-to-every-piece": (np.broadcast_to(g.sum(axis=0), w.shape[:2]), text)}
    if name == "activations.Softmax":
        y = _softmax(x, case.kwargs.get("dim", -1))
        inp["softmax-diagonal-only"] = (
            g * y * (1 - y),
            "only the diagonal of the softmax Jacobian was used; "
            "every output depends on every input: grad_x = y * (g - sum(g * y))",
        )
    if name == "activations.LogSoftmax":
        dim = case.kwargs.get("dim", -1)
        inp["logsoftmax-diagonal-only"] = (
            g * (1 - _softmax(x, dim)),
            "only the diagonal of the Jacobian was used: grad_x = g - softmax(x) * sum(g)",
        )
    if name in ("layers.AvgPool2d", "layers.MaxPool2d"):
        kernel = pair(case.kwargs["kernel_size"])
        stride = pair(case.kwargs.get("stride") or kernel)
        if name == "layers.AvgPool2d":

            def pieces(i: int, j: int) -> np.ndarray:
                return g / (kernel[0] * kernel[1])

            inp["avgpool-not-divided"] = (
                scatter_windows(lambda i, j: g, x.shape, g.shape[2:], kernel, stride),
                "each input's gradient must be divided by the window size "
                f"({kernel[0]}x{kernel[1]} = {kernel[0] * kernel[1]}), as in forward",
            )
        else:
            winner = pool_windows(x, kernel, stride).argmax(axis=-1)

            def pieces(i: int, j: int) -> np.ndarray:
                return np.where(winner == i * kernel[1] + j, g, 0.0)

            inp["maxpool-grad-to-whole-window"] = (
                scatter_windows(lambda i, j: g, x.shape, g.shape[2:], kernel, stride),
                "every entry of a window received the window's gradient; only its maximum influenced the output",
            )
        if stride != (1, 1):
            inp["pool-backward-ignores-stride"] = (
                scatter_windows(pieces, x.shape, g.shape[2:], kernel, (1, 1)),
                f"backward placed the windows as if the stride were 1, not "
                f"{stride}: window (p, q) starts at (p*sH, q*sW)",
            )
    if name == "layers.Conv2d":
        kernel, stride = pair(case.kwargs["kernel_size"]), pair(case.kwargs.get("stride", 1))
        pH, pW = pair(case.kwargs.get("padding", 0))
        N, C, H, W = x.shape
        weight = twin.params["weight"]

        def conv_input_grad(stride: tuple[int, int], top: int, left: int) -> np.ndarray:
            padded = scatter_windows(
                lambda i, j: np.einsum("nfpq,fc->ncpq", g, weight[:, :, i, j]),
                (N, C, H + 2 * pH, W + 2 * pW),
                g.shape[2:],
                kernel,
                stride,
            )
            return padded[:, :, top : top + H, left : left + W]

        if stride != (1, 1):
            inp["conv-backward-ignores-stride"] = (
                conv_input_grad((1, 1), pH, pW),
                f"backward scattered the windows' gradients as if the stride were 1, not {stride}",
            )
        if (pH, pW) != (0, 0):
            inp["conv-backward-ignores-padding"] = (
                conv_input_grad(stride, 0, 0),
                "the padding was not removed "
                f"correctly: grad_x is grad_xp[:, :, {pH}:{pH}+H, "
                f"{pW}:{pW}+W], the padded gradient without its border",
            )
        if "bias" in twin.params:
            v["bias"] = {
                "bias-mean-not-sum": (
                    g.mean(axis=(0, 2, 3)),
                    "the bias gradient is the *sum* of grad_y over the batch and every position, not its mean",
                )
            }
    if name == "layers.Flatten":
        inp["flatten-column-major"] = (
            g.reshape(x.shape, order="F"),
            "reshaped in column-major (order='F') order; PyTorch's Flatten is row-major",
        )
    if name == "layers.Linear":
        v["bias"] = {
            "bias-mean-not-sum": (
                g.mean(axis=0),
                "the bias gradient is the *sum* of grad_y over the batch, not its mean",
            )
        }
    if name.startswith("layers.BatchNorm") and case.mode == "train":
        axes = (0, *range(2, x.ndim))  # every axis but the channels: (N, C), (N, C, L), (N, C, H, W)
        shape = (1, -1) + (1,) * (x.ndim - 2)
        eps = case.kwargs.get("eps", 1e-5)
        std = np.sqrt(x.var(axis=axes, keepdims=True) + eps)
        inp["bn-constant-statistics"] = (
            g * twin.params["weight"].reshape(shape) / std,
            "the batch mean and variance were treated as constants in backward; in "
            "training they depend on every input, which adds two more terms",
        )
    return v
