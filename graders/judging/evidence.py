"""The evidence in a wrong array: which entries are wrong, and what they have in common.

A teaching assistant looking at a wrong gradient asks: is every entry off by the same factor?
Are only some entries wrong, and are those the entries with x > 0, one channel, the border?
Each function here answers one such question from the numbers alone. diagnose.py turns the
answers into sentences and decides which of them single out a mistake; nothing here guesses.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from nnlab.graders import settings

from .tolerance import allclose, fmt, tolerance

# A mistake confined to a subset may still give the right value on some of its entries by
# chance (a zero upstream gradient, a zero input): up to this share of the subset may be right.
CHANCE = 0.25
# A subset is a claim only when it is a minority of the entries: "every entry with x > 0 is
# wrong" says little when nearly every entry has x > 0.
MINORITY = 0.75
# A border of width b is evidence only when the interior it leaves is this share of the image
# (and at least 4 entries): with a 3x3 image, 8 of 9 entries are "on the border".
INTERIOR = 0.25
RTOL = settings.SIMULATION_RTOL  # "equal" for a simulation: far tighter than grading, so chance does not match


@dataclass(frozen=True)
class Subset:
    """A named set of entries of the expected array, which one mistake would get wrong alone.

    Attributes:
        mask: boolean, the expected array's shape (or broadcastable to it).
        observation: what the entries have in common, a verb phrase in the singular that
            completes "every wrong entry ...": ``"has x > 0"``, ``"is in the correct-class column"``.
        mistake: the mistake that gets exactly these entries wrong (a sentence), or None: then
            the subset is an observation only.
        tag: internal name of that mistake.
    """

    mask: np.ndarray
    observation: str
    mistake: str | None = None
    tag: str = ""
    # "offset": the mistake is claimed only when every wrong entry is off by one same constant
    # (a branch that lost a constant term), not merely when the wrong entries are these;
    # "constant": only when every wrong entry holds one same value (a formula that lost its x);
    # "not-divided": not when every wrong entry is its right value divided by a whole number >= 2 (a sum over
    # the windows that hold an entry averaged over them: that mistake's numbers, not the subset's).
    needs: str = ""


def wrong_entries(actual: np.ndarray, expected: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Which entries differ, by the tolerance model of tolerance.py (nan and inf are wrong)."""
    array = actual.astype(np.float64)
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(array) | (np.abs(array - expected) > tolerance(expected, scale))


def same(actual: np.ndarray, candidate: np.ndarray) -> bool:
    """Does ``candidate`` (what a simulated mistake gives) reproduce ``actual``?"""
    candidate = np.asarray(candidate)
    if candidate.shape != actual.shape:
        return False
    magnitude = float(np.max(np.abs(candidate))) if candidate.size else 0.0
    return bool(allclose(actual, candidate, rtol=RTOL, atol=settings.ATOL_SCALE * max(magnitude, settings.ZERO_ATOL)))


def constant_factor(actual: np.ndarray, expected: np.ndarray) -> float | None:
    """The c with ``actual == c * expected`` entry by entry, if there is one."""
    dot = float(np.vdot(expected, expected))
    if dot == 0 or not np.isfinite(actual).all():
        return None
    c = float(np.vdot(actual, expected)) / dot
    atol = settings.ATOL_SCALE * float(np.max(np.abs(expected)))
    return c if allclose(actual, c * expected, rtol=RTOL, atol=atol) else None


def constant_offset(actual: np.ndarray, expected: np.ndarray) -> float | None:
    """The d != 0 with ``actual == expected + d`` entry by entry, if there is one (a constant term
    added or lost: alpha e^x where alpha (e^x - 1) belongs is the right value plus alpha)."""
    if actual.size < 2 or not np.isfinite(actual).all():
        return None
    difference = actual - expected
    d = float(np.mean(difference))
    magnitude = max(float(np.max(np.abs(expected))), abs(d))
    if d == 0 or not allclose(difference, d, rtol=0, atol=RTOL * magnitude):
        return None
    return d


def constant_value(actual: np.ndarray, expected: np.ndarray) -> float | None:
    """The c that every entry of ``actual`` equals while the right values vary, if there is one
    (slope where slope * x belongs: the formula lost its x)."""
    if actual.size < 2 or not np.isfinite(actual).all():
        return None
    c = float(np.mean(actual))
    atol = RTOL * max(float(np.max(np.abs(expected))), abs(c))
    if not allclose(actual, c, rtol=0, atol=atol) or allclose(expected, expected.flat[0], rtol=0, atol=atol):
        return None
    return c


def needs_met(subset: Subset, actual: np.ndarray, expected: np.ndarray) -> bool:
    """Do the wrong entries (``actual`` against ``expected``) have the form ``subset.needs`` asks for?"""
    if subset.needs == "offset":
        return constant_offset(actual, expected) is not None
    if subset.needs == "constant":
        return constant_value(actual, expected) is not None
    if subset.needs == "not-divided":
        return not divided_by_counts(actual, expected)
    return True


