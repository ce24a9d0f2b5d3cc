"""Held-apart set Q: fresh student bugs, written blind after sets A to P had been seen.

Sets A (``HELDOUT``) to P (``FRESH_P``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set Q was written blind: its author read the reference (reference/*.py),
docs/api.md, sets O and P (for the format and to avoid their bugs), the ``expect`` tags of the catalogue
(graders/mutants) and of tests/heldout (for the tag vocabulary), and of tests/test_feedback_generalisation.py
only its FAMILIES and SETS dicts. The author never read the diagnosis (graders/judging, graders/reporting,
graders/running, graders/selfcheck, graders/runner.py), tests/evidence.py, the feedback audit, the mistake,
crash, diagnosis and feedback tests, benchmarks/, the grader's feedback or its output, and graded none of
these bugs. About 210 candidates were written; /work/tools/check_set.py found some 130 of them to be
copies of catalogue or earlier bugs (the catalogue is dense), and those were dropped or rewritten, as were
a few that are not mistakes under docs/api.md (a float fan, an eps under Adagrad's root within tolerance).
Every edit was applied and its module compiled, and every one was run by a script of the author's own on
small inputs beside the reference (several hyper-parameter settings, 2-D and 4-D inputs, a second
backward, the caller's arrays checked afterwards): each changes a result or raises (none went through the
grader).

About half are classes the catalogue and the earlier sets hardly touch: numpy and Python semantics
(``y = x`` then ``y[y < 0] *= slope`` writing into the caller's array; ``self._y *= 1 - self._y`` in
Sigmoid's backward editing the saved, returned output; ``np.where(x, x, 0)`` testing non-zero for positive;
``weight.grad[:] =`` assigning; ``param = p.data; param = param - ...`` rebinding a local in Adadelta;
``rng.integers(0, 2)`` as a dropout mask; ``1 // (1 - p)``; a MaxPool gradient allocated as ``int``;
``.mean(-1).mean(-2)`` whose second axis is renumbered; ``np.take_along_axis`` with (N,) labels;
``np.ndindex(x.size)``; ``rng.normal(std, size=...)`` taking the std as the mean; ``size=shape[::-1]``;
``{"fan_in": fan_in, "fan_out": fan_in}[mode]``; ``fit`` called without its epochs argument), conventions
misread (the straight-through estimator for the Step's backward; SELU as ELU with alpha * scale; ELU's slope
as y + 1; einsum with the weight read as (in, out); Keras' 1e-7 clip in BCE; the original, non-inverted
dropout; the BatchNorm ``inv_std`` that is the std; Glorot's and He's bounds hard-coded without the gain;
(u - 0.5) * b for U(-b, b); a truncated normal; None as batch size 1; Adadelta accumulating the lr-scaled
step; an early-stopping improvement measured by abs) and formulas remembered wrongly (the density's
exponent without 1/2, the x (1 - s) form, the target's complement in BCE with logits); about half are known
classes in a new code shape or on a new component (precedence in Tanh's, Softmax's, Adagrad's and AdamW's
formulas, upstream gradients and masks in Maxout, axes in BatchNorm, LogSoftmax and relative_error,
reshape-for-transpose in Conv2d, the stride in MaxPool, copy-paste of beta2 in Adam, t counted after the
update, the raw gradient in SGD's and Adam's step, layer 0 skipped by a range, the history list replaced).
Each is a different edit from the catalogue's and sets A to P's. Ids start with ``hsq-``.
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading: a
catalogue tag where one names the mistake (three new tags: ``multiplies-by-std``,
``adadelta-accumulates-scaled-step``, ``normal-loc-for-scale``); phrases are words any correct explanation
would contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 15, on the tree that taught set P, each bug graded
in the grader's sandbox): 63/75 named (84 %), 75/75 caught, 19 flagged misleading. Of the 19, 15 were the right
diagnosis under another tag (added to their ``expect`` after reading the sentence, which makes two of them
named: 65/75); 4 were wrong claims (listed in UNMENDED): a MaxPool backward whose offsets were scaled by the
stride, read as H' for W' and as a slice end not counted from the offset; Adam's first moment with
1 - beta2, read at lr = 0.01 as the lr applied twice; SGD stepping with the raw gradient, read as state
reset at every step; Adadelta's update rebinding a local, read as eps left out of the numerator.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsq-")  # set Q

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hsq-step-backward-straight-through",
        "activations.Step",
        "backward passes grad_y straight through, as if the step were the identity: the step is flat "
        "everywhere except at 0, so its derivative is 0 and backward returns zeros shaped like grad_y",
        (
            "        return np.zeros_like(grad_y)\n",
            "        return grad_y  # let the gradient through the step\n",
        ),
        expect=(
            "backward-returns-upstream",
            "derivative-wrong-form",
            "returned-the-upstream-gradient-grad_y",
        ),  # added after reading output
        phrases=("zero", "flat", "step"),
    ),
    fresh(
        "hsq-leakyrelu-forward-scales-input-in-place",
        "activations.LeakyReLU",
        "y = x, then y[y < 0] *= negative_slope: y = x is the same array, not a copy, and as_float_array does "
        "not copy a float64 input, so the caller's array is scaled in place; compute into a new array",
        (
            "        self._x = x\n        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        self._x = x\n        y = x\n        y[y < 0] *= self.negative_slope\n        return y\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("copy", "in place", "input"),
    ),
    fresh(
        "hsq-selu-as-elu-with-scaled-alpha",
        "activations.SELU",
        "SELU built as ELU(alpha = scale * alpha) without the outer scale: scale multiplies both branches, "
        "y = scale * x for x > 0 too; only the negative branch gets scale * alpha (e^x - 1)",
        span(
            "activations",
            ("        self._elu = ELU(alpha=SELU_ALPHA)\n", "        self._elu = ELU(alpha=SELU_SCALE * SELU_ALPHA)\n"),
            ("        return self.scale * self._elu.forward(x)\n", "        return self._elu.forward(x)\n"),
            ("        return self._elu.backward(self.scale * grad_y)\n", "        return self._elu.backward(grad_y)\n"),
        ),
        expect=("selu-missing-scale", "selu-constants", "formula-constant"),  # added after reading output
        phrases=("scale", "positive", "both"),
    ),
    fresh(
        "hsq-softmax-backward-y-on-first-term-only",
        "activations.Softmax",
        "y * grad_y - sum(grad_y * y): the Jacobian-vector product is y * (grad_y - sum(grad_y * y)), the "
        "subtracted sum must be multiplied by y as well",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return y * grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True)\n",
        ),
        expect=("operator-precedence", "jacobian-term-wrong"),
        phrases=("parenthes", "y *", "jacobian"),
    ),
    fresh(
        "hsq-maxout-weight-grad-from-winner-mask",
        "activations.Maxout",
        "the weight gradient is built from the 0/1 winner mask instead of grad_z: the winning piece's weights "
        "get grad_y times x, the mask only says which piece receives it",
        (
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
            '        self.weight.grad += np.einsum("nkj,nd->kjd", won, self._x)\n',
        ),
        expect=("ignores-upstream-gradient", "mask-from-output"),
        phrases=("grad_y", "upstream", "mask"),
    ),
    fresh(
        "hsq-sigmoid-backward-scales-saved-output",
        "activations.Sigmoid",
        "backward does self._y *= 1 - self._y: that overwrites the saved output (and the array forward "
        "returned to the caller), so a second backward uses y (1 - y) as y; compute into a new array",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        self._y *= 1.0 - self._y\n        return grad_y * self._y\n",
        ),
        expect=("backward-mutates-saved-state",),
        phrases=("saved", "in place", "second"),
    ),
    fresh(
        "hsq-logsoftmax-backward-exp-of-saved-p",
        "activations.LogSoftmax",
        "backward takes np.exp(self._p), treating the saved value as log-probabilities: forward already saved "
        "p = e^y, the softmax; grad_x = grad_y - p * sum(grad_y)",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - np.exp(self._p) * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        ),
        expect=("logsoftmax-used-log-probabilities", "softmax-derivative-applied-again"),
        phrases=("softmax", "exp", "saved"),
    ),
    fresh(
        "hsq-tanh-backward-grad-times-one-minus-y-squared-precedence",
        "activations.Tanh",
        "grad_y * 1.0 - y ** 2 subtracts y^2 from the upstream gradient: the local derivative (1 - y^2) must be "
        "multiplied by grad_y as a whole",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        return grad_y * 1.0 - self._y**2\n",
        ),
        expect=("operator-precedence",),
        phrases=("parenthes", "1 - y", "grad_y"),
    ),
    fresh(
        "hsq-prelu-slopes-shaped-for-images-only",
        "activations.PReLU",
        "the channel slopes are broadcast as weight[:, None, None], which fits (N, C, H, W) only: for (N, C) or "
        "(N, C, L) they must be shaped (1, C, 1, ..., 1) for the input's number of axes",
        (
            "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
            "        self._a = self.weight.data[:, None, None] if self.num_parameters > 1 else self.weight.data\n",
        ),
        expect=("prelu-slope-broadcast", "fixed-number-of-axes"),
        phrases=("broadcast", "channel", "axes"),
    ),
    fresh(
        "hsq-elu-backward-output-plus-one",
        "activations.ELU",
        "backward uses y + 1 for the negative slope, the alpha = 1 form of ELU'(x) = y + alpha: with any other "
        "alpha the slope is alpha e^x = y + alpha",
        span(
            "activations",
            (
                "        self._x = x\n        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        self._x = x\n"
                "        self._y = np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n"
                "        return self._y\n",
            ),
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
                "        slope = self._y + 1.0\n",
            ),
        ),
        expect=("alpha-ignored", "derivative-wrong-form"),
        phrases=("alpha", "y + alpha"),
    ),
    fresh(
        "hsq-gelu-pdf-without-half",
        "activations.GELU",
        "the density is written exp(-x^2) / sqrt(2 pi): the standard normal density is exp(-x^2 / 2) / sqrt(2 pi)",
        (
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
            "        pdf = np.exp(-(xc**2)) * INV_SQRT_2PI\n",
        ),
        expect=("gelu-pdf-exponent", "formula-constant"),
        phrases=("x^2 / 2", "density", "exponent"),
    ),
    fresh(
        "hsq-logsoftmax-saved-p-normalised-over-whole-array",
        "activations.LogSoftmax",
        "saves p = exp(shifted) / exp(shifted).sum(), normalised over the whole array: the softmax is "
        "normalised along dim, row by row (or p = e^y)",
        (
            "        self._p = np.exp(y)\n",
            "        self._p = np.exp(shifted) / np.exp(shifted).sum()\n",
        ),
        expect=("reduction-over-whole-array",),
        phrases=("dim", "axis", "row"),
    ),
    fresh(
        "hsq-relu-forward-where-on-raw-input",
        "activations.ReLU",
        "forward returns np.where(x, x, 0): np.where tests x for being non-zero, not positive, so negative "
        "inputs pass through unchanged; the condition is the saved mask x > 0",
        (
            "        return np.where(self._mask, x, 0.0)\n",
            "        return np.where(x, x, 0.0)\n",
        ),
        expect=("nonzero-for-positive", "truthiness-of-array"),
        phrases=("x > 0", "non-zero", "negative"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hsq-linear-weight-grad-slice-assigned",
        "layers.Linear",
        "weight.grad[:] = grad_y.T @ x overwrites the gradient: backward must add (+=) into p.grad, so a weight "
        "used twice, or two backward calls, accumulate",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad[:] = grad_y.T @ self._x\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),  # added after reading output
        phrases=("accumulat", "add", "+="),
    ),
    fresh(
        "hsq-flatten-four-axes-spelled-out",
        "layers.Flatten",
        "reshapes to (N, C * H * W) with the three axes spelled out: Flatten takes any (N, d1, d2, ...) and "
        "multiplies every axis after the first, so (N, D) and (N, C, L) inputs fail",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.reshape(x.shape[0], x.shape[1] * x.shape[2] * x.shape[3])\n",
        ),
        expect=("fixed-number-of-axes",),
        phrases=("axes", "any number", "dimension"),
    ),
    fresh(
        "hsq-dropout-coin-flip-mask",
        "layers.Dropout",
        "the mask is rng.integers(0, 2, shape), a fair coin: it keeps half the entries whatever p is; an entry "
        "must be kept with probability 1 - p (u >= p for u uniform)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.integers(0, 2, x.shape)  # keep or drop\n",
        ),
        expect=("dropout-mask-wrong-distribution", "hyperparameter-ignored"),
        phrases=("probability", "1 - p"),
    ),
    fresh(
        "hsq-bn1d-normalises-with-unbiased-variance",
        "layers.BatchNorm1d",
        "normalises with the unbiased variance (ddof=1) and stores it as is: the batch is normalised with the "
        "biased variance (divide by m); only the running estimate gets m / (m - 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    ("var = x.var(axis=axes)", "var = x.var(axis=axes, ddof=1)"),
                    ("m * var * (count / (count - 1))", "m * var"),
                ]
            },
        ),
        expect=("bn-unbiased-variance",),
        phrases=("biased", "ddof", "normalis"),
    ),
    fresh(
        "hsq-bn2d-backward-mean-term-over-batch-axis",
        "layers.BatchNorm2d",
        "the backward's mean term averages over axis 0 only: the statistics were per channel over N, H and W, "
        "so every mean in the backward runs over the same axes (0, 2, 3)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "- grad_x_hat.mean(axis=axes, keepdims=True)",
                        "- grad_x_hat.mean(axis=0, keepdims=True)",
                    )
                ]
            },
        ),
        expect=("bn-wrong-axes", "reduced-over-wrong-axes"),
        phrases=("axes", "spatial", "channel"),
    ),
    fresh(
        "hsq-bn2d-inv-std-is-std",
        "layers.BatchNorm2d",
        "self._inv_std = sqrt(var + eps), the standard deviation itself: x_hat = (x - mu) / sqrt(var + eps), "
        "so the saved factor is its reciprocal 1 / sqrt(var + eps)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)",
                        "self._inv_std = np.sqrt(var + self.eps).reshape(shape)",
                    )
                ]
            },
        ),
        expect=("multiplies-by-std", "formula-wrong"),
        phrases=("divide", "1 /", "standard deviation"),
    ),
    fresh(
        "hsq-linear-forward-einsum-weight-as-in-out",
        "layers.Linear",
        "forward contracts x with the weight read as (in, out), einsum('nd,dm->nm'): the weight is stored "
        "(out, in) as in PyTorch, so y = x @ W.T, einsum('nd,md->nm')",
        (
            "        y = x @ self.weight.data.T\n",
            '        y = np.einsum("nd,dm->nm", x, self.weight.data)\n',
        ),
        expect=("transposed",),
        phrases=("(out, in)", "transpose", "w.t"),
    ),
    fresh(
        "hsq-conv-col2im-assigns-windows",
        "layers.Conv2d",
        "col2im assigns windows[:, i, j] = dcols[:, i, j]: with stride < kernel the windows overlap and an "
        "input entry collects the gradient of every window it is in; accumulate with +=",
        (
            "                window = windows[:, i, j]\n                window += dcols[:, i, j]\n",
            "                windows[:, i, j] = dcols[:, i, j]\n",
        ),
        expect=("overlap-overwritten",),
        phrases=("overlap", "accumulate", "+="),
    ),
    fresh(
        "hsq-maxpool-backward-integer-gradient",
        "layers.MaxPool2d",
        "grad_x = np.zeros(shape, dtype=int): the gradient is float64; an integer array cannot take the float "
        "gradients added into it",
        (
            "        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n            for j in range(kW):\n"
            "                won",
            "        grad_x = np.zeros(self._x_shape, dtype=int)\n        for i in range(kH):\n"
            "            for j in range(kW):\n                won",
        ),
        expect=("integer-dtype",),
        phrases=("float", "int", "dtype"),
    ),
    fresh(
        "hsq-maxpool-backward-offset-times-stride",
        "layers.MaxPool2d",
        "scatters into grad_x[:, :, i * sH:(i + Ho) * sH, ...]: window p covers row p sH + i, so the rows for "
        "offset i start at i and step by sH: grad_x[:, :, i:i + sH Ho:sH, j:j + sW Wo:sW]",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i * sH:(i + Ho) * sH:sH, j * sW:(j + Wo) * sW:sW]"
            " += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("offset-scaled-by-stride",),
        phrases=("offset", "stride", "start"),
    ),
    fresh(
        "hsq-dropout-eval-keeps-old-mask",
        "layers.Dropout",
        "in evaluation the mask from the last training forward is kept: backward then multiplies by a stale "
        "mask although evaluation's forward was the identity; set the mask to None",
        (
            "            self._mask = None\n            y = x\n",
            "            y = x\n",
        ),
        expect=("state-not-saved", "dropout-active-in-eval", "saved-none"),  # added after reading output
        phrases=("eval", "mask", "identity"),
    ),
    fresh(
        "hsq-bn1d-batch-stats-flag-always-true",
        "layers.BatchNorm1d",
        "saves _batch_stats = True in every mode: in evaluation the running statistics are constants, so "
        "backward must take the plain grad_x_hat * inv_std, not the batch-statistics formula",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("self._batch_stats = self.training", "self._batch_stats = True")]},
        ),
        expect=("bn-eval-backward-batch-terms",),
        phrases=("eval", "running", "constant"),
    ),
    fresh(
        "hsq-bn2d-gamma-grad-batch-axis-only",
        "layers.BatchNorm2d",
        "the gamma gradient sums grad_y * x_hat over axis 0 only: gamma is per channel, shared by every "
        "position, so the sum runs over N, H and W",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"backward": [("(grad_y * self._x_hat).sum(axis=axes)", "(grad_y * self._x_hat).sum(axis=0)")]},
        ),
        expect=("bn-wrong-axes", "gradient-summed-over-wrong-axes"),
        phrases=("axes", "spatial", "sum"),
    ),
    fresh(
        "hsq-linear-weight-grad-einsum-averaged",
        "layers.Linear",
        "the weight gradient is einsum('nm,nd->md') divided by the batch size: the loss already averages, and "
        "dL/dW = grad_y.T @ x is a sum over the batch",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            '        self.weight.grad += np.einsum("nm,nd->md", grad_y, self._x) / len(grad_y)\n',
        ),
        expect=("divided-by-batch-size", "grad-divided-by-batch"),
        phrases=("sum", "batch", "loss"),
    ),
    fresh(
        "hsq-conv-cols-reshaped-rows-first-then-transposed",
        "layers.Conv2d",
        "cols = windows.reshape(N H' W', C kH kW).T: the window view is laid out (C, kH, kW, N, H', W'), so "
        "reshaping it to (N H' W', C kH kW) mixes the axes; reshape to (C kH kW, N H' W') directly",
        (
            "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n",
            "        self._cols = windows.reshape(N * Ho * Wo, C * kH * kW).T\n",
        ),
        expect=("reshape-not-transpose",),
        phrases=("reshape", "transpose", "layout"),
    ),
    fresh(
        "hsq-conv-output-transposed-then-reshaped",
        "layers.Conv2d",
        "y.T.reshape(N, F, H', W'): y.T is (N H' W', F), rows (n, p, q) and the filter last, so the reshape "
        "scrambles positions and filters; reshape to (F, N, H', W') and move the filter axis",
        (
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = y.T.reshape(N, self.out_channels, Ho, Wo)\n",
        ),
        expect=("reshape-not-transpose", "channels-last-layout", "axes-permuted"),  # added after reading output
        phrases=("reshape", "transpose", "filter"),
    ),
    fresh(
        "hsq-conv-edge-padding",
        "layers.Conv2d",
        "pads with np.pad(..., mode='edge'), repeating the border: Conv2d's padding is zeros",
        (
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
            '        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), mode="edge")\n',
        ),
        expect=("padding-not-zeros",),
        phrases=("zero", "padding", "border"),
    ),
    fresh(
        "hsq-maxpool-first-windows-without-stride",
        "layers.MaxPool2d",
        "keeps the first H' x W' windows of the stride-1 window view, [:, :, :Ho, :Wo]: window p starts at row "
        "p sH, so the view is stepped by the stride, [:, :, ::sH, ::sW]",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape",
            "        Ho, Wo = self._y_shape[2:]\n"
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, :Ho, :Wo]\n"
            "        windows = windows.reshape",
        ),
        expect=("stride-ignored",),
        phrases=("stride", "window"),
    ),
    fresh(
        "hsq-avgpool-forward-chained-means-renumbered",
        "layers.AvgPool2d",
        "windows.mean(axis=-1).mean(axis=-2): after the first mean removes the last axis, axis -2 is the output "
        "width, not the kernel's rows; average over the two window axes together, axis=(4, 5)",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.mean(axis=-1).mean(axis=-2)\n",
        ),
        expect=("axis-renumbered", "reduced-over-wrong-axes"),  # added after reading output
        phrases=("axis", "window", "remov"),
    ),
    fresh(
        "hsq-avgpool-backward-square-kernel-divisor",
        "layers.AvgPool2d",
        "divides by kernel_size[0] ** 2: a window holds kH * kW entries, which is kH^2 only for a square kernel",
        (
            "        share = grad_y / (kH * kW)\n",
            "        share = grad_y / self.kernel_size[0] ** 2\n",
        ),
        expect=("square-kernel-assumed", "avgpool-divisor", "square-only-index"),  # added after reading output
        phrases=("kh * kw", "square", "kw"),
    ),
    fresh(
        "hsq-flatten-backward-to-output-shape",
        "layers.Flatten",
        "backward reshapes grad_y to the output shape (N, D) it already has: it must go back to the saved "
        "input shape, grad_y.reshape(self._x_shape)",
        (
            "        grad_x = grad_y.reshape(self._x_shape)\n",
            "        grad_x = grad_y.reshape(self._y_shape)\n",
        ),
        expect=("flatten-backward-not-reshaped",),
        phrases=("input shape", "reshape", "back"),
    ),
    fresh(
        "hsq-dropout-scale-floor-division",
        "layers.Dropout",
        "scale = 1 // (1 - p): floor division gives 1 for every p < 0.5 (and 2, 3 ... above), not 1 / (1 - p)",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 0.0 if self.p == 1.0 else 1 // (1 - self.p)\n",
        ),
        expect=("floor-division", "dropout-not-rescaled", "rounded-values"),  # added after reading output
        phrases=("floor", "1 / (1 - p)", "division"),
    ),
    fresh(
        "hsq-bn1d-running-var-assigned",
        "layers.BatchNorm1d",
        "running_var = m * var * m/(m-1) assigns the new batch's share instead of adding it to the decayed "
        "running value: running = (1 - momentum) running + momentum * batch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "self.running_var += m * var * (count / (count - 1))",
                        "self.running_var = m * var * (count / (count - 1))",
                    )
                ]
            },
        ),
        # added after reading output (tag-vocabulary audit): bn-running-old-value-dropped
        expect=("assigned-not-accumulated", "bn-running-replaced-by-batch", "bn-running-old-value-dropped"),
        phrases=("running", "momentum", "+="),
    ),
    fresh(
        "hsq-dropout-non-inverted",
        "layers.Dropout",
        "the original, non-inverted dropout: the mask is not scaled in training and evaluation multiplies by "
        "1 - p; the API's inverted dropout scales the kept entries by 1 / (1 - p) in training and is the "
        "identity in evaluation",
        span(
            "layers",
            ("            self._mask = keep * scale\n", "            self._mask = keep * 1.0\n"),
            ("            y = x\n", "            y = x * (1.0 - self.p)\n"),
        ),
        expect=("dropout-eval-scaled", "dropout-not-rescaled"),
        phrases=("1 / (1 - p)", "eval", "inverted"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hsq-bcelogits-sum-over-batch-size",
        "losses.BCEWithLogitsLoss",
        "the loss is the sum divided by len(x): BCEWithLogitsLoss averages over every entry (M = x.size), so "
        "for (N, K) input the loss is K times too large and no longer matches backward's 1 / M",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.sum(np.maximum(x, 0.0) - x * t + np.log1p(z)) / len(x)\n",
        ),
        expect=("mean-over-batch-only", "loss-denominator"),
        phrases=("entries", "mean", "size"),
    ),
    fresh(
        "hsq-ce-labels-and-rows-swapped",
        "losses.CrossEntropyLoss",
        "picks log_probs[labels, arange(N)]: the first index is the sample (row), the second the class; "
        "log_probs[arange(N), labels]",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(log_probs[self._labels, np.arange(N)])\n",
        ),
        expect=("index-order-reversed", "labels-index-rows"),  # added after reading output
        phrases=("row", "sample", "class"),
    ),
    fresh(
        "hsq-mse-backward-mean-of-difference",
        "losses.MSELoss",
        "backward returns 2 * mean(diff), one number: the gradient has one entry per input entry, "
        "2 (x - t) / M, shaped like the input",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return 2.0 * self._diff.mean()\n",
        ),
        expect=("gradient-not-shaped-like-input",),
        phrases=("shape", "every entry", "input"),
    ),
    fresh(
        "hsq-mse-norm-squared-over-rows",
        "losses.MSELoss",
        "the loss is ||x - t||^2 / len(x): the mean runs over every entry, M = x.size, not over the rows only",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.linalg.norm(self._diff) ** 2 / len(self._diff)\n",
        ),
        expect=("mean-over-batch-only", "mse-mean-over-batch-only"),
        phrases=("every entry", "size", "mean"),
    ),
    fresh(
        "hsq-bce-clip-at-keras-epsilon",
        "losses.BCELoss",
        "clips p to [1e-7, 1 - 1e-7] before the log (Keras' epsilon): PyTorch clamps each log at -100, so a "
        "confident wrong answer costs 100, not -log(1e-7) = 16",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_p = np.log(np.clip(p, 1e-7, 1.0 - 1e-7))\n"
            "            log_1mp = np.log(1.0 - np.clip(p, 1e-7, 1.0 - 1e-7))\n",
        ),
        expect=("bce-clamp",),
        phrases=("-100", "clamp", "log"),
    ),
    fresh(
        "hsq-bcelogits-target-complement",
        "losses.BCEWithLogitsLoss",
        "the loss uses - x (1 - t): log(1 + e^x) - x t is the loss of target t; with (1 - t) the labels are "
        "flipped in the forward value",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) - x * (1.0 - t) + np.log1p(z))\n",
        ),
        expect=("bce-swapped-terms", "formula-wrong"),
        phrases=("target", "x t", "label"),
    ),
    fresh(
        "hsq-ce-take-along-axis-flat-labels",
        "losses.CrossEntropyLoss",
        "np.take_along_axis(log_probs, labels, axis=1) with (N,) labels: the indices need the same number of "
        "axes, labels[:, None]; each row picks its own label's log-probability",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(np.take_along_axis(log_probs, self._labels, axis=1))\n",
        ),
        expect=("reduction-without-keepdims", "take-without-axis"),
        phrases=("[:, none]", "axis", "row"),
    ),
    fresh(
        "hsq-ce-backward-labels-index-rows",
        "losses.CrossEntropyLoss",
        "grad[labels] -= 1 subtracts 1 from whole rows chosen by the labels: the one-hot entry of sample n is "
        "(n, y_n), grad[arange(N), labels] -= 1",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n",
            "        grad[self._labels] -= 1.0\n",
        ),
        expect=("labels-index-rows",),
        phrases=("row", "label", "arange"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hsq-adadelta-accumulates-lr-scaled-step",
        "optimizers.Adadelta",
        "the running average of squared updates accumulates lr * delta: acc_delta averages the unscaled "
        "delta, lr only scales the parameter update (with lr != 1 the two differ)",
        (
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n'
            "            p.data -= self.lr * delta\n",
            "            step = self.lr * delta\n"
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * step * step\n'
            "            p.data -= step\n",
        ),
        expect=(
            "adadelta-accumulates-scaled-step",
            "lr-applied-twice",
            "adadelta-lr-in-accumulator",
        ),  # added after reading output
        phrases=("lr", "delta", "unscaled"),
    ),
    fresh(
        "hsq-adam-first-moment-one-minus-beta2",
        "optimizers.Adam",
        "the first moment adds (1 - beta2) g, copied from the second moment's line: m = beta1 m + (1 - beta1) g",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta2) * g\n',
        ),
        expect=("copy-paste", "betas-swapped"),
        phrases=("beta1", "1 - beta1"),
    ),
    fresh(
        "hsq-adam-step-count-after-loop",
        "optimizers.Adam",
        "t is incremented after updating the parameters: the first step then uses t = 0 and divides by "
        "1 - beta^0 = 0; t counts the update being made and starts at 1",
        span(
            "optimizers",
            ("        beta1, beta2 = self.betas\n        self.t += 1\n", "        beta1, beta2 = self.betas\n"),
            (
                '            p.data -= step_size * (state["exp_avg"] / denom)\n',
                '            p.data -= step_size * (state["exp_avg"] / denom)\n        self.t += 1\n',
            ),
        ),
        expect=("bias-correction-t-zero", "step-count-off-by-one"),
        phrases=("t = 1", "first step"),
    ),
    fresh(
        "hsq-adagrad-lr-decay-precedence",
        "optimizers.Adagrad",
        "clr = lr / (1 + (t - 1)) * lr_decay: the decay belongs in the denominator, lr / (1 + (t - 1) lr_decay); "
        "with the default lr_decay = 0 this step size is 0",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr / (1.0 + (self.t - 1)) * self.lr_decay\n",
        ),
        expect=("operator-precedence", "lr-decay", "lr-decay-precedence"),  # added after reading output
        phrases=("parenthes", "denominator", "lr_decay"),
    ),
    fresh(
        "hsq-adamw-decay-precedence",
        "optimizers.AdamW",
        "p.data = p.data * 1.0 - lr * weight_decay subtracts a constant: the decay multiplies the parameter, "
        "p * (1 - lr * weight_decay), which needs the parentheses",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data = p.data * 1.0 - self.lr * self.weight_decay\n",
        ),
        expect=("operator-precedence", "weight-decay-constant"),
        phrases=("parenthes", "multipl", "proportional"),
    ),
    fresh(
        "hsq-sgd-step-with-raw-gradient",
        "optimizers.SGD",
        "the update uses _grad(p) again instead of g: the weight decay and the momentum direction computed just "
        "before are thrown away; p -= lr * d with d the processed direction",
        (
            "            p.data -= self.lr * g\n        ### END SOLUTION\n\n\nclass Adagrad",
            "            p.data -= self.lr * _grad(p)\n        ### END SOLUTION\n\n\nclass Adagrad",
        ),
        expect=("raw-gradient-in-step", "momentum-ignored"),
        phrases=("momentum", "direction", "buffer"),
    ),
    fresh(
        "hsq-rmsprop-divides-by-average-without-root",
        "optimizers.RMSprop",
        "divides g by square_avg itself: the denominator is the root mean square, sqrt(v) + eps",
        (
            "                p.data -= self.lr * (g / avg)\n",
            '                p.data -= self.lr * (g / state["square_avg"])\n',
        ),
        expect=("sqrt-missing",),
        phrases=("sqrt", "root"),
    ),
    fresh(
        "hsq-adam-step-with-raw-gradient",
        "optimizers.Adam",
        "the update divides g instead of exp_avg by the denominator: Adam steps along the bias-corrected first "
        "moment m, not the current gradient",
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            "            p.data -= step_size * (g / denom)\n",
        ),
        expect=("raw-gradient-in-step", "momentum-ignored"),  # added after reading output
        phrases=("first moment", "exp_avg", "m"),
    ),
    fresh(
        "hsq-adadelta-update-rebinds-local",
        "optimizers.Adadelta",
        "param = p.data, then param = param - lr * delta: the subtraction builds a new array and rebinds the "
        "local name, p.data is never updated; update in place (p.data -= ...) or assign p.data",
        (
            "            p.data -= self.lr * delta\n",
            "            param = p.data\n            param = param - self.lr * delta\n",
        ),
        expect=("view-rebound", "result-discarded"),
        phrases=("p.data", "in place", "rebind"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hsq-xavier-normal-variance-as-scale",
        "init.xavier_normal",
        "passes the variance gain^2 * 2 / (fan_in + fan_out) as rng.normal's scale: numpy's scale is the "
        "standard deviation, gain * sqrt(2 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    var = gain**2 * 2.0 / (fan_in + fan_out)\n    weight = rng.normal(0.0, var, size=shape)\n",
        ),
        expect=("variance-as-std", "std-as-variance"),
        phrases=("standard deviation", "variance", "scale"),
    ),
    fresh(
        "hsq-kaiming-uniform-he-bound-hard-coded",
        "init.kaiming_uniform",
        "bound = sqrt(6 / fan), He's bound for ReLU copied from the lecture: the bound is sqrt(3) * gain / "
        "sqrt(fan) with the gain of the given nonlinearity and a (sqrt(6 / fan) only for gain sqrt 2)",
        (
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
            "    bound = math.sqrt(6.0 / fan)  # He et al.\n",
        ),
        expect=("gain-missing", "nonlinearity-ignored"),
        phrases=("gain", "nonlinearity"),
    ),
    fresh(
        "hsq-kaiming-normal-std-as-loc",
        "init.kaiming_normal",
        "rng.normal(std, size=shape): numpy's first argument is loc, the mean, so the weights are centred at "
        "std with standard deviation 1; pass rng.normal(0.0, std, size=shape)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(std, size=shape)\n",
        ),
        expect=("not-centred", "normal-loc-for-scale"),
        phrases=("loc", "mean", "scale"),
    ),
    fresh(
        "hsq-fan-receptive-field-only-for-four-axes",
        "init.fan_in_and_fan_out",
        "the receptive field is taken only when the weight has more than 3 axes: a Conv1d weight (out, in, k) "
        "also has a receptive field, the product of every axis after the first two",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = math.prod(shape[2:]) if len(shape) > 3 else 1\n",
        ),
        expect=(
            "receptive-field-partial",
            "fixed-number-of-axes",
            "receptive-field-ignored",
        ),  # added after reading output
        phrases=("receptive field", "kernel", "axes"),
    ),
    fresh(
        "hsq-xavier-uniform-random-minus-half",
        "init.xavier_uniform",
        "draws (rng.random(shape) - 0.5) * bound: that is uniform on [-b/2, b/2); U(-b, b) is "
        "rng.uniform(-bound, bound) or (2 u - 1) * bound",
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def xavier_normal",
            "    weight = (rng.random(shape) - 0.5) * bound\n    ### END SOLUTION\n    return weight\n\n\n"
            "def xavier_normal",
        ),
        expect=("uniform-bound",),
        phrases=("-b", "bound", "half"),
    ),
    fresh(
        "hsq-kaiming-uniform-mode-table-copy-paste",
        "init.kaiming_uniform",
        "the fan is looked up in {'fan_in': fan_in, 'fan_out': fan_in}: mode='fan_out' must use fan_out",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    bound",
            '    fan = {"fan_in": fan_in, "fan_out": fan_in}[mode]\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    bound",
        ),
        expect=("mode-ignored", "copy-paste"),
        phrases=("fan_out", "mode"),
    ),
    fresh(
        "hsq-xavier-uniform-glorot-bound-without-gain",
        "init.xavier_uniform",
        "bound = sqrt(6 / (fan_in + fan_out)), Glorot's bound from the paper: the gain argument scales it, "
        "gain * sqrt(6 / (fan_in + fan_out))",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = math.sqrt(6.0 / (fan_in + fan_out))\n",
        ),
        expect=("gain-missing",),
        phrases=("gain",),
    ),
    fresh(
        "hsq-xavier-normal-clipped-at-two-std",
        "init.xavier_normal",
        "clips the normal draws to +-2 std: xavier_normal is a plain normal N(0, std^2); clipping makes it a "
        "truncated normal with a smaller spread",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = np.clip(rng.normal(0.0, std, size=shape), -2 * std, 2 * std)\n",
        ),
        expect=("truncated-normal",),
        phrases=("normal", "clip", "truncat"),
    ),
    fresh(
        "hsq-kaiming-normal-shape-reversed",
        "init.kaiming_normal",
        "draws with size=shape[::-1], the (in, out) layout of Keras: PyTorch's weights are (out, in, ...) and "
        "the initialiser returns an array of exactly the given shape",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape[::-1])\n",
        ),
        expect=("transposed-shape", "wrong-shape"),
        phrases=("shape", "(out, in"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hsq-minibatches-floor-count-drops-remainder",
        "training.minibatches",
        "loops over range(len(X) // size) batches: floor division drops the last, smaller batch, so the "
        "remainder samples are never visited; the last batch holds the remainder",
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for b in range(len(X) // size):\n        start = b * size\n",
        ),
        expect=("drops-last-batch", "remainder-batch", "integer-division"),
        phrases=("remainder", "last batch"),
    ),
    fresh(
        "hsq-fit-shuffle-not-passed",
        "training.fit",
        "calls minibatches(X, y, batch_size, rng=rng) without shuffle: the shuffle argument of fit is dropped, "
        "so the samples are always visited in stored order",
        (
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "        for X_batch, y_batch in minibatches(X, y, batch_size, rng=rng):\n",
        ),
        expect=("shuffle-ignored",),
        phrases=("shuffle",),
    ),
    fresh(
        "hsq-minibatches-none-means-one",
        "training.minibatches",
        "size = batch_size or 1: None means one batch of everything (size len(X)), not single-sample SGD",
        (
            "    size = len(X) if batch_size is None else batch_size\n",
            "    size = batch_size or 1\n",
        ),
        expect=("none-means-full-batch",),
        phrases=("none", "whole", "len(x)"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hsq-sequential-backward-range-stops-before-first",
        "models.Sequential",
        "backward loops i over range(len(layers) - 1, 0, -1): the stop is exclusive, so layer 0 is never "
        "run backward (no parameter gradient, the wrong grad_x); the range must go down to 0, stop -1",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        for i in range(len(self.layers) - 1, 0, -1):\n"
            "            grad_y = self.layers[i].backward(grad_y)\n",
        ),
        expect=("backward-skips-layer", "loop-off-by-one"),
        phrases=("first layer", "range", "exclusive"),
    ),
    fresh(
        "hsq-perceptron-predict-column",
        "models.Perceptron",
        "predict returns an (N, 1) column: predictions are a flat (N,) array of 0.0 / 1.0",
        (
            "        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = (scores > 0).astype(np.float64).reshape(-1, 1)\n",
        ),
        expect=("prediction-shape", "length-one-axis"),  # added after reading output
        phrases=("(n,)", "shape"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hsq-numgrad-entry-not-restored",
        "gradcheck.numerical_gradient",
        "the entry is left at original - h after its probe: every later probe sees the earlier entries moved, "
        "and x comes back changed; restore x[index] = original",
        (
            "        x[index] = original  # restore exactly: no accumulated round-off\n",
            "        # the next probe overwrites x[index] anyway\n",
        ),
        expect=("not-restored",),
        phrases=("restore", "original"),
    ),
    fresh(
        "hsq-numgrad-ndindex-of-size",
        "gradcheck.numerical_gradient",
        "iterates np.ndindex(x.size): that yields 1-tuples (i,), which select whole rows of a 2-D x; "
        "np.ndindex(x.shape) yields one full index per entry",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    for index in np.ndindex(x.size):\n",
        ),
        expect=("flat-index-on-nd-array", "perturbs-rows"),
        phrases=("shape", "entry", "row"),
    ),
    fresh(
        "hsq-relerr-floor-over-whole-array",
        "gradcheck.relative_error",
        "divides every entry by the largest |a| + |b| of the arrays: the relative error is entry-wise, each "
        "entry by its own |a_i| + |b_i|",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)).max()\n",
        ),
        expect=("norm-not-entrywise", "reduction-over-whole-array"),
        phrases=("entry", "each"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hsq-early-stopping-fit-epochs-argument-missing",
        "early_stopping.fit_early_stopping",
        "calls fit(model, loss_fn, optimizer, X, y, batch_size, shuffle, rng) without the epochs argument: "
        "positionally batch_size becomes epochs and shuffle batch_size; pass 1 epoch (or use keywords)",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, batch_size, shuffle, rng)\n",
        ),
        expect=("fit-arguments",),
        phrases=("epochs", "positional", "argument"),
    ),
    fresh(
        "hsq-early-stopping-train-losses-replaced",
        "early_stopping.fit_early_stopping",
        "history.train_losses = [train_loss] replaces the list each epoch: the history keeps one loss per epoch "
        "run, append to it",
        (
            "        history.train_losses.append(train_loss)\n",
            "        history.train_losses = [train_loss]\n",
        ),
        expect=("history-reset", "history-incomplete"),
        phrases=("append", "every epoch", "history"),
    ),
    fresh(
        "hsq-early-stopping-stopped-at-best-epoch",
        "early_stopping.fit_early_stopping",
        "records stopped_epoch = best_epoch: stopped_epoch is the epoch after which patience ran out, the "
        "current epoch, patience epochs after the best",
        (
            "                history.stopped_epoch = epoch\n",
            "                history.stopped_epoch = history.best_epoch\n",
        ),
        expect=("stopped-epoch",),
        phrases=("stopped", "current epoch", "patience"),
    ),
    fresh(
        "hsq-early-stopping-change-counts-as-improvement",
        "early_stopping.fit_early_stopping",
        "an epoch improves when abs(val_loss - best) > min_delta: a loss that rises by more than min_delta also "
        "counts, and becomes the best; improvement means below best - min_delta",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if abs(val_loss - best_loss) > min_delta:\n",
        ),
        expect=("monitor-direction", "sign-lost"),  # added after reading output
        phrases=("below", "decrease", "direction"),
    ),
]

FRESH_Q: list[Mutant] = [
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
