"""Mutants of the reference losses: realistic student bugs (see __init__).

Grouped by the class of mistake: a missing or extra factor (2, 1/N, 1/M), a sum taken for a
mean, a term forgotten or counted once too often, a wrong sign, an unstable formula (no
clamp, no max subtraction, exp of a large logit), an argument modified in place.
"""

from . import Mutant
from .activations import span

MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ MSELoss
    Mutant(
        "mse-grad-missing-2",
        "losses.MSELoss",
        "backward forgets the 2 of d(x - t)^2/dx",
        "        return 2.0 * self._diff / self._diff.size\n",
        "        return self._diff / self._diff.size\n",
        ("mse-grad-missing-2", "half", "gradcheck"),
    ),
    Mutant(
        "mse-grad-divided-by-batch",
        "losses.MSELoss",
        "backward divides by the batch size N instead of the number of entries",
        "        return 2.0 * self._diff / self._diff.size\n",
        "        return 2.0 * self._diff / len(self._diff)\n",
        ("mse-grad-divided-by-batch", "gradcheck"),
    ),
    Mutant(
        "mse-sum-not-mean",
        "losses.MSELoss",
        "forward sums the squared errors instead of averaging them",
        "        loss = np.mean(self._diff**2)\n",
        "        loss = np.sum(self._diff**2)\n",
        # added after reading output (tag-vocabulary audit): loss-summed
        ("sum-not-mean", "times-batch-size", "gradcheck", "loss-summed"),
    ),
    Mutant(
        "mse-modifies-input",
        "losses.MSELoss",
        "forward subtracts the target from the input in place",
        "        self._diff = x - t\n",
        "        x -= t\n        self._diff = x\n",
        ("modifies-input",),
    ),
    # ------------------------------------------------------------------ BCELoss
    Mutant(
        "bce-not-clamped",
        "losses.BCELoss",
        "the logs are not clamped at -100, so p = 0 or 1 gives inf or nan",
        "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
        "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
        "            log_p = np.log(p)\n            log_1mp = np.log1p(-p)\n",
        ("bce-not-clamped", "overflow"),
    ),
    Mutant(
        "bce-grad-as-logits",
        "losses.BCELoss",
        "backward uses the logits' formula (p - t) / M for probabilities",
        "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        "        return (p - t) / p.size\n",
        ("bce-grad-as-logits", "gradcheck"),
    ),
    Mutant(
        "bce-swapped-terms",
        "losses.BCELoss",
        "t goes with log(1 - p) and 1 - t with log p",
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "        loss = -np.mean(t * log_1mp + (1.0 - t) * log_p)\n",
        ("bce-swapped-terms", "gradcheck"),
    ),
    Mutant(
        "bce-grad-sign",
        "losses.BCELoss",
        "backward computes (t - p) instead of (p - t)",
        "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        "        return (t - p) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        ("sign-flipped", "gradcheck"),
    ),
    # ------------------------------------------------------------------ BCEWithLogitsLoss
    Mutant(
        "bce-logits-unstable",
        "losses.BCEWithLogitsLoss",
        "log(1 + exp(x)) computed directly: exp(1000) overflows",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        "        loss = np.mean(np.log1p(np.exp(x)) - x * t)\n",
        ("overflow",),
    ),
    Mutant(
        "bce-logits-grad-not-averaged",
        "losses.BCEWithLogitsLoss",
        "backward forgets to divide by the number of entries",
        "        return (self._s - self._t) / self._s.size\n",
        "        return self._s - self._t\n",
        # added after reading output (tag-vocabulary audit): grad-not-averaged
        ("times-size", "times-batch-size", "gradcheck", "grad-not-averaged"),
    ),
    # ------------------------------------------------------------------ CrossEntropyLoss
    Mutant(
        "ce-grad-not-divided",
        "losses.CrossEntropyLoss",
        "backward returns softmax - onehot without dividing by N",
        "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
        "        grad[np.arange(N), self._labels] -= 1.0\n        return grad\n",
        ("ce-grad-not-divided", "times-batch-size", "gradcheck"),
    ),
    Mutant(
        "ce-no-max-shift",
        "losses.CrossEntropyLoss",
        "softmax without subtracting the row maximum: exp(1000) overflows",
        "            shifted = x - x.max(axis=1, keepdims=True)\n",
        "            shifted = x\n",
        ("overflow",),
    ),
    Mutant(
        "ce-grad-no-onehot",
        "losses.CrossEntropyLoss",
        "backward forgets to subtract the one-hot target",
        "        grad[np.arange(N), self._labels] -= 1.0\n",
        "",
        ("ce-grad-no-onehot", "gradcheck"),
    ),
    # ------------------------------------------------------------------ HingeLoss
    Mutant(
        "hinge-counts-true-class",
        "losses.HingeLoss",
        "the true class is compared with itself and adds `margin` per sample",
        "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
        "",
        ("hinge-counts-true-class",),
    ),
    Mutant(
        "hinge-true-class-grad-missing",
        "losses.HingeLoss",
        "backward gives the true class score no gradient",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "",
        ("hinge-true-class-grad-missing", "gradcheck"),
    ),
    Mutant(
        "hinge-margin-ignored",
        "losses.HingeLoss",
        "the margin is hard-coded to 1",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
        "        slack = x - x[rows, self._labels][:, None] + 1.0\n",
        ("hinge-margin-ignored",),
    ),
    # Reuse: found by red-teaming (backward twice, two instances, the same instance on another batch;
    # graders/judging/checks/reuse.py). Each is right on a fresh instance called once.
    Mutant(
        "mse-backward-in-place-on-diff",
        "losses.MSELoss",
        "backward scales the saved difference in place and returns it: a second backward() scales it again",
        "        return 2.0 * self._diff / self._diff.size\n",
        "        self._diff *= 2.0 / self._diff.size\n        return self._diff\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "ce-backward-no-copy",
        "losses.CrossEntropyLoss",
        "backward subtracts the one-hot from the saved probabilities (no .copy()): a second backward() "
        "subtracts it again",
        "        grad = self._probs.copy()\n",
        "        grad = self._probs\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "hinge-backward-no-copy",
        "losses.HingeLoss",
        "backward writes the true-class entries into the saved 0/1 array (no .copy())",
        "        grad = self._active.copy()\n",
        "        grad = self._active\n",
        ("backward-mutates-saved-state",),
    ),
    Mutant(
        "bce-mutable-class-cache",
        "losses.BCELoss",
        "the probabilities and targets are saved in a dict declared in the class body (`cache = {}`), "
        "shared by every BCELoss: one loss's backward uses another's last forward",
        *span(
            "losses",
            (
                '    Saved for backward: ``self._p``, ``self._t``.\n    """\n',
                '    Saved for backward: ``self._p``, ``self._t``.\n    """\n\n'
                "    cache: dict = {}  # what forward saves for backward\n",
            ),
            ("        self._p, self._t = p, t\n", '        self.cache["p"], self.cache["t"] = p, t\n'),
            ("        p, t = self._p, self._t\n", '        p, t = self.cache["p"], self.cache["t"]\n'),
        ),
        ("shared-class-state",),
    ),
    Mutant(
        "mse-count-cached",
        "losses.MSELoss",
        "backward counts the entries once, at its first call, and divides every later gradient by that count",
        "        return 2.0 * self._diff / self._diff.size\n",
        '        if not hasattr(self, "_m"):\n            self._m = self._diff.size  # counted once\n'
        "        return 2.0 * self._diff / self._m\n",
        ("cached-first-call",),
    ),
    Mutant(
        "ce-row-indices-cached",
        "losses.CrossEntropyLoss",
        "backward builds the row indices np.arange(N) once and reuses them for later batches",
        "        grad[np.arange(N), self._labels] -= 1.0\n",
        '        if not hasattr(self, "_rows"):\n            self._rows = np.arange(N)  # computed once\n'
        "        grad[self._rows, self._labels] -= 1.0\n",
        ("cached-first-call",),
    ),
]

