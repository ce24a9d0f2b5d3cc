"""Known mistakes of the sliding-window layers (Conv2d, MaxPool2d, AvgPool2d), computed.

Every one of these layers places windows of ``kH x kW`` entries ``sH`` rows and ``sW`` columns
apart on a (padded) input; its backward adds each window's gradient back where the window came
from. Students get that geometry wrong in a few classic ways, each simulated here on the case's
own numbers: a stride ignored (in one direction or both), the padding removed with
``[p:-p]`` (empty at p = 0) or added on one side, ``=`` instead of ``+=`` where windows overlap,
``kH`` written where ``kW`` belongs (right for square windows only), a window offset decoded
transposed, an output-size formula without its ``+ 1``, the stride taken to be the window, a
window reduced with the wrong operation or over the wrong axes (shape_mistakes.py), the stride applied to
the input before windowing, the stride pair swapped, a window offset dropped from backward's slice,
the offsets zipped where their product belongs, a window's winner unravelled with its sides swapped
(mistakes that reach the same offsets on a case are told apart on a probe window). A match names
the mistake; a wrong output *shape* is tied to the formula that gives it, unless the entries both
shapes hold differ too (then more than the count is wrong), a constant factor to the area it equals.
A pool written as a loop over its windows has slips of its own (the loop one window short, one loop index
for the other, winners saved wrong): pool_loops.py.
A Conv2d written as such a loop whose windows run past the padded input's edge crashes; the crash says which
window was cut, and how: conv_loops.py.
"""

from __future__ import annotations

import ast
import copy
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from nnlab.exercises.components import Case, Component
from nnlab.graders import settings

from ..diagnose import Subset
from ..tolerance import allclose, close_to_each
from . import pool_loops, shape_mistakes

Variants = dict[str, tuple[np.ndarray, str]]
Pieces = Callable[[int, int], np.ndarray]

OVERWRITTEN = (
    "`=` instead of `+=` where windows overlap: an entry inside several windows must collect the gradient "
    "of every one of them, but each assignment replaced what the earlier windows had put there"
)
NORMALISED = (
    "backward divided each entry's gradient by the number of windows that hold it (so that an entry in several "
    "windows is 'not counted twice'): an entry inside several windows influenced the output of every one of them, "
    "so by the chain rule its gradient is the sum of what each of those windows sends back, not their average"
)


def pair(value: Any) -> tuple[int, int]:
    """A size given as one int or as (rows, columns)."""
    return (value, value) if isinstance(value, int) else tuple(value)  # type: ignore[return-value]


def pool_windows(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """Every pooling window, (N, C, H', W', kH*kW)."""
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))[:, :, :: stride[0], :: stride[1]]
    return windows.reshape(*windows.shape[:4], -1)


@dataclass(frozen=True)
class Geometry:
    """Where the windows of one case lie: kernel, stride, padding, input and output sides."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    in_hw: tuple[int, int]
    out_hw: tuple[int, int]

    @property
    def padded(self) -> tuple[int, int]:
        return self.in_hw[0] + 2 * self.padding[0], self.in_hw[1] + 2 * self.padding[1]


def geometry(component: Component, case: Case, x_shape: tuple[int, ...]) -> Geometry:
    kernel = pair(case.kwargs["kernel_size"])
    if component.formula == "convolution":
        stride, padding = pair(case.kwargs.get("stride", 1)), pair(case.kwargs.get("padding", 0))
    else:  # pooling: the stride defaults to the window, no padding
        stride, padding = pair(case.kwargs.get("stride") or kernel), (0, 0)
    H, W = x_shape[2:]
    out = tuple(1 + (n + 2 * p - k) // s for n, k, s, p in zip((H, W), kernel, stride, padding, strict=True))
    return Geometry(kernel, stride, padding, (H, W), out)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- scatter
def scatter(pieces: Pieces, shape: tuple[int, ...], geo: Geometry, step: tuple[int, int], assign: bool = False):
    """Put ``pieces(i, j)`` (N, C, H', W') on the entries at kernel offset (i, j) of each window,
    windows ``step`` apart, adding (or, with ``assign``, overwriting in the loop order i, j)."""
    grad = np.zeros(shape)
    (Ho, Wo), (sH, sW) = geo.out_hw, step
    for i in range(geo.kernel[0]):
        for j in range(geo.kernel[1]):
            where = (slice(None), slice(None), slice(i, i + sH * (Ho - 1) + 1, sH), slice(j, j + sW * (Wo - 1) + 1, sW))
            if assign:
                grad[where] = pieces(i, j)
            else:
                grad[where] += pieces(i, j)
    return grad


def scatter_by_window(block: Callable[[int, int], np.ndarray], shape: tuple[int, ...], geo: Geometry) -> np.ndarray:
    """The window-by-window loop with `=`: ``grad[.., p*sH : p*sH + kH, q*sW : q*sW + kW] = block(p, q)``."""
    grad = np.zeros(shape)
    (kH, kW), (sH, sW) = geo.kernel, geo.stride
    for p in range(geo.out_hw[0]):
        for q in range(geo.out_hw[1]):
            grad[:, :, p * sH : p * sH + kH, q * sW : q * sW + kW] = block(p, q)
    return grad


def coverage(geo: Geometry) -> np.ndarray:
    """How many windows contain each entry of the padded input, (Hp, Wp)."""
    return scatter(lambda i, j: np.ones(geo.out_hw), (1, 1, *geo.padded), geo, geo.stride)[0, 0]


def _safely(make: Callable[[], np.ndarray]) -> np.ndarray | None:
    """A simulation whose windows do not fit this case (a larger step) simulates nothing."""
    try:
        return make()
    except (ValueError, IndexError):
        return None


def _steps(geo: Geometry) -> dict[str, tuple[tuple[int, int], str]]:
    """The wrong distances between windows, with what each mistake is."""
    (sH, sW) = geo.stride
    steps = {}
    if geo.stride != (1, 1):
        steps["stride-ignored"] = ((1, 1), f"the windows were placed as if the stride were 1, not {geo.stride}")
    if sH > 1 and sW > 1:
        steps["column-stride-ignored"] = (
            (sH, 1),
            f"the stride was applied along the rows only: the windows' columns advance by 1 instead of sW = {sW} "
            "(window (p, q) starts at column q*sW)",
        )
        steps["row-stride-ignored"] = (
            (1, sW),
            f"the stride was applied along the columns only: the windows' rows advance by 1 instead of sH = {sH} "
            "(window (p, q) starts at row p*sH)",
        )
    if geo.stride != geo.kernel:
        steps["stride-is-kernel"] = (
            geo.kernel,
            f"the windows were placed kH x kW = {geo.kernel} apart, as if the stride were the window size (right "
            f"for disjoint windows only), not the stride {geo.stride}",
        )
    if sH != sW:  # one axis's number used for both: right for square cases only
        steps["square-only-index#stride-rows"] = (
            (sH, sH),
            f"the row stride sH = {sH} was used for the columns too (sW = {sW}): each axis has its own stride; "
            "one number for both is right for square cases only",
        )
        steps["square-only-index#stride-columns"] = (
            (sW, sW),
            f"the column stride sW = {sW} was used for the rows too (sH = {sH}): each axis has its own stride; "
            "one number for both is right for square cases only",
        )
        steps["stride-height-width-swapped"] = (
            (sW, sH),
            f"the stride's two numbers were swapped: (sW, sH) = {(sW, sH)} used for {(sH, sW)} "
            "(rows step by sH, columns by sW)",
        )
    return steps


def unique(variants: Variants, expected: np.ndarray | None = None) -> Variants:
    """Drop a variant that is the right value, or that another mistake reproduces as well:
    evidence that fits two mistakes names neither."""
    values = list(variants.items())
    # Variants of one shape stacked once: each is then compared with all the others in one pass
    # (a layer has dozens of variants, and this runs for every failed window case).
    same_shape: dict[tuple[int, ...], list[int]] = {}
    for k, (_, (value, _)) in enumerate(values):
        same_shape.setdefault(value.shape, []).append(k)
    stacks = {
        shape: (members, np.stack([values[m][1][0] for m in members]).astype(np.float64))
        for shape, members in same_shape.items()
    }
    kept: Variants = {}
    for k, (tag, (value, text)) in enumerate(values):
        if (
            expected is not None
            and value.shape == expected.shape
            and allclose(value, expected, rtol=settings.SAME_VALUE_RTOL)
        ):
            continue
        members, stacked = stacks[value.shape]
        twin = close_to_each(stacked, value, rtol=settings.SAME_VALUE_RTOL)
        mistake = tag.partition("#")[0]
        twins = [m for m, close in zip(members, twin, strict=True) if close and m != k]
        if not any(values[m][0].partition("#")[0] != mistake for m in twins):
            kept[tag] = (value, text)
    return kept


def one_sample_variants(quantity: str, contributions: np.ndarray) -> Variants:
    """A parameter's gradient is a sum over the batch of each sample's contribution (N, ...): what a
    student gets who took one sample's alone (``grad_y[0]``, or the last one a loop assigned with `=`)."""
    N = contributions.shape[0]
    if N < 2:
        return {}
    v: Variants = {}
    for k in range(N):
        which = (
            " (the first sample of the batch)"
            if k == 0
            else " (the last: a loop over the samples assigned with `=`?)" * (k == N - 1)
        )
        v[f"gradient-from-one-sample#{k}"] = (
            contributions[k],
            f"{quantity} is sample {k}'s contribution alone{which}, as if the batch held one sample; the "
            f"parameter is used by every sample, so its gradient sums the contributions of all {N} samples",
        )
    v.update(samples_skipped_variants(quantity, contributions))
    return unique(v, contributions.sum(axis=0))


def last_term_variant(quantity: str, last: np.ndarray, count: int, term: str, written: str) -> Variants:
    """A sum over ``count`` terms (the output units, the filters, the input features, the kernel offsets) that a loop
    assigned where it adds: each pass replaced the one before, so ``last``, the last term's contribution alone, is
    left. One tag for every such sum; the sentence names the loop. ``written`` is the assignment as a student writes
    it (``grad_x = ...``)."""
    if count < 2:
        return {}
    return {
        f"assigned-not-accumulated#{term}": (
            last,
            f"{quantity} is the contribution of the last {term[:-1]} alone ({term[:-1]} {count - 1} of {count}): a "
            f"loop over the {term} assigned each one's contribution (`{written} = ...`) instead of adding it "
            f"(`{written} += ...`), so each pass replaced the one before; {quantity} sums the contributions of all "
            f"{count} {term}",
        )
    }


def samples_skipped_variants(quantity: str, contributions: np.ndarray) -> Variants:
    """The batch's sum of the contributions (N, ...) with its first or its last sample left out: a loop over the
    samples that starts at 1 (``range(1, N)``, as if sample 0 were a header) or stops one short (``range(N - 1)``).
    From three samples on this is not one sample's contribution alone (a batch of 2 cannot tell the two apart)."""
    N = contributions.shape[0]
    if N < 2:
        return {}
    ends = {
        "first": (contributions[1:], "starts at 1 (range(1, N), range(1, len(x)))", "sample 0, the first,"),
        "last": (contributions[:-1], "stops one short (range(N - 1))", f"sample {N - 1}, the last,"),
    }
    return {
        f"loop-off-by-one#samples-{end}": (
            kept.sum(axis=0),
            f"{quantity} sums the contributions of {N - 1} of the {N} samples: the loop over the samples {loop}, so "
            f"{left} is left out; the parameter is used by every sample, so its gradient sums all {N} of them: loop "
            "over range(N), or sum the batch at once",
        )
        for end, (kept, loop, left) in ends.items()
    }


# ------------------------------------------------------------------------------- Conv2d
def _conv_forward(xp: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, geo: Geometry, step) -> np.ndarray:
    """``y[n, f, p, q] = b[f] + sum w[f, c, i, j] * xp[n, c, p*step0 + i, q*step1 + j]``."""
    F = weight.shape[0]
    y = np.zeros((xp.shape[0], F, *geo.out_hw))
    (Ho, Wo), (sH, sW) = geo.out_hw, step
    for i in range(geo.kernel[0]):
        for j in range(geo.kernel[1]):
            patch = xp[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW]
            y += np.einsum("ncpq,fc->nfpq", patch, weight[:, :, i, j])
    return y if bias is None else y + bias[None, :, None, None]


def _columns(xp: np.ndarray, geo: Geometry) -> np.ndarray:
    """im2col's (C*kH*kW, N*H'*W') matrix of the padded input, rows (c, i, j) and columns (n, p, q), as the
    reference lays it out: from windows of layout (C, kH, kW, N, H', W')."""
    (kH, kW), (Ho, Wo), (sH, sW) = geo.kernel, geo.out_hw, geo.stride
    N, C = xp.shape[:2]
    windows = np.empty((C, kH, kW, N, Ho, Wo))
    for i, j in itertools.product(range(kH), range(kW)):
        patch = xp[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW]
        windows[:, i, j] = patch.transpose(1, 0, 2, 3)
    return windows.reshape(C * kH * kW, N * Ho * Wo)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def columns_counter_reset(xp: np.ndarray, geo: Geometry) -> dict[str, tuple[np.ndarray, str]]:
    """im2col by hand, each window copied into column ``col`` and ``col += 1``, with ``col = 0`` inside a loop
    (over the samples, over the output rows, or inside the innermost one, as a counter never incremented): every
    pass of that loop writes its windows over the first ones' columns, so those hold the last pass's windows and
    the columns after them keep the zeros they were allocated with. ``tag -> (columns, mistake)``, one per block
    size, the columns laid out (n, p, q) as the reference's."""
    right = _columns(xp, geo)
    N, (Ho, Wo) = xp.shape[0], geo.out_hw
    loops = {  # block of columns one pass writes -> the loop whose every pass restarts the counter
        Ho * Wo: ("sample", "each sample's windows went into the first sample's columns"),
        Wo: ("output-row", "each output row's windows went into the first row's columns"),
        1: ("window", "every window went into column 0 (a counter reset for each window, or never incremented)"),
    }
    found: dict[str, tuple[np.ndarray, str]] = {}
    for block, (loop, went) in loops.items():
        if block >= N * Ho * Wo:  # one pass of that loop covers every column: the counter's reset changes nothing
            continue
        cols = np.zeros_like(right)
        cols[:, :block] = right[:, -block:]
        first = "column 0 holds" if block == 1 else f"the first {block} columns hold"
        found[f"counter-not-reset#{loop}"] = (
            cols,
            f"im2col's column counter was reset inside the loop over the {loop.replace('-', ' ')}s (`col = 0` in "
            f"that loop, not once before all of them): {went}, so {first} the last {loop.replace('-', ' ')}'s "
            f"windows and the other {N * Ho * Wo - block} stay zeros; start the counter once, before the loops, so "
            "each window gets a column of its own",
        )
    return found


# The column matrix reshaped to its transpose's shape and transposed: memory order kept, entries mixed.
COLUMNS_RESHAPED = (
    "the column matrix was made by reshaping the windows to (N*H'*W', C*kH*kW) and transposing (.T), while the "
    "windows are laid out with (C, kH, kW) first, (C, kH, kW, N, H', W'): a reshape keeps the entries in memory "
    "order, so each column of the result mixes entries of different windows and positions; a transpose moves axes, "
    "a reshape only regroups them: reshape in the order the axes are laid out, windows.reshape(C*kH*kW, N*H'*W') "
    "(or transpose the axes first, then reshape)"
)


def _columns_reshaped_then_transposed(xp: np.ndarray, geo: Geometry) -> np.ndarray:
    right = _columns(xp, geo)
    return right.reshape(right.shape[::-1]).T


# ------------------------------------------------------------------------------- im2col layouts
# The windows, or a block of them, held in memory in one order of their axes and reshaped as if laid out in another:
# a reshape keeps the entries in memory order and only regroups them, so the axes that changed places are mixed (a
# reshape where a transpose belongs, or the columns of one sample taken strided where im2col wrote them as one
# contiguous block). The axes as letters: c the channel, i and j the kernel offset, n the sample, p and q the output
# position; the windows in the reference's order are indexed "cijnpq" (rows (c, i, j), columns (n, p, q)).
WINDOW_AXES = "cijnpq"
_AXIS_SIZE = {"c": "C", "i": "kH", "j": "kW", "n": "N", "p": "H'", "q": "W'"}
_AXIS_WORDS = {
    "c": "channels",
    "i": "kernel rows",
    "j": "kernel columns",
    "n": "samples",
    "p": "output rows",
    "q": "output columns",
}


def laid_out(order: str) -> str:
    """``"ncpq"`` -> ``"(N, C, H', W')"``."""
    return "(" + ", ".join(_AXIS_SIZE[a] for a in order) + ")"


def relaid(right: np.ndarray, memory: str, assumed: str, axes: str = WINDOW_AXES) -> np.ndarray:
    """``right`` (indexed in the order ``axes``) as code reads it that holds the axes of ``memory`` in that order in
    memory and reshapes them as if they were laid out ``assumed`` (the same axes in another order); the other axes
    stay outside, untouched, as the loop over them or the block they index."""
    others = [a for a in axes if a not in memory]
    held = right.transpose([axes.index(a) for a in others + list(memory)])
    sizes = tuple(right.shape[axes.index(a)] for a in assumed)
    order = others + list(assumed)
    return held.reshape(held.shape[: len(others)] + sizes).transpose([order.index(a) for a in axes])


# How im2col is built with a reshape where the axes had to move: (memory, assumed, how it is written).
IM2COL_RESHAPES: tuple[tuple[str, str, str], ...] = (
    (
        "ncpq",
        "cnpq",
        "im2col's loop over the kernel offsets (i, j) stored each strided slice of the padded input, laid out "
        "(N, C, H', W'), into that offset's block of the windows, laid out (C, N, H', W'), with a reshape",
    ),
    (
        "ncij",
        "cijn",
        "im2col's loop over the output positions (p, q) stored each window of the padded input, laid out "
        "(N, C, kH, kW), into that position's block of the windows, laid out (C, kH, kW, N), with a reshape",
    ),
    (
        "ncpqij",
        "cijnpq",
        "the windows, laid out (N, C, H', W', kH, kW) as sliding_window_view gives them, were reshaped straight to "
        "the (C*kH*kW, N*H'*W') column matrix, whose rows are (c, i, j) and columns (n, p, q)",
    ),
    (
        "ncijpq",
        "cijnpq",
        "the windows, laid out (N, C, kH, kW, H', W'), were reshaped straight to the (C*kH*kW, N*H'*W') column "
        "matrix, whose rows are (c, i, j) and columns (n, p, q)",
    ),
    (
        "ijncpq",
        "cijnpq",
        "the strided slices of the padded input, one per kernel offset, stacked (kH, kW, N, C, H', W'), were "
        "reshaped straight to the (C*kH*kW, N*H'*W') column matrix, whose rows are (c, i, j) and columns (n, p, q)",
    ),
    (
        "npqcij",
        "cijnpq",
        "the windows, laid out one per row (N, H', W', C, kH, kW), were reshaped straight to the (C*kH*kW, N*H'*W') "
        "column matrix, where that matrix is their transpose",
    ),
    (
        "ncpqij",
        "npqcij",
        "the windows, laid out (N, C, H', W', kH, kW) as sliding_window_view gives them, were reshaped to one window "
        "per row, (N*H'*W', C*kH*kW), and transposed",
    ),
    (
        "ncijpq",
        "npqcij",
        "the windows, laid out (N, C, kH, kW, H', W'), were reshaped to one window per row, (N*H'*W', C*kH*kW), and "
        "transposed",
    ),
)

