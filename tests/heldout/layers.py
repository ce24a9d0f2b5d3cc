"""Held-apart layer bugs: CS231n and 11-785 classics (padding slices, square-only index
arithmetic, `=` for `+=` where windows overlap, keep against drop probability, BatchNorm's
variance and its backward)."""

from __future__ import annotations

from ._edits import batchnorm_own, bug

_FORWARD_STATS = "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"

LINEAR = [
    bug(
        "ho-linear-bias-grad-wrong-axis",
        "layers.Linear",
        "the bias gradient sums grad_y over axis 1 (the outputs) instead of axis 0 (the batch)",
        ("            self.bias.grad += grad_y.sum(axis=0)\n", "            self.bias.grad += grad_y.sum(axis=1)\n"),
        expect=("gradient-summed-over-wrong-axes",),  # added after reading output
        phrases=("axis 0", "axis=0", "batch axis", "over the batch"),
    ),
    bug(
        "ho-linear-bias-grad-first-sample",
        "layers.Linear",
        "the bias gradient is the first sample's grad_y[0], as if the batch held one sample",
        ("            self.bias.grad += grad_y.sum(axis=0)\n", "            self.bias.grad += grad_y[0]\n"),
        expect=("gradient-from-one-sample",),
        phrases=("first sample", "every sample", "sum over the batch", "summed over the batch"),
    ),
    bug(
        "ho-linear-column-vector-convention",
        "layers.Linear",
        "forward follows the textbook's column vectors, y = W x^T + b[:, None]: the output is (M, N)",
        (
            "        y = x @ self.weight.data.T\n        if self.bias is not None:\n            y += self.bias.data\n",
            "        y = self.weight.data @ x.T\n        if self.bias is not None:\n"
            "            y += self.bias.data[:, None]\n",
        ),
        expect=("transposed", "transposed-shape"),
        phrases=("transpose",),
    ),
]

CONV = [
    bug(
        "ho-conv-unpad-negative-slice-when-padded",
        "layers.Conv2d",
        "backward removes the padding with grad_xp[:, :, pH:-pH, pW:-pW] whenever there is any padding: with "
        "padding (1, 0) the column slice 0:-0 is empty",
        (
            "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
            "        grad_x = grad_xp[:, :, pH:-pH, pW:-pW] if pH or pW else grad_xp\n",
        ),
        expect=("unpad-negative-slice",),
        phrases=("-0", "p:-p", "pad:-pad", "is empty", "empty slice", "padding is 0", "pad = 0", "p = 0"),
    ),
    bug(
        "ho-conv-output-width-from-height",
        "layers.Conv2d",
        "the output width is computed from the input height H (right for square inputs only)",
        (
            "        Ho, Wo = _output_side(H, kH, sH, pH), _output_side(W, kW, sW, pW)\n",
            "        Ho, Wo = _output_side(H, kH, sH, pH), _output_side(H, kW, sW, pW)\n",
        ),
        expect=("square-only-index",),
        phrases=("square", "H where W", "height instead of the width", "uses H instead of W"),
    ),
    bug(
        "ho-conv-bias-grad-averaged-over-positions",
        "layers.Conv2d",
        "the bias gradient is summed over the batch but averaged over the H' x W' output positions",
        ("            self.bias.grad += G.sum(axis=1)\n", "            self.bias.grad += G.sum(axis=1) / (Ho * Wo)\n"),
        # added after reading output (tag-vocabulary audit): mean-over-positions-not-sum
        expect=("bias-mean-not-sum", "mean-over-positions-not-sum"),
        phrases=("H'W'", "H' * W'", "H'*W'", "every position", "output positions"),
    ),
    bug(
        "ho-conv-windows-ignore-stride",
        "layers.Conv2d",
        "the window view steps one row and one column per output position, whatever the stride",
        (
            "            xp, (xp.shape[1], kH, kW, xp.shape[0], Ho, Wo), (sC, sR, sQ, sN, sH * sR, sW * sQ)\n",
            "            xp, (xp.shape[1], kH, kW, xp.shape[0], Ho, Wo), (sC, sR, sQ, sN, sR, sQ)\n",
        ),
        # stride-ignored: forward's windows ignore the stride too (added after reading output, once set M made it a tag)
        expect=("conv-backward-ignores-stride", "stride-ignored"),
        phrases=("ignores the stride", "stride is ignored", "stride was ignored", "stride were 1", "p*sH", "p * sH"),
    ),
    bug(
        "ho-conv-pads-width-with-row-padding",
        "layers.Conv2d",
        "the zero-padded input uses pH on both axes (square padding): wrong when pH != pW",
        (
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pH))\n        xp[:, :, pH:pH + H, pH:pH + W] = x\n",
        ),
        expect=("square-only-index",),
        phrases=("pW", "square", "(pH, pW)"),
    ),
]

