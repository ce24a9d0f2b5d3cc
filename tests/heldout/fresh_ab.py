"""Held-apart set AB (activations, layers and losses): fresh student bugs, written blind after sets A to AA.

Set AB was written blind, in two halves by two authors at the same time; this module is the activations, layers
and losses half (fresh_ab2.py, which its author did not read, holds the optimizers, init, training, models,
gradcheck and early-stopping half). Its author read the reference (reference/*.py), docs/api.md,
tests/heldout/_edits.py, the format, docstrings, ids and descriptions of sets P to AA (fresh_p.py to fresh_aa.py),
the ``expect`` tags of the catalogue (graders/mutants) and of tests/heldout (for the tag vocabulary only), and of
tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts (and its ``_changes`` rule, to check for
copies). The author never read the diagnosis (graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback audit, the mistake, crash, diagnosis
and feedback tests, benchmarks/, the grader's feedback or its output, and graded none of these bugs. Written under a
short deadline.

About 93 candidates were written in five rounds; the copy check (``_changes`` against the catalogue and every earlier
set) reported 46 of them as textual copies of catalogue or earlier bugs, and those were dropped. Seven more were dropped
by the author: four whose idea an earlier bug already has under other code, as a copy found by the check or an id of set
S showed (Step returning integers through ``(x > 0) * 1``, Linear's and Conv2d's bias created whatever ``bias`` says,
Softmax's backward in LogSoftmax's form), Conv2d's padding not accepted as a pair (the same mistake as its stride,
kept), GELU's forward ignoring ``approximate`` (GELU already had two) and BatchNorm2d storing 1 - momentum in
``momentum`` (the same class as Dropout's keep probability, kept). Every remaining edit was run beside the reference
with a script of the author's own on small inputs (rectangular kernels with stride and padding, (N, C), (N, C, L) and
(N, C, H, W) batch norm in train and eval with non-default gamma, eps and momentum, several calls of one instance,
inputs at the kinks and at +-800, soft and hard targets, N != C and N == C, non-default hyper-parameters, weights
replaced by assignment) and changed a result or raised; none was dropped there. The families: 13 activations bugs over
11 classes, 20 layers bugs (Conv2d, MaxPool2d, Dropout and BatchNorm1d three each, the other layers two each), 7 losses
bugs over all five losses.

Classes covered: numerics (the sigmoid's derivative recomputed from the input as e^-x / (1 + e^-x)^2, nan for large
negative inputs; a softmax made "safe" by clipping the logits at +-500 instead of subtracting the maximum), formulas
remembered wrongly (ReLU as ``x + |x| / 2``, the sigmoid as ``(1 + tanh x) / 2`` without the halved argument, SiLU's
derivative with a misplaced parenthesis, ELU's slope as alpha e^y of the saved output, a staged batch-norm backward
with the variance's power rule off by one), code copied from a neighbour and not adapted (LogSoftmax's backward in
Softmax's form, MaxPool's backward spreading the gradient as AvgPool's, BCEWithLogits' backward with BCELoss'
1 / (s (1 - s)), BCELoss' second log of ``-t`` for ``-p``, Softplus' threshold assigned from beta), kinks
(LeakyReLU's derivative at 0 from the positive branch), code pieces that do not fit together (Maxout's winner chosen
before the bias is added, GELU's tanh mode back-propagated with the exact derivative, a conv backward that flips the
kernel although im2col already correlates, a conv column gradient reshaped with the kernel offsets before the
channels, MaxPool's forward cut into tiles as if the stride were the kernel, Dropout's output computed with the mask
of the previous call), wrong axes and counts (MSE's count from two axes, a cross-entropy one-hot compared without a
new axis, BatchNorm1d's statistics from a reshape to (-1, C), a pooling backward whose loops swap the kernel sides,
a loop average pooling taking ``.mean()`` of the whole slice, the pooling stride applied to the batch and channel
axes), wrong attributes and hyper-parameters (a Linear bias of shape (1, M), Dropout storing the keep probability in
``p``, Conv2d's stride not accepted as a pair, BatchNorm1d's eps written as the literal 1e-5, PReLU's first slope for
every channel, GELU's ``approximate`` overwritten by a bool on the first call), state kept or not kept between calls
(Linear's transposed weight cached at construction, Flatten returning 2-D input early without saving its shape,
Dropout returning early at p = 1 before saving its mask, BatchNorm1d's eval pass normalising without saving its
inverse std, BatchNorm2d's running mean updated with ``*= 1 - m + m * mean``), and Python and numpy slips (``loss.item``
without the call, the builtin ``sum`` over the first axis, ``ndarray.resize`` for ``reshape``, a hinge active mask
binarised through an alias of the slack the loss is summed from). Ids start with ``hsab-``. The ``expect`` tags and
``phrases`` were decided from the misconception alone, before any grading, from the existing vocabulary.

Blind rate, measured before anybody read the set (session 19, on the tree that taught set AA plus two commits of the
same session written before the set was read: ff85c09; each bug graded in the grader's sandbox), for the whole of
set AB (this file and fresh_ab2.py, 79 bugs): 58/79 named (73 %), 75 caught, 13 flagged misleading. Two bugs of part
2 were then dropped as outside what docs/api.md has the graders check (see fresh_ab2.py), leaving 77: 58 named (75
%), 75 caught, 13 flagged. Of the 13, 9 were the right diagnosis under another tag (the sigmoid's halved argument,
Maxout's bias added after the maximum, a parameter read once, a saved attribute missing on one path (three),
BatchNorm's missing 1/std factor, ``resize`` modifying its argument in place, the first velocity never stored read
as the state reset each step; added to their ``expect`` after reading the sentence, so 61/77 (79 %) named after
reading) and 4 were wrong claims: GELU's setting overwritten read as an attribute missing on one path, Softplus'
threshold copied from beta read as the threshold inverted, the hinge's loss counting violations read as rounded
values, and Kaiming's one broadcast draw read as a draw not centred. In this part: 26/40 named, 38 caught (the
Softmax clip at +-500, which no input reached, and Dropout's p stored as the keep probability, which no row read),
11 flagged.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsab-")  # set AB


ACTIVATIONS = [
    fresh(
        "hsab-sigmoid-backward-recomputed-from-input",
        "activations.Sigmoid",
        "forward saves the input and backward recomputes the derivative as e^-x / (1 + e^-x)^2: for x < -709 "
        "e^-x overflows and inf / inf is nan; use the saved output, y (1 - y)",
        span(
            "activations",
            ("        z = np.exp(-np.abs(x))\n", "        self._x = x\n        z = np.exp(-np.abs(x))\n"),
            (
                "        return grad_y * self._y * (1.0 - self._y)\n",
                "        e = np.exp(-self._x)\n        return grad_y * e / (1.0 + e) ** 2\n",
            ),
        ),
        expect=("overflow",),
        phrases=("overflow",),
    ),
    fresh(
        "hsab-sigmoid-as-tanh-without-half-argument",
        "activations.Sigmoid",
        "forward writes the sigmoid through tanh as (1 + tanh x) / 2: the identity is sigmoid(x) = (1 + tanh(x / 2)) "
        "/ 2, the argument is halved (as written it is sigmoid(2x))",
        (
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        self._y = 0.5 * (1.0 + np.tanh(x))\n",
        ),
        # the last tag added after reading output
        expect=("formula-wrong", "formula-constant", "identity-argument-halved"),
        phrases=("x / 2",),
    ),
    fresh(
        "hsab-relu-half-sum-without-parentheses",
        "activations.ReLU",
        "forward writes max(0, x) = (x + |x|) / 2 as x + np.abs(x) / 2, which divides only |x|: 1.5 x for positive "
        "and 0.5 x for negative inputs; parenthesise the sum",
        ("        return np.where(self._mask, x, 0.0)\n", "        return x + np.abs(x) / 2\n"),
        expect=("operator-precedence", "precedence"),
        phrases=("parenthes",),
    ),
    fresh(
        "hsab-leakyrelu-backward-kink-from-positive-branch",
        "activations.LeakyReLU",
        "backward tests x < 0 for the slope, so at x = 0 the gradient passes unscaled: LeakyReLU'(0) is "
        "negative_slope (the x <= 0 branch, as PyTorch)",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return np.where(self._x < 0, self.negative_slope * grad_y, grad_y)\n",
        ),
        expect=("kink-derivative", "kink-value"),
        phrases=("x = 0",),
    ),
    fresh(
        "hsab-prelu-first-slope-for-every-channel",
        "activations.PReLU",
        "forward uses self.weight.data[0], the first slope, for every entry (the num_parameters = 1 case): with one "
        "slope per channel, channel i must use weight[i], broadcast along axis 1",
        (
            "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
            "        self._a = self.weight.data[0]\n",
        ),
        expect=("prelu-slope-broadcast", "entries-skipped"),
        phrases=("channel",),
    ),
    fresh(
        "hsab-elu-backward-exp-of-saved-output",
        "activations.ELU",
        "forward saves its output and backward takes the slope alpha e^y of it: the slope is alpha e^x of the input "
        "(equal to y + alpha), not of the output",
        span(
            "activations",
            (
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        self._y = np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n"
                "        return self._y\n",
            ),
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
                "        slope = self.alpha * np.exp(np.minimum(self._y, 0.0))\n",
            ),
        ),
        expect=("derivative-at-output", "saved-output-not-input"),
        phrases=("output",),
    ),
    fresh(
        "hsab-gelu-tanh-mode-exact-backward",
        "activations.GELU",
        "forward computes the exact CDF in both modes and backward always returns the exact derivative Phi + x phi: "
        "with approximate='tanh' the output is the tanh formula, so backward must differentiate that formula",
        span(
            "activations",
            (
                '        if self.approximate == "tanh":\n            xc = np.clip(x, -10.0, 10.0)\n',
                "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n"
                '        if self.approximate == "tanh":\n            xc = np.clip(x, -10.0, 10.0)\n',
            ),
            (
                "            return 0.5 * x * (1.0 + self._t)\n        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
                "            return 0.5 * x * (1.0 + self._t)\n",
            ),
            (
                '        if self.approximate == "tanh":\n'
                "            xc, t = np.clip(self._x, -10.0, 10.0), self._t\n"
                "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n"
                "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
                "",
            ),
        ),
        expect=("forward-backward-mismatch", "gelu-tanh-approximation"),
        phrases=("tanh",),
    ),
    fresh(
        "hsab-gelu-approximate-overwritten-by-bool",
        "activations.GELU",
        "forward replaces self.approximate by the bool approximate == 'tanh': the attribute no longer holds the "
        "string given, the next call compares True with 'tanh' and switches to the exact formula, and backward "
        "takes the wrong branch; keep the flag in a local variable",
        (
            '        self._x = x\n        if self.approximate == "tanh":\n',
            "        self._x = x\n"
            '        self.approximate = self.approximate == "tanh"\n'
            "        if self.approximate:\n",
        ),
        expect=("hyperparameter-overwritten", "cached-first-call"),
        phrases=("approximate",),
    ),
    fresh(
        "hsab-silu-backward-parenthesis-misplaced",
        "activations.SiLU",
        "backward writes s (1 + x (1 - s)) as s * (1 + x) * (1 - s), the parenthesis closed after x: the "
        "derivative is s + x s (1 - s)",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return grad_y * s * (1.0 + self._x) * (1.0 - s)\n",
        ),
        expect=("operator-precedence", "derivative-wrong-form"),
        phrases=("parenthes",),
    ),
    fresh(
        "hsab-softplus-threshold-assigned-from-beta",
        "activations.Softplus",
        "__init__ copies the previous line and stores self.threshold = float(beta): with beta = 1 softplus turns into "
        "the identity above x = 1 instead of 20; store the threshold argument",
        ("        self.threshold = float(threshold)\n", "        self.threshold = float(beta)\n"),
        expect=("copy-paste", "wrong-hyperparameter", "hyperparameter-ignored"),
        phrases=("threshold",),
    ),
    fresh(
        "hsab-softmax-logits-clipped-not-shifted",
        "activations.Softmax",
        "forward avoids overflow by clipping the logits to [-500, 500] instead of subtracting the maximum: logits "
        "beyond 500 (or below -500) are flattened to the same value and their probabilities change; subtract the "
        "maximum along dim, which changes nothing",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(np.clip(x, -500.0, 500.0))\n",
        ),
        expect=("input-clipped", "overflow"),
        phrases=("maximum",),
    ),
    fresh(
        "hsab-logsoftmax-backward-in-softmax-form",
        "activations.LogSoftmax",
        "backward is Softmax's, p * (grad_y - sum(grad_y * p)), copied over: the log-softmax Jacobian is "
        "delta_ij - p_j, so grad_x = grad_y - p * sum(grad_y, dim)",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        p = self._p\n        return p * (grad_y - np.sum(grad_y * p, axis=self.dim, keepdims=True))\n",
        ),
        # added after reading output (tag-vocabulary audit): logsoftmax-softmax-formula
        expect=("copy-paste", "derivative-wrong-form", "jacobian-term-wrong", "logsoftmax-softmax-formula"),
        phrases=("softmax",),
    ),
    fresh(
        "hsab-maxout-winner-chosen-before-bias",
        "activations.Maxout",
        "the winning piece is chosen from x . weight before the bias is added, so a piece that loses only through "
        "its bias is returned: take the argmax of z = x . weight + bias",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
            '        xw = np.einsum("nd,kjd->nkj", x, self.weight.data)\n'
            "        self._argmax = np.argmax(xw, axis=1)  # on a tie, the first maximal piece\n"
            "        z = xw + self.bias.data\n",
        ),
        # the last tag added after reading output
        expect=("order-changed", "bias-ignored", "max-of-sum-as-sum-of-max"),
        phrases=("bias",),
    ),
]


LAYERS = [
    fresh(
        "hsab-linear-bias-row-parameter",
        "layers.Linear",
        "the bias is created with shape (1, M), a row as in some course notes: the output still broadcasts, but the "
        "API's bias and its gradient have shape (M,)",
        (
            "        self.bias = _uniform(self.in_features, (self.out_features,), rng) if bias else None\n",
            "        self.bias = _uniform(self.in_features, (1, self.out_features), rng) if bias else None\n",
        ),
        expect=("wrong-shape", "length-one-axis"),
        phrases=("shape",),
    ),
    fresh(
        "hsab-linear-weight-transpose-cached-at-construction",
        "layers.Linear",
        "the transposed weight is taken once in __init__ (self._weight_t = self.weight.data.T) and forward uses it: "
        "once weight.data is replaced by a new array, forward still multiplies by the old weights while backward "
        "uses the new; read self.weight.data in forward",
        span(
            "layers",
            (
                "        self.weight = _uniform(self.in_features, (self.out_features, self.in_features), rng)\n",
                "        self.weight = _uniform(self.in_features, (self.out_features, self.in_features), rng)\n"
                "        self._weight_t = self.weight.data.T\n",
            ),
            ("        y = x @ self.weight.data.T\n", "        y = x @ self._weight_t\n"),
        ),
        # the last tag added after reading output
        expect=("saved-state-stale", "cached-first-call", "view-rebound", "parameter-read-once"),
        phrases=("weight.data",),
    ),
    fresh(
        "hsab-conv-backward-flips-kernel",
        "layers.Conv2d",
        "the column gradient uses the kernel flipped in both spatial axes ('the input gradient is a convolution "
        "with the flipped kernel'): im2col's col2im already puts every weight back at its own offset, so the "
        "unflipped weight.reshape(F, -1).T is right",
        (
            "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
            "        dcols = self.weight.data[:, :, ::-1, ::-1].reshape(F, -1).T @ G\n",
        ),
        expect=("flipped-kernel", "forward-backward-mismatch"),
        phrases=("flip",),
    ),
    fresh(
        "hsab-conv-dcols-rows-offsets-before-channels",
        "layers.Conv2d",
        "backward unpacks the column gradient's rows as (kH, kW, C) although forward laid cols out as (C, kH, kW): "
        "with several input channels the gradients land on the wrong channel and offset; reshape to "
        "(C, kH, kW, N, H', W')",
        (
            "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)\n",
            "        dcols = dcols.reshape(kH, kW, self.in_channels, N, Ho, Wo).transpose(2, 0, 1, 3, 4, 5)\n",
        ),
        expect=("forward-backward-mismatch", "axes-permuted", "reshape-order"),
        phrases=("channel",),
    ),
    fresh(
        "hsab-conv-stride-pair-not-accepted",
        "layers.Conv2d",
        "__init__ stores stride as (stride, stride), assuming an int: a pair such as (2, 1) becomes ((2, 1), (2, 1)) "
        "and the layer fails; use pair(stride) as for the kernel size",
        (
            '        self.stride = pair(stride, "stride")\n        self.padding',
            "        self.stride = (stride, stride)\n        self.padding",
        ),
        expect=("wrong-type", "valid-input-refused"),
        phrases=("pair",),
    ),
    fresh(
        "hsab-maxpool-backward-loop-bounds-swapped",
        "layers.MaxPool2d",
        "backward's loops run i over range(kW) and j over range(kH): with a rectangular kernel some window offsets "
        "are never visited (their maxima get no gradient) and others do not exist; i runs over kH, j over kW",
        (
            "        for i in range(kH):\n            for j in range(kW):\n                won = ",
            "        for i in range(kW):\n            for j in range(kH):\n                won = ",
        ),
        # added after reading output (tag-vocabulary audit): window-offset-outside
        expect=("kernel-height-width-swapped", "copy-paste", "window-offset-outside"),
        phrases=("kH",),
    ),
    fresh(
        "hsab-maxpool-forward-tiles-by-reshape",
        "layers.MaxPool2d",
        "forward cuts the input into kH x kW tiles with a reshape (the fast trick for stride == kernel): with any "
        "other stride the windows are wrong and the output has the wrong size; take windows every stride",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        N, C, H, W = x.shape\n"
            "        Ho, Wo = H // kH, W // kW\n"
            "        tiles = x[:, :, :Ho * kH, :Wo * kW].reshape(N, C, Ho, kH, Wo, kW)\n"
            "        windows = tiles.transpose(0, 1, 2, 4, 3, 5).reshape(N, C, Ho, Wo, kH * kW)\n",
        ),
        expect=("windows-assumed-to-tile", "stride-ignored", "stride-is-kernel"),
        phrases=("stride",),
    ),
    fresh(
        "hsab-maxpool-backward-spreads-like-average",
        "layers.MaxPool2d",
        "backward is AvgPool's, copied: every entry of a window gets grad_y / (kH * kW); max pooling sends the "
        "window's whole gradient to its maximum (the saved argmax) and 0 to the others",
        (
            "                won = self._argmax == i * kW + j\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += grad_y / (kH * kW)\n",
        ),
        # added after reading output (tag-vocabulary audit): maxpool-backward-averaged
        expect=("copy-paste", "maxpool-grad-to-every-max", "maxpool-backward-averaged"),
        phrases=("maximum",),
    ),
    fresh(
        "hsab-avgpool-loop-window-mean-without-axes",
        "layers.AvgPool2d",
        "forward loops over the output positions and stores x[:, :, rows, cols].mean(), the mean over the batch and "
        "the channels too: average each window per sample and channel, .mean(axis=(2, 3))",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = np.zeros(self._y_shape)\n"
            "        for p in range(self._y_shape[2]):\n"
            "            for q in range(self._y_shape[3]):\n"
            "                y[:, :, p, q] = x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kW].mean()\n",
        ),
        expect=("reduction-over-whole-array",),
        phrases=("axis",),
    ),
    fresh(
        "hsab-avgpool-stride-slices-batch-axes",
        "layers.AvgPool2d",
        "the window grid is subsampled with [::sH, ::sW], which steps through the batch and channel axes: the "
        "stride belongs to the window axes 2 and 3, [:, :, ::sH, ::sW]",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
        ),
        expect=("stride-ignored", "wrong-shape", "axes-permuted"),
        phrases=("axis",),
    ),
    fresh(
        "hsab-flatten-2d-input-returned-before-saving-shape",
        "layers.Flatten",
        "forward returns a 2-D input at once ('already flat') without saving its shape, so backward reshapes to the "
        "shape of an earlier input (or fails): save x.shape on every call",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        if x.ndim == 2:\n"
            "            return x\n"
            "        self._x_shape = x.shape\n"
            "        y = x.reshape(self._y_shape)\n",
        ),
        # the last tag added after reading output
        expect=("state-not-saved", "saved-state-stale", "saved-none"),
        phrases=("shape",),
    ),
    fresh(
        "hsab-flatten-backward-ndarray-resize",
        "layers.Flatten",
        "backward calls grad_y.resize(shape), the in-place ndarray method, which returns None (or refuses an array "
        "other names refer to): use grad_y.reshape(shape)",
        ("        grad_x = grad_y.reshape(self._x_shape)\n", "        grad_x = grad_y.resize(self._x_shape)\n"),
        # the last tag added after reading output; returned-none added after reading output (its sentence names a
        # call that gives None, an in-place method such as ndarray.resize, as what the method may return)
        expect=("returns-none", "wrong-type", "modifies-input", "returned-none"),
        phrases=("reshape",),
    ),
    fresh(
        "hsab-dropout-p-stored-as-keep-probability",
        "layers.Dropout",
        "__init__ stores the keep probability 1 - p in self.p (TensorFlow's keep_prob) and forward uses it "
        "consistently: the masks are right, but the attribute p must stay the drop probability given",
        span(
            "layers",
            ("        self.p = float(p)\n", "        self.p = 1.0 - float(p)\n"),
            (
                "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
                "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
                "            keep = self.rng.random(x.shape) < self.p\n"
                "            scale = 0.0 if self.p == 0.0 else 1.0 / self.p\n",
            ),
        ),
        expect=("hyperparameter-overwritten", "dropout-p-is-keep"),
        phrases=("keep",),
    ),
    fresh(
        "hsab-dropout-p-one-returns-before-saving-mask",
        "layers.Dropout",
        "forward returns zeros early when p = 1 in training without saving the mask, so backward uses a missing or "
        "stale mask (the gradient should be all zeros): save the all-zero mask before returning",
        (
            "        if self.training:\n            keep = ",
            "        if self.training and self.p == 1.0:\n"
            "            return np.zeros_like(x)\n"
            "        if self.training:\n"
            "            keep = ",
        ),
        # the last tag added after reading output
        expect=("state-not-saved", "saved-state-stale", "saved-none"),
        phrases=("mask",),
    ),
    fresh(
        "hsab-dropout-output-before-new-mask",
        "layers.Dropout",
        "forward multiplies x by self._mask before assigning the new mask, so the output uses the previous call's "
        "mask (or fails on the first call) while backward uses the new one: draw the mask, then apply it",
        (
            "            self._mask = keep * scale\n            y = x * self._mask\n",
            "            y = x * self._mask\n            self._mask = keep * scale\n",
        ),
        expect=("order-changed", "saved-state-stale", "forward-backward-mismatch"),
        phrases=("mask",),
    ),
    fresh(
        "hsab-bn1d-stats-from-reshape-to-columns",
        "layers.BatchNorm1d",
        "the batch statistics are taken over x.reshape(-1, C) by column: for (N, C, L) input the reshape mixes "
        "channels and positions (it is not a transpose), so each 'channel' holds the wrong values; reduce over axes "
        "(0, 2)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "mean = x.mean(axis=axes)",
                        "columns = x.reshape(-1, self.num_features)\n            mean = columns.mean(axis=0)",
                    ),
                    ("var = x.var(axis=axes)", "var = columns.var(axis=0)"),
                ]
            },
        ),
        expect=("reshape-not-transpose", "bn-wrong-axes"),
        phrases=("reshape",),
    ),
    fresh(
        "hsab-bn1d-eval-keeps-training-inv-std",
        "layers.BatchNorm1d",
        "self._inv_std is saved only in the training branch and eval normalises inline, so an eval backward "
        "multiplies by the last training batch's 1/sqrt(var + eps) (or fails before any training): save the "
        "running statistics' inverse std in eval too",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                        "        self._x_hat = (x - mean.reshape(shape)) / np.sqrt(var + self.eps).reshape(shape)\n",
                    ),
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
                        "            self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                    ),
                ]
            },
        ),
        # the last tag added after reading output
        expect=("saved-state-stale", "train-eval", "saved-none"),
        phrases=("eval",),
    ),
    fresh(
        "hsab-bn1d-eps-literal",
        "layers.BatchNorm1d",
        "forward normalises with the literal 1e-5 under the root: the eps given to the constructor is ignored; use "
        "self.eps",
        batchnorm_own("layers.BatchNorm1d", {"forward": [("np.sqrt(var + self.eps)", "np.sqrt(var + 1e-5)")]}),
        expect=("hyperparameter-ignored", "eps-default"),
        phrases=("eps",),
    ),
    fresh(
        "hsab-bn2d-staged-backward-variance-power",
        "layers.BatchNorm2d",
        "the staged (CS231n) training backward differentiates (var + eps)^(-1/2) as -1/2 (var + eps)^(-1), "
        "inv_std ** 2: the power rule gives -1/2 (var + eps)^(-3/2), inv_std ** 3",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "            grad_x = self._inv_std * (\n"
                        "                grad_x_hat\n"
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                        "            )\n",
                        "            count = grad_x_hat.size // grad_x_hat.shape[1]\n"
                        "            centred = self._x_hat / self._inv_std\n"
                        "            grad_var = (grad_x_hat * centred).sum(axis=axes, keepdims=True)"
                        " * -0.5 * self._inv_std**2\n"
                        "            grad_mu = -(grad_x_hat * self._inv_std).sum(axis=axes, keepdims=True)\n"
                        "            grad_x = grad_x_hat * self._inv_std + grad_var * 2.0 * centred / count"
                        " + grad_mu / count\n",
                    )
                ]
            },
        ),
        # the last tag added after reading output
        expect=("bn-backward-variance-term", "derivative-wrong-form", "bn-backward-missing-inv-std"),
        phrases=("variance",),
    ),
    fresh(
        "hsab-bn2d-running-mean-one-compound-assignment",
        "layers.BatchNorm2d",
        "the running mean update is folded into one line, running_mean *= 1 - m + m * mean, which multiplies by the "
        "whole right side (it stays 0 from its zero start): running_mean = (1 - m) * running_mean + m * mean",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_mean *= 1.0 - m\n            self.running_mean += m * mean\n",
                        "            self.running_mean *= 1.0 - m + m * mean\n",
                    )
                ]
            },
        ),
        expect=("operator-precedence", "formula-wrong"),
        phrases=("running_mean",),
    ),
]


LOSSES = [
    fresh(
        "hsab-mse-backward-count-from-two-axes",
        "losses.MSELoss",
        "backward divides by shape[0] * shape[1], the number of entries of an (N, D) input only: a 1-D input "
        "raises and a 3-D input is divided by too few; divide by the number of entries, diff.size",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return 2.0 * self._diff / (self._diff.shape[0] * self._diff.shape[1])\n",
        ),
        expect=("fixed-number-of-axes", "loss-denominator"),
        phrases=("size",),
    ),
    fresh(
        "hsab-mse-builtin-sum",
        "losses.MSELoss",
        "forward sums the squares with Python's builtin sum, which adds the rows (the first axis) and leaves an "
        "array for 2-D input: use np.sum (or np.mean) over every entry",
        ("        loss = np.mean(self._diff**2)\n", "        loss = sum(self._diff**2) / self._diff.size\n"),
        expect=("builtin-sum-first-axis", "python-builtin-on-array", "loss-not-scalar"),
        phrases=("sum",),
    ),
    fresh(
        "hsab-bce-second-log-of-target",
        "losses.BCELoss",
        "the second log is taken of 1 - t (np.log1p(-t)) instead of 1 - p: with hard labels the (1 - t) term "
        "vanishes, so wrong confident negatives cost nothing; it is log(1 - p)",
        (
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_1mp = np.maximum(np.log1p(-t), LOG_CLAMP)\n",
        ),
        expect=("copy-paste", "bce-wrong-log-term"),
        phrases=("1 - p",),
    ),
    fresh(
        "hsab-bcelogits-backward-with-bce-denominator",
        "losses.BCEWithLogitsLoss",
        "backward divides (s - t) by s (1 - s), BCELoss' gradient with respect to the probability, copied over: "
        "with respect to the logit the sigmoid's derivative cancels it, dL/dx = (s - t) / M",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        s = self._s\n        return (s - self._t) / np.maximum(s * (1.0 - s), 1e-12) / s.size\n",
        ),
        # added after reading output (tag-vocabulary audit): bce-logits-grad-probability-formula
        expect=("copy-paste", "derivative-wrong-form", "bce-logits-grad-probability-formula"),
        phrases=("sigmoid",),
    ),
    fresh(
        "hsab-bcelogits-returns-item-method",
        "losses.BCEWithLogitsLoss",
        "forward returns loss.item without calling it (a PyTorch habit), a bound method instead of the float: "
        "return loss.item() or float(loss)",
        (
            "        self._t = t\n        return float(loss)\n",
            "        self._t = t\n        return loss.item\n",
        ),
        expect=("method-not-called", "wrong-type"),
        phrases=("item",),
    ),
    fresh(
        "hsab-ce-onehot-compared-without-new-axis",
        "losses.CrossEntropyLoss",
        "backward builds the one-hot as np.arange(C) == labels, comparing a (C,) with an (N,) array: it fails "
        "unless N == C and then compares entry by entry; compare with labels[:, None]",
        (
            "        grad = self._probs.copy()\n"
            "        grad[np.arange(N), self._labels] -= 1.0\n"
            "        return grad / N\n",
            "        onehot = (np.arange(self._probs.shape[1]) == self._labels).astype(np.float64)\n"
            "        return (self._probs - onehot) / N\n",
        ),
        expect=("broadcast-wrong-axis", "onehot-wrong-size"),
        phrases=("one-hot",),
    ),
    fresh(
        "hsab-hinge-loss-from-binarised-alias",
        "losses.HingeLoss",
        "the active mask is the clipped slack array itself (self._active = slack) set to 1 where positive, and the "
        "loss is summed afterwards from that same array: it counts the violations instead of adding their slack; "
        "sum the loss first, or copy the mask",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        slack = np.maximum(x - x[rows, self._labels][:, None] + self.margin, 0.0)\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = slack\n"
            "        self._active[slack > 0] = 1.0\n"
            "        loss = slack.sum() / x.shape[0]\n",
        ),
        # the last tag added after reading output
        expect=("aliasing", "saved-state-overwritten", "hinge-counts-violations"),
        phrases=("alias",),
    ),
]


FRESH_AB: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
