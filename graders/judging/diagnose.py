"""Name the misconception behind a wrong array, from the evidence.

Given what a student's code returned and what it should have, each detector tests one
hypothesis a teaching assistant would: is it what a known buggy variant computes (Adam
without bias correction, dropout without rescaling)? off by a factor that is a quantity of
the case (the batch size, 1/(H'W'), 1 - p)? transposed? Only entries with x > 0 wrong?

Every finding has a confidence. A simulation that reproduces the numbers (a variant, an
exact factor, a transpose) says what the mistake *is*; a pattern that fits only one mistake
(the wrong entries are exactly the border) says what it *looks like*; evidence that fits
several mistakes, or none, is reported as what was observed, with no cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from nnlab.graders import settings
from nnlab.graders.results import OBSERVATIONS

from .evidence import (
    Subset,
    border_subsets,
    claimable,
    constant_factor,
    factor_words,
    fits,
    generic_subsets,
    needs_met,
    observe,
    rearrangement,
    relation,
    same,
    shifted,
    wrong_entries,
)
from .tolerance import agrees, allclose, as_array, fmt

__all__ = ["IS", "LOOKS_LIKE", "Diagnosis", "Finding", "Subset", "diagnose", "explain", "localise"]

# How sure a diagnosis is (Outcome.confidence).
IS = "is"  # a simulated mistake reproduces the student's numbers
LOOKS_LIKE = "looks like"  # only a pattern of the evidence fits, and it fits this mistake alone

# A method's result is None when it has no `return`, and as well when what it returns is the result of a call that
# gives None: the two read the same from outside, so the sentence says both.
RETURNED_NONE = (
    "the method has no `return` (or returns nothing), or what it returns is the result of a call that gives None: an "
    "in-place method such as ndarray.resize, ndarray.sort, list.sort or np.copyto changes its object and returns "
    "None, so `return g.resize(shape)` returns None (g.reshape(shape) returns a new array)"
)
# Booleans come from a comparison (or a logical operation) or from an array made like a boolean one, whose dtype
# turns every number written into it into True or False: the values alone do not tell these apart, so both are said.
BOOLEAN_RESULT = (
    "True and False where the API asks for float64 numbers: the result of a comparison (such as x > 0, or error < "
    "tolerance) returned, or an array made from a boolean one (np.zeros_like(mask), mask.copy()), which keeps dtype "
    "bool and turns every number written into it into True or False. Return numbers, not a test of them: make the "
    "array with a float dtype (np.zeros(x.shape), or dtype=np.float64); a mask of 1.0 and 0.0 is .astype(np.float64)"
)


@dataclass(frozen=True)
class Diagnosis:
    """A misconception the evidence supports.

    Attributes:
        tag: internal name of the mistake (reports and statistics; never shown in a sentence).
        text: the mistake, as a phrase for the student (no final period).
        confidence: ``"is"`` when a simulation (a variant, an exact factor, a transpose)
            reproduces the student's numbers, ``"looks like"`` when only a pattern fits.
    """

    tag: str
    text: str
    confidence: str = IS


@dataclass(frozen=True)
class Finding:
    """What the evidence shows: an observation (where, and how the wrong entries relate to the
    right ones) and, when the evidence singles one out, the misconception.

    ``tag`` is the diagnosis's tag or, without one, the observation's (``all-zero``,
    ``constant-factor``, ``wrong-shape``): an observation tag is no claim, its confidence is "".
    """

    observation: str = ""
    diagnosis: Diagnosis | None = None
    observed_tag: str = ""

    @property
    def tag(self) -> str:
        return self.diagnosis.tag if self.diagnosis else self.observed_tag

    @property
    def confidence(self) -> str:
        return self.diagnosis.confidence if self.diagnosis else ""

    def sentences(self) -> str:
        """The observation and the misconception, as they follow "expected ..., got ..." in a row."""
        text = f" Observed: {self.observation}." if self.observation else ""
        if self.diagnosis is None:
            return text
        if self.diagnosis.confidence == IS:
            return text + f" Cause: {self.diagnosis.text}."
        return text + f" Looks like: {self.diagnosis.text} (the pattern fits; not confirmed)."


Factors = Mapping[float, tuple[str, str | None]]


def diagnose(
    actual: object,
    expected: np.ndarray,
    *,
    what: str = "the result",
    batch: int | None = None,
    variants: Mapping[str, tuple[np.ndarray, str]] | None = None,
    related: Mapping[str, np.ndarray] | None = None,
    subsets: Mapping[str, Subset] | None = None,
    factors: Factors | None = None,
    shapes: Mapping[tuple[int, ...], tuple[Any, ...]] | None = None,
    scale: float | None = None,
) -> Diagnosis | None:
    """The misconception the evidence singles out, or None; the arguments are :func:`explain`'s."""
    hints = {"variants": variants, "related": related, "subsets": subsets, "factors": factors, "shapes": shapes}
    return explain(actual, expected, what=what, batch=batch, scale=scale, **hints).diagnosis


