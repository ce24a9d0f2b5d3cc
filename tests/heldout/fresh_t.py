"""Held-apart set T: fresh student bugs, written blind after sets A to S had been seen.

Sets A (``HELDOUT``) to S (``FRESH_S``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set T was written blind: its author read the reference (reference/*.py)
and its docstrings for the API's conventions (not docs/api.md), sets Q, R and S (for the format and to avoid their
bugs; their ids were listed to see what they did), the ``expect`` tags of the catalogue (graders/mutants)
and of tests/heldout (for the tag vocabulary, not the catalogue's edits), and of
tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts. The author never read the diagnosis
(graders/judging, graders/reporting, graders/running, graders/selfcheck, graders/runner.py), tests/evidence.py,
the feedback audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/*.json, the
grader's feedback or its output, and graded none of these bugs. About 180 candidates were written;
/work/tools/check_set.py found some 100 of them to be copies of catalogue or earlier bugs (the catalogue is
dense), and those were dropped. Two more were dropped: a Linear forward written (W @ x.T).T, which is in
fact correct, and Nesterov's look-ahead built from the dampened gradient, which the API cannot show (Nesterov
requires dampening 0). Every remaining edit was applied and its module compiled, and every one was run, in
its own package copy, by a script of the author's own on small inputs beside the reference (2-D, 3-D and
4-D inputs, 1-D input, logits of +-800, rectangular kernels and strides, padding, bias=False, p = 0, 0.3 and
1 in Dropout, eval mode, a second forward and backward, BCE with p = 0 and 1 and soft targets, (N, 1)
targets, several hyper-parameter settings of every optimizer, 2-D, 3-D and 4-D weight shapes, shuffled and
unshuffled minibatches, nested Sequentials, the caller's arrays checked afterwards): each changes a result
or raises (none went through the grader).

About two thirds are classes the catalogue and the earlier sets hardly touch: numpy and Python semantics
(Tanh's derivative squared with np.dot; ReLU's mask from np.heaviside(x, 1); Softmax's sum re-expanded with
``[..., None]``; Flatten assigning ``x.shape``; Dropout's ``1 / (1 - p) if p else 0`` for p = 0; Dropout's
mask from ``rng.integers(0, 2)`` and from ``rng.binomial(1, p)``; BatchNorm1d adding eps in place into the
running variance in eval; BatchNorm2d's Bessel factor with ``//`` and the running mean rebound to the
mutated batch mean; Conv2d's weight gradient written with ``[...] =``; SGD's state dict rebound in the loop;
AdamW decaying a rebound local copy; amsgrad's maximum against ``.max()`` of all entries; minibatches from
a fresh ``default_rng(0)``; Sequential.train through an unconsumed ``map`` and parameters() appending lists;
the Perceptron's weight updated in place; numerical_gradient probing f(x + h) and iterating
``ndindex(shape[::-1])``), hyper-parameters on non-default paths (Softplus' threshold times beta; RMSprop's
momentum buffer averaged, left unused, and the centered mean updated after the variance; Adadelta's rho
complemented and its square average not decayed; Adagrad's accumulator restarted each step and squared after
adding; Kaiming uniform's mode inverted and its nonlinearity hard-coded; Hinge's active set beyond the
margin; early stopping's patience counting the improving epoch), and conventions and formulas remembered
wrongly (GELU tanh's derivative 1 - t; SiLU without the s term; LogSoftmax's backward in softmax's form and
its saved probabilities from the unshifted exp; Softplus' stable form with e^z; Conv2d's flipped kernel, its
kernel transposed and grad_y reshaped without transposing; AvgPool's offsets times the stride and windows
without the stride; MaxPool on |x|; BCE's backward without its floor; Xavier's gain twice, without the 2 and
with sqrt 3 in the normal; Xavier normal drawn uniform; Kaiming's bound equal to the std and He's sqrt 2 on
top of the gain; the fans adding the receptive field; the relative error over |a + b| and over
max(|a|, |b|)). About one third are known classes in a new code shape or on a new component. Ids start with
``hst-``. The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading,
taken from the existing vocabulary (no new tags); phrases are words any correct explanation would contain,
never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 15, on the tree that taught set S, each bug graded
in the grader's sandbox): 69/77 named (90 %), 76/77 caught, 11 flagged misleading. Of the 11, 9 were the right
diagnosis under another tag (added to their ``expect`` after reading the sentence); 2 were wrong claims (listed
in UNMENDED): Softplus's stable form with log1p(e^z), read at beta = 2 (where the numbers coincide) as the
division by beta reaching one term only; numerical_gradient evaluating f(x + h) after setting x[index], read on a
one-entry x as the central difference divided by h. The one not caught was removed afterwards (76 bugs now;
69/76 named): the Perceptron's ``self.weight +=`` updates its own weight in place, as every PyTorch optimizer
updates its parameters, which is no mistake under docs/api.md.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hst-")  # set T

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hst-prelu-shared-slope-grad-slice-assigned",
        "activations.PReLU",
        "the shared slope's gradient is written with weight.grad[:] = ..., overwriting what earlier backward "
        "calls accumulated: parameter gradients are summed (+=) until zero_grad",
        (
            "            self.weight.grad += contribution.sum()\n",
            "            self.weight.grad[:] = contribution.sum()\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("accumulat", "+="),
    ),
    fresh(
        "hst-softmax-sum-indexed-as-last-axis",
        "activations.Softmax",
        "the normaliser is e.sum(axis=dim)[..., None]: the new axis goes last, right only for dim = -1; "
        "for dim = 0 the sums are broadcast along the wrong axis (keepdims=True keeps it in place)",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / np.sum(e, axis=self.dim)[..., None]\n",
        ),
        expect=(
            "ellipsis-indexes-last-axes",
            "keepdims-misuse",
            "softmax-wrong-axis",
            "reduction-without-keepdims",
        ),  # added after reading output
        phrases=("axis", "keepdims"),
    ),
    fresh(
        "hst-relu-backward-mask-without-upstream",
        "activations.ReLU",
        "backward returns the local derivative (1 where x > 0, else 0) and drops grad_y: the chain rule passes "
        "grad_y through where x > 0",
        (
            "        return np.where(self._mask, grad_y, 0.0)\n",
            "        return np.where(self._mask, 1.0, 0.0)\n",
        ),
        expect=("ignores-upstream-gradient", "derivative-is-output"),
        phrases=("upstream", "grad_y"),
    ),
    fresh(
        "hst-relu-mask-heaviside-one-at-zero",
        "activations.ReLU",
        "the mask is np.heaviside(x, 1), which is 1 at x = 0: ReLU'(0) is 0 (PyTorch's convention), the mask is x > 0",
        (
            "        self._mask = x > 0\n",
            "        self._mask = np.heaviside(x, 1.0)\n",
        ),
        expect=("kink-derivative",),
        phrases=("zero", "kink"),
    ),
    fresh(
        "hst-tanh-backward-dot-product",
        "activations.Tanh",
        "y * y is written np.dot(y, y): a dot (matrix) product, not the entrywise square; tanh' = 1 - y**2 "
        "entry by entry",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        return grad_y * (1.0 - np.dot(self._y, self._y))\n",
        ),
        expect=("matmul-for-elementwise",),
        phrases=("element", "dot"),
    ),
    fresh(
        "hst-prelu-channel-grad-keeps-batch-axis",
        "activations.PReLU",
        "the per-channel slope gradient sums over the spatial axes 2.. only and keeps the batch axis: it is "
        "summed over every axis but the channel axis, axis 0 included",
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.sum(axis=tuple(range(2, contribution.ndim)))\n",
        ),
        expect=("prelu-grad-wrong-axes", "gradient-summed-over-wrong-axes", "not-summed-over-batch"),
        phrases=("batch", "channel"),
    ),
    fresh(
        "hst-elu-backward-slope-without-alpha",
        "activations.ELU",
        "the negative branch's slope is e^x without alpha: d/dx alpha (e^x - 1) = alpha e^x",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
            "        slope = np.exp(np.minimum(self._x, 0.0))\n",
        ),
        expect=("alpha-ignored", "formula-wrong", "hyperparameter-ignored"),  # added after reading output
        phrases=("alpha",),
    ),
    fresh(
        "hst-gelu-tanh-backward-derivative-not-squared",
        "activations.GELU",
        "the tanh form's backward uses 1 - t for the derivative of tanh: tanh'(u) = 1 - tanh(u)^2 = 1 - t * t",
        (
            "0.5 * xc * (1.0 - t * t) * inner_slope",
            "0.5 * xc * (1.0 - t) * inner_slope",
        ),
        expect=("tanh-derivative-not-squared",),
        phrases=("tanh", "squar"),
    ),
    fresh(
        "hst-silu-backward-sigmoid-term-dropped",
        "activations.SiLU",
        "backward keeps only x * sigmoid'(x) (through the Sigmoid's backward) and drops the s term: by the "
        "product rule d/dx x s(x) = s + x s (1 - s)",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return self._x * self._sigmoid.backward(grad_y)\n",
        ),
        expect=("product-rule-missing",),
        phrases=("product rule",),
    ),
    fresh(
        "hst-softplus-stable-form-exp-of-z",
        "activations.Softplus",
        "the stable form adds log1p(e^z) to max(z, 0): the identity is log(1 + e^z) = max(z, 0) + "
        "log1p(e^-|z|); with e^z the positive part is counted twice (and e^z overflows)",
        (
            "np.log1p(np.exp(-np.abs(z)))",
            "np.log1p(np.exp(z))",
        ),
        expect=("abs-missing-in-stable-form", "stable-form-term-missing"),
        phrases=("max", "exp"),
    ),
    fresh(
        "hst-softplus-threshold-scaled-by-beta",
        "activations.Softplus",
        "the linear region is beta x > threshold * beta: the threshold applies to beta x itself (PyTorch: "
        "beta * x > threshold)",
        (
            "        self._linear = z > self.threshold\n",
            "        self._linear = z > self.threshold * self.beta\n",
        ),
        expect=("softplus-threshold-on-x", "wrong-hyperparameter"),
        phrases=("threshold", "beta"),
    ),
    fresh(
        "hst-logsoftmax-backward-probability-weighted-sum",
        "activations.LogSoftmax",
        "backward subtracts p * sum(grad_y * p), softmax's form: for y = log softmax(x) the Jacobian product "
        "is grad_y - p * sum(grad_y)",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - self._p * np.sum(grad_y * self._p, axis=self.dim, keepdims=True)\n",
        ),
        expect=("jacobian-term-wrong", "logsoftmax-used-log-probabilities"),
        phrases=("sum", "softmax"),
    ),
    fresh(
        "hst-logsoftmax-saved-probs-from-unshifted-exp",
        "activations.LogSoftmax",
        "the probabilities saved for backward are e^x / sum e^x without the shift: e^x overflows for large "
        "logits (inf / inf = nan); use exp of the (shifted) result, p = e^y",
        (
            "        self._p = np.exp(y)\n",
            "        self._p = np.exp(x) / np.sum(np.exp(x), axis=self.dim, keepdims=True)\n",
        ),
        expect=("overflow", "logsoftmax-shift-mismatch"),
        phrases=("overflow", "shift"),
    ),
    fresh(
        "hst-maxout-weight-grad-averaged",
        "activations.Maxout",
        "the weight gradient is divided by the batch size: the loss has already averaged, a layer sums the "
        "per-sample contributions",
        (
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x) / len(self._x)\n',
        ),
        expect=("divided-by-batch-size", "grad-divided-by-batch"),
        phrases=("batch", "sum"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hst-linear-bias-grad-averaged-by-length",
        "layers.Linear",
        "the bias gradient is grad_y.sum(axis=0) / len(grad_y), an average: the loss already averaged, the "
        "layer sums the upstream gradient over the batch",
        (
            "            self.bias.grad += grad_y.sum(axis=0)\n",
            "            self.bias.grad += grad_y.sum(axis=0) / len(grad_y)\n",
        ),
        expect=("bias-mean-not-sum", "divided-by-batch-size", "grad-divided-by-batch"),
        phrases=("sum", "batch"),
    ),
    fresh(
        "hst-conv-bias-grad-over-channels",
        "layers.Conv2d",
        "the bias gradient sums grad_y over axes (1, 2, 3), i.e. over the output channels per sample: the "
        "bias of filter f collects grad_y[:, f] over the batch and every position, axes (0, 2, 3)",
        (
            "            self.bias.grad += G.sum(axis=1)\n",
            "            self.bias.grad += grad_y.sum(axis=(1, 2, 3))\n",
        ),
        expect=("sum-wrong-axis", "reduced-over-wrong-axes", "gradient-summed-over-wrong-axes"),
        phrases=("bias", "channel"),
    ),
    fresh(
        "hst-conv-forward-flipped-kernel",
        "layers.Conv2d",
        "forward flips the kernel (np.flip over kH, kW), the textbook convolution: Conv2d, like PyTorch, "
        "computes cross-correlation with the kernel as stored (backward assumes it too)",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
            "        y = np.flip(self.weight.data, axis=(2, 3)).reshape(self.out_channels, -1) @ self._cols\n",
        ),
        expect=("flipped-kernel", "forward-backward-mismatch"),
        phrases=("flip", "cross-correlation"),
    ),
    fresh(
        "hst-conv-kernel-transposed-in-matmul",
        "layers.Conv2d",
        "the weight is transposed to (F, C, kW, kH) before it is flattened: the im2col rows are ordered "
        "(c, i, j) with i the kernel row, so the weight is flattened as stored, (F, C, kH, kW)",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
            "        y = self.weight.data.transpose(0, 1, 3, 2).reshape(self.out_channels, -1) @ self._cols\n",
        ),
        # added after reading output (tag-vocabulary audit): kernel-transposed
        expect=("kernel-height-width-swapped", "window-offset-transposed", "transposed", "kernel-transposed"),
        phrases=("kernel", "transpose"),
    ),
    fresh(
        "hst-dropout-scale-falsy-p",
        "layers.Dropout",
        "scale = 1 / (1 - p) if p else 0: p = 0 is falsy, so dropout with p = 0 zeroes everything (and p = 1 "
        "divides by zero); only p = 1 needs the special case",
        (
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            scale = 1.0 / (1.0 - self.p) if self.p else 0.0\n",
        ),
        expect=("zero-taken-as-unset", "dropout-divides-by-zero-at-p-one"),
        phrases=("p = 0", "zero"),
    ),
    fresh(
        "hst-bn1d-eval-eps-added-into-running-var",
        "layers.BatchNorm1d",
        "var += eps adds eps in place; in eval var is running_var itself, so every eval forward adds eps to the "
        "buffer: compute sqrt(var + eps) into a new array",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                        "        var += self.eps\n        self._inv_std = (1.0 / np.sqrt(var)).reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("aliasing", "bn-updates-in-eval", "eps-accumulated-in-state"),
        phrases=("running_var", "in place"),
    ),
    fresh(
        "hst-bn2d-bessel-floor-division",
        "layers.BatchNorm2d",
        "count // (count - 1) is integer division: 1 for every count > 2, so the running variance stores the "
        "biased variance; the unbiased factor is count / (count - 1)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("m * var * (count / (count - 1))", "m * var * (count // (count - 1))")]},
        ),
        expect=("integer-division", "floor-division", "bn-biased-running-var"),
        phrases=("unbiased", "division"),
    ),
    fresh(
        "hst-bn2d-backward-mean-term-without-gamma",
        "layers.BatchNorm2d",
        "the mean term subtracts mean(grad_y) instead of mean(grad_y * gamma): every term of the batch "
        "backward uses g = grad_y * gamma",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "- grad_x_hat.mean(axis=axes, keepdims=True)",
                        "- grad_y.mean(axis=axes, keepdims=True)",
                    )
                ]
            },
        ),
        expect=("bn-backward-missing-gamma", "bn-backward-missing-mean-term"),
        phrases=("gamma", "mean"),
    ),
    fresh(
        "hst-bn2d-running-mean-rebound-to-batch-mean",
        "layers.BatchNorm2d",
        "the running mean update writes (1 - m) * running + m * mean into mean (mean *= m; mean += ...) and "
        "rebinds running_mean to it: the batch is then normalised with the running mean, not its own mean",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_mean *= 1.0 - m\n            self.running_mean += m * mean\n",
                        "            mean *= m\n            mean += (1.0 - m) * self.running_mean\n"
                        "            self.running_mean = mean\n",
                    )
                ]
            },
        ),
        expect=("aliasing", "bn-running-stats-in-training", "saved-state-overwritten"),
        phrases=("running_mean", "batch"),
    ),
    fresh(
        "hst-conv-upstream-reshaped-without-transpose",
        "layers.Conv2d",
        "grad_y (N, F, H', W') is reshaped straight to (F, N*H'*W'): that mixes samples and filters; move the "
        "filter axis first (transpose(1, 0, 2, 3)) before reshaping, as the columns of cols are (n, p, q)",
        (
            "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n",
            "        G = grad_y.reshape(F, -1)\n",
        ),
        expect=("reshape-not-transpose", "axes-permuted"),
        phrases=("transpose", "reshape"),
    ),
    fresh(
        "hst-conv-bias-grad-divided-by-batch",
        "layers.Conv2d",
        "the bias gradient is divided by N: the loss has averaged already, the bias collects the sum of grad_y "
        "over the batch and every position",
        (
            "            self.bias.grad += G.sum(axis=1)\n",
            "            self.bias.grad += G.sum(axis=1) / N\n",
        ),
        expect=("divided-by-batch-size", "grad-divided-by-batch", "bias-mean-not-sum"),
        phrases=("bias", "sum"),
    ),
    fresh(
        "hst-conv-weight-grad-overwritten",
        "layers.Conv2d",
        "weight.grad[...] = ... overwrites what earlier backward calls accumulated: parameter gradients add "
        "up (+=) until zero_grad",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
            "        self.weight.grad[...] = (G @ self._cols.T).reshape(self.weight.shape)\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("accumulat", "+="),
    ),
    fresh(
        "hst-maxpool-argmax-of-absolute-values",
        "layers.MaxPool2d",
        "the winner is the entry of largest |x|: max pooling takes the largest value, so a large negative "
        "entry must not win",
        (
            "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n",
            "        self._argmax = np.abs(windows).argmax(axis=-1)\n",
        ),
        expect=("max-of-abs",),
        phrases=("negative", "largest"),
    ),
    fresh(
        "hst-avgpool-backward-offset-times-stride",
        "layers.AvgPool2d",
        "the slice for kernel offset (i, j) starts at i * sH and steps by 1: window p starts at p * sH, so "
        "offset i of every window is i, i + sH, ..., the slice i:i + sH*H':sH",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "                grad_x[:, :, i * sH:i * sH + Ho, j * sW:j * sW + Wo] += share\n",
        ),
        expect=("offset-scaled-by-stride", "stride-before-window"),
        phrases=("stride", "offset"),
    ),
    fresh(
        "hst-avgpool-windows-without-stride",
        "layers.AvgPool2d",
        "the sliding windows are not subsampled by the stride ([:, :, ::sH, ::sW] left out): the output has one "
        "window per position instead of one every stride",
        span(
            "layers",
            (
                "[:, :, ::sH, ::sW]\n        y = windows.mean(axis=(4, 5))\n",
                "\n        y = windows.mean(axis=(4, 5))\n",
            ),
        ),
        expect=("stride-ignored",),
        phrases=("stride",),
    ),
    fresh(
        "hst-flatten-reshapes-input-in-place",
        "layers.Flatten",
        "x.shape = (N, D) reshapes the caller's array itself (and fails on a non-contiguous input): return a "
        "reshaped view or copy, x.reshape(N, D), and leave the input alone",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        x.shape = self._y_shape\n        y = x\n",
        ),
        expect=("modifies-input", "non-contiguous-input"),
        phrases=("input", "reshape"),
    ),
    fresh(
        "hst-dropout-active-while-p-positive",
        "layers.Dropout",
        "the mask is drawn whenever p > 0, in eval mode too: dropout is the identity in evaluation; test self.training",
        (
            "        if self.training:\n            keep",
            "        if self.p > 0:\n            keep",
        ),
        expect=("dropout-active-in-eval", "train-eval"),
        phrases=("eval", "training"),
    ),
    fresh(
        "hst-dropout-coin-ignores-p",
        "layers.Dropout",
        "the mask is a fair coin, rng.integers(0, 2): each entry is kept with probability 1 - p; draw "
        "u ~ U[0, 1) and keep u >= p",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.integers(0, 2, size=x.shape)\n",
        ),
        expect=("hyperparameter-ignored", "dropout-mask-wrong-distribution"),
        phrases=("probability", "1 - p"),
    ),
    fresh(
        "hst-dropout-backward-boolean-mask",
        "layers.Dropout",
        "backward multiplies by mask > 0, the kept entries without the 1 / (1 - p) scale: the output was "
        "x * mask, so grad_x = grad_y * mask, scale included",
        (
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
            "        grad_x = grad_y if self._mask is None else grad_y * (self._mask > 0)\n",
        ),
        expect=("dropout-backward-not-rescaled",),
        phrases=("scale", "1 - p"),
    ),
    fresh(
        "hst-dropout-binomial-keep-probability-p",
        "layers.Dropout",
        "keep = rng.binomial(1, p) keeps each entry with probability p: p is the probability of dropping, so "
        "an entry is kept with probability 1 - p",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.binomial(1, self.p, size=x.shape)\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "dropout-p-zero-drops-all"),
        phrases=("1 - p", "drop"),
    ),
    fresh(
        "hst-bn1d-backward-variance-term-summed",
        "layers.BatchNorm1d",
        "the x_hat term of the batch backward uses the sum of g * x_hat over the batch: it is the mean, "
        "grad_x = inv_std (g - mean(g) - x_hat mean(g x_hat))",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "- self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)",
                        "- self._x_hat * (grad_x_hat * self._x_hat).sum(axis=axes, keepdims=True)",
                    )
                ]
            },
        ),
        expect=(
            "bn-backward-sum-not-mean",
            "bn-backward-variance-term",
            "bn-sum-not-mean",
        ),  # added after reading output
        phrases=("mean", "x_hat"),
    ),
    fresh(
        "hst-bn1d-backward-variance-term-without-gamma",
        "layers.BatchNorm1d",
        "the x_hat term of the batch backward uses grad_y instead of g = grad_y * gamma: every term of "
        "grad_x = inv_std (g - mean(g) - x_hat mean(g x_hat)) uses g",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "- self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)",
                        "- self._x_hat * (grad_y * self._x_hat).mean(axis=axes, keepdims=True)",
                    )
                ]
            },
        ),
        expect=("bn-backward-missing-gamma", "bn-backward-variance-term"),
        phrases=("gamma",),
    ),
    fresh(
        "hst-bn1d-shift-before-scale",
        "layers.BatchNorm1d",
        "the output is (x_hat + beta) * gamma: the affine step scales first and shifts after, y = gamma * x_hat + beta",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)",
                        "y = (self._x_hat + self.bias.data.reshape(shape)) * self.weight.data.reshape(shape)",
                    )
                ]
            },
        ),
        expect=("affine-order",),
        phrases=("gamma", "beta"),
    ),
    fresh(
        "hst-bn2d-bessel-count-from-batch-size",
        "layers.BatchNorm2d",
        "the Bessel factor uses len(x) = N: for images each channel's variance is over N * H * W values, so "
        "the unbiased factor is m / (m - 1) with m = N * H * W",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("m * var * (count / (count - 1))", "m * var * (len(x) / (len(x) - 1))")]},
        ),
        expect=(
            "bessel-correction",
            "bn-unbiased-variance",
            "len-for-size",
            "bn-biased-running-var",
        ),  # added after reading output
        phrases=("unbiased", "count"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hst-mse-mean-over-batch-then-summed",
        "losses.MSELoss",
        "the loss averages the squares over the batch axis and sums the rest: MSELoss (reduction 'mean') "
        "averages over every entry, N * D of them",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.mean(self._diff**2, axis=0).sum()\n",
        ),
        # added after reading output (tag-vocabulary audit): loss-summed
        expect=("mse-mean-over-batch-only", "mean-over-batch-only", "loss-summed"),
        phrases=("mean", "entries"),
    ),
    fresh(
        "hst-mse-mean-over-last-axis",
        "losses.MSELoss",
        "np.mean(diff**2, axis=-1) averages each row only and leaves one value per sample: the loss is one "
        "number, the mean over all entries",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.mean(self._diff**2, axis=-1)\n",
        ),
        expect=("loss-not-scalar", "mean-over-one-axis"),
        phrases=("scalar", "axis"),
    ),
    fresh(
        "hst-bce-backward-unfloored-quotients",
        "losses.BCELoss",
        "backward is -(t / p - (1 - t) / (1 - p)) / n with no floor: at p = 0 or 1 it divides by zero (nan or "
        "inf); PyTorch floors p (1 - p) at 1e-12, (p - t) / max(p (1 - p), 1e-12) / n",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return -(t / p - (1.0 - t) / (1.0 - p)) / p.size\n",
        ),
        expect=("no-floor", "bce-denominator-floored", "bce-not-clamped"),
        phrases=("floor", "zero"),
    ),
    fresh(
        "hst-bce-mean-over-batch-axis",
        "losses.BCELoss",
        "np.mean(..., axis=0) averages over the batch only: for (N, K) input it leaves K values; the loss is "
        "the mean over every entry, one number",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp, axis=0)\n",
        ),
        expect=("loss-not-scalar", "mean-over-one-axis", "mean-over-batch-only"),
        phrases=("scalar", "axis"),
    ),
    fresh(
        "hst-bcelogits-backward-mean-scalar",
        "losses.BCEWithLogitsLoss",
        "backward returns mean(s - t), one number: the gradient has the input's shape, (s - t) / n entry by entry",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        return np.mean(self._s - self._t)\n",
        ),
        expect=("gradient-not-shaped-like-input", "wrong-shape"),
        phrases=("shape", "entry"),
    ),
    fresh(
        "hst-ce-row-index-from-class-count",
        "losses.CrossEntropyLoss",
        "the rows are indexed with np.arange(C), the number of classes: one row per sample, np.arange(N)",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(log_probs[np.arange(x.shape[1]), self._labels])\n",
        ),
        expect=("batch-classes-confused",),
        phrases=("rows", "samples"),
    ),
    fresh(
        "hst-ce-backward-divided-by-classes",
        "losses.CrossEntropyLoss",
        "the gradient is divided by the number of classes C: the loss averages over the N samples, so "
        "grad = (softmax - onehot) / N",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n",
            "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / self._probs.shape[1]\n",
        ),
        expect=(
            "ce-mean-over-classes",
            "batch-classes-confused",
            "loss-denominator",
            "divided-by-features",
        ),  # added after reading output
        phrases=("classes", "samples"),
    ),
    fresh(
        "hst-hinge-active-beyond-margin",
        "losses.HingeLoss",
        "a class counts as active only when its slack exceeds the margin (slack > margin): the slack already "
        "includes the margin, a class is active when slack > 0",
        (
            "        self._active = (slack > 0).astype(np.float64)\n",
            "        self._active = (slack > self.margin).astype(np.float64)\n",
        ),
        expect=("hinge-active-without-margin", "hinge-margin-ignored"),
        phrases=("margin", "active"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hst-adagrad-sum-squared-after-adding",
        "optimizers.Adagrad",
        "the accumulator adds g and squares the total, (sum + g)^2: Adagrad accumulates the squares, sum + g * g",
        (
            '            state["sum"] = state["sum"] + g * g\n',
            '            state["sum"] = (state["sum"] + g) ** 2\n',
        ),
        # added after reading output (tag-vocabulary audit): squared-after-adding
        expect=("formula-wrong", "squared-difference", "operator-precedence", "squared-after-adding"),
        phrases=("square", "accumulat"),
    ),
    fresh(
        "hst-rmsprop-momentum-buffer-averaged",
        "optimizers.RMSprop",
        "the momentum buffer is an average, momentum * buf + (1 - momentum) * g / avg: PyTorch's RMSprop "
        "momentum is buf = momentum * buf + g / avg, with no (1 - momentum)",
        (
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n',
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + (\n'
            "                    1.0 - self.momentum\n                ) * g / avg\n",
        ),
        expect=("momentum-as-average", "dampening-on-velocity"),
        phrases=("momentum", "1 - momentum"),
    ),
    fresh(
        "hst-rmsprop-centered-variance-before-mean-update",
        "optimizers.RMSprop",
        "the centered variance uses the mean gradient of the previous step (grad_avg updated after): both "
        "averages include this step's gradient before v - m^2 is formed",
        span(
            "optimizers",
            (
                '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
                "",
            ),
            (
                "                avg = np.sqrt(variance) + self.eps\n",
                "                avg = np.sqrt(variance) + self.eps\n"
                '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
            ),
        ),
        expect=(
            "order-changed",
            "state-not-updated",
            "centered-variance-formula",
            "centered-old-mean",
        ),  # added after reading output
        phrases=("grad_avg", "centered"),
    ),
    fresh(
        "hst-sgd-nesterov-momentum-times-gradient",
        "optimizers.SGD",
        "the Nesterov step is momentum * g + buf: PyTorch's Nesterov look-ahead is g + momentum * buf",
        (
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                g = self.momentum * g + buf if self.nesterov else buf\n",
        ),
        expect=("nesterov-wrong-operand",),
        phrases=("nesterov", "momentum"),
    ),
    fresh(
        "hst-sgd-state-dict-rebound",
        "optimizers.SGD",
        "state = {'momentum_buffer': buf} rebinds the loop variable to a new dict: self.state keeps None, so "
        "the velocity restarts every step; write into the dict, state['momentum_buffer'] = buf",
        (
            '                state["momentum_buffer"] = buf\n',
            '                state = {"momentum_buffer": buf}\n',
        ),
        expect=("velocity-not-stored", "view-rebound", "state-not-saved", "state-reset"),  # added after reading output
        phrases=("momentum_buffer", "state"),
    ),
    fresh(
        "hst-adagrad-accumulator-restarted-each-step",
        "optimizers.Adagrad",
        "the accumulator is set to initial_accumulator_value + g^2 every step: Adagrad sums the squared "
        "gradients of all steps, sum = sum + g^2",
        (
            '            state["sum"] = state["sum"] + g * g\n',
            '            state["sum"] = self.initial_accumulator_value + g * g\n',
        ),
        expect=("state-reset", "assigned-not-accumulated"),
        phrases=("accumulat", "sum"),
    ),
    fresh(
        "hst-rmsprop-momentum-buffer-unused",
        "optimizers.RMSprop",
        "with momentum the buffer is updated but the step uses g / avg: the parameter moves by lr * buf, the "
        "momentum buffer",
        (
            '                p.data -= self.lr * state["momentum_buffer"]\n',
            "                p.data -= self.lr * g / avg\n",
        ),
        expect=("momentum-ignored", "result-discarded"),
        phrases=("momentum", "buffer"),
    ),
    fresh(
        "hst-adadelta-rho-complemented",
        "optimizers.Adadelta",
        "rho is taken as the new squares' weight (rho = 1 - self.rho): rho is the decay of the running "
        "averages, square_avg = rho * square_avg + (1 - rho) g^2",
        (
            "        rho = self.rho\n",
            "        rho = 1.0 - self.rho\n",
        ),
        expect=("rho-swapped", "hyperparameter-inverted"),
        phrases=("rho", "decay"),
    ),
    fresh(
        "hst-adadelta-square-avg-not-decayed",
        "optimizers.Adadelta",
        "square_avg adds (1 - rho) g^2 without decaying the old value: it is a running average, "
        "rho * square_avg + (1 - rho) g^2, not a growing sum",
        (
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
            '            state["square_avg"] = state["square_avg"] + (1.0 - rho) * g * g\n',
        ),
        # added after reading output (tag-vocabulary audit): average-not-decayed
        expect=("squares-without-decay", "decay-on-accumulator", "average-not-decayed"),
        phrases=("rho", "decay"),
    ),
    fresh(
        "hst-adam-amsgrad-max-over-all-entries",
        "optimizers.Adam",
        "amsgrad compares v with the largest entry of the stored maximum (.max()): the maximum is per "
        "coordinate, np.maximum(max_exp_avg_sq, v)",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"].max(), v)\n',
        ),
        expect=("not-per-coordinate", "amsgrad-wrong-operand"),
        phrases=("coordinate", "amsgrad"),
    ),
    fresh(
        "hst-adamw-decay-on-rebound-copy",
        "optimizers.AdamW",
        "the decay is applied to a local name (data = data * (1 - lr wd)), which rebinds it to a new array: "
        "p.data is never decayed; decay in place, p.data *= 1 - lr * weight_decay",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        data = p.data\n        data = data * (1.0 - self.lr * self.weight_decay)\n",
        ),
        expect=("view-rebound", "weight-decay-ignored", "result-discarded"),
        phrases=("in place", "weight_decay"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hst-xavier-uniform-gain-applied-twice",
        "init.xavier_uniform",
        "the bound multiplies by gain again although std already contains it: b = sqrt(3) * std with "
        "std = gain * sqrt(2 / (fan_in + fan_out))",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = math.sqrt(3.0) * std * gain\n",
        ),
        expect=("gain-twice", "gain-squared"),
        phrases=("gain",),
    ),
    fresh(
        "hst-xavier-uniform-without-two",
        "init.xavier_uniform",
        "std = gain / sqrt(fan_in + fan_out) forgets the 2: Glorot's variance is 2 / (fan_in + fan_out)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound",
            "    std = gain / math.sqrt(fan_in + fan_out)\n    bound",
        ),
        expect=("formula-constant", "uniform-bound"),  # added after reading output
        phrases=("fan_in + fan_out",),
    ),
    fresh(
        "hst-xavier-normal-std-times-root-three",
        "init.xavier_normal",
        "the normal's std is multiplied by sqrt(3), the uniform bound's factor: for N(0, std^2) the std is "
        "gain * sqrt(2 / (fan_in + fan_out)) itself",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal",
            "    std = gain * math.sqrt(3.0) * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal",
        ),
        expect=("formula-constant", "copy-paste", "uniform-normal-confused"),
        phrases=("sqrt", "normal"),
    ),
    fresh(
        "hst-xavier-normal-drawn-uniform",
        "init.xavier_normal",
        "xavier_normal draws from U(-std, std): it samples N(0, std^2) (and U(-std, std) has only std / sqrt 3)",
        (
            "    weight = rng.normal(0.0, std, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def kaiming_uniform",
            "    weight = rng.uniform(-std, std, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def kaiming_uniform",
        ),
        expect=("uniform-normal-confused",),
        phrases=("normal", "uniform"),
    ),
    fresh(
        "hst-kaiming-uniform-bound-is-std",
        "init.kaiming_uniform",
        "the uniform bound is the std itself: U(-b, b) has variance b^2 / 3, so b = sqrt(3) * std",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / math.sqrt(fan)\n    bound = std\n",
        ),
        expect=("uniform-bound", "sqrt-missing"),
        phrases=("sqrt", "bound"),
    ),
    fresh(
        "hst-kaiming-uniform-mode-inverted",
        "init.kaiming_uniform",
        "mode 'fan_in' picks fan_out and 'fan_out' picks fan_in: the mode names the fan that is used",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    bound",
            '    fan = fan_out if mode == "fan_in" else fan_in\n    gain = calculate_gain(nonlinearity, a)\n'
            "    std = gain / math.sqrt(fan)\n    bound",
        ),
        expect=("fans-swapped", "mode-ignored", "hyperparameter-inverted"),
        phrases=("fan_in", "mode"),
    ),
    fresh(
        "hst-kaiming-uniform-nonlinearity-hard-coded",
        "init.kaiming_uniform",
        "the gain is always leaky_relu's: the nonlinearity argument chooses it (relu sqrt 2, tanh 5/3, linear 1, ...)",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
            '    gain = calculate_gain("leaky_relu", a)\n    std = gain / math.sqrt(fan)\n    bound',
        ),
        expect=("nonlinearity-ignored", "hyperparameter-ignored"),
        phrases=("nonlinearity", "gain"),
    ),
    fresh(
        "hst-kaiming-normal-he-root-times-gain",
        "init.kaiming_normal",
        "std = gain * sqrt(2 / fan) puts He's factor 2 on top of the gain, which already is sqrt 2 for relu: "
        "std = gain / sqrt(fan)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal",
            "    std = gain * math.sqrt(2.0 / fan)\n    weight = rng.normal",
        ),
        expect=("gain-twice", "formula-constant"),
        phrases=("gain", "sqrt"),
    ),
    fresh(
        "hst-fans-channels-plus-receptive-field",
        "init.fan_in_and_fan_out",
        "fan_in adds the receptive field to the input channels: each output sees in_channels * kH * kW "
        "inputs, a product",
        (
            "    fan_in = shape[1] * receptive_field\n",
            "    fan_in = shape[1] + receptive_field\n",
        ),
        expect=("sum-for-product",),
        phrases=("product", "receptive"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hst-minibatches-fixed-seed-generator",
        "training.minibatches",
        "the permutation comes from np.random.default_rng(0), a new generator with a fixed seed on every "
        "call: the same order every epoch, whatever rng is passed; draw from rng",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = np.random.default_rng(0).permutation(len(X))\n",
        ),
        expect=("rng-ignored", "same-permutation"),
        phrases=("rng", "seed"),
    ),
    fresh(
        "hst-fit-epoch-mean-over-entries",
        "training.fit",
        "the epoch's loss is divided by X.size, every feature of every sample: the weighted mean of batch "
        "losses divides by the number of samples, len(X)",
        (
            "        history.append(total / len(X))\n",
            "        history.append(total / X.size)\n",
        ),
        expect=("len-for-size", "loss-denominator"),
        phrases=("samples", "len"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hst-sequential-parameters-appended-lists",
        "models.Sequential",
        "parameters() appends each layer's list, giving a list of lists: it returns one flat list of "
        "Parameters (extend, or a nested comprehension)",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        params = []\n        for layer in self.layers:\n            params.append(layer.parameters())\n"
            "        return params\n",
        ),
        expect=("parameters-nested", "list-extend-not-append"),
        phrases=("flat", "extend"),
    ),
    fresh(
        "hst-sequential-train-lazy-map",
        "models.Sequential",
        "map(lambda layer: layer.train(), self.layers) is lazy and never consumed: no layer is switched to "
        "training mode; loop over the layers and call train()",
        (
            "        self.training = True\n        for layer in self.layers:\n            layer.train()\n",
            "        self.training = True\n        map(lambda layer: layer.train(), self.layers)\n",
        ),
        expect=("lazy-map-not-consumed", "train-eval", "method-not-called"),
        phrases=("map", "train"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hst-numgrad-probes-shift-every-entry",
        "gradcheck.numerical_gradient",
        "f is evaluated at x + h and x - h, which moves every entry: a partial derivative perturbs the one "
        "entry x[index] only (and f must see the array it was given)",
        (
            "        x[index] = original + h\n        f_plus = float(f(x))\n        x[index] = original - h\n"
            "        f_minus = float(f(x))\n",
            "        x[index] = original + h\n        f_plus = float(f(x + h))\n        x[index] = original - h\n"
            "        f_minus = float(f(x - h))\n",
        ),
        expect=("probe-wrong-point",),
        phrases=("entry", "index"),
    ),
    fresh(
        "hst-numgrad-reversed-shape-indices",
        "gradcheck.numerical_gradient",
        "the indices come from np.ndindex(x.shape[::-1]): for a non-square x they address the wrong entries "
        "(or leave the array); enumerate np.ndindex(x.shape)",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    for index in np.ndindex(x.shape[::-1]):\n",
        ),
        expect=("index-order-reversed", "entries-skipped"),
        phrases=("shape", "index"),
    ),
    fresh(
        "hst-numgrad-relative-step",
        "gradcheck.numerical_gradient",
        "the probe is original * (1 + h), a relative step, but the difference is still divided by 2h: the "
        "probes are x +- h, an absolute step (and a zero entry is not moved at all)",
        (
            "        x[index] = original + h\n",
            "        x[index] = original * (1.0 + h)\n",
        ),
        expect=("probe-wrong-point", "numgrad-divisor"),
        phrases=("step", "relative"),
    ),
    fresh(
        "hst-relerr-magnitude-of-sum",
        "gradcheck.relative_error",
        "the denominator is |a + b|: it is |a| + |b|, so that entries of opposite sign do not cancel (a = -b "
        "would divide by nearly zero)",
        (
            "np.maximum(1e-8, np.abs(a) + np.abs(b))",
            "np.maximum(1e-8, np.abs(a + b))",
        ),
        expect=("missing-abs", "difference-of-magnitudes", "formula-wrong", "abs-of-sum"),  # added after reading output
        phrases=("|a| + |b|", "opposite"),
    ),
    fresh(
        "hst-relerr-larger-magnitude-denominator",
        "gradcheck.relative_error",
        "the denominator is max(|a|, |b|): the API's relative error is |a - b| / max(1e-8, |a| + |b|), the "
        "sum of the magnitudes",
        (
            "np.maximum(1e-8, np.abs(a) + np.abs(b))",
            "np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))",
        ),
        # added after reading output (tag-vocabulary audit): max-denominator
        expect=("formula-wrong", "max-for-maximum", "max-denominator"),
        phrases=("|a| + |b|", "sum"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hst-early-stopping-patience-counts-improving-epoch",
        "early_stopping.fit_early_stopping",
        "waited += 1 runs after every epoch, improving or not: an improving epoch resets the count to 0 and "
        "only epochs without improvement count towards patience (patience = 1 stops at an improvement)",
        (
            "        else:\n            waited += 1\n            if waited >= patience:\n"
            "                history.stopped_epoch = epoch\n                break\n",
            "        waited += 1\n        if waited >= patience:\n            history.stopped_epoch = epoch\n"
            "            break\n",
        ),
        expect=("patience-off-by-one", "counter-not-reset", "missing-else"),
        phrases=("patience", "improv"),
    ),
]

FRESH_T: list[Mutant] = [
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
