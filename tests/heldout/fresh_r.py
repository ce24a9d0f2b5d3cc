"""Held-apart set R: fresh student bugs, written blind after sets A to Q had been seen.

Sets A (``HELDOUT``) to Q (``FRESH_Q``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set R was written blind: its author read the reference (reference/*.py),
docs/api.md, sets O, P and Q (for the format and to avoid their bugs), the ``expect`` tags of the catalogue
(graders/mutants) and of tests/heldout (for the tag vocabulary), and of tests/test_feedback_generalisation.py
only its FAMILIES and SETS dicts. The author never read the diagnosis (graders/judging, graders/reporting,
graders/running, graders/selfcheck, graders/runner.py), tests/evidence.py, the feedback audit, the mistake,
crash, diagnosis and feedback tests, benchmarks/, the grader's feedback or its output, and graded none of
these bugs. About 150 candidates were written; /work/tools/check_set.py found some 75 of them to be copies
of catalogue or earlier bugs (the catalogue is dense), and those were dropped. One more was dropped because
its strided windows could read past the padded buffer (Conv2d padded (H + 2 pH, W + 2 pH) with pW > pH).
Every edit was applied and its module compiled, and every one was run, in its own process, by a script of
the author's own on small inputs beside the reference (several hyper-parameter settings, 2-D, 3-D and 4-D
inputs, rectangular kernels, stride != kernel, padding, bias=False, soft targets, eval mode, a second
backward, p.grad and the caller's arrays checked afterwards): each changes a result or raises (none went
through the grader).

About half are classes the catalogue and the earlier sets hardly touch, mostly on less-visited paths:
numpy and Python semantics (SGD's first velocity ``buf = g`` that is p.grad itself and is zeroed by the
in-place zero_grad; ``g += weight_decay * p`` writing into p.grad in Adagrad and RMSprop; BatchNorm2d's
output built in place in the saved x_hat; ``np.heaviside(x, 1.0)`` whose second argument is the value at 0;
``rng.uniform(bound)`` taking the bound as low; ``rng.choice(n, n)`` drawing with replacement;
``len(shape[2:])`` for the product of the kernel sizes; ``np.eye(labels.max() + 1)`` as the one-hot;
``np.log1p(1 - p)``; ``layer.train`` and ``copy_state`` not called; minibatches' shuffle and rng passed in
swapped order; a 'fan-in' typo; windows flattened column by column in MaxPool's forward while backward
decodes row by row; reshape to (D, N) then transpose in Flatten; Flatten saving the output shape; Adam.step
adding the L2 term inline and so bypassing AdamW's _decay), conventions misread (Keras' momentum
convention for BatchNorm's running variance; the cdf as erf(x / 2); the sigmoid's and ELU's derivatives
written for the input but fed the output or without alpha; the running variance square-rooted in eval;
the batch mean in eval; the kernel fan of a rectangular Conv2d; Dropout's p = 1 routed to the identity;
early stopping restoring only when patience runs out, or judging the training loss) and formulas remembered
wrongly (MSE as the norm over M, the hinge over N * C, relative error over |b|, Xavier with He's std, the
uniform bound std / sqrt 3, Adam's first moment without 1 - beta1 and its step size corrected by beta2);
about half are known classes in a new code shape or on a new component (axes and broadcasting in Softmax,
LogSoftmax, Maxout, BatchNorm and HingeLoss; reshape-for-transpose in Linear's and Conv2d's backward and
Conv2d's output; dropout's scale and keep probability; hyper-parameters hard-coded or ignored in Adadelta,
Adagrad, RMSprop and the initialisers). Each is a different edit from the catalogue's and sets A to Q's.
Ids start with ``hsr-``. The ``expect`` tags and ``phrases`` were decided from the misconception alone,
before any grading, every tag taken from the existing vocabulary (no new tag); phrases are words any correct
explanation would contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 15, on the tree that taught set Q, each bug graded
in the grader's sandbox): 64/74 named (86 %), 73/74 caught, 8 flagged misleading. Of the 8, 6 were the right
diagnosis under another tag (added to their ``expect`` after reading the sentence); 2 were wrong claims (listed
in UNMENDED): the Perceptron's update comparing w . x with b, read as the bias left out of the score; early
stopping judging the training loss, read as a loss maximised and as the gap monitored. Not caught: Conv2d's
default init with fan_in = C kH kH, which only a rectangular kernel's initial bound shows. It was removed
afterwards (73 bugs now): docs/api.md leaves initial weights to the implementation (the graders overwrite .data),
so it is no mistake under the API; a rubric row that held the default weights to the 1/sqrt(fan_in) law was
tried and withdrawn, since it took points from CS231n's fixed weight scale (tests/alternatives/layers_weightscale).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsr-")  # set R

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hsr-softmax-shift-along-last-axis",
        "activations.Softmax",
        "subtracts the maximum along the last axis whatever dim is: the shift must be constant along dim (taken "
        "along dim), otherwise for dim=0 each entry of a column is shifted by a different amount",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n",
        ),
        expect=("softmax-wrong-axis", "logsoftmax-shift-mismatch", "hyperparameter-ignored"),
        phrases=("dim", "axis", "max"),
    ),
    fresh(
        "hsr-gelu-cdf-erf-over-two",
        "activations.GELU",
        "Phi(x) = (1 + erf(x / 2)) / 2: the standard normal cdf is (1 + erf(x / sqrt 2)) / 2",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            "        self._cdf = 0.5 * (1.0 + erf(x / 2.0))\n",
        ),
        expect=("formula-constant",),
        phrases=("sqrt", "cdf", "erf"),
    ),
    fresh(
        "hsr-logsoftmax-backward-sum-without-keepdims",
        "activations.LogSoftmax",
        "the sum of grad_y along dim drops keepdims: a (N,) sum does not broadcast against (N, C) along rows; "
        "keep the reduced axis (keepdims=True) so it lines up with dim",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim)\n",
        ),
        expect=("reduction-without-keepdims", "keepdims-misuse", "broadcast-wrong-axis"),
        phrases=("keepdims", "broadcast"),
    ),
    fresh(
        "hsr-maxout-winner-along-output-axis",
        "activations.Maxout",
        "the winning piece is taken by argmax over axis 2 (the output features): z is (N, pieces, out), so the "
        "maximum over pieces runs along axis 1",
        (
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n",
            "        self._argmax = np.argmax(z, axis=2)  # on a tie, the first maximal piece\n",
        ),
        expect=("maxout-wrong-axis", "max-over-one-axis"),
        phrases=("pieces", "axis"),
    ),
    fresh(
        "hsr-sigmoid-backward-formula-applied-to-output",
        "activations.Sigmoid",
        "backward evaluates e^-y / (1 + e^-y)^2 with the saved output y: that is sigma'(x) written for the "
        "input; in terms of the output the derivative is y (1 - y)",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        return grad_y * np.exp(-self._y) / (1.0 + np.exp(-self._y)) ** 2\n",
        ),
        expect=("derivative-at-output", "derivative-wrong-form"),
        phrases=("y (1 - y)", "output", "input"),
    ),
    fresh(
        "hsr-elu-backward-slope-e-to-x-minus-one-plus-alpha",
        "activations.ELU",
        "the negative slope is alpha + (e^x - 1): ELU'(x) = alpha e^x = y + alpha with y = alpha (e^x - 1); "
        "the alpha multiplying e^x - 1 was left out, so only alpha = 1 is right",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
            "        slope = self.alpha + np.expm1(np.minimum(self._x, 0.0))\n",
        ),
        # added after reading output (tag-vocabulary audit): negative-branch-wrong
        expect=("derivative-wrong-form", "alpha-ignored", "negative-branch-wrong"),
        phrases=("alpha", "e^x"),
    ),
    fresh(
        "hsr-step-heaviside-one-at-zero",
        "activations.Step",
        "np.heaviside(x, 1.0) gives 1 at x = 0: the step is (x > 0), 0 at zero; heaviside's second argument is "
        "the value at 0",
        (
            "        return (x > 0).astype(np.float64)\n",
            "        return np.heaviside(x, 1.0)\n",
        ),
        expect=("step-at-zero", "kink-value"),
        phrases=("zero", "x > 0", "heaviside"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hsr-avgpool-forward-sum-over-stride-area",
        "layers.AvgPool2d",
        "forward sums each window and divides by sH * sW: the average is over the kH * kW window entries, equal "
        "to the stride only when stride == kernel",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.sum(axis=(4, 5)) / (sH * sW)\n",
        ),
        expect=("avgpool-divisor", "kernel-stride-confused"),
        phrases=("kernel", "window", "stride"),
    ),
    fresh(
        "hsr-dropout-mask-shared-across-batch",
        "layers.Dropout",
        "draws one mask of shape x.shape[1:] and broadcasts it over the batch: every sample then drops the same "
        "units; each entry of x gets its own Bernoulli draw (mask shaped like x)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(x.shape[1:]) >= self.p  # one mask for the batch\n",
        ),
        expect=(
            "dropout-mask-shape",
            "dropout-one-draw",
            "dropout-mask-shared-across-batch",
        ),  # added after reading output
        phrases=("each sample", "shape", "mask"),
    ),
    fresh(
        "hsr-bn1d-eval-normalises-with-batch-mean",
        "layers.BatchNorm1d",
        "in evaluation the mean is the batch's, only the variance the running one: evaluation uses the running "
        "mean and the running variance, so the output of a sample does not depend on the batch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "mean, var = self.running_mean, self.running_var",
                        "mean, var = x.mean(axis=axes), self.running_var",
                    )
                ]
            },
        ),
        expect=("bn-batch-stats-in-eval", "train-eval"),
        phrases=("running", "eval", "mean"),
    ),
    fresh(
        "hsr-bn1d-weight-not-reshaped-for-sequences",
        "layers.BatchNorm1d",
        "multiplies x_hat by the (C,) weight without reshaping it: for (N, C, L) it broadcasts along L, not the "
        "channel axis; gamma must be shaped (1, C, 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("self._x_hat * self.weight.data.reshape(shape)", "self._x_hat * self.weight.data")]},
        ),
        expect=("bn2d-affine-not-reshaped", "broadcast-wrong-axis"),
        phrases=("channel", "broadcast", "(n, c, l)"),
    ),
    fresh(
        "hsr-bn1d-bessel-count-is-batch-length",
        "layers.BatchNorm1d",
        "the running variance's Bessel factor uses len(x) / (len(x) - 1): for (N, C, L) each channel has N * L "
        "values, so the factor is m / (m - 1) with m = N * L",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("m * var * (count / (count - 1))", "m * var * (len(x) / (len(x) - 1))")]},
        ),
        expect=(
            "bessel-correction",
            "bn-unbiased-variance",
            "batch-axis-dropped",
            "bn-biased-running-var",
        ),  # added after reading output
        phrases=("n * l", "count", "unbiased"),
    ),
    fresh(
        "hsr-bn2d-backward-variance-term-without-x-hat",
        "layers.BatchNorm2d",
        "the third term is x_hat * mean(grad_x_hat): the variance's share is x_hat * mean(grad_x_hat * x_hat), "
        "the projection of the gradient on x_hat",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)",
                        "self._x_hat * grad_x_hat.mean(axis=axes, keepdims=True)",
                    )
                ]
            },
        ),
        expect=("bn-backward-variance-term",),
        phrases=("variance", "x_hat"),
    ),
    fresh(
        "hsr-bn2d-running-var-keras-momentum",
        "layers.BatchNorm2d",
        "the running variance keeps momentum of the new batch variance and 1 - momentum of the old: in PyTorch's "
        "convention momentum is the weight of the new value, running = (1 - m) running + m batch",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    ("self.running_var *= 1.0 - m", "self.running_var *= m"),
                    ("self.running_var += m * var", "self.running_var += (1.0 - m) * var"),
                ]
            },
        ),
        expect=("bn-momentum-convention", "bn-momentum-swapped"),
        phrases=("momentum", "running"),
    ),
    fresh(
        "hsr-linear-bias-added-without-none-check",
        "layers.Linear",
        "forward adds self.bias.data unconditionally: with bias=False the bias is None and there is nothing to "
        "add; check self.bias is not None",
        (
            "        y = x @ self.weight.data.T\n        if self.bias is not None:\n            y += self.bias.data\n",
            "        y = x @ self.weight.data.T + self.bias.data\n",
        ),
        expect=("bias-none",),
        phrases=("bias=false", "none"),
    ),
    fresh(
        "hsr-dropout-p-one-passes-through",
        "layers.Dropout",
        "trains with `if self.training and self.p < 1.0`, so p = 1 falls to the identity branch: with p = 1 "
        "every unit is dropped in training and the output (and gradient) is all zeros; only evaluation mode "
        "passes x through",
        (
            "        if self.training:\n            keep",
            "        if self.training and self.p < 1.0:\n            keep",
        ),
        expect=("hyperparameter-ignored",),
        phrases=("p = 1", "zero", "drop"),
    ),
    fresh(
        "hsr-bn2d-output-built-in-x-hat",
        "layers.BatchNorm2d",
        "y = self._x_hat, then y *= gamma and y += beta: y is the saved x_hat itself, so scaling it in place "
        "overwrites what backward needs (the gamma gradient then uses gamma x_hat + beta); build y as a new array",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)",
                        "y = self._x_hat\n        y *= self.weight.data.reshape(shape)\n"
                        "        y += self.bias.data.reshape(shape)",
                    )
                ]
            },
        ),
        expect=(
            "saved-state-overwritten",
            "aliasing",
            "backward-mutates-saved-state",
            "saved-output-not-input",
        ),  # added after reading output
        phrases=("in place", "x_hat", "copy"),
    ),
    fresh(
        "hsr-conv-output-height-width-swapped",
        "layers.Conv2d",
        "the output is transposed with (1, 0, 3, 2): the product is laid out (F, N, H', W') and only F and N "
        "swap; (1, 0, 3, 2) also swaps H' and W'",
        (
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = y.reshape(self.out_channels, N, Wo, Ho).transpose(1, 0, 3, 2)  # a view\n",
        ),
        expect=("axes-permuted", "reshape-order"),
        phrases=("transpose", "height", "width"),
    ),
    fresh(
        "hsr-maxpool-argmax-decoded-column-major",
        "layers.MaxPool2d",
        "decodes the flat window index as i + j * kH, column by column: the window was flattened row by row "
        "(C order), so offset (i, j) is i * kW + j",
        (
            "                won = self._argmax == i * kW + j\n",
            "                won = self._argmax == i + j * kH\n",
        ),
        expect=("index-order-reversed", "window-offset-transposed"),
        phrases=("row", "index", "order"),
    ),
    fresh(
        "hsr-avgpool-backward-open-ended-slice",
        "layers.AvgPool2d",
        "scatters into grad_x[:, :, i::sH, j::sW] without an end: when the windows do not tile the input, that "
        "slice has more rows than H'; the slice for offset i is i:i + sH * H':sH",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "                grad_x[:, :, i::sH, j::sW] += share\n",
        ),
        expect=("windows-assumed-to-tile", "slice-bounds", "window-slice-bounds"),
        phrases=("slice", "end", "tile"),
    ),
    fresh(
        "hsr-dropout-scale-is-keep-probability",
        "layers.Dropout",
        "the kept units are multiplied by 1 - p: inverted dropout divides by the keep probability, "
        "1 / (1 - p), so the expected output equals the input",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 0.0 if self.p == 1.0 else 1.0 - self.p  # p = 1: no 0 * inf\n",
        ),
        expect=("dropout-multiplied-by-keep-probability", "dropout-not-rescaled"),
        phrases=("1 / (1 - p)", "divide", "expect"),
    ),
    fresh(
        "hsr-bn2d-variance-from-unbroadcast-mean",
        "layers.BatchNorm2d",
        "var = ((x - mean) ** 2).mean(axes) with the (C,) mean: it broadcasts against the last axis W, not the "
        "channels; reshape the mean to (1, C, 1, 1) (or use x.var)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("var = x.var(axis=axes)", "var = ((x - mean) ** 2).mean(axis=axes)")]},
        ),
        expect=("broadcast-wrong-axis", "bn-wrong-axes"),
        phrases=("broadcast", "channel", "(1, c, 1, 1)"),
    ),
    fresh(
        "hsr-bn2d-mean-over-height-only",
        "layers.BatchNorm2d",
        "the batch mean is over axes (0, 2): the width axis is left, (C, W); the statistics of a channel run over "
        "N, H and W",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("mean = x.mean(axis=axes)", "mean = x.mean(axis=(0, 2))")]},
        ),
        expect=("bn-wrong-axes", "reduced-over-wrong-axes"),
        phrases=("axes", "width", "channel"),
    ),
    fresh(
        "hsr-bn2d-eval-running-var-as-std",
        "layers.BatchNorm2d",
        "in evaluation the running variance is square-rooted before use: running_var already is a variance, "
        "normalise by sqrt(running_var + eps)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "mean, var = self.running_mean, self.running_var",
                        "mean, var = self.running_mean, np.sqrt(self.running_var)",
                    )
                ]
            },
        ),
        expect=("bn-std-for-variance", "std-as-variance"),
        phrases=("variance", "running", "sqrt"),
    ),
    fresh(
        "hsr-dropout-keep-drawn-with-one-minus-p",
        "layers.Dropout",
        "keep = u >= 1 - p: an entry is then kept with probability p; it must be kept with probability 1 - p "
        "(u >= p), p is the drop probability",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(x.shape) >= 1.0 - self.p\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "dropout-p-zero-drops-all"),
        phrases=("probability", "drop", "1 - p"),
    ),
    fresh(
        "hsr-flatten-reshape-swapped-then-transposed",
        "layers.Flatten",
        "reshapes x to (D, N) and transposes: the reshape fills the rows in memory order, so a 'column' mixes "
        "samples; reshape to (N, D) directly, a transpose does not undo a reshape",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.reshape(self._y_shape[::-1]).T\n",
        ),
        expect=("reshape-not-transpose", "reshape-arguments-swapped"),
        phrases=("reshape", "transpose", "(n, d"),
    ),
    fresh(
        "hsr-flatten-saves-output-shape",
        "layers.Flatten",
        "saves _x_shape = _y_shape, the flattened shape: backward then returns grad_y still (N, D); the input's "
        "shape (N, C, H, W) must be saved to unflatten",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = self._y_shape\n        y = x.reshape(self._y_shape)\n",
        ),
        expect=("flatten-backward-not-reshaped", "input-shape-from-output", "gradient-not-shaped-like-input"),
        phrases=("input", "shape"),
    ),
    fresh(
        "hsr-linear-weight-grad-reshaped-not-transposed",
        "layers.Linear",
        "weight.grad += (x.T @ grad_y).reshape(W.shape): x.T @ grad_y is (in, out), the transpose of W's "
        "(out, in); reshape keeps memory order and scrambles it, transpose it (grad_y.T @ x)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += (self._x.T @ grad_y).reshape(self.weight.shape)\n",
        ),
        expect=("reshape-not-transpose", "transposed"),
        phrases=("transpose", "reshape", "(out, in)"),
    ),
    fresh(
        "hsr-maxpool-windows-flattened-column-major",
        "layers.MaxPool2d",
        "flattens each window after swapping its two axes (column by column), while backward decodes the index "
        "row by row (i * kW + j): the same layout must be used both ways",
        (
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n",
            "        windows = windows.swapaxes(-1, -2).reshape(*windows.shape[:4], kH * kW)\n",
        ),
        expect=("forward-backward-mismatch", "index-order-reversed", "window-offset-transposed"),
        phrases=("row", "order", "index"),
    ),
    fresh(
        "hsr-conv-dcols-reshaped-batch-first",
        "layers.Conv2d",
        "dcols is reshaped to (N, C, kH, kW, H', W') and transposed to (C, kH, kW, N, H', W'): the rows of "
        "W.T @ G are (c, i, j) and the columns (n, p, q), so the reshape is (C, kH, kW, N, H', W') directly",
        (
            "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)\n",
            "        dcols = dcols.reshape(N, self.in_channels, kH, kW, Ho, Wo).transpose(1, 2, 3, 0, 4, 5)\n",
        ),
        expect=("reshape-order", "reshape-not-transpose"),
        phrases=("reshape", "layout", "order"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hsr-bce-hard-label-branch",
        "losses.BCELoss",
        "picks log p where t == 1 and log(1 - p) elsewhere: targets may be soft (any value in [0, 1]), the loss "
        "is t log p + (1 - t) log(1 - p) for every t",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = -np.mean(np.where(t == 1, log_p, log_1mp))\n",
        ),
        expect=("bce-hard-labels-only",),
        phrases=("soft", "t log p", "(1 - t)"),
    ),
    fresh(
        "hsr-bcelogits-loss-sum-over-entries",
        "losses.BCEWithLogitsLoss",
        "the forward sums over entries: the loss is the mean over all M entries (reduction='mean')",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.sum(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
        ),
        # added after reading output (tag-vocabulary audit): loss-summed
        expect=("sum-not-mean", "loss-summed"),
        phrases=("mean", "average"),
    ),
    fresh(
        "hsr-mse-norm-not-squared",
        "losses.MSELoss",
        "the loss is ||x - t|| / M, the norm itself: the mean squared error is the squared norm over M, "
        "sum (x - t)^2 / M",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.linalg.norm(self._diff) / self._diff.size\n",
        ),
        # added after reading output (tag-vocabulary audit): mse-norm-not-squared
        expect=("norm-not-squared", "mse-root", "mse-norm-not-squared"),
        phrases=("square", "norm"),
    ),
    fresh(
        "hsr-mse-backward-divided-by-last-axis",
        "losses.MSELoss",
        "the gradient is divided by shape[-1]: the loss averages over every entry, M = x.size",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return 2.0 * self._diff / self._diff.shape[-1]\n",
        ),
        expect=("loss-denominator", "mean-over-one-axis", "times-batch-size"),  # added after reading output
        phrases=("size", "entries", "mean"),
    ),
    fresh(
        "hsr-bce-log1p-of-one-minus-p",
        "losses.BCELoss",
        "log(1 - p) written np.log1p(1 - p): log1p(u) is log(1 + u), so that is log(2 - p); log(1 - p) is np.log1p(-p)",
        (
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_1mp = np.maximum(np.log1p(1.0 - p), LOG_CLAMP)\n",
        ),
        expect=("log1p-for-log", "log1p-sign"),
        phrases=("log1p", "1 - p"),
    ),
    fresh(
        "hsr-ce-onehot-width-from-max-label",
        "losses.CrossEntropyLoss",
        "the one-hot is np.eye(labels.max() + 1)[labels]: its width is the largest label present, not C; when "
        "the batch lacks the last class it does not match the (N, C) probabilities",
        (
            "        grad = self._probs.copy()\n        grad[np.arange(N), self._labels] -= 1.0\n",
            "        grad = self._probs - np.eye(self._labels.max() + 1)[self._labels]\n",
        ),
        expect=("onehot-wrong-size",),
        phrases=("classes", "width", "one-hot"),
    ),
    fresh(
        "hsr-hinge-divided-by-classes",
        "losses.HingeLoss",
        "the summed slack is divided by x.size = N * C: this loss is the mean over samples of the sum over "
        "classes (not divided by C, unlike MultiMarginLoss)",
        (
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        loss = np.maximum(slack, 0.0).sum() / x.size\n",
        ),
        # added after reading output (tag-vocabulary audit): hinge-divided-by-classes
        expect=("divided-by-features", "ce-mean-over-classes", "hinge-divided-by-classes"),
        phrases=("classes", "per sample", "sum"),
    ),
    fresh(
        "hsr-hinge-true-class-zeroed-as-column",
        "losses.HingeLoss",
        "slack[:, labels] = 0 zeroes every column named by any label, for all rows: only each sample's own true "
        "class (row n, column y_n) is skipped",
        (
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
            "        slack[:, self._labels] = 0.0  # the true class is not compared with itself\n",
        ),
        expect=("fancy-index-every-row", "ce-fancy-index-all-rows"),
        phrases=("row", "each sample", "own"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hsr-sgd-momentum-buffer-is-grad-array",
        "optimizers.SGD",
        "buf = g without a copy: without weight decay g is p.grad itself (np.asarray does not copy float64), "
        "so the stored velocity is the "
        "gradient array that zero_grad zeroes and the next backward refills; copy it",
        (
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
            "                    buf = g  # the first step starts the velocity at the gradient\n",
        ),
        # added after reading output (tag-vocabulary audit): velocity-is-gradient
        expect=("aliasing", "copy-not-view", "velocity-is-gradient"),
        phrases=("copy", "zero_grad", "p.grad"),
    ),
    fresh(
        "hsr-adagrad-initial-accumulator-ignored",
        "optimizers.Adagrad",
        "the sum starts at zeros: initial_accumulator_value is the starting value of s",
        (
            '            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value, dtype=np.float64)} '
            "for p in self.params\n",
            '            {"sum": _zeros_like(p)} for p in self.params\n',
        ),
        # added after reading output (tag-vocabulary audit): initial-accumulator-ignored
        expect=("hyperparameter-ignored", "initial-accumulator-ignored"),
        phrases=("initial_accumulator_value", "start"),
    ),
    fresh(
        "hsr-rmsprop-momentum-buffer-unscaled-gradient",
        "optimizers.RMSprop",
        "with momentum the buffer accumulates g instead of g / avg: the buffer holds the normalised step, "
        "b = momentum b + g / (sqrt(v) + eps)",
        (
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n',
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g\n',
        ),
        expect=("raw-gradient-in-step", "formula-wrong"),
        phrases=("avg", "normalis", "momentum"),
    ),
    fresh(
        "hsr-rmsprop-centered-mean-decayed-with-one-minus-alpha",
        "optimizers.RMSprop",
        "centered: grad_avg = (1 - alpha) m + alpha g: the gradient average decays like the square average, "
        "m = alpha m + (1 - alpha) g",
        (
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
            '                state["grad_avg"] = (1.0 - a) * state["grad_avg"] + a * g\n',
        ),
        expect=(
            "average-arguments-swapped",
            "hyperparameter-inverted",
            "alpha-swapped",
        ),  # added after reading output (taught)
        phrases=("alpha", "average"),
    ),
    fresh(
        "hsr-adadelta-delta-accumulator-rho-swapped",
        "optimizers.Adadelta",
        "u = (1 - rho) u + rho delta^2: rho is the weight of the old accumulator, u = rho u + (1 - rho) delta^2",
        (
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
            '            state["acc_delta"] = (1.0 - rho) * state["acc_delta"] + rho * delta * delta\n',
        ),
        expect=("average-arguments-swapped", "hyperparameter-inverted", "rho-swapped"),  # added after reading output
        phrases=("rho", "average"),
    ),
    fresh(
        "hsr-adadelta-weight-decay-dropped",
        "optimizers.Adadelta",
        "the decayed gradient is computed into a new name and the update uses the raw g: with weight_decay the "
        "L2 term g + weight_decay * p must enter the averages and the step",
        span(
            "optimizers",
            (
                "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n"
                '            state["square_avg"] = rho',
                "            if self.weight_decay != 0:\n                d_p = g + self.weight_decay * p.data\n"
                '            state["square_avg"] = rho',
            ),
        ),
        expect=("weight-decay-ignored", "result-discarded"),
        phrases=("weight_decay", "weight decay"),
    ),
    fresh(
        "hsr-adam-step-size-second-correction",
        "optimizers.Adam",
        "step_size = lr / (1 - beta2^t): the first moment is corrected by 1 - beta1^t; beta2's correction "
        "belongs under the root in the denominator",
        (
            "        step_size = self.lr / bias_correction1\n",
            "        step_size = self.lr / bias_correction2\n",
        ),
        expect=("bias-correction-betas-swapped", "copy-paste"),
        phrases=("beta1", "first moment", "correction"),
    ),
    fresh(
        "hsr-sgd-momentum-only-with-nesterov",
        "optimizers.SGD",
        "the velocity is kept only when nesterov is set: momentum > 0 alone already means heavy-ball momentum, "
        "nesterov only changes the direction",
        (
            "            if self.momentum != 0:\n                buf = state",
            "            if self.nesterov:\n                buf = state",
        ),
        expect=("momentum-ignored", "no-step-without-momentum"),
        phrases=("momentum", "nesterov"),
    ),
    fresh(
        "hsr-adagrad-decay-added-into-grad",
        "optimizers.Adagrad",
        "g += weight_decay * p: g is p.grad itself (np.asarray does not copy a float64 array), so the decay is "
        "written into the gradient; form a new array, g = g + weight_decay * p",
        (
            "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n"
            '            state["sum"]',
            "            if self.weight_decay != 0:\n                g += self.weight_decay * p.data\n"
            '            state["sum"]',
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("p.grad", "in place", "copy"),
    ),
    fresh(
        "hsr-rmsprop-momentum-step-without-lr",
        "optimizers.RMSprop",
        "with momentum the parameter moves by the buffer alone: the step is lr * b",
        (
            '                p.data -= self.lr * state["momentum_buffer"]\n',
            '                p.data -= state["momentum_buffer"]\n',
        ),
        expect=("lr-ignored",),
        phrases=("lr", "learning rate"),
    ),
    fresh(
        "hsr-rmsprop-decay-added-into-grad",
        "optimizers.RMSprop",
        "g += weight_decay * p writes into p.grad (g is the gradient array itself, not a copy): step() must not "
        "change p.grad; g = g + weight_decay * p",
        (
            "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n"
            '            state["square_avg"] = a',
            "            if self.weight_decay != 0:\n                g += self.weight_decay * p.data\n"
            '            state["square_avg"] = a',
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("p.grad", "in place", "copy"),
    ),
    fresh(
        "hsr-adamw-step-inlines-l2",
        "optimizers.AdamW",
        "Adam.step adds weight_decay * p to g inline instead of calling self._decay: AdamW's override is never "
        "used, so AdamW does coupled L2 instead of shrinking p by 1 - lr * weight_decay",
        (
            "            if self.weight_decay != 0:\n                g = self._decay(p, g)\n",
            "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n",
        ),
        expect=("adamw-l2-decay", "decoupled-weight-decay", "method-not-called"),
        phrases=("decoupled", "_decay", "l2"),
    ),
    fresh(
        "hsr-adadelta-rho-hard-coded",
        "optimizers.Adadelta",
        "rho = 0.9, the default written in: the constructor's rho must be used",
        (
            "        rho = self.rho\n",
            "        rho = 0.9\n",
        ),
        expect=("hyperparameter-ignored",),
        phrases=("rho",),
    ),
    fresh(
        "hsr-adam-first-moment-without-one-minus-beta",
        "optimizers.Adam",
        "m = beta1 * m + g: the new gradient enters with weight 1 - beta1, m = beta1 m + (1 - beta1) g; without "
        "it m is a running sum about 1 / (1 - beta1) times too large, and the bias correction no longer fits",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = beta1 * state["exp_avg"] + g\n',
        ),
        # added after reading output (tag-vocabulary audit): beta1-complement-missing
        expect=("average-weight-missing", "momentum-as-average", "beta1-complement-missing"),
        phrases=("1 - beta1", "average"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hsr-xavier-normal-kaiming-std",
        "init.xavier_normal",
        "std = gain * sqrt(2 / fan_in), He's formula: Glorot's uses both fans, gain * sqrt(2 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal",
            "    std = gain * math.sqrt(2.0 / fan_in)\n    weight = rng.normal",
        ),
        expect=("xavier-kaiming-confused", "xavier-one-fan"),
        phrases=("fan_out", "fan_in + fan_out"),
    ),
    fresh(
        "hsr-xavier-uniform-drawn-from-normal",
        "init.xavier_uniform",
        "rng.normal(-bound, bound): copied from the normal initialiser, that draws a normal centred at -bound "
        "with std bound; the uniform initialiser draws rng.uniform(-bound, bound)",
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def xavier_normal",
            "    weight = rng.normal(-bound, bound, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def xavier_normal",
        ),
        expect=("uniform-normal-confused", "not-centred"),
        phrases=("uniform", "normal"),
    ),
    fresh(
        "hsr-kaiming-uniform-bound-as-low",
        "init.kaiming_uniform",
        "rng.uniform(bound, size=shape): numpy's first argument is low (high defaults to 1), so the draws lie in "
        "[bound, 1); U(-b, b) is rng.uniform(-bound, bound)",
        (
            "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(bound, size=shape)\n",
        ),
        expect=("uniform-bound", "not-centred", "normal-loc-for-scale"),
        phrases=("low", "-bound", "symmetric"),
    ),
    fresh(
        "hsr-kaiming-normal-mode-inverted",
        "init.kaiming_normal",
        "fan = fan_in if mode == 'fan_out' else fan_out: the test is inverted; mode='fan_in' keeps the forward "
        "variance with fan_in",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    weight",
            '    fan = fan_in if mode == "fan_out" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    weight",
        ),
        expect=("mode-ignored", "fans-swapped"),
        phrases=("mode", "fan_in", "fan_out"),
    ),
    fresh(
        "hsr-kaiming-normal-gain-under-root",
        "init.kaiming_normal",
        "std = sqrt(gain / fan): the gain multiplies the standard deviation, std = gain / sqrt(fan)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = math.sqrt(gain / fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("gain-under-root", "root-scope"),  # added after reading output
        phrases=("gain", "sqrt"),
    ),
    fresh(
        "hsr-xavier-normal-gain-applied-twice",
        "init.xavier_normal",
        "multiplies the draws by gain although std already includes it: the std is gain * sqrt(2 / (fan_in + "
        "fan_out)), applied once",
        (
            "    weight = rng.normal(0.0, std, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def kaiming_uniform",
            "    weight = rng.normal(0.0, std, size=shape) * gain\n    ### END SOLUTION\n    return weight\n\n\n"
            "def kaiming_uniform",
        ),
        expect=("gain-twice", "gain-squared"),
        phrases=("gain", "once"),
    ),
    fresh(
        "hsr-xavier-uniform-bound-std-over-root-three",
        "init.xavier_uniform",
        "bound = std / sqrt(3): U(-b, b) has variance b^2 / 3, so b = sqrt(3) * std",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = std / math.sqrt(3.0)\n",
        ),
        expect=("uniform-bound", "formula-constant"),
        phrases=("sqrt(3)", "bound", "variance"),
    ),
    fresh(
        "hsr-kaiming-normal-fans-unpacked-swapped",
        "init.kaiming_normal",
        "fan_out, fan_in = fan_in_and_fan_out(shape): the function returns (fan_in, fan_out), so the default "
        "mode='fan_in' uses the fan out",
        (
            '    fan_in, fan_out = fan_in_and_fan_out(shape)\n    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight",
            '    fan_out, fan_in = fan_in_and_fan_out(shape)\n    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight",
        ),
        expect=("unpacked-swapped", "fans-swapped"),
        phrases=("fan_in", "fan_out", "order"),
    ),
    fresh(
        "hsr-fan-receptive-field-count-of-axes",
        "init.fan_in_and_fan_out",
        "receptive_field = len(shape[2:]), the number of kernel axes: the receptive field is the product of the "
        "kernel sizes (and 1 for a 2-D weight, where len gives 0)",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = len(shape[2:])\n",
        ),
        expect=("len-for-size", "size-of-shape-tuple", "receptive-field-ignored"),
        phrases=("product", "kernel", "receptive field"),
    ),
    fresh(
        "hsr-kaiming-uniform-mode-typo",
        "init.kaiming_uniform",
        "compares mode with 'fan-in' (a hyphen): the mode strings are 'fan_in' and 'fan_out', so the default "
        "falls to fan_out",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    bound",
            '    fan = fan_in if mode == "fan-in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    bound",
        ),
        expect=("mode-ignored",),
        phrases=("fan_in", "mode"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hsr-minibatches-choice-with-replacement",
        "training.minibatches",
        "order = rng.choice(len(X), len(X)): choice draws with replacement by default, so some samples repeat "
        "and others are never seen; shuffling needs a permutation",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = rng.choice(len(X), len(X))\n",
        ),
        expect=("not-a-permutation",),
        phrases=("replace", "permutation", "once"),
    ),
    fresh(
        "hsr-fit-minibatches-arguments-swapped",
        "training.fit",
        "calls minibatches(X, y, batch_size, rng, shuffle): positionally the generator lands in shuffle and the "
        "flag in rng; the order is (X, y, batch_size, shuffle, rng), or use keywords",
        (
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "        for X_batch, y_batch in minibatches(X, y, batch_size, rng, shuffle):\n",
        ),
        expect=("fit-arguments", "unpacked-swapped"),
        phrases=("shuffle", "rng", "order"),
    ),
    fresh(
        "hsr-minibatches-end-from-batch-index",
        "training.minibatches",
        "slices X[start:(start + 1) * size]: start is already a sample offset, not a batch number, so the end "
        "is start + size; later batches grow and overlap",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.append((X[start : (start + 1) * size], y[start : (start + 1) * size]))\n",
        ),
        expect=("slice-bounds", "batch-sizes"),
        phrases=("start + size", "slice", "overlap"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hsr-sequential-train-method-not-called",
        "models.Sequential",
        "train() writes layer.train without parentheses: the method is looked up but never called, so the "
        "layers stay in evaluation mode; call layer.train()",
        (
            "        self.training = True\n        for layer in self.layers:\n            layer.train()\n",
            "        self.training = True\n        for layer in self.layers:\n            layer.train\n",
        ),
        expect=("method-not-called", "train-eval"),
        phrases=("call", "parenthes", "train()"),
    ),
    fresh(
        "hsr-perceptron-bias-as-threshold",
        "models.Perceptron",
        "update predicts 1 when w . x > b: the bias is added to the score, w . x + b > 0; comparing with b "
        "flips its sign",
        (
            "        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0\n",
            "        prediction = 1.0 if float(x @ self.weight) > self.bias else 0.0\n",
        ),
        expect=("bias-sign-as-threshold", "sign-flipped"),
        phrases=("bias", "sign", "w . x + b"),
    ),
    fresh(
        "hsr-perceptron-predict-bias-subtracted",
        "models.Perceptron",
        "predict scores X . w - b: the score is X w + b, the same as in update",
        (
            "        scores = X @ self.weight + self.bias\n",
            "        scores = X.dot(self.weight) - self.bias\n",
        ),
        expect=("sign-flipped", "bias-sign-as-threshold"),
        phrases=("bias", "+ b", "sign"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hsr-numgrad-minus-probe-after-restore",
        "gradcheck.numerical_gradient",
        "restores x[index] before evaluating f_minus: the second probe is then f(x), a one-sided difference "
        "divided by 2h; evaluate f at x - h, then restore",
        (
            "        f_minus = float(f(x))\n        x[index] = original  # restore exactly: no accumulated round-off\n",
            "        x[index] = original  # restore exactly: no accumulated round-off\n        f_minus = float(f(x))\n",
        ),
        expect=("probe-at-x", "probe-wrong-point"),
        phrases=("x - h", "restore", "probe"),
    ),
    fresh(
        "hsr-relerr-relative-to-b",
        "gradcheck.relative_error",
        "divides by |b| only: the relative error is symmetric, |a - b| / max(1e-8, |a| + |b|)",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(b))\n",
        ),
        expect=("relative-to-a", "formula-wrong"),
        phrases=("|a| + |b|", "symmetric"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hsr-early-stopping-restores-only-when-patience-runs-out",
        "early_stopping.fit_early_stopping",
        "restores the best weights only in the patience branch, before break: when max_epochs ends the loop "
        "the model keeps the last weights; with restore_best the best state is loaded after the loop either way",
        (
            "                history.stopped_epoch = epoch\n                break\n"
            "    if restore_best and best_state is not None:\n        load_state(model, best_state)\n",
            "                history.stopped_epoch = epoch\n"
            "                if restore_best and best_state is not None:\n"
            "                    load_state(model, best_state)\n                break\n",
        ),
        expect=("restore-best-ignored", "restores-last"),
        phrases=("max_epochs", "restore", "best"),
    ),
    fresh(
        "hsr-early-stopping-compares-training-loss",
        "early_stopping.fit_early_stopping",
        "improvement is judged on train_loss: early stopping monitors the validation loss (it is what "
        "best_epoch and best_val_loss refer to)",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if train_loss < best_loss - min_delta:\n",
        ),
        expect=("uses-training-loss",),
        phrases=("validation", "val_loss"),
    ),
    fresh(
        "hsr-early-stopping-copy-state-not-called",
        "early_stopping.fit_early_stopping",
        "best_state = copy_state, the function itself: without the call no snapshot is taken, and restoring "
        "needs copy_state(model)",
        (
            "                best_state = copy_state(model)\n",
            "                best_state = copy_state\n",
        ),
        expect=("method-not-called",),
        phrases=("call", "copy_state(model)"),
    ),
]

FRESH_R: list[Mutant] = [
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
