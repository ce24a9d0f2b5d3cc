"""Held-apart set N: fresh student bugs, written blind after sets A to M had been seen.

Sets A (``HELDOUT``) to M (``FRESH_M``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set N was written blind: its author read the reference, docs/api.md, the
course text (exercises/), the catalogue's mutants (graders/mutants, for the tag vocabulary and to avoid
copies), the alternatives (tests/alternatives, to keep out of what is graded correct), sets A to M (for the
format, the tag vocabulary and to avoid copies), and of tests/test_feedback_generalisation.py only its
FAMILIES and SETS dicts; never the diagnosis (graders/judging, graders/reporting, graders/running,
graders/selfcheck, graders/runner.py), tests/evidence.py, the feedback audit, the mistake, crash, diagnosis
and feedback tests, benchmarks/, the grader's feedback or its output, and graded none of these bugs while
writing them (besides the structural check of /work/tools/check_set.py, each was applied and run by a
script of the author's own on a tiny input beside the reference, to see that the edit changes a result or
raises; none went through the grader).

About two thirds are classes the catalogue and sets A to M hardly touch: numpy and Python semantics
(``np.inner`` contracting the last axes of both operands; ``np.tensordot`` over the wrong axis pair;
``np.choose`` given the rows as its choices; ``np.linalg.norm(A, 2)`` and ``norm(A, inf)``, which are matrix
norms (largest singular value, largest row sum) for 2-D arrays; ``zip(range(kH), range(kW))`` for every
pair of offsets; ``np.unravel_index`` with the window's sides exchanged; ``shape[::2]`` for "every axis but
in"; ``math.isqrt`` for a square root; ``np.argsort(order)`` (the inverse permutation) for the targets;
``X[order, :]``, which assumes 2-D inputs; ``range(0, X.size, ...)``; ``len(x.shape)`` for the batch size;
``np.zeros(len(x))`` for an N-d gradient; a chained assignment ``a = b = []``; ``np.square(g, out=g)`` where
``g`` is ``p.grad`` itself because ``np.asarray`` does not copy; ``Python max`` on arrays; ``g * g.T``; the
truth value of a mask), state kept between calls (a gradient buffer reused by every backward, an input
shape saved once, a forward memoised on the identity of its input, a result buffer kept on the function, a
decay factor cached on the class, an optimizer-wide "started" flag for per-parameter state, Dropout's p
flipped in place by every forward, a forward run twice per batch, an optimizer rebuilt every epoch, the
model put in eval mode for training, a patience budget decremented and never restored), off-by-one in
indices (``self.layers[i - 1]``, ``enumerate(..., 1)`` into a 0-based list, a weight-gradient loop from 1),
and formulas remembered wrongly (softplus' as 1 - exp(-y) without beta, GELU's 0.044715 typed short, the
running statistics stepped away from the batch, a centred RMSprop that averages (g - m)^2, AdamW's decay
as 1 / (1 + lr wd), the Glorot average fan floor-divided, Box-Muller without its factor 2, the perceptron's
+-1 rule that also updates on the boundary, the training loss of each epoch re-evaluated after it); about a
third are known classes in a new code shape or on a new component (Identity ignoring the upstream gradient,
tanh from exponentials, a strict kink in an indicator sum, np.maximum for PReLU, the SiLU product rule
through the Sigmoid module, an in-place shift in Softmax, float32 in Sigmoid, a transposed weight cached at
construction, columns saved in training only, a square kernel assumed, col2im without moving the channel
axis, a BatchNorm eps added into the running variance or left out in evaluation, an affine map broadcast
along the height, swapped softplus terms in BCE with logits, a margin read from a default argument, a
precedence slip in the hinge slack, Adagrad's eps outside the quotient, ``^`` for a power, Adadelta's root
over a mis-parenthesised ratio, the fan loop that keeps the last fan, a gain with He's 2 as well, a zero
slope taken as "not given"). Each is a different edit from the catalogue's and sets A to M's. Ids start
with ``hn-``.
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue
tag where one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 13, on 460c441 with sets A to M worked on, each
bug graded in the grader's sandbox): 45/71 named (63 %), 9 flagged misleading, 65/71 caught. As for sets L
and M, about a third were asked for as known classes in a new code shape.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hn-")  # set N

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hn-identity-backward-returns-ones",
        "activations.Identity",
        "backward returns np.ones_like(grad_y), 'the derivative of x is 1': that is the local derivative only; "
        "the chain rule multiplies it by the upstream gradient, so backward must return grad_y itself",
        (
            '        grad_y = as_float_array(grad_y, "grad_y")\n        ### BEGIN SOLUTION\n        return grad_y\n',
            '        grad_y = as_float_array(grad_y, "grad_y")\n'
            "        ### BEGIN SOLUTION\n"
            "        return np.ones_like(grad_y)  # d/dx x = 1\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("grad_y", "upstream", "chain rule", "multipl", "local derivative"),
    ),
    fresh(
        "hn-sigmoid-exponential-in-float32",
        "activations.Sigmoid",
        "the stable form computes z = np.exp(-|x|, dtype=np.float32) 'to save memory': the output (and the saved "
        "y) come out float32, rounded to about 7 digits, where the API asks for float64",
        (
            "        z = np.exp(-np.abs(x))\n",
            "        z = np.exp(-np.abs(x), dtype=np.float32)  # single precision is plenty for a probability\n",
        ),
        # added after reading output (tag-vocabulary audit): low-precision
        expect=("float32", "low-precision"),
        phrases=("float32", "float64", "precision", "dtype"),
    ),
    fresh(
        "hn-tanh-forward-from-exponentials",
        "activations.Tanh",
        "forward writes tanh from its definition, (e^x - e^-x) / (e^x + e^-x): for |x| above about 710 both "
        "exponentials overflow to inf and inf / inf is nan, where np.tanh gives +-1",
        (
            "        self._y = np.tanh(x)\n",
            "        e_pos, e_neg = np.exp(x), np.exp(-x)\n"
            "        self._y = (e_pos - e_neg) / (e_pos + e_neg)  # sinh / cosh\n",
        ),
        expect=("overflow",),
        phrases=("overflow", "inf", "nan", "np.tanh", "large"),
    ),
    fresh(
        "hn-leakyrelu-backward-indicator-sum-strict",
        "activations.LeakyReLU",
        "backward builds the derivative as (x > 0) + slope * (x < 0), two strict indicators: at x = 0 neither "
        "holds and the derivative is 0, where PyTorch (and the API) take the slope at the kink",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        slope = (self._x > 0) + self.negative_slope * (self._x < 0)\n        return grad_y * slope\n",
        ),
        expect=("kink-derivative",),
        phrases=("x = 0", "kink", "negative_slope", "<= 0", "at zero"),
    ),
    fresh(
        "hn-prelu-forward-maximum-of-branches",
        "activations.PReLU",
        "forward is np.maximum(x, a * x), the leaky-ReLU shortcut: it equals the PReLU only while a <= 1; a "
        "learned slope can exceed 1, and then negative inputs come out as x instead of a * x (backward still "
        "uses the a * x branch)",
        (
            "        return np.where(x > 0, x, self._a * x)\n",
            "        return np.maximum(x, self._a * x)  # the larger of the two branches\n",
        ),
        expect=("leaky-relu-maximum",),
        phrases=("a > 1", "maximum", "slope", "np.where", "greater than 1"),
    ),
    fresh(
        "hn-gelu-tanh-kappa-typed-short",
        "activations.GELU",
        "the tanh form's constant is typed 0.04715 in forward instead of 0.044715 (backward keeps GELU_KAPPA): "
        "the approximate outputs are wrong and no longer match the derivative backward computes",
        (
            "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))\n",
            "            self._t = np.tanh(SQRT_2_OVER_PI * (xc + 0.04715 * xc**3))\n",
        ),
        expect=("formula-constant", "gelu-tanh-cubic-term"),
        phrases=("0.044715", "constant", "tanh", "kappa", "cubic"),
    ),
    fresh(
        "hn-silu-backward-through-sigmoid-drops-upstream",
        "activations.SiLU",
        "backward reuses the Sigmoid module for the product rule, s + sigmoid.backward(grad_y * x): the first "
        "term s is the local derivative without grad_y, so the upstream gradient scales only the second term",
        (
            "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        s = self._s\n"
            "        # product rule: d(x s)/dx = s + x s', and the Sigmoid module knows s'\n"
            "        return s + self._sigmoid.backward(grad_y * self._x)\n",
        ),
        # operator-precedence added after reading output: its sentence names this case, "one term came with
        # grad_y already in it (a helper module's backward(grad_y)) and the other was added bare"
        expect=("ignores-upstream-gradient", "derivative-wrong-form", "operator-precedence"),
        phrases=("grad_y", "upstream", "grad_y * s", "product rule", "first term"),
    ),
    fresh(
        "hn-softplus-backward-from-output-without-beta",
        "activations.Softplus",
        "forward keeps its output y and backward takes softplus' = 1 - exp(-y), true for beta = 1 only: with "
        "y = log(1 + e^(beta x)) / beta the derivative sigmoid(beta x) is 1 - exp(-beta y)",
        span(
            "activations",
            (
                "        return np.where(self._linear, x, soft)\n",
                "        self._y = np.where(self._linear, x, soft)\n        return self._y\n",
            ),
            (
                "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
                "        # softplus'(x) = sigmoid(x) = 1 - exp(-softplus(x))\n"
                "        return np.where(self._linear, grad_y, grad_y * (1.0 - np.exp(-self._y)))\n",
            ),
        ),
        expect=("softplus-beta-missing", "derivative-wrong-form"),
        phrases=("beta", "sigmoid(beta x)", "beta * y", "1 - exp(-beta y)", "beta x"),
    ),
    fresh(
        "hn-softmax-shift-subtracted-in-place",
        "activations.Softmax",
        "forward shifts the logits with x -= max(x) before exponentiating: as_float_array returns the caller's "
        "float64 array itself, so the caller's input is overwritten with the shifted logits",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n",
            "        x -= np.max(x, axis=self.dim, keepdims=True)  # shift: exp cannot overflow\n"
            "        e = np.exp(x)\n",
        ),
        expect=("modifies-input",),
        phrases=("in place", "caller", "input", "x - ", "new array", "overwrit"),
    ),
    fresh(
        "hn-maxout-tensordot-contracts-units-axis",
        "activations.Maxout",
        "the scores are np.tensordot(x, weight, axes=(1, 1)): that contracts the input features with axis 1 of "
        "the (K, M, D) weight, the units, not axis 2, the features; it fails unless M == D and then sums the "
        "wrong products (axes=(1, 2) pairs D with D)",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
            "        z = np.tensordot(x, self.weight.data, axes=(1, 1)) + self.bias.data  # (N, K, M)\n",
        ),
        expect=("axes-permuted", "contracted-wrong-axis"),
        phrases=("axes", "tensordot", "in_features", "axis 2", "(1, 2)", "features"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
_MAXPOOL_ARGMAX = "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n"
_BN_INV_STD = "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"

LAYERS = [
    fresh(
        "hn-linear-transposed-weight-cached-at-construction",
        "layers.Linear",
        "the constructor keeps self._weight_t = weight.data.T and forward multiplies by it: the view follows "
        "in-place updates, but once weight.data is assigned a new array (an optimizer may, load_state does) "
        "forward still uses the initial weights; read self.weight.data at every forward",
        span(
            "layers",
            (
                "        self.weight = _uniform(self.in_features, (self.out_features, self.in_features), rng)\n",
                "        self.weight = _uniform(self.in_features, (self.out_features, self.in_features), rng)\n"
                "        self._weight_t = self.weight.data.T  # the transpose forward needs, made once\n",
            ),
            ("        y = x @ self.weight.data.T\n", "        y = x @ self._weight_t\n"),
        ),
        expect=("parameter-read-once", "stale-weights"),
        phrases=("weight.data", "every forward", "new array", "stale", "cached", "initial weights"),
    ),
    fresh(
        "hn-linear-grad-x-with-np-inner",
        "layers.Linear",
        "forward uses np.inner(x, W) (rows of x dotted with rows of W, right) and backward np.inner(grad_y, W) "
        "too: np.inner contracts the last axis of both, M of grad_y with D of W, so it fails unless M == D "
        "and then computes grad_y @ W.T; the input gradient is grad_y @ W",
        span(
            "layers",
            (
                "        y = x @ self.weight.data.T\n",
                "        y = np.inner(x, self.weight.data)  # x . w_j for every row j\n",
            ),
            ("        grad_x = grad_y @ self.weight.data\n", "        grad_x = np.inner(grad_y, self.weight.data)\n"),
        ),
        expect=("linear-grad-x-uses-w-transposed", "inner-contracts-last-axes"),
        phrases=("grad_y @ weight", "np.inner", "last axis", "transpose", "(n, d)", "contract"),
    ),
    fresh(
        "hn-linear-weight-grad-loop-from-one",
        "layers.Linear",
        "the weight gradient is summed sample by sample with for n in range(1, len(x)) (counting from 1): the "
        "first sample's outer product grad_y[0] x[0] is never added",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        for n in range(1, len(self._x)):  # every sample's outer product\n"
            "            self.weight.grad += np.outer(grad_y[n], self._x[n])\n",
        ),
        expect=("loop-off-by-one", "entries-skipped"),
        phrases=("first sample", "range(len", "range(1", "off by one", "sample 0", "every sample"),
    ),
    fresh(
        "hn-conv-backward-square-kernel-assumed",
        "layers.Conv2d",
        "backward reshapes the column gradient as (C, kH, kH, N, H', W'), the kernel assumed square: for kH != "
        "kW the reshape fails (or, with sizes that happen to fit, scrambles the offsets); the kernel is kH x kW",
        (
            "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)\n",
            "        dcols = dcols.reshape(self.in_channels, kH, kH, N, Ho, Wo)  # square kernel\n",
        ),
        expect=("square-only-index", "kernel-height-width-swapped"),
        phrases=("kw", "square", "kernel_size", "width", "(kh, kw)", "non-square"),
    ),
    fresh(
        "hn-conv-columns-saved-in-training-only",
        "layers.Conv2d",
        "forward keeps the im2col columns only in training mode ('evaluation never goes backwards'): backward "
        "after an evaluation forward then uses the columns of the last training batch (or fails), while "
        "backward must differentiate the last forward whatever the mode",
        (
            "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n"
            "        self._xp_shape = xp.shape\n"
            "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n",
            "        cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n"
            "        if self.training:  # only training needs the columns for backward\n"
            "            self._cols = cols\n"
            "        self._xp_shape = xp.shape\n"
            "        y = self.weight.data.reshape(self.out_channels, -1) @ cols\n",
        ),
        expect=("saved-none", "train-eval"),
        phrases=("eval", "training", "last forward", "mode", "saved", "columns"),
    ),
    fresh(
        "hn-conv-col2im-slices-without-moving-channels",
        "layers.Conv2d",
        "col2im adds dcols[:, i, j] into the strided slice grad_xp[:, :, i::sH, j::sW] of each kernel offset: "
        "dcols[:, i, j] is laid out (C, N, H', W') while the slice is (N, C, H', W'), so the channel and batch "
        "axes are exchanged (an error unless N == C, and wrong then); transpose(1, 0, 2, 3) first",
        (
            "        windows = self._windows(grad_xp, Ho, Wo)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                window = windows[:, i, j]\n"
            "                window += dcols[:, i, j]\n",
            "        sH, sW = self.stride\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):  # kernel offset (i, j): that entry of every window\n"
            "                grad_xp[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += dcols[:, i, j]\n",
        ),
        expect=("axes-permuted", "transposed"),
        phrases=("(c, n", "(n, c", "transpose", "channel", "batch axis", "axes"),
    ),
    fresh(
        "hn-maxpool-backward-gradient-buffer-kept",
        "layers.MaxPool2d",
        "backward allocates its gradient array once (when missing or of another shape) and adds into it at every "
        "call: the buffer is never zeroed, so a second backward returns the sum of both calls' gradients (and "
        "the array returned earlier changes too)",
        (
            "        grad_x = np.zeros(self._x_shape)\n        for i in range(kH):\n            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n",
            '        if getattr(self, "_grad_x", None) is None or self._grad_x.shape != self._x_shape:\n'
            "            self._grad_x = np.zeros(self._x_shape)  # allocated once, reused by every backward\n"
            "        grad_x = self._grad_x\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n",
        ),
        expect=("buffer-not-zeroed", "state-kept-between-calls"),
        phrases=("zeros", "every call", "buffer", "accumulat", "previous backward", "fresh"),
    ),
    fresh(
        "hn-maxpool-argmax-unravelled-width-first",
        "layers.MaxPool2d",
        "forward decodes each winner's flat offset with np.unravel_index(argmax, (kW, kH)): the window was "
        "flattened row by row (kH rows of kW), so the shape must be (kH, kW); for a non-square window the row "
        "and column come out wrong and backward routes the gradient to the wrong entry",
        span(
            "layers",
            (
                _MAXPOOL_ARGMAX,
                _MAXPOOL_ARGMAX + "        self._rows, self._cols = np.unravel_index(self._argmax, (kW, kH))\n",
            ),
            (
                "                won = self._argmax == i * kW + j\n",
                "                won = (self._rows == i) & (self._cols == j)  # the winner sits at (i, j)\n",
            ),
        ),
        expect=("index-order-reversed", "kernel-height-width-swapped"),
        phrases=("(kh, kw)", "unravel", "row-major", "non-square", "width", "kw"),
    ),
    fresh(
        "hn-avgpool-backward-offsets-zipped",
        "layers.AvgPool2d",
        "backward visits the kernel offsets with for i, j in zip(range(kH), range(kW)): zip pairs them up, "
        "(0, 0), (1, 1), ..., so only the diagonal of each window gets its share; every pair (i, j) needs two "
        "nested loops (itertools.product)",
        (
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        for i, j in zip(range(kH), range(kW)):  # every kernel offset (i, j)\n"
            "            grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
        ),
        expect=("entries-skipped", "zip-for-product"),
        phrases=("zip", "diagonal", "nested", "every offset", "product", "each entry"),
    ),
    fresh(
        "hn-avgpool-input-shape-saved-once",
        "layers.AvgPool2d",
        "forward saves the input shape only if it has none yet ('it never changes'): after a batch of another "
        "size (the last, smaller batch, or evaluation data) backward builds a gradient of the first batch's shape",
        (
            "        self._x_shape = x.shape\n"
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            '        if not hasattr(self, "_x_shape"):  # the input shape is fixed by the network\n'
            "            self._x_shape = x.shape\n"
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
        ),
        expect=("cached-first-call",),
        phrases=("every forward", "first", "batch size", "shape", "last forward"),
    ),
    fresh(
        "hn-flatten-rows-from-len-of-shape",
        "layers.Flatten",
        "forward reshapes to (n, -1) with n = len(x.shape), taken for the number of samples: len of the shape "
        "tuple is the number of axes (4 for images), so the batch axis is not kept; the batch size is x.shape[0]",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = x.shape\n"
            "        n = len(self._x_shape)  # number of samples\n"
            "        y = x.reshape(n, -1)\n",
        ),
        expect=("flatten-batch-axis", "size-of-shape-tuple"),
        phrases=("shape[0]", "len", "number of axes", "batch", "ndim", "(n, -1)"),
    ),
    fresh(
        "hn-dropout-backward-mask-truth-value",
        "layers.Dropout",
        "backward tests the saved mask with `if self._mask` to tell training from evaluation: in training the "
        "mask is an array whose truth value is ambiguous, so backward raises; test `self._mask is None`",
        (
            "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
            "        grad_x = grad_y * self._mask if self._mask else grad_y  # no mask in evaluation\n",
        ),
        expect=("truthiness-of-array",),
        phrases=("is none", "truth", "array", "ambiguous", "mask"),
    ),
    fresh(
        "hn-dropout-backward-rescales-unguarded",
        "layers.Dropout",
        "forward keeps the boolean keep-mask and backward rescales it, grad_y * mask / (1 - p): forward guards "
        "p = 1 but backward divides 0 by 0 there, so the gradient is nan where it should be 0",
        span(
            "layers",
            (
                "            self._mask = keep * scale\n            y = x * self._mask\n",
                "            self._mask = keep  # which entries survive\n            y = x * keep * scale\n",
            ),
            (
                "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n",
                "        grad_x = grad_y if self._mask is None else grad_y * self._mask / (1.0 - self.p)\n",
            ),
        ),
        expect=("dropout-divides-by-zero-at-p-one",),
        phrases=("p = 1", "nan", "0 / 0", "zero", "scale"),
    ),
    fresh(
        "hn-dropout-p-flipped-in-place-by-forward",
        "layers.Dropout",
        "forward turns the drop probability into the keep probability in place, self.p = 1 - self.p, at every "
        "training call: the first batch is right, the second uses the drop probability as keep probability, "
        "and so on alternately; the hyper-parameter must not change (use a local keep = 1 - p)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n",
            "            self.p = 1.0 - self.p  # from here on, the keep probability\n"
            "            keep = self.rng.random(x.shape) < self.p\n"
            "            scale = 0.0 if self.p == 0.0 else 1.0 / self.p\n",
        ),
        expect=("hyperparameter-overwritten", "state-kept-between-calls"),
        phrases=("self.p", "local", "every call", "second", "keep probability", "alternat"),
    ),
    fresh(
        "hn-bn1d-running-stats-stepped-away-from-batch",
        "layers.BatchNorm1d",
        "the running statistics are updated in the increment form running += momentum * (running - batch): the "
        "difference is reversed, so each update moves the buffers away from the batch statistics instead of "
        "towards them (running += momentum * (batch - running))",
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
                        "            # a step of size momentum towards the batch\n"
                        "            self.running_mean += m * (self.running_mean - mean)\n"
                        "            self.running_var += m * (self.running_var - unbiased)\n",
                    )
                ]
            },
        ),
        expect=("sign-flipped", "bn-momentum-swapped"),
        phrases=("batch - running", "towards", "away", "momentum", "sign", "running_mean"),
    ),
    fresh(
        "hn-bn1d-eps-added-into-variance-in-place",
        "layers.BatchNorm1d",
        "forward adds eps with var += eps before the square root: in training var is a fresh array, but in "
        "evaluation it is the running_var buffer itself, so every evaluation forward grows running_var by eps",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        _BN_INV_STD,
                        "        var += self.eps  # the variance the layer divides by\n"
                        "        self._inv_std = (1.0 / np.sqrt(var)).reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("bn-updates-in-eval", "aliasing"),
        phrases=("running_var", "in place", "eval", "var + eps", "buffer", "+="),
    ),
    fresh(
        "hn-bn2d-eval-without-eps",
        "layers.BatchNorm2d",
        "the eps is added only with batch statistics ('the running variance is never 0'): in evaluation the "
        "layer divides by sqrt(running_var) instead of sqrt(running_var + eps), so its outputs and gradients "
        "differ from PyTorch's",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        _BN_INV_STD,
                        "        var = var + self.eps if self.training else var  # eps only guards a batch\n"
                        "        self._inv_std = (1.0 / np.sqrt(var)).reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("bn-no-eps",),
        phrases=("eps", "running_var + eps", "eval", "evaluation", "sqrt"),
    ),
    fresh(
        "hn-bn2d-affine-broadcast-along-height",
        "layers.BatchNorm2d",
        "gamma and beta are broadcast as weight[None, :, None], shape (1, C, 1): against (N, C, H, W) numpy "
        "aligns it with the last three axes, so the channel parameters vary along the height (an error unless "
        "H == C); they need (1, C, 1, 1)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        gamma, beta = self.weight.data[None, :, None], self.bias.data[None, :, None]\n"
                        "        y = self._x_hat * gamma + beta  # one scale and shift per channel\n",
                    )
                ]
            },
        ),
        expect=("broadcast-wrong-axis", "bn2d-affine-not-reshaped"),
        phrases=("(1, c, 1, 1)", "broadcast", "channel", "axis 1", "height", "reshape"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
_MSE_LOSS = "        loss = np.mean(self._diff**2)\n"

LOSSES = [
    fresh(
        "hn-mse-norm-ord-two-of-matrix",
        "losses.MSELoss",
        "forward computes np.linalg.norm(diff, 2) ** 2 / M, 'the squared 2-norm': for a vector that is the sum "
        "of squares, but for a 2-D array ord=2 is the matrix 2-norm, the largest singular value (and for more "
        "axes an error); the mean squared error needs the entry-wise (Frobenius) norm or np.mean(diff**2)",
        (
            _MSE_LOSS,
            "        loss = np.linalg.norm(self._diff, 2) ** 2 / self._diff.size  # ||x - t||^2 / M\n",
        ),
        expect=("norm-not-entrywise", "matrix-norm"),
        phrases=("singular value", "frobenius", "ord", "entry-wise", "matrix", "np.mean"),
    ),
    fresh(
        "hn-mse-dot-of-ravelled-over-rows",
        "losses.MSELoss",
        "forward takes the sum of squares as a dot product of the ravelled difference and divides it by "
        "len(diff), the number of rows: for targets with more than one column the mean is over the M entries, "
        "so the loss is D times too large (backward, dividing by M, is right)",
        (
            _MSE_LOSS,
            "        flat = self._diff.ravel()\n"
            "        loss = flat @ flat / len(self._diff)  # sum of squares over samples\n",
        ),
        expect=("divided-by-batch-size", "mse-mean-over-batch-only"),
        phrases=("entries", "diff.size", "number of entries", "rows", "columns", "m"),
    ),
    fresh(
        "hn-bce-grad-floor-with-builtin-max",
        "losses.BCELoss",
        "backward floors the denominator with Python's max(p (1 - p), 1e-12): the built-in compares a whole "
        "array with a number, which raises for more than one entry; np.maximum floors entry by entry",
        (
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        return (p - t) / max(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
        ),
        expect=("python-max-on-array",),
        phrases=("np.maximum", "max", "entry by entry", "built-in", "array"),
    ),
    fresh(
        "hn-bce-logits-softplus-terms-swapped",
        "losses.BCEWithLogitsLoss",
        "forward writes the loss as t softplus(x) + (1 - t) softplus(-x) with np.logaddexp: -log sigmoid(x) is "
        "softplus(-x), so the two terms belong the other way round; the loss is that of the flipped labels "
        "(backward, sigmoid(x) - t, is right)",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        # -t log s(x) - (1 - t) log(1 - s(x)), each -log written as a softplus\n"
            "        loss = np.mean(t * np.logaddexp(0.0, x) + (1.0 - t) * np.logaddexp(0.0, -x))\n",
        ),
        expect=("bce-swapped-terms",),
        phrases=("softplus(-x)", "swapped", "-log sigmoid", "1 - t", "labels"),
    ),
    fresh(
        "hn-ce-np-choose-rows-as-choices",
        "losses.CrossEntropyLoss",
        "the true classes' log-probabilities are picked with np.choose(labels, log_probs): np.choose takes its "
        "choices along the first axis, so the rows are the choices and entry n is log_probs[y_n, n]; it fails "
        "unless N == C and is wrong then (np.choose(labels, log_probs.T) or log_probs[arange(N), labels])",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(np.choose(self._labels, log_probs))  # the label's entry of each row\n",
        ),
        expect=("transposed", "axes-permuted"),
        phrases=("np.choose", "rows", "columns", "arange", "log_probs[", "transpose"),
    ),
    fresh(
        "hn-hinge-margin-from-forward-default",
        "losses.HingeLoss",
        "forward grew a parameter margin=1.0 and the slack uses it: the margin given to the constructor "
        "(self.margin) is never read, so HingeLoss(margin=0.5) still uses 1",
        span(
            "losses",
            (
                "    def forward(self, input: np.ndarray, target: np.ndarray) -> float:  # noqa: A002\n"
                '        x = as_float_array(input, "HingeLoss input")\n',
                "    def forward(\n"
                "        self, input: np.ndarray, target: np.ndarray, margin: float = 1.0  # noqa: A002\n"
                "    ) -> float:\n"
                '        x = as_float_array(input, "HingeLoss input")\n',
            ),
            (
                "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
                "        slack = x - x[rows, self._labels][:, None] + margin\n",
            ),
        ),
        expect=("hinge-margin-ignored", "hyperparameter-ignored"),
        phrases=("self.margin", "margin", "constructor", "default", "1.0"),
    ),
    fresh(
        "hn-hinge-slack-sign-of-other-score",
        "losses.HingeLoss",
        "the slack max(0, margin - (x_y - x_j)) is typed margin - x_y - x_j: without the inner parentheses the "
        "other class's score is subtracted instead of added, so a higher wrong score lowers the loss",
        (
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n",
            "        slack = self.margin - x[rows, self._labels][:, None] - x  # margin - (x_y - x_j)\n",
        ),
        expect=("operator-precedence", "hinge-difference-reversed"),
        phrases=("parenthes", "x_j - x_y", "sign", "margin - (", "+ x"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
_RMS_SQUARE = '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'

OPTIMIZERS = [
    fresh(
        "hn-sgd-state-enumerated-from-one",
        "optimizers.SGD",
        "the loop numbers the parameters with enumerate(self.params, 1) and reads self.state[i]: the state list "
        "is 0-based, so each parameter uses its neighbour's momentum buffer and the last one runs past the list",
        (
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n",
            "        for i, p in enumerate(self.params, 1):  # parameter 1, 2, ...\n"
            "            state = self.state[i]\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n",
        ),
        expect=("loop-off-by-one", "copy-paste-wrong-state"),
        phrases=("index", "0", "off by one", "state[i", "neighbour", "enumerate"),
    ),
    fresh(
        "hn-sgd-first-step-flag-on-optimizer",
        "optimizers.SGD",
        "the first step is detected with one flag on the optimizer ('self._started') instead of per buffer: "
        "the first parameter sets it, so every other parameter's first step takes the later-step branch with "
        "no buffer yet (momentum * None)",
        (
            "                if buf is None:\n"
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
            '                if not getattr(self, "_started", False):  # the first step starts the velocity\n'
            "                    buf = g.copy()\n"
            "                    self._started = True\n",
        ),
        expect=("step-count-per-parameter", "state-shared-between-parameters"),
        phrases=("per parameter", "momentum_buffer", "buf is none", "first step", "each parameter"),
    ),
    fresh(
        "hn-adagrad-square-as-matrix-product",
        "optimizers.Adagrad",
        "the accumulator adds g @ g for 'g squared': @ is a matrix product (for a vector the sum of all squares, "
        "added to every coordinate; for a matrix an error unless square), where Adagrad adds g * g entry by entry",
        (
            '            state["sum"] = state["sum"] + g * g\n',
            '            state["sum"] = state["sum"] + g @ g  # g squared\n',
        ),
        expect=("matmul-for-elementwise", "not-per-coordinate"),
        phrases=("g * g", "element", "per coordinate", "@", "matrix product", "entry"),
    ),
    fresh(
        "hn-adagrad-eps-outside-the-quotient",
        "optimizers.Adagrad",
        "the update is typed p -= clr * g / np.sqrt(sum) + eps: eps is added to the update (it subtracts eps "
        "from every weight) instead of guarding the denominator, and a coordinate whose sum is still 0 divides "
        "0 by 0",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            p.data -= clr * g / np.sqrt(state["sum"]) + self.eps\n',
        ),
        expect=("eps-added-to-step", "operator-precedence"),
        phrases=("sqrt(s) + eps", "denominator", "parenthes", "eps", "nan"),
    ),
    fresh(
        "hn-rmsprop-centered-averages-centred-squares",
        "optimizers.RMSprop",
        "centered RMSprop is remembered as a running average of (g - m)^2 kept in square_avg, with m the "
        "running mean gradient: PyTorch keeps v = avg(g^2) in every variant and divides by sqrt(v - m^2) when "
        "centered",
        (
            _RMS_SQUARE + "            if self.centered:\n"
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
            "                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n"
            "                # (PyTorch would produce nan there).\n"
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
            "                avg = np.sqrt(variance) + self.eps\n"
            "            else:\n"
            '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
            "            if self.centered:\n"
            "                # centred: average the squared deviation from the running mean gradient\n"
            '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
            '                deviation = g - state["grad_avg"]\n'
            '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * deviation * deviation\n'
            "            else:\n"
            '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
            '            avg = np.sqrt(state["square_avg"]) + self.eps\n',
        ),
        expect=("centered-variance-formula", "formula-wrong"),
        phrases=("v - m^2", "square_avg", "g^2", "grad_avg", "centered", "variance"),
    ),
    fresh(
        "hn-rmsprop-square-with-caret",
        "optimizers.RMSprop",
        "the squared gradient is typed g ^ 2: in Python ^ is bitwise exclusive or (and binds after *), not a "
        "power; on float arrays it raises; the square is g ** 2 or g * g",
        (_RMS_SQUARE, '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g ^ 2\n'),
        expect=("xor-for-power",),
        phrases=("**", "xor", "power", "g * g", "^"),
    ),
    fresh(
        "hn-adadelta-ratio-under-one-root-unparenthesised",
        "optimizers.Adadelta",
        "the step writes the ratio under one root as sqrt(u + eps / v + eps): without parentheses that is "
        "u + eps/v + eps, not (u + eps) / (v + eps); the step is wrong and infinite where v is still 0",
        (
            '            std = np.sqrt(state["square_avg"] + self.eps)\n'
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            "            # RMS of past steps over RMS of gradients, under one root\n"
            '            delta = np.sqrt(state["acc_delta"] + self.eps / state["square_avg"] + self.eps) * g\n',
        ),
        # added after reading output (eps-missing mended, the unbracketed ratio simulated): precedence
        expect=("operator-precedence", "precedence"),
        phrases=("parenthes", "(u + eps) / (v + eps)", "precedence", "ratio", "sqrt"),
    ),
    fresh(
        "hn-adadelta-numerator-eps-outside-root",
        "optimizers.Adadelta",
        "the numerator is sqrt(u) + eps instead of sqrt(u + eps): while u is 0 (the first step) it is 1e-6 "
        "instead of sqrt(1e-6) = 1e-3, so the first steps are a thousand times too small",
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = (np.sqrt(state["acc_delta"]) + self.eps) / std * g\n',
        ),
        # added after reading output: adadelta-eps-outside-sqrt, its reproduced numerator-only variant says
        # "sqrt(acc_delta) + eps; Adadelta uses sqrt(acc_delta + eps)", this very mistake
        expect=("eps-outside-sqrt", "adadelta-eps-numerator-missing", "adadelta-eps-outside-sqrt"),
        phrases=("sqrt(u + eps)", "inside", "eps", "first step", "numerator"),
    ),
    fresh(
        "hn-adam-square-written-into-gradient",
        "optimizers.Adam",
        "the second moment squares g with np.square(g, out=g) 'since g is not needed afterwards': without "
        "weight decay g is p.grad itself (np.asarray makes no copy), so step overwrites the parameter's "
        "gradient with its square; step must leave p.grad as it was",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            "            # square in g's own memory: g is not needed after this line\n"
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * np.square(g, out=g)\n',
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("p.grad", "in place", "out=", "copy", "asarray", "gradient"),
    ),
    fresh(
        "hn-adam-square-times-transpose",
        "optimizers.Adam",
        "the squared gradient is written g * g.T (g^T g): for a vector .T changes nothing, but for a weight "
        "matrix it multiplies g[i, j] by g[j, i] (or fails unless square); the second moment needs g * g entry by "
        "entry",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g.T\n',
        ),
        expect=("transposed", "gradient-not-squared"),
        phrases=("g * g", ".t", "transpose", "element", "square"),
    ),
    fresh(
        "hn-adamw-decay-divides-by-one-plus",
        "optimizers.AdamW",
        "the decoupled decay is remembered as p <- p / (1 + lr * weight_decay): AdamW multiplies by "
        "1 - lr * weight_decay, which differs at second order (visibly for large lr * weight_decay)",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        p.data /= 1.0 + self.lr * self.weight_decay  # shrink the weights\n        return g\n",
        ),
        expect=("formula-wrong", "decay-factor-form"),
        phrases=("1 - lr * weight_decay", "multiply", "divide", "decay factor"),
    ),
    fresh(
        "hn-adamw-decay-factor-cached-on-class",
        "optimizers.AdamW",
        "the factor 1 - lr * weight_decay is computed once and kept on the class (AdamW._factor, 'it never "
        "changes'): every later AdamW, whatever its lr and weight_decay, decays by the first optimizer's factor",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            '        if getattr(AdamW, "_factor", None) is None:  # the same at every step: compute it once\n'
            "            AdamW._factor = 1.0 - self.lr * self.weight_decay\n"
            "        p.data *= AdamW._factor\n"
            "        return g\n",
        ),
        expect=("shared-class-state", "cached-first-call"),
        phrases=("class", "self.lr", "weight_decay", "instance", "every optimizer", "shared"),
    ),
]

# ----------------------------------------------------------------------------------------- init
_XAVIER_UNIFORM_STD = (
    "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
    "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
)

INIT = [
    fresh(
        "hn-fans-fan-out-from-extended-slice",
        "init.fan_in_and_fan_out",
        "fan_out is math.prod(shape[::2]), meant as 'every axis but in': a step of 2 takes axes 0, 2, 4, ..., so "
        "for a (out, in, kH, kW) weight it is out * kH, the kernel width lost (fan_in = prod(shape[1:]) is right)",
        (
            "    receptive_field = math.prod(shape[2:])\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
            "    fan_in = math.prod(shape[1:])  # in * k1 * k2 ...\n"
            "    fan_out = math.prod(shape[::2])  # out * k1 * k2 ...: every axis but in\n",
        ),
        expect=("receptive-field-partial",),
        phrases=("shape[::2]", "kernel", "out * kh * kw", "receptive field", "every other axis", "slice"),
    ),
    fresh(
        "hn-xavier-uniform-average-fan-floor-divided",
        "init.xavier_uniform",
        "the variance is written 1 / fan_avg with fan_avg = (fan_in + fan_out) // 2: floor division drops the "
        "half when the sum is odd, so the bound is too large for those shapes; 2 / (fan_in + fan_out) needs no "
        "integer average",
        (
            _XAVIER_UNIFORM_STD,
            "    fan_avg = (fan_in + fan_out) // 2  # Glorot: one over the average fan\n"
            "    std = gain * math.sqrt(1.0 / fan_avg)\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("floor-division", "integer-division"),
        phrases=("//", "floor", "odd", "2 / (fan_in + fan_out)", "integer"),
    ),
    fresh(
        "hn-xavier-uniform-fan-loop-keeps-last",
        "init.xavier_uniform",
        "the two fans are combined in a loop, for fan in (fan_in, fan_out): std = gain * sqrt(2 / (fan + fan)): "
        "each pass overwrites std, so only fan_out is used; Xavier averages both, 2 / (fan_in + fan_out)",
        (
            _XAVIER_UNIFORM_STD,
            "    for fan in (fan_in, fan_out):  # both fans enter the variance\n"
            "        std = gain * math.sqrt(2.0 / (fan + fan))\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n",
        ),
        expect=("xavier-one-fan",),
        phrases=("fan_in + fan_out", "fan_in", "both fans", "overwrit", "loop"),
    ),
    fresh(
        "hn-xavier-normal-box-muller-without-two",
        "init.xavier_normal",
        "the normal draws are made by hand with Box-Muller, sqrt(-log u1) cos(2 pi u2): the formula is "
        "sqrt(-2 log u1) cos(2 pi u2); without the 2 the draws have variance 1/2, so the weights' standard "
        "deviation is std / sqrt(2)",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    # Box-Muller: two uniforms make one standard normal\n"
            "    u1, u2 = 1.0 - rng.random(shape), rng.random(shape)\n"
            "    weight = std * np.sqrt(-np.log(u1)) * np.cos(2.0 * math.pi * u2)\n",
        ),
        expect=("formula-constant", "variance-as-std"),
        phrases=("-2 log", "box-muller", "variance", "standard deviation", "rng.normal", "sqrt(2)"),
    ),
    fresh(
        "hn-kaiming-uniform-gain-only-when-a-given",
        "init.kaiming_uniform",
        "the gain is calculate_gain(nonlinearity, a) only `if a`, else ReLU's sqrt(2) ('a = 0 means no slope "
        "was given'): with the default a = 0 every nonlinearity gets sqrt(2), so 'linear', 'tanh' or 'selu' "
        "have the wrong bound",
        (
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
            "    # a = 0 means no slope was given: the ReLU gain\n"
            "    gain = calculate_gain(nonlinearity, a) if a else math.sqrt(2.0)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("nonlinearity-ignored", "zero-taken-as-unset"),
        phrases=("nonlinearity", "calculate_gain", "a = 0", "tanh", "linear", "gain"),
    ),
    fresh(
        "hn-kaiming-normal-gain-and-two",
        "init.kaiming_normal",
        "std is written gain * sqrt(2 / fan), He's formula with the gain on top: the gain already holds the 2 "
        "(sqrt(2) for ReLU), so the standard deviation is sqrt(2) times too large; std = gain / sqrt(fan)",
        (
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain * math.sqrt(2.0 / fan)  # He et al.: sqrt(2 / fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("gain-twice", "formula-constant"),
        phrases=("gain / sqrt(fan)", "sqrt(2)", "twice", "gain", "2"),
    ),
    fresh(
        "hn-kaiming-normal-integer-square-root",
        "init.kaiming_normal",
        "std is gain / math.isqrt(fan): isqrt is the integer square root (floor of the root), so for any fan "
        "that is not a perfect square (27 = 3 * 3 * 3 gives 5, not 5.196) the standard deviation is too large",
        (
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.isqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("integer-division", "rounded-values"),
        phrases=("isqrt", "math.sqrt", "integer", "floor", "perfect square"),
    ),
]

# ----------------------------------------------------------------------------------------- training
_FIT_EPOCH = "    for _ in range(epochs):\n        total = 0.0\n"

TRAINING = [
    fresh(
        "hn-minibatches-targets-by-inverse-permutation",
        "training.minibatches",
        "the shuffle takes X[order] but y[np.argsort(order)]: argsort of a permutation is its inverse, so the "
        "targets are reordered differently from the inputs and the pairs are broken; both need [order]",
        ("        X, y = X[order], y[order]\n", "        X, y = X[order], y[np.argsort(order)]\n"),
        expect=("unpaired-shuffle",),
        phrases=("same permutation", "pairs", "argsort", "y[order]", "paired"),
    ),
    fresh(
        "hn-minibatches-rows-indexed-as-matrix",
        "training.minibatches",
        "the shuffled rows are taken as X[order, :], written for a data matrix: a 1-D X (one number per sample) "
        "has no second axis and raises; X[order] permutes axis 0 whatever the shape",
        ("        X, y = X[order], y[order]\n", "        X, y = X[order, :], y[order]  # permute the rows\n"),
        expect=("fixed-number-of-axes",),
        phrases=("x[order]", "1-d", "any shape", "axis 0", "second axis"),
    ),
    fresh(
        "hn-minibatches-range-over-x-size",
        "training.minibatches",
        "the batch starts run over range(0, X.size, size): X.size counts every entry (N * D), not the samples, "
        "so after the real batches come empty ones (D times as many starts); len(X) is the number of samples",
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for start in range(0, X.size, max(size, 1)):\n",
        ),
        expect=("len-for-size", "empty-last-batch"),
        phrases=("len(x)", "size", "empty", "samples", "entries"),
    ),
    fresh(
        "hn-fit-forward-run-twice-per-batch",
        "training.fit",
        "each batch is run forward twice, once inside the loss call and once more for the predictions: a Dropout "
        "draws another mask and BatchNorm moves its running statistics twice, and backward differentiates the "
        "second forward while the loss came from the first; one forward per batch",
        (
            "            output = model.forward(X_batch)\n            loss = loss_fn.forward(output, y_batch)\n",
            "            loss = loss_fn.forward(model.forward(X_batch), y_batch)\n"
            "            output = model.forward(X_batch)  # the predictions, for a look at the accuracy\n",
        ),
        expect=("forward-called-twice", "layer-applied-twice"),
        phrases=("twice", "once", "running", "dropout", "mask", "forward"),
    ),
    fresh(
        "hn-fit-optimizer-rebuilt-every-epoch",
        "training.fit",
        "every epoch starts with optimizer = type(optimizer)(optimizer.params) ('no momentum left over'): the "
        "new optimizer has the default hyper-parameters, not the caller's lr, momentum or betas, and its "
        "state (momentum buffers, Adam's step count) restarts each epoch",
        (
            _FIT_EPOCH,
            "    for _ in range(epochs):\n"
            "        optimizer = type(optimizer)(optimizer.params)  # a fresh optimizer for every epoch\n"
            "        total = 0.0\n",
        ),
        expect=("state-reset", "hyperparameter-ignored"),
        phrases=("optimizer", "lr", "state", "hyper-parameters", "every epoch", "default"),
    ),
    fresh(
        "hn-fit-model-put-in-eval-mode",
        "training.fit",
        "fit calls model.eval() before training ('deterministic passes while fitting'): Dropout then drops "
        "nothing and BatchNorm normalises with (and never updates) its running statistics, so the network is "
        "not trained the way it is meant to; training needs train mode",
        (
            _FIT_EPOCH,
            "    model.eval()  # deterministic passes while fitting\n"
            "    for _ in range(epochs):\n"
            "        total = 0.0\n",
        ),
        expect=("train-eval", "left-in-eval-mode"),
        phrases=("train mode", "eval", "dropout", "batchnorm", "training"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hn-sequential-forward-index-one-behind",
        "models.Sequential",
        "forward loops for i in range(len(layers)) and calls self.layers[i - 1]: at i = 0 that is the last layer "
        "(index -1), so the layers run last, first, second, ... instead of in order",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        for i in range(len(self.layers)):\n            x = self.layers[i - 1].forward(x)\n",
        ),
        expect=("forward-order", "loop-off-by-one"),
        phrases=("order", "layers[i]", "index", "last layer", "-1", "first layer"),
    ),
    fresh(
        "hn-sequential-forward-memoised-on-input",
        "models.Sequential",
        "forward returns the previous output when it is called with the same array object again ('same batch, "
        "same output'): after an optimizer step or a switch to eval mode the weights or the mode have changed, "
        "yet the stale output comes back and the layers keep the old saved state",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            '        if getattr(self, "_last_x", None) is x:  # the same batch again: reuse the output\n'
            "            return self._last_y\n"
            "        self._last_x = x\n"
            "        for layer in self.layers:\n"
            "            x = layer.forward(x)\n"
            "        self._last_y = x\n",
        ),
        expect=("cached-first-call", "state-kept-between-calls"),
        phrases=("stale", "every call", "cache", "weights changed", "recompute", "same input"),
    ),
    fresh(
        "hn-perceptron-bias-step-without-lr",
        "models.Perceptron",
        "update adds the error to the bias without the learning rate, bias += error: the weights move by lr * "
        "error * x, the bias by error, so for lr != 1 the two take different step sizes; the rule is bias += lr * "
        "error",
        ("        self.bias = self.bias + self.lr * error\n", "        self.bias = self.bias + error\n"),
        expect=("lr-ignored",),
        phrases=("lr", "learning rate", "bias", "lr * error"),
    ),
    fresh(
        "hn-perceptron-signed-rule-updates-on-boundary",
        "models.Perceptron",
        "update uses the +-1 form of the rule, mapping the target to s = 2t - 1 and updating when s * score <= 0: "
        "with targets 0/1 a score of exactly 0 predicts 0, which is right for t = 0, yet the rule updates (and "
        "returns -1); the error is target - prediction",
        (
            "        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0\n"
            "        error = float(target) - prediction\n"
            "        self.weight = self.weight + self.lr * error * x\n"
            "        self.bias = self.bias + self.lr * error\n",
            "        score = float(x @ self.weight + self.bias)\n"
            "        sign = 2.0 * float(target) - 1.0  # labels 0/1 as -1/+1\n"
            "        error = 0.0\n"
            "        if sign * score <= 0:  # on the wrong side of the boundary (or on it): a mistake\n"
            "            error = sign\n"
            "            self.weight = self.weight + self.lr * error * x\n"
            "            self.bias = self.bias + self.lr * error\n",
        ),
        expect=("updates-on-correct", "step-at-zero"),
        phrases=("score of 0", "target - prediction", "predicts 0", "boundary", "correct", "error"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hn-numgrad-result-buffer-kept-on-function",
        "gradcheck.numerical_gradient",
        "the result array is kept on the function and reused when the next x has the same shape: every entry is "
        "rewritten, but all calls return the same array, so a gradient computed earlier changes when the next is "
        "computed; the API returns a new array",
        (
            "    for index in np.ndindex(x.shape):\n",
            '    cached = getattr(numerical_gradient, "_buffer", None)\n'
            "    if cached is not None and cached.shape == x.shape:\n"
            "        grad = cached  # reuse the array of the last call\n"
            "    numerical_gradient._buffer = grad\n"
            "    for index in np.ndindex(x.shape):\n",
        ),
        expect=("state-kept-between-calls", "aliasing"),
        phrases=("new array", "same array", "every call", "reuse", "earlier result"),
    ),
    fresh(
        "hn-numgrad-gradient-sized-by-len",
        "gradcheck.numerical_gradient",
        "the gradient is allocated as np.zeros(len(x)), 'one derivative per entry': len counts only the first "
        "axis, so for a matrix x the result has the wrong shape and the entries' indices do not fit; it must "
        "be shaped like x",
        (
            "    for index in np.ndindex(x.shape):\n",
            "    grad = np.zeros(len(x))  # one derivative per entry of x\n    for index in np.ndindex(x.shape):\n",
        ),
        expect=("len-for-size", "gradient-not-shaped-like-input"),
        phrases=("x.shape", "len", "shaped like x", "first axis", "zeros"),
    ),
    fresh(
        "hn-relerr-infinity-norm-of-ratios",
        "gradcheck.relative_error",
        "the largest ratio is taken as np.linalg.norm(ratio, np.inf): for a vector that is the largest |entry|, "
        "but for a 2-D array the infinity norm is the largest row sum, and for more axes an error; the maximum "
        "entry is np.max(ratio)",
        ("    return float(np.max(ratio))\n", "    return float(np.linalg.norm(ratio, np.inf))  # the largest ratio\n"),
        expect=("norm-not-entrywise", "matrix-norm"),
        phrases=("np.max", "row sum", "largest entry", "matrix", "norm"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hn-early-stopping-history-lists-chained",
        "early_stopping.fit_early_stopping",
        "the records are reset with history.train_losses = history.val_losses = []: a chained assignment binds "
        "both names to one list, so every training and validation loss goes into the same list and both "
        "records hold the two interleaved",
        (
            '    best_loss = float("inf")\n    best_state = None\n',
            "    history.train_losses = history.val_losses = []  # start both records empty\n"
            '    best_loss = float("inf")\n'
            "    best_state = None\n",
        ),
        expect=("aliasing", "wrong-history-list"),
        phrases=("one list", "same list", "train_losses", "val_losses", "chained", "separate"),
    ),
    fresh(
        "hn-early-stopping-train-loss-reevaluated",
        "early_stopping.fit_early_stopping",
        "the epoch's training loss is recomputed after the epoch with evaluate_loss on (X, y), in eval mode "
        "after the last step, instead of the mean training loss that fit returns for that epoch",
        (
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n",
            "        fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
            "        train_loss = evaluate_loss(model, loss_fn, X, y)  # the training loss after the epoch\n",
        ),
        expect=("fit-result-not-unpacked", "wrong-history-list"),
        phrases=("fit", "returns", "mean training loss", "during the epoch", "train_losses"),
    ),
    fresh(
        "hn-early-stopping-stops-before-recording",
        "early_stopping.fit_early_stopping",
        "the losses are appended after the improvement test, whose patience branch breaks out of the loop: the "
        "epoch training stops after is never recorded, so both histories are one epoch short of stopped_epoch",
        (
            "        history.train_losses.append(train_loss)\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best_loss - min_delta:\n",
            "        if val_loss < best_loss - min_delta:\n",
        ),
        expect=("history-incomplete", "wrong-history-list"),
        phrases=("last epoch", "before", "break", "every epoch", "record"),
    ),
    fresh(
        "hn-early-stopping-patience-spent-not-restored",
        "early_stopping.fit_early_stopping",
        "patience is used as a budget, patience -= 1 at every epoch without improvement and stop at 0: an "
        "improvement cannot give it back (the original value is gone), so the epochs without improvement are "
        "counted over the whole run, not since the last improvement",
        (
            "            waited += 1\n            if waited >= patience:\n",
            "            patience -= 1  # one chance fewer\n            if patience <= 0:\n",
        ),
        expect=("patience-not-reset",),
        phrases=("reset", "improvement", "consecutive", "in a row", "patience"),
    ),
]

FRESH_N: list[Mutant] = [
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