# Found by red-teaming: binary cross-entropy written for hard 0/1 labels only.
MUTANTS += [
    Mutant(
        "bce-hard-labels-only",
        "losses.BCELoss",
        "picks log p where t == 1 and log(1 - p) elsewhere: wrong for soft targets",
        *span(
            "losses",
            (
                "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
                "        loss = -np.mean(np.where(t == 1, log_p, log_1mp))\n",
            ),
            (
                "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
                "        return np.where(t == 1, -1.0 / np.maximum(p, BCE_GRAD_EPS), "
                "1.0 / np.maximum(1.0 - p, BCE_GRAD_EPS)) / p.size\n",
            ),
        ),
        ("bce-hard-labels-only",),
    ),
    Mutant(
        "bce-targets-rounded",
        "losses.BCELoss",
        "the loss uses np.round(t), the target rounded to the nearer label: wrong for soft targets",
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "        loss = -np.mean(np.round(t) * log_p + (1.0 - np.round(t)) * log_1mp)\n",
        ("bce-hard-labels-only",),
    ),
    Mutant(
        "bce-logits-hard-labels-only",
        "losses.BCEWithLogitsLoss",
        "softplus(-x) where t == 1 and softplus(x) elsewhere: wrong for soft targets",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        "        loss = np.mean(np.where(t == 1, np.maximum(-x, 0.0), np.maximum(x, 0.0)) + np.log1p(z))\n",
        ("bce-hard-labels-only",),
    ),
]
MUTANTS += [
    Mutant(
        "hinge-margin-inclusive",
        "losses.HingeLoss",
        "a wrong class exactly at the margin counts as active (slack >= 0)",
        "        self._active = (slack > 0).astype(np.float64)\n",
        "        self._active = (slack >= 0).astype(np.float64)\n        self._active[rows, self._labels] = 0.0\n",
        ("hinge-margin-inclusive",),
    ),
]

# Round 2 red team: a zero hyper-parameter taken as "not given".
MUTANTS += [
    Mutant(
        "hinge-margin-zero-taken-as-unset",
        "losses.HingeLoss",
        "`self.margin or 1.0`: margin=0 is falsy, so it uses 1",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
        "        slack = x - x[rows, self._labels][:, None] + (self.margin or 1.0)\n",
        ("hinge-margin-ignored",),
    ),
]

# Red team, round 3 (the release's self-checker): each also fails the checker on its own component.
MUTANTS += [
    Mutant(
        "mse-sum-over-features",
        "losses.MSELoss",
        "the mean over samples of each sample's sum of squares: divides by N, not by every entry",
        "        loss = np.mean(self._diff**2)",
        "        loss = np.mean(np.sum(self._diff**2, axis=-1))",
        ("mse-mean-over-batch-only",),
    ),
    Mutant(
        "bce-clips-probabilities",
        "losses.BCELoss",
        "clips p to [1e-7, 1 - 1e-7] (Keras) instead of clamping each log at -100",
        "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
        "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)",
        "            q = np.clip(p, 1e-7, 1 - 1e-7)\n            log_p = np.log(q)\n            log_1mp = np.log1p(-q)",
        ("bce-clamp",),
    ),
    Mutant(
        "bce-logits-grad-divided-by-batch",
        "losses.BCEWithLogitsLoss",
        "the gradient divided by len(x), the number of rows, not by every entry",
        "        return (self._s - self._t) / self._s.size",
        "        return (self._s - self._t) / len(self._s)",
        ("grad-divided-by-batch", "constant-factor"),
    ),
    Mutant(
        "ce-mean-over-classes-too",
        "losses.CrossEntropyLoss",
        "np.mean(onehot * log_probs): averages over N * C entries instead of N samples",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])",
        "        onehot = np.zeros_like(log_probs)\n"
        "        onehot[np.arange(N), self._labels] = 1.0\n"
        "        loss = -np.mean(onehot * log_probs)",
        ("ce-mean-over-classes", "half"),
    ),
    Mutant(
        "ce-shifts-logits-in-place",
        "losses.CrossEntropyLoss",
        "x -= x.max(axis=1, keepdims=True): the caller's logits are shifted in place",
        "            shifted = x - x.max(axis=1, keepdims=True)",
        "            x -= x.max(axis=1, keepdims=True)\n            shifted = x",
        ("modifies-input",),
    ),
    Mutant(
        "hinge-true-class-grad-sign",
        "losses.HingeLoss",
        "the true class's gradient is +sum a (it must be pushed up, so -sum a)",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)",
        "        grad[np.arange(N), self._labels] = self._active.sum(axis=1)",
        ("hinge-true-class-grad-sign",),
    ),
]

