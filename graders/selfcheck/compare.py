"""Is a result right, and if not, where does it differ and why?

``compare`` checks entry by entry with the rounding model of settings.py and reports the
first wrong entry with both values (as many digits as it takes to tell them apart).
``diagnose`` then tests the hypotheses a teaching assistant would: a factor of N, 2 or -1,
a transpose, a per-sample gradient never summed, nan from an overflow, float32 arithmetic,
or one of the known mistakes stored with the fixture (``variants``). Only a hypothesis the
numbers confirm is named; otherwise the message says what differs and where, and guesses
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .settings import DEFAULT, Settings


def as_array(value: Any) -> np.ndarray | None:
    """A plain numeric array for ``value`` (an array, a number, a list of numbers), else None."""
    if isinstance(value, np.ndarray):
        return value if value.dtype.kind in "biuf" else None
    if isinstance(value, (bool, int, float, np.generic)):
        array = np.asarray(value)
        return array if array.dtype.kind in "biuf" else None
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            return None
        return array if array.dtype.kind in "biuf" else None
    return None


def fmt(value: float, s: Settings = DEFAULT) -> str:
    return f"{value:.{s.report_digits}g}"


def fmt_pair(got: float, expected: float, s: Settings = DEFAULT) -> tuple[str, str]:
    """Both numbers, with as many digits as it takes for them to read differently (up to 17)."""
    a, e = fmt(got, s), fmt(expected, s)
    for digits in range(s.report_digits, 18):
        a, e = f"{got:.{digits}g}", f"{expected:.{digits}g}"
        if a != e:
            break
    return a, e


def describe(value: Any) -> str:
    """What a call returned, in a few words: "an array of shape (3,) and dtype float32"."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if value is None:
        return "None"
    return f"{type(value).__name__} {value!r}"[:120]


@dataclass(frozen=True)
class Comparison:
    ok: bool
    problem: str = ""


def compare(
    actual: Any, expected: Any, scale: float | None = None, rtol: float | None = None, s: Settings = DEFAULT
) -> Comparison:
    """Entry by entry; the first wrong index with both values, or ok."""
    expected = np.asarray(expected, dtype=np.float64)
    array = as_array(actual)
    if array is None:
        return Comparison(False, f"expected an array of shape {expected.shape}, got {describe(actual)}")
    if array.shape != expected.shape:
        if array.size == expected.size == 1:
            array = array.reshape(expected.shape)
        else:
            return Comparison(False, f"expected shape {expected.shape}, got shape {array.shape}")
    array = array.astype(np.float64)
    magnitude = float(np.max(np.abs(expected))) if expected.size else 0.0
    bound = (s.rtol if rtol is None else rtol) * np.abs(expected) + s.atol_scale * max(
        magnitude, scale or 0.0, s.atol_floor
    )
    finite = np.isfinite(array)
    wrong = ~finite | (np.abs(array - expected) > bound)
    wrong &= ~(np.isnan(array) & np.isnan(expected))
    if not wrong.any():
        return Comparison(True)
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    got, want = fmt_pair(float(array[index]), float(expected[index]), s)
    where = f"first at index {index}" if array.ndim else "the value"
    problem = f"{int(wrong.sum())} of {array.size} entries differ; {where}: got {got}, expected {want}"
    if array.ndim == 0:
        problem = f"got {got}, expected {want}"
    if not finite.all() and np.isfinite(expected).all():
        problem = f"got {'nan' if np.isnan(array).any() else 'inf'} where the true value is finite; {problem}"
    return Comparison(False, problem)


# ------------------------------------------------------------------------------- diagnosis
def _matches(actual: np.ndarray, candidate: np.ndarray) -> bool:
    return candidate.shape == actual.shape and compare(actual, candidate, rtol=1e-6).ok


def _factor(c: float, batch: int | None, size: int) -> str | None:
    named = [(-1.0, "has the wrong sign (check the direction of the derivative or of the update)")]
    if batch and batch > 1:
        named += [
            (float(batch), f"is {batch}x too large: N = {batch} is the batch size, so a mean was computed as a sum"),
            (1.0 / batch, f"is {batch}x too small: divided by the batch size N = {batch} once too often"),
        ]
    if size > 1 and size != batch:
        named += [
            (float(size), f"is {size}x too large: a mean over all {size} entries is missing"),
            (1.0 / size, f"is {size}x too small: divided by the number of entries ({size}) once too often"),
        ]
    named += [
        (2.0, "is exactly 2x too large: a factor 2 too many"),
        (0.5, "is exactly half the right value: a factor 2 is missing (the 2 of a square's derivative?)"),
        (-2.0, "has the wrong sign and a factor 2 too many"),
        (-0.5, "has the wrong sign and misses a factor 2"),
    ]
    for value, text in named:
        if np.isclose(c, value, rtol=1e-6):
            return text
    return None