def divided_by_counts(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Is every entry of ``actual`` its right value divided by a whole number of 2 or more (a count)?"""
    if actual.size == 0 or not np.all(actual != 0) or not np.isfinite(actual).all():
        return False
    counts = expected / actual
    whole = np.round(counts)
    return bool(np.all(whole >= 2) and allclose(counts, whole, rtol=RTOL, atol=0))


def factor_words(c: float) -> str:
    """``4 -> "4 times"``, ``1/12 -> "1/12 of"``, ``0.8 -> "4/5 of"``, ``-1 -> "-1 times"``:
    how many times the right value an entry is, as a fraction when it is a simple one."""
    fraction = Fraction(abs(c)).limit_denominator(16)
    simple = fraction != 0 and np.isclose(float(fraction), abs(c), rtol=RTOL)
    sign = "-" if c < 0 else ""
    if simple and fraction.denominator == 1:
        return f"{sign}{fraction.numerator} times"
    if simple and fraction < 1:
        return f"{sign}{fraction} of"
    if simple:
        return f"{sign}{fmt(c)} ({sign}{fraction}) times"
    inverse = 1.0 / abs(c)
    if np.isclose(inverse, round(inverse), rtol=RTOL) and round(inverse) > 1:
        return f"{sign}1/{round(inverse)} of"
    return f"{fmt(c)} times"


def relation(actual: np.ndarray, expected: np.ndarray) -> str:
    """How the wrong entries compare with their right values, as a verb phrase that completes
    "every wrong entry ..." ("is 0 in yours", "has the wrong sign"), or ""."""
    if actual.size < 2 or not np.isfinite(actual).all():
        return ""
    if not np.any(actual):
        return "is 0 in yours"
    value = constant_value(actual, expected)
    if value is not None and abs(value) <= RTOL * float(np.max(np.abs(expected))):
        # entries that differ only by rounding around 0 (a floor of 1e-12 reached): no "same number" to report
        return "is about 0 in yours"
    if value is not None:
        return f"is {fmt(value)} in yours, one same number whatever its right value"
    c = constant_factor(actual, expected)
    if c is None or np.isclose(c, 1.0, rtol=settings.FACTOR_NEAR_ONE_RTOL):
        d = constant_offset(actual, expected)
        return "" if d is None else f"is {fmt(abs(d))} {'more' if d > 0 else 'less'} than its right value"
    if np.isclose(c, -1.0, rtol=RTOL):
        return "has the wrong sign"
    return f"is {factor_words(c)} its right value"


# ------------------------------------------------------------------------------- subsets
def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# What one index of each axis is, by the number of axes: (N, D), (N, C, L), (N, C, H, W).
AXIS_PHRASES = {
    2: ("is in row {i} (sample {i})", "is in column {i}"),
    3: ("is in sample {i}", "is in channel {i}", "is at position {i} of the last axis (one step of the sequence)"),
    4: ("is in sample {i}", "is in channel {i}", "is in row {i} of the image", "is in column {i} of the image"),
}
BORDER_WIDTHS = 3  # borders of width 1 to 3: padding is rarely wider


def generic_subsets(wrong: np.ndarray) -> dict[str, Subset]:
    """Subsets any array of this shape has that could hold the wrong entries: one sample, one
    channel, one row or column, one position of a sequence (observations only), and the border of
    an image (padding). Only the slices that hold every wrong entry are built: cheap on any size."""
    subsets: dict[str, Subset] = {}
    if wrong.size < 4:
        return subsets
    for axis, phrase in enumerate(AXIS_PHRASES.get(wrong.ndim, ())):
        n = wrong.shape[axis]
        if n < 2:
            continue
        touched = np.flatnonzero(wrong.any(axis=tuple(a for a in range(wrong.ndim) if a != axis)))
        if len(touched) != 1:
            continue
        i = int(touched[0])
        mask = np.zeros(wrong.shape, dtype=bool)
        mask[(slice(None),) * axis + (i,)] = True
        last = " (the last)" if i == n - 1 and axis >= 2 else ""
        subsets[f"axis{axis}={i}"] = Subset(mask, phrase.format(i=i) + last)
    if wrong.ndim == 4:
        subsets.update(border_subsets(wrong.shape))
    return subsets


def border_subsets(shape: tuple[int, ...]) -> dict[str, Subset]:
    """The entries within b of an edge of an (N, C, H, W) image, for every b that leaves a real interior."""
    H, W = shape[2:]
    subsets = {}
    for b in range(1, min(BORDER_WIDTHS, min(H, W) // 2) + 1):
        interior = (H - 2 * b) * (W - 2 * b)
        if interior < max(4, INTERIOR * H * W):
            break
        rows, cols = np.arange(H), np.arange(W)
        edge = ((rows < b) | (rows >= H - b))[:, None] | ((cols < b) | (cols >= W - b))[None, :]
        subsets[f"border{b}"] = Subset(
            np.broadcast_to(edge, shape),
            f"is on the border of the image (within {_plural(b, 'entry')} of an edge)",
            "padding is handled incorrectly: only the entries near the edges, where padding matters, are wrong",
            "border-only",
        )
    return subsets


@dataclass(frozen=True)
class Fit:
    """How the wrong entries sit in a subset: ``exact`` (they are the subset, up to chance)
    or ``within`` (every wrong entry is in it, among right ones)."""

    name: str
    subset: Subset
    size: int
    exact: bool


def fits(wrong: np.ndarray, subsets: Mapping[str, Subset]) -> list[Fit]:
    """Every subset that holds all the wrong entries and is not the whole array, most specific first."""
    n_wrong, total = int(wrong.sum()), wrong.size
    found = []
    for name, subset in subsets.items():
        mask = np.broadcast_to(np.asarray(subset.mask, dtype=bool), wrong.shape)
        size = int(mask.sum())
        if size == total or size < 2 or (wrong & ~mask).any():
            continue
        exact = n_wrong >= (1 - CHANCE) * size
        if exact or n_wrong >= 2:  # one wrong entry is "within" everything: the index says it all
            found.append(Fit(name, subset, size, exact))
    return sorted(found, key=lambda f: (not f.exact, f.size))


def claimable(fit: Fit, total: int) -> bool:
    """A subset singles out its mistake when the wrong entries are that subset and it is a minority."""
    return fit.exact and fit.subset.mistake is not None and fit.size <= MINORITY * total


def observe(fit: Fit, n_wrong: int) -> str:
    """The sentence of an observation: "every wrong entry has x > 0 (3 of the 5 such entries)"."""
    phrase = fit.subset.observation
    if fit.exact and n_wrong == fit.size:
        return f"the wrong entries are exactly the {fit.size} entries that {_plural_verb(phrase)}"
    return f"every wrong entry {phrase} ({n_wrong} of the {fit.size} such entries)"


def _plural_verb(phrase: str) -> str:
    """``"has x > 0" -> "have x > 0"``, ``"is in channel 1" -> "are in channel 1"``: of the entries."""
    verb, _, rest = phrase.partition(" ")
    plural = {"is": "are", "has": "have", "was": "were", "does": "do"}.get(verb)
    if plural is None:
        plural = verb[:-1] if verb.endswith("s") else verb
    return f"{plural} {rest}".strip()


# ------------------------------------------------------------------------------- order of the entries
def rearrangement(actual: np.ndarray, expected: np.ndarray) -> tuple[str, str] | None:
    """The right entries in the wrong order, as ``(tag, phrase)``: permuted axes or one axis reversed."""
    if expected.ndim >= 3:
        for perm in itertools.permutations(range(expected.ndim)):
            if perm == tuple(range(expected.ndim)):
                continue
            moved = expected.transpose(perm)
            if moved.shape != actual.shape:
                if moved.shape[0] != actual.shape[0]:
                    continue
                moved = moved.reshape(actual.shape)  # a reshape of the permuted array (flatten order)
            if not np.array_equal(moved, expected) and same(actual, moved):
                return (
                    "axes-permuted",
                    f"holds the right entries with the axes in the order {perm} instead of "
                    f"{tuple(range(expected.ndim))}: a transpose, or a reshape that mixes up the axes",
                )
    for axis in range(expected.ndim):
        if expected.shape[axis] < 2:
            continue
        flipped = np.flip(expected, axis)
        if not np.array_equal(flipped, expected) and same(actual, flipped):
            return (
                "reversed-axis",
                f"holds the right entries in reverse order along axis {axis}: an index counted from the wrong end",
            )
    return None


def shifted(actual: np.ndarray, expected: np.ndarray) -> str:
    """The right entries moved by one along an axis (an off-by-one index), as a phrase, or ""."""
    for axis in range(expected.ndim):
        n = expected.shape[axis]
        if n < 3:
            continue
        for step, words in ((1, "one later"), (-1, "one earlier")):
            take = [slice(None)] * expected.ndim
            give = [slice(None)] * expected.ndim
            if step > 0:
                take[axis], give[axis] = slice(1, None), slice(None, -1)
            else:
                take[axis], give[axis] = slice(None, -1), slice(1, None)
            a, e = actual[tuple(take)], expected[tuple(give)]
            if np.any(e) and not np.array_equal(a, expected[tuple(take)]) and same(a, e):
                return (
                    f"yours is the right value shifted by one along axis {axis} (entry i holds what belongs at "
                    f"index i {'- 1' if step > 0 else '+ 1'}, {words}): an off-by-one index"
                )
    return ""
