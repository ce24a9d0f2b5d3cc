"""Known loss mistakes, computed: what a buggy forward or backward of each loss returns.

The diagnosis (graders/diagnose.py) compares a wrong loss or gradient with these. A *variant*
that reproduces the student's numbers names the mistake for certain; a *subset* of the
gradient's entries (the correct-class column) that holds every wrong entry names a mistake
as a pattern only; a *factor* ties "every entry is 5 times too small" to the quantity of the
case it equals (C = 5 classes). Two mistakes that give the same number on a case (a sum over
the features and a sum over everything, with one sample) are left unnamed there: the case
cannot tell them apart, and another case will.
"""

from __future__ import annotations

import numpy as np

from ..components import Case
from ..diagnose import Subset

Variants = dict[str, tuple[np.ndarray, str]]
Factors = dict[float, tuple[str, str]]

ELEMENTWISE = ("losses.MSELoss", "losses.BCELoss", "losses.BCEWithLogitsLoss")
CLASSES = ("losses.CrossEntropyLoss", "losses.HingeLoss")

_HARD_LABELS = (
    "the loss picks log p where t == 1 and log(1 - p) elsewhere, which is right only for 0/1 labels; "
    "targets may be any probability: -(t log p + (1 - t) log(1 - p))"
)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def hinge(x: np.ndarray, t: np.ndarray, margin: float) -> tuple[float, np.ndarray]:
    """The multiclass hinge loss and its gradient (the reference's formula, for variants)."""
    rows = np.arange(x.shape[0])
    slack = x - x[rows, t][:, None] + margin
    slack[rows, t] = 0.0
    active = (slack > 0).astype(np.float64)
    grad = active.copy()
    grad[rows, t] = -active.sum(axis=1)
    return float(np.maximum(slack, 0).sum() / x.shape[0]), grad / x.shape[0]


def batched(x: np.ndarray) -> bool:
    """Does the case tell a mean over the batch from a mean over every entry (N > 1 and D > 1)?"""
    return x.ndim > 1 and 1 < x.shape[0] < x.size


