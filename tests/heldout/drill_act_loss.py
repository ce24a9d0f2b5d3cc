"""Drill set A (activations and losses): candidate student bugs written by a teaching session.

This is a drill, not a blind measurement: its author read the reference (reference/activations.py,
reference/losses.py), docs/api.md, the ids of the catalogue and of sets A to Z, and the grader's rubric for
activations and losses, and wrote these bugs to find and teach the grader's blind spots before set AA measures
them. Its named rate says nothing about the grader on unseen bugs.

About 60 candidates were written; check_set reported some 25 as copies of catalogue or earlier bugs, and they were
dropped. Five more were dropped as not mistakes the rubric grades: loss input validation made laxer (the target
shape compared by size, BCELoss's target range unchecked, CrossEntropyLoss's label shape compared by size and its
range test one short, HingeLoss accepting negative labels). docs/api.md asks for a ValueError there, but the
rubric has no row on invalid input and the correct alternatives in tests/alternatives (losses_formulas, ...) do no
validation at all and keep full marks.

Classes covered: hyper-parameters other than the defaults (Softplus's threshold written as 20, its beta stored as
int, ELU and SELU on their negative branch, PReLU's per-channel axes for 3-D and 4-D input, GELU's exact CDF and
its tanh form's inner slope, Hinge's margin), Python and numpy semantics (int() of a float, out = x aliasing the
input, a constructor without super().__init__(), grad_y[:, :, None] broadcast along the wrong axis, an axis range
test one short, a gathered (N, 1, M) left unsqueezed, labels left as floats, np.sign for the active mask),
formulas remembered wrongly (the sigmoid's derivative through tanh's formula, the inner Sigmoid's backward reused
for Softplus's derivative, SELU's scale typed with four decimals, Phi without its 1/2, LogSoftmax's mean for its
sum and its difference bracketed), and two pieces of code interacting wrongly (Maxout's winner from a reversed or
one-short argmax used by forward and backward, Softmax saving its output only in training, the hinge's true-class
count divided by N twice, CrossEntropy's one-hot at the prediction and its shift clamped at 0).

Two bugs were taken out after set AA was graded (Softplus's int(beta) and its backward through the inner Sigmoid's
backward): set AA, written blind in the same hour, holds the same edits, and keeps them.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import held_apart_bug, span

fresh = partial(held_apart_bug, "drill-a-")  # drill, activations and losses


ACTIVATIONS = [
    fresh(
        "drill-a-softplus-threshold-literal",
        "activations.Softplus",
        "the linear region is decided by beta x > 20 whatever threshold was given: the threshold argument decides",
        (
            "        self._linear = z > self.threshold\n",
            "        self._linear = z > 20.0\n",
        ),
        expect=("hyperparameter-ignored", "default-changed"),
        phrases=("threshold",),
    ),
    fresh(
        "drill-a-selu-backward-scale-only",
        "activations.SELU",
        "backward returns scale * grad_y, dropping ELU's derivative: it is scale times ELU's backward",
        (
            "        return self._elu.backward(self.scale * grad_y)\n",
            "        return self.scale * grad_y\n",
        ),
        expect=("negative-branch-ignored", "derivative-wrong-form", "backward-returns-upstream"),
        phrases=("negative",),
    ),
    fresh(
        "drill-a-softmax-dim-check-excludes-first-axis-negative",
        "activations.Softmax",
        "the dim check is -ndim < dim instead of -ndim <= dim: dim = -ndim (the first axis) is rejected",
        (
            "    if not -x.ndim <= dim < x.ndim:\n",
            "    if not -x.ndim < dim < x.ndim:\n",
        ),
        expect=("valid-input-refused", "slice-off-by-one"),
        phrases=("valid",),
    ),
    fresh(
        "drill-a-logsoftmax-backward-mean-of-upstream",
        "activations.LogSoftmax",
        "backward subtracts p times the mean of grad_y along dim: it is the sum",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - self._p * np.mean(grad_y, axis=self.dim, keepdims=True)\n",
        ),
        expect=("mean-for-sum", "divided-by-features", "logsoftmax-sum-dropped"),
        phrases=("sum", "mean"),
    ),
    fresh(
        "drill-a-maxout-tie-last-piece-reversed-index",
        "activations.Maxout",
        (
            "the winner is found as argmax of the pieces reversed and not mapped back: index k of the reversed "
            "array is piece K - 1 - k"
        ),
        (
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
            "        self._argmax = np.argmax(z[:, ::-1], axis=1)  # the last maximal piece\n",
        ),
        expect=("reversed-index-not-mapped-back", "maxout-grad-to-losing-piece"),
        phrases=("reversed",),
    ),
    fresh(
        "drill-a-selu-scale-four-decimals",
        "activations.SELU",
        "scale is written 1.0507 (four decimals): the API gives PyTorch's constant to full precision",
        (
            "    scale = SELU_SCALE\n",
            "    scale = 1.0507\n",
        ),
        expect=("rounded-constant", "selu-constants", "formula-constant"),
        phrases=("scale",),
    ),
    fresh(
        "drill-a-maxout-last-piece-never-wins",
        "activations.Maxout",
        "the winner is the argmax of z[:, :-1]: the last piece is left out of the maximum (slice off by one)",
        (
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
            "        self._argmax = np.argmax(z[:, :-1], axis=1)\n",
        ),
        expect=("slice-off-by-one", "entries-skipped", "maxout-grad-to-losing-piece"),
        phrases=("last piece",),
    ),
    fresh(
        "drill-a-softmax-saves-output-in-training-only",
        "activations.Softmax",
        "the output is saved for backward only in training mode: backward after an eval-mode forward uses stale y",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n        return self._y\n",
            "        y = e / np.sum(e, axis=self.dim, keepdims=True)\n"
            "        if self.training:\n"
            "            self._y = y\n"
            "        return y\n",
        ),
        expect=("train-eval", "state-not-saved", "saved-state-stale", "saved-none"),  # saved-none: after grading
        phrases=("eval",),
    ),
    fresh(
        "drill-a-elu-init-without-super",
        "activations.ELU",
        "__init__ does not call super().__init__(), so the module has no training attribute after construction",
        (
            "        super().__init__()\n        self.alpha = float(alpha)\n",
            "        self.alpha = float(alpha)\n",
        ),
        expect=("state-not-initialised", "train-eval"),
        phrases=("training", "super"),
    ),
    fresh(
        "drill-a-maxout-weight-shape-units-first",
        "activations.Maxout",
        "weight is created with shape (M, K, D) (units first): the API's weight is (K, M, D), pieces first",
        (
            "(self.pieces, self.out_features, self.in_features)))\n",
            "(self.out_features, self.pieces, self.in_features)))\n",
        ),
        expect=("transposed-shape", "axes-permuted", "wrong-shape"),
        phrases=("(K, M, D)", "shape"),
    ),
    fresh(
        "drill-a-step-backward-zeros-per-row",
        "activations.Step",
        "backward returns np.zeros(len(grad_y)), one zero per row: the gradient is shaped like the input",
        (
            "        return np.zeros_like(grad_y)\n",
            "        return np.zeros(len(grad_y))\n",
        ),
        expect=("gradient-not-shaped-like-input", "wrong-shape", "len-for-size"),
        phrases=("shape",),
    ),
    fresh(
        "drill-a-maxout-output-keeps-piece-axis",
        "activations.Maxout",
        "forward returns the gathered (N, 1, M) array without dropping the piece axis: y is (N, M)",
        (
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)\n",
        ),
        expect=("wrong-shape", "length-one-axis", "squeezed-output"),
        phrases=("shape",),
    ),
    fresh(
        "drill-a-logsoftmax-backward-difference-bracketed",
        "activations.LogSoftmax",
        "backward computes (grad_y - p) * sum(grad_y): it is grad_y - p * sum(grad_y)",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return (grad_y - self._p) * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        ),
        expect=("precedence", "operator-precedence", "jacobian-term-wrong"),
        phrases=("parenthes", "precedence"),
    ),
    fresh(
        "drill-a-prelu-channel-grad-range-stops-early",
        "activations.PReLU",
        (
            "the per-channel gradient sums over axes (0, 2, ..., ndim - 2): range(2, ndim - 1) leaves the last "
            "axis out for (N, C, L) and (N, C, H, W) input"
        ),
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim - 1)))\n",
        ),
        expect=("prelu-grad-wrong-axes", "gradient-summed-over-wrong-axes", "slice-off-by-one"),
        phrases=("axes", "channel"),
    ),
    fresh(
        "drill-a-elu-negative-branch-written-into-input",
        "activations.ELU",
        (
            "out = x aliases the input, so the negative branch is written into x (and into the saved self._x): "
            "forward must not change its argument, and backward then reads the output as the input"
        ),
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        out = x\n        out[x <= 0] = self.alpha * np.expm1(x[x <= 0])\n        return out\n",
        ),
        expect=("modifies-input", "aliasing", "saved-output-not-input"),
        phrases=("in place", "copy"),
    ),
    fresh(
        "drill-a-gelu-tanh-backward-inner-slope-constant",
        "activations.GELU",
        (
            "the tanh form's inner slope is sqrt(2/pi) alone: the derivative of u = sqrt(2/pi) (x + 0.044715 x^3) is "
            "sqrt(2/pi) (1 + 3 * 0.044715 x^2)"
        ),
        (
            "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n",
            "            inner_slope = SQRT_2_OVER_PI\n",
        ),
        expect=("gelu-tanh-inner-slope", "gelu-tanh-cubic-term", "chain-rule-inner-derivative"),
        phrases=("0.044715", "inner"),
    ),
    fresh(
        "drill-a-maxout-upstream-broadcast-along-pieces",
        "activations.Maxout",
        (
            "grad_y is broadcast as grad_y[:, :, None], units along the pieces axis, where grad_y[:, None, :] "
            "puts one copy per piece"
        ),
        (
            "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n",
            "        grad_z = np.where(won, grad_y[:, :, None], 0.0)  # (N, K, M)\n",
        ),
        expect=("broadcast-wrong-axis", "transposed", "axes-permuted"),
        phrases=("axis", "broadcast"),
    ),
    fresh(
        "drill-a-gelu-cdf-without-half",
        "activations.GELU",
        "Phi(x) is taken as erfc(-x / sqrt 2) without the factor 1/2: Phi(x) = erfc(-x / sqrt(2)) / 2",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            "        self._cdf = erfc(-x / math.sqrt(2.0))\n",
        ),
        expect=("half", "formula-constant", "times-two"),
        phrases=("1/2", "half", "/ 2"),
    ),
    fresh(
        "drill-a-sigmoid-backward-tanh-formula",
        "activations.Sigmoid",
        "backward uses tanh's derivative 1 - y^2: the sigmoid's is y (1 - y)",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        return grad_y * (1.0 - self._y * self._y)\n",
        ),
        expect=("derivative-wrong-form", "sigmoid-derivative-plus-square"),
        phrases=("y (1 - y)", "tanh"),
    ),
]

LOSSES = [
    fresh(
        "drill-a-bce-validation-open-interval",
        "losses.BCELoss",
        "the range check is 0 < v < 1 instead of 0 <= v <= 1: hard 0/1 targets and p = 0 or 1 are rejected",
        (
            "            if not np.all((values >= 0.0) & (values <= 1.0)):\n",
            "            if not np.all((values > 0.0) & (values < 1.0)):\n",
        ),
        expect=("valid-input-refused", "bce-hard-labels-only"),
        phrases=("0 or 1", "[0, 1]"),
    ),
    fresh(
        "drill-a-bce-clamp-on-probability",
        "losses.BCELoss",
        "the -100 floor is applied to p before the log (a no-op) instead of to log p: log 0 gives an infinite loss",
        span(
            "losses",
            (
                "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n",
                "            log_p = np.log(np.maximum(p, LOG_CLAMP))\n",
            ),
            (
                "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
                "            log_1mp = np.log1p(np.maximum(-p, LOG_CLAMP))\n",
            ),
        ),
        expect=("bce-not-clamped", "bce-clamp", "floor-scope"),
        phrases=("-100", "clamp"),
    ),
    fresh(
        "drill-a-ce-labels-left-as-floats",
        "losses.CrossEntropyLoss",
        "validated labels are returned as given, so whole-number float labels are used as indices and raise",
        (
            "    return labels.astype(np.intp)\n",
            "    return labels\n",
        ),
        expect=("float-labels", "wrong-type"),
        phrases=("float", "integer"),
    ),
    fresh(
        "drill-a-hinge-active-as-sign",
        "losses.HingeLoss",
        "the active mask is np.sign(slack), -1 for a class beaten by more than the margin: it is 1 or 0",
        (
            "        self._active = (slack > 0).astype(np.float64)\n",
            "        self._active = np.sign(slack)\n",
        ),
        expect=("derivative-is-sign", "sign-for-step"),
        phrases=("sign", "margin"),
    ),
    fresh(
        "drill-a-ce-shift-clamped-at-zero",
        "losses.CrossEntropyLoss",
        (
            "the shift is max(row maximum, 0), so rows of very negative logits are not shifted and exp underflows "
            "to 0 (log 0): subtract the row maximum itself"
        ),
        (
            "            shifted = x - x.max(axis=1, keepdims=True)\n",
            "            shifted = x - np.maximum(x.max(axis=1, keepdims=True), 0.0)\n",
        ),
        expect=("shift-only-positive", "underflow", "log-of-softmax-underflow"),
        phrases=("maximum", "underflow"),
    ),
    fresh(
        "drill-a-hinge-backward-n-from-classes-axis",
        "losses.HingeLoss",
        "backward takes N = self._active.shape[1], the classes, and divides by it: the gradient is divided by N",
        (
            "        N = self._active.shape[0]\n",
            "        N = self._active.shape[1]\n",
        ),
        expect=("batch-classes-confused", "grad-divided-by-batch", "loss-denominator"),  # the first: after grading
        phrases=("classes",),
    ),
    fresh(
        "drill-a-ce-backward-onehot-of-prediction",
        "losses.CrossEntropyLoss",
        "backward subtracts 1 at the predicted class (argmax of the probabilities) instead of at the label",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n",
            "        grad[np.arange(N), self._probs.argmax(axis=1)] -= 1.0\n",
        ),
        expect=("target-at-prediction", "ce-loss-of-predicted-class", "values-for-indices"),  # the first: after grading
        phrases=("label", "predicted"),
    ),
    fresh(
        "drill-a-hinge-true-class-count-divided-twice",
        "losses.HingeLoss",
        "the true class's count is divided by N when assigned and again by the final / N: it is -count / N once",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1) / N\n",
        ),
        expect=("divided-twice", "hinge-true-class-count"),
        phrases=("twice", "true class"),
    ),
]

DRILL_A: list[Mutant] = ACTIVATIONS + LOSSES
