"""The tolerance model: when is a student's array "equal" to the reference's?

Correct float64 code differs from the reference only by rounding, and rounding scales
with the magnitudes involved, not with the result (a sum of large terms can cancel to a
tiny one). So entry ``i`` may differ by

    RTOL * |expected_i|  +  ATOL_SCALE * scale

where ``scale`` is the largest magnitude of the expected array, or a larger magnitude the
caller knows the result was computed from (the inputs of a loss, the logits of a softmax).
The constants live in settings.py with their reasoning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from nnlab.graders import settings
from nnlab.graders.running.plain import Handle

# Objects that stay in the student's process come back as handles: their own type's name, never the handle's.
_CALLABLES = {"method": "method", "builtin_function_or_method": "method", "function": "function"}


def kind_name(value: Any) -> str:
    """The name of a value's type as the student wrote it ("float", "list", "method"), for a handle too."""
    name = value.type_name if isinstance(value, Handle) else type(value).__name__
    return _CALLABLES.get(name, name)


def is_callable_kind(value: Any) -> bool:
    """A method or function came back where a value belongs (``loss.item`` without its call)."""
    return isinstance(value, Handle) and value.type_name in _CALLABLES


@dataclass(frozen=True)
class Comparison:
    """How an actual value compares with the expected one.

    ``problem`` is empty when they agree; otherwise a sentence for the student.
    """

    ok: bool
    problem: str = ""
    index: tuple[int, ...] | None = None
    actual_value: float | None = None
    expected_value: float | None = None
    n_wrong: int = 0
    size: int = 0


def fmt(value: float) -> str:
    return f"{value:.{settings.REPORT_DIGITS}g}"


def fmt_pair(got: float, expected: float) -> tuple[str, str]:
    """Both numbers, with as many digits as it takes for them to read differently (up to 17)."""
    for digits in range(settings.REPORT_DIGITS, 18):
        a, e = f"{got:.{digits}g}", f"{expected:.{digits}g}"
        if a != e:
            return a, e
    return a, e


