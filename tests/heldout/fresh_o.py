"""Held-apart set O: fresh student bugs, written blind after sets A to N had been seen.

Sets A (``HELDOUT``) to N (``FRESH_N``) have been read by the people improving the diagnosis, so they no
longer measure generalisation. Set O was written blind: its author read the reference, docs/api.md, the
course text (exercises/), the catalogue's mutants (graders/mutants, for the tag vocabulary and to avoid
copies), the alternatives (tests/alternatives, to keep out of what is graded correct), sets A to N (for the
format, the tag vocabulary and to avoid copies), and of tests/test_feedback_generalisation.py only its
FAMILIES and SETS dicts; never the diagnosis (graders/judging, graders/reporting, graders/running,
graders/selfcheck, graders/runner.py), tests/evidence.py, the feedback audit, the mistake, crash, diagnosis
and feedback tests, benchmarks/, the grader's feedback or its output, and graded none of these bugs while
writing them (besides the structural check of /work/tools/check_set.py, each was applied and run by a
script of the author's own on a tiny input beside the reference, to see that the edit changes a result or
raises; none went through the grader).

About two thirds are classes the catalogue and sets A to N hardly touch: numpy and Python semantics (a
ufunc's ``where=`` without ``out=``, which leaves the skipped entries uninitialised, in BCE's log and in the
relative error's quotient; ``np.empty`` for an accumulator; ``ravel(order="K")``, which follows memory order
and scrambles a transposed view; chained fancy indexing ``a[:, :, rows][:, :, :, cols] += ...``, which adds
into a copy; ``np.bincount`` without ``minlength``; ``np.put``'s flat indices on a matrix; ``dict.fromkeys``
with one array for two accumulators; a list of one dict multiplied by the number of parameters; a state
"list" written as a generator expression; a shallow ``dict.copy`` of a template sized by the first
parameter; ``list(set(permutation))``, which sorts the shuffle away; ``np.ndindex`` iterated twice; ``all()``
short-circuiting an epoch of perceptron updates; ``best_state or copy_state(...)``; ``x[...] = original``
restoring one entry; ``.squeeze()`` after a reduction; ``(x + |x|) / 2`` overflowing; ``1 - sigmoid`` for the
negative branch; ``out=x`` chains in Sigmoid; an integer weight vector updated in place; a float32 padded
buffer; ``np.pad(mode="wrap")`` for zero padding), mutable default arguments (Sequential.parameters'
accumulator, fit's history, fit_early_stopping's History, xavier_normal's memo of the std per shape), state
kept between calls (a SELU's inner ELU on the class, a Linear output buffer, a sigmoid kept while the shape
matches, a gain cached on the function, Softmax's negative dim resolved in place, Dropout's mode read at
construction, Tanh's output saved in training only), API conventions read the Keras/JAX/torchvision way
(defaults: SGD lr 0.01, Adam eps 1e-7, AdamW weight decay 0.004, BatchNorm eps 1e-3, pooling stride 1,
shuffle on, patience 0, GELU tanh, LogSoftmax dim 0, kaiming_normal fan_out, kaiming_uniform relu;
CrossEntropy on probabilities or as NLL of the logits; a loss called instead of ``forward``; AdamW's
arguments passed positionally in the wrong order; ``step(lr=...)``), and off-by-one (an RMSprop loop from 1,
epochs counted down per batch, a receptive field of two kernel axes); about a third are known classes in a
new code shape or on a new component (the upstream gradient dropped in Softplus, a sign-based kink in
LeakyReLU, PReLU's slopes not broadcast in backward or laid out channels last, Maxout's output squeezed,
ELU's zero alpha taken as unset, Softmax's sum and backward dot on the last axis only, BatchNorm1d's mean not
broadcast and its statistics from a reshape for (N, C, L), ``np.add`` without ``out`` and ``out=``
overwriting a gradient, the MSE mean over axis 1, an array bias of the perceptron, RMSprop's decay added into
``p.grad``, NaN-ignoring ``nanmax``, the parameter list copied instead of the arrays, xavier_uniform in
float32). Each is a different edit from the catalogue's and sets A to N's. Ids start with ``hso-``.
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading: a catalogue
tag where one names the mistake, else a new descriptive tag; phrases are words any correct explanation would
contain, never text of numpy's or Python's own error messages.

Blind rate, measured before anybody read the set (session 14, on 23824a7 with sets A to N worked on, each
bug graded in the grader's sandbox): 53/71 named (75 %), 10 flagged misleading, 66/71 caught. One was removed
afterwards: an AvgPool2d backward that accumulates into np.empty (named, with a misleading overflow claim)
gives whatever the memory held, so its grading differs from run to run and cannot be held to a verdict. Two
more were found to be no mistake under docs/api.md and removed (both were not caught): relative_error with
np.nanmax (the API leaves a nan entry's result open, and the release self-checker tells students that
skipping nan entries is accepted), and Sigmoid's negative branch as 1 - p (it loses relative precision in
the far tail, as the accepted 0.5 + 0.5 tanh(x/2) does; both stay within the API's absolute tolerance).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hso-")  # set O

# ----------------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    fresh(
        "hso-sigmoid-exponential-computed-into-input",
        "activations.Sigmoid",
        "forward computes z = exp(-|x|) 'without temporaries' with out=x at each step: as_float_array returns the "
        "caller's float64 array itself, so the caller's input is overwritten with exp(-|x|); forward must leave "
        "its argument unchanged and compute into new arrays",
        (
            "        z = np.exp(-np.abs(x))\n        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        positive = x >= 0\n"
            "        z = np.exp(np.negative(np.abs(x, out=x), out=x), out=x)  # no temporary arrays\n"
            "        self._y = np.where(positive, 1.0 / (1.0 + z), z / (1.0 + z))\n",
        ),
        expect=("modifies-input",),
        phrases=("in place", "out=", "caller", "input", "new array"),
    ),
    fresh(
        "hso-relu-forward-half-sum-with-abs",
        "activations.ReLU",
        "forward writes max(0, x) as (x + |x|) / 2: for x above ~9e307 the sum x + |x| overflows to inf, so "
        "ReLU(1e308) comes out inf instead of 1e308; np.where or np.maximum never leave the range",
        (
            "        return np.where(self._mask, x, 0.0)\n",
            "        return 0.5 * (x + np.abs(x))  # max(0, x) without a comparison\n",
        ),
        expect=("overflow",),
        phrases=("overflow", "inf", "x + |x|", "large", "np.maximum"),
    ),
    fresh(
        "hso-selu-inner-elu-shared-on-class",
        "activations.SELU",
        "the inner ELU is created once as a class attribute, _elu = ELU(alpha), instead of in __init__: every SELU "
        "shares it, so with two SELU layers the second forward overwrites the first one's saved input and the "
        "first layer's backward uses the wrong x; each instance needs its own ELU",
        (
            "    def __init__(self) -> None:\n        super().__init__()\n        self._elu = ELU(alpha=SELU_ALPHA)\n",
            "    _elu = ELU(alpha=SELU_ALPHA)  # one inner ELU serves every SELU\n",
        ),
        expect=("shared-class-state",),
        phrases=("class attribute", "shared", "every instance", "own", "instance", "__init__"),
    ),
    fresh(
        "hso-softmax-sum-indexed-with-newaxis",
        "activations.Softmax",
        "forward puts the summed axis back with [..., None], which appends it at the end: right for dim = -1 only; "
        "for another dim the sums are broadcast along the last axis (wrong, or a shape error); keepdims=True "
        "keeps the axis where it was",
        (
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        self._y = e / np.sum(e, axis=self.dim)[..., None]  # put the summed axis back\n",
        ),
        expect=("softmax-wrong-axis", "keepdims-misuse", "reduction-without-keepdims"),  # added after reading output
        phrases=("keepdims", "dim", "last axis", "[..., none]", "axis"),
    ),
    fresh(
        "hso-softmax-backward-einsum-last-axis",
        "activations.Softmax",
        "backward forms sum(grad_y * y) with np.einsum('...i,...i->...') and [..., None]: the einsum always "
        "contracts the last axis, so for dim other than -1 the vector-Jacobian product sums over the wrong axis",
        (
            "        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            '        dot = np.einsum("...i,...i->...", grad_y, y)[..., None]  # <grad_y, y> per row\n'
            "        return y * (grad_y - dot)\n",
        ),
        expect=("softmax-backward-wrong-axis",),
        phrases=("dim", "last axis", "einsum", "axis", "keepdims"),
    ),
    fresh(
        "hso-softmax-negative-dim-resolved-in-place",
        "activations.Softmax",
        "forward turns a negative dim into a positive one with self.dim += x.ndim at the first call: the attribute "
        "no longer holds the argument, and a later input with another number of axes is normalised along the "
        "wrong axis (dim=-1 becomes 1 for a matrix, then means the rows of a 3-d input); resolve it in a local",
        (
            '        _check_dim(x, self.dim, "Softmax")\n        ### BEGIN SOLUTION\n',
            '        _check_dim(x, self.dim, "Softmax")\n'
            "        ### BEGIN SOLUTION\n"
            "        if self.dim < 0:\n"
            "            self.dim += x.ndim  # a non-negative axis from here on\n",
        ),
        expect=("hyperparameter-overwritten", "state-kept-between-calls"),
        phrases=("self.dim", "negative", "local variable", "every call", "ndim", "as given"),
    ),
    fresh(
        "hso-tanh-output-saved-in-training-only",
        "activations.Tanh",
        "forward keeps y for backward only in training mode ('backward is for training'): after eval() the "
        "backward uses the output of the last training forward, or fails if there was none; backward is defined "
        "for the last forward in either mode",
        (
            "        self._y = np.tanh(x)\n        return self._y\n",
            "        y = np.tanh(x)\n        if self.training:  # only training runs backward\n"
            "            self._y = y\n"
            "        return y\n",
        ),
        expect=("saved-state-stale", "train-eval", "saved-none"),  # added after reading output
        phrases=("eval", "training", "saved", "backward", "stale", "every forward"),
    ),
    fresh(
        "hso-leakyrelu-backward-slope-from-sign",
        "activations.LeakyReLU",
        "backward picks the slope with np.sign(x) >= 0: sign(0) is 0, so at x = 0 the derivative is 1 where "
        "PyTorch and the API take negative_slope (the x <= 0 branch)",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        slope = np.where(np.sign(self._x) >= 0, 1.0, self.negative_slope)  # sign: +1 or -1\n"
            "        return grad_y * slope\n",
        ),
        expect=("kink-derivative",),
        phrases=("x = 0", "kink", "sign", "negative_slope", "<= 0", "zero"),
    ),
    fresh(
        "hso-prelu-backward-slope-not-broadcast",
        "activations.PReLU",
        "backward multiplies by self.weight.data, not by the slopes reshaped to (1, C, 1, ...) that forward used: "
        "a (C,) vector broadcasts along the last axis, so with num_parameters = C and images (N, C, H, W) the "
        "slopes land on the width (wrong, or a shape error)",
        (
            "        return np.where(negative, self._a * grad_y, grad_y)\n",
            "        return np.where(negative, self.weight.data * grad_y, grad_y)\n",
        ),
        expect=("prelu-slope-broadcast", "broadcast-wrong-axis"),
        phrases=("axis 1", "channel", "reshape", "broadcast", "(1, c, 1, 1)", "last axis"),
    ),
    fresh(
        "hso-prelu-slopes-channels-last",
        "activations.PReLU",
        "the slopes are shaped (1, ..., 1, C), one per entry of the last axis, the channels-last layout: for "
        "(N, C) that is axis 1, but for images (N, C, H, W) the slopes run along the width while the API (and "
        "backward's sum) put channel i on axis 1",
        (
            "        return (1, self.num_parameters) + (1,) * (ndim - 2)\n",
            "        return (1,) * (ndim - 1) + (self.num_parameters,)  # one slope per channel (last axis)\n",
        ),
        expect=("channels-last-layout", "prelu-slope-broadcast"),
        phrases=("axis 1", "channel", "last axis", "(1, c, 1, 1)", "channels-last"),
    ),
    fresh(
        "hso-elu-zero-alpha-taken-as-default",
        "activations.ELU",
        "the constructor keeps float(alpha) or 1.0 ('no alpha: the default'): alpha = 0 is falsy and becomes 1, "
        "so ELU(alpha=0), a plain ReLU, computes e^x - 1 on the negative side",
        (
            "        self.alpha = float(alpha)\n",
            "        self.alpha = float(alpha) or 1.0  # no alpha given: the default\n",
        ),
        expect=("zero-taken-as-unset", "hyperparameter-ignored"),  # added after reading output
        phrases=("alpha = 0", "zero", "or", "falsy", "default", "none"),
    ),
    fresh(
        "hso-softplus-backward-without-upstream",
        "activations.Softplus",
        "backward returns the local derivative, np.where(linear, 1, sigmoid(beta x)), without multiplying by "
        "grad_y: the chain rule needs grad_y * softplus'(x)",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        return np.where(self._linear, 1.0, self._s)  # softplus' is the sigmoid\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("grad_y", "upstream", "chain rule", "multipl", "local derivative"),
    ),
    fresh(
        "hso-gelu-default-approximate-tanh",
        "activations.GELU",
        "the constructor's default is approximate='tanh' (JAX's default): GELU() must be the exact x Phi(x), as "
        "PyTorch's default approximate='none'; the tanh form differs by up to ~1e-3",
        (
            '    def __init__(self, approximate: str = "none") -> None:\n',
            '    def __init__(self, approximate: str = "tanh") -> None:  # the fast form by default\n',
        ),
        expect=("default-changed", "gelu-tanh-approximation"),
        phrases=("default", "approximate", "none", "exact", "erf"),
    ),
    fresh(
        "hso-logsoftmax-default-dim-zero",
        "activations.LogSoftmax",
        "the default dim is 0, 'axis 0 holds the classes': the first axis is the batch, so LogSoftmax() normalises "
        "each class over the samples; the API's (and PyTorch's usual) default is the last axis, dim = -1",
        (
            'Cross-entropy is built on this.\n    """\n\n    def __init__(self, dim: int = -1) -> None:\n',
            'Cross-entropy is built on this.\n    """\n\n'
            "    def __init__(self, dim: int = 0) -> None:  # axis 0: the classes\n",
        ),
        expect=("default-changed", "softmax-wrong-axis"),
        phrases=("dim=-1", "default", "last axis", "axis 0", "batch", "classes"),
    ),
    fresh(
        "hso-maxout-output-squeezed",
        "activations.Maxout",
        "forward drops the piece axis with .squeeze() instead of [:, 0, :]: squeeze removes every length-one "
        "axis, so a batch of one sample or a layer with one unit returns (M,), (N,) or () instead of (N, M)",
        (
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1).squeeze()  # drop the piece axis\n",
        ),
        expect=("squeezed-output", "length-one-axis"),
        phrases=("squeeze", "axis=1", "(n, m)", "length one", "batch of one", "one unit"),
    ),
]

# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    fresh(
        "hso-linear-output-buffer-reused",
        "layers.Linear",
        "forward writes x @ W.T into an output buffer kept on the layer (np.matmul(..., out=self._out)) and "
        "returns it: every forward with the same batch size returns the same array, so an output returned "
        "earlier changes when the layer runs again; forward must return a new array each call",
        (
            "        y = x @ self.weight.data.T\n",
            '        if getattr(self, "_out", None) is None or self._out.shape != self._y_shape:\n'
            "            self._out = np.empty(self._y_shape)  # allocated once per batch size\n"
            "        y = np.matmul(x, self.weight.data.T, out=self._out)\n",
        ),
        expect=("state-kept-between-calls", "aliasing"),
        phrases=("same array", "new array", "every call", "buffer", "overwrit", "earlier output"),
    ),
    fresh(
        "hso-linear-weight-grad-np-add-discarded",
        "layers.Linear",
        "backward accumulates with np.add(weight.grad, grad_y.T @ x): without out= np.add returns a new array and "
        "leaves weight.grad untouched, so the weight gradient stays zero; use += (or out=weight.grad)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n",
            "        np.add(self.weight.grad, grad_y.T @ self._x)  # accumulate into the gradient\n",
        ),
        expect=("result-discarded",),
        phrases=("out=", "result", "discarded", "+=", "never stored"),
    ),
    fresh(
        "hso-conv-padded-buffer-float32",
        "layers.Conv2d",
        "the zero-padded input is allocated as float32 'to halve the memory': the input is rounded to ~7 digits "
        "before the product, so the outputs and the weight gradient (from those columns) lose precision; the API "
        "computes in float64",
        (
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n",
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW), dtype=np.float32)  # half the memory\n",
        ),
        # added after reading output (tag-vocabulary audit): low-precision
        expect=("float32", "low-precision"),
        phrases=("float32", "float64", "precision", "dtype", "rounded"),
    ),
    fresh(
        "hso-conv-bias-grad-sum-out-overwrites",
        "layers.Conv2d",
        "backward sums the bias gradient straight into it with G.sum(axis=1, out=bias.grad): out= overwrites "
        "bias.grad with this batch's sum instead of adding to it, so gradients from earlier backward calls are lost",
        (
            "            self.bias.grad += G.sum(axis=1)\n",
            "            G.sum(axis=1, out=self.bias.grad)  # summed straight into the gradient\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),  # added after reading output
        phrases=("+=", "accumulate", "out=", "overwrit", "add"),
    ),
    fresh(
        "hso-conv-circular-padding",
        "layers.Conv2d",
        "the input is padded with np.pad(..., mode='wrap'), 'the border continues on the other side': the API's "
        "(and PyTorch's default) padding is zeros, so every output whose window reaches into the border is wrong",
        (
            "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n        xp[:, :, pH:pH + H, pW:pW + W] = x\n",
            '        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), mode="wrap")  # circular padding\n',
        ),
        expect=("padding-not-zeros",),
        phrases=("zeros", "padding", "wrap", "border", "np.pad"),
    ),
    fresh(
        "hso-maxpool-stride-defaults-to-one",
        "layers.MaxPool2d",
        "the stride defaults to 1 when none is given, as for a convolution: PyTorch's pooling defaults the stride "
        "to kernel_size (windows side by side), so MaxPool2d(2) must halve the image, not slide one step at a time",
        (
            '        self.stride = self.kernel_size if stride is None else pair(stride, "stride")\n',
            '        self.stride = (1, 1) if stride is None else pair(stride, "stride")  # one step at a time\n',
        ),
        expect=("default-changed", "stride-default"),
        phrases=("stride", "default", "kernel_size", "side by side", "overlap"),
    ),
    fresh(
        "hso-maxpool-backward-chained-fancy-index",
        "layers.MaxPool2d",
        "backward scatters with grad_x[:, :, rows][:, :, :, cols] += ...: indexing with an array makes a copy, "
        "so the second index and the += act on that copy and grad_x is never written (all zeros); one basic "
        "slice per axis, or a single index expression, writes into grad_x itself",
        (
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "                rows, cols = np.arange(i, i + sH * Ho, sH), np.arange(j, j + sW * Wo, sW)\n"
            "                grad_x[:, :, rows][:, :, :, cols] += np.where(won, grad_y, 0.0)\n",
        ),
        expect=("copy-not-view", "result-discarded", "view-rebound"),  # added after reading output
        phrases=("copy", "fancy index", "view", "chained", "never written", "zeros"),
    ),
    fresh(
        "hso-avgpool-mean-keepdims-squeezed",
        "layers.AvgPool2d",
        "forward averages with keepdims=True and then .squeeze() to drop the window axes: squeeze also drops the "
        "batch, channel or output axes of length one, so a single image, one channel or a one-window output "
        "loses an axis of the (N, C, H', W') result",
        (
            "        y = windows.mean(axis=(4, 5))\n",
            "        y = windows.mean(axis=(4, 5), keepdims=True).squeeze()  # drop the window axes\n",
        ),
        expect=("squeezed-output", "length-one-axis"),
        phrases=("squeeze", "length one", "(n, c, h', w')", "axis", "batch of one"),
    ),
    fresh(
        "hso-flatten-ravel-memory-order",
        "layers.Flatten",
        "forward flattens with x.ravel(order='K') ('no copy, the fastest order'): K follows the memory layout, "
        "so a non-contiguous input (a transposed view, such as Conv2d's output) is flattened in memory order, "
        "not the row-major order the API and backward's reshape use",
        (
            "        y = x.reshape(self._y_shape)\n",
            '        y = x.ravel(order="K").reshape(self._y_shape)  # K: no copy, the fastest order\n',
        ),
        expect=("reshape-order", "non-contiguous-input"),
        phrases=("order", "memory", "row-major", "c order", "contiguous"),
    ),
    fresh(
        "hso-dropout-mode-read-at-construction",
        "layers.Dropout",
        "the constructor stores self._active = self.training and forward tests _active: the mode is read once, "
        "when the layer is built (training), so after eval() the layer still drops and rescales; forward must "
        "look at self.training at every call",
        span(
            "layers",
            (
                "        self.rng = default_generator() if rng is None else rng\n",
                "        self.rng = default_generator() if rng is None else rng\n"
                "        self._active = self.training  # dropout on while training\n",
            ),
            (
                "        if self.training:\n            keep = self.rng",
                "        if self._active:\n            keep = self.rng",
            ),
        ),
        expect=("dropout-active-in-eval", "train-eval"),
        phrases=("eval", "training", "every forward", "self.training", "mode"),
    ),
    fresh(
        "hso-bn1d-mean-not-broadcast-for-sequences",
        "layers.BatchNorm1d",
        "forward centres with x - mean, the (C,) vector not reshaped to (1, C, 1): right for (N, C), but for "
        "sequences (N, C, L) the means broadcast along the last axis L (a shape error, or wrong when L == C)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                        "        self._x_hat = (x - mean) * self._inv_std\n",
                    )
                ]
            },
        ),
        expect=("broadcast-wrong-axis", "bn-wrong-axes"),
        phrases=("(n, c, l)", "axis 1", "reshape", "broadcast", "channel"),
    ),
    fresh(
        "hso-bn1d-sequence-stats-from-row-reshape",
        "layers.BatchNorm1d",
        "the statistics come from x.reshape(-1, C), 'one row per sample and position': for (N, C, L) a row-major "
        "reshape does not move the channel axis last, so each 'column' mixes channels and positions; the "
        "channels must be moved to the end (transpose) first, or the means taken over axes (0, 2)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            mean = x.mean(axis=axes)\n"
                        "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                        "            rows = x.reshape(-1, self.num_features)  # one row per (sample, position)\n"
                        "            mean = rows.mean(axis=0)\n"
                        "            var = rows.var(axis=0)  # biased (divides by count): what normalises this batch\n",
                    )
                ]
            },
        ),
        expect=("reshape-not-transpose", "bn-wrong-axes"),
        phrases=("transpose", "moveaxis", "channel", "reshape", "(n, c, l)", "axis 1"),
    ),
    fresh(
        "hso-bn-eps-default-keras",
        "layers.BatchNorm2d",
        "the constructor's default eps is 1e-3 (Keras' BatchNormalization): PyTorch's and the API's default is "
        "1e-05, so BatchNorm2d(C) divides by sqrt(var + 1e-3) and its outputs and gradients are off",
        (
            "    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:\n",
            "    def __init__(self, num_features: int, eps: float = 1e-3, momentum: float = 0.1) -> None:\n",
        ),
        expect=("default-changed", "eps-default"),
        phrases=("1e-05", "default", "eps", "pytorch", "1e-3"),
    ),
]

