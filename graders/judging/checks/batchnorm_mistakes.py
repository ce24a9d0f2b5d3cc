"""Known mistakes of batch normalisation, computed: what a buggy BatchNorm1d or BatchNorm2d returns.

The reference's training step is spelled out below so that each classic mistake is one argument away: the unbiased
variance where the biased one normalises, the variance not centred or its square root for it, eps left out or added
outside the square root, the mean not subtracted or the standard deviation not divided by, the statistics over the
wrong axes (or over the rows of a reshape that does not follow the channel axis, x.reshape(C, -1) without moving the
channels first: :func:`channel_regroupings`; or over the right 2-D layout, channels moved last and reshaped, left
with a plain reshape where the transpose back belongs: :func:`reshaped_back`), the affine map forgotten or swapped;
in backward, the terms for the batch mean and variance left out, of the wrong sign, or over the wrong axes or count
(or the batch statistics' terms kept in eval), the scale gamma or the factor 1/sqrt(var + eps) forgotten (or applied
twice), that factor read from running_var where forward used the batch's, sums where the formula has means, the
output saved where x_hat belongs.
The running buffers: their start (or the first batch taken as it), the batch's share, an update that
never reaches them, an update indented into a loop of forward, standard deviations averaged for the
variance, and the Bessel correction n/(n-1) misapplied, another number (the momentum) in n's place among
them (:func:`running_variants`).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from nnlab.exercises.components import Case

from .stored_settings import stored_otherwise
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
# In eval, the two running buffers read into each other's place (``mean, var = self.running_var,
# self.running_mean``): where running_mean is negative, its square root is nan, not an overflow.
RUNNING_SWAPPED = (
    "in eval mode running_mean and running_var were swapped: x was centred by running_var and divided by "
    "sqrt(running_mean + eps) (where running_mean is negative, that root is nan); eval normalises with "
    "(x - running_mean) / sqrt(running_var + eps)"
)
STD_FOR_VARIANCE = (
    "the standard deviation went where the variance belongs (x.std() for x.var()), so the batch was divided by "
    "sqrt(std + eps); x_hat = (x - mean) / sqrt(var + eps)"
)
NOT_CENTRED = (
    "the variance was the mean of the squares, mean(x^2), without subtracting the mean first (or centred on "
    "running_mean, which starts at zeros and gives the same numbers on a fresh layer's first batch); var = mean((x - "
    "mean)^2) (np.var) with the batch's own mean, which is mean(x^2) - mean^2"
)
# eps folded into the batch variance (var = x.var() + eps) and added again under the root.
EPS_TWICE = (
    "eps was added twice, once to the batch variance (var = x.var() + eps) and again under the square root: x_hat = "
    "(x - mean) / sqrt(var + 2 eps); add it once, x_hat = (x - mean) / sqrt(var + eps) with var the plain batch "
    "variance (which is also what running_var averages)"
)
MULTIPLIED = (
    "x - mean was multiplied by the standard deviation sqrt(var + eps) where it is divided by it: the factor forward "
    "saves (inv_std) is its reciprocal, 1 / sqrt(var + eps), so x_hat = (x - mean) * inv_std = (x - mean) / "
    "sqrt(var + eps)"
)
UNBIASED = (
    "normalised with the unbiased variance (divide by n-1); training normalises with the biased one "
    "(divide by n) and *stores* the unbiased"
)


AVERAGED = (
    "the variance was taken over axes {inner} and then averaged over axes {rest} (one axis at a time): the mean "
    "of those variances leaves out how the group means spread (the variance over both is the mean of the group "
    "variances plus the variance of the group means); reduce over axes {axes} together, x.var(axis={axes})"
)


# The reference's training step, spelled out so that each classic mistake is one argument away.
def bn_axes(x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Every axis but the channels, and the shape a (C,) vector broadcasts with."""
    return (0, *range(2, x.ndim)), (1, -1) + (1,) * (x.ndim - 2)


def _bn_statistics(case: Case, twin: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """The mean and (biased) variance forward normalises with, and whether they are the batch's."""
    axes, shape = bn_axes(x)
    if case.mode == "train":
        return x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True), True
    return twin.ref.running_mean.reshape(shape), twin.ref.running_var.reshape(shape), False


def partial_variances(x: np.ndarray, axes: tuple[int, ...]) -> dict[str, tuple[np.ndarray, str]]:
    """The variance over some of ``axes`` averaged over the others (``x.var(axis=0).mean(axis=(1, 2))``), kept
    as ``(1, C, 1, 1)``, with its mistake: what reducing a statistic one axis at a time gives."""
    found = {}
    for k in range(1, len(axes)):
        for inner in itertools.combinations(axes, k):
            rest = tuple(a for a in axes if a not in inner)
            found[f"variance-averaged-over-axes#{inner}"] = (
                x.var(axis=inner, keepdims=True).mean(axis=rest, keepdims=True),
                AVERAGED.format(inner=inner, rest=rest, axes=axes),
            )
    return found


# The variance's term with one factor inv_std too few is what a step-by-step derivation gives when the power rule
# slips on the variance's derivative: d/dvar (var + eps)^(-1/2) = -1/2 (var + eps)^(-3/2), inv_std ** 3.
_STAGED_EXPONENT = (
    "; derived step by step through the variance, the same numbers come from d/dvar (var + eps)^(-1/2) written "
    "-1/2 (var + eps)^(-1), inv_std ** 2, where the power rule gives the exponent -3/2: -1/2 (var + eps)^(-3/2), "
    "inv_std ** 3"
)


_STAGED = (
    "Derived step by step (dvar = sum(g_hat * (x - mu)) * -1/2 (var + eps)^(-3/2), dmu, then grad_x = g_hat * "
    "inv_std + dvar * 2 (x - mu) / m + dmu / m), "
)


# The variance's term added is also what a staged derivation gets that loses the power rule's minus sign.
_STAGED_SIGN = (
    "; derived step by step through the variance, the same numbers come from d/dvar (var + eps)^(-1/2) written "
    "+1/2 (var + eps)^(-3/2): the minus sign of the power rule was lost, -1/2 (var + eps)^(-3/2)"
)


def _staged_variance_slips(
    inv_std: np.ndarray, eps: float, centred_sum: np.ndarray
) -> list[tuple[str, float | np.ndarray, str]]:
    """The variance's term of grad_x off by a factor, as a staged derivation through dvar gets it: the 2 of the
    square's derivative d var / dx = 2 (x - mu) / m left out (half the term), the 1/2 of the power rule left out
    (twice the term), x_hat written where the centred input x - mu belongs (1 / (var + eps) once more), and the
    power (var + eps)^(-3/2) written without its parentheses (:func:`_staged_power_slips`)."""
    term = "the term for the batch variance, x_hat * mean(g_hat * x_hat),"
    return [
        *_staged_power_slips(term, inv_std, eps, centred_sum),
        (
            "half",
            0.5,
            f"{term} came out at half its size. {_STAGED}the 2 of d var / dx = 2 (x - mu) / m (the "
            "derivative of the square) was left out, written (x - mu) / m",
        ),
        (
            "double",
            2.0,
            f"{term} came out twice its size. {_STAGED}the 1/2 of the power rule was left out, d/dvar "
            "(var + eps)^(-1/2) written -(var + eps)^(-3/2)",
        ),
        (
            "x-hat-for-centred",
            inv_std**2,
            f"{term} carries the factor 1 / (var + eps) once more. {_STAGED}x_hat was used where the centred input "
            "x - mu belongs (in dvar and in dvar * 2 (x - mu) / m); x_hat = (x - mu) / sqrt(var + eps) is already "
            "divided by the standard deviation, so each use divides by it once more (x - mu = x_hat / inv_std)",
        ),
    ]


def _staged_power_slips(
    term: str, inv_std: np.ndarray, eps: float, centred_sum: np.ndarray
) -> list[tuple[str, np.ndarray, str]]:
    """dvar = sum(g_hat * (x - mu)) * -1/2 * (var + eps) ** -1.5 (``centred_sum`` is that sum, per channel) typed
    without a pair of parentheses: ``** -3 / 2`` is ((var + eps) ** -3) / 2 (the power binds tighter than the
    division); ``... * -0.5 * var + eps ** -1.5`` multiplies by var and adds eps's power alone (the power and the
    product bind tighter than the sum). grad_x's variance term is dvar * 2 (x - mu) / m, so each is that term times
    the slipped dvar over the right one, per channel."""
    power = inv_std**3
    var = 1.0 / inv_std**2 - eps
    right = -0.5 * centred_sum * power
    added = -0.5 * centred_sum * var + eps**-1.5
    why = "** binds tighter than / (and * and / tighter than +: operator precedence), so Python reads"
    return [
        (
            "precedence-exponent",
            power / 2,
            f"{term} is off by (var + eps)^(-3/2) / 2 per channel. {_STAGED}the power -3/2 was written "
            f"`(var + eps) ** -3 / 2`: {why} ((var + eps) ** -3) / 2; the exponent needs parentheses, "
            "(var + eps) ** (-3 / 2), or ** -1.5",
        ),
        (
            "precedence-base",
            np.divide(added, right, out=np.zeros_like(right), where=right != 0),
            f"{term} is off by a factor per channel. {_STAGED}dvar was written `... * -0.5 * var + eps ** -1.5`: "
            f"{why} (... * -0.5 * var) + eps ** -1.5, the power of eps alone added to the product; the base needs "
            "parentheses, ... * -0.5 * (var + eps) ** -1.5",
        ),
    ]


def _mean_square(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """mean(x^2) per channel: the variance of a student who forgot to centre x first."""
    return (x * x).mean(axis=axes, keepdims=True)


def _bn_inv_std(var: np.ndarray, eps: float, mistake: str = "") -> np.ndarray:
    if mistake == "eps-outside":
        return 1.0 / (np.sqrt(var) + eps)
    if mistake == "no-eps":
        return 1.0 / np.sqrt(var)
    if mistake == "variance":
        return 1.0 / (var + eps)
    if mistake == "std":  # the standard deviation where the variance belongs
        return 1.0 / np.sqrt(np.sqrt(var) + eps)
    if mistake == "multiplied":  # the std itself saved as the factor that multiplies: 1 / left out
        return np.sqrt(var + eps)
    return 1.0 / np.sqrt(var + eps)


def _broadcastable(shape: tuple[int, ...], fixed: tuple[int, ...], channels: int) -> bool:
    """Does a (C,) vector reshaped to ``fixed`` broadcast with an input of ``shape``?"""
    sized = tuple(channels if n == -1 else n for n in fixed)
    return all(a == b or 1 in (a, b) for a, b in zip(reversed(shape), reversed(sized), strict=False))


# ------------------------------------------------------------------------------- statistics over a reshape
Grouping = tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray], str]