_MAXPOOL_SCATTER = "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n"
_STRIDE_PHRASES = (
    "ignores the stride",
    "stride is ignored",
    "stride was ignored",
    "stride were 1",
    "without the stride",
)

POOLING = [
    bug(
        "ho-maxpool-backward-later-window-wins",
        "layers.MaxPool2d",
        "backward writes np.where(won, grad_y, current) into each offset's slice: where windows overlap, "
        "a later window's gradient replaces an earlier one instead of adding to it",
        (
            _MAXPOOL_SCATTER,
            "                region = grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW]\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] = np.where(won, grad_y, region)\n",
        ),
        expect=("overlap-overwritten",),
        phrases=("+=", "accumulat", "overwrit", "add up", "added up"),
    ),
    bug(
        "ho-maxpool-backward-width-from-height",
        "layers.MaxPool2d",
        "backward's column slice ends at j + sW * Ho (H' where W' belongs): right for square outputs only",
        (_MAXPOOL_SCATTER, _MAXPOOL_SCATTER.replace("j:j + sW * Wo:sW", "j:j + sW * Ho:sW")),
        expect=("square-only-index",),
        phrases=("square", "H' where W'", "Ho where Wo", "height instead of the width"),
    ),
    bug(
        "ho-maxpool-forward-without-stride",
        "layers.MaxPool2d",
        "forward takes every window (stride 1) instead of every sH-th and sW-th one",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
        ),
        expect=("stride-ignored",),  # added after reading output, once set M made it a tag
        phrases=_STRIDE_PHRASES,
    ),
    bug(
        "ho-avgpool-backward-repeat-upsampling",
        "layers.AvgPool2d",
        "backward upsamples the share with np.repeat into the top-left Ho*kH x Wo*kW block: right only when "
        "the stride equals the window (disjoint windows)",
        (
            "        for i in range(kH):\n            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        upsampled = np.repeat(np.repeat(share, kH, axis=2), kW, axis=3)\n"
            "        grad_x[:, :, :Ho * kH, :Wo * kW] = upsampled\n",
        ),
        # added after reading output (tag-vocabulary audit): upsampled-as-tiles
        expect=("upsampled-as-tiles",),
        phrases=("stride equals", "stride = kernel", "non-overlapping", "disjoint", "sH"),
    ),
    bug(
        "ho-avgpool-forward-floor-division",
        "layers.AvgPool2d",
        "forward divides each window's sum with // (floor division): every mean is rounded down",
        ("        y = windows.mean(axis=(4, 5))\n", "        y = windows.sum(axis=(4, 5)) // (kH * kW)\n"),
        expect=("rounded-values",),
        phrases=("//", "floor", "integer division", "rounded down"),
    ),
    bug(
        "ho-avgpool-forward-square-window",
        "layers.AvgPool2d",
        "forward divides each window's sum by kH * kH: right for square windows only",
        ("        y = windows.mean(axis=(4, 5))\n", "        y = windows.sum(axis=(4, 5)) / (kH * kH)\n"),
        expect=("square-only-index",),
        phrases=("square", "kH * kH", "kH*kH", "kH instead of kW"),
    ),
]

FLATTEN = [
    bug(
        "ho-flatten-ravels-the-batch",
        "layers.Flatten",
        "forward is x.ravel(): the batch axis is flattened too, one long vector for the whole batch",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.ravel()\n"),
        expect=("flatten-batch-axis",),  # added after reading output
        phrases=("batch axis", "batch dimension", "keep N", "ravel"),
    ),
    bug(
        "ho-flatten-backward-fortran-order",
        "layers.Flatten",
        "forward flattens row-major but backward reshapes in Fortran (column-major) order",
        (
            "        grad_x = grad_y.reshape(self._x_shape)\n",
            '        grad_x = grad_y.reshape(self._x_shape, order="F")\n',
        ),
        expect=("flatten-column-major",),
        phrases=("row-major", "column-major", "C order", "Fortran"),
    ),
]

