"""Known loss mistakes, computed: what a buggy forward or backward of each loss returns.

The diagnosis (graders/judging/diagnose.py) compares a wrong loss or gradient with these. A *variant*
that reproduces the student's numbers names the mistake for certain; a *subset* of the
gradient's entries (the correct-class column) that holds every wrong entry names a mistake
as a pattern only; a *factor* ties "every entry is 5 times too small" to the quantity of the
case it equals (C = 5 classes; loss_counts.py). Two mistakes that give the same number on a case
are left unnamed there: the case cannot tell them apart, and another case will; where they are a
sum and a division by a count that is 1 on the case (one sample: a division by N is none), they are
named together, and a rerun where no count is 1 says which (loss_counts.unit_count_variants). The
mistakes of a formula's assembly (the order of operations, a clamp the wrong way round, a sign
inside it) are in loss_formulas.py.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from nnlab.exercises.components import Case, Component
from nnlab.graders import settings

from ..diagnose import Subset
from ..tolerance import allclose, as_array
from . import loss_formulas
from .loss_counts import batched, classes, count_variants, elementwise, unit_count_variants
from .loss_formulas import (
    BCE,
    BCE_GRAD_EPS,
    BCE_LOGITS,
    CLIP_EPSILONS,
    CROSS_ENTROPY,
    HINGE,
    LOG_CLAMP,
    MSE,
    hinge,
    hinge_of_slack,
    hinge_slack,
    log_softmax,
    sigmoid,
)

Variants = dict[str, tuple[np.ndarray, str]]

_HARD_LABELS = (
    "the loss picks log p where t == 1 and log(1 - p) elsewhere, which is right only for 0/1 labels (the targets cast "
    "to int, t.astype(int), give the same numbers: every soft target becomes 0); targets may be any probability: "
    "-(t log p + (1 - t) log(1 - p))"
)
# The loss of the targets rounded to the nearer label: (t > 0.5), np.round(t) or an int cast of t + 0.5.
_ROUNDED_LABELS = (
    "the loss equals that of the targets rounded to 0/1 labels (t > 0.5, np.round(t)): a soft target such as 0.3 "
    "was charged as the label 0. Targets may be any probability between 0 and 1; use t itself in the formula"
)


# The logistic loss of the -1/+1 label convention, log(1 + e^(-y x)), given the 0/1 targets as y.
_MINUS_ONE_LABELS = (
    "this is the logistic loss of the -1/+1 label convention, log(1 + e^(-t x)) (gradient -t sigmoid(-t x)), "
    "given the 0/1 targets as they are: a target t = 0 then costs log 2 whatever the logit, and a negative is never "
    "pushed down. With 0/1 targets the loss is log(1 + e^x) - x t, max(x, 0) - x t + log(1 + e^-|x|) (the -1/+1 "
    "form needs y = 2 t - 1, and holds for 0/1 targets only), and its gradient is (sigmoid(x) - t) / M"
)

# The logistic-regression loss log(1 + e^(-y x)) with the labels y = 2 t - 1: binary cross-entropy for 0/1 targets,
# where y is -1 or +1, and another function of t in between (t = 0.3 gives y = -0.4).
_PLUS_MINUS_ONE_FORM = (
    "{} the logistic-regression loss log(1 + e^(-y x)) with the labels y = 2 t - 1 in {{-1, +1}}: it "
    "equals binary cross-entropy for 0/1 targets only. A soft target such as 0.3 gives y = -0.4, and log(1 + e^(0.4 "
    "x)) is not the cross-entropy of t = 0.3. Targets may be any probability between 0 and 1: the loss is "
    "softplus(x) - t x = max(x, 0) - t x + log(1 + e^-|x|), its gradient (sigmoid(x) - t) / M"
)


def _plus_minus_one_form(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The loss and gradient of log(1 + e^(-y x)), y = 2 t - 1, averaged over the M entries."""
    y = 2.0 * t - 1.0
    return np.asarray(np.mean(np.logaddexp(0.0, -y * x))), -y * sigmoid(-y * x) / x.size


# Label smoothing as students write it (PyTorch's label_smoothing values, Keras' 0.1 and 0.2).
LABEL_SMOOTHINGS = (0.01, 0.05, 0.1, 0.2)
_SMOOTHED = (
    "the targets were smoothed to {}, so a target of 0 or 1 asks for a value strictly between them (label "
    "smoothing, against over-confidence): the loss takes the targets as given, t itself, and so does its gradient; "
    "PyTorch's binary cross-entropy has no smoothing"
)
_SMOOTHED_ONEHOT = (
    "the one-hot target was smoothed to (1 - {0:g}) onehot(y) + {0:g} / C, spreading {0:g} over the C classes as "
    "CrossEntropyLoss(label_smoothing={0:g}) does (label smoothing, against over-confidence): the loss of docs/api.md "
    "takes each sample's label as given, -mean_n log softmax(x_n)[y_n], with gradient (softmax(x) - onehot(y)) / N"
)