# Where the columns of sample n are, in the two orders of the columns (n, p, q) and (p, q, n).
_SAMPLE_COLUMNS = {
    "npq": "as one contiguous block, cols[:, n*H'*W':(n+1)*H'*W'] (the columns ordered (N, H', W'))",
    "pqn": "as every N-th column, cols[:, n::N] (the columns ordered (H', W', N))",
}
# The columns read in the other order: (memory, assumed).
COLUMN_ORDERS = (("npq", "pqn"), ("pqn", "npq"))


def _essential(shape: tuple[int, ...], memory: str, assumed: str, axes: str = WINDOW_AXES) -> tuple[str, str]:
    """The reshape that matters: the axes of size 1 dropped, and the axes both orders begin or end with in the same
    places (they stay where they are, as if outside the reshape: (N, C, kH, kW) read as (C, kH, kW, N) in a loop over
    the positions is (N, C, kH, kW, H', W') read as (C, kH, kW, N, H', W'))."""
    size = dict(zip(axes, shape, strict=True))
    memory, assumed = "".join(a for a in memory if size[a] > 1), "".join(a for a in assumed if size[a] > 1)
    while memory and memory[0] == assumed[0]:
        memory, assumed = memory[1:], assumed[1:]
    while memory and memory[-1] == assumed[-1]:
        memory, assumed = memory[:-1], assumed[:-1]
    return memory, assumed


def im2col_reshape_text(memory: str, assumed: str, where: str) -> str:
    """Why a reshape of the ``memory`` layout read as ``assumed`` mixes the windows, and the transpose it needs."""
    moved = [a for a in assumed if memory.index(a) != assumed.index(a)]
    words = " and ".join(_AXIS_WORDS[a] for a in moved) if len(moved) == 2 else ", ".join(_AXIS_WORDS[a] for a in moved)
    perm = ", ".join(str(memory.index(a)) for a in assumed)
    return (
        f"{where}: a reshape keeps the entries in memory order and only regroups them, so an array laid out "
        f"{laid_out(memory)} read as {laid_out(assumed)} mixes the {words}; moving axes needs a transpose, "
        f".transpose({perm}), before the reshape"
    )


def column_order_text(memory: str, assumed: str, what: str) -> str:
    """Sample n's columns taken in the ``assumed`` order while they are laid out in the ``memory`` one."""
    return (
        f"{what} sample n's columns {_SAMPLE_COLUMNS[assumed]}, while they are laid out "
        f"{_SAMPLE_COLUMNS[memory]}: windows of different samples and positions were mixed; take each sample's "
        "columns where im2col put them"
    )


def im2col_layouts(xp: np.ndarray, geo: Geometry) -> dict[str, tuple[np.ndarray, str]]:
    """``tag -> (windows (C, kH, kW, N, H', W') as the student's column matrix holds them, the mistake)``: im2col
    built with a reshape where a transpose belongs (reshape-not-transpose; two ways of writing one reshape of the
    memory, which give the same numbers, are named together), or sample n's columns read in the other order of the
    columns, contiguous for strided or the reverse (reshape-order; its sentence, "", is the caller's)."""
    right = _columns(xp, geo).reshape(xp.shape[1], *geo.kernel, xp.shape[0], *geo.out_hw)
    slips: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
    for memory, assumed, where in IM2COL_RESHAPES:
        key = _essential(right.shape, memory, assumed)
        if key[0]:
            slips.setdefault(key, (memory, assumed, []))[2].append(where)
    found: dict[str, tuple[np.ndarray, str]] = {}
    for memory, assumed, wheres in slips.values():  # (the first way of writing it says the layouts)
        found[f"reshape-not-transpose#im2col-{memory}-{assumed}"] = (
            relaid(right, memory, assumed),
            im2col_reshape_text(memory, assumed, ", or (the same reshape of the same memory) ".join(wheres)),
        )
    for memory, assumed in COLUMN_ORDERS:
        if _essential(right.shape, memory, assumed)[0]:
            found[f"reshape-order#sample-columns-{memory}-{assumed}"] = (relaid(right, memory, assumed), "")
    return found


def _pad(x: np.ndarray, geo: Geometry, top: int, left: int) -> np.ndarray:
    xp = np.zeros((*x.shape[:2], *geo.padded))
    xp[:, :, top : top + geo.in_hw[0], left : left + geo.in_hw[1]] = x
    return xp


# np.pad's modes that fill the padding with values of the input, and what each puts there.
_PAD_MODES = {
    "edge": "repeats the input's border row and column",
    "reflect": "mirrors the input about its border row and column",
    "symmetric": "mirrors the input, border row and column included",
    "wrap": "wraps around, filling each side with the opposite side's values",
}


def _padded_with_values(x: np.ndarray, geo: Geometry) -> dict[str, tuple[np.ndarray, str]]:
    """The input padded with values of its own (np.pad's edge, reflect, symmetric, wrap modes) where Conv2d
    pads with zeros: ``tag -> (padded input, the mistake)``."""
    (pH, pW), found = geo.padding, {}
    if (pH, pW) == (0, 0):
        return found
    for mode, does in _PAD_MODES.items():
        padded = _safely(lambda mode=mode: np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), mode=mode))
        if padded is not None:
            found[f"padding-not-zeros#{mode}"] = (
                padded,
                f'the input was padded with its own values, as np.pad(..., mode="{mode}") does (it {does}), where '
                "Conv2d pads with zeros: the padded rows and columns hold 0, so a window over the border sees only "
                "the input's real entries (np.pad's default mode, \"constant\", or a zero buffer with x copied "
                "into its middle)",
            )
    # The buffer made with another maker than np.zeros (np.ones, np.full(..., 1)): a constant border of ones.
    found["padding-not-zeros#ones"] = (
        np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), constant_values=1.0),
        "the padding holds ones, not zeros: the padded array was made with np.ones (or np.full(..., 1), or np.pad's "
        "constant_values=1) before x was copied into its middle, so every window over the border adds the kernel's "
        "weights there; Conv2d pads with zeros, np.zeros((N, C, H + 2 * pH, W + 2 * pW))",
    )
    return found