def explain(
    actual: object,
    expected: np.ndarray,
    *,
    what: str = "the result",
    batch: int | None = None,
    variants: Mapping[str, tuple[np.ndarray, str]] | None = None,
    related: Mapping[str, np.ndarray] | None = None,
    subsets: Mapping[str, Subset] | None = None,
    factors: Factors | None = None,
    shapes: Mapping[tuple[int, ...], tuple[Any, ...]] | None = None,
    scale: float | None = None,
) -> Finding:
    """What the evidence shows about a wrong ``actual``; run only once a comparison failed.

    Args:
        actual: the student's value.
        expected: the reference value.
        what: the name of the quantity, for the sentence ("the weight gradient").
        batch: the batch size N, to recognise sums and means confused.
        variants: ``tag -> (value a known mistake gives, the mistake)``; "tag#2" for a second
            variant of the same mistake.
        related: arrays the student may have returned by mistake, ``name -> array``
            (the input, the upstream gradient): "returned grad_y unchanged".
        subsets: sets of entries a known mistake gets wrong alone (the x > 0 branch, the
            correct-class column); a subset with no mistake is an observation only.
        factors: ``factor -> (tag, the mistake)`` for the quantities of this case (1/(H'W'),
            1 - p, the kernel area): "divided by H'W' = 12 twice" when every entry is 1/12 of
            the right value. A mistake of None marks a value several quantities share (p and
            1 - p at p = 0.5): no claim, and no generic guess either.
        shapes: ``wrong shape -> (tag, the mistake)``: the output shapes that known formula
            mistakes give (the missing +1, the stride ignored); ``(tag, the mistake, True)`` for a
            mistake in the number of entries only, refuted when the entries both shapes hold differ.
        scale: the magnitude the result was computed from (tolerance.py).
    """
    array = as_array(actual)
    expected = np.asarray(expected, dtype=np.float64)
    if array is None:
        if actual is None:
            return _is("returned-none", f"{what} is None: {RETURNED_NONE}")
        return Finding()
    if array.dtype == np.float32:
        return _is(
            "float32",
            f"{what} is float32; results must be float64 (an array was created "
            "with dtype=np.float32, or float32 input was not converted)",
        )
    if array.dtype.kind == "b" and expected.dtype.kind == "f":
        return _is("boolean-result", f"{what} holds booleans: {BOOLEAN_RESULT}")
    # (A bare int where an array belongs, an `else 0` branch, is first of all no array: its shape says that.)
    if array.dtype.kind in "biu" and expected.dtype.kind == "f" and (array.ndim or not expected.ndim):
        return _is(
            "integer-dtype",
            f"{what} has integer dtype {array.dtype}: integer arithmetic "
            "truncates; use float arrays (e.g. np.zeros(shape) rather than np.zeros_like(int_array))",
        )
    if array.dtype.kind not in "biuf":
        return Finding()
    # A variant that gives the right value on this case (within grading's tolerance) cannot explain a wrong one:
    # an answer off by float32's rounding matches it only because simulations compare more loosely than grading.
    matched = {
        tag.partition("#")[0]: text
        for tag, (value, text) in (variants or {}).items()
        if (same(array, value) or _same_non_finite(array, value, expected))
        and not (np.shape(value) == expected.shape and agrees(value, expected, scale=scale))
    }
    if len(matched) == 1 and not matched.keys() & _OUTRANK_ROUNDING and array.shape == expected.shape:
        # Whole numbers that the right values rounded down also give (a batch size of 1 where every loss is
        # in [1, 2)): rounding explains them as well as the variant does, so the case cannot tell them apart.
        rounded = _rounded(array.astype(np.float64), expected, what)
        if rounded is not None and rounded.diagnosis is not None and rounded.diagnosis.confidence == IS:
            matched["rounded-values"] = rounded.diagnosis.text
    if matched:
        where = _where(array.astype(np.float64), expected, subsets, scale) if array.shape == expected.shape else ""
        if len(matched) > 1:  # the case cannot tell these mistakes apart: a claim needs a case where they differ
            return Finding(
                (where + "; " if where else "") + f"{what} is what {len(matched)} different known mistakes all give "
                "on this case, so this case does not say which one it is"
            )
        tag, text = next(iter(matched.items()))
        if tag in OBSERVATIONS:  # a simulation that reproduces the numbers of several mistakes alike: no cause
            return Finding((where + "; " if where else "") + text, None, tag)
        return Finding(where, Diagnosis(tag, text))
    if array.shape != expected.shape:
        return _shape_finding(array, expected, what, batch, shapes or {})
    array = array.astype(np.float64)
    if not np.isfinite(array).all() and np.isfinite(expected).all():
        if np.isinf(array).any():
            return _is(
                "overflow",
                f"{what} holds nan or inf where the true value is finite: an overflow "
                "(exp of a large number, log of 0, 0/0); use a numerically stable formula",
            )
        # nan alone: the square root or log of a negative number gives it as surely as inf - inf or inf / inf
        # after an overflow, and 0 / 0 does too; nan does not say which, so no cause is claimed.
        return Finding(f"{what} holds nan where the true value is finite: {NAN_SOURCES}", None, "non-finite")
    # Before the precision rule: rounded to 6 decimals, a value of size 1 is also right to ~6 significant digits.
    decimals = rounded_to_decimals(array, expected)
    if decimals is not None:
        return Finding("", decimals)
    precision = _low_precision(array, expected, what)
    if precision is not None:
        return Finding("", precision)
    for name, value in (related or {}).items():
        value = np.asarray(value)
        if value.shape != expected.shape:  # (Maxout's y is not shaped like its x)
            continue
        if not allclose(value, expected) and same(array, value):
            return _is(
                f"returned-{name.replace(' ', '-')}",
                f"{what} equals {name}: it was passed through or returned unchanged",
            )
    if not np.any(array) and np.any(expected):
        # Many mistakes leave zeros (nothing accumulated, a branch never taken, a mask of
        # zeros): only a variant that reproduces them (checked above) may name one.
        return Finding(f"{what} is all zeros", None, "all-zero")
    transposed = _transposed(array, expected, what)
    if transposed is not None:
        return Finding("", transposed)
    order = rearrangement(array, expected)
    if order is not None:
        return _is(order[0], f"{what} {order[1]}")
    rounded = _rounded(array, expected, what)
    if rounded is not None:
        return rounded
    clipped = _clipped(array, expected, what)
    if clipped is not None:
        return clipped
    if expected.size > 0:
        c = constant_factor(array, expected)
        if c is not None:
            finding = _factor_finding(c, what, batch, expected.size, factors or {})
            # A factor no quantity of the case explains, that leaves a round norm: the gradient clipped by its norm.
            return (finding.diagnosis is None and _norm_clipped(array, expected, what)) or finding
    return _subset_finding(array, expected, subsets, scale)