def _class_loss(name: str, case: Case, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    """A class loss and its gradient for the labels ``t`` (the reference's formulas)."""
    if name == "losses.HingeLoss":
        return hinge(x, t, case.kwargs.get("margin", 1.0))
    N, C = x.shape
    log_probs = log_softmax(x)
    return float(-np.mean(log_probs[np.arange(N), t])), (np.exp(log_probs) - np.eye(C)[t]) / N


def _wrong_class_column(name: str, case: Case, x: np.ndarray, t: np.ndarray) -> dict[str, tuple[float, np.ndarray]]:
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
    return {tag: _class_loss(name, case, x, wrong) for tag, wrong in columns.items() if not np.array_equal(wrong, t)}


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


def _wrong_column_variants(name: str, case: Case, x: np.ndarray, t: np.ndarray, part: int) -> Variants:
    """``part`` 0: the loss, 1: the gradient, of each wrong column."""
    return {
        tag: (np.asarray(pair[part]), _WRONG_COLUMN[tag]) for tag, pair in _wrong_class_column(name, case, x, t).items()
    }


# ------------------------------------------------------------------------------- forward
def _reductions(name: str, x: np.ndarray, value: float) -> Variants:
    """The loss summed, or averaged over the batch only, where the case tells these apart."""
    M, N = x.size, x.shape[0]
    if M < 2:
        return {}
    if not batched(x):  # a vector, or one sample: a sum over the features is a sum over everything
        return {
            "loss-summed": (
                np.asarray(value * M),
                f"the {M} terms were summed; the loss is their mean (divide by the number of entries, {M})",
            )
        }
    tag = "mse-mean-over-batch-only" if name == "losses.MSELoss" else "mean-over-batch-only"
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


def _cross_entropy_forward(x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    N, C = x.shape
    rows = np.arange(N)
    log_probs = log_softmax(x)
    v: Variants = {
        "ce-log-missing": (
            np.asarray(-np.mean(np.exp(log_probs)[rows, t])),
            "the probabilities themselves were averaged; the loss is minus the mean of their logs",
        )
    }
    if C > 1:
        v["ce-mean-over-classes"] = (
            np.asarray(value / C),
            f"averaged over all N * C entries (np.mean of onehot * log_probs), so divided by C = {C} too; "
            "the loss averages over the N samples only",
        )
    if N > 1:
        z = np.exp(x - x.max(axis=0))
        v["softmax-wrong-axis"] = (
            np.asarray(-np.mean(np.log(z / z.sum(axis=0))[rows, t])),
            "the softmax was taken over the batch (axis 0); it runs over the classes of each sample (axis 1)",
        )
        v["ce-fancy-index-all-rows"] = (
            np.asarray(-np.mean(log_probs[:, t])),
            "log_probs[:, y] picks column y_n of *every* row (an N x N array); the loss takes entry "
            "(n, y_n) of row n only: log_probs[np.arange(N), y]",
        )
    return v


def _hinge_forward(case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    margin = case.kwargs.get("margin", 1.0)
    v: Variants = {
        "hinge-counts-true-class": (
            np.asarray(value + margin),
            "the true class j = y was counted in the sum, adding `margin` per sample; sum over j != y only",
        ),
        "hinge-divided-by-classes": (
            np.asarray(value / x.shape[1]),
            "divided by the number of classes C (torch's MultiMarginLoss does); the HingeLoss of docs/api.md does not",
        ),
    }
    if margin != 1.0:
        v["hinge-margin-ignored"] = (
            np.asarray(hinge(x, t, 1.0)[0]),
            "used margin 1 instead of the constructor's `margin`",
        )
    return v


def forward_variants(name: str, case: Case, x: np.ndarray, t: np.ndarray, value: float) -> Variants:
    """What a known buggy forward returns, for the loss ``name`` on input ``x`` and target ``t``."""
    v: Variants = _reductions(name, x, value) if name in ELEMENTWISE else {}
    soft = not np.isin(t, (0.0, 1.0)).all()
    with np.errstate(all="ignore"):
        if name == "losses.MSELoss":
            v["mse-root"] = (
                np.asarray(np.sqrt(value)),
                "took the square root (RMSE); MSELoss is the mean of the squares, without a root",
            )
        if name == "losses.BCELoss":
            hard = -np.mean(np.where(t == 1, np.maximum(np.log(x), -100.0), np.maximum(np.log1p(-x), -100.0)))
            if soft:
                v["bce-hard-labels-only"] = (np.asarray(hard), _HARD_LABELS)
            v["bce-swapped-terms"] = (
                np.asarray(-np.mean(t * np.log1p(-x) + (1 - t) * np.log(x))),
                "log p and log(1 - p) were swapped: the target t = 1 goes with log p",
            )
            v["bce-sigmoid-applied"] = (
                np.asarray(np.mean(np.logaddexp(0.0, x) - x * t)),
                "the input was passed through a sigmoid (BCEWithLogitsLoss's formula); BCELoss's input is already "
                "a probability: -(t log p + (1 - t) log(1 - p))",
            )
        if name == "losses.BCEWithLogitsLoss" and soft:
            hard = np.mean(np.where(t == 1, np.logaddexp(0.0, -x), np.logaddexp(0.0, x)))
            v["bce-hard-labels-only"] = (np.asarray(hard), _HARD_LABELS)
        if name == "losses.CrossEntropyLoss":
            v.update(_cross_entropy_forward(x, t, value))
        if name == "losses.HingeLoss":
            v.update(_hinge_forward(case, x, t, value))
        if name in CLASSES:
            v.update(_wrong_column_variants(name, case, x, t, 0))
    return v


# ------------------------------------------------------------------------------- backward
def _cross_entropy_backward(x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    N, C = x.shape
    probs = np.exp(log_softmax(x))
    onehot = np.eye(C)[t]
    v: Variants = {
        "ce-grad-no-onehot": (
            probs / N,
            "the one-hot target was not subtracted: the gradient is (softmax - onehot(y)) / N",
        ),
        "ce-onehot-added": (
            (probs + onehot) / N,
            "the one-hot target was added, not subtracted: the gradient is (softmax - onehot(y)) / N",
        ),
    }
    if N > 1:
        v["ce-grad-not-divided"] = (
            grad * N,
            f"the gradient was not divided by the batch size N = {N}: forward takes the mean, so the gradient is "
            "(softmax - onehot) / N",
        )
        wrong_rows = probs.copy()
        wrong_rows[:, t] -= 1.0  # numpy's fancy-index assignment, as the student's line runs it
        if not np.allclose(wrong_rows, probs - onehot):
            v["ce-onehot-wrong-rows"] = (
                wrong_rows / N,
                "grad[:, y] -= 1 subtracts 1 from column y_n of *every* row; the one-hot target touches entry "
                "(n, y_n) of row n only: grad[np.arange(N), y] -= 1",
            )
    if C > 1:
        v["ce-mean-over-classes"] = (
            grad / C,
            f"divided by N * C, the number of entries, where forward averages over the N samples: a factor "
            f"1/C = 1/{C} too many",
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
    }
    margin = case.kwargs.get("margin", 1.0)
    if margin != 1.0:
        v["hinge-margin-ignored"] = (hinge(x, t, 1.0)[1], "used margin 1 instead of the constructor's `margin`")
    return v


def backward_variants(name: str, case: Case, x: np.ndarray, t: np.ndarray, grad: np.ndarray) -> Variants:
    """What a known buggy backward returns; ``grad`` is the right gradient."""
    v: Variants = {}
    M, N = x.size, x.shape[0]
    if name in ELEMENTWISE and batched(x):
        tag = "mse-grad-divided-by-batch" if name == "losses.MSELoss" else "grad-divided-by-batch"
        v[tag] = (
            grad * M / N,
            f"divided by the batch size N = {N}; the mean runs over all M = {M} entries, so divide by M",
        )
    elif name in ELEMENTWISE and M > 1:  # a vector, or one sample: N = 1 or N = M hides which count was used
        v["grad-not-averaged"] = (
            grad * M,
            f"not divided by the number of entries M = {M}: forward averages over all of them, so the gradient "
            "carries a factor 1/M",
        )
    with np.errstate(all="ignore"):
        if name == "losses.MSELoss":
            v["mse-grad-missing-2"] = (grad / 2, "the factor 2 of d(x - t)^2/dx = 2 (x - t) is missing")
        if name == "losses.BCELoss":
            v["bce-grad-as-logits"] = (
                (x - t) / M,
                "used (p - t) / M, the gradient with respect to the logits; with respect to the probabilities p "
                "it is (p - t) / (p (1 - p)) / M",
            )
        if name == "losses.BCEWithLogitsLoss":
            v["bce-logits-grad-without-sigmoid"] = (
                (x - t) / M,
                "used the logits x where sigmoid(x) belongs: the gradient is (sigmoid(x) - t) / M",
            )
            s = sigmoid(x)
            v["bce-logits-grad-probability-formula"] = (
                (s - t) / (s * (1 - s)) / M,
                "divided by sigmoid'(x): with logits the sigmoid's derivative cancels, leaving (sigmoid(x) - t) / M",
            )
        if name == "losses.CrossEntropyLoss":
            v.update(_cross_entropy_backward(x, t, grad))
        if name == "losses.HingeLoss":
            v.update(_hinge_backward(case, x, t, grad))
        if name in CLASSES:
            v.update(_wrong_column_variants(name, case, x, t, 1))
    return v


# ------------------------------------------------------------------------------- subsets, factors
def backward_subsets(name: str, case: Case, x: np.ndarray, t: np.ndarray) -> dict[str, Subset]:
    """The correct-class entries of a class loss's gradient, and the others (for hinge: those that violate)."""
    if name not in CLASSES:
        return {}
    margin = case.kwargs.get("margin", 1.0)
    true = np.eye(x.shape[1], dtype=bool)[t]
    if name == "losses.CrossEntropyLoss":
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
            "the true class's gradient is wrong: x[n, y_n] gets -(number of classes that violate the margin) / N",
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


def factors(name: str, x: np.ndarray) -> Factors:
    """The quantities of the case a wrong loss or gradient may be off by, with the mistake each means."""
    if name in ELEMENTWISE and batched(x):
        N, D = x.shape[0], x.size // x.shape[0]
        return {
            float(D): (
                "mean-over-batch-only",
                f"D = {D} is the number of entries per sample: divided by the batch size N = {N} only, where the "
                f"mean runs over all N * D = {x.size} entries",
            ),
            1.0 / D: (
                "divided-by-features",
                f"D = {D} is the number of entries per sample: divided by D once too often",
            ),
        }
    if name == "losses.CrossEntropyLoss" and x.shape[1] > 1:
        C = x.shape[1]
        return {
            1.0 / C: (
                "ce-mean-over-classes",
                f"C = {C} is the number of classes: averaged over all N * C entries, where the loss averages over "
                "the N samples only",
            )
        }
    return {}
