"""Held-apart set H: fresh student bugs, written blind after sets A, B, C, D, E, F and G had been seen.

Sets A (``HELDOUT``) to G (``FRESH_G``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set H was written blind: its author read the reference, docs/api.md, the
catalogue's mutants, the alternatives and sets A to G (for the format, the tag vocabulary and to avoid
copies), but never the diagnosis (graders/judging, graders/reporting, the running doubles, evidence,
feedback audit, the mistake and crash tests), its feedback or its output, and graded none of these bugs
while writing them. They are mistakes students make, chosen from classes the earlier sets hardly touch:
Python and numpy slips (``math.exp`` and ``math.erf`` on whole arrays, ``np.nditer`` yielding values where
indices belong, ``.T`` on a 3-D or 4-D array taken to swap two axes, an ``[..., ::sH, ::sW]`` ellipsis that
slices the window axes, ``range(len(X) / size)``, ``reshape(..., order="F")``, a fancy-index ``+=`` that
applies a repeated index once, a mutable default argument, a loop variable that rebinds ``y``, a method
named without its call, a forgotten ``return g``, a ``return`` inside the parameter loop, an array tested
for truth, ``sum`` for a product, a dict key typo, positional arguments in the wrong order, a comparison
returned instead of a float, PyTorch's ``loss.item()`` and ``model(x)`` habits), state not kept (Adam's
first moment and centered RMSprop's mean computed into locals, GELU's input saved in one branch only, the
stop epoch recorded after every run), copy-paste of the wrong state, hyper-parameter or attribute
(Adadelta's step average from the square average, amsgrad's maximum of the first moment, ``lr_decay`` for
``weight_decay``, ``alpha`` for ``scale``, ``fan_out`` from the input axis, ``p.grad`` for ``p.data`` and
back, ``val_losses`` given the training loss, gamma's and beta's gradients exchanged), conventions and
defaults of other libraries or papers (channels-last pooling and batch-norm axes, layer-norm axes, Keras'
one-hot targets and defaults 0.3 / 0.9, Adadelta's rho 0.95, ``a = sqrt(5)`` from PyTorch's Linear init, an
AdamW-style decay in SGD, rounded SELU constants, log base 2, a maximised monitored value), in-place updates
of the caller's or the saved arrays (``out=x``, ``share /=``, the hinge slack built in the input,
``self._diff **= 2``), misread formulas (the variance of the error for its mean square,
``sqrt(2) / (fan_in + fan_out)``, ``expm1 + 1`` for ``e^x``, a dropped ``1 +`` in the chain rule, beta added
before the scale, a clamp applied after the product with the target, clipped logits, an additive epsilon
for a floor) and orders of operations (validation before the epoch's training, a mask drawn twice). Each is
a different edit from the catalogue's and sets A to G's. Ids start with ``hh-``. The ``expect`` tags and
``phrases`` were decided from the misconception alone, before any grading: a catalogue tag where one names
the mistake, else a new descriptive tag; phrases are words any correct explanation would contain, never
text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 9, on cabfc1a with sets A to G worked on):
39/79 named (49 %), 16 flagged misleading, 78/79 caught.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hh-")  # set H


_IN_PLACE = ("in place", "in-place", "caller's", "overwrit")
_DEFAULT = ("default", "pytorch's default", "pytorch", "keras")

# ----------------------------------------------------------------------------------------- activations
_GELU_CDF = "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n"

ACTIVATIONS = [
    fresh(
        "hh-sigmoid-math-exp-on-array",
        "activations.Sigmoid",
        "the stable sigmoid's z is computed with math.exp(-abs(x)): the math module works on one Python number, "
        "so any input with more than one entry fails where np.exp works entry by entry",
        ("        z = np.exp(-np.abs(x))\n", "        z = math.exp(-abs(x))\n"),
        expect=("math-function-on-array",),
        phrases=("np.exp", "math.exp", "element-wise", "elementwise", "one number"),
    ),
    fresh(
        "hh-relu-forward-maximum-into-input",
        "activations.ReLU",
        "forward returns np.maximum(x, 0.0, out=x): the out= argument writes the clipped values into the "
        "caller's input array",
        ("        return np.where(self._mask, x, 0.0)\n", "        return np.maximum(x, 0.0, out=x)\n"),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
    fresh(
        "hh-leakyrelu-keras-default-slope",
        "activations.LeakyReLU",
        "the constructor's default negative_slope is 0.3, Keras' default, where PyTorch's (and the API's) is 0.01",
        (
            "    def __init__(self, negative_slope: float = 0.01) -> None:\n",
            "    def __init__(self, negative_slope: float = 0.3) -> None:\n",
        ),
        expect=("default-changed",),
        phrases=("0.01", *_DEFAULT),
    ),
    fresh(
        "hh-prelu-shared-slope-grad-over-batch-axis",
        "activations.PReLU",
        "with one shared slope the gradient is contribution.sum(axis=0), the sum over the batch only: a slope "
        "used by every entry collects the sum over every axis (a (D,) vector cannot go into the (1,) gradient)",
        (
            "            self.weight.grad += contribution.sum()\n",
            "            self.weight.grad += contribution.sum(axis=0)\n",
        ),
        expect=("prelu-grad-wrong-axes",),
        phrases=("every entry", "all axes", "every axis", "whole array", "sum()"),
    ),
    fresh(
        "hh-elu-derivative-expm1-plus-one",
        "activations.ELU",
        "the negative branch's derivative is written alpha * expm1(x) + 1, meant as alpha * e^x: the + 1 is "
        "outside the factor alpha, so it is alpha e^x + 1 - alpha, right only for alpha = 1",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
            "        slope = self.alpha * np.expm1(np.minimum(self._x, 0.0)) + 1.0\n",
        ),
        expect=("derivative-wrong-form",),
        phrases=("alpha * exp(x)", "alpha e^x", "alpha exp(x)", "1 - alpha", "alpha = 1"),
    ),
    fresh(
        "hh-selu-forward-scale-rounded",
        "activations.SELU",
        "forward multiplies by 1.051, the scale rounded as on a lecture slide, instead of self.scale "
        "(1.0507009873554804934193349852946); backward still uses the exact scale",
        ("        return self.scale * self._elu.forward(x)\n", "        return 1.051 * self._elu.forward(x)\n"),
        expect=("formula-constant", "rounded-constant"),
        phrases=("1.0507", "self.scale", "rounded", "full precision", "digits"),
    ),
    fresh(
        "hh-selu-backward-alpha-for-scale",
        "activations.SELU",
        "backward multiplies the upstream gradient by self.alpha where self.scale belongs: the two SELU "
        "constants confused",
        (
            "        return self._elu.backward(self.scale * grad_y)\n",
            "        return self._elu.backward(self.alpha * grad_y)\n",
        ),
        expect=("selu-constants",),
        phrases=("self.scale", "scale, not alpha", "1.0507", "scale factor", "alpha instead"),
    ),
    fresh(
        "hh-gelu-input-saved-in-tanh-branch-only",
        "activations.GELU",
        "forward saves self._x inside the tanh branch only: the exact form's backward then reads an input "
        "that was never saved (or a stale one from an earlier tanh call)",
        (
            '        self._x = x\n        if self.approximate == "tanh":\n',
            '        if self.approximate == "tanh":\n            self._x = x\n',
        ),
        expect=("state-not-saved", "saved-none"),
        phrases=("self._x", "both branches", "every branch", "never saved", "before the if"),
    ),
    fresh(
        "hh-gelu-cdf-math-erf",
        "activations.GELU",
        "Phi is written 0.5 * (1 + math.erf(x / sqrt 2)): math.erf takes one Python number, not an array "
        "(the module's vectorised erf / erfc are the ones to use)",
        (_GELU_CDF, "        self._cdf = 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))\n"),
        expect=("math-function-on-array",),
        phrases=("math.erf", "erfc", "element-wise", "elementwise", "vectorised"),
    ),
    fresh(
        "hh-gelu-tanh-inner-slope-drops-one",
        "activations.GELU",
        "the tanh form's inner derivative is written sqrt(2/pi) * 3 * 0.044715 x^2: the derivative of the "
        "linear term x, the 1 in (1 + 3 * 0.044715 x^2), is dropped",
        (
            "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n",
            "            inner_slope = SQRT_2_OVER_PI * 3.0 * GELU_KAPPA * xc * xc\n",
        ),
        expect=("gelu-tanh-inner-slope", "derivative-wrong-form"),
        phrases=("1 + 3", "derivative of x", "1 +", "inner derivative", "chain rule"),
    ),
    fresh(
        "hh-silu-sigmoid-of-negated-input",
        "activations.SiLU",
        "forward computes s with self._sigmoid.forward(-x), the e^-x of the formula moved into the argument: "
        "s is sigmoid(-x), so y = x sigmoid(-x) and the backward built on s is wrong too",
        ("        self._s = self._sigmoid.forward(x)\n", "        self._s = self._sigmoid.forward(-x)\n"),
        # added after reading output: "sigmoid-exponent-sign": x sigmoid(-x) is x / (1 + e^x), the e^x of the
        # sigmoid where e^-x belongs; the grader names that sign, the same mistake
        expect=("sign-flipped", "sigmoid-exponent-sign"),
        phrases=("sigmoid(x)", "sigmoid(-x)", "minus sign", "negated", "sign of the argument"),
    ),
    fresh(
        "hh-softplus-max-term-of-x",
        "activations.Softplus",
        "the stable form's max term is np.maximum(x, 0) where z = beta * x belongs: the log term uses z, the "
        "max term does not, so the result is wrong whenever beta is not 1",
        (
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
            "        soft = (np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
        ),
        expect=("softplus-beta-missing",),
        phrases=("max(z, 0)", "beta * x", "beta x", "z, not x", "max(beta"),
    ),
    fresh(
        "hh-softmax-backward-einsum-rows",
        "activations.Softmax",
        'backward sums grad_y * y with np.einsum("ij,ij->i", ...)[:, None], written for a 2-D batch '
        "normalised along its last axis: wrong for dim=0 and unusable for input with other than two axes",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            '        return y * (grad_y - np.einsum("ij,ij->i", grad_y, y)[:, None])\n',
        ),
        expect=("softmax-backward-wrong-axis",),
        phrases=("self.dim", "along dim", "2-d", "two-dimensional", "any number of axes"),
    ),
    fresh(
        "hh-logsoftmax-log1p-of-sum",
        "activations.LogSoftmax",
        "the log-sum-exp takes np.log1p of the sum of exponentials, log1p being 'the stable log': it computes "
        "log(1 + sum), one too many inside the log",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.log1p(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        ),
        expect=("log1p-for-log", "log1p-as-log"),
        phrases=("log1p", "log(1 +", "np.log", "plus one", "adds 1"),
    ),
    fresh(
        "hh-maxout-matmul-with-transposed-3d-weight",
        "activations.Maxout",
        "z is computed as x @ weight.T + bias, as in Linear: for the (K, M, D) weight .T reverses all three "
        "axes into (D, M, K), and the product does not give z (N, K, M)",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
            "        z = x @ self.weight.data.T + self.bias.data\n",
        ),
        expect=("axes-permuted", "transposed"),
        phrases=("reverses all", "every axis", "three axes", "3-d", "einsum"),
    ),
    fresh(
        "hh-step-returns-booleans",
        "activations.Step",
        "forward returns the comparison x > 0 itself: a boolean array where the API asks for float64 1.0 / 0.0",
        ("        return (x > 0).astype(np.float64)\n", "        return x > 0\n"),
        # added after reading output: "boolean-result": the grader names the comparison returned as booleans
        expect=("integer-dtype", "wrong-type", "boolean-result"),
        phrases=("float64", "boolean", "bool", "1.0", "astype"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hh-linear-output-squeezed",
        "layers.Linear",
        "forward squeezes x @ W.T to drop 'extra' axes: with out_features = 1 (or one sample) the output loses "
        "its length-1 axis, (N,) instead of (N, 1)",
        ("        y = x @ self.weight.data.T\n", "        y = np.squeeze(x @ self.weight.data.T)\n"),
        expect=("squeezed-output",),
        phrases=("squeeze", "(n, 1)", "(n, m)", "length-1 axis", "keep the axis"),
    ),
    fresh(
        "hh-linear-weight-gradient-into-data",
        "layers.Linear",
        "backward adds grad_y.T @ x into weight.data instead of weight.grad: the weights move (uphill) during "
        "backward and the weight gradient stays zero",
        ("        self.weight.grad += grad_y.T @ self._x\n", "        self.weight.data += grad_y.T @ self._x\n"),
        # added after reading output (tag-vocabulary audit): backward-not-repeatable
        expect=("data-for-grad", "backward-not-repeatable"),
        phrases=("weight.grad", ".grad", "not .data", "gradient, not", "parameter's value"),
    ),
    fresh(
        "hh-conv-grad-y-dot-t",
        "layers.Conv2d",
        "backward lays grad_y out as (F, N*H'*W') with grad_y.T.reshape(...): on a 4-D array .T reverses all "
        "four axes (W', H', F, N) instead of swapping the first two, so the columns no longer match cols",
        (
            "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
            "        G = grad_y.T.reshape(F, N * Ho * Wo)\n",
        ),
        expect=("axes-permuted",),
        phrases=(".t reverses", "reverses all", "transpose(1, 0, 2, 3)", "first two axes", "every axis"),
    ),
    fresh(
        "hh-conv-weight-matrix-fortran-order",
        "layers.Conv2d",
        'forward flattens the kernel with reshape(F, -1, order="F") (MATLAB\'s column-major habit): each row '
        "runs over (c, i, j) with c fastest, while the rows of cols run in row-major (c, i, j) order",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
            '        y = self.weight.data.reshape(self.out_channels, -1, order="F") @ self._cols\n',
        ),
        expect=("flatten-column-major", "axes-permuted"),
        phrases=("row-major", "c order", "order=", "column-major", "fortran"),
    ),
    fresh(
        "hh-conv-dcols-from-weight-grad",
        "layers.Conv2d",
        "the input gradient is built from weight.grad (the accumulated gradient) instead of weight.data, the "
        "filters the forward used",
        (
            "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
            "        dcols = self.weight.grad.reshape(F, -1).T @ G\n",
        ),
        expect=("parameter-grad-for-data",),
        phrases=("weight.data", "weight values", "not its gradient", "the filters", "the weights themselves"),
    ),
    fresh(
        "hh-maxpool-fancy-index-add-drops-repeats",
        "layers.MaxPool2d",
        "backward scatters each window's gradient with one fancy-indexed grad_x[n, c, rows, cols] += grad_y: "
        "numpy applies a repeated index once, so an entry that is the maximum of several overlapping windows "
        "gets one window's gradient (np.add.at accumulates)",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "        grad_x = np.zeros(self._x_shape)\n"
            "        N, C = grad_y.shape[:2]\n"
            "        rows = np.arange(Ho)[:, None] * sH + self._argmax // kW  # (N, C, H', W')\n"
            "        cols = np.arange(Wo)[None, :] * sW + self._argmax % kW\n"
            "        n = np.arange(N)[:, None, None, None]\n"
            "        c = np.arange(C)[None, :, None, None]\n"
            "        grad_x[n, c, rows, cols] += grad_y\n",
        ),
        expect=("overlap-overwritten", "fancy-index-accumulate"),
        phrases=("np.add.at", "add.at", "repeated ind", "duplicate", "only once"),
    ),
    fresh(
        "hh-maxpool-windows-channels-last",
        "layers.MaxPool2d",
        "forward slides the window over axes (1, 2), TensorFlow's (N, H, W, C) layout, where the API's images "
        "are (N, C, H, W) and the windows move over axes 2 and 3",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        windows = sliding_window_view(x, (kH, kW), axis=(1, 2))[:, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
        ),
        expect=("channels-last-layout",),
        phrases=("(n, c, h, w)", "channels first", "axes 2 and 3", "axis=(2, 3)", "nhwc"),
    ),
    fresh(
        "hh-avgpool-ellipsis-slices-window-axes",
        "layers.AvgPool2d",
        "the stride is applied with [..., ::sH, ::sW]: the ellipsis makes the slices act on the last two axes, "
        "the window's own (kH, kW), instead of the window positions (axes 2 and 3)",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[..., ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
        ),
        expect=("ellipsis-indexes-last-axes", "window-slice-bounds"),
        phrases=("ellipsis", "last two axes", "window positions", "[:, :, ::sh, ::sw]", "kernel axes"),
    ),
    fresh(
        "hh-avgpool-share-divides-caller-gradient",
        "layers.AvgPool2d",
        "backward takes share = grad_y and divides it in place (share /= kH * kW): the caller's grad_y array "
        "is divided too",
        ("        share = grad_y / (kH * kW)\n", "        share = grad_y\n        share /= kH * kW\n"),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
    fresh(
        "hh-flatten-sizes-summed",
        "layers.Flatten",
        "forward reshapes to (N, sum(x.shape[1:])): the flattened length is the product of the sizes, not their sum",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.reshape(x.shape[0], sum(x.shape[1:]))\n"),
        expect=("sum-for-product",),
        phrases=("product", "prod", "multipl", "not the sum", "d1*d2"),
    ),
    fresh(
        "hh-flatten-backward-restores-from-axis-two",
        "layers.Flatten",
        "backward reshapes to (-1, *x_shape[2:]), a slice one axis too late: the batch and the first feature "
        "axis are merged instead of restoring the input's shape",
        (
            "        grad_x = grad_y.reshape(self._x_shape)\n",
            "        grad_x = grad_y.reshape(-1, *self._x_shape[2:])\n",
        ),
        expect=("slice-off-by-one",),
        phrases=("shape[1:]", "input's shape", "x_shape", "off by one", "off-by-one"),
    ),
    fresh(
        "hh-dropout-mask-tested-for-truth",
        "layers.Dropout",
        "backward tests `if self._mask` to know whether forward ran in training: the mask is an array, whose "
        "truth cannot stand for `is not None`",
        (
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
            "        grad_x = grad_y * self._mask if self._mask else grad_y\n",
        ),
        expect=("truthiness-of-array",),
        phrases=("is none", "is not none", "if self._mask", "truthiness", "none test"),
    ),
    fresh(
        "hh-dropout-mask-drawn-twice",
        "layers.Dropout",
        "the keep test is written out twice, once for the saved mask and once for the output: two draws, so "
        "backward multiplies by a different mask from the one forward applied",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n"
            "            y = x * self._mask\n",
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = (self.rng.random(x.shape) >= self.p) * scale\n"
            "            y = x * (self.rng.random(x.shape) >= self.p) * scale\n",
        ),
        expect=("mask-drawn-twice", "dropout-new-mask-in-backward"),
        phrases=("same mask", "drawn twice", "two draws", "saved mask", "one mask"),
    ),
]

_BN_VAR = "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"

BATCHNORM = [
    fresh(
        "hh-bn1d-statistics-per-sample",
        "layers.BatchNorm1d",
        "the mean and variance are taken over axis 1, each sample's features (layer normalisation), instead "
        "of per channel over the batch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    ("            mean = x.mean(axis=axes)\n", "            mean = x.mean(axis=1)\n"),
                    (_BN_VAR, "            var = x.var(axis=1)\n"),
                ]
            },
        ),
        expect=("bn-wrong-axes",),
        phrases=("over the batch", "axis 0", "per channel", "layer norm", "each sample"),
    ),
    fresh(
        "hh-bn1d-gamma-beta-gradients-swapped",
        "layers.BatchNorm1d",
        "backward adds sum(grad_y * x_hat) into bias.grad and sum(grad_y) into weight.grad: the two parameter "
        "gradients go to each other's parameter",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                        "        self.bias.grad += grad_y.sum(axis=axes)\n",
                        "        self.bias.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                        "        self.weight.grad += grad_y.sum(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("gradients-swapped", "saved-values-swapped"),
        phrases=("swapped", "exchanged", "weight.grad", "bias.grad", "the other parameter"),
    ),
    fresh(
        "hh-bn2d-statistics-channels-last",
        "layers.BatchNorm2d",
        "the statistics are taken over axes (0, 1, 2), TensorFlow's channels-last convention: for (N, C, H, W) "
        "that gives one value per column W, not one per channel (axis 1)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    ("            mean = x.mean(axis=axes)\n", "            mean = x.mean(axis=(0, 1, 2))\n"),
                    (_BN_VAR, "            var = x.var(axis=(0, 1, 2))\n"),
                ]
            },
        ),
        expect=("channels-last-layout", "bn-wrong-axes"),
        phrases=("(n, c, h, w)", "axis 1", "(0, 2, 3)", "channels first", "nhwc"),
    ),
    fresh(
        "hh-bn2d-shift-inside-scale",
        "layers.BatchNorm2d",
        "forward computes (x_hat + beta) * gamma: the shift is added before the scale, so beta is multiplied "
        "by gamma (and the unchanged backward no longer matches)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        y = (self._x_hat + self.bias.data.reshape(shape)) * self.weight.data.reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("operator-precedence", "affine-order"),
        phrases=("gamma * x_hat + beta", "weight * x_hat + bias", "added after", "not scaled", "scale, then"),
    ),
    fresh(
        "hh-bn2d-mode-tested-with-train-method",
        "layers.BatchNorm2d",
        "forward chooses the batch statistics with `if self.train:`, the method, where the flag self.training "
        "belongs: a bound method is always true, so eval mode still normalises with the batch and moves the "
        "running statistics",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("        if self.training:\n            mean", "        if self.train:\n            mean")]},
        ),
        expect=("bn-batch-stats-in-eval", "method-not-called"),
        phrases=("self.training", "bound method", "always true", "eval mode", "running statistics"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
_BCE_LOGS = (
    "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
)

LOSSES = [
    fresh(
        "hh-mse-squares-saved-difference-in-place",
        "losses.MSELoss",
        "forward squares self._diff in place (self._diff **= 2) before averaging: backward then computes "
        "2 (x - t)^2 / M from the squared difference it finds saved",
        (
            "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
            "        self._diff = x - t\n        self._diff **= 2\n        loss = np.mean(self._diff)\n",
        ),
        expect=(
            "backward-mutates-saved-state",
            "saved-state-overwritten",
            "mse-grad-of-squares",  # the last tag added after reading output
        ),
        phrases=("in place", "self._diff", "squared", "x - t", "overwrit"),
    ),
    fresh(
        "hh-mse-variance-of-error",
        "losses.MSELoss",
        "forward returns np.var(x - t), taken for the mean squared error: the variance subtracts the mean "
        "error first, so a constant offset between input and target costs nothing",
        ("        loss = np.mean(self._diff**2)\n", "        loss = np.var(self._diff)\n"),
        expect=("variance-for-mse",),
        phrases=("np.var", "mean error", "subtracts the mean", "(x - t)^2", "variance"),
    ),
    fresh(
        "hh-bce-logs-base-two",
        "losses.BCELoss",
        "both logs are np.log2 (cross-entropy in bits, from an information-theory course): the loss is 1/ln 2 "
        "times too large and no longer matches its natural-log gradient",
        (
            _BCE_LOGS,
            "            log_p = np.maximum(np.log2(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log2(1.0 - p), LOG_CLAMP)\n",
        ),
        expect=("wrong-log-base",),
        phrases=("natural log", "np.log", "log2", "base 2", "bits"),
    ),
    fresh(
        "hh-bce-clamp-after-target-product",
        "losses.BCELoss",
        "the -100 clamp is applied to t * log p and (1 - t) * log(1 - p) instead of to each log: at p = 0 or "
        "p = 1 the product 0 * -inf is nan before any clamp",
        (
            _BCE_LOGS + "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "            log_p = np.log(p)\n"
            "            log_1mp = np.log1p(-p)\n"
            "        loss = -np.mean(np.maximum(t * log_p, LOG_CLAMP) + np.maximum((1.0 - t) * log_1mp, LOG_CLAMP))\n",
        ),
        expect=("bce-clamp",),
        phrases=("0 * -inf", "nan", "each log", "before multiplying", "clamp the log"),
    ),
    fresh(
        "hh-bce-logits-clipped-logits",
        "losses.BCEWithLogitsLoss",
        "forward clips the logits to [-30, 30] 'to avoid overflow', although the stable form needs no clip: "
        "a logit beyond 30 is charged as if it were 30",
        (
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n",
            "        x = np.clip(x, -30.0, 30.0)\n        z = np.exp(-np.abs(x))\n",
        ),
        expect=("input-clipped",),
        phrases=("clip", "large logits", "any finite", "no clip", "beyond 30"),
    ),
    fresh(
        "hh-bce-logits-linear-term-added",
        "losses.BCEWithLogitsLoss",
        "the stable loss adds x t instead of subtracting it: max(x, 0) + x t + log(1 + e^-|x|)",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) + x * t + np.log1p(z))\n",
        ),
        expect=("sign-flipped", "bce-term-sign"),  # added after reading output
        phrases=("- x * t", "minus", "sign", "subtract", "x t"),
    ),
    fresh(
        "hh-ce-targets-taken-as-one-hot",
        "losses.CrossEntropyLoss",
        "forward computes -sum(target * log_probs) / N, Keras' categorical cross-entropy on one-hot targets: "
        "the API's targets are (N,) class indices, which broadcast along the classes axis",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.sum(target * log_probs) / N\n",
        ),
        # added after reading output (tag-vocabulary audit): ce-target-not-selected
        expect=("one-hot-target-assumed", "ce-target-not-selected"),
        phrases=("class indices", "integer labels", "one-hot", "(n,)", "index"),
    ),
    fresh(
        "hh-ce-backward-true-class-set-to-minus-one",
        "losses.CrossEntropyLoss",
        "backward assigns -1 at each row's true class (grad[rows, labels] = -1) instead of subtracting 1 from "
        "the probability there: the true class's gradient loses its p",
        ("        grad[np.arange(N), self._labels] -= 1.0\n", "        grad[np.arange(N), self._labels] = -1.0\n"),
        # added after reading output (tag-vocabulary audit): correct-class-wrong
        expect=("assigned-not-subtracted", "correct-class-wrong"),
        phrases=("p - 1", "subtract", "-= 1", "probability minus", "minus the one-hot"),
    ),
    fresh(
        "hh-hinge-slack-in-caller-array",
        "losses.HingeLoss",
        "the slack is built in x itself (slack = x; slack -= true scores; slack += margin; slack[rows, "
        "labels] = 0): the caller's score array is overwritten",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
            "        slack = x\n        slack -= x[rows, self._labels][:, None]\n        slack += self.margin\n",
        ),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
    fresh(
        "hh-hinge-true-class-mean-of-violations",
        "losses.HingeLoss",
        "the true class's gradient is minus the mean of the row's active classes instead of minus their count "
        "(the sum): it is divided by C once too often",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -self._active.mean(axis=1)\n",
        ),
        expect=("mean-for-sum",),
        phrases=("sum", "count", "number of violating", "not the mean", "divided by c"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hh-sgd-decoupled-weight-decay",
        "optimizers.SGD",
        "weight decay shrinks p.data directly (p -= lr * weight_decay * p, AdamW's idea) instead of joining the "
        "gradient: with momentum the decay never enters the velocity",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n",
            "            if self.weight_decay != 0:\n"
            "                p.data -= self.lr * self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n",
        ),
        # added after reading output: weight-decay-after-momentum (the same numbers in every case)
        expect=("adam-decoupled-decay", "weight-decay-not-accumulated", "weight-decay-after-momentum"),
        phrases=("added to the gradient", "l2", "momentum buffer", "coupled", "velocity"),
    ),
    fresh(
        "hh-sgd-buffer-stored-under-other-key",
        "optimizers.SGD",
        'the velocity is stored as state["momentum"] but read back from state["momentum_buffer"]: the key '
        "typo means the buffer is always None, so every step restarts the velocity at g",
        ('                state["momentum_buffer"] = buf\n', '                state["momentum"] = buf\n'),
        expect=("state-reset",),
        phrases=("momentum_buffer", "key", "never read", "read back", "typo"),
    ),
    fresh(
        "hh-adagrad-decay-coefficient-lr-decay",
        "optimizers.Adagrad",
        "the L2 term is g + lr_decay * p: the neighbouring hyper-parameter lr_decay is used where weight_decay belongs",
        (
            '                g = g + self.weight_decay * p.data\n            state["sum"] = state["sum"] + g * g\n',
            '                g = g + self.lr_decay * p.data\n            state["sum"] = state["sum"] + g * g\n',
        ),
        expect=("wrong-hyperparameter", "weight-decay-ignored"),
        phrases=("weight_decay", "lr_decay", "wrong hyper-parameter", "l2 coefficient"),
    ),
    fresh(
        "hh-adagrad-returns-inside-loop",
        "optimizers.Adagrad",
        "step ends its loop body with `return p.data`, as if step handed back the new weights: it returns "
        "after the first parameter, and the others are never updated",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n            return p.data\n',
        ),
        expect=("return-inside-loop",),
        phrases=("every parameter", "first parameter", "return", "inside the loop", "only the first"),
    ),
    fresh(
        "hh-rmsprop-centered-mean-in-local",
        "optimizers.RMSprop",
        'centered mode computes the gradient average into a local grad_avg and never stores it in state["grad_avg"]: '
        "every step starts again from zero, so m is (1 - alpha) g",
        (
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
            "                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n"
            "                # (PyTorch would produce nan there).\n"
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                grad_avg = a * state["grad_avg"] + (1.0 - a) * g\n'
            '                variance = np.maximum(state["square_avg"] - grad_avg ** 2, 0.0)\n',
        ),
        expect=("result-discarded", "state-reset"),
        phrases=("grad_avg", "never stored", "stored", "between steps", "running mean"),
    ),
    fresh(
        "hh-rmsprop-default-alpha-keras",
        "optimizers.RMSprop",
        "the constructor's default alpha is 0.9, Keras' rho, where PyTorch's (and the API's) is 0.99",
        ("        alpha: float = 0.99,\n", "        alpha: float = 0.9,\n"),
        expect=("default-changed",),
        phrases=("0.99", *_DEFAULT),
    ),
    fresh(
        "hh-adadelta-step-average-from-square-average",
        "optimizers.Adadelta",
        'the running average of squared steps is updated from rho * state["square_avg"] (copied from the line '
        'above) instead of rho * state["acc_delta"], its own previous value',
        (
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
            '            state["acc_delta"] = rho * state["square_avg"] + (1.0 - rho) * delta * delta\n',
        ),
        expect=("copy-paste-wrong-state",),
        phrases=("acc_delta", "its own previous", "square_avg", "u <-", "average of the steps"),
    ),
    fresh(
        "hh-adadelta-default-rho-paper",
        "optimizers.Adadelta",
        "the constructor's default rho is 0.95, the paper's (and Keras') value, where PyTorch's (and the API's) is 0.9",
        ("        rho: float = 0.9,\n", "        rho: float = 0.95,\n"),
        expect=("default-changed",),
        phrases=("0.9", *_DEFAULT),
    ),
    fresh(
        "hh-adam-first-moment-in-local",
        "optimizers.Adam",
        'the first moment is computed into a local m and the step uses it, but state["exp_avg"] is never '
        "updated: every step's m is (1 - beta1) g, with no memory of earlier gradients",
        span(
            "optimizers",
            (
                '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
                '            m = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            ),
            (
                '            p.data -= step_size * (state["exp_avg"] / denom)\n',
                "            p.data -= step_size * (m / denom)\n",
            ),
        ),
        expect=("result-discarded", "state-reset"),
        phrases=("exp_avg", "never stored", "stored", "between steps", "first moment"),
    ),
    fresh(
        "hh-adam-amsgrad-max-with-first-moment",
        "optimizers.Adam",
        'amsgrad keeps the running maximum of state["exp_avg"], the first moment, instead of v, the second '
        "moment it replaces in the denominator",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], state["exp_avg"])\n',
        ),
        expect=("copy-paste-wrong-state", "amsgrad-wrong-operand"),
        phrases=("exp_avg_sq", "second moment", "max(v_max, v)", "squared", "v_max"),
    ),
    fresh(
        "hh-adamw-decay-without-return",
        "optimizers.AdamW",
        "AdamW's _decay shrinks p.data but has no return statement: it returns None, and Adam's step computes "
        "its moments from None",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
        ),
        expect=("returns-none",),
        phrases=("return g", "returns none", "return the gradient", "no return"),
    ),
    fresh(
        "hh-adamw-decay-by-gradient",
        "optimizers.AdamW",
        "the decoupled decay subtracts lr * weight_decay * p.grad, the gradient, where the weights p.data "
        "themselves are to be shrunk",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data -= self.lr * self.weight_decay * p.grad\n",
        ),
        expect=("grad-for-data", "weight-decay-on-gradient"),  # added after reading output
        phrases=("p.data", "the weights", "not the gradient", "weights themselves", "shrinks the weights"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hh-fans-fan-out-from-input-axis",
        "init.fan_in_and_fan_out",
        "fan_out is written shape[1] * receptive_field, copied from the fan_in line: the outputs are axis 0, "
        "so fan_out comes out equal to fan_in",
        ("    fan_out = shape[0] * receptive_field\n", "    fan_out = shape[1] * receptive_field\n"),
        expect=("fan-out-wrong-axis", "fans-swapped"),
        phrases=("shape[0]", "out_channels", "outputs", "first axis", "axis 0"),
    ),
    fresh(
        "hh-xavier-uniform-channels-as-fans",
        "init.xavier_uniform",
        "the fans are taken as shape[1], shape[0], the channel counts: a convolution weight's receptive field "
        "kH * kW is left out of both",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    bound",
            "    fan_in, fan_out = shape[1], shape[0]\n    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound",
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field", "kernel size", "fan_in_and_fan_out", "kh * kw", "k1 * k2"),
    ),
    fresh(
        "hh-xavier-normal-root-of-numerator-only",
        "init.xavier_normal",
        "std is written gain * sqrt(2) / (fan_in + fan_out): the square root covers the numerator only, not "
        "the fraction 2 / (fan_in + fan_out)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0) / (fan_in + fan_out)\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("sqrt-missing", "operator-precedence", "root-scope"),  # added after reading output
        phrases=("sqrt(2 / (fan_in + fan_out))", "whole fraction", "square root of the", "denominator", "parenthes"),
    ),
    fresh(
        "hh-kaiming-uniform-default-a-from-linear",
        "init.kaiming_uniform",
        "the default negative slope is a = sqrt(5), copied from PyTorch's Linear reset_parameters, where "
        "kaiming_uniform's own default is a = 0 (ReLU's gain sqrt 2)",
        (
            "    a: float = 0.0,\n"
            '    mode: str = "fan_in",\n'
            '    nonlinearity: str = "leaky_relu",\n'
            "    rng: np.random.Generator | None = None,\n"
            ") -> np.ndarray:\n"
            '    """A new float64 array from ``U(-b, b)``',
            "    a: float = math.sqrt(5),\n"
            '    mode: str = "fan_in",\n'
            '    nonlinearity: str = "leaky_relu",\n'
            "    rng: np.random.Generator | None = None,\n"
            ") -> np.ndarray:\n"
            '    """A new float64 array from ``U(-b, b)``',
        ),
        expect=("default-changed",),
        phrases=("a = 0", "a=0", "default", "sqrt(5)", "relu's gain"),
    ),
    fresh(
        "hh-kaiming-normal-gain-arguments-swapped",
        "init.kaiming_normal",
        "the gain is requested as calculate_gain(a, nonlinearity): the positional arguments are in the wrong "
        "order, the slope taken for the nonlinearity's name",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
            "    gain = calculate_gain(a, nonlinearity)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
        ),
        expect=("gain-arguments",),
        phrases=("argument order", "calculate_gain(nonlinearity, a)", "nonlinearity first", "swapped", "positional"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hh-minibatches-mutable-default-list",
        "training.minibatches",
        "the batch list is a default argument, batches: list = []: the default is created once, so every call "
        "appends to the batches of all the earlier calls",
        span(
            "training",
            (
                "    rng: np.random.Generator | None = None,\n) -> Iterator[tuple[np.ndarray, np.ndarray]]:\n",
                "    rng: np.random.Generator | None = None,\n"
                "    batches: list = [],\n"
                ") -> Iterator[tuple[np.ndarray, np.ndarray]]:\n",
            ),
            ("    batches: list[tuple[np.ndarray, np.ndarray]] = []\n", ""),
        ),
        expect=("mutable-default-argument",),
        phrases=("mutable default", "default argument", "shared between calls", "new list", "every call"),
    ),
    fresh(
        "hh-minibatches-batch-count-true-division",
        "training.minibatches",
        "the batches are counted with range(len(X) / size): true division gives a float, which range does not "
        "take (and the remainder batch would need ceil, not floor)",
        (
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "    for b in range(len(X) / size):\n"
            "        batches.append((X[b * size : (b + 1) * size], y[b * size : (b + 1) * size]))\n",
        ),
        expect=("true-division-for-count",),
        phrases=("//", "integer division", "float", "ceil", "true division"),
    ),
    fresh(
        "hh-fit-loss-item",
        "training.fit",
        "the epoch total adds loss.item(), PyTorch's tensor idiom: a loss returns a Python float, which has no "
        "item method (float(loss) works for both float and numpy scalars)",
        ("            total += float(loss) * len(X_batch)\n", "            total += loss.item() * len(X_batch)\n"),
        expect=("pytorch-idiom",),
        phrases=(".item()", "python float", "float(loss)", "pytorch", "tensor"),
    ),
    fresh(
        "hh-fit-calls-model-object",
        "training.fit",
        "the loop calls model(X_batch) instead of model.forward(X_batch): modules need not be callable, "
        "library code uses forward by name",
        ("            output = model.forward(X_batch)\n", "            output = model(X_batch)\n"),
        expect=("layer-called",),
        phrases=("forward(", "callable", "__call__", "by name", "duck"),
    ),
    fresh(
        "hh-fit-weighted-by-entries",
        "training.fit",
        "each batch loss is weighted by X_batch.size, the number of entries, instead of len(X_batch), the "
        "number of samples: with D features per sample every epoch mean is D times too large",
        ("            total += float(loss) * len(X_batch)\n", "            total += float(loss) * X_batch.size\n"),
        expect=("batch-size-weight",),
        phrases=("len(x_batch)", "number of samples", "rows", ".size", "entries"),
    ),
]

