"""Held-apart set V: fresh student bugs, written blind after sets A to U had been seen.

Sets A (``HELDOUT``) to U (``FRESH_U``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set V was written blind: its author read the reference (reference/*.py), the
parts of docs/api.md on the optimizers' p.grad rule and zero_grad, tests/heldout/_edits.py, the format of set
U (its docstring and first entries), the ``expect`` tags of the catalogue (graders/mutants) and of
tests/heldout (for the tag vocabulary only), and of tests/test_feedback_generalisation.py only its FAMILIES
and SETS dicts. The author never read the diagnosis (graders/judging, graders/reporting, graders/running,
graders/selfcheck, graders/runner.py), tests/evidence.py, the feedback audit, the mistake, crash, diagnosis
and feedback tests, benchmarks/, /work/tools/*.json, the grader's feedback or its output, and graded none of
these bugs. About 270 candidates were written; /work/tools/check_set.py (and the same comparison run on single
candidates) found some 185 of them to be copies of catalogue or earlier bugs, and those were dropped. About a
dozen more were dropped after the author's own check, among them: a cross-entropy gradient that assigns probs
- 1 (the same numbers); Adagrad's and Adam's eps under the root and Adadelta's eps dropped from the
denominator (within round-off on ordinary gradients); SGD's Nesterov step with the gradient dampened (PyTorch
refuses nesterov with dampening, so it cannot show); and contrived ones (kaiming_uniform's mode tested with
startswith, early stopping's history holding min(val, best), BCE's backward subtracting t from p in place, an
eval variance minus eps). Every remaining edit was applied and its module compiled, and every one was run, in
its own package copy, by a script of the author's own beside the reference (2-D, 3-D and 4-D inputs with +-12
and 0 entries, non-default hyper-parameters of the activations, Softmax and LogSoftmax along dim 0 and -2,
PReLU per channel, rectangular kernels, strides (2, 1) and (1, 2), paddings (1, 2), bias=False, p = 0, 0.3,
0.5 and 1 in Dropout, two training rounds then eval and its backward, BatchNorm1d on (N, C, L), BCE with p = 0
and 1, logits of +-800, (N, 1) targets, two backward calls, several settings of every optimizer over four
steps with p.grad zeroed in place, 2-D to 5-D weights, shuffled and unshuffled minibatches of sizes 2, 3, 4
and None, a nested Sequential with Dropout, a separable and an XOR Perceptron, early stopping with min_delta,
restore_best and lr = 0, the caller's arrays checked afterwards): each changes a result or raises (none went
through the grader).

About two thirds are classes the catalogue and the earlier sets hardly touch: numpy semantics (a slice
``probs[:]`` and ``np.asarray`` taken for copies, ``np.subtract(..., out=x)`` into the caller's input,
``np.take`` without an axis, a flatten through ``x.T.reshape(...).T``, ``order="F"`` on the upstream gradient
of Conv2d, ``y.T.reshape`` for a transpose of the output, an einsum with its output subscripts transposed,
the piece indices broadcast along the wrong axis in Maxout, uniforms drawn for ``x.shape[-1:]``,
``standard_normal`` for ``random``, ``rng.integers`` for a permutation, a (C,) inverse std and gamma left
unreshaped), Python slips (``1.0 / 1.0 - p``, ``self._decay(p, g)`` with its result discarded, an update that
returns the prediction, ``layers[1:]`` in parameters(), ``sum(shape[2:]) or 1``), hyper-parameters and less
visited paths (Adagrad's initial_accumulator_value, RMSprop's centred average updated after the variance,
Adadelta's L2 term squared, Adam's L2 term from p.grad and its first correction one step ahead, AdamW's
decay with the corrected step size and halved, SGD's first velocity at zero, BatchNorm's running variance
stored as a std, its Bessel factor inverted and counted from N, its running mean replaced, min_delta stored
into the best loss, shuffle dropped by early stopping, batch_size None read as 1, a loop stepping by the
number of batches) and formulas and conventions remembered wrongly (log-softmax reversed, GELU's clip at 0,
a square kernel assumed in AvgPool, Kaiming normal times sqrt(fan) and with sqrt 2 twice, Xavier's bound
std / sqrt 3 and its larger fan, a relative error of Euclidean norms, a relative numerical probe). About one
third are known classes in a new code shape or on a new component. Ids start with ``hsv-``. The ``expect``
tags and ``phrases`` were decided from the misconception alone, before any grading, taken from the existing
vocabulary (no new tags); phrases are words any correct explanation would contain, never text of numpy's or
Python's own error messages.

Blind rate, measured before anybody read the set (session 16, on the tree that taught set U, each bug graded in the
grader's sandbox): 64/72 named (89 %), 72/72 caught, 12 flagged misleading. Of the 12, 10 were the right diagnosis
under another tag (added to their ``expect`` after reading the sentence); 2 were wrong claims (listed in UNMENDED):
the Perceptron's update returning its prediction instead of the error, read by fit's row as fit counting only the
mistakes of one sign; Sequential.parameters() skipping the first layer, read as parameters picked by attribute name
and, in the training row, as backward never reaching the first layer.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug

fresh = partial(held_apart_bug, "hsv-")  # set V


# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hsv-gelu-tanh-clip-at-zero",
        "activations.GELU",
        "the tanh path clips x to [0, 10] instead of [-10, 10]: every negative input is treated as "
        "0 inside the tanh, so GELU of a negative x comes out x/2",
        (
            "            xc = np.clip(x, -10.0, 10.0)\n",
            "            xc = np.clip(x, 0.0, 10.0)\n",
        ),
        expect=("input-clipped",),
        phrases=("clip", "negative"),
    ),
    fresh(
        "hsv-logsoftmax-shift-along-last-axis",
        "activations.LogSoftmax",
        "the maximum is taken along the last axis, not along dim: a shift is harmless only when it is constant "
        "along the normalised axis, so with dim = 0 or -2 the result is wrong",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n",
            "        shifted = x - np.max(x, axis=-1, keepdims=True)\n",
        ),
        expect=("logsoftmax-shift-mismatch", "softmax-wrong-axis", "fixed-number-of-axes"),
        phrases=("dim", "axis"),
    ),
    fresh(
        "hsv-logsoftmax-terms-reversed",
        "activations.LogSoftmax",
        "the output is logsumexp - shifted, the negative of log-softmax: log softmax(x) = (x - m) "
        "- log sum exp(x - m), always <= 0",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True)) - shifted\n",
        ),
        expect=("sign-flipped", "sign-lost"),
        phrases=("sign", "negative"),
    ),
    fresh(
        "hsv-maxout-won-mask-broadcast-wrong-axis",
        "activations.Maxout",
        "the piece indices are laid along the last axis, arange(K)[None, None, :], so they are "
        "compared with the output units: the winner mask needs them on the pieces axis, "
        "arange(K)[None, :, None]",
        (
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n",
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, None, :]\n",
        ),
        expect=("broadcast-wrong-axis", "maxout-wrong-axis"),
        phrases=("axis", "pieces"),
    ),
    fresh(
        "hsv-prelu-slope-shape-extra-axis",
        "activations.PReLU",
        "the broadcast shape of the slopes has ndim - 1 trailing ones: (1, C) plus ndim - 2 ones has the input's "
        "number of axes; one more adds an axis to the output",
        (
            "        return (1, self.num_parameters) + (1,) * (ndim - 2)\n",
            "        return (1, self.num_parameters) + (1,) * (ndim - 1)\n",
        ),
        expect=("prelu-slope-broadcast", "wrong-shape"),
        phrases=("shape", "axis"),
    ),
    fresh(
        "hsv-silu-backward-sigmoid-derivative-only",
        "activations.SiLU",
        "backward uses only the sigmoid's derivative s (1 - s): y = x s(x) needs the product rule, "
        "dy/dx = s + x s (1 - s)",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return grad_y * s * (1.0 - s)\n",
        ),
        expect=("product-rule-missing", "derivative-wrong-form"),
        phrases=("product rule",),
    ),
    fresh(
        "hsv-softmax-normalised-by-whole-array",
        "activations.Softmax",
        "the exponentials are divided by the sum of the whole array: softmax normalises along dim "
        "only, so each slice along dim sums to 1",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / e.sum(keepdims=True)\n",
        ),
        expect=("reduction-over-whole-array", "softmax-wrong-axis", "softmax-not-normalised"),
        phrases=("dim", "sum to 1"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hsv-linear-weight-grad-einsum-transposed",
        "layers.Linear",
        "the einsum's output subscripts are 'dm', giving x.T @ grad_y of shape (D, M): the weight "
        "is stored (M, D), so dL/dW = grad_y.T @ x ('nm,nd->md')",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            '        self.weight.grad += np.einsum("nm,nd->dm", grad_y, self._x)\n',
        ),
        expect=("transposed", "transposed-shape"),
        phrases=("transpose", "shape"),
    ),
    fresh(
        "hsv-linear-weight-grad-outer-averaged",
        "layers.Linear",
        "the per-sample outer products are averaged over the batch (.mean(axis=0)): dL/dW sums "
        "them, the loss already carries any 1/N",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += (grad_y[:, :, None] * self._x[:, None, :]).mean(axis=0)\n",
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size", "mean-for-sum"),
        phrases=("sum", "batch"),
    ),
    fresh(
        "hsv-linear-bias-grad-divided-by-rows",
        "layers.Linear",
        "the bias gradient is the batch sum divided by N: dL/db = sum_n grad_y[n], the loss's mean "
        "is already in grad_y",
        (
            "            self.bias.grad += grad_y.sum(axis=0)\n",
            "            self.bias.grad += grad_y.sum(axis=0) / grad_y.shape[0]\n",
        ),
        expect=("bias-mean-not-sum", "grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("sum", "bias"),
    ),
    fresh(
        "hsv-conv-output-columns-transposed-then-reshaped",
        "layers.Conv2d",
        "the (F, N*H'*W') product is transposed to (N*H'*W', F) and reshaped to (N, F, H', W'): "
        "the columns are ordered (n, p, q), so reshape to (F, N, H', W') and move the filter axis",
        (
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = y.T.reshape(N, self.out_channels, Ho, Wo)  # a view\n",
        ),
        expect=("reshape-not-transpose", "axes-permuted", "reshape-order"),
        phrases=("reshape", "transpose"),
    ),
    fresh(
        "hsv-conv-upstream-reshaped-column-major",
        "layers.Conv2d",
        "G is reshaped with order='F': the columns of cols run over (n, p, q) in C order, so G "
        "must be the row-major reshape of grad_y's (F, N, H', W') transpose",
        (
            "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
            '        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo, order="F")  # column '
            "(n, p, q), as cols\n",
        ),
        expect=("reshape-order", "forward-backward-mismatch", "axes-permuted"),  # added after reading output
        phrases=("order", "column"),
    ),
    fresh(
        "hsv-maxpool-forward-strides-swapped",
        "layers.MaxPool2d",
        "the windows are subsampled ::sW along H and ::sH along W: rows step by sH, columns by sW",
        (
            "[:, :, ::sH, ::sW]\n        windows = windows.reshape(",
            "[:, :, ::sW, ::sH]\n        windows = windows.reshape(",
        ),
        expect=("stride-height-width-swapped", "stride-pair-swapped"),
        phrases=("stride",),
    ),
    fresh(
        "hsv-maxpool-backward-slice-end-from-kernel",
        "layers.MaxPool2d",
        "the scatter slice ends at i + kH * H' (kernel, not stride): the windows' offsets i are spaced sH apart, "
        "so the slice is i : i + sH * H' : sH; with stride != kernel the counts differ",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + kH * Ho:sH, j:j + kW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("kernel-stride-confused", "window-slice-bounds"),
        phrases=("stride", "kernel"),
    ),
    fresh(
        "hsv-maxpool-take-without-axis",
        "layers.MaxPool2d",
        "the maxima are read with np.take(windows, argmax), which indexes the flattened array: the "
        "argmax is an offset inside each window, so take along the last axis (take_along_axis)",
        (
            "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
            "        y = np.take(windows, self._argmax)\n",
        ),
        expect=("take-without-axis", "flat-index-on-nd-array"),
        phrases=("axis", "flat"),
    ),
    fresh(
        "hsv-avgpool-forward-stride-from-kernel",
        "layers.AvgPool2d",
        "the windows are subsampled every kH rows and kW columns: windows start every sH rows and "
        "sW columns, which differ when stride != kernel",
        (
            "[:, :, ::sH, ::sW]\n        y = windows.mean",
            "[:, :, ::kH, ::kW]\n        y = windows.mean",
        ),
        expect=("stride-is-kernel", "stride-ignored", "kernel-stride-confused"),
        phrases=("stride",),
    ),
    fresh(
        "hsv-avgpool-forward-square-kernel",
        "layers.AvgPool2d",
        "the window sum is divided by kH**2: a kH x kW window has kH * kW entries, so rectangular "
        "kernels are averaged wrongly",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.sum(axis=(4, 5)) / kH**2\n",
        ),
        expect=("square-kernel-assumed", "avgpool-divisor", "square-only-index"),  # added after reading output
        phrases=("square", "kW"),
    ),
    fresh(
        "hsv-avgpool-backward-square-kernel",
        "layers.AvgPool2d",
        "the share of each entry is grad_y / kH**2: each window entry receives grad_y / (kH * kW), the window's size",
        (
            "        share = grad_y / (kH * kW)\n",
            "        share = grad_y / kH**2\n",
        ),
        expect=("square-kernel-assumed", "avgpool-divisor", "square-only-index"),  # added after reading output
        phrases=("square", "kW"),
    ),
    fresh(
        "hsv-flatten-forward-column-major-by-transposes",
        "layers.Flatten",
        "forward flattens through x.T.reshape(...).T, which orders each sample's entries "
        "column-major (last axis slowest): Flatten is a row-major reshape of each sample, and "
        "backward undoes only that",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.T.reshape(self._y_shape[::-1]).T\n",
        ),
        expect=("flatten-column-major", "reshape-order", "forward-backward-mismatch"),
        phrases=("row-major", "order"),
    ),
    fresh(
        "hsv-flatten-forward-width-before-height",
        "layers.Flatten",
        "forward swaps the last two axes (H and W) before flattening: PyTorch's Flatten keeps the "
        "(C, H, W) order, so features land in other positions than backward puts back",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.swapaxes(-1, -2).reshape(self._y_shape)\n",
        ),
        # added after reading output (tag-vocabulary audit): flatten-order
        expect=(
            "axes-permuted",
            "forward-backward-mismatch",
            "transposed",
            "flatten-order",
        ),  # added after reading output
        phrases=("order", "axes"),
    ),
    fresh(
        "hsv-flatten-backward-column-major-by-transposes",
        "layers.Flatten",
        "backward unflattens through grad_y.T.reshape(reversed shape).T, a column-major reshape: "
        "forward flattened row-major, so reshape the gradient back in C order",
        (
            "        grad_x = grad_y.reshape(self._x_shape)\n",
            "        grad_x = grad_y.T.reshape(self._x_shape[::-1]).T\n",
        ),
        expect=("flatten-column-major", "reshape-order", "forward-backward-mismatch"),
        phrases=("order", "row-major"),
    ),
    fresh(
        "hsv-dropout-mask-from-normal-draws",
        "layers.Dropout",
        "the mask compares standard normal draws with p (randn for rand): u must be uniform on [0, 1) so that an "
        "entry is dropped with probability p",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.standard_normal(x.shape) >= self.p  # never true for p = 1\n",
        ),
        expect=("uniform-normal-confused", "dropout-mask-wrong-distribution"),
        phrases=("uniform", "normal"),
    ),
    fresh(
        "hsv-dropout-scale-precedence",
        "layers.Dropout",
        "the scale is written 1.0 / 1.0 - p, which is 1 - p: the survivors are scaled by 1 / (1 - p)",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 0.0 if self.p == 1.0 else 1.0 / 1.0 - self.p  # p = 1: no 0 * inf\n",
        ),
        expect=("operator-precedence", "precedence", "dropout-multiplied-by-keep-probability"),
        phrases=("1 - p", "scale"),
    ),
    fresh(
        "hsv-dropout-keep-threshold-one-minus-p",
        "layers.Dropout",
        "an entry is kept when u >= 1 - p, so it survives with probability p: p is the drop "
        "probability, keep where u >= p",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(x.shape) >= 1.0 - self.p  # never true for p = 1\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "dropout-p-zero-drops-all"),
        phrases=("keep", "probability"),
    ),
    fresh(
        "hsv-dropout-mask-drawn-for-last-axis",
        "layers.Dropout",
        "the uniforms are drawn for x.shape[-1:] only, so every sample (and every leading "
        "position) shares one mask: draw one u per entry, shape x.shape",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(x.shape[-1:]) >= self.p  # never true for p = 1\n",
        ),
        expect=(
            "dropout-mask-shape",
            "dropout-one-draw",
            "dropout-mask-shared-across-batch",
        ),  # added after reading output
        phrases=("shape", "sample"),
    ),
    fresh(
        "hsv-bn1d-variance-over-batch-axis-only",
        "layers.BatchNorm1d",
        "the variance is taken over axis 0 only: for (N, C, L) input the statistics of a channel "
        "are over N and L (every axis but channels)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                        "            var = x.var(axis=0)  # biased (divides by count): what normalises this batch\n",
                    )
                ]
            },
        ),
        expect=("bn-wrong-axes", "fixed-number-of-axes", "reduced-over-wrong-axes"),
        phrases=("axis", "channel"),
    ),
    fresh(
        "hsv-bn1d-bessel-factor-inverted",
        "layers.BatchNorm1d",
        "the running variance is multiplied by (m - 1) / m: the unbiased estimate is var * m / (m "
        "- 1), m values per channel",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var * ((count - 1) / count)  # the unbiased estimate\n",
                    )
                ]
            },
        ),
        expect=("bessel-correction", "bn-biased-running-var", "hyperparameter-inverted"),
        phrases=("unbiased",),
    ),
    fresh(
        "hsv-bn1d-running-mean-replaced",
        "layers.BatchNorm1d",
        "running_mean = momentum * mean overwrites the decayed running value: the update adds, "
        "running = (1 - momentum) running + momentum * mean",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_mean += m * mean\n",
                        "            self.running_mean = m * mean\n",
                    )
                ]
            },
        ),
        # added after reading output (tag-vocabulary audit): bn-running-old-value-dropped
        expect=("bn-running-replaced-by-batch", "assigned-not-accumulated", "bn-running-old-value-dropped"),
        phrases=("running_mean", "1 - momentum"),
    ),
    fresh(
        "hsv-bn1d-running-var-stores-std",
        "layers.BatchNorm1d",
        "the running buffer moves towards the square root of the unbiased variance: running_var "
        "holds a variance, used as var in evaluation",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * np.sqrt(var * count / (count - 1))  # the "
                        "unbiased estimate\n",
                    )
                ]
            },
        ),
        # added after reading output (tag-vocabulary audit): bn-running-std-not-var
        expect=("bn-std-for-variance", "variance-as-std", "std-as-variance", "bn-running-std-not-var"),
        phrases=("variance", "std"),
    ),
    fresh(
        "hsv-bn1d-gamma-not-reshaped-in-backward",
        "layers.BatchNorm1d",
        "backward multiplies grad_y by weight.data without reshaping it to (1, C, 1): for (N, C, "
        "L) input gamma then broadcasts along L instead of the channels",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n",
                        "        grad_x_hat = grad_y * self.weight.data\n",
                    )
                ]
            },
        ),
        expect=("bn2d-affine-not-reshaped", "broadcast-wrong-axis"),
        phrases=("reshape", "channel"),
    ),
    fresh(
        "hsv-bn2d-running-mean-not-decayed",
        "layers.BatchNorm2d",
        "the running mean is not multiplied by 1 - momentum before adding momentum * mean: it keeps summing "
        "batches; running = (1 - momentum) running + momentum batch",
        batchnorm_own("layers.BatchNorm2d", {"forward": [("            self.running_mean *= 1.0 - m\n", "")]}),
        # added after reading output (tag-vocabulary audit): bn-running-not-decayed
        expect=("average-weight-missing", "bn-momentum-convention", "formula-wrong", "bn-running-not-decayed"),
        phrases=("running_mean", "momentum"),
    ),
    fresh(
        "hsv-bn2d-training-centred-with-running-mean",
        "layers.BatchNorm2d",
        "in training x is centred with the (just updated) running mean: training normalises with the batch mean",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                        "        self._x_hat = (x - self.running_mean.reshape(shape)) * self._inv_std\n",
                    )
                ]
            },
        ),
        expect=("bn-running-stats-in-training", "not-centred"),
        phrases=("batch mean", "running"),
    ),
    fresh(
        "hsv-bn2d-count-from-batch-size",
        "layers.BatchNorm2d",
        "the values per channel are taken as len(x) = N: a channel of (N, C, H, W) has N * H * W "
        "values, which the Bessel factor (and the one-value check) need",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        count = x.size // self.num_features  # values per channel: N (* H * W)\n",
                        "        count = len(x)  # values per channel: N (* H * W)\n",
                    )
                ]
            },
        ),
        expect=("len-for-size", "bessel-correction", "bn-biased-running-var"),
        phrases=("per channel", "count"),
    ),
    fresh(
        "hsv-bn2d-inverse-std-not-reshaped",
        "layers.BatchNorm2d",
        "1/sqrt(var + eps) is kept as a (C,) vector: it broadcasts along W, not the channel axis; "
        "reshape it to (1, C, 1, 1)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                        "        self._inv_std = 1.0 / np.sqrt(var + self.eps)\n",
                    )
                ]
            },
        ),
        expect=("bn2d-affine-not-reshaped", "broadcast-wrong-axis"),
        phrases=("reshape", "channel"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hsv-bce-second-log-unclamped",
        "losses.BCELoss",
        "log(1 - p) is not clamped at -100: PyTorch floors both logs, so p = 1 with target 1 gives "
        "0, not nan (0 * -inf)",
        (
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_1mp = np.log1p(-p)\n",
        ),
        expect=("bce-not-clamped", "bce-clamp"),
        phrases=("-100", "clamp"),
    ),
    fresh(
        "hsv-bcelogits-stable-form-without-abs",
        "losses.BCEWithLogitsLoss",
        "z = e^{-x} without the absolute value: the stable form needs e^{-|x|}; for negative logits log1p(z) and "
        "the sigmoid branch are then wrong, and e^{-x} overflows",
        (
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n",
            "        z = np.exp(-x)  # in (0, 1]: never overflows\n",
        ),
        expect=("abs-missing-in-stable-form", "overflow", "sigmoid-of-abs"),  # added after reading output
        phrases=("abs", "negative"),
    ),
    fresh(
        "hsv-ce-backward-slice-is-view",
        "losses.CrossEntropyLoss",
        "backward starts from self._probs[:], a numpy view (slicing does not copy as for lists): subtracting 1 "
        "writes into the saved probabilities, so a second backward is wrong; use .copy()",
        (
            "        grad = self._probs.copy()\n",
            "        grad = self._probs[:]\n",
        ),
        expect=("slice-is-view", "backward-mutates-saved-state", "copy-not-view"),
        phrases=("copy", "view"),
    ),
    fresh(
        "hsv-ce-sum-divided-by-classes",
        "losses.CrossEntropyLoss",
        "the loss divides the summed log-likelihood by C (x.shape[1]): cross-entropy is the mean over the N samples",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.sum(log_probs[np.arange(N), self._labels]) / x.shape[1]\n",
        ),
        expect=("ce-mean-over-classes", "loss-denominator", "divided-by-features"),  # added after reading output
        phrases=("samples", "classes"),
    ),
    fresh(
        "hsv-hinge-backward-asarray-aliases-mask",
        "losses.HingeLoss",
        "np.asarray(self._active) is the saved mask itself, not a copy: writing the true-class "
        "counts into it changes the saved state, so a second backward is wrong; copy it",
        (
            "        grad = self._active.copy()\n",
            "        grad = np.asarray(self._active)\n",
        ),
        expect=("backward-mutates-saved-state", "copy-not-view", "aliasing"),
        phrases=("copy",),
    ),
    fresh(
        "hsv-hinge-true-scores-as-row",
        "losses.HingeLoss",
        "the true scores are reshaped to a row (1, N): they must be a column (N, 1) so each "
        "sample's score is subtracted from its own row",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
            "        slack = x - x[rows, self._labels].reshape(1, -1) + self.margin\n",
        ),
        expect=("broadcast-wrong-axis", "length-one-axis"),
        phrases=("column", "broadcast"),
    ),
    fresh(
        "hsv-mse-difference-written-into-input",
        "losses.MSELoss",
        "np.subtract(x, t, out=x) stores the difference in the caller's array (as_float_array does "
        "not copy float64): forward must leave its input unchanged",
        (
            "        self._diff = x - t\n",
            "        self._diff = np.subtract(x, t, out=x)\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place", "input"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hsv-adadelta-decay-term-squared",
        "optimizers.Adadelta",
        "the L2 term adds weight_decay * p**2: the gradient of (weight_decay / 2) ||p||^2 is weight_decay * p",
        (
            "        rho = self.rho\n        for p, state in zip(self.params, self.state, "
            "strict=True):\n            g = _grad(p)\n            if self.weight_decay != 0:\n     "
            "           g = g + self.weight_decay * p.data\n",
            "        rho = self.rho\n        for p, state in zip(self.params, self.state, "
            "strict=True):\n            g = _grad(p)\n            if self.weight_decay != 0:\n     "
            "           g = g + self.weight_decay * p.data**2\n",
        ),
        expect=("weight-decay-squared",),
        phrases=("weight_decay", "square"),
    ),
    fresh(
        "hsv-adagrad-initial-accumulator-ignored",
        "optimizers.Adagrad",
        "the sum starts at zeros whatever initial_accumulator_value says: the state starts at that value",
        (
            '            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value, dtype=np.float64)} '
            "for p in self.params\n",
            '            {"sum": np.zeros(np.shape(p.data), dtype=np.float64)} for p in self.params\n',
        ),
        # added after reading output (tag-vocabulary audit): initial-accumulator-ignored
        expect=("hyperparameter-ignored", "state-not-initialised", "initial-accumulator-ignored"),
        phrases=("initial_accumulator_value",),
    ),
    fresh(
        "hsv-adam-l2-term-from-grad",
        "optimizers.Adam",
        "the L2 term is weight_decay * p.grad: weight decay adds weight_decay * p.data (the parameter's value)",
        (
            "        return g + self.weight_decay * p.data\n",
            "        return g + self.weight_decay * p.grad\n",
        ),
        expect=("grad-for-data", "parameter-grad-for-data", "weight-decay-on-gradient"),  # added after reading output
        phrases=("p.data", "weight_decay"),
    ),
    fresh(
        "hsv-adam-second-moment-of-first-moment",
        "optimizers.Adam",
        "the second moment averages exp_avg**2 (the square of the running mean): it is the running "
        "mean of g * g, this step's squared gradient",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * state["exp_avg"] ** 2\n',
        ),
        expect=("formula-wrong", "gradient-not-squared", "copy-paste-wrong-state"),
        phrases=("squared", "second moment"),
    ),
    fresh(
        "hsv-adam-decay-result-discarded",
        "optimizers.Adam",
        "self._decay(p, g) is called but its result is not assigned: Adam's L2 term returns a new "
        "gradient (g = self._decay(p, g)), so weight_decay has no effect",
        (
            "                g = self._decay(p, g)\n",
            "                self._decay(p, g)\n",
        ),
        expect=("result-discarded", "weight-decay-ignored"),
        phrases=("weight_decay", "assign"),
    ),
    fresh(
        "hsv-adam-first-correction-one-step-ahead",
        "optimizers.Adam",
        "the first bias correction uses beta1^(t + 1): both corrections use the current step count, 1 - beta1^t",
        (
            "        bias_correction1 = 1.0 - beta1**self.t\n",
            "        bias_correction1 = 1.0 - beta1 ** (self.t + 1)\n",
        ),
        expect=("step-count-off-by-one", "bias-correction-power"),
        phrases=("bias correction", "step"),
    ),
    fresh(
        "hsv-adamw-decay-with-corrected-lr",
        "optimizers.AdamW",
        "the decay factor uses lr / (1 - beta1^t), Adam's corrected step size: AdamW multiplies p "
        "by 1 - lr * weight_decay",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data *= 1.0 - self.lr * self.weight_decay / (1.0 - self.betas[0] ** self.t)\n",
        ),
        # added after reading output (tag-vocabulary audit): adamw-decay-with-step-size
        expect=("decay-uses-corrected-lr", "adamw-decay-with-step-size"),
        phrases=("lr", "weight_decay"),
    ),
    fresh(
        "hsv-adamw-decay-halved",
        "optimizers.AdamW",
        "the decay is 0.5 * lr * weight_decay (the 1/2 of the L2 penalty): AdamW's factor is 1 - lr * weight_decay",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data *= 1.0 - 0.5 * self.lr * self.weight_decay\n",
        ),
        expect=("weight-decay-halved", "formula-constant"),
        phrases=("lr", "weight_decay"),
    ),
    fresh(
        "hsv-rmsprop-centered-uses-grad-squared",
        "optimizers.RMSprop",
        "the centred variance subtracts this step's g^2 instead of the squared running mean grad_avg^2: "
        "v - m^2 uses the average gradient",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = np.maximum(state["square_avg"] - g**2, 0.0)\n',
        ),
        expect=("centered-variance-formula", "formula-wrong"),
        phrases=("grad_avg", "centered"),
    ),
    fresh(
        "hsv-rmsprop-centered-mean-updated-after-variance",
        "optimizers.RMSprop",
        "the centred variance is computed from the previous grad_avg and grad_avg is updated "
        "afterwards: both averages include this step's g before v - m^2 is taken",
        (
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n           '
            "     # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n  "
            "              # (PyTorch would produce nan there).\n                variance = "
            'np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, '
            '0.0)\n                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
        ),
        expect=("order-changed", "accumulator-after-step", "centered-old-mean"),  # added after reading output
        phrases=("grad_avg", "before"),
    ),
    fresh(
        "hsv-sgd-velocity-starts-at-zero",
        "optimizers.SGD",
        "the first momentum buffer is zeros, so the first step does not move: PyTorch starts the "
        "buffer at the first gradient, buf = g",
        (
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
            "                    buf = np.zeros_like(g)  # the first step starts the velocity at the gradient\n",
        ),
        expect=("state-not-initialised", "state-started-at-ones"),
        phrases=("first", "buffer"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hsv-fan-receptive-field-first-two-kernel-axes",
        "init.fan_in_and_fan_out",
        "the receptive field is the product of shape[2:4] only: it is the product of every axis "
        "after the first two (a 3-D kernel has three)",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = math.prod(shape[2:4])\n",
        ),
        expect=("receptive-field-partial", "fixed-number-of-axes"),
        phrases=("receptive field", "product"),
    ),
    fresh(
        "hsv-fan-receptive-field-sum",
        "init.fan_in_and_fan_out",
        "the receptive field is sum(shape[2:]) (or 1): it is the product of the kernel sizes, kH * kW",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = sum(shape[2:]) or 1\n",
        ),
        expect=("receptive-field-summed", "sum-for-product"),
        phrases=("product", "receptive field"),
    ),
    fresh(
        "hsv-kaiming-normal-std-times-root-fan",
        "init.kaiming_normal",
        "std is gain * sqrt(fan): the standard deviation shrinks with the fan, gain / sqrt(fan)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(",
            "    std = gain * math.sqrt(fan)\n    weight = rng.normal(",
        ),
        expect=("formula-operator", "hyperparameter-inverted", "formula-wrong"),
        phrases=("divide", "fan"),
    ),
    fresh(
        "hsv-kaiming-normal-extra-root-two",
        "init.kaiming_normal",
        "the draws are multiplied by sqrt(2) after std = gain / sqrt(fan): the ReLU gain already holds the sqrt(2)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape) * math.sqrt(2.0)\n",
        ),
        expect=("gain-twice", "formula-constant"),
        phrases=("gain",),
    ),
    fresh(
        "hsv-kaiming-uniform-one-sided",
        "init.kaiming_uniform",
        "the weights are drawn from U(0, bound): Kaiming uniform is symmetric, U(-bound, bound)",
        (
            "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(0.0, bound, size=shape)\n",
        ),
        expect=("uniform-bound", "not-centred"),  # added after reading output
        phrases=("-bound", "symmetric"),
    ),
    fresh(
        "hsv-xavier-normal-larger-fan",
        "init.xavier_normal",
        "std uses only the larger fan, sqrt(2 / max(fan_in, fan_out)): Glorot averages the two, "
        "std = gain sqrt(2 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(",
            "    std = gain * math.sqrt(2.0 / max(fan_in, fan_out))\n    weight = rng.normal(",
        ),
        expect=("xavier-one-fan", "formula-wrong"),
        phrases=("fan_in", "fan_out"),
    ),
    fresh(
        "hsv-xavier-uniform-bound-divided-by-root3",
        "init.xavier_uniform",
        "the bound is std / sqrt(3): U(-b, b) has variance b^2 / 3, so b = sqrt(3) * std",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = std / math.sqrt(3.0)  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("uniform-bound", "formula-operator"),
        phrases=("sqrt", "bound"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hsv-fit-each-batch-weighted-by-n",
        "training.fit",
        "each batch's mean loss is weighted by len(X), so the epoch value is the sum of the batch "
        "means: weight by len(X_batch) to get the mean over samples",
        (
            "            total += float(loss) * len(X_batch)\n",
            "            total += float(loss) * len(X)\n",
        ),
        expect=("batch-size-weight", "batch-size-as-count"),
        phrases=("batch", "weight"),
    ),
    fresh(
        "hsv-minibatches-indices-with-replacement",
        "training.minibatches",
        "the order is rng.integers(0, n, n), indices drawn with replacement: some samples repeat and others are "
        "lost; shuffling needs a permutation",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = rng.integers(0, len(X), len(X))  # one permutation, applied to both: pairs stay pairs\n",
        ),
        expect=("not-a-permutation",),
        phrases=("permutation", "replacement"),
    ),
    fresh(
        "hsv-minibatches-none-gives-single-samples",
        "training.minibatches",
        "batch_size None gives batches of one sample: None means one batch holding the whole data set",
        (
            "    size = len(X) if batch_size is None else batch_size\n",
            "    size = batch_size if batch_size is not None else 1\n",
        ),
        expect=("none-means-full-batch",),
        phrases=("None", "whole"),
    ),
    fresh(
        "hsv-minibatches-step-from-batch-count",
        "training.minibatches",
        "the loop steps by n // batch_size (the number of batches) instead of batch_size: batches "
        "then overlap or skip samples; start every batch_size samples",
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for start in range(0, len(X), max(len(X) // size, 1)):\n",
        ),
        expect=("batch-size-as-count", "loop-off-by-one"),
        phrases=("batch_size", "step"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hsv-perceptron-update-returns-prediction",
        "models.Perceptron",
        "update returns the prediction instead of the error: fit counts a mistake whenever update "
        "returns non-zero, and the API's update returns target - prediction",
        (
            "        return error\n\n    def fit",
            "        return prediction\n\n    def fit",
        ),
        # added after reading output (tag-vocabulary audit): returns-prediction
        expect=("missing-return", "formula-wrong", "returns-prediction"),
        phrases=("error", "return"),
    ),
    fresh(
        "hsv-perceptron-predict-compares-with-bias",
        "models.Perceptron",
        "predict thresholds the score at the bias (scores > bias) although the score already "
        "includes the bias: the step is 1 where w.x + b > 0, as in update",
        (
            "        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = (scores > self.bias).astype(np.float64)\n",
        ),
        expect=("bias-sign-as-threshold", "bias-ignored", "forward-backward-mismatch"),
        phrases=("threshold", "bias"),
    ),
    fresh(
        "hsv-sequential-parameters-skip-first-layer",
        "models.Sequential",
        "parameters() starts at self.layers[1:]: the first layer's parameters are left out, so the "
        "optimizer never updates them",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [p for layer in self.layers[1:] for p in layer.parameters()]\n",
        ),
        expect=("layer-skipped", "entries-skipped"),
        phrases=("first layer", "parameters"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hsv-numgrad-forward-difference-over-two-h",
        "gradcheck.numerical_gradient",
        "the plus probe is compared with f at x (restored first): the centred difference is (f(x + h) - f(x - h)) / 2h",
        (
            "        x[index] = original - h\n        f_minus = float(f(x))\n",
            "        x[index] = original\n        f_minus = float(f(x))\n",
        ),
        expect=("probe-wrong-point", "probe-at-x", "half"),
        phrases=("centr", "minus"),
    ),
    fresh(
        "hsv-numgrad-relative-probe",
        "gradcheck.numerical_gradient",
        "the probe is x * (1 + h), a step of x * h divided by 2h: the centred difference moves "
        "each entry by exactly +-h (and a zero entry not at all here)",
        (
            "        x[index] = original + h\n",
            "        x[index] = original * (1 + h)\n",
        ),
        expect=("probe-wrong-point",),
        phrases=("step", "relative"),
    ),
    fresh(
        "hsv-relative-error-euclidean-norms",
        "gradcheck.relative_error",
        "the error is ||a - b|| / (||a|| + ||b||) over the whole arrays: the API's relative error "
        "is entrywise, max of |a - b| / max(1e-8, |a| + |b|)",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.sqrt(np.sum((a - b) ** 2)) / np.maximum(1e-8, np.sqrt(np.sum(a**2)) + "
            "np.sqrt(np.sum(b**2)))\n",
        ),
        expect=("norm-not-entrywise", "reduction-over-whole-array"),
        phrases=("entrywise", "max"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hsv-early-stopping-saves-first-improvement-only",
        "early_stopping.fit_early_stopping",
        "the state is copied only when best_state is None, at the first improvement: every improving epoch must "
        "replace the snapshot, so restore_best puts back the best epoch, not the first",
        (
            "            if restore_best:\n                best_state = copy_state(model)\n",
            "            if restore_best and best_state is None:\n                best_state = copy_state(model)\n",
        ),
        expect=("restores-wrong-epoch", "state-not-updated", "saved-state-stale"),
        phrases=("best", "improv"),
    ),
    fresh(
        "hsv-early-stopping-best-lowered-by-min-delta",
        "early_stopping.fit_early_stopping",
        "the best loss is stored as val_loss - min_delta: the next epoch must then beat best - 2 "
        "min_delta; store the loss itself",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            best_loss, history.best_epoch, waited = val_loss - min_delta, epoch, 0\n",
        ),
        expect=("min-delta-applied-twice",),
        phrases=("min_delta", "best"),
    ),
    fresh(
        "hsv-early-stopping-never-shuffles",
        "early_stopping.fit_early_stopping",
        "each epoch's fit is called with shuffle=False: the shuffle argument must be passed on to fit",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, False, rng)\n",
        ),
        expect=("shuffle-ignored", "fit-arguments"),
        phrases=("shuffle",),
    ),
]

FRESH_V: list[Mutant] = [
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
