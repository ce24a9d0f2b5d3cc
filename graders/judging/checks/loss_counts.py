"""Normalising a loss by the wrong count, computed: what each count gives, and where a case cannot tell.

An elementwise loss (MSE, BCE) averages over all M = N * D entries; a class loss (cross-entropy,
hinge) over the N samples only. Dividing by another count scales the loss and its gradient by a
factor that is a quantity of the case: D (divided by N only), N / C (by the classes instead of the
samples), 1 / C (by every entry of the scores), D / 2 (the 1/(2m) convention), n / (n - 1) (Bessel's
n - 1 of a sample variance, where a mean divides by the count n itself). A factor names its
mistake only where the case singles it out: with one sample N / C is 1 / C, and with two classes
it is 2, a stray factor 2 of a formula too; there nothing is claimed.
"""

from __future__ import annotations

import numpy as np
from nnlab.exercises.components import Component
from nnlab.graders import settings

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