# Issue 11: classic mistakes of the class losses and of BCE's input the catalogue lacked.
MUTANTS += [
    Mutant(
        "ce-onehot-subtracted-in-every-row",
        "losses.CrossEntropyLoss",
        "grad[:, labels] -= 1: subtracts 1 from column y_n of every row, not only from entry (n, y_n)",
        "        grad[np.arange(N), self._labels] -= 1.0\n",
        "        grad[:, self._labels] -= 1.0\n",
        ("ce-onehot-wrong-rows",),
    ),
    Mutant(
        "ce-onehot-added",
        "losses.CrossEntropyLoss",
        "backward adds the one-hot target instead of subtracting it",
        "        grad[np.arange(N), self._labels] -= 1.0\n",
        "        grad[np.arange(N), self._labels] += 1.0\n",
        ("ce-onehot-added",),
    ),
    Mutant(
        "ce-loss-indexes-every-row",
        "losses.CrossEntropyLoss",
        "log_probs[:, labels]: an N x N array of column y_n of every row, averaged",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])",
        "        loss = -np.mean(log_probs[:, self._labels])",
        ("ce-fancy-index-all-rows",),
    ),
    Mutant(
        "bce-input-taken-as-logits",
        "losses.BCELoss",
        "BCELoss computes BCEWithLogitsLoss's formula: its input (already a probability) goes through a sigmoid",
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "        loss = np.mean(np.logaddexp(0.0, p) - p * t)\n",
        ("bce-sigmoid-applied",),
    ),
    # The wrong class column: the one next to the label, or the predicted one.
    Mutant(
        "ce-backward-onehot-one-column-early",
        "losses.CrossEntropyLoss",
        "backward subtracts the one-hot at column labels - 1 (as for 1-based labels; class 0 wraps to the last)",
        "        grad[np.arange(N), self._labels] -= 1.0\n",
        "        grad[np.arange(N), self._labels - 1] -= 1.0\n",
        ("class-index-shifted",),
    ),
    Mutant(
        "ce-loss-of-predicted-class",
        "losses.CrossEntropyLoss",
        "forward averages -log p of each row's most likely class (argmax) instead of its label's",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])",
        "        loss = -np.mean(log_probs.max(axis=1))",
        ("target-at-prediction",),
    ),
]

# Issue 11, round 3: four classes of mistake in how a loss's formula is put together, each pinned by an
# edit of its own (graders/judging/checks/loss_formulas.py simulates every loss's version of each class).
MUTANTS += [
    # Normalising by the wrong count: a class loss averages over the N samples, not the C classes.
    Mutant(
        "hinge-loss-divided-by-classes",
        "losses.HingeLoss",
        "forward divides the summed slack by x.shape[1], the number of classes, instead of the batch size",
        "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
        "        loss = np.maximum(slack, 0.0).sum() / x.shape[1]\n",
        ("divided-by-features",),
    ),
    Mutant(
        "ce-grad-divided-by-every-entry",
        "losses.CrossEntropyLoss",
        "backward divides by grad.size, the N * C entries, instead of the N samples",
        "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
        "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / grad.size\n",
        ("ce-mean-over-classes",),
    ),
    # The order of operations: aggregate after the square, after the log.
    Mutant(
        "mse-squares-the-summed-error",
        "losses.MSELoss",
        "forward squares the sum of the errors and divides by M: the errors cancel before the square",
        "        loss = np.mean(self._diff**2)\n",
        "        loss = np.sum(self._diff) ** 2 / self._diff.size\n",
        ("mse-square-of-mean",),
    ),
    Mutant(
        "ce-log-of-mean-probability",
        "losses.CrossEntropyLoss",
        "forward takes the log of the mean probability of the true classes, not the mean of their logs",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
        "        loss = -np.log(np.mean(self._probs[np.arange(N), self._labels]))\n",
        ("ce-log-of-mean",),
    ),
    # A clamp the wrong way round.
    Mutant(
        "bce-clip-bounds-swapped",
        "losses.BCELoss",
        "np.clip(p, 1 - eps, eps): the bounds exchanged pin every probability at eps",
        "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
        "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
        "            q = np.clip(p, 1.0 - 1e-12, 1e-12)\n"
        "            log_p = np.log(q)\n"
        "            log_1mp = np.log1p(-q)\n",
        ("bce-clamp",),
    ),
    Mutant(
        "bce-grad-floor-with-minimum",
        "losses.BCELoss",
        "backward floors p (1 - p) with np.minimum, which makes the denominator 1e-12 everywhere",
        "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        "        return (p - t) / np.minimum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        ("bce-clamp",),
    ),
    # A sign inside the formula: the minus of one term (precedence), the hinge's margin and difference.
    Mutant(
        "bce-minus-on-first-term",
        "losses.BCELoss",
        "-t * log p + (1 - t) * log(1 - p): the minus sign binds to the first term only",
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "        loss = np.mean(-t * log_p + (1.0 - t) * log_1mp)\n",
        ("bce-term-sign",),
    ),
    Mutant(
        "hinge-margin-inside-parentheses",
        "losses.HingeLoss",
        "x - (x_y + margin): the parentheses subtract the margin the slack should add",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
        "        slack = x - (x[rows, self._labels][:, None] + self.margin)\n",
        ("hinge-margin-sign",),
    ),
    Mutant(
        "hinge-score-difference-reversed",
        "losses.HingeLoss",
        "the slack is x_y - x_j + margin: the true class's score minus the others', the wrong way round",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
        "        slack = x[rows, self._labels][:, None] - x + self.margin\n",
        ("hinge-difference-reversed",),
    ),
]

# Crashes read from the line that raised (graders/judging/crashes.py, G6): the labels indexing the batch axis.
MUTANTS += [
    Mutant(
        "ce-backward-labels-first",
        "losses.CrossEntropyLoss",
        "backward subtracts 1 at grad[labels, arange(N)]: the labels index the rows, the samples the columns",
        "        grad[np.arange(N), self._labels] -= 1.0\n",
        "        grad[self._labels, np.arange(N)] -= 1.0\n",
        ("labels-index-rows",),
    ),
    Mutant(
        "hinge-true-scores-labels-first",
        "losses.HingeLoss",
        "the true-class scores are read as x[labels, rows]: the labels index the batch axis",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
        "        slack = x - x[self._labels, rows][:, None] + self.margin\n",
        ("labels-index-rows",),
    ),
]