def channel_regroupings(shape: tuple[int, ...]) -> dict[str, Grouping]:
    """The (C, m) groups a reshape meant as "one row (or column) per channel" makes of an input of ``shape`` when it
    does not follow the channel axis: x.reshape(C, -1) or x.reshape(-1, C) of x as it is, or after the transpose that
    belongs to the other one (channels last for (C, -1), channels first for (-1, C)). A reshape keeps numpy's memory
    order, so each group is a stretch of m consecutive values that mixes channels (and samples). ``key -> (to_groups,
    from_groups, mistake)``: to_groups(a) is (C, m), one statistic's group per row; from_groups undoes it. Readings
    that group by channel after all (one sample, C = 1, (N, C) read as (-1, C)) and readings that group alike are
    left out: their numbers are the right ones, or another reading's."""
    nd, C = len(shape), shape[1]
    axes = (0, *range(2, nd))
    last, first = (0, *range(2, nd), 1), (1, 0, *range(2, nd))
    layouts = {"as-is": tuple(range(nd)), "channels-last": last, "channels-first": first}
    written = {"as-is": "x", "channels-last": f"x.transpose{last}", "channels-first": f"x.transpose{first}"}
    channel = np.broadcast_to(np.arange(C).reshape((1, -1) + (1,) * (nd - 2)), shape)
    index = np.arange(int(np.prod(shape))).reshape(shape)
    kept: list[tuple[np.ndarray, tuple[str, str], Callable, Callable, list[str]]] = []  # (order, how, to, from, exprs)
    for layout, perm in layouts.items():
        if layout != "as-is" and perm == tuple(range(nd)):
            continue  # ((N, C) channels last is x itself)
        back = tuple(int(a) for a in np.argsort(perm))
        moved = tuple(shape[a] for a in perm)
        for reading in ("rows", "columns"):

            def to_groups(a: np.ndarray, perm: tuple = perm, reading: str = reading) -> np.ndarray:
                t = a.transpose(perm)
                return t.reshape(C, -1) if reading == "rows" else t.reshape(-1, C).T

            def from_groups(r: np.ndarray, back: tuple = back, moved: tuple = moved, reading: str = reading):
                t = r.reshape(moved) if reading == "rows" else r.T.reshape(moved)
                return t.transpose(back)

            if (to_groups(channel) == np.arange(C)[:, None]).all():
                continue  # each group is one channel's values: the right statistics
            order = np.sort(to_groups(index), axis=1)
            expr = f"{written[layout]}.reshape{'(C, -1)' if reading == 'rows' else '(-1, C)'}"
            same = [entry for entry in kept if np.array_equal(entry[0], order)]
            if same:  # (the same groups in the same order: the same numbers, whichever was written)
                same[0][4].append(expr)
                continue
            kept.append((order, (layout, reading), to_groups, from_groups, [expr]))
    found: dict[str, Grouping] = {}
    for _, (layout, reading), to_groups, from_groups, exprs in kept:
        meant = (
            "one row per channel, statistics along axis 1"
            if reading == "rows"
            else "one column per channel, statistics along axis 0"
        )
        if layout == "as-is":
            where = "the channels are axis 1, neither the first axis nor the last"
        else:
            where = f"after {written[layout].removeprefix('x')} the channels are the {layout.split('-')[1]} axis"
        right = f"x.transpose{first}.reshape(C, -1)" if reading == "rows" else f"x.transpose{last}.reshape(-1, C)"
        alike = f" (or {' or '.join(exprs[1:])}, which groups the same values here)" if len(exprs) > 1 else ""
        found[f"{layout}-{reading}"] = (
            to_groups,
            from_groups,
            f"the per-channel statistics came from {exprs[0]}{alike} ({meant}), a reshape that does not follow the "
            f"channel axis: {where}, and a reshape keeps numpy's memory order, so each "
            f"{'row' if reading == 'rows' else 'column'} holds a stretch of {int(np.prod(shape)) // C} consecutive "
            "values that mixes channels and samples, and each mean and variance belongs to no one channel. Move the "
            f"channel axis {'to the front' if reading == 'rows' else 'to the end'} before the reshape, {right}, or "
            f"reduce over axes {axes} directly",
        )
    return found


def regrouped_variants(
    x: np.ndarray, eps: float, w: np.ndarray, b: np.ndarray, running: tuple[np.ndarray, np.ndarray] | None = None
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, Grouping, str]]:
    """Forward with the statistics of a reshape that does not follow the channel axis (:func:`channel_regroupings`),
    the three ways students use them: group k's statistics applied to channel k (mean and variance saved per
    channel, x - mean.reshape(1, C, 1, 1)), or the groups normalised in the reshaped layout and reshaped back (the
    affine map after, per channel, or before, per row of the groups). ``running``: eval's buffers, used in place of
    the groups' statistics (only the layouts that reshape the input differ then). ``key -> (y, x_hat, inv_std,
    grouping, how)``: x_hat and inv_std as forward saves them, inv_std (C,) per group."""
    wv, bv = w.reshape(-1), b.reshape(-1)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    found = {}
    for key, grouping in channel_regroupings(x.shape).items():
        to_groups, from_groups, _ = grouping
        groups = to_groups(x)
        mean, var = (groups.mean(axis=1), groups.var(axis=1)) if running is None else running
        inv = 1.0 / np.sqrt(var + eps)
        if running is None:
            x_hat = (x - mean.reshape(shape)) * inv.reshape(shape)
            found[f"{key}#per-channel"] = (x_hat * w + b, x_hat, inv, grouping, "")
        x_hat_r = (groups - mean[:, None]) * inv[:, None]
        x_hat = from_groups(x_hat_r)
        reshaped = " and x was normalised in that reshaped layout (group k by its own statistics), then reshaped back"
        found[f"{key}#normalised-in-groups"] = (x_hat * w + b, x_hat, inv, grouping, reshaped)
        found[f"{key}#affine-in-groups"] = (
            from_groups(x_hat_r * wv[:, None] + bv[:, None]),
            x_hat,
            inv,
            grouping,
            reshaped.replace("then reshaped back", "with weight and bias per row, then reshaped back"),
        )
    return found


# ------------------------------------------------------------------------------- the way back from a 2-D layout
Back = tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray], str]
_AXIS_NAMES = {2: ("N", "C"), 3: ("N", "C", "L"), 4: ("N", "C", "H", "W"), 5: ("N", "C", "D", "H", "W")}


def reshaped_back(shape: tuple[int, ...]) -> dict[str, Back]:
    """The 2-D layouts with one column (or row) per channel that students take the statistics in, reached the right
    way, channels moved last (or first) and then reshaped, x.transpose(0, 2, 3, 1).reshape(-1, C) (CS231n's spatial
    batch norm), but left with a plain reshape to x's shape where the inverse of both steps belongs (the reshape to
    the moved shape, then the transpose back): a reshape keeps numpy's memory order, the moved array's, so the values
    land in other places than they came from. ``key -> (to_2d, back, mistake)``: to_2d(a) is the 2-D layout (N*..,
    C) or (C, N*..), back(r) its values reshaped straight to ``shape``. Layouts where that reshape happens to undo
    the move (one sample with the channels first, one position) are left out: their numbers are the right ones."""
    nd, C = len(shape), shape[1]
    names = _AXIS_NAMES.get(nd)
    if names is None:
        return {}
    index = np.arange(int(np.prod(shape))).reshape(shape)
    found: dict[str, Back] = {}
    seen: list[np.ndarray] = []
    for layout, perm, reading in (
        ("channels-last", (0, *range(2, nd), 1), "columns"),
        ("channels-first", (1, 0, *range(2, nd)), "rows"),
    ):
        if perm == tuple(range(nd)):
            continue  # ((N, C) channels last is x itself: nothing to undo)
        back = tuple(int(a) for a in np.argsort(perm))

        def to_2d(a: np.ndarray, perm: tuple = perm, reading: str = reading) -> np.ndarray:
            t = a.transpose(perm)
            return t.reshape(-1, C) if reading == "columns" else t.reshape(C, -1)

        def wrong_back(r: np.ndarray) -> np.ndarray:
            return r.reshape(shape)

        landed = wrong_back(to_2d(index))
        if np.array_equal(landed, index) or any(np.array_equal(landed, other) for other in seen):
            continue  # the reshape undoes the move here (or another layout lands the values alike)
        seen.append(landed)
        moved = ", ".join(names[a] for a in perm)
        into = f"x.transpose{perm}.reshape{'(-1, C)' if reading == 'columns' else '(C, -1)'}"
        written = ", ".join(names)
        found[layout] = (
            to_2d,
            wrong_back,
            f"the per-channel statistics were taken the right way, channels moved {layout.split('-')[1]} and "
            f"reshaped to one {reading[:-1]} per channel, {into}, but the normalised values were brought back "
            f"with a plain reshape({written}): a reshape keeps numpy's memory order, which after the transpose is "
            f"({moved})'s, so each value lands in another sample, channel or position than it came from. Undo "
            f"the two steps in reverse order, reshape to the moved shape and then transpose back: "
            f".reshape({moved}).transpose{back}",
        )
    return found


def reshaped_back_variants(
    x: np.ndarray, eps: float, w: np.ndarray, b: np.ndarray, running: tuple[np.ndarray, np.ndarray] | None = None
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, Back, str]]:
    """Forward normalising in a 2-D per-channel layout reached right and left with a plain reshape
    (:func:`reshaped_back`), the affine map after (per channel of x) or before (per column or row of the layout).
    ``running``: eval's buffers in place of the batch's statistics. ``key -> (y, x_hat, inv_std, back, how)``: x_hat
    as forward saves it, inv_std (C,)."""
    wv, bv = w.reshape(-1), b.reshape(-1)
    found = {}
    for key, way in reshaped_back(x.shape).items():
        to_2d, wrong_back, _ = way
        flat = to_2d(x)
        axis = 0 if key == "channels-last" else 1
        mean, var = (flat.mean(axis=axis), flat.var(axis=axis)) if running is None else running
        inv = 1.0 / np.sqrt(var + eps)
        along = (lambda v: v[None, :]) if axis == 0 else (lambda v: v[:, None])
        x_hat_2d = (flat - along(mean)) * along(inv)
        x_hat = wrong_back(x_hat_2d)
        found[f"{key}#affine-after"] = (x_hat * w + b, x_hat, inv, way, "")
        found[f"{key}#affine-in-layout"] = (
            wrong_back(x_hat_2d * along(wv) + along(bv)),
            x_hat,
            inv,
            way,
            " (weight and bias applied in that layout, before the reshape)",
        )
    return found


