"""Held-apart loss bugs: signs, the class column, what the mean divides by, unguarded logs."""

from __future__ import annotations

from ._edits import bug, span

HELDOUT = [
    bug(
        "ho-mse-diff-target-minus-input",
        "losses.MSELoss",
        "forward saves t - x (the loss does not care, it is squared), so backward's 2 (x - t) / M has the wrong sign",
        ("        self._diff = x - t\n", "        self._diff = t - x\n"),
        expect=("sign-flipped",),
        phrases=("sign",),
    ),
    bug(
        "ho-mse-root-mean-square",
        "losses.MSELoss",
        "forward returns the root of the mean squared error (RMSE); backward is MSE's",
        ("        loss = np.mean(self._diff**2)\n", "        loss = np.sqrt(np.mean(self._diff**2))\n"),
        expect=("mse-root",),
        phrases=("square root", "root mean", "rmse"),
    ),
    bug(
        "ho-bce-backward-unguarded",
        "losses.BCELoss",
        "backward is -t/p + (1 - t)/(1 - p) with no floor: p = 0 or 1 divides by zero",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (-t / p + (1.0 - t) / (1.0 - p)) / p.size\n",
        ),
        expect=("overflow", "bce-not-clamped"),
        phrases=("1e-12", "floor", "division by zero", "divide by zero", "divides by zero"),
    ),
    bug(
        "ho-bce-divides-by-rows",
        "losses.BCELoss",
        "forward sums over every entry but divides by len(p), the number of rows: a 2-D batch is not averaged over "
        "its columns",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = -np.sum(t * log_p + (1.0 - t) * log_1mp) / len(p)\n",
        ),
        expect=("mse-mean-over-batch-only", "mean-over-batch-only"),
        phrases=("every entry", "all entries", "number of entries", "len(p)"),
    ),
    bug(
        "ho-bce-logits-grad-from-logits",
        "losses.BCEWithLogitsLoss",
        "backward returns (x - t) / M: the logits minus the target, the sigmoid forgotten",
        span(
            "losses",
            ("        self._t = t\n", "        self._t = t\n        self._x = x\n"),
            (
                "        return (self._s - self._t) / self._s.size\n",
                "        return (self._x - self._t) / self._x.size\n",
            ),
        ),
        expect=("bce-logits-grad-without-sigmoid",),
        phrases=(
            "without the sigmoid",
            "sigmoid is missing",
            "sigmoid was not applied",
            "forgot the sigmoid",
            "logits minus",
        ),
    ),
    bug(
        "ho-ce-labels-one-based",
        "losses.CrossEntropyLoss",
        "forward reads log_probs[n, y_n - 1], as for 1-based labels: every sample scores the class before its "
        "own (class 0 wraps to the last column)",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(log_probs[np.arange(N), self._labels - 1])\n",
        ),
        expect=("class-index-shifted",),
        phrases=("off by one", "labels - 1", "zero-based", "0-based", "1-based", "one-based"),
    ),
    bug(
        "ho-ce-log-of-softmax",
        "losses.CrossEntropyLoss",
        "forward takes log(softmax): a probability that underflows to 0 gives log 0 = -inf and an infinite loss",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
            "        self._probs = np.exp(log_probs)\n",
            "        e = np.exp(shifted)\n        self._probs = e / e.sum(axis=1, keepdims=True)\n"
            "        log_probs = np.log(self._probs)\n",
        ),
        # log-of-softmax-underflow added in session 17, when the grader learnt to tell the two apart: this is an
        # underflow (log 0), which the description always said
        expect=("overflow", "log-of-softmax-underflow"),
        phrases=("log(0)", "log 0", "logsumexp", "log-softmax", "log softmax"),
    ),
    bug(
        "ho-ce-backward-onehot-at-prediction",
        "losses.CrossEntropyLoss",
        "backward subtracts 1 at each row's predicted class (argmax of the probabilities) instead of its label",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n",
            "        grad[np.arange(N), grad.argmax(axis=1)] -= 1.0\n",
        ),
        expect=("target-at-prediction",),
        phrases=("predicted class", "argmax", "instead of the label", "label's column", "true class"),
    ),
    bug(
        "ho-hinge-backward-not-averaged",
        "losses.HingeLoss",
        "backward returns the summed gradient: forward divides by N, backward forgets to",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n        return grad / N\n",
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n        return grad\n",
        ),
        expect=("times-batch-size", "ce-grad-not-divided"),
        phrases=("divide by N", "divided by N", "1/N"),
    ),
    bug(
        "ho-hinge-true-class-grad-minus-one",
        "losses.HingeLoss",
        "the true class's gradient is -1 (as in cross-entropy's one-hot) instead of minus the number of "
        "classes inside the margin",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -1.0\n",
        ),
        # added after reading output (tag-vocabulary audit): hinge-true-class-grad-wrong
        expect=("hinge-true-class-grad-wrong",),
        phrases=("number of", "how many", "count of", "-sum", "sum of a"),
    ),
]