# ----------------------------------------------------------------------------------------- losses
LOSSES = [
    fresh(
        "hso-mse-mean-per-sample-over-axis-one",
        "losses.MSELoss",
        "the loss is the batch mean of per-sample means, np.mean(np.mean(d**2, axis=1)): the same number for 2-d "
        "inputs, but MSELoss takes any shape, and a 1-d input (N,) has no axis 1 (an error); the mean over "
        "every entry is np.mean(d**2)",
        (
            "        loss = np.mean(self._diff**2)\n",
            "        loss = np.mean(np.mean(self._diff**2, axis=1))  # per sample, then over the batch\n",
        ),
        expect=("fixed-number-of-axes",),
        phrases=("any shape", "1-d", "axis", "np.mean", "every entry", "(n,)"),
    ),
    fresh(
        "hso-bce-log-where-without-out",
        "losses.BCELoss",
        "the log is taken as np.log(p, where=p > 0) to skip log 0: without out= the entries where p == 0 are left "
        "uninitialised (whatever was in memory), not -inf, so the clamp at -100 sees garbage and the loss is "
        "wrong exactly where a probability is 0",
        (
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n",
            "            log_p = np.maximum(np.log(p, where=p > 0), LOG_CLAMP)  # no log of 0\n",
        ),
        expect=("ufunc-where-without-out", "bce-clamp"),
        phrases=("out=", "where=", "uninitialised", "p = 0", "garbage", "-100"),
    ),
    fresh(
        "hso-bce-logits-sigmoid-kept-while-shape-matches",
        "losses.BCEWithLogitsLoss",
        "forward recomputes the saved sigmoid only when the input's shape changes ('same batch size, same "
        "probabilities'): the next batch of the same shape keeps the previous logits' sigmoid, so backward "
        "returns a stale gradient; it must be computed at every forward",
        (
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
            '        if getattr(self, "_s", None) is None or self._s.shape != x.shape:\n'
            "            self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)  # once per input shape\n",
        ),
        expect=("cached-first-call", "saved-state-stale"),
        phrases=("every call", "stale", "cache", "recompute", "same shape", "previous"),
    ),
    fresh(
        "hso-ce-input-taken-as-probabilities",
        "losses.CrossEntropyLoss",
        "the input is taken as probabilities, log_probs = log(clip(x, 1e-12)): CrossEntropyLoss takes raw "
        "logits and applies log-softmax itself (PyTorch's semantics), so the loss and the gradient x - onehot "
        "are wrong (and logits <= 0 all count as 1e-12)",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "        log_probs = np.log(np.clip(x, 1e-12, None))  # the network already outputs probabilities\n",
        ),
        expect=("input-taken-as-probabilities", "softmax-missing"),
        phrases=("logits", "softmax", "probabilities", "log_softmax", "raw scores"),
    ),
    fresh(
        "hso-ce-nll-of-raw-logits",
        "losses.CrossEntropyLoss",
        "the loss is -mean(x[n, y_n]), NLLLoss on the input itself: that is cross-entropy only for inputs that "
        "already are log-probabilities; CrossEntropyLoss = NLL of log_softmax(logits), so the log-sum-exp term "
        "is missing from the value",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(x[np.arange(N), self._labels])  # NLL of the true class\n",
        ),
        expect=("nll-without-log-softmax",),
        phrases=("log_softmax", "logits", "nllloss", "log-probabilities", "logsumexp"),
    ),
    fresh(
        "hso-hinge-true-class-count-bincount",
        "losses.HingeLoss",
        "backward counts each row's violations with np.bincount(np.nonzero(active)[0]): bincount's length is the "
        "last row with a violation plus one, so when the last samples violate nothing the counts are too short "
        "(a shape error); minlength=N, or active.sum(axis=1), counts every row",
        (
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n",
            "        grad[np.arange(N), self._labels] = -np.bincount(np.nonzero(self._active)[0])  # per row\n",
        ),
        expect=("bincount-without-minlength", "hinge-true-class-count"),
        phrases=("minlength", "bincount", "last row", "per row", "sum(axis=1)"),
    ),
    fresh(
        "hso-hinge-true-class-zeroed-with-np-put",
        "losses.HingeLoss",
        "the true classes are taken out with np.put(slack, labels, 0): np.put indexes the flattened array, so "
        "labels are flat positions in the first row, not (row n, column y_n); the true class of every other row "
        "stays in the sum with slack = margin",
        (
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
            "        np.put(slack, self._labels, 0.0)  # the true class is not compared with itself\n",
        ),
        expect=("flat-index-on-nd-array", "hinge-counts-true-class"),
        phrases=("flat", "np.put", "row", "rows, labels", "first row", "true class"),
    ),
]

