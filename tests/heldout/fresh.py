"""Held-apart set B: fresh student bugs, written after set A had been seen by the diagnosis.

Set A (``HELDOUT``) was read by the people improving the diagnosis, so it no longer measures
generalisation. Set B is written from scratch, independently of the catalogue and of set A:
different edits and, where possible, different mistakes (CS231n and 11-785 classics, numpy
pitfalls: a forgotten ``keepdims``, operator precedence, in-place aliasing, ``np.random`` where
the given ``rng`` belongs, axis confusion, reshape where a transpose belongs). Ids start with
``hb-``. The ``expect`` tags and ``phrases`` were decided before the grader's output was read;
tests/test_feedback_generalisation.py grades them and refuses copies of the catalogue or set A.
A tag commented "added after reading output" is a synonym: the grader's sentence under that tag
was read and judged to name the student's mistake as a teaching assistant would accept it. A
phrase commented "dropped after reading output" matched text that names nothing (an exception's
own message, a restated formula): dropping it only makes the measure stricter.

Measured blind in session 4 (25 of 63 named, 40 %, 5 misleading, 60 caught); read since.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug

fresh = partial(held_apart_bug, "hb-")  # set B


_PRECEDENCE = ("parenthes", "precedence")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hb-sigmoid-stable-branches-swapped",
        "activations.Sigmoid",
        "the two branches of the stable sigmoid are swapped (z/(1+z) for x >= 0, 1/(1+z) for x < 0): "
        "that is sigmoid(-x)",
        (
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        self._y = np.where(x >= 0, z / (1.0 + z), 1.0 / (1.0 + z))\n",
        ),
        expect=("sigmoid-exponent-sign", "branches-swapped"),
        phrases=("sigmoid(-x)", "1 - sigmoid", "branches", "swapped"),
    ),
    fresh(
        "hb-tanh-derivative-square-of-difference",
        "activations.Tanh",
        "the derivative is written (1 - y)^2 instead of 1 - y^2",
        ("        return grad_y * (1.0 - self._y * self._y)\n", "        return grad_y * (1.0 - self._y) ** 2\n"),
        expect=("derivative-wrong-form",),  # added after reading output
        phrases=("1 - y^2", "1 - y²", "(1 - y)^2", "(1 - y)²", "1 - y ** 2", "1 - tanh"),
    ),
    fresh(
        "hb-relu-backward-zeroes-caller-gradient",
        "activations.ReLU",
        "backward zeroes the inactive entries of grad_y in place and returns it: the caller's upstream "
        "gradient array is changed",
        (
            "        return np.where(self._mask, grad_y, 0.0)\n",
            "        grad_y[~self._mask] = 0.0\n        return grad_y\n",
        ),
        expect=("modifies-input",),
        phrases=("in place", "caller's"),
    ),
    fresh(
        "hb-leakyrelu-negative-branch-constant",
        "activations.LeakyReLU",
        "forward's negative branch returns the slope itself, not slope * x",
        (
            "        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        return np.where(x > 0, x, self.negative_slope)\n",
        ),
        expect=("factor-x-missing",),  # added after reading output
        phrases=("slope * x", "slope times x", "negative_slope * x", "multiplied by x", "times x"),
    ),
    fresh(
        "hb-softmax-sum-without-keepdims",
        "activations.Softmax",
        "the normalising sum drops keepdims: (N, C) / (N,) broadcasts along the wrong axis (or fails)",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / np.sum(e, axis=self.dim)\n",
        ),
        # added after reading output: it quotes `np.sum(e, axis=self.dim)`, the line that raised: keepdims=True
        expect=("reduction-without-keepdims",),
        phrases=("keepdims",),  # "broadcast" dropped after reading output: it matched numpy's own error text
    ),
    fresh(
        "hb-logsoftmax-backward-weighted-sum",
        "activations.LogSoftmax",
        "backward subtracts sum(grad_y * p) where p * sum(grad_y) belongs: the weight moved inside the sum",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - np.sum(grad_y * self._p, axis=self.dim, keepdims=True)\n",
        ),
        # added after reading output (tag-vocabulary audit): jacobian-transposed
        expect=("jacobian-transposed",),
        phrases=("p * sum", "p times the sum", "sum(grad_y)", "sum of grad_y", "outside the sum"),
    ),
    fresh(
        "hb-selu-backward-scaled-twice",
        "activations.SELU",
        "backward scales both the upstream gradient and ELU's result by scale: scale^2 in all",
        (
            "        return self._elu.backward(self.scale * grad_y)\n",
            "        return self.scale * self._elu.backward(self.scale * grad_y)\n",
        ),
        expect=("selu-scale-twice",),
        phrases=("twice", "scale^2", "scale squared", "scale²"),
    ),
    fresh(
        "hb-gelu-cdf-divides-by-two",
        "activations.GELU",
        "the exact CDF is erfc(-x / 2) / 2: the argument is divided by 2 instead of sqrt(2)",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            "        self._cdf = 0.5 * erfc(-x / 2.0)\n",
        ),
        expect=("formula-constant",),  # added after reading output
        phrases=("sqrt(2)", "sqrt 2", "√2", "square root of 2"),
    ),
    fresh(
        "hb-softplus-backward-sigmoid-of-x",
        "activations.Softplus",
        "the saved sigmoid is taken of x instead of beta * x, so backward is wrong whenever beta != 1",
        ("        self._s = self._sigmoid.forward(z)\n", "        self._s = self._sigmoid.forward(x)\n"),
        expect=("softplus-beta-missing", "hyperparameter-ignored"),
        phrases=("beta x", "beta * x", "beta*x", "sigmoid(beta"),
    ),
    fresh(
        "hb-step-returns-integers",
        "activations.Step",
        "forward returns (x > 0).astype(int): integers where the API asks for float64",
        ("        return (x > 0).astype(np.float64)\n", "        return (x > 0).astype(int)\n"),
        expect=("integer-dtype", "float32"),  # float32 (the dtype check's tag) added after reading output
        phrases=("float64", "integer", "int64", "dtype"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
_MAXPOOL_WINDOWS = (
    "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
    "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n"
)
_MAXPOOL_LOOP = (
    "        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n            for j in range(kW):\n"
    "                won = self._argmax == i * kW + j\n"
)
_RUNNING_VAR = "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"

LAYERS = [
    fresh(
        "hb-linear-bias-grad-summed-to-scalar",
        "layers.Linear",
        "the bias gradient is grad_y.sum() with no axis: one number, the sum over samples and outputs, "
        "added to every bias entry",
        ("            self.bias.grad += grad_y.sum(axis=0)\n", "            self.bias.grad += grad_y.sum()\n"),
        expect=("gradient-summed-over-wrong-axes",),  # added after reading output
        phrases=("axis=0", "axis 0", "each output", "per output", "one number"),
    ),
    fresh(
        "hb-linear-weight-grad-loop-keeps-last",
        "layers.Linear",
        "the weight gradient is built in a loop over the samples that assigns dW each time: only the last "
        "sample's outer product is added",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        for n in range(len(grad_y)):\n            dW = np.outer(grad_y[n], self._x[n])\n"
            "        self.weight.grad += dW\n",
        ),
        expect=("not-summed-over-batch", "gradient-from-one-sample"),  # the second added after reading output
        phrases=(
            "every sample",
            "each sample",
            "last sample",
            "sum over the batch",
            "summed over the batch",
            "accumulat",
        ),
    ),
    fresh(
        "hb-conv-unpad-slice-ends-at-h",
        "layers.Conv2d",
        "backward crops the padded gradient as grad_xp[:, :, pH:H, pW:W]: the slice must end at pH + H, so "
        "with padding the last pH rows (pW columns) are lost",
        ("        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n", "        grad_x = grad_xp[:, :, pH:H, pW:W]\n"),
        expect=("padding-slice-bounds",),  # added after reading output
        phrases=("pH + H", "H rows", "slice end", "end of the slice"),
    ),
    fresh(
        "hb-conv-output-reshaped-not-transposed",
        "layers.Conv2d",
        "the (F, N*H'*W') product is reshaped straight to (N, F, H', W') instead of to (F, N, H', W') and "
        "transposed: the numbers land in the wrong images and channels",
        (
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = y.reshape(N, self.out_channels, Ho, Wo)\n",
        ),
        expect=("axes-permuted",),
        phrases=("transpose", "reshape", "axes"),
    ),
    fresh(
        "hb-maxpool-grad-allocated-like-output",
        "layers.MaxPool2d",
        "backward allocates grad_x with np.zeros_like(grad_y), the output's shape, instead of the input's",
        (_MAXPOOL_LOOP, _MAXPOOL_LOOP.replace("np.zeros(self._x_shape)", "np.zeros_like(grad_y)")),
        expect=("gradient-allocated-like-output",),  # added after reading output
        phrases=("shape of x", "shaped like x", "input's shape", "shape of the input", "like the input"),
    ),
    fresh(
        "hb-maxpool-row-stride-for-columns",
        "layers.MaxPool2d",
        "forward steps the columns by sH as well as the rows (square strides assumed)",
        (_MAXPOOL_WINDOWS, _MAXPOOL_WINDOWS.replace("[:, :, ::sH, ::sW]", "[:, :, ::sH, ::sH]")),
        expect=("square-only-index",),
        phrases=("sW", "square", "column stride", "width stride"),
    ),
    fresh(
        "hb-avgpool-share-precedence",
        "layers.AvgPool2d",
        "backward's share is grad_y / kH * kW, which is grad_y * kW / kH: the window area needs parentheses",
        ("        share = grad_y / (kH * kW)\n", "        share = grad_y / kH * kW\n"),
        # added after reading output: "the division ... was written `/ kH * kW` ... (operator precedence) ... needs
        # parentheses" (in the rectangular case; for a square window the numbers are those of no division at all)
        # added after reading output (session 7, round 2): "avgpool-divisor": "the mean's division by [the window's
        # area] did not take effect ... or the division written `/ kH * kW` ... which cancels" (square windows)
        expect=("avgpool-not-divided", "operator-precedence", "avgpool-divisor"),
        phrases=(*_PRECEDENCE, "kH * kW", "kH*kW"),
    ),
    fresh(
        "hb-avgpool-mean-over-positions",
        "layers.AvgPool2d",
        "forward averages the window view over axes (2, 3), the output positions, instead of (4, 5), the window",
        ("        y = windows.mean(axis=(4, 5))\n", "        y = windows.mean(axis=(2, 3))\n"),
        expect=("reduced-over-wrong-axes",),  # added after reading output
        phrases=("(4, 5)", "window axes", "last two axes", "output positions", "over the positions", "wrong axes"),
    ),
    fresh(
        "hb-flatten-assumes-three-axes",
        "layers.Flatten",
        "forward reshapes to (N, d1 * d2): written for (N, C, L) input, it fails on any other number of axes",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.reshape(x.shape[0], x.shape[1] * x.shape[2])\n"),
        # added after reading output: the reshape keeps axes 0-2, as if x always had three axes
        expect=("fixed-number-of-axes",),
        phrases=("any number", "every axis", "all axes", "all the axes", "d1*d2*", "d1 * d2 *", "three axes", "3-d"),
    ),
    fresh(
        "hb-dropout-mask-from-global-random",
        "layers.Dropout",
        "the mask is drawn with np.random.random instead of the layer's own generator self.rng",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = np.random.random(x.shape) >= self.p  # never true for p = 1\n",
        ),
        expect=("rng-ignored",),
        phrases=("self.rng", "generator", "manual_seed"),
    ),
    fresh(
        "hb-dropout-scale-unguarded-at-p-one",
        "layers.Dropout",
        "the scale is 1 / (1 - p) with no special case: p = 1 divides by zero",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 1.0 / (1.0 - self.p)\n",
        ),
        expect=("dropout-divides-by-zero-at-p-one",),
        # "division by zero" and "zerodivision" dropped after reading output: they matched Python's error text
        phrases=("p = 1", "p=1", "divide by zero"),
    ),
    fresh(
        "hb-dropout-eval-backward-uses-none-mask",
        "layers.Dropout",
        "backward always multiplies by the saved mask, which is None after an eval forward (TypeError)",
        (
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
            "        grad_x = grad_y * self._mask\n",
        ),
        # added after reading output: `self._mask` is None when backward runs after an eval-mode forward
        expect=("saved-none",),
        phrases=("eval", "evaluation"),
    ),
    fresh(
        "hb-bn1d-bessel-factor-inverted",
        "layers.BatchNorm1d",
        "running_var stores var * (m - 1) / m: the Bessel factor m / (m - 1) is written upside down",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [(_RUNNING_VAR, "            self.running_var += m * var * ((count - 1) / count)\n")]},
        ),
        expect=("bn-biased-running-var",),
        phrases=("m/(m-1)", "m / (m - 1)", "count / (count - 1)", "n/(n-1)", "n / (n - 1)", "unbiased"),
    ),
    fresh(
        "hb-bn2d-bias-grad-over-batch-axis-only",
        "layers.BatchNorm2d",
        "the shift's gradient sums grad_y over axis 0 only, leaving (C, H, W) where (C,) belongs",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "        self.bias.grad += grad_y.sum(axis=axes)\n",
                        "        self.bias.grad += grad_y.sum(axis=0)\n",
                    )
                ]
            },
        ),
        # added after reading output: "summed over the batch (axis 0) only ... sums grad_y over axes (0, 2, 3)"
        expect=("gradient-summed-over-wrong-axes",),
        phrases=("(0, 2, 3)", "n, h, w", "h and w", "every axis but", "all axes but", "spatial", "positions"),
    ),
    fresh(
        "hb-bn2d-backward-forgets-gamma",
        "layers.BatchNorm2d",
        "backward takes grad_x_hat = grad_y: the scale gamma the forward multiplied by is forgotten",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    ("        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n", "        grad_x_hat = grad_y\n")
                ]
            },
        ),
        expect=("bn-backward-missing-gamma",),
        phrases=("by gamma", "times gamma", "* gamma", "gamma *", "multiply by the scale"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hb-mse-square-of-mean",
        "losses.MSELoss",
        "forward squares the mean error instead of averaging the squared errors",
        ("        loss = np.mean(self._diff**2)\n", "        loss = np.mean(self._diff) ** 2\n"),
        expect=("mse-square-of-mean",),  # added after reading output: "the mean error was squared ... square first"
        phrases=("mean of the squares", "mean of the squared", "square of the mean", "squared mean", "squares first"),
    ),
    fresh(
        "hb-bce-log-likelihood-not-negated",
        "losses.BCELoss",
        "forward returns the mean log-likelihood without its minus sign: the loss is negative",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
        ),
        expect=("sign-flipped",),
        phrases=("sign", "minus"),
    ),
    fresh(
        "hb-bce-clamps-with-minimum",
        "losses.BCELoss",
        "the logs are clamped with np.minimum(log, -100) instead of np.maximum: every log becomes -100",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_p = np.minimum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.minimum(np.log1p(-p), LOG_CLAMP)\n",
        ),
        expect=("bce-clamp",),  # added after reading output: "clamped with np.minimum(log, -100), which caps the log"
        phrases=("np.maximum", "minimum", "max(log", "at least -100"),
    ),
    fresh(
        "hb-bce-logits-exp-of-minus-x",
        "losses.BCEWithLogitsLoss",
        "forward uses the textbook form (1 - t) x + log(1 + e^-x): e^-x overflows for very negative logits",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean((1.0 - t) * x + np.log1p(np.exp(-x)))\n",
        ),
        expect=("overflow",),
        phrases=("overflow", "stable", "exp(-x)", "e^-x", "max(x, 0)"),
    ),
    fresh(
        "hb-ce-indexes-rows-by-label",
        "losses.CrossEntropyLoss",
        "forward indexes log_probs[labels], which picks whole rows numbered by the labels, not entry (n, y_n)",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(log_probs[self._labels])\n",
        ),
        # added after reading output: `log_probs[self._labels]` picks whole rows; use [np.arange(N), labels]
        expect=("labels-index-rows",),
        phrases=("arange", "row n", "(n, y_n)", "each row's", "each sample's own", "true class of each"),
    ),
    fresh(
        "hb-ce-backward-divides-by-classes",
        "losses.CrossEntropyLoss",
        "backward divides by grad.shape[1], the number of classes C, instead of the batch size N",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
            "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / grad.shape[1]\n",
        ),
        expect=("divided-by-features",),
        phrases=("number of classes", "by c instead of n", "1/n instead", "instead of by n", "not by n"),
    ),
    fresh(
        "hb-hinge-margin-subtracted",
        "losses.HingeLoss",
        "the slack is x_j - x_y - margin: the margin is subtracted, so a class within the margin costs nothing",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
            "        slack = x - x[rows, self._labels][:, None] - self.margin\n",
        ),
        expect=("hinge-margin-sign",),  # added after reading output: "the margin was subtracted (x_j - x_y - margin)"
        phrases=(
            "+ margin",
            "plus the margin",
            "add the margin",
            "adds the margin",
            "margin is subtracted",
            "subtracts the margin",
            "minus the margin",
        ),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hb-sgd-velocity-aliases-grad",
        "optimizers.SGD",
        "the first velocity is g itself (no copy) and later updates are in place (buf *= momentum; buf += g): "
        "the velocity is p.grad, which zero_grad and backward then overwrite",
        (
            "                if buf is None:\n"
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                if buf is None:\n                    buf = g\n                else:\n"
            "                    buf *= self.momentum\n                    buf += (1.0 - self.dampening) * g\n",
        ),
        # added after reading output (tag-vocabulary audit): velocity-is-gradient
        expect=("modifies-grad", "velocity-is-gradient"),
        phrases=("in place", "copy", "p.grad", "alias"),
    ),
    fresh(
        "hb-sgd-dampening-as-gradient-weight",
        "optimizers.SGD",
        "the new gradient enters the velocity weighted by dampening instead of 1 - dampening (nothing with the "
        "default dampening 0)",
        (
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                    buf = self.momentum * buf + self.dampening * g\n",
        ),
        expect=("dampening-inverted",),
        phrases=("1 - dampening", "(1 - dampening)"),
    ),
    fresh(
        "hb-adagrad-step-count-incremented-late",
        "optimizers.Adagrad",
        "the step count is incremented after the decayed learning rate is computed: the decay is one step behind",
        (
            "        self.t += 1\n        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n        self.t += 1\n",
        ),
        expect=("lr-decay-off-by-one", "step-count-off-by-one"),
        phrases=("off by one", "one step behind", "before incrementing", "t += 1"),
    ),
    fresh(
        "hb-rmsprop-momentum-buffer-holds-lr",
        "optimizers.RMSprop",
        "with momentum the buffer accumulates lr * g / avg and the update multiplies by lr again",
        (
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n',
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + self.lr * g / avg\n',
        ),
        expect=("lr-applied-twice",),
        phrases=("twice", "lr^2", "lr²", "lr * lr"),
    ),
    fresh(
        "hb-rmsprop-centered-mean-not-squared",
        "optimizers.RMSprop",
        "the centered variance subtracts the running mean m itself instead of its square m^2",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"], 0.0)\n',
        ),
        expect=("centered-mean-not-squared",),  # added after reading output: "subtracted ... m itself, v - m; ... m^2"
        phrases=("m^2", "m²", "squared mean", "square of the mean", "grad_avg ** 2", "grad_avg**2"),
    ),
    fresh(
        "hb-adadelta-ratio-upside-down",
        "optimizers.Adadelta",
        "the step is RMS(gradients) / RMS(past steps) * g: the ratio is upside down",
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = std / np.sqrt(state["acc_delta"] + self.eps) * g\n',
        ),
        expect=("adadelta-ratio-inverted",),
        phrases=("inverted", "upside down", "numerator and denominator"),
    ),
    fresh(
        "hb-adam-second-correction-uses-beta1",
        "optimizers.Adam",
        "the second moment's bias correction is 1 - beta1^t (copy-paste of the first)",
        ("        bias_correction2 = 1.0 - beta2**self.t\n", "        bias_correction2 = 1.0 - beta1**self.t\n"),
        expect=("bias-correction-betas-swapped",),
        phrases=("beta2^t", "beta2**t", "beta2 ^ t", "1 - beta2"),
    ),
    fresh(
        "hb-adam-first-moment-corrected-twice",
        "optimizers.Adam",
        "the update divides m by 1 - beta1^t and also uses the step size lr / (1 - beta1^t): corrected twice",
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            '            p.data -= step_size * (state["exp_avg"] / bias_correction1 / denom)\n',
        ),
        expect=("bias-correction-twice",),  # added after reading output: "m was bias-corrected twice, ... ^2"
        phrases=("twice", "(1 - beta1^t)^2", "(1 - beta1^t)²", "corrected twice"),
    ),
    fresh(
        "hb-adamw-decay-subtracts-constant",
        "optimizers.AdamW",
        "the decay subtracts lr * weight_decay from every weight instead of shrinking p by that fraction",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        p.data -= self.lr * self.weight_decay\n        return g\n",
        ),
        # added after reading output: "subtracted the constant lr * weight_decay ... proportional to the weight"
        expect=("weight-decay-constant",),
        phrases=("proportional", "times p", "* p", "multiplies p", "multiply p", "scales p", "1 - lr * weight_decay"),
    ),
]

# ----------------------------------------------------------------------------------------- initialisers
_XAVIER_NORMAL = (
    "    fan_in, fan_out = fan_in_and_fan_out(shape)\n    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
    "    weight = rng.normal(0.0, std, size=shape)\n"
)

INIT = [
    fresh(
        "hb-fans-receptive-field-of-4d-only",
        "init.fan_in_and_fan_out",
        "the receptive field is shape[2] * shape[3]: written for conv kernels, it fails on a (out, in) weight",
        ("    receptive_field = math.prod(shape[2:])\n", "    receptive_field = shape[2] * shape[3]\n"),
        # added after reading output: reads shape[3], written for 4-D; math.prod(shape[2:])
        expect=("fixed-number-of-axes",),
        phrases=("2-d", "two dimensions", "any number of", "math.prod", "shape[2:]", "only 4-d", "4-d only"),
    ),
    fresh(
        "hb-xavier-uniform-precedence",
        "init.xavier_uniform",
        "std = gain * sqrt(2 / fan_in + fan_out): the parentheses around fan_in + fan_out are missing",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound = math.sqrt(3.0) * std",
            "    std = gain * math.sqrt(2.0 / fan_in + fan_out)\n    bound = math.sqrt(3.0) * std",
        ),
        expect=("precedence",),  # added after reading output
        phrases=(*_PRECEDENCE, "2 / fan_in + fan_out", "2/fan_in + fan_out"),
    ),
    fresh(
        "hb-xavier-normal-unpacks-shape",
        "init.xavier_normal",
        "the fans are unpacked from the shape itself (fan_out, fan_in = shape): fine for a matrix, an error for "
        "a conv kernel, whose receptive field belongs in both fans",
        (
            _XAVIER_NORMAL,
            _XAVIER_NORMAL.replace("fan_in, fan_out = fan_in_and_fan_out(shape)", "fan_out, fan_in = shape"),
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field", "fan_in_and_fan_out", "kh * kw"),
    ),
    fresh(
        "hb-kaiming-uniform-root-by-power-precedence",
        "init.kaiming_uniform",
        "std = gain / fan**1/2, meant as a square root: it is gain / fan / 2",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / fan**1/2\n    bound = math.sqrt(3.0) * std\n",
        ),
        # "sqrt(fan)" dropped after reading output: it matched the restated formula, not a diagnosis
        expect=("precedence",),  # added after reading output
        phrases=(*_PRECEDENCE, "** 0.5", "**0.5", "square root"),
    ),
    fresh(
        "hb-kaiming-normal-loc-and-scale-swapped",
        "init.kaiming_normal",
        "rng.normal(std, 0.0): the mean and the standard deviation arguments are swapped, every entry equals std",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(std, 0.0, size=shape)\n",
        ),
        expect=("not-centred",),
        phrases=("loc", "mean 0", "zero mean", "arguments", "argument order"),
    ),
]

# ----------------------------------------------------------------------------------------- training loop
TRAINING = [
    fresh(
        "hb-minibatches-global-permutation",
        "training.minibatches",
        "the permutation comes from np.random.permutation, not from the rng argument",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = np.random.permutation(len(X))\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng", "generator", "manual_seed"),
    ),
    fresh(
        "hb-minibatches-slice-end-not-offset",
        "training.minibatches",
        "each batch is X[start:size]: the slice end is not offset by start, so every batch after the first is empty",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.append((X[start:size], y[start:size]))\n",
        ),
        expect=("slice-bounds",),  # added after reading output
        phrases=("start + size", "start + batch_size", "empty", "slice end", "end of the slice"),
    ),
    fresh(
        "hb-fit-loss-arguments-swapped",
        "training.fit",
        "the loss is called as loss_fn.forward(y_batch, output): target and prediction swapped",
        (
            "            loss = loss_fn.forward(output, y_batch)\n",
            "            loss = loss_fn.forward(y_batch, output)\n",
        ),
        expect=("fit-arguments",),
        phrases=("swapped", "(output, y_batch)", "input, target", "prediction first"),
    ),
    fresh(
        "hb-fit-forward-on-whole-set",
        "training.fit",
        "the model's forward is run on the whole X instead of X_batch",
        ("            output = model.forward(X_batch)\n", "            output = model.forward(X)\n"),
        phrases=("x_batch", "whole x", "whole training set", "full training set", "instead of the batch"),
    ),
    fresh(
        "hb-fit-step-after-the-batches",
        "training.fit",
        "optimizer.step() is dedented out of the batch loop: one step per epoch, from the last batch's gradient",
        (
            "            optimizer.step()\n            total += float(loss) * len(X_batch)\n",
            "            total += float(loss) * len(X_batch)\n        optimizer.step()\n",
        ),
        expect=("call-order",),
        phrases=("every batch", "each batch", "per batch", "once per epoch", "indent"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hb-perceptron-predict-booleans",
        "models.Perceptron",
        "predict returns the boolean array scores > 0 instead of 0.0 / 1.0 floats",
        ("        predictions = (scores > 0).astype(np.float64)\n", "        predictions = scores > 0\n"),
        phrases=("bool", "dtype", "0.0/1.0", "0.0 or 1.0", "astype"),
    ),
    fresh(
        "hb-perceptron-fit-clean-check-inside-loop",
        "models.Perceptron",
        "the 'no mistakes' test is indented into the sample loop: fit returns True as soon as the first samples "
        "of an epoch are right",
        (
            "                if self.update(x, target) != 0.0:\n                    mistakes += 1\n"
            "            if mistakes == 0:\n                return True\n",
            "                if self.update(x, target) != 0.0:\n                    mistakes += 1\n"
            "                if not mistakes:\n                    return True\n",
        ),
        expect=("fit-true-too-early",),
        phrases=("whole epoch", "end of the epoch", "after the epoch", "full epoch", "every sample", "indent"),
    ),
    fresh(
        "hb-sequential-backward-reverses-in-place",
        "models.Sequential",
        "backward calls self.layers.reverse(), which reverses the list in place: the next forward runs the layers "
        "last to first",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        self.layers.reverse()\n"
            "        for layer in self.layers:\n            grad_y = layer.backward(grad_y)\n",
        ),
        expect=("mutates-layers",),  # added after reading output
        phrases=("in place", "reverse()", "reversed(", "list.reverse"),
    ),
    fresh(
        "hb-sequential-train-calls-eval",
        "models.Sequential",
        "train() (copied from eval()) puts every layer in eval mode",
        (
            "        self.training = True\n        for layer in self.layers:\n            layer.train()\n",
            "        self.training = True\n        for layer in self.layers:\n            layer.eval()\n",
        ),
        expect=("train-eval",),
        phrases=("train()", "training mode", "eval()"),
    ),
]

# ----------------------------------------------------------------------------------------- gradient checking
GRADCHECK = [
    fresh(
        "hb-numgrad-divides-by-two-times-h",
        "gradcheck.numerical_gradient",
        "the central difference is written (f_plus - f_minus) / 2 * h: divided by 2, multiplied by h",
        ("        grad[index] = (f_plus - f_minus) / (2 * h)\n", "        grad[index] = (f_plus - f_minus) / 2 * h\n"),
        # added after reading output: 1e-10 is h^2: / 2 * h without parentheses multiplies by h
        expect=("numgrad-divisor",),
        phrases=(*_PRECEDENCE, "/ 2 * h", "(2 * h)", "(2h)"),
    ),
    fresh(
        "hb-numgrad-shifts-every-entry",
        "gradcheck.numerical_gradient",
        "each probe calls f(x + h) and f(x - h): every entry is shifted at once (and f gets a new array)",
        (
            "        x[index] = original + h\n        f_plus = float(f(x))\n"
            "        x[index] = original - h\n        f_minus = float(f(x))\n",
            "        f_plus = float(f(x + h))\n        f_minus = float(f(x - h))\n",
        ),
        expect=("perturbs-copy",),  # added after reading output: f(x + h) is a perturbed copy, as it says
        phrases=("one entry", "one at a time", "every entry at once", "all entries at once", "x[i]", "x[index]"),
    ),
    fresh(
        "hb-relerr-max-over-max",
        "gradcheck.relative_error",
        "divides the largest difference by the largest |a| + |b|, instead of taking the largest entry-wise ratio",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n    return float(np.max(ratio))\n",
            "    return float(np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a) + np.abs(b))))\n",
        ),
        expect=("norm-not-entrywise",),
        phrases=("entry-wise", "entrywise", "each entry", "per entry", "largest ratio", "max of the ratios"),
    ),
    # hb-relerr-empty-not-handled was dropped in session 6: docs/api.md defines relative_error as the
    # largest entry-wise ratio and says nothing of empty arrays, so raising on them is no mistake.
]

# ----------------------------------------------------------------------------------------- early stopping
_FIT_ONE = "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"

EARLY_STOPPING = [
    fresh(
        "hb-early-stopping-train-loss-is-a-list",
        "early_stopping.fit_early_stopping",
        "fit's one-element history is kept as it is: train_losses holds lists, not floats",
        (_FIT_ONE, _FIT_ONE.replace("(train_loss,) =", "train_loss =")),
        # added after reading output: each entry is a list of one: unpack fit's result
        expect=("fit-result-not-unpacked",),
        phrases=("a list", "unpack", "[0]", "a float", "list of one"),
    ),
    fresh(
        "hb-early-stopping-epoch-passed-as-epochs",
        "early_stopping.fit_early_stopping",
        "fit is called with epochs=epoch: epoch k trains k epochs instead of one",
        (_FIT_ONE, _FIT_ONE.replace("X, y, 1, batch_size", "X, y, epoch, batch_size")),
        # added after reading output: "call 2 of fit had epochs=2 ... each epoch of early stopping is one call
        # fit(..., 1, ...)", the arguments of fit named as in training.fit's own fit-arguments
        expect=("fit-arguments",),
        phrases=("one epoch", "epochs=1", "1 epoch", "at a time", "single epoch"),
    ),
    fresh(
        "hb-early-stopping-min-delta-relative",
        "early_stopping.fit_early_stopping",
        "an improvement must beat best * (1 - min_delta): min_delta taken as a relative, not absolute, decrease",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if val_loss < best_loss * (1.0 - min_delta):\n",
        ),
        # added after reading output: min_delta taken as a relative decrease; it is absolute
        expect=("min-delta-relative",),
        phrases=("absolute", "relative", "best - min_delta", "best_loss - min_delta"),
    ),
    fresh(
        "hb-early-stopping-stopped-epoch-next",
        "early_stopping.fit_early_stopping",
        "stopped_epoch is recorded as epoch + 1, the epoch that would have come next",
        ("                history.stopped_epoch = epoch\n", "                history.stopped_epoch = epoch + 1\n"),
        expect=("stopped-epoch",),
        phrases=("off by one",),  # "stopped_epoch" dropped after reading output: it matched the bare observation
    ),
]

FRESH: list[Mutant] = [
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
