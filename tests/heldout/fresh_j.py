"""Held-apart set J: fresh student bugs, written blind after sets A, B, C, D, E, F, G, H and I had been seen.

Sets A (``HELDOUT``) to I (``FRESH_I``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set J was written blind: its author read the reference, docs/api.md, the
catalogue's mutants, exercises/stubs.py and sets A to I (for the format, the tag vocabulary and to avoid
copies), but not the alternatives, and never the diagnosis (graders/judging, graders/reporting, the running
doubles, the self-check, evidence, feedback audit, the mistake, crash and feedback tests), its feedback or its
output, and graded none of these bugs while writing them (a script of the author's own only compared each
mutated module with the reference on a small valid input, to see that the edit changes a result). They are
mistakes students make, chosen from classes the earlier sets hardly touch: numpy and Python semantics (``~``
on an integer 0/1 mask, which is bitwise and gives -1 and -2, ``np.size`` of a shape tuple taken for the
product of its sizes, ``np.nanmax`` that hides a nan, a vector formula ``e^T e`` applied to a matrix,
``np.pad(mode="edge")`` for zero padding, a lazy ``map`` never consumed, a set that loses the parameters'
order, a shape list saved and then mutated through an alias, a buffer updated through a local name that is
rebound, a model restored by rebinding a local name, ``*layers`` wrapped in a list, one argument of two
ravelled, an early ``return`` that skips saving state), identities and algebra remembered wrongly (tanh as
``2 sigmoid(x) - 1``, sigmoid as ``(1 + tanh x) / 2``, the sign function for ReLU's derivative, GELU's sigmoid
approximation for the exact form, a max of sums taken as a sum of maxes, the mean where logsumexp has a sum,
log-softmax's VJP in softmax's backward, ``-3/2`` written ``-1`` in a staged BatchNorm backward, averaged
variances for Glorot's averaged fans, Bessel's ``n - 1`` in a mean squared error, a precedence slip in
``b (2u - 1)``), numerics (a shift by the minimum, the backward softmax recomputed unshifted, the -100 clamp
put on the probability as 1e-100, separately floored BCE terms, machine epsilon as the relative-error floor, a
running maximum started at 0), hyper-parameter and convention semantics (Softplus' beta read as a temperature,
PReLU's first slope for every channel, label smoothing, Keras' Adadelta learning rate, a nonlinearity fixed to
the default name, no weight decay on biases, the Perceptron's bias read as a threshold, a dampening that is
never applied, a square average or running statistics started at the first batch, the AMSGrad maximum of the
corrected moment, the learning rate decayed by ``1/sqrt(t)``, ``eps`` folded into Adadelta's average),
additions nobody asked for (gradient clipping in a layer's backward, ``zero_grad`` inside ``step``,
standardised inputs in ``fit``, a smoothed monitor in early stopping, a batch perceptron, a Perceptron.fit
that starts from zero again, fit's gradient multiplied by the batch size, fit's ``zero_grad`` moved after
``step``, Adagrad stepping with the raw gradient) and index arithmetic and state (an input shape rebuilt from
the output, overlapping windows normalised by their count, AvgPool dividing by the non-zero entries, im2col
rows in channels-last order, the kernel flipped in backward, a last batch filled up from the start, a
permutation as long as the feature axis, a flat index with the batch size as its row length, layers without
parameters skipped in backward, BatchNorm's evaluation forward saving nothing for backward, an affine output
written into the saved ``x_hat``, the standard deviation averaged instead of the variance, a hinge mask
without the margin, a hinge loss averaged over the violating samples, a convolution kernel drawn as a 2-D
matrix, Dropout scaled by the fraction actually kept, Dropout's p = 1 shortcut that leaves backward unmasked).
Each is a different edit from the catalogue's and sets A to I's. Ids start with ``hj-``. The ``expect`` tags
and ``phrases`` were decided from the misconception alone, before any grading: a catalogue tag where one names
the mistake, else a new descriptive tag; phrases are words any correct explanation would contain, never text
of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 10, on bc0b8ef with sets A to I worked on):
33/72 named (46 %), 13 flagged misleading, 69/72 caught (three not caught: one grader gap, the Perceptron's
fit restarting from zero, and two bugs that are no mistake). Those two were dropped after grading (see their
comments), so 70 remain.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hj-")  # set J


# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hj-tanh-as-two-sigmoid-minus-one",
        "activations.Tanh",
        "forward writes tanh through the sigmoid as 2 / (1 + e^-x) - 1, i.e. 2 sigmoid(x) - 1: the identity is "
        "tanh(x) = 2 sigmoid(2x) - 1, so this computes tanh(x / 2)",
        (
            "        self._y = np.tanh(x)\n",
            "        self._y = 2.0 / (1.0 + np.exp(-x)) - 1.0  # tanh = 2 sigmoid - 1\n",
        ),
        expect=("identity-argument-halved", "formula-constant"),
        phrases=("2x", "sigmoid(2x)", "2 * x", "tanh(x/2)", "tanh(x / 2)", "twice the input"),
    ),
    fresh(
        "hj-sigmoid-as-half-one-plus-tanh",
        "activations.Sigmoid",
        "forward uses the tanh form of the sigmoid, written (1 + tanh x) / 2: the identity is "
        "sigmoid(x) = (1 + tanh(x / 2)) / 2, so this computes sigmoid(2x)",
        (
            "        z = np.exp(-np.abs(x))\n        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        self._y = 0.5 * (1.0 + np.tanh(x))  # the stable tanh form, no overflow\n",
        ),
        expect=("identity-argument-halved", "formula-constant"),
        phrases=("x/2", "x / 2", "tanh(x/2)", "tanh(x / 2)", "sigmoid(2x)", "half the input"),
    ),
    fresh(
        "hj-leakyrelu-bitwise-not-on-int-mask",
        "activations.LeakyReLU",
        "forward saves the positive entries as an int 0/1 array and backward takes the negative ones as "
        "~mask: on an integer array ~ is the bitwise not, ~1 = -2 and ~0 = -1, not the logical not, so both "
        "branches get the wrong slope",
        span(
            "activations",
            (
                "        self._x = x\n        return np.where(x > 0, x, self.negative_slope * x)\n",
                "        self._x = x\n"
                "        self._pos = (x > 0).astype(int)  # 1 where positive, 0 elsewhere\n"
                "        return np.where(x > 0, x, self.negative_slope * x)\n",
            ),
            (
                "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
                "        return grad_y * (self._pos + self.negative_slope * ~self._pos)\n",
            ),
        ),
        expect=("bitwise-not-on-integers", "boolean-array-arithmetic"),
        phrases=("bitwise", "~1", "~0", "logical not", "logical_not", "1 - mask"),
    ),
    fresh(
        "hj-relu-derivative-as-sign",
        "activations.ReLU",
        "backward multiplies grad_y by np.sign(x), taken for the derivative of max(0, x): the sign is -1 for "
        "negative inputs, where ReLU's derivative is 0, so negative inputs send the gradient back negated",
        span(
            "activations",
            ("        self._mask = x > 0\n", "        self._mask = x > 0\n        self._x = x\n"),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        return grad_y * np.sign(self._x)  # 1 above 0, 0 at 0\n",
            ),
        ),
        expect=("derivative-is-sign", "derivative-wrong-form"),
        phrases=("sign", "np.sign", "negative inputs", "abs", "|x|"),
    ),
    fresh(
        "hj-gelu-exact-as-sigmoid-approximation",
        "activations.GELU",
        "the exact form (approximate='none') computes Phi(x) as sigmoid(1.702 x), the 'quick GELU' approximation: "
        "the exact GELU needs the normal CDF erfc(-x / sqrt 2) / 2 (and backward still uses the normal density)",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            "        self._cdf = 1.0 / (1.0 + np.exp(-1.702 * x))  # Phi(x) ~ sigmoid(1.702 x)\n",
        ),
        expect=("gelu-sigmoid-approximation", "formula-constant"),
        phrases=("1.702", "sigmoid approximation", "quick gelu", "erfc", "normal cdf"),
    ),
    fresh(
        "hj-softmax-shift-by-minimum",
        "activations.Softmax",
        "forward subtracts the minimum along dim instead of the maximum: softmax does not change, but every "
        "exponent is now >= 0 and a slice whose logits spread over more than ~709 overflows to inf / inf",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(x - np.min(x, axis=self.dim, keepdims=True))\n",
        ),
        expect=("min-max-confused", "overflow"),
        phrases=("maximum", "overflow", "np.min", "minimum", "largest", "inf"),
    ),
    fresh(
        "hj-softmax-backward-logsoftmax-formula",
        "activations.Softmax",
        "backward returns grad_y - y * sum(grad_y, dim), log-softmax's vector-Jacobian product: softmax's is "
        "y * (grad_y - sum(grad_y * y, dim)), y multiplying the whole bracket and weighting the sum",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return grad_y - y * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
        ),
        # added after reading output (tag-vocabulary audit): softmax-logsoftmax-formula
        expect=("jacobian-term-wrong", "softmax-logsoftmax-formula"),
        phrases=("y * (grad_y", "log-softmax", "logsoftmax", "sum(grad_y * y", "jacobian"),
    ),
    fresh(
        "hj-logsoftmax-log-mean-exp",
        "activations.LogSoftmax",
        "forward takes the log of the mean of the exponentials where logsumexp has their sum: every output is "
        "too large by log C (the number of entries along dim), and the saved softmax sums to C",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.log(np.mean(np.exp(shifted), axis=self.dim, keepdims=True))\n",
        ),
        expect=("mean-for-sum",),
        phrases=("log c", "log(c)", "np.mean", "mean of the exponentials", "sum of the exponentials", "logsumexp"),
    ),
    fresh(
        "hj-step-input-cast-to-int",
        "activations.Step",
        "forward casts the input to int before comparing, (x.astype(int) > 0): the cast truncates, so every "
        "input between 0 and 1 becomes 0 and the step is 0 there instead of 1",
        (
            "        return (x > 0).astype(np.float64)\n",
            "        return (x.astype(int) > 0).astype(np.float64)\n",
        ),
        expect=("int-truncates-input", "rounded-values"),
        phrases=("astype(int)", "truncat", "between 0 and 1", "fraction", "0 < x < 1"),
    ),
    fresh(
        "hj-softplus-beta-as-temperature",
        "activations.Softplus",
        "beta is read as a temperature: forward computes beta log(1 + e^(x / beta)) (and the threshold on "
        "x / beta), where PyTorch's beta is a sharpness, log(1 + e^(beta x)) / beta: right only for beta = 1",
        span(
            "activations",
            ("        z = self.beta * x\n", "        z = x / self.beta  # beta: the temperature of the soft maximum\n"),
            (
                "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
                "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) * self.beta\n",
            ),
        ),
        expect=("hyperparameter-inverted", "softplus-beta-missing"),
        phrases=("beta * x", "beta x", "temperature", "sharpness", "divides by beta", "/ beta"),
    ),
    fresh(
        "hj-prelu-first-slope-for-every-channel",
        "activations.PReLU",
        "forward takes the slope as weight.data[0], written for the shared slope: with num_parameters = C every "
        "channel uses channel 0's slope instead of its own",
        (
            "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
            "        self._a = self.weight.data[0]  # the slope\n",
        ),
        expect=("prelu-slope-broadcast", "hyperparameter-ignored"),
        phrases=("each channel", "num_parameters", "own slope", "first slope", "weight.data[0]"),
    ),
    fresh(
        "hj-maxout-bias-added-after-max",
        "activations.Maxout",
        "the bias is added after the maximum ('it does not depend on x'), as max_k (x . w_k) + max_k b_k: the "
        "maximum of a sum is not the sum of the maxima, the bias takes part in choosing the winning piece",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data)  # the bias does not depend on x\n'
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :] +"
            " self.bias.data.max(axis=0)\n",
        ),
        expect=("max-of-sum-as-sum-of-max",),
        phrases=("before the max", "inside the max", "sum of the maxima", "max of the sum", "winning piece"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hj-linear-weight-gradient-clipped",
        "layers.Linear",
        "backward clips the weight gradient to [-1, 1] 'so that it cannot explode': backward must return the "
        "exact gradient, clipping (if any) is a training choice made outside the layer",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += np.clip(grad_y.T @ self._x, -1.0, 1.0)  # keep gradients from exploding\n",
        ),
        expect=("gradient-clipped",),
        phrases=("clip", "exact gradient", "exploding"),
    ),
    fresh(
        "hj-conv-edge-padding",
        "layers.Conv2d",
        'forward pads with np.pad(..., mode="edge"), repeating the border values: Conv2d pads with zeros (and '
        "backward, which drops the padding, then misses the gradient of the repeated entries)",
        (
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
            '        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), mode="edge")  # pad with the border values\n',
        ),
        expect=("padding-not-zeros",),
        phrases=("zeros", "zero padding", "edge", "replicat", "border", "mode="),
    ),
    fresh(
        "hj-conv-backward-flips-kernel",
        "layers.Conv2d",
        "backward computes the column gradient with the kernel rotated by 180 degrees (the 'full convolution with "
        "the flipped kernel' rule): in the im2col form the column gradient is W.T @ G with the kernel as it is, "
        "the flip is already in how col2im puts the columns back",
        (
            "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
            "        dcols = self.weight.data[:, :, ::-1, ::-1].reshape(F, -1).T @ G  # rotated by 180 degrees\n",
        ),
        expect=("flipped-kernel",),
        phrases=("flip", "rotat", "180", "[::-1"),
    ),
    fresh(
        "hj-conv-im2col-rows-channels-last",
        "layers.Conv2d",
        "forward lays the im2col rows out in (i, j, c) order (the channels-last order of the notes) while the "
        "weight matrix weight.reshape(F, -1) runs over (c, i, j): each weight multiplies another input entry "
        "whenever C > 1 and the kernel is larger than 1 x 1",
        (
            "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n",
            "        self._cols = windows.transpose(1, 2, 0, 3, 4, 5).reshape(C * kH * kW, N * Ho * Wo)  # rows (i,"
            " j, c)\n",
        ),
        expect=("channels-last-layout", "axes-permuted"),
        phrases=("(c, i, j)", "(i, j, c)", "row order", "im2col", "same order"),
    ),
    fresh(
        "hj-maxpool-grad-shape-from-output",
        "layers.MaxPool2d",
        "backward rebuilds the input's shape from the output as (N, C, sH * H', sW * W'): that is the input's "
        "size only when the windows tile it exactly; with leftover rows or overlapping windows it is not",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = ",
            "        N, C = grad_y.shape[:2]\n"
            "        grad_x = np.zeros((N, C, sH * Ho, sW * Wo))  # the input the windows came from\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = ",
        ),
        expect=("input-shape-from-output", "gradient-not-shaped-like-input"),
        phrases=("input's shape", "x_shape", "shape of the input", "leftover", "remainder", "overlap"),
    ),
    fresh(
        "hj-maxpool-running-max-starts-at-zero",
        "layers.MaxPool2d",
        "forward keeps a running maximum over the window offsets that starts at 0: a window whose entries are "
        "all negative gives 0 (and sends its gradient to the first entry); the running maximum must start at "
        "-inf or at the first entry",
        (
            "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n"
            "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
            "        self._argmax = np.zeros(windows.shape[:4], dtype=int)\n"
            "        y = np.zeros(windows.shape[:4])  # running maximum\n"
            "        for k in range(kH * kW):\n"
            "            bigger = windows[..., k] > y\n"
            "            y = np.where(bigger, windows[..., k], y)\n"
            "            self._argmax = np.where(bigger, k, self._argmax)\n",
        ),
        expect=("max-initialised-at-zero",),
        phrases=("-inf", "all negative", "initialis", "initializ", "running maximum", "starts at 0"),
    ),
    fresh(
        "hj-avgpool-overlap-normalised-by-count",
        "layers.AvgPool2d",
        "backward divides each entry's gradient by the number of windows it belongs to ('so that overlapping "
        "entries are not counted twice'): an entry in several windows influenced each of their means, so it "
        "collects the sum of their shares",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        grad_x = np.zeros(self._x_shape)\n"
            "        count = np.zeros(self._x_shape)  # how many windows each entry belongs to\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n"
            "                count[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += 1.0\n"
            "        grad_x /= np.maximum(count, 1.0)  # do not count an entry twice\n",
        ),
        expect=("overlap-normalised",),
        phrases=("overlap", "every window", "each window", "accumulate"),
    ),
    fresh(
        "hj-avgpool-divides-by-nonzero-count",
        "layers.AvgPool2d",
        "forward divides each window's sum by its number of non-zero entries (np.count_nonzero, as if zeros were "
        "padding): entries that are exactly 0 (after a ReLU, say) still count, the divisor is kH * kW, and a "
        "window of zeros gives 0 / 0",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.sum(axis=(4, 5)) / np.count_nonzero(windows, axis=(4, 5))  # ignore the empty"
            " entries\n",
        ),
        expect=("avgpool-divisor",),
        phrases=("kh * kw", "kh*kw", "non-zero", "nonzero", "count_nonzero", "zeros"),
    ),
    fresh(
        "hj-flatten-two-dimensional-early-return",
        "layers.Flatten",
        "forward returns a 2-D input at once ('already flat') before saving the input shape: backward then "
        "reshapes to the shape of an earlier call, or to none",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        if x.ndim == 2:  # already flat\n"
            "            return x\n"
            "        self._x_shape = x.shape\n"
            "        y = x.reshape(self._y_shape)\n",
        ),
        expect=("state-not-saved", "saved-none"),  # added after reading output
        phrases=("2-d", "two dimensions", "early return", "before saving", "x_shape", "stale"),
    ),
    fresh(
        "hj-flatten-saved-shape-mutated-through-alias",
        "layers.Flatten",
        "forward saves list(x.shape), then builds the output shape by assigning shape[1:] = [-1] to a second name "
        "for the same list: the saved shape is changed too, so backward 'reshapes back' to (N, -1)",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = list(x.shape)\n"
            "        shape = self._x_shape  # the output keeps the batch axis ...\n"
            "        shape[1:] = [-1]  # ... and joins the rest into one\n"
            "        y = x.reshape(shape)\n",
        ),
        expect=("aliasing", "flatten-backward-not-reshaped"),
        phrases=("alias", "same list", "copy", "mutat", "input's shape", "x_shape"),
    ),
    fresh(
        "hj-dropout-rescaled-by-realised-keep-rate",
        "layers.Dropout",
        "forward divides the survivors by the fraction of entries actually kept in this mask (keep.mean()) "
        "instead of by the keep probability 1 - p: the scale changes from draw to draw and each output depends "
        "on the other entries' coins",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            kept = keep.mean()  # the fraction actually kept in this batch\n"
            "            scale = 0.0 if kept == 0 else 1.0 / kept\n",
        ),
        expect=("dropout-scale-from-realised-rate",),
        phrases=("1 / (1 - p)", "1/(1 - p)", "1 - p", "keep probability", "realised", "observed"),
    ),
    fresh(
        "hj-dropout-p-one-shortcut-without-mask",
        "layers.Dropout",
        "forward special-cases p = 1 ('nothing survives') by returning zeros and saving no mask: backward, seeing "
        "no mask, passes grad_y through as in evaluation, where every gradient should be 0",
        (
            "        if self.training:\n            keep = ",
            "        if self.training and self.p == 1.0:  # nothing survives\n"
            "            self._mask = None\n"
            "            y = np.zeros_like(x)\n"
            "        elif self.training:\n"
            "            keep = ",
        ),
        expect=("dropout-backward-unmasked", "saved-none"),
        phrases=("p = 1", "p=1", "nothing survives", "grad_y through", "passes the gradient"),
    ),
]

# ----------------------------------------------------------------------------------------- batch normalisation
_RUNNING_UPDATE = (
    "            self.running_mean *= 1.0 - m\n"
    "            self.running_mean += m * mean\n"
    "            self.running_var *= 1.0 - m\n"
    "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
)

BATCHNORM = [
    fresh(
        "hj-bn1d-running-stats-start-from-first-batch",
        "layers.BatchNorm1d",
        "the first training batch replaces the running statistics ('zeros and ones are only placeholders'), and "
        "only later batches move them by momentum: PyTorch moves them from zeros and ones by momentum from the "
        "very first batch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        _RUNNING_UPDATE,
                        "            unbiased = var * (count / (count - 1))\n"
                        '            if not getattr(self, "_started", False):  # no history yet: start from this'
                        " batch\n"
                        "                self.running_mean[...] = mean\n"
                        "                self.running_var[...] = unbiased\n"
                        "                self._started = True\n"
                        "            else:\n"
                        "                self.running_mean *= 1.0 - m\n"
                        "                self.running_mean += m * mean\n"
                        "                self.running_var *= 1.0 - m\n"
                        "                self.running_var += m * unbiased\n",
                    )
                ]
            },
        ),
        expect=("running-stats-initialised-from-batch", "bn-running-replaced-by-batch"),
        phrases=("first batch", "zeros and ones", "replaces", "by momentum"),
    ),
    fresh(
        "hj-bn1d-running-update-rebinds-local-names",
        "layers.BatchNorm1d",
        "the running statistics are updated through local names, running_mean = (1 - m) * running_mean + m * mean: "
        "assigning to the local name binds a new array and leaves self.running_mean and self.running_var as they "
        "were, so evaluation always normalises with zeros and ones",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        _RUNNING_UPDATE,
                        "            running_mean, running_var = self.running_mean, self.running_var\n"
                        "            running_mean = (1.0 - m) * running_mean + m * mean\n"
                        "            running_var = (1.0 - m) * running_var + m * var * (count / (count - 1))\n",
                    )
                ]
            },
        ),
        expect=("view-rebound", "result-discarded", "state-not-saved"),
        phrases=("local", "rebind", "never updated", "self.running_mean", "new array", "buffers"),
    ),
    fresh(
        "hj-bn1d-eval-forward-saves-nothing",
        "layers.BatchNorm1d",
        "the evaluation branch computes its output without saving x_hat, inv_std or the mode ('no backward "
        "follows in evaluation'): backward after an eval forward uses the training batch's saved values and the "
        "training formula, where it should be grad_y * gamma / sqrt(running_var + eps)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        else:\n"
                        "            mean, var = self.running_mean, self.running_var\n"
                        "        self._batch_stats = self.training\n"
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n"
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "            self._batch_stats = True\n"
                        "            self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"
                        "            self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n"
                        "            y = self._x_hat * self.weight.data.reshape(shape) +"
                        " self.bias.data.reshape(shape)\n"
                        "        else:  # evaluation: no backward follows, nothing to save\n"
                        "            inv_std = (1.0 / np.sqrt(self.running_var + self.eps)).reshape(shape)\n"
                        "            x_hat = (x - self.running_mean.reshape(shape)) * inv_std\n"
                        "            y = x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("state-not-saved", "bn-eval-backward-batch-terms", "saved-none"),  # added after reading output
        phrases=("saved", "stale", "last training", "nothing saved", "eval forward"),
    ),
    fresh(
        "hj-bn2d-staged-backward-variance-exponent",
        "layers.BatchNorm2d",
        "backward is derived step by step through the variance and the mean, but d/dvar (var + eps)^(-1/2) is "
        "written -1/2 (var + eps)^(-1), inv_std ** 2, where the exponent is -3/2, inv_std ** 3: the variance's "
        "term is too large by a factor sqrt(var + eps)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "            grad_x = self._inv_std * (\n"
                        "                grad_x_hat\n"
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                        "            )\n",
                        "            m = grad_y.size // grad_y.shape[1]  # values per channel\n"
                        "            centred = self._x_hat / self._inv_std  # x - mean\n"
                        "            # the chain rule through the variance, d/dvar (var + eps)^(-1/2), and through"
                        " the mean\n"
                        "            grad_var = -0.5 * (grad_x_hat * centred).sum(axis=axes, keepdims=True) *"
                        " self._inv_std**2\n"
                        "            grad_mean = -(grad_x_hat * self._inv_std).sum(axis=axes, keepdims=True)\n"
                        "            grad_x = grad_x_hat * self._inv_std + grad_var * 2.0 * centred / m + grad_mean"
                        " / m\n",
                    )
                ]
            },
        ),
        expect=(
            "bn-backward-variance-term",
            "derivative-wrong-form",
            "bn-backward-missing-inv-std",  # added after reading output
        ),
        phrases=("-3/2", "-1.5", "3/2", "exponent", "inv_std ** 3", "inv_std**3", "power"),
    ),
    fresh(
        "hj-bn2d-affine-output-written-into-x-hat",
        "layers.BatchNorm2d",
        "forward reuses the saved array for the output, x_hat = x_hat * gamma + beta: backward then reads gamma "
        "x_hat + beta where x_hat belongs (the weight gradient and the variance term), which is right only while "
        "gamma = 1 and beta = 0",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        self._x_hat = self._x_hat * self.weight.data.reshape(shape) +"
                        " self.bias.data.reshape(shape)\n"
                        "        y = self._x_hat\n",
                    )
                ]
            },
        ),
        expect=("saved-output-not-input", "saved-state-overwritten"),
        phrases=("x_hat", "normalised input", "overwrit", "gamma * x_hat"),
    ),
    fresh(
        "hj-bn2d-running-std-averaged",
        "layers.BatchNorm2d",
        "running_var is updated by averaging standard deviations, ((1 - m) sqrt(running_var) + m"
        " sqrt(var_unbiased))^2: "
        "PyTorch's running average is of the (unbiased) variance itself, and the square of an average of roots "
        "is not an average of the squares",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_var *= 1.0 - m\n"
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            running_std = (1.0 - m) * np.sqrt(self.running_var) + m * np.sqrt(var * (count"
                        " / (count - 1)))\n"
                        "            self.running_var = running_std**2  # average the standard deviation, keep its"
                        " square\n",
                    )
                ]
            },
        ),
        expect=("std-averaged-not-variance", "bn-std-for-variance"),
        phrases=("standard deviation", "average of the variance", "averages the std", "square of an average"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hj-mse-vector-formula-on-matrix",
        "losses.MSELoss",
        "forward writes the sum of squares as e^T e, (diff.T @ diff) / M, the formula for a vector: for a batch "
        "of rows diff.T @ diff is a (D, D) matrix (a (1, 1) one for a column), not a number",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = (self._diff.T @ self._diff) / self._diff.size  # e^T e / n\n",
        ),
        expect=("matmul-for-elementwise", "loss-not-scalar"),
        phrases=("matrix product", "matmul", "vector", "(d, d)", "element-wise", "elementwise"),
    ),
    fresh(
        "hj-mse-divided-by-n-minus-one",
        "losses.MSELoss",
        "forward divides the sum of squared errors by M - 1, Bessel's correction of a sample variance: the mean "
        "squared error divides by M (and backward's 2 (x - t) / M no longer matches it)",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.sum(self._diff**2) / (self._diff.size - 1)  # n - 1, as for a sample variance\n",
        ),
        expect=("loss-denominator", "bessel-in-mse", "bessel-correction"),  # added after reading output
        phrases=("m - 1", "n - 1", "bessel", "number of entries"),
    ),
    # Dropped after grading: hj-bce-backward-terms-floored-separately, backward as -t / max(p, 1e-12) +
    # (1 - t) / max(1 - p, 1e-12), is no mistake. It equals PyTorch's formula inside (0, 1) and differs
    # only at p = 0 or 1 with a matching target, where it is the true derivative of forward's clamped loss;
    # tests/alternatives/losses_redteam1 holds this backward as a correct alternative that keeps full marks.
    fresh(
        "hj-bce-clamp-on-probability-at-1e-100",
        "losses.BCELoss",
        "forward clamps the probability at 1e-100 before the log, log(max(p, 1e-100)), for 'clamp at -100': "
        "PyTorch clamps the log at -100, so p = 0 costs 100, not -log(1e-100) = 230",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n            log_1mp = np.maximum(np.log1p(-p),"
            " LOG_CLAMP)\n",
            "            log_p = np.log(np.maximum(p, 1e-100))  # clamp at -100\n"
            "            log_1mp = np.log(np.maximum(1.0 - p, 1e-100))\n",
        ),
        expect=("bce-clamp",),
        phrases=("-100", "1e-100", "230", "clamp the log", "log at -100"),
    ),
    fresh(
        "hj-bce-logits-label-smoothing",
        "losses.BCEWithLogitsLoss",
        "forward smooths the targets, t = 0.9 t + 0.05 ('label smoothing against over-confidence'): "
        "BCEWithLogitsLoss uses the targets as given (PyTorch has no smoothing here)",
        (
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n",
            "        t = 0.9 * t + 0.05  # label smoothing: never ask for a certain 0 or 1\n"
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n",
        ),
        expect=("label-smoothing",),
        phrases=("smooth", "0.05", "targets as given", "0.9 t", "0.9 * t"),
    ),
    fresh(
        "hj-ce-backward-softmax-recomputed-unshifted",
        "losses.CrossEntropyLoss",
        "the loss is computed stably, but the softmax saved for backward is recomputed from the raw logits, "
        "np.exp(x) / sum(np.exp(x)): a logit above ~709 overflows to inf / inf and the gradient is nan",
        (
            "        self._probs = np.exp(log_probs)\n",
            "        self._probs = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)  # the softmax, for backward\n",
        ),
        expect=("overflow",),
        phrases=("overflow", "shift", "maximum", "exp(log_probs)", "unshifted"),
    ),
    fresh(
        "hj-ce-flat-index-row-length-batch-size",
        "losses.CrossEntropyLoss",
        "forward picks entry (n, y_n) of the flattened log-probabilities as n * N + y_n: a row of the (N, C) "
        "array holds C entries, so the flat index is n * C + y_n (the two agree only when N = C)",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(log_probs.ravel()[np.arange(N) * N + self._labels])  # entry (n, y_n), flat\n",
        ),
        expect=("batch-classes-confused",),
        phrases=("number of classes", "row length", "flat index", "n * c", "shape[1]"),
    ),
    fresh(
        "hj-hinge-active-mask-without-margin",
        "losses.HingeLoss",
        "the active mask is taken where x_j - x_y > 0, a wrong class that beats the true one, instead of where "
        "the slack x_j - x_y + margin > 0: a class within the margin costs in the loss but gets no gradient",
        (
            "        self._active = (slack > 0).astype(np.float64)\n",
            "        self._active = (slack - self.margin > 0).astype(np.float64)  # classes that beat the true one\n",
        ),
        expect=("hinge-margin-ignored", "hinge-active-without-margin"),
        phrases=("within the margin", "slack > 0", "positive slack", "+ margin"),
    ),
    fresh(
        "hj-hinge-averaged-over-violating-samples",
        "losses.HingeLoss",
        "forward divides the summed slack by the number of samples with a non-zero loss instead of the batch "
        "size N: samples that already meet the margin still count in the mean (and backward divides by N)",
        (
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        per_sample = np.maximum(slack, 0.0).sum(axis=1)\n"
            "        loss = per_sample.sum() / max(1, np.count_nonzero(per_sample))  # the mean over the costly"
            " samples\n",
        ),
        expect=("loss-denominator",),
        phrases=("batch size", "every sample", "all samples", "non-zero loss", "divide by n", "count_nonzero"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hj-sgd-step-zeroes-gradients",
        "optimizers.SGD",
        "step() calls zero_grad() after updating ('the gradients are used up'): step must leave p.grad as it "
        "was; resetting the gradients is the caller's job, before the next backward",
        (
            "            p.data -= self.lr * g\n",
            "            p.data -= self.lr * g\n        self.zero_grad()  # the gradients are used up\n",
        ),
        expect=("step-clears-gradients", "zero-grad", "modifies-grad"),
        phrases=("zero_grad", "p.grad", "as it was", "leaves", "clears", "caller"),
    ),
    fresh(
        "hj-sgd-dampening-ignored",
        "optimizers.SGD",
        "the velocity update is written b = momentum * b + g, as in the lecture: the (1 - dampening) factor on "
        "the new gradient is left out, so dampening has no effect",
        (
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                    buf = self.momentum * buf + g  # velocity: keep the old, add the new\n",
        ),
        # added after reading output (tag-vocabulary audit): dampening-ignored
        expect=("hyperparameter-ignored", "dampening-ignored"),
        phrases=("dampening", "1 - dampening", "(1 - dampening)"),
    ),
    fresh(
        "hj-adagrad-step-with-raw-gradient",
        "optimizers.Adagrad",
        "the accumulator adds g^2 with g = grad + weight_decay * p, but the step divides p.grad, the raw "
        "gradient: the weight decay enters the step size and never the step itself",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            p.data -= clr * (p.grad / (np.sqrt(state["sum"]) + self.eps))\n',
        ),
        expect=("weight-decay-ignored", "raw-gradient-in-step"),
        phrases=("p.grad", "raw gradient", "weight decay", "weight_decay"),
    ),
    fresh(
        "hj-rmsprop-square-avg-starts-at-first-gradient",
        "optimizers.RMSprop",
        "the first step sets the square average to g^2 ('no bias towards zero'), and only later steps average: "
        "PyTorch starts square_avg at zeros and averages from the first step, v = (1 - alpha) g^2",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            if not state["square_avg"].any():  # first step: start at g^2, no bias towards zero\n'
            '                state["square_avg"] = g * g\n'
            "            else:\n"
            '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        ),
        expect=("average-started-at-first-value", "state-started-at-ones"),
        phrases=("first step", "(1 - alpha) g", "1 - alpha", "starts at zero", "zeros"),
    ),
    fresh(
        "hj-adadelta-eps-accumulated-in-average",
        "optimizers.Adadelta",
        "eps is added into the square average itself, v = rho v + (1 - rho) g^2 + eps, and then left out of the "
        "square root: it piles up step after step (towards eps / (1 - rho)) where PyTorch adds it once, in "
        "sqrt(v + eps)",
        (
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
            '            std = np.sqrt(state["square_avg"] + self.eps)\n',
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g + self.eps  # eps'
            " kept in\n"
            '            std = np.sqrt(state["square_avg"])\n',
        ),
        expect=("eps-accumulated-in-state", "adadelta-eps-outside-sqrt"),
        phrases=("accumulat", "sqrt(v + eps)", "every step", "piles up"),
    ),
    fresh(
        "hj-adadelta-keras-default-lr",
        "optimizers.Adadelta",
        "the constructor's default learning rate is 0.001, Keras' Adadelta default, where PyTorch's (and the "
        "API's) is 1.0: Adadelta() without arguments barely moves",
        (
            "        lr: float = 1.0,\n        rho: float = 0.9,\n",
            "        lr: float = 0.001,\n        rho: float = 0.9,\n",
        ),
        expect=("default-changed",),
        phrases=("keras", "lr=1", "lr = 1", "default learning rate", "0.001"),
    ),
    fresh(
        "hj-adam-amsgrad-max-of-corrected-moment",
        "optimizers.Adam",
        "amsgrad keeps the running maximum of the bias-corrected v / (1 - beta2^t): PyTorch keeps the maximum of "
        "the uncorrected v and divides that maximum by the current correction (the two differ as the "
        "correction shrinks)",
        (
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            '            v_hat = state["exp_avg_sq"] / bias_correction2\n'
            "            if self.amsgrad:  # the running maximum of the corrected estimate\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v_hat)\n'
            '                v_hat = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(v_hat) + self.eps\n",
        ),
        # added after reading output (tag-vocabulary audit): amsgrad-max-of-corrected
        expect=("amsgrad-wrong-operand", "amsgrad-max-of-corrected"),
        phrases=("uncorrected", "bias correction", "bias-corrected", "max_exp_avg_sq", "before the correction"),
    ),
    fresh(
        "hj-adam-lr-decayed-by-root-t",
        "optimizers.Adam",
        "the step size is lr / sqrt(t) / (1 - beta1^t), the decaying alpha_t = alpha / sqrt(t) of Adam's "
        "convergence proof: torch.optim.Adam keeps lr constant (a schedule is the caller's choice)",
        (
            "        step_size = self.lr / bias_correction1\n",
            "        step_size = self.lr / np.sqrt(self.t) / bias_correction1  # alpha_t = alpha / sqrt(t)\n",
        ),
        expect=("lr-schedule-added",),
        phrases=("sqrt(t)", "schedule", "constant lr", "lr / sqrt"),
    ),
    fresh(
        "hj-adamw-no-decay-on-biases",
        "optimizers.AdamW",
        "the decoupled decay skips 1-D parameters ('no weight decay on biases', a common training recipe): "
        "AdamW decays every parameter it is given; excluding biases is done by the caller, not by the optimizer",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        if p.data.ndim > 1:  # no weight decay on biases\n"
            "            p.data *= 1.0 - self.lr * self.weight_decay\n"
            "        return g\n",
        ),
        expect=("decay-skips-biases", "weight-decay-ignored"),
        phrases=("biases", "1-d", "every parameter", "ndim", "all parameters"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hj-fans-receptive-field-np-size",
        "init.fan_in_and_fan_out",
        "the receptive field is np.size(shape[2:]), taken for the number of kernel entries: np.size of a tuple "
        "counts its items (2 for a (kH, kW) kernel, 0 for a matrix) where their product kH * kW belongs",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = np.size(shape[2:])  # the number of kernel entries\n",
        ),
        expect=("size-of-shape-tuple", "receptive-field-ignored"),
        phrases=("np.size", "product", "prod", "kh * kw", "number of axes"),
    ),
    fresh(
        "hj-xavier-uniform-affine-map-precedence",
        "init.xavier_uniform",
        "the uniform draw maps u in [0, 1) onto [-b, b) as bound * 2 * u - 1: without parentheses the - 1 is "
        "not scaled by the bound, so the draws lie in [-1, 2b - 1) instead of b (2u - 1)",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = bound * 2.0 * rng.random(shape) - 1.0  # [0, 1) mapped onto [-b, b)\n",
        ),
        expect=("operator-precedence", "not-centred", "uniform-bound"),
        phrases=("parenthes", "2u - 1", "2 * u - 1", "centred", "centered", "[-b, b]"),
    ),
    fresh(
        "hj-xavier-normal-variances-averaged",
        "init.xavier_normal",
        "the variance is the average of the two conditions' variances, (1/fan_in + 1/fan_out) / 2: Glorot averages "
        "the fans, Var = 2 / (fan_in + fan_out) (the two agree only when fan_in = fan_out)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(0.5 * (1.0 / fan_in + 1.0 / fan_out))  # the average of the two conditions\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("variances-averaged-not-fans",),
        phrases=("fan_in + fan_out", "2 / (fan_in + fan_out)", "average of the fans", "harmonic"),
    ),
    fresh(
        "hj-kaiming-uniform-nonlinearity-fixed-to-default",
        "init.kaiming_uniform",
        'the gain is calculate_gain("leaky_relu", a), the default nonlinearity written in: the slope a is used, '
        "but a nonlinearity argument of 'tanh', 'linear', 'selu' ... never reaches the gain",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0)"
            " * std\n",
            '    gain = calculate_gain("leaky_relu", a)  # the leaky ReLU of slope a\n'
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("nonlinearity-ignored", "hyperparameter-ignored"),
        phrases=("nonlinearity", "calculate_gain(nonlinearity", "leaky_relu"),
    ),
    fresh(
        "hj-kaiming-normal-drawn-as-matrix",
        "init.kaiming_normal",
        "the weights are drawn with size (shape[0], prod(shape[1:])), one row per output unit as for a matrix: "
        "for a convolution kernel (out, in, kH, kW) the result is 2-D and never reshaped to the given shape",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=(shape[0], math.prod(shape[1:])))  # one row per output unit\n",
        ),
        expect=("wrong-shape", "drawn-flattened"),  # added after reading output
        phrases=("reshape", "4-d", "four dimensions", "flattened", "(out, in, kh, kw)"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hj-minibatches-last-batch-wraps-around",
        "training.minibatches",
        "every batch is made full size: the last one is filled up with samples from the start of the data "
        "(indices taken modulo N), so those samples appear twice in the epoch; the last batch should hold only "
        "the remainder",
        (
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        rows = np.arange(start, start + size) % len(X)  # the last batch is filled up from the start\n"
            "        batches.append((X[rows], y[rows]))\n",
        ),
        expect=("remainder-batch", "duplicated-last-batch"),
        phrases=("remainder", "smaller", "last batch", "twice", "wrap", "every sample once"),
    ),
    fresh(
        "hj-minibatches-permutation-of-feature-axis",
        "training.minibatches",
        "the shuffle draws rng.permutation(X.shape[-1]), one index per column (the features-by-samples habit): "
        "with samples in rows the permutation must have len(X) entries; with fewer features than samples "
        "only D samples survive (with more, the indexing fails)",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = rng.permutation(X.shape[-1])  # one index per column\n",
        ),
        expect=("permutes-wrong-axis", "not-a-permutation"),
        phrases=("len(x)", "number of samples", "axis 0", "shape[-1]", "feature axis"),
    ),
    fresh(
        "hj-fit-zero-grad-after-step",
        "training.fit",
        "the loop calls optimizer.zero_grad() at the end of each batch, after step ('clean up'), instead of "
        "first: the first step also uses whatever gradient the parameters held before fit, and fit ends with "
        "the gradients zeroed",
        (
            "            optimizer.zero_grad()\n"
            "            output = model.forward(X_batch)\n"
            "            loss = loss_fn.forward(output, y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n",
            "            output = model.forward(X_batch)\n"
            "            loss = loss_fn.forward(output, y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            optimizer.zero_grad()  # clean up for the next batch\n",
        ),
        expect=("call-order", "zero-grad"),
        phrases=("zero_grad", "stale", "before forward", "at the start", "first call"),
    ),
    fresh(
        "hj-fit-standardises-inputs",
        "training.fit",
        "fit standardises X (zero mean, unit variance per feature) before training 'to help the optimizer': fit "
        "must train on the data as given, the model then sees other inputs than the ones it is used on",
        (
            "    for _ in range(epochs):\n        total = 0.0\n",
            "    X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)  # standardise the features first\n"
            "    for _ in range(epochs):\n"
            "        total = 0.0\n",
        ),
        expect=("preprocessing-added",),
        phrases=("standardis", "standardiz", "normalis", "normaliz", "as given", "preprocess"),
    ),
    fresh(
        "hj-fit-gradient-times-batch-size",
        "training.fit",
        "the loss gradient is multiplied by len(X_batch) before backward, 'the gradient of the summed loss': the "
        "loss averages over the batch and its backward already carries the 1/N, so every step is N times too "
        "large (and depends on the batch size)",
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(loss_fn.backward() * len(X_batch))  # the gradient of the summed loss\n",
        ),
        expect=("times-batch-size",),
        phrases=("batch size", "len(x_batch)", "1/n", "already averages", "n times"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hj-sequential-backward-skips-parameterless-layers",
        "models.Sequential",
        "backward calls only the layers that have parameters ('only they need gradients'): an activation, "
        "pooling or flatten layer in between must still turn its output gradient into its input gradient",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        for layer in reversed(self.layers):\n"
            "            if layer.parameters():  # only layers with weights need a backward\n"
            "                grad_y = layer.backward(grad_y)\n",
        ),
        expect=("backward-skips-layer",),
        phrases=("activation", "every layer", "chain rule", "without parameters", "skip"),
    ),
    fresh(
        "hj-sequential-parameters-set-loses-order",
        "models.Sequential",
        "parameters() collects the parameters in a set ('each one once'): a set has no order, so the list comes "
        "back in hash order instead of layer order",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return list({p for layer in self.layers for p in layer.parameters()})  # each parameter once\n",
        ),
        expect=("parameters-order",),
        phrases=("a set", "set(", "unordered", "layer order", "hash order"),
    ),
    fresh(
        "hj-sequential-layers-tuple-wrapped",
        "models.Sequential",
        "the constructor stores self.layers = [layers]: *layers already collects the modules into a tuple, so "
        "the list holds one tuple instead of the modules",
        ("        self.layers = list(layers)\n", "        self.layers = [layers]\n"),
        expect=("varargs-wrapped", "wrong-type"),
        phrases=("*layers", "tuple", "list(layers)", "one element", "varargs"),
    ),
    fresh(
        "hj-sequential-eval-lazy-map",
        "models.Sequential",
        "eval() switches the layers with map(lambda layer: layer.eval(), self.layers): in Python 3 map is lazy, "
        "and nothing consumes it, so no layer's eval() is ever called",
        (
            "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
            "        self.training = False\n        map(lambda layer: layer.eval(), self.layers)  # switch every"
            " layer\n",
        ),
        expect=("lazy-map-not-consumed", "train-eval", "method-not-called"),
        phrases=("map", "lazy", "iterator", "never called", "consumed"),
    ),
    fresh(
        "hj-perceptron-bias-as-threshold",
        "models.Perceptron",
        "predict computes X @ weight - bias, reading the bias as Rosenblatt's threshold (fire when w . x > theta), "
        "while update adds to it as a bias: the score is X @ weight + bias",
        (
            "        scores = X @ self.weight + self.bias\n",
            "        scores = X @ self.weight - self.bias  # fire when w . x exceeds the threshold\n",
        ),
        expect=("bias-sign-as-threshold", "sign-flipped"),
        phrases=("+ bias", "threshold", "plus the bias", "x @ weight + bias"),
    ),
    fresh(
        "hj-perceptron-batch-update-per-epoch",
        "models.Perceptron",
        "fit is vectorised: each epoch computes every sample's error with predict(X) and applies their sum in one "
        "update (the batch perceptron): Rosenblatt's rule updates after each sample, in order, so each "
        "prediction sees the previous sample's correction",
        (
            "        for _ in range(max_epochs):\n"
            "            mistakes = 0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n",
            "        for _ in range(max_epochs):\n"
            "            errors = y - self.predict(X)  # every sample's error at once\n"
            "            if not errors.any():\n"
            "                return True\n"
            "            self.weight = self.weight + self.lr * errors @ X\n"
            "            self.bias = self.bias + self.lr * float(errors.sum())\n",
        ),
        expect=("batch-perceptron",),
        phrases=("each sample", "one sample at a time", "in order", "online", "sample by sample"),
    ),
    fresh(
        "hj-perceptron-fit-restarts-from-zero",
        "models.Perceptron",
        "fit resets the weight and bias to zero before its epochs (as scikit-learn's fit re-initialises): the "
        "perceptron's fit continues from the current weights, so a second fit (or weights set before) is lost",
        (
            "        for _ in range(max_epochs):\n            mistakes = 0\n",
            "        self.weight = np.zeros(self.n_features)  # start from scratch\n"
            "        self.bias = 0.0\n"
            "        for _ in range(max_epochs):\n"
            "            mistakes = 0\n",
        ),
        expect=("state-reset",),
        phrases=("reset", "current weights", "from zero", "starts over", "scratch"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hj-numgrad-two-nested-loops",
        "gradcheck.numerical_gradient",
        "the probes run over two nested loops, for i in range(x.shape[0]) and j in range(x.shape[1]), written "
        "for a weight matrix: a vector has no axis 1, and for an image batch x[i, j] is a whole sub-array, "
        "moved all at once",
        (
            "    for index in np.ndindex(x.shape):\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "    for i in range(x.shape[0]):\n"
            "        for j in range(x.shape[1]):\n"
            "            original = x[i, j]\n"
            "            x[i, j] = original + h\n"
            "            f_plus = float(f(x))\n"
            "            x[i, j] = original - h\n"
            "            f_minus = float(f(x))\n"
            "            x[i, j] = original\n"
            "            grad[i, j] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("fixed-number-of-axes",),
        phrases=("any shape", "np.ndindex", "two axes", "2-d", "matrix", "every entry"),
    ),
    # Dropped after grading: hj-relerr-nanmax-hides-nan (np.nanmax over the ratios) is no mistake under
    # docs/api.md, which leaves what relative_error does with nan to the implementation; two correct
    # alternatives (tests/alternatives/others_loops, others_redteamb3) skip nan the same way.
    fresh(
        "hj-relerr-machine-epsilon-floor",
        "gradcheck.relative_error",
        "the denominator is floored at machine epsilon (2.2e-16) 'to avoid a division by zero' instead of 1e-8: "
        "entries where both gradients are nearly 0 give large relative errors from round-off alone",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(np.finfo(np.float64).eps, np.abs(a) + np.abs(b))  # no 0 / 0\n",
        ),
        expect=("floor-wrong-magnitude", "no-floor"),
        phrases=("1e-8", "floor", "machine epsilon", "2.2e-16", "near zero", "finfo"),
    ),
    fresh(
        "hj-relerr-one-argument-ravelled",
        "gradcheck.relative_error",
        "a is ravelled ('compare entry by entry') but b is not: for 2-D gradients a (N*M,) vector meets an "
        "(N, M) array, which broadcasts into an outer difference (N, N) for a column or fails",
        (
            "    a = np.asarray(a, dtype=np.float64)\n",
            "    a = np.asarray(a, dtype=np.float64).ravel()\n",
        ),
        expect=("broadcast-wrong-axis",),
        phrases=("ravel", "broadcast", "same shape", "outer"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hj-early-stopping-improvement-by-absolute-change",
        "early_stopping.fit_early_stopping",
        "an epoch counts as improving when |best - val_loss| > min_delta: the absolute value also accepts a "
        "validation loss that rose, which then becomes the 'best'; an improvement must be below best - min_delta",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if abs(best_loss - val_loss) > min_delta:  # the loss moved by more than min_delta\n",
        ),
        expect=("monitor-direction", "sign-lost"),
        phrases=("abs", "increase", "rose", "worse", "direction"),
    ),
    fresh(
        "hj-early-stopping-monitors-running-mean",
        "early_stopping.fit_early_stopping",
        "the test compares the mean of every validation loss so far with the best ('smooth the noisy curve'): "
        "an epoch improves when its own validation loss is below best - min_delta, and the mean lags behind it",
        (
            "        if val_loss < best_loss - min_delta:\n"
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "        monitored = float(np.mean(history.val_losses))  # smooth the noisy validation curve\n"
            "        if monitored < best_loss - min_delta:\n"
            "            best_loss, history.best_epoch, waited = monitored, epoch, 0\n",
        ),
        expect=("smoothed-monitor",),
        phrases=("running mean", "average of", "smooth", "its own", "this epoch's"),
    ),
    fresh(
        "hj-early-stopping-restores-by-rebinding-model",
        "early_stopping.fit_early_stopping",
        "the best epoch is kept as copy.deepcopy(model) and restored with model = best_state: that rebinds the "
        "function's local name, the caller's model keeps the last epoch's weights",
        span(
            "early_stopping",
            (
                "            if restore_best:\n                best_state = copy_state(model)\n",
                "            if restore_best:\n"
                "                import copy\n"
                "\n"
                "                best_state = copy.deepcopy(model)  # a snapshot of the whole model\n",
            ),
            (
                "    if restore_best and best_state is not None:\n        load_state(model, best_state)\n",
                "    if restore_best and best_state is not None:\n        model = best_state  # put the best model"
                " back\n",
            ),
        ),
        expect=("restores-last", "name-shadowed"),
        phrases=("local", "rebind", "caller", "load_state", "in place", "the same object"),
    ),
]

FRESH_J: list[Mutant] = [
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