# Issue 11, round 4 (G2): classes taught from set C's misses, each by a bug of its own (not set C's edit).
MUTANTS += [
    Mutant(
        "bce-grad-denominator-sign",
        "losses.BCELoss",
        "backward floors p (p - 1), negative for every p, so np.maximum makes the denominator 1e-12 everywhere",
        "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        "        return (p - t) / np.maximum(p * (p - 1.0), BCE_GRAD_EPS) / p.size\n",
        ("bce-denominator-floored",),
    ),
    Mutant(
        "bce-logits-log1p-minus",
        "losses.BCEWithLogitsLoss",
        "log(1 + e^-|x|) written np.log1p(-z): log1p already adds the 1, so this is log(1 - e^-|x|)",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(-z))\n",
        ("log1p-sign",),
    ),
    Mutant(
        "hinge-max-for-maximum",
        "losses.HingeLoss",
        "np.max(slack, 0) for np.maximum(slack, 0): the 0 is taken as an axis, each column's largest slack",
        "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
        "        loss = np.max(slack, 0).sum() / x.shape[0]\n",
        ("max-for-maximum",),
    ),
    Mutant(
        "ce-saved-probabilities-over-batch",
        "losses.CrossEntropyLoss",
        "the probabilities saved for backward are normalised over the batch (axis 0), the loss itself is right",
        "        self._probs = np.exp(log_probs)\n",
        "        self._probs = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)\n",
        ("softmax-wrong-axis",),
    ),
    Mutant(
        "hinge-loss-per-sample",
        "losses.HingeLoss",
        "the slack is summed over the classes only (axis=1): forward's loss is one value per sample",
        "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
        "        loss = np.maximum(slack, 0.0).sum(axis=1) / x.shape[0]\n",
        ("loss-not-scalar",),
    ),
    Mutant(
        "hinge-violations-counted-per-class",
        "losses.HingeLoss",
        "the true class's count of violations uses np.count_nonzero over axis 0: one count per class, not per row",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        grad[np.arange(N), self._labels] = -np.count_nonzero(self._active, axis=0)\n",
        ("reduced-over-wrong-axes",),
    ),
]

# Issue 11, round 5 (G5): loss classes taught from set D's misses, each by a bug of its own (not set D's edit).
MUTANTS += [
    Mutant(
        "bce-logits-sigmoid-recomputed-from-abs",
        "losses.BCEWithLogitsLoss",
        "the sigmoid saved for backward is recomputed as 1 / (1 + exp(-|x|)) 'to be stable': the sign of x is lost",
        "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
        "        self._s = 1.0 / (1.0 + np.exp(-np.abs(x)))\n",
        ("sigmoid-of-abs",),
    ),
    Mutant(
        "ce-saves-exponentials",
        "losses.CrossEntropyLoss",
        "the probabilities saved for backward are np.exp(x), never divided by their row's sum",
        "        self._probs = np.exp(log_probs)\n",
        "        self._probs = np.exp(x)\n",
        ("softmax-not-normalised",),
    ),
    Mutant(
        "ce-shift-by-class-maximum",
        "losses.CrossEntropyLoss",
        "the logits are shifted by np.max(x, axis=0), each class's largest logit over the batch, not each row's",
        "            shifted = x - x.max(axis=1, keepdims=True)\n",
        "            shifted = x - np.max(x, axis=0)\n",
        ("softmax-wrong-axis",),
    ),
    Mutant(
        "ce-shift-by-batch-amax",
        "losses.CrossEntropyLoss",
        "the logits are shifted by np.amax(x), one number for the whole batch: a row far below the batch's "
        "largest logit underflows to exp = 0",
        "            shifted = x - x.max(axis=1, keepdims=True)\n",
        "            shifted = x - np.amax(x)\n",
        ("reduction-over-whole-array",),
    ),
    Mutant(
        "ce-row-maximum-by-index",
        "losses.CrossEntropyLoss",
        "each row's maximum is picked as x[np.arange(N), x.argmax(axis=1)], shape (N,), and subtracted without "
        "[:, None]: it meets the columns",
        "            shifted = x - x.max(axis=1, keepdims=True)\n",
        "            shifted = x - x[np.arange(N), x.argmax(axis=1)]\n",
        ("broadcast-wrong-axis",),
    ),
]

