"""Known mistakes of the layers, computed, and the hints that give a wrong array a meaning.

For each layer this says what a student's buggy version returns (a variant: Linear without its
bias, Flatten in column-major order, BatchNorm with eps outside the square root or without the
mean term of its backward) and what a wrong shape, a constant factor or a subset of wrong entries
means for that layer (the output-size formula without its + 1, 1/(H'W'), the entries where
windows overlap). The sliding-window layers live in window_mistakes.py, BatchNorm in
batchnorm_mistakes.py; this module holds Linear, Flatten and what all the layers share.

Nothing here is computed for a right answer: the checks wrap these calls in lazy mappings
(misconceptions.Lazy), read only once a comparison has failed.

The tables are keyed by ``Component.formula``: "linear" (y = x W^T + b), "convolution" (2-D cross-correlation
with stride and padding), "max-pool" and "avg-pool" (a window's maximum, its mean), "flatten" (row-major
(N, ...) -> (N, D)). Batch normalisation is told by its entry's buffers (its running statistics).
"""

from __future__ import annotations

import copy
import itertools
import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
from nnlab.exercises.components import Case, Component

from ..crashes import one_row_transposed, transposed_row
from ..diagnose import Subset
from ..tolerance import allclose
from . import batchnorm_mistakes as batchnorm
from . import conv_loops, pool_loops, shape_mistakes
from . import window_mistakes as windows
from .window_mistakes import pair

Variants = dict[str, tuple[np.ndarray, str]]
# The formulas that slide a window over the image (geometry from kernel_size, stride, padding).
WINDOWED = ("convolution", "max-pool", "avg-pool")
# The formulas of a layer holding a weight matrix (out, in) and a bias per unit.
WEIGHTED = ("linear", "convolution")


def _normalises(component: Component) -> bool:
    """Batch normalisation: the one layer that keeps running statistics as buffers."""
    return bool(component.buffers)


# ------------------------------------------------------------------------------- dispatch
def forward_variants(component: Component, case: Case, twin: Any, x: np.ndarray) -> Variants:
    """What the known mistakes make forward return on ``x``."""
    formula = component.formula
    if formula == "convolution":
        return windows.conv_forward_variants(twin, x, windows.geometry(component, case, x.shape))
    if formula in WINDOWED:
        return windows.pool_forward_variants(component, twin, x, windows.geometry(component, case, x.shape))
    if formula == "linear":
        return _linear_forward(twin, x)
    if formula == "flatten":
        return _flatten_forward(x)
    if _normalises(component):
        return batchnorm.forward_variants(case, twin, x)
    return {}


