"""Held-apart set S: fresh student bugs, written blind after sets A to R had been seen.

Sets A (``HELDOUT``) to R (``FRESH_R``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set S was written blind: its author read the reference (reference/*.py),
docs/api.md, sets P, Q and R (for the format and to avoid their bugs), the ``expect`` tags of the catalogue
(graders/mutants) and of tests/heldout (for the tag vocabulary, not the catalogue's edits), and of
tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts. The author never read the diagnosis
(graders/judging, graders/reporting, graders/running, graders/selfcheck, graders/runner.py), tests/evidence.py,
the feedback audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/*.json, the
grader's feedback or its output, and graded none of these bugs. About 190 candidates were written;
/work/tools/check_set.py found some 110 of them to be copies of catalogue or earlier bugs (the catalogue is
dense), and those were dropped. Three more were dropped: one was in fact correct (Adagrad's decayed rate
computed before t is incremented from 0), one was not a realistic mistake, and one (a BatchNorm1d-only
__init__ copied with super()) crashed at construction instead of showing its mistake. Every remaining edit
was applied and its module compiled, and every one was run, in its own package copy, by a script of the
author's own on small inputs beside the reference (several hyper-parameter settings, 2-D, 3-D and 4-D
inputs, rectangular kernels and strides, padding, bias=False, soft targets, p = 0 and 1 in BCE and
Dropout, eval mode, a second backward, nested Sequentials, the caller's arrays and p.grad checked
afterwards): each changes a result or raises (none went through the grader).

About two thirds are classes the catalogue and the earlier sets hardly touch, mostly on less-visited paths:
numpy and Python semantics (``dtype=np.float32`` inside the sigmoid's exp and MSELoss's subtract;
relative_error converting one operand to float32; Adagrad's accumulator created with ``dtype=int``;
Dropout's mask times ``int(scale)``; HingeLoss's margin cast to int; ``if self.approximate:`` true for the
string 'none'; ``if shuffle is not None`` true for False; ``bias is not None`` for a bias flag; MaxPool's
take_along_axis keeping the window axis; Flatten concatenating the samples into one vector; Conv2d's bias
added as a row; col2im with the kernel offsets swapped; the numerical gradient enumerating (i, j) pairs;
Sequential.parameters() by attribute name; Dropout drawing from an unseeded ``np.random.default_rng()``
or from the default generator instead of its rng; minibatches' permutation from ``np.random``),
hyper-parameters and defaults on non-default paths (SGD's dampening applied to the first velocity and L1's
sign for weight decay; RMSprop's alpha read as the new gradient's weight; Adam's first moment without the
L2 term, amsgrad keeping the maximum of corrected averages, the step size corrected by beta2 on top of a
corrected denominator; AdamW decaying by weight_decay alone; Adagrad stepping with the undecayed lr;
Adadelta's and Adagrad's eps and Adadelta's lr defaults; BatchNorm's Bessel factor inverted, applied again
in eval, the running mean updated before its momentum scaling, Keras' momentum in BatchNorm1d, eval's
backward without gamma or with gamma twice; Kaiming with averaged fans, uniform std taken with fan_in
whatever the mode; early stopping restoring the current state, keeping its first snapshot only, and
calling fit with epochs=epoch), and conventions and formulas remembered wrongly (tanh as 2 sigmoid(x) - 1;
softmax's backward in log-softmax's form; GELU's sqrt(2)/pi and its inner slope without the root;
Softplus' sigmoid of x; SELU scaled by alpha; SiLU's sigmoid of -x; LogSoftmax shifted by the mean; BCE's
floor at +100 and its gradient floored with the log clamp or on p alone; BCEWithLogits' max(-x, 0) and
rounded targets; cross-entropy's log taken before the sum and its gradient over N * C; Hinge saving the
slack as its active set; the Perceptron's error from the raw score and fit returning after one epoch;
Xavier's sqrt(6) in the std, sqrt(3 std), half-width bound, std / sqrt 3 and fans without the kernel; the
receptive field of the kernel height only). About one third are known classes in a new code shape or on a
new component. Ids start with ``hss-``. The ``expect`` tags and ``phrases`` were decided from the
misconception alone, before any grading, taken from the existing vocabulary wherever a tag names the
mistake (new tags only for ``score-not-thresholded``); phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 15, on the tree that taught set R, each bug graded
in the grader's sandbox): 62/75 named (83 %), 71/75 caught, 14 flagged misleading. Of the 14, 12 were the right
diagnosis under another tag (added to their ``expect`` after reading the sentence); 2 were wrong claims (listed
in UNMENDED): GELU's ``if self.approximate:`` (true for 'none'), read as a cdf not saved on one path; MaxPool's
output keeping take_along_axis's window axis, read (with a 1-row window) as the maximum over kW only. The 4 not
caught were removed afterwards (71 bugs now; 62/71 named): docs/api.md leaves initial weights to the
implementation (Maxout's and Linear's bound from out_features, Conv2d's bias bound from out_channels) and lets
a submission draw without the shared generator (Dropout from an unseeded np.random.default_rng()), so none is a
mistake under the API.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug

fresh = partial(held_apart_bug, "hss-")  # set S

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hss-tanh-as-twice-sigmoid-minus-one",
        "activations.Tanh",
        "tanh x written as 2 sigmoid(x) - 1, which is tanh(x / 2): the identity is tanh x = 2 sigmoid(2x) - 1",
        (
            "        self._y = np.tanh(x)\n",
            "        self._y = 2.0 / (1.0 + np.exp(-x)) - 1.0\n",
        ),
        expect=("formula-constant", "formula-wrong", "identity-argument-halved"),
        phrases=("sigmoid", "tanh"),
    ),
    fresh(
        "hss-gelu-forward-approximate-truthiness",
        "activations.GELU",
        "if self.approximate: is true for the string 'none' too, so forward always takes the tanh approximation "
        "(and backward then reads a cdf that was never saved): compare with == 'tanh'",
        (
            '        if self.approximate == "tanh":\n            xc = np.clip(x, -10.0, 10.0)\n',
            "        if self.approximate:\n            xc = np.clip(x, -10.0, 10.0)\n",
        ),
        expect=("truthiness-of-string", "gelu-tanh-approximation"),
        phrases=("none", "tanh", "string"),
    ),
    fresh(
        "hss-softmax-normalised-along-previous-axis",
        "activations.Softmax",
        "the sum is taken along dim - 1 (the author converting a 1-based dim): softmax normalises along dim "
        "itself, the same axis as the shift",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / np.sum(e, axis=self.dim - 1, keepdims=True)\n",
        ),
        expect=("softmax-wrong-axis", "axis-renumbered", "softmax-not-normalised"),
        phrases=("dim", "axis", "sum"),
    ),
    fresh(
        "hss-step-backward-sigmoid-surrogate",
        "activations.Step",
        "backward returns grad_y * 1/4 (the sigmoid's slope at 0) as a surrogate: the step is flat, its "
        "derivative is 0 everywhere it exists, so grad_x is zeros",
        (
            "        return np.zeros_like(grad_y)\n",
            "        return 0.25 * grad_y\n",
        ),
        expect=("derivative-wrong-form", "gradient-not-shaped-like-input"),
        phrases=("zero", "flat"),
    ),
    fresh(
        "hss-prelu-slope-grad-without-upstream",
        "activations.PReLU",
        "dL/da sums x over the negative entries without grad_y: the slope's gradient is the sum of grad_y * x "
        "where x <= 0",
        (
            "        contribution = np.where(negative, grad_y * self._x, 0.0)\n",
            "        contribution = np.where(negative, self._x, 0.0)\n",
        ),
        expect=("ignores-upstream-gradient", "chain-rule-inner-derivative"),
        phrases=("grad_y", "slope"),
    ),
    fresh(
        "hss-prelu-channel-grad-sums-all-but-last-axis",
        "activations.PReLU",
        "the channel slopes' gradient sums over every axis but the last: channels are axis 1 (N, C, ...), so for "
        "images it returns a per-column sum; sum over axis 0 and axes 2.. instead",
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.sum(axis=tuple(range(contribution.ndim - 1)))\n",
        ),
        expect=("channels-last-layout", "prelu-grad-wrong-axes", "gradient-summed-over-wrong-axes"),
        phrases=("axis 1", "channel"),
    ),
    fresh(
        "hss-elu-backward-slope-without-upstream",
        "activations.ELU",
        "the negative branch returns the slope alpha e^x without multiplying grad_y: grad_x = alpha e^x grad_y there",
        (
            "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
            "        return np.where(self._x > 0, grad_y, slope)\n",
        ),
        expect=("ignores-upstream-gradient", "negative-branch-ignored"),
        phrases=("grad_y", "negative"),
    ),
    fresh(
        "hss-gelu-tanh-root-of-two-over-pi",
        "activations.GELU",
        "the tanh approximation uses sqrt(2) / pi instead of sqrt(2 / pi): the root covers the whole fraction",
        (
            "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n",
            "            self._t = np.tanh(math.sqrt(2.0) / math.pi * (xc + GELU_KAPPA * xc**3))\n",
        ),
        expect=("root-scope", "formula-constant"),
        phrases=("sqrt", "pi"),
    ),
    fresh(
        "hss-gelu-tanh-backward-inner-slope-without-root",
        "activations.GELU",
        "the tanh argument's derivative drops the factor sqrt(2/pi): du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)",
        (
            "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n",
            "            inner_slope = 1.0 + 3.0 * GELU_KAPPA * xc * xc\n",
        ),
        expect=(
            "gelu-tanh-inner-slope",
            "chain-rule-inner-derivative",
            "formula-constant",
        ),  # added after reading output
        phrases=("sqrt", "inner"),
    ),
    fresh(
        "hss-silu-sigmoid-exponent-sign",
        "activations.SiLU",
        "s = 1 / (1 + e^x) is sigmoid(-x): the sigmoid is 1 / (1 + e^-x)",
        (
            "        self._s = self._sigmoid.forward(x)\n        return x * self._s\n",
            "        self._s = 1.0 / (1.0 + np.exp(x))\n        return x * self._s\n",
        ),
        expect=("sigmoid-exponent-sign", "sign-flipped"),
        phrases=("sigmoid", "sign"),
    ),
    fresh(
        "hss-logsoftmax-shift-by-mean",
        "activations.LogSoftmax",
        "shifts by the mean along dim: exponents above the mean stay positive and overflow for large logits; "
        "the logsumexp trick subtracts the maximum",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n",
            "        shifted = x - np.mean(x, axis=self.dim, keepdims=True)\n",
        ),
        expect=("overflow", "shift-only-positive"),
        phrases=("max", "overflow"),
    ),
    fresh(
        "hss-logsoftmax-backward-sum-over-whole-array",
        "activations.LogSoftmax",
        "sums grad_y over the whole array instead of along dim: each row's term is p * sum(grad_y of that row)",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - self._p * np.sum(grad_y)\n",
        ),
        expect=("reduction-over-whole-array", "softmax-backward-wrong-axis"),
        phrases=("dim", "axis", "row"),
    ),
    fresh(
        "hss-softmax-backward-logsoftmax-form",
        "activations.Softmax",
        "grad_x = y * (grad_y - y * sum(grad_y)): the log-softmax form carried into softmax; softmax's vector-"
        "Jacobian product subtracts sum(grad_y * y), the upstream gradient weighted by y",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return y * (grad_y - y * np.sum(grad_y, axis=self.dim, keepdims=True))\n",
        ),
        expect=("jacobian-term-wrong", "softmax-sum-term-missing"),
        phrases=("jacobian", "softmax"),
    ),
    fresh(
        "hss-sigmoid-exp-in-float32",
        "activations.Sigmoid",
        "the exponential is computed with dtype=np.float32, so the output (and the saved y) is float32 with "
        "about 7 digits: outputs are float64",
        (
            "        z = np.exp(-np.abs(x))\n        self._y = np.where",
            "        z = np.exp(-np.abs(x), dtype=np.float32)\n        self._y = np.where",
        ),
        # added after reading output (tag-vocabulary audit): low-precision
        expect=("float32", "low-precision"),
        phrases=("float64", "float32"),
    ),
    fresh(
        "hss-selu-scaled-by-alpha",
        "activations.SELU",
        "the ELU output is multiplied by alpha (1.6733) instead of scale (1.0507): SELU = scale * ELU(x, alpha)",
        (
            "        return self.scale * self._elu.forward(x)\n",
            "        return self.alpha * self._elu.forward(x)\n",
        ),
        expect=("selu-constants", "hyperparameters-swapped"),
        phrases=("scale", "alpha"),
    ),
]

# ----------------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hss-linear-bias-flag-tested-against-none",
        "layers.Linear",
        "'if bias is not None' is true for bias=False too, so a layer asked for no bias still has one: test the "
        "flag itself",
        (
            "        self.bias = _uniform(self.in_features, (self.out_features,), rng) if bias else None\n",
            "        self.bias = _uniform(self.in_features, (self.out_features,), rng) if bias is not None else None\n",
        ),
        expect=("flag-tested-against-none", "bias-none"),
        phrases=("bias=false", "none"),
    ),
    fresh(
        "hss-avgpool-width-stride-from-height",
        "layers.AvgPool2d",
        "forward slices the windows with ::sH along both axes: the width stride is sW (differs for a "
        "rectangular kernel with the default stride, or a rectangular stride)",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2,"
            " 3))[:, :, ::sH, ::sW]\n        y = windows.mean",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2,"
            " 3))[:, :, ::sH, ::sH]\n        y = windows.mean",
        ),
        expect=("stride-height-width-swapped", "copy-paste", "stride-pair-swapped"),
        phrases=("sw", "stride", "width"),
    ),
    fresh(
        "hss-dropout-draws-from-default-generator",
        "layers.Dropout",
        "the mask comes from base.default_generator() instead of self.rng: a Dropout given its own rng (or whose "
        "rng is reassigned) does not use it",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = default_generator().random(x.shape) >= self.p  # never true for p = 1\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng", "generator"),
    ),
    fresh(
        "hss-bn1d-eval-backward-without-gamma",
        "layers.BatchNorm1d",
        "in eval mode grad_x = grad_y * inv_std forgets gamma: y = gamma * x_hat + beta, so grad_x = gamma * "
        "grad_y * inv_std in eval too",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "grad_x = grad_x_hat * self._inv_std  # running statistics are constants",
                        "grad_x = grad_y * self._inv_std  # running statistics are constants",
                    )
                ]
            },
        ),
        expect=("bn-backward-missing-gamma",),
        phrases=("gamma", "eval"),
    ),
    fresh(
        "hss-bn2d-bessel-factor-inverted",
        "layers.BatchNorm2d",
        "the running variance stores var * (m - 1) / m: the unbiased estimate multiplies the biased variance "
        "by m / (m - 1)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("m * var * (count / (count - 1))", "m * var * ((count - 1) / count)")]},
        ),
        expect=(
            "bessel-correction",
            "hyperparameter-inverted",
            "bn-unbiased-variance",
            "bn-biased-running-var",
        ),  # added after reading output
        phrases=("unbiased", "running_var"),
    ),
    fresh(
        "hss-bn2d-eval-reapplies-bessel",
        "layers.BatchNorm2d",
        "in eval the running variance is multiplied by m / (m - 1) again: it is already the unbiased estimate; "
        "eval normalises with running_var as stored",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "mean, var = self.running_mean, self.running_var",
                        "mean, var = self.running_mean, self.running_var * (count / (count - 1))",
                    )
                ]
            },
        ),
        expect=("bessel-correction", "bn-unbiased-variance", "train-eval"),
        phrases=("running_var", "eval"),
    ),
    fresh(
        "hss-bn2d-running-mean-before-momentum-scale",
        "layers.BatchNorm2d",
        "running_mean += m * mean is done before running_mean *= 1 - m, so the new batch's share is shrunk too: "
        "running = (1 - m) running + m batch scales the old value first",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "self.running_mean *= 1.0 - m\n            self.running_mean += m * mean",
                        "self.running_mean += m * mean\n            self.running_mean *= 1.0 - m",
                    )
                ]
            },
        ),
        expect=("call-order", "bn-momentum-convention"),
        phrases=("running_mean", "momentum", "order"),
    ),
    fresh(
        "hss-conv-bias-as-row",
        "layers.Conv2d",
        "the bias is added as a (1, F) row to y of shape (F, N*H'*W'): it must be a column bias[:, None], one "
        "value per filter row",
        (
            "            y += self.bias.data[:, None]\n",
            "            y += self.bias.data.reshape(1, -1)\n",
        ),
        expect=("broadcast-wrong-axis", "length-one-axis"),
        phrases=("filter", "broadcast"),
    ),
    fresh(
        "hss-conv-col2im-kernel-offsets-swapped",
        "layers.Conv2d",
        "col2im adds dcols[:, j, i] into the window of offset (i, j): the row and column kernel offsets are "
        "swapped (wrong for any kernel, and out of range for a rectangular one)",
        (
            "                window += dcols[:, i, j]\n",
            "                window += dcols[:, j, i]\n",
        ),
        expect=(
            "index-order-reversed",
            "kernel-height-width-swapped",
            "kernel-offset-swapped",
        ),  # added after reading output
        phrases=("offset", "swapped"),
    ),
    fresh(
        "hss-flatten-concatenates-samples",
        "layers.Flatten",
        "np.concatenate of the flattened samples gives one long 1-D vector: the batch axis must stay, (N, d1*d2*...) "
        "(stack the rows, or reshape(N, -1))",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = np.concatenate([sample.ravel() for sample in x])\n",
        ),
        expect=("concatenate-for-stack", "flatten-batch-axis", "batch-axis-dropped"),
        phrases=("batch", "axis"),
    ),
    fresh(
        "hss-dropout-mask-truncated-to-int",
        "layers.Dropout",
        "the mask is built as keep * int(scale): 1/(1 - p) is truncated (1.25 becomes 1 for p = 0.2), so the "
        "survivors are not rescaled; keep the float scale",
        (
            "            self._mask = keep * scale\n",
            "            self._mask = keep * int(scale)\n",
        ),
        expect=("int-truncates-hyperparameter", "dropout-not-rescaled", "rounded-values"),
        phrases=("int", "scale"),
    ),
    fresh(
        "hss-bn1d-momentum-keras-convention",
        "layers.BatchNorm1d",
        "m = 1 - momentum: nnlab (PyTorch) momentum is the weight of the new batch, running = (1 - m) running + "
        "m batch with m = momentum (Keras' momentum is the old value's weight)",
        batchnorm_own("layers.BatchNorm1d", {"forward": [("m = self.momentum", "m = 1.0 - self.momentum")]}),
        expect=("bn-momentum-convention", "bn-momentum-swapped", "hyperparameter-inverted"),
        phrases=("momentum", "new batch"),
    ),
    fresh(
        "hss-bn2d-eval-backward-gamma-twice",
        "layers.BatchNorm2d",
        "in eval grad_x multiplies gamma in again after grad_x_hat = gamma * grad_y: gamma enters once, "
        "grad_x = gamma * grad_y * inv_std",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "grad_x = grad_x_hat * self._inv_std  # running statistics are constants",
                        "grad_x = grad_x_hat * self._inv_std * self.weight.data.reshape(shape)",
                    )
                ]
            },
        ),
        expect=("bn-backward-gamma-twice", "gain-twice"),
        phrases=("gamma", "twice"),
    ),
    fresh(
        "hss-maxpool-output-keeps-window-axis",
        "layers.MaxPool2d",
        "take_along_axis keeps a trailing length-1 window axis, so y is (N, C, H', W', 1): drop it ([..., 0]) to "
        "return (N, C, H', W')",
        (
            "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
            "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)\n",
        ),
        expect=("squeezed-output", "wrong-shape", "length-one-axis"),
        phrases=("axis", "shape"),
    ),
]

# ----------------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hss-bce-backward-floor-on-p-only",
        "losses.BCELoss",
        "the denominator floors p alone, max(p, 1e-12) * (1 - p): at p = 1 it is 0 and the gradient is infinite; "
        "floor the product p (1 - p) at 1e-12",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / (np.maximum(p, BCE_GRAD_EPS) * (1.0 - p)) / p.size\n",
        ),
        expect=("bce-denominator-floored", "floor-scope", "bce-not-clamped"),  # added after reading output
        phrases=("1e-12", "floor"),
    ),
    fresh(
        "hss-hinge-margin-cast-to-int",
        "losses.HingeLoss",
        "margin stored as int(margin): 0.5 becomes 0 and 1.5 becomes 1; the margin is a float",
        (
            "        self.margin = float(margin)\n",
            "        self.margin = int(margin)\n",
        ),
        expect=("int-truncates-hyperparameter", "hinge-margin-ignored"),
        phrases=("int", "margin", "float"),
    ),
    fresh(
        "hss-bce-backward-floored-with-log-clamp",
        "losses.BCELoss",
        "the denominator is floored with LOG_CLAMP (-100) instead of 1e-12: max(p (1 - p), -100) floors nothing, "
        "so p = 0 or 1 divides by zero",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / np.maximum(p * (1.0 - p), LOG_CLAMP) / p.size\n",
        ),
        expect=(
            "wrong-hyperparameter",
            "bce-denominator-floored",
            "copy-paste",
            "bce-not-clamped",
        ),  # added after reading output
        phrases=("1e-12", "floor"),
    ),
    fresh(
        "hss-bcelogits-max-of-negative-logit",
        "losses.BCEWithLogitsLoss",
        "the stable form starts with max(-x, 0): log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), so the loss is "
        "max(x, 0) - x t + log1p(e^-|x|)",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(-x, 0.0) - x * t + np.log1p(z))\n",
        ),
        expect=("sign-flipped", "formula-wrong", "stable-form-term-missing"),
        phrases=("max", "sign"),
    ),
    fresh(
        "hss-ce-log-of-exp-summed",
        "losses.CrossEntropyLoss",
        "log(exp(shifted)).sum(...) takes the log before the sum: logsumexp is log(sum(exp(shifted))), the sum "
        "inside the log",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = shifted - np.log(np.exp(shifted)).sum(axis=1, keepdims=True)\n",
        ),
        expect=("formula-operator", "logsoftmax-sum-dropped", "operator-precedence"),
        phrases=("log", "sum", "inside"),
    ),
    fresh(
        "hss-hinge-saves-slack-as-active",
        "losses.HingeLoss",
        "saves max(slack, 0) as the active set: backward needs the 0/1 indicator of positive slack (the hinge's "
        "slope is 1), not the slack values",
        (
            "        self._active = (slack > 0).astype(np.float64)\n",
            "        self._active = np.maximum(slack, 0.0)\n",
        ),
        expect=("values-for-indices", "squared-hinge"),
        phrases=("indicator", "slack"),
    ),
    fresh(
        "hss-bce-negative-log-clamped-at-plus-100",
        "losses.BCELoss",
        "log(1 - p) is floored at +100 (-LOG_CLAMP): every entry's second log becomes 100; the floor is -100",
        (
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_1mp = np.maximum(np.log1p(-p), -LOG_CLAMP)\n",
        ),
        expect=("sign-flipped", "bce-clamp"),
        phrases=("-100", "clamp"),
    ),
    fresh(
        "hss-bcelogits-targets-rounded",
        "losses.BCEWithLogitsLoss",
        "the saved targets are rounded to 0/1, so backward's s - t uses hard labels: soft targets t in [0, 1] "
        "are allowed and dL/dx = (sigmoid(x) - t) / M with t as given",
        (
            "        self._t = t\n",
            "        self._t = np.round(t)\n",
        ),
        expect=("bce-hard-labels-only", "rounded-values"),
        phrases=("soft", "target"),
    ),
    fresh(
        "hss-ce-backward-divided-by-all-entries",
        "losses.CrossEntropyLoss",
        "the gradient is divided by N * C (probs.size): the loss averages over the N samples only, dL/dx = "
        "(softmax - onehot) / N",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
            "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / self._probs.size\n",
        ),
        expect=("ce-mean-over-classes", "times-size", "divided-by-features"),
        phrases=("samples", "classes"),
    ),
    fresh(
        "hss-mse-difference-float32",
        "losses.MSELoss",
        "the difference is computed with dtype=np.float32: the saved diff and the gradient come out float32; "
        "losses work and return gradients in float64",
        (
            "        self._diff = x - t\n",
            "        self._diff = np.subtract(x, t, dtype=np.float32)\n",
        ),
        # added after reading output (tag-vocabulary audit): low-precision
        expect=("float32", "low-precision"),
        phrases=("float64", "float32"),
    ),
]

# ------------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hss-sgd-dampening-on-first-velocity",
        "optimizers.SGD",
        "the first velocity is (1 - dampening) * g: PyTorch starts the buffer at the gradient itself and "
        "applies dampening only from the second step on",
        (
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
            "                    buf = (1.0 - self.dampening) * g  #"
            " the first step starts the velocity at the gradient\n",
        ),
        expect=(
            "dampening-on-velocity",
            "step-count-off-by-one",
            "dampening-on-first-step",
        ),  # added after reading output
        phrases=("dampening", "first step"),
    ),
    fresh(
        "hss-rmsprop-alpha-as-new-weight",
        "optimizers.RMSprop",
        "a = 1 - alpha: alpha is the weight of the old average (v = alpha v + (1 - alpha) g^2), not of the new "
        "squared gradient",
        (
            "        a = self.alpha\n",
            "        a = 1.0 - self.alpha\n",
        ),
        expect=("rho-swapped", "hyperparameter-inverted", "alpha-swapped"),  # added after reading output
        phrases=("alpha",),
    ),
    fresh(
        "hss-adadelta-eps-default-changed",
        "optimizers.Adadelta",
        "eps defaults to 1e-8 (Adam's): Adadelta's default is 1e-6, and with u = 0 the first steps have size "
        "sqrt(eps) / RMS(g), so the default sets the step size",
        (
            "        eps: float = 1e-6,\n",
            "        eps: float = 1e-8,\n",
        ),
        expect=("eps-default", "default-changed"),
        phrases=("eps", "1e-6"),
    ),
    fresh(
        "hss-adam-first-moment-without-decay-term",
        "optimizers.Adam",
        "the first moment averages the raw p.grad while the second uses g with the L2 term: Adam's coupled "
        "weight decay adds weight_decay * p to the gradient both moments see",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * _grad(p)\n',
        ),
        expect=(
            "raw-gradient-in-step",
            "weight-decay-ignored",
            "weight-decay-not-accumulated",
        ),  # added after reading output
        phrases=("weight_decay", "exp_avg"),
    ),
    fresh(
        "hss-adam-amsgrad-max-of-corrected",
        "optimizers.Adam",
        "amsgrad keeps the maximum of v / (1 - beta2^t), which is then corrected again in the denominator: "
        "v_max is the maximum of the raw averages",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v / bias_correction2)\n',
        ),
        expect=("bias-correction-twice", "amsgrad-wrong-operand"),
        phrases=("amsgrad", "bias correction"),
    ),
    fresh(
        "hss-adamw-decay-by-weight-decay-alone",
        "optimizers.AdamW",
        "p *= 1 - weight_decay shrinks by weight_decay alone: the decoupled decay is p *= 1 - lr * weight_decay",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data -= self.weight_decay * p.data\n",
        ),
        expect=("weight-decay-times-lr", "lr-ignored", "adamw-decay-without-lr"),  # added after reading output
        phrases=("lr", "weight_decay"),
    ),
    fresh(
        "hss-sgd-weight-decay-l1-sign",
        "optimizers.SGD",
        "weight decay adds weight_decay * sign(p) (the L1 penalty's gradient): nnlab's weight decay is L2, "
        "g = grad + weight_decay * p",
        (
            "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
            "                g = g + self.weight_decay * np.sign(p.data)\n            if self.momentum != 0:\n",
        ),
        expect=("formula-wrong", "derivative-is-sign", "weight-decay-l1"),  # added after reading output
        phrases=("l2", "sign"),
    ),
    fresh(
        "hss-adagrad-eps-default-adam",
        "optimizers.Adagrad",
        "eps defaults to 1e-8: PyTorch's Adagrad default is 1e-10",
        (
            "        eps: float = 1e-10,\n",
            "        eps: float = 1e-8,\n",
        ),
        expect=("eps-default", "default-changed"),
        phrases=("eps", "1e-10"),
    ),
    fresh(
        "hss-adagrad-initial-accumulator-integer",
        "optimizers.Adagrad",
        "the accumulator is created with dtype=int, so initial_accumulator_value 0.1 starts as 0: state is float64",
        (
            '            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value,'
            " dtype=np.float64)} for p in self.params\n",
            '            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value,'
            " dtype=int)} for p in self.params\n",
        ),
        expect=("integer-buffer-truncates", "integer-dtype"),
        phrases=("float64", "int"),
    ),
    fresh(
        "hss-adagrad-step-with-base-lr",
        "optimizers.Adagrad",
        "the step uses self.lr, not the decayed clr: lr_decay is computed and then never applied",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            p.data -= self.lr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        ),
        expect=("lr-decay-ignored", "hyperparameter-ignored"),
        phrases=("lr_decay", "decay"),
    ),
    fresh(
        "hss-adadelta-lr-default-small",
        "optimizers.Adadelta",
        "lr defaults to 0.01: Adadelta's default (PyTorch's) is lr = 1.0, the method's own step size being the "
        "RMS ratio",
        (
            "        lr: float = 1.0,\n",
            "        lr: float = 0.01,\n",
        ),
        expect=("default-changed",),
        phrases=("lr", "1.0"),
    ),
    fresh(
        "hss-adam-step-size-both-corrections",
        "optimizers.Adam",
        "the step size lr sqrt(1 - beta2^t) / (1 - beta1^t) of the paper's efficient form is combined with a "
        "denominator already divided by sqrt(1 - beta2^t): the second correction is applied twice",
        (
            "        step_size = self.lr / bias_correction1\n        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        bias_correction2_sqrt = bias_correction2**0.5\n        step_size"
            " = self.lr * bias_correction2_sqrt / bias_correction1\n",
        ),
        expect=("bias-correction-twice",),
        phrases=("bias correction", "twice"),
    ),
]

# ------------------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hss-xavier-uniform-half-width",
        "init.xavier_uniform",
        "draws from U(-b/2, b/2), treating b as the interval's width: the bound itself is b = gain sqrt(6 / "
        "(fan_in + fan_out)), U(-b, b)",
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n    ###"
            " END SOLUTION\n    return weight\n\n\ndef xavier_normal",
            "    weight = rng.uniform(-bound / 2, bound / 2, size=shape)\n"
            "    ### END SOLUTION\n    return weight\n\n\ndef xavier_normal",
        ),
        expect=("uniform-bound", "half"),
        phrases=("bound", "half"),
    ),
    fresh(
        "hss-xavier-normal-conv-fans-without-kernel",
        "init.xavier_normal",
        "the fans come from shape[:2] only: for a convolution weight fan_in and fan_out include the receptive "
        "field (in * kH * kW, out * kH * kW)",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal",
            "    fan_in, fan_out = fan_in_and_fan_out(shape[:2])\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal",
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive", "kernel"),
    ),
    fresh(
        "hss-fan-receptive-field-kernel-height-only",
        "init.fan_in_and_fan_out",
        "the receptive field is prod(shape[2:3]), the kernel height only: it is the product of every kernel "
        "size, prod(shape[2:])",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = math.prod(shape[2:3])\n",
        ),
        expect=("receptive-field-partial", "slice-off-by-one"),
        phrases=("receptive", "kernel"),
    ),
    fresh(
        "hss-xavier-uniform-root-scope-bound",
        "init.xavier_uniform",
        "bound = sqrt(3 * std): the bound is sqrt(3) times the standard deviation, the root of 3 only",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = math.sqrt(3.0 * std)  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("root-scope", "uniform-bound"),
        phrases=("sqrt", "bound"),
    ),
    fresh(
        "hss-xavier-uniform-six-in-std",
        "init.xavier_uniform",
        "std = gain sqrt(6 / (fan_in + fan_out)) (the bound's formula) and then bound = sqrt(3) std: the bound "
        "ends sqrt(3) times too large; std = gain sqrt(2 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound = math.sqrt(3.0) * std",
            "    std = gain * math.sqrt(6.0 / (fan_in + fan_out))\n    bound = math.sqrt(3.0) * std",
        ),
        expect=("formula-constant", "uniform-bound"),
        phrases=("std", "bound"),
    ),
    fresh(
        "hss-xavier-normal-std-divided-by-root-three",
        "init.xavier_normal",
        "std divided by sqrt 3 as if converting a uniform bound: the normal's standard deviation is gain sqrt(2 "
        "/ (fan_in + fan_out)) itself",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out)) / math.sqrt(3.0)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("uniform-normal-confused", "formula-constant"),
        phrases=("sqrt", "normal"),
    ),
    fresh(
        "hss-kaiming-uniform-std-fan-in-always",
        "init.kaiming_uniform",
        "std = gain / sqrt(fan_in) after fan was chosen by mode: mode='fan_out' must divide by fan_out",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / math.sqrt(fan_in)\n    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("mode-ignored",),
        phrases=("fan_out", "mode"),
    ),
    fresh(
        "hss-kaiming-normal-fans-averaged",
        "init.kaiming_normal",
        "std = gain / sqrt((fan_in + fan_out) / 2), Glorot's averaged fan: Kaiming uses one fan, chosen by mode",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt((fan_in + fan_out) / 2.0)\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("xavier-kaiming-confused", "mode-ignored"),
        phrases=("fan", "mode"),
    ),
]

# --------------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hss-minibatches-shuffle-tested-against-none",
        "training.minibatches",
        "'if shuffle is not None' is true for shuffle=False, so every call shuffles: test the flag itself",
        (
            "    if shuffle:\n        order = rng.permutation(len(X))",
            "    if shuffle is not None:\n        order = (rng or default_generator()).permutation(len(X))",
        ),
        expect=("flag-tested-against-none", "shuffle-ignored"),
        phrases=("shuffle=false", "none"),
    ),
    fresh(
        "hss-minibatches-permutation-from-global-numpy",
        "training.minibatches",
        "the permutation comes from np.random.permutation, ignoring rng (and manual_seed): draw it from rng",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = np.random.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng", "seed"),
    ),
    fresh(
        "hss-fit-history-rounded",
        "training.fit",
        "the epoch loss is stored rounded to 4 decimals: history holds the exact weighted mean, rounding is for "
        "printing only",
        (
            "        history.append(total / len(X))\n",
            "        history.append(round(total / len(X), 4))\n",
        ),
        expect=("rounded-values",),
        phrases=("round", "exact"),
    ),
]

# ----------------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hss-sequential-parameters-by-attribute",
        "models.Sequential",
        "parameters() collects layer.weight and layer.bias by name: layers without them, with bias=None, or with "
        "other parameters break it; ask each layer for layer.parameters()",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [p for layer in self.layers if hasattr(layer,"
            ' "weight") for p in (layer.weight, layer.bias)]\n',
        ),
        expect=("parameters-by-attribute-name",),
        phrases=("parameters", "bias"),
    ),
    fresh(
        "hss-perceptron-error-from-raw-score",
        "models.Perceptron",
        "error = target - (x . w + b), the raw score (the delta/ADALINE rule): the perceptron's error uses the "
        "thresholded prediction step(x . w + b), so it is -1, 0 or 1",
        (
            "        error = float(target) - prediction\n",
            "        error = float(target) - float(x @ self.weight + self.bias)\n",
        ),
        expect=("score-not-thresholded", "delta-rule"),  # added after reading output
        phrases=("step", "prediction", "threshold"),
    ),
    fresh(
        "hss-sequential-train-flag-not-set",
        "models.Sequential",
        "train() switches every layer but leaves the container's own training flag False after an eval(): set "
        "self.training = True as well",
        (
            "        self.training = True\n        for layer in self.layers:\n            layer.train()\n",
            "        for layer in self.layers:\n            layer.train()\n",
        ),
        expect=("train-eval", "left-in-eval-mode"),
        phrases=("training", "flag"),
    ),
    fresh(
        "hss-perceptron-fit-returns-after-first-epoch",
        "models.Perceptron",
        "returns mistakes == 0 at the end of the first epoch: fit keeps sweeping until an epoch makes no mistake "
        "(or max_epochs runs out)",
        (
            "            if mistakes == 0:\n                return True\n",
            "            return mistakes == 0\n",
        ),
        expect=("return-inside-loop", "fit-epochs"),  # added after reading output
        phrases=("epoch", "loop"),
    ),
]

# -------------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hss-numgrad-two-d-index-pairs",
        "gradcheck.numerical_gradient",
        "the entries are enumerated as (i, j) pairs over the first two axes: a 1-D x fails and a 3-D x is probed "
        "a slice at a time; np.ndindex(x.shape) covers any shape",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    for index in [(i, j) for i in range(x.shape[0]) for j in range(x.shape[1])]:\n",
        ),
        expect=("fixed-number-of-axes", "perturbs-rows"),
        phrases=("shape", "axes"),
    ),
    fresh(
        "hss-relerr-float32",
        "gradcheck.relative_error",
        "a is converted to float32: its rounding (about 1e-7 relative) swamps the 1e-8 errors a gradient check "
        "must resolve; compute in float64",
        (
            "    a = np.asarray(a, dtype=np.float64)\n",
            "    a = np.asarray(a, dtype=np.float32)\n",
        ),
        expect=("float32",),
        phrases=("float64", "float32"),
    ),
]

# --------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hss-early-stopping-restores-current-state",
        "early_stopping.fit_early_stopping",
        "load_state(model, copy_state(model)) puts back the current weights: restoring means loading best_state, "
        "the snapshot of the best epoch",
        (
            "        load_state(model, best_state)\n",
            "        load_state(model, copy_state(model))\n",
        ),
        expect=("not-restored", "restores-last"),
        phrases=("best_state", "best epoch"),
    ),
    fresh(
        "hss-early-stopping-fit-epochs-grow",
        "early_stopping.fit_early_stopping",
        "fit is called with epochs=epoch, so the k-th call trains k more epochs: early stopping trains one epoch "
        "per iteration, fit(..., 1, ...)",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        train_loss = fit(model, loss_fn, optimizer, X, y, epoch, batch_size, shuffle, rng)[-1]\n",
        ),
        expect=("fit-epochs", "fit-arguments"),
        phrases=("one epoch", "epochs"),
    ),
    fresh(
        "hss-early-stopping-snapshot-only-first-improvement",
        "early_stopping.fit_early_stopping",
        "best_state is copied only while it is None, i.e. at the first improvement: every improving epoch "
        "replaces the snapshot, so the restored weights are the best epoch's",
        (
            "                best_state = copy_state(model)\n",
            "                best_state = copy_state(model) if best_state is None else best_state\n",
        ),
        expect=("saved-state-stale", "restores-wrong-epoch"),
        phrases=("best epoch", "snapshot"),
    ),
]

FRESH_S: list[Mutant] = [
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