def forward_variants(case: Case, twin: Any, x: np.ndarray) -> Variants:
    axes, shape = bn_axes(x)
    w, b = twin.params["weight"].reshape(shape), twin.params["bias"].reshape(shape)
    eps = case.kwargs.get("eps", 1e-5)
    mean, var, batch = _bn_statistics(case, twin, x)
    v: Variants = {
        "affine-order": (
            ((x - mean) * _bn_inv_std(var, eps) + b) * w,
            "the shift was added before the scale, (x_hat + bias) * weight, so the shift was scaled too: the affine "
            "map scales x_hat, then adds the shift, y = weight * x_hat + bias",
        )
    }
    if batch:
        v["bn-unbiased-variance"] = (
            (x - mean) / np.sqrt(x.var(axis=axes, ddof=1, keepdims=True) + eps) * w + b,
            UNBIASED,
        )
        v["bn-variance-not-centred"] = ((x - mean) * _bn_inv_std(_mean_square(x, axes), eps) * w + b, NOT_CENTRED)
        v["eps-added-twice"] = ((x - mean) * _bn_inv_std(var + eps, eps) * w + b, EPS_TWICE)
        for tag, (partial, text) in partial_variances(x, axes).items():
            v[tag] = ((x - mean) * _bn_inv_std(partial, eps) * w + b, text)
    v["bn-no-eps"] = ((x - mean) * _bn_inv_std(var, eps, "no-eps") * w + b, NO_EPS)
    v["bn-eps-outside-sqrt"] = ((x - mean) * _bn_inv_std(var, eps, "eps-outside") * w + b, EPS_OUTSIDE)
    v["bn-divided-by-variance"] = (
        (x - mean) * _bn_inv_std(var, eps, "variance") * w + b,
        "x - mean was divided by the variance, not by the standard deviation sqrt(var + eps)",
    )
    v["bn-std-for-variance"] = ((x - mean) * _bn_inv_std(var, eps, "std") * w + b, STD_FOR_VARIANCE)
    v["multiplies-by-std"] = ((x - mean) * _bn_inv_std(var, eps, "multiplied") * w + b, MULTIPLIED)
    v["bn-std-missing"] = (
        (x - mean) * w + b,
        "x - mean was not divided by the standard deviation: x_hat = (x - mean) / sqrt(var + eps)",
    )
    v["bn-mean-not-subtracted"] = (
        x * _bn_inv_std(var, eps) * w + b,
        "the mean was not subtracted before dividing by the standard deviation: x_hat = (x - mean) / sqrt(var + eps)",
    )
    v["bn-no-affine"] = (
        (x - mean) * _bn_inv_std(var, eps),
        "the result was not scaled by `weight` and shifted by `bias`: y = weight * x_hat + bias",
    )
    # Half the affine map: a parameter forward never uses (the gradient check says the same of it).
    v["parameter-not-used#bias"] = (
        (x - mean) * _bn_inv_std(var, eps) * w,
        "forward never adds `bias`: y = weight * x_hat + bias (the shift beta is part of the output)",
    )
    v["parameter-not-used#weight"] = (
        (x - mean) * _bn_inv_std(var, eps) + b,
        "forward never multiplies by `weight`: y = weight * x_hat + bias (the scale gamma is part of the output)",
    )
    x_hat = (x - mean) * _bn_inv_std(var, eps)
    for rank in (2, 3, 4):  # gamma and beta reshaped for an input of another number of axes
        fixed = (1, -1) + (1,) * (rank - 2)
        if rank == x.ndim or not _broadcastable(x.shape, fixed, w.size):
            continue
        v[f"fixed-number-of-axes#{rank}"] = (
            x_hat * twin.params["weight"].reshape(fixed) + twin.params["bias"].reshape(fixed),
            f"weight and bias were reshaped to {fixed} (a {rank}-D input's layout, (1, C) plus one 1 per extra axis) "
            f"whatever the input: on a {x.ndim}-D input they broadcast against other axes than the channels and "
            "change the output's shape. Reshape them from the input's own number of axes, so that the channels "
            "meet axis 1: (1, C) + (1,) * (x.ndim - 2)",
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
        for key, (y, _, _, (_, _, text), how) in regrouped_variants(x, eps, w, b).items():
            v[f"reshape-not-transpose#statistics-{key}"] = (y, text.replace(". Move the", how + ". Move the", 1))
        for key, (y, _, _, (_, _, text), how) in reshaped_back_variants(x, eps, w, b).items():
            v[f"reshape-not-transpose#back-{key}"] = (
                y,
                text.replace(": a reshape keeps", how + ": a reshape keeps", 1),
            )
        for which, (r_mean, r_var) in _running_in_training(case, twin, x).items():
            v[f"bn-running-stats-in-training#{which}"] = (
                (x - r_mean) * _bn_inv_std(r_var, eps) * w + b,
                RUNNING_IN_TRAIN,
            )
            # One of the two statistics the running one (a mean or a variance read from the wrong place).
            v[f"bn-running-stats-in-training#{which}-mean"] = (
                (x - r_mean) * _bn_inv_std(var, eps) * w + b,
                f"in training mode forward subtracted running_mean; {RUNNING_IN_TRAIN}",
            )
            v[f"bn-running-stats-in-training#{which}-var"] = (
                (x - mean) * _bn_inv_std(r_var, eps) * w + b,
                f"in training mode forward divided by sqrt(running_var + eps); {RUNNING_IN_TRAIN}",
            )
    else:
        running = (twin.ref.running_mean.reshape(-1), twin.ref.running_var.reshape(-1))
        for key, (y, _, _, (_, _, text), how) in reshaped_back_variants(x, eps, w, b, running).items():
            v[f"reshape-not-transpose#back-{key}"] = (
                y,
                text.replace(
                    ": a reshape keeps",
                    how + " (in eval the running statistics were applied in that layout): a reshape keeps",
                    1,
                ),
            )
        for key, (y, _, _, (_, _, text), how) in regrouped_variants(x, eps, w, b, running).items():
            v[f"reshape-not-transpose#statistics-{key}"] = (
                y,
                text.replace(
                    ". Move the", how + "; in eval the running statistics were applied in that layout too. Move the", 1
                ),
            )
        b_mean, b_var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
        for key, (m_, v_), which in (
            ("", (b_mean, b_var), "the batch statistics were used"),
            ("#mean", (b_mean, var), "the batch mean was subtracted (running_var divided)"),
            ("#var", (mean, b_var), "the batch variance divided (running_mean was subtracted)"),
        ):
            v[f"bn-batch-stats-in-eval{key}"] = (
                (x - m_) * _bn_inv_std(v_, eps) * w + b,
                f"in eval mode {which}; eval must normalise with running_mean and running_var alone",
            )
        for key, factor in _eval_bessel(x).items():
            v[f"bessel-correction#eval-{key}"] = (
                (x - mean) * _bn_inv_std(var * factor, eps) * w + b,
                EVAL_BESSEL[key].format(n=x.size // x.shape[1]),
            )
        with np.errstate(invalid="ignore"):  # a negative running mean under the root: nan, as the student's
            v["bn-running-stats-swapped#eval"] = (
                (x - var) * _bn_inv_std(mean, eps) * w + b,
                RUNNING_SWAPPED,
            )
    return unique(v, copy.deepcopy(twin.ref).forward(x))


# In eval mode running_var read through the Bessel factor of the batch at hand, n / (n - 1) once more (the buffer
# holds the unbiased variance already) or (n - 1) / n (undone, as if eval wanted the biased one): eval divides by
# sqrt(running_var + eps) as the buffer holds it.
EVAL_BESSEL = {
    "again": (
        "in eval mode running_var was multiplied by the Bessel factor n / (n - 1) (n = {n} values per channel in "
        "this batch) before normalising: the buffer already holds the unbiased variance, and eval divides by "
        "sqrt(running_var + eps) as it is"
    ),
    "undone": (
        "in eval mode running_var was multiplied by (n - 1) / n (n = {n} values per channel in this batch), as if "
        "the correction stored with it had to be undone: eval divides by sqrt(running_var + eps) as the buffer "
        "holds it"
    ),
}


def _eval_bessel(x: np.ndarray) -> dict[str, float]:
    """The factors :data:`EVAL_BESSEL` multiplies running_var by, for this batch's count n (none when n < 2)."""
    n = x.size // x.shape[1]
    return {"again": n / (n - 1), "undone": (n - 1) / n} if n > 1 else {}


def _running_in_training(case: Case, twin: Any, x: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The running statistics a training forward would normalise with by mistake: as they were before
    this batch's update and after it. ``twin.ref`` has run this forward already (its buffers are updated)."""
    axes, shape = bn_axes(x)
    m = case.kwargs.get("momentum", 0.1)
    count = x.size // x.shape[1]
    after = twin.ref.running_mean.reshape(shape), twin.ref.running_var.reshape(shape)
    found = {"after-update": after}
    if m < 1 and count > 1:
        var = x.var(axis=axes, keepdims=True) * count / (count - 1)
        before_mean = (after[0] - m * x.mean(axis=axes, keepdims=True)) / (1 - m)
        found["before-update"] = (before_mean, (after[1] - m * var) / (1 - m))
    return found


def layout_crash(shape: tuple[int, ...], message: str) -> tuple[str, str] | None:
    """A (C,) vector reshaped for fewer axes than the input has, ``(1, C)`` written for 2-D input met by a 3-D
    ``(N, C, L)`` one (or ``(1, C, 1)`` by a 4-D one), refused by numpy's broadcasting: numpy lined it up with the
    trailing axes, not the channels."""
    if "broadcast" not in message or len(shape) < 2:
        return None
    operands = [tuple(int(n) for n in t.split(",") if n.strip()) for t in re.findall(r"\(([\d,\s]*)\)", message)]
    if shape not in operands:
        return None
    C = shape[1]
    for found in operands:
        rank = len(found)
        # The vector as a column, (C, 1) or (C, 1, 1) ([:, None]) with no 1 in front for the batch: numpy lines
        # its C up with axis ndim - rank of the input, the channels only where rank is ndim - 1.
        if C > 1 and rank >= 2 and found == (C,) + (1,) * (rank - 1) and rank != len(shape) - 1:
            axis = len(shape) - rank
            return (
                "broadcast-wrong-axis",
                f"a per-channel vector (mean, variance, weight or bias, shape ({C},)) was made a column of shape "
                f"{found} (v[:, None]), the layout of a {rank + 1}-D input, with no 1 in front for the batch axis: "
                f"numpy lines shapes up from the last axis, so on the input of shape {shape} its {C} values meet "
                f"axis {axis} (size {shape[axis]}), not the channels (axis 1): reshape it from the input's own number "
                "of axes, (1, C) + (1,) * (x.ndim - 2), so that the channels meet axis 1",
            )
        # (Only a layout with fewer axes than the input: numpy lines it up with the trailing axes. One with more
        # axes makes the result grow an axis, which the layer's other rules read.)
        if rank < 2 or rank >= len(shape) or found != (1, C) + (1,) * (rank - 2):
            continue
        return (
            "broadcast-wrong-axis",
            f"a per-channel vector (mean, variance, weight or bias, shape ({C},)) was reshaped to {found}, the layout "
            f"of a {rank}-D input, and met the input of shape {shape} ({len(shape)} axes), where it broadcasts against "
            f"other axes than the channels: reshape it from the input's own number of axes, (1, C) + (1,) * "
            "(x.ndim - 2), so that the channels meet axis 1",
        )
    return None


def statistics_crash(shape: tuple[int, ...], message: str) -> tuple[str, str] | None:
    """A statistic of another shape than (C,) refused by the (C,) running buffer it is added into: the input's
    shape without the reduced axes, so the shape says which axes the mean was taken over when only one set of
    axes leaves it (for (2, 2, 3, 3) a (3,) could be axis 2's or axis 3's: no claim)."""
    if "broadcast" not in message or len(shape) < 2:
        return None
    right = (0, *range(2, len(shape)))
    every = [a for k in range(1, len(shape)) for a in itertools.combinations(range(len(shape)), k)]
    for text in re.findall(r"\(([\d,\s]*)\)", message):
        found = tuple(int(n) for n in text.split(",") if n.strip())
        if found == (shape[1],):
            continue
        reduced = [a for a in every if tuple(n for i, n in enumerate(shape) if i not in a) == found]
        if len(reduced) != 1 or reduced[0] == right:
            continue
        axes = reduced[0]
        per_channel = (
            f"BatchNorm takes one mean and variance per channel (axis 1) over axes {right}, shape ({shape[1]},)"
        )
        if len(shape) == 4 and axes == (0, 1, 2):
            return (
                "channels-last-layout",
                f"the statistics were taken over axes {axes}, giving one per entry of the last axis, shape {found}: "
                "that is the channel axis of the channels-last (N, H, W, C) layout (TensorFlow's); here images are "
                f"(N, C, H, W), channels first, so {per_channel}",
            )
        if 0 not in axes and 1 in axes:
            return (
                "bn-wrong-axes",
                f"the statistics were taken over axes {axes}, each sample's own values (as layer normalisation "
                f"does): one per sample, shape {found}; {per_channel}, over the batch",
            )
        return ("bn-wrong-axes", f"the statistics were taken over axes {axes}, shape {found}; {per_channel}")
    return None


def _wrong_axes(x: np.ndarray, axes: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The axes a student reduces over instead: some of the right ones only (the batch alone, an axis
    left out of (0, 2, 3)), or the channels as well."""
    wrong = [subset for k in range(1, len(axes)) for subset in itertools.combinations(axes, k)]
    wrong.append(tuple(range(x.ndim)) if x.ndim > 2 else (1,))
    if x.ndim > 2:  # per sample: every channel together (layer norm)
        wrong.append(tuple(range(1, x.ndim)))
    return [a for a in wrong if a != axes and np.prod([x.shape[i] for i in a]) > 1]


def _fewer_axes(axes: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The proper, non-empty subsets of ``axes``: a reduction that left some of them out."""
    return [subset for k in range(1, len(axes)) for subset in itertools.combinations(axes, k)]


def _bn_backward(
    g: np.ndarray,
    w: np.ndarray,
    x_hat: np.ndarray,
    inv_std: np.ndarray,
    axes: tuple[int, ...],
    batch: bool,
    **terms: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """grad_x, grad_weight, grad_bias of the reference's formula, with terms left out on request.

    grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)), g_hat = grad_y * weight, is built
    term by term ("lead", "mean", "variance") so that a mistake may touch some of the terms only:
    ``without_gamma`` (grad_y where g_hat belongs), ``unscaled`` (no factor inv_std), ``summed`` (a sum where
    the mean belongs), ``gamma_twice`` (g_hat multiplied by weight once more); ``gamma=False``, ``scaled=False``
    and ``sum=True`` touch every term.
    """
    every = ("lead", "mean", "variance")
    without = every if not terms.get("gamma", True) else terms.get("without_gamma", ())
    unscaled = every if not terms.get("scaled", True) else terms.get("unscaled", ())
    summed = every if terms.get("sum", False) else terms.get("summed", ())
    twice = terms.get("gamma_twice", ())
    g_hat = {term: g if term in without else g * w * w if term in twice else g * w for term in every}
    scale = {term: 1.0 if term in unscaled else inv_std for term in every}
    reduce = {term: np.sum if term in summed else np.mean for term in every}
    # The means' sums divided by another count (the batch size N) are the means times m / count.
    share = g.size / g.shape[1] / terms["count"] if terms.get("count") else 1.0
    over = terms.get("mean_axes", axes)  # the axes backward's means run over (every one but the channels)
    # ... or, for one term only, "<term>_axes" (that term's mean written with other axes than the rest)
    over_mean, over_variance = terms.get("mean_axes_of_mean", over), terms.get("mean_axes_of_variance", over)
    grad_x = scale["lead"] * g_hat["lead"]
    if batch:  # each correction term subtracted (or, with "<term>_added", added by mistake)
        if terms.get("mean", True):
            mean_term = share * reduce["mean"](g_hat["mean"], axis=over_mean, keepdims=True)
            grad_x = grad_x + (1 if terms.get("mean_added") else -1) * scale["mean"] * mean_term
        if terms.get("variance", True):
            # The variance's term points along x_hat; "variance_direction" False leaves that factor out.
            direction = x_hat if terms.get("variance_direction", True) else 1.0
            # ... and "variance_inner" False leaves x_hat out of the mean (the projection mean(g_hat * x_hat)).
            inner = x_hat if terms.get("variance_inner", True) else 1.0
            term = share * direction * reduce["variance"](g_hat["variance"] * inner, axis=over_variance, keepdims=True)
            term = term * terms.get("variance_factor", 1.0)  # the term off by a factor (a staged derivation's slip)
            grad_x = grad_x + (1 if terms.get("variance_added") else -1) * scale["variance"] * term
    return grad_x, (g * x_hat).sum(axis=axes), g.sum(axis=axes)


def backward_variants(case: Case, twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Variants]:
    axes, shape = bn_axes(x)
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
            "bn-backward-variance-term",
            "the term for the batch variance, mean(g_hat * x_hat), was subtracted as it is, one number per channel; "
            "it must be multiplied by x_hat, the direction the variance moves each input along: grad_x = inv_std * "
            "(g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)), g_hat = grad_y * weight, means per channel",
            _bn_backward(g, w, x_hat, inv_std, axes, True, variance_direction=False),
            params=False,
        )
        add(
            "bn-backward-variance-term#inner",
            "the term for the batch variance was written x_hat * mean(g_hat): the mean must be of g_hat * x_hat, "
            "the gradient's projection on x_hat (the variance moves each input along x_hat): grad_x = inv_std * "
            "(g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)), g_hat = grad_y * weight, means per channel",
            _bn_backward(g, w, x_hat, inv_std, axes, True, variance_inner=False),
            params=False,
        )
        # The staged derivation (dvar, then dmu, then grad_x) with one factor of the variance's term slipped.
        centred_sum = (g * w * (x - mean)).sum(axis=axes, keepdims=True)  # dvar's sum, sum(g_hat * (x - mu))
        for key, factor, text in _staged_variance_slips(inv_std, eps, centred_sum):
            add(
                f"bn-backward-variance-term#{key}",
                f"{text}. The whole: grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)), g_hat = "
                "grad_y * weight, means per channel",
                _bn_backward(g, w, x_hat, inv_std, axes, True, variance_factor=factor),
                params=False,
            )
        if x.ndim > 2:
            add(
                "bn-wrong-axes#backward",
                f"backward's means were taken over axis 0 only; like forward's statistics they run over axes {axes}, "
                "every axis but the channels: grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat))",
                _bn_backward(g, w, x_hat, inv_std, axes, True, mean_axes=(0,)),
                params=False,
            )
            # One term's mean over some of the axes only (axis 0, the batch, as in BatchNorm1d's (N, C) case), the
            # other right: the statistics of both terms run over the same axes as forward's.
            written = {"mean": "mean(g_hat)", "variance": "mean(g_hat * x_hat)"}
            for term, fewer in itertools.product(written, _fewer_axes(axes)):
                add(
                    f"bn-wrong-axes#backward-{term}-{'-'.join(map(str, fewer))}",
                    f"backward's {written[term]} was taken over axes {fewer} only, where forward's statistics run "
                    f"over axes {axes} (every axis but the channels): each mean of backward is a per-channel mean over "
                    "the same axes, grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat))",
                    _bn_backward(g, w, x_hat, inv_std, axes, True, **{f"mean_axes_of_{term}": fewer}),
                    params=False,
                )
            add(
                "bn-sum-not-mean#batch-size",
                f"the means of backward divided by N = {x.shape[0]}, the batch size, where a channel has "
                f"m = x.size // C = {x.size // x.shape[1]} values: grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * "
                "mean(g_hat * x_hat)), means over every axis but the channels",
                _bn_backward(g, w, x_hat, inv_std, axes, True, count=x.shape[0]),
                params=False,
            )
        C, m = x.shape[1], x.size // x.shape[1]
        add(
            "divided-by-features",
            f"the means of backward divided by C = {C}, the number of channels (num_features), where a channel has "
            f"m = x.size // C = {m} values: grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)), "
            "means over every axis but the channels (divide the sums by m)",
            _bn_backward(g, w, x_hat, inv_std, axes, True, count=C),
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
            # Forward right, backward's factor 1/sqrt(var + eps) recomputed from the buffer (or saved from it).
            add(
                f"bn-running-stats-in-training#{which}-backward-factor",
                "backward's factor 1 / sqrt(var + eps) came from running_var, while forward normalised this training "
                "batch with the batch's own variance: backward differentiates the forward that ran, so it uses the "
                "same batch variance (the inv_std forward computed and saved); the running statistics are only "
                "updated in training, for eval",
                (_bn_backward(g, w, x_hat, inv_std, axes, True)[0] / inv_std * r_inv, np.zeros(0), np.zeros(0)),
                params=False,
            )
        unbiased_inv = _bn_inv_std(x.var(axis=axes, ddof=1, keepdims=True), eps)
        add(
            "bn-unbiased-variance",
            UNBIASED,
            _bn_backward(g, w, (x - mean) * unbiased_inv, unbiased_inv, axes, True),
        )
        for tag, (partial, text) in partial_variances(x, axes).items():
            partial_inv = _bn_inv_std(partial, eps)
            add(tag, text, _bn_backward(g, w, (x - mean) * partial_inv, partial_inv, axes, True))
        twice_inv = _bn_inv_std(var + eps, eps)
        add("eps-added-twice", EPS_TWICE, _bn_backward(g, w, (x - mean) * twice_inv, twice_inv, axes, True))
        square_inv = _bn_inv_std(_mean_square(x, axes), eps)
        add("bn-variance-not-centred", NOT_CENTRED, _bn_backward(g, w, (x - mean) * square_inv, square_inv, axes, True))
    else:
        add(
            "bn-eval-backward-batch-terms",
            "in eval mode the running statistics are constants, so grad_x = grad_y * weight / sqrt(running_var "
            "+ eps); the terms for the batch mean and variance belong to training only",
            _bn_backward(g, w, x_hat, inv_std, axes, True),
            params=False,
        )
        with np.errstate(invalid="ignore"):  # a negative running mean under the root: nan, as the student's
            swapped_inv = _bn_inv_std(mean, eps)
            add(
                "bn-running-stats-swapped#eval",
                RUNNING_SWAPPED,
                _bn_backward(g, w, (x - var) * swapped_inv, swapped_inv, axes, False),
            )
        for key, factor in _eval_bessel(x).items():
            bessel_inv = _bn_inv_std(var * factor, eps)
            add(
                f"bessel-correction#eval-{key}",
                EVAL_BESSEL[key].format(n=x.size // x.shape[1]),
                _bn_backward(g, w, (x - mean) * bessel_inv, bessel_inv, axes, False),
            )
        batch_inv = _bn_inv_std(x.var(axis=axes, keepdims=True), eps)
        add(
            "bn-batch-stats-in-eval",
            "in eval mode the batch statistics were used; eval must normalise with running_mean and running_var",
            _bn_backward(g, w, (x - x.mean(axis=axes, keepdims=True)) * batch_inv, batch_inv, axes, False),
        )
    running = None if batch else (twin.ref.running_mean.reshape(-1), twin.ref.running_var.reshape(-1))
    for key, (_, saved_hat, inv, (to_groups, from_groups, text), how) in regrouped_variants(
        x, eps, w, twin.params["bias"].reshape(shape), running
    ).items():
        text = text.replace(". Move the", how + ". Move the", 1)
        if batch:  # backward's formula as written, reading what forward saved (per channel)
            add(
                f"reshape-not-transpose#statistics-{key}",
                f"{text}; backward read forward's saved x_hat and 1 / sqrt(var + eps)",
                _bn_backward(g, w, saved_hat, inv.reshape(shape), axes, True),
            )
        if not key.endswith("#per-channel"):  # backward in the reshaped layout too: the groups' own derivative
            in_groups = key.endswith("#affine-in-groups")
            gy = to_groups(g)
            g_hat = gy * w.reshape(-1)[:, None] if in_groups else to_groups(g * w)
            x_hat_r = to_groups(saved_hat)
            grad_r = g_hat
            if batch:
                grad_r = (
                    g_hat - g_hat.mean(axis=1, keepdims=True) - x_hat_r * (g_hat * x_hat_r).mean(axis=1, keepdims=True)
                )
            add(
                f"reshape-not-transpose#statistics-{key}-backward",
                f"{text}; backward worked in that reshaped layout too",
                (
                    from_groups(grad_r * inv[:, None]),
                    (gy * x_hat_r).sum(axis=1) if in_groups else (g * saved_hat).sum(axis=axes),
                    gy.sum(axis=1) if in_groups else g.sum(axis=axes),
                ),
            )
    for key, (_, saved_hat, inv, (to_2d, wrong_back, text), _) in reshaped_back_variants(
        x, eps, w, twin.params["bias"].reshape(shape), running
    ).items():
        if not key.endswith("#affine-after"):
            continue  # (where the affine map was applied leaves the saved x_hat, and so backward, alike: said once)
        layout = key.partition("#")[0]
        # backward's formula as written, reading what forward saved: x_hat misplaced, 1 / sqrt(var + eps) right
        add(
            f"reshape-not-transpose#back-{layout}",
            f"{text}; backward read forward's saved x_hat",
            _bn_backward(g, w, saved_hat, inv.reshape(shape), axes, batch),
        )
        # backward worked in the 2-D layout too (its own derivative there), left with the same plain reshape
        axis = 0 if layout == "channels-last" else 1
        along = (lambda a: a[None, :]) if axis == 0 else (lambda a: a[:, None])
        g_2d = to_2d(g)
        x_hat_2d = saved_hat.reshape(g_2d.shape)  # (the plain reshape back only moved forward's layout)
        g_hat = g_2d * along(w.reshape(-1))
        if batch:
            g_hat = (
                g_hat
                - g_hat.mean(axis=axis, keepdims=True)
                - x_hat_2d * (g_hat * x_hat_2d).mean(axis=axis, keepdims=True)
            )
        add(
            f"reshape-not-transpose#back-{layout}-backward",
            f"{text}; backward worked in that layout too and was brought back the same way",
            (wrong_back(g_hat * along(inv)), (g_2d * x_hat_2d).sum(axis=axis), g_2d.sum(axis=axis)),
        )
    # The two parameter gradients, both of shape (C,), each accumulated into the other's .grad.
    swapped = (
        "`weight.grad` got the bias's gradient, sum(grad_y), and `bias.grad` the weight's, sum(grad_y * x_hat) (sums "
        "per channel): the two were exchanged. weight (gamma) multiplies x_hat, so its gradient carries x_hat; bias "
        "(beta) is added, so its gradient is grad_y summed"
    )
    v["weight"]["gradients-swapped"] = (g.sum(axis=axes), swapped)
    v["bias"]["gradients-swapped"] = ((g * x_hat).sum(axis=axes), swapped)
    y = w * x_hat + twin.params["bias"].reshape(shape)  # the layer's output
    if eps != 1e-5:
        default_inv = _bn_inv_std(var, 1e-5)
        add(
            "hyperparameter-ignored",
            f"the result is what eps=1e-05 (the default) gives, not eps={eps!r}: use self.eps rather than a "
            "number written in the code",
            _bn_backward(g, w, (x - mean) * default_inv, default_inv, axes, batch),
        )
    add(
        "saved-output-not-input",
        "backward read the layer's output y = weight * x_hat + bias where x_hat belongs (in the gradient of "
        "`weight`, sum(grad_y * x_hat), and in the input gradient's term along x_hat): the output was written into "
        "the array saved as x_hat (x_hat = x_hat * weight + bias, or y *= weight on y = x_hat), so the normalised "
        "input backward needs is gone. Keep x_hat as forward saved it and compute y in a new array, y = x_hat * "
        "weight + bias",
        _bn_backward(g, w, y, inv_std, axes, batch),
        # In eval the input gradient does not read x_hat: the gradient of `weight` alone cannot tell an overwritten
        # x_hat from the mistake below, so both stay and unique() names neither.
        params=not batch,
    )
    # Only the gradient of `weight` taken against y (the input gradient right) is its own mistake: the derivative of
    # y = weight * x_hat + bias by weight remembered as the output. Where x_hat itself was overwritten, the training
    # input gradient is wrong too, and its row says so first.
    v["weight"]["bn-gamma-grad-from-output"] = (
        (g * y).sum(axis=axes),
        "the gradient of `weight` was taken against the layer's output, sum(grad_y * y) with y = weight * x_hat + "
        "bias: the derivative of y by weight is x_hat, the normalised input, not the output, so it is sum(grad_y * "
        "x_hat) (the two agree only while weight = 1 and bias = 0)",
    )
    add(
        "bn-saved-centred-input",
        "the x_hat backward used was the centred input x - mean, not divided by the standard deviation, so the "
        "gradient of `weight`, sum(grad_y * x_hat), and the input gradient's term along x_hat are off: x_hat, "
        "the one forward saves for backward, is the normalised input (x - mean) / sqrt(var + eps)",
        _bn_backward(g, w, x - mean, inv_std, axes, batch),
    )
    add(
        "bn-backward-missing-inv-std",
        "the input gradient was not multiplied by 1 / sqrt(var + eps): x_hat = (x - mean) / sqrt(var + eps), so "
        "every term of grad_x carries that factor (inv_std * (...))",
        _bn_backward(g, w, x_hat, inv_std, axes, batch, scaled=False),
        params=False,
    )
    twice = _bn_backward(g, w, x_hat, inv_std, axes, batch)[0] * inv_std
    add(
        "bn-backward-inv-std-twice",
        "the input gradient was multiplied by 1 / sqrt(var + eps) twice (once more than x_hat = (x - mean) / "
        "sqrt(var + eps) gives): grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)) carries "
        "the factor once",
        (twice, np.zeros(0), np.zeros(0)),
        params=False,
    )
    # The factor inverted: divided by inv_std (times the std sqrt(var + eps)) where it multiplies, in backward only
    # (forward right); where forward multiplied by the std too, "multiplies-by-std" below simulates both.
    divided = _bn_backward(g, w, x_hat, inv_std, axes, batch)[0] / inv_std**2
    add(
        "multiplies-by-std#backward",
        "backward divided the input gradient by inv_std = 1 / sqrt(var + eps) where it multiplies by it (1.0 / "
        "inv_std * (...), or the bracket times the standard deviation sqrt(var + eps)): x_hat = (x - mean) * "
        "inv_std, so the chain rule brings inv_std itself, grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * "
        "mean(g_hat * x_hat)) in training, g_hat * inv_std in eval",
        (divided, np.zeros(0), np.zeros(0)),
        params=False,
    )
    gamma_twice = (
        "the input gradient carries the scale weight twice (weight squared): g_hat = grad_y * weight already holds "
        "it, and it was multiplied by weight again{where}; the chain rule through y = weight * x_hat + bias gives "
        "weight once: grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)) in training, "
        "g_hat * inv_std in eval"
    )
    add(
        "bn-backward-gamma-twice",
        gamma_twice.format(where=""),
        _bn_backward(g, w, x_hat, inv_std, axes, batch, gamma_twice=("lead", "mean", "variance")),
        params=False,
    )
    if batch:
        add(
            "bn-backward-gamma-twice#lead",
            gamma_twice.format(where=" in the leading term g_hat (not in the two means)"),
            _bn_backward(g, w, x_hat, inv_std, axes, True, gamma_twice=("lead",)),
            params=False,
        )
    if batch:
        for term, name in (("mean", "mean(g_hat)"), ("variance", "x_hat * mean(g_hat * x_hat)")):
            add(
                f"bn-backward-term-sign#{term}",
                f"the term {name} was added instead of subtracted: grad_x = inv_std * (g_hat - mean(g_hat) - "
                "x_hat * mean(g_hat * x_hat)), g_hat = grad_y * weight, means per channel"
                + (_STAGED_SIGN if term == "variance" else ""),
                _bn_backward(g, w, x_hat, inv_std, axes, True, **{f"{term}_added": True}),
                params=False,
            )
    add(
        "bn-backward-missing-gamma",
        "backward forgot the scale: the gradient reaching x_hat is grad_y * weight, not grad_y",
        _bn_backward(g, w, x_hat, inv_std, axes, batch, gamma=False),
        params=False,
    )
    if batch:  # a factor left out of some of the three terms only (parentheses, one g_hat written as grad_y)
        written = {"lead": "g_hat", "mean": "mean(g_hat)", "variance": "x_hat * mean(g_hat * x_hat)"}
        right = "grad_x = inv_std * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)), g_hat = grad_y * weight"
        for k in (1, 2):
            for part in itertools.combinations(written, k):
                terms = " and ".join(written[t] for t in part)
                add(
                    f"bn-backward-missing-gamma#{'-'.join(part)}",
                    f"the scale weight was left out of {terms}: grad_y was written where g_hat = grad_y * weight "
                    f"belongs, the gradient reaching x_hat; every term carries it: {right}",
                    _bn_backward(g, w, x_hat, inv_std, axes, True, without_gamma=part),
                    params=False,
                )
                add(
                    f"bn-backward-missing-inv-std#{'-'.join(part)}",
                    f"the factor inv_std = 1 / sqrt(var + eps) was left out of {terms} (parentheses?): it "
                    f"multiplies every term, {right}" + (_STAGED_EXPONENT if part == ("variance",) else ""),
                    _bn_backward(g, w, x_hat, inv_std, axes, True, unscaled=part),
                    params=False,
                )
        for term in ("mean", "variance"):
            add(
                f"bn-sum-not-mean#{term}",
                f"the term {written[term]} used a sum over the batch where the formula has a mean (a factor 1/m, m "
                f"values per channel, is missing there): {right}, means per channel",
                _bn_backward(g, w, x_hat, inv_std, axes, True, summed=(term,)),
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
        ("std", "bn-std-for-variance", STD_FOR_VARIANCE),
        ("multiplied", "multiplies-by-std", MULTIPLIED),  # (backward multiplies by the same saved factor)
    ):
        wrong_inv = _bn_inv_std(var, eps, mistake)
        add(tag, text, _bn_backward(g, w, (x - mean) * wrong_inv, wrong_inv, axes, batch))
    for mistake, tag, written in (
        ("no-eps", "bn-no-eps", "1 / sqrt(var), without eps"),
        ("eps-outside", "bn-eps-outside-sqrt", "1 / (sqrt(var) + eps), eps outside the square root"),
    ):
        # Forward's x_hat right (in training), only the factor saved for backward (or recomputed there) handles eps
        # otherwise; in eval the input gradient does not read x_hat, so it fits a forward with the same slip too.
        add(
            f"{tag}#backward",
            f"backward's factor inv_std was {written}, where x_hat = (x - mean) / sqrt(var + eps) divides by "
            "sqrt(var + eps): the factor backward multiplies by must be the one forward divides by, 1 / sqrt(var + "
            "eps). Compute inv_std once, with eps under the root, normalise with it and save that same array",
            _bn_backward(g, w, x_hat, _bn_inv_std(var, eps, mistake), axes, batch),
            params=False,
        )
    v["weight"]["bn-weight-grad-uses-x"] = (
        (g * x).sum(axis=axes),
        "the gradient of `weight` multiplies grad_y by x; weight scales x_hat, so it is sum(grad_y * x_hat)",
    )
    # The parameters' gradients: a sum over every axis but the channels, of grad_y (not g_hat = grad_y * weight).
    if g.size > g.shape[1]:
        v["weight"]["bn-mean-not-sum"] = (
            (g * x_hat).mean(axis=axes),
            "the gradient of `weight` averaged grad_y * x_hat where it is summed over the batch (every axis but the "
            "channels): sum(grad_y * x_hat), not the mean; each value's contribution adds up",
        )
        v["bias"]["bias-mean-not-sum"] = (
            g.mean(axis=axes),
            "the gradient of `bias` averaged grad_y where it is summed over the batch (every axis but the "
            "channels): sum(grad_y), not the mean; each value's contribution adds up",
        )
    v["weight"]["bn-gamma-grad-times-gamma"] = (
        (g * w * x_hat).sum(axis=axes),
        "the gradient of `weight` multiplied weight itself in, sum(grad_y * weight * x_hat): y = weight * x_hat + "
        "bias, so dL/dweight = sum(grad_y * x_hat), without gamma (g_hat = grad_y * weight is the gradient of "
        "x_hat, not of weight)",
    )
    v["bias"]["bn-bias-grad-times-gamma"] = (
        (g * w).sum(axis=axes),
        "the gradient of `bias` multiplied weight in, sum(grad_y * weight): y = weight * x_hat + bias, so "
        "dL/dbias = sum(grad_y), without gamma (g_hat = grad_y * weight is the gradient of x_hat, not of bias)",
    )
    expected = _bn_backward(g, w, x_hat, inv_std, axes, batch)
    return {key: unique(value, right) for (key, value), right in zip(v.items(), expected, strict=True)}


def _moving(
    start: np.ndarray, values: np.ndarray, momentum: float, after: float = 1.0, swapped: bool = False
) -> np.ndarray:
    """``running = ((1 - momentum) * running + momentum * value) * after`` for each batch's value
    (``swapped``: the two weights the other way round)."""
    running = start.copy()
    keep, share = (momentum, 1 - momentum) if swapped else (1 - momentum, momentum)
    for value in values:
        running = (keep * running + share * value) * after
    return running


def _weighted(start: np.ndarray, values: np.ndarray, keep: float, share: float) -> np.ndarray:
    """``running = keep * running + share * value`` for each batch's value, weights that need not add up to one."""
    running = start.copy()
    for value in values:
        running = keep * running + share * value
    return running


def _bessel_without_parentheses(start: np.ndarray, variances: np.ndarray, n: int, momentum: float) -> Variants:
    """running_var's update with the Bessel factor typed without its parentheses: ``var * n / n - 1`` is
    ``var - 1`` (the ``- 1`` binds last), ``var * n / n-1`` alike. Where the product with momentum was
    written before it, the ``- 1`` is outside momentum too."""
    typed = f"var * {n} / {n} - 1"
    fix = f"var * (n / (n - 1)), n = {n} values per channel"
    found: Variants = {}
    for key, share, where in (
        ("after-momentum", lambda v: momentum * v - 1.0, f"momentum * {typed}, which is momentum * var - 1"),
        ("inside-momentum", lambda v: momentum * (v - 1.0), f"momentum * ({typed}), which is momentum * (var - 1)"),
    ):
        running = start.copy()
        for value in variances:
            running = (1 - momentum) * running + share(value)
        found[f"precedence#bessel-{key}"] = (
            running,
            f"the Bessel factor was written without parentheses: each batch added {where}, because * and / bind "
            f"before -: var * n / n - 1 is (var * n / n) - 1; write the factor in parentheses, {fix}",
        )
    return found


def _decay_without_parentheses(buffer: str, start: np.ndarray, values: np.ndarray, momentum: float) -> Variants:
    """The buffer's update with the decay factor 1 - momentum typed without its parentheses: ``running * 1 -
    momentum`` is ``running - momentum`` (the product binds first, so momentum is subtracted instead of
    scaling the old value), and ``1 - momentum * running`` is one minus the scaled old value."""
    fix = f"self.{buffer} = (1 - momentum) * self.{buffer} + momentum * batch_statistic"
    found: Variants = {}
    for key, typed, decayed, effect in (
        ("subtracted", "running * 1 - momentum", lambda r: r - momentum, "took momentum off the old value"),
        (
            "scaled-old",
            "1 - momentum * running",
            lambda r: 1.0 - momentum * r,
            "replaced the old value by 1 - momentum * running",
        ),
    ):
        running = start.copy()
        for value in values:
            running = decayed(running) + momentum * value
        found[f"precedence#decay-{key}"] = (
            running,
            f"the old value's share 1 - momentum was written without parentheses, {typed} + momentum * "
            f"batch_statistic: * binds before -, so each batch {effect} instead of scaling it by (1 - momentum); "
            f"put the factor in parentheses: {fix}",
        )
    return found


def _buffer_variants(
    buffer: str, start: np.ndarray, stats: dict[str, np.ndarray], shape: tuple[int, ...], momentum: float
) -> Variants:
    """What ``buffer`` holds after the training batches when it starts at the other buffer's value, adds
    the whole batch statistic, or when the Bessel correction is misapplied.

    running_var stores the unbiased variance, ``var * n / (n - 1)`` with n values per channel. The
    class of mistake: that factor written upside down, computed with another n (the batch size N where
    n = N * H * W, N * H * H as if images were square, or every entry of the batch), applied to the
    running average instead of the batch variance, or to the mean, which needs no correction. ``stats``
    holds the per-batch statistics (batches x channels) of :func:`batch_statistics`: ``right`` (the mean,
    or the unbiased variance) and, for running_var, ``biased``.
    """
    update = "running = (1 - momentum) * running + momentum * batch_statistic"
    initial = {"running_mean": ("ones", np.ones_like(start), "zeros"), "running_var": ("zeros", 0 * start, "ones")}
    name, wrong_start, right_start = initial[buffer]
    whole = start.copy()
    for value in stats["right"]:  # the batch's share momentum left out: (1 - momentum) * running + value
        whole = (1 - momentum) * whole + value
    v = {
        "bn-buffer-initial-value": (
            _moving(wrong_start, stats["right"], momentum),
            f"{buffer} started at {name}; it starts at {right_start} (running_mean at zeros, running_var at ones, "
            f"as PyTorch), and training moves it: {update}",
        ),
        "bn-momentum-complement-missing": (
            whole,
            f"{buffer} added the whole batch statistic, (1 - momentum) * running + batch_statistic; the batch's "
            f"share is momentum: {update}",
        ),
    }
    n = int(np.prod(shape)) // shape[1] if len(shape) > 1 else 0
    if n < 2:
        return v
    r = n / (n - 1)
    if buffer == "running_mean":
        if n == 2:  # the correction is then a factor 2, which a stray 2 gives as well: the numbers name neither
            return v
        return v | {
            "bn-bessel-on-mean": (
                _moving(start, stats["right"] * r, momentum),
                f"running_mean was multiplied by the Bessel correction n / (n - 1) = {n}/{n - 1}; the correction "
                "belongs to the variance only (the batch mean is unbiased already): " + update,
            )
        }
    variances = stats["biased"]
    v |= _bessel_without_parentheses(start, variances, n, momentum)
    v |= {
        "bn-biased-running-var#inverted": (
            _moving(start, variances / r, momentum),
            f"running_var stored var * (n - 1) / n = var * {n - 1}/{n}: the Bessel correction n / (n - 1) was "
            f"written upside down; the unbiased variance is var * n / (n - 1), n = {n} values per channel",
        ),
        # The correction's denominator with the wrong sign, n / (n + 1): the variance shrunk where it grows.
        "bessel-correction#plus-one": (
            _moving(start, variances * n / (n + 1), momentum),
            f"running_var stored var * n / (n + 1) = var * {n}/{n + 1}: the Bessel correction's denominator has "
            f"the wrong sign; the unbiased variance is var * n / (n - 1) (count - 1 below), n = {n} values per "
            "channel",
        ),
        "bn-biased-running-var#after-average": (
            _moving(start, variances, momentum, after=r),
            "the Bessel correction n / (n - 1) multiplied the whole running average after its update, so it "
            "compounds from batch to batch; it corrects each batch's variance before it is averaged: running_var "
            "= (1 - momentum) * running_var + momentum * var * n / (n - 1)",
        ),
    }
    # n counted over some of the axes only (the batch size N, N * H without W), or over the channels as well
    reduced = [i for i in range(len(shape)) if i != 1]
    named: dict[int, list[str]] = {int(np.prod(shape)): ["every entry of the batch (channels included)"]}
    for k in range(1, len(reduced)):
        for axes in itertools.combinations(reduced, k):
            what = "the batch size N" if axes == (0,) else f"the size of axes {axes} only"
            named.setdefault(int(np.prod([shape[i] for i in axes])), []).append(what)
    named.setdefault(shape[1], []).append("num_features C, the number of channels")
    if len(shape) == 4 and shape[2] != shape[3]:  # images taken as square: one side's size written for both
        N, _, H, W = shape
        named.setdefault(N * H * H, []).append("N * H * H, the height where the width belongs (square images assumed)")
        named.setdefault(N * W * W, []).append("N * W * W, the width where the height belongs (square images assumed)")
    counts = {count: " or ".join(whats) for count, whats in named.items()}  # a count two ways: both said
    for count, what in counts.items():
        if count > 1 and count != n:
            v[f"bn-biased-running-var#count-{count}"] = (
                _moving(start, variances * count / (count - 1), momentum),
                f"the Bessel correction used n = {count}, {what}; n is the number of values per channel, "
                f"x.size // C = {n}, so the unbiased variance is var * n / (n - 1) = var * {n}/{n - 1}",
            )
        elif count == 1:  # (a batch of 1): n / (n - 1) = 1 / 0, inf in every channel, nan where var is 0
            with np.errstate(divide="ignore", invalid="ignore"):
                v["bn-biased-running-var#count-1"] = (
                    _moving(start, variances * np.float64(count) / (count - 1), momentum),
                    f"the Bessel correction n / (n - 1) used n = 1, {what}, and so divided by n - 1 = 0: that "
                    f"division, not an overflow, made running_var inf (or nan). n is the number of values per "
                    f"channel, x.size // C = {n} here, so the unbiased variance is var * n / (n - 1) = var * "
                    f"{n}/{n - 1}",
                )
    return v | _bessel_of_a_setting(start, variances, n, momentum)


def _bessel_of_a_setting(start: np.ndarray, variances: np.ndarray, n: int, momentum: float) -> Variants:
    """The Bessel factor n / (n - 1) with a setting in n's place: the textbook writes it m / (m - 1) with m the
    values per channel, and in the layer's code m (or the name typed) is the momentum, so the factor is
    momentum / (momentum - 1), a negative number for any momentum below 1."""
    if not 0 < momentum < 1:  # (at 0 the batch's share vanishes whatever the factor; at 1 it divides by 0)
        return {}
    factor = momentum / (momentum - 1)
    return {
        "bessel-correction#n-from-momentum": (
            _moving(start, variances * factor, momentum),
            f"the Bessel correction n / (n - 1) was computed with the momentum in n's place: momentum / (momentum - "
            f"1) = {momentum:g} / ({momentum:g} - 1) = {factor:.4g}, a negative factor, so running_var shrinks and "
            "can turn negative. The formula's m (or n) is the number of values per channel, and in the code that "
            f"name was the momentum (m = self.momentum): the factor is count / (count - 1) with count = x.size // C "
            f"= {n}; give the count and the momentum names of their own",
        )
    }


def batch_statistics(
    means: np.ndarray,
    variances: np.ndarray,
    n: float,
    eps: float,
    params: dict[str, np.ndarray],
    partials: dict[str, np.ndarray] | None = None,
    regrouped: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """Per buffer, the per-batch statistic (batches x channels) the reference and known mistakes average
    (``partials``: the batches' variances reduced one axis at a time, :func:`partial_variances`; ``regrouped``: the
    batches' means and biased variances over the groups of a reshape that does not follow the channel axis, per
    reading of :func:`channel_regroupings`)."""
    unbiased = variances * n / (n - 1) if n > 1 else variances
    bessel = n / (n - 1) if n > 1 else 1.0
    normalised = variances / (variances + eps)  # the variance of x_hat
    ones = np.ones_like(means)
    # One statistic of the whole batch, every channel together (x.mean(), x.var() without an axis): the channels
    # hold n values each, so the total variance is the mean of their variances plus the variance of their means.
    total = n * means.shape[1]
    whole_var = (variances.mean(axis=1, keepdims=True) + means.var(axis=1, keepdims=True)) * ones
    found = {
        "running_mean": {
            "right": means,
            "of-normalised": 0.0 * ones,
            "of-output": params["bias"] * ones,
            "all-channels": means.mean(axis=1, keepdims=True) * ones,
        },
        "running_var": {
            "right": unbiased,
            "biased": variances,
            "of-normalised": normalised * unbiased / np.where(variances > 0, variances, 1.0),
            "of-normalised#biased": normalised,
            "of-output": params["weight"] ** 2 * normalised * unbiased / np.where(variances > 0, variances, 1.0),
            "std": np.sqrt(unbiased),
            # x.std() (biased) fed to the buffer, with or without the correction n/(n-1) meant for a variance
            "std#biased": np.sqrt(variances),
            "std#corrected": np.sqrt(variances) * bessel,
            "twice": unbiased * n / (n - 1) if n > 1 else unbiased,
            "plus-eps": unbiased + eps,
            "all-channels": whole_var * total / (total - 1) if total > 1 else whole_var,
            "all-channels#biased": whole_var,
        }
        | {f"averaged#{key.partition('#')[2]}": values * bessel for key, values in (partials or {}).items()}
        | {f"regrouped#{key}": group_vars * bessel for key, (_, group_vars) in (regrouped or {}).items()},
    }
    found["running_mean"] |= {f"regrouped#{key}": group_means for key, (group_means, _) in (regrouped or {}).items()}
    return found


_START = {"running_mean": "zeros", "running_var": "ones"}  # PyTorch's starting buffers


def stored_momentum(
    buffer: str, start: np.ndarray, statistics: dict, momentum: float, stored: object
) -> dict[str, tuple[np.ndarray, str]]:
    """The running average with the momentum the layer stores, when it stores another number than it was given
    (int(0.1) kept as 0 leaves the buffers as they started, as an update never stored would): only the attribute
    tells the two apart."""
    return {
        f"{tag}#momentum": (_moving(start, statistics[buffer]["right"], stored), "the layer " + why)
        for _, tag, why in stored_otherwise((("momentum", momentum),), {}, {"momentum": stored})
        if tag
    }


def _share_alone(
    buffer: str, start: np.ndarray, last: np.ndarray, momentum: float, update: str
) -> dict[str, tuple[np.ndarray, str]]:
    """A buffer that holds the last batch's share with nothing carried from the batches before: the update left the
    old value out (``running = momentum * batch_statistic``), or a right update ran on a buffer reset to zeros
    before every batch (``self.running_mean = np.zeros(C)`` in forward). The two give the same numbers, so one
    sentence says both. A buffer reset to a start that is not zeros (running_var's ones) keeps that start's share,
    and the reset is named alone: decayed, (1 - momentum) * start + momentum * last, or with the decay the reset
    replaced, start + momentum * last."""
    dropped = momentum * last
    keep = f"keep the buffer from one batch to the next (created once, in __init__) and update it: {update}"
    found = {
        "bn-running-old-value-dropped+state-reset": (
            dropped,
            f"{buffer} holds momentum * batch_statistic of the last batch alone, nothing of the batches before: "
            f"either the update leaves out the old value's share, (1 - momentum) * running ({buffer} = momentum * "
            f"batch_statistic), or {buffer} is reset to zeros before every update (a new np.zeros in forward), so "
            f"a right update starts from 0 at each batch (the two give the same numbers): {keep}",
        )
    }
    if not start.any():  # (a reset to a start of zeros is the reset to zeros above)
        return found
    found["state-reset#decayed"] = (
        (1 - momentum) * start + dropped,
        f"{buffer} is reset to its starting value, {_START[buffer]}, before every update (created anew in "
        f"forward), so the update decays that start, not the average of the batches before: {keep}",
    )
    found["state-reset#replacing-decay"] = (
        start + dropped,
        f"{buffer} is reset to its starting value, {_START[buffer]}, in place of its decay by 1 - momentum, and "
        f"the last batch's share is added to that start: nothing of the batches before is kept; {keep}",
    )
    return found


def running_variants(
    buffer: str,
    start: np.ndarray,
    statistics: dict,
    momentum: float,
    expected: np.ndarray,
    shape: tuple = (),
    zero_reading: str = "",
) -> dict[str, tuple[np.ndarray, str]]:
    """What the known mistakes of the running averages leave in ``buffer`` after the batches; at momentum = 0,
    ``zero_reading`` says which of the two mistakes that leave the default's buffers a non-zero momentum told
    apart (the tag), or "" when it told neither."""
    stats = statistics[buffer]
    right = stats["right"]
    update = "running = (1 - momentum) * running + momentum * batch_statistic"
    v = {
        "bn-momentum-swapped": (
            _moving(start, right, momentum, swapped=True),
            f"the running average weights were swapped (Keras' convention, where momentum weighs the old value): "
            f"PyTorch's momentum is the weight of the new batch, {update}",
        ),
        # The buffer as it started: an update computed into a local name (or an expression never stored) leaves
        # the attribute's array as it was, exactly what no update at all leaves.
        "result-discarded": (
            start,
            f"{buffer} still holds its starting value after the training batches: no update reached "
            f"self.{buffer}. An update assigned to a local name ({buffer} = (1 - momentum) * {buffer} + momentum * "
            f"batch_statistic, even right after {buffer} = self.{buffer}) binds a new array to that name and leaves "
            f"self.{buffer} as it was, as does an in-place update of a copy (self.{buffer}.copy()) never assigned "
            "back, or an expression whose result is never stored; update the "
            f"attribute itself, in place (self.{buffer} *= 1 - momentum, then self.{buffer} += momentum * "
            f"batch_statistic) or by assigning self.{buffer} = ...",
        ),
        "running-stats-initialised-from-batch": (
            _moving(right[0], right[1:], momentum),
            f"{buffer} took the first training batch's statistic as it is and moved by momentum only from the "
            f"second batch on, as if its starting value were a placeholder: it starts at {_START[buffer]} and "
            f"the first batch moves it by momentum like every later one, {update}",
        ),
        "bn-running-replaced-by-batch": (
            right[-1],
            f"{buffer} holds the last batch's statistic alone: it must be a moving average, {update}",
        ),
        **_share_alone(buffer, start, right[-1], momentum, update),
        "bn-running-not-decayed": (
            start + momentum * right.sum(axis=0),
            f"{buffer} += momentum * batch_statistic without first scaling the old value by 1 - momentum: {update}",
        ),
        # One weight written for both terms: the old value scaled by momentum where 1 - momentum belongs (or the
        # batch by 1 - momentum where momentum belongs), so the two shares no longer add up to one.
        "bn-momentum-convention#old-times-momentum": (
            _weighted(start, right, momentum, momentum),
            f"{buffer} = momentum * running + momentum * batch_statistic: the old value was scaled by momentum "
            f"where its share is 1 - momentum (the two shares add up to one): {update}",
        ),
        "bn-momentum-convention#batch-times-complement": (
            _weighted(start, right, 1 - momentum, 1 - momentum),
            f"{buffer} = (1 - momentum) * running + (1 - momentum) * batch_statistic: the batch was scaled by "
            f"1 - momentum where its share is momentum (the two shares add up to one): {update}",
        ),
        "bn-running-cumulative-average": (
            right.mean(axis=0),
            f"{buffer} is the plain average of the batches' statistics; PyTorch keeps an exponential moving "
            f"average with the given momentum: {update}",
        ),
    }
    if momentum == 0 and zero_reading == "zero-taken-as-unset":
        v["zero-taken-as-unset"] = (
            _moving(start, right, 0.1),
            "the running averages used momentum 0.1 (the default), not momentum=0, while a non-zero momentum is "
            "used as given: momentum = 0 was taken as 'not given' (`self.momentum or 0.1`, `if not momentum:`; 0 is "
            "falsy). 0 is a valid momentum, it freezes the running statistics: use self.momentum as it is (test "
            "`is None` where None means unset)",
        )
    elif momentum == 0 and zero_reading == "hyperparameter-ignored":
        v["hyperparameter-ignored"] = (
            _moving(start, right, 0.1),
            "the running averages used momentum 0.1 (the default), not momentum=0, and a layer built with another "
            "momentum updates its buffers just the same: self.momentum is never read; use self.momentum",
        )
    elif momentum not in (0, 0.1):
        v["hyperparameter-ignored"] = (
            _moving(start, right, 0.1),
            f"the running averages used momentum 0.1 (the default), not momentum={momentum}: use self.momentum",
        )
    texts = {
        "biased": (
            "bn-biased-running-var",
            "running_var stored the biased batch variance; PyTorch stores the unbiased one (divide by n - 1, n "
            "values per channel)",
        ),
        "of-normalised": (
            "bn-running-stats-of-normalised",
            f"{buffer} was updated with the statistics of the normalised x_hat (mean 0, variance about 1), not of "
            "the input x",
        ),
        "of-output": (
            "bn-running-stats-of-output",
            f"{buffer} was updated with the statistics of the output y = weight * x_hat + bias, not of the input x",
        ),
        "std": (
            "bn-running-std-not-var",
            "running_var was updated with the standard deviation; it averages the (unbiased) variance",
        ),
        "std#biased": (
            "bn-running-std-not-var",
            "running_var was updated with the batch's standard deviation, x.std() (the square root of the biased "
            "variance), where the variance belongs: it averages the unbiased variance, var * n / (n - 1)",
        ),
        "std#corrected": (
            "bn-running-std-not-var",
            "running_var was updated with the batch's standard deviation times n / (n - 1), x.std() * n / (n - 1): "
            "the correction n / (n - 1) makes a variance unbiased, and the buffer averages that variance, var * n / "
            "(n - 1) with var = x.var(), not the standard deviation",
        ),
        "twice": (
            "bn-unbiased-variance",
            "running_var is n/(n-1) times the unbiased variance: the batch variance was already the unbiased one "
            "(ddof=1) when the correction n/(n-1) was applied; training uses the biased variance and stores the "
            "unbiased one",
        ),
        "plus-eps": (
            "bn-running-var-plus-eps",
            "running_var was updated with var + eps; eps is added only when normalising, the buffer averages var",
        ),
        "averaged": (
            "variance-averaged-over-axes",
            "running_var averaged a batch variance reduced one axis at a time (over some of the axes, then the mean "
            "over the others), which leaves out how the group means spread; the batch variance runs over every axis "
            "but the channels together, and running_var stores its unbiased value",
        ),
        "all-channels": (
            "reduction-over-whole-array",
            f"{buffer} was updated with one statistic of the whole batch, every channel together (a mean or var "
            "without its axis); BatchNorm keeps one per channel, over every axis but the channels",
        ),
    }
    regroupings = channel_regroupings(tuple(shape)) if shape else {}
    for key, values in stats.items():
        if key.startswith("all-channels") and shape and shape[0] == 1:
            continue  # one sample: its own statistic (per sample, as layer norm takes it) is the whole batch's too
        if key.startswith("regrouped#"):
            if key.partition("#")[2] in regroupings:
                text = regroupings[key.partition("#")[2]][2]
                v[f"reshape-not-transpose#{key}"] = (
                    _moving(start, values, momentum),
                    f"{buffer} averaged wrong batch statistics: {text}",
                )
            continue
        if key != "right":
            tag, text = texts.get(key) or texts[key.partition("#")[0]]
            v[f"{tag}#{key}"] = (_moving(start, values, momentum), text)
    if buffer == "running_var":
        v |= _std_averaged(start, stats, momentum)
        v["running-stats-initialised-from-batch#biased"] = (  # the first batch's variance, without n/(n-1)
            _moving(stats["biased"][0], right[1:], momentum),
            v["running-stats-initialised-from-batch"][1],
        )
    if momentum > 0:  # (at momentum 0 the factor is 1 either way)
        v |= _decay_without_parentheses(buffer, start, right, momentum)
        v |= _updated_inside_a_loop(buffer, start, right, momentum, shape)
    v |= _buffer_variants(buffer, start, stats, shape, momentum)  # a start value, the correction n/(n-1)
    return unique(v, expected)


def _std_averaged(start: np.ndarray, stats: dict[str, np.ndarray], momentum: float) -> Variants:
    """running_var as the square of a moving average of standard deviations (the roots of the buffer and of
    each batch's variance averaged, then squared): a square of an average of roots is not an average."""
    text = (
        "running_var is the square of a running average of standard deviations, ((1 - momentum) * "
        "sqrt(running_var) + momentum * sqrt(var))^2: the square of an average of roots is not the average of the "
        "squares, so it comes out smaller. The buffer is a moving average of the (unbiased) variance itself, "
        "running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)"
    )
    return {
        f"std-averaged-not-variance#{key}": (_moving(np.sqrt(start), np.sqrt(stats[key]), momentum) ** 2, text)
        for key in ("right", "biased")
    }


def _updated_inside_a_loop(
    buffer: str, start: np.ndarray, right: np.ndarray, momentum: float, shape: tuple
) -> Variants:
    """The running update indented into a loop of forward (over the channels, or over the samples), so it runs once
    per pass instead of once per batch: the buffer decays that many times. In a loop over the channels that fills
    the statistics one channel at a time, each pass averages in the vector as filled so far, the channels not yet
    reached still at their zeros; where the statistics were computed before the loop, the whole vector each time."""
    once = (
        f"self.{buffer} = (1 - momentum) * self.{buffer} + momentum * batch_statistic, once per batch, after the loop"
    )
    C = right.shape[1]
    filled = [np.where(np.arange(C) <= c, 1.0, 0.0) for c in range(C)]
    loops = {"channels-filling": (filled, f"the loop over the {C} channels that computes the statistics")}
    whole: dict[int, list[str]] = {C: [f"the loop over the {C} channels"]}
    if shape and shape[0] > 1:
        whole.setdefault(shape[0], []).append(f"a loop over the {shape[0]} samples")
    for passes, words in whole.items():
        if passes > 1:
            loops[f"passes-{passes}"] = ([np.ones(C)] * passes, " or ".join(words))
    found: Variants = {}
    for key, (masks, loop) in loops.items():
        if len(masks) < 2:
            continue
        running = start.copy()
        for value in right:
            for mask in masks:
                running = (1 - momentum) * running + momentum * value * mask
        partly = ", each pass with the channels not yet reached still at 0" if key == "channels-filling" else ""
        found[f"bn-running-updated-in-loop#{key}"] = (
            running,
            f"{buffer} was updated once per pass of {loop}, {len(masks)} times per batch{partly}: the update was "
            f"indented into the loop, so every batch decays the buffer {len(masks)} times where it decays it once: "
            f"{once}",
        )
    return found