def _one_padding_for_both(x: np.ndarray, geo: Geometry) -> dict[str, tuple[np.ndarray, str]]:
    """The input padded with one axis's padding on both axes (pH for pW, or pW for pH), as forward's
    windows then see it: right for square padding only."""
    (pH, pW), found = geo.padding, {}
    if pH == pW:
        return found
    for tag, p, (used, other) in (
        ("square-only-index#padding-rows", pH, ("pH", "pW")),
        ("square-only-index#padding-columns", pW, ("pW", "pH")),
    ):
        wrong = Geometry(geo.kernel, geo.stride, (p, p), geo.in_hw, geo.out_hw)
        (kH, kW) = geo.kernel
        # (p, p) may also be the kernel's half ('same' padding): this case cannot tell the two apart, so say both.
        same = (p, p) in ((kH // 2, kW // 2), ((kH - 1) // 2, (kW - 1) // 2))
        found[tag] = (
            _pad(x, wrong, p, p),
            f"the input was padded with {used} = {p} on both axes, where the other axis needs its own "
            f"{other} (padding (pH, pW) = {geo.padding}): one number for both is right for square padding only"
            + (
                f"; here {(p, p)} is also the kernel's half, the 'same' padding kernel_size // 2 would give: either "
                "way, pad by the padding argument, each axis its own"
                if same
                else ""
            ),
        )
    return found


def _kernel_paddings(geo: Geometry) -> dict[tuple[int, int], str]:
    """The paddings a student derives from the kernel ('same' padding, keeping the image size) in place of the
    padding argument, each with how it is written; none that is the argument itself."""
    (kH, kW), (pH, pW) = geo.kernel, geo.padding
    # One axis's padding on both is a mistake of its own (_one_padding_for_both): numbers both give name neither.
    other_mistakes = {geo.padding, (pH, pH), (pW, pW)}
    found: dict[tuple[int, int], str] = {}
    for padding, written in (
        ((kH // 2, kW // 2), "kernel_size // 2"),
        (((kH - 1) // 2, (kW - 1) // 2), "(k - 1) // 2"),
    ):
        if padding not in other_mistakes:
            found.setdefault(padding, written)
    return found


def _padding_from_kernel(x: np.ndarray, geo: Geometry) -> dict[str, tuple[np.ndarray, str]]:
    """The input padded by the kernel's half ('same' padding) whatever the padding argument, as forward's windows
    then see it (from the top-left corner, as many as the argument's padding gives)."""
    found = {}
    for padding, written in _kernel_paddings(geo).items():
        same = replace(geo, padding=padding)
        found[f"padding-ignored#{written}"] = (
            _pad(x, same, *padding),
            f"the input was padded by {written} = {padding} on each side ('same' padding, which keeps the image size) "
            f"where the padding argument asks for {geo.padding}: the padding is the constructor's `padding` "
            "(self.padding), whatever the kernel size",
        )
    return found


# The tag of forward's output-position loops that several wrong bounds give alike on a case: names no mistake (a
# rerun on a wider or taller output tells them apart, see position_loop_probe).
POSITIONS_SKIPPED = pool_loops.POSITIONS_SKIPPED


def _position_loops(out_hw: tuple[int, int]) -> list[tuple[str, range, range, str]]:
    """Forward's loops over the output positions (p, q) with a wrong bound, ``(tag#name, rows, columns, mistake)``:
    one short, starting at 1, or bounded by the other axis's count (range(H') for the columns: right for square
    outputs only). A bound past the output's side is left out: that loop raises instead of leaving entries unset."""
    Ho, Wo = out_hw
    rows, cols = range(Ho), range(Wo)
    short = "forward's loop over the output {axis} stops one short, range({n} - 1) = range({m}), so its last {one}"
    start = "forward's loop over the output {axis} starts at 1, range(1, {n}), so its first {one}"
    loops = [
        (
            "loop-off-by-one#rows-stop-short",
            range(Ho - 1),
            cols,
            short.format(axis="rows", n="H'", m=Ho - 1, one="row"),
        ),
        (
            "loop-off-by-one#columns-stop-short",
            rows,
            range(Wo - 1),
            short.format(axis="columns", n="W'", m=Wo - 1, one="column"),
        ),
        ("loop-off-by-one#rows-from-one", range(1, Ho), cols, start.format(axis="rows", n="H'", one="row")),
        ("loop-off-by-one#columns-from-one", rows, range(1, Wo), start.format(axis="columns", n="W'", one="column")),
    ]
    if Ho > 1 and Wo > 1:
        loops.append(
            (
                "loop-off-by-one#both-stop-short",
                range(Ho - 1),
                range(Wo - 1),
                f"forward's loops over the output rows and columns both stop one short, range(H' - 1) = "
                f"range({Ho - 1}) and range(W' - 1) = range({Wo - 1}), so its last row and last column",
            )
        )
    if Wo < Ho:
        loops.append(
            (
                "square-only-index#rows-over-width",
                range(Wo),
                cols,
                f"forward's loop over the output rows runs over range(W') = range({Wo}), the output's width, where "
                f"range(H') = range({Ho}) belongs (one axis's count used for the other, right for square outputs "
                f"only), so its last {_count(Ho - Wo, 'row')}",
            )
        )
    if Ho < Wo:
        loops.append(
            (
                "square-only-index#columns-over-height",
                rows,
                range(Ho),
                f"forward's loop over the output columns runs over range(H') = range({Ho}), the output's height, "
                f"where range(W') = range({Wo}) belongs (one axis's count used for the other, right for square "
                f"outputs only), so its last {_count(Wo - Ho, 'column')}",
            )
        )
    return loops


def position_loop_variants(right: np.ndarray, bias: np.ndarray | None, geo: Geometry, merge: bool = True) -> Variants:
    """The output of a loop over the output positions with a wrong bound: the right value where the loops reached,
    and where they did not the zeros y was allocated with (or the bias alone, added after the loops). Bounds that
    reach the same positions give the same numbers: with ``merge`` they become one statement under
    :data:`POSITIONS_SKIPPED` that names every mistake it could be and claims none."""
    fills = {"": np.zeros_like(right)}
    if bias is not None:
        fills["-bias-after"] = np.broadcast_to(bias[None, :, None, None], right.shape)
    groups: dict[tuple[range, range], list[tuple[str, str]]] = {}
    for tag, rows, cols, text in _position_loops(geo.out_hw):
        groups.setdefault((rows, cols), []).append((tag, text))
    v: Variants = {}
    for (rows, cols), fits in groups.items():
        reached = np.zeros(geo.out_hw, dtype=bool)
        reached[np.ix_(list(rows), list(cols))] = True
        for suffix, fill in fills.items():
            value = np.where(reached, right, fill)
            left = "keep only the bias, added after the loops" if suffix else "keep the zeros y was allocated with"
            if len(fits) == 1 or not merge:
                for tag, text in fits:
                    v[tag + suffix] = (value, f"{text} {left}; the loops run over range(H') and range(W')")
                continue
            v[f"{POSITIONS_SKIPPED}#{len(v)}{suffix}"] = (
                value,
                f"forward's loops over the output positions reach the rows {list(rows)} and the columns {list(cols)} "
                f"only, where range(H') and range(W') belong; the positions they skip {left}. Here the bound that "
                "falls short fits " + " or ".join(f"'{text.partition(', so ')[0]}'" for _, text in fits),
            )
    return v


def conv_forward_variants(twin: Any, x: np.ndarray, geo: Geometry) -> Variants:
    weight, bias = twin.params["weight"], twin.params.get("bias")
    pH, pW = geo.padding
    xp = _pad(x, geo, pH, pW)
    v: Variants = {
        "flipped-kernel": (
            _conv_forward(xp, weight[:, :, ::-1, ::-1], bias, geo, geo.stride),
            "the kernel was flipped (true convolution); PyTorch's Conv2d, like ours, is a cross-correlation: "
            "slide the kernel without flipping it",
        )
    }
    if bias is not None:
        unbiased = _conv_forward(xp, weight, None, geo, geo.stride)
        v["bias-not-added"] = (
            unbiased,
            "forward never adds the bias: y = w * x + b, one b[f] per output channel",
        )
        N, F, (Ho, Wo) = x.shape[0], weight.shape[0], geo.out_hw
        # The bias spread over the (F, N*H'*W') product with np.tile: whole copies of the vector, one after another.
        tiled = np.tile(bias, N * Ho * Wo).reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3)
        v["tile-for-repeat"] = (
            unbiased + tiled,
            f"the bias was spread over the (F, N*H'*W') output matrix with np.tile(bias, N*H'*W') reshaped to (F, "
            f"{N * Ho * Wo}): np.tile lays whole copies of the vector end to end (b0 b1 ... b{F - 1} b0 b1 ...), so "
            "each row mixes the biases of every filter; each filter's row needs its own b[f] throughout: "
            "np.repeat(bias, N*H'*W') (each entry repeated in place), or simply broadcast bias[:, None]",
        )
        if Ho == F:  # a (F, 1) column added to the (N, F, H', W') output runs down each map's rows
            v["broadcast-wrong-axis#bias-column"] = (
                unbiased + bias[:, None],
                f"the bias was added as a column bias[:, None], shape ({F}, 1), to the output laid out (N, F, H', "
                "W'): numpy lines its two axes up with the last two, so bias[k] went to row k of every map (here H' "
                f"= F = {F}, so nothing raised) instead of to channel k; add bias[None, :, None, None] (or add it "
                "before the (F, N*H'*W') product is reshaped)",
            )
        v["tile-for-repeat#nchw"] = (
            unbiased + np.tile(bias, N * Ho * Wo).reshape(N, F, Ho, Wo),
            f"the bias was spread over the (N, F, H', W') output with np.tile(bias, N*H'*W') reshaped to its shape: "
            f"np.tile lays whole copies of the vector end to end (b0 b1 ... b{F - 1} b0 b1 ...) along the last axis, "
            "so each channel's map mixes the biases of every filter; output channel f needs b[f] at every "
            "position: broadcast bias[None, :, None, None]",
        )
    whole = np.trunc(x)
    if not np.array_equal(whole, x):  # an integer buffer keeps only the whole part of each value
        v["integer-buffer-truncates"] = (
            _conv_forward(_pad(whole, geo, pH, pW), weight, bias, geo, geo.stride),
            "the convolution saw the input truncated toward 0: it was copied into an integer array (a padded "
            "buffer made with np.zeros(..., dtype=int), or x.astype(int)), and an integer dtype drops the "
            "fractions; keep the buffer float64: np.zeros(shape) is float by default",
        )
    if (pH, pW) != (0, 0):
        v["padding-one-side"] = (
            _conv_forward(_pad(x, geo, 0, 0), weight, bias, geo, geo.stride),
            f"the input was copied to the top-left corner of the padded array (xp[:, :, :H, :W] = x), so all "
            f"the padding is at the bottom and right; it belongs on every side: xp[:, :, {pH}:{pH}+H, {pW}:{pW}+W] = x",
        )
    for tag, (step, text) in _steps(geo).items():
        value = _safely(lambda step=step: _conv_forward(xp, weight, bias, geo, step))
        if value is not None:
            v[tag] = (value, f"in forward, {text}")
        # Every window the wrong step gives: the output-size formula written with the wrong stride too.
        natural = replace(
            geo, out_hw=tuple(1 + (n - k) // s for n, k, s in zip(geo.padded, geo.kernel, step, strict=True))
        )
        if natural.out_hw != geo.out_hw:
            value = _conv_forward(xp, weight, bias, natural, step)
            v[tag + ("-all-windows" if "#" in tag else "#all-windows")] = (
                value,
                f"in forward, {text}, which gives {natural.out_hw} windows",
            )
    wrongly_padded = {**_one_padding_for_both(x, geo), **_padded_with_values(x, geo), **_padding_from_kernel(x, geo)}
    for tag, (xp_wrong, text) in wrongly_padded.items():
        value = _safely(lambda xp_wrong=xp_wrong: _conv_forward(xp_wrong, weight, bias, geo, geo.stride))
        if value is not None:
            v[tag] = (value, text)
    C = weight.shape[1]
    if C > 1:  # a loop over the input channels that assigns each channel's response: the last one is left
        last_only = np.zeros_like(weight)
        last_only[:, -1] = weight[:, -1]
        v["assigned-not-accumulated#channels"] = (
            _conv_forward(xp, last_only, bias, geo, geo.stride),
            f"the output is the response of the last input channel alone (channel {C - 1} of {C}): a loop over the "
            "input channels assigned each channel's response to y (`y = ...`) instead of adding it (`y += ...`), so "
            "each channel replaced the one before; every output sums the products over all the input channels",
        )
    v.update(position_loop_variants(_conv_forward(xp, weight, bias, geo, geo.stride), bias, geo))
    kH, kW = geo.kernel  # a loop over the kernel offsets (i, j) that assigns: the last offset's products alone
    last_offset = np.zeros_like(weight)
    last_offset[:, :, -1, -1] = weight[:, :, -1, -1]
    v.update(
        last_term_variant("the output", _conv_forward(xp, last_offset, bias, geo, geo.stride), kH * kW, "offsets", "y")
    )
    F = weight.shape[0]
    if F > 1 and weight[0].size > 1:
        v["reshape-not-transpose"] = (
            _conv_forward(xp, weight.reshape(-1, F).T.reshape(weight.shape), bias, geo, geo.stride),
            "the weight matrix was built as W.reshape(-1, F).T, a reshape where W.reshape(F, -1) belongs: a "
            "reshape keeps the entries in memory order, so each row of the (F, C*kH*kW) matrix mixes the filters",
        )
    for tag, (cols, text) in columns_counter_reset(xp, geo).items():
        y = weight.reshape(F, -1) @ cols + (0.0 if bias is None else bias[:, None])
        v[tag] = (y.reshape(F, x.shape[0], *geo.out_hw).transpose(1, 0, 2, 3), f"in forward, {text}")
    mixed_columns = _columns_reshaped_then_transposed(xp, geo)
    if mixed_columns.shape[0] > 1 and mixed_columns.shape[1] > 1:
        y = weight.reshape(F, -1) @ mixed_columns + (0.0 if bias is None else bias[:, None])
        v["reshape-not-transpose#columns"] = (
            y.reshape(F, x.shape[0], *geo.out_hw).transpose(1, 0, 2, 3),
            f"in forward, {COLUMNS_RESHAPED}",
        )
    for tag, (windows, text) in im2col_layouts(xp, geo).items():
        y = np.einsum("fcij,cijnpq->nfpq", weight, windows)
        said = f"in forward, {text}" if text else column_order_text(*tag.rsplit("-", 2)[1:], "forward took")
        v[tag] = (y if bias is None else y + bias[None, :, None, None], said)
    N = x.shape[0]
    if N > 1 and F > 1:  # the (F, N*H'*W') product reshaped to (N, F, H', W') without moving its channel axis
        right = copy.deepcopy(twin.ref).forward(x)
        v["axes-permuted#output"] = (
            right.transpose(1, 0, 2, 3).reshape(N, F, *geo.out_hw),
            "forward reshaped the (F, N*H'*W') product of the weight matrix and the columns straight to (N, F, H', "
            "W'): a reshape keeps the entries in memory order, so each image's channels mix the images; reshape to "
            "(F, N, H', W') and move the channel axis: .transpose(1, 0, 2, 3)",
        )
    if weight[0].size > 1 and weight.shape[1] > 1:  # each row of the matrix runs over (c, i, j), c fastest
        v["flatten-column-major#weight"] = (
            _conv_forward(xp, weight.reshape(F, -1, order="F").reshape(weight.shape), bias, geo, geo.stride),
            'the weight matrix was built with reshape(F, -1, order="F"): column-major (Fortran, MATLAB) order '
            "runs the first axes fastest, so each row lists the filter's entries with the channel c fastest, while "
            "the rows of the im2col matrix run in numpy's row-major (C) order, (c, i, j) with j fastest; keep the "
            "default order, W.reshape(F, -1)",
        )
    if weight[0].size > 1 and weight.shape[1] > 1:
        # The weight's rows ordered channels-last, (i, j, c), against the im2col rows' (c, i, j): a TensorFlow
        # layout moved into the product (or the weight read as if it were stored (F, kH, kW, C)).
        last = weight.transpose(0, 2, 3, 1).reshape(F, -1).reshape(weight.shape)
        read = weight.reshape(F, weight.shape[2], weight.shape[3], weight.shape[1]).transpose(0, 3, 1, 2)
        for key, w_eff, how in (
            ("moved", last, "was flattened channels-last, W.transpose(0, 2, 3, 1).reshape(F, -1), rows (i, j, c)"),
            ("read", read, "was read as if stored channels-last (F, kH, kW, C), rows (i, j, c)"),
        ):
            v[f"channels-last-layout#weight-{key}"] = (
                _conv_forward(xp, w_eff, bias, geo, geo.stride),
                f"the weight matrix {how}, while the rows of the im2col matrix run (c, i, j), the channel slowest: "
                "each filter's entries met the wrong window entries. The weight is stored (F, C, kH, kW), channels "
                "first as PyTorch: W.reshape(F, -1) lists them in the columns' order",
            )
    if geo.kernel[0] == geo.kernel[1] and geo.kernel[0] > 1:
        v["kernel-transposed"] = (
            _conv_forward(xp, weight.transpose(0, 1, 3, 2), bias, geo, geo.stride),
            "the kernel was used transposed (w[f, c, j, i] at offset (i, j)): the first kernel axis runs down "
            "the rows, the second along the columns",
        )
    return unique(v, copy.deepcopy(twin.ref).forward(x))


def backward_step(geo: Geometry, tag: str) -> tuple[int, int] | None:
    """The distance between windows that a stride mistake of Conv2d's backward (a tag of its input gradient's
    variants) places them at, or None for a tag that is no stride mistake."""
    steps = {tag: step for tag, (step, _) in _steps(geo).items() if tag != "stride-ignored"}
    if geo.stride != (1, 1):
        steps["conv-backward-ignores-stride"] = (1, 1)
    return steps.get(tag)


def conv_input_gradient(weight: np.ndarray, g: np.ndarray, geo: Geometry, step: tuple[int, int]) -> np.ndarray | None:
    """Conv2d's input gradient with the windows ``step`` apart, or None where such windows run past the padded
    input (a student's slice there comes out short, and numpy raises)."""
    (pH, pW), (H, W) = geo.padding, geo.in_hw
    shape = (g.shape[0], weight.shape[1], *geo.padded)
    padded = _safely(lambda: scatter(lambda i, j: np.einsum("nfpq,fc->ncpq", g, weight[:, :, i, j]), shape, geo, step))
    return None if padded is None else padded[:, :, pH : pH + H, pW : pW + W]


def conv_backward_variants(twin: Any, x: np.ndarray, g: np.ndarray, geo: Geometry) -> dict[str, Variants]:
    weight = twin.params["weight"]
    (pH, pW), (H, W) = geo.padding, geo.in_hw
    N, C = x.shape[:2]
    kH, kW = geo.kernel
    padded_shape = (N, C, *geo.padded)

    def pieces_for(w: np.ndarray, grad: np.ndarray = g) -> Pieces:
        return lambda i, j: np.einsum("nfpq,fc->ncpq", grad, w[:, :, i, j])

    def crop(padded: np.ndarray, top: int = pH, left: int = pW) -> np.ndarray:
        return padded[:, :, top : top + H, left : left + W]

    right = scatter(pieces_for(weight), padded_shape, geo, geo.stride)
    inp: Variants = {}
    if geo.stride != (1, 1):  # the tag the catalogue has used since the start for the stride ignored
        inp["conv-backward-ignores-stride"] = (
            crop(scatter(pieces_for(weight), padded_shape, geo, (1, 1))),
            f"backward scattered the windows' gradients as if the stride were 1, not {geo.stride}",
        )
    for tag, (step, text) in _steps(geo).items():
        if tag != "stride-ignored":
            value = _safely(lambda step=step: crop(scatter(pieces_for(weight), padded_shape, geo, step)))
            if value is not None:
                inp[tag] = (value, f"in backward, {text}")
    if (pH, pW) != (0, 0):
        inp["conv-backward-ignores-padding"] = (
            crop(right, 0, 0),
            f"the padding was not removed correctly: grad_x is grad_xp[:, :, {pH}:{pH}+H, {pW}:{pW}+W], the "
            "padded gradient without its border",
        )
    if 0 in (pH, pW):
        inp["unpad-negative-slice"] = (
            right[:, :, pH:-pH, pW:-pW],
            f"the padding was removed with grad_xp[:, :, p:-p, ...]; with padding {geo.padding} the slice 0:-0 "
            "is empty (-0 is 0, the start). Slice grad_xp[:, :, pH:pH + H, pW:pW + W] instead",
        )
    for padding, written in _kernel_paddings(geo).items():  # col2im on forward's 'same'-padded array, then unpadded
        same = replace(geo, padding=padding)  # with the argument's padding: the border left is the difference
        rows, cols = same.padded[0] - 2 * pH, same.padded[1] - 2 * pW
        # Windows that run past a padding smaller than the argument's write outside the student's array (its
        # entries inside are as simulated): a buffer as large as the windows reach holds what the crop sees.
        reach = [
            max(n, (o - 1) * s + k) for n, o, s, k in zip(same.padded, geo.out_hw, geo.stride, geo.kernel, strict=True)
        ]
        if rows > 0 and cols > 0:
            value = _safely(lambda reach=reach: scatter(pieces_for(weight), (N, C, *reach), geo, geo.stride))
            if value is not None:
                inp[f"padding-ignored#{written}"] = (
                    value[:, :, pH : pH + rows, pW : pW + cols],
                    f"forward padded the input by {written} = {padding} on each side ('same' padding) where the "
                    f"padding argument asks for {geo.padding}, and backward removed the argument's padding from "
                    f"that array, shape {(rows, cols)}: the padding is the constructor's `padding` (self.padding), "
                    "whatever the kernel size",
                )
    inp["overlap-overwritten"] = (
        crop(scatter(pieces_for(weight), padded_shape, geo, geo.stride, assign=True)),
        OVERWRITTEN,
    )
    inp["overlap-normalised"] = (crop(right / np.maximum(coverage(geo), 1.0)), NORMALISED)

    def window_block(p: int, q: int) -> np.ndarray:
        return np.einsum("nf,fcij->ncij", g[:, :, p, q], weight)

    inp["overlap-overwritten#window"] = (crop(scatter_by_window(window_block, padded_shape, geo)), OVERWRITTEN)
    # dcols reshaped as (C, kW, kH, ...) and transposed: offset (i, j) reads the flat row j*kH + i.
    flat = weight.reshape(*weight.shape[:2], kH * kW)
    swapped = np.stack([np.stack([flat[:, :, j * kH + i] for j in range(kW)], -1) for i in range(kH)], -2)
    if not np.array_equal(swapped, weight):
        inp["kernel-offset-swapped"] = (
            crop(scatter(pieces_for(swapped), padded_shape, geo, geo.stride)),
            "backward unpacked the kernel offsets with kH and kW swapped (a reshape to (C, kW, kH, ...)); the "
            "rows of cols are ordered (c, i, j), i down the kernel's kH rows, j along its kW columns",
        )
    dcols = np.einsum("nfpq,fcij->cijnpq", g, weight)  # dcols = W.reshape(F, -1).T @ G, as (C, kH, kW, N, H', W')
    for memory, assumed in COLUMN_ORDERS:
        if _essential(dcols.shape, memory, assumed)[0]:
            read = relaid(dcols, assumed, memory)  # written in the order assumed, read by col2im in its own
            inp[f"reshape-order#sample-columns-{memory}-{assumed}"] = (
                crop(
                    scatter(lambda i, j, read=read: read[:, i, j].transpose(1, 0, 2, 3), padded_shape, geo, geo.stride)
                ),
                "backward wrote sample n's column gradient, W.reshape(F, -1).T @ grad_y[n], "
                f"{_SAMPLE_COLUMNS[assumed]}, while col2im reads each sample's columns {_SAMPLE_COLUMNS[memory]}: "
                "the gradients of different samples and positions went back to the wrong windows; write each sample's "
                "columns where col2im reads them",
            )
    inp.update(_dcols_read_orders(weight, g, geo, lambda pieces: crop(scatter(pieces, padded_shape, geo, geo.stride))))
    inp["flipped-kernel"] = (
        crop(scatter(pieces_for(weight[:, :, ::-1, ::-1]), padded_shape, geo, geo.stride)),
        "backward used the flipped kernel; with col2im the windows' gradients go back through the same, "
        "unflipped weights that forward used (cross-correlation)",
    )
    if weight.shape[0] > 1 and weight[0].size > 1:  # dcols = W.reshape(-1, F) @ G: a reshape for the transpose
        inp["reshape-not-transpose"] = (
            crop(
                scatter(
                    pieces_for(weight.reshape(-1, weight.shape[0]).T.reshape(weight.shape)),
                    padded_shape,
                    geo,
                    geo.stride,
                )
            ),
            "backward's column gradient multiplied G by W.reshape(-1, F), a reshape where the transpose of the "
            "(F, C*kH*kW) weight matrix belongs: a reshape keeps the entries in memory order, so it mixes the "
            "filters; dcols = W.reshape(F, -1).T @ G",
        )
    inp.update(shape_mistakes.unpad_variants(right, geo.padding, geo.in_hw))
    # col2im's loops over the kernel offsets visiting too few of them (range(kH) for the columns, say).
    for n, (tag, rows, cols, text) in enumerate(_offset_loops(geo)):
        inp[f"{tag}#offsets-{n}"] = (
            crop(
                scatter(
                    lambda i, j, rows=rows, cols=cols: pieces_for(weight)(i, j) * (i in rows and j in cols),
                    padded_shape,
                    geo,
                    geo.stride,
                )
            ),
            text.replace("backward's loop", "col2im's loop"),
        )
    inp["zip-for-product"] = (crop(zipped_offsets(pieces_for(weight), padded_shape, geo)), ZIPPED)
    # dcols = sum_f outer(W[f], G[f]): a loop over the filters that assigns leaves the last filter's.
    last_filter = crop(scatter(pieces_for(weight[-1:], g[:, -1:]), padded_shape, geo, geo.stride))
    inp.update(last_term_variant("the input gradient", last_filter, weight.shape[0], "filters", "dcols"))
    grad_w = _conv_weight(_pad(x, geo, pH, pW), g, weight.shape, geo, geo.stride)  # this call's weight.grad
    inp["parameter-grad-for-data"] = (
        crop(scatter(pieces_for(grad_w), padded_shape, geo, geo.stride)),
        "backward multiplied by the weight's gradient, `weight.grad` (just accumulated), where its value "
        "`weight.data` belongs: dcols = W.reshape(F, -1).T @ grad_y's columns, with W = weight.data",
    )
    inp["data-for-grad"] = (
        crop(scatter(pieces_for(weight + grad_w), padded_shape, geo, geo.stride)),
        "backward added the weight's gradient into `weight.data`, the filters themselves, where `weight.grad` "
        "belongs: the filters moved during backward, `weight.grad` stayed zero, and dcols = W.reshape(F, -1).T @ G "
        "was computed with the moved filters. backward only accumulates into .grad; the optimizer's step changes .data",
    )
    F = weight.shape[0]
    # grad_y (N, F, H', W') reshaped to the (F, N*H'*W') matrix of columns without its transpose: row f of that
    # matrix holds memory's f-th stretch of N*H'*W' numbers, i.e. the gradient each formula then reads is this.
    mixed = g.reshape(F, N, *geo.out_hw).transpose(1, 0, 2, 3) if N > 1 and F > 1 else None
    unmoved = (
        "backward reshaped grad_y (N, F, H', W') straight to the (F, N*H'*W') matrix of columns without moving its "
        "channel axis first: a reshape keeps the entries in memory order, so each row of that matrix mixes samples "
        "and channels; grad_y.transpose(1, 0, 2, 3).reshape(F, -1) lines the columns up with forward's"
    )
    if mixed is not None:
        inp["axes-permuted"] = (
            crop(scatter(pieces_for(weight, mixed), padded_shape, geo, geo.stride)),
            unmoved,
        )
    # grad_y.T: on a 4-D array .T reverses every axis, (W', H', F, N), and the reshape to (F, N*H'*W') reads that.
    reversed_g = g.T.reshape(F, N, *geo.out_hw).transpose(1, 0, 2, 3)
    every_axis = (
        "backward laid grad_y (N, F, H', W') out as the (F, N*H'*W') matrix with grad_y.T: on an array of more than "
        "two axes .T reverses every axis, giving (W', H', F, N), not the first two swapped, so the reshape mixes "
        "positions, channels and samples; swap only the first two: grad_y.transpose(1, 0, 2, 3).reshape(F, -1)"
    )
    inp["axes-permuted#reversed"] = (
        crop(scatter(pieces_for(weight, reversed_g), padded_shape, geo, geo.stride)),
        every_axis,
    )
    v: dict[str, Variants] = {
        "input": unique(inp, crop(right)),
        "weight": _conv_weight_variants(x, g, weight.shape, geo),
    }
    xp = _pad(x, geo, pH, pW)
    if mixed is not None:
        v["weight"] = unique(
            {**v["weight"], "axes-permuted": (_conv_weight(xp, mixed, weight.shape, geo, geo.stride), unmoved)},
            _conv_weight(xp, g, weight.shape, geo, geo.stride),
        )
    v["weight"] = unique(
        {
            **v["weight"],
            "axes-permuted#reversed": (_conv_weight(xp, reversed_g, weight.shape, geo, geo.stride), every_axis),
        },
        _conv_weight(xp, g, weight.shape, geo, geo.stride),
    )
    if "bias" in twin.params:
        v["bias"] = {
            "bias-mean-not-sum": (
                g.mean(axis=(0, 2, 3)),
                "the bias gradient is the *sum* of grad_y over the batch and every position, not its mean",
            )
        }
        v["bias"].update(one_sample_variants("the bias gradient", g.sum(axis=(2, 3))))
        if math.prod(geo.out_hw) > 1:
            v["bias"]["mean-over-positions-not-sum"] = (
                g.sum(axis=0).mean(axis=(1, 2)),
                f"the bias gradient was averaged over the H'W' = {math.prod(geo.out_hw)} positions; every position "
                "uses the bias once, so it *sums* grad_y over the batch and all positions",
            )
        axes = ("the batch", "the output channels", "the output rows", "the output columns")
        v["bias"].update(
            shape_mistakes.parameter_reductions("bias", g, (0, 2, 3), (g.shape[1],), axes, "output channel")
        )
        if mixed is not None:  # (with N = F it sums each sample's gradient, as a sum over axes (1, 2, 3) would)
            v["bias"]["axes-permuted"] = (mixed.sum(axis=(0, 2, 3)), unmoved)
            v["bias"] = unique(v["bias"], g.sum(axis=(0, 2, 3)))
    return v


# The orders a student may read the (C*kH*kW, N*H'*W') column gradient in before transposing it to (C, kH, kW, N,
# H', W'): its rows are (c, i, j) and its columns (n, p, q), so only the reshape (C, kH, kW, N, H', W') reads it
# right; im2col's (N, C, kH, kW, H', W') block layout, or the columns' axes first, mixes samples, channels and
# offsets. Each entry: the axes of the reshape, as letters of "cijnpq", and how it is written.
_DCOLS_ORDERS = {
    "ncijpq": "(N, C, kH, kW, H', W')",
    "npqcij": "(N, H', W', C, kH, kW)",
    "cijpqn": "(C, kH, kW, H', W', N)",
    "ijcnpq": "(kH, kW, C, N, H', W')",  # the kernel offsets before the channel, as a channels-last layout has them
}


def _dcols_read_orders(
    weight: np.ndarray, g: np.ndarray, geo: Geometry, col2im: Callable[[Pieces], np.ndarray]
) -> Variants:
    """col2im of the right column gradient read in another axis order (a reshape to another shape, then the
    transpose to (C, kH, kW, N, H', W')): the same numbers, each sent to another sample, channel or offset."""
    right = np.einsum("nfpq,fcij->cijnpq", g, weight)  # dcols = W.reshape(F, -1).T @ G, as (C, kH, kW, N, H', W')
    sizes = dict(zip("cijnpq", right.shape, strict=True))
    v: Variants = {}
    for order, written in _DCOLS_ORDERS.items():
        if [sizes[a] for a in order if sizes[a] > 1] == [sizes[a] for a in "cijnpq" if sizes[a] > 1]:
            continue  # the axes of size above 1 keep their order: the same memory, the same numbers
        read = right.reshape([sizes[a] for a in order]).transpose([order.index(a) for a in "cijnpq"])
        v[f"reshape-order#dcols-{order}"] = (
            col2im(lambda i, j, read=read: read[:, i, j].transpose(1, 0, 2, 3)),
            f"backward's column gradient dcols, the (C*kH*kW, N*H'*W') matrix W.reshape(F, -1).T @ G, was reshaped "
            f"as {written} and then transposed: a reshape reads the entries in memory order, and that matrix's "
            "rows are (c, i, j) and its columns (n, p, q), so it is reshaped to (C, kH, kW, N, H', W') directly; "
            "another order sends each value to another sample, channel or kernel offset",
        )
    return v


def _conv_weight(xp: np.ndarray, g: np.ndarray, shape: tuple[int, ...], geo: Geometry, step) -> np.ndarray:
    """``dw[f, c, i, j] = sum g[n, f, p, q] * xp[n, c, p*step0 + i, q*step1 + j]``."""
    grad = np.zeros(shape)
    (Ho, Wo), (sH, sW) = geo.out_hw, step
    for i in range(geo.kernel[0]):
        for j in range(geo.kernel[1]):
            patch = xp[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW]
            grad[:, :, i, j] = np.einsum("nfpq,ncpq->fc", g, patch)
    return grad


def _conv_weight_variants(x: np.ndarray, g: np.ndarray, shape: tuple[int, ...], geo: Geometry) -> Variants:
    """The weight gradient that forward's windows give when forward places them wrongly."""
    xp = _pad(x, geo, *geo.padding)
    v: Variants = {
        "flipped-kernel": (
            _conv_weight(xp, g, shape, geo, geo.stride)[:, :, ::-1, ::-1],
            "the kernel was flipped (true convolution); PyTorch's Conv2d, like ours, is a cross-correlation: "
            "slide the kernel without flipping it",
        )
    }
    if geo.padding != (0, 0):
        v["padding-one-side"] = (
            _conv_weight(_pad(x, geo, 0, 0), g, shape, geo, geo.stride),
            "the input was copied to the top-left corner of the padded array (xp[:, :, :H, :W] = x), so all the "
            "padding is at the bottom and right, and the weight gradient sees the windows of that array",
        )
    G = g.transpose(1, 0, 2, 3).reshape(shape[0], -1)
    for tag, (cols, text) in columns_counter_reset(xp, geo).items():
        v[tag] = ((G @ cols.T).reshape(shape), f"the weight gradient G @ cols.T reuses forward's columns, and {text}")
    mixed_columns = _columns_reshaped_then_transposed(xp, geo)
    if mixed_columns.shape[0] > 1 and mixed_columns.shape[1] > 1:  # (dw = G @ cols.T reads forward's columns)
        v["reshape-not-transpose#columns"] = (
            (G @ mixed_columns.T).reshape(shape),
            f"the weight gradient G @ cols.T reuses forward's column matrix, and {COLUMNS_RESHAPED}",
        )
    for tag, (windows, text) in im2col_layouts(xp, geo).items():
        said = (
            f"the weight gradient G @ cols.T reuses forward's column matrix, and {text}"
            if text
            else column_order_text(*tag.rsplit("-", 2)[1:], "the weight gradient paired grad_y[n] with")
        )
        v[tag] = (np.einsum("nfpq,cijnpq->fcij", g, windows), said)
    per_sample = np.stack([_conv_weight(xp[n : n + 1], g[n : n + 1], shape, geo, geo.stride) for n in range(len(x))])
    v.update(one_sample_variants("the weight gradient", per_sample))
    # dw = sum over the positions (p, q) of grad_y there times the window there: a loop over them that assigns.
    last_position = np.zeros_like(g)
    last_position[:, :, -1, -1] = g[:, :, -1, -1]
    last = _conv_weight(xp, last_position, shape, geo, geo.stride)
    v.update(last_term_variant("the weight gradient", last, math.prod(geo.out_hw), "positions", "dw"))
    wrongly_padded = {**_one_padding_for_both(x, geo), **_padded_with_values(x, geo), **_padding_from_kernel(x, geo)}
    for tag, (xp_wrong, text) in wrongly_padded.items():
        value = _safely(lambda xp_wrong=xp_wrong: _conv_weight(xp_wrong, g, shape, geo, geo.stride))
        if value is not None:
            v[tag] = (value, f"forward's windows, which the weight gradient reuses: {text}")
    for tag, (step, text) in _steps(geo).items():
        value = _safely(lambda step=step: _conv_weight(xp, g, shape, geo, step))
        if value is not None:
            v[tag] = (value, f"the windows' geometry (forward's columns, which the weight gradient reuses): {text}")
    return unique(v, _conv_weight(xp, g, shape, geo, geo.stride))


# ------------------------------------------------------------------------------- pooling
def _pool_of(x: np.ndarray, geo: Geometry, average: bool) -> np.ndarray:
    """Every window of ``x`` one row and one column apart, pooled."""
    windows = pool_windows(x, geo.kernel, (1, 1))
    return windows.mean(axis=-1) if average else windows.max(axis=-1)


SWAPPED = (
    "the window was sized (kW, kH), width first as image libraries write sizes, where the window view's axes "
    "(2, 3) are the rows and the columns: the window is (kH, kW), height first, kH rows by kW columns (the two "
    "agree for a square window only)"
)


def _swapped_windows(x: np.ndarray, geo: Geometry) -> np.ndarray | None:
    """Every window of the kernel pair swapped, (kW, kH), placed with the right stride, flat: (N, C, H'', W'', k)."""
    (kH, kW), (sH, sW) = geo.kernel, geo.stride
    if kH == kW:
        return None
    windows = np.lib.stride_tricks.sliding_window_view(x, (kW, kH), axis=(2, 3))[:, :, ::sH, ::sW]
    return windows.reshape(*windows.shape[:4], kH * kW)


def pool_forward_variants(component: Component, twin: Any, x: np.ndarray, geo: Geometry) -> Variants:
    average = component.formula == "avg-pool"
    v: Variants = {}
    Ho, Wo = geo.out_hw

    def pooled(step: tuple[int, int], crop: bool = True) -> np.ndarray:
        windows = pool_windows(x, geo.kernel, step)
        if crop:  # the right number of windows, placed with the wrong step
            windows = windows[:, :, :Ho, :Wo]
            if windows.shape[2:4] != (Ho, Wo):
                raise ValueError("the windows do not fit")
        return windows.mean(axis=-1) if average else windows.max(axis=-1)

    for tag, (step, text) in _steps(geo).items():
        value = _safely(lambda step=step: pooled(step))
        if value is not None:
            v[tag] = (value, f"in forward, {text}")
        # Every window the wrong step gives (a slice ::step of the window view): the shape shows it too.
        natural = pooled(step, crop=False)
        if natural.shape[2:] != (Ho, Wo):
            v[tag + ("-all-windows" if "#" in tag else "#all-windows")] = (
                natural,
                f"in forward, {text}, which gives {natural.shape[2:]} windows",
            )
    (sH, sW) = geo.stride
    if geo.stride != (1, 1):  # the stride skips input rows and columns, then every window of what is left
        subsampled = _safely(lambda: _pool_of(x[:, :, ::sH, ::sW], geo, average))
        if subsampled is not None:
            v["stride-before-window"] = (
                subsampled,
                f"forward subsampled the input first (x[:, :, ::sH, ::sW]: one row in {sH}, one column in {sW}) and "
                f"then took every window of what was left: the stride moves the window, window p starting at row "
                f"p*sH of the whole input; it does not skip input rows (a {geo.kernel[0]}x{geo.kernel[1]} window "
                "covers neighbouring rows and columns)",
            )
    if geo.stride != (1, 1):  # the stride's slices after an ellipsis: they act on the window's own last two axes
        every = np.lib.stride_tricks.sliding_window_view(x, geo.kernel, axis=(2, 3))[..., ::sH, ::sW]
        v["ellipsis-indexes-last-axes"] = (
            every.mean(axis=(4, 5)) if average else every.max(axis=(4, 5)),
            f"the stride was applied to the window view with [..., ::{sH}, ::{sW}]: an ellipsis stands for every "
            "leading axis, so the slices act on the last two, the window's own (kH, kW) rows and columns, and "
            "every window position was kept while each window lost entries. The window positions are axes 2 and 3 "
            f"of the view: slice them, [:, :, ::{sH}, ::{sW}]",
        )
    every_window = np.lib.stride_tricks.sliding_window_view(x, geo.kernel, axis=(2, 3))
    for start, text in _window_starts(geo).items():  # the window view sliced from an offset, not from 0
        late = every_window[:, :, start[0] :: sH, start[1] :: sW]
        if 0 not in late.shape[2:4]:
            v[f"window-slice-bounds#start-{start[0]}-{start[1]}"] = (
                late.mean(axis=(4, 5)) if average else late.max(axis=(4, 5)),
                text,
            )
    swapped = _safely(lambda: _swapped_windows(x, geo))
    if swapped is not None:
        v["kernel-height-width-swapped"] = (swapped.mean(axis=-1) if average else swapped.max(axis=-1), SWAPPED)
    view = np.lib.stride_tricks.sliding_window_view(x, geo.kernel, axis=(2, 3))[:, :, ::sH, ::sW]
    v.update(shape_mistakes.window_reductions(view, average))
    # A loop over the output positions that stores x[:, :, rows, cols].mean() (or .max()): one number per position,
    # reduced over the batch and the channels as well as the window, written into every (n, c).
    whole = view.mean(axis=(0, 1, 4, 5)) if average else view.max(axis=(0, 1, 4, 5))
    word = "mean" if average else "max"
    v["reduction-over-whole-array#window-slice"] = (
        np.broadcast_to(whole, view.shape[:4]).copy(),
        f"every output position holds one number for the whole batch and every channel: the {word} of the slice "
        f"x[:, :, rows, cols] was taken with no axis (.{word}()), which reduces over the samples and the channels "
        f"too; reduce each window on its own, .{word}(axis=(2, 3)) of the slice",
    )
    flat = pool_windows(x, geo.kernel, geo.stride)
    pooling = "average pooling takes its mean" if average else "max pooling takes its maximum"
    for op in ("min", "max", "mean", "sum", "median"):
        if op not in (("mean", "sum") if average else ("max",)):  # (AvgPool's sum is avgpool-sum-not-mean)
            v[f"pool-wrong-reduction#{op}"] = (
                getattr(np, op)(flat, axis=-1),
                f"forward took each window's {'minimum' if op == 'min' else 'maximum' if op == 'max' else op} where "
                f"{pooling}",
            )
    if not average:
        v["max-initialised-at-zero"] = (np.maximum(flat.max(axis=-1), 0.0), MAX_FROM_ZERO)
        for tag, (picked, text) in _winners_picked(flat).items():
            v[tag] = (np.take_along_axis(flat, picked[..., None], axis=-1)[..., 0], f"in forward, {text}")
        v["max-of-abs#magnitude"] = (np.abs(flat).max(axis=-1), MAGNITUDE)
        v.update(_taken_flat(flat))
    if average:
        kH, kW = geo.kernel
        with np.errstate(divide="ignore", invalid="ignore"):  # a window of zeros: 0 / 0, as the mistake gives
            v["avgpool-divisor#non-zero"] = (
                flat.sum(axis=-1) / np.count_nonzero(flat, axis=-1),
                f"each window's sum was divided by its number of non-zero entries (np.count_nonzero, or zeros taken "
                f"for missing values), not by its area kH*kW = {kH * kW}: a zero is a value like any other (after a "
                "ReLU about half the entries are exactly 0) and counts in the mean, and a window of zeros gives "
                "0 / 0 = nan",
            )
        v["avgpool-sum-not-mean"] = (
            copy.deepcopy(twin.ref).forward(x) * kH * kW,
            f"each window was summed, not averaged: divide by the window size {kH}x{kW} = {kH * kW}",
        )
        mean = copy.deepcopy(twin.ref).forward(x)
        v.update({tag: (mean * kH * kW * factor, text) for tag, (factor, text) in _precedence(kH, kW).items()})
        v.update(_summed_area_table(x, geo))
    v.update(pool_loops.forward_loop_variants(x, geo, average))
    return unique(v, copy.deepcopy(twin.ref).forward(x))


def _summed_area_table(x: np.ndarray, geo: Geometry) -> Variants:
    """Window sums from a summed-area table S (S[a, b] = the sum of x[:a, :b]) with the inclusion-exclusion's
    corner term wrong: S[i+kH, j+kW] - S[i, j+kW] - S[i+kH, j] + S[i, j], the corner left out or subtracted."""
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    N, C, H, W = x.shape
    S = np.zeros((N, C, H + 1, W + 1))
    S[:, :, 1:, 1:] = x.cumsum(axis=2).cumsum(axis=3)
    strips = S[:, :, kH:, kW:] - S[:, :, :-kH, kW:] - S[:, :, kH:, :-kW]
    corner = S[:, :, :-kH, :-kW]
    rule = (
        "S[i+kH, j+kW] - S[i, j+kW] - S[i+kH, j] + S[i, j]: the two strips subtracted both hold the block above and "
        "left of the window, S[i, j], which must be added back once"
    )
    found = {
        "formula-wrong#summed-area-corner-dropped": (
            strips,
            "each window's sum was read from a summed-area table (cumulative sums) without adding back its corner "
            "term S[i, j], so every window is short by the sum of the block above and left of it; a window's sum "
            f"is {rule}",
        ),
        "formula-wrong#summed-area-corner-subtracted": (
            strips - corner,
            "each window's sum was read from a summed-area table (cumulative sums) with its corner term S[i, j] "
            f"subtracted instead of added; a window's sum is {rule}",
        ),
    }
    return {tag: (value[:, :, ::sH, ::sW][:, :, :Ho, :Wo] / (kH * kW), text) for tag, (value, text) in found.items()}


def _window_starts(geo: Geometry) -> dict[tuple[int, int], str]:
    """Where a slice of the window view that does not start at 0 puts the first window: at the stride minus one
    ([sH - 1::sH], the last row of the first stride), at the window's last row ([kH - 1::sH]) or at 1 ([1::sH]).
    Each start, with what it is, once: two readings of one start are said together."""
    (kH, kW), (sH, sW) = geo.kernel, geo.stride
    readings = [
        ((sH - 1, sW - 1), f"sH - 1 = {sH - 1}, sW - 1 = {sW - 1} (the stride minus one)"),
        ((kH - 1, kW - 1), f"kH - 1 = {kH - 1}, kW - 1 = {kW - 1} (the window's last row and column)"),
        ((1, 1), "1, 1"),
    ]
    found: dict[tuple[int, int], list[str]] = {}
    for start, words in readings:
        if start != (0, 0):
            found.setdefault(start, []).append(words)
    return {
        (a, b): (
            f"the windows start at an offset: the window view was sliced from row {a} and column {b} "
            f"([:, :, {a}::{sH}, {b}::{sW}], a start of {' or '.join(words)}), so window (p, q) starts at row "
            f"{a} + p*sH, column {b} + q*sW, shifted from where it belongs, and the windows near the far edge "
            f"are lost. The first window starts at row 0 and column 0: slice the view [:, :, ::{sH}, ::{sW}]"
        )
        for (a, b), words in found.items()
    }


MAGNITUDE = (
    "each window's output is its largest absolute value, max |x| (np.abs taken before the maximum): a window whose "
    "most negative entry lies further from 0 than its maximum outputs that entry's magnitude. Max pooling keeps "
    "each window's largest value, signed (the maximum of the entries themselves), not the strongest response"
)


TAKEN_FLAT = (
    "forward read each window's winner with np.take(windows, argmax) and no axis=: without an axis np.take indexes "
    "the flattened array, so the window offsets argmax (0 to kH*kW - 1) all pick among the first kH*kW entries of "
    "the whole array, not each within its own window. Pick along the window axis: np.take_along_axis(windows, "
    "argmax[..., None], axis=-1)[..., 0] (or windows.max(axis=-1))"
)


def _taken_flat(flat: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """Each window's argmax used as an index into the whole windows array, flattened (np.take without axis=, or
    ``windows.flat[argmax]``), for the two layouts students build: window entries last, (N, C, H', W', k), or
    second, (N, C, k, H', W')."""
    won = flat.argmax(axis=-1)
    return {
        "take-without-axis#windows-last": (flat.ravel()[won], TAKEN_FLAT),
        "take-without-axis#windows-second": (np.moveaxis(flat, -1, 2).ravel()[won], TAKEN_FLAT),
    }


def _winners_picked(flat: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """Which entry of each window (N, C, H', W', kH*kW) a wrong rule for "the maximum" picks, and the rule."""
    K = flat.shape[-1]
    return {
        "max-of-abs": (
            np.abs(flat).argmax(axis=-1),
            "each window's winner is its entry of largest magnitude (the argmax of |x|, 'the strongest response'): "
            "where the most negative entry lies further from 0 than the maximum, that negative entry is output and "
            "given the gradient. Max pooling picks each window's largest value, signed: the argmax of the entries "
            "themselves",
        ),
        "reversed-index-not-mapped-back": (
            flat[..., ::-1].argmax(axis=-1),
            "each window's maximum was located in the reversed window (windows[..., ::-1], or np.flip, to prefer the "
            "last maximum on a tie) and that index was used as it is: an index into a reversed window counts from "
            f"the end, so it must be mapped back, kH*kW - 1 - index (= {K - 1} - index here); used unmapped it "
            "points at the mirror image of the maximum in its window, which is output and given the gradient",
        ),
    }


TILED_SHARES = (
    "backward spread the windows' shares with np.tile(share, (1, 1, kH, kW)), which lays kH x kW whole copies of "
    "the (H', W') array side by side: the entry at row r, column c got the share of window (r mod H', c mod W'), "
    "not of the window it lies in. np.repeat repeats each entry in place (np.repeat(np.repeat(share, kH, axis=2), "
    "kW, axis=3)), which is right only when the windows tile the input (stride = kernel); adding the share into "
    "grad_x[:, :, i:i + sH*H':sH, j:j + sW*W':sW] for each offset (i, j) of the window is right for any stride"
)


MAX_FROM_ZERO = (
    "each window's running maximum started at 0 (a buffer of np.zeros, or a maximum with initial=0), not at -inf or "
    "at the window's first entry: where every entry of a window is negative the maximum stays 0, a value that is "
    "not in the window"
)


def pool_backward_variants(
    component: Component, x: np.ndarray, g: np.ndarray, geo: Geometry, raw: bool = False
) -> Variants:
    """The input gradient each known mistake gives; ``raw``: every one, twins kept, the loops over too few offsets
    each under its own name (for a probe that tells twins apart, see probe_verdict)."""
    kH, kW = geo.kernel
    average = component.formula == "avg-pool"
    inp: Variants = {}
    if average:

        def pieces(i: int, j: int) -> np.ndarray:
            return g / (kH * kW)

        H, W = x.shape[2:]
        tiled = np.tile(g / (kH * kW), (1, 1, kH, kW))
        if tiled.shape[2] <= H and tiled.shape[3] <= W:
            spread = np.zeros(x.shape)
            spread[:, :, : tiled.shape[2], : tiled.shape[3]] = tiled
            inp["tile-for-repeat"] = (spread, TILED_SHARES)
        inp["avgpool-not-divided"] = (
            scatter(lambda i, j: g, x.shape, geo, geo.stride),
            f"each input's gradient must be divided by the window size ({kH}x{kW} = {kH * kW}), as in forward",
        )
        for tag, (factor, text) in _precedence(kH, kW).items():
            inp[tag] = (scatter(lambda i, j, factor=factor: g * factor, x.shape, geo, geo.stride), text)

        def block(p: int, q: int) -> np.ndarray:  # (N, C, 1, 1): it broadcasts into a window cut short at the edge
            return (g[:, :, p, q] / (kH * kW))[:, :, None, None]

    else:
        windows = pool_windows(x, geo.kernel, geo.stride)
        winner = windows.argmax(axis=-1)

        def pieces(i: int, j: int) -> np.ndarray:
            return np.where(winner == i * kW + j, g, 0.0)

        inp["maxpool-grad-to-whole-window"] = (
            scatter(lambda i, j: g, x.shape, geo, geo.stride),
            "every entry of a window received the window's gradient; only its maximum influenced the output",
        )
        if kH * kW > 1:
            inp["maxpool-backward-averaged"] = (
                scatter(lambda i, j: g / (kH * kW), x.shape, geo, geo.stride),
                f"backward is average pooling's: every entry of a window got grad_y / (kH * kW) = grad_y / "
                f"{kH * kW}; in max pooling only the window's maximum influenced the output, so it receives the "
                "whole grad_y and the other entries 0 (route it with the argmax forward saved)",
            )
        decodings = {
            "square-only-index": (
                lambda i, j: np.where(winner == i * kH + j, g, 0.0),
                f"the window offset was decoded with kH where kW belongs (argmax == i*kH + j): right for square "
                f"windows only; the flat offset of (i, j) in a {kH}x{kW} window is i*kW + j",
            ),
            "window-offset-transposed": (
                lambda i, j: np.where(winner == j * kH + i, g, 0.0),
                "the window offset was decoded transposed (argmax == j*kH + i): the flat index k of a window "
                "entry is k = i*kW + j, so its row is k // kW and its column k % kW",
            ),
        }
        # A stride where the window's width belongs (argmax == i*sW + j): the same number when stride = kernel.
        sH, sW = geo.stride
        strides = [("sW", sW), ("sH", sH)] if sH != sW else [("sH = sW", sW)]
        for name, s in strides:
            if s not in (kW, kH):  # (s = kH reads as the square-only decoding i*kH + j: that name stays)
                decodings[f"kernel-stride-confused#{name}"] = (
                    lambda i, j, s=s: np.where(winner == i * s + j, g, 0.0),
                    f"the window offset was decoded with the stride {name} = {s} where the window width kW = {kW} "
                    f"belongs (argmax == i*{name.split()[0]} + j): the flat offset of (i, j) in a {kH}x{kW} window "
                    "is i*kW + j, whatever the stride (the two agree only when the stride is the window, the default)",
                )
        for tag, (decoded, text) in decodings.items():
            inp[tag] = (scatter(decoded, x.shape, geo, geo.stride), text)
        swapped = _safely(lambda: _swapped_windows(x, geo))
        if swapped is not None:  # forward's winners among the (kW, kH) windows, routed as offsets of (kH, kW) ones
            won = swapped.argmax(axis=-1)
            value = _safely(lambda: scatter(lambda i, j: np.where(won == i * kW + j, g, 0.0), x.shape, geo, geo.stride))
            if value is not None:
                inp["kernel-height-width-swapped"] = (value, f"forward's windows: {SWAPPED}")
        looped = pool_loops.extent_winners(x, geo, "kernel-height-width-swapped#window-loop")
        if looped is not None:  # the same mistake in forward's loop over the windows, cut short at the edge
            won, text = looped
            inp["kernel-height-width-swapped#window-loop-winners"] = (
                scatter(lambda i, j: np.where(won == i * kW + j, g, 0.0), x.shape, geo, geo.stride),
                f"{text}. The winners forward saved are offsets into those windows, and backward sent each window's "
                f"gradient to that offset read as one of a {kH}x{kW} window (row k // kW, column k % kW)",
            )
        inp.update(_winner_unravelled_swapped(winner, g, x.shape, geo))

        def block(p: int, q: int) -> np.ndarray:
            one_hot = np.arange(kH * kW) == winner[:, :, p, q, None]
            return (one_hot * g[:, :, p, q, None]).reshape(*g.shape[:2], kH, kW)

        # `=` at the maximum only: grad[n, c, p*sH + i*, q*sW + j*] = g[n, c, p, q].
        at_max = np.zeros(x.shape)
        for p in range(geo.out_hw[0]):
            for q in range(geo.out_hw[1]):
                i, j = np.divmod(winner[:, :, p, q], kW)
                n, c = np.indices(winner.shape[:2])
                at_max[n, c, p * geo.stride[0] + i, q * geo.stride[1] + j] = g[:, :, p, q]
        inp["overlap-overwritten#max"] = (at_max, OVERWRITTEN)
        for tag, (picked, text) in _winners_picked(windows).items():
            inp[tag] = (
                scatter(lambda i, j, picked=picked: np.where(picked == i * kW + j, g, 0.0), x.shape, geo, geo.stride),
                text,
            )
        # A running maximum started at 0 keeps offset 0 where every entry of the window is negative.
        from_zero = np.where(windows.max(axis=-1) > 0, winner, 0)
        inp["max-initialised-at-zero"] = (
            scatter(lambda i, j: np.where(from_zero == i * kW + j, g, 0.0), x.shape, geo, geo.stride),
            f"{MAX_FROM_ZERO}; so in a window of negative entries none beat the 0 and the window's gradient went to "
            "its first entry, not to its maximum",
        )
        # The offset loop writing np.where(won, grad_y, what is there): the last offset's window wins.
        last_wins = np.zeros(x.shape)
        (Ho, Wo), (sH, sW) = geo.out_hw, geo.stride
        for i in range(kH):
            for j in range(kW):
                where = (
                    slice(None),
                    slice(None),
                    slice(i, i + sH * (Ho - 1) + 1, sH),
                    slice(j, j + sW * (Wo - 1) + 1, sW),
                )
                last_wins[where] = np.where(winner == i * kW + j, g, last_wins[where])
        inp["overlap-overwritten#last-offset"] = (last_wins, OVERWRITTEN)
        inp.update(_flat_index_row_lengths(winner, g, x.shape, geo))
    for tag, (step, text) in _steps(geo).items():
        value = _safely(lambda step=step: scatter(pieces, x.shape, geo, step))
        if value is not None:
            inp["pool-backward-ignores-stride" if tag == "stride-ignored" else tag] = (value, f"in backward, {text}")
    inp["overlap-overwritten"] = (scatter(pieces, x.shape, geo, geo.stride, assign=True), OVERWRITTEN)
    inp["overlap-normalised"] = (scatter(pieces, x.shape, geo, geo.stride) / np.maximum(coverage(geo), 1.0), NORMALISED)
    inp.update(_offsets_dropped(pieces, x.shape, geo))
    inp.update(_offsets_scaled(pieces, x.shape, geo))
    inp["zip-for-product"] = (zipped_offsets(pieces, x.shape, geo), ZIPPED)
    inp["overlap-overwritten#window"] = (scatter_by_window(block, x.shape, geo), OVERWRITTEN)
    inp.update(pool_loops.backward_loop_variants(block, x.shape, geo, None if average else (x, g)))
    if not average and kH * kW > 1:
        inp["maxpool-gradient-divided"] = (
            scatter(lambda i, j: pieces(i, j) / (kH * kW), x.shape, geo, geo.stride),
            f"backward divided the gradient routed to each window's maximum by kH * kW = {kH * kW}, the window's "
            "area, as average pooling shares it out; in max pooling only the maximum influenced the output, so it "
            "receives the whole gradient, grad_y undivided",
        )
    for n, (tag, rows, cols, text) in enumerate(_offset_loops(geo, merge=not raw)):
        inp[f"{tag}#offsets-{n}" if not raw else tag.replace("#", "#offsets-", 1)] = (
            scatter(
                lambda i, j, rows=rows, cols=cols: pieces(i, j) * (i in rows and j in cols), x.shape, geo, geo.stride
            ),
            text,
        )
    if raw:
        return inp
    return unique(_loops_or_unravel(inp), scatter(pieces, x.shape, geo, geo.stride))


def _reaches_some_offsets(tag: str) -> bool:
    """A mistake that leaves some window offsets without their gradient (see _loops_or_unravel)."""
    return "#offsets-" in tag or tag in ("zip-for-product", "kernel-height-width-swapped#unravel-loop")


def offsets_reaching(
    component: Component, x: np.ndarray, g: np.ndarray, geo: Geometry, actual: np.ndarray
) -> list[str]:
    """The mistakes leaving offsets without their gradient that each give ``actual`` on this case (its raw tags)."""
    raw = pool_backward_variants(component, x, g, geo, raw=True)
    return [
        tag
        for tag, (value, _) in raw.items()
        if _reaches_some_offsets(tag)
        and value.shape == actual.shape
        and allclose(value, actual, rtol=settings.SAME_VALUE_RTOL)
    ]


def _pool_gradient(component: Component, x: np.ndarray, g: np.ndarray, geo: Geometry) -> np.ndarray:
    """The right input gradient of a pool: each window's share, or its whole gradient at its (first) maximum."""
    kH, kW = geo.kernel
    if component.formula == "avg-pool":
        return scatter(lambda i, j: g / (kH * kW), x.shape, geo, geo.stride)
    winner = pool_windows(x, geo.kernel, geo.stride).argmax(axis=-1)
    return scatter(lambda i, j: np.where(winner == i * kW + j, g, 0.0), x.shape, geo, geo.stride)


def probe_window(geo: Geometry) -> tuple[int, int]:
    """A window on which the offset mistakes all differ (sides unequal, neither 1, the longer side minus one not
    the shorter: the loops one short, a side's range for the other's, a zip and a swapped unravel each reach other
    offsets), its longer side where the case's is, so a loop written with kH for the columns stays that loop."""
    return (2, 4) if geo.kernel[0] <= geo.kernel[1] else (4, 2)


def probe_stride(geo: Geometry) -> tuple[int, int]:
    """The probe window's stride: 1 along its short side, 2 along its long one, so that the loops that reach
    offsets by the stride (range(sH), range(0, kH, sH)) differ from the window's and from the loops one short."""
    return (1, 2) if geo.kernel[0] <= geo.kernel[1] else (2, 1)


def probe_verdict(
    component: Component, tags: list[str], x: np.ndarray, g: np.ndarray, geo: Geometry, actual: np.ndarray
) -> tuple[str, str] | None:
    """On the probe window: the one mistake of ``tags`` (twins on the case) whose input gradient the student's
    backward gives, and no other known mistake gives: ``(tag, mistake)``; None otherwise."""
    raw = pool_backward_variants(component, x, g, geo, raw=True)
    right = _pool_gradient(component, x, g, geo)
    if actual.shape != right.shape or allclose(actual, right, rtol=settings.SAME_VALUE_RTOL):
        return None
    fits = [
        tag
        for tag, (value, _) in raw.items()
        if value.shape == actual.shape and allclose(value, actual, rtol=settings.SAME_VALUE_RTOL)
    ]
    ours = [tag for tag in fits if tag in tags]
    if len({tag.partition("#")[0] for tag in fits}) != 1 or not ours:
        return None
    return ours[0].partition("#")[0], raw[ours[0]][1]


def _loops_or_unravel(inp: Variants) -> Variants:
    """Mistakes that each leave some window offsets without their gradient give the same numbers where they reach
    the same offsets: a loop over too few of them, offsets zipped, a winner unravelled with the window's sides
    swapped (its row past the window dropped). On a 1 x kW window, say, all of them send only the winners at
    offset (0, 0) their gradient. One statement of what the numbers show, naming each and claiming none (unique()
    would drop them without a word)."""
    reach = [tag for tag in inp if _reaches_some_offsets(tag)]
    kept, merged = dict(inp), 0
    while reach:
        first, *rest = reach
        group = [first] + [t for t in rest if allclose(inp[t][0], inp[first][0], rtol=settings.SAME_VALUE_RTOL)]
        reach = [t for t in reach if t not in group]
        if len({tag.partition("#")[0] for tag in group}) < 2:
            continue
        for tag in group:
            kept.pop(tag)
        kept[f"window-offsets-skipped#merged-{merged}"] = (
            inp[first][0],
            "only the entries at some offsets of each window received their gradient, and on this window more than "
            "one mistake gives exactly that: " + " or ".join(f"'{inp[tag][1]}'" for tag in group),
        )
        merged += 1
    return kept


UNRAVELLED_SWAPPED = (
    "the flat index k of each window's maximum was unravelled with the window's sides swapped, "
    "np.unravel_index(k, (kW, kH)) (or divmod(k, kH)), width first: a window is flattened row-major, kH rows of kW "
    "entries, so entry k sits at row k // kW, column k % kW, np.unravel_index(k, (kH, kW)) (divmod(k, kW)); "
    "unravelled with (kW, kH) the gradient goes to another entry of the window, or to none where the row comes out "
    "past the window's kH rows (the two agree for a square window only)"
)


def _winner_unravelled_swapped(winner: np.ndarray, g: np.ndarray, shape: tuple[int, ...], geo: Geometry) -> Variants:
    """Each window's flat winner k unravelled as (k // kH, k % kH), the window's sides swapped, and its gradient
    routed there: by a loop over the window's offsets, which never meets a row past the window (that gradient is
    lost), or by indexing the input at the window's corner plus (row, column), which sends it into the next
    window's rows (np.add.at; an index past the input raises in the student's code: nothing to simulate then).
    Square windows unravel alike either way: nothing to tell apart."""
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    if kH == kW:
        return {}
    rows, cols = np.divmod(winner, kH)
    found: Variants = {
        "kernel-height-width-swapped#unravel-loop": (
            scatter(lambda i, j: np.where((rows == i) & (cols == j), g, 0.0), shape, geo, geo.stride),
            f"{UNRAVELLED_SWAPPED}; here the loop over the window's offsets never meets a row past the window, so "
            "those windows' gradient is lost",
        )
    }

    # One of the two decodes written with the other side (k // kW for the row but k % kH for the column, or
    # k // kH with k % kW): a slip on one half of the pair, the other half right. (A side of 1 makes one half
    # constant, every gradient on the window's first row or column: another mistake's numbers, not this one's.)
    def indexed(r: np.ndarray, c: np.ndarray) -> np.ndarray | None:
        """The gradient added at the window's corner plus (r, c) (np.add.at, or a loop indexing the input)."""
        top, left = r + sH * np.arange(Ho)[:, None], c + sW * np.arange(Wo)[None, :]
        if top.max() >= shape[2] or left.max() >= shape[3]:
            return None
        grad = np.zeros(shape)
        n, ch = np.indices(shape[:2])
        np.add.at(grad, (n[..., None, None], ch[..., None, None], top, left), g)
        return grad

    for key, (r, c), how in (
        ()
        if min(kH, kW) == 1
        else (
            ("column-mod-kh", (winner // kW, winner % kH), f"the column as k % kH = k % {kH}"),
            ("row-div-kh", (winner // kH, winner % kW), f"the row as k // kH = k // {kH}"),
        )
    ):
        text = (
            f"backward decoded each window's flat maximum index k with {how}, where a row of the {kH}x{kW} window "
            f"holds kW = {kW} entries: entry k sits at row k // kW, column k % kW (divmod(k, kW)); with the other "
            "side the gradient goes to another entry of the window"
        )
        found[f"kernel-height-width-swapped#{key}"] = (
            scatter(lambda i, j, r=r, c=c: np.where((r == i) & (c == j), g, 0.0), shape, geo, geo.stride),
            f"{text}, or to none (right for a square window only)",
        )
        grad = indexed(r, c)
        if grad is not None:
            found[f"kernel-height-width-swapped#{key}-indexed"] = (
                grad,
                f"{text}, or past the window into the next one's entries (right for a square window only)",
            )
    grad = indexed(rows, cols)
    if grad is not None:
        found["kernel-height-width-swapped#unravel-indexed"] = (
            grad,
            f"{UNRAVELLED_SWAPPED}; here the input was indexed at each window's corner plus that (row, column), so a "
            "row past the window sends the gradient into the rows below it",
        )
    return found


def _flat_index_row_lengths(winner: np.ndarray, g: np.ndarray, shape: tuple[int, ...], geo: Geometry) -> Variants:
    """Each maximum's gradient added at the flat position ``row * L + col`` of its flattened (H, W) image, with a
    row length L where the input's width W belongs (a flat index built by hand, or np.ravel_multi_index given
    another shape): the output's width W', the window's kW, the input's height H. An index past the image would
    raise in the student's code: nothing to simulate then."""
    N, C, H, W = shape
    kW, (sH, sW), (Ho, Wo) = geo.kernel[1], geo.stride, geo.out_hw
    i, j = np.divmod(winner, kW)  # each window's maximum, as an offset inside the window
    rows, cols = i + sH * np.arange(Ho)[:, None], j + sW * np.arange(Wo)[None, :]
    found: Variants = {}
    lengths: dict[int, list[str]] = {}  # one row length may be several quantities of the case: each is named
    for length, what in ((Wo, "the output's width W'"), (kW, "the window's width kW"), (H, "the input's height H")):
        lengths.setdefault(length, []).append(what)
    for length, whats in lengths.items():
        flat = (rows * length + cols).reshape(N * C, -1)
        if length == W or flat.max() >= H * W:
            continue
        key, what = (
            whats[0].split()[-1].strip("'"),
            whats[0] + (f" (or {', or '.join(whats[1:])})" if whats[1:] else ""),
        )
        grad = np.zeros((N * C, H * W))
        np.add.at(grad, (np.arange(N * C)[:, None], flat), g.reshape(N * C, -1))
        found[f"flat-index-row-length#{key}"] = (
            grad.reshape(shape),
            f"backward sent each maximum's gradient to the flat index row * {length} + col of its (H, W) image, "
            f"with {what} = {length} as the length of a row where the input's width W = {W} belongs: a row of the "
            "flattened image holds W entries, so the entry (row, col) is at row * W + col (as "
            "np.ravel_multi_index((rows, cols), (H, W)) computes); with another row length the gradients land in "
            "the wrong rows",
        )
    return found


OFFSET_SCALED = (
    "backward's slice of kernel offset (i, j) starts at i*sH, j*sW: the offset inside the window was scaled by the "
    "stride, which moves the windows (window p starts at row p*sH), not the entries within one; the entry at offset "
    "(i, j) of window (p, q) is row p*sH + i, column q*sW + j, so the slice is i:i + sH*H':sH, j:j + sW*W':sW"
)


OFFSET_SCALED_UNSTRIDED = (
    "backward's slice of kernel offset (i, j) is i*sH:i*sH + H', j*sW:j*sW + W' with step 1: the stride was moved "
    "from the slice's step onto the offset inside the window; the stride moves the windows (window p starts at row "
    "p*sH), not the entries within one, so the entry at offset (i, j) of window (p, q) is row p*sH + i, column "
    "q*sW + j, and the slice is i:i + sH*H':sH, j:j + sW*W':sW"
)


def _offsets_scaled(pieces: Pieces, shape: tuple[int, ...], geo: Geometry) -> Variants:
    """Backward's slice of kernel offset (i, j) started at i*sH, j*sW (the offset times the stride), as numpy runs
    it: nothing when a slice comes out short (numpy raises; scatter_crash reads that)."""
    (kH, kW), (Ho, Wo), (sH, sW) = geo.kernel, geo.out_hw, geo.stride
    if (sH, sW) == (1, 1):
        return {}

    def run() -> np.ndarray:
        grad = np.zeros(shape)
        for i, j in itertools.product(range(kH), range(kW)):
            grad[:, :, i * sH : i * sH + sH * Ho : sH, j * sW : j * sW + sW * Wo : sW] += pieces(i, j)
        return grad

    def unstrided() -> np.ndarray:  # the stride moved from the slice's step to its start: i*sH:i*sH + H'
        grad = np.zeros(shape)
        for i, j in itertools.product(range(kH), range(kW)):
            grad[:, :, i * sH : i * sH + Ho, j * sW : j * sW + Wo] += pieces(i, j)
        return grad

    found: Variants = {}
    value = _safely(run)
    if value is not None:
        found["offset-scaled-by-stride"] = (value, OFFSET_SCALED)
    value = _safely(unstrided)
    if value is not None:
        found["offset-scaled-by-stride#unstrided"] = (value, OFFSET_SCALED_UNSTRIDED)
    return found


ZIPPED = (
    "backward's loop over the window offsets pairs them with zip(range(kH), range(kW)), which walks the two ranges "
    "side by side, (0, 0), (1, 1), ... and stops at the shorter: only the window's diagonal receives its gradient. "
    "Every offset (i, j) of the window needs the two loops nested (for i in range(kH): for j in range(kW)), or "
    "itertools.product(range(kH), range(kW)), the product of the ranges, not their zip"
)


def zipped_offsets(pieces: Pieces, shape: tuple[int, ...], geo: Geometry) -> np.ndarray:
    """The scatter of backward's loop ``for i, j in zip(range(kH), range(kW))``: the diagonal offsets (i, i) only.
    (On a window with a side of 1 that is offset (0, 0) alone, as some short loops give: twins, no claim.)"""
    return scatter(lambda i, j: pieces(i, j) * (i == j), shape, geo, geo.stride)


def _offsets_dropped(pieces: Pieces, shape: tuple[int, ...], geo: Geometry) -> Variants:
    """Backward's slice of kernel offset (i, j) started at 0 instead of at i (the rows), j (the columns) or both:
    every entry of a window sends its gradient to the window's first row, first column or top-left entry."""
    (kH, kW), (Ho, Wo), (sH, sW) = geo.kernel, geo.out_hw, geo.stride
    found: Variants = {}
    for name, (rows, cols) in {"both": (False, False), "rows": (False, True), "columns": (True, False)}.items():
        if (rows or kH == 1) and (cols or kW == 1):
            continue  # (the offsets it drops are all 0: the right slices)
        grad = np.zeros(shape)
        for i, j in itertools.product(range(kH), range(kW)):
            top, left = i if rows else 0, j if cols else 0
            grad[:, :, top : top + sH * (Ho - 1) + 1 : sH, left : left + sW * (Wo - 1) + 1 : sW] += pieces(i, j)
        where = {"both": "top-left entry", "rows": "first row", "columns": "first column"}[name]
        starts = {
            "both": "0 instead of at i and j",
            "rows": "row 0 instead of at i",
            "columns": "column 0 instead of at j",
        }
        found[f"window-offset-ignored#{name}"] = (
            grad,
            f"backward's slice of kernel offset (i, j) starts at {starts[name]}, so the offset is dropped: every "
            f"entry of a window sends its gradient to the window's {where}; the entry at offset (i, j) of window "
            "(p, q) is row p*sH + i, column q*sW + j, so the slice is i:i + sH*H':sH, j:j + sW*W':sW",
        )
    return found


def _offset_loops(geo: Geometry, merge: bool = True) -> list[tuple[str, range, range, str]]:
    """Loops over the window offsets that visit too few of them, ``(tag, rows, columns, mistake)``: one short at
    either end, on either axis (range(kH - 1), range(1, kW)), the stride's range where the window's belongs, one
    axis's size for the other's. Hypotheses that visit the same offsets give the same numbers: they become one
    statement of which offsets were visited, naming each mistake it could be, and claiming none of them. Without
    ``merge`` each stays on its own, its tag followed by the loop's name (``loop-off-by-one#rows-stop-short``)."""
    (kH, kW), (sH, sW) = geo.kernel, geo.stride
    rows, cols = range(kH), range(kW)
    short = "backward's loop over the window offsets stops one short"
    every = "range(kH) and range(kW) run over every offset"
    # (a side of 1 leaves nothing written: zeros, which other mistakes give too)
    # Each loop also has a name of its own, the same on every geometry (a probe window re-simulates it by name).
    loops = [
        ("loop-off-by-one", range(kH - 1), cols, f"{short}: range(kH - 1) = range({kH - 1}) of the rows", "last row"),
        (
            "loop-off-by-one",
            rows,
            range(kW - 1),
            f"{short}: range(kW - 1) = range({kW - 1}) of the columns",
            "last column",
        ),
    ]
    names = ["rows-stop-short", "columns-stop-short"]
    if kH > 1:
        loops.append(
            ("loop-off-by-one", range(1, kH), cols, f"{short}: range(1, kH) = range(1, {kH}) of the rows", "first row")
        )
        names.append("rows-from-one")
    if kW > 1:
        loops.append(
            (
                "loop-off-by-one",
                rows,
                range(1, kW),
                f"{short}: range(1, kW) = range(1, {kW}) of the columns",
                "first column",
            )
        )
        names.append("columns-from-one")
    if (sH, sW) != (kH, kW) and sH <= kH and sW <= kW:
        names.append("stride-ranges")
        loops.append(
            (
                "kernel-stride-confused",
                range(sH),
                range(sW),
                f"backward's loops over the window offsets run over range(sH) = range({sH}) and range(sW) = "
                f"range({sW}), the stride, where the window's range(kH) = range({kH}) and range(kW) = range({kW}) "
                "belong (the two agree only when the stride is the window, the default)",
                "",
            )
        )
    if kH > 1 and kW > 1:  # both loops one short: the window's last row and last column
        names.append("both-stop-short")
        loops.append(
            (
                "loop-off-by-one",
                range(kH - 1),
                range(kW - 1),
                f"{short}: range(kH - 1) = range({kH - 1}) of the rows and range(kW - 1) = range({kW - 1}) of the "
                "columns",
                "last row and last column",
            )
        )
    stepped = (range(0, kH, sH), range(0, kW, sW))
    if (len(stepped[0]), len(stepped[1])) != (kH, kW):  # the offsets stepped by the stride: some never visited
        names.append("offsets-step-by-stride")
        loops.append(
            (
                "kernel-stride-confused",
                *stepped,
                f"backward's loops over the window offsets step by the stride, range(0, kH, sH) = range(0, {kH}, "
                f"{sH}) and range(0, kW, sW) = range(0, {kW}, {sW}): the offsets i, j run over every entry of the "
                f"window, range(kH) and range(kW), one by one; the stride spaces the windows (it is the step of the "
                "slice i:i + sH*H':sH), not the entries inside a window",
                "",
            )
        )
    if kH != kW:  # the smaller side's range for both axes
        side, (r, c) = ("kH", (rows, range(kH))) if kH < kW else ("kW", (range(kW), cols))
        other = "kW" if side == "kH" else "kH"
        names.append("columns-over-kh" if side == "kH" else "rows-over-kw")
        loops.append(
            (
                "square-only-index",
                r,
                c,
                f"backward's loop over the window's {'column' if side == 'kH' else 'row'} offsets runs over "
                f"range({side}) = range({min(kH, kW)}) where range({other}) = range({max(kH, kW)}) belongs: one "
                "axis's size used for the other, right for square windows only",
                "",
            )
        )
    if not merge:
        return [
            (
                f"{tag}#{name}",
                r,
                c,
                f"{text}, so the entries in the window's {side} never receive their gradient; {every}",
            )
            if side
            else (f"{tag}#{name}", r, c, text)
            for name, (tag, r, c, text, side) in zip(names, loops, strict=True)
        ]
    found = []
    for visited in dict.fromkeys((r, c) for _, r, c, _, _ in loops):
        fits = [(tag, text, side) for tag, r, c, text, side in loops if (r, c) == visited]
        if len(fits) == 1:
            ((tag, text, side),) = fits
            unreached = f"so the entries in the window's {side} never receive their gradient; {every}" if side else ""
            found.append((tag, *visited, f"{text}, {unreached}" if unreached else text))
            continue
        r, c = visited
        found.append(
            (
                "window-offsets-skipped",
                r,
                c,
                f"backward's loops over the window offsets visit the rows {list(r)} and the columns {list(c)} only, "
                f"where range(kH) = range({kH}) and range(kW) = range({kW}) belong, so the window's other entries "
                "never receive their gradient. Here the bound that falls short fits "
                + " or ".join(f"'{text}'" for _, text, _ in fits),
            )
        )
    return found


# scatter_crash's answer when several mistakes predict the slice alike, or none does: no claim, and no guess from
# the shapes alone.
AMBIGUOUS = ("", "")


def scatter_crash(
    shapes: set[tuple[int, ...]], x_shape: tuple[int, ...], geo: Geometry, source: str = ""
) -> tuple[str, str] | None:
    """A pool's backward that crashed adding grad_y (N, C, H', W') into a slice of grad_x that holds
    fewer entries: ``(tag, mistake)`` when one known way of slicing (or allocating) predicts exactly
    that slice for the first kernel offset (i, j) where it comes out short, and no other way does.

    Each hypothesis gives the rows of offset i as ``range(rows)[i:stop(i):step]`` (columns alike);
    the loops visit i, then j, so the first short slice is the one numpy complains about. Where
    several predict it, ``source`` (the line that raised) keeps those whose slice ends it shows; where
    several still do, or none does, :data:`AMBIGUOUS`."""
    (N, C, H, W), (Ho, Wo), (kH, kW), (sH, sW) = x_shape, geo.out_hw, geo.kernel, geo.stride
    if (N, C, Ho, Wo) not in shapes:  # grad_y was not one of the operands: another addition went wrong
        return None
    regions = {s[2:] for s in shapes if len(s) == 4 and s[:2] == (N, C)} - {(Ho, Wo)}
    if len(regions) > 1:  # grad_x's own shape beside the slice's (a slice that runs to the end may be all of it)
        regions -= {(H, W)}
    if len(regions) != 1:
        return None
    (observed,) = regions
    slice_end = "its end counts from the offset: i:i + sH*H':sH holds H' rows for every i"
    hypotheses = {
        "window-slice-bounds#no-offset": (
            (H, W, lambda i, n, s: s * n, (sH, sW)),
            f"the slice of kernel offset i ends at sH*H' instead of i + sH*H' ({slice_end}), so it holds fewer "
            "than H' rows once i > 0",
        ),
        # The offset left out of one axis's end only (the other axis's slice written right): a slip on one line.
        "window-slice-bounds#rows-no-offset": (
            (H, W, (lambda i, n, s: s * n, lambda j, n, s: j + s * n), (sH, sW)),
            f"the row slice of kernel offset i ends at sH*H' instead of i + sH*H' ({slice_end}), so it holds fewer "
            "than H' rows once i > 0 (the column slice counts its end from j, as it should)",
        ),
        "window-slice-bounds#columns-no-offset": (
            (H, W, (lambda i, n, s: i + s * n, lambda j, n, s: s * n), (sH, sW)),
            "the column slice of kernel offset j ends at sW*W' instead of j + sW*W' (its end counts from the "
            "offset: j:j + sW*W':sW holds W' columns for every j), so it holds fewer than W' columns once j > 0 (the "
            "row slice counts its end from i, as it should)",
        ),
        "window-slice-bounds#one-short": (
            (H, W, lambda i, n, s: i + s * (n - 1), (sH, sW)),
            f"the slice of kernel offset i ends at i + sH*(H' - 1), one window early ({slice_end})",
        ),
        "window-slice-bounds#to-the-end": (
            (H, W, lambda i, n, s: None, (sH, sW)),
            f"the slices of kernel offset (i, j) have no end (i::sH, j::sW) and run to the end of the input: where "
            f"rows or columns are left over past the last window they hold more than H' rows or W' columns "
            f"({slice_end})",
        ),
        "window-slice-bounds#rows-to-the-end": (
            (H, W, (lambda i, n, s: None, lambda i, n, s: i + s * n), (sH, sW)),
            f"the row slice of kernel offset i has no end (i::sH) and runs to the end of the input: where rows are "
            f"left over past the last window it holds more than H' rows ({slice_end})",
        ),
        "window-slice-bounds#columns-to-the-end": (
            (H, W, (lambda i, n, s: i + s * n, lambda i, n, s: None), (sH, sW)),
            f"the column slice of kernel offset j has no end (j::sW) and runs to the end of the input: where columns "
            f"are left over past the last window it holds more than W' columns ({slice_end})",
        ),
        "window-slice-bounds#stride-missing": (
            (H, W, lambda i, n, s: i + n, (sH, sW)),
            f"the slices of kernel offset (i, j) end at i + H' and j + W' instead of i + sH*H' and j + sW*W', the "
            f"stride left out of their ends: stepping by the stride (sH, sW) = {(sH, sW)} through only H' rows (W' "
            f"columns), a slice holds fewer than H' rows (W' columns) along an axis whose stride is above 1 "
            f"({slice_end})",
        ),
        # The window size where the stride belongs in the end (i:i + kH*H':sH): the windows are sH apart, so H'
        # of them span sH*H' rows; kH*H' overshoots once windows overlap (kH > sH), up to the input's end.
        "kernel-stride-confused#slice-end": (
            (H, W, (lambda i, n, s: i + kH * n, lambda j, n, s: j + kW * n), (sH, sW)),
            f"the slice of kernel offset (i, j) ends at i + kH*H' and j + kW*W', the window size {(kH, kW)} where "
            f"the stride {(sH, sW)} belongs: H' windows sH apart span sH*H' rows, so i:i + sH*H':sH holds H' rows; "
            "with the window size in the end the slice runs on past the last window and holds more (the two agree "
            "only when the stride is the window, the default)",
        ),
        # The window size in one axis's end only (the other axis's end written right): a slip made on one line.
        "kernel-stride-confused#rows-end": (
            (H, W, (lambda i, n, s: i + kH * n, lambda j, n, s: j + s * n), (sH, sW)),
            f"the row slice of kernel offset i ends at i + kH*H', the window height {kH} where the stride sH = {sH} "
            "belongs: H' windows sH apart span sH*H' rows, so i:i + sH*H':sH holds H' rows; with the window size in "
            "the end the slice runs on past the last window and holds more (the two agree only when the stride is "
            "the window, the default)",
        ),
        "kernel-stride-confused#columns-end": (
            (H, W, (lambda i, n, s: i + s * n, lambda j, n, s: j + kW * n), (sH, sW)),
            f"the column slice of kernel offset j ends at j + kW*W', the window width {kW} where the stride sW = "
            f"{sW} belongs: W' windows sW apart span sW*W' columns, so j:j + sW*W':sW holds W' columns; with the "
            "window size in the end the slice runs on past the last window and holds more (the two agree only when "
            "the stride is the window, the default)",
        ),
        "gradient-allocated-like-output": (
            (Ho, Wo, lambda i, n, s: i + s * n, (sH, sW)),
            f"grad_x was allocated with the output's shape {(N, C, Ho, Wo)} (np.zeros_like(grad_y)); the input "
            f"gradient has the input's shape {tuple(x_shape)}: np.zeros of the input's shape, saved in forward",
        ),
        "stride-is-kernel": (
            (H, W, lambda i, n, s: i + s * n, (kH, kW)),
            f"the slices step by the window size {(kH, kW)}, as if the stride were the window (right for disjoint "
            f"windows only), not by the stride {(sH, sW)}",
        ),
    }
    if sH != sW:
        hypotheses["stride-height-width-swapped#scatter"] = (
            (H, W, lambda i, n, s: i + s * n, (sW, sH)),
            f"the stride pair was swapped: the rows step by sW = {sW} and the columns by sH = {sH}, where the rows "
            f"step by sH and the columns by sW (right for square strides only)",
        )
    if Ho != Wo:  # one axis's output side in the other's slice end: right for square outputs only
        hypotheses["square-only-index#column-end"] = (
            (H, W, (lambda i, n, s: i + s * n, lambda j, n, s: j + s * Ho), (sH, sW)),
            f"the column slice of offset j ends at j + sW*H' (H' = {Ho} where W' = {Wo} belongs): one axis's "
            "number used for the other, right for square outputs only",
        )
        hypotheses["square-only-index#row-end"] = (
            (H, W, (lambda i, n, s: i + s * Wo, lambda j, n, s: j + s * n), (sH, sW)),
            f"the row slice of offset i ends at i + sH*W' (W' = {Wo} where H' = {Ho} belongs): one axis's "
            "number used for the other, right for square outputs only",
        )
    # The loop over the offsets of one axis runs one too far (range(kH + 1)): right slices, one offset too many.
    offsets = {
        "loop-off-by-one#rows-past": (kH + 1, kW),
        "loop-off-by-one#columns-past": (kH, kW + 1),
    }
    for tag, (rows_loop, _) in offsets.items():
        axis, bound, past = ("rows", "kH", kH) if rows_loop > kH else ("columns", "kW", kW)
        hypotheses[tag] = (
            (H, W, lambda i, n, s: i + s * n, (sH, sW)),
            f"backward's loop over the window's {axis} offsets runs one too far, range({bound} + 1): offset {past} "
            f"lies outside the {kH}x{kW} window, and its slice runs past the input's edge; range({bound}) visits "
            "every offset of the window",
        )
    # The offset inside the window scaled by the stride: the slice of offset i starts at i*sH (and ends H' rows on).
    starts = {"offset-scaled-by-stride": lambda i, s: i * s}
    if (sH, sW) != (1, 1):
        hypotheses["offset-scaled-by-stride"] = (
            (H, W, lambda i, n, s: i + s * n, (sH, sW)),
            OFFSET_SCALED,
        )
    # One loop over the flat offsets k, decoded with divmod(k, kH) where a row of the window holds kW offsets: the
    # offsets it visits before one falls outside the window are the window's own, so only that one can show.
    orders: dict[str, list[tuple[int, int]]] = {}
    if kH != kW:
        orders["offset-decoded-with-wrong-side"] = [divmod(k, kH) for k in range(kH * kW)]
        hypotheses["offset-decoded-with-wrong-side"] = (
            (H, W, lambda i, n, s: i + s * n, (sH, sW)),
            f"the flat window offset k was decoded with divmod(k, kH) = divmod(k, {kH}), where a row of the "
            f"{kH}x{kW} window holds kW = {kW} offsets: (i, j) = divmod(k, kW) (the two agree for a square window "
            "only)",
        )
    if kH != kW:
        # The two loops over the window's offsets bounded by each other's side, range(kW) for the rows and
        # range(kH) for the columns: right for a square window only.
        orders["kernel-height-width-swapped#loops"] = list(itertools.product(range(kW), range(kH)))
        hypotheses["kernel-height-width-swapped#loops"] = (
            (H, W, lambda i, n, s: i + s * n, (sH, sW)),
            f"the loops over the window's offsets were swapped, the row offset i over range(kW) = range({kW}) and "
            f"the column offset j over range(kH) = range({kH}): i runs over the kernel height kH, j over its width "
            "kW (the two agree for a square window only)",
        )
    written = _slice_ends_written(source)
    # The steps the line writes, where it names them with the layer's own sH, sW, kH, kW: a hypothesis that
    # steps otherwise is not what the line does (two hypotheses may predict the same short slice).
    steps = _slice_steps_written(source, {"sH": sH, "sW": sW, "kH": kH, "kW": kW})
    shown = {  # what each hypothesis's slice ends look like in the line: i + ..., i + ... - 1, or no i
        "window-slice-bounds#no-offset": "no-offset",
        "window-slice-bounds#rows-no-offset": "no-offset",
        "window-slice-bounds#columns-no-offset": "no-offset",
        "window-slice-bounds#one-short": "minus-one",
        "window-slice-bounds#to-the-end": "no-end",
        "window-slice-bounds#rows-to-the-end": "no-end",
        "window-slice-bounds#columns-to-the-end": "no-end",
        "window-slice-bounds#stride-missing": "unstrided",
        "offset-scaled-by-stride": "scaled",
        "kernel-stride-confused#slice-end": "end-unlike-step",
        "kernel-stride-confused#rows-end": "end-unlike-step",
        "kernel-stride-confused#columns-end": "end-unlike-step",
    }
    fits = []
    for tag, ((rows, cols, stop, (step_r, step_c)), text) in hypotheses.items():
        if written and shown.get(tag, "offset") not in written:
            continue
        # A line that shows one slice end without its offset (beside ones with it) is not a line of right slices:
        # a hypothesis whose slices are all right (a loop one too far) is not what it does.
        if tag not in shown and {"offset", "no-offset"} <= written:
            continue
        if steps is not None and steps != (step_r, step_c):
            continue
        stop_r, stop_c = stop if isinstance(stop, tuple) else (stop, stop)  # one rule for both axes, or one each
        first = starts.get(tag, lambda i, s: i)
        for i, j in orders.get(tag) or itertools.product(*map(range, offsets.get(tag, (kH, kW)))):
            top, left = first(i, step_r), first(j, step_c)
            region = (
                len(range(rows)[top : stop_r(top, Ho, step_r) : step_r]),
                len(range(cols)[left : stop_c(left, Wo, step_c) : step_c]),
            )
            if region != (Ho, Wo):
                if region == observed:
                    fits.append((tag.partition("#")[0], text, (i, j)))
                break
    met = f"grad_y {(N, C, Ho, Wo)} met a slice of grad_x of shape {(N, C, *observed)}"
    if len({tag for tag, _, _ in fits}) > 1:  # (slices without an end fit one axis or both alike: one mistake)
        return _outside_the_window(fits, geo, met)
    if not fits:  # a scatter no known slice predicts: the square-only guess from the shapes alone would be by chance
        return AMBIGUOUS
    return fits[0][0], f"{met}: {fits[0][1]}"


# The tag of a crash at an offset outside the window that more than one mistake reaches first: names no mistake.
OUTSIDE_THE_WINDOW = "window-offset-outside"


def _outside_the_window(fits: list[tuple[str, str, tuple[int, int]]], geo: Geometry, met: str) -> tuple[str, str]:
    """Several mistakes predict the slice: no claim. When each reached the same offset outside the window (a loop
    one too far, a flat offset decoded with the wrong side), that offset is what the crash shows: said, with every
    way to reach it, under a tag that names no mistake."""
    (kH, kW), reached = geo.kernel, {offset for _, _, offset in fits}
    if len(reached) != 1:
        return AMBIGUOUS
    ((i, j),) = reached
    if i < kH and j < kW:
        return AMBIGUOUS
    ways = "; or ".join(dict.fromkeys(text for _, text, _ in fits))
    return (
        OUTSIDE_THE_WINDOW,
        f"{met}: backward reached window offset ({i}, {j}), outside the {kH}x{kW} window (its offsets are "
        f"range(kH) x range(kW)), and that offset's slice runs past the input's edge. More than one mistake reaches "
        f"it first, and the crash does not say which: {ways}",
    )


def offsets_probe(kernel: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, ...]]:
    """A stride and an input shape on which a backward that visits offsets one past the window's side (or the
    sides swapped) does not crash: the windows are more than either side apart, so every such offset's slice
    still holds H' x W' = 3 x 3 entries, and what the offsets visited add up to can be compared."""
    s = max(kernel) + 1
    return (s, s), (2, 2, 3 * s, 3 * s)


_PAST_THE_EDGE = re.compile(r"index (\d+) is out of bounds for axis (\d+) with size (\d+)")
# The raw tags of _winner_unravelled_swapped whose decoded offset runs past a window's side along each axis of the
# input, indexing it at the window's corner plus the offset: its rows (axis 2) where kW > kH, its columns (axis 3)
# where kH > kW. (Their loops over the window's offsets never leave the window: they cannot raise.)
DECODED_PAST = {
    2: ("kernel-height-width-swapped#unravel-indexed", "kernel-height-width-swapped#row-div-kh-indexed"),
    3: ("kernel-height-width-swapped#unravel-indexed", "kernel-height-width-swapped#column-mod-kh-indexed"),
}


def decoded_past_the_edge(message: str, x_shape: tuple[int, ...], geo: Geometry) -> tuple[int, int, int] | None:
    """A max pool's backward that raised numpy's "index 3 is out of bounds for axis 2 with size 3" indexing the
    input at a window's corner plus its maximum's offset: ``(axis, index, size)`` when the index is past the
    input's side along an axis where a flat offset k unravelled with the window's sides swapped leaves the window
    (rows k // kH, up to kW - 1, where kW > kH; columns k % kH, up to kH - 1, where kH > kW), and within what that
    decoding reaches from the last window; else None. Square windows unravel alike either way."""
    found = _PAST_THE_EDGE.search(message)
    if found is None or len(x_shape) != 4:
        return None
    index, axis, size = (int(n) for n in found.groups())
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    reach = {2: (kW > kH, (Ho - 1) * sH + kW - 1), 3: (kH > kW, (Wo - 1) * sW + kH - 1)}
    if axis not in reach or size != x_shape[axis]:
        return None
    leaves, last = reach[axis]
    return (axis, index, size) if leaves and size <= index <= last else None


def decoded_past_text(axis: int, index: int, geo: Geometry) -> str:
    """What an index past the edge along ``axis`` shows (see decoded_past_the_edge), and every known way to reach it:
    the winner's offset decoded with the window's sides swapped, the two offsets put on each other's axes (which
    reach the same indices), and the stride pair swapped where its steps reach that index too."""
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    rows = axis == 2
    what, side, start = ("row", "kH", (Ho - 1) * sH) if rows else ("column", "kW", (Wo - 1) * sW)
    size, count, step, other = (kH, Ho, sW, "sW") if rows else (kW, Wo, sH, "sH")
    ways = [
        "the flat index k of each window's maximum unravelled with the window's sides swapped, "
        f"np.unravel_index(k, (kW, kH)) or divmod(k, kH) (entry k of a row-major {kH}x{kW} window is at row k // kW, "
        "column k % kW: np.unravel_index(k, (kH, kW)))",
        f"the window's {'column' if rows else 'row'} offset added to the {what} index (the two offsets put on each "
        "other's axes)",
    ]
    if sH != sW and any(p * step + i == index for p in range(count) for i in range(size)):
        ways.append(f"the {what}s stepped by the other axis's stride, {other} = {step} (the stride pair swapped)")
    return (
        f"backward indexed the input at {what} {index}, past its edge: the last window's {what}s start at {start} and "
        f"a {kH}x{kW} window spans {side} = {size} of them, so an offset of at least {index - start} was added, "
        "outside the window. More than one mistake reaches that index, and the crash does not say which: "
        + "; or ".join(ways)
    )


def avg_pool_offsets_variants(
    g: np.ndarray, x_shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int]
) -> Variants:
    """AvgPool2d's backward scattering grad_y / (kH*kW) over the wrong set of window offsets, on the geometry of
    :func:`offsets_probe`: a loop one past a side, or the two sides swapped (which is also what one loop over the
    flat offset decoded with divmod(k, kH) visits: the same set, so the same numbers)."""
    (kH, kW), (sH, sW), (Ho, Wo) = kernel, stride, g.shape[2:]

    def scattered(rows: int, cols: int) -> np.ndarray:
        grad = np.zeros(x_shape)
        for i, j in itertools.product(range(rows), range(cols)):
            grad[:, :, i : i + sH * Ho : sH, j : j + sW * Wo : sW] += g / (kH * kW)
        return grad

    found = {
        "loop-off-by-one#rows-past": (
            scattered(kH + 1, kW),
            f"backward's loop over the window's row offsets runs one too far, range(kH + 1) = range({kH + 1}): "
            "range(kH) visits every row offset of the window",
        ),
        "loop-off-by-one#columns-past": (
            scattered(kH, kW + 1),
            f"backward's loop over the window's column offsets runs one too far, range(kW + 1) = range({kW + 1}): "
            "range(kW) visits every column offset of the window",
        ),
    }
    if kH != kW:
        found["window-sides-swapped"] = (
            scattered(kW, kH),
            f"backward visits the offsets of a {kW}x{kH} window where the window is {kH}x{kW}: either the two loops "
            f"were swapped, the row offset i over range(kW) and the column offset j over range(kH) (i runs over the "
            "kernel height kH, j over its width kW), or one loop over the flat offset k decoded it with "
            f"divmod(k, kH) where a row of the window holds kW = {kW} offsets, (i, j) = divmod(k, kW); the two "
            "visit the same offsets and give the same numbers (right for a square window only)",
        )
    return unique(found, scattered(kH, kW))


def _slice_steps_written(source: str, values: dict[str, int]) -> tuple[int, int] | None:
    """The steps of axes 2 and 3 of a four-slice index in the line, when both are one of ``values``' names
    (``i:i + sH*Ho:sH``), as numbers; None when the line shows no such index or spells a step otherwise."""
    for parts in shape_mistakes.spatial_slices(source):
        names = [p.step.id for p in parts if isinstance(p, ast.Slice) and isinstance(p.step, ast.Name)]
        if len(names) == 2 and all(n in values for n in names):
            return values[names[0]], values[names[1]]
    return None


def _slice_ends_written(source: str) -> set[str]:
    """How the line ends the slices of axes 2 and 3 of a four-slice index: "offset" (``i:i + sH*Ho``), "scaled"
    (``i * sH:i * sH + sH*Ho``), "minus-one" (``i + sH*(Ho - 1)``), "no-offset" (``i:sH*Ho``), "no-end"
    (``i::sH``), "unstrided" (``i:i + Ho:sH``, a step the end does not multiply), "end-unlike-step" (beside
    "offset": ``i:i + kH*Ho:sH``, an end multiplied by something other than the step), "other" (an end that holds the
    start's names otherwise); empty when the line shows none."""
    found = set()
    for parts in shape_mistakes.spatial_slices(source):
        for part in parts:
            if isinstance(part, ast.Slice) and part.lower is not None and part.upper is None and part.step is not None:
                found.add("no-end")
            if not isinstance(part, ast.Slice) or part.lower is None or part.upper is None:
                continue
            start = ast.dump(part.lower)
            pieces = [ast.dump(n) for n in ast.walk(part.upper)]
            if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Sub) for n in ast.walk(part.upper)):
                found.add("minus-one")
            elif isinstance(part.lower, ast.BinOp) and isinstance(part.lower.op, ast.Mult) and start in pieces:
                found.add("scaled")  # (i * sH:i * sH + ...: an offset scaled by a step, the same at both ends)
            elif _scaled_factored(part.lower, part.upper):
                found.add("scaled")  # (i * sH:(i + Ho) * sH: the same, the step taken out of the end's sum)
            elif start in pieces and _end_unstrided(part):
                found.add("unstrided")
            elif start in pieces:
                found.add("offset")
                if _end_unlike_step(part):
                    found.add("end-unlike-step")
            elif isinstance(part.lower, ast.Constant):
                continue
            elif not _names(part.lower) & _names(part.upper):
                found.add("no-offset")
            else:  # an end that counts from the start's names in a form no hypothesis writes: not "no offset"
                found.add("other")
    return found


def _end_unlike_step(part: ast.Slice) -> bool:
    """``i:i + kH * Ho:sH``: an end that multiplies by something, none of it the step the slice takes (a right end,
    ``i + sH * Ho``, holds the step it steps by). A constant step (or none) says nothing: not this."""
    if part.upper is None or part.step is None or isinstance(part.step, ast.Constant):
        return False
    nodes = list(ast.walk(part.upper))
    step = ast.dump(part.step)
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult) for n in nodes) and all(
        ast.dump(n) != step for n in nodes
    )


def _names(node: ast.expr) -> set[str]:
    """The plain names of an expression (``i``, ``Ho``), not one holding an attribute (``self`` of ``self.s``)."""
    held = {id(n.value) for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and id(n) not in held}


# ------------------------------------------------------------------------------- hints
def _side(n: int, k: int, s: int, p: int, formula: str) -> int:
    """One output side by a (right or wrong) output-size formula."""
    return {
        "right": 1 + (n + 2 * p - k) // s,
        "plus-one": (n + 2 * p - k) // s,
        "stride": n + 2 * p - k + 1,
        "padding": 1 + (n - k) // s,
        "padding-once": 1 + (n + p - k) // s,
        "ceil": 1 + math.ceil((n + 2 * p - k) / s),
        "over-kernel": n // k,
        "stride-kernel": 1 + (n + 2 * p - k) // k,
    }[formula]


def _output_shape_texts(
    component: Component, x_shape: tuple[int, ...], geo: Geometry, channels: int
) -> tuple[dict, dict, str]:
    """Every wrong output shape a known output-size formula gives, ``shape -> {tag: sentence}``, the tags of every
    shape (rivals' shapes included), and the sentence that gives the right size."""
    (H, W), (kH, kW), (sH, sW), (pH, pW) = geo.in_hw, geo.kernel, geo.stride, geo.padding
    conv = component.formula == "convolution"
    N, (Ho, Wo) = x_shape[0], geo.out_hw
    formula = "H' = 1 + (H + 2*pH - kH) // sH" if conv else "H' = 1 + (H - kH) // sH"
    right = f"the output size is {formula} (W' likewise), here {Ho} x {Wo}"
    both = {
        "output-size-missing-plus-one": ("plus-one", "the output-size formula lacks its + 1"),
        "output-size-stride-ignored": ("stride", "the output size ignores the stride"),
        "output-size-ceil": ("ceil", "the output size was rounded up; a window that does not fit is left out"),
    }
    if conv and (pH, pW) != (0, 0):
        both["output-size-padding-ignored"] = ("padding", "the output size leaves out the padding")
        both["output-size-padding-once"] = (
            "padding-once",
            "the output size counts the padding once, not on both sides",
        )
    if conv and (sH, sW) != (kH, kW):  # (a pool's H // kH below is this very size: 1 + (H - kH) // kH)
        both["stride-is-kernel"] = (
            "stride-kernel",
            f"the stride was taken to be the window size {(kH, kW)} (stride = kernel_size, pooling's default), not "
            f"the stride {(sH, sW)}",
        )
    if not conv:
        both["output-size-h-over-k"] = (
            "over-kernel",
            "the output size was taken as H // kH, right only when the stride is the window",
        )
    found: list[tuple[tuple[int, ...], str, str]] = [
        ((N, channels, _side(H, kH, sH, pH, rule), _side(W, kW, sW, pW, rule)), tag, text)
        for tag, (rule, text) in both.items()
    ]
    found += [((N, channels, *sides), "square-only-index", text) for sides, text in _cross_axis_sides(geo, conv)]
    if sH != sW:
        found.append(
            (
                (N, channels, _side(H, kH, sW, pH, "right"), _side(W, kW, sH, pW, "right")),
                "stride-height-width-swapped",
                "the stride's two numbers were swapped (rows step by sH, columns by sW)",
            )
        )
    if sW > 1 and sH > 1:
        found.append(
            (
                (N, channels, Ho, _side(W, kW, 1, pW, "right")),
                "column-stride-ignored",
                f"the width ignores the column stride sW = {sW}",
            )
        )
        found.append(
            (
                (N, channels, _side(H, kH, 1, pH, "right"), Wo),
                "row-stride-ignored",
                f"the height ignores the row stride sH = {sH}",
            )
        )
    # Shapes that other mistakes give, with no formula behind them: they make a shape ambiguous,
    # never a claim (a pool's mean over the output positions is (N, C, kH, kW)).
    rivals = set() if conv else shape_mistakes.window_reduction_shapes((N, channels, Ho, Wo, kH, kW))
    tags: dict[tuple[int, ...], set[str]] = {shape: {"rival"} for shape in rivals}
    texts: dict[tuple[int, ...], dict[str, str]] = {}
    for shape, tag, text in found:
        tags.setdefault(shape, set()).add(tag)
        texts.setdefault(shape, {}).setdefault(tag, text)
    return texts, tags, right


def output_shapes(component: Component, x_shape: tuple[int, ...], geo: Geometry, channels: int) -> dict:
    """Wrong output shapes, each with the output-size formula that gives it: ``shape -> (tag, sentence)``.

    A shape two formulas give names neither."""
    texts, tags, right = _output_shape_texts(component, x_shape, geo, channels)
    conv = component.formula == "convolution"
    N, (Ho, Wo) = x_shape[0], geo.out_hw
    # The third element: a mistake in the number of windows only, so the entries both shapes hold are right.
    known = {
        shape: (tag, f"{text}: {right}", True)
        for shape, by_tag in texts.items()
        for tag, text in by_tag.items()
        if shape != (N, channels, Ho, Wo) and len(tags[shape]) == 1
    }
    last = None if conv else _channels_last_shape(x_shape, geo)
    if last is not None and last != (N, channels, Ho, Wo) and last not in tags:
        known[last] = (
            "channels-last-layout",
            f"the window slid over axes 1 and 2, the rows and columns of channels-last (N, H, W, C) images "
            f"(TensorFlow's layout), which gives shape {last}; the images are (N, C, H, W), channels first, so the "
            "window moves over axes 2 and 3 (sliding_window_view(x, (kH, kW), axis=(2, 3))) and axis 1 keeps "
            f"its {channels} channels: {right}",
        )
    return known


def output_shape_readings(
    component: Component, x_shape: tuple[int, ...], geo: Geometry, channels: int
) -> dict[tuple[int, ...], list[str]]:
    """The wrong output shapes that more than one output-size formula gives, each with every formula's sentence:
    the shape alone does not say which (a width from the height's stride and a rounded-up width can agree)."""
    texts, tags, _ = _output_shape_texts(component, x_shape, geo, channels)
    right = (x_shape[0], channels, *geo.out_hw)
    return {
        shape: list(by_tag.values())
        for shape, by_tag in texts.items()
        if shape != right and len(tags[shape]) > 1 and "rival" not in tags[shape] and len(by_tag) > 1
    }


def _channels_last_shape(x_shape: tuple[int, ...], geo: Geometry) -> tuple[int, ...] | None:
    """The output of a pool whose window slides over axes 1 and 2, as if the channels came last: (N, C', H', W)."""
    N, C, H, W = x_shape
    (kH, kW), (sH, sW) = geo.kernel, geo.stride
    if C < kH or H < kW:
        return None  # the window does not fit: sliding_window_view raises instead
    return (N, _side(C, kH, sH, 0, "right"), _side(H, kW, sW, 0, "right"), W)


def _cross_axis_sides(geo: Geometry, conv: bool) -> list[tuple[tuple[int, int], str]]:
    """Output sides where one side was computed with some of the other axis's numbers (H for W, kH
    for kW, ...): right for square cases only. One sentence per shape; several ways to one shape
    are named together."""
    own = [(geo.in_hw[a], geo.kernel[a], geo.stride[a], geo.padding[a]) for a in (0, 1)]
    symbols = [("H", "kH", "sH", "pH"), ("W", "kW", "sW", "pW")]
    sides = {0: ("height", "the height's"), 1: ("width", "the width's")}
    found: dict[tuple[int, int], tuple[int, set[int]]] = {}  # shape -> (the side, the numbers taken)
    for a in (0, 1):
        b = 1 - a
        differ = [i for i in range(4 if conv else 3) if own[a][i] != own[b][i]]
        for k in range(1, len(differ) + 1):
            for chosen in itertools.combinations(differ, k):
                numbers = [own[b][i] if i in chosen else own[a][i] for i in range(4)]
                side = _side(*numbers, "right")
                if side != geo.out_hw[a]:
                    out = (side, geo.out_hw[1]) if a == 0 else (geo.out_hw[0], side)
                    found.setdefault(out, (a, set()))[1].update(chosen)
    texts = []
    for out, (a, taken) in found.items():
        b, ways = 1 - a, sorted(taken)
        used, meant = ", ".join(symbols[b][i] for i in ways), ", ".join(symbols[a][i] for i in ways)
        some = "" if len(ways) == 1 else "some of "
        texts.append(
            (
                out,
                f"the {sides[a][0]} was computed with {some}{sides[b][1]} numbers ({used} where {meant} belong), "
                "right for square cases only",
            )
        )
    return texts


def _precedence(kH: int, kW: int) -> dict[str, tuple[float, str]]:
    """`/ kH * kW` (or `/ kW * kH`) where `/ (kH * kW)` belongs: ``tag -> (factor against no division, why)``.
    For a square window `/ kH * kW` cancels and gives the numbers of no division at all: simulated there too, so
    that the two readings twin and neither is claimed (a rectangular case tells them apart)."""
    if kH == kW:
        return {
            "operator-precedence#square": (
                1.0,
                "the division by the window's area was written `/ kH * kW`, which Python evaluates left to right "
                "as (v / kH) * kW and which cancels for a square window; the area needs parentheses, / (kH * kW)",
            )
        }
    return {
        f"operator-precedence#{name}": (
            other_side / side,
            f"the division by the window's area was written `/ {side_name} * {name}`, which Python evaluates left "
            f"to right as (v / {side_name}) * {name} (operator precedence): multiplied by {name} = {other_side} where "
            f"it divides; the area needs parentheses, / ({side_name} * {name})",
        )
        for name, other_side, side_name, side in (("kW", kW, "kH", kH), ("kH", kH, "kW", kW))
    }


def pool_factors(geo: Geometry, maps: int = 1, channels: int = 1) -> dict[float, tuple[str, str]]:
    """AvgPool's classic wrong divisors, as the factor by which the result is off: ``factor -> (tag, why)``.
    ``maps`` is N*C, the number of images the windows run over (the count of all windows needs it), ``channels``
    C (a slice of one sample's channels counts them)."""
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    area = kH * kW
    windows = maps * Ho * Wo
    named = [
        (
            float(area),
            "avgpool-not-divided",
            f"{area} = kH*kW is the window's area: the division by it is missing (a sum where the mean belongs)",
        )
        if kH != kW
        else (  # `/ kH * kW` cancels for a square window: no division and the precedence slip give these numbers,
            # so only what they share is claimed, a divisor that is not the area
            float(area),
            "avgpool-divisor",
            f"{area} = kH*kW is the window's area: the mean's division by it did not take effect. On a square window "
            "more than one mistake gives these numbers: no division at all (a sum where the mean belongs), or the "
            "division written `/ kH * kW`, which Python evaluates as (v / kH) * kW and which cancels; the mean "
            "divides by (kH * kW)",
        ),
        (1.0 / area, "avgpool-divided-twice", f"{area} = kH*kW is the window's area: it was divided by twice"),
        # `/ kH * kW` runs left to right, (v / kH) * kW: off by kW*kW (for a square window that is the area, the
        # factor of no division at all: the square entry above names what the two share).
        *(
            (
                float(by * by),
                "operator-precedence",
                f"{by * by} is {name}*{name}: the division was written `/ {other} * {name}`, which Python evaluates "
                f"left to right as (v / {other}) * {name} (operator precedence): multiplied by {name} where it "
                f"divides; the window's area needs parentheses, / ({other} * {name})",
            )
            for by, name, other in ((kW, "kW", "kH"), (kH, "kH", "kW"))
            if by > 1 and kH != kW
        ),
        (
            area / (kH * kH),
            "square-only-index",
            f"{kW}/{kH} is kW/kH: divided by kH*kH = {kH * kH} where the window's area is kH*kW = {area} "
            "(the same for square windows only)",
        ),
        (
            area / (kW * kW),
            "square-only-index",
            f"{kH}/{kW} is kH/kW: divided by kW*kW = {kW * kW} where the window's area is kH*kW = {area} "
            "(the same for square windows only)",
        ),
        *_one_side_factors(kH, kW),
        (
            area / (kH + kW),
            "avgpool-divisor",
            f"{area}/{kH + kW} is kH*kW/(kH + kW): divided by kH + kW = {kH + kW}, the window's sides added, where "
            f"its area kH*kW = {area} belongs",
        ),
        (
            area / (sH * sW),
            "avgpool-divided-by-stride-area",
            f"{area}/{sH * sW} is kH*kW/(sH*sW): divided by the stride's area sH*sW = {sH * sW}, not by the "
            f"window's, kH*kW = {area} (the two agree only when the stride is the window)",
        ),
        (
            area / (geo.in_hw[0] * geo.in_hw[1]),
            "avgpool-divisor",
            f"{area}/{geo.in_hw[0] * geo.in_hw[1]} is kH*kW/(H*W): divided by H*W = {geo.in_hw[0] * geo.in_hw[1]}, "
            f"the input's area (as a global average would), where the window's area kH*kW = {area} belongs",
        ),
        (
            area / (Ho * Wo),
            "avgpool-divided-by-windows",
            f"{area}/{Ho * Wo} is kH*kW/(H'W'): divided by H'W' = {Ho * Wo}, the number of windows, instead of "
            f"the window's area kH*kW = {area}",
        ),
        # The window view's .size counts the entries of every window of the batch, not one window's.
        (
            1.0 / windows,
            "avgpool-divisor",
            f"1/{windows} is kH*kW/(N*C*H'*W'*kH*kW): each window's sum was divided by {windows * area}, the number of "
            f"entries of all {windows} windows together (N*C*H'*W'*kH*kW, as the window view's `.size` counts), where "
            f"one window's count kH*kW = {area} belongs: a window's mean divides by its own entries only "
            "(`windows.mean(axis=(-2, -1))`, or the sum / (kH * kW))",
        ),
        # A loop over window positions slices every sample and channel at once, x[:, :, rows, cols], (or, in a
        # loop over samples, every channel, x[n, :, rows, cols]): that slice's `.size` counts them all.
        *(
            (
                1.0 / count,
                "avgpool-divisor",
                f"1/{count} is 1/{shown}: each window's sum was divided by {count * area} = {who}*kH*kW, the `.size` "
                f"of the slice {where} that holds this window position {whose}, where one window's count kH*kW = "
                f"{area} belongs: the mean divides by the window's own entries only, the sum / (kH * kW) (or "
                "`.mean(axis=(-2, -1))` of the slice)",
            )
            for count, who, shown, where, whose in (
                (maps, "N*C", "(N*C)", "x[:, :, rows, cols]", "for every sample and channel"),
                (channels, "C", "C", "x[n, :, rows, cols]", "for every channel of a sample"),
            )
            if count > 1
        ),
    ]
    named = _merge_readings(named)
    if kH == kW:  # other divisors that are 1 on this case (the stride's area at stride 1) read as no division too
        (_, tag, text), *rest = named
        also = [why for value, t, why in rest if np.isclose(value, area)]
        named = [(float(area), tag, "; or ".join([text, *also])), *(n for n in rest if not np.isclose(n[0], area))]
    return distinct_factors(named)


def _merge_readings(named: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """One entry per (factor, tag): two readings of one factor under one tag are both said ("...; or ..."), so
    that the feedback does not pick one where the case cannot tell them apart."""
    merged: list[tuple[float, str, str]] = []
    for value, tag, text in named:
        same = next((k for k, (v, t, _) in enumerate(merged) if t == tag and np.isclose(v, value)), None)
        if same is None:
            merged.append((value, tag, text))
        else:
            merged[same] = (value, tag, f"{merged[same][2]}; or {text}")
    return merged


def _one_side_factors(kH: int, kW: int) -> list[tuple[float, str, str]]:
    """Divided by one side of the window, kH or kW, where its area kH*kW belongs: off by the other side.
    A side of 1 divides by nothing, which "not divided" says already; a square window's sides are one number."""
    area = f"the window's area kH*kW = {kH * kW} belongs"
    sides = [(kH, "kH", kW, "kW"), (kW, "kW", kH, "kH")][: 1 if kH == kW else 2]
    return [
        (float(off), "avgpool-divided-by-one-side", f"{off} is {other}: divided by {used} = {by} only where {area}")
        for by, used, off, other in sides
        if by > 1
    ]


def distinct_factors(named: list[tuple[float, str, str]], ones: bool = False) -> dict[float, tuple[str, str]]:
    """``factor -> (tag, why)``; a factor two mistakes give names neither, and a factor of 1 says nothing
    (unless ``ones``: a scale that should not be 1)."""
    return {
        value: (tag, text)
        for value, tag, text in named
        if (ones or not np.isclose(value, 1.0)) and len({t for v, t, _ in named if np.isclose(v, value)}) == 1
    }


def overlap_subset(geo: Geometry, x_shape: tuple[int, ...], crop: bool) -> dict[str, Subset]:
    """The entries inside two or more windows: where `=` and `+=` differ."""
    count = coverage(geo)
    if crop:
        (pH, pW), (H, W) = geo.padding, geo.in_hw
        count = count[pH : pH + H, pW : pW + W]
    mask = np.broadcast_to(count > 1, x_shape)
    if not mask.any() or mask.all():
        return {}
    return {
        "overlap": Subset(
            mask,
            "lies where two or more windows overlap",
            OVERWRITTEN,
            "overlap-overwritten",
            needs="not-divided",  # (divided by its count of windows: overlap-normalised, a variant)
        )
    }


def maxpool_subsets(x: np.ndarray, geo: Geometry) -> dict[str, Subset]:
    """The window maxima against the rest: a gradient on a non-maximal entry went to the whole window."""
    kH, kW = geo.kernel
    winner = pool_windows(x, geo.kernel, geo.stride).argmax(axis=-1)
    wins = scatter(lambda i, j: (winner == i * kW + j).astype(float), x.shape, geo, geo.stride)
    maxima = wins > 0
    return {
        "shared-maximum": Subset(
            wins > 1,
            "is the maximum of two or more windows (its gradient is their sum)",
            OVERWRITTEN,
            "overlap-overwritten",
            needs="not-divided",
        ),
        "not-maximum": Subset(
            ~maxima,
            "is not the maximum of any window (its gradient must be 0)",
            "every entry of a window received the window's gradient; only its maximum influenced the output",
            "maxpool-grad-to-whole-window",
        ),
        "maximum": Subset(maxima, "is the maximum of a window", None, ""),
    }


def _scaled_factored(lower: ast.expr, upper: ast.expr) -> bool:
    """``i * sH:(i + Ho) * sH``: a start that is an offset times a factor, and an end that is the same factor times a
    sum holding that offset as a term (i * sH + Ho * sH written with the factor outside the parentheses)."""
    if not all(isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mult) for e in (lower, upper)):
        return False
    low = [ast.dump(lower.left), ast.dump(lower.right)]
    for factor, rest in ((upper.left, upper.right), (upper.right, upper.left)):
        if ast.dump(factor) not in low or not (isinstance(rest, ast.BinOp) and isinstance(rest.op, ast.Add)):
            continue
        offset = low[1 - low.index(ast.dump(factor))]
        if offset in (ast.dump(rest.left), ast.dump(rest.right)):
            return True
    return False


def _end_unstrided(part: ast.Slice) -> bool:
    """``i:i + Ho:sH``: a slice that steps by a name its end holds no product with, so the end counts H' entries,
    not H' steps. Any product in the end (``i + self.stride * Ho``) may be the stride spelled otherwise: not this."""
    if not isinstance(part.step, ast.Name) or part.upper is None:
        return False
    nodes = list(ast.walk(part.upper))
    return not any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult) for n in nodes) and not any(
        isinstance(n, ast.Name) and n.id == part.step.id for n in nodes
    )