# Variants that rounding cannot rival: rounding itself, and an update that never reached the array (the result
# discarded), which leaves it at its starting value in every entry (an input cast to int is rounding too, of a
# named quantity, so it says more than a rounded result); rounding the right values lands there only by
# the coincidence of their integer parts (a running variance of 1.3 beside its starting 1).
_OUTRANK_ROUNDING = frozenset({"rounded-values", "result-discarded", "int-truncates-input"})


# Where a nan comes from: the observation the generic rule states when no simulated mistake reproduces it.
NAN_SOURCES = (
    "nan comes from an invalid operation: the square root or log of a negative number, 0 / 0, or inf - inf and "
    "inf / inf after an overflow (exp of a large number); look for the one the formula meets on this input"
)


def _same_non_finite(array: np.ndarray, value: np.ndarray, expected: np.ndarray) -> bool:
    """A variant that gives nan or inf (a 0 / 0 the mistake makes) where the right value is finite reproduces
    ``array`` when it is non-finite in exactly the same entries, alike, and the same everywhere else."""
    value = np.asarray(value)
    if value.shape != array.shape or value.dtype.kind != "f" or not np.isfinite(expected).all():
        return False
    finite = np.isfinite(value)
    if finite.all() or not finite.any():
        return False
    with np.errstate(invalid="ignore"):
        alike = np.array_equal(np.isnan(array), np.isnan(value)) and np.array_equal(
            np.isposinf(array), np.isposinf(value)
        )
    return alike and np.array_equal(np.isfinite(array), finite) and same(array[finite], value[finite])