DROPOUT = [
    bug(
        "ho-dropout-keeps-with-probability-p",
        "layers.Dropout",
        "the mask keeps an entry when u < p (p used as the keep probability) while scaling by 1/(1 - p)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(x.shape) < self.p\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "dropout-p-zero-drops-all"),
        phrases=("keep probability", "probability to drop", "probability of dropping"),
    ),
    bug(
        "ho-dropout-mask-from-normal",
        "layers.Dropout",
        "the mask compares standard-normal draws with p (randn where rand belongs): the drop rate is not p",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.standard_normal(x.shape) >= self.p\n",
        ),
        expect=("dropout-mask-wrong-distribution",),
        phrases=("uniform", "randn", "standard_normal", "normal distribution"),
    ),
    bug(
        "ho-dropout-eval-scaled",
        "layers.Dropout",
        "evaluation multiplies by 1 - p, as classic dropout does, on top of the inverted training scale",
        (
            "            self._mask = None\n            y = x\n",
            "            self._mask = None\n            y = x * (1.0 - self.p)\n",
        ),
        expect=("dropout-eval-scaled",),
        phrases=("identity", "inverted"),
    ),
]

_EPS_PHRASES = ("sqrt(var + eps)", "inside the square root", "outside the square root", "after the square root")

BATCHNORM = [
    bug(
        "ho-bn2d-eps-added-to-std",
        "layers.BatchNorm2d",
        "the standard deviation is sqrt(var) and eps is added to it, outside the square root",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                        "        std = np.sqrt(var)\n        self._inv_std = (1.0 / (std + self.eps)).reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("bn-eps-outside-sqrt",),
        phrases=_EPS_PHRASES,
    ),
    bug(
        "ho-bn1d-running-mean-not-decayed",
        "layers.BatchNorm1d",
        "running_mean adds momentum * mean without first scaling the old value by 1 - momentum",
        batchnorm_own("layers.BatchNorm1d", {"forward": [("            self.running_mean *= 1.0 - m\n", "")]}),
        # added after reading output (tag-vocabulary audit): bn-running-not-decayed
        expect=("bn-running-not-decayed",),
        phrases=("1 - momentum", "(1 - m)", "1 - m)", "old value"),
    ),
    bug(
        "ho-bn1d-backward-drops-mean-term",
        "layers.BatchNorm1d",
        "backward keeps the variance's term but drops the batch mean's: grad_x = inv_std (g - x_hat mean(g x_hat))",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"backward": [("                - grad_x_hat.mean(axis=axes, keepdims=True)\n", "")]},
        ),
        expect=("bn-backward-missing-mean-term",),
        phrases=("batch mean", "mean(g)", "through the mean", "mean of g"),
    ),
    bug(
        "ho-bn2d-gamma-grad-raw-input",
        "layers.BatchNorm2d",
        "the scale's gradient sums grad_y * x (the raw input) instead of grad_y * x_hat",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n        self._x = x\n",
                    )
                ],
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                        "        self.weight.grad += (grad_y * self._x).sum(axis=axes)\n",
                    )
                ],
            },
        ),
        # added after reading output (tag-vocabulary audit): bn-weight-grad-uses-x
        expect=("bn-weight-grad-uses-x",),
        phrases=("x_hat", "normalised input", "normalized input"),
    ),
    bug(
        "ho-bn1d-variance-conventions-swapped",
        "layers.BatchNorm1d",
        "normalises with the unbiased variance (ddof=1) and stores the biased one in running_var: both the "
        "wrong way round",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (_FORWARD_STATS, "            var = x.var(axis=axes, ddof=1)\n"),
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * x.var(axis=axes)\n",
                    ),
                ]
            },
        ),
        expect=("bn-unbiased-variance", "bn-biased-running-var"),
        phrases=("biased", "ddof"),
    ),
    bug(
        "ho-bn2d-normalises-with-running-stats-in-training",
        "layers.BatchNorm2d",
        "training updates the running statistics and then normalises with them instead of the batch's own",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
                        "            mean, var = self.running_mean, self.running_var\n",
                    )
                ]
            },
        ),
        expect=("bn-running-stats-in-training",),
        phrases=("batch statistics", "batch's own", "batch mean and variance", "running statistics in training"),
    ),
]

HELDOUT = [*LINEAR, *CONV, *POOLING, *FLATTEN, *DROPOUT, *BATCHNORM]
