"""Loss mistakes in how a formula is put together, computed for every loss they apply to.

Four classes of student mistake, each simulated on the case's numbers so that a match says
what the mistake *is* (loss_mistakes.py hands these to the diagnosis with the rest):

* the order of operations: the square of the mean error for the mean of the squares, the log
  of the mean likelihood for the mean of the logs, a norm left unsquared;
* a clamp the wrong way round: np.minimum where np.maximum belongs (every log becomes the
  floor), clip bounds exchanged (every probability becomes the bound);
* a sign inside the formula: the minus of the log-likelihood on its first term only (operator
  precedence), the hinge's margin subtracted or its score difference reversed; parentheses left out
  around BCE's weight 1 - t or its gradient's denominator p (1 - p);
* what the target selects: every class's log-probability averaged, not the true class's.

Variants that share a base tag ("bce-clamp#p") are one mistake in several spellings.
"""

from __future__ import annotations

import numpy as np

Variants = dict[str, tuple[np.ndarray, str]]

LOG_CLAMP = -100.0  # PyTorch's floor for each log of BCELoss (docs/api.md)
BCE_GRAD_EPS = 1e-12  # PyTorch's floor for p (1 - p) in BCELoss's backward
# Where students clip probabilities instead of clamping the logs (Keras 1e-7, scikit-learn 1e-15, ...).
CLIP_EPSILONS = (1e-7, 1e-8, 1e-10, 1e-12, 1e-15)
# Where students clip logits "against overflow": round bounds, exp's float32 and float64 limits (88, 709).
LOGIT_CLIPS = (10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 88.0, 100.0, 500.0, 700.0, 709.0)

# The stable form's two ways to add |x| for a negative logit (losses._overflow_probed tells them apart).
ABS_MISSING = "abs-missing-in-stable-form"  # e^-x for e^-|x| in the log term
ABS_FOR_MAX = "abs-for-max"  # |x| for max(x, 0)

# The loss formulas whose mistakes are simulated here and in loss_mistakes.py (``Component.formula``).
MSE = "mse"  # mean((x - t)^2) over every entry
BCE = "bce"  # -mean(t log p + (1 - t) log(1 - p)) of probabilities, each log clamped at -100
BCE_LOGITS = "bce-with-logits"  # the same of sigmoid(x), written stably on logits
CROSS_ENTROPY = "cross-entropy"  # -mean_n log softmax(x_n)[y_n] of logits and class labels
HINGE = "hinge"  # mean_n sum_{j != y_n} max(0, x[n, j] - x[n, y_n] + margin) (Weston-Watkins)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def hinge(x: np.ndarray, t: np.ndarray, margin: float) -> tuple[float, np.ndarray]:
    """The multiclass hinge loss and its gradient (the reference's formula, for variants)."""
    return hinge_of_slack(hinge_slack(x, t, margin), t)


def hinge_slack(x: np.ndarray, t: np.ndarray, margin: float) -> np.ndarray:
    """Each class's slack x_j - x_y + margin, the true class's set to 0 (it does not count)."""
    rows = np.arange(x.shape[0])
    slack = x - x[rows, t][:, None] + margin
    slack[rows, t] = 0.0
    return slack