# ----------------------------------------------------------------------------------------- optimizers
OPTIMIZERS = [
    fresh(
        "hso-sgd-state-generator-expression",
        "optimizers.SGD",
        "the per-parameter state is written in parentheses, ({...} for _ in params): a generator, not a list, so "
        "the first step's zip consumes it and the second step finds it exhausted (zip(strict=True) fails, and "
        "the momentum buffers are lost); square brackets make the list",
        (
            '        self.state: list[dict[str, np.ndarray | None]] = [{"momentum_buffer": None} for _ in'
            " self.params]\n",
            '        self.state = ({"momentum_buffer": None} for _ in self.params)  # one dict per parameter\n',
        ),
        expect=("iterator-exhausted",),
        phrases=("generator", "exhausted", "list", "square brackets", "second step", "once"),
    ),
    fresh(
        "hso-sgd-step-lr-default-argument",
        "optimizers.SGD",
        "step takes the learning rate as an argument with a default, step(self, lr=0.001), and steps with it: "
        "optimizer.step() (as fit calls it) ignores the lr given to the constructor",
        span(
            "optimizers",
            (
                '    def step(self) -> None:\n        """Update every parameter from its gradient (see the class '
                'docstring)."""\n        ### BEGIN SOLUTION\n        for p, state in zip(',
                '    def step(self, lr: float = 0.001) -> None:\n        """Update every parameter from its gradient '
                '(see the class docstring)."""\n        ### BEGIN SOLUTION\n        for p, state in zip(',
            ),
            ("            p.data -= self.lr * g\n", "            p.data -= lr * g\n"),
        ),
        expect=("hyperparameter-ignored", "lr-ignored"),
        phrases=("self.lr", "lr", "constructor", "step()", "default"),
    ),
    fresh(
        "hso-sgd-default-lr-keras",
        "optimizers.SGD",
        "the constructor's default learning rate is 0.01 (Keras' SGD): PyTorch's and the API's default is 0.001, "
        "so SGD(params) steps ten times too far",
        (
            "        lr: float = 0.001,\n        momentum: float = 0.0,\n",
            "        lr: float = 0.01,\n        momentum: float = 0.0,\n",
        ),
        expect=("default-changed",),
        phrases=("0.001", "default", "lr", "pytorch"),
    ),
    fresh(
        "hso-adagrad-state-dict-shared-by-list-multiplication",
        "optimizers.Adagrad",
        "the state is [{}] * len(params), each dict's sum filled in at the first step: list multiplication repeats "
        "one dict, so every parameter reads and writes the same 'sum' (the first parameter's, of its shape); "
        "a comprehension makes one dict per parameter",
        span(
            "optimizers",
            (
                "        self.state = [\n"
                '            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value, dtype=np.float64)} '
                "for p in self.params\n        ]\n",
                "        self.state = [{}] * len(self.params)  # one state dict per parameter, filled at the first"
                " step\n",
            ),
            (
                '            state["sum"] = state["sum"] + g * g\n',
                "            start = np.full(np.shape(p.data), self.initial_accumulator_value)\n"
                '            state["sum"] = state.get("sum", start) + g * g\n',
            ),
        ),
        expect=("state-shared-between-parameters", "aliasing"),
        phrases=("same dict", "one dict", "* len", "list multiplication", "every parameter", "shared"),
    ),
    fresh(
        "hso-rmsprop-loop-skips-first-parameter",
        "optimizers.RMSprop",
        "step loops for i in range(1, len(params)), counting from 1: the first parameter (index 0) is never updated",
        (
            "        a = self.alpha\n        for p, state in zip(self.params, self.state, strict=True):\n",
            "        a = self.alpha\n"
            "        for i in range(1, len(self.params)):\n"
            "            p, state = self.params[i], self.state[i]\n",
        ),
        expect=("loop-off-by-one", "entries-skipped"),
        phrases=("first parameter", "index 0", "range(len", "never updated", "off by one"),
    ),
    fresh(
        "hso-rmsprop-weight-decay-added-into-grad",
        "optimizers.RMSprop",
        "weight decay is added with g += wd * p: g comes from np.asarray(p.grad), which is p.grad itself, so "
        "step changes p.grad in place (the API leaves it as it was); g = g + wd * p makes a new array",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["square_avg"] = a * ',
            "            if self.weight_decay != 0:\n"
            "                g += self.weight_decay * p.data  # the L2 term joins the gradient\n"
            '            state["square_avg"] = a * ',
        ),
        expect=("modifies-grad",),
        phrases=("p.grad", "in place", "new array", "g = g +", "asarray"),
    ),
    fresh(
        "hso-adadelta-state-fromkeys-one-array",
        "optimizers.Adadelta",
        "the state is dict.fromkeys(('square_avg', 'acc_delta'), zeros): fromkeys gives every key the same "
        "array, and the in-place updates (*=, +=) then move one array for both averages, so the gradient and "
        "step averages are mixed; each needs its own zeros",
        span(
            "optimizers",
            (
                '        self.state = [{"square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)} for p in'
                " self.params]\n",
                '        self.state = [dict.fromkeys(("square_avg", "acc_delta"), _zeros_like(p)) for p in'
                " self.params]\n",
            ),
            (
                '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
                '            state["square_avg"] *= rho\n            state["square_avg"] += (1.0 - rho) * g * g\n',
            ),
            (
                '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
                '            state["acc_delta"] *= rho\n'
                '            state["acc_delta"] += (1.0 - rho) * delta * delta\n',
            ),
        ),
        expect=("aliasing", "state-shared-between-parameters"),
        phrases=("fromkeys", "same array", "one array", "square_avg", "acc_delta", "shared"),
    ),
    fresh(
        "hso-adam-state-template-shallow-copy",
        "optimizers.Adam",
        "the state is template.copy() of one dict of zeros sized by the first parameter: dict.copy is shallow "
        "(the arrays are shared) and every parameter starts from the first one's shape, so a parameter of "
        "another shape is broadcast against wrong zeros (a shape error, or a state of the wrong shape)",
        (
            "        self.state = [\n"
            '            {"exp_avg": _zeros_like(p), "exp_avg_sq": _zeros_like(p), "max_exp_avg_sq": _zeros_like(p)}\n'
            "            for p in self.params\n"
            "        ]\n",
            "        zeros = _zeros_like(self.params[0])\n"
            '        template = {"exp_avg": zeros, "exp_avg_sq": zeros, "max_exp_avg_sq": zeros}\n'
            "        self.state = [template.copy() for _ in self.params]  # a fresh dict per parameter\n",
        ),
        expect=("state-shared-between-parameters", "wrong-shape"),
        phrases=("shape", "first parameter", "every parameter", "its own", "copy", "zeros_like(p)"),
    ),
    fresh(
        "hso-adam-default-eps-keras",
        "optimizers.Adam",
        "the constructor's default eps is 1e-7 (Keras' Adam): PyTorch's and the API's default is 1e-08, which "
        "matters wherever sqrt(v) is small",
        (
            "        betas: tuple[float, float] = (0.9, 0.999),\n        eps: float = 1e-8,\n"
            "        weight_decay: float = 0.0,\n",
            "        betas: tuple[float, float] = (0.9, 0.999),\n        eps: float = 1e-7,\n"
            "        weight_decay: float = 0.0,\n",
        ),
        expect=("default-changed", "eps-default"),
        phrases=("1e-08", "default", "eps", "pytorch", "1e-7"),
    ),
    fresh(
        "hso-adamw-default-weight-decay-keras",
        "optimizers.AdamW",
        "the constructor's default weight_decay is 0.004 (Keras' AdamW): PyTorch's and the API's default is 0.01",
        (
            "        eps: float = 1e-8,\n        weight_decay: float = 0.01,\n",
            "        eps: float = 1e-8,\n        weight_decay: float = 0.004,\n",
        ),
        expect=("default-changed",),
        phrases=("0.01", "default", "weight_decay", "pytorch"),
    ),
    fresh(
        "hso-adamw-super-positional-order",
        "optimizers.AdamW",
        "the constructor passes its arguments to Adam positionally as (params, lr, betas, weight_decay, eps, "
        "amsgrad): Adam's order is lr, betas, eps, weight_decay, so eps gets the weight decay (0.01) and the "
        "decay gets eps (1e-8); pass them by keyword",
        (
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,"
            " amsgrad=amsgrad)\n",
            "        super().__init__(params, lr, betas, weight_decay, eps, amsgrad)\n",
        ),
        expect=("hyperparameters-swapped", "wrong-hyperparameter"),
        phrases=("positional", "keyword", "eps", "weight_decay", "order", "swapped"),
    ),
]

