"""Held-apart set W: fresh student bugs, written blind after sets A to V had been seen.

Sets A (``HELDOUT``) to V (``FRESH_V``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set W was written blind: its author read the reference (reference/*.py),
the parts of docs/api.md on Sequential, the Perceptron, relative_error, AdamW's rule and zero_grad,
tests/heldout/_edits.py, the format of set V (its docstring and first entries; sets Q to U only through
check_set's reports of copies), the ``expect`` tags of the catalogue (graders/mutants) and of tests/heldout (for the
tag vocabulary only), and of tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts. The
author never read the diagnosis (graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py), tests/evidence.py, the feedback audit, the mistake, crash, diagnosis and feedback tests,
benchmarks/, /work/tools/*.json, the grader's feedback or its output, and graded none of these bugs. About
185 candidates were written; /work/tools/check_set.py found some 115 of them to be copies of catalogue or
earlier bugs, and those were dropped. Five more were dropped after the author's own check: AdamW's decay
factor applied to the gradient as well (Adam's step is invariant to a constant scale of the gradient, so
only eps could show it), Sequential's ``model[i]`` shifted by one (docs/api.md lists indexing as something
the reference supports, not as part of the contract), Perceptron predictions cast to int64 (a dtype only),
Linear copying its input after saving it (no effect) and a LeakyReLU backward choosing its branch by the sign
of ``slope * x`` (contrived). Every remaining edit was applied and its module compiled, and every one was run,
in its own package copy, by a script of the author's own beside the reference (2-D to 4-D inputs with +-12
and 0 entries; LeakyReLU slopes 0.01, 0.2 and 2, ELU alpha 0.5 and 2, Softplus beta 0.5 and 2 and threshold
5; Softmax and LogSoftmax along dim -1, 0 and -2; PReLU shared and per channel; Maxout with K = M; Linear with
and without bias; Conv2d with rectangular kernels, strides (2, 1) and (1, 2), paddings (1, 2) and (2, 1) and
bias=False; pooling with stride 1, 2 and != kernel; Flatten on 2-D to 4-D; Dropout with p = 0, 0.3, 0.5 and 1
then eval; two training rounds of BatchNorm1d on (N, C) and (N, C, L) and of BatchNorm2d, momentum 0.1 and
0.3, then eval and its backward; BCE with p = 0 and 1 and soft targets; every optimizer under default and
non-default settings for four steps with p.grad zeroed in place; 2-D to 5-D weight shapes under every mode,
gain and nonlinearity; shuffled and unshuffled minibatches of sizes None, 1, 3, 4 and 5; fit on a nested
Sequential with BatchNorm and Dropout; separable and XOR perceptrons; numerical gradients with h = 1e-5 and
1e-3; early stopping with min_delta, restore_best=False, patience 2, lr = 0 and a scripted validation curve;
the caller's arrays checked afterwards): each changes a result or raises (none went through the grader).

About two thirds are classes the catalogue and the earlier sets hardly touch: numpy semantics (an im2col
matrix flattened with ``order="F"``, MaxPool's windows flattened in Fortran order while backward decodes
row-major, ``X.take(order)`` for a row shuffle, ``p.data[...]`` taken for a copy, ``np.maximum(..., out=v)``
writing Adam's maximum into its average, ``keepdims=True`` on a pooled output, a Flatten backward through
``reshape(shape[::-1]).T``, ``reshape(-1, C)`` for a flatten, a (C, 1) column and a channels-last shape for
PReLU's slopes, floor division in Dropout's scale, ``np.where(keep, scale, 1.0)``), Python slips
(``abs(dim)`` for a negative axis, a counter set instead of incremented, ``layers[:-1]`` and ``[:1]`` in
parameters(), a waiting count carried over an improvement, the validation loss taken without eval mode, the
Nesterov look-ahead stored as the velocity or thrown away, a step size fixed at 2e-5), hyper-parameters and
less visited paths (Adagrad's initial_accumulator_value and lr_decay, RMSprop's momentum buffer and its
decay, Adam's bias corrections as ``(1 - beta1)^t`` and ``1 - beta2^(t/2)`` and in the paper's step size
besides, AdamW's factor split as (1 - lr)(1 - wd), BatchNorm's running variance decayed after the add, its
eval mean from the batch and its eval backward dividing by inv_std, Softplus's beta, ELU's alpha) and formulas
and conventions remembered wrongly (the sigmoid's z / (1 - z), SELU's scale on one branch only, log and sum
swapped in log-softmax, SiLU's s taken from the sigmoid's backward, ELU as a maximum, Xavier's sqrt 6 times
std, Kaiming normal times sqrt 3, a normal drawn as ``normal(-std, std)``, the fans unpacked swapped, a
receptive field of the last two axes, a relative error combined by its norm). About one third are known
classes in a new code shape or on a new component. Ids start with ``hsw-``. The ``expect`` tags and
``phrases`` were decided from the misconception alone, before any grading, taken from the existing
vocabulary (no new tags); phrases are words any correct explanation would contain, never text of numpy's or
Python's own error messages.

Blind rate, measured before anybody read the set (session 16, on the tree that taught set V, each bug graded in the
grader's sandbox): 60/73 named (82 %), 72/73 caught, 19 flagged misleading. Of the 19, 15 were the right diagnosis
under another tag (added to their ``expect`` after reading the sentence); 4 were wrong claims (listed in UNMENDED):
Conv2d's bias gradient summed over axes (0, 2), whose crash was read as a per-unit vector broadcast along the wrong
axis; Flatten's reshape(-1, x.shape[1]), read on one sample as the row count taken from len(x.shape); fit's epoch
loss divided by the sample count twice, read on the full batch (where they coincide) as batch losses added
unweighted; the Perceptron's update returning abs(error), read as the error's sign flipped. Not caught (UNCAUGHT):
ELU written np.maximum(x, alpha * expm1(min(x, 0))), right for alpha <= 1 and wrong above, where no ELU case went.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsw-")  # set W


# -------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hsw-sigmoid-negative-branch-one-minus-z",
        "activations.Sigmoid",
        "the negative branch is z / (1 - z) instead of z / (1 + z): with z = e^{-|x|} the sigmoid of a negative "
        "x is e^x / (1 + e^x)",
        (
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 - z))\n",
        ),
        expect=("sign-flipped", "formula-wrong", "negative-branch-ignored"),
        phrases=("negative", "1 + z"),
    ),
    fresh(
        "hsw-leakyrelu-x-times-where-of-x",
        "activations.LeakyReLU",
        "forward mixes the two forms: x * where(x > 0, x, slope) gives x^2 for positive inputs; either "
        "where(x > 0, x, slope * x) or x * where(x > 0, 1, slope)",
        (
            "        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        return x * np.where(x > 0, x, self.negative_slope)\n",
        ),
        expect=("formula-wrong",),
        phrases=("positive", "slope"),
    ),
    fresh(
        "hsw-prelu-channel-slopes-as-column",
        "activations.PReLU",
        "the per-channel slopes are reshaped to a column (C, 1): that lines them up with the last two axes, "
        "right only for (N, C, L); for (N, C) and (N, C, H, W) the slopes must be shaped (1, C, 1, ...)",
        (
            "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
            "        self._a = self.weight.data.reshape(-1, 1) if self.num_parameters > 1 else self.weight.data\n",
        ),
        expect=("prelu-slope-broadcast", "broadcast-wrong-axis", "fixed-number-of-axes"),
        phrases=("channel", "axis"),
    ),
    fresh(
        "hsw-prelu-shared-grad-assigned",
        "activations.PReLU",
        "the shared slope's gradient is assigned into weight.grad[0]: gradients accumulate across backward "
        "calls, so the sum must be added",
        (
            "            self.weight.grad += contribution.sum()\n",
            "            self.weight.grad[0] = contribution.sum()\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("accumulate",),
    ),
    fresh(
        "hsw-prelu-slope-shape-channels-last",
        "activations.PReLU",
        "the slopes are shaped (1, ..., 1, C), channels last: the channel axis is axis 1, so the broadcast "
        "shape is (1, C, 1, ..., 1)",
        (
            "        return (1, self.num_parameters) + (1,) * (ndim - 2)\n",
            "        return (1,) * (ndim - 2) + (1, self.num_parameters)\n",
        ),
        expect=("channels-last-layout", "prelu-slope-broadcast", "broadcast-wrong-axis"),
        phrases=("channel", "axis 1"),
    ),
    fresh(
        "hsw-elu-backward-unscaled-expm1-plus-alpha",
        "activations.ELU",
        "the negative slope is written as ELU(x) + alpha but with the unscaled e^x - 1: the derivative is "
        "alpha e^x = alpha (e^x - 1) + alpha, so with alpha != 1 the slope e^x - 1 + alpha is wrong",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
            "        slope = np.expm1(np.minimum(self._x, 0.0)) + self.alpha\n",
        ),
        # added after reading output (tag-vocabulary audit): negative-branch-wrong
        expect=("derivative-wrong-form", "alpha-ignored", "formula-wrong", "negative-branch-wrong"),
        phrases=("alpha", "derivative"),
    ),
    fresh(
        "hsw-elu-maximum-of-branches",
        "activations.ELU",
        "ELU is written max(x, alpha (e^x - 1)): that equals ELU only for alpha <= 1; for alpha > 1 and "
        "small negative x the line x is above the curve, and the choice must be made by the sign of x",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return np.maximum(x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
        ),
        expect=("leaky-relu-maximum", "formula-wrong"),
        phrases=("alpha", "sign"),
    ),
    fresh(
        "hsw-selu-backward-scale-on-slope-only",
        "activations.SELU",
        "backward scales the gradient by scale only on the negative side (ELU's backward of grad_y, then "
        "scale where x <= 0): SELU = scale * ELU, so both branches carry the factor scale",
        (
            "        return self._elu.backward(self.scale * grad_y)\n",
            "        return np.where(self._elu._x > 0, 1.0, self.scale) * self._elu.backward(grad_y)\n",
        ),
        expect=(
            "selu-missing-scale",
            "formula-wrong",
            "formula-constant",
        ),  # added after reading output
        phrases=("scale",),
    ),
    fresh(
        "hsw-silu-backward-sigmoid-backward-as-s",
        "activations.SiLU",
        "s is taken from the sigmoid module's backward(grad_y), which is grad_y s (1 - s), not s: the "
        "product rule needs the saved sigmoid s = self._s",
        (
            "        s = self._s\n",
            "        s = self._sigmoid.backward(grad_y)\n",
        ),
        expect=("derivative-is-output", "product-rule-missing", "method-not-called"),
        phrases=("sigmoid", "product rule"),
    ),
    fresh(
        "hsw-softplus-backward-times-beta",
        "activations.Softplus",
        "backward multiplies by beta for the inner derivative: softplus(x) = log(1 + e^{beta x}) / beta, so "
        "the beta of the chain rule cancels the 1/beta and dy/dx = sigmoid(beta x)",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        return np.where(self._linear, grad_y, grad_y * self._s * self.beta)\n",
        ),
        expect=(
            "chain-rule-inner-derivative",
            "softplus-grad-divided-by-beta",
            "formula-wrong",
            "softplus-grad-times-beta",
        ),  # added after reading output
        phrases=("beta",),
    ),
    fresh(
        "hsw-softplus-times-beta",
        "activations.Softplus",
        "the soft branch multiplies log(1 + e^{beta x}) by beta instead of dividing: softplus is "
        "log(1 + e^{beta x}) / beta, which tends to ReLU as beta grows",
        (
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) * self.beta\n",
        ),
        expect=("hyperparameter-inverted", "softplus-beta-missing", "formula-wrong"),
        phrases=("beta", "divide"),
    ),
    fresh(
        "hsw-softmax-backward-sum-appended-as-last-axis",
        "activations.Softmax",
        "the sum along dim is reduced without keepdims and a new axis is appended with [..., None]: that puts "
        "the reduced axis last, right only for dim = -1; keepdims=True keeps it in place for dim = 0 or -2",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim)[..., None])\n",
        ),
        expect=("reduction-without-keepdims", "softmax-backward-wrong-axis", "keepdims-misuse"),
        phrases=("keepdims", "axis"),
    ),
    fresh(
        "hsw-softmax-dim-made-positive",
        "activations.Softmax",
        "the axis is stored as abs(dim): -1 becomes axis 1, the last axis only for 2-D input, and -2 becomes "
        "axis 2; a negative dim counts from the end (ndim + dim)",
        (
            "        self.dim = int(dim)\n\n"
            "    def forward(self, x: np.ndarray) -> np.ndarray:\n        x = as_float_array(x)\n"
            '        _check_dim(x, self.dim, "Softmax")\n',
            "        self.dim = abs(int(dim))\n\n"
            "    def forward(self, x: np.ndarray) -> np.ndarray:\n        x = as_float_array(x)\n"
            '        _check_dim(x, self.dim, "Softmax")\n',
        ),
        expect=("axis-renumbered", "softmax-wrong-axis"),
        phrases=("dim", "negative"),
    ),
    fresh(
        "hsw-logsoftmax-backward-times-grad",
        "activations.LogSoftmax",
        "backward multiplies the softmax by grad_y instead of by the sum of grad_y along dim: "
        "grad_x = grad_y - p * sum(grad_y, dim), the Jacobian delta_ij - p_j summed over i",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - self._p * grad_y\n",
        ),
        expect=(
            "logsoftmax-sum-dropped",
            "softmax-diagonal-only",
            "jacobian-term-wrong",
            "logsoftmax-diagonal-only",
        ),  # added after reading output
        phrases=("sum",),
    ),
    fresh(
        "hsw-logsoftmax-sum-of-logs",
        "activations.LogSoftmax",
        "log and sum are swapped: sum(log(exp(shifted))) is the sum of the shifted logits; the normaliser "
        "is log(sum(exp(shifted))), the log of the sum",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.sum(np.log(np.exp(shifted)), axis=self.dim, keepdims=True)\n",
        ),
        expect=("order-changed", "formula-wrong", "logsoftmax-sum-dropped"),
        phrases=("log", "sum"),
    ),
    fresh(
        "hsw-maxout-bias-transposed",
        "activations.Maxout",
        "the bias is added transposed, (M, K): z has shape (N, K, M), so the (K, M) bias broadcasts as is; "
        "transposed it fails, or with K = M adds bias[j, k] to piece k of unit j",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data.T\n',
        ),
        expect=("transposed", "broadcast-wrong-axis"),
        phrases=("bias", "transpose"),
    ),
    fresh(
        "hsw-maxout-gather-along-units",
        "activations.Maxout",
        "the winners are gathered along axis 2 (the units) instead of axis 1 (the pieces): "
        "take_along_axis must index the axis argmax ran over",
        (
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=2)[:, 0, :]\n",
        ),
        expect=("maxout-wrong-axis", "contracted-wrong-axis"),
        phrases=("axis", "pieces"),
    ),
]


# ------------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hsw-linear-bias-grad-last-sample",
        "layers.Linear",
        "the bias gradient takes grad_y[-1], the last sample's row: the bias is used by every sample, so its "
        "gradient is the sum of grad_y over the batch",
        (
            "            self.bias.grad += grad_y.sum(axis=0)\n        grad_x",
            "            self.bias.grad += grad_y[-1]\n        grad_x",
        ),
        expect=("gradient-from-one-sample", "not-summed-over-batch"),
        phrases=("sum", "batch"),
    ),
    fresh(
        "hsw-conv-output-axes-height-width-swapped",
        "layers.Conv2d",
        "the output is transposed with (1, 0, 3, 2): only the first two axes (filter and sample) are to be "
        "swapped, (1, 0, 2, 3); as written the output is (N, F, W', H')",
        (
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 3, 2)  # a view\n",
        ),
        expect=("axes-permuted", "transposed", "kernel-height-width-swapped"),
        phrases=("transpose", "axes"),
    ),
    fresh(
        "hsw-conv-backward-grad-axes-height-width-swapped",
        "layers.Conv2d",
        "the upstream gradient is permuted with (1, 0, 3, 2) before it is flattened: the columns of the "
        "im2col matrix run over (n, p, q), so only N and F are swapped, transpose(1, 0, 2, 3)",
        (
            "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
            "        G = grad_y.transpose(1, 0, 3, 2).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
        ),
        expect=("axes-permuted", "transposed"),
        phrases=("transpose", "axes"),
    ),
    fresh(
        "hsw-conv-bias-grad-two-axes",
        "layers.Conv2d",
        "the bias gradient sums grad_y over axes (0, 2) only: for (N, F, H', W') the W' axis is left; "
        "each filter's bias collects grad_y over the samples and every output position, axes (0, 2, 3)",
        (
            "            self.bias.grad += G.sum(axis=1)\n",
            "            self.bias.grad += grad_y.sum(axis=(0, 2))\n",
        ),
        expect=("fixed-number-of-axes", "gradient-summed-over-wrong-axes"),
        phrases=("axis", "bias"),
    ),
    fresh(
        "hsw-conv-cols-flattened-fortran-order",
        "layers.Conv2d",
        "the im2col matrix is flattened with order='F': its columns must run over (n, p, q) in C order, as "
        "the output is reshaped (F, N, H', W'); in Fortran order the rows and columns are scrambled",
        (
            "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n",
            '        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo, order="F")\n',
        ),
        expect=(
            "reshape-order",
            "flatten-column-major",
            "axes-permuted",
        ),  # added after reading output
        phrases=("order",),
    ),
    fresh(
        "hsw-maxpool-windows-flattened-column-major",
        "layers.MaxPool2d",
        "the windows are flattened in Fortran order: the winner index k is then j * kH + i, but backward "
        "decodes it as i * kW + j (row-major); flatten in C order so both agree",
        (
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        windows = windows.reshape(*windows.shape[:4], kH * kW, order=\"F\")  # (N, C, H', W', kH*kW)\n",
        ),
        expect=(
            "reshape-order",
            "flatten-column-major",
            "index-order-reversed",
            "window-offset-transposed",
        ),  # added after reading output
        phrases=("order", "index"),
    ),
    fresh(
        "hsw-maxpool-forward-keepdims",
        "layers.MaxPool2d",
        "the pooled value is taken with max(axis=-1, keepdims=True): the output keeps a length-one window "
        "axis, (N, C, H', W', 1), instead of (N, C, H', W')",
        (
            "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
            "        y = windows.max(axis=-1, keepdims=True)\n",
        ),
        expect=("keepdims-misuse", "wrong-shape", "length-one-axis"),
        phrases=("keepdims", "shape"),
    ),
    fresh(
        "hsw-maxpool-windows-start-at-stride-minus-one",
        "layers.MaxPool2d",
        "the window positions are taken from sH - 1 on, [sH - 1::sH]: the first window starts at row 0, and "
        "window p starts at p * sH, so the slice is [::sH]",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, sH - 1::sH, sW - 1::sW]\n"
            "        windows = windows.reshape",
        ),
        expect=("window-offset-ignored", "slice-off-by-one", "window-slice-bounds"),
        phrases=("window", "start"),
    ),
    fresh(
        "hsw-avgpool-mean-over-rows-then-sum",
        "layers.AvgPool2d",
        "the window is averaged over its rows and then summed over its columns: the average of a kH x kW "
        "window divides the sum by kH * kW, so the output is kW times too large",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.mean(axis=4).sum(axis=-1)\n",
        ),
        expect=(
            "avgpool-divisor",
            "sum-not-mean",
            "avgpool-not-divided",
            "avgpool-divided-by-one-side",
        ),  # added after reading output
        phrases=("average", "kernel"),
    ),
    fresh(
        "hsw-avgpool-scatter-stepping-by-kernel",
        "layers.AvgPool2d",
        "the scatter steps by the kernel size: windows start every stride, so the slice must step by sH and "
        "sW; with stride != kernel the shares go to the wrong places",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "                grad_x[:, :, i:i + kH * Ho:kH, j:j + kW * Wo:kW] += share\n",
        ),
        expect=("stride-is-kernel", "pool-backward-ignores-stride", "kernel-stride-confused"),
        phrases=("stride",),
    ),
    fresh(
        "hsw-flatten-backward-reversed-shape-transposed",
        "layers.Flatten",
        "backward reshapes grad_y to the input shape reversed and transposes it back: .T reverses the axes, "
        "so the shape comes out right, but the entries are in column-major order; a plain reshape to the "
        "input shape undoes forward's reshape",
        (
            "        grad_x = grad_y.reshape(self._x_shape)\n",
            "        grad_x = grad_y.reshape(self._x_shape[::-1]).T\n",
        ),
        # added after reading output (tag-vocabulary audit): flatten-order
        expect=("reshape-order", "flatten-column-major", "reshape-not-transpose", "flatten-order"),
        phrases=("reshape", "order"),
    ),
    fresh(
        "hsw-flatten-keeps-channel-axis",
        "layers.Flatten",
        "forward reshapes to (-1, C): the batch axis absorbs the spatial axes, (N H W, C); flatten keeps "
        "axis 0 and joins the rest, (N, C H W)",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.reshape(-1, x.shape[1])\n",
        ),
        expect=("flatten-batch-axis", "wrong-shape"),
        phrases=("batch", "shape"),
    ),
    fresh(
        "hsw-dropout-scale-floor-divided",
        "layers.Dropout",
        "the mask is formed as keep // (1 - p): floor division of 1 by 1 - p rounds the scale down to 1 "
        "(or 2, 3, ...), so survivors are not scaled by 1 / (1 - p); use true division",
        (
            "            self._mask = keep * scale\n",
            "            self._mask = keep // (1.0 - self.p) if self.p < 1.0 else keep * scale\n",
        ),
        expect=(
            "floor-division",
            "integer-division",
            "dropout-not-rescaled",
            "rounded-values",
        ),  # added after reading output
        phrases=("scale", "division"),
    ),
    fresh(
        "hsw-dropout-mask-per-sample",
        "layers.Dropout",
        "the uniforms are drawn for len(x) values, one per sample: every entry needs its own draw, "
        "rng.random(x.shape); as written the mask broadcasts along the last axis or fails",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(len(x)) >= self.p  # never true for p = 1\n",
        ),
        expect=("dropout-mask-shape", "broadcast-wrong-axis", "len-for-size"),
        phrases=("shape", "mask"),
    ),
    fresh(
        "hsw-dropout-dropped-entries-kept",
        "layers.Dropout",
        "the mask is np.where(keep, scale, 1.0): dropped entries keep their value instead of being zeroed; "
        "the mask is 1 / (1 - p) where kept and 0 where dropped",
        (
            "            self._mask = keep * scale\n",
            "            self._mask = np.where(keep, scale, 1.0)\n",
        ),
        expect=("formula-wrong", "branch-constant"),
        phrases=("zero", "dropped"),
    ),
    fresh(
        "hsw-bn1d-backward-means-over-batch-axis",
        "layers.BatchNorm1d",
        "the two mean terms of the training backward are taken over axis 0 only: for (N, C, L) input the "
        "statistics were over the batch and L, so the means must be over axes (0, 2) as in forward",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n",
                        "                - grad_x_hat.mean(axis=0, keepdims=True)\n",
                    ),
                    (
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n",
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=0, keepdims=True)\n",
                    ),
                ]
            },
        ),
        expect=("bn-wrong-axes", "mean-over-batch-only", "fixed-number-of-axes"),
        phrases=("axis", "channel"),
    ),
    fresh(
        "hsw-bn1d-eval-backward-divides-by-inv-std",
        "layers.BatchNorm1d",
        "the evaluation backward divides by the saved 1/sqrt(var + eps), i.e. multiplies by the std: "
        "x_hat = (x - mu) * inv_std, so grad_x = g * inv_std",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "            grad_x = grad_x_hat * self._inv_std  # running statistics are constants\n",
                        "            grad_x = grad_x_hat / self._inv_std  # running statistics are constants\n",
                    )
                ]
            },
        ),
        expect=("multiplies-by-std", "hyperparameter-inverted"),
        phrases=("std", "eval"),
    ),
    fresh(
        "hsw-bn2d-running-var-decay-after-add",
        "layers.BatchNorm2d",
        "the running variance adds momentum * var first and then multiplies everything by 1 - momentum: the "
        "new batch's share is shrunk too; decay the old value first, then add momentum * var",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_var *= 1.0 - m\n"
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
                        "            self.running_var *= 1.0 - m\n",
                    )
                ]
            },
        ),
        expect=("order-changed", "bn-momentum-convention"),
        phrases=("momentum", "running"),
    ),
    fresh(
        "hsw-bn2d-gamma-grad-over-two-axes",
        "layers.BatchNorm2d",
        "dL/dgamma sums grad_y * x_hat over axes (0, 2) only: for (N, C, H, W) the W axis is left, so the "
        "gradient has shape (C, W); sum over every axis but the channels, (0, 2, 3)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=(0, 2))\n",
                    )
                ]
            },
        ),
        expect=("fixed-number-of-axes", "bn-wrong-axes", "gradient-summed-over-wrong-axes"),
        phrases=("axis", "channel"),
    ),
    fresh(
        "hsw-bn2d-eval-mean-from-batch",
        "layers.BatchNorm2d",
        "the running mean is replaced by the batch mean in eval mode too: in evaluation the buffers are the "
        "statistics, and nothing is computed from the batch",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            mean, var = self.running_mean, self.running_var\n",
                        "            mean, var = x.mean(axis=axes), self.running_var\n",
                    )
                ]
            },
        ),
        expect=("bn-batch-stats-in-eval", "train-eval"),
        phrases=("eval", "running"),
    ),
]


# ------------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hsw-mse-diff-flattened",
        "losses.MSELoss",
        "the difference is saved flattened: the loss is the same, but backward returns a 1-D gradient; "
        "dL/dx must have the input's shape",
        (
            "        self._diff = x - t\n",
            "        self._diff = (x - t).ravel()\n",
        ),
        expect=("gradient-not-shaped-like-input", "wrong-shape"),
        phrases=("shape",),
    ),
    fresh(
        "hsw-mse-mean-per-row-summed",
        "losses.MSELoss",
        "the loss is the mean over the last axis, summed over the rows: MSE averages over all M entries, so "
        "for (N, D) input the loss is N times too large",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.mean(self._diff**2, axis=-1).sum()\n",
        ),
        expect=(
            "loss-denominator",
            "divided-by-features",
            "mean-over-one-axis",
            "times-batch-size",
        ),  # added after reading output
        phrases=("mean", "entries"),
    ),
    fresh(
        "hsw-bce-targets-rounded-for-backward",
        "losses.BCELoss",
        "the saved targets are rounded to 0/1: BCE accepts soft targets in [0, 1], and dL/dp = (p - t) / "
        "(p (1 - p)) / M uses t as given",
        (
            "        self._p, self._t = p, t\n",
            "        self._p, self._t = p, np.round(t)\n",
        ),
        expect=("bce-hard-labels-only", "rounded-values"),
        phrases=("soft", "target"),
    ),
    fresh(
        "hsw-bce-backward-size-inside-floor",
        "losses.BCELoss",
        "the division by M is put inside the floor, max(p (1 - p), 1e-12 / M): the gradient is no longer "
        "divided by M; dL/dp = (p - t) / max(p (1 - p), 1e-12) / M",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS / p.size)\n",
        ),
        # added after reading output (tag-vocabulary audit): grad-not-averaged
        expect=(
            "operator-precedence",
            "loss-denominator",
            "ce-grad-not-divided",
            "times-size",
            "grad-not-averaged",
        ),  # added after reading output
        phrases=("size", "parenthes"),
    ),
    fresh(
        "hsw-ce-logsumexp-of-raw-logits",
        "losses.CrossEntropyLoss",
        "the log-sum-exp is taken of the raw logits while the max is subtracted from the first term: "
        "log_probs = (x - m) - log sum exp(x) is off by m (and overflows); both terms use the shifted x",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = shifted - np.log(np.exp(x).sum(axis=1, keepdims=True))\n",
        ),
        expect=("logsoftmax-shift-mismatch", "logsumexp-shift-not-restored", "overflow"),
        phrases=("max", "shift"),
    ),
    fresh(
        "hsw-ce-onehot-divided-before-batch-mean",
        "losses.CrossEntropyLoss",
        "1 / N is subtracted at the labels and then the whole gradient is divided by N: the one-hot term is "
        "divided twice; dL/dx = (probs - onehot) / N",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n",
            "        grad[np.arange(N), self._labels] -= 1.0 / N\n",
        ),
        # added after reading output (tag-vocabulary audit): correct-class-wrong
        expect=("divided-twice", "onehot-not-averaged", "correct-class-wrong"),
        phrases=("one-hot", "twice"),
    ),
]


# --------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hsw-sgd-nesterov-stores-look-ahead",
        "optimizers.SGD",
        "with nesterov the look-ahead g + momentum * buf is stored as the velocity: the buffer is "
        "momentum * buf + (1 - dampening) g; only the step uses the look-ahead",
        (
            '                state["momentum_buffer"] = buf\n'
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                g = g + self.momentum * buf if self.nesterov else buf\n"
            '                state["momentum_buffer"] = g\n',
        ),
        expect=("saved-state-overwritten", "nesterov-wrong-operand", "state-key-mismatch"),
        phrases=("nesterov", "velocity"),
    ),
    fresh(
        "hsw-sgd-step-with-velocity-ignoring-nesterov",
        "optimizers.SGD",
        "the step always uses the stored velocity when momentum is on: the Nesterov look-ahead "
        "g + momentum * buf computed just before is thrown away, so nesterov=True acts like plain momentum",
        (
            "            p.data -= self.lr * g\n        ### END SOLUTION\n\n\nclass Adagrad",
            '            p.data -= self.lr * (state["momentum_buffer"] if self.momentum != 0 else g)\n'
            "        ### END SOLUTION\n\n\nclass Adagrad",
        ),
        expect=(
            "hyperparameter-ignored",
            "result-discarded",
            "nesterov-wrong-operand",
            "nesterov-ignored",
        ),  # added after reading output
        phrases=("nesterov",),
    ),
    fresh(
        "hsw-adagrad-initial-accumulator-added-each-step",
        "optimizers.Adagrad",
        "initial_accumulator_value is added to the sum at every step besides being its start: it is only the "
        "starting value of the accumulator, sum = initial + g_1^2 + ... + g_t^2",
        (
            '            state["sum"] = state["sum"] + g * g\n',
            '            state["sum"] = state["sum"] + g * g + self.initial_accumulator_value\n',
        ),
        # added after reading output (tag-vocabulary audit): initial-value-every-step
        expect=("eps-accumulated-in-state", "hyperparameter-ignored", "formula-wrong", "initial-value-every-step"),
        phrases=("initial_accumulator_value", "accumulat"),
    ),
    fresh(
        "hsw-adagrad-weight-decay-sign",
        "optimizers.Adagrad",
        "the L2 term is weight_decay * sign(p): weight decay adds weight_decay * p to the gradient "
        "(the derivative of weight_decay/2 * ||p||^2), not the L1 subgradient",
        (
            '                g = g + self.weight_decay * p.data\n            state["sum"]',
            '                g = g + self.weight_decay * np.sign(p.data)\n            state["sum"]',
        ),
        expect=("weight-decay-l1", "formula-wrong"),
        phrases=("weight decay", "sign"),
    ),
    fresh(
        "hsw-adagrad-step-count-reset",
        "optimizers.Adagrad",
        "the step counter is set to 1 at every step instead of incremented: the decayed rate "
        "lr / (1 + (t - 1) lr_decay) then never decays; t counts the updates so far",
        (
            "        self.t += 1\n        clr",
            "        self.t = 1\n        clr",
        ),
        expect=("step-count-not-incremented", "state-reset", "lr-decay-ignored"),
        phrases=("lr_decay", "count"),
    ),
    fresh(
        "hsw-rmsprop-centered-variance-squared-difference",
        "optimizers.RMSprop",
        "the centred variance is (square_avg - grad_avg)^2: the variance estimate is E[g^2] - E[g]^2, the "
        "average of squares minus the square of the average",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = (state["square_avg"] - state["grad_avg"]) ** 2\n',
        ),
        expect=(
            "centered-variance-formula",
            "centered-mean-not-squared",
            "formula-wrong",
            "precedence",
        ),  # added after reading output
        phrases=("centered", "variance"),
    ),
    fresh(
        "hsw-rmsprop-decay-shrinks-parameter",
        "optimizers.RMSprop",
        "weight decay shrinks p directly by weight_decay * p (decoupled): RMSprop's weight_decay is L2, "
        "added to the gradient, g = grad + weight_decay * p, before the averages",
        (
            '                g = g + self.weight_decay * p.data\n            state["square_avg"] = a *',
            '                p.data -= self.weight_decay * p.data\n            state["square_avg"] = a *',
        ),
        expect=(
            "decoupled-weight-decay",
            "adamw-decay-without-lr",
            "weight-decay-ignored",
            "weight-decay-after-scaling",
        ),  # added after reading output
        phrases=("weight decay", "gradient"),
    ),
    fresh(
        "hsw-rmsprop-momentum-buffer-unused",
        "optimizers.RMSprop",
        "the momentum buffer is updated but the step uses g / avg: with momentum > 0 the step is "
        "lr * buffer, buffer = momentum * buffer + g / avg",
        (
            '                p.data -= self.lr * state["momentum_buffer"]\n',
            "                p.data -= self.lr * (g / avg)\n            if self.momentum > 0:\n                pass\n",
        ),
        expect=("momentum-ignored", "result-discarded"),
        phrases=("momentum",),
    ),
    fresh(
        "hsw-adadelta-eps-outside-numerator-sqrt-precedence",
        "optimizers.Adadelta",
        "the update is sqrt(acc_delta) + eps / std * g: by precedence only eps is scaled, so the first step "
        "is about eps / std * g plus nothing useful; delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g",
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = np.sqrt(state["acc_delta"]) + self.eps / std * g\n',
        ),
        expect=("operator-precedence", "adadelta-eps-numerator-missing", "precedence"),
        phrases=("eps", "parenthes"),
    ),
    fresh(
        "hsw-adam-bc2-sqrt-on-power-only",
        "optimizers.Adam",
        "sqrt(1 - beta2^t) is computed as 1 - beta2^(t/2): the square root is of the whole correction "
        "1 - beta2^t, not of beta2^t alone",
        (
            "        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        bias_correction2_sqrt = 1.0 - beta2 ** (self.t / 2)\n",
        ),
        expect=("bias-correction-sqrt", "root-scope", "bias-correction-power"),
        phrases=("sqrt", "bias correction"),
    ),
    fresh(
        "hsw-adam-paper-step-size-and-corrected-denominator",
        "optimizers.Adam",
        "the step size is the paper's lr sqrt(1 - beta2^t) / (1 - beta1^t) while the denominator is "
        "also divided by sqrt(1 - beta2^t): the second correction is applied twice; use one form",
        (
            "        step_size = self.lr / bias_correction1\n",
            "        step_size = self.lr * bias_correction2**0.5 / bias_correction1\n",
        ),
        expect=("bias-correction-twice", "bias-correction-multiplied"),
        phrases=("bias correction", "twice"),
    ),
    fresh(
        "hsw-adam-bc1-power-of-difference",
        "optimizers.Adam",
        "the first correction is (1 - beta1)^t instead of 1 - beta1^t: the power is of beta1 alone, so the "
        "step is divided by a vanishing number",
        (
            "        bias_correction1 = 1.0 - beta1**self.t\n",
            "        bias_correction1 = (1.0 - beta1) ** self.t\n",
        ),
        expect=(
            "bias-correction-power",
            "operator-precedence",
            "bias-correction-precedence",
        ),  # added after reading output
        phrases=("beta1", "power"),
    ),
    fresh(
        "hsw-adam-amsgrad-max-written-into-average",
        "optimizers.Adam",
        "the amsgrad maximum is computed with out=v: v is the exp_avg_sq array itself, so the running average is "
        "overwritten by the maximum (and max_exp_avg_sq becomes the same array); keep the maximum in its own state",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v, out=v)\n',
        ),
        expect=("amsgrad-max-replaces-average", "aliasing", "saved-state-overwritten"),
        phrases=("amsgrad", "average"),
    ),
    fresh(
        "hsw-adamw-decay-factor-split",
        "optimizers.AdamW",
        "the decay factor is (1 - lr)(1 - weight_decay): decoupled decay multiplies p by 1 - lr * weight_decay, "
        "one factor in which the product lr * weight_decay is subtracted",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data *= (1.0 - self.lr) * (1.0 - self.weight_decay)\n",
        ),
        expect=("decay-factor-form", "formula-wrong"),
        phrases=("lr * weight_decay",),
    ),
]


# --------------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hsw-fan-receptive-field-last-two-axes",
        "init.fan_in_and_fan_out",
        "the receptive field is shape[-2] * shape[-1] whenever there are more than two axes: for a 3-D weight "
        "(out, in, k) that multiplies in by k, and for 5-D it drops a kernel axis; it is the product of "
        "every axis from 2 on",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = shape[-2] * shape[-1] if len(shape) > 2 else 1\n",
        ),
        expect=("receptive-field-partial", "fixed-number-of-axes", "receptive-field-slice-off-by-one"),
        phrases=("receptive field", "kernel"),
    ),
    fresh(
        "hsw-xavier-uniform-root-six",
        "init.xavier_uniform",
        "the bound is sqrt(6) * std, mixing the two forms: b = sqrt(6 / (fan_in + fan_out)) = sqrt(3) * std "
        "with std = sqrt(2 / (fan_in + fan_out))",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = math.sqrt(6.0) * std  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("formula-constant", "uniform-bound"),
        phrases=("sqrt(3)", "bound"),
    ),
    fresh(
        "hsw-xavier-normal-loc-minus-std",
        "init.xavier_normal",
        "rng.normal is called like uniform, normal(-std, std): the first argument is the mean, so the weights "
        "are centred at -std; N(0, std^2) is normal(0.0, std)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(-std, std, size=shape)\n",
        ),
        expect=(
            "uniform-normal-confused",
            "normal-loc-for-scale",
            "not-centred",
        ),  # added after reading output
        phrases=("mean", "normal"),
    ),
    fresh(
        "hsw-kaiming-uniform-fans-unpacked-swapped",
        "init.kaiming_uniform",
        "the fans are unpacked as fan_out, fan_in: fan_in_and_fan_out returns (fan_in, fan_out), so the "
        "default mode='fan_in' uses fan_out",
        span(
            "init",
            (
                "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
                '    fan = fan_in if mode == "fan_in" else fan_out\n'
                "    gain = calculate_gain(nonlinearity, a)\n"
                "    std = gain / math.sqrt(fan)\n"
                "    bound",
                "    fan_out, fan_in = fan_in_and_fan_out(shape)\n"
                '    fan = fan_in if mode == "fan_in" else fan_out\n'
                "    gain = calculate_gain(nonlinearity, a)\n"
                "    std = gain / math.sqrt(fan)\n"
                "    bound",
            ),
        ),
        expect=("unpacked-swapped", "fans-swapped"),
        phrases=("fan_in", "fan_out"),
    ),
    fresh(
        "hsw-kaiming-normal-std-times-root-three",
        "init.kaiming_normal",
        "the normal's std is multiplied by sqrt(3), the uniform bound's factor: kaiming normal draws "
        "N(0, (gain / sqrt(fan))^2), sqrt(3) belongs to the uniform's bound only",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, math.sqrt(3.0) * std, size=shape)\n",
        ),
        expect=("uniform-normal-confused", "formula-constant", "uniform-bound"),
        phrases=("sqrt(3)", "normal"),
    ),
]


# ------------------------------------------------------------------------------------------- others
OTHERS = [
    fresh(
        "hsw-minibatches-permutation-of-features",
        "training.minibatches",
        "the permutation is drawn for X.shape[-1], the number of features: the samples lie along axis 0, "
        "so it must be a permutation of len(X)",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = rng.permutation(X.shape[-1])  # one permutation, applied to both: pairs stay pairs\n",
        ),
        expect=("permutes-wrong-axis", "batches-along-features", "len-for-size"),
        phrases=("samples", "axis 0"),
    ),
    fresh(
        "hsw-minibatches-take-without-axis",
        "training.minibatches",
        "the shuffle uses X.take(order): without an axis take indexes the flattened array, so for 2-D X "
        "the batches hold single numbers; index rows with X[order] (take(order, axis=0))",
        (
            "        X, y = X[order], y[order]\n",
            "        X, y = X.take(order), y.take(order)\n",
        ),
        expect=("take-without-axis", "flat-index-on-nd-array"),
        phrases=("axis", "rows"),
    ),
    fresh(
        "hsw-fit-epoch-loss-divided-twice",
        "training.fit",
        "each batch's weighted loss is already divided by len(X), and the epoch total is divided by len(X) "
        "again: the epoch loss is sum of loss * batch size over all batches, divided once by N",
        (
            "            total += float(loss) * len(X_batch)\n",
            "            total += float(loss) * len(X_batch) / len(X)\n",
        ),
        expect=("divided-twice", "averaged-twice", "loss-denominator"),
        phrases=("twice", "divided"),
    ),
    fresh(
        "hsw-perceptron-update-returns-unsigned-error",
        "models.Perceptron",
        "update returns abs(error): the API's update returns the signed error target - prediction (-1.0, 0.0 "
        "or 1.0), which tells a false positive from a false negative",
        (
            "        return error\n",
            "        return abs(error)\n",
        ),
        expect=("error-unsigned", "sign-lost"),
        phrases=("sign", "error"),
    ),
    fresh(
        "hsw-sequential-parameters-first-of-each",
        "models.Sequential",
        "parameters() takes only each layer's first parameter, [:1]: the biases (and any further parameters) "
        "are left out, so the optimizer never updates them",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [p for layer in self.layers for p in layer.parameters()[:1]]\n",
        ),
        expect=("entries-skipped", "bias-ignored", "slice-off-by-one"),
        phrases=("bias", "parameters"),
    ),
    fresh(
        "hsw-sequential-parameters-skip-last-layer",
        "models.Sequential",
        "parameters() walks self.layers[:-1]: the last layer's parameters are left out and never updated; "
        "every layer's parameters are listed",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [p for layer in self.layers[:-1] for p in layer.parameters()]\n",
        ),
        expect=("layer-skipped", "slice-off-by-one", "entries-skipped"),
        phrases=("last", "layer"),
    ),
    fresh(
        "hsw-numgrad-step-hardcoded",
        "gradcheck.numerical_gradient",
        "the difference is divided by 2e-5 whatever h is: with h != 1e-5 the probes are at x +- h but the "
        "divisor stays fixed; divide by 2 * h",
        (
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        grad[index] = (f_plus - f_minus) / (2 * 1e-5)\n",
        ),
        expect=("hyperparameter-ignored", "numgrad-divisor"),
        phrases=("h",),
    ),
    fresh(
        "hsw-relerr-norm-of-ratios",
        "gradcheck.relative_error",
        "the entrywise ratios are combined by their Euclidean norm: the relative error is the largest "
        "entrywise ratio, max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)",
        (
            "    return float(np.max(ratio))\n",
            "    return float(np.linalg.norm(ratio))\n",
        ),
        expect=("matrix-norm", "formula-wrong", "l2-norm-for-sum"),
        phrases=("max", "norm"),
    ),
    fresh(
        "hsw-early-stopping-patience-kept-on-improvement",
        "early_stopping.fit_early_stopping",
        "on an improvement the waiting count is carried over instead of reset to 0: patience counts the "
        "consecutive epochs without improvement since the last improvement",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            best_loss, history.best_epoch, waited = val_loss, epoch, waited\n",
        ),
        expect=("patience-not-reset", "counter-not-reset"),
        phrases=("reset", "patience"),
    ),
    fresh(
        "hsw-copy-state-params-as-slices",
        "early_stopping.fit_early_stopping",
        "the parameters are saved as p.data[...], a view: the optimizers update p.data in place, so the saved "
        "best weights follow the training; save copies, np.array(p.data, copy=True)",
        (
            "    params = [np.array(p.data, copy=True) for p in model.parameters()]\n",
            "    params = [p.data[...] for p in model.parameters()]\n",
        ),
        expect=("slice-is-view", "copy-not-view", "aliasing", "restores-last"),
        phrases=("copy", "view"),
    ),
    fresh(
        "hsw-early-stopping-validation-in-train-mode",
        "early_stopping.fit_early_stopping",
        "the validation loss is computed without switching to eval mode: Dropout drops and BatchNorm uses and "
        "updates batch statistics during validation; evaluate in eval mode and restore the mode after",
        (
            '    was_training = getattr(model, "training", True)\n    model.eval()\n',
            '    was_training = getattr(model, "training", True)\n',
        ),
        expect=(
            "train-eval",
            "dropout-active-in-eval",
            "bn-batch-stats-in-eval",
            "validation-in-train-mode",
        ),  # added after reading output
        phrases=("eval",),
    ),
]

FRESH_W: list[Mutant] = ACTIVATIONS + LAYERS + LOSSES + OPTIMIZERS + INIT + OTHERS