def hinge_of_slack(slack: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    """The mean hinge loss and its gradient from each class's slack, the entries that do not count already 0
    (a mistake that drops other entries passes its own slack): +1 per active class, minus their count at y_n."""
    N = slack.shape[0]
    active = (slack > 0).astype(np.float64)
    grad = active.copy()
    grad[np.arange(N), t] = -active.sum(axis=1)
    return float(np.maximum(slack, 0.0).sum() / N), grad / N


# ------------------------------------------------------------------------------- MSE
_MEAN_OF_SQUARES = "MSE is the mean of the squares, mean((x - t)^2): square each error first, then average"


def mse_forward(x: np.ndarray, t: np.ndarray) -> Variants:
    d = x - t
    M = d.size
    v: Variants = {}
    if 1 < d.ndim < M:  # x.ndim read as the count, as in mse_backward
        v["loss-denominator#ndim"] = (
            np.asarray(np.sum(d**2) / d.ndim),
            f"the sum of the squares was divided by x.ndim = {d.ndim}, the number of axes, instead of x.size = {M}, "
            f"the number of entries: {_MEAN_OF_SQUARES}",
        )
    v["loss-denominator#nbytes"] = (
        np.asarray(np.sum(d**2) / d.nbytes),
        f"the sum of the squares was divided by x.nbytes = {d.nbytes}, the array's size in bytes ({d.itemsize} per "
        f"entry), instead of x.size = {M}, the number of entries: {_MEAN_OF_SQUARES}",
    )
    v |= {
        "mse-square-of-mean": (
            np.asarray(np.mean(d) ** 2),
            f"the mean error was squared, (mean(x - t))^2, so positive and negative errors cancel before the "
            f"square; {_MEAN_OF_SQUARES}",
        ),
        "mse-not-squared": (
            np.asarray(np.mean(d)),
            f"the errors were averaged without being squared, so positive and negative ones cancel; {_MEAN_OF_SQUARES}",
        ),
        "mse-difference-of-squares": (
            np.asarray(np.mean(x**2 - t**2)),
            f"the difference of the squares, mean(x^2 - t^2), was taken for the square of the difference; "
            f"{_MEAN_OF_SQUARES}",
        ),
        "mse-absolute-error": (
            np.asarray(np.mean(np.abs(d))),
            "this is the mean absolute error, mean(|x - t|) (L1); MSE averages the squared errors, mean((x - t)^2)",
        ),
        "mse-norm-not-squared": (
            np.asarray(np.sqrt(np.sum(d**2)) / M),
            f"np.linalg.norm(x - t) / M: the norm is the square root of the sum of squares; MSE divides the "
            f"squared norm, sum((x - t)^2), by the M = {M} entries",
        ),
    }
    v.update(_matrix_norms(d))
    if M > 1:  # one entry has no spread: its variance is 0
        v["variance-for-mse"] = (
            np.asarray(np.var(d)),
            "the loss was the variance of the error, np.var(x - t), which subtracts the mean error before squaring, "
            "mean((d - mean(d))^2), so an offset shared by every entry costs nothing; "
            f"{_MEAN_OF_SQUARES}, without subtracting their mean",
        )
        v["mse-square-of-mean#sum"] = (
            np.asarray(np.sum(d) ** 2 / M),
            f"the sum of the errors was squared, then divided by M = {M}: the errors cancel before the square; "
            f"{_MEAN_OF_SQUARES}",
        )
    return v


_SPECTRAL = (
    "the loss is {}, and np.linalg.norm(d, 2) of the 2-D error d = x - t is the matrix 2-norm, its largest singular "
    "value: with an ord given, norm takes a 2-D array as a matrix, not as a list of entries, so it is not the square "
    "root of the sum of the squares (and it refuses arrays of another number of axes). The entry-wise (Frobenius) "
    "norm is np.linalg.norm(d) without ord, which flattens any shape; {}"
)


def _matrix_norms(d: np.ndarray) -> Variants:
    """The error's norm taken with ord=2 (np.linalg.norm(d, 2)): for a 2-D array that is the spectral norm, which
    differs from the entry-wise norm unless a row or a column holds every entry."""
    if d.ndim != 2 or min(d.shape) < 2:
        return {}
    spectral, M = float(np.linalg.norm(d, 2)), d.size
    return {
        "norm-not-entrywise#spectral": (
            np.asarray(spectral**2 / M),
            _SPECTRAL.format(f"np.linalg.norm(d, 2) ** 2 / M (M = {M})", _MEAN_OF_SQUARES),
        ),
        "norm-not-entrywise#spectral-unsquared": (
            np.asarray(spectral / M),
            _SPECTRAL.format(f"np.linalg.norm(d, 2) / M (M = {M})", f"and the norm is squared: {_MEAN_OF_SQUARES}"),
        ),
    }


def mse_backward(x: np.ndarray, t: np.ndarray) -> Variants:
    d = x - t
    v: Variants = {}
    if 1 < d.ndim < d.size:
        # x.ndim (or len(x.shape)) read as the count: the number of axes, where the number of entries belongs (on a
        # vector that is a division by 1, the sum, which its own variant names)
        v["loss-denominator#ndim"] = (
            2.0 * d / d.ndim,
            f"the gradient was divided by x.ndim = {d.ndim}, the number of axes, instead of x.size = {d.size}, the "
            "number of entries M the mean runs over: 2 (x - t) / M",
        )
    # x.nbytes read as the count: the memory size in bytes, itemsize (8 for float64) times the number of entries
    v["loss-denominator#nbytes"] = (
        2.0 * d / d.nbytes,
        f"the gradient was divided by x.nbytes = {d.nbytes}, the array's size in bytes ({d.itemsize} per entry), "
        f"instead of x.size = {d.size}, the number of entries M the mean runs over: 2 (x - t) / M",
    )
    if d.size > 1:
        v["variance-for-mse"] = (
            2.0 * (d - np.mean(d)) / d.size,
            "the gradient was that of the variance of the error, 2 (d - mean(d)) / M with d = x - t: the mean error "
            "was subtracted first; MSE's gradient is 2 (x - t) / M, entry by entry",
        )
    # np.sign(x - t) where x - t belongs: the derivative of the absolute error |x - t| (L1), which every
    # error pushes alike, with or without MSE's factor 2.
    for factor, written in ((1.0, "sign(x - t) / M"), (2.0, "2 sign(x - t) / M")):
        v[f"derivative-is-sign#mse-{factor:g}"] = (
            factor * np.sign(d) / d.size,
            f"the gradient is {written}: the sign of the error, the derivative of the absolute error |x - t| (L1 "
            "loss), where MSE's is 2 (x - t) / M, proportional to the error itself: d(x - t)^2/dx = 2 (x - t)",
        )
    return v | {
        "mse-square-of-mean": (
            np.full(d.shape, 2.0 * np.mean(d) / d.size),
            "every entry is 2 mean(x - t) / M, the gradient of the squared mean error; the gradient of the mean "
            "of the squares is 2 (x - t) / M, entry by entry",
        ),
        "mse-grad-of-squares": (
            2.0 * d**2 / d.size,
            "the gradient used the squared errors, 2 (x - t)^2 / M (forward saved (x - t)**2 where backward needs "
            "the error itself): d(x - t)^2/dx = 2 (x - t)",
        ),
    }


# ------------------------------------------------------------------------------- BCE (probabilities, logits)
_PRECEDENCE = (
    "the minus sign covers only the first term, -t log p + (1 - t) log(1 - p) (operator precedence); "
    "the whole sum is negated: -(t log p + (1 - t) log(1 - p)), with parentheses"
)
_SECOND_TERM = (
    "the second term has the wrong sign: -t/p - (1 - t)/(1 - p); the derivative of -(1 - t) log(1 - p) is "
    "+(1 - t)/(1 - p), so the gradient is (-t/p + (1 - t)/(1 - p)) / M = (p - t) / (p (1 - p)) / M"
)
# 1.0 - t * log(1 - p): the weight (1 - t) written without its parentheses, so the product is taken first.
_WEIGHT_PRECEDENCE = (
    "the weight of the second term was written 1 - t * log(1 - p), without parentheses: multiplication binds before "
    "subtraction (operator precedence), so that is 1 minus t log(1 - p), not (1 - t) times log(1 - p); the loss is "
    "-(t log p + (1 - t) log(1 - p)), with (1 - t) in parentheses"
)
_MEAN_OF_LOGS = (
    "the log of the mean likelihood, -log(mean(t p + (1 - t)(1 - p))); the loss is the mean of the logs, "
    "-mean(t log p + (1 - t) log(1 - p)): take the log of each term first, then average"
)


_LOG1P = "np.log1p(z) is log(1 + z), with the sign of z inside the argument"
# np.log1p written where np.log belongs (taken for a "safer" log): it adds 1 inside the log.
_LOG1P_FOR_LOG = (
    "{log} was computed as {written}, which is {value}: np.log1p(z) is log(1 + z), it adds 1 inside the log (the "
    "accurate log(1 + z) for a small z, not a stabler log); {right}"
)
_EACH_LOG = (
    "each term has its own log, t with log p and 1 - t with log(1 - p), -(t log p + (1 - t) log(1 - p)); with the "
    "same log in both the loss no longer depends on t"
)
_MAX_FOR_MAXIMUM = (
    "np.max(a, 0) is a reduction: its second argument is an axis, so it took the largest entry of each column "
    "and broadcast it back; the element-wise max(a, 0), each entry with 0, is np.maximum(a, 0)"
)


def _log_base(base: int, spelled: str) -> str:
    return (
        f"the logs were taken in base {base} ({spelled}), so the loss is 1/ln {base} = {1 / np.log(base):.4g} times "
        "the natural-log loss, and its gradient no longer matches it; the losses use the natural log, np.log"
    )


def _bce(t: np.ndarray, log_p: np.ndarray, log_1mp: np.ndarray) -> np.ndarray:
    return np.asarray(-np.mean(t * log_p + (1.0 - t) * log_1mp))


def _log_terms(log_p: np.ndarray, log_1mp: np.ndarray, t: np.ndarray) -> Variants:
    """The order-of-operations and precedence mistakes of binary cross-entropy, from its two logs, and one
    log written in both terms (a copied term whose log was not changed)."""
    likelihood = t * np.exp(log_p) + (1.0 - t) * np.exp(log_1mp)
    return {
        "bce-term-sign": (np.asarray(np.mean(-t * log_p + (1.0 - t) * log_1mp)), _PRECEDENCE),
        "operator-precedence#bce-weight": (np.asarray(-np.mean(t * log_p + 1.0 - t * log_1mp)), _WEIGHT_PRECEDENCE),
        "bce-log-of-mean": (np.asarray(-np.log(np.mean(likelihood))), _MEAN_OF_LOGS),
        "bce-wrong-log-term#second": (_bce(t, log_p, log_p), f"the second term took log p again: {_EACH_LOG}"),
        "bce-wrong-log-term#first": (_bce(t, log_1mp, log_1mp), f"the first term took log(1 - p): {_EACH_LOG}"),
    }


def bce_forward(p: np.ndarray, t: np.ndarray) -> Variants:
    """BCELoss: its precedence and order mistakes, and its clamp done the wrong way round."""
    with np.errstate(divide="ignore"):
        log_p, log_1mp = np.log(p), np.log1p(-p)
    floor_p, floor_1mp = np.maximum(log_p, LOG_CLAMP), np.maximum(log_1mp, LOG_CLAMP)
    cap_p, cap_1mp = np.minimum(log_p, LOG_CLAMP), np.minimum(log_1mp, LOG_CLAMP)
    capped = (
        "clamped with np.minimum(log, -100), which caps the log at -100 instead of flooring it there, so it became "
        "-100 (or less) for every p; the floor is np.maximum(log, -100): keep the log unless it is below -100"
    )
    v = _log_terms(floor_p, floor_1mp, t)
    for base, spelled in ((2, "np.log2"), (10, "np.log10")):
        v[f"wrong-log-base#{base}"] = (
            _bce(t, np.maximum(log_p / np.log(base), LOG_CLAMP), np.maximum(log_1mp / np.log(base), LOG_CLAMP)),
            _log_base(base, spelled),
        )
    v["log1p-sign"] = (
        _bce(t, floor_p, np.maximum(np.log1p(p), LOG_CLAMP)),
        f"log(1 - p) was computed as np.log1p(p), which is log(1 + p): {_LOG1P}, so log(1 - p) is np.log1p(-p)",
    )
    # np.log1p given the argument of np.log, in one term or both: log(1 + p), log(2 - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        plus_p, plus_1mp = np.maximum(np.log1p(p), LOG_CLAMP), np.maximum(np.log1p(1.0 - p), LOG_CLAMP)
    right = "log(1 - p) is np.log1p(-p) (or np.log(1 - p)), and log p is np.log(p)"
    v["log1p-for-log#1-p"] = (
        _bce(t, floor_p, plus_1mp),
        _LOG1P_FOR_LOG.format(log="log(1 - p)", written="np.log1p(1 - p)", value="log(2 - p)", right=right),
    )
    v["log1p-for-log#p"] = (
        _bce(t, plus_p, floor_1mp),
        _LOG1P_FOR_LOG.format(log="log p", written="np.log1p(p)", value="log(1 + p)", right=right),
    )
    v["log1p-for-log#both"] = (
        _bce(t, plus_p, plus_1mp),
        _LOG1P_FOR_LOG.format(
            log="each log", written="np.log1p(p) and np.log1p(1 - p)", value="log(1 + p) and log(2 - p)", right=right
        ),
    )
    v["bce-clamp#both"] = (_bce(t, cap_p, cap_1mp), f"each log was {capped}")
    v["bce-clamp#p"] = (_bce(t, cap_p, floor_1mp), f"log p was {capped}")
    v["bce-clamp#1-p"] = (_bce(t, floor_p, cap_1mp), f"log(1 - p) was {capped}")
    v["bce-clamp#floor-at-plus-100"] = (
        _bce(t, np.maximum(log_p, -LOG_CLAMP), np.maximum(log_1mp, -LOG_CLAMP)),
        "each log was floored at +100 (np.maximum(log, 100)), which makes every log 100; the floor is -100: "
        "np.maximum(log, -100)",
    )
    for eps in CLIP_EPSILONS:
        v[f"bce-clamp#eps-in-log-{eps:g}"] = (
            _bce(t, np.log(p + eps), np.log(1.0 - p + eps)),
            f"eps = {eps:g} was added inside each log, log(p + eps): that shifts every term a little and makes "
            f"-log 0 count as {-np.log(eps):.4g}; PyTorch clamps each log at -100 instead, np.maximum(log p, -100), "
            "which changes nothing for p inside (0, 1)",
        )
        for q, bound in ((eps, f"{eps:g}"), (1.0 - eps, f"1 - {eps:g}")):
            v[f"bce-clamp#every-p-{bound}"] = (
                _bce(t, np.full(p.shape, np.log(q)), np.full(p.shape, np.log1p(-q))),
                f"every p became {bound}: p was clipped with its bounds the wrong way round (np.clip(p, 1 - eps, "
                "eps), or np.minimum where np.maximum belongs), which pins it to one bound; np.clip(p, eps, 1 - eps) "
                "keeps p unless it is within eps of 0 or 1",
            )
    return v


# What the np.minimum reading gives where the probe at p = 0 stays finite (losses._floor_probed).
FLOORED_EVERYWHERE = (
    "the denominator was the floor 1e-12 for every p: np.maximum(p (1 - p), 1e-12) keeps p (1 - p) unless it is "
    "below 1e-12, so what it floored came out 0 or negative for every p, a sign or parenthesis slip (p * 1 - p "
    "is 0, p * (p - 1) is negative); the denominator is p * (1 - p), with its parentheses"
)


def _bce_denominator_mixed(p: np.ndarray, t: np.ndarray) -> Variants:
    """The denominator p (1 - p) written with the target t in place of one p (or both): t and p sit side by side
    in the formula, and one of them was typed (or copied) for the other."""
    if np.array_equal(p, t):
        return {}
    written = {"p (1 - t)": p * (1.0 - t), "t (1 - p)": t * (1.0 - p), "t (1 - t)": t * (1.0 - t)}
    return {
        f"copy-paste#bce-denominator-{name.replace(' ', '')}": (
            (p - t) / np.maximum(value, BCE_GRAD_EPS) / p.size,
            f"the denominator is {name} where p (1 - p) belongs: the target t was written in place of the "
            "probability p; the derivative of -(t log p + (1 - t) log(1 - p)) is (p - t) / (p (1 - p)), both "
            "factors the probability's (PyTorch floors p (1 - p) at 1e-12)",
        )
        for name, value in written.items()
        # (floored at every entry, t (1 - t) with hard targets, it is the floor-everywhere mistake's numbers)
        if (value > BCE_GRAD_EPS).any()
    }


def bce_backward(p: np.ndarray, t: np.ndarray) -> Variants:
    return {
        # (p - t) / p * (1 - p): / and * bind alike and run left to right, so 1 - p multiplies instead of dividing.
        "operator-precedence#bce-denominator": (
            (p - t) / p * (1.0 - p) / p.size,
            "the gradient was written (p - t) / p * (1 - p): division and multiplication bind alike and run from left "
            "to right (operator precedence), so that divides by p and then multiplies by 1 - p; the denominator is the "
            "product p (1 - p), which needs parentheses: (p - t) / (p * (1 - p)) / M (PyTorch floors p (1 - p) at "
            "1e-12)",
        ),
        "bce-term-sign": ((-t / p - (1.0 - t) / (1.0 - p)) / p.size, _SECOND_TERM),
        **_bce_denominator_mixed(p, t),
        # The floor put on the numerator: np.maximum(p - t, 1e-12) raises every negative p - t (p < t) to 1e-12, so
        # those entries lose their sign and their size. A floor on the whole gradient (at 1e-12 or at 0) gives the
        # same numbers to diagnose's tolerance (each leaves about 0 there), so one sentence names them together.
        "floor-scope#bce-numerator": (
            np.maximum(p - t, BCE_GRAD_EPS) / (p * (1.0 - p)) / p.size,
            "every entry with p < t, whose gradient is negative, came out about 0: a floor meant for the denominator "
            "was put on the numerator, np.maximum(p - t, 1e-12), or on the whole gradient (np.maximum(grad, 1e-12) "
            "or np.maximum(grad, 0); these give the same numbers), so each negative p - t was raised to about 0 and "
            "lost its sign, and those inputs are never pushed up. The floor only keeps the division by p (1 - p) "
            "finite; the numerator keeps its sign: (p - t) / np.maximum(p * (1 - p), 1e-12) / M",
        ),
        "bce-clamp": (
            (p - t) / np.minimum(p * (1.0 - p), BCE_GRAD_EPS) / p.size,
            "the denominator p (1 - p) was floored with np.minimum(p (1 - p), 1e-12), which makes it 1e-12 for "
            "every p; np.maximum keeps it unless it is smaller than 1e-12",
        ),
    }


def bce_logits_forward(x: np.ndarray, t: np.ndarray) -> Variants:
    """BCEWithLogitsLoss written through the sigmoid (the same precedence and order mistakes), or as the
    stable max(x, 0) - x t + log(1 + e^-|x|) with one term's sign wrong or one term left out."""
    v = _log_terms(-np.logaddexp(0.0, -x), -np.logaddexp(0.0, x), t)
    relu, xt, soft = np.maximum(x, 0.0), x * t, np.log1p(np.exp(-np.abs(x)))
    stable = "max(x, 0) - x t + log(1 + exp(-|x|))"
    v["bce-term-sign#xt"] = (np.asarray(np.mean(relu + xt + soft)), f"the x t term has the wrong sign: {stable}")
    v["bce-term-sign#log"] = (np.asarray(np.mean(relu - xt - soft)), f"the log term has the wrong sign: {stable}")
    # max(-x, 0): the sign inside the max term, which makes it softplus(-x)'s term (the loss of the flipped logit).
    v["sign-flipped#max-term"] = (
        np.asarray(np.mean(np.maximum(-x, 0.0) - xt + soft)),
        "the max term has the wrong sign inside it, max(-x, 0) where max(x, 0) belongs: log(1 + e^x) = max(x, 0) + "
        f"log(1 + e^-|x|), so for a positive logit the max term is x itself and for a negative one 0; the loss is "
        f"{stable}",
    )
    v.update(_max_term_misspelled(x, xt, soft, stable))
    v["bce-logits-term-missing#relu"] = (
        np.asarray(np.mean(soft - xt)),
        f"the max(x, 0) term is missing: log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), so the loss is {stable}",
    )
    z = np.exp(-np.abs(x))
    with np.errstate(divide="ignore", invalid="ignore"):
        v["log1p-sign#logits"] = (
            np.asarray(np.mean(relu - xt + np.log1p(-z))),
            f"log(1 + e^-|x|) was computed as np.log1p(-e^-|x|), which is log(1 - e^-|x|): {_LOG1P}; the loss is "
            f"{stable}",
        )
    v["max-for-maximum"] = (np.asarray(np.mean(np.max(x, axis=0) - xt + soft)), f"{_MAX_FOR_MAXIMUM}: {stable}")
    # The loss taken through a stable sigmoid whose x < 0 branch lost its / (1 + z): e^x for sigmoid(x) there.
    e = np.exp(-np.abs(x))
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(x >= 0, 1.0 / (1.0 + e), e)
        v["stable-form-term-missing#sigmoid-negative-branch"] = (
            _bce(t, np.maximum(np.log(q), LOG_CLAMP), np.maximum(np.log1p(-q), LOG_CLAMP)),
            "the loss took e^x for sigmoid(x) at every negative logit: the stable sigmoid's x < 0 branch was written "
            "z = e^-|x| alone, without its division by 1 + z; for x < 0, sigmoid(x) = e^x / (1 + e^x) = z / (1 + z) "
            f"(np.where(x >= 0, 1, z) / (1 + z) covers both branches). On logits the loss needs no sigmoid: {stable}",
        )
    with np.errstate(over="ignore"):  # e^-x of a large negative logit: the overflow is the mistake's own
        v[ABS_MISSING] = (
            np.asarray(np.mean(relu - xt + np.log1p(np.exp(-x)))),
            "the log term was written log(1 + e^-x), without the absolute value: for a negative logit that is "
            "log(1 + e^|x|), too large by |x| (and e^-x overflows for very negative x); the stable form takes "
            f"the exponential of -|x|, never of a positive number: {stable}",
        )
    # |x| for max(x, 0) adds |x| for a negative logit, as e^-x for e^-|x| does: the same numbers wherever e^-x is
    # finite (losses._overflow_probed tells them apart at a logit whose e^-x overflows).
    v[ABS_FOR_MAX] = (
        np.asarray(np.mean(np.abs(x) - xt + soft)),
        "|x| was written for max(x, 0) in the stable form: log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), and for a "
        f"negative logit |x| = -x where max(x, 0) = 0, so each negative logit adds |x| too much; the loss is {stable}",
    )
    v["abs-on-linear-term"] = (
        np.asarray(np.mean(relu - np.abs(x) * t + soft)),
        "the linear term was written |x| t: the absolute value belongs to the log term only, log(1 + e^-|x|); "
        f"the term x t keeps the sign of x (without the absolute value): {stable}",
    )
    if x.ndim == 1 and x.size > 1:  # np.dot(x, t) of two vectors: one number, the sum of x t (2-D ones crash)
        v["matmul-for-elementwise#linear-term-dot"] = (
            np.asarray(np.mean(relu + soft) - np.sum(xt)),
            "the linear term was np.dot(x, t) (or x @ t): of two vectors that is one number, the sum of every x t, "
            "taken away from each entry before the mean, so the loss holds sum(x t) where the mean of x t belongs; "
            f"the term is entrywise, x * t: {stable}",
        )
    # The linear term written with the stable form's other piece of x, max(x, 0) t: the max belongs to the
    # softplus split only, so every negative logit loses its x t.
    v["formula-wrong#linear-term-max"] = (
        np.asarray(np.mean(relu - relu * t + soft)),
        "the linear term was written max(x, 0) t: the max belongs to log(1 + e^x) = max(x, 0) + log(1 + e^-|x|) "
        "only; -log sigmoid(x) t - log(1 - sigmoid(x)) (1 - t) = log(1 + e^x) - x t, so the term x t keeps every "
        f"logit, the negative ones too: {stable}",
    )
    v["log1p-for-log#logits"] = (
        np.asarray(np.mean(relu - xt + np.log1p(1.0 + z))),
        _LOG1P_FOR_LOG.format(
            log="log(1 + e^-|x|)",
            written="np.log1p(1 + e^-|x|)",
            value="log(2 + e^-|x|)",
            right=f"the loss is {stable}",
        ),
    )
    v["log1p-as-log"] = (
        np.asarray(np.mean(relu - xt + np.log(z))),
        "log(1 + e^-|x|) was computed as np.log(e^-|x|), without the 1 + (np.log where np.log1p belongs): "
        f"np.log1p(z) is log(1 + z); the loss is {stable}",
    )
    return v


def _max_term_misspelled(x: np.ndarray, xt: np.ndarray, soft: np.ndarray, stable: str) -> Variants:
    """The stable form with its max(x, 0) term written as another piece of x: the other clamp, np.minimum(x, 0)
    (min and max confused), or x itself (the naive x + log(1 + e^-x) with only the exponent made |x|). Each is
    right on one side of 0 and wrong on the other, so the loss is off by the logits of that side."""
    split = "log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), so the term is x for a positive logit and 0 for a negative one"
    return {
        "min-max-confused#stable-form": (
            np.asarray(np.mean(np.minimum(x, 0.0) - xt + soft)),
            f"the stable form's max(x, 0) was written np.minimum(x, 0): {split}, where min(x, 0) is 0 for a positive "
            f"logit (its x missing) and x for a negative one (added); the loss is {stable}",
        ),
        "formula-wrong#x-for-max": (
            np.asarray(np.mean(x - xt + soft)),
            f"the stable form's max(x, 0) was written x: {split}; x + log(1 + e^-x) is log(1 + e^x) only with e^-x "
            f"itself, so with e^-|x| every negative logit adds x; the loss is {stable}",
        ),
    }


def bce_logits_backward(x: np.ndarray, t: np.ndarray) -> Variants:
    s = sigmoid(x)
    return {
        "sigmoid-exponent-sign": (
            (sigmoid(-x) - t) / x.size,
            "the gradient used sigmoid(-x): e^x where e^-x belongs, or the two branches of the stable sigmoid "
            "swapped (1/(1 + z) belongs to x >= 0, z/(1 + z) to x < 0, with z = e^-|x|); sigmoid(x) = 1/(1 + e^-x)",
        ),
        "bce-logits-grad-times-sigmoid-derivative": (
            (s - t) * s * (1.0 - s) / x.size,
            "multiplied by the sigmoid's derivative s (1 - s): with logits it cancels against the 1/(s (1 - s)) of "
            "the log, leaving (sigmoid(x) - t) / M",
        ),
        # The stable sigmoid's x < 0 branch written e^x alone, without its / (1 + e^x):
        # np.where(x >= 0, 1 / (1 + z), z).
        "stable-form-term-missing#sigmoid-negative-branch": (
            (np.where(x >= 0, s, np.exp(-np.abs(x))) - t) / x.size,
            "the gradient used e^x for sigmoid(x) at every negative logit: the stable sigmoid's x < 0 branch was "
            "written z = e^-|x| alone, without its division by 1 + z; for x < 0, sigmoid(x) = e^x / (1 + e^x) = "
            "z / (1 + z) (np.where(x >= 0, 1, z) / (1 + z) covers both branches), and the gradient is "
            "(sigmoid(x) - t) / M",
        ),
        # The stable sigmoid's x < 0 branch, z / (1 + z), used for every logit: sigmoid(-|x|), the sign lost too.
        "branch-formula-everywhere#sigmoid-negative-branch": (
            (sigmoid(-np.abs(x)) - t) / x.size,
            "the gradient used z / (1 + z), z = e^-|x|, for every logit: that is the stable sigmoid's x < 0 branch "
            "only, so each positive logit got sigmoid(-x) = 1 - sigmoid(x); for x >= 0 the branch is 1 / (1 + z) "
            "(np.where(x >= 0, 1, z) / (1 + z) covers both), and the gradient is (sigmoid(x) - t) / M",
        ),
        # The stable sigmoid's x >= 0 branch written without its division, 1 for 1 / (1 + z).
        "stable-form-term-missing#sigmoid-positive-branch": (
            (np.where(x >= 0, 1.0, s) - t) / x.size,
            "the gradient used 1 for sigmoid(x) at every positive logit: the stable sigmoid's x >= 0 branch was "
            "written without its division by 1 + z, z = e^-|x|; for x >= 0, sigmoid(x) = 1 / (1 + z) "
            "(np.where(x >= 0, 1, z) / (1 + z) covers both branches), and the gradient is (sigmoid(x) - t) / M",
        ),
        # The stable sigmoid's x >= 0 branch, 1 / (1 + e^-|x|), used for every logit: the sign of x is lost.
        "sigmoid-of-abs": (
            (sigmoid(np.abs(x)) - t) / x.size,
            "the gradient used sigmoid(|x|), 1 / (1 + e^-|x|), for every logit: that is the stable sigmoid's "
            "x >= 0 branch only, so each negative logit got sigmoid(-x); for x < 0 the branch is z / (1 + z), "
            "z = e^-|x| (np.where(x >= 0, 1, z) / (1 + z)), and the gradient is (sigmoid(x) - t) / M",
        ),
    }


# ------------------------------------------------------------------------------- probabilities clipped
def clipped_probabilities(formula: str, x: np.ndarray, t: np.ndarray, eps: float) -> float:
    """The loss of logits ``x`` computed from probabilities clipped to [eps, 1 - eps] before their log (the
    habit of scikit-learn's log_loss and Keras): the sigmoid's for binary targets, the true class's softmax for
    class labels."""
    with np.errstate(all="ignore"):
        if formula == CROSS_ENTROPY:
            p = np.exp(log_softmax(x))[np.arange(x.shape[0]), t]
            return float(-np.mean(np.log(np.clip(p, eps, 1.0 - eps))))
        q = np.clip(sigmoid(x), eps, 1.0 - eps)
        return float(-np.mean(t * np.log(q) + (1.0 - t) * np.log1p(-q)))


def probabilities_clipped_text(eps: float) -> str:
    return (
        f"the probabilities were clipped to [{eps:g}, 1 - {eps:g}] before their log (the habit of scikit-learn's "
        f"log_loss and Keras), so a confident wrong answer costs at most -log {eps:g} = {-np.log(eps):.4g}, capped, "
        "where its true cost keeps growing with the logit (about 1000 for a logit 1000 on the wrong side); the loss "
        "on logits needs no clip: the log-softmax (x - max) - log(sum(exp(x - max))), or max(x, 0) - x t + "
        "log(1 + e^-|x|), is finite and exact for any finite logit"
    )


# ------------------------------------------------------------------------------- cross-entropy
_OVER_BATCH = (
    "the log-softmax was normalised over the batch (a sum over axis 0, each column), after the shift by each "
    "row's maximum; it runs over the classes of each sample: np.exp(shifted).sum(axis=1, keepdims=True)"
)


def batch_normalised(x: np.ndarray) -> np.ndarray:
    """The log-softmax shifted by each row's maximum (right) and normalised over axis 0 (wrong): the shift no
    longer cancels, so this differs from the softmax over axis 0 of x itself."""
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def ce_backward(x: np.ndarray, t: np.ndarray) -> Variants:
    """The gradient from probabilities normalised over the batch (axis 0), with either shift, or from the
    log-softmax's sum taken with np.log1p (probabilities that sum to less than 1)."""
    N, C = x.shape
    onehot = np.eye(C)[t]
    e = np.exp(x - x.max(axis=1, keepdims=True))
    log1p = {
        "log1p-for-log": (
            (e / (1.0 + e.sum(axis=1, keepdims=True)) - onehot) / N,
            _LOG1P_FOR_LOG.format(
                log="the log of the sum",
                written="np.log1p(sum(e^(x - m)))",
                value="log(1 + sum)",
                right="the probabilities e^(x - m) / (1 + sum) then sum to less than 1; the log-softmax is "
                "(x - m) - np.log(sum(e^(x - m))) and the gradient (softmax(x) - onehot(y)) / N",
            ),
        )
    }
    if N < 2:
        return log1p
    column = np.exp(x - x.max(axis=0, keepdims=True))
    return log1p | {
        "softmax-wrong-axis#row-shift": ((np.exp(batch_normalised(x)) - onehot) / N, _OVER_BATCH),
        "softmax-wrong-axis": (
            (column / column.sum(axis=0, keepdims=True) - onehot) / N,
            "the softmax was taken over the batch (axis 0); it runs over the classes of each sample (axis 1)",
        ),
    }


def ce_forward(x: np.ndarray, t: np.ndarray) -> Variants:
    N = x.shape[0]
    log_probs = log_softmax(x)
    true = log_probs[np.arange(N), t]
    capped = (
        "so every term became the bound and the loss no longer depends on the logits; a floor is np.maximum "
        "(keep the value unless it is below the bound)"
    )
    v: Variants = {
        **{
            f"wrong-log-base#{base}": (np.asarray(-np.mean(true) / np.log(base)), _log_base(base, spelled))
            for base, spelled in ((2, "np.log2"), (10, "np.log10"))
        },
        "ce-log-of-mean": (
            np.asarray(-np.log(np.mean(np.exp(true)))),
            "the log of the mean probability of the true classes, -log(mean(p[n, y_n])); the loss is the mean of "
            "the logs, -mean(log p[n, y_n]): take each sample's log first, then average",
        ),
        "ce-log-of-mean#sum": (
            np.asarray(-np.log(np.sum(np.exp(true))) / N),
            "the log of the summed probabilities of the true classes, -log(sum(p[n, y_n])) / N; the loss sums "
            "the logs, -sum(log p[n, y_n]) / N: take each sample's log first",
        ),
        "ce-target-not-selected": (
            np.asarray(-np.mean(log_probs)),
            "the log-probabilities of every class were averaged; the loss takes only each sample's true class: "
            "-mean(log_probs[np.arange(N), y])",
        ),
        "ce-target-not-selected#summed": (
            np.asarray(-np.sum(log_probs) / N),
            "the log-probabilities of every class were summed; the loss takes only each sample's true class: "
            "-mean(log_probs[np.arange(N), y])",
        ),
        "ce-clamp#log": (
            np.asarray(-np.mean(np.minimum(true, LOG_CLAMP))),
            f"the log-probabilities were clamped with np.minimum(log p, -100), which caps them at -100, {capped}",
        ),
    }
    # np.log1p where np.log belongs: on the sum of the log-sum-exp, or on the probability of the true class
    shifted = x - x.max(axis=1, keepdims=True)
    stable = "the loss is -mean(log_probs[np.arange(N), y]), log softmax(x) = (x - m) - np.log(sum(e^(x - m)))"
    v["log1p-for-log"] = (
        np.asarray(-np.mean(shifted[np.arange(N), t] - np.log1p(np.exp(shifted).sum(axis=1)))),
        _LOG1P_FOR_LOG.format(
            log="the log of the sum", written="np.log1p(sum(e^(x - m)))", value="log(1 + sum)", right=stable
        ),
    )
    v["log1p-for-log#probabilities"] = (
        np.asarray(-np.mean(np.log1p(np.exp(true)))),
        _LOG1P_FOR_LOG.format(log="log p", written="np.log1p(p)", value="log(1 + p)", right=stable),
    )
    if N > 1:  # one sample: every entry is its own row
        v["softmax-wrong-axis#row-shift"] = (
            np.asarray(-np.mean(batch_normalised(x)[np.arange(N), t])),
            _OVER_BATCH,
        )
        v["softmax-wrong-axis#all"] = (
            np.asarray(-np.mean((x - np.logaddexp.reduce(x, axis=None))[np.arange(N), t])),
            "the softmax was normalised over every entry of the batch (a sum without axis=1); it runs over the "
            "classes of each sample: sum(axis=1, keepdims=True)",
        )
    for eps in CLIP_EPSILONS:
        v[f"ce-clamp#eps-in-log-{eps:g}"] = (
            np.asarray(-np.mean(np.log(np.exp(true) + eps))),
            f"eps = {eps:g} was added inside the log, log(p + eps), which shifts every term a little; the "
            "log-softmax, (x - max) - log(sum(exp(x - max))), needs no eps: it is finite for any logits",
        )
        v[f"ce-clamp#{eps:g}"] = (
            np.asarray(-np.mean(np.log(np.minimum(np.exp(true), eps)))),
            f"the probabilities were clipped with np.minimum(p, {eps:g}) (or np.clip's bounds exchanged), which "
            f"pins every one at {eps:g}, {capped}",
        )
    return v


# ------------------------------------------------------------------------------- hinge
def _reversed(x: np.ndarray, t: np.ndarray, margin: float) -> tuple[float, np.ndarray]:
    """The hinge of x_y - x_j + margin: the hinge of -x, whose gradient changes sign."""
    value, grad = hinge(-x, t, margin)
    return value, -grad


def _hinge_formulas(x: np.ndarray, t: np.ndarray, margin: float) -> dict[str, tuple[tuple[float, np.ndarray], str]]:
    """``tag -> ((loss, gradient), mistake)`` of the hinge's sign and margin mistakes that differ from the
    right loss on this case (margin 0 has no sign, and no margin to leave out)."""
    plus = "the slack is x_j - x_y + margin: add the margin, so a class within the margin of the true class still costs"
    found = {
        "hinge-difference-reversed": (
            _reversed(x, t, margin),
            "the score difference is the wrong way round, x_y - x_j + margin: the slack of class j is "
            "x_j - x_y + margin, positive when class j comes within the margin of the true class",
        ),
    }
    rows = np.arange(x.shape[0])
    if (x.max(axis=1) != x[rows, t]).any():  # (where every label is its row's argmax the two slacks agree)
        slack = x - x.max(axis=1, keepdims=True) + margin
        slack[rows, t] = 0.0
        found["hinge-compared-with-row-max"] = (
            hinge_of_slack(slack, t),
            "each score was compared with its row's largest score, x_j - max_k x_k + margin, where the true class's "
            "score belongs: the slack is x_j - x[n, y_n] + margin, which reads column y_n of row n "
            "(x[np.arange(N), y]); the largest score is the predicted class, the true class only when the "
            "prediction is right",
        )
    if margin != 0:
        found["hinge-margin-sign"] = (
            hinge(x, t, -margin),
            f"the margin was subtracted (x_j - x_y - margin), which rewards a class inside the margin; {plus}",
        )
        found["hinge-margin-ignored#zero"] = (
            hinge(x, t, 0.0),
            f"the margin was left out, max(0, x_j - x_y); {plus}",
        )
    return found


_ONE_VS_REST = (
    "each score was held against the margin on its own, a one-vs-rest hinge (a wrong class costs "
    "max(0, margin + x_j){}, as if the true class's score were 0): the multiclass (Weston-Watkins) hinge compares "
    "every wrong score with the true class's, relative to it, so the slack is the difference "
    "x[n, j] - x[n, y_n] + margin"
)


def _one_vs_rest(x: np.ndarray, t: np.ndarray, margin: float) -> dict[str, tuple[float, np.ndarray]]:
    """The hinge of each score on its own side of the margin (+1 for the true class, -1 for the others), with the
    true class's own term left out or kept: ``tag -> (loss, gradient)``, the gradient as the reference's backward
    computes it from that slack (#kept) and as the derivative of that loss. The derivative only where another set
    of wrong classes counts than the right one: else it differs in the true-class column alone, as the gradients
    of other mistakes of that column do (the #kept one then gives the same numbers as one of them: no claim)."""
    N = x.shape[0]
    rows = np.arange(N)
    true = np.eye(x.shape[1], dtype=bool)[t]
    others_differ = not np.array_equal(np.where(true, 0.0, margin + x) > 0, hinge_slack(x, t, margin) > 0)
    found = {}
    for own, slack in (("", np.where(true, 0.0, margin + x)), ("#true-class-too", margin - np.where(true, x, -x))):
        active = (slack > 0).astype(np.float64)
        kept = active.copy()
        kept[rows, t] = -active.sum(axis=1)
        exact = np.where(true, -active, active)
        loss = float(np.maximum(slack, 0.0).sum() / N)
        found[f"hinge-formulation{own}#kept"] = (loss, kept / N)
        if others_differ:
            found[f"hinge-formulation{own}#derivative"] = (loss, exact / N)
    return found


_SQUARED = "the slack was squared (the L2-SVM's loss); this hinge loss sums max(0, slack) itself, not its square"


def _one_vs_rest_text(tag: str) -> str:
    return _ONE_VS_REST.format(", and the true class max(0, margin - x_y)" if "#true-class-too" in tag else "")


# max(0, sum_j slack_j) for sum_j max(0, slack_j): the clip applied once to each row's summed slack, so a class
# that meets its margin (negative slack) cancels part of another's violation.
ROW_SUM_CLIPPED = "max-of-sum-as-sum-of-max#hinge-row"
_ROW_SUM_TEXT = (
    "each row's slacks were summed first and the sum clipped at 0, max(0, sum_j slack_j), where each class's slack "
    "is clipped on its own, sum_j max(0, slack_j): a maximum of a sum is not the sum of the maxima, so a class "
    "that meets its margin (negative slack) cancelled part of another class's violation. The loss is "
    "mean_n sum_{j != y_n} max(0, x[n, j] - x[n, y_n] + margin): np.maximum(slack, 0) for each class, then the sum"
)


def row_sum_clipped(x: np.ndarray, t: np.ndarray, margin: float) -> tuple[float, np.ndarray]:
    """The loss mean_n max(0, sum_{j != y_n} slack_j) and its derivative: while a row's sum is positive every
    other class gets 1/N and the true class -(C - 1)/N, whether that class violates the margin or not."""
    N, C = x.shape
    slack = hinge_slack(x, t, margin)
    sums = slack.sum(axis=1)
    grad = np.where(sums[:, None] > 0, 1.0, 0.0) * np.ones_like(x)
    grad[np.arange(N), t] = -(C - 1) * grad[np.arange(N), t]
    return float(np.maximum(sums, 0.0).sum() / N), grad / N


def hinge_forward(x: np.ndarray, t: np.ndarray, margin: float) -> Variants:
    v = {tag: (np.asarray(pair[0]), text) for tag, (pair, text) in _hinge_formulas(x, t, margin).items()}
    for tag, (loss, _) in _one_vs_rest(x, t, margin).items():
        if tag.endswith("#kept"):  # one loss for both gradients
            v[tag.removesuffix("#kept")] = (np.asarray(loss), _one_vs_rest_text(tag))
    slack = hinge_slack(x, t, margin)
    v["hinge-squared"] = (np.asarray(np.sum(np.maximum(slack, 0.0) ** 2) / x.shape[0]), _SQUARED)
    v["max-for-maximum"] = (
        np.asarray(np.max(slack, axis=0).sum() / x.shape[0]),
        f"{_MAX_FOR_MAXIMUM}: the loss sums np.maximum(slack, 0) over every entry, divided by N",
    )
    v[ROW_SUM_CLIPPED] = (np.asarray(row_sum_clipped(x, t, margin)[0]), _ROW_SUM_TEXT)
    v["hinge-max-not-sum"] = (
        np.asarray(np.mean(np.maximum(slack, 0.0).max(axis=1))),
        "each sample counted only its largest violation (a max over the classes); the loss sums the slack of "
        "every class that violates the margin",
    )
    return v


def hinge_backward(x: np.ndarray, t: np.ndarray, margin: float) -> Variants:
    v = {tag: (pair[1], text) for tag, (pair, text) in _hinge_formulas(x, t, margin).items()}
    v.update({tag: (grad, _one_vs_rest_text(tag)) for tag, (_, grad) in _one_vs_rest(x, t, margin).items()})
    rows = np.arange(x.shape[0])
    grad = 2.0 * np.maximum(hinge_slack(x, t, margin), 0.0)
    grad[rows, t] = -grad.sum(axis=1)
    v["hinge-squared"] = (grad / x.shape[0], _SQUARED)
    v[ROW_SUM_CLIPPED] = (row_sum_clipped(x, t, margin)[1], _ROW_SUM_TEXT)
    return v
