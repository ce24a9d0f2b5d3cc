"""Name the misconception behind a wrong array, from the evidence.

Given what a student's code returned and what it should have, each detector tests one
hypothesis a teaching assistant would: is it off by a constant factor (the batch size, 2,
-1)? transposed? not summed over the batch? a nan from an overflow? equal to what a known
buggy variant computes (Adam without bias correction, dropout without rescaling)? Only a
hypothesis the numbers confirm is reported; when none fits, the report says what differs
and where, and guesses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import settings
from .tolerance import as_array, compare, fmt


@dataclass(frozen=True)
class Diagnosis:
    tag: str
    text: str


def _matches(actual: np.ndarray, candidate: np.ndarray) -> bool:
    return candidate.shape == actual.shape and compare(actual, candidate, rtol=1e-6).ok


def _factor_name(c: float, batch: int | None, size: int | None) -> tuple[str, str] | None:
    named = [(-1.0, "sign-flipped", "has the wrong sign (check the direction of the derivative or update)")]
    if batch and batch > 1:
        named += [
            (
                float(batch),
                "times-batch-size",
                f"is {batch}x too large: N = {batch} is the batch size, "
                "so a mean was computed as a sum (or a division by N is missing)",
            ),
            (
                1.0 / batch,
                "divided-by-batch-size",
                f"is {batch}x too small: divided by the batch size "
                f"N = {batch} once too often (or a sum was computed as a mean)",
            ),
        ]
    if size and size > 1 and size != batch:
        named += [
            (float(size), "times-size", f"is {size}x too large: a mean over all {size} entries is missing"),
            (
                1.0 / size,
                "divided-by-size",
                f"is {size}x too small: divided by the number of entries ({size}) once too often",
            ),
        ]
    named += [
        (2.0, "times-two", "is exactly 2x too large: a factor 2 too many (a square's derivative 2x applied twice?)"),
        (0.5, "half", "is exactly half the right value: a factor 2 is missing (a square's derivative 2x? a 1/(1-p)?)"),
        (-2.0, "sign-and-two", "has the wrong sign and a factor 2 too many"),
        (-0.5, "sign-and-half", "has the wrong sign and is missing a factor 2"),
    ]
    for value, tag, text in named:
        if np.isclose(c, value, rtol=1e-6):
            return tag, text
    return None


def diagnose(
    actual: object,
    expected: np.ndarray,
    *,
    what: str = "the result",
    batch: int | None = None,
    variants: Mapping[str, tuple[np.ndarray, str]] | None = None,
    related: Mapping[str, np.ndarray] | None = None,
) -> Diagnosis | None:
    """The first hypothesis the numbers confirm, or None.

    Args:
        actual: the student's value.
        expected: the reference value.
        what: the name of the quantity, for the sentence ("the weight gradient").
        batch: the batch size N, to recognise sums and means confused.
        variants: ``tag -> (value a known mistake gives, explanation)``.
        related: arrays the student may have returned by mistake, ``name -> array``
            (the input, the upstream gradient): "returned grad_y unchanged".
    """
    array = as_array(actual)
    expected = np.asarray(expected, dtype=np.float64)
    if array is None:
        if actual is None:
            return Diagnosis("returned-none", f"{what} is None: the method has no `return` (or returns nothing)")
        return None
    if array.dtype == np.float32:
        return Diagnosis(
            "float32",
            f"{what} is float32; results must be float64 (an array was created "
            "with dtype=np.float32, or float32 input was not converted)",
        )
    if array.dtype.kind in "biu" and expected.dtype.kind == "f":
        return Diagnosis(
            "integer-dtype",
            f"{what} has integer dtype {array.dtype}: integer arithmetic "
            "truncates; use float arrays (e.g. np.zeros(shape) rather than np.zeros_like(int_array))",
        )
    for tag, (value, text) in (variants or {}).items():
        if _matches(array, np.asarray(value)):
            return Diagnosis(tag.partition("#")[0], text)  # "tag#2": one of several variants of a tag
    if array.shape != expected.shape:
        return _shape_diagnosis(array, expected, what, batch)
    array = array.astype(np.float64)
    if not np.isfinite(array).all() and np.isfinite(expected).all():
        return Diagnosis(
            "overflow",
            f"{what} holds nan or inf where the true value is finite: an overflow "
            "(exp of a large number, log of 0, 0/0); use a numerically stable formula",
        )
    precision = _low_precision(array, expected, what)
    if precision is not None:
        return precision
    for name, value in (related or {}).items():
        value = np.asarray(value)
        if value.shape != expected.shape:  # (Maxout's y is not shaped like its x)
            continue
        if not np.allclose(value, expected) and _matches(array, value):
            return Diagnosis(
                f"returned-{name.replace(' ', '-')}",
                f"{what} equals {name}: it was passed through or returned unchanged",
            )
    if not np.any(array) and np.any(expected):
        return Diagnosis(
            "all-zero",
            f"{what} is all zeros: nothing was computed or accumulated into it "
            "(assigning to a local copy, or `=` on a temporary, instead of `+=` on the array?)",
        )
    if array.ndim == 2 and array.shape[0] == array.shape[1] and array.shape[0] > 1 and _matches(array, expected.T):
        return Diagnosis("transposed", f"{what} is the transpose of the right value")
    rows = expected.reshape(expected.shape[0], -1) if expected.ndim >= 2 else expected
    if rows.ndim == 2 and min(rows.shape) > 1 and not (array.ndim == 2 and rows.shape[0] == rows.shape[1]):
        if _matches(array, rows.T.reshape(expected.shape)):
            return Diagnosis(
                "transposed",
                f"{what} is the transpose of the right value (shape "
                f"{rows.T.shape}), reshaped to {expected.shape}: check the order of the matrix product",
            )
    dot = float(np.vdot(expected, expected))
    if dot > 0:
        c = float(np.vdot(array, expected)) / dot
        if np.allclose(array, c * expected, rtol=1e-6, atol=1e-9 * np.max(np.abs(expected))):
            if np.isclose(c, 1.0, rtol=1e-3):  # a small relative error (eps, rounding), not a factor
                return None
            named = _factor_name(c, batch, expected.size)
            if named is not None:
                return Diagnosis(named[0], f"{what} {named[1]}")
            if expected.size == 1:
                return None  # any two numbers differ by some factor: that says nothing
            return Diagnosis("constant-factor", f"{what} is off by a constant factor of {fmt(c)}")
    return None


def _low_precision(array: np.ndarray, expected: np.ndarray, what: str) -> Diagnosis | None:
    """Every entry right to 5-9 significant digits, none more wrong: float32 arithmetic (or an
    approximate formula), not a mistake in the maths, which shows far larger errors."""
    typical = float(np.mean(np.abs(expected))) if expected.size else 0.0
    if typical == 0.0 or not np.isfinite(array).all():
        return None
    # Entries smaller than the typical magnitude (cancellations) are measured against it.
    relative = np.abs(array - expected) / np.maximum(np.abs(expected), typical)
    worst = float(np.max(relative))
    # Rounding touches (nearly) every entry; a mistake in one term of a formula need not.
    spread = float(np.mean(relative > settings.PRECISION_BAND[0]))
    if not settings.PRECISION_BAND[0] < worst < settings.PRECISION_BAND[1] or spread < 0.5:
        return None
    digits = int(np.floor(-np.log10(worst)))
    return Diagnosis(
        "low-precision",
        f"{what} agrees with the right value to only about {digits} significant digits everywhere: it was "
        "computed in float32 somewhere (a dtype=np.float32 buffer, .astype(np.float32)) or with an "
        "approximation (e.g. of erf); compute in float64 with the exact formula",
    )


def _shape_diagnosis(array: np.ndarray, expected: np.ndarray, what: str, batch: int | None) -> Diagnosis:
    if array.shape == expected.T.shape and array.ndim == 2:
        if _matches(array.T, expected):
            return Diagnosis(
                "transposed",
                f"{what} has shape {array.shape} and is the transpose of the right value, shape {expected.shape}",
            )
        return Diagnosis(
            "transposed-shape",
            f"{what} has shape {array.shape}; expected {expected.shape} "
            "(the transposed shape: check the order of the matrix product)",
        )
    if batch and array.ndim == expected.ndim + 1 and array.shape[0] == batch and array.shape[1:] == expected.shape:
        if _matches(array.sum(axis=0), expected):
            return Diagnosis(
                "not-summed-over-batch",
                f"{what} has shape {array.shape} but should be "
                f"{expected.shape}: it is the per-sample gradient; sum it over the batch axis",
            )
        return Diagnosis(
            "not-summed-over-batch",
            f"{what} has shape {array.shape}, expected {expected.shape}: "
            "a gradient of a parameter must be summed over the batch",
        )
    if array.size == expected.size:
        if _matches(array.reshape(expected.shape), expected):
            return Diagnosis(
                "wrong-shape", f"{what} has the right values but shape {array.shape}; expected {expected.shape}"
            )
        return Diagnosis(
            "wrong-shape",
            f"{what} has shape {array.shape}, expected {expected.shape} "
            "(same number of entries: a reshape or transpose in the wrong order?)",
        )
    return Diagnosis("wrong-shape", f"{what} has shape {array.shape}, expected {expected.shape}")


def localise(actual: np.ndarray, expected: np.ndarray, border: int | tuple[int, int] | None = None) -> str:
    """Where the wrong entries of an image-shaped array are: only on the border? one channel?"""
    if actual.shape != expected.shape or actual.ndim != 4:
        return ""
    if _low_precision(actual.astype(np.float64), expected, "") is not None:
        return ""  # rounding errors are everywhere; where the first few show up says nothing
    wrong = ~np.isclose(actual, expected, rtol=1e-6, atol=1e-9 * max(1.0, float(np.max(np.abs(expected)))))
    if not wrong.any():
        return ""
    H, W = actual.shape[2:]
    # Only meaningful when there is an interior that is right (with H or W <= 2 every entry is on the border).
    inner_ok = H > 2 and W > 2 and not wrong[:, :, 1:-1, 1:-1].any()
    if inner_ok:
        return " Only entries on the border are wrong: padding is likely handled incorrectly."
    return ""