# Issue 11, round 6 (G4): loss classes taught from set E's misses, each by a bug of its own (not set E's edit),
# and class labels given as floats holding whole numbers (docs/api.md allows them; a row passes them now).
MUTANTS += [
    Mutant(
        "mse-backward-abs-error",
        "losses.MSELoss",
        "backward takes np.abs of the saved error 'since it is squared anyway': the gradient loses its sign",
        "        return 2.0 * self._diff / self._diff.size\n",
        "        return 2.0 * np.abs(self._diff) / self._diff.size\n",
        ("sign-lost",),
    ),
    Mutant(
        "bce-first-term-log-1mp",
        "losses.BCELoss",
        "forward's first term multiplies t by log(1 - p), copied from the second term, where log p belongs",
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "        loss = -np.mean(t * log_1mp + (1.0 - t) * log_1mp)\n",
        ("bce-wrong-log-term",),
    ),
    Mutant(
        "bce-logits-log-of-exp",
        "losses.BCEWithLogitsLoss",
        "log(1 + e^-|x|) written as np.log(np.exp(-np.abs(x))): the 1 + is forgotten",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log(np.exp(-np.abs(x))))\n",
        ("log1p-as-log",),
    ),
    Mutant(
        "ce-onehot-identity-of-batch",
        "losses.CrossEntropyLoss",
        "backward subtracts one-hot rows cut from np.identity(len(probs)), the batch size, not the number of classes",
        "        grad = self._probs.copy()\n        grad[np.arange(N), self._labels] -= 1.0\n",
        "        grad = self._probs - np.identity(len(self._probs))[self._labels]\n",
        ("onehot-wrong-size",),
    ),
    Mutant(
        "hinge-true-class-counts-every-violation",
        "losses.HingeLoss",
        "the true class's gradient counts the violations with np.count_nonzero over the whole batch, not its row",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        grad[np.arange(N), self._labels] = -np.count_nonzero(self._active)\n",
        ("reduction-over-whole-array",),
    ),
    Mutant(
        "hinge-true-class-count-bincount-argwhere",
        "losses.HingeLoss",
        "the true class's gradient counts each row's violations with np.bincount of their row numbers, without "
        "minlength: the counts stop at the last row that violates a margin",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        grad[np.arange(N), self._labels] = -np.bincount(np.argwhere(self._active > 0)[:, 0])\n",
        ("bincount-without-minlength",),
    ),
    Mutant(
        "hinge-scores-indexed-by-raw-target",
        "losses.HingeLoss",
        "forward picks each true score with the target as given, x[rows, target]: labels given as floats holding "
        "whole numbers cannot index",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
        "        slack = x - x[rows, target][:, None] + self.margin\n",
        ("float-labels",),
    ),
    Mutant(
        "ce-backward-raw-target",
        "losses.CrossEntropyLoss",
        "forward keeps the target as given and backward subtracts the one-hot at it: float labels cannot index",
        *span(
            "losses",
            (
                "        self._probs = np.exp(log_probs)\n",
                "        self._probs = np.exp(log_probs)\n        self._y = target\n",
            ),
            ("        grad[np.arange(N), self._labels] -= 1.0\n", "        grad[np.arange(N), self._y] -= 1.0\n"),
        ),
        ("float-labels",),
    ),
    # ------------------------------------------------------------------ round 2: classes set F taught
    Mutant(
        "bce-backward-unpacks-saved-the-other-way",
        "losses.BCELoss",
        "backward unpacks what forward saved in the wrong order, t, p = self._p, self._t: probabilities and "
        "targets exchanged",
        "        p, t = self._p, self._t\n",
        "        t, p = self._p, self._t\n",
        ("saved-values-swapped",),
    ),
    Mutant(
        "ce-onehot-from-eye-after-averaging",
        "losses.CrossEntropyLoss",
        "backward averages the probabilities and subtracts a one-hot from np.eye that is not averaged",
        "        grad = self._probs.copy()\n        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
        "        return self._probs / N - np.eye(self._probs.shape[1])[self._labels]\n",
        ("onehot-not-averaged",),
    ),
    Mutant(
        "hinge-gradient-built-on-boolean-mask",
        "losses.HingeLoss",
        "backward builds the gradient on a boolean mask, self._active > 0: the true class's -count is stored as True",
        "        grad = self._active.copy()\n",
        "        grad = self._active > 0\n",
        ("boolean-array-arithmetic",),
    ),
    Mutant(
        "ce-backward-rows-from-classes-axis",
        "losses.CrossEntropyLoss",
        "backward takes N = self._probs.shape[1], the number of classes, for the batch size",
        "        N = self._probs.shape[0]\n",
        "        N = self._probs.shape[1]\n",
        ("batch-classes-confused",),
    ),
    Mutant(
        "ce-only-onehot-divided-by-batch",
        "losses.CrossEntropyLoss",
        "backward subtracts 1 / N at each label and returns the probabilities undivided",
        "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
        "        grad[np.arange(N), self._labels] -= 1.0 / N\n        return grad\n",
        ("part-not-averaged",),
    ),
    Mutant(
        "hinge-true-class-count-not-divided",
        "losses.HingeLoss",
        "backward divides the mask by N first, then stores the undivided -count at the true class",
        "        grad = self._active.copy()\n"
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n"
        "        return grad / N\n",
        "        grad = self._active / N\n"
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n"
        "        return grad\n",
        ("part-not-averaged",),
    ),
    Mutant(
        "hinge-rows-counted-over-classes",
        "losses.HingeLoss",
        "forward numbers the rows with np.arange(x.shape[1]), the number of classes",
        "        rows = np.arange(x.shape[0])\n",
        "        rows = np.arange(x.shape[1])\n",
        ("batch-classes-confused",),
    ),
    Mutant(
        "mse-sum-of-squares-with-caret",
        "losses.MSELoss",
        "forward writes the sum of squares as np.sum(self._diff ^ 2) / n: ^ is bitwise xor, undefined for floats",
        "        loss = np.mean(self._diff**2)\n",
        "        loss = np.sum(self._diff ^ 2) / self._diff.size\n",
        ("xor-for-power",),
    ),
]

# Set G's classes, each taught with a different edit of its own (see tests/heldout/fresh_g.py).
MUTANTS += [
    Mutant(
        "bce-logits-log-of-signed-exponential",
        "losses.BCEWithLogitsLoss",
        "the log term is written np.log(1.0 + np.exp(-x)): without the absolute value, too large by |x| for a "
        "negative logit (and e^-x overflows)",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log(1.0 + np.exp(-x)))\n",
        ("abs-missing-in-stable-form",),
    ),
    Mutant(
        "bce-logits-target-times-abs",
        "losses.BCEWithLogitsLoss",
        "the linear term is written t * |x|: the absolute value of the log term put on the term that keeps x's sign",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        "        loss = np.mean(np.maximum(x, 0.0) - t * np.abs(x) + np.log1p(z))\n",
        ("abs-on-linear-term",),
    ),
    Mutant(
        "hinge-count-assigned-to-every-row",
        "losses.HingeLoss",
        "backward stores each row's count with grad[:, labels] = -count: column y_n of every row is written",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        grad[:, self._labels] = -self._active.sum(axis=1)\n",
        ("fancy-index-every-row",),
    ),
]

# Set H's classes, each taught with a different edit of its own (see tests/heldout/fresh_h.py).
MUTANTS += [
    Mutant(
        "mse-error-centred-before-squaring",
        "losses.MSELoss",
        "forward subtracts the mean error before squaring, mean((d - mean(d))^2): the variance, not the MSE",
        "        loss = np.mean(self._diff**2)\n",
        "        loss = np.mean((self._diff - self._diff.mean()) ** 2)\n",
        ("variance-for-mse",),
    ),
    Mutant(
        "ce-log2-of-probabilities",
        "losses.CrossEntropyLoss",
        "forward takes np.log2 of the true classes' probabilities (bits): the loss is 1/ln 2 times too large",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
        "        loss = -np.mean(np.log2(self._probs[np.arange(N), self._labels]))\n",
        ("wrong-log-base",),
    ),
    Mutant(
        "bce-clamp-on-summed-terms",
        "losses.BCELoss",
        "the -100 clamp is applied to the sum t log p + (1 - t) log(1 - p) of unclamped logs: 0 * log 0 is nan first",
        "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
        "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "            log_p = np.log(p)\n"
        "            log_1mp = np.log1p(-p)\n"
        "        loss = -np.mean(np.maximum(t * log_p + (1.0 - t) * log_1mp, LOG_CLAMP))\n",
        ("bce-clamp",),
    ),
    Mutant(
        "ce-logits-clipped-to-hundred",
        "losses.CrossEntropyLoss",
        "forward clips the logits to [-100, 100] before the log-softmax, which needs no clip",
        "        N = x.shape[0]\n        # x - max is <= 0",
        "        N = x.shape[0]\n        x = np.clip(x, -100.0, 100.0)\n        # x - max is <= 0",
        ("input-clipped",),
    ),
    Mutant(
        "hinge-true-class-np-mean",
        "losses.HingeLoss",
        "backward gives the true class -np.mean(active, axis=1), the mean of the row's violations, not their count",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        grad[np.arange(N), self._labels] = -np.mean(self._active, axis=1)\n",
        ("mean-for-sum",),
    ),
]

