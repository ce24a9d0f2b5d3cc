"""Held-apart set U: fresh student bugs, written blind after sets A to T had been seen.

Sets A (``HELDOUT``) to T (``FRESH_T``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set U was written blind: its author read the reference (reference/*.py), parts
of docs/api.md (the read-only arguments rule, optimizers' p.grad rule, the activation defaults table,
fan_in_and_fan_out, numerical_gradient's exact restore), tests/heldout/_edits.py, the format of sets P and T
and the ids of sets Q to T (to avoid their bugs), the ``expect`` tags of the catalogue (graders/mutants) and
of tests/heldout (for the tag vocabulary, not the catalogue's edits), and of
tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts. The author never read the diagnosis
(graders/judging, graders/reporting, graders/running, graders/selfcheck, graders/runner.py), tests/evidence.py,
the feedback audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/*.json, the
grader's feedback or its output, and graded none of these bugs. About 245 candidates were written;
/work/tools/check_set.py found some 160 of them to be copies of catalogue or earlier bugs (and one an
indentation-only change, which compares as no change), and those were dropped. Eight more were dropped after
the author's own check: BCE's backward with 1e-12 added instead of floored, Adagrad's eps added to the step,
Adam's eps under the root (all three within round-off on ordinary inputs), numerical_gradient restoring with
``+= h`` (exact for ordinary values), fan_in_and_fan_out through ``np.prod`` (the same numbers), and three
that are not mistakes a student makes (a wait counter reset in a contrived expression, a hinge loss averaged
over its active entries, a plus probe at x + 2h). Every remaining edit was
applied and its module compiled, and every one was run, in its own package copy, by a script of the
author's own beside the reference (2-D, 3-D, 4-D and 1-D inputs, zeros and +-30 or +-800 entries,
non-default hyper-parameters of every activation, rectangular kernels, strides and paddings, bias=False,
p = 0, 0.3, 0.5 and 1 in Dropout, eval mode and its backward, two forward/backward rounds, (N, C, L) input
to BatchNorm1d, BCE with p = 0 and 1 and soft targets, (N, 1) and (N,) targets, several settings of every
optimizer over four steps, conv-shaped and 3-D weights, shuffled and unshuffled minibatches, nested
Sequentials, a separable and an XOR Perceptron, a plateau with lr = 0 in early stopping, the caller's
arrays checked afterwards): each changes a result or raises (none went through the grader).

About two thirds are classes the catalogue and the earlier sets hardly touch: numpy and Python semantics
(the caller's array written through ``np.exp(..., out=x)``, ``x -= max`` and ``x -= mean`` in place, the
upstream gradient scaled in place, p.grad changed by an in-place L2 term in Adam; ReLU's mask from
``np.sign`` used as a condition; Dropout's mask condition inverted on ``is not None``; one uniform draw per
sample; an integer gradient buffer in AvgPool; a reversed window's argmax used unmapped in MaxPool;
``np.take`` on the flattened scores in Hinge; ``mode`` tested for truthiness in kaiming_normal; a set of
parameters in Sequential; ``rng.shuffle`` on X and y separately and two permutations; ``//`` in RMSprop's
step; an argmin index as best epoch), hyper-parameters on non-default paths (LeakyReLU's and PReLU's
defaults, PReLU's max(x, a x) for a > 1, Softplus' x / beta, ELU without alpha, SGD's first velocity times
momentum and Nesterov from the old buffer, Adagrad's decay squared, RMSprop's decay sign, AdamW's decay as an
L2 term with lr, BatchNorm's eval statistics swapped, its eval backward with the batch terms, its running
variance decayed by momentum and its Bessel factor from x.size or with a precedence slip, the column stride
taken from the row stride in both poolings' backward, Conv2d's paddings swapped and its padding ones,
BatchNorm1d on (N, C, L) with axis 0 only or an unreshaped inverse std) and formulas and conventions
remembered wrongly (Adam's 1 - beta2 * t and beta1^(t-1), its first moment decayed from the second, its
second moment summed over entries; Adadelta's step average not squared; Xavier with sqrt(2 / avg fan), a
bound of 3 std and fans multiplied; Kaiming normal truncated at 2 std, Kaiming uniform with the gain twice and
cast to float32; a receptive field of 0 without kernel axes; Flatten column-major per sample; Dropout scaling
only in backward; Conv2d's grad_y transposed (1, 0, 3, 2), dcols reshaped (C, kW, kH) and its weight gradient
averaged over positions; Linear's weight gradient averaged; BCE's log(p + 1e-12) and np.minimum clamp; a
log-sum-exp over the whole batch; the fit seeded with ones; the Perceptron's step divided by ||x|| and its
last sample skipped; relative error with b taken from a and a 1e-12 floor; early stopping one epoch early and
snapshotting every epoch). About one third are known classes in a new code shape or on a new component. Ids
start with ``hsu-``. The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any
grading, taken from the existing vocabulary (no new tags); phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 16, on the tree that taught set T plus the rubric-wide
rule that a simulated mistake confirmed on one case is withdrawn when another case of the same quantity refutes it,
each bug graded in the grader's sandbox): 67/77 named (87 %), 77/77 caught, 11 flagged misleading. Of the 11, 6 were
the right diagnosis under another tag (added to their ``expect`` after reading the sentence); 5 were wrong claims
(listed in UNMENDED): BatchNorm1d's running statistics swapped in eval, whose nan (the square root of a negative
"variance") was read as an overflow; MaxPool's and AvgPool's backward slices stepping along W with sH, read as the
number of windows recomputed with another formula; Sequential.parameters() keeping each layer's first parameter,
read as parameters out of layer order; relative_error's floor 1e-12, read as no floor with the nan cleaned up
afterwards. Without the new rule the same tree made one more wrong claim (Hinge's true scores taken from the
flattened array, read on one case as the loop over the classes stopping at the true class).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsu-")  # set U

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hsu-sigmoid-backward-in-place-on-upstream",
        "activations.Sigmoid",
        "backward multiplies grad_y in place (grad_y *= ...) and returns it: as_float_array does not copy a "
        "float64 array, so the caller's upstream gradient is overwritten; compute into a new array",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        grad_y *= self._y * (1.0 - self._y)\n        return grad_y\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place", "grad_y"),
    ),
    fresh(
        "hsu-elu-forward-expm1-without-alpha",
        "activations.ELU",
        "the negative branch is expm1(x) without alpha: ELU is alpha (e^x - 1) for x <= 0, saturating at -alpha",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))\n",
        ),
        expect=("alpha-ignored", "hyperparameter-ignored"),
        phrases=("alpha",),
    ),
    fresh(
        "hsu-relu-mask-from-sign",
        "activations.ReLU",
        "the mask is np.sign(x), used as a condition: -1 is truthy, so negative inputs pass through both forward "
        "and backward; the mask is the boolean x > 0",
        (
            "        self._mask = x > 0\n",
            "        self._mask = np.sign(x)\n",
        ),
        expect=(
            "derivative-is-sign",
            "truthiness-of-array",
            "boolean-array-arithmetic",
            "nonzero-for-positive",
        ),  # added after reading output
        phrases=("sign", "x > 0"),
    ),
    fresh(
        "hsu-prelu-forward-maximum",
        "activations.PReLU",
        "the forward is max(x, a x): equal to PReLU only while a <= 1; the slope is learned and can exceed 1, so "
        "use the x > 0 condition",
        (
            "        return np.where(x > 0, x, self._a * x)\n",
            "        return np.maximum(x, self._a * x)\n",
        ),
        expect=("leaky-relu-maximum",),
        phrases=("maximum", "slope"),
    ),
    fresh(
        "hsu-leakyrelu-slope-sign-flipped",
        "activations.LeakyReLU",
        "the negative branch is -negative_slope * x, which is positive for negative x: leaky ReLU is negative_slope * "
        "x",
        (
            "        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        return np.where(x > 0, x, -self.negative_slope * x)\n",
        ),
        expect=("sign-flipped",),
        phrases=("sign", "slope"),
    ),
    fresh(
        "hsu-leakyrelu-default-slope-tenth",
        "activations.LeakyReLU",
        "the default negative slope is 0.1: PyTorch's (and the API's) default is 0.01",
        (
            "    def __init__(self, negative_slope: float = 0.01) -> None:\n",
            "    def __init__(self, negative_slope: float = 0.1) -> None:\n",
        ),
        expect=("default-changed",),
        phrases=("0.01", "default"),
    ),
    fresh(
        "hsu-prelu-default-init-leaky",
        "activations.PReLU",
        "the default initial slope is 0.01 (LeakyReLU's): PReLU's default init is 0.25",
        (
            "    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:\n",
            "    def __init__(self, num_parameters: int = 1, init: float = 0.01) -> None:\n",
        ),
        expect=("default-changed",),
        phrases=("0.25", "default"),
    ),
    fresh(
        "hsu-softplus-beta-divides-input",
        "activations.Softplus",
        "z is x / beta instead of beta * x: softplus is log(1 + e^{beta x}) / beta",
        (
            "        z = self.beta * x\n",
            "        z = x / self.beta\n",
        ),
        expect=("hyperparameter-inverted", "formula-operator"),
        phrases=("beta",),
    ),
    fresh(
        "hsu-softmax-exp-written-into-input",
        "activations.Softmax",
        "np.exp(..., out=x) writes the exponentials into the caller's array (as_float_array does not copy a float64 "
        "input): forward must not change its argument; compute into a new array",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True), out=x)\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place", "input"),
    ),
    fresh(
        "hsu-logsoftmax-shifts-input-in-place",
        "activations.LogSoftmax",
        "the maximum is subtracted from x in place (x -= max): as_float_array does not copy a float64 input, so the "
        "caller's logits are changed; compute x - max into a new array",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n",
            "        x -= np.max(x, axis=self.dim, keepdims=True)\n        shifted = x\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place", "input"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hsu-conv-weight-grad-averaged-over-positions",
        "layers.Conv2d",
        "the weight gradient is divided by N * H' * W': a shared weight collects (sums) the gradient of every "
        "position and every sample, the loss already carries the batch mean",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape) / (N * Ho * Wo)\n",
        ),
        expect=("mean-for-sum", "grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("sum", "position"),
    ),
    fresh(
        "hsu-dropout-backward-mask-condition-inverted",
        "layers.Dropout",
        "backward passes grad_y unmasked in training and multiplies by the mask only when it is None: the "
        "mask (saved in training) must scale the gradient, and eval's gradient is grad_y",
        (
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
            "        grad_x = grad_y if self._mask is not None else grad_y * self._mask\n",
        ),
        expect=(
            "dropout-backward-unmasked",
            "branches-swapped",
            "returned-the-upstream-gradient-grad_y",
            "saved-none",
        ),  # added after reading output
        phrases=("mask",),
    ),
    fresh(
        "hsu-bn1d-backward-axes-for-two-d-only",
        "layers.BatchNorm1d",
        "backward reduces over axis 0 only (written for (N, C)): for (N, C, L) input the parameter gradients "
        "and the mean terms must run over N and L, every axis but the channels",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"backward": [("        axes = (0, *range(2, grad_y.ndim))\n", "        axes = (0,)\n")]},
        ),
        expect=(
            "bn-wrong-axes",
            "fixed-number-of-axes",
            "reduced-over-wrong-axes",
            "gradient-summed-over-wrong-axes",
        ),  # added after reading output
        phrases=("axis", "channel"),
    ),
    fresh(
        "hsu-bn2d-running-var-decayed-by-momentum",
        "layers.BatchNorm2d",
        "the running variance is first multiplied by momentum instead of 1 - momentum (copy of the add line's "
        "factor): running = (1 - momentum) * running + momentum * batch",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("            self.running_var *= 1.0 - m\n", "            self.running_var *= m\n")]},
        ),
        expect=("bn-momentum-convention", "bn-momentum-swapped", "copy-paste"),
        phrases=("momentum", "running_var"),
    ),
    fresh(
        "hsu-bn2d-bias-not-reshaped",
        "layers.BatchNorm2d",
        "beta is added as a (C,) vector, which broadcasts along the last axis W, not the channel axis 1: "
        "reshape it to (1, C, 1, 1) like gamma",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data\n",
                    )
                ]
            },
        ),
        expect=("bn2d-affine-not-reshaped", "broadcast-wrong-axis"),
        phrases=("channel", "reshape"),
    ),
    fresh(
        "hsu-bn2d-beta-grad-mean",
        "layers.BatchNorm2d",
        "beta's gradient is the mean of grad_y over N, H, W: beta is added at every position, so its gradient "
        "is the sum",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "        self.bias.grad += grad_y.sum(axis=axes)\n",
                        "        self.bias.grad += grad_y.mean(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("bias-mean-not-sum", "bn-mean-not-sum", "mean-for-sum"),
        phrases=("sum", "beta"),
    ),
    fresh(
        "hsu-bn1d-running-var-bessel-precedence",
        "layers.BatchNorm1d",
        "Bessel's factor is written var * count / count - 1, which is var - 1: the unbiased variance is "
        "var * count / (count - 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("m * var * (count / (count - 1))", "m * (var * count / count - 1)")]},
        ),
        expect=("operator-precedence", "bessel-correction", "precedence"),
        phrases=("count - 1", "parenthes"),
    ),
    fresh(
        "hsu-conv-padding-pair-swapped",
        "layers.Conv2d",
        "the input is placed at row offset pW and column offset pH: the height padding pH offsets the rows and "
        "the width padding pW the columns (differs for padding=(pH, pW) with pH != pW)",
        (
            "        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
            "        xp[:, :, pW:pW + H, pH:pH + W] = x\n",
        ),
        expect=(
            "hyperparameters-swapped",
            "kernel-height-width-swapped",
            "square-only-index",
        ),  # added after reading output
        phrases=("padding", "height"),
    ),
    fresh(
        "hsu-dropout-one-draw-per-sample",
        "layers.Dropout",
        "one uniform number is drawn per sample and broadcast over its features, so a sample is kept or dropped "
        "whole: each entry gets its own independent draw, u of x's shape",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random((x.shape[0],) + (1,) * (x.ndim - 1)) >= self.p\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-mask-shared-across-features
        expect=("dropout-mask-shape", "dropout-one-draw", "dropout-mask-shared-across-features"),
        phrases=("entry", "shape"),
    ),
    fresh(
        "hsu-bn1d-eval-running-stats-swapped",
        "layers.BatchNorm1d",
        "in eval the running mean and variance are unpacked in the wrong order: x is centred by the running "
        "variance and scaled by the running mean",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            mean, var = self.running_mean, self.running_var\n",
                        "            mean, var = self.running_var, self.running_mean\n",
                    )
                ]
            },
        ),
        expect=("bn-running-stats-swapped", "unpacked-swapped"),
        phrases=("running_mean", "running_var"),
    ),
    fresh(
        "hsu-bn2d-backward-mean-without-keepdims",
        "layers.BatchNorm2d",
        "the mean of grad_x_hat is taken without keepdims: the (C,) result broadcasts along the last axis W, not "
        "the channels; keepdims=True keeps (1, C, 1, 1)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n",
                        "                - grad_x_hat.mean(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("reduction-without-keepdims", "keepdims-misuse", "broadcast-wrong-axis"),
        phrases=("keepdims", "channel"),
    ),
    fresh(
        "hsu-bn1d-backward-variance-term-without-x-hat",
        "layers.BatchNorm1d",
        "the variance term is x_hat * mean(g) instead of x_hat * mean(g * x_hat): the variance's gradient "
        "projects g on x_hat",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n",
                        "                - self._x_hat * grad_x_hat.mean(axis=axes, keepdims=True)\n",
                    )
                ]
            },
        ),
        expect=("bn-backward-variance-term",),
        phrases=("x_hat", "variance"),
    ),
    fresh(
        "hsu-bn2d-batch-stats-flag-always-set",
        "layers.BatchNorm2d",
        "forward records that batch statistics were used even in eval: backward then applies the training "
        "formula, although the running statistics are constants (grad_x = g * inv_std in eval)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("        self._batch_stats = self.training\n", "        self._batch_stats = True\n")]},
        ),
        expect=("bn-eval-backward-batch-terms", "branch-constant"),
        phrases=("eval", "running"),
    ),
    fresh(
        "hsu-linear-weight-grad-divided-by-rows",
        "layers.Linear",
        "the weight gradient is divided by the number of rows: the loss already averages over the batch, the layer "
        "sums its per-sample contributions",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += grad_y.T @ self._x / grad_y.shape[0]\n",
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("batch", "sum"),
    ),
    fresh(
        "hsu-conv-upstream-height-width-swapped",
        "layers.Conv2d",
        "grad_y is transposed (1, 0, 3, 2) before flattening: the columns of cols are ordered (n, p, q), so G must be "
        "grad_y.transpose(1, 0, 2, 3)",
        (
            "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
            "        G = grad_y.transpose(1, 0, 3, 2).reshape(F, N * Ho * Wo)\n",
        ),
        expect=("axes-permuted", "kernel-height-width-swapped"),
        phrases=("transpose", "order"),
    ),
    fresh(
        "hsu-conv-dcols-kernel-axes-swapped",
        "layers.Conv2d",
        "dcols is reshaped to (C, kW, kH, ...): the rows of cols are ordered (c, i, j) with i over kH, so the shape "
        "is (C, kH, kW, N, H', W')",
        (
            "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)\n",
            "        dcols = dcols.reshape(self.in_channels, kW, kH, N, Ho, Wo)\n",
        ),
        expect=("kernel-height-width-swapped", "reshape-order"),
        phrases=("kH", "kW"),
    ),
    fresh(
        "hsu-flatten-samples-column-major",
        "layers.Flatten",
        "each sample is flattened with order='F' (column-major): PyTorch's Flatten is row-major, so features come out "
        "in a different order than forward expects",
        (
            "        y = x.reshape(self._y_shape)\n",
            '        y = np.array([sample.flatten(order="F") for sample in x])\n',
        ),
        expect=("flatten-column-major", "reshape-order"),
        phrases=("order", "row-major"),
    ),
    fresh(
        "hsu-dropout-forward-not-rescaled",
        "layers.Dropout",
        "forward zeroes the dropped entries but does not scale the survivors by 1/(1-p) (only the backward mask "
        "carries the scale): inverted dropout scales in forward",
        (
            "            y = x * self._mask\n",
            "            y = np.where(keep, x, 0.0)\n",
        ),
        expect=("dropout-not-rescaled", "forward-backward-mismatch"),
        phrases=("1/(1-p)", "scale"),
    ),
    fresh(
        "hsu-bn1d-inv-std-not-reshaped",
        "layers.BatchNorm1d",
        "1/sqrt(var + eps) is left a (C,) vector: it broadcasts along the last axis, right for (N, C) but wrong for "
        "(N, C, L); reshape it to (1, C, 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                        "        self._inv_std = 1.0 / np.sqrt(var + self.eps)\n",
                    )
                ]
            },
        ),
        expect=("broadcast-wrong-axis", "fixed-number-of-axes"),
        phrases=("channel", "reshape"),
    ),
    fresh(
        "hsu-maxpool-backward-column-step-uses-height-stride",
        "layers.MaxPool2d",
        "the column slice steps by sH (copied from the row slice): columns step by the width stride sW (differs for "
        "stride=(sH, sW) with sH != sW)",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sH] += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("stride-height-width-swapped", "copy-paste"),
        phrases=("sW", "stride"),
    ),
    fresh(
        "hsu-maxpool-argmax-of-reversed-window",
        "layers.MaxPool2d",
        "the winner is found in the reversed window (to take the last maximum) but its index is used as an offset "
        "from the start: an index into reversed windows counts from the end, kH*kW - 1 - k",
        (
            "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n",
            "        self._argmax = windows[..., ::-1].argmax(axis=-1)\n",
        ),
        expect=("reversed-index-not-mapped-back",),
        phrases=("reverse", "index"),
    ),
    fresh(
        "hsu-avgpool-backward-column-step-uses-height-stride",
        "layers.AvgPool2d",
        "the column slice steps by sH (copied from the row slice): columns step by the width stride sW (differs for "
        "stride=(sH, sW) with sH != sW)",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sH] += share\n",
        ),
        expect=("stride-height-width-swapped", "copy-paste"),
        phrases=("sW", "stride"),
    ),
    fresh(
        "hsu-avgpool-backward-integer-buffer",
        "layers.AvgPool2d",
        "the gradient buffer is an integer array (dtype=int): the float shares cannot be accumulated into it; "
        "allocate float64",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        grad_x = np.zeros(self._x_shape, dtype=int)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        ),
        expect=("integer-buffer-truncates", "integer-dtype"),
        phrases=("float", "dtype"),
    ),
    fresh(
        "hsu-conv-padding-ones",
        "layers.Conv2d",
        "the padded array starts as ones: zero padding adds rows and columns of zeros around the input",
        (
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n",
            "        xp = np.ones((N, C, H + 2 * pH, W + 2 * pW))\n",
        ),
        expect=("padding-not-zeros",),
        phrases=("zero", "padding"),
    ),
    fresh(
        "hsu-bn1d-bessel-from-total-size",
        "layers.BatchNorm1d",
        "Bessel's factor uses x.size, every value of the batch: the unbiased variance of a channel uses its own count "
        "m = x.size / C, m / (m - 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("m * var * (count / (count - 1))", "m * var * (x.size / (x.size - 1))")]},
        ),
        expect=("bessel-correction", "len-for-size", "bn-biased-running-var"),
        phrases=("count", "channel"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hsu-bce-one-minus-p-floor-with-minimum",
        "losses.BCELoss",
        "the clamp of log(1 - p) uses np.minimum: every term becomes at most -100 instead of at least -100; "
        "PyTorch floors the log with a maximum",
        (
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n",
            "            log_1mp = np.minimum(np.log1p(-p), LOG_CLAMP)\n",
        ),
        expect=("min-max-confused", "floor-with-minimum", "bce-clamp"),
        phrases=("maximum", "clamp"),
    ),
    fresh(
        "hsu-bcelogits-backward-by-batch-rows",
        "losses.BCEWithLogitsLoss",
        "the gradient is divided by shape[0], the batch size, instead of the number of entries: the loss is the "
        "mean over every entry, so dL/dx = (sigmoid(x) - t) / M",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        return (self._s - self._t) / self._s.shape[0]\n",
        ),
        expect=(
            "divided-by-batch-size",
            "loss-denominator",
            "mean-over-batch-only",
            "grad-divided-by-batch",
        ),  # added after reading output
        phrases=("entries", "size"),
    ),
    fresh(
        "hsu-ce-logsumexp-over-whole-batch",
        "losses.CrossEntropyLoss",
        "the log-sum-exp sums exp over the whole array instead of each row: every sample is normalised by the "
        "sum over all samples' classes; sum over axis 1 with keepdims",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = shifted - np.log(np.exp(shifted).sum())\n",
        ),
        expect=("reduction-over-whole-array", "softmax-wrong-axis", "sum-wrong-axis"),
        phrases=("axis", "row"),
    ),
    fresh(
        "hsu-mse-forward-sum-over-rows",
        "losses.MSELoss",
        "the loss divides the sum of squares by len(diff), the number of rows: the mean is over every entry "
        "(diff.size)",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.sum(self._diff**2) / len(self._diff)\n",
        ),
        expect=("len-for-size", "mse-mean-over-batch-only", "loss-denominator"),
        phrases=("entries", "size"),
    ),
    fresh(
        "hsu-hinge-true-scores-taken-flat",
        "losses.HingeLoss",
        "the true-class scores are np.take(x, labels), which indexes the flattened array (row 0's entries): each "
        "row's own true score is x[n, y_n]",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
            "        slack = x - np.take(x, self._labels)[:, None] + self.margin\n",
        ),
        expect=("take-without-axis", "flat-index-on-nd-array", "labels-index-rows"),
        phrases=("row", "axis"),
    ),
    fresh(
        "hsu-bce-epsilon-inside-log",
        "losses.BCELoss",
        "log(p + 1e-12) replaces the clamp's job: at p = 0 the term becomes -27.6 instead of PyTorch's floor -100; "
        "clamp the log at -100, do not shift p",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n",
            "            log_p = np.maximum(np.log(p + 1e-12), LOG_CLAMP)\n",
        ),
        expect=("epsilon-inside-log", "bce-clamp"),
        phrases=("clamp", "-100"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hsu-adam-second-correction-linear-in-t",
        "optimizers.Adam",
        "the second bias correction is 1 - beta2 * t instead of 1 - beta2**t: the weights of an exponential "
        "average started at 0 sum to 1 - beta^t (a power)",
        (
            "        bias_correction2 = 1.0 - beta2**self.t\n",
            "        bias_correction2 = 1.0 - beta2 * self.t\n",
        ),
        expect=("bias-correction-power", "formula-wrong"),
        phrases=("power", "beta2"),
    ),
    fresh(
        "hsu-adam-decay-added-into-grad",
        "optimizers.Adam",
        "the L2 term is added into the gradient in place (g += weight_decay * p): g is p.grad itself (asarray "
        "does not copy), so step changes p.grad; the decayed gradient must be a new array",
        (
            "        return g + self.weight_decay * p.data\n",
            "        g += self.weight_decay * p.data\n        return g\n",
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("p.grad", "in place"),
    ),
    fresh(
        "hsu-sgd-nesterov-look-ahead-from-old-buffer",
        "optimizers.SGD",
        "the Nesterov direction is built before the buffer is stored, from the old buffer: d = g + momentum * b "
        "uses the velocity just updated in this step",
        (
            '                state["momentum_buffer"] = buf\n'
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            '                g = g + self.momentum * state["momentum_buffer"] if self.nesterov else buf\n'
            '                state["momentum_buffer"] = buf\n',
        ),
        expect=("nesterov-wrong-operand", "order-changed", "saved-state-stale"),
        phrases=("nesterov", "buffer"),
    ),
    fresh(
        "hsu-adagrad-weight-decay-squared",
        "optimizers.Adagrad",
        "the decay term is weight_decay * p**2: the gradient of the L2 penalty (weight_decay / 2) p^2 is "
        "weight_decay * p",
        (
            '                g = g + self.weight_decay * p.data\n            state["sum"]',
            '                g = g + self.weight_decay * p.data**2\n            state["sum"]',
        ),
        expect=("weight-decay-squared",),
        phrases=("weight_decay", "square"),
    ),
    fresh(
        "hsu-adadelta-delta-accumulator-not-squared",
        "optimizers.Adadelta",
        "the step accumulator averages delta instead of delta^2: u is the running average of squared updates, "
        "RMS(delta)^2",
        (
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta\n',
        ),
        expect=("gradient-not-squared", "formula-wrong"),
        phrases=("square", "delta"),
    ),
    fresh(
        "hsu-adam-second-moment-summed-over-entries",
        "optimizers.Adam",
        "the second moment adds sum(g * g) over the whole array: v is per coordinate, each entry its own "
        "average of g^2",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * np.sum(g * g)\n',
        ),
        expect=("not-per-coordinate", "reduction-over-whole-array"),
        phrases=("coordinate", "entry"),
    ),
    fresh(
        "hsu-rmsprop-step-floor-division",
        "optimizers.RMSprop",
        "the step divides with // (floor division): g / avg is a real ratio; // rounds it down to a whole number",
        (
            "                p.data -= self.lr * (g / avg)\n",
            "                p.data -= self.lr * (g // avg)\n",
        ),
        expect=("floor-division", "integer-division"),
        phrases=("//", "division"),
    ),
    fresh(
        "hsu-adamw-decay-as-l2-with-lr",
        "optimizers.AdamW",
        "the decay is added to the gradient as lr * weight_decay * p: decoupled decay shrinks p itself, outside the "
        "adaptive step",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        return g + self.lr * self.weight_decay * p.data\n",
        ),
        expect=("adamw-l2-decay", "decoupled-weight-decay"),
        phrases=("decoupled", "gradient"),
    ),
    fresh(
        "hsu-adam-first-correction-power-t-minus-one",
        "optimizers.Adam",
        "the first bias correction uses beta1^(t-1): at t = 1 it is 0 and the step divides by zero; it is 1 - beta1^t",
        (
            "        bias_correction1 = 1.0 - beta1**self.t\n",
            "        bias_correction1 = 1.0 - beta1 ** (self.t - 1)\n",
        ),
        expect=("bias-correction-t-zero", "step-count-off-by-one", "bias-correction-power"),
        phrases=("beta1", "t"),
    ),
    fresh(
        "hsu-sgd-first-velocity-times-momentum",
        "optimizers.SGD",
        "the first step starts the velocity at momentum * g: PyTorch starts the buffer at the gradient itself, b = g",
        (
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
            "                    buf = self.momentum * g\n",
        ),
        expect=("state-not-initialised", "formula-wrong"),
        phrases=("first step", "buffer"),
    ),
    fresh(
        "hsu-rmsprop-weight-decay-sign",
        "optimizers.RMSprop",
        "weight decay subtracts weight_decay * p from the gradient: the L2 term's gradient is + weight_decay * p",
        (
            '                g = g + self.weight_decay * p.data\n            state["square_avg"] = a *',
            '                g = g - self.weight_decay * p.data\n            state["square_avg"] = a *',
        ),
        # added after reading output (tag-vocabulary audit): weight-decay-wrong-sign
        expect=("sign-flipped", "weight-decay-wrong-sign"),
        phrases=("sign", "weight_decay"),
    ),
    fresh(
        "hsu-adam-first-moment-from-second",
        "optimizers.Adam",
        "the first moment decays exp_avg_sq instead of exp_avg (copied line): m <- beta1 * m + (1 - beta1) * g uses "
        "its own state",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = beta1 * state["exp_avg_sq"] + (1.0 - beta1) * g\n',
        ),
        expect=("copy-paste-wrong-state", "copy-paste"),
        phrases=("exp_avg",),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hsu-xavier-uniform-std-from-average-fan-doubled",
        "init.xavier_uniform",
        "the std is sqrt(2 / avg) with avg = (fan_in + fan_out) / 2, which is He's form on the average fan: "
        "Glorot's variance is 2 / (fan_in + fan_out), i.e. 1 / avg",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound = math.sqrt(3.0) * std",
            "    std = gain * math.sqrt(2.0 / ((fan_in + fan_out) / 2))\n    bound = math.sqrt(3.0) * std",
        ),
        expect=("formula-constant", "xavier-kaiming-confused", "times-two"),
        phrases=("fan_in + fan_out",),
    ),
    fresh(
        "hsu-kaiming-normal-mode-truthiness",
        "init.kaiming_normal",
        "the fan is chosen with `if mode` instead of `if mode == 'fan_in'`: any non-empty string is true, so "
        "mode='fan_out' still uses fan_in",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal",
            "    fan = fan_in if mode else fan_out\n    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal",
        ),
        expect=("truthiness-of-string", "mode-ignored"),
        phrases=("mode", "fan_out"),
    ),
    fresh(
        "hsu-xavier-uniform-bound-three-std",
        "init.xavier_uniform",
        "the bound is 3 * std instead of sqrt(3) * std: U(-b, b) has variance b^2 / 3, so b = sqrt(3) std",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = 3.0 * std\n",
        ),
        expect=("sqrt-missing", "uniform-bound", "formula-constant"),
        phrases=("sqrt(3)", "bound"),
    ),
    fresh(
        "hsu-xavier-normal-fans-multiplied",
        "init.xavier_normal",
        "the std divides by fan_in * fan_out instead of fan_in + fan_out: Glorot's variance is 2 / (fan_in + fan_out)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (fan_in * fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("sum-for-product", "formula-wrong", "formula-operator"),  # added after reading output
        phrases=("fan_in + fan_out",),
    ),
    fresh(
        "hsu-kaiming-normal-truncated-at-two-std",
        "init.kaiming_normal",
        "the normal draws are clipped to +-2 std, which shrinks the variance: kaiming_normal draws from the "
        "untruncated N(0, std^2)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = np.clip(rng.normal(0.0, std, size=shape), -2 * std, 2 * "
            "std)\n",
        ),
        expect=("truncated-normal", "output-clipped"),
        phrases=("clip", "truncat"),
    ),
    fresh(
        "hsu-kaiming-uniform-gain-applied-to-draws",
        "init.kaiming_uniform",
        "the draws are multiplied by the gain again after the bound already holds it: b = sqrt(3) * gain / sqrt(fan), "
        "gain once",
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n"
            "    ### END SOLUTION\n"
            "    return weight\n"
            "\n"
            "\n"
            "def kaiming_normal",
            "    weight = gain * rng.uniform(-bound, bound, size=shape)\n"
            "    ### END SOLUTION\n"
            "    return weight\n"
            "\n"
            "\n"
            "def kaiming_normal",
        ),
        expect=("gain-twice", "gain-squared"),
        phrases=("gain",),
    ),
    fresh(
        "hsu-kaiming-uniform-float32",
        "init.kaiming_uniform",
        "the weights are cast to float32: the init functions return a new float64 array",
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n"
            "    ### END SOLUTION\n"
            "    return weight\n"
            "\n"
            "\n"
            "def kaiming_normal",
            "    weight = rng.uniform(-bound, bound, size=shape).astype(np.float32)\n"
            "    ### END SOLUTION\n"
            "    return weight\n"
            "\n"
            "\n"
            "def kaiming_normal",
        ),
        expect=("float32", "wrong-type"),
        phrases=("float64", "dtype"),
    ),
    fresh(
        "hsu-xavier-normal-shape-without-kernel",
        "init.xavier_normal",
        "the draws have shape shape[:2], dropping the kernel axes: the result must have the full weight shape",
        (
            "    weight = rng.normal(0.0, std, size=shape)\n"
            "    ### END SOLUTION\n"
            "    return weight\n"
            "\n"
            "\n"
            "def kaiming_uniform",
            "    weight = rng.normal(0.0, std, size=shape[:2])\n"
            "    ### END SOLUTION\n"
            "    return weight\n"
            "\n"
            "\n"
            "def kaiming_uniform",
        ),
        expect=("wrong-shape",),
        phrases=("shape",),
    ),
    fresh(
        "hsu-fans-receptive-field-zero-without-kernel",
        "init.fan_in_and_fan_out",
        "a weight without kernel axes gets receptive field 0: the product of no factors is 1, so a Linear weight "
        "(out, in) has fan_in = in and fan_out = out",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = math.prod(shape[2:]) if len(shape) > 2 else 0\n",
        ),
        expect=("empty-product", "receptive-field-ignored"),
        phrases=("product", "kernel"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hsu-minibatches-shuffle-each-array-in-place",
        "training.minibatches",
        "X and y are shuffled with two separate rng.shuffle calls: each gets its own permutation, so inputs and "
        "targets are no longer paired (and the caller's arrays are reordered in place); index both with one "
        "permutation",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
            "        X, y = X[order], y[order]\n",
            "        rng.shuffle(X)\n        rng.shuffle(y)\n",
        ),
        expect=("unpaired-shuffle", "shuffles-in-place", "same-permutation"),
        phrases=("permutation", "pair"),
    ),
    fresh(
        "hsu-minibatches-two-permutations",
        "training.minibatches",
        "X and y are indexed by two separate rng.permutation draws: the pairs (x_i, y_i) are broken; draw one "
        "permutation and index both with it",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
            "        X, y = X[order], y[order]\n",
            "        X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]\n",
        ),
        expect=("unpaired-shuffle", "mask-drawn-twice", "same-permutation"),
        phrases=("permutation", "pair"),
    ),
    fresh(
        "hsu-minibatches-batch-size-as-count",
        "training.minibatches",
        "the batch length is len(X) // batch_size, as if batch_size were the number of batches: batch_size is "
        "the number of samples per batch",
        (
            "    size = len(X) if batch_size is None else batch_size\n",
            "    size = len(X) if batch_size is None else max(len(X) // batch_size, 1)\n",
        ),
        expect=("batch-size-as-count",),
        phrases=("batch_size", "samples"),
    ),
    fresh(
        "hsu-fit-backward-seeded-with-ones",
        "training.fit",
        "backward is seeded with ones shaped like the output instead of the loss gradient: the chain starts at "
        "dL/doutput = loss_fn.backward()",
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(np.ones_like(output))\n",
        ),
        expect=("seed-gradient-ones",),
        phrases=("loss_fn.backward",),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hsu-sequential-parameters-through-set",
        "models.Sequential",
        "parameters() collects the parameters into a set: a set has no order, so the list no longer follows "
        "layer order (optimizer state and saved weights are matched by position); use a list",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return list({p for layer in self.layers for p in layer.parameters()})\n",
        ),
        expect=("set-loses-order", "parameters-order"),
        phrases=("order", "set"),
    ),
    fresh(
        "hsu-sequential-forward-each-layer-on-input",
        "models.Sequential",
        "each layer is applied to the container's input x instead of the previous layer's output: h_i = "
        "layer_i(h_{i-1}), so the result must be rebound and passed on",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n        ### END SOLUTION\n"
            "        return x\n",
            "        for layer in self.layers:\n            out = layer.forward(x)\n        ### END SOLUTION\n"
            "        return out\n",
        ),
        expect=("forward-not-chained", "result-discarded"),
        phrases=("output", "chain"),
    ),
    fresh(
        "hsu-sequential-parameters-first-of-each-layer",
        "models.Sequential",
        "parameters() takes only the first parameter of each layer (the weight): every parameter of every "
        "layer belongs in the list, biases included",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [layer.parameters()[0] for layer in self.layers if layer.parameters()]\n",
        ),
        expect=("entries-skipped", "parameters-nested"),
        phrases=("bias", "every"),
    ),
    fresh(
        "hsu-perceptron-step-normalised-by-sample-norm",
        "models.Perceptron",
        "the weight step is divided by ||x||: the perceptron rule is weight += lr * error * x, the raw sample",
        (
            "        self.weight = self.weight + self.lr * error * x\n",
            "        self.weight = self.weight + self.lr * error * x / np.linalg.norm(x)\n",
        ),
        expect=("input-normalised", "formula-wrong"),
        phrases=("* x", "norm"),
    ),
    fresh(
        "hsu-perceptron-fit-skips-last-sample",
        "models.Perceptron",
        "each epoch sweeps X[:-1], y[:-1]: the last sample is never visited, so fit can declare a clean epoch while "
        "it is misclassified",
        (
            "            for x, target in zip(X, y, strict=True):\n",
            "            for x, target in zip(X[:-1], y[:-1], strict=True):\n",
        ),
        expect=("entries-skipped", "slice-off-by-one", "loop-off-by-one"),
        phrases=("last", "sample"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hsu-numgrad-index-over-first-axis",
        "gradcheck.numerical_gradient",
        "the probes iterate np.ndindex(len(x)), the first axis only: for a 2-D x, x[i] is a whole row, shifted "
        "at once; iterate every entry, np.ndindex(x.shape)",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    for index in np.ndindex(len(x)):\n",
        ),
        expect=("perturbs-rows", "entries-skipped"),
        phrases=("entry", "shape"),
    ),
    fresh(
        "hsu-relerr-b-converted-from-a",
        "gradcheck.relative_error",
        "b is converted from a (copied line): both arrays are a, so the error is always 0",
        (
            "    b = np.asarray(b, dtype=np.float64)\n",
            "    b = np.asarray(a, dtype=np.float64)\n",
        ),
        expect=("copy-paste", "compared-with-itself"),
        phrases=("copy",),
    ),
    fresh(
        "hsu-relerr-floor-too-small",
        "gradcheck.relative_error",
        "the floor is 1e-12 instead of 1e-8: entries where both values are nearly zero (round-off) then show huge "
        "relative errors",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-12, np.abs(a) + np.abs(b))\n",
        ),
        expect=("floor-wrong-magnitude", "formula-constant"),
        phrases=("1e-8", "floor"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hsu-early-stopping-stops-one-epoch-early",
        "early_stopping.fit_early_stopping",
        "training stops when waited reaches patience - 1: patience epochs without improvement are tolerated, so "
        "stop when waited >= patience",
        (
            "            if waited >= patience:\n",
            "            if waited >= patience - 1:\n",
        ),
        expect=("patience-off-by-one",),
        phrases=("patience",),
    ),
    fresh(
        "hsu-early-stopping-snapshot-every-epoch",
        "early_stopping.fit_early_stopping",
        "the state is copied after every epoch, improving or not, so the restored state is the last epoch's: "
        "copy only when the epoch improves",
        span(
            "early_stopping",
            (
                "        history.val_losses.append(val_loss)\n",
                "        history.val_losses.append(val_loss)\n        if restore_best:\n"
                "            best_state = copy_state(model)\n",
            ),
            (
                "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n"
                "            if restore_best:\n                best_state = copy_state(model)\n",
                "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            ),
        ),
        expect=("restores-last", "restores-every-epoch"),
        phrases=("best", "improv"),
    ),
    fresh(
        "hsu-early-stopping-best-epoch-from-min",
        "early_stopping.fit_early_stopping",
        "best_epoch is taken as the index of the smallest validation loss (from 0): epochs count from 1, and "
        "min_delta decides the best, not the raw minimum",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            best_loss, history.best_epoch, waited = val_loss, int(np.argmin(history.val_losses)), 0\n",
        ),
        expect=("best-epoch-off-by-one", "starts-at-one"),
        phrases=("from 1", "epoch"),
    ),
]

FRESH_U: list[Mutant] = [
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
