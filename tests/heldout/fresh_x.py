"""Held-apart set X: fresh student bugs, written blind after sets A to W had been seen.

Set X was written blind: its author read the reference (reference/*.py), tests/heldout/_edits.py, the format of
set W (its docstring and entries; earlier sets only through check_set's reports of copies), the ``expect`` tags
of the catalogue (graders/mutants) and of tests/heldout (for the tag vocabulary only), and of
tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts. The author never read the diagnosis
(graders/judging, graders/reporting, graders/running, graders/selfcheck, graders/runner.py), tests/evidence.py,
the feedback audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/*.json, the
grader's feedback or its output, and graded none of these bugs. Written under a short deadline.

About 227 candidates were written in eight rounds; check_set reported some 150 of them as copies of catalogue or
earlier bugs (and one as a no-op), and those were dropped. The author dropped two more: the leaky_relu gain with
a default slope of 0 and Kaiming normal's ``a or None``, both only a 5e-5 relative change. Several edits were
run beside the reference by a script of the author's own (GELU's tanh backward, Kaiming normal, SGD, Adam,
Adagrad and RMSprop steps); the rest were checked by reading only.

Classes covered: numpy and Python semantics (int() truncating PReLU's init and the Perceptron's lr, 5 // 3 for
the tanh gain, / for // in the output size, keepdims on BatchNorm's batch mean, ``g +=`` on Adadelta's aliased
gradient, ``nesterov is not None`` as a flag, squeeze on a batch of one, an inverse permutation for y,
``shape[1] * shape[-1]`` for a product, ``ndim - 3`` in PReLU's slope shape, ``0 <= dim`` rejecting negative
axes, ``ndim <= 2`` rejecting 2-D input, a non-recursive module walk, ``if not was_training``, eval() setting
the container flag True, an argument dropped in a call: eps in AdamW, batch_size in early stopping, shuffle in
fit, rng in Dropout), hyper-parameters and less visited paths (SGD's default dampening and its step after the
momentum block, Adagrad's lr_decay by sqrt and by weight_decay, RMSprop's centered average and its momentum
threshold, Adadelta's lr folded into delta, Adam's amsgrad maximum with itself, its t incremented late and a
scalar second moment, BatchNorm's Bessel factor (N not N*H*W, count + 1, on the mean), its eval statistics and
eval backward, Conv2d's padding check and its backward unpadding by the stride, pooling with sH != sW, Kaiming's
mode as max(fans) and inverted, Dropout drawn per sample) and formulas remembered wrongly (GELU's tanh
derivative without 1/2, Step's straight-through backward, ReLU's backward leaking 0.01, Crammer-Singer for
Weston-Watkins hinge, slack against the row max, L1's sign gradient for MSE, BCE's p (1 - t), hard labels in
BCE, Adadelta's sign(g), Kaiming normal divided by sqrt 3, Xavier from U(0, b) and clipped, a relative error
with a global denominator and a floor of 1e-3, a numerical gradient divided by h). Ids start with ``hsx-``. The
``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading, from the existing
vocabulary.

Blind rate, measured before anybody read the set (session 16, on the tree that taught set W, each bug graded in the
grader's sandbox): 54/73 named (74 %), 71/73 caught, 12 flagged misleading. Of the 12, 10 were the right diagnosis
under another tag (added to their ``expect`` after reading the sentence); 2 were wrong claims (listed in UNMENDED):
the pooling output width computed with the height's stride, whose backward crash was read as slices without an end;
fan_in_and_fan_out's receptive field as shape[2] * shape[-1], read on a 3-D weight (where it is shape[2] ** 2) as a
square kernel assumed. Not caught (UNCAUGHT): tanh's gain as 5 // 3 (no graded case draws Kaiming with
nonlinearity 'tanh'), and early stopping's walk over the layers that does not recurse into nested containers (so a
nested BatchNorm's buffers are never saved or restored; the rig had no nested container). Before grading, the lead
re-attributed the two calculate_gain bugs to init.kaiming_normal (calculate_gain is graded through the Kaiming
initialisers, not as a component of its own). Taught in sessions 16 and 17 (a Kaiming case with nonlinearity tanh; a
nested container in the early-stopping rig; a parameter gradient rebound to another shape read as assigned, not added).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug

fresh = partial(held_apart_bug, "hsx-")  # set X

ACTIVATIONS = [
    fresh(
        "hsx-prelu-channel-grad-sums-last-axis",
        "activations.PReLU",
        (
            "the per-channel gradient is summed over axis 0 and then the last axis: right for (N, C, L) "
            "only; sum over every axis except the channel axis 1"
        ),
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.sum(axis=0).sum(axis=-1)\n",
        ),
        expect=("prelu-grad-wrong-axes", "gradient-summed-over-wrong-axes", "fixed-number-of-axes"),
        phrases=("channel", "axis"),
    ),
    fresh(
        "hsx-maxout-grad-x-weight-transposed",
        "activations.Maxout",
        (
            "grad_x contracts grad_z with the weight read as (K, D, M): weight is (K, M, D), grad_x = sum_k "
            "grad_z[:, k] @ weight[k]"
        ),
        (
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            '        return np.einsum("nkj,kdj->nd", grad_z, self.weight.data)\n',
        ),
        expect=("transposed", "contracted-wrong-axis"),
        phrases=("transpose",),
    ),
    fresh(
        "hsx-prelu-init-int",
        "activations.PReLU",
        ("the slopes are filled with int(init): 0.25 becomes 0 and the weight an integer array; use float(init)"),
        (
            "        self.weight = Parameter(np.full(self.num_parameters, float(init)))\n",
            "        self.weight = Parameter(np.full(self.num_parameters, int(init)))\n",
        ),
        expect=("int-truncates-hyperparameter", "integer-dtype", "rounded-values"),
        phrases=("float", "init"),
    ),
    fresh(
        "hsx-prelu-slope-shape-one-axis-short",
        "activations.PReLU",
        (
            "the broadcast shape has one trailing 1 too few, (1, C) + (1,) * (ndim - 3): the slopes line up "
            "with the wrong axis for 3-D and 4-D input; use ndim - 2"
        ),
        (
            "        return (1, self.num_parameters) + (1,) * (ndim - 2)\n",
            "        return (1, self.num_parameters) + (1,) * (ndim - 3)\n",
        ),
        expect=("prelu-slope-broadcast", "slice-off-by-one", "broadcast-wrong-axis"),
        phrases=("channel", "broadcast"),
    ),
    fresh(
        "hsx-check-dim-rejects-negative",
        "activations.Softmax",
        (
            "the axis check accepts only 0 <= dim < ndim: negative dims (the default -1) are valid axes, "
            "-ndim <= dim < ndim"
        ),
        (
            "    if not -x.ndim <= dim < x.ndim:\n",
            "    if not 0 <= dim < x.ndim:\n",
        ),
        expect=("axis-renumbered", "default-changed", "valid-input-refused"),  # the last added after reading output
        phrases=("negative", "dim"),
    ),
    fresh(
        "hsx-maxout-won-axes-permuted",
        "activations.Maxout",
        "the winner mask is built (N, M, K) while grad_z is (N, K, M): the piece axis is 1",
        (
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n",
            "        won = self._argmax[:, :, None] == np.arange(self.pieces)[None, None, :]\n",
        ),
        expect=("axes-permuted", "maxout-wrong-axis"),
        phrases=("piece", "axis"),
    ),
    fresh(
        "hsx-step-backward-identity",
        "activations.Step",
        "the step's backward passes grad_y through (straight-through): the step is flat, its gradient is zero",
        (
            "        return np.zeros_like(grad_y)\n",
            "        return grad_y.copy()\n",
        ),
        expect=(
            "derivative-wrong-form",
            "formula-wrong",
            "returned-the-upstream-gradient-grad_y",
        ),  # added after reading output
        phrases=("zero",),
    ),
    fresh(
        "hsx-prelu-shared-grad-overwritten",
        "activations.PReLU",
        "the shared slope's gradient is assigned, not accumulated: gradients add up over backward calls",
        (
            "            self.weight.grad += contribution.sum()\n",
            "            self.weight.grad = contribution.sum()\n",
        ),
        expect=("grad-overwritten", "assigned-not-accumulated"),
        phrases=("accumulate",),
    ),
    fresh(
        "hsx-prelu-channels-checked-on-last-axis",
        "activations.PReLU",
        "the channel count is checked on the last axis: channels are axis 1",
        (
            '            check_feature_size(x, 1, self.num_parameters, "PReLU", "channels")\n',
            '            check_feature_size(x, -1, self.num_parameters, "PReLU", "channels")\n',
        ),
        expect=("axis-renumbered", "channels-last-layout"),
        phrases=("axis 1", "channel"),
    ),
    fresh(
        "hsx-relu-backward-leaky",
        "activations.ReLU",
        "backward lets 0.01 grad_y through for inactive units (a leaky ReLU's): ReLU's gradient is 0 there",
        (
            "        return np.where(self._mask, grad_y, 0.0)\n",
            "        return np.where(self._mask, grad_y, 0.01 * grad_y)\n",
        ),
        # added after reading output (tag-vocabulary audit): relu-backward-leaky
        expect=("formula-wrong", "forward-backward-mismatch", "relu-backward-leaky"),
        phrases=("zero",),
    ),
    fresh(
        "hsx-gelu-tanh-backward-half-dropped",
        "activations.GELU",
        "the first term of the tanh form's derivative is (1 + t) instead of (1 + t) / 2",
        (
            "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
            "            return grad_y * ((1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
        ),
        expect=("formula-constant", "half"),
        phrases=("1/2", "half"),
    ),
]

LAYERS = [
    fresh(
        "hsx-output-side-true-division",
        "layers.Conv2d",
        "the output size uses / instead of //: H' = 1 + (H + 2p - k) // s must be a whole number of windows",
        (
            "    return 1 + (size + 2 * pad - kernel) // stride\n",
            "    return 1 + (size + 2 * pad - kernel) / stride\n",
        ),
        expect=("true-division-for-count", "output-size-formula", "integer-division"),
        phrases=("//", "floor"),
    ),
    fresh(
        "hsx-bn2d-bessel-count-is-batch",
        "layers.BatchNorm2d",
        (
            "the running variance's Bessel factor uses N / (N - 1): the variance is over N*H*W values per "
            "channel, so count = N*H*W"
        ),
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "count = x.size // self.num_features",
                        "count = x.shape[0]",
                    ),
                ]
            },
        ),
        expect=(
            "batch-size-as-count",
            "bessel-correction",
            "bn-unbiased-variance",
            "bn-biased-running-var",
        ),  # added after reading output
        phrases=("count", "H"),
    ),
    fresh(
        "hsx-bn1d-eval-uses-running-std",
        "layers.BatchNorm1d",
        (
            "in eval mode the square root of the running variance is used as the variance: normalise with "
            "running_var + eps under the square root"
        ),
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "mean, var = self.running_mean, self.running_var",
                        "mean, var = self.running_mean, np.sqrt(self.running_var)",
                    ),
                ]
            },
        ),
        expect=("variance-as-std", "bn-std-for-variance"),
        phrases=("variance", "running"),
    ),
    fresh(
        "hsx-bn2d-batch-mean-keepdims",
        "layers.BatchNorm2d",
        (
            "the batch mean is kept with keepdims=True, (1, C, 1, 1), and then added into the (C,) running "
            "mean in place, which cannot hold it; the statistics are (C,) vectors"
        ),
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "mean = x.mean(axis=axes)",
                        "mean = x.mean(axis=axes, keepdims=True)",
                    ),
                ]
            },
        ),
        expect=(
            "keepdims-misuse",
            "wrong-shape",
            "length-one-axis",
        ),  # added after reading output
        phrases=("keepdims", "running"),
    ),
    fresh(
        "hsx-conv-backward-padding-from-stride",
        "layers.Conv2d",
        "backward unpacks the stride as padding: the gradient is cut by the stride instead of the padding",
        (
            "        (kH, kW), (pH, pW) = self.kernel_size, self.padding\n",
            "        (kH, kW), (pH, pW) = self.kernel_size, self.stride\n",
        ),
        expect=("wrong-hyperparameter", "padding-slice-bounds", "copy-paste"),
        phrases=("padding",),
    ),
    fresh(
        "hsx-pool-output-width-stride-sh",
        "layers.MaxPool2d",
        "the output width uses sH instead of sW",
        (
            "        Ho, Wo = _output_side(x.shape[2], kH, sH, 0), _output_side(x.shape[3], kW, sW, 0)\n",
            "        Ho, Wo = _output_side(x.shape[2], kH, sH, 0), _output_side(x.shape[3], kW, sH, 0)\n",
        ),
        # added after reading output (tag-vocabulary audit): output-size-ambiguous
        expect=("copy-paste", "stride-height-width-swapped", "output-size-ambiguous"),
        phrases=("stride", "width"),
    ),
    fresh(
        "hsx-dropout-mask-per-sample",
        "layers.Dropout",
        "one draw per sample (N, 1): whole rows are dropped; the mask is drawn entry-wise, shaped like x",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.random(x.shape[0])[:, None] >= self.p\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-mask-shared-across-features
        expect=("dropout-mask-shape", "dropout-one-draw", "dropout-mask-shared-across-features"),
        phrases=("entry", "shape"),
    ),
    fresh(
        "hsx-bn1d-bias-not-reshaped",
        "layers.BatchNorm1d",
        (
            "the shift beta (C,) is added without reshaping to (1, C, 1): on (N, C, L) input it broadcasts "
            "along L, not the channels"
        ),
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "+ self.bias.data.reshape(shape)",
                        "+ self.bias.data",
                    ),
                ]
            },
        ),
        expect=("bn2d-affine-not-reshaped", "broadcast-wrong-axis"),
        phrases=("reshape", "channel"),
    ),
    fresh(
        "hsx-bn2d-eval-backward-no-inv-std",
        "layers.BatchNorm2d",
        "in eval mode backward returns grad_y * gamma without dividing by sqrt(running_var + eps)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "grad_x = grad_x_hat * self._inv_std  # running statistics are constants",
                        "grad_x = grad_x_hat  # running statistics are constants",
                    ),
                ]
            },
        ),
        expect=(
            "formula-wrong",
            "bn-eval-backward-batch-terms",
            "bn-backward-missing-inv-std",
        ),  # added after reading output
        phrases=("running", "eval"),
    ),
    fresh(
        "hsx-bn1d-bessel-count-plus-one",
        "layers.BatchNorm1d",
        "the running variance is scaled by count / (count + 1): the unbiased estimate is count / (count - 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "(count / (count - 1))",
                        "(count / (count + 1))",
                    ),
                ]
            },
        ),
        expect=("bessel-correction", "bn-unbiased-variance", "sign-flipped"),
        phrases=("count - 1", "unbiased"),
    ),
    fresh(
        "hsx-linear-y-shape-transposed",
        "layers.Linear",
        "the saved output shape is (M, N): backward then rejects every grad_y of the output's shape (N, M)",
        (
            "        self._y_shape = (x.shape[0], self.out_features)\n",
            "        self._y_shape = (self.out_features, x.shape[0])\n",
        ),
        expect=("transposed-shape", "wrong-shape"),
        phrases=("shape",),
    ),
    fresh(
        "hsx-avgpool-share-kh-plus-kw",
        "layers.AvgPool2d",
        "backward divides by kH + kW: the window holds kH * kW entries (equal only for 2 x 2)",
        (
            "        share = grad_y / (kH * kW)\n",
            "        share = grad_y / (kH + kW)\n",
        ),
        expect=("avgpool-divisor", "sum-for-product"),
        phrases=("kH * kW",),
    ),
    fresh(
        "hsx-flatten-size-first-and-last",
        "layers.Flatten",
        (
            "the flat size is shape[1] * shape[-1]: right for 3-D, wrong for 4-D; it is the product of every "
            "axis after the first"
        ),
        (
            "        self._y_shape = (x.shape[0], math.prod(x.shape[1:]))\n",
            "        self._y_shape = (x.shape[0], x.shape[1] * x.shape[-1])\n",
        ),
        expect=("fixed-number-of-axes", "receptive-field-partial"),
        phrases=("product",),
    ),
    fresh(
        "hsx-conv-check-ignores-padding",
        "layers.Conv2d",
        ("the size check ignores padding: a kernel larger than the input fits once padded; compare with H + 2 pH"),
        (
            "        if H + 2 * pH < kH or W + 2 * pW < kW:\n",
            "        if H < kH or W < kW:\n",
        ),
        expect=("padding-slice-bounds", "hyperparameter-ignored"),
        phrases=("padding",),
    ),
    fresh(
        "hsx-bn2d-bessel-on-mean",
        "layers.BatchNorm2d",
        ("the Bessel factor count / (count - 1) is applied to the running mean too: only the variance is corrected"),
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "self.running_mean += m * mean",
                        "self.running_mean += m * mean * (count / (count - 1))",
                    ),
                ]
            },
        ),
        expect=(
            "bessel-correction",
            "copy-paste",
            "bn-bessel-on-mean",
        ),  # added after reading output
        phrases=("mean",),
    ),
    fresh(
        "hsx-flatten-rejects-2d",
        "layers.Flatten",
        "the check rejects 2-D input (ndim <= 2): (N, D) is valid and stays (N, D)",
        (
            "        if x.ndim < 2:\n",
            "        if x.ndim <= 2:\n",
        ),
        # added after reading output (tag-vocabulary audit): comparison-off-by-one
        expect=("slice-off-by-one", "loop-off-by-one", "comparison-off-by-one"),
        phrases=("2-D", "ndim"),
    ),
    fresh(
        "hsx-dropout-rng-ignored",
        "layers.Dropout",
        "the rng argument is ignored: masks must come from the generator passed in",
        (
            "        self.rng = default_generator() if rng is None else rng\n",
            "        self.rng = default_generator()\n",
        ),
        expect=("rng-ignored", "hyperparameter-ignored"),
        phrases=("rng",),
    ),
    fresh(
        "hsx-bn1d-normalise-by-std-as-var",
        "layers.BatchNorm1d",
        "the batch statistic is the std, used as the variance: normalise by sqrt(var + eps)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "var = x.var(axis=axes)",
                        "var = x.std(axis=axes)",
                    ),
                ]
            },
        ),
        # added after reading output (tag-vocabulary audit): bn-running-std-not-var
        expect=("std-as-variance", "bn-std-for-variance", "bn-running-std-not-var"),
        phrases=("variance",),
    ),
]

LOSSES = [
    fresh(
        "hsx-bcelogits-backward-divided-by-features",
        "losses.BCEWithLogitsLoss",
        "the gradient is divided by the last axis' length: divide by the number of entries M",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        return (self._s - self._t) / self._s.shape[-1]\n",
        ),
        expect=(
            "divided-by-features",
            "loss-denominator",
            "times-batch-size",
        ),  # added after reading output
        phrases=("entries", "size"),
    ),
    fresh(
        "hsx-hinge-max-over-classes",
        "losses.HingeLoss",
        (
            "the loss takes the largest margin violation per sample (Crammer-Singer): the Weston-Watkins "
            "loss sums over j != y"
        ),
        (
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        loss = np.maximum(slack, 0.0).max(axis=1).mean()\n",
        ),
        expect=(
            "formula-wrong",
            "max-of-sum-as-sum-of-max",
            "hinge-max-not-sum",
        ),  # added after reading output
        phrases=("sum",),
    ),
    fresh(
        "hsx-mse-backward-divided-by-rows",
        "losses.MSELoss",
        "the gradient is divided by the number of rows: M is the number of entries",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return 2.0 * self._diff / self._diff.shape[0]\n",
        ),
        expect=("len-for-size", "mse-grad-divided-by-batch"),
        phrases=("entries",),
    ),
    fresh(
        "hsx-hinge-grad-divided-by-size",
        "losses.HingeLoss",
        "the gradient is divided by N * C: divide by N",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n        return grad / N\n",
            ("        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n        return grad / grad.size\n"),
        ),
        # added after reading output (tag-vocabulary audit): hinge-divided-by-classes
        expect=("divided-by-features", "loss-denominator", "hinge-divided-by-classes"),
        phrases=("N",),
    ),
    fresh(
        "hsx-mse-backward-sign-only",
        "losses.MSELoss",
        "backward returns sign(x - t) / M, L1's gradient: MSE's is 2 (x - t) / M",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return np.sign(self._diff) / self._diff.size\n",
        ),
        expect=("derivative-is-sign", "formula-wrong"),
        phrases=("2 (x - t)",),
    ),
    fresh(
        "hsx-bce-backward-t-in-denominator",
        "losses.BCELoss",
        "the denominator is p (1 - t): dL/dp = (p - t) / (p (1 - p))",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / np.maximum(p * (1.0 - t), BCE_GRAD_EPS) / p.size\n",
        ),
        expect=("copy-paste", "formula-wrong"),
        phrases=("1 - p",),
    ),
    fresh(
        "hsx-bce-hard-label-select",
        "losses.BCELoss",
        ("the loss picks log p or log(1 - p) by t > 0.5: soft targets weight both terms, t log p + (1 - t) log(1 - p)"),
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = -np.mean(np.where(t > 0.5, log_p, log_1mp))\n",
        ),
        expect=("bce-hard-labels-only",),
        phrases=("soft", "target"),
    ),
    fresh(
        "hsx-hinge-compared-with-row-max",
        "losses.HingeLoss",
        "the slack compares each score with the row's maximum, not with the true class' score",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
            "        slack = x - x.max(axis=1, keepdims=True) + self.margin\n",
        ),
        # added after reading output (tag-vocabulary audit): hinge-compared-with-row-max
        expect=("formula-wrong", "labels-index-rows", "hinge-compared-with-row-max"),
        phrases=("true class",),
    ),
]

OPTIMIZERS = [
    fresh(
        "hsx-rmsprop-centered-grad-avg-no-decay-weight",
        "optimizers.RMSprop",
        (
            "centered: the gradient average adds g without the (1 - alpha) factor: grad_avg = alpha * "
            "grad_avg + (1 - alpha) * g"
        ),
        (
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
            '                state["grad_avg"] = a * state["grad_avg"] + g\n',
        ),
        expect=("average-weight-missing", "centered-variance-formula"),
        phrases=("centered", "alpha"),
    ),
    fresh(
        "hsx-adam-amsgrad-max-with-itself",
        "optimizers.Adam",
        (
            "amsgrad takes the maximum of exp_avg_sq with v, which is exp_avg_sq: the maximum must be with "
            "the stored max_exp_avg_sq"
        ),
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.maximum(state["exp_avg_sq"], v)\n',
        ),
        expect=("compared-with-itself", "amsgrad-wrong-operand", "amsgrad-ignored"),
        phrases=("amsgrad", "max"),
    ),
    fresh(
        "hsx-adam-eps-inside-sqrt",
        "optimizers.Adam",
        "eps is added under the square root: denom = sqrt(v) / sqrt(1 - beta2^t) + eps, eps outside",
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt(v / bias_correction2 + self.eps)\n",
        ),
        expect=(
            "eps-outside-sqrt",
            "formula-wrong",
            "eps-inside-sqrt",
        ),  # added after reading output
        phrases=("eps", "sqrt"),
    ),
    fresh(
        "hsx-adadelta-decay-in-place-on-grad",
        "optimizers.Adadelta",
        "the weight decay is added into g in place: g is p.grad itself; use g = g + wd * p",
        (
            '                g = g + self.weight_decay * p.data\n            state["square_avg"] = rho',
            '                g += self.weight_decay * p.data\n            state["square_avg"] = rho',
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("in place", "grad"),
    ),
    fresh(
        "hsx-rmsprop-centered-no-sqrt",
        "optimizers.RMSprop",
        "centered: avg is the variance itself; take its square root, sqrt(v - g_avg^2) + eps",
        (
            "                avg = np.sqrt(variance) + self.eps\n",
            "                avg = variance + self.eps\n",
        ),
        expect=("sqrt-missing", "centered-variance-formula"),
        phrases=("sqrt", "centered"),
    ),
    fresh(
        "hsx-adadelta-lr-inside-delta",
        "optimizers.Adadelta",
        (
            "lr is folded into delta and applied again in the step (and accumulated into acc_delta): lr "
            "scales only the step"
        ),
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = self.lr * np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        ),
        expect=("lr-applied-twice", "hyperparameter-overwritten"),
        phrases=("lr",),
    ),
    fresh(
        "hsx-adamw-eps-dropped",
        "optimizers.AdamW",
        "AdamW does not pass eps on to Adam: a non-default eps is ignored",
        (
            (
                "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, "
                "amsgrad=amsgrad)\n"
            ),
            ("        super().__init__(params, lr=lr, betas=betas, weight_decay=weight_decay, amsgrad=amsgrad)\n"),
        ),
        expect=(
            "hyperparameter-ignored",
            "eps-default",
        ),  # added after reading output
        phrases=("eps",),
    ),
    fresh(
        "hsx-sgd-nesterov-flag-not-none",
        "optimizers.SGD",
        (
            "nesterov is stored as `nesterov is not None`: False is not None, so every momentum run uses "
            "Nesterov; store bool(nesterov)"
        ),
        (
            "        self.nesterov = bool(nesterov)\n",
            "        self.nesterov = nesterov is not None\n",
        ),
        expect=("flag-tested-against-none", "hyperparameter-ignored"),
        phrases=("nesterov",),
    ),
    fresh(
        "hsx-sgd-default-dampening",
        "optimizers.SGD",
        "the default dampening is 0.1: PyTorch's SGD has dampening 0",
        (
            "        dampening: float = 0.0,\n",
            "        dampening: float = 0.1,\n",
        ),
        expect=("default-changed",),
        phrases=("dampening", "default"),
    ),
    fresh(
        "hsx-sgd-step-uses-buffer-always",
        "optimizers.SGD",
        (
            "the step subtracts lr * buf after the momentum block: with nesterov the look-ahead g is "
            "ignored, without momentum buf does not exist"
        ),
        (
            "            p.data -= self.lr * g\n",
            "            p.data -= self.lr * buf\n",
        ),
        # added after reading output (tag-vocabulary audit): unbound-local
        expect=("nesterov-ignored", "wrong-hyperparameter", "unbound-local"),
        phrases=("nesterov",),
    ),
    fresh(
        "hsx-adagrad-lr-decay-sqrt",
        "optimizers.Adagrad",
        ("the decayed rate divides by the square root of 1 + (t - 1) lr_decay: it is lr / (1 + (t - 1) lr_decay)"),
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay) ** 0.5\n",
        ),
        # added after reading output (tag-vocabulary audit): lr-decay-square-root
        expect=("lr-decay", "formula-wrong", "lr-decay-square-root"),
        phrases=("lr_decay",),
    ),
    fresh(
        "hsx-adagrad-decay-uses-weight-decay",
        "optimizers.Adagrad",
        "the learning-rate decay uses weight_decay instead of lr_decay",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr / (1.0 + (self.t - 1) * self.weight_decay)\n",
        ),
        expect=("wrong-hyperparameter", "lr-decay-ignored"),
        phrases=("lr_decay",),
    ),
    fresh(
        "hsx-adagrad-sum-of-abs",
        "optimizers.Adagrad",
        "the accumulator adds |g| instead of g^2",
        (
            '            state["sum"] = state["sum"] + g * g\n',
            '            state["sum"] = state["sum"] + np.abs(g)\n',
        ),
        expect=("gradient-not-squared", "formula-wrong"),
        phrases=("square",),
    ),
    fresh(
        "hsx-rmsprop-momentum-threshold-one",
        "optimizers.RMSprop",
        "the momentum branch runs only for momentum > 1: any momentum > 0 uses the buffer",
        (
            "            if self.momentum > 0:\n",
            "            if self.momentum > 1:\n",
        ),
        expect=("momentum-ignored", "hyperparameter-ignored"),
        phrases=("momentum",),
    ),
    fresh(
        "hsx-adam-t-not-incremented-first",
        "optimizers.Adam",
        (
            "t is incremented after the bias corrections are computed: at the first step 1 - beta^0 = 0 "
            "divides by zero; increment first"
        ),
        (
            (
                "        self.t += 1\n        bias_correction1 = 1.0 - beta1**self.t\n        "
                "bias_correction2 = 1.0 - beta2**self.t\n"
            ),
            (
                "        bias_correction1 = 1.0 - beta1**self.t\n        bias_correction2 = 1.0 - "
                "beta2**self.t\n        self.t += 1\n"
            ),
        ),
        expect=("bias-correction-t-zero", "step-count-off-by-one", "order-changed"),
        phrases=("t",),
    ),
    fresh(
        "hsx-adam-second-moment-scalar",
        "optimizers.Adam",
        "the second moment uses the mean of g^2 over the parameter: it is per coordinate",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * np.mean(g * g)\n',
        ),
        expect=("not-per-coordinate",),
        phrases=("coordinate", "entry"),
    ),
    fresh(
        "hsx-adadelta-step-sign-of-g",
        "optimizers.Adadelta",
        "the update multiplies by sign(g) instead of g: delta = sqrt(u + eps) / sqrt(v + eps) * g",
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * np.sign(g)\n',
        ),
        expect=("sign-for-step", "formula-wrong"),
        phrases=("sign",),
    ),
]

INIT = [
    fresh(
        "hsx-xavier-uniform-from-zero",
        "init.xavier_uniform",
        "the weights are drawn from U(0, b): Xavier uniform is U(-b, b), centred on 0",
        (
            (
                "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n    weight = "
                "rng.uniform(-bound, bound, size=shape)\n"
            ),
            (
                "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n    weight = "
                "rng.uniform(0.0, bound, size=shape)\n"
            ),
        ),
        expect=("uniform-bound", "sign-lost", "not-centred"),
        phrases=("-b",),
    ),
    fresh(
        "hsx-kaiming-uniform-mode-inverted",
        "init.kaiming_uniform",
        "mode is tested against 'fan_out' for fan_in: mode='fan_in' uses fan_in",
        (
            (
                '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, '
                "a)\n    std = gain / math.sqrt(fan)\n    bound"
            ),
            (
                '    fan = fan_in if mode == "fan_out" else fan_out\n    gain = calculate_gain(nonlinearity, '
                "a)\n    std = gain / math.sqrt(fan)\n    bound"
            ),
        ),
        expect=("hyperparameter-inverted", "fans-swapped", "mode-ignored"),
        phrases=("mode", "fan_in"),
    ),
    fresh(
        "hsx-tanh-gain-integer-division",
        "init.kaiming_normal",  # calculate_gain is graded through the Kaiming initialisers
        "the tanh gain 5/3 is written 5 // 3 = 1: use true division",
        (
            "        return 5.0 / 3.0\n",
            "        return 5 // 3\n",
        ),
        expect=("integer-division", "floor-division", "formula-constant"),
        phrases=("5/3", "division"),
    ),
    fresh(
        "hsx-receptive-field-first-and-last",
        "init.fan_in_and_fan_out",
        (
            "the receptive field is shape[2] * shape[-1]: right for 4-D only; it is the product of every "
            "axis after the first two"
        ),
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = shape[2] * shape[-1] if len(shape) > 2 else 1\n",
        ),
        expect=("receptive-field-partial", "fixed-number-of-axes"),
        phrases=("receptive",),
    ),
    fresh(
        "hsx-leaky-gain-precedence",
        "init.kaiming_normal",  # calculate_gain is graded through the Kaiming initialisers
        "2 / 1 + slope^2: the leaky ReLU gain is sqrt(2 / (1 + slope^2))",
        (
            "        return math.sqrt(2.0 / (1.0 + slope**2))\n",
            "        return math.sqrt(2.0 / 1.0 + slope**2)\n",
        ),
        expect=("precedence", "formula-wrong"),
        phrases=("1 + slope",),
    ),
    fresh(
        "hsx-xavier-normal-clipped",
        "init.xavier_normal",
        "the normal draws are clipped to +-2 std: xavier_normal is an untruncated N(0, std^2)",
        (
            ("    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n"),
            (
                "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, "
                "size=shape).clip(-2 * std, 2 * std)\n"
            ),
        ),
        expect=("truncated-normal", "output-clipped"),
        phrases=("normal", "clip"),
    ),
    fresh(
        "hsx-kaiming-normal-std-over-sqrt3",
        "init.kaiming_normal",
        (
            "the normal's std is divided by sqrt(3), the uniform bound's conversion applied backwards: "
            "kaiming_normal draws N(0, (gain / sqrt(fan))^2)"
        ),
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            ("    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std / math.sqrt(3.0), size=shape)\n"),
        ),
        expect=("uniform-normal-confused", "formula-constant"),
        phrases=("sqrt(3)", "normal"),
    ),
    fresh(
        "hsx-kaiming-normal-fan-max",
        "init.kaiming_normal",
        "the fan is max(fan_in, fan_out) whatever the mode: mode='fan_in' uses fan_in, 'fan_out' fan_out",
        (
            (
                '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, '
                "a)\n    std = gain / math.sqrt(fan)\n    weight"
            ),
            (
                "    fan = max(fan_in, fan_out)\n    gain = calculate_gain(nonlinearity, a)\n    std = gain "
                "/ math.sqrt(fan)\n    weight"
            ),
        ),
        expect=("mode-ignored", "fans-swapped"),
        phrases=("mode", "fan_in"),
    ),
]

OTHERS = [
    fresh(
        "hsx-relerr-global-denominator",
        "gradcheck.relative_error",
        (
            "the floor and denominator use the largest |a| + |b| over the array: the ratio is per entry, |a "
            "- b| / max(1e-8, |a| + |b|)"
        ),
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / max(1e-8, np.max(np.abs(a) + np.abs(b)))\n",
        ),
        expect=("norm-not-entrywise", "matrix-norm"),
        phrases=("entry",),
    ),
    fresh(
        "hsx-early-stopping-modules-not-recursive",
        "early_stopping.fit_early_stopping",
        (
            "_modules lists only the direct layers, not the layers of nested containers: a nested "
            "BatchNorm's running statistics are not saved or restored"
        ),
        (
            "        found.extend(_modules(layer))\n",
            "        found.append(layer)\n",
        ),
        expect=("not-restored", "state-not-saved", "buffers-not-restored"),  # added after reading output
        phrases=("nested", "running"),
    ),
    fresh(
        "hsx-perceptron-lr-int",
        "models.Perceptron",
        "the learning rate is stored as int(lr): 0.5 becomes 0 and nothing learns",
        (
            "        self.lr = float(lr)\n",
            "        self.lr = int(lr)\n",
        ),
        expect=("int-truncates-hyperparameter", "rounded-values"),
        phrases=("float", "lr"),
    ),
    fresh(
        "hsx-early-stopping-batch-size-dropped",
        "early_stopping.fit_early_stopping",
        "each epoch's fit is called with batch_size None: the caller's batch size is ignored",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, None, shuffle, rng)\n",
        ),
        expect=("hyperparameter-ignored", "fit-arguments"),
        phrases=("batch_size",),
    ),
    fresh(
        "hsx-early-stopping-restores-train-inverted",
        "early_stopping.fit_early_stopping",
        ("the mode is restored with `if not was_training`: a model in training is left in eval mode after validation"),
        (
            "        if was_training:\n            model.train()\n",
            "        if not was_training:\n            model.train()\n",
        ),
        expect=("left-in-eval-mode", "not-restored", "train-eval"),
        phrases=("train", "eval"),
    ),
    fresh(
        "hsx-minibatches-x-squeezed",
        "training.minibatches",
        "each X batch is squeezed: a batch of one sample loses its batch axis; batches keep shape (b, ...)",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.append((X[start : start + size].squeeze(), y[start : start + size]))\n",
        ),
        expect=("squeezed-output", "batch-axis-dropped", "length-one-axis"),
        phrases=("batch axis", "squeeze"),
    ),
    fresh(
        "hsx-numgrad-divided-by-h-only",
        "gradcheck.numerical_gradient",
        "the central difference is divided by h: the probes are 2h apart",
        (
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        grad[index] = (f_plus - f_minus) / h\n",
        ),
        expect=(
            "numgrad-divisor",
            "times-two",
            "central-over-h",
        ),  # added after reading output
        phrases=("2h", "central"),
    ),
    fresh(
        "hsx-sequential-eval-flag-true",
        "models.Sequential",
        "eval() sets the container's flag True (copied from train)",
        (
            "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
            "        self.training = True\n        for layer in self.layers:\n            layer.eval()\n",
        ),
        expect=("copy-paste", "train-eval"),
        phrases=("training",),
    ),
    fresh(
        "hsx-relerr-floor-1e-3",
        "gradcheck.relative_error",
        "the floor is 1e-3: the API's floor is 1e-8",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-3, np.abs(a) + np.abs(b))\n",
        ),
        expect=("floor-wrong-magnitude", "formula-constant"),
        phrases=("1e-8",),
    ),
    fresh(
        "hsx-fit-shuffle-not-passed",
        "training.fit",
        "minibatches is called with shuffle=False: the caller's shuffle is ignored",
        (
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "        for X_batch, y_batch in minibatches(X, y, batch_size, False, rng):\n",
        ),
        expect=("shuffle-ignored", "hyperparameter-ignored"),
        phrases=("shuffle",),
    ),
    fresh(
        "hsx-minibatches-y-inverse-permutation",
        "training.minibatches",
        "y is reordered by the inverse permutation order.argsort(): X and y must use the same order",
        (
            "        X, y = X[order], y[order]\n",
            "        X, y = X[order], y[order.argsort()]\n",
        ),
        expect=("unpaired-shuffle", "not-a-permutation"),
        phrases=("pair", "same"),
    ),
]

FRESH_X: list[Mutant] = ACTIVATIONS + LAYERS + LOSSES + OPTIMIZERS + INIT + OTHERS
