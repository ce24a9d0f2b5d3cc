"""Held-apart set L: fresh student bugs, written blind after sets A to K had been seen.

Sets A (``HELDOUT``) to K (``FRESH_K``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set L was written blind: its author read the reference, docs/api.md, the
catalogue's mutants (graders/mutants), the alternatives (tests/alternatives, to keep out of what is graded
correct), the course text and sets A to K (for the format, the tag vocabulary and to avoid copies), and of
tests/test_feedback_generalisation.py only its FAMILIES dict; never the diagnosis (graders/judging,
graders/reporting, graders/running, graders/selfcheck), tests/evidence.py, the feedback audit, the mistake,
crash and feedback tests, the grader's feedback or its output, and graded none of these bugs while writing
them (besides the structural check of /work/tools/check_set.py, a few were applied and run by a script of
the author's own on a tiny input beside the reference, to see that the edit changes a result; none went
through the grader).

About two thirds are classes the catalogue and sets A to K hardly touch: numpy and Python semantics
(``np.vectorize`` taking its output dtype from the first entry, so ``max(v, 0)`` makes an int array;
``np.empty`` for a buffer that is then added into; ``np.add`` without ``out=`` taken to work in place; a
``sliding_window_view(..., writeable=True)`` added into, where overlapping windows write over each other;
one fancy-indexed ``+=`` for every window at once, which drops repeated positions; ``x.shape = ...``
reshaping the caller's array; ``np.take`` without an axis; ``rng.choice`` of ``1 / (1 - p)``; a flat index
built with the output's row length; ``break`` for ``continue``; a loop variable that rebinds the training
set; ``zero_grad`` named but not called; ``round`` for the number of batches; Python's ``random.shuffle``;
lambdas in a comprehension that all bind the last layer; ``copy_state`` kept uncalled; ``10e-12`` and
``10e-8`` read as 1e-12 and 1e-8; an update or a state written to a local name; a decayed gradient stored
under a name nothing reads; a ``{}`` of momentum buffers made afresh at every step; a dict of gains with a
default of 1), numerics (a softmax shifted only by a positive maximum, so very negative logits underflow to
0 / 0), formulas and semantics remembered wrongly (an L2 penalty added inside Linear's backward, SELU's
negative slope from its output as ``y + alpha``, GELU's density as erf's derivative without the inner 1 /
sqrt(2), BatchNorm's staged backward without the 1 / m of the variance term, gamma's gradient taken
against the output, 'same' padding assumed, the averaged window divided by the size of every window,
Adam's second moment weighted by 1 - beta1, Adam's L2 term times lr, AdamW with the default lr written in,
RMSprop with decoupled decay, the pocket perceptron, a perceptron step along the unit sample, an
improvement that wins back one epoch of patience, losses compared rounded to 4 decimals, a stopped_epoch
set when every epoch ran), and about a third are known classes in a new code shape or component (modifies
input or the upstream gradient, a mutated saved sigmoid, float32 output, cached on first call, wrong-axis
sums, fans swapped, gain twice, a not-centred uniform, the slope a left out, a fresh generator, name
shadowing, a method not called, gradients assigned, parameters only learning in training, the flag of
batch statistics left stale, a reduction over the wrong axes, a loss assigned not accumulated, a fixed
number of axes, the kernel as stride, per-batch averaging of a weight gradient, a backup that aliases the
array it backs up, probes of a new array, patience off by one). Each is a different edit from the
catalogue's and sets A to K's. Ids start with ``hl-``.
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue
tag where one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 11, on 6eeb0d7 with sets A to K worked on, each
bug graded in the grader's sandbox): 56/74 named (76 %), 20 flagged misleading, 71/74 caught. Two bugs were
dropped after grading as not reproducible (np.empty's contents, and a heap corrupted by a strided write; see
their comments), so 72 remain. Unlike sets C to K, about 25 of these bugs were asked for as known classes in
a new code shape, so the rate is not comparable with theirs one for one.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hl-")  # set L


_IN_PLACE = ("in place", "in-place", "caller's", "overwrit")
_PRECEDENCE = ("parenthes", "precedence")

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hl-relu-vectorize-python-max",
        "activations.ReLU",
        "forward applies np.vectorize(lambda v: max(v, 0)): np.vectorize takes its output dtype from the first "
        "entry's result, and Python's max(v, 0) returns the int 0 for a negative v, so whenever the first entry "
        "is not positive the whole output is an int array and the positive entries are truncated",
        (
            "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
            "        self._mask = x > 0\n"
            "        relu = np.vectorize(lambda v: max(v, 0))  # max(0, x) entry by entry\n"
            "        return relu(x)\n",
        ),
        expect=("integer-dtype", "vectorize-infers-dtype"),
        phrases=("np.vectorize", "otypes", "first entry", "integer", "int", "truncat"),
    ),
    fresh(
        "hl-silu-backward-upstream-on-sigmoid-term-only",
        "activations.SiLU",
        "backward reuses the Sigmoid module for s'(x) in the product rule, x * sigmoid.backward(grad_y) + s: the "
        "sigmoid's backward carries grad_y, but the term s is added without it; both terms of dy/dx must be "
        "multiplied by grad_y",
        (
            "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        # product rule, reusing the Sigmoid module for s'(x): x s' + s\n"
            "        return self._x * self._sigmoid.backward(grad_y) + self._s\n",
        ),
        # added after reading output: the grader's "grad_y multiplies only one term of the derivative" (the
        # catalogue's operator-precedence class) is this mistake; the numbers cannot tell the code shapes apart
        expect=("ignores-upstream-gradient", "operator-precedence"),
        phrases=("grad_y", "upstream", "both terms", "chain rule", "s * grad_y"),
    ),
    fresh(
        "hl-prelu-slopes-reshaped-on-first-call",
        "activations.PReLU",
        "forward reshapes the slopes for broadcasting only on its first call (`if not hasattr(self, '_a')`): "
        "after weight.data is given a new array (an optimizer that assigns, load_state, a grader) the layer "
        "keeps using the old slopes, and a later input with another number of axes gets the first call's shape",
        (
            "        self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
            '        if not hasattr(self, "_a"):  # the slopes only need reshaping once\n'
            "            self._a = self.weight.data.reshape(self._slope_shape(x.ndim))\n",
        ),
        # added after reading output: parameter-read-once is a reshaped parameter cached at the first forward,
        # the catalogue's conv-weight-matrix-cached; the same mistake
        expect=("cached-first-call", "parameter-read-once"),
        phrases=("every forward", "weight.data", "stale", "first call", "cached", "once"),
    ),
    fresh(
        "hl-logsoftmax-sum-over-last-axis",
        "activations.LogSoftmax",
        "the maximum is taken along dim but the log-sum-exp sums along axis -1 ('the classes', as for (N, C)): "
        "for any dim but the last the normaliser belongs to another axis and the output is no log-probability",
        (
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))  # sum over the classes\n",
        ),
        expect=("softmax-wrong-axis",),
        phrases=("dim", "self.dim", "last axis", "same axis", "axis=-1"),
    ),
    fresh(
        "hl-logsoftmax-shifts-input-in-place",
        "activations.LogSoftmax",
        "forward subtracts the maximum in place, x -= max ('no copy'), and goes on with x: as_float_array returns "
        "a float64 input itself, so the caller's array is shifted",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n",
            "        x -= np.max(x, axis=self.dim, keepdims=True)  # shift in place: no copy\n        shifted = x\n",
        ),
        expect=("modifies-input",),
        phrases=(*_IN_PLACE, "x -=", "copy", "new array"),
    ),
    fresh(
        "hl-selu-backward-from-output-alpha-unscaled",
        "activations.SELU",
        "backward takes the negative branch's slope from the saved output as y + alpha, ELU's identity: for SELU "
        "y = scale alpha (e^x - 1), so the slope scale alpha e^x is y + scale * alpha; alpha alone is too small",
        span(
            "activations",
            (
                "        return self.scale * self._elu.forward(x)\n",
                "        self._y = self.scale * self._elu.forward(x)\n        return self._y\n",
            ),
            (
                "        return self._elu.backward(self.scale * grad_y)\n",
                "        # on the negative branch dy/dx = y + alpha, as for ELU\n"
                "        return grad_y * np.where(self._y > 0, self.scale, self._y + self.alpha)\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): negative-branch-wrong
        expect=("derivative-wrong-form", "selu-missing-scale", "negative-branch-wrong"),
        phrases=("scale * alpha", "scale", "y + scale", "alpha e^x", "negative branch"),
    ),
    fresh(
        "hl-softmax-shift-only-by-positive-maximum",
        "activations.Softmax",
        "the shift is max(max(x), 0) ('only large positive logits overflow exp'): when every logit along dim is "
        "very negative (below about -745) every exponential underflows to 0 and the output is 0 / 0 = nan; the "
        "maximum must always be subtracted, whatever its sign",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        # only large positive logits overflow exp, so shift only by a positive maximum\n"
            "        e = np.exp(x - np.maximum(np.max(x, axis=self.dim, keepdims=True), 0.0))\n",
        ),
        expect=("underflow", "shift-only-positive"),
        phrases=("underflow", "0 / 0", "0/0", "very negative", "negative logits", "always subtract"),
    ),
    fresh(
        "hl-step-backward-returns-none",
        "activations.Step",
        "backward ends with `pass` ('the step is flat: no gradient flows back'): it returns None, where backward "
        "returns dL/dx, an array of zeros shaped like grad_y",
        ("        return np.zeros_like(grad_y)\n", "        pass  # the step is flat: no gradient flows back\n"),
        # added after reading output (tag-vocabulary audit): returned-none
        expect=("returns-none", "returned-none"),
        phrases=("none", "return", "zeros shaped like", "np.zeros_like", "array of zeros"),
    ),
    fresh(
        "hl-gelu-density-from-erf-derivative",
        "activations.GELU",
        "the exact backward's density is written from erf'(u) = 2 / sqrt(pi) e^(-u^2) as Phi'(x) = 1/2 * 2 / "
        "sqrt(pi) e^(-x^2 / 2): the chain rule's inner derivative 1 / sqrt(2) of u = x / sqrt(2) is forgotten, "
        "so the density is sqrt(2) times too large (phi(x) = e^(-x^2/2) / sqrt(2 pi))",
        (
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
            "        # Phi(x) = (1 + erf(x / sqrt 2)) / 2 and erf'(u) = 2 / sqrt(pi) e^{-u^2}\n"
            "        pdf = 0.5 * 2.0 / math.sqrt(math.pi) * np.exp(-0.5 * xc * xc)\n",
        ),
        expect=("formula-constant", "chain-rule-inner-derivative"),
        phrases=("sqrt(2 pi)", "sqrt(2", "chain rule", "inner derivative", "1 / sqrt(2)"),
    ),
    fresh(
        "hl-elu-backward-scales-upstream-in-place",
        "activations.ELU",
        "backward multiplies the negative entries of grad_y in place by alpha e^x and returns grad_y: the caller's "
        "upstream gradient is overwritten",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n"
            "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
            "        negative = self._x <= 0\n"
            "        grad_y[negative] *= self.alpha * np.exp(self._x[negative])  # scale the negative branch\n"
            "        return grad_y\n",
        ),
        expect=("modifies-input", "modifies-grad"),
        phrases=(*_IN_PLACE, "grad_y", "copy", "new array"),
    ),
    fresh(
        "hl-maxout-weight-grad-averaged-over-batch",
        "activations.Maxout",
        "the weight gradient is divided by the batch size ('average over the samples'): the loss already carries "
        "the 1/N, so a parameter's gradient is the sum over the batch (the bias's is, and is not divided)",
        (
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n',
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x) / len(self._x)'
            "  # average over the batch\n",
        ),
        expect=("divided-by-batch-size",),
        phrases=("sum over the batch", "divided by n", "1/n", "already", "average", "batch size"),
    ),
    fresh(
        "hl-prelu-channel-grad-summed-with-keepdims",
        "activations.PReLU",
        "the per-channel slope gradient is summed with keepdims=True ('to keep it broadcastable'): the sum has "
        "shape (1, C, 1, ...) and cannot be added into weight.grad of shape (num_parameters,)",
        (
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n",
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)), keepdims=True)\n",
        ),
        expect=("keepdims-misuse", "length-one-axis"),
        phrases=("keepdims", "(num_parameters,)", "shape of the weight", "(c,)", "weight.grad"),
    ),
    fresh(
        "hl-gelu-tanh-inner-argument-precedence",
        "activations.GELU",
        "the tanh form's argument is typed sqrt(2/pi) * x + 0.044715 * x^3: without parentheses sqrt(2/pi) "
        "multiplies x alone, where u = sqrt(2/pi) (x + 0.044715 x^3)",
        (
            "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n",
            "            self._t = np.tanh(SQRT_2_OVER_PI * xc + GELU_KAPPA * xc**3)\n",
        ),
        expect=("operator-precedence", "precedence"),
        phrases=(*_PRECEDENCE, "sqrt(2/pi) (x + 0.044715", "both terms"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
_MAXPOOL_BACKWARD = (
    "        grad_x = np.zeros(self._x_shape)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                won = self._argmax == i * kW + j\n"
    "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n"
)
_AVGPOOL_BACKWARD = (
    "        grad_x = np.zeros(self._x_shape)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n"
)
_DROPOUT_DRAW = "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"

LAYERS = [
    fresh(
        "hl-linear-l2-penalty-in-backward",
        "layers.Linear",
        "backward adds 1e-4 * weight to the weight gradient ('L2 regularisation'): the layer's gradient must be "
        "dL/dW of the loss alone; weight decay belongs to the optimizer's weight_decay",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += grad_y.T @ self._x + 1e-4 * self.weight.data  # L2 regularisation\n",
        ),
        expect=("regularisation-in-layer", "preprocessing-added"),
        phrases=("regularis", "weight_decay", "weight decay", "optimizer", "penalty", "1e-4"),
    ),
    fresh(
        "hl-linear-weight-grad-reshaped-to-fit",
        "layers.Linear",
        "the weight gradient is computed as x.T @ grad_y, shaped (D, M), and reshaped to the weight's (M, D) to "
        "fit: a reshape reorders no entries, it refills them row by row, so the gradient is scrambled; the "
        "(M, D) gradient is its transpose, grad_y.T @ x",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        self.weight.grad += (self._x.T @ grad_y).reshape(self.weight.shape)  # (D, M) to (M, D)\n",
        ),
        # the catalogue's linear-weight-grad-transposed is this very edit, named "transposed".
        expect=("reshape-not-transpose", "transposed"),  # added after reading output
        phrases=("transpose", ".t", "reshape", "grad_y.t @ x", "scrambl", "order"),
    ),
    fresh(
        "hl-linear-forward-float32",
        "layers.Linear",
        "forward multiplies in single precision, x.astype(float32) @ W.T.astype(float32) ('faster'): the output "
        "is float32 (the in-place bias add keeps it) and rounded to about 7 digits, where the API asks for float64",
        (
            "        y = x @ self.weight.data.T\n",
            "        y = x.astype(np.float32) @ self.weight.data.T.astype(np.float32)  # single precision is faster\n",
        ),
        expect=("float32",),
        phrases=("float32", "float64", "single precision", "dtype"),
    ),
    fresh(
        "hl-conv-col2im-one-fancy-index-for-all-offsets",
        "layers.Conv2d",
        "col2im adds every window at once, grad_xp[:, :, rows, cols] += dcols with index arrays of all kernel "
        "offsets and positions: a fancy-indexed += writes each repeated position once, so where windows overlap "
        "(stride < kernel) only one window's gradient lands; np.add.at (or one offset at a time) accumulates",
        (
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                window = windows[:, i, j]\n"
            "                window += dcols[:, i, j]\n",
            "        sH, sW = self.stride\n"
            "        rows = np.arange(kH)[:, None, None, None] + sH * np.arange(Ho)[None, None, :, None]\n"
            "        cols = np.arange(kW)[None, :, None, None] + sW * np.arange(Wo)[None, None, None, :]\n"
            "        # every window at once: (N, C, kH, kW, H', W') positions of grad_xp\n"
            "        grad_xp[:, :, rows, cols] += dcols.transpose(3, 0, 1, 2, 4, 5)\n",
        ),
        expect=("overlap-overwritten", "fancy-index-accumulate"),
        phrases=("np.add.at", "repeated", "overlap", "accumulate", "buffered", "only once"),
    ),
    fresh(
        "hl-conv-dcols-rows-unpacked-kernel-first",
        "layers.Conv2d",
        "backward unpacks the rows of dcols as (kH, kW, C), kernel offset first: forward's im2col laid them out "
        "as (C, kH, kW), so with more than one input channel every gradient goes to the wrong channel and offset",
        span(
            "layers",
            (
                "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)\n",
                "        dcols = dcols.reshape(kH, kW, self.in_channels, N, Ho, Wo)  # row (i, j, c)\n",
            ),
            ("                window += dcols[:, i, j]\n", "                window += dcols[i, j]\n"),
        ),
        expect=("axes-permuted", "reshape-order"),
        phrases=("(c, i, j)", "row order", "im2col", "same order", "channel", "forward"),
    ),
    # Dropped after grading (not graded by the suite): "hl-conv-same-padding-assumed", forward padding by
    # kernel_size // 2 whatever the padding argument. A real mistake (the catalogue's conv-zero-padding-taken-as-same
    # teaches its class), but not a reproducible one here: backward's strided col2im then writes past its buffer and
    # corrupts the heap, so what the rest of the run computes, and where it aborts, depends on the allocator. In
    # process it kills the interpreter; in the grader's sandbox it was named on one run and not on the next.
    fresh(
        "hl-conv-eval-backward-no-parameter-gradients",
        "layers.Conv2d",
        "backward adds the weight and bias gradients only in training mode ('parameters only learn in "
        "training'): backward must add them whatever the mode; only forward's behaviour may depend on it",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += G.sum(axis=1)\n",
            "        if self.training:  # parameters only learn in training\n"
            "            self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n"
            "            if self.bias is not None:\n"
            "                self.bias.grad += G.sum(axis=1)\n",
        ),
        expect=("gradient-missing", "train-eval"),
        phrases=("eval", "evaluation", "weight.grad", "parameter gradients", "whatever the mode"),
    ),
    fresh(
        "hl-maxpool-flat-index-row-length-of-output",
        "layers.MaxPool2d",
        "backward scatters each maximum at the flat position row * W' + col of its (H, W) image, with the "
        "output's row length W' where the input's W belongs: unless W' == W the gradients land in the wrong rows",
        (
            _MAXPOOL_BACKWARD,
            "        N, C, H, W = self._x_shape\n"
            "        i, j = np.divmod(self._argmax, kW)  # offsets of each window's maximum\n"
            "        rows = i + sH * np.arange(Ho)[:, None]\n"
            "        cols = j + sW * np.arange(Wo)[None, :]\n"
            "        flat = (rows * Wo + cols).reshape(N * C, -1)  # position in the flattened image\n"
            "        grad_x = np.zeros((N * C, H * W))\n"
            "        np.add.at(grad_x, (np.arange(N * C)[:, None], flat), grad_y.reshape(N * C, -1))\n"
            "        grad_x = grad_x.reshape(self._x_shape)\n",
        ),
        expect=("flat-index-row-length",),
        phrases=("row length", "input width", "input's width", "flat index", "ravel_multi_index", "* w"),
    ),
    # Dropped after grading (not graded by the suite): "hl-maxpool-gradient-buffer-np-empty", backward allocating
    # the input gradient with np.empty and adding into it. A real mistake, but not a reproducible one: what np.empty
    # hands back depends on the allocator (fresh zeroed pages, or a buffer just freed), so the same code passes on
    # one run, fails with nan on another and is off by a previous call's gradient on a third. Blind, it was caught
    # with a wrong "overflow" claim in the sandbox and without it in process. A suite that grades it is flaky.
    fresh(
        "hl-avgpool-divided-by-size-of-all-windows",
        "layers.AvgPool2d",
        "forward divides each window's sum by windows.size, the number of entries of the whole (N, C, H', W', kH, "
        "kW) view, taken for one window's: the mean divides by kH * kW",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.sum(axis=(4, 5)) / windows.size  # sum over count\n",
        ),
        expect=("avgpool-divisor",),
        phrases=("kh * kw", "one window", "whole array", ".size", "divisor", "every window"),
    ),
    fresh(
        "hl-avgpool-backward-writeable-window-view",
        "layers.AvgPool2d",
        "backward takes forward's windows as a writeable sliding_window_view of grad_x and adds the share into "
        "it: overlapping windows share memory, so each entry ends up with one window's share instead of the sum "
        "of the windows that contain it (stride < kernel)",
        (
            _AVGPOOL_BACKWARD,
            "        grad_x = np.zeros(self._x_shape)\n"
            "        # the same windows as forward, as a writeable view of grad_x\n"
            "        windows = sliding_window_view(grad_x, (kH, kW), axis=(2, 3), writeable=True)[:, :, ::sH, ::sW]\n"
            "        windows += share[..., None, None]\n",
        ),
        expect=("overlap-overwritten",),
        phrases=("overlap", "accumulate", "writeable", "view", "sum of", "stride < kernel"),
    ),
    fresh(
        "hl-avgpool-backward-np-add-without-out",
        "layers.AvgPool2d",
        "backward writes np.add(grad_x[window], share), taken to add in place: np.add returns a new array, which "
        "is thrown away, so grad_x stays zero (`+=`, or out=, writes into grad_x)",
        (
            _AVGPOOL_BACKWARD,
            _AVGPOOL_BACKWARD.replace(
                "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
                "                np.add(grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW], share)"
                "  # add into the window\n",
            ),
        ),
        # the grader's view-rebound names the same class: a new array made from the view and never written back.
        expect=("result-discarded", "view-rebound"),  # added after reading output
        phrases=("+=", "out=", "new array", "discarded", "zeros", "never stored"),
    ),
    fresh(
        "hl-avgpool-forward-windows-step-by-kernel",
        "layers.AvgPool2d",
        "forward keeps every kH-th and kW-th window ([:, :, ::kH, ::kW]), the kernel taken for the stride: "
        "right for the default stride only; with another stride the output has the wrong windows and shape",
        (
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::kH, ::kW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
        ),
        # the grader's stride-is-kernel simulates this very mistake (windows placed kH x kW apart).
        expect=("kernel-stride-confused", "stride-is-kernel"),  # added after reading output
        phrases=("stride", "self.stride", "kernel", "sh", "windows"),
    ),
    fresh(
        "hl-flatten-shape-assigned-in-place",
        "layers.Flatten",
        "forward reshapes with x.shape = (N, -1) ('in place, no copy') and returns x: as_float_array returns a "
        "float64 input itself, so the caller's array is reshaped (and a non-contiguous input cannot be)",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = x.shape\n"
            "        x.shape = self._y_shape  # reshape in place: no copy\n"
            "        y = x\n",
        ),
        expect=("modifies-input",),
        phrases=(*_IN_PLACE, "x.shape", "reshape", "caller"),
    ),
    fresh(
        "hl-dropout-p-zero-shortcut-keeps-old-mask",
        "layers.Dropout",
        "forward short-cuts p = 0 in training, y = x ('nothing to drop'), without saving a mask: backward then "
        "multiplies by the mask of an earlier forward (or finds none), where it must pass grad_y through",
        (
            "        if self.training:\n" + _DROPOUT_DRAW,
            "        if self.training and self.p == 0.0:  # nothing to drop: skip the random draw\n"
            "            y = x\n"
            "        elif self.training:\n" + _DROPOUT_DRAW,
        ),
        # added after reading output: forward saved no mask on that path
        expect=("saved-state-stale", "state-not-saved", "saved-none"),
        phrases=("self._mask", "mask", "p = 0", "stale", "earlier forward", "backward"),
    ),
    fresh(
        "hl-dropout-mask-from-rng-choice",
        "layers.Dropout",
        "the mask is drawn with rng.choice([0, 1 / (1 - p)], p=[p, 1 - p]): the right distribution, but 1 / (1 - "
        "p) is computed for p = 1 too, a division by zero, where Dropout(p=1) must return zeros",
        (
            _DROPOUT_DRAW + "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n",
            "            # each entry is 0 with probability p and 1 / (1 - p) otherwise\n"
            "            self._mask = self.rng.choice([0.0, 1.0 / (1.0 - self.p)], size=x.shape, "
            "p=[self.p, 1.0 - self.p])\n",
        ),
        expect=("dropout-divides-by-zero-at-p-one",),
        phrases=("p = 1", "p=1", "division by zero", "1 - p", "zeros"),
    ),
]

BATCHNORM = [
    fresh(
        "hl-bn1d-staged-backward-variance-term-not-averaged",
        "layers.BatchNorm1d",
        "training backward is derived step by step (dvar, dmu) and assembles grad_x = dx_hat / std + dvar * 2 "
        "(x - mu) + dmu / m: the variance term is missing its 1 / m (dvar * 2 (x - mu) / m), so it is m times "
        "too large",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "            grad_x = self._inv_std * (\n"
                        "                grad_x_hat\n"
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                        "            )\n",
                        "            # step by step through the graph: x_mu = x - mu, then var, then mu\n"
                        "            m = grad_y.size // grad_y.shape[1]\n"
                        "            x_mu = self._x_hat / self._inv_std\n"
                        "            d_var = np.sum(grad_x_hat * x_mu, axis=axes, keepdims=True)"
                        " * -0.5 * self._inv_std**3\n"
                        "            d_mu = -np.sum(grad_x_hat * self._inv_std, axis=axes, keepdims=True)\n"
                        "            grad_x = grad_x_hat * self._inv_std + d_var * 2.0 * x_mu + d_mu / m\n",
                    )
                ]
            },
        ),
        # added after reading output: the variance term's sum for its mean
        expect=("bn-backward-variance-term", "bn-sum-not-mean"),
        phrases=("/ m", "1 / m", "1/m", "variance term", "mean", "count"),
    ),
    fresh(
        "hl-bn1d-weight-grad-from-output",
        "layers.BatchNorm1d",
        "backward computes gamma's gradient as sum(grad_y * y), against the layer's output: y = gamma x_hat + "
        "beta, and dy/dgamma is x_hat (equal only while gamma = 1 and beta = 0)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n"
                        "        self._y = y\n",
                    )
                ],
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n",
                        "        self.weight.grad += (grad_y * self._y).sum(axis=axes)"
                        "  # dL/dgamma: grad_y times output\n",
                    )
                ],
            },
        ),
        expect=("bn-gamma-grad-from-output", "derivative-wrong-form"),
        phrases=("x_hat", "normalised input", "not the output", "beta", "gamma"),
    ),
    fresh(
        "hl-bn2d-batch-stats-flag-set-in-training-only",
        "layers.BatchNorm2d",
        "forward records that backward needs the batch terms only in the training branch (self._batch_stats = "
        "True) and never clears it: an eval forward after a training one leaves it True, so eval backward uses "
        "the training formula, where the running statistics are constants (and with no training forward before, "
        "backward fails)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
                        "            self._batch_stats = True  # backward needs the batch terms\n",
                    ),
                    ("        self._batch_stats = self.training\n", ""),
                ]
            },
        ),
        # added after reading output: the flag set on one path only
        expect=("bn-eval-backward-batch-terms", "train-eval", "saved-none"),
        phrases=("eval", "evaluation", "running statistics", "constants", "stale", "_batch_stats"),
    ),
    fresh(
        "hl-bn2d-parameter-gradients-assigned",
        "layers.BatchNorm2d",
        "backward assigns gamma's and beta's gradients (weight.grad = ..., bias.grad = ...) instead of adding to "
        "them: whatever an earlier backward accumulated is lost",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                        "        self.bias.grad += grad_y.sum(axis=axes)\n",
                        "        self.weight.grad = (grad_y * self._x_hat).sum(axis=axes)\n"
                        "        self.bias.grad = grad_y.sum(axis=axes)\n",
                    )
                ]
            },
        ),
        # added after reading output: the same `=` for `+=`
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("+=", "accumulate", "add", "overwrit", "assigned"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
_CE_LOSS = "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n"

LOSSES = [
    fresh(
        "hl-ce-np-take-without-axis",
        "losses.CrossEntropyLoss",
        "the true classes' log-probabilities are picked with np.take(log_probs, labels): without an axis np.take "
        "indexes the flattened array, so label y_n picks entry y_n of the first row, not row n's",
        (_CE_LOSS, "        loss = -np.mean(np.take(log_probs, self._labels))  # each row's true class\n"),
        expect=("take-without-axis",),
        phrases=("np.take", "axis", "flatten", "first row", "take_along_axis", "np.arange(n)"),
    ),
    fresh(
        "hl-ce-loop-loss-assigned-not-added",
        "losses.CrossEntropyLoss",
        "forward loops over the samples with loss = -log_probs[n, y_n] (assigned, not +=), then divides by N: "
        "the loss is the last sample's surprise over N, not the mean over the batch",
        (
            _CE_LOSS,
            "        loss = 0.0\n"
            "        for n in range(N):\n"
            "            loss = -log_probs[n, self._labels[n]]  # this sample's surprise\n"
            "        loss = loss / N\n",
        ),
        expect=("assigned-not-accumulated",),
        phrases=("+=", "last sample", "accumulate", "every sample", "sum over"),
    ),
    fresh(
        "hl-hinge-loop-break-for-continue",
        "losses.HingeLoss",
        "forward loops over the classes and leaves out the true class with `break` where `continue` belongs: "
        "the loop stops at the true class, so the classes after it are never compared",
        (
            "        rows = np.arange(x.shape[0])\n"
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        N, C = x.shape\n"
            "        self._active = np.zeros((N, C))\n"
            "        loss = 0.0\n"
            "        for n in range(N):\n"
            "            true_score = x[n, self._labels[n]]\n"
            "            for j in range(C):\n"
            "                if j == self._labels[n]:\n"
            "                    break  # the true class is not compared with itself\n"
            "                slack = x[n, j] - true_score + self.margin\n"
            "                if slack > 0:\n"
            "                    loss += slack\n"
            "                    self._active[n, j] = 1.0\n"
            "        loss = loss / N\n",
        ),
        expect=("break-for-continue",),
        phrases=("continue", "break", "classes after", "every other class", "skip"),
    ),
    fresh(
        "hl-mse-python-sum-of-squares",
        "losses.MSELoss",
        "forward takes Python's built-in sum of the squared differences over their count: sum() iterates over the "
        "first axis only, so for a 2-D input it returns a row of column sums, not one number (np.mean or .sum())",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = sum(self._diff**2) / self._diff.size  # sum of squares over the count\n",
        ),
        expect=("python-builtin-on-array", "loss-not-scalar"),
        phrases=("np.sum", "built-in", "builtin", "first axis", "one number", ".sum()"),
    ),
    fresh(
        "hl-mse-backward-count-of-two-axes",
        "losses.MSELoss",
        "backward divides by diff.shape[0] * diff.shape[1], the entries of an (N, D) array: MSELoss takes any "
        "shape, and M is the number of entries (diff.size); a 1-D input fails and a 3-D one is divided too little",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        M = self._diff.shape[0] * self._diff.shape[1]  # rows times columns\n"
            "        return 2.0 * self._diff / M\n",
        ),
        expect=("fixed-number-of-axes",),
        phrases=(".size", "every entry", "number of entries", "any shape", "m entries"),
    ),
    fresh(
        "hl-bce-grad-floor-written-10e-12",
        "losses.BCELoss",
        "backward floors p (1 - p) at 10e-12, typed for 1e-12: 10e-12 is 1e-11, so at p = 0 or 1 (and wherever p "
        "(1 - p) < 1e-11) the gradient is ten times smaller than PyTorch's",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / np.maximum(p * (1.0 - p), 10e-12) / p.size  # PyTorch's floor\n",
        ),
        expect=("scientific-notation", "floor-wrong-magnitude"),
        phrases=("1e-12", "10e-12", "1e-11", "ten times", "floor"),
    ),
    fresh(
        "hl-bce-logits-mean-over-batch-then-summed",
        "losses.BCEWithLogitsLoss",
        "forward averages over the batch axis and sums over the outputs ('per-sample loss summed over labels'): "
        "with K outputs per sample the loss is K times the mean over all entries, which BCEWithLogitsLoss returns",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.sum(np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z), axis=0))"
            "  # mean over the batch, summed over outputs\n",
        ),
        # added after reading output: a mean over the batch summed over the outputs is the sum over all entries
        # divided by N, which mean-over-batch-only names; the same mistake
        expect=("reduced-over-wrong-axes", "mean-over-batch-only"),
        phrases=("every entry", "all entries", "mean over", "k times", "outputs", "m entries"),
    ),
    fresh(
        "hl-bce-logits-backward-subtracts-into-saved-sigmoid",
        "losses.BCEWithLogitsLoss",
        "backward computes sigmoid(x) - t as grad = self._s; grad -= self._t: the name is no copy, so the saved "
        "sigmoid is overwritten and a second backward returns (s - 2t) / M",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        grad = self._s\n        grad -= self._t  # sigmoid(x) - t\n        return grad / grad.size\n",
        ),
        expect=("backward-mutates-saved-state", "aliasing"),
        phrases=("copy", "self._s", "saved", "second backward", *_IN_PLACE),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
_SGD_LOOP = (
    "        for p, state in zip(self.params, self.state, strict=True):\n"
    "            g = _grad(p)\n"
    "            if self.weight_decay != 0:\n"
    "                g = g + self.weight_decay * p.data\n"
    "            if self.momentum != 0:\n"
)

OPTIMIZERS = [
    fresh(
        "hl-sgd-decayed-gradient-in-unused-name",
        "optimizers.SGD",
        "the L2 term is added into a new name, d_p = g + weight_decay * p (PyTorch's old variable name), but the "
        "momentum and the step go on with g: weight decay is computed and never used",
        (
            _SGD_LOOP,
            _SGD_LOOP.replace(
                "                g = g + self.weight_decay * p.data\n",
                "                d_p = g + self.weight_decay * p.data  # the L2 term, as PyTorch's d_p\n",
            ),
        ),
        expect=("weight-decay-ignored", "result-discarded"),
        phrases=("d_p", "weight_decay", "never used", "weight decay", "g ="),
    ),
    fresh(
        "hl-sgd-buffers-dict-created-in-step",
        "optimizers.SGD",
        "step keeps the momentum buffers in a dict created at the top of step: it is new at every call, so each "
        "step starts the velocity again from the gradient and momentum never accumulates (the state must live "
        "between steps, in self.state)",
        span(
            "optimizers",
            (
                _SGD_LOOP + '                buf = state["momentum_buffer"]\n',
                "        buffers = {}  # one momentum buffer per parameter\n"
                "        for i, p in enumerate(self.params):\n"
                "            g = _grad(p)\n"
                "            if self.weight_decay != 0:\n"
                "                g = g + self.weight_decay * p.data\n"
                "            if self.momentum != 0:\n"
                "                buf = buffers.get(i)\n",
            ),
            ('                state["momentum_buffer"] = buf\n', "                buffers[i] = buf\n"),
        ),
        expect=("state-reset",),
        phrases=("every step", "each call", "self.state", "between steps", "momentum buffer", "reset"),
    ),
    fresh(
        "hl-adagrad-update-into-local-name",
        "optimizers.Adagrad",
        "the update is written w = p.data; w = w - lr * g / (sqrt(s) + eps): the second line binds a new array "
        "to the local name w, so p.data is never changed (p.data -= ..., or p.data = ...)",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            "            w = p.data\n"
            '            w = w - clr * (g / (np.sqrt(state["sum"]) + self.eps))  # the updated weights\n',
        ),
        expect=("result-discarded", "view-rebound"),
        phrases=("p.data", "local", "rebind", "never written", "in place", "-="),
    ),
    fresh(
        "hl-adagrad-decay-added-into-grad-in-place",
        "optimizers.Adagrad",
        "the L2 term is added in place, g += weight_decay * p ('no temporary'): g is p.grad itself (np.asarray "
        "makes no copy), so step modifies the gradient, which it must leave as it was",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["sum"] = state["sum"] + g * g\n',
            "            if self.weight_decay != 0:\n"
            "                g += self.weight_decay * p.data  # in place: no temporary array\n"
            '            state["sum"] = state["sum"] + g * g\n',
        ),
        expect=("modifies-grad",),
        phrases=("p.grad", "copy", "asarray", *_IN_PLACE),
    ),
    fresh(
        "hl-rmsprop-weight-decay-decoupled",
        "optimizers.RMSprop",
        "weight decay shrinks the weights directly, p *= 1 - lr * weight_decay (AdamW's rule): RMSprop's "
        "weight_decay is the L2 term added to the gradient, g + weight_decay * p, which then enters the square "
        "average and is divided by its root",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["square_avg"] = a * ',
            "            if self.weight_decay != 0:\n"
            "                p.data *= 1.0 - self.lr * self.weight_decay  # decay the weights themselves\n"
            '            state["square_avg"] = a * ',
        ),
        # added after reading output: decoupled
        expect=("decoupled-weight-decay", "adam-decoupled-decay", "weight-decay-after-scaling"),
        phrases=("l2", "gradient", "g + weight_decay", "adamw", "decoupled", "added to the gradient"),
    ),
    fresh(
        "hl-adadelta-acc-delta-into-local",
        "optimizers.Adadelta",
        "the running average of squared steps is updated through a local name, u = state['acc_delta']; u = rho u "
        "+ ...: the new average is never stored, so acc_delta stays zero and every step uses sqrt(eps)",
        (
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
            '            u = state["acc_delta"]\n'
            "            u = rho * u + (1.0 - rho) * delta * delta  # running average of the squared steps\n",
        ),
        # added after reading output: acc_delta never stored back
        expect=("state-not-saved", "result-discarded", "state-reset"),
        phrases=("acc_delta", "stored", "never", "local", "written back", "state"),
    ),
    fresh(
        "hl-adam-second-moment-weighted-by-one-minus-beta1",
        "optimizers.Adam",
        "the second moment adds (1 - beta1) g^2, the first moment's weight copied: v <- beta2 v + (1 - beta2) g^2, "
        "and with 1 - beta1 = 0.1 instead of 0.001 the average (and its bias correction) is far too large",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta1) * g * g\n',
        ),
        expect=("copy-paste-wrong-state", "betas-swapped"),
        phrases=("1 - beta2", "beta2", "copy", "second moment", "0.001"),
    ),
    fresh(
        "hl-adam-l2-term-times-lr",
        "optimizers.Adam",
        "Adam's L2 term is g + lr * weight_decay * p, the learning rate of AdamW's decoupled decay carried over: "
        "the coupled penalty adds weight_decay * p to the gradient, without lr",
        (
            "        return g + self.weight_decay * p.data\n",
            "        return g + self.lr * self.weight_decay * p.data  # the decay, scaled by the step size\n",
        ),
        expect=("weight-decay-times-lr",),
        phrases=("lr", "learning rate", "weight_decay * p", "l2", "adamw"),
    ),
    fresh(
        "hl-adamw-decay-with-default-lr-written-in",
        "optimizers.AdamW",
        "the decoupled decay is p *= 1 - 1e-3 * weight_decay, PyTorch's default lr written in: the decay must use "
        "the optimizer's own lr",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data *= 1.0 - 1e-3 * self.weight_decay  # lr * weight_decay\n",
        ),
        expect=("hyperparameter-ignored", "lr-ignored"),
        phrases=("self.lr", "learning rate", "hard-coded", "1e-3", "0.001"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hl-fans-total-divided-by-wrong-axes",
        "init.fan_in_and_fan_out",
        "the fans are computed from the total number of weights, fan_in = total // shape[1] and fan_out = total "
        "// shape[0]: dividing out the input axis leaves out * k, the fan-out; the two are swapped",
        (
            "    receptive_field = math.prod(shape[2:])\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
            "    total = math.prod(shape)\n"
            "    fan_in = total // shape[1]  # every weight but the inputs' axis\n"
            "    fan_out = total // shape[0]\n",
        ),
        expect=("fans-swapped",),
        phrases=("swapped", "shape[1]", "inputs", "fan_out", "in * prod"),
    ),
    fresh(
        "hl-xavier-uniform-not-centred",
        "init.xavier_uniform",
        "the weights are bound * rng.random(shape), uniform draws scaled to the bound: rng.random is U[0, 1), so "
        "they are U(0, b), all positive with mean b/2, where U(-b, b) is centred on 0",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = bound * rng.random(shape)  # uniform draws scaled to the bound\n",
        ),
        expect=("not-centred", "uniform-bound"),
        phrases=("-b", "centred", "centered", "mean 0", "negative", "2 *"),
    ),
    fresh(
        "hl-xavier-normal-denominator-precedence",
        "init.xavier_normal",
        "the standard deviation is typed gain * sqrt(2.0 / fan_in + fan_out): without parentheses it is 2 / "
        "fan_in plus fan_out, where 2 / (fan_in + fan_out) belongs",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / fan_in + fan_out)\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("operator-precedence", "precedence"),
        phrases=(*_PRECEDENCE, "fan_in + fan_out", "2 / (fan_in + fan_out)"),
    ),
    fresh(
        "hl-xavier-normal-fresh-generator",
        "init.xavier_normal",
        "the weights are drawn from np.random.default_rng(), a new unseeded generator: the rng argument (or the "
        "shared default generator) is ignored, so the same rng no longer gives the same weights",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = np.random.default_rng().normal(0.0, std, size=shape)\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng", "generator", "reproducib", "seed", "default_rng"),
    ),
    fresh(
        "hl-kaiming-uniform-slope-not-passed",
        "init.kaiming_uniform",
        "the gain is calculate_gain(nonlinearity) without a: for leaky_relu calculate_gain falls back on the "
        "slope 0.01, so the argument a (sqrt(5) in PyTorch's default layers) is ignored",
        (
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    gain = calculate_gain(nonlinearity)\n"
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("a-ignored",),
        phrases=("negative slope", "calculate_gain(nonlinearity, a)", "slope", "0.01", "argument a"),
    ),
    fresh(
        "hl-kaiming-uniform-gain-in-bound-and-std",
        "init.kaiming_uniform",
        "the bound is gain * sqrt(3) * std with std = gain / sqrt(fan) already holding the gain: the gain is "
        "applied twice, b = sqrt(3) gain^2 / sqrt(fan)",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = gain / math.sqrt(fan)\n    bound = gain * math.sqrt(3.0) * std  # the gain scales the bound\n",
        ),
        expect=("gain-twice",),
        phrases=("twice", "gain^2", "already", "gain squared", "sqrt(3) * gain / sqrt(fan)"),
    ),
    fresh(
        "hl-kaiming-normal-own-gain-table",
        "init.kaiming_normal",
        "the gain comes from a dict of its own, {relu: sqrt 2, tanh: 5/3, selu: 3/4}.get(nonlinearity, 1.0): "
        "leaky_relu, the default nonlinearity, is missing and gets 1, where its gain is sqrt(2 / (1 + a^2))",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
            '    gains = {"relu": math.sqrt(2.0), "tanh": 5.0 / 3.0, "selu": 0.75}\n'
            "    gain = gains.get(nonlinearity, 1.0)  # linear, sigmoid, conv: 1\n"
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal",
        ),
        expect=("nonlinearity-ignored", "gain-missing"),
        phrases=("leaky_relu", "calculate_gain", "sqrt(2 / (1 + a^2))", "default nonlinearity", "gain"),
    ),
]

# ----------------------------------------------------------------------------------------- training
_FIT_BATCH_LOOP = (
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
        "hl-fit-batch-loop-rebinds-training-set",
        "training.fit",
        "the batch loop is written `for X, y in minibatches(X, y, ...)`: the loop variables rebind the training "
        "set, so after the first epoch X and y are the last batch, later epochs train on it alone, and the epoch "
        "mean divides by its length",
        (
            _FIT_BATCH_LOOP,
            _FIT_BATCH_LOOP.replace("X_batch, y_batch in", "X, y in")
            .replace("forward(X_batch)", "forward(X)")
            .replace("y_batch)", "y)")
            .replace("len(X_batch)", "len(X)"),
        ),
        expect=("name-shadowed",),
        phrases=("shadow", "rebind", "x_batch", "last batch", "training set", "loop variable"),
    ),
    fresh(
        "hl-fit-zero-grad-not-called",
        "training.fit",
        "the loop writes optimizer.zero_grad without parentheses: the method is named, never called, so the "
        "gradients of every batch accumulate into the next steps",
        (
            "            optimizer.zero_grad()\n            output = model.forward(X_batch)\n",
            "            optimizer.zero_grad\n            output = model.forward(X_batch)\n",
        ),
        expect=("method-not-called", "zero-grad-missing"),
        phrases=("zero_grad()", "parentheses", "never called", "accumulate", "not called"),
    ),
    fresh(
        "hl-minibatches-batch-count-rounded",
        "training.minibatches",
        "the number of batches is round(N / batch_size): when the remainder is under half a batch (or exactly "
        "half, rounded to even) the last, smaller batch is never made and its samples are dropped; the count is "
        "the ceiling",
        (
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for b in range(round(len(X) / size)):  # the number of batches\n"
            "        batches.append((X[b * size : (b + 1) * size], y[b * size : (b + 1) * size]))\n",
        ),
        expect=("drops-last-batch", "remainder-batch"),
        phrases=("remainder", "ceil", "round", "last batch", "every sample", "dropped"),
    ),
    fresh(
        "hl-minibatches-python-random-shuffle",
        "training.minibatches",
        "the order is shuffled with Python's random.shuffle: it draws from the random module's global state, not "
        "from rng, so the same generator no longer gives the same batches",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        import random\n\n"
            "        order = list(range(len(X)))\n"
            "        random.shuffle(order)  # one permutation, applied to both: pairs stay pairs\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng", "random.shuffle", "generator", "reproducib", "seed", "global"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hl-sequential-parameters-by-attribute-names",
        "models.Sequential",
        "parameters() collects [layer.weight, layer.bias] from every layer that has a weight attribute, instead "
        "of asking each layer for layer.parameters(): a Linear without bias contributes None, a PReLU (no bias) "
        "fails, and a nested Sequential's parameters are missed",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        params = []\n"
            "        for layer in self.layers:\n"
            '            if hasattr(layer, "weight"):  # the layers that learn\n'
            "                params += [layer.weight, layer.bias]\n"
            "        return params\n",
        ),
        expect=("parameters-by-attribute-name",),
        phrases=("layer.parameters()", "parameters()", "bias=false", "none", "nested", "prelu"),
    ),
    fresh(
        "hl-sequential-backward-late-binding-lambdas",
        "models.Sequential",
        "backward builds [lambda g: layer.backward(g) for layer in self.layers] and calls them in reverse: each "
        "lambda looks layer up when it runs, after the comprehension ended, so every step calls the last layer's "
        "backward",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        steps = [lambda g: layer.backward(g) for layer in self.layers]  # one backward step per layer\n"
            "        for step in reversed(steps):\n"
            "            grad_y = step(grad_y)\n",
        ),
        expect=("late-binding-closure",),
        phrases=("lambda", "closure", "late binding", "last layer", "layer=layer"),
    ),
    fresh(
        "hl-perceptron-pocket-weights",
        "models.Perceptron",
        "when no epoch is free of mistakes, fit puts back the weights of the epoch with the fewest mistakes (the "
        "pocket algorithm): fit keeps the weights the rule ended with",
        (
            "        for _ in range(max_epochs):\n"
            "            mistakes = 0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n",
            "        best = (len(X) + 1, self.weight.copy(), self.bias)  # the pocket: fewest mistakes so far\n"
            "        for _ in range(max_epochs):\n"
            "            mistakes = 0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n"
            "            if mistakes < best[0]:\n"
            "                best = (mistakes, self.weight.copy(), self.bias)\n"
            "        _, self.weight, self.bias = best  # keep the best weights seen\n",
        ),
        expect=("pocket-weights",),
        phrases=("pocket", "last weights", "final weights", "ended with", "restor"),
    ),
    fresh(
        "hl-perceptron-update-along-unit-sample",
        "models.Perceptron",
        "update steps along the sample scaled to unit length, lr * error * x / ||x|| ('normalised steps'): the "
        "perceptron rule adds lr * error * x, and a zero sample now gives nan",
        (
            "        self.weight = self.weight + self.lr * error * x\n",
            "        self.weight = self.weight + self.lr * error * x / np.linalg.norm(x)  # unit-length step\n",
        ),
        expect=("input-normalised", "preprocessing-added"),
        phrases=("norm", "normalis", "unit length", "lr * error * x", "error * x"),
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
        "hl-numgrad-backup-is-alias",
        "gradcheck.numerical_gradient",
        "x is 'backed up' with saved = x before the loop and each entry restored from saved[index]: saved is the "
        "same array, so the restore writes back the probe value x - h; every entry is left shifted and later "
        "probes are taken at the wrong point (saved = x.copy(), or keep the scalar)",
        (
            _NUMGRAD_LOOP,
            "    saved = x  # the unperturbed point, to restore after each probe\n"
            "    for index in np.ndindex(x.shape):\n"
            "        x[index] += h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] -= 2 * h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = saved[index]  # restore\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("aliasing", "not-restored"),
        phrases=("copy", "alias", "same array", "restore", "x.copy()"),
    ),
    fresh(
        "hl-numgrad-probes-new-array-with-basis-vector",
        "gradcheck.numerical_gradient",
        "each probe calls f(x + h * e) and f(x - h * e) with the unit vector e: f receives new arrays, while "
        "numerical_gradient must perturb x itself in place (f may read x through a closure, as a network's "
        "parameter does), so such an f sees no change and the gradient is 0",
        (
            _NUMGRAD_LOOP,
            "    for index in np.ndindex(x.shape):\n"
            "        e = np.zeros_like(x)\n"
            "        e[index] = 1.0  # the unit vector e_i\n"
            "        grad[index] = (float(f(x + h * e)) - float(f(x - h * e))) / (2 * h)\n",
        ),
        expect=("perturbs-copy",),
        phrases=("in place", "x itself", "copy", "new array", "closure"),
    ),
    fresh(
        "hl-numgrad-written-into-flatten-copy",
        "gradcheck.numerical_gradient",
        "the loop walks x.flat[i] over range(x.size) and stores each derivative with grad.flatten()[i] = ...: "
        "flatten returns a copy, so every value is written into a temporary array and grad stays zeros "
        "(grad.flat[i], or grad.reshape(-1) of a contiguous grad, writes through)",
        (
            _NUMGRAD_LOOP,
            "    for i in range(x.size):\n"
            "        original = x.flat[i]\n"
            "        x.flat[i] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x.flat[i] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x.flat[i] = original  # restore exactly: no accumulated round-off\n"
            "        grad.flatten()[i] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("result-discarded", "copy-not-view"),
        phrases=("flatten", "copy", "view", "zeros", "grad.flat", "ravel"),
    ),
    fresh(
        "hl-relerr-floor-written-10e-8",
        "gradcheck.relative_error",
        "the floor is typed 10e-8 for 1e-8: 10e-8 is 1e-7, so every entry with |a| + |b| below 1e-7 is divided by "
        "a floor ten times too large",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(10e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("scientific-notation", "floor-wrong-magnitude"),
        phrases=("1e-8", "10e-8", "1e-7", "ten times", "floor"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
_ES_BRANCHES = (
    "        if val_loss < best_loss - min_delta:\n"
    "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n"
    "            if restore_best:\n"
    "                best_state = copy_state(model)\n"
    "        else:\n"
    "            waited += 1\n"
    "            if waited >= patience:\n"
    "                history.stopped_epoch = epoch\n"
    "                break\n"
)

EARLY_STOPPING = [
    fresh(
        "hl-early-stopping-stopped-epoch-set-when-all-epochs-ran",
        "early_stopping.fit_early_stopping",
        "the stop test is `waited >= patience or epoch == max_epochs`, recording stopped_epoch for the last "
        "epoch too: when every epoch ran, stopped_epoch must stay None",
        (
            "        else:\n"
            "            waited += 1\n"
            "            if waited >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                break\n",
            "        else:\n"
            "            waited += 1\n"
            "        if waited >= patience or epoch == max_epochs:  # the epoch training stopped after\n"
            "            history.stopped_epoch = epoch\n"
            "            break\n",
        ),
        expect=("stopped-epoch",),
        phrases=("none", "stopped_epoch", "max_epochs", "every epoch ran", "patience ran out"),
    ),
    fresh(
        "hl-early-stopping-losses-compared-rounded",
        "early_stopping.fit_early_stopping",
        "improvement is judged on losses rounded to 4 decimals ('ignore noise below 1e-4'): a validation loss "
        "below best - min_delta by less than the rounding does not count; min_delta is the tolerance",
        (
            "        if val_loss < best_loss - min_delta:\n",
            "        if round(val_loss, 4) < round(best_loss - min_delta, 4):  # ignore noise below 1e-4\n",
        ),
        expect=("rounded-values",),
        phrases=("round", "min_delta", "1e-4", "decimal", "improve"),
    ),
    fresh(
        "hl-early-stopping-patience-from-best-epoch-off-by-one",
        "early_stopping.fit_early_stopping",
        "training stops when epoch - best_epoch > patience, the epochs since the best: that is patience + 1 "
        "epochs without improvement; patience epochs in a row are enough (>=)",
        (
            _ES_BRANCHES,
            "        if val_loss < best_loss - min_delta:\n"
            "            best_loss, history.best_epoch = val_loss, epoch\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "        elif epoch - history.best_epoch > patience:  # epochs since the best\n"
            "            history.stopped_epoch = epoch\n"
            "            break\n",
        ),
        expect=("patience-off-by-one",),
        phrases=("patience", "off by one", ">=", "one epoch late", "in a row"),
    ),
    fresh(
        "hl-early-stopping-improvement-wins-back-one-epoch",
        "early_stopping.fit_early_stopping",
        "an improving epoch lowers the wait count by one ('an improvement wins back an epoch of patience') "
        "instead of resetting it to 0: patience counts the epochs in a row since the last improvement",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            best_loss, history.best_epoch = val_loss, epoch\n"
            "            waited = max(0, waited - 1)  # an improvement wins back one epoch of patience\n",
        ),
        expect=("patience-not-reset",),
        phrases=("reset", "in a row", "waited = 0", "since the last improvement", "to 0"),
    ),
    fresh(
        "hl-early-stopping-copy-state-not-called",
        "early_stopping.fit_early_stopping",
        "the improving epoch keeps best_state = copy_state, the function itself, and the end loads "
        "best_state(model): the copy is taken only after training, so the last epoch's weights are 'restored', "
        "not the best epoch's",
        span(
            "early_stopping",
            (
                "                best_state = copy_state(model)\n",
                "                best_state = copy_state  # remember how to take the best state\n",
            ),
            ("        load_state(model, best_state)\n", "        load_state(model, best_state(model))\n"),
        ),
        expect=("method-not-called", "restores-last"),
        phrases=("copy_state(model)", "called", "last epoch", "best epoch", "restores the last"),
    ),
]

FRESH_L: list[Mutant] = [
    *ACTIVATIONS,
    *LAYERS,
    *BATCHNORM,
    *LOSSES,
    *OPTIMIZERS,
    *INIT,
    *TRAINING,
    *MODELS,
    *GRADCHECK,
    *EARLY_STOPPING,
]