# ----------------------------------------------------------------------------------------- init
INIT = [
    fresh(
        "hso-fans-receptive-field-two-kernel-axes",
        "init.fan_in_and_fan_out",
        "the receptive field is math.prod(shape[2:4]), 'the kernel's height and width': a 3-d convolution weight "
        "(out, in, kD, kH, kW) loses its last kernel axis; the receptive field is the product of every axis "
        "after the first two, shape[2:]",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = math.prod(shape[2:4])  # the kernel's height and width\n",
        ),
        expect=("receptive-field-partial",),
        phrases=("every kernel axis", "shape[2:]", "3-d", "kernel", "receptive field"),
    ),
    fresh(
        "hso-xavier-uniform-drawn-in-float32",
        "init.xavier_uniform",
        "the weights are cast to float32, 'PyTorch's default dtype': the API returns float64 arrays everywhere",
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def xavier_normal",
            "    weight = rng.uniform(-bound, bound, size=shape).astype(np.float32)  # PyTorch's default dtype\n"
            "    ### END SOLUTION\n    return weight\n\n\ndef xavier_normal",
        ),
        expect=("float32",),
        phrases=("float32", "float64", "dtype", "pytorch"),
    ),
    fresh(
        "hso-xavier-normal-std-memoised-per-shape",
        "init.xavier_normal",
        "the std is memoised per shape in a default argument, _stds={} with setdefault: the dict lives as long "
        "as the function, so a later call with the same shape but another gain reuses the first call's std",
        span(
            "init",
            (
                "def xavier_normal(shape: Sequence[int], gain: float = 1.0, rng: np.random.Generator | None = None)"
                " -> np.ndarray:\n",
                "def xavier_normal(\n"
                "    shape: Sequence[int], gain: float = 1.0, rng: np.random.Generator | None = None, _stds={}\n"
                ") -> np.ndarray:\n",
            ),
            (
                "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n",
                "    std = _stds.setdefault(shape, gain * math.sqrt(2.0 / (fan_in + fan_out)))  # once per shape\n",
            ),
        ),
        expect=("cached-first-call", "mutable-default-argument"),
        phrases=("gain", "default argument", "every call", "cache", "shape", "first call"),
    ),
    fresh(
        "hso-kaiming-uniform-gain-cached-on-function",
        "init.kaiming_uniform",
        "the gain is worked out at the first call and kept as an attribute of the function ('a constant'): it "
        "depends on nonlinearity and a, so every later call with other arguments uses the first call's gain",
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
            '    if not hasattr(kaiming_uniform, "gain"):  # the gain is a constant: work it out once\n'
            "        kaiming_uniform.gain = calculate_gain(nonlinearity, a)\n"
            "    gain = kaiming_uniform.gain\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("cached-first-call", "state-kept-between-calls"),
        phrases=("first call", "every call", "nonlinearity", "gain", "cache"),
    ),
    fresh(
        "hso-kaiming-uniform-default-nonlinearity-relu",
        "init.kaiming_uniform",
        "the default nonlinearity is 'relu' (as torchvision passes it): the API's default is 'leaky_relu', whose "
        "gain uses a; with 'relu' the slope a is ignored, so kaiming_uniform(shape, a=0.2) keeps the gain sqrt(2)",
        (
            '    mode: str = "fan_in",\n    nonlinearity: str = "leaky_relu",\n'
            "    rng: np.random.Generator | None = None,"
            '\n) -> np.ndarray:\n    """A new float64 array from ``U(-b, b)``',
            '    mode: str = "fan_in",\n    nonlinearity: str = "relu",\n    rng: np.random.Generator | None = None,'
            '\n) -> np.ndarray:\n    """A new float64 array from ``U(-b, b)``',
        ),
        expect=("default-changed", "a-ignored"),
        phrases=("leaky_relu", "default", "slope", "nonlinearity", "a is ignored"),
    ),
    fresh(
        "hso-kaiming-normal-default-mode-fan-out",
        "init.kaiming_normal",
        "the default mode is 'fan_out' (as torchvision's ResNets pass it): the API's (and torch.nn.init's) "
        "default is 'fan_in', so kaiming_normal(shape) scales by the wrong fan",
        (
            '    mode: str = "fan_in",\n    nonlinearity: str = "leaky_relu",\n'
            "    rng: np.random.Generator | None = None,"
            '\n) -> np.ndarray:\n    """A new float64 array from ``N(0, std^2)``',
            '    mode: str = "fan_out",\n    nonlinearity: str = "leaky_relu",\n'
            "    rng: np.random.Generator | None = None,"
            '\n) -> np.ndarray:\n    """A new float64 array from ``N(0, std^2)``',
        ),
        expect=("default-changed",),
        phrases=("fan_in", "default", "mode", "fan_out"),
    ),
]