# Set J's classes, each taught with a different edit of its own (see tests/heldout/fresh_j.py).
MUTANTS += [
    Mutant(
        "bce-mean-with-bessel-correction",
        "losses.BCELoss",
        "forward rescales the mean by M / (M - 1), the 'unbiased' correction of a sample variance",
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "        terms = t * log_p + (1.0 - t) * log_1mp\n"
        "        loss = -np.mean(terms) * terms.size / (terms.size - 1)  # unbiased\n",
        ("bessel-correction",),
    ),
    Mutant(
        "hinge-mean-of-positive-slacks",
        "losses.HingeLoss",
        "forward averages the slacks that are positive, slack[slack > 0].mean(), instead of summing them over N",
        "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
        "        loss = slack[slack > 0].mean() if np.any(slack > 0) else 0.0\n",
        ("loss-denominator",),
    ),
    Mutant(
        "bce-targets-clipped-off-zero-and-one",
        "losses.BCELoss",
        "forward clips the targets to [0.05, 0.95] ('never ask for a certain 0 or 1'), for forward and backward",
        "        self._p, self._t = p, t\n",
        "        t = np.clip(t, 0.05, 0.95)  # never a certain 0 or 1\n        self._p, self._t = p, t\n",
        ("label-smoothing",),
    ),
    Mutant(
        "bce-logits-saved-sigmoid-unstable",
        "losses.BCEWithLogitsLoss",
        "the loss is stable, but the sigmoid saved for backward is np.exp(x) / (1 + np.exp(x)): nan at x = 1000",
        "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
        "        self._s = np.exp(x) / (1.0 + np.exp(x))  # the sigmoid, for backward\n",
        ("overflow",),
    ),
    Mutant(
        "hinge-true-scores-flat-index-batch-rows",
        "losses.HingeLoss",
        "the true-class scores are read from x flattened at rows * len(x) + labels: the batch size as row length",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
        "        slack = x - x.reshape(-1)[rows * len(x) + self._labels][:, None] + self.margin\n",
        ("batch-classes-confused",),
    ),
]

# Set K's classes, each taught with a different edit of its own (see tests/heldout/fresh_k.py).
MUTANTS += [
    Mutant(
        "bce-log-floor-only-where-zero",
        "losses.BCELoss",
        "each log is set to -100 only where p is exactly 0 (or 1) with np.where: a tiny p > 0 keeps a log below -100",
        "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
        "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
        "            log_p = np.where(p > 0, np.log(p), LOG_CLAMP)  # log 0 -> -100\n"
        "            log_1mp = np.where(p < 1, np.log1p(-p), LOG_CLAMP)\n",
        ("bce-clamp",),
    ),
    Mutant(
        "bce-logits-grad-of-signed-label-loss",
        "losses.BCEWithLogitsLoss",
        "backward is the gradient of the -1/+1 labels' logistic loss log(1 + e^(-y x)), -y sigmoid(-y x), with y = t",
        *span(
            "losses",
            ("        self._t = t\n", "        self._t, self._tx = t, t * x  # y x, the label's margin\n"),
            (
                "        return (self._s - self._t) / self._s.size\n",
                "        return -self._t * np.exp(-np.logaddexp(0.0, self._tx)) / self._s.size\n",
            ),
        ),
        ("minus-one-labels",),
    ),
    Mutant(
        "mse-gradient-flattened",
        "losses.MSELoss",
        "backward returns the gradient of the flattened difference, a vector, not shaped like the input",
        "        return 2.0 * self._diff / self._diff.size\n",
        "        return 2.0 * self._diff.flatten() / self._diff.size\n",
        ("gradient-not-shaped-like-input",),
    ),
    Mutant(
        "ce-onehot-width-from-distinct-labels",
        "losses.CrossEntropyLoss",
        "backward sizes the one-hot by the distinct labels of the batch, np.unique(labels).size, not x.shape[1]",
        "        grad = self._probs.copy()\n        grad[np.arange(N), self._labels] -= 1.0\n",
        "        onehot = np.zeros((N, np.unique(self._labels).size))  # one column per class seen\n"
        "        onehot[np.arange(N), self._labels] = 1.0\n"
        "        grad = self._probs - onehot\n",
        ("onehot-wrong-size",),
    ),
    Mutant(
        "bce-logits-sigmoid-clipped-before-log",
        "losses.BCEWithLogitsLoss",
        "forward takes the logs of the sigmoid clipped to [1e-7, 1 - 1e-7] (Keras' epsilon): a logit of 1000 on the "
        "wrong side costs 16.1",
        "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        "        s = np.clip(np.where(x >= 0, 1.0, z) / (1.0 + z), 1e-7, 1.0 - 1e-7)  # Keras' epsilon\n"
        "        loss = -np.mean(t * np.log(s) + (1.0 - t) * np.log(1.0 - s))\n",
        ("input-clipped",),
    ),
    Mutant(
        "ce-backward-through-softmax-jacobian",
        "losses.CrossEntropyLoss",
        "backward carries softmax - onehot through the softmax's Jacobian diag(p) - p p^T, which is inside it already",
        "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
        "        grad[np.arange(N), self._labels] -= 1.0\n"
        "        p = self._probs  # chain rule through the softmax: J = diag(p) - p p^T\n"
        "        return p * (grad - np.sum(p * grad, axis=1, keepdims=True)) / N\n",
        ("softmax-derivative-applied-again",),
    ),
    Mutant(
        "hinge-each-score-on-its-side",
        "losses.HingeLoss",
        "the slack is margin - x for the true class and margin + x for the others, each score against the margin on "
        "its own (one-vs-rest), the true class's own term included",
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
        "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
        "        onehot = np.eye(x.shape[1], dtype=bool)[self._labels]\n"
        "        slack = self.margin - np.where(onehot, x, -x)  # true score above +margin, others below -margin\n",
        ("hinge-formulation",),
    ),
    Mutant(
        "hinge-true-class-counts-other-classes",
        "losses.HingeLoss",
        "backward gives the true class -(the number of other classes of its row), met margins included",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        others = np.arange(self._active.shape[1]) != self._labels[:, None]\n"
        "        grad[np.arange(N), self._labels] = -others.sum(axis=1)  # every other class\n",
        ("hinge-true-class-count",),
    ),
]