# ----------------------------------------------------------------------------------------- models
_PERCEPTRON_LOOP = (
    "            for x, target in zip(X, y, strict=True):\n                if self.update(x, target) != 0.0:\n"
)

MODELS = [
    fresh(
        "hh-perceptron-fit-loop-rebinds-y",
        "models.Perceptron",
        "fit's loop is written `for x, y in zip(X, y)`: the loop variable rebinds y, so after the first epoch "
        "y holds the last target and the next epoch cannot zip over it",
        (
            _PERCEPTRON_LOOP,
            "            for x, y in zip(X, y, strict=True):\n                if self.update(x, y) != 0.0:\n",
        ),
        expect=("name-shadowed",),
        phrases=("shadow", "rebind", "overwrit", "second epoch", "loop variable"),
    ),
    fresh(
        "hh-perceptron-fit-skips-last-sample",
        "models.Perceptron",
        "fit visits the samples with range(len(X) - 1): the last sample is never updated on, and an epoch "
        "counts as clean although it was never checked",
        (
            _PERCEPTRON_LOOP,
            "            for i in range(len(X) - 1):\n                if self.update(X[i], y[i]) != 0.0:\n",
        ),
        expect=("loop-off-by-one",),
        phrases=("last sample", "range(len(x))", "every sample", "off by one", "off-by-one"),
    ),
    fresh(
        "hh-sequential-parameters-method-not-called",
        "models.Sequential",
        "parameters() iterates over layer.parameters, the bound method, without calling it",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [p for layer in self.layers for p in layer.parameters]\n",
        ),
        expect=("method-not-called",),
        phrases=("parentheses", "parameters()", "not called", "call the method", "bound method"),
    ),
    fresh(
        "hh-sequential-train-sets-flag-only",
        "models.Sequential",
        "train() sets layer.training = True on each layer instead of calling layer.train(): a nested "
        "container's own layers (and any module whose train() does more) are not switched",
        (
            "        self.training = True\n        for layer in self.layers:\n            layer.train()\n",
            "        self.training = True\n        for layer in self.layers:\n            layer.training = True\n",
        ),
        expect=("train-eval",),
        phrases=("layer.train()", "call train", "nested", "propagat", "its own train"),
    ),
    fresh(
        "hh-sequential-eval-leaves-container-flag",
        "models.Sequential",
        "eval() switches every layer but never sets the container's own training flag to False",
        (
            "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
            "        for layer in self.layers:\n            layer.eval()\n",
        ),
        expect=("train-eval",),
        phrases=("self.training", "container", "false after eval", "its own flag", "training attribute"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hh-numgrad-nditer-values-as-indices",
        "gradcheck.numerical_gradient",
        "the loop runs over np.nditer(x), which yields the entries' values, and uses them as indices: "
        "np.ndindex(x.shape) yields the positions",
        ("    for index in np.ndindex(x.shape):\n", "    for index in np.nditer(x):\n"),
        expect=("values-for-indices",),
        phrases=("indices", "values", "np.ndindex", "multi_index", "positions"),
    ),
    fresh(
        "hh-numgrad-probe-assigned-step",
        "gradcheck.numerical_gradient",
        "the probes set the entry to h and to -h (x[i] = h) instead of moving it by h (x[i] = original + h): "
        "the difference is the secant through +-h, not the derivative at x",
        (
            "        x[index] = original + h\n        f_plus = float(f(x))\n        x[index] = original - h\n",
            "        x[index] = h\n        f_plus = float(f(x))\n        x[index] = -h\n",
        ),
        expect=("probe-wrong-point",),
        phrases=("original + h", "x + h", "adds h", "around x", "set to h"),
    ),
    fresh(
        "hh-relerr-floor-added",
        "gradcheck.relative_error",
        "the denominator is |a| + |b| + 1e-8, an epsilon added, where the API floors it with "
        "max(1e-8, |a| + |b|): near zero the two differ by up to a factor of 2",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)\n",
        ),
        expect=("epsilon-added-not-floored",),
        phrases=("max(1e-8", "floor", "np.maximum", "added", "near zero"),
    ),
    fresh(
        "hh-relerr-returns-pass-flag",
        "gradcheck.relative_error",
        "the function returns whether the error is below 1e-7, a bool, instead of the largest relative error "
        "itself as a float",
        ("    return float(np.max(ratio))\n", "    return bool(np.max(ratio) < 1e-7)\n"),
        # added after reading output: "boolean-result": the grader names the comparison returned as a boolean
        expect=("wrong-type", "boolean-result"),
        phrases=("a float", "the error itself", "threshold", "bool", "pass/fail"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
_EPOCH_FIT = "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
_EPOCH_VAL = "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"

EARLY_STOPPING = [
    fresh(
        "hh-early-stopping-validates-before-training",
        "early_stopping.fit_early_stopping",
        "each epoch evaluates the validation loss before its training epoch: the loss recorded (and judged) "
        "for epoch k is that of the weights after epoch k - 1, while the saved state is after epoch k",
        (_EPOCH_FIT + _EPOCH_VAL, _EPOCH_VAL + _EPOCH_FIT),
        expect=("call-order", "restores-wrong-epoch"),
        phrases=("after the epoch", "before training", "previous weights", "after fit", "one epoch behind"),
    ),
    fresh(
        "hh-early-stopping-stopped-epoch-set-after-loop",
        "early_stopping.fit_early_stopping",
        "after the loop the function records history.stopped_epoch = epoch unconditionally: a run that used "
        "all max_epochs reports a stop although patience never ran out (stopped_epoch must stay None)",
        (
            "    if restore_best and best_state is not None:\n",
            "    history.stopped_epoch = epoch\n    if restore_best and best_state is not None:\n",
        ),
        expect=("stopped-epoch",),
        phrases=("none", "max_epochs", "all epochs", "patience ran out", "only when"),
    ),
    fresh(
        "hh-early-stopping-maximises-validation-loss",
        "early_stopping.fit_early_stopping",
        "the improvement test is written for a score to maximise (best starts at -inf, improves when "
        "val_loss > best + min_delta, Keras' mode='max'): for a loss, lower is better",
        span(
            "early_stopping",
            ('    best_loss = float("inf")\n', '    best_loss = float("-inf")\n'),
            ("        if val_loss < best_loss - min_delta:\n", "        if val_loss > best_loss + min_delta:\n"),
        ),
        expect=("best-loss-initial-value", "monitor-direction"),
        phrases=("lower is better", "decrease", "minimis", "goes down", "accuracy"),
    ),
    fresh(
        "hh-early-stopping-val-history-gets-train-loss",
        "early_stopping.fit_early_stopping",
        "history.val_losses is appended train_loss (the line above copied): the recorded validation losses "
        "are the training losses, while the stopping test still uses val_loss",
        ("        history.val_losses.append(val_loss)\n", "        history.val_losses.append(train_loss)\n"),
        expect=("wrong-history-list",),
        phrases=("val_losses", "validation loss", "train_loss", "copied", "wrong list"),
    ),
]

FRESH_H: list[Mutant] = [
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
