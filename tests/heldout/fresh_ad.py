"""Held-apart set AD, first half (activations, layers and losses): realistic student bugs, written blind.

Set AD is written blind, in two halves by two authors at the same time; this module is the activations, layers and
losses half (fresh_ad2.py, the other half, was not read by this module's author). Written by a helper session under a
short deadline (about 35 minutes). Its goal is realism: the mistakes real students of a numpy deep-learning course make,
in the code they write (loops where the reference is vectorised, other names, another order of statements), rather than
corner cases.

What the author read: the reference (reference/*.py), docs/api.md, tests/heldout/_edits.py, the format and docstrings of
fresh_ac.py and fresh_ac2.py (as examples of the format), the ``expect`` tags of the catalogue and of every held-apart
set (for the tag vocabulary only), the ids of every catalogue and earlier held-apart bug of the activations, layers and
losses families and the descriptions of a few of them (through ``catalogue()`` and ``EVERY``), and of
tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts and ``_changes``. What the author did not read:
the diagnosis and grading code (graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback audit, the mistake, crash, diagnosis and
feedback tests, benchmarks/, /work/tools/* (beyond its own brief), fresh_ad2.py, and any grader feedback or output. None
of these bugs was graded.

About 110 ideas were considered against the roughly 1,900 catalogue and held-apart bugs of these three families; most
were dropped before being written because an earlier id already names them in the same component (GELU's density over
sqrt(2) * pi, LogSoftmax's log-sum-exp without its maximum added back, a ReLU or LeakyReLU mask at the kink, an epsilon
inside the log, the stride ignored in a pooling loop, Dropout's p read as the keep probability ...) or because the
student's rewrite changes nothing (a sigmoid through np.where of both naive branches, PReLU's slope gradient through
minimum(x, 0), an ELU that saves its output and reads the mask from it). 39 were drafted and 38 written. One was dropped
by the author: Conv2d padding through np.pad with (pH, pW) read as a (before, after) pair, because when pW < pH the
padded buffer is smaller than the window view expects and the as_strided view reads outside it (undefined memory, not a
mistake one can grade).

Of the 38, 28 rewrite a whole method or function body the way a student writes it (a loop over rows, samples, units,
pieces, filters, output positions, window offsets or channels; CS231n's naive convolution, im2col by hand,
svm_loss_naive, a per-sample cross-entropy, a staged batch norm; np.logaddexp, a Bernoulli likelihood, boolean indexing,
np.where), each with exactly one slip; for every rewrite with a slip that can be undone, the author's script checked
that the rewrite without the slip gives the reference's results (outputs, input and parameter gradients, running
buffers) on the inputs below. 12 share an earlier bug's misconception in the same component, in new code (Softmax's dim
ignored by a row loop, ELU's alpha outside the parentheses in a boolean-index rewrite, MaxPool2d's window width from the
kernel height and its overlapping windows overwritten in a position loop, Flatten assuming four axes, Dropout's backward
without the scale, BatchNorm2d's CS231n momentum convention, cross-entropy's log-sum-exp of the shifted row minus the
raw logit, the MSE divided by the number of samples and its floor division, BCE without its clamp, BCEWithLogits' saved
sigmoid(-x)); the other 26 are ideas the author did not find among the earlier ids or descriptions of the same component
(two, GELU and Softplus scaling the caller's input in place, carry a misconception other components' bugs already have).

Classes covered: loop bounds and loop structure (an output-column loop over the height, window starts stopping one
short, an output size without its + 1, a class loop one short, a column counter reset per sample, an average and two
running-average updates indented into a loop, a hinge sum dedented out of its if), accumulation (the input gradient
assigned instead of added in a loop over Maxout pieces, Linear units and Conv2d filters; a batch sum added once per
sample), order of statements (a running maximum updated before the winner is compared with it, in Maxout and MaxPool2d),
indices (channel c taken as contribution[c], a count looked up by the label, the row index in a column slice, the row
stride for the column corner, the kernel height for the window width), caching the wrong thing (the sigmoid's e^-|x|,
GELU's tanh argument, SiLU's output as its input), in-place updates of the caller's input (GELU, Softplus), shapes and
buffers (an output buffer like the input), names (the formula's m for the count read as the code's m for the momentum),
conventions and formulas (CS231n's momentum, a running variance made biased again in eval, alpha outside the
parentheses, sigmoid(-x) from log-add-exp, an unclamped likelihood), reductions (per-sample sums divided by N, floor
division) and train/eval (the boolean mask saved by Dropout). Components: activations Softmax, Maxout (2), PReLU, ELU,
GELU (2), Sigmoid, SiLU and Softplus (10 bugs); layers Linear (3), Conv2d (4), MaxPool2d (3), AvgPool2d (3), Flatten,
Dropout, BatchNorm1d and BatchNorm2d (3) (19 bugs); losses HingeLoss (4), CrossEntropyLoss, MSELoss (2), BCELoss and
BCEWithLogitsLoss (9 bugs).

Every edit applies, its module imports, and no edit is a textual copy (same component and ``_changes``) of a catalogue
mutant or an earlier held-apart bug. Every edit was run beside the reference with a script of the author's own on small,
ordinary inputs (2-D, 3-D and 4-D activations inputs with dim 0, 1 and -1, alpha 0.7, beta 2 with threshold 5, tanh
GELU, Maxout with 3 pieces, per-channel PReLU; Linear with M < D, M > D and M = D, with and without bias; Conv2d with
rectangular kernels, unequal strides and paddings, in_channels != out_channels; pooling with overlapping windows,
remainders and rectangular windows; Flatten on 2-, 3- and 4-D input; Dropout at p = 0.3 and 0.5; batch norm on (N, C),
(N, C, L) and (N, C, H, W) over two training steps and one eval step with non-default gamma, beta, eps and momentum; the
losses on soft and hard targets, a hinge margin of 0.7 and 3-D MSE input) and changed a result; in four of them some
configurations raise instead (Linear's output buffer when M > D, the col2im corner when sH > sW, the output size without
+ 1 whose output has the wrong shape, Flatten on 2-D or 3-D input). Ids start with ``hsad-``. The ``expect`` tags and
``phrases`` were decided from the misconception alone, before any grading, from the existing vocabulary.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback): 23/38 named (61 %), 38 caught,
3 misleading. The whole set: 53/74 named (72 %), 73 caught, 8 misleading (the second half: 30/36, 35 caught, 5).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug

fresh = partial(held_apart_bug, "hsad-")  # set AD

_HINGE_FORWARD = (
    "        rows = np.arange(x.shape[0])\n"
    "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
    "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
    "        self._active = (slack > 0).astype(np.float64)\n"
    "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n"
    "        return float(loss)\n"
)
_HINGE_BACKWARD = (
    "        N = self._active.shape[0]\n"
    "        grad = self._active.copy()\n"
    "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n"
    "        return grad / N\n"
)
_MAXPOOL_FORWARD = (
    "        self._x_shape = x.shape\n"
    "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
    "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n"
    "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n"
    "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n"
)
_AVGPOOL_FORWARD = (
    "        self._x_shape = x.shape\n"
    "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
    "        y = windows.mean(axis=(4, 5))\n"
)
_BN_TRAIN_STATISTICS = (
    "            mean = x.mean(axis=axes)\n"
    "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"
    "            m = self.momentum\n"
    "            self.running_mean *= 1.0 - m\n"
    "            self.running_mean += m * mean\n"
    "            self.running_var *= 1.0 - m\n"
    "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
)


def _avgpool_loop_forward(sizes: str, column: str) -> str:
    """Average pooling written as a loop over the output positions, as a student writes it."""
    return (
        "        self._x_shape = x.shape\n"
        "        N, C, H, W = x.shape\n"
        f"        Ho, Wo = {sizes}  # the number of windows\n"
        "        y = np.zeros((N, C, Ho, Wo))\n"
        "        for p in range(Ho):\n"
        "            for q in range(Wo):\n"
        f"                window = x[:, :, p * sH:p * sH + kH, {column}]\n"
        "                y[:, :, p, q] = window.mean(axis=(2, 3))\n"
    )


def _hinge_loop_forward(add: str, average: str) -> str:
    """The CS231n svm_loss_naive loop, as a student writes it."""
    return (
        "        N, C = x.shape\n"
        "        loss = 0.0\n"
        "        self._active = np.zeros((N, C))\n"
        "        for i in range(N):\n"
        "            correct = x[i, self._labels[i]]\n"
        "            for j in range(C):\n"
        "                if j == self._labels[i]:\n"
        "                    continue\n"
        "                margin = x[i, j] - correct + self.margin\n"
        "                if margin > 0:\n"
        "                    self._active[i, j] = 1.0\n"
        f"{add}"
        f"{average}"
        "        return float(loss)\n"
    )


ACTIVATIONS = [
    fresh(
        "hsad-softmax-row-loop-assumes-last-axis",
        "activations.Softmax",
        "forward is a loop over the rows, each shifted by its maximum and divided by its sum: that is softmax along "
        "the last axis of a 2-D input only, whatever dim says (dim=0 normalises the wrong axis, and a 3-D input is "
        "normalised over each whole sample); softmax normalises along axis dim",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n"
            "        return self._y\n",
            "        y = np.zeros_like(x)\n"
            "        for i in range(x.shape[0]):  # one sample (row) at a time\n"
            "            row = x[i] - np.max(x[i])\n"
            "            e = np.exp(row)\n"
            "            y[i] = e / np.sum(e)\n"
            "        self._y = y\n"
            "        return self._y\n",
        ),
        expect=("softmax-wrong-axis", "hyperparameter-ignored", "reduction-over-whole-array"),
        phrases=("dim", "axis"),
    ),
    fresh(
        "hsad-maxout-backward-piece-loop-grad-x-assigned",
        "activations.Maxout",
        "backward loops over the pieces and, for each, sends the gradient of the units it won through its weights; "
        "grad_x = g @ weight[k] is assigned in the loop, so only the last piece's contribution is returned; the "
        "input gradient sums every piece's, grad_x += g @ weight[k]",
        (
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n"
            "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n"
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n'
            "        self.bias.grad += grad_z.sum(axis=0)\n"
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            "        grad_x = np.zeros_like(self._x)\n"
            "        for k in range(self.pieces):\n"
            "            g = np.where(self._argmax == k, grad_y, 0.0)  # (N, M): the units where piece k won\n"
            "            self.weight.grad[k] += g.T @ self._x\n"
            "            self.bias.grad[k] += g.sum(axis=0)\n"
            "            grad_x = g @ self.weight.data[k]\n"
            "        return grad_x\n",
        ),
        expect=("assigned-not-accumulated", "maxout-grad-to-wrong-piece"),
        phrases=("+=", "last piece", "every piece"),
    ),
    fresh(
        "hsad-maxout-running-max-before-winner",
        "activations.Maxout",
        "forward keeps a running maximum over the pieces and updates it before asking which piece is better: "
        "best = maximum(best, z_k) and then where(z_k > best, k, argmax), which is never true, so the saved winner "
        "is always piece 0 and backward sends every gradient to piece 0; compare first, then update the maximum",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            "        W, b = self.weight.data, self.bias.data\n"
            "        best = x @ W[0].T + b[0]  # piece 0's values, (N, M)\n"
            "        self._argmax = np.zeros(best.shape, dtype=int)\n"
            "        for k in range(1, self.pieces):\n"
            "            z_k = x @ W[k].T + b[k]\n"
            "            best = np.maximum(best, z_k)\n"
            "            self._argmax = np.where(z_k > best, k, self._argmax)\n"
            "        return best\n",
        ),
        expect=("order-changed", "maxout-grad-to-wrong-piece", "compared-with-itself"),
        phrases=("winner", "piece 0", "order"),
    ),
    fresh(
        "hsad-prelu-channel-loop-indexes-samples",
        "activations.PReLU",
        "the per-channel slope gradient is a loop over the channels that adds contribution[c].sum(): contribution[c] "
        "is sample c (axis 0), not channel c, so slope c collects the negative part of one sample over every channel; "
        "channel c is contribution[:, c]",
        (
            "        else:  # sum over every axis but the channel axis\n"
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "        else:\n"
            "            for c in range(self.num_parameters):\n"
            "                self.weight.grad[c] += contribution[c].sum()  # everything of channel c\n",
        ),
        expect=("prelu-grad-wrong-axes", "sum-wrong-axis", "batch-classes-confused"),
        phrases=("channel", "axis"),
    ),
    fresh(
        "hsad-elu-boolean-index-alpha-outside-parentheses",
        "activations.ELU",
        "forward copies x and overwrites the negative entries with alpha * np.exp(x[neg]) - 1.0: the parentheses "
        "around e^x - 1 are missing, so the negative branch is alpha e^x - 1, which tends to -1 instead of -alpha "
        "(right only for alpha = 1); it is alpha (e^x - 1)",
        (
            "        self._x = x\n        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
            "        self._x = x\n"
            "        y = x.copy()\n"
            "        neg = x <= 0\n"
            "        y[neg] = self.alpha * np.exp(x[neg]) - 1.0\n"
            "        return y\n",
        ),
        expect=("alpha-outside-parentheses", "operator-precedence"),
        phrases=("parenthes", "alpha"),
    ),
    fresh(
        "hsad-gelu-forward-scales-input-in-place",
        "activations.GELU",
        "the exact branch computes y with x *= Phi(x) and returns x: the caller's input array is overwritten with "
        "the output, and self._x, the same array, now holds y, so backward evaluates Phi + x phi at y instead of x; "
        "compute y into a new array, y = x * Phi(x)",
        (
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n        return x * self._cdf\n",
            "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))\n"
            "        x *= self._cdf  # y = x Phi(x)\n"
            "        return x\n",
        ),
        # the last tag added after reading output
        expect=("modifies-input", "aliasing", "saved-state-overwritten", "saved-output-not-input"),
        phrases=("in place", "input"),
    ),
    fresh(
        "hsad-gelu-tanh-saves-argument-not-tanh",
        "activations.GELU",
        "the tanh branch saves u = sqrt(2/pi) (x + 0.044715 x^3), the argument of tanh, as self._t and applies tanh "
        "only in the return: the output is right, but backward reads self._t as tanh u, so its (1 + t)/2 and "
        "1 - t^2 are computed with u; save t = tanh u",
        (
            "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n"
            "            return 0.5 * x * (1.0 + self._t)\n",
            "            self._t = SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3)  # u, the argument of tanh\n"
            "            return 0.5 * x * (1.0 + np.tanh(self._t))\n",
        ),
        expect=("forward-backward-mismatch", "saved-state-stale", "gelu-tanh-approximation"),
        phrases=("tanh", "saved"),
    ),
    fresh(
        "hsad-sigmoid-saves-exponential-not-output",
        "activations.Sigmoid",
        "forward saves z = e^-|x|, the intermediate it builds the output from, as self._y and returns the sigmoid "
        "computed from it: backward's y (1 - y) is then z (1 - z), not the sigmoid's derivative; save the output "
        "y = sigmoid(x)",
        (
            "        z = np.exp(-np.abs(x))\n"
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
            "        return self._y\n",
            "        z = np.exp(-np.abs(x))\n"
            "        self._y = z  # kept for backward\n"
            "        return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
        ),
        expect=("forward-backward-mismatch", "saved-output-not-input", "derivative-wrong-form"),
        phrases=("saved", "output"),
    ),
    fresh(
        "hsad-silu-saves-output-as-input",
        "activations.SiLU",
        "forward stores its output x * s in self._x and returns it: backward's product rule s + x s (1 - s) then "
        "reads y = x s where x belongs, so the second term is x s^2 (1 - s); save the input x itself",
        (
            "        self._x = x\n        self._s = self._sigmoid.forward(x)\n        return x * self._s\n",
            "        self._s = self._sigmoid.forward(x)\n        self._x = x * self._s\n        return self._x\n",
        ),
        expect=("saved-output-not-input", "forward-backward-mismatch"),
        phrases=("input", "output"),
    ),
    fresh(
        "hsad-softplus-beta-scales-input-in-place",
        "activations.Softplus",
        "forward writes z = x; z *= self.beta: z is the caller's array, so the input is scaled in place, and where "
        "beta x > threshold the identity branch returns that scaled array, beta x instead of x; compute z = beta * x "
        "into a new array",
        (
            "        z = self.beta * x\n        self._linear = z > self.threshold\n",
            "        z = x\n        z *= self.beta\n        self._linear = z > self.threshold\n",
        ),
        expect=("modifies-input", "aliasing", "softplus-linear-branch-scaled"),
        phrases=("in place", "input"),
    ),
]


LAYERS = [
    fresh(
        "hsad-linear-unit-loop-output-like-input",
        "layers.Linear",
        "forward fills the output one unit at a time, y[:, j] = x @ W[j] + b[j], into y = np.zeros_like(x): the "
        "buffer is shaped like the input (N, D), not (N, M), so with fewer outputs than inputs the extra columns "
        "stay 0 and with more the loop runs off its end; allocate np.zeros((N, out_features))",
        (
            "        self._x = x\n"
            "        y = x @ self.weight.data.T\n"
            "        if self.bias is not None:\n"
            "            y += self.bias.data\n",
            "        self._x = x\n"
            "        y = np.zeros_like(x)\n"
            "        for j in range(self.out_features):  # output unit j: its row of weights\n"
            "            y[:, j] = x @ self.weight.data[j]\n"
            "            if self.bias is not None:\n"
            "                y[:, j] += self.bias.data[j]\n",
        ),
        expect=("wrong-shape", "zeros-like-of-shape", "transposed-shape"),
        phrases=("shape", "out_features"),
    ),
    fresh(
        "hsad-linear-sample-loop-bias-batch-sum-each-pass",
        "layers.Linear",
        "backward loops over the samples, adding each one's outer product and input gradient, but its bias line "
        "adds grad_y.sum(axis=0), the whole batch's sum, on every pass: the bias gradient is N times too large; "
        "in the loop add grad_y[n] (or add the batch sum once, outside the loop)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        grad_x = np.zeros_like(self._x)\n"
            "        for n in range(grad_y.shape[0]):  # one sample at a time\n"
            "            self.weight.grad += np.outer(grad_y[n], self._x[n])\n"
            "            if self.bias is not None:\n"
            "                self.bias.grad += grad_y.sum(axis=0)\n"
            "            grad_x[n] = self.weight.data.T @ grad_y[n]\n",
        ),
        expect=("times-batch-size", "counts-every-sample"),
        phrases=("bias", "loop"),
    ),
    fresh(
        "hsad-linear-unit-loop-grad-x-assigned",
        "layers.Linear",
        "backward starts grad_x at zeros and loops over the output units, but grad_x = outer(grad_y[:, j], W[j]) is "
        "assigned in the loop, so only the last unit's contribution is returned; grad_x sums over every unit, "
        "grad_x += outer(grad_y[:, j], W[j]) (grad_y @ W)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        grad_x = np.zeros_like(self._x)\n"
            "        for j in range(self.out_features):  # output unit j and its row of weights\n"
            "            self.weight.grad[j] += grad_y[:, j] @ self._x\n"
            "            if self.bias is not None:\n"
            "                self.bias.grad[j] += grad_y[:, j].sum()\n"
            "            grad_x = np.outer(grad_y[:, j], self.weight.data[j])\n",
        ),
        expect=("assigned-not-accumulated", "gradient-dropped"),
        phrases=("+=", "last", "every"),
    ),
    fresh(
        "hsad-conv-naive-loop-width-bound-from-height",
        "layers.Conv2d",
        "forward is the naive four-loop convolution (sample, filter, output row, output column), but the column loop "
        "runs over range(Ho), the output height, copied from the row loop: with a wider output the right columns stay "
        "0, with a narrower one the loop runs off its end; the column loop is range(Wo)",
        (
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n"
            "        if self.bias is not None:\n"
            "            y += self.bias.data[:, None]\n"
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = np.zeros((N, self.out_channels, Ho, Wo))\n"
            "        for n in range(N):\n"
            "            for f in range(self.out_channels):\n"
            "                for p in range(Ho):\n"
            "                    for q in range(Ho):\n"
            "                        window = xp[n, :, p * sH:p * sH + kH, q * sW:q * sW + kW]\n"
            "                        y[n, f, p, q] = np.sum(window * self.weight.data[f])\n"
            "                        if self.bias is not None:\n"
            "                            y[n, f, p, q] += self.bias.data[f]\n",
        ),
        # the last tag added after reading output
        expect=("loop-off-by-one", "copy-paste", "h-ignored", "square-only-index"),
        phrases=("Wo", "width"),
    ),
    fresh(
        "hsad-conv-col2im-loop-column-step-from-row-stride",
        "layers.Conv2d",
        "col2im is written as a loop over the output positions, adding each window's gradient at its corner "
        "(p * sH, q * sH): the column corner uses the row stride, so with sH != sW the gradient lands on the wrong "
        "columns; the column corner is q * sW",
        (
            "        windows = self._windows(grad_xp, Ho, Wo)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                window = windows[:, i, j]\n"
            "                window += dcols[:, i, j]\n",
            "        sH, sW = self.stride\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                r, c = p * sH, q * sH  # top-left corner of window (p, q)\n"
            "                # dcols[..., p, q] is (C, kH, kW, N): the batch axis goes first\n"
            "                grad_xp[:, :, r:r + kH, c:c + kW] += dcols[:, :, :, :, p, q].transpose(3, 0, 1, 2)\n",
        ),
        # the last tag added after reading output
        expect=("stride-height-width-swapped", "conv-backward-ignores-stride", "copy-paste", "square-only-index"),
        phrases=("stride", "sW"),
    ),
    fresh(
        "hsad-conv-im2col-column-counter-reset-per-sample",
        "layers.Conv2d",
        "im2col is written as loops that copy each window into column col, but col = 0 is reset inside the sample "
        "loop: every sample writes its windows over the first sample's columns, so the columns hold the last "
        "sample's windows and the later samples' columns stay 0; start the counter once, before the loops",
        (
            "        windows = self._windows(xp, Ho, Wo)  # (C, kH, kW, N, H', W'), a view: no copy yet\n"
            "        # im2col, the one copy: row (c, i, j), column (n, p, q)\n"
            "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n",
            "        # im2col: one column per window, row (c, i, j), column (n, p, q)\n"
            "        self._cols = np.zeros((C * kH * kW, N * Ho * Wo))\n"
            "        for n in range(N):\n"
            "            col = 0\n"
            "            for p in range(Ho):\n"
            "                for q in range(Wo):\n"
            "                    self._cols[:, col] = xp[n, :, p * sH:p * sH + kH, q * sW:q * sW + kW].ravel()\n"
            "                    col += 1\n",
        ),
        expect=("counter-not-reset", "overlap-overwritten"),
        phrases=("counter", "sample", "col"),
    ),
    fresh(
        "hsad-conv-dcols-filter-loop-assigns",
        "layers.Conv2d",
        "the column gradient is built filter by filter, dcols = outer(w[f].ravel(), G[f]), assigned in the loop: only "
        "the last filter's contribution reaches the input; every filter's adds up, dcols += outer(...) (W.T @ G)",
        (
            "        dcols = self.weight.data.reshape(F, -1).T @ G\n",
            "        dcols = np.zeros((self.in_channels * kH * kW, G.shape[1]))\n"
            "        for f in range(F):  # each filter sends its output gradient back through its weights\n"
            "            dcols = np.outer(self.weight.data[f].ravel(), G[f])\n",
        ),
        expect=("assigned-not-accumulated", "gradient-dropped"),
        phrases=("+=", "last filter", "every filter"),
    ),
    fresh(
        "hsad-maxpool-loop-window-width-from-kernel-height",
        "layers.MaxPool2d",
        "forward is a loop over the output positions whose window slice is x[:, :, p*sH:p*sH + kH, q*sW:q*sW + kH]: "
        "the column range uses the kernel height, so a rectangular window covers kH columns instead of kW (and the "
        "saved offsets are decoded with the wrong width); the column range is q*sW:q*sW + kW",
        (
            _MAXPOOL_FORWARD,
            "        self._x_shape = x.shape\n"
            "        N, C = x.shape[:2]\n"
            "        Ho, Wo = self._y_shape[2:]\n"
            "        y = np.zeros((N, C, Ho, Wo))\n"
            "        self._argmax = np.zeros((N, C, Ho, Wo), dtype=int)\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                window = x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kH].reshape(N, C, -1)\n"
            "                self._argmax[:, :, p, q] = window.argmax(axis=2)\n"
            "                y[:, :, p, q] = window.max(axis=2)\n",
        ),
        # the last tag added after reading output
        expect=("kernel-height-width-swapped", "window-slice-bounds", "square-kernel-assumed", "square-only-index"),
        phrases=("kW", "width"),
    ),
    fresh(
        "hsad-maxpool-offset-loop-winner-after-update",
        "layers.MaxPool2d",
        "forward loops over the window offsets keeping a running maximum, but updates it before comparing: y = "
        "maximum(y, candidate) and then argmax = where(candidate > y, offset, argmax), which is never true, so every "
        "saved winner is offset 0 and backward sends each window's gradient to its top-left entry; compare first",
        (
            _MAXPOOL_FORWARD,
            "        self._x_shape = x.shape\n"
            "        Ho, Wo = self._y_shape[2:]\n"
            "        y = np.full(self._y_shape, -np.inf)\n"
            "        self._argmax = np.zeros(self._y_shape, dtype=int)\n"
            "        for i in range(kH):  # every offset (i, j) inside the window\n"
            "            for j in range(kW):\n"
            "                candidate = x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW]\n"
            "                y = np.maximum(y, candidate)\n"
            "                self._argmax = np.where(candidate > y, i * kW + j, self._argmax)\n",
        ),
        expect=("order-changed", "compared-with-itself", "maxpool-grad-to-whole-window"),
        phrases=("winner", "order", "maximum"),
    ),
    fresh(
        "hsad-maxpool-backward-position-loop-assigns",
        "layers.MaxPool2d",
        "backward loops over the output positions and writes each window's gradient to its winner with =: where "
        "windows overlap (stride < kernel) an entry that is the maximum of two windows keeps only the last one's "
        "gradient; add with +=",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "        grad_x = np.zeros(self._x_shape)\n"
            "        n, c = np.indices(self._argmax.shape[:2])  # (N, C) index grids\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                i, j = np.divmod(self._argmax[:, :, p, q], kW)  # the winner's row and column\n"
            "                grad_x[n, c, p * sH + i, q * sW + j] = grad_y[:, :, p, q]\n",
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap", "+="),
    ),
    fresh(
        "hsad-avgpool-backward-window-starts-stop-one-short",
        "layers.AvgPool2d",
        "backward loops over the windows' top rows range(0, H - kH, sH) (and columns likewise): the stop leaves "
        "out the last start H - kH, so the last row and column of windows get no gradient whenever (H - kH) is a "
        "multiple of the stride; the starts are range(0, H - kH + 1, sH)",
        (
            "        share = grad_y / (kH * kW)\n"
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        share = grad_y / (kH * kW)\n"
            "        grad_x = np.zeros(self._x_shape)\n"
            "        H, W = self._x_shape[2:]\n"
            "        for p, r in enumerate(range(0, H - kH, sH)):  # r: the top row of window p\n"
            "            for q, c in enumerate(range(0, W - kW, sW)):\n"
            "                grad_x[:, :, r:r + kH, c:c + kW] += share[:, :, p, q, None, None]\n",
        ),
        expect=("loop-off-by-one", "output-size-missing-plus-one"),
        phrases=("last window", "+ 1", "one short"),
    ),
    fresh(
        "hsad-avgpool-loop-output-size-without-plus-one",
        "layers.AvgPool2d",
        "forward loops over Ho, Wo = (H - kH) // sH, (W - kW) // sW windows: the size formula lacks its + 1, so "
        "the last row and column of windows are missing from the output (a window exactly as large as the input "
        "gives an empty output); H' = 1 + (H - kH) // sH",
        (
            _AVGPOOL_FORWARD,
            _avgpool_loop_forward("(H - kH) // sH, (W - kW) // sW", "q * sW:q * sW + kW"),
        ),
        expect=("output-size-missing-plus-one", "output-size-formula", "wrong-shape"),
        phrases=("+ 1", "output size"),
    ),
    fresh(
        "hsad-avgpool-loop-column-start-from-row-index",
        "layers.AvgPool2d",
        "forward loops over the output positions, but the window's columns start at p * sW, the row index copied "
        "into the column slice: every output in row p averages the same window; column q starts at q * sW",
        (
            _AVGPOOL_FORWARD,
            _avgpool_loop_forward("1 + (H - kH) // sH, 1 + (W - kW) // sW", "p * sW:p * sW + kW"),
        ),
        expect=("copy-paste", "window-offset-ignored", "index-order-reversed"),
        phrases=("q", "column"),
    ),
    fresh(
        "hsad-flatten-unpacks-four-axes",
        "layers.Flatten",
        "forward unpacks N, C, H, W = x.shape and reshapes to (N, C * H * W): it handles only image batches, and "
        "an (N, D) or (N, C, L) input fails to unpack; Flatten keeps the first axis and joins all the others, "
        "whatever their number",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        N, C, H, W = x.shape  # a batch of feature maps\n"
            "        self._x_shape = (N, C, H, W)\n"
            "        y = x.reshape(N, C * H * W)\n",
        ),
        expect=("fixed-number-of-axes", "shape-unpacked"),
        phrases=("dimensions", "axes"),
    ),
    fresh(
        "hsad-dropout-where-keeps-boolean-mask",
        "layers.Dropout",
        "forward keeps the boolean draw as self._mask and scales only the output, y = where(mask, x / (1 - p), 0): "
        "backward multiplies grad_y by that 0/1 mask, so the survivors' gradient misses the 1/(1 - p) that scaled "
        "them; the saved mask carries the scale",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n"
            "            y = x * self._mask\n",
            "            self._mask = self.rng.random(x.shape) >= self.p  # True where the entry survives\n"
            "            y = np.where(self._mask, x / (1.0 - self.p), 0.0) if self.p < 1.0 else np.zeros_like(x)\n",
        ),
        expect=("dropout-backward-not-rescaled", "forward-backward-mismatch"),
        phrases=("1 - p", "scale"),
    ),
    fresh(
        "hsad-bn1d-bessel-factor-from-momentum-name",
        "layers.BatchNorm1d",
        "the running variance gets the unbiased factor m / (m - 1), written from the formula's m (the values per "
        "channel), but in the code m is the momentum: the factor is 0.1 / (0.1 - 1) < 0, so running_var shrinks and "
        "turns negative; the factor is count / (count - 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var * (m / (m - 1))  # unbiased: m values per channel\n",
                    )
                ]
            },
        ),
        expect=("name-shadowed", "bessel-correction", "wrong-hyperparameter"),
        phrases=("momentum", "count"),
    ),
    fresh(
        "hsad-bn2d-cs231n-running-average-convention",
        "layers.BatchNorm2d",
        "the training statistics are rewritten in CS231n's staged form, and the running averages with its "
        "convention, running = momentum * running + (1 - momentum) * batch: in PyTorch's convention momentum is "
        "the weight of the new batch, running = (1 - momentum) * running + momentum * batch",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        _BN_TRAIN_STATISTICS,
                        "            mean = np.mean(x, axis=axes)\n"
                        "            xmu = x - mean.reshape(shape)\n"
                        "            var = np.mean(xmu**2, axis=axes)\n"
                        "            momentum = self.momentum\n"
                        "            unbiased = var * count / (count - 1)\n"
                        "            self.running_mean = momentum * self.running_mean + (1 - momentum) * mean\n"
                        "            self.running_var = momentum * self.running_var + (1 - momentum) * unbiased\n",
                    )
                ]
            },
        ),
        expect=("bn-momentum-convention", "bn-momentum-swapped"),
        phrases=("momentum",),
    ),
    fresh(
        "hsad-bn2d-eval-running-var-made-biased-again",
        "layers.BatchNorm2d",
        "in eval mode the running variance is multiplied by (count - 1) / count 'to make it biased again, like the "
        "training normalisation': the buffer is the estimate to normalise with as it is; eval uses running_var "
        "unchanged",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            mean, var = self.running_mean, self.running_var\n",
                        "            mean, var = self.running_mean, self.running_var * (count - 1) / count  # biased\n",
                    )
                ]
            },
        ),
        expect=("bessel-correction", "bn-unbiased-variance", "train-eval"),
        phrases=("running_var", "eval"),
    ),
    fresh(
        "hsad-bn2d-channel-loop-running-update-inside",
        "layers.BatchNorm2d",
        "the statistics are computed channel by channel in a loop, and the two running-average updates are indented "
        "into it: the buffers are decayed C times per batch, with the statistics of the channels not yet computed "
        "still 0; update the running averages once, after the loop",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        _BN_TRAIN_STATISTICS,
                        "            C = self.num_features\n"
                        "            mean, var = np.zeros(C), np.zeros(C)\n"
                        "            m = self.momentum\n"
                        "            for c in range(C):\n"
                        "                values = x[:, c]  # every value of channel c\n"
                        "                mean[c] = values.mean()\n"
                        "                var[c] = values.var()\n"
                        "                self.running_mean = (1.0 - m) * self.running_mean + m * mean\n"
                        "                self.running_var = (1.0 - m) * self.running_var"
                        " + m * var * (count / (count - 1))\n",
                    )
                ]
            },
        ),
        # the last tag added after reading output
        expect=("order-changed", "bn-momentum-complement-missing", "bn-running-updated-in-loop"),
        phrases=("loop", "once"),
    ),
]


LOSSES = [
    fresh(
        "hsad-hinge-loop-average-inside-sample-loop",
        "losses.HingeLoss",
        "the loss is the CS231n double loop over samples and classes, but loss /= N is indented into the sample "
        "loop: the running total is divided by N after every sample, so earlier samples are divided again and again; "
        "divide once, after the loop",
        (_HINGE_FORWARD, _hinge_loop_forward("                    loss += margin\n", "            loss /= N\n")),
        expect=("divided-twice", "averaged-twice"),
        phrases=("loop", "once"),
    ),
    fresh(
        "hsad-hinge-loop-adds-negative-margins",
        "losses.HingeLoss",
        "in the double loop, loss += margin is dedented out of the 'if margin > 0' block: every wrong class's "
        "margin is added, the negative ones too, so the loss is not the hinge max(0, margin); add only the positive "
        "margins",
        (_HINGE_FORWARD, _hinge_loop_forward("                loss += margin\n", "        loss /= N\n")),
        expect=("hinge-formulation", "hinge-max-not-sum", "update-in-one-branch"),
        phrases=("max(0", "negative", "positive"),
    ),
    fresh(
        "hsad-hinge-backward-class-loop-stops-one-short",
        "losses.HingeLoss",
        "backward is a double loop that, for every violating wrong class, adds 1 to it and subtracts 1 from the "
        "true class; the class loop is range(C - 1), so the last class is never visited: its violations get no "
        "gradient and are missing from the true class's count; loop over range(C)",
        (
            _HINGE_BACKWARD,
            "        N, C = self._active.shape\n"
            "        grad = np.zeros((N, C))\n"
            "        for i in range(N):\n"
            "            for j in range(C - 1):\n"
            "                if self._active[i, j]:\n"
            "                    grad[i, j] += 1.0\n"
            "                    grad[i, self._labels[i]] -= 1.0\n"
            "        return grad / N\n",
        ),
        expect=("loop-off-by-one", "hinge-true-class-count"),
        phrases=("last class", "range(C)"),
    ),
    fresh(
        "hsad-hinge-backward-count-indexed-by-label",
        "losses.HingeLoss",
        "backward counts each sample's violations, counts = active.sum(axis=1), and sets the true class's entry to "
        "-counts[label]: the count is looked up by the label instead of the sample, so a sample gets another "
        "sample's count; the true class of sample i gets -counts[i]",
        (
            _HINGE_BACKWARD,
            "        N = self._active.shape[0]\n"
            "        counts = self._active.sum(axis=1)  # violations per sample\n"
            "        grad = self._active.copy()\n"
            "        for i, label in enumerate(self._labels):\n"
            "            grad[i, label] = -counts[label]\n"
            "        return grad / N\n",
        ),
        expect=("hinge-true-class-count", "labels-index-rows", "values-for-indices"),
        phrases=("sample", "label"),
    ),
    fresh(
        "hsad-ce-loop-shifted-sum-minus-raw-logit",
        "losses.CrossEntropyLoss",
        "the loss is a loop over the samples: the row is shifted by its maximum for the log-sum-exp, but the true "
        "class's logit is taken from the unshifted row, log sum e^(x - max) - x[label], so every sample's loss is "
        "too small by its row maximum; use the shifted logit (or add the maximum back)",
        (
            "        N = x.shape[0]\n"
            "        # x - max is <= 0; it can overflow only to -inf (a logit 1e308 below the max),\n"
            "        # whose softmax weight is exactly 0 anyway.\n"
            '        with np.errstate(over="ignore"):\n'
            "            shifted = x - x.max(axis=1, keepdims=True)\n"
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
            "        self._probs = np.exp(log_probs)\n"
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n"
            "        return float(loss)\n",
            "        N, C = x.shape\n"
            "        self._probs = np.zeros((N, C))\n"
            "        total = 0.0\n"
            "        for n in range(N):\n"
            "            row = x[n] - x[n].max()  # shifted: no overflow\n"
            "            e = np.exp(row)\n"
            "            self._probs[n] = e / e.sum()\n"
            "            total += np.log(e.sum()) - x[n, self._labels[n]]\n"
            "        return float(total / N)\n",
        ),
        expect=("logsumexp-shift-not-restored", "logsoftmax-shift-mismatch"),
        phrases=("maximum", "shift"),
    ),
    fresh(
        "hsad-mse-sample-loop-divided-by-batch",
        "losses.MSELoss",
        "forward sums the squared errors sample by sample and divides the total by len(x), the number of samples: "
        "for (N, D) input the loss is D times too large (the per-sample sum, averaged over the batch); MSELoss is "
        "the mean over all entries, total / x.size",
        (
            "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n        return float(loss)\n",
            "        self._diff = x - t\n"
            "        total = 0.0\n"
            "        for n in range(len(x)):  # squared errors, sample by sample\n"
            "            total += np.sum(self._diff[n] ** 2)\n"
            "        return float(total / len(x))\n",
        ),
        expect=("mse-mean-over-batch-only", "divided-by-batch-size", "sum-not-mean"),
        phrases=("entries", "size"),
    ),
    fresh(
        "hsad-mse-forward-floor-division",
        "losses.MSELoss",
        "the mean is written np.sum(diff**2) // diff.size: floor division rounds the loss down to a whole number "
        "(0 for any loss below 1); use true division, /",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.sum(self._diff**2) // self._diff.size\n",
        ),
        # the last tag added after reading output
        expect=("floor-division", "integer-division", "rounded-values"),
        phrases=("floor", "//"),
    ),
    fresh(
        "hsad-bce-bernoulli-likelihood-unclamped",
        "losses.BCELoss",
        "the loss is written as the negative log of the Bernoulli likelihood, -mean(log(p^t (1 - p)^(1 - t))): the "
        "same value for ordinary p, but without PyTorch's clamp each log is not held at -100, so a confident wrong "
        "prediction (p = 0 for t = 1, or p = 1 for t = 0) gives inf and a tiny p more than 100; clamp each log at "
        "-100",
        (
            '        with np.errstate(divide="ignore"):  # log(0) = -inf, which the clamp turns into -100\n'
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        likelihood = p**t * (1.0 - p) ** (1.0 - t)  # Bernoulli: p^t (1 - p)^(1 - t)\n"
            "        loss = -np.mean(np.log(likelihood))\n",
        ),
        expect=("bce-not-clamped", "bce-clamp"),
        phrases=("-100", "clamp"),
    ),
    fresh(
        "hsad-bcelogits-logaddexp-sigmoid-of-negative-logit",
        "losses.BCEWithLogitsLoss",
        "the loss is written with np.logaddexp(0, x) = log(1 + e^x) (right), and the saved sigmoid as "
        "exp(-logaddexp(0, x)) = 1 / (1 + e^x), which is sigmoid(-x) = 1 - sigmoid(x): the gradient is "
        "(1 - sigmoid(x) - t) / M; sigmoid(x) is exp(x - logaddexp(0, x))",
        (
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n"
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n"
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
            "        softplus = np.logaddexp(0.0, x)  # log(1 + e^x), computed stably\n"
            "        loss = np.mean(softplus - x * t)\n"
            "        self._s = np.exp(-softplus)  # sigmoid(x) = e^x / (1 + e^x)\n",
        ),
        expect=("sigmoid-exponent-sign", "sign-flipped", "branches-swapped"),
        phrases=("sigmoid(-x)", "1 - sigmoid", "sign"),
    ),
]

FRESH_AD: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