def _is(tag: str, text: str) -> Finding:
    return Finding("", Diagnosis(tag, text, IS))


# ------------------------------------------------------------------------------- factors
def _batch_factors(batch: int | None) -> list[tuple[float, str, str]]:
    if not batch or batch < 2:
        return []
    return [
        (
            float(batch),
            "times-batch-size",
            f"N = {batch} is the batch size: a mean was computed as a sum (or a division by N is missing)",
        ),
        (
            1.0 / batch,
            "divided-by-batch-size",
            f"N = {batch} is the batch size: divided by N once too often (or a sum was computed as a mean)",
        ),
    ]


def _size_factors(size: int, batch: int | None) -> list[tuple[float, str, str]]:
    """The number of entries: a weaker explanation, tried when no quantity of the case fits."""
    if size < 2 or size == batch:
        return []
    return [
        (float(size), "times-size", f"{size} is the number of entries: a mean over all {size} entries is missing"),
        (1.0 / size, "divided-by-size", f"{size} is the number of entries: divided by it once too often"),
    ]


# Factors with no quantity of the case behind them: the factor is exact, its reason a guess.
_GENERIC = [
    (-1.0, "sign-flipped", IS, "the sign is wrong (check the direction of the derivative or update)"),
    # No guess at where the 2 comes from: a square's derivative means nothing for a layer without one,
    # and a 2 that is a quantity of the case (1/(1-p) at p = 0.5) is the caller's factor, tried first.
    (2.0, "times-two", LOOKS_LIKE, "a factor 2 too many (a 2 of the formula applied twice?)"),
    (0.5, "half", LOOKS_LIKE, "a factor 2 is missing (a 2 of the formula left out?)"),
    (-2.0, "sign-and-two", LOOKS_LIKE, "the sign is wrong and there is a factor 2 too many"),
    (-0.5, "sign-and-half", LOOKS_LIKE, "the sign is wrong and a factor 2 is missing"),
]


def _factor_finding(c: float, what: str, batch: int | None, size: int, factors: Factors) -> Finding:
    """Every entry is c times the right one: name c when one quantity of the case is c."""
    if np.isclose(c, 1.0, rtol=settings.FACTOR_NEAR_ONE_RTOL):  # a small relative error, not a factor
        return Finding()
    subject = what if size == 1 else f"every entry of {what}"
    if np.isclose(c, -1.0, rtol=settings.SIMULATION_RTOL):
        observation = f"{subject} has the wrong sign"
    else:
        observation = f"{subject} is {factor_words(c)} the right value"
    # The quantities of the case first (the caller's and the batch size), then the number of entries.
    case = [(value, tag, text) for value, (tag, text) in factors.items()] + _batch_factors(batch)
    for tier in (case, _size_factors(size, batch)):
        matches = {tag: text for value, tag, text in tier if np.isclose(c, value, rtol=settings.SIMULATION_RTOL)}
        if len(matches) == 1 and None in matches.values():  # a value two quantities share (p = 1 - p)
            matches[""] = ""
        if len(matches) == 1:
            tag, text = next(iter(matches.items()))
            return Finding(observation, Diagnosis(tag, text, IS))
        if len(matches) > 1:  # the batch size is also the number of channels: the factor cannot tell
            return Finding(
                f"{observation}; {fmt(c)} is more than one quantity of this case, so the factor alone does not "
                "say which mistake it is",
                None,
                "constant-factor",
            )
    for value, tag, confidence, text in _GENERIC:
        if np.isclose(c, value, rtol=settings.SIMULATION_RTOL):
            return Finding(observation, Diagnosis(tag, text, confidence))
    if size == 1:
        return Finding()  # any two numbers differ by some factor: that says nothing
    return Finding(observation, None, "constant-factor")


# ------------------------------------------------------------------------------- where
def _where(array: np.ndarray, expected: np.ndarray, subsets: Mapping[str, Subset] | None, scale: float | None) -> str:
    """An observation of where the wrong entries are, for a diagnosis made otherwise ("" if none)."""
    return _subset_finding(array, expected, subsets, scale, claims=False).observation


