"""Held-apart set I: fresh student bugs, written blind after sets A, B, C, D, E, F, G and H had been seen.

Sets A (``HELDOUT``) to H (``FRESH_H``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set I was written blind: its author read the reference, docs/api.md, the
catalogue's mutants, the alternatives and sets A to H (for the format, the tag vocabulary and to avoid
copies), but never the diagnosis (graders/judging, graders/reporting, the running doubles, evidence,
feedback audit, the mistake and crash tests), its feedback or its output, and graded none of these bugs
while writing them. They are mistakes students make, chosen from classes the earlier sets hardly touch:
Python and numpy semantics (``x[:]`` taken for a copy as with a list, ``ravel()`` taken for a view,
``astype(bool)`` taken for "positive", ``int()`` on a float hyper-parameter, ``is`` for a number, a bool
used as a tuple index, a ``for ... else`` taken for "no mistake", ``list.append`` assigned, the clauses of
a nested comprehension in the wrong order, a ``reversed`` iterator kept and exhausted, the built-in ``sum``
reducing the first axis only, ``np.max`` of a list for ``np.maximum``, ``//`` on a float total,
``np.unravel_index`` with the shape reversed, ``np.nan_to_num`` for a floor, ``out=`` into the
accumulator, a class attribute for per-instance state, ``dict.get`` under a misspelt key, an ``einsum``
output in the wrong order, a missing ``return`` or ``else`` that lets one branch fall into the next, a
base-class method called by name so the subclass override is bypassed, an argument not passed on to
``super().__init__`` or to ``fit``), shortcuts right only on common inputs (``kH + kW`` for ``kH * kW``,
``np.kron`` upsampling that assumes tiling windows, ``H // stride`` for the output size, ``len(x)`` for
the count, ``pH`` for ``pW``, an unreshaped slope or weight, a column-vector bias, the one-pass variance,
BatchNorm2d's 4-D shape in BatchNorm1d, an ELU slope ``y + 1`` that holds for ``alpha = 1``, the
He ``sqrt(2 / fan)`` that holds for the default gain, a gain inside the root that holds for ``gain = 1``,
one global maximum for the softmax shift), algebra slips (a factor distributed to one term,
``s (1 + x - s)``, a sum of products for a product with a sum, a square root over a whole ratio, half the
L2 decay, a ratio of square roots written as the root of a ratio), and state kept wrongly (an index off
by one into the per-parameter state, the Adagrad accumulator overwritten by its root, a target that
already sits in the list it is compared with, a best value moved by non-improving epochs, a log of a
softmax that underflows, Keras' ``1e-12``-style epsilon inside a log, Keras' accumulator default).
Each is a different edit from the catalogue's and sets A to H's. Ids start with ``hi-``. The ``expect``
tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue tag where
one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 9, on 8b84a95 with sets A to H worked on):
49/77 named (64 %), 12 flagged misleading, 72/77 caught (five grader gaps, one of them no mistake).
Two bugs were dropped after grading (see their comments), so 75 remain.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hi-")  # set I


_IN_PLACE = ("in place", "in-place", "caller's", "overwrit")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hi-tanh-forward-out-into-input",
        "activations.Tanh",
        "forward computes np.tanh(x, out=x) to save an allocation: the result is written into the caller's input",
        ("        self._y = np.tanh(x)\n", "        self._y = np.tanh(x, out=x)\n"),
        expect=("modifies-input",),
        phrases=("out=", *_IN_PLACE),
    ),
    fresh(
        "hi-leakyrelu-backward-input-for-gradient",
        "activations.LeakyReLU",
        "the negative branch of backward returns negative_slope * x (the forward formula) instead of "
        "negative_slope * grad_y: the upstream gradient is dropped there",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return np.where(self._x > 0, grad_y, self.negative_slope * self._x)\n",
        ),
        # added after reading output (tag-vocabulary audit): negative-branch-wrong
        expect=("ignores-upstream-gradient", "negative-branch-wrong"),
        phrases=("grad_y", "upstream", "negative_slope * grad_y", "forward formula", "chain rule"),
    ),
    fresh(
        "hi-gelu-pdf-exponential-squared",
        "activations.GELU",
        "the density is written INV_SQRT_2PI * exp(-0.5 x) ** 2: the square applies to the exponential, giving "
        "e^{-x}, where the exponent itself is -x^2 / 2",
        (
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc) ** 2\n",
        ),
        expect=("gelu-pdf-exponent", "operator-precedence"),
        phrases=("x^2 / 2", "-x^2", "exponent", "e^{-x", "squared"),
    ),
    fresh(
        "hi-softmax-backward-subtracts-into-grad-y",
        "activations.Softmax",
        "backward subtracts the weighted sum from grad_y in place (grad_y -= ...) before multiplying by y: the "
        "caller's upstream gradient is overwritten",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        grad_y -= np.sum(grad_y * y, axis=self.dim, keepdims=True)\n        return y * grad_y\n",
        ),
        expect=("modifies-input", "modifies-grad"),
        phrases=("grad_y", *_IN_PLACE),
    ),
    fresh(
        "hi-relu-mask-nonzero-not-positive",
        "activations.ReLU",
        "the mask is x.astype(bool), taken to mean 'x is positive': casting to bool is True for every non-zero "
        "entry, so negative inputs pass through forward and backward unchanged",
        ("        self._mask = x > 0\n", "        self._mask = x.astype(bool)\n"),
        expect=("nonzero-for-positive",),
        phrases=("x > 0", "non-zero", "nonzero", "negative", "astype(bool)"),
    ),
    fresh(
        "hi-leakyrelu-slope-cast-to-int",
        "activations.LeakyReLU",
        "the constructor stores int(negative_slope), as it would a count: int() truncates 0.01 (and any slope "
        "below 1) to 0, so the layer is a plain ReLU",
        (
            "        self.negative_slope = float(negative_slope)\n",
            "        self.negative_slope = int(negative_slope)\n",
        ),
        expect=("int-truncates-hyperparameter", "hyperparameter-ignored"),
        phrases=("int(", "truncat", "float(", "0.01", "becomes 0"),
    ),
    fresh(
        "hi-prelu-init-argument-ignored",
        "activations.PReLU",
        "the weight is filled with the literal 0.25, PyTorch's default, instead of the init argument: any other "
        "init is ignored",
        (
            "        self.weight = Parameter(np.full(self.num_parameters, float(init)))\n",
            "        self.weight = Parameter(np.full(self.num_parameters, 0.25))\n",
        ),
        expect=("hyperparameter-ignored",),
        phrases=("init", "0.25", "argument", "ignored", "hard-coded"),
    ),
    fresh(
        "hi-elu-backward-output-plus-one",
        "activations.ELU",
        "forward keeps its output y and backward takes the negative branch's slope as y + 1 (e^x - 1 + 1): that "
        "is e^x only for alpha = 1; the slope is alpha e^x = y + alpha",
        span(
            "activations",
            (
                "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        self._y = np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n"
                "        return self._y\n",
            ),
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
                "        slope = self._y + 1.0  # e^x - 1 + 1\n",
            ),
        ),
        expect=("derivative-wrong-form", "alpha-ignored"),
        phrases=("y + alpha", "alpha e^x", "alpha = 1", "alpha * exp", "alpha"),
    ),
    fresh(
        "hi-gelu-tanh-branch-missing-return",
        "activations.GELU",
        "the tanh branch computes y = 0.5 x (1 + t) but does not return it: execution falls through to the exact "
        "formula, so approximate='tanh' returns the exact GELU (while backward uses the tanh derivative)",
        ("            return 0.5 * x * (1.0 + self._t)\n", "            y = 0.5 * x * (1.0 + self._t)\n"),
        expect=("missing-return", "gelu-tanh-approximation"),
        phrases=("return", "falls through", "exact formula", "tanh branch", "approximat"),
    ),
    fresh(
        "hi-silu-derivative-x-dropped-from-s-term",
        "activations.SiLU",
        "backward factors s + x s (1 - s) as s (1 + x - s): the x that multiplies the -s term is lost "
        "(s (1 + x - x s) is the right factoring)",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return grad_y * s * (1.0 + self._x - s)\n",
        ),
        expect=("derivative-wrong-form", "product-rule-x-dropped"),
        phrases=("x s (1 - s)", "1 + x (1 - s)", "x * s", "product rule", "factor"),
    ),
    fresh(
        "hi-silu-backward-sigmoid-derivative-times-one-plus-x",
        "activations.SiLU",
        "backward reuses the sigmoid module: sigmoid.backward(grad_y) * (1 + x), i.e. s (1 - s)(1 + x); the "
        "product rule gives s + x s (1 - s), the first term is s itself, not s (1 - s)",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return self._sigmoid.backward(grad_y) * (1.0 + self._x)\n",
        ),
        expect=("product-rule-missing", "derivative-wrong-form"),
        phrases=("product rule", "s + x s (1 - s)", "first term", "sigmoid itself", "s(1 - s)"),
    ),
    fresh(
        "hi-softplus-threshold-on-magnitude",
        "activations.Softplus",
        "the linear branch is chosen where |beta x| > threshold: for very negative inputs softplus is close to 0, "
        "not x, so those entries come out as large negative numbers",
        (
            "        self._linear = z > self.threshold\n",
            "        self._linear = np.abs(z) > self.threshold\n",
        ),
        expect=("threshold-two-sided", "softplus-threshold-on-x"),
        phrases=("beta * x > threshold", "positive side", "negative inputs", "abs", "close to 0"),
    ),
    fresh(
        "hi-logsoftmax-backward-sum-of-product",
        "activations.LogSoftmax",
        "backward subtracts sum(p * grad_y) where p * sum(grad_y) belongs: the softmax must stay outside the sum "
        "(that is softmax's vector-Jacobian product, not log-softmax's)",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - np.sum(self._p * grad_y, axis=self.dim, keepdims=True)\n",
        ),
        # added after reading output (tag-vocabulary audit): jacobian-transposed
        expect=("jacobian-term-wrong", "jacobian-transposed"),
        phrases=("softmax(x) * sum", "p * sum(grad_y", "outside the sum", "sum of grad_y", "times the softmax"),
    ),
    fresh(
        "hi-logsoftmax-log-of-softmax",
        "activations.LogSoftmax",
        "forward takes np.log of the normalised exponentials, log(softmax): a probability that underflows to 0 "
        "gives -inf where the log-sum-exp form gives a finite value",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = np.log(np.exp(shifted) / np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        ),
        expect=("log-of-softmax-underflow", "overflow"),
        phrases=("log-sum-exp", "logsumexp", "underflow", "-inf", "log(softmax"),
    ),
    fresh(
        "hi-maxout-weight-grad-einsum-output-order",
        "activations.Maxout",
        'the weight gradient is np.einsum("nkj,nd->jkd", ...): the output subscripts put the unit axis before '
        "the piece axis, (M, K, D), where the weight is (K, M, D)",
        (
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
            '        self.weight.grad += np.einsum("nkj,nd->jkd", grad_z, self._x)\n',
        ),
        expect=("axes-permuted", "transposed"),
        phrases=("kjd", "(k, m, d)", "output subscripts", "weight's shape", "pieces first"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
_MAXPOOL_BACKWARD_LOOP = (
    "        grad_x = np.zeros(self._x_shape)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                won = self._argmax == i * kW + j\n"
)

LAYERS = [
    fresh(
        "hi-avgpool-mean-in-float32",
        "layers.AvgPool2d",
        "the window mean is taken with dtype=np.float32 (to save memory): the output is float32 and rounded to "
        "about 7 digits, where the API asks for float64",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.mean(axis=(4, 5), dtype=np.float32)\n",
        ),
        expect=("float32",),
        phrases=("float64", "float32", "dtype", "precision", "digits"),
    ),
    fresh(
        "hi-conv-pad-with-negative-end-slice",
        "layers.Conv2d",
        "forward copies x into the padded buffer with xp[:, :, pH:-pH, pW:-pW]: with padding 0 the slice 0:-0 "
        "is empty, so the unpadded case fails (and the slice end must be pH + H)",
        (
            "        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
            "        xp[:, :, pH:-pH, pW:-pW] = x\n",
        ),
        expect=("unpad-negative-slice", "padding-slice-bounds"),
        phrases=("-0", "padding 0", "padding = 0", "ph + h", "empty"),
    ),
    fresh(
        "hi-flatten-backward-reshape-keeps-rows",
        "layers.Flatten",
        "backward reshapes the gradient to (N, -1): it is already (N, D), so the input's shape (N, C, H, W) is "
        "never restored",
        (
            "        grad_x = grad_y.reshape(self._x_shape)\n",
            "        grad_x = grad_y.reshape(self._x_shape[0], -1)\n",
        ),
        expect=("flatten-backward-not-reshaped",),
        phrases=("input's shape", "x_shape", "(n, c, h, w)", "reshape back", "original shape"),
    ),
    fresh(
        "hi-linear-bias-as-column",
        "layers.Linear",
        "forward adds bias[:, None], the bias as a column vector (the W x + b convention of the notes): with "
        "samples in rows the (M, 1) bias broadcasts along the batch axis, not along the output features",
        ("            y += self.bias.data\n", "            y += self.bias.data[:, None]\n"),
        expect=("broadcast-wrong-axis",),
        phrases=("column", "(m, 1)", "row vector", "broadcast", "[:, none]"),
    ),
    fresh(
        "hi-linear-weight-grad-einsum-transposed",
        "layers.Linear",
        'the weight gradient is np.einsum("ni,nj->ji", grad_y, x), an (in, out) matrix: the weight is stored '
        "(out, in), so the subscripts must be ->ij (a square layer hides it)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            '        self.weight.grad += np.einsum("ni,nj->ji", grad_y, self._x)\n',
        ),
        expect=("transposed",),
        phrases=("(out, in)", "(m, d)", "transpos", "grad_y.t @ x", "square"),
    ),
    fresh(
        "hi-conv-padded-buffer-integer",
        "layers.Conv2d",
        "the padded buffer is np.zeros(..., dtype=int): assigning the input into it truncates every value to an "
        "integer, so the convolution sees a rounded input",
        (
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n",
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW), dtype=int)\n",
        ),
        expect=("integer-buffer-truncates", "integer-dtype"),
        phrases=("dtype", "int", "truncat", "float64", "integer"),
    ),
    fresh(
        "hi-maxpool-output-size-from-stride-only",
        "layers.MaxPool2d",
        "backward recomputes the output size as H // sH, W // sW: that equals 1 + (H - kH) // sH when the "
        "stride is the kernel, but not for overlapping windows (stride < kernel) or stride > kernel",
        (
            _MAXPOOL_BACKWARD_LOOP,
            "        grad_x = np.zeros(self._x_shape)\n"
            "        Ho, Wo = self._x_shape[2] // sH, self._x_shape[3] // sW\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n",
        ),
        expect=("output-size-formula", "output-size-missing-plus-one"),
        phrases=("1 + (h - kh) // sh", "output size", "overlap", "stride < kernel", "grad_y.shape"),
    ),
    fresh(
        "hi-maxpool-window-flattened-column-major",
        "layers.MaxPool2d",
        "forward flattens each window after swapping its two axes, so the argmax offset is j * kH + i, while "
        "backward decodes it as i * kW + j: the gradient goes to the transposed position in the window",
        (
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n"
            "        self._argmax",
            "        windows = windows.swapaxes(-1, -2).reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n"
            "        self._argmax",
        ),
        expect=("window-offset-transposed", "flatten-column-major"),
        phrases=("i * kw + j", "row-major", "transposed", "same order", "decode"),
    ),
    fresh(
        "hi-avgpool-divides-by-side-sum",
        "layers.AvgPool2d",
        "forward divides the window sum by kH + kW: the number of entries is kH * kW, which agrees with kH + kW "
        "only for a 2 x 2 window",
        ("        y = windows.mean(axis=(4, 5))\n", "        y = windows.sum(axis=(4, 5)) / (kH + kW)\n"),
        expect=("avgpool-divisor", "sum-for-product"),
        phrases=("kh * kw", "number of entries", "product", "2 x 2", "2x2"),
    ),
    fresh(
        "hi-avgpool-backward-kron-upsampling",
        "layers.AvgPool2d",
        "backward spreads the gradient with np.kron(share, ones((1, 1, kH, kW))): that is right only when the "
        "windows tile the input exactly (stride = kernel, no remainder); overlapping or strided windows and "
        "leftover rows are wrong",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        grad_x = np.kron(share, np.ones((1, 1, kH, kW)))  # every entry of its window\n",
        ),
        expect=("windows-assumed-to-tile", "pool-backward-ignores-stride"),
        phrases=("stride", "overlap", "remainder", "tile", "input's shape"),
    ),
    fresh(
        "hi-flatten-shape-on-class",
        "layers.Flatten",
        "forward stores the input shape as Flatten._x_shape, a class attribute shared by every Flatten: with two "
        "Flatten layers, backward of the first reshapes to the shape the second one saw",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        Flatten._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
        ),
        expect=("shared-class-state",),
        phrases=("class attribute", "self._x_shape", "instance", "shared", "every flatten"),
    ),
    fresh(
        "hi-dropout-p-one-tested-with-is",
        "layers.Dropout",
        "the p = 1 guard is written self.p is 1.0: `is` compares object identity, not value, so it is never true "
        "and p = 1 divides by zero",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 0.0 if self.p is 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
        ),
        expect=("identity-comparison", "dropout-divides-by-zero-at-p-one"),
        phrases=("==", "identity", "p = 1", "is 1.0", "equality"),
    ),
    fresh(
        "hi-dropout-mask-applied-in-place",
        "layers.Dropout",
        "forward writes y = x and then y *= mask: y is the caller's array, so the input is masked in place",
        ("            y = x * self._mask\n", "            y = x\n            y *= self._mask\n"),
        expect=("modifies-input",),
        phrases=_IN_PLACE,
    ),
]

BATCHNORM = [
    fresh(
        "hi-bn1d-bias-grad-builtin-sum",
        "layers.BatchNorm1d",
        "the bias gradient is sum(grad_y) with Python's built-in sum: it adds along the first axis only, which is "
        "the per-channel sum for (N, C) but leaves an (C, L) array for (N, C, L) input",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    ("        self.bias.grad += grad_y.sum(axis=axes)\n", "        self.bias.grad += sum(grad_y)\n")
                ]
            },
        ),
        expect=("builtin-sum-first-axis", "gradient-summed-over-wrong-axes"),
        phrases=("built-in sum", "first axis", "np.sum", "(n, c, l)", "axis=axes"),
    ),
    fresh(
        "hi-bn1d-affine-shape-from-bn2d",
        "layers.BatchNorm1d",
        "gamma and beta are reshaped to (1, -1, 1, 1), copied from a 2-D batch norm: for (N, C) or (N, C, L) "
        "input the broadcast gives an output of the wrong shape (or fails) instead of scaling axis 1",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        y = self._x_hat * self.weight.data.reshape(1, -1, 1, 1)"
                        " + self.bias.data.reshape(1, -1, 1, 1)\n",
                    )
                ]
            },
        ),
        expect=("broadcast-wrong-axis", "fixed-number-of-axes"),
        phrases=("(1, c)", "axis 1", "number of dimensions", "4-d", "shape of the input"),
    ),
    fresh(
        "hi-bn2d-one-pass-variance",
        "layers.BatchNorm2d",
        "the variance is computed in one pass as mean(x^2) - mean^2: algebraically right, but for channels with a "
        "large mean the two terms cancel and the variance loses its digits (or turns negative)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                        "            var = (x * x).mean(axis=axes) - mean * mean\n",
                    )
                ]
            },
        ),
        expect=("catastrophic-cancellation", "one-pass-variance"),
        phrases=("cancel", "precision", "large mean", "x.var", "(x - mean)"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    # hi-bce-log1p-where-without-out (np.log1p(-p, where=p < 1) without out=) was dropped after grading: at p = 1
    # it reads whatever numpy's allocator hands back (0 from a freed np.log(p) buffer here; 7, nan or -inf when
    # another buffer was freed last, and -inf clamps to the right -100), so its verdict can change with numpy's
    # version and the order of temporaries.
    fresh(
        "hi-hinge-active-at-zero-slack",
        "losses.HingeLoss",
        "the active mask is slack >= 0: the true class, whose slack was set to 0, counts as active, and so does "
        "an exactly met margin (the kink takes the <= 0 branch)",
        (
            "        self._active = (slack > 0).astype(np.float64)\n",
            "        self._active = (slack >= 0).astype(np.float64)\n",
        ),
        expect=("hinge-margin-inclusive", "hinge-counts-true-class"),
        phrases=("> 0", "strictly", "true class", "zero slack", "kink"),
    ),
    fresh(
        "hi-mse-diff-from-slice-of-input",
        "losses.MSELoss",
        "forward copies the input with x[:] (a copy for a list) and subtracts the target in place: on a numpy "
        "array the slice is a view, so the caller's input becomes x - t",
        ("        self._diff = x - t\n", "        self._diff = x[:]  # a copy\n        self._diff -= t\n"),
        expect=("modifies-input", "slice-is-view"),
        phrases=("view", *_IN_PLACE),
    ),
    fresh(
        "hi-bce-epsilon-inside-log",
        "losses.BCELoss",
        "each log is taken of p + 1e-12 and 1 - p + 1e-12 (the epsilon habit of other code) instead of being "
        "clamped at -100: at p = 0 or 1 the cost is 27.6, not 100",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_p = np.log(p + 1e-12)\n            log_1mp = np.log(1.0 - p + 1e-12)\n",
        ),
        expect=("bce-clamp", "bce-not-clamped"),
        phrases=("-100", "clamp", "max(log", "epsilon", "log p"),
    ),
    fresh(
        "hi-bce-logits-hard-targets",
        "losses.BCEWithLogitsLoss",
        "the x t term uses (t > 0.5), the target rounded to a hard label: soft targets between 0 and 1 give the "
        "wrong loss",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) - x * (t > 0.5) + np.log1p(z))\n",
        ),
        expect=("bce-hard-labels-only",),
        phrases=("soft", "between 0 and 1", "x * t", "rounded", "probabilit"),
    ),
    fresh(
        "hi-ce-log-of-normalised-exponentials",
        "losses.CrossEntropyLoss",
        "the log-probabilities are np.log(exp(shifted) / sum): a probability that underflows to 0 gives log 0 = "
        "-inf and an infinite loss, where shifted - log(sum exp) stays finite",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = np.log(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True))\n",
        ),
        expect=("log-of-softmax-underflow", "overflow"),
        phrases=("log-sum-exp", "logsumexp", "underflow", "-inf", "log(softmax"),
    ),
    fresh(
        "hi-ce-shift-by-global-maximum",
        "losses.CrossEntropyLoss",
        "the logits are shifted by x.max(), one maximum for the whole batch: a row whose logits all lie far "
        "below it underflows to exp = 0 and its log-sum is -inf",
        (
            "            shifted = x - x.max(axis=1, keepdims=True)\n",
            "            shifted = x - x.max()\n",
        ),
        expect=("shift-by-global-max", "reduction-over-whole-array"),
        phrases=("row maximum", "each row", "per row", "underflow", "axis=1"),
    ),
    fresh(
        "hi-hinge-true-class-margin-subtracted-after",
        "losses.HingeLoss",
        "the true class is not zeroed in the slack; instead the margin it contributes is subtracted from the mean "
        "(the CS231n shortcut): the value is the same, but the true class counts as an active margin, so its "
        "gradient is one too large",
        (
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0] - self.margin\n",
        ),
        expect=("hinge-counts-true-class",),
        phrases=("true class", "j != y", "itself", "active", "zero"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hi-rmsprop-centered-eps-inside-root",
        "optimizers.RMSprop",
        "the centered denominator is sqrt(variance + eps): eps belongs outside the square root, added to the "
        "standard deviation",
        (
            "                avg = np.sqrt(variance) + self.eps\n",
            "                avg = np.sqrt(variance + self.eps)\n",
        ),
        expect=("eps-inside-sqrt",),
        phrases=("outside the square root", "sqrt(v) + eps", "eps", "after the root", "+ eps"),
    ),
    fresh(
        "hi-rmsprop-keras-default-lr",
        "optimizers.RMSprop",
        "the default learning rate is 0.001, Keras' RMSprop default, where PyTorch's (and the API's) is 0.01",
        (
            "        lr: float = 0.01,\n        alpha: float = 0.99,\n",
            "        lr: float = 0.001,\n        alpha: float = 0.99,\n",
        ),
        expect=("default-changed",),
        phrases=("default", "0.01", "keras", "pytorch", "learning rate"),
    ),
    fresh(
        "hi-adam-second-correction-negative-power",
        "optimizers.Adam",
        "the root of the second bias correction is written bias_correction2 ** -0.5: dividing sqrt(v) by it "
        "multiplies by sqrt(1 - beta2^t) where it should divide",
        (
            "        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        bias_correction2_sqrt = bias_correction2**-0.5\n",
        ),
        # added after reading output (tag-vocabulary audit): bias-correction-inverted
        expect=("bias-correction-sqrt", "sign-flipped", "bias-correction-inverted"),
        phrases=("sqrt(1 - beta2^t)", "exponent", "0.5", "divide", "bias correction"),
    ),
    # hi-sgd-state-index-off-by-one (self.state[i - 1]) was dropped after grading: the slots still map one to one
    # onto the parameters and each buffer is made at its parameter's first step, so no parameter ever reads
    # another's state (0.0 difference from the reference over 10 steps of 3 parameters with momentum, Nesterov
    # and weight decay); docs/api.md leaves an optimizer's bookkeeping free.
    fresh(
        "hi-sgd-weight-decay-halved",
        "optimizers.SGD",
        "weight decay adds 0.5 * weight_decay * p, the 1/2 of the penalty (lambda/2)||w||^2 kept in its "
        "derivative: the gradient of that penalty is lambda * w",
        (
            "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
            "                g = g + 0.5 * self.weight_decay * p.data\n            if self.momentum != 0:\n",
        ),
        # added after reading output: weight-decay-halved (the grader's name for the 1/2 kept)
        expect=("weight-decay-constant", "weight-decay-halved"),
        phrases=("weight_decay * p", "1/2", "half", "derivative", "lambda * w"),
    ),
    fresh(
        "hi-adagrad-sqrt-into-accumulator",
        "optimizers.Adagrad",
        "the square root is taken with out=state['sum'] to save memory: the accumulator is replaced by its own "
        "root, so from the second step the sum of squares is wrong",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            p.data -= clr * (g / (np.sqrt(state["sum"], out=state["sum"]) + self.eps))\n',
        ),
        expect=("saved-state-overwritten",),
        phrases=("out=", "accumulator", "overwrit", "its square root", "state"),
    ),
    fresh(
        "hi-adagrad-keras-initial-accumulator",
        "optimizers.Adagrad",
        "the default initial_accumulator_value is 0.1, Keras' default, where PyTorch's (and the API's) is 0",
        (
            "        initial_accumulator_value: float = 0.0,\n",
            "        initial_accumulator_value: float = 0.1,\n",
        ),
        expect=("default-changed",),
        phrases=("default", "0.1", "keras", "pytorch", "initial_accumulator_value"),
    ),
    fresh(
        "hi-rmsprop-square-avg-read-under-other-key",
        "optimizers.RMSprop",
        'the square average is read with state.get("square_average", 0.0) but written under "square_avg": the '
        "read always finds nothing, so v is (1 - alpha) g^2 of the current step only",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            state["square_avg"] = a * state.get("square_average", 0.0) + (1.0 - a) * g * g\n',
        ),
        # added after reading output: state-reset (the entry never carries over to the next step)
        expect=("state-not-saved", "state-key-mismatch", "state-reset"),
        phrases=("key", "square_avg", "same name", "never read", "previous"),
    ),
    fresh(
        "hi-rmsprop-momentum-step-without-else",
        "optimizers.RMSprop",
        "the plain update p -= lr g / avg lost its else: with momentum > 0 both the momentum step and the plain "
        "step are applied",
        (
            '                p.data -= self.lr * state["momentum_buffer"]\n'
            "            else:\n"
            "                p.data -= self.lr * (g / avg)\n",
            '                p.data -= self.lr * state["momentum_buffer"]\n            p.data -= self.lr * (g / avg)\n',
        ),
        expect=("missing-else",),
        phrases=("else", "both", "twice", "momentum > 0", "only when"),
    ),
    fresh(
        "hi-adadelta-root-of-ratio-with-root",
        "optimizers.Adadelta",
        "the step is sqrt((u + eps) / std) * g with std already sqrt(v + eps): the ratio of square roots became "
        "the square root of a ratio whose denominator is a root",
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = np.sqrt((state["acc_delta"] + self.eps) / std) * g\n',
        ),
        expect=("root-scope", "operator-precedence"),
        phrases=("sqrt(u + eps) / sqrt(v + eps)", "parenthes", "ratio of", "square root", "rms"),
    ),
    fresh(
        "hi-adadelta-decay-after-square-average",
        "optimizers.Adadelta",
        "the weight decay is added after the square average was updated: v collects the raw gradient while the "
        "step uses the decayed one",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n",
        ),
        # added after reading output: squares-without-decay (v accumulates the undecayed gradient)
        expect=("order-changed", "weight-decay-after-scaling", "squares-without-decay"),
        phrases=("before", "weight decay", "square_avg", "decayed gradient", "g^2"),
    ),
    fresh(
        "hi-adam-beta2-from-first-index",
        "optimizers.Adam",
        "the betas are unpacked as self.betas[0], self.betas[0] (the index not changed on the copied line): "
        "beta2 is 0.9 instead of 0.999",
        ("        beta1, beta2 = self.betas\n", "        beta1, beta2 = self.betas[0], self.betas[0]\n"),
        expect=("copy-paste-wrong-state", "wrong-hyperparameter"),
        phrases=("betas[1]", "beta2", "0.999", "copy", "index"),
    ),
    fresh(
        "hi-adam-amsgrad-max-of-list",
        "optimizers.Adam",
        "the amsgrad maximum is np.max([v_max, v]): np.max of a list reduces everything to one number, the "
        "largest entry of either array, where np.maximum keeps the entry-wise maximum",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.max([state["max_exp_avg_sq"], v])\n',
        ),
        expect=("max-for-maximum",),
        phrases=("np.maximum", "element-wise", "entry-wise", "per coordinate", "one number"),
    ),
    fresh(
        "hi-adamw-decay-called-on-base-class",
        "optimizers.AdamW",
        "step calls Adam._decay(self, p, g) by class name: the AdamW override is bypassed, so AdamW applies "
        "Adam's coupled L2 penalty instead of the decoupled decay",
        ("                g = self._decay(p, g)\n", "                g = Adam._decay(self, p, g)\n"),
        expect=("adamw-l2-decay",),
        phrases=("self._decay", "override", "decoupled", "l2", "adamw's"),
    ),
    fresh(
        "hi-adamw-amsgrad-not-passed-on",
        "optimizers.AdamW",
        "the constructor calls super().__init__ without amsgrad=amsgrad: AdamW(..., amsgrad=True) runs plain AdamW",
        (
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,"
            " amsgrad=amsgrad)\n",
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)\n",
        ),
        expect=("amsgrad-ignored",),
        phrases=("amsgrad", "passed on", "super()", "ignored", "argument"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hi-fans-fan-out-divides-by-wrong-axis",
        "init.fan_in_and_fan_out",
        "fan_out is computed as prod(shape) // shape[0]: dividing out the outputs leaves in * receptive field, "
        "which is fan_in; fan_out divides out shape[1]",
        (
            "    fan_out = shape[0] * receptive_field\n",
            "    fan_out = math.prod(shape) // shape[0]\n",
        ),
        expect=("fan-out-wrong-axis",),
        phrases=("shape[0]", "outputs", "out_channels", "shape[1]", "fan_in"),
    ),
    fresh(
        "hi-xavier-uniform-shape-first-two-axes",
        "init.xavier_uniform",
        "the weights are drawn with size=shape[:2]: for a convolution weight the kernel axes are dropped and the "
        "result does not have the requested shape",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape[:2])\n",
        ),
        expect=("transposed-shape", "wrong-shape"),
        phrases=("shape", "kernel axes", "size=shape", "(out, in, k", "requested"),
    ),
    fresh(
        "hi-xavier-normal-gain-under-root",
        "init.xavier_normal",
        "std is sqrt(gain * 2 / (fan_in + fan_out)): the gain multiplies the standard deviation, so it belongs "
        "outside the root (right only for gain = 1)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = math.sqrt(gain * 2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("root-scope",),
        phrases=("gain *", "outside the", "gain^2", "square root", "standard deviation"),
    ),
    fresh(
        "hi-kaiming-uniform-mode-as-tuple-index",
        "init.kaiming_uniform",
        'the fan is picked as (fan_in, fan_out)[mode == "fan_in"]: True indexes 1, so mode "fan_in" gives fan_out '
        "and the reverse",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound",
            '    fan = (fan_in, fan_out)[mode == "fan_in"]\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound",
        ),
        expect=("fans-swapped", "mode-ignored"),
        phrases=("true is 1", "index 1", "reversed", "fan_out", "mode"),
    ),
    fresh(
        "hi-kaiming-normal-he-formula-without-gain",
        "init.kaiming_normal",
        "std is the He formula sqrt(2 / fan), the ReLU case: the nonlinearity and a are ignored (right only for "
        "the default leaky_relu with a = 0)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = math.sqrt(2.0 / fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("gain-missing", "nonlinearity-ignored"),
        phrases=("gain", "nonlinearity", "calculate_gain", "sqrt(2)", "relu only"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hi-fit-history-reset-every-epoch",
        "training.fit",
        "the history list is (re)created at the top of the epoch loop: only the last epoch's loss is returned",
        (
            "    for _ in range(epochs):\n        total = 0.0\n",
            "    for _ in range(epochs):\n        history = []\n        total = 0.0\n",
        ),
        expect=("history-reset", "state-reset"),
        phrases=("every epoch", "before the loop", "one entry", "history", "last epoch"),
    ),
    fresh(
        "hi-minibatches-targets-as-column",
        "training.minibatches",
        "each target batch is reshaped to a column (-1, 1), the Keras habit: labels (N,) become (N, 1), and "
        "targets of any other shape are scrambled",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.append((X[start : start + size], y[start : start + size].reshape(-1, 1)))\n",
        ),
        expect=("targets-not-batched", "target-reshaped"),
        phrases=("shape of y", "(n,)", "column", "reshape", "unchanged"),
    ),
    fresh(
        "hi-minibatches-targets-sliced-from-x",
        "training.minibatches",
        "the pair is (X[start:start+size], X[start:start+size]): the copied slice still names X, so the targets "
        "are the inputs",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.append((X[start : start + size], X[start : start + size]))\n",
        ),
        expect=("copy-paste", "unpaired-shuffle"),
        phrases=("y[start", "targets", "copy", "x twice", "inputs"),
    ),
    fresh(
        "hi-fit-epoch-mean-floor-division",
        "training.fit",
        "the epoch mean is total // len(X): floor division rounds the mean loss down to a whole number",
        ("        history.append(total / len(X))\n", "        history.append(total // len(X))\n"),
        expect=("rounded-values", "floor-division"),
        phrases=("//", "floor", "true division", "rounded", "whole number"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hi-sequential-reversed-iterator-kept",
        "models.Sequential",
        "the constructor keeps reversed(self.layers) for backward: a reversed object is an iterator, exhausted "
        "after the first backward, so every later backward runs no layer and returns grad_y",
        span(
            "models",
            (
                "        self.layers = list(layers)\n",
                "        self.layers = list(layers)\n        self._backward_order = reversed(self.layers)\n",
            ),
            ("        for layer in reversed(self.layers):\n", "        for layer in self._backward_order:\n"),
        ),
        expect=("iterator-exhausted",),
        phrases=("iterator", "exhausted", "once", "second backward", "reversed("),
    ),
    fresh(
        "hi-sequential-parameters-comprehension-order",
        "models.Sequential",
        "parameters() is written [p for p in layer.parameters() for layer in self.layers]: the for clauses of a "
        "comprehension run left to right, so layer is used before it is defined",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [p for p in layer.parameters() for layer in self.layers]\n",
        ),
        expect=("comprehension-order",),
        phrases=("left to right", "outer loop first", "order of the for", "comprehension", "before it is defined"),
    ),
    fresh(
        "hi-sequential-eval-as-train-false",
        "models.Sequential",
        "eval() calls layer.train(False), PyTorch's train(mode) signature: the API's train() takes no argument; "
        "eval() is the method that switches a layer off",
        (
            "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
            "        self.training = False\n        for layer in self.layers:\n            layer.train(False)\n",
        ),
        expect=("pytorch-idiom", "train-eval"),
        phrases=("layer.eval()", "pytorch", "train(false)", "no argument", "eval()"),
    ),
    fresh(
        "hi-perceptron-fit-for-else",
        "models.Perceptron",
        "fit puts `else: return True` after the sample loop, meaning 'no mistake': a for loop's else runs whenever "
        "the loop ends without break, so fit returns True after the first epoch whatever the mistakes",
        (
            "            if mistakes == 0:\n                return True\n",
            "            else:  # no mistake this epoch\n                return True\n",
        ),
        expect=("for-else", "fit-true-too-early", "fit-return-value"),  # added after reading output
        phrases=("for ... else", "for-else", "break", "mistakes == 0", "always"),
    ),
    fresh(
        "hi-perceptron-predict-column-weight",
        "models.Perceptron",
        "predict multiplies by weight[:, None], the weight as a column: the scores and predictions come out "
        "(N, 1) instead of (N,)",
        (
            "        scores = X @ self.weight + self.bias\n",
            "        scores = X @ self.weight[:, None] + self.bias\n",
        ),
        expect=("prediction-shape", "length-one-axis"),  # added after reading output
        phrases=("(n,)", "(n, 1)", "column", "shape", "1-d"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
_NUMGRAD_LOOP = (
    "    for index in np.ndindex(x.shape):\n"
    "        original = x[index]\n"
    "        x[index] = original + h\n"
    "        f_plus = float(f(x))\n"
    "        x[index] = original - h\n"
    "        f_minus = float(f(x))\n"
    "        x[index] = original  # restore exactly: no accumulated round-off\n"
    "        grad[index] = (f_plus - f_minus) / (2 * h)\n"
)

GRADCHECK = [
    fresh(
        "hi-numgrad-step-too-small",
        "gradcheck.numerical_gradient",
        "the default step is h = 1e-10, smaller being taken as more accurate: round-off in f(x + h) - f(x - h) "
        "then dominates and the estimate loses about half its digits",
        (
            "def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5)",
            "def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-10)",
        ),
        expect=("default-changed", "step-too-small"),
        phrases=("1e-5", "round-off", "rounding", "too small", "cancellation"),
    ),
    fresh(
        "hi-numgrad-unravel-reversed-shape",
        "gradcheck.numerical_gradient",
        "the loop runs a counter and decodes it with np.unravel_index(i, x.shape[::-1]), the shape reversed: "
        "for a non-square array the indices run past an axis (square arrays and vectors hide it)",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    for i in range(x.size):\n        index = np.unravel_index(i, x.shape[::-1])\n",
        ),
        expect=("index-order-reversed", "values-for-indices"),
        phrases=("x.shape", "reversed", "np.ndindex", "non-square", "every entry"),
    ),
    fresh(
        "hi-numgrad-perturbs-ravel-copy",
        "gradcheck.numerical_gradient",
        "the probes write into x.ravel(), taken for a view: for a non-contiguous x (a transpose, a slice) ravel "
        "returns a copy, f(x) never sees the perturbation and the gradient is 0",
        (
            _NUMGRAD_LOOP,
            "    flat = x.ravel()  # the same entries, one index\n"
            "    for i in range(flat.size):\n"
            "        original = flat[i]\n"
            "        flat[i] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        flat[i] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        flat[i] = original\n"
            "        grad.flat[i] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("perturbs-copy", "non-contiguous-input"),
        phrases=("copy", "non-contiguous", "view", "ravel", "x itself"),
    ),
    fresh(
        "hi-relerr-float32",
        "gradcheck.relative_error",
        "the arrays are converted with dtype=np.float32, PyTorch's default: each is rounded to about 7 digits, so "
        "errors below about 1e-7 come out as 0 or as a rounding step, not as the error of the float64 values",
        (
            "    a = np.asarray(a, dtype=np.float64)\n    b = np.asarray(b, dtype=np.float64)\n",
            "    a = np.asarray(a, dtype=np.float32)\n    b = np.asarray(b, dtype=np.float32)\n",
        ),
        expect=("float32",),
        phrases=("float64", "float32", "precision", "digits", "round"),
    ),
    fresh(
        "hi-relerr-nan-to-num-for-floor",
        "gradcheck.relative_error",
        "the denominator has no floor; np.nan_to_num cleans up the 0 / 0 afterwards: near zero (both below 1e-8) "
        "the ratio is not divided by max(1e-8, |a| + |b|) and comes out up to 1",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.nan_to_num(np.abs(a - b) / (np.abs(a) + np.abs(b)))\n",
        ),
        expect=("no-floor",),
        phrases=("1e-8", "floor", "max(1e-8", "near zero", "np.maximum"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hi-early-stopping-improvement-tuple-misordered",
        "early_stopping.fit_early_stopping",
        "the improvement is recorded as best_loss, waited, history.best_epoch = val_loss, epoch, 0: the tuple's "
        "targets are in a different order from its values, so the wait count gets the epoch and best_epoch 0",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            best_loss, waited, history.best_epoch = val_loss, epoch, 0\n",
        ),
        expect=("unpacked-swapped", "best-epoch-off-by-one"),
        phrases=("order", "best_epoch", "waited", "swapped", "tuple"),
    ),
    fresh(
        "hi-early-stopping-compares-with-list-holding-itself",
        "early_stopping.fit_early_stopping",
        "the improvement test is val_loss < min(history.val_losses) - min_delta after val_loss was appended: the "
        "list already holds val_loss, so no epoch ever improves",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if val_loss < min(history.val_losses) - min_delta:\n",
        ),
        expect=("compared-with-itself", "best-loss-updated-before-compare"),
        phrases=("already", "itself", "before appending", "best so far", "never improves"),
    ),
    fresh(
        "hi-early-stopping-fit-without-shuffle-and-rng",
        "early_stopping.fit_early_stopping",
        "each epoch calls fit(model, loss_fn, optimizer, X, y, 1, batch_size): shuffle and rng are not passed "
        "on, so shuffle=True trains on the stored order",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size)\n",
        ),
        expect=("shuffle-ignored", "rng-ignored", "fit-arguments"),  # added after reading output
        phrases=("shuffle", "rng", "passed on", "arguments", "fit("),
    ),
    fresh(
        "hi-early-stopping-append-result-assigned",
        "early_stopping.fit_early_stopping",
        "history.val_losses = history.val_losses.append(val_loss): list.append changes the list and returns "
        "None, so the history holds None and the next epoch fails",
        (
            "        history.val_losses.append(val_loss)\n",
            "        history.val_losses = history.val_losses.append(val_loss)\n",
        ),
        expect=("append-returns-none", "returns-none"),
        phrases=("append", "returns none", "in place", "none", "assign"),
    ),
]

FRESH_I: list[Mutant] = [
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
