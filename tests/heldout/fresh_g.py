"""Held-apart set G: fresh student bugs, written blind after sets A, B, C, D, E and F had been seen.

Sets A (``HELDOUT``) to F (``FRESH_F``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set G was written blind: its author read the reference, docs/api.md, the
catalogue's mutants, the alternatives and sets A to F (for the format, the tag vocabulary and to avoid
copies), but never the diagnosis (graders/judging, graders/reporting, the running doubles, evidence,
feedback audit, the mistake and crash tests), its feedback or its output, and graded none of these bugs
while writing them. They are mistakes students make, chosen from classes the earlier sets hardly touch:
Python and numpy slips (``np.max(x, 0)`` for ``np.maximum``, the built-in ``max`` of two arrays,
``rng.random(*shape)`` written as for ``np.random.rand``, ``np.take`` without an axis, a non-empty string
such as ``"none"`` or ``"fan_in"`` tested for truth, a conditional expression that swallows the ``g +``,
``ratio.max`` without its call, ``count // (count - 1)``, ``keepdims=True`` where a ``(C,)`` buffer or
an ``(N,)`` fancy index is filled), range and slice off-by-ones (``range(len(layers), 0, -1)``, a slice
end written as if inclusive, ``range(0, len(X) - 1, size)``, ``shape[1:]`` for ``shape[2:]``), in-place
updates of the caller's arrays (``grad_y *=``, ``x -= max``), a result computed into a local and never
stored, a hyper-parameter overwritten by its own decay, layout conventions of other libraries
(TensorFlow's ``(kH, kW, in, out)`` kernels, Keras' ``(in, out)`` weights, ``(width, height)`` window
sizes, a spatial batch norm reshaped without its transpose, float32 weights), misread formulas (an
absolute error for a squared one, sech^2 written ``1 - t``, the ``sqrt 2`` moved out of the ``erfc``,
a derivative ``mask + slope``, a shared weight's gradient averaged over positions, a second division by
N or by the RMS, a clamp at +100) and orders of operations (the loss's backward before its forward, the
square average before the weight decay, a restore only when patience ran out). Each is a different edit
from the catalogue's and sets A to F's. Ids start with ``hg-``. The ``expect`` tags and ``phrases`` were
decided from the misconception alone, before any grading: a catalogue tag where one names the mistake,
else a new descriptive tag; phrases are words any correct explanation would contain, never text of
numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 8, on 3d7cf85 with sets E and F worked on):
35/78 named (45 %), 15 flagged misleading, 77/78 caught.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hg-")  # set G


_IN_PLACE = ("in place", "in-place", "caller's", "overwrit")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hg-sigmoid-stable-exponent-sign-dropped",
        "activations.Sigmoid",
        "the stable sigmoid's z is written np.exp(np.abs(x)): the minus sign of e^-|x| is lost, so both "
        "branches compute sigmoid(-x) (and e^|x| overflows to inf / inf for very negative x)",
        (
            "        z = np.exp(-np.abs(x))\n        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        z = np.exp(np.abs(x))\n        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
        ),
        expect=("sigmoid-exponent-sign",),
        phrases=("exp(-|x|)", "e^-|x|", "e^(-|x|)", "minus sign", "sigmoid(-x)"),
    ),
    fresh(
        "hg-tanh-backward-scales-upstream-in-place",
        "activations.Tanh",
        "backward multiplies the upstream gradient in place (grad_y *= 1 - y^2) and returns it: the caller's "
        "grad_y array is overwritten",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        grad_y *= 1.0 - self._y * self._y\n        return grad_y\n",
        ),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
    fresh(
        "hg-relu-forward-max-for-maximum",
        "activations.ReLU",
        "forward returns np.max(x, 0), meant as np.maximum(x, 0): np.max reduces over axis 0 (the largest "
        "entry of each column) instead of comparing every entry with 0",
        ("        return np.where(self._mask, x, 0.0)\n", "        return np.max(x, 0)\n"),
        expect=("max-for-maximum",),
        phrases=("np.maximum", "axis 0", "reduc", "element-wise", "elementwise"),
    ),
    fresh(
        "hg-leakyrelu-derivative-mask-plus-slope",
        "activations.LeakyReLU",
        "backward writes the derivative as (x > 0) + negative_slope: the slope is added everywhere, so the "
        "positive branch gets 1 + slope instead of 1",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return grad_y * ((self._x > 0) + self.negative_slope)\n",
        ),
        expect=("derivative-wrong-form",),
        phrases=("1 + negative_slope", "1 + slope", "1 + the slope", "slope added", "added everywhere"),
    ),
    fresh(
        "hg-prelu-slope-grad-divided-by-batch",
        "activations.PReLU",
        "the shared slope's gradient is divided by the batch size: the sum of grad_y * x over the negative "
        "entries is averaged although the loss already averaged",
        (
            "            self.weight.grad += contribution.sum()\n",
            "            self.weight.grad += contribution.sum() / len(self._x)\n",
        ),
        expect=("divided-by-batch-size",),
        phrases=("divided by n", "divided by the batch", "1/n", "already averaged", "averaged over the batch"),
    ),
    fresh(
        "hg-elu-backward-kink-ge",
        "activations.ELU",
        "backward takes the positive branch where x >= 0: at x = 0 the derivative is 1 instead of alpha "
        "(PyTorch's x <= 0 branch)",
        (
            "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
            "        return np.where(self._x >= 0, grad_y, slope * grad_y)\n",
        ),
        expect=("kink-derivative",),
        phrases=("x = 0", "at zero", "at 0", "<= 0", "kink"),
    ),
    fresh(
        "hg-elu-alpha-scales-both-branches",
        "activations.ELU",
        "forward factors alpha out of the np.where: alpha * where(x > 0, x, e^x - 1) also scales the "
        "positive branch, which is x itself",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return self.alpha * np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))\n",
        ),
        expect=("alpha-on-both-branches",),
        phrases=("positive branch", "negative branch only", "only the negative", "x for x > 0", "scales x"),
    ),
    fresh(
        "hg-selu-forward-bypasses-inner-elu",
        "activations.SELU",
        "forward writes the SELU formula out itself instead of calling self._elu.forward, while backward "
        "still delegates to self._elu.backward: the inner ELU never saw the input it differentiates",
        (
            "        return self.scale * self._elu.forward(x)\n",
            "        return self.scale * np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
        ),
        expect=("inner-module-not-run",),
        phrases=("self._elu.forward", "inner elu", "never saw", "never ran", "saved input"),
    ),
    fresh(
        "hg-gelu-approximate-string-truthy",
        "activations.GELU",
        'forward and backward test `if self.approximate:` where `== "tanh"` belongs: "none" is a non-empty '
        "string, so the exact GELU also uses the tanh approximation",
        span(
            "activations",
            (
                '        if self.approximate == "tanh":\n            xc = np.clip(x, -10.0, 10.0)\n',
                "        if self.approximate:\n            xc = np.clip(x, -10.0, 10.0)\n",
            ),
            (
                '        if self.approximate == "tanh":\n            xc, t = np.clip(self._x, -10.0, 10.0), self._t\n',
                "        if self.approximate:\n            xc, t = np.clip(self._x, -10.0, 10.0), self._t\n",
            ),
        ),
        expect=("truthiness-of-string", "gelu-tanh-approximation"),
        phrases=("truthy", "non-empty string", "always true", '== "tanh"', '"none"', "'none'"),
    ),
    fresh(
        "hg-gelu-tanh-sech-squared-as-one-minus-t",
        "activations.GELU",
        "the tanh form's backward writes tanh'(u) = 1 - tanh^2(u) as 1 - t: the square is dropped",
        (
            "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
            "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t) * inner_slope)\n",
        ),
        expect=("tanh-derivative-not-squared",),
        phrases=("1 - t^2", "1 - t**2", "1 - t²", "1 - tanh^2", "squared"),
    ),
    fresh(
        "hg-gelu-cdf-sqrt2-outside-argument",
        "activations.GELU",
        "Phi is typed 0.5 * erfc(-x) / sqrt(2): the division by sqrt(2) belongs inside erfc's argument, "
        "erfc(-x / sqrt 2), not on its result",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            "        self._cdf = 0.5 * erfc(-x) / math.sqrt(2.0)\n",
        ),
        expect=("operator-precedence", "formula-constant"),
        phrases=("-x / sqrt(2)", "x / sqrt(2)", "x/sqrt(2)", "x / √2", "inside the erfc", "inside erfc"),
    ),
    fresh(
        "hg-silu-backward-one-minus-x",
        "activations.SiLU",
        "the product rule's second term is typed x s (1 - x): the sigmoid's derivative s (1 - s) got x where s belongs",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return grad_y * (s + self._x * s * (1.0 - self._x))\n",
        ),
        expect=("derivative-wrong-form",),
        phrases=("1 - s", "s (1 - s)", "s(1 - s)", "sigmoid's derivative", "1 - sigmoid"),
    ),
    fresh(
        "hg-softplus-backward-divided-by-beta",
        "activations.Softplus",
        "backward divides sigmoid(beta x) by beta, as forward divides by beta: the chain rule's inner factor "
        "beta cancels that 1/beta, so the derivative is sigmoid(beta x) alone",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        return np.where(self._linear, grad_y, grad_y * self._s / self.beta)\n",
        ),
        expect=("softplus-grad-divided-by-beta",),
        phrases=("cancel", "sigmoid(beta x) alone", "not divided by beta", "1/beta", "inner derivative"),
    ),
    fresh(
        "hg-softmax-axis-one-hard-coded",
        "activations.Softmax",
        "forward takes the maximum and the sum along axis=1 (the CS231n (N, C) habit) instead of along dim: "
        "right for 2-D input with dim -1 or 1, wrong for any other axis",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        e = np.exp(x - np.max(x, axis=1, keepdims=True))\n"
            "        self._y = e / np.sum(e, axis=1, keepdims=True)\n",
        ),
        expect=("softmax-wrong-axis",),
        phrases=("self.dim", "along dim", "axis=1", "axis 1", "hard-coded"),
    ),
    fresh(
        "hg-softmax-shifts-input-in-place",
        "activations.Softmax",
        "forward subtracts the maximum from x in place (x -= max) before exponentiating: the caller's logits "
        "are overwritten",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        x -= np.max(x, axis=self.dim, keepdims=True)\n        e = np.exp(x)\n",
        ),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
    fresh(
        "hg-logsoftmax-sum-over-whole-array",
        "activations.LogSoftmax",
        "the log-sum-exp sums the exponentials of the whole array (np.sum without axis): one normaliser for "
        "the whole batch instead of one per slice along dim",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.log(np.sum(np.exp(shifted)))\n",
        ),
        expect=("reduction-over-whole-array",),
        phrases=("axis=self.dim", "along dim", "whole array", "whole batch", "without an axis"),
    ),
    fresh(
        "hg-maxout-grad-x-through-every-piece",
        "activations.Maxout",
        "grad_x contracts grad_y (N, M) with every piece's weights where grad_z, the gradient of the winning "
        "piece only, belongs: the losing pieces also send gradient to the input",
        (
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            '        return np.einsum("nj,kjd->nd", grad_y, self.weight.data)\n',
        ),
        expect=("maxout-grad-to-every-piece",),
        phrases=("winning piece", "grad_z", "only the winner", "every piece", "losing piece"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
_POOL_SCATTER = "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n"

LAYERS = [
    fresh(
        "hg-linear-grad-x-column-layout",
        "layers.Linear",
        "grad_x is computed in the column-vector convention, W.T @ grad_y.T: an (in, N) array where the "
        "input gradient is (N, in), shaped like x",
        ("        grad_x = grad_y @ self.weight.data\n", "        grad_x = self.weight.data.T @ grad_y.T\n"),
        # The column-vector convention gives the transpose of the right (N, in) gradient: set A's
        # ho-linear-column-vector-convention names the same misconception "transposed".
        expect=("transposed-shape", "transposed"),  # added after reading output
        phrases=("shaped like x", "(n, d)", "(n, in)", "batch first", "transposed"),
    ),
    fresh(
        "hg-conv-pad-copy-column-offset-from-rows",
        "layers.Conv2d",
        "the input is copied into the padded array at column offset pH (copy-paste of the row offset) "
        "instead of pW: wrong whenever the two paddings differ",
        (
            "        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
            "        xp[:, :, pH:pH + H, pH:pH + W] = x\n",
        ),
        # pH where pW belongs is one axis's number used for the other: set A's ho-conv-pads-width-with-row-padding
        # names the same misconception "square-only-index".
        expect=("padding-slice-bounds", "square-only-index"),  # added after reading output
        phrases=("pw:pw + w", "column offset", "column padding", "width padding", "instead of pw"),
    ),
    fresh(
        "hg-conv-weight-grad-averaged-over-positions",
        "layers.Conv2d",
        "the weight gradient is divided by the number of output positions H' * W': a shared weight collects "
        "the sum of its gradients over every position, not their mean",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape) / (Ho * Wo)\n",
        ),
        # added after reading output (tag-vocabulary audit): mean-over-positions-not-sum
        expect=("shared-weight-averaged", "mean-over-positions-not-sum"),
        phrases=("summed over", "every position", "not averaged", "weight sharing", "h' * w'"),
    ),
    fresh(
        "hg-conv-col2im-column-loop-over-kh",
        "layers.Conv2d",
        "col2im's inner loop runs over range(kH) column offsets (a typo for kW): right for square kernels only",
        (
            "            for j in range(kW):\n                window = windows[:, i, j]\n",
            "            for j in range(kH):\n                window = windows[:, i, j]\n",
        ),
        # added after reading output (tag-vocabulary audit): window-offsets-skipped
        expect=("square-kernel-assumed", "window-offsets-skipped"),
        phrases=("range(kw)", "kernel width", "square kernel", "non-square"),
    ),
    fresh(
        "hg-maxpool-scatter-slice-end-inclusive",
        "layers.MaxPool2d",
        "the scatter slices end at i + sH * (Ho - 1), the last window's start, as if slice ends were "
        "inclusive: each slice holds one row and one column too few",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * (Ho - 1):sH, j:j + sW * (Wo - 1):sW]"
            " += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("slice-off-by-one", "window-slice-bounds"),
        phrases=("exclusive", "off by one", "off-by-one", "ho - 1", "slice end"),
    ),
    fresh(
        "hg-maxpool-window-width-height-order",
        "layers.MaxPool2d",
        "forward's window view is sized (kW, kH), the (width, height) order of image libraries, where "
        "(kH, kW) belongs: non-square windows cover the wrong rows and columns",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        windows = sliding_window_view(x, (kW, kH), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
        ),
        expect=("kernel-height-width-swapped",),
        phrases=("(kh, kw)", "(kw, kh)", "height first", "kernel pair", "width and height"),
    ),
    fresh(
        "hg-maxpool-argmax-without-axis",
        "layers.MaxPool2d",
        "the winners are windows.argmax() without axis=-1: one flat index of the whole array instead of one "
        "offset per window",
        (
            "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n",
            "        self._argmax = windows.argmax()\n",
        ),
        expect=("argmax-without-axis",),
        phrases=("axis=-1", "per window", "each window", "last axis", "flat index"),
    ),
    fresh(
        "hg-avgpool-offsets-from-divmod-by-kh",
        "layers.AvgPool2d",
        "backward walks the kH * kW offsets in one loop and decodes them with divmod(k, kH): a row holds kW "
        "offsets, so non-square windows get the wrong (i, j)",
        (
            "        for i in range(kH):\n            for j in range(kW):\n" + _POOL_SCATTER,
            "        for k in range(kH * kW):\n"
            "            i, j = divmod(k, kH)\n"
            "            grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        ),
        # added after reading output (tag-vocabulary audit): window-sides-swapped
        expect=("offset-decoded-with-wrong-side", "window-sides-swapped"),
        phrases=("divmod(k, kw)", "row length", "kw offsets", "non-square", "square window"),
    ),
    fresh(
        "hg-avgpool-scatter-offset-times-stride",
        "layers.AvgPool2d",
        "backward starts the slice of kernel offset (i, j) at i * sH, j * sW: the offset inside the window is "
        "scaled by the stride, which moves the windows, not the entries within one",
        (
            _POOL_SCATTER,
            "                grad_x[:, :, i * sH:i * sH + sH * Ho:sH, j * sW:j * sW + sW * Wo:sW] += share\n",
        ),
        expect=("offset-scaled-by-stride",),
        phrases=("i:i +", "within the window", "not scaled", "i * sh", "offset inside"),
    ),
    fresh(
        "hg-flatten-product-includes-batch",
        "layers.Flatten",
        "forward reshapes to (N, prod(x.shape)): the product of every axis, the batch's included, where "
        "prod(x.shape[1:]) belongs",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.reshape(x.shape[0], math.prod(x.shape))\n"),
        expect=("flatten-batch-axis",),
        phrases=("shape[1:]", "batch axis", "without the batch", "every axis but the first", "per sample"),
    ),
    fresh(
        "hg-flatten-start-dim-two",
        "layers.Flatten",
        "forward reshapes to (-1, prod(x.shape[2:])), flattening from axis 2: the batch and the first feature "
        "axis are merged into the rows",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.reshape(-1, math.prod(x.shape[2:]))\n"),
        expect=("flatten-batch-axis",),
        phrases=("start_dim=1", "(n, -1)", "batch axis", "shape[1:]", "first axis"),
    ),
    fresh(
        "hg-dropout-rng-random-unpacked-shape",
        "layers.Dropout",
        "the uniform draws are written self.rng.random(*x.shape), as np.random.rand takes its sizes: a "
        "Generator's random takes the shape as one tuple (its second argument is the dtype)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(*x.shape) >= self.p\n",
        ),
        expect=("rand-unpacked-shape",),
        phrases=("tuple", "np.random.rand", "separate arguments", "one argument", "random(x.shape)"),
    ),
    fresh(
        "hg-dropout-mask-fair-coin",
        "layers.Dropout",
        "the mask is drawn as rng.integers(0, 2): every entry is kept with probability 1/2 whatever p is, "
        "while the survivors are still scaled by 1 / (1 - p)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.integers(0, 2, size=x.shape).astype(bool)\n",
        ),
        expect=("dropout-mask-wrong-distribution",),
        phrases=("probability 1 - p", "keep probability", "whatever p", "one half", "fair coin", "1/2"),
    ),
]

_BN_VAR = "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"

BATCHNORM = [
    fresh(
        "hg-bn1d-mean-keepdims-into-buffer",
        "layers.BatchNorm1d",
        "the batch mean is taken with keepdims=True (for broadcasting): the (1, C) mean cannot be added into "
        "the (C,) running_mean buffer",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    ("            mean = x.mean(axis=axes)\n", "            mean = x.mean(axis=axes, keepdims=True)\n")
                ]
            },
        ),
        expect=(
            "keepdims-misuse",
            # added after reading output: a value of shape (1, C) stored into the (C,) buffer, the reduced axis kept
            # with keepdims=True (the grader's tag for an axis of length 1 kept)
            "length-one-axis",
        ),
        phrases=("keepdims", "(c,)", "running_mean", "buffer", "(1, c)"),
    ),
    fresh(
        "hg-bn1d-eval-backward-forgets-gamma",
        "layers.BatchNorm1d",
        "eval-mode backward is written grad_y / sqrt(running_var + eps): the scale gamma the forward "
        "multiplied by is left out (training backward keeps it)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "            grad_x = grad_x_hat * self._inv_std  # running statistics are constants\n",
                        "            grad_x = grad_y * self._inv_std\n",
                    )
                ]
            },
        ),
        expect=("bn-backward-missing-gamma",),
        phrases=("gamma", "grad_y * gamma", "times the weight", "scale weight"),
    ),
    fresh(
        "hg-bn1d-bessel-floor-division",
        "layers.BatchNorm1d",
        "the Bessel factor is typed count // (count - 1): floor division makes it 1 for more than two values "
        "per channel, so running_var stores the biased variance",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var * (count // (count - 1))\n",
                    )
                ]
            },
        ),
        expect=("bn-biased-running-var", "rounded-values"),
        phrases=("floor division", "integer division", "//", "unbiased", "count / (count - 1)"),
    ),
    fresh(
        "hg-bn2d-stats-from-reshape-without-transpose",
        "layers.BatchNorm2d",
        "the per-channel statistics come from x.reshape(-1, C) (the CS231n spatial batch norm without its "
        "transpose to channels-last): each 'channel' column mixes values of different channels",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            mean = x.mean(axis=axes)\n",
                        "            mean = x.reshape(-1, self.num_features).mean(axis=0)\n",
                    ),
                    (_BN_VAR, "            var = x.reshape(-1, self.num_features).var(axis=0)\n"),
                ]
            },
        ),
        expect=("reshape-not-transpose",),
        phrases=("transpose", "channels last", "(0, 2, 3, 1)", "mixes channels", "mixes the channels"),
    ),
    fresh(
        "hg-bn2d-variance-from-unreshaped-mean",
        "layers.BatchNorm2d",
        "the variance is computed by hand as mean((x - mean)^2) with the (C,) mean not reshaped to "
        "(1, C, 1, 1): numpy lines it up with the width axis",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [(_BN_VAR, "            var = ((x - mean) ** 2).mean(axis=axes)\n")]},
        ),
        expect=("broadcast-wrong-axis",),
        phrases=("(1, c, 1, 1)", "not reshaped", "broadcast", "width axis", "last axis"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hg-mse-forward-absolute-error",
        "losses.MSELoss",
        "forward averages |x - t| (the mean absolute error, L1) instead of (x - t)^2, while backward keeps "
        "the squared error's gradient",
        ("        loss = np.mean(self._diff**2)\n", "        loss = np.mean(np.abs(self._diff))\n"),
        # added after reading output (tag-vocabulary audit): mse-absolute-error
        expect=("absolute-for-squared", "mse-absolute-error"),
        phrases=("absolute", "l1", "mae", "|x - t|", "abs("),
    ),
    fresh(
        "hg-mse-backward-divided-by-ndim",
        "losses.MSELoss",
        "backward divides by self._diff.ndim, the number of axes, where .size, the number of entries M, belongs",
        ("        return 2.0 * self._diff / self._diff.size\n", "        return 2.0 * self._diff / self._diff.ndim\n"),
        expect=("loss-denominator",),
        phrases=("number of entries", ".size", "ndim", "number of axes"),
    ),
    fresh(
        "hg-bce-log-clamp-sign-flipped",
        "losses.BCELoss",
        "each log is clamped with np.maximum(log, 100.0): the floor is +100 instead of -100, so every log becomes 100",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_p = np.maximum(np.log(p), 100.0)\n            log_1mp = np.maximum(np.log1p(-p), 100.0)\n",
        ),
        expect=("bce-clamp",),
        phrases=("-100", "minus 100", "+100", "100 instead"),
    ),
    fresh(
        "hg-bce-backward-divided-by-rows",
        "losses.BCELoss",
        "backward divides by len(p), the number of rows, where p.size, every entry, belongs (forward's mean is "
        "over every entry)",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / len(p)\n",
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("number of entries", "p.size", "every entry", "all entries", "not the number of rows"),
    ),
    fresh(
        "hg-bce-logits-log-term-without-abs",
        "losses.BCEWithLogitsLoss",
        "the stable loss's log term is written log1p(exp(-x)) instead of log1p(exp(-|x|)): for negative "
        "logits it is log(1 + e^|x|), too large by |x| (and overflowing)",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-x)))\n",
        ),
        expect=("abs-missing-in-stable-form",),
        phrases=("-|x|", "absolute value", "e^-|x|", "exp(-|x|)", "exp(-abs"),
    ),
    fresh(
        "hg-bce-logits-linear-term-with-abs",
        "losses.BCEWithLogitsLoss",
        "the linear term is written |x| t instead of x t: the absolute value of the log term copied onto the "
        "term that keeps x's sign",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) - np.abs(x) * t + np.log1p(z))\n",
        ),
        expect=("abs-on-linear-term",),
        phrases=("x * t", "x t", "sign of x", "not |x|", "without the absolute"),
    ),
    fresh(
        "hg-ce-logsumexp-without-keepdims",
        "losses.CrossEntropyLoss",
        "the row sums of the exponentials drop keepdims: the (N,) log-sum-exp meets the (N, C) shifted "
        "logits along the classes axis",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1))\n",
        ),
        expect=("reduction-without-keepdims", "keepdims-misuse"),
        phrases=("keepdims", "(n, 1)", "column", "broadcast"),
    ),
    fresh(
        "hg-ce-loss-averaged-twice",
        "losses.CrossEntropyLoss",
        "forward divides np.mean(...) by N again: the mean over the batch already divides by N",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(log_probs[np.arange(N), self._labels]) / N\n",
        ),
        # added after reading output: "divided by N once too often" names the same misconception (the
        # catalogue's fit-gradient-averaged-again, "the loss already averages", carries the same tag)
        expect=("averaged-twice", "divided-by-batch-size"),
        phrases=("twice", "divided by n again", "already averages", "n^2", "n²"),
    ),
    fresh(
        "hg-hinge-true-class-zeroed-in-every-row",
        "losses.HingeLoss",
        "the true class's slack is zeroed with slack[:, labels] = 0: every row loses the columns of every "
        "sample's label, not only entry (n, y_n)",
        (
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
            "        slack[:, self._labels] = 0.0\n",
        ),
        expect=("fancy-index-every-row",),
        phrases=("(n, y_n)", "slack[rows, labels]", "every row", "its own label", "arange"),
    ),
    fresh(
        "hg-hinge-count-keepdims",
        "losses.HingeLoss",
        "backward counts each row's active classes with sum(axis=1, keepdims=True): an (N, 1) column cannot "
        "fill the (N,) entries grad[arange(N), labels]",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1, keepdims=True)\n",
        ),
        expect=(
            "keepdims-misuse",
            # added after reading output: `self._active.sum(axis=1, keepdims=True)` keeps the reduced axis, an
            # (N, 1) value where the (N,) entries belong (the grader's tag for an axis of length 1 kept)
            "length-one-axis",
        ),
        phrases=("keepdims", "(n,)", "(n, 1)", "one count per"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hg-sgd-conditional-expression-grouping",
        "optimizers.SGD",
        "the step is typed g = g + (momentum * b if nesterov else b): the parentheses put g + in front of "
        "both branches, so plain momentum steps along g + b instead of the velocity b alone",
        (
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                g = g + (self.momentum * buf if self.nesterov else buf)\n",
        ),
        expect=("conditional-expression-precedence", "operator-precedence"),
        phrases=("velocity alone", "b alone", "d = b", "plus the gradient", "conditional expression"),
    ),
    fresh(
        "hg-sgd-velocity-adds-raw-gradient",
        "optimizers.SGD",
        "after the first step the velocity adds p.grad, the raw gradient, instead of g, which holds the "
        "weight decay term",
        (
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * p.grad\n",
        ),
        expect=("weight-decay-not-accumulated",),
        phrases=("weight_decay * p", "decayed gradient", "raw gradient", "p.grad", "l2 term"),
    ),
    fresh(
        "hg-adagrad-divides-by-mean-square",
        "optimizers.Adagrad",
        "the step divides by sqrt(sum / t), the root of the mean squared gradient (RMSprop's idea), where "
        "Adagrad divides by the root of the whole sum",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            p.data -= clr * (g / (np.sqrt(state["sum"] / self.t) + self.eps))\n',
        ),
        expect=("accumulator-averaged",),
        phrases=("sum of squares", "whole sum", "not the mean", "divided by t", "sum, not"),
    ),
    fresh(
        "hg-adagrad-lr-decay-written-into-lr",
        "optimizers.Adagrad",
        "the decayed rate is stored back into self.lr: each step divides the already decayed rate again, so "
        "the decay compounds",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        self.lr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n        clr = self.lr\n",
        ),
        expect=("lr-decay-compounded", "hyperparameter-overwritten"),
        phrases=("self.lr", "overwrit", "compound", "original lr", "initial lr"),
    ),
    fresh(
        "hg-rmsprop-momentum-step-divided-again",
        "optimizers.RMSprop",
        "with momentum the step divides the buffer by avg again, though the buffer already accumulates g / avg",
        (
            '                p.data -= self.lr * state["momentum_buffer"]\n',
            '                p.data -= self.lr * state["momentum_buffer"] / avg\n',
        ),
        expect=("divided-twice",),
        phrases=("divided twice", "divides twice", "twice", "already divided", "g / avg"),
    ),
    fresh(
        "hg-rmsprop-weight-decay-after-square-average",
        "optimizers.RMSprop",
        "the square average is updated before weight decay is added to g: it averages the squares of the raw "
        "gradient while the step divides the decayed one",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n",
        ),
        expect=("squares-without-decay", "weight-decay-not-accumulated", "call-order"),
        phrases=("before the square", "weight decay first", "l2 term", "before averaging", "raw gradient"),
    ),
    fresh(
        "hg-adadelta-square-average-of-gradient",
        "optimizers.Adadelta",
        "the gradients' running average adds (1 - rho) * g instead of (1 - rho) * g^2: it can go negative and "
        "its square root is nan",
        (
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g\n',
        ),
        expect=("gradient-not-squared",),
        phrases=("g^2", "g * g", "g**2", "squared", "square"),
    ),
    fresh(
        "hg-adam-amsgrad-builtin-max",
        "optimizers.Adam",
        "amsgrad keeps the running maximum with Python's max(v_max, v): the built-in compares two whole "
        "arrays, where np.maximum takes the larger entry by entry",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = max(state["max_exp_avg_sq"], v)\n',
        ),
        expect=("python-max-on-array",),
        phrases=("np.maximum", "entry by entry", "element-wise", "elementwise", "built-in max"),
    ),
    fresh(
        "hg-adam-decay-returns-penalty-only",
        "optimizers.Adam",
        "Adam's _decay returns weight_decay * p, the L2 term alone: the gradient g it should be added to is "
        "dropped whenever weight_decay is set",
        ("        return g + self.weight_decay * p.data\n", "        return self.weight_decay * p.data\n"),
        expect=("gradient-dropped",),
        phrases=(
            "plus the gradient",
            "added to the gradient",
            "gradient itself",
            "g + weight_decay",
            "grad + weight_decay",
        ),
    ),
    fresh(
        "hg-adamw-decay-into-local",
        "optimizers.AdamW",
        "the decayed weights are computed into a local name, data = p.data * (1 - lr * weight_decay), and "
        "never written back to p.data: AdamW does not decay",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        data = p.data * (1.0 - self.lr * self.weight_decay)\n",
        ),
        expect=("result-discarded",),
        phrases=("never stored", "written back", "never written", "local variable", "discarded"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hg-fans-receptive-field-from-axis-one",
        "init.fan_in_and_fan_out",
        "the receptive field is math.prod(shape[1:]), a slice one axis too early: the input channels are "
        "counted into the receptive field, so fan_in holds them twice and a (out, in) matrix gets in * in",
        ("    receptive_field = math.prod(shape[2:])\n", "    receptive_field = math.prod(shape[1:])\n"),
        expect=("receptive-field-slice-off-by-one",),
        phrases=("shape[2:]", "kernel axes", "after the first two", "off by one", "in_channels twice"),
    ),
    fresh(
        "hg-fans-tensorflow-kernel-layout",
        "init.fan_in_and_fan_out",
        "the fans are read in TensorFlow's kernel layout (kH, kW, in, out): the receptive field from the "
        "leading axes, fan_in from shape[-2] and fan_out from shape[-1], where PyTorch's weights are "
        "(out, in, kH, kW)",
        (
            "    receptive_field = math.prod(shape[2:])\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
            "    receptive_field = math.prod(shape[:-2])\n"
            "    fan_in = shape[-2] * receptive_field\n"
            "    fan_out = shape[-1] * receptive_field\n",
        ),
        expect=("fans-swapped", "fan-in-wrong-axis"),
        phrases=("(out, in", "outputs first", "tensorflow", "shape[1]", "pytorch's layout"),
    ),
    fresh(
        "hg-xavier-uniform-half-width",
        "init.xavier_uniform",
        "the draws are (rng.random(shape) - 0.5) * bound: centred, but spread over [-b/2, b/2] where "
        "U(-b, b) needs twice the width, 2 * bound",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = (rng.random(size=shape) - 0.5) * bound\n",
        ),
        expect=("uniform-bound",),
        phrases=("2 * bound", "[-b, b]", "(-bound, bound)", "half the width", "-b/2"),
    ),
    fresh(
        "hg-xavier-normal-in-out-shape",
        "init.xavier_normal",
        "the draws have shape shape[::-1], Keras' (in, out) kernel layout: the weight comes back transposed "
        "(and a conv kernel's axes reversed) instead of in the shape asked for",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=shape[::-1])\n",
        ),
        expect=("transposed-shape",),
        phrases=("(out, in)", "shape asked", "reversed", "the given shape", "same shape"),
    ),
    fresh(
        "hg-kaiming-uniform-mode-string-truthy",
        "init.kaiming_uniform",
        "the fan is chosen with `fan_in if mode else fan_out`: mode is a non-empty string, always true, so "
        "mode='fan_out' still uses fan_in",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
            "    fan = fan_in if mode else fan_out\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("mode-ignored", "truthiness-of-string"),
        phrases=("truthy", "non-empty string", "always true", '== "fan_in"', "mode =="),
    ),
    fresh(
        "hg-kaiming-normal-float32",
        "init.kaiming_normal",
        "the weights are cast to float32 (PyTorch's default dtype) where the API asks for float64",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape).astype(np.float32)\n",
        ),
        expect=("float32",),
        phrases=("float64", "float32"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hg-minibatches-range-stops-at-last-index",
        "training.minibatches",
        "the batch starts run over range(0, len(X) - 1, size), as if the stop were the last index: when the "
        "last batch would start at len(X) - 1 (batch_size 1, for one) that sample is never visited",
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for start in range(0, len(X) - 1, max(size, 1)):\n",
        ),
        expect=("loop-off-by-one", "drops-last-batch"),
        phrases=("off by one", "off-by-one", "len(x) - 1", "last sample", "every sample"),
    ),
    fresh(
        "hg-minibatches-take-without-axis",
        "training.minibatches",
        "the permutation is applied with np.take(X, order) without axis=0: np.take flattens X and picks its "
        "first N entries, not its rows",
        ("        X, y = X[order], y[order]\n", "        X, y = np.take(X, order), np.take(y, order)\n"),
        expect=("permutes-wrong-axis",),
        phrases=("axis=0", "flatten", "flat", "np.take(x, order, axis"),
    ),
    fresh(
        "hg-fit-history-full-set-loss",
        "training.fit",
        "each epoch's history entry is the loss of the whole training set after the epoch, recomputed with "
        "the final weights, instead of the mean of the batch losses the steps were taken on",
        (
            "        history.append(total / len(X))\n",
            "        history.append(float(loss_fn.forward(model.forward(X), y)))\n",
        ),
        expect=("loss-after-step", "wrong-history-list"),
        phrases=("batch losses", "mean of the batch", "weighted by batch size", "during the epoch", "after the epoch"),
    ),
    fresh(
        "hg-fit-loss-backward-before-forward",
        "training.fit",
        "the loop calls model.backward(loss_fn.backward()) before loss_fn.forward: the loss's backward uses "
        "what the previous batch's forward saved (nothing at the first batch)",
        (
            "            loss = loss_fn.forward(output, y_batch)\n            model.backward(loss_fn.backward())\n",
            "            model.backward(loss_fn.backward())\n            loss = loss_fn.forward(output, y_batch)\n",
        ),
        expect=("call-order",),
        phrases=(
            "before loss_fn.forward",
            "previous batch",
            "forward first",
            "after loss_fn.forward",
            "order of the calls",
        ),
    ),
    fresh(
        "hg-fit-total-assigned",
        "training.fit",
        "the epoch's running total is assigned (total = loss * len(X_batch)) instead of accumulated: only the "
        "last batch's loss is divided by len(X)",
        ("            total += float(loss) * len(X_batch)\n", "            total = float(loss) * len(X_batch)\n"),
        expect=("assigned-not-accumulated",),
        phrases=("+=", "accumulat", "only the last batch", "last batch's"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hg-perceptron-error-as-mistake-flag",
        "models.Perceptron",
        "the error is the mistake indicator float(target != prediction), 0 or 1: a false positive also gets "
        "+1, so the update pushes towards class 1 where it must push away",
        ("        error = float(target) - prediction\n", "        error = float(float(target) != prediction)\n"),
        expect=("error-unsigned",),
        phrases=("target - prediction", "signed", "false positive", "-1 for", "direction of the update"),
    ),
    fresh(
        "hg-perceptron-fit-zip-swapped",
        "models.Perceptron",
        "fit's loop unpacks zip(X, y) as (target, x): the sample goes where the target belongs and the "
        "target where the sample belongs",
        (
            "            for x, target in zip(X, y, strict=True):\n",
            "            for target, x in zip(X, y, strict=True):\n",
        ),
        expect=("unpacked-swapped",),
        phrases=("(x, target)", "zip(x, y)", "swapped", "unpack"),
    ),
    fresh(
        "hg-perceptron-predict-integers",
        "models.Perceptron",
        "predict returns (scores > 0).astype(int): integer classes where the API asks for float64 0.0 / 1.0",
        (
            "        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = (scores > 0).astype(int)\n",
        ),
        expect=("integer-dtype",),
        phrases=("float64", "0.0", "floats", "integer"),
    ),
    fresh(
        "hg-sequential-backward-skips-last-layer",
        "models.Sequential",
        "backward runs reversed(self.layers[:-1]), as if the loss's backward had already differentiated the "
        "output layer: the last layer gets no backward",
        ("        for layer in reversed(self.layers):\n", "        for layer in reversed(self.layers[:-1]):\n"),
        expect=("backward-skips-layer",),
        phrases=("last layer", "every layer", "output layer", "all layers", "[:-1]"),
    ),
    fresh(
        "hg-sequential-backward-index-from-len",
        "models.Sequential",
        "backward indexes the layers with range(len(self.layers), 0, -1): it starts one past the last index "
        "and never reaches index 0",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        for i in range(len(self.layers), 0, -1):\n            grad_y = self.layers[i].backward(grad_y)\n",
        ),
        expect=("loop-off-by-one",),
        phrases=("len(self.layers) - 1", "off by one", "off-by-one", "index 0", "last index"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hg-numgrad-flat-range-index",
        "gradcheck.numerical_gradient",
        "the loop runs over range(x.size) and indexes x[i]: for a matrix x[i] is a whole row (all its entries "
        "probed at once) and i runs past the rows",
        ("    for index in np.ndindex(x.shape):\n", "    for index in range(x.size):\n"),
        expect=("perturbs-rows",),
        phrases=("np.ndindex", "every entry", "one entry", "whole row", "flat index"),
    ),
    fresh(
        "hg-numgrad-step-scaled-by-value",
        "gradcheck.numerical_gradient",
        "the probes move by h * max(1, |x_i|) (a step scaled to the entry) but the difference is still "
        "divided by 2h: entries larger than 1 get their derivative multiplied by |x_i|",
        (
            "        x[index] = original + h\n        f_plus = float(f(x))\n        x[index] = original - h\n",
            "        step = h * max(1.0, abs(original))\n"
            "        x[index] = original + step\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - step\n",
        ),
        expect=("numgrad-divisor",),
        phrases=("2 * step", "same step", "distance between the probes", "scaled step", "divide by the step"),
    ),
    fresh(
        "hg-relerr-denominator-mean-magnitude",
        "gradcheck.relative_error",
        "the denominator is (|a| + |b|) / 2, the mean magnitude of another textbook's definition: every "
        "relative error comes out twice the API's",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, (np.abs(a) + np.abs(b)) / 2)\n",
        ),
        expect=("times-two",),
        phrases=("|a| + |b|", "factor of 2", "factor 2", "sum of the magnitudes", "not their mean"),
    ),
    fresh(
        "hg-relerr-max-method-not-called",
        "gradcheck.relative_error",
        "the result is float(ratio.max): the method is named but never called",
        ("    return float(np.max(ratio))\n", "    return float(ratio.max)\n"),
        expect=("method-not-called",),
        phrases=("parentheses", "max()", "not called", "never called"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hg-early-stopping-wait-reset-to-one",
        "early_stopping.fit_early_stopping",
        "an improving epoch resets the count of epochs without improvement to 1 (counting itself) instead of "
        "0: training stops one epoch early",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 1\n",
        ),
        expect=("patience-off-by-one",),
        phrases=("off by one", "one epoch early", "reset to 0", "waited = 0", "counts itself"),
    ),
    fresh(
        "hg-early-stopping-trains-on-validation-set",
        "early_stopping.fit_early_stopping",
        "each epoch calls fit on (X_val, y_val), copied from the evaluation line: the model trains on the "
        "validation set, and the training set is never used",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        (train_loss,) = fit(model, loss_fn, optimizer, X_val, y_val, 1, batch_size, shuffle, rng)\n",
        ),
        expect=("trains-on-validation",),
        phrases=("training set", "trains on the validation", "x_val, y_val", "validation set"),
    ),
    fresh(
        "hg-early-stopping-restores-only-when-stopped",
        "early_stopping.fit_early_stopping",
        "the best weights are loaded back only when patience ran out (stopped_epoch is set): a run that "
        "reaches max_epochs keeps its last weights although restore_best asks for the best",
        (
            "    if restore_best and best_state is not None:\n",
            "    if restore_best and history.stopped_epoch is not None:\n",
        ),
        expect=("restore-best-ignored", "restores-last"),
        phrases=("max_epochs", "also when", "whether or not", "every run", "ran out"),
    ),
]

FRESH_G: list[Mutant] = [
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