def _subset_finding(
    array: np.ndarray,
    expected: np.ndarray,
    subsets: Mapping[str, Subset] | None,
    scale: float | None,
    claims: bool = True,
) -> Finding:
    """Which entries are wrong and what they have in common; a claim when a subset singles out a mistake."""
    if expected.size < 2 or not np.isfinite(array).all():
        return Finding()
    wrong = wrong_entries(array, expected, scale)
    n_wrong = int(wrong.sum())
    if n_wrong == 0:
        return Finding()
    found = fits(wrong, {**generic_subsets(wrong), **(subsets or {})})
    how = relation(array[wrong], expected[wrong]) if n_wrong >= 2 else ""
    moved = shifted(array, expected) if claims else ""
    if not found:
        which = "every entry" if n_wrong == expected.size else "every wrong entry"
        return Finding(moved or (f"{which} {how}" if how else ""))
    # A subset whose mistake needs a form of the wrong values (a constant offset, one same value) that
    # they do not have cannot be claimed; the others may then single out their mistake.
    candidates = [
        f for f in found if claimable(f, expected.size) and needs_met(f.subset, array[wrong], expected[wrong])
    ]
    mistakes = {f.subset.tag or f.subset.mistake for f in candidates}
    chosen = candidates[0] if claims and len(mistakes) == 1 else found[0]
    observation = observe(chosen, n_wrong) + (f"; each {how}" if how else "")
    if chosen is found[0] and moved:
        observation += f"; {moved}"
    if chosen.subset.mistake is None or not claims or len(mistakes) != 1:
        return Finding(observation)
    return Finding(observation, Diagnosis(chosen.subset.tag or "subset", chosen.subset.mistake, LOOKS_LIKE))


# ------------------------------------------------------------------------------- rules
def _transposed(array: np.ndarray, expected: np.ndarray, what: str) -> Diagnosis | None:
    if array.ndim == 2 and array.shape[0] == array.shape[1] > 1 and same(array, expected.T):
        return Diagnosis("transposed", f"{what} is the transpose of the right value")
    rows = expected.reshape(expected.shape[0], -1) if expected.ndim >= 2 else expected
    if rows.ndim == 2 and min(rows.shape) > 1 and not (array.ndim == 2 and rows.shape[0] == rows.shape[1]):
        if same(array, rows.T.reshape(expected.shape)):
            return Diagnosis(
                "transposed",
                f"{what} is the transpose of the right value (shape "
                f"{rows.T.shape}), reshaped to {expected.shape}: two axes were read in swapped order (a transpose "
                "or swapaxes, or a reshape that reads the axes in another order; in a component that multiplies "
                "matrices, the factors of the product in the wrong order)",
            )
    return None


_ROUNDINGS = (
    (np.floor, "rounded down (floor): a `//` (floor division) or np.floor on a float path; divide with `/`"),
    (np.trunc, "truncated toward 0: int(), .astype(int) or np.trunc on a float path"),
)  # not np.round: round(sigmoid(x)) is a step function, a mistake of its own


def _rounded(array: np.ndarray, expected: np.ndarray, what: str) -> Finding | None:
    """Every entry a whole number (or a multiple of 1/k) where the right values are not: rounding."""
    if array.size < 2 or not np.any(array) or not np.isfinite(expected).all():
        return None
    for k in range(1, 17):  # a sum rounded, then divided by k: multiples of 1/k
        scaled, right = array * k, expected * k
        if not allclose(scaled, np.round(scaled), rtol=0, atol=settings.WHOLE_NUMBER_ATOL):
            continue
        if np.mean(~np.isclose(right, np.round(right), rtol=0, atol=settings.WHOLE_NUMBER_ATOL)) < 0.5:
            return None  # the right values are (mostly) whole too: rounding would not show
        unit = "an integer" if k == 1 else f"a multiple of 1/{k}"
        observation = f"every entry of {what} is {unit}; the right values are not"
        for rounding, text in _ROUNDINGS:
            if same(array, rounding(right) / k):
                scope = "" if k == 1 else f" before the division by {k}"
                return Finding(observation, Diagnosis("rounded-values", f"the values were {text}{scope}", IS))
        binary = np.isin(scaled, (0, 1)).all()  # a step or a mask, rather than rounding
        if not binary and np.all(np.abs(scaled - right) < 1):  # each entry moved by less than one step
            return Finding(
                observation,
                Diagnosis(
                    "rounded-values",
                    f"the values were rounded to {unit} on a float path (`//`, int(), astype(int), round)",
                    LOOKS_LIKE,
                ),
            )
        return None
    return None


