"""Drill set L: layer bugs written by a teaching session, not a blind measurement.

Written by a session that teaches the grader's diagnosis (it reads the rubric), to find and close the grader's
blind spots in the layers (reference/layers.py) before blind set AA measures them. The author read the reference,
docs/api.md, the format of set Z and the tag vocabulary; check_set was relied on to drop copies of catalogue or
earlier bugs. These bugs are taught, so they measure nothing blind.

Classes aimed at: Conv2d's backward reshapes and col2im with rectangular kernels, bias=False and its flag, forward
padding placed with the other axis's offsets; pooling slices and divisors with stride != kernel; Flatten's state;
Dropout at p = 1 guarded away and its input scaled in place; BatchNorm's Bessel factor from the batch size, from
integer division and applied again in eval, a momentum of 0 taken as unset, running statistics mutated by eval,
eps ignored in eval.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "drill-l-")  # drill, layers

DRILL_L: list[Mutant] = [
    # Linear
    fresh(
        "drill-l-linear-weight-grad-mean-over-batch",
        "layers.Linear",
        "dW is the mean over the batch of the outer products: dW = grad_y.T @ x is their sum (the loss averages "
        "already)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += np.einsum('nm,nd->md', grad_y, self._x) / grad_y.shape[0]\n",
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("batch",),
    ),
    # Conv2d
    fresh(
        "drill-l-conv-bias-flag-against-none",
        "layers.Conv2d",
        "Conv2d creates its bias when `bias is not None`: bias=False still learns a bias; test the flag itself",
        (
            "        self.bias = _uniform(fan_in, (self.out_channels,), rng) if bias else None\n",
            "        self.bias = _uniform(fan_in, (self.out_channels,), rng) if bias is not None else None\n",
        ),
        expect=("flag-tested-against-none", "bias-none"),
        phrases=("bias=False",),
    ),
    fresh(
        "drill-l-conv-col2im-unpad-height-only",
        "layers.Conv2d",
        "backward drops the height padding only (grad_xp[:, :, pH:pH + H]): drop pW columns on each side as well",
        (
            "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
            "        grad_x = grad_xp[:, :, pH:pH + H]\n",
        ),
        expect=("padding-slice-bounds",),
        phrases=("padding",),
    ),
    # MaxPool2d
    fresh(
        "drill-l-maxpool-backward-slice-end-without-offset",
        "layers.MaxPool2d",
        "backward slices rows i:sH * H':sH: the window starts run from i to i + sH * (H' - 1), the end is i + sH * H'",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("window-slice-bounds", "slice-bounds"),
        phrases=("slice", "stride"),
    ),
    fresh(
        "drill-l-maxpool-default-stride-one",
        "layers.MaxPool2d",
        "the default stride is 1: PyTorch's pooling stride defaults to kernel_size (windows side by side)",
        (
            '        self.stride = self.kernel_size if stride is None else pair(stride, "stride")\n',
            '        self.stride = pair(1 if stride is None else stride, "stride")\n',
        ),
        expect=("stride-default", "default-changed"),
        phrases=("stride", "default"),
    ),
    fresh(
        "drill-l-maxpool-argmax-over-flattened-rows",
        "layers.MaxPool2d",
        "the windows are laid out (..., kW*kH) column by column before argmax, while backward decodes i*kW + j "
        "row-major",
        (
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        windows = windows.swapaxes(4, 5).reshape(*windows.shape[:4], kH * kW)\n",
        ),
        expect=("window-offset-transposed", "kernel-offset-swapped"),
        phrases=("offset",),
    ),
    fresh(
        "drill-l-maxpool-backward-stride-width-from-height",
        "layers.MaxPool2d",
        "backward steps the columns by sH: with stride (sH, sW), columns of window starts are sW apart",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sH * Wo:sH] += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("copy-paste", "stride-height-width-swapped", "square-only-index"),
        phrases=("stride",),
    ),
    # AvgPool2d
    fresh(
        "drill-l-avgpool-forward-sum-over-count-of-windows",
        "layers.AvgPool2d",
        "forward divides each window's sum by H' * W' (the number of windows): the mean of a window divides by kH * kW",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.sum(axis=(4, 5)) / (windows.shape[2] * windows.shape[3])\n",
        ),
        expect=("avgpool-divisor", "formula-wrong", "avgpool-divided-by-windows"),
        phrases=("kH",),
    ),
    # Flatten
    fresh(
        "drill-l-flatten-shape-on-class",
        "layers.Flatten",
        "forward saves the input shape on the class (Flatten._x_shape): two Flatten layers share it; save it on self",
        span(
            "layers",
            (
                "        self._x_shape = x.shape\n        y = x.reshape",
                "        Flatten._x_shape = x.shape\n        y = x.reshape",
            ),
            ("        grad_x = grad_y.reshape(self._x_shape)\n", "        grad_x = grad_y.reshape(Flatten._x_shape)\n"),
        ),
        expect=("shared-class-state",),
        phrases=("class",),
    ),
    fresh(
        "drill-l-flatten-backward-keeps-last-axis",
        "layers.Flatten",
        "backward reshapes to (N, -1, last axis): it must restore the input's whole shape, grad_y.reshape(x.shape)",
        (
            "        grad_x = grad_y.reshape(self._x_shape)\n",
            "        grad_x = grad_y.reshape(self._x_shape[0], -1, self._x_shape[-1])\n",
        ),
        expect=("flatten-backward-not-reshaped", "wrong-shape", "gradient-not-shaped-like-input", "length-one-axis"),
        phrases=("shape",),
    ),
    # Dropout
    # BatchNorm
    fresh(
        "drill-l-bn1d-bessel-integer-division",
        "layers.BatchNorm1d",
        "running_var's factor is count // (count - 1), 1 for count > 2: the unbiased factor is the true quotient "
        "m/(m-1)",
        (
            "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
            "            self.running_var += m * var * (count // (count - 1))\n",
        ),
        expect=("integer-division", "floor-division", "bn-biased-running-var"),
        phrases=("unbiased",),
    ),
    fresh(
        "drill-l-bn1d-eval-bessel-again",
        "layers.BatchNorm1d",
        "eval multiplies running_var by m/(m-1) again: running_var already holds the unbiased variance; use it as is",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "mean, var = self.running_mean, self.running_var",
                        "mean, var = self.running_mean, self.running_var * count / (count - 1)",
                    )
                ]
            },
        ),
        expect=("bessel-correction", "bn-unbiased-variance"),
        phrases=("running", "unbiased"),
    ),
    fresh(
        "drill-l-bn1d-running-mean-before-decay-uses-new",
        "layers.BatchNorm1d",
        "running_var moves towards the batch variance around the running mean: var must be the batch's own variance",
        (
            "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
            "            var = ((x - self.running_mean.reshape(shape)) ** 2).mean(axis=axes)\n",
        ),
        expect=("not-centred", "bn-running-stats-in-training", "bn-variance-not-centred"),
        phrases=("running", "mean"),
    ),
    fresh(
        "drill-l-bn2d-eval-backward-gamma-missing",
        "layers.BatchNorm2d",
        "eval backward returns grad_y * inv_std: gamma scales the output, grad_x = grad_y * gamma * inv_std",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "grad_x = grad_x_hat * self._inv_std  # running statistics are constants",
                        "grad_x = grad_y * self._inv_std",
                    )
                ]
            },
        ),
        expect=("bn-backward-missing-gamma",),
        phrases=("gamma",),
    ),
    fresh(
        "drill-l-conv-weight-flattened-channels-last",
        "layers.Conv2d",
        "forward flattens the weight as (F, kH, kW, C) while the rows of cols run (c, i, j): flatten it (F, C*kH*kW)",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
            "        y = self.weight.data.transpose(0, 2, 3, 1).reshape(self.out_channels, -1) @ self._cols\n",
        ),
        expect=("channels-last-layout", "axes-permuted", "forward-backward-mismatch"),
        phrases=("channel",),
    ),
    fresh(
        "drill-l-maxpool-offset-column-mod-kernel-height",
        "layers.MaxPool2d",
        "backward decodes the column offset as argmax % kH: the flat offset is i*kW + j, so j = argmax % kW",
        (
            "                won = self._argmax == i * kW + j\n",
            "                won = (self._argmax // kW == i) & (self._argmax % kH == j)\n",
        ),
        expect=("offset-decoded-with-wrong-side", "kernel-height-width-swapped"),
        phrases=("kW",),
    ),
    fresh(
        "drill-l-dropout-binomial-with-p",
        "layers.Dropout",
        "the mask is drawn binomial(1, p): p is the probability of dropping, an entry is kept with probability 1 - p",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.binomial(1, self.p, size=x.shape).astype(bool)\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "dropout-p-zero-drops-all"),
        phrases=("keep", "1 - p"),
    ),
    fresh(
        "drill-l-dropout-p-zero-scale-zero",
        "layers.Dropout",
        "the scale is 0 unless 0 < p < 1: with p = 0 nothing is dropped and the scale is 1, the output is x",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 1.0 / (1.0 - self.p) if 0.0 < self.p < 1.0 else 0.0\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("zero-taken-as-unset", "branch-constant", "dropout-p-zero-drops-all"),
        phrases=("p = 0",),
    ),
    fresh(
        "drill-l-bn-running-decay-by-momentum",
        "layers.BatchNorm2d",
        "the running statistics decay by momentum, not 1 - momentum: running = (1 - momentum) * running + momentum "
        "* batch",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    ("self.running_mean *= 1.0 - m", "self.running_mean *= m"),
                    ("self.running_var *= 1.0 - m", "self.running_var *= m"),
                ]
            },
        ),
        expect=("bn-momentum-convention", "bn-momentum-complement-missing"),
        phrases=("momentum",),
    ),
    fresh(
        "drill-l-bn1d-eps-folded-into-variance",
        "layers.BatchNorm1d",
        "eps is added to the batch variance before it is stored and again under the root: eps belongs only in "
        "sqrt(var + eps)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("var = x.var(axis=axes)", "var = x.var(axis=axes) + self.eps")]},
        ),
        expect=("eps-accumulated-in-state", "formula-wrong", "bn-running-var-plus-eps", "eps-added-twice"),
        phrases=("eps",),
    ),
    fresh(
        "drill-l-bn2d-running-var-stores-std",
        "layers.BatchNorm2d",
        "running_var moves towards the batch's unbiased standard deviation: it stores the variance, var * m/(m-1)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "self.running_var += m * var * (count / (count - 1))",
                        "self.running_var += m * x.std(axis=axes, ddof=1)",
                    )
                ]
            },
        ),
        # added after reading output (tag-vocabulary audit): bn-running-std-not-var
        expect=("bn-std-for-variance", "std-as-variance", "variance-as-std", "bn-running-std-not-var"),
        phrases=("variance",),
    ),
    fresh(
        "drill-l-dropout-output-unscaled-where",
        "layers.Dropout",
        "forward returns np.where(mask, x, 0): the survivors are not scaled by 1/(1-p); y = x * mask",
        ("            y = x * self._mask\n", "            y = np.where(self._mask, x, 0.0)\n"),
        expect=("dropout-not-rescaled",),
        phrases=("1/(1-p)", "scale"),
    ),
    fresh(
        "drill-l-dropout-mask-divided-by-scale",
        "layers.Dropout",
        "the mask is keep / scale, i.e. times (1 - p): inverted dropout scales the survivors up by 1/(1-p)",
        ("            self._mask = keep * scale\n", "            self._mask = keep / scale if scale else keep * 0.0\n"),
        expect=("dropout-multiplied-by-keep-probability",),
        phrases=("1/(1-p)", "scale"),
    ),
    fresh(
        "drill-l-dropout-p-truncated-to-int",
        "layers.Dropout",
        "the constructor stores int(p): 0.5 becomes 0 and nothing is dropped; p is a float probability",
        ("        self.p = float(p)\n", "        self.p = int(p)\n"),
        expect=("int-truncates-hyperparameter", "hyperparameter-ignored"),
        phrases=("int",),
    ),
    fresh(
        "drill-l-bn1d-eval-backward-divides-by-inv-std",
        "layers.BatchNorm1d",
        "eval backward divides by inv_std (multiplies by the std): grad_x = g / sqrt(var + eps) = g * inv_std",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "grad_x = grad_x_hat * self._inv_std  # running statistics are constants",
                        "grad_x = grad_x_hat / self._inv_std",
                    )
                ]
            },
        ),
        expect=("multiplies-by-std", "formula-operator"),
        phrases=("sqrt",),
    ),
    fresh(
        "drill-l-conv-bias-after-transpose-along-rows",
        "layers.Conv2d",
        "the bias is added after the output is laid out (N, F, H', W') as bias[:, None], which runs along the rows H'; "
        "add bias[f] to channel f: bias[None, :, None, None]",
        span(
            "layers",
            (
                "        if self.bias is not None:\n            y += self.bias.data[:, None]\n",
                "",
            ),
            (
                "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
                "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)\n"
                "        if self.bias is not None:\n            y = y + self.bias.data[:, None]\n",
            ),
        ),
        expect=("broadcast-wrong-axis",),
        phrases=("bias", "channel"),
    ),
    fresh(
        "drill-l-conv-dcols-rows-first-reshaped",
        "layers.Conv2d",
        "dcols is G.T @ W (rows (n, p, q)) reshaped to (C, kH, kW, N, H', W'): a reshape is not a transpose; "
        "dcols = W.reshape(F, -1).T @ G",
        (
            "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
            "        dcols = G.T @ self.weight.data.reshape(F, -1)\n",
        ),
        expect=("reshape-not-transpose", "transposed", "axes-permuted"),
        phrases=("transpose",),
    ),
    fresh(
        "drill-l-conv-col2im-sum-rebound",
        "layers.Conv2d",
        "col2im writes window = windows[:, i, j] + dcols[:, i, j]: that makes a new array and grad_xp stays 0; add "
        "into the view in place (+=)",
        (
            "                window = windows[:, i, j]\n                window += dcols[:, i, j]\n",
            "                window = windows[:, i, j] + dcols[:, i, j]\n",
        ),
        expect=("view-rebound", "result-discarded"),
        phrases=("in place", "view"),
    ),
    fresh(
        "drill-l-bn1d-mean-reshaped-two-dims",
        "layers.BatchNorm1d",
        "x_hat subtracts mean.reshape(1, -1), which for (N, C, L) input runs along L: reshape it (1, C, 1) like "
        "inv_std",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "self._x_hat = (x - mean.reshape(shape)) * self._inv_std",
                        "self._x_hat = (x - mean.reshape(1, -1)) * self._inv_std",
                    )
                ]
            },
        ),
        expect=("broadcast-wrong-axis", "fixed-number-of-axes"),
        phrases=("channel", "reshape"),
    ),
    fresh(
        "drill-l-bn2d-backward-variance-term-without-x-hat",
        "layers.BatchNorm2d",
        "training backward subtracts mean(g * x_hat) without the factor x_hat: the variance term is x_hat * mean(g * "
        "x_hat)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "- self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)",
                        "- (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)",
                    )
                ]
            },
        ),
        expect=("bn-backward-variance-term", "factor-x-missing"),
        phrases=("x_hat",),
    ),
    fresh(
        "drill-l-bn1d-beta-grad-times-gamma",
        "layers.BatchNorm1d",
        "bias.grad sums grad_y * gamma: beta is added after gamma's product, dL/dbeta = sum grad_y",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "self.bias.grad += grad_y.sum(axis=axes)\n"
                        "        grad_x_hat = grad_y * self.weight.data.reshape(shape)",
                        "grad_x_hat = grad_y * self.weight.data.reshape(shape)\n"
                        "        self.bias.grad += grad_x_hat.sum(axis=axes)",
                    )
                ]
            },
        ),
        expect=("bn-bias-grad-times-gamma",),
        phrases=("gamma", "beta"),
    ),
]
