"""Normalising a loss by the wrong count, computed: what each count gives, and where a case cannot tell.

An elementwise loss (MSE, BCE) averages over all M = N * D entries; a class loss (cross-entropy,
hinge) over the N samples only. Dividing by another count scales the loss and its gradient by a
factor that is a quantity of the case: D (divided by N only), N / C (by the classes instead of the
samples), 1 / C (by every entry of the scores), D / 2 (the 1/(2m) convention), n / (n - 1) (Bessel's
n - 1 of a sample variance, where a mean divides by the count n itself). A factor names its
mistake only where the case singles it out: with one sample N / C is 1 / C, and with two classes
it is 2, a stray factor 2 of a formula too; there nothing is claimed. Where a count is 1 (one
sample, one column), a division by it is none: the sum and that division are named together, and a
rerun on an input where no count is 1 says which (see "a count of 1" below).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from nnlab.exercises.components import Component
from nnlab.graders import settings

from ..evidence import factor_words
from ..tolerance import allclose
from .loss_formulas import CROSS_ENTROPY, HINGE, MSE

Variants = dict[str, tuple[np.ndarray, str]]
Factors = dict[float, tuple[str, str | None]]


def elementwise(component: Component) -> bool:
    """A simulated loss of entries against a target of the input's shape: a mean over all M = N * D entries."""
    return bool(component.formula) and component.target != "class"


def classes(component: Component) -> bool:
    """A simulated loss of scores against class labels: a mean over the N samples."""
    return bool(component.formula) and component.target == "class"


def batched(x: np.ndarray) -> bool:
    """Does the case tell a mean over the batch from a mean over every entry (N > 1 and D > 1)?"""
    return x.ndim > 1 and 1 < x.shape[0] < x.size


# Factors diagnose.py guesses at for any array (a stray 2, a sign): a count of the case equal to one of
# them cannot say which of the two mistakes it is.
_GENERIC_FACTORS = (2.0, 0.5, -1.0, -2.0, -0.5)


def _entry_counts(x: np.ndarray) -> list[tuple[float, str, str]]:
    """An elementwise loss averages over all M = N * D entries: divided by N only, or by D once too often."""
    if not batched(x):
        return []
    N, D = x.shape[0], x.size // x.shape[0]
    return [
        (
            float(D),
            "mean-over-batch-only",
            f"D = {D} is the number of entries per sample: divided by the batch size N = {N} only, where the "
            f"mean runs over all N * D = {x.size} entries",
        ),
        (
            1.0 / D,
            "divided-by-features",
            f"D = {D} is the number of entries per sample: divided by D once too often",
        ),
    ]


def _bessel(component: Component, x: np.ndarray) -> list[tuple[float, str, str]]:
    """The count less one, Bessel's n - 1 of a sample variance, where a mean divides by the count itself: the
    M entries of an elementwise loss (a class loss's N / (N - 1) is its N / C whenever C = N - 1, a case's
    usual batch of one more sample than classes, where dividing by C is the likelier mistake)."""
    count, what = x.size, f"the M = {x.size} entries"
    if not elementwise(component) or count < 3:  # n / (n - 1) is 2 (a stray factor 2 too) or undefined
        return []
    return [
        (
            count / (count - 1),
            "bessel-correction",
            f"divided by {count} - 1 = {count - 1} where the mean divides by {what}: n - 1 is Bessel's correction, "
            "which makes a sample variance unbiased because it subtracts a mean estimated from the same data; a "
            "loss subtracts no such mean, so its mean divides by the count itself (and backward's 1/n assumes it)",
        )
    ]


def _counts(component: Component, x: np.ndarray) -> list[tuple[float, str, str]]:
    """What a loss is off by when it divides by the wrong count, ``(factor, tag, mistake)``: an elementwise
    loss averages over all M = N * D entries, a class loss over the N samples only."""
    return _wrong_counts(component, x) + _bessel(component, x)


