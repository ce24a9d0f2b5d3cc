"""Known mistakes of the layers, computed, and the hints that give a wrong array a meaning.

For each layer this says what a student's buggy version returns (a variant: Linear without its
bias, Flatten in column-major order, BatchNorm with eps outside the square root or without the
mean term of its backward) and what a wrong shape, a constant factor or a subset of wrong entries
means for that layer (the output-size formula without its + 1, 1/(H'W'), the entries where
windows overlap). The sliding-window layers live in window_mistakes.py, BatchNorm in
batchnorm_mistakes.py; this module holds Linear, Flatten and what all the layers share.

Nothing here is computed for a right answer: the checks wrap these calls in lazy mappings
(misconceptions.Lazy), read only once a comparison has failed.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
from nnlab.exercises.components import Case, Component

from ..diagnose import Subset
from . import batchnorm_mistakes as batchnorm
from . import shape_mistakes
from . import window_mistakes as windows
from .window_mistakes import pair

Variants = dict[str, tuple[np.ndarray, str]]
WINDOWED = ("layers.Conv2d", "layers.MaxPool2d", "layers.AvgPool2d")


# ------------------------------------------------------------------------------- dispatch
def forward_variants(component: Component, case: Case, twin: Any, x: np.ndarray) -> Variants:
    """What the known mistakes make forward return on ``x``."""
    name = component.name
    if name == "layers.Conv2d":
        return windows.conv_forward_variants(twin, x, windows.geometry(component, case, x.shape))
    if name in WINDOWED:
        return windows.pool_forward_variants(component, twin, x, windows.geometry(component, case, x.shape))
    if name == "layers.Linear":
        return _linear_forward(twin, x)
    if name == "layers.Flatten":
        return _flatten_forward(x)
    if name.startswith("layers.BatchNorm"):
        return batchnorm.forward_variants(case, twin, x)
    return {}


def backward_variants(component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    """Per gradient ("input", a parameter): what the known mistakes make backward give."""
    name = component.name
    if name == "layers.Conv2d":
        return windows.conv_backward_variants(twin, x, g, windows.geometry(component, case, x.shape))
    if name in WINDOWED:
        geo = windows.geometry(component, case, x.shape)
        return {"input": windows.pool_backward_variants(component, x, g, geo)}
    if name == "layers.Linear":
        return _linear_backward(twin, x, g)
    if name == "layers.Flatten":
        return _flatten_backward(x, g)
    if name.startswith("layers.BatchNorm"):
        return batchnorm.backward_variants(case, twin, x, g)
    return {}


def backward_subsets(component: Component, case: Case, x: np.ndarray) -> dict[str, dict[str, Subset]]:
    """Per gradient: the entries a known mistake gets wrong alone (where windows overlap, the maxima)."""
    name = component.name
    if name not in WINDOWED:
        return {}
    geo = windows.geometry(component, case, x.shape)
    subsets = windows.overlap_subset(geo, x.shape, crop=name == "layers.Conv2d")
    if name == "layers.MaxPool2d":
        subsets.update(windows.maxpool_subsets(x, geo))
    return {"input": subsets}


def factors(component: Component, case: Case) -> dict[float, tuple[str, str]]:
    """The quantities of the case a wrong array may be off by, each with the mistake it means."""
    name, shape = component.name, case.input_shape
    if name == "layers.AvgPool2d":
        return windows.pool_factors(windows.geometry(component, case, shape))
    if name == "layers.Conv2d":
        return _positions_factors(math.prod(windows.geometry(component, case, shape).out_hw))
    if name.startswith("layers.BatchNorm"):
        return _count_factors(math.prod(shape) // shape[1], shape)
    if name == "layers.Linear":
        return _features_factors(case.kwargs["in_features"], case.kwargs["out_features"])
    return {}


def shapes(component: Component, case: Case) -> dict[tuple[int, ...], tuple[str, str]]:
    """The wrong output shapes known mistakes give, each with the mistake (a formula) behind it."""
    name, shape = component.name, case.input_shape
    if name in WINDOWED:
        channels = case.kwargs["out_channels"] if name == "layers.Conv2d" else shape[1]
        return windows.output_shapes(component, shape, windows.geometry(component, case, shape), channels)
    if name == "layers.Flatten":
        return _flatten_shapes(shape)
    return {}


def gradient_shapes(component: Component, case: Case, quantity: str) -> dict[tuple[int, ...], tuple[str, str]]:
    """The wrong shapes of a gradient ("input", or a parameter's) that known mistakes give."""
    name, shape = component.name, case.input_shape
    if quantity == "input":
        if name == "layers.Flatten" and len(shape) > 2:
            return {
                (shape[0], math.prod(shape[1:])): (
                    "flatten-backward-not-reshaped",
                    f"backward returned grad_y flat, as it came; reshape it to the input's shape {shape}",
                )
            }
        return {}
    if quantity != "bias" and not (quantity == "weight" and name.startswith("layers.BatchNorm")):
        return {}
    # A per-channel (per-unit) gradient summed over the wrong axes of grad_y.
    if name == "layers.Linear":
        axes, out = (0,), (shape[0], case.kwargs["out_features"])
    elif name == "layers.Conv2d":
        geo = windows.geometry(component, case, shape)
        axes, out = (0, 2, 3), (shape[0], case.kwargs["out_channels"], *geo.out_hw)
    else:
        axes, out = (0, *range(2, len(shape))), shape
    right = tuple(n for a, n in enumerate(out) if a not in axes)
    if len(out) > 2:  # summed over the batch only: one value per (unit, position)
        wrong, text = out[1:], f"over the batch (axis 0) only; the {quantity} is used at every position too"
    else:  # summed over the units instead of the batch
        wrong, text = (out[0],), "over axis 1 (the units) instead of axis 0 (the batch)"
    rule = f"a parameter of one unit sums grad_y {out} over axes {axes}"
    found = (
        {}
        if wrong == right
        else {wrong: ("gradient-summed-over-wrong-axes", f"`{quantity}.grad` was summed {text}: {rule}")}
    )
    if name == "layers.Conv2d" and quantity == "bias":  # grad_y as the im2col matrix G (F, N*H'*W'), summed over F
        columns = (math.prod(out) // out[1],)
        if columns not in (right, wrong):
            found[columns] = (
                "gradient-summed-over-wrong-axes",
                f"`bias.grad` was summed over the channels, axis 0 of grad_y as the (F, N*H'*W') matrix, giving one "
                f"value per column, {columns}; one channel's bias sums its row, over axis 1 ({rule})",
            )
    return found


def crash(component: Component, case: Case, method: str, message: str, source: str = "") -> tuple[str, str] | None:
    """``(tag, mistake)`` when numpy's message of a shape error (with ``source``, the line that raised, where
    the message fits several mistakes) fits one known mistake of the layer."""
    name, shape = component.name, case.input_shape
    sizes = re.search(r"size (\d+) is different from (\d+)", message)
    if name == "layers.Linear" and "matmul" in message and sizes:
        D, M = case.kwargs["in_features"], case.kwargs["out_features"]
        found = (int(sizes.group(1)), int(sizes.group(2)))
        if method == "backward" and found == (D, M):
            return (
                "linear-grad-x-uses-w-transposed",
                f"grad_x was computed as grad_y @ W.T; W is stored (out, in) = ({M}, {D}), so grad_y ({M} columns) "
                f"@ W gives grad_x with the input's {D} columns",
            )
        if method == "forward" and found == (M, D):
            return (
                "linear-weight-not-transposed",
                f"forward multiplied by W, not W.T: W is stored (out, in) = ({M}, {D}), so y = x @ W.T + b",
            )
    if name == "layers.Linear" and method == "backward":
        D, M, compact = case.kwargs["in_features"], case.kwargs["out_features"], message.replace(" ", "")
        if D != M and f"({D},{M})" in compact and f"({M},{D})" in compact:
            return (
                "transposed",
                f"the weight gradient was computed as x.T @ grad_y, shape (in, out) = ({D}, {M}); the weight is "
                f"stored (out, in), so its gradient is grad_y.T @ x, shape ({M}, {D})",
            )
    if method == "backward":
        compact = message.replace(" ", "")
        for quantity in ("bias", "weight"):
            for wrong, found in gradient_shapes(component, case, quantity).items():
                if f"({','.join(map(str, wrong))}{',' if len(wrong) == 1 else ''})" in compact:
                    return found
    if name == "layers.BatchNorm1d" and len(shape) == 3 and f"({shape[1]},{shape[2]})" in message.replace(" ", ""):
        return (
            "bn-wrong-axes",
            f"the statistics were taken over axis 0 only, which for (N, C, L) input gives one per (channel, "
            f"position), shape (C, L) = {shape[1:]}; BatchNorm1d takes one per channel, over axes (0, 2)",
        )
    if name == "layers.Conv2d":  # x copied into (or the gradient cropped from) a slice of the padded array
        found = shape_mistakes.unpad_crash(_four_axes(message), shape, pair(case.kwargs.get("padding", 0)), source)
        if found is not None:
            return found
    if name in WINDOWED:
        found = _square_only_crash(component, case, message)
        if found is not None:
            return found
    if name in WINDOWED[1:] and method == "backward":
        geo = windows.geometry(component, case, shape)
        found = windows.scatter_crash(_four_axes(message), shape, geo, source)
        if found is not None:
            return found
    if name == "layers.Conv2d" and 0 in pair(case.kwargs.get("padding", 0)):
        empty = re.search(r"into shape \((\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)", message)
        if empty and 0 in (int(empty.group(3)), int(empty.group(4))):
            return (
                "unpad-negative-slice",
                f"the padded array was sliced with [p:-p]; with padding {case.kwargs.get('padding', 0)} the slice "
                "0:-0 is empty (-0 is 0, the start). Slice xp[:, :, pH:pH + H, pW:pW + W] instead",
            )
    return None


def _square_only_crash(component: Component, case: Case, message: str) -> tuple[str, str] | None:
    """A window layer's shape error between an image-shaped array and one whose last two sides are
    both its height (or both its width): one axis's number used for the other."""
    shape = case.input_shape
    geo = windows.geometry(component, case, shape)
    found = _four_axes(message)
    for (H, W), sides in ((geo.out_hw, "H', W'"), (geo.in_hw, "H, W"), (geo.padded, "padded H, W")):
        if H == W:
            continue
        height, width = sides.rsplit(", ", 1)[0], sides.split(", ")[-1]
        right = [f for f in found if f[2:] == (H, W)]
        for f in found:
            if right and f[:2] == right[0][:2] and f[2:] in ((H, H), (W, W)):
                used, meant = ((height, width), (H, W)) if f[2:] == (H, H) else ((width, height), (W, H))
                return (
                    "square-only-index",
                    f"an array of shape {f} met one of {right[0]}: its sides are both {used[0]} = {meant[0]}, so "
                    f"{used[0]} was used where {used[1]} = {meant[1]} belongs (a slice end or size computed from "
                    "the other axis's number: right for square cases only)",
                )
    return None


def _four_axes(message: str) -> set[tuple[int, ...]]:
    """The 4-axis shapes numpy's message names: ``(2,2,6,5)``, ``(2, 2, 6, 5)``."""
    return {
        tuple(int(n) for n in m.split(",")) for m in re.findall(r"\((\d+(?:,\s*\d+){3})\)", message.replace(" ", ""))
    }


def _positions_factors(positions: int) -> dict[float, tuple[str, str]]:
    if positions <= 1:
        return {}
    return {
        1.0 / positions: (
            "mean-over-positions-not-sum",
            f"1/{positions} is 1/(H'W'), one over the number of output positions: a sum over the positions was "
            "computed as a mean (the bias and every weight are used at every position, so their gradients sum "
            "over all of them)",
        )
    }


def _features_factors(D: int, M: int) -> dict[float, tuple[str, str]]:
    """Linear's sizes as factors: a sum over the inputs or outputs computed as a mean, or the reverse. They
    also keep a factor that equals the batch size N from being read as N alone (diagnose: shared values)."""
    sizes = [(n, f"{which} = {n}") for n, which in ((D, "D = in_features"), (M, "M = out_features")) if n > 1]
    if D == M and D > 1:
        sizes = [(D, f"D = M = {D}, in_features and out_features")]
    named = []
    for n, words in sizes:
        named.append((1.0 / n, "divided-by-features", f"{words}: divided by it, a mean where a sum belongs"))
        named.append((float(n), "times-features", f"{words}: multiplied by it, a sum where a mean belongs"))
    return windows.distinct_factors(named)


def _count_factors(count: int, shape: tuple[int, ...]) -> dict[float, tuple[str, str]]:
    """A per-channel mean written as a sum (or the reverse): m = N (x L, x H x W) values per channel."""
    if count <= 1 or count == shape[0]:
        return {}  # m = N: the batch-size factor says it already
    m = "N*L" if len(shape) == 3 else "N*H*W"
    return {
        float(count): (
            "bn-sum-not-mean",
            f"m = {m} = {count} is the number of values per channel: a mean over them was computed as a sum",
        ),
        1.0 / count: (
            "bn-mean-not-sum",
            f"m = {m} = {count} is the number of values per channel: divided by m where a sum over them belongs",
        ),
    }


# ------------------------------------------------------------------------------- Linear
GRAD_FOR_DATA = "parameter-grad-for-data"


def grad_for_data(formula: str) -> str:
    """The mistake of a backward that multiplies by a parameter's gradient instead of its value."""
    return (
        f"backward multiplied by the weight's gradient, `weight.grad` (just accumulated), where its value "
        f"`weight.data` belongs: {formula}"
    )


def _linear_forward(twin: Any, x: np.ndarray) -> Variants:
    weight = twin.params["weight"]
    v: Variants = {}
    if "bias" in twin.params:
        v["bias-not-added"] = (x @ weight.T, "forward never adds the bias: y = x @ W.T + b")
    if min(weight.shape) > 1:
        v["reshape-not-transpose"] = (
            x @ weight.reshape(weight.shape[1], weight.shape[0]) + twin.params.get("bias", 0.0),
            "forward multiplied by W.reshape(in, out) where W.T belongs: a reshape keeps the entries in memory "
            "order, so it mixes the rows (the output units) of W; y = x @ W.T + b",
        )
    if weight.shape[0] == weight.shape[1]:
        v["linear-weight-not-transposed"] = (
            x @ weight + twin.params.get("bias", 0.0),
            "forward multiplied by W, not W.T: the weight is stored (out, in), so y = x @ W.T + b",
        )
    return v


def _linear_backward(twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    weight = twin.params["weight"]
    y = x @ weight.T + twin.params.get("bias", 0.0)
    v: dict[str, Variants] = {"input": {}, "weight": {}}
    saved_output = "backward used forward's output y where its input x belongs (forward saved y, not x)"
    try:  # `weight.grad += grad_y.T @ y` broadcasts when it can (one output unit)
        v["weight"]["saved-output-not-input"] = (np.broadcast_to(g.T @ y, weight.shape).copy(), saved_output)
    except ValueError:
        pass
    if weight.shape[0] == weight.shape[1]:
        v["input"]["linear-grad-x-uses-w-transposed"] = (
            g @ weight.T,
            "grad_x = grad_y @ W.T; with W stored (out, in) it is grad_y @ W",
        )
    v["weight"].update(windows.one_sample_variants("the weight gradient", g[:, :, None] * x[:, None, :]))
    if len(x) > 1:
        v["weight"]["product-of-sums"] = (
            np.outer(g.sum(axis=0), x.sum(axis=0)),
            "the weight gradient is the outer product of grad_y summed over the batch and x summed over the batch; "
            "it is the sum over the samples of each sample's product grad_y[n] x[n]^T (a sum of products, not the "
            "product of the sums): grad_y.T @ x",
        )
    v["input"][GRAD_FOR_DATA] = (g @ (g.T @ x), grad_for_data("grad_x = grad_y @ weight.data"))
    if "bias" in twin.params:
        v["bias"] = {
            "bias-mean-not-sum": (
                g.mean(axis=0),
                "the bias gradient is the *sum* of grad_y over the batch, not its mean",
            ),
            **windows.one_sample_variants("the bias gradient", g),
            **shape_mistakes.parameter_reductions(
                "bias", g, (0,), (g.shape[1],), ("the batch", "the output units"), "output unit"
            ),
        }
    return v


# ------------------------------------------------------------------------------- Flatten
def _channels_last(x: np.ndarray) -> np.ndarray:
    return np.moveaxis(x, 1, -1).reshape(x.shape[0], -1) if x.ndim > 2 else x


def _flatten_forward(x: np.ndarray) -> Variants:
    v = {
        "flatten-column-major": (
            x.reshape(x.shape[0], -1, order="F"),
            "flattened in column-major (Fortran, order='F') order; PyTorch flattens row-major: x.reshape(N, -1)",
        ),
        "flatten-channels-last": (
            _channels_last(x),
            "flattened channels-last (the channel axis moved to the end first, as Keras does); PyTorch's "
            "Flatten keeps the (C, H, W) order: x.reshape(N, -1)",
        ),
    }
    return windows.unique(v, x.reshape(x.shape[0], -1))


def _flatten_backward(x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    inp = {
        "flatten-column-major": (
            g.reshape(x.shape, order="F"),
            "reshaped in column-major (order='F') order; PyTorch's Flatten is row-major",
        )
    }
    if x.ndim > 2:
        inp["flatten-channels-last"] = (
            np.moveaxis(g.reshape(x.shape[0], *x.shape[2:], x.shape[1]), -1, 1),
            "backward unflattened channels-last ((N, H, W, C), then the channels moved back); forward's order is "
            "(C, H, W): grad_y.reshape(x.shape)",
        )
    return {"input": windows.unique(inp, g.reshape(x.shape))}


def _flatten_shapes(shape: tuple[int, ...]) -> dict[tuple[int, ...], tuple[str, str]]:
    found = {
        (math.prod(shape),): (
            "flatten-batch-axis",
            "the batch axis was flattened too: Flatten keeps axis 0 and flattens the rest, x.reshape(N, -1)",
        )
    }
    if len(shape) > 2:
        found.setdefault(
            (math.prod(shape[:-1]), shape[-1]),
            (
                "flatten-batch-axis",
                f"the last axis was kept instead of the batch axis: x.reshape(-1, {shape[-1]}) gives one row per "
                "entry of all the other axes; Flatten keeps axis 0 and flattens the rest, x.reshape(N, -1)",
            ),
        )
        found[(shape[0], math.prod(shape[2:]))] = (
            "flatten-dropped-channels",
            f"the output has one column per position, not per (channel, position): flatten all of {shape[1:]}",
        )
    return found