def diagnose(
    actual: Any,
    expected: Any,
    what: str = "the result",
    batch: int | None = None,
    variants: Mapping[str, tuple[np.ndarray, str]] | None = None,
    related: Mapping[str, np.ndarray] | None = None,
    s: Settings = DEFAULT,
) -> str | None:
    """The first hypothesis the numbers confirm, as a sentence; or None."""
    array = as_array(actual)
    expected = np.asarray(expected, dtype=np.float64)
    if array is None:
        if actual is None:
            return f"{what} is None: the method has no `return` (or returns nothing)"
        return None
    if array.dtype == np.float32:
        return f"{what} is float32; results must be float64 (a float32 buffer, or float32 input not converted)"
    if array.dtype.kind in "biu" and expected.dtype.kind == "f":
        return f"{what} has integer dtype {array.dtype}: integer arithmetic truncates; use float arrays"
    for _tag, (value, text) in (variants or {}).items():
        if _matches(array, np.asarray(value)):
            return text
    if array.shape != expected.shape:
        return _shape_diagnosis(array, expected, what, batch)
    array = array.astype(np.float64)
    if not np.isfinite(array).all() and np.isfinite(expected).all():
        return (
            f"{what} holds nan or inf where the true value is finite: an overflow (exp of a large number, "
            "log of 0, 0/0); use a numerically stable formula"
        )
    precision = _low_precision(array, expected, what, s)
    if precision is not None:
        return precision
    for name, value in (related or {}).items():
        value = np.asarray(value)
        if value.shape == expected.shape and not np.allclose(value, expected) and _matches(array, value):
            return f"{what} equals {name}: it was passed through or returned unchanged"
    if not np.any(array) and np.any(expected):
        return f"{what} is all zeros: nothing was computed or accumulated into it"
    if array.ndim == 2 and array.shape[0] == array.shape[1] > 1 and _matches(array, expected.T):
        return f"{what} is the transpose of the right value"
    rows = expected.reshape(expected.shape[0], -1) if expected.ndim >= 2 else expected
    if rows.ndim == 2 and min(rows.shape) > 1 and not (array.ndim == 2 and rows.shape[0] == rows.shape[1]):
        if _matches(array, rows.T.reshape(expected.shape)):
            return (
                f"{what} is the transpose of the right value (shape {rows.T.shape}) reshaped to {expected.shape}: "
                "check the order of the matrix product"
            )
    dot = float(np.vdot(expected, expected))
    if dot > 0 and expected.size > 1:
        c = float(np.vdot(array, expected)) / dot
        if np.allclose(array, c * expected, rtol=1e-6, atol=1e-9 * np.max(np.abs(expected))):
            if np.isclose(c, 1.0, rtol=1e-3):
                return None
            named = _factor(c, batch, expected.size)
            return f"{what} {named}" if named else f"{what} is off by a constant factor of {fmt(c, s)}"
    elif dot > 0 and expected.size == 1 and array.size == 1:
        c = float(array.reshape(())) / float(expected.reshape(()))
        named = _factor(c, batch, 0) if np.isfinite(c) else None
        if named and not np.isclose(c, 1.0, rtol=1e-3):
            return f"{what} {named}"
    return None


def _low_precision(array: np.ndarray, expected: np.ndarray, what: str, s: Settings) -> str | None:
    typical = float(np.mean(np.abs(expected))) if expected.size else 0.0
    if typical == 0.0 or not np.isfinite(array).all():
        return None
    relative = np.abs(array - expected) / np.maximum(np.abs(expected), typical)
    worst = float(np.max(relative))
    if not s.precision_band[0] < worst < s.precision_band[1] or float(np.mean(relative > s.precision_band[0])) < 0.5:
        return None
    digits = int(np.floor(-np.log10(worst)))
    return (
        f"{what} agrees with the right value to only about {digits} significant digits everywhere: it was "
        "computed in float32 somewhere (a float32 buffer, .astype(np.float32)) or with an approximation; "
        "compute in float64 with the exact formula"
    )


def _shape_diagnosis(array: np.ndarray, expected: np.ndarray, what: str, batch: int | None) -> str:
    if array.ndim == 2 and array.shape == expected.T.shape:
        if _matches(array.T, expected):
            return f"{what} has shape {array.shape}: it is the transpose of the right value, shape {expected.shape}"
        return (
            f"{what} has shape {array.shape}; expected {expected.shape} (the transposed shape: check the "
            "order of the matrix product)"
        )
    if batch and array.ndim == expected.ndim + 1 and array.shape[0] == batch and array.shape[1:] == expected.shape:
        return (
            f"{what} has shape {array.shape} but should be {expected.shape}: it holds one gradient per sample; "
            "a parameter's gradient is summed over the batch axis"
        )
    if array.size == expected.size and _matches(array.reshape(expected.shape), expected):
        return f"{what} has the right values but shape {array.shape}; expected {expected.shape}"
    return f"{what} has shape {array.shape}, expected {expected.shape}"


def judge(
    actual: Any,
    expected: Any,
    what: str,
    *,
    scale: float | None = None,
    rtol: float | None = None,
    batch: int | None = None,
    variants: Mapping[str, tuple[np.ndarray, str]] | None = None,
    related: Mapping[str, np.ndarray] | None = None,
    s: Settings = DEFAULT,
) -> str | None:
    """None when ``actual`` is right; else one sentence: what differs, where, and the likely cause."""
    result = compare(actual, expected, scale=scale, rtol=rtol, s=s)
    if result.ok:
        array = as_array(actual)
        if array is not None and array.dtype == np.float32:
            return f"{what} is float32; results must be float64"
        return None
    text = f"{what}: {result.problem}"
    short = what.rsplit(": ", 1)[-1]  # the quantity alone: the case is already named once
    cause = diagnose(actual, expected, short, batch=batch, variants=variants, related=related, s=s)
    if cause:
        text += f". Likely cause: {cause}"
    array = as_array(actual)
    expected = np.asarray(expected)
    if array is not None and array.shape == expected.shape and array.ndim == 4 and not cause:
        wrong = ~np.isclose(
            array.astype(np.float64), expected, rtol=1e-6, atol=1e-9 * max(1.0, float(np.max(np.abs(expected))))
        )
        if array.shape[2] > 2 and array.shape[3] > 2 and wrong.any() and not wrong[:, :, 1:-1, 1:-1].any():
            text += ". Only entries on the border are wrong: padding is likely handled incorrectly"
    return text