def backward_variants(component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    """Per gradient ("input", a parameter): what the known mistakes make backward give."""
    found = _backward_variants(component, case, twin, x, g)
    if component.formula in (*WINDOWED, *WEIGHTED):
        found.setdefault("input", {}).setdefault("ignores-upstream-gradient", _local_derivative(twin, x, g))
    if component.formula in WINDOWED:  # backward scatters each window's share into a buffer through views of it
        found["input"].setdefault("view-rebound", (np.zeros(x.shape), _NOTHING_WRITTEN))
        found["input"].setdefault("buffer-not-zeroed", (x + _reference_backward(twin, x, g), _STARTED_FROM_INPUT))
    return found


def saved_state_variants(
    component: Component,
    case: Case,
    twin: Any,
    x: np.ndarray,
    g: np.ndarray,
    saved: Mapping[str, Any],
    forward_out: np.ndarray | None,
) -> Variants:
    """The input gradient of mistakes that only what forward saved shows (``saved``: the module's attributes;
    ``forward_out``: what the student's forward returned on x): a max pool's winners saved wrong beside right
    maxima, where backward's numbers alone fit a backward mistake as well."""
    if component.formula != "max-pool" or forward_out is None:
        return {}
    maxima = copy.deepcopy(twin.ref).forward(x)
    if forward_out.shape != maxima.shape or not allclose(forward_out, maxima):
        return {}  # (a forward that pooled other windows saves other winners for a reason of its own)
    return pool_loops.saved_winner_variants(x, g, windows.geometry(component, case, x.shape), saved)


_STARTED_FROM_INPUT = (
    "grad_x is the right gradient plus the input x itself: the buffer the windows' shares were added into started "
    "from the (padded) input, not from zeros. Reusing the array forward filled with x (`grad_xp = self._xp`, no new "
    "allocation) or a copy of it (`np.pad(x, ...)`, `x.copy()`) keeps x's values under the sums, and a reused saved "
    "buffer grows with every backward; the accumulator must be a fresh array of zeros, "
    "`grad_xp = np.zeros(padded_shape)`"
)


def _reference_backward(twin: Any, x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The reference's input gradient for ``g``, from a copy forwarded here (the caller's twin keeps its own state,
    and the release's fixtures hand over a layer not yet called)."""
    ref = copy.deepcopy(twin.ref)
    with np.errstate(all="ignore"):
        ref.forward(x)
        return ref.backward(g)


# Every way of computing the shares without writing them into grad_x gives the same zeros: a name rebound, a
# result thrown away, an in-place add into a copy (one tag, "view-rebound", for them all; the sentence names each).
_NOTHING_WRITTEN = (
    "grad_x is the zeros it was allocated as: the windows' shares were computed but none was written into it; "
    "they went into another array, which was thrown away. `window = window + share` binds a new array to the name "
    "and leaves the view, and the buffer behind it, unchanged (so does `grad_x[...] + share` with no assignment, "
    "and `np.add(grad_x[...], share)` without `out=`: np.add returns a new array). An in-place add into a copy "
    "does the same: indexing with an array or a list (a fancy index, `grad_x[:, :, rows]`) returns a copy, not a "
    "view, so a second index after it (`grad_x[:, :, rows][..., cols] += share`) adds into that copy, as `+=` "
    "on `.copy()`, `.flatten()` or np.pad's result does. Write into grad_x itself: `window += share` on a basic "
    "slice (`grad_x[..., i:i + kH, j:j + kW] += share`, a view), one index expression for all the axes "
    "(`grad_x[:, :, rows[:, None], cols] += share`), or `np.add(view, share, out=view)`"
)


def _local_derivative(twin: Any, x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, str]:
    """Backward of ones: what a backward returns that routes or scales the local derivative but forgot grad_y."""
    return (
        _reference_backward(twin, x, np.ones_like(g)),
        "backward returned the local derivative alone, as if grad_y were all ones (a 1 where the gradient is "
        "routed, the bare weights): the chain rule multiplies it by the upstream gradient grad_y",
    )


def _backward_variants(
    component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray
) -> dict[str, Variants]:
    formula = component.formula
    if formula == "convolution":
        return windows.conv_backward_variants(twin, x, g, windows.geometry(component, case, x.shape))
    if formula in WINDOWED:
        geo = windows.geometry(component, case, x.shape)
        return {"input": windows.pool_backward_variants(component, x, g, geo)}
    if formula == "linear":
        return _linear_backward(twin, x, g)
    if formula == "flatten":
        return _flatten_backward(x, g)
    if _normalises(component):
        return batchnorm.backward_variants(case, twin, x, g)
    return {}


def backward_subsets(component: Component, case: Case, x: np.ndarray) -> dict[str, dict[str, Subset]]:
    """Per gradient: the entries a known mistake gets wrong alone (where windows overlap, the maxima)."""
    formula = component.formula
    if formula not in WINDOWED:
        return {}
    geo = windows.geometry(component, case, x.shape)
    subsets = windows.overlap_subset(geo, x.shape, crop=formula == "convolution")
    if formula == "max-pool":
        subsets.update(windows.maxpool_subsets(x, geo))
    return {"input": subsets}


def factors(component: Component, case: Case) -> dict[float, tuple[str, str]]:
    """The quantities of the case a wrong array may be off by, each with the mistake it means."""
    formula, shape = component.formula, case.input_shape
    if formula == "avg-pool":
        geo = windows.geometry(component, case, shape)
        return windows.pool_factors(geo, maps=shape[0] * shape[1], channels=shape[1])
    if formula == "convolution":
        return _positions_factors(math.prod(windows.geometry(component, case, shape).out_hw), shape[0])
    if _normalises(component):
        return _count_factors(math.prod(shape) // shape[1], shape)
    if formula == "linear":
        return _features_factors(case.kwargs["in_features"], case.kwargs["out_features"])
    return {}


def shapes(component: Component, case: Case) -> dict[tuple[int, ...], tuple[str, str]]:
    """The wrong output shapes known mistakes give, each with the mistake (a formula) behind it."""
    formula, shape = component.formula, case.input_shape
    if formula in WINDOWED:
        channels = case.kwargs["out_channels"] if formula == "convolution" else shape[1]
        return windows.output_shapes(component, shape, windows.geometry(component, case, shape), channels)
    if formula == "flatten":
        return _flatten_shapes(shape)
    if formula == "linear" and not case.kwargs.get("bias", True):  # one number: the no-bias path lost the product
        return {(): ("bias-none", _NO_BIAS_NUMBER)}
    M = case.kwargs.get("out_features", 1)
    if formula == "linear" and shape[0] == 1 < M and case.kwargs.get("bias", True):  # (1, M) + (M, 1): (M, M)
        return {(M, M): ("broadcast-wrong-axis", _column_along_rows(M, (1, M)))}
    return {}


_NO_BIAS_NUMBER = (
    "built with bias=False (its bias is None), forward returned a single number, shape (), not the product of the "
    "input with the weights: the path without a bias lost the product. A conditional expression does this: "
    "`x @ W.T + b if self.bias is not None else 0.0` binds loosest, so its first branch is the whole sum and without "
    "a bias y is the `else` value alone; parenthesise the bias's part, `x @ W.T + (b if self.bias is not None else "
    "0.0)`, or add the bias under `if self.bias is not None:`"
)


def _output_shape_readings(component: Component, case: Case) -> dict[tuple[int, ...], list[str]]:
    """The wrong output shapes of a windowed layer that several output-size mistakes give, each with their
    sentences."""
    shape = case.input_shape
    channels = case.kwargs["out_channels"] if component.formula == "convolution" else shape[1]
    geo = windows.geometry(component, case, shape)
    return windows.output_shape_readings(component, shape, geo, channels)


def gradient_shapes(component: Component, case: Case, quantity: str) -> dict[tuple[int, ...], tuple[str, str]]:
    """The wrong shapes of a gradient ("input", or a parameter's) that known mistakes give."""
    formula, shape = component.formula, case.input_shape
    if quantity == "input":
        found = {}
        if formula == "flatten" and len(shape) > 2:
            found[(shape[0], math.prod(shape[1:]))] = (
                "flatten-backward-not-reshaped",
                f"backward returned grad_y flat, as it came; reshape it to the input's shape {shape}",
            )
        if formula == "flatten" and len(shape) > 2:  # (N*D,) from (N, D) is also grad_y.ravel(): no claim
            for merged, known in _merged_leading_axes(shape).items():
                found.setdefault(merged, known)  # (N, 1*L) is also grad_y unreshaped: that rule's text stands
        if formula == "convolution":
            found.update(_crop_by_other_setting(component, case, shape))
        return found
    if quantity not in component.params_for(case.kwargs):
        return {}  # a gradient the layer does not have (Flatten's bias) has no wrong shape to explain
    if quantity != "bias" and not (quantity == "weight" and _normalises(component)):
        return {}
    # A per-channel (per-unit) gradient summed over the wrong axes of grad_y.
    if formula == "linear":
        axes, out = (0,), (shape[0], case.kwargs["out_features"])
    elif formula == "convolution":
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
    for kept, wrong_axes in _too_few_axes(axes, out).items():  # the batch summed, a spatial axis left over
        found.setdefault(
            kept,
            (
                "gradient-summed-over-wrong-axes",
                f"`{quantity}.grad` was summed over too few axes of grad_y, {wrong_axes} only: a spatial axis is "
                f"left over, shape {kept}, where the {quantity} has one value per channel; {rule}",
            ),
        )
    if formula == "convolution" and quantity == "bias":  # grad_y as the im2col matrix G (F, N*H'*W'), summed over F
        columns = (math.prod(out) // out[1],)
        if columns not in (right, wrong):
            found[columns] = (
                "gradient-summed-over-wrong-axes",
                f"`bias.grad` was summed over the channels, axis 0 of grad_y as the (F, N*H'*W') matrix, giving one "
                f"value per column, {columns}; one channel's bias sums its row, over axis 1 ({rule})",
            )
    return found


def _kept_column_too(wrong: tuple[int, ...], own: str, compact: str) -> bool:
    """numpy's "non-broadcastable output operand" names the broadcast shape, not the value's: a square (F, F) is
    also an (F, 1) column (a sum with keepdims=True) broadcast against the (F,) gradient it was added into."""
    return (
        f"outputoperandwithshape{own}" in compact
        and len(wrong) == 2
        and wrong[0] == wrong[1] > 1
        and f"broadcastshape({wrong[0]},{wrong[1]})" in compact
    )


def _parameter_shape(component: Component, case: Case, quantity: str) -> str:
    """The shape of a per-unit parameter (a bias, BatchNorm's weight) as numpy's message writes it: ``(3,)``."""
    formula = component.formula
    units = (
        case.kwargs.get("out_features" if formula == "linear" else "out_channels")
        if formula in WEIGHTED
        else case.input_shape[1]
    )
    return f"({units},)"


def _too_few_axes(axes: tuple[int, ...], out: tuple[int, ...]) -> dict[tuple[int, ...], str]:
    """The shapes grad_y ``out`` keeps when summed over the batch and some, not all, of the other ``axes``
    (grad_y.sum(axis=(0, 2)) of an (N, C, H, W) gradient: (C, W)), each with the sums that give it ("(0, 2) or
    (0, 3)" where the sides are equal). Summed over the batch alone is the caller's own case."""
    rest = [a for a in axes if a != 0]
    found: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
    for size in range(1, len(rest)):
        for extra in itertools.combinations(rest, size):
            summed = (0, *extra)
            kept = tuple(n for a, n in enumerate(out) if a not in summed)
            found.setdefault(kept, []).append(summed)
    return {kept: " or ".join(map(str, sums)) for kept, sums in found.items()}


def _merged_leading_axes(shape: tuple[int, ...]) -> dict[tuple[int, ...], tuple[str, str]]:
    """grad_y reshaped to (-1, *x.shape[2:]): a slice of the saved shape that starts one axis late merges the
    batch with axis 1. With a batch of 1 that shape is also one sample's, x.shape[1:] (the batch axis lost):
    the shape alone cannot tell the two apart, so it is only observed. (With N > 1 a reshape to one sample's
    shape raises: crash() reads that.)"""
    merged = (shape[0] * shape[1], *shape[2:])
    if shape[0] == 1:
        return {
            merged: (
                "wrong-shape",
                f"grad_x has shape {merged}, the input's {shape} without its batch axis of length 1: a shape saved "
                "without the batch axis (x.shape[1:]) and a reshape to (-1, *x.shape[2:]) both give it for one sample",
            )
        }
    return {
        merged: (
            "slice-off-by-one",
            f"grad_x has shape {merged}, the input's {shape} with its first two axes merged ({shape[0]} x {shape[1]} "
            f"= {merged[0]}): grad_y was reshaped to (-1, *x_shape[2:]), a slice of the saved shape that starts one "
            "axis too late; reshape it to the whole saved input's shape, grad_y.reshape(x_shape)",
        )
    }


def _one_sample_shape(shape: tuple[int, ...]) -> str:
    return (
        f"grad_x was given one sample's shape, {shape[1:]}, where the input's {shape} belongs: the batch axis was "
        "lost from the shape backward reshapes to (x[0].shape or x.shape[1:] saved in forward); save the whole "
        "input's shape, x.shape, and reshape grad_y to it"
    )


def crash(component: Component, case: Case, method: str, message: str, source: str = "") -> tuple[str, str] | None:
    """``(tag, mistake)`` when numpy's message of a shape error (with ``source``, the line that raised, where
    the message fits several mistakes) fits one known mistake of the layer."""
    formula, shape = component.formula, case.input_shape
    row = transposed_row(source)
    if row is not None and len(shape) == 2:  # g[n].T @ x[n] with 2-D inputs: g[n] is 1-D, the line shows it
        return "transpose-of-1d", one_row_transposed(row)
    if formula == "linear" and _EINSUM_SIZES.search(message):
        found = _linear_einsum_crash(case, method, source)
        if found is not None:
            return found
    sizes = re.search(r"size (\d+) is different from (\d+)", message)
    if formula == "linear" and "matmul" in message and sizes:
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
    if formula == "convolution" and method == "forward" and "matmul" in message and sizes:
        found = _filters_by_in_channels(case, (int(sizes.group(1)), int(sizes.group(2))))
        if found is not None:
            return found
    if formula == "linear" and method == "backward":
        D, M, compact = case.kwargs["in_features"], case.kwargs["out_features"], message.replace(" ", "")
        if D != M and f"({D},{M})" in compact and f"({M},{D})" in compact:
            return (
                "transposed",
                f"the weight gradient was computed as x.T @ grad_y, shape (in, out) = ({D}, {M}); the weight is "
                f"stored (out, in), so its gradient is grad_y.T @ x, shape ({M}, {D})",
            )
    if method == "backward":
        compact = message.replace(" ", "")
        # BatchNorm's weight and bias share one shape: the line that raised says which gradient it was.
        named = [q for q in ("bias", "weight") if re.search(rf"\b{q}\b", source or "")]
        for quantity in sorted(("bias", "weight"), key=lambda q: q not in named):
            own = _parameter_shape(component, case, quantity)
            for wrong, found in gradient_shapes(component, case, quantity).items():
                # The wrong value met the parameter's own shape (it was added into its gradient): without that
                # operand the shape may be any other array's of that size.
                if (
                    f"({','.join(map(str, wrong))}{',' if len(wrong) == 1 else ''})" not in compact
                    or own not in compact
                ):
                    continue
                if _kept_column_too(wrong, own, compact):
                    return (
                        "exception",
                        f"the value added into `{quantity}.grad` broadcast with its shape {own} to {wrong}: either "
                        f"grad_y was summed over too few axes, leaving {wrong} (a spatial axis of that size kept), or "
                        f"over the right ones with keepdims=True, leaving a column ({wrong[0]}, 1); numpy's message "
                        "names only the broadcast shape, which both give. The gradient of a per-channel parameter "
                        "has its shape: sum grad_y over every other axis, without keepdims",
                    )
                return found
        if formula in WEIGHTED and case.kwargs.get("bias", True):
            found = _bias_from_input_crash(formula, case, compact)
            if found is not None:
                return found
    if _normalises(component) and len(shape) == 3 and f"({shape[1]},{shape[2]})" in message.replace(" ", ""):
        return (
            "bn-wrong-axes",
            f"the statistics were taken over axis 0 only, which for (N, C, L) input gives one per (channel, "
            f"position), shape (C, L) = {shape[1:]}; BatchNorm1d takes one per channel, over axes (0, 2)",
        )
    if _normalises(component):
        found = batchnorm.layout_crash(tuple(shape), message)
        if found is not None:
            return found
    if _normalises(component) and method == "forward":
        found = batchnorm.statistics_crash(shape, message)
        if found is not None:
            return found
    if formula == "convolution":  # x copied into (or the gradient cropped from) a slice of the padded array
        found = shape_mistakes.unpad_crash(_four_axes(message), shape, pair(case.kwargs.get("padding", 0)), source)
        if found is not None:
            return found
    # The layer's own check of grad_y against the output shape forward saved: no slice was written, so no scatter
    # reading applies; the saved shape is forward's output as far as the message shows (modules reads what forward
    # returned to tell an output-size formula from windows placed otherwise), which an output-size mistake may give.
    saved = saved_output_shape(message) if method == "backward" else None
    if saved is not None and formula in WINDOWED:
        found = saved_size_reading(component, case, saved, f"forward's output had shape {saved}")
        if found is not None:
            return found
    # A pool's scatter first: its hypotheses predict the slice's exact shape for the offset that fails, where a
    # square slice (H' rows that ran long, say) would also fit the square-only pattern by chance.
    if formula in ("max-pool", "avg-pool") and method == "backward" and saved is None:
        found = _blocks_per_window_crash(component, case, message, source)
        if found is not None:
            return found
    if formula in ("max-pool", "avg-pool") and method == "backward" and saved is None and _written_into(message):
        geo = windows.geometry(component, case, shape)
        found = windows.scatter_crash(_four_axes(message), shape, geo, source)
        if found is not None:  # (several mistakes predicting that slice: none is claimed, nor guessed below)
            return None if found == windows.AMBIGUOUS else found
    # Conv2d written as a loop over the output positions, a window cut short by the edge (its origins stepped
    # wrongly): the cut slice the message shows, predicted by one way of placing the windows alone.
    if formula == "convolution" and saved is None:
        geo = windows.geometry(component, case, shape)
        found = conv_loops.window_loop_crash(component, tuple(shape), geo, method, message, source)
        if found is not None:  # (several mistakes predicting that slice: none is claimed, nor guessed below)
            return None if found == windows.AMBIGUOUS else found
    if formula in WINDOWED:
        found = _square_only_crash(component, case, message) or _per_window_value_crash(component, case, message)
        if found is not None:
            return found
    if method == "backward":
        found = _kept_axes_crash(component, case, message) or _unsummed_batch_crash(component, case, message)
        if found is not None:
            return found
    found = _valid_ndim_refused(message)
    if found is not None:
        return found
    # A reshape of the whole batch's gradient (N * D entries) into one sample's shape: the batch axis was lost.
    whole = re.search(r"cannot reshape array of size (\d+) into shape \(([\d,\s]*)\)", message)
    if method == "backward" and whole and int(whole.group(1)) == math.prod(shape) and shape[0] > 1:
        target = tuple(int(n) for n in whole.group(2).split(",") if n.strip())
        if target == tuple(shape[1:]):
            return ("batch-axis-dropped", _one_sample_shape(shape))
    if formula == "flatten" and method == "forward" and whole and int(whole.group(1)) == math.prod(shape):
        found = (
            _size_counts_batch(shape, whole.group(2))
            or _sizes_added(shape, whole.group(2))
            or _size_of_fixed_axes(shape, whole.group(2))
        )
        if found is not None:
            return found
    flat = re.search(r"array is 1-dimensional, but (\d+) were indexed", message)
    if method == "backward" and flat and int(flat.group(1)) == len(shape) > 1:
        return (
            "zeros-like-of-shape",
            f"the array indexed with {len(shape)} indices, one per axis of the input {tuple(shape)}, is 1-D: it "
            f"was made like the shape tuple instead of with that shape. np.zeros_like(shape) (or np.array(shape)) "
            f"gives {len(shape)} numbers; np.zeros(shape) gives an array of that shape",
        )
    found = _batch_outer_crash(case, method, message) if formula == "linear" else None
    if formula == "convolution":
        found = _pad_every_axis_crash(component, case, method, message) or _col_grad_untransposed(case, method, message)
    if found is not None:
        return found
    if formula == "linear" and "could not be broadcast together" in message and "*" in (source or "*"):
        found = _elementwise_for_matmul(case, method, message)
        if found is not None:
            return found
    if formula in WEIGHTED and "broadcast" in message:
        found = _vector_along_columns(message, case.kwargs["out_features" if formula == "linear" else "out_channels"])
        if found is not None:
            return found
    if formula == "convolution" and 0 in pair(case.kwargs.get("padding", 0)):
        empty = re.search(r"into shape \((\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)", message)
        if empty and 0 in (int(empty.group(3)), int(empty.group(4))):
            return (
                "unpad-negative-slice",
                f"the padded array was sliced with [p:-p]; with padding {case.kwargs.get('padding', 0)} the slice "
                "0:-0 is empty (-0 is 0, the start). Slice xp[:, :, pH:pH + H, pW:pW + W] instead",
            )
    return None


# numpy's einsum on a label given two lengths: the unoptimised path's and the optimised path's words.
_EINSUM_SIZES = re.compile(r"remapped shapes|Size of label '\w' for operand")
_LINEAR_AXES = {"weight": ("out", "in"), "input": ("batch", "in"), "grad": ("batch", "out")}


def _linear_operand(code: str) -> str | None:
    """Which of Linear's arrays an einsum operand's code names (``self.weight.data``, ``self._x``, ``grad_y``), or
    None: a transposed operand (``W.T``) or any other expression is not read."""
    if ".T" in code or "transpose" in code or not re.fullmatch(r"[\w.]+", code):
        return None
    last = code.split(".")[-1] if not code.endswith(".data") else code.split(".")[-2]
    name = last.lstrip("_")
    if name in ("weight", "W", "w"):
        return "weight"
    if name in ("x", "X", "input", "inputs"):
        return "input"
    if "grad" in name or name in ("g", "dy", "dout", "delta"):
        return "grad"
    return None


def _linear_einsum_crash(case: Case, method: str, source: str) -> tuple[str, str] | None:
    """An einsum whose subscripts read Linear's weight, stored (out, in), as (in, out): the label of the input
    features (x's axis 1) on the weight's axis 0, or that of the outputs (grad_y's axis 1) on its axis 1. With
    in != out numpy refuses the one label's two lengths; the line shows which operand's subscripts it was."""
    found = shape_mistakes.einsum_reversed_operand(
        source,
        lambda code: _LINEAR_AXES.get(_linear_operand(code) or ""),
        lambda code: _linear_operand(code) == "weight",
    )
    if found is None:
        return None
    D, M = case.kwargs["in_features"], case.kwargs["out_features"]
    product = "y = x @ W.T + b" if method == "forward" else "grad_x = grad_y @ W"
    return (
        "transposed",
        f"`{found.call}` reads the weight as (in, out): its subscripts '{found.written}' put the input features on "
        f"its axis 0 (and the outputs on axis 1), but the weight is stored (out, in) = ({M}, {D}), as in PyTorch, so "
        f"numpy met one label with two lengths ({D} and {M}). Its subscripts are '{found.written[::-1]}': "
        f"np.einsum('{found.right}', ...), which is {product}",
    )


def _size_counts_batch(shape: tuple[int, ...], target_text: str) -> tuple[str, str] | None:
    """A reshape of the whole input (S entries) to a shape with an axis of S beside another axis longer than 1:
    the row length was the product of every axis, the batch's included (``math.prod(x.shape)``, ``x.size``),
    where one sample's, the product of every axis but the first, belongs. Numpy refuses: S rows of S entries
    is more than there are. With a batch of 1 the two products agree: no crash to read."""
    target = tuple(int(n) for n in target_text.split(",") if n.strip())
    total = math.prod(shape)
    if shape[0] < 2 or total not in target or math.prod(target) == total:
        return None
    per_sample = math.prod(shape[1:])
    return (
        "flatten-batch-axis",
        f"x of shape {tuple(shape)} ({total} entries) was reshaped to {target}: the row length {total} is the product "
        f"of every axis, the batch axis included (math.prod(x.shape), x.size); one sample's length is the product "
        f"of every axis but the first, math.prod(x.shape[1:]) = {per_sample}: x.reshape(N, -1) keeps the batch axis "
        "and flattens the rest",
    )


def _sizes_added(shape: tuple[int, ...], target_text: str) -> tuple[str, str] | None:
    """A reshape to (N, the sum of the other axes' sizes): one sample's length was added up where it is their
    product. Where the sum and the product agree (one axis after the batch, or sizes 2 and 2) nothing raised;
    where the sum is also the product of some of the sizes (3 + 4 + 5 = 3 * 4), a reshape that multiplies too few
    axes gives the same shape, and no claim is made."""
    target = tuple(int(n) for n in target_text.split(",") if n.strip())
    sizes, added = shape[1:], sum(shape[1:])
    if len(shape) < 3 or target != (shape[0], added):
        return None
    products = {math.prod(c) for k in range(2, len(sizes) + 1) for c in itertools.combinations(sizes, k)}
    if added in products:
        return None
    terms = " + ".join(map(str, sizes))
    return (
        "sum-for-product",
        f"x of shape {tuple(shape)} was reshaped to {target}: the row length {added} = {terms} adds up the sizes "
        f"of the axes after the batch axis, where one sample holds their product, {math.prod(shape[1:])} entries "
        "(math.prod(x.shape[1:]), or let numpy count them: x.reshape(N, -1))",
    )


def _crop_by_other_setting(
    component: Component, case: Case, shape: tuple[int, ...]
) -> dict[tuple[int, ...], tuple[str, str]]:
    """Conv2d's backward cropped the padded input's gradient to the wrong size: by another setting (the stride,
    the kernel size) where the padding belongs (``dxp[:, :, q:-q, q:-q]`` with q that setting leaves H + 2p - 2q
    rows), or to the output's spatial size H' x W' taken for the input's (``H, W = grad_y.shape[2:]``: the one
    size at hand in backward). A shape that one reading alone gives (and the padding does not) is named; one two
    readings give (a 3x3 kernel at stride 1 leaves H - 2 rows either way) names neither."""
    (H, W), (pH, pW) = shape[2:], pair(case.kwargs.get("padding", 0))
    settings = {"stride": pair(case.kwargs.get("stride", 1)), "kernel_size": pair(case.kwargs["kernel_size"])}
    by_shape: dict[tuple[int, ...], list[str]] = {}
    for name, (qH, qW) in settings.items():
        if (qH, qW) == (pH, pW) or 0 in (qH, qW) or min(H + 2 * (pH - qH), W + 2 * (pW - qW)) < 1:
            continue
        cropped = (*shape[:2], H + 2 * (pH - qH), W + 2 * (pW - qW))
        by_shape.setdefault(cropped, []).append(name)
    # dxp[:, :, pH:pH + H', pW:pW + W'] stops at the padded gradient's end: at most H + pH rows are left.
    Ho, Wo = windows.geometry(component, case, shape).out_hw
    out_hw = (min(Ho, H + pH), min(Wo, W + pW))
    by_shape.setdefault((*shape[:2], *out_hw), []).append("output")
    readings = {name: _crop_by_setting_text(name, settings[name], (pH, pW), shape) for name in settings}
    readings["output"] = (
        "input-shape-from-output",
        f"backward's input gradient is cropped to the output's spatial size {(Ho, Wo)} (H' x W', as far as the "
        f"padded gradient reaches) where the input's {shape[2:]} belongs: the size of the crop was read from grad_y "
        "(H, W = grad_y.shape[2:]), the output's gradient; the input's size is the padded gradient's minus the "
        "padding on both sides (or the input shape saved in forward), "
        f"dxp[:, :, pH:pH + H, pW:pW + W], giving the input's shape {shape}",
    )
    return {
        cropped: readings[names[0]]
        for cropped, names in by_shape.items()
        if len(names) == 1 and cropped != tuple(shape)
    }


def _crop_by_setting_text(
    name: str, setting: tuple[int, int], padding: tuple[int, int], shape: tuple[int, ...]
) -> tuple[str, str]:
    """The crop by ``self.<name>`` where the padding belongs, in words."""
    return (
        "wrong-hyperparameter",
        f"backward cropped the padded input's gradient by self.{name} = {setting} where the padding {padding} "
        f"belongs (H + 2*pH - 2*{name} rows are left): forward padded by the padding, so backward removes the "
        f"padding, dxp[:, :, pH:pH + H, pW:pW + W], giving the input's shape {shape}",
    )


def _valid_ndim_refused(message: str) -> tuple[str, str] | None:
    """The layer's own check refused an input with exactly the number of axes its message allows ("at least 2
    dimensions, got shape (4, 6)"): the comparison's bound is off by one (``x.ndim <= 2`` where ``x.ndim < 2``
    belongs), so the smallest valid input is turned away."""
    found = re.search(r"at least (\d+) dimensions, got shape \(([\d,\s]*)\)", message)
    if found is None:
        return None
    least, got = int(found.group(1)), tuple(int(n) for n in found.group(2).split(",") if n.strip())
    if len(got) != least:
        return None
    return (
        "comparison-off-by-one",
        f"an input of shape {got}, {least}-D (x.ndim == {least}), was refused, though the message itself asks for at "
        f"least {least} dimensions: the check's bound is off by one (x.ndim <= {least} where x.ndim < {least} "
        f"belongs, say), so a {least}-D input, the smallest valid one, is turned away",
    )


def _size_of_fixed_axes(shape: tuple[int, ...], target_text: str) -> tuple[str, str] | None:
    """A reshape to (N, L) where L multiplies a fixed choice of axes (``x.shape[1] * x.shape[-1]``) instead of
    every axis after the batch: on a 4-D input it leaves axes out, on a 2-D one it counts axis 1 twice. Claimed
    when one choice of axes (each at most twice) gives L and neither the sum of the sizes nor another choice
    does."""
    target = tuple(int(n) for n in target_text.split(",") if n.strip())
    if len(target) != 2 or target[0] != shape[0] or len(shape) < 2:
        return None
    axes = range(1, len(shape))
    choices = [c for k in (1, 2, 3) for c in itertools.combinations_with_replacement(axes, k)]
    fits = [c for c in choices if math.prod(shape[a] for a in c) == target[1]]
    if len(fits) != 1 or target[1] in (sum(shape[1:]), math.prod(shape[1:])):
        return None
    (chosen,) = fits
    written = " * ".join(f"x.shape[{a}]" for a in chosen)
    return (
        "fixed-number-of-axes",
        f"x of shape {tuple(shape)} was reshaped to {target}: the row length {target[1]} = {written} multiplies a "
        f"fixed choice of axes, where one sample holds the product of every axis after the batch axis, "
        f"{math.prod(shape[1:])} entries, whatever the number of axes (math.prod(x.shape[1:]), or x.reshape(N, -1))",
    )


def _kept_axes_crash(component: Component, case: Case, message: str) -> tuple[str, str] | None:
    """``bias.grad += ...`` refused: the sum over the right axes kept them as 1s (keepdims=True), so the value
    does not fit the parameter's shape. Numpy names the shape it broadcast to: (1, M) for Linear's (M,) bias,
    (F, F) for a (F, 1) column added into Conv2d's (F,) bias. With a batch of 1 a gradient not summed at all
    has the shape (1, M) too: no claim then. Nor for Conv2d with N = F: a gradient summed over the positions but
    not over the images, (N, F), is then (F, F) too."""
    formula, N = component.formula, case.input_shape[0]
    if "non-broadcastable output operand" not in message or N == 1 or case.kwargs.get("bias") is False:
        return None
    if formula == "linear":
        M = case.kwargs["out_features"]
        kept, broadcast, how = (1, M), (1, M), "summed over axis 0 with keepdims=True"
    elif formula == "convolution" and case.kwargs["out_channels"] != N:
        M = case.kwargs["out_channels"]
        kept, broadcast, how = (
            (M, 1),
            (M, M),
            "summed over the positions (axis 1 of the (F, N*H'*W') matrix) with keepdims=True",
        )
    else:
        return None
    compact = message.replace(" ", "")
    if f"withshape({M},)" not in compact or f"broadcastshape({','.join(map(str, broadcast))})" not in compact:
        return None
    return (
        "length-one-axis",
        f"`bias.grad` was {how}: a value of shape {kept}, an axis of length 1 kept, where the bias has shape ({M},), "
        "so it cannot be added into the gradient in place; drop keepdims (it keeps each summed axis as a 1)",
    )


def _unsummed_batch_crash(component: Component, case: Case, message: str) -> tuple[str, str] | None:
    """``bias.grad += ...`` refused a value of shape (N, M): one row per sample, where the bias has one value per
    unit. Linear's grad_y not summed at all, Conv2d's summed over the positions (axes 2 and 3) but not over the
    images. Numpy names only the broadcast shape, so N = M (either reading of a square) makes no claim, nor
    N = 1 (a sum with keepdims=True gives (1, M) too)."""
    formula, N = component.formula, case.input_shape[0]
    if "non-broadcastable output operand" not in message or N == 1 or case.kwargs.get("bias") is False:
        return None
    M = case.kwargs.get("out_features" if formula == "linear" else "out_channels")
    if formula not in WEIGHTED or M is None or M == N:
        return None
    compact = message.replace(" ", "")
    if f"withshape({M},)" not in compact or f"broadcastshape({N},{M})" not in compact:
        return None
    summed = "was not summed at all" if formula == "linear" else "was summed over the positions (axes 2, 3) only"
    axes = "axis 0" if formula == "linear" else "axes (0, 2, 3)"
    return (
        "not-summed-over-batch",
        f"`bias.grad` received a value of shape ({N}, {M}), one row per sample of the batch of {N}, where the bias "
        f"has shape ({M},): grad_y {summed}, never over the batch. A parameter is shared by every sample, so its "
        f"gradient sums grad_y over {axes}",
    )


def _batch_outer_crash(case: Case, method: str, message: str) -> tuple[str, str] | None:
    """The weight's gradient (M, D) met an (N*M, N*D) array: np.outer of two batches, which flattens both
    (the one-sample formula g x^T written for a batch). A batch of 1 is the one case where it is right."""
    N, D, M = case.input_shape[0], case.kwargs["in_features"], case.kwargs["out_features"]
    if method != "backward" or N == 1 or f"({N * M},{N * D})" not in message.replace(" ", ""):
        return None
    return (
        "outer-of-batch",
        f"an array of shape ({N * M}, {N * D}) = (N*M, N*D) met the weight's gradient ({M}, {D}): np.outer "
        "flattens its arguments, so np.outer(grad_y, x) of a batch pairs every entry of grad_y with every entry "
        "of x, across samples. The outer product g x^T is the one-sample formula; for a batch the weight's "
        "gradient sums it over the samples: grad_y.T @ x",
    )


def _col_grad_untransposed(case: Case, method: str, message: str) -> tuple[str, str] | None:
    """Backward's matrix product refused sizes F and C*kH*kW: the weight matrix (F, C*kH*kW) multiplied G
    (F, N*H'*W') untransposed. (Backward's other products pair F with F and N*H'*W' with N*H'*W'.)"""
    sizes = re.search(r"size (\d+) is different from (\d+)", message)
    F, C = case.kwargs["out_channels"], case.kwargs["in_channels"]
    K = C * math.prod(pair(case.kwargs["kernel_size"]))
    if method != "backward" or "matmul" not in message or not sizes or F == K:
        return None
    if {int(sizes.group(1)), int(sizes.group(2))} != {F, K}:
        return None
    return (
        "transposed",
        f"a matrix product met sizes {F} (F, the filters) and {K} (C*kH*kW): the column gradient is W^T @ G, the "
        f"weight matrix transposed, ({K}, {F}) @ ({F}, N*H'*W'); W.reshape(F, -1) @ G multiplies the "
        "untransposed (F, C*kH*kW) matrix",
    )


def _filters_by_in_channels(case: Case, found: tuple[int, int]) -> tuple[str, str] | None:
    """W.reshape(C, -1) @ cols: the (F, C, kH, kW) weight flattened with one row per input channel, (C, F*kH*kW),
    where one row per filter belongs. matmul then meets F*kH*kW columns against the C*kH*kW rows of the im2col
    matrix (numpy names the columns matrix's C*kH*kW first); with C != F the two differ."""
    C, F = case.input_shape[1], case.kwargs["out_channels"]
    kH, kW = pair(case.kwargs["kernel_size"])
    if C == F or found != (C * kH * kW, F * kH * kW):
        return None
    return (
        "copy-paste",
        f"the filters were flattened with one row per input channel, weight.reshape(in_channels, -1) = ({C}, "
        f"{F * kH * kW}), where the weight matrix has one row per filter (output channel): weight.reshape("
        f"out_channels, -1) = ({F}, {C * kH * kW}), whose {C * kH * kW} columns meet the {C * kH * kW} rows (c, i, j) "
        "of the im2col matrix",
    )


def _pad_every_axis_crash(component: Component, case: Case, method: str, message: str) -> tuple[str, str] | None:
    """im2col's reshape refused an array with (N + 2p)(C + 2p) times the windows of one image and channel: the
    padded input grew on the batch and channel axes too (np.pad(x, p), one int padding every axis)."""
    size = re.search(r"cannot reshape array of size (\d+)", message)
    if method != "forward" or not size:
        return None
    (N, C, *_), geo = case.input_shape, windows.geometry(component, case, case.input_shape)
    per_window = math.prod(geo.kernel) * math.prod(geo.out_hw)
    for p in sorted({n for n in geo.padding if n}):
        if int(size.group(1)) == (N + 2 * p) * (C + 2 * p) * per_window:
            return (
                "pad-every-axis",
                f"im2col met an array of {size.group(1)} entries, the windows of ({N} + 2*{p}) images and ({C} + "
                f"2*{p}) channels: the batch and channel axes of the input were padded too (np.pad with one int, "
                f"{p}, pads all four axes; so does a pad width whose first two pairs are not (0, 0)). Pad the "
                "spatial axes only: np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))",
            )
    return None


def _elementwise_for_matmul(case: Case, method: str, message: str) -> tuple[str, str] | None:
    """Two of Linear's matrices that a matrix product joins, (A, K) and (K, B), multiplied with ``*``: numpy
    then lines their axes up entry by entry and refuses. Which product it was follows from the shapes."""
    N, D, M = case.input_shape[0], case.kwargs["in_features"], case.kwargs["out_features"]
    products = {
        "forward": [("y = x @ W.T", (N, D), (D, M))],
        "backward": [("grad_x = grad_y @ W", (N, M), (M, D)), ("the weight's gradient grad_y.T @ x", (M, N), (N, D))],
    }
    found = re.search(r"together with shapes \(([\d,\s]+)\)\s*\(([\d,\s]+)\)", message)
    if not found:
        return None
    pair = {tuple(int(n) for n in s.split(",") if n.strip()) for s in found.groups()}
    for product, a, b in products.get(method, []):
        if pair == {a, b} and a != b:
            return (
                "elementwise-for-matmul",
                f"arrays of shapes {a} and {b} were multiplied element-wise (`*`), which pairs entries up axis by axis "
                f"and needs equal shapes; they are the two factors of a matrix product, {product}, which sums over "
                f"the shared axis of {a[1]}: use @ (np.matmul), not *",
            )
    return None


def _vector_along_columns(message: str, units: int) -> tuple[str, str] | None:
    """A vector of one value per unit (F,) met a matrix with the units down its rows (F, P): numpy lines a
    vector up with the last axis, so it needs an axis of its own ([:, None]) to run down the rows. Or the
    reverse: a column of one value per unit (F, 1) met a matrix with the units along its columns (P, F)."""
    found = {tuple(int(n) for n in m.split(",") if n) for m in re.findall(r"\(([\d,]+)\)", message.replace(" ", ""))}
    if (units, 1) in found:
        for shape in found:
            if len(shape) == 2 and shape[1] == units != shape[0]:
                return ("broadcast-wrong-axis", _column_along_rows(units, shape))
        for shape in found:
            # The column of the (F, N*H'*W') product's layout used after the output became (N, F, H', W'):
            # numpy lines its two axes up with the last two, the rows and columns of each map.
            if len(shape) == 4 and shape[1] == units and shape[2:] != (units, 1):
                return (
                    "broadcast-wrong-axis",
                    f"a column of one value per filter ({units}, 1) (bias[:, None], the layout of the (F, N*H'*W') "
                    f"matrix product) was combined with the output laid out {shape}, (N, F, H', W'): numpy lines "
                    f"its two axes up with the last two, the rows and columns of each map ({shape[2]} x {shape[3]}), "
                    "not with the channel axis 1. Add it before the output is reshaped, or as bias[None, :, None, "
                    "None] (equivalently bias[:, None, None]) once it is (N, F, H', W')",
                )
    if _into_vector(message, units):
        # The result was written into a (units,) array (a gradient's +=): a column would broadcast to (units, P)
        # and fail the same way, so the fix the claim gives is no fix; the (units, P) value is the mistake.
        return None
    for shape in found:
        if len(shape) == 2 and shape[0] == units != shape[1] and {(units,), (1, units)} & found:
            return (
                "broadcast-wrong-axis",
                f"a vector of one value per unit ({units} values, as a ({units},) vector or a (1, {units}) row) was "
                f"combined with an array of shape {shape} whose rows are the units: numpy broadcasts it along the "
                f"last axis (the {shape[1]} columns), not down the rows; make it a column, vector[:, None] (shape "
                f"({units}, 1)), so each unit's value reaches its own row",
            )
    return None


def _into_vector(message: str, units: int) -> bool:
    """Does numpy's message come from writing into a (units,) array in place: ``(F,) (F, P) (F,)``, or
    "non-broadcastable output operand with shape (F,)"?"""
    compact = message.replace(" ", "")
    if f"outputoperandwithshape({units},)" in compact:
        return True
    listed = re.search(r"broadcasttogetherwithshapes((?:\([\d,]*\))+)", compact)
    operands = re.findall(r"\([\d,]*\)", listed.group(1)) if listed else []
    return len(operands) == 3 and operands[0] == operands[2] == f"({units},)"


def _column_along_rows(units: int, shape: tuple[int, ...]) -> str:
    return (
        f"a vector of one value per unit was made a column ({units}, 1) ([:, None], the layout of a layer whose "
        f"units run down the rows) and combined with an array of shape {shape} whose columns are the units: a "
        f"column broadcasts down the rows (the {shape[0]} sample{'s' * (shape[0] != 1)}), not along the units. "
        f"Leave the ({units},) vector as it is (or make it a row, vector[None, :]): numpy lines it up with the last "
        "axis, the units"
    )


def _blocks_per_window_crash(component: Component, case: Case, message: str, source: str) -> tuple[str, str] | None:
    """A pool's backward that blew grad_y up to (N, C, kH*H', kW*W'), one kH x kW block per window side by side
    (np.repeat along both axes, np.kron with a block of ones, np.tile), and met the input's shape: that layout is
    the input only when the windows tile it (stride = kernel). Said only where the windows here do not tile: they
    overlap or leave gaps, so the blocks outgrow the input. np.tile repeats the whole array, not each entry: the line
    names it, and another mistake (the shares of other windows) is then said."""
    N, C, H, W = case.input_shape
    geo = windows.geometry(component, case, case.input_shape)
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    blocks = (N, C, kH * Ho, kW * Wo)
    if (kH, kW) == (sH, sW) or kH * kW == 1 or blocks[2:] == (H, W) or blocks not in _four_axes(message):
        return None
    if re.search(r"\btile\b", source or ""):
        return "tile-for-repeat", f"{windows.TILED_SHARES}; here grad_y laid out that way has shape {blocks}"
    ways = {"kron": "np.kron with a block of ones", "repeat": "np.repeat along the rows and the columns"}
    shown = [text for word, text in ways.items() if word in (source or "")]
    how = shown[0] if len(shown) == 1 else " or ".join(ways.values())
    return (
        "upsampled-as-tiles",
        f"backward laid grad_y out as one {kH}x{kW} block per window ({how}), shape {blocks}, side by side: that "
        f"is the input only when the windows tile it, stride = kernel; here the stride is {(sH, sW)} and the window "
        f"{(kH, kW)}, so the windows {'overlap' if sH < kH or sW < kW else 'leave gaps'} and the blocks do not fit "
        f"the input's {(H, W)}. Add each window's share where that window lies: for every offset (i, j) of the "
        "window, grad_x[:, :, i:i + sH*H':sH, j:j + sW*W':sW] += share (an entry in several windows collects from "
        "each)",
    )


def _per_window_value_crash(component: Component, case: Case, message: str) -> tuple[str, str] | None:
    """A pool written window by window: one value per (sample, channel), (N, C), met the window's block
    (N, C, kH, kW). Numpy lines the (N, C) up with the block's last two axes, the window's rows and columns,
    and refuses unless they happen to be (N, C); the value needs two axes of its own to spread over the window."""
    if component.formula not in ("max-pool", "avg-pool"):
        return None
    N, C = case.input_shape[:2]
    kH, kW = windows.geometry(component, case, case.input_shape).kernel
    compact = message.replace(" ", "")
    if "broadcast" not in message or (N, C) == (kH, kW) or f"({N},{C},{kH},{kW})" not in compact:
        return None
    if f"({N},{C})" not in compact.replace(f"({N},{C},", ""):
        return None
    return (
        "broadcast-wrong-axis",
        f"a value per sample and channel of one window, shape ({N}, {C}) (grad_y[:, :, p, q], or a window's "
        f"maximum), met the window's block of shape ({N}, {C}, {kH}, {kW}): numpy lines it up with the block's last "
        f"two axes, the window's {kH} rows and {kW} columns, not with the samples and channels. Give it two axes of "
        "its own to spread over the window: value[:, :, None, None]",
    )


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


def _bias_from_input_crash(formula: str, case: Case, compact: str) -> tuple[str, str] | None:
    """The bias gradient (M,), one entry per output unit (channel), met a vector of D entries, one per input
    feature (channel), D differing from M and from the batch size N, so no other count of the case is that long:
    the bias gradient was summed from an array shaped like the input (the saved x, or grad_x) where grad_y belongs."""
    conv = formula == "convolution"
    D = case.kwargs["in_channels" if conv else "in_features"]
    M, N = case.kwargs["out_channels" if conv else "out_features"], case.input_shape[0]
    vectors = {int(n) for n in re.findall(r"\((\d+),\)", compact)}
    if D in (M, N) or vectors != {D, M}:
        return None
    unit, feature, axes = ("channel", "input channel", "(0, 2, 3)") if conv else ("unit", "input feature", "0")
    return (
        "bias-grad-from-input",
        f"the bias gradient ({M},), one entry per output {unit}, met a vector of {D} entries, one per {feature}: "
        "it was summed from an array shaped like the input (the saved input x, or grad_x) where the upstream "
        f"gradient belongs; each bias entry is added to one output {unit}, so bias.grad is the sum of grad_y over "
        f"axes {axes}, grad_y.sum(axis={axes})",
    )


def saved_size_reading(
    component: Component, case: Case, saved: tuple[int, ...], opening: str
) -> tuple[str, str] | None:
    """The output-size mistakes that give ``saved``, the output shape a windowed layer's forward saved and its
    backward checked grad_y against: ``(tag, sentence)`` after ``opening`` (what the shape was), one mistake
    claimed where one formula alone gives that shape, each said and none claimed where several do."""
    known = shapes(component, case).get(saved)
    if known is not None:
        return known[0], f"{opening}: {known[1]}"
    readings = _output_shape_readings(component, case).get(saved)
    if not readings:
        return None
    return (
        "output-size-ambiguous",
        f"{opening}; more than one mistake in the output size gives that shape, and the shape alone does not say "
        "which: " + "; or ".join(readings),
    )


def saved_output_shape(message: str) -> tuple[int, ...] | None:
    """The output shape forward saved, where backward's own check refused a grad_y of another shape (``expects
    grad_y of shape (2, 2, 2, 3) (the output's), got ...``); None for any other message."""
    found = re.search(r"expects grad_y of shape \(([\d,\s]*)\) \(the output's\)", message)
    if found is None:
        return None
    return tuple(int(n) for n in found.group(1).split(",") if n.strip())


def _written_into(message: str) -> bool:
    """Does numpy's message come from writing into an array (``a[...] += b``, ``a[...] = b``, ``a[...] + b``)?
    An in-place operation names its output operand first and last, ``(out) (b) (out)``; three shapes whose last
    is another (``(mask) (grad_y) ()``) are a three-argument call such as np.where(mask, grad_y, 0.0): two arrays
    saved or made elsewhere disagree, and no slice of grad_x is in the message."""
    listed = re.search(r"broadcast together with shapes ((?:\([\d,\s]*\)\s*)+)", message)
    if listed is None:
        return True
    operands = re.findall(r"\([\d,\s]*\)", listed.group(1).replace(" ", ""))
    return len(operands) != 3 or operands[0] == operands[2]


def _four_axes(message: str) -> set[tuple[int, ...]]:
    """The 4-axis shapes numpy's message names: ``(2,2,6,5)``, ``(2, 2, 6, 5)``."""
    return {
        tuple(int(n) for n in m.split(",")) for m in re.findall(r"\((\d+(?:,\s*\d+){3})\)", message.replace(" ", ""))
    }


def _positions_factors(positions: int, batch: int) -> dict[float, tuple[str, str]]:
    """A shared parameter's gradient sums over the N samples and the H'W' output positions: one over the positions'
    count, or over the product N * H'W' of both counts, is that sum computed as a mean (one over N alone is the
    batch size's factor, diagnose's). With one sample the product is the positions' count, so the factor does not
    say whether the batch was divided by too: one sentence says both."""
    if positions <= 1:
        return {}
    shared = (
        "(the bias and every weight are used at every position of every sample, so their gradients sum over all of "
        "them)"
    )
    if batch == 1:
        return {
            1.0 / positions: (
                "mean-over-positions-not-sum+mean-for-sum",
                f"1/{positions} is 1/(H'W'), one over the number of output positions, and with N = 1 sample also "
                f"1/(N * H'W'): a sum over the positions, or over the batch and the positions together (the N * H' * "
                f"W' columns of im2col), was computed as a mean {shared}",
            )
        }
    return {
        1.0 / positions: (
            "mean-over-positions-not-sum",
            f"1/{positions} is 1/(H'W'), one over the number of output positions: a sum over the positions was "
            f"computed as a mean {shared}",
        ),
        1.0 / (batch * positions): (
            "mean-for-sum",
            f"1/{batch * positions} is 1/(N * H'W'), N = {batch} samples times H'W' = {positions} positions, one "
            "over the number of terms the gradient sums: the sum over the batch and the positions together (the "
            f"N * H' * W' columns of im2col) was computed as a mean, divided by both counts {shared}",
        ),
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


DATA_FOR_GRAD = "data-for-grad"


def data_for_grad(formula: str) -> str:
    """The mistake of a backward that adds the weight's gradient into its value: the weights move during
    backward, and the input gradient computed after that multiplies by the moved ones."""
    return (
        "backward added the weight's gradient into `weight.data`, the weights themselves, where `weight.grad` "
        f"belongs: the weights moved during backward, `weight.grad` stayed zero, and {formula} was computed with "
        "the moved weights. backward only accumulates into .grad; the optimizer's step changes .data"
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
    if "bias" in twin.params and len(x) == weight.shape[0] > 1:  # (N, M) + (M, 1) broadcasts when N = M
        v["broadcast-wrong-axis"] = (
            x @ weight.T + twin.params["bias"][:, None],
            _column_along_rows(weight.shape[0], (len(x), weight.shape[0])),
        )
    if weight.shape[0] == weight.shape[1]:
        v["linear-weight-not-transposed"] = (
            x @ weight + twin.params.get("bias", 0.0),
            "forward multiplied by W, not W.T: the weight is stored (out, in), so y = x @ W.T + b",
        )
    if weight.shape[0] == 1 < weight.shape[1]:  # einsum("nd,dm->nm", x, W) broadcasts W's axis of length 1
        v["transposed#einsum-broadcast"] = (
            x.sum(axis=1, keepdims=True) * weight[0] + twin.params.get("bias", 0.0),
            f"each row of the output is the sum of the sample's inputs times the weight's one row, shape (N, "
            f"{weight.shape[1]}) where (N, 1) belongs: the weight, stored (out, in) = {weight.shape}, was read as "
            "(in, out). An einsum whose subscripts put the input features on the weight's axis 0, "
            "np.einsum('nd,dm->nm', x, W), broadcasts that axis of length 1 over x's features instead of refusing "
            "it; the weight's subscripts are 'md', np.einsum('nd,md->nm', x, W), which is y = x @ W.T + b",
        )
    if "bias" in twin.params and len(x) > 1:
        # A loop over the samples whose `y += b` adds the bias to the whole output at every iteration: row n, assigned
        # at iteration n, gets it N - n times (or, rows computed before the loop, every row N times).
        n = len(x)
        for key, copies, rows in (
            (
                "per-iteration",
                np.arange(n, 0, -1)[:, None],
                f"row n got it {n} - n times (row 0 {n} times, the last once)",
            ),
            ("per-iteration#all-rows", n, f"every row got it {n} times, once per sample"),
        ):
            v[f"times-batch-size#bias-{key}"] = (
                x @ weight.T + copies * twin.params["bias"],
                "forward added the bias to the whole output inside the loop over the samples (y += b at every "
                f"iteration), so {rows}: each row gets it once, y[n] = W @ x[n] + b, or y += b once after the loop",
            )
    # y = sum_i outer(x[:, i], W[:, i]) + b: a loop over the input features that assigns keeps the last one's.
    last = np.outer(x[:, -1], weight[:, -1]) + twin.params.get("bias", 0.0)
    v.update(windows.last_term_variant("the output", last, weight.shape[1], "features", "y"))
    return windows.unique(v, x @ weight.T + twin.params.get("bias", 0.0))


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
    if weight.shape[0] == weight.shape[1]:  # g[n].T @ x[n] of 1-D rows: an inner product (equal lengths only)
        v["weight"]["transpose-of-1d"] = (
            np.full(weight.shape, float(np.sum(g * x))),
            "the weight gradient holds one number in every entry, the sum over the samples of the inner products "
            "grad_y[n] . x[n]: `grad_y[n].T @ x[n]` was meant as a column times a row, but .T of a 1-D row is the "
            "same row, so @ gave their inner product; each sample adds the outer product np.outer(grad_y[n], x[n]) "
            "(grad_y[n][:, None] * x[n]), and the whole batch's sum of them is grad_y.T @ x",
        )
    if len(x) > 1:
        v["weight"]["product-of-sums"] = (
            np.outer(g.sum(axis=0), x.sum(axis=0)),
            "the weight gradient is the outer product of grad_y summed over the batch and x summed over the batch; "
            "it is the sum over the samples of each sample's product grad_y[n] x[n]^T (a sum of products, not the "
            "product of the sums): grad_y.T @ x",
        )
    # grad_x = sum_j outer(grad_y[:, j], W[j]): a loop over the output units that assigns keeps the last one's.
    v["input"].update(
        windows.last_term_variant("grad_x", np.outer(g[:, -1], weight[-1]), weight.shape[0], "units", "grad_x")
    )
    v["input"][GRAD_FOR_DATA] = (g @ (g.T @ x), grad_for_data("grad_x = grad_y @ weight.data"))
    v["input"][DATA_FOR_GRAD] = (g @ (weight + g.T @ x), data_for_grad("grad_x = grad_y @ weight.data"))
    if "bias" in twin.params:
        v["bias"] = {
            "bias-mean-not-sum": (
                g.mean(axis=0),
                "the bias gradient is the *sum* of grad_y over the batch, not its mean",
            ),
            "bias-grad-from-input": (
                x.sum(axis=0),
                "the bias gradient is the sum of the input x over the batch; each bias entry is added to one output, "
                "so bias.grad is the sum of the upstream gradient grad_y over the batch, grad_y.sum(axis=0)",
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
        # The sizes swapped in the reshape, (D, N), and the shape mended with a transpose: right shape, but each
        # row holds consecutive entries of the whole batch, not one sample's.
        "reshape-arguments-swapped": (
            x.reshape(-1, x.shape[0]).T,
            "the input was reshaped to (D, N), the sizes swapped, and then transposed to (N, D) (x.reshape(-1, N).T): "
            "a transpose does not undo a reshape with the sizes swapped, so each row mixes the samples' entries; "
            "reshape to the samples' axis first, x.reshape(N, -1)",
        ),
    }
    if x.shape[0] > 1:  # with one sample (1, N*D) is the right shape
        # The whole batch read as one sample: x.ravel()[None, :], x.reshape(1, -1), x.flatten()[np.newaxis].
        v["flatten-batch-axis"] = (
            x.reshape(1, -1),
            f"the whole batch was flattened into one row (x.reshape(1, -1), x.ravel()[None, :]), shape "
            f"{(1, x.size)}: the batch axis was flattened too. Flatten keeps axis 0, one row per sample, and "
            f"flattens the rest, x.reshape(x.shape[0], -1), shape {(x.shape[0], x.size // x.shape[0])}",
        )
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


# Orders a student flattens a sample's axes in, each an order of the axes then read row-major: column-major (order="F"
# reverses every axis), the channel axis swapped with the last (x.swapaxes(1, -1)), the channels moved last
# (np.moveaxis(x, 1, -1), Keras's layout). Up to four axes, reversing (C, H, W) is swapping C and W: the first two give
# the same numbers on every such input, so only an input of five axes of different sizes tells all three apart.
FLATTEN_PROBE_SHAPE = (2, 2, 3, 4, 5)
# Each order's name, then how forward flattens in it.
FLATTEN_ORDER_WORDS = {
    "flatten-column-major": (
        "column-major order (order='F')",
        "in column-major (Fortran) order, x.reshape(N, -1, order='F')",
    ),
    "channels-last-layout": (
        "the channel axis swapped with the last (x.swapaxes(1, -1))",
        "after swapping the channel axis with the last, x.swapaxes(1, -1).reshape(N, -1) (a channels-last layout, "
        "(N, W, H, C) for images)",
    ),
    "flatten-channels-last": (
        "the channels moved last (np.moveaxis(x, 1, -1))",
        "after moving the channels last, np.moveaxis(x, 1, -1).reshape(N, -1) (Keras's channels-last layout, "
        "(N, H, W, C) for images)",
    ),
}


def flatten_orders(ndim: int) -> dict[str, tuple[int, ...]]:
    """The axes' order each of FLATTEN_ORDER_WORDS' mistakes reads an input of ``ndim`` axes in."""
    swapped = list(range(ndim))
    swapped[1], swapped[-1] = swapped[-1], swapped[1]
    return {
        "flatten-column-major": (0, *range(ndim - 1, 0, -1)),
        "channels-last-layout": tuple(swapped),
        "flatten-channels-last": (0, *range(2, ndim), 1),
    }


def flatten_in_order(x: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """Forward flattening ``x`` with its axes read in ``order``."""
    return x.transpose(order).reshape(x.shape[0], -1)


def unflatten_in_order(g: np.ndarray, x_shape: tuple[int, ...], order: tuple[int, ...]) -> np.ndarray:
    """Backward undoing :func:`flatten_in_order`: ``g`` laid out in ``order``, its axes then put back."""
    return g.reshape(tuple(x_shape[a] for a in order)).transpose(np.argsort(order))


def _flatten_shapes(shape: tuple[int, ...]) -> dict[tuple[int, ...], tuple[str, str]]:
    found = {
        (math.prod(shape),): (
            "flatten-batch-axis",
            "the batch axis was flattened too: Flatten keeps axis 0 and flattens the rest, x.reshape(N, -1)",
        )
        if shape[0] > 1
        # One sample: the whole input flattened (x.reshape(-1)) and the axes of length 1 squeezed away
        # (np.squeeze) give the same shape; the batches of several samples tell them apart.
        else (
            "wrong-shape",
            f"the output has shape {(math.prod(shape),)}: the batch axis of length 1 is gone. With one sample, "
            "flattening the batch axis too (x.reshape(-1)) and dropping the axes of length 1 (np.squeeze) both "
            "give this shape; Flatten keeps axis 0 whatever its length, x.reshape(N, -1)",
        )
    }
    if shape[0] > 1:  # (1, N*D): the batch flattened into one row, x.reshape(1, -1) or x.ravel()[None, :]
        found[(1, math.prod(shape))] = (
            "flatten-batch-axis",
            "the whole batch was flattened into one row (x.reshape(1, -1), x.ravel()[None, :]): Flatten keeps "
            "axis 0, one row per sample, and flattens the rest, x.reshape(N, -1)",
        )
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
    if len(shape) > 2:  # the input's own shape: nothing flattened (with 3 axes, also x.reshape(N, C, -1))
        merged = (
            f", or only the axes after axis 1 were merged (x.reshape(N, C, -1)), which leaves a {len(shape)}-axis "
            "input as it is"
            if len(shape) == 3
            else ""
        )
        subject = "Either the input" if merged else "The input"
        found[tuple(shape)] = (
            "wrong-shape",
            f"the output has the input's own shape {tuple(shape)}: nothing was flattened. {subject} came back as it "
            "was (an early return, a reshape to x.shape, or a call that leaves an array of enough axes unchanged, "
            f"such as np.atleast_2d, which only adds axes to inputs of fewer than two){merged}. Flatten merges "
            f"every axis after the batch into one, x.reshape(N, -1), giving {(shape[0], math.prod(shape[1:]))}",
        )
    # x.reshape(-1, x.shape[k]) for any k: after the rules above, which name their own shapes.
    kept = _kept_axis_shapes(shape) if len(shape) > 2 else {}
    for wrong, (_, known) in kept.items():
        found.setdefault(wrong, known)
    # The batch and the channel axes both kept, the rest merged: (N, C, H*W), (N, C, L) as it came, (N, D, 1).
    found.setdefault(
        (shape[0], shape[1], math.prod(shape[2:])),
        (
            "flatten-kept-an-axis",
            f"the output keeps axis 1 (size {shape[1]}) as an axis of its own beside the batch axis: only the "
            f"axes after it were merged, as by x.reshape(N, C, -1); Flatten merges every axis after the batch "
            f"into one, x.reshape(N, -1), giving {(shape[0], math.prod(shape[1:]))}",
        ),
    )
    rows = _rows_from_axis_count(shape)
    if rows is not None and rows[0] in kept and found.get(rows[0]) == kept[rows[0]][1]:
        # (1, 2, 3) to (3, 2): x.reshape(len(x.shape), -1) and x.reshape(-1, x.shape[1]) alike. Both said, as an
        # observation: only an input whose axis count is no axis's size (or a batch of several) separates them.
        found[rows[0]] = (
            "wrong-shape",
            f"the output has shape {rows[0]}: either the row count was taken as len(x.shape), the number of axes "
            f"(x.reshape({len(shape)}, -1)), or one axis's size was kept as the row length and the rows left to -1 "
            f"({kept[rows[0]][0]}); this input gives the same shape for both. Flatten keeps the "
            "batch axis and flattens the rest, x.reshape(x.shape[0], -1)",
        )
    elif rows is not None and rows[0] not in found:  # (a shape another rule gives too names neither: left out)
        found[rows[0]] = rows[1]
    return found


def _kept_axis_shapes(shape: tuple[int, ...]) -> dict[tuple[int, ...], tuple[str, tuple[str, str]]]:
    """x.reshape(-1, x.shape[k]): one axis's size (k >= 1) taken as the row length and the rows left to -1, so the
    batch axis is merged away. Axes of equal size give the same shape: the text names each reading. Each wrong
    shape maps to ``(the reshapes that give it, (tag, mistake))``."""
    total, found = math.prod(shape), {}
    for k in range(1, len(shape)):
        wrong = (total // shape[k], shape[k])
        if wrong == (shape[0], total // shape[0]) or wrong in found:
            continue
        axes = [j for j in range(1, len(shape)) if shape[j] == shape[k]]
        reads = " or ".join(f"x.reshape(-1, x.shape[{j}])" for j in axes)
        found[wrong] = (
            reads,
            (
                "flatten-batch-axis",
                f"the reshape keeps the wrong axis: {reads} takes one axis's size, {shape[k]}, as the row length and "
                f"leaves the rows to -1, which merges the batch axis into them; Flatten keeps axis 0 (N = "
                f"{shape[0]}) and flattens the rest, x.reshape(x.shape[0], -1)",
            ),
        )
    return found


def _rows_from_axis_count(shape: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[str, str]] | None:
    """The input reshaped to (len(x.shape), -1): the row count taken from the shape tuple's length, the number of
    axes, where the number of samples x.shape[0] belongs. None where that is N anyway, or the entries do not split
    into that many rows (numpy raises: no output to read)."""
    axes, total = len(shape), math.prod(shape)
    if axes == shape[0] or total % axes:
        return None
    # The number of axes may also be another axis's size: then x.shape[k] read for x.shape[0] gives it too.
    also = [k for k in range(1, axes) if shape[k] == axes]
    other = (
        f" (or {axes} is x.shape[{also[0]}], an axis's size read where x.shape[0] belongs: this input alone cannot "
        "tell the two apart)"
        if also
        else ""
    )
    return (axes, total // axes), (
        "size-of-shape-tuple",
        f"the output has {axes} rows, the number of axes of the input {tuple(shape)}: the row count was taken as "
        f"len(x.shape) (or x.ndim, np.size of the shape tuple), which counts the axes, where the number of samples "
        f"N = x.shape[0] = {shape[0]} belongs{other}; Flatten keeps the batch axis and flattens the rest, "
        "x.reshape(x.shape[0], -1)",
    )
