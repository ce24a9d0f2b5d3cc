"""Rubric for gradient checking: numerical_gradient and relative_error."""

import ast
import math
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Case
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running import doubles
from nnlab.graders.running.puppet import StudentError

from ..catalogue import Context, check
from ..diagnose import BOOLEAN_RESULT, IS, LOOKS_LIKE, Diagnosis, rounded_to_decimals
from ..strategies import SEEDS, shapes
from ..tolerance import agrees, allclose, as_array, compare, fmt
from .drive import Problem, describe_kind, describe_value, draw_seed, example_rng, hypothesis_check, is_number
from .inputs import reference_class
from .support import check_signature, first_change, judge

# =============================================================================== numerical_gradient
NUMGRAD = ("numerical_gradient",)


# Steps scaled to the entry, h times: max(1, |x_i|), 1 + |x_i|, |x_i| or x_i itself (x_i * (1 + h), a
# relative step, whose "plus" probe goes down where x_i is negative).
_STEP_SCALES: dict[str, Callable[[float], float]] = {
    "step-times-max-1-abs": lambda v: max(1.0, abs(v)),
    "step-times-1-plus-abs": lambda v: 1.0 + abs(v),
    "step-times-abs": abs,
    "step-times-x": lambda v: v,
}


def _probe_loop(f: Callable[[np.ndarray], float], x: np.ndarray, h: float, kind: str = "central") -> np.ndarray:
    """The grader's own loop: ``central`` (docs/api.md), or a known mistake: ``forward`` and
    ``backward`` (one-sided), ``minus-at-x`` and ``plus-at-x`` (a probe left at x), ``over-h`` (divided
    by h), ``not-restored`` (each entry left at
    x - h), ``rows`` (``for i in range(len(x))``: whole rows probed at once, through views),
    ``first-only`` (the first entry alone), ``relative-plus`` and ``relative-minus`` (one probe at x_i * (1 +- h),
    the other h from x_i)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    base = f(x)
    if kind.removesuffix("-copy") in ("rows", "last-axis-rows", "first-two-axes"):  # x[i] is a row
        # rows along the first axis (range(len(x))), every index but the last axis (np.ndindex(x.shape[:-1]): for
        # a vector that index is (), the whole vector), or two nested loops over the first two axes; `original` a
        # view of the row (it moves with it), or with "-copy" a copy (x[i].copy(): the whole row moves by +-h)
        axes = {"rows": x.shape[:1], "last-axis-rows": x.shape[:-1], "first-two-axes": x.shape[:2]}
        rows = list(np.ndindex(axes[kind.removesuffix("-copy")]))
        for i in rows:
            original = np.array(x[i], copy=True) if kind.endswith("-copy") else x[i]
            x[i] = original + h
            plus = f(x)
            x[i] = original - h
            minus = f(x)
            x[i] = original
            grad[i] = (plus - minus) / (2 * h)
        return grad
    for index in np.ndindex(x.shape):
        original = x[index]
        # a step scaled to the entry (as some libraries do), while the difference is still divided by 2h
        step = h * _STEP_SCALES[kind](float(original)) if kind in _STEP_SCALES else h
        # the probes set to the step itself (x[i] = h), not moved by it: wherever x_i was, f is probed at +-h
        # f(x + h) adds h to every entry of x, not to x[i] alone: with x[i] left alone ("whole") the probes are
        # x +- h (1, ..., 1), with x[i] already moved ("whole-and-entry") entry i moves by 2h, the others by h
        whole = kind in ("whole", "whole-and-entry")
        if kind != "whole":
            x[index] = step if kind == "assigned" else original + step
        if kind == "relative-plus":  # one probe moved by a step relative to the entry, x_i * (1 + h), one by h
            x[index] = original * (1.0 + h)
        plus = f(x + h) if whole else f(x)
        # a probe put two steps away ("back past the first probe"): the probes span 3h, not 2h
        if kind != "whole":
            x[index] = (
                original - 2 * h if kind == "minus-two-steps" else -step if kind == "assigned" else original - step
            )
        if kind == "relative-minus":
            x[index] = original * (1.0 - h)
        minus = f(x - h) if whole else f(x)
        if kind == "plus-two-steps":
            x[index] = original + 2 * h
            plus = f(x)
        if kind != "not-restored":
            x[index] = original
        if kind == "forward":
            grad[index] = (plus - base) / h
        elif kind == "backward":
            grad[index] = (base - minus) / h
        elif kind == "minus-at-x":  # the second probe left at x: half the forward difference
            grad[index] = (plus - base) / (2 * h)
        elif kind == "plus-at-x":  # the first probe left at x: half the backward difference
            grad[index] = (base - minus) / (2 * h)
        elif kind == "over-h":
            grad[index] = (plus - minus) / h
        elif kind == "minus-over-2h":  # f_plus - f_minus / (2 * h): the parentheses left out
            grad[index] = plus - minus / (2 * h)
        elif kind == "plus-over-2h":  # f_plus / (2 * h) - f_minus
            grad[index] = plus / (2 * h) - minus
        else:
            grad[index] = (plus - minus) / (2 * h)
        if kind == "first-only":
            break
    return grad


_ONE_SIDED = (
    "docs/api.md asks for the central difference (f(x + h e_i) - f(x - h e_i)) / 2h, which is accurate to O(h^2); "
    "a one-sided difference is only O(h)"
)


# The second probe at x itself: two codes give these numbers, and only x after the call can tell them apart (and only
# one way): a saved value that is a view of x (it[0] of np.nditer, x[i] of a 0-d view) leaves x at x + h - h, which
# rounds away from x where |x_i| is far below h; x[i] -= h after x[i] += h with a copy saved restores x exactly.
_AT_X = "the second probe was taken at x itself, not at x - h, so (f(x + h) - f(x)) / 2h is half a one-sided difference"
_AT_X_VIEW = (
    "the value saved before the probes was a view of x, not a copy (original = it[0] of np.nditer, or x[i] of a 0-d "
    "view): it moved with x, so after x[i] = original + h it held x + h and original - h landed back on x; save a "
    "copy, float(x[i]) or x[i].copy()"
)
_AT_X_STEP_BACK = "x[i] -= h after x[i] += h moved it back to x; set x[i] = original - h"
_AT_X_EITHER = f"{_AT_X}. Either {_AT_X_VIEW}; or {_AT_X_STEP_BACK}. The probes are 2h apart"
_AT_X_RESTORED = (
    f"{_AT_X}: {_AT_X_STEP_BACK}, two probes 2h apart (x came back exactly after the call, so the saved value was "
    "a copy)"
)


def _saved_value_moves(ctx: Context, shape: tuple[int, ...]) -> bool | None:
    """Does the student's numerical_gradient leave x changed, by the rounding of x + h - h? Run on entries far below
    h (where that rounding shows in nearly every entry), x read back after the call. None where it cannot be run or
    read; False where x came back exactly (a copy was saved and restored). The default step, as the call is unboxed."""
    x = ctx.rng("saved value").standard_normal(shape) * 1e-3 * _DEFAULT_H
    try:
        box = ctx.session.harness("array_box", x)
        f = ctx.session.harness("coupled_function", list(shape), draw_seed(ctx, "saved value"))
        ctx.session.call_unboxed(ctx.component.name, None, f, box)
        after = np.asarray(ctx.session.get(box, "value"), dtype=np.float64)
    except StudentError:
        return None
    if after.shape != x.shape:
        return None
    return not np.array_equal(after, x)


def _numgrad_variants(f: Any, x: np.ndarray, h: float, default_h: float) -> dict[str, tuple[np.ndarray, str]]:
    variants = {
        "forward-difference": (
            _probe_loop(f, x, h, "forward"),
            f"this is the one-sided difference (f(x + h) - f(x)) / h; {_ONE_SIDED}",
        ),
        "forward-difference#backward": (
            _probe_loop(f, x, h, "backward"),
            f"this is the one-sided difference (f(x) - f(x - h)) / h; {_ONE_SIDED}",
        ),
        "probe-at-x": (_probe_loop(f, x, h, "minus-at-x"), _AT_X_EITHER),
        "probe-at-x#plus": (
            _probe_loop(f, x, h, "plus-at-x"),
            "the first probe was taken at x itself, not at x + h, so (f(x) - f(x - h)) / 2h is half a one-sided "
            "difference; set x[i] = original + h, two probes 2h apart",
        ),
        "precedence": (
            _probe_loop(f, x, h, "minus-over-2h"),
            "only f(x - h) was divided by 2h: f_plus - f_minus / (2 * h) divides before it subtracts; put the "
            "difference in parentheses, (f_plus - f_minus) / (2 * h)",
        ),
        "precedence#plus": (
            _probe_loop(f, x, h, "plus-over-2h"),
            "only f(x + h) was divided by 2h (division binds tighter than subtraction); put the difference in "
            "parentheses, (f_plus - f_minus) / (2 * h)",
        ),
        "probe-wrong-point": (
            _probe_loop(f, x, h, "minus-two-steps"),
            "the second probe was taken at x - 2h, not x - h, so the probes are 3h apart while the difference is "
            "divided by 2h; probe at x + h and x - h, each one step from the saved value",
        ),
        "probe-wrong-point#plus": (
            _probe_loop(f, x, h, "plus-two-steps"),
            "the first probe was taken at x + 2h, not x + h, so the probes are 3h apart while the difference is "
            "divided by 2h; probe at x + h and x - h, each one step from the saved value",
        ),
        "probe-wrong-point#assigned": (
            _probe_loop(f, x, h, "assigned"),
            "the probes set x[i] to h and to -h (x[i] = h) instead of moving it by h from its value: the difference "
            "is then the slope of f between x_i = -h and x_i = h, whatever x_i was, not the derivative at x; probe "
            "at x[i] = original + h and x[i] = original - h",
        ),
        "perturbs-copy#whole": (
            _probe_loop(f, x, h, "whole"),
            "the probes were f(x + h) and f(x - h), which add h to every entry of x, not to entry i alone: each "
            "entry got the same slope of f along (1, 1, ..., 1), the sum of all the partial derivatives; move "
            "only x[index] (x[index] = original + h, then call f(x))",
        ),
        "probe-wrong-point#whole-and-entry": (
            _probe_loop(f, x, h, "whole-and-entry"),
            "the probes were f(x + h) and f(x - h) after x[index] had already been set to original + h and "
            "original - h: x + h adds h to every entry of x, so entry i moved by 2h and every other entry by h. "
            "Call f(x) on the x whose one entry you moved",
        ),
        "central-over-h": (
            _probe_loop(f, x, h, "over-h"),
            "the central difference was divided by h; the two probes are 2h apart, so divide by 2h",
        ),
        "not-restored": (
            _probe_loop(f, x, h, "not-restored"),
            "each entry was left at x - h after its "
            "probe, so later entries were probed at a shifted point; restore x[i] to its saved "
            "value after both probes",
        ),
        "first-entry-only": (
            _probe_loop(f, x, h, "first-only"),
            "only the first entry was probed (the loop returns or breaks after one entry?); every entry of x "
            "gets its own pair of probes",
        ),
    }
    central = _probe_loop(f, x, h)
    if (central > 0).any() and (central < 0).any():
        # abs around the difference (a magnitude where a signed slope belongs): right where f rises, negated where
        # it falls; only slopes of both signs tell it from the right value (all rising) or a flipped sign (all
        # falling)
        variants["sign-lost"] = (
            np.abs(central),
            "every entry is the magnitude of the derivative: the difference was taken in absolute value, "
            "abs(f_plus - f_minus) / (2 * h), so where f falls as x_i grows the slope came out positive; the "
            "derivative keeps its sign, (f_plus - f_minus) / (2 * h)",
        )
    for kind, (first, second) in {
        "relative-plus": ("first probe was x_i * (1 + h)", "the second, x_i - h,"),
        "relative-minus": ("second probe was x_i * (1 - h)", "the first, x_i + h,"),
    }.items():
        variants[f"probe-wrong-point#{kind}"] = (
            _probe_loop(f, x, h, kind),
            f"the {first}, a step relative to the entry (h * x_i), while {second} moved by h: the probes are "
            "h * (1 + x_i) apart, not the 2h the difference is divided by, and not centred on x_i; probe at x_i + h "
            "and x_i - h, each one step h from the saved value",
        )
    for kind, scale in (
        ("step-times-max-1-abs", "h * max(1, |x_i|)"),
        ("step-times-1-plus-abs", "h * (1 + |x_i|)"),
        ("step-times-abs", "h * |x_i|"),
        ("step-times-x", "h * x_i (probes at x_i * (1 + h) and x_i * (1 - h))"),
    ):
        variants[f"numgrad-divisor#{kind}"] = (
            _probe_loop(f, x, h, kind),
            f"the probes moved x_i by a step scaled to the entry, {scale}, but the difference was still divided "
            "by 2h: the divisor must be the distance between the two probes, so each entry's derivative came out "
            "multiplied by its scale (use the same step in the probes and in the divisor: (f_plus - f_minus) / "
            "(2 * step))",
        )
    if x.size > 1:  # the difference stored once, after the loop: only the last index gets it
        last = np.zeros_like(np.asarray(x, dtype=np.float64))
        index = tuple(n - 1 for n in np.shape(x))
        last[index] = _probe_loop(f, x, h)[index]
        variants["assignment-outside-loop"] = (last, _STORED_AFTER_LOOP)
    if x.ndim > 1:
        variants["perturbs-rows"] = (
            _probe_loop(f, x, h, "rows"),
            "the loop ran over the rows of x (for i in range(len(x))), so x[i] moved a whole row at once (and "
            "`original = x[i]` is a view that moves with it); probe each entry: for i in np.ndindex(x.shape)",
        )
    if x.ndim > 1:
        variants["perturbs-rows#copy"] = (
            _probe_loop(f, x, h, "rows-copy"),
            "the loop ran over the first axis only (for i in range(len(x))), so x[i] is a whole row (with more axes, "
            "the whole sub-array x[i]): each probe moved all of it by h at once, and grad[i] got the slope of f "
            "along that row, the sum of the row's partial derivatives, the same number in every entry of the row; "
            "probe one entry at a time: for index in np.ndindex(x.shape)",
        )
    if x.ndim > 2:  # on a matrix these are the rows above
        variants["perturbs-rows#last-axis-copy"] = (
            _probe_loop(f, x, h, "last-axis-rows-copy"),
            "the loop ran over every index but the last axis (np.ndindex(x.shape[:-1])), so each x[index] is a "
            "whole row along the last axis, moved by h at once: each entry got the slope of f along its row, the "
            "sum of the row's partial derivatives, the same number in every entry of the row; probe one entry at "
            "a time: for index in np.ndindex(x.shape)",
        )
        variants["fixed-number-of-axes#first-two-copy"] = (
            _probe_loop(f, x, h, "first-two-axes-copy"),
            "the probes ran over the first two axes only (for i in range(x.shape[0]), for j in range(x.shape[1]), "
            "written for a weight matrix), so on more axes x[i, j] is a whole sub-array, moved by h at once: each "
            "entry got the sum of its sub-array's partial derivatives, the same number all through it; probe every "
            "entry: for index in np.ndindex(x.shape)",
        )
    if x.ndim != 2:  # on a matrix these are the rows above
        variants["perturbs-rows#last-axis"] = (
            _probe_loop(f, x, h, "last-axis-rows"),
            "the loop ran over every index but the last axis (np.ndindex(x.shape[:-1])), so each x[index] is a "
            "whole row along the last axis (for a vector, all of x), moved at once, and `original = x[index]` is a "
            "view that moves with it; probe each entry: for index in np.ndindex(x.shape)",
        )
    if x.ndim > 2:  # on three axes the same numbers as the rows of the last axis: the case then names neither
        variants["fixed-number-of-axes#first-two"] = (
            _probe_loop(f, x, h, "first-two-axes"),
            "the probes ran over the first two axes only (for i in range(x.shape[0]), for j in range(x.shape[1]), "
            "written for a weight matrix), so on more axes x[i, j] is a whole sub-array, moved at once (and "
            "`original = x[i, j]` a view that moves with it); probe every entry: for index in np.ndindex(x.shape)",
        )
    if h != default_h:
        variants["h-ignored"] = (
            _probe_loop(f, x, default_h),
            f"the step h={h:g} was ignored (the default {default_h:g} was used)",
        )
    return variants


_STORED_AFTER_LOOP = (
    "only the last entry holds its difference, every other is 0: grad[index] = (f_plus - f_minus) / (2 * h) "
    "sits after the loop (indented one level too little), so it runs once, for the last index the loop left "
    "behind; indent it into the loop, so that every entry is stored"
)


def _last_entry_kept(ctx: Context, kwargs: dict) -> tuple[str, str] | None:
    """``(tag, cause)`` when only the last entry held its difference and an x with no entries (where the loop
    never runs) shows the store was inside the loop: the call returned, or raised on its ``return`` (the result
    array exists only inside the loop). The result array was then made anew (or zeroed) at every probe, which
    wipes the entries stored before. A store after the loop raises on the store itself (its index is unbound):
    then, or on any other reading, None (the store after the loop stays the cause)."""
    try:
        ctx.session.call(
            ctx.component.name, None, ctx.session.harness("coupled_function", [0], 0), np.zeros(0), **kwargs
        )
        seen = "returned: no line after the loop needs its index"
    except StudentError as error:
        line = error.source.strip()
        if not line.startswith("return") or error.type_name not in ("UnboundLocalError", "NameError"):
            return None
        seen = f"raised {error.type_name} at `{line}`: the array exists only once the loop has run"
    return (
        "state-reset",
        "only the last entry holds its difference, every other is 0, although the store is inside the loop (for x "
        f"of shape (0,), where the loop never runs, yours {seen}): the result array is made anew (grad = "
        "np.zeros(x.shape) inside the loop body) or zeroed at every index, so each probe starts from fresh zeros "
        "and wipes the entries stored before it, and only the last survives; create it once, before the loop",
    )


def _step_factors(h: float) -> dict[float, tuple[str, str]]:
    """The factors between a wrongly divided difference and the central one, tied to the step h:
    ``/ 2 * h`` (read left to right: times h, not divided by it) is h^2 times the right value."""
    return {
        h * h: (
            "numgrad-divisor",
            f"{fmt(h * h)} is h^2 (h = {h:g}): the difference was multiplied by h where it should be divided by it. "
            "(f_plus - f_minus) / 2 * h is read left to right, divided by 2 and then multiplied by h: without "
            "parentheses h is not in the divisor; write (f_plus - f_minus) / (2 * h)",
        ),
        h: (
            "numgrad-divisor",
            f"{fmt(h)} is h: the difference was divided by 2 but not by h; the probes are 2h apart, so divide "
            "(f_plus - f_minus) by (2 * h)",
        ),
        2 * h: (
            "numgrad-divisor",
            f"{fmt(2 * h)} is 2h, the distance between the probes: f_plus - f_minus was not divided by it; "
            "divide by (2 * h)",
        ),
        1 / h: (
            "numgrad-divisor",
            f"{fmt(1 / h)} is 1/h: the difference was divided by 2 * h * h (h squared); divide by (2 * h) once",
        ),
        4.0: (
            "numgrad-divisor",
            "4 = 2 * 2: (f_plus - f_minus) / h * 2 is read left to right, divided by h and then multiplied by 2; "
            "the probes are 2h apart, so write (f_plus - f_minus) / (2 * h)",
        ),
    }


def _scale(local: Any, x: np.ndarray, h: float, expected: np.ndarray) -> float:
    """The comparison scale: the gradient's size, or the round-off of f's values over 2h if larger."""
    f_size = float(np.sum(np.abs(local.w * np.sin(x) + local.c * x**2))) + 0.5 * float(np.sum(local.u * x)) ** 2
    noise = settings.GRADCHECK_NOISE * max(1.0, f_size) / h
    return max(float(np.max(np.abs(expected))), noise / settings.ATOL_SCALE)


_DEFAULT_H = 1e-5
# One row per case of the entry (exercises/components.py), "central differences: <case>": x of the
# case's input_shape for a smooth f that couples its entries, and the case's h (the default if none).
_NUMGRAD_LINE = "central differences"


@check("reference", _NUMGRAD_LINE, NUMGRAD, per_case=True)
def numgrad_case(ctx: Context, case: Case) -> Outcome:
    label, shape, h = f"{_NUMGRAD_LINE}: {case.id}", case.input_shape, case.kwargs.get("h")
    seed = draw_seed(ctx, label)
    x = ctx.rng("x", label).standard_normal(shape)
    if case.inputs == "zero-entry":  # an entry of 0 is an entry like any other: its derivative is probed too
        x.flat[x.size // 2] = 0.0
    f = ctx.session.harness("coupled_function", list(shape), seed)
    kwargs = {} if h is None else {"h": h}
    try:
        got = ctx.session.call(ctx.component.name, None, f, x, **kwargs)
    except StudentError as error:
        error.diagnosis = error.diagnosis or _index_crash(ctx, error, x, seed, kwargs)
        raise
    local = doubles.coupled_function(list(shape), seed)
    step = _DEFAULT_H if h is None else h
    expected = _probe_loop(local, x, step)
    outcome = judge(
        label,
        got,
        expected,
        f"numerical_gradient(f, x{'' if h is None else f', h={h:g}'}) for x of shape {shape}",
        variants=_numgrad_variants(local, x, step, _DEFAULT_H) | ({} if h else _own_default_step(ctx, local, x)),
        factors=_step_factors(step),
        related={"the input x": x},
        scale=_scale(local, x, step, expected),
    )
    array = as_array(got)
    if outcome.passed or array is None or array.shape != expected.shape:
        return outcome
    if outcome.misconception == "probe-at-x" and _saved_value_moves(ctx, shape) is False:
        outcome = replace(outcome, feedback=outcome.feedback.replace(_AT_X_EITHER, _AT_X_RESTORED))
    if outcome.misconception == "assignment-outside-loop":  # a store after the loop, or a buffer made in it?
        kept = _last_entry_kept(ctx, kwargs)
        if kept is not None:
            outcome = replace(
                outcome, feedback=outcome.feedback.replace(_STORED_AFTER_LOOP, kept[1]), misconception=kept[0]
            )
    with np.errstate(all="ignore"):
        gap = float(np.max(np.abs(array.astype(np.float64) - expected)))
    feedback = (
        f"{outcome.feedback} (The largest difference is {gap:.3g}; a correct central difference agrees to about 1e-9.)"
    )
    if not np.any(array):  # all zeros: many mistakes give them, where the probes were taken tells which
        probes = _probes_taken(ctx, x, seed, kwargs, step)
        if probes is not None:
            return failed(label, f"{feedback} Cause: {probes[1]}.", probes[0], None, IS)
    if not outcome.confidence:  # no cause yet: were the wrong entries ever probed?
        skipped = _entries_skipped(ctx, x, seed, kwargs, step)
        if skipped is not None:
            return failed(label, f"{feedback} Cause: {skipped}.", "entries-skipped", None, IS)
    return failed(label, feedback, outcome.misconception, None, outcome.confidence)


def _own_default_step(ctx: Context, f: Any, x: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """The central difference with the submission's own default step, where it is not docs/api.md's: a case
    that leaves h out gets that step. Below 1e-5 the round-off of f grows as 1 / h, and above it the h^2 term."""
    got = {row[0]: row[2] for row in ctx.session.signature(ctx.component.name)}.get("h")
    if not isinstance(got, (int, float)) or isinstance(got, bool) or not 0 < got != _DEFAULT_H:
        return {}
    why = (
        "a smaller step is not more accurate: f(x + h) and f(x - h) agree in all but their last few digits, so "
        "their difference is mostly round-off, an error that grows as 1/h (while the h^2 term shrinks)"
        if got < _DEFAULT_H
        else "a larger step lets the h^2 term of the central difference grow"
    )
    return {
        "default-changed": (
            _probe_loop(f, x, float(got)),
            f"your default step is h={got:g}, where docs/api.md's is {_DEFAULT_H:g}; this case leaves h at its "
            f"default, and the values are the central difference with h = {got:g}: {why}. h = 1e-5 balances the two "
            "in float64",
        )
    }


def _probes_taken(ctx: Context, x: np.ndarray, seed: int, kwargs: dict, h: float) -> tuple[str, str] | None:
    """The student's numerical_gradient run on f that records its points: ``(tag, cause)`` when both
    probes of every entry were taken at the same point (x + h e_i twice: f_minus read before x[i] was
    moved), else None."""
    recorder = ctx.session.harness("probe_recorder", list(x.shape), seed)
    ctx.session.call(ctx.component.name, None, recorder, x.copy(), **kwargs)
    points = ctx.session.get(recorder, "points")
    if type(points) not in (list, tuple) or not points:
        return None
    seen = [np.asarray(p, dtype=np.float64) for p in points]
    if any(p.shape != x.shape for p in seen):
        return None

    def count(index: tuple[int, ...], sign: float) -> int:
        probe = x.copy()
        probe[index] = x[index] + sign * h
        return sum(np.array_equal(p, probe) for p in seen)

    indices = list(np.ndindex(x.shape))
    if all(count(i, 1.0) >= 2 and count(i, -1.0) == 0 for i in indices):
        return (
            "probe-before-move",
            "f was called twice at x + h e_i and never at x - h e_i: f_minus = f(x) was evaluated before x[i] was "
            "moved to original - h, or both probes were written before f was called into what is one array under two "
            "names (x_minus, x_plus = x, x copies nothing), so f_plus - f_minus is 0 for every entry; move x[i], "
            "then call f",
        )
    if all(count(i, -1.0) >= 2 and count(i, 1.0) == 0 for i in indices):
        return (
            "probe-before-move",
            "f was called twice at x - h e_i and never at x + h e_i: f_plus = f(x) was evaluated after x[i] was "
            "already moved to original - h, or both probes were written before f was called into what is one array "
            "under two names (x_plus, x_minus = x, x copies nothing), so f_plus - f_minus is 0 for every entry; move "
            "x[i], then call f",
        )
    for sign, side, other in ((1.0, "+", "-"), (-1.0, "-", "+")):
        if all(count(i, sign) == 1 and count(i, -sign) == 0 for i in indices):
            return ("iterator-exhausted", _one_pass_only(side, other))
    return None


def _one_pass_only(side: str, other: str) -> str:
    """Every entry probed once at x {side} h e_i, none at x {other} h e_i, and nothing stored: the first of
    two passes over the indices ran, the second never did (its iterator was used up by the first)."""
    return (
        f"f was called once at x {side} h e_i for every entry i and never at x {other} h e_i, and every entry came "
        f"back 0: the pass over the indices that takes the x {other} h probes (and stores the differences) never "
        "ran. A second for loop over an iterator the first loop already exhausted runs no iteration: "
        "np.ndindex(x.shape), like zip, map, enumerate, iter(...) and a generator expression, can be walked only "
        "once, so `indices = np.ndindex(x.shape)` serves one loop. Take both probes in one loop, or make a new "
        "np.ndindex(x.shape) (or a list of the indices) for each pass"
    )


def _entries_skipped(ctx: Context, x: np.ndarray, seed: int, kwargs: dict, h: float) -> str | None:
    """The student's numerical_gradient run on f that records its points: the cause when some entries of x
    were never probed (no call of f with that entry moved by h) and exactly those came back 0, every probed
    entry holding its central difference. A loop that visits only some entries (a spot check of a few random
    ones, a range that stops short, one axis of several) leaves the others at the zeros the result began as."""
    recorder = ctx.session.harness("probe_recorder", list(x.shape), seed)
    got = as_array(ctx.session.call(ctx.component.name, None, recorder, x.copy(), **kwargs))
    points = ctx.session.get(recorder, "points")
    if got is None or got.shape != x.shape or type(points) not in (list, tuple) or not points:
        return None
    seen = [np.asarray(p, dtype=np.float64) for p in points]
    if any(p.shape != x.shape for p in seen):
        return None
    moved = np.zeros(x.shape, dtype=bool)  # the entries some probe moved (by any amount)
    for point in seen:
        moved |= point != x
    expected = _probe_loop(doubles.coupled_function(list(x.shape), seed), x, h)
    scale = max(1.0, float(np.max(np.abs(expected))))
    right = np.isclose(got, expected, rtol=settings.SIMULATION_RTOL, atol=settings.ATOL_SCALE * scale)
    untouched = ~moved & (got == 0) & ~right
    if not untouched.any() or moved.sum() == 0 or not (right | untouched).all():
        return None
    count, total = int(untouched.sum()), x.size
    first = tuple(int(i) for i in np.argwhere(untouched)[0])
    was, them = ("was", "it") if count == 1 else ("were", "them")
    if np.array_equal(untouched, x == 0):  # the entries skipped are exactly the zeros of x
        zeros = "the entry" if count == 1 else f"the {count} entries"
        return (
            f"{zeros} of x equal to 0 {was} never probed (no call of f had {them} moved by h; the first "
            f"is at index {first}) and came back 0, while every non-zero entry holds its right central difference: "
            "the indices were taken from np.nonzero(x) (or np.argwhere, np.flatnonzero), which lists only the "
            "non-zero entries, but an entry that is 0 has a derivative like any other. Probe every entry, for index "
            "in np.ndindex(x.shape)"
        )
    return (
        f"{count} of the {total} entries of x {was} never probed (no call of f had {them} moved by h; the "
        f"first is at index {first}), and exactly those came back 0, while every probed entry holds its right "
        "central difference: the loop visits only some of the entries (a spot check of a few, drawn at random, or "
        "a range that stops short), and the others keep the 0 the result started with. numerical_gradient returns "
        "the derivative of every entry: probe each one, for index in np.ndindex(x.shape)"
    )


@check("api", "signature", NUMGRAD, interface=True)
def numgrad_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns a float64 array shaped like x", NUMGRAD)
def numgrad_shape(ctx: Context) -> Outcome:
    name = "returns a float64 array shaped like x"
    problems = []
    for shape in ((4,), (2, 3)):
        f = ctx.session.harness("scalar_function", list(shape), 1)
        got = ctx.session.call(ctx.component.name, None, f, ctx.rng("shape", shape).standard_normal(shape))
        if not isinstance(got, np.ndarray) or got.shape != shape or got.dtype != np.float64:
            problems.append(f"for x of shape {shape} it returned {describe_kind(got)}")
    if problems:
        return failed(name, "; ".join(problems) + ".", "wrong-shape")
    # float32 x: results are float64 whatever the input's dtype (docs/api.md)
    x = ctx.rng("shape", "float32").standard_normal((2, 3)).astype(np.float32)
    got = ctx.session.call(ctx.component.name, None, ctx.session.harness("scalar_function", [2, 3], 1), x)
    if not isinstance(got, np.ndarray) or got.shape != x.shape:
        return failed(name, f"for a float32 x of shape (2, 3) it returned {describe_kind(got)}.", "wrong-shape")
    if got.dtype != np.float64:
        return failed(
            name,
            f"for a float32 x of shape (2, 3) it returned an array of dtype {got.dtype}, and float64 for a float64 x; "
            "as docs/api.md says, results are float64 whatever the input's dtype. Cause: the result takes x's dtype: "
            "it was made from x (np.zeros_like(x), np.empty_like(x), x.copy()), which copies x's dtype; use "
            "np.zeros(x.shape) or np.zeros_like(x, dtype=np.float64).",
            "float32",
            confidence=IS,
        )
    return passed(name)


@check("contracts", "x is restored exactly after every probe", NUMGRAD)
def numgrad_restores(ctx: Context) -> Outcome:
    name = "x is restored exactly after every probe"
    shape = (3, 4)
    x = ctx.rng("restore").standard_normal(shape) + 0.1  # x + h - h == x fails for many of these
    box = ctx.session.harness("array_box", x)
    f = ctx.session.harness("coupled_function", list(shape), draw_seed(ctx, "restore"))
    ctx.session.call_unboxed(ctx.component.name, None, f, box)
    after = np.asarray(ctx.session.get(box, "value"))
    if np.array_equal(after, x):
        return passed(name)
    wrong = np.argwhere(after != x)
    index = tuple(int(i) for i in wrong[0])
    return failed(
        name,
        f"after numerical_gradient(f, x), {len(wrong)} of {x.size} entries of x differ from "
        f"their values before the call; first at index {index}: was {float(x[index])!r}, now "
        f"{float(after[index])!r}. "
        "Save x[i], probe, then assign the saved value back (adding and subtracting h does not "
        "restore a float exactly).",
        "not-restored",
    )


def _judge_in_place(ctx: Context, name: str, box: Any, f: Any, x: np.ndarray, seed: int, what: str) -> Outcome:
    """``numerical_gradient(f, box's array itself)`` against the grader's loop. All zeros, or
    wrong values where an ordinary call is right, mean the probes did not reach x."""
    got = ctx.session.call_unboxed(ctx.component.name, None, f, box)
    local = doubles.coupled_function(list(x.shape), seed)
    expected = _probe_loop(local, x, _DEFAULT_H)
    scale = _scale(local, x, _DEFAULT_H, expected)
    comparison = compare(got, expected, scale=scale)
    array = as_array(got)
    if comparison.ok:
        return passed(name)
    if array is None or array.shape != x.shape:
        return judge(name, got, expected, f"numerical_gradient(f, x) {what}", scale=scale)
    # The probes missed x only where an ordinary call does better: right (wrong values here), or not all
    # zeros (zeros here). Zeros from an ordinary call too come from the difference itself (two probes at
    # one point, a gradient never stored), which the central-difference tests name.
    f_plain = ctx.session.harness("coupled_function", list(x.shape), seed)
    plain = ctx.session.call(ctx.component.name, None, f_plain, x)
    plain_array = as_array(plain)
    plain_zeros = plain_array is not None and plain_array.shape == x.shape and not np.any(plain_array)
    if (np.any(array) or plain_zeros) and not agrees(plain, expected, scale=scale):
        return failed(  # the mistake is in the difference itself: the tests of the formula name it
            name,
            f"numerical_gradient(f, x) {what}: {comparison.problem}. An ordinary call (f of its argument, a "
            "contiguous x) is wrong too, so the difference itself is wrong: see the central-difference tests.",
        )
    if np.any(array):
        seen = (
            f"it gave {fmt(array[0, 0])} at index (0, 0) where an ordinary call (f of its argument, a "
            f"contiguous x) gives the right {fmt(expected[0, 0])}"
        )
    else:
        seen = f"it returned all zeros (expected e.g. {fmt(expected[0, 0])} at index (0, 0)): f never saw a probe"
    return failed(
        name,
        f"numerical_gradient(f, x) {what}: {seen}. Cause: the entries were perturbed in a copy of x "
        "(x.copy(), np.array(x), or x.reshape(-1) / x.ravel(), which copy an x that is not contiguous) and not "
        "in x itself. The numerical_gradient of docs/api.md perturbs x in place and calls f(x), so f may also read x "
        "directly; index x itself, e.g. `for i in np.ndindex(x.shape): x[i] = ...`.",
        "perturbs-copy",
        confidence=IS,
    )


@check("contracts", "f that reads x itself (a closure) sees every probe", NUMGRAD)
def numgrad_closure(ctx: Context) -> Outcome:
    """The common use: ``numerical_gradient(lambda _: loss(layer.weight.data), layer.weight.data)``."""
    name = "f that reads x itself (a closure) sees every probe"
    x = ctx.rng("closure").standard_normal((3, 4))
    seed = draw_seed(ctx, "closure")
    box = ctx.session.harness("array_box", x)
    f = ctx.session.harness("closure_function", box, seed)
    what = (
        "for x of shape (3, 4), where f ignores its argument and reads x directly (as in "
        "`numerical_gradient(lambda _: loss(layer.weight.data), layer.weight.data)`)"
    )
    return _judge_in_place(ctx, name, box, f, x, seed, what)


@check("contracts", "a non-contiguous x (a transposed view) is probed in place", NUMGRAD)
def numgrad_view(ctx: Context) -> Outcome:
    name = "a non-contiguous x (a transposed view) is probed in place"
    x = ctx.rng("view").standard_normal((3, 4))
    seed = draw_seed(ctx, "view")
    box = ctx.session.harness("transposed_box", x)
    f = ctx.session.harness("coupled_function", [3, 4], seed)
    what = "for x of shape (3, 4) that is a transposed view (like `layer.weight.data.T`), not C-contiguous"
    outcome = _judge_in_place(ctx, name, box, f, x, seed, what)
    after = np.asarray(ctx.session.get(box, "value"))
    if outcome.passed and not np.array_equal(after, x):
        index = tuple(int(i) for i in np.argwhere(after != x)[0])
        return failed(
            name,
            f"after numerical_gradient(f, x) {what}, x[{index}] was {float(x[index])!r} and is now "
            f"{float(after[index])!r}: restore each entry to its saved value after its probes.",
            "not-restored",
        )
    return outcome


@check("contracts", "every call returns a new array: an earlier result is left unchanged", NUMGRAD)
def numgrad_new_array(ctx: Context) -> Outcome:
    """Two calls on x of one shape, the first result kept (as a gradient check keeps the numerical gradient of
    one parameter while it computes the next): the second call must not change it."""
    name = "every call returns a new array: an earlier result is left unchanged"
    shape = (2, 3)
    keeper = ctx.session.harness("result_keeper", ctx.component.name)
    rng = ctx.rng("new array")
    got = []
    for k in range(2):
        f = ctx.session.harness("coupled_function", list(shape), draw_seed(ctx, "new array", k))
        got.append(as_array(ctx.session.call(keeper, None, f, rng.standard_normal(shape))))
    first, second = got
    now = as_array(ctx.session.call(keeper, "first"))
    if first is None or now is None or second is None or now.shape != first.shape or first.dtype.kind != "f":
        return passed(name)  # no array to keep: the shape and value tests judge what came
    index = first_change(first, now)
    if index is None:
        return passed(name)
    seen = (
        f"numerical_gradient(f, x) for x of shape {shape} returned an array, and a second call, "
        f"numerical_gradient(g, x2) on another x of the same shape, changed it: at index {index} it held "
        f"{fmt(first[index])} and now holds {fmt(now[index])}"
    )
    reused = now.shape == second.shape and np.array_equal(now, second, equal_nan=True)
    if not reused:
        return failed(
            name, f"{seen}. numerical_gradient returns a new array at every call, which no later call touches."
        )
    same = " (both calls returned the same array object)" if ctx.session.call(keeper, "same") else ""
    return failed(
        name,
        f"{seen}, the second call's gradient{same}. Cause: the result array is kept from one call to the next (an "
        "attribute of the function, a module-level variable or a default argument) and reused whenever x has "
        "the same shape: every entry is rewritten, but a gradient the caller kept (the numerical gradient of one "
        "parameter, while the next one's is computed) changes under it. numerical_gradient returns a new array "
        "at every call: make it inside the function, grad = np.zeros(x.shape).",
        "state-kept-between-calls",
        confidence=IS,
    )


@check("properties", "agrees with the analytic derivative for any shape and step", NUMGRAD)
def numgrad_property(ctx: Context) -> Outcome:
    name = "agrees with the analytic derivative for any shape and step"
    strategy = st.tuples(shapes(1, 3, 4), st.sampled_from([1e-4, 1e-5, 1e-6]), SEEDS)
    sure: dict[str, str] = {}  # the confidence of the tag a failing example ends with

    def body(example: tuple[tuple[int, ...], float, int]) -> Problem:
        shape, h, drawn = example
        rng = example_rng(ctx, drawn)
        seed = int(rng.integers(2**31 - 1))
        x = rng.standard_normal(shape)
        f = ctx.session.harness("coupled_function", list(shape), seed)
        got = as_array(ctx.session.call(ctx.component.name, None, f, x, h=h))
        local = doubles.coupled_function(list(shape), seed)
        true = local.derivative(x)
        about = f"(example: x of shape {shape}, h={h:g})"
        if got is None or got.shape != shape:
            return f"returned {describe_kind(got)}, expected shape {shape} {about}.", "wrong-shape"
        f_size = float(np.sum(np.abs(local.w * np.sin(x) + local.c * x**2))) + 0.5 * float(np.sum(local.u * x)) ** 2
        allowed = (
            settings.NUMGRAD_PROPERTY_RTOL * (np.abs(true) + np.max(np.abs(true)))
            + 10 * settings.GRADCHECK_NOISE * max(1.0, f_size) / h
        )
        excess = np.abs(got - true) - allowed
        if not np.isfinite(got).all() or (excess > 0).any():
            i = tuple(
                int(k) for k in np.unravel_index(int(np.argmax(np.where(np.isfinite(got), excess, np.inf))), shape)
            )
            text = f"at index {i} it gave {fmt(got[i])} where the derivative is {fmt(true[i])}; the central "
            text += f"difference is accurate to O(h^2) {about}."
            found = {
                tag.partition("#")[0]: cause
                for tag, (value, cause) in _numgrad_variants(local, x, h, _DEFAULT_H).items()
                if agrees(got, value, scale=_scale(local, x, h, value))
            }
            if len(found) == 1:  # (on a single entry, several mistakes may agree: then none is named)
                tag, cause = found.popitem()
                kept = _last_entry_kept(ctx, {"h": h}) if tag == "assignment-outside-loop" else None
                tag, cause = kept or (tag, cause)
                sure[tag] = IS
                return f"{text} Cause: {cause}.", tag
            sure["property"] = ""
            if len(found) > 1:  # named side by side, none claimed: this x does not tell them apart
                either = "; or ".join(found.values())
                return f"{text} On this x, {len(found)} known mistakes give these numbers: either {either}.", "property"
            return text, "property"  # an observation: the simulations above name no mistake
        return None

    outcome = hypothesis_check(ctx, name, strategy, body)
    return outcome if outcome.passed else replace(outcome, confidence=sure.get(outcome.misconception, ""))


# =============================================================================== relative_error
RELERR = ("relative_error",)
# docs/api.md: relative_error divides by max(1e-8, |a| + |b|) (a value of the API, not a tolerance).
RELATIVE_ERROR_FLOOR = 1e-8
# Floors one power of ten off that come from how scientific notation reads: 10e-8 is 10 * 10**-8 = 1e-7, not
# 1e-8 (the mantissa 10 adds one to the exponent).
_FLOOR_TYPO = {-7: "written 10e-8? In scientific notation 10e-8 means 10 x 10^-8 = 1e-7; 1e-8 is written 1e-8"}


_SELF_COMPARED = (
    "0, as if an array were compared with itself: every |a - b| was 0, so one of a and b was never read (b = "
    "np.asarray(a, ...) where np.asarray(b, ...) belongs: a line copied and one name left unchanged)"
)


def _self_compared(ctx: Context) -> tuple[str, str]:
    """(the sentence, its confidence) for a relative_error that gave 0 where a and b differ, read with a nan in
    one array at a time: an array compared with itself gives nan with the nan in it and 0 with the nan only in
    the other, which names the array that was read twice; a constant 0 gives 0 both ways (no claim then)."""
    a = ctx.rng("relerr", "self-compared").standard_normal((2, 3))
    b = a + 1.0
    values = []
    for where in ("a", "b"):
        x, z = a.copy(), b.copy()
        (x if where == "a" else z)[0, 0] = np.nan
        try:
            value = ctx.session.call(ctx.component.name, None, x, z)
        except StudentError:
            return "", ""
        values.append(float(value) if is_number(value) else None)
    if None in values:
        return "", ""
    read = [name for name, value in zip("ab", values, strict=True) if math.isnan(value)]
    if len(read) != 1 or any(value not in (0.0,) for value in values if not math.isnan(value)):
        return "", ""
    other = "b" if read[0] == "a" else "a"
    return (
        f"{read[0]} was compared with itself, {other} never read: with a nan in {read[0]} the result was nan, with "
        f"the nan only in {other} it was 0, and every |a - b| is 0 however far they differ. {other} = "
        f"np.asarray({read[0]}, ...) where np.asarray({other}, ...) belongs (a line copied and one name left "
        f"unchanged)? Convert each argument from itself: {other} = np.asarray({other}, dtype=np.float64)",
        IS,
    )


# The floors below 1e-8 simulated (10^k): the probe's tiny entry, 1e-30, lies below every one of them.
_SMALL_FLOORS = range(-20, -8)
_FLOOR_PROBE_ENTRY = 1e-30


def _relerr_variants(a: np.ndarray, b: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """What the known mistakes of relative_error give for ``a`` and ``b``: the wrong reduction,
    the difference without its absolute value, and the other denominators students write."""
    diff, total = np.abs(a - b), np.abs(a) + np.abs(b)
    floor = "the relative error divides |a - b| by |a| + |b|, floored at 1e-8"

    def floored(magnitude: np.ndarray) -> np.ndarray:
        return np.maximum(RELATIVE_ERROR_FLOOR, magnitude)

    with np.errstate(all="ignore"):
        ratio = diff / floored(total)
        return {
            "mean-not-max": (
                np.asarray(np.mean(ratio)),
                "this is the mean of the entry-wise ratios; the "
                "relative error is the largest one (max), so one bad entry is not averaged away",
            ),
            # min for max (np.min where np.max belongs): the best entry reported, every bad one hidden
            # the numerator reduced first: max|a - b| over every entry's own |a_i| + |b_i|, then the largest
            "norm-not-entrywise#numerator-reduced-first": (
                np.asarray(np.max(np.max(diff) / floored(total))) if diff.size else np.asarray(0.0),
                "the numerator was reduced before the division: the largest difference max|a - b| was divided by "
                "each entry's |a_i| + |b_i|, so the result is the largest difference over the smallest magnitude, "
                "two different entries; take the entry-wise ratios |a - b| / max(1e-8, |a| + |b|) first, then "
                "their maximum",
            ),
            "min-max-confused": (
                np.asarray(np.min(ratio)),
                "this is the smallest of the entry-wise ratios (np.min); the relative error is the largest one "
                "(np.max), so that one bad entry fails the check",
            ),
            "missing-abs": (
                np.asarray(np.max((a - b) / np.maximum(1e-8, total))),
                "the difference a - b was not taken in absolute value: |a - b|",
            ),
            # abs on each side instead of around the difference: the same numbers as a - b wherever a >= b >= 0
            "missing-abs#difference-of-magnitudes": (
                np.asarray(np.max((np.abs(a) - np.abs(b)) / floored(total))),
                "the numerator was |a| - |b|, the difference of the magnitudes, not the magnitude of the difference "
                "|a - b|: entries of opposite signs look equal (2 and -2 give 0) and the ratio can be negative; "
                "divide np.abs(a - b) by max(1e-8, |a| + |b|)",
            ),
            # the same with an absolute value around it, ||a| - |b||: never negative, so only a sign tells it apart
            "difference-of-magnitudes": (
                np.asarray(np.max(np.abs(np.abs(a) - np.abs(b)) / floored(total))),
                "the numerator was ||a| - |b||, the difference of the magnitudes, not the magnitude of the "
                "difference |a - b|: the signs are dropped before subtracting, so entries of opposite signs look "
                "equal (2 and -2 give 0, where the relative error is 1); divide np.abs(a - b) by max(1e-8, |a| + |b|)",
            ),
            "abs-of-sum": (
                np.asarray(np.max(diff / np.maximum(1e-8, np.abs(a + b)))),
                "the denominator was |a + b|; it is |a| + |b| (which is never 0 unless both are)",
            ),
            "denominator-no-abs": (
                np.asarray(np.max(diff / np.maximum(1e-8, a + b))),
                "the denominator was a + b, without absolute values: where a + b < 0 the floor 1e-8 takes over "
                f"and the ratio explodes; {floor}",
            ),
            # sqrt(a^2 + b^2) (np.hypot, the pair's Euclidean length) for |a| + |b|: never larger, so every ratio
            # is larger, up to sqrt(2) for a = -b
            "formula-wrong#hypot": (
                np.asarray(np.max(diff / floored(np.hypot(a, b)))),
                f"the denominator was sqrt(a^2 + b^2) (np.hypot(a, b)), not |a| + |b|: {floor}",
            ),
            # the ratio in percent: 100 times the relative error
            "formula-constant#percent": (
                np.asarray(100.0 * np.max(ratio)),
                "this is the relative error in percent (times 100): relative_error returns the ratio itself, "
                "a number in [0, 1]",
            ),
            "max-denominator": (
                np.asarray(np.max(diff / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b))))),
                f"the denominator was max(|a|, |b|), the larger of the two, not their sum: {floor} (so it lies in "
                "[0, 1])",
            ),
            "floor-with-minimum": (
                np.asarray(np.max(diff / np.minimum(1e-8, total))),
                "the floor was taken with np.minimum(1e-8, .), a cap: every denominator is at most 1e-8, so every "
                f"ratio explodes; np.maximum(1e-8, .) raises only the denominators below 1e-8 ({floor})",
            ),
            **{
                f"epsilon-added-not-floored#{k}": (
                    np.asarray(np.max(diff / (total + 10.0**k))),
                    f"the denominator was |a| + |b| + 1e{k}, an epsilon added, where docs/api.md floors it: "
                    "max(1e-8, |a| + |b|). An added epsilon changes every ratio a little (so scaling both arrays "
                    "changes the result) and most where the entries are near zero; the floor only raises a "
                    "denominator below 1e-8: np.maximum(1e-8, np.abs(a) + np.abs(b))",
                )
                for k in range(-14, -3)
            },
            # Both arrays, or only one (np.asarray(a, dtype=np.float32) beside a float64 b: the difference is then
            # taken in float64, but a's entries already carry float32's rounding): one mistake, one sentence.
            **{
                f"float32#{which}": (np.asarray(_in_float32(a, b, which)), _FLOAT32_TEXT)
                for which in ("both", "a", "b")
            },
            "no-floor": (
                np.asarray(np.max(diff / total)),
                "dividing by |a| + |b| without the floor max(1e-8, .) gives 0/0 = nan where both entries are 0",
            ),
            "no-floor#nan-cleaned": (
                np.asarray(np.max(np.nan_to_num(diff / total))),
                "the denominator |a| + |b| had no floor, and the 0/0 = nan where both entries are 0 was cleaned up "
                "afterwards (np.nan_to_num, np.nanmax, or a mask of the zeros): that mends only exact zeros. Where "
                "both entries are tiny but not 0 (a = 0, b = 1e-10) the ratio is 1e-10 / 1e-10 = 1, where the floor "
                "gives 1e-10 / 1e-8 = 0.01; divide by np.maximum(1e-8, np.abs(a) + np.abs(b))",
            ),
            # One array compared with itself (b = np.asarray(a), a line copied and one name left unchanged): every
            # |a - b| is 0. A constant 0 gives it too: _self_compared tells them apart.
            "compared-with-itself": (np.asarray(0.0 if a.size else math.nan), _SELF_COMPARED),
            "relative-to-a": (
                np.asarray(np.max(diff / np.maximum(1e-8, np.abs(a)))),
                "the difference was divided by |a| only; divide by |a| + |b| (symmetric in a and b)",
            ),
            "relative-to-a#b": (
                np.asarray(np.max(diff / np.maximum(1e-8, np.abs(b)))),
                "the difference was divided by |b| only; divide by |a| + |b| (symmetric in a and b)",
            ),
            "norm-not-entrywise": (
                np.asarray(np.linalg.norm(a - b) / max(1e-8, float(np.linalg.norm(a) + np.linalg.norm(b)))),
                "this is ||a - b|| / (||a|| + ||b||) over whole arrays; docs/api.md asks for the largest entry-wise "
                "ratio |a - b| / max(1e-8, |a| + |b|), which a few bad entries among many cannot hide in",
            ),
            "floor-scope": (
                np.asarray(np.max(diff / (np.maximum(RELATIVE_ERROR_FLOOR, np.abs(a)) + np.abs(b)))),
                f"the floor was put on |a| alone, max(1e-8, |a|) + |b|: {floor}, the floor on the whole sum, "
                "max(1e-8, |a| + |b|). Where both entries are tiny the misplaced floor adds 1e-8 to |b| and the "
                "ratio comes out too small (mind where the parentheses close)",
            ),
            "floor-scope#b": (
                np.asarray(np.max(diff / (np.abs(a) + np.maximum(RELATIVE_ERROR_FLOOR, np.abs(b))))),
                f"the floor was put on |b| alone, |a| + max(1e-8, |b|): {floor}, the floor on the whole sum, "
                "max(1e-8, |a| + |b|). Where both entries are tiny the misplaced floor adds 1e-8 to |a| and the "
                "ratio comes out too small (mind where the parentheses close)",
            ),
            # ... / np.maximum(1e-8, np.abs(a)) + np.abs(b): the parenthesis closed after |a|, so |b| is added to the
            # ratio after the division (the division binds first) instead of joining the denominator
            **{
                f"floor-scope#added-after-division{'@b' if first == 'b' else ''}": (
                    np.asarray(np.max(diff / floored(np.abs(x)) + np.abs(y))),
                    f"the parenthesis of the floor closed after |{first}|, |a - b| / max(1e-8, |{first}|) + "
                    f"|{second}|: the division is taken first, so |{second}| was added to the ratio instead of "
                    f"joining the denominator; {floor}, the whole sum |a| + |b| inside the floor, max(1e-8, |a| + "
                    "|b|) (mind where the parentheses close)",
                )
                for first, second, x, y in (("a", "b", a, b), ("b", "a", b, a))
            },
            "floor-scope#each": (
                np.asarray(np.max(diff / (floored(np.abs(a)) + floored(np.abs(b))))),
                f"each magnitude was floored on its own, max(1e-8, |a|) + max(1e-8, |b|): {floor}, one floor on "
                "the whole sum, max(1e-8, |a| + |b|). Where both entries are tiny the denominator comes out up to "
                "2e-8 and the ratio too small",
            ),
            # The squared-error habit in the numerator: where the worst entry has opposite signs and |a| + |b| >= 1
            # it gives |a| + |b|, as the capped denominator below does; simulated so that such a case claims neither.
            "squared-difference": (
                np.asarray(np.max((a - b) ** 2 / floored(total))),
                "the numerator was squared, (a - b)^2, where docs/api.md has the absolute difference |a - b|: the "
                "ratio then grows with the size of the entries (it is no longer scale-free) and tiny differences "
                "vanish; divide np.abs(a - b) by max(1e-8, |a| + |b|)",
            ),
            # np.clip(|a| + |b|, 1e-8, 1): a floor and a cap, where only the floor belongs
            "output-clipped#denominator-capped": (
                np.asarray(np.max(diff / np.clip(total, RELATIVE_ERROR_FLOOR, 1.0))),
                "the denominator was clipped to [1e-8, 1] (np.clip(|a| + |b|, 1e-8, 1)): where |a| + |b| is above 1 "
                "the cap makes the ratio the absolute difference |a - b|, which grows with the size of the entries "
                "and can exceed 1; docs/api.md only floors it, max(1e-8, |a| + |b|) (np.maximum, or np.clip with "
                "no upper bound, a_max=None)",
            ),
            "modifies-input": (
                np.asarray(np.max(diff / np.maximum(RELATIVE_ERROR_FLOOR, diff + np.abs(b)))),
                "a was overwritten with a - b before |a| was read for the denominator (np.subtract(a, b, out=a), or "
                "a -= b), so the denominator is |a - b| + |b|. np.asarray(a) is no copy: for a float64 array it is "
                "the caller's array itself, which is changed too. Compute into a new array: diff = a - b",
            ),
            "modifies-input#b": (
                np.asarray(np.max(diff / np.maximum(RELATIVE_ERROR_FLOOR, np.abs(a) + diff))),
                "b was overwritten with a - b before |b| was read for the denominator (np.subtract(a, b, out=b)), "
                "so the denominator is |a| + |a - b|. np.asarray(b) is no copy: for a float64 array it is the "
                "caller's array itself, which is changed too. Compute into a new array: diff = a - b",
            ),
            **_whole_array_ratios(diff, total, a, b),
            **_norms_of_ratios(ratio),
            **_position_for_value(ratio),
            **_last_ratio_kept(ratio),
            **_first_ratio_returned(ratio),
            **{
                f"floor-wrong-magnitude#{k}": (
                    np.asarray(np.max(diff / np.maximum(10.0**k, total))),
                    f"the floor was 1e{k}, not 1e-8 ({_FLOOR_TYPO.get(k, 'its exponent mistyped?')}): every "
                    f"denominator below 1e{k} is raised to it, so the errors come out too small; {floor}",
                )
                for k in range(-7, 13)
            },
            # A floor below 1e-8 (1e-12, np.finfo(float).eps, 1e-300): it mends the 0/0 where both entries are 0,
            # like a nan cleaned up afterwards, but still divides by the tiny |a| + |b| above it. The two part only
            # where |a| + |b| is below the small floor: _FLOOR_PROBE reads that.
            **{
                f"floor-wrong-magnitude#{k}": (
                    np.asarray(np.max(diff / np.maximum(10.0**k, total))),
                    f"the floor was 1e{k}, not 1e-8: a floor there is (0/0 is mended), but {10 ** (-8 - k):g} times "
                    f"too small, so where both entries are tiny, |a| + |b| between 1e{k} and 1e-8 (a = 0, b = {t:g}), "
                    f"the ratio is {t:g} / {t:g} = 1 where the floor 1e-8 gives {t:g} / 1e-8 = {t / 1e-8:g}; {floor}: "
                    "np.maximum(1e-8, np.abs(a) + np.abs(b))",
                )
                for k in _SMALL_FLOORS
                for t in (1e-10 if k <= -11 else 5 * 10.0**k,)
            },
            # the machine epsilon of float64 or float32 taken as "a small number": a floor of another size
            **{
                f"floor-wrong-magnitude#eps-{name}": (
                    np.asarray(np.max(diff / np.maximum(eps, total))),
                    f"the floor was np.finfo(np.{name}).eps = {eps:.3g}, the machine epsilon, not 1e-8: a floor "
                    "there is (0/0 is mended), but the machine epsilon is the spacing of numbers near 1, not the size "
                    "below which |a| + |b| counts as zero; where both entries are tiny the ratio comes out "
                    f"{'too large' if eps < RELATIVE_ERROR_FLOOR else 'too small'}; {floor}: "
                    "np.maximum(1e-8, np.abs(a) + np.abs(b))",
                )
                for name in ("float64", "float32")
                for eps in (float(np.finfo(name).eps),)
            },
        }


_FLOAT32_TEXT = (
    "the arrays (or one of them) were converted to float32 (dtype=np.float32, .astype(np.float32), PyTorch's "
    "default), which keeps about 7 significant digits: each entry was rounded by up to 6e-8 of its size before the "
    "difference was taken, so relative errors below about 1e-7, where a gradient check decides, come out as 0 or "
    "as a rounding step (and equal arrays need not give 0); convert with dtype=np.float64"
)


def _in_float32(a: np.ndarray, b: np.ndarray, which: str = "both") -> float:
    """The formula of docs/api.md computed with ``which`` of a and b ("both", "a", "b") converted to float32
    (nan for empty arrays); numpy's promotion decides the dtype of the arithmetic, as in a submission."""
    a32 = a.astype(np.float32) if which in ("both", "a") else a
    b32 = b.astype(np.float32) if which in ("both", "b") else b
    if a32.size == 0:
        return math.nan
    return float(np.max(np.abs(a32 - b32) / np.maximum(np.float32(1e-8), np.abs(a32) + np.abs(b32))))


def _position_for_value(ratio: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """np.argmax where np.max belongs: the flat index of the largest ratio. Index 0 is left out, as a
    0 returned says nothing about where it came from."""
    if ratio.size == 0 or int(np.argmax(ratio)) == 0:
        return {}
    return {
        "argmax-for-max": (
            np.asarray(float(np.argmax(ratio))),
            "this is the position of the largest ratio (np.argmax, its flat index), not its value; the relative "
            "error is the largest ratio itself, np.max",
        )
    }


_LAST_RATIO_KEPT = (
    "this is the ratio of the last entry, not the largest: a loop over the entries assigned each new ratio "
    "(worst = r) where it meant to keep the largest so far (worst = max(worst, r)), so every entry but the last is "
    "forgotten and a bad entry anywhere else passes the check; keep the running maximum, or take np.max of the "
    "entry-wise ratios"
)


def _last_ratio_kept(ratio: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """A loop that assigns each ratio where it meant to keep the largest (worst = r for worst = max(worst, r)):
    the last entry's ratio, in the order of a.ravel(). Left out when the last ratio is the largest (then right)."""
    flat = ratio.ravel()
    if flat.size < 2 or not np.isfinite(flat).all() or flat[-1] == np.max(flat):
        return {}
    return {"assigned-not-accumulated": (np.asarray(float(flat[-1])), _LAST_RATIO_KEPT)}


_FIRST_RATIO_RETURNED = (
    "this is the ratio of the first entry, not the largest: the return sits inside the loop over the entries "
    "(indented one level too deep), so the function returns after the first one (a loop that never updates the "
    "value it started from, worst = ratios[0], gives the same); every other entry is never looked at, and a bad "
    "entry anywhere but first passes the check; return after the loop, or take np.max of the entry-wise ratios"
)


def _first_ratio_returned(ratio: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """A return inside the loop over the entries: the first entry's ratio, in the order of a.ravel(). Left out when
    the first ratio is the largest (then right)."""
    flat = ratio.ravel()
    if flat.size < 2 or not np.isfinite(flat).all() or flat[0] == np.max(flat):
        return {}
    return {"return-inside-loop": (np.asarray(float(flat[0])), _FIRST_RATIO_RETURNED)}


def _norms_of_ratios(ratio: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """np.linalg.norm where np.max belongs: the entry-wise ratios combined by a norm, not their largest. The
    Euclidean norm of all of them (ord=None), and on a 2-D array the matrix norms (ord=inf the largest row sum,
    ord=1 the largest column sum, ord=2 the largest singular value); on a vector ord=inf is the max itself, right."""
    if ratio.size == 0 or not np.isfinite(ratio).all():
        return {}
    norms = {
        "matrix-norm#euclidean": (
            np.asarray(float(np.linalg.norm(ratio))),
            "the entry-wise ratios were combined by their Euclidean norm, np.linalg.norm(ratio) = sqrt(sum of "
            "their squares), not by their largest: every other ratio adds to it (so it can exceed 1); the relative "
            "error is the largest ratio, np.max(ratio)",
        )
    }
    if ratio.ndim == 2:
        for order, what in (
            (np.inf, "the largest row sum"),
            (1, "the largest column sum"),
            (2, "the largest singular value"),
        ):
            norms[f"matrix-norm#{order}"] = (
                np.asarray(float(np.linalg.norm(ratio, order))),
                f"the ratios were reduced with np.linalg.norm(ratio, {'np.inf' if order == np.inf else order}): on "
                f"a vector that is a norm of the entries, but on a 2-D array it is a matrix norm, {what}, not the "
                "largest entry; the relative error is the largest ratio, np.max(ratio)",
            )
    return norms


# Whole-array summaries: max|a - b| / max(|a| + |b|) is a ratio of two of them, not a ratio per entry.
_SUMMARIES = {"max": np.max, "sum": np.sum, "mean": np.mean}


def _whole_array_ratios(
    diff: np.ndarray, total: np.ndarray, a: np.ndarray, b: np.ndarray
) -> dict[str, tuple[np.ndarray, str]]:
    """One summary of |a - b| over one summary of |a| + |b| (or of |a| plus one of |b|): the ratio of
    two whole-array numbers, where docs/api.md asks for the largest of the entry-wise ratios."""
    if diff.size == 0:
        return {}
    ratios = {}
    for top, summarise in _SUMMARIES.items():
        for bottom, other in _SUMMARIES.items():
            for split in (False, True) if bottom == "max" else (False,):  # sum|a| + sum|b| is sum(|a| + |b|)
                denominator = other(np.abs(a)) + other(np.abs(b)) if split else other(total)
                below = f"{bottom}|a| + {bottom}|b|" if split else f"{bottom}(|a| + |b|)"
                ratios[f"norm-not-entrywise#{top}-{bottom}-{split}"] = (
                    np.asarray(summarise(diff) / max(1e-8, float(denominator))),
                    f"this is {top}|a - b| / {below}, one ratio of two numbers summarising the whole arrays; "
                    "docs/api.md asks for the largest entry-wise ratio, max over entries of |a - b| / max(1e-8, "
                    "|a| + |b|) (the max of the ratios, not a ratio of maxima), which a few bad entries among many "
                    "cannot hide in",
                )
    return ratios


# Index loops that walk x wrongly, simulated to the IndexError they raise: a counter over every entry used as
# x[i] (a row of a matrix), and indices decoded with the shape reversed (np.unravel_index(i, x.shape[::-1]) or
# np.ndindex(x.shape[::-1])). On some shapes both fail alike; on the reversed shape they part.
_INDEX_LOOPS: dict[str, Callable[[tuple[int, ...]], Any]] = {
    "perturbs-rows": lambda shape: range(int(np.prod(shape))),
    "index-order-reversed": lambda shape: np.ndindex(shape[::-1]),
}


def _index_loop_error(kind: str, shape: tuple[int, ...]) -> str | None:
    """The IndexError message the ``kind`` loop raises on an x of ``shape``, or None when it runs through."""
    x = np.zeros(shape)
    try:
        for index in _INDEX_LOOPS[kind](shape):
            x[index]
    except IndexError as error:
        return str(error)
    return None


def _index_crash(ctx: Context, error: StudentError, x: np.ndarray, seed: int, kwargs: dict) -> Diagnosis | None:
    """The wrong index loop behind an IndexError: the submission run again on x of the reversed shape, and
    the one simulated loop that raises what it raised on both shapes (or runs through where it did)."""
    if error.type_name != "IndexError" or x.ndim < 2:
        return None
    one_axis = _result_with_one_axis(ctx, error, x, seed, kwargs)
    if one_axis is not None:
        return one_axis
    shape, other = x.shape, x.shape[::-1]
    if shape == other:
        return None
    found = [kind for kind in _INDEX_LOOPS if _index_loop_error(kind, shape) == error.message]
    if not found:
        return None
    f = ctx.session.harness("coupled_function", list(other), seed)
    try:
        ctx.session.call(ctx.component.name, None, f, np.ones(other), **kwargs)
        seen = None
    except StudentError as again:
        if again.type_name != "IndexError":
            return None
        seen = again.message
    found = [kind for kind in found if _index_loop_error(kind, other) == seen]
    if len(found) != 1:
        return None
    if found[0] == "perturbs-rows":
        return Diagnosis(
            "perturbs-rows",
            f"the loop counted every entry of x (its {x.size} entries) but used the count as x[i], which for x of "
            f"shape {shape} is row i, a whole row moved at once, and past row {shape[0] - 1} there is none; probe "
            "one entry at a time with a full index: for index in np.ndindex(x.shape), x[index]",
        )
    return Diagnosis(
        "index-order-reversed",
        f"the indices walk the shape reversed, {other} for x of shape {shape} (np.unravel_index(i, x.shape[::-1]) "
        f"or np.ndindex(x.shape[::-1])): {error.message}, and on an x of shape {other} it "
        f"{'raised ' + seen if seen else 'ran through'}, as such a loop does. A square x or a vector hides it, "
        "as its reversed shape is its own; walk x's own shape, in the order numpy stores it: for index in "
        "np.ndindex(x.shape)",
    )


def _stored_into(source: str) -> str | None:
    """The name of the array ``name[index] = value`` stores into, when the line that raised is such an
    assignment and its value indexes nothing (so the array indexed is the one stored into)."""
    try:
        tree = ast.parse(source.strip())
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Assign, ast.AugAssign)):
        return None
    statement = tree.body[0]
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    if len(targets) != 1 or not isinstance(targets[0], ast.Subscript) or not isinstance(targets[0].value, ast.Name):
        return None
    if any(isinstance(node, ast.Subscript) for node in ast.walk(statement.value)):
        return None
    return targets[0].value.id


def _result_with_one_axis(
    ctx: Context, error: StudentError, x: np.ndarray, seed: int, kwargs: dict
) -> Diagnosis | None:
    """An IndexError on ``grad[index] = ...``: the array the differences are stored into has one axis, while the
    index has one entry per axis of x. The result was not made shaped like x; run on a 0-d x, np.zeros(len(x))
    raises len()'s own TypeError, which tells len(x) (the first axis alone) from x.size (every entry, flat)."""
    found = re.search(r"array is 1-dimensional, but (\d+) were indexed", error.message)
    name = _stored_into(error.source)
    if found is None or int(found.group(1)) != x.ndim or name is None:
        return None
    seen = (
        f"`{error.source.strip()}`, on the line that raised, stores into {name}, an array of one axis, with an "
        f"index of {x.ndim} entries, one per axis of x (shape {x.shape}): {name} was not made shaped like x"
    )
    fix = f"the gradient has x's shape, {name} = np.zeros(x.shape), so that every index of x fits it"
    try:
        f = ctx.session.harness("coupled_function", [], seed)
        ctx.session.call(ctx.component.name, None, f, np.asarray(0.5), **kwargs)
        by_len = False
    except StudentError as again:
        by_len = again.type_name == "TypeError" and "len()" in again.message and "len(" in again.source
    if by_len:
        return Diagnosis(
            "len-for-size",
            f"{seen}; and for a 0-d x the call raised len()'s TypeError: it was sized with len(x), which counts "
            f"the first axis of x alone (its {x.shape[0]} rows), not its {x.size} entries, and makes one axis "
            f"whatever x's shape; {fix}",
        )
    return Diagnosis(
        "gradient-not-shaped-like-input",
        f"{seen} (one axis, as np.zeros(x.size), np.zeros(len(x)) or np.zeros(x.shape[0]) make); {fix}",
    )


def _array_truth_crash(error: StudentError) -> Diagnosis | None:
    """An array asked for one truth value: Python's built-in max or min (or an ``if``) applied to an array
    where numpy's entry-wise np.maximum belongs. Certain when the line that raised calls a bare max or min."""
    if error.type_name != "ValueError" or "truth value of an array" not in error.message:
        return None
    bare = re.search(r"(?<![\w.])(max|min)\(", error.source)
    return Diagnosis(
        "python-max-on-array",
        "a number was compared with a whole array, which has no single truth value: Python's built-in max(1e-8, "
        "array) (or min, or an `if` on an array) compares the two as one value; the floor is taken entry by "
        "entry with np.maximum(1e-8, np.abs(a) + np.abs(b))",
        IS if bare else LOOKS_LIKE,
    )


def _relerr_matches(a: np.ndarray, b: np.ndarray, value: float, full: bool = False) -> dict[str, str]:
    """``{tag: explanation}`` of every known mistake that gives ``value`` for ``a`` and ``b`` (nan matches nan);
    with ``full``, keyed by the variant (``tag#detail``), so that pairs intersect on the one variant fitting all."""
    found: dict[str, str] = {}
    with np.errstate(all="ignore"):
        variants = _relerr_variants(a, b)
    for tag, (candidate, text) in variants.items():
        c = float(candidate)
        if (math.isnan(c) and math.isnan(value)) or math.isclose(
            c, value, rel_tol=settings.SAME_VALUE_RTOL, abs_tol=settings.ZERO_ATOL
        ):
            found.setdefault(tag if full else tag.partition("#")[0], text)
    return found


def _decisive_entry_muted(a: np.ndarray, b: np.ndarray, value: float) -> str:
    """The observation when ``value`` is the largest ratio of the other entries and the entry that decides the
    maximum lies below the floor (|a| + |b| < 1e-8): then whatever muted that entry (a floor too large, an
    epsilon, a mask of tiny entries) gives the same number, and the number names none of them. "" otherwise."""
    diff, total = np.abs(a - b), np.abs(a) + np.abs(b)
    with np.errstate(all="ignore"):
        ratio = (diff / np.maximum(RELATIVE_ERROR_FLOOR, total)).ravel()
    if ratio.size < 2 or not np.isfinite(ratio).all():
        return ""
    k = int(np.argmax(ratio))
    if total.ravel()[k] >= RELATIVE_ERROR_FLOOR:  # the deciding entry is above the floor: no floor mistake
        return ""
    rest = float(np.max(np.delete(ratio, k)))
    if not math.isclose(value, rest, rel_tol=settings.SAME_VALUE_RTOL, abs_tol=settings.ZERO_ATOL):
        return ""
    where = tuple(int(i) for i in np.unravel_index(k, a.shape))
    pair = f"a = {fmt(float(a.flat[k]))}, b = {fmt(float(b.flat[k]))}"
    return (
        f"this is the largest ratio of the other entries, as if the entry at index {where} ({pair}, "
        "|a| + |b| below the floor) did not count; there the floor makes the ratio "
        f"|a - b| / 1e-8 = {fmt(float(ratio[k]))}, the largest"
    )


def _relerr_cause(a: np.ndarray, b: np.ndarray, value: float) -> tuple[str, str] | None:
    """``(tag, explanation)`` of the one known mistake that gives ``value`` for ``a`` and ``b``
    (nan matches nan); None when none does, or mistakes of different tags do."""
    found = _relerr_matches(a, b, value)
    return next(iter(found.items())) if len(found) == 1 else None


def _common_matches(pairs: list[tuple[np.ndarray, np.ndarray, float]]) -> dict[str, str]:
    """``{tag: explanation}`` of every known mistake that gives the student's value on every pair ``(a, b, value)``."""
    common: dict[str, str] | None = None
    for a, b, value in pairs:
        found = _relerr_matches(a, b, value, full=True)
        common = found if common is None else {tag: text for tag, text in common.items() if tag in found}
    tags: dict[str, str] = {}
    for tag, text in (common or {}).items():
        tags.setdefault(tag.partition("#")[0], text)
    return tags


def _common_cause(
    pairs: list[tuple[np.ndarray, np.ndarray, float]], ctx: Context | None = None
) -> tuple[str, str] | None:
    """The one known mistake that gives the student's value on every pair ``(a, b, value)``: one pair may fit
    several mistakes, and another pair tells them apart. With ``ctx``, a tie between no floor and a floor of
    another size (both mend 0/0 and give the same ratios above the smaller floor) is settled by the floor probe."""
    common = _common_matches(pairs)
    if ctx is not None and len(common) > 1 and _FLOOR_TAGS & set(common):
        probe = _floor_probe(ctx)
        common = _common_matches([*pairs, probe]) if probe is not None else common
    return next(iter(common.items())) if len(common) == 1 else None


_FLOOR_TAGS = {"no-floor", "floor-wrong-magnitude", "epsilon-added-not-floored"}


def _floor_probe(ctx: Context) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The submission's value where |a| + |b| is below every floor simulated: a = 0 and b = 0 except one entry
    b = 1e-30. Then the largest ratio is 1e-30 / floor (1e-22 with the floor 1e-8), so the value reads the floor's
    size; no floor gives 1 (0/0 = nan where both are 0, unless cleaned). Run once per grading, only when a failed
    value fits both no floor and a floor of another size."""
    if "relerr floor probe" not in ctx.cache:
        a, b = np.zeros((2, 3)), np.zeros((2, 3))
        b[0, 1] = _FLOOR_PROBE_ENTRY
        try:
            value = ctx.session.call(ctx.component.name, None, a, b)
        except StudentError:
            value = None
        ctx.cache["relerr floor probe"] = (a, b, float(value)) if is_number(value) else None
    return ctx.cache["relerr floor probe"]


def _confirmation_pair(ctx: Context) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The submission's value on one more pair of arrays (entries of both signs, some with |a| + |b| above 1, a
    worst entry where b > a), against which a mistake that one case's number fits is checked. Run once per
    grading, only when a value has already failed and fitted a simulation."""
    if "relerr confirmation" not in ctx.cache:
        a, b = _relerr_inputs(ctx.rng("relerr", "confirmation"), "random", (3, 4))
        try:
            value = ctx.session.call(ctx.component.name, None, a.copy(), b.copy())
        except StudentError:
            value = None
        ctx.cache["relerr confirmation"] = (a, b, float(value)) if is_number(value) else None
    return ctx.cache["relerr confirmation"]


def _nan_cause(ctx: Context, a: np.ndarray, b: np.ndarray) -> tuple[str, str] | None:
    """A nan that several mistakes give (0/0 where a and b are both 0: no floor, or a floor taken with
    np.minimum): the submission run again without those entries, and the one mistake that gave nan here
    and reproduces that value too."""
    both = (a == 0) & (b == 0)
    if not both.any() or both.all():
        return None
    rest_a, rest_b = a[~both], b[~both]
    value = ctx.session.call(ctx.component.name, None, rest_a, rest_b)
    if not is_number(value):
        return None
    with np.errstate(all="ignore"):
        here, there = _relerr_variants(a, b), _relerr_variants(rest_a, rest_b)
    found = {
        tag.partition("#")[0]: text
        for tag, (candidate, text) in here.items()
        if math.isnan(float(candidate))
        and tag in there
        and math.isclose(
            float(there[tag][0]), float(value), rel_tol=settings.SAME_VALUE_RTOL, abs_tol=settings.ZERO_ATOL
        )
    }
    return next(iter(found.items())) if len(found) == 1 else None


def _relerr_inputs(rng: np.random.Generator, kind: str, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of ``shape`` (two axes, at least 2 x 3) made the ``kind`` way (a case's ``inputs``)."""
    a = rng.standard_normal(shape)
    b = a * (1 + rng.uniform(-0.01, 0.01, a.shape))
    if kind == "zeros":
        mask = rng.random(a.shape) < 0.4
        a[mask] = 0.0
        b[mask] = 0.0
        b[0, 0], a[0, 0] = 1e-10, 0.0  # below the floor: 1e-10 / 1e-8
    if kind in ("random", "zeros"):
        a[1, 2] = abs(a[1, 2]) + 0.5  # the worst entry has b > a, so a missing abs shows
        b[1, 2] = 1.5 * a[1, 2]
    if kind == "equal":
        b = a.copy()
    if kind == "opposite":
        b = -a + 0.1 * rng.standard_normal(a.shape)
    if kind == "nearly-equal":  # a passing gradient check: errors of a few 1e-9, below float32's resolution
        b = a * (1 + rng.uniform(-1e-8, 1e-8, a.shape))
    if kind == "tiny":  # one pair of tiny entries of opposite signs, |a| + |b| below the floor, decides the max
        a[0, 1], b[0, 1] = rng.uniform(1e-9, 3e-9), -rng.uniform(2e-9, 4e-9)
    return a, b


# One row per case of the entry (exercises/components.py), "value: <case>": arrays made the case's way.
@check("reference", "value", RELERR, per_case=True)
def relerr_case(ctx: Context, case: Case) -> Outcome:
    label, kind = f"value: {case.id}", case.inputs
    a, b = _relerr_inputs(ctx.rng("relerr", kind), kind, case.input_shape)
    expected = reference_class(ctx.component.name)(a, b)
    try:
        got = ctx.session.call(ctx.component.name, None, a, b)
    except StudentError as error:
        error.diagnosis = error.diagnosis or _array_truth_crash(error)
        raise
    what = f"relative_error(a, b) for arrays of shape {a.shape}"
    comparison = compare(got, np.asarray(expected))
    if comparison.ok or not is_number(got):
        return judge(label, got, np.asarray(expected), what)
    # One number: a factor or a pattern says nothing, only a simulated mistake does (nan for nan too).
    cause = _relerr_cause(a, b, float(got)) or _common_cause([(a, b, float(got))], ctx)
    fitted = cause is not None and cause[0] != "compared-with-itself"  # that one has a probe of its own below
    if fitted or (cause is None and _relerr_matches(a, b, float(got))):
        # One number of one case may fit a simulation by coincidence (or fit several): the mistake named must fit
        # a second pair too, which also tells apart the ones this case cannot.
        second = _confirmation_pair(ctx)
        cause = _common_cause([(a, b, float(got)), second], ctx) if second is not None else None
    muted = _decisive_entry_muted(a, b, float(got))
    if cause is not None and muted:  # any mistake that mutes that entry gives this: no claim
        return failed(label, f"{what}: {comparison.problem}. Observed: {muted}.")
    if cause is None and math.isnan(float(got)):
        cause = _nan_cause(ctx, a, b)
    rounded = rounded_to_decimals(np.asarray(float(got)), np.asarray(expected)) if cause is None else None
    if rounded is not None:  # the right value rounded (round(error, 6)): a reporting mistake, not the formula's
        return failed(label, f"{what}: {comparison.problem}. Cause: {rounded.text}.", rounded.tag, confidence=IS)
    if cause is None:
        return failed(label, f"{what}: {comparison.problem}.")
    if cause[0] == "compared-with-itself":  # 0 alone is also a constant: the nan probe names the array read twice
        if "relerr self-compared" not in ctx.cache:  # one probe per grading, however many rows failed
            ctx.cache["relerr self-compared"] = _self_compared(ctx)
        text, confidence = ctx.cache["relerr self-compared"]
        if not confidence:  # a constant 0, or a probe that said nothing: the observation only
            return failed(label, f"{what}: {comparison.problem}. Observed: {_SELF_COMPARED}.")
        return failed(label, f"{what}: {comparison.problem}. Cause: {text}.", cause[0], confidence=confidence)
    return failed(label, f"{what}: {comparison.problem}. Cause: {cause[1]}.", cause[0], confidence=IS)


@check("api", "signature", RELERR, interface=True)
def relerr_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns a float", RELERR)
def relerr_float(ctx: Context) -> Outcome:
    name = "returns a float"
    rng = ctx.rng("float")
    got = ctx.session.call(ctx.component.name, None, rng.standard_normal((3, 2)), rng.standard_normal((3, 2)))
    if (
        type(got) is float
        or isinstance(got, np.floating)
        or (isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind == "f")
    ):
        return passed(name)
    if isinstance(got, (bool, np.bool_)) or (isinstance(got, np.ndarray) and got.dtype.kind == "b"):
        return failed(
            name,
            f"relative_error(a, b) returned {describe_kind(got)}, a boolean: {BOOLEAN_RESULT}. The relative error "
            "is the largest entry-wise ratio itself; comparing it with a tolerance is the caller's test.",
            "boolean-result",
            confidence=IS,
        )
    return failed(
        name,
        f"relative_error(a, b) returned {describe_kind(got)}; "
        "it should return one float (the largest entry-wise ratio).",
        "wrong-type",
    )


@check("contracts", "the caller's a and b are left unchanged", RELERR)
def relerr_keeps_inputs(ctx: Context) -> Outcome:
    """The caller's float64 arrays themselves go in (np.asarray returns them as they are, no copy)."""
    name = "the caller's a and b are left unchanged"
    a, b = _relerr_inputs(ctx.rng("relerr", "keeps inputs"), "random", (3, 4))
    boxes = ctx.session.harness("array_box", a), ctx.session.harness("array_box", b)
    ctx.session.call_unboxed(ctx.component.name, None, *boxes)
    after = [np.asarray(ctx.session.get(box, "value")) for box in boxes]
    changed = [what for what, old, new in zip("ab", (a, b), after, strict=True) if not np.array_equal(old, new)]
    if not changed:
        return passed(name)
    which = " and ".join(changed)
    new = after[0] if changed[0] == "a" else after[1]
    into = next(
        (
            text
            for value, text in (
                (a - b, "a - b"),
                (b - a, "b - a"),
                (np.abs(a - b), "|a - b|"),
                (np.abs(a if changed[0] == "a" else b), f"|{changed[0]}|"),
            )
            if new.shape == value.shape and allclose(new, value, rtol=settings.EXACT_RTOL, atol=0.0)
        ),
        "",
    )
    verb = "hold" if len(changed) == 2 else "holds"
    held = f" now {verb} {into}" if into else f" no longer {verb} the values passed in"
    return failed(
        name,
        f"after relative_error(a, b) on two float64 arrays of shape (3, 4) the caller's {which}{held}: relative_error "
        "wrote into its argument (an out= into it, or an augmented assignment such as a -= b). np.asarray(a) and "
        "np.asarray(a, dtype=np.float64) make no copy of a float64 array, they return the caller's array itself; "
        "compute into new arrays (diff = np.abs(a - b)) and leave a and b as they were.",
        "modifies-input",
        confidence=IS,
    )


@check("properties", "symmetric, 0 for equal arrays, between 0 and 1, scale-free", RELERR)
def relerr_properties(ctx: Context) -> Outcome:
    name = "symmetric, 0 for equal arrays, between 0 and 1, scale-free"
    session = ctx.session
    strategy = st.tuples(shapes(1, 3, 5), st.sampled_from([1e-3, 1.0, 1e3]), st.booleans(), SEEDS)
    sure: dict[str, str] = {}  # the confidence of the tag a failing example ends with

    def call(a: np.ndarray, b: np.ndarray) -> float | None:
        value = session.call(ctx.component.name, None, a, b)
        return float(value) if is_number(value) else None

    def body(example: tuple[tuple[int, ...], float, bool, int]) -> Problem:
        shape, scale, zeros, drawn = example
        rng = example_rng(ctx, drawn)
        a, b = scale * rng.standard_normal(shape), scale * rng.standard_normal(shape)
        if zeros:
            mask = rng.random(shape) < 0.5
            a[mask], b[mask] = 0.0, 0.0
        about = f"(example: arrays of shape {shape} and scale {scale:g}{', some entries 0 in both' if zeros else ''})"
        ab, ba, aa = call(a, b), call(b, a), call(a, a.copy())
        if None in (ab, ba, aa):
            return f"relative_error did not return a number {about}.", "wrong-type"

        def problem(text: str, tag: str, *pairs: tuple[np.ndarray, np.ndarray, float]) -> Problem:
            """``text`` with the mistake a simulation reproduces on every pair, else as an observation."""
            found = _common_cause(list(pairs), ctx)
            if found is not None:
                found_tag, cause = found
                sure[found_tag] = IS
                return f"{text} Cause: {cause}.", found_tag
            sure[tag] = ""
            return text, tag

        ab_pair, ba_pair, aa_pair = (a, b, ab), (b, a, ba), (a, a, aa)
        if not all(math.isfinite(v) for v in (ab, ba, aa)):
            return problem(
                f"relative_error gave {fmt(ab)}, {fmt(ba)} (swapped) and {fmt(aa)} (a with itself); for finite "
                f"arrays it is a finite number in [0, 1] {about}.",
                "not-finite",
                *(pair for pair in (ab_pair, ba_pair, aa_pair) if not math.isfinite(pair[2])),
            )
        if not math.isclose(ab, ba, rel_tol=settings.EXACT_RTOL, abs_tol=settings.ZERO_ATOL):
            return problem(
                f"relative_error(a, b) = {fmt(ab)} but relative_error(b, a) = {fmt(ba)}; it is symmetric {about}.",
                "not-symmetric",
                ab_pair,
                ba_pair,
            )
        if aa != 0.0:
            return problem(f"relative_error(a, a) = {fmt(aa)}; it should be 0 {about}.", "not-zero", aa_pair)
        if not 0.0 <= ab <= 1.0:
            return problem(
                f"relative_error(a, b) = {fmt(ab)}; |a - b| <= |a| + |b|, so it lies in [0, 1] {about}.",
                "out-of-range",
                ab_pair,
                ba_pair,
            )
        if scale >= 1.0:
            scaled = call(1024 * a, 1024 * b)
            if scaled is None or not math.isclose(scaled, ab, rel_tol=settings.EXACT_RTOL):
                # Values that differ past fmt's digits are shown in full, so the two numbers do not read as equal.
                close = scaled is not None and fmt(scaled) == fmt(ab)
                seen, base = (f"{scaled:.17g}", f"{ab:.17g}") if close else (describe_value(scaled), fmt(ab))
                text = (
                    f"relative_error(1024 a, 1024 b) = {seen} but relative_error(a, b) = {base}; "
                    f"a relative error does not change when both arrays are scaled {about}."
                )
                largest = float(np.max(np.abs(a) + np.abs(b)))
                if scaled is None or largest == 0.0:
                    sure["not-relative"] = ""
                    return text, "not-relative"
                # Entries as small as the floor 1e-8, where the denominators students write differ most.
                tiny = 1e-8 / largest
                small = call(tiny * a, tiny * b)
                if small is None:
                    sure["not-relative"] = ""
                    return text, "not-relative"
                return problem(
                    f"{text[:-1]}; and for arrays scaled down to the floor (s a, s b with s = {tiny:.3g}) it gave "
                    f"{fmt(small)}.",
                    "not-relative",
                    ab_pair,
                    (1024 * a, 1024 * b, scaled),
                    (tiny * a, tiny * b, small),
                )
        return None

    outcome = hypothesis_check(ctx, name, strategy, body)
    return outcome if outcome.passed else replace(outcome, confidence=sure.get(outcome.misconception, ""))


def _same(first: float, last: float) -> bool:
    return first == last or (math.isnan(first) and math.isnan(last))


def _close(value: float, simulated: float) -> bool:
    """``value`` is the simulated number (nan for nan)."""
    if math.isnan(value) or math.isnan(simulated):
        return math.isnan(value) and math.isnan(simulated)
    return math.isclose(value, simulated, rel_tol=settings.SAME_VALUE_RTOL, abs_tol=settings.ZERO_ATOL)


def _running_max_new_first(ratios: list[float]) -> float:
    """worst = max(r, worst) over the ratios, the new ratio first: Python's max keeps its first argument unless
    the second is larger, so a nan is replaced by the next ratio and is kept only when it comes last."""
    worst = 0.0
    for r in ratios:
        worst = max(r, worst)
    return worst


# How a reduction over the entry-wise ratios treats a nan entry, simulated on the order check's two arrangements:
# (tag, the reduction, what it is). Python's max(...) keeps the first value unless a later one is larger, and every
# comparison with nan is False.
_NAN_ORDER_SIMULATIONS: tuple[tuple[str, Callable[[list[float]], float], str], ...] = (
    (
        "nan-hidden",
        max,
        "Python's max(...) over the ratios keeps a nan only when it comes first (every comparison with nan is "
        "False), so a nan gradient, the very bug a gradient check is for, can go unnoticed; np.max(ratio) returns "
        "nan wherever the nan sits",
    ),
    (
        "nan-hidden",
        _running_max_new_first,
        "a running maximum written worst = max(r, worst), the new ratio first: Python's max keeps its first "
        "argument unless the second is larger, and every comparison with nan is False, so a nan is replaced by the "
        "next ratio and survives only when it comes last; a nan gradient, the very bug a gradient check is for, can "
        "go unnoticed. np.max(ratio) returns nan wherever the nan sits",
    ),
    (
        "assigned-not-accumulated",
        lambda ratios: ratios[-1],
        "the result is the ratio of the last entry, not the largest: a loop over the entries assigned each new "
        "ratio (worst = r) where it meant to keep the largest so far (worst = max(worst, r)), so the nan counted "
        "only when it was last, and a bad entry anywhere but last passes the check; keep the running maximum, or "
        "take np.max of the entry-wise ratios",
    ),
    (
        "return-inside-loop",
        lambda ratios: ratios[0],
        "the result is the ratio of the first entry, not the largest: the return sits inside the loop over the "
        "entries (indented one level too deep), so the function returns after the first one and the nan counted "
        "only when it was first; every other entry is never looked at. Return after the loop, or take np.max of the "
        "entry-wise ratios",
    ),
)


def _order_cause(pairs: list[tuple[np.ndarray, np.ndarray, float]]) -> tuple[str, str] | None:
    """(tag, text) of the one way of reducing the ratios that gives the student's value on every pair
    ``(a, b, value)`` (a nan entry first, then last); None when none does or ways of different tags do."""
    found: dict[str, str] = {}
    for tag, reduce, text in _NAN_ORDER_SIMULATIONS:
        fits = True
        for a, b, value in pairs:
            with np.errstate(all="ignore"):
                ratios = (np.abs(a - b) / np.maximum(RELATIVE_ERROR_FLOOR, np.abs(a) + np.abs(b))).ravel().tolist()
            fits = fits and _close(value, float(reduce(ratios)))
        if fits:
            found.setdefault(tag, text)
    return next(iter(found.items())) if len(found) == 1 else None


@check("properties", "the result does not depend on where an entry sits (a nan entry too)", RELERR)
def relerr_order(ctx: Context) -> Outcome:
    """The largest ratio is the same for the entries in any order. A nan entry (a nan gradient)
    shows what Python's ``max`` does: it keeps nan only when nan comes first. Returning nan or
    skipping the nan entry are both left to the implementation (docs/api.md does not say which);
    only a result that depends on where the nan sits fails. The largest finite ratio sits at [0, 1],
    neither first nor last in either order, so a reduction that keeps the first or the last entry
    does not give the largest by chance."""
    name = "the result does not depend on where an entry sits (a nan entry too)"
    rng = ctx.rng("order")
    a = rng.standard_normal((2, 3))
    b = a * (1 + rng.uniform(-0.1, 0.1, a.shape))
    b[0, 1] = 1.5 * a[0, 1]  # ratio 0.2, above every other one (at most 0.1 / 1.9)
    for where in ("a", "b"):
        x, z = a.copy(), b.copy()
        (x if where == "a" else z)[0, 0] = np.nan
        rx, rz = x[::-1, ::-1].copy(), z[::-1, ::-1].copy()
        first = ctx.session.call(ctx.component.name, None, x, z)
        last = ctx.session.call(ctx.component.name, None, rx.copy(), rz.copy())
        if not (is_number(first) and is_number(last)):
            return failed(
                name,
                f"relative_error(a, b) with a nan entry in {where} returned {describe_kind(first)}; expected a float.",
                "wrong-type",
            )
        if _same(float(first), float(last)):
            continue
        seen = (
            f"relative_error(a, b) for arrays of shape (2, 3) with {where}[0, 0] = nan (the other entries finite) "
            f"returned {fmt(float(first))}, but with the entries of a and b in reverse order (the nan entry last) "
            f"it returned {fmt(float(last))}."
        )
        cause = _order_cause([(x, z, float(first)), (rx, rz, float(last))])
        if cause is not None:
            return failed(name, f"{seen} Cause: {cause[1]}.", cause[0], confidence=IS)
        if math.isnan(float(first)) != math.isnan(float(last)):
            return failed(
                name,
                f"{seen} A nan entry (a nan gradient, the very bug a gradient check is for) must not count or go "
                "unnoticed depending on where it sits; np.max(ratio) returns nan wherever the nan sits.",
                "order-dependent",
            )
        return failed(name, f"{seen} The largest entry-wise ratio does not depend on the order.", "order-dependent")
    return passed(name)