# Why a gradient must not be clipped where it is computed (the sentence of both kinds of clipping).
_EXACT_GRADIENT = (
    "backward must return the exact derivative of forward; clipping against exploding gradients is a training "
    "choice, made outside the layer on all the gradients at once (after backward, before the step), never inside "
    "backward, where it silently changes the gradient every caller and check relies on"
)


def _round(value: float) -> bool:
    """A bound someone writes in code: at most two significant digits (1, 5, 0.5, 10, 2.5)."""
    return value > 0 and bool(np.isclose(value, float(f"{value:.2g}"), rtol=settings.SIMULATION_RTOL, atol=0))


def _clipped(array: np.ndarray, expected: np.ndarray, what: str) -> Finding | None:
    """A gradient clipped entry by entry: every entry beyond a round bound c, on either side, set to +-c and the
    others exact (np.clip(g, -c, c))."""
    if "gradient" not in what or array.size < 2 or array.shape != expected.shape or not np.isfinite(expected).all():
        return None
    bound = float(np.max(np.abs(array)))
    above, below = expected > bound * (1 + settings.SIMULATION_RTOL), expected < -bound * (1 + settings.SIMULATION_RTOL)
    beyond = above | below
    # Both sides cut: one bound for either sign is the clip (a mistake that caps one sign, or that gives a few
    # entries one same value, as a hinge's true class given -1/N, is not a clip of the gradient).
    if _round(bound) and above.any() and below.any() and same(array, np.clip(expected, -bound, bound)):
        n, b = int(beyond.sum()), fmt(bound)
        return Finding(
            f"the {n} entries of {what} whose right value lies beyond +-{b} are +-{b} in yours; every other entry is "
            "right",
            Diagnosis(
                "gradient-clipped",
                f"{what} was clipped to [-{b}, {b}] (np.clip): {_EXACT_GRADIENT}",
            ),
        )
    return None


def _norm_clipped(array: np.ndarray, expected: np.ndarray, what: str) -> Finding | None:
    """A gradient scaled down so that its norm is a round number: clipped by its norm (g * max_norm / ||g||)."""
    if "gradient" not in what or array.size < 2 or array.shape != expected.shape:
        return None
    norm, right = float(np.linalg.norm(array)), float(np.linalg.norm(expected))
    if _round(norm) and right > norm * (1 + settings.SIMULATION_RTOL) and same(array, expected * (norm / right)):
        return Finding(
            f"{what} points in the right direction, but its norm is {fmt(norm)} where the right one is {fmt(right)}",
            Diagnosis(
                "gradient-clipped",
                f"{what} was rescaled to norm {fmt(norm)} (clipped by its norm, g * max_norm / ||g||): "
                f"{_EXACT_GRADIENT}",
            ),
        )
    return None


def rounded_to_decimals(array: np.ndarray, expected: np.ndarray) -> Diagnosis | None:
    """Every entry the right value rounded to d decimals: round(x, d), np.round or a formatted string read back,
    kept where the exact value belongs. The simulation is exact, so it is a claim; d = 0 is left to ``_rounded``
    (round() of a probability is a step, a mistake of its own)."""
    array, expected = np.asarray(array, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if array.shape != expected.shape or not np.isfinite(array).all() or not np.isfinite(expected).all():
        return None
    magnitude = max(float(np.max(np.abs(expected))), settings.ZERO_ATOL)

    def close(value: np.ndarray, target: np.ndarray) -> np.ndarray:
        # Tighter than ``same``: float32 arithmetic leaves errors of the size of a rounding to 7 decimals.
        return np.isclose(value, target, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL * magnitude)

    # Many decimals of one number could match by chance (float32's error is about a rounding to 7 decimals), and
    # so could few: a single wrong number with one or two decimals (0.4, a count over a batch of 5) is common.
    for d in range(1, 9) if array.size > 1 else range(3, 7):
        rounded = np.round(expected, d)
        moved = ~close(rounded, expected)
        # Evidence is an entry the rounding moved to a value with decimals left: one moved to a whole number (0 for
        # a tiny right value) is what many mistakes give, and an entry it did not move says nothing.
        if not np.any(moved & (rounded != np.round(rounded))):
            continue
        if close(array, rounded).all():
            return Diagnosis(
                "rounded-values",
                f"every value is the right one rounded to {d} decimal{'s' if d > 1 else ''} (round(x, {d}), "
                "np.round, or a formatted string read back): keep the exact values, round only where they are "
                "printed",
                IS,
            )
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
        LOOKS_LIKE,
    )