# ----------------------------------------------------------------------------------------- training
TRAINING = [
    fresh(
        "hso-minibatches-order-through-set",
        "training.minibatches",
        "the permutation is passed through a set, list(set(rng.permutation(N))), 'so each sample comes once': a "
        "set of small ints iterates in sorted order, so the shuffle is undone and the batches come in stored order",
        (
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
            "        order = list(set(rng.permutation(len(X))))  # each sample exactly once\n",
        ),
        expect=("shuffle-ignored", "set-loses-order"),
        phrases=("set", "order", "sorted", "shuffle", "permutation"),
    ),
    fresh(
        "hso-minibatches-shuffle-default-on",
        "training.minibatches",
        "the default is shuffle=True (as in Keras' fit): the API's minibatches(X, y) keeps the stored order unless "
        "shuffle is asked for",
        (
            "    batch_size: int | None = None,\n    shuffle: bool = False,\n"
            "    rng: np.random.Generator | None = None,\n"
            ") -> Iterator",
            "    batch_size: int | None = None,\n    shuffle: bool = True,\n"
            "    rng: np.random.Generator | None = None,\n"
            ") -> Iterator",
        ),
        expect=("default-changed",),
        phrases=("shuffle", "default", "false", "stored order"),
    ),
    fresh(
        "hso-fit-history-default-argument",
        "training.fit",
        "the list of epoch losses is a default argument, history=[]: the default is made once, so every call of "
        "fit appends to the same list and returns the losses of all earlier calls too (fit_early_stopping's one "
        "epoch at a time then gets a growing list)",
        span(
            "training",
            (
                "    rng: np.random.Generator | None = None,\n) -> list[float]:\n",
                "    rng: np.random.Generator | None = None,\n"
                "    history: list[float] = [],  # the per-epoch losses\n"
                ") -> list[float]:\n",
            ),
            ("    history: list[float] = []\n", ""),
        ),
        expect=("mutable-default-argument", "state-kept-between-calls"),
        phrases=("default argument", "once", "every call", "new list", "previous call"),
    ),
    fresh(
        "hso-fit-epochs-counted-down-per-batch",
        "training.fit",
        "the epochs are counted down with while epochs > 0 and epochs -= 1 indented into the batch loop: every "
        "batch uses up an epoch, so with k batches per epoch only about epochs / k passes run (and the history "
        "is that short)",
        span(
            "training",
            ("    for _ in range(epochs):\n        total = 0.0\n", "    while epochs > 0:\n        total = 0.0\n"),
            (
                "            total += float(loss) * len(X_batch)\n",
                "            total += float(loss) * len(X_batch)\n            epochs -= 1\n",
            ),
        ),
        expect=("fit-epochs", "loop-off-by-one"),
        phrases=("epochs", "per epoch", "batch", "indent", "number of epochs"),
    ),
    fresh(
        "hso-fit-loss-object-called",
        "training.fit",
        "fit calls the loss object, loss_fn(output, y_batch), the PyTorch way: the API's losses have forward and "
        "backward and need not be callable; library code calls forward by name",
        (
            "            loss = loss_fn.forward(output, y_batch)\n",
            "            loss = loss_fn(output, y_batch)  # PyTorch style\n",
        ),
        expect=("layer-called",),
        phrases=("forward", "__call__", "callable", "loss_fn.forward", "duck"),
    ),
]

