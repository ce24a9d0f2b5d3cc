"""Held-apart set AA: fresh student bugs, written blind after sets A to Z had been seen.

Set AA was written blind: its author read the reference (reference/*.py), docs/api.md, tests/heldout/_edits.py, the
format, docstrings and ids of sets Q to Z (and of fresh_p.py's format), the ``expect`` tags of the catalogue
(graders/mutants) and of tests/heldout (for the tag vocabulary only), and of tests/test_feedback_generalisation.py only
its FAMILIES and SETS dicts. The author never read the diagnosis (graders/judging, graders/reporting, graders/running,
graders/selfcheck, graders/runner.py), tests/evidence.py, the feedback audit, the mistake, crash, diagnosis and feedback
tests, benchmarks/, /work/tools/*.json, the grader's feedback or its output, and graded none of these bugs. Written
under a short deadline.

About 190 candidates were written in eight rounds; check_set reported some 112 of them as textual copies of catalogue or
earlier bugs, and those were dropped. Seven more were dropped by the author: five whose idea an id of sets Q to Z
already named (col2im into a copy, Flatten's per-sample column order, AMSGrad's maximum of g * g, AdamW's decay of a
rebound local, a receptive field of exactly two kernel axes), restoring the probed entry by ``+= h`` (it differs from
the exact restore in about 4e-5 of the entries, too rarely to measure) and a default min_delta of 1e-4 (visible only for
improvements below 1e-4). Every remaining edit was run beside the reference with a script of the author's own on small
inputs (rectangular kernels with stride and padding, bias=False, (N, C, L) and (N, C, H, W) BatchNorm in train and eval
with non-default gamma and momentum, soft and multi-label targets, margin 0, non-default hyper-parameters of every
optimizer, conv-shaped and 3-axis init shapes, a nested Sequential with Dropout, early stopping with shuffling) and
changed a result or raised.

Classes covered: numpy semantics (``out=`` aliasing that overwrites a saved or returned array: LogSoftmax's and
cross-entropy's exp, Tanh's and MSE's backward, MSE's forward square, RMSprop's centered variance; in-place Bessel
correction of the batch variance; ``np.max(x, 0.0)`` for ``np.maximum``; ``x ^ 3`` for a power; ``keepdims=True`` on a
parameter gradient; ``np.zeros(x.size)`` and ``np.zeros(shape[0])`` buffers; ``x.T @ x`` for a mean of squares; float32
outputs of Identity, Linear, Flatten and xavier_normal; ``.astype(int)`` of features; ``rng.shuffle``'s None return; a
window view over axes (3, 2); ``max(shape[2:])`` for a product), Python semantics (a class attribute shared by
instances: SELU's inner ELU and Sequential's layer list; ``[dict] * n`` state; ``x or default`` turning a valid 0 into a
default for BatchNorm's momentum, Adadelta's rho, the hinge margin and Kaiming's slope; ``is not 0.0``; truthiness of an
array; ``int()`` of a float hyper-parameter; ``batches += (X, y)``; ``insert(0, ...)``; a tuple unpacked in swapped
order; ``fan ** 1 / 2``; a bound method cached at construction so a reassigned rng is ignored), order of update steps
and state (RMSprop's average and Adam's v read before their update, the BatchNorm batch-statistics flag set only in
training, the running mean re-created each batch, Adam's step count set to 1, Perceptron weights reset each epoch,
BatchNorm's running mean from one global scalar), wrong or unused hyper-parameters (momentum ignored when RMSprop is
centered, weight decay only without momentum in SGD or gated by lr_decay in Adagrad, Adagrad's decay times lr, RMSprop's
square average and Adam's denominator from the wrong quantity, AdamW skipping vectors, SGD's dampening taken from
weight_decay, BatchNorm's momentum used as eps, the defaults of BatchNorm's eps and momentum, LeakyReLU's backward with
the literal 0.01, Kaiming's gain forced to sqrt 2 when a = 0) and formulas remembered wrongly (Softplus' backward
through the sigmoid's backward, a stable BCE with max(x, 0) t, Glorot's std divided by the gain or with the 2 outside
the root, GELU's backward clipped at 4, the relative error as a ratio of maxima, min_delta added), and code that does
not fit together (SELU's forward through a fresh ELU that backward never saw, minibatches shuffling whenever an rng is
passed, fit skipping the last batch, Conv2d's crop taken with the padded sides, MaxPool saving the window grid's shape
as the input's, Adam reading the AMSGrad state's key, early stopping's stopped_epoch set to the wait count). Ids start
with ``hsaa-``. The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading, from
the existing vocabulary.

Blind rate, measured before anybody read the set (session 18, on the tree that taught set Z and drill 1, each bug
graded in the grader's sandbox): 58/73 named (79 %), 69/73 caught, 10 flagged misleading. Six bugs do not count in
the blind rate. Dropout drawing from ``self.rng.random`` bound in ``__init__`` was dropped after grading as no mistake
under docs/api.md: it only shows when ``rng`` is reassigned after construction, which the API does not provide for
(it says where the reference keeps its generator). Five more (Softplus's ``int(beta)`` and its backward through the
inner Sigmoid's backward, RMSprop's momentum skipped when centered, Adadelta's state list built by multiplying one
dict, xavier_normal's float32 draw) were, edit for edit, also in drill 1, written in the same hour by the sessions
that taught it: they were told not to read this file, but the same edits under the same names suggest they saw it,
so those five count as seen (all five named) and were taken out of the drill. On the 67 that remain: 53 named
(79 %), 64 caught, 10 flagged. 6 of the 10 were the right diagnosis under another tag (added to their ``expect``
after reading the sentence; one of them, BatchNorm1d's flag set in training only, was not named otherwise, so 54/67
(81 %) named after reading); 4 were wrong claims, all in the training loops (the Perceptron's fit and update, fit's
skipped last batch). The 3 not caught are hyper-parameter values no case tried: BatchNorm2d's momentum 0, Adadelta's
rho 0, Adagrad's weight decay with lr_decay 0.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsaa-")  # set AA


ACTIVATIONS = [
    fresh(
        "hsaa-selu-elu-class-attribute",
        "activations.SELU",
        "the inner ELU is a class attribute, so every SELU instance shares it and its saved input: two SELU layers "
        "in one network back-propagate through the last one's input; create it in __init__ (one per instance)",
        span(
            "activations",
            ("    scale = SELU_SCALE\n", "    scale = SELU_SCALE\n    _elu = ELU(alpha=SELU_ALPHA)\n"),
            ("        self._elu = ELU(alpha=SELU_ALPHA)\n", ""),
        ),
        expect=("shared-class-state", "saved-state-overwritten"),
        phrases=("class", "instance"),
    ),
    fresh(
        "hsaa-step-backward-one-zero-per-sample",
        "activations.Step",
        "backward returns np.zeros(grad_y.shape[0]), one zero per sample: the gradient is shaped like the input "
        "(np.zeros_like(grad_y))",
        ("        return np.zeros_like(grad_y)\n", "        return np.zeros(grad_y.shape[0])\n"),
        expect=("gradient-not-shaped-like-input", "wrong-shape"),
        phrases=("shape",),
    ),
    fresh(
        "hsaa-softplus-beta-int",
        "activations.Softplus",
        "beta is stored as int(beta): beta = 0.5 becomes 0 (a division by zero) and 1.5 becomes 1; keep it a float",
        ("        self.beta = float(beta)\n", "        self.beta = int(beta)\n"),
        expect=("int-truncates-hyperparameter", "hyperparameter-ignored"),
        phrases=("int", "beta"),
    ),
    fresh(
        "hsaa-softplus-backward-through-sigmoid-backward",
        "activations.Softplus",
        "backward calls the inner Sigmoid's backward, which multiplies by s (1 - s): softplus' derivative is s = "
        "sigmoid(beta x) itself",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        return np.where(self._linear, grad_y, self._sigmoid.backward(grad_y))\n",
        ),
        expect=("sigmoid-derivative-twice", "derivative-wrong-form"),
        phrases=("sigmoid",),
    ),
    fresh(
        "hsaa-logsoftmax-exp-into-output",
        "activations.LogSoftmax",
        "the saved probabilities are computed with np.exp(y, out=y), which overwrites the returned log-probabilities "
        "with probabilities: compute p into a new array",
        ("        self._p = np.exp(y)\n", "        self._p = np.exp(y, out=y)\n"),
        expect=("aliasing", "saved-state-overwritten", "softmax-missing"),
        phrases=("log", "out="),
    ),
    fresh(
        "hsaa-tanh-backward-squares-saved-output",
        "activations.Tanh",
        "backward squares the saved output in place (np.square(y, out=y)): the output forward returned now holds "
        "y^2 and a second backward is wrong; compute 1 - y^2 into a new array",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        return grad_y * (1.0 - np.square(self._y, out=self._y))\n",
        ),
        expect=("backward-mutates-saved-state", "aliasing", "saved-state-overwritten"),
        phrases=("in place", "saved"),
    ),
    fresh(
        "hsaa-gelu-tanh-cube-as-xor",
        "activations.GELU",
        "the cube is written xc ^ 3, numpy's bitwise xor (an error on floats): the power is xc ** 3",
        (
            "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n",
            "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc ^ 3))\n",
        ),
        expect=("xor-for-power",),
        phrases=("**", "power"),
    ),
    fresh(
        "hsaa-identity-forward-float32",
        "activations.Identity",
        "forward returns x cast to float32: every activation returns float64",
        (
            "        return x\n        ### END SOLUTION\n\n    def backward",
            "        return x.astype(np.float32)\n        ### END SOLUTION\n\n    def backward",
        ),
        expect=("float32", "wrong-type"),
        phrases=("float64", "dtype"),
    ),
    fresh(
        "hsaa-leakyrelu-backward-default-slope",
        "activations.LeakyReLU",
        "backward scales the negative side by the literal 0.01, not self.negative_slope: a non-default slope is "
        "used in forward only",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return np.where(self._x > 0, grad_y, 0.01 * grad_y)\n",
        ),
        # added after reading output (tag-vocabulary audit): negative-branch-wrong
        expect=("hyperparameter-ignored", "forward-backward-mismatch", "negative-branch-wrong"),
        phrases=("negative_slope",),
    ),
    fresh(
        "hsaa-logsoftmax-forward-sum-over-last-axis",
        "activations.LogSoftmax",
        "the log-sum-exp sums along the last axis while the shift is taken along dim: both run along dim, or the "
        "result is not a log-softmax for dim = 0",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))\n",
        ),
        expect=("softmax-wrong-axis", "reduced-over-wrong-axes", "logsoftmax-shift-mismatch"),
        phrases=("dim", "axis"),
    ),
    fresh(
        "hsaa-selu-forward-through-fresh-elu",
        "activations.SELU",
        "forward runs a new ELU(SELU_ALPHA) each call while backward uses self._elu, which never saw the input: "
        "forward and backward must go through the same inner module",
        (
            "        return self.scale * self._elu.forward(x)\n",
            "        return self.scale * ELU(alpha=SELU_ALPHA).forward(x)\n",
        ),
        expect=("inner-module-not-run", "forward-backward-mismatch"),
        phrases=("self._elu", "forward"),
    ),
    fresh(
        "hsaa-gelu-backward-clip-at-four",
        "activations.GELU",
        "the exact backward clips x to [-4, 4] (a bound typed short): the clip only guards x^2 from overflow, at "
        "|x| = 40; at |x| = 4 the density term x phi(x) is still about 5e-4",
        (
            "        xc = np.clip(self._x, -40.0, 40.0)\n",
            "        xc = np.clip(self._x, -4.0, 4.0)\n",
        ),
        expect=("input-clipped", "formula-constant"),
        phrases=("clip",),
    ),
]


LAYERS = [
    fresh(
        "hsaa-linear-output-float32",
        "layers.Linear",
        "forward casts the product to float32: every layer returns float64",
        ("        y = x @ self.weight.data.T\n", "        y = (x @ self.weight.data.T).astype(np.float32)\n"),
        expect=("float32", "wrong-type"),
        phrases=("float64", "dtype"),
    ),
    fresh(
        "hsaa-conv-unpad-with-padded-sides",
        "layers.Conv2d",
        "the unpadded sides are taken as the padded sides (H, W = xp_shape[2:]), so the crop keeps padding and the "
        "input gradient has the wrong shape: H = Hp - 2 pH, W = Wp - 2 pW",
        (
            "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n",
            "        H, W = self._xp_shape[2:]\n",
        ),
        expect=("padding-slice-bounds", "gradient-not-shaped-like-input"),
        phrases=("padding", "shape"),
    ),
    fresh(
        "hsaa-flatten-output-float32",
        "layers.Flatten",
        "forward returns the reshaped input cast to float32: Flatten moves no numbers and returns float64",
        ("        y = x.reshape(self._y_shape)\n", "        y = x.reshape(self._y_shape).astype(np.float32)\n"),
        expect=("float32", "wrong-type"),
        phrases=("float64", "dtype"),
    ),
    fresh(
        "hsaa-bn2d-momentum-or-default",
        "layers.BatchNorm2d",
        "m = self.momentum or 0.1 turns momentum = 0 (frozen running statistics) into 0.1: 0 is a valid momentum",
        batchnorm_own("layers.BatchNorm2d", {"forward": [("m = self.momentum", "m = self.momentum or 0.1")]}),
        expect=("zero-taken-as-unset", "momentum-ignored", "hyperparameter-overwritten"),
        phrases=("momentum",),
    ),
    fresh(
        "hsaa-bn2d-unbiased-var-in-place",
        "layers.BatchNorm2d",
        "the batch variance is made unbiased in place (var *= count / (count - 1)) before the running update, so the "
        "batch is normalised with the unbiased variance: normalise with the biased one, store the unbiased one",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "self.running_var += m * var * (count / (count - 1))  # the unbiased estimate",
                        "var *= count / (count - 1)\n            self.running_var += m * var",
                    )
                ]
            },
        ),
        expect=("bn-unbiased-variance", "bessel-correction", "aliasing"),
        phrases=("biased", "variance"),
    ),
    fresh(
        "hsaa-bn1d-batch-stats-flag-set-in-training-only",
        "layers.BatchNorm1d",
        "the batch-statistics flag is set only inside the training branch, so after a training forward an eval "
        "forward keeps it True and backward adds the batch terms: record the mode on every forward",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            mean = x.mean(axis=axes)\n",
                        "            self._batch_stats = True\n            mean = x.mean(axis=axes)\n",
                    ),
                    ("        self._batch_stats = self.training\n", ""),
                ]
            },
        ),
        # the last tag added after reading output
        expect=("bn-eval-backward-batch-terms", "saved-state-stale", "train-eval", "saved-none"),
        phrases=("eval", "running"),
    ),
    fresh(
        "hsaa-dropout-backward-mask-truthiness",
        "layers.Dropout",
        "backward tests `if not self._mask`, the truth value of an array (an error for more than one entry, and "
        "an all-zero mask counts as no mask): test `self._mask is None`",
        (
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
            "        grad_x = grad_y if not self._mask else grad_y * self._mask\n",
        ),
        expect=("truthiness-of-array",),
        phrases=("None",),
    ),
    fresh(
        "hsaa-bn1d-eps-default-keras",
        "layers.BatchNorm1d",
        "the default eps is 1e-3 (Keras): the API's (PyTorch's) default is 1e-5",
        (
            "    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:\n",
            "    def __init__(self, num_features: int, eps: float = 1e-3, momentum: float = 0.1) -> None:\n",
        ),
        expect=("eps-default", "default-changed"),
        phrases=("eps", "1e-5"),
    ),
    fresh(
        "hsaa-bn2d-momentum-default-keras",
        "layers.BatchNorm2d",
        "the default momentum is 0.99 (Keras' decay): under the API's convention the newest batch weighs 0.1",
        (
            "    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:\n",
            "    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.99) -> None:\n",
        ),
        expect=("default-changed", "bn-momentum-convention"),
        phrases=("momentum", "0.1"),
    ),
    fresh(
        "hsaa-bn1d-gamma-grad-keepdims",
        "layers.BatchNorm1d",
        "the gamma gradient keeps the reduced axes (keepdims=True), a (1, C) array that cannot be added into the "
        "(C,) gradient: reduce without keepdims",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)",
                        "self.weight.grad += (grad_y * self._x_hat).sum(axis=axes, keepdims=True)",
                    )
                ]
            },
        ),
        # the last tag added after reading output
        expect=("keepdims-misuse", "wrong-shape", "length-one-axis"),
        phrases=("keepdims", "shape"),
    ),
    fresh(
        "hsaa-bn2d-momentum-as-eps",
        "layers.BatchNorm2d",
        "the normalisation adds self.momentum under the root instead of self.eps: inv_std = 1 / sqrt(var + eps)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("np.sqrt(var + self.eps)", "np.sqrt(var + self.momentum)")]},
        ),
        expect=("wrong-hyperparameter", "copy-paste", "bn-no-eps"),
        phrases=("eps",),
    ),
    fresh(
        "hsaa-bn1d-running-mean-reset-each-batch",
        "layers.BatchNorm1d",
        "the running mean is re-created as zeros on every training forward before the update, so it holds "
        "momentum * batch mean: keep decaying the stored buffer",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "self.running_mean *= 1.0 - m",
                        "self.running_mean = np.zeros(self.num_features)",
                    )
                ]
            },
        ),
        expect=("state-reset", "bn-running-replaced-by-batch"),
        phrases=("running_mean", "momentum"),
    ),
    fresh(
        "hsaa-maxpool-saves-window-grid-shape",
        "layers.MaxPool2d",
        "forward saves the window grid's shape (N, C, H', W') as the input shape, so backward allocates an "
        "output-sized gradient: save x.shape",
        (
            "        self._x_shape = x.shape\n"
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        self._x_shape = windows.shape[:4]\n"
            "        windows = windows.reshape(",
        ),
        expect=("input-shape-from-output", "gradient-allocated-like-output", "gradient-not-shaped-like-input"),
        phrases=("shape", "input"),
    ),
    fresh(
        "hsaa-avgpool-window-axes-reversed",
        "layers.AvgPool2d",
        "the windows are taken with axis=(3, 2), so a (kH, kW) window spans kH columns and kW rows: the window "
        "sides follow axes (2, 3)",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        windows = sliding_window_view(x, (kH, kW), axis=(3, 2))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
        ),
        expect=("kernel-height-width-swapped", "axes-permuted"),
        phrases=("height", "width"),
    ),
    fresh(
        "hsaa-bn2d-running-mean-of-whole-batch",
        "layers.BatchNorm2d",
        "the running mean moves towards x.mean(), one scalar over every channel: it tracks each channel's batch "
        "mean (mean over N, H, W)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("self.running_mean += m * mean", "self.running_mean += m * x.mean()")]},
        ),
        expect=("reduction-over-whole-array", "bn-wrong-axes"),
        phrases=("channel", "running_mean"),
    ),
]


LOSSES = [
    fresh(
        "hsaa-mse-square-into-saved-diff",
        "losses.MSELoss",
        "forward squares the saved difference in place (np.square(diff, out=diff)), so backward uses (x - t)^2: "
        "keep x - t and square into a new array",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.mean(np.square(self._diff, out=self._diff))\n",
        ),
        expect=(
            "saved-state-overwritten",
            "aliasing",
            "backward-mutates-saved-state",
            "mse-grad-of-squares",  # the last tag added after reading output
        ),
        phrases=("in place", "diff"),
    ),
    fresh(
        "hsaa-bcelogits-max-for-maximum",
        "losses.BCEWithLogitsLoss",
        "np.max(x, 0.0) is a reduction whose second argument is the axis: the stable form needs the elementwise "
        "np.maximum(x, 0)",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.max(x, 0.0) - x * t + np.log1p(z))\n",
        ),
        expect=("max-for-maximum", "python-max-on-array"),
        phrases=("maximum",),
    ),
    fresh(
        "hsaa-mse-backward-scales-saved-diff",
        "losses.MSELoss",
        "backward scales the saved difference in place (np.multiply(diff, 2 / size, out=diff)): a second backward "
        "returns a rescaled gradient; build a new array",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return np.multiply(self._diff, 2.0 / self._diff.size, out=self._diff)\n",
        ),
        expect=("backward-mutates-saved-state", "aliasing"),
        phrases=("in place", "saved"),
    ),
    fresh(
        "hsaa-ce-exp-into-log-probs",
        "losses.CrossEntropyLoss",
        "the probabilities are computed with np.exp(log_probs, out=log_probs), so the loss then averages minus the "
        "true class's probability, not its log-probability: exponentiate into a new array",
        (
            "        self._probs = np.exp(log_probs)\n",
            "        self._probs = np.exp(log_probs, out=log_probs)\n",
        ),
        expect=("aliasing", "saved-state-overwritten"),
        phrases=("log", "out="),
    ),
    fresh(
        "hsaa-mse-dot-of-diff",
        "losses.MSELoss",
        "the loss is np.mean(diff.T @ diff), a mean of inner products (for (N,) or (N, 1) input the plain sum of "
        "squares): the MSE is the mean of the entrywise squares, diff ** 2",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.mean(self._diff.T @ self._diff)\n",
        ),
        expect=("matmul-for-elementwise", "sum-not-mean", "times-size"),
        phrases=("mean", "size"),
    ),
    fresh(
        "hsaa-bcelogits-linear-term-of-relu",
        "losses.BCEWithLogitsLoss",
        "the linear term is max(x, 0) * t instead of x * t: the stable form is max(x, 0) - x t + log(1 + e^{-|x|})",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) - np.maximum(x, 0.0) * t + np.log1p(z))\n",
        ),
        expect=("formula-wrong", "stable-form-term-missing"),
        phrases=("x t", "linear"),
    ),
    fresh(
        "hsaa-hinge-margin-zero-as-default",
        "losses.HingeLoss",
        "margin = float(margin) if margin else 1.0 replaces a margin of 0 by 1: 0 is a valid margin",
        ("        self.margin = float(margin)\n", "        self.margin = float(margin) if margin else 1.0\n"),
        expect=("zero-taken-as-unset", "hinge-margin-ignored"),
        phrases=("margin",),
    ),
]


OPTIMIZERS = [
    fresh(
        "hsaa-sgd-dampening-from-weight-decay",
        "optimizers.SGD",
        "the constructor stores weight_decay as the dampening (copy-paste): dampening = float(dampening)",
        ("        self.dampening = float(dampening)\n", "        self.dampening = float(weight_decay)\n"),
        expect=("copy-paste", "hyperparameters-swapped", "hyperparameter-ignored"),
        phrases=("dampening",),
    ),
    fresh(
        "hsaa-adagrad-decay-times-lr",
        "optimizers.Adagrad",
        "the L2 term is lr * weight_decay * p: Adagrad adds weight_decay * p to the gradient (lr scales the step once)",
        (
            '            g = g + self.weight_decay * p.data\n            state["sum"] = state["sum"] + g * g\n',
            "            g = g + self.lr * self.weight_decay * p.data\n"
            '            state["sum"] = state["sum"] + g * g\n',
        ),
        expect=("weight-decay-times-lr", "lr-applied-twice"),
        phrases=("weight_decay",),
    ),
    fresh(
        "hsaa-rmsprop-momentum-off-when-centered",
        "optimizers.RMSprop",
        "momentum is used only when centered is False: centered changes the denominator, momentum applies in both",
        ("            if self.momentum > 0:\n", "            if self.momentum > 0 and not self.centered:\n"),
        expect=("momentum-ignored", "hyperparameter-ignored"),
        phrases=("momentum", "centered"),
    ),
    fresh(
        "hsaa-rmsprop-square-avg-of-raw-gradient",
        "optimizers.RMSprop",
        "the square average takes the raw gradient, without the weight-decay term: the decayed gradient g is both "
        "averaged and applied",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * _grad(p) ** 2\n',
        ),
        expect=("squares-without-decay", "weight-decay-ignored"),
        phrases=("weight_decay", "square"),
    ),
    fresh(
        "hsaa-rmsprop-momentum-buffer-divided-whole",
        "optimizers.RMSprop",
        "the buffer is (momentum * buf + g) / avg, dividing the old velocity again every step: buf = momentum * buf "
        "+ g / avg",
        (
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n',
            '                state["momentum_buffer"] = (self.momentum * state["momentum_buffer"] + g) / avg\n',
        ),
        expect=("precedence", "operator-precedence"),
        phrases=("momentum_buffer", "avg"),
    ),
    fresh(
        "hsaa-adadelta-state-list-multiplied",
        "optimizers.Adadelta",
        "the state list is [dict] * len(params): one dict shared by every parameter, so parameters overwrite each "
        "other's averages; build one dict per parameter",
        (
            '        self.state = [{"square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)} for p in self.params]\n',
            '        self.state = [{"square_avg": 0.0, "acc_delta": 0.0}] * len(self.params)\n',
        ),
        expect=("state-shared-between-parameters", "aliasing"),
        phrases=("parameter", "shared"),
    ),
    fresh(
        "hsaa-adam-reads-max-state-without-amsgrad",
        "optimizers.Adam",
        "the second moment is read from max_exp_avg_sq (zeros unless amsgrad updates it) instead of exp_avg_sq: the "
        "denominator is then eps alone",
        ('            v = state["exp_avg_sq"]\n', '            v = state["max_exp_avg_sq"]\n'),
        expect=("state-key-mismatch", "copy-paste-wrong-state"),
        phrases=("exp_avg_sq",),
    ),
    fresh(
        "hsaa-adam-step-count-set-to-one",
        "optimizers.Adam",
        "the step count is set to 1 every step (self.t = 1): it counts the updates, and the bias corrections fade "
        "with it",
        ("        self.t += 1\n        bias_correction1", "        self.t = 1\n        bias_correction1"),
        # added after reading output (tag-vocabulary audit): step-count-not-kept
        expect=("state-reset", "step-count-not-incremented", "bias-correction-frozen", "step-count-not-kept"),
        phrases=("step", "bias correction"),
    ),
    fresh(
        "hsaa-rmsprop-average-updated-after-step",
        "optimizers.RMSprop",
        "the square average is updated after the parameter step, so the step divides by last step's average (eps "
        "on the first step): update the average first",
        span(
            "optimizers",
            ('            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n', ""),
            (
                "                p.data -= self.lr * (g / avg)\n",
                "                p.data -= self.lr * (g / avg)\n"
                '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            ),
        ),
        expect=("accumulator-after-step", "order-changed"),
        phrases=("before", "square_avg"),
    ),
    fresh(
        "hsaa-adam-second-moment-of-abs",
        "optimizers.Adam",
        "the second moment averages |g| instead of g * g: exp_avg_sq is an average of squared gradients",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * np.abs(g)\n',
        ),
        expect=("absolute-for-squared", "gradient-not-squared"),
        phrases=("square",),
    ),
    fresh(
        "hsaa-adam-denominator-corrected-by-first",
        "optimizers.Adam",
        "the denominator's correction uses sqrt(1 - beta1^t) (copied from the first moment): it is sqrt(1 - beta2^t)",
        (
            "        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        bias_correction2_sqrt = bias_correction1**0.5\n",
        ),
        expect=("bias-correction-betas-swapped", "copy-paste"),
        phrases=("beta2",),
    ),
    fresh(
        "hsaa-adam-v-read-before-update",
        "optimizers.Adam",
        "v is read from state before exp_avg_sq is updated, so the denominator uses last step's average (zeros, "
        "then eps alone, on the first step): read it after the update",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n',
            '            v = state["exp_avg_sq"]\n'
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
        ),
        expect=("order-changed", "saved-state-stale", "accumulator-after-step"),
        phrases=("exp_avg_sq", "before"),
    ),
    fresh(
        "hsaa-adamw-decay-skips-vectors",
        "optimizers.AdamW",
        "the decoupled decay shrinks only matrices (p.data.ndim > 1): AdamW decays every parameter given to it, "
        "biases included",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        if p.data.ndim > 1:\n            p.data *= 1.0 - self.lr * self.weight_decay\n",
        ),
        expect=("decay-skips-biases", "weight-decay-ignored"),
        phrases=("bias", "every parameter"),
    ),
    fresh(
        "hsaa-sgd-decay-only-without-momentum",
        "optimizers.SGD",
        "weight decay is added only when momentum is 0: the L2 term joins the gradient whatever the momentum",
        (
            "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n",
            "            if self.weight_decay != 0 and self.momentum == 0:\n"
            "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
        ),
        expect=("weight-decay-ignored", "hyperparameter-ignored"),
        phrases=("weight_decay", "momentum"),
    ),
    fresh(
        "hsaa-adagrad-decay-gated-by-lr-decay",
        "optimizers.Adagrad",
        "weight decay is applied only when lr_decay != 0 (the condition tests the wrong hyper-parameter): test "
        "weight_decay",
        (
            "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n"
            '            state["sum"]',
            "            if self.lr_decay != 0:\n                g = g + self.weight_decay * p.data\n"
            '            state["sum"]',
        ),
        expect=("wrong-hyperparameter", "weight-decay-ignored", "copy-paste"),
        phrases=("weight_decay", "lr_decay"),
    ),
    fresh(
        "hsaa-adadelta-rho-zero-as-default",
        "optimizers.Adadelta",
        "rho = self.rho or 0.9 replaces rho = 0 (no averaging) by 0.9: 0 is a valid rho",
        ("        rho = self.rho\n", "        rho = self.rho or 0.9\n"),
        expect=("zero-taken-as-unset", "hyperparameter-overwritten"),
        phrases=("rho",),
    ),
    fresh(
        "hsaa-rmsprop-centered-variance-into-square-avg",
        "optimizers.RMSprop",
        "the centered variance is computed with out=state['square_avg'], overwriting the running average of squares "
        "with v - m^2: write the variance into a new array",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0, '
            'out=state["square_avg"])\n',
        ),
        expect=("aliasing", "saved-state-overwritten", "centered-variance-formula"),
        phrases=("square_avg", "out="),
    ),
]


INIT = [
    fresh(
        "hsaa-fans-receptive-field-max",
        "init.fan_in_and_fan_out",
        "the receptive field is the largest kernel side (max(shape[2:])): it is the product of the kernel sides",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = max(shape[2:], default=1)\n",
        ),
        expect=("receptive-field-partial", "formula-wrong"),
        phrases=("receptive", "product"),
    ),
    fresh(
        "hsaa-xavier-uniform-divided-by-gain",
        "init.xavier_uniform",
        "the std is divided by the gain: Glorot's std is gain * sqrt(2 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound = math.sqrt(3.0) * std  #",
            "    std = math.sqrt(2.0 / (fan_in + fan_out)) / gain\n    bound = math.sqrt(3.0) * std  #",
        ),
        # the last tag added after reading output
        expect=("formula-wrong", "gain-missing", "formula-operator"),
        phrases=("gain",),
    ),
    fresh(
        "hsaa-xavier-normal-two-outside-root",
        "init.xavier_normal",
        "the std is 2 / sqrt(fan_in + fan_out), the 2 left outside the root: std = gain * sqrt(2 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * 2.0 / math.sqrt(fan_in + fan_out)\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("root-scope", "formula-constant"),
        phrases=("sqrt",),
    ),
    fresh(
        "hsaa-kaiming-uniform-gain-only-with-slope",
        "init.kaiming_uniform",
        "the gain is computed only when a is nonzero, else sqrt(2) whatever the nonlinearity: a = 0 is a valid "
        "slope, and nonlinearity='linear' or 'tanh' has its own gain",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
            "    gain = calculate_gain(nonlinearity, a) if a else math.sqrt(2.0)\n    std = gain / math.sqrt(fan)\n"
            "    bound",
        ),
        expect=("nonlinearity-ignored", "zero-taken-as-unset"),
        phrases=("nonlinearity", "gain"),
    ),
    fresh(
        "hsaa-kaiming-normal-power-one-half-precedence",
        "init.kaiming_normal",
        "the root is written fan ** 1 / 2, which is fan / 2: std = gain / fan ** 0.5",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(",
            "    std = gain / fan ** 1 / 2\n    weight = rng.normal(",
        ),
        expect=("operator-precedence", "precedence", "sqrt-missing"),
        phrases=("sqrt", "precedence"),
    ),
    fresh(
        "hsaa-xavier-normal-float32",
        "init.xavier_normal",
        "the draws are cast to float32: the init functions return float64 arrays",
        (
            "    weight = rng.normal(0.0, std, size=shape)\n    ### END SOLUTION\n    return weight\n\n\ndef kaiming",
            "    weight = rng.normal(0.0, std, size=shape).astype(np.float32)\n"
            "    ### END SOLUTION\n    return weight\n\n\ndef kaiming",
        ),
        expect=("float32", "wrong-type"),
        phrases=("float64", "dtype"),
    ),
]


OTHERS = [
    fresh(
        "hsaa-minibatches-shuffles-when-rng-given",
        "training.minibatches",
        "the permutation is drawn whenever an rng is passed (if rng is not None): shuffle=False must keep the "
        "stored order even with a generator",
        (
            "    if shuffle:\n        order = rng.permutation(len(X))",
            "    if rng is not None:\n        order = rng.permutation(len(X))",
        ),
        # the last tag added after reading output
        expect=("shuffle-ignored", "flag-tested-against-none", "shuffles-when-rng-given"),
        phrases=("shuffle",),
    ),
    fresh(
        "hsaa-minibatches-plus-equals-tuple",
        "training.minibatches",
        "batches += (X_batch, y_batch) extends the list with two arrays: append the pair as one tuple",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches += (X[start : start + size], y[start : start + size])\n",
        ),
        expect=("list-extend-not-append",),
        phrases=("append", "pair"),
    ),
    fresh(
        "hsaa-sequential-layers-class-list",
        "models.Sequential",
        "layers is a class-level list extended by every constructor, so every Sequential shares (and grows) one "
        "list: create self.layers = list(layers) per instance",
        (
            "    def __init__(self, *layers: Module) -> None:\n        super().__init__()\n"
            "        self.layers = list(layers)\n",
            "    layers: list = []  # noqa: RUF012\n\n    def __init__(self, *layers: Module) -> None:\n"
            "        super().__init__()\n        self.layers.extend(layers)\n",
        ),
        expect=("shared-class-state", "mutable-default-argument"),
        phrases=("class", "instance"),
    ),
    fresh(
        "hsaa-perceptron-fit-is-not-zero",
        "models.Perceptron",
        "a mistake is tested with `is not 0.0`, an identity test that is true for every float the update returns: "
        "compare values with != 0",
        (
            "                if self.update(x, target) != 0.0:\n",
            "                if self.update(x, target) is not 0.0:  # noqa: F632\n",
        ),
        expect=("identity-comparison",),
        phrases=("is not", "!="),
    ),
    fresh(
        "hsaa-early-stopping-min-delta-added",
        "early_stopping.fit_early_stopping",
        "an epoch improves when val < best + min_delta: min_delta is a required decrease, val < best - min_delta",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if val_loss - min_delta < best_loss:\n",
        ),
        # the last tag added after reading output
        expect=("sign-flipped", "formula-operator", "min-delta-sign"),
        phrases=("min_delta",),
    ),
    fresh(
        "hsaa-perceptron-weights-reset-each-epoch",
        "models.Perceptron",
        "fit sets the weights back to zeros at the start of every epoch: the weights carry over between epochs",
        (
            "            mistakes = 0\n",
            "            mistakes = 0\n            self.weight = np.zeros_like(self.weight)\n",
        ),
        expect=("state-reset",),
        phrases=("epoch", "reset"),
    ),
    fresh(
        "hsaa-early-stopping-best-unpacked-swapped",
        "early_stopping.fit_early_stopping",
        "the improvement assignment swaps best_loss and best_epoch (best_epoch gets the loss, best_loss the epoch "
        "number): best_loss = val_loss, best_epoch = epoch",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            history.best_epoch, best_loss, waited = val_loss, epoch, 0\n",
        ),
        expect=("unpacked-swapped", "best-loss-not-updated"),
        phrases=("best_epoch", "best_loss"),
    ),
    fresh(
        "hsaa-relerr-ratio-of-maxima",
        "gradcheck.relative_error",
        "the error is max|a - b| / max(|a| + |b|), one global ratio: the API takes the maximum of the entrywise ratios",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b).max() / np.maximum(1e-8, (np.abs(a) + np.abs(b)).max())\n",
        ),
        # the last tag added after reading output
        expect=("not-per-coordinate", "reduction-over-whole-array", "norm-not-entrywise"),
        phrases=("entry", "max"),
    ),
    fresh(
        "hsaa-perceptron-update-x-int",
        "models.Perceptron",
        "the update adds lr * error * x.astype(int), truncating real features: add lr * error * x",
        (
            "        self.weight = self.weight + self.lr * error * x\n",
            "        self.weight = self.weight + self.lr * error * x.astype(int)\n",
        ),
        expect=("int-truncates-input", "rounded-values"),
        phrases=("int", "truncat"),
    ),
    fresh(
        "hsaa-minibatches-order-from-shuffle-return",
        "training.minibatches",
        "the order is taken from rng.shuffle(...), which shuffles in place and returns None, so X[None] adds an "
        "axis: use rng.permutation(len(X))",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = rng.shuffle(np.arange(len(X)))\n",
        ),
        expect=("append-returns-none", "returns-none", "not-a-permutation"),
        phrases=("permutation", "None"),
    ),
    fresh(
        "hsaa-fit-skips-last-batch",
        "training.fit",
        "the loop runs over list(minibatches(...))[:-1], never training on the last batch: every batch is used",
        (
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "        for X_batch, y_batch in list(minibatches(X, y, batch_size, shuffle, rng))[:-1]:\n",
        ),
        expect=("drops-last-batch", "loop-off-by-one"),
        phrases=("last batch",),
    ),
    fresh(
        "hsaa-numgrad-flat-gradient-buffer",
        "gradcheck.numerical_gradient",
        "the gradient buffer is np.zeros(x.size), a flat vector indexed with x's multi-index: allocate it shaped "
        "like x",
        (
            "    grad = np.zeros(x.shape, dtype=np.float64)\n",
            "    grad = np.zeros(x.size, dtype=np.float64)\n",
        ),
        expect=("gradient-not-shaped-like-input", "wrong-shape"),
        phrases=("shape",),
    ),
    fresh(
        "hsaa-minibatches-insert-at-front",
        "training.minibatches",
        "each batch is inserted at the front of the list (batches.insert(0, ...)), so the batches come last-first: "
        "without shuffle they follow the stored order; append",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.insert(0, (X[start : start + size], y[start : start + size]))\n",
        ),
        expect=("visit-order", "order-changed"),
        phrases=("order", "append"),
    ),
    fresh(
        "hsaa-early-stopping-val-history-inserted-first",
        "early_stopping.fit_early_stopping",
        "each validation loss is inserted at the front of history.val_losses, so the record runs newest-first: "
        "append, in epoch order",
        (
            "        history.val_losses.append(val_loss)\n",
            "        history.val_losses.insert(0, val_loss)\n",
        ),
        expect=("order-changed", "wrong-history-list"),
        phrases=("order", "append"),
    ),
    fresh(
        "hsaa-early-stopping-stopped-epoch-is-wait-count",
        "early_stopping.fit_early_stopping",
        "stopped_epoch records the number of epochs waited (waited) instead of the epoch at which training stopped",
        (
            "                history.stopped_epoch = epoch\n",
            "                history.stopped_epoch = waited\n",
        ),
        expect=("stopped-epoch",),
        phrases=("stopped_epoch", "epoch"),
    ),
]


FRESH_AA: list[Mutant] = ACTIVATIONS + LAYERS + LOSSES + OPTIMIZERS + INIT + OTHERS