def _shape_finding(
    array: np.ndarray,
    expected: np.ndarray,
    what: str,
    batch: int | None,
    shapes: Mapping[tuple[int, ...], tuple[Any, ...]],
) -> Finding:
    known = shapes.get(tuple(array.shape))
    if known is not None:  # the shape a known formula mistake gives
        tag, text, *count_only = known
        if tag == "wrong-shape":  # a shape several mistakes give: what it is, with no cause
            return Finding(text, None, tag)
        # A mistake in how many entries there are (an output-size formula) leaves the entries both
        # shapes hold right: where they differ too, the shape does not single that mistake out.
        if count_only and count_only[0] and _overlap_differs(array, expected):
            return Finding(
                f"{what} has shape {array.shape}, and where it overlaps the right shape {expected.shape} its values "
                "are wrong too: more than the number of entries is wrong",
                None,
                "wrong-shape",
            )
        return Finding("", Diagnosis(tag, text, LOOKS_LIKE))
    if array.ndim == 0 and expected.ndim > 0 and "gradient" in what:
        # A number where an array belongs: numpy broadcasts it in later arithmetic, but every other layer indexes,
        # reshapes or sums the gradient it receives entry by entry.
        zeros = float(array) == 0.0 and not np.any(expected)
        return _is(
            "gradient-not-shaped-like-input",
            f"{what} is the single number {float(array):g}, shape (), where an array of shape {expected.shape} "
            "belongs: a gradient has one entry per entry of what it is the gradient of"
            + (" (a derivative of zero is an array of zeros, np.zeros_like(x))" if zeros else ""),
        )
    if array.shape == expected.T.shape and array.ndim == 2:
        # The right entries in the right (row-major) order, laid out in the swapped shape: a reshape
        # given its sizes the wrong way round. Where a side is 1 the transpose lays them out the same.
        reshaped = same(array, expected.reshape(array.shape))
        if reshaped and min(array.shape) == 1:
            return Finding(
                f"{what} has shape {array.shape} where {expected.shape} belongs: with a side of length 1, a transpose "
                "and a reshape with its sizes swapped look alike",
                None,
                "transposed-shape",
            )
        if reshaped:
            return _is(
                "reshape-arguments-swapped",
                f"{what} has shape {array.shape}, the right shape {expected.shape} with its sizes swapped, and holds "
                "the right entries in row-major order: a reshape got its sizes the wrong way round (the batch axis "
                "comes first: reshape(N, -1), not reshape(-1, N))",
            )
        if same(array.T, expected):
            return _is(
                "transposed",
                f"{what} has shape {array.shape} and is the transpose of the right value, shape {expected.shape}",
            )
        return Finding(
            f"{what} has the transposed shape {array.shape}", None, "transposed-shape"
        )  # a matrix product in the wrong order gives it, but so do other mistakes
    # (With a batch of 1 the per-sample gradient is the sum: an extra axis of length 1, below, says it.)
    if batch and batch > 1 and array.ndim == expected.ndim + 1 and array.shape == (batch, *expected.shape):
        if same(array.sum(axis=0), expected):
            return _is(
                "not-summed-over-batch",
                f"{what} has shape {array.shape} but should be "
                f"{expected.shape}: it is the per-sample gradient; sum it over the batch axis",
            )
        if expected.ndim and expected.shape[0] == batch:
            # The quantity has a batch axis of its own (an input's gradient, not a parameter's): an extra one is also
            # what an (N, 1) column broadcast against an (N,) array gives, so the shape names no cause.
            return Finding(f"{what} has one extra leading axis of the batch size, {batch}", None, "wrong-shape")
        return Finding(
            f"{what} has one extra leading axis of the batch size, {batch}: a gradient of a parameter is summed "
            "over the batch",
            None,
            "not-summed-over-batch",
        )
    if array.size == expected.size:
        if same(array.reshape(expected.shape), expected):
            if batch == 1 and array.shape == (1, *expected.shape):  # summed over a batch of 1, or not at all
                return Finding(
                    f"{what} has the right values with an extra leading axis of length 1, shape {array.shape}: with "
                    "a batch of 1 a gradient not summed over the batch and one summed with keepdims=True look alike",
                    None,
                    "wrong-shape",
                )
            squeezed = tuple(n for n in expected.shape if n != 1)
            flat = array.ndim == 1 and expected.ndim > 1
            if array.ndim < expected.ndim and array.shape == squeezed:
                # One axis longer than 1: squeezing and flattening give the same 1-D array, so the claim is the
                # squeeze's only where the component's other cases agree (refutation.py: a case with two axes longer
                # than 1 that came back flat refutes it).
                also = (
                    "; flattening (ravel, reshape(-1)) gives the same 1-D array on this shape, the other inputs tell "
                    "the two apart"
                    if flat
                    else ""
                )
                return Finding(
                    f"{what} has the right values in order but shape {array.shape} where {expected.shape} belongs"
                    if flat
                    else "",
                    Diagnosis(
                        "squeezed-output",
                        f"{what} has the right values but shape {array.shape}, the right shape {expected.shape} with "
                        "every axis of length 1 dropped, as np.squeeze (or an index [:, 0]) does: an axis of length 1 "
                        f"is still an axis (one sample, one unit); keep it, and the values keep their shape{also}",
                    ),
                )
            if flat:
                back = " (a gradient to the shape of what it is the gradient of, .reshape(x.shape))"
                back = back if "gradient" in what else ""
                return _is(
                    "wrong-shape",
                    f"{what} has the right values but is flattened: every entry in order as a 1-D array of shape "
                    f"{array.shape} (ravel, reshape(-1), flatten, or a product with a flattened array), where the "
                    f"shape {expected.shape} belongs: reshape it back{back}, or keep the shape throughout",
                )
            if [n for n in array.shape if n != 1] == [n for n in expected.shape if n != 1]:
                return _is(
                    "length-one-axis",
                    f"{what} has the right values but shape {array.shape} where {expected.shape} belongs: an axis of "
                    "length 1 was kept (a reduction with keepdims=True) or added ([None], np.newaxis, np.atleast_2d, a "
                    "reshape), or one was dropped",
                )
            return _is("wrong-shape", f"{what} has the right values but shape {array.shape}; expected {expected.shape}")
        return Finding(f"{what} has the right number of entries ({array.size}) in another shape", None, "wrong-shape")
    return Finding("", None, "wrong-shape")


