"""Held-apart set E: fresh student bugs, written blind after sets A, B, C and D had been seen.

Sets A (``HELDOUT``), B (``FRESH``), C (``FRESH_C``) and D (``FRESH_D``) have been read by the people
improving the diagnosis, so they no longer measure generalisation. Set E was written blind: its author
read the reference, docs/api.md, the catalogue's mutants and sets A to D (for the format, the tag
vocabulary and to avoid copies), but never the diagnosis (graders/judging/checks, diagnose, evidence, crashes,
contracts), its feedback or its output, and graded none of these bugs while writing them. They are
mistakes students make (PyTorch habits such as ``loss.backward()`` standing in for the model's backward
pass, ``np.eye(N)`` where ``np.eye(C)`` belongs, a boolean-mask index that flattens the gradient,
``np.split`` that needs equal parts, copy-paste of the wrong log term, a running count of errors whose
signs cancel, a bias added after the transpose, parentheses that move a factor, an average updated
before it is read), different from the catalogue's and sets A to D's where possible and never the same
edit. Ids start with ``he-``. The ``expect`` tags and ``phrases`` were decided from the misconception
alone, before any grading: a catalogue tag where one names the mistake, else a new descriptive tag;
phrases are words any correct explanation would contain, never text of numpy's or Python's own error
messages.

Blind rate, measured before anybody read the set (session 7, on 3b4748b): 41/76 named (54 %),
15 flagged misleading, 76/76 caught.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "he-")  # set E


_PRECEDENCE = ("parenthes", "precedence")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "he-sigmoid-backward-upstream-on-first-term-only",
        "activations.Sigmoid",
        "backward expands grad_y * y (1 - y) as grad_y * y - y * y: the upstream gradient multiplies the first "
        "term of the derivative only",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        return grad_y * self._y - self._y * self._y\n",
        ),
        expect=("operator-precedence", "derivative-wrong-form"),
        phrases=(*_PRECEDENCE, "both terms", "second term", "whole derivative"),
    ),
    fresh(
        "he-tanh-backward-squares-saved-output-in-place",
        "activations.Tanh",
        "backward squares the saved output in place (self._y **= 2) to save an array: the output forward "
        "returned to the caller changes, and a second backward squares it again",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        self._y **= 2\n        return grad_y * (1.0 - self._y)\n",
        ),
        expect=("backward-mutates-saved-state",),
        phrases=("in place", "in-place", "saved output", "second backward", "called twice"),
    ),
    fresh(
        "he-relu-backward-boolean-index",
        "activations.ReLU",
        "backward returns grad_y[self._mask], a boolean-mask index: a flat vector of the active entries, not "
        "an array shaped like the input with zeros where x <= 0",
        ("        return np.where(self._mask, grad_y, 0.0)\n", "        return grad_y[self._mask]\n"),
        expect=("gradient-not-shaped-like-input",),
        phrases=("boolean index", "boolean mask", "flattened", "shaped like", "same shape"),
    ),
    fresh(
        "he-leakyrelu-backward-branch-on-upstream-sign",
        "activations.LeakyReLU",
        "backward chooses the branch by the sign of grad_y instead of the sign of the saved input x",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return np.where(grad_y > 0, grad_y, self.negative_slope * grad_y)\n",
        ),
        expect=("mask-from-upstream",),
        phrases=("sign of x", "saved input", "input x", "where x > 0", "of the input"),
    ),
    fresh(
        "he-prelu-slope-grad-times-slope",
        "activations.PReLU",
        "the slope's gradient sums grad_y * a over the negative entries: dy/dx (= a) used where dy/da (= x) belongs",
        (
            "        contribution = np.where(negative, grad_y * self._x, 0.0)\n",
            "        contribution = np.where(negative, grad_y * self._a, 0.0)\n",
        ),
        expect=("prelu-grad-without-x",),
        phrases=("dy/da", "times x", "grad_y * x", "multiplied by x", "with respect to a"),
    ),
    fresh(
        "he-elu-minimum-written-maximum",
        "activations.ELU",
        "the negative branch takes expm1 of np.maximum(x, 0) instead of np.minimum(x, 0): it is always "
        "expm1(0) = 0, so ELU forward is ReLU",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.maximum(x, 0.0)))\n",
        ),
        # added after reading output: negative-branch-ignored, "forward returns 0 for x <= 0 ...: it was evaluated
        # at max(x, 0), np.maximum where the stable form's clamp np.minimum(x, 0) belongs, or it was left out"
        expect=("min-max-confused", "negative-branch-ignored"),
        phrases=("np.minimum", "min(x, 0)", "minimum(x, 0", "maximum instead", "instead of minimum"),
    ),
    fresh(
        "he-selu-inner-elu-alpha-is-scale",
        "activations.SELU",
        "the inner ELU is built with alpha = SELU_SCALE (1.0507) instead of SELU_ALPHA (1.6733): the two "
        "constants confused in one place",
        ("        self._elu = ELU(alpha=SELU_ALPHA)\n", "        self._elu = ELU(alpha=SELU_SCALE)\n"),
        expect=("selu-constants", "selu-alpha-missing"),
        phrases=("1.6733", "selu_alpha", "alpha constant"),
    ),
    fresh(
        "he-gelu-cdf-without-one-plus",
        "activations.GELU",
        "Phi(x) is written erf(x / sqrt 2) / 2, dropping the 1 + of (1 + erf(x / sqrt 2)) / 2: the 'CDF' is "
        "negative for x < 0 and 0 at x = 0",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            "        self._cdf = 0.5 * erf(x / math.sqrt(2.0))\n",
        ),
        expect=("formula-constant",),
        phrases=("1 + erf", "erfc", "plus one"),
    ),
    fresh(
        "he-silu-backward-parentheses-misplaced",
        "activations.SiLU",
        "the derivative s (1 + x (1 - s)) is typed s * (1 + x) * (1 - s): the parentheses moved",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return grad_y * (s * (1.0 + self._x) * (1.0 - s))\n",
        ),
        expect=("derivative-wrong-form", "operator-precedence"),
        phrases=(*_PRECEDENCE, "product rule", "s + x s (1 - s)"),
    ),
    fresh(
        "he-softplus-linear-branch-returns-beta-x",
        "activations.Softplus",
        "past the threshold forward returns z = beta * x instead of x: the identity branch is scaled by beta",
        (
            "        return np.where(self._linear, x, soft)\n",
            "        return np.where(self._linear, z, soft)\n",
        ),
        expect=("softplus-linear-branch-scaled",),
        phrases=("beta * x", "beta x", "returns x", "identity", "not divided by beta"),
    ),
    fresh(
        "he-softmax-max-subtracted-after-exp",
        "activations.Softmax",
        "the shift is typed np.exp(x) - max(x): the maximum is subtracted after exponentiating instead of "
        "inside the exponent",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(x) - np.max(x, axis=self.dim, keepdims=True)\n",
        ),
        expect=("operator-precedence", "overflow"),
        phrases=(*_PRECEDENCE, "inside the exp", "inside the exponent", "before exponentiating", "x - max"),
    ),
    fresh(
        "he-logsoftmax-sum-drops-axis",
        "activations.LogSoftmax",
        "the log of the summed exponentials is taken without keepdims: a reduced array meets the unreduced "
        "shifted logits",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim))\n",
        ),
        expect=("reduction-without-keepdims",),
        phrases=("keepdims", "keep the axis", "reduced axis"),
    ),
    fresh(
        "he-maxout-bias-grad-summed-over-pieces",
        "activations.Maxout",
        "the bias gradient sums grad_z (N, K, M) over axis 1 (the pieces) instead of axis 0 (the batch)",
        ("        self.bias.grad += grad_z.sum(axis=0)\n", "        self.bias.grad += grad_z.sum(axis=1)\n"),
        expect=("gradient-summed-over-wrong-axes",),
        phrases=("axis 0", "over the batch", "batch axis", "wrong axis"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "he-linear-bias-added-as-column",
        "layers.Linear",
        "forward adds the bias as a column, bias[:, None] (Conv2d's layout), to the (N, M) output: it "
        "broadcasts along the wrong axis",
        ("            y += self.bias.data\n", "            y = y + self.bias.data[:, None]\n"),
        expect=("broadcast-wrong-axis",),
        phrases=("[:, None]", "as a column", "bias[None, :]", "(M,)"),
    ),
    fresh(
        "he-linear-weight-grad-einsum-in-out",
        "layers.Linear",
        "the weight gradient is np.einsum('ni,nj->ij', x, grad_y), an (in, out) matrix where the weight is (out, in)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            '        self.weight.grad += np.einsum("ni,nj->ij", self._x, grad_y)\n',
        ),
        expect=("transposed",),
        phrases=("transpose", "(out, in)", "grad_y.T @ x", "out_features, in_features"),
    ),
    fresh(
        "he-linear-bias-grad-assigned",
        "layers.Linear",
        "the bias gradient is assigned (=) instead of accumulated (+=): gradients of earlier backward calls are lost",
        (
            "            self.bias.grad += grad_y.sum(axis=0)\n",
            "            self.bias.grad = grad_y.sum(axis=0)\n",
        ),
        expect=("grad-overwritten", "assigned-not-accumulated"),
        phrases=("accumulate", "+=", "overwrit"),
    ),
    fresh(
        "he-conv-backward-grad-not-transposed",
        "layers.Conv2d",
        "backward reshapes grad_y (N, F, H', W') straight to (F, N*H'*W') without transposing the batch and "
        "channel axes first, so the columns no longer line up with forward's",
        (
            "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
            "        G = grad_y.reshape(F, N * Ho * Wo)\n",
        ),
        expect=("reshape-not-transpose", "axes-permuted"),
        phrases=("transpose", "channels first", "(f, n"),
    ),
    fresh(
        "he-conv-weight-grad-divided-by-batch",
        "layers.Conv2d",
        "the weight gradient is divided by the batch size N (an average) instead of being the sum over samples",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape) / N\n",
        ),
        expect=("divided-by-batch-size",),
        phrases=("divided by n", "divide by n", "batch size", "sum over", "not averaged"),
    ),
    fresh(
        "he-conv-unpad-with-padded-size",
        "layers.Conv2d",
        "backward crops grad_xp[pH:pH + H] with H, W read from the padded shape: the crop keeps the trailing "
        "padding rows and columns, so grad_x is larger than x whenever there is padding",
        (
            "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n",
            "        H, W = self._xp_shape[2], self._xp_shape[3]\n",
        ),
        expect=("padding-slice-bounds",),
        phrases=("unpadded", "padded size", "trailing padding", "shape of x", "input's shape"),
    ),
    fresh(
        "he-conv-bias-added-after-transpose",
        "layers.Conv2d",
        "the bias (F,) is added after the output was reshaped to (N, F, H', W'): numpy lines it up with the "
        "last axis (the width), not with the channels",
        span(
            "layers",
            ("        if self.bias is not None:\n            y += self.bias.data[:, None]\n", ""),
            (
                "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
                "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)\n"
                "        if self.bias is not None:\n            y = y + self.bias.data\n",
            ),
        ),
        expect=("broadcast-wrong-axis",),
        phrases=("channel axis", "[:, None, None]", "last axis", "(1, F, 1, 1)", "before the transpose"),
    ),
    fresh(
        "he-maxpool-forward-steps-by-kernel",
        "layers.MaxPool2d",
        "forward takes every kH-th row and kW-th column of the windows (stride assumed equal to the kernel, "
        "the default): a given stride is ignored",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::kH, ::kW]\n"
            "        windows = windows.reshape(",
        ),
        expect=("stride-is-kernel", "hyperparameter-ignored"),
        phrases=(
            "stride ignored",
            "ignores the stride",
            "ignored the stride",
            "given stride",
            "kernel size as the stride",
        ),
    ),
    fresh(
        "he-maxpool-backward-gradient-shared-by-window-area",
        "layers.MaxPool2d",
        "backward divides the gradient routed to each maximum by kH * kW (copied from average pooling): the "
        "maximum should get the whole gradient",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += "
            "np.where(won, grad_y / (kH * kW), 0.0)\n",
        ),
        expect=("maxpool-gradient-divided",),
        phrases=("whole gradient", "full gradient", "not divided", "average pooling", "kh * kw"),
    ),
    fresh(
        "he-maxpool-backward-offsets-over-stride",
        "layers.MaxPool2d",
        "backward loops over range(sH) and range(sW) window offsets instead of range(kH) and range(kW): right "
        "only when stride = kernel; with stride 1 most maxima get no gradient",
        (
            "        for i in range(kH):\n            for j in range(kW):\n                won =",
            "        for i in range(sH):\n            for j in range(sW):\n                won =",
        ),
        expect=("kernel-stride-confused",),
        phrases=("range(kh)", "kernel size", "window size", "every offset"),
    ),
    fresh(
        "he-avgpool-backward-divided-by-input-area",
        "layers.AvgPool2d",
        "backward shares each window's gradient over the input's H * W (global average pooling) instead of "
        "the window's kH * kW",
        (
            "        share = grad_y / (kH * kW)\n",
            "        share = grad_y / (self._x_shape[2] * self._x_shape[3])\n",
        ),
        expect=("avgpool-divisor",),
        phrases=("kh * kw", "window's area", "window area", "size of the window", "entries of the window"),
    ),
    fresh(
        "he-avgpool-backward-column-loop-over-kh",
        "layers.AvgPool2d",
        "backward's inner loop runs over range(kH) column offsets (a typo for kW): right for square windows only",
        (
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "            for j in range(kH):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        ),
        expect=("square-only-index",),
        phrases=("square", "range(kw)", "non-square"),
    ),
    fresh(
        "he-flatten-saves-sample-shape",
        "layers.Flatten",
        "forward saves the shape of one sample, x[0].shape, and backward reshapes the (N, D) gradient to it: "
        "the batch axis is lost",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = x[0].shape\n        y = x.reshape(self._y_shape)\n",
        ),
        expect=("batch-axis-dropped", "flatten-batch-axis"),
        phrases=("batch axis", "batch dimension", "x.shape", "whole input shape", "input's shape"),
    ),
    fresh(
        "he-dropout-one-coin-per-sample",
        "layers.Dropout",
        "the mask is drawn with shape (N, 1): each sample is kept or dropped whole, instead of each entry "
        "independently",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random((x.shape[0], 1)) >= self.p\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-mask-shared-across-features
        expect=("dropout-mask-shape", "dropout-mask-shared-across-features"),
        phrases=("each entry", "every entry", "independently", "x.shape", "same shape as x"),
    ),
    fresh(
        "he-dropout-binomial-with-p",
        "layers.Dropout",
        "the mask is rng.binomial(1, p, shape), which keeps an entry with probability p: p read as the keep "
        "probability (the kept entries still scaled by 1 / (1 - p))",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.binomial(1, self.p, x.shape) == 1\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "dropout-p-zero-drops-all"),
        phrases=("keep probability", "probability of dropping", "probability to drop", "1 - p"),
    ),
    fresh(
        "he-dropout-forward-multiplies-by-keep",
        "layers.Dropout",
        "training forward multiplies x by the 0/1 keep mask, without the 1 / (1 - p) scale that the saved "
        "mask (and so backward) carries",
        ("            y = x * self._mask\n", "            y = x * keep\n"),
        expect=("dropout-not-rescaled",),
        phrases=("1 / (1 - p)", "1/(1 - p)", "rescal", "inverted dropout"),
    ),
]

BATCHNORM = [
    fresh(
        "he-bn1d-bias-grad-mean",
        "layers.BatchNorm1d",
        "the shift's gradient averages grad_y over the batch instead of summing it",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "        self.bias.grad += grad_y.sum(axis=axes)\n",
                        "        self.bias.grad += grad_y.mean(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("bias-mean-not-sum",),
        phrases=("sum over", "summed over", "not the mean", "instead of the mean", "instead of averag"),
    ),
    fresh(
        "he-bn1d-backward-mean-term-of-grad-y",
        "layers.BatchNorm1d",
        "training backward subtracts the mean of grad_y where the mean of g = grad_y * gamma belongs: the "
        "scale is left out of the mean's term",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n",
                        "                - grad_y.mean(axis=axes, keepdims=True)\n",
                    )
                ]
            },
        ),
        expect=("bn-backward-missing-gamma",),
        phrases=("grad_x_hat", "times gamma", "scaled by gamma", "grad_y * gamma", "gamma * grad_y"),
    ),
    fresh(
        "he-bn1d-weight-grad-over-batch-axis-only",
        "layers.BatchNorm1d",
        "the scale's gradient sums grad_y * x_hat over axis 0 only: right for (N, C), but for (N, C, L) it "
        "leaves (C, L) where (C,) belongs",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=0)\n",
                    )
                ]
            },
        ),
        expect=("bn-wrong-axes", "gradient-summed-over-wrong-axes"),
        phrases=("axis 0", "every axis but", "over l", "(n, c, l)", "length axis"),
    ),
    fresh(
        "he-bn2d-backward-means-over-batch-only",
        "layers.BatchNorm2d",
        "training backward's two means are taken over axis 0 only, while forward's statistics cover N, H and W",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n",
                        "                - grad_x_hat.mean(axis=0, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=0, keepdims=True)\n",
                    )
                ]
            },
        ),
        expect=("bn-wrong-axes",),
        phrases=("h and w", "n, h, w", "n*h*w", "(0, 2, 3)", "every axis but"),
    ),
    fresh(
        "he-bn2d-weight-grad-times-gamma",
        "layers.BatchNorm2d",
        "the scale's gradient sums grad_y * gamma * x_hat: gamma itself is multiplied into its own gradient",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                        "        self.weight.grad += "
                        "(grad_y * self.weight.data.reshape(shape) * self._x_hat).sum(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("bn-gamma-grad-times-gamma",),
        phrases=("grad_y * x_hat", "without gamma", "not multiplied by gamma", "gamma itself"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "he-mse-backward-not-averaged",
        "losses.MSELoss",
        "backward returns 2 (x - t) without dividing by the number of entries, though forward averages",
        ("        return 2.0 * self._diff / self._diff.size\n", "        return 2.0 * self._diff\n"),
        # added after reading output (tag-vocabulary audit): grad-not-averaged
        expect=("times-size", "times-batch-size", "grad-not-averaged"),
        phrases=("number of entries", "not averaged", "divide by the number", "divided by the number", ".size"),
    ),
    fresh(
        "he-mse-saves-absolute-difference",
        "losses.MSELoss",
        "forward saves |x - t| ('it is squared anyway'): the loss is right, but backward's 2 (x - t) / M loses "
        "its sign wherever x < t",
        ("        self._diff = x - t\n", "        self._diff = np.abs(x - t)\n"),
        expect=("sign-lost",),
        phrases=("its sign", "sign of", "absolute value", "np.abs", "x - t"),
    ),
    fresh(
        "he-bce-log-p-twice",
        "losses.BCELoss",
        "forward's second term multiplies 1 - t by log p again (copy-paste) where log(1 - p) belongs",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_p)\n",
        ),
        expect=("bce-wrong-log-term",),
        phrases=("log(1 - p)", "log(1-p)", "second term", "log_1mp", "1 - p"),
    ),
    fresh(
        "he-bce-backward-not-averaged",
        "losses.BCELoss",
        "backward forgets the final division by the number of entries that forward's mean implies",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS)\n",
        ),
        # added after reading output (tag-vocabulary audit): grad-not-averaged
        expect=("times-size", "times-batch-size", "grad-not-averaged"),
        phrases=("number of entries", "not averaged", "divide by the number", "divided by the number", ".size"),
    ),
    fresh(
        "he-bce-logits-log1p-as-log",
        "losses.BCEWithLogitsLoss",
        "the stable form's log(1 + e^-|x|) is written np.log(z): the 1 + is lost and the loss drops by "
        "log(1 + e^-|x|) + |x|",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log(z))\n",
        ),
        expect=("log1p-as-log",),
        phrases=("log1p", "log(1 + "),
    ),
    fresh(
        "he-bce-logits-grad-target-minus-sigmoid",
        "losses.BCEWithLogitsLoss",
        "backward returns (t - sigmoid(x)) / M: the sign of the gradient is flipped",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        return (self._t - self._s) / self._s.size\n",
        ),
        expect=("sign-flipped",),
        phrases=(
            "sign of the gradient",
            "sign flipped",
            "flipped sign",
            "opposite sign",
            "wrong sign",
            "sigmoid(x) - t",
            "s - t",
        ),
    ),
    fresh(
        "he-ce-onehot-from-eye-n",
        "losses.CrossEntropyLoss",
        "backward builds the one-hot targets as np.eye(N)[labels], N rows of N columns, where np.eye(C) with "
        "one column per class belongs",
        (
            "        grad = self._probs.copy()\n        grad[np.arange(N), self._labels] -= 1.0\n",
            "        grad = self._probs - np.eye(N)[self._labels]\n",
        ),
        expect=("onehot-wrong-size",),
        phrases=("np.eye(c)", "number of classes", "one column per class"),
    ),
    fresh(
        "he-ce-log-likelihood-not-negated",
        "losses.CrossEntropyLoss",
        "forward returns the mean log-probability of the true classes without its minus sign: the loss is "
        "negative and decreases as the model gets worse",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = np.mean(log_probs[np.arange(N), self._labels])\n",
        ),
        expect=("sign-flipped",),
        phrases=("minus sign", "negative log", "sign flipped", "wrong sign", "negated"),
    ),
    fresh(
        "he-hinge-max-over-classes",
        "losses.HingeLoss",
        "forward takes each sample's largest slack (Crammer-Singer) instead of the sum over the wrong classes "
        "(Weston-Watkins, the API's loss); backward still sums",
        (
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        loss = np.maximum(slack, 0.0).max(axis=1).sum() / x.shape[0]\n",
        ),
        expect=("hinge-max-not-sum",),
        phrases=("sum over", "every wrong class", "all classes", "weston", "each class"),
    ),
    fresh(
        "he-hinge-true-class-count-over-batch",
        "losses.HingeLoss",
        "backward gives the true class minus the number of active slacks of the whole batch (np.sum without "
        "an axis) instead of its own row's count",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -self._active.sum()\n",
        ),
        expect=("reduction-over-whole-array",),
        phrases=("axis=1", "per sample", "each sample", "its own row", "each row"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "he-sgd-lr-inside-velocity",
        "optimizers.SGD",
        "the velocity accumulates lr * g (the 'lr inside' formulation) and the step multiplies it by lr again",
        (
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                    buf = self.momentum * buf + self.lr * (1.0 - self.dampening) * g\n",
        ),
        expect=("lr-applied-twice",),
        phrases=("lr twice", "learning rate twice", "multiplied by lr again", "lr again"),
    ),
    fresh(
        "he-sgd-momentum-multiplies-gradient",
        "optimizers.SGD",
        "the velocity update is typed momentum * (b + (1 - dampening) g): the parentheses make momentum scale "
        "the new gradient too",
        (
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                    buf = self.momentum * (buf + (1.0 - self.dampening) * g)\n",
        ),
        # the last tag added after reading output (the simulation of exactly this slip, momentum * (b + x))
        expect=("precedence", "momentum-on-velocity-and-gradient"),
        phrases=(*_PRECEDENCE, "momentum * b + g", "new gradient"),
    ),
    fresh(
        "he-adagrad-step-count-per-parameter",
        "optimizers.Adagrad",
        "the step count and the decayed learning rate are updated inside the loop over parameters: with two "
        "parameters the decay runs twice as fast",
        (
            "        self.t += 1\n        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n",
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            self.t += 1\n            clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
        ),
        expect=("t-counted-per-parameter",),
        phrases=("per parameter", "once per step", "each parameter", "inside the loop"),
    ),
    fresh(
        "he-rmsprop-momentum-buffer-not-used",
        "optimizers.RMSprop",
        "with momentum the buffer is updated and stored, but the step still uses g / avg: momentum has no effect",
        (
            '                p.data -= self.lr * state["momentum_buffer"]\n',
            "                p.data -= self.lr * (g / avg)\n",
        ),
        expect=("momentum-ignored",),
        phrases=("momentum buffer", "buffer", "momentum has no effect", "never used"),
    ),
    fresh(
        "he-rmsprop-centered-variance-reversed",
        "optimizers.RMSprop",
        "the centered variance is written m^2 - v instead of v - m^2: it is clamped to 0, so every step "
        "divides by eps alone",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = np.maximum(state["grad_avg"] ** 2 - state["square_avg"], 0.0)\n',
        ),
        expect=("sign-flipped", "centered-variance-reversed"),
        phrases=("v - m^2", "v - m**2", "square_avg - grad_avg", "reversed"),
    ),
    fresh(
        "he-adadelta-rms-before-average-update",
        "optimizers.Adadelta",
        "the gradient RMS is computed from the square average before this step's g^2 is added: the first "
        "step divides by sqrt(eps) and is as large as the gradient",
        (
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
            '            std = np.sqrt(state["square_avg"] + self.eps)\n',
            '            std = np.sqrt(state["square_avg"] + self.eps)\n'
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
        ),
        # added after reading output (tag-vocabulary audit): adadelta-stale-average
        expect=("accumulator-after-step", "adadelta-accumulator-order", "adadelta-stale-average"),
        phrases=("before this step", "this step's g", "after updating", "updated average", "stale"),
    ),
    fresh(
        "he-adam-second-moment-not-squared",
        "optimizers.Adam",
        "the second moment averages g instead of g^2: it can be negative, and its square root is nan",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g\n',
        ),
        expect=("gradient-not-squared",),
        phrases=("g^2", "g * g", "squared gradient", "square of the gradient", "g**2"),
    ),
    fresh(
        "he-adam-step-size-without-first-correction",
        "optimizers.Adam",
        "the step size is lr: the first moment's bias correction 1 / (1 - beta1^t) is forgotten while the "
        "second moment's is kept",
        ("        step_size = self.lr / bias_correction1\n", "        step_size = self.lr\n"),
        # added after reading output (tag-vocabulary audit): adam-no-bias-correction-m
        expect=("adam-no-bias-correction", "adam-no-bias-correction-m"),
        phrases=("bias correction", "bias-correction", "1 - beta1"),
    ),
    fresh(
        "he-adamw-decay-factor-parenthesised",
        "optimizers.AdamW",
        "the decay factor is typed (1 - lr) * weight_decay instead of 1 - lr * weight_decay: every step "
        "multiplies the weights by about weight_decay",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data *= (1.0 - self.lr) * self.weight_decay\n",
        ),
        expect=("precedence",),
        phrases=(*_PRECEDENCE, "1 - lr * weight_decay"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "he-fans-fan-in-from-last-axis",
        "init.fan_in_and_fan_out",
        "fan_in is read from shape[-1] (the (in, out) habit of x @ W) times the receptive field: right for an "
        "(out, in) matrix, but a conv kernel's fan_in counts kW instead of its input channels",
        (
            "    fan_in = shape[1] * receptive_field\n",
            "    fan_in = shape[-1] * receptive_field\n",
        ),
        expect=("fan-in-wrong-axis",),
        phrases=("shape[1]", "input channels", "in_channels", "second axis", "axis 1"),
    ),
    fresh(
        "he-xavier-uniform-root-of-two-only",
        "init.xavier_uniform",
        "std = gain * sqrt(2) / (fan_in + fan_out): the square root covers the 2 only",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    std = gain * math.sqrt(2.0) / (fan_in + fan_out)\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("root-scope",),
        phrases=("square root", "sqrt(2 / (fan_in + fan_out))", *_PRECEDENCE),
    ),
    fresh(
        "he-xavier-normal-uniform-six",
        "init.xavier_normal",
        "the normal's std uses the uniform bound's 6: gain * sqrt(6 / (fan_in + fan_out)), sqrt(3) times too large",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(6.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("uniform-normal-confused", "formula-constant"),
        phrases=("sqrt(2 /", "2 / (fan_in + fan_out)", "uniform bound", "sqrt(3)", "6 /"),
    ),
    fresh(
        "he-kaiming-uniform-sqrt-missing",
        "init.kaiming_uniform",
        "std = gain / fan: the square root of the fan is forgotten",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / fan\n    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("sqrt-missing",),
        phrases=("square root", "sqrt(fan)"),
    ),
    fresh(
        "he-kaiming-uniform-gain-given-mode",
        "init.kaiming_uniform",
        "calculate_gain is called with mode where the slope a belongs (calculate_gain(nonlinearity, mode)): "
        "the leaky ReLU's slope is a string",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
            "    gain = calculate_gain(nonlinearity, mode)\n    std = gain / math.sqrt(fan)\n    bound",
        ),
        expect=("a-ignored", "gain-arguments"),
        phrases=("calculate_gain(nonlinearity, a)", "slope a", "negative slope"),
    ),
    fresh(
        "he-kaiming-normal-divides-by-std",
        "init.kaiming_normal",
        "the weights are standard normal draws divided by std instead of multiplied by it: their spread is 1 / std",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.standard_normal(shape) / std\n",
        ),
        expect=("formula-operator",),
        phrases=("multiplied by std", "multiply by std", "times std", "divided by std", "divides by std", "1 / std"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "he-minibatches-permutes-columns",
        "training.minibatches",
        "the permutation indexes X's columns, X[:, order], instead of its rows (samples); y's rows are permuted",
        ("        X, y = X[order], y[order]\n", "        X, y = X[:, order], y[order]\n"),
        expect=("permutes-wrong-axis", "unpaired-shuffle"),
        phrases=("permutes the columns", "columns of x", "rows of x", "axis 0", "x[order]"),
    ),
    fresh(
        "he-minibatches-np-split",
        "training.minibatches",
        "the batches are cut with np.split(X, len(X) // size), which needs equal parts: it raises whenever "
        "batch_size does not divide the number of samples, where a smaller last batch with the remainder "
        "belongs",
        (
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "    batches = list(zip(np.split(X, len(X) // size), np.split(y, len(y) // size)))\n",
        ),
        expect=("remainder-batch", "batch-sizes"),
        phrases=("remainder", "does not divide", "smaller last batch", "last batch"),
    ),
    fresh(
        "he-minibatches-shuffled-copies-unused",
        "training.minibatches",
        "the shuffled arrays are bound to new names (X_shuffled, y_shuffled) while the batches are still cut "
        "from X and y: the permutation is drawn and never used, so shuffle=True changes nothing",
        (
            "        X, y = X[order], y[order]\n",
            "        X_shuffled, y_shuffled = X[order], y[order]\n",
        ),
        expect=("shuffle-ignored",),
        phrases=("never used", "not used", "unshuffled", "stored order", "shuffled arrays", "shuffled copies"),
    ),
    fresh(
        "he-fit-loss-backward-only",
        "training.fit",
        "the loop calls loss_fn.backward() on its own (PyTorch's loss.backward()) and never hands its result "
        "to model.backward: no parameter gets a gradient, so nothing trains",
        ("            model.backward(loss_fn.backward())\n", "            loss_fn.backward()\n"),
        expect=("model-backward-missing", "method-not-called"),
        phrases=("model.backward", "backpropagat", "never reaches the model"),
    ),
    fresh(
        "he-fit-rng-not-passed",
        "training.fit",
        "minibatches is called without rng: each epoch shuffles with the default generator instead of the "
        "one fit was given",
        (
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle):\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng argument", "pass rng", "rng on to", "not passed", "default generator"),
    ),
    fresh(
        "he-fit-returns-after-first-epoch",
        "training.fit",
        "return history is indented into the epoch loop: fit returns after the first epoch whatever epochs says",
        (
            "        history.append(total / len(X))\n",
            "        history.append(total / len(X))\n        return history\n",
        ),
        expect=("fit-epochs",),
        phrases=("first epoch", "one epoch", "indent", "inside the loop"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "he-perceptron-predict-weight-first",
        "models.Perceptron",
        "predict computes self.weight @ X: the (n_features,) weight meets the (N, n_features) batch in the wrong order",
        (
            "        scores = X @ self.weight + self.bias\n",
            "        scores = self.weight @ X + self.bias\n",
        ),
        expect=("matmul-order", "transposed"),
        phrases=("x @ weight", "x @ self.weight", "operand order", "order of the product", "(n, n_features)"),
    ),
    fresh(
        "he-perceptron-fit-sums-errors",
        "models.Perceptron",
        "fit adds up update's signed errors (mistakes += error): a false positive (-1) and a false negative "
        "(+1) in one epoch cancel, and a negative total never looks like a mistake",
        (
            "                if self.update(x, target) != 0.0:\n                    mistakes += 1\n",
            "                mistakes += self.update(x, target)\n",
        ),
        expect=("mistakes-cancel", "mistakes-one-sign"),
        phrases=("cancel", "absolute", "abs(", "count the mistakes"),
    ),
    fresh(
        "he-perceptron-bias-update-times-x",
        "models.Perceptron",
        "the bias update is copied from the weight's: bias += lr * error * x, which turns the bias into a vector",
        (
            "        self.bias = self.bias + self.lr * error\n",
            "        self.bias = self.bias + self.lr * error * x\n",
        ),
        expect=("bias-update-times-x",),
        phrases=("without x", "scalar", "lr * error", "a number"),
    ),
    fresh(
        "he-sequential-forward-result-in-other-name",
        "models.Sequential",
        "forward stores each layer's output in out but keeps feeding x: every layer sees the original input, "
        "and the input itself is returned",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        for layer in self.layers:\n            out = layer.forward(x)\n",
        ),
        expect=("forward-not-chained",),
        phrases=("previous layer", "chain", "x = layer.forward(x)"),
    ),
    fresh(
        "he-sequential-eval-not-called",
        "models.Sequential",
        "eval() writes layer.eval without parentheses: the method is looked up, never called, so the layers "
        "stay in training mode",
        (
            "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
            "        self.training = False\n        for layer in self.layers:\n            layer.eval\n",
        ),
        expect=("method-not-called", "train-eval"),
        phrases=("parenthes", "never called", "not called", "training mode", "layer.eval()"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "he-numgrad-divides-f-minus-only",
        "gradcheck.numerical_gradient",
        "the central difference is typed f_plus - f_minus / (2 * h): only f_minus is divided",
        (
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        grad[index] = f_plus - f_minus / (2 * h)\n",
        ),
        expect=("precedence", "numgrad-divisor"),
        phrases=_PRECEDENCE,
    ),
    fresh(
        "he-numgrad-minus-probe-two-steps",
        "gradcheck.numerical_gradient",
        "the second probe is set to original - 2h ('back past the first probe'), yet the difference is still "
        "divided by 2h: the probes span 3h",
        (
            "        x[index] = original - h\n",
            "        x[index] = original - 2 * h\n",
        ),
        expect=("probe-wrong-point",),
        phrases=("x - h", "original - h", "minus h", "3h", "3 h"),
    ),
    fresh(
        "he-relerr-difference-of-magnitudes",
        "gradcheck.relative_error",
        "the numerator is |a| - |b| instead of |a - b|: opposite signs look equal, and the 'error' can be negative",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = (np.abs(a) - np.abs(b)) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("difference-of-magnitudes", "missing-abs"),
        phrases=("|a - b|", "abs(a - b)", "opposite sign", "abs of the difference"),
    ),
    fresh(
        "he-relerr-squared-difference",
        "gradcheck.relative_error",
        "the numerator is (a - b)^2 (the squared error habit) instead of |a - b|: the ratio is no longer scale "
        "free and tiny differences vanish",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = (a - b) ** 2 / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("squared-difference",),
        phrases=("|a - b|", "abs(a - b)", "absolute", "squared"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "he-early-stopping-best-updated-before-compare",
        "early_stopping.fit_early_stopping",
        "best_loss = min(best_loss, val_loss) runs before the improvement test: val_loss is then never below "
        "best_loss, so no epoch improves and training stops after patience epochs",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        best_loss = min(best_loss, val_loss)\n        if val_loss < best_loss - min_delta:\n",
        ),
        expect=("best-loss-updated-before-compare",),
        phrases=("before the comparison", "before comparing", "before the test", "after the comparison", "min("),
    ),
    fresh(
        "he-early-stopping-wait-assigned-one",
        "early_stopping.fit_early_stopping",
        "an epoch without improvement sets waited = 1 (a typo for waited += 1): the count never passes 1, so "
        "with patience >= 2 training never stops early",
        ("            waited += 1\n", "            waited = 1\n"),
        expect=("patience-never-reached", "wait-count-assigned"),
        phrases=("+=", "increment", "consecutive", "never stops", "waited = 1"),
    ),
]

FRESH_E: list[Mutant] = [
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
