"""Held-apart set F: fresh student bugs, written blind after sets A, B, C, D and E had been seen.

Sets A (``HELDOUT``), B (``FRESH``), C (``FRESH_C``), D (``FRESH_D``) and E (``FRESH_E``) have been read by
the people improving the diagnosis, so they no longer measure generalisation. Set F was written blind: its
author read the reference, docs/api.md, the catalogue's mutants and sets A to E (for the format, the tag
vocabulary and to avoid copies), but never the diagnosis (graders/checks, diagnose, evidence, crashes,
contracts), its feedback or its output, and graded none of these bugs while writing them. They are
mistakes students make, chosen from classes the earlier sets hardly touch: Python and numpy slips
(``^`` for a power, ``x**1/2``, ``1 // (1 - p)``, ``if not buf`` on an array, the third argument of
``np.maximum`` being ``out``, a reverse slice ``[:0:-1]`` that stops before the first layer, two names for
one array), in-place updates of the caller's arrays, a minibatch function written as a lazy generator,
shape bookkeeping that only works for square or matrix shapes (the Coursera ``reshape(-1, N).T``, an
``(N, 1)`` output squeezed, ``N`` and ``C`` confused, axes hard-coded for images), wrong normalisation
constants (``1 / (2 pi)`` for the normal density, ``sqrt(12)`` for a uniform bound, dividing by the
channels), statistics reduced one axis at a time, the Keras momentum convention, and orders of operations
(a decay after the step, weight decay after the accumulator, the one-hot subtracted after averaging).
Each is a different edit from the catalogue's and sets A to E's. Ids start with ``hf-``. The ``expect``
tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue tag where
one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 7, on 2ec7a08, after set E had been
worked on): 34/77 named (44 %), 18 flagged misleading, 76/77 caught. The one not caught, a lazy generator
for minibatches, was then found to be no mistake and dropped (below), leaving 76.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug

fresh = partial(held_apart_bug, "hf-")  # set F


_PRECEDENCE = ("parenthes", "precedence")
_IN_PLACE = ("in place", "in-place", "caller's", "overwrit")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hf-step-returns-the-input",
        "activations.Step",
        "forward is copied from ReLU: it returns x where x > 0 instead of 1.0, so the step is not a 0/1 function",
        ("        return (x > 0).astype(np.float64)\n", "        return np.where(x > 0, x, 0.0)\n"),
        expect=("step-returns-input",),
        phrases=("0 or 1", "0.0 or 1.0", "instead of 1", "returns x", "relu"),
    ),
    fresh(
        "hf-sigmoid-backward-matrix-product",
        "activations.Sigmoid",
        "backward multiplies the upstream gradient by y (1 - y) with @ (a matrix product) instead of entry by entry",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        return grad_y @ (self._y * (1.0 - self._y))\n",
        ),
        expect=("matmul-for-elementwise",),
        phrases=("elementwise", "element-wise", "entry by entry", "matrix product", "diagonal jacobian"),
    ),
    fresh(
        "hf-tanh-backward-sech-of-output",
        "activations.Tanh",
        "backward uses tanh'(x) = sech^2(x) but evaluates it at the saved output y instead of the input x",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        return grad_y / np.cosh(self._y) ** 2\n",
        ),
        expect=("derivative-at-output",),
        phrases=("1 - y^2", "1 - y**2", "1 - y²", "saved output", "at the input"),
    ),
    fresh(
        "hf-relu-backward-returns-the-mask",
        "activations.ReLU",
        "backward returns the local derivative (the mask as 0/1 floats) and never multiplies by grad_y",
        ("        return np.where(self._mask, grad_y, 0.0)\n", "        return self._mask.astype(np.float64)\n"),
        expect=("ignores-upstream-gradient",),
        phrases=("chain rule", "multiply by grad_y", "times grad_y", "incoming gradient"),
    ),
    fresh(
        "hf-leakyrelu-forward-scales-input-in-place",
        "activations.LeakyReLU",
        "forward multiplies the negative entries of its input array in place (x[x <= 0] *= slope) and returns "
        "that array: the caller's input is overwritten by the output",
        (
            "        self._x = x\n        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        x[x <= 0] *= self.negative_slope\n        self._x = x\n        return x\n",
        ),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
    fresh(
        "hf-prelu-backward-kink-strict",
        "activations.PReLU",
        "backward takes the negative branch where x < 0 while forward used x <= 0 (PyTorch's convention): at "
        "x = 0 the input gradient is grad_y instead of a * grad_y",
        ("        negative = self._x <= 0\n", "        negative = self._x < 0\n"),
        expect=("kink-derivative",),
        phrases=("x = 0", "at zero", "at 0", "<= 0", "kink"),
    ),
    fresh(
        "hf-prelu-channel-grad-sums-image-axes",
        "activations.PReLU",
        "the per-channel slope gradient sums over axes (0, 2) only, written for (N, C, L) input: for images "
        "the width axis is left over",
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.sum(axis=(0, 2))\n",
        ),
        expect=("prelu-grad-wrong-axes", "fixed-number-of-axes"),
        phrases=("every axis but", "all axes except", "except the channel", "spatial axes", "any number of axes"),
    ),
    fresh(
        "hf-elu-backward-alpha-in-exponent",
        "activations.ELU",
        "the negative-branch slope is exp(alpha * x) instead of alpha * exp(x): alpha moved into the exponent",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
            "        slope = np.exp(self.alpha * np.minimum(self._x, 0.0))\n",
        ),
        expect=("derivative-wrong-form", "alpha-outside-parentheses"),
        phrases=("alpha * e^x", "alpha e^x", "alpha * exp(x)", "outside the exp", "in the exponent"),
    ),
    fresh(
        "hf-selu-scale-applied-to-input",
        "activations.SELU",
        "forward computes ELU(scale * x) instead of scale * ELU(x): the scale multiplies the input, not the output",
        (
            "        return self.scale * self._elu.forward(x)\n",
            "        return self._elu.forward(self.scale * x)\n",
        ),
        expect=("selu-scale-on-input",),
        phrases=("scale * elu", "scale times elu", "scales the output", "multiplies the output", "not the input"),
    ),
    fresh(
        "hf-gelu-density-over-two-pi",
        "activations.GELU",
        "the normal density in the exact backward is exp(-x^2 / 2) / (2 pi): the normalising constant lost its "
        "square root, 1 / sqrt(2 pi)",
        (
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
            "        pdf = np.exp(-0.5 * xc * xc) / (2.0 * math.pi)\n",
        ),
        expect=("sqrt-missing",),
        phrases=("sqrt(2 pi)", "sqrt(2π)", "1/sqrt(2", "square root", "normalising constant"),
    ),
    fresh(
        "hf-softplus-backward-branches-swapped",
        "activations.Softplus",
        "backward puts the sigmoid on the linear region (beta x > threshold) and the slope 1 everywhere else",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        return np.where(self._linear, grad_y * self._s, grad_y)\n",
        ),
        expect=("branches-swapped",),
        phrases=("swapped", "linear region", "other way round"),
    ),
    fresh(
        "hf-softmax-sum-over-last-axis",
        "activations.Softmax",
        "the maximum is taken along dim but the normalising sum along the last axis: for dim != -1 the "
        "outputs do not sum to 1 along dim",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / np.sum(e, axis=-1, keepdims=True)\n",
        ),
        expect=("softmax-wrong-axis",),
        phrases=("axis=self.dim", "along dim", "the dim axis", "wrong axis", "last axis"),
    ),
    fresh(
        "hf-logsoftmax-sum-of-unshifted-exponentials",
        "activations.LogSoftmax",
        "the log-sum-exp term sums exp(x) instead of exp(shifted): the maximum is subtracted from the first "
        "term only (and exp(x) overflows)",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.log(np.sum(np.exp(x), axis=self.dim, keepdims=True))\n",
        ),
        # added after reading output: "the shift m was taken off one time too many, as when the first term is
        # shifted but the log sum exp is of the unshifted x, (x - m) - log sum exp(x)"
        expect=("logsoftmax-shift-mismatch", "overflow", "logsumexp-shift-not-restored"),
        phrases=("exp(shifted)", "same shift", "both terms", "max twice", "subtracted twice"),
    ),
    fresh(
        "hf-maxout-grad-x-through-weight-grad",
        "activations.Maxout",
        "grad_x is computed with self.weight.grad where self.weight.data belongs",
        (
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.grad)\n',
        ),
        expect=("parameter-grad-for-data",),
        phrases=("weight.data", "weight values", "the weights themselves", "not its gradient"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hf-linear-saves-output-for-backward",
        "layers.Linear",
        "forward saves x @ W.T (its output before the bias) as self._x: backward's weight gradient uses the "
        "output where the input belongs",
        (
            "        self._x = x\n        y = x @ self.weight.data.T\n",
            "        y = x @ self.weight.data.T\n        self._x = y\n",
        ),
        expect=("saved-output-not-input",),
        phrases=("save the input", "saves the output", "self._x = x", "instead of the input", "input x"),
    ),
    fresh(
        "hf-linear-bias-grad-sums-input",
        "layers.Linear",
        "the bias gradient sums the saved input x over the batch instead of grad_y (the wrong variable)",
        ("            self.bias.grad += grad_y.sum(axis=0)\n", "            self.bias.grad += self._x.sum(axis=0)\n"),
        expect=("bias-grad-from-input",),
        phrases=("sum of grad_y", "grad_y.sum", "upstream gradient", "not the input", "output gradient"),
    ),
    fresh(
        "hf-linear-grad-x-averaged-over-batch",
        "layers.Linear",
        "grad_x is divided by the batch size: each sample's input gradient is scaled by 1/N although the loss "
        "already averaged",
        ("        grad_x = grad_y @ self.weight.data\n", "        grad_x = grad_y @ self.weight.data / len(grad_y)\n"),
        expect=("divided-by-batch-size",),
        phrases=("divided by n", "divides by the batch", "1/n", "batch size", "already averaged"),
    ),
    fresh(
        "hf-conv-output-height-width-transposed",
        "layers.Conv2d",
        "the (F, N, H', W') result is transposed with (1, 0, 3, 2): H' and W' trade places, so a non-square "
        "output has the wrong shape",
        (
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 3, 2)\n",
        ),
        expect=("axes-permuted",),
        phrases=("transpose(1, 0, 2, 3)", "height and width", "h' and w'", "(n, f, h', w')", "swapped"),
    ),
    fresh(
        "hf-conv-unpad-subtracts-padding-once",
        "layers.Conv2d",
        "backward recovers H and W as the padded size minus the padding once instead of twice: the slice keeps "
        "the bottom and right padding",
        (
            "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n",
            "        H, W = self._xp_shape[2] - pH, self._xp_shape[3] - pW\n",
        ),
        expect=("padding-slice-bounds",),
        phrases=("both sides", "2 * p", "each side", "twice the padding", "padding on both"),
    ),
    fresh(
        "hf-conv-dcols-weight-reshaped-not-transposed",
        "layers.Conv2d",
        "dcols uses weight.reshape(-1, F) where weight.reshape(F, -1).T belongs: a reshape is not a transpose",
        (
            "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
            "        dcols = self.weight.data.reshape(-1, F) @ G\n",
        ),
        expect=("reshape-not-transpose",),
        phrases=("transpose", "reshape(f, -1).t", "reshape is not"),
    ),
    fresh(
        "hf-maxpool-input-strided-before-windowing",
        "layers.MaxPool2d",
        "forward applies the stride to the input (x[:, :, ::sH, ::sW]) and then takes every window of the "
        "subsampled input, instead of taking every sH-th, sW-th window of the input",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        windows = sliding_window_view(x[:, :, ::sH, ::sW], (kH, kW), axis=(2, 3))\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)\n",
        ),
        expect=("stride-before-window",),
        phrases=("window positions", "every sh-th window", "subsampl", "stride moves the window", "skips input"),
    ),
    fresh(
        "hf-maxpool-backward-strides-swapped",
        "layers.MaxPool2d",
        "the scatter steps the rows by sW and the columns by sH: the stride pair is swapped (wrong for "
        "non-square strides)",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sW * Ho:sW, j:j + sH * Wo:sH] += np.where(won, grad_y, 0.0)\n",
        ),
        # added after reading output: "stride-height-width-swapped": "the stride pair was swapped: the rows step by sW"
        expect=("stride-pair-swapped", "stride-height-width-swapped"),
        phrases=("sh for the rows", "rows by sh", "swapped", "stride pair", "(sh, sw)"),
    ),
    fresh(
        "hf-maxpool-backward-window-offset-dropped",
        "layers.MaxPool2d",
        "the scatter slice starts at 0 instead of at the offset (i, j): every position of a window sends its "
        "gradient to the window's top-left entry",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, :sH * Ho:sH, :sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("window-offset-ignored",),
        phrases=("offset", "start at i", "i:i +", "top-left", "position of the maximum"),
    ),
    fresh(
        "hf-avgpool-forward-divides-then-multiplies",
        "layers.AvgPool2d",
        "forward writes windows.sum(...) / kH * kW: left to right it divides by kH and multiplies by kW",
        ("        y = windows.mean(axis=(4, 5))\n", "        y = windows.sum(axis=(4, 5)) / kH * kW\n"),
        expect=("operator-precedence", "avgpool-divisor"),
        phrases=(*_PRECEDENCE, "(kh * kw)", "kh * kw", "window area"),
    ),
    fresh(
        "hf-avgpool-forward-reshape-tiles",
        "layers.AvgPool2d",
        "forward uses the reshape trick x.reshape(N, C, H // kH, kH, W // kW, kW).mean(...), which assumes "
        "stride == kernel_size: overlapping or gapped windows are pooled as disjoint tiles",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        N, C, H, W = x.shape\n"
            "        Ho, Wo = H // kH, W // kW\n"
            "        y = x[:, :, :Ho * kH, :Wo * kW].reshape(N, C, Ho, kH, Wo, kW).mean(axis=(3, 5))\n",
        ),
        expect=("stride-is-kernel",),
        phrases=("stride", "overlap", "disjoint", "tiles", "stride equals the kernel"),
    ),
    fresh(
        "hf-flatten-reshape-minus-one-first-then-transpose",
        "layers.Flatten",
        "forward writes x.reshape(-1, N).T (a common slip for x.reshape(N, -1)): the shape is (N, D) but the "
        "rows mix the entries of different samples",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.reshape(-1, x.shape[0]).T\n"),
        expect=("reshape-not-transpose", "reshape-arguments-swapped"),
        phrases=("reshape(n, -1)", "mixes samples", "mixes the samples", "transpose", "row-major"),
    ),
    fresh(
        "hf-dropout-scale-precedence",
        "layers.Dropout",
        "the scale is typed 1.0 / 1.0 - self.p, which is 1 - p: survivors are multiplied by the keep "
        "probability instead of divided by it",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 0.0 if self.p == 1.0 else 1.0 / 1.0 - self.p\n",
        ),
        # added after reading output: dropout-multiplied-by-keep-probability, "kept entries were multiplied by
        # 1 - p, the keep probability; inverted dropout divides by it ...; without parentheses, 1 / 1 - p is 1 - p"
        expect=("operator-precedence", "dropout-not-rescaled", "dropout-multiplied-by-keep-probability"),
        phrases=(*_PRECEDENCE, "1 / (1 - p)", "1/(1-p)", "divide by 1 - p"),
    ),
    fresh(
        "hf-dropout-scale-floor-division",
        "layers.Dropout",
        "the scale is 1.0 // (1.0 - p), a floor division: 1 for p < 0.5, so most dropout rates are not rescaled",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 0.0 if self.p == 1.0 else 1.0 // (1.0 - self.p)\n",
        ),
        expect=("rounded-values", "dropout-not-rescaled"),
        phrases=("floor division", "integer division", "rounded down", "1 / (1 - p)"),
    ),
    fresh(
        "hf-dropout-original-unscaled-form",
        "layers.Dropout",
        "the original (non-inverted) dropout: training keeps the survivors unscaled and evaluation multiplies "
        "by the keep probability 1 - p, where the API scales by 1/(1-p) in training and is the identity in eval",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n"
            "            y = x * self._mask\n"
            "        else:\n"
            "            self._mask = None\n"
            "            y = x\n",
            "            self._mask = keep * 1.0\n"
            "            y = x * self._mask\n"
            "        else:\n"
            "            self._mask = None\n"
            "            y = x * (1.0 - self.p)\n",
        ),
        expect=("dropout-not-rescaled", "dropout-eval-scaled"),
        phrases=("inverted dropout", "1 / (1 - p)", "1/(1-p)", "identity in eval", "at training time"),
    ),
]

_BN_MEANS = (
    "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
    "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
)
_BN_VAR = "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"

BATCHNORM = [
    fresh(
        "hf-bn1d-keras-momentum-convention",
        "layers.BatchNorm1d",
        "the running statistics keep momentum of the old value and take 1 - momentum of the batch (Keras' "
        "convention); PyTorch's momentum is the weight of the new batch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_mean *= 1.0 - m\n"
                        "            self.running_mean += m * mean\n"
                        "            self.running_var *= 1.0 - m\n"
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_mean *= m\n"
                        "            self.running_mean += (1.0 - m) * mean\n"
                        "            self.running_var *= m\n"
                        "            self.running_var += (1.0 - m) * var * (count / (count - 1))\n",
                    )
                ]
            },
        ),
        # added after reading output: bn-momentum-swapped, "the running average weights were swapped (Keras'
        # convention, momentum weighs the old value): PyTorch computes (1 - momentum) * running + momentum * batch"
        expect=("bn-momentum-convention", "bn-momentum-swapped"),
        phrases=("weight of the new", "newest batch", "1 - momentum", "keras", "momentum convention"),
    ),
    fresh(
        "hf-bn1d-backward-means-over-channels",
        "layers.BatchNorm1d",
        "backward's two mean terms sum over the batch but divide by num_features (C) instead of the number of "
        "values per channel",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        _BN_MEANS,
                        "                - grad_x_hat.sum(axis=axes, keepdims=True) / self.num_features\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).sum(axis=axes, keepdims=True)"
                        " / self.num_features\n",
                    )
                ]
            },
        ),
        expect=("divided-by-features",),
        phrases=("number of samples", "values per channel", "divide by n", "num_features"),
    ),
    fresh(
        "hf-bn1d-normalises-with-unbiased-variance",
        "layers.BatchNorm1d",
        "the batch variance is x.var(ddof=1) for the normalisation too (the running update then takes it "
        "as is): training normalises with the unbiased variance instead of the biased one",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (_BN_VAR, "            var = x.var(axis=axes, ddof=1)\n"),
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var\n",
                    ),
                ]
            },
        ),
        expect=("bn-unbiased-variance",),
        phrases=("biased variance", "ddof=0", "divides by n", "divide by m", "ddof"),
    ),
    fresh(
        "hf-bn2d-variance-averaged-over-positions",
        "layers.BatchNorm2d",
        "the batch variance is reduced one axis at a time, x.var(axis=0).mean(axis=(1, 2)): the mean of the "
        "per-position variances, which leaves out how the position means spread",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [(_BN_VAR, "            var = x.var(axis=0).mean(axis=(1, 2))\n")]},
        ),
        expect=("variance-averaged-over-axes",),
        phrases=("n, h and w together", "over (0, 2, 3)", "all n*h*w", "one axis at a time", "mean of the variances"),
    ),
    fresh(
        "hf-bn2d-backward-means-without-keepdims",
        "layers.BatchNorm2d",
        "backward's two means over (0, 2, 3) drop keepdims: the (C,) results broadcast along the width axis",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        _BN_MEANS,
                        "                - grad_x_hat.mean(axis=axes)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("reduction-without-keepdims",),
        phrases=("keepdims", "keep the axes", "reduced axes", "(1, c, 1, 1)"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hf-mse-caret-for-power",
        "losses.MSELoss",
        "the square is written diff ^ 2: in Python ^ is bitwise xor, not a power",
        ("        loss = np.mean(self._diff**2)\n", "        loss = np.mean(self._diff ^ 2)\n"),
        expect=("xor-for-power",),
        phrases=("xor", "power", "exponent", "squar"),
    ),
    fresh(
        "hf-mse-backward-gradient-averaged-to-scalar",
        "losses.MSELoss",
        "backward returns np.mean(2 * diff), one number, instead of 2 * diff / M entry by entry",
        ("        return 2.0 * self._diff / self._diff.size\n", "        return np.mean(2.0 * self._diff)\n"),
        expect=("gradient-not-shaped-like-input",),
        phrases=("shaped like", "same shape", "each entry", "per entry", "one number"),
    ),
    fresh(
        "hf-bce-mean-over-last-axis-then-summed",
        "losses.BCELoss",
        "the loss is averaged over the last axis and then summed over the rows: a (N, K) input is N times too large",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = -np.sum(np.mean(t * log_p + (1.0 - t) * log_1mp, axis=-1))\n",
        ),
        # added after reading output (tag-vocabulary audit): loss-summed
        # added after reading output (a count of 1 told apart by a rerun): divided-by-features, the mean over the
        # last axis is a division by its length, the columns, where every entry's count belongs
        expect=("sum-not-mean", "times-batch-size", "loss-summed", "divided-by-features"),
        phrases=("mean over all", "every entry", "all entries", "instead of the mean", "summed over"),
    ),
    fresh(
        "hf-bce-saved-probabilities-and-targets-swapped",
        "losses.BCELoss",
        "forward saves self._p, self._t = t, p: backward computes the gradient with targets and probabilities "
        "exchanged",
        ("        self._p, self._t = p, t\n", "        self._p, self._t = t, p\n"),
        expect=("saved-values-swapped",),
        phrases=("swapped", "exchanged", "other way round", "self._p = p", "wrong order"),
    ),
    fresh(
        "hf-bce-logits-stable-form-without-max-term",
        "losses.BCEWithLogitsLoss",
        "the stable loss drops max(x, 0): -x t + log(1 + e^-|x|) is log(1 + e^x) - x t only for x <= 0",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(-x * t + np.log1p(z))\n",
        ),
        # added after reading output (tag-vocabulary audit): bce-logits-term-missing
        expect=("stable-form-term-missing", "bce-logits-term-missing"),
        phrases=("max(x, 0)", "maximum(x, 0", "positive logits", "x > 0", "missing term"),
    ),
    fresh(
        "hf-bce-logits-sigmoid-branches-swapped",
        "losses.BCEWithLogitsLoss",
        "the stable sigmoid saved for backward puts z / (1 + z) on x >= 0 and 1 / (1 + z) on x < 0: it is sigmoid(-x)",
        (
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
            "        self._s = np.where(x >= 0, z, 1.0) / (1.0 + z)\n",
        ),
        # added after reading output: "sigmoid-exponent-sign": the gradient used sigmoid(-x) ... or the two
        # branches of the stable sigmoid swapped (1/(1 + z) belongs to x >= 0, z/(1 + z) to x < 0)
        expect=("branches-swapped", "sigmoid-exponent-sign"),
        phrases=("swapped", "sigmoid(-x)", "1 / (1 + z)", "x >= 0", "other way round"),
    ),
    fresh(
        "hf-ce-backward-onehot-subtracted-after-averaging",
        "losses.CrossEntropyLoss",
        "backward divides the probabilities by N and then subtracts the one-hot: (softmax - onehot) / N "
        "becomes softmax / N - onehot",
        (
            "        grad = self._probs.copy()\n"
            "        grad[np.arange(N), self._labels] -= 1.0\n"
            "        return grad / N\n",
            "        grad = self._probs / N\n        grad[np.arange(N), self._labels] -= 1.0\n        return grad\n",
        ),
        expect=("onehot-not-averaged",),
        phrases=("(softmax - onehot) / n", "whole difference", "both terms", "one-hot by n", "onehot / n"),
    ),
    fresh(
        "hf-ce-batch-size-from-classes-axis",
        "losses.CrossEntropyLoss",
        "forward takes N = x.shape[1] (the number of classes) for the batch size: the rows np.arange(N) pair "
        "with the labels wrongly",
        ("        N = x.shape[0]\n", "        N = x.shape[1]\n"),
        expect=("batch-classes-confused",),
        phrases=("shape[0]", "number of samples", "batch size", "number of rows", "n and c"),
    ),
    fresh(
        "hf-hinge-squared-violations",
        "losses.HingeLoss",
        "the loss squares each margin violation (the L2-SVM's squared hinge) while backward keeps the hinge's gradient",
        (
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        loss = (np.maximum(slack, 0.0) ** 2).sum() / x.shape[0]\n",
        ),
        # added after reading output (tag-vocabulary audit): hinge-squared
        expect=("squared-hinge", "hinge-squared"),
        phrases=("squared", "square", "not squared", "l2-svm", "max(0, ...)"),
    ),
    fresh(
        "hf-hinge-active-mask-kept-boolean",
        "losses.HingeLoss",
        "the active mask is kept boolean: backward's assignment of -count to the true class stores True (1)",
        (
            "        self._active = (slack > 0).astype(np.float64)\n",
            "        self._active = slack > 0\n",
        ),
        expect=("boolean-array-arithmetic",),
        phrases=("boolean", "astype", "float array", "dtype"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hf-sgd-buffer-tested-by-truthiness",
        "optimizers.SGD",
        "the first step is detected with `if not buf:` instead of `if buf is None:`: from the second step the "
        "test asks for the truth of a whole array",
        ("                if buf is None:\n", "                if not buf:\n"),
        expect=("truthiness-of-array",),
        phrases=("is none", "none check", "test for none", "if not buf"),
    ),
    fresh(
        "hf-sgd-velocity-stored-on-first-step-only",
        "optimizers.SGD",
        "state['momentum_buffer'] = buf is indented into the first-step branch: the stored velocity stays the "
        "first gradient and never accumulates",
        (
            "                if buf is None:\n"
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
            '                state["momentum_buffer"] = buf\n',
            "                if buf is None:\n"
            "                    buf = g.copy()\n"
            '                    state["momentum_buffer"] = buf\n'
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        ),
        expect=("state-reset", "velocity-not-stored"),
        phrases=("momentum_buffer", "every step", "indent", "first gradient"),
    ),
    fresh(
        "hf-adagrad-weight-decay-after-accumulator",
        "optimizers.Adagrad",
        "weight decay is added to g after the squared gradient was accumulated: the sum leaves out the L2 term",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["sum"] = state["sum"] + g * g\n',
            '            state["sum"] = state["sum"] + g * g\n'
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n",
        ),
        # added after reading output: squares-without-decay, "the sum of squares accumulated the raw gradient"
        expect=("weight-decay-not-accumulated", "call-order", "squares-without-decay"),
        phrases=("before accumulating", "before the sum", "weight decay first", "l2 term"),
    ),
    fresh(
        "hf-rmsprop-square-average-of-whole-parameter",
        "optimizers.RMSprop",
        "the leaky average takes np.mean(g * g), one number per parameter, instead of g * g per coordinate",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * np.mean(g * g)\n',
        ),
        expect=("not-per-coordinate",),
        phrases=("per coordinate", "per-coordinate", "each coordinate", "elementwise", "entry by entry"),
    ),
    fresh(
        "hf-rmsprop-momentum-buffer-dampened",
        "optimizers.RMSprop",
        "the momentum buffer is an exponential average, b = momentum * b + (1 - momentum) * g / avg",
        (
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n',
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"]'
            " + (1.0 - self.momentum) * g / avg\n",
        ),
        expect=("momentum-as-average",),
        phrases=("1 - momentum", "(1 - momentum)", "exponential average", "no dampening", "plain sum"),
    ),
    fresh(
        "hf-adadelta-divides-by-gradient",
        "optimizers.Adadelta",
        "the step is typed sqrt(u + eps) / (std * g): the parentheses put g in the denominator",
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / (std * g)\n',
        ),
        # added after reading output: precedence, "g ended up in the denominator, ... a matter of parentheses"
        expect=("operator-precedence", "precedence"),
        phrases=(*_PRECEDENCE, "times g", "multiplied by g", "divides by g"),
    ),
    fresh(
        "hf-adam-step-count-never-incremented",
        "optimizers.Adam",
        "step never increments self.t: t stays 0, so 1 - beta1^t is 0 and the corrected step divides by zero",
        (
            "        self.t += 1\n        bias_correction1 = 1.0 - beta1**self.t\n",
            "        bias_correction1 = 1.0 - beta1**self.t\n",
        ),
        # added after reading output: bias-correction-t-zero, "self.t was not incremented before the bias
        # corrections (never incremented, ...)"
        expect=("step-count-not-incremented", "bias-correction-t-zero"),
        phrases=("self.t", "t += 1", "increment", "step count", "t = 0"),
    ),
    fresh(
        "hf-adam-root-written-power-one-half",
        "optimizers.Adam",
        "sqrt(1 - beta2^t) is typed bias_correction2**1 / 2, which is (1 - beta2^t) / 2",
        (
            "        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        bias_correction2_sqrt = bias_correction2**1 / 2\n",
        ),
        # added after reading output: precedence, "the square root of the bias correction ... written x**1/2"
        expect=("operator-precedence", "bias-correction-sqrt", "precedence"),
        phrases=(*_PRECEDENCE, "** 0.5", "**0.5", "square root", "(1 / 2)"),
    ),
    fresh(
        "hf-adamw-decays-after-the-step",
        "optimizers.AdamW",
        "AdamW overrides step to run Adam's step first and shrink the weights afterwards: the decay acts on "
        "the updated weights instead of before the update",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        return g\n\n"
            "    def step(self) -> None:\n"
            "        super().step()\n"
            "        for p in self.params:\n"
            "            p.data *= 1.0 - self.lr * self.weight_decay\n",
        ),
        # added after reading output: adamw-decay-after-step, "the decay was applied after the Adam step"
        expect=("call-order", "adamw-decay-after-step"),
        phrases=("before the adam step", "before the update", "before the step", "after the step"),
    ),
]

# ----------------------------------------------------------------------------------------- init
_KAIMING_NORMAL = (
    "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
    '    fan = fan_in if mode == "fan_in" else fan_out\n'
    "    gain = calculate_gain(nonlinearity, a)\n"
    "    std = gain / math.sqrt(fan)\n"
    "    weight = rng.normal(0.0, std, size=shape)\n"
)

INIT = [
    fresh(
        "hf-fans-receptive-field-last-two-axes",
        "init.fan_in_and_fan_out",
        "the receptive field is the product of the last two axes, shape[-2:], as if every weight had a 2-D "
        "kernel: a (out, in) matrix gets out * in and a conv1d kernel gets in * k",
        ("    receptive_field = math.prod(shape[2:])\n", "    receptive_field = math.prod(shape[-2:])\n"),
        expect=("fixed-number-of-axes",),
        phrases=("shape[2:]", "after the first two", "receptive field", "kernel axes", "2-d weight"),
    ),
    fresh(
        "hf-xavier-uniform-bound-root-twelve",
        "init.xavier_uniform",
        "the bound is sqrt(12) * std, from the variance (b - a)^2 / 12 with b - a taken for b: U(-b, b) has "
        "variance b^2 / 3, so b = sqrt(3) * std",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = math.sqrt(12.0) * std\n",
        ),
        expect=("uniform-bound",),
        phrases=("sqrt(3)", "b^2 / 3", "b²/3", "sqrt(6 / (fan_in + fan_out))", "variance of u(-b, b)"),
    ),
    fresh(
        "hf-xavier-normal-numerator-one",
        "init.xavier_normal",
        "std = gain * sqrt(1 / (fan_in + fan_out)): the 2 of 2 / (fan_in + fan_out) is forgotten",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(1.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        # added after reading output (tag-vocabulary audit): std-formula
        expect=("formula-constant", "std-formula"),
        phrases=("2 / (fan_in + fan_out)", "factor 2", "factor of 2", "numerator", "average of the fans"),
    ),
    fresh(
        "hf-kaiming-uniform-xavier-denominator",
        "init.kaiming_uniform",
        "std = gain / sqrt(fan_in + fan_out): Xavier's sum of the fans replaces the one fan the mode chooses",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / math.sqrt(fan_in + fan_out)\n    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("xavier-kaiming-confused", "mode-ignored"),
        phrases=("fan_in + fan_out", "xavier", "glorot", "one fan"),
    ),
    fresh(
        "hf-kaiming-normal-fans-of-first-two-axes",
        "init.kaiming_normal",
        "the fans come from shape[:2] only: a conv kernel's receptive field (kH * kW) is left out",
        (
            _KAIMING_NORMAL,
            _KAIMING_NORMAL.replace("fan_in_and_fan_out(shape)", "fan_in_and_fan_out(shape[:2])"),
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field", "kernel size", "kh * kw", "shape[2:]", "whole shape"),
    ),
    fresh(
        "hf-kaiming-normal-gain-applied-twice",
        "init.kaiming_normal",
        "the normal draw with std = gain / sqrt(fan) is multiplied by gain again",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape) * gain\n",
        ),
        expect=("gain-twice",),
        phrases=("gain twice", "already contains the gain", "gain squared", "times gain"),
    ),
]

# ----------------------------------------------------------------------------------------- training
_BATCH = "        batches.append((X[start : start + size], y[start : start + size]))\n"

TRAINING = [
    # hf-minibatches-written-as-generator was dropped after grading: docs/api.md asks minibatches for an
    # iterable, the reference returns iter(...) and the alternative others_redteamc1 is a lazy generator
    # graded correct, so yielding the batches is no mistake.
    fresh(
        "hf-minibatches-slices-feature-columns",
        "training.minibatches",
        "X is sliced along axis 1 (X[:, start:start + size], the features-by-samples layout) while y is "
        "sliced along the samples",
        (_BATCH, "        batches.append((X[:, start : start + size], y[start : start + size]))\n"),
        expect=("batches-along-features",),
        phrases=("axis 0", "first axis", "samples along", "along the features"),
    ),
    fresh(
        "hf-minibatches-start-steps-past-batch",
        "training.minibatches",
        "the batch starts advance by batch_size + 1: one sample between consecutive batches is never visited",
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for start in range(0, len(X), size + 1):\n",
        ),
        expect=("loop-off-by-one", "slice-off-by-one"),
        phrases=("off by one", "off-by-one", "skips", "every sample", "step of batch_size"),
    ),
    fresh(
        "hf-fit-output-squeezed",
        "training.fit",
        "the loss is given output.squeeze(): an (N, 1) prediction becomes (N,) and no longer matches the "
        "(N, 1) targets",
        (
            "            loss = loss_fn.forward(output, y_batch)\n",
            "            loss = loss_fn.forward(output.squeeze(), y_batch)\n",
        ),
        expect=("squeezed-output",),
        phrases=("squeeze", "(n, 1)", "shape of the output", "same shape", "output as it is"),
    ),
    fresh(
        "hf-fit-targets-cast-to-int",
        "training.fit",
        "each target batch is cast with astype(int), as for class labels: regression targets are truncated",
        (
            "            output = model.forward(X_batch)\n",
            "            y_batch = y_batch.astype(int)\n            output = model.forward(X_batch)\n",
        ),
        expect=("rounded-values",),
        phrases=("astype(int)", "integer", "truncat", "regression targets", "float targets"),
    ),
    fresh(
        "hf-fit-history-loss-recomputed-after-step",
        "training.fit",
        "the epoch's loss adds the batch loss recomputed after optimizer.step(), not the loss the step was "
        "computed from",
        (
            "            total += float(loss) * len(X_batch)\n",
            "            total += float(loss_fn.forward(model.forward(X_batch), y_batch)) * len(X_batch)\n",
        ),
        expect=("loss-after-step",),
        phrases=("after the step", "before the update", "recomputed", "forward again", "the loss of the batch"),
    ),
    fresh(
        "hf-fit-batch-pair-unpacked-swapped",
        "training.fit",
        "the loop unpacks each batch as (y_batch, X_batch): the targets are fed to the model",
        (
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "        for y_batch, X_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
        ),
        expect=("unpacked-swapped",),
        phrases=("(x_batch, y_batch)", "swapped", "targets to the model", "unpack"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hf-perceptron-update-scales-sample-in-place",
        "models.Perceptron",
        "update scales the sample in place (x *= lr * error) before adding it: the caller's row of X is overwritten",
        (
            "        self.weight = self.weight + self.lr * error * x\n",
            "        x *= self.lr * error\n        self.weight = self.weight + x\n",
        ),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
    fresh(
        "hf-perceptron-predict-column-weight",
        "models.Perceptron",
        "predict multiplies by the weight reshaped to a column: the predictions have shape (N, 1) instead of (N,)",
        (
            "        scores = X @ self.weight + self.bias\n",
            "        scores = X @ self.weight.reshape(-1, 1) + self.bias\n",
        ),
        expect=(
            "prediction-shape",
            # added after reading output: predict has the right values but shape (5, 1) where (5,) belongs: an
            # axis of length 1 was added ([None], np.newaxis, a reshape)
            "length-one-axis",
        ),
        phrases=("(n,)", "one prediction per", "column", "flat"),
    ),
    fresh(
        "hf-perceptron-weight-step-without-lr",
        "models.Perceptron",
        "the weight update is error * x without lr while the bias update keeps lr * error",
        (
            "        self.weight = self.weight + self.lr * error * x\n",
            "        self.weight = self.weight + error * x\n",
        ),
        expect=(
            "hyperparameter-ignored",
            # added after reading output: the weights' update left out the learning rate, the bias's kept it
            "lr-ignored",
        ),
        phrases=("learning rate", "self.lr", "times lr", "lr * error"),
    ),
    fresh(
        "hf-sequential-backward-reverse-slice-stops-early",
        "models.Sequential",
        "backward iterates self.layers[:0:-1]: a reverse slice ending at 0 excludes index 0, so the first "
        "layer gets no backward",
        ("        for layer in reversed(self.layers):\n", "        for layer in self.layers[:0:-1]:\n"),
        expect=("backward-skips-layer",),
        phrases=("first layer", "[::-1]", "reversed(", "excludes"),
    ),
    fresh(
        "hf-sequential-forward-returns-cache-list",
        "models.Sequential",
        "forward keeps every activation in a list (a cache for backward, as in CS231n) and returns that list "
        "instead of the last layer's output",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        cache = [x]\n"
            "        for layer in self.layers:\n"
            "            cache.append(layer.forward(cache[-1]))\n"
            "        x = cache\n",
        ),
        expect=(
            "wrong-type",
            # added after reading output: forward returned a list of every activation, the input first and then
            # each layer's output (a cache kept for backward), instead of the last layer's output
            "returns-cache",
        ),
        phrases=("last layer's output", "output of the last", "final output", "a list", "returns the list"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hf-numgrad-assignment-dedented",
        "gradcheck.numerical_gradient",
        "grad[index] = ... is dedented out of the loop: only the last entry's derivative is stored, every other "
        "entry stays 0",
        (
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        x[index] = original\n    grad[index] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("assignment-outside-loop",),
        phrases=("inside the loop", "indent", "last entry", "only one entry"),
    ),
    fresh(
        "hf-numgrad-plus-and-minus-names-alias",
        "gradcheck.numerical_gradient",
        "x_plus, x_minus = x, x are two names for one array: both probes are written before f is called, so "
        "f sees x - h twice and every derivative is 0",
        (
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n",
            "        x_plus, x_minus = x, x\n"
            "        x_plus[index] = original + h\n"
            "        x_minus[index] = original - h\n"
            "        f_plus = float(f(x_plus))\n"
            "        f_minus = float(f(x_minus))\n",
        ),
        expect=(
            "aliasing",
            # added after reading output: f was called twice at x - h e_i: both probes were written before f was
            # called into what is one array under two names (x_plus, x_minus = x, x copies nothing)
            "probe-before-move",
        ),
        phrases=("alias", "same array", "copy", "two names", "one array"),
    ),
    fresh(
        "hf-relerr-maximum-third-argument",
        "gradcheck.relative_error",
        "the denominator is np.maximum(1e-8, |a|, |b|): np.maximum takes two arrays and its third argument is "
        "out, so the error is relative to |a| alone",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a), np.abs(b))\n",
        ),
        expect=("relative-to-a",),
        phrases=("|a| + |b|", "sum of the magnitudes", "both magnitudes", "out argument", "two arguments"),
    ),
    fresh(
        "hf-relerr-max-over-axis-zero",
        "gradcheck.relative_error",
        "the largest ratio is taken with np.max(ratio, axis=0): for arrays of more than one axis that is a "
        "row of maxima, not one number",
        ("    return float(np.max(ratio))\n", "    return float(np.max(ratio, axis=0))\n"),
        expect=("max-over-one-axis",),
        phrases=("every entry", "all entries", "whole array", "largest entry", "axis=0"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hf-early-stopping-validates-training-inputs",
        "early_stopping.fit_early_stopping",
        "the validation loss is evaluated on the training inputs X with the validation targets y_val "
        "(copy-paste of the fit call's X)",
        (
            "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n",
            "        val_loss = evaluate_loss(model, loss_fn, X, y_val)\n",
        ),
        expect=("validation-inputs-wrong",),
        phrases=("x_val", "validation inputs", "validation set", "training inputs"),
    ),
    fresh(
        "hf-early-stopping-fit-shuffle-and-batch-size-swapped",
        "early_stopping.fit_early_stopping",
        "fit is called with shuffle and batch_size in each other's positions",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, shuffle, batch_size, rng)\n",
        ),
        expect=("fit-arguments",),
        phrases=("batch_size", "argument order", "positional", "keyword arguments", "swapped"),
    ),
]

FRESH_F: list[Mutant] = [
    *ACTIVATIONS,
    *LAYERS,
    *BATCHNORM,
    *LOSSES,
    *OPTIMIZERS,
    *INIT,
    *TRAINING,
    *MODELS,
    *GRADCHECK,
    *EARLY_STOPPING,
]
