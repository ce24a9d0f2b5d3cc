"""Known mistakes, computed: what a buggy version of a component would return.

When a student's array is wrong, the diagnosis compares it with these variants; a match
names the misconception precisely ("Tanh backward used the input, not the output"). Each
variant is a one-line formula next to the sentence a teaching assistant would write.
Generic mistakes (a factor N, a transpose, a sign) are recognised in diagnose.py for every
component and need no entry here.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..components import Case, Component

Variants = dict[str, tuple[np.ndarray, str]]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def forward_variants(component: Component, case: Case, twin: Any, x: np.ndarray) -> Variants:
    name = component.name
    v: Variants = {}
    if name == "layers.Conv2d":
        flipped = copy.deepcopy(twin.ref)
        flipped.weight.data = twin.ref.weight.data[:, :, ::-1, ::-1].copy()
        v["flipped-kernel"] = (flipped.forward(x), "the kernel was flipped (true convolution); PyTorch's Conv2d, "
                               "like ours, is a cross-correlation: slide the kernel without flipping it")
    if name.startswith("layers.BatchNorm"):
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
        w, b = twin.params["weight"].reshape(shape), twin.params["bias"].reshape(shape)
        eps = case.kwargs.get("eps", 1e-5)
        if case.mode == "train" and np.prod([x.shape[a] for a in axes]) > 1:
            unbiased = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, ddof=1, keepdims=True) + eps)
            v["bn-unbiased-variance"] = (unbiased * w + b, "normalised with the unbiased variance (divide by n-1); "
                                         "training normalises with the biased one (divide by n) and *stores* the unbiased")
            no_eps = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True))
            v["bn-no-affine"] = (no_eps, "the result was not scaled by `weight` and shifted by `bias`")
        if case.mode == "eval":
            batch = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
            v["bn-batch-stats-in-eval"] = (batch * w + b, "in eval mode the batch statistics were used; eval must "
                                           "normalise with running_mean and running_var")
    if name == "activations.GELU" and case.kwargs.get("approximate", "none") == "none":
        tanh = x * 0.5 * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
        v["gelu-tanh-approximation"] = (tanh, "the tanh approximation was used for approximate='none' "
                                        "(exact GELU is x * Phi(x), with Phi from erf)")
    if name == "activations.SELU":
        elu = np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
        v["selu-constants"] = (elu, "SELU is scale * ELU(x, alpha) with PyTorch's constants "
                               "alpha = 1.6732632423543772, scale = 1.0507009873554805")
    if name in ("activations.Softmax", "activations.LogSoftmax"):
        dim = case.kwargs.get("dim", -1)
        other = 0 if (dim % x.ndim) != 0 else x.ndim - 1
        if x.shape[other] > 1 and x.shape[dim] > 1:
            wrong = _softmax(x, other)
            if name.endswith("LogSoftmax"):
                wrong = np.log(wrong)
            v["softmax-wrong-axis"] = (wrong, f"normalised along axis {other} instead of dim={dim}")
    return v


def backward_variants(component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    name = component.name
    v: dict[str, Variants] = {"input": {}}
    inp = v["input"]
    if name == "activations.Sigmoid":
        y = _sigmoid(x)
        inp["sigmoid-derivative-of-input"] = (g * x * (1 - x), "the derivative y(1-y) was evaluated at the input x "
                                              "instead of at the output y = sigmoid(x)")
        inp["sigmoid-missing-factor"] = (g * y, "the derivative of sigmoid is y * (1 - y); a factor is missing")
    if name == "activations.Tanh":
        inp["tanh-derivative-of-input"] = (g * (1 - x**2), "tanh' = 1 - y^2 uses the output y = tanh(x), not the input x")
    if name in ("activations.LeakyReLU", "activations.PReLU", "activations.ELU", "activations.SELU"):
        inp["negative-branch-ignored"] = (g * (x > 0), "the gradient for negative inputs is missing "
                                          "(the negative branch has a nonzero slope)")
    if name == "activations.Softmax":
        y = _softmax(x, case.kwargs.get("dim", -1))
        inp["softmax-diagonal-only"] = (g * y * (1 - y), "only the diagonal of the softmax Jacobian was used; "
                                        "every output depends on every input: grad_x = y * (g - sum(g * y))")
    if name == "activations.LogSoftmax":
        dim = case.kwargs.get("dim", -1)
        inp["logsoftmax-diagonal-only"] = (g * (1 - _softmax(x, dim)), "only the diagonal of the Jacobian was used: "
                                           "grad_x = g - softmax(x) * sum(g)")
    if name == "layers.AvgPool2d":
        k = case.kwargs["kernel_size"]
        kh, kw = (k, k) if isinstance(k, int) else k
        reference = copy.deepcopy(twin.ref)
        reference.forward(x)
        inp["avgpool-not-divided"] = (reference.backward(g) * kh * kw, "each input's gradient must be divided "
                                      f"by the window size ({kh}x{kw} = {kh * kw}), as in forward")
    if name == "layers.Linear":
        v["bias"] = {"bias-mean-not-sum": (g.mean(axis=0), "the bias gradient is the *sum* of grad_y over the "
                                           "batch, not its mean")}
    if name.startswith("layers.BatchNorm") and case.mode == "train":
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
        eps = case.kwargs.get("eps", 1e-5)
        std = np.sqrt(x.var(axis=axes, keepdims=True) + eps)
        inp["bn-constant-statistics"] = (g * twin.params["weight"].reshape(shape) / std,
                                         "the batch mean and variance were treated as constants in backward; in "
                                         "training they depend on every input, which adds two more terms")
    return v