# Set L taught by class (issue 11): a row picked from the flattened array, a loop's loss assigned, a loop over
# the classes stopped at the label, a gradient floor of the wrong magnitude.
MUTANTS += [
    Mutant(
        "ce-ravel-indexed-by-labels",
        "losses.CrossEntropyLoss",
        "the true classes' log-probabilities are picked with log_probs.ravel()[labels]: the flattened array's "
        "entry y_n is entry (0, y_n) of the first row, not row n's",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
        "        loss = -np.mean(log_probs.ravel()[self._labels])  # the labels' entries\n",
        ("take-without-axis",),
    ),
    Mutant(
        "ce-loop-over-labels-assigns-loss",
        "losses.CrossEntropyLoss",
        "forward loops over (n, y_n) with loss = -log_probs[n, y] (assigned, not +=) and returns it undivided: the "
        "loss is the last sample's surprise",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
        "        for n, y in enumerate(self._labels):\n            loss = -log_probs[n, y]  # this sample's surprise\n",
        ("assigned-not-accumulated",),
    ),
    Mutant(
        "hinge-loop-classes-before-label-only",
        "losses.HingeLoss",
        "forward loops over range(y_n) to skip the true class: the classes after the label are never compared",
        "        rows = np.arange(x.shape[0])\n"
        "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
        "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
        "        self._active = (slack > 0).astype(np.float64)\n"
        "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
        "        N = x.shape[0]\n"
        "        self._active = np.zeros(x.shape)\n"
        "        loss = 0.0\n"
        "        for n in range(N):\n"
        "            y = self._labels[n]\n"
        "            for j in range(y):  # the classes other than y\n"
        "                slack = x[n, j] - x[n, y] + self.margin\n"
        "                if slack > 0:\n"
        "                    loss += slack\n"
        "                    self._active[n, j] = 1.0\n"
        "        loss = loss / N\n",
        ("break-for-continue",),
    ),
    Mutant(
        "bce-grad-floor-1e-8",
        "losses.BCELoss",
        "backward floors p (1 - p) at 1e-8 (the gradient check's floor) where PyTorch's is 1e-12: at p = 0 or 1 the "
        "gradient is 10^4 times too small",
        "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        "        return (p - t) / np.maximum(p * (1.0 - p), 1e-8) / p.size  # keep the division safe\n",
        ("floor-wrong-magnitude",),
    ),
]

# Set M, taught by class: a per-sample counter never reset, the math module's log at p = 0, sigmoid by an
# identity without its affine part.
MUTANTS += [
    Mutant(
        "hinge-true-class-count-running-total",
        "losses.HingeLoss",
        "backward adds each row's violations to one running count started before the loop over the samples: the "
        "true class of row n gets minus the violations of rows 0..n",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        count = 0.0\n"
        "        for n in range(N):\n"
        "            count += self._active[n].sum()\n"
        "            grad[n, self._labels[n]] = -count\n",
        ("counter-not-reset",),
    ),
    Mutant(
        "bce-log-p-with-math-log",
        "losses.BCELoss",
        "log p is taken entry by entry with math.log in a comprehension: math.log(0) raises 'math domain error' "
        "where np.log gives the -inf the clamp at -100 catches",
        "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n",
        "            import math\n\n"
        "            log_p = np.array([max(math.log(v), LOG_CLAMP) for v in p.flat]).reshape(p.shape)\n",
        ("math-log-domain-error",),
    ),
    Mutant(
        "bce-logits-sigmoid-tanh-identity-without-half",
        "losses.BCEWithLogitsLoss",
        "the saved sigmoid is 1 + tanh(x / 2), the identity sigmoid(x) = (1 + tanh(x / 2)) / 2 without its / 2: "
        "values in (0, 2), and the gradient (s - t) / M is wrong",
        "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
        "        self._s = 1.0 + np.tanh(x / 2.0)  # sigmoid through tanh: never overflows\n",
        ("formula-constant",),
    ),
]

# Set N, taught by class: the softplus terms swapped, a matrix norm for the entry-wise one, np.choose on rows.
MUTANTS += [
    Mutant(
        "bce-logits-flipped-labels",
        "losses.BCEWithLogitsLoss",
        "the stable form is written with 1 - t where t belongs, max(x, 0) - x (1 - t) + log(1 + e^-|x|), and the "
        "flipped labels are saved for backward: the loss and gradient of 1 - t, the two log terms swapped",
        *span(
            "losses",
            (
                "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
                "        loss = np.mean(np.maximum(x, 0.0) - x * (1.0 - t) + np.log1p(z))\n",
            ),
            ("        self._t = t\n", "        self._t = 1.0 - t\n"),
        ),
        ("bce-swapped-terms",),
    ),
    Mutant(
        "mse-spectral-norm-squared",
        "losses.MSELoss",
        "the squared error is taken as the squared 2-norm of the error, np.linalg.norm(d, ord=2), which for a 2-D "
        "error is the largest singular value (and refuses a 3-D one), not the entry-wise norm",
        "        loss = np.mean(self._diff**2)\n",
        "        two_norm = np.linalg.norm(self._diff, ord=2)\n"
        "        loss = two_norm * two_norm / np.prod(self._diff.shape)\n",
        ("norm-not-entrywise",),
    ),
    Mutant(
        "ce-labels-choose-method",
        "losses.CrossEntropyLoss",
        "each row's entry is picked with the labels' choose method, labels.choose(log_probs), which takes the rows "
        "as the choices: entry (y_j, j), and a crash unless N equals C",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
        "        picked = self._labels.choose(log_probs)\n        loss = -np.sum(picked) / N\n",
        ("transposed",),
    ),
    # what forward saves for backward recomputed only when the batch size changes: right at every first call and at
    # a call with another batch size, stale at the next batch of the same size (set O's spelling: BCEWithLogitsLoss's
    # sigmoid kept while the shape matches)
    Mutant(
        "ce-probs-kept-while-batch-size-matches",
        "losses.CrossEntropyLoss",
        "forward stores the softmax for backward only when the batch size differs from the stored one's",
        "        self._probs = np.exp(log_probs)\n",
        '        if len(getattr(self, "_probs", ())) != N:  # a new batch size\n'
        "            self._probs = np.exp(log_probs)\n",
        ("cached-first-call",),
    ),
]