def _wrong_counts(component: Component, x: np.ndarray) -> list[tuple[float, str, str]]:
    """The counts of the case a loss may divide by instead of its own (the batch size, the classes)."""
    if component.formula == MSE and x.ndim > 1:
        D = x.size // x.shape[0]
        half = (
            D / 2,
            "mse-half-convention",
            f"divided by 2N (the 1/(2m) convention of regression notes, J = 1/(2m) sum (h - y)^2), which is "
            f"D/2 = {D}/2 times the mean here: MSELoss is the plain mean over all M = {x.size} entries, with "
            "no 1/2 (and its gradient 2 (x - t) / M)",
        )
        return [half, *_entry_counts(x)]
    if elementwise(component):
        return _entry_counts(x)
    if not classes(component) or x.ndim != 2 or x.shape[1] < 2:
        return []
    N, C = x.shape
    over = "ce-mean-over-classes" if component.formula == CROSS_ENTROPY else "hinge-divided-by-classes"
    torch = " (torch's MultiMarginLoss divides by C as well; the HingeLoss of docs/api.md does not)"
    return [
        (
            1.0 / C,
            over,
            f"C = {C} is the number of classes: divided by N * C, every entry of the (N, C) scores, where the loss "
            f"averages over the N = {N} samples only" + (torch if component.formula == HINGE else ""),
        ),
        (
            N / C,
            "divided-by-features",
            f"divided by the number of classes C = {C} instead of by N = {N}, the batch size: the loss averages over "
            "the samples, not over the classes",
        ),
    ]


def _separated(component: Component, x: np.ndarray) -> dict[str, tuple[float, str | None]]:
    """``tag -> (factor, mistake)`` of the wrong counts of this case; the mistake is None where the factor
    does not single it out: another count, the batch size's factors (N, 1/N) or a generic factor (2) has the
    same value. A factor of 1 (N = C) shows nothing and is left out."""
    found = _counts(component, x)
    N = x.shape[0] if x.ndim > 1 else 1
    rivals = [*_GENERIC_FACTORS, *((float(N), 1.0 / N) if N > 1 else ())]
    table: dict[str, tuple[float, str | None]] = {}
    for value, tag, text in found:
        if np.isclose(value, 1.0):
            continue
        others = [v for v, other, _ in found if other != tag] + rivals
        table[tag] = (value, None if any(np.isclose(value, v, rtol=settings.SAME_VALUE_RTOL) for v in others) else text)
    return table


def count_variants(component: Component, x: np.ndarray, right: np.ndarray) -> Variants:
    """The loss or gradient ``right`` divided by a wrong count, where the case singles the count out (the
    self-checker's fixtures take the first variant that matches, so only unambiguous ones are offered)."""
    return {tag: (right * value, text) for tag, (value, text) in _separated(component, x).items() if text is not None}


def factors(component: Component, x: np.ndarray) -> Factors:
    """The quantities of the case a wrong loss or gradient may be off by, with the mistake each means; a
    mistake of None marks a value the case cannot attribute (diagnose.py then claims nothing)."""
    return {value: (tag, text) for tag, (value, text) in _separated(component, x).items()}


# ------------------------------------------------------------------------------- a count of 1
# An elementwise loss divides by every entry, M = N * D. Code that divides by the samples (len(x), x.shape[0]) or by
# the columns (x.shape[-1]) instead, or by nothing, gives M / N, M / D or M times the mean. On a case where one of
# those counts is 1 (one sample; one column; a vector, which a per-sample sum over the last axis takes as one sample)
# dividing by it is no division, and the numbers are a plain sum's: the case names every reading it cannot tell from
# the sum, in one sentence under a joint tag, and a rerun on an input where no count is 1 (losses.py) says which.
SUMMED, SAMPLES, COLUMNS = "summed", "samples", "columns"
# The rerun's input: N = 2 samples of D = 3 columns, where a sum, a division by N and one by D are 6, 3 and 2 times
# the mean.
PROBE_SHAPE = (2, 3)
_SHORT = {SUMMED: "a plain sum", SAMPLES: "a division by the samples", COLUMNS: "a division by the columns"}


def _divisors(reading: str, shape: tuple[int, ...], part: int) -> tuple[int, ...]:
    """What code of ``reading`` divides by on an input of ``shape`` (``part`` 0: the loss, 1: its gradient). A sum
    divides by nothing; the samples are len(x), and a loss may also average each sample's sum over the last axis
    over the leading ones (np.mean(np.sum(d ** 2, axis=-1)), which takes a vector as one sample); the columns are
    x.shape[-1] (a vector has no columns apart from its entries)."""
    if reading == SUMMED:
        return (1,)
    if reading == SAMPLES:
        leading = int(np.prod(shape[:-1])) if part == 0 else shape[0]
        return tuple(sorted({shape[0], leading}))
    return (shape[-1],) if len(shape) > 1 else ()


def _count_tag(reading: str, formula: str, part: int) -> str:
    """The bug class of ``reading``, as the cases that tell the counts apart name it (loss_mistakes.py)."""
    if reading == SUMMED:
        return "loss-summed" if part == 0 else "grad-not-averaged"
    if reading == SAMPLES:
        batch_only = "mean-over-batch-only" if part == 0 else "grad-divided-by-batch"
        return f"mse-{batch_only}" if formula == MSE else batch_only
    return "divided-by-features"


