"""Held-apart set C: fresh student bugs, written blind after sets A and B had been seen.

Sets A (``HELDOUT``) and B (``FRESH``) have been read by the people improving the diagnosis, so
they no longer measure generalisation. Set C was written blind: its author read the reference,
the catalogue's mutants and sets A and B (for the format, the tag vocabulary and to avoid
copies), but never the diagnosis (graders/judging/checks, diagnose, evidence), its feedback or its
output, and graded none of these bugs while writing them. They are mistakes students make
(CS231n and 11-785 classics, numpy and Python pitfalls: ``np.max`` where ``np.maximum`` belongs,
``np.zeros_like`` of a shape, ``a = a + b`` on a view, a list of one dict multiplied, a method
named but not called, ``keepdims`` where none belongs, integer division, 1-based loops,
state reset every epoch), different from the catalogue's and sets A and B's where possible and
never the same edit. Ids start with ``hc-``. The ``expect`` tags and ``phrases`` were decided
from the misconception alone, before any grading: a catalogue tag where one names the mistake,
else a new descriptive tag; phrases are words any correct explanation would contain, never
text of numpy's or Python's own error messages.

Measured blind on 2026-12-04 (before anyone improving the diagnosis read it): 43 of 77 named
(56 %), 20 flagged misleading, 76 caught. It has been read since, so like sets A and B it now
measures only that what was once learnt stays learnt. A tag commented "added after reading
output" is a synonym: the grader's sentence under that tag was read and judged to name the
student's mistake as a teaching assistant would accept it.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug

fresh = partial(held_apart_bug, "hc-")  # set C


_PRECEDENCE = ("parenthes", "precedence")
_FLOOR_DIVISION = ("floor division", "integer division", "//")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hc-step-as-sign",
        "activations.Step",
        "forward returns np.sign(x): the step is confused with the sign function, -1 (not 0) for negative inputs",
        ("        return (x > 0).astype(np.float64)\n", "        return np.sign(x)\n"),
        # added after reading output (tag-vocabulary audit): step-is-sign
        expect=("sign-for-step", "minus-one-labels", "step-is-sign"),
        phrases=("np.sign", "sign(x)", "sign function"),
    ),
    fresh(
        "hc-sigmoid-stable-form-without-abs",
        "activations.Sigmoid",
        "the stable sigmoid takes z = e^-x instead of e^-|x|: the x < 0 branch z / (1 + z) then gives "
        "sigmoid(-x), and e^-x overflows for very negative x",
        (
            "        z = np.exp(-np.abs(x))\n        self._y = np.where(",
            "        z = np.exp(-x)\n        self._y = np.where(",
        ),
        # added after reading output: for x < 0 the output is f(-x): the stable form exponentiates -|x| (np.abs)
        expect=("abs-missing-in-stable-form",),
        phrases=("|x|", "np.abs", "absolute value"),
    ),
    fresh(
        "hc-tanh-backward-sigmoid-derivative",
        "activations.Tanh",
        "backward is copied from Sigmoid: grad_y * y * (1 - y) where tanh' = 1 - y^2",
        ("        return grad_y * (1.0 - self._y * self._y)\n", "        return grad_y * self._y * (1.0 - self._y)\n"),
        expect=(
            "sigmoid-derivative-for-tanh",
            # added after reading output: backward multiplies grad_y by y (1 - y), but tanh' is 1 - y^2
            "derivative-wrong-form",
        ),
        phrases=("y(1 - y)", "y (1 - y)", "y * (1 - y)", "sigmoid's derivative", "derivative of the sigmoid"),
    ),
    fresh(
        "hc-relu-mask-from-output",
        "activations.ReLU",
        "forward computes y = max(x, 0) first and takes the mask y >= 0 from it: always true, so backward "
        "passes the gradient of negative inputs too",
        (
            "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
            "        y = np.maximum(x, 0.0)\n        self._mask = y >= 0\n        return y\n",
        ),
        expect=("mask-from-output",),
        phrases=("x > 0", "always true", "y >= 0", "from the output"),
    ),
    fresh(
        "hc-leakyrelu-backward-slope-without-upstream",
        "activations.LeakyReLU",
        "backward's negative branch returns the slope itself: the local derivative is not multiplied by grad_y",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return np.where(self._x > 0, grad_y, self.negative_slope)\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("slope * grad_y", "negative_slope * grad_y", "times grad_y", "upstream"),
    ),
    fresh(
        "hc-prelu-channel-grad-over-batch-only",
        "activations.PReLU",
        "with one slope per channel the slope gradient sums over axis 0 only: right for (N, C), but for images the "
        "positions are not summed and (C, H, W) does not fit the (C,) gradient",
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.sum(axis=0)\n",
        ),
        expect=("prelu-grad-wrong-axes",),
        phrases=("every axis but", "all axes but", "(0, 2, 3)", "spatial", "positions"),
    ),
    fresh(
        "hc-elu-alpha-outside-parentheses",
        "activations.ELU",
        "the negative branch is written alpha * e^x - 1 instead of alpha * (e^x - 1): right only for alpha = 1",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return np.where(x > 0, x, self.alpha * np.exp(np.minimum(x, 0.0)) - 1.0)\n",
        ),
        # added after reading output: operator-precedence, "for x <= 0 forward computes alpha * np.exp(x) - 1: the
        # operands and operators of alpha * (np.exp(x) - 1), with the parentheses in other places ..."
        expect=("alpha-outside-parentheses", "branch-constant", "operator-precedence"),
        phrases=(*_PRECEDENCE, "alpha * (e^x - 1)", "alpha (e^x - 1)", "alpha(e^x - 1)", "-alpha"),
    ),
    fresh(
        "hc-selu-inner-elu-default-alpha",
        "activations.SELU",
        "SELU's inner ELU is built as ELU(): its default alpha 1.0 replaces SELU's alpha 1.6733",
        ("        self._elu = ELU(alpha=SELU_ALPHA)\n", "        self._elu = ELU()\n"),
        expect=(
            "selu-alpha-missing",
            "hyperparameter-ignored",
            # added after reading output: for x <= 0 alpha = 1.6733 is missing (scale * alpha (e^x - 1))
            "formula-constant",
        ),
        phrases=("SELU_ALPHA", "1.673", "alpha=1", "alpha = 1", "default alpha"),
    ),
    fresh(
        "hc-gelu-density-exponent-not-halved",
        "activations.GELU",
        "the normal density in the exact derivative is e^(-x^2) / sqrt(2 pi): the exponent's 1/2 is forgotten",
        (
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
            "        pdf = INV_SQRT_2PI * np.exp(-xc * xc)\n",
        ),
        expect=(
            "gelu-pdf-exponent",
            # added after reading output: e^(-x^2): the 1/2 of the exponent -x^2/2 is missing
            "formula-constant",
        ),
        phrases=("x^2/2", "x²/2", "x^2 / 2", "x² / 2", "-0.5 * x", "e^(-x^2/2)"),
    ),
    fresh(
        "hc-softplus-log-for-log1p",
        "activations.Softplus",
        "the stable form uses np.log(e^-|z|) where log1p(e^-|z|) = log(1 + e^-|z|) belongs: the 1 + is lost",
        (
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
            "        soft = (np.maximum(z, 0.0) + np.log(np.exp(-np.abs(z)))) / self.beta\n",
        ),
        expect=("log1p-as-log",),
        phrases=("log1p", "log(1 +", "1 + e"),
    ),
    fresh(
        "hc-softmax-backward-sums-over-batch",
        "activations.Softmax",
        "backward sums grad_y * y over axis 0, the batch, instead of along dim",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return y * (grad_y - np.sum(grad_y * y, axis=0, keepdims=True))\n",
        ),
        expect=("softmax-backward-wrong-axis",),
        phrases=("axis=self.dim", "along dim", "axis 0", "over the batch"),
    ),
    fresh(
        "hc-logsoftmax-backward-sum-assumed-one",
        "activations.LogSoftmax",
        "backward returns grad_y - p, as if the upstream gradient always summed to 1 (the cross-entropy case): "
        "the factor sum(grad_y) is dropped",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - self._p\n",
        ),
        expect=("logsoftmax-sum-dropped",),
        phrases=("sum(grad_y)", "sum of grad_y", "p * sum", "sums to 1", "sum to one", "sums to one"),
    ),
    fresh(
        "hc-maxout-argmax-over-outputs",
        "activations.Maxout",
        "the winning piece is the argmax over axis 2 (the output units) of z (N, K, M) instead of axis 1 (the pieces)",
        (
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
            "        self._argmax = np.argmax(z, axis=2)\n",
        ),
        expect=("maxout-wrong-axis",),
        phrases=("axis=1", "over the pieces", "pieces axis", "axis of the pieces"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
_MAXPOOL_LOOP = (
    "        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n            for j in range(kW):\n"
    "                won = self._argmax == i * kW + j\n"
)
_AVGPOOL_GRAD = "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n"
_DROPOUT_BRANCH = "        if self.training:\n            keep = self.rng.random(x.shape)"

LAYERS = [
    fresh(
        "hc-linear-forward-weight-not-transposed",
        "layers.Linear",
        "forward computes x @ W, forgetting that W is stored (out, in): x @ W.T belongs (a crash unless in == out)",
        ("        y = x @ self.weight.data.T\n", "        y = x @ self.weight.data\n"),
        # added after reading output (tag-vocabulary audit): linear-weight-not-transposed
        expect=("transposed", "linear-weight-not-transposed"),
        phrases=("W.T", "weight.T", "transpose", "(out, in)"),
    ),
    fresh(
        "hc-linear-weight-grad-x-transpose-times-grad",
        "layers.Linear",
        "the weight gradient is x.T @ grad_y, the (in, out) textbook form, where the weight is stored (out, in)",
        ("        self.weight.grad += grad_y.T @ self._x\n", "        self.weight.grad += self._x.T @ grad_y\n"),
        expect=("transposed",),
        phrases=("grad_y.T @ x", "transpose", "(out, in)", "(M, D)"),
    ),
    fresh(
        "hc-linear-bias-grad-keepdims",
        "layers.Linear",
        "the bias gradient is grad_y.sum(axis=0, keepdims=True): a (1, M) row where the bias is (M,)",
        (
            "            self.bias.grad += grad_y.sum(axis=0)\n",
            "            self.bias.grad += grad_y.sum(axis=0, keepdims=True)\n",
        ),
        expect=(
            "keepdims-misuse",
            # added after reading output: `bias.grad` was summed over axis 0 with keepdims=True: a value of shape
            # (1, M), an axis of length 1 kept, where the bias has shape (M,)
            "length-one-axis",
        ),
        phrases=("keepdims", "(1, M)", "shape of the bias", "bias's shape"),
    ),
    fresh(
        "hc-conv-bias-broadcast-along-columns",
        "layers.Conv2d",
        "the bias is added to the (F, N*H'*W') product as bias (F,) without [:, None]: numpy broadcasts it along "
        "the columns (positions), not down the filter rows",
        ("            y += self.bias.data[:, None]\n", "            y += self.bias.data\n"),
        expect=("broadcast-wrong-axis",),
        phrases=("[:, None]", "per filter", "each filter", "filter axis", "one bias per filter"),
    ),
    fresh(
        "hc-conv-col2im-rebinds-view",
        "layers.Conv2d",
        "col2im writes window = window + dcols[:, i, j]: that binds a new array to the name instead of adding into "
        "the view of grad_xp, so grad_x stays zero",
        ("                window += dcols[:, i, j]\n", "                window = window + dcols[:, i, j]\n"),
        expect=("view-rebound",),
        phrases=("in place", "+=", "new array", "view"),
    ),
    fresh(
        "hc-maxpool-backward-routes-ones",
        "layers.MaxPool2d",
        "backward puts 1 at each window's maximum (the local derivative) instead of the window's grad_y",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, 1.0, 0.0)\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("upstream", "times grad_y", "window's gradient", "grad_y of the window"),
    ),
    fresh(
        "hc-maxpool-backward-row-offsets-one-short",
        "layers.MaxPool2d",
        "backward loops over range(kH - 1) row offsets: a maximum in the window's last row never gets its gradient",
        (_MAXPOOL_LOOP, _MAXPOOL_LOOP.replace("range(kH)", "range(kH - 1)")),
        expect=("loop-off-by-one",),
        phrases=("range(kH)", "last row", "off by one", "kH - 1"),
    ),
    fresh(
        "hc-avgpool-mean-over-last-axis-only",
        "layers.AvgPool2d",
        "forward averages the window view over axis -1 only (the window's columns): each window becomes kH means",
        ("        y = windows.mean(axis=(4, 5))\n", "        y = windows.mean(axis=-1)\n"),
        expect=(
            "mean-over-one-window-axis",
            # added after reading output: the mean over one of the window axes only, axis 5 (kW), not (4, 5)
            "reduced-over-wrong-axes",
        ),
        phrases=("(4, 5)", "both window axes", "both axes", "kH and kW", "whole window"),
    ),
    fresh(
        "hc-avgpool-grad-zeros-like-shape",
        "layers.AvgPool2d",
        "backward allocates grad_x with np.zeros_like(self._x_shape): an array shaped like the shape tuple "
        "(four integers), not an array of that shape",
        (_AVGPOOL_GRAD, _AVGPOOL_GRAD.replace("np.zeros(self._x_shape)", "np.zeros_like(self._x_shape)")),
        expect=("zeros-like-of-shape",),
        phrases=("np.zeros(", "zeros_like", "shape tuple", "a shape"),
    ),
    fresh(
        "hc-flatten-reshape-arguments-swapped",
        "layers.Flatten",
        "forward reshapes to (-1, N) instead of (N, -1): the sizes are swapped, so samples are mixed across rows",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.reshape(-1, x.shape[0])\n"),
        expect=("reshape-arguments-swapped",),
        phrases=("(N, -1)", "x.shape[0], -1", "batch axis first", "swapped"),
    ),
    fresh(
        "hc-dropout-backward-rescales-again",
        "layers.Dropout",
        "backward divides by 1 - p again, though the saved mask already holds the 1/(1 - p) scale",
        (
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask / (1.0 - self.p)\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-backward-wrong-scale
        expect=("dropout-backward-scaled-twice", "dropout-backward-wrong-scale"),
        phrases=("twice", "already", "(1 - p)^2", "(1 - p)²", "squared"),
    ),
    fresh(
        "hc-dropout-training-test-inverted",
        "layers.Dropout",
        "the mode test is inverted (if not self.training): dropout drops in evaluation and is the identity in training",
        (_DROPOUT_BRANCH, _DROPOUT_BRANCH.replace("if self.training:", "if not self.training:")),
        expect=("dropout-active-in-eval", "train-eval"),
        phrases=("inverted", "not self.training", "training mode", "eval mode", "evaluation mode"),
    ),
    fresh(
        "hc-bn1d-backward-sums-where-means-belong",
        "layers.BatchNorm1d",
        "training backward subtracts sum(g) and x_hat * sum(g * x_hat) where the means belong: the 1/m of the "
        "batch statistics is forgotten",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n",
                        "                - grad_x_hat.sum(axis=axes, keepdims=True)\n",
                    ),
                    (
                        "(grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)",
                        "(grad_x_hat * self._x_hat).sum(axis=axes, keepdims=True)",
                    ),
                ]
            },
        ),
        # added after reading output: "the two correction terms used sums over the batch where the formula has
        # means (a factor 1/m ... is missing)"
        expect=("bn-backward-sum-not-mean", "bn-sum-not-mean"),
        phrases=("1/m", "1/N", "1 / m", "1 / N", "divided by m", "divided by N"),
    ),
    fresh(
        "hc-bn1d-running-statistics-swapped",
        "layers.BatchNorm1d",
        "the two running updates take each other's statistic: running_mean moves towards the batch variance and "
        "running_var towards the batch mean",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    ("            self.running_mean += m * mean\n", "            self.running_mean += m * var\n"),
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * mean * (count / (count - 1))\n",
                    ),
                ]
            },
        ),
        expect=("bn-running-stats-swapped",),
        phrases=("swapped", "running_mean", "each other"),
    ),
    fresh(
        "hc-bn2d-std-where-variance-belongs",
        "layers.BatchNorm2d",
        "the batch 'variance' is computed with x.std: the standard deviation is then square-rooted again "
        "(and stored in running_var)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                        "            var = x.std(axis=axes)\n",
                    )
                ]
            },
        ),
        # added after reading output: "the standard deviation went where the variance belongs (x.std() for x.var())"
        # added after reading output (tag-vocabulary audit): bn-running-std-not-var
        expect=("std-as-variance", "bn-std-for-variance", "bn-running-std-not-var"),
        phrases=("x.var", "np.var", "standard deviation", "std instead", "std where"),
    ),
    fresh(
        "hc-bn2d-mean-not-reshaped",
        "layers.BatchNorm2d",
        "x_hat subtracts the (C,) mean without reshaping it to (1, C, 1, 1): numpy broadcasts it along the "
        "last axis (W), not the channels",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                        "        self._x_hat = (x - mean) * self._inv_std\n",
                    )
                ]
            },
        ),
        expect=("broadcast-wrong-axis",),
        phrases=("reshape", "(1, C, 1, 1)", "channel axis", "axis 1", "last axis"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hc-mse-mean-over-axis-0",
        "losses.MSELoss",
        "forward takes np.mean(diff**2, axis=0): a mean per column, not one number over every entry (float() of it "
        "fails for 2-D input)",
        ("        loss = np.mean(self._diff**2)\n", "        loss = np.mean(self._diff**2, axis=0)\n"),
        # added after reading output: "the loss was still an array ... a mean (or sum) over one axis only leaves one
        # value per row or per column ... the loss averages over every entry, np.mean(...) without an axis"
        expect=("mean-over-one-axis", "loss-not-scalar"),
        phrases=("every entry", "all entries", "no axis", "without an axis", "axis=0", "per column"),
    ),
    fresh(
        "hc-bce-log1p-of-p",
        "losses.BCELoss",
        "log(1 - p) is written np.log1p(p), which is log(1 + p): the minus sign inside log1p is lost",
        (
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_1mp = np.maximum(np.log1p(p), LOG_CLAMP)\n",
        ),
        expect=("log1p-sign",),
        phrases=("log1p(-p)", "log(1 - p)", "1 - p", "1 + p"),
    ),
    fresh(
        "hc-bce-backward-denominator-precedence",
        "losses.BCELoss",
        "the denominator p(1 - p) is typed p * 1.0 - p, which is 0: the floor 1e-12 then makes every gradient huge",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / np.maximum(p * 1.0 - p, BCE_GRAD_EPS) / p.size\n",
        ),
        # added after reading output: "the denominator was the floor 1e-12 for every p ... what it floored came out 0
        # or negative for every p, a sign or parenthesis slip"
        expect=("bce-denominator-floored",),
        phrases=(*_PRECEDENCE, "p(1 - p)", "p (1 - p)", "p * (1 - p)"),
    ),
    fresh(
        "hc-bce-logits-backward-sigmoid-derivative-again",
        "losses.BCEWithLogitsLoss",
        "backward multiplies (s - t) by the sigmoid's derivative s(1 - s), which the fused loss has already cancelled",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        return (self._s - self._t) * self._s * (1.0 - self._s) / self._s.size\n",
        ),
        # added after reading output (tag-vocabulary audit): bce-logits-grad-times-sigmoid-derivative
        expect=("sigmoid-derivative-twice", "bce-logits-grad-times-sigmoid-derivative"),
        phrases=("s(1 - s)", "s (1 - s)", "cancel", "sigmoid's derivative", "derivative of the sigmoid"),
    ),
    fresh(
        "hc-bce-logits-max-for-maximum",
        "losses.BCEWithLogitsLoss",
        "max(x, 0) is written np.max(x, 0), which reduces over axis 0 (the largest logit of each column) instead "
        "of comparing each logit with 0",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.max(x, 0) - x * t + np.log1p(z))\n",
        ),
        expect=("max-for-maximum",),
        phrases=("np.maximum", "element-wise", "elementwise", "each entry with 0", "reduces over"),
    ),
    fresh(
        "hc-ce-normalises-over-batch",
        "losses.CrossEntropyLoss",
        "the log-sum-exp sums the exponentials over axis 0 (the batch) instead of axis 1 (the classes)",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))\n",
        ),
        expect=("softmax-wrong-axis",),
        phrases=("axis=1", "axis 1", "over the classes", "each row", "per row"),
    ),
    fresh(
        "hc-ce-forward-sums-over-batch",
        "losses.CrossEntropyLoss",
        "forward sums the negative log-probabilities over the batch instead of averaging them (backward still "
        "divides by N)",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.sum(log_probs[np.arange(N), self._labels])\n",
        ),
        # added after reading output: "the loss is 6 times the right value ... a mean was computed as a sum"
        expect=("sum-not-mean", "times-batch-size"),
        phrases=("1/N", "divide by N", "divided by N", "sum instead of", "summed instead"),
    ),
    fresh(
        "hc-hinge-true-class-count-over-axis-0",
        "losses.HingeLoss",
        "backward counts the active classes with sum(axis=0), per class over the batch, instead of sum(axis=1), "
        "per sample",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=0)\n",
        ),
        # added after reading output: "`self._active.sum(axis=0)` ... reduces over axis 0, which leaves one value per
        # column ... assigned to one entry per row ... the reduction belongs over the other axis, axis=1"
        expect=("sum-wrong-axis", "reduced-over-wrong-axes"),
        phrases=("axis=1", "axis 1", "each sample", "per sample", "each row"),
    ),
    fresh(
        "hc-hinge-mean-over-classes",
        "losses.HingeLoss",
        "forward takes .mean() of the slacks, dividing by N * C, where the loss sums over classes and divides by N",
        (
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        loss = np.maximum(slack, 0.0).mean()\n",
        ),
        # added after reading output (tag-vocabulary audit): hinge-divided-by-classes
        expect=("ce-mean-over-classes", "hinge-divided-by-classes"),
        phrases=("N * C", "N*C", "number of classes", "sum over the classes", "only by N"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hc-sgd-velocity-computed-not-used",
        "optimizers.SGD",
        "the velocity is updated and stored, but without nesterov the step still uses the gradient g, not the velocity",
        (
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                g = g + self.momentum * buf if self.nesterov else g\n",
        ),
        expect=("momentum-ignored",),
        phrases=("velocity", "momentum buffer", "never used", "plain SGD", "plain gradient"),
    ),
    fresh(
        "hc-sgd-state-list-multiplied",
        "optimizers.SGD",
        "the state is built as [{...}] * len(params): one dict shared by every parameter, so they share one velocity",
        (
            '        self.state: list[dict[str, np.ndarray | None]] = [{"momentum_buffer": None} '
            "for _ in self.params]\n",
            '        self.state: list[dict[str, np.ndarray | None]] = [{"momentum_buffer": None}] * len(self.params)\n',
        ),
        expect=("state-shared-between-parameters",),
        phrases=("same dict", "one dict", "shared", "each parameter", "per parameter", "own velocity"),
    ),
    fresh(
        "hc-adagrad-sums-raw-gradients",
        "optimizers.Adagrad",
        "the accumulator adds g instead of g^2: it can go negative, and its square root is nan",
        (
            '            state["sum"] = state["sum"] + g * g\n',
            '            state["sum"] = state["sum"] + g\n',
        ),
        expect=("gradient-not-squared",),
        phrases=("g^2", "g²", "g * g", "squared gradient", "not squared"),
    ),
    fresh(
        "hc-adagrad-initial-accumulator-ignored",
        "optimizers.Adagrad",
        "the sum starts at zeros whatever initial_accumulator_value says",
        (
            '            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value, dtype=np.float64)} '
            "for p in self.params\n",
            '            {"sum": np.zeros(np.shape(p.data))} for p in self.params\n',
        ),
        # added after reading output (tag-vocabulary audit): initial-accumulator-ignored
        expect=("hyperparameter-ignored", "initial-accumulator-ignored"),
        phrases=("initial_accumulator_value", "initial accumulator"),
    ),
    fresh(
        "hc-rmsprop-new-square-unweighted",
        "optimizers.RMSprop",
        "the square average adds g^2 without its weight 1 - alpha: a leaky sum, not an average",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            state["square_avg"] = a * state["square_avg"] + g * g\n',
        ),
        # added after reading output (tag-vocabulary audit): alpha-complement-missing
        expect=("average-weight-missing", "alpha-complement-missing"),
        phrases=("1 - alpha", "(1 - alpha)", "1 - a"),
    ),
    fresh(
        "hc-rmsprop-centered-mean-of-squares",
        "optimizers.RMSprop",
        "the centered variant's running mean averages g^2 (copied from the line above) instead of g",
        (
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g * g\n',
        ),
        expect=("centered-mean-of-squares",),
        phrases=("mean of g", "average of g", "first moment", "not g^2", "not g²", "copied"),
    ),
    fresh(
        "hc-adadelta-adds-the-step",
        "optimizers.Adadelta",
        "the update adds lr * delta (Zeiler's x += delta, whose delta carries the minus sign): the step climbs",
        ("            p.data -= self.lr * delta\n", "            p.data += self.lr * delta\n"),
        expect=("sign-flipped", "ascent"),
        phrases=("sign", "ascent", "uphill", "climbs"),
    ),
    fresh(
        "hc-adam-step-size-times-correction",
        "optimizers.Adam",
        "the step size is lr * (1 - beta1^t) instead of lr / (1 - beta1^t): the first moment's correction multiplies",
        (
            "        step_size = self.lr / bias_correction1\n",
            "        step_size = self.lr * bias_correction1\n",
        ),
        # added after reading output (tag-vocabulary audit): bias-correction-inverted
        expect=("bias-correction-multiplied", "bias-correction-inverted"),
        phrases=("divide", "divided by", "/ (1 - beta1", "instead of dividing"),
    ),
    fresh(
        "hc-adam-betas-unpacked-swapped",
        "optimizers.Adam",
        "the pair is unpacked as beta2, beta1 = self.betas: the first moment decays with 0.999, the second with 0.9",
        ("        beta1, beta2 = self.betas\n", "        beta2, beta1 = self.betas\n"),
        expect=("betas-swapped",),
        phrases=("swapped", "unpack", "beta2, beta1", "(beta1, beta2)", "order of the betas"),
    ),
    fresh(
        "hc-adamw-weight-decay-not-passed-on",
        "optimizers.AdamW",
        "AdamW's constructor calls super().__init__ without weight_decay: Adam's default 0 is stored, so AdamW "
        "never decays",
        (
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, "
            "amsgrad=amsgrad)\n",
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, amsgrad=amsgrad)\n",
        ),
        expect=("weight-decay-ignored", "hyperparameter-ignored"),
        phrases=("super().__init__", "passed on", "not passed", "never decays", "no decay"),
    ),
    fresh(
        "hc-adamw-decay-with-corrected-step-size",
        "optimizers.AdamW",
        "the decay uses Adam's bias-corrected step size lr / (1 - beta1^t) instead of the plain lr: early steps "
        "decay up to ten times too much",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        p.data *= 1.0 - self.lr / (1.0 - self.betas[0] ** self.t) * self.weight_decay\n        return g\n",
        ),
        # added after reading output (tag-vocabulary audit): adamw-decay-with-step-size
        expect=("decay-uses-corrected-lr", "adamw-decay-with-step-size"),
        phrases=("bias correction", "bias-corrected", "corrected step", "plain lr", "uncorrected", "1 - beta1"),
    ),
]

# ----------------------------------------------------------------------------------------- initialisers
_XAVIER_UNIFORM_BOUND = "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
_XAVIER_NORMAL_STD = "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal"
_KAIMING_UNIFORM_BOUND = "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n"
_KAIMING_NORMAL_MODE = (
    '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
    "    std = gain / math.sqrt(fan)\n    weight = rng.normal"
)

INIT = [
    fresh(
        "hc-fans-square-kernel-assumed",
        "init.fan_in_and_fan_out",
        "the receptive field is shape[2] ** 2 (square kernels assumed): a (F, C, 3, 5) kernel counts 9, not 15",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = shape[2] ** 2 if len(shape) > 2 else 1\n",
        ),
        expect=("square-only-index",),
        phrases=("kH * kW", "kh * kw", "square"),
    ),
    fresh(
        "hc-xavier-uniform-sqrt6-times-std",
        "init.xavier_uniform",
        "the bound is sqrt(6) * std: the sqrt(6) of the bound formula gain * sqrt(6 / (fan_in + fan_out)) is "
        "applied to a std that already has its 2, so the bound is sqrt(2) too large",
        (_XAVIER_UNIFORM_BOUND, "    bound = math.sqrt(6.0) * std\n"),
        # added after reading output: formula-constant, "a factor 2 too many in the variance: either the bound
        # is sqrt(6) * std where sqrt(3) * std belongs, or ..."
        expect=("uniform-bound", "formula-constant"),
        phrases=("sqrt(3)", "√3", "sqrt(6)", "√6"),
    ),
    fresh(
        "hc-xavier-uniform-size-forgotten",
        "init.xavier_uniform",
        "rng.uniform(-bound, bound) without size=shape: one float is returned instead of an array of the shape",
        (
            _XAVIER_UNIFORM_BOUND + "    weight = rng.uniform(-bound, bound, size=shape)\n",
            _XAVIER_UNIFORM_BOUND + "    weight = rng.uniform(-bound, bound)\n",
        ),
        expect=("size-not-passed",),
        phrases=("size=shape", "one number", "single number", "a single float", "one float"),
    ),
    fresh(
        "hc-xavier-normal-integer-division",
        "init.xavier_normal",
        "std = gain * sqrt(2 // (fan_in + fan_out)): floor division makes the variance 0 for any real layer",
        (_XAVIER_NORMAL_STD, _XAVIER_NORMAL_STD.replace("2.0 / (fan_in", "2 // (fan_in")),
        expect=("rounded-values",),
        phrases=_FLOOR_DIVISION,
    ),
    fresh(
        "hc-kaiming-uniform-bound-three-std",
        "init.kaiming_uniform",
        "the bound is 3 * std: the square root of 3 (variance b^2 / 3) is forgotten",
        (_KAIMING_UNIFORM_BOUND, _KAIMING_UNIFORM_BOUND.replace("math.sqrt(3.0) * std", "3.0 * std")),
        expect=("uniform-bound",),
        phrases=("sqrt(3)", "√3", "square root of 3", "b^2 / 3", "b²/3"),
    ),
    fresh(
        "hc-kaiming-normal-mode-string-typo",
        "init.kaiming_normal",
        "the mode is compared with 'fan-in' (a hyphen): never equal, so mode='fan_in' uses fan_out",
        (_KAIMING_NORMAL_MODE, _KAIMING_NORMAL_MODE.replace('mode == "fan_in"', 'mode == "fan-in"')),
        expect=("mode-ignored", "fans-swapped"),
        phrases=("mode='fan_in'", 'mode="fan_in"', "typo", "misspel"),
    ),
]

# ----------------------------------------------------------------------------------------- training loop
TRAINING = [
    fresh(
        "hc-minibatches-permutes-the-rows",
        "training.minibatches",
        "the permutation is drawn as rng.permutation(X), a shuffled copy of the rows, and then used as indices "
        "instead of rng.permutation(len(X))",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = rng.permutation(X)\n",
        ),
        expect=("permutes-values-not-indices",),
        phrases=("len(X)", "permutation of the indices", "index array", "permutation(n)"),
    ),
    fresh(
        "hc-minibatches-shuffle-tested-against-none",
        "training.minibatches",
        "the shuffle flag is tested with `is not None`: False is not None, so shuffle=False still shuffles "
        "(and fails when no rng was made)",
        ("    if shuffle:\n        order = rng", "    if shuffle is not None:\n        order = rng"),
        expect=("flag-tested-against-none",),
        phrases=("is not None", "shuffle=False", "False is not None", "truth value of shuffle", "if shuffle:"),
    ),
    fresh(
        "hc-minibatches-first-batch-from-one",
        "training.minibatches",
        "the batch starts run over range(1, len(X), size), as with 1-based indices: sample 0 is never used",
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for start in range(1, len(X), max(size, 1)):\n",
        ),
        expect=("starts-at-one",),
        phrases=("first sample", "sample 0", "index 0", "range(0", "zero-based", "0-based", "1-based"),
    ),
    fresh(
        "hc-fit-epoch-mean-by-last-batch",
        "training.fit",
        "each epoch's total is divided by len(X_batch), the last batch's size, instead of len(X)",
        ("        history.append(total / len(X))\n", "        history.append(total / len(X_batch))\n"),
        expect=(
            "averaged-by-last-batch",
            # added after reading output: each epoch's total was divided by the size of its last batch,
            # len(X_batch) after the loop, not by the number of samples len(X)
            "loss-denominator",
        ),
        phrases=("len(X)", "number of samples", "last batch", "whole training set", "all samples"),
    ),
    fresh(
        "hc-fit-one-epoch-short",
        "training.fit",
        "the epochs run over range(epochs - 1): one epoch fewer than asked",
        (
            "    for _ in range(epochs):\n        total = 0.0\n",
            "    for _ in range(epochs - 1):\n        total = 0.0\n",
        ),
        expect=("fit-epochs", "max-epochs-off-by-one", "epochs-off-by-one"),
        phrases=("one epoch short", "one fewer", "off by one", "range(epochs)", "epochs - 1"),
    ),
    fresh(
        "hc-fit-loss-against-all-targets",
        "training.fit",
        "the loss compares the batch's output with the whole y instead of y_batch",
        (
            "            loss = loss_fn.forward(output, y_batch)\n",
            "            loss = loss_fn.forward(output, y)\n",
        ),
        expect=("targets-not-batched",),
        phrases=("y_batch", "whole y", "batch's targets", "targets of the batch"),
    ),
    fresh(
        "hc-fit-step-not-called",
        "training.fit",
        "optimizer.step is written without parentheses: the method is looked up, never called, so nothing trains",
        (
            "            optimizer.step()\n            total += float(loss) * len(X_batch)\n",
            "            optimizer.step\n            total += float(loss) * len(X_batch)\n",
        ),
        expect=("method-not-called",),
        phrases=("step()", "parentheses", "never called", "not called", "never steps"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hc-perceptron-predict-without-bias",
        "models.Perceptron",
        "predict scores X @ weight and leaves the bias out (update includes it)",
        ("        scores = X @ self.weight + self.bias\n", "        scores = X @ self.weight\n"),
        expect=("bias-ignored",),
        phrases=("+ bias", "+ self.bias", "without the bias", "bias left out", "leaves out the bias"),
    ),
    fresh(
        "hc-perceptron-bias-assigned",
        "models.Perceptron",
        "the bias update is bias = lr * error: assigned, not added to the old bias",
        ("        self.bias = self.bias + self.lr * error\n", "        self.bias = self.lr * error\n"),
        expect=("assigned-not-accumulated",),
        phrases=("+=", "accumulat", "overwrit", "adds to the bias", "bias + "),
    ),
    fresh(
        "hc-perceptron-weight-update-discarded",
        "models.Perceptron",
        "the weight update is an expression statement, weight + lr * error * x, whose result is never stored",
        (
            "        self.weight = self.weight + self.lr * error * x\n",
            "        self.weight + self.lr * error * x\n",
        ),
        expect=("result-discarded",),
        phrases=("assign", "never stored", "not stored", "discarded", "self.weight ="),
    ),
    fresh(
        "hc-perceptron-fit-counts-positive-errors",
        "models.Perceptron",
        "fit counts a mistake only when update returns a positive error: a false positive (error -1) goes uncounted",
        (
            "                if self.update(x, target) != 0.0:\n",
            "                if self.update(x, target) > 0.0:\n",
        ),
        expect=("mistakes-one-sign",),
        phrases=("error of -1", "negative error", "false positive", "both signs", "!= 0"),
    ),
    fresh(
        "hc-sequential-forward-from-second-layer",
        "models.Sequential",
        "forward runs self.layers[1:] (a 1-based habit): the first layer never runs",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        for layer in self.layers[1:]:\n            x = layer.forward(x)\n",
        ),
        expect=("forward-skips-layer",),
        phrases=("first layer", "layers[0]", "index 0", "layers[1:]"),
    ),
    fresh(
        "hc-sequential-backward-result-in-other-name",
        "models.Sequential",
        "backward stores each layer's result in grad_x but keeps passing grad_y: every layer gets the upstream "
        "gradient and the container returns it unchanged",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        for layer in reversed(self.layers):\n            grad_x = layer.backward(grad_y)\n",
        ),
        expect=("backward-not-chained", "backward-returns-upstream"),
        phrases=("chain", "previous layer's", "next layer's input"),
    ),
    fresh(
        "hc-sequential-eval-calls-train",
        "models.Sequential",
        "eval() (copied from train()) sets the flag to False but puts every layer in training mode",
        (
            "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
            "        self.training = False\n        for layer in self.layers:\n            layer.train()\n",
        ),
        expect=("train-eval",),
        phrases=("eval()", "eval mode", "evaluation mode"),
    ),
]

# ----------------------------------------------------------------------------------------- gradient checking
GRADCHECK = [
    fresh(
        "hc-numgrad-floor-division",
        "gradcheck.numerical_gradient",
        "the central difference is divided with // (floor division): every estimate is rounded down to a multiple "
        "of one",
        (
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        grad[index] = (f_plus - f_minus) // (2 * h)\n",
        ),
        expect=("rounded-values",),
        phrases=_FLOOR_DIVISION,
    ),
    fresh(
        "hc-numgrad-restore-dedented",
        "gradcheck.numerical_gradient",
        "the restore x[index] = original is dedented out of the loop: every probed entry stays at original - h, "
        "and only the last is put back",
        (
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n    x[index] = original\n",
        ),
        expect=("not-restored",),
        phrases=("restore", "put back", "inside the loop", "indent"),
    ),
    fresh(
        "hc-relerr-python-max-on-array",
        "gradcheck.relative_error",
        "the floor is taken with Python's max(1e-8, array), which compares a number with a whole array, instead of "
        "np.maximum entry by entry",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / max(1e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("python-max-on-array",),
        phrases=("np.maximum", "python's max", "built-in max", "builtin max"),
    ),
    fresh(
        "hc-relerr-floor-1e8",
        "gradcheck.relative_error",
        "the floor is typed 1e8 instead of 1e-8: every denominator is 100 million, so every error looks tiny",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("floor-wrong-magnitude",),
        phrases=("1e-8", "1e8", "typo"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
_EPOCH_LOOP = "    waited = 0  # epochs since the last improvement\n    for epoch in range(1, max_epochs + 1):\n"

EARLY_STOPPING = [
    fresh(
        "hc-early-stopping-wait-reset-every-epoch",
        "early_stopping.fit_early_stopping",
        "the count of epochs without improvement is set to 0 at the top of every epoch: it never reaches patience "
        "(beyond 1)",
        (_EPOCH_LOOP, "    for epoch in range(1, max_epochs + 1):\n        waited = 0\n"),
        # added after reading output: the count never went past 1 (..., or the count set back to 0 at the start of
        # every epoch), so with patience >= 2 patience never ran out
        expect=("patience-reset-every-epoch", "patience-never-reached"),
        phrases=("every epoch", "before the loop", "outside the loop", "never stops", "never reaches"),
    ),
    fresh(
        "hc-early-stopping-break-missing",
        "early_stopping.fit_early_stopping",
        "patience running out records stopped_epoch but does not break: training goes on to max_epochs",
        (
            "                history.stopped_epoch = epoch\n                break\n",
            "                history.stopped_epoch = epoch\n",
        ),
        expect=("break-missing",),
        phrases=("break", "never stops", "keeps training", "does not stop", "goes on"),
    ),
    fresh(
        "hc-early-stopping-epochs-from-zero",
        "early_stopping.fit_early_stopping",
        "the epochs are counted with range(max_epochs), from 0: best_epoch and stopped_epoch are one too small",
        (_EPOCH_LOOP, _EPOCH_LOOP.replace("range(1, max_epochs + 1)", "range(max_epochs)")),
        expect=("best-epoch-off-by-one", "stopped-epoch"),
        phrases=("from 1", "counted from 1", "off by one", "zero-based", "0-based", "range(1"),
    ),
    fresh(
        "hc-early-stopping-train-history-gets-val-loss",
        "early_stopping.fit_early_stopping",
        "train_losses is appended the validation loss (a copy-paste of the next line)",
        (
            "        history.train_losses.append(train_loss)\n",
            "        history.train_losses.append(val_loss)\n",
        ),
        expect=("wrong-history-list",),
        phrases=("train_loss", "training loss", "copy-paste"),
    ),
]

FRESH_C: list[Mutant] = [
    *ACTIVATIONS,
    *LAYERS,
    *LOSSES,
    *OPTIMIZERS,
    *INIT,
    *TRAINING,
    *MODELS,
    *GRADCHECK,
    *EARLY_STOPPING,
]
