"""Held-apart set AG, first half (activations, layers and losses): realistic student bugs, written blind.

Set AG is written blind, in two halves by two helper sessions at the same time; this module is the activations, layers
and losses half (fresh_ag2.py, the other half, was not read by this module's author). Written by a helper session
under a short deadline (about 45 minutes; it ran some 20 minutes over). Its goal is realism: the mistakes real students
of a numpy deep-learning course make, in the code they write (CS231n's naive loops and staged backward, einsum and
tensordot, boolean and float masks, PyTorch and Keras habits, formula-sheet derivatives), rather than corner cases.

What the author read: reference/activations.py, layers.py, losses.py and base.py, docs/api.md, tests/heldout/_edits.py,
the module docstring and format of fresh_af.py (and its first bugs as a format example), the ids, components,
descriptions and ``expect`` tags of the catalogue and of ``EVERY`` (grepped by keyword per component, for the tag
vocabulary and the sharing count), and of tests/test_feedback_generalisation.py only its SETS and FAMILIES dicts and
``_changes``. What the author did not read: the diagnosis and grading code (graders/judging, graders/reporting,
graders/running, graders/selfcheck, graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback
audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/* beyond its own brief, fresh_ag2.py,
and any grader feedback or output. None of these bugs was graded.

About 60 ideas were considered, 43 drafted and written, 36 kept. Dropped or replaced after writing: the naive
convolution's weight-gradient window taken from the unpadded input (a real student's version only crashes at the
border; it became the naive backward without the stride), max pooling's window origin by the kernel (it only crashed
where windows overlap; it became the loop backward that assigns), the per-sample conv weight gradient over the
columns [:, n::N] of both G and cols (the wrong partition still sums to G @ cols.T: no bug; G_n now comes from
grad_y[n]), and four textual copies found by the ``_changes`` check (Conv2d's width offset pH for pW, Dropout's eval
branch keeping the old mask, Dropout's binomial(1, p), the hinge active set taken before the true class is cleared);
two Dropout replacements (the mask per feature, the floor-divided scale) were copies too, and Dropout got a whole
rewritten forward instead. Dropped before writing: an Identity backward of ones and a Step straight-through backward
(both many times over among earlier bugs), Tanh as (1 - y)^2 or sinh / cosh (copies, or wrong only for huge inputs),
Softplus's threshold on x (no change on ordinary inputs), a Softmax backward without keepdims (only wrong on square
input, crashes otherwise), a BCE backward without its floor (wrong only at p = 0 or 1).

Rewrites: 27 of the 36 rewrite a whole method, a function body or the im2col part of one in a student's own style (the
sigmoid as a math.exp loop over x.ravel(), ReLU and LeakyReLU around a saved output or derivative array, PReLU's
backward with float masks and einsum, SELU and ELU written out without the inner module, GELU's tanh backward in
stages, SiLU with its own sigmoid, Softmax through np.moveaxis, LogSoftmax from its saved output, Maxout as loops over
the pieces, Linear's backward as a sample loop and with tensordot, CS231n's naive convolution pair twice, im2col as a
loop over kernel offsets, max pooling's backward as a position loop and as CS231n's mask, average pooling forward and
backward as position loops, Dropout's forward around keep_prob, BatchNorm1d's staged backward, BatchNorm2d's forward as
a channel loop and its backward with einsum, BCE-with-logits' backward through the chain rule, cross-entropy as a
sample loop, the hinge loss as a class loop); the other 9 are edits of one to three lines (the conv weight gradient
as a sample loop, Flatten's squeeze, BatchNorm1d's Bessel count, BatchNorm2d's `if self.train:`, MSE's 1/2 convention
and its in-place difference, BCE's np.where on the label, BCE-with-logits' softplus form, cross-entropy's one-hot
mean). Each has exactly one mistake (BatchNorm2d's `self.train` shows in two consistent places, the branch and the
saved flag; the channel loop's unbiased variance is used for both buffer and normalisation, right for one of them).

Sharing, honestly: this half does NOT meet the brief's aim of at most half. By the author's keyword search of the
earlier ids and descriptions of the same component, about 30 of the 36 share an earlier bug's misconception (in new
code), e.g. the ReLU mask from the output, PReLU's slope gradient over every entry, ELU's derivative at the output,
GELU's missing 3, SiLU's lost factor s, LogSoftmax with Softmax's backward, Maxout's grad_x assigned in the piece
loop (hsad), Linear's bias after the sample loop (hsae) and its weight gradient averaged, the conv backward without the
stride, reshape for transpose, max pooling's overlapping windows assigned and its gradient to every tied maximum, the
output size without + 1, average pooling's shares assigned, Flatten squeezed (hk), p as the keep probability, the
staged dvar without 1/m, the Bessel factor from the batch size (catalogue and hsr), the unbiased variance normalising,
BatchNorm2d's m = N and `if self.train:` (hh), MSE's missing 2 and in-place difference, BCE for hard labels only, the
sigmoid slope applied twice, swapped BCE terms, the in-place saved probabilities, cross-entropy over N * C, the hinge
margin hard-coded, and Softmax's moveaxis (an earlier LogSoftmax bug). About 6 were not found among the earlier ids
or descriptions of their component: the sigmoid loop returning a flat array, LeakyReLU's derivative array kept between
calls, SELU's written-out backward keeping the - 1 of expm1, the naive convolution's bias inside the position loop
(close to hsac's bias inside the channel loop), the conv weight gradient pairing grad_y[n] with the columns
[:, n::N], and the Dropout rewrite (its misconception, keep with probability p, is an old one).

Classes covered: shapes (a flat output, a squeezed one, an output size without + 1, permuted axes, reshape for
transpose, column order), state (an array kept between calls, saved probabilities edited in place, the caller's input
edited in place), derivatives and formulas (mask from the output, the - 1 kept, the derivative at the output, the
missing 3, the lost factor s, Softmax's Jacobian term, the chain rule through the sigmoid, BCE's terms, hard-label
BCE, the 1/2 convention), accumulation (= for += in Maxout, pooling, the bias after the loop), normalisers (the weight
gradient and the loss averaged once too often, m = N, 1/m dropped, Bessel's count), loops (the bias inside the
position loop, the stride missing from the backward's windows), masks (every entry in PReLU's slope, every tied
maximum), hyper-parameters (p as keep, the hinge margin as 1, the unbiased variance) and train/eval (`self.train`).
Components: activations Sigmoid, ReLU, LeakyReLU, PReLU, SELU, ELU, GELU, SiLU, Softmax, LogSoftmax, Maxout (11
bugs); layers Linear (2), Conv2d (4), MaxPool2d (2), AvgPool2d (2), Flatten, Dropout, BatchNorm1d (2), BatchNorm2d (3)
(17 bugs); losses MSELoss (2), BCELoss, BCEWithLogitsLoss (2), CrossEntropyLoss (2), HingeLoss (8 bugs).

Checks: every edit applies and its module imports; no edit is a textual copy (same component and ``_changes``) of a
catalogue mutant or an earlier held-apart bug; every id is new and every ``expect`` tag is in the existing vocabulary.
The author's script ran each bug, and each bug with its slip undone, beside the reference: forward output, input and
upstream arrays unchanged, input gradient, parameter gradients and running buffers over two forward/backward steps
(the second with a new input where state matters), and an evaluation forward and backward; losses: value, two
backward calls, input and target unchanged. Inputs: activations on (4, 5), (2, 3, 4) and (2, 3, 4, 2) normal inputs
(scale 2), LeakyReLU slope 0.2, ELU alpha 0.7, GELU tanh and exact, Softmax and LogSoftmax with dim -1, 0 and 1,
PReLU shared and per channel (init 0.4) on (4, 5) and (2, 3, 4, 2), Maxout(5, 4) with 3 and 2 pieces; Linear 5 -> 3
and 5 -> 5 without bias; Conv2d 3x3, (2, 3) with stride (2, 1) and padding (1, 2), 3x3 with stride 2 and padding 1,
on (2, 3, 6, 7); pooling 2x2, 3 with stride 2, (3, 2) with stride (2, 1), 3 with stride 1, and 2x2 on rounded,
ReLU-clipped input (ties); Flatten on (2, 3, 6, 7), (1, 3, 2) and (4, 1); Dropout p = 0.3 and 0.5 with a seeded rng;
BatchNorm1d on (8, 3) and (4, 3, 5), BatchNorm2d on (4, 3, 5, 6) and (2, 3, 2, 2), gamma (1.5, 0.5, -0.8), beta (0.1,
-0.2, 0.3), momentum 0.1 and 0.3; MSE on (5, 3) and (4,); BCE on soft and hard targets (6, 3); BCE-with-logits (scale
3) on (6, 3) and (5,); cross-entropy and hinge (margin 1 and 0.7) on (6, 4). Every undone slip matched the reference on
every configuration (the Dropout rewrite draws its mask differently, so it was checked by the mean of the mask instead,
about 1 undone and 0.43 with the slip at p = 0.3); every bug changed a result on at least one configuration. Two
change the output's shape (average pooling without + 1 everywhere, Flatten's squeeze for one sample or one feature),
so a backward called with the reference's shape raises there. Some need the configuration their mistake is about:
stride > 1 (the naive backward), pH != pW or N, C > 1 (im2col), overlapping windows (both assignments), ties (the
mask backward), dim != -1 (moveaxis), per-channel slopes (PReLU), a second call (LeakyReLU), (N, C, L) input (the
Bessel count), soft targets (BCE), margin != 1 (hinge), p != 0.5 (Dropout: at p = 0.5 keeping with p is no change).
The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading, from the existing
vocabulary. Ids start with ``hsag-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AF had been taught):
32/36 named (89 %), 36 caught, 2 flagged with another bug class's tag, both read as the right diagnosis under another
name (SELU's derivative written as the branch's value, BatchNorm2d's means divided by the batch size).
The whole set: 67/73 named (92 %), 73 caught, 4 flagged, 2 the right diagnosis under another tag and 2 wrong claims
(65/73 named with no wrong claim, 89 %); the second half: 35/37, 37 caught, 2 flagged.
Taught afterwards, by two helpers (the classes, not the edits; each with catalogue mutants of its own): the whole
set caught and named, 0 misleading.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsag-")  # set AG

_CONV_FORWARD = (
    "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n"
    "        xp[:, :, pH:pH + H, pW:pW + W] = x\n"
    "        windows = self._windows(xp, Ho, Wo)  # (C, kH, kW, N, H', W'), a view: no copy yet\n"
    "        # im2col, the one copy: row (c, i, j), column (n, p, q)\n"
    "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n"
    "        self._xp_shape = xp.shape\n"
    "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n"
    "        if self.bias is not None:\n"
    "            y += self.bias.data[:, None]\n"
    "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n"
)
_CONV_BACKWARD = (
    "        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols\n"
    "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n"
    "        if self.bias is not None:\n"
    "            self.bias.grad += G.sum(axis=1)\n"
    "        dcols = self.weight.data.reshape(F, -1).T @ G\n"
    "        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)\n"
    "        # col2im: the windows of forward, now a view of grad_xp. For one kernel offset\n"
    "        # (i, j) they are disjoint; over all offsets they overlap and the sums accumulate.\n"
    "        grad_xp = np.zeros(self._xp_shape)\n"
    "        windows = self._windows(grad_xp, Ho, Wo)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                window = windows[:, i, j]\n"
    "                window += dcols[:, i, j]\n"
    "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n"
    "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n"
)
# A CS231n conv_forward_naive / conv_backward_naive pair: loops over samples, filters and output positions.
_NAIVE_CONV_FORWARD = (
    "        self._x_pad = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))\n"
    "        w = self.weight.data\n"
    "        out = np.zeros((N, self.out_channels, Ho, Wo))\n"
    "        for n in range(N):\n"
    "            for f in range(self.out_channels):\n"
    "                for i in range(Ho):\n"
    "                    for j in range(Wo):\n"
    "                        hs, ws = i * sH, j * sW\n"
    "                        patch = self._x_pad[n, :, hs:hs + kH, ws:ws + kW]\n"
    "                        out[n, f, i, j] = np.sum(patch * w[f])\n"
    "                if self.bias is not None:\n"
    "                    out[n, f] += self.bias.data[f]\n"
    "        y = out\n"
)
_NAIVE_CONV_BACKWARD = (
    "        sH, sW = self.stride\n"
    "        x_pad, w = self._x_pad, self.weight.data\n"
    "        dx_pad = np.zeros_like(x_pad)\n"
    "        dw = np.zeros_like(w)\n"
    "        for n in range(N):\n"
    "            for f in range(F):\n"
    "                for i in range(Ho):\n"
    "                    for j in range(Wo):\n"
    "                        hs, ws = i * sH, j * sW\n"
    "                        g = grad_y[n, f, i, j]\n"
    "                        dw[f] += x_pad[n, :, hs:hs + kH, ws:ws + kW] * g\n"
    "                        dx_pad[n, :, hs:hs + kH, ws:ws + kW] += w[f] * g\n"
    "        self.weight.grad += dw\n"
    "        if self.bias is not None:\n"
    "            self.bias.grad += grad_y.sum(axis=(0, 2, 3))\n"
    "        H, W = x_pad.shape[2] - 2 * pH, x_pad.shape[3] - 2 * pW\n"
    "        grad_x = dx_pad[:, :, pH:pH + H, pW:pW + W]\n"
)
_MAXPOOL_FORWARD = (
    "        self._x_shape = x.shape\n"
    "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
    "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n"
    "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n"
    "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n"
)
_MAXPOOL_BACKWARD = (
    "        grad_x = np.zeros(self._x_shape)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                won = self._argmax == i * kW + j\n"
    "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n"
)
_AVGPOOL_FORWARD = (
    "        self._x_shape = x.shape\n"
    "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
    "        y = windows.mean(axis=(4, 5))\n"
)
_AVGPOOL_BACKWARD = (
    "        share = grad_y / (kH * kW)\n"
    "        grad_x = np.zeros(self._x_shape)\n"
    "        for i in range(kH):\n"
    "            for j in range(kW):\n"
    "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n"
)
_BN_FORWARD = (
    "        if self.training:\n"
    "            mean = x.mean(axis=axes)\n"
    "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"
    "            m = self.momentum\n"
    "            self.running_mean *= 1.0 - m\n"
    "            self.running_mean += m * mean\n"
    "            self.running_var *= 1.0 - m\n"
    "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
    "        else:\n"
    "            mean, var = self.running_mean, self.running_var\n"
    "        self._batch_stats = self.training\n"
    "        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)\n"
    "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n"
    "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n"
)
_BN_BACKWARD = (
    "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
    "        self.bias.grad += grad_y.sum(axis=axes)\n"
    "        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n"
    "        if self._batch_stats:\n"
    "            # The mean and variance depend on every sample: subtract the gradient's\n"
    "            # component along the constant direction and along x_hat.\n"
    "            grad_x = self._inv_std * (\n"
    "                grad_x_hat\n"
    "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
    "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
    "            )\n"
    "        else:\n"
    "            grad_x = grad_x_hat * self._inv_std  # running statistics are constants\n"
)
_CE_FORWARD = (
    "        N = x.shape[0]\n"
    "        # x - max is <= 0; it can overflow only to -inf (a logit 1e308 below the max),\n"
    "        # whose softmax weight is exactly 0 anyway.\n"
    '        with np.errstate(over="ignore"):\n'
    "            shifted = x - x.max(axis=1, keepdims=True)\n"
    "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
    "        self._probs = np.exp(log_probs)\n"
    "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n"
)
_CE_BACKWARD = (
    "        N = self._probs.shape[0]\n"
    "        grad = self._probs.copy()\n"
    "        grad[np.arange(N), self._labels] -= 1.0\n"
    "        return grad / N\n"
)

ACTIVATIONS = [
    fresh(
        "hsag-sigmoid-flat-loop-returns-flat",
        "activations.Sigmoid",
        "a loop-everything forward: the stable two-branch sigmoid evaluated with math.exp entry by entry over "
        "x.ravel() into out = np.empty(x.size), and out returned as it is: the output is flat (x.size,) instead "
        "of shaped like x (out.reshape(x.shape)); backward then broadcasts the flat y against grad_y",
        (
            "        z = np.exp(-np.abs(x))\n"
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
            "        return self._y\n",
            "        flat = x.ravel()\n"
            "        out = np.empty(x.size)\n"
            "        for k, v in enumerate(flat):\n"
            "            if v >= 0:\n"
            "                out[k] = 1.0 / (1.0 + math.exp(-v))\n"
            "            else:\n"
            "                e = math.exp(v)\n"
            "                out[k] = e / (1.0 + e)\n"
            "        self._y = out\n"
            "        return self._y\n",
        ),
        expect=("wrong-shape", "gradient-not-shaped-like-input", "squeezed-output"),
        phrases=("shape",),
    ),
    fresh(
        "hsag-relu-mask-from-output-nonnegative",
        "activations.ReLU",
        "forward keeps its output out = np.maximum(x, 0) and backward builds the mask from it as out >= 0: the "
        "output of a ReLU is never negative, so the mask is true everywhere and negative inputs pass their "
        "gradient; the mask must come from x > 0 (or out > 0)",
        span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self._out = np.maximum(x, 0.0)\n        return self._out\n",
            ),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        return grad_y * (self._out >= 0)\n",
            ),
        ),
        expect=("mask-from-output", "kink-derivative", "negative-branch-ignored"),
        phrases=("output",),
    ),
    fresh(
        "hsag-leakyrelu-slope-array-kept-between-calls",
        "activations.LeakyReLU",
        "forward keeps a derivative array self._d allocated once at the first call ('no allocation per call') "
        "and only writes the slope into its entries where x <= 0: entries set to the slope on an earlier call "
        "are never reset to 1, so from the second call positive inputs that were negative before get the slope "
        "in forward and backward; the array must be rebuilt (or fully overwritten) on every call",
        span(
            "activations",
            (
                "        self._x = x\n        return np.where(x > 0, x, self.negative_slope * x)\n",
                '        if getattr(self, "_d", None) is None or self._d.shape != x.shape:\n'
                "            self._d = np.ones_like(x)\n"
                "        self._d[x <= 0] = self.negative_slope\n"
                "        return x * self._d\n",
            ),
            (
                "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
                "        return grad_y * self._d\n",
            ),
        ),
        expect=("state-kept-between-calls", "saved-state-stale", "cached-first-call"),
        phrases=("second call",),
    ),
    fresh(
        "hsag-prelu-einsum-slope-grad-without-mask",
        "activations.PReLU",
        "backward written by a vectorisation enthusiast: the input gradient from float masks, the per-channel "
        "slope gradient as np.einsum('ncl,ncl->c') of grad_y and x reshaped (N, C, -1); it contracts grad_y "
        "with every entry of x, positive ones included, where only the entries with x <= 0 use the slope "
        "(np.minimum(x, 0) belongs there)",
        (
            "        negative = self._x <= 0\n"
            "        contribution = np.where(negative, grad_y * self._x, 0.0)\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += contribution.sum()\n"
            "        else:  # sum over every axis but the channel axis\n"
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n"
            "        return np.where(negative, self._a * grad_y, grad_y)\n",
            "        x = self._x\n"
            "        pos = (x > 0).astype(np.float64)\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += np.sum(grad_y * np.minimum(x, 0.0))\n"
            "        else:\n"
            "            N, C = x.shape[:2]\n"
            "            g3, x3 = grad_y.reshape(N, C, -1), x.reshape(N, C, -1)\n"
            '            self.weight.grad += np.einsum("ncl,ncl->c", g3, x3)\n'
            "        return grad_y * (pos + (1.0 - pos) * self._a)\n",
        ),
        expect=("prelu-grad-all-entries", "negative-branch-ignored", "entries-skipped"),
        phrases=("negative",),
    ),
    fresh(
        "hsag-selu-written-out-backward-keeps-minus-one",
        "activations.SELU",
        "SELU written out without the inner ELU: forward scale * where(x > 0, x, alpha * expm1(x)) is right, "
        "but backward is forward's line copied and edited: where(x > 0, 1, alpha * expm1(x)) keeps the - 1, "
        "the negative branch's derivative is alpha e^x, not alpha (e^x - 1)",
        span(
            "activations",
            (
                "        return self.scale * self._elu.forward(x)\n",
                "        self._x = x\n"
                "        neg = np.minimum(x, 0.0)\n"
                "        return self.scale * np.where(x > 0, x, self.alpha * np.expm1(neg))\n",
            ),
            (
                "        return self._elu.backward(self.scale * grad_y)\n",
                "        neg = np.minimum(self._x, 0.0)\n"
                "        local = self.scale * np.where(self._x > 0, 1.0, self.alpha * np.expm1(neg))\n"
                "        return grad_y * local\n",
            ),
        ),
        expect=(
            "derivative-wrong-form",
            "copy-paste",
            "forward-backward-mismatch",
            # the last tag added after reading output
            "derivative-is-output",
        ),
        phrases=("derivative",),
    ),
    fresh(
        "hsag-elu-backward-exp-of-saved-output",
        "activations.ELU",
        "forward saves its output y instead of x and backward writes the negative branch's slope as "
        "alpha * np.exp(y): ELU'(x) = alpha e^x is a function of the input; from the output it is y + alpha "
        "(e^y is the derivative at the wrong point)",
        span(
            "activations",
            (
                "        self._x = x\n        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        self._y = np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n"
                "        return self._y\n",
            ),
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n"
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
                "        y = self._y\n"
                "        dy_dx = np.where(y > 0, 1.0, self.alpha * np.exp(y))\n"
                "        return grad_y * dy_dx\n",
            ),
        ),
        expect=("derivative-at-output", "saved-output-not-input", "derivative-wrong-form"),
        phrases=("output",),
    ),
    fresh(
        "hsag-gelu-tanh-staged-backward-inner-slope-without-three",
        "activations.GELU",
        "the tanh approximation's backward written in stages (u, t, du/dx, then the product rule) from the "
        "saved x; du/dx is typed sqrt(2/pi) (1 + 0.044715 x^2): the derivative of 0.044715 x^3 is "
        "3 * 0.044715 x^2, the 3 is missing",
        (
            "            xc, t = np.clip(self._x, -10.0, 10.0), self._t\n"
            "            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)\n"
            "            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)\n",
            "            x = np.clip(self._x, -10.0, 10.0)\n"
            "            u = SQRT_2_OVER_PI * (x + GELU_KAPPA * x**3)\n"
            "            t = np.tanh(u)\n"
            "            du_dx = SQRT_2_OVER_PI * (1.0 + GELU_KAPPA * x**2)\n"
            "            dt_dx = (1.0 - t**2) * du_dx\n"
            "            dy_dx = 0.5 * (1.0 + t) + 0.5 * x * dt_dx\n"
            "            return grad_y * dy_dx\n",
        ),
        expect=("gelu-tanh-cubic-term", "gelu-tanh-inner-slope", "chain-rule-inner-derivative"),
        phrases=("3",),
    ),
    fresh(
        "hsag-silu-own-sigmoid-derivative-factor-dropped",
        "activations.SiLU",
        "SiLU written without the Sigmoid module: forward computes s = 1 / (1 + e^-x) itself (stable where "
        "form), backward writes the product rule as s + x * (1 - s): the sigmoid's derivative s (1 - s) lost "
        "its factor s",
        span(
            "activations",
            (
                "        self._x = x\n        self._s = self._sigmoid.forward(x)\n        return x * self._s\n",
                "        self._x = x\n"
                "        e = np.exp(-np.abs(x))\n"
                "        self._s = np.where(x >= 0, 1.0, e) / (1.0 + e)\n"
                "        return x * self._s\n",
            ),
            (
                "        return grad_y * (s + self._x * s * (1.0 - s))\n",
                "        return grad_y * (s + self._x * (1.0 - s))\n",
            ),
        ),
        expect=("sigmoid-missing-factor", "derivative-wrong-form", "product-rule-missing"),
        phrases=("s (1 - s)",),
    ),
    fresh(
        "hsag-softmax-moveaxis-forward-not-moved-back",
        "activations.Softmax",
        "forward moves axis dim to the end with np.moveaxis to work on rows as for (N, C), normalises there, "
        "and saves and returns the result without moving the axis back: for dim != -1 the output's axes are "
        "permuted (np.moveaxis(y, -1, dim) is missing)",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n"
            "        return self._y\n",
            "        rows = np.moveaxis(x, self.dim, -1)\n"
            "        rows = rows - rows.max(axis=-1, keepdims=True)\n"
            "        e = np.exp(rows)\n"
            "        self._y = e / e.sum(axis=-1, keepdims=True)\n"
            "        return self._y\n",
        ),
        expect=("moveaxis-not-undone", "axes-permuted", "softmax-wrong-axis"),
        phrases=("axis",),
    ),
    fresh(
        "hsag-logsoftmax-backward-copied-from-softmax",
        "activations.LogSoftmax",
        "forward saves its output y and backward recovers p = exp(y), then uses Softmax's vector-Jacobian "
        "product grad_y - p * sum(grad_y * p): for log-softmax the Jacobian is delta_ij - p_j, so the sum is of "
        "grad_y alone, grad_x = grad_y - p * sum(grad_y)",
        span(
            "activations",
            (
                "        self._p = np.exp(y)\n        return y\n",
                "        self._y = y\n        return y\n",
            ),
            (
                "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
                "        p = np.exp(self._y)\n"
                "        return grad_y - p * np.sum(grad_y * p, axis=self.dim, keepdims=True)\n",
            ),
        ),
        expect=("jacobian-term-wrong", "copy-paste", "softmax-sum-missing-y"),
        phrases=("sum",),
    ),
    fresh(
        "hsag-maxout-piece-loop-grad-x-assigned",
        "activations.Maxout",
        "forward and backward loop over the K pieces: backward masks grad_y with argmax == k and adds each "
        "piece's weight and bias gradients, but writes grad_x = g_k @ W[k] inside the loop: each piece "
        "overwrites the previous ones, so only the last piece's contribution to the input gradient survives "
        "(grad_x must be summed over the pieces)",
        span(
            "activations",
            (
                '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n',
                "        z = np.stack(\n"
                "            [x @ self.weight.data[k].T + self.bias.data[k] for k in range(self.pieces)], axis=1\n"
                "        )\n",
            ),
            (
                "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n"
                "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n"
                '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n'
                "        self.bias.grad += grad_z.sum(axis=0)\n"
                '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
                "        grad_x = np.zeros_like(self._x)\n"
                "        for k in range(self.pieces):\n"
                "            g_k = grad_y * (self._argmax == k)\n"
                "            self.weight.grad[k] += g_k.T @ self._x\n"
                "            self.bias.grad[k] += g_k.sum(axis=0)\n"
                "            grad_x = g_k @ self.weight.data[k]\n"
                "        return grad_x\n",
            ),
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("piece",),
    ),
]

LAYERS = [
    fresh(
        "hsag-linear-sample-loop-bias-after-loop",
        "layers.Linear",
        "a loop-everything backward: for each sample the weight gradient adds np.outer(grad_y[n], x[n]), but "
        "the bias line self.bias.grad += grad_y[n] is dedented out of the loop: it runs once, after the loop, "
        "with the last sample's gradient only, where the bias gradient is the sum over the batch",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        grad_x = np.zeros_like(self._x)\n"
            "        for n in range(self._x.shape[0]):\n"
            "            self.weight.grad += np.outer(grad_y[n], self._x[n])\n"
            "            grad_x[n] = self.weight.data.T @ grad_y[n]\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y[n]\n",
        ),
        expect=("gradient-from-one-sample", "assignment-outside-loop", "not-summed-over-batch"),
        phrases=("last sample",),
    ),
    fresh(
        "hsag-linear-tensordot-weight-grad-averaged",
        "layers.Linear",
        "backward with np.tensordot, PyTorch-port style: the weight gradient np.tensordot(grad_y, x, axes=(0, 0)) "
        "is divided by the batch size N ('average over the batch'), while the loss already carries the 1/N: "
        "the parameter gradient is the plain sum over samples",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        batch = grad_y.shape[0]\n"
            "        self.weight.grad += np.tensordot(grad_y, self._x, axes=(0, 0)) / batch\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += np.tensordot(np.ones(batch), grad_y, axes=(0, 0))\n"
            "        grad_x = np.tensordot(grad_y, self.weight.data, axes=(1, 0))\n",
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("batch",),
    ),
    fresh(
        "hsag-conv-naive-forward-bias-inside-position-loop",
        "layers.Conv2d",
        "CS231n's naive convolution (loops over samples, filters and output positions, with its naive backward): "
        "the bias line out[n, f] += b[f] sits inside the loop over output positions, so the whole map gets the "
        "bias again at every position (an entry keeps one copy per position visited after its own); it belongs "
        "once per (n, f), after the position loops",
        span(
            "layers",
            (
                _CONV_FORWARD,
                _NAIVE_CONV_FORWARD.replace(
                    "                if self.bias is not None:\n                    out[n, f] += self.bias.data[f]\n",
                    "                        if self.bias is not None:\n"
                    "                            out[n, f] += self.bias.data[f]\n",
                ),
            ),
            (_CONV_BACKWARD, _NAIVE_CONV_BACKWARD),
        ),
        expect=("bias-not-added", "layer-applied-twice", "times-size"),
        phrases=("bias",),
    ),
    fresh(
        "hsag-conv-naive-backward-window-origin-without-stride",
        "layers.Conv2d",
        "CS231n's naive convolution pair: forward places window (i, j) at (i * sH, j * sW), but the backward loops, "
        "typed again, place it at hs, ws = i, j: with stride > 1 the weight and input gradients are taken from and "
        "scattered onto the wrong windows (the stride is missing from the window origin)",
        span(
            "layers",
            (_CONV_FORWARD, _NAIVE_CONV_FORWARD),
            (
                _CONV_BACKWARD,
                _NAIVE_CONV_BACKWARD.replace(
                    "                        hs, ws = i * sH, j * sW\n", "                        hs, ws = i, j\n"
                ),
            ),
        ),
        expect=("conv-backward-ignores-stride", "stride-ignored", "forward-backward-mismatch"),
        phrases=("stride",),
    ),
    fresh(
        "hsag-conv-im2col-offset-loop-reshape-not-transpose",
        "layers.Conv2d",
        "im2col written as a loop over the kernel offsets (i, j): each strided slice xp[:, :, i::sH, j::sW] of "
        "shape (N, C, H', W') is stored into cols[:, i, j] of shape (C, N, H', W') with .reshape(C, N, Ho, Wo): "
        "a reshape relabels the memory instead of swapping the sample and channel axes (a transpose(1, 0, 2, 3) "
        "is needed), so samples and channels are mixed when N > 1 and C > 1",
        (
            "        windows = self._windows(xp, Ho, Wo)  # (C, kH, kW, N, H', W'), a view: no copy yet\n"
            "        # im2col, the one copy: row (c, i, j), column (n, p, q)\n"
            "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n",
            "        cols = np.empty((C, kH, kW, N, Ho, Wo))\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                piece = xp[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW]  # (N, C, Ho, Wo)\n"
            "                cols[:, i, j] = piece.reshape(C, N, Ho, Wo)\n"
            "        self._cols = cols.reshape(C * kH * kW, N * Ho * Wo)\n",
        ),
        expect=("reshape-not-transpose", "batch-classes-confused", "axes-permuted"),
        phrases=("transpose",),
    ),
    fresh(
        "hsag-conv-sample-loop-weight-grad-columns-strided",
        "layers.Conv2d",
        "backward accumulates the weight gradient sample by sample, grad_y[n] as (F, H' * W') against sample n's "
        "columns taken as cols[:, n::N], as if the columns were ordered (position, sample); im2col orders them "
        "(sample, position), so sample n's columns are the block [:, n * H' * W':(n + 1) * H' * W']: gradients and "
        "windows of different samples and positions are paired",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
            "        for n in range(N):\n"
            "            G_n, cols_n = grad_y[n].reshape(F, Ho * Wo), self._cols[:, n::N]\n"
            "            self.weight.grad += (G_n @ cols_n.T).reshape(self.weight.shape)\n",
        ),
        expect=("index-order-reversed", "reshape-order", "batch-classes-confused"),
        phrases=("column",),
    ),
    fresh(
        "hsag-maxpool-loop-backward-argmax-assigned",
        "layers.MaxPool2d",
        "backward loops over samples, channels and output positions and routes each gradient to the saved argmax "
        "of its window with grad_x[n, c, row, col] = grad_y[n, c, i, j]: where windows overlap (stride < kernel) an "
        "entry that is the maximum of two windows keeps only the last window's gradient; they must be added (+=)",
        (
            _MAXPOOL_BACKWARD,
            "        N, C = grad_y.shape[:2]\n"
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for n in range(N):\n"
            "            for c in range(C):\n"
            "                for i in range(Ho):\n"
            "                    for j in range(Wo):\n"
            "                        a, b = divmod(int(self._argmax[n, c, i, j]), kW)\n"
            "                        grad_x[n, c, i * sH + a, j * sW + b] = grad_y[n, c, i, j]\n",
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap",),
    ),
    fresh(
        "hsag-maxpool-backward-mask-every-tied-maximum",
        "layers.MaxPool2d",
        "CS231n's mask backward: forward keeps x, backward loops over the windows and adds "
        "(window == window.max()) * grad_y[n, c, i, j]: on a tie (repeated values, zeros after a ReLU) every "
        "maximal entry gets the whole gradient; it must go to exactly one of them",
        span(
            "layers",
            (_MAXPOOL_FORWARD, "        self._x = x\n" + _MAXPOOL_FORWARD),
            (
                _MAXPOOL_BACKWARD,
                "        grad_x = np.zeros(self._x_shape)\n"
                "        for i in range(Ho):\n"
                "            for j in range(Wo):\n"
                "                rows, cols = slice(i * sH, i * sH + kH), slice(j * sW, j * sW + kW)\n"
                "                window = self._x[:, :, rows, cols]\n"
                "                top = window.max(axis=(2, 3), keepdims=True)\n"
                "                grad_x[:, :, rows, cols] += (window == top) * grad_y[:, :, i:i + 1, j:j + 1]\n",
            ),
        ),
        expect=("maxpool-grad-to-every-max", "tie-gradient-split"),
        phrases=("tie",),
    ),
    fresh(
        "hsag-avgpool-loop-forward-output-size-without-plus-one",
        "layers.AvgPool2d",
        "forward loops over the output positions and averages each window, with the output size computed by the "
        "student as (H - kH) // sH, the formula without its + 1: the last row and column of windows are missing "
        "(H' = 1 + (H - kH) // sH)",
        (
            _AVGPOOL_FORWARD,
            "        self._x_shape = x.shape\n"
            "        N, C, H, W = x.shape\n"
            "        out_h, out_w = (H - kH) // sH, (W - kW) // sW\n"
            "        y = np.zeros((N, C, out_h, out_w))\n"
            "        for i in range(out_h):\n"
            "            for j in range(out_w):\n"
            "                y[:, :, i, j] = x[:, :, i * sH:i * sH + kH, j * sW:j * sW + kW].mean(axis=(2, 3))\n",
        ),
        expect=("output-size-missing-plus-one", "output-size-formula", "loop-off-by-one"),
        phrases=("+ 1",),
    ),
    fresh(
        "hsag-avgpool-loop-backward-share-assigned",
        "layers.AvgPool2d",
        "backward loops over the output positions and writes each window's share with "
        "grad_x[..., window] = grad_y / (kH * kW): where windows overlap (stride < kernel) a later window "
        "overwrites the share an earlier one left; the shares must be added (+=)",
        (
            _AVGPOOL_BACKWARD,
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(Ho):\n"
            "            for j in range(Wo):\n"
            "                share = grad_y[:, :, i, j] / (kH * kW)\n"
            "                grad_x[:, :, i * sH:i * sH + kH, j * sW:j * sW + kW] = share[:, :, None, None]\n",
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap",),
    ),
    fresh(
        "hsag-flatten-reshape-then-squeeze",
        "layers.Flatten",
        "forward is x.reshape(N, -1).squeeze() ('drop the useless axes'): for a batch of one sample, or one "
        "feature per sample, the batch or feature axis is squeezed away; Flatten always returns (N, d1*d2*...)",
        (
            "        y = x.reshape(self._y_shape)\n",
            "        y = x.reshape(x.shape[0], -1).squeeze()\n",
        ),
        expect=("squeezed-output", "flatten-batch-axis", "wrong-shape", "length-one-axis"),
        phrases=("axis",),
    ),
    fresh(
        "hsag-dropout-keep-prob-rewrite-compares-with-p",
        "layers.Dropout",
        "forward rewritten around keep_prob = 1 - p (eval branch first, a p = 1 guard, the mask "
        "(u < keep) / keep_prob), but the comparison is typed u < self.p: entries are kept with probability p and "
        "dropped with 1 - p, while the survivors are scaled by 1 / (1 - p); p is the drop probability",
        (
            "        if self.training:\n"
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n"
            "            y = x * self._mask\n"
            "        else:\n"
            "            self._mask = None\n"
            "            y = x\n",
            "        if not self.training:\n"
            "            self._mask = None\n"
            "            y = x\n"
            "        else:\n"
            "            keep_prob = 1.0 - self.p\n"
            "            if keep_prob == 0.0:\n"
            "                self._mask = np.zeros(x.shape)\n"
            "            else:\n"
            "                u = self.rng.random(x.shape)\n"
            "                self._mask = (u < self.p) / keep_prob\n"
            "            y = x * self._mask\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "hyperparameter-inverted", "dropout-p-zero-drops-all"),
        phrases=("keep",),
    ),
    fresh(
        "hsag-bn1d-staged-backward-dvar-term-not-divided",
        "layers.BatchNorm1d",
        "CS231n's staged backward (dx_hat, dvar, dmean, then dx) written from the saved x_hat and inv_std, "
        "counting m values per channel; the variance path is typed dvar * 2 * x_mu without its / m: "
        "dvar/dx = 2 (x - mu) / m",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "        if self._batch_stats:\n"
                        "            # The mean and variance depend on every sample: subtract the gradient's\n"
                        "            # component along the constant direction and along x_hat.\n"
                        "            grad_x = self._inv_std * (\n"
                        "                grad_x_hat\n"
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                        "            )\n",
                        "        if self._batch_stats:\n"
                        "            m = grad_y.size // grad_y.shape[1]\n"
                        "            inv_std = self._inv_std\n"
                        "            x_mu = self._x_hat / inv_std\n"
                        "            dvar = np.sum(grad_x_hat * x_mu, axis=axes, keepdims=True) * -0.5 * inv_std**3\n"
                        "            dmean = np.sum(-grad_x_hat * inv_std, axis=axes, keepdims=True)\n"
                        "            dmean += dvar * np.mean(-2.0 * x_mu, axis=axes, keepdims=True)\n"
                        "            grad_x = grad_x_hat * inv_std + dvar * 2.0 * x_mu + dmean / m\n",
                    )
                ]
            },
        ),
        expect=("bn-backward-variance-term", "bn-sum-not-mean", "formula-wrong"),
        phrases=("variance",),
    ),
    fresh(
        "hsag-bn1d-bessel-count-is-batch-size",
        "layers.BatchNorm1d",
        "the running variance's Bessel factor is computed with the batch size, n = x.shape[0], as n / (n - 1): for "
        "(N, C, L) input each channel has N * L values, so the unbiased estimate is var * m / (m - 1) with "
        "m = N * L",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            n = x.shape[0]\n            self.running_var += m * var * n / (n - 1)\n",
                    )
                ]
            },
        ),
        expect=("bessel-correction", "batch-size-as-count", "bn-biased-running-var"),
        phrases=("count",),
    ),
    fresh(
        "hsag-bn2d-channel-loop-unbiased-variance-normalises",
        "layers.BatchNorm2d",
        "forward loops over the channels and computes each channel's variance as the sample variance "
        "sum((x_c - mu)^2) / (m - 1), used both for the running buffer (right) and to normalise the batch "
        "(wrong): the batch is normalised with the biased variance (divided by m)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            mean = x.mean(axis=axes)\n"
                        "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"
                        "            m = self.momentum\n"
                        "            self.running_mean *= 1.0 - m\n"
                        "            self.running_mean += m * mean\n"
                        "            self.running_var *= 1.0 - m\n"
                        "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n",
                        "            mean = np.zeros(self.num_features)\n"
                        "            var = np.zeros(self.num_features)\n"
                        "            for c in range(self.num_features):\n"
                        "                xc = x[:, c]\n"
                        "                mean[c] = xc.mean()\n"
                        "                var[c] = np.sum((xc - mean[c]) ** 2) / (xc.size - 1)\n"
                        "                mom = self.momentum\n"
                        "                self.running_mean[c] = (1.0 - mom) * self.running_mean[c] + mom * mean[c]\n"
                        "                self.running_var[c] = (1.0 - mom) * self.running_var[c] + mom * var[c]\n",
                    )
                ]
            },
        ),
        expect=("bn-unbiased-variance", "bessel-correction"),
        phrases=("biased",),
    ),
    fresh(
        "hsag-bn2d-einsum-backward-count-is-batch-size",
        "layers.BatchNorm2d",
        "backward with einsum and the compact formula dx = inv_std / m * (m g - sum g - x_hat sum(g x_hat)), "
        "m taken as the batch size N (copied from the BatchNorm1d derivation): a BatchNorm2d channel has N * H * W "
        "values, and that is the m of the formula",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        "        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)\n"
                        "        self.bias.grad += grad_y.sum(axis=axes)\n"
                        "        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n"
                        "        if self._batch_stats:\n"
                        "            # The mean and variance depend on every sample: subtract the gradient's\n"
                        "            # component along the constant direction and along x_hat.\n"
                        "            grad_x = self._inv_std * (\n"
                        "                grad_x_hat\n"
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                        "            )\n",
                        '        self.weight.grad += np.einsum("nchw,nchw->c", grad_y, self._x_hat)\n'
                        '        self.bias.grad += np.einsum("nchw->c", grad_y)\n'
                        "        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n"
                        "        if self._batch_stats:\n"
                        "            m = grad_y.shape[0]\n"
                        '            sum_g = np.einsum("nchw->c", grad_x_hat).reshape(shape)\n'
                        '            sum_gx = np.einsum("nchw,nchw->c", grad_x_hat, self._x_hat).reshape(shape)\n'
                        "            grad_x = self._inv_std / m * (m * grad_x_hat - sum_g - self._x_hat * sum_gx)\n",
                    )
                ]
            },
        ),
        expect=(
            "divided-by-batch-size",
            "bn-wrong-axes",
            "mean-over-batch-only",
            # the last tag added after reading output
            "bn-sum-not-mean",
        ),
        phrases=("H * W",),
    ),
    fresh(
        "hsag-bn2d-pytorch-port-if-self-train",
        "layers.BatchNorm2d",
        "ported from a PyTorch habit, forward tests `if self.train:` where the flag is self.training: train is a "
        "bound method, always truthy, so the batch statistics are used and the running buffers updated in "
        "evaluation too",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "        if self.training:\n            mean = x.mean(axis=axes)\n",
                        "        if self.train:\n            mean = x.mean(axis=axes)\n",
                    ),
                    (
                        "        self._batch_stats = self.training\n",
                        "        self._batch_stats = bool(self.train)\n",
                    ),
                ]
            },
        ),
        expect=("train-eval", "bn-batch-stats-in-eval", "bn-updates-in-eval", "mode-ignored"),
        phrases=("eval",),
    ),
]

LOSSES = [
    fresh(
        "hsag-mse-backward-half-convention",
        "losses.MSELoss",
        "backward returns (x - t) / M, the gradient of the textbook's (1/2) mean (x - t)^2 convention, while "
        "forward computes the plain mean (x - t)^2 as the API asks: d/dx of (x - t)^2 is 2 (x - t), the 2 is "
        "missing",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            "        x_minus_t = self._diff\n        return x_minus_t / x_minus_t.size\n",
        ),
        expect=("mse-grad-missing-2", "half", "formula-constant"),
        phrases=("2",),
    ),
    fresh(
        "hsag-mse-difference-subtracted-in-place",
        "losses.MSELoss",
        "forward computes the difference in place to save an array, diff = x; diff -= t: as_float_array does not "
        "copy a float64 input, so the caller's predictions are overwritten with x - t; compute into a new array "
        "(diff = x - t)",
        (
            "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
            "        diff = x\n        diff -= t\n        self._diff = diff\n        loss = np.mean(diff * diff)\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place",),
    ),
    fresh(
        "hsag-bce-where-on-label-hard-labels-only",
        "losses.BCELoss",
        "forward picks one log per entry with np.where(t == 1, log p, log(1 - p)), the two cases of the hard-label "
        "derivation: a soft target (0 < t < 1) takes the log(1 - p) branch alone, where the loss is the mix "
        "t log p + (1 - t) log(1 - p)",
        (
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        per_entry = np.where(t == 1.0, log_p, log_1mp)\n        loss = -np.mean(per_entry)\n",
        ),
        expect=("bce-hard-labels-only", "formula-wrong"),
        phrases=("soft",),
    ),
    fresh(
        "hsag-bcelogits-backward-chain-rule-times-sigmoid-slope",
        "losses.BCEWithLogitsLoss",
        "backward applies the chain rule through the sigmoid by hand, (s - t) * s * (1 - s) / M, taking dL/ds as "
        "s - t (as for a squared error): for binary cross-entropy dL/ds = (s - t) / (s (1 - s)), which cancels "
        "the sigmoid's slope and leaves (s - t) / M",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        s = self._s\n"
            "        dL_ds = s - self._t\n"
            "        ds_dx = s * (1.0 - s)\n"
            "        return dL_ds * ds_dx / s.size\n",
        ),
        # added after reading output (tag-vocabulary audit): bce-logits-grad-times-sigmoid-derivative
        expect=(
            "derivative-wrong-form",
            "sigmoid-derivative-twice",
            "chain-rule-inner-derivative",
            "bce-logits-grad-times-sigmoid-derivative",
        ),
        phrases=("cancel",),
    ),
    fresh(
        "hsag-bcelogits-softplus-form-t-for-one-minus-t",
        "losses.BCEWithLogitsLoss",
        "forward uses the form L = (1 - t) x + softplus(-x), with softplus through np.logaddexp(0, -x), but types "
        "t * x for (1 - t) * x: the loss of a logit is then wrong for every target but t = 1/2",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        loss = np.mean(t * x + np.logaddexp(0.0, -x))\n",
        ),
        expect=("bce-swapped-terms", "formula-wrong", "sign-flipped"),
        phrases=("1 - t",),
    ),
    fresh(
        "hsag-ce-sample-loop-backward-edits-saved-probs",
        "losses.CrossEntropyLoss",
        "forward is a loop over samples (each row shifted, exponentiated, normalised and its label's log taken); "
        "backward names grad = self._probs and subtracts 1 at the labels in place: the saved probabilities are "
        "modified, so a second backward subtracts again; the one-hot must be subtracted from a copy",
        span(
            "losses",
            (
                _CE_FORWARD,
                "        N = x.shape[0]\n"
                "        self._probs = np.zeros_like(x)\n"
                "        total = 0.0\n"
                "        for n in range(N):\n"
                "            row = x[n] - np.max(x[n])\n"
                "            e = np.exp(row)\n"
                "            self._probs[n] = e / np.sum(e)\n"
                "            total += -(row[self._labels[n]] - np.log(np.sum(e)))\n"
                "        loss = total / N\n",
            ),
            (
                _CE_BACKWARD,
                "        N = self._probs.shape[0]\n"
                "        grad = self._probs\n"
                "        grad[np.arange(N), self._labels] -= 1.0\n"
                "        return grad / N\n",
            ),
        ),
        expect=("backward-mutates-saved-state", "aliasing", "saved-state-overwritten"),
        phrases=("in place", "copy"),
    ),
    fresh(
        "hsag-ce-onehot-mean-over-all-entries",
        "losses.CrossEntropyLoss",
        "ported from a Keras-style one-hot formulation: the loss is -np.mean(onehot * log_probs) with onehot = "
        "np.eye(C)[labels]; the mean runs over all N * C entries of the product, which divides the loss by C "
        "too: it is the sum over classes, averaged over the N samples",
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        onehot = np.eye(x.shape[1])[self._labels]\n        loss = -np.mean(onehot * log_probs)\n",
        ),
        expect=("ce-mean-over-classes", "loss-denominator", "divided-by-features"),
        phrases=("classes",),
    ),
    fresh(
        "hsag-hinge-class-loop-margin-hard-coded",
        "losses.HingeLoss",
        "forward is a loop over the classes (CS231n's half-vectorised SVM loss) with the margin written as the "
        "literal 1 of the course notes, x[:, j] - correct + 1: the margin argument is ignored (any margin but 1.0 "
        "gives the wrong loss and active set)",
        (
            "        rows = np.arange(x.shape[0])\n"
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n",
            "        N, C = x.shape\n"
            "        correct = x[np.arange(N), self._labels]\n"
            "        slack = np.zeros((N, C))\n"
            "        for j in range(C):\n"
            "            s_j = x[:, j] - correct + 1.0\n"
            "            slack[:, j] = np.where(self._labels == j, 0.0, s_j)\n",
        ),
        expect=("hinge-margin-ignored", "hyperparameter-ignored"),
        phrases=("margin",),
    ),
]

FRESH_AG: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