# ----------------------------------------------------------------------------------------- models
MODELS = [
    fresh(
        "hso-sequential-parameters-default-list",
        "models.Sequential",
        "parameters(self, params=[]) extends a default-argument list: the default is created once, so each call "
        "appends every parameter again and returns one growing list (duplicates; an optimizer built after a "
        "second call steps each parameter twice)",
        (
            '    def parameters(self) -> list[Parameter]:\n        """Every layer\'s parameters, concatenated in layer '
            'order."""\n        return [p for layer in self.layers for p in layer.parameters()]\n',
            '    def parameters(self, params: list = []) -> list[Parameter]:\n        """Every layer\'s '
            'parameters, concatenated in layer order."""\n        for layer in self.layers:\n'
            "            params.extend(layer.parameters())\n        return params\n",
        ),
        expect=("mutable-default-argument",),
        phrases=("default argument", "every call", "new list", "grows", "duplicate", "once"),
    ),
    fresh(
        "hso-perceptron-integer-weights",
        "models.Perceptron",
        "the weights start as np.zeros(n, dtype=int) and update adds in place, weight += lr * error * x: the "
        "start is not the float64 array the API asks for, and adding floats into an int array in place fails "
        "(or truncates); float64 zeros, or weight = weight + ...",
        span(
            "models",
            (
                "        self.weight = np.zeros(self.n_features, dtype=np.float64)\n",
                "        self.weight = np.zeros(self.n_features, dtype=int)  # start from the zero vector\n",
            ),
            (
                "        self.weight = self.weight + self.lr * error * x\n",
                "        self.weight += self.lr * error * x\n",
            ),
        ),
        expect=("integer-dtype",),
        phrases=("float64", "int", "dtype", "in place", "cast"),
    ),
    fresh(
        "hso-perceptron-fit-all-short-circuits",
        "models.Perceptron",
        "an epoch is all(update(x, t) == 0 for ...): all() stops at the first mistake, so the rest of the epoch's "
        "samples are never visited; every sample must be updated before the epoch is judged",
        (
            "        for _ in range(max_epochs):\n"
            "            mistakes = 0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n",
            "        for _ in range(max_epochs):\n"
            "            if all(self.update(x, target) == 0.0 for x, target in zip(X, y, strict=True)):\n"
            "                return True  # an epoch without a mistake\n",
        ),
        expect=("entries-skipped", "short-circuit"),
        phrases=("all(", "short-circuit", "first mistake", "every sample", "rest of the epoch"),
    ),
    fresh(
        "hso-perceptron-bias-as-array",
        "models.Perceptron",
        "the bias starts as np.zeros(1), 'an array like the weights': the API's bias is a float, and it stays a "
        "shape-(1,) array through the updates",
        ("        self.bias = 0.0\n", "        self.bias = np.zeros(1)  # one bias, an array like the weights\n"),
        expect=("wrong-type",),
        phrases=("float", "bias", "scalar", "array", "shape (1,)"),
    ),
]