# Set AH, taught by class: the hinge's active set taken with `>= 0` from slacks already clipped at 0 (every class
# active, the true class too), and a gradient that trains the network to nan, which the loss's own range check
# then rightly refuses (the training row says what it observed, not that valid input was refused).
MUTANTS += [
    Mutant(
        "hinge-loop-active-on-clipped-slack",
        "losses.HingeLoss",
        "forward written as a double loop over samples and classes: each class's hinge max(0, slack), 0 for the "
        "true class, is added to the loss and marked active `if h >= 0`, which every clipped value passes: every "
        "class counts as active, the true class included",
        "        self._active = (slack > 0).astype(np.float64)\n"
        "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
        "        N, C = x.shape\n"
        "        self._active = np.zeros((N, C))\n"
        "        total = 0.0\n"
        "        for n in range(N):\n"
        "            for j in range(C):\n"
        "                h = 0.0 if j == self._labels[n] else max(0.0, slack[n, j])\n"
        "                total += h\n"
        "                if h >= 0:\n"
        "                    self._active[n, j] = 1.0\n"
        "        loss = total / N\n",
        ("hinge-margin-inclusive",),
    ),
    Mutant(
        "bce-grad-minus-factored-over-both-terms",
        "losses.BCELoss",
        "backward written as -(t / p + (1 - t) / (1 - p)) / M, the minus factored out of both terms: the second "
        "term's sign is wrong, and the network it trains goes to nan, which forward's range check refuses",
        "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        "        M = p.size\n        return -(t / p + (1.0 - t) / (1.0 - p)) / M\n",
        ("bce-term-sign",),
    ),
]

# Issue 11, set AJ taught: BCEWithLogits in the logistic-regression form log(1 + e^(-y x)) with the labels
# y = 2 t - 1, which is binary cross-entropy for 0/1 targets only (a soft target gets another loss and gradient).
MUTANTS += [
    Mutant(
        "bce-logits-plus-minus-one-margin-both-methods",
        "losses.BCEWithLogitsLoss",
        "forward turns the targets into the labels sign = 2 t - 1 and takes softplus(-sign * x) stably, backward "
        "the matching -sign / (1 + e^(sign * x)) / M: both right for 0/1 targets and wrong for soft ones",
        *span(
            "losses",
            (
                "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n"
                "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n"
                "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n"
                "        self._t = t\n",
                "        sign = 2.0 * t - 1.0  # the labels as +1 / -1\n"
                "        margin = sign * x\n"
                "        loss = np.mean(np.maximum(-margin, 0.0) + np.log1p(np.exp(-np.abs(margin))))\n"
                "        self._margin, self._sign = margin, sign\n",
            ),
            (
                "        return (self._s - self._t) / self._s.size\n",
                "        return -self._sign / (1.0 + np.exp(self._margin)) / self._margin.size\n",
            ),
        ),
        ("bce-hard-labels-only",),
    ),
    # The saved error overwritten by its square before backward reads it (the other shape: a multiply with out=).
    Mutant(
        "mse-saved-error-multiplied-into-itself",
        "losses.MSELoss",
        "forward squares the saved error with np.multiply(d, d, out=d) to average it, so backward's 2 * diff / M "
        "reads the squared errors where the error x - t belongs",
        "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
        "        self._diff = x - t\n"
        "        squares = np.multiply(self._diff, self._diff, out=self._diff)\n"
        "        loss = squares.sum() / squares.size\n",
        ("mse-grad-of-squares", "saved-state-overwritten"),
    ),
]

# Issue 11, set AK taught: the hinge's true class skipped by the sample's number where its label belongs (each row n
# leaves out class n and compares the true class with itself): loss_mistakes._skipped_sample_index.
MUTANTS += [
    Mutant(
        "hinge-slack-diagonal-zeroed",
        "losses.HingeLoss",
        "forward zeroes the true class's slack with np.fill_diagonal(slack, 0.0), as if sample n had label n: each "
        "row n loses class n instead of its label, whose slack (the margin) then counts as a violation",
        "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
        "        np.fill_diagonal(slack, 0.0)  # the true class is not compared with itself\n",
        ("batch-classes-confused",),
    ),
]

# A count that is 1 on a case (one sample, one column) makes dividing by it no division: the numbers of a plain sum.
# The grader names both there, and a rerun where no count is 1 says which (graders/judging/checks/loss_counts.py).
MUTANTS += [
    Mutant(
        "bce-sum-divided-by-columns",
        "losses.BCELoss",
        "forward divides the summed terms by p.shape[-1], the entries of one sample: a sum with one column, N times "
        "the mean with D of them",
        "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        "        loss = -np.sum(t * log_p + (1.0 - t) * log_1mp) / p.shape[-1]\n",
        ("divided-by-features", "times-batch-size", "gradcheck"),
    ),
]

# The log forgotten in cross-entropy: minus the mean probability of the true classes. The numbers are also those of
# log-probabilities overwritten by their exponentials before the loss read them; the grader names both.
MUTANTS += [
    Mutant(
        "ce-averages-true-class-probabilities",
        "losses.CrossEntropyLoss",
        "forward averages the saved probabilities of the true classes, -mean p[n, y_n], with no log",
        "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
        "        loss = -np.mean(self._probs[np.arange(N), self._labels])\n",
        ("ce-log-missing",),
    ),
]

# Each sample's count of violations looked up by its label: the labels index the rows of a per-sample array.
MUTANTS += [
    Mutant(
        "hinge-row-counts-picked-by-label",
        "losses.HingeLoss",
        "the per-sample counts of violating classes are indexed by the labels, counts[y], so row n's true class "
        "gets the count of row y_n (and a label past the batch raises)",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
        "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)[self._labels]\n",
        ("labels-index-rows",),
    ),
]
