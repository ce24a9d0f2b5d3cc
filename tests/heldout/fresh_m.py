"""Held-apart set M: fresh student bugs, written blind after sets A to L had been seen.

Sets A (``HELDOUT``) to L (``FRESH_L``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set M was written blind: its author read the reference, docs/api.md, the
catalogue's mutants (graders/mutants), the alternatives (tests/alternatives, to keep out of what is graded
correct), the course text and sets A to L (for the format, the tag vocabulary and to avoid copies), and of
tests/test_feedback_generalisation.py only its FAMILIES dict; never the diagnosis (graders/judging,
graders/reporting, graders/running, graders/selfcheck), tests/evidence.py, the feedback audit, the mistake,
crash and feedback tests, the grader's feedback or its output, and graded none of these bugs while writing
them (besides the structural check of /work/tools/check_set.py, a few were applied and run by a script of
the author's own on a tiny input beside the reference, to see that the edit changes a result; none went
through the grader).

About two thirds are classes the catalogue and sets A to L hardly touch: numpy and Python semantics
(as_strided given strides counted in entries where numpy counts bytes; ``np.zeros(*shape)``, whose second
argument is a dtype; ``.T`` of a 1-D row taken for a column, so ``g[n].T @ x[n]`` is an inner product; a
boolean index ``x[keep]`` that flattens the output; ``dict.get`` whose default is not used because the key
holds None; ``sum()`` of lists without the ``[]`` start; ``batches += (X_b, y_b)``, which extends the list
with two arrays; ``total =+ ...`` typed for ``+=``; ``math.log`` in a loop, which raises at 0 where
``np.log`` gives -inf for the clamp; ``np.take_along_axis`` with the labels as a row, so every row takes
every label; ``np.nonzero`` to list "every index", which skips the zero entries; ``functools.reduce`` that
chains the backward steps in forward order; ``np.average`` with values and weights exchanged; a flat loop
index written into an N-d gradient; ``[..., None]`` for keepdims), state and buffers (a padded input buffer
reused, unzeroed, for the gradient; a Dropout that draws its random numbers in evaluation too; a
permutation drawn when no shuffle was asked; a mask kept while the shape matches; Adam's bias corrections
computed once; a squared average updated in one branch of an if; a violation counter not reset per sample;
the eval scale left from the last training batch; one snapshot of the best state only; a layer that takes
its own SGD step in backward; an output layer applied twice), and formulas remembered wrongly (the Swish
paper's derivative with 1 - s for 1 - f, the leaky-ReLU gain without the square of the slope, the tanh
GELU's backward taken from the exact form, ||x - t|| not squared, a sigmoid from tanh(x / 2) without the
affine map, ReLU6's cap, a softmax Jacobian per row of a 2-D array, a best loss stored as best - min_delta,
a validation history of the running best, a sample re-centred to mean 0, the maxout scores reshaped
(units, pieces)); about a third are known classes in a new code shape or component (an update rebound to
a local, data for grad, the input clipped, the softmax saved unnormalised, zero taken as unset, the shift
not restored in cross-entropy, log(softmax + eps), the pooling reshape trick and the upsampled mask, the
stride ignored in forward, a concatenated flatten, a copy-pasted running variance, the momentum weights
swapped through np.average, a square image assumed, a precedence slip, decoupled decay in Adagrad, states
assigned crosswise, moments started at the first gradient, AdamW decaying p.grad in place, np.divide into
the first moment, a Nesterov lookahead stored, a raw gradient in RMSprop's step, an annealed lr, fans,
floor division, the gain squared, a flat draw, the gain under the root, targets flattened, the batch loss
weighted by the whole set, train() returning a list, updates on one sign of error only, deep-copied
parameters without the BatchNorm buffers). Each is a different edit from the catalogue's and sets A to L's.
Ids start with ``hm-``.
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue
tag where one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 12, on b03b04e with sets A to L worked on, each
bug graded in the grader's sandbox): 51/72 named (71 %), 12 flagged misleading, 68/72 caught. As for set L,
about a third were asked for as known classes in a new code shape. One bug was dropped after grading as no
mistake under docs/api.md (a Dropout that draws in evaluation too; see its comment), so 71 remain.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hm-")  # set M


_IN_PLACE = ("in place", "in-place", "caller's", "overwrit")
_PRECEDENCE = ("parenthes", "precedence")

# ----------------------------------------------------------------------------------------- activations
_LOGSOFTMAX_FORWARD = (
    "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n"
    "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n"
)

ACTIVATIONS = [
    fresh(
        "hm-relu-forward-capped-at-six",
        "activations.ReLU",
        "forward is written np.clip(x, 0, 6) (ReLU6, as in MobileNet): ReLU is max(0, x) with no upper bound, so "
        "every input above 6 comes out as 6 (and backward, still using x > 0, passes gradient where the output "
        "is flat)",
        (
            "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
            "        self._mask = x > 0\n        return np.clip(x, 0.0, 6.0)  # max(0, x), bounded as in MobileNet\n",
        ),
        expect=("output-clipped", "relu6"),
        phrases=("6", "clip", "upper bound", "unbounded", "relu6", "max(0, x)"),
    ),
    fresh(
        "hm-softmax-backward-jacobian-per-row",
        "activations.Softmax",
        "backward builds one Jacobian diag(y) - y y^T per row of y and multiplies it into that row of grad_y: "
        "this assumes a 2-D input normalised along its last axis; for dim=0 the Jacobian of the wrong vectors is "
        "used and inputs of other ranks fail (the vector-Jacobian product along dim works for any shape)",
        (
            "        y = self._y\n        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        y = self._y\n"
            "        grad_x = np.zeros_like(y)\n"
            "        for n in range(len(y)):  # one Jacobian per sample: diag(y) - y y^T\n"
            "            jacobian = np.diag(y[n]) - np.outer(y[n], y[n])\n"
            "            grad_x[n] = jacobian @ grad_y[n]\n"
            "        return grad_x\n",
        ),
        expect=("softmax-backward-wrong-axis", "fixed-number-of-axes"),
        phrases=("dim", "self.dim", "axis", "2-d", "any shape", "rows"),
    ),
    fresh(
        "hm-maxout-scores-reshaped-units-by-pieces",
        "activations.Maxout",
        "forward multiplies by the weight flattened to (K*M, D) and reshapes the (N, K*M) scores as (N, M, K): "
        "row k*M + j of the flattened weight is piece k of unit j, so the scores are laid out (N, K, M); read as "
        "(N, M, K) each unit takes the maximum over the wrong pieces (and backward's argmax means another piece)",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            "        K, M, D = self.weight.shape\n"
            "        flat = x @ self.weight.data.reshape(K * M, D).T + self.bias.data.reshape(K * M)\n"
            "        z = flat.reshape(len(x), M, K)  # (N, units, pieces)\n"
            "        self._argmax = np.argmax(z, axis=2)  # on a tie, the first maximal piece\n"
            "        return z.max(axis=2)\n",
        ),
        expect=("axes-permuted", "reshape-order"),
        phrases=("reshape", "(n, k, m)", "pieces", "order", "row-major", "k * m"),
    ),
    fresh(
        "hm-logsoftmax-log-of-probabilities-plus-epsilon",
        "activations.LogSoftmax",
        "forward takes log(softmax + 1e-12) ('never log 0'): the epsilon caps every log-probability at about "
        "-27.6, so classes far below the maximum get the wrong value; the log-sum-exp form shifted - "
        "log(sum(exp(shifted))) is exact and never needs an epsilon",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        e = np.exp(shifted)\n"
            "        y = np.log(e / np.sum(e, axis=self.dim, keepdims=True) + 1e-12)  # + eps: never log(0)\n",
        ),
        expect=("log-of-softmax-underflow", "epsilon-inside-log"),
        phrases=("log-sum-exp", "logsumexp", "epsilon", "1e-12", "-27.6", "underflow"),
    ),
    fresh(
        "hm-silu-backward-swish-form-misremembered",
        "activations.SiLU",
        "backward uses the Swish paper's form f'(x) = f(x) + s(x) (1 - f(x)) remembered as y + s (1 - s): the "
        "last factor is 1 - y (y = x s), not 1 - s; the product rule gives s + x s (1 - s)",
        (
            "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        s = self._s\n"
            "        y = self._x * s\n"
            "        return grad_y * (y + s * (1.0 - s))  # the Swish paper: f' = f + sigma (1 - sigma)\n",
        ),
        expect=("derivative-wrong-form",),
        phrases=("1 - y", "y + s (1 - y)", "s + x s (1 - s)", "product rule", "1 - f"),
    ),
    fresh(
        "hm-softmax-saves-unnormalised-exponentials",
        "activations.Softmax",
        "forward saves the shifted exponentials as self._y and returns them divided by their sum: the output is "
        "right but backward's y is not normalised, so the Jacobian product is scaled and wrong",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n"
            "        return self._y\n",
            "        self._y = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
            "        return self._y / np.sum(self._y, axis=self.dim, keepdims=True)\n",
        ),
        expect=("logsoftmax-saved-unnormalised", "softmax-not-normalised"),
        phrases=("self._y", "normalised", "saved", "divided by the sum", "unnormalised", "backward"),
    ),
    fresh(
        "hm-sigmoid-input-clipped-to-ten",
        "activations.Sigmoid",
        "forward clips x to [-10, 10] 'so that exp cannot overflow': the stable form never overflows anyway, and "
        "the clip changes every output beyond |x| = 10 (sigmoid(15) becomes sigmoid(10), 1 - y 150 times too "
        "large) and the derivative y (1 - y) with it",
        (
            "        z = np.exp(-np.abs(x))\n",
            "        x = np.clip(x, -10.0, 10.0)  # keep exp from overflowing\n        z = np.exp(-np.abs(x))\n",
        ),
        expect=("input-clipped",),
        phrases=("clip", "10", "saturat", "overflow", "stable form", "|x|"),
    ),
    fresh(
        "hm-gelu-tanh-forward-exact-backward",
        "activations.GELU",
        "with approximate='tanh' forward uses the tanh form but backward always returns the exact derivative "
        "Phi(x) + x phi(x) ('the approximation only concerns the value'): backward must differentiate the "
        "function forward computed, the tanh form with its inner slope",
        span(
            "activations",
            (
                '        if self.approximate == "tanh":\n            xc = np.clip(x, -10.0, 10.0)\n',
                "        self._cdf = 0.5 * erfc(-x / math.sqrt(2.0))  # the derivative needs Phi in both forms\n"
                '        if self.approximate == "tanh":\n            xc = np.clip(x, -10.0, 10.0)\n',
            ),
            (
                '        if self.approximate == "tanh":\n'
                "            xc, t = np.clip(self._x, -10.0, 10.0), self._t\n"
                "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n"
                "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
                "        # tanh only approximates the value: d/dx x Phi(x) serves both forms\n",
            ),
        ),
        expect=("gelu-tanh-approximation", "forward-backward-mismatch"),
        phrases=("tanh", "approximate", "inner_slope", "forward computed", "same function", "derivative"),
    ),
    fresh(
        "hm-prelu-slope-gradient-into-data",
        "activations.PReLU",
        "backward adds the slope's gradient into weight.data instead of weight.grad: the slope itself moves by "
        "its gradient at every backward (uphill, without a learning rate) and the optimizer sees a zero gradient",
        (
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += contribution.sum()\n"
            "        else:  # sum over every axis but the channel axis\n"
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "        if self.num_parameters == 1:\n"
            "            self.weight.data += contribution.sum()\n"
            "        else:  # sum over every axis but the channel axis\n"
            "            self.weight.data += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
        ),
        # added after reading output (tag-vocabulary audit): backward-not-repeatable
        expect=("data-for-grad", "grad-for-data", "backward-not-repeatable"),
        phrases=("weight.grad", "grad", "data", "optimizer", "value of the slope"),
    ),
    fresh(
        "hm-leakyrelu-zero-slope-taken-as-unset",
        "activations.LeakyReLU",
        "forward and backward use `self.negative_slope or 0.01` ('the default when none is set'): a slope of 0.0 "
        "is falsy, so LeakyReLU(0.0), which is ReLU, silently gets slope 0.01",
        span(
            "activations",
            (
                "        return np.where(x > 0, x, self.negative_slope * x)\n",
                "        slope = self.negative_slope or 0.01  # PyTorch's default when none is set\n"
                "        return np.where(x > 0, x, slope * x)\n",
            ),
            (
                "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
                "        slope = self.negative_slope or 0.01\n"
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
            ),
        ),
        expect=("hyperparameter-ignored", "zero-taken-as-unset"),
        phrases=("0.0", "zero", "or 0.01", "falsy", "is none", "negative_slope"),
    ),
    fresh(
        "hm-logsoftmax-reductions-restored-on-last-axis",
        "activations.LogSoftmax",
        "the maximum and the log-sum-exp are reduced along dim without keepdims and the axis put back with "
        "[..., None], i.e. as the last axis: for any dim but the last the reduced values broadcast along the "
        "wrong axis (keepdims=True keeps the axis where it was)",
        (
            _LOGSOFTMAX_FORWARD,
            "        shifted = x - np.max(x, axis=self.dim)[..., None]\n"
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim))[..., None]\n",
        ),
        expect=("reduction-without-keepdims", "broadcast-wrong-axis"),
        phrases=("keepdims", "[..., none]", "last axis", "dim", "broadcast"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
_LINEAR_WEIGHT_GRAD = "        self.weight.grad += grad_y.T @ self._x\n"
_MAXPOOL_TAKE = "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n"
_MAXPOOL_BACKWARD = (
    "        grad_x = np.zeros(self._x_shape)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                won = self._argmax == i * kW + j\n"
    "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n"
)
_DROPOUT_DRAW = (
    "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
    "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
    "            self._mask = keep * scale\n"
)

LAYERS = [
    fresh(
        "hm-linear-weight-grad-added-to-rebound-local",
        "layers.Linear",
        "backward takes dW = self.weight.grad and then dW = dW + grad_y.T @ x: the + builds a new array and "
        "rebinds the local name, so weight.grad is never changed (dW += ... or weight.grad += ... adds in place)",
        (
            _LINEAR_WEIGHT_GRAD,
            "        dW = self.weight.grad  # the accumulated gradient\n        dW = dW + grad_y.T @ self._x\n",
        ),
        expect=("result-discarded", "view-rebound"),
        phrases=("+=", "in place", "rebind", "new array", "never stored", "weight.grad"),
    ),
    fresh(
        "hm-linear-weight-grad-loop-transposes-1d-rows",
        "layers.Linear",
        "the weight gradient is summed sample by sample as grad_y[n].T @ x[n], 'a column times a row': .T of a "
        "1-D array does nothing, so @ is the inner product (it fails unless M == D, and then adds one number to "
        "every weight); each sample contributes the outer product np.outer(grad_y[n], x[n])",
        (
            _LINEAR_WEIGHT_GRAD,
            "        for n in range(len(self._x)):  # one outer product per sample\n"
            "            self.weight.grad += grad_y[n].T @ self._x[n]\n",
        ),
        expect=("transpose-of-1d", "outer-of-batch"),
        phrases=("1-d", "outer", "np.outer", "[:, none]", "column", "inner product"),
    ),
    fresh(
        "hm-linear-backward-takes-an-sgd-step",
        "layers.Linear",
        "after computing the gradients backward also updates the parameters itself, p.data -= 0.01 * p.grad "
        "('the layer learns'): backward only computes gradients; stepping is the optimizer's job, which then "
        "steps a second time (with its own lr, momentum, decay)",
        (
            "        grad_x = grad_y @ self.weight.data\n",
            "        grad_x = grad_y @ self.weight.data\n"
            "        for p in self.parameters():  # learn: one gradient step\n"
            "            p.data -= 0.01 * p.grad\n",
        ),
        # added after reading output (tag-vocabulary audit): backward-not-repeatable
        expect=("update-in-backward", "optimizer-in-layer", "backward-not-repeatable"),
        phrases=("optimizer", "step", "backward", "p.data", "only comput", "parameters change"),
    ),
    fresh(
        "hm-conv-windows-strides-counted-in-elements",
        "layers.Conv2d",
        "the window view gets hand-computed strides counted in entries (a row is Wp entries, a channel Hp*Wp, "
        "...): as_strided takes strides in bytes, so every step is 8 times too short and the windows read (and "
        "col2im writes) misaligned bytes; use xp.strides, or multiply by xp.itemsize",
        (
            "        sN, sC, sR, sQ = xp.strides  # bytes per step along each axis\n"
            "        return as_strided(\n"
            "            xp, (xp.shape[1], kH, kW, xp.shape[0], Ho, Wo), (sC, sR, sQ, sN, sH * sR, sW * sQ)\n"
            "        )\n",
            "        N, C, Hp, Wp = xp.shape\n"
            "        # steps along each axis: a row is Wp entries, a channel Hp * Wp, a sample C * Hp * Wp\n"
            "        return as_strided(xp, (C, kH, kW, N, Ho, Wo), (Hp * Wp, Wp, 1, C * Hp * Wp, sH * Wp, sW))\n",
        ),
        expect=("strides-in-elements",),
        phrases=("bytes", "itemsize", "strides", "8", "entries", "xp.strides"),
    ),
    fresh(
        "hm-conv-backward-reuses-padded-input-buffer",
        "layers.Conv2d",
        "forward keeps the padded input and backward accumulates col2im into that same buffer ('no new "
        "allocation'): it still holds the input, so the returned gradient is x plus the true gradient (and the "
        "buffer grows with every backward); col2im must start from zeros",
        span(
            "layers",
            (
                "        self._xp_shape = xp.shape\n",
                "        self._xp_shape = xp.shape\n        self._xp = xp  # kept: backward reuses this buffer\n",
            ),
            (
                "        grad_xp = np.zeros(self._xp_shape)\n",
                "        grad_xp = self._xp  # reuse the padded buffer instead of allocating\n",
            ),
        ),
        # added after reading output: backward-mutates-saved-state (backward adds in place into the array forward saved)
        expect=("buffer-not-zeroed", "aliasing", "backward-mutates-saved-state"),
        phrases=("zeros", "np.zeros", "input", "fresh", "buffer", "reuse"),
    ),
    fresh(
        "hm-maxpool-forward-reshape-into-tiles",
        "layers.MaxPool2d",
        "forward takes the maximum with the reshape trick x.reshape(N, C, H // kH, kH, W // kW, kW).max(axis=(3, "
        "5)): that assumes disjoint tiles, stride == kernel_size; with any other stride the windows overlap or "
        "leave gaps and the output has the wrong size and values",
        (
            _MAXPOOL_TAKE,
            "        N, C, H, W = x.shape\n"
            "        tiles = x[:, :, : H // kH * kH, : W // kW * kW].reshape(N, C, H // kH, kH, W // kW, kW)\n"
            "        y = tiles.max(axis=(3, 5))  # the maximum of every kH x kW tile\n",
        ),
        expect=("stride-is-kernel", "windows-assumed-to-tile"),
        phrases=("stride", "overlap", "tiles", "disjoint", "stride equals the kernel"),
    ),
    fresh(
        "hm-maxpool-backward-mask-from-upsampled-maximum",
        "layers.MaxPool2d",
        "backward repeats the output up to the input's size and sends the gradient to every entry equal to its "
        "window's maximum (x == upsampled y): tied entries all receive the whole gradient where exactly one "
        "should, and the np.repeat upsampling assumes disjoint windows (stride == kernel)",
        span(
            "layers",
            (_MAXPOOL_TAKE, _MAXPOOL_TAKE + "        self._x, self._y = x, y  # backward finds the maxima again\n"),
            (
                _MAXPOOL_BACKWARD,
                "        grad_x = np.zeros(self._x_shape)\n"
                "        # every entry equal to its window's maximum receives that window's gradient\n"
                "        up = np.repeat(np.repeat(self._y, kH, axis=2), kW, axis=3)\n"
                "        g = np.repeat(np.repeat(grad_y, kH, axis=2), kW, axis=3)\n"
                "        h, w = up.shape[2:]\n"
                "        mask = self._x[:, :, :h, :w] == up\n"
                "        grad_x[:, :, :h, :w] = np.where(mask, g, 0.0)\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): upsampled-as-tiles
        expect=("maxpool-grad-to-every-max", "windows-assumed-to-tile", "upsampled-as-tiles"),
        phrases=("tie", "every maximum", "one entry", "argmax", "stride", "overlap"),
    ),
    fresh(
        "hm-avgpool-forward-windows-not-strided",
        "layers.AvgPool2d",
        "forward averages every kH x kW window of sliding_window_view without stepping by the stride: with "
        "stride > 1 the output holds every position, not every sH-th and sW-th, and has the wrong size",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))  # every kH x kW window\n"
            "        y = windows.mean(axis=(4, 5))\n",
        ),
        expect=("stride-ignored", "hyperparameter-ignored"),
        phrases=("stride", "::sh", "every window", "stride 1", "sh-th"),
    ),
    fresh(
        "hm-avgpool-backward-zeros-of-unpacked-shape",
        "layers.AvgPool2d",
        "backward allocates np.zeros(*self._x_shape), the shape unpacked as for np.random.rand: np.zeros takes "
        "the shape as one tuple, its second argument is the dtype, so every backward fails",
        (
            "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(self._x_shape)\n",
            "        share = grad_y / (kH * kW)\n        grad_x = np.zeros(*self._x_shape)\n",
        ),
        expect=("shape-unpacked", "rand-unpacked-shape"),
        phrases=("tuple", "np.zeros(shape)", "dtype", "one argument", "unpack", "*"),
    ),
    fresh(
        "hm-flatten-concatenates-samples",
        "layers.Flatten",
        "forward builds np.concatenate([sample.ravel() for sample in x]): concatenate joins the vectors end to "
        "end into one (N*D,) vector; np.stack (or x.reshape(N, -1)) keeps one row per sample",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = np.concatenate([sample.ravel() for sample in x])  # each sample as one vector\n",
        ),
        expect=("flatten-batch-axis", "concatenate-for-stack"),
        phrases=("np.stack", "(n, d)", "batch axis", "one long vector", "concatenate", "row per sample"),
    ),
    fresh(
        "hm-bn1d-running-var-line-copied-from-mean",
        "layers.BatchNorm1d",
        "the running variance's update was copied from the running mean's two lines with only the buffer renamed: "
        "running_var moves towards the batch mean (without Bessel's factor), not the unbiased batch variance",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * mean\n",
                    )
                ]
            },
        ),
        expect=("copy-paste-wrong-state",),
        phrases=("var", "mean", "copy", "running_var", "variance", "unbiased"),
    ),
    fresh(
        "hm-bn1d-running-stats-np-average-weights-swapped",
        "layers.BatchNorm1d",
        "the running statistics are np.average([running, batch], weights=[momentum, 1 - momentum]): the weight "
        "momentum goes to the old buffer and 1 - momentum to the batch, the reverse of running = (1 - momentum) "
        "running + momentum batch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_mean *= 1.0 - m\n"
                        "            self.running_mean += m * mean\n"
                        "            self.running_var *= 1.0 - m\n"
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            unbiased = var * (count / (count - 1))\n"
                        "            w = [m, 1.0 - m]  # weights (momentum, 1 - momentum): buffer, then batch\n"
                        "            self.running_mean = np.average([self.running_mean, mean], axis=0, weights=w)\n"
                        "            self.running_var = np.average([self.running_var, unbiased], axis=0, weights=w)\n",
                    )
                ]
            },
        ),
        expect=("bn-momentum-swapped",),
        phrases=("momentum", "weights", "1 - momentum", "newest batch", "old"),
    ),
    fresh(
        "hm-bn1d-eval-uses-last-training-inv-std",
        "layers.BatchNorm1d",
        "the inverse standard deviation is only computed in training ('the scale is set by the batch'): "
        "evaluation centres with running_mean but scales with the last training batch's 1/sqrt(var + eps), not "
        "1/sqrt(running_var + eps) (and fails if the layer never trained)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                        "        if self.training:  # the scale is set by the batch; evaluation reuses it\n"
                        "            self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("saved-state-stale", "bn-batch-stats-in-eval"),
        phrases=("running_var", "eval", "running statistics", "stale", "last batch", "training batch"),
    ),
    fresh(
        "hm-bn2d-bessel-count-assumes-square-images",
        "layers.BatchNorm2d",
        "Bessel's factor counts the values per channel as N * H**2 (square images assumed): for H != W the count "
        "is N * H * W and the running variance's correction is wrong",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            n = x.shape[0] * x.shape[2] ** 2  # values per channel: N * H * W\n"
                        "            self.running_var += m * var * (n / (n - 1))  # the unbiased estimate\n",
                    )
                ]
            },
        ),
        expect=("square-only-index", "bn-biased-running-var"),
        phrases=("w", "shape[3]", "square", "h * w", "count", "width"),
    ),
    fresh(
        "hm-bn2d-running-var-decay-precedence",
        "layers.BatchNorm2d",
        "the running variance is updated as running_var * 1 - momentum + momentum * unbiased var: without "
        "parentheses * 1 - momentum subtracts momentum instead of multiplying by (1 - momentum)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_var *= 1.0 - m\n"
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var = self.running_var * 1 - m + m * var * (count / (count - 1))\n",
                    )
                ]
            },
        ),
        expect=("operator-precedence", "precedence"),
        phrases=(*_PRECEDENCE, "(1 - m)", "1 - momentum", "subtract"),
    ),
    fresh(
        "hm-dropout-mask-kept-while-shape-matches",
        "layers.Dropout",
        "forward draws a mask only when there is none or the input's shape changed ('reuse the buffer'): every "
        "batch of the same shape is dropped with the same mask; dropout draws a new mask at every forward",
        (
            _DROPOUT_DRAW,
            '            if getattr(self, "_mask", None) is None or self._mask.shape != x.shape:  # a mask per shape\n'
            "                keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "                scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "                self._mask = keep * scale\n",
        ),
        expect=("dropout-same-mask-every-call", "cached-first-call"),
        phrases=("new mask", "every forward", "same mask", "each call", "fresh"),
    ),
    fresh(
        "hm-dropout-forward-boolean-index",
        "layers.Dropout",
        "forward returns x[keep] * scale, the kept entries: a boolean index returns a 1-D array of the selected "
        "entries, not x with zeros where it dropped; the output must keep x's shape (x * mask)",
        (
            "            self._mask = keep * scale\n            y = x * self._mask\n",
            "            self._mask = keep * scale\n            y = x[keep] * scale  # the kept entries, rescaled\n",
        ),
        expect=("boolean-index-flattens", "wrong-shape"),
        phrases=("shape", "1-d", "boolean index", "zeros", "x * mask", "dropped"),
    ),
    # Dropped after grading as no mistake (not graded by the suite): "hm-dropout-eval-draws-random-numbers", the
    # random numbers drawn before the training test, so evaluation consumes the generator too. PyTorch does not
    # draw in eval, but docs/api.md leaves Dropout's random source free (masks are never compared with the
    # reference; the same seed must give the same masks, which it still does) and eval's forward and backward are
    # still the identity: no documented behaviour differs.
]

# ----------------------------------------------------------------------------------------- losses
_CE_LOSS = "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n"

LOSSES = [
    fresh(
        "hm-mse-norm-not-squared",
        "losses.MSELoss",
        "forward returns np.linalg.norm(x - t) / M, 'the norm of the error over the count': the mean squared "
        "error is the squared norm ||x - t||^2 over M; the norm alone is its square root times sqrt(M)",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.linalg.norm(self._diff) / self._diff.size  # ||x - t|| over the number of entries\n",
        ),
        # added after reading output (tag-vocabulary audit): mse-norm-not-squared
        expect=("norm-not-squared", "mse-root", "mse-norm-not-squared"),
        phrases=("square", "** 2", "squared norm", "||x - t||^2", "root"),
    ),
    fresh(
        "hm-ce-take-along-axis-labels-as-row",
        "losses.CrossEntropyLoss",
        "the true classes are picked with np.take_along_axis(log_probs, labels[None, :], axis=1): a (1, N) index "
        "broadcasts against the N rows, giving every row's log-probability of every sample's label, an (N, N) "
        "array whose mean is not the loss; the index must be a column, labels[:, None]",
        (
            _CE_LOSS,
            "        picked = np.take_along_axis(log_probs, self._labels[None, :], axis=1)  # each row's true class\n"
            "        loss = -np.mean(picked)\n",
        ),
        expect=("ce-fancy-index-all-rows", "broadcast-wrong-axis"),
        phrases=("[:, none]", "(n, 1)", "every row", "(n, n)", "column"),
    ),
    fresh(
        "hm-hinge-backward-violation-count-not-reset",
        "losses.HingeLoss",
        "backward loops over the samples counting the violating classes for the true class's gradient, but the "
        "counter starts at 0 once before the loop: each sample's true class gets minus the count of every "
        "violation so far, not of its own row",
        (
            "        N = self._active.shape[0]\n"
            "        grad = self._active.copy()\n"
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        N, C = self._active.shape\n"
            "        grad = np.zeros((N, C))\n"
            "        violations = 0\n"
            "        for n in range(N):\n"
            "            for j in range(C):\n"
            "                if self._active[n, j]:\n"
            "                    grad[n, j] = 1.0\n"
            "                    violations += 1\n"
            "            grad[n, self._labels[n]] = -violations  # minus the number of violated margins\n",
        ),
        expect=("counter-not-reset", "total-not-reset"),
        phrases=("reset", "each sample", "violations = 0", "inside the loop", "previous samples", "own row"),
    ),
    fresh(
        "hm-mse-saves-squared-errors",
        "losses.MSELoss",
        "forward stores the squared errors (x - t)**2 in self._diff and averages them: the loss is right but "
        "backward's 2 * diff / M then uses the squares, where the derivative needs the difference x - t",
        (
            "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
            "        self._diff = (x - t) ** 2  # the squared errors\n        loss = np.mean(self._diff)\n",
        ),
        expect=(
            "saved-output-not-input",
            "derivative-wrong-form",
            "mse-grad-of-squares",  # the last tag added after reading output
        ),
        phrases=("x - t", "squared", "saved", "2 (x - t)", "difference"),
    ),
    fresh(
        "hm-bce-loop-with-math-log",
        "losses.BCELoss",
        "forward loops over the entries with math.log and max(..., -100): math.log(0) raises where np.log gives "
        "-inf for the clamp to catch, so any probability of exactly 0 or 1 (even in the term its target zeroes) "
        "makes the loss fail instead of costing 100",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        import math\n\n"
            "        total = 0.0\n"
            "        for p_i, t_i in zip(p.ravel(), t.ravel()):  # each log clamped at -100\n"
            "            total += t_i * max(math.log(p_i), LOG_CLAMP)\n"
            "            total += (1.0 - t_i) * max(math.log(1.0 - p_i), LOG_CLAMP)\n"
            "        loss = -total / p.size\n",
        ),
        expect=("math-log-domain-error", "bce-not-clamped"),
        phrases=("math.log", "log(0)", "-inf", "np.log", "clamp", "exactly 0"),
    ),
    fresh(
        "hm-bce-logits-sigmoid-as-bare-tanh",
        "losses.BCEWithLogitsLoss",
        "the saved sigmoid is np.tanh(x / 2), the stable identity remembered without its affine part: sigmoid(x) "
        "= (1 + tanh(x / 2)) / 2; tanh(x / 2) lies in (-1, 1), so the gradient (s - t) / M is wrong",
        (
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
            "        self._s = np.tanh(x / 2.0)  # the stable sigmoid: no exp of a large number\n",
        ),
        expect=("identity-argument-halved", "formula-constant"),
        phrases=("(1 + tanh(x / 2)) / 2", "1 + tanh", "/ 2", "sigmoid", "(-1, 1)"),
    ),
    fresh(
        "hm-ce-log-probs-from-unshifted-logits",
        "losses.CrossEntropyLoss",
        "the log-probabilities are x - log(sum(exp(x - m))): the log-sum-exp of the shifted logits is subtracted "
        "from the unshifted ones, so every log-probability is too large by the row maximum m (and their "
        "exponentials, the saved probabilities, overflow for large logits); use shifted - log(...)",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = x - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # the stable log-sum-exp\n",
        ),
        expect=("logsumexp-shift-not-restored",),
        phrases=("max", "shift", "shifted", "add back", "m + log"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hm-sgd-buffer-read-with-dict-get",
        "optimizers.SGD",
        "the velocity is read as state.get('momentum_buffer', g.copy()) and always updated, trusting get's "
        "default for the first step: the key exists and holds None, so get returns None and the first momentum "
        "step fails (and even a missing key would start at momentum * g + g, not at g)",
        (
            '                buf = state["momentum_buffer"]\n'
            "                if buf is None:\n"
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                # the first step starts the velocity at the gradient\n"
            '                buf = state.get("momentum_buffer", g.copy())\n'
            "                buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        ),
        expect=("dict-get-stored-none", "state-not-initialised"),
        phrases=("none", "get", "default", "key", "is none", "first step"),
    ),
    fresh(
        "hm-sgd-lr-annealed-every-step",
        "optimizers.SGD",
        "step multiplies self.lr by 0.99 after every update ('anneal a little'): SGD's learning rate is a "
        "constant hyper-parameter; a schedule is not part of the update, and the caller's lr is overwritten",
        (
            "            p.data -= self.lr * g\n",
            "            p.data -= self.lr * g\n"
            "        self.lr *= 0.99  # anneal the learning rate a little every step\n",
        ),
        expect=("lr-schedule-added", "hyperparameter-overwritten"),
        phrases=("lr", "constant", "decay", "schedule", "self.lr"),
    ),
    fresh(
        "hm-adagrad-weight-decay-decoupled",
        "optimizers.Adagrad",
        "weight decay shrinks the weights directly, p *= 1 - lr_t * weight_decay, and the gradient stays raw: "
        "Adagrad's weight_decay is the coupled L2 term g + weight_decay * p, which also enters the accumulator",
        (
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["sum"] = state["sum"] + g * g\n',
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:  # weight decay shrinks the weights directly\n"
            "                p.data *= 1.0 - clr * self.weight_decay\n"
            '            state["sum"] = state["sum"] + g * g\n',
        ),
        # added after reading output: weight-decay-after-scaling is this mistake (the decay outside the scaled step)
        expect=("decoupled-weight-decay", "adam-decoupled-decay", "weight-decay-after-scaling"),
        phrases=("l2", "gradient", "g + weight_decay * p", "accumulator", "coupled", "adamw"),
    ),
    fresh(
        "hm-rmsprop-square-average-updated-in-plain-branch-only",
        "optimizers.RMSprop",
        "the squared-gradient average is updated inside the `else` (non-centered) branch only: with "
        "centered=True v stays 0, the variance v - m^2 clamps to 0 and every step divides by eps",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
            "            if self.centered:\n"
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
            "                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n"
            "                # (PyTorch would produce nan there).\n"
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
            "                avg = np.sqrt(variance) + self.eps\n"
            "            else:\n"
            '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
            "            if self.centered:\n"
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
            "                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n"
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
            "                avg = np.sqrt(variance) + self.eps\n"
            "            else:\n"
            '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
            '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
        ),
        expect=("update-in-one-branch", "state-not-updated"),
        phrases=("square_avg", "centered", "both branches", "every step", "never updated", "v"),
    ),
    fresh(
        "hm-rmsprop-decayed-gradient-squared-raw-gradient-stepped",
        "optimizers.RMSprop",
        "the L2 term goes into a new name d_p that only the squared average uses; the centered mean, the "
        "momentum and the step go on with the raw gradient g, so weight decay never moves the weights",
        (
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            "            g = _grad(p)\n"
            "            d_p = g + self.weight_decay * p.data  # the L2 term\n"
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * d_p * d_p\n',
        ),
        expect=("weight-decay-ignored", "raw-gradient-in-step"),
        phrases=("weight_decay", "d_p", "raw gradient", "step", "g + weight_decay * p"),
    ),
    fresh(
        "hm-adadelta-states-assigned-crosswise",
        "optimizers.Adadelta",
        "the new averages are computed into v and u and stored with state['acc_delta'], state['square_avg'] = v, "
        "u: the tuple assignment is crosswise, so the squared-gradient average is saved as the step average and "
        "the other way round",
        (
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
            '            std = np.sqrt(state["square_avg"] + self.eps)\n'
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
            '            v = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / np.sqrt(v + self.eps) * g\n'
            '            u = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n'
            '            state["acc_delta"], state["square_avg"] = v, u\n',
        ),
        expect=("unpacked-swapped", "saved-values-swapped"),
        phrases=("swapped", "square_avg", "acc_delta", "order", "v, u"),
    ),
    fresh(
        "hm-adam-moments-started-at-first-gradient",
        "optimizers.Adam",
        "at the first step the moments are set to g and g^2 ('start at the first gradient, not at 0') and the "
        "bias correction is still applied: the correction 1 / (1 - beta^t) exists because the averages start at "
        "zero, so here it inflates the first steps (m / 0.1, v / 0.001)",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            "            if self.t == 1:  # start the averages at the first gradient rather than at zero\n"
            '                state["exp_avg"], state["exp_avg_sq"] = g.copy(), g * g\n'
            "            else:\n"
            '                state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '                state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
        ),
        expect=("average-started-at-first-value", "bias-correction-twice"),
        phrases=("zero", "bias correction", "1 - beta", "start at 0", "started at zero"),
    ),
    fresh(
        "hm-adam-bias-corrections-computed-once",
        "optimizers.Adam",
        "the bias corrections are computed on the first step and kept ('they only need computing once'): they "
        "depend on t, 1 - beta^t, so every later step is divided by the first step's 0.1 and 0.001",
        (
            "        bias_correction1 = 1.0 - beta1**self.t\n        bias_correction2 = 1.0 - beta2**self.t\n",
            '        if not hasattr(self, "_corrections"):  # the corrections only need computing once\n'
            "            self._corrections = (1.0 - beta1**self.t, 1.0 - beta2**self.t)\n"
            "        bias_correction1, bias_correction2 = self._corrections\n",
        ),
        expect=("cached-first-call", "bias-correction-frozen"),
        phrases=("every step", "beta^t", "depends on t", "first step", "stale", "each step"),
    ),
    fresh(
        "hm-adam-step-divided-into-first-moment",
        "optimizers.Adam",
        "the step m / denom is computed with np.divide(..., out=state['exp_avg']) to save a temporary: the "
        "first moment is overwritten by the step, so the next average starts from m / denom instead of m",
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            '            step = np.divide(state["exp_avg"], denom, out=state["exp_avg"])  # no temporary\n'
            "            p.data -= step_size * step\n",
        ),
        expect=("saved-state-overwritten",),
        phrases=("out=", "exp_avg", "overwrit", "first moment", "temporary"),
    ),
    fresh(
        "hm-adamw-decay-applied-to-grad-in-place",
        "optimizers.AdamW",
        "the decoupled decay is written p.grad *= 1 - lr * weight_decay: it shrinks the gradient (the caller's "
        "p.grad, and g, which is the same array) instead of the weights; AdamW multiplies p.data",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        p.grad *= 1.0 - self.lr * self.weight_decay  # decoupled: shrink before the Adam step\n"
            "        return g\n",
        ),
        expect=("adamw-decays-gradient", "modifies-grad"),
        phrases=("p.data", "weights", "gradient", "p.grad", "parameter itself"),
    ),
    fresh(
        "hm-sgd-nesterov-lookahead-stored-as-velocity",
        "optimizers.SGD",
        "the buffer is stored after the Nesterov line, as state['momentum_buffer'] = g: for nesterov g is the "
        "lookahead g + momentum * b, so the velocity carried to the next step is wrong (b must be stored)",
        (
            '                state["momentum_buffer"] = buf\n'
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                g = g + self.momentum * buf if self.nesterov else buf\n"
            '                state["momentum_buffer"] = g  # the velocity for the next step\n',
        ),
        expect=("nesterov-wrong-operand", "copy-paste-wrong-state"),
        phrases=("buf", "velocity", "lookahead", "nesterov", "store b", "momentum_buffer"),
    ),
]

# ----------------------------------------------------------------------------------------- init
_XAVIER_NORMAL = "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n"

INIT = [
    fresh(
        "hm-fans-fan-out-all-but-last-axis",
        "init.fan_in_and_fan_out",
        "fan_out is the product of every axis but the last, mirroring fan_in (every axis but the first): for a "
        "matrix that is out, but for a kernel (out, in, kH, kW) it gives out * in * kH; fan_out is out * kH * kW",
        (
            "    fan_out = shape[0] * receptive_field\n",
            "    fan_out = math.prod(shape[:-1])  # the mirror of fan_in: every axis but the last\n",
        ),
        expect=("fan-out-wrong-axis",),
        phrases=("shape[0]", "receptive field", "kernel", "in_channels", "out * k"),
    ),
    fresh(
        "hm-xavier-uniform-six-floor-divided",
        "init.xavier_uniform",
        "the bound is written gain * sqrt(6 // (fan_in + fan_out)): // is floor division, 0 as soon as fan_in + "
        "fan_out > 6, so every weight is 0 (6 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    bound = gain * math.sqrt(6 // (fan_in + fan_out))  # b = gain * sqrt(6 / (fan_in + fan_out))\n",
        ),
        expect=("rounded-values", "floor-division"),
        phrases=("//", "integer division", "floor", "6 /", "zero"),
    ),
    fresh(
        "hm-xavier-uniform-gain-squared",
        "init.xavier_uniform",
        "the bound is gain**2 * sqrt(6 / (fan_in + fan_out)), the gain squared as in the variance gain^2 * 2 / "
        "(fan_in + fan_out): the gain scales the standard deviation, and the bound, once",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
            "    std = gain**2 * math.sqrt(2.0 / (fan_in + fan_out))  # Var(W) = gain^2 * 2 / (fan_in + fan_out)\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("gain-twice", "gain-squared"),
        phrases=("gain", "once", "squared", "standard deviation", "gain^2"),
    ),
    fresh(
        "hm-xavier-normal-drawn-flat",
        "init.xavier_normal",
        "the weights are drawn with size=math.prod(shape), one draw per weight: the result is a flat vector, not "
        "an array of the requested shape",
        (
            _XAVIER_NORMAL,
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=math.prod(shape))  # one draw per weight\n",
        ),
        expect=("drawn-flattened", "wrong-shape"),
        phrases=("shape", "reshape", "size=shape", "1-d", "flat"),
    ),
    fresh(
        "hm-xavier-normal-sample-recentred",
        "init.xavier_normal",
        "after drawing, the weights are shifted by their own mean ('make the mean exactly 0'): the entries are "
        "then no independent N(0, std^2) draws, and no longer the generator's values",
        (_XAVIER_NORMAL, _XAVIER_NORMAL + "    weight -= weight.mean()  # make the mean exactly 0\n"),
        expect=("preprocessing-added", "sample-recentred"),
        phrases=("mean", "independent", "draws", "exactly", "n(0, std^2)"),
    ),
    fresh(
        "hm-kaiming-uniform-leaky-gain-slope-not-squared",
        "init.kaiming_uniform",
        "for leaky_relu the gain is written sqrt(2 / (1 + a)): He et al.'s gain is sqrt(2 / (1 + a^2)), the "
        "slope squared (calculate_gain has it); only a = 0 and a = 1 agree",
        (
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
            '    if nonlinearity == "leaky_relu":  # He et al.: sqrt(2 / (1 + a))\n'
            "        gain = math.sqrt(2.0 / (1.0 + a))\n"
            "    else:\n"
            "        gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("formula-constant", "slope-not-squared"),
        phrases=("a^2", "a**2", "squared", "1 + a^2", "calculate_gain"),
    ),
    fresh(
        "hm-kaiming-normal-gain-inside-root",
        "init.kaiming_normal",
        "std is written sqrt(gain / fan) ('the variance is gain over fan'): the variance is gain^2 / fan, so std "
        "= gain / sqrt(fan); the gain must stay outside the root",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
            "    gain = calculate_gain(nonlinearity, a)\n    std = math.sqrt(gain / fan)  # Var = gain / fan\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("root-scope",),
        phrases=("gain / sqrt(fan)", "gain^2", "variance", "outside the root", "sqrt(2 / fan)"),
    ),
]

# ----------------------------------------------------------------------------------------- training
_FIT_LOOP = (
    "    for _ in range(epochs):\n"
    "        total = 0.0\n"
    "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
    "            optimizer.zero_grad()\n"
    "            output = model.forward(X_batch)\n"
    "            loss = loss_fn.forward(output, y_batch)\n"
    "            model.backward(loss_fn.backward())\n"
    "            optimizer.step()\n"
    "            total += float(loss) * len(X_batch)\n"
    "        history.append(total / len(X))\n"
)

TRAINING = [
    fresh(
        "hm-minibatches-targets-flattened",
        "training.minibatches",
        "the targets are flattened with y.ravel() before batching ('labels as one vector'): targets of shape "
        "(N, 1) for BCELoss or MSELoss come out as (batch,), no longer matching the outputs; batches keep the "
        "targets' shape",
        (
            "    size = len(X) if batch_size is None else batch_size\n",
            "    y = y.ravel()  # the targets as one vector\n    size = len(X) if batch_size is None else batch_size\n",
        ),
        expect=("target-reshaped",),
        phrases=("shape", "(n, 1)", "ravel", "targets", "unchanged"),
    ),
    fresh(
        "hm-minibatches-permutation-drawn-without-shuffle",
        "training.minibatches",
        "the permutation is drawn before the shuffle test and only applied when shuffling: without shuffle it "
        "still consumes the caller's generator (and with rng=None, the default call, there is no generator and "
        "it fails); draw only when shuffle is true",
        (
            "    if shuffle:\n"
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
            "        X, y = X[order], y[order]\n",
            "    order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
            "    if shuffle:\n"
            "        X, y = X[order], y[order]\n",
        ),
        expect=("rng-consumed", "exception"),
        phrases=("shuffle", "rng", "none", "only when", "draw"),
    ),
    fresh(
        "hm-minibatches-list-extended-by-tuple",
        "training.minibatches",
        "each batch is added with batches += (X_b, y_b): += on a list extends it with the tuple's two items, so "
        "the list holds X_b, y_b, X_b, y_b, ... instead of (X_b, y_b) pairs (append adds the pair)",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches += (X[start : start + size], y[start : start + size])  # add this batch\n",
        ),
        expect=("list-extend-not-append",),
        phrases=("append", "extend", "+=", "pair", "tuple", "flat list"),
    ),
    fresh(
        "hm-fit-batch-loss-weighted-by-all-targets",
        "training.fit",
        "each batch loss is weighted by len(y), the whole training set, where len(X_batch) belongs: the epoch "
        "loss becomes the plain sum of the batch losses (N * sum / N), not their size-weighted mean",
        (
            "            total += float(loss) * len(X_batch)\n",
            "            total += float(loss) * len(y)\n",
        ),
        expect=("batch-size-weight", "unweighted-mean"),
        phrases=("len(x_batch)", "batch size", "y_batch", "weighted", "whole"),
    ),
    fresh(
        "hm-fit-batch-loss-added-with-equals-plus",
        "training.fit",
        "the batch loss is accumulated with total =+ loss * len(X_batch): =+ is an assignment of +value, not +=, "
        "so total holds only the last batch's weighted loss and the epoch mean is that over N",
        (
            "            total += float(loss) * len(X_batch)\n",
            "            total =+ float(loss) * len(X_batch)  # add this batch's share\n",
        ),
        expect=("assigned-not-accumulated", "typo-equals-plus"),
        phrases=("+=", "=+", "last batch", "accumulate", "every batch"),
    ),
    fresh(
        "hm-fit-epoch-mean-np-average-arguments-swapped",
        "training.fit",
        "the epoch loss is np.average(sizes, weights=losses): the values and the weights are exchanged, so it "
        "averages the batch sizes weighted by the losses; the mean loss is np.average(losses, weights=sizes)",
        (
            _FIT_LOOP,
            "    for _ in range(epochs):\n"
            "        losses, sizes = [], []\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            optimizer.zero_grad()\n"
            "            output = model.forward(X_batch)\n"
            "            loss = loss_fn.forward(output, y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            losses.append(float(loss))\n"
            "            sizes.append(len(X_batch))\n"
            "        history.append(float(np.average(sizes, weights=losses)))  # batch losses weighted by size\n",
        ),
        expect=("average-arguments-swapped", "fit-arguments"),
        phrases=("weights=", "np.average", "weighted by", "batch size", "swapped"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hm-sequential-backward-reduce-in-forward-order",
        "models.Sequential",
        "backward chains the steps with functools.reduce(lambda g, layer: layer.backward(g), self.layers, "
        "grad_y): reduce walks the list from the first layer, so the gradient goes through the layers in forward "
        "order; backward must start at the last layer (reversed(self.layers))",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        from functools import reduce\n\n"
            "        grad_y = reduce(lambda g, layer: layer.backward(g), self.layers, grad_y)  # chain the steps\n",
        ),
        expect=("backward-order",),
        phrases=("reverse", "reversed", "last layer", "order", "self.layers[::-1]"),
    ),
    fresh(
        "hm-sequential-parameters-sum-without-start",
        "models.Sequential",
        "parameters() concatenates the layers' lists with sum(layer.parameters() for layer in self.layers): sum "
        "starts from 0, and 0 + list fails; sum(..., []) or a comprehension concatenates lists",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return sum(layer.parameters() for layer in self.layers)  # the lists, concatenated\n",
        ),
        expect=("sum-without-start", "wrong-type"),
        phrases=("start", "[]", "sum(..., [])", "0 +", "concatenat", "empty list"),
    ),
    fresh(
        "hm-sequential-forward-output-layer-twice",
        "models.Sequential",
        "forward runs every layer and then returns self.layers[-1].forward(x) ('then the output layer'): the "
        "loop already applied the last layer, so it runs twice (and its saved input is its own output)",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        for layer in self.layers:\n            x = layer.forward(x)\n"
            "        x = self.layers[-1].forward(x)  # the output layer\n",
        ),
        expect=("layer-applied-twice", "forward-order"),
        phrases=("twice", "last layer", "once", "already", "output layer"),
    ),
    fresh(
        "hm-sequential-train-returns-list-of-layers",
        "models.Sequential",
        "train() sets the flag and returns [layer.train() for layer in self.layers], a one-line loop: it returns "
        "a list of the layers where train() returns the container itself (model.train().forward(x) fails)",
        (
            "        self.training = True\n"
            "        for layer in self.layers:\n"
            "            layer.train()\n"
            "        return self\n",
            "        self.training = True\n"
            "        return [layer.train() for layer in self.layers]  # every layer in training mode\n",
        ),
        expect=("wrong-type", "returns-none"),
        phrases=("return self", "container", "list", "chain", "returns"),
    ),
    fresh(
        "hm-perceptron-updates-only-positive-errors",
        "models.Perceptron",
        "update moves the weights only `if error > 0`: a mistake on a target 0 (predicted 1, error -1) changes "
        "nothing, so the boundary never moves away from negatives; the rule adds lr * error * x for either sign",
        (
            "        self.weight = self.weight + self.lr * error * x\n"
            "        self.bias = self.bias + self.lr * error\n",
            "        if error > 0:  # a mistake: move towards x\n"
            "            self.weight = self.weight + self.lr * error * x\n"
            "            self.bias = self.bias + self.lr * error\n",
        ),
        expect=("mistakes-one-sign", "error-unsigned"),
        phrases=("error < 0", "-1", "negative", "either sign", "predicted 1", "both"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
_NUMGRAD_LOOP = (
    "    for index in np.ndindex(x.shape):\n"
    "        original = x[index]\n"
    "        x[index] = original + h\n"
    "        f_plus = float(f(x))\n"
    "        x[index] = original - h\n"
    "        f_minus = float(f(x))\n"
    "        x[index] = original  # restore exactly: no accumulated round-off\n"
    "        grad[index] = (f_plus - f_minus) / (2 * h)\n"
)

GRADCHECK = [
    fresh(
        "hm-numgrad-flat-index-into-nd-grad",
        "gradcheck.numerical_gradient",
        "the loop runs i over range(x.size), perturbs x[np.unravel_index(i, x.shape)] but stores grad[i]: for "
        "an N-d x, grad[i] is a whole row (or out of range), so the derivative goes to the wrong entries; store "
        "it under the same index as the probe",
        (
            _NUMGRAD_LOOP,
            "    for i in range(x.size):\n"
            "        index = np.unravel_index(i, x.shape)\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[i] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("flat-index-on-nd-array", "perturbs-rows"),
        phrases=("grad[index]", "row", "flat index", "unravel", "same index"),
    ),
    fresh(
        "hm-numgrad-indices-from-nonzero",
        "gradcheck.numerical_gradient",
        "the entries are enumerated with zip(*np.nonzero(x)) ('the index of every entry'): np.nonzero lists only "
        "the non-zero entries, so every entry of x equal to 0 is never probed and keeps gradient 0",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    for index in zip(*np.nonzero(x)):  # the index of every entry\n",
        ),
        expect=("entries-skipped",),
        phrases=("nonzero", "zero entries", "np.ndindex", "every entry", "skipped"),
    ),
    fresh(
        "hm-relerr-floor-on-numerator",
        "gradcheck.relative_error",
        "the floor is put on the numerator, max(1e-8, |a - b|) / (|a| + |b|): the denominator is unguarded, so "
        "two zero entries give 1e-8 / 0 = inf, and equal non-zero entries a relative error above 0",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.maximum(1e-8, np.abs(a - b)) / (np.abs(a) + np.abs(b))\n",
        ),
        expect=("floor-scope", "no-floor"),
        phrases=("denominator", "floor", "1e-8", "|a| + |b|", "divide by zero", "inf"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hm-early-stopping-deepcopy-parameters-only",
        "early_stopping.fit_early_stopping",
        "the best epoch is kept as copy.deepcopy(model.parameters()) and restored by assigning each saved "
        "parameter's data: the parameters come back, but BatchNorm's running_mean and running_var stay those of "
        "the last epoch (copy_state / load_state save the buffers too)",
        span(
            "early_stopping",
            ("    best_state = None\n", "    import copy\n\n    best_params = None\n"),
            (
                "                best_state = copy_state(model)\n",
                "                best_params = copy.deepcopy(model.parameters())  # a snapshot of every parameter\n",
            ),
            (
                "    if restore_best and best_state is not None:\n        load_state(model, best_state)\n",
                "    if restore_best and best_params is not None:\n"
                "        for p, saved in zip(model.parameters(), best_params):\n"
                "            p.data = saved.data\n",
            ),
        ),
        expect=("buffers-not-restored",),
        phrases=("running_mean", "running_var", "batchnorm", "buffers", "copy_state"),
    ),
    fresh(
        "hm-early-stopping-best-state-copied-once",
        "early_stopping.fit_early_stopping",
        "the snapshot is taken only if best_state is None ('one snapshot is enough'): the state of the first "
        "improving epoch is kept, and later, better epochs are never saved, so restore_best puts back epoch 1",
        (
            "            if restore_best:\n                best_state = copy_state(model)\n",
            "            if restore_best and best_state is None:  # one snapshot is enough\n"
            "                best_state = copy_state(model)\n",
        ),
        expect=("restores-wrong-epoch", "cached-first-call"),
        phrases=("every improving epoch", "first", "best epoch", "snapshot", "each improvement"),
    ),
    fresh(
        "hm-early-stopping-val-history-records-best-so-far",
        "early_stopping.fit_early_stopping",
        "the validation history is appended best_loss after the comparison, not the epoch's val_loss: it "
        "records the running best, so val_losses never rises and hides the epochs that got worse",
        (
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best_loss - min_delta:\n"
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "        else:\n"
            "            waited += 1\n"
            "            if waited >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                break\n",
            "        if val_loss < best_loss - min_delta:\n"
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "        else:\n"
            "            waited += 1\n"
            "        history.val_losses.append(best_loss)  # the validation curve\n"
            "        if waited >= patience:\n"
            "            history.stopped_epoch = epoch\n"
            "            break\n",
        ),
        expect=("wrong-history-list", "history-records-best"),
        phrases=("val_loss", "each epoch", "best_loss", "validation loss after each epoch", "recorded"),
    ),
    fresh(
        "hm-early-stopping-best-stored-minus-min-delta",
        "early_stopping.fit_early_stopping",
        "an improving epoch stores best_loss = val_loss - min_delta ('the level to beat next') and the test "
        "still subtracts min_delta: the next epoch must beat the best by 2 * min_delta to count as improving",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            # remember the level to beat next\n"
            "            best_loss, history.best_epoch, waited = val_loss - min_delta, epoch, 0\n",
        ),
        expect=("min-delta-applied-twice",),
        phrases=("min_delta", "best_loss", "twice", "best - min_delta", "2 * min_delta"),
    ),
]

FRESH_M: list[Mutant] = [
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