# ----------------------------------------------------------------------------------------- gradcheck
GRADCHECK = [
    fresh(
        "hso-numgrad-index-iterator-reused-for-second-pass",
        "gradcheck.numerical_gradient",
        "the + probes and the - probes are two loops over one indices = np.ndindex(x.shape): ndindex is an "
        "iterator, exhausted by the first loop, so the second loop never runs and the gradient stays zero",
        (
            "    for index in np.ndindex(x.shape):\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "    indices = np.ndindex(x.shape)\n"
            "    f_plus = {}\n"
            "    for index in indices:  # first pass: every + probe\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus[index] = float(f(x))\n"
            "        x[index] = original\n"
            "    for index in indices:  # second pass: every - probe\n"
            "        original = x[index]\n"
            "        x[index] = original - h\n"
            "        grad[index] = (f_plus[index] - float(f(x))) / (2 * h)\n"
            "        x[index] = original\n",
        ),
        expect=("iterator-exhausted",),
        phrases=("exhausted", "iterator", "second loop", "ndindex", "once"),
    ),
    fresh(
        "hso-numgrad-restore-with-ellipsis",
        "gradcheck.numerical_gradient",
        "each probe is undone with x[...] = original: the ellipsis assigns the whole array, so every entry of x "
        "becomes the probed entry's value; only x[index] must be restored",
        (
            "        x[index] = original  # restore exactly: no accumulated round-off\n",
            "        x[...] = original  # put x back in place\n",
        ),
        expect=("not-restored",),
        phrases=("x[index]", "every entry", "whole array", "restore", "ellipsis"),
    ),
    fresh(
        "hso-relerr-divide-where-without-out",
        "gradcheck.relative_error",
        "the quotient is np.divide(|a - b|, |a| + |b|, where=|a| + |b| > 1e-8), skipping the (nearly) zero "
        "entries instead of flooring them: without out= the skipped entries are uninitialised, so the maximum can "
        "be any garbage; the floor is max(1e-8, |a| + |b|)",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    scale = np.abs(a) + np.abs(b)\n"
            "    ratio = np.divide(np.abs(a - b), scale, where=scale > 1e-8)  # skip entries where both are ~0\n",
        ),
        expect=("ufunc-where-without-out", "no-floor"),
        phrases=("out=", "where=", "uninitialised", "1e-8", "floor", "garbage"),
    ),
]

# ----------------------------------------------------------------------------------------- early stopping
EARLY_STOPPING = [
    fresh(
        "hso-early-stopping-parameter-list-copied",
        "early_stopping.fit_early_stopping",
        "the best weights are saved as model.parameters().copy(): copying the list copies references to the same "
        "Parameter objects, whose data the optimizer keeps changing, so 'restoring' puts back the last weights "
        "(and no BatchNorm buffers); copy_state copies the arrays",
        span(
            "early_stopping",
            (
                "                best_state = copy_state(model)\n",
                "                best_state = model.parameters().copy()  # a copy of the parameters\n",
            ),
            (
                "        load_state(model, best_state)\n",
                "        for p, best in zip(model.parameters(), best_state):\n            p.data = best.data.copy()\n",
            ),
        ),
        expect=("restores-last", "aliasing"),
        phrases=("copy", "list", "same parameter", "objects", "copy_state", "references"),
    ),
    fresh(
        "hso-early-stopping-history-default-argument",
        "early_stopping.fit_early_stopping",
        "the History is a default argument, history=History(): it is built once, so a second call appends to the "
        "first call's losses and keeps its best and stopped epochs; a new History per call",
        span(
            "early_stopping",
            (
                "    min_delta: float = 0.0,\n) -> History:\n",
                "    min_delta: float = 0.0,\n"
                "    history: History = History(),  # filled in epoch by epoch\n"
                ") -> History:\n",
            ),
            ("    history = History()\n", ""),
        ),
        expect=("mutable-default-argument", "state-kept-between-calls"),
        phrases=("default argument", "once", "every call", "new history", "previous run"),
    ),
    fresh(
        "hso-early-stopping-best-state-or-short-circuit",
        "early_stopping.fit_early_stopping",
        "an improvement saves best_state = best_state or copy_state(model): once a state is saved it is truthy, "
        "so 'or' keeps it and later improvements are never saved; the first improving epoch's weights are "
        "restored, not the best",
        (
            "                best_state = copy_state(model)\n",
            "                best_state = best_state or copy_state(model)  # save the weights\n",
        ),
        expect=("restores-wrong-epoch",),
        phrases=("or", "first", "every improvement", "best epoch", "truthy"),
    ),
    fresh(
        "hso-early-stopping-patience-default-keras",
        "early_stopping.fit_early_stopping",
        "the default patience is 0 (Keras' EarlyStopping): the API's default is 5, and patience must be at least "
        "1, so a call without patience raises",
        ("    patience: int = 5,\n", "    patience: int = 0,  # as Keras' EarlyStopping\n"),
        expect=("default-changed",),
        phrases=("patience", "default", "5", "keras"),
    ),
]

FRESH_O: list[Mutant] = [
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