def _reading_words(reading: str, shape: tuple[int, ...], part: int) -> str:
    """``reading`` as a clause about a case where its count is 1."""
    if reading == SUMMED:
        return "the terms were summed, with no division" if part == 0 else "the gradient was not divided by any count"
    if reading == COLUMNS:
        return "it was divided by the number of columns, x.shape[-1], which is 1 here"
    if len(shape) == 1:  # (only the loss's per-sample sum takes a vector as one sample)
        return (
            "each sample's sum over the last axis was averaged over the samples (np.mean(np.sum(..., axis=-1))), "
            "which takes a vector as one sample"
        )
    return "it was divided by the number of samples, len(x) (x.shape[0]), which is 1 here"


def _unit_readings(shape: tuple[int, ...], part: int) -> list[str]:
    """The readings that give a plain sum's numbers on an input of ``shape``: their count is 1 there."""
    return [r for r in (SUMMED, SAMPLES, COLUMNS) if 1 in _divisors(r, shape, part)]


def _every_entry(M: int) -> str:
    return f"Yet the mean runs over every entry, M = {M} (np.mean, or a division by x.size)"


def unit_count_variants(component: Component, x: np.ndarray, right: np.ndarray, part: int) -> Variants:
    """On a case that does not tell a mean over the batch from one over every entry (see :func:`batched`): the
    loss (``part`` 0) or gradient (1) summed, ``right`` times M, under the tag of every reading that gives it here
    (a joint tag ``a+b`` where a count of 1 hides which division it was)."""
    M = x.size
    if not elementwise(component) or batched(x) or M < 2:
        return {}
    readings = _unit_readings(x.shape, part)
    tags = [_count_tag(r, component.formula, part) for r in readings]
    if len(readings) == 1:  # a sum alone gives it: no count of the case is 1
        text = (
            f"the {M} terms were summed; the loss is their mean (divide by the number of entries, {M})"
            if part == 0
            else f"not divided by the number of entries M = {M}: forward averages over all of them, so the gradient "
            "carries a factor 1/M"
        )
        return {tags[0]: (right * M, text)}
    clauses = "; or ".join(_reading_words(r, x.shape, part) for r in readings)
    text = (
        f"one of {len(readings)} mistakes, which this case cannot tell apart (a division by a count of 1 is none): "
        f"{clauses}. {_every_entry(M)}"
    )
    return {"+".join(tags): (right * M, text)}


def joint_unit_count(tags: Iterable[str]) -> str | None:
    """The joint tag among ``tags`` that :func:`unit_count_variants` gives where a count of 1 hides the division."""
    summed = (_count_tag(SUMMED, "", 0), _count_tag(SUMMED, "", 1))
    return next((tag for tag in tags if "+" in tag and tag.split("+")[0] in summed), None)


def probed_unit_count(
    component: Component, shape: tuple[int, ...], tag: str, part: int, mine: np.ndarray, right: np.ndarray
) -> tuple[str, str, np.ndarray] | None:
    """The reading of the joint ``tag`` (:func:`unit_count_variants` on an input of ``shape``) that the student's
    ``mine`` reproduces on an input of :data:`PROBE_SHAPE`, where no count is 1 and they all differ (``right``: the
    right value there): ``(its tag, the sentence for the original case, its value there)``, or None where none or
    several do."""
    formula = component.formula
    joined = tag.split("+")
    readings = [r for r in _unit_readings(shape, part) if _count_tag(r, formula, part) in joined]
    M = int(np.prod(PROBE_SHAPE))
    fits = {
        r: M / d
        for r in readings
        for d in _divisors(r, PROBE_SHAPE, part)
        if np.shape(mine) == np.shape(right) and allclose(mine, right * M / d, rtol=settings.SIMULATION_RTOL)
    }
    if len(fits) != 1:
        return None
    reading, factor = next(iter(fits.items()))
    what = "loss" if part == 0 else "gradient"
    others = " or ".join(_SHORT[r] for r in readings if r != reading)
    text = (
        f"{_reading_words(reading, shape, part)}: rerun on an input of shape {PROBE_SHAPE}, where no count is 1, "
        f"your {what} is {factor_words(factor)} the right value, which this gives and {others} would not. "
        f"{_every_entry(int(np.prod(shape)))}"
    )
    return _count_tag(reading, formula, part), text, right * factor