def _overlap_differs(array: np.ndarray, expected: np.ndarray) -> bool:
    """Do the entries ``array`` and ``expected`` both hold (the leading corner) differ?"""
    if array.ndim != expected.ndim or array.dtype.kind not in "biuf":
        return False
    corner = tuple(slice(0, min(a, e)) for a, e in zip(array.shape, expected.shape, strict=True))
    mine, right = array[corner].astype(np.float64), expected[corner]
    return right.size > 0 and bool(wrong_entries(mine, right).any())


def localise(actual: np.ndarray, expected: np.ndarray, border: int | tuple[int, int] | None = None) -> str:
    """ " Only entries on the border are wrong..." when the wrong entries of an image-shaped array
    are exactly a border (with a real interior that is right), else ""."""
    if actual.shape != expected.shape or actual.ndim != 4 or not np.isfinite(actual).all():
        return ""
    if _low_precision(actual.astype(np.float64), expected, "") is not None:
        return ""  # rounding errors are everywhere; where the first few show up says nothing
    wrong = wrong_entries(actual, expected)
    found = [f for f in fits(wrong, border_subsets(expected.shape)) if claimable(f, expected.size)]
    if not found:
        return ""
    return " Only entries on the border are wrong: padding is likely handled incorrectly."


def factor_readings(batch: int | None, size: int, factors: Factors | None) -> dict[str, list[float]]:
    """Tag -> the factors by which each mistake a factor claim can name scales a result of ``size`` entries
    (the quantities of the case, the batch size, the number of entries, a sign): what such a claim predicts on
    another case (refutation.py). Without ``factors``, only the factors that mean one mistake on every case (a
    rubric's table may name several mistakes that agree on its case under one tag)."""
    readings: dict[str, list[float]] = {}
    named = [(value, tag) for value, (tag, text) in (factors or {}).items() if text]
    tiers = _batch_factors(batch) + _size_factors(size, batch)
    generic = [(value, tag) for value, tag, confidence, _ in _GENERIC if confidence == IS]
    for value, tag in named + [(value, tag) for value, tag, _ in tiers] + generic:
        readings.setdefault(tag, []).append(float(value))
    return readings