def _smoothed_targets(t: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """Binary targets moved off 0 and 1, ``tag -> (targets, as written)``: mixed with 1/2, or clipped."""
    found = {}
    for eps in LABEL_SMOOTHINGS:
        found[f"label-smoothing#{eps:g}"] = ((1.0 - eps) * t + eps / 2, f"(1 - {eps:g}) t + {eps / 2:g}")
        found[f"label-smoothing#clip-{eps:g}"] = (np.clip(t, eps, 1.0 - eps), f"np.clip(t, {eps:g}, {1 - eps:g})")
    return found


def _smoothed_onehot(x: np.ndarray, t: np.ndarray, part: int) -> Variants:
    """The cross-entropy's loss (``part`` 0) or gradient (1) against a smoothed one-hot target."""
    N, C = x.shape
    log_probs = log_softmax(x)
    found: Variants = {}
    for eps in LABEL_SMOOTHINGS if C > 1 else ():
        q = (1.0 - eps) * np.eye(C)[t] + eps / C
        value = np.asarray(-np.mean(np.sum(q * log_probs, axis=1))) if part == 0 else (np.exp(log_probs) - q) / N
        found[f"label-smoothing#{eps:g}"] = (value, _SMOOTHED_ONEHOT.format(eps))
    return found


def _class_loss(formula: str, case: Case, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    """A class loss and its gradient for the labels ``t`` (the reference's formulas)."""
    if formula == HINGE:
        return hinge(x, t, case.kwargs.get("margin", 1.0))
    N, C = x.shape
    log_probs = log_softmax(x)
    return float(-np.mean(log_probs[np.arange(N), t])), (np.exp(log_probs) - np.eye(C)[t]) / N


def _wrong_class_column(formula: str, case: Case, x: np.ndarray, t: np.ndarray) -> dict[str, tuple[float, np.ndarray]]:
    """The loss and gradient computed with another column than each row's label: the column next to it (an
    off-by-one class index) or the predicted class (argmax). ``tag#k -> (loss, gradient)``; a case where two
    of these coincide (C = 2) is left to diagnose.py, which names none of them there."""
    C = x.shape[1]
    t = np.asarray(t, dtype=np.int64)
    columns = {
        "class-index-shifted#before": (t - 1) % C,
        "class-index-shifted#after": (t + 1) % C,
        "target-at-prediction": np.argmax(x, axis=1),
    }
    if C == 2:  # the column after is the column before
        del columns["class-index-shifted#after"]
    return {tag: _class_loss(formula, case, x, wrong) for tag, wrong in columns.items() if not np.array_equal(wrong, t)}


_WRONG_COLUMN = {
    "class-index-shifted#before": (
        "each row used column y_n - 1, the class before its label (class 0 wrapping to the last column, as "
        "log_probs[n, y - 1] does): an off-by-one class index, as if the labels were 1-based; they are 0-based, "
        "so row n's target is column y_n"
    ),
    "class-index-shifted#after": (
        "each row used column y_n + 1, the class after its label: an off-by-one class index; the labels are "
        "0-based, so row n's target is column y_n"
    ),
    "target-at-prediction": (
        "each row's target was taken at its predicted class (the argmax of its scores) instead of its label y_n: "
        "the loss and its one-hot use the true class, whatever the model predicts"
    ),
}


def _wrong_column_variants(formula: str, case: Case, x: np.ndarray, t: np.ndarray, part: int) -> Variants:
    """``part`` 0: the loss, 1: the gradient, of each wrong column."""
    return {
        tag: (np.asarray(pair[part]), _WRONG_COLUMN[tag])
        for tag, pair in _wrong_class_column(formula, case, x, t).items()
    }


# ------------------------------------------------------------------------------- forward
def _reductions(component: Component, x: np.ndarray, value: float) -> Variants:
    """The loss summed, or averaged over the batch only, where the case tells these apart (a vector, one sample or
    one column: a count of 1 that hides which, see loss_counts.unit_count_variants)."""
    formula = component.formula
    M, N = x.size, x.shape[0]
    if M < 2:
        return {}
    if not batched(x):
        return unit_count_variants(component, x, np.asarray(value), 0)
    tag = "mse-mean-over-batch-only" if formula == MSE else "mean-over-batch-only"
    if M == N * N:  # D = N: divided by N only, or by D only, give the same number
        return {
            "sum-not-mean": (
                np.asarray(value * M),
                f"the terms were summed; the loss is their mean over all {M} entries",
            )
        }
    return {
        "sum-not-mean": (
            np.asarray(value * M),
            f"the terms were summed; the loss is their mean over all {M} entries",
        ),
        tag: (
            np.asarray(value * M / N),
            f"divided by the batch size N = {N} only; the mean runs over all {M} entries",
        ),
    }


_COLUMN_SHIFT = (
    "the maximum subtracted was each column's, x.max(axis=0) (the largest logit of each class over the batch), "
    "not each row's: softmax is invariant only to a constant added to a whole row, so a different constant per "
    "class changes every probability; subtract each row's own maximum, x.max(axis=1, keepdims=True)"
)


def column_shifted(x: np.ndarray) -> np.ndarray:
    """The log-softmax of each row after subtracting each column's maximum (the shift's axis wrong)."""
    shifted = x - x.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _flat_index(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, str] | None:
    """Entry (n, y_n) of the (N, C) array flattened, found at n * N + y_n (the batch size as the row length):
    the flat indices and the mistake, where they stay inside the array and differ from n * C + y_n."""
    N, C = x.shape
    flat = np.arange(N) * N + np.asarray(t, dtype=np.int64)
    if N == C or N < 2 or flat.max() >= N * C:
        return None  # (N > C mostly runs past the end: an IndexError, which crashes.py reads)
    return flat, (
        f"entry (n, y_n) was taken from the flattened ({N}, {C}) array at n * N + y_n, with the batch size N = {N} "
        f"as the row length, so rows after the first read other samples' entries: a row holds C = {C} entries, so "
        "the flat index is n * C + y_n (C = x.shape[1]), or index the 2-D array itself, log_probs[np.arange(N), y]"
    )


# A loss of minus the mean probability of the true classes: the log left out, or the log-probabilities overwritten by
# their exponentials (np.exp(log_probs, out=log_probs), the probabilities saved for backward) before the loss read
# them. The loss, one number, and what forward saves (the probabilities, right in both) cannot tell them apart.
_LOG_LOST = "aliasing+ce-log-missing"
_LOG_LOST_TEXT = (
    "the loss is minus the mean of the true classes' probabilities, not of their logs: either the log was left out, "
    "or the log-probabilities were overwritten in place by their exponentials before the loss read them "
    "(np.exp(log_probs, out=log_probs), to save the probabilities for backward, writes into log_probs); the numbers "
    "are the same. The loss is -mean_n log softmax(x_n)[y_n]: keep the log-probabilities, and save the "
    "probabilities in a new array, self._probs = np.exp(log_probs)"
)


def _cross_entropy_forward(x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    N, C = x.shape
    rows = np.arange(N)
    log_probs = log_softmax(x)
    v: Variants = {_LOG_LOST: (np.asarray(-np.mean(np.exp(log_probs)[rows, t])), _LOG_LOST_TEXT)}
    if N > 1:
        z = np.exp(x - x.max(axis=0))
        v["softmax-wrong-axis"] = (
            np.asarray(-np.mean(np.log(z / z.sum(axis=0))[rows, t])),
            "the softmax was taken over the batch (axis 0); it runs over the classes of each sample (axis 1)",
        )
        v["softmax-wrong-axis#column-shift"] = (
            np.asarray(-np.mean(column_shifted(x)[rows, t])),
            _COLUMN_SHIFT,
        )
        v["ce-fancy-index-all-rows"] = (
            np.asarray(-np.mean(log_probs[:, t])),
            "log_probs[:, y] picks column y_n of *every* row (an N x N array); the loss takes entry "
            "(n, y_n) of row n only: log_probs[np.arange(N), y]",
        )
    return v


def _costly_means(x: np.ndarray, t: np.ndarray, margin: float, right: np.ndarray) -> Variants:
    """The hinge's loss or gradient ``right`` averaged over the samples (or the (sample, class) slacks) that
    cost something, where the mean runs over all N samples: the mean of the non-zero terms only."""
    N = x.shape[0]
    violating = x - x[np.arange(N), t][:, None] + margin > 0
    violating[np.arange(N), t] = False  # the true class is not compared with itself
    samples, entries = int(np.count_nonzero(violating.any(axis=1))), int(np.count_nonzero(violating))
    counts = [("loss-denominator#samples", samples, "samples with a non-zero loss")]
    if entries == samples:  # one violating class per costly sample: either count reads the same
        counts = [("loss-denominator#samples", samples, "samples with a non-zero loss (or of violating classes)")]
    else:
        counts.append(("loss-denominator#entries", entries, "classes that violate the margin"))
    found: Variants = {}
    for tag, count, which in counts:
        if 0 < count != N:
            found[tag] = (
                right * N / count,
                f"divided by the number of {which}, {count}, where the mean runs over every sample, the batch size "
                f"N = {N}: a sample that meets the margin costs 0, and that 0 counts in the mean too (dividing by N "
                "is also what backward's 1/N assumes)",
            )
    return found


def _hinge_forward(case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    margin = case.kwargs.get("margin", 1.0)
    v: Variants = {
        "hinge-counts-true-class": (
            np.asarray(value + margin),
            "the true class j = y was counted in the sum, adding `margin` per sample; sum over j != y only",
        ),
        # The correction for a sum over every class (whose true-class slack is the margin) applied to a sum that
        # already left the true class out: the loss comes out `margin` too small, below 0 when every margin is met.
        "hinge-counts-true-class#subtracted-again": (
            np.asarray(value - margin),
            f"the loss is `margin` = {margin:g} too small: the margin was subtracted once per sample, the correction "
            "for a sum that includes the true class j = y (whose slack x_y - x_y + margin is the margin itself), but "
            "this sum already left the true class out (its slack zeroed, or j != y skipped), so there is nothing "
            "to take back: subtract nothing, mean_n sum_{j != y_n} max(0, x[n, j] - x[n, y_n] + margin)",
        ),
    }
    if margin != 1.0:
        v["hinge-margin-ignored"] = (
            np.asarray(hinge(x, t, 1.0)[0]),
            "used margin 1 instead of the constructor's `margin`",
        )
    if x.shape[0] > 1:
        v["fancy-index-every-row"] = (np.asarray(_every_row_zeroed(x, t, margin)[0]), _EVERY_ROW_ZEROED)
    v["break-for-continue"] = (np.asarray(_stopped_at_label(x, t, margin)[0]), _STOPPED_AT_LABEL)
    # The slacks replaced by the 0/1 mask of the violated margins before they were summed (the mask built in the
    # slack array itself, `slack[slack > 0] = 1`, or the mask summed where the clipped slack belongs).
    violated = hinge_slack(x, t, margin) > 0
    v["hinge-counts-violations"] = (
        np.asarray(violated.sum() / x.shape[0]),
        f"the loss is the number of violated margins per sample ({int(violated.sum())} over N = {x.shape[0]}): "
        "the 0/1 mask of the classes with slack > 0 was summed instead of the slacks themselves (the mask written "
        "into the slack array, `slack[slack > 0] = 1`, before the sum, or the mask summed for the loss); the loss "
        "adds the slacks, mean_n sum_{j != y_n} max(0, x[n, j] - x[n, y_n] + margin), and keep the mask apart",
    )
    v.update(_costly_means(x, t, margin, np.asarray(value)))
    v.update({tag: (np.asarray(pair[0]), text) for tag, (pair, text) in _hinge_loops(x, t, margin).items()})
    return v


UNCLIPPED = "hinge-formulation#unclipped"


def hinge_clip_readings(x: np.ndarray, t: np.ndarray, margin: float) -> dict[str, float]:
    """The loss without the hinge's clip and with the clip on each row's sum: equal wherever no row's slacks sum
    below 0, so a probe with such a row tells them apart (losses._clip_probed)."""
    slack = hinge_slack(x, t, margin)
    return {
        UNCLIPPED: float(slack.sum() / x.shape[0]),
        loss_formulas.ROW_SUM_CLIPPED: loss_formulas.row_sum_clipped(x, t, margin)[0],
    }


# The active set of backward marked for every wrong class, the slack's test left out (the mask set after the
# `if slack > 0` block instead of in it, or np.ones for the mask): the gradient of the unclipped sum, while forward
# still clips. Only the student's loss on the same case tells it from the whole formula unclipped (or clipped on
# each row's sum), whose backward is the same derivative: ``told_by_loss`` keeps the reading the loss agrees with.
ACTIVE_EVERY_CLASS = "hinge-active-without-margin#every-class"
_ACTIVE_EVERY_CLASS = (
    "the loss is right but backward marked every wrong class active, the classes that meet the margin too: "
    "each got 1 / N and the true class -(C - 1) / N, the derivative of the unclipped sum of the slacks. The "
    "active mark was set whether or not the slack is positive (set after the `if slack > 0` block instead of "
    "inside it, a mask of ones, or `>= 0` tested on the clipped slacks np.maximum(0, slack), which every entry "
    "passes); only a class whose slack x[n, j] - x[n, y_n] + margin > 0 is active, so the mask is (slack > 0) and "
    "x[n, y_n] gets -(number of active classes) / N"
)
# The active set taken with `>= 0` from slacks already clipped at 0 (np.maximum(0, slack) >= 0, or a loop's
# `if margins[j] >= 0` after the clip), the true class's zeroed slack among them: every entry passes, so every
# class is active, the true class too, which then counts itself: 1 / N for each wrong class and -C / N for the
# true one. Only the gradient shows it (the loss of the clipped slacks is right).
ACTIVE_INCLUSIVE_CLIPPED = "hinge-margin-inclusive#clipped"
_ACTIVE_INCLUSIVE_CLIPPED = (
    "every class was counted active, the classes that meet the margin and the true class too: each wrong class "
    "got 1 / N and the true class -C / N = -{C} / N. The active set was taken with `>= 0` from slacks already "
    "clipped at 0 (np.maximum(0, slack) >= 0, the true class's zeroed slack among them), which every entry passes; "
    "test the slack before the clip, or the clipped one with `> 0`: only a class j != y_n whose slack "
    "x[n, j] - x[n, y_n] + margin > 0 is active, and x[n, y_n] gets -(number of those classes) / N"
)


def told_by_loss(
    variants: Variants, x: np.ndarray, t: np.ndarray, margin: float, loss: float | None, right: float
) -> Variants:
    """The hinge gradient with every wrong class active is what a backward-only slip gives and what the whole
    formula unclipped (or clipped on each row's sum) gives with its derivative: the student's ``loss`` on the same
    case separates them. Each reading stays only where the loss is its own: the right one for the backward-only
    slip, the formula's for the formula. No loss to read (it raised, or is no number) leaves them all."""
    if loss is None or ACTIVE_EVERY_CLASS not in variants:
        return variants
    losses = {ACTIVE_EVERY_CLASS: right, **hinge_clip_readings(x, t, margin)}
    refuted = {tag for tag, value in losses.items() if not np.isclose(loss, value, rtol=settings.SIMULATION_RTOL)}
    return {tag: v for tag, v in variants.items() if tag not in refuted}


def _active_every_class(x: np.ndarray, t: np.ndarray, margin: float) -> Variants:
    """The hinge's gradient with every wrong class active, where some class meets the margin (else it is right)."""
    N, C = x.shape
    if not (hinge_slack(x, t, margin) < 0).any():
        return {}
    slopes = np.ones_like(x)
    slopes[np.arange(N), t] = -(C - 1)
    return {ACTIVE_EVERY_CLASS: (slopes / N, _ACTIVE_EVERY_CLASS)}


def active_inclusive_clipped(x: np.ndarray, t: np.ndarray) -> Variants:
    """The hinge's gradient with every class active, the true class included (``>= 0`` on the clipped slacks)."""
    N, C = x.shape
    slopes = np.ones_like(x)
    slopes[np.arange(N), t] = -C
    return {ACTIVE_INCLUSIVE_CLIPPED: (slopes / N, _ACTIVE_INCLUSIVE_CLIPPED.format(C=C))}


def _hinge_loops(x: np.ndarray, t: np.ndarray, margin: float) -> dict[str, tuple[tuple[float, np.ndarray], str]]:
    """``tag -> ((loss, gradient), mistake)`` of the hinge's double loop over samples and classes written with one
    slip: the loss added outside the `if slack > 0` (every slack counts, negative ones too: the clip max(0, .)
    left out), or the class loop one short at either end (range(C - 1), range(1, C)), which leaves a class out."""
    N, C = x.shape
    slack = hinge_slack(x, t, margin)
    found: dict[str, tuple[tuple[float, np.ndarray], str]] = {}
    if (slack < 0).any():
        slopes = np.ones_like(x)  # the derivative of the unclipped sum: every wrong class, violating or not
        slopes[np.arange(N), t] = -(C - 1)
        found[UNCLIPPED] = (
            (float(slack.sum() / N), slopes / N),
            "every wrong class's slack x[n, j] - x[n, y_n] + margin was added, the negative ones too (a class that "
            "meets its margin lowered the loss): the hinge's clip max(0, .) was left out, as a `loss += slack` "
            "outside the `if slack > 0` block does; only positive slacks cost, "
            "mean_n sum_{j != y_n} max(0, x[n, j] - x[n, y_n] + margin)",
        )
    skipped = _skipped_sample_index(x, t, margin)
    if skipped is not None:
        found["batch-classes-confused#skipped-sample-index"] = (hinge_of_slack(skipped, t), _SKIPPED_SAMPLE_INDEX)
    for which, loop, column in (("last", "range(C - 1)", C - 1), ("first", "range(1, C)", 0)):
        if C < 3:
            continue
        left = slack.copy()
        left[:, column] = 0.0
        found[f"loop-off-by-one#{which}-class"] = (
            hinge_of_slack(left, t),
            f"class {column}, the {which}, was never compared: the loop over the classes ran over {loop}, one "
            "short, so that class's violations were skipped (they add nothing to the loss, get no gradient and are "
            "missing from the true class's count); loop over every class, range(C), and skip only j == y_n",
        )
    return found


_SKIPPED_SAMPLE_INDEX = (
    "each row n skipped class n, its own sample index, where its label y_n belongs: the skip test compared the class "
    "with the sample's number (`if j == i: continue` in the loops over the samples i and the classes j, or the slack "
    "zeroed on its diagonal, np.fill_diagonal), so the true class y_n was compared with itself (slack x_y - x_y + "
    "margin = margin, counted like a violation) and class n, a wrong class, was left out (a row n >= C skipped "
    "nothing). Skip each row's label: `if j == y[i]`, or slack[np.arange(N), y] = 0"
)


def _skipped_sample_index(x: np.ndarray, t: np.ndarray, margin: float) -> np.ndarray | None:
    """Each class's slack with row n skipping class n (its sample index, where n < C) and not its label y_n, which
    is then compared with itself (slack = margin); None where every row's label is its own index (nothing changes)."""
    N, C = x.shape
    rows = np.arange(N)
    if np.array_equal(t, rows):
        return None
    slack = x - x[rows, t][:, None] + margin
    inside = rows[rows < C]
    slack[inside, inside] = 0.0
    return slack


_STOPPED_AT_LABEL = (
    "only the classes before each row's label were compared: the loop over the classes stops at the true class "
    "(`break` where `continue` belongs, or range(y_n) for range(C)), so the classes after it never count. The true "
    "class is skipped and the loop goes on: `continue`, so every other class j != y_n is compared"
)


def _stopped_at_label(x: np.ndarray, t: np.ndarray, margin: float) -> tuple[float, np.ndarray]:
    """The hinge's loss and gradient with each row's comparisons stopped at its label (a loop over the classes
    that breaks at j == y_n): only the classes j < y_n count."""
    N, C = x.shape
    slack = x - x[np.arange(N), t][:, None] + margin
    slack[np.arange(C)[None, :] >= np.asarray(t)[:, None]] = 0.0
    return hinge_of_slack(slack, t)


_EVERY_ROW_ZEROED = (
    "the true class's slack was zeroed with slack[:, y] = 0, which zeroes column y_n of *every* row (each row "
    "loses the columns of every sample's label, so a violating class of one row is skipped because another "
    "sample has that label); each row skips its own label only, entry (n, y_n): slack[np.arange(N), y] = 0"
)


def _every_row_zeroed(x: np.ndarray, t: np.ndarray, margin: float) -> tuple[float, np.ndarray]:
    """The hinge's loss and gradient with the true-class slack zeroed by ``slack[:, y] = 0`` (numpy's fancy
    index as the student's line runs it): column y_n of every row, not entry (n, y_n) only."""
    slack = x - x[np.arange(x.shape[0]), t][:, None] + margin
    slack[:, t] = 0.0
    return hinge_of_slack(slack, t)


def _soft(t: np.ndarray) -> bool:
    return not np.isin(t, (0.0, 1.0)).all()


# The gradient of the targets made 0/1 labels on their way to backward (self._t = np.round(t), t > 0.5, or an int cast).
_HARD_LABELS_GRADIENT = (
    "the gradient is that of the targets {} (saved for backward as {}): a soft target such as 0.3 was used as "
    "a hard label. Targets may be any probability between 0 and 1; backward uses t as given: {}"
)


def _hard_label_gradients(t: np.ndarray, gradient: Callable[[np.ndarray], np.ndarray], right: str) -> Variants:
    """A binary loss's gradient ``gradient(targets)`` with soft targets replaced by 0/1 labels: rounded to the nearer
    label (np.round and t > 0.5 differ at 0.5 only; both are named when they differ there), or truncated by an int
    cast (every target below 1 becomes 0)."""
    if not _soft(t):
        return {}
    rounded, above = np.round(t), (t > 0.5).astype(np.float64)
    spelled = "np.round(t)" if np.array_equal(rounded, above) else "np.round(t) or t > 0.5"
    v: Variants = {
        "bce-hard-labels-only#rounded": (
            gradient(rounded),
            _HARD_LABELS_GRADIENT.format("rounded to the nearer label 0 or 1", spelled, right),
        )
    }
    if not np.array_equal(rounded, above):
        v["bce-hard-labels-only#above-half"] = (
            gradient(above),
            _HARD_LABELS_GRADIENT.format("rounded to the nearer label 0 or 1", "t > 0.5", right),
        )
    v["bce-hard-labels-only#int-cast"] = (
        gradient(np.trunc(t)),
        _HARD_LABELS_GRADIENT.format("cast to int, which truncates every soft target to 0", "t.astype(int)", right),
    )
    return v


# Real-valued targets made integers on their way into the formula (an int cast truncates toward 0, np.round rounds).
_INTEGER_TARGETS = (
    "the {} is that of the targets {} ({}): the targets were made integers, so each lost its fractional part. "
    "Targets are real numbers, used as given: {}"
)


def _integer_targets(t: np.ndarray) -> dict[str, tuple[np.ndarray, str, str]]:
    """``tag -> (targets, what happened to them, as written)`` for integer-valued versions of real targets, where
    they differ from ``t``; a cast and a rounding that agree on this case are named together."""
    found: dict[str, tuple[np.ndarray, str, str]] = {}
    truncated, rounded = np.trunc(t), np.round(t)
    if not np.array_equal(truncated, t):
        found["rounded-values#targets-int"] = (truncated, "cast to int, truncated toward 0,", "t.astype(int)")
    if not np.array_equal(rounded, t) and not np.array_equal(rounded, truncated):
        found["rounded-values#targets-round"] = (rounded, "rounded to the nearest integer", "np.round(t)")
    elif "rounded-values#targets-int" in found:
        found["rounded-values#targets-int"] = (truncated, "made integers", "t.astype(int), or np.round(t)")
    return found


def _mse_forward(case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    v: Variants = {
        "mse-root": (
            np.asarray(np.sqrt(value)),
            "took the square root (RMSE); MSELoss is the mean of the squares, without a root",
        )
    }
    v.update(loss_formulas.mse_forward(x, t))
    for tag, (whole, what, spelled) in _integer_targets(t).items():
        v[tag] = (
            np.asarray(np.mean((x - whole) ** 2)),
            _INTEGER_TARGETS.format("loss", what, spelled, "mean((x - t)^2)"),
        )
    return v


def _bce_forward(case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    v: Variants = {}
    with np.errstate(divide="ignore"):
        log_p, log_1mp = np.maximum(np.log(x), LOG_CLAMP), np.maximum(np.log1p(-x), LOG_CLAMP)
    if _soft(t):
        hard = -np.mean(np.where(t == 1, log_p, log_1mp))
        v["bce-hard-labels-only"] = (np.asarray(hard), _HARD_LABELS)
        rounded = -np.mean(np.where(t > 0.5, log_p, log_1mp))
        v["bce-hard-labels-only#rounded"] = (np.asarray(rounded), _ROUNDED_LABELS)
    v["bce-swapped-terms"] = (
        np.asarray(-np.mean(t * np.log1p(-x) + (1 - t) * np.log(x))),
        "log p and log(1 - p) were swapped: the target t = 1 goes with log p",
    )
    v["bce-sigmoid-applied"] = (
        np.asarray(np.mean(np.logaddexp(0.0, x) - x * t)),
        "the input was passed through a sigmoid (BCEWithLogitsLoss's formula); BCELoss's input is already "
        "a probability: -(t log p + (1 - t) log(1 - p))",
    )
    with np.errstate(all="ignore"):
        of_target = -np.mean(t * log_p + (1 - t) * np.maximum(np.log1p(-t), LOG_CLAMP))
    v["bce-wrong-log-term#of-target"] = (
        np.asarray(of_target),
        "the second log was taken of 1 - t, the target, where it belongs to 1 - p, the prediction (log(1 - t) "
        "next to its weight 1 - t, a term copied from the line above): -(t log p + (1 - t) log(1 - p))",
    )
    v.update(loss_formulas.bce_forward(x, t))
    for tag, (smooth, spelled) in _smoothed_targets(t).items():
        v[tag] = (np.asarray(-np.mean(smooth * log_p + (1 - smooth) * log_1mp)), _SMOOTHED.format(spelled))
    return v


def _bce_logits_forward(case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    v: Variants = {}
    if _soft(t):
        hard = np.mean(np.where(t == 1, np.logaddexp(0.0, -x), np.logaddexp(0.0, x)))
        v["bce-hard-labels-only"] = (np.asarray(hard), _HARD_LABELS)
        rounded = np.mean(np.logaddexp(0.0, x) - x * (t > 0.5))
        v["bce-hard-labels-only#rounded"] = (np.asarray(rounded), _ROUNDED_LABELS)
    v.update(loss_formulas.bce_logits_forward(x, t))
    v["bce-swapped-terms#logits"] = (np.asarray(np.mean(np.logaddexp(0.0, -x) + x * t)), _SWAPPED_SOFTPLUS)
    v.update(_probabilities_clipped(BCE_LOGITS, x, t))
    v["minus-one-labels"] = (np.asarray(np.mean(np.logaddexp(0.0, -t * x))), _MINUS_ONE_LABELS)
    if _soft(t):  # (on 0/1 targets the form is right)
        v["bce-hard-labels-only#plus-minus-one"] = (
            _plus_minus_one_form(x, t)[0],
            _PLUS_MINUS_ONE_FORM.format("the loss is"),
        )
    stable = np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))
    for tag, (smooth, spelled) in _smoothed_targets(t).items():
        v[tag] = (np.asarray(np.mean(stable - x * smooth)), _SMOOTHED.format(spelled))
    return v


# t softplus(x) + (1 - t) softplus(-x) = softplus(-x) + x t: the loss of the flipped labels 1 - t (or of -x).
_SWAPPED_SOFTPLUS = (
    "the two terms were swapped: the target t went with softplus(x) = -log(1 - sigmoid(x)) and 1 - t with "
    "softplus(-x) = -log sigmoid(x), so this is the loss of the flipped labels 1 - t (a target of 1 is pushed "
    "towards 0). t = 1 goes with -log sigmoid(x): the loss is t softplus(-x) + (1 - t) softplus(x), "
    "max(x, 0) - x t + log(1 + e^-|x|), with gradient (sigmoid(x) - t) / M"
)


def _probabilities_clipped(formula: str, x: np.ndarray, t: np.ndarray) -> Variants:
    """The loss of probabilities clipped before their log, for each bound students write (where a probability
    of the case lies below it: elsewhere the clip changes nothing)."""
    return {
        f"input-clipped#probabilities-{eps:g}": (
            np.asarray(loss_formulas.clipped_probabilities(formula, x, t, eps)),
            loss_formulas.probabilities_clipped_text(eps),
        )
        for eps in CLIP_EPSILONS
    }


def _ce_forward(case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    v = _cross_entropy_forward(x, t, value)
    v.update(_probabilities_clipped(CROSS_ENTROPY, x, t))
    v.update(loss_formulas.ce_forward(x, t))
    v.update(_smoothed_onehot(x, t, 0))
    flat = _flat_index(x, t)
    if flat is not None:
        v["batch-classes-confused#flat-index"] = (np.asarray(-np.mean(log_softmax(x).ravel()[flat[0]])), flat[1])
    if x.shape[0] > 1:
        v["take-without-axis"] = (np.asarray(-np.mean(log_softmax(x).ravel()[t])), _TAKE_WITHOUT_AXIS)
    return v


_TAKE_WITHOUT_AXIS = (
    "each sample's term was taken from the first row: label y_n picked entry y_n of the flattened array (np.take "
    "without an axis, or .flat / ravel() indexed by the labels), which is entry (0, y_n), not entry (n, y_n) of "
    "row n; pick one entry per row: log_probs[np.arange(N), y], or np.take_along_axis(log_probs, y[:, None], axis=1)"
)


def _hinge_forward_all(case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    v = _hinge_forward(case, x, t, value)
    v.update(loss_formulas.hinge_forward(x, t, case.kwargs.get("margin", 1.0)))
    return v


# A formula's known forward mistakes (Component.formula -> what each gives on the case's x, t and right value).
FORWARD: dict[str, Callable[[Case, np.ndarray, np.ndarray, float], Variants]] = {
    MSE: _mse_forward,
    BCE: _bce_forward,
    BCE_LOGITS: _bce_logits_forward,
    CROSS_ENTROPY: _ce_forward,
    HINGE: _hinge_forward_all,
}


def forward_variants(
    component: Component, case: Case, x: np.ndarray, t: np.ndarray, value: float, actual: object = None
) -> Variants:
    """What a known buggy forward returns, for the loss ``component`` on input ``x`` and target ``t``; ``actual``,
    the student's loss, lets a variant within rounding of the right value count (see :func:`resolve`)."""
    formula = component.formula
    v: Variants = _reductions(component, x, value) if elementwise(component) else {}
    with np.errstate(all="ignore"):
        if formula in FORWARD:
            v.update(FORWARD[formula](case, x, t, value))
        if classes(component):
            v.update(_wrong_column_variants(formula, case, x, t, 0))
            v.update(count_variants(component, x, np.asarray(value)))
            v.update(_last_sample_only(formula, case, x, t))
            v.update(_sample_skipped(formula, case, x, t))
        if formula == MSE:
            v.update(_column_broadcast(x, t, backward=False))
        v.update(_mean_inside_loop(formula, case, x, t))
        v.update(_rounded_down(x, float(value), x.size if elementwise(component) else x.shape[0]))
    return resolve(v, np.asarray(value), actual)


_ROUNDED_DOWN = (
    "the loss is {} rounded down to a whole number{}: a floor division `//` (np.sum(...) // M) or an int() on a "
    "float path drops every fraction; divide with `/` and keep the float"
)


def _rounded_down(x: np.ndarray, value: float, count: int) -> Variants:
    """The mean written with floor division (sum // count) or its sum cast to int before dividing: the loss
    rounded down, whole (or a multiple of 1 / count). A loss is never negative, so int() truncates alike."""
    if not np.isfinite(value):
        return {}
    found: Variants = {
        "rounded-values#floor": (np.asarray(float(np.floor(value))), _ROUNDED_DOWN.format("the right value", ""))
    }
    if count > 1:
        found["rounded-values#floor-of-sum"] = (
            np.asarray(float(np.floor(value * count)) / count),
            _ROUNDED_DOWN.format("the right sum of the terms", f" before the division by {count}"),
        )
    return found


def _terms(formula: str, case: Case, x: np.ndarray, t: np.ndarray) -> np.ndarray | None:
    """Each sample's term of the loss, summed over its entries (for an elementwise loss) or its classes."""
    if formula in (HINGE, CROSS_ENTROPY):
        return _per_sample(formula, case, x, np.asarray(t, dtype=np.int64))
    if formula == MSE:
        entries = (x - t) ** 2
    elif formula == BCE:
        entries = -(t * np.maximum(np.log(x), LOG_CLAMP) + (1 - t) * np.maximum(np.log1p(-x), LOG_CLAMP))
    elif formula == BCE_LOGITS:
        entries = np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x)))
    else:
        return None
    return entries.reshape(x.shape[0], -1).sum(axis=1)


def _mean_inside_loop(formula: str, case: Case, x: np.ndarray, t: np.ndarray) -> Variants:
    """A loop over the samples whose final division (loss /= N, or by the M entries) is indented into the loop:
    the running total is divided after every sample, so sample n's term is divided N - n times."""
    terms = _terms(formula, case, x, t)
    N = x.shape[0]
    if terms is None or N < 2:
        return {}
    counts = {N: f"N = {N}"} if x.size == N or formula in (HINGE, CROSS_ENTROPY) else {x.size: f"M = {x.size}"}
    found: Variants = {}
    for count, spelled in counts.items():
        total = 0.0
        for term in terms:
            total = (total + term) / count
        found[f"divided-twice#inside-sample-loop-{count}"] = (
            np.asarray(total),
            f"the division by {spelled} runs inside the loop over the samples: the running total is divided after "
            f"every sample, so the first sample's term is divided {N} times and only the last one once; add every "
            f"sample's term in the loop, then divide the total once, after it",
        )
    return found


def _per_sample(formula: str, case: Case, x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Each sample's term of a class loss (the loss is their mean)."""
    if formula == HINGE:
        return np.maximum(hinge_slack(x, t, case.kwargs.get("margin", 1.0)), 0.0).sum(axis=1)
    return -log_softmax(x)[np.arange(x.shape[0]), t]


def _last_sample_only(formula: str, case: Case, x: np.ndarray, t: np.ndarray) -> Variants:
    """A loop over the samples that assigns each one's term (loss = ...) where it adds (loss += ...): what is
    left is the last sample's term, divided by N or not."""
    N = x.shape[0]
    if N < 2 or formula not in (HINGE, CROSS_ENTROPY):
        return {}
    last = float(_per_sample(formula, case, x, np.asarray(t, dtype=np.int64))[-1])
    said = (
        "the loss is the last sample's term{}: in the loop over the samples each term was assigned (loss = ...) "
        "where it must be accumulated (loss += ...), so every sample overwrote the one before and only the last "
        "is left; add every sample's term, then divide the sum by N"
    )
    return {
        "assigned-not-accumulated": (np.asarray(last / N), said.format(f" divided by N = {N}")),
        "assigned-not-accumulated#undivided": (np.asarray(last), said.format(" alone")),
    }


def _sample_skipped(formula: str, case: Case, x: np.ndarray, t: np.ndarray) -> Variants:
    """A loop over the samples that stops one short (range(N - 1)) or starts at 1 (range(1, N)): one sample's term
    is left out of the sum, which is then divided by N (or by the N - 1 terms it holds)."""
    N = x.shape[0]
    if N < 2 or formula not in (HINGE, CROSS_ENTROPY):
        return {}
    terms = _per_sample(formula, case, x, np.asarray(t, dtype=np.int64))
    found: Variants = {}
    for which, loop, kept in (("last", "range(N - 1)", terms[:-1]), ("first", "range(1, N)", terms[1:])):
        for divisor, spelled in ((N, f"N = {N}"), (N - 1, f"N - 1 = {N - 1}")):
            found[f"loop-off-by-one#{which}-sample-over-{'n' if divisor == N else 'n-1'}"] = (
                np.asarray(kept.sum() / divisor),
                f"the {which} sample's term is missing from the sum (then divided by {spelled}): the loop over the "
                f"samples ran over {loop}, which leaves sample {N - 1 if which == 'last' else 0} out; loop over all "
                "N samples, range(N), or take the mean of every sample's term without a loop",
            )
    return found


def _column_broadcast(x: np.ndarray, t: np.ndarray, backward: bool) -> Variants:
    """The target (or the input) reshaped to a column, t.reshape(-1, 1), before x - t: against an array whose last
    axis is not 1 numpy broadcasts the two into a matrix of every input minus every target (for (N,) arrays
    (N, N)). Forward's mean is the same either way round (the same pairs); backward's matrix is transposed."""
    try:
        shape = np.broadcast_shapes(x.shape, (t.size, 1))
    except ValueError:  # (N, D) against (N*D, 1): numpy's error, which the crash rows read
        return {}
    if shape == x.shape or x.shape != t.shape:
        return {}
    said = (
        "the difference was taken with one side reshaped to a column, {} (shape ({}, 1) against {}), so numpy "
        f"broadcast the two into a {shape} matrix of every input minus every target; subtract arrays of the same "
        "shape, x - t, so that each input meets its own target"
    )
    if not backward:  # the mean of the squares holds the same pairs either way round
        diff = x - t.reshape(-1, 1)
        spelled = "x - t.reshape(-1, 1) (or x.reshape(-1, 1) - t)"
        return {"broadcast-wrong-axis#column": (np.asarray(np.mean(diff**2)), said.format(spelled, t.size, x.shape))}
    found: Variants = {}
    for tag, spelled, diff in (
        ("target-reshaped", "x - t.reshape(-1, 1)", x - t.reshape(-1, 1)),
        ("broadcast-wrong-axis#input-column", "x.reshape(-1, 1) - t", x.reshape(-1, 1) - t),
    ):
        found[tag] = (
            2.0 * diff / diff.size,
            said.format(spelled, t.size, x.shape) + ", and the gradient 2 (x - t) / M came back in that shape too",
        )
    return found


# ------------------------------------------------------------------------------- backward
_SIGN_LOST = (
    "every entry has the right size but is >= 0: the sign of the error was lost before backward used it (the "
    "difference saved as np.abs(x - t), or as the square root of its square); the sign of x - t is what says "
    "which way each input must move"
)


def _cross_entropy_backward(x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    N, C = x.shape
    probs = np.exp(log_softmax(x))
    onehot = np.eye(C)[t]
    v: Variants = {
        "ce-grad-no-onehot": (
            probs / N,
            "the one-hot target was not subtracted: the gradient is (softmax - onehot(y)) / N",
        ),
        "ce-onehot-wrong-rows#everywhere": (
            (probs - 1.0) / N,
            "1 was subtracted from every entry (grad -= 1); the one-hot target touches entry (n, y_n) of row n only: "
            "grad[np.arange(N), y] -= 1",
        ),
        "ce-onehot-added": (
            (probs + onehot) / N,
            "the one-hot target was added, not subtracted: the gradient is (softmax - onehot(y)) / N",
        ),
    }
    # softmax - onehot taken for the gradient with respect to the probabilities, then carried through the softmax
    # once more: by its diagonal p (1 - p), or by its whole Jacobian diag(p) - p p^T.
    fused = (probs - onehot) / N
    again = (
        "backward multiplied softmax - onehot(y) by the softmax's derivative ({}): softmax - onehot(y) is already "
        "the gradient with respect to the logits, the softmax's derivative is inside it (the log of the softmax "
        "and the softmax, fused, cancel down to it), so applying it again applies it twice; the gradient is "
        "(softmax(x) - onehot(y)) / N"
    )
    v["softmax-derivative-applied-again"] = (fused * probs * (1.0 - probs), again.format("p (1 - p), entry by entry"))
    v["softmax-derivative-applied-again#jacobian"] = (
        probs * (fused - np.sum(probs * fused, axis=1, keepdims=True)),
        again.format("its Jacobian diag(p) - p p^T, row by row"),
    )
    if N > 1:  # with one sample, dividing by N = 1 before or after is the same
        # The division by N applied before the one-hot is subtracted: only the probabilities are averaged.
        v["onehot-not-averaged"] = (
            probs / N - onehot,
            f"the probabilities were divided by N = {N} before the one-hot was subtracted, so the one-hot "
            "entries are not divided: the whole difference is averaged, (softmax - onehot(y)) / N (subtract "
            "first, then divide both terms by N)",
        )
        v["part-not-averaged"] = (
            probs - onehot / N,
            f"only the one-hot was divided by N = {N} (grad[rows, y] -= 1 / N), not the probabilities: the whole "
            "difference is averaged, (softmax - onehot(y)) / N",
        )
    # The probabilities saved for backward not divided by their row's sum: exp(x - max), or exp(x).
    for tag, exps in (
        ("softmax-not-normalised", np.exp(x - x.max(axis=1, keepdims=True))),
        ("softmax-not-normalised#unshifted", np.exp(x)),
    ):
        v[tag] = (
            (exps - onehot) / N,
            "the probabilities backward used were the exponentials before normalising, so a row of them does not "
            "sum to 1: softmax divides each row by its sum, "
            "np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True); the gradient is (softmax - onehot(y)) / N",
        )
    if N > 1:
        v["softmax-wrong-axis#column-shift"] = ((np.exp(column_shifted(x)) - onehot) / N, _COLUMN_SHIFT)
        v["ce-grad-not-divided"] = (
            grad * N,
            f"the gradient was not divided by the batch size N = {N}: forward takes the mean, so the gradient is "
            "(softmax - onehot) / N",
        )
        wrong_rows = probs.copy()
        wrong_rows[:, t] -= 1.0  # numpy's fancy-index assignment, as the student's line runs it
        if not allclose(wrong_rows, probs - onehot):
            v["ce-onehot-wrong-rows"] = (
                wrong_rows / N,
                "grad[:, y] -= 1 subtracts 1 from column y_n of *every* row; the one-hot target touches entry "
                "(n, y_n) of row n only: grad[np.arange(N), y] -= 1",
            )
    return v


def _hinge_backward(case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    N = x.shape[0]
    rows = np.arange(N)
    counted = grad.copy()
    counted[rows, t] -= 1.0 / N
    missing = grad.copy()
    missing[rows, t] = 0.0
    flipped = grad.copy()
    flipped[rows, t] *= -1.0
    batch_count = grad.copy()
    batch_count[rows, t] = grad[rows, t].sum()  # each row's count is -(its actives) / N: their sum is the batch's
    v: Variants = {
        "hinge-counts-true-class": (
            counted,
            "the true class j = y was treated as one of the violating classes (its slack is always `margin` > 0); "
            "skip j = y",
        ),
        "hinge-true-class-grad-missing": (
            missing,
            "the gradient of the true class score is missing: x[n, y] gets -(number of violating classes) / N",
        ),
        "hinge-true-class-grad-sign": (
            flipped,
            "the true class's gradient has the wrong sign: raising x[n, y] lowers every violating slack, so its "
            "gradient is -(number of violating classes) / N",
        ),
        "reduction-over-whole-array": (
            batch_count,
            "each true class got the number of violating classes of the whole batch (a sum without an axis), not "
            "of its own row: x[n, y_n] gets -(the violating classes of row n) / N, a sum over axis=1",
        ),
    }
    v.update(_count_not_reset(grad, rows, t))
    v.update(_count_of_the_labels_row(grad, rows, t))
    # The 0/1 mask kept boolean (slack > 0 without .astype(float)): assigning -count to its true-class entry
    # stores bool(-count), True, so that entry becomes +1/N wherever the row has a violation.
    boolean = grad.copy()
    boolean[rows, t] = (grad[rows, t] != 0) / N
    v["boolean-array-arithmetic"] = (
        boolean,
        "the true class's entry is +1/N wherever its row violates the margin: the active mask was kept boolean "
        "(slack > 0 without .astype(float)), and a number assigned into a boolean array is stored as True or "
        "False, so -(number of violating classes) became True = 1; make the mask a float array first, "
        "(slack > 0).astype(np.float64)",
    )
    if N > 1:  # the 1/N applied to one part of the gradient only: the true class's entries, or the others
        true = np.eye(x.shape[1], dtype=bool)[t]
        v["part-not-averaged#true-class"] = (
            np.where(true, grad * N, grad),
            f"the true class's entry is -(number of violating classes), not divided by N = {N}: the 1/N of the "
            "mean over the batch applies to every entry of the gradient, the true class's too",
        )
        v["divided-twice#true-class"] = (
            np.where(true, grad / N, grad),
            f"the true class's entry is -(number of violating classes) / N^2: it was divided by N = {N} when "
            "assigned and again by the final division of the whole gradient; the 1/N applies once",
        )
        v["part-not-averaged#violating"] = (
            np.where(true, grad, grad * N),
            f"the violating classes' entries are 1, not 1/N = 1/{N}: only the true class's entry was divided by "
            "N; the 1/N of the mean over the batch applies to every entry of the gradient",
        )
    C = x.shape[1]
    every_class = grad.copy()
    every_class[rows, t] = -(C - 1) / N  # every wrong class counted, whether it violates the margin or not
    v["hinge-true-class-count"] = (
        every_class,
        f"the true class's entry is -(C - 1) / N with C = {C}: it counted every wrong class, as if each of its "
        "C - 1 terms always had slope -1; a term whose margin is met is max(0, slack) = 0, flat, and adds nothing, "
        "so only the classes that violate the margin count: x[n, y_n] gets -(number of violating classes of row "
        "n) / N, -active.sum(axis=1) / N",
    )
    if C > 1:  # the row's violations averaged over its C classes where their count belongs
        averaged = grad.copy()
        averaged[rows, t] /= C
        v["mean-for-sum#true-class"] = (
            averaged,
            f"the true class's entry is -(number of violating classes) / C / N with C = {C}: it took the mean of "
            "the row's violation mask (.mean(axis=1)) where their count, the sum (.sum(axis=1)), belongs; each "
            "violating class adds -1 to the slope of x[n, y_n], so the entry is -(their number) / N",
        )
    margin = case.kwargs.get("margin", 1.0)
    # The slack values max(0, slack) kept where the 0/1 indicator of positive slack belongs (np.maximum(slack, 0) saved
    # as the active set, or the hinge itself reused): each class's entry is its slack, not 1.
    slack = np.maximum(hinge_slack(x, t, margin), 0.0)
    slack[rows, t] = -slack.sum(axis=1)
    v["values-for-indices#hinge-slack"] = (
        slack / N,
        "each violating class's entry is its slack max(0, x_j - x_y + margin) / N, not 1 / N: the slack values were "
        "kept where the 0/1 indicator of positive slack belongs (np.maximum(slack, 0) saved as the active set). That "
        "is the gradient of half the squared hinge; the hinge's slope is 1 wherever slack > 0, so backward needs "
        "(slack > 0).astype(np.float64), and x[n, y_n] gets -(number of violating classes) / N",
    )
    # The active set taken as the sign of the slack, np.sign(slack), the derivative of |slack| rather than of
    # max(0, slack): a class that meets the margin (slack < 0) gets -1 where the flat hinge gives 0.
    signs = np.sign(hinge_slack(x, t, margin))
    signs[rows, t] = -signs.sum(axis=1)
    v["derivative-is-sign#hinge-active"] = (
        signs / N,
        "each class that meets the margin (negative slack) got -1 / N, and the true class's count nets them out: the "
        "active set was taken as the sign of the slack, np.sign(slack), which is -1 there; the hinge max(0, slack) "
        "is flat below 0, so its slope is 1 where slack > 0 and 0 elsewhere, (slack > 0).astype(np.float64)",
    )
    v.update(_costly_means(x, t, margin, grad))
    if margin != 1.0:
        v["hinge-margin-ignored"] = (hinge(x, t, 1.0)[1], "used margin 1 instead of the constructor's `margin`")
    if N > 1:
        v["fancy-index-every-row"] = (_every_row_zeroed(x, t, margin)[1], _EVERY_ROW_ZEROED)
        active = (grad > 0).astype(np.float64)  # the violating classes (1/N each, the true class's entry <= 0)
        every_row = active.copy()
        every_row[:, t] = -active.sum(axis=1)  # numpy's fancy-index assignment, as the student's line runs it
        if not allclose(every_row / N, grad):
            v["fancy-index-every-row#count"] = (
                every_row / N,
                "the true class's entry was assigned with grad[:, y] = -count, which writes column y_n of *every* "
                "row (and each row's count lands in the column of another sample's label); the count of row n "
                "belongs in entry (n, y_n) only: grad[np.arange(N), y] = -active.sum(axis=1)",
            )
    return v


def _count_of_the_labels_row(grad: np.ndarray, rows: np.ndarray, t: np.ndarray) -> Variants:
    """Each row's count of violations (one per sample, active.sum(axis=1)) looked up by the row's label, counts[y_n],
    where its own, counts[n], belongs: row n's true class gets row y_n's count. Only where every label is a row
    number (a label past the batch raises, which crashes.py reads) and some label is not its own row's."""
    t = np.asarray(t, dtype=np.int64)
    if t.max(initial=0) >= len(rows) or np.array_equal(t, rows):
        return {}
    own = grad[rows, t]  # -(each row's violating classes) / N
    by_label = grad.copy()
    by_label[rows, t] = own[t]
    return {
        "labels-index-rows#count": (
            by_label,
            "the true class of row n got minus the number of violating classes of row y_n, another sample's: the "
            "per-sample counts (active.sum(axis=1), one per row) were looked up by the label, counts[y_n], where "
            "the sample's own count belongs, counts[n]; a label numbers a class, not a row: "
            "grad[np.arange(N), y] = -counts",
        )
    }


def _count_not_reset(grad: np.ndarray, rows: np.ndarray, t: np.ndarray) -> Variants:
    """The true class's count of violations kept in one counter started before the loop over the samples: row n
    gets the running total of rows 0..n (or of the rows before it, when it is assigned before its own count)."""
    if len(rows) < 2:
        return {}
    own = grad[rows, t]  # -(each row's violating classes) / N
    v: Variants = {}
    for how, running in (("after", np.cumsum(own)), ("before", np.cumsum(own) - own)):
        value = grad.copy()
        value[rows, t] = running
        v[f"counter-not-reset#{how}"] = (
            value,
            "the true class's entry of each row is minus the violating classes counted so far over the whole "
            "batch, not over its own row: the counter (violations = 0) starts once before the loop over the "
            "samples and is never reset, so every row adds the previous samples' violations to its own. Start "
            "the count at 0 inside the loop, for each sample (or use -active.sum(axis=1))",
        )
    return v


def _mse_backward(case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    v: Variants = {"mse-grad-missing-2": (grad / 2, "the factor 2 of d(x - t)^2/dx = 2 (x - t) is missing")}
    v.update(loss_formulas.mse_backward(x, t))
    v.update(_column_broadcast(x, t, backward=True))
    for tag, (whole, what, spelled) in _integer_targets(t).items():
        v[tag] = (2.0 * (x - whole) / x.size, _INTEGER_TARGETS.format("gradient", what, spelled, "2 (x - t) / M"))
    return v


def _bce_backward(case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    v: Variants = {
        "bce-grad-as-logits": (
            (x - t) / x.size,
            "used (p - t) / M, the gradient with respect to the logits; with respect to the probabilities p "
            "it is (p - t) / (p (1 - p)) / M",
        )
    }
    v.update(loss_formulas.bce_backward(x, t))
    for tag, (smooth, spelled) in _smoothed_targets(t).items():
        v[tag] = ((x - smooth) / np.maximum(x * (1.0 - x), BCE_GRAD_EPS) / x.size, _SMOOTHED.format(spelled))
    v.update(
        _hard_label_gradients(
            t,
            lambda hard: (x - hard) / np.maximum(x * (1.0 - x), BCE_GRAD_EPS) / x.size,
            "(p - t) / (p (1 - p)) / M",
        )
    )
    if not np.array_equal(x, t):
        # The probabilities and targets saved for backward exchanged (self._p, self._t = t, p): the right formula
        # evaluated with p and t swapped.
        v["saved-values-swapped"] = (
            (t - x) / np.maximum(t * (1.0 - t), BCE_GRAD_EPS) / x.size,
            "backward computed the gradient with the probabilities and the targets exchanged: what forward saved "
            "as p holds the targets and what it saved as t the probabilities (self._p, self._t = t, p, the wrong "
            "order); the gradient is (p - t) / (p (1 - p)) / M with p the input",
        )
    return v


def _bce_logits_backward(case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    M = x.size
    v = loss_formulas.bce_logits_backward(x, t)
    v["bce-logits-grad-without-sigmoid"] = (
        (x - t) / M,
        "used the logits x where sigmoid(x) belongs: the gradient is (sigmoid(x) - t) / M",
    )
    s = sigmoid(x)
    v["bce-logits-grad-probability-formula"] = (
        (s - t) / (s * (1 - s)) / M,
        "divided by sigmoid'(x): with logits the sigmoid's derivative cancels, leaving (sigmoid(x) - t) / M",
    )
    for tag, (smooth, spelled) in _smoothed_targets(t).items():
        v[tag] = ((s - smooth) / M, _SMOOTHED.format(spelled))
    v.update(_hard_label_gradients(t, lambda hard: (s - hard) / M, "(sigmoid(x) - t) / M"))
    v["minus-one-labels"] = (-t * sigmoid(-t * x) / M, _MINUS_ONE_LABELS)
    if _soft(t):
        v["bce-hard-labels-only#plus-minus-one"] = (
            _plus_minus_one_form(x, t)[1],
            _PLUS_MINUS_ONE_FORM.format("the gradient is that of"),
        )
    v["bce-swapped-terms#logits"] = ((s - (1.0 - t)) / M, _SWAPPED_SOFTPLUS)
    for written, value in _sigmoid_identity_parts(x).items():
        v[f"formula-constant#{written}"] = (
            (value - t) / M,
            f"the sigmoid in (sigmoid(x) - t) / M was computed as {written}: the identity sigmoid(x) = "
            "(1 + tanh(x / 2)) / 2 was remembered without part of its affine map (the 1 + and the / 2); "
            f"{written} does not lie in (0, 1) as a probability must",
        )
    return v


def _sigmoid_identity_parts(x: np.ndarray) -> dict[str, np.ndarray]:
    """sigmoid(x) = (1 + tanh(x / 2)) / 2 written with a constant of its affine map left out."""
    t = np.tanh(x / 2.0)
    return {"tanh(x / 2)": t, "1 + tanh(x / 2)": 1.0 + t, "tanh(x / 2) / 2": t / 2.0, "0.5 + tanh(x / 2)": 0.5 + t}


def _ce_backward(case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    v = _cross_entropy_backward(x, t, grad)
    v.update(loss_formulas.ce_backward(x, t))
    v.update(_smoothed_onehot(x, t, 1))
    flat = _flat_index(x, t)
    if flat is not None:
        wrong = np.exp(log_softmax(x)).ravel()
        wrong[flat[0]] -= 1.0
        v["batch-classes-confused#flat-index"] = (wrong.reshape(x.shape) / x.shape[0], flat[1])
    return v


def _hinge_backward_all(case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    v = _hinge_backward(case, x, t, grad)
    v.update(loss_formulas.hinge_backward(x, t, case.kwargs.get("margin", 1.0)))
    v["break-for-continue"] = (_stopped_at_label(x, t, case.kwargs.get("margin", 1.0))[1], _STOPPED_AT_LABEL)
    v.update({tag: (pair[1], text) for tag, (pair, text) in _hinge_loops(x, t, case.kwargs.get("margin", 1.0)).items()})
    v.update(_active_every_class(x, t, case.kwargs.get("margin", 1.0)))
    v.update(active_inclusive_clipped(x, t))
    return v


# A formula's known backward mistakes (Component.formula -> what each gives on the case's x, t and right gradient).
BACKWARD: dict[str, Callable[[Case, np.ndarray, np.ndarray, np.ndarray], Variants]] = {
    MSE: _mse_backward,
    BCE: _bce_backward,
    BCE_LOGITS: _bce_logits_backward,
    CROSS_ENTROPY: _ce_backward,
    HINGE: _hinge_backward_all,
}


def backward_variants(
    component: Component, case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray, actual: object = None
) -> Variants:
    """What a known buggy backward returns; ``grad`` is the right gradient, ``actual`` the student's."""
    v: Variants = {}
    formula = component.formula
    M, N = x.size, x.shape[0]
    if elementwise(component) and batched(x):
        tag = "mse-grad-divided-by-batch" if formula == MSE else "grad-divided-by-batch"
        v[tag] = (
            grad * M / N,
            f"divided by the batch size N = {N}; the mean runs over all M = {M} entries, so divide by M",
        )
    else:  # a vector, one sample or one column: a count of 1 may hide which division it was
        v.update(unit_count_variants(component, x, grad, 1))
    if elementwise(component):
        v["sign-lost"] = (np.abs(grad), _SIGN_LOST)
    if x.ndim > 1:  # the right gradient, flat: ravel and a squeeze (where the other axes are 1) give the same
        v["gradient-not-shaped-like-input"] = (
            grad.ravel(),
            f"the gradient has the right values, flattened to shape ({M},) where the input's shape {x.shape} belongs "
            "(ravel, flatten or reshape(-1) on its way, or a squeeze): dL/dinput is shaped like the input, entry "
            "for entry, since the layer before indexes it as its own output; keep the arrays it is computed from in "
            "their shape (or reshape the result to the input's shape)",
        )
    with np.errstate(all="ignore"):
        if formula in BACKWARD:
            v.update(BACKWARD[formula](case, x, t, grad))
        if classes(component):
            v.update(_wrong_column_variants(formula, case, x, t, 1))
            v.update(count_variants(component, x, grad))
    return resolve(v, grad, actual)


# ------------------------------------------------------------------------------- near the right value
# A variant within this share of the right value's magnitude is no evidence when it matches: diagnose.py's
# match tolerates 1e-6, and an eps inside a log moves a loss by about 1e-7.
NEAR = 1e-4


def resolve(variants: Variants, right: np.ndarray, actual: object = None) -> Variants:
    """The variants a match can confirm. One near the right value counts only when the student's own
    deviation from the right value is the variant's, to 1 %: that tells log(p + 1e-7) from log(p + 1e-8),
    and both from float32 rounding. It then stands for the student's value itself (a match at diagnose's
    tolerance would be meaningless). Without ``actual`` (the self-checker's fixtures) near variants are dropped."""
    right = np.asarray(right, dtype=np.float64)
    scale = float(np.max(np.abs(right))) if right.size else 0.0
    mine = as_array(actual)
    if mine is not None and (mine.shape != right.shape or mine.dtype.kind not in "biuf"):
        mine = None
    resolved: Variants = {}
    for tag, (value, text) in variants.items():
        value = np.asarray(value)
        with np.errstate(invalid="ignore"):
            far = value.shape != right.shape or not np.all(np.abs(value - right) <= NEAR * scale)
        if far:
            resolved[tag] = (value, text)
            continue
        if mine is None or not np.isfinite(mine).all():
            continue
        deviation, simulated = mine.astype(np.float64) - right, value - right
        size = float(np.max(np.abs(deviation)))
        if size > 0 and allclose(
            deviation, simulated, rtol=settings.DEVIATION_SHAPE_RTOL, atol=settings.DEVIATION_SHAPE_RTOL * size
        ):
            resolved[tag] = (mine.astype(np.float64), text)
    return resolved


# ------------------------------------------------------------------------------- subsets
def backward_subsets(component: Component, case: Case, x: np.ndarray, t: np.ndarray) -> dict[str, Subset]:
    """The correct-class entries of a class loss's gradient, and the others (for hinge: those that violate)."""
    if not classes(component):
        return {}
    margin = case.kwargs.get("margin", 1.0)
    true = np.eye(x.shape[1], dtype=bool)[t]
    if component.formula == CROSS_ENTROPY:
        return {
            "correct-class-wrong": Subset(
                true,
                "is in the correct-class column (entry y_n of row n)",
                "the one-hot target is subtracted wrongly (or not at all): only grad[n, y_n] = (p[n, y_n] - 1) / N "
                "involves it",
                "correct-class-wrong",
            ),
            "other-classes": Subset(~true, "is off the correct class (j != y_n)"),
        }
    rows = np.arange(x.shape[0])
    violating = x - x[rows, t][:, None] + margin > 0
    violating[rows, t] = False
    return {
        "hinge-true-class-grad-wrong": Subset(
            true,
            "is in the true-class column (entry y_n of row n)",
            # (where every wrong entry is there: no cause, only the rule those entries break)
            "the true class's gradient is wrong: x[n, y_n] should get -(number of classes that violate the margin "
            "in row n) / N, its own row's count",
            "hinge-true-class-grad-wrong",
        ),
        "hinge-violating-grad-wrong": Subset(
            violating,
            "is a class j != y_n that violates the margin (x[n, j] - x[n, y_n] + margin > 0)",
            "the gradient of a class that violates the margin is wrong: it is 1/N (the slope of its slack)",
            "hinge-violating-grad-wrong",
        ),
        "other-classes": Subset(~true, "is off the true class (j != y_n)"),
    }
