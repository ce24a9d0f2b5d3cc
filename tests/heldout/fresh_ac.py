"""Held-apart set AC (activations, layers and losses): fresh student bugs, written blind after sets A to AB.

Set AC was written blind, in two halves by two authors at the same time; this module is the activations, layers and
losses half (fresh_ac2.py, which its author did not read, holds the optimizers, init, training, models, gradcheck and
early-stopping half). Its author read the reference (reference/*.py), docs/api.md, tests/heldout/_edits.py, the format
and docstrings of fresh_aa.py and fresh_ab.py, the ``expect`` tags of the catalogue (graders/mutants) and of
tests/heldout (for the tag vocabulary only), and of tests/test_feedback_generalisation.py only its FAMILIES and SETS
dicts and its ``_changes`` rule (to check for copies). To avoid earlier ideas it listed, through that module's
``catalogue()`` and ``EVERY``, the ids of every catalogue and earlier held-apart bug of the three families (sets A to AB
and drill 1, not only P to AB), and printed the description and edit of about fifteen of them whose idea was unclear
from the id (among them catalogue bugs: elu-backward-clamp-maximum, conv-column-stride-ignored,
bn1d-affine-indexed-for-images). The author never read the diagnosis (graders/judging, graders/reporting,
graders/running, graders/selfcheck, graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback
audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/* (beyond its own brief), the grader's
feedback or its output, and graded none of these bugs. Written under a short deadline.

About 120 ideas were considered against the roughly 1,700 catalogue and held-apart bugs of these three families; most
were dropped before being written because an earlier id or description already names them (for instance a per-row
softmax Jacobian built from a 1-D transpose, the hinge's true class left in through ``==`` for ``=``, a BCE clamp
through np.nan_to_num, Dropout rescaled by the realised keep rate), or because they change nothing (tanh as 2
sigmoid(2x) - 1, which is stable; Softplus' naive log(1 + e^z) below the threshold; a sigmoid written through exp(min(x,
0))). 41 candidates were drafted and 39 written; the copy check (``_changes`` against the catalogue and every earlier
set) found no copy among the 39. The two not written were dropped by the author: Conv2d's stride pair unpacked as (sW,
sH) inside the as_strided window view (it reads outside the padded buffer, so its output is undefined memory rather than
a mistake one can grade), and BatchNorm1d's backward testing ``self.training`` instead of the flag saved by forward (it
shows only when the mode is switched between forward and backward, which no ordinary use does). Every remaining edit was
run beside the reference with a script of the author's own on small inputs (1-D, 2-D and 3-D inputs with a softmax dim
of 0, 1 and -1, inputs in the tails at +-12, +-40 and +-800, non-default alpha, beta, threshold, approximate and pieces,
Linear and Conv2d with and without bias, rectangular kernels with stride and padding and in_channels != out_channels,
pooling with overlapping windows and a remainder, (N, C), (N, C, L) and (N, C, H, W) batch norm in train and eval with
non-default gamma, beta, eps and momentum over two training steps, Dropout on ReLU-like inputs with zeros and on a
3-entry input over 4000 draws, BCE at p = 0, 1 and 1e-60, cross-entropy with a logit 1000, hinge scores with ties) and
changed a result or raised. The correct forms of the three new code paths (a staged batch-norm backward through dvar and
dmu, an average pool from a summed-area table, a convolution summed channel by channel) were checked to equal the
reference, so each bug is the one slip its description names. Some show only on particular inputs: GELU's and Sigmoid's
cancellations only in the left tail (a relative, not an absolute, error: about 1e-16 in value), ELU's saved clipped
input only for alpha != 1, Conv2d's reshape by in_channels only when in_channels != out_channels, Softmax's atleast_2d
only for 1-D input, Dropout's y / x only where an input is exactly 0, the hinge's exclusion by value only at a tie with
the true class, the MSE's ones-vector sandwich only for inputs that are not 2-D, BCE through logits only at p = 0 or 1
or p < e^-100, cross-entropy's shift by the true logit only for a logit gap above about 709.

The families: 12 activations bugs over 10 classes (ELU and Maxout two each; Step, Identity, Tanh, Sigmoid, SiLU, GELU,
Softplus and Softmax one each), 20 layers bugs (Linear, Conv2d, BatchNorm1d and BatchNorm2d three each; MaxPool2d,
AvgPool2d, Flatten and Dropout two each), 7 losses bugs over all five losses (CrossEntropyLoss and MSELoss two each).

Classes covered: numerics (GELU's Phi as (1 + erf) / 2 and the sigmoid's negative branch as 1 - 1 / (1 + z), both
cancelling in the tail; cross-entropy shifted by the true class's logit, which can overflow; BCE turned back into
logits, infinite at p = 0 or 1 and unclamped below e^-100), formulas remembered wrongly (Step's threshold at 0.5,
LeCun's scaled tanh, ELU's alpha (1 - e^x), the staged batch-norm backward's variance derivative without its 2, with
x_hat for x - mu, and with the power rule's sign lost, a summed-area table without its corner term), code copied and not
adapted (Identity's backward returning the saved input, SiLU's backward in the sigmoid's y (1 - y) form on its own
output, Conv2d's weight matrix reshaped by in_channels), numpy semantics (np.atleast_2d taken for a reshape in Flatten
and as a batch promotion in Softmax, take_along_axis with the index's new axis last in Maxout and without it in
MaxPool2d, index arrays mixed with slices in MaxPool2d's scatter, sliding_window_view with a window over every axis,
np.dot for the entrywise x t, .nbytes for .size, an (N, C)-only ones-vector sandwich, (C, 1) columns that broadcast only
for (N, C, L), a Parameter used without .data), Python semantics (a conditional expression that takes the whole sum, a
statement indented into the bias branch, an assignment instead of += in a channel loop, a bias added inside that loop, a
trailing comma making a tuple, a square binding to the mean), order of steps and saved state (Softplus' identity mask
taken after clipping, ELU saving the clipped input, the backward's inv_std saved without eps, CE saving
log-probabilities as probabilities, Dropout's backward from y / x), wrong or ignored hyper-parameters (Maxout's backward
with two pieces), and wrong distributions and comparisons (Dropout dropping exactly int(p * size) entries, the hinge
excluding the true class by value). Ids start with ``hsac-``. The ``expect`` tags and ``phrases`` were decided from the
misconception alone, before any grading, from the existing vocabulary.

Blind rate, measured before anybody read the set (session 19, on the tree that taught set AB; each bug graded in the
grader's sandbox), for the whole of set AC (this file and fresh_ac2.py, 76 bugs): 35/76 named (46 %), 67 caught, 14
flagged misleading. One bug of part 2 was dropped after grading as no mistake under the rubric (relative_error's
nanmax: docs/api.md leaves a nan entry's handling to the implementation), leaving 75: 35 named (47 %), 67 caught, 14
flagged. Of the 14, 7 were the right diagnosis under another tag (added to their ``expect`` after reading the
sentence: SGD's first velocity also updated, a zero gradient skipped, Adagrad's t one ahead, AdamW's decay times lr
twice, fit's unweighted mean, take_along_axis without its axis, BatchNorm's variance term added) and 7 were wrong
claims: ELU's sign-flipped branch read as a bitwise not, ELU's clipped input saved read as alpha on both branches,
Softplus' mask taken after the clip read as the output clipped, Flatten's atleast_2d read as an axis kept, cross-
entropy shifted by the true logit read as an underflow, RMSprop's eps as a floor read as rounding, and
numerical_gradient's buffer made per entry read as the store after the loop. The writers, told to avoid every idea
an earlier set names, went to corners: nine bugs only crash (the crash was reported, its cause not named), several
show only on rare inputs (exact zeros, ties, 1-D input, scripted loss sequences), and two lose precision only in a
far tail, below every tolerance (both still not caught: UNCAUGHT in tests/test_feedback_generalisation.py). In this
part: 14/39 named, 34 caught, 7 flagged.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsac-")  # set AC


_BN_TRAIN_BACKWARD = (
    "            grad_x = self._inv_std * (\n"
    "                grad_x_hat\n"
    "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
    "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
    "            )\n"
)


def _staged_bn_backward(centred: str, dvar_sign: str, two: str) -> str:
    """The CS231n staged batch-norm backward (through dvar and dmu), as a student writes it."""
    return (
        "            m = grad_y.size // grad_y.shape[1]  # values per channel\n"
        f"            xmu = {centred}  # the centred input x - mu\n"
        f"            dvar = (grad_x_hat * xmu).sum(axis=axes, keepdims=True) * {dvar_sign}0.5 * self._inv_std**3\n"
        "            dmu = -(grad_x_hat * self._inv_std).sum(axis=axes, keepdims=True)\n"
        "            dmu = dmu + dvar * (-2.0 * xmu).mean(axis=axes, keepdims=True)\n"
        f"            grad_x = grad_x_hat * self._inv_std + dvar * {two}xmu / m + dmu / m\n"
    )


ACTIVATIONS = [
    fresh(
        "hsac-step-threshold-at-half",
        "activations.Step",
        "the step fires for x > 0.5, the threshold of a probability (a sigmoid output), instead of x > 0: the "
        "perceptron's Heaviside step is 1.0 exactly where x > 0",
        ("        return (x > 0).astype(np.float64)\n", "        return (x > 0.5).astype(np.float64)\n"),
        expect=("formula-constant", "threshold-half"),
        phrases=("0.5",),
    ),
    fresh(
        "hsac-identity-backward-returns-saved-input",
        "activations.Identity",
        "backward is forward's body copied over: forward saves self._x and backward returns it, the input instead of "
        "the gradient; the identity's derivative is 1, so backward returns grad_y",
        span(
            "activations",
            (
                "        ### BEGIN SOLUTION\n        return x\n",
                "        ### BEGIN SOLUTION\n        self._x = x\n        return x\n",
            ),
            ("        return grad_y\n", "        return self._x\n"),
        ),
        expect=("copy-paste",),
        phrases=("grad_y",),
    ),
    fresh(
        "hsac-tanh-lecun-scaled",
        "activations.Tanh",
        "forward computes LeCun's 'recommended' scaled tanh 1.7159 tanh(2x/3) instead of tanh x, while backward "
        "keeps 1 - y^2: Tanh is the plain tanh x (and 1 - y^2 is only its derivative)",
        (
            "        self._y = np.tanh(x)\n        return self._y\n",
            "        self._y = 1.7159 * np.tanh(2.0 / 3.0 * x)  # LeCun's recommended tanh\n        return self._y\n",
        ),
        expect=("formula-constant", "formula-wrong"),
        phrases=("1.7159",),
    ),
    fresh(
        "hsac-silu-backward-sigmoid-formula-on-own-output",
        "activations.SiLU",
        "copied from Sigmoid: forward saves its own output y = x s and backward returns grad_y * y (1 - y), the "
        "sigmoid's derivative formula applied to SiLU's output; SiLU's derivative is s + x s (1 - s)",
        span(
            "activations",
            (
                "        self._s = self._sigmoid.forward(x)\n        return x * self._s\n",
                "        self._s = self._sigmoid.forward(x)\n        self._y = x * self._s\n        return self._y\n",
            ),
            (
                "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
                "        return grad_y * self._y * (1.0 - self._y)\n",
            ),
        ),
        expect=("derivative-wrong-form", "copy-paste", "derivative-at-output"),
        phrases=("sigmoid",),
    ),
    fresh(
        "hsac-elu-negative-branch-one-minus-exp",
        "activations.ELU",
        "the negative branch is alpha (1 - e^x), the sign of the exponential part turned around: for x < 0 the "
        "output is positive; ELU's negative branch is alpha (e^x - 1), which tends to -alpha",
        (
            "        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        return np.where(x > 0, x, self.alpha * (1.0 - np.exp(np.minimum(x, 0.0))))\n",
        ),
        expect=("sign-flipped",),
        phrases=("sign",),
    ),
    fresh(
        "hsac-elu-saves-clipped-input",
        "activations.ELU",
        "forward saves min(x, 0), the clipped value it feeds to expm1, as self._x: backward then never sees a "
        "positive input and gives every x > 0 the slope alpha e^0 = alpha instead of 1; save the input itself",
        (
            "        self._x = x\n        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        self._x = np.minimum(x, 0.0)  # the part exp sees, saved for backward\n"
            "        return np.where(x > 0, x, self.alpha * np.expm1(self._x))\n",
        ),
        expect=("forward-backward-mismatch", "saved-state-overwritten"),
        phrases=("saved", "positive"),
    ),
    fresh(
        "hsac-gelu-cdf-one-plus-erf",
        "activations.GELU",
        "Phi is computed as (1 + erf(x / sqrt 2)) / 2: in the left tail erf is -1 to double precision and 1 + erf "
        "cancels to 0, so GELU and its gradient lose every digit for x below about -6 (exactly 0); "
        "erfc(-x / sqrt 2) / 2 keeps the tail",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n",
            "        self._cdf = 0.5 * (1.0 + erf(x / math.sqrt(2.0)))\n",
        ),
        expect=("catastrophic-cancellation", "underflow"),
        phrases=("erfc",),
    ),
    fresh(
        "hsac-sigmoid-negative-branch-one-minus",
        "activations.Sigmoid",
        "the negative branch is 1 - 1 / (1 + z) instead of z / (1 + z): the same number in exact arithmetic, but "
        "1 - (something close to 1) cancels, so sigmoid(x) for x below about -37 is exactly 0 and the left tail "
        "loses its digits",
        (
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), 1.0 - 1.0 / (1.0 + z))\n",
        ),
        expect=("catastrophic-cancellation", "underflow"),
    ),
    fresh(
        "hsac-softplus-linear-mask-after-clip",
        "activations.Softplus",
        "beta x is clipped at the threshold (so that exp cannot overflow) before the identity mask is taken from it: "
        "z > threshold is then never true, so above the threshold the output is capped at about threshold / beta "
        "instead of x; take the mask from the unclipped beta x",
        (
            "        z = self.beta * x\n        self._linear = z > self.threshold\n",
            "        z = np.minimum(self.beta * x, self.threshold)  # exp(z) cannot overflow\n"
            "        self._linear = z > self.threshold\n",
        ),
        expect=("order-changed", "input-clipped"),
        phrases=("threshold",),
    ),
    fresh(
        "hsac-softmax-vector-promoted-to-row",
        "activations.Softmax",
        "forward promotes its input with np.atleast_2d 'to have a batch': a 1-D input comes back as a (1, C) row, and "
        "with dim=0 it is normalised along the new length-1 axis (all ones); softmax keeps the input's shape",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        x = np.atleast_2d(x)  # a batch of rows, also for a single vector\n"
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
        ),
        # the last tag added after reading output
        expect=("wrong-shape", "gradient-not-shaped-like-input", "length-one-axis"),
        phrases=("shape",),
    ),
    fresh(
        "hsac-maxout-backward-two-pieces-literal",
        "activations.Maxout",
        "backward compares the winners with np.arange(2), the default number of pieces, instead of "
        "np.arange(self.pieces): with any other number of pieces the gradient mask has the wrong shape",
        (
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n",
            "        won = self._argmax[:, None, :] == np.arange(2)[None, :, None]  # two pieces\n",
        ),
        # added after reading output (tag-vocabulary audit): hyperparameter-ignored#pieces
        expect=("hyperparameter-ignored", "formula-constant", "hyperparameter-ignored#pieces"),
        phrases=("pieces",),
    ),
    fresh(
        "hsac-maxout-gather-index-new-axis-last",
        "activations.Maxout",
        "the winners are gathered with self._argmax[:, :, None], the new axis last: take_along_axis broadcasts it "
        "so every unit takes the piece that won for unit 0; the index needs its new axis at the pieces' position, "
        "argmax[:, None, :]",
        (
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            "        return np.take_along_axis(z, self._argmax[:, :, None], axis=1)[:, 0, :]\n",
        ),
        expect=("maxout-wrong-axis", "broadcast-wrong-axis"),
        phrases=("axis",),
    ),
]


LAYERS = [
    fresh(
        "hsac-linear-bias-conditional-expression",
        "layers.Linear",
        "forward is written y = x @ W.T + b if self.bias is not None else 0.0: the conditional expression takes the "
        "whole sum as its first branch, so without a bias the layer returns 0.0; parenthesise (b if ... else 0)",
        (
            "        y = x @ self.weight.data.T\n        if self.bias is not None:\n            y += self.bias.data\n",
            "        y = x @ self.weight.data.T + self.bias.data if self.bias is not None else 0.0\n",
        ),
        expect=("conditional-expression-precedence", "operator-precedence", "bias-none"),
        phrases=("bias",),
    ),
    fresh(
        "hsac-linear-forward-parameter-not-data",
        "layers.Linear",
        "forward multiplies by self.weight.T, the Parameter object, instead of its array self.weight.data.T: a "
        "Parameter has no .T (AttributeError); the arrays are .data and .grad",
        ("        y = x @ self.weight.data.T\n", "        y = x @ self.weight.T\n"),
        expect=("wrong-type",),
        phrases=(".data",),
    ),
    fresh(
        "hsac-linear-grad-x-indented-under-bias",
        "layers.Linear",
        "grad_x = grad_y @ W is indented into the 'if self.bias is not None' block: without a bias it is never "
        "computed and backward fails (UnboundLocalError); only the bias gradient depends on the bias",
        (
            "            self.bias.grad += grad_y.sum(axis=0)\n        grad_x = grad_y @ self.weight.data\n",
            "            self.bias.grad += grad_y.sum(axis=0)\n            grad_x = grad_y @ self.weight.data\n",
        ),
        # added after reading output (tag-vocabulary audit): unbound-local
        expect=("bias-none", "unbound-local"),
        phrases=("bias",),
    ),
    fresh(
        "hsac-conv-weight-matrix-reshaped-by-in-channels",
        "layers.Conv2d",
        "forward flattens the filters with weight.reshape(self.in_channels, -1): the weight matrix has one row per "
        "filter, reshape(self.out_channels, -1) (it fails whenever in_channels != out_channels)",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
            "        y = self.weight.data.reshape(self.in_channels, -1) @ self._cols\n",
        ),
        expect=("copy-paste", "wrong-shape"),
        phrases=("out_channels",),
    ),
    fresh(
        "hsac-conv-bias-added-inside-channel-loop",
        "layers.Conv2d",
        "forward sums the filters' responses one input channel at a time and adds the bias inside that loop, so it "
        "is added C times; the bias is added once per filter, after the sum over channels",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n"
            "        if self.bias is not None:\n"
            "            y += self.bias.data[:, None]\n",
            "        weights = self.weight.data.reshape(self.out_channels, C, kH * kW)\n"
            "        cols = self._cols.reshape(C, kH * kW, -1)\n"
            "        y = np.zeros((self.out_channels, cols.shape[-1]))\n"
            "        for c in range(C):  # one input channel at a time\n"
            "            y += weights[:, c] @ cols[c]\n"
            "            if self.bias is not None:\n"
            "                y += self.bias.data[:, None]\n",
        ),
        phrases=("bias", "channel"),
    ),
    fresh(
        "hsac-conv-channel-loop-assigns",
        "layers.Conv2d",
        "forward loops over the input channels but assigns y = (channel c's response) instead of adding it: only "
        "the last channel's contribution survives; the output sums over every input channel",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
            "        weights = self.weight.data.reshape(self.out_channels, C, kH * kW)\n"
            "        cols = self._cols.reshape(C, kH * kW, -1)\n"
            "        for c in range(C):  # one input channel at a time\n"
            "            y = weights[:, c] @ cols[c]\n",
        ),
        expect=("assigned-not-accumulated",),
        phrases=("channel",),
    ),
    fresh(
        "hsac-maxpool-backward-index-arrays-mixed-with-slices",
        "layers.MaxPool2d",
        "backward loops over the output positions and scatters with grad_x[:, :, rows, cols] where r and c "
        "are (N, C) arrays of winners: mixing slices with index arrays broadcasts them over every sample and "
        "channel, so each (n, c) receives the other samples' gradients at their winners' positions",
        (
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "        r, c = np.divmod(self._argmax, kW)  # the winner's offset in its window\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                grad_x[:, :, p * sH + r[:, :, p, q], q * sW + c[:, :, p, q]] += grad_y[:, :, p, q]\n",
        ),
        expect=("fancy-index-every-row", "broadcast-wrong-axis"),
        phrases=("index",),
    ),
    fresh(
        "hsac-maxpool-take-along-axis-without-new-axis",
        "layers.MaxPool2d",
        "the maxima are read with np.take_along_axis(windows, argmax, axis=-1): the index must have as many axes "
        "as the windows (argmax[..., None]), so forward raises",
        (
            "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
            "        y = np.take_along_axis(windows, self._argmax, axis=-1)\n",
        ),
        # the last tag added after reading output
        expect=("wrong-shape", "take-without-axis"),
        phrases=("take_along_axis",),
    ),
    fresh(
        "hsac-avgpool-summed-area-table-corner-dropped",
        "layers.AvgPool2d",
        "forward sums each window from a summed-area table (cumulative sums) but forgets to add back the corner "
        "S[i, j] that both subtracted strips removed: every window sum is short by the sum above and left of it",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        N, C, H, W = x.shape  # summed-area table: S[a, b] = sum of x[:a, :b]\n"
            "        S = np.zeros((N, C, H + 1, W + 1))\n"
            "        S[:, :, 1:, 1:] = x.cumsum(axis=2).cumsum(axis=3)\n"
            "        sums = S[:, :, kH:, kW:] - S[:, :, :-kH, kW:] - S[:, :, kH:, :-kW]\n"
            "        y = sums[:, :, ::sH, ::sW] / (kH * kW)\n",
        ),
        expect=("formula-wrong",),
        phrases=("corner",),
    ),
    fresh(
        "hsac-avgpool-window-shape-over-every-axis",
        "layers.AvgPool2d",
        "the windows are taken with sliding_window_view(x, (1, 1, kH, kW)) and averaged over axes (4, 5), which are "
        "now the two length-1 window axes: the output keeps the kH x kW window axes; window over axes (2, 3) and "
        "average the last two",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        windows = sliding_window_view(x, (1, 1, kH, kW))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
        ),
        expect=("wrong-shape", "axis-renumbered"),
        phrases=("axis",),
    ),
    fresh(
        "hsac-flatten-saved-shape-trailing-comma",
        "layers.Flatten",
        "forward saves self._x_shape = x.shape, with a trailing comma: that is a tuple holding the shape, and "
        "backward's reshape of it raises a TypeError; drop the comma",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = x.shape,\n        y = x.reshape(self._y_shape)\n",
        ),
        expect=("wrong-type",),
        phrases=("comma", "tuple"),
    ),
    fresh(
        "hsac-flatten-atleast-2d",
        "layers.Flatten",
        "forward calls np.atleast_2d(x), taken to mean 'make it (N, features)': it only adds axes to inputs with "
        "fewer than two, so a (N, C, H, W) batch comes back unchanged; reshape to (N, -1)",
        ("        y = x.reshape(self._y_shape)\n", "        y = np.atleast_2d(x)  # at least (N, features)\n"),
        expect=("wrong-shape",),
        phrases=("atleast_2d", "reshape"),
    ),
    fresh(
        "hsac-dropout-backward-output-over-input",
        "layers.Dropout",
        "backward uses the local derivative y / x of the saved output and input instead of the mask: where an input "
        "is exactly 0 (a ReLU's output, say) this is 0 / 0 = nan; multiply grad_y by the saved mask",
        span(
            "layers",
            (
                "            y = x * self._mask\n",
                "            y = x * self._mask\n            self._x, self._y = x, y  # dy/dx = y / x\n",
            ),
            (
                "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
                "        grad_x = grad_y if self._mask is None else grad_y * self._y / self._x\n",
            ),
        ),
        # the last tag added after reading output
        expect=("mask-from-output",),
        phrases=("zero", "mask"),
    ),
    fresh(
        "hsac-dropout-exact-fraction-dropped",
        "layers.Dropout",
        "the mask drops exactly int(p * size) entries chosen by a permutation, not each entry independently with "
        "probability p: the count never varies and is rounded down (p = 0.5 of 3 entries drops 1, and the survivors "
        "are still scaled by 2)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n",
            "            keep = np.ones(x.size, dtype=bool)  # drop exactly a fraction p of the entries\n"
            "            keep[self.rng.permutation(x.size)[: int(self.p * x.size)]] = False\n"
            "            keep = keep.reshape(x.shape)\n",
        ),
        expect=("dropout-mask-wrong-distribution", "rounded-values"),
        phrases=("independ",),
    ),
    fresh(
        "hsac-bn1d-eps-missing-in-saved-inv-std",
        "layers.BatchNorm1d",
        "forward normalises with 1 / sqrt(var + eps) but saves 1 / sqrt(var) for backward: the gradient uses "
        "another scale than the output (badly so for a channel of tiny variance or a large eps)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                        "        self._inv_std = (1.0 / np.sqrt(var)).reshape(shape)  # kept for backward\n"
                        "        self._x_hat = (x - mean.reshape(shape)) / np.sqrt(var + self.eps).reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("forward-backward-mismatch", "bn-no-eps"),
        phrases=("eps",),
    ),
    fresh(
        "hsac-bn1d-statistics-broadcast-as-column",
        "layers.BatchNorm1d",
        "forward broadcasts the (C,) statistics and affine parameters as columns [:, None], the layout of (N, C, L) "
        "sequences: for plain (N, C) features they broadcast along the batch (a shape error, or wrong when N == C); "
        "reshape to (1, C) or (1, C, 1) as the input needs",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n"
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps))[:, None]\n"
                        "        self._x_hat = (x - mean[:, None]) * self._inv_std\n"
                        "        y = self._x_hat * self.weight.data[:, None] + self.bias.data[:, None]\n",
                    )
                ]
            },
        ),
        expect=("fixed-number-of-axes", "broadcast-wrong-axis"),
        phrases=("(n, c)",),
    ),
    fresh(
        "hsac-bn1d-staged-backward-variance-derivative-missing-2",
        "layers.BatchNorm1d",
        "the staged backward (through dvar and dmu) takes the derivative of the variance with respect to x as "
        "(x - mu) / m instead of 2 (x - mu) / m: the variance term of the gradient is halved",
        batchnorm_own(
            "layers.BatchNorm1d",
            {"backward": [(_BN_TRAIN_BACKWARD, _staged_bn_backward("self._x_hat / self._inv_std", "-", ""))]},
        ),
        expect=("bn-backward-variance-term", "half"),
        phrases=("variance",),
    ),
    fresh(
        "hsac-bn2d-staged-backward-x-hat-for-centred",
        "layers.BatchNorm2d",
        "the staged backward uses x_hat where the centred input x - mu belongs (in dvar and in the variance "
        "term): x_hat is x - mu divided by the standard deviation, so the variance term is off by a factor var + eps",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"backward": [(_BN_TRAIN_BACKWARD, _staged_bn_backward("self._x_hat", "-", "2.0 * "))]},
        ),
        expect=("bn-backward-variance-term", "formula-wrong"),
        phrases=("x - mu",),
    ),
    fresh(
        "hsac-bn2d-staged-backward-variance-derivative-sign",
        "layers.BatchNorm2d",
        "the staged backward differentiates (var + eps)^(-1/2) as +1/2 (var + eps)^(-3/2): the minus sign of the "
        "power rule is lost, so the variance term is added instead of subtracted",
        batchnorm_own(
            "layers.BatchNorm2d",
            {"backward": [(_BN_TRAIN_BACKWARD, _staged_bn_backward("self._x_hat / self._inv_std", "", "2.0 * "))]},
        ),
        # the last tag added after reading output
        expect=("sign-flipped", "bn-backward-variance-term", "bn-backward-term-sign"),
        phrases=("sign",),
    ),
    fresh(
        "hsac-bn2d-variance-square-binds-to-mean",
        "layers.BatchNorm2d",
        "the batch variance is typed (x - mean ** 2).mean(): the square binds to the mean, giving E[x] - E[x]^2 "
        "(often negative, and sqrt of it nan); the variance is ((x - mean) ** 2).mean()",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                        "            var = (x - mean.reshape(shape) ** 2).mean(axis=axes)\n",
                    )
                ]
            },
        ),
        expect=("operator-precedence", "precedence"),
        phrases=("variance",),
    ),
]


LOSSES = [
    fresh(
        "hsac-ce-shift-by-true-class-logit",
        "losses.CrossEntropyLoss",
        "the logits are shifted by the true class's logit (so that it scores 0) instead of the row maximum: the shift "
        "cancels in exact arithmetic, but a wrong class far above the true one overflows exp (inf, then nan); only "
        "the maximum keeps every exponent <= 0",
        (
            "            shifted = x - x.max(axis=1, keepdims=True)\n",
            "            shifted = x - x[np.arange(N), self._labels][:, None]  # the true class scores 0\n",
        ),
        expect=("overflow",),
        phrases=("max",),
    ),
    fresh(
        "hsac-ce-saves-log-probabilities-as-probs",
        "losses.CrossEntropyLoss",
        "forward saves the log-probabilities as self._probs (np.exp forgotten): backward subtracts the one-hot "
        "from log softmax instead of softmax",
        ("        self._probs = np.exp(log_probs)\n", "        self._probs = log_probs\n"),
        expect=("forward-backward-mismatch", "softmax-missing"),
        phrases=("exp",),
    ),
    fresh(
        "hsac-bce-through-logits-of-probabilities",
        "losses.BCELoss",
        "the probabilities are turned back into logits log(p / (1 - p)) to reuse the stable logits formula: at "
        "p = 0 or 1 the logit is infinite (nan or inf loss), and a p below e^-100 costs more than the clamp's 100; "
        "BCELoss clamps each log at -100",
        (
            '        with np.errstate(divide="ignore"):  # log(0) = -inf, which the clamp turns into -100\n'
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            '        with np.errstate(divide="ignore"):\n'
            "            x = np.log(p) - np.log1p(-p)  # back to logits, for the stable formula\n"
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x))))\n",
        ),
        expect=("bce-not-clamped", "bce-clamp"),
        phrases=("clamp",),
    ),
    fresh(
        "hsac-bcelogits-linear-term-dot-product",
        "losses.BCEWithLogitsLoss",
        "the x t term is written np.dot(x, t): for vectors that is one number (the sum of x t), subtracted from every "
        "entry before the mean, and for (N, C) inputs a matrix product; the formula's x t is entrywise",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(np.maximum(x, 0.0) - np.dot(x, t) + np.log1p(z))\n",
        ),
        expect=("matmul-for-elementwise",),
        phrases=("entrywise",),
    ),
    fresh(
        "hsac-mse-ones-vector-sandwich",
        "losses.MSELoss",
        "the loss is written 1_N^T (E * E) 1_C / (N C) from an (N, C) course formula, unpacking N, C = diff.shape: "
        "any input that is not 2-D fails; the mean of the squares works for every shape",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        N, C = self._diff.shape\n"
            "        loss = np.ones(N) @ (self._diff**2) @ np.ones(C) / (N * C)  # 1^T (E * E) 1 / (N C)\n",
        ),
        expect=("fixed-number-of-axes",),
        phrases=("shape",),
    ),
    fresh(
        "hsac-mse-backward-divided-by-nbytes",
        "losses.MSELoss",
        "backward divides by self._diff.nbytes, the memory size in bytes (8 per float64 entry), instead of "
        "self._diff.size, the number of entries: the gradient is 8 times too small",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        return 2.0 * self._diff / self._diff.nbytes\n",
        ),
        expect=("loss-denominator", "len-for-size"),
        phrases=("size",),
    ),
    fresh(
        "hsac-hinge-true-class-excluded-by-value",
        "losses.HingeLoss",
        "the true class is excluded by value, slack[x == true score] = 0: a wrong class whose score ties with the "
        "true class is excluded too and its margin violation is lost; exclude the entry (n, y_n) by index",
        (
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
            "        slack[x == x[rows, self._labels][:, None]] = 0.0  # the true class is not compared with itself\n",
        ),
        expect=("values-for-indices",),
        phrases=("tie",),
    ),
]


FRESH_AC: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
