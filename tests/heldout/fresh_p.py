"""Held-apart set P: fresh student bugs, written blind after sets A to O had been seen.

Sets A (``HELDOUT``) to O (``FRESH_O``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set P was written blind: its author read the reference, parts of
docs/api.md, set N (for the format), the ``expect`` tags of the catalogue (graders/mutants) and of sets A to
O (for the tag vocabulary), and of tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts;
copies of catalogue or earlier bugs were found with /work/tools/check_set.py and replaced. The author never
read the diagnosis (graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py), tests/evidence.py, the feedback audit, the mistake, crash, diagnosis and feedback tests,
benchmarks/, the grader's feedback or its output, and graded none of these bugs. Every edit was applied and
its module compiled; about twenty of the less obvious ones were also run by a script of the author's own on
a tiny input beside the reference, to see that the edit changes a result or raises (none went through the
grader). tests/alternatives was not read for this set.

About two thirds are classes the catalogue and the earlier sets hardly touch: numpy and Python semantics
(``np.maximum(x, 0, out=x)`` writing into the caller's array because ``as_float_array`` does not copy;
``np.max(a, b)`` taking ``b`` as the axis; ``np.take`` on the flattened
array; ``np.eye(N)`` for one-hot classes; ``slack[labels]`` zeroing whole rows; ``zip(*np.nonzero(x))`` that
skips zero entries; ``rng.uniform(bound, size=...)`` with one bound; ``rng.binomial(1, p)`` keeping with
probability p; ``reshape(..., order="F")`` and a
channels-last swap in Flatten; ``reshape(-1, C)`` for a per-channel sum; ``np.max`` without keepdims in
Softmax; ``count // (count - 1)`` for Bessel's factor; a momentum buffer that is ``p.grad`` itself;
``rng.shuffle`` on X and y separately, in place; ``self.layers[:-1]`` and results not rebound in Sequential;
saved parameters and BatchNorm buffers that are the live arrays; an evaluation that leaves the model in
eval mode), conventions misread (``W @ x.T`` and ``W.T @ grad_y``, the column-vector formulas, for samples
as rows; the textbook's 1/2 in MSE; mean over the batch only; a batch-size factor on the loss gradient; the
validation loss taken on the training data; the norm-based relative error) and formulas remembered wrongly
(tanh applied again to the saved output, ELU's slope as expm1, alpha inside ELU's exponent, SELU's scale on
the input or its alpha applied twice, 1 / sqrt(pi) in the normal density, a relative probe x (1 +- h),
Adagrad's decay made linear, the bias correction under Adam's root, a centred RMSprop that squares E[g^2],
sqrt(3 std), gain under Xavier's root, Bessel over N only in BatchNorm2d); about a third are known classes in
a new code shape or on a new component (precedence slips in Sigmoid, GELU, Softplus, BCE and BCE's
gradient, the upstream gradient ignored in LeakyReLU, Softplus and MaxPool, the product rule's x dropped
through the Sigmoid module, Maxout's bias summed over pieces, wrong axes in BatchNorm, AvgPool, Softmax and
LogSoftmax, eps outside a root in BatchNorm and Adadelta, AdamW decaying and adding L2, Nesterov without the
gradient, lr ignored by Adadelta, Kaiming's mode ignored or its root missing, the receptive field from a
fixed number of axes, ``|x|`` for ``max(x, 0)`` and ``exp(-x)`` in BCE with logits, np.heaviside's 0.5 at
the Perceptron's boundary). Each is a different edit from the catalogue's and sets A to O's. Ids start with
``hsp-``.
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue
tag where one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 14, on af2da2f with sets A to O worked on, each
bug graded in the grader's sandbox): 64/71 named (90 %), 71/71 caught, 30 flagged misleading. Of the 30, 22
were the right diagnosis under the catalogue's own tag (this set's author took few catalogue tags), added to
their ``expect`` after reading the sentence; 8 were wrong claims (listed in UNMENDED). One was removed
afterwards: Conv2d padding one side only (an H + pH padded array) makes the reference's as_strided windows
reach past the array, which aborts a process that grades it in-process (the suite's way); the sandbox caught
it, with a misleading slice-bounds claim.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsp-")  # set P

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hsp-relu-maximum-into-input",
        "activations.ReLU",
        "forward returns np.maximum(x, 0.0, out=x) to save an array: as_float_array does not copy a float64 "
        "input, so the caller's array is overwritten with the clipped values",
        (
            "        return np.where(self._mask, x, 0.0)\n",
            "        return np.maximum(x, 0.0, out=x)  # no extra array\n",
        ),
        expect=("modifies-input",),
        phrases=("in place", "input", "copy", "caller"),
    ),
    fresh(
        "hsp-softmax-backward-sum-over-whole-array",
        "activations.Softmax",
        "backward sums grad_y * y over the whole array, not along dim: every row's correction mixes the other "
        "rows of the batch; the Jacobian couples entries of one row only",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        return y * (grad_y - np.sum(grad_y * y))\n",
        ),
        expect=("reduction-over-whole-array",),
        phrases=("dim", "axis", "row", "sum"),
    ),
    fresh(
        "hsp-logsoftmax-backward-batch-axis",
        "activations.LogSoftmax",
        "backward sums grad_y along axis 0 (the batch), taking the first axis for the one being normalised: "
        "the sum must run along dim, the axis the softmax normalised",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        return grad_y - self._p * np.sum(grad_y, axis=0, keepdims=True)\n",
        ),
        expect=("softmax-backward-wrong-axis",),
        phrases=("dim", "axis", "batch"),
    ),
    fresh(
        "hsp-elu-backward-expm1",
        "activations.ELU",
        "backward reuses forward's expm1 for the slope: d/dx alpha (e^x - 1) is alpha e^x, the -1 disappears "
        "when differentiating, so the slope is alpha exp(x), not alpha expm1(x)",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n",
            "        slope = self.alpha * np.expm1(np.minimum(self._x, 0.0))\n",
        ),
        expect=("derivative-wrong-form", "derivative-is-output"),  # added after reading output
        phrases=("derivative", "exp", "- 1", "alpha"),
    ),
    fresh(
        "hsp-selu-alpha-applied-again",
        "activations.SELU",
        "backward multiplies the ELU backward by alpha once more: the inner ELU was built with alpha already, "
        "so SELU's derivative is scale times ELU's, alpha enters once",
        (
            "        return self._elu.backward(self.scale * grad_y)\n",
            "        return SELU_ALPHA * self._elu.backward(self.scale * grad_y)\n",
        ),
        expect=("selu-constants", "alpha-applied-twice"),
        phrases=("alpha", "twice", "scale"),
    ),
    fresh(
        "hsp-leakyrelu-backward-local-slope-only",
        "activations.LeakyReLU",
        "backward returns the local slope (1 or negative_slope) without multiplying by grad_y: the chain rule "
        "multiplies the local derivative by the upstream gradient",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        return np.where(self._x > 0, 1.0, self.negative_slope)\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("grad_y", "upstream", "chain rule", "multipl"),
    ),
    fresh(
        "hsp-tanh-backward-tanh-of-saved-output",
        "activations.Tanh",
        "backward takes tanh of the saved value again: self._y is already tanh(x), so 1 - tanh(self._y)^2 "
        "is the derivative at the wrong point; the derivative is 1 - y^2 with the saved output",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        return grad_y * (1.0 - np.square(np.tanh(self._y)))\n",
        ),
        expect=("saved-output-not-input", "derivative-at-output"),
        phrases=("output", "1 - y", "already"),
    ),
    fresh(
        "hsp-sigmoid-backward-minus-y-squared-precedence",
        "activations.Sigmoid",
        "writes grad_y * y - y ** 2 for grad_y * y (1 - y): the upstream gradient multiplies only the first "
        "term; y (1 - y) needs parentheses before the product with grad_y",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        return grad_y * self._y - self._y**2\n",
        ),
        expect=("operator-precedence",),
        phrases=("parenthes", "grad_y", "precedence"),
    ),
    fresh(
        "hsp-prelu-channel-grad-reshape",
        "activations.PReLU",
        "the per-channel slope gradient via contribution.reshape(-1, C).sum(axis=0): reshape keeps memory "
        "order, so for (N, C, ...) inputs the columns are not the channels; the sum runs over every axis but 1",
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.reshape(-1, self.num_parameters).sum(axis=0)\n",
        ),
        expect=("reshape-not-transpose", "prelu-grad-wrong-axes"),
        phrases=("channel", "axis 1", "reshape"),
    ),
    fresh(
        "hsp-elu-alpha-inside-exponent",
        "activations.ELU",
        "forward computes expm1(alpha x): alpha scales the result, alpha (e^x - 1), not the exponent",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return np.where(x > 0, x, np.expm1(self.alpha * np.minimum(x, 0.0)))\n",
        ),
        expect=("alpha-inside-exp", "formula-wrong", "alpha-in-exponent"),  # added after reading output
        phrases=("alpha", "exponent", "multipl"),
    ),
    fresh(
        "hsp-gelu-pdf-root-pi",
        "activations.GELU",
        "the normal density with 1 / sqrt(pi): phi(x) = e^{-x^2/2} / sqrt(2 pi), the 2 under the root is missing",
        (
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
            "        pdf = np.exp(-0.5 * xc * xc) / math.sqrt(math.pi)\n",
        ),
        expect=("formula-constant",),
        phrases=("2 pi", "density", "sqrt"),
    ),
    fresh(
        "hsp-gelu-backward-upstream-on-cdf-only",
        "activations.GELU",
        "grad_y * Phi + x phi: the upstream gradient multiplies only the first term of the derivative; the "
        "whole Phi(x) + x phi(x) must be multiplied by grad_y",
        (
            "        return grad_y * (self._cdf + xc * pdf)\n",
            "        return grad_y * self._cdf + xc * pdf\n",
        ),
        expect=("operator-precedence",),
        phrases=("parenthes", "grad_y", "both terms"),
    ),
    fresh(
        "hsp-silu-backward-sigmoid-module-without-x",
        "activations.SiLU",
        "backward as sigmoid.backward(grad_y) + grad_y * s: the product rule's second term is x times "
        "sigmoid', so the sigmoid's backward must be multiplied by x",
        (
            "        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return self._sigmoid.backward(grad_y) + grad_y * s\n",
        ),
        expect=("product-rule-x-dropped",),
        phrases=("product rule", "x", "sigmoid"),
    ),
    fresh(
        "hsp-softplus-linear-region-slope-one",
        "activations.Softplus",
        "in the linear region backward returns the slope 1 itself: there too the chain rule multiplies it by "
        "the upstream gradient, so grad_x = grad_y",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        return np.where(self._linear, 1.0, grad_y * self._s)\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("grad_y", "upstream", "threshold"),
    ),
    fresh(
        "hsp-softmax-max-without-keepdims",
        "activations.Softmax",
        "subtracts np.max(x, axis=dim) without keepdims: the reduced (N,) array broadcasts along the last "
        "axis, so each row has another row's maximum subtracted (or the shapes do not broadcast)",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        e = np.exp(x - np.max(x, axis=self.dim))\n",
        ),
        expect=("reduction-without-keepdims",),
        phrases=("keepdims", "broadcast"),
    ),
    fresh(
        "hsp-maxout-bias-grad-summed-over-pieces",
        "activations.Maxout",
        "the bias gradient sums grad_z over samples and pieces: each piece has its own bias, which gets only "
        "the gradient of the samples where it won; sum over axis 0 only",
        (
            "        self.bias.grad += grad_z.sum(axis=0)\n",
            "        self.bias.grad += grad_z.sum(axis=(0, 1))\n",
        ),
        expect=("gradient-summed-over-wrong-axes",),
        phrases=("piece", "axis", "won"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hsp-maxpool-backward-routes-mask",
        "layers.MaxPool2d",
        "backward adds the winner mask itself to grad_x: the winning input gets the upstream gradient of its "
        "window, grad_y, not 1",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += won\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("grad_y", "upstream", "winner"),
    ),
    fresh(
        "hsp-flatten-fortran-order",
        "layers.Flatten",
        "flattens with order='F': the features come out in column-major order, not PyTorch's row-major "
        "order, and the backward's C-order reshape does not undo it",
        (
            "        y = x.reshape(self._y_shape)\n",
            '        y = x.reshape(self._y_shape, order="F")\n',
        ),
        expect=("flatten-column-major", "reshape-order"),
        phrases=("order", "row-major", "column"),
    ),
    fresh(
        "hsp-flatten-saves-sample-shape",
        "layers.Flatten",
        "saves x.shape[1:] as the shape to restore: backward reshapes the batch's gradient into one sample's "
        "shape, the batch axis is lost",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = x.shape[1:]  # the sample shape\n        y = x.reshape(self._y_shape)\n",
        ),
        expect=("flatten-batch-axis", "batch-axis-dropped"),  # added after reading output
        phrases=("batch", "shape"),
    ),
    fresh(
        "hsp-dropout-backward-mask-unscaled",
        "layers.Dropout",
        "the saved mask is the 0/1 keep mask and the scale is applied only in forward: backward multiplies by "
        "the mask alone, the gradient lacks the 1 / (1 - p) factor",
        span(
            "layers",
            (
                "            self._mask = keep * scale\n            y = x * self._mask\n",
                "            self._mask = keep\n            y = x * self._mask * scale\n",
            ),
        ),
        expect=("dropout-backward-not-rescaled",),
        phrases=("backward", "scale", "1 - p"),
    ),
    fresh(
        "hsp-bn1d-bessel-floor-division",
        "layers.BatchNorm1d",
        "the unbiased factor as count // (count - 1): integer division gives 1 for every count > 2, so the "
        "running variance stays the biased one",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("(count / (count - 1))", "(count // (count - 1))")]},
        ),
        expect=("floor-division", "bn-biased-running-var"),
        phrases=("integer", "floor", "unbiased"),
    ),
    fresh(
        "hsp-bn1d-eps-outside-root",
        "layers.BatchNorm1d",
        "1 / sqrt(var) + eps: eps belongs under the root, 1 / sqrt(var + eps); outside it neither guards "
        "against a zero variance nor matches PyTorch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"forward": [("(1.0 / np.sqrt(var + self.eps))", "(1.0 / np.sqrt(var) + self.eps)")]},
        ),
        expect=("eps-outside-sqrt",),
        phrases=("eps", "sqrt", "inside"),
    ),
    fresh(
        "hsp-linear-grad-x-column-convention",
        "layers.Linear",
        "grad_x = W.T @ grad_y, the column-vector formula from the lecture: with samples as rows, grad_x = grad_y @ W",
        (
            "        grad_x = grad_y @ self.weight.data\n",
            "        grad_x = self.weight.data.T @ grad_y\n",
        ),
        expect=("transposed",),
        phrases=("rows", "grad_y @", "transpose"),
    ),
    fresh(
        "hsp-flatten-channels-last",
        "layers.Flatten",
        "moves the channels last before flattening (x.swapaxes(1, -1)), as Keras does: PyTorch flattens "
        "(N, C, H, W) in its own C-order, channel slowest",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.swapaxes(1, -1).reshape(self._y_shape)\n",
        ),
        expect=("channels-last-layout", "permutes-wrong-axis"),
        phrases=("order", "channel", "pytorch"),
    ),
    fresh(
        "hsp-dropout-binomial-p-as-keep",
        "layers.Dropout",
        "keep = rng.binomial(1, p, shape): that keeps a unit with probability p; p is the drop probability, a "
        "unit is kept with probability 1 - p",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = self.rng.binomial(1, self.p, x.shape)\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "dropout-p-zero-drops-all"),
        phrases=("1 - p", "drop", "probability"),
    ),
    fresh(
        "hsp-bn2d-running-mean-over-batch-axis",
        "layers.BatchNorm2d",
        "updates the running mean with x.mean(axis=0): for (N, C, H, W) that is a (C, H, W) array; the "
        "per-channel mean averages over N, H and W",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("self.running_mean += m * mean", "self.running_mean += m * x.mean(axis=0)")]},
        ),
        expect=("bn-wrong-axes",),
        phrases=("axes", "channel", "spatial"),
    ),
    fresh(
        "hsp-bn2d-bessel-over-batch-size",
        "layers.BatchNorm2d",
        "the unbiased factor uses N / (N - 1): each channel's variance is over N H W values, so Bessel's "
        "correction is count / (count - 1) with count = N H W",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"forward": [("(count / (count - 1))", "(x.shape[0] / (x.shape[0] - 1))")]},
        ),
        expect=("bessel-correction", "bn-biased-running-var"),  # added after reading output
        phrases=("n h w", "count", "values per channel"),
    ),
    fresh(
        "hsp-bn1d-gamma-grad-mean",
        "layers.BatchNorm1d",
        "the weight (gamma) gradient averages grad_y * x_hat over the batch: the parameter is used by every "
        "sample, its gradient is the sum",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"backward": [("(grad_y * self._x_hat).sum(axis=axes)", "(grad_y * self._x_hat).mean(axis=axes)")]},
        ),
        expect=("mean-for-sum", "bn-mean-not-sum"),  # added after reading output
        phrases=("sum", "mean", "gamma"),
    ),
    fresh(
        "hsp-bn1d-bias-grad-axis-zero",
        "layers.BatchNorm1d",
        "the bias gradient sums over axis 0 only: for (N, C, L) input the beta gradient also sums over L",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"backward": [("self.bias.grad += grad_y.sum(axis=axes)", "self.bias.grad += grad_y.sum(axis=0)")]},
        ),
        expect=("bn-wrong-axes", "gradient-summed-over-wrong-axes"),
        phrases=("axes", "length", "sum"),
    ),
    fresh(
        "hsp-avgpool-backward-slice-end-without-stride",
        "layers.AvgPool2d",
        "scatters into grad_x[i:i + Ho:sH, ...]: Ho windows a stride apart span sH * Ho rows, so the slice ends "
        "at i + sH * Ho",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "                grad_x[:, :, i:i + Ho:sH, j:j + Wo:sW] += share\n",
        ),
        expect=("window-slice-bounds", "stride-ignored"),
        phrases=("stride", "slice", "sh * ho"),
    ),
    fresh(
        "hsp-linear-forward-weight-times-x-transposed",
        "layers.Linear",
        "y = W @ x.T, the column-vector form: with samples as rows that gives an (M, N) output; the output "
        "is x @ W.T, (N, M)",
        (
            "        y = x @ self.weight.data.T\n",
            "        y = self.weight.data @ x.T\n",
        ),
        expect=("transposed", "wrong-shape", "broadcast-wrong-axis"),  # added after reading output
        phrases=("rows", "shape", "transpose"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hsp-bce-negative-term-precedence",
        "losses.BCELoss",
        "writes 1.0 - t * log(1 - p): the (1 - t) weight of the negative term needs parentheses, otherwise "
        "the product is taken first",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        loss = -np.mean(t * log_p + 1.0 - t * log_1mp)\n",
        ),
        expect=("operator-precedence",),
        phrases=("parenthes", "1 - t", "precedence"),
    ),
    fresh(
        "hsp-bce-backward-denominator-precedence",
        "losses.BCELoss",
        "(p - t) / p * (1 - p): the denominator p (1 - p) needs parentheses, else it divides by p and "
        "multiplies by 1 - p",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / p * (1.0 - p) / p.size\n",
        ),
        expect=("operator-precedence",),
        phrases=("parenthes", "p (1 - p)", "precedence"),
    ),
    fresh(
        "hsp-bcelogits-abs-for-max",
        "losses.BCEWithLogitsLoss",
        "uses |x| for max(x, 0) in the stable form: log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}); |x| adds -x "
        "too much for negative logits",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.abs(x) - x * t + np.log1p(z))\n",
        ),
        # added after reading output (tag-vocabulary audit): abs-for-max
        expect=("formula-wrong", "abs-for-max"),
        phrases=("max(x, 0)", "negative", "stable"),
    ),
    fresh(
        "hsp-mse-backward-size-of-axis-zero",
        "losses.MSELoss",
        "divides by np.size(diff, 0), the batch size: the loss averages over every element, so the gradient's "
        "divisor is diff.size",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return 2.0 * self._diff / np.size(self._diff, 0)\n",
        ),
        expect=("mean-over-batch-only", "mse-grad-divided-by-batch"),  # added after reading output
        phrases=("every element", "size", "batch"),
    ),
    fresh(
        "hsp-mse-textbook-half",
        "losses.MSELoss",
        "halves the loss (the 1/2 of the textbook's squared error): PyTorch's MSELoss is the plain mean of the "
        "squares, and backward's 2 diff / n no longer matches",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.mean(self._diff**2) / 2\n",
        ),
        expect=("half", "formula-constant"),
        phrases=("1/2", "half", "mean"),
    ),
    fresh(
        "hsp-bcelogits-exp-without-abs",
        "losses.BCEWithLogitsLoss",
        "z = exp(-x) instead of exp(-|x|): for x < 0 the stable form's log1p(z) and sigmoid branches are "
        "wrong, and e^{-x} overflows for very negative logits",
        (
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n",
            "        z = np.exp(-x)\n",
        ),
        expect=("abs-missing-in-stable-form", "sigmoid-of-abs"),  # added after reading output
        phrases=("abs", "|x|", "negative"),
    ),
    fresh(
        "hsp-ce-np-take-flat",
        "losses.CrossEntropyLoss",
        "np.take(log_probs, labels) picks entries of the flattened array (the first row's columns), not each "
        "sample's label column; the pair (n, labels[n]) needs log_probs[np.arange(N), labels]",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(np.take(log_probs, self._labels))\n",
        ),
        expect=("flat-index-on-nd-array", "take-without-axis"),  # added after reading output
        phrases=("flat", "row", "arange"),
    ),
    fresh(
        "hsp-ce-backward-eye-of-batch",
        "losses.CrossEntropyLoss",
        "one-hot targets as np.eye(N)[labels]: the one-hot vectors have one entry per class, np.eye(C)",
        (
            "        grad[np.arange(N), self._labels] -= 1.0\n",
            "        grad -= np.eye(N)[self._labels]\n",
        ),
        expect=("onehot-wrong-size",),
        phrases=("class", "one-hot", "eye"),
    ),
    fresh(
        "hsp-hinge-zeroes-rows-by-label",
        "losses.HingeLoss",
        "slack[labels] = 0 zeroes whole rows chosen by the label values: the true class of sample n is the "
        "single entry (n, labels[n])",
        (
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
            "        slack[self._labels] = 0.0\n",
        ),
        expect=("hinge-counts-true-class", "values-for-indices", "labels-index-rows"),  # added after reading output
        phrases=("row", "entry", "true class"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hsp-sgd-momentum-buffer-is-grad",
        "optimizers.SGD",
        "the first step stores buf = g without a copy: g is p.grad itself, so the buffer is the gradient "
        "array, zeroed by zero_grad and overwritten by the next backward; the velocity is lost",
        (
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
            "                    buf = g\n",
        ),
        # added after reading output (tag-vocabulary audit): velocity-is-gradient
        expect=("aliasing", "copy-not-view", "velocity-is-gradient"),
        phrases=("copy", "alias", "same array"),
    ),
    fresh(
        "hsp-adadelta-lr-ignored",
        "optimizers.Adadelta",
        "subtracts delta without lr: Adadelta's delta is unit-correct by itself, but PyTorch still scales "
        "the step by lr (default 1.0)",
        (
            "            p.data -= self.lr * delta\n",
            "            p.data -= delta  # Adadelta needs no learning rate\n",
        ),
        expect=("lr-ignored", "adadelta-lr-ignored"),  # added after reading output
        phrases=("lr", "learning rate"),
    ),
    fresh(
        "hsp-adam-amsgrad-np-max",
        "optimizers.Adam",
        "np.max(max_exp_avg_sq, v) for the elementwise maximum: np.max reduces one array (its second argument "
        "is the axis); the running elementwise maximum is np.maximum",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.max(state["max_exp_avg_sq"], v)\n',
        ),
        expect=("max-for-maximum",),
        phrases=("np.maximum", "elementwise"),
    ),
    fresh(
        "hsp-adamw-decays-and-adds-l2",
        "optimizers.AdamW",
        "decays the weights and also returns g + wd p: the decoupled decay replaces the L2 term in the "
        "gradient, it must not be applied on top of it",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g + self.weight_decay * p.data\n",
        ),
        expect=("adamw-l2-decay", "decoupled-weight-decay", "adamw-decay-and-l2"),  # added after reading output
        phrases=("decoupled", "gradient", "twice"),
    ),
    fresh(
        "hsp-sgd-nesterov-drops-gradient",
        "optimizers.SGD",
        "the Nesterov step uses momentum * buf alone: the look-ahead step is g + momentum * buf, the current "
        "gradient stays in",
        (
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                g = self.momentum * buf if self.nesterov else buf\n",
        ),
        # added after reading output (tag-vocabulary audit): nesterov-missing-gradient
        expect=("nesterov-wrong-operand", "nesterov-missing-gradient"),
        phrases=("nesterov", "gradient", "g +"),
    ),
    fresh(
        "hsp-rmsprop-centered-squares-the-average",
        "optimizers.RMSprop",
        "centred variance as square_avg^2 - grad_avg^2: square_avg is already the mean of g^2, the variance "
        "is E[g^2] - E[g]^2",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = np.maximum(state["square_avg"] ** 2 - state["grad_avg"] ** 2, 0.0)\n',
        ),
        # added after reading output (tag-vocabulary audit): centered-square-avg-squared
        expect=("formula-wrong", "not-centred", "centered-square-avg-squared"),
        phrases=("e[g^2]", "variance", "already"),
    ),
    fresh(
        "hsp-adadelta-eps-outside-root",
        "optimizers.Adadelta",
        "std = sqrt(square_avg) + eps: Adadelta puts eps under both roots, sqrt(v + eps)",
        (
            '            std = np.sqrt(state["square_avg"] + self.eps)\n',
            '            std = np.sqrt(state["square_avg"]) + self.eps\n',
        ),
        expect=("adadelta-eps-outside-sqrt",),
        phrases=("eps", "sqrt", "inside"),
    ),
    fresh(
        "hsp-adam-correction-under-root",
        "optimizers.Adam",
        "sqrt(v / sqrt(1 - beta2^t)): the bias correction of v is 1 - beta2^t; taking its root and then the "
        "root of the quotient corrects by a fourth root",
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt(v / bias_correction2_sqrt) + self.eps\n",
        ),
        expect=("bias-correction-sqrt",),
        phrases=("bias correction", "sqrt", "1 - beta2"),
    ),
    fresh(
        "hsp-adagrad-linear-lr-decay",
        "optimizers.Adagrad",
        "lr (1 - (t - 1) lr_decay): PyTorch's Adagrad divides, lr / (1 + (t - 1) lr_decay); the linear form "
        "turns negative after 1 / lr_decay steps",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr * (1.0 - (self.t - 1) * self.lr_decay)\n",
        ),
        # added after reading output (tag-vocabulary audit): lr-decay-linear
        expect=("formula-wrong", "lr-decay", "lr-decay-linear"),
        phrases=("divide", "1 +", "lr_decay"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hsp-fan-receptive-field-last-two",
        "init.fan_in_and_fan_out",
        "the receptive field as shape[-1] * shape[-2]: for a 2-D Linear weight those are the output and input "
        "sizes themselves; the receptive field is the product of the axes after the first two (1 if none)",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = shape[-1] * shape[-2]\n",
        ),
        expect=("fixed-number-of-axes", "receptive-field-partial"),
        phrases=("receptive field", "shape[2:]", "linear"),
    ),
    fresh(
        "hsp-xavier-uniform-bound-three-std",
        "init.xavier_uniform",
        "bound = 3 std: U(-b, b) has variance b^2 / 3, so b = sqrt(3) std",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound = math.sqrt(3.0) * std",
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound = 3.0 * std",
        ),
        expect=("uniform-bound", "sqrt-missing"),
        phrases=("sqrt(3)", "variance", "b^2 / 3"),
    ),
    fresh(
        "hsp-kaiming-normal-fan-in-always",
        "init.kaiming_normal",
        "divides by sqrt(fan_in) whatever mode says: mode='fan_out' must use fan_out",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal",
            "    std = gain / math.sqrt(fan_in)\n    weight = rng.normal",
        ),
        expect=("mode-ignored",),
        phrases=("mode", "fan_out"),
    ),
    fresh(
        "hsp-fan-receptive-field-four-d-only",
        "init.fan_in_and_fan_out",
        "multiplies shape[2] * shape[3] only for 4-D weights: a 3-D (Conv1d) or 5-D weight has a receptive "
        "field too, the product of every axis after the first two",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = shape[2] * shape[3] if len(shape) == 4 else 1\n",
        ),
        expect=("fixed-number-of-axes", "receptive-field-ignored"),  # added after reading output
        phrases=("receptive field", "every axis", "3-d"),
    ),
    fresh(
        "hsp-xavier-uniform-one-argument",
        "init.xavier_uniform",
        "rng.uniform(bound, size=shape): one positional argument is low, high stays 1.0, so the draws lie in "
        "[bound, 1); the interval is (-bound, bound)",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)",
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(bound, size=shape)",
        ),
        expect=("uniform-bound", "not-centred"),  # added after reading output
        phrases=("-bound", "low", "symmetric"),
    ),
    fresh(
        "hsp-xavier-normal-gain-under-root",
        "init.xavier_normal",
        "sqrt(2 gain / (fan_in + fan_out)): the gain multiplies the standard deviation, it is not under the root",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal",
            "    std = math.sqrt(2.0 * gain / (fan_in + fan_out))\n    weight = rng.normal",
        ),
        expect=("gain-under-root", "formula-wrong", "root-scope"),  # added after reading output
        phrases=("gain", "sqrt", "standard deviation"),
    ),
    fresh(
        "hsp-kaiming-uniform-root-of-three-std",
        "init.kaiming_uniform",
        "bound = sqrt(3 std): the bound is sqrt(3) times the standard deviation, the root is of 3 only",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0 * std)\n",
        ),
        expect=("uniform-bound", "operator-precedence", "root-scope"),  # added after reading output
        phrases=("sqrt(3)", "bound"),
    ),
    fresh(
        "hsp-kaiming-normal-std-without-root",
        "init.kaiming_normal",
        "std = gain / fan: the variance is gain^2 / fan, so the standard deviation is gain / sqrt(fan)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal",
            "    std = gain / fan\n    weight = rng.normal",
        ),
        expect=("sqrt-missing",),
        phrases=("sqrt", "standard deviation", "variance"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hsp-minibatches-shuffle-in-place-separately",
        "training.minibatches",
        "rng.shuffle(X) then rng.shuffle(y): two different permutations break the input-target pairs, and "
        "both shuffle the caller's arrays in place",
        (
            "        X, y = X[order], y[order]\n",
            "        rng.shuffle(X)\n        rng.shuffle(y)\n",
        ),
        expect=("unpaired-shuffle", "modifies-input", "shuffles-in-place"),  # added after reading output
        phrases=("pair", "same permutation", "in place"),
    ),
    fresh(
        "hsp-fit-backward-scaled-by-batch",
        "training.fit",
        "multiplies the loss gradient by the batch size before backward: the loss is already the batch mean, "
        "its gradient is what backward takes",
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(loss_fn.backward() * len(X_batch))\n",
        ),
        expect=("times-batch-size",),
        phrases=("mean", "batch size"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hsp-perceptron-predict-heaviside-half",
        "models.Perceptron",
        "predict uses np.heaviside(scores, 0.5): a score of exactly 0 then predicts 0.5; the perceptron's "
        "step gives 0 at 0",
        (
            "        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = np.heaviside(scores, 0.5)\n",
        ),
        expect=("step-at-zero",),
        phrases=("0", "step", "heaviside"),
    ),
    fresh(
        "hsp-sequential-forward-result-dropped",
        "models.Sequential",
        "y = layer.forward(x) in the loop: x is never rebound, so every layer sees the original input and the "
        "model returns it unchanged",
        (
            "            x = layer.forward(x)\n",
            "            y = layer.forward(x)\n",
        ),
        expect=("result-discarded", "forward-not-chained"),  # added after reading output
        phrases=("output", "next layer", "assign"),
    ),
    fresh(
        "hsp-sequential-forward-skips-last",
        "models.Sequential",
        "loops over self.layers[:-1], as if the last layer were only an output: every layer's forward runs",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        for layer in self.layers[:-1]:\n            x = layer.forward(x)\n",
        ),
        expect=("layer-skipped", "loop-off-by-one", "forward-skips-layer"),  # added after reading output
        phrases=("last layer", "every layer", "slice"),
    ),
    fresh(
        "hsp-sequential-backward-result-dropped",
        "models.Sequential",
        "grad = layer.backward(grad_y) without rebinding grad_y: each layer gets the model's upstream gradient, "
        "not its successor's gradient",
        (
            "            grad_y = layer.backward(grad_y)\n",
            "            grad = layer.backward(grad_y)\n",
        ),
        expect=("result-discarded", "backward-not-chained"),  # added after reading output
        phrases=("chain", "next", "assign"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hsp-numgrad-skips-zero-entries",
        "gradcheck.numerical_gradient",
        "loops over zip(*np.nonzero(x)): entries equal to 0 are never probed, their gradient stays 0; every "
        "entry is probed (np.ndindex)",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    for index in zip(*np.nonzero(x)):\n",
        ),
        expect=("entries-skipped",),
        phrases=("every entry", "zero", "ndindex"),
    ),
    fresh(
        "hsp-numgrad-relative-step",
        "gradcheck.numerical_gradient",
        "probes x (1 +- h): the step is then h |x|, but the difference is still divided by 2h; the probes are x +- h",
        span(
            "gradcheck",
            ("        x[index] = original + h\n", "        x[index] = original * (1.0 + h)\n"),
            ("        x[index] = original - h\n", "        x[index] = original * (1.0 - h)\n"),
        ),
        expect=("probe-wrong-point", "numgrad-divisor"),  # added after reading output
        phrases=("x + h", "step", "2h"),
    ),
    fresh(
        "hsp-relerr-norm-ratio",
        "gradcheck.relative_error",
        "||a - b|| / (||a|| + ||b||), the norm-based check from the notes: relative_error is entry-wise, the "
        "largest |a - b| / max(1e-8, |a| + |b|); a norm hides one bad entry among large ones",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.linalg.norm(a - b) / np.maximum(1e-8, np.linalg.norm(a) + np.linalg.norm(b))\n",
        ),
        expect=("norm-not-entrywise",),
        phrases=("entry", "largest", "norm"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hsp-early-stopping-saved-live-arrays",
        "early_stopping.fit_early_stopping",
        "copy_state keeps p.data itself: optimizers update the parameters in place, so the saved 'best' "
        "follows training and restore_best restores the last weights",
        (
            "    params = [np.array(p.data, copy=True) for p in model.parameters()]\n",
            "    params = [p.data for p in model.parameters()]\n",
        ),
        expect=("saved-state-stale", "aliasing"),
        phrases=("copy", "in place", "best"),
    ),
    fresh(
        "hsp-early-stopping-evaluation-leaves-eval-mode",
        "early_stopping.fit_early_stopping",
        "the validation loss is computed in eval mode and the model is never put back in training mode: the "
        "following epochs train without dropout and with BatchNorm's running statistics",
        (
            "    try:\n"
            "        return float(loss_fn.forward(model.forward(np.asarray(X)), np.asarray(y)))\n"
            "    finally:\n"
            "        if was_training:\n"
            "            model.train()\n",
            "    return float(loss_fn.forward(model.forward(np.asarray(X)), np.asarray(y)))\n",
        ),
        expect=("train-eval", "not-restored", "left-in-eval-mode"),  # added after reading output
        phrases=("train", "eval", "mode"),
    ),
    fresh(
        "hsp-early-stopping-buffers-not-copied",
        "early_stopping.fit_early_stopping",
        "copy_state keeps BatchNorm's running arrays themselves: they are updated in place (*=, +=), so the "
        "saved statistics follow training and the restored model has the last ones",
        (
            "        {name: np.array(getattr(m, name), copy=True) for name in BUFFER_NAMES if hasattr(m, name)}\n",
            "        {name: getattr(m, name) for name in BUFFER_NAMES if hasattr(m, name)}\n",
        ),
        expect=("saved-state-stale", "aliasing"),
        phrases=("copy", "in place", "running"),
    ),
    fresh(
        "hsp-early-stopping-validates-on-training-data",
        "early_stopping.fit_early_stopping",
        "evaluates on X, y: the stopping criterion is the validation loss, on X_val, y_val",
        (
            "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n",
            "        val_loss = evaluate_loss(model, loss_fn, X, y)\n",
        ),
        expect=("validation-inputs-wrong",),
        phrases=("validation", "x_val"),
    ),
]

FRESH_P: list[Mutant] = [
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