def as_array(value: Any) -> np.ndarray | None:
    """A plain numeric array for ``value`` (an array, a float, a list of floats), else None."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (bool, int, float, np.generic)):
        return np.asarray(value)
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            return None
        return array if array.dtype.kind in "biuf" else None
    return None


def allclose(
    a: Any, b: Any, rtol: float = settings.NUMPY_RTOL, atol: float = settings.NUMPY_ATOL, equal_nan: bool = False
) -> bool:
    """``np.allclose(a, b, rtol, atol, equal_nan)``, to the bit, at a third of its cost.

    The diagnosis compares simulated mistakes with the student's arrays tens of thousands of
    times per grading, on arrays of a few dozen entries, where numpy's argument handling costs
    more than the arithmetic. Same formula as ``np.isclose``: ``|a - b| <= atol + rtol * |b|``
    where b is finite, or a == b (equal infinities); nan is close only to nan, with ``equal_nan``.
    """
    x, y = np.asarray(a), np.asarray(b)
    if x.dtype.kind not in "biuf" or y.dtype.kind not in "biuf":
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))
    if y.dtype.kind != "f":
        y = y.astype(np.float64)  # as np.isclose does: an integer or boolean b compares as floats
    with np.errstate(invalid="ignore"):
        close = (np.abs(x - y) <= atol + rtol * np.abs(y)) & np.isfinite(y) | (x == y)
        if equal_nan:
            close |= np.isnan(x) & np.isnan(y)
    return bool(close.all())


def close_to_each(
    rows: np.ndarray, value: np.ndarray, rtol: float = settings.NUMPY_RTOL, atol: float = settings.NUMPY_ATOL
) -> np.ndarray:
    """``[allclose(row, value, rtol, atol) for row in rows]`` in one pass over the stacked ``rows``
    (shape ``(n, *value.shape)``): one candidate against many, without a Python loop."""
    y = np.asarray(value)
    if y.dtype.kind != "f":
        y = y.astype(np.float64)
    with np.errstate(invalid="ignore"):
        close = (np.abs(rows - y) <= atol + rtol * np.abs(y)) & np.isfinite(y) | (rows == y)
    return close.reshape(len(rows), -1).all(axis=1)


def tolerance(expected: np.ndarray, scale: float | None = None, rtol: float = settings.RTOL) -> np.ndarray:
    magnitude = float(np.max(np.abs(expected))) if expected.size else 0.0
    scale = max(magnitude, scale or 0.0, settings.ATOL_FLOOR)
    return rtol * np.abs(expected) + settings.ATOL_SCALE * scale


def _comparable(actual: Any, expected: np.ndarray) -> np.ndarray | None:
    """``actual`` as a float array shaped like ``expected``, or None where no entry can be compared."""
    array = as_array(actual)
    if array is None or array.dtype.kind not in "biuf":
        return None
    if array.shape != expected.shape:
        if array.size != 1 or expected.size != 1:
            return None
        array = array.reshape(expected.shape)
    return array.astype(np.float64)


def _wrong(array: np.ndarray, expected: np.ndarray, scale: float | None, rtol: float) -> np.ndarray:
    """The entries outside the tolerance: not finite, or farther than it from the expected value."""
    wrong = ~np.isfinite(array) | (np.abs(array - expected) > tolerance(expected, scale, rtol))
    wrong &= ~(np.isnan(array) & np.isnan(expected))  # nan expected (never, in practice) is nan
    return wrong


def agrees(actual: Any, expected: np.ndarray, scale: float | None = None, rtol: float = settings.RTOL) -> bool:
    """``agrees(actual, expected, scale, rtol)``, without the sentence a disagreement needs.

    The diagnosis asks this of every simulated mistake against the student's numbers and of
    simulated mistakes against each other, tens of thousands of times, and most of them
    disagree: the sentence (the first wrong index, its values to the digits that differ) cost
    more than the comparison.
    """
    expected = np.asarray(expected, dtype=np.float64)
    array = _comparable(actual, expected)
    return array is not None and not _wrong(array, expected, scale, rtol).any()


def agrees_rowwise(actual: np.ndarray, expected: np.ndarray, rtol: float = settings.RTOL) -> np.ndarray:
    """``[agrees(a, e, rtol=rtol) for a, e in zip(actual, expected)]`` in one pass over float arrays stacked to the
    same shape ``(n, ...)``: each row's tolerance scales with that row's own largest ``|expected|``, as
    :func:`tolerance` does for one array."""
    a = actual.reshape(len(actual), -1)
    e = expected.reshape(len(expected), -1)
    scale = np.maximum(np.abs(e).max(axis=1, initial=0.0), settings.ATOL_FLOOR)
    with np.errstate(invalid="ignore", over="ignore"):
        wrong = ~np.isfinite(a) | (np.abs(a - e) > rtol * np.abs(e) + settings.ATOL_SCALE * scale[:, None])
    wrong &= ~(np.isnan(a) & np.isnan(e))
    return ~wrong.any(axis=1)


def compare(actual: Any, expected: np.ndarray, scale: float | None = None, rtol: float = settings.RTOL) -> Comparison:
    """Compare entry by entry; report the first wrong index with both values."""
    expected = np.asarray(expected, dtype=np.float64)
    array = _comparable(actual, expected)
    if array is None:
        found = as_array(actual)
        if found is None:
            return Comparison(False, f"expected an array of shape {expected.shape}, got {kind_name(actual)}")
        if found.dtype.kind not in "biuf":
            return Comparison(False, f"expected real numbers, got dtype {found.dtype}")
        return Comparison(False, f"expected shape {expected.shape}, got shape {found.shape}")
    finite = np.isfinite(array)
    wrong = _wrong(array, expected, scale, rtol)
    if not wrong.any():
        return Comparison(True, size=array.size)
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    a, e = float(array[index]), float(expected[index])
    n = int(wrong.sum())
    where = f"at index {index}" if array.ndim else "the value"
    shown = fmt_pair(a, e)
    problem = f"{n} of {array.size} entries differ; first {where}: expected {shown[1]}, got {shown[0]}"
    if not finite.all() and np.isfinite(expected).all():
        problem = f"got {'nan' if np.isnan(array).any() else 'inf'} where the true value is finite; " + problem
    return Comparison(False, problem, index, a, e, n, array.size)
